"""Board reports as rows: versions, a file that never changes once ready, bounded retries that end failed with
the reason, the quarterly schedule, and pages only Board members, the strategy group and administrators reach."""

import contextlib
import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage, default_storage
from django.db import connection
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone

from actions.models import BoardReport, Status, Strategy
from actions.reports import services
from actions.reports.quarters import Quarter
from actions.services import action_status_update
from actions.tasks import board_report_render, board_reports_daily, board_reports_requeue_stale
from core.roles import Role
from notifications.models import Kind, Notification
from tests.actions.factories import ActionFactory

from . import report_fixtures
from .report_fixtures import AFTER_QUARTER, LONDON, QUARTER, figure, pdf_text

quarter_data = report_fixtures.quarter_data

pytestmark = pytest.mark.django_db


class FullDiskStorage(InMemoryStorage):
    """Storage on a disk that is full: every save fails, as a real one would."""

    def _save(self, name, content):
        raise OSError(28, "No space left on device")


def files_under(path: str) -> list[str]:
    if not default_storage.exists(path):
        return []
    folders, names = default_storage.listdir(path)
    return [f"{path}/{n}" for n in names] + [f for d in folders for f in files_under(f"{path}/{d}")]


@pytest.fixture
def after_quarter():
    with time_machine.travel(AFTER_QUARTER, tick=True):
        yield


@pytest.fixture
def generate(quarter_data, after_quarter, django_capture_on_commit_callbacks):
    """generate(**words) -> a report requested by the strategist and rendered by its task (inline)."""

    def make(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            report = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                                   quarter=QUARTER, **kwargs)
        report.refresh_from_db()
        return report

    return make


def test_a_generated_report_is_ready_with_its_file_size_and_checksum(generate, quarter_data):
    report = generate(recommendations="That the Board notes progress.", author="Ada Author")
    assert report.status == BoardReport.Status.READY
    assert (report.version, report.quarter_label, report.attempts) == (1, "Q4 2025/26", 1)
    content = services.board_report_content(report=report)
    assert content.startswith(b"%PDF-")
    assert report.size == len(content)
    assert report.sha256 == hashlib.sha256(content).hexdigest()
    assert report.file.name.startswith("private/actions/board-reports/")
    assert re.fullmatch(r"private/actions/board-reports/\d{4}/[0-9a-f]{32}\.pdf", report.file.name)  # random
    assert report.filename == "board-report-Q4-2025-26-v1.pdf"
    assert report.started_at <= report.finished_at
    text = pdf_text(content)
    assert "That the Board notes progress." in text
    assert figure(text, "Actions in the plan") == 7


def test_regenerating_makes_a_new_version_and_the_old_file_never_changes(generate, quarter_data,
                                                                         django_capture_on_commit_callbacks):
    first = generate(recommendations="First words.")
    first_bytes = services.board_report_content(report=first)
    # Something changes in the plan's quarter, then the strategy group regenerates.
    action = quarter_data["actions"]["green"]
    action.title = "Welcome events, renamed"
    action.save()
    with django_capture_on_commit_callbacks(execute=True):
        second = services.board_report_regenerate(by=quarter_data["strategist"], report=first)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.version, second.status, second.recommendations) == (2, BoardReport.Status.READY, "First words.")
    assert second.file.name != first.file.name
    assert services.board_report_content(report=first) == first_bytes  # unchanged, checksum still matches
    assert "Welcome events, renamed" not in pdf_text(first_bytes)
    assert "Welcome events, renamed" in pdf_text(services.board_report_content(report=second))
    assert "Version 2, generated 2 April 2026" in pdf_text(services.board_report_content(report=second))
    assert "Version 1, generated 2 April 2026" in pdf_text(first_bytes)  # printed copies can be told apart
    assert list(BoardReport.objects.values_list("version", flat=True)) == [2, 1]

    # A ready report cannot be changed, even by code that tries; a duplicate render task does nothing.
    first.file.name = second.file.name
    with pytest.raises(ValueError, match="never changes"):
        first.save()
    assert board_report_render.delay(second.pk).get() == "skipped"
    second.refresh_from_db()
    assert second.attempts == 1


