"""Calendar invitations (.ics, RFC 5545) in Europe/London time: one VEVENT per date with a stable UID, so
calendars update and cancel the same entries."""

from email.utils import parseaddr
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from .models import Session

LONDON = ZoneInfo("Europe/London")
ICS_MIMETYPE = "text/calendar"


def session_location(session: Session) -> str:
    if session.venue_name:
        parts = [session.venue_name, *[line.strip() for line in session.venue_address.splitlines() if line.strip()]]
        return ", ".join(parts)
    return session.online_url or ""


def session_ics(session: Session, *, attendee=None, cancel: bool = False, publish: bool = False) -> str:
    """The invitation (or cancellation) for one attendee as .ics text: one VEVENT per session date. `publish`:
    a file to add to one's own calendar ("Add to calendar"), with the same UIDs as the emailed invitations."""
    dates = [(d.starts_at, d.ends_at) for d in session.dates.all()]
    days = [(number, start, end) for number, (start, end) in enumerate(dates, start=1)]
    return _calendar(session, attendee=attendee, cancel=cancel, days=days, total=len(dates),
                     method="PUBLISH" if publish else None)


def removed_days_ics(session: Session, *, attendee=None, removed: list[tuple[int, object, object]],
                     total: int) -> str:
    """A cancellation of the days a session no longer has (it was shortened): `removed` is (day number, old
    start, old end) for each, `total` the number of days it had. Same UIDs as the invitations that added them."""
    return _calendar(session, attendee=attendee, cancel=True, days=removed, total=total)


def _calendar(session: Session, *, attendee, cancel: bool, days, total: int, method: str | None = None) -> str:
    cal = Calendar()
    cal.add("prodid", "-//Children's Partnership//Workforce Portal//EN")
    cal.add("version", "2.0")
    cal.add("method", method or ("CANCEL" if cancel else "REQUEST"))
    organiser_name, organiser_email = parseaddr(settings.TRAINING_MAILBOX)
    site = settings.SITE_URL.rstrip("/")
    for number, starts_at, ends_at in days:
        event = Event()
        event.add("uid", f"training-session-{session.pk}-day{number}@workforce-portal")
        event.add("sequence", session.ics_sequence)
        event.add("dtstamp", timezone.now())
        event.add("dtstart", timezone.localtime(starts_at, LONDON))
        event.add("dtend", timezone.localtime(ends_at, LONDON))
        summary = session.course.title if total == 1 else f"{session.course.title} (day {number} of {total})"
        event.add("summary", summary)
        location = session_location(session)
        if location:
            event.add("location", location)
        description = [session.course.summary, "", f"Details: {site}{session.get_absolute_url()}"]
        if session.online_url:
            description.insert(1, f"Join online: {session.online_url}")
        if session.access_notes:
            description.append(f"Access: {session.access_notes}")
        event.add("description", "\n".join(description))
        organizer = vCalAddress(f"mailto:{organiser_email}")
        organizer.params["cn"] = vText(organiser_name or "Training team")
        event.add("organizer", organizer)
        if attendee is not None:
            address = vCalAddress(f"mailto:{attendee.email}")
            address.params["cn"] = vText(attendee.full_name or attendee.email)
            address.params["role"] = vText("REQ-PARTICIPANT")
            event.add("attendee", address)
        event.add("status", "CANCELLED" if cancel else "CONFIRMED")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical().decode("utf-8")


def ics_mimetype(*, cancel: bool) -> str:
    """iMIP (RFC 6047) names the iTIP method on the part's content type, so mail clients offer to update the
    calendar rather than just showing a file."""
    return f"{ICS_MIMETYPE}; method={'CANCEL' if cancel else 'REQUEST'}"


def ics_attachment(session: Session, *, attendee=None, cancel: bool = False) -> tuple[str, str, str]:
    name = "cancellation.ics" if cancel else "invitation.ics"
    return (name, session_ics(session, attendee=attendee, cancel=cancel), ics_mimetype(cancel=cancel))
