"""Class-level state for ``unittest``: what ``setUpClass`` made, rebuilt fresh for every test.

Django's ``TestCase`` set the convention: data made once for a class (``setUpTestData``) is
there in every test, and whatever a test changes is rolled back before the next one (its
documentation: "Modifications to in-memory objects from setup work done at the class level
will persist between test methods" is what it had to fix with the ``TestData`` descriptor).

A mock's state is not plain data that could be copied: the engine holds schedule iterators
and pending happenings, closures over the live objects. So instead of a copy, the mock keeps a
transcript of everything that reached its state while ``setUpClass`` ran, and each test gets a
new state built by replaying it: the service calls (as the service received them), the
handle calls (``add_instance``, ``on_task``, ``on_event``, ``advance``, ...), and what each
task outcome or event handler returned, in order. Ids and times come out the same, because
ids are seeded and the clock is fake, so ids that ``setUpClass`` kept on the class name the
same resources in every test. Handlers are not called again while replaying: the recorded
outcome (or exception), and the calls the handler made, stand in for them, so a handler that
counts its invocations sees ``setUpClass``'s once. After the replay the handlers registered
in ``setUpClass`` answer the test's own advances and events as usual.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .outcomes import Handler, Invocation
    from .reacting import Reactor

__all__ = ["Transcript"]

@dataclass
class _Call:
    """A request the service answered (its arguments as the hook passed them)."""

    operation_name: str
    body: bytes | str
    kwargs: dict[str, Any]


@dataclass
class _HandleCall:
    """A call of one of the handle's methods that change state."""

    name: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    raised: bool = False


_Step = _Call | _HandleCall


#: The handle methods that register a handler, and the name of their other argument.
_REGISTERING = {"on_task": "task", "on_event": "pattern"}


def _key(invocation: Invocation | dict[str, Any]) -> tuple[str | None, str | None]:
    """Which handler call this is: the window invocation, or the command or Automation
    execution a handler decides outside any window, and its target or node; or for an
    event handler, the event (ids are seeded, so a replay emits the same ones)."""
    if isinstance(invocation, dict):
        return invocation.get("id"), invocation.get("detail-type")
    work = (
        invocation.invocation_id or invocation.command_id or invocation.automation_execution_id
    )
    return work, invocation.target_id or invocation.instance_id


@dataclass
class _Answer:
    """What one task outcome handler call did: the calls it made, then its result."""

    invocation: tuple[str | None, str | None]
    steps: list[_Step] = field(default_factory=list)
    value: Any = None
    error: BaseException | None = None


class Transcript:
    """Everything that reached one mock's state during ``setUpClass``, in order."""

    def __init__(self) -> None:
        self.steps: list[_Step] = []
        self.answers: list[_Answer] = []
        self._frames: list[list[_Step]] = [self.steps]

    # --- recording -------------------------------------------------------------------

    def add(self, step: _Step) -> None:
        """Record a step where it happened: at the top, or inside the running handler."""
        self._frames[-1].append(step)

    def recording_handle(
        self, handle: Callable[..., tuple[int, bytes]], lock: Any
    ) -> Callable[..., tuple[int, bytes]]:
        """A stand-in for ``Service.handle`` that records each request it answers, under the
        store's lock so that calls from several threads are recorded in the order applied."""

        @functools.wraps(handle)
        def record(operation_name: str, body: bytes | str, **kwargs: Any) -> tuple[int, bytes]:
            with lock:
                result = handle(operation_name, body, **kwargs)
                self.add(_Call(operation_name, body, kwargs))
            return result

        return record

    def recording_handler(self, handler: Callable[[Any], Any]) -> Callable[[Any], Any]:
        """A handler that records what ``handler`` (a task outcome handler, or an event
        handler) makes of each call; named as ``handler`` is, for error messages."""

        @functools.wraps(handler)
        def record(invocation: Any) -> Any:
            answer = _Answer(_key(invocation))
            self.answers.append(answer)
            self._frames.append(answer.steps)
            try:
                answer.value = handler(invocation)
            except BaseException as error:
                answer.error = error
                raise
            finally:
                self._frames.pop()
            return answer.value

        return record

    def call(
        self, method: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any],
        lock: Any,
    ) -> Any:
        """Call ``method``, a bound state-changing method of the handle, and record the call
        (under the store's ``lock``). The handler of ``on_task`` or ``on_event`` is recorded
        as given, and wrapped so that what it answers is recorded too."""
        name = method.__name__
        first = _REGISTERING.get(name)
        if first is not None:
            bound = inspect.signature(method).bind(*args, **kwargs).arguments
            args, kwargs = (bound[first], bound["handler"]), {}
        step = _HandleCall(name, args, kwargs)
        if first is not None and callable(args[1]):
            args = (args[0], self.recording_handler(args[1]))
        with lock:
            self.add(step)
            try:
                return method(*args, **kwargs)
            except Exception:
                step.raised = True
                raise

    # --- replaying -------------------------------------------------------------------

    def replay(
        self,
        handle: Callable[..., tuple[int, bytes]],
        methods: Callable[[str], Callable[..., Any]],
        handlers: dict[str, Handler],
        reactor: Reactor,
    ) -> None:
        """Apply the transcript to a fresh state: ``handle`` answers a request as the hook
        would, ``methods(name)`` is the handle method of that name (unrecorded),
        ``handlers`` its handler mapping and ``reactor`` its event handlers, which end
        holding the handlers ``setUpClass`` registered."""
        answers = iter(self.answers)
        registered: dict[str, Handler] = {}
        reacting: list[tuple[Callable[[Any], Any], Callable[[Any], Any]]] = []

        def replaying(invocation: Any) -> Any:
            answer = next(answers, None)
            if answer is None or answer.invocation != _key(invocation):
                raise RuntimeError(
                    "the state setUpClass left could not be rebuilt for this test: replaying "
                    f"it reached handler call {_key(invocation)}, which setUpClass did "
                    "not see (did something outside the mock, such as moto's EC2 instances, "
                    "change between the tests?)"
                )
            run(answer.steps)
            if answer.error is not None:
                raise answer.error
            return answer.value

        def run(steps: list[_Step]) -> None:
            for step in steps:
                if isinstance(step, _Call):
                    handle(step.operation_name, step.body, **step.kwargs)
                    continue
                args = step.args
                if step.name == "on_task":
                    registered[args[0]] = args[1]
                    args = (args[0], replaying)
                elif step.name == "on_event":
                    stand_in = functools.partial(replaying)  # one per subscription
                    reacting.append((stand_in, args[1]))
                    args = (args[0], stand_in)
                try:
                    methods(step.name)(*args, **step.kwargs)
                except Exception:
                    if not step.raised:
                        raise

        run(self.steps)
        for task, handler in registered.items():
            if handlers.get(task) is replaying:
                handlers[task] = handler
        for stand_in, event_handler in reacting:
            reactor.replace(stand_in, event_handler)
