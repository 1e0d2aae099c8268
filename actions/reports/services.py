"""Writes about Board reports: request a version, render it once in the worker (lock, claim, render, mark
ready with its checksum), queue the quarter's. A ready report is never written again (docs/actions.md)."""

from __future__ import annotations

import datetime as dt
import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from core.locking import held_while
from core.outbox import outbox_add
from workforce.models import User

from ..models import BoardReport, Strategy
from ..signals import board_report_ready
from . import data as report_data_module
from . import pdf as report_pdf_module
from .permissions import can_generate_reports
from .quarters import Quarter, quarter_previous

logger = logging.getLogger(__name__)

# Longer than the task's hard time limit (actions/tasks.py), so a render still running is never taken over.
STALE_RENDER_AFTER = dt.timedelta(minutes=20)  # SQLite only: PostgreSQL knows from RENDER_LOCK whether it lives
RENDER_LOCK = "actions.board_report_render"  # core.locking, with the report's id: held while rendering it
MAX_RENDER_ATTEMPTS = 3


class BoardReportError(Exception):
    """A request the rules do not allow; the message is shown to the user."""


def _queue_render_on_commit(report_id: int) -> None:
    outbox_add("actions.tasks.board_report_render", report_id)


def board_report_request(
    *,
    by: User | None,
    strategy: Strategy,
    quarter: Quarter,
    recommendations: str = "",
    author: str = "",
    contact: str = "",
    sponsor: str = "",
    queue: bool = True,
) -> BoardReport:
    """Queue a new version of the quarter's report. `by` None: the quarterly schedule. With queue=False the
    caller renders it itself (the demo data)."""
    if by is not None and not can_generate_reports(by):
        raise BoardReportError("Only the strategy group and administrators can generate Board reports.")
    if quarter.start > timezone.localdate():
        raise BoardReportError("That quarter has not started yet.")
    with transaction.atomic():
        # Lock the strategy so two requests at once take different version numbers.
        Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
        latest = BoardReport.objects.filter(strategy=strategy, period_start=quarter.start).aggregate(
            v=Max("version"))["v"] or 0
        report = BoardReport.objects.create(
            strategy=strategy, period_start=quarter.start, period_end=quarter.end, quarter_label=quarter.label,
            version=latest + 1, recommendations=recommendations.strip(), author=author.strip(),
            contact=contact.strip(), sponsor=sponsor.strip(), requested_by=by,
        )
        if queue:
            _queue_render_on_commit(report.pk)
    return report


def board_report_regenerate(*, by: User | None, report: BoardReport, queue: bool = True) -> BoardReport:
    """A new version of the same quarter with the same words; the old version stays in the archive."""
    return board_report_request(
        by=by, strategy=report.strategy, quarter=Quarter(report.period_start, report.period_end),
        recommendations=report.recommendations, author=report.author, contact=report.contact, sponsor=report.sponsor,
        queue=queue,
    )


def board_report_queue_quarterly(*, today: dt.date | None = None) -> BoardReport | None:
    """After a quarter ends, queue its report for the active strategy unless a version with end-of-quarter
    figures exists (one asked for mid-quarter does not count). Idempotent."""
    from ..selectors import plan_active

    today = today or timezone.localdate()
    strategy = plan_active()
    if strategy is None:
        return None
    quarter = quarter_previous(today)
    if quarter.end < strategy.period_start or quarter.start > strategy.period_end:
        return None
    with transaction.atomic():
        Strategy.objects.select_for_update().filter(pk=strategy.pk).first()
        if BoardReport.objects.filter(strategy=strategy, period_start=quarter.start,
                                      requested_at__gte=report_data_module.end_of_day(quarter.end)).exists():
            return None
        return board_report_request(by=None, strategy=strategy, quarter=quarter)


def _claim(report_id: int, *, now: dt.datetime, render_lock: bool | None = None) -> BoardReport | None:
    """Take the report for rendering. `render_lock` True: we hold its render lock, so a report "rendering" was
    left by a dead worker; None (SQLite): one rendering longer than STALE_RENDER_AFTER is taken over."""
    with transaction.atomic():
        report = BoardReport.objects.select_for_update().select_related("strategy").filter(pk=report_id).first()
        if report is None or report.status in (BoardReport.Status.READY, BoardReport.Status.FAILED):
            return None
        started = report.started_at
        rendering = report.status == BoardReport.Status.RENDERING
        if rendering and render_lock is None and started is not None and started > now - STALE_RENDER_AFTER:
            return None  # another worker is rendering it (as far as SQLite can tell)
        if report.attempts >= MAX_RENDER_ATTEMPTS:
            # Every attempt so far ended without a result (e.g. the worker was killed each time): stop here.
            report.status = BoardReport.Status.FAILED
            report.finished_at = now
            report.error = (f"Gave up after {report.attempts} attempts: the last one stopped without finishing "
                            f"(the worker was lost). {report.error}").strip()
            report.save(update_fields=["status", "finished_at", "error"])
            return None
        report.status = BoardReport.Status.RENDERING
        report.started_at = now
        report.attempts += 1
        report.error = ""
        report.save(update_fields=["status", "started_at", "attempts", "error"])
    return report


