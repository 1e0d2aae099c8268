"""Form rules more than one app's forms share."""

from typing import Any

from django import forms


def end_not_before_start(form: forms.BaseForm, cleaned: dict[str, Any], *, start: str = "start_date",
                         end: str = "end_date") -> None:
    """A period's end on or after its start, said next to the end."""
    first, last = cleaned.get(start), cleaned.get(end)
    if first and last and last < first:
        form.add_error(end, "The end date must be on or after the start date.")
