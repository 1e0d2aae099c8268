"""Courses, events, bands, themes and the standard: each service names the fields it may change."""


import datetime as dt
from collections.abc import Iterable, Mapping
from typing import TypedDict, TypeVar, Unpack

from django.db import transaction
from django.db.models import Model

from partners.models import Organisation
from workforce.models import User

from ..models import (
    Band,
    Course,
    Event,
    Requirement,
    StandardVersion,
    Theme,
)

# === Courses, events and the standard ====================================================================
# Each service names the fields it may change (HackSoft's model_update): a form's fields, typed, and only those.


class CourseFields(TypedDict, total=False):
    code: str
    title: str
    summary: str
    outcomes: str
    audience: str
    duration: str
    delivery_mode: str
    provider: Organisation | None
    variant: str
    refresher_of: Course | None
    needs_manager_approval: bool
    copy_line_manager: bool
    cancellation_notice_days: int
    is_active: bool


class EventFields(TypedDict, total=False):
    name: str
    slug: str
    summary: str
    starts_on: dt.date
    ends_on: dt.date


class BandFields(TypedDict, total=False):
    number: int
    label: str
    description: str


class ThemeFields(TypedDict, total=False):
    name: str
    slug: str
    description: str
    is_common_core: bool
    order: int


class RequirementFields(TypedDict, total=False):
    version: StandardVersion
    band: Band
    title: str
    refresher_months: int | None
    order: int


class StandardVersionFields(TypedDict, total=False):
    name: str
    effective_from: dt.date
    notes: str  # is_current changes only through standard_version_make_current


M = TypeVar("M", bound=Model)


def _model_update(instance: M, *, fields: type, data: Mapping[str, object]) -> M:
    """Set the named fields given (a partial update keeps the rest), validate, save: nothing outside `fields`."""
    unknown = set(data) - set(fields.__annotations__)
    if unknown:
        raise TypeError(f"{type(instance).__name__} cannot be given {', '.join(sorted(unknown))} here")
    for name, value in data.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance


def course_save(*, course: Course | None = None, by: User, themes: Iterable[Theme] = (),
                prerequisites: Iterable[Course] = (), **fields: Unpack[CourseFields]) -> Course:
    with transaction.atomic():
        course = course or Course()
        prerequisites = [c for c in prerequisites if c.pk != course.pk]
        course = _model_update(course, fields=CourseFields, data=fields)
        course.themes.set(themes)
        course.prerequisites.set(prerequisites)
        return course


def event_save(*, event: Event | None = None, by: User, **fields: Unpack[EventFields]) -> Event:
    with transaction.atomic():
        return _model_update(event or Event(), fields=EventFields, data=fields)


def band_save(*, band: Band | None = None, by: User, **fields: Unpack[BandFields]) -> Band:
    with transaction.atomic():
        return _model_update(band or Band(), fields=BandFields, data=fields)


def theme_save(*, theme: Theme | None = None, by: User, **fields: Unpack[ThemeFields]) -> Theme:
    with transaction.atomic():
        return _model_update(theme or Theme(), fields=ThemeFields, data=fields)


def requirement_save(*, requirement: Requirement | None = None, by: User, courses: Iterable[Course],
                     **fields: Unpack[RequirementFields]) -> Requirement:
    with transaction.atomic():
        requirement = _model_update(requirement or Requirement(), fields=RequirementFields, data=fields)
        requirement.courses.set(courses)
        return requirement


def requirement_delete(*, requirement: Requirement, by: User) -> None:
    with transaction.atomic():
        requirement.delete()


def standard_version_save(*, version: StandardVersion | None = None, by: User,
                          **fields: Unpack[StandardVersionFields]) -> StandardVersion:
    with transaction.atomic():
        return _model_update(version or StandardVersion(), fields=StandardVersionFields, data=fields)


def standard_version_make_current(*, version: StandardVersion, by: User,
                                  copy_requirements_from: StandardVersion | None = None) -> StandardVersion:
    """Make this version the one compliance is measured against (the previous one stops being current).
    Optionally copy requirements from another version when this one has none."""
    with transaction.atomic():
        StandardVersion.objects.select_for_update().filter(is_current=True).update(is_current=False)
        version.is_current = True
        version.save(update_fields=["is_current"])
        if copy_requirements_from and not version.requirements.exists():
            for old in copy_requirements_from.requirements.prefetch_related("courses"):
                new = Requirement.objects.create(version=version, band=old.band, title=old.title,
                                                 refresher_months=old.refresher_months, order=old.order)
                new.courses.set(old.courses.all())
    return version

