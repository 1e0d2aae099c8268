"""A person reads their notifications and switches one kind off; an administrator sees failures first."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from core.roles import Role
from notifications.models import Kind, Notification, NotificationItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def notification(person, *, status, subject, key):
    n = Notification.objects.create(recipient=person, kind=Kind.SESSION_REMINDER, subject=subject, status=status,
                                    dedupe_key=key, for_date=dt.date(2026, 3, 2),
                                    error="Mail server: mailbox full" if status == "failed" else "")
    NotificationItem.objects.create(notification=n, key=f"{key}|item", item_type="session", item_id=1,
                                    label="Prevent, Monday 9 March 2026 at 10:00", url="/training/courses/",
                                    due_date=dt.date(2026, 3, 9), reason="in 7 days")
    return n


def test_my_notifications_and_the_administrators_list(page, nav_to, sign_in, assert_accessible, make_user):
    person = make_user(Role.PRACTITIONER, email="pat@example.org")
    admin = make_user(Role.ADMINISTRATOR, email="root@example.org")
    notification(person, status="pending", subject="Reminder: Prevent", key="k1")
    notification(person, status="failed", subject="Reminder: Signs of Safety", key="k2")

    sign_in(page, person)
    nav_to(page, "My notifications")
    page.get_by_role("heading", name="My notifications", level=1).wait_for()
    expect(page.get_by_text("Reminder: Prevent")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Session reminder").uncheck()
    page.get_by_role("button", name="Save my choices").click()
    page.get_by_text("Your email choices are saved.").wait_for()
    assert not page.get_by_label("Session reminder").is_checked()
    assert page.get_by_label("Board report ready").is_checked()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, admin)
    nav_to(page, "All notifications")
    page.get_by_role("heading", name="All notifications", level=1).wait_for()
    first_row = page.locator("tbody tr").first
    assert "Reminder: Signs of Safety" in first_row.inner_text()
    assert "mailbox full" in first_row.inner_text()
    assert_accessible(page)
    first_row.get_by_role("button", name="Send again").click()
    # The person switched session reminders off above: the administrator is told it would not go.
    page.get_by_text("has since switched off “Session reminder” emails, so it would not be sent").wait_for()
    assert page.get_by_text("Queued again").count() == 0
    assert_accessible(page)
    assert Notification.objects.get(dedupe_key="k2").status == Notification.Status.FAILED
