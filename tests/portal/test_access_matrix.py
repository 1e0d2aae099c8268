"""The access matrix: every URL pattern the resolver knows, visited by an anonymous visitor, one person in
each of the six roles and the lead of another organisation, with the status each must get.

Every page that takes an id or a slug is visited with an object that belongs to somebody else (Olive
Owner, who is in no viewer's team, or another organisation); a few pages again with the viewer's own
object (`name@label`) to show the 404 comes from ownership, not from a broken page. A World.kwargs
entry may carry a query string under "_query". A URL without an
entry here fails `test_every_url_has_an_entry`; adding one is one line in MATRIX (portal pages) or
ADMIN_MODELS (a model registered in the Django admin).

POST: a page's third element is its POST row. A page without one is still posted to, as each viewer, with its
valid submission from tests/portal/test_bad_input.py's FORMS (or junk, for a page that takes no form): everyone
the GET refuses must get the same refusal to the POST, and the database must not change (a view that checks
permissions on GET but not on POST fails here); what the POST does for those let in is left to the forms' tests.
So a new URL is posted to as well as read, with nothing to add here.

Columns: anon, practitioner, line manager, training coordinator, strategy group member, Board member,
administrator, the lead of another organisation (a practitioner who leads Elsewhere Nursery).
The viewers each hold one role, in Home Council; the world is in tests/portal/world.py.
"""

import pytest
from django.contrib import admin

from tests.portal.crawl import (
    AD,
    ANY,
    BAD,
    FORBIDDEN,
    GO,
    IN,
    NA,
    NF,
    OK,
    REFUSALS,
    database_fingerprint,
    outcome,
    path_for,
    request_and_undo,
    tables_changed,
    url_patterns,
)
from tests.portal.world import VIEWERS

pytestmark = pytest.mark.django_db  # the world (tests/portal/conftest.py) is made once per module

# fmt: off
# --- Rows that many pages share ------------------------------------------------------------------------
#                anon prac mgr  coord strat board admin lead
PUBLIC       = (OK,  OK,  OK,  OK,   OK,   OK,   OK,   OK)
EVERYONE     = (IN,  OK,  OK,  OK,   OK,   OK,   OK,   OK)   # anyone signed in
NOBODY       = (IN,  NF,  NF,  NF,   NF,   NF,   NF,   NF)   # somebody else's: nobody here may see it
ADMIN_ONLY   = (IN,  NF,  NF,  NF,   NF,   NF,   OK,   NF)
COORDINATORS = (IN,  NF,  NF,  OK,   NF,   NF,   OK,   NF)
EDITORS      = (IN,  NF,  NF,  NF,   OK,   NF,   OK,   NF)   # the action plan's editors
READERS      = (IN,  NF,  NF,  NF,   OK,   OK,   OK,   NF)   # every plan, draft and archived too
MANAGERS     = (IN,  NF,  OK,  NF,   NF,   NF,   OK,   NF)   # line managers
PEOPLE_LEADS = (IN,  NF,  NF,  NF,   NF,   NF,   OK,   OK)   # administrators and organisation leads
POST_ONLY    = (IN,  NA,  NA,  NA,   NA,   NA,   NA,   NA)   # @login_required, then @require_POST
POST_FIRST   = (NA,  NA,  NA,  NA,   NA,   NA,   NA,   NA)   # @require_POST outermost
SIGNED_IN_GO = (IN,  GO,  GO,  GO,   GO,   GO,   GO,   GO)
ALL_GO       = (GO,  GO,  GO,  GO,   GO,   GO,   GO,   GO)
ADMIN_GO     = (IN,  NF,  NF,  NF,   NF,   NF,   GO,   NF)
COORD_GO     = (IN,  NF,  NF,  GO,   NF,   NF,   GO,   NF)
EDITORS_GO   = (IN,  NF,  NF,  NF,   GO,   NF,   GO,   NF)
COORD_POST   = (IN,  NF,  NF,  NA,   NF,   NF,   NA,   NF)   # role checked first, then @require_POST
ADMIN_POST   = (IN,  NF,  NF,  NF,   NF,   NF,   NA,   NF)
ADMIN_ANSWER = (IN,  NF,  NF,  NF,   NF,   NF,   OK,   NF)   # a POST the page refuses, saying why
REPORTS      = READERS  # Board reports: Board members, the strategy group and administrators (issue 6)
TWO_FACTOR   = COORDINATORS  # offered to administrators and training coordinators only
STAFF        = (AD,  AD,  AD,  AD,   AD,   AD,   OK,   AD)   # the Django admin
# The API (api/): the same rules as the pages, in the API's words: 401 (not signed in) where a page sends to
# sign-in, 201 for what was made. Signed in through the browser here; test_api_by_token sends tokens instead.
UNAUTH, MADE = 401, 201
API_EVERYONE = (UNAUTH, OK, OK,  OK,   OK,   OK,   OK,   OK)
API_NOBODY   = (UNAUTH, NF, NF,  NF,   NF,   NF,   NF,   NF)
SCIM_ONLY    = (UNAUTH, UNAUTH, UNAUTH, UNAUTH, UNAUTH, UNAUTH, UNAUTH, UNAUTH)  # an organisation's SCIM token only
API_POST     = (UNAUTH, NA, NA,  NA,   NA,   NA,   NA,   NA)   # GET of a POST-only operation; POST of a read-only one

