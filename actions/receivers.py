"""Make the action plan's cached reads stale (core.caching explains how). Connected in ActionsConfig.ready().

- The action list's filter options (selectors.FILTERS_NAMESPACE): when an action, a theme, who leads what, or a
  person's name changes.
- What lists of actions show (selectors.LISTS_NAMESPACE): all of that, and strategies, status updates (each moves
  its action's current status) and governance bodies (an action's leading group)."""

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
