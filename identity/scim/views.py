"""SCIM 2.0 (RFC 7644) for one organisation's Users and Groups; only a `scim` service token made for
this organisation gets in, any other is a 404. docs/integrations.md#scim."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from rest_framework import exceptions
from rest_framework.parsers import JSONParser
from rest_framework.permissions import BasePermission
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from core.roles import Role
from partners.models import Organisation
from workforce.models import User

from ..authentication import BearerTokenAuthentication, TokenRateThrottle
from ..models import ApiToken, Scope
from . import services
from .filters import InvalidFilter, filter_parse
from .representation import ERROR_SCHEMA, LIST_SCHEMA, group_resource, patch_fields, person_fields, user_resource

MAX_COUNT = 200


class ScimJSONParser(JSONParser):
    media_type = "application/scim+json"


class ScimJSONRenderer(JSONRenderer):
    media_type = "application/scim+json"


class OrganisationToken(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            return False
        if Scope.SCIM not in token.scopes or token.organisation_id != view.kwargs.get("org"):
            raise Http404
        return True


class ScimView(APIView):
    authentication_classes = [BearerTokenAuthentication]
    permission_classes = [OrganisationToken]
    throttle_classes = [TokenRateThrottle]
    parser_classes = [ScimJSONParser, JSONParser]
    renderer_classes = [ScimJSONRenderer]
    schema = None  # SCIM is described by RFC 7643's schemas, not the API's OpenAPI document

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.ScimError):
            return _error(exc.status, exc.detail, exc.scim_type)
        if isinstance(exc, InvalidFilter):
            return _error(400, str(exc), "invalidFilter")
        if isinstance(exc, exceptions.ParseError):
            return _error(400, "The body is not valid JSON.", "invalidSyntax")
        response = super().handle_exception(exc)
        detail = response.data.get("detail", "") if isinstance(response.data, dict) else ""
        error = _error(response.status_code, str(detail))
        for header in ("WWW-Authenticate", "Retry-After"):
            if header in response:
                error[header] = response[header]
        return error

    @property
    def organisation(self) -> Organisation:
        token = self.request.auth
        assert isinstance(token, ApiToken) and token.organisation is not None
        return token.organisation

    def people(self) -> QuerySet[User]:
        return (User.objects.filter(profile__organisation=self.organisation, anonymised_at__isnull=True)
                .select_related("directory_link").prefetch_related("groups").order_by("pk"))

    def person(self, pk: int) -> User:
        person = self.people().filter(pk=pk).first()
        if person is None:
            raise services.ScimError(404, "No such User in this organisation.")
        return person


def _error(status: int, detail: str, scim_type: str = "") -> Response:
    body: dict[str, Any] = {"schemas": [ERROR_SCHEMA], "status": str(status), "detail": detail}
    if scim_type:
        body["scimType"] = scim_type
    return Response(body, status=status)


def _page(request: Request, items: list[Any], total: int, start: int) -> Response:
    return Response({"schemas": [LIST_SCHEMA], "totalResults": total, "itemsPerPage": len(items),
                     "startIndex": start, "Resources": items})


def _paging(request: Request) -> tuple[int, int]:
    try:
        start = max(int(request.query_params.get("startIndex", 1)), 1)
        count = min(max(int(request.query_params.get("count", 100)), 0), MAX_COUNT)
    except ValueError:
        raise services.ScimError(400, "startIndex and count must be whole numbers.", "invalidValue") from None
    return start, count


class Users(ScimView):
    def get(self, request: Request, org: int) -> Response:
        people = self.people()
        if "filter" in request.query_params:
            wanted = filter_parse(request.query_params["filter"], attributes={"username", "externalid"})
            people = (people.filter(email__iexact=wanted.value) if wanted.attribute == "username"
                      else people.filter(directory_link__external_id=wanted.value))
        start, count = _paging(request)
        total = people.count()
        shown = list(people[start - 1:start - 1 + count]) if count else []
        return _page(request, [user_resource(p, org_id=org, request=request) for p in shown], total, start)

    def post(self, request: Request, org: int) -> Response:
        person = services.scim_person_create(organisation=self.organisation, fields=person_fields(request.data),
                                             by=self.request.auth.user)
        return Response(user_resource(self.person(person.pk), org_id=org, request=request), status=201)


class UserDetail(ScimView):
    def get(self, request: Request, org: int, pk: int) -> Response:
        return Response(user_resource(self.person(pk), org_id=org, request=request))

    def put(self, request: Request, org: int, pk: int) -> Response:
        return self._update(request, org, pk, person_fields(request.data))

    def patch(self, request: Request, org: int, pk: int) -> Response:
        return self._update(request, org, pk, patch_fields(request.data))

    def delete(self, request: Request, org: int, pk: int) -> Response:
        services.scim_person_deactivate(person=self.person(pk), by=request.auth.user)
        return Response(status=204)

    def _update(self, request: Request, org: int, pk: int, fields: services.PersonFields) -> Response:
        services.scim_person_update(person=self.person(pk), organisation=self.organisation, fields=fields,
                                    by=request.auth.user)
        return Response(user_resource(self.person(pk), org_id=org, request=request))


def _role(slug: str) -> Role:
    for role in Role:
        if role.slug == slug:
            return role
    raise services.ScimError(404, "No such Group.")


class Groups(ScimView):
    def get(self, request: Request, org: int) -> Response:
        roles = list(Role)
        if "filter" in request.query_params:
            wanted = filter_parse(request.query_params["filter"], attributes={"displayname"})
            roles = [r for r in roles if r.value.lower() == wanted.value.lower()]
        start, count = _paging(request)
        shown = roles[start - 1:start - 1 + count]
        return _page(request, [self._resource(r, org, request) for r in shown], len(roles), start)

    def _resource(self, role: Role, org: int, request: Request) -> dict[str, Any]:
        members = list(self.people().filter(groups__name=role.value, is_active=True))
        return group_resource(role, members, org_id=org, request=request)


class GroupDetail(Groups):
    def get(self, request: Request, org: int, slug: str) -> Response:  # type: ignore[override]
        return Response(self._resource(_role(slug), org, request))

    def patch(self, request: Request, org: int, slug: str) -> Response:
        role = _role(slug)
        if role == Role.ADMINISTRATOR:
            raise services.ScimError(403, "Administrators are appointed in the portal, not by a directory.")
        add, remove = self._members_change(request.data)
        services.scim_role_members_change(role=role, add=add, remove=remove)
        return Response(self._resource(role, org, request))

    def _members_change(self, body: Any) -> tuple[list[User], list[User]]:
        if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
            raise services.ScimError(400, "A PATCH needs Operations.", "invalidSyntax")
        add: list[User] = []
        remove: list[User] = []
        for op in body["Operations"]:
            kind = str(op.get("op", "")).lower() if isinstance(op, dict) else ""
            path = str(op.get("path", "members")) if isinstance(op, dict) else ""
            if kind not in ("add", "remove") or not path.startswith("members"):
                raise services.ScimError(400, "Only adding and removing members is supported.", "invalidPath")
            ids = self._member_ids(op.get("value"), path)
            (add if kind == "add" else remove).extend(self.person(pk) for pk in ids)
        return add, remove

    def _member_ids(self, value: Any, path: str) -> list[int]:
        if path.startswith("members["):
            return [int(filter_parse(path[len("members["):].rstrip("]"), attributes={"value"}).value)]
        if not isinstance(value, list):
            raise services.ScimError(400, "members must be a list of {\"value\": id}.", "invalidValue")
        try:
            return [int(member["value"]) for member in value]
        except (KeyError, TypeError, ValueError):
            raise services.ScimError(400, "Each member needs a value: a User's id.", "invalidValue") from None


class ServiceProviderConfig(ScimView):
    def get(self, request: Request, org: int) -> Response:
        return Response({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
            "patch": {"supported": True}, "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": MAX_COUNT}, "changePassword": {"supported": False},
            "sort": {"supported": False}, "etag": {"supported": False},
            "authenticationSchemes": [{"type": "oauthbearertoken", "name": "Bearer token",
                                       "description": "A SCIM token made on the portal's API tokens page."}],
        })
