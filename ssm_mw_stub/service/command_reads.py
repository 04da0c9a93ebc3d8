"""Run Command's read operations: ListCommands, ListCommandInvocations, GetCommandInvocation.

They read the command records the engine writes (for the commands maintenance windows
send and for the code's own SendCommand alike). Commands list newest first, the nodes of a
command in the order they were targeted. Filters use the lower-case ``key``/``value`` of
CommandFilter; several filters must all hold. docs/run-command.md has each choice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from ..model import JSON
from ..model.commands import (
    COMMAND_TERMINAL,
    CommandInvocationRecord,
    CommandRecord,
)
from .command_views import PluginView, command_body, invocation_body
from .commands import is_command_id
from .common import filter_instant, listing, page
from .core import Context, operation
from .errors import invalid_next_token, run_command_error, validation
from .instances import host_name

__all__: list[str] = []

T = TypeVar("T")

#: Page size when MaxResults is omitted (the model's maximum).
_PAGE = 50
#: Status filter values (CommandFilter.value): a Status word matches the Status, any other
#: the StatusDetails; TimedOut "includes both Delivery and Execution time outs".
_COMMAND_STATUS = frozenset({"Pending", "InProgress", "Success", "Cancelled", "Failed", "TimedOut"})
_COMMAND_DETAILS = frozenset(
    {"AccessDenied", "DeliveryTimedOut", "ExecutionTimedOut", "Incomplete", "NoInstancesInTag",
     "LimitExceeded"}
)
_INVOCATION_STATUS = frozenset(
    {"Pending", "InProgress", "Delayed", "Success", "Cancelled", "Failed", "TimedOut"}
)
_INVOCATION_DETAILS = frozenset(
    {"AccessDenied", "DeliveryTimedOut", "ExecutionTimedOut", "Undeliverable",
     "InvalidPlatform", "Terminated"}
)
_STAGES = ("Executing", "Complete")

#: A filter: does this (command, its invocation or None) pass?
Test = Callable[[CommandRecord, CommandInvocationRecord | None], bool]


def _status_test(value: str, words: frozenset[str], details: frozenset[str]) -> Test:
    if value in words:
        return lambda command, node: (node or command).status == value
    if value in details:
        return lambda command, node: (node or command).status_details == value
    raise validation(
        f"The Status filter value {value} is not valid. Valid values are: "
        f"{', '.join(sorted(words | details))}."
    )


def _time_test(key: str, value: str) -> Test:
    bound = filter_instant(key, value)
    if key == "InvokedAfter":
        return lambda command, node: command.requested >= bound
    return lambda command, node: command.requested <= bound


def _document_test(name: str) -> Test:
    return lambda command, node: command.document_name == name


def _stage_test(value: str) -> Test:
    if value not in _STAGES:
        raise validation(
            f"The ExecutionStage filter value {value} is not valid. Valid values are: "
            "Executing, Complete."
        )
    complete = value == "Complete"
    return lambda command, node: (command.status in COMMAND_TERMINAL) == complete


def _filters(request: JSON, invocations: bool) -> list[Test]:
    """The request's filters as tests; ExecutionStage only for ListCommands ("can't be used
    with the ListCommandInvocations operation")."""
    tests: list[Test] = []
    words, details = (
        (_INVOCATION_STATUS, _INVOCATION_DETAILS) if invocations
        else (_COMMAND_STATUS, _COMMAND_DETAILS)
    )
    for item in request.get("Filters") or []:
        key, value = item["key"], item["value"]
        if key == "Status":
            if value == "Pending" and request.get("InstanceId"):
                raise validation(
                    "You can't specify a managed node ID in the same command that you "
                    "specify Status = Pending."
                )
            tests.append(_status_test(value, words, details))
        elif key in ("InvokedAfter", "InvokedBefore"):
            tests.append(_time_test(key, value))
        elif key == "DocumentName":
            # Matched as the command lists it: a command sent by ARN by its ARN.
            tests.append(_document_test(value))
        elif key == "ExecutionStage" and not invocations:
            tests.append(_stage_test(value))
        else:
            raise run_command_error("InvalidFilterKey")
    return tests


def _newest_first(ctx: Context, request: JSON) -> list[CommandRecord]:
    commands = ctx.state.commands
    command_id = request.get("CommandId")
    if command_id is None:
        return list(reversed(commands.values()))
    found = commands.get(command_id)
    return [found] if found is not None else []


def _page(operation_name: str, request: JSON, items: list[T]) -> tuple[Sequence[T], str | None]:
    """One page of the matches (rendered afterwards, so a long history costs nothing)."""
    return page(
        operation_name, request, items, default_size=_PAGE, refuse=invalid_next_token
    )


@operation("ListCommands")
def list_commands(ctx: Context, request: JSON) -> JSON:
    command_id = request.get("CommandId")
    if command_id is not None and (
        not is_command_id(command_id) or command_id not in ctx.state.commands
    ):
        raise run_command_error("InvalidCommandId")
    tests = _filters(request, invocations=False)
    instance_id = request.get("InstanceId")
    matches = [
        command
        for command in _newest_first(ctx, request)
        if (instance_id is None or instance_id in command.invocations
            or instance_id in command.instance_ids)
        and all(test(command, None) for test in tests)
    ]
    chunk, token = _page("ListCommands", request, matches)
    return listing("Commands", [command_body(command) for command in chunk], token)


def _nodes(
    commands: list[CommandRecord], instance_id: str | None
) -> Iterator[tuple[CommandRecord, CommandInvocationRecord]]:
    for command in commands:
        if instance_id is not None:
            node = command.invocations.get(instance_id)
            if node is not None:
                yield command, node
        else:
            for node in command.invocations.values():
                yield command, node


@operation("ListCommandInvocations")
def list_command_invocations(ctx: Context, request: JSON) -> JSON:
    command_id = request.get("CommandId")
    if command_id is not None and not is_command_id(command_id):
        raise run_command_error("InvalidCommandId")
    tests = _filters(request, invocations=True)
    details = bool(request.get("Details"))
    # An unknown (or just sent) command lists nothing, as right after SendCommand.
    matches = [
        (command, node)
        for command, node in _nodes(_newest_first(ctx, request), request.get("InstanceId"))
        if all(test(command, node) for test in tests)
    ]
    chunk, token = _page("ListCommandInvocations", request, matches)
    items = [
        invocation_body(command, node, details, host_name(ctx, node.instance_id))
        for command, node in chunk
    ]
    return listing("CommandInvocations", items, token)


@operation("GetCommandInvocation")
def get_command_invocation(ctx: Context, request: JSON) -> JSON:
    command_id = request["CommandId"]
    if not is_command_id(command_id):
        raise run_command_error("InvalidCommandId")
    command = ctx.state.commands.get(command_id)
    node = command.invocations.get(request["InstanceId"]) if command is not None else None
    if command is None or node is None:
        # A command not (yet) known, or a node it has not (yet) reached: the waiter
        # CommandExecuted retries on exactly this error.
        raise run_command_error("InvocationDoesNotExist")
    plugins = command.plugins
    name = request.get("PluginName")
    if name is None:
        if len(plugins) > 1:  # a multi-step document needs the step named
            raise run_command_error("InvalidPluginName")
        plugin = plugins[0]
    else:
        matching = [p for p in plugins if p.name == name]
        if not matching:
            raise run_command_error("InvalidPluginName")
        plugin = matching[0]
    return PluginView(command, node, plugin).answer()
