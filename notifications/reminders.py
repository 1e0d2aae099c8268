"""What is due to whom today: reminder candidates from live data, in a bounded number of queries; nothing
here writes. The stages of each schedule (windows, so a missed day still sends its step once) are in
docs/notifications.md ("Reminder stages")."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from .models import Kind

DEADLINE_WINDOW_DAYS = 14
ESCALATE_AFTER_DAYS = 30
SESSION_REMINDER_DAYS = (7, 1)
REFRESHER_EXPIRED_GRACE_DAYS = 30
EVALUATION_WITHIN_DAYS = 30
STRATEGY_GROUP_SLUG = "workforce-strategy-group"


@dataclass(frozen=True, kw_only=True)
class Candidate:
    kind: str
    recipient_id: int
    item_type: str
    item_id: int
    label: str
    url: str
    due_date: dt.date | None
    stage: str
    reason: str
    cc: tuple[str, ...] = ()
    digest: bool = True  # one notification per person per day gathering every item; False: one per item
    sort: tuple = field(default=(), compare=False)

    @property
    def key(self) -> str:
        due = self.due_date.isoformat() if self.due_date else "-"
        return f"{self.kind}|{self.recipient_id}|{self.item_type}:{self.item_id}|{due}|{self.stage}"


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _url(name: str, *args, fallback: str = "portal:home") -> str:
    try:
        return _absolute(reverse(name, args=args))
    except NoReverseMatch:
        return _absolute(reverse(fallback))


_PK = 987654321


@functools.lru_cache(maxsize=32)
def _url_pattern(name: str, fallback: str) -> str:
    """An absolute URL with "{}" where the object's id goes: one reverse() per sweep, not one per item."""
    try:
        return _absolute(reverse(name, args=[_PK])).replace(str(_PK), "{}")
    except NoReverseMatch:
        return _absolute(reverse(fallback)).replace("{", "{{").replace("}", "}}")


def _object_url(name: str, pk: int, fallback: str = "portal:home") -> str:
    return _url_pattern(name, fallback).format(pk)


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


# --- Deadlines ----------------------------------------------------------------------------------


def deadline_stage(*, due: dt.date, day: dt.date) -> tuple[str, str] | None:
    """The lead's reminder step for something due on `due`, seen on `day`: (stage, reason) or None."""
    until = (due - day).days
    if until > DEADLINE_WINDOW_DAYS:
        return None
    if until >= 8:
        return "due-14", f"due in {_days(until)}"
    if until >= 2:
        return "due-7", f"due in {_days(until)}"
    if until == 1:
        return "due-1", "due tomorrow"
    if until == 0:
        return "due-1", "due today"
    overdue = -until
    week = (overdue - 1) // 7
    if week == 0:
        return "overdue", "overdue"
    return f"overdue-w{week}", f"still overdue ({_days(overdue)})"


def escalation_stage(*, due: dt.date, day: dt.date) -> tuple[str, str] | None:
    """The chair's step: overdue for more than 30 days, on day 31 and weekly after."""
    overdue = (day - due).days
    if overdue <= ESCALATE_AFTER_DAYS:
        return None
    week = (overdue - ESCALATE_AFTER_DAYS - 1) // 7
    return f"escalated-w{week}", f"escalated to chair: overdue {_days(overdue)}"


def strategy_group_chairs(*, day: dt.date) -> list[int]:
    """User ids of the Workforce Strategy Group's current chair(s) who have portal accounts."""
    from partners import selectors as partner_selectors

    memberships = getattr(partner_selectors, "memberships_current", None)
    if memberships is None:
        return []
    return list(
        memberships(on=day)
        .filter(body__slug=STRATEGY_GROUP_SLUG, role__iexact="chair", user__isnull=False)
        .values_list("user_id", flat=True)
    )


