"""Bad input to every form: hypothesis posts generated values (unicode and control characters, very long
text, numbers out of range, malformed dates, wrong choices, missing and extra fields) and every response
must be a page, not a server error, with nothing written unless the form said it succeeded (a redirect
with no error message).

FORMS has an entry for every URL the portal has (the Django admin's own forms aside): what that URL
takes by POST. A new URL without one fails `test_every_url_says_what_it_takes`. The kinds of entry:
- `Post(viewer, object, data)`: a form; `data(world)` is a valid submission, which hypothesis then spoils.
- `BUTTON` pages take a POST with nothing in it (sign out, confirm, delete, resend...).
- `UPLOAD` pages take a file: tests/portal/test_bad_uploads.py.
- `NO_POST` pages take no POST: one with junk in it must change nothing.
- `JSON` endpoints (the API, SCIM) answer bad input with a 400 naming the field: tests/api/ and
  tests/identity/test_scim.py send it.
QUERIES lists the pages that read query-string parameters; those get generated parameters too.

The examples per form come from the hypothesis profile (tests/conftest.py): few in CI, more with
HYPOTHESIS_PROFILE=thorough.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.messages import constants, get_messages
from django.db import connection
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from hypothesis import example, given
from hypothesis import strategies as st

from core.roles import Role
from privacy.models import RETENTION_DEFAULTS
from tests.portal.crawl import (
    GO,
    database_fingerprint,
    outcome,
    path_for,
    request_and_undo,
    tables_changed,
    url_patterns,
)
from tests.portal.test_access_matrix import MATRIX
from tests.workforce.factories import PASSWORD
from workforce.administration import person_role_add
from workforce.models import User

pytestmark = pytest.mark.django_db  # the world (tests/portal/conftest.py) is made once per module


@dataclass
class Post:
    viewer: str
    obj: str | None
    data: Any = field(default=lambda w: {})
    path: Any = None  # path(world) when the form posts somewhere other than the page's own URL
    before: Any = None  # before(client, world), in the request's savepoint (e.g. open the reset link first)
    shown: str = ""  # a page that shows what it made instead of redirecting (a secret shown once): its words


BUTTON, UPLOAD, NO_POST, JSON = "button", "upload", "no POST", "JSON"
NEW_PASSWORD = "tangerine-otter-quartz-91"


def _olive_also_manages(client, w):
    person_role_add(person=w.objects["olive"], role=Role.LINE_MANAGER, by=None)


def _olive_invited(client, w):
    User.objects.filter(pk=w.objects["olive"].pk).update(password="!invited", last_login=None)


def _profile(w, **extra):
    return {"organisation": w.objects["home"].pk, "job_title": "Social worker", "workforce": "core",
            "service_tier": "targeted", "cts_band": "3", "employment": "paid", "hours": "full",
            "start_date": "2021-05-04", "line_manager_email": "", **extra}


def _course(w, **extra):
    return {"code": "NEW-1", "title": "Working with fathers", "summary": "Why and how.", "outcomes": "",
            "audience": "", "duration": "3 hours", "delivery_mode": "classroom",
            "themes": [w.objects["training_theme"].pk], "provider": "", "variant": "standard", "refresher_of": "",
            "cancellation_notice_days": "7", "is_active": "on", **extra}


def _session(w, *, day="2027-03-01", initial=0, **extra):
    return {"course": w.objects["course"].pk, "event": "", "capacity": "12", "venue_name": "Civic Centre",
            "venue_address": "", "access_notes": "", "online_url": "", "booking_opens_at": "",
            "booking_closes_at": "", "notes": "", "dates-TOTAL_FORMS": "1", "dates-INITIAL_FORMS": str(initial),
            "dates-MIN_NUM_FORMS": "0", "dates-MAX_NUM_FORMS": "10", "dates-0-day": day, "dates-0-start": "09:30",
            "dates-0-end": "12:30", **extra}


def _action(w, code="1.7"):
    return {"theme": w.objects["draft_theme"].pk, "code": code, "title": "Father-inclusive practice",
            "description": "", "leads": [w.objects["olive"].pk], "leading_body": "", "start_date": "2026-04-01",
            "due_date": "2026-09-30", "timescale": "", "priorities": "4a", "performance_measures": ""}


def _code(device) -> str:
    """The code the device's authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def _unverified(client, w):
    """The administrator's session as it is after the password, before the code (inside the savepoint)."""
    session = client.session
    session.pop(DEVICE_ID_SESSION_KEY, None)
    session.save()


