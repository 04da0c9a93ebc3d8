"""The fake clock: the only source of "now" inside a mock.

The clock never moves by itself. Real time would make tests flaky and would let a
window fire while a test is half-way through its set-up; instead the test says when
time passes (``mw.advance``), and the engine replays everything that happens in between.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from dateutil.parser import isoparse

__all__ = ["FakeClock", "parse_instant"]


def parse_instant(value: datetime | str, *, what: str = "start") -> datetime:
    """Turn an aware datetime or an ISO 8601 string into an aware UTC datetime.

    Naive datetimes are refused rather than guessed at: a test that says "16:00" without
    a zone would silently mean something else on a CI machine in another zone.
    """
    if isinstance(value, str):
        try:
            parsed = isoparse(value)
        except (ValueError, OverflowError) as exc:
            raise ValueError(
                f"{what} must be an ISO 8601 timestamp with an offset, such as "
                f"'2026-11-24T00:00:00Z'; got {value!r} ({exc})"
            ) from None
    elif isinstance(value, datetime):
        parsed = value
    else:
        raise TypeError(
            f"{what} must be an aware datetime or an ISO 8601 string, not {type(value).__name__}"
        )
    if parsed.tzinfo is None or parsed.tzinfo.utcoffset(parsed) is None:
        raise ValueError(
            f"{what} must be timezone-aware (for example 2026-11-24T00:00:00Z or "
            f"datetime(..., tzinfo=timezone.utc)); got the naive {parsed.isoformat()}"
        )
    return parsed.astimezone(timezone.utc)


class FakeClock:
    """A settable UTC clock that only moves forward."""

    __slots__ = ("_now",)

    def __init__(self, start: datetime | str | None = None) -> None:
        if start is None:
            start = datetime.now(timezone.utc).replace(second=0, microsecond=0)
        self._now = parse_instant(start)

    @property
    def now(self) -> datetime:
        """The current simulated instant (aware, UTC)."""
        return self._now

    def set(self, when: datetime) -> None:
        """Move to ``when``; moving backwards is refused because history is already written."""
        if when < self._now:
            raise ValueError(
                f"the clock cannot go back: it is {self._now.isoformat()}, "
                f"asked for {when.isoformat()}"
            )
        self._now = when

    def target(self, delta: timedelta) -> datetime:
        """The instant ``delta`` from now, refusing negative and non-timedelta steps."""
        if not isinstance(delta, timedelta):
            raise TypeError(f"advance() takes a datetime.timedelta, not {type(delta).__name__}")
        if delta < timedelta(0):
            raise ValueError(f"advance() takes a non-negative timedelta; got {delta}")
        return self._now + delta
