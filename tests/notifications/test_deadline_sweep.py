"""The daily sweep: leads get one email a day gathering everything due, at 14, 7 and 1 days before, on
becoming overdue and weekly after; the chair gets what is overdue over 30 days; nothing is sent twice."""

import datetime as dt

import pytest
from django.core import mail
from django.utils.html import escape

from actions.models import Status, Strategy
from actions.services import action_status_update
from core.roles import Role
from notifications.models import Notification, NotificationItem
from tests.actions.factories import ActionFactory, MilestoneFactory, StrategyFactory, ThemeFactory

from .conftest import DAY

pytestmark = pytest.mark.django_db


def days(n: int) -> dt.date:
    return DAY + dt.timedelta(days=n)


@pytest.fixture
def people(make_user):
    return {
        "amira": make_user(Role.PRACTITIONER, email="amira@example.org", first_name="Amira"),
        "ben": make_user(Role.PRACTITIONER, email="ben@example.org", first_name="Ben"),
        "cara": make_user(Role.PRACTITIONER, email="cara@example.org", first_name="Cara"),
        "sgm": make_user(Role.STRATEGY_GROUP_MEMBER, email="sgm@example.org"),
    }


@pytest.fixture
def plan(theme, people, on_day):
    on_day(DAY - dt.timedelta(days=60))  # the plan is written well before the fixture day
    a, b, c = people["amira"], people["ben"], people["cara"]
    plan = {
        "due14": ActionFactory(theme=theme, code="1.1", title="Welcome event", due_date=days(14), leads=[a]),
        "due7": ActionFactory(theme=theme, code="1.2", title="Signs of Safety roll-out", due_date=days(7),
                              leads=[a, b]),
        "due1": ActionFactory(theme=theme, code="1.3", title="Learning strategy", due_date=days(1), leads=[b]),
        "overdue1": ActionFactory(theme=theme, code="1.4", title="DSO tracker", due_date=days(-1), leads=[a]),
        "overdue8": ActionFactory(theme=theme, code="1.5", title="MCA training", due_date=days(-8), leads=[c]),
        "overdue31": ActionFactory(theme=theme, code="1.6", title="Workforce data", due_date=days(-31), leads=[c]),
        "later": ActionFactory(theme=theme, code="1.7", title="Not yet", due_date=days(20), leads=[a]),
        "done": ActionFactory(theme=theme, code="1.8", title="Done already", due_date=days(-5), leads=[a]),
        "undated": ActionFactory(theme=theme, code="1.9", title="On-going", due_date=None, leads=[a]),
    }
    action_status_update(by=people["sgm"], action=plan["done"], status=Status.COMPLETED, percent_complete=100,
                         commentary="Finished.")
    plan["milestone"] = MilestoneFactory(action=plan["later"], title="Draft the strategy", due_date=days(14))
    MilestoneFactory(action=plan["later"], title="Already done", due_date=days(1), done_date=days(-3))
    archived = ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.ARCHIVED))
    ActionFactory(theme=archived, code="9.1", due_date=days(-1), leads=[a])  # an old plan: never reminded
    return plan


def emails_to(address):
    return [m for m in mail.outbox if address in m.to]


def test_fixture_day_sends_one_digest_per_lead_with_exactly_what_is_due(plan, on_day, sweep):
    on_day(DAY)
    result = sweep()

    assert result.queued == 3
    assert sorted(m.to[0] for m in mail.outbox) == ["amira@example.org", "ben@example.org", "cara@example.org"]
    (amira,) = emails_to("amira@example.org")
    assert "1.1 Welcome event" not in amira.subject  # a digest, not one email per item
    assert "4 actions and milestones" in amira.subject
    body = amira.body
    assert "Milestone of action 1.7: Draft the strategy — due in 14 days" in body
    assert "Action 1.1: Welcome event — due in 14 days" in body
    assert "Action 1.2: Signs of Safety roll-out — due in 7 days" in body
    assert "Action 1.4: DSO tracker — overdue" in body
    for absent in ("Not yet", "Done already", "On-going", "9.1"):
        assert absent not in body
    (ben,) = emails_to("ben@example.org")
    assert "Signs of Safety roll-out — due in 7 days" in ben.body
    assert "Learning strategy — due tomorrow" in ben.body
    assert "Milestone" not in ben.body
    (cara,) = emails_to("cara@example.org")
    assert "MCA training — still overdue (8 days)" in cara.body
    assert "Workforce data — still overdue (31 days)" in cara.body
    assert "/plan/actions/" in cara.body  # links to the action pages
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_milestones_remind_the_action_leads(plan, on_day, people, sweep):
    plan["later"].leads.add(people["ben"])
    on_day(DAY)
    sweep()
    (ben,) = emails_to("ben@example.org")
    assert "Milestone of action 1.7: Draft the strategy — due in 14 days" in ben.body
    assert "Already done" not in ben.body