def _board_report(w):
    quarter = w.objects["quarter"]
    return {"strategy": w.objects["active"].pk, "quarter": quarter.key, "author": "Sam Other-Strategist, Chair",
            "contact": "sam@home.example", "sponsor": "Director of Children's Services",
            "recommendations": "That the Board notes progress.\n\nThat the Board asks partners to release staff."}


def _open_reset_link(client, w):
    client.get(path_for("password_reset_confirm", w.kwargs["reset:olive"]))


def _set_password_path(w):
    return path_for("password_reset_confirm", {**w.kwargs["reset:olive"], "token": "set-password"})


# fmt: off
FORMS = {
    "portal:home": NO_POST, "portal:accessibility": NO_POST, "portal:privacy": NO_POST, "portal:healthz": NO_POST,
    "portal:branding_css": NO_POST, "portal:branding_logo": NO_POST,
    "portal:branding": Post("admin", None, lambda w: {"name": "Home Partnership Portal", "accent": "#00703c",
                                                      "logo_alt": ""}),
    "login": Post("anonymous", None, lambda w: {"username": "practitioner@home.example", "password": PASSWORD}),
    "logout": Post("practitioner", None),
    "password_change": Post("practitioner", None, lambda w: {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
    "password_change_done": NO_POST,
    "password_reset": Post("anonymous", None, lambda w: {"email": "olive@home.example"}),
    "password_reset_done": NO_POST,
    "password_reset_confirm": Post("anonymous", None, lambda w: {
        "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, path=_set_password_path,
        before=_open_reset_link),
    "password_reset_complete": NO_POST,
    # people
    "workforce:keep_alive": NO_POST,
    "workforce:account": Post("practitioner", None, lambda w: {
        "first_name": "Pat", "last_name": "Viewer", "phone": "0113 496 0000"}),
    "workforce:my_profile": Post("practitioner", None, _profile),
    "workforce:directory": NO_POST, "workforce:staff": NO_POST, "workforce:staff_export": NO_POST,
    "workforce:person": NO_POST,
    "workforce:person_edit": Post("admin", "olive", lambda w: _profile(
        w, line_manager_email="otto@home.example", employee_ref="HR77", is_organisation_lead="")),
    "workforce:designated_role_add": Post("admin", "olive", lambda w: {
        "kind": "key_worker", "organisation": w.objects["home"].pk, "start_date": "2024-01-01", "end_date": "",
        "notes": "Covers the east team"}),
    "workforce:designated_roles": NO_POST,
    "workforce:designated_role_end": Post("admin", "role:olive", lambda w: {"end_date": "2025-06-30"}),
    "workforce:import": UPLOAD,
    "workforce:import_preview": NO_POST,
    "workforce:import_confirm": Post("admin", "batch:ada"),
    "workforce:dashboard": NO_POST,
    "workforce:accounts_admin": NO_POST, "workforce:account_admin": NO_POST,
    "workforce:invite": Post("admin", None, lambda w: {"email": "new.person@home.example", "first_name": "Nia",
                                                       "last_name": "New", "organisation": w.objects["home"].pk,
                                                       "roles": ["Practitioner"]}),
    "workforce:account_role_add": Post("admin", "olive", lambda w: {"role": "Line manager"}),
    "workforce:account_role_remove": Post("admin", "account_role:olive", before=_olive_also_manages),
    "workforce:account_deactivate": Post("admin", "olive"),
    "workforce:account_reactivate": Post("admin", "leaver"),
    "workforce:invitation_resend": Post("admin", "olive", before=_olive_invited),
    "workforce:sign_in_pauses": NO_POST,
    "workforce:sign_in_pause_lift": Post("admin", "pause:olive"),
    "workforce:sign_in_pauses_lift_account": Post("admin", None, lambda w: {"username": "olive@home.example"}),
    # API tokens: made and revoked on a page; the API and SCIM take JSON
    "identity:tokens": Post("practitioner", None, lambda w: {"name": "Timetable sync", "scopes": ["read"]},
                            shown="Copy it now"),
    "identity:token_revoke": Post("admin", "token:service"),
    **{f"api:{name}": JSON for name in ("api-root", "schema", "docs", "course-list", "course-detail", "session-list",
                                        "session-detail", "booking-list", "booking-detail", "booking-cancel",
                                        "completion-list", "person-list", "person-detail", "action-list",
                                        "action-detail", "action-updates")},
    **{f"scim:{name}": JSON for name in ("config", "users", "user", "groups", "group")},
    # the partnership: pages to read only
    "partners:partnership": NO_POST, "partners:sector": NO_POST, "partners:organisations": NO_POST,
    "partners:organisation": NO_POST, "partners:governance": NO_POST, "partners:governance_body": NO_POST,
    "partners:organisation_add": Post("admin", None, lambda w: {
        "name": "New Youth Trust", "sector": w.objects["home"].sector_id, "org_type": "voluntary", "address": "",
        "website": "", "is_active": "on"}),
    "partners:organisation_edit": Post("admin", "org:home", lambda w: {
        "name": "Home Council Children's Services", "sector": w.objects["home"].sector_id,
        "org_type": w.objects["home"].org_type, "address": "1 Civic Square", "website": "", "is_active": "on"}),
    "partners:sector_add": Post("admin", None, lambda w: {"name": "Faith groups", "summary": "", "order": "9"}),
    "partners:sector_edit": Post("admin", "sector", lambda w: {"name": w.objects["home"].sector.name,
                                                                 "summary": "Who they are", "order": "1"}),
    "partners:governance_body_add": Post("admin", None, lambda w: {
        "name": "Training Sub-group", "purpose": "", "reports_to": w.objects["board_body"].pk,
        "start_date": "2024-04-01", "end_date": "", "order": "2"}),
    "partners:governance_body_edit": Post("admin", "body", lambda w: {
        "name": "Partnership Board", "purpose": "Oversight", "reports_to": "", "start_date": "2020-01-01",
        "end_date": "", "order": "0"}),
    "partners:membership_add": Post("admin", "body", lambda w: {
        "user": "", "external_name": "Dr Rhea Visiting", "external_job_title": "Designated doctor",
        "external_email": "", "external_phone": "", "role": "Member", "sector": "", "organisation": "",
        "start_date": "2025-04-01", "end_date": ""}),
    "partners:membership_end": Post("admin", "seat", lambda w: {"end_date": "2099-03-31"}),
    # training
    "training:catalogue": NO_POST, "training:course_detail": NO_POST, "training:session_detail": NO_POST,
    "training:booking_create": Post("practitioner", "session:second", lambda w: {"confirm_overlap": ""}),
    "training:event_detail": NO_POST, "training:my_bookings": NO_POST,
    "training:booking_cancel": Post("practitioner", "booking:own"),
    "training:booking_calendar": NO_POST,
    "training:booking_for_someone": Post("coordinator", "session", lambda w: {"email": "sam@home.example"}),
    "training:approvals": NO_POST,
    "training:approval_decide": Post("line_manager", "booking:tom_pending", lambda w: {
        "decision": "approve", "reason": ""}),
    "training:booking_transfer": Post("line_manager", "booking:tom_confirmed", lambda w: {
        "to_person": w.objects["tia"].pk}),
    "training:standard": NO_POST,
    "training:version_create": Post("coordinator", None, lambda w: {
        "name": "Core Training Standard 2027", "effective_from": "2027-01-01", "notes": ""}),
    "training:version_detail": NO_POST,
    "training:version_edit": Post("coordinator", "version", lambda w: {
        "name": w.objects["version"].name, "effective_from": "2026-01-01", "notes": "Edited"}),
    "training:version_make_current": Post("coordinator", "version", lambda w: {"copy_from": ""}),
    "training:band_create": Post("coordinator", None, lambda w: {"number": "7", "label": "Band 7",
                                                                 "description": ""}),
    "training:band_edit": Post("coordinator", "band", lambda w: {"number": "3", "label": "Band three",
                                                                 "description": "Regular contact"}),
    "training:theme_create": Post("coordinator", None, lambda w: {
        "name": "Neglect", "slug": "neglect", "description": "", "is_common_core": "", "order": "3"}),
    "training:theme_edit": Post("coordinator", "training_theme", lambda w: {
        "name": "Safeguarding", "slug": w.objects["training_theme"].slug, "description": "Edited",
        "is_common_core": "on", "order": "1"}),
    "training:requirement_create": Post("coordinator", None, lambda w: {
        "version": w.objects["version"].pk, "band": w.objects["band"].pk, "title": "Neglect awareness",
        "courses": [w.objects["course"].pk], "refresher_months": "36", "order": "2"}),
    "training:requirement_edit": Post("coordinator", "requirement", lambda w: {
        "version": w.objects["version"].pk, "band": w.objects["band"].pk, "title": "Safeguarding (edited)",
        "courses": [w.objects["course"].pk], "refresher_months": "", "order": "1"}),
    "training:requirement_delete": Post("coordinator", "requirement"),
    "training:manage_home": NO_POST, "training:course_list_manage": NO_POST,
    "training:course_create": Post("coordinator", None, _course),
    "training:course_edit": Post("coordinator", "course", lambda w: _course(w, code=w.objects["course"].code)),
    "training:event_list_manage": NO_POST,
    "training:event_create": Post("coordinator", None, lambda w: {
        "name": "Welcome event", "slug": "welcome-event", "summary": "", "starts_on": "2027-01-10",
        "ends_on": "2027-01-11"}),
    "training:event_edit": Post("coordinator", "event", lambda w: {
        "name": w.objects["event"].name, "slug": w.objects["event"].slug, "summary": "Edited",
        "starts_on": w.objects["event"].starts_on.isoformat(), "ends_on": w.objects["event"].ends_on.isoformat()}),
    "training:session_create": Post("coordinator", None, _session),
    "training:session_manage": NO_POST,
    "training:session_edit": Post("coordinator", "session", lambda w: _session(
        w, initial=1, day=f"{w.objects['upcoming'].starts_at:%Y-%m-%d}", capacity="14")),
    "training:session_cancel": Post("coordinator", "session", lambda w: {"reason": "The trainer is ill."}),
    "training:my_training": NO_POST, "training:certificate_download": NO_POST,
    "training:evaluation_create": Post("practitioner", "booking:own_attended", lambda w: {
        "rating": "4", "comments": "Useful."}),
    "training:session_register": Post("coordinator", "session:past", lambda w: {
        "one": f"{w.objects['own_attended'].pk}:no_show"}),
    "training:session_register_close": Post("coordinator", "session:past"),
    "training:session_walk_in": Post("coordinator", "session:past", lambda w: {"who": "tia@home.example"}),
    "training:session_sign_in_sheet": NO_POST, "training:session_attendees_export": NO_POST,
    "training:course_evaluations": NO_POST, "training:course_history_export": NO_POST,
    "training:compliance_team": NO_POST, "training:compliance_team_export": NO_POST,
    "training:compliance_organisation": NO_POST, "training:compliance_organisation_export": NO_POST,
    "training:compliance_all": NO_POST, "training:compliance_all_export": NO_POST,
    # the action plan
    "actions:overview": NO_POST, "actions:strategy_list": NO_POST,
    "actions:strategy_create": Post("strategist", None, lambda w: {
        "title": "Workforce Strategy 2028-30", "period_start": "2028-01-01", "period_end": "2030-12-31",
        "status": "draft", "summary": ""}),
    "actions:strategy_overview": NO_POST,
    "actions:strategy_edit": Post("strategist", "strategy:draft", lambda w: {
        "title": "Draft plan", "period_start": "2026-01-01", "period_end": "2027-06-30", "status": "draft",
        "summary": "Edited"}),
    "actions:theme_create": Post("strategist", "strategy:draft", lambda w: {
        "code": "2", "title": "Supported early help", "aim": "", "order": "2"}),
    "actions:action_create": Post("strategist", "strategy:draft", _action),
    "actions:export": NO_POST,
    "actions:import_upload": UPLOAD,
    "actions:import_preview": Post("strategist", "plan_import:own"),
    "actions:theme_edit": Post("strategist", "plan_theme", lambda w: {
        "code": "1", "title": "A confident workforce", "aim": "Edited", "order": "1"}),
    "actions:action_list": NO_POST, "actions:my_actions": NO_POST, "actions:action_detail": NO_POST,
    "actions:action_update": Post("strategist", "action:active", lambda w: {
        "status": "amber", "percent_complete": "40", "commentary": "Two of five teams trained.",
        "links": "https://example.org/minutes"}),
    "actions:action_edit": Post("strategist", "action:draft", lambda w: _action(w, code="1.1")),
    "actions:milestone_create": Post("strategist", "action:draft", lambda w: {
        "title": "Pilot in two teams", "due_date": "2026-10-01", "done_date": ""}),
    "actions:milestone_edit": Post("strategist", "milestone", lambda w: {
        "title": "Draft milestone", "due_date": "2026-10-01", "done_date": "2026-09-20"}),
    "actions:milestone_delete": Post("strategist", "milestone"),
    "actions:evidence": NO_POST,
    # Board reports
    "actions:report_archive": NO_POST, "actions:report_detail": NO_POST, "actions:report_status": NO_POST,
    "actions:report_download": NO_POST,
    "actions:report_create": Post("strategist", None, _board_report),
    "actions:report_regenerate": Post("strategist", "board_report"),
    # data protection
    "privacy:index": NO_POST, "privacy:person": NO_POST, "privacy:export_json": NO_POST,
    "privacy:export_pdf": NO_POST, "privacy:runs": NO_POST, "privacy:audit": NO_POST,
    "privacy:leave": Post("admin", "olive", lambda w: {"left_on": f"{w.objects['today']:%Y-%m-%d}"}),
    "privacy:anonymise": Post("admin", "olive", lambda w: {"confirm": "on"}),
    "privacy:retention": Post("admin", None, lambda w: {
        kind.value: str(months + 6) for kind, months in RETENTION_DEFAULTS.items()}),
    "privacy:retention_run": Post("admin", None),
    # two-factor sign-in
    "two_factor": NO_POST,
    "two_factor_setup": Post("coordinator", None, lambda w: {"code": _code(w.objects["coordinator_pending_device"])}),
    "two_factor_verify": Post("admin", None, lambda w: {"code": _code(w.objects["admin_device"]), "next": "/plan/"},
                              before=_unverified),
    "two_factor_remove": Post("admin", None, lambda w: {"code": _code(w.objects["admin_device"])}),
    # notifications
    "notifications:mine": Post("practitioner", None, lambda w: {"kinds": [_first_optional_kind()]}),
    "notifications:all": NO_POST,
    "notifications:resend": Post("admin", "notification:olive"),
}

# Pages that read query-string parameters: who reads them, and the parameters' names.
QUERIES = {
    "workforce:directory":           ("practitioner", None, ["q", "organisation", "page"]),
    "workforce:accounts_admin":      ("admin", None, ["q", "state", "page"]),
    "workforce:staff":               ("admin", None, ["q", "organisation", "sector", "cts_band", "workforce",
                                                      "service_tier", "role", "page"]),
    "workforce:staff_export":        ("admin", None, ["q", "organisation", "sector", "cts_band", "role"]),
    "workforce:designated_roles":    ("admin", None, ["kind", "sector", "org_type", "page"]),
    "workforce:import_preview":      ("admin", "batch:ada", ["outcome", "page"]),
    "partners:organisations":        ("practitioner", None, ["name", "sector", "org_type", "page"]),
    "partners:governance_body":      ("practitioner", "body", ["past"]),
    "training:catalogue":            ("practitioner", None, ["q", "theme", "band", "delivery_mode", "provider",
                                                             "date_from", "date_to", "places_free",
                                                             "required_for_me", "including_done", "page"]),
    "training:manage_home":          ("coordinator", None, ["past"]),
    "training:session_create":       ("coordinator", None, ["course", "event"]),
    "training:compliance_team":      ("line_manager", None, ["band", "q", "page"]),
    "training:compliance_all":       ("admin", None, ["organisation", "sector", "band", "q", "requirement", "state",
                                                      "page"]),
    "training:compliance_all_export": ("admin", None, ["organisation", "sector", "band", "q", "requirement",
                                                        "state"]),
    "actions:action_list":           ("strategist", None, ["strategy", "q", "theme", "lead", "status", "overdue",
                                                           "due_soon", "page"]),
    "actions:action_create":         ("strategist", "strategy:draft", ["theme"]),
    "privacy:index":                 ("admin", None, ["q", "page"]),
    "privacy:runs":                  ("admin", None, ["page"]),
    "privacy:audit":                 ("admin", None, ["person", "changed_by", "since", "until", "page"]),
    "two_factor_verify":             ("admin", None, ["next"]),
    "notifications:mine":            ("practitioner", None, ["page"]),
    "notifications:all":             ("admin", None, ["status", "kind", "page"]),
}
# fmt: on


def _first_optional_kind() -> str:
    from notifications.models import OPTIONAL_KINDS

    return OPTIONAL_KINDS[0].value


# --- What hypothesis sends --------------------------------------------------------------------------------

CONTROL = "".join(map(chr, [*range(0, 32), 0x7F, *range(0x80, 0xA0), 0x200B, 0x200E, 0x202E, 0xFEFF]))
awkward_text = st.one_of(
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40),
    st.text(st.sampled_from(CONTROL + "a é"), min_size=1, max_size=12),
    # very long: far past every max_length and text column a form has
    st.builds(lambda s, n: s * n, st.sampled_from(["a", "é", "😀", "\u202e", "<", "'"]), st.integers(201, 20_000)),
    st.sampled_from(["=HYPERLINK(\"https://evil.example\",\"x\")", "+1+1", "-2+3", "@SUM(A1)", "<script>x</script>",
                     "' OR '1'='1", "../../etc/passwd", "%00", "\x00", " ", "NULL", "None", "https://",
                     "javascript:1"]),
)
# Integers past 64 bits: PostgreSQL compares them and finds nothing. SQLite cannot bind them, and Django's
# `__in` lookups (ModelMultipleChoiceField) pass them through, so on SQLite (`make run`, not production) a
# 30-digit id in a multiple choice is an OverflowError, Django's not ours: there the ids stay within 64 bits.
HUGE = 2**70 if connection.vendor == "postgresql" else 2**63 - 1
numbers = st.one_of(
    st.integers(-HUGE, HUGE).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["-1", "0", "1e309", "0x10", "1_000", "٣", "²", "+5", " 7 ", str(HUGE), "32768",
                     "65536"]),
)
dates = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.datetimes().map(dt.datetime.isoformat),
    st.sampled_from(["2026-02-30", "2026-13-01", "0000-01-01", "10000-01-01", "31/12/2026", "12/31/2026", "2026-1-1",
                     "2026-01-01T25:61", "24:00", "23:60", "tomorrow", "9999-12-31", "0001-01-01"]),
)
choices = st.sampled_from(["", "0", "-1", "99999999", "abc", "None", "true", "[]", "{}", "on", "off", "approve "])
anything = st.one_of(awkward_text, numbers, dates, choices)
# Values that broke pages before (int("²") raises though "²".isdigit() is true; ":" is no id; the day after
# 31/12/9999 does not exist) and the classic ones: every form field and query parameter gets each of these,
# on top of what is drawn.
ALWAYS_TRIED = ["²", ":", str(HUGE), "\x00", "x" * 5000, "9999-12-31"]
DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}|^\d{2}:\d{2}$")


