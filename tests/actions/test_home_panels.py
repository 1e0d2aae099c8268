import datetime

import pytest
from django.urls import reverse

from actions import services
from core.roles import Role
from tests.actions.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_the_strategy_group_home_shows_my_actions_and_the_plan_figures(client, plan, strategist):
    late = ActionFactory(theme=plan.themes.first(), title="Review the safeguarding board's training",
                         leads=[strategist], due_date=datetime.date(2020, 1, 1))
    services.action_status_update(by=strategist, action=late, status="red", percent_complete=10, commentary="Late.")
    ActionFactory(theme=plan.themes.first())
    client.force_login(strategist)
    page = client.get(reverse("portal:home"))
    assert "Review the safeguarding board&#x27;s training" in page.text
    assert "1 overdue" in page.text
    assert "2 actions in 2 themes" in page.text
    assert "Coming" not in page.text


def test_a_practitioner_sees_my_actions_only_when_they_lead_one(client, plan, make_user):
    reader = make_user(Role.PRACTITIONER)
    client.force_login(reader)
    page = client.get(reverse("portal:home"))
    assert "The workforce action plan" in page.text
    assert "my-actions-heading" not in page.text
    ActionFactory(theme=plan.themes.first(), title="Welcome event", leads=[reader])
    assert "my-actions-heading" in client.get(reverse("portal:home")).text


def test_the_board_home_keeps_the_reports_placeholder_and_shows_the_plan(client, plan, board_member):
    client.force_login(board_member)
    page = client.get(reverse("portal:home"))
    assert "The workforce action plan" in page.text
    assert "Quarterly Board reports" in page.text
