"""Zones, dates and the service's rendering of instants.

Zones come from :mod:`zoneinfo`, backed by the ``tzdata`` package (a declared dependency),
so schedules behave the same on a developer laptop, in a slim container without
``/usr/share/zoneinfo`` and on Windows.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zoneinfo import ZoneInfo

from .errors import ScheduleError

__all__ = [
    "UTC",
    "ZERO",
    "format_execution_time",
    "load_zone",
    "localize",
    "parse_date",
    "validate_timezone",
    "wall_clock",
]

UTC = timezone.utc
ZERO = timedelta(0)

# Files some zone databases carry that are not IANA zone IDs (java.time, which the service
# presumably uses, does not know them either).
_NOT_ZONE_IDS = frozenset({"localtime", "posixrules", "Factory"})

_DATE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2})"
    r"(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?"
    r"([Zz]|[+-][0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?"
)


@lru_cache(maxsize=1)
def _zone_ids() -> dict[str, str]:
    """Case-folded IANA zone ID -> its canonical spelling (computed once: it walks tzdata).

    zoneinfo is imported on first use, which keeps it out of the package's import time.
    """
    from zoneinfo import available_timezones

    return {name.casefold(): name for name in available_timezones() - _NOT_ZONE_IDS}


@lru_cache(maxsize=256)
def load_zone(name: str) -> ZoneInfo:
    """The ZoneInfo for an IANA zone ID, matched case-insensitively (the console itself writes
    ``etc/UTC``); ScheduleError naming the zone when there is no such zone."""
    canonical = _zone_ids().get(name.casefold()) if isinstance(name, str) else None
    if canonical is None:
        raise ScheduleError(
            f'ScheduleTimezone "{name}" is not a valid time zone: use an IANA time zone ID '
            'such as "America/Los_Angeles", "Asia/Seoul" or "UTC"',
            parameter="ScheduleTimezone",
        )
    from zoneinfo import ZoneInfo

    return ZoneInfo(canonical)


def validate_timezone(name: str) -> None:
    """Raise ScheduleError for anything that is not an IANA zone ID."""
    load_zone(name)


def parse_date(value: str, field: str) -> datetime:
    """ISO 8601 date and time -> aware datetime (in the offset it was given in).

    Accepted: ``2021-04-07T14:29:00-08:00``, ``2021-04-07T22:29Z``, fractions of a second
    (beyond microseconds truncated), and the same without an offset, which is UTC: the user
    guide ("Maintenance window scheduling and active period options") lets dates be given
    "with or without an offset" and says the time zone option and the dates "do not
    influence each other", so an offset-less date is not read in ScheduleTimezone.
    """
    example = '"2021-04-07T14:29:00-08:00" or "2021-04-07T22:29:00Z"'
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        raise ScheduleError(
            f'{field} "{value}" is not a valid date: use ISO 8601, for example {example}',
            parameter=field,
        )
    year, month, day, hour, minute, second, fraction, offset_text = match.groups()
    try:
        offset = _parse_offset(offset_text) if offset_text else UTC
        parsed = datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second or 0),
            int((fraction or "0").ljust(6, "0")[:6]), offset,
        )
        parsed.astimezone(UTC)  # the instant itself must exist (not before year 1 in UTC)
    except (ValueError, OverflowError) as exc:
        raise ScheduleError(
            f'{field} "{value}" is not a valid date ({exc}); use ISO 8601, for example '
            f"{example}",
            parameter=field,
        ) from None
    return parsed


def _parse_offset(text: str) -> tzinfo:
    if text in ("Z", "z"):
        return UTC
    sign = -1 if text[0] == "-" else 1
    parts = [int(part) for part in text[1:].split(":")]
    hours, minutes, seconds = parts[0], parts[1], parts[2] if len(parts) == 3 else 0
    if minutes > 59 or seconds > 59 or hours * 3600 + minutes * 60 + seconds > 18 * 3600:
        raise ValueError(f"offset {text} is outside -18:00..+18:00")
    delta = timedelta(hours=hours, minutes=minutes, seconds=seconds)
    return UTC if not delta else timezone(sign * delta)


def format_execution_time(when: datetime) -> str:
    """Render like the service renders NextExecutionTime / ExecutionTime: Java
    ``OffsetDateTime.toString()`` of ``when`` in its own zone offset.

    ``2019-02-03T02:00-08:00``, ``2020-02-19T16:00Z``, ``2019-05-11T16:46:16.991Z``: seconds
    omitted when seconds and fraction are zero, ``Z`` for offset 0, the fraction printed only
    when non-zero, as 3 or 6 digits (Java's groups of three; Python has no nanoseconds).
    """
    offset = when.utcoffset()
    if offset is None:
        raise ValueError(f"format_execution_time needs an aware datetime, got {when!r}")
    text = f"{when.year:04}-{when.month:02}-{when.day:02}T{when.hour:02}:{when.minute:02}"
    if when.second or when.microsecond:
        text += f":{when.second:02}"
        if when.microsecond % 1000:
            text += f".{when.microsecond:06}"
        elif when.microsecond:
            text += f".{when.microsecond // 1000:03}"
    total = int(offset.total_seconds())
    if total == 0:
        return text + "Z"
    sign = "-" if total < 0 else "+"
    hours, rest = divmod(abs(total), 3600)
    minutes, seconds = divmod(rest, 60)
    text += f"{sign}{hours:02}:{minutes:02}"
    return text + f":{seconds:02}" if seconds else text


def wall_clock(instant: datetime, zone: tzinfo) -> datetime:
    """The naive wall-clock reading of an aware ``instant`` in ``zone``."""
    return instant.astimezone(zone).replace(tzinfo=None, fold=0)


def localize(wall: datetime, zone: tzinfo) -> datetime | None:
    """The instant a naive wall-clock time names in ``zone``, by the EventBridge Scheduler rule.

    A time that does not exist (spring-forward gap) gives None: it is skipped. A time that
    occurs twice (fall-back overlap) gives its first occurrence (``fold=0`` is, by PEP 495,
    the earlier one). A zoneinfo zone answers both questions through ``utcoffset``: fold 0
    and fold 1 only disagree inside a gap (offset grows) or an overlap (offset shrinks).
    """
    first = wall.replace(tzinfo=zone, fold=0)
    if zone is UTC:
        return first
    before = first.utcoffset() or ZERO
    after = wall.replace(tzinfo=zone, fold=1).utcoffset() or ZERO
    return None if after > before else first
