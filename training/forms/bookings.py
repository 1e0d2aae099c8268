"""People's forms: booking a place, and a line manager declining or passing one on."""


from django import forms
from django.contrib.auth import get_user_model


class BookingCreateForm(forms.Form):
    confirm_overlap = forms.BooleanField(required=False, widget=forms.HiddenInput)


class BookingDeclineForm(forms.Form):
    reason = forms.CharField(
        label="Reason (sent to the person; needed to decline)", required=False, max_length=250,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BookingTransferForm(forms.Form):
    to_person = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Pass the place to")

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = team
        self.fields["to_person"].label_from_instance = lambda user: f"{user.full_name or user.email} ({user.email})"