# --- The matrix: URL name -> (the object its arguments come from, GET row[, POST row[, POST data]]) ---
# The object is a key of World.kwargs (tests/portal/world.py); None for pages without arguments.
MATRIX = {
    # portal and sign-in
    "portal:home":                         (None, EVERYONE),
    "portal:accessibility":                (None, PUBLIC),
    "portal:privacy":                      (None, PUBLIC),
    "portal:healthz":                      (None, PUBLIC),
    "login":                               (None, (OK,  GO,  GO,  GO,   GO,   GO,   GO,   GO)),
    "logout":                              (None, PUBLIC, ALL_GO),   # GET: a page with the button
    "password_change":                     (None, EVERYONE),
    "password_change_done":                (None, EVERYONE),
    "password_reset":                      (None, PUBLIC),
    "password_reset_done":                 (None, PUBLIC),
    "password_reset_confirm":              ("reset:olive", ALL_GO),
    "password_reset_complete":             (None, PUBLIC),
    # people
    "workforce:account":                   (None, EVERYONE),
    "workforce:my_profile":                (None, EVERYONE),
    "workforce:directory":                 (None, EVERYONE),
    "workforce:staff":                     (None, (IN,  NF,  OK,  NF,   NF,   NF,   OK,   OK)),
    "workforce:staff_export":              (None, (IN,  NF,  OK,  NF,   NF,   NF,   OK,   OK)),
    "workforce:person":                    ("olive", ADMIN_ONLY),
    "workforce:person@team":               ("tom", MANAGERS),
    "workforce:person@elsewhere":          ("elsewhere_staff", PEOPLE_LEADS),
    "workforce:person_edit":               ("olive", ADMIN_ONLY),
    "workforce:person_edit@elsewhere":     ("elsewhere_staff", PEOPLE_LEADS),
    "workforce:designated_role_add":       ("olive", ADMIN_ONLY),
    "workforce:designated_roles":          (None, PEOPLE_LEADS),
    "workforce:designated_role_end":       ("role:olive", ADMIN_ONLY),
    "workforce:import":                    (None, PEOPLE_LEADS),
    "workforce:import_preview":            ("batch:ada", ADMIN_ONLY),
    "workforce:import_confirm":            ("batch:ada", POST_ONLY, ADMIN_GO),
    "workforce:dashboard":                 (None, (IN,  NF,  NF,  NF,   NF,   OK,   OK,   OK)),
    "workforce:accounts_admin":            (None, ADMIN_ONLY),
    "workforce:invite":                    (None, ADMIN_ONLY),
    "workforce:account_admin":             ("olive", ADMIN_ONLY),
    "workforce:account_role_add":          ("olive", ADMIN_POST, ADMIN_GO),
    "workforce:account_role_remove":       ("account_role:olive", ADMIN_POST, ADMIN_GO),
    "workforce:account_deactivate":        ("olive", ADMIN_POST, ADMIN_GO),
    "workforce:account_reactivate":        ("leaver", ADMIN_POST, ADMIN_GO),
    "workforce:invitation_resend":         ("olive", ADMIN_POST, ADMIN_GO),
    "workforce:sign_in_pauses":            (None, ADMIN_ONLY),
    "workforce:keep_alive":                (None, (IN, 204, 204, 204, 204, 204, 204, 204)),
    "portal:branding":                     (None, ADMIN_ONLY),
    "portal:branding_css":                 (None, PUBLIC),
    "portal:branding_logo":                (None, PUBLIC),
    "workforce:sign_in_pause_lift":        ("pause:olive", ADMIN_POST, ADMIN_GO),
    "workforce:sign_in_pauses_lift_account": (None, ADMIN_POST, ADMIN_GO),
    # the partnership
    "partners:partnership":                (None, EVERYONE),
    "partners:sector":                     ("sector", EVERYONE),
    "partners:organisations":              (None, EVERYONE),
    "partners:organisation_add":           (None, ADMIN_ONLY),
    "partners:organisation_edit":          ("org:home", ADMIN_ONLY),
    "partners:sector_add":                 (None, ADMIN_ONLY),
    "partners:sector_edit":                ("sector", ADMIN_ONLY),
    "partners:governance_body_add":        (None, ADMIN_ONLY),
    "partners:governance_body_edit":       ("body", ADMIN_ONLY),
    "partners:membership_add":             ("body", ADMIN_ONLY),
    "partners:membership_end":             ("seat", ADMIN_ONLY),
    "partners:organisation":               ("org:home", EVERYONE),
    "partners:organisation@closed":        ("org:closed", NOBODY),
    "partners:governance":                 (None, EVERYONE),
    "partners:governance_body":            ("body", EVERYONE),
    # training: catalogue and bookings
    "training:catalogue":                  (None, EVERYONE),
    "training:course_detail":              ("course", EVERYONE),
    "training:course_detail@inactive":     ("course:inactive", NOBODY),
    "training:session_detail":             ("session", EVERYONE),
    "training:booking_create":             ("session", POST_ONLY, SIGNED_IN_GO),
    "training:booking_for_someone":        ("session", (IN, NF, OK, OK, NF, NF, OK, NF)),
    "training:event_detail":               ("event:slug", EVERYONE),
    "training:my_bookings":                (None, EVERYONE),
    "training:booking_cancel":             ("booking:olive", NOBODY),
    "training:booking_cancel@own":         ("booking:own", (IN, OK, NF, NF, NF, NF, NF, NF)),
    "training:booking_calendar":           ("booking:olive", NOBODY),
    "training:booking_calendar@own":       ("booking:own", (IN, OK, NF, NF, NF, NF, NF, NF)),
    "training:approvals":                  (None, MANAGERS),
    "training:approval_decide":            ("booking:olive_pending", NOBODY),
    "training:approval_decide@team":       ("booking:tom_pending", (IN, NF, OK, NF, NF, NF, NF, NF)),
    "training:booking_transfer":           ("booking:olive", NOBODY),
    "training:booking_transfer@team":      ("booking:tom_confirmed", (IN, NF, OK, NF, NF, NF, NF, NF)),
    # training: the standard, courses, events, sessions (coordinators)
    "training:standard":                   (None, COORDINATORS),
    "training:version_create":             (None, COORDINATORS),
    "training:version_detail":             ("version", COORDINATORS),
    "training:version_edit":               ("version", COORDINATORS),
    "training:version_make_current":       ("version", COORD_POST, COORD_GO),
    "training:band_create":                (None, COORDINATORS),
    "training:band_edit":                  ("band", COORDINATORS),
    "training:theme_create":               (None, COORDINATORS),
    "training:theme_edit":                 ("training_theme", COORDINATORS),
    "training:requirement_create":         (None, COORDINATORS),
    "training:requirement_edit":           ("requirement", COORDINATORS),
    "training:requirement_delete":         ("requirement", COORD_POST, COORD_GO),
    "training:manage_home":                (None, COORDINATORS),
    "training:course_list_manage":         (None, COORDINATORS),
    "training:course_create":              (None, COORDINATORS),
    "training:course_edit":                ("course", COORDINATORS),
    "training:event_list_manage":          (None, COORDINATORS),
    "training:event_create":               (None, COORDINATORS),
    "training:event_edit":                 ("event", COORDINATORS),
    "training:session_create":             (None, COORDINATORS),
    "training:session_manage":             ("session", COORDINATORS),
    "training:session_edit":               ("session", COORDINATORS),
    "training:session_cancel":             ("session", COORDINATORS),
    # training: registers (coordinators and the session's trainers: Olive), certificates, feedback, compliance
    "training:my_training":                (None, EVERYONE),
    "training:certificate_download":       ("completion:olive", COORDINATORS),
    "training:certificate_download@own":   ("completion:own", (IN, OK, NF, OK, NF, NF, OK, NF)),
    "training:evaluation_create":          ("booking:olive_attended", NOBODY),
    "training:evaluation_create@own":      ("booking:own_attended", (IN, OK, NF, NF, NF, NF, NF, NF)),
    "training:session_register":           ("session", COORDINATORS),
    "training:session_register_close":     ("session", COORD_GO, COORD_GO),
    "training:session_walk_in":            ("session:past", POST_ONLY, COORD_GO),
    "training:session_sign_in_sheet":      ("session", COORDINATORS),
    "training:session_attendees_export":   ("session", COORDINATORS),
    "training:course_evaluations":         ("course", COORDINATORS),
    "training:course_history_export":      ("course", COORDINATORS),
    "training:compliance_team":            (None, MANAGERS),
    "training:compliance_team_export":     (None, MANAGERS),
    "training:compliance_organisation":    (None, (IN, NF, NF, NF, NF, NF, NF, OK)),
    "training:compliance_organisation_export": (None, (IN, NF, NF, NF, NF, NF, NF, OK)),
    "training:compliance_all":             (None, COORDINATORS),
    "training:compliance_all_export":      (None, COORDINATORS),
    # the action plan (the active plan is open to everyone signed in; the draft to its readers)
    "actions:overview":                    (None, EVERYONE),
    "actions:strategy_list":               (None, (IN,  GO,  GO,  GO,   OK,   OK,   OK,   GO)),
    "actions:strategy_create":             (None, EDITORS),
    "actions:strategy_overview":           ("strategy:draft", READERS),
    "actions:strategy_overview@active":    ("strategy:active", EVERYONE),
    "actions:strategy_edit":               ("strategy:draft", EDITORS),
    "actions:strategy_edit@archived":      ("strategy:archived", EDITORS),   # editors may reopen it
    "actions:theme_create":                ("strategy:draft", EDITORS),
    "actions:theme_create@archived":       ("strategy:archived", NOBODY),    # an archived plan is read-only
    "actions:action_create":               ("strategy:draft", EDITORS),
    "actions:action_create@archived":      ("strategy:archived", NOBODY),
    "actions:export":                      ("export:draft", READERS),
    "actions:export@xlsx":                 ("export:draft_xlsx", READERS),
    "actions:import_upload":               ("strategy:draft", EDITORS),
    "actions:import_upload@archived":      ("strategy:archived", NOBODY),
    "actions:import_preview":              ("plan_import:sam", NOBODY),
    "actions:import_preview@own":          ("plan_import:own", (IN, NF, NF, NF, OK, NF, NF, NF)),
    "actions:theme_edit":                  ("plan_theme", EDITORS),
    "actions:theme_edit@archived":         ("plan_theme:archived", NOBODY),
    "actions:action_list":                 (None, EVERYONE),
    "actions:action_list@draft":           ("actions_of:draft", READERS),
    "actions:my_actions":                  (None, EVERYONE),
    "actions:action_detail":               ("action:draft", READERS),
    "actions:action_detail@active":        ("action:active", EVERYONE),
    "actions:action_detail@archived_led":  ("action:archived_led", (IN, OK, NF, NF, OK, OK, OK, NF)),
    "actions:action_update":               ("action:active", POST_FIRST, EDITORS_GO, "status_update"),
    "actions:action_update@led":           ("action:active_led", POST_FIRST, (IN, GO, NF, NF, GO, NF, GO, NF),
                                            "status_update"),
    "actions:action_update@archived_led":  ("action:archived_led", POST_FIRST, NOBODY, "status_update"),
    "actions:action_edit":                 ("action:draft", EDITORS),
    "actions:action_edit@archived":        ("action:archived_led", NOBODY),
    "actions:milestone_create":            ("action:draft", EDITORS),
    "actions:milestone_create@archived":   ("action:archived_led", NOBODY),
    "actions:milestone_edit":              ("milestone", EDITORS),
    "actions:milestone_edit@archived":     ("milestone:archived", NOBODY),
    "actions:milestone_delete":            ("milestone", EDITORS, EDITORS_GO),   # GET asks to confirm
    "actions:milestone_delete@archived":   ("milestone:archived", NOBODY, NOBODY),
    "actions:evidence":                    ("evidence:draft", READERS),
    # Board reports (every reader sees every report: they belong to the partnership, not to who asked)
    "actions:report_archive":              (None, REPORTS),
    "actions:report_create":               (None, EDITORS),
    "actions:report_detail":               ("board_report", REPORTS),
    "actions:report_detail@queued":        ("board_report:queued", REPORTS),
    "actions:report_status":               ("board_report", REPORTS),
    "actions:report_download":             ("board_report", REPORTS),
    "actions:report_download@queued":      ("board_report:queued", NOBODY),   # no file until it is ready
    "actions:report_regenerate":           ("board_report", POST_FIRST, EDITORS_GO),
    # data protection (administrators only; leavers' pages too)
    "privacy:index":                       (None, ADMIN_ONLY),
    "privacy:person":                      ("olive", ADMIN_ONLY),
    "privacy:person@leaver":               ("leaver", ADMIN_ONLY),
    "privacy:export_json":                 ("olive", ADMIN_ONLY),
    "privacy:export_pdf":                  ("olive", ADMIN_ONLY),
    "privacy:leave":                       ("olive", ADMIN_POST, ADMIN_GO, "leave"),
    "privacy:leave@self":                  ("self:admin", ADMIN_POST, ADMIN_ANSWER, "leave"),
    "privacy:anonymise":                   ("olive", ADMIN_ONLY, ADMIN_GO, "anonymise"),
    "privacy:anonymise@self":              ("self:admin", ADMIN_ONLY, ADMIN_ANSWER, "anonymise"),
    "privacy:retention":                   (None, ADMIN_ONLY),
    "privacy:retention_run":               (None, ADMIN_POST, ADMIN_GO),
    "privacy:runs":                        (None, ADMIN_ONLY),
    "privacy:audit":                       (None, ADMIN_ONLY),
    # two-factor sign-in: the administrator has it on (a verified session), the coordinator is setting it up
    "two_factor":                          (None, TWO_FACTOR),
    "two_factor_setup":                    (None, (IN,  NF,  NF,  OK,   NF,   NF,   GO,   NF)),
    "two_factor_verify":                   (None, SIGNED_IN_GO),   # verified already, or nothing to verify
    "two_factor_remove":                   (None, POST_ONLY, TWO_FACTOR),   # no code: the page says so
    # notifications
    "notifications:mine":                  (None, EVERYONE),
    "notifications:all":                   (None, ADMIN_ONLY),
    "notifications:resend":                ("notification:olive", POST_FIRST, ADMIN_GO),
    # API tokens (identity) and the API (api): every operation, as the matching page answers
    "identity:tokens":                     (None, EVERYONE),
    "identity:token_revoke":               ("token:olive", POST_ONLY, (IN, NF, NF, NF, NF, NF, NF, NF)),
    "identity:token_revoke@service":       ("token:service", POST_ONLY, ADMIN_GO),
    "api:api-root":                        (None, API_EVERYONE),
    "api:schema":                          (None, PUBLIC),
    "api:docs":                            (None, PUBLIC),
    "api:course-list":                     (None, API_EVERYONE),
    "api:course-detail":                   ("course", API_EVERYONE),
    "api:session-list":                    (None, API_EVERYONE),
    "api:session-detail":                  ("session", API_EVERYONE),
    "api:booking-list":                    (None, API_EVERYONE, (UNAUTH, ANY, ANY, ANY, ANY, ANY, ANY, ANY),
                                            "api_booking"),
    "api:booking-detail":                  ("booking:olive", API_NOBODY, API_POST),
    "api:booking-detail@own":              ("booking:own", (UNAUTH, OK, NF, NF, NF, NF, NF, NF), API_POST),
    # Unlike the pages, coordinators cancel for others here (issue 18: a coordinator's scope, bookings:others).
    "api:booking-cancel":                  ("booking:olive", API_POST, (UNAUTH, NF, NF, OK, NF, NF, OK, NF)),
    "api:booking-cancel@own":              ("booking:own", API_POST, (UNAUTH, OK, NF, OK, NF, NF, OK, NF)),
    "api:completion-list":                 (None, API_EVERYONE, (UNAUTH, NF, NF, BAD, NF, NF, BAD, NF)),
    "api:person-list":                     (None, (UNAUTH, NF, OK, NF, NF, NF, OK, OK), API_POST),
    "api:person-detail":                   ("elsewhere_staff", (UNAUTH, NF, NF, NF, NF, NF, OK, OK), API_POST),
    "api:action-list":                     (None, API_EVERYONE),
    "api:action-detail":                   ("action:draft", (UNAUTH, NF, NF, NF, OK, OK, OK, NF), API_POST),
    "api:action-detail@active":            ("action:active", API_EVERYONE),
    "api:action-updates":                  ("action:active", API_POST, (UNAUTH, NF, NF, NF, MADE, NF, MADE, NF),
                                            "status_update"),
    "api:action-updates@led":              ("action:active_led", API_POST, (UNAUTH, MADE, NF, NF, MADE, NF, MADE, NF),
                                            "status_update"),
    "api:action-updates@archived_led":     ("action:archived_led", API_POST, API_NOBODY, "status_update"),
    # SCIM (identity.scim): a browser session is no SCIM token; test_api_by_token sends people's tokens (404)
    "scim:config":                         ("scim:home", SCIM_ONLY),
    "scim:users":                          ("scim:home", SCIM_ONLY, SCIM_ONLY),
    "scim:user":                           ("scim_user:olive", SCIM_ONLY, SCIM_ONLY),
    "scim:groups":                         ("scim:home", SCIM_ONLY),
    "scim:group":                          ("scim_group", SCIM_ONLY),
    # the Django admin's own pages (its models' pages come from ADMIN_MODELS below)
    "admin:index":                         (None, STAFF),
    "admin:login":                         (None, (OK,  OK,  OK,  OK,   OK,   OK,   GO,   OK)),
    "admin:logout":                        (None, (GO,  GO,  GO,  GO,   GO,   GO,   NA,   GO), ALL_GO),
    "admin:password_change":               (None, STAFF),
    "admin:password_change_done":          (None, STAFF),
    "admin:autocomplete":                  (None, (AD,  AD,  AD,  AD,   AD,   AD,   FORBIDDEN, AD)),
    "admin:jsi18n":                        (None, STAFF),
    "admin:view_on_site":                  ("view_on_site", (AD, AD, AD, AD, AD, AD, NF, AD)),
    "admin:app_list":                      ("app_list", STAFF),
    "admin/(?P<url>.*)$":                  ("admin_catch_all", (AD, AD, AD, AD, AD, AD, NF, AD)),
}