def test_running_the_sweep_again_sends_nothing_more(plan, on_day, sweep):
    on_day(DAY)
    sweep()
    sent = len(mail.outbox)
    again = sweep()
    assert again.created == 0
    assert len(mail.outbox) == sent
    assert Notification.objects.count() == sent


def test_the_next_days_send_only_the_next_steps(plan, on_day, sweep):
    on_day(DAY)
    sweep()
    mail.outbox.clear()
    on_day(days(1))  # every item is still within the step it was reminded for
    assert sweep().created == 0
    assert mail.outbox == []
    on_day(days(2))  # "Learning strategy" was due yesterday: it has just become overdue
    sweep()
    (ben,) = mail.outbox
    assert ben.to == ["ben@example.org"]
    assert ben.subject == "Action plan reminder: Action 1.3: Learning strategy is overdue"
    mail.outbox.clear()
    on_day(days(7))  # a week on: DSO tracker is still overdue (8 days), the welcome event is due in 7 days
    sweep()
    body = "\n".join(m.body for m in emails_to("amira@example.org"))
    assert "DSO tracker — still overdue (8 days)" in body
    assert "Welcome event — due in 7 days" in body


def test_a_changed_due_date_rearms_its_reminders_the_next_day_once_todays_email_has_gone(plan, on_day, people,
                                                                                         sweep):
    """One deadline email per lead per day: a second sweep the same day, after a due date changed, sends the
    lead nothing more that day; the re-armed reminder goes in the next day's email."""
    on_day(DAY)
    sweep()
    mail.outbox.clear()
    action = plan["due14"]
    action.due_date = days(3)
    action.save()
    again = sweep()
    assert emails_to("amira@example.org") == []
    assert again.queued == 0
    assert Notification.objects.filter(recipient=people["amira"]).count() == 1
    on_day(days(1))
    sweep()
    (amira,) = emails_to("amira@example.org")
    assert amira.subject == "Action plan reminder: Action 1.1: Welcome event is due in 2 days"
    assert NotificationItem.objects.filter(item_type="action", item_id=action.pk).count() == 2


def test_a_second_sweep_adds_to_the_days_email_while_it_waits_to_be_sent(plan, on_day, people, sweep):
    from notifications.services import reminders_sweep

    on_day(DAY)
    reminders_sweep()  # recorded; the worker has not sent anything yet
    action = plan["due14"]
    action.due_date = days(3)
    action.save()
    sweep()
    (amira,) = emails_to("amira@example.org")  # one email, with the re-armed item in it
    assert amira.subject == "Action plan reminder: 4 actions and milestones need your attention"
    assert "Action 1.1: Welcome event — due in 3 days" in amira.body
    assert "Welcome event — due in 14 days" not in amira.body  # what it said before the date moved: replaced
    assert Notification.objects.filter(recipient=people["amira"]).count() == 1


