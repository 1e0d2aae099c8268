"""Writes about people: accounts and profiles. Also the one way the portal sends email."""

from collections.abc import Iterable

from django.contrib.auth.models import Group
from django.db import transaction
from django.template.loader import render_to_string

from .models import User
from .permissions import Role


def email_send_on_commit(
    *,
    to: Iterable[str],
    subject: str,
    template: str,
    context: dict,
    cc: Iterable[str] = (),
    attachments: Iterable[tuple[str, str, str]] = (),
) -> None:
    """Render an email now (from `<template>.txt` and `<template>.html`) and send it through Celery once
    the surrounding transaction commits, so a rolled-back change never mails anyone.

    attachments: (filename, text content, mimetype), e.g. an .ics invitation.
    """
    from .tasks import email_send

    payload = {
        "to": sorted(set(to)),
        "cc": sorted(set(cc) - set(to)),
        "subject": subject,
        "text": render_to_string(f"{template}.txt", context),
        "html": render_to_string(f"{template}.html", context),
        "attachments": [list(item) for item in attachments],
    }
    if not payload["to"]:
        return
    transaction.on_commit(lambda: email_send.delay(payload))


def user_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    password: str | None = None,
    roles: Iterable[Role] = (),
) -> User:
    with transaction.atomic():
        user = User.objects.create_user(email=email, password=password, first_name=first_name, last_name=last_name)
        user_roles_set(user=user, roles=roles)
    return user


def user_roles_set(*, user: User, roles: Iterable[Role]) -> None:
    """Make the user's groups exactly the given roles."""
    roles = set(roles)
    user.groups.set([Group.objects.get_or_create(name=role.value)[0] for role in roles])
    user.is_staff = Role.ADMINISTRATOR in roles or user.is_superuser
    user.save(update_fields=["is_staff"])
    if hasattr(user, "_roles_cache"):
        del user._roles_cache


def user_account_update(*, user: User, first_name: str, last_name: str, phone: str) -> User:
    user.first_name = first_name.strip()
    user.last_name = last_name.strip()
    user.phone = phone.strip()
    user.save(update_fields=["first_name", "last_name", "phone"])
    return user