# --- The Django admin's models: what an administrator may do there; everyone else is sent to sign in -----
FULL, NO_ADD, READ_ONLY, VIEW_DELETE = "view add change delete", "view change delete", "view", "view delete"
ADMIN_MODELS = {
    "auth.group":                          FULL,
    "django_celery_beat.periodictask":     FULL,
    "django_celery_beat.clockedschedule":  FULL,
    "django_celery_beat.crontabschedule":  FULL,
    "django_celery_beat.solarschedule":    FULL,
    "django_celery_beat.intervalschedule": FULL,
    "axes.accessattempt":                  VIEW_DELETE,
    "axes.accesslog":                      VIEW_DELETE,
    "axes.accessfailurelog":               VIEW_DELETE,
    "partners.sector":                     FULL,
    "partners.organisation":               FULL,
    "partners.governancebody":             FULL,
    "partners.governancemembership":       FULL,
    "workforce.user":                      FULL,
    "workforce.staffprofile":              FULL,
    # Made on the tokens page, where the secret is shown once; the admin reads and revokes (deletes) them.
    "identity.apitoken":                   NO_ADD,
    "workforce.designatedrole":            FULL,
    "workforce.importbatch":               NO_ADD,
    "training.standardversion":            FULL,
    "training.band":                       FULL,
    "training.theme":                      FULL,
    "training.course":                     FULL,
    "training.requirement":                FULL,
    "training.event":                      FULL,
    "training.session":                    FULL,
    "training.booking":                    READ_ONLY,
    "training.completion":                 FULL,
    "training.evaluation":                 FULL,
    # Changed through the plan's pages (its services keep its rules); deletable while nobody has reported on them.
    "actions.strategy":                    VIEW_DELETE,
    "actions.theme":                       VIEW_DELETE,
    "actions.action":                      VIEW_DELETE,
    "actions.statusupdate":                READ_ONLY,
    "actions.planimport":                  READ_ONLY,
    "notifications.notification":          NO_ADD,
    "notifications.notificationpreference": FULL,
    # Made and regenerated through the report pages; a ready file never changes.
    "actions.boardreport":                 READ_ONLY,
    # Set on the portal's retention page, which keeps each kind's shortest period (docs/privacy.md).
    "privacy.retentionpolicy":             READ_ONLY,
    # The record of what the retention job and administrators did about people's data.
    "privacy.retentionrun":                READ_ONLY,
    "privacy.datarequest":                 READ_ONLY,
    # A lost phone: the administrator deletes the device. Nobody sees or sets another person's secret.
    "otp_totp.totpdevice":                 VIEW_DELETE,
}
# What each of a model's admin pages needs: the changelist needs "view", the add page "add", ...
ADMIN_PAGES = {"changelist": "view", "add": "add", "change": "view", "delete": "delete", "history": "view",
               "simple_history": "view", "password_change": "change",
               "config": "see the secret", "qrcode": "see the secret"}  # django-otp's QR code of a device
