"""Demo data for training. Idempotent: running it again changes nothing."""


def seed(*, stdout=None) -> None:
    """Nothing yet."""
