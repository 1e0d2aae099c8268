"""The demo-data loaders apps register from their AppConfig.ready(); `seed_demo` (portal) runs them in
dependency order (INSTALLED_APPS), then grows the partnership, then runs the loaders marked `last` (today's
reminders, recorded over everything loaded). Each loader is idempotent and takes
`seed(*, stdout, **options)` (options: the command's `password`, for the app that makes the accounts)."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLoader:
    app: str
    seed: Callable[..., None]
    last: bool = False


_registered: dict[str, DemoLoader] = {}


def demo_data_register(loader: DemoLoader) -> None:
    _registered[loader.app] = loader


def demo_loaders(*, last: bool) -> list[DemoLoader]:
    return [loader for loader in _registered.values() if loader.last == last]
