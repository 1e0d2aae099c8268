"""An archived plan is read-only for everyone (docs/actions.md). Found by the access matrix work (issue 7):
its themes, actions and milestones could still be added, edited and deleted, and a staged import applied.
The pages are 404s (tests/portal/test_access_matrix.py, the @archived rows); here, the services refuse too."""

import pytest

from actions import services
from actions.models import Milestone, PlanImport, Strategy
from tests.actions.factories import ActionFactory, MilestoneFactory, StrategyFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def archived_action(db):
    return ActionFactory(theme=ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.ARCHIVED)), code="1.1")


def _fields(action, **changes):
    values = dict(theme=action.theme, code=action.code, title="Changed", description="", leads=[], leading_body=None,
                  start_date=None, due_date=None, timescale="", priorities="", performance_measures="")
    return services.ActionFields(**{**values, **changes})


def test_nothing_in_an_archived_plan_can_be_changed(strategist, archived_action):
    strategy = archived_action.strategy
    milestone = MilestoneFactory(action=archived_action)
    attempts = [
        lambda: services.theme_save(by=strategist, strategy=strategy, code="9", title="New theme"),
        lambda: services.action_create(by=strategist, fields=_fields(archived_action, code="1.2")),
        lambda: services.action_edit(by=strategist, action=archived_action, fields=_fields(archived_action)),
        lambda: services.milestone_save(by=strategist, action=archived_action, title="New milestone"),
        lambda: services.milestone_delete(by=strategist, milestone=milestone),
        lambda: services.plan_import_apply(by=strategist, plan_import=PlanImport.objects.create(
            strategy=strategy, uploaded_by=strategist, filename="plan.csv",
            rows=[{"_row": 2, "Theme code": archived_action.theme.code, "Action code": "1.3", "Title": "Imported"}])),
    ]
    for attempt in attempts:
        with pytest.raises(services.NotAllowed, match="archived"):
            attempt()
    archived_action.refresh_from_db()
    assert archived_action.title != "Changed" and Milestone.objects.filter(pk=milestone.pk).exists()
    assert strategy.actions.count() == 1 and strategy.themes.count() == 1


def test_an_editor_may_reopen_an_archived_plan_and_then_change_it(strategist, archived_action):
    strategy = archived_action.strategy
    services.strategy_save(by=strategist, strategy=strategy, title=strategy.title, period_start=strategy.period_start,
                           period_end=strategy.period_end, status=Strategy.Status.DRAFT, summary="Reopened")
    services.action_edit(by=strategist, action=archived_action, fields=_fields(archived_action))
    archived_action.refresh_from_db()
    assert archived_action.title == "Changed"
