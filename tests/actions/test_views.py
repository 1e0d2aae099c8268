import datetime
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions import services
from actions.models import Action, Evidence, StatusUpdate, Strategy
from core.roles import Role
from tests.actions.factories import ActionFactory, MilestoneFactory, StrategyFactory, ThemeFactory
from tests.actions.pages import listed_action_ids
from tests.partners.factories import GovernanceBodyFactory

pytestmark = pytest.mark.django_db
LONDON = zoneinfo.ZoneInfo("Europe/London")
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def _post_update(client, action, **extra):
    data = {"status": "amber", "percent_complete": "40", "commentary": "Speakers not confirmed.", "links": ""}
    data.update(extra)
    return client.post(reverse("actions:action_update", args=[action.pk]), data)


# --- Reading -----------------------------------------------------------------------------------------


def test_everyone_signed_in_reads_the_active_plan_overview(client, plan, practitioner, strategist):
    ActionFactory(theme=plan.themes.first(), title="Run a quarterly welcome event")
    client.force_login(practitioner)
    page = client.get(reverse("actions:overview"))
    assert page.status_code == 200
    assert "Updated Action Plan 2026-27" in page.text
    assert "A confident and competent workforce" in page.text


def test_the_overview_is_a_bounded_number_of_queries(client, plan, strategist, make_user,
                                                     django_assert_max_num_queries):
    for theme in plan.themes.all():
        for _ in range(15):
            ActionFactory(theme=theme, leads=[make_user()], due_date=datetime.date.today())
    client.force_login(strategist)
    with django_assert_max_num_queries(15):
        assert client.get(reverse("actions:overview")).status_code == 200


def test_the_action_list_is_a_bounded_number_of_queries(client, plan, strategist, make_user,
                                                          django_assert_max_num_queries):
    for _ in range(60):
        ActionFactory(theme=plan.themes.first(), leads=[make_user()])
    client.force_login(strategist)
    with django_assert_max_num_queries(15):
        page = client.get(reverse("actions:action_list"))
    assert "60 actions" in page.text
    assert "Page 1 of 2" in page.text


def test_practitioners_cannot_open_a_draft_plan_or_its_actions(client, practitioner):
    draft = ActionFactory(theme=ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.DRAFT)))
    client.force_login(practitioner)
    assert client.get(reverse("actions:strategy_overview", args=[draft.strategy_id])).status_code == 404
    assert client.get(reverse("actions:action_detail", args=[draft.pk])).status_code == 404


def test_board_members_read_archived_plans_but_see_no_update_form(client, board_member):
    action = ActionFactory(theme=ThemeFactory(strategy=StrategyFactory(status=Strategy.Status.ARCHIVED)),
                           title="Tracking system for designated safeguarding officers")
    client.force_login(board_member)
    page = client.get(reverse("actions:action_detail", args=[action.pk]))
    assert page.status_code == 200
    assert "Tracking system for designated safeguarding officers" in page.text
    assert "Post a status update" not in page.text


@pytest.mark.parametrize("filters, expected", [
    ({"overdue": "on"}, {"late"}),
    ({"due_soon": "on"}, {"soon"}),
    ({"q": "welcome event"}, {"soon"}),
    ({"status": "red"}, {"late"}),
])
def test_the_action_list_filters(client, plan, strategist, filters, expected):
    theme = plan.themes.first()
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON), tick=False):
        late = ActionFactory(theme=theme, title="Review safeguarding training", due_date=datetime.date(2026, 5, 31))
        services.action_status_update(by=strategist, action=late, status="red", percent_complete=10,
                                      commentary="Stalled.")
        ActionFactory(theme=theme, title="Run a quarterly welcome event", due_date=datetime.date(2026, 6, 20))
        ActionFactory(theme=theme, title="Clarify workforce data", due_date=datetime.date(2026, 12, 1))
        client.force_login(strategist)
        page = client.get(reverse("actions:action_list"), filters)
    titles = set(Action.objects.filter(pk__in=listed_action_ids(page)).values_list("title", flat=True))
    names = {"late": "Review safeguarding training", "soon": "Run a quarterly welcome event"}
    assert titles == {names[k] for k in expected}


def test_filtering_by_lead_and_theme(client, plan, strategist, lead):
    one, two = plan.themes.order_by("order")
    mine = ActionFactory(theme=one, leads=[lead])
    ActionFactory(theme=one)
    ActionFactory(theme=two, leads=[lead])
    client.force_login(strategist)
    page = client.get(reverse("actions:action_list"), {"lead": lead.pk, "theme": one.pk})
    assert listed_action_ids(page) == [mine.pk]


