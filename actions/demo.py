"""Demo data for the action plan: the archived 2010–14 strategy and the current plan with leads, milestones
and dated updates. Idempotent: rows keyed by natural keys, created once and never re-saved."""

from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.roles import Role
from partners.models import GovernanceBody
from workforce.services import user_create

from .models import Action, Evidence, Milestone, StatusUpdate, Strategy, Theme
from .services import action_current_status_refresh

User = get_user_model()

# Fictional people who lead actions (besides the demo accounts strategy@, practitioner@ and manager@).
LEADS = {
    "grace": ("Grace", "Whitfield"),  # Head of workforce development
    "tom": ("Tom", "Ashby"),  # Safeguarding board business manager
    "hannah": ("Hannah", "Price"),  # Early help lead
    "imran": ("Imran", "Qureshi"),  # Principal social worker
    "rachel": ("Rachel", "Osei"),  # Early years quality lead
    "david": ("David", "Kerr"),  # Youth support manager
}
DEMO_ACCOUNTS = {"strategy": "strategy@demo.example", "practitioner": "practitioner@demo.example",
                 "manager": "manager@demo.example"}

ARCHIVED = {
    "title": "Children's Workforce Strategy 2010–14",
    "period": (date(2010, 4, 1), date(2014, 3, 31)),
    "summary": "One children's workforce: the partnership's first joint workforce strategy.",
    "themes": [
        ("1", "Knowing our workforce", "Reliable data on who works with children and young people.", [
            ("1.1", "Clarify workforce data to include those who don't see themselves as part of the partnership",
             ["grace"], date(2012, 3, 31), "March 2012", "completed"),
            ("1.2", "Annual workforce survey across all eight sectors", ["grace"], None, "Annually each autumn",
             "completed"),
            ("1.3", "Map the voluntary and community sector workforce", ["david"], date(2011, 9, 30),
             "September 2011", "completed"),
            ("1.4", "Shared workforce dashboard for the Strategy Group", ["grace", "strategy"], date(2013, 6, 30),
             "June 2013", "dropped"),
        ]),
        ("2", "Safer recruitment and retention", "Recruit safely and keep good people.", [
            ("2.1", "Safer recruitment training for every recruiting manager", ["tom"], date(2011, 3, 31),
             "March 2011", "completed"),
            ("2.2", "Joint recruitment campaign for social workers", ["imran"], date(2012, 12, 31), "2012",
             "completed"),
            ("2.3", "Exit interviews analysed across partners", ["grace"], None, "On-going", "completed"),
            ("2.4", "Newly qualified social worker support programme", ["imran"], date(2013, 9, 30),
             "September 2013", "completed"),
        ]),
        ("3", "Induction and the Common Core", "Everyone shares the Common Core of skills and knowledge.", [
            ("3.1", "Run a quarterly multi-agency welcome event", ["grace"], date(2010, 10, 31),
             "July 2010 & October 2010", "completed"),
            ("3.2", "Common Core self-assessment tool for all partners", ["rachel"], date(2011, 6, 30), "June 2011",
             "completed"),
            ("3.3", "Induction standard for the wider workforce", ["david"], date(2012, 3, 31), "March 2012",
             "completed"),
            ("3.4", "Volunteer induction pack", ["david"], date(2011, 12, 31), "December 2011", "completed"),
            ("3.5", "E-learning introduction to the One Children's Workforce", ["grace"], date(2013, 3, 31),
             "March 2013", "dropped"),
        ]),
        ("4", "Safeguarding training", "Safeguarding training at the right level for every role.", [
            ("4.1", "Core Training Standard for safeguarding, levels agreed by all partners", ["tom"],
             date(2011, 9, 30), "2011", "completed"),
            ("4.2", "Three-yearly safeguarding refreshers tracked for all staff", ["tom"], None, "On-going",
             "completed"),
            ("4.3", "Tracking system for designated safeguarding officers in early-years settings", ["rachel"],
             date(2010, 6, 30), "June 2010", "completed"),
            ("4.4", "3-hour safeguarding course for all 12,000 council staff", ["tom", "manager"],
             date(2012, 3, 31), "By March 2012", "completed"),
        ]),
        ("5", "Integrated working", "Early help through the CAF and Lead Professionals.", [
            ("5.1", "Train practitioners in the Common Assessment Framework", ["hannah"], date(2012, 3, 31),
             "1,885 practitioners by March 2012", "completed"),
            ("5.2", "Lead Professional network in each locality", ["hannah"], date(2011, 12, 31), "December 2011",
             "completed"),
            ("5.3", "Multi-agency locality teams", ["hannah", "imran"], date(2013, 3, 31), "March 2013",
             "completed"),
            ("5.4", "Information-sharing guidance for all partners", ["tom"], date(2010, 12, 31), "December 2010",
             "completed"),
        ]),
        ("6", "Leadership and management", "Leaders who lead across organisations.", [
            ("6.1", "Multi-agency leadership programme", ["grace"], date(2012, 9, 30), "Two cohorts a year",
             "completed"),
            ("6.2", "Supervision standard for front-line managers", ["imran"], date(2011, 12, 31), "December 2011",
             "completed"),
            ("6.3", "Coaching pool shared between partners", ["grace"], None, "On-going", "dropped"),
            ("6.4", "Succession plan for head of service roles", ["grace"], date(2014, 3, 31), "March 2014",
             "completed"),
        ]),
        ("7", "Early years and the wider workforce", "A qualified early-years and wider workforce.", [
            ("7.1", "Early years CPD programme", ["rachel"], None, "Each term", "completed"),
            ("7.2", "Graduate leaders in early-years settings", ["rachel"], date(2014, 3, 31), "By 2014",
             "completed"),
            ("7.3", "Safeguarding awareness for leisure, library and cultural staff", ["david"], date(2013, 3, 31),
             "March 2013", "completed"),
            ("7.4", "Play-service workers' qualification route", ["rachel"], date(2012, 12, 31), "December 2012",
             "completed"),
            ("7.5", "Sports coaches' safeguarding induction", ["david"], date(2013, 9, 30), "September 2013",
             "completed"),
        ]),
    ],
}

