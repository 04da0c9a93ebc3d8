"""Run Command in the engine: commands, their nodes, and how the nodes' outcomes roll up.

A command comes from a maintenance window's task that sends commands (one per window
target, see :mod:`.window_commands`) or from the code's own SendCommand (the service records
it, the engine starts it at the next instant it applies). Either way it is a
:class:`~.command_runs.CommandRun`, a launch batch (:mod:`.launcher`) whose units are
managed nodes, started under the command's MaxConcurrency and MaxErrors as Run Command
applies them; each node asks the test's handler (by document name, then ``RUN_COMMAND``)
and writes its invocation record, events and side channels
(:class:`~.command_runs.Notices`). When every node has ended, or the command was cancelled
or expired, the command's status is rolled up as "Understanding command statuses" describes
(:func:`~ssm_mw_stub.model.commands.command_outcome`) and, for a window's command, becomes
its invocation's status. Every decision and its source is in docs/run-command.md.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import partial
from typing import Any, ClassVar

from ..model import JSON, InvocationRecord, RegionState
from ..model.commands import (
    ERROR_DETAILS,
    GENERIC_DETAILS,
    NODE_DETAILS,
    NOT_RUN_DETAILS,
    CommandInvocationRecord,
    CommandRecord,
    command_outcome,
)
from ..task_types.run_command import RunCommand
from .agenda import CUTOFF, END, Agenda
from .command_runs import CommandOwner, CommandRun, Notices, response_code
from .delivery import Delivery
from .handlers import Handlers
from .invocations import WindowWork
from .journal import Journal
from .patching import PatchRuns
from .rates import allowed_errors, concurrency_limit
from .targets import Resolver

__all__ = ["Commands"]

#: The RunCommand branch members (SendCommand's too) a handler sees as its parameters.
_HANDLER_MEMBERS = (
    "Comment", "CloudWatchOutputConfig", "DocumentHash", "DocumentHashType",
    "DocumentVersion", "NotificationConfig", "OutputS3BucketName", "OutputS3KeyPrefix",
    "Parameters", "ServiceRoleArn", "TimeoutSeconds",
)


class Commands:
    """Starts commands and their nodes, records how they end, and rolls them up."""

    #: Whether the success-at-once fast path may stand in for launching the nodes one by
    #: one; the differential test turns it off to compare the two.
    at_once_allowed: ClassVar[bool] = True

    def __init__(
        self,
        *,
        agenda: Agenda,
        journal: Journal,
        handlers: Handlers,
        resolver: Resolver,
        delivery: Delivery,
        patch_runs: PatchRuns,
    ) -> None:
        self.agenda, self._journal, self._handlers = agenda, journal, handlers
        #: Where an AWS-RunPatchBaseline node that ended reports (engine/patching.py).
        self._patch_runs = patch_runs
        self._resolver = resolver
        self._notices = Notices(journal, delivery)
        #: Commands not finished yet, by CommandId (what CancelCommand can reach).
        self._active: dict[str, CommandRun] = {}

    def _run(
        self, state: RegionState, record: CommandRecord, keys: tuple[str, str], parameters: JSON
    ) -> CommandRun:
        return CommandRun(
            self.agenda, self, state, record, keys, parameters, self._notices.times(record)
        )

    # --- sent by a maintenance window (one command per window target) ------------------

    def for_window(
        self,
        state: RegionState,
        record: CommandRecord,
        keys: tuple[str, str],
        parameters: JSON,
        window: WindowWork,
        invocation: InvocationRecord,
        owner: CommandOwner,
        ) -> CommandRun:
        """A window's task sends the command ``record`` (:mod:`.window_commands`): for the
        window invocation ``invocation``, ``owner`` told when it is over. It starts with
        :meth:`start_for_window`."""
        state.commands[record.command_id] = record
        command = self._run(state, record, keys, parameters)
        command.serve(window, invocation, owner)
        self._active[record.command_id] = command
        return command

    def start_for_window(self, command: CommandRun, nodes: list[str], t: datetime) -> None:
        """The window's command starts now, over the window target's nodes."""
        self._notices.command(command, t)
        self._start(command, nodes, t)

    def cancel_running(self, command: CommandRun, t: datetime) -> None:
        """A window's CANCEL_TASK at the cutoff: the command is cancelled (CancelCommand)."""
        command.cancelled = True
        self._close(command, "Cancelled", t)

    # --- sent by the code under test (SendCommand, CancelCommand) -----------------------

    def sent(
        self, state: RegionState, record: CommandRecord, request: JSON, t: datetime
    ) -> CommandRun:
        """A command SendCommand recorded (``request`` is the call): its Pending event now;
        it starts at the next instant the engine applies (:meth:`start_sent`)."""
        parameters = {
            member: request[member] for member in _HANDLER_MEMBERS if member in request
        }
        keys = (request["DocumentName"], RunCommand.name)
        command = self._run(state, record, keys, parameters)
        self._active[record.command_id] = command
        arn = self._notices.arn
        command.resources = tuple(arn(state, iid)[0] for iid in record.instance_ids)
        self._notices.command(command, t)
        return command

    def start_sent(self, command: CommandRun, t: datetime) -> None:
        """The command's first instant: its targets are resolved against the fleet as it
        is now, and its nodes start."""
        record = command.record
        if record.status != "Pending":
            return  # cancelled before it started
        nodes = record.instance_ids or self._resolver.command_targets(
            command.state, record.targets
        )
        self._start(command, nodes, t)

    def cancel(self, record: CommandRecord, instance_ids: list[str] | None, t: datetime) -> None:
        """CancelCommand: the command's nodes not finished (or those of ``instance_ids``)
        end Cancelled; without ids the whole command is Cancelled at once."""
        command = self._active.get(record.command_id)
        if command is None or command.done:
            return
        if instance_ids is None:
            command.cancelled = True
            if record.status == "Pending" and not record.invocations:
                # Not started yet: the nodes it names end Cancelled, none will start (a
                # command sent with Targets has none resolved yet).
                nodes = command.units = record.instance_ids
                command.arns = {iid: self._notices.arn(command.state, iid) for iid in nodes}
                for instance_id in nodes:
                    record.invocations[instance_id] = CommandInvocationRecord(instance_id)
            self._close(command, "Cancelled", t)
            return
        for instance_id in instance_ids:
            invocation = record.invocations.get(instance_id)
            if invocation is None:
                command.pre_cancelled.add(instance_id)
            elif invocation.end is None:
                running = invocation.status == "InProgress"
                self._end_node(command, invocation, "Cancelled", t)
                if running:
                    command.unit_done("Cancelled", t)

    # --- the nodes ----------------------------------------------------------------------

    def _start(self, command: CommandRun, nodes: list[str], t: datetime) -> None:
        """Record every node Pending, then launch them under the rate controls."""
        record = command.record
        state = command.state
        count = len(nodes)
        record.target_count = count
        arn = self._notices.arn
        arns = command.arns = {iid: arn(state, iid) for iid in nodes}
        command.resources = tuple(arn for (arn,) in arns.values())
        if self._succeed_at_once(command, nodes, t):
            return
        invocations = record.invocations
        for instance_id in nodes:
            invocations[instance_id] = CommandInvocationRecord(instance_id)
        command.units = nodes
        command.concurrency = concurrency_limit(record.max_concurrency, count)
        command.max_errors = allowed_errors(record.max_errors, count)
        for instance_id in command.pre_cancelled & set(nodes):
            self._end_node(command, invocations[instance_id], "Cancelled", t)
        expires = record.expires_after
        if expires > t:
            self.agenda.push(expires, CUTOFF, partial(self._expire, command))
        command.launch(t)

    def _succeed_at_once(self, command: CommandRun, nodes: list[str], t: datetime) -> bool:
        """Without a handler, every node that can receive the command succeeds the instant
        it starts: none can change what the next one does, so the rate controls cannot
        bind and all are recorded in one loop (what long simulations spend their time on).
        False, and nothing done, when a handler or a node unable to receive it says
        otherwise."""
        if not self.at_once_allowed or command.pre_cancelled:
            return False
        if self._handlers.lookup(*command.keys) is not None:
            return False
        state, resolver = command.state, self._resolver
        if not resolver.all_online(state, nodes):
            return False
        if command.managed_only and resolver.unmanaged(state, nodes):
            return False
        record = command.record
        if nodes:
            record.status = record.status_details = "InProgress"
            self._notices.command(command, t)
        invocations = record.invocations
        for instance_id in nodes:
            invocations[instance_id] = CommandInvocationRecord.succeeded(instance_id, t)
        self._notices.successes(command, nodes, t)
        patch_runs = self._patch_runs
        if patch_runs.patches(record):
            for instance_id in nodes:
                patch_runs.node_ended(command.state, record, invocations[instance_id])
        record.completed_count = len(nodes)
        command.units = nodes
        command.next = len(nodes)
        self.batch_done(command, t)
        return True

    def start_unit(self, batch: Any, unit: Any, t: datetime) -> None:
        """One node's turn: the handler decides it (no handler: success at once). A node
        that is not online is never delivered: it stays InProgress until the command
        expires; one that is not a managed node is Undeliverable."""
        command: CommandRun = batch
        instance_id: str = unit
        record = command.record
        invocation = record.invocations[instance_id]
        if invocation.end is not None:
            command.running -= 1  # cancelled before its turn
            return
        if record.status == "Pending":
            record.status = record.status_details = "InProgress"
            self._notices.command(command, t)
        invocation.status = invocation.status_details = "InProgress"
        self._notices.node(command, instance_id, "InProgress", t)
        state = command.state
        if command.managed_only and self._resolver.unmanaged(state, (instance_id,)):
            self._end_node(command, invocation, "Undeliverable", t)
            command.unit_done("Undeliverable", t)
            return
        if not self._resolver.online(state, instance_id):
            return  # holds its place until the command expires (DeliveryTimedOut)
        handler = self._handlers.lookup(*command.keys)
        if handler is None:
            invocation.start = t
            self._end_node(command, invocation, "Success", t)
            command.unit_done("Success", t)
            return
        outcome = self._handlers.ask(handler, command.for_handler(instance_id, t))
        details = GENERIC_DETAILS.get(outcome.status, outcome.status)
        duration = outcome.duration
        code = outcome.response_code
        if details not in NOT_RUN_DETAILS:
            invocation.start = t
            limit = timedelta(seconds=record.execution_timeout)
            if duration > limit:  # the agent stops it at the document's execution timeout
                details, duration, code = "ExecutionTimedOut", limit, None
        stdout = outcome.stdout if outcome.stdout is not None else outcome.output
        end = partial(
            self._node_ended, command, invocation, details, code, stdout, outcome.stderr or "",
            outcome.output,
        )
        if duration:
            self.agenda.push(t + duration, END, end)
        else:
            end(t)

    def _node_ended(
        self,
        command: CommandRun,
        invocation: CommandInvocationRecord,
        details: str,
        code: int | None,
        stdout: str,
        stderr: str,
        output: str,
        t: datetime,
    ) -> None:
        if invocation.end is not None:
            return  # cancelled or expired meanwhile
        self._end_node(command, invocation, details, t, code, stdout, stderr)
        if output:
            command.output = output
        command.unit_done(details, t)

    def _end_node(
        self,
        command: CommandRun,
        invocation: CommandInvocationRecord,
        details: str,
        t: datetime,
        code: int | None = None,
        stdout: str = "",
        stderr: str = "",
    ) -> None:
        """Record a node's final status, its counts, event, notification and output."""
        record = command.record
        ran = invocation.start is not None
        invocation.status = NODE_DETAILS[details]
        invocation.status_details = details
        invocation.end = t
        if code is None:
            code = response_code(details, ran)
        invocation.response_code = code
        if ran:
            if details == "Failed" and code and command.plugin.action == "aws:runShellScript":
                # AWS-RunShellScript reports a failing script's exit status on stderr.
                joiner = "" if not stderr or stderr.endswith("\n") else "\n"
                stderr = f"{stderr}{joiner}failed to run commands: exit status {code}"
            invocation.stdout = stdout
            invocation.stderr = stderr
        record.completed_count += 1
        if details in ERROR_DETAILS:
            record.error_count += 1
        elif details == "DeliveryTimedOut":
            record.delivery_timed_out_count += 1
        self._notices.node(command, invocation.instance_id, invocation.status, t)
        if ran:
            self._notices.output(command, invocation)
            patch_runs = self._patch_runs
            if patch_runs.patches(record):
                patch_runs.node_ended(command.state, record, invocation)

    def _expire(self, command: CommandRun, t: datetime) -> None:
        """ExpiresAfter: a node still running is ExecutionTimedOut ("the command started to
        run on the managed node, but the execution wasn't complete before the timeout
        expired"), every other node not finished is DeliveryTimedOut (never delivered)."""
        if not command.done:
            for invocation in command.record.invocations.values():
                if invocation.end is None and invocation.start is not None:
                    self._end_node(command, invocation, "ExecutionTimedOut", t)
            self._close(command, "DeliveryTimedOut", t)

    def _close(self, command: CommandRun, details: str, t: datetime) -> None:
        """End every node not finished with ``details`` (Cancelled, DeliveryTimedOut), now."""
        for invocation in command.record.invocations.values():
            if invocation.end is None:
                self._end_node(command, invocation, details, t)
        command.running = 0
        self.batch_done(command, t)

    def batch_done(self, batch: Any, t: datetime) -> None:
        """Nothing runs and nothing more will start: nodes never started are Terminated
        (the errors exceeded MaxErrors), and the command's status is rolled up."""
        command: CommandRun = batch
        command.done = True
        record = command.record
        leftover = "Cancelled" if command.cancelled else "Terminated"
        for invocation in record.invocations.values():
            if invocation.end is None:
                self._end_node(command, invocation, leftover, t)
        details = [invocation.status_details for invocation in record.invocations.values()]
        record.status, record.status_details = command_outcome(
            details, command.max_errors, command.cancelled, bool(record.targets)
        )
        self._notices.command(command, t)
        self._active.pop(record.command_id, None)
        if command.on_done is not None:
            command.on_done.command_done(command, t)
