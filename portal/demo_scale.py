"""A partnership `scale` times the demo's size on top of the demo (`seed_demo --scale N`; 100 is the real
partnership): reproducible, bulk-inserted in one transaction, run once per database (docs/portal.md)."""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import CharField, F, Value
from django.db.models.functions import Cast, Concat, ExtractYear, LPad
from django.utils import timezone
from django.utils.text import slugify

from actions.models import Action, Milestone, StatusUpdate, Strategy, code_sort_key
from actions.models import Theme as PlanTheme
from core.roles import Role
from partners.models import Organisation, Sector
from training.demo import session_slots
from training.models import (
    Booking,
    BookingEvent,
    Completion,
    Course,
    Evaluation,
    Requirement,
    Session,
    SessionDate,
    Theme,
)
from workforce.demo import FIRST_NAMES, LAST_NAMES, SECTOR_JOBS
from workforce.models import StaffProfile, User

DOMAIN = "scale.example"
BATCH = 2_000
LONDON = ZoneInfo("Europe/London")
SEED = 20_260_801


DEMO = {"organisations": 27, "staff": 198, "courses": 26, "sessions": 86, "bookings": 145, "actions": 44,
        "milestones": 31}


@dataclass(frozen=True)
class Sizes:
    """How many of each the partnership holds at a scale (the demo's rows included)."""

    organisations: int
    staff: int
    courses: int
    sessions: int
    bookings: int
    actions: int
    milestones: int

    @classmethod
    def at(cls, scale: float) -> Sizes:
        # Per unit of scale: a hundredth of the real partnership. Never below the demo (scale 1): DEMO holds the
        # demo's own counts (tests/portal/test_seed_demo.py checks them against what seed_demo loads).
        per_unit = {"organisations": 3, "staff": 250, "courses": 10, "sessions": 50, "bookings": 1_000,
                    "actions": 100, "milestones": 100}  # fmt: skip
        if scale <= 1:
            return cls(**DEMO)
        return cls(**{name: max(DEMO[name], round(unit * scale)) for name, unit in per_unit.items()})


class ScaleMismatch(Exception):
    pass


def seed(*, scale: float, stdout=None) -> None:
    """Grow the demo partnership to `scale` (see the module's docstring). Call after the demo is seeded."""
    if scale <= 1:
        return
    sizes = Sizes.at(scale)
    generated = User.objects.filter(email__endswith=f"@{DOMAIN}").count()
    existing = {
        "organisations": Organisation.objects.count(), "staff": StaffProfile.objects.count(),
        "courses": Course.objects.count(), "sessions": Session.objects.count(),
        "bookings": Booking.objects.count(), "actions": Action.objects.count(),
    }  # fmt: skip
    if generated:
        if all(existing[name] == getattr(sizes, name) for name in existing):
            _say(stdout, f"Scale {scale:g}: already seeded, nothing to add.")
            return
        raise ScaleMismatch(
            "This database already holds generated data of another scale ("
            + ", ".join(f"{n:,} {name}" for name, n in existing.items())
            + "). Seed a new, empty database for another scale."
        )
    rng = random.Random(SEED)
    began = time.perf_counter()

    def step(label: str) -> None:
        _say(stdout, f"  {label}: {time.perf_counter() - began:.1f} s")

    def more(name: str, have: int | None = None) -> int:
        return max(0, getattr(sizes, name) - (existing[name] if have is None else have))

    with transaction.atomic():
        organisations = _organisations(rng, more("organisations"))
        people = _staff(rng, organisations, more("staff"))
        step("organisations and people")
        _courses(rng, more("courses"))
        sessions = _sessions(rng, more("sessions"))
        step("courses and sessions")
        _bookings(rng, sessions, people, more("bookings"))
        step("bookings, completions and feedback")
        _history_completions(rng, people)
        step("earlier completions")
        _plan(rng, people, more("actions"), more("milestones", Milestone.objects.count()))
        step("action plan")
    _say(stdout, f"Scale {scale:g}: {Organisation.objects.count():,} organisations, "
                 f"{StaffProfile.objects.count():,} staff, {Course.objects.count():,} courses, "
                 f"{Session.objects.count():,} sessions, {Booking.objects.count():,} bookings, "
                 f"{Completion.objects.count():,} completions, {Action.objects.count():,} actions, "
                 f"{Milestone.objects.count():,} milestones.")