def test_my_actions_lists_only_the_actions_i_lead(client, plan, lead, make_user):
    ActionFactory(theme=plan.themes.first(), title="Mine", leads=[lead])
    ActionFactory(theme=plan.themes.first(), title="Someone else's", leads=[make_user()])
    client.force_login(lead)
    page = client.get(reverse("actions:my_actions"))
    assert "Mine" in page.text
    assert "Someone else&#x27;s" not in page.text and "Someone else's" not in page.text


# --- Status updates -----------------------------------------------------------------------------------


def test_a_lead_posts_an_update_with_evidence_and_sees_it_first_in_the_timeline(client, plan, lead):
    action = ActionFactory(theme=plan.themes.first(), leads=[lead])
    client.force_login(lead)
    response = _post_update(client, action, files=[SimpleUploadedFile("minutes.pdf", PDF, "application/pdf")],
                            links="https://example.org/evaluation")
    assert response.status_code == 302
    page = client.get(response.url)
    timeline = page.context["timeline"]
    assert timeline[0].update.commentary == "Speakers not confirmed."
    assert {str(e) for e in timeline[0].update.evidence.all()} == {"minutes.pdf", "https://example.org/evaluation"}
    assert "Amber – at risk" in page.text


def test_a_lead_cannot_update_an_action_they_do_not_lead(client, plan, lead, make_user):
    action = ActionFactory(theme=plan.themes.first(), leads=[make_user()])
    client.force_login(lead)
    assert _post_update(client, action).status_code == 404
    page = client.get(reverse("actions:action_detail", args=[action.pk]))
    assert "Post a status update" not in page.text
    assert not StatusUpdate.objects.exists()


def test_a_board_member_cannot_post(client, plan, board_member):
    action = ActionFactory(theme=plan.themes.first(), leads=[board_member])
    client.force_login(board_member)
    assert _post_update(client, action).status_code == 404
    assert not StatusUpdate.objects.exists()


def test_a_strategy_group_member_updates_any_action(client, plan, strategist):
    action = ActionFactory(theme=plan.themes.first())
    client.force_login(strategist)
    assert _post_update(client, action).status_code == 302
    action.refresh_from_db()
    assert action.current_status == "amber"


@pytest.mark.parametrize("upload, message", [
    (SimpleUploadedFile("tool.exe", b"MZ\x90\x00", "application/octet-stream"), "is not a type we accept"),
    (SimpleUploadedFile("report.pdf", b"MZ\x90\x00\x03", "application/pdf"), "is a program, not a document"),
    (SimpleUploadedFile("notes.txt", b"#!/bin/sh\nrm -rf /\n", "text/plain"), "is a program, not a document"),
    (SimpleUploadedFile("photo.png", b"not a png at all", "image/png"), "does not look like a PNG file"),
    (SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (10 * 1024 * 1024), "application/pdf"),
     "each file must be 10.0\xa0MB or smaller"),
])
def test_uploads_refuse_programs_disguises_and_big_files_with_a_clear_message(client, plan, strategist, upload,
                                                                              message):
    action = ActionFactory(theme=plan.themes.first())
    client.force_login(strategist)
    response = _post_update(client, action, files=[upload])
    assert response.status_code == 400
    assert message in response.context["form"].errors["files"][0]
    assert message.replace("\xa0", "&nbsp;") in response.text or message in response.text
    assert not StatusUpdate.objects.exists() and not Evidence.objects.exists()


def test_a_missing_commentary_is_shown_next_to_the_field(client, plan, strategist):
    action = ActionFactory(theme=plan.themes.first())
    client.force_login(strategist)
    response = _post_update(client, action, commentary="")
    assert response.status_code == 400
    assert "commentary" in response.context["form"].errors
    assert not StatusUpdate.objects.exists()


