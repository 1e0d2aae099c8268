"""Load the demo partnership: sectors, organisations, people, training and the action plan.

Idempotent: running it twice changes nothing. Each app seeds its own data (`<app>/demo.py`) in
dependency order.
"""

from django.conf import settings
from django.core.management.base import BaseCommand

import actions.demo
import notifications.demo
import partners.demo
import training.demo
import workforce.demo


class Command(BaseCommand):
    help = "Load demo data (fictional people; the partnership's real figures). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=workforce.demo.DEFAULT_PASSWORD,
            help="Password for every demo account (default: %(default)s).",
        )

    def handle(self, *args, password: str, **options):
        partners.demo.seed(stdout=self.stdout)
        workforce.demo.seed(password=password, stdout=self.stdout)
        training.demo.seed(stdout=self.stdout)
        actions.demo.seed(stdout=self.stdout)
        notifications.demo.seed(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded. Sign in at {settings.SITE_URL} with:"))
        for local, *_rest, _band in workforce.demo.DEMO_ACCOUNTS:
            roles = ", ".join(role.value for role in _rest[2])
            self.stdout.write(f"  {workforce.demo.demo_email(local):28} {roles}")
        self.stdout.write(f"  password for all: {password}")