def test_a_tampered_file_is_not_served(generate, client, quarter_data):
    report = generate()
    default_storage.delete(report.file.name)
    default_storage.save(report.file.name, ContentFile(b"%PDF-1.7 something else"))
    client.force_login(quarter_data["strategist"])
    response = client.get(reverse("actions:report_download", args=[report.pk]), follow=True)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "does not match its checksum" in response.text


def test_a_failing_render_is_retried_then_ends_failed_with_its_reason_and_no_file(
    quarter_data, after_quarter, django_capture_on_commit_callbacks
):
    conf = board_report_render.app.conf
    propagates, conf.task_eager_propagates = conf.task_eager_propagates, False
    try:
        full_disk = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.FullDiskStorage"}}
        with override_settings(STORAGES=full_disk), django_capture_on_commit_callbacks(execute=True):
            report = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                                   quarter=QUARTER)
    finally:
        conf.task_eager_propagates = propagates
    report.refresh_from_db()
    assert report.status == BoardReport.Status.FAILED
    assert report.attempts == services.MAX_RENDER_ATTEMPTS == 3
    assert "No space left on device" in report.error
    assert (report.file.name, report.sha256, report.size) == ("", "", 0)
    assert report.finished_at is not None
    assert files_under("private/actions/board-reports") == []
    with pytest.raises(services.BoardReportError):
        services.board_report_content(report=report)


def test_a_failed_report_says_so_in_plain_words_and_offers_no_download(quarter_data, after_quarter, client,
                                                                        make_user):
    """Board and strategy members read a plain sentence; the exception is for administrators (and the log)."""
    report = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                           quarter=QUARTER)
    BoardReport.objects.filter(pk=report.pk).update(
        status=BoardReport.Status.FAILED, error="TemplateSyntaxError: Invalid block tag on line 11")
    for reader in (quarter_data["strategist"], make_user(Role.BOARD_MEMBER)):
        client.force_login(reader)
        page = client.get(reverse("actions:report_detail", args=[report.pk]))
        assert "The report could not be made. The team has been told." in page.text
        assert "TemplateSyntaxError" not in page.text and "Invalid block tag" not in page.text
        assert client.get(reverse("actions:report_download", args=[report.pk])).status_code == 404
        status = client.get(reverse("actions:report_status", args=[report.pk])).json()
        assert (status["status"], status["finished"], status["download_url"]) == ("failed", True, "")
        assert "TemplateSyntaxError" not in str(status)
    client.force_login(make_user(Role.ADMINISTRATOR))
    page = client.get(reverse("actions:report_detail", args=[report.pk]))
    assert "The report could not be made." in page.text
    assert "TemplateSyntaxError: Invalid block tag on line 11" in page.text
    assert client.get(reverse("actions:report_status", args=[report.pk])).json()["error"].startswith(
        "TemplateSyntaxError")


def test_the_status_json_follows_queued_rendering_ready(quarter_data, after_quarter, client):
    report = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                           quarter=QUARTER)  # (its task is not run: it stays queued)
    client.force_login(quarter_data["strategist"])
    url = reverse("actions:report_status", args=[report.pk])
    assert client.get(url).json()["status"] == "queued"
    assert client.get(url)["Cache-Control"] == "no-store"
    services._claim(report.pk, now=timezone.now())
    rendering = client.get(url).json()
    assert {k: v for k, v in rendering.items() if k != "panel_html"} == {
        "status": "rendering", "status_label": "Rendering", "finished": False, "error": "", "download_url": "",
        "size": 0, "detail": "The report is being made. This page updates by itself."}
    BoardReport.objects.filter(pk=report.pk).update(status=BoardReport.Status.QUEUED)
    assert services.board_report_render(report_id=report.pk) == "ready"
    ready = client.get(url).json()
    assert ready["status"] == "ready" and ready["finished"]
    assert ready["download_url"] == reverse("actions:report_download", args=[report.pk])