def deadline_candidates(*, day: dt.date) -> list[Candidate]:
    """Open actions and milestones of the active plan due within 14 days or overdue, for each lead, and the
    long-overdue ones for the chair. Four queries, plain values (docs/notifications.md, "Reminder stages")."""
    from actions import selectors as plan
    from actions.models import Action, Milestone

    strategy = plan.plan_active()
    if strategy is None:
        return []
    end = day + dt.timedelta(days=DEADLINE_WINDOW_DAYS)
    open_actions = Action.objects.filter(plan.open_q(), strategy=strategy)
    leads: dict[int, list[int]] = defaultdict(list)
    for action_id, user_id in Action.leads.through.objects.filter(action__in=open_actions).values_list(
        "action_id", "user_id"
    ):
        leads[action_id].append(user_id)
    chairs = strategy_group_chairs(day=day)
    out: list[Candidate] = []

    def add(item_type, item_id, label, action_id, due, sort):
        url = _object_url("actions:action_detail", action_id)
        stage = deadline_stage(due=due, day=day)
        escalation = escalation_stage(due=due, day=day)
        # A chair who also leads the item hears of it once, as chair (it says more: escalated, and who leads).
        told_as_chair = set(chairs) if escalation is not None else set()
        if stage is not None:
            for lead_id in leads.get(action_id, ()):
                if lead_id not in told_as_chair:
                    out.append(Candidate(kind=Kind.DEADLINE_REMINDER, recipient_id=lead_id, item_type=item_type,
                                         item_id=item_id, label=label, url=url, due_date=due, stage=stage[0],
                                         reason=stage[1], sort=sort))
        if escalation is not None:
            for chair_id in chairs:
                out.append(Candidate(kind=Kind.DEADLINE_REMINDER, recipient_id=chair_id, item_type=item_type,
                                     item_id=item_id, label=label, url=url, due_date=due, stage=escalation[0],
                                     reason=escalation[1], sort=sort))

    for pk, code, title, due, sort_key in open_actions.filter(due_date__lte=end).values_list(
        "pk", "code", "title", "due_date", "sort_key"
    ):
        add("action", pk, f"Action {code}: {title}", pk, due, (due, sort_key))
    for pk, title, due, action_id, code, sort_key in (
        Milestone.objects.filter(action__in=open_actions, done_date__isnull=True, due_date__lte=end)
        .values_list("pk", "title", "due_date", "action_id", "action__code", "action__sort_key")
    ):
        add("milestone", pk, f"Milestone of action {code}: {title}", action_id, due, (due, sort_key))
    return out


# --- Sessions -----------------------------------------------------------------------------------


def _local_day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
    return start, dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)


def session_stage(*, starts_on: dt.date, day: dt.date) -> tuple[str, str] | None:
    """The attendee's reminder step for a session starting on `starts_on`, seen on `day`: (stage, reason)
    or None. Windows: 2–7 days before is "7 days", the day before and the day itself "1 day"."""
    before = (starts_on - day).days
    if before < 0 or before > SESSION_REMINDER_DAYS[0]:
        return None
    if before >= 2:
        return f"session-{SESSION_REMINDER_DAYS[0]}", f"in {_days(before)}"
    return f"session-{SESSION_REMINDER_DAYS[1]}", "tomorrow" if before == 1 else "today"


def session_candidates(*, day: dt.date) -> list[Candidate]:
    """Confirmed places on scheduled sessions starting within 7 days, each at its step (session_stage); one
    query. Waiting, pending and cancelled places are not reminded; the line manager copied where the course says."""
    from training.models import Booking, Session

    not_before, _ = _local_day_bounds(day)
    if day == timezone.localdate():
        not_before = max(not_before, timezone.now())  # a session of today that has begun is past reminding
    _, end = _local_day_bounds(day + dt.timedelta(days=SESSION_REMINDER_DAYS[0]))
    bookings = Booking.objects.filter(
        status=Booking.Status.CONFIRMED,
        session__status=Session.Status.SCHEDULED,
        session__starts_at__gte=not_before,
        session__starts_at__lt=end,
    ).values_list("person_id", "session_id", "session__starts_at", "session__course__title",
                  "session__course__copy_line_manager", "person__profile__line_manager__email", "confirmed_at")
    out: list[Candidate] = []
    for person_id, session_id, starts_at, title, copy_manager, manager_email, confirmed_at in bookings:
        starts = timezone.localtime(starts_at)
        stage = session_stage(starts_on=starts.date(), day=day)
        if stage is None:
            continue
        if stage[0] == f"session-{SESSION_REMINDER_DAYS[0]}" and confirmed_at is not None:
            week_before, _ = _local_day_bounds(starts.date() - dt.timedelta(days=SESSION_REMINDER_DAYS[0]))
            if confirmed_at >= week_before:
                continue  # the place came within the week: nothing was missed, its reminder is the 1-day one
        cc = (manager_email,) if copy_manager and manager_email else ()
        out.append(Candidate(
            kind=Kind.SESSION_REMINDER, recipient_id=person_id, item_type="session", item_id=session_id,
            label=f"{title}, {starts:%A %-d %B %Y at %H:%M}", url=_object_url("training:session_detail", session_id),
            due_date=starts.date(), stage=stage[0], reason=stage[1], cc=cc, digest=False, sort=(starts,),
        ))
    return out


def session_reminder_obsolete(*, recipient_id: int, items) -> str:
    """Why a session reminder recorded by the sweep should no longer be sent ("" when it still should): the
    session was cancelled, closed or moved to another day, or the person's place is no longer confirmed.
    Checked by the sender under the notification's lock, just before sending. One query an item."""
    from training.models import Booking, Session

    for item in items:
        if item.item_type != "session":
            continue
        session = Session.objects.filter(pk=item.item_id).only("status", "starts_at").first()
        if session is None:
            return "The session was deleted before the reminder was sent."
        if session.status != Session.Status.SCHEDULED:
            return f"The session was {session.get_status_display().lower()} before the reminder was sent."
        if item.due_date is not None and timezone.localtime(session.starts_at).date() != item.due_date:
            return "The session moved to another day before the reminder was sent (its new date is reminded)."
        place = Booking.objects.filter(session_id=item.item_id, person_id=recipient_id).values_list(
            "status", flat=True).first()
        if place != Booking.Status.CONFIRMED:
            return "The place was no longer confirmed (cancelled, or waiting) when the reminder was to be sent."
    return ""


