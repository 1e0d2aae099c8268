"""What the access matrix and the bad-input tests share: every URL pattern from the resolver, a request
that leaves nothing behind, and a response reduced to what a visitor notices (a status, or where a
redirect goes)."""

from dataclasses import dataclass
from http.cookies import SimpleCookie

from django.conf import settings
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

# What a visitor notices about a response. Redirects are told apart by where they go.
OK, BAD, FORBIDDEN, NF, NA = 200, 400, 403, 404, 405
IN = "302 to sign-in"  # the portal's sign-in page, with ?next= back to the page
AD = "302 to admin sign-in"  # the Django admin's sign-in page, with ?next=
GO = "302 elsewhere"  # any other redirect: after a form, to a page the viewer may see, ...
ANY = "any answer but a server error"  # a POST by someone the page lets in: what it does is the forms' tests' job
REFUSALS = frozenset({IN, AD, NF, FORBIDDEN})  # what someone without access gets


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL name with its namespace; unnamed patterns: the route
    route: str
    namespace: str | None
    name: str | None
    admin_prefix: str = ""  # for the admin's model patterns: "app_label/model_name/"


def url_patterns() -> list[Pattern]:
    """Every pattern the resolver knows, in order, with its full route."""
    found: list[Pattern] = []

    def walk(patterns, prefix: str, namespace: str | None, admin_prefix: str):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = ":".join(filter(None, [namespace, p.namespace])) or None
                inner = str(p.pattern)
                # Inside the admin, each registered model's URLs are an include under "app_label/model_name/".
                walk(p.url_patterns, prefix + inner, ns, inner if namespace == "admin" else admin_prefix)
            elif isinstance(p, URLPattern):
                route = prefix + str(p.pattern)
                key = f"{namespace}:{p.name}" if namespace and p.name else p.name or route
                found.append(Pattern(key, route, namespace, p.name, admin_prefix))

    walk(get_resolver().url_patterns, "", None, "")
    return found


def path_for(name: str, kwargs: dict | None = None, args: list | None = None) -> str:
    return reverse(name, kwargs=kwargs or None, args=args or None)


def outcome(response):
    """200, 404, ... or, for a redirect, IN / AD / GO."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return response.status_code
    location = response["Location"]
    if location.startswith(f"{reverse(settings.LOGIN_URL)}?next="):
        return IN
    if location.startswith(f"{reverse('admin:login')}?next="):
        return AD
    return GO


def request_and_undo(client, method: str, path: str, data=None, *, before=None, after=None, **extra):
    """One request whose writes are rolled back afterwards (a savepoint inside the module's transaction),
    with the client's cookies put back, so a sign-out or a POST changes nothing for the next request.
    Streamed and file bodies are read to the end inside the savepoint: an error in them counts.
    `before()` runs first and `after(response)` last, inside the same savepoint."""
    cookies = SimpleCookie(client.cookies)
    with transaction.atomic():
        if before is not None:
            before()
        send = client.get if method == "GET" else client.post
        response = send(path, data or {}, **extra)
        if response.streaming:  # reading to the end also closes it, as the test client arranges
            response.streamed = b"".join(response.streaming_content)
        if after is not None:
            after(response)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


# Tables whose rows change on every request by design: the session (expiry renewed on each request).
UNTRACKED_TABLES = {"django_session"}
# Columns a refused request writes on purpose: a wrong two-factor code is counted, for the throttle.
UNTRACKED_COLUMNS = {"otp_totp_totpdevice": {"throttling_failure_count", "throttling_failure_timestamp"}}


def database_fingerprint() -> dict[str, tuple[int, int]]:
    """Every table's row count and a digest of its rows, to tell whether a request wrote anything."""
    fingerprint = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(set(connection.introspection.table_names()) - UNTRACKED_TABLES):
            columns = "*"
            if table in UNTRACKED_COLUMNS:
                names = [c.name for c in connection.introspection.get_table_description(cursor, table)]
                columns = ", ".join(quote(name) for name in names if name not in UNTRACKED_COLUMNS[table])
            cursor.execute(f"SELECT {columns} FROM {quote(table)}")  # noqa: S608 - our own table names
            # A binary column comes back as a memoryview, whose repr is its address: compare its bytes.
            rows = sorted(repr(tuple(bytes(v) if isinstance(v, memoryview) else v for v in row))
                          for row in cursor.fetchall())
            fingerprint[table] = (len(rows), hash(tuple(rows)))
    return fingerprint


def tables_changed(before: dict, after: dict) -> list[str]:
    return [f"{table} ({before[table][0]} -> {after[table][0]} rows)"
            for table in before if before[table] != after[table]]
