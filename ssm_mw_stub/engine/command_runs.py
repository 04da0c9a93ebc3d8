"""A Run Command command in flight, and what its changes tell the world.

:class:`CommandRun` is the launch batch (:mod:`.launcher`) of one command: its nodes are its
units, started under MaxConcurrency and MaxErrors; it knows whom it serves (a window's task,
as values and an owner told when it is over, or nobody for the code's own SendCommand) and
what its handlers are told.
:class:`Notices` turns the command's changes into EventBridge events, SNS notifications and
S3 output (:mod:`.delivery`). The runner that drives both is :mod:`.commands`.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Protocol

from ..model import InvocationRecord, RegionState
from ..model.arns import instance_arn
from ..model.commands import (
    ERROR_DETAILS,
    CommandInvocationRecord,
    CommandRecord,
    Plugin,
    command_message,
    invocation_message,
    output_key,
)
from ..model.events import iso_millis
from ..outcomes import Invocation
from ..task_types.pseudo import substitute
from ..task_types.run_command import RunCommand
from .agenda import Agenda
from .delivery import Delivery
from .invocations import WindowWork, sent_command
from .journal import Journal
from .launcher import Batch, BatchOwner

__all__ = ["CommandOwner", "CommandRun", "Notices", "response_code"]

#: Events a notification can be asked for (NotificationEvent), besides ``All``.
_NOTIFIED = frozenset({"InProgress", "Success", "TimedOut", "Cancelled", "Failed"})

_compact = json.JSONEncoder(separators=(",", ":")).encode


def response_code(details: str, ran: bool) -> int:
    """ResponseCode when the handler names none: the exit code a node would report (the
    agent kills timed-out and cancelled work: 137 on Linux), -1 where nothing ran."""
    if details == "Success":
        return 0
    if details == "Failed":
        return 1
    if ran and details in ("ExecutionTimedOut", "Cancelled"):
        return 137
    return -1


class CommandOwner(Protocol):
    """Whom a window's command serves: told when the command is over."""

    def command_done(self, command: CommandRun, t: datetime) -> None:
        """The command's status is final; its window invocation ends with it."""


class CommandRun(Batch):
    """A command in flight: its nodes, started under MaxConcurrency and MaxErrors."""

    __slots__ = (
        "arns",
        "cancelled",
        "invocation",
        "keys",
        "managed_only",
        "on_done",
        "output",
        "parameters",
        "plugin",
        "pre_cancelled",
        "record",
        "resources",
        "state",
        "times",
        "window",
    )

    def __init__(
        self,
        agenda: Agenda,
        owner: BatchOwner,
        state: RegionState,
        record: CommandRecord,
        keys: tuple[str, str],
        parameters: dict[str, object],
        times: tuple[str, str],
    ) -> None:
        super().__init__(agenda, owner)
        self.state = state
        self.record = record
        #: Handler lookup keys: the document (or task ARN), then the "any command" key.
        self.keys = keys
        #: The handler's parameters (the RunCommand members), substituted.
        self.parameters = parameters
        #: The plugin that runs on the fake fleet's nodes (the others are skipped).
        self.plugin: Plugin = next(p for p in record.plugins if p.skipped is None)
        #: RequestedDateTime and ExpiresAfter as event text.
        self.times = times
        self.resources: tuple[str, ...] = ()
        #: Each node's ARN, as the resources of its events.
        self.arns: dict[str, tuple[str]] = {}
        self.cancelled = False
        #: SendCommand's nodes must be managed nodes (a window's are taken as given).
        self.managed_only = True
        #: Nodes cancelled (CancelCommand) before the command started.
        self.pre_cancelled: set[str] = set()
        #: The last node output: a single-node window command's StatusDetails.
        self.output = ""
        #: Told when the command is over (a window's command ends its invocation).
        self.on_done: CommandOwner | None = None
        #: A window's command: the window's context and the invocation it is.
        self.window: WindowWork | None = None
        self.invocation: InvocationRecord | None = None

    def count(self, status: str) -> None:
        """Only Failed and ExecutionTimedOut count against MaxErrors."""
        if status in ERROR_DETAILS:
            self.errors += 1

    def serve(
        self, window: WindowWork, invocation: InvocationRecord, on_done: CommandOwner
    ) -> None:
        """Make it a window's command: the window context and window invocation it serves,
        ``on_done`` told when it is over. Its nodes are taken as given."""
        self.window, self.invocation, self.on_done = window, invocation, on_done
        self.managed_only = False

    def detach(self) -> None:
        """The window that sent it is gone: the command runs on by itself."""
        self.on_done = None

    def for_handler(self, instance_id: str, t: datetime) -> Invocation:
        """What the handler of one node is told. Each call gets its own copy of the
        parameters."""
        parameters = substitute(self.parameters, {})
        command_id = self.record.command_id
        window, invocation = self.window, self.invocation
        if window is None or invocation is None:
            return sent_command(
                document=self.keys[0], task_type=RunCommand.name, command_id=command_id,
                instance_id=instance_id, start_time=t, parameters=parameters,
            )
        return window.invocation(
            invocation, target_id=instance_id, start_time=t, parameters=parameters,
            command_id=command_id, instance_id=instance_id,
        )


