"""Durations as people type them (``30s``, ``15m``, ``4h``, ``7d``) or as ISO 8601 (``PT4H``).

The command line and the control API take a duration as text; the remote handle sends a
``timedelta`` as ISO 8601 (:func:`format_duration`), which :func:`parse_duration` reads
back exactly, to the microsecond. ISO 8601 years and months are refused: their length
depends on the date they start from, and ``advance`` moves by a fixed amount.
"""

from __future__ import annotations

import re
from datetime import timedelta

__all__ = ["duration_from_json", "format_duration", "parse_duration"]

#: One or more ``<number><unit>`` parts: ``90s``, ``1h30m``, ``1.5h``, ``2w``.
_SHORT = re.compile(r"(?:\d+(?:\.\d+)?[wdhms])+")
_SHORT_PART = re.compile(r"(\d+(?:\.\d+)?)([wdhms])")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
#: ISO 8601 durations without years and months: ``P7D``, ``PT4H``, ``P1DT2H30M``, ``P2W``,
#: ``PT0.5S``.
_ISO = re.compile(
    r"P(?:(?P<weeks>\d+(?:\.\d+)?)W)?(?:(?P<days>\d+(?:\.\d+)?)D)?"
    r"(?:T(?:(?P<hours>\d+(?:\.\d+)?)H)?(?:(?P<minutes>\d+(?:\.\d+)?)M)?"
    r"(?:(?P<seconds>\d+(?:\.\d+)?)S)?)?"
)
#: The largest duration accepted: what a ``timedelta`` can hold, with room for the clock.
_LIMIT = timedelta(days=100 * 366)


def parse_duration(text: str) -> timedelta:
    """``30s``, ``15m``, ``4h``, ``7d``, ``2w``, ``1h30m`` or ISO 8601 (``PT4H``, ``P7D``,
    ``P1DT2H``) as a ``timedelta``. Raises ``ValueError`` naming the forms it takes."""
    if not isinstance(text, str):
        raise TypeError(f"a duration is a string such as '7d' or 'PT4H'; got {text!r}")
    value = text.strip()
    try:
        if _SHORT.fullmatch(value):
            delta = sum(
                (timedelta(**{_UNITS[unit]: float(number)})
                 for number, unit in _SHORT_PART.findall(value)),
                timedelta(0),
            )
            return _bounded(delta, text)
        iso = _ISO.fullmatch(value.upper())
        if iso and value.upper() not in ("P", "PT") and not value.upper().endswith("T"):
            parts = {name: float(number) for name, number in iso.groupdict().items() if number}
            return _bounded(timedelta(**parts), text)
    except OverflowError:
        pass
    raise ValueError(
        f"{text!r} is not a duration: use a number and a unit (30s, 15m, 4h, 7d, 2w, or "
        "several, as in 1h30m) or ISO 8601 without years and months (PT4H, P7D, P1DT2H30M)"
    )


def _bounded(delta: timedelta, text: str) -> timedelta:
    if delta > _LIMIT:
        raise ValueError(f"the duration {text!r} is longer than 100 years")
    return delta


def format_duration(delta: timedelta) -> str:
    """A non-negative ``timedelta`` as ISO 8601 (``P7D``, ``PT4H30M``, ``PT0.000001S``),
    which :func:`parse_duration` reads back to the same ``timedelta``."""
    if delta < timedelta(0):
        raise ValueError(f"a duration cannot be negative; got {delta}")
    days = delta.days
    minutes, seconds = divmod(delta.seconds, 60)
    hours, minutes = divmod(minutes, 60)
    text = "P" + (f"{days}D" if days else "")
    time = (f"{hours}H" if hours else "") + (f"{minutes}M" if minutes else "")
    if delta.microseconds:
        time += f"{seconds}.{delta.microseconds:06d}S"
    elif seconds:
        time += f"{seconds}S"
    if time:
        text += "T" + time
    return text if text != "P" else "PT0S"


def duration_from_json(value: object) -> timedelta:
    """A duration as JSON carries it: a number of seconds, or text (``10m``, ``PT10M``)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise TypeError(f"a duration is a number of seconds or text such as '10m'; got {value!r}")
    if isinstance(value, str):
        return parse_duration(value)
    if not value >= 0:  # also NaN
        raise ValueError(f"a duration is a non-negative number of seconds; got {value}")
    try:
        return _bounded(timedelta(seconds=value), str(value))
    except OverflowError:
        raise ValueError(f"the duration {value} seconds is longer than 100 years") from None
