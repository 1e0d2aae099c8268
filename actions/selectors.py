"""Reads of the action plan, each list a bounded number of queries whatever the plan's size. Other apps
call plan_active, actions_overdue, actions_due_between, rag_summary, action_latest_updates (docs/actions.md)."""

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.core.paginator import Page, Paginator
from django.db.models import BooleanField, Count, ExpressionWrapper, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import cached_property

from core.caching import cached_in
from partners.models import GovernanceBody
from workforce.models import User as Person
from workforce.permissions import Viewer

from .models import CLOSED_STATUSES, Action, BoardReport, Milestone, PlanImport, Status, StatusUpdate, Strategy, Theme
from .permissions import actions_readable_q, strategies_readable_q

User = get_user_model()

DUE_SOON_DAYS = 30


def today() -> date:
    """The partnership's today (Europe/London): an action due today becomes overdue at local midnight."""
    return timezone.localdate()


def overdue_q(*, on: date) -> Q:
    """Past its due date and neither completed nor dropped, on the given day."""
    return Q(due_date__lt=on) & ~Q(current_status__in=CLOSED_STATUSES)


def open_q() -> Q:
    return ~Q(current_status__in=CLOSED_STATUSES)


def _with_overdue(qs: QuerySet[Action], *, on: date) -> QuerySet[Action]:
    return qs.annotate(overdue=ExpressionWrapper(overdue_q(on=on), output_field=BooleanField()))


def _leads_prefetch() -> "Prefetch[Any]":
    return Prefetch("leads", queryset=User.objects.only("id", "first_name", "last_name", "email"))


def _list_shape(qs: QuerySet[Action], *, on: date | None = None) -> QuerySet[Action]:
    """The shape every action list uses: theme and strategy joined, leads prefetched, overdue annotated."""
    return _with_overdue(
        qs.select_related("strategy", "theme", "leading_body").prefetch_related(_leads_prefetch()),
        on=on or today(),
    )


# --- Strategies ---------------------------------------------------------------------------------


def plan_active(*, with_theme_count: bool = False) -> Strategy | None:
    strategies = Strategy.objects.filter(status=Strategy.Status.ACTIVE)
    if with_theme_count:
        strategies = strategies.annotate(theme_count=Count("themes"))
    return strategies.first()


def strategies_for(*, user: Viewer) -> QuerySet[Strategy]:
    return Strategy.objects.filter(strategies_readable_q(user)).annotate(
        action_count=Count("actions", distinct=True), theme_count=Count("themes", distinct=True)
    )


# --- Actions ------------------------------------------------------------------------------------


def actions_for(*, user: Viewer, strategy: Strategy | None = None, on: date | None = None) -> QuerySet[Action]:
    qs = Action.objects.filter(actions_readable_q(user))
    if strategy is not None:
        qs = qs.filter(strategy=strategy)
    return _list_shape(qs, on=on)


def actions_led_by(*, user: Person, on: date | None = None) -> QuerySet[Action]:
    """The actions a person leads in the active plan (a draft is not published yet), soonest due first."""
    qs = Action.objects.filter(leads=user, strategy__status=Strategy.Status.ACTIVE)
    return _list_shape(qs, on=on).order_by(F("due_date").asc(nulls_last=True), "sort_key")


def actions_overdue(*, on: date, strategy: Strategy | None = None) -> QuerySet[Action]:
    """Open actions past their due date on that day. Not scoped to a user: for reminders and reports
    (pages list actions through `actions_for`, which is)."""
    qs = Action.objects.filter(overdue_q(on=on))
    if strategy is not None:
        qs = qs.filter(strategy=strategy)
    return _list_shape(qs, on=on).order_by("due_date", "sort_key")


def actions_due_between(*, start: date, end: date, strategy: Strategy | None = None) -> QuerySet[Action]:
    """Open actions due on a day from start to end inclusive. Not scoped to a user, like actions_overdue."""
    qs = Action.objects.filter(open_q(), due_date__gte=start, due_date__lte=end)
    if strategy is not None:
        qs = qs.filter(strategy=strategy)
    return _list_shape(qs, on=start).order_by("due_date", "sort_key")


def due_soon_range(*, on: date | None = None) -> tuple[date, date]:
    day = on or today()
    return day, day + timedelta(days=DUE_SOON_DAYS)


def lead_choices(*, strategy: Strategy | None) -> QuerySet[Person]:
    """People who lead at least one action of the strategy (for the list's lead filter)."""
    led = Action.leads.through.objects.all()
    if strategy is not None:
        led = led.filter(action__strategy=strategy)
    return User.objects.filter(pk__in=led.values("user_id")).order_by("last_name", "first_name")


FILTERS_NAMESPACE = "actions:filters"  # made stale by actions.receivers when actions, themes or leads change


