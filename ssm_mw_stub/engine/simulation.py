"""The discrete-event simulation that runs maintenance windows as the fake clock moves.

``Engine.run_until(when)`` replays everything that happens up to ``when`` in time order,
across every window, Region and account of the mock: window slots coming due, invocations
finishing, cutoff instants. Each happening is applied at its own instant (the clock is set to
it first, so a handler or a read call sees a consistent "now"), and it writes the execution,
task-execution and invocation records that the service's read operations answer from.

Shape: one heap of ``(time, rank, sequence, kind, object, argument)`` entries. ``rank`` orders
happenings of one instant: endings first (a slot at the instant an execution ends is not an
overlap, and a freed concurrency place is usable at once), then cutoffs, then new slots.
``sequence`` keeps the order of insertion among equals, so a run is deterministic.

Window slots are computed lazily, one per window, from ``window.compiled.starts_after(...)``;
the heap entry carries a generation number so that a window updated, disabled or deleted
between (or during) advances simply leaves a stale entry behind. Work that takes no simulated
time (an invocation whose outcome has a zero duration, a window without tasks) completes
synchronously without touching the heap, which keeps the per-invocation path short.

The fidelity decisions (statuses, boundaries, rounding, the account-wide execution limit) are
written down in docs/engine-notes.md; each is referenced where it is implemented.
"""

from __future__ import annotations

import heapq
import json
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

from ..clock import FakeClock
from ..service.events import EXECUTION_STATE, INVOCATION_STATE, TASK_EXECUTION_STATE, iso_millis
from ..service.ids import IdGenerator
from ..service.store import (
    InvocationRecord,
    RegionState,
    Store,
    TaskExecutionRecord,
    Window,
    WindowExecutionRecord,
    WindowTask,
)
from .fleet import Fleet
from .outcomes import Handler, Invocation, TaskHandlerError, TaskOutcome
from .parameters import (
    handler_parameters,
    logging_values,
    request_document,
    substitute,
    substitute_json,
    task_parameters,
)
from .rates import allowed_errors, concurrency_limit
from .targets import CommandGroup, Resolver, Target

if TYPE_CHECKING:
    from ..schedule import WindowSchedule
    from ..service import Service

__all__ = [
    "MAX_CONCURRENT_EXECUTIONS",
    "RETENTION",
    "Emit",
    "Engine",
    "TaskHandlerError",
]

Emit = Callable[[str, dict[str, Any], list[str], datetime, str, str], None]

UTC = timezone.utc
_ZERO = timedelta(0)

#: Execution history older than this (by StartTime) is dropped, as the service does.
RETENTION = timedelta(days=30)

#: Window executions that may run at once per account and Region; later ones wait PENDING.
MAX_CONCURRENT_EXECUTIONS = 5

#: StatusDetails of an invocation, mirroring the downstream service's own status words.
_DETAILS = {
    "IN_PROGRESS": "InProgress",
    "SUCCESS": "Success",
    "FAILED": "Failed",
    "TIMED_OUT": "TimedOut",
    "CANCELLED": "Cancelled",
}
_NO_TASKS = "No tasks to execute."
_TASKS_FAILED = "One or more tasks in the orchestration failed."
_ERRORS = frozenset({"FAILED", "TIMED_OUT"})
_ACTIVE = frozenset({"PENDING", "IN_PROGRESS", "CANCELLING"})
_NO_LIMIT = 1 << 62

# Ranks: the order of happenings that share one instant. Every ending of an instant is
# counted before anything new is launched from it, so two invocations failing at the same
# instant both count against MaxErrors before a replacement could start.
_RANK_END = 0
_RANK_LAUNCH = 1
_RANK_CUTOFF = 2
_RANK_SLOT = 3

# Kinds of happenings.
_SLOT = 0
_INVOCATION_END = 1
_INSTANCE_END = 2
_CUTOFF = 3
_DRAIN = 4
_LAUNCH = 5
_LAUNCH_INSTANCES = 6

Entry = tuple[datetime, int, int, int, Any, Any]


class _Cursor:
    """One window's place in time: its next slot, and its execution still running if any."""

    __slots__ = ("compiled", "gen", "mark", "run", "starts", "state", "window")

    def __init__(self, window: Window, state: RegionState) -> None:
        self.window = window
        self.state = state
        self.compiled: WindowSchedule | None = None
        self.starts: Iterator[datetime] = iter(())
        self.gen = 0
        self.mark = 0
        self.run: _ExecutionRun | None = None


