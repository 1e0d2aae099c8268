import pytest
from django.urls import reverse

from actions import services
from actions.models import StatusUpdate
from core.roles import Role
from tests.actions.factories import ActionFactory

pytestmark = pytest.mark.django_db


def test_status_updates_cannot_be_changed_or_deleted_in_the_admin(client, plan, make_user):
    admin = make_user(Role.ADMINISTRATOR)
    action = ActionFactory(theme=plan.themes.first())
    update = services.action_status_update(by=admin, action=action, status="red", percent_complete=5,
                                           commentary="Stalled.")
    client.force_login(admin)
    change_url = reverse("admin:actions_statusupdate_change", args=[update.pk])
    assert client.get(change_url).status_code == 200  # readable
    client.post(change_url, {"status": "green", "percent_complete": 90, "commentary": "Rewritten."})
    assert client.post(reverse("admin:actions_statusupdate_delete", args=[update.pk]), {"post": "yes"}).status_code \
        == 403
    update.refresh_from_db()
    assert (update.status, update.commentary) == ("red", "Stalled.")
    assert StatusUpdate.objects.count() == 1


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True))
    return client


def test_actions_themes_and_strategies_are_read_only_in_the_admin(admin_client, plan):
    """The admin cannot move an action into another strategy's theme, nor change an archived plan: the portal's
    pages, through the services, are where the plan is changed."""
    from actions.models import Action, Strategy
    from tests.actions.factories import StrategyFactory, ThemeFactory

    action = ActionFactory(theme=plan.themes.first(), code="1.1", title="Welcome event")
    elsewhere = ThemeFactory(strategy=StrategyFactory(title="Another plan"), code="9")
    change = reverse("admin:actions_action_change", args=[action.pk])
    page = admin_client.get(change)
    assert page.status_code == 200 and "Welcome event" in page.text
    assert 'name="_save"' not in page.text
    response = admin_client.post(change, {"strategy": plan.pk, "theme": elsewhere.pk, "code": "1.1",
                                          "title": "Moved", "milestones-TOTAL_FORMS": "0",
                                          "milestones-INITIAL_FORMS": "0", "updates-TOTAL_FORMS": "0",
                                          "updates-INITIAL_FORMS": "0"})
    assert response.status_code == 403
    assert admin_client.get(reverse("admin:actions_action_add")).status_code == 403
    assert admin_client.post(reverse("admin:actions_theme_change", args=[elsewhere.pk]),
                             {"strategy": plan.pk, "code": "9", "title": "Moved", "order": 1}).status_code == 403
    assert admin_client.post(reverse("admin:actions_strategy_change", args=[plan.pk]),
                             {"title": plan.title, "status": "archived"}).status_code == 403
    action.refresh_from_db()
    plan.refresh_from_db()
    assert (action.theme_id, action.title, plan.status) == (plan.themes.first().pk, "Welcome event",
                                                           Strategy.Status.ACTIVE)
    assert Action.objects.count() == 1


def test_an_old_version_cannot_be_restored_from_the_admins_history(admin_client, plan):
    action = ActionFactory(theme=plan.themes.first(), code="1.1", title="First title")
    action.title = "Second title"
    action.save()
    first = action.history.order_by("history_id").first()
    url = reverse("admin:actions_action_simple_history", args=[action.pk, first.history_id])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"strategy": plan.pk, "theme": action.theme_id, "code": "1.1",
                                       "title": "First title"})
    assert response.status_code == 403
    action.refresh_from_db()
    assert action.title == "Second title"


def test_the_admin_deletes_an_action_nobody_has_reported_on_but_nothing_in_an_archived_plan(admin_client, plan):
    from actions.models import Action, Strategy
    from tests.actions.factories import StrategyFactory, ThemeFactory

    mistake = ActionFactory(theme=plan.themes.first(), code="1.9")
    archived = ActionFactory(theme=ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.ARCHIVED)))
    assert admin_client.post(reverse("admin:actions_action_delete", args=[mistake.pk]),
                             {"post": "yes"}).status_code == 302
    assert admin_client.post(reverse("admin:actions_action_delete", args=[archived.pk]),
                             {"post": "yes"}).status_code == 403
    assert admin_client.post(reverse("admin:actions_theme_delete", args=[archived.theme_id]),
                             {"post": "yes"}).status_code == 403
    assert list(Action.objects.all()) == [archived]
    changelist = admin_client.get(reverse("admin:actions_action_changelist"))
    assert "delete_selected" not in changelist.text  # no bulk delete around the archived check
