"""Every write to the action plan: keyword-only, one transaction per use case, domain errors raised.
Status updates are append-only; history records who changed what (docs/actions.md)."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from core.caching import cache_namespace_bump
from core.history import history_note
from core.personal_data import Redact
from partners.models import GovernanceBody
from workforce.models import User

from .models import (
    Action,
    BoardReport,
    Evidence,
    ExternalLead,
    Milestone,
    PlanImport,
    Status,
    StatusUpdate,
    Strategy,
    Theme,
)
from .permissions import can_edit_plan, may_update
from .plan_import.status import ImportedStatus
from .selectors import LISTS_NAMESPACE

M = TypeVar("M", bound=models.Model)


class ActionPlanError(Exception):
    """A rule of the plan was broken; the message is shown to the user as it is, next to `field` when the
    rule is about one field of the form (e.g. "code"), otherwise at the top."""

    def __init__(self, message: str = "", *, field: str | None = None):
        super().__init__(message)
        self.field = field


class NotAllowed(ActionPlanError):
    """The user may not do this (views turn it into a 404)."""


def _require_editor(by: User) -> None:
    if not can_edit_plan(by):
        raise NotAllowed("Only strategy group members and administrators change the plan.")


def _require_open(strategy: Strategy) -> None:
    if strategy.is_archived:
        raise NotAllowed("This plan is archived: it is read-only. Reopen it first to change it.")


def _stamp(instance: M, by: User | None) -> M:
    """Tell django-simple-history who made the change when there is no request (imports, demo, tasks)."""
    history_note(instance, by=by)
    return instance


# --- Strategies and themes -----------------------------------------------------------------------


def strategy_save(*, by: User, strategy: Strategy | None = None, title: str, period_start: date, period_end: date,
                  status: str, summary: str = "") -> Strategy:
    """Create or change a strategy. Making one active archives the plan that was active before."""
    _require_editor(by)
    if period_end < period_start:
        raise ActionPlanError("The period must end on or after the day it starts.")
    with transaction.atomic():
        strategy = strategy or Strategy()
        if status == Strategy.Status.ACTIVE:
            for other in Strategy.objects.select_for_update().filter(status=Strategy.Status.ACTIVE).exclude(
                pk=strategy.pk
            ):
                other.status = Strategy.Status.ARCHIVED
                _stamp(other, by).save(update_fields=["status"])
        strategy.title = title.strip()
        strategy.period_start = period_start
        strategy.period_end = period_end
        strategy.status = status
        strategy.summary = summary.strip()
        try:
            with transaction.atomic():
                _stamp(strategy, by).save()
        except IntegrityError:
            raise ActionPlanError("A strategy with this title already exists.") from None
    return strategy


def theme_save(*, by: User, strategy: Strategy, theme: Theme | None = None, code: str, title: str, aim: str = "",
               order: int = 0) -> Theme:
    _require_editor(by)
    _require_open(strategy)
    code = code.strip()
    with transaction.atomic():
        current: Any = getattr(theme, "pk", None)
        if Theme.objects.filter(strategy=strategy, code__iexact=code).exclude(pk=current).exists():
            raise ActionPlanError(f"This strategy already has a theme with code {code}.")
        theme = theme or Theme(strategy=strategy)
        theme.code, theme.title, theme.aim, theme.order = code, title.strip(), aim.strip(), order
        _stamp(theme, by).save()
    return theme


# --- Actions and milestones -----------------------------------------------------------------------


@dataclass(kw_only=True)
class ActionFields:
    """The typed fields of an action, as forms and imports give them. `given` names the fields the source
    gave (None, as forms give: all); on an existing action the others keep their value."""

    theme: Theme
    code: str
    title: str
    description: str = ""
    leads: Iterable[User] = ()
    leading_body: GovernanceBody | None = None
    start_date: date | None = None
    due_date: date | None = None
    timescale: str = ""
    priorities: str = ""
    performance_measures: str = ""
    given: frozenset[str] | None = None
    external_leads: list[str] | None = None  # None: leave them as they are
    status: ImportedStatus | None = None  # an imported plan's status
    commentary: str = ""
    milestones: list[tuple[str, date]] = field(default_factory=list)  # bracketed dates in an imported plan

    def gives(self, name: str) -> bool:
        return self.given is None or name in self.given or name in ("theme", "code", "title")


# The action's columns each ActionFields field writes (leads are written separately).
ACTION_COLUMNS = {
    "theme": ("strategy_id", "theme_id"), "leading_body": ("leading_body_id",), "code": ("code",),
    "title": ("title",), "description": ("description",), "start_date": ("start_date",),
    "due_date": ("due_date",), "timescale": ("timescale",), "priorities": ("priorities",),
    "performance_measures": ("performance_measures",),
}


def same_text(a: object, b: object) -> bool:
    """Equal, ignoring how lines end (a browser sends CRLF, a workbook gives LF back)."""
    if isinstance(a, str) and isinstance(b, str):
        return a.replace("\r\n", "\n") == b.replace("\r\n", "\n")
    return a == b


def lead_has_left(person: User) -> bool:
    return not person.is_active


def group_has_ended(body: GovernanceBody, *, on: date) -> bool:
    return body.end_date is not None and body.end_date < on


def _apply_action_fields(action: Action, fields: ActionFields, *, by: User) -> bool:
    """Write the given fields onto a new or existing action; True if anything changed (only a real change is
    saved, so re-importing the same file adds nothing to the history)."""
    existing = action.pk is not None

    def gives(name: str) -> bool:
        return not existing or fields.gives(name)

    start = fields.start_date if gives("start_date") else action.start_date
    due = fields.due_date if gives("due_date") else action.due_date
    if start and due and due < start:
        raise ActionPlanError(f"The due date must be on or after the start date ({start:%-d %b %Y}).",
                              field="due_date")
    code = fields.code.strip()
    duplicate = Action.objects.filter(strategy_id=fields.theme.strategy_id, code__iexact=code).exclude(pk=action.pk)
    if duplicate.exists():
        raise ActionPlanError(f"This strategy already has an action with code {code}.", field="code")
    # People who have left and groups that have ended stay where they are, but are not newly named.
    current_leads = set(action.leads.values_list("pk", flat=True)) if existing else set()
    leads = {user.pk: user for user in fields.leads} if gives("leads") else None
    for person in (leads or {}).values():
        if person.pk not in current_leads and lead_has_left(person):
            raise ActionPlanError(f"{person} has left the partnership: name someone else as lead.", field="leads")
    body = fields.leading_body if gives("leading_body") else None
    if body is not None and body.pk != action.leading_body_id and group_has_ended(body, on=timezone.localdate()):
        raise ActionPlanError(f"{body} ended on {body.end_date:%-d %b %Y}: choose a group that still meets.",
                              field="leading_body")
    values: dict[str, Any] = {
        "strategy_id": fields.theme.strategy_id,
        "theme_id": fields.theme.pk,
        "leading_body_id": getattr(fields.leading_body, "pk", None),
        "code": code,
        "title": fields.title.strip(),
        "description": fields.description.strip(),
        "start_date": fields.start_date,
        "due_date": fields.due_date,
        "timescale": fields.timescale.strip(),
        "priorities": fields.priorities.strip(),
        "performance_measures": fields.performance_measures.strip(),
    }
    values = {column: values[column] for name, columns in ACTION_COLUMNS.items() if gives(name) for column in columns}
    changed = not existing or any(not same_text(getattr(action, name), value) for name, value in values.items())
    if changed:
        for name, value in values.items():
            setattr(action, name, value)
        _stamp(action, by).save()
    if leads is not None and current_leads != set(leads):
        action.leads.set(leads.values())
        changed = True
    return changed


def action_create(*, by: User, fields: ActionFields) -> Action:
    _require_editor(by)
    _require_open(fields.theme.strategy)
    with transaction.atomic():
        action = Action()
        _apply_action_fields(action, fields, by=by)
    return action


def action_edit(*, by: User, action: Action, fields: ActionFields) -> Action:
    _require_editor(by)
    _require_open(action.strategy)
    if fields.theme.strategy_id != action.strategy_id:
        raise ActionPlanError("An action stays in its strategy: choose one of this strategy's themes.")
    with transaction.atomic():
        _apply_action_fields(action, fields, by=by)
    return action


def milestone_save(*, by: User, action: Action, milestone: Milestone | None = None, title: str,
                   due_date: date | None = None, done_date: date | None = None) -> Milestone:
    """Add or change a milestone. A done date is a fact: not in the future, nor before the action started."""
    _require_editor(by)
    _require_open(action.strategy)
    with transaction.atomic():
        milestone = milestone or Milestone(action=action)
        if milestone.action_id != action.pk:
            raise NotAllowed("That milestone belongs to another action.")
        if done_date is not None and done_date != milestone.done_date:  # a date already recorded is not re-judged
            if done_date > timezone.localdate():
                raise ActionPlanError("The done date is in the future: fill it in when the milestone is reached "
                                      "(today at the latest).", field="done_date")
            if action.start_date and done_date < action.start_date:
                raise ActionPlanError(f"The done date is before the action started ({action.start_date:%-d %b %Y}).",
                                      field="done_date")
        milestone.title, milestone.due_date, milestone.done_date = title.strip(), due_date, done_date
        _stamp(milestone, by).save()
    return milestone


def milestone_delete(*, by: User, milestone: Milestone) -> None:
    """Removing a milestone keeps its history (the timeline shows it was removed, by whom)."""
    _require_editor(by)
    _require_open(milestone.action.strategy)
    with transaction.atomic():
        _stamp(milestone, by).delete()


# --- Status updates -------------------------------------------------------------------------------


@dataclass(kw_only=True)
class EvidenceFile:
    """An uploaded file that forms.validate_evidence_file has already checked."""

    file: "UploadedFile[Any]"
    name: str
    content_type: str
    size: int


def action_status_update(*, by: User, action: Action, status: str, percent_complete: int | None, commentary: str,
                         files: Iterable[EvidenceFile] = (), links: Iterable[str] = ()) -> StatusUpdate:
    """Post a dated status update. Completed means 100%; the action's current status becomes this one."""
    if status not in Status.values or status == Status.NOT_STARTED:
        raise ActionPlanError("Choose a status: green, amber, red, completed or dropped.")
    if not commentary.strip():
        raise ActionPlanError("Say what has happened since the last update.")
    if status == Status.COMPLETED:
        percent_complete = 100
    if percent_complete is None:
        percent_complete = action.percent_complete
    if not 0 <= percent_complete <= 100:
        raise ActionPlanError("Percent complete must be from 0 to 100.")
    stored: list[str] = []  # files written to storage, removed again if the transaction rolls back
    try:
        with transaction.atomic():
            # Lock the action so two updates at once keep "latest" consistent with the denormalised copy.
            locked = Action.objects.select_for_update().select_related("strategy").get(pk=action.pk)
            if not may_update(by, locked):
                raise NotAllowed("You may not update this action.")
            update = StatusUpdate.objects.create(
                action=locked, status=status, percent_complete=percent_complete, commentary=commentary.strip(),
                created_by=by, created_at=timezone.now(),
            )
            for item in files:
                evidence = Evidence(update=update, original_name=item.name[:200], content_type=item.content_type,
                                    size=item.size)
                evidence.file.save(item.name, item.file, save=False)
                if evidence.file.name:
                    stored.append(evidence.file.name)
                evidence.save()
            for url in links:
                Evidence.objects.create(update=update, url=url)
            Action.objects.filter(pk=locked.pk).update(
                current_status=status, percent_complete=percent_complete, status_updated_at=update.created_at
            )
    except BaseException:
        for name in stored:
            default_storage.delete(name)
        raise
    action.current_status, action.percent_complete, action.status_updated_at = (
        status, percent_complete, update.created_at,
    )
    return update


