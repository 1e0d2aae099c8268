"""The action list's filters (django-filter): theme, lead, status, overdue, due soon, words."""

import django_filters
from django import forms
from django.db.models import Q

from .models import CLOSED_STATUSES, Action, Status, Strategy
from .selectors import due_soon_range, filter_choices, overdue_q, today

SEARCH_FIELDS = ["code", "title", "description", "timescale", "performance_measures", "priorities"]


class ActionFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Words", method="filter_words", max_length=200,
                                  help_text="In the code, title, description, timescale or measures.")
    # Theme and lead choices come from the cache (selectors.filter_choices), set in __init__.
    theme = django_filters.ChoiceFilter(choices=(), label="Theme", empty_label="Any theme")
    lead = django_filters.ChoiceFilter(choices=(), field_name="leads", label="Lead", empty_label="Anyone",
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
        choices = filter_choices(strategy=strategy)
        self.cache_token = choices["token"]  # the rendered form is cached under it (actions/action_list.html)
        self.filters["theme"].extra["choices"] = choices["themes"]
        self.filters["lead"].extra["choices"] = choices["leads"]

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