@contextlib.contextmanager
def _a_live_renderer_holds(report_id: int):
    """Another process's connection holding the report's render lock, as a worker rendering it does."""
    if connection.vendor != "postgresql":
        yield
        return
    import psycopg2

    from core.locking import lock_space

    settings = connection.settings_dict
    other = psycopg2.connect(dbname=settings["NAME"], user=settings["USER"], password=settings["PASSWORD"],
                             host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432)
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s, %s)", [lock_space(services.RENDER_LOCK), report_id])
        yield
    finally:
        other.close()


def test_a_render_a_dead_worker_left_is_taken_over_and_attempts_are_bounded(quarter_data, after_quarter,
                                                                            django_capture_on_commit_callbacks):
    report = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                           quarter=QUARTER)
    services._claim(report.pk, now=timezone.now())  # a worker took it
    with _a_live_renderer_holds(report.pk):  # ...and is still rendering it: nobody takes it over
        assert services.board_report_render(report_id=report.pk) == "skipped"
        assert board_reports_requeue_stale.delay().get() == 0
    if connection.vendor != "postgresql":  # SQLite cannot tell a dead worker from a slow one: it waits
        assert board_reports_requeue_stale.delay().get() == 0
        BoardReport.objects.filter(pk=report.pk).update(started_at=timezone.now() - services.STALE_RENDER_AFTER * 2)
    # The worker died (PostgreSQL: its lock went with its connection): queued again at once, and rendered.
    with django_capture_on_commit_callbacks(execute=True):
        assert board_reports_requeue_stale.delay().get() == 1
    report.refresh_from_db()
    assert (report.status, report.attempts) == (BoardReport.Status.READY, 2)

    # A render that kills its worker every time gives up after three attempts, saying why.
    doomed = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                           quarter=QUARTER)
    BoardReport.objects.filter(pk=doomed.pk).update(status=BoardReport.Status.RENDERING,
                                                    attempts=services.MAX_RENDER_ATTEMPTS,
                                                    started_at=timezone.now() - services.STALE_RENDER_AFTER * 2)
    assert services.board_report_render(report_id=doomed.pk) == "skipped"
    doomed.refresh_from_db()
    assert doomed.status == BoardReport.Status.FAILED
    assert doomed.error.startswith("Gave up after 3 attempts")


def test_when_ready_the_requester_and_the_board_are_told(generate, quarter_data, make_user):
    board_member = make_user(Role.BOARD_MEMBER, email="chair.of.board@example.org")
    make_user(Role.PRACTITIONER, email="not.told@example.org")
    report = generate()
    notes = Notification.objects.filter(kind=Kind.REPORT_READY)
    assert sorted(n.recipient.email for n in notes) == sorted([board_member.email, "strategist@example.org"])
    assert sorted(m.to[0] for m in mail.outbox) == sorted([board_member.email, "strategist@example.org"])
    assert f"/plan/reports/{report.pk}/" in mail.outbox[0].body


# --- The quarterly schedule -------------------------------------------------------------------------------


def test_the_beat_schedule_in_code_runs_the_quarterly_job_each_morning():
    entry = settings.CELERY_BEAT_SCHEDULE["board-reports-daily"]
    assert entry["task"] == "actions.tasks.board_reports_daily"
    assert entry["schedule"].hour == {settings.BOARD_REPORT_HOUR}
    assert settings.CELERY_BEAT_SCHEDULE["board-reports-requeue-stale"]["task"] == \
        "actions.tasks.board_reports_requeue_stale"
    assert settings.CELERY_TASK_ROUTES["actions.tasks.board_report_render"] == {"queue": "reports"}