# The current plan: the 2016 aims, dated across 2026–27 so that today some actions are overdue, some due soon.
CURRENT = {
    "title": "Workforce Action Plan 2026–27",
    "period": (date(2026, 1, 1), date(2027, 6, 30)),
    "summary": "The updated action plan: six aims for one children's workforce, reported to the Board quarterly.",
    "themes": [
        ("1", "A confident and competent workforce", "Practitioners trained to the Core Training Standard.", [
            ("1.1", "Roll out Signs of Safety in full; re-train those trained over two years ago", ["imran"],
             date(2026, 9, 30), "By September 2026", ["green", "amber", "amber"],
             ["Identify staff trained before 2024", "Commission refresher sessions", "Refresher sessions delivered"]),
            ("1.2", "Review the safeguarding board's training and build a quality-assurance scheme for partners' "
             "safeguarding training", ["tom", "strategy"], date(2027, 3, 31), "March 2027", ["green", "green"],
             ["Develop a new Learning and Improvement strategy", "Quality-assurance framework agreed"]),
            ("1.3", "Deliver Mental Capacity Act training: an e-learning module and three classroom sessions",
             ["grace"], date(2026, 7, 31), "July 2026", ["green", "completed"],
             ["E-learning module live", "Three classroom sessions held"]),
        ]),
        ("2", "Supported early help", "Early help that families can reach.", [
            ("2.1", "Early Help Assessment training for all locality teams", ["hannah"], date(2026, 12, 15),
             "December 2026", ["amber", "green"], ["Trainers identified", "All teams trained"]),
            ("2.2", "Lead Professional refresher for practitioners", ["hannah", "practitioner"], date(2027, 2, 28),
             "February 2027", ["green"], ["Course reviewed", "First cohort trained"]),
        ]),
        ("3", "Coordinated partnership working", "Partners plan the workforce together.", [
            ("3.1", "Run a quarterly multi-agency welcome event", ["grace", "practitioner"], None,
             "Quarterly events throughout the year", ["green", "green", "green"],
             ["Spring event", "Summer event", "Autumn event"]),
            ("3.2", "Every Colleague Matters week three times a year", ["grace"], date(2026, 10, 31),
             "February, June and October", ["green", "red"], ["February week", "June week", "October week"]),
        ]),
        ("4", "Integration for effective response", "Integrated teams respond as one.", [
            ("4.1", "17 integrated teams in place across 3 areas", ["hannah", "manager"], date(2026, 11, 30),
             "November 2026", ["amber", "red", "red"], ["Area 1 teams", "Area 2 teams", "Area 3 teams"]),
            ("4.2", "Shared case-recording guidance across partners", ["tom"], date(2027, 1, 31), "January 2027",
             [], ["Draft guidance", "Partners sign off"]),
        ]),
        ("5", "Targeted specialist support", "Specialist skills where children need them.", [
            ("5.1", "Motivational Interviewing: 2-day introductory and 1-day refresher courses", ["imran"],
             date(2026, 12, 10), "December 2026", ["green", "amber"],
             ["14 two-day courses", "9 one-day refreshers"]),
            ("5.2", "Future in Mind mental-health training for school staff", ["strategy"], date(2026, 8, 31),
             "August 2026", ["amber", "red"], ["Training needs gathered", "Sessions booked"]),
            ("5.3", "Child sexual exploitation awareness for the wider workforce", ["david"], date(2026, 6, 30),
             "June 2026", ["green", "dropped"], ["Resources agreed"]),
        ]),
        ("6", "Developing the future workforce", "A pipeline of new practitioners.", [
            ("6.1", "Apprenticeships in early years and youth work", ["rachel", "david"], date(2027, 6, 30),
             "June 2027", ["green"], ["Apprenticeship standards chosen", "First apprentices start"]),
            ("6.2", "Partners' trainers join a shared training pool", ["grace", "strategy"], None, "On-going",
             ["green", "amber"], ["Pool terms agreed", "Ten trainers recruited"]),
        ]),
    ],
}