# fmt: on

POST_DATA = {"status_update": {"status": "green", "percent_complete": "20", "commentary": "Going well."},
             "api_booking": lambda w: {"session": w.kwargs["session"]["pk"]},
             "leave": lambda w: {"left_on": f"{w.objects['today']:%Y-%m-%d}"}, "anonymise": {"confirm": "on"}}
JUNK = {"title": "x", "status": "green", "confirm": "on", "delete": "on"}


def _refused_as_on_get(row) -> tuple:
    """The POST row of a page that has none: the GET's refusals, and ANY for those it lets in."""
    return tuple(cell if cell in REFUSALS else ANY for cell in row)


def _valid_submission(name: str):
    """The page's valid submission (FORMS in test_bad_input.py, read when the test runs), else junk."""

    def data(world):
        from tests.portal.test_bad_input import FORMS, Post

        entry = FORMS.get(name)
        return entry.data(world) if isinstance(entry, Post) else dict(JUNK)

    return data


# --- Turning the tables into cases ------------------------------------------------------------------------


class Case:
    def __init__(self, key, method, path_of, expected, data=None):
        self.key, self.method, self.path_of, self.expected, self.data = key, method, path_of, expected, data

    def __repr__(self):
        return f"{self.method} {self.key}"


def _portal_cases() -> list[Case]:
    cases = []
    for key, (obj, get_row, *post) in MATRIX.items():
        name = key.split("@")[0]

        def path_of(world, name=name, obj=obj):
            if name == "admin/(?P<url>.*)$":
                return "/admin/no-such-page/"
            if obj == "app_list":
                return path_for(name, {"app_label": "workforce"})
            kwargs = dict(world.kwargs[obj]) if obj else {}
            query = kwargs.pop("_query", "")
            return path_for(name, kwargs) + (f"?{query}" if query else "")

        cases.append(Case(key, "GET", path_of, get_row))
        if post:
            cases.append(Case(key, "POST", path_of, post[0], POST_DATA.get(post[1]) if len(post) > 1 else None))
        elif any(cell in REFUSALS for cell in get_row) and not key.startswith("admin"):
            cases.append(Case(key, "POST", path_of, _refused_as_on_get(get_row), _valid_submission(name)))
    return cases


