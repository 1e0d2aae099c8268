import pytest

from core.roles import Role


@pytest.fixture
def manager(make_user):
    return make_user(Role.LINE_MANAGER, Role.PRACTITIONER, first_name="Martha", last_name="Manager")


@pytest.fixture
def team_member(make_user, manager):
    """make one of the manager's team: team_member(first_name=...)."""

    def make(**kwargs):
        profile = kwargs.pop("profile", {})
        return make_user(Role.PRACTITIONER, profile={"line_manager": manager, **profile}, **kwargs)

    return make


@pytest.fixture
def send_mail_on_commit(django_capture_on_commit_callbacks, mailoutbox):
    """Run each service call's after-commit email sends (tests run in a transaction that never commits)."""

    class Runner:
        outbox = mailoutbox

        def __call__(self, fn, *args, **kwargs):
            with django_capture_on_commit_callbacks(execute=True):
                return fn(*args, **kwargs)

    return Runner()
