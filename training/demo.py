"""Demo data for training: the standard, a catalogue, sessions, an event week, a full session with a
waiting list and bookings; idempotent (docs/training.md)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from partners.models import Organisation
from workforce.models import User

from . import demo_history
from .models import (
    Band,
    Booking,
    BookingEvent,
    Course,
    Event,
    Requirement,
    Session,
    SessionDate,
    StandardVersion,
    Theme,
)

LONDON = ZoneInfo("Europe/London")
DEMO_DOMAIN = "demo.example"

BANDS = [
    (1, "Whole workforce", "Everyone, including those with no direct contact with children and families "
                           "(for example admin, leisure and library staff)."),
    (2, "Occasional contact", "Occasional or minimal direct contact with children, young people and families."),
    (3, "Regular contact", "Regular direct contact: most practitioners."),
    (4, "Intensive contact", "Intensive direct contact, specialist and case-holding roles, and their managers."),
]

THEMES = [
    ("Effective communication and engagement", True), ("Child and young person development", True),
    ("Safeguarding and promoting welfare", True), ("Supporting transitions", True),
    ("Multi-agency working", True), ("Sharing information", True),
    ("Early help", False), ("Signs of Safety", False), ("Neglect", False), ("Domestic abuse", False),
    ("Mental health", False), ("SEND", False), ("Prevent", False), ("Child sexual exploitation", False),
    ("Substance misuse", False), ("Solihull Approach", False), ("Motivational Interviewing", False),
    ("Mental Capacity Act", False),
]  # fmt: skip

C, E, V, B, M = "classroom", "elearning", "virtual", "blended", "event"
COUNCIL, HEALTH, YOUTH, FAMILY = (
    "city-council-childrens-services", "community-health-nhs-trust", "city-youth-service", "family-action-network",
)
# code, title, mode, duration, themes (slugs), provider slug, summary, extra fields
COURSES = [
    ("SG1", "Safeguarding children: awareness (level 1)", E, "2 hours", ["safeguarding-and-promoting-welfare"],
     COUNCIL, "What abuse and neglect look like, and what to do if you are worried about a child.", {}),
    ("SG2", "Safeguarding children: level 2", C, "1 day", ["safeguarding-and-promoting-welfare"], COUNCIL,
     "Recognising and responding to abuse and neglect, making a referral and working with the front door.",
     {"cancellation_notice_days": 10}),
    ("SG2-R", "Safeguarding children: level 2 refresher", V, "3 hours", ["safeguarding-and-promoting-welfare"],
     COUNCIL, "Three-yearly refresher: what has changed in practice, law and local procedures.",
     {"variant": "refresher", "refresher_of": "SG2"}),
    ("SG3", "Safeguarding children: level 3 (specialist)", C, "2 days", ["safeguarding-and-promoting-welfare",
     "multi-agency-working"], COUNCIL, "For case-holding staff and managers: assessment, strategy discussions, "
     "child protection conferences and core groups.", {"needs_manager_approval": True, "copy_line_manager": True,
                                                      "cancellation_notice_days": 14}),
    ("SG3-R", "Safeguarding children: level 3 refresher", C, "1 day", ["safeguarding-and-promoting-welfare"],
     COUNCIL, "Three-yearly refresher for level 3: learning from local and national case reviews.",
     {"variant": "refresher", "refresher_of": "SG3", "needs_manager_approval": True}),
    ("SOS", "Signs of Safety: two-day foundation", B, "2 days",
     ["signs-of-safety", "safeguarding-and-promoting-welfare"], COUNCIL,
     "The partnership's practice framework: mapping danger and safety, scaling questions, safety planning "
     "with families.", {"copy_line_manager": True}),
    ("SOS-R", "Signs of Safety: refresher", C, "1 day", ["signs-of-safety"], COUNCIL,
     "For those trained over two years ago: refresh the framework and bring a case to map.",
     {"variant": "refresher", "refresher_of": "SOS"}),
    ("MCA-E", "Mental Capacity Act and DoLS: e-learning", E, "90 minutes", ["mental-capacity-act"], HEALTH,
     "The five principles, assessing capacity, best interests and Deprivation of Liberty Safeguards for 16–17s.", {}),
    ("MCA-C", "Mental Capacity Act in practice", C, "Half day", ["mental-capacity-act"], HEALTH,
     "Builds on the e-learning: case studies on capacity assessment and best-interests decisions with young people.",
     {"prerequisites": ["MCA-E"]}),
    ("MI-I", "Motivational Interviewing: introduction", C, "2 days", ["motivational-interviewing",
     "effective-communication-and-engagement"], HEALTH, "The spirit and core skills of Motivational Interviewing "
     "for conversations about change with young people and parents.", {"variant": "intro"}),
    ("MI-R", "Motivational Interviewing: refresher", C, "1 day", ["motivational-interviewing"], HEALTH,
     "A one-day refresher for those who completed the two-day introduction.",
     {"variant": "refresher", "refresher_of": "MI-I", "prerequisites": ["MI-I"]}),
    ("EHA", "Early Help Assessment and the Lead Professional", C, "1 day", ["early-help", "multi-agency-working"],
     COUNCIL, "Completing an Early Help Assessment with a family, and leading the Team Around the Family.", {}),
    ("IS1", "Information sharing: principles", E, "1 hour", ["sharing-information"], COUNCIL,
     "When and how to share information lawfully and safely: the seven golden rules.", {}),
    ("IS-SYS", "Case recording system: access training", V, "2 hours", ["sharing-information"], COUNCIL,
     "Hands-on training for new users of the shared case recording system.", {"prerequisites": ["IS1"]}),
    ("NEG", "Don't Neglect the Issue: recognising neglect", C, "Half day", ["neglect",
     "safeguarding-and-promoting-welfare"], COUNCIL, "Using the neglect toolkit to recognise and evidence "
     "cumulative harm.", {}),
    ("DA", "Domestic abuse: awareness and response", C, "1 day", ["domestic-abuse"], FAMILY,
     "The impact of domestic abuse on children, risk assessment (DASH) and safety planning.", {}),
    ("FIM", "Future in Mind: children's mental health", V, "3 hours", ["mental-health"], HEALTH,
     "Promoting emotional wellbeing and knowing when and where to refer.", {}),
    ("SEND", "Understanding SEND and the local offer", V, "3 hours", ["send", "supporting-transitions"], COUNCIL,
     "Education, Health and Care plans, the local offer and preparing for adulthood.", {}),
    ("PREV", "Prevent awareness", E, "1 hour", ["prevent"], COUNCIL,
     "Recognising radicalisation and making a Prevent referral.", {}),
    ("CSE", "Child sexual exploitation and contextual safeguarding", C, "1 day", ["child-sexual-exploitation"],
     YOUTH, "Spotting the signs of exploitation and working with young people at risk outside the home.", {}),
    ("SUB", "Substance misuse and young people", C, "Half day", ["substance-misuse"], YOUTH,
     "Drugs and alcohol: screening, brief interventions and referral routes.", {}),
    ("SOL", "Solihull Approach: foundation", C, "2 days", ["solihull-approach",
     "child-and-young-person-development"], HEALTH, "Containment, reciprocity and behaviour management to support "
     "relationships between parents and children.", {}),
    ("CC-COM", "Communicating with children and families", C, "1 day", ["effective-communication-and-engagement"],
     FAMILY, "Listening, building trust and hearing the voice of the child.", {}),
    ("CC-DEV", "Child and young person development 0–19", V, "3 hours", ["child-and-young-person-development"],
     HEALTH, "Milestones, attachment and the effect of adversity on development.", {}),
    ("CC-TRANS", "Supporting transitions", V, "2 hours", ["supporting-transitions"], COUNCIL,
     "Helping children through moves: starting school, changing placement, leaving care.", {}),
    ("WELCOME", "Welcome Event: multi-agency induction", M, "1 day", ["multi-agency-working"], COUNCIL,
     "The quarterly welcome for people new to the children's workforce: who does what, and how we work together.",
     {}),
]  # fmt: skip

OUTCOMES = {
    "SG2": "Recognise signs of abuse and neglect\nRespond to a disclosure\nMake a good-quality referral",
    "SOS": "Map a family's situation with the three columns\nUse scaling questions\nBuild a safety plan with the "
           "family network",
    "MI-I": "Describe the spirit of Motivational Interviewing\nUse open questions, affirmations, reflections and "
            "summaries\nRecognise and respond to change talk",
}

# version title, band -> [(requirement title, [course codes], refresher months)]
REQUIREMENTS = {
    1: [("Safeguarding awareness", ["SG1", "SG2"], 36), ("Prevent awareness", ["PREV"], 36),
        ("Information sharing", ["IS1"], None)],
    2: [("Safeguarding awareness", ["SG1", "SG2"], 36), ("Prevent awareness", ["PREV"], 36),
        ("Information sharing", ["IS1"], None), ("Communicating with children", ["CC-COM"], None)],
    3: [("Safeguarding level 2", ["SG2", "SG2-R"], 36), ("Signs of Safety", ["SOS", "SOS-R"], 24),
        ("Early Help Assessment", ["EHA"], None), ("Information sharing", ["IS1"], None),
        ("Prevent awareness", ["PREV"], 36), ("Child development", ["CC-DEV"], None)],
    4: [("Safeguarding level 3", ["SG3", "SG3-R"], 36), ("Signs of Safety", ["SOS", "SOS-R"], 24),
        ("Early Help Assessment", ["EHA"], None), ("Mental Capacity Act", ["MCA-C"], None),
        ("Neglect", ["NEG"], 36), ("Domestic abuse", ["DA"], 36), ("Information sharing", ["IS1"], None)],
}  # fmt: skip

VENUES = [
    ("Civic Centre, Committee Room 2", "Civic Centre\nMarket Square\nCity CT1 1AA",
     "Step-free entrance on Market Square; hearing loop; accessible toilets on each floor."),
    ("Community Health HQ, Training Suite", "Riverside House\n12 Mill Lane\nCity CT2 4BB",
     "Lift to the second floor; four accessible parking bays."),
    ("City Youth Hub", "The Hub\n40 Station Road\nCity CT3 2CC", "Ground floor; ramp at the side door."),
    ("Central Library, Learning Room", "Central Library\nLibrary Walk\nCity CT1 3DD",
     "Step-free; quiet room available on request."),
]
ONLINE = "https://meet.example.org/workforce-training/"


def _local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=LONDON)


def session_slots(duration: str) -> list[tuple[int, int, int, int]]:
    """A demo session's days for a course of this duration: (start hour, minute, end hour, minute) each day."""
    if "2 days" in duration:
        return [(9, 30, 16, 30), (9, 30, 16, 30)]
    if duration == "1 day":
        return [(9, 30, 16, 30)]
    if duration == "Half day" or "3 hours" in duration:
        return [(9, 30, 12, 30)]
    return [(13, 30, 15, 30)]  # e-learning launch / short online sessions


