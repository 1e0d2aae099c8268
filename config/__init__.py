"""Project wiring. The Celery app is exported here so `celery -A config worker` finds it."""

from .celery import app as celery_app

__all__ = ("celery_app",)
