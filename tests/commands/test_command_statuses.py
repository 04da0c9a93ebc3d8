"""Per-node outcomes as Run Command reports them, and how they roll up to the command, the
window invocation, the window task and the window execution ("Understanding command
statuses")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

from ..helpers import NODES, START, command_of, nodes_of

A, B, C, D = NODES

# handler status -> (invocation Status, StatusDetails, ResponseCode, command Status,
# command StatusDetails, ErrorCount, DeliveryTimedOutCount, window invocation/task status,
# window execution status)
TABLE = [
    ("SUCCESS", "Success", "Success", 0, "Success", "Success", 0, 0, "SUCCESS", "SUCCESS"),
    ("Success", "Success", "Success", 0, "Success", "Success", 0, 0, "SUCCESS", "SUCCESS"),
    ("FAILED", "Failed", "Failed", 1, "Failed", "Failed", 1, 0, "FAILED", "FAILED"),
    ("Failed", "Failed", "Failed", 1, "Failed", "Failed", 1, 0, "FAILED", "FAILED"),
    ("TIMED_OUT", "TimedOut", "ExecutionTimedOut", 137, "TimedOut", "ExecutionTimedOut", 1, 0,
     "TIMED_OUT", "TIMED_OUT"),
    ("ExecutionTimedOut", "TimedOut", "ExecutionTimedOut", 137, "TimedOut",
     "ExecutionTimedOut", 1, 0, "TIMED_OUT", "TIMED_OUT"),
    ("DeliveryTimedOut", "TimedOut", "DeliveryTimedOut", -1, "TimedOut", "DeliveryTimedOut",
     0, 1, "TIMED_OUT", "TIMED_OUT"),
    ("Undeliverable", "Failed", "Undeliverable", -1, "Failed", "Failed", 0, 0, "FAILED",
     "FAILED"),
    ("InvalidPlatform", "Failed", "InvalidPlatform", -1, "Failed", "Failed", 0, 0, "FAILED",
     "FAILED"),
    ("AccessDenied", "Failed", "AccessDenied", -1, "Failed", "AccessDenied", 0, 0, "FAILED",
     "FAILED"),
    ("CANCELLED", "Cancelled", "Cancelled", 137, "Cancelled", "Incomplete", 0, 0, "CANCELLED",
     "FAILED"),
    ("Terminated", "Cancelled", "Terminated", -1, "Cancelled", "Incomplete", 0, 0,
     "CANCELLED", "FAILED"),
]


@pytest.mark.parametrize(
    ("outcome", "status", "details", "code", "command_status", "command_details", "errors",
     "timeouts", "window", "execution"),
    TABLE, ids=[row[0] for row in TABLE],
)
def test_one_node_outcome_and_its_roll_up(
    mw: MaintenanceWindows, ssm: Any, command_window: Callable[..., str], read_window: Any,
    outcome: str, status: str, details: str, code: int, command_status: str,
    command_details: str, errors: int, timeouts: int, window: str, execution: str,
) -> None:
    mw.add_instance(A)
    window_id = command_window([A])
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome(outcome, duration=timedelta(minutes=3)))
    mw.advance(timedelta(hours=3))
    run, task, invocation = read_window(window_id)
    command = command_of(ssm, invocation["ExecutionId"])
    assert (command["Status"], command["StatusDetails"]) == (command_status, command_details)
    assert (command["ErrorCount"], command["DeliveryTimedOutCount"]) == (errors, timeouts)
    assert command["CompletedCount"] == 1
    answer = ssm.get_command_invocation(CommandId=command["CommandId"], InstanceId=A)
    assert (answer["Status"], answer["StatusDetails"], answer["ResponseCode"]) == (
        status, details, code
    )
    ran = details in ("Success", "Failed", "ExecutionTimedOut", "Cancelled")
    assert ("ExecutionStartDateTime" in answer) is ran
    assert invocation["Status"] == task["Status"] == window
    assert run["Status"] == execution


@pytest.fixture
def read_window(ssm: Any) -> Callable[[str], tuple[dict[str, Any], ...]]:
    """(the only execution, its only task execution, that task's only invocation)."""

    def read(window_id: str) -> tuple[dict[str, Any], ...]:
        [run] = ssm.describe_maintenance_window_executions(WindowId=window_id)[
            "WindowExecutions"
        ]
        [task] = ssm.describe_maintenance_window_execution_tasks(
            WindowExecutionId=run["WindowExecutionId"]
        )["WindowExecutionTaskIdentities"]
        [invocation] = ssm.describe_maintenance_window_execution_task_invocations(
            WindowExecutionId=run["WindowExecutionId"], TaskId=task["TaskExecutionId"]
        )["WindowExecutionTaskInvocationIdentities"]
        return run, task, invocation

    return read


@pytest.mark.parametrize(("outcomes", "rolled_up"), [
    # "if a command has five invocations, four of which return the status Undeliverable and
    # one of which returns the status Success, then the parent command's status is Success"
    (["Success", "Undeliverable", "Undeliverable", "Undeliverable"], ("Success", "Success")),
    (["Undeliverable"] * 4, ("Failed", "Failed")),
    (["InvalidPlatform", "Success", "AccessDenied", "Success"], ("Success", "Success")),
    (["AccessDenied"] * 4, ("Failed", "AccessDenied")),
    (["DeliveryTimedOut"] * 4, ("TimedOut", "DeliveryTimedOut")),
    (["Success", "DeliveryTimedOut", "Success", "Success"], ("TimedOut", "Incomplete")),
    (["Success", "Failed", "Success", "Undeliverable"], ("Failed", "Incomplete")),
    (["Success", "Cancelled", "Success", "Success"], ("Cancelled", "Incomplete")),
])
def test_command_roll_up(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]],
    outcomes: list[str], rolled_up: tuple[str, str],
) -> None:
    by_node = dict(zip(nodes, outcomes, strict=True))
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome(by_node[str(inv.instance_id)]))
    command_id = send(InstanceIds=nodes, MaxErrors="3")["CommandId"]
    mw.advance(timedelta(0))
    command = command_of(ssm, command_id)
    assert (command["Status"], command["StatusDetails"]) == rolled_up


