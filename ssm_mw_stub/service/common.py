"""Helpers every operation module shares: lookups, paging, filters, tokens, times."""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime, timezone
from typing import Any, TypeVar

from dateutil.parser import isoparse

from ..model import JSON, Window
from .core import Context
from .errors import ServiceError, does_not_exist, idempotent_mismatch, validation

__all__ = [
    "Filter",
    "apply_filters",
    "bad_token",
    "decode_cursor",
    "encode_cursor",
    "epoch",
    "filter_instant",
    "get_window",
    "idempotent",
    "listing",
    "page",
    "paged_listing",
    "parse_filters",
    "put",
]

T = TypeVar("T")

#: Wire timestamps of UTC instants seen lately. ``round(x, 3)`` on a float goes through a
#: decimal conversion (about 1.5 us); the instants a mock shows are few (its clock moves only
#: when a test says so, and records keep the instants they were stamped with), so each is
#: converted once. Keyed by value: equal UTC datetimes have equal timestamps, so an entry
#: cannot go stale. Bounded, oldest out first.
_EPOCHS: dict[datetime, float] = {}
_EPOCHS_MAX = 1024


def epoch(when: datetime) -> float:
    """A model ``timestamp`` on the wire: epoch seconds with a millisecond fraction."""
    if when.tzinfo is not timezone.utc:  # other zones (and naive values) are converted as is
        return round(when.timestamp(), 3)
    try:
        return _EPOCHS[when]
    except KeyError:
        pass
    value = _EPOCHS[when] = round(when.timestamp(), 3)
    if len(_EPOCHS) > _EPOCHS_MAX:
        with contextlib.suppress(StopIteration, KeyError, RuntimeError):
            del _EPOCHS[next(iter(_EPOCHS))]
    return value


def put(out: JSON, key: str, value: Any) -> None:
    """Set ``key`` unless ``value`` is None: unset optional members are omitted, as AWS does."""
    if value is not None:
        out[key] = value


def get_window(ctx: Context, window_id: str) -> Window:
    """The window ``window_id`` or AWS's DoesNotExistException with AWS's own wording."""
    window = ctx.state.windows.get(window_id)
    if window is None:
        raise does_not_exist(f"Maintenance window {window_id} does not exist")
    return window


# --- idempotency ------------------------------------------------------------------------


def idempotent(ctx: Context, operation: str, request: JSON, create: Callable[[], str]) -> str:
    """Run ``create`` once per ClientToken: a repeat with the same parameters returns the
    first id, a repeat with different parameters is IdempotentParameterMismatch."""
    token = request.get("ClientToken")
    if token is None:
        return create()
    # The request dict is freshly decoded and owned by this call, so keeping it (minus the
    # token) is the cheapest exact fingerprint: equality is only computed on a repeat.
    rest = dict(request)  # a C copy, then the token out: same items, same order
    del rest["ClientToken"]
    key = (operation, token)
    seen = ctx.state.tokens.get(key)
    if seen is not None:
        if seen[0] != rest:
            raise idempotent_mismatch()
        return seen[1]
    created = create()
    ctx.state.tokens[key] = (rest, created)
    return created


# --- paging -----------------------------------------------------------------------------