def _say(stdout, text: str) -> None:
    if stdout is not None:
        stdout.write(text)


# --- Organisations and people ---------------------------------------------------------------------------

PLACES = [
    "Ashby Vale", "Brookfield", "Castlegate", "Dunmore", "Elmhurst", "Fairholme", "Glenbrook", "Hollin Park",
    "Ivybridge Road", "Juniper Hill", "Kingsmere", "Larkfield", "Millbrook", "Netherby", "Oakridge",
    "Pennington", "Queensway", "Redbank", "Southmead", "Thornbury", "Upton Lea", "Westcliffe", "Yarrow Green",
    "Abbeyfields", "Birchwood", "Coldwell", "Dovecote", "Eastfold", "Foxley", "Greystones",
]  # fmt: skip
KINDS = {
    "Social Care": [("Children's Home", "pvi"), ("Fostering Service", "commissioned"),
                    ("Family Centre", "statutory"), ("Residential Care", "pvi")],
    "Health": [("Medical Practice", "commissioned"), ("Health Visiting Team", "statutory"),
               ("CAMHS Team", "statutory"), ("Community Dental Service", "commissioned")],
    "Schools": [("Primary School", "statutory"), ("Academy", "statutory"), ("High School", "statutory"),
                ("Infant School", "statutory"), ("Pupil Referral Unit", "statutory")],
    "Youth Support": [("Youth Centre", "statutory"), ("Youth Club", "voluntary"), ("Careers Hub", "commissioned")],
    "Justice and Crime Prevention": [("Youth Justice Hub", "statutory"), ("Restorative Practice Project",
                                                                            "voluntary")],
    "Early Years": [("Day Nursery", "pvi"), ("Pre-school", "voluntary"), ("Children's Centre", "statutory"),
                    ("Childminding Network", "pvi")],
    "Voluntary and Community": [("Family Trust", "voluntary"), ("Community Association", "voluntary"),
                                ("Parents' Forum", "voluntary")],
    "Sports and Culture": [("Leisure Centre", "commissioned"), ("Library", "statutory"),
                           ("Arts Centre", "voluntary")],
}  # fmt: skip


def _bulk(model, rows, batch_size: int = BATCH):
    return model.objects.bulk_create(rows, batch_size=batch_size)


def _organisations(rng: random.Random, count: int) -> list[Organisation]:
    sectors = {s.name: s for s in Sector.objects.all()}
    names = [(f"{place} {kind}", sector, org_type) for sector, kinds in KINDS.items() if sector in sectors
             for kind, org_type in kinds for place in PLACES]  # fmt: skip
    taken = set(Organisation.objects.values_list("name", flat=True))
    names = [n for n in names if n[0] not in taken]
    rng.shuffle(names)
    wanted = names[:count]
    n = 0
    while len(wanted) < count:  # more than the names give: number the rest
        n += 1
        name, sector, org_type = names[n % len(names)]
        wanted.append((f"{name} {n // len(names) + 2}", sector, org_type))
    return _bulk(Organisation, [
        Organisation(name=name, slug=slugify(name)[:200], sector=sectors[sector], org_type=org_type)
        for name, sector, org_type in wanted
    ])  # fmt: skip