def test_errors_past_max_errors_fail_the_command_and_terminate_the_rest(
    mw: MaintenanceWindows, ssm: Any, send: Callable[..., dict[str, Any]]
) -> None:
    ten = [f"i-{n:017x}" for n in range(1, 11)]
    for node in ten:
        mw.add_instance(node)
    asked: list[str | None] = []

    def handler(inv: Invocation) -> TaskOutcome:
        asked.append(inv.instance_id)
        bad = inv.instance_id in (ten[0], ten[3])
        return TaskOutcome("FAILED" if bad else "SUCCESS", duration=timedelta(minutes=10))

    mw.on_task("AWS-RunShellScript", handler)
    # 20% of 10: two at a time; 10% of 10: one error tolerated, the second stops the rest.
    command_id = send(InstanceIds=ten, MaxConcurrency="20%", MaxErrors="10%")["CommandId"]
    mw.advance(timedelta(hours=1))
    assert asked == ten[:4]
    command = command_of(ssm, command_id)
    assert (command["Status"], command["StatusDetails"]) == ("Failed", "Failed")
    assert (command["CompletedCount"], command["ErrorCount"]) == (10, 2)
    nodes = nodes_of(ssm, command_id)
    assert [nodes[n]["StatusDetails"] for n in ten[4:]] == ["Terminated"] * 6
    assert {nodes[n]["Status"] for n in ten[4:]} == {"Cancelled"}
    assert nodes[ten[1]]["StatusDetails"] == "Success"


def test_the_execution_timeout_stops_a_node(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.on_task("AWS-RunShellScript",
               lambda inv: TaskOutcome("SUCCESS", duration=timedelta(hours=2), stdout="late"))
    default = send(InstanceIds=[A])["CommandId"]
    short = send(InstanceIds=[B], Parameters={"commands": ["sleep 7200"],
                                              "executionTimeout": ["600"]})["CommandId"]
    mw.advance(timedelta(hours=3))
    for command_id, node, limit in ((default, A, "PT1H"), (short, B, "PT10M")):
        answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=node)
        assert (answer["Status"], answer["StatusDetails"]) == ("TimedOut", "ExecutionTimedOut")
        assert answer["ResponseCode"] == 137
        assert answer["ExecutionElapsedTime"] == limit
    assert command_of(ssm, short)["ExpiresAfter"] == START + timedelta(seconds=3600 + 600)


