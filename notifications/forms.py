from django import forms

from .models import OPTIONAL_KINDS


class PreferencesForm(forms.Form):
    """One tick box per optional kind. Deadline reminders to leads are not offered: they cannot be switched off."""

    kinds = forms.MultipleChoiceField(
        label="Send me these emails",
        choices=[(k.value, k.label) for k in OPTIONAL_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Untick a kind to stop it. Reminders about actions and milestones you lead are always sent.",
    )


class AllFilterForm(forms.Form):
    from .models import Kind, Notification

    status = forms.ChoiceField(choices=[("", "Any status"), *Notification.Status.choices], required=False)
    kind = forms.ChoiceField(choices=[("", "Any kind"), *Kind.choices], required=False)
