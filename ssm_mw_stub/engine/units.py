"""How a task's units run: one runner per kind of work, chosen once when the task starts.

A task type says what one unit of its work is (:class:`~ssm_mw_stub.task_types.Work`); the
task runner (:mod:`.tasks`) picks the matching runner when the task starts and the task's
launch batch calls it for every unit. :class:`TargetInvocations` runs one invocation per
resolved target, decided by the handler; :class:`AutomationInvocations` the same, each
invocation following its Automation execution (:mod:`.automation`); Run Command tasks have
theirs in :mod:`.window_commands`.

The speed trick lives here, beside its plain twin: without a handler every invocation of a
task succeeds the instant it starts, so none can change what the next one does and the
rate controls cannot bind. :meth:`TargetInvocations.succeed_all` then records them all in
one loop, through the same :meth:`~TargetInvocations.succeed` the launch path uses for an
invocation without a handler, and ends the task; tests/engine/test_fast_paths.py checks
that it leaves the same records and events as launching the units one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import Any, ClassVar, Protocol

from ..model import InvocationRecord, WindowTask
from ..outcomes import Handler
from ..task_types.pseudo import substitute, substitute_json
from .agenda import END, Agenda
from .automation import Automations
from .handlers import Handlers
from .journal import Journal
from .rates import allowed_errors, concurrency_limit
from .runs import ExecutionRun, TaskRun
from .targets import Resolver, Target

__all__ = [
    "AutomationInvocations",
    "Parts",
    "TargetInvocations",
    "TaskEnd",
    "Units",
    "end_invocation",
    "start_invocation",
]

#: StatusDetails of a window invocation, mirroring the downstream service's status words.
DETAILS = {
    "IN_PROGRESS": "InProgress",
    "SUCCESS": "Success",
    "FAILED": "Failed",
    "TIMED_OUT": "TimedOut",
    "CANCELLED": "Cancelled",
}
#: A window invocation's StatusDetails hold at most this many characters (the model's).
DETAILS_MAX = 250


class TaskEnd(Protocol):
    """Told when a task's units are all over (the task runner)."""

    def finish_task(self, task_run: TaskRun, t: datetime) -> None:
        """Record the task execution's final status."""


def start_invocation(
    journal: Journal,
    task_run: TaskRun,
    invocation_id: str,
    execution_id: str,
    parameters: str,
    window_target_id: str | None,
    owner_information: str | None,
    t: datetime,
) -> InvocationRecord:
    """A window invocation's record, IN_PROGRESS from ``t``, kept on its task execution and
    told to the journal: the one way every unit runner starts one (its parameters are
    positional: this is the engine's hot path)."""
    task_record = task_run.record
    record = InvocationRecord.started(
        invocation_id=invocation_id,
        window_execution_id=task_record.window_execution_id,
        task_execution_id=task_record.task_execution_id,
        execution_id=execution_id,
        task_type=task_record.task_type,
        parameters=parameters,
        start_time=t,
        window_target_id=window_target_id,
        owner_information=owner_information,
    )
    task_record.invocations[invocation_id] = record
    run = task_run.run
    journal.invocation(run.state, run.window.window_id, run.resources, record, t)
    return record


def end_invocation(
    journal: Journal,
    task_run: TaskRun,
    record: InvocationRecord,
    status: str,
    output: str,
    t: datetime,
) -> None:
    """A window invocation ends at ``t`` with ``status``: its StatusDetails are ``output``
    (cut to what the service keeps) or the status's own words, the journal is told, and its
    task counts the unit done. The one way every unit runner ends one that ran."""
    record.end(status, output[:DETAILS_MAX] if output else DETAILS[status], t)
    run = task_run.run
    journal.invocation(run.state, run.window.window_id, run.resources, record, t)
    task_run.unit_done(status, t)


@dataclass(frozen=True, slots=True)
class Parts:
    """What every unit runner works with: the engine's shared parts, and whom it tells
    that a task is over."""

    agenda: Agenda
    journal: Journal
    handlers: Handlers
    resolver: Resolver
    uuid: Callable[[], str]
    end: TaskEnd


