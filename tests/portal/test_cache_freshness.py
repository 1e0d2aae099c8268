"""What the portal caches (roles, facets, filter options, figures, whole pages) changes on the page as soon as the
data does: the next request after a change shows it, whatever was cached before — also a value read before a
change committed and stored after it."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from actions.models import Status, Strategy
from actions.services import ActionFields, action_edit, action_status_update
from core.roles import Role
from tests.actions.factories import ActionFactory, ThemeFactory
from tests.partners.factories import OrganisationFactory
from tests.training.factories import (
    BandFactory,
    CourseFactory,
    RequirementFactory,
    SessionFactory,
    StandardVersionFactory,
)
from tests.training.factories import ThemeFactory as CourseThemeFactory
from tests.workforce.conftest import person_row, staff_csv
from training import services as training_services
from workforce import services as workforce_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(service, **arguments): the change made as the portal makes it, its transaction committed (the
    caches hear of it then)."""

    def run(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return run


def _staff_imported(*, rows: list[dict], lead):
    """A staff file imported by an organisation lead into their organisation (preview, then confirm)."""
    organisation = lead.profile.organisation
    preview = workforce_services.staff_import_preview(name="staff.csv", data=staff_csv(rows), by=lead,
                                                      organisation=organisation)
    return workforce_services.staff_import_confirm(batch=preview.batch, by=lead)


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_the_catalogue_options_follow_courses_and_themes(client, practitioner, make_user):
    coordinator = make_user(Role.TRAINING_COORDINATOR)
    theme = CourseThemeFactory(name="Neglect", slug="neglect")
    CourseFactory().themes.add(theme)
    client.force_login(practitioner)
    assert ">Neglect (1)</option>" in _page(client, "/training/courses/")
    course = CourseFactory()
    training_services.course_save(course=course, by=coordinator, themes=[theme], prerequisites=[],
                                  title=course.title)  # fmt: skip
    assert ">Neglect (2)</option>" in _page(client, "/training/courses/")
    training_services.theme_save(theme=theme, by=coordinator, name="Neglect and its signs")
    page = _page(client, "/training/courses/?q=course")  # another filter choice, and the plain page
    assert ">Neglect and its signs (2)</option>" in page
    assert ">Neglect and its signs (2)</option>" in _page(client, "/training/courses/")


def test_a_role_given_or_taken_away_counts_at_once(client, practitioner):
    client.force_login(practitioner)
    assert client.get("/training/manage/").status_code == 404
    workforce_services.user_roles_set(user=practitioner, roles=[Role.PRACTITIONER, Role.TRAINING_COORDINATOR])
    assert client.get("/training/manage/").status_code == 200
    workforce_services.user_roles_set(user=practitioner, roles=[Role.PRACTITIONER])
    assert client.get("/training/manage/").status_code == 404


def test_the_dashboard_counts_people_added_one_by_one_or_imported(client, make_user, committed):
    council = OrganisationFactory(name="City Council Children's Services")
    lead = make_user(Role.LINE_MANAGER, profile={"organisation": council, "is_organisation_lead": True})
    client.force_login(make_user(Role.BOARD_MEMBER, profile={"organisation": council}))
    assert "<strong>2</strong> people" in _page(client, "/people/dashboard/")
    make_user(profile={"organisation": council})
    assert "<strong>3</strong> people" in _page(client, "/people/dashboard/")
    committed(_staff_imported, rows=[person_row(n) for n in range(4)], lead=lead)
    assert "<strong>7</strong> people" in _page(client, "/people/dashboard/")


def test_the_action_list_lead_filter_follows_who_leads_what(client, make_user):
    strategist = make_user(Role.STRATEGY_GROUP_MEMBER, first_name="Sam", last_name="Strategist")
    newcomer = make_user(first_name="Nadia", last_name="Newcomer")
    theme = ThemeFactory(strategy__status=Strategy.Status.ACTIVE)
    action = ActionFactory(strategy=theme.strategy, theme=theme, leads=[strategist])
    client.force_login(strategist)
    assert ">Sam Strategist</option>" in _page(client, "/plan/actions/")
    assert "Nadia Newcomer" not in _page(client, "/plan/actions/")
    fields = ActionFields(theme=theme, code=action.code, title=action.title, leads=[strategist, newcomer])
    action_edit(by=strategist, action=action, fields=fields)
    assert ">Nadia Newcomer</option>" in _page(client, "/plan/actions/")


def test_the_compliance_filter_lists_a_new_organisation(client, make_user):
    client.force_login(make_user(Role.ADMINISTRATOR))
    assert "Riverside Primary School" not in _page(client, "/training/compliance/all/")
    OrganisationFactory(name="Riverside Primary School")
    assert ">Riverside Primary School</option>" in _page(client, "/training/compliance/all/")


def test_a_value_read_before_a_change_committed_is_not_served_after_it(
    client, practitioner, make_user, monkeypatch, django_capture_on_commit_callbacks
):
    """The race: a reader computes the catalogue's options from the data as it was, a change commits meanwhile
    (dropping what was cached), then the reader stores its old value. It carries the old generation, so the next
    request computes the options again."""
    from training.selectors import catalogue as selectors

    coordinator = make_user(Role.TRAINING_COORDINATOR)
    theme = CourseThemeFactory(name="Prevent", slug="prevent")
    client.force_login(practitioner)
    read = selectors._catalogue_facets

    def read_while_a_change_commits():
        options = read()  # the data as it was
        with django_capture_on_commit_callbacks(execute=True):
            training_services.theme_save(theme=theme, by=coordinator, name="Prevent duty")
        return options  # stored after the change committed

    monkeypatch.setattr(selectors, "_catalogue_facets", read_while_a_change_commits)
    assert ">Prevent (0)</option>" in _page(client, "/training/courses/")  # that reader's own page
    monkeypatch.setattr(selectors, "_catalogue_facets", read)
    assert ">Prevent duty (0)</option>" in _page(client, "/training/courses/")


# --- Whole lists served from the cache (the catalogue's results, the action list) ---------------------------


def _card(page: str, title: str) -> str:
    """The course card with this title, as the catalogue shows it."""
    start = page.index(f">{title}</a>")
    return page[start:page.index("</article>", start)]


def test_the_catalogue_cards_follow_courses_sessions_the_standard_and_the_clock(client, practitioner, make_user):
    coordinator = make_user(Role.TRAINING_COORDINATOR)
    course = CourseFactory(title="Neglect: recognising it early")
    client.force_login(practitioner)
    assert "None scheduled" in _card(_page(client, "/training/courses/"), "Neglect: recognising it early")

    training_services.course_save(course=course, by=coordinator, themes=[], prerequisites=[],
                                  title="Neglect: recognising and responding")  # fmt: skip
    page = _page(client, "/training/courses/")
    assert "Neglect: recognising it early" not in page
    assert "None scheduled" in _card(page, "Neglect: recognising and responding")

    soon = (timezone.localtime() + dt.timedelta(days=2)).replace(hour=9, minute=30, second=0, microsecond=0)
    SessionFactory(course=course, start=soon)
    card = _card(_page(client, "/training/courses/"), "Neglect: recognising and responding")
    assert f"{soon:%a} {soon.day} {soon:%b %Y} (1 upcoming)" in card

    band = BandFactory(number=practitioner.profile.cts_band)
    RequirementFactory(band=band, courses=[course])
    assert "Required for you" in _card(_page(client, "/training/courses/"), "Neglect: recognising and responding")

    with time_machine.travel(soon + dt.timedelta(minutes=1), tick=False):  # the session has started
        client.force_login(practitioner)
        card = _card(_page(client, "/training/courses/"), "Neglect: recognising and responding")
    assert "None scheduled" in card


def test_the_action_list_rows_follow_updates_names_imports_and_the_day(client, make_user, committed):
    council = OrganisationFactory(name="City Council Children's Services")
    strategist = make_user(Role.STRATEGY_GROUP_MEMBER)
    manager = make_user(Role.LINE_MANAGER, profile={"organisation": council, "is_organisation_lead": True})
    lead = make_user(first_name="Lena", last_name="Lead", email="new.person1@council.example",
                     profile={"organisation": council, "employee_ref": "HR0001"})
    theme = ThemeFactory(strategy__status=Strategy.Status.ACTIVE)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    action = ActionFactory(strategy=theme.strategy, theme=theme, leads=[lead], title="Roll out Signs of Safety",
                           due_date=tomorrow)
    client.force_login(strategist)

    def row() -> str:
        page = _page(client, "/plan/actions/")
        start = page.index(">Roll out Signs of Safety</a>")
        return page[start:page.index("</tr>", start)]

    assert "Lena Lead" in row() and "No update yet" in row() and "Overdue" not in row()
    action_status_update(by=strategist, action=action, status=Status.AMBER, percent_complete=40, commentary="Late.")
    assert "Amber – at risk" in row() and "40%" in row()

    workforce_services.user_account_update(user=lead, first_name="Lena", last_name="Lewis", phone="")
    assert "Lena Lewis" in row()

    committed(_staff_imported, rows=[person_row(1, first_name="Lena", last_name="Lopez")], lead=manager)
    assert "Lena Lopez" in row()  # a bulk write: no model signal, the import says so itself

    with time_machine.travel(dt.datetime.combine(tomorrow + dt.timedelta(days=1), dt.time(0, 0, 1),
                                                 tzinfo=timezone.get_current_timezone()), tick=False):
        client.force_login(strategist)
        assert "Overdue" in row()


# --- My training, cached per person --------------------------------------------------------------------------


def test_my_training_follows_bookings_waiting_lists_completions_profiles_imports_and_the_clock(
    client, make_user, committed, django_capture_on_commit_callbacks
):
    """Each change below is made as the portal makes it (a service, committed) and the next page shows it."""
    council = OrganisationFactory(name="City Council Children's Services")
    lead = make_user(Role.LINE_MANAGER, profile={"organisation": council, "is_organisation_lead": True})
    coordinator = make_user(Role.TRAINING_COORDINATOR)
    priya = make_user(first_name="Priya", email="new.person1@council.example",
                      profile={"organisation": council, "employee_ref": "HR0001", "cts_band": 3})
    others = [make_user() for _ in range(2)]
    version = StandardVersionFactory()
    band3, band4 = BandFactory(number=3), BandFactory(number=4)
    course = CourseFactory(title="Signs of Safety")
    RequirementFactory(version=version, band=band4, title="Signs of Safety for band 4", courses=[course])
    soon = (timezone.localtime() + dt.timedelta(days=3)).replace(hour=9, minute=30, second=0, microsecond=0)
    session = SessionFactory(course=course, capacity=1, start=soon)
    client.force_login(priya)

    def page() -> str:
        return _page(client, "/training/my-training/")

    assert "You have no upcoming bookings" in page() and "Signs of Safety for band 4" not in page()
    first = committed(training_services.booking_create, session=session, person=others[0])
    committed(training_services.booking_create, session=session, person=others[1])
    mine = committed(training_services.booking_create, session=session, person=priya)
    assert "you are number 2 on the waiting list" in page()
    committed(training_services.waitlist_leave, booking=others[1].training_bookings.get(), by=others[1])
    assert "you are number 1 on the waiting list" in page()  # someone ahead left
    committed(training_services.booking_cancel, booking=first, by=others[0])
    assert "on the waiting list" not in page() and "Confirmed" in page()  # promoted when a place came free

    committed(workforce_services.staff_profile_update, person=priya, by=lead, cts_band=4)
    assert "Signs of Safety for band 4" in page()
    committed(_staff_imported, rows=[person_row(1, first_name="Priya", cts_band="3")], lead=lead)
    assert "Signs of Safety for band 4" not in page()  # a bulk write: the import says so itself
    assert band3.label in page()

    committed(training_services.session_update, session=session, by=coordinator, dates=list(session.dates.all()),
              trainers=[priya], capacity=session.capacity)  # fmt: skip
    assert "Sessions you train" in page()

    with time_machine.travel(soon + dt.timedelta(hours=4), tick=False):  # the session has happened
        client.force_login(priya)
        assert "You have no upcoming bookings" in page()
        committed(training_services.attendance_mark, session=session, booking_ids=[mine.pk], attended=True,
                  by=coordinator)  # fmt: skip
        committed(training_services.session_close, session=session, by=coordinator)
        assert "Download certificate" in page() and "Give feedback on Signs of Safety" in page()


def test_my_training_shows_a_waiting_list_moving_up_when_a_place_is_passed_to_someone_ahead(
    client, make_user, committed
):
    manager = make_user(Role.LINE_MANAGER)
    holder, colleague = (make_user(profile={"line_manager": manager}) for _ in range(2))
    priya = make_user(first_name="Priya")
    session = SessionFactory(capacity=1)

    place = committed(training_services.booking_create, session=session, person=holder)
    committed(training_services.booking_create, session=session, person=colleague)  # waiting, number 1
    committed(training_services.booking_create, session=session, person=priya)  # waiting, number 2
    client.force_login(priya)
    assert "you are number 2 on the waiting list" in _page(client, "/training/my-training/")
    committed(training_services.booking_transfer, booking=place, to_person=colleague, by=manager)
    assert "you are number 1 on the waiting list" in _page(client, "/training/my-training/")


def test_the_course_page_shows_each_person_their_own_place_in_the_shared_table(client, make_user, committed):
    session = SessionFactory(capacity=5)
    priya, tom = make_user(first_name="Priya"), make_user(first_name="Tom")
    course_page = session.course.get_absolute_url()

    def you(person) -> str:
        client.force_login(person)
        page = _page(client, course_page)
        return page.split("<tbody>")[1].split("</tbody>")[0].split("<td>")[-1]  # the row's "You" cell

    booking = committed(training_services.booking_create, session=session, person=priya)
    assert "Confirmed" in you(priya)
    assert "Confirmed" not in you(tom) and ">Book<" in you(tom)
    committed(training_services.booking_cancel, booking=booking, by=priya)
    assert "Confirmed" not in you(priya) and ">Book<" in you(priya)