def test_evidence_downloads_only_for_those_who_may_read_the_action(client, plan, lead, practitioner, strategist):
    draft_action = ActionFactory(theme=ThemeFactory(strategy=StrategyFactory()), leads=[lead])
    client.force_login(strategist)
    _post_update(client, draft_action, files=[SimpleUploadedFile("minutes.pdf", PDF, "application/pdf")])
    client.force_login(lead)  # reads the draft action they lead
    evidence = Evidence.objects.get()
    url = reverse("actions:evidence", args=[evidence.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert 'filename="minutes.pdf"' in response["Content-Disposition"]
    assert evidence.file.name.startswith("private/actions/evidence/") and "minutes" not in evidence.file.name
    client.force_login(practitioner)  # cannot read a draft plan
    assert client.get(url).status_code == 404


# --- Editing the plan ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.BOARD_MEMBER, Role.TRAINING_COORDINATOR])
def test_only_strategy_group_members_and_administrators_edit(client, plan, make_user, role):
    action = ActionFactory(theme=plan.themes.first())
    client.force_login(make_user(role))
    for url in [
        reverse("actions:action_edit", args=[action.pk]),
        reverse("actions:action_create", args=[plan.pk]),
        reverse("actions:strategy_edit", args=[plan.pk]),
        reverse("actions:theme_create", args=[plan.pk]),
        reverse("actions:milestone_create", args=[action.pk]),
        reverse("actions:import_upload", args=[plan.pk]),
    ]:
        assert client.get(url).status_code == 404, url


def test_an_administrator_edits_an_action_and_the_timeline_says_who(client, plan, make_user, lead):
    admin = make_user(Role.ADMINISTRATOR, first_name="Ada", last_name="Admin")
    action = ActionFactory(theme=plan.themes.first(), code="1.1", title="Welcome event")
    group = GovernanceBodyFactory(name="Workforce Strategy Group")
    client.force_login(admin)
    response = client.post(reverse("actions:action_edit", args=[action.pk]), {
        "theme": action.theme_id, "code": "1.1", "title": "Quarterly welcome event", "leads": [lead.pk],
        "due_date": "2026-10-31", "timescale": "Quarterly events throughout the year", "leading_body": group.pk,
    })
    assert response.status_code == 302
    page = client.get(reverse("actions:action_detail", args=[action.pk]))
    assert "Title: Welcome event → Quarterly welcome event" in page.text
    assert "Ada Admin" in page.text
    assert "Leading group: — → Workforce Strategy Group" in page.text
    assert f"Leads: — → {lead}" in page.text


def test_marking_a_milestone_done_is_shown_in_the_timeline(client, plan, strategist):
    milestone = MilestoneFactory(action=ActionFactory(theme=plan.themes.first()), title="Book venue")
    client.force_login(strategist)
    response = client.post(reverse("actions:milestone_edit", args=[milestone.pk]),
                           {"title": "Book venue", "done_date": "2026-05-01"})
    assert response.status_code == 302
    page = client.get(reverse("actions:action_detail", args=[milestone.action_id]))
    assert "Milestone changed: Book venue" in page.text
    assert "Done date: — → 1 May 2026" in page.text


def test_a_bad_action_form_writes_nothing_and_says_why(client, plan, strategist):
    client.force_login(strategist)
    response = client.post(reverse("actions:action_create", args=[plan.pk]), {
        "theme": plan.themes.first().pk, "code": "1.1", "title": "Event", "start_date": "2026-06-01",
        "due_date": "2026-05-01",
    })
    assert response.status_code == 200
    assert "The due date must be on or after the start date." in response.text
    assert not plan.actions.exists()


def test_a_strategy_group_member_builds_a_plan_through_the_forms(client, strategist, lead):
    client.force_login(strategist)
    response = client.post(reverse("actions:strategy_create"), {
        "title": "Workforce Strategy 2027-30", "period_start": "2027-07-01", "period_end": "2030-06-30",
        "status": "draft", "summary": "",
    })
    strategy = Strategy.objects.get(title="Workforce Strategy 2027-30")
    assert response.url == reverse("actions:strategy_overview", args=[strategy.pk])
    client.post(reverse("actions:theme_create", args=[strategy.pk]),
                {"code": "1", "title": "A confident and competent workforce", "aim": "", "order": 1})
    theme = strategy.themes.get()
    response = client.post(reverse("actions:action_create", args=[strategy.pk]), {
        "theme": theme.pk, "code": "1.1", "title": "Run a quarterly welcome event", "leads": [lead.pk],
        "timescale": "Quarterly events throughout the year",
    })
    action = strategy.actions.get()
    assert response.url == reverse("actions:action_detail", args=[action.pk])
    client.post(reverse("actions:milestone_create", args=[action.pk]), {"title": "Spring event",
                                                                        "due_date": "2027-09-30"})
    page = client.get(reverse("actions:strategy_overview", args=[strategy.pk]))
    assert "Draft" in page.text and "A confident and competent workforce" in page.text
    detail = client.get(reverse("actions:action_detail", args=[action.pk]))
    assert "Spring event" in detail.text and str(lead) in detail.text

    # A second theme with the same code is refused next to the field.
    response = client.post(reverse("actions:theme_create", args=[strategy.pk]),
                           {"code": "1", "title": "Duplicate", "aim": "", "order": 2})
    assert "already has a theme with code 1" in response.context["form"].errors["code"][0]
    assert strategy.themes.count() == 1


def test_a_period_that_ends_before_it_starts_is_refused(client, strategist):
    client.force_login(strategist)
    response = client.post(reverse("actions:strategy_create"), {
        "title": "Backwards", "period_start": "2027-07-01", "period_end": "2026-06-30", "status": "draft",
    })
    assert "must end on or after" in response.context["form"].errors["period_end"][0]
    assert not Strategy.objects.filter(title="Backwards").exists()


def test_evidence_links_must_be_web_addresses(client, plan, strategist):
    action = ActionFactory(theme=plan.themes.first())
    client.force_login(strategist)
    response = _post_update(client, action, links="javascript:alert(1)")
    assert response.status_code == 400
    assert "is not a web address" in response.context["form"].errors["links"][0]
    assert not StatusUpdate.objects.exists()


def test_a_duplicate_action_code_is_shown_next_to_the_code_field(client, plan, strategist):
    ActionFactory(theme=plan.themes.first(), code="1.1")
    client.force_login(strategist)
    response = client.post(reverse("actions:action_create", args=[plan.pk]),
                           {"theme": plan.themes.first().pk, "code": "1.1", "title": "Again"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"] == ["This strategy already has an action with code 1.1."]
    assert plan.actions.count() == 1


def _edit_form_as_rendered(client, action) -> dict:
    """What the browser sends when the edit form is saved without touching it."""
    form = client.get(reverse("actions:action_edit", args=[action.pk])).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list) else field.widget.format_value(value) or ""
    return data


def test_editing_an_action_keeps_a_lead_who_has_left_and_marks_them(client, plan, strategist, lead, make_user):
    from workforce.services import person_leave

    other = make_user(first_name="Olu", last_name="Other")
    action = ActionFactory(theme=plan.themes.first(), code="1.1", leads=[lead, other])
    lead = person_leave(person=lead, left_on=datetime.date(2026, 5, 1), by=strategist)
    client.force_login(strategist)
    page = client.get(reverse("actions:action_edit", args=[action.pk]))
    assert "Lena Lead (left)" in page.text
    response = client.post(reverse("actions:action_edit", args=[action.pk]), _edit_form_as_rendered(client, action))
    assert response.status_code == 302
    assert set(action.leads.all()) == {lead, other}

    # A leaver is not offered on another action, and cannot be named there.
    fresh = ActionFactory(theme=plan.themes.first(), code="1.2")
    page = client.get(reverse("actions:action_edit", args=[fresh.pk]))
    assert "Lena Lead" not in page.text
    response = client.post(reverse("actions:action_edit", args=[fresh.pk]),
                           {**_edit_form_as_rendered(client, fresh), "leads": [lead.pk]})
    assert "leads" in response.context["form"].errors
    with pytest.raises(services.ActionPlanError, match="Lena Lead has left the partnership"):
        services.action_edit(by=strategist, action=fresh, fields=services.ActionFields(
            theme=fresh.theme, code="1.2", title=fresh.title, leads=[lead]))
    assert not fresh.leads.exists()


def test_editing_an_action_keeps_a_leading_group_that_has_ended(client, plan, strategist):
    ended = GovernanceBodyFactory(name="Children's Trust Board", start_date=datetime.date(2010, 1, 1),
                                  end_date=datetime.date(2016, 3, 31))
    current = GovernanceBodyFactory(name="Workforce Strategy Group")
    action = ActionFactory(theme=plan.themes.first(), code="1.1", leading_body=ended)
    client.force_login(strategist)
    page = client.get(reverse("actions:action_edit", args=[action.pk]))
    assert "Children&#x27;s Trust Board (ended)" in page.text
    assert client.post(reverse("actions:action_edit", args=[action.pk]),
                       _edit_form_as_rendered(client, action)).status_code == 302
    action.refresh_from_db()
    assert action.leading_body == ended
    page = client.get(reverse("actions:action_create", args=[plan.pk]))
    assert "Children&#x27;s Trust Board" not in page.text and current.name in page.text


def test_an_evidence_link_over_500_characters_is_refused_next_to_the_field(client, plan, strategist):
    action = ActionFactory(theme=plan.themes.first())
    client.force_login(strategist)
    long_link = "https://example.org/intranet/" + "a" * 472  # 501 characters
    response = _post_update(client, action, links=long_link)
    assert response.status_code == 400
    assert "is 501 characters long: a link can be at most 500" in response.context["form"].errors["links"][0]
    assert not StatusUpdate.objects.exists()
    just_fits = long_link[:500]
    assert _post_update(client, action, links=just_fits).status_code == 302
    assert Evidence.objects.get().url == just_fits  # kept whole, not cut


# --- My actions, drafts, filters ------------------------------------------------------------------------


def test_a_board_member_named_as_lead_sees_their_actions_without_an_update_button(client, plan, board_member, lead):
    ActionFactory(theme=plan.themes.first(), code="6.1", title="Apprenticeships", leads=[board_member])
    client.force_login(board_member)
    page = client.get(reverse("actions:my_actions"))
    assert "Apprenticeships" in page.text
    assert "Post an update" not in page.text
    ActionFactory(theme=plan.themes.first(), code="6.2", title="Trainers' pool", leads=[lead])
    client.force_login(lead)
    assert "Post an update<span class=\"visually-hidden\"> on 6.2" in client.get(reverse("actions:my_actions")).text


def test_my_actions_lists_the_active_plan_only_and_a_lead_does_not_post_on_a_draft(client, plan, lead):
    ActionFactory(theme=plan.themes.first(), title="In the active plan", leads=[lead])
    draft = StrategyFactory(title="Next year's plan", status=Strategy.Status.DRAFT)
    draft_action = ActionFactory(theme=ThemeFactory(strategy=draft), title="In the draft", leads=[lead])
    client.force_login(lead)
    page = client.get(reverse("actions:my_actions"))
    assert "In the active plan" in page.text and "In the draft" not in page.text

    detail = client.get(reverse("actions:action_detail", args=[draft_action.pk]))
    assert detail.status_code == 200  # they lead it, so they may read it
    assert "Post a status update" not in detail.text
    assert reverse("actions:strategy_overview", args=[draft.pk]) not in detail.text  # that page is a 404 for them
    assert "Next year&#x27;s plan (draft)" in detail.text
    assert _post_update(client, draft_action).status_code == 404
    assert not StatusUpdate.objects.exists()


@pytest.mark.parametrize("query", [{"status": "bogus"}, {"theme": "99999"}, {"lead": "abc"}])
def test_a_filter_value_that_is_not_valid_lists_no_actions_and_says_so(client, plan, strategist, query):
    ActionFactory(theme=plan.themes.first(), title="Welcome event")
    client.force_login(strategist)
    page = client.get(reverse("actions:action_list"), query)
    assert page.status_code == 200
    assert page.context["filter"].form.errors
    assert "0 actions" in page.text and "Welcome event" not in page.text
    assert "a filter has a value it cannot use" in page.text


# --- Milestones ----------------------------------------------------------------------------------------


@time_machine.travel(datetime.datetime(2026, 6, 15, 12, 0, tzinfo=LONDON))
@pytest.mark.parametrize("done, message", [
    ("2030-01-01", "The done date is in the future"),
    ("2026-06-16", "The done date is in the future"),
    ("2025-12-31", "The done date is before the action started (1 Jan 2026)."),
])
def test_a_done_date_in_the_future_or_before_the_action_started_is_refused(client, plan, strategist, done, message):
    action = ActionFactory(theme=plan.themes.first(), start_date=datetime.date(2026, 1, 1))
    milestone = MilestoneFactory(action=action, title="Book venue")
    client.force_login(strategist)
    for url in (reverse("actions:milestone_edit", args=[milestone.pk]),
                reverse("actions:milestone_create", args=[action.pk])):
        response = client.post(url, {"title": "Book venue", "done_date": done})
        assert response.status_code == 200
        assert response.context["form"].errors["done_date"][0].startswith(message)
    milestone.refresh_from_db()
    assert milestone.done_date is None and action.milestones.count() == 1
    # today is fine
    assert client.post(reverse("actions:milestone_edit", args=[milestone.pk]),
                       {"title": "Book venue", "done_date": "2026-06-15"}).status_code == 302


def test_removing_a_milestone_asks_first_and_the_timeline_records_it(client, plan, strategist):
    milestone = MilestoneFactory(action=ActionFactory(theme=plan.themes.first()), title="Book venue")
    client.force_login(strategist)
    edit = client.get(reverse("actions:milestone_edit", args=[milestone.pk]))
    url = reverse("actions:milestone_delete", args=[milestone.pk])
    assert f'href="{url}"' in edit.text  # a link to the question, not a button that removes at once
    question = client.get(url)
    assert question.status_code == 200
    assert "Remove this milestone?" in question.text and "Book venue" in question.text
    assert milestone.action.milestones.count() == 1  # asking removed nothing
    response = client.post(url, follow=True)
    assert "The milestone “Book venue” is removed" in response.text
    assert "Milestone removed: Book venue" in response.text
    assert not milestone.action.milestones.exists()