# What leads write, by status: 25 different commentaries, taken in turn, so the timelines read like a real plan's.
COMMENTARY = {
    "green": [
        "Sessions for the first two localities are delivered: 46 people attended and the evaluations average 4.5 "
        "out of 5. The remaining localities are booked for next month.",
        "Project group met and agreed the delivery plan. Venues are booked and the sessions are open for booking "
        "on the portal.",
        "Content reviewed with the safeguarding board's training sub-group; no changes needed beyond the updated "
        "referral pathway.",
        "Bookings are ahead of target: 80% of places taken with six weeks to go. A waiting list is open for the "
        "last two dates.",
        "Trainers from health and the council co-delivered three sessions. Feedback says the mixed groups are the "
        "most useful part.",
        "Training records show 62% of the target group trained, up from 41% last quarter.",
        "Partners' workforce leads confirmed they will release staff for the spring dates. Nothing to escalate.",
        "Draft circulated to partners for comment; five of the eight sectors have replied so far, all supportive.",
    ],
    "amber": [
        "Two sessions were cancelled because the trainer was off sick. Re-arranged for January, which pushes the "
        "last cohort past the due date unless we add a date.",
        "Uptake from schools and the voluntary sector is low (12 of 40 places). Sector leads asked to promote it "
        "through their networks.",
        "Venue costs have risen; we are moving sessions into partners' buildings. Delivery continues, but the "
        "budget needs watching.",
        "Recruiting trainers is slower than planned: four of ten so far. Agreed to ask the colleges for help.",
        "Waiting for the safeguarding board to sign off the revised content before the next round can be booked.",
        "Turnover in early-years settings means some of those trained have left; the list is being checked again "
        "before the next cohort.",
    ],
    "red": [
        "Off track: the commissioned provider has withdrawn and a new one cannot start before the due date. Raised "
        "with the Strategy Group as an exception for the Board.",
        "No sessions ran this quarter: partners could not release staff during winter pressures. A revised "
        "timescale goes to the Board.",
        "Behind plan: the project lead has been off long-term and the work has stalled. A new lead is being agreed "
        "with the partner organisation; a revised date will follow.",
        "Funding for the second year is not confirmed. Without it the programme stops after the current cohort.",
    ],
    "completed": [
        "Completed: every session delivered and 312 practitioners trained. The evaluation summary and attendance "
        "lists are on the intranet.",
        "Completed and handed over to business as usual: the course now runs from the training calendar twice a "
        "year.",
        "Completed. The guidance is published and every partner has confirmed it has reached their teams.",
        "Done: the final cohort has finished and certificates are issued. Lessons learned go to the next Strategy "
        "Group.",
    ],
    "dropped": [
        "Dropped by the Strategy Group: the regional programme now covers this, so a local version would "
        "duplicate it.",
        "Dropped: the national guidance this relied on was withdrawn. The aim is picked up by the new learning "
        "and improvement strategy.",
        "Dropped after the partners' review: the cost per head was too high for the expected benefit. The money "
        "moves to the refresher programme.",
    ],
}
# Evidence: links to the partnership's intranet (fictional), on completed updates and every third green one.
EVIDENCE_LINKS = {
    "completed": "https://example.org/intranet/workforce/action-plan/{plan}/{code}/evaluation-summary",
    "green": "https://example.org/intranet/workforce/action-plan/{plan}/{code}/attendance",
}
# Actions a governance body leads together with the named people: (strategy title, code) -> body slug.
LEADING_BODIES = {
    ("Children's Workforce Strategy 2010–14", "4.1"): "safeguarding-children-board",
    ("Children's Workforce Strategy 2010–14", "1.4"): "workforce-strategy-group",
    ("Workforce Action Plan 2026–27", "3.1"): "workforce-strategy-group",
    ("Workforce Action Plan 2026–27", "3.2"): "workforce-strategy-group",
    ("Workforce Action Plan 2026–27", "4.1"): "senior-officers-group",
}
PERCENT = {"green": 40, "amber": 55, "red": 30, "completed": 100, "dropped": 0}