def test_after_a_quarter_ends_its_report_is_queued_once_for_the_active_strategy(quarter_data):
    strategy = quarter_data["strategy"]
    Strategy.objects.create(title="An old plan", period_start=dt.date(2010, 4, 1), period_end=dt.date(2014, 3, 31),
                            status=Strategy.Status.ARCHIVED)
    with time_machine.travel(dt.datetime(2026, 3, 31, 6, 30, tzinfo=LONDON), tick=False):
        assert board_reports_daily.delay().get() == {"queued": None}  # Q3 2025/26 ended before the plan began
    assert not BoardReport.objects.exists()
    with time_machine.travel(dt.datetime(2026, 4, 1, 6, 30, tzinfo=LONDON), tick=False):
        result = board_reports_daily.delay().get()
        report = BoardReport.objects.get()
        assert result == {"queued": report.pk}
        assert (report.strategy, report.period_start, report.period_end) == (strategy, QUARTER.start, QUARTER.end)
        assert report.requested_by is None  # "the quarterly schedule"
        assert board_reports_daily.delay().get() == {"queued": None}  # a second run: nothing more
    with time_machine.travel(dt.datetime(2026, 5, 20, 6, 30, tzinfo=LONDON), tick=False):
        assert board_reports_daily.delay().get() == {"queued": None}  # still Q4's turn: already queued
    with time_machine.travel(dt.datetime(2026, 7, 1, 6, 30, tzinfo=LONDON), tick=False):
        board_reports_daily.delay().get()
    assert [(r.quarter_label, r.version) for r in BoardReport.objects.order_by("period_start")] == [
        ("Q4 2025/26", 1), ("Q1 2026/27", 1)]


def test_no_active_strategy_queues_nothing(quarter_data):
    Strategy.objects.update(status=Strategy.Status.DRAFT)
    with time_machine.travel(dt.datetime(2026, 4, 1, 6, 30, tzinfo=LONDON), tick=False):
        assert board_reports_daily.delay().get() == {"queued": None}
    assert not BoardReport.objects.exists()


def test_a_quarter_that_has_not_started_cannot_be_generated(quarter_data, after_quarter):
    with pytest.raises(services.BoardReportError, match="not started"):
        services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                      quarter=Quarter(dt.date(2026, 7, 1), dt.date(2026, 9, 30)))


# --- Who reaches the pages --------------------------------------------------------------------------------


@pytest.fixture
def ready_report(generate):
    return generate()


@pytest.mark.parametrize("role, reads, generates", [
    (Role.BOARD_MEMBER, True, False),
    (Role.STRATEGY_GROUP_MEMBER, True, True),
    (Role.ADMINISTRATOR, True, True),
    (Role.PRACTITIONER, False, False),
    (Role.LINE_MANAGER, False, False),
    (Role.TRAINING_COORDINATOR, False, False),
])
def test_only_the_board_the_strategy_group_and_administrators_reach_reports(client, make_user, ready_report, role,
                                                                             reads, generates):
    client.force_login(make_user(role))
    pk = ready_report.pk
    for name in ("report_archive", "report_detail", "report_status", "report_download"):
        url = reverse(f"actions:{name}", args=[] if name == "report_archive" else [pk])
        assert client.get(url).status_code == (200 if reads else 404), url
    assert client.get(reverse("actions:report_create")).status_code == (200 if generates else 404)
    before = BoardReport.objects.count()
    response = client.post(reverse("actions:report_regenerate", args=[pk]))
    assert response.status_code == (302 if generates else 404)
    assert BoardReport.objects.count() == before + (1 if generates else 0)
    home = client.get(reverse("portal:home")).text
    assert ("Quarterly Board reports" in home) == (role in (Role.BOARD_MEMBER, Role.STRATEGY_GROUP_MEMBER))


