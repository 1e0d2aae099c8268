"""A small partnership for the access matrix and the bad-input tests: one person in each role, an
organisation lead from another organisation, and, for every page that takes an id or a slug, an object
that belongs to somebody else.

`build()` makes it; `World.kwargs[key]` are the URL arguments the matrix names by key ("olive" is the
person Olive Owner, "booking:olive" her booking, ...). Everything is made through factories and the
models, with no request, so the tests see the portal as the pages do.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from actions.models import BoardReport, Evidence, Milestone, PlanImport, StatusUpdate, Strategy
from actions.reports.quarters import quarters_between
from core.roles import Role
from notifications.models import Kind, Notification, NotificationPreference
from privacy import services as privacy_services
from privacy.models import DataRequest, RetentionRun
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory
from tests.partners.factories import GovernanceBodyFactory, GovernanceMembershipFactory, OrganisationFactory
from tests.training.factories import (
    BandFactory,
    BookingFactory,
    CompletionFactory,
    CourseFactory,
    RequirementFactory,
    SessionFactory,
    StandardVersionFactory,
)
from tests.training.factories import ThemeFactory as TrainingThemeFactory
from tests.workforce.factories import DesignatedRoleFactory, StaffProfileFactory, UserFactory
from training.models import Booking, Evaluation, Event
from workforce import services as workforce_services

# The viewers, in the matrix's column order.
VIEWERS = ["anonymous", "practitioner", "line_manager", "coordinator", "strategist", "board", "admin", "other_lead"]
ROLE_OF = {
    "practitioner": Role.PRACTITIONER,
    "line_manager": Role.LINE_MANAGER,
    "coordinator": Role.TRAINING_COORDINATOR,
    "strategist": Role.STRATEGY_GROUP_MEMBER,
    "board": Role.BOARD_MEMBER,
    "admin": Role.ADMINISTRATOR,
}

STAFF_CSV = (
    "email,first_name,last_name,organisation,job_title,workforce,service_tier,cts_band,employment,hours,start_date\n"
    "imported.person@home.example,Ivy,Imported,Home Council Children's Services,Youth worker,core,targeted,2,"
    "paid,full,2024-01-08\n"
)


@dataclass
class World:
    users: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def user(self, viewer: str):
        return self.users.get(viewer)


def _person(email: str, *roles: Role, organisation, first: str, last: str, **profile):
    user = UserFactory(email=email, first_name=first, last_name=last, roles=list(roles) or [Role.PRACTITIONER])
    StaffProfileFactory(user=user, organisation=organisation, **profile)
    return user


def build() -> World:
    w = World()
    now = timezone.now()
    today = timezone.localdate()
    _partners(w)
    _people(w, today)
    _training(w, now, today)
    _action_plan(w)
    _notifications(w, today)
    olive, sam, ada = w.objects["olive"], w.objects["sam"], w.objects["ada"]
    active = w.objects["active"]

    # --- Board reports, data protection, two-factor sign-in ---------------------------------------
    _board_reports(w, active, sam, today)
    privacy_services.retention_months_set(months={"notifications": 18}, by=ada)
    RetentionRun.objects.create(status=RetentionRun.Status.DONE, trigger=RetentionRun.Trigger.SCHEDULE,
                                finished_at=now, results=[])
    DataRequest.objects.create(kind=DataRequest.Kind.EXPORT_JSON, subject=olive, by=ada, details={"workforce": 1})
    _two_factor_devices(w, ada)
    _api_tokens(w)

    # --- Rows for the admin's change pages of the libraries' models ----------------------------------
    _library_rows(w, now)
    _branding()
    w.kwargs["view_on_site"] = {"content_type_id": ContentType.objects.get_for_model(Group).pk,
                                "object_id": Group.objects.get(name=Role.PRACTITIONER.value).pk}
    return w


def _partners(w: World) -> None:
    home = OrganisationFactory(name="Home Council Children's Services")
    elsewhere = OrganisationFactory(name="Elsewhere Nursery")
    closed = OrganisationFactory(name="Closed Charity", is_active=False)
    board = GovernanceBodyFactory(name="Partnership Board")
    seat = GovernanceMembershipFactory(body=board)
    w.objects.update(home=home, elsewhere=elsewhere, board_body=board)
    w.kwargs.update({
        "sector": {"slug": home.sector.slug},
        "org:home": {"slug": home.slug},
        "org:closed": {"slug": closed.slug},
        "body": {"slug": board.slug},
        "seat": {"pk": seat.pk},
    })


def _people(w: World, today) -> None:
    """One viewer per role (all in Home), a lead of Elsewhere, and the others."""
    home, elsewhere = w.objects["home"], w.objects["elsewhere"]
    for viewer, role in ROLE_OF.items():
        w.users[viewer] = _person(f"{viewer}@home.example", role, organisation=home, first=viewer.title(),
                                  last="Viewer")
    w.users["other_lead"] = _person("lead@elsewhere.example", Role.PRACTITIONER, organisation=elsewhere,
                                    first="Leah", last="Elsewhere", is_organisation_lead=True)
    otto = _person("otto@home.example", Role.LINE_MANAGER, organisation=home, first="Otto", last="Other-Manager")
    olive = _person("olive@home.example", Role.PRACTITIONER, organisation=home, first="Olive", last="Owner",
                    line_manager=otto)
    tom = _person("tom@home.example", Role.PRACTITIONER, organisation=home, first="Tom", last="Team",
                  line_manager=w.users["line_manager"])
    tia = _person("tia@home.example", Role.PRACTITIONER, organisation=home, first="Tia", last="Team",
                  line_manager=w.users["line_manager"])
    ada = _person("ada@home.example", Role.ADMINISTRATOR, organisation=home, first="Ada", last="Other-Admin")
    sam = _person("sam@home.example", Role.STRATEGY_GROUP_MEMBER, organisation=home, first="Sam",
                  last="Other-Strategist")
    elsewhere_staff = _person("eli@elsewhere.example", Role.PRACTITIONER, organisation=elsewhere, first="Eli",
                              last="Elsewhere-Staff")
    leaver = _person("lee@home.example", Role.PRACTITIONER, organisation=home, first="Lee", last="Leaver")
    workforce_services.person_leave(person=leaver, left_on=today - dt.timedelta(days=40), by=ada)
    w.objects.update(olive=olive, otto=otto, tom=tom, tia=tia, ada=ada, sam=sam, today=today)
    w.kwargs.update({
        "olive": {"pk": olive.pk},
        "leaver": {"pk": leaver.pk},
        "account_role:olive": {"pk": olive.pk, "role": "line-manager"},
        "self:admin": {"pk": w.users["admin"].pk},
        "tom": {"pk": tom.pk},
        "elsewhere_staff": {"pk": elsewhere_staff.pk},
        "role:olive": {"pk": DesignatedRoleFactory(person=olive, organisation=home).pk},
        "reset:olive": {"uidb64": urlsafe_base64_encode(force_bytes(olive.pk)),
                        "token": default_token_generator.make_token(olive)},
    })
    batch = workforce_services.staff_import_preview(
        name="staff.csv", data=STAFF_CSV.encode(), by=ada, organisation=None
    ).batch
    w.kwargs["batch:ada"] = {"pk": batch.pk}


def _training(w: World, now, today) -> None:
    olive, tom = w.objects["olive"], w.objects["tom"]
    version = StandardVersionFactory()
    band = BandFactory(number=3)
    theme = TrainingThemeFactory(name="Safeguarding")
    course = CourseFactory(title="Safeguarding essentials")
    course.themes.add(theme)
    requirement = RequirementFactory(version=version, band=band, courses=[course])
    inactive = CourseFactory(title="Retired course", is_active=False)
    event = Event.objects.create(name="Every Colleague Matters", slug="every-colleague-matters",
                                 starts_on=today + dt.timedelta(days=30), ends_on=today + dt.timedelta(days=34))
    upcoming = SessionFactory(course=course, event=event)
    upcoming.trainers.add(olive)
    second = SessionFactory(course=course, start=upcoming.starts_at + dt.timedelta(days=7))
    past = SessionFactory(course=course, start=timezone.localtime(now - dt.timedelta(days=20)).replace(
        hour=9, minute=30, second=0, microsecond=0))
    olive_booking = BookingFactory(session=upcoming, person=olive, status=Booking.Status.CONFIRMED)
    olive_pending = BookingFactory(session=second, person=olive, status=Booking.Status.PENDING_APPROVAL)
    olive_attended = BookingFactory(session=past, person=olive, status=Booking.Status.ATTENDED)
    Evaluation.objects.create(booking=olive_attended, rating=4, comments="Useful.")
    olive_completion = CompletionFactory(person=olive, course=course, booking=olive_attended,
                                         completed_on=past.starts_at.date(), certificate_number="CTS-WORLD-0001")
    own_booking = BookingFactory(session=upcoming, person=w.users["practitioner"], status=Booking.Status.CONFIRMED)
    own_attended = BookingFactory(session=past, person=w.users["practitioner"], status=Booking.Status.ATTENDED)
    own_completion = CompletionFactory(person=w.users["practitioner"], course=course, booking=own_attended,
                                       completed_on=past.starts_at.date(), certificate_number="CTS-WORLD-0002")
    tom_pending = BookingFactory(session=second, person=tom, status=Booking.Status.PENDING_APPROVAL)
    tom_confirmed = BookingFactory(session=upcoming, person=tom, status=Booking.Status.CONFIRMED)
    w.objects.update(course=course, upcoming=upcoming, second=second, past=past, version=version, band=band,
                     training_theme=theme, requirement=requirement, event=event, own_attended=own_attended)
    w.kwargs.update({
        "version": {"pk": version.pk},
        "band": {"pk": band.pk},
        "training_theme": {"pk": theme.pk},
        "requirement": {"pk": requirement.pk},
        "course": {"pk": course.pk},
        "course:inactive": {"pk": inactive.pk},
        "event": {"pk": event.pk},
        "event:slug": {"slug": event.slug},
        "session": {"pk": upcoming.pk},
        "session:past": {"pk": past.pk},
        "session:second": {"pk": second.pk},
        "booking:olive": {"pk": olive_booking.pk},
        "booking:olive_pending": {"pk": olive_pending.pk},
        "booking:olive_attended": {"pk": olive_attended.pk},
        "booking:own": {"pk": own_booking.pk},
        "booking:own_attended": {"pk": own_attended.pk},
        "booking:tom_pending": {"pk": tom_pending.pk},
        "booking:tom_confirmed": {"pk": tom_confirmed.pk},
        "completion:olive": {"pk": olive_completion.pk},
        "completion:own": {"pk": own_completion.pk},
    })


def _action_plan(w: World) -> None:
    olive, sam = w.objects["olive"], w.objects["sam"]
    active = StrategyFactory(title="Active plan", status=Strategy.Status.ACTIVE)
    active_theme = ThemeFactory(strategy=active, code="1")
    active_action = ActionFactory(theme=active_theme, code="1.1", leads=[olive])
    draft = StrategyFactory(title="Draft plan", status=Strategy.Status.DRAFT)
    draft_theme = ThemeFactory(strategy=draft, code="1")
    draft_action = ActionFactory(theme=draft_theme, code="1.1", leads=[olive])
    archived = StrategyFactory(title="Archived plan", status=Strategy.Status.ARCHIVED)
    archived_theme = ThemeFactory(strategy=archived, code="1")
    archived_action = ActionFactory(theme=archived_theme, code="1.1", leads=[w.users["practitioner"]])
    archived_milestone = Milestone.objects.create(action=archived_action, title="Archived milestone")
    led_action = ActionFactory(theme=active_theme, code="1.2", leads=[w.users["practitioner"]])
    milestone = Milestone.objects.create(action=draft_action, title="Draft milestone")
    update = StatusUpdate.objects.create(action=draft_action, status="green", percent_complete=10,
                                         commentary="Started.", created_by=olive)
    evidence = Evidence(update=update, original_name="minutes.pdf", content_type="application/pdf", size=9)
    evidence.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    plan_import = PlanImport.objects.create(strategy=draft, uploaded_by=sam, filename="plan.csv", rows=[
        {"_row": 2, "Theme code": "1", "Action code": "1.9", "Title": "Imported action"}])
    own_import = PlanImport.objects.create(strategy=draft, uploaded_by=w.users["strategist"], filename="mine.csv",
                                           rows=[{"_row": 2, "Theme code": "1", "Action code": "1.8",
                                                  "Title": "My imported action"}])
    w.objects.update(active=active, draft=draft, active_action=active_action, draft_action=draft_action,
                     draft_theme=draft_theme)
    w.kwargs.update({
        "strategy:active": {"pk": active.pk},
        "strategy:draft": {"pk": draft.pk},
        "export:draft": {"pk": draft.pk, "fmt": "csv"},
        "export:draft_xlsx": {"pk": draft.pk, "fmt": "xlsx"},
        "plan_theme": {"pk": draft_theme.pk},
        "action:active": {"pk": active_action.pk},
        "action:draft": {"pk": draft_action.pk},
        "action:archived_led": {"pk": archived_action.pk},
        "strategy:archived": {"pk": archived.pk},
        "plan_theme:archived": {"pk": archived_theme.pk},
        "milestone:archived": {"pk": archived_milestone.pk},
        "action:active_led": {"pk": led_action.pk},
        "actions_of:draft": {"_query": f"strategy={draft.pk}"},
        "milestone": {"pk": milestone.pk},
        "evidence:draft": {"pk": evidence.pk},
        "plan_import:sam": {"pk": plan_import.pk},
        "plan_import:own": {"pk": own_import.pk},
    })


def _notifications(w: World, today) -> None:
    olive = w.objects["olive"]
    notification = Notification.objects.create(
        recipient=olive, kind=Kind.choices[0][0], subject="A reminder for Olive", dedupe_key="world-olive-1",
        for_date=today, status=Notification.Status.FAILED, error="Mail server refused",
    )
    NotificationPreference.objects.create(person=olive, kind=_optional_kind(), enabled=False)
    w.kwargs["notification:olive"] = {"pk": notification.pk}


def _board_reports(w: World, strategy, by, today) -> None:
    """Sam's reports on the active plan: an earlier quarter's, ready (with its file), and the latest
    started quarter's, still queued. Board reports belong to nobody: every reader sees every one."""
    quarters = quarters_between(strategy.period_start, min(today, strategy.period_end))
    content = b"%PDF-1.7\n% a Board report for the access matrix\n"
    ready = BoardReport(strategy=strategy, period_start=quarters[1].start, period_end=quarters[1].end,
                        quarter_label=quarters[1].label, recommendations="That the Board notes progress.",
                        requested_by=by, status=BoardReport.Status.READY, size=len(content),
                        sha256=hashlib.sha256(content).hexdigest(), finished_at=timezone.now())
    ready.file.save("report.pdf", ContentFile(content), save=True)
    queued = BoardReport.objects.create(strategy=strategy, period_start=quarters[0].start,
                                        period_end=quarters[0].end, quarter_label=quarters[0].label, requested_by=by)
    w.objects.update(quarter=quarters[0])
    w.kwargs.update({"board_report": {"pk": ready.pk}, "board_report:queued": {"pk": queued.pk}})