class _Load:
    """Executions running in one account and Region, and those waiting for a place."""

    __slots__ = ("active", "draining", "queue")

    def __init__(self) -> None:
        self.active = 0
        self.queue: deque[_ExecutionRun] = deque()
        self.draining = False


class _ExecutionRun:
    """A window execution in flight: its priority groups and what has happened so far."""

    __slots__ = (
        "arn",
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
        "running",
        "starting",
        "state",
        "tasks",
        "timed_out",
        "window",
    )

    def __init__(
        self,
        cursor: _Cursor,
        load: _Load,
        record: WindowExecutionRecord,
        arn: str,
    ) -> None:
        window = cursor.window
        self.cursor = cursor
        self.state = cursor.state
        self.window = window
        self.load = load
        self.record = record
        self.arn = arn
        start = record.start_time
        self.end = start + timedelta(hours=window.duration)
        self.cutoff = self.end - timedelta(hours=window.cutoff)
        self.groups: list[list[WindowTask]] = []
        self.group_index = 0
        self.running = 0
        self.tasks: list[_TaskRun] = []
        self.begun = False
        self.starting = False
        self.cancelled = False
        self.timed_out = False
        self.failed = False
        self.finished = False


class _Outcomes:
    """The tally of finished units (invocations, or the nodes of one command): which final
    statuses occurred and how many count as errors against MaxErrors."""

    __slots__ = ("any_cancelled", "any_failed", "any_timed_out", "errors")

    def __init__(self) -> None:
        self.errors = 0
        self.any_failed = False
        self.any_timed_out = False
        self.any_cancelled = False

    def count(self, status: str) -> None:
        """Tally one final status."""
        if status == "SUCCESS":
            return
        if status == "FAILED":
            self.any_failed = True
        elif status == "TIMED_OUT":
            self.any_timed_out = True
        else:
            self.any_cancelled = True
        if status in _ERRORS:
            self.errors += 1

    def rollup(self) -> str:
        """One status for many: a failure outweighs a timeout, which outweighs a cancellation."""
        if self.any_failed:
            return "FAILED"
        if self.any_timed_out:
            return "TIMED_OUT"
        if self.any_cancelled:
            return "CANCELLED"
        return "SUCCESS"


class _TaskRun(_Outcomes):
    """A task execution in flight: its units (targets, or Run Command commands) and their
    concurrency and error accounting."""

    __slots__ = (
        "branch",
        "cancel_at_cutoff",
        "command",
        "concurrency",
        "cut",
        "done",
        "execution_name",
        "execution_prefix",
        "launch_pending",
        "launching",
        "max_errors",
        "next",
        "record",
        "run",
        "running",
        "task",
        "template",
        "templated",
        "units",
        "values",
    )

    def __init__(self, run: _ExecutionRun, task: WindowTask, record: TaskExecutionRecord) -> None:
        super().__init__()
        self.run = run
        self.task = task
        self.record = record
        self.units: list[Any] = []
        self.next = 0
        self.running = 0
        self.concurrency = 1
        self.max_errors = _NO_LIMIT
        self.launching = False
        self.done = False
        self.cut = False
        self.cancel_at_cutoff = task.cutoff_behavior == "CANCEL_TASK"
        self.branch: dict[str, Any] = {}
        self.values: dict[str, str] = {}
        self.template = ""
        self.templated = False
        self.command: _Command | None = None
        self.execution_prefix: str | None = None
        self.execution_name: str | None = None
        self.launch_pending = False


class _Command(_Outcomes):
    """One Run Command command of a RUN_COMMAND task: the nodes of one window target, run
    under the task's MaxConcurrency and MaxErrors as Run Command applies them."""

    __slots__ = (
        "cancelled",
        "concurrency",
        "done",
        "group",
        "instances",
        "launch_pending",
        "launching",
        "max_errors",
        "next",
        "output",
        "parameters",
        "record",
        "running",
        "task_run",
        "values",
    )

    def __init__(
        self,
        task_run: _TaskRun,
        group: CommandGroup,
        record: InvocationRecord,
        values: dict[str, str],
    ) -> None:
        super().__init__()
        task = task_run.task
        count = len(group.instance_ids)
        self.task_run = task_run
        self.group = group
        self.record = record
        self.values = values
        self.instances = group.instance_ids
        self.concurrency = concurrency_limit(task.max_concurrency, count)
        self.max_errors = allowed_errors(task.max_errors, count)
        self.next = 0
        self.running = 0
        self.launching = False
        self.done = False
        self.cancelled = False
        self.output = ""
        self.parameters: dict[str, Any] | None = None
        self.launch_pending = False


