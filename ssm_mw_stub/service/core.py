"""The service's front door: JSON request body in, status and JSON body out.

Because the core speaks the wire format (``X-Amz-Target`` operation name, JSON 1.1 body,
``{"__type", "message"}`` errors), the botocore hook is a thin adapter and the same core
could be served over HTTP to the AWS CLI or another SDK without a second implementation.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..model import JSON, IdGenerator, RegionState, Store
from ..model.arns import ssm_arn
from ..model.events import EventSink
from ..model.fleet import Fleet
from ..model.simulation import Simulation
from .errors import ServiceError, validation
from .validation import Shape, validate_input

__all__ = ["OPERATIONS", "READ_PREFIXES", "Context", "Service", "operation"]


@dataclass(slots=True)
class Context:
    """What one operation may use: its Region's state, the time, ids, the event sink, the
    simulation that runs executions, and the fleet (the managed nodes and resource groups
    targets resolve against; ``fleet.in_region(ctx.state.region)``, ``fleet.get``,
    ``fleet.group``), which operations only read."""

    state: RegionState
    now: datetime
    ids: IdGenerator
    sink: EventSink
    simulation: Simulation
    fleet: Fleet

    def emit(self, detail_type: str, detail: JSON, resources: tuple[str, ...]) -> None:
        """Record an event of this call's account and Region, at this call's instant."""
        self.sink(detail_type, detail, resources, self.now, self.state.account, self.state.region)

    def arn(self, kind: str, resource_id: str) -> str:
        """``arn:aws:ssm:{region}:{account}:{kind}/{id}``, as in the service's events."""
        return ssm_arn(self.state.region, self.state.account, kind, resource_id)


Operation = Callable[[Context, JSON], JSON]

#: Every operation the service answers, by wire name. Filled by the ``@operation``
#: decorators of the operation modules, which this package's loader imports.
OPERATIONS: dict[str, Operation] = {}

#: Operations whose names start so only read (the AWS API naming convention); every other
#: operation that succeeds counts as a write in ``Store.changes``.
READ_PREFIXES = ("Describe", "Get", "List")


def operation(name: str) -> Callable[[Operation], Operation]:
    """Register ``fn`` as the handler of the wire operation ``name``."""

    def register(fn: Operation) -> Operation:
        if name in OPERATIONS:
            raise RuntimeError(f"operation {name} registered twice")
        OPERATIONS[name] = fn
        return fn

    return register


#: One compact encoder for every response (``json.dumps`` with options builds a new one
#: per call).
_json_encoder = json.JSONEncoder(separators=(",", ":"))
_encode = _json_encoder.encode
_decoder = json.JSONDecoder()
_decode_text = _decoder.decode
#: The decoder's scanner: one object from the start of a string, without ``decode``'s two
#: whitespace matches (a body that is more than one object is handed to ``decode``).
_scan: Callable[[str, int], tuple[Any, int]] = _decoder.scan_once  # type: ignore[attr-defined]


