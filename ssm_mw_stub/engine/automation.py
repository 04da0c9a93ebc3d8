"""Automation executions on the fake clock: started by a window's AUTOMATION task or by
StartAutomationExecution, decided by the test's handlers, ended by the agenda.

An execution starts InProgress; the handler (by the window task's ARN or type, or by the
document name for StartAutomationExecution) decides its terminal status, outputs, failure
message, steps and duration. Reported steps run one after another from the start, each an
agenda happening; the execution ends at ``start + max(duration, the steps' durations)``. A
window invocation of an AUTOMATION task is one execution and ends when it ends, with the
status :data:`~ssm_mw_stub.task_types.automation.WINDOW_STATUS` maps it to.
StopAutomationExecution makes it Cancelling at once and Cancelled at the next happening
of that instant. An execution with Targets (rate control) is a parent whose children run
under MaxConcurrency and MaxErrors through the launcher shared with window tasks.
docs/automation.md says what is modelled and why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from ..model import JSON, InvocationRecord, RegionState, WindowTask, forget_old
from ..model.automation import (
    AutomationExecutionRecord,
    AutomationStart,
    StepRecord,
    document_name,
    document_version,
    orchestration_identity,
    started,
)
from ..model.fleet import Fleet
from ..outcomes import AutomationStep, Handler, Invocation
from ..task_types.automation import WINDOW_STATUS, Automation, automation_status
from ..task_types.pseudo import substitute
from .agenda import END, Agenda
from .automation_targets import child_units
from .handlers import Handlers
from .invocations import started_automation
from .journal import Journal
from .launcher import NO_LIMIT, Batch, BatchOwner
from .rates import allowed_errors, concurrency_limit
from .runs import TaskRun
from .targets import Target

__all__ = ["Automations", "ExecutionOwner", "prune_automations"]

#: What Outputs show for an output whose step has not succeeded (AWS CLI examples).
NO_OUTPUT_YET = "No output available yet because the step is not successfully executed"
#: MaxConcurrency of a rate-control execution that sets none (StartAutomationExecution:
#: "The default value is 10").
DEFAULT_CONCURRENCY = "10"
_ZERO = timedelta(0)


def prune_automations(state: RegionState, now: datetime) -> None:
    """Forget finished executions that started more than 30 days before ``now``."""
    forget_old(
        state.automations, now, lambda entry: started(entry)[0],
        lambda entry: started(entry)[1],
    )


class ExecutionOwner(Protocol):
    """Told when an execution it started ends: the window invocation that follows it (the
    unit runner's), or the rate-control parent of a child."""

    def execution_done(self, window_status: str, details: str, t: datetime) -> None:
        """The execution ended: the window invocation's status for it, its StatusDetails."""


class _Run:
    """An execution in flight: what its handler decided, and where it stands."""

    __slots__ = (
        "children",
        "end_at",
        "failure_message",
        "index",
        "output",
        "outputs",
        "owner",
        "plan",
        "record",
        "state",
        "status",
        "stopped",
    )

    def __init__(
        self, state: RegionState, record: AutomationExecutionRecord, owner: ExecutionOwner | None
    ) -> None:
        self.state = state
        self.record = record
        self.owner = owner
        self.status = "Success"
        self.output = ""
        self.outputs: dict[str, list[str]] | None = None
        self.failure_message: str | None = None
        #: The reported steps that run, with their step records, in order.
        self.plan: list[tuple[AutomationStep, StepRecord]] = []
        self.index = 0
        self.end_at = record.start_time
        self.stopped = False
        #: The children of a rate-control execution.
        self.children: _Children | None = None


class _Children(Batch):
    """The child executions of a rate-control execution, launched under its rate controls
    (by the :class:`Automations` that owns them); each unit is (target value or None, the
    child's parameters, the parent's step)."""

    __slots__ = ("run", "running_runs", "spec")

    def __init__(
        self, agenda: Agenda, owner: BatchOwner, run: _Run, spec: AutomationStart
    ) -> None:
        super().__init__(agenda, owner)
        self.run = run
        self.spec = spec
        self.running_runs: dict[str, _Run] = {}


class _Child:
    """A child execution's way back to its rate-control parent: told when it is over."""

    __slots__ = ("automations", "children", "record", "step")

    def __init__(
        self,
        automations: Automations,
        children: _Children,
        step: StepRecord,
        record: AutomationExecutionRecord,
    ) -> None:
        self.automations = automations
        self.children = children
        self.step = step
        self.record = record

    def execution_done(self, window_status: str, details: str, t: datetime) -> None:
        self.automations.child_done(self.children, self.step, self.record, window_status, t)


class Automations:
    """Starts, runs, stops and ends Automation executions."""

    def __init__(
        self,
        *,
        agenda: Agenda,
        journal: Journal,
        handlers: Handlers,
        fleet: Fleet,
        uuid: Callable[[], str],
    ) -> None:
        self._agenda = agenda
        self._journal = journal
        self._handlers = handlers
        self._fleet = fleet
        self._uuid = uuid
        self._runs: dict[str, _Run] = {}
        # What the executions of the task run last met share (see _task_info).
        self._task_run: TaskRun | None = None
        self._task_info: tuple[str, str, str, dict[str, list[str]]] = ("", "", "", {})

    # --- started by a maintenance window ---------------------------------------------------

    def _info(self, task_run: TaskRun, t: datetime) -> tuple[str, str, str, dict[str, list[str]]]:
        """(document name, version, ExecutedBy, parameters as written) of a task run's
        executions, worked out once per task run; meeting a new one also prunes."""
        if task_run is not self._task_run:
            task, branch, state = task_run.task, task_run.branch, task_run.run.state
            role = task_run.record.service_role or ""
            self._task_run = task_run
            self._task_info = (
                document_name(task.task_arn) or task.task_arn,
                document_version(branch.get("DocumentVersion")),
                orchestration_identity(state.account, role),
                branch.get("Parameters") or {},
            )
            prune_automations(state, t)
        return self._task_info

    def instant(
        self,
        task_run: TaskRun,
        execution_id: str,
        values: dict[str, str] | None,
        t: datetime,
    ) -> None:
        """The execution of a window invocation without a handler: Success the instant it
        starts (the window's fast path calls this between the invocation's two events)."""
        name, version, executed_by, parameters = self._info(task_run, t)
        if values is not None and parameters:
            parameters = substitute(parameters, values)
        state = task_run.run.state
        state.automations[execution_id] = (
            execution_id, name, version, t, executed_by, parameters
        )
        self._journal.automation_instant(state, execution_id, name, version, executed_by, t)

    @staticmethod
    def can_start(task: WindowTask) -> bool:
        """Whether the task's TaskArn can name a runbook at all (else its invocations fail
        at once, as StartAutomationExecution would refuse them)."""
        return document_name(task.task_arn) is not None

    def start_for_window(
        self,
        task_run: TaskRun,
        invocation: InvocationRecord,
        target: Target,
        values: dict[str, str],
        handler: Handler | None,
        t: datetime,
        owner: ExecutionOwner,
    ) -> None:
        """The execution of a window invocation whose task has a handler (or names no
        runbook); ``owner`` is told the invocation's status when it ends."""
        execution_id = invocation.execution_id
        if not self.can_start(task_run.task):
            invocation.execution_id = ""  # no execution was started
            owner.execution_done(
                "FAILED",
                f"AutomationDefinitionNotFoundException: {task_run.task.task_arn} is not the "
                "name of an Automation runbook",
                t,
            )
            return
        name, version, executed_by, parameters = self._info(task_run, t)
        if parameters:
            parameters = substitute(parameters, values)
        state = task_run.run.state
        record = AutomationExecutionRecord(
            automation_execution_id=execution_id, document_name=name, document_version=version,
            status="InProgress", start_time=t, executed_by=executed_by, parameters=parameters,
        )
        seen = task_run.work.invocation(
            invocation, target_id=target.target_id, start_time=t,
            parameters=substitute(task_run.branch, values), automation_execution_id=execution_id,
        )
        self._begin(state, record, handler, seen, owner, t)

    # --- StartAutomationExecution --------------------------------------------------------

    def start(self, state: RegionState, spec: AutomationStart, t: datetime) -> str:
        """StartAutomationExecution: the execution (a parent with children when it has
        targets) starts now; its id."""
        prune_automations(state, t)
        record = self._record(state, spec, spec.parameters, t)
        if spec.targets or spec.target_maps:
            record.target_parameter_name = spec.target_parameter_name
            record.targets = spec.targets
            record.target_maps = spec.target_maps
            record.max_concurrency = spec.max_concurrency
            record.max_errors = spec.max_errors
            self._begin_parent(state, record, spec, t)
        else:
            self._begin_plain(state, record, spec, None, None, t)
        return record.automation_execution_id

    def _record(
        self,
        state: RegionState,
        spec: AutomationStart,
        parameters: dict[str, list[str]],
        t: datetime,
    ) -> AutomationExecutionRecord:
        record = AutomationExecutionRecord(
            automation_execution_id=self._uuid(), document_name=spec.document_name,
            document_version=spec.document_version, status="InProgress", start_time=t,
            executed_by=spec.executed_by, parameters=parameters, mode=spec.mode,
            tags=dict(spec.tags),
            target_locations=spec.target_locations,
            alarm_configuration=spec.alarm_configuration,
        )
        state.automations[record.automation_execution_id] = record
        return record

    def _begin_plain(
        self,
        state: RegionState,
        record: AutomationExecutionRecord,
        spec: AutomationStart,
        target: str | None,
        owner: ExecutionOwner | None,
        t: datetime,
    ) -> None:
        """An execution without targets (or a child): asked of the document's handler."""
        handler = self._handlers.lookup(record.document_name, Automation.name)
        seen: JSON = {"Parameters": {k: list(v) for k, v in record.parameters.items()}}
        if spec.requested_version is not None:
            seen["DocumentVersion"] = spec.requested_version
        invocation = started_automation(
            document=record.document_name, task_type=Automation.name,
            execution_id=record.automation_execution_id, target=target, start_time=t,
            parameters=seen,
        )
        self._begin(state, record, handler, invocation, owner, t)

    # --- one execution --------------------------------------------------------------------

    def _begin(
        self,
        state: RegionState,
        record: AutomationExecutionRecord,
        handler: Handler | None,
        invocation: Invocation,
        owner: ExecutionOwner | None,
        t: datetime,
    ) -> None:
        """InProgress now; the handler decides how it goes on."""
        state.automations[record.automation_execution_id] = record
        run = _Run(state, record, owner)
        self._runs[record.automation_execution_id] = run
        self._journal.automation(state, record, t)
        if handler is None:
            self._finish(run, t)
            return
        outcome = self._handlers.ask(handler, invocation)
        if run.stopped:  # the handler stopped its own execution: Cancelled it is
            return
        run.status = automation_status(outcome.status)
        run.output = outcome.output
        run.failure_message = outcome.failure_message
        if outcome.outputs is not None:
            run.outputs = {key: list(values) for key, values in outcome.outputs.items()}
            record.outputs = {key: [NO_OUTPUT_YET] for key in run.outputs} or None
        busy = _ZERO
        if outcome.steps is not None:
            record.steps = []
            for spec in outcome.steps:
                step = StepRecord(spec.name, spec.action)
                record.steps.append(step)
                if spec.status != "Pending":
                    run.plan.append((spec, step))
                    busy += spec.duration
        run.end_at = t + max(outcome.duration, busy)
        self._next_step(run, t)

    def _next_step(self, run: _Run, t: datetime) -> None:
        """Run the reported steps due now, one after another; then end at ``end_at``."""
        record, state, journal = run.record, run.state, self._journal
        plan = run.plan
        while run.index < len(plan):
            spec, step = plan[run.index]
            step.status = "InProgress"
            step.step_execution_id = self._uuid()
            step.start_time = t
            if spec.inputs is not None:
                step.inputs = dict(spec.inputs)
            record.current_step = step
            journal.automation(state, record, t, step)
            if spec.duration:
                self._agenda.push(t + spec.duration, END, partial(self._step_ended, run))
                return
            self._end_step(run, t)
        record.current_step = None
        if run.end_at > t:
            self._agenda.push(run.end_at, END, partial(self._ended, run))
        else:
            self._finish(run, t)

    def _end_step(self, run: _Run, t: datetime, status: str | None = None) -> None:
        spec, step = run.plan[run.index]
        run.index += 1
        step.status = status or spec.status
        step.end_time = t
        if status is None:
            if spec.outputs is not None:
                step.outputs = {key: list(values) for key, values in spec.outputs.items()}
            step.failure_message = spec.failure_message
        self._journal.automation(run.state, run.record, t, step)

    def _step_ended(self, run: _Run, t: datetime) -> None:
        if not run.stopped:
            self._end_step(run, t)
            self._next_step(run, t)

    def _ended(self, run: _Run, t: datetime) -> None:
        if not run.stopped:
            self._finish(run, t)

    def _finish(self, run: _Run, t: datetime) -> None:
        """The execution ends with the status its handler (or its stop) decided."""
        record = run.record
        record.status = run.status
        record.end_time = t
        record.current_step = None
        if run.status != "Cancelled":
            record.outputs = run.outputs or None
            record.failure_message = run.failure_message
        self._runs.pop(record.automation_execution_id, None)
        self._journal.automation(run.state, record, t)
        if run.owner is not None:
            run.owner.execution_done(WINDOW_STATUS[run.status], run.output or run.status, t)

    # --- StopAutomationExecution ---------------------------------------------------------

    def stop(self, record: AutomationExecutionRecord, t: datetime) -> None:
        """Cancelling now (with the children of a rate-control execution); Cancelled at the
        next happening of this instant, the running step with it."""
        run = self._runs.get(record.automation_execution_id)
        if run is None or run.stopped:
            return
        run.stopped = True
        run.status = "Cancelled"
        record.status = "Cancelling"
        self._journal.automation(run.state, record, t)
        children = run.children
        if children is not None:
            children.next = len(children.units)  # nothing more starts
            for child in list(children.running_runs.values()):
                self.stop(child.record, t)
        self._agenda.push(t, END, partial(self._cancelled, run))

    def _cancelled(self, run: _Run, t: datetime) -> None:
        if run.record.status != "Cancelling":
            return
        if run.children is not None and not run.children.done:
            return  # the parent ends when its last child has
        if run.index < len(run.plan) and run.plan[run.index][1].status == "InProgress":
            self._end_step(run, t, "Cancelled")
        self._finish(run, t)

    # --- rate control: a parent and its children ------------------------------------------

    def _begin_parent(
        self,
        state: RegionState,
        record: AutomationExecutionRecord,
        spec: AutomationStart,
        t: datetime,
    ) -> None:
        run = _Run(state, record, None)
        self._runs[record.automation_execution_id] = run
        units = child_units(self._fleet, state, spec)
        record.resolved_targets = [value for value, _, _ in units if value is not None]
        record.steps = [step for _, _, step in units]
        children = _Children(self._agenda, self, run, spec)
        children.units = units
        count = len(units)
        children.concurrency = concurrency_limit(spec.max_concurrency or DEFAULT_CONCURRENCY, count)
        if spec.max_errors is not None:
            children.max_errors = allowed_errors(spec.max_errors, count)
        else:
            children.max_errors = NO_LIMIT
        run.children = children
        self._journal.automation(state, record, t)
        children.launch(t)

    def start_unit(self, batch: Any, unit: Any, t: datetime) -> None:
        """One child of a rate-control execution (``batch``) starts, on ``unit``."""
        children: _Children = batch
        spec = children.spec
        value, parameters, step = unit
        parent = children.run
        state = parent.state
        record = self._record(state, spec, parameters, t)
        record.parent_id = parent.record.automation_execution_id
        record.target = value
        step.status = "InProgress"
        step.step_execution_id = self._uuid()
        step.start_time = t
        parent.record.current_step = step
        self._journal.automation(state, parent.record, t, step)
        child_id = record.automation_execution_id
        self._begin_plain(state, record, spec, value, _Child(self, children, step, record), t)
        if child_id in self._runs:
            children.running_runs[child_id] = self._runs[child_id]

    def child_done(
        self,
        children: _Children,
        step: StepRecord,
        record: AutomationExecutionRecord,
        window_status: str,
        t: datetime,
    ) -> None:
        """A child ended: its step of the parent ends, and the parent's batch goes on."""
        children.running_runs.pop(record.automation_execution_id, None)
        step.status = record.status
        step.end_time = t
        parent = children.run
        if parent.record.current_step is step:
            parent.record.current_step = None
        self._journal.automation(parent.state, parent.record, t, step)
        children.unit_done(window_status, t)

    def batch_done(self, batch: Any, t: datetime) -> None:
        """Every child has ended (or no more will start): the parent ends too."""
        children: _Children = batch
        children.done = True
        run = children.run
        if not run.stopped:
            run.status = "Success" if children.rollup() == "SUCCESS" else "Failed"
        self._finish(run, t)
