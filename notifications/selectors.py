"""Reads of notifications, scoped to who asks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.db.models import Case, IntegerField, Prefetch, QuerySet, Value, When

from .models import OPTIONAL_KINDS, Notification, NotificationItem, NotificationPreference

if TYPE_CHECKING:
    from workforce.models import User


def _with_items(qs: QuerySet[Notification]) -> QuerySet[Notification]:
    return qs.prefetch_related(Prefetch("items", queryset=NotificationItem.objects.order_by("order", "id")))


def notifications_of(*, person: User) -> QuerySet[Notification]:
    """A person's own notifications, newest first."""
    return _with_items(Notification.objects.filter(recipient=person)).order_by("-created_at", "-id")


STATUS_ORDER = Case(
    When(status=Notification.Status.FAILED, then=Value(0)),
    When(status=Notification.Status.SENDING, then=Value(1)),
    When(status=Notification.Status.PENDING, then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


def notifications_all(*, status: str = "", kind: str = "") -> QuerySet[Notification]:
    """Every notification for administrators: failures first, then those under way, then newest."""
    qs = Notification.objects.select_related("recipient")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    ranked: Any = _with_items(qs).annotate(status_rank=STATUS_ORDER)  # the stubs do not know annotations
    return cast("QuerySet[Notification]", ranked.order_by("status_rank", "-created_at", "-id"))


def notification_counts() -> dict[str, int]:
    from django.db.models import Count

    return dict(Notification.objects.values_list("status").annotate(n=Count("id")).order_by())


def preferences_of(*, person: User) -> list[dict[str, Any]]:
    """Each optional kind with whether the person receives it (on unless switched off)."""
    off = set(
        NotificationPreference.objects.filter(person=person, enabled=False).values_list("kind", flat=True)
    )
    return [{"kind": k.value, "label": k.label, "enabled": k.value not in off} for k in OPTIONAL_KINDS]


def personal_data_of(*, person: User) -> dict[str, tuple[str, object]]:
    """The emails the portal sent (or meant to send) a person, those they were copied into, and their
    choices (the privacy app's export)."""
    return {
        "notifications": ("Notifications sent to them", _with_items(Notification.objects.filter(recipient=person))),
        "notifications_copied": (
            "Notifications they were copied into",
            [
                {"sent to": str(n.recipient), "subject": n.subject, "created": n.created_at,
                 "status": n.get_status_display()}
                for n in Notification.objects.filter(cc__icontains=person.email).select_related("recipient")
                if person.email.lower() in {address.lower() for address in n.cc}
            ] if person.email else [],
        ),
        "notification_preferences": (
            "Notification choices", NotificationPreference.objects.filter(person=person).order_by("kind")
        ),
        "notification_preference_history": (
            "Changes to notification choices",
            NotificationPreference.history.filter(person_id=person.pk).order_by("history_date"),
        ),
    }