def _admin_model_pages() -> dict[str, tuple]:
    """{pattern key: (model, page)} for every pattern of every model registered in the admin."""
    by_prefix = {f"{m._meta.app_label}/{m._meta.model_name}/": m for m in admin.site._registry}
    pages = {}
    for pattern in url_patterns():
        model = by_prefix.get(pattern.admin_prefix)
        if model is None:
            continue
        if pattern.name is None:
            pages[pattern.key] = (model, "object_redirect")
        else:  # e.g. admin:training_course_changelist; Django's UserAdmin names its page auth_user_password_change
            kinds = [kind for kind in ADMIN_PAGES if pattern.name.endswith(f"_{kind}")]
            pages[pattern.key] = (model, max(kinds, key=len) if kinds else pattern.name)
    return pages


def _admin_object(model):
    obj = model._default_manager.order_by("pk").first()
    assert obj is not None, f"tests/portal/world.py makes no {model._meta.label} for the admin's change pages"
    return obj


def _admin_path(key: str, model, page: str) -> str:
    obj = _admin_object(model) if page not in ("changelist", "add") else None
    if page == "object_redirect":
        return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/"
    if page == "simple_history":
        record = obj.history.order_by("history_id").first()
        assert record is not None, f"{model._meta.label} {obj.pk} has no history to show"
        return path_for(key, args=[obj.pk, record.history_id])
    return path_for(key, args=[obj.pk] if obj else None)


