"""Tasks of a running execution: how each starts and how it ends.

A task starts when its priority group does (:mod:`.executions`): the unit runner of its
task type's kind of work is picked (:mod:`.units`, :mod:`.window_commands`), its targets
are resolved against the fleet as it is then, its task execution is recorded, and its units
are launched under the rate controls (:mod:`.launcher`), or all succeed at once when nothing
can stop them. The service's own work takes no simulated time; only the ``duration`` of the
outcomes handlers return moves the clock (docs/engine-notes.md).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Protocol

from ..model import TaskExecutionRecord, WindowTask
from ..model.arns import service_linked_role
from ..task_types import Work, task_type
from ..task_types.pseudo import logging_values
from .agenda import Agenda
from .automation import Automations
from .commands import Commands
from .handlers import Handlers
from .journal import Journal
from .runs import ExecutionRun, TaskRun
from .targets import Resolver
from .units import AutomationInvocations, Parts, TargetInvocations, Units
from .window_commands import WindowCommands

__all__ = ["TaskReport", "TaskRunner"]


class TaskReport(Protocol):
    """Told when a task execution has ended (the window execution it belongs to)."""

    def task_done(self, task_run: TaskRun, status: str, t: datetime) -> None:
        """The task ended with its final ``status``."""


class TaskRunner:
    """Starts tasks with the unit runner of their kind of work, and records how they end."""

    def __init__(
        self,
        *,
        agenda: Agenda,
        journal: Journal,
        handlers: Handlers,
        resolver: Resolver,
        uuid: Callable[[], str],
        automations: Automations,
        commands: Commands,
    ) -> None:
        self._agenda = agenda
        self._journal = journal
        self.uuid = uuid
        #: Told when a task execution has ended (set by the executions, :meth:`report_to`).
        self._report: TaskReport | None = None
        # The unit runners tell this runner when a task ends; they hold it weakly, because
        # it holds them (a reference cycle would keep a dropped mock's engine alive until
        # the next garbage collection; the engine holds this runner as long as it lives).
        parts = Parts(
            agenda=agenda, journal=journal, handlers=handlers, resolver=resolver, uuid=uuid,
            end=weakref.proxy(self),
        )
        #: The unit runner of each kind of work.
        self._runners: Mapping[Work, Units] = {
            Work.INVOCATION: TargetInvocations(parts),
            Work.AUTOMATION: AutomationInvocations(parts, automations),
            Work.COMMANDS: WindowCommands(parts, commands),
        }

    def report_to(self, report: TaskReport) -> None:
        """Tell ``report`` when each task ends (held weakly: ``report`` holds this runner)."""
        self._report = weakref.proxy(report)

    def start_task(self, run: ExecutionRun, task: WindowTask, t: datetime) -> None:
        """A task starts: its targets are resolved now, against the fleet as it is now."""
        state = run.state
        kind = task_type(task.task_type)
        runner = self._runners[kind.work]
        targeted = bool(task.targets)
        max_concurrency = task.max_concurrency if targeted and task.max_concurrency else "1"
        max_errors = task.max_errors if targeted and task.max_errors else "1"
        branch = kind.handler_parameters(task)
        units, instance_ids = runner.resolve(run, task)
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
        task_run = TaskRun(self._agenda, runner, run, task, kind, record, self.uuid)
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
        runner.prepare(task_run)
        run.running += 1
        run.tasks.append(task_run)
        if runner.at_once(task_run):
            runner.succeed_all(task_run, t)
        else:
            task_run.launch(t)

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
        assert self._report is not None
        self._report.task_done(task_run, status, t)
