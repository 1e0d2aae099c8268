import django_filters
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm, PasswordResetForm, SetPasswordForm
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from core.forms import end_not_before_start
from partners.models import Organisation, Sector

from .models import CTS_BANDS, DesignatedRole, StaffProfile, User
from .staff_import import ALLOWED_EXTENSIONS, MAX_UPLOAD_BYTES


class SignInForm(AuthenticationForm):
    """Sign in by email. The error never says which half was wrong."""

    error_messages = {
        "invalid_login": "The email address or password is not right. Check both and try again.",
        "inactive": "This account is not active. Ask your organisation's administrator.",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "Email address"
        self.fields["username"].widget = forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.form_show_errors = True


class QueuedPasswordResetForm(PasswordResetForm):
    """Password-reset mail through the worker; people without a usable password (imported) get the link
    too: it is how they choose their first password (docs/workforce.md)."""

    def get_users(self, email):
        return User.objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        from django.template import loader

        from core.outbox import outbox_add

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        payload = {
            "to": [to_email],
            "subject": subject,
            "text": loader.render_to_string(email_template_name, context),
            "html": loader.render_to_string(html_email_template_name or email_template_name, context),
            "attachments": [],
        }
        outbox_add("workforce.tasks.email_send", payload)


class _StrengthErrorsOnNewPassword:
    """Django puts the password validators' errors ("too short", "too common") on the confirmation field, so the
    error summary sent people to the wrong box. They are about the new password: they go on that field. When
    the two do not match, only the mismatch is shown (on the confirmation), as Django does."""

    def validate_password_for_user(self, user, password_field_name="new_password2"):  # noqa: S107 - a field name
        if not self.has_error("new_password2"):
            super().validate_password_for_user(user, "new_password1")


class PortalSetPasswordForm(_StrengthErrorsOnNewPassword, SetPasswordForm):
    """Choosing a new password from a reset link."""


class PortalPasswordChangeForm(_StrengthErrorsOnNewPassword, PasswordChangeForm):
    """Changing the password on the account page."""


# A telephone number as people write one in the UK: digits, spaces, "+", brackets and hyphens; 7 to 20 of them.
phone_validator = RegexValidator(
    r"^(?=(?:\D*\d){7})[0-9 +()\-]{7,20}$",
    "Enter a telephone number using digits, spaces, + and brackets only, like 01632 960123 or +44 7700 900123.",
)


class AccountForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["first_name", "last_name", "phone"]
        widgets = {
            "first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["first_name"].required = True
        self.fields["last_name"].required = True
        self.fields["phone"].validators.append(phone_validator)
        self.fields["phone"].help_text = "Optional. For example 01632 960123 or +44 7700 900123."
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save changes"))

    def clean_phone(self):
        return " ".join(self.cleaned_data["phone"].split())


# --- People -----------------------------------------------------------------------------------------


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _band_choices():
    return [(band, f"Band {band}: {text}") for band, text in CTS_BANDS.items()]


class StaffProfileForm(forms.ModelForm):
    """A person's profile. Used by the person themself and by those who manage them; `organisations`
    limits where they may be placed (an organisation lead: their own organisation)."""

    cts_band = forms.TypedChoiceField(label="Core Training Standard band", coerce=int, choices=_band_choices)
    line_manager_email = forms.EmailField(
        label="Line manager's email address",
        required=False,
        help_text="Someone in the same organisation on the portal. Leave empty if you have no line manager there.",
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = StaffProfile
        fields = ["organisation", "job_title", "workforce", "service_tier", "cts_band", "employment", "hours",
                  "start_date"]  # fmt: skip
        widgets = {"start_date": DateInput(), "workforce": forms.RadioSelect, "service_tier": forms.RadioSelect}
        labels = {"workforce": "Core or wider workforce", "employment": "Paid or volunteer",
                  "hours": "Full or part time"}  # fmt: skip

    def __init__(self, *args, person, organisations=None, manage: bool = False, grant_lead: bool = False,
                 roles_ending=(), **kwargs):  # fmt: skip
        super().__init__(*args, **kwargs)
        self.person = person
        # Administrators may name anyone on the portal as line manager; anyone else only someone in the same
        # organisation, so the field cannot be used to find out who has an account elsewhere.
        self.any_manager = grant_lead
        self.fields["organisation"].required = True
        self.fields["job_title"].required = True
        if organisations is None:
            organisations = Organisation.objects.filter(is_active=True)
        self.fields["organisation"].queryset = organisations
        if self.instance.pk and self.instance.line_manager_id:
            self.fields["line_manager_email"].initial = self.instance.line_manager.email
        if roles_ending:
            held = ", ".join(f"{role.get_kind_display()}" for role in roles_ending)
            self.fields["organisation"].help_text = (
                f"Moving to another organisation ends the designated roles held for {self.instance.organisation} "
                f"({held})."
            )
        if manage:
            self.fields["employee_ref"] = forms.CharField(
                label="HR reference", required=False, max_length=50, initial=self.instance.employee_ref
            )
        if grant_lead:  # administrators only: who leads an organisation is not for a lead to hand out
            self.fields["is_organisation_lead"] = forms.BooleanField(
                label="Organisation lead (sees and manages the people of the organisation)",
                required=False,
                initial=self.instance.is_organisation_lead,
            )
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean(self):
        cleaned = super().clean()
        email = (cleaned.get("line_manager_email") or "").strip().lower()
        cleaned["line_manager"] = None
        if not email or "line_manager_email" in self.errors:
            return cleaned
        current = self.instance.line_manager if self.instance.pk and self.instance.line_manager_id else None
        if current is not None and current.email == email:
            cleaned["line_manager"] = current  # whoever it is (even someone who has left), they may stay
            return cleaned
        organisation = cleaned.get("organisation")
        if self.any_manager:
            manager = User.objects.filter(email__iexact=email, is_active=True).first()
            message = "No one with this email address is on the portal."
        elif organisation is None:
            return cleaned  # the organisation has its own error
        else:
            manager = User.objects.filter(
                email__iexact=email, is_active=True, profile__organisation=organisation
            ).first()  # fmt: skip
            # The same words whether or not the address has an account elsewhere.
            message = f"No one in {organisation} on the portal has this email address."
        if manager is None:
            self.add_error("line_manager_email", message)
        elif manager.pk == self.person.pk:
            self.add_error("line_manager_email", "You cannot be your own line manager.")
        else:
            cleaned["line_manager"] = manager
        return cleaned

    def profile_values(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["line_manager"] = self.cleaned_data["line_manager"]
        for extra in ("employee_ref", "is_organisation_lead"):
            if extra in self.fields:
                data[extra] = self.cleaned_data[extra]
        return data


class DesignatedRoleForm(forms.Form):
    kind = forms.ChoiceField(label="Designated role", choices=DesignatedRole.Kind.choices)
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Held in")
    start_date = forms.DateField(label="From", widget=DateInput())
    end_date = forms.DateField(label="Until", required=False, widget=DateInput(),
                               help_text="Leave empty while the person holds the role.")  # fmt: skip
    notes = forms.CharField(required=False, max_length=300)

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Record the role"))

    def clean(self):
        cleaned = super().clean()
        end_not_before_start(self, cleaned)
        return cleaned


class DesignatedRoleEndForm(forms.Form):
    end_date = forms.DateField(label="Last day in the role", widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "End the role"))


class GapForm(forms.Form):
    kind = forms.ChoiceField(label="Designated role", choices=DesignatedRole.Kind.choices,
                             initial=DesignatedRole.Kind.SAFEGUARDING_OFFICER)  # fmt: skip
    sector = forms.ModelChoiceField(queryset=Sector.objects.all(), required=False, empty_label="All sectors")
    org_type = forms.ChoiceField(label="Type of organisation", required=False,
                                 choices=[("", "All types"), *Organisation.Type.choices])  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.widget.attrs.setdefault("class", "form-select")


class StaffImportForm(forms.Form):
    file = forms.FileField(
        label="Staff file (CSV or Excel .xlsx)",
        help_text=f"Up to {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. The first row must name the columns.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(ALLOWED_EXTENSIONS):
            raise forms.ValidationError("The file must be a CSV file (.csv) or an Excel workbook (.xlsx).")
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB. Split it and import each part."
            )
        return upload


# --- Filters ----------------------------------------------------------------------------------------


class StaffFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Name, email or job title", method="search", max_length=200)
    organisation = django_filters.ModelChoiceFilter(
        field_name="profile__organisation", label="Organisation", queryset=Organisation.objects.none(),
        empty_label="All organisations",
    )
    sector = django_filters.ModelChoiceFilter(
        field_name="profile__organisation__sector", label="Sector", queryset=Sector.objects.all(),
        empty_label="All sectors",
    )
    cts_band = django_filters.ChoiceFilter(
        field_name="profile__cts_band", label="Band", empty_label="All bands",
        choices=[(b, f"Band {b}") for b in CTS_BANDS],
    )  # fmt: skip
    workforce = django_filters.ChoiceFilter(
        field_name="profile__workforce", label="Core or wider", choices=StaffProfile.Workforce.choices,
        empty_label="Core and wider",
    )  # fmt: skip
    service_tier = django_filters.ChoiceFilter(
        field_name="profile__service_tier", label="Service tier", choices=StaffProfile.ServiceTier.choices,
        empty_label="All tiers",
    )  # fmt: skip
    role = django_filters.ChoiceFilter(
        label="Holds designated role", choices=DesignatedRole.Kind.choices, method="holds_role", empty_label="Any"
    )

    class Meta:
        model = User
        fields: list[str] = []

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = organisations
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")

    def search(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
                | Q(profile__job_title__icontains=word)
            )  # fmt: skip
        return queryset

    def holds_role(self, queryset, name, value):
        today = timezone.localdate()
        current = DesignatedRole.objects.filter(person=OuterRef("pk"), kind=value, start_date__lte=today).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=today)
        )
        return queryset.filter(Exists(current))


class DirectoryFilter(forms.Form):
    q = forms.CharField(label="Name or job title", required=False, max_length=200)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(is_active=True), required=False, empty_label="All organisations"
    )


class TwoFactorCodeForm(forms.Form):
    """The 6-digit code an authenticator app shows."""

    code = forms.RegexField(
        label="Code from your authenticator app",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        max_length=8,
        error_messages={"invalid": "Enter the 6 digits your app shows, for example 123456.",
                        "required": "Enter the 6-digit code your app shows."},  # fmt: skip
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
