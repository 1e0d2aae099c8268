"""Make the action list's cached filter options (selectors.filter_choices) stale when an action, a theme, who
leads what, or a person's name changes (workforce.caching explains how). Connected in ActionsConfig.ready()."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from workforce.caching import cache_namespace_bump
from workforce.models import User
from workforce.receivers import is_sign_in_save

from .models import Action, Theme
from .selectors import FILTERS_NAMESPACE


def filters_stale(sender=None, update_fields=None, **_kwargs) -> None:
    if not is_sign_in_save(sender, update_fields):
        cache_namespace_bump(FILTERS_NAMESPACE)


def connect() -> None:
    m2m_changed.connect(filters_stale, sender=Action.leads.through, dispatch_uid="actions-filters-leads")
    for signal in (post_save, post_delete):
        for model in (Action, Theme, User):
            signal.connect(filters_stale, sender=model,
                           dispatch_uid=f"actions-filters-{model.__name__}-{signal is post_save}")  # fmt: skip
