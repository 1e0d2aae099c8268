import datetime
import zoneinfo

import pytest
import time_machine

from actions import selectors, services
from actions.models import Action, Milestone, StatusUpdate, Strategy
from tests.actions.factories import ActionFactory, StrategyFactory, ThemeFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")


def _update(action, by, status="amber", percent=40, commentary="Venue booked; speakers to confirm."):
    return services.action_status_update(by=by, action=action, status=status, percent_complete=percent,
                                         commentary=commentary)


def test_a_status_update_becomes_the_actions_current_status_and_updates_are_kept(plan, strategist):
    action = ActionFactory(theme=plan.themes.first())
    _update(action, strategist, status="green", percent=20, commentary="Started.")
    _update(action, strategist, status="amber", percent=40, commentary="Venue late.")

    action.refresh_from_db()
    assert action.current_status == "amber"
    assert action.percent_complete == 40
    assert [u.commentary for u in action.updates.all()] == ["Venue late.", "Started."]


def test_completed_means_100_percent(plan, strategist):
    action = ActionFactory(theme=plan.themes.first())
    _update(action, strategist, status="completed", percent=70)
    action.refresh_from_db()
    assert (action.current_status, action.percent_complete) == ("completed", 100)


def test_a_lead_may_update_their_action_but_not_anothers(plan, lead, make_user):
    mine = ActionFactory(theme=plan.themes.first(), leads=[lead])
    theirs = ActionFactory(theme=plan.themes.first(), leads=[make_user()])
    _update(mine, lead)
    with pytest.raises(services.NotAllowed):
        _update(theirs, lead)
    assert not theirs.updates.exists()


def test_a_board_member_cannot_post_even_when_named_as_lead(plan, board_member):
    action = ActionFactory(theme=plan.themes.first(), leads=[board_member])
    with pytest.raises(services.NotAllowed):
        _update(action, board_member)
    assert StatusUpdate.objects.count() == 0


def test_an_archived_plan_cannot_be_updated(strategist):
    action = ActionFactory(theme=ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.ARCHIVED)))
    with pytest.raises(services.NotAllowed):
        _update(action, strategist)


def test_only_editors_change_the_plan(plan, lead, strategist):
    theme = plan.themes.first()
    fields = services.ActionFields(theme=theme, code="1.1", title="Welcome event", leads=[lead])
    with pytest.raises(services.NotAllowed):
        services.action_create(by=lead, fields=fields)
    action = services.action_create(by=strategist, fields=fields)
    assert list(action.leads.all()) == [lead]


def test_action_codes_are_unique_within_a_strategy(plan, strategist):
    theme = plan.themes.first()
    services.action_create(by=strategist, fields=services.ActionFields(theme=theme, code="2.3", title="A"))
    with pytest.raises(services.ActionPlanError, match="already has an action with code 2.3"):
        services.action_create(by=strategist, fields=services.ActionFields(theme=theme, code="2.3", title="B"))
    other = ThemeFactory(strategy=StrategyFactory())
    services.action_create(by=strategist, fields=services.ActionFields(theme=other, code="2.3", title="C"))


def test_making_a_strategy_active_archives_the_previous_one(plan, strategist):
    new = services.strategy_save(by=strategist, title="Next plan", period_start=datetime.date(2027, 7, 1),
                                 period_end=datetime.date(2029, 6, 30), status=Strategy.Status.ACTIVE)
    plan.refresh_from_db()
    assert plan.status == Strategy.Status.ARCHIVED
    assert selectors.plan_active() == new


# --- Overdue, derived -----------------------------------------------------------------------------


def test_overdue_starts_at_london_midnight_after_the_due_date(plan, strategist):
    action = ActionFactory(theme=plan.themes.first(), due_date=datetime.date(2026, 3, 31))
    with time_machine.travel(datetime.datetime(2026, 3, 31, 23, 59, 59, tzinfo=LONDON), tick=False):
        assert not Action.objects.filter(pk=action.pk).filter(selectors.overdue_q(on=selectors.today())).exists()
        assert not selectors.actions_for(user=strategist, strategy=plan).get(pk=action.pk).is_overdue
    with time_machine.travel(datetime.datetime(2026, 4, 1, 0, 0, 0, tzinfo=LONDON), tick=False):
        assert list(selectors.actions_overdue(on=selectors.today())) == [action]
        assert selectors.actions_for(user=strategist, strategy=plan).get(pk=action.pk).is_overdue
        assert Action.objects.get(pk=action.pk).is_overdue


