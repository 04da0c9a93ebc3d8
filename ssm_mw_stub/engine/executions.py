"""Window executions: from a slot coming due to a terminal status.

PENDING, then IN_PROGRESS once a place among the account's concurrent executions is free,
then the priority groups of tasks one after another, then SUCCESS, FAILED, TIMED_OUT or
CANCELLED; a slot that comes while the window's previous execution still runs is recorded
SKIPPED_OVERLAPPING. Each decision, and the public source it rests on, is written down in
docs/engine-notes.md ("Window executions" and "Tasks").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..clock import FakeClock
from ..model import (
    ACTIVE_STATUSES,
    RETENTION,
    RegionState,
    Window,
    WindowExecutionRecord,
    WindowTask,
)
from ..model.arns import ssm_arn
from ..task_types import task_type
from .agenda import CUTOFF, END, Agenda
from .journal import Journal
from .runs import Cursor, ExecutionRun, Load, TaskRun
from .tasks import TaskRunner

__all__ = ["MAX_CONCURRENT_EXECUTIONS", "Executions", "prune"]

#: Window executions that may run at once per account and Region ("Concurrently running
#: maintenance windows" in the Systems Manager quotas); later ones wait PENDING.
MAX_CONCURRENT_EXECUTIONS = 5

_NO_TASKS = "No tasks to execute."
_TASKS_FAILED = "One or more tasks in the orchestration failed."


def prune(state: RegionState, window: Window, now: datetime) -> None:
    """Forget finished executions that started more than 30 days before ``now``."""
    executions = window.executions
    if not executions:
        return
    oldest = now - RETENTION
    count = 0
    for execution in executions:
        if execution.start_time >= oldest or execution.status in ACTIVE_STATUSES:
            break
        count += 1
    if count:
        for execution in executions[:count]:
            state.executions.pop(execution.window_execution_id, None)
        del executions[:count]


class Executions:
    """Runs window executions: concurrency, priority groups, cutoff, cancel, the end."""

    def __init__(
        self,
        *,
        agenda: Agenda,
        journal: Journal,
        clock: FakeClock,
        uuid: Callable[[], str],
        runner: TaskRunner,
        max_concurrent: int,
    ) -> None:
        self._agenda = agenda
        self._journal = journal
        self._clock = clock
        self._uuid = uuid
        self._runner = runner
        runner.report_to(self)
        self.max_concurrent = max_concurrent
        self._loads: dict[tuple[str, str], Load] = {}
        self._runs: dict[str, ExecutionRun] = {}
        #: Set by the engine while it applies happenings (inside an advance).
        self.advancing = False

    # --- slots ----------------------------------------------------------------------------

    def on_slot(self, cursor: Cursor, t: datetime) -> None:
        """A window's slot is due: record its execution, or a skip if the last still runs."""
        state, window = cursor.state, cursor.window
        prune(state, window, t)
        record = WindowExecutionRecord(
            window_execution_id=self._uuid(), window_id=window.window_id, status="PENDING",
            start_time=t,
        )
        window.executions.append(record)
        state.executions[record.window_execution_id] = record
        resources = (ssm_arn(state.region, state.account, "maintenancewindow", window.window_id),)
        if cursor.run is not None:
            record.status = "SKIPPED_OVERLAPPING"
            record.end_time = t
            self._journal.execution(state, record, resources, t)
            return
        load = self._load_of(state)
        run = ExecutionRun(cursor, load, record, resources)
        cursor.run = run
        self._runs[record.window_execution_id] = run
        self._journal.execution(state, record, resources, t)
        if load.active < self.max_concurrent:
            load.active += 1
            self._begin(run, t)
        else:
            load.queue.append(run)
            if run.cutoff > t:
                self._agenda.push(run.cutoff, CUTOFF, lambda when: self._on_cutoff(run, when))
            else:
                self._on_cutoff(run, t)

    def kill(self, cursor: Cursor) -> None:
        """A deleted window's execution stops where it is (its records went with it)."""
        run = cursor.run
        if run is None or run.finished:
            return
        run.finished = True
        cursor.run = None
        self._runs.pop(run.record.window_execution_id, None)
        for task_run in run.tasks:
            task_run.done = True
            if task_run.command is not None:
                task_run.command.detach()  # Run Command carries on without the window
        if run.begun:
            run.load.active -= 1
            self._release(run.load)

    # --- the account's concurrency limit ---------------------------------------------------

    def _load_of(self, state: RegionState) -> Load:
        key = (state.account, state.region)
        load = self._loads.get(key)
        if load is None:
            load = self._loads[key] = Load()
        return load

    def _release(self, load: Load) -> None:
        """A place became free: start waiting executions now, or at the next advance when
        the place was freed by a Cancel call between advances."""
        if not load.queue:
            return
        if self.advancing:
            self._drain(load, self._clock.now)
        else:
            self._agenda.push(self._clock.now, END, lambda when: self._drain(load, when))

    def _drain(self, load: Load, t: datetime) -> None:
        if load.draining:
            return
        load.draining = True
        try:
            while load.queue and load.active < self.max_concurrent:
                run = load.queue.popleft()
                if run.finished:
                    continue
                load.active += 1
                self._begin(run, t)
        finally:
            load.draining = False

    # --- an execution ---------------------------------------------------------------------

    def _begin(self, run: ExecutionRun, t: datetime) -> None:
        """PENDING -> IN_PROGRESS; the tasks registered now form the priority groups."""
        run.begun = True
        record = run.record
        record.status = "IN_PROGRESS"
        self._journal.execution(run.state, record, run.resources, t)
        tasks = sorted(run.window.tasks.values(), key=lambda task: task.priority)
        if not tasks:
            record.status_details = _NO_TASKS
            self._finish(run, t)
            return
        groups: list[list[WindowTask]] = []
        priority = None
        for task in tasks:
            if task.priority != priority:
                groups.append([])
                priority = task.priority
            groups[-1].append(task)
        run.groups = groups
        if run.cutoff > t and any(
            task.cutoff_behavior == "CANCEL_TASK" and task_type(task.task_type).cancelled_at_cutoff
            for task in tasks
        ):
            self._agenda.push(run.cutoff, CUTOFF, lambda when: self._on_cutoff(run, when))
        self._next_group(run, t)

    def _next_group(self, run: ExecutionRun, t: datetime) -> None:
        """Start the next priority group once the previous one has finished; nothing new
        starts at or after the cutoff instant, and nothing after a Cancel."""
        run.starting = True
        try:
            groups = run.groups
            while run.running == 0 and not run.finished and not run.cancelled:
                if run.group_index >= len(groups):
                    break
                if t >= run.cutoff:
                    run.timed_out = True
                    break
                group = groups[run.group_index]
                run.group_index += 1
                registered = run.window.tasks
                for task in group:
                    if run.cancelled:
                        break  # cancelled by a handler of this group: the rest never start
                    if registered.get(task.window_task_id) is task:
                        self._runner.start_task(run, task, t)
        finally:
            run.starting = False
        if run.running == 0 and not run.finished:
            self._finish(run, t)

    def task_done(self, task_run: TaskRun, status: str, t: datetime) -> None:
        """A task execution ended: the execution notes its status, and the next group
        starts once every task of this one has ended."""
        run = task_run.run
        if status == "TIMED_OUT":
            run.timed_out = True
        elif status != "SUCCESS":
            run.failed = True
        run.running -= 1
        run.tasks.remove(task_run)
        if not run.starting and run.running == 0:
            self._next_group(run, t)

    def _finish(self, run: ExecutionRun, t: datetime) -> None:
        run.finished = True
        record = run.record
        if run.cancelled:
            record.status = "CANCELLED"
        elif run.timed_out or t > run.end:
            record.status = "TIMED_OUT"
        elif run.failed:
            record.status = "FAILED"
            record.status_details = _TASKS_FAILED
        else:
            record.status = "SUCCESS"
        record.end_time = t
        self._journal.execution(run.state, record, run.resources, t)
        cursor = run.cursor
        if cursor.run is run:
            cursor.run = None
        self._runs.pop(record.window_execution_id, None)
        if run.begun:
            run.load.active -= 1
            self._release(run.load)

    def _on_cutoff(self, run: ExecutionRun, t: datetime) -> None:
        """The cutoff instant: a still-waiting execution times out unstarted; tasks with
        CANCEL_TASK whose type cancels running work have it cancelled."""
        if run.finished:
            return
        if not run.begun:
            run.timed_out = True
            self._finish(run, t)
            return
        for task_run in list(run.tasks):
            task_run.runner.cut_off(task_run, t)

    def cancel(self, record: WindowExecutionRecord, now: datetime) -> None:
        """CancelMaintenanceWindowExecution: tasks not started never start, running tasks
        run to completion; IN_PROGRESS -> CANCELLING -> CANCELLED (a waiting PENDING
        execution is CANCELLED at once). Cancelling a finished execution does nothing."""
        run = self._runs.get(record.window_execution_id)
        if run is None or run.finished or run.cancelled or run.record is not record:
            return
        run.cancelled = True
        if not run.begun:
            self._finish(run, now)
            return
        record.status = "CANCELLING"
        self._journal.execution(run.state, record, run.resources, now)
        if run.running == 0 and not run.starting:
            self._finish(run, now)
