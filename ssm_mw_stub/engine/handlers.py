"""The test's task outcome handlers: which one answers, what it is told, what it returns.

Handlers are looked up when each invocation (Run Command: each node) starts, by exact task
ARN first and then by task type, so a handler registered between advances applies from then
on. A handler that raises, or returns anything but a TaskOutcome, is the test's own error:
the invocation is recorded FAILED so the simulation stays consistent, the current instant is
finished, and the engine raises the error out of ``advance()`` right after.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..model import WindowTask
from ..outcomes import OUTCOME_STATUSES, Handler, Invocation, TaskHandlerError, TaskOutcome
from ..task_types import task_type

__all__ = ["Handlers"]


class Handlers:
    """The handlers of one mock, and the first error one of them caused."""

    __slots__ = ("_by_key", "error", "running")

    def __init__(self, by_key: Mapping[str, Handler]) -> None:
        self._by_key = by_key
        #: The first handler error of the instant being applied; the engine raises it.
        self.error: BaseException | None = None
        #: The handler being called now and what it was asked about (handlers run under the
        #: store's lock, so only the thread that holds it can see this set): code that would
        #: move the clock (a waiter, a patched sleep) refuses to, naming the handler.
        self.running: tuple[Handler, Invocation] | None = None

    def find(self, task: WindowTask) -> Handler | None:
        """The handler of ``task``: its exact ARN wins over its type; None means success."""
        by_key = self._by_key
        if not by_key:
            return None
        return by_key.get(task.task_arn) or by_key.get(task.task_type)

    def lookup(self, *keys: str) -> Handler | None:
        """The handler registered under the first of ``keys`` that has one, or None."""
        by_key = self._by_key
        for key in keys if by_key else ():
            handler = by_key.get(key)
            if handler is not None:
                return handler
        return None

    def ask(self, handler: Handler, invocation: Invocation) -> TaskOutcome:
        """The TaskOutcome ``handler`` gives for ``invocation``, or a FAILED stand-in when it
        raised, returned something else, or reported a status the work cannot have (the
        generic ones, or its task type's own service's): the error is kept for the engine
        to raise out of ``advance()``."""
        previous, self.running = self.running, (handler, invocation)
        try:
            outcome = handler(invocation)
        except Exception as exc:
            error = TaskHandlerError(
                f"the task outcome handler for {_subject(invocation)} raised "
                f"{type(exc).__name__}: {exc} {_where(invocation)}"
            )
            error.__cause__ = exc
            self._fail(error)
            return TaskOutcome(
                "FAILED", output=f"The task outcome handler raised {type(exc).__name__}"
            )
        finally:
            self.running = previous
        if not isinstance(outcome, TaskOutcome):
            self._fail(
                TypeError(
                    f"the task outcome handler for {_subject(invocation)} returned "
                    f"{type(outcome).__name__} ({outcome!r}) for {_which(invocation)}; it "
                    "must return a ssm_mw_stub.TaskOutcome"
                )
            )
            return TaskOutcome("FAILED", output="The task outcome handler returned no TaskOutcome")
        if outcome.status in OUTCOME_STATUSES:
            return outcome
        statuses = task_type(invocation.task_type).outcome_statuses
        if outcome.status not in statuses:
            allowed = ", ".join(sorted(OUTCOME_STATUSES | statuses))
            self._fail(
                ValueError(
                    f"the task outcome handler for {_subject(invocation)} returned status "
                    f"{outcome.status!r} for {_which(invocation)}, which "
                    f"{invocation.task_type} work cannot end with; it must be one of "
                    f"{allowed}"
                )
            )
            return TaskOutcome(
                "FAILED", output=f"The task outcome handler returned status {outcome.status}"
            )
        return outcome

    def running_handler(self) -> str | None:
        """The handler being called now, described for an error message; None if none."""
        running = self.running
        if running is None:
            return None
        handler, invocation = running
        name = getattr(handler, "__qualname__", None) or repr(handler)
        return (
            f"the task outcome handler {name} for {_subject(invocation)} "
            f"({_which(invocation)})"
        )

    def take_error(self) -> BaseException | None:
        """The error to raise out of ``advance()``, if any; forgotten once taken."""
        error, self.error = self.error, None
        return error

    def _fail(self, error: BaseException) -> None:
        if self.error is None:
            self.error = error


def _subject(invocation: Invocation) -> str:
    """The work a handler was asked about, for error messages: a window's task, a document
    sent with SendCommand, or an Automation document started by StartAutomationExecution."""
    if invocation.window_id:
        return (
            f"task {invocation.task_arn} (WindowTaskId {invocation.window_task_id}) of "
            f"window {invocation.window_id}"
        )
    if invocation.command_id is not None:
        return f"document {invocation.task_arn} (sent with SendCommand)"
    return (
        f"Automation document {invocation.task_arn} (execution "
        f"{invocation.automation_execution_id}, started by StartAutomationExecution)"
    )


def _which(invocation: Invocation) -> str:
    """The one call of the handler, for error messages."""
    if invocation.window_id:
        return f"invocation {invocation.invocation_id}"
    if invocation.command_id is not None:
        return f"node {invocation.instance_id} of command {invocation.command_id}"
    return f"execution {invocation.automation_execution_id}"


def _where(invocation: Invocation) -> str:
    """The ids that locate one handler call, for error messages."""
    if invocation.window_id:
        where = (
            f"invocation {invocation.invocation_id}, task execution "
            f"{invocation.task_execution_id}, window execution "
            f"{invocation.window_execution_id}, target {invocation.target_id}"
        )
        if invocation.command_id is not None:
            where += f", command {invocation.command_id}"
        if invocation.automation_execution_id is not None:
            where += f", automation execution {invocation.automation_execution_id}"
        return f"[{where}]"
    if invocation.command_id is not None:
        return f"[command {invocation.command_id}, instance {invocation.instance_id}]"
    return f"[execution {invocation.automation_execution_id}, target {invocation.target_id}]"
