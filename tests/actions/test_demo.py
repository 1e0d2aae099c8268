"""The action plan's demo reads like a real plan: leads post on their own actions, in their own words."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from actions.models import Action, Evidence, Milestone, Status, StatusUpdate, Strategy

pytestmark = [pytest.mark.slow, pytest.mark.django_db]  # the whole demo is loaded


def test_the_demo_updates_are_posted_by_the_leads_with_varied_commentary_and_some_evidence():
    call_command("seed_demo", password="a-demo-passphrase")
    updates = list(StatusUpdate.objects.select_related("created_by", "action"))
    assert len(updates) > 100

    by_a_lead = [u for u in updates if u.action.leads.filter(pk=u.created_by_id).exists()]
    assert len(by_a_lead) >= 0.8 * len(updates)  # the leads post most updates on their own actions
    assert len({u.created_by_id for u in updates}) >= 8
    # Only the Strategy Group decides to drop an action, and it says so.
    assert {u.created_by.email for u in updates if u.status == "dropped"} == {"strategy@demo.example"}

    commentaries = Counter(u.commentary for u in updates)
    assert len(commentaries) >= 25
    assert max(commentaries.values()) <= 10  # no one sentence repeated across the plan
    links = list(Evidence.objects.exclude(url="").values_list("url", flat=True))
    assert len(links) >= 5 and all(url.startswith("https://example.org/intranet/") for url in links)

    # Still a spread of statuses, some overdue and some completed, in the current plan.
    current = Strategy.objects.get(status=Strategy.Status.ACTIVE)
    statuses = Counter(current.actions.values_list("current_status", flat=True))
    assert {Status.GREEN, Status.AMBER, Status.RED, Status.COMPLETED, Status.DROPPED, Status.NOT_STARTED} <= set(
        statuses)
    today = timezone.localdate()
    assert any(a.is_overdue_on(today) for a in current.actions.all())
    # No milestone is done in the future.
    assert not Milestone.objects.filter(done_date__gt=today).exists()
    assert Action.objects.count() == 44
