"""Forms for training, by topic: validation and widgets. Saving goes through training.services.
Re-exported here for the views (`from ..forms import CourseForm`, `forms.RegisterMarkForm`)."""

from ._fields import DATE, DATETIME, MAX_ID, TIME, ModelMultipleChoiceField
from .bookings import BookForSomeoneForm, BookingCreateForm, BookingDeclineForm, BookingTransferForm
from .catalogue import BandForm, CourseForm, EventForm, RequirementForm, StandardVersionForm, ThemeForm
from .records import ComplianceFilterForm, EvaluationForm, RegisterMarkForm
from .sessions import BaseSessionDateFormSet, SessionCancelForm, SessionDateForm, SessionForm, session_date_formset

__all__ = [
    "DATE", "DATETIME", "MAX_ID", "TIME", "BandForm", "BaseSessionDateFormSet", "BookingCreateForm",
    "BookForSomeoneForm", "BookingDeclineForm", "BookingTransferForm", "ComplianceFilterForm", "CourseForm",
    "EvaluationForm", "EventForm",
    "ModelMultipleChoiceField", "RegisterMarkForm", "RequirementForm", "SessionCancelForm", "SessionDateForm",
    "SessionForm", "StandardVersionForm", "ThemeForm", "session_date_formset",
]
