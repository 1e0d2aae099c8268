"""Make training's cached reads stale when what they derive from changes; connected in
TrainingConfig.ready() (docs/training.md lists what stales what)."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from core.caching import cache_namespace_bump
from partners.models import Organisation, Sector
from workforce.models import StaffProfile
from workforce.signals import people_bulk_changed

from . import selectors
from .compliance import STANDARD_NAMESPACE
from .models import (
    Band,
    Booking,
    Completion,
    Course,
    Evaluation,
    Event,
    Requirement,
    Session,
    SessionDate,
    StandardVersion,
    Theme,
)


def standard_stale(**_kwargs) -> None:
    """The standard or the catalogue's options changed: both are stale (the catalogue shows the options)."""
    cache_namespace_bump(STANDARD_NAMESPACE, selectors.CATALOGUE_NAMESPACE)


def catalogue_stale(**_kwargs) -> None:
    cache_namespace_bump(selectors.CATALOGUE_NAMESPACE)


def person_stale(sender, instance, **_kwargs) -> None:
    """A booking, completion, evaluation or staff profile of one person changed: their page is stale once the
    change commits (bookings and completions change under their session's lock, which a round trip to the cache
    would lengthen; nothing in the writing transaction reads the person's page)."""
    if sender is Evaluation:
        person_id = instance.booking.person_id
    elif sender is StaffProfile:
        person_id = instance.user_id
    else:
        person_id = instance.person_id
    cache_namespace_bump(selectors.person_namespace(person_id), at_once=False)


def people_stale(**_kwargs) -> None:
    cache_namespace_bump(selectors.PEOPLE_NAMESPACE)


def connect() -> None:
    for model in (StandardVersion, Band, Requirement, Theme, Course, Organisation, Sector):
        post_save.connect(standard_stale, sender=model, dispatch_uid=f"training-cache-save-{model.__name__}")
        post_delete.connect(standard_stale, sender=model, dispatch_uid=f"training-cache-del-{model.__name__}")
    for through in (Requirement.courses.through, Course.themes.through, Course.prerequisites.through):
        m2m_changed.connect(standard_stale, sender=through, dispatch_uid=f"training-cache-m2m-{through.__name__}")
    for model in (Session, SessionDate, Event):
        post_save.connect(catalogue_stale, sender=model, dispatch_uid=f"training-catalogue-save-{model.__name__}")
        post_delete.connect(catalogue_stale, sender=model, dispatch_uid=f"training-catalogue-del-{model.__name__}")
    for model in (Booking, Completion, Evaluation, StaffProfile):
        post_save.connect(person_stale, sender=model, dispatch_uid=f"training-person-save-{model.__name__}")
        post_delete.connect(person_stale, sender=model, dispatch_uid=f"training-person-del-{model.__name__}")
    people_bulk_changed.connect(people_stale, dispatch_uid="training-people-bulk")
