"""``patch_time=True``: the code under test reads the fake clock as its own.

``datetime.now()``, ``datetime.utcnow()``, ``date.today()``, ``time.time()``,
``time.localtime()``, ``time.strftime()`` and friends answer ``mw.now`` while the mock is
active, and move whenever the fake clock moves: at the end of every ``advance()`` and at each
simulated instant inside it, so a task handler sees the instant it runs at. The patching is
time-machine's (https://github.com/adamchainz/time-machine), an optional extra
(``pip install "ssm-mw-stub[time]"``), imported only when a mock asks for it.
``time.monotonic()`` and ``time.perf_counter()`` are left alone (time-machine does not patch
them), so timeouts and back-off in the code under test keep working.

The destination handed to time-machine is an aware datetime in :data:`_UTC`, a UTC zone that
time-machine does not recognise as UTC: an epoch float would lose microseconds (a float has
about 0.2 us of resolution today), and a datetime in ``timezone.utc`` or a ``ZoneInfo`` makes
time-machine set ``TZ`` for the process, which would change the app's local time zone.
"""

from __future__ import annotations

import importlib.metadata
import re
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

from .clock import FakeClock

if TYPE_CHECKING:
    from types import ModuleType

__all__ = ["EXTRA_HINT", "TIME_MACHINE_FLOOR", "FollowedClock", "require_time_machine"]

EXTRA_HINT = 'pip install "ssm-mw-stub[time]"'

_ZERO = timedelta(0)


class _QuietUtc(tzinfo):
    """UTC, under a name time-machine does not take for UTC (so it leaves ``TZ`` alone)."""

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return _ZERO

    def dst(self, dt: datetime | None) -> timedelta:
        return _ZERO

    def tzname(self, dt: datetime | None) -> str:
        return "UTC"


_UTC = _QuietUtc()


#: The first time-machine release patch_time works with: 2.10 to 2.18 crash the interpreter
#: when travel starts inside freezegun's freeze_time, and later ones before 3.3.1 miss that
#: refusal or return ``time_ns`` a few nanoseconds off (pyproject.toml's floor is the same).
TIME_MACHINE_FLOOR = (3, 3, 1)


def require_time_machine() -> ModuleType:
    """time-machine, or an ImportError that names the extra to install (also when the
    installed release is older than the floor: pip keeps an old one that another package
    brought unless told to upgrade, and those releases crash rather than fail)."""
    try:
        found = importlib.metadata.version("time-machine")
    except importlib.metadata.PackageNotFoundError:
        found = None
    if found is not None and _release(found) < TIME_MACHINE_FLOOR:
        floor = ".".join(map(str, TIME_MACHINE_FLOOR))
        raise ImportError(
            f"mock_maintenance_windows(patch_time=True) needs time-machine {floor} or later; "
            f"{found} is installed, whose releases crash or drift under patch_time: "
            f'pip install --upgrade "time-machine>={floor}"'
        )
    try:
        import time_machine
    except ImportError:
        raise ImportError(
            "mock_maintenance_windows(patch_time=True) makes the code under test read the "
            "fake clock through the time-machine package, which is not installed: "
            f"{EXTRA_HINT}"
        ) from None
    return time_machine


def _release(version: str) -> tuple[int, ...]:
    """The leading numbers of a version string: ``"3.3.1"`` -> (3, 3, 1), ``"3.4.0rc1"`` ->
    (3, 4, 0)."""
    numbers = []
    for part in version.split("."):
        digits = re.match(r"\d+", part)
        if digits is None:
            break
        numbers.append(int(digits.group()))
        if digits.group() != part:
            break
    return tuple(numbers)


class FollowedClock(FakeClock):
    """A fake clock the process's wall clock follows while it is switched on."""

    __slots__ = ("_travel", "_traveller")

    def __init__(self, start: datetime | str | None = None) -> None:
        super().__init__(start)
        self._travel: Any = None
        self._traveller: Any = None

    def switch_on(self) -> None:
        """Start time travel to the clock's instant (ticking off: time stands still until
        the fake clock moves)."""
        time_machine = require_time_machine()
        travel = time_machine.travel(self.now.astimezone(_UTC), tick=False)
        try:
            self._traveller = travel.start()
        except RuntimeError as exc:
            if "freezegun" not in str(exc):
                raise
            raise RuntimeError(
                "mock_maintenance_windows(patch_time=True) cannot start inside freezegun's "
                "freeze_time: patch_time uses time-machine, which refuses to run while "
                "freezegun is active. Use one of the two: drop freeze_time and let patch_time "
                "drive the app's clock, or keep freeze_time without patch_time and move it "
                "with the mock (frozen.move_to(mw.now) after each advance())."
            ) from exc
        self._travel = travel

    def switch_off(self) -> None:
        """Stop time travel (idempotent)."""
        travel, self._travel, self._traveller = self._travel, None, None
        if travel is not None:
            travel.stop()

    def set(self, when: datetime) -> None:
        super().set(when)
        traveller = self._traveller
        if traveller is not None:
            traveller.move_to(when.astimezone(_UTC))
