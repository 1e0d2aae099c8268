"""Every figure in the Board report, as at the quarter's end (or today), in about a dozen queries: status as
at a day is the latest update by then, so a past quarter reads as it did (docs/actions.md)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from ..models import CLOSED_STATUSES, Action, Milestone, Status, StatusUpdate, Strategy
from ..selectors import RAG_ORDER
from .quarters import Quarter

User = get_user_model()

# The order statuses are shown in, and their colours in the chart (the same as the portal's RAG badges).
STATUS_COLOURS = {
    Status.RED.value: "#b3261e",
    Status.AMBER.value: "#ffb000",
    Status.GREEN.value: "#1a7f37",
    Status.COMPLETED.value: "#1d3f72",
    Status.DROPPED.value: "#595959",
    Status.NOT_STARTED.value: "#c9cdd2",
}
STATUS_SHORT = {
    Status.RED.value: "Red",
    Status.AMBER.value: "Amber",
    Status.GREEN.value: "Green",
    Status.COMPLETED.value: "Completed",
    Status.DROPPED.value: "Dropped",
    Status.NOT_STARTED.value: "No update",
}


def end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())


@dataclass
class ActionRow:
    action: Action
    leads: list[str]
    status: str
    percent: int
    commentary: str
    updated_on: dt.date | None
    overdue: bool

    @property
    def status_label(self) -> str:
        return STATUS_SHORT[self.status]

    @property
    def lead_names(self) -> str:
        return ", ".join(self.leads) or "No lead named"


@dataclass
class ThemeBlock:
    code: str
    title: str
    rows: list[ActionRow] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys((s.value for s in RAG_ORDER), 0))

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def overdue(self) -> int:
        return sum(1 for r in self.rows if r.overdue)

    @property
    def cells(self) -> list[int]:
        return [self.counts[s.value] for s in RAG_ORDER]


@dataclass
class MilestoneRow:
    milestone: Milestone
    action_code: str
    due: dt.date | None
    done: dt.date | None
    state: str  # "Met on time", "Met late", "Met early", "Not met: overdue", "Not yet due"


@dataclass
class TrainingRow:
    sector: str
    booked: int = 0
    attended: int = 0
    no_show: int = 0

    @property
    def rate(self) -> int | None:
        marked = self.attended + self.no_show
        return round(100 * self.attended / marked) if marked else None


@dataclass
class ComplianceRow:
    sector: str
    people: int = 0
    compliant: int = 0
    required: int = 0
    up_to_date: int = 0

    @property
    def percent(self) -> int | None:
        return round(100 * self.compliant / self.people) if self.people else None

    @property
    def requirement_percent(self) -> int | None:
        return round(100 * self.up_to_date / self.required) if self.required else None


@dataclass
class ReportData:
    strategy: Strategy
    quarter: Quarter
    as_at: dt.date
    generated_on: dt.date
    partnership: str
    board: str
    sponsor: str
    author: str
    contact: str
    recommendations: list[str]
    themes: list[ThemeBlock]
    totals: dict[str, int]
    total_actions: int
    total_overdue: int
    exceptions: list[ActionRow]
    milestones: list[MilestoneRow]
    sessions_held: int
    training: list[TrainingRow]
    training_total: TrainingRow
    compliance: list[ComplianceRow] | None
    compliance_total: ComplianceRow | None
    workforce: dict
    statuses: list[tuple[str, str, str]]  # (value, short label, colour)
    version: int | None = None  # the report's version (None: a preview, not a stored report)

    @property
    def part_quarter(self) -> bool:
        """The quarter was still running on the as-at day: its figures cover only part of it."""
        return self.as_at < self.quarter.end

    @property
    def total_cells(self) -> list[int]:
        return [self.totals[s.value] for s in RAG_ORDER]

    @property
    def milestones_due(self) -> int:
        return sum(1 for m in self.milestones if m.due and self.quarter.contains(m.due))

    @property
    def milestones_met(self) -> int:
        return sum(1 for m in self.milestones if m.done and self.quarter.contains(m.done))


def _name(user) -> str:
    return user.get_full_name() or user.email


def statuses_as_at(*, strategy: Strategy, day: dt.date) -> dict[int, StatusUpdate]:
    """The latest status update of each action of the strategy posted on or before `day`. One query."""
    latest: dict[int, StatusUpdate] = {}
    for update in (
        StatusUpdate.objects.filter(action__strategy=strategy, created_at__lt=end_of_day(day))
        .only("id", "action_id", "status", "percent_complete", "commentary", "created_at")
        .order_by("action_id", "-created_at", "-id")
    ):
        latest.setdefault(update.action_id, update)
    return latest


def in_plan_on(day: dt.date) -> Q:
    """Actions the plan had on `day`: begun by then by their start date; with no start date, added to the portal
    or reported on by then. A report for a past quarter, made again later, does not count actions that came
    after it (an imported plan's actions count for earlier quarters when their start dates say so)."""
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=timezone.get_current_timezone())
    reported = Exists(StatusUpdate.objects.filter(action=OuterRef("pk"), created_at__lt=end))
    return Q(start_date__lte=day) | Q(start_date__isnull=True) & (Q(created_at__lt=end) | reported)