def _leads() -> dict:
    people = {key: User.objects.get(email=email) for key, email in DEMO_ACCOUNTS.items()}
    for key, (first, last) in LEADS.items():
        email = f"{first.lower()}.{last.lower()}@demo.example"
        person = User.objects.filter(email=email).first()
        if person is None:
            person = user_create(email=email, first_name=first, last_name=last, roles=[Role.PRACTITIONER])
        people[key] = person
    return people


def _strategy(data: dict, *, status: str) -> Strategy:
    strategy, _ = Strategy.objects.get_or_create(
        title=data["title"],
        defaults={"period_start": data["period"][0], "period_end": data["period"][1], "status": status,
                  "summary": data["summary"]},
    )
    return strategy


def _as_of(instance, day: date, by):
    """Date the history of seeded rows to when they would have been written, by the strategy group member."""
    instance._history_date = timezone.make_aware(datetime.combine(day, time(9, 0)))
    instance._history_user = by
    return instance


def _action(strategy, theme, code, title, leads, due, timescale, people) -> Action:
    action = Action.objects.filter(strategy=strategy, code=code).first()
    if action is None:
        action = Action(
            strategy=strategy, theme=theme, code=code, title=title, due_date=due, timescale=timescale,
            start_date=strategy.period_start,
            description=f"Part of the aim “{theme.title}”. Agreed by the Workforce Strategy Group; progress is "
            "reported to the Board each quarter.",
            performance_measures="Attendance figures, training evaluations and case studies.",
            leading_body=GovernanceBody.objects.filter(slug=LEADING_BODIES.get((strategy.title, code), "")).first(),
        )
        _as_of(action, strategy.period_start, people["strategy"]).save()
        action.leads.set([people[key] for key in leads])
    return action


def _milestone(action: Action, title: str, due: date, done: date | None, by) -> None:
    if not Milestone.objects.filter(action=action, title=title).exists():
        _as_of(Milestone(action=action, title=title, due_date=due, done_date=done), action.start_date, by).save()


class _Writer:
    """Who writes each seeded update, and what: the action's leads in turn (the Strategy Group records a decision
    to drop), each status's commentaries in turn. The same order every run, so the same rows."""

    def __init__(self, people: dict):
        self.people = people
        self.turn = {status: 0 for status in COMMENTARY}

    def author(self, leads: list[str], status: str, index: int):
        if status == "dropped" or not leads:
            return self.people["strategy"]
        return self.people[leads[(index - 1) % len(leads)]]

    def commentary(self, status: str) -> str:
        pool = COMMENTARY[status]
        text = pool[self.turn[status] % len(pool)]
        self.turn[status] += 1
        return text

    def link(self, status: str, strategy: Strategy, code: str) -> str | None:
        template = EVIDENCE_LINKS.get(status)
        if template is None or (status == "green" and self.turn[status] % 3):
            return None
        return template.format(plan=f"{strategy.period_start:%Y}-{strategy.period_end:%y}", code=code)


