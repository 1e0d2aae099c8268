"""Checking an imported plan's rows, one function per rule, every problem reported; `resolve` only reads
(`services.plan_import_apply` creates the planned themes, resolves again and writes)."""

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.db.models.functions import Lower

from partners.models import GovernanceBody

from ..models import Action, Strategy, Theme
from ..selectors import today
from .leads import BODY, EXTERNAL, PERSON, Candidate, Directory, LeadMatch, match_leads
from .status import ImportedStatus, StatusError, parse_status
from .timescales import TimescaleError, bracketed_milestones, parse_timescale

LIMITS = (("Action code", 20), ("Timescale", 200), ("Plan priorities", 100))
TITLE_LIMIT = 300
DATE_COLUMNS = ("Start date", "Due date")


@dataclass
class Context:
    """What every row is checked against, loaded once for the whole file."""

    strategy: Strategy
    themes: dict[str, Theme]
    theme_titles: dict[str, Theme]
    directory: Directory
    people: dict[int, Any]
    bodies: dict[int, GovernanceBody]
    body_names: dict[str, GovernanceBody]
    existing: dict[str, Action]
    day: date
    columns: frozenset[str]
    titles: dict[str, str] = field(default_factory=dict)
    new_themes: dict[str, str] = field(default_factory=dict)


@dataclass
class Row:
    """One row resolved: the action's values, what the preview shows, and the row's errors and warnings."""

    number: int
    errors: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    theme: Theme | None = None
    new_theme: str = ""
    code: str = ""
    title: str = ""
    description: str = ""
    leads: list[Any] = field(default_factory=list)
    body: GovernanceBody | None = None
    external: list[str] = field(default_factory=list)
    matches: list[LeadMatch] = field(default_factory=list)
    start: date | None = None
    due: date | None = None
    timescale_note: str = ""
    status: ImportedStatus | None = None
    commentary: str = ""
    milestones: list[tuple[str, date]] = field(default_factory=list)

    def error(self, column: str, message: str) -> None:
        self.errors.append({"row": self.number, "column": column, "message": message})


def parse_date(text: str) -> date | None:
    """"2026-03-31" or "31/03/2026" (the export's formats); blank is no date; anything else raises ValueError."""
    text = text.strip()
    if not text:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def load_context(*, strategy: Strategy, rows: list[dict[str, Any]]) -> Context:
    users = get_user_model().objects.select_related("profile").only(
        "id", "email", "first_name", "last_name", "is_active", "profile__job_title")
    directory = Directory()
    people = {}
    for user in users:
        people[user.pk] = user
        profile = getattr(user, "profile", None)
        person = Candidate(kind=PERSON, pk=user.pk, label=str(user))
        directory.add(person, user.email, f"{user.first_name} {user.last_name}", getattr(profile, "job_title", ""))
    bodies = {b.pk: b for b in GovernanceBody.objects.all()}
    for body in bodies.values():
        directory.add(Candidate(kind=BODY, pk=body.pk, label=body.name, start=body.start_date, end=body.end_date),
                      body.name)
    themes = list(strategy.themes.all())
    return Context(
        strategy=strategy, themes={t.code.lower(): t for t in themes},
        theme_titles={" ".join(t.title.lower().split()): t for t in themes}, directory=directory, people=people,
        bodies=bodies, body_names={b.name.lower(): b for b in bodies.values()},
        existing=existing_actions(strategy=strategy, rows=rows), day=today(),
        columns=frozenset(k for row in rows for k in row if k != "_row"),
    )


def existing_actions(*, strategy: Strategy, rows: list[dict[str, Any]]) -> dict[str, Action]:
    """The strategy's actions the file may update, by lower-case code (all of them when the file has no codes)."""
    codes = {str(row.get("Action code", "")).strip().lower() for row in rows} - {""}
    leads = get_user_model().objects.only("id", "email", "first_name", "last_name", "is_active")
    actions = Action.objects.filter(strategy=strategy).annotate(code_lower=Lower("code"))
    if any("Action code" in row for row in rows):
        actions = actions.filter(code_lower__in=codes)
    actions = actions.select_related("theme", "leading_body").prefetch_related(Prefetch("leads", queryset=leads))
    return {action.code_lower: action for action in actions}


def check_required(ctx: Context, raw: dict[str, Any], row: Row) -> None:
    for column in ("Theme code", "Action code", "Title"):
        if column in ctx.columns and not raw.get(column, "").strip():
            row.error(column, f"{column} is missing.")


