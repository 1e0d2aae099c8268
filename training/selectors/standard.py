"""The training standard: versions, bands, requirements, and the compliance matrix's people."""


from typing import Any, cast

from django.db.models import (
    Count,
    Prefetch,
    Q,
    QuerySet,
)

from core.caching import cached_in
from workforce.models import User

from ..compliance import STANDARD_NAMESPACE
from ..models import (
    Band,
    Course,
    Requirement,
    StandardVersion,
    Theme,
)

# === The standard ========================================================================================


# Kept in the cache, made stale by training.receivers whenever the standard, a band, a theme, a course or a
# provider changes (core.caching explains how).
STANDARD_KEY = "training:standard-current"
BANDS_KEY = "training:bands"
CATALOGUE_FACETS_KEY = "training:catalogue-facets"


def standard_version_current() -> StandardVersion | None:
    current: StandardVersion | None = cached_in(
        STANDARD_NAMESPACE, STANDARD_KEY, lambda: StandardVersion.objects.filter(is_current=True).first()
    )
    return current


def bands_by_number() -> dict[int, Band]:
    bands: dict[int, Band] = cached_in(STANDARD_NAMESPACE, BANDS_KEY,
                                       lambda: {band.number: band for band in Band.objects.all()})
    return bands


def band_number_of(user: User) -> int | None:
    profile = getattr(user, "profile", None)
    return profile.cts_band if profile else None


def requirements_for_band(*, band_number: int, version: StandardVersion | None = None) -> QuerySet[Requirement]:
    version = version or standard_version_current()
    return (
        Requirement.objects.filter(version=version, band__number=band_number)
        .select_related("band")
        .prefetch_related(Prefetch("courses", queryset=Course.objects.filter(is_active=True)))
    )


def course_ids_required_for_band(band_number: int | None) -> set[int]:
    """The courses any requirement of the current standard asks of this band (from the cached requirements)."""
    from ..compliance import requirement_rows_current

    return {pk for row in requirement_rows_current() if row.band == band_number for pk in row.course_ids}


def standard_overview() -> dict[str, Any]:
    """Everything the standard pages show: versions, bands, themes, and the current version's requirements."""
    current = standard_version_current()
    return {
        "versions": StandardVersion.objects.annotate(requirement_count=Count("requirements")),
        "current": current,
        "bands": Band.objects.all(),
        "themes": Theme.objects.annotate(course_count=Count("courses", filter=Q(courses__is_active=True))),
        "requirements": (
            Requirement.objects.filter(version=current).select_related("band").prefetch_related("courses")
            if current
            else Requirement.objects.none()
        ),
    }


def requirements_of_version(version: StandardVersion) -> QuerySet[Requirement]:
    return version.requirements.select_related("band").prefetch_related("courses")


COMPLIANCE_CHOICES_KEY = "training:compliance-filter-choices"


def compliance_filter_choices() -> dict[str, list[tuple[Any, str]]]:
    """The compliance matrix's filter options: active organisations and sectors (ids), bands (numbers) and the
    current standard's requirements (titles: a matrix column is a title across bands)."""
    from partners.models import Organisation, Sector

    from ..compliance import requirement_rows_current

    choices: dict[str, list[tuple[Any, str]]] = cached_in(STANDARD_NAMESPACE, COMPLIANCE_CHOICES_KEY, lambda: {
        "organisations": list(Organisation.objects.filter(is_active=True).order_by("name").values_list("pk", "name")),
        "sectors": [(sector.pk, str(sector)) for sector in Sector.objects.all()],
        "bands": [(number, str(band)) for number, band in bands_by_number().items()],
        "requirements": [(title, title) for title in dict.fromkeys(row.title for row in requirement_rows_current())],
    })  # fmt: skip
    return choices


def people_for_compliance(*, scope: str, user: User, organisation: int | None = None, sector: int | None = None,
                          band: int | None = None, q: str = "") -> QuerySet[User]:
    """The people a compliance matrix covers: 'team' (the user's direct reports), 'organisation' (the
    organisation the user leads) or 'all', narrowed to an organisation id, a sector id or a band number.
    Through workforce's selectors; the caller checks permission."""
    from workforce import selectors as people_selectors
    from workforce.permissions import led_organisation_id

    if scope == "team":
        people = people_selectors.team_of(manager=user)
    elif scope == "organisation":
        led = cast(int, led_organisation_id(user))  # the caller checked that the user leads one
        people = people_selectors.people().filter(profile__organisation_id=led)
    else:
        people = people_selectors.people()
    if organisation is not None:
        people = people.filter(profile__organisation_id=organisation)
    if sector is not None:
        people = people.filter(profile__organisation__sector_id=sector)
    if band is not None:
        people = people.filter(profile__cts_band=band)
    for word in q.split()[:4]:
        people = people.filter(Q(first_name__icontains=word) | Q(last_name__icontains=word)
                               | Q(email__icontains=word))
    return people


