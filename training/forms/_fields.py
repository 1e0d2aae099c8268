"""What the training forms share: date and time widgets, and a multiple choice that refuses an id
no database can hold."""


from django import forms
from django.core.exceptions import ValidationError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


# The largest id a database column holds (64 bits). SQLite cannot even bind a larger integer, and Django's `__in`
# lookup (which ModelMultipleChoiceField uses) passes one through: an OverflowError, a 500. No row has such an id.
MAX_ID = 2**63 - 1


def _beyond_any_id(value) -> bool:
    try:
        return abs(int(value)) > MAX_ID
    except (TypeError, ValueError):
        return False  # not a number at all: Django's own check says so


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no database can hold with its usual "Select a valid choice" message, before
    it reaches the database."""

    def _check_values(self, value):
        if isinstance(value, list | tuple):
            for pk in value:
                if _beyond_any_id(pk):
                    raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                          params={"value": pk})
        return super()._check_values(value)
