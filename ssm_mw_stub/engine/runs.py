"""Run state: what the engine keeps about work in flight, apart from the records it writes.

A window has a :class:`Cursor` (its next slot, its running execution); executions running in
one account and Region share a :class:`Load` (the concurrency limit); an execution in flight
is an :class:`ExecutionRun`, and each of its started tasks a :class:`TaskRun`. Task runs are
launch batches (:mod:`.launcher`) owned by the unit runner (:mod:`.units`) the task runner
(:mod:`.tasks`) chose for them from their task type. A Run Command command of a task is a
:class:`~.command_runs.CommandRun` (:mod:`.commands`), which knows the task only as
values (:class:`~.invocations.WindowWork`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol

from ..model import (
    JSON,
    RegionState,
    TaskExecutionRecord,
    Window,
    WindowExecutionRecord,
    WindowTask,
)
from ..task_types import TaskType
from .agenda import Agenda
from .invocations import WindowWork
from .launcher import Batch, BatchOwner

if TYPE_CHECKING:
    from ..schedule import WindowSchedule
    from .command_runs import CommandRun

__all__ = ["Cursor", "ExecutionRun", "Load", "TaskRun", "UnitRunner"]


class UnitRunner(BatchOwner, Protocol):
    """How the units of a task run (:mod:`.units`): chosen once, when the task starts, from
    its task type's :class:`~ssm_mw_stub.task_types.Work`."""

    def cut_off(self, task_run: TaskRun, t: datetime) -> None:
        """The window's cutoff came while the task runs (what CANCEL_TASK does, if
        anything, to work already running)."""


class Cursor:
    """One window's place in time: its next slot, and its execution still running if any."""

    __slots__ = ("compiled", "gen", "mark", "run", "starts", "state", "window")

    def __init__(self, window: Window, state: RegionState) -> None:
        self.window = window
        self.state = state
        self.compiled: WindowSchedule | None = None
        self.starts: Iterator[datetime] = iter(())
        #: Bumped when the schedule is re-derived or the window deleted: older slot
        #: happenings on the agenda then do nothing.
        self.gen = 0
        self.mark = 0
        self.run: ExecutionRun | None = None


class Load:
    """Executions running in one account and Region, and those waiting for a place."""

    __slots__ = ("active", "draining", "queue")

    def __init__(self) -> None:
        self.active = 0
        self.queue: deque[ExecutionRun] = deque()
        self.draining = False


class ExecutionRun:
    """A window execution in flight: its priority groups and what has happened so far."""

    __slots__ = (
        "begun",
        "cancelled",
        "cursor",
        "cutoff",
        "end",
        "failed",
        "finished",
        "group_index",
        "groups",
        "load",
        "record",
        "resources",
        "running",
        "starting",
        "state",
        "tasks",
        "timed_out",
        "window",
    )

    def __init__(
        self,
        cursor: Cursor,
        load: Load,
        record: WindowExecutionRecord,
        resources: tuple[str, ...],
    ) -> None:
        window = cursor.window
        self.cursor = cursor
        self.state = cursor.state
        self.window = window
        self.load = load
        self.record = record
        #: The resources of the execution's events: the window's ARN.
        self.resources = resources
        #: The window's end, and the cutoff instant after which nothing new starts.
        self.end = record.start_time + timedelta(hours=window.duration)
        self.cutoff = self.end - timedelta(hours=window.cutoff)
        self.groups: list[list[WindowTask]] = []
        self.group_index = 0
        self.running = 0
        self.tasks: list[TaskRun] = []
        self.begun = False
        self.starting = False
        self.cancelled = False
        self.timed_out = False
        self.failed = False
        self.finished = False


class TaskRun(Batch):
    """A task execution in flight: its units are resolved targets (one invocation each) or
    command groups (one Run Command command each)."""

    __slots__ = (
        "branch",
        "command",
        "execution_ids",
        "kind",
        "record",
        "run",
        "runner",
        "task",
        "template",
        "templated",
        "values",
        "work",
    )

    def __init__(
        self,
        agenda: Agenda,
        runner: UnitRunner,
        run: ExecutionRun,
        task: WindowTask,
        kind: TaskType,
        record: TaskExecutionRecord,
        uuid: Callable[[], str],
    ) -> None:
        super().__init__(agenda, runner)
        #: How its units run (the batch's owner).
        self.runner = runner
        self.run = run
        self.task = task
        self.kind = kind
        self.record = record
        #: The window context its units' handlers are told.
        self.work = WindowWork(
            window_id=run.window.window_id,
            window_execution_id=run.record.window_execution_id,
            window_task_id=task.window_task_id,
            task_execution_id=record.task_execution_id,
            task_arn=task.task_arn,
            task_type=task.task_type,
        )
        if task.cutoff_behavior == "CANCEL_TASK":
            self.stop_at = run.cutoff
        #: The task type's parameters for the handler, before substitution.
        self.branch: JSON = {}
        #: Pseudo-parameter values common to every invocation of the task execution.
        self.values: dict[str, str] = {}
        #: The downstream request as JSON text, and whether it holds pseudo parameters.
        self.template = ""
        self.templated = False
        self.execution_ids = uuid
        #: The Run Command command running now (they run one after another).
        self.command: CommandRun | None = None