def test_an_action_overdue_over_30_days_goes_to_the_chair(plan, on_day, make_user, people, sweep):
    membership_model = pytest.importorskip("partners.models").__dict__.get("GovernanceMembership")
    if membership_model is None:
        pytest.skip("partners has no governance memberships yet")
    from partners.models import GovernanceBody, GovernanceMembership

    chair = make_user(Role.STRATEGY_GROUP_MEMBER, email="chair@example.org", first_name="Chidi")
    body = GovernanceBody.objects.create(name="Workforce Strategy Group", slug="workforce-strategy-group",
                                         start_date=dt.date(2010, 4, 1))
    GovernanceMembership.objects.create(body=body, user=chair, role="Chair", start_date=dt.date(2020, 1, 1))
    on_day(DAY)
    sweep()
    (email,) = emails_to("chair@example.org")
    assert "Workforce data is escalated to chair: overdue 31 days" in email.subject
    assert "MCA training" not in email.body  # 8 days overdue stays with its lead
    # The chair is told who leads it, to know whom to ask.
    lead = people["cara"].get_full_name()
    assert (f"Workforce data — escalated to chair: overdue 31 days (date: 30 January 2026)\n"
            f"  Led by: {lead}\n") in email.body
    assert f"<br>Led by: {escape(lead)}</li>" in email.alternatives[0][0]
    assert "As chair of the Workforce Strategy Group" in email.body
    (cara,) = emails_to("cara@example.org")  # the lead's own email names no leads
    assert "Led by" not in cara.body and "As chair" not in cara.body
    # A week later the chair hears again; the day after, not.
    mail.outbox.clear()
    on_day(days(1))
    sweep()
    assert emails_to("chair@example.org") == []
    on_day(days(7))
    sweep()
    (again,) = emails_to("chair@example.org")
    assert "overdue 38 days" in again.subject


def test_completing_an_action_stops_its_reminders(plan, on_day, people, sweep):
    action_status_update(by=people["sgm"], action=plan["overdue8"], status=Status.COMPLETED, percent_complete=100,
                         commentary="Delivered.")
    on_day(DAY)
    sweep()
    (cara,) = emails_to("cara@example.org")
    assert "MCA training" not in cara.body


def test_deadline_reminders_cannot_be_switched_off(plan, on_day, people, sweep):
    from notifications.services import preferences_set

    preferences_set(person=people["amira"], enabled_kinds=[])
    on_day(DAY)
    sweep()
    assert len(emails_to("amira@example.org")) == 1


def test_an_inactive_lead_is_not_emailed(plan, on_day, people, sweep):
    people["cara"].is_active = False
    people["cara"].save()
    on_day(DAY)
    sweep()
    assert emails_to("cara@example.org") == []


def test_one_actions_whole_schedule_day_by_day(theme, people, on_day, make_user, sweep):
    """Daily sweeps from three weeks before the due date to six weeks after: the lead hears 14, 7 and 1 days
    before, the day it becomes overdue and weekly after; the chair from day 31, weekly."""
    from partners.models import GovernanceBody, GovernanceMembership

    chair = make_user(Role.STRATEGY_GROUP_MEMBER, email="chair@example.org")
    body = GovernanceBody.objects.create(name="Workforce Strategy Group", slug="workforce-strategy-group",
                                         start_date=dt.date(2010, 4, 1))
    GovernanceMembership.objects.create(body=body, user=chair, role="Chair", start_date=dt.date(2020, 1, 1))
    on_day(DAY - dt.timedelta(days=30))
    ActionFactory(theme=theme, code="3.1", title="Quality assurance framework", due_date=DAY, leads=[people["ben"]])
    heard = {"ben@example.org": [], "chair@example.org": []}
    for offset in range(-21, 46):
        on_day(days(offset))
        mail.outbox.clear()
        sweep()
        for message in mail.outbox:
            assert "Quality assurance framework" in message.body
            heard[message.to[0]].append(offset)
    assert heard["ben@example.org"] == [-14, -7, -1, 1, 8, 15, 22, 29, 36, 43]
    assert heard["chair@example.org"] == [31, 38, 45]


def test_a_chair_who_leads_a_long_overdue_action_hears_of_it_once(plan, on_day, make_user, people, sweep):
    from partners.models import GovernanceBody, GovernanceMembership

    body = GovernanceBody.objects.create(name="Workforce Strategy Group", slug="workforce-strategy-group",
                                         start_date=dt.date(2010, 4, 1))
    GovernanceMembership.objects.create(body=body, user=people["cara"], role="Chair", start_date=dt.date(2020, 1, 1))
    on_day(DAY)
    sweep()
    (email,) = emails_to("cara@example.org")
    assert email.body.count("Workforce data") == 1
    assert "Workforce data — escalated to chair: overdue 31 days" in email.body
    assert "still overdue (31 days)" not in email.body
    assert "MCA training — still overdue (8 days)" in email.body  # not escalated yet: as its lead