def seed(*, stdout=None, **_options) -> None:
    with transaction.atomic():
        courses = _seed_standard_and_courses()
        if not Session.objects.exists():
            _seed_sessions_and_bookings(courses)
    demo_history.seed_attendance_and_completions(stdout=stdout)  # the register, completions, evaluations
    if stdout:
        stdout.write(f"training: {Course.objects.count()} courses, {Session.objects.count()} sessions, "
                     f"{Booking.objects.count()} bookings")


def _seed_standard_and_courses() -> dict[str, Course]:
    bands = {}
    for number, label, description in BANDS:
        bands[number], _ = Band.objects.get_or_create(number=number,
                                                      defaults={"label": label, "description": description})
    themes = {}
    for order, (name, core) in enumerate(THEMES):
        themes[slugify(name)], _ = Theme.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "is_common_core": core, "order": order}
        )
    providers = {o.slug: o for o in Organisation.objects.filter(slug__in=[COUNCIL, HEALTH, YOUTH, FAMILY])}
    courses: dict[str, Course] = {}
    for code, title, mode, duration, theme_slugs, provider, summary, extra in COURSES:
        extra = dict(extra)
        prerequisites = extra.pop("prerequisites", [])
        refresher_of = extra.pop("refresher_of", None)
        course, created = Course.objects.get_or_create(
            code=code,
            defaults={
                "title": title, "summary": summary, "delivery_mode": mode, "duration": duration,
                "provider": providers.get(provider), "outcomes": OUTCOMES.get(code, ""),
                "audience": "Everyone in the children's workforce whose band of the Core Training Standard asks for "
                            "it, and anyone who wants to learn more.",
                "refresher_of": courses.get(refresher_of), **extra,
            },
        )  # fmt: skip
        if created:
            course.themes.set([themes[s] for s in theme_slugs])
            course.prerequisites.set([courses[c] for c in prerequisites])
        courses[code] = course

    old, _ = StandardVersion.objects.get_or_create(
        name="Core Training Standard 2019", defaults={"effective_from": dt.date(2019, 4, 1), "is_current": False,
                                                     "notes": "The previous edition."}
    )
    current, created = StandardVersion.objects.get_or_create(
        name="Core Training Standard 2026",
        defaults={"effective_from": dt.date(2026, 4, 1), "notes": "Adds Signs of Safety refreshers every two years."},
    )
    if created and not StandardVersion.objects.filter(is_current=True).exists():
        current.is_current = True
        current.save(update_fields=["is_current"])
    for version, refresh_sos in ((current, 24), (old, None)):
        for number, rows in REQUIREMENTS.items():
            for order, (title, codes, months) in enumerate(rows):
                if version is old and title == "Signs of Safety":
                    months = refresh_sos
                requirement, created = Requirement.objects.get_or_create(
                    version=version, band=bands[number], title=title,
                    defaults={"refresher_months": months, "order": order},
                )
                if created:
                    requirement.courses.set([courses[c] for c in codes])
    return courses


