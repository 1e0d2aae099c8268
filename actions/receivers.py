"""Make the action plan's cached reads stale (filter options, what lists show) when what they show changes
(core.caching explains how). Connected in ActionsConfig.ready(); which change stales which: docs/actions.md."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.caching import cache_namespace_bump
from partners.models import GovernanceBody
from workforce.models import User
from workforce.receivers import is_sign_in_save
from workforce.signals import people_bulk_changed

from .models import Action, StatusUpdate, Strategy, Theme
from .selectors import FILTERS_NAMESPACE, LISTS_NAMESPACE


def filters_stale(sender=None, update_fields=None, **_kwargs) -> None:
    if not is_sign_in_save(sender, update_fields):
        cache_namespace_bump(FILTERS_NAMESPACE)
        cache_namespace_bump(LISTS_NAMESPACE)


def lists_stale(**_kwargs) -> None:
    cache_namespace_bump(LISTS_NAMESPACE)


def connect() -> None:
    m2m_changed.connect(filters_stale, sender=Action.leads.through, dispatch_uid="actions-filters-leads")
    people_bulk_changed.connect(filters_stale, dispatch_uid="actions-filters-people")
    for signal in (post_save, post_delete):
        for model in (Action, Theme, User):
            signal.connect(filters_stale, sender=model,
                           dispatch_uid=f"actions-filters-{model.__name__}-{signal is post_save}")  # fmt: skip
        for model in (Strategy, StatusUpdate, GovernanceBody):
            signal.connect(lists_stale, sender=model,
                           dispatch_uid=f"actions-lists-{model.__name__}-{signal is post_save}")  # fmt: skip
