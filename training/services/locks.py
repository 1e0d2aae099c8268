"""Every change of who holds a place on a session runs under the session row's lock (docs/training.md)."""


from collections.abc import Iterator
from contextlib import contextmanager

from django.db import transaction

from core.caching import cache_namespace_bump
from core.locking import busy_raises, lock_wait_at_most

from ..errors import (
    Busy,
)
from ..models import (
    Session,
)
from ..selectors.catalogue import course_places_namespace

LOCK_TIMEOUT = "3s"



# === Locking ==========================================================================================


def _session_locked(session_pk: int) -> Session:
    """The session row, locked until the surrounding transaction ends."""
    lock_wait_at_most(LOCK_TIMEOUT)
    return Session.objects.select_for_update(of=("self",)).select_related("course").get(pk=session_pk)


@contextmanager
def _locked(session: Session) -> Iterator[Session]:
    """One use case on a session's bookings: a transaction holding the session's lock. Every change to bookings
    goes through here, so here the course page's cached places are made stale — after commit, outside the lock."""
    with busy_raises(Busy), transaction.atomic():
        locked = _session_locked(session.pk)
        cache_namespace_bump(course_places_namespace(locked.course_id), at_once=False)
        yield locked

