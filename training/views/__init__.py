"""Training pages by topic. Thin: parse the form, look the object up through an access helper, call one
service, redirect or render; domain errors (training.errors) become messages. Re-exported for urls.py."""

from .bookings import (
    approval_decide,
    approvals,
    booking_calendar,
    booking_cancel,
    booking_create,
    booking_for_someone,
    booking_transfer,
    my_bookings,
)
from .catalogue import catalogue, course_detail, event_detail, session_detail
from .compliance import compliance_matrix
from .manage import (
    course_edit,
    course_list_manage,
    event_edit,
    event_list_manage,
    manage_home,
    session_cancel,
    session_edit,
    session_manage,
)
from .records import certificate_download, course_evaluations, course_history_export, evaluation_create, my_training
from .register import (
    session_attendees_export,
    session_register,
    session_register_close,
    session_sign_in_sheet,
    session_walk_in,
)
from .standard import (
    band_edit,
    requirement_delete,
    requirement_edit,
    standard,
    standard_version_detail,
    standard_version_edit,
    standard_version_make_current,
    theme_edit,
)

__all__ = [
    "approval_decide", "approvals", "band_edit", "booking_calendar", "booking_cancel", "booking_create",
    "booking_for_someone",
    "booking_transfer", "catalogue",
    "certificate_download", "compliance_matrix", "course_detail", "course_edit", "course_evaluations",
    "course_history_export", "course_list_manage", "evaluation_create", "event_detail", "event_edit",
    "event_list_manage", "manage_home", "my_bookings", "my_training", "requirement_delete", "requirement_edit",
    "session_attendees_export", "session_cancel", "session_detail", "session_edit", "session_manage",
    "session_register", "session_register_close", "session_sign_in_sheet", "session_walk_in", "standard",
    "standard_version_detail",
    "standard_version_edit", "standard_version_make_current", "theme_edit",
]