class Notices:
    """What a command's changes tell the world: its events, its SNS notifications and its
    output in S3 (the last two through :mod:`.delivery`, only while moto is active)."""

    __slots__ = ("_arns", "_delivery", "_journal", "_times")

    def __init__(self, journal: Journal, delivery: Delivery) -> None:
        self._journal = journal
        self._delivery = delivery
        self._arns: dict[tuple[str, str, str], tuple[str]] = {}
        self._times: tuple[datetime, datetime, tuple[str, str]] | None = None

    def arn(self, state: RegionState, instance_id: str) -> tuple[str]:
        """A node's ARN as its events' resources (made once per node, Region and account)."""
        key = (state.region, state.account, instance_id)
        arn = self._arns.get(key)
        if arn is None:
            arn = self._arns[key] = (instance_arn(state.region, state.account, instance_id),)
        return arn

    def times(self, record: CommandRecord) -> tuple[str, str]:
        """RequestedDateTime and ExpiresAfter as event text; commands sent at one instant
        with one timeout share them, so the last pair is kept."""
        requested, expires = record.requested, record.expires_after
        last = self._times
        if last is not None and last[0] == requested and last[1] == expires:
            return last[2]
        times = (iso_millis(requested), iso_millis(expires))
        self._times = (requested, expires, times)
        return times

    def command(self, command: CommandRun, t: datetime) -> None:
        """The command's Status changed: its event, and its notification if asked for."""
        record = command.record
        self._journal.command(command.state, record, command.times, command.resources, t)
        config = record.notification_config
        if config and _notify(config, record.status, "Command"):
            message = _compact(command_message(record, record.status, t))
            self._delivery.publish(config["NotificationArn"], message)

    def node(self, command: CommandRun, instance_id: str, status: str, t: datetime) -> None:
        """A node's status changed: its event, and its notification if asked for."""
        record = command.record
        self._journal.command_invocation(
            command.state, record, command.times[0], instance_id, status,
            command.arns[instance_id], t,
        )
        config = record.notification_config
        if config and _notify(config, status, "Invocation"):
            message = _compact(invocation_message(record, instance_id, status, t))
            self._delivery.publish(config["NotificationArn"], message)

    def successes(self, command: CommandRun, nodes: list[str], t: datetime) -> None:
        """Every node of ``nodes`` went InProgress, then Success, at ``t``."""
        config = command.record.notification_config
        if config and config.get("NotificationArn"):
            for instance_id in nodes:
                self.node(command, instance_id, "InProgress", t)
                self.node(command, instance_id, "Success", t)
        else:
            self._journal.command_successes(
                command.state, command.record, command.times[0], command.arns, t
            )

    def output(self, command: CommandRun, invocation: CommandInvocationRecord) -> None:
        """A node's stdout and stderr in the command's S3 bucket, if it has one (the agent
        uploads only what is not empty)."""
        record = command.record
        bucket = record.output_s3_bucket_name
        if not bucket:
            return
        for stream, body in (("stdout", invocation.stdout), ("stderr", invocation.stderr)):
            if body:
                key = output_key(record, invocation.instance_id, command.plugin, stream)
                self._delivery.upload(record.output_s3_region, bucket, key, body)


def _notify(config: dict[str, object], status: str, kind: str) -> bool:
    """Whether a NotificationConfig asks for this status change: its type (Command by
    default) and events match; Pending and Cancelling are never notified."""
    if not config.get("NotificationArn") or status not in _NOTIFIED:
        return False
    if (config.get("NotificationType") or "Command") != kind:
        return False
    events = config.get("NotificationEvents")
    return isinstance(events, list) and ("All" in events or status in events)