class Engine:
    """Runs every due maintenance window of one mock, in time order, as the clock advances."""

    def __init__(
        self,
        *,
        clock: FakeClock,
        store: Store,
        service: Service,
        fleet: Fleet,
        handlers: Mapping[str, Handler],
        ids: IdGenerator,
        emit: Emit,
        max_concurrent_executions: int = MAX_CONCURRENT_EXECUTIONS,
    ) -> None:
        self._clock = clock
        self._store = store
        self._resolver = Resolver(fleet)
        self._handlers = handlers
        self._ids = ids
        self._uuid = ids.uuid
        self._emit = emit
        self.max_concurrent_executions = max_concurrent_executions
        self._heap: list[Entry] = []
        self._seq = 0
        self._cursors: dict[str, _Cursor] = {}
        self._loads: dict[tuple[str, str], _Load] = {}
        self._runs: dict[str, _ExecutionRun] = {}
        self._mark = 0
        self._running = False
        self._dirty = True
        self._error: BaseException | None = None
        self._iso_when: datetime | None = None
        self._iso_text = ""
        # Service calls (from a handler mid-run, or between advances) can create, change
        # or delete windows; the service counts its calls, so noticing costs one compare.
        self._service = service
        self._calls_seen = -1

    # --- the loop -----------------------------------------------------------------------

    def run_until(self, when: datetime) -> None:
        """Apply every happening up to and including ``when``, in order; end at ``when``."""
        with self._store.lock:
            if self._running:
                raise RuntimeError(
                    "advance()/advance_to() cannot be called from inside a task outcome "
                    "handler: the handler runs at one instant of the simulation; return a "
                    "TaskOutcome with a duration instead"
                )
            clock = self._clock
            if when < clock.now:
                clock.set(when)  # raises the clock's own "cannot go back" error
            self._running = True
            try:
                self._loop(when)
                clock.set(when)
                self._prune_all(when)
            finally:
                self._running = False

    def _loop(self, when: datetime) -> None:
        heap = self._heap
        clock = self._clock
        pop = heapq.heappop
        self._dirty = True
        service = self._service
        while True:
            if self._dirty or service.calls != self._calls_seen:
                self._calls_seen = service.calls
                self._sync()
            if not heap or heap[0][0] > when:
                return
            t, _, _, kind, obj, arg = pop(heap)
            if t > clock.now:
                clock.set(t)
            if kind == _INVOCATION_END:
                if not obj.run.finished:
                    record, status, output = arg
                    self._end_invocation(obj, record, status, output, t)
            elif kind == _INSTANCE_END:
                if not obj.done:
                    self._instance_done(obj, arg[0], arg[1], t)
            elif kind == _SLOT:
                cursor: _Cursor = obj
                if cursor.gen == arg and self._cursors.get(cursor.window.window_id) is cursor:
                    self._on_slot(cursor, t)
            elif kind == _LAUNCH:
                obj.launch_pending = False
                if not obj.run.finished:
                    self._launch(obj, t)
            elif kind == _LAUNCH_INSTANCES:
                obj.launch_pending = False
                self._launch_instances(obj, t)
            elif kind == _CUTOFF:
                self._on_cutoff(obj, t)
            else:
                self._drain(obj, t)
            error = self._error
            if error is not None:
                self._error = None
                raise error

    def _push(self, when: datetime, rank: int, kind: int, obj: Any, arg: Any) -> None:
        self._seq += 1
        heapq.heappush(self._heap, (when, rank, self._seq, kind, obj, arg))

    # --- windows and their slots --------------------------------------------------------

    def _sync(self) -> None:
        """Meet every window of every Region: new ones get a cursor, changed schedules
        restart from now, deleted windows lose their cursor and their running execution."""
        self._dirty = False
        now = self._clock.now
        self._mark += 1
        mark = self._mark
        cursors = self._cursors
        seen = 0
        for state in self._store.regions():
            for window_id, window in state.windows.items():
                seen += 1
                cursor = cursors.get(window_id)
                if cursor is None or cursor.window is not window:
                    if cursor is not None:
                        self._kill(cursor)
                    cursor = cursors[window_id] = _Cursor(window, state)
                    self._restart(cursor, now)
                elif cursor.compiled is not window.compiled:
                    self._restart(cursor, now)
                cursor.mark = mark
        if seen != len(cursors):
            for window_id, cursor in list(cursors.items()):
                if cursor.mark != mark:
                    del cursors[window_id]
                    self._kill(cursor)

    def _restart(self, cursor: _Cursor, now: datetime) -> None:
        """(Re)derive a window's slots from its current schedule, strictly after ``now``: a
        window created, changed or re-enabled in the middle of a slot does not retro-start it."""
        compiled = cursor.window.compiled
        cursor.compiled = compiled
        cursor.gen += 1
        cursor.starts = compiled.starts_after(now)
        self._push_slot(cursor)

    def _push_slot(self, cursor: _Cursor) -> None:
        start = next(cursor.starts, None)
        if start is not None:
            self._push(start.astimezone(UTC), _RANK_SLOT, _SLOT, cursor, cursor.gen)

    def _kill(self, cursor: _Cursor) -> None:
        """A deleted window's execution stops where it is (its records went with it)."""
        cursor.gen += 1
        run = cursor.run
        if run is None or run.finished:
            return
        run.finished = True
        cursor.run = None
        self._runs.pop(run.record.window_execution_id, None)
        for task_run in run.tasks:
            task_run.done = True
            if task_run.command is not None:
                task_run.command.done = True
        if run.begun:
            run.load.active -= 1
            self._release(run.load)

    def _load_of(self, state: RegionState) -> _Load:
        key = (state.account, state.region)
        load = self._loads.get(key)
        if load is None:
            load = self._loads[key] = _Load()
        return load

    def _on_slot(self, cursor: _Cursor, t: datetime) -> None:
        """A window's slot is due: record its execution, or a skip if the last still runs."""
        self._push_slot(cursor)
        state, window = cursor.state, cursor.window
        self._prune(state, window, t)
        record = WindowExecutionRecord(self._uuid(), window.window_id, "PENDING", t)
        window.executions.append(record)
        state.executions[record.window_execution_id] = record
        arn = f"arn:aws:ssm:{state.region}:{state.account}:maintenancewindow/{window.window_id}"
        if cursor.run is not None:
            record.status = "SKIPPED_OVERLAPPING"
            record.end_time = t
            self._execution_event(state, record, arn, t)
            return
        load = self._load_of(state)
        run = _ExecutionRun(cursor, load, record, arn)
        cursor.run = run
        self._runs[record.window_execution_id] = run
        self._execution_event(state, record, arn, t)
        if load.active < self.max_concurrent_executions:
            load.active += 1
            self._begin(run, t)
        else:
            load.queue.append(run)
            if run.cutoff > t:
                self._push(run.cutoff, _RANK_CUTOFF, _CUTOFF, run, None)
            else:
                self._on_cutoff(run, t)

    def _release(self, load: _Load) -> None:
        """A place became free: start waiting executions now, or at the next advance when
        the place was freed by a Cancel call between advances."""
        if not load.queue:
            return
        if self._running:
            self._drain(load, self._clock.now)
        else:
            self._push(self._clock.now, _RANK_END, _DRAIN, load, None)

    def _drain(self, load: _Load, t: datetime) -> None:
        if load.draining:
            return
        load.draining = True
        try:
            while load.queue and load.active < self.max_concurrent_executions:
                run = load.queue.popleft()
                if run.finished:
                    continue
                load.active += 1
                self._begin(run, t)
        finally:
            load.draining = False

    # --- executions ---------------------------------------------------------------------

    def _begin(self, run: _ExecutionRun, t: datetime) -> None:
        """PENDING -> IN_PROGRESS; the tasks registered now form the priority groups."""
        run.begun = True
        record = run.record
        record.status = "IN_PROGRESS"
        self._execution_event(run.state, record, run.arn, t)
        tasks = sorted(run.window.tasks.values(), key=lambda task: task.priority)
        if not tasks:
            record.status_details = _NO_TASKS
            self._finish_execution(run, t)
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
            task.cutoff_behavior == "CANCEL_TASK" and task.task_type == "RUN_COMMAND"
            for task in tasks
        ):
            self._push(run.cutoff, _RANK_CUTOFF, _CUTOFF, run, None)
        self._next_group(run, t)

    def _next_group(self, run: _ExecutionRun, t: datetime) -> None:
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
                        self._start_task(run, task, t)
        finally:
            run.starting = False
        if run.running == 0 and not run.finished:
            self._finish_execution(run, t)

    def _finish_execution(self, run: _ExecutionRun, t: datetime) -> None:
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
        self._execution_event(run.state, record, run.arn, t)
        cursor = run.cursor
        if cursor.run is run:
            cursor.run = None
        self._runs.pop(record.window_execution_id, None)
        if run.begun:
            run.load.active -= 1
            self._release(run.load)

    def _on_cutoff(self, run: _ExecutionRun, t: datetime) -> None:
        """The cutoff instant: a still-waiting execution times out unstarted; Run Command
        tasks with CANCEL_TASK have their running command cancelled."""
        if run.finished:
            return
        if not run.begun:
            run.timed_out = True
            self._finish_execution(run, t)
            return
        for task_run in list(run.tasks):
            command = task_run.command
            if task_run.cancel_at_cutoff and command is not None and not command.done:
                task_run.cut = True
                command.cancelled = True
                self._finish_command(command, t)

    def cancel(self, state: RegionState, record: WindowExecutionRecord, now: datetime) -> None:
        """CancelMaintenanceWindowExecution: tasks not started never start, running tasks
        run to completion; IN_PROGRESS -> CANCELLING -> CANCELLED (a waiting PENDING
        execution is CANCELLED at once). Cancelling a finished execution does nothing."""
        with self._store.lock:
            run = self._runs.get(record.window_execution_id)
            if run is None or run.finished or run.cancelled or run.record is not record:
                return
            run.cancelled = True
            if not run.begun:
                self._finish_execution(run, now)
                return
            record.status = "CANCELLING"
            self._execution_event(run.state, record, run.arn, now)
            if run.running == 0 and not run.starting:
                self._finish_execution(run, now)

    # --- tasks --------------------------------------------------------------------------

    def _start_task(self, run: _ExecutionRun, task: WindowTask, t: datetime) -> None:
        """A task starts: its targets are resolved now, against the fleet as it is now."""
        state = run.state
        kind = task.task_type
        targeted = bool(task.targets)
        max_concurrency = task.max_concurrency if targeted and task.max_concurrency else "1"
        max_errors = task.max_errors if targeted and task.max_errors else "1"
        branch = handler_parameters(task)
        units: list[Any]
        if kind == "RUN_COMMAND":
            groups = self._resolver.command_groups(state, run.window, task)
            units = groups
            instance_ids = [iid for group in groups for iid in group.instance_ids]
        else:
            units = self._resolver.targets(state, run.window, task)
            instance_ids = []
        record = TaskExecutionRecord(
            task_execution_id=self._uuid(),
            window_execution_id=run.record.window_execution_id,
            window_task_id=task.window_task_id,
            task_arn=task.task_arn,
            task_type=kind,
            priority=task.priority,
            max_concurrency=max_concurrency,
            max_errors=max_errors,
            status="IN_PROGRESS",
            start_time=t,
            service_role=task.service_role_arn
            or (
                f"arn:aws:iam::{state.account}:role/aws-service-role/ssm.amazonaws.com/"
                "AWSServiceRoleForAmazonSSM"
            ),
            task_parameters=task_parameters(task, branch, instance_ids),
            alarm_configuration=task.alarm_configuration,
        )
        run.record.tasks[record.task_execution_id] = record
        self._task_event(run, record, t)
        task_run = _TaskRun(run, task, record)
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
        if kind == "STEP_FUNCTIONS":
            # Step Functions executions are known by ARN: the state machine's, with
            # ``execution`` and the execution name (the task's Name parameter, else an id).
            arn = task.task_arn
            if arn.startswith("arn:") and ":stateMachine:" in arn:
                task_run.execution_prefix = arn.replace(":stateMachine:", ":execution:", 1) + ":"
            else:
                task_run.execution_prefix = ""
            name = branch.get("Name")
            if isinstance(name, str) and name:
                task_run.execution_name = name
        if kind != "RUN_COMMAND":
            task_run.concurrency = concurrency_limit(max_concurrency, len(units))
            task_run.max_errors = allowed_errors(max_errors, len(units))
            template = json.dumps(request_document(task, branch), separators=(",", ":"))
            task_run.template = template
            task_run.templated = "{{" in template
        run.running += 1
        run.tasks.append(task_run)
        self._launch(task_run, t)

    def _launch(self, task_run: _TaskRun, t: datetime) -> None:
        """Start units while MaxConcurrency allows, MaxErrors is not exceeded and (for
        CANCEL_TASK) the cutoff has not been reached; finish the task when nothing runs."""
        if task_run.launching or task_run.done:
            return
        task_run.launching = True
        try:
            units = task_run.units
            cutoff = task_run.run.cutoff
            command_task = task_run.task.task_type == "RUN_COMMAND"
            while task_run.running < task_run.concurrency and task_run.next < len(units):
                if task_run.errors > task_run.max_errors:
                    break
                if task_run.cancel_at_cutoff and t >= cutoff:
                    task_run.cut = True
                    break
                unit = units[task_run.next]
                task_run.next += 1
                task_run.running += 1
                if command_task:
                    self._start_command(task_run, unit, t)
                else:
                    self._start_invocation(task_run, unit, t)
        finally:
            task_run.launching = False
        if task_run.running == 0:
            self._finish_task(task_run, t)

    def _unit_done(self, task_run: _TaskRun, status: str, t: datetime) -> None:
        task_run.running -= 1
        task_run.count(status)
        if task_run.launching:
            return  # the launch loop on the stack goes on by itself
        if not task_run.launch_pending:
            # An ending taken from the heap: launch after every ending of this instant.
            task_run.launch_pending = True
            self._push(t, _RANK_LAUNCH, _LAUNCH, task_run, None)

    def _finish_task(self, task_run: _TaskRun, t: datetime) -> None:
        task_run.done = True
        run = task_run.run
        status = "TIMED_OUT" if task_run.cut else task_run.rollup()
        record = task_run.record
        record.status = status
        record.end_time = t
        self._task_event(run, record, t)
        if status == "TIMED_OUT":
            run.timed_out = True
        elif status != "SUCCESS":
            run.failed = True
        run.running -= 1
        run.tasks.remove(task_run)
        if not run.starting and run.running == 0:
            self._next_group(run, t)

    # --- invocations (Automation, Lambda, Step Functions: one per target) ----------------

    def _start_invocation(self, task_run: _TaskRun, target: Target, t: datetime) -> None:
        task = task_run.task
        run = task_run.run
        uuid = self._uuid
        invocation_id = uuid()
        prefix = task_run.execution_prefix
        execution_id = uuid() if prefix is None else prefix + (task_run.execution_name or uuid())
        handlers = self._handlers
        handler = (
            handlers.get(task.task_arn) or handlers.get(task.task_type)
        ) if handlers else None
        values: dict[str, str] | None = None
        parameters = task_run.template
        if task_run.templated or handler is not None:
            values = dict(task_run.values)
            values["INVOCATION_ID"] = invocation_id
            if target.window_target_id is not None:
                values["WINDOW_TARGET_ID"] = target.window_target_id
            if target.target_type is not None:
                values["TARGET_TYPE"] = target.target_type
                values["TARGET_ID"] = target.target_id or ""
                values["RESOURCE_ID"] = target.resource_id or ""
            if task_run.templated:
                parameters = substitute_json(parameters, values)
        window_execution_id = run.record.window_execution_id
        task_execution_id = task_run.record.task_execution_id
        owner = target.owner_information
        window_target_id = target.window_target_id
        if handler is None:
            # The common case of long simulations: success at once. Nothing can observe the
            # invocation between its two state changes, so it is recorded finished directly
            # and both events are built from locals (called from _launch's loop only).
            stamp = self._iso(t)
            task_run.record.invocations[invocation_id] = InvocationRecord(
                invocation_id, window_execution_id, task_execution_id, execution_id,
                task.task_type, parameters, "SUCCESS", t, "Success", t, owner, window_target_id,
            )
            emit, state, window_id = self._emit, run.state, run.window.window_id
            emit(
                INVOCATION_STATE,
                _invocation_detail(
                    stamp, None, window_id, window_execution_id, task_execution_id,
                    window_target_id, "IN_PROGRESS", owner,
                ),
                [run.arn], t, state.account, state.region,
            )
            emit(
                INVOCATION_STATE,
                _invocation_detail(
                    stamp, stamp, window_id, window_execution_id, task_execution_id,
                    window_target_id, "SUCCESS", owner,
                ),
                [run.arn], t, state.account, state.region,
            )
            task_run.running -= 1
            return
        record = InvocationRecord(
            invocation_id, window_execution_id, task_execution_id, execution_id,
            task.task_type, parameters, "IN_PROGRESS", t, "InProgress", None, owner,
            window_target_id,
        )
        task_run.record.invocations[invocation_id] = record
        self._invocation_event(run, record, t)
        assert values is not None
        invocation = Invocation(
            window_id=run.window.window_id,
            window_execution_id=run.record.window_execution_id,
            window_task_id=task.window_task_id,
            task_execution_id=task_run.record.task_execution_id,
            invocation_id=invocation_id,
            window_target_id=target.window_target_id,
            target_id=target.target_id,
            task_arn=task.task_arn,
            task_type=task.task_type,
            owner_information=target.owner_information,
            start_time=t,
            parameters=substitute(task_run.branch, values),
        )
        status, duration, output = self._call(handler, invocation)
        if duration:
            self._push(
                t + duration, _RANK_END, _INVOCATION_END, task_run, (record, status, output)
            )
        else:
            self._end_invocation(task_run, record, status, output, t)

    def _end_invocation(
        self, task_run: _TaskRun, record: InvocationRecord, status: str, output: str, t: datetime
    ) -> None:
        record.status = status
        record.end_time = t
        record.status_details = output[:250] if output else _DETAILS[status]
        self._invocation_event(task_run.run, record, t)
        self._unit_done(task_run, status, t)

    # --- Run Command: one command per window target, handler called per node -------------

    def _start_command(self, task_run: _TaskRun, group: CommandGroup, t: datetime) -> None:
        task = task_run.task
        run = task_run.run
        invocation_id = self._uuid()
        command_id = self._uuid()
        values = dict(task_run.values)
        values["INVOCATION_ID"] = invocation_id
        values["TARGET_TYPE"] = group.target_type
        if group.window_target_id is not None:
            values["WINDOW_TARGET_ID"] = group.window_target_id
        document = request_document(
            task,
            task_run.branch,
            instance_ids=group.instance_ids,
            max_concurrency=task_run.record.max_concurrency,
            max_errors=task_run.record.max_errors,
        )
        parameters = substitute_json(json.dumps(document, separators=(",", ":")), values)
        record = InvocationRecord(
            invocation_id,
            run.record.window_execution_id,
            task_run.record.task_execution_id,
            command_id,
            task.task_type,
            parameters,
            "IN_PROGRESS",
            t,
            "InProgress",
            None,
            group.owner_information,
            group.window_target_id,
        )
        task_run.record.invocations[invocation_id] = record
        self._invocation_event(run, record, t)
        command = _Command(task_run, group, record, values)
        task_run.command = command
        self._launch_instances(command, t)

    def _launch_instances(self, command: _Command, t: datetime) -> None:
        """Run Command's rate controls inside one command: at most MaxConcurrency nodes at
        a time, and no new node once more than MaxErrors have failed."""
        if command.launching or command.done:
            return
        command.launching = True
        try:
            instances = command.instances
            while command.running < command.concurrency and command.next < len(instances):
                if command.errors > command.max_errors:
                    break
                instance_id = instances[command.next]
                command.next += 1
                command.running += 1
                self._start_instance(command, instance_id, t)
        finally:
            command.launching = False
        if command.running == 0 and not command.done:
            self._finish_command(command, t)

    def _start_instance(self, command: _Command, instance_id: str, t: datetime) -> None:
        task_run = command.task_run
        task = task_run.task
        handlers = self._handlers
        handler = (
            handlers.get(task.task_arn) or handlers.get(task.task_type)
        ) if handlers else None
        if handler is None:
            self._instance_done(command, "SUCCESS", "", t)
            return
        if command.parameters is None:
            # TARGET_ID and RESOURCE_ID are not supported in Run Command tasks: one command
            # serves several nodes, so they stay as written (the node is inv.target_id).
            command.parameters = substitute(task_run.branch, command.values)
        run = task_run.run
        invocation = Invocation(
            window_id=run.window.window_id,
            window_execution_id=run.record.window_execution_id,
            window_task_id=task.window_task_id,
            task_execution_id=task_run.record.task_execution_id,
            invocation_id=command.record.invocation_id,
            window_target_id=command.group.window_target_id,
            target_id=instance_id,
            task_arn=task.task_arn,
            task_type=task.task_type,
            owner_information=command.group.owner_information,
            start_time=t,
            parameters=substitute(command.parameters, {}),
        )
        status, duration, output = self._call(handler, invocation)
        if duration:
            self._push(t + duration, _RANK_END, _INSTANCE_END, command, (status, output))
        else:
            self._instance_done(command, status, output, t)

    def _instance_done(self, command: _Command, status: str, output: str, t: datetime) -> None:
        command.running -= 1
        if output:
            command.output = output
        command.count(status)
        if command.launching:
            return
        if not command.launch_pending:
            command.launch_pending = True
            self._push(t, _RANK_LAUNCH, _LAUNCH_INSTANCES, command, None)

    def _finish_command(self, command: _Command, t: datetime) -> None:
        command.done = True
        status = "CANCELLED" if command.cancelled else command.rollup()
        record = command.record
        record.status = status
        record.end_time = t
        single = len(command.instances) == 1
        record.status_details = (
            command.output[:250] if single and command.output else _DETAILS[status]
        )
        task_run = command.task_run
        task_run.command = None
        self._invocation_event(task_run.run, record, t)
        self._unit_done(task_run, status, t)

    # --- handlers -----------------------------------------------------------------------

    def _call(self, handler: Handler, invocation: Invocation) -> tuple[str, timedelta, str]:
        """Ask the test's handler; a raise or a wrong return value is the test's error.

        The invocation is recorded FAILED so the simulation stays consistent, the current
        instant is finished, and the error is raised out of ``advance()`` right after.
        """
        try:
            outcome = handler(invocation)
        except Exception as exc:
            error = TaskHandlerError(
                f"the task outcome handler for task {invocation.task_arn} (WindowTaskId "
                f"{invocation.window_task_id}) of window {invocation.window_id} raised "
                f"{type(exc).__name__}: {exc} [invocation {invocation.invocation_id}, "
                f"task execution {invocation.task_execution_id}, window execution "
                f"{invocation.window_execution_id}, target {invocation.target_id}]"
            )
            error.__cause__ = exc
            self._fail(error)
            return "FAILED", _ZERO, f"The task outcome handler raised {type(exc).__name__}"
        if not isinstance(outcome, TaskOutcome):
            self._fail(
                TypeError(
                    f"the task outcome handler for task {invocation.task_arn} (WindowTaskId "
                    f"{invocation.window_task_id}) of window {invocation.window_id} returned "
                    f"{type(outcome).__name__} ({outcome!r}) for invocation "
                    f"{invocation.invocation_id}; it must return a ssm_mw_stub.TaskOutcome"
                )
            )
            return "FAILED", _ZERO, "The task outcome handler returned no TaskOutcome"
        return outcome.status, outcome.duration, outcome.output

    def _fail(self, error: BaseException) -> None:
        if self._error is None:
            self._error = error

    # --- retention ----------------------------------------------------------------------

    @staticmethod
    def _prune(state: RegionState, window: Window, now: datetime) -> None:
        """Forget finished executions that started more than 30 days before ``now``."""
        executions = window.executions
        if not executions:
            return
        oldest = now - RETENTION
        count = 0
        for execution in executions:
            if execution.start_time >= oldest or execution.status in _ACTIVE:
                break
            count += 1
        if count:
            for execution in executions[:count]:
                state.executions.pop(execution.window_execution_id, None)
            del executions[:count]

    def _prune_all(self, now: datetime) -> None:
        for state in self._store.regions():
            for window in state.windows.values():
                self._prune(state, window, now)

    # --- events -------------------------------------------------------------------------

    def _iso(self, when: datetime) -> str:
        """Event time text, cached: many events of one instant share it."""
        if when is not self._iso_when:
            self._iso_when = when
            self._iso_text = iso_millis(when)
        return self._iso_text

    def _execution_event(
        self, state: RegionState, record: WindowExecutionRecord, arn: str, t: datetime
    ) -> None:
        detail: dict[str, Any] = {"start-time": self._iso(record.start_time)}
        if record.end_time is not None:
            detail["end-time"] = self._iso(record.end_time)
        detail["window-id"] = record.window_id
        detail["window-execution-id"] = record.window_execution_id
        detail["status"] = record.status
        self._emit(EXECUTION_STATE, detail, [arn], t, state.account, state.region)

    def _task_event(self, run: _ExecutionRun, record: TaskExecutionRecord, t: datetime) -> None:
        assert record.start_time is not None
        detail: dict[str, Any] = {
            "start-time": self._iso(record.start_time),
            "task-execution-id": record.task_execution_id,
        }
        if record.end_time is not None:
            detail["end-time"] = self._iso(record.end_time)
        detail["window-id"] = run.window.window_id
        detail["window-execution-id"] = record.window_execution_id
        detail["status"] = record.status
        state = run.state
        self._emit(TASK_EXECUTION_STATE, detail, [run.arn], t, state.account, state.region)

    def _invocation_event(self, run: _ExecutionRun, record: InvocationRecord, t: datetime) -> None:
        end = record.end_time
        detail = _invocation_detail(
            self._iso(record.start_time),
            None if end is None else self._iso(end),
            run.window.window_id,
            record.window_execution_id,
            record.task_execution_id,
            record.window_target_id,
            record.status,
            record.owner_information,
        )
        state = run.state
        self._emit(INVOCATION_STATE, detail, [run.arn], t, state.account, state.region)


def _invocation_detail(
    start: str,
    end: str | None,
    window_id: str,
    window_execution_id: str,
    task_execution_id: str,
    window_target_id: str | None,
    status: str,
    owner: str | None,
) -> dict[str, Any]:
    """The detail of a task target invocation event, keys in the AWS examples' order."""
    detail: dict[str, Any] = {"start-time": start}
    if end is not None:
        detail["end-time"] = end
    detail["window-id"] = window_id
    detail["window-execution-id"] = window_execution_id
    detail["task-execution-id"] = task_execution_id
    if window_target_id is not None:
        detail["window-target-id"] = window_target_id
    detail["status"] = status
    if owner is not None:
        detail["owner-information"] = owner
    return detail
