"""The email for a notification, rendered from templates/notifications/emails/<kind>.{txt,html}.

Sent by the `notification_send` task with Django's mail API directly: the task is the sender, and it
must know whether the send succeeded before it marks the notification sent.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Notification


def notification_context(notification: Notification) -> dict:
    site = settings.SITE_URL.rstrip("/")
    return {
        "notification": notification,
        "recipient": notification.recipient,
        "items": list(notification.items.all()),
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