def _admin_cases() -> list[Case]:
    cases = []
    for key, (model, page) in _admin_model_pages().items():
        label = model._meta.label_lower
        if label not in ADMIN_MODELS or page not in ADMIN_PAGES and page != "object_redirect":
            continue  # test_every_url_has_an_entry says what to add
        if page == "object_redirect":
            # /admin/<app>/<model>/<id>/ redirects an administrator to the change page.
            expected = STAFF[:6] + (GO,) + STAFF[7:]
        else:
            allowed = ADMIN_PAGES[page] in ADMIN_MODELS[label].split()
            expected = STAFF if allowed else STAFF[:6] + (FORBIDDEN,) + STAFF[7:]
        cases.append(Case(key, "GET", lambda world, k=key, m=model, p=page: _admin_path(k, m, p), expected))
    return cases


CASES = _portal_cases() + _admin_cases()


# --- The tests ---------------------------------------------------------------------------------------------


def test_every_url_has_an_entry():
    """A new page without a line in the matrix fails here, with the line to add."""
    admin_pages = _admin_model_pages()
    problems = []
    for pattern in url_patterns():
        if pattern.key in admin_pages:
            model, page = admin_pages[pattern.key]
            label = model._meta.label_lower
            if label not in ADMIN_MODELS:
                problems.append(f"{label} is registered in the admin: add it to ADMIN_MODELS, e.g. "
                                f'"{label}": FULL,')
            elif page not in ADMIN_PAGES and page != "object_redirect":
                problems.append(f"{pattern.key} is an admin page of a kind ADMIN_PAGES does not know ({page}): "
                                "add it there with the permission it needs")
        elif pattern.namespace != "admin" and pattern.name is None:
            problems.append(f"the URL pattern {pattern.route!r} has no name: name it, then add it to MATRIX")
        elif pattern.key not in MATRIX:
            problems.append(f'{pattern.key} ({pattern.route}) has no entry: add a line to MATRIX, e.g. '
                            f'"{pattern.key}": (None, EVERYONE),')
    known = {p.key for p in url_patterns()}
    problems += [f"MATRIX has {key}, which is no URL any more: remove it"
                 for key in MATRIX if key.split("@")[0] not in known]
    problems += [f"ADMIN_MODELS has {label}, which is not registered in the admin: remove it"
                 for label in ADMIN_MODELS if label not in {m._meta.label_lower for m in admin.site._registry}]
    for key, (_obj, get_row, *post) in MATRIX.items():
        if len(get_row) != len(VIEWERS) or any(len(row) != len(VIEWERS) for row in post[:1]):
            problems.append(f"{key}: each row needs {len(VIEWERS)} columns ({', '.join(VIEWERS)})")
        if NA in get_row and not post:
            problems.append(f"{key} only takes POST: give it a POST row too")
    assert not problems, "The access matrix is out of date:\n" + "\n".join(problems)


