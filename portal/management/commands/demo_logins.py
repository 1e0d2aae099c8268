"""Print the demo logins once the portal answers and the worker's start-up lines have gone by, so they are
last on screen (`make run`); --stay then waits to be stopped. docs/portal.md."""

import signal
import sys
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

import workforce.demo


def write_logins(stdout, style, password: str | None = None) -> None:
    stdout.write(style.SUCCESS(f"Sign in at {settings.SITE_URL} with:"))
    for local, *_rest, _band in workforce.demo.DEMO_ACCOUNTS:
        roles = ", ".join(role.value for role in _rest[2])
        stdout.write(f"  {workforce.demo.demo_email(local):28} {roles}")
    if password is None:
        stdout.write(f"  password for all: {workforce.demo.DEFAULT_PASSWORD} (unless seed_demo was given --password)")
    else:
        stdout.write(f"  password for all: {password}")


class Command(BaseCommand):
    help = "Print the demo logins (after the portal answers, with --wait-for)."

    def add_arguments(self, parser):
        parser.add_argument("--wait-for", metavar="URL", help="wait until this URL answers (at most 2 minutes)")
        parser.add_argument("--settle", type=float, default=5.0, help="seconds to wait after it answers")
        parser.add_argument("--stay", action="store_true", help="then wait until stopped")

    def handle(self, *args, wait_for=None, settle=5.0, stay=False, **options):
        if wait_for:
            if not wait_for.startswith(("http://", "https://")):
                raise CommandError(f"--wait-for takes an http:// or https:// address, not {wait_for!r}.")
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    with urllib.request.urlopen(wait_for, timeout=5):  # noqa: S310  # nosec B310 - http(s) only, checked above
                        break
                except (urllib.error.URLError, OSError):
                    time.sleep(1)
            time.sleep(settle)
        write_logins(self.stdout, self.style)
        mail_folder = getattr(settings, "EMAIL_FILE_PATH", "")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend") and mail_folder:
            self.stdout.write(f"Emails the portal sends are written to files in {mail_folder}/.")
        if stay:
            for stop in (signal.SIGTERM, signal.SIGINT):  # honcho's stop, or Ctrl-C: no traceback
                signal.signal(stop, lambda *_: sys.exit(0))
            while True:
                signal.pause()
