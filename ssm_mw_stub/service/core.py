"""The service's front door: JSON request body in, status and JSON body out.

Because the core speaks the wire format (``X-Amz-Target`` operation name, JSON 1.1 body,
``{"__type", "message"}`` errors), the botocore hook is a thin adapter and the same core
could be served over HTTP to the AWS CLI or another SDK without a second implementation.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from .. import wire
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


def _error_body(error: ServiceError) -> tuple[int, bytes]:
    return error.status, wire.error_body(error.code, error.message)


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

    def handle(
        self,
        operation_name: str,
        body: bytes | str,
        *,
        account: str,
        region: str,
        input_shape: Shape | None,
    ) -> tuple[int, bytes]:
        """Answer one request; the result is an HTTP status and a JSON 1.1 body.

        Decode, validate, lock, call, encode: the bytes are wire.py's business, the rules
        validation.py's, the answer the operation's."""
        handler = OPERATIONS.get(operation_name)
        if handler is None:
            return _error_body(
                ServiceError("UnknownOperationException", f"Unknown operation {operation_name}")
            )
        try:
            try:
                request: JSON = wire.decode(body)
            except wire.BodyError as exc:
                raise validation(str(exc)) from None
            if input_shape is not None:
                validate_input(input_shape, request)
            store = self.store
            with store.lock:
                # The Context of this call, built inline (one frame less on every call).
                ctx = Context(store.region(account, region), self._clock(), self.ids,
                              self._sink, self._simulation, self._fleet)
                result = handler(ctx, request)
                if not operation_name.startswith(READ_PREFIXES):
                    store.changes += 1
        except ServiceError as error:
            return _error_body(error)
        return 200, wire.encode(result)