def _staff(rng: random.Random, organisations: list[Organisation], count: int) -> list[User]:
    """People spread over every organisation (a few big ones, most small), a line manager for every ten, the
    first manager of each generated organisation leading it. Returns the new people (profiles loaded)."""
    if count <= 0:
        return []
    all_orgs = list(Organisation.objects.select_related("sector").order_by("pk"))
    weights = [1 / (rank + 1) ** 0.8 for rank in range(len(all_orgs))]
    rng.shuffle(weights)
    per_org = _spread(count, weights)
    unusable = make_password(None)  # generated people do not sign in
    generated = {o.pk for o in organisations}
    users, rows = [], []
    n = 0
    for org, size in zip(all_orgs, per_org, strict=True):
        manager_title, jobs = SECTOR_JOBS.get(org.sector.name, ("Manager", [("Practitioner", 3, "core", "universal")]))
        for i in range(size):
            first, last = FIRST_NAMES[rng.randrange(len(FIRST_NAMES))], LAST_NAMES[rng.randrange(len(LAST_NAMES))]
            n += 1
            is_manager = i % 10 == 0
            title, band, workforce, tier = (manager_title, 4, "core", jobs[0][3]) if is_manager else rng.choice(jobs)
            users.append(User(email=f"{first}.{last}.{n:05}@{DOMAIN}".lower(), first_name=first, last_name=last,
                              password=unusable))  # fmt: skip
            rows.append((org, i, title, band, workforce, tier, is_manager))
    users = _bulk(User, users)
    profiles = []
    manager = None
    for user, (org, i, title, band, workforce, tier, is_manager) in zip(users, rows, strict=True):
        if i == 0:
            manager = None
        profiles.append(StaffProfile(
            user=user, organisation=org, job_title=title, cts_band=band, workforce=workforce, service_tier=tier,
            employment=StaffProfile.Employment.VOLUNTEER if "volunteer" in title.lower()
            else StaffProfile.Employment.PAID,
            hours=StaffProfile.Hours.PART_TIME if rng.random() < 0.25 else StaffProfile.Hours.FULL_TIME,
            start_date=dt.date(2004, 1, 1) + dt.timedelta(days=rng.randrange(8000)),
            employee_ref=f"GEN{len(profiles) + 1:06}", line_manager=manager,
            is_organisation_lead=i == 0 and org.pk in generated,
        ))  # fmt: skip
        if is_manager:
            manager = user
    _bulk(StaffProfile, profiles)
    practitioner = Group.objects.get_or_create(name=Role.PRACTITIONER.value)[0]
    line_manager = Group.objects.get_or_create(name=Role.LINE_MANAGER.value)[0]
    through = User.groups.through
    _bulk(through, [through(user_id=u.pk, group_id=practitioner.pk) for u in users]
          + [through(user_id=u.pk, group_id=line_manager.pk) for u, row in zip(users, rows, strict=True) if row[6]])
    for user, profile in zip(users, profiles, strict=True):
        user.profile = profile
    return users


def _spread(total: int, weights: list[float]) -> list[int]:
    """`total` split in proportion to `weights` (largest remainders), every share at least one where possible."""
    scale = total / sum(weights)
    shares = [max(1, math.floor(w * scale)) if total >= len(weights) else math.floor(w * scale) for w in weights]
    order = sorted(range(len(weights)), key=lambda i: weights[i] * scale - shares[i], reverse=True)
    i = 0
    while sum(shares) < total:
        shares[order[i % len(order)]] += 1
        i += 1
    while sum(shares) > total:
        biggest = max(range(len(shares)), key=shares.__getitem__)
        shares[biggest] -= 1
    return shares


# --- Courses, sessions, bookings, completions -------------------------------------------------------------

