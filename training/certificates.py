"""PDFs for training (certificates, sign-in sheets), rendered with WeasyPrint from stand-alone templates,
tagged PDF/UA-1 (docs/training.md)."""

from django.template.loader import render_to_string
from django.utils import timezone
from weasyprint import HTML

from core.pdf import table_header_scopes

from .models import Booking, Completion, Session

SPARE_ROWS = 3
PDF_VARIANT = "pdf/ua-1"


def _pdf(template: str, context: dict) -> bytes:
    return HTML(string=render_to_string(template, context), base_url=None).write_pdf(
        pdf_variant=PDF_VARIANT, finisher=table_header_scopes  # each table header's /Scope (PDF/UA)
    )


def certificate_filename(completion: Completion) -> str:
    return f"certificate-{completion.course.code}-{completion.completed_on:%Y-%m-%d}.pdf".replace(" ", "-")


def certificate_pdf(completion: Completion) -> bytes:
    """The certificate for one completion: the person's name, the course, the date and the certificate number."""
    session = completion.booking.session if completion.booking_id else None
    return _pdf("training/pdf/certificate.html", {
        "completion": completion,
        "person_name": completion.person.get_full_name() or completion.person.email,
        "course": completion.course,
        "session": session,
        "dates": list(session.dates.all()) if session else [],
        "issued_on": timezone.localdate(),
    })


def sign_in_sheet_filename(session: Session) -> str:
    when = timezone.localtime(session.starts_at).strftime("%Y-%m-%d") if session.starts_at else "undated"
    return f"sign-in-sheet-{session.course.code}-{when}.pdf".replace(" ", "-")


def sign_in_sheet_pdf(session: Session, bookings: list[Booking]) -> bytes:
    """A printable sheet: one row per person holding a place, with a box to sign for each of the session's dates."""
    return _pdf("training/pdf/register_sign_in_sheet.html", {
        "session": session,
        "course": session.course,
        "dates": list(session.dates.all()),
        "bookings": bookings,
        "printed_at": timezone.localtime(),
        "spare_rows": range(SPARE_ROWS),
    })
