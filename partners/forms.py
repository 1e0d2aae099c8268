import django_filters
from django import forms
from django.contrib.auth import get_user_model

from core.forms import end_not_before_start

from .models import GovernanceBody, GovernanceMembership, Organisation, Sector


class OrganisationFilter(django_filters.FilterSet):
    # At most 200 characters, like every search: SQLite refuses a LIKE pattern over 50,000 bytes (a 500).
    name = django_filters.CharFilter(label="Name contains", lookup_expr="icontains", max_length=200)
    sector = django_filters.ModelChoiceFilter(queryset=Sector.objects.all(), empty_label="All sectors")
    org_type = django_filters.ChoiceFilter(label="Type", choices=Organisation.Type.choices, empty_label="All types")

    class Meta:
        model = Organisation
        fields = ["name", "sector", "org_type"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for f in self.form.fields.values():
            f.widget.attrs.setdefault("class", "form-select" if isinstance(f.widget, forms.Select) else "form-control")


class _Styled:
    """Dates picked with the browser's date picker (the forms are drawn with crispy)."""

    def _style(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field.widget, forms.DateInput):
                field.widget.input_type = "date"


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "sector", "org_type", "address", "website", "is_active"]
        labels = {"is_active": "Active (shown in the partnership and in lists to choose from)"}
        widgets = {"address": forms.Textarea(attrs={"rows": 3})}


class SectorForm(forms.ModelForm):
    class Meta:
        model = Sector
        fields = ["name", "summary", "order"]
        help_texts = {"order": "Sectors are listed by this number, then by name."}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}


class GovernanceBodyForm(_Styled, forms.ModelForm):
    class Meta:
        model = GovernanceBody
        fields = ["name", "purpose", "reports_to", "start_date", "end_date", "order"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3}), "start_date": forms.DateInput(),
                   "end_date": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        if self.instance.pk:  # a body cannot report to itself
            self.fields["reports_to"].queryset = GovernanceBody.objects.exclude(pk=self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        end_not_before_start(self, cleaned)
        return cleaned


class MembershipForm(_Styled, forms.ModelForm):
    class Meta:
        model = GovernanceMembership
        fields = ["user", "external_name", "external_job_title", "external_email", "external_phone", "role",
                  "sector", "organisation", "start_date", "end_date"]
        labels = {"user": "Person with a portal account"}
        widgets = {"start_date": forms.DateInput(), "end_date": forms.DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True, anonymised_at=None).order_by(
            "last_name", "first_name")

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("user")) == bool((cleaned.get("external_name") or "").strip()):
            self.add_error("user", "Choose a person with a portal account, or give an external representative's "
                                   "name: one of the two.")  # fmt: skip
        end_not_before_start(self, cleaned)
        return cleaned


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label="Last day of the term", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, membership: GovernanceMembership, **kwargs):
        super().__init__(*args, **kwargs)
        self.membership = membership

    def clean_end_date(self):
        end = self.cleaned_data["end_date"]
        if end < self.membership.start_date:
            raise forms.ValidationError(
                f"The term began on {self.membership.start_date:%-d %B %Y}: it cannot end before that.")
        return end