def plan_as_at(*, strategy: Strategy, day: dt.date) -> tuple[list[ThemeBlock], list[ActionRow]]:
    """The plan's themes with each action's status, percent, latest commentary and overdue flag on `day`.
    Four queries: themes, actions, their leads, status updates."""
    themes = {t.pk: ThemeBlock(t.code, t.title) for t in strategy.themes.order_by("order", "code")}
    leads = Prefetch("leads", queryset=User.objects.only("id", "first_name", "last_name", "email"))
    actions = (
        Action.objects.filter(in_plan_on(day), strategy=strategy)
        .only("id", "code", "title", "theme_id", "due_date", "timescale", "sort_key", "strategy_id")
        .prefetch_related(leads)
        .order_by("theme__order", "sort_key")
    )
    latest = statuses_as_at(strategy=strategy, day=day)
    rows = []
    for action in actions:
        update = latest.get(action.pk)
        status = update.status if update else Status.NOT_STARTED.value
        overdue = action.due_date is not None and action.due_date < day and status not in CLOSED_STATUSES
        row = ActionRow(
            action=action,
            leads=sorted(_name(u) for u in action.leads.all()),
            status=status,
            percent=update.percent_complete if update else 0,
            commentary=update.commentary if update else "",
            updated_on=timezone.localtime(update.created_at).date() if update else None,
            overdue=overdue,
        )
        block = themes[action.theme_id]
        block.rows.append(row)
        block.counts[status] += 1
        rows.append(row)
    return list(themes.values()), rows


def milestones_in(*, strategy: Strategy, quarter: Quarter, day: dt.date) -> list[MilestoneRow]:
    """Milestones due in the quarter, and those met in it. One query."""
    qs = (
        Milestone.objects.filter(action__in=Action.objects.filter(in_plan_on(day), strategy=strategy))
        .filter(Q(due_date__range=(quarter.start, quarter.end)) | Q(done_date__range=(quarter.start, quarter.end)))
        .select_related("action")
        .order_by("due_date", "action__sort_key", "id")
    )
    out = []
    for m in qs:
        done = m.done_date if m.done_date and m.done_date <= day else None
        if done is not None:
            if m.due_date is None or done == m.due_date:
                state = "Met on time"
            else:
                state = "Met early" if done < m.due_date else "Met late"
        elif m.due_date is not None and m.due_date < day:
            state = "Not met: overdue"
        else:
            state = "Not yet due"
        out.append(MilestoneRow(m, m.action.code, m.due_date, done, state))
    return out


def training_in(*, quarter: Quarter, day: dt.date | None = None) -> tuple[int, list[TrainingRow], TrainingRow]:
    """Sessions held in the quarter up to `day` (the as-at day, by default the quarter's end: sessions still to
    come are not "held") and their places by the attendee's sector. Two queries."""
    from training.models import Booking, Session

    start = dt.datetime.combine(quarter.start, dt.time.min, tzinfo=timezone.get_current_timezone())
    end = end_of_day(min(quarter.end, day or quarter.end))
    sessions = Session.objects.filter(starts_at__gte=start, starts_at__lt=end).exclude(
        status=Session.Status.CANCELLED
    )
    held = sessions.count()
    by_sector = (
        Booking.objects.filter(session__in=sessions, status__in=Booking.PLACE_STATUSES)
        .values("person__profile__organisation__sector__name", "person__profile__organisation__sector__order")
        .annotate(
            booked=Count("id"),
            attended=Count("id", filter=Q(status=Booking.Status.ATTENDED)),
            no_show=Count("id", filter=Q(status=Booking.Status.NO_SHOW)),
        )
        .order_by("person__profile__organisation__sector__order", "person__profile__organisation__sector__name")
    )
    rows = [
        TrainingRow(r["person__profile__organisation__sector__name"] or "No sector recorded", r["booked"],
                    r["attended"], r["no_show"])
        for r in by_sector
    ]
    total = TrainingRow("All sectors", sum(r.booked for r in rows), sum(r.attended for r in rows),
                        sum(r.no_show for r in rows))
    return held, rows, total


