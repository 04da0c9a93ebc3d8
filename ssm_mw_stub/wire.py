"""The per-call path's wire work, and every speed trick of it, each beside its plain twin.

A call reads hook -> service -> operation; what it does to bytes happens here: the request
body decoded, the response encoded, an error worded as a body, the HTTP ``Date`` header
written, the response handed to botocore, and the timestamps botocore's parser converts.
Five of those steps have a fast form that buys at least 3 % of a call, measured by
``benchmarks/bench_calls.py --tricks``: each fast form side by side with its plain twin in
one process, by CPU time (all five) and by callgrind's instruction counts (all but the Date
header's, which costs more time than instructions); the figures are in docs/benchmarks.md.
The rest is written plainly. The fast forms and their twins:

=============  ======================================  =====================================
trick          fast form                               plain twin
=============  ======================================  =====================================
decode         json's scanner from position 0, and a   ``json.loads``, then every body
               text search for ``null`` before the     walked for nulls
               walk that drops nulls
timestamps     one ``tzlocal`` kept while the zone     ``botocore.utils.parse_timestamp``
               settings stay; a fixed-offset zone's
               conversion done by ``datetime.timezone``
response       ``LazyResponse``: botocore's header     ``StubResponse``: the header mapping
               mapping built only when read            built as ``AWSResponse`` builds it
predicates     (service/predicates.py) one generated   the checkers that word the problems
               "is it valid?" function per shape       (service/validation.py)
date           the Date header written once per        ``email.utils.format_datetime``
               instant of the fake clock               every call
=============  ======================================  =====================================

Each twin pair has a differential property test on the same inputs (tests/test_wire.py;
the timestamps' in tests/test_parsing.py).
:func:`plain` switches tricks to their twins (benchmarks, tests); the call path never
switches. Tricks that bought less than 3 % were removed (docs/benchmarks.md lists them).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from botocore.awsrequest import AWSResponse, HeadersDict
from botocore.utils import parse_timestamp as parse_timestamp_plain
from dateutil.tz import tzlocal

if TYPE_CHECKING:
    from botocore.model import OperationModel

__all__ = [
    "TRICKS", "BodyError", "CallRecord", "LazyResponse", "Pair", "StubResponse", "Trick", "decode",
    "decode_plain", "decode_text", "encode", "error_body", "http_date", "http_date_fast",
    "http_date_plain", "parse_timestamp", "parse_timestamp_fast", "parse_timestamp_plain",
    "plain", "register", "response",
]

#: A request body decoded: the object, and whether it may hold a JSON null.
Decoded = tuple[Any, bool]


# --- the switchboard ----------------------------------------------------------------------


@dataclass(frozen=True)
class Trick:
    """One speed trick of the call path: its name, what it does, and how to switch it
    between its fast form (``switch(True)``, the default) and its plain twin."""

    name: str
    what: str
    switch: Callable[[bool], None]


#: Every trick, by name (``predicates`` registers itself when the service loads).
TRICKS: dict[str, Trick] = {}


def register(name: str, what: str, switch: Callable[[bool], None]) -> None:
    """Add a trick to the switchboard (idempotent: a reloaded module re-registers)."""
    TRICKS[name] = Trick(name, what, switch)


@contextmanager
def plain(*names: str) -> Iterator[None]:
    """Run the block with the named tricks on their plain twins (all of them when no name
    is given); for benchmarks and differential tests, never for the call path itself."""
    chosen = [TRICKS[name] for name in (names or tuple(TRICKS))]
    for trick in chosen:
        trick.switch(False)
    try:
        yield
    finally:
        for trick in chosen:
            trick.switch(True)


F = TypeVar("F", bound=Callable[..., Any])


class Pair(Generic[F]):
    """A trick's fast form and its plain twin, registered on the switchboard; ``use`` is
    the one the call path calls (the fast form unless :func:`plain` says otherwise)."""

    __slots__ = ("fast", "plain", "use")

    def __init__(self, name: str, what: str, fast: F, plain: F) -> None:
        self.fast, self.plain, self.use = fast, plain, fast
        register(name, what, self.switch)

    def switch(self, fast: bool) -> None:
        self.use = self.fast if fast else self.plain


# --- request bodies: decode ---------------------------------------------------------------

_decoder = json.JSONDecoder()
#: The decoder's scanner: one object from the start of a string, without ``decode``'s two
#: whitespace matches (a body that is more than one object is handed to ``decode``).
_scan: Callable[[str, int], tuple[Any, int]] = _decoder.scan_once  # type: ignore[attr-defined]


def decode_text(body: bytes | str) -> Decoded:
    """Fast form: for a UTF-8 body that starts with ``{`` (what SDKs send), what
    ``json.loads`` would detect, minus the detection, and the scanner run from position 0.
    Whether a null may be present is a search for ``null`` in the decoded text, where
    ``in`` is several times cheaper than the walk (and than on bytes; UTF-8 keeps ASCII
    bytes as themselves). Anything else, and any error, takes ``json.loads``'s path, so
    its words are the error's."""
    if isinstance(body, bytes) and body[:1] == b"{" and body[1:2] != b"\x00":
        text = body.decode("utf-8", "surrogatepass")
        try:
            request, end = _scan(text, 0)
        except (StopIteration, ValueError):
            end = -1
        if end != len(text):  # trailing text or an error: json's own words for it
            request = _decoder.decode(text)
        return request, "null" in text
    return json.loads(body), True


def decode_plain(body: bytes | str) -> Decoded:
    """Plain twin: ``json.loads``, and every body walked for nulls."""
    return json.loads(body), True


_DECODE = Pair("decode", "json's scanner and a text search for null", decode_text, decode_plain)


class BodyError(ValueError):
    """A request body that is not a JSON object; the text is what the service says."""


def decode(body: bytes | str) -> Any:
    """The request's JSON object, with members sent as null removed at every depth (AWS
    treats a null member as an absent one, and records echo nested inputs back).

    Raises :class:`BodyError` for anything but a JSON object.
    """
    if not body:
        return {}
    try:
        request, may_hold_null = _DECODE.use(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BodyError(f"The request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise BodyError("The request body is not valid JSON: it is nested too deeply") from None
    if not isinstance(request, dict):
        raise BodyError("The request body must be a JSON object")
    if may_hold_null:
        _drop_nulls(request)
    return request


def _drop_nulls(request: dict[str, Any]) -> None:
    """Remove members sent as JSON null, at every depth, in place. Iterative, because the
    body may nest as deep as json could decode."""
    stack: list[Any] = [request]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in [key for key, value in item.items() if value is None]:
                del item[key]
            stack.extend(value for value in item.values() if isinstance(value, (dict, list)))
        elif isinstance(item, list):
            stack.extend(value for value in item if isinstance(value, (dict, list)))


# --- response bodies: encode --------------------------------------------------------------

#: One compact encoder for every response (``json.dumps`` with options builds one per call).
#: Responses are built fresh from the service's records and decoded JSON, which hold no
#: reference cycles, so the encoder does not keep a table of the containers it is inside.
_encoder = json.JSONEncoder(separators=(",", ":"), check_circular=False)


def encode(value: Any) -> bytes:
    """A response body: compact JSON, as AWS sends it."""
    return _encoder.encode(value).encode()


def error_body(code: str, message: str) -> bytes:
    """An error body of AWS JSON 1.1. Modeled exceptions serialise their ``Message`` member
    as the model names it; the framework-level ValidationException uses the lower-case
    ``message`` of AWS JSON. (Server mode's own refusals of a request are worded by
    ``server/wire.py``.)"""
    key = "message" if code == "ValidationException" else "Message"
    return json.dumps({"__type": code, key: message}).encode()


def http_date_plain(when: datetime) -> str:
    """Plain twin: an HTTP ``Date`` header value from the fake clock's aware datetime."""
    return format_datetime(when, usegmt=True)


#: The last instant written and its text. The fake clock moves only when the test says so,
#: and keeps one datetime object per instant, so most calls ask for the same object.
_last_date: tuple[datetime, str] | None = None


def http_date_fast(when: datetime) -> str:
    """Fast form: ``http_date_plain``, written once per instant (one tuple, replaced whole,
    so threads never see half of it)."""
    global _last_date
    last = _last_date
    if last is not None and last[0] is when:
        return last[1]
    text = format_datetime(when, usegmt=True)
    _last_date = (when, text)
    return text


_DATE = Pair("date", "the Date header written once per instant", http_date_fast, http_date_plain)


def http_date(when: datetime) -> str:
    """The ``Date`` header of a response answered at ``when``."""
    return _DATE.use(when)


# --- the record of a call, for mw.calls ---------------------------------------------------


class CallRecord(NamedTuple):
    """What the mock keeps per answered call: plain references (the operation model, the
    request body, the Region, the status, the wire response, the simulated instant),
    nothing decoded, copied or formatted on the call path; ``mw.calls`` decodes on read."""

    model: OperationModel
    body: bytes
    region: str
    status: int
    raw: bytes
    time: datetime


# --- responses: what botocore's after-call handlers see -----------------------------------


class StubResponse(AWSResponse):
    """Plain twin: the HTTP response of a call the stub answered, its header mapping built
    as ``AWSResponse`` builds it. Also the mark of "this came from ssm_mw_stub" (the lazy
    form is one too)."""

    def __init__(self, url: str, status_code: int, headers: dict[str, str], raw: bytes) -> None:
        super().__init__(url, status_code, headers, None)  # type: ignore[arg-type]
        self._content = raw


class LazyResponse(StubResponse):
    """Fast form: headers and body materialised only if something reads them. Almost
    nothing does, and building botocore's case-insensitive header mapping costs more than
    the whole service call."""

    def __init__(self, url: str, status_code: int, headers: dict[str, str], raw: bytes) -> None:
        # AWSResponse.__init__ would build the header mapping eagerly; set the fields here.
        self.url = url
        self.status_code = status_code
        self._plain_headers = headers
        self._headers: HeadersDict | None = None
        self._content = raw
        self.raw = None

    @property
    def headers(self) -> HeadersDict:
        if self._headers is None:
            self._headers = HeadersDict(self._plain_headers)
        return self._headers

    @headers.setter
    def headers(self, value: HeadersDict) -> None:
        self._headers = value


_RESPONSE: Pair[type[StubResponse]] = Pair(
    "response", "the header mapping built only when read", LazyResponse, StubResponse
)


def response(url: str, status_code: int, headers: dict[str, str], raw: bytes) -> StubResponse:
    """The HTTP response handed to ``after-call`` handlers and botocore's status check."""
    return _RESPONSE.use(url, status_code, headers, raw)


# --- timestamps: what botocore's parser converts -------------------------------------------

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


def parse_timestamp_fast(value: Any) -> datetime:
    """Fast form: exactly ``botocore.utils.parse_timestamp(value)`` (equal, same ``tzlocal``
    tzinfo, same ``fold``), without its per-call ``tzlocal``, which it builds for every
    timestamp (about half the cost of parsing a GetMaintenanceWindow response):

    * ``tzlocal`` instances hold nothing but what they read from the ``time`` module when
      built, so one is reused while those values stay (``time.tzset()`` after a ``TZ``
      change makes a new one);
    * in a zone without daylight saving time ``tzlocal`` adds its fixed offset, with fold
      0; a ``datetime.timezone`` of that offset does the same arithmetic in C, and the
      result takes the ``tzlocal`` instance as its tzinfo;
    * anything else (a zone with DST, a string, an out-of-range value) takes botocore's path.
    """
    if isinstance(value, (int, float)):
        _, zone, fixed = _local_zone()
        try:
            if fixed is not None:
                return datetime.fromtimestamp(value, fixed).replace(tzinfo=zone)
            return datetime.fromtimestamp(value, zone)
        except (OSError, OverflowError, ValueError):
            pass  # botocore's fallbacks decide
    return parse_timestamp_plain(value)


_TIMESTAMPS = Pair("timestamps", "one tzlocal kept, fixed offsets converted in C",
                   parse_timestamp_fast, parse_timestamp_plain)


def parse_timestamp(value: Any) -> datetime:
    """The timestamp conversion the stub's response parser uses (botocore's, same values)."""
    return _TIMESTAMPS.use(value)
