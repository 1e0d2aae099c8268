"""Reads of Board reports for the archive and the home panel."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from ..models import BoardReport, Strategy


@dataclass(kw_only=True)
class QuarterEntry:
    strategy: Strategy
    label: str
    period_start: dt.date
    period_end: dt.date
    versions: list[BoardReport] = field(default_factory=list)

    @property
    def latest_ready(self) -> BoardReport | None:
        return next((r for r in self.versions if r.status == BoardReport.Status.READY), None)

    @property
    def older(self) -> list[BoardReport]:
        """Versions older than the latest ready one (whatever their state), newest first."""
        latest = self.latest_ready
        return [r for r in self.versions if latest is not None and r.version < latest.version]

    @property
    def newer(self) -> list[BoardReport]:
        """Versions after the latest ready one — queued, rendering or failed — or every version if none is ready."""
        latest = self.latest_ready
        return [r for r in self.versions if latest is None or r.version > latest.version]


def board_reports() -> QuerySet[BoardReport]:
    return BoardReport.objects.select_related("strategy", "requested_by").order_by(
        "-period_start", "strategy__title", "-version")


def board_reports_archive() -> list[QuarterEntry]:
    """Every report grouped by strategy and quarter, newest quarter first, versions newest first. One query."""
    entries: dict[tuple[int, dt.date], QuarterEntry] = {}
    for report in board_reports():
        key = (report.strategy_id, report.period_start)
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = QuarterEntry(strategy=report.strategy, label=report.quarter_label,
                                                period_start=report.period_start, period_end=report.period_end)
        entry.versions.append(report)
    return list(entries.values())


def board_reports_latest_ready(*, limit: int = 4) -> list[BoardReport]:
    """The newest ready version of each of the latest quarters (for the Board member's home page)."""
    seen: set[tuple[int, dt.date]] = set()
    out: list[BoardReport] = []
    for report in board_reports().filter(status=BoardReport.Status.READY)[: limit * 10]:
        key = (report.strategy_id, report.period_start)
        if key in seen:
            continue
        seen.add(key)
        out.append(report)
        if len(out) == limit:
            break
    return out


def board_reports_in_progress() -> QuerySet[BoardReport]:
    return board_reports().filter(status__in=[BoardReport.Status.QUEUED, BoardReport.Status.RENDERING])
