"""Demo data: one API token for the demo training coordinator, printed by seed_demo. A secret is never
stored, so each run replaces the previous demo token with a fresh one to print."""

from workforce.demo import demo_email
from workforce.models import User

from .models import ApiToken, Scope
from .services import token_create

DEMO_TOKEN_NAME = "Demo token (seed_demo)"  # noqa: S105 - a name, not a secret


def seed(*, stdout=None, **_options) -> None:
    person = User.objects.filter(email=demo_email("coordinator")).first()
    if person is None:
        return
    ApiToken.objects.filter(user=person, name=DEMO_TOKEN_NAME).delete()
    made = token_create(by=person, name=DEMO_TOKEN_NAME, scopes=[Scope.READ, Scope.BOOKINGS])
    if stdout is not None:
        stdout.write(f"Demo API token ({person.email}; read, bookings:write): {made.secret}")
        stdout.write("  e.g. curl -H 'Authorization: Bearer <token>' <site>/api/v1/sessions/")