@pytest.mark.parametrize("case", CASES, ids=repr)
def test_access(case, world, viewer_clients):
    """Each viewer gets the expected answer; a POST that is refused writes nothing."""
    path = case.path_of(world)
    data = case.data(world) if callable(case.data) else case.data
    watch = case.method == "POST" and any(cell in REFUSALS for cell in case.expected)
    untouched = database_fingerprint() if watch else None
    wrong = []
    for viewer, expected in zip(VIEWERS, case.expected, strict=True):
        seen: dict = {}
        after = None
        if watch and expected in REFUSALS:
            after = lambda _response, seen=seen: seen.update(after=database_fingerprint())  # noqa: E731
        response = request_and_undo(viewer_clients[viewer], case.method, path, data, after=after)
        got = ANY if expected == ANY and response.status_code < 500 else outcome(response)
        if got != expected:
            where = f" -> {response['Location']}" if response.status_code in (301, 302) else ""
            wrong.append(f"  {viewer:>13}: expected {expected}, got {got}{where}")
        if "after" in seen and (changed := tables_changed(untouched, seen["after"])):
            wrong.append(f"  {viewer:>13}: refused, but wrote to {', '.join(changed)}")
    assert not wrong, f"{case.method} {path} ({case.key}):\n" + "\n".join(wrong)