def filter_choices(*, strategy: Strategy | None) -> dict[str, Any]:
    """The action list's theme and lead options for a strategy, kept in the cache."""

    def compute() -> dict[str, Any]:
        themes = strategy.themes.order_by("order", "code") if strategy else Theme.objects.none()
        leads = lead_choices(strategy=strategy).only("pk", "first_name", "last_name", "email")
        return {"themes": [(t.pk, str(t)) for t in themes], "leads": [(u.pk, str(u)) for u in leads],
                "token": uuid.uuid4().hex}  # new whenever computed again: keys the rendered filter form

    choices: dict[str, Any] = cached_in(FILTERS_NAMESPACE, f"actions:filters:{strategy.pk if strategy else 0}", compute)
    return choices


# What lists of actions show (rows, counts, who leads): made stale by actions.receivers when an action, its leads,
# status, theme, strategy or leading group, or a person's name changes.
LISTS_NAMESPACE = "actions:lists"


def plan_lists_version(*, on: date | None = None) -> str:
    """A token that changes whenever a list of actions may show something new: on any change to what it shows
    (above) and at local midnight (what is overdue or due in the next 30 days depends on the day). Rendered
    lists are cached under it (templates/actions/action_list.html)."""
    day = on or today()
    token: str
    token, _day = cached_in(LISTS_NAMESPACE, "actions:lists-version", lambda: (uuid.uuid4().hex, day),
                            fresh=lambda value: value[1] == day)
    return token


class ActionListPage:
    """One page of a filtered action list, worked out only when a template first asks for it: a page served from
    the cache runs none of its queries."""

    PAGE_SIZE = 50

    def __init__(self, queryset: QuerySet[Action], *, page_number: int | str | None) -> None:
        self._queryset, self._page_number = queryset, page_number

    @cached_property
    def page(self) -> "Page[Any]":
        page: Page[Any] = Paginator(self._queryset.values_list("pk", flat=True), self.PAGE_SIZE).get_page(
            self._page_number
        )
        page.object_list = actions_in_order(page.object_list)
        return page


def actions_in_order(ids: Iterable[int]) -> list[Action]:
    """The actions with these ids, in that order, shaped for a list (one page of a list: the page's ids are
    found first, narrow and sorted in the database, then only its rows are loaded)."""
    ids = list(ids)
    rows = _list_shape(Action.objects.filter(pk__in=ids)).only(*LIST_FIELDS)
    found = {a.pk: a for a in rows}
    return [found[pk] for pk in ids if pk in found]


# What a list of actions shows (templates/actions/_action_table.html): a page loads only these.
LIST_FIELDS = (
    "code", "title", "due_date", "timescale", "current_status", "percent_complete", "status_updated_at",
    "strategy__title", "strategy__status", "theme__code", "theme__title", "leading_body__name",
)  # fmt: skip


def action_latest_updates(*, actions: Iterable[Action]) -> dict[int, StatusUpdate]:
    """The latest update of each action (with its author and evidence), in two queries (for reports)."""
    latest_id = StatusUpdate.objects.filter(action_id=OuterRef("action_id")).order_by("-created_at", "-id").values(
        "id"
    )[:1]
    updates = (
        StatusUpdate.objects.filter(action_id__in=[a.pk for a in actions], id=Subquery(latest_id))
        .select_related("created_by")
        .prefetch_related("evidence")
    )
    return {update.action_id: update for update in updates}


def action_detail(*, action: Action) -> dict[str, Any]:
    """What the action page shows besides the action itself: leads, milestones, timeline."""
    return {
        "leads": list(action.leads.order_by("last_name", "first_name")),
        "milestones": list(action.milestones.all()),
        "timeline": action_timeline(action=action),
    }


# --- RAG summary --------------------------------------------------------------------------------

RAG_ORDER = [Status.RED, Status.AMBER, Status.GREEN, Status.COMPLETED, Status.DROPPED, Status.NOT_STARTED]


@dataclass(kw_only=True)
class RagRow:
    theme: Theme | None
    counts: dict[str, int]
    overdue: int
    total: int

    @property
    def segments(self) -> list[dict[str, Any]]:
        """The bar: one segment per status with at least one action, widths in percent of the total."""
        out: list[dict[str, Any]] = []
        for status in RAG_ORDER:
            n = self.counts.get(status.value, 0)
            if n:
                out.append({"status": status.value, "label": status.label, "count": n,
                            "percent": round(100 * n / self.total, 2)})
        offset = 0.0
        for seg in out:
            seg["offset"] = round(offset, 2)
            offset += seg["percent"]
        if out:  # rounding must not leave a gap or overflow at the end of the bar
            out[-1]["percent"] = round(100 - out[-1]["offset"], 2)
        return out

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(s.value, 0) for s in RAG_ORDER]


