from crispy_forms.helper import FormHelper
from django import forms

from .models import RETENTION_MAXIMUM


class PersonSearchForm(forms.Form):
    q = forms.CharField(label="Name or email address", max_length=200)


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand this cannot be undone",
        error_messages={"required": "Tick the box to confirm you understand this cannot be undone."},
    )


class LeaverForm(forms.Form):
    left_on = forms.DateField(
        label="Left on", widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Enter the day they left.", "invalid": "Enter a date, for example 31/03/2027."},
    )  # fmt: skip

    def clean_left_on(self):
        from django.utils import timezone

        day = self.cleaned_data["left_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The leaving date cannot be in the future.")
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