def _bad_value_for(baseline):
    """Values to put in place of a field's good value, aimed at its kind first."""
    sample = baseline[0] if isinstance(baseline, list) and baseline else baseline
    text = str(sample)
    aimed = dates if DATE_LIKE.match(text) else numbers | choices if text.isdigit() else awkward_text
    one = st.one_of(aimed, anything)
    return st.one_of(one, st.lists(one, min_size=2, max_size=3))  # the field sent twice or more


MISSING = object()


@st.composite
def spoiled(draw, baseline: dict):
    """The good submission with some fields replaced, some left out, and perhaps a few extra ones."""
    data = dict(baseline)
    if data:
        for key in draw(st.sets(st.sampled_from(sorted(data)), min_size=1, max_size=min(len(data), 4))):
            value = draw(st.one_of(st.just(MISSING), _bad_value_for(data[key])))
            if value is MISSING:
                del data[key]
            else:
                data[key] = value
    extra_names = st.text(st.characters(codec="ascii", categories=("L", "N", "P")), min_size=1, max_size=20)
    data.update(draw(st.dictionaries(extra_names.filter(lambda k: k not in baseline), anything, max_size=2)))
    return data


# --- The tests ---------------------------------------------------------------------------------------------


def _succeeded(response, shown: str = "") -> bool:
    """A redirect with no error message is the portal saying "done" (or, for a page that shows what it made,
    a 200 with those words)."""
    if shown and response.status_code == 200:
        return shown in response.content.decode()
    levels = [m.level for m in get_messages(response.wsgi_request)]
    return outcome(response) == GO and constants.ERROR not in levels


