from crispy_forms.helper import FormHelper
from django import forms

from .models import RETENTION_MAXIMUM

# A leaving date further back than this is taken for a typing mistake (the year); see LeaverForm.
LEAVING_DATE_MAX_YEARS = 6


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Name or email address", max_length=200)


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Tick the box to confirm you understand this cannot be undone."},
    )


class LeaverForm(forms.Form):
    """The day a person left: it starts the retention period, so a mistyped date is refused (in the future,
    before they started, or too long ago). docs/privacy.md."""

    left_on = forms.DateField(
        label="Left on", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the day they left.", "invalid": "Enter a date, for example 31/03/2027."},
    )  # fmt: skip

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_left_on(self):
        from dateutil.relativedelta import relativedelta
        from django.utils import timezone

        day = self.cleaned_data["left_on"]
        today = timezone.localdate()
        if day > today:
            raise forms.ValidationError("The leaving date cannot be in the future.")
        earliest = today - relativedelta(years=LEAVING_DATE_MAX_YEARS)
        if day < earliest:
            raise forms.ValidationError(
                f"The leaving date cannot be more than {LEAVING_DATE_MAX_YEARS} years ago ({earliest:%-d %B %Y}): "
                "check the year."
            )
        if self.person is not None:
            profile = getattr(self.person, "profile", None)
            started = getattr(profile, "start_date", None)
            if started and day < started:
                raise forms.ValidationError(
                    f"The leaving date cannot be before they started ({started:%-d %B %Y}, on their staff profile)."
                )
            joined = timezone.localtime(self.person.date_joined).date()
            if not started and day < joined:
                raise forms.ValidationError(
                    f"The leaving date cannot be before their account was made ({joined:%-d %B %Y}). If they left "
                    "before then, put their start date on their staff profile first."
                )
        return day


class RetentionForm(forms.Form):
    """One whole-number field per kind of record, in months."""

    def __init__(self, *args, policies: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for policy in policies:
            self.fields[policy["kind"]] = forms.IntegerField(
                label=f"{policy['label']}, in months",
                min_value=policy["minimum"],
                max_value=RETENTION_MAXIMUM,
                initial=policy["months"],
                help_text=f"Default {policy['default']}. Between {policy['minimum']} and {RETENTION_MAXIMUM}.",
            )
        self.helper = FormHelper()
        self.helper.form_tag = False


class AuditFilterForm(forms.Form):
    person = forms.CharField(label="About (name or email)", max_length=200, required=False)
    changed_by = forms.CharField(label="Changed by (name or email)", max_length=200, required=False)
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", "The end date must be on or after the start date.")
        return data
