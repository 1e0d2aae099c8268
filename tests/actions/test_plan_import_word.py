"""A plan as written in Word imports in full through the page; bad files are refused with nothing written."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from actions.models import Action, ExternalLead, Milestone, PlanImport, StatusUpdate, Theme
from core.roles import Role
from tests.actions.word_plans import CHALLENGES, LEADS_AND_STATUS, THEMED, docx_bytes
from tests.partners.factories import GovernanceBodyFactory
from workforce.models import StaffProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(make_user, lead):
    """The partnership's people, named in the plans by job title."""
    titles = {"Head of Early Help": "hana", "Workforce Development Manager": "will", "Principal Social Worker": "pat",
              "Strategic Integrated Workforce Lead": "sid"}
    made = {}
    for title, name in titles.items():
        user = make_user(Role.PRACTITIONER, email=f"{name}@example.org", first_name=name.title(), last_name="Example")
        StaffProfile.objects.filter(user=user).update(job_title=title)
        made[title] = user
    GovernanceBodyFactory(name="Workforce Strategy Group", start_date=datetime.date(2020, 1, 1), end_date=None)
    return made


def _import(client, plan, content, name="plan.docx"):
    response = client.post(reverse("actions:import_upload", args=[plan.pk]),
                           {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response.context["form"].errors
    preview = client.get(response.url)
    assert preview.context["error_count"] == 0, [r["errors"] for r in preview.context["rows"]]
    confirmed = client.post(response.url)
    assert confirmed.status_code == 302
    return preview


def test_a_themed_plan_without_leads_imports_with_its_themes_and_timescales(client, plan, strategist):
    client.force_login(strategist)
    preview = _import(client, plan, docx_bytes(THEMED))
    assert "New theme: Working together" in preview.content.decode()
    actions = {a.title: a for a in Action.objects.filter(strategy=plan).select_related("theme")}
    assert len(actions) == 5
    assert Theme.objects.filter(strategy=plan, title="Working together").exists()
    induction = actions["Publish the induction standard for all new starters"]
    assert (induction.theme.code, induction.code, induction.due_date) == ("1", "1.1", datetime.date(2027, 3, 31))
    audit = actions["Run the multi-agency audit"]
    assert (audit.start_date, audit.due_date, audit.timescale) == (
        datetime.date(2027, 1, 1), datetime.date(2027, 4, 30), "January to April 2027")
    assert actions["Agree the joint supervision framework"].due_date == datetime.date(2027, 3, 31)
    assert actions["Keep the training directory current"].due_date is None  # ongoing: never overdue
    assert actions["Hold the practitioner forum"].performance_measures == "Forum attendance"


def test_pairs_groups_and_ticks_become_leads_external_leads_and_dated_updates(client, plan, strategist, people, lead):
    client.force_login(strategist)
    preview = _import(client, plan, docx_bytes(LEADS_AND_STATUS))
    page = preview.content.decode()
    assert "Head of Early Help → person: Hana Example" in page
    assert "Director of Children&#x27;s Services → external lead" in page
    actions = {a.title: a for a in Action.objects.filter(strategy=plan)}
    assert len(actions) == 4
    mapped = actions["Map the early help offer"]
    assert set(mapped.leads.all()) == {people["Head of Early Help"], people["Workforce Development Manager"]}
    assert mapped.current_status == "completed"
    update = mapped.updates.get()
    assert update.imported_from == "plan.docx" and update.created_by == strategist
    recruit = actions["Recruit practice educators"]
    assert recruit.leading_body.name == "Workforce Strategy Group"
    assert list(recruit.external_leads.values_list("name", flat=True)) == ["Director of Children's Services"]
    assert (recruit.current_status, recruit.due_date) == ("green", datetime.date(2026, 12, 31))
    assert set(actions["Refresh the safer recruitment course"].leads.all()) == {lead, people["Principal Social Worker"]}
    launch = actions["Launch the apprenticeship route"]
    assert launch.current_status == "none" and launch.timescale == "2026 – 2027 initially"
    assert list(launch.leads.all()) == [people["Strategic Integrated Workforce Lead"]]


def test_challenges_with_bracketed_dates_become_actions_with_milestones(client, plan, strategist, people, lead):
    client.force_login(strategist)
    _import(client, plan, docx_bytes(CHALLENGES))
    stay = Action.objects.get(strategy=plan, title="Too few newly qualified social workers stay a second year")
    assert "Offer a protected caseload" in stay.description
    assert list(stay.milestones.values_list("title", "due_date")) == [
        ("Offer a protected caseload", datetime.date(2026, 10, 31)),
        ("Pair each with a mentor", datetime.date(2027, 3, 31)),
    ]
    update = stay.updates.get()
    assert (update.status, update.created_at.date()) == ("completed", datetime.date(2026, 4, 30))
    supervision = Action.objects.get(strategy=plan, title="Supervision is not recorded consistently")
    assert set(supervision.leads.all()) == {people["Head of Early Help"], lead}
    assert supervision.due_date == datetime.date(2027, 2, 28)
    briefings = Action.objects.get(strategy=plan, title="Partners do not know the threshold document")
    assert briefings.due_date is None and briefings.leading_body.name == "Workforce Strategy Group"


def test_importing_the_same_word_plan_again_adds_nothing(client, plan, strategist, people):
    client.force_login(strategist)
    _import(client, plan, docx_bytes(LEADS_AND_STATUS))
    counts = (Action.objects.count(), StatusUpdate.objects.count(), ExternalLead.objects.count(),
              Milestone.objects.count())
    preview = _import(client, plan, docx_bytes(LEADS_AND_STATUS))
    assert preview.context["unchanged"] == 4, [(r["change"], r["changes"]) for r in preview.context["rows"]]
    assert (Action.objects.count(), StatusUpdate.objects.count(), ExternalLead.objects.count(),
            Milestone.objects.count()) == counts


def test_tables_of_the_same_shape_are_read_as_one_plan(client, plan, strategist):
    client.force_login(strategist)
    _import(client, plan, docx_bytes(THEMED[:3], [THEMED[0], *THEMED[3:]]))
    assert Action.objects.filter(strategy=plan).count() == 5


def test_an_unreadable_timescale_names_its_cell_and_nothing_is_written(client, plan, strategist):
    client.force_login(strategist)
    rows = [THEMED[0], ["Working together", "Agree the framework", "when funding allows", ""]]
    response = client.post(reverse("actions:import_upload", args=[plan.pk]),
                           {"file": SimpleUploadedFile("plan.docx", docx_bytes(rows))})
    preview = client.get(response.url)
    (error,) = preview.context["rows"][0]["errors"]
    assert (error["row"], error["column"]) == (2, "Timescale") and "when funding allows" in error["message"]
    assert client.post(response.url).status_code == 200
    assert not Action.objects.exists() and not Theme.objects.filter(title="Working together").exists()


def _big_sheet(rows: int) -> bytes:
    import io
    book = Workbook()
    sheet = book.active
    sheet.append(["Action", "Timescale"])
    for number in range(rows):
        sheet.append([f"Action {number}", "March 2027"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("name", "content", "message"), [
    ("plan.docx", b"%PDF-1.4 not a word file", "not a Word document"),
    ("plan.docx", b"PK\x03\x04 broken zip", "not a Word document"),
    ("plan.docx", docx_bytes(THEMED, merge=(1, 1)), "merged cells"),
    ("plan.docx", docx_bytes([THEMED[0]]), "has a heading row but no actions"),
    ("plan.docx", docx_bytes([["Lead", "Timescale"], ["Someone", "March 2027"]]), "missing: Title"),
    ("plan.xlsx", _big_sheet(5000), "import at most 2000"),
])
def test_a_bad_plan_file_is_refused_next_to_the_field_with_nothing_written(client, plan, strategist, name, content,
                                                                           message):
    client.force_login(strategist)
    response = client.post(reverse("actions:import_upload", args=[plan.pk]),
                           {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 200
    assert message in response.context["form"].errors["file"][0]
    assert not PlanImport.objects.exists() and not Action.objects.exists()