def _post_and_check(client, path, data, *, untouched: dict, before=None, may_write=True, shown=""):
    """POST, then: no server error, and nothing written unless the form succeeded (and may write at all).
    `untouched` is the database's fingerprint before (the same for every request: each is rolled back)."""
    seen = {}
    response = request_and_undo(client, "POST", path, data, before=before,
                                after=lambda response: seen.update(after=database_fingerprint()))
    assert response.status_code < 500
    if not (may_write and _succeeded(response, shown)):
        changed = tables_changed(untouched, seen["after"])
        assert not changed, f"POST {path} answered {response.status_code} but wrote to: {', '.join(changed)}"
    return response


def _form_path(entry: Post, name: str, world) -> str:
    return entry.path(world) if entry.path else path_for(name, world.kwargs[entry.obj] if entry.obj else None)


def _before(entry: Post, client, world):
    return (lambda: entry.before(client, world)) if entry.before else None


FORM_NAMES = sorted(name for name, entry in FORMS.items() if isinstance(entry, Post))


def test_every_url_says_what_it_takes():
    """A new URL without a line in FORMS fails here (the Django admin's forms are Django's own)."""
    names = {p.key for p in url_patterns() if p.namespace != "admin"}
    missing = sorted(names - set(FORMS))
    stale = sorted(set(FORMS) - names)
    assert not missing, "Add these to FORMS in tests/portal/test_bad_input.py (Post, UPLOAD, NO_POST or JSON): " + \
        ", ".join(missing)
    assert not stale, f"FORMS names URLs that are gone: {', '.join(stale)}"
    assert all(entry in (UPLOAD, NO_POST, JSON) or isinstance(entry, Post) for entry in FORMS.values())


