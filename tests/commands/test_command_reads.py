"""ListCommands, ListCommandInvocations and GetCommandInvocation, read through boto3."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError, ParamValidationError

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

from ..helpers import NODES, START, command_of, nodes_of

A, B, C, D = NODES


def mixed(inv: Invocation) -> TaskOutcome:
    """Four nodes, four fates: patched, a failing package manager, a hang, no agent."""
    if inv.instance_id == A:
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=2),
                           stdout="patched 3 packages\n")
    if inv.instance_id == B:
        return TaskOutcome("FAILED", duration=timedelta(minutes=5), stdout="reading lists\n",
                           stderr="E: dpkg lock held\n", response_code=100)
    if inv.instance_id == C:
        return TaskOutcome("TIMED_OUT", duration=timedelta(minutes=10))
    return TaskOutcome("Undeliverable")


@pytest.fixture
def finished(
    mw: MaintenanceWindows, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> str:
    """A four-node command (two at a time, two errors tolerated), run to its end."""
    mw.on_task("AWS-RunShellScript", mixed)
    command_id = send(InstanceIds=nodes, MaxConcurrency="2", MaxErrors="2",
                      Comment="weekly patching")["CommandId"]
    mw.advance(timedelta(hours=1))
    return str(command_id)


def test_a_mixed_command_through_list_commands(ssm: Any, finished: str) -> None:
    command = command_of(ssm, finished)
    # Two errors (Failed, ExecutionTimedOut) are within MaxErrors=2, one node succeeded and
    # one was unreachable: "not enough invocations failed for the status to be Failed".
    assert (command["Status"], command["StatusDetails"]) == ("Failed", "Incomplete")
    assert command["TargetCount"] == 4
    assert command["CompletedCount"] == 4
    assert command["ErrorCount"] == 2
    assert command["DeliveryTimedOutCount"] == 0
    assert command["InstanceIds"] == NODES
    assert command["Comment"] == "weekly patching"
    assert command["RequestedDateTime"] == START
    assert command["ExpiresAfter"] == START + timedelta(hours=2)


def test_a_mixed_command_through_list_command_invocations(ssm: Any, finished: str) -> None:
    plain = nodes_of(ssm, finished)
    assert list(plain) == NODES
    assert {node["CommandPlugins"] == [] for node in plain.values()} == {True}
    detailed = nodes_of(ssm, finished, Details=True)
    statuses = {i: (n["Status"], n["StatusDetails"]) for i, n in detailed.items()}
    assert statuses == {
        A: ("Success", "Success"),
        B: ("Failed", "Failed"),
        C: ("TimedOut", "ExecutionTimedOut"),
        D: ("Failed", "Undeliverable"),
    }
    plugins = {i: n["CommandPlugins"][0] for i, n in detailed.items()}
    assert {p["Name"] for p in plugins.values()} == {"aws:runShellScript"}
    assert plugins[A]["Output"] == "patched 3 packages\n"
    assert plugins[A]["ResponseCode"] == 0
    assert plugins[A]["ResponseStartDateTime"] == START
    assert plugins[A]["ResponseFinishDateTime"] == START + timedelta(minutes=2)
    assert plugins[B]["Output"] == (
        "reading lists\n\n----------ERROR-------\nE: dpkg lock held\n"
        "failed to run commands: exit status 100"
    )
    assert (plugins[B]["Status"], plugins[B]["ResponseCode"]) == ("Failed", 100)
    # C started when A's place freed (02 min) and was stopped by the agent 10 minutes on.
    assert (plugins[C]["Status"], plugins[C]["ResponseCode"]) == ("TimedOut", 137)
    assert plugins[C]["ResponseStartDateTime"] == START + timedelta(minutes=2)
    assert plugins[C]["ResponseFinishDateTime"] == START + timedelta(minutes=12)
    # D never ran: no times, no output, ResponseCode -1.
    assert plugins[D]["ResponseCode"] == -1
    assert "ResponseStartDateTime" not in plugins[D]
    assert plugins[D]["Output"] == ""
    assert {n["StandardOutputUrl"] for n in detailed.values()} == {""}


def test_a_mixed_command_through_get_command_invocation(ssm: Any, finished: str) -> None:
    answers = {
        node: ssm.get_command_invocation(CommandId=finished, InstanceId=node) for node in NODES
    }
    b = answers[B]
    assert b["PluginName"] == "aws:runShellScript"
    assert (b["Status"], b["StatusDetails"], b["ResponseCode"]) == ("Failed", "Failed", 100)
    assert b["StandardOutputContent"] == "reading lists\n"
    assert b["StandardErrorContent"] == (
        "E: dpkg lock held\nfailed to run commands: exit status 100"
    )
    assert b["ExecutionStartDateTime"] == "2026-11-24T00:00:00.000Z"
    assert b["ExecutionEndDateTime"] == "2026-11-24T00:05:00.000Z"
    assert b["ExecutionElapsedTime"] == "PT5M"
    assert b["Comment"] == "weekly patching"
    assert (b["DocumentName"], b["DocumentVersion"]) == ("AWS-RunShellScript", "$DEFAULT")
    assert b["CloudWatchOutputConfig"] == {
        "CloudWatchLogGroupName": "", "CloudWatchOutputEnabled": False
    }
    assert answers[A]["StandardOutputContent"] == "patched 3 packages\n"
    assert answers[A]["StandardErrorContent"] == ""
    assert answers[C]["ExecutionElapsedTime"] == "PT10M"
    assert (answers[C]["Status"], answers[C]["StatusDetails"]) == ("TimedOut",
                                                                   "ExecutionTimedOut")
    d = answers[D]
    assert (d["Status"], d["StatusDetails"], d["ResponseCode"]) == ("Failed", "Undeliverable",
                                                                   -1)
    # Never run: no start, no elapsed time, and an empty end (as real answers show).
    assert "ExecutionStartDateTime" not in d
    assert "ExecutionElapsedTime" not in d
    assert d["ExecutionEndDateTime"] == ""
    assert d["StandardOutputContent"] == d["StandardErrorContent"] == ""


def test_the_waiter_reads_a_finished_command(ssm: Any, finished: str) -> None:
    # CommandExecuted polls GetCommandInvocation; a finished node answers at once.
    ssm.get_waiter("command_executed").wait(CommandId=finished, InstanceId=A)
    with pytest.raises(Exception, match="Waiter encountered a terminal failure state"):
        ssm.get_waiter("command_executed").wait(CommandId=finished, InstanceId=B)


def test_right_after_send_command_there_are_no_invocations_yet(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(minutes=5)))
    command_id = send(InstanceIds=nodes[:1])["CommandId"]
    # Run Command is eventually consistent: the command is Pending and its invocations do
    # not exist until the engine has started it (aws-cli #3546, boto3 #2701).
    assert command_of(ssm, command_id)["Status"] == "Pending"
    assert ssm.list_command_invocations(CommandId=command_id)["CommandInvocations"] == []
    with pytest.raises(ssm.exceptions.InvocationDoesNotExist) as error:
        ssm.get_command_invocation(CommandId=command_id, InstanceId=A)
    assert error.value.response["Error"]["Message"] == ""
    mw.advance(timedelta(0))
    running = ssm.get_command_invocation(CommandId=command_id, InstanceId=A)
    assert (running["Status"], running["StatusDetails"]) == ("InProgress", "InProgress")
    assert running["ExecutionStartDateTime"] == "2026-11-24T00:00:00.000Z"
    # Not ended: ExecutionEndDateTime is "" (API reference; guardicore/monkey's recorded
    # in-progress answer), and there is no elapsed time yet.
    assert running["ExecutionEndDateTime"] == ""
    assert "ExecutionElapsedTime" not in running
    assert running["StandardOutputContent"] == ""
    assert running["ResponseCode"] == -1
    [node] = nodes_of(ssm, command_id, Details=True).values()
    assert node["CommandPlugins"][0]["Status"] == "InProgress"
    assert "ResponseFinishDateTime" not in node["CommandPlugins"][0]


def test_output_is_cut_where_aws_cuts_it(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    stdout = "o" * 30000
    stderr = "e" * 9000
    mw.on_task("AWS-RunShellScript",
               lambda inv: TaskOutcome("SUCCESS", stdout=stdout, stderr=stderr))
    command_id = send(InstanceIds=nodes[:1])["CommandId"]
    mw.advance(timedelta(0))
    answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=A)
    assert answer["StandardOutputContent"] == "o" * 24000
    assert answer["StandardErrorContent"] == "e" * 8000
    [node] = nodes_of(ssm, command_id, Details=True).values()
    output = node["CommandPlugins"][0]["Output"]
    # The agent keeps 2,400 characters, half each, each part marked where it was cut.
    assert len(output) <= 2400
    assert output.startswith("o" * 1000)
    assert "\n---Output truncated---\n----------ERROR-------\neee" in output
    assert output.endswith("\n---Error truncated----")


def test_astral_output_is_cut_in_utf16_units(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.on_task("AWS-RunShellScript", lambda inv: TaskOutcome("SUCCESS", stdout="😀" * 13000))
    command_id = send(InstanceIds=nodes[:1])["CommandId"]
    mw.advance(timedelta(0))
    answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=A)
    assert answer["StandardOutputContent"] == "😀" * 12000  # 24,000 UTF-16 units


def test_a_multi_step_document_needs_the_step_named(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.on_task("AWS-RunPatchBaseline", lambda inv: TaskOutcome("SUCCESS", stdout="Installed"))
    command_id = send(DocumentName="AWS-RunPatchBaseline", InstanceIds=nodes[:1],
                      Parameters={"Operation": ["Install"]})["CommandId"]
    mw.advance(timedelta(0))
    # boto3 #1811: a document with several steps answers InvalidPluginName without one.
    with pytest.raises(ssm.exceptions.InvalidPluginName):
        ssm.get_command_invocation(CommandId=command_id, InstanceId=A)
    with pytest.raises(ssm.exceptions.InvalidPluginName):
        ssm.get_command_invocation(CommandId=command_id, InstanceId=A,
                                   PluginName="aws:runShellScript")
    linux = ssm.get_command_invocation(CommandId=command_id, InstanceId=A,
                                       PluginName="PatchLinux")
    assert (linux["Status"], linux["StandardOutputContent"]) == ("Success", "Installed")
    windows = ssm.get_command_invocation(CommandId=command_id, InstanceId=A,
                                         PluginName="PatchWindows")
    assert windows["Status"] == "Success"
    assert windows["StandardOutputContent"] == (
        "Step execution skipped due to unsatisfied preconditions: "
        "'\"StringEquals\": [platformType, Windows]'. Step name: PatchWindows"
    )
    [node] = nodes_of(ssm, command_id, Details=True).values()
    assert [p["Name"] for p in node["CommandPlugins"]] == [
        "PatchWindows", "PatchLinux", "PatchMacOS"
    ]


def test_filters(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.on_task("AWS-RunShellScript", lambda inv: TaskOutcome(
        "FAILED" if inv.instance_id == B else "SUCCESS", duration=timedelta(minutes=1)))
    first = send(InstanceIds=[A, B], MaxErrors="0")["CommandId"]
    mw.advance(timedelta(hours=1))
    second = send(InstanceIds=[A], DocumentName="AWS-RunPowerShellScript")["CommandId"]
    mw.advance(timedelta(hours=1))
    third = send(InstanceIds=[C])["CommandId"]  # still Pending

    def listed(**kwargs: Any) -> list[str]:
        return [c["CommandId"] for c in ssm.list_commands(**kwargs)["Commands"]]

    def only(key: str, value: str) -> list[str]:
        return listed(Filters=[{"key": key, "value": value}])

    assert listed() == [third, second, first]  # newest first
    assert only("Status", "Failed") == [first]
    assert only("Status", "Pending") == [third]
    assert only("Status", "Success") == [second]
    assert only("ExecutionStage", "Executing") == [third]
    assert only("ExecutionStage", "Complete") == [second, first]
    assert only("DocumentName", "AWS-RunPowerShellScript") == [second]
    assert only("InvokedAfter", "2026-11-24T01:00:00Z") == [third, second]
    assert only("InvokedBefore", "2026-11-24T01:00:00Z") == [second, first]
    assert listed(InstanceId=A) == [second, first]
    assert listed(Filters=[{"key": "Status", "value": "Success"},
                           {"key": "DocumentName", "value": "AWS-RunShellScript"}]) == []
    failed = ssm.list_command_invocations(Filters=[{"key": "Status", "value": "Failed"}])
    assert [(n["CommandId"], n["InstanceId"]) for n in failed["CommandInvocations"]] == [
        (first, B)
    ]
    on_a = ssm.list_command_invocations(InstanceId=A)["CommandInvocations"]
    assert [n["CommandId"] for n in on_a] == [second, first]


@pytest.mark.parametrize(("operation", "filters", "code"), [
    ("list_commands", [{"key": "Status", "value": "Bogus"}], "ValidationException"),
    ("list_commands", [{"key": "InvokedAfter", "value": "yesterday"}], "ValidationException"),
    ("list_commands", [{"key": "ExecutionStage", "value": "Done"}], "ValidationException"),
    ("list_commands", [{"key": "Bogus", "value": "x"}], "ValidationException"),
    ("list_command_invocations", [{"key": "ExecutionStage", "value": "Complete"}],
     "InvalidFilterKey"),
    ("list_command_invocations", [{"key": "Status", "value": "Incomplete"}],
     "ValidationException"),
])
def test_bad_filters(ssm: Any, operation: str, filters: list[Any], code: str) -> None:
    with pytest.raises(ClientError) as error:
        getattr(ssm, operation)(Filters=filters)
    assert error.value.response["Error"]["Code"] == code


def test_a_node_and_status_pending_cannot_be_asked_together(ssm: Any) -> None:
    with pytest.raises(ClientError, match="can't specify a managed node ID") as error:
        ssm.list_commands(InstanceId=A, Filters=[{"key": "Status", "value": "Pending"}])
    assert error.value.response["Error"]["Code"] == "ValidationException"


def test_paging_and_tokens(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    sent = [send(InstanceIds=nodes)["CommandId"] for _ in range(7)]
    mw.advance(timedelta(0))
    page = ssm.list_commands(MaxResults=3)
    assert len(page["Commands"]) == 3
    assert "NextToken" in page
    every = [
        c["CommandId"]
        for p in ssm.get_paginator("list_commands").paginate(PaginationConfig={"PageSize": 3})
        for c in p["Commands"]
    ]
    assert every == sent[::-1]
    invocations = [
        (n["CommandId"], n["InstanceId"])
        for p in ssm.get_paginator("list_command_invocations").paginate(
            PaginationConfig={"PageSize": 5})
        for n in p["CommandInvocations"]
    ]
    assert invocations == [(c, n) for c in sent[::-1] for n in nodes]
    for operation in ("list_commands", "list_command_invocations"):
        with pytest.raises(ClientError) as error:
            getattr(ssm, operation)(NextToken="not-a-token")
        assert error.value.response["Error"]["Code"] == "InvalidNextToken"
    with pytest.raises(ssm.exceptions.InvalidNextToken):
        ssm.list_command_invocations(NextToken=page["NextToken"])  # ListCommands' token


def test_unknown_and_malformed_command_ids(
    ssm: Any, raw_ssm: Any, finished: str
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    malformed = "x" * 36
    with pytest.raises(ssm.exceptions.InvalidCommandId) as error:
        ssm.list_commands(CommandId=unknown)
    assert error.value.response["Error"]["Message"] == ""
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.list_commands(CommandId=malformed)
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.get_command_invocation(CommandId=malformed, InstanceId=A)
    # An unknown command lists no invocations, as one just sent does.
    assert ssm.list_command_invocations(CommandId=unknown)["CommandInvocations"] == []
    with pytest.raises(ssm.exceptions.InvocationDoesNotExist):
        ssm.get_command_invocation(CommandId=unknown, InstanceId=A)
    with pytest.raises(ssm.exceptions.InvocationDoesNotExist):
        ssm.get_command_invocation(CommandId=finished, InstanceId="i-0123456789abcdef0")
    with pytest.raises(ParamValidationError):
        ssm.list_commands(CommandId="short")
    with pytest.raises(ClientError) as error:
        raw_ssm.get_command_invocation(CommandId=finished + "-x", InstanceId=A)
    assert error.value.response["Error"]["Code"] == "ValidationException"
    with pytest.raises(ClientError) as error:
        raw_ssm.get_command_invocation(CommandId=finished, InstanceId="bogus")
    assert error.value.response["Error"]["Code"] == "ValidationException"


def test_history_is_kept_30_days(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    old = send(InstanceIds=nodes[:1])["CommandId"]
    mw.advance(timedelta(days=29))
    recent = send(InstanceIds=nodes[:1])["CommandId"]
    mw.advance(timedelta(days=2))
    assert [c["CommandId"] for c in ssm.list_commands()["Commands"]] == [recent]
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.list_commands(CommandId=old)
