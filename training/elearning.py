"""Completions recorded by an external e-learning platform (through the API): idempotent by external id.

Kept apart from services.py while that module is restructured; it changes only Completion rows."""

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import Completion, Course


@dataclass(frozen=True)
class Recorded:
    completion: Completion
    created: bool


def completion_record_external(*, person, course: Course, completed_on: dt.date, external_id: str,
                               by) -> Recorded:
    """Record that `person` completed `course`; a repeat with the same external id returns the first record
    unchanged (two concurrent repeats: the unique constraint keeps one)."""
    existing = Completion.objects.filter(external_id=external_id).first()
    if existing is not None:
        return Recorded(existing, False)
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                person=person, course=course, completed_on=completed_on, external_id=external_id,
                recorded_by=by, notes="Recorded by an e-learning platform.")
    except IntegrityError:
        return Recorded(Completion.objects.get(external_id=external_id), False)
    return Recorded(completion, True)