@pytest.mark.parametrize("name", FORM_NAMES)
def test_the_good_submission_succeeds(name, world, viewer_clients):
    """Each entry's good submission is accepted, so the spoiled ones below start from a real form."""
    entry = FORMS[name]
    client = viewer_clients[entry.viewer]
    response = request_and_undo(client, "POST", _form_path(entry, name, world), entry.data(world),
                                before=_before(entry, client, world))
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    form = response.context.get("form") if response.context else None
    assert _succeeded(response, entry.shown), f"{name}: {response.status_code} {messages} {form.errors if form else ''}"


@pytest.mark.parametrize("name", FORM_NAMES)
def test_spoiled_submissions_change_nothing_and_never_fail(name, world, viewer_clients):
    entry = FORMS[name]
    client = viewer_clients[entry.viewer]
    path = _form_path(entry, name, world)
    baseline = entry.data(world)
    untouched = database_fingerprint()

    @given(data=spoiled(baseline))
    def check(data):
        _post_and_check(client, path, data, untouched=untouched, before=_before(entry, client, world),
                        shown=entry.shown)

    for value in ALWAYS_TRIED:  # whatever the profile draws, every field gets these too
        check = example(data={key: value for key in baseline} or {"extra": value})(check)
    check()


@pytest.mark.parametrize("name", sorted(n for n, entry in FORMS.items() if entry == NO_POST))
def test_pages_that_take_no_post_ignore_one(name, world, viewer_clients):
    obj = MATRIX[name][0]
    path = path_for(name, world.kwargs[obj] if obj else None)
    junk = {"title": "x" * 5000, "pk": "-1", "delete": "on", "status": "\x00", "organisation": "abc"}
    untouched = database_fingerprint()
    for viewer in ("admin", "practitioner"):
        _post_and_check(viewer_clients[viewer], path, junk, untouched=untouched, may_write=False)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_generated_query_strings_never_fail(name, world, viewer_clients):
    viewer, obj, params = QUERIES[name]
    client = viewer_clients[viewer]
    path = path_for(name, world.kwargs[obj] if obj else None)

    @given(query=st.dictionaries(st.sampled_from(params), st.one_of(anything, st.lists(anything, max_size=3)),
                                 min_size=1))
    def check(query):
        response = request_and_undo(client, "GET", path, query)
        assert response.status_code < 500

    for value in ALWAYS_TRIED:
        check = example(query=dict.fromkeys(params, value))(check)
    check()
