"""CSV exports for training: a session's attendees, a course's booking history, and compliance matrices.

Every export is UTF-8 with a BOM (so Excel opens it as UTF-8) and neutralises cells that a spreadsheet
would run as a formula (a leading =, +, -, @, tab or carriage return gets a leading apostrophe)."""

import csv
import datetime as dt
import io
from collections.abc import Iterable

from django.utils import timezone

from .compliance import Matrix
from .models import Booking, Session

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _csv(header: list[str], rows: Iterable[Iterable]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def _person(booking: Booking) -> list:
    person = booking.person
    profile = getattr(person, "profile", None)
    return [
        person.full_name, person.email,
        profile.organisation.name if profile and profile.organisation else "",
        profile.job_title if profile else "",
        profile.cts_band if profile else "",
    ]


PERSON_HEADER = ["Name", "Email", "Organisation", "Job title", "Band"]


def session_attendees_csv(*, session: Session, bookings: Iterable[Booking]) -> bytes:
    """Everyone holding a place on the session, with their attendance and certificate number."""
    rows = []
    for b in bookings:
        completion = getattr(b, "completion", None)
        rows.append([*_person(b), b.get_status_display(), b.attendance_marked_at,
                     completion.certificate_number if completion else ""])
    return _csv([*PERSON_HEADER, "Status", "Attendance marked at", "Certificate number"], rows)


def course_history_csv(*, bookings: Iterable[Booking]) -> bytes:
    """Every booking on the course's sessions, oldest session first."""
    rows = []
    for b in bookings:
        completion = getattr(b, "completion", None)
        evaluation = getattr(b, "evaluation", None)
        rows.append([
            b.session.starts_at, b.session.venue_name or ("Online" if b.session.online_url else ""),
            b.session.get_status_display(), *_person(b), b.get_status_display(), b.created_at, b.cancelled_at,
            completion.completed_on if completion else None, completion.certificate_number if completion else "",
            evaluation.rating if evaluation else "",
        ])
    return _csv(["Session starts", "Venue", "Session status", *PERSON_HEADER, "Booking status", "Booked at",
                 "Cancelled at", "Completed on", "Certificate number", "Evaluation rating"], rows)


def compliance_csv(*, matrix: Matrix) -> bytes:
    """One row per person; per requirement its state, the date last done and the date due."""
    header = ["Name", "Email", "Organisation", "Sector", "Job title", "Band", "Compliant"]
    for column in matrix.columns:
        header += [f"{column.title}: state", f"{column.title}: last done", f"{column.title}: due"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    rendered: dict = {}  # cells are shared between people: render each distinct one once
    for row in matrix.rows:
        p = row.person
        line = [_cell(p.name), _cell(p.email), _cell(p.organisation), _cell(p.sector), _cell(p.job_title),
                p.band or "", "Yes" if row.is_compliant else "No"]
        for cell in row.cells:
            text = rendered.get(cell)
            if text is None:
                text = rendered[cell] = (cell.label, _cell(cell.last_done), _cell(cell.due_on))
            line.extend(text)
        writer.writerow(line)
    return out.getvalue().encode("utf-8-sig")
