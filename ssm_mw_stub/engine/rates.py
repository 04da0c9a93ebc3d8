"""MaxConcurrency and MaxErrors: numbers or percentages of the target count, as Run Command
and Automation apply them.

The documentation only gives exact multiples (10% of 50 targets: stop at the 6th error;
40% of 10: stop at the 5th), so the rounding is this stub's choice (docs/engine-notes.md):
percentages round down, and concurrency never drops below one target at a time.
"""

from __future__ import annotations

__all__ = ["allowed_errors", "concurrency_limit"]


def _percent(value: str) -> int | None:
    return int(value[:-1]) if value.endswith("%") else None


def concurrency_limit(value: str | None, targets: int) -> int:
    """How many targets may run at once: ``"10"`` -> 10, ``"25%"`` of 10 -> 2 (at least 1)."""
    if not value:
        return 1
    percent = _percent(value)
    if percent is None:
        return max(1, int(value))
    return max(1, targets * percent // 100)


def allowed_errors(value: str | None, targets: int) -> int:
    """How many errors are tolerated; the next one stops new invocations.

    ``"0"`` -> 0 (the first error stops), ``"3"`` -> 3 (the fourth stops), ``"10%"`` of 50
    -> 5 (the sixth stops).
    """
    if not value:
        return 0
    percent = _percent(value)
    if percent is None:
        return int(value)
    return targets * percent // 100