@dataclass(kw_only=True)
class RagSummary:
    strategy: Strategy
    rows: list[RagRow] = field(default_factory=list)
    total: RagRow | None = None
    on: date | None = None

    @property
    def statuses(self) -> list[Status]:
        return RAG_ORDER


def rag_summary(*, strategy: Strategy, on: date | None = None) -> RagSummary:
    """Per theme: actions by current status, and overdue ones, in two queries. Each action counts once by
    status, so a row adds up to its total; overdue is counted beside the statuses."""
    day = on or today()
    aggregates = {s.value: Count("id", filter=Q(current_status=s.value)) for s in RAG_ORDER}
    rows_by_theme: dict[int, Any] = {
        row["theme_id"]: row
        for row in Action.objects.filter(strategy=strategy)
        .values("theme_id")
        .annotate(total=Count("id"), overdue=Count("id", filter=overdue_q(on=day)), **aggregates)
        .order_by()
    }
    summary = RagSummary(strategy=strategy, on=day)
    grand = {s.value: 0 for s in RAG_ORDER}
    grand_overdue = grand_total = 0
    for theme in strategy.themes.order_by("order", "code"):
        row: dict[str, Any] = rows_by_theme.get(theme.pk, {})
        counts = {s.value: row.get(s.value, 0) for s in RAG_ORDER}
        summary.rows.append(RagRow(theme=theme, counts=counts, overdue=row.get("overdue", 0),
                                   total=row.get("total", 0)))
        for key, n in counts.items():
            grand[key] += n
        grand_overdue += row.get("overdue", 0)
        grand_total += row.get("total", 0)
    summary.total = RagRow(theme=None, counts=grand, overdue=grand_overdue, total=grand_total)
    return summary


def plan_figures(*, strategy: Strategy, on: date | None = None) -> dict[str, Any]:
    """The plan at a glance, in one query: actions in all, by current status (in RAG order), overdue, and due
    in the next DUE_SOON_DAYS days (open ones, as actions_due_between counts them)."""
    day = on or today()
    start, end = due_soon_range(on=day)
    figures: dict[str, Any] = Action.objects.filter(strategy=strategy).aggregate(
        total=Count("id"), overdue=Count("id", filter=overdue_q(on=day)),
        due_soon=Count("id", filter=open_q() & Q(due_date__gte=start, due_date__lte=end)),
        **{f"status_{s.value}": Count("id", filter=Q(current_status=s.value)) for s in RAG_ORDER},
    )  # fmt: skip
    figures["by_status"] = {s.value: figures.pop(f"status_{s.value}") for s in RAG_ORDER}
    return figures


# --- Timeline -----------------------------------------------------------------------------------


@dataclass(kw_only=True)
class TimelineEntry:
    when: datetime
    who: object | None
    kind: str  # "update", "action", "milestone"
    title: str
    changes: list[tuple[str, Any, Any]] = field(default_factory=list)  # (field, old, new)
    update: StatusUpdate | None = None
    verb: str = ""  # "added", "changed", "removed" for history entries
    key: int | None = None


ACTION_FIELD_LABELS = {f.name: str(f.verbose_name).capitalize() for f in Action._meta.get_fields()
                       if hasattr(f, "verbose_name")}
MILESTONE_FIELD_LABELS = {f.name: str(f.verbose_name).capitalize() for f in Milestone._meta.get_fields()
                          if hasattr(f, "verbose_name")}
# Records by one person this close together are one change (saving an action writes its fields, then its leads).
_SAME_CHANGE = timedelta(seconds=5)


def _show(value: object) -> str:
    if value in (None, ""):
        return "—"
    if isinstance(value, date):
        return value.strftime("%-d %b %Y")
    return str(value)


def _people(rows: Iterable[dict[str, Any]], users: dict[int, Person]) -> str:
    names = sorted(str(users.get(r["user"], r["user"])) for r in rows)
    return ", ".join(names) or "—"


