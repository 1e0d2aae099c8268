"""The catalogue's filters (django-filter)."""

import datetime as dt

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from . import selectors
from .models import Course


class CatalogueFilterForm(forms.Form):
    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", "The end of the date range must be on or after its start.")
        return data


class CatalogueFilter(django_filters.FilterSet):
    # Theme, band and provider choices come from the cached facets (selectors.catalogue_facets), in __init__.
    q = django_filters.CharFilter(label="Search", method="filter_words", max_length=200)
    theme = django_filters.ChoiceFilter(choices=(), field_name="themes__slug", label="Themes",
                                        empty_label="Any theme")
    band = django_filters.ChoiceFilter(choices=(), method="filter_band", empty_label="Any band",
                                       label="Required for band")
    delivery_mode = django_filters.ChoiceFilter(
        choices=Course.DeliveryMode.choices, empty_label="Any way", method="filter_delivery_mode",
        help_text="“Multi-day event” also finds courses with a session in an event such as Every Colleague Matters.",
    )
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
        label="Only courses I still need for the standard", method="filter_required_for_me",
        widget=forms.CheckboxInput,
    )
    including_done = django_filters.BooleanFilter(
        label="… including those I am up to date with", method="filter_including_done", widget=forms.CheckboxInput
    )

    class Meta:
        model = Course
        fields: list[str] = []
        form = CatalogueFilterForm

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

    def filter_delivery_mode(self, queryset, name, value):
        if value != Course.DeliveryMode.MULTI_DAY_EVENT:
            return queryset.filter(delivery_mode=value)
        in_an_event = selectors.sessions_upcoming().filter(course=OuterRef("pk"), event__isnull=False)
        return queryset.filter(Q(delivery_mode=value) | Exists(in_an_event))

    def filter_dates(self, queryset, name, value):
        # Applied with "places free" in filter_queryset: one session must be inside the range *and* have a place.
        return queryset

    filter_places_free = filter_dates

    def filter_required_for_me(self, queryset, name, value):
        """What the person still lacks (never done, expired or due soon); with `including_done`, every course
        the standard asks of their band."""
        if not value:
            return queryset
        if self.form.cleaned_data.get("including_done"):
            return queryset.filter(pk__in=selectors.course_ids_required_for_band(selectors.band_number_of(self.user)))
        return queryset.filter(pk__in=selectors.course_ids_still_needed(person=self.user))

    def filter_including_done(self, queryset, name, value):
        return queryset  # read by filter_required_for_me

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        start, end = self.form.cleaned_data.get("date_from"), self.form.cleaned_data.get("date_to")
        places_free = self.form.cleaned_data.get("places_free")
        if start or end or places_free:
            sessions = (selectors.sessions_open_with_places() if places_free
                        else selectors.sessions_upcoming()).filter(course=OuterRef("pk"))
            tz = timezone.get_current_timezone()
            if start:
                sessions = sessions.filter(starts_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz))
            if end and end < dt.date.max:  # until the last day there is: no end at all
                sessions = sessions.filter(starts_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min,
                                                                               tzinfo=tz))
            queryset = queryset.filter(Exists(sessions))
        return queryset

    def still_needed_asked(self) -> bool:
        """Is the list narrowed to what this person still lacks (theirs alone, not their band's)?"""
        if not self.is_bound:
            return False
        self.form.is_valid()
        data = self.form.cleaned_data
        return bool(data.get("required_for_me")) and not data.get("including_done")

    def places_free_asked(self) -> bool:
        if not self.is_bound:
            return False
        self.form.is_valid()  # as in filter_queryset: the valid filters apply even when another is invalid
        return bool(self.form.cleaned_data.get("places_free"))

    def applied_count(self) -> int:
        """How many filters narrow the list (shown on the phone's "Filter (n applied)" button)."""
        if not self.is_bound:
            return 0
        self.form.is_valid()
        return sum(1 for value in getattr(self.form, "cleaned_data", {}).values() if value not in (None, "", False))

    def is_filtered(self) -> bool:
        if not self.is_bound:
            return False
        self.form.is_valid()  # an invalid filter still leaves the valid ones (and "Clear filters")
        return any(value not in (None, "", False) for value in self.form.cleaned_data.values()) or bool(self.errors)