def _two_factor_devices(w: World, ada) -> None:
    """Ada's authenticator (the first the admin lists: somebody else's), the administrator viewer's (their
    client's session is verified, tests/portal/conftest.py) and one the coordinator started setting up."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=ada, name="Authenticator app", confirmed=True)
    w.objects["admin_device"] = TOTPDevice.objects.create(user=w.users["admin"], name="Authenticator app",
                                                          confirmed=True)
    w.objects["coordinator_pending_device"] = TOTPDevice.objects.create(
        user=w.users["coordinator"], name="Authenticator app", confirmed=False
    )


def _optional_kind() -> str:
    from notifications.models import OPTIONAL_KINDS

    return OPTIONAL_KINDS[0].value


def _branding() -> None:
    """The partnership's look with a logo, so its public address answers."""
    import io

    from PIL import Image

    from portal.models import Branding

    logo = io.BytesIO()
    Image.new("RGB", (4, 4), (0, 80, 60)).save(logo, format="PNG")
    Branding.objects.create(name="Home Partnership Portal", accent="#00703c", logo=logo.getvalue(),
                            logo_type="image/png", logo_alt="Home Partnership")


def _library_rows(w: World, now) -> None:
    """One row for each model the admin shows that our apps do not make (Celery beat, django-axes)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_celery_beat.models import (
        ClockedSchedule,
        CrontabSchedule,
        IntervalSchedule,
        PeriodicTask,
        SolarSchedule,
    )

    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    PeriodicTask.objects.create(name="world task", task="workforce.tasks.sessions_clear_expired", interval=interval)
    CrontabSchedule.objects.create(minute="0", hour="7")
    SolarSchedule.objects.create(event="sunrise", latitude=53.8, longitude=-1.5)
    ClockedSchedule.objects.create(clocked_time=now)
    common = {"user_agent": "pytest", "ip_address": "192.0.2.1", "username": "olive@home.example"}
    attempt = AccessAttempt.objects.create(**common, get_data="", post_data="", failures_since_start=1)
    w.kwargs["pause:olive"] = {"pk": attempt.pk}
    AccessLog.objects.create(**common)
    AccessFailureLog.objects.create(**common, locked_out=False)


def _api_tokens(w: World) -> None:
    from identity.services import token_create

    olive = token_create(by=w.objects["olive"], name="Olive's sync", scopes=["read"]).token
    service = token_create(by=w.users["admin"], name="Elsewhere LMS", scopes=["read", "completions:write"],
                           organisation=w.objects["elsewhere"]).token
    home = w.objects["home"]
    w.kwargs.update({"token:olive": {"pk": olive.pk}, "token:service": {"pk": service.pk},
                     "scim:home": {"org": home.pk}, "scim_user:olive": {"org": home.pk, "pk": w.objects["olive"].pk},
                     "scim_group": {"org": home.pk, "slug": "practitioner"}})
