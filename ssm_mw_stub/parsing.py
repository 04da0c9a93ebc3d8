"""botocore's JSON response parser, with a faster but identical timestamp conversion.

Responses reach the caller through botocore's own parser (``botocore.parsers.JSONParser``),
so every member is shaped exactly as from AWS. The one costly step in it is not the parsing
but the timestamp conversion: botocore's default, ``botocore.utils.parse_timestamp``, builds a
new ``dateutil.tz.tzlocal()`` for every timestamp and converts through it, about half the cost
of parsing a GetMaintenanceWindow response. The parser takes a ``timestamp_parser`` argument for
exactly this kind of replacement; :func:`parse_timestamp` below returns the very same value
(equal, same ``tzlocal`` tzinfo, same ``fold``) in a fraction of the time:

* ``tzlocal`` instances hold nothing but what they read from the ``time`` module when built, so
  one instance is reused for as long as those values stay the same (``time.tzset()`` after a
  ``TZ`` change makes a new one).
* When the local zone has no daylight saving time, ``tzlocal`` converts an instant by adding
  its fixed offset, with fold 0; a ``datetime.timezone`` of that offset does the same
  arithmetic in C, and the result takes the ``tzlocal`` instance as its tzinfo.
* Anything else (a zone with DST, a string, an out-of-range value) takes botocore's path.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.parsers import JSONParser
from botocore.utils import parse_timestamp as botocore_parse_timestamp
from dateutil.tz import tzlocal

__all__ = ["parse_timestamp", "parser"]

#: (the ``time`` module's zone settings, the tzlocal built from them, the fixed offset as a
#: ``datetime.timezone`` when the zone has no DST, else None).
_Local = tuple[tuple[int, int, int, tuple[str, ...]], tzlocal, timezone | None]
_local: _Local | None = None


def _local_zone() -> _Local:
    """The cached ``tzlocal`` of the current ``time`` settings (rebuilt when they change)."""
    global _local
    settings = (time.timezone, time.altzone, time.daylight, tuple(time.tzname))
    local = _local
    if local is None or local[0] != settings:
        zone = tzlocal()
        has_dst = getattr(zone, "_hasdst", True)
        fixed = None if has_dst else timezone(timedelta(seconds=-time.timezone))
        local = _local = (settings, zone, fixed)
    return local


def parse_timestamp(value: Any) -> datetime:
    """Exactly ``botocore.utils.parse_timestamp(value)``, without its per-call ``tzlocal``."""
    if isinstance(value, (int, float)):
        _, zone, fixed = _local_zone()
        try:
            if fixed is not None:
                return datetime.fromtimestamp(value, fixed).replace(tzinfo=zone)
            return datetime.fromtimestamp(value, zone)
        except (OSError, OverflowError, ValueError):
            pass  # botocore's fallbacks decide
    return botocore_parse_timestamp(value)


#: The parser every response goes through. botocore's parsers keep no per-response state.
parser = JSONParser(timestamp_parser=parse_timestamp)