def test_the_delivery_timeout_ends_what_has_not_finished(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    asked: list[str | None] = []
    mw.on_task("AWS-RunShellScript", lambda inv: asked.append(inv.instance_id) or TaskOutcome(
        "SUCCESS", duration=timedelta(minutes=50)))
    # One node at a time; the command expires after 60 + 3600 s: A has finished, B is
    # running, C has not started.
    command_id = send(InstanceIds=[A, B, C], MaxConcurrency="1", TimeoutSeconds=60)[
        "CommandId"
    ]
    mw.advance(timedelta(hours=3))
    assert asked == [A, B]
    command = command_of(ssm, command_id)
    assert command["ExpiresAfter"] == START + timedelta(minutes=61)
    # B ran and was still running: ExecutionTimedOut ("the command started to run on the
    # managed node, but the execution wasn't complete before the timeout expired"), an
    # error under MaxErrors 0; C was never delivered: DeliveryTimedOut.
    assert (command["Status"], command["StatusDetails"]) == ("TimedOut", "ExecutionTimedOut")
    assert (command["DeliveryTimedOutCount"], command["ErrorCount"]) == (1, 1)
    answers = {
        node: ssm.get_command_invocation(CommandId=command_id, InstanceId=node)
        for node in (A, B, C)
    }
    assert answers[A]["StatusDetails"] == "Success"
    b, c = answers[B], answers[C]
    assert (b["Status"], b["StatusDetails"], b["ResponseCode"]) == (
        "TimedOut", "ExecutionTimedOut", 137
    )
    assert b["ExecutionStartDateTime"] == "2026-11-24T00:50:00.000Z"
    assert b["ExecutionEndDateTime"] == "2026-11-24T01:01:00.000Z"
    assert b["ExecutionElapsedTime"] == "PT11M"
    assert (c["Status"], c["StatusDetails"], c["ResponseCode"]) == (
        "TimedOut", "DeliveryTimedOut", -1
    )
    # Never delivered: no start, no elapsed time, no plugin times (every field agrees).
    assert "ExecutionStartDateTime" not in c
    assert "ExecutionElapsedTime" not in c
    assert c["ExecutionEndDateTime"] == ""
    plugins = {
        node["InstanceId"]: node["CommandPlugins"][0]
        for node in ssm.list_command_invocations(
            CommandId=command_id, Details=True
        )["CommandInvocations"]
    }
    assert plugins[B]["Status"] == "TimedOut"
    assert "ResponseStartDateTime" in plugins[B]
    assert plugins[C]["Status"] == "TimedOut"
    assert "ResponseStartDateTime" not in plugins[C]
    assert "ResponseFinishDateTime" not in plugins[C]


def test_an_offline_node_is_never_delivered_and_times_out(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.add_instance(B, tags={"Env": "prod", "Role": "web"}, online=False)
    asked: list[str | None] = []
    mw.on_task("RUN_COMMAND", lambda inv: asked.append(inv.instance_id) or TaskOutcome(
        "SUCCESS", duration=timedelta(minutes=1)))
    command_id = send(Targets=[{"Key": "tag:Env", "Values": ["prod"]}])["CommandId"]
    mw.advance(timedelta(hours=1))
    assert sorted(asked) == [A, C, D]  # the offline node's handler is never asked
    waiting = ssm.get_command_invocation(CommandId=command_id, InstanceId=B)
    # "If the agent isn't running or available on the node, the command status remains at
    # In Progress" until the command expires.
    assert (waiting["Status"], waiting["StatusDetails"]) == ("InProgress", "InProgress")
    assert command_of(ssm, command_id)["Status"] == "InProgress"
    mw.advance(timedelta(hours=1))
    gone = ssm.get_command_invocation(CommandId=command_id, InstanceId=B)
    assert (gone["Status"], gone["StatusDetails"]) == ("TimedOut", "DeliveryTimedOut")
    command = command_of(ssm, command_id)
    assert (command["Status"], command["StatusDetails"]) == ("TimedOut", "Incomplete")
    assert command["DeliveryTimedOutCount"] == 1
    # Back online, the next command reaches it.
    mw.add_instance(B, tags={"Env": "prod", "Role": "web"})
    again = send(InstanceIds=[B])["CommandId"]
    mw.advance(timedelta(minutes=5))
    assert command_of(ssm, again)["Status"] == "Success"


def test_fleet_changes_between_commands(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.add_instance(A, tags={"Env": "staging"})  # a known id: its tags are replaced
    mw.remove_instance(D)
    command_id = send(Targets=[{"Key": "tag:Env", "Values": ["prod"]}])["CommandId"]
    mw.advance(timedelta(0))
    assert list(nodes_of(ssm, command_id)) == [B, C]
    with pytest.raises(ssm.exceptions.InvalidInstanceId):
        send(InstanceIds=[D])


def test_a_status_of_other_work_is_the_tests_error(
    mw: MaintenanceWindows, ssm: Any, make_window: Callable[..., str], nodes: list[str],
    send: Callable[..., dict[str, Any]],
) -> None:
    # An Automation-only status.
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome("CompletedWithSuccess"))
    command_id = send(InstanceIds=[A])["CommandId"]
    with pytest.raises(ValueError, match=(
        r"handler for document AWS-RunShellScript \(sent with SendCommand\) returned "
        r"status 'CompletedWithSuccess' for node .* of command .*, which "
        r"RUN_COMMAND work cannot end with"
    )):
        mw.advance(timedelta(0))
    assert ssm.get_command_invocation(CommandId=command_id, InstanceId=A)["Status"] == "Failed"
    # Run Command's own words are not a Lambda's either.
    window_id = make_window(Schedule="cron(0 2 * * ? *)")
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="arn:aws:lambda:us-east-1:123456789012:function:f",
        TaskType="LAMBDA",
    )
    mw.on_task("LAMBDA", lambda inv: TaskOutcome("Undeliverable"))
    with pytest.raises(ValueError, match="which LAMBDA work cannot end with"):
        mw.advance(timedelta(hours=3))
