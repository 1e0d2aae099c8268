import django_filters
from django import forms

from .models import Organisation, Sector


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
