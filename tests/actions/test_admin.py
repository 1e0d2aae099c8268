import pytest
from django.urls import reverse

from actions import services
from actions.models import StatusUpdate
from tests.actions.factories import ActionFactory
from workforce.permissions import Role

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
