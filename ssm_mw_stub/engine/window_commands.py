"""The unit runner of a task that sends Run Command commands: one command per window target.

Each unit is a window target's group of nodes (:class:`~.targets.CommandGroup`): its window
invocation is recorded, and the command over its nodes is sent (:mod:`.commands` runs it,
knowing the window only as values). The invocation ends with the command's rolled-up
status; at the cutoff, CANCEL_TASK cancels the command running then (CancelCommand).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..model import WindowTask
from ..model.commands import is_node_id, new_command, short_document_name
from ..task_types.base import CommandRequest
from ..task_types.pseudo import substitute, substitute_json
from .command_runs import CommandRun
from .commands import Commands
from .runs import ExecutionRun, TaskRun
from .targets import CommandGroup
from .units import Parts, Units, end_invocation, start_invocation

__all__ = ["WindowCommands"]

#: The window invocation status of a command's final Status.
_WINDOW_STATUS = {
    "Success": "SUCCESS",
    "Failed": "FAILED",
    "TimedOut": "TIMED_OUT",
    "Cancelled": "CANCELLED",
}


class _Served:
    """A window's command's way back to its task: told when the command is over."""

    __slots__ = ("runner", "task_run")

    def __init__(self, runner: WindowCommands, task_run: TaskRun) -> None:
        self.runner = runner
        self.task_run = task_run

    def command_done(self, command: CommandRun, t: datetime) -> None:
        self.runner.command_done(self.task_run, command, t)


class WindowCommands(Units):
    """One Run Command command per window target, one after another."""

    def __init__(self, parts: Parts, commands: Commands) -> None:
        super().__init__(parts)
        self._commands = commands

    def resolve(self, run: ExecutionRun, task: WindowTask) -> tuple[list[Any], list[str]]:
        groups = self._resolver.command_groups(run.state, run.window, task)
        return groups, [iid for group in groups for iid in group.instance_ids]

    def start_unit(self, batch: Any, unit: Any, t: datetime) -> None:
        """The task sends its next command: its window invocation is recorded, and the
        command over the window target's nodes starts now."""
        task_run: TaskRun = batch
        group: CommandGroup = unit
        task, kind, run, task_record = task_run.task, task_run.kind, task_run.run, task_run.record
        state = run.state
        invocation_id = self._uuid()
        command_id = self._uuid()
        values = kind.invocation_values(
            task_run.values, invocation_id, group.window_target_id, group.target_type
        )
        rates = CommandRequest(
            group.instance_ids, task_record.max_concurrency, task_record.max_errors
        )
        document = kind.request_text(task, task_run.branch, rates)
        invocation = start_invocation(
            self._journal, task_run, invocation_id, command_id,
            substitute_json(document, values), group.window_target_id,
            group.owner_information, t,
        )
        refused = None
        if short_document_name(task.task_arn) is None:
            refused = "InvalidDocument"  # no document has that name
        elif not all(is_node_id(iid) for iid in group.instance_ids):
            refused = "InvalidInstanceId"  # ids given as targets that no node can have
        if refused is not None:
            # The window's SendCommand is refused: the invocation fails at once, without a
            # command, with the error's code as its StatusDetails.
            end_invocation(self._journal, task_run, invocation, "FAILED", refused, t)
            return
        branch = substitute(task_run.branch, values)
        record = new_command(
            command_id, kind.send_command_request(task, branch, rates), state.region, t
        )
        record.window_execution_id = task_record.window_execution_id
        command = self._commands.for_window(
            state, record, (task.task_arn, task.task_type), branch, task_run.work, invocation,
            _Served(self, task_run),
        )
        task_run.command = command
        self._commands.start_for_window(command, group.instance_ids, t)

    def command_done(self, task_run: TaskRun, command: CommandRun, t: datetime) -> None:
        """The command is over: its window invocation ends with the command's status."""
        invocation = command.invocation
        assert invocation is not None
        task_run.command = None
        single = len(command.units) == 1
        end_invocation(
            self._journal, task_run, invocation, _WINDOW_STATUS[command.record.status],
            command.output if single else "", t,
        )

    def cut_off(self, task_run: TaskRun, t: datetime) -> None:
        """CANCEL_TASK at the cutoff: the running command is cancelled (CancelCommand),
        and the task ends TIMED_OUT."""
        command = task_run.command
        if task_run.stop_at is not None and command is not None and not command.done:
            task_run.cut = True
            self._commands.cancel_running(command, t)
