"""The action list's filters (django-filter): theme, lead, status, overdue, due soon, words."""

import django_filters
from django import forms
from django.db.models import Q

from .models import CLOSED_STATUSES, Action, Status, Strategy, Theme
from .selectors import due_soon_range, lead_choices, overdue_q, today

SEARCH_FIELDS = ["code", "title", "description", "timescale", "performance_measures", "priorities"]


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Words", method="filter_words",
                                  help_text="In the code, title, description, timescale or measures.")
    theme = django_filters.ModelChoiceFilter(queryset=None, empty_label="Any theme")
    lead = django_filters.ModelChoiceFilter(queryset=None, field_name="leads", label="Lead", empty_label="Anyone",
                                            method="filter_lead")
    status = django_filters.ChoiceFilter(field_name="current_status", label="Status", choices=Status.choices,
                                         empty_label="Any status")
    overdue = django_filters.BooleanFilter(label="Overdue only", method="filter_overdue",
                                           widget=forms.CheckboxInput)
    due_soon = django_filters.BooleanFilter(label="Due in the next 30 days", method="filter_due_soon",
                                            widget=forms.CheckboxInput)

    class Meta:
        model = Action
        fields = ["q", "theme", "lead", "status", "overdue", "due_soon"]

    def __init__(self, *args, strategy: Strategy | None, **kwargs):
        super().__init__(*args, **kwargs)
        themes = strategy.themes.order_by("order", "code") if strategy else Theme.objects.none()
        self.filters["theme"].queryset = themes
        self.filters["lead"].queryset = lead_choices(strategy=strategy)

    def filter_words(self, queryset, name, value):
        for word in value.split()[:8]:
            condition = Q()
            for field in SEARCH_FIELDS:
                condition |= Q(**{f"{field}__icontains": word})
            queryset = queryset.filter(condition)
        return queryset

    def filter_lead(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(pk__in=Action.leads.through.objects.filter(user=value).values("action_id"))

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q(on=today())) if value else queryset

    def filter_due_soon(self, queryset, name, value):
        if not value:
            return queryset
        start, end = due_soon_range()
        return queryset.filter(due_date__gte=start, due_date__lte=end).exclude(current_status__in=CLOSED_STATUSES)
