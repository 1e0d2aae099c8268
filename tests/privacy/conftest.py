"""A person with something in every app, built through the apps' own services where they exist."""

import datetime as dt
from dataclasses import dataclass

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from actions.models import BoardReport, PlanImport, Strategy
from actions.services import action_status_update
from core.roles import Role
from notifications.models import Notification, NotificationItem
from notifications.services import preferences_set
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory
from tests.partners.factories import GovernanceMembershipFactory, OrganisationFactory
from tests.training.factories import CompletionFactory, CourseFactory, SessionFactory
from training.models import Booking, BookingEvent, Evaluation
from training.services import booking_create
from workforce.models import ImportBatch, User
from workforce.services import designated_role_add, staff_profile_update, user_account_update


@dataclass
class Someone:
    user: User
    first: str
    last: str
    phone: str
    ref: str

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


def build_person(make_user, *, first: str, last: str, phone: str, ref: str, admin: User) -> Someone:
    """Someone with an account, profile, role, seat, bookings, a waiting list, a completion with a certificate,
    an evaluation, an action they lead and an update they wrote, notifications, a choice, an import row naming
    them, sign-in records and an admin log entry. Their name is also written into free text of each app."""
    email = f"{first}.{last}@example.org".lower()
    user = make_user(Role.PRACTITIONER, Role.LINE_MANAGER, email=email, first_name=first, last_name=last)
    name = f"{first} {last}"
    user_account_update(user=user, first_name=first, last_name=last, phone=phone)
    organisation = OrganisationFactory()
    staff_profile_update(person=user, by=admin, organisation=organisation, job_title=f"Play lead ({last} team)",
                         employee_ref=ref)  # fmt: skip
    designated_role_add(person=user, kind="dso", organisation=organisation, start_date=dt.date(2025, 1, 1),
                        notes=f"{name} covers Tuesdays", by=admin)  # fmt: skip
    GovernanceMembershipFactory(user=user, external_name="", external_job_title="", external_email="",
                                external_phone="", role="Vice-chair")  # fmt: skip

    # Training: a booking through the service (with its status history), a waiting list, an attended session
    # with a completion, certificate and evaluation.
    upcoming = SessionFactory(notes=f"Ask {name} about parking")
    booking_create(session=upcoming, person=user, by=user)
    full = SessionFactory(capacity=1, start=timezone.localtime() + dt.timedelta(days=40))
    Booking.objects.create(session=full, person=make_user(), status=Booking.Status.CONFIRMED)
    booking_create(session=full, person=user, by=user)
    past = SessionFactory(start=timezone.now() - dt.timedelta(days=60))
    attended = Booking.objects.create(session=past, person=user, status=Booking.Status.ATTENDED)
    BookingEvent.objects.create(booking=attended, by=admin, from_status="confirmed", to_status="attended",
                                note=f"{name} arrived late")  # fmt: skip
    CompletionFactory(person=user, course=past.course, booking=attended, certificate_number=f"CTS-2026-{user.pk:05d}",
                      notes=f"Signed off for {name}")  # fmt: skip
    Evaluation.objects.create(booking=attended, rating=4, comments=f"Good. {name}, {email}")
    CompletionFactory(person=user, course=CourseFactory())

    # Action plan: they lead an action in the active plan (a lead posts only there) and wrote an update; a plan
    # import that named them.
    active = Strategy.objects.filter(status=Strategy.Status.ACTIVE).first() or StrategyFactory(
        status=Strategy.Status.ACTIVE)
    action = ActionFactory(theme=ThemeFactory(strategy=active), leads=[user], description=f"Led by {name}")
    action_status_update(by=user, action=action, status="green", percent_complete=20,
                         commentary=f"{name} met the schools forum.")  # fmt: skip
    PlanImport.objects.create(strategy=action.strategy, uploaded_by=admin, filename="plan.xlsx",
                              rows=[{"code": "9.9", "leads": email}])  # fmt: skip
    # A Board report they asked for, with their name and address as its author and contact.
    BoardReport.objects.create(strategy=StrategyFactory(), period_start=dt.date(2026, 1, 1),
                               period_end=dt.date(2026, 3, 31), quarter_label="Q4 2025/26", requested_by=user,
                               author=f"{name}, Play lead", contact=email,
                               recommendations=f"That the Board thanks {name}.")  # fmt: skip

    # Notifications: one to them, one copying them in; a choice switched off.
    notification = Notification.objects.create(
        recipient=user, kind="session_reminder", subject=f"Reminder for {name}", dedupe_key=f"k-{user.pk}",
        for_date=timezone.localdate(), status="sent", sent_at=timezone.now(),
    )  # fmt: skip
    NotificationItem.objects.create(notification=notification, key=f"i-{user.pk}", item_type="session",
                                    item_id=upcoming.pk, label=str(upcoming), reason="tomorrow")  # fmt: skip
    Notification.objects.create(recipient=admin, kind="session_reminder", subject="Reminder", cc=[email],
                                dedupe_key=f"cc-{user.pk}", for_date=timezone.localdate())  # fmt: skip
    preferences_set(person=user, enabled_kinds=["session_reminder"])

    # A staff import that named them (and someone else in the same file).
    ImportBatch.objects.create(uploaded_by=admin, filename="staff.csv", status="confirmed", rows=[
        {"line": 2, "values": {"email": email, "first_name": first, "last_name": last, "employee_ref": ref},
         "outcome": "new", "changes": []},
        {"line": 3, "values": {"email": "unrelated@example.org", "first_name": "Una", "last_name": "Related"},
         "outcome": "new", "changes": []},
    ])  # fmt: skip

    # Sign-in records (django-axes) and the Django admin's log.
    AccessLog.objects.create(username=email, ip_address="127.0.0.1", user_agent="pytest", http_accept="*/*",
                             path_info="/accounts/sign-in/")  # fmt: skip
    AccessAttempt.objects.create(username=email, ip_address="127.0.0.1", user_agent="pytest", http_accept="*/*",
                                 path_info="/accounts/sign-in/", get_data="next=/plan/",
                                 post_data=f"csrfmiddlewaretoken=Tok3nOfTheSession\nusername={email}\n"
                                           "password=********************\n---------\n"
                                           "csrfmiddlewaretoken=An0therT0ken\nusername=" + email.upper()
                                           + "\nnew_password=typed-in-the-wrong-box",
                                 failures_since_start=2)  # fmt: skip
    LogEntry.objects.create(user=admin, content_type=ContentType.objects.get_for_model(User), object_id=str(user.pk),
                            object_repr=name, action_flag=CHANGE, change_message="Changed phone.")  # fmt: skip
    TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=True)
    user.refresh_from_db()
    return Someone(user=user, first=first, last=last, phone=phone, ref=ref)


@pytest.fixture
def admin(make_user):
    return make_user(Role.ADMINISTRATOR, first_name="Ada", last_name="Admin", email="ada.admin@example.org")


@pytest.fixture
def olwen(make_user, admin):
    return build_person(make_user, first="Olwen", last="Trevelyan", phone="07700 900123", ref="HR-55501", admin=admin)


@pytest.fixture
def other(make_user, admin):
    return build_person(make_user, first="Bronwen", last="Kittering", phone="07700 900456", ref="HR-77702", admin=admin)