def action_current_status_refresh(*, action: Action) -> Action:
    """Copy the latest update onto the action again (for data loaded with its own dates, e.g. the demo)."""
    with transaction.atomic():
        latest = action.updates.order_by("-created_at", "-id").first()
        values: dict[str, Any] = {
            "current_status": Status.NOT_STARTED, "percent_complete": 0, "status_updated_at": None,
        }  # fmt: skip
        if latest is not None:
            values = {"current_status": latest.status, "percent_complete": latest.percent_complete,
                      "status_updated_at": latest.created_at}
        Action.objects.filter(pk=action.pk).update(**values)
        cache_namespace_bump(LISTS_NAMESPACE)  # an update() sends no signal (actions.receivers)
        for name, value in values.items():
            setattr(action, name, value)
    return action


# --- Import --------------------------------------------------------------------------------------


def plan_import_stage(
    *, by: User, strategy: Strategy, filename: str, rows: list[dict[str, Any]], errors: list[dict[str, Any]]
) -> PlanImport:
    """Keep a parsed file (rows and row errors) for the preview; nothing in the plan changes."""
    _require_editor(by)
    with transaction.atomic():
        return PlanImport.objects.create(strategy=strategy, uploaded_by=by, filename=filename[:200], rows=rows,
                                         errors=errors)