def check_theme(ctx: Context, raw: dict[str, Any], row: Row) -> None:
    """A theme code must exist; a theme title that does not is created on confirm (the preview says so)."""
    code = raw.get("Theme code", "").strip()
    title = " ".join(raw.get("Theme", "").split())
    if code:
        row.theme = ctx.themes.get(code.lower())
        if row.theme is None:
            known = ", ".join(t.code for t in ctx.themes.values()) or "not set up yet"
            row.error("Theme code", f"Unknown theme {code}: this strategy's themes are {known}.")
    elif title:
        row.theme = ctx.theme_titles.get(title.lower()) or ctx.themes.get(title.lower())
        row.new_theme = "" if row.theme else title[:200]
    elif "Theme code" not in ctx.columns:
        row.theme = next(iter(ctx.themes.values()), None)
        row.new_theme = "" if row.theme else "Actions"


def check_title(ctx: Context, raw: dict[str, Any], row: Row) -> None:
    """A title of several lines or over the limit keeps its first line or sentence; the rest is description."""
    text = raw.get("Title", "").strip()
    title, _, rest = text.partition("\n")
    if "Description" in raw:
        title, rest = text, ""
    elif rest:  # a cell of several lines (a title and its bullets): the first line is the title
        title = title.strip(" •·*-")
    if len(title) > TITLE_LIMIT:
        head, dot, tail = title.partition(". ")
        if len(head) >= TITLE_LIMIT:  # no sentence short enough: the whole text is kept in the description
            head, dot, tail = head[: TITLE_LIMIT - 1] + "…", "", title
        rest = "\n".join(p for p in (tail.strip(), rest.strip()) if p)
        title = head + ("." if dot else "")
        row.warnings.append("The title was long: its first sentence is the title, the rest is in the description.")
    row.title = title
    row.description = "\n".join(p for p in (rest.strip(), raw.get("Description", "").strip()) if p)
    row.milestones = bracketed_milestones(row.description)


def check_code(ctx: Context, raw: dict[str, Any], row: Row, seen: dict[str, int]) -> None:
    """A file without codes matches actions by title, and numbers new ones after the theme's last code."""
    code = raw.get("Action code", "").strip()
    if "Action code" not in ctx.columns:
        code = ctx.titles.get(row.title.lower(), "") or _next_code(ctx, row, seen)
    if code.lower() in seen:
        row.error("Action code", f"Duplicate action code {code} (also on row {seen[code.lower()]}).")
    elif code:
        seen[code.lower()] = row.number
    row.code = code


def new_theme_code(existing_codes: list[str], index: int) -> str:
    """The code of the index-th (from 1) theme an import creates: numbered after the highest numeric code."""
    return str(max((int(c) for c in existing_codes if c.isdigit()), default=0) + index)


def _next_code(ctx: Context, row: Row, seen: dict[str, int]) -> str:
    if row.theme is not None:
        prefix = row.theme.code
    else:
        index = ctx.new_themes.setdefault(row.new_theme.lower(), str(len(ctx.new_themes) + 1))
        prefix = new_theme_code(list(ctx.themes), int(index))
    number = 1
    while f"{prefix}.{number}".lower() in seen or f"{prefix}.{number}".lower() in ctx.existing:
        number += 1
    return f"{prefix}.{number}"


def check_dates(ctx: Context, raw: dict[str, Any], row: Row) -> None:
    """Date columns win; a file without them has its timescale read into dates."""
    if any(c in ctx.columns for c in DATE_COLUMNS):
        for column in DATE_COLUMNS:
            try:
                value = parse_date(raw.get(column, ""))
            except ValueError:
                row.error(column, f"Bad date {raw.get(column)!r}: write it as 2026-03-31 or 31/03/2026.")
                continue
            setattr(row, "start" if column == "Start date" else "due", value)
        return
    try:
        timescale = parse_timescale(raw.get("Timescale", ""))
    except TimescaleError as exc:
        row.error("Timescale", str(exc))
        return
    row.start, row.due, row.timescale_note = timescale.start, timescale.due, timescale.describe()


def check_date_order(ctx: Context, raw: dict[str, Any], row: Row, action: Action | None) -> None:
    start = row.start if "Start date" in raw or "Timescale" in raw else getattr(action, "start_date", None)
    due = row.due if "Due date" in raw or "Timescale" in raw else getattr(action, "due_date", None)
    if start and due and due < start:
        column = "Due date" if "Due date" in raw else ("Start date" if "Start date" in raw else "Timescale")
        row.error(column, f"The due date ({due:%-d %b %Y}) is before the start date ({start:%-d %b %Y}).")
    period = ctx.strategy
    for value in (start, due):
        if value and not period.period_start <= value <= period.period_end:
            row.warnings.append(f"{value:%-d %b %Y} is outside the strategy's period.")
            break