TOPICS = [
    ("Safeguarding children", "safeguarding-and-promoting-welfare"),
    ("Child development", "child-and-young-person-development"),
    ("Talking with children", "effective-communication-and-engagement"), ("Transitions", "supporting-transitions"),
    ("Team Around the Family", "multi-agency-working"), ("Information sharing", "sharing-information"),
    ("Early help", "early-help"), ("Signs of Safety", "signs-of-safety"), ("Neglect", "neglect"),
    ("Domestic abuse", "domestic-abuse"), ("Emotional wellbeing", "mental-health"), ("Self-harm", "mental-health"),
    ("Autism", "send"), ("Speech and language", "send"), ("Prevent", "prevent"),
    ("Exploitation", "child-sexual-exploitation"), ("Missing children", "child-sexual-exploitation"),
    ("Drugs and alcohol", "substance-misuse"), ("Solihull Approach", "solihull-approach"),
    ("Motivational Interviewing", "motivational-interviewing"), ("Mental Capacity Act", "mental-capacity-act"),
    ("Attachment", "child-and-young-person-development"), ("Trauma-informed practice", "mental-health"),
    ("Young carers", "early-help"), ("Parenting support", "early-help"),
    ("Online safety", "safeguarding-and-promoting-welfare"), ("Child protection conferences", "multi-agency-working"),
    ("Record keeping", "sharing-information"), ("Restorative practice", "effective-communication-and-engagement"),
    ("Bereavement", "mental-health"), ("Healthy relationships", "domestic-abuse"),
    ("Private fostering", "safeguarding-and-promoting-welfare"),
    ("Female genital mutilation", "safeguarding-and-promoting-welfare"), ("Disabled children", "send"),
    ("Early years development", "child-and-young-person-development"),
    ("Youth voice", "effective-communication-and-engagement"), ("Supervision", "multi-agency-working"),
    ("Court skills", "multi-agency-working"), ("Gangs and county lines", "child-sexual-exploitation"),
    ("Eating disorders", "mental-health"),
]  # fmt: skip
FORMATS = [
    ("an introduction", "2 hours", "virtual"), ("in practice", "1 day", "classroom"),
    ("for managers", "1 day", "classroom"), ("e-learning", "90 minutes", "elearning"),
    ("a briefing", "2 hours", "virtual"), ("level 2", "1 day", "classroom"), ("level 3", "2 days", "classroom"),
    ("skills workshop", "Half day", "classroom"), ("masterclass", "3 hours", "virtual"),
    ("for schools", "Half day", "classroom"), ("for early years settings", "3 hours", "virtual"),
    ("for health staff", "Half day", "blended"), ("for volunteers", "2 hours", "elearning"),
    ("case studies", "Half day", "classroom"), ("foundation", "2 days", "blended"),
    ("advanced", "1 day", "classroom"), ("for youth workers", "3 hours", "virtual"),
    ("refresher", "3 hours", "virtual"), ("conference day", "1 day", "event"),
    ("reflective practice", "2 hours", "virtual"), ("for new starters", "1 day", "classroom"),
    ("with families", "1 day", "classroom"), ("toolkit", "90 minutes", "elearning"),
    ("peer learning", "2 hours", "virtual"), ("for foster carers", "Half day", "classroom"),
]  # fmt: skip
VENUES = [
    ("Civic Centre, Committee Room 2", "Civic Centre\nMarket Square\nCity CT1 1AA"),
    ("Community Health HQ, Training Suite", "Riverside House\n12 Mill Lane\nCity CT2 4BB"),
    ("City Youth Hub", "The Hub\n40 Station Road\nCity CT3 2CC"),
    ("Central Library, Learning Room", "Central Library\nLibrary Walk\nCity CT1 3DD"),
    ("Northside Family Centre", "Northside Family Centre\n3 Elm Row\nCity CT4 5EE"),
    ("Southmead Conference Rooms", "Southmead House\n88 Park Road\nCity CT5 6FF"),
]