def plan_import_apply(*, by: User, plan_import: PlanImport) -> dict[str, int]:
    """Write a previewed import all or nothing: new codes created, existing ones updated (only the file's
    columns); rows are resolved again so a theme or person removed since the preview stops it."""
    from .spreadsheets import planned_themes, resolve_rows  # the preview and the write share the same rules

    _require_editor(by)
    with transaction.atomic():
        locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
        if locked.applied_at is not None:
            raise ActionPlanError("This file has already been imported.")
        _require_open(locked.strategy)
        if locked.errors:
            raise ActionPlanError("Fix the rows with errors and upload the file again.")
        _import_themes_create(by=by, strategy=locked.strategy, titles=planned_themes(strategy=locked.strategy,
                                                                                      rows=locked.rows))
        resolved, errors = resolve_rows(strategy=locked.strategy, rows=locked.rows)
        if errors:
            raise ActionPlanError("The plan changed since the preview: upload the file again.")
        existing = {a.code.lower(): a for a in Action.objects.filter(strategy=locked.strategy)}
        counts = {"created": 0, "updated": 0, "unchanged": 0}
        for fields in resolved:
            action = existing.get(fields.code.lower()) or Action()
            created = action.pk is None
            changed = _apply_action_fields(action, fields, by=by)
            changed = _import_external_leads(action=action, names=fields.external_leads) or changed
            changed = _import_update(by=by, action=action, fields=fields, filename=locked.filename) or changed
            changed = _import_milestones(by=by, action=action, milestones=fields.milestones) or changed
            counts["created" if created else "updated" if changed else "unchanged"] += 1
        locked.applied_at = timezone.now()
        locked.save(update_fields=["applied_at"])
    return counts


