"""Tasks of a running execution and their invocations.

A task starts when its priority group does (:mod:`.executions`): its targets are resolved
against the fleet as it is then, its task execution is recorded, and its units are launched
under the rate controls (:mod:`.launcher`). What a unit is comes from the task type
(:mod:`ssm_mw_stub.task_types`): one invocation per target, or, for a type that sends
commands, one Run Command command per window target, run by :mod:`.commands`, whose nodes
the handler decides one by one. The service's own work takes no simulated time; only the
``duration`` of the outcomes handlers return moves the clock (docs/engine-notes.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import partial

from ..model import InvocationRecord, TaskExecutionRecord, WindowTask
from ..model.arns import service_linked_role
from ..model.events import INVOCATION_STATE, EventSink, invocation_detail
from ..task_types import task_type
from ..task_types.pseudo import logging_values, substitute, substitute_json
from .agenda import END, Agenda
from .automation import Automations
from .commands import WINDOW_DETAILS, Commands
from .handlers import Handlers
from .journal import Journal
from .rates import allowed_errors, concurrency_limit
from .runs import ExecutionRun, TaskRun
from .targets import CommandGroup, Resolver, Target

__all__ = ["TaskRunner"]

#: StatusDetails of an invocation, mirroring the downstream service's own status words.
_DETAILS = WINDOW_DETAILS
#: StatusDetails hold at most this many characters (the model's maximum).
_DETAILS_MAX = 250



class TaskRunner:
    """Starts tasks, their invocations and commands, and records how they end."""

    def __init__(
        self,
        *,
        agenda: Agenda,
        journal: Journal,
        sink: EventSink,
        handlers: Handlers,
        resolver: Resolver,
        uuid: Callable[[], str],
        task_done: Callable[[TaskRun, str, datetime], None],
        automations: Automations,
        commands: Commands,
    ) -> None:
        self._agenda = agenda
        self._journal = journal
        self._sink = sink
        self._handlers = handlers
        self._resolver = resolver
        self.uuid = uuid
        #: Told when a task execution has ended, with its final status.
        self._task_done = task_done
        #: Runs the Automation execution of each invocation of a type that starts them.
        self._automations = automations
        #: Runs the Run Command commands of tasks that send them.
        self._commands = commands

    # --- tasks ----------------------------------------------------------------------------

    def start_task(self, run: ExecutionRun, task: WindowTask, t: datetime) -> None:
        """A task starts: its targets are resolved now, against the fleet as it is now."""
        state = run.state
        kind = task_type(task.task_type)
        targeted = bool(task.targets)
        max_concurrency = task.max_concurrency if targeted and task.max_concurrency else "1"
        max_errors = task.max_errors if targeted and task.max_errors else "1"
        branch = kind.handler_parameters(task)
        units: list[Target] | list[CommandGroup]
        instance_ids: list[str] = []
        if kind.sends_commands:
            groups = self._resolver.command_groups(state, run.window, task)
            units = groups
            instance_ids = [iid for group in groups for iid in group.instance_ids]
        else:
            units = self._resolver.targets(state, run.window, task)
        record = TaskExecutionRecord(
            task_execution_id=self.uuid(),
            window_execution_id=run.record.window_execution_id,
            window_task_id=task.window_task_id,
            task_arn=task.task_arn,
            task_type=task.task_type,
            priority=task.priority,
            max_concurrency=max_concurrency,
            max_errors=max_errors,
            status="IN_PROGRESS",
            start_time=t,
            service_role=task.service_role_arn or service_linked_role(state.account),
            task_parameters=kind.execution_task_parameters(task, branch, instance_ids),
            alarm_configuration=task.alarm_configuration,
        )
        run.record.tasks[record.task_execution_id] = record
        self._journal.task(state, run.window.window_id, run.resources, record, t)
        start = self._commands.window_command if kind.sends_commands else self._start_invocation
        task_run = TaskRun(
            self._agenda, start, self.finish_task, run, task, kind, record, self.uuid
        )
        task_run.units = units
        task_run.branch = branch
        values = {
            "WINDOW_ID": run.window.window_id,
            "WINDOW_TASK_ID": task.window_task_id,
            "WINDOW_EXECUTION_ID": run.record.window_execution_id,
            "TASK_EXECUTION_ID": record.task_execution_id,
        }
        if task.logging_info:
            values.update(logging_values(task))
        task_run.values = values
        if not kind.sends_commands:
            task_run.execution_ids = kind.execution_ids(task, branch, self.uuid)
            task_run.concurrency = concurrency_limit(max_concurrency, len(units))
            task_run.max_errors = allowed_errors(max_errors, len(units))
            template = kind.request_text(task, branch)
            task_run.template = template
            task_run.templated = "{{" in template
        run.running += 1
        run.tasks.append(task_run)
        if (
            kind.sends_commands
            or self._handlers.find(task) is not None
            or (kind.runs_automation and not self._automations.can_start(task))
        ):
            task_run.launch(t)
        else:
            self._succeed_at_once(task_run, t)

    def finish_task(self, task_run: TaskRun, t: datetime) -> None:
        """Nothing of the task runs any more: record its status (TIMED_OUT if the cutoff
        stopped it, else the roll-up of its units)."""
        task_run.done = True
        status = "TIMED_OUT" if task_run.cut else task_run.rollup()
        record = task_run.record
        record.status = status
        record.end_time = t
        run = task_run.run
        self._journal.task(run.state, run.window.window_id, run.resources, record, t)
        self._task_done(task_run, status, t)

    # --- invocations (one per target) -----------------------------------------------------

    def _start_invocation(self, task_run: TaskRun, target: Target, t: datetime) -> None:
        task = task_run.task
        run = task_run.run
        invocation_id = self.uuid()
        execution_id = task_run.execution_ids()
        handler = self._handlers.find(task)
        values: dict[str, str] | None = None
        parameters = task_run.template
        if task_run.templated or handler is not None:
            values = task_run.kind.invocation_values(
                task_run.values, invocation_id, target.window_target_id, target.target_type,
                target.target_id, target.resource_id,
            )
            if task_run.templated:
                parameters = substitute_json(parameters, values)
        window_execution_id = run.record.window_execution_id
        task_execution_id = task_run.record.task_execution_id
        owner = target.owner_information
        window_target_id = target.window_target_id
        automation = task_run.kind.runs_automation
        if handler is None and not automation:
            self._record_success(
                task_run, invocation_id, execution_id, parameters, target, t, values
            )
            task_run.running -= 1  # a success counts nothing against the rate controls
            return
        record = InvocationRecord(
            invocation_id, window_execution_id, task_execution_id, execution_id,
            task.task_type, parameters, "IN_PROGRESS", t, "InProgress", None, owner,
            window_target_id,
        )
        task_run.record.invocations[invocation_id] = record
        self._journal.invocation(run.state, run.window.window_id, run.resources, record, t)
        if automation:  # the invocation ends when its execution does
            self._automations.start_for_window(
                task_run, record, target, values or {}, handler, t,
                partial(self._invocation_ended, task_run, record),
            )
            return
        assert values is not None
        assert handler is not None
        status, duration, output = self._handlers.ask(
            handler,
            window_id=run.window.window_id,
            window_execution_id=window_execution_id,
            task=task,
            task_execution_id=task_execution_id,
            invocation_id=invocation_id,
            window_target_id=window_target_id,
            target_id=target.target_id,
            owner_information=owner,
            start_time=t,
            parameters=substitute(task_run.branch, values),
        )
        if duration:
            self._agenda.push(
                t + duration, END, partial(self._invocation_ended, task_run, record, status, output)
            )
        else:
            self._end_invocation(task_run, record, status, output, t)

    def _succeed_at_once(self, task_run: TaskRun, t: datetime) -> None:
        """Every invocation of a task without a handler succeeds at once, so none can
        change what the next one does: the rate controls cannot bind, and nothing runs in
        between. They are recorded in one loop, which is what long simulations spend most
        of their time on, and the task ends."""
        units = task_run.units
        if units and task_run.stop_at is not None and t >= task_run.stop_at:
            task_run.cut = True
        else:
            uuid, execution_ids = self.uuid, task_run.execution_ids
            templated, template = task_run.templated, task_run.template
            record_success = self._record_success
            kind, common = task_run.kind, task_run.values
            values: dict[str, str] | None = None
            for target in units:
                invocation_id = uuid()
                execution_id = execution_ids()
                parameters = template
                if templated:
                    values = kind.invocation_values(
                        common, invocation_id, target.window_target_id, target.target_type,
                        target.target_id, target.resource_id,
                    )
                    parameters = substitute_json(template, values)
                record_success(
                    task_run, invocation_id, execution_id, parameters, target, t, values
                )
            task_run.next = len(units)
        self.finish_task(task_run, t)

    def _record_success(
        self,
        task_run: TaskRun,
        invocation_id: str,
        execution_id: str,
        parameters: str,
        target: Target,
        t: datetime,
        values: dict[str, str] | None = None,
    ) -> None:
        """An invocation that succeeds the instant it starts: nothing can observe it in
        between, so it is recorded finished directly, with both of its events (and, for a
        type that starts Automation executions, the execution's in between; ``values``
        are the pseudo-parameter values when its parameters hold any)."""
        run = task_run.run
        window_execution_id = run.record.window_execution_id
        task_execution_id = task_run.record.task_execution_id
        owner = target.owner_information
        window_target_id = target.window_target_id
        stamp = self._journal.iso(t)
        task_run.record.invocations[invocation_id] = InvocationRecord(
            invocation_id, window_execution_id, task_execution_id, execution_id,
            task_run.task.task_type, parameters, "SUCCESS", t, "Success", t, owner,
            window_target_id,
        )
        sink, state, window_id = self._sink, run.state, run.window.window_id
        automation = task_run.kind.runs_automation
        for end, status in ((None, "IN_PROGRESS"), (stamp, "SUCCESS")):
            if automation and end is not None:
                self._automations.instant(task_run, execution_id, values, t)
            sink(
                INVOCATION_STATE,
                invocation_detail(
                    stamp, end, window_id, window_execution_id, task_execution_id,
                    window_target_id, status, owner,
                ),
                run.resources, t, state.account, state.region,
            )

    def _invocation_ended(
        self, task_run: TaskRun, record: InvocationRecord, status: str, output: str, t: datetime
    ) -> None:
        if not task_run.run.finished:
            self._end_invocation(task_run, record, status, output, t)

    def _end_invocation(
        self, task_run: TaskRun, record: InvocationRecord, status: str, output: str, t: datetime
    ) -> None:
        record.status = status
        record.end_time = t
        record.status_details = output[:_DETAILS_MAX] if output else _DETAILS[status]
        run = task_run.run
        self._journal.invocation(run.state, run.window.window_id, run.resources, record, t)
        task_run.unit_done(status, t)

    # --- Run Command: one command per window target (engine/commands.py) ----------------

    def cancel_command(self, task_run: TaskRun, t: datetime) -> None:
        """CANCEL_TASK at the cutoff, for a type whose running work is cancelled: the
        running command ends CANCELLED and the task TIMED_OUT."""
        self._commands.cancel_window_command(task_run, t)
