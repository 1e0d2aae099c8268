"""The demo-data loaders apps register; `seed_demo` runs them in dependency order, grows the partnership,
then runs the `last` ones. Each is idempotent: `seed(*, stdout, **options)`."""

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