def _encoder() -> Callable[[Any], str]:
    """``_encode`` without ``JSONEncoder.iterencode``'s per-call set-up: json's C encoder,
    built once with the same settings. A response is a tree of dicts and lists that can
    never contain itself, so it skips the circular-reference bookkeeping (a shared
    ``markers`` dict would not be thread-safe, and a fresh one per call is the set-up this
    avoids). Falls back to ``_encode`` where the C encoder is missing or differs."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return _encode
    try:
        encode = make(
            None, _json_encoder.default, json.encoder.encode_basestring_ascii, None,
            ":", ",", False, False, True,
        )
    except TypeError:  # another interpreter's signature: keep the standard path
        return _encode
    join = "".join

    def encode_c(value: Any) -> str:
        return join(encode(value, 0))

    return encode_c if encode_c({"a": [1, True, None, "\u00e9"]}) == _encode(
        {"a": [1, True, None, "\u00e9"]}
    ) else _encode


_encode_fast = _encoder()
#: json's escaping of one string, quotes included (what the encoders apply to every string).
_quote: Callable[[str], str] = json.encoder.encode_basestring_ascii


def _error_body(error: ServiceError) -> tuple[int, bytes]:
    # Modeled exceptions serialise their ``Message`` member as named in the model; the
    # framework-level ValidationException uses the lower-case ``message`` of AWS JSON.
    code, message = error.code, error.message
    key = "message" if code == "ValidationException" else "Message"
    if type(code) is str and type(message) is str:
        # json.dumps({"__type": code, key: message}) written out (the two strings escaped by
        # json's own function), without building an encoder per error.
        text = f'{{"__type": {_quote(code)}, "{key}": {_quote(message)}}}'
    else:
        text = json.dumps({"__type": code, key: message})
    return error.status, text.encode()


class Service:
    """One mock's service: its store, clock, ids, event sink, simulation and fleet."""

    def __init__(
        self,
        *,
        store: Store,
        clock: Callable[[], datetime],
        ids: IdGenerator,
        sink: EventSink,
        simulation: Simulation,
        fleet: Fleet,
    ) -> None:
        self.store = store
        self._clock = clock
        self.ids = ids
        self._sink = sink
        self._simulation = simulation
        self._fleet = fleet
        #: The last Context of each (account, Region), used again while the clock shows
        #: the same instant (see ``_context``).
        self._contexts: dict[tuple[str, str], Context] = {}

    def handle(
        self,
        operation_name: str,
        body: bytes | str,
        *,
        account: str,
        region: str,
        input_shape: Shape | None,
    ) -> tuple[int, bytes]:
        """Answer one request; the result is an HTTP status and a JSON 1.1 body."""
        handler = OPERATIONS.get(operation_name)
        if handler is None:
            return _error_body(
                ServiceError("UnknownOperationException", f"Unknown operation {operation_name}")
            )
        try:
            request, may_hold_null = _decode(body)
            if input_shape is not None:
                validate_input(input_shape, request)
            if may_hold_null:
                _drop_nulls(request)
            store = self.store
            with store.lock:
                result = handler(self._context(account, region), request)
                if not operation_name.startswith(READ_PREFIXES):
                    store.changes += 1
        except ServiceError as error:
            return _error_body(error)
        return 200, _encode_fast(result).encode()

    def _context(self, account: str, region: str) -> Context:
        """The Context of one call (under the store's lock). Operations only read their
        Context and everything else it holds is fixed when the service is built, so the
        previous one of the same account and Region is handed out again while the clock
        shows the same instant object."""
        key = (account, region)
        now = self._clock()
        ctx = self._contexts.get(key)
        if ctx is None or ctx.now is not now:
            ctx = self._contexts[key] = Context(
                self.store.region(account, region), now, self.ids, self._sink, self._simulation,
                self._fleet,
            )
        return ctx


def _drop_nulls(request: JSON) -> None:
    """Remove members sent as JSON null, at every depth, in place.

    AWS treats a null member as an absent one. Records keep nested inputs (Targets,
    TaskInvocationParameters, ...) as sent and echo them back, so a null left in would come
    back in responses as a member the model says is omitted when unset. Iterative, because
    the body may nest as deep as json could decode.
    """
    stack: list[Any] = [request]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            for key in [key for key, value in item.items() if value is None]:
                del item[key]
            stack.extend(value for value in item.values() if isinstance(value, (dict, list)))
        elif isinstance(item, list):
            stack.extend(value for value in item if isinstance(value, (dict, list)))


def _decode(body: bytes | str) -> tuple[JSON, bool]:
    """Parse the request body; anything but a JSON object is the caller's error.

    Also says whether the body may hold a JSON null: only one with the text ``null`` in it
    can (a cheap pre-check for ``_drop_nulls``; searched in the decoded text, where ``in``
    is several times cheaper than on bytes, and UTF-8 keeps ASCII bytes as themselves).
    """
    if not body:
        return {}, False
    try:
        if isinstance(body, bytes) and body[:1] == b"{" and body[1:2] != b"\x00":
            # What json.loads would detect (UTF-8, no BOM), minus the detection.
            text = body.decode("utf-8", "surrogatepass")
            may_hold_null = "null" in text
            try:
                request, end = _scan(text, 0)
            except (StopIteration, ValueError):
                end = -1
            if end != len(text):  # trailing text or an error: json's own words for it
                request = _decode_text(text)
        else:
            may_hold_null = b"null" in body if isinstance(body, bytes) else "null" in body
            request = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise validation(f"The request body is not valid JSON: {exc}") from None
    except RecursionError:
        raise validation("The request body is not valid JSON: it is nested too deeply") from None
    if not isinstance(request, dict):
        raise validation("The request body must be a JSON object")
    return request, may_hold_null
