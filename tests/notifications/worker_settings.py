"""Settings for Celery worker processes that tests start (tests/notifications/test_worker_processes.py):
the test settings, with tasks sent to the broker and emails written to a folder the test reads."""

from config.settings.test import *  # noqa: F403

CELERY_TASK_ALWAYS_EAGER = False
EMAIL_BACKEND = "tests.notifications.mailbox.FolderBackend"