class Units:
    """What every unit runner does; each kind overrides where it differs."""

    #: Whether :meth:`succeed_all` may stand in for launching the units one by one; the
    #: differential test turns it off to compare the two.
    at_once_allowed: ClassVar[bool] = True

    def __init__(self, parts: Parts) -> None:
        self._agenda = parts.agenda
        self._journal = parts.journal
        self._handlers = parts.handlers
        self._resolver = parts.resolver
        self._uuid = parts.uuid
        self._task_end = parts.end

    def resolve(self, run: ExecutionRun, task: WindowTask) -> tuple[list[Any], list[str]]:
        """The task's units, resolved against the fleet as it is now, and the instance ids
        its TaskParameters list (none unless the type lists them)."""
        return self._resolver.targets(run.state, run.window, task), []

    def prepare(self, task_run: TaskRun) -> None:
        """Set the batch's rate controls and what its units share, before the first starts."""

    def at_once(self, task_run: TaskRun) -> bool:
        """Whether every unit succeeds the instant it starts (then :meth:`succeed_all`)."""
        return False

    def succeed_all(self, task_run: TaskRun, t: datetime) -> None:
        """Every unit succeeds now, and the task ends (only when :meth:`at_once`)."""
        raise NotImplementedError

    def start_unit(self, batch: Any, unit: Any, t: datetime) -> None:
        """Start one unit of the task run ``batch``."""
        raise NotImplementedError

    def batch_done(self, batch: Any, t: datetime) -> None:
        """Nothing of the task runs any more: the task ends."""
        self._task_end.finish_task(batch, t)

    def cut_off(self, task_run: TaskRun, t: datetime) -> None:
        """The cutoff: running invocations finish, nothing new starts (the batch knows)."""


class TargetInvocations(Units):
    """One invocation per resolved target, decided by the task's handler."""

    def prepare(self, task_run: TaskRun) -> None:
        task, kind, branch, record = task_run.task, task_run.kind, task_run.branch, task_run.record
        count = len(task_run.units)
        task_run.execution_ids = kind.execution_ids(task, branch, self._uuid)
        task_run.concurrency = concurrency_limit(record.max_concurrency, count)
        task_run.max_errors = allowed_errors(record.max_errors, count)
        template = kind.request_text(task, branch)
        task_run.template = template
        task_run.templated = "{{" in template

    def at_once(self, task_run: TaskRun) -> bool:
        return self.at_once_allowed and self._handlers.find(task_run.task) is None

    # --- the fast path and the one routine it shares with the plain path ----------------

    def succeed_all(self, task_run: TaskRun, t: datetime) -> None:
        """Every invocation of a task without a handler succeeds at once: recorded in one
        loop, which is what long simulations spend most of their time on. The plain twin
        is launching them (:meth:`start_unit`, which calls :meth:`succeed` for each)."""
        units = task_run.units
        if units and task_run.stop_at is not None and t >= task_run.stop_at:
            task_run.cut = True  # what the launch loop does at its first unit
        else:
            succeed = self.succeed
            for target in units:
                succeed(task_run, target, t)
            task_run.next = len(units)
        self._task_end.finish_task(task_run, t)

    def succeed(self, task_run: TaskRun, target: Target, t: datetime) -> None:
        """An invocation that succeeds the instant it starts: recorded IN_PROGRESS, then
        SUCCESS, each with its event (for an Automation task, its execution's in between)."""
        record, values = self._start(task_run, target, t, values_needed=False)
        self._instant(task_run, record.execution_id, values, t)
        record.end("SUCCESS", "Success", t)
        run = task_run.run
        self._journal.invocation(run.state, run.window.window_id, run.resources, record, t)

    def _instant(
        self, task_run: TaskRun, execution_id: str, values: dict[str, str] | None, t: datetime
    ) -> None:
        """What the downstream work of an instant success records (nothing of its own)."""

    # --- the plain path -------------------------------------------------------------------

    def start_unit(self, batch: Any, unit: Any, t: datetime) -> None:
        task_run: TaskRun = batch
        target: Target = unit
        handler = self._handlers.find(task_run.task)
        if handler is None:
            self.succeed(task_run, target, t)
            task_run.running -= 1  # a success counts nothing against the rate controls
            return
        record, values = self._start(task_run, target, t, values_needed=True)
        assert values is not None
        invocation = task_run.work.invocation(
            record, target_id=target.target_id, start_time=t,
            parameters=substitute(task_run.branch, values),
        )
        outcome = self._handlers.ask(handler, invocation)
        status, output = outcome.status, outcome.output
        if outcome.duration:
            self._agenda.push(
                t + outcome.duration, END, partial(self._ended, task_run, record, status, output)
            )
        else:
            self._end(task_run, record, status, output, t)

    def _start(
        self, task_run: TaskRun, target: Target, t: datetime, *, values_needed: bool
    ) -> tuple[InvocationRecord, dict[str, str] | None]:
        """An invocation that starts now: its record, and its pseudo-parameter values when
        they are needed (a handler is told them) or its parameters are templated (an
        instant success without a template never works them out)."""
        invocation_id = self._uuid()
        execution_id = task_run.execution_ids()
        values = None
        parameters = task_run.template
        if values_needed or task_run.templated:
            values = self._values(task_run, invocation_id, target)
        if task_run.templated:
            assert values is not None
            parameters = substitute_json(parameters, values)
        record = start_invocation(
            self._journal, task_run, invocation_id, execution_id, parameters,
            target.window_target_id, target.owner_information, t,
        )
        return record, values

    def _values(self, task_run: TaskRun, invocation_id: str, target: Target) -> dict[str, str]:
        return task_run.kind.invocation_values(
            task_run.values, invocation_id, target.window_target_id, target.target_type,
            target.target_id, target.resource_id,
        )

    def _ended(
        self, task_run: TaskRun, record: InvocationRecord, status: str, output: str, t: datetime
    ) -> None:
        """The invocation ends with ``status`` (unless its window went away meanwhile)."""
        if not task_run.run.finished:
            self._end(task_run, record, status, output, t)

    def _end(
        self, task_run: TaskRun, record: InvocationRecord, status: str, output: str, t: datetime
    ) -> None:
        end_invocation(self._journal, task_run, record, status, output, t)


