"""Drop training's cached reads (selectors.STANDARD_KEY and the others) when what they derive from changes:
the standard (versions, bands, requirements and their courses), themes, courses and the organisations that
provide them, and sectors. Connected in TrainingConfig.ready()."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from partners.models import Organisation, Sector
from workforce.caching import cache_drop

from . import selectors
from .compliance import REQUIREMENTS_KEY
from .models import Band, Course, Requirement, StandardVersion, Theme

KEYS = (selectors.STANDARD_KEY, selectors.BANDS_KEY, selectors.CATALOGUE_FACETS_KEY, selectors.COMPLIANCE_CHOICES_KEY,
        REQUIREMENTS_KEY)


def training_cache_drop(**_kwargs) -> None:
    cache_drop(*KEYS)


def connect() -> None:
    for model in (StandardVersion, Band, Requirement, Theme, Course, Organisation, Sector):
        post_save.connect(training_cache_drop, sender=model, dispatch_uid=f"training-cache-save-{model.__name__}")
        post_delete.connect(training_cache_drop, sender=model, dispatch_uid=f"training-cache-del-{model.__name__}")
    for through in (Requirement.courses.through, Course.themes.through):
        m2m_changed.connect(training_cache_drop, sender=through, dispatch_uid=f"training-cache-m2m-{through.__name__}")
