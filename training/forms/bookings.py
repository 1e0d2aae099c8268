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


class BookForSomeoneForm(forms.Form):
    """Who to book: a coordinator types anyone's email; a line manager picks from their team."""

    email = forms.EmailField(label="Their email address", required=False)
    person = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Who", required=False)

    def __init__(self, *args, team=None, **kwargs):
        super().__init__(*args, **kwargs)
        if team is None:
            del self.fields["person"]
        else:
            del self.fields["email"]
            self.fields["person"].queryset = team
            self.fields["person"].required = True

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if "email" in self.fields and not email:
            raise forms.ValidationError("Enter the email address of the person to book.")
        person = get_user_model().objects.filter(email__iexact=email, is_active=True, anonymised_at=None).first()
        if person is None:
            raise forms.ValidationError(f"No one with a portal account has the email address {email}.")
        self.cleaned_data["person"] = person
        return email


class BookingTransferForm(forms.Form):
    to_person = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Pass the place to")

    def __init__(self, *args, team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_person"].queryset = team
        self.fields["to_person"].label_from_instance = lambda user: f"{user.full_name or user.email} ({user.email})"
