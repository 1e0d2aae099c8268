"""Forms of the administration pages (invite a person, give a role, find an account)."""

from django import forms

from core.roles import Role
from partners.models import Organisation

from .models import User

ROLE_CHOICES = [(role.value, role.value) for role in Role]


class InviteForm(forms.Form):
    email = forms.EmailField(label="Email address", help_text="The invitation is sent here; it is also their sign-in.")
    first_name = forms.CharField(label="First name", max_length=150)
    last_name = forms.CharField(label="Last name", max_length=150)
    organisation = forms.ModelChoiceField(
        label="Organisation", queryset=Organisation.objects.filter(is_active=True), required=False,
        empty_label="No organisation (partnership staff)",
    )
    roles = forms.MultipleChoiceField(
        label="Roles", choices=ROLE_CHOICES, widget=forms.CheckboxSelectMultiple, initial=[Role.PRACTITIONER.value],
        help_text="What they can do in the portal. Everyone who trains is a Practitioner.",
    )

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip().lower()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("This email address already has an account: find it in the list of people.")
        return email

    def cleaned_roles(self) -> list[Role]:
        return [Role(value) for value in self.cleaned_data["roles"]]


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="Role to give", choices=ROLE_CHOICES)


class AccountFilter(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=200)
    state = forms.ChoiceField(
        label="Status", required=False,
        choices=[("", "All"), ("active", "Active"), ("invited", "Invited"), ("deactivated", "Deactivated")],
    )
