"""How the timelines write instants, durations and statuses, in text and in HTML alike."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo

__all__ = [
    "STATUS_ORDER",
    "count_statuses",
    "duration",
    "instant",
    "severity",
    "time_of_day",
    "zone_abbreviation",
]

#: Every status an execution, task or invocation can have, the most telling first: where
#: two share a column of the text chart, the earlier one is drawn. The order is also the
#: order of status counts.
STATUS_ORDER = (
    "FAILED",
    "TIMED_OUT",
    "CANCELLED",
    "CANCELLING",
    "IN_PROGRESS",
    "PENDING",
    "SKIPPED_OVERLAPPING",
    "SUCCESS",
)
_RANK = {status: rank for rank, status in enumerate(STATUS_ORDER)}


def severity(status: str) -> int:
    """Lower is more telling; statuses this module does not know come last."""
    return _RANK.get(status, len(STATUS_ORDER))


def count_statuses(statuses: list[str]) -> str:
    """``"3 SUCCESS, 1 FAILED"``: the statuses present, SUCCESS first, then by severity."""
    counts: dict[str, int] = {}
    for status in statuses:
        counts[status] = counts.get(status, 0) + 1
    ordered = sorted(counts, key=lambda s: (s != "SUCCESS", severity(s), s))
    return ", ".join(f"{counts[status]} {status}" for status in ordered)


def duration(delta: timedelta) -> str:
    """A short duration: ``0s``, ``45s``, ``3m``, ``3m05s``, ``1h05m``, ``2d04h``."""
    seconds = int(delta.total_seconds())
    if seconds < 0:
        seconds = 0
    if seconds == 0 and delta > timedelta(0):
        return "<1s"
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{seconds:02d}s" if seconds else f"{minutes}m"
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"
    days, hours = divmod(hours, 24)
    return f"{days}d{hours:02d}h" if hours else f"{days}d"


def zone_abbreviation(when: datetime, zone: tzinfo) -> str:
    """The zone's abbreviation at ``when`` (``PST``, ``CEST``, ``UTC``, ``+03``)."""
    return when.astimezone(zone).tzname() or "UTC"


def instant(when: datetime, zone: tzinfo) -> str:
    """``2026-11-24 16:00:00 PST``: a full instant in ``zone``."""
    local = when.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or 'UTC'}"


def time_of_day(when: datetime, zone: tzinfo, day_of: datetime | None = None) -> str:
    """``16:00:00`` in ``zone``; with the date in front when it is not the day of
    ``day_of`` (work that ran past midnight)."""
    local = when.astimezone(zone)
    if day_of is not None and local.date() != day_of.astimezone(zone).date():
        return f"{local:%m-%d %H:%M:%S}"
    return f"{local:%H:%M:%S}"