def check_leads(ctx: Context, raw: dict[str, Any], row: Row, action: Action | None) -> None:
    """People by email, name or job title; bodies within their term; the rest kept as external leads."""
    current = {u.pk for u in action.leads.all()} if action else set()
    on = row.due or row.start or ctx.day
    for match in match_leads(raw.get("Leads", ""), ctx.directory, on=on):
        row.matches.append(match)
        if match.kind == PERSON and match.pk is not None:
            _person_lead(ctx, row, match.pk, current)
        elif match.kind == BODY and match.pk is not None:
            _body_lead(ctx, row, ctx.bodies[match.pk])
        elif "@" in match.text:
            row.error("Leads", f"Unknown lead {match.text.lower()}: give the email address of a person in the portal.")
        else:
            row.external.append(match.text[:200])


def _person_lead(ctx: Context, row: Row, pk: int, current: set[int]) -> None:
    person = ctx.people[pk]
    if not person.is_active and person.pk not in current:
        # A leaver stays on the actions they already lead (so an export imports again), but is not named anew.
        row.error("Leads", f"{person} ({person.email}) has left the partnership: name someone else as lead.")
    elif person not in row.leads:
        row.leads.append(person)


def _body_lead(ctx: Context, row: Row, body: GovernanceBody) -> None:
    if row.body is None:
        row.body = body
    elif body != row.body:
        row.external.append(body.name[:200])  # one leading group per action; the others are named as leads


def check_group(ctx: Context, raw: dict[str, Any], row: Row, action: Action | None) -> None:
    """The leading group column: a known body that met on the action's dates (or already leads it)."""
    name = raw.get("Leading group", "").strip()
    if not name:
        return
    body = ctx.body_names.get(name.lower())
    if body is None:
        examples = ", ".join(b.name for b in list(ctx.bodies.values())[:2]) or "none set up"
        row.error("Leading group", f"Unknown group {name}: give the name of a governance body, e.g. {examples}.")
        return
    on = row.due or row.start or ctx.day
    ended = body.end_date is not None and body.end_date < on
    if ended and getattr(action, "leading_body_id", None) != body.pk:
        row.error("Leading group", f"{body} ended on {body.end_date:%-d %b %Y}: choose a group that still meets.")
    row.body = body


def check_status(ctx: Context, raw: dict[str, Any], row: Row) -> None:
    text = raw.get("Status", "")
    if not text.strip() and raw.get("Timescale", "").strip().lower().startswith(("completed", "complete ")):
        text = raw["Timescale"]  # "Timescale completed: Completed April 2010" says it was done then
    try:
        row.status = parse_status(text)
    except StatusError as exc:
        row.error("Status", str(exc))
    row.commentary = raw.get("Latest commentary", "").strip()
    if row.commentary and row.status is None and "Status" in raw:
        row.error("Status", "This row has commentary but no status: give its Red, Amber or Green status.")


def check_lengths(ctx: Context, raw: dict[str, Any], row: Row) -> None:
    for column, limit in LIMITS:
        if len(raw.get(column, "")) > limit:
            row.error(column, f"{column} is longer than {limit} characters.")


def resolve(*, strategy: Strategy, rows: list[dict[str, Any]]) -> tuple[list[Row], Context]:
    """Every row checked by every rule; a row with errors is reported whole and never written."""
    ctx = load_context(strategy=strategy, rows=rows)
    ctx.titles = {" ".join(a.title.lower().split()): a.code for a in ctx.existing.values()}
    seen: dict[str, int] = {}
    out = []
    for raw in rows:
        row = Row(number=raw["_row"])
        check_required(ctx, raw, row)
        check_theme(ctx, raw, row)
        check_title(ctx, raw, row)
        check_code(ctx, raw, row, seen)
        action = ctx.existing.get(row.code.lower())
        check_dates(ctx, raw, row)
        check_date_order(ctx, raw, row, action)
        check_group(ctx, raw, row, action)
        check_leads(ctx, raw, row, action)
        check_status(ctx, raw, row)
        check_lengths(ctx, raw, row)
        out.append(row)
    return out, ctx


def lead_summary(matches: list[LeadMatch]) -> list[dict[str, Any]]:
    return [m.as_dict() | {"external": m.kind == EXTERNAL} for m in matches]
