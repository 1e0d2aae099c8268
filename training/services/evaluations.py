"""Attendees' feedback, and the retention clean-up of its free text."""


import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from workforce.models import User

from ..errors import (
    InvalidState,
    NotAllowed,
)
from ..models import (
    Booking,
    Evaluation,
)

S = Booking.Status


def evaluation_submit(*, booking: Booking, by: User, rating: int, comments: str = "",
                      now: dt.datetime | None = None) -> Evaluation:
    """An attendee's feedback on a session they attended: one per booking."""
    now = now or timezone.now()
    if booking.person_id != by.pk:
        raise NotAllowed("Only the person who attended can give feedback on their place.")
    if not 1 <= int(rating) <= 5:
        raise InvalidState("Choose a rating from 1 to 5.")
    with transaction.atomic():
        booking = Booking.objects.select_for_update(of=("self",)).get(pk=booking.pk)
        if booking.status != S.ATTENDED:
            raise InvalidState("You can give feedback once the course's register shows you attended.")
        if Evaluation.objects.filter(booking=booking).exists():
            raise InvalidState("You have already given feedback on this session. Thank you.")
        try:
            with transaction.atomic():
                return Evaluation.objects.create(booking=booking, rating=int(rating), comments=comments.strip(),
                                                 submitted_at=now)
        except IntegrityError as error:
            raise InvalidState("You have already given feedback on this session. Thank you.") from error


def evaluation_comments_clear(*, submitted_before: dt.datetime) -> int:
    """Retention: evaluation comments older than the cut-off are emptied; the ratings stay."""
    with transaction.atomic():
        return Evaluation.objects.filter(submitted_at__lt=submitted_before).exclude(comments="").update(comments="")
