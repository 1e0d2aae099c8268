"""Courses, events, bands, themes and the standard: each service names the fields it may change."""


from collections.abc import Iterable

from django.db import transaction

from ..models import (
    Band,
    Course,
    Event,
    Requirement,
    StandardVersion,
)

# === Courses, events and the standard ====================================================================


def _save(instance, *, m2m: dict | None = None, **fields):
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    for name, values in (m2m or {}).items():
        getattr(instance, name).set(values)
    return instance


def course_save(*, course: Course | None = None, by, themes: Iterable = (), prerequisites: Iterable = (),
                **fields) -> Course:
    with transaction.atomic():
        course = course or Course()
        prerequisites = [c for c in prerequisites if c.pk != course.pk]
        return _save(course, m2m={"themes": themes, "prerequisites": prerequisites}, **fields)


def event_save(*, event: Event | None = None, by, **fields) -> Event:
    with transaction.atomic():
        return _save(event or Event(), **fields)


def band_save(*, band: Band | None = None, by, **fields) -> Band:
    with transaction.atomic():
        return _save(band or Band(), **fields)


def theme_save(*, theme=None, by, **fields):
    from ..models import Theme

    with transaction.atomic():
        return _save(theme or Theme(), **fields)


def requirement_save(*, requirement: Requirement | None = None, by, courses: Iterable, **fields) -> Requirement:
    with transaction.atomic():
        return _save(requirement or Requirement(), m2m={"courses": courses}, **fields)


def requirement_delete(*, requirement: Requirement, by) -> None:
    with transaction.atomic():
        requirement.delete()


def standard_version_save(*, version: StandardVersion | None = None, by, **fields) -> StandardVersion:
    with transaction.atomic():
        fields.pop("is_current", None)  # made current only through standard_version_make_current
        return _save(version or StandardVersion(), **fields)


def standard_version_make_current(*, version: StandardVersion, by, copy_requirements_from=None) -> StandardVersion:
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

