import pytest

from actions.models import Strategy
from core.roles import Role
from tests.actions.factories import StrategyFactory, ThemeFactory


@pytest.fixture
def plan(db):
    """The active plan with two themes."""
    strategy = StrategyFactory(title="Updated Action Plan 2026-27", status=Strategy.Status.ACTIVE)
    ThemeFactory(strategy=strategy, code="1", title="A confident and competent workforce", order=1)
    ThemeFactory(strategy=strategy, code="2", title="Supported early help", order=2)
    return strategy


@pytest.fixture
def strategist(make_user):
    return make_user(Role.STRATEGY_GROUP_MEMBER, email="strategist@example.org")


@pytest.fixture
def board_member(make_user):
    return make_user(Role.BOARD_MEMBER, email="board@example.org")


@pytest.fixture
def lead(make_user):
    return make_user(Role.PRACTITIONER, email="lead@example.org", first_name="Lena", last_name="Lead")
