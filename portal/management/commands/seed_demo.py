"""Load the demo partnership, idempotently: each app's registered loader in dependency order
(core.demo_data); `--scale N` grows it to N times the demo (portal/demo_scale.py)."""

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

import workforce.demo
from core.caching import caches_stale_all
from core.demo_data import demo_loaders
from portal import demo_scale
from portal.management.commands.demo_logins import write_logins


def _scale(value: str) -> float:
    try:
        scale = float(value)
    except ValueError:
        scale = 0
    if not 1 <= scale <= 1_000:
        raise CommandError(f"--scale must be a number from 1 (the demo) to 1000, not {value!r}.")
    return scale


class Command(BaseCommand):
    help = "Load demo data (fictional people; the partnership's real figures). Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=workforce.demo.DEFAULT_PASSWORD,
            help="Password for every demo account (default: %(default)s).",
        )
        parser.add_argument(
            "--scale", type=_scale, default=1.0,
            help="Grow the demo to N times its size: 1 is the demo, 10 a tenth of the real partnership, 100 the "
                 "real partnership (25,000 staff in 300 organisations, 1,000 courses, 5,000 sessions, 100,000 "
                 "bookings, 10,000 actions and milestones). Generated once per database.",
        )  # fmt: skip

    def handle(self, *args, password: str, scale: float = 1.0, **options):
        try:
            password_validation.validate_password(password)
        except ValidationError as error:
            raise CommandError(f"--password is not allowed: {' '.join(error.messages)}") from error
        for loader in demo_loaders(last=False):
            loader.seed(stdout=self.stdout, password=password)
        try:
            demo_scale.seed(scale=scale, stdout=self.stdout)
        except demo_scale.ScaleMismatch as error:
            raise CommandError(str(error)) from error
        caches_stale_all()  # bulk writes send no signals
        # Today's reminders last, over everything the command loaded (a grown partnership too), so that a second
        # run finds them all recorded and adds nothing.
        for loader in demo_loaders(last=True):
            loader.seed(stdout=self.stdout, password=password)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        write_logins(self.stdout, self.style, password)
