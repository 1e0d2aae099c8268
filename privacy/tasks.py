"""The retention job (CELERY_BEAT_SCHEDULE "privacy-retention", daily)."""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def retention_run() -> dict:
    """Anonymise or delete what is past its retention period; the run log says what was done."""
    run = services.retention_run()
    if run is None:
        return {"skipped": "another run in progress"}
    return {"run": run.pk, "counts": {step["kind"]: step["count"] for step in run.results}}
