"""CSV exports for training: a session's attendees, a course's booking history, and compliance matrices.
Written by core.exports (UTF-8 with a BOM; formula-like text defused in every cell, headers included)."""

from collections.abc import Iterable

from core.exports import csv_bytes

from .compliance import Matrix
from .models import Booking, Session


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
    return csv_bytes([*PERSON_HEADER, "Status", "Attendance marked at", "Certificate number"], rows)


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
    return csv_bytes(["Session starts", "Venue", "Session status", *PERSON_HEADER, "Booking status", "Booked at",
                 "Cancelled at", "Completed on", "Certificate number", "Evaluation rating"], rows)


def compliance_csv(*, matrix: Matrix) -> bytes:
    """One row per person; per requirement its state, the date last done and the date due."""
    header = ["Name", "Email", "Organisation", "Sector", "Job title", "Band", "Compliant"]
    for column in matrix.columns:
        header += [f"{column.title}: state", f"{column.title}: last done", f"{column.title}: due"]
    return csv_bytes(header, _compliance_rows(matrix))


def _compliance_rows(matrix: Matrix):
    rendered: dict = {}  # cells are shared between people: render each distinct one once
    for row in matrix.rows:
        p = row.person
        line = [p.name, p.email, p.organisation, p.sector, p.job_title, p.band or "",
                "Yes" if row.is_compliant else "No"]
        for cell in row.cells:
            text = rendered.get(cell)
            if text is None:
                text = rendered[cell] = (cell.label, _day(cell.last_done), _day(cell.due_on))
            line.extend(text)
        yield line


def _day(day) -> str:
    return day.isoformat() if day else ""