def _import_themes_create(*, by: User, strategy: Strategy, titles: list[str]) -> None:
    """Themes the file names that the strategy lacks, numbered after its last (the preview listed them)."""
    from .plan_import.resolve import new_theme_code

    codes = list(strategy.themes.values_list("code", flat=True))
    order = max(strategy.themes.values_list("order", flat=True), default=0)
    for index, title in enumerate(titles, start=1):
        _stamp(Theme(strategy=strategy, code=new_theme_code(codes, index), title=title, order=order + index), by).save()


def _import_external_leads(*, action: Action, names: list[str] | None) -> bool:
    if names is None:
        return False
    current = list(action.external_leads.values_list("name", flat=True))
    if current == names:
        return False
    action.external_leads.all().delete()
    ExternalLead.objects.bulk_create(ExternalLead(action=action, name=name) for name in names)
    return True


def _import_milestones(*, by: User, action: Action, milestones: list[tuple[str, date]]) -> bool:
    """Dates in brackets at the end of an imported action's bullets, once each (by title)."""
    have = {title.lower() for title in action.milestones.values_list("title", flat=True)}
    new = [(title, due) for title, due in milestones if title.lower() not in have]
    for title, due in new:
        _stamp(Milestone(action=action, title=title, due_date=due), by).save()
    return bool(new)


def _import_update(*, by: User, action: Action, fields: ActionFields, filename: str) -> bool:
    """An imported status becomes an update as at its date (or today), marked with the file; once per file."""
    imported = fields.status
    if imported is None:
        return False
    commentary = fields.commentary or f"Status as given in the imported plan ({filename})."
    if action.updates.filter(imported_from=filename[:200], status=imported.status, commentary=commentary).exists():
        return False
    as_at = imported.as_at or timezone.localdate()
    when = timezone.make_aware(datetime.combine(as_at, datetime.min.time().replace(hour=12)))
    StatusUpdate.objects.create(action=action, status=imported.status, percent_complete=imported.percent,
                                commentary=commentary, created_by=by, created_at=min(when, timezone.now()),
                                imported_from=filename[:200])
    action_current_status_refresh(action=action)
    return True


# --- Personal data (the privacy app anonymises and applies retention through these) --------------------


def personal_data_anonymise(*, person: User, redact: Redact) -> dict[str, int]:
    """Leads and updates keep pointing at the person (now the placeholder); text naming them is rewritten."""
    return {
        "status update commentary": redact.rewrite(StatusUpdate.objects.all(), ["commentary"]),
        "evidence names": redact.rewrite(Evidence.objects.all(), ["original_name"]),
        "action descriptions": redact.rewrite(Action.objects.all(), ["description", "performance_measures"])
        + redact.rewrite(Action.history.all(), ["description", "performance_measures"]),
        "milestones": redact.rewrite(Milestone.objects.all(), ["title"])
        + redact.rewrite(Milestone.history.all(), ["title"]),
        "plan imports": redact.rewrite_json(PlanImport.objects.all(), ["rows", "errors"]),
        # What the next version copies; a ready report's PDF is kept as issued (docs/privacy.md).
        "board reports": redact.rewrite(BoardReport.objects.all(), ["author", "contact", "sponsor", "recommendations"]),
    }


def plan_imports_clear(*, created_before: datetime) -> int:
    """Retention: the rows of uploaded plan spreadsheets older than the cut-off are emptied (what was
    imported is in the plan itself); unconfirmed uploads are deleted."""
    with transaction.atomic():
        old = PlanImport.objects.filter(created_at__lt=created_before)
        deleted, _ = old.filter(applied_at__isnull=True).delete()
        cleared = old.exclude(rows=[], errors=[]).update(rows=[], errors=[])
    return deleted + cleared