def test_overdue_uses_london_time_not_utc_in_summer(plan):
    # 23:30 UTC on 31 May is 00:30 on 1 June in London (BST): the action due 31 May is overdue.
    action = ActionFactory(theme=plan.themes.first(), due_date=datetime.date(2026, 5, 31))
    with time_machine.travel(datetime.datetime(2026, 5, 31, 23, 30, tzinfo=datetime.UTC), tick=False):
        assert list(selectors.actions_overdue(on=selectors.today())) == [action]


def test_completed_or_dropped_actions_are_never_overdue(plan, strategist):
    theme = plan.themes.first()
    done = ActionFactory(theme=theme, due_date=datetime.date(2026, 1, 1))
    dropped = ActionFactory(theme=theme, due_date=datetime.date(2026, 1, 1))
    late = ActionFactory(theme=theme, due_date=datetime.date(2026, 1, 1))
    _update(done, strategist, status="completed")
    _update(dropped, strategist, status="dropped")
    _update(late, strategist, status="green")
    assert list(selectors.actions_overdue(on=datetime.date(2026, 2, 1))) == [late]


def test_actions_due_between_is_inclusive_and_open_only(plan, strategist):
    theme = plan.themes.first()
    first = ActionFactory(theme=theme, due_date=datetime.date(2026, 6, 1))
    last = ActionFactory(theme=theme, due_date=datetime.date(2026, 6, 30))
    ActionFactory(theme=theme, due_date=datetime.date(2026, 7, 1))
    closed = ActionFactory(theme=theme, due_date=datetime.date(2026, 6, 15))
    _update(closed, strategist, status="completed")
    found = selectors.actions_due_between(start=datetime.date(2026, 6, 1), end=datetime.date(2026, 6, 30))
    assert list(found) == [first, last]


# --- RAG summary -------------------------------------------------------------------------------------


def test_rag_summary_equals_counting_the_actions_by_hand(plan, strategist):
    one, two = plan.themes.order_by("order")
    statuses = ["green", "green", "amber", "red", "completed", None]
    for index, status in enumerate(statuses):
        action = ActionFactory(theme=one, due_date=datetime.date(2026, 1, 1) if index % 2 else None)
        if status:
            _update(action, strategist, status=status)
    ActionFactory(theme=two)

    summary = selectors.rag_summary(strategy=plan, on=datetime.date(2026, 6, 1))
    row_one, row_two = summary.rows
    assert row_one.counts == {"red": 1, "amber": 1, "green": 2, "completed": 1, "dropped": 0, "none": 1}
    assert row_one.total == 6
    # Odd indexes are due 1 Jan: green(1), red(3), none(5) - all still open, so 3 overdue.
    assert row_one.overdue == 3
    assert (row_two.total, row_two.counts["none"]) == (1, 1)
    assert summary.total.total == 7 == Action.objects.filter(strategy=plan).count()
    assert sum(summary.total.counts.values()) == summary.total.total
    assert sum(seg["percent"] for seg in row_one.segments) == pytest.approx(100)


def test_rag_summary_is_two_queries(plan, django_assert_num_queries):
    for _ in range(20):
        ActionFactory(theme=plan.themes.first())
    with django_assert_num_queries(2):
        selectors.rag_summary(strategy=plan)


def test_the_action_list_is_a_fixed_number_of_queries(plan, strategist, make_user, django_assert_num_queries):
    for _ in range(30):
        ActionFactory(theme=plan.themes.first(), leads=[make_user(), make_user()])
    with django_assert_num_queries(3):  # the user's roles, the actions with theme and strategy, their leads
        rows = list(selectors.actions_for(user=strategist, strategy=plan))
        assert all(len(a.leads.all()) == 2 and a.theme.title for a in rows)


