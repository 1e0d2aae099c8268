"""The catalogue's filters (django-filter)."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from . import selectors
from .models import Course


class CatalogueFilter(django_filters.FilterSet):
    # Theme, band and provider choices come from the cached facets (selectors.catalogue_facets), in __init__.
    q = django_filters.CharFilter(label="Search", method="filter_words")
    theme = django_filters.ChoiceFilter(choices=(), field_name="themes__slug", label="Themes",
                                        empty_label="Any theme")
    band = django_filters.ChoiceFilter(choices=(), method="filter_band", empty_label="Any band",
                                       label="Required for band")
    delivery_mode = django_filters.ChoiceFilter(choices=Course.DeliveryMode.choices, empty_label="Any way")
    provider = django_filters.ChoiceFilter(choices=(), field_name="provider_id", empty_label="Any provider",
                                           label="Provider")
    date_from = django_filters.DateFilter(
        label="Sessions from", method="filter_dates", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="Sessions until", method="filter_dates", widget=forms.DateInput(attrs={"type": "date"})
    )
    places_free = django_filters.BooleanFilter(
        label="Only courses with places free", method="filter_places_free", widget=forms.CheckboxInput
    )
    required_for_me = django_filters.BooleanFilter(
        label="Only courses required for me", method="filter_required_for_me", widget=forms.CheckboxInput
    )

    class Meta:
        model = Course
        fields: list[str] = []

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        facets = selectors.catalogue_facets()
        self.cache_token = facets["token"]  # the rendered form is cached under it (templates/training/catalogue.html)
        for name, facet in (("theme", "themes"), ("band", "bands"), ("provider", "providers")):
            self.filters[name].extra["choices"] = facets[facet]

    def filter_words(self, queryset, name, value):
        for word in value.split()[:8]:
            queryset = queryset.filter(
                Q(title__icontains=word) | Q(code__iexact=word) | Q(summary__icontains=word)
                | Q(outcomes__icontains=word) | Q(audience__icontains=word)
            )
        return queryset

    def filter_band(self, queryset, name, value):
        return queryset.filter(pk__in=selectors.course_ids_required_for_band(int(value)))

    def filter_dates(self, queryset, name, value):
        # Both ends are applied together in filter_queryset (a course has a session inside the range).
        return queryset

    def filter_places_free(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(Exists(selectors.sessions_open_with_places().filter(course=OuterRef("pk"))))

    def filter_required_for_me(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=selectors.course_ids_required_for_band(selectors.band_number_of(self.user)))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        start, end = self.form.cleaned_data.get("date_from"), self.form.cleaned_data.get("date_to")
        if start or end:
            sessions = selectors.sessions_upcoming().filter(course=OuterRef("pk"))
            tz = timezone.get_current_timezone()
            if start:
                sessions = sessions.filter(starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
            if end:
                sessions = sessions.filter(starts_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min,
                                                                               tzinfo=tz))
            queryset = queryset.filter(Exists(sessions))
        return queryset

    def is_filtered(self) -> bool:
        if not self.form.is_valid():
            return False
        return any(value not in (None, "", False) for value in self.form.cleaned_data.values())