def _history_entries(
    records: Iterable[Any], *, kind: str, labels: dict[str, str], describe: Callable[[Any, str], str]
) -> list[TimelineEntry]:
    """Turn consecutive historical records into timeline entries of what changed, by whom."""
    entries: list[TimelineEntry] = []
    previous: dict[int, Any] = {}
    for record in records:
        key = record.id
        prev = previous.get(key)
        previous[key] = record
        changes: list[tuple[str, Any, Any]]
        if record.history_type == "+":
            verb, changes = "added", []
        elif record.history_type == "-":
            verb, changes = "removed", []
        else:
            if prev is None:
                continue
            delta = record.diff_against(prev)
            changes = []
            for change in delta.changes:
                if change.field == "leads":
                    continue  # shown below with names
                changes.append((labels.get(change.field, change.field), _show(change.old), _show(change.new)))
            lead_changes = [c for c in delta.changes if c.field == "leads"]
            for change in lead_changes:
                changes.append(("Leads", change.old, change.new))  # resolved to names by the caller
            if not changes:
                continue
            verb = "changed"
        last = entries[-1] if entries else None
        if (
            last is not None
            and last.kind == kind
            and last.who == record.history_user
            and record.history_date - last.when <= _SAME_CHANGE
            and last.key == key
            and record.history_type == "~"
        ):
            last.changes.extend(changes)
            last.when = record.history_date
            continue
        entries.append(TimelineEntry(when=record.history_date, who=record.history_user, kind=kind,
                                     title=describe(record, verb), changes=changes, verb=verb, key=key))
    return entries


def action_timeline(*, action: Action) -> list[TimelineEntry]:
    """Status updates, changes to the action and its milestones, newest first, each with who and when."""
    updates = list(
        action.updates.select_related("created_by").prefetch_related("evidence").order_by("-created_at", "-id")
    )
    entries = [
        TimelineEntry(when=u.created_at, who=u.created_by, kind="update", title=u.get_status_display(), update=u)
        for u in updates
    ]
    action_records = list(
        action.history.select_related("history_user").order_by("history_date", "history_id")
    )
    themes = {t.pk: str(t) for t in Theme.objects.filter(strategy_id=action.strategy_id)}
    bodies = {b.pk: b.name for b in GovernanceBody.objects.only("id", "name")}
    entries += _history_entries(
        action_records,
        kind="action",
        labels=ACTION_FIELD_LABELS,
        describe=lambda r, verb: f"Action {verb}",
    )
    milestone_records = list(
        Milestone.history.filter(action_id=action.pk).select_related("history_user").order_by("history_date",
                                                                                                "history_id")
    )
    entries += _history_entries(
        milestone_records,
        kind="milestone",
        labels=MILESTONE_FIELD_LABELS,
        describe=lambda r, verb: f"Milestone {verb}: {r.title}",
    )
    # Names for lead and theme changes, in one query.
    user_ids: set[int] = set()
    for entry in entries:
        for label, old, new in entry.changes:
            if label == "Leads":
                user_ids.update(row["user"] for row in list(old) + list(new))
    users = {u.pk: u for u in User.objects.filter(pk__in=user_ids)}
    for entry in entries:
        resolved: list[tuple[str, Any, Any]] = []
        for label, old, new in entry.changes:
            if label == "Leads":
                old, new = _people(old, users), _people(new, users)
                if old == new:
                    continue
            elif label == "Theme":
                old = themes.get(_int(old), old)
                new = themes.get(_int(new), new)
            elif label == "Leading group":
                old = bodies.get(_int(old), old)
                new = bodies.get(_int(new), new)
            resolved.append((label, old, new))
        entry.changes = _collapse(resolved)
    entries = [e for e in entries if e.kind == "update" or e.changes or e.verb in ("added", "removed")]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _int(value: Any) -> Any:
    try:
        return int(value)
    except (TypeError, ValueError):
        return value


def _collapse(changes: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """One line per field: from the first old value to the last new value (a no-op change disappears)."""
    merged: dict[str, list[str]] = {}
    for label, old, new in changes:
        if label in merged:
            merged[label][1] = new
        else:
            merged[label] = [old, new]
    return [(label, old, new) for label, (old, new) in merged.items() if old != new]


# --- Personal data (the privacy app's export) ----------------------------------------------------------


def personal_data_of(*, person: Person) -> dict[str, tuple[str, object]]:
    """The actions a person leads or led, the status updates they wrote, plans they imported and Board reports
    they asked for (what they wrote on them; the PDF is the Board's record)."""
    return {
        "actions_led": ("Actions they lead", Action.objects.filter(leads=person).select_related("strategy", "theme")),
        "status_updates": (
            "Status updates they wrote",
            StatusUpdate.objects.filter(created_by=person).select_related("action").prefetch_related("evidence"),
        ),
        "plan_imports": (
            "Action plan imports they uploaded",
            [
                {"file": i.filename, "strategy": str(i.strategy), "uploaded_at": i.created_at,
                 "applied_at": i.applied_at}
                for i in PlanImport.objects.filter(uploaded_by=person).select_related("strategy").defer("rows")
            ],
        ),
        "board_reports_requested": (
            "Board reports they asked for",
            [
                {"report": str(r), "requested_at": r.requested_at, "status": r.get_status_display(),
                 "author": r.author, "contact": r.contact, "sponsor": r.sponsor, "recommendations": r.recommendations}
                for r in BoardReport.objects.filter(requested_by=person).select_related("strategy")
            ],
        ),
    }