# --- Visibility -------------------------------------------------------------------------------------


def test_practitioners_read_the_active_plan_and_the_actions_they_lead(plan, lead, practitioner):
    draft_action = ActionFactory(theme=ThemeFactory(strategy=StrategyFactory()), leads=[lead])
    active_action = ActionFactory(theme=plan.themes.first())
    assert set(selectors.actions_for(user=practitioner)) == {active_action}
    assert set(selectors.actions_for(user=lead)) == {active_action, draft_action}


def test_board_members_read_every_plan(plan, board_member):
    draft_action = ActionFactory(theme=ThemeFactory(strategy=StrategyFactory()))
    active_action = ActionFactory(theme=plan.themes.first())
    assert set(selectors.actions_for(user=board_member)) == {active_action, draft_action}


# --- History ---------------------------------------------------------------------------------------


def test_the_timeline_shows_updates_and_changes_with_who_made_them(plan, strategist, lead):
    theme = plan.themes.first()
    action = services.action_create(by=strategist, fields=services.ActionFields(
        theme=theme, code="1.1", title="Welcome event", due_date=datetime.date(2026, 10, 1)))
    services.action_edit(by=strategist, action=action, fields=services.ActionFields(
        theme=theme, code="1.1", title="Welcome event", due_date=datetime.date(2026, 12, 1), leads=[lead]))
    milestone = services.milestone_save(by=strategist, action=action, title="Book venue",
                                        due_date=datetime.date(2026, 9, 1))
    services.milestone_save(by=strategist, action=action, milestone=milestone, title="Book venue",
                            due_date=datetime.date(2026, 9, 1), done_date=datetime.date(2026, 8, 20))
    _update(action, lead, status="amber", commentary="Speakers not confirmed.")

    timeline = selectors.action_timeline(action=action)
    assert timeline[0].kind == "update" and timeline[0].who == lead
    changes = [(e.who, c) for e in timeline for c in e.changes]
    assert (strategist, ("Due date", "1 Oct 2026", "1 Dec 2026")) in changes
    assert (strategist, ("Leads", "—", str(lead))) in changes
    assert (strategist, ("Done date", "—", "20 Aug 2026")) in changes
    assert any(e.title == "Milestone added: Book venue" for e in timeline)


def test_removed_milestones_stay_in_the_timeline(plan, strategist):
    action = ActionFactory(theme=plan.themes.first())
    milestone = services.milestone_save(by=strategist, action=action, title="Draft the strategy")
    services.milestone_delete(by=strategist, milestone=milestone)
    assert not Milestone.objects.exists()
    titles = [e.title for e in selectors.action_timeline(action=action)]
    assert "Milestone removed: Draft the strategy" in titles


def test_action_latest_updates_gives_each_actions_newest_update(plan, strategist):
    first, second = ActionFactory(theme=plan.themes.first()), ActionFactory(theme=plan.themes.first())
    _update(first, strategist, commentary="Old.")
    newest = _update(first, strategist, commentary="New.")
    only = _update(second, strategist, commentary="Only.")
    ActionFactory(theme=plan.themes.first())
    assert selectors.action_latest_updates(actions=Action.objects.all()) == {first.pk: newest, second.pk: only}


def test_a_rolled_back_update_leaves_no_evidence_file_behind(plan, strategist):
    from django.core.files.storage import default_storage
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import IntegrityError

    action = ActionFactory(theme=plan.themes.first())
    upload = SimpleUploadedFile("minutes.pdf", b"%PDF-1.4\n", "application/pdf")
    files = [services.EvidenceFile(file=upload, name="minutes.pdf", content_type="application/pdf", size=9)]
    with pytest.raises(IntegrityError):  # a bad link row fails the transaction after the file was stored
        services.action_status_update(by=strategist, action=action, status="green", percent_complete=10,
                                      commentary="Minutes attached.", files=files, links=[None])
    assert not StatusUpdate.objects.exists()

    def files_under(path):
        if not default_storage.exists(path):
            return []
        folders, names = default_storage.listdir(path)
        return names + [n for folder in folders for n in files_under(f"{path}/{folder}")]

    assert files_under("private/actions/evidence") == []
