"""What a reader of the plan sees: overdue appears everywhere at London midnight after the due date, and the
overview's figures equal counting the actions by hand."""

import csv
import datetime as dt
import io
import re
import zoneinfo
from collections import Counter

import pytest
import time_machine
from django.contrib.admin.sites import site as admin_site
from django.urls import reverse

from actions import services
from actions.models import CLOSED_STATUSES, Action, StatusUpdate, Strategy
from core.roles import Role
from tests.actions.factories import ActionFactory
from tests.actions.pages import listed_action_ids

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def seen_overdue(client, plan, action) -> dict[str, bool]:
    """Whether each page shows the action as overdue, as a reader would notice."""
    detail = client.get(reverse("actions:action_detail", args=[action.pk])).text
    listed = listed_action_ids(client.get(reverse("actions:action_list"), {"overdue": "on"}))
    row = re.search(r"<tr>.*?</tr>", client.get(reverse("actions:action_list")).text.split("<tbody>")[1], re.S)[0]
    overview = client.get(reverse("actions:overview")).text
    mine = client.get(reverse("actions:my_actions")).text
    export = list(csv.DictReader(io.StringIO(client.get(reverse("actions:export", args=[plan.pk, "csv"]))
                                             .content.decode("utf-8-sig"))))
    return {
        "action page": 'class="overdue-flag">Overdue<' in detail,
        "overdue filter": listed == [action.pk],
        "list row": "Overdue" in row,
        "overview": "Overdue (1)" in overview,
        "my actions": 'class="overdue-flag">Overdue<' in mine,
        "export": export[0]["Overdue"] == "Yes",
    }


def test_overdue_shows_everywhere_from_london_midnight_after_the_due_date(client, plan, lead):
    action = ActionFactory(theme=plan.themes.first(), title="Review safeguarding training",
                           due_date=dt.date(2026, 3, 31), leads=[lead])
    client.force_login(lead)
    with time_machine.travel(dt.datetime(2026, 3, 31, 23, 59, 59, tzinfo=LONDON), tick=False):
        assert seen_overdue(client, plan, action) == dict.fromkeys(seen_overdue(client, plan, action), False)
    with time_machine.travel(dt.datetime(2026, 4, 1, 0, 0, 0, tzinfo=LONDON), tick=False):
        assert seen_overdue(client, plan, action) == dict.fromkeys(seen_overdue(client, plan, action), True)
        # Completed, it is no longer overdue anywhere.
        services.action_status_update(by=lead, action=action, status="completed", percent_complete=100,
                                      commentary="Reviewed and signed off.")
        assert not any(seen_overdue(client, plan, action).values())


def test_the_overview_figures_equal_counting_the_actions_by_hand(client, plan, strategist, make_user):
    one, two = plan.themes.order_by("order")
    third = plan.themes.create(code="3", title="Data and intelligence", order=3)  # (a theme with no actions)
    today = dt.date(2026, 6, 15)
    spread = [  # theme, status (None: no update yet), due in days from today (None: on-going)
        (one, "green", 10), (one, "green", -3), (one, "amber", -40), (one, "red", 5), (one, "red", -1),
        (one, "completed", -10), (one, "dropped", -10), (one, None, -2), (one, None, None),
        (two, "amber", 0), (two, "green", None), (two, "completed", 30), (two, None, 60), (two, "red", -100),
    ]
    with time_machine.travel(dt.datetime(2026, 6, 1, 9, tzinfo=LONDON), tick=False):
        for index, (theme, status, due) in enumerate(spread):
            action = ActionFactory(theme=theme, code=f"{theme.code}.{index}",
                                   due_date=today + dt.timedelta(days=due) if due is not None else None)
            if status:
                services.action_status_update(by=strategist, action=action, status="green", percent_complete=10,
                                              commentary="First update.")
                services.action_status_update(by=strategist, action=action, status=status, percent_complete=50,
                                              commentary="Latest update.")
    client.force_login(make_user(Role.PRACTITIONER))
    with time_machine.travel(dt.datetime(2026, 6, 15, 12, tzinfo=LONDON), tick=False):
        page = client.get(reverse("actions:overview")).text

    # By hand: each action's latest update, straight from the updates table.
    latest = {}
    for update in StatusUpdate.objects.order_by("created_at", "id"):
        latest[update.action_id] = update.status
    order = ["red", "amber", "green", "completed", "dropped", "none"]
    table = page.split('id="figures-heading"')[1]
    for theme in (one, two, third):
        actions = list(Action.objects.filter(theme=theme))
        counts = Counter(latest.get(a.pk, "none") for a in actions)
        overdue = sum(1 for a in actions if a.due_date and a.due_date < today
                      and latest.get(a.pk, "none") not in CLOSED_STATUSES)
        cells = [str(counts[s]) for s in order] + [str(len(actions)), str(overdue)]
        row = re.search(rf"<th scope=\"row\">{theme.code}\. {theme.title}</th>(.*?)</tr>", table, re.S)[1]
        assert re.findall(r">(\d+)<", row) == cells, theme.title
    assert (one.actions.count(), two.actions.count(), third.actions.count()) == (9, 5, 0)
    total = re.search(r"All themes</th>(.*?)</tr>", table, re.S)[1]
    every = Counter(latest.get(a.pk, "none") for a in Action.objects.filter(strategy=plan))
    # Overdue: 1.1 green, 1.2 amber, 1.4 red, 1.7 no update (all past due); 2.13 red. Not 2.9, due today.
    assert re.findall(r">(\d+)<", total) == [str(every[s]) for s in order] + ["14", "5"]
    assert "Overdue (5)" in page and "All 14 actions" in page


def test_history_cannot_be_lost_an_action_with_updates_cannot_be_deleted_even_in_the_admin(client, plan,
                                                                                          make_user):
    admin = make_user(Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    action = ActionFactory(theme=plan.themes.first(), code="1.1")
    services.action_status_update(by=admin, action=action, status="red", percent_complete=5, commentary="Stalled.")
    client.force_login(admin)
    page = client.get(reverse("admin:actions_action_delete", args=[action.pk]))
    assert "Cannot delete action" in page.text and "Status update" in page.text
    client.post(reverse("admin:actions_action_delete", args=[action.pk]), {"post": "yes"})
    client.post(reverse("admin:actions_strategy_delete", args=[plan.pk]), {"post": "yes"})
    assert Action.objects.filter(pk=action.pk).exists() and Strategy.objects.filter(pk=plan.pk).exists()
    assert StatusUpdate.objects.filter(action=action).count() == 1
    # The update itself, and its evidence, are read-only in the admin; history records are not editable there.
    update = StatusUpdate.objects.get()
    assert not admin_site._registry[StatusUpdate].has_change_permission(client.get("/").wsgi_request, update)
    assert action.history.model not in admin_site._registry