def compliance_by_sector(*, day: dt.date) -> tuple[list[ComplianceRow] | None, ComplianceRow | None]:
    """Core Training Standard compliance of active staff by sector, as at `day` (training.compliance)."""
    try:
        from training.compliance import State, compliance_matrix
    except ImportError:  # pragma: no cover - training's compliance not installed
        return None, None
    matrix = compliance_matrix(people=User.objects.filter(is_active=True, profile__isnull=False), today=day)
    rows: dict[str, ComplianceRow] = defaultdict(lambda: ComplianceRow(""))
    for person_row in matrix.rows:
        sector = person_row.person.sector or "No sector recorded"
        row = rows[sector]
        row.sector = sector
        row.people += 1
        row.compliant += person_row.is_compliant
        for cell in person_row.required:
            row.required += 1
            row.up_to_date += cell.state == State.UP_TO_DATE
    from partners.models import Sector

    sector_order = dict(Sector.objects.values_list("name", "order"))
    ordered = sorted(rows.values(), key=lambda r: (r.sector not in sector_order, sector_order.get(r.sector, 0),
                                                   r.sector))
    total = ComplianceRow("All sectors", sum(r.people for r in ordered), sum(r.compliant for r in ordered),
                          sum(r.required for r in ordered), sum(r.up_to_date for r in ordered))
    return ordered, total


def workforce_as_at(*, day: dt.date) -> dict:
    from workforce.selectors import workforce_figures

    return workforce_figures(on=day)


def board_name(*, day: dt.date) -> str:
    """The Board's name (partners' governance body with the slug "board")."""
    from partners.models import GovernanceBody

    return GovernanceBody.objects.filter(slug="board").values_list("name", flat=True).first() or "The Board"


def split_paragraphs(text: str) -> list[str]:
    return [p.strip() for p in text.replace("\r\n", "\n").split("\n\n") if p.strip()]


def report_data(
    *,
    strategy: Strategy,
    quarter: Quarter,
    today: dt.date | None = None,
    recommendations: str = "",
    author: str = "",
    contact: str = "",
    sponsor: str = "",
    version: int | None = None,
) -> ReportData:
    today = today or timezone.localdate()
    as_at = min(quarter.end, today)
    themes, rows = plan_as_at(strategy=strategy, day=as_at)
    totals = dict.fromkeys((s.value for s in RAG_ORDER), 0)
    for block in themes:
        for key, n in block.counts.items():
            totals[key] += n
    exceptions = sorted(
        (r for r in rows if r.status == Status.RED or r.overdue),
        key=lambda r: (r.action.due_date or dt.date.max, r.action.sort_key),
    )
    held, training_rows, training_total = training_in(quarter=quarter, day=as_at)
    compliance, compliance_total = compliance_by_sector(day=as_at)
    return ReportData(
        strategy=strategy,
        quarter=quarter,
        as_at=as_at,
        generated_on=today,
        partnership=getattr(settings, "PARTNERSHIP_NAME", "Children's Partnership"),
        board=board_name(day=as_at),
        sponsor=sponsor,
        author=author,
        contact=contact,
        recommendations=split_paragraphs(recommendations),
        themes=themes,
        totals=totals,
        total_actions=len(rows),
        total_overdue=sum(1 for r in rows if r.overdue),
        exceptions=exceptions,
        milestones=milestones_in(strategy=strategy, quarter=quarter, day=as_at),
        sessions_held=held,
        training=training_rows,
        training_total=training_total,
        compliance=compliance,
        compliance_total=compliance_total,
        workforce=workforce_as_at(day=as_at),
        statuses=[(s.value, STATUS_SHORT[s.value], STATUS_COLOURS[s.value]) for s in RAG_ORDER],
        version=version,
    )