def board_report_render(*, report_id: int, final_attempt: bool = True) -> str:
    """Render a queued report (called by the worker). Returns "ready", "skipped" or "failed"; re-raises the
    error when another attempt is to be made (the report is queued again)."""
    with held_while(RENDER_LOCK, report_id) as render_lock:
        if render_lock is False:
            return "skipped"  # another live worker is rendering it
        return _render_claimed(report_id, final_attempt=final_attempt, render_lock=render_lock)


def _render_claimed(report_id: int, *, final_attempt: bool, render_lock: bool | None) -> str:
    report = _claim(report_id, now=timezone.now(), render_lock=render_lock)
    if report is None:
        return "skipped"
    final_attempt = final_attempt or report.attempts >= MAX_RENDER_ATTEMPTS
    try:
        data = report_data_module.report_data(
            strategy=report.strategy, quarter=Quarter(report.period_start, report.period_end),
            today=timezone.localdate(report.requested_at), recommendations=report.recommendations,
            author=report.author, contact=report.contact, sponsor=report.sponsor, version=report.version,
        )
        content = report_pdf_module.report_pdf(data)  # final bytes: the checksum is of what is served
        checksum = hashlib.sha256(content).hexdigest()
        # Written under a fresh random name before the row says ready: nothing serves it until then.
        field = report.file.field
        name = field.storage.save(field.generate_filename(report, f"{report.pk}.pdf"), ContentFile(content))
    except Exception as exc:
        logger.exception("Board report %s failed to render", report_id)
        reason = f"{type(exc).__name__}: {exc}"[:2000]
        with transaction.atomic():
            BoardReport.objects.filter(pk=report_id, status=BoardReport.Status.RENDERING).update(
                status=BoardReport.Status.FAILED if final_attempt else BoardReport.Status.QUEUED,
                error=reason if final_attempt else f"Attempt {report.attempts} failed ({reason}); trying again.",
                finished_at=timezone.now() if final_attempt else None,
            )
        if final_attempt:
            return "failed"
        raise
    with transaction.atomic():
        locked = BoardReport.objects.select_for_update().get(pk=report_id)
        if locked.status != BoardReport.Status.RENDERING:
            field.storage.delete(name)  # someone else finished it meanwhile: keep theirs
            return "skipped"
        locked.file.name = name
        locked.size = len(content)
        locked.sha256 = checksum
        locked.status = BoardReport.Status.READY
        locked.finished_at = timezone.now()
        locked.error = ""
        locked.save(update_fields=["file", "size", "sha256", "status", "finished_at", "error"])
        transaction.on_commit(lambda: board_report_ready.send(sender=BoardReport, report=locked))
    return "ready"


def board_report_content(*, report: BoardReport) -> bytes:
    """The ready report's bytes, checked against the checksum taken when it was rendered. A file that cannot
    be read (gone from storage, a disk error) is treated like one that does not match: the user is told to
    regenerate, and it is logged for the administrators."""
    if report.status != BoardReport.Status.READY or not report.file:
        raise BoardReportError("This report is not ready.")
    try:
        with report.file.open("rb") as handle:
            content: bytes = handle.read()
    except OSError as error:
        logger.error("Board report %s: its file %s cannot be read: %s", report.pk, report.file.name, error)
        raise BoardReportError("The stored file of this report cannot be read; regenerate the report to make "
                               "a new version.") from error
    if hashlib.sha256(content).hexdigest() != report.sha256:
        logger.error("Board report %s: its file %s does not match its checksum", report.pk, report.file.name)
        raise BoardReportError("The stored file does not match its checksum; regenerate the report.")
    return content


def board_reports_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Queue again reports a dead worker left rendering (PostgreSQL: nobody holds its render lock; SQLite: rendering
    too long), or whose task was lost while queued."""
    now = now or timezone.now()
    rendering = BoardReport.objects.filter(status=BoardReport.Status.RENDERING)
    if connection.vendor == "postgresql":
        orphans = []
        for pk in rendering.values_list("pk", flat=True)[:100]:
            with held_while(RENDER_LOCK, pk) as free:
                if free:
                    orphans.append(pk)
    else:
        orphans = list(rendering.filter(started_at__lt=now - STALE_RENDER_AFTER).values_list("pk", flat=True))
    stale = orphans + list(
        BoardReport.objects.filter(status=BoardReport.Status.QUEUED, requested_at__lt=now - STALE_RENDER_AFTER)
        .values_list("pk", flat=True)
    )
    for pk in stale:
        _queue_render_on_commit(pk)
    return len(stale)
