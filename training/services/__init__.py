"""Every write in training, by topic: keyword-only, one transaction per use case, domain errors; the
public services re-exported for views, tasks, other apps and tests."""

from .bookings import (
    booking_approve,
    booking_cancel,
    booking_create,
    booking_create_for,
    booking_decline,
    booking_transfer,
    waitlist_leave,
)
from .catalogue import (
    band_save,
    course_save,
    event_save,
    requirement_delete,
    requirement_save,
    standard_version_make_current,
    standard_version_save,
    theme_save,
)
from .evaluations import (
    evaluation_comments_clear,
    evaluation_submit,
)
from .locks import (
    LOCK_TIMEOUT,
)
from .personal_data import (
    personal_data_anonymise,
)
from .register import (
    AttendanceMarks,
    attendance_mark,
    session_close,
    walk_in_add,
)
from .sessions import (
    NEWSWORTHY,
    SESSION_FIELDS,
    DateSpan,
    session_cancel,
    session_create,
    session_update,
)

__all__ = [
    "AttendanceMarks",
    "DateSpan",
    "LOCK_TIMEOUT",
    "NEWSWORTHY",
    "SESSION_FIELDS",
    "attendance_mark",
    "band_save",
    "booking_approve",
    "booking_cancel",
    "booking_create",
    "booking_create_for",
    "booking_decline",
    "booking_transfer",
    "course_save",
    "evaluation_comments_clear",
    "evaluation_submit",
    "event_save",
    "personal_data_anonymise",
    "requirement_delete",
    "requirement_save",
    "session_cancel",
    "session_close",
    "walk_in_add",
    "session_create",
    "session_update",
    "standard_version_make_current",
    "standard_version_save",
    "theme_save",
    "waitlist_leave",
]