def _courses(rng: random.Random, count: int) -> list[Course]:
    if count <= 0:
        return []
    themes = {t.slug: t for t in Theme.objects.all()}
    theme_list = list(themes.values())
    providers = list(Organisation.objects.filter(sector__name__in=["Social Care", "Health", "Youth Support",
                                                                   "Voluntary and Community"]).order_by("pk")[:60])
    combos = [(topic, fmt) for topic in TOPICS for fmt in FORMATS]
    rng.shuffle(combos)
    combos = (combos * (count // len(combos) + 1))[:count]
    courses = []
    for n, ((topic, _theme), (fmt, duration, mode)) in enumerate(combos, start=1):
        round_ = (n - 1) // (len(TOPICS) * len(FORMATS))
        title = f"{topic}: {fmt}" + (f" ({round_ + 1})" if round_ else "")
        courses.append(Course(
            code=f"G{n:04}", title=title, delivery_mode=mode, duration=duration,
            summary=f"{topic} for the children's workforce, {fmt}: what to notice, what to do and who to ask.",
            outcomes=f"Explain the key ideas of {topic.lower()}\nApply them to a case\nKnow where to get support",
            audience="Practitioners and managers across the partnership.",
            provider=providers[rng.randrange(len(providers))] if providers else None,
            needs_manager_approval=fmt in ("level 3", "advanced", "masterclass"),
            copy_line_manager=rng.random() < 0.1, cancellation_notice_days=rng.choice([3, 7, 7, 7, 10, 14]),
            is_active=rng.random() > 0.03,
        ))  # fmt: skip
    courses = _bulk(Course, courses)
    through = Course.themes.through
    links = []
    for course, ((_topic, theme_slug), _fmt) in zip(courses, combos, strict=True):
        chosen = {themes[theme_slug]} if theme_slug in themes else set()
        if theme_list and rng.random() < 0.5:
            chosen.add(rng.choice(theme_list))
        links += [through(course_id=course.pk, theme_id=t.pk) for t in chosen]
    _bulk(through, links)
    # Every tenth course asks for an earlier one first; one in fifty also meets a requirement of the standard.
    prerequisite = Course.prerequisites.through
    _bulk(prerequisite, [prerequisite(from_course_id=c.pk, to_course_id=courses[i - 1].pk)
                         for i, c in enumerate(courses) if i % 10 == 1])  # fmt: skip
    requirements = list(Requirement.objects.filter(version__is_current=True).order_by("pk"))
    if requirements:
        meets = Requirement.courses.through
        _bulk(meets, [meets(requirement_id=requirements[rng.randrange(len(requirements))].pk, course_id=c.pk)
                      for i, c in enumerate(courses) if i % 50 == 7])  # fmt: skip
    return courses


def _sessions(rng: random.Random, count: int) -> list[Session]:
    """Sessions from nine months ago to six months ahead, over every active course (the core ones more often).
    Past ones are closed (register kept) except the last fortnight's; a few upcoming ones are cancelled."""
    if count <= 0:
        return []
    courses = list(Course.objects.filter(is_active=True).order_by("pk"))
    core = [c for c in courses if not c.code.startswith("G")]
    today = timezone.localdate()
    now = timezone.now()
    sessions, dates = [], []
    for n in range(count):
        course = rng.choice(core) if core and rng.random() < 0.15 else rng.choice(courses)
        day = today + dt.timedelta(days=rng.randrange(-270, 183))
        if day.weekday() >= 5:
            day += dt.timedelta(days=7 - day.weekday())
        slots = [(dt.datetime.combine(day + dt.timedelta(days=i), dt.time(h1, m1), tzinfo=LONDON),
                  dt.datetime.combine(day + dt.timedelta(days=i), dt.time(h2, m2), tzinfo=LONDON))
                 for i, (h1, m1, h2, m2) in enumerate(session_slots(course.duration))]  # fmt: skip
        online = course.delivery_mode in ("virtual", "elearning")
        venue, address = ("", "") if online else VENUES[rng.randrange(len(VENUES))]
        ends = slots[-1][1]
        status = Session.Status.SCHEDULED
        if ends < now - dt.timedelta(days=14):
            status = Session.Status.CLOSED
        elif slots[0][0] > now and rng.random() < 0.02:
            status = Session.Status.CANCELLED
        sessions.append(Session(
            course=course, venue_name=venue, venue_address=address, status=status,
            capacity=100 if course.delivery_mode == "elearning" else rng.choice([12, 16, 16, 20, 24, 30]),
            online_url=f"https://meet.example.org/workforce-training/{course.code.lower()}-{n}" if online else "",
            starts_at=slots[0][0], ends_at=ends,
        ))  # fmt: skip
        dates.append(slots)
    sessions = _bulk(Session, sessions)
    _bulk(SessionDate, [SessionDate(session_id=s.pk, starts_at=a, ends_at=b)
                        for s, slots in zip(sessions, dates, strict=True) for a, b in slots])  # fmt: skip
    return sessions


def _bookings(rng: random.Random, sessions: list[Session], people: list[User], count: int) -> None:
    """`count` bookings over the generated sessions, filled in proportion to their places: past sessions
    attended (a few did not come, a few cancelled), with completions and some feedback; upcoming ones
    confirmed up to capacity, then wait-listed; courses needing approval have requests waiting."""
    if count <= 0 or not sessions or not people:
        return
    S = Booking.Status
    now = timezone.now()
    fill = [s.capacity * rng.uniform(0.3, 1.3) if s.status != Session.Status.CANCELLED else 0 for s in sessions]
    per_session = _spread(count, fill)
    course_of = {c.pk: c for c in Course.objects.all()}
    trainers = [p for p in people if p.profile.cts_band == 4][:60] or people[:60]
    bookings = []
    for session, n in zip(sessions, per_session, strict=True):
        n = min(n, len(people))
        course = course_of[session.course_id]
        past = session.status == Session.Status.CLOSED
        for k, person in enumerate(rng.sample(people, n)):
            booked = session.starts_at - dt.timedelta(days=rng.randrange(3, 60), minutes=rng.randrange(600))
            booked = min(booked, now - dt.timedelta(minutes=k + 1))
            roll = rng.random()
            if past:
                status = S.CANCELLED if roll < 0.05 else S.LATE_CANCELLED if roll < 0.07 else \
                    S.NO_SHOW if roll < 0.15 else S.ATTENDED
            elif session.status == Session.Status.CANCELLED or roll < 0.05:
                status = S.CANCELLED
            elif course.needs_manager_approval and roll < 0.2:
                status = S.PENDING_APPROVAL
            else:
                status = S.CONFIRMED
            bookings.append(Booking(session_id=session.pk, person_id=person.pk, status=status, booked_by_id=person.pk,
                                    created_at=booked,
                                    confirmed_at=booked if status in Booking.PLACE_STATUSES else None,
                                    cancelled_at=booked + dt.timedelta(days=1) if "cancelled" in status else None,
                                    cancelled_by_id=person.pk if "cancelled" in status else None))  # fmt: skip
        # Over capacity: the last to book wait for a place (past: they never got one, so they were cancelled).
        mine = bookings[len(bookings) - n:]
        placed = [b for b in sorted(mine, key=lambda b: b.created_at) if b.status in Booking.PLACE_STATUSES]
        for b in placed[session.capacity:]:
            b.status, b.confirmed_at = (S.CANCELLED, None) if past else (S.WAITLISTED, None)
        if past:
            for b in placed[:session.capacity]:
                b.attendance_marked_at = session.ends_at + dt.timedelta(minutes=10)
    bookings = _bulk(Booking, bookings, batch_size=5_000)
    _bulk(BookingEvent, [BookingEvent(booking_id=b.pk, at=b.created_at, by_id=b.person_id, from_status="",
                                      to_status=S.WAITLISTED if b.status == S.WAITLISTED else
                                      S.PENDING_APPROVAL if b.status == S.PENDING_APPROVAL else S.CONFIRMED,
                                      note="Booked.") for b in bookings], batch_size=5_000)  # fmt: skip
    ends = {s.pk: s.ends_at for s in sessions}
    attended = [b for b in bookings if b.status == S.ATTENDED]
    course_of_session = {s.pk: s.course_id for s in sessions}
    _bulk(Completion, [Completion(person_id=b.person_id, course_id=course_of_session[b.session_id], booking_id=b.pk,
                                  completed_on=timezone.localdate(ends[b.session_id]), notes="Attended the session.")
                       for b in attended], batch_size=5_000)  # fmt: skip
    _bulk(Evaluation, [Evaluation(booking_id=b.pk, rating=rng.choice([5, 5, 4, 4, 4, 3, 2]),
                                  comments=rng.choice(["", "", "Useful and practical.", "Good case studies.",
                                                       "Too much for one day."]),
                                  submitted_at=ends[b.session_id] + dt.timedelta(days=rng.randrange(1, 5)))
                       for b in attended if rng.random() < 0.5], batch_size=5_000)  # fmt: skip
    through = Session.trainers.through
    _bulk(through, [through(session_id=s.pk, user_id=trainers[i % len(trainers)].pk)
                    for i, s in enumerate(sessions) if i % 3 == 0])  # fmt: skip


def _history_completions(rng: random.Random, people: list[User]) -> None:
    """What people did before the portal: for most requirements of their band, a completion in the last five
    years (so the matrix shows every state). Then every completion without a certificate number gets one."""
    requirements: dict[int, list[list[int]]] = {}
    for r in Requirement.objects.filter(version__is_current=True).select_related("band").prefetch_related("courses"):
        ids = sorted(c.pk for c in r.courses.all())
        if ids:
            requirements.setdefault(r.band.number, []).append(ids)
    today = timezone.localdate()
    rows = []
    for person in people:
        for course_ids in requirements.get(person.profile.cts_band, []):
            if rng.random() < 0.7:
                rows.append(Completion(person_id=person.pk, course_id=rng.choice(course_ids),
                                       completed_on=today - dt.timedelta(days=rng.randrange(30, 1800)),
                                       notes="Recorded from the partnership's training records before the portal."))
    _bulk(Completion, rows, batch_size=5_000)
    Completion.objects.filter(certificate_number__isnull=True).update(certificate_number=Concat(
        Value("CTS-"), Cast(ExtractYear("completed_on"), CharField()), Value("-"),
        LPad(Cast(F("pk"), CharField()), 6, Value("0")), output_field=CharField(),
    ))  # fmt: skip


# --- The action plan -----------------------------------------------------------------------------------------

VERBS = ["Deliver", "Review", "Roll out", "Agree", "Publish", "Commission", "Evaluate", "Extend", "Map", "Embed"]
OBJECTS = [
    "safeguarding training for {s}", "a supervision standard for {s}", "induction for new {s}",
    "an early help pathway for {s}", "a recruitment campaign for {s}", "a workforce survey of {s}",
    "mental-health first aid for {s}", "a Signs of Safety practice lead in {s}", "a coaching pool for {s}",
    "information-sharing guidance for {s}",
]
SUBJECTS = ["schools", "early-years settings", "youth workers", "health visitors", "foster carers",
            "volunteers", "social workers", "leisure staff", "the voluntary sector", "managers"]
COMMENTARY = {
    "green": "On track: progressing as planned.",
    "amber": "At risk: capacity in partner organisations is stretched.",
    "red": "Off track: the date will be missed without extra resource.",
    "completed": "Completed. Evidence held by the workforce team.",
    "dropped": "Dropped by the Strategy Group.",
}


def _plan(rng: random.Random, people: list[User], actions: int, milestones: int) -> None:
    """Actions added to the active plan's aims (codes after the demo's), led by one or two generated people,
    with dated status updates and about one milestone each."""
    strategy = Strategy.objects.filter(status=Strategy.Status.ACTIVE).first()
    themes = list(PlanTheme.objects.filter(strategy=strategy).order_by("order")) if strategy else []
    if actions <= 0 or not themes or not people:
        return
    strategist = User.objects.filter(email="strategy@demo.example").first() or people[0]
    leads = people[: max(50, min(len(people), actions // 15))]
    start, end = strategy.period_start, strategy.period_end
    today = timezone.localdate()
    rows, statuses = [], []
    for n in range(actions):
        theme = themes[n % len(themes)]
        code = f"{theme.code}.{100 + n // len(themes)}"
        due = start + dt.timedelta(days=rng.randrange((end - start).days + 1)) if rng.random() < 0.9 else None
        history = [rng.choice(["green", "green", "amber", "red"]) for _ in range(rng.randrange(0, 4))]
        if history and due and due < today and rng.random() < 0.5:
            history[-1] = rng.choice(["completed", "completed", "dropped"])
        verb, obj, subject = rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(SUBJECTS)
        rows.append(Action(
            strategy=strategy, theme=theme, code=code, sort_key=code_sort_key(code), due_date=due,
            title=f"{verb} {obj.format(s=subject)}", start_date=start, timescale=f"{due:%B %Y}" if due else "On-going",
            description="Generated for a partnership at scale.", performance_measures="Attendance and case audits.",
        ))  # fmt: skip
        statuses.append(history)
    rows = _bulk(Action, rows)
    leads_through = Action.leads.through
    _bulk(leads_through, [leads_through(action_id=a.pk, user_id=p.pk) for a in rows
                          for p in rng.sample(leads, rng.choice([1, 1, 2]))], batch_size=5_000)  # fmt: skip
    updates, changed = [], []
    span = max((min(today, end) - start).days, 1)
    for action, history in zip(rows, statuses, strict=True):
        for k, status in enumerate(history, start=1):
            when = dt.datetime.combine(start + dt.timedelta(days=span * k // (len(history) + 1)), dt.time(10),
                                       tzinfo=LONDON)  # fmt: skip
            percent = 100 if status == "completed" else 0 if status == "dropped" else min(90, 20 * k)
            updates.append(StatusUpdate(action_id=action.pk, status=status, percent_complete=percent,
                                        commentary=COMMENTARY[status], created_by=strategist, created_at=when))
            action.current_status, action.percent_complete, action.status_updated_at = status, percent, when
        if history:
            changed.append(action)
    _bulk(StatusUpdate, updates, batch_size=5_000)
    Action.objects.bulk_update(changed, ["current_status", "percent_complete", "status_updated_at"], batch_size=1_000)
    milestone_rows = []
    for i in range(max(milestones, 0)):
        action = rows[i % len(rows)]
        due = action.due_date or end
        done = due if due < today and action.current_status == "completed" else None
        title = f"Milestone {i // len(rows) + 1}: {action.title}"[:300]
        milestone_rows.append(Milestone(action_id=action.pk, title=title,
                                        due_date=due - dt.timedelta(days=rng.randrange(0, 60)), done_date=done))
    _bulk(Milestone, milestone_rows, batch_size=5_000)
