"""The administrator's branding form: the colour's contrast and the logo are checked before anything is saved."""

from django import forms
from django.core.exceptions import ValidationError

from . import branding


class BrandingForm(forms.Form):
    name = forms.CharField(label="Portal name", max_length=80,
                           help_text="Shown in the header and in every page's title, e.g. \"Leeds Children's "
                                     "Workforce Portal\".")  # fmt: skip
    accent = forms.CharField(label="Accent colour", max_length=7,
                             help_text="For links, buttons and the header's rule, as # and six hexadecimal digits. "
                                       "It must reach a contrast of 4.5:1 against white.",  # fmt: skip
                             widget=forms.TextInput(attrs={"type": "color",
                                                           "class": "form-control form-control-color"}))
    logo = forms.FileField(label="Logo", required=False,
                           help_text=f"A PNG or JPEG, {branding.LOGO_MAX_BYTES // 1024} KB at most; shown 40 px high.")
    logo_alt = forms.CharField(label="Logo description", max_length=120, required=False,
                               help_text="What the logo says, for people who cannot see it, e.g. \"Leeds City "
                                         "Council\".")  # fmt: skip
    remove_logo = forms.BooleanField(label="Remove the logo", required=False)

    def clean_accent(self) -> str:
        accent = self.cleaned_data["accent"].strip()
        if problem := branding.accent_problem(accent):
            raise ValidationError(problem)
        return accent.lower()

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > branding.LOGO_MAX_BYTES:
            raise ValidationError(f"The logo must be {branding.LOGO_MAX_BYTES // 1024} KB or smaller; this file is "
                                  f"{upload.size // 1024} KB.")  # fmt: skip
        data = upload.read()
        _content_type, problem = branding.logo_problem(data)
        if problem:
            raise ValidationError(problem)
        return data

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        if cleaned.get("logo") and not (cleaned.get("logo_alt") or "").strip():
            self.add_error("logo_alt", "Say what the logo shows, for people who cannot see it.")
        return cleaned
