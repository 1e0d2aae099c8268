"""The email for a notification, rendered from templates/notifications/emails/<kind>.{txt,html}; sent
by the task itself with Django's mail API, so it knows whether the send succeeded before marking it sent."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Notification

ESCALATED_STAGE = "escalated-"


def _is_escalation(item) -> bool:
    """An item sent to the strategy group's chair because it is long overdue (its key's step, reminders.py)."""
    return item.key.rsplit("|", 1)[-1].startswith(ESCALATED_STAGE)


def _escalated_with_leads(items: list) -> bool:
    """Give each escalated item a `leads` text (the action's leads, by name): the chair needs to know whom to
    ask. Two queries, only when something is escalated. Returns whether anything is."""
    escalated = [item for item in items if _is_escalation(item)]
    if not escalated:
        return False
    from actions.models import Action, Milestone

    action_of = {("action", item.item_id): item.item_id for item in escalated if item.item_type == "action"}
    milestone_ids = [item.item_id for item in escalated if item.item_type == "milestone"]
    action_of.update((("milestone", pk), action_id) for pk, action_id in
                     Milestone.objects.filter(pk__in=milestone_ids).values_list("pk", "action_id"))
    names: dict[int, list[str]] = {}
    for action_id, first, last, email in Action.leads.through.objects.filter(
        action_id__in=set(action_of.values())
    ).values_list("action_id", "user__first_name", "user__last_name", "user__email"):
        names.setdefault(action_id, []).append(f"{first} {last}".strip() or email)
    for item in escalated:
        leads = sorted(names.get(action_of.get((item.item_type, item.item_id)), []))
        item.leads = ", ".join(leads) or "no lead named"
    return True


def notification_context(notification: Notification) -> dict:
    site = settings.SITE_URL.rstrip("/")
    items = list(notification.items.all())
    return {
        "notification": notification,
        "recipient": notification.recipient,
        "items": items,
        "escalated": _escalated_with_leads(items),
        "site_url": site,
        "notifications_url": f"{site}{reverse('notifications:mine')}",
    }


def notification_message(notification: Notification) -> EmailMultiAlternatives:
    context = notification_context(notification)
    template = f"notifications/emails/{notification.kind}"
    message = EmailMultiAlternatives(
        subject=notification.subject,
        body=render_to_string(f"{template}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        cc=[addr for addr in notification.cc if addr != notification.recipient.email],
        headers={"Message-ID": notification.message_id, "X-Notification-Kind": notification.kind},
    )
    message.attach_alternative(render_to_string(f"{template}.html", context), "text/html")
    return message