# --- Refreshers ---------------------------------------------------------------------------------


def refresher_candidates(*, day: dt.date, people=None) -> list[Candidate]:
    """People whose required training expires within 60 days, or has just expired. Four queries
    (training.compliance computes the states)."""
    try:
        from training.compliance import State, compliance_matrix
    except ImportError:  # training's compliance module not installed yet: no refresher reminders
        return []

    if people is None:
        people = get_user_model().objects.filter(is_active=True, profile__isnull=False)
    matrix = compliance_matrix(people=people, today=day)
    booked = _courses_booked(people=people, day=day)
    out: list[Candidate] = []
    for row in matrix.rows:
        for cell in row.cells:
            requirement = cell.requirement
            if requirement is None or cell.due_on is None:
                continue
            if booked.get(row.person.pk, set()) & set(requirement.course_ids):
                continue  # already booked on a session that meets it: nothing to ask of them
            if cell.state == State.DUE_SOON:
                stage, reason = "refresher-60", f"expires on {cell.due_on:%-d %B %Y}"
            elif cell.state == State.OVERDUE and (day - cell.due_on).days <= REFRESHER_EXPIRED_GRACE_DAYS:
                stage, reason = "refresher-expired", f"expired on {cell.due_on:%-d %B %Y}"
            else:
                continue
            url = (_object_url("training:course_detail", min(requirement.course_ids), fallback="training:catalogue")
                   if requirement.course_ids else _url("training:catalogue"))
            out.append(Candidate(kind=Kind.REFRESHER_REMINDER, recipient_id=row.person.pk, item_type="requirement",
                                 item_id=requirement.pk, label=requirement.title, url=url, due_date=cell.due_on,
                                 stage=stage, reason=reason, sort=(cell.due_on,)))
    return out


def _courses_booked(*, people, day: dt.date) -> dict[int, set[int]]:
    """The courses each person holds or awaits a place on, in a session still to come (one query)."""
    from training.models import Booking, Session

    start, _ = _local_day_bounds(day)
    found: dict[int, set[int]] = defaultdict(set)
    for person_id, course_id in Booking.objects.filter(
        person__in=people, status__in=[Booking.Status.CONFIRMED, Booking.Status.PENDING_APPROVAL],
        session__status=Session.Status.SCHEDULED, session__starts_at__gte=start,
    ).values_list("person_id", "session__course_id"):
        found[person_id].add(course_id)
    return found


# --- Evaluations --------------------------------------------------------------------------------


def evaluation_candidates(*, day: dt.date) -> list[Candidate]:
    """Attended places on sessions closed in the last 30 days that have no evaluation yet. One query."""
    from training.models import Booking, Session

    since, _ = _local_day_bounds(day - dt.timedelta(days=EVALUATION_WITHIN_DAYS))
    bookings = Booking.objects.filter(
        status=Booking.Status.ATTENDED,
        session__status=Session.Status.CLOSED,
        session__ends_at__gte=since,
        evaluation__isnull=True,
    ).values_list("pk", "person_id", "session__starts_at", "session__ends_at", "session__course__title")
    out = []
    for pk, person_id, starts_at, ends_at, title in bookings:
        ended = timezone.localtime(ends_at or starts_at)
        out.append(Candidate(
            kind=Kind.EVALUATION_REQUEST, recipient_id=person_id, item_type="booking", item_id=pk,
            label=f"{title}, {timezone.localtime(starts_at):%-d %B %Y}",
            url=_object_url("training:evaluation_create", pk, fallback="training:my_training"), due_date=ended.date(),
            stage="evaluation", reason="please tell us how it went", digest=False, sort=(ended,),
        ))
    return out


def candidates_for(*, day: dt.date) -> list[Candidate]:
    return [
        *deadline_candidates(day=day),
        *session_candidates(day=day),
        *refresher_candidates(day=day),
        *evaluation_candidates(day=day),
    ]


def subject_for(kind: str, items: Iterable[Candidate]) -> str:
    items = list(items)
    first = items[0]
    if kind == Kind.DEADLINE_REMINDER:
        if len(items) == 1:
            return f"Action plan reminder: {first.label} is {first.reason}"[:300]
        return f"Action plan reminder: {len(items)} actions and milestones need your attention"
    if kind == Kind.SESSION_REMINDER:
        return f"Reminder: {first.label}"[:300]
    if kind == Kind.REFRESHER_REMINDER:
        if len(items) == 1:
            return f"Your training needs refreshing: {first.label} ({first.reason})"[:300]
        return f"Your training needs refreshing: {len(items)} courses"
    if kind == Kind.EVALUATION_REQUEST:
        return f"How was it? Evaluate {first.label}"[:300]
    return first.label[:300]
