"""SCIM 2.0 as Entra ID and Okta use it (RFC 7644): create, read, filter, page, replace, patch, deactivate."""

import pytest
from rest_framework.test import APIClient

from core.roles import Role
from identity.models import DirectoryLink
from identity.services import token_create
from tests.partners.factories import OrganisationFactory
from workforce.models import User

pytestmark = pytest.mark.django_db
SCIM = "application/scim+json"


@pytest.fixture
def org():
    return OrganisationFactory(name="North Trust")


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATOR)


@pytest.fixture
def scim(org, admin):
    secret = token_create(by=admin, name="Entra ID", scopes=["scim"], organisation=org).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    client.base = f"/scim/v2/{org.pk}"
    return client


def _send(client, method, path, body=None):
    import json

    return getattr(client, method)(client.base + path, json.dumps(body) if body is not None else None,
                                   content_type=SCIM)


NEW = {"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "Rhea.Nurse@north.example",
       "name": {"givenName": "Rhea", "familyName": "Nurse"}, "active": True, "externalId": "e-100"}


def test_create_then_find_by_username(scim, org):
    made = _send(scim, "post", "/Users", NEW)
    assert made.status_code == 201, made.json()
    assert made["Content-Type"] == SCIM
    body = made.json()
    person = User.objects.get(email="rhea.nurse@north.example")
    assert body["id"] == str(person.pk) and body["active"] is True and body["externalId"] == "e-100"
    assert person.profile.organisation == org and person.groups.filter(name="Practitioner").exists()
    found = scim.get(scim.base + "/Users", {"filter": 'userName eq "rhea.nurse@north.example"'}).json()
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == body["id"]
    none = scim.get(scim.base + "/Users", {"filter": 'userName eq "nobody@north.example"'}).json()
    assert none["totalResults"] == 0 and none["Resources"] == []
    again = _send(scim, "post", "/Users", NEW)
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"


def test_malformed_filter_is_invalid_filter(scim):
    for bad in ['userName co "x"', "userName eq", 'password eq "x"', 'userName eq "a" or active eq true']:
        response = scim.get(scim.base + "/Users", {"filter": bad})
        assert response.status_code == 400
        assert response.json()["scimType"] == "invalidFilter"
        assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]


def test_paging(scim, make_user, org):
    for n in range(5):
        make_user(email=f"p{n}@north.example", profile={"organisation": org})
    page = scim.get(scim.base + "/Users", {"startIndex": 2, "count": 2}).json()
    assert (page["totalResults"], page["itemsPerPage"], page["startIndex"]) == (5, 2, 2)
    emails = [r["userName"] for r in page["Resources"]]
    assert emails == ["p1@north.example", "p2@north.example"]


def test_replace_and_patch(scim):
    pk = _send(scim, "post", "/Users", NEW).json()["id"]
    replaced = _send(scim, "put", f"/Users/{pk}", {**NEW, "name": {"givenName": "Rhea", "familyName": "Carer"}})
    assert replaced.status_code == 200 and replaced.json()["name"]["familyName"] == "Carer"
    patched = _send(scim, "patch", f"/Users/{pk}", {
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        "Operations": [{"op": "Replace", "path": "name.givenName", "value": "Rheanna"},
                       {"op": "replace", "value": {"externalId": "e-101"}}]})
    assert patched.status_code == 200
    person = User.objects.get(pk=pk)
    assert (person.first_name, person.last_name) == ("Rheanna", "Carer")
    assert DirectoryLink.objects.get(person=person).external_id == "e-101"
    renamed = _send(scim, "put", f"/Users/{pk}", {**NEW, "userName": "other@north.example"})
    assert renamed.status_code == 400 and renamed.json()["scimType"] == "mutability"
    assert User.objects.get(pk=pk).email == "rhea.nurse@north.example"


def test_deactivate_is_the_leaver_path_never_a_delete(scim):
    pk = _send(scim, "post", "/Users", NEW).json()["id"]
    off = _send(scim, "patch", f"/Users/{pk}", {"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
                                                 "Operations": [{"op": "Replace", "path": "active",
                                                                 "value": "False"}]})
    assert off.status_code == 200 and off.json()["active"] is False
    person = User.objects.get(pk=pk)
    assert not person.is_active and person.left_on is not None  # privacy's retention schedule starts here
    assert person.history.filter(history_change_reason="Recorded as a leaver").exists()
    second = _send(scim, "post", "/Users", {**NEW, "userName": "two@north.example", "externalId": "e-2"})
    deleted = scim.delete(f"{scim.base}/Users/{second.json()['id']}")
    assert deleted.status_code == 204
    assert User.objects.filter(email="two@north.example", is_active=False, left_on__isnull=False).exists()


def test_groups_map_to_roles(scim, org, make_user):
    person = make_user(profile={"organisation": org})
    groups = scim.get(scim.base + "/Groups").json()
    assert {g["displayName"] for g in groups["Resources"]} == {r.value for r in Role}
    added = _send(scim, "patch", "/Groups/line-manager", {"Operations": [
        {"op": "add", "path": "members", "value": [{"value": str(person.pk)}]}]})
    assert added.status_code == 200 and str(person.pk) in [m["value"] for m in added.json()["members"]]
    assert person.groups.filter(name="Line manager").exists()
    _send(scim, "patch", "/Groups/line-manager", {"Operations": [
        {"op": "remove", "path": f'members[value eq "{person.pk}"]'}]})
    assert not person.groups.filter(name="Line manager").exists()
    refused = _send(scim, "patch", "/Groups/administrator", {"Operations": [
        {"op": "add", "path": "members", "value": [{"value": str(person.pk)}]}]})
    assert refused.status_code == 403 and not person.groups.filter(name="Administrator").exists()


def test_other_tokens_are_kept_out(scim, org, admin, make_user):
    stranger = make_user(email="x@else.example", profile={"organisation": OrganisationFactory()})
    assert scim.get(f"{scim.base}/Users/{stranger.pk}").status_code == 404
    other = OrganisationFactory()
    other_secret = token_create(by=admin, name="Other", scopes=["scim"], organisation=other).secret
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {other_secret}")
    assert client.get(f"{scim.base}/Users").status_code == 404
    personal = token_create(by=admin, name="Mine", scopes=["read"]).secret
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {personal}")
    assert client.get(f"{scim.base}/Users").status_code == 404
    assert APIClient().get(f"{scim.base}/Users").status_code == 401