def encode_cursor(operation: str, cursor: Any) -> str:
    """An opaque NextToken carrying ``cursor`` for ``operation`` only."""
    raw = json.dumps({"op": operation, "c": cursor}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def bad_token() -> ServiceError:
    """What the maintenance-window operations answer to a NextToken they did not issue (they
    model no InvalidNextToken error of their own, unlike Run Command's and Automation's,
    which pass :func:`~.errors.invalid_next_token` instead)."""
    return validation("The specified nextToken is not valid.")


def decode_cursor(
    operation: str, token: str, refuse: Callable[[], ServiceError] = bad_token
) -> Any:
    """The cursor inside a NextToken made by :func:`encode_cursor` for the same operation;
    ``refuse()`` is raised for any other token."""
    try:
        data = json.loads(base64.urlsafe_b64decode(token.encode()))
    except (ValueError, binascii.Error, UnicodeError):
        data = None
    if not isinstance(data, dict) or data.get("op") != operation or "c" not in data:
        raise refuse()
    return data["c"]


def page(
    operation: str,
    request: JSON,
    items: Sequence[T],
    *,
    default_size: int = 100,
    refuse: Callable[[], ServiceError] = bad_token,
) -> tuple[Sequence[T], str | None]:
    """Cut one page out of ``items`` by MaxResults/NextToken; the NextToken is omitted at
    the end, which boto3's paginators (and the CLI) take as the last page. A token the
    operation did not issue raises ``refuse()``."""
    size = request.get("MaxResults") or default_size
    start = 0
    token = request.get("NextToken")
    if token:
        start = decode_cursor(operation, token, refuse)
        if not isinstance(start, int) or isinstance(start, bool) or start < 0:
            raise refuse()
    end = start + size
    chunk = items[start:end]
    return chunk, (encode_cursor(operation, end) if end < len(items) else None)


def listing(key: str, items: list[Any], token: str | None) -> JSON:
    """A page of a listing: ``{key: items}``, with ``NextToken`` unless it is the last."""
    out: JSON = {key: items}
    put(out, "NextToken", token)
    return out


def paged_listing(
    operation: str,
    request: JSON,
    items: Sequence[Any],
    key: str,
    *,
    default_size: int = 100,
    refuse: Callable[[], ServiceError] = bad_token,
) -> JSON:
    """:func:`page` and :func:`listing` in one, for items already in their answer's form."""
    chunk, token = page(operation, request, items, default_size=default_size, refuse=refuse)
    return listing(key, list(chunk), token)


# --- filters ----------------------------------------------------------------------------

Filter = tuple[str, list[str]]


def parse_filters(request: JSON, allowed: Iterable[str]) -> list[Filter]:
    """The request's filters as (key, values), refusing keys the operation does not know."""
    if not request.get("Filters"):
        return []
    known = list(allowed)
    result: list[Filter] = []
    for item in request.get("Filters") or []:
        key = item.get("Key")
        values = item.get("Values") or []
        if key not in known:
            raise validation(
                f"The filter key {key} is not valid. Valid filter keys are: {', '.join(known)}."
            )
        if not values:
            raise validation(f"The filter {key} must have at least one value.")
        result.append((key, list(values)))
    return result


#: Bounds beyond every instant a datetime can hold in UTC.
_LATEST = datetime.max.replace(tzinfo=timezone.utc)
_EARLIEST = datetime.min.replace(tzinfo=timezone.utc)


#: A date and time whose month, day, hour, minute or second has one digit
#: (``2020-05-08T9:16:43Z``), as the ISO parser of the service (Java's) reads it.
_SHORT_FIELDS = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?(?=[.,zZ+-]|$)"
)


def _padded(value: str) -> str:
    """``value`` with its one-digit date and time fields written with two digits."""
    found = _SHORT_FIELDS.match(value)
    if found is None:
        return value
    year, *fields = found.groups()
    date = "-".join([year, *(f.zfill(2) for f in fields[:2])])
    time = ":".join(f.zfill(2) for f in fields[2:] if f is not None)
    return f"{date}T{time}{value[found.end():]}"


def filter_instant(key: str, value: str) -> datetime:
    """A time filter value (ExecutedBefore, ScheduledAfter, ...) as an aware UTC instant:
    ISO 8601, UTC if no offset; a field of one digit (``T9:16:43Z``, what the user guide's
    PowerShell recipe ``Get-Date -Format "yyyy-MM-ddTH:mm:ssZ"`` writes before 10:00) is
    read as the service's parser reads it. A value that lies beyond what Python can hold in
    UTC (year 9999 with a negative offset, year 1 with a positive one) is a bound past every
    instant the service deals in, as it would be for the service."""
    try:
        parsed = isoparse(_padded(value))
    except (ValueError, OverflowError):
        raise validation(
            f"The value {value} of filter {key} is not a valid ISO 8601 timestamp."
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=timezone.utc)
    try:
        return parsed.astimezone(timezone.utc)
    except OverflowError:
        return _LATEST if parsed.year > 1 else _EARLIEST


def apply_filters(
    items: Iterable[T],
    filters: list[Filter],
    matchers: dict[str, Callable[[T, list[str]], bool]],
) -> Iterator[T]:
    """Items passing every filter (filters AND together, the values of one filter OR)."""
    if not filters:
        return iter(items)
    return (
        item for item in items
        if all(matchers[key](item, values) for key, values in filters)
    )