def _updates(action: Action, statuses: list[str], *, start: date, end: date, leads: list[str],
             writer: _Writer) -> None:
    """Dated updates spread between start and end (never in the future), each posted by one of the leads."""
    if not statuses:
        return
    end = min(end, timezone.localdate())
    span = max((end - start).days, 1)
    for index, status in enumerate(statuses, start=1):
        day = start + timedelta(days=span * index // (len(statuses) + 1))
        when = timezone.make_aware(datetime.combine(day, time(10, 0)))
        commentary, link = writer.commentary(status), writer.link(status, action.strategy, action.code)
        update, created = StatusUpdate.objects.get_or_create(
            action=action, created_at=when,
            defaults={"status": status, "percent_complete": min(100, PERCENT[status] + 10 * (index - 1))
                      if status not in ("completed", "dropped") else PERCENT[status],
                      "commentary": commentary, "created_by": writer.author(leads, status, index)},
        )
        if created and link:
            Evidence.objects.create(update=update, url=link)
    action_current_status_refresh(action=action)


@transaction.atomic
def seed(*, stdout=None, **_options) -> None:
    people = _leads()
    strategy_user = people["strategy"]
    writer = _Writer(people)

    archived = _strategy(ARCHIVED, status=Strategy.Status.ARCHIVED)
    for order, (code, title, aim, actions) in enumerate(ARCHIVED["themes"], start=1):
        theme, _ = Theme.objects.get_or_create(strategy=archived, code=code,
                                               defaults={"title": title, "aim": aim, "order": order})
        for a_code, a_title, leads, due, timescale, final in actions:
            action = _action(archived, theme, a_code, a_title, leads, due, timescale, people)
            end = due or archived.period_end
            _updates(action, ["green", "amber", final] if final == "completed" else ["amber", final],
                     start=archived.period_start, end=end, leads=leads, writer=writer)

    current = _strategy(CURRENT, status=Strategy.Status.ACTIVE)
    for order, (code, title, aim, actions) in enumerate(CURRENT["themes"], start=1):
        theme, _ = Theme.objects.get_or_create(strategy=current, code=code,
                                               defaults={"title": title, "aim": aim, "order": order})
        for a_code, a_title, leads, due, timescale, statuses, milestones in actions:
            action = _action(current, theme, a_code, a_title, leads, due, timescale, people)
            target = due or current.period_end
            for index, m_title in enumerate(milestones, start=1):
                m_due = current.period_start + (target - current.period_start) * index / len(milestones)
                reached = m_due < date(2026, 9, 1) and m_due <= timezone.localdate()  # never done in the future
                done = m_due if reached and statuses[-1:] != ["red"] else None
                _milestone(action, m_title, m_due, done, strategy_user)
            _updates(action, statuses, start=current.period_start, end=date(2026, 11, 1), leads=leads,
                     writer=writer)
    reports = _board_reports(current, by=strategy_user)
    if stdout:
        stdout.write(f"Action plan: {Action.objects.count()} actions in {Strategy.objects.count()} strategies; "
                     f"{reports} Board reports rendered.")


def _board_reports(strategy: Strategy, *, by) -> int:
    """The archive: the two latest quarters of the current plan that have ended, each rendered for real (a few
    seconds each), once. The quarter before gets a second version, to show that versions are kept."""
    from .models import BoardReport
    from .reports.quarters import quarter_containing, quarters_between
    from .reports.services import board_report_regenerate, board_report_render, board_report_request

    today = timezone.localdate()
    ended = [q for q in quarters_between(strategy.period_start, today) if q.end < quarter_containing(today).start]
    rendered = 0
    for index, quarter in enumerate(reversed(ended[:2])):
        if BoardReport.objects.filter(strategy=strategy, period_start=quarter.start).exists():
            continue
        report = board_report_request(
            by=by, strategy=strategy, quarter=quarter, queue=False,
            recommendations=f"That the Board notes the progress made in {quarter.months}.\n\n"
                            "That the Board asks partners to release staff for the overdue safeguarding training.",
            author="Samuel Adeyemi, Workforce Strategy Group", contact="strategy@demo.example",
            sponsor="Director of Children's Services",
        )
        board_report_render(report_id=report.pk)
        rendered += 1
        if index == 0:  # a second version of the older quarter, with the same words
            board_report_render(report_id=board_report_regenerate(by=by, report=report, queue=False).pk)
            rendered += 1
    return rendered
