"""The Celery application. Configuration comes from Django settings (namespace CELERY_)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("workforce_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
