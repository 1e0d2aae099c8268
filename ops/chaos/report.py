"""Time limits for every step, and what each scenario measured and checked (printed, and written to
docs/reliability.md by `run.py --write-doc`)."""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from dataclasses import dataclass, field


class StepTimeout(Exception):
    """A step ran past its time limit (or past the run's)."""


class Clock:
    """The run's deadline and each step's: SIGALRM fires at the nearest one and raises StepTimeout in the main
    thread, wherever it is waiting. Steps nest; leaving one re-arms its parent's limit."""

    def __init__(self, total: float):
        self.began = time.monotonic()
        self.total = total
        self._steps: list[tuple[str, float, float]] = [("the whole run", total, self.began + total)]
        self._previous = signal.signal(signal.SIGALRM, self._expired)
        self._arm()

    def elapsed(self) -> float:
        return time.monotonic() - self.began

    def remaining(self) -> float:
        return self.began + self.total - time.monotonic()

    def _arm(self) -> None:
        deadline = min(end for _, _, end in self._steps)
        signal.setitimer(signal.ITIMER_REAL, max(0.01, deadline - time.monotonic()))

    def _expired(self, *_) -> None:
        name, seconds, _ = min(self._steps, key=lambda step: step[2])
        raise StepTimeout(f"{name}: not done within its {seconds:.0f} s")

    @contextmanager
    def step(self, name: str, seconds: float, *, quiet: bool = False):
        began = time.monotonic()
        self._steps.append((name, seconds, began + seconds))
        self._arm()
        try:
            yield
        finally:
            self._steps.pop()
            self._arm()
            if not quiet:
                print(f"  [{name}: {time.monotonic() - began:.1f} s]", flush=True)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, self._previous)


@dataclass
class Check:
    what: str
    ok: bool
    detail: str = ""


@dataclass
class Scenario:
    number: int
    title: str
    fault: str
    figures: list[tuple[str, str]] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0

    def figure(self, label: str, value) -> None:
        self.figures.append((label, str(value)))
        print(f"  {label:<46} {value}", flush=True)

    def check(self, what: str, ok: bool, detail: str = "") -> bool:
        self.checks.append(Check(what, bool(ok), detail))
        print(f"  CHECK {what}: {'OK' if ok else 'FAILED'}{f' ({detail})' if detail else ''}", flush=True)
        return bool(ok)

    @property
    def passed(self) -> bool:
        return not self.error and bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def verdict(self) -> str:
        return "PASS" if self.passed else "FAIL"


def markdown(scenarios: list[Scenario], *, header: list[str]) -> str:
    """The figures of a run, as docs/reliability.md shows them."""
    lines = [*header, ""]
    for s in scenarios:
        lines.append(f"#### {s.number}. {s.title}: **{s.verdict}** ({s.seconds:.0f} s)")
        lines.append("")
        lines.append(f"Fault: {s.fault}")
        lines.append("")
        if s.figures:
            lines.append("| measured | |")
            lines.append("|---|---|")
            lines.extend(f"| {label} | {value.replace('|', '/')} |" for label, value in s.figures)
            lines.append("")
        for c in s.checks:
            mark = "ok" if c.ok else "**FAILED**"
            lines.append(f"- {mark}: {c.what}{f' — {c.detail}' if c.detail else ''}")
        if s.error:
            lines.append(f"- **stopped**: {s.error}")
        lines.append("")
    return "\n".join(lines)
