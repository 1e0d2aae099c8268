"""Board report jobs. Each task takes ids, calls one service (actions/reports/services.py), and retries a
bounded number of times; the service's row lock and status check make a duplicate task do nothing."""

from celery import shared_task

from .reports import services

# A render that runs this long is stopped (soft: it ends queued or failed with the reason; hard: the worker
# child is killed and the row is taken over by the stale pass, which waits longer than this).
RENDER_SOFT_LIMIT = 15 * 60
RENDER_HARD_LIMIT = RENDER_SOFT_LIMIT + 60


@shared_task(bind=True, acks_late=True, max_retries=services.MAX_RENDER_ATTEMPTS - 1,
             soft_time_limit=RENDER_SOFT_LIMIT, time_limit=RENDER_HARD_LIMIT)
def board_report_render(self, report_id: int) -> str:
    """Render one queued report (on the `reports` queue, CELERY_TASK_ROUTES). A failed attempt is retried
    after 30 s, then 60 s; the last one leaves the report failed with its reason."""
    final = self.request.retries >= self.max_retries
    try:
        return services.board_report_render(report_id=report_id, final_attempt=final)
    except Exception as exc:  # the service has put the report back to queued with the reason
        raise self.retry(exc=exc, countdown=30 * 2**self.request.retries) from exc


@shared_task(acks_late=True)
def board_reports_daily() -> dict:
    """Each morning: queue the quarter's report for the active strategy the first day after a quarter ends."""
    report = services.board_report_queue_quarterly()
    return {"queued": report.pk if report else None}


@shared_task(acks_late=True)
def board_reports_requeue_stale() -> int:
    """Every few minutes: queue again renders a dead worker left behind, or whose task was lost."""
    return services.board_reports_requeue_stale()
