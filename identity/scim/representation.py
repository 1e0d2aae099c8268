"""People and roles as SCIM resources (RFC 7643), and SCIM bodies read into our fields."""

from typing import Any

from django.urls import reverse

from core.roles import Role
from workforce.models import User

from .services import PersonFields, ScimError

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"


def user_resource(person: User, *, org_id: int, request: Any) -> dict[str, Any]:
    link = getattr(person, "directory_link", None)
    names = {g.name for g in person.groups.all()}
    body: dict[str, Any] = {
        "schemas": [USER_SCHEMA], "id": str(person.pk), "userName": person.email,
        "name": {"givenName": person.first_name, "familyName": person.last_name,
                 "formatted": person.get_full_name()},
        "displayName": person.get_full_name() or person.email,
        "emails": [{"value": person.email, "type": "work", "primary": True}],
        "active": person.is_active,
        "groups": [{"value": role.slug, "display": role.value} for role in Role if role.value in names],
        "meta": {"resourceType": "User", "created": person.date_joined.isoformat(),
                 "location": request.build_absolute_uri(reverse("scim:user", args=[org_id, person.pk]))},
    }
    if link is not None and link.external_id:
        body["externalId"] = link.external_id
    return body


def group_resource(role: Role, members: list[User], *, org_id: int, request: Any) -> dict[str, Any]:
    return {
        "schemas": [GROUP_SCHEMA], "id": role.slug, "displayName": role.value,
        "members": [{"value": str(p.pk), "display": p.email} for p in members],
        "meta": {"resourceType": "Group",
                 "location": request.build_absolute_uri(reverse("scim:group", args=[org_id, role.slug]))},
    }


def _bool(value: Any) -> bool:
    """Entra ID sends "True"/"False" as strings in PATCH."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise ScimError(400, "active must be true or false.", "invalidValue")


def _text(value: Any, name: str) -> str:
    if not isinstance(value, str) or len(value) > 150:
        raise ScimError(400, f"{name} must be text of up to 150 characters.", "invalidValue")
    return value.strip()


def person_fields(body: Any, *, partial: bool = False) -> PersonFields:
    """A User body (POST, PUT), or the attributes a PATCH sets."""
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    flat = {k.lower(): v for k, v in body.items()}
    name = flat.get("name") if isinstance(flat.get("name"), dict) else {}
    name = {k.lower(): v for k, v in name.items()}
    given = flat.get("name.givenname", name.get("givenname"))
    family = flat.get("name.familyname", name.get("familyname"))
    user_name = flat.get("username")
    if user_name is None and not partial:
        raise ScimError(400, "userName (the person's email address) is required.", "invalidValue")
    external = flat.get("externalid")
    return PersonFields(
        user_name=_text(user_name, "userName") if user_name is not None else "",
        given_name=None if given is None else _text(given, "name.givenName"),
        family_name=None if family is None else _text(family, "name.familyName"),
        active=None if flat.get("active") is None else _bool(flat["active"]),
        external_id=None if external is None else _text(external, "externalId"),
    )


def patch_fields(body: Any) -> PersonFields:
    """A PatchOp on a User: add/replace of active, names, externalId (with a path, or a value object)."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        raise ScimError(400, "A PATCH needs Operations (RFC 7644 section 3.5.2).", "invalidSyntax")
    values: dict[str, Any] = {}
    for op in body["Operations"]:
        if not isinstance(op, dict) or str(op.get("op", "")).lower() not in ("add", "replace"):
            raise ScimError(400, "Only add and replace are supported on a User.", "invalidSyntax")
        path, value = op.get("path"), op.get("value")
        if path is None:
            if not isinstance(value, dict):
                raise ScimError(400, "Without a path, value must be an object.", "invalidSyntax")
            values.update(value)
        elif isinstance(path, str):
            values[path] = value
        else:
            raise ScimError(400, "path must be text.", "invalidPath")
    return person_fields(values, partial=True)
