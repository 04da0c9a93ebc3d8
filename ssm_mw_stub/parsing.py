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

A client whose session sets parser defaults (``session.get_component(
"response_parser_factory").set_parser_defaults(timestamp_parser=...)``, as the AWS CLI does to
keep timestamps as sent) gets its responses from a parser its own factory makes, as it would
from AWS: :func:`parser_for` finds that factory, remembered when the client was created.
"""

from __future__ import annotations

import time
import weakref
from datetime import datetime, timedelta, timezone
from typing import Any

from botocore.parsers import JSONParser, ResponseParser, ResponseParserFactory
from botocore.utils import parse_timestamp as botocore_parse_timestamp
from dateutil.tz import tzlocal

__all__ = [
    "add_factory_recorder", "has_hook", "parse_timestamp", "parser", "parser_for",
    "remember_client",
]

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


# --- each client's own parser factory ---------------------------------------------------

#: A client's request signer (what the ``before-call`` event hands the hook) -> the response
#: parser factory of the client's endpoint. Weak: clients come and go.
_FACTORIES: weakref.WeakKeyDictionary[Any, ResponseParserFactory] = weakref.WeakKeyDictionary()


class _RemembersParserFactory:
    """Mixed into SSM client classes: remembers the client's response parser factory.

    botocore hands ``before-call`` handlers the client's request signer but not the client,
    and announces no event once a client exists; a base class added at
    ``creating-client-class`` (the way boto3 adds its own methods to clients) is the one
    place that sees the finished client.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        remember_client(self)


def remember_client(client: Any) -> None:
    """Remember the response parser factory of ``client``'s endpoint (see :func:`parser_for`)."""
    signer = getattr(client, "_request_signer", None)
    factory = getattr(getattr(client, "_endpoint", None), "_response_parser_factory", None)
    if signer is not None and isinstance(factory, ResponseParserFactory):
        _FACTORIES[signer] = factory


def has_hook(client: Any) -> bool:
    """Whether botocore built ``client`` with the hook: its session had the hook's handlers
    when the client was made, which the client's class shows (the same session's
    ``creating-client-class`` handler added the base class above)."""
    return isinstance(client, _RemembersParserFactory)


def add_factory_recorder(base_classes: list[type], **_: Any) -> None:
    """``creating-client-class.ssm`` handler: SSM clients remember their parser factory."""
    if _RemembersParserFactory not in base_classes:
        base_classes.insert(0, _RemembersParserFactory)


#: The last signer found (weakly) and its factory: calls come from one client at a time far
#: more often than not, and a signer's entry in ``_FACTORIES``, once written (when its
#: client is made, or at its first call inside a mock), never changes.
_last: tuple[weakref.ref[Any], ResponseParserFactory] | None = None


def parser_for(request_signer: Any) -> ResponseParser:
    """The parser a client's responses go through: the shared one, unless the client's
    factory was given parser defaults (then a parser with those defaults, made per response,
    as botocore's endpoint makes one per response and so sees defaults set at any time).

    Always botocore's synchronous ``JSONParser``, never ``factory.create_parser()``:
    aiobotocore's factory makes parsers whose ``parse`` is a coroutine (awaited by its own
    endpoint, which the hook replaces), and for a botocore factory ``JSONParser(**defaults)``
    is exactly what ``create_parser("json")`` builds. aiobotocore's JSON parser differs only
    for event streams, which SSM does not have.
    """
    global _last
    last = _last
    factory: ResponseParserFactory | None
    if last is not None and request_signer is not None and last[0]() is request_signer:
        factory = last[1]
    else:
        try:
            factory = _FACTORIES.get(request_signer)
        except TypeError:  # not weak-referenceable: not a signer botocore made
            factory = None
        if factory is not None:  # an entry, once written, stays the signer's
            _last = (weakref.ref(request_signer), factory)
    defaults = getattr(factory, "_defaults", None) if factory is not None else None
    if not defaults:
        return parser
    return JSONParser(**defaults)