class AutomationInvocations(TargetInvocations):
    """One invocation per resolved target, each an Automation execution it follows."""

    def __init__(self, parts: Parts, automations: Automations) -> None:
        super().__init__(parts)
        self._automations = automations

    def at_once(self, task_run: TaskRun) -> bool:
        """Also only when the TaskArn names a runbook (else each invocation fails)."""
        return super().at_once(task_run) and self._automations.can_start(task_run.task)

    def _instant(
        self, task_run: TaskRun, execution_id: str, values: dict[str, str] | None, t: datetime
    ) -> None:
        self._automations.instant(task_run, execution_id, values, t)

    def start_unit(self, batch: Any, unit: Any, t: datetime) -> None:
        """The invocation runs its execution, which its handler (if any) decides; it ends
        when the execution does."""
        task_run: TaskRun = batch
        target: Target = unit
        handler: Handler | None = self._handlers.find(task_run.task)
        record, values = self._start(task_run, target, t, values_needed=True)
        assert values is not None
        self._automations.start_for_window(
            task_run, record, target, values, handler, t, _Followed(self, task_run, record)
        )

    def execution_done(
        self, task_run: TaskRun, record: InvocationRecord, status: str, details: str, t: datetime
    ) -> None:
        """The invocation's execution is over: the invocation ends with its status."""
        self._ended(task_run, record, status, details, t)


class _Followed:
    """An Automation task's invocation's way back to its runner: told when the execution
    it follows is over."""

    __slots__ = ("record", "runner", "task_run")

    def __init__(
        self, runner: AutomationInvocations, task_run: TaskRun, record: InvocationRecord
    ) -> None:
        self.runner = runner
        self.task_run = task_run
        self.record = record

    def execution_done(self, window_status: str, details: str, t: datetime) -> None:
        self.runner.execution_done(self.task_run, self.record, window_status, details, t)
