from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm

from .models import User


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
    """Password-reset mail goes through the Celery worker like every other email."""

    def send_mail(
        self, subject_template_name, email_template_name, context, from_email, to_email, html_email_template_name=None
    ):
        from django.template import loader

        from .tasks import email_send

        subject = "".join(loader.render_to_string(subject_template_name, context).splitlines())
        payload = {
            "to": [to_email],
            "subject": subject,
            "text": loader.render_to_string(email_template_name, context),
            "html": loader.render_to_string(html_email_template_name or email_template_name, context),
            "attachments": [],
        }
        email_send.delay(payload)


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
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save changes"))
