"""What each app holds about people, registered from its AppConfig.ready() for privacy to gather (the way
pretix's data shredders are registered): the export's sections, the anonymiser, the audit log's history
tables and the retention job's clean-ups. privacy never names an app (docs/privacy.md)."""

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db.models import Q, QuerySet


class Redact(Protocol):
    """What an app's anonymiser is handed (privacy.redaction.Redactor): rewrites text naming the person."""

    first_name: str  # the placeholder's names and email, which replace the person's own
    last_name: str
    email: str
    emails: set[str]  # the person's own addresses

    def __call__(self, text: str) -> str: ...
    def q(self, *fields: str, prefix: str = "") -> Q: ...
    def rewrite(self, queryset: QuerySet[Any], fields: list[str]) -> int: ...
    def rewrite_json(self, queryset: QuerySet[Any], fields: list[str]) -> int: ...
    def json(self, value: Any) -> Any: ...


@dataclass(frozen=True)
class AuditedHistory:
    """A django-simple-history table the audit log reads: `about` is its column naming the person."""

    source: str  # the audit log's key for it, e.g. "staff_profile"
    title: str  # as the audit log shows it, e.g. "Staff profile"
    model: type  # the model whose history it is
    about: str  # e.g. "user_id"


@dataclass(frozen=True)
class PersonalData:
    """One app's part: `export` gives {key: (title, rows)}, `anonymise` rewrites and counts, `retention`
    clears by kind. The accounts' app (`accounts`) is anonymised last and told who asked (`by`)."""

    app: str  # the app's label, as its models' history rows name it
    title: str
    export: Callable[..., Mapping[str, tuple[str, Any]]]
    anonymise: Callable[..., Mapping[str, int]]
    audited: tuple[AuditedHistory, ...] = ()
    retention: Mapping[str, Callable[[dt.datetime], int]] = field(default_factory=dict)
    accounts: bool = False


_registered: dict[str, PersonalData] = {}  # by app, in the order apps registered (INSTALLED_APPS: dependency order)


def personal_data_register(provider: PersonalData) -> None:
    _registered[provider.app] = provider


def personal_data_providers() -> list[PersonalData]:
    """Every app's part, in dependency order (the export's order)."""
    return list(_registered.values())


def personal_data_anonymise_order() -> list[PersonalData]:
    """Highest app first, the app holding the accounts last."""
    return sorted(reversed(personal_data_providers()), key=lambda provider: provider.accounts)