def test_the_download_is_an_attachment_never_cached_and_never_a_media_url(client, ready_report, make_user):
    client.force_login(make_user(Role.BOARD_MEMBER))
    response = client.get(reverse("actions:report_download", args=[ready_report.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="board-report-Q4-2025-26-v1.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert hashlib.sha256(response.content).hexdigest() == ready_report.sha256
    archive = client.get(reverse("actions:report_archive")).text
    assert ready_report.file.name not in archive and settings.MEDIA_URL not in archive
    with pytest.raises(Resolver404):
        resolve(f"{settings.MEDIA_URL}{ready_report.file.name}")


def test_generating_through_the_form(client, quarter_data, after_quarter, django_capture_on_commit_callbacks):
    client.force_login(quarter_data["strategist"])
    form = client.get(reverse("actions:report_create"))
    assert form.context["form"]["quarter"].initial == QUARTER.key  # the quarter just ended
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actions:report_create"), {
            "strategy": quarter_data["strategy"].pk, "quarter": QUARTER.key,
            "recommendations": "That the Board notes progress.\r\n\r\nThat partners release staff.",
            "author": "Ada Author, Workforce Development", "contact": "wsg@example.org", "sponsor": "DCS",
        })
    report = BoardReport.objects.get()
    assert response.url == reverse("actions:report_detail", args=[report.pk])
    page = client.get(response.url)
    assert "Q4 2025/26 report is queued" in page.text
    text = pdf_text(services.board_report_content(report=BoardReport.objects.get()))
    assert "That the Board notes progress. That partners release staff." in text
    assert "Ada Author, Workforce Development" in text

    # A quarter outside the strategy's period is refused next to the field; nothing is queued.
    old = Strategy.objects.create(title="Old plan", period_start=dt.date(2010, 4, 1), period_end=dt.date(2014, 3, 31),
                                  status=Strategy.Status.ARCHIVED)
    response = client.post(reverse("actions:report_create"), {"strategy": old.pk, "quarter": QUARTER.key})
    assert "is outside the strategy's period" in response.context["form"].errors["quarter"][0]
    assert BoardReport.objects.count() == 1


def test_a_report_generated_during_the_quarter_does_not_stop_the_quarters_scheduled_report(quarter_data):
    """A version asked for in March has figures as at that day; the schedule still makes the quarter's own."""
    with time_machine.travel(dt.datetime(2026, 3, 10, 11, 0, tzinfo=LONDON), tick=False):
        early = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                              quarter=QUARTER)
    with time_machine.travel(dt.datetime(2026, 4, 1, 6, 30, tzinfo=LONDON), tick=False):
        result = board_reports_daily.delay().get()
        scheduled = BoardReport.objects.exclude(pk=early.pk).get()
        assert result == {"queued": scheduled.pk}
        assert (scheduled.version, scheduled.requested_by) == (2, None)
        assert board_reports_daily.delay().get() == {"queued": None}  # once
    assert BoardReport.objects.count() == 2


def test_a_report_asked_for_after_the_quarter_ended_is_the_quarters_report(quarter_data):
    """The strategy group got in first on the morning after the quarter: the schedule adds nothing."""
    with time_machine.travel(dt.datetime(2026, 4, 1, 0, 5, tzinfo=LONDON), tick=False):
        services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                      quarter=QUARTER)
    with time_machine.travel(dt.datetime(2026, 4, 1, 6, 30, tzinfo=LONDON), tick=False):
        assert board_reports_daily.delay().get() == {"queued": None}
    assert BoardReport.objects.count() == 1