def _seed_sessions_and_bookings(courses: dict[str, Course]) -> None:
    today = timezone.localdate()
    monday = today - dt.timedelta(days=today.weekday())
    coordinator = User.objects.filter(email=f"coordinator@{DEMO_DOMAIN}").first()
    sessions: list[tuple[Session, list[tuple[dt.datetime, dt.datetime]]]] = []

    def add(code: str, day: dt.date, *, venue: int | None = 0, capacity: int = 16, event=None) -> Session:
        course = courses[code]
        slots = session_slots(course.duration)
        dates = []
        for i, (h1, m1, h2, m2) in enumerate(slots):
            d = day + dt.timedelta(days=i)
            dates.append((_local(d, h1, m1), _local(d, h2, m2)))
        online = course.delivery_mode in ("virtual", "elearning") or venue is None
        name, address, access = ("", "", "") if online else VENUES[venue % len(VENUES)]
        session = Session(
            course=course, event=event, capacity=100 if course.delivery_mode == "elearning" else capacity,
            venue_name=name, venue_address=address, access_notes=access,
            online_url=f"{ONLINE}{code.lower()}-{day:%Y%m%d}" if online else "",
            starts_at=dates[0][0], ends_at=dates[-1][1],
        )
        sessions.append((session, dates))
        return session

    # Past sessions (the register helper marks attendance on these).
    for weeks_ago, code, venue in [(16, "SG2", 0), (12, "SOS", 1), (9, "EHA", 0), (6, "MI-I", 1), (4, "NEG", 2),
                                   (3, "MCA-E", None), (2, "DA", 3), (1, "SG2-R", None)]:
        add(code, monday - dt.timedelta(weeks=weeks_ago) + dt.timedelta(days=1), venue=venue)
    # The coming six months: every course at least once, the core ones monthly.
    plan = ["SG2", "SOS", "SG2-R", "SG3", "EHA", "MCA-E", "MCA-C", "IS1", "PREV", "SG1"]
    others = [c for c in courses if c not in plan and c != "WELCOME"]
    for month in range(6):
        for i, code in enumerate(plan[:6] if month % 2 else plan):
            add(code, monday + dt.timedelta(weeks=2 + month * 4, days=i % 4), venue=i + month)
        for i, code in enumerate(others[month * 3:(month + 1) * 3] or others[:2]):
            add(code, monday + dt.timedelta(weeks=3 + month * 4, days=1 + i), venue=i + 1)
    add("MI-R", monday + dt.timedelta(weeks=9, days=2), venue=1)
    for quarter in range(2):
        add("WELCOME", monday + dt.timedelta(weeks=5 + quarter * 12, days=3), venue=0, capacity=60)

    # Every Colleague Matters: the next February, June or October week.
    ecm_month = next(m for m in (2, 6, 10, 14) if dt.date(today.year + (m - 1) // 12, (m - 1) % 12 + 1, 1) > today)
    first = dt.date(today.year + (ecm_month - 1) // 12, (ecm_month - 1) % 12 + 1, 8)
    ecm_monday = first - dt.timedelta(days=first.weekday())
    event = Event.objects.create(
        name=f"Every Colleague Matters, {ecm_monday:%B %Y}", slug=f"every-colleague-matters-{ecm_monday:%Y-%m}",
        summary="A week of short multi-agency sessions for everyone in the children's workforce, at venues across "
                "the city and online.", starts_on=ecm_monday, ends_on=ecm_monday + dt.timedelta(days=4),
    )
    for i, code in enumerate(["CC-COM", "NEG", "FIM", "SEND", "DA", "CSE", "SUB", "CC-TRANS", "PREV", "IS-SYS"]):
        add(code, ecm_monday + dt.timedelta(days=i % 5), venue=i, capacity=30, event=event)

    Session.objects.bulk_create([s for s, _ in sessions])
    SessionDate.objects.bulk_create(
        [SessionDate(session=s, starts_at=a, ends_at=b) for s, dates in sessions for a, b in dates]
    )
    if coordinator:
        for session, _ in sessions[::3]:
            session.trainers.add(coordinator)
    _seed_bookings([s for s, _ in sessions], today)


def _book_past(book, past: list[Session], others: list[User], demo: dict[str, User]) -> None:
    for i, session in enumerate(past):
        for j, person in enumerate(others[i * 7:(i * 7) + 10]):
            book(session, person, Booking.Status.CONFIRMED, session.starts_at - dt.timedelta(days=20, hours=j))
        if "practitioner" in demo and session.course.code in ("SG2", "EHA"):
            book(session, demo["practitioner"], Booking.Status.CONFIRMED, session.starts_at - dt.timedelta(days=30))


def _book_full_session(book, upcoming: list[Session], others: list[User], demo: dict[str, User],
                       now: dt.datetime) -> Session:
    """The first upcoming SG2 session is full, with a waiting list."""
    full = next(s for s in upcoming if s.course.code == "SG2")
    full.capacity = 8
    full.save(update_fields=["capacity"])
    for j, person in enumerate(others[60:68]):
        book(full, person, Booking.Status.CONFIRMED, now - dt.timedelta(days=10, hours=j))
    for j, person in enumerate([others[70], demo.get("practitioner"), others[71]]):
        if person:
            book(full, person, Booking.Status.WAITLISTED, now - dt.timedelta(days=5, hours=-j),
                 "Booked. Session full: joined the waiting list.", waitlist_order=j + 1)
    return full


def _book_part_booked(book, upcoming: list[Session], others: list[User], full: Session, now: dt.datetime) -> None:
    """Some upcoming sessions part-booked."""
    for i, session in enumerate(upcoming[1:20:2]):
        if session is full:
            continue
        for j, person in enumerate(others[80 + i * 5:80 + i * 5 + 3 + i % 5]):
            book(session, person, Booking.Status.CONFIRMED, now - dt.timedelta(days=3, hours=j))


def _seed_bookings(sessions: list[Session], today: dt.date) -> None:
    """Places for demo staff: the past sessions well attended, some upcoming ones busy, one full with a waiting
    list (the demo practitioner is second in line), and a request waiting for the demo manager's approval."""
    staff = list(User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}", profile__isnull=False)
                 .select_related("profile").order_by("email"))
    demo = {u.email.split("@")[0]: u for u in staff if "." not in u.email.split("@")[0]}
    others = [u for u in staff if "." in u.email.split("@")[0]]
    if not others:
        return
    now = timezone.now()
    bookings: list[Booking] = []
    events: list[tuple[int, str, str]] = []

    def book(session: Session, person: User, status: str, at: dt.datetime, note: str = "Booked.",
             waitlist_order: int = 0) -> None:
        booking = Booking(session=session, person=person, status=status, booked_by=person, created_at=at,
                          confirmed_at=at if status == Booking.Status.CONFIRMED else None,
                          waitlist_order=waitlist_order)
        bookings.append(booking)
        events.append((len(bookings) - 1, status, note))

    past = [s for s in sessions if s.starts_at < now]
    upcoming = [s for s in sessions if s.starts_at >= now]
    _book_past(book, past, others, demo)
    full = _book_full_session(book, upcoming, others, demo, now)
    _book_part_booked(book, upcoming, others, full, now)
    # The demo practitioner's own upcoming place; a request waiting for the demo manager.
    sos = next(s for s in upcoming if s.course.code == "SOS")
    if "practitioner" in demo:
        book(sos, demo["practitioner"], Booking.Status.CONFIRMED, now - dt.timedelta(days=2))
    sg3 = next(s for s in upcoming if s.course.code == "SG3")
    team = [u for u in others if u.profile.line_manager_id == getattr(demo.get("manager"), "pk", None)]
    if team:
        book(sg3, team[0], Booking.Status.PENDING_APPROVAL, now - dt.timedelta(days=1),
             f"Booked. Sent to {demo['manager']} for approval.")
    Booking.objects.bulk_create(bookings)
    BookingEvent.objects.bulk_create(
        [BookingEvent(booking=bookings[i], at=bookings[i].created_at, by=bookings[i].person, from_status="",
                      to_status=status, note=note) for i, status, note in events]
    )