def test_a_ready_report_whose_file_is_gone_says_so_and_suggests_regenerating(generate, client, quarter_data,
                                                                              caplog):
    report = generate()
    default_storage.delete(report.file.name)
    client.force_login(quarter_data["strategist"])
    response = client.get(reverse("actions:report_download", args=[report.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("actions:report_detail", args=[report.pk]), 302)]
    assert "The stored file of this report cannot be read; regenerate the report" in response.text
    assert "Regenerate as version 2" in response.text
    assert f"Board report {report.pk}: its file {report.file.name} cannot be read" in caplog.text


def _live_part(html: str) -> str:
    """The page's live part (what the status script replaces), without the per-response CSRF token."""
    part = html.split("<div data-report-live>", 1)[1].rsplit('<p><a href="/plan/reports/">All Board reports', 1)[0]
    return _without_csrf(part.rsplit("</div>", 1)[0])


def _without_csrf(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_live_status_shows_what_a_reload_would(quarter_data, after_quarter, client):
    """After a failed attempt the report is queued again: the label and the text agree, on the page and in
    what the page's script puts there; once ready, the script shows the size, checksum and Regenerate too."""
    report = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                           quarter=QUARTER)
    BoardReport.objects.filter(pk=report.pk).update(
        attempts=1, error="Attempt 1 failed (OSError: No space left on device); trying again.")
    client.force_login(quarter_data["strategist"])
    page = client.get(reverse("actions:report_detail", args=[report.pk])).text
    status = client.get(reverse("actions:report_status", args=[report.pk])).json()
    assert status["status_label"] == "Queued"
    assert status["detail"] == ("The last attempt to make the report failed; it is queued to be tried again. "
                                "This page updates by itself.")
    assert status["detail"] in page and "being made" not in page
    assert "will be tried again" in status["panel_html"] and "No space left" not in status["panel_html"]
    assert _without_csrf(status["panel_html"]).strip() == _live_part(page).strip()

    BoardReport.objects.filter(pk=report.pk).update(error="")
    assert services.board_report_render(report_id=report.pk) == "ready"
    report.refresh_from_db()
    page = client.get(reverse("actions:report_detail", args=[report.pk])).text
    status = client.get(reverse("actions:report_status", args=[report.pk])).json()
    assert _without_csrf(status["panel_html"]).strip() == _live_part(page).strip()
    for shown in (report.sha256, "Regenerate as version 2", "Download the report (PDF)", report.filename):
        assert shown in status["panel_html"]
    assert status["detail"] == "The report is ready to download."


def test_the_archive_lists_only_older_versions_as_earlier_each_with_its_state(generate, client, quarter_data,
                                                                               board_member):
    """Versions 1 and 2 ready, 3 failed, 4 queued: the latest ready is 2; 3 and 4 are newer, not earlier."""
    first, second = generate(), generate()
    third = services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                          quarter=QUARTER, queue=False)
    BoardReport.objects.filter(pk=third.pk).update(status=BoardReport.Status.FAILED, error="Disk full")
    services.board_report_request(by=quarter_data["strategist"], strategy=quarter_data["strategy"],
                                  quarter=QUARTER, queue=False)
    client.force_login(board_member)
    page = client.get(reverse("actions:report_archive")).text
    row = page.split('<th scope="row">Q4 2025/26')[1].split("</tr>")[0]
    _quarter, _strategy, latest, earlier = (re.sub(r"<[^>]+>", " ", cell) for cell in row.split("<td>"))
    latest, earlier = (re.sub(r"\s+", " ", cell).strip() for cell in (latest, earlier))
    assert latest.startswith("Download version 2 of the Q4 2025/26 report")
    assert "Version 3 of the Q4 2025/26 report Failed" in latest
    assert "Version 4 of the Q4 2025/26 report Queued" in latest
    assert earlier == "Version 1 of the Q4 2025/26 report Ready"
    assert (first.version, second.version) == (1, 2)


def test_a_report_for_a_past_quarter_counts_only_the_actions_the_plan_had_then(generate, quarter_data):
    """Made again later, a quarter's report does not count actions that came after it: one whose start date is
    after the quarter, or one added to the portal afterwards with no start date; one that has no start date but
    was reported on in the quarter does count."""
    theme = quarter_data["strategy"].themes.first()
    ActionFactory(theme=theme, code="1.8", title="Started after the quarter", start_date=dt.date(2026, 4, 15))
    ActionFactory(theme=theme, code="1.9", title="Added to the portal later")  # today, long after 31 March
    reported = ActionFactory(theme=theme, code="1.10", title="Reported on in the quarter")
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON), tick=False):
        action_status_update(by=quarter_data["strategist"], action=reported, status=Status.GREEN,
                             percent_complete=10, commentary="Under way.")
    text = pdf_text(services.board_report_content(report=generate()))
    assert figure(text, "Actions in the plan") == 8
    assert "Reported on in the quarter" in text
    assert "Started after the quarter" not in text and "Added to the portal later" not in text
