"""CancelCommand, and the CANCEL_TASK cutoff that cancels a window's running command."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

from ..helpers import NODES, command_of, nodes_of

A, B, C, D = NODES


@pytest.fixture
def asked(mw: MaintenanceWindows) -> list[str | None]:
    """Nodes the handler was asked about; each runs 20 minutes."""
    seen: list[str | None] = []

    def handler(inv: Invocation) -> TaskOutcome:
        seen.append(inv.instance_id)
        return TaskOutcome("SUCCESS", duration=timedelta(minutes=20), stdout="done")

    mw.on_task("RUN_COMMAND", handler)
    return seen


def test_cancelling_a_running_command(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]],
    asked: list[str | None],
) -> None:
    command_id = send(InstanceIds=nodes, MaxConcurrency="2")["CommandId"]
    mw.advance(timedelta(minutes=25))  # A, B done; C, D running
    mw.advance(timedelta(minutes=10))
    assert ssm.cancel_command(CommandId=command_id)["ResponseMetadata"]["HTTPStatusCode"] == 200
    command = command_of(ssm, command_id)
    assert (command["Status"], command["StatusDetails"]) == ("Cancelled", "Cancelled")
    answers = {n: ssm.get_command_invocation(CommandId=command_id, InstanceId=n) for n in nodes}
    assert [answers[n]["StatusDetails"] for n in nodes] == [
        "Success", "Success", "Cancelled", "Cancelled"
    ]
    # Stopped while running: the agent's exit code for a killed process, no output.
    assert answers[C]["ResponseCode"] == 137
    assert answers[C]["ExecutionEndDateTime"] == "2026-11-24T00:35:00.000Z"
    assert answers[C]["StandardOutputContent"] == ""
    mw.advance(timedelta(hours=1))
    assert command_of(ssm, command_id)["Status"] == "Cancelled"  # the old endings do nothing
    assert asked == nodes


def test_cancelling_some_nodes(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]],
    asked: list[str | None],
) -> None:
    command_id = send(InstanceIds=nodes, MaxConcurrency="1")["CommandId"]
    mw.advance(timedelta(minutes=5))  # A running, B, C, D waiting
    ssm.cancel_command(CommandId=command_id, InstanceIds=[A, C])
    mw.advance(timedelta(hours=1))
    assert asked == [A, B, D]  # C was cancelled before its turn; A's place freed at once
    statuses = {n: node["StatusDetails"] for n, node in nodes_of(ssm, command_id).items()}
    assert statuses == {A: "Cancelled", B: "Success", C: "Cancelled", D: "Success"}
    answer = ssm.get_command_invocation(CommandId=command_id, InstanceId=C)
    assert answer["ResponseCode"] == -1
    assert "ExecutionStartDateTime" not in answer
    command = command_of(ssm, command_id)
    assert (command["Status"], command["StatusDetails"]) == ("Cancelled", "Incomplete")
    assert ssm.get_command_invocation(CommandId=command_id, InstanceId=B)[
        "ExecutionStartDateTime"] == "2026-11-24T00:05:00.000Z"


def test_cancelling_before_it_started(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]],
    asked: list[str | None],
) -> None:
    command_id = send(InstanceIds=[A, B])["CommandId"]
    ssm.cancel_command(CommandId=command_id)
    mw.advance(timedelta(hours=1))
    assert asked == []
    assert command_of(ssm, command_id)["Status"] == "Cancelled"
    assert {n["StatusDetails"] for n in nodes_of(ssm, command_id).values()} == {"Cancelled"}


def test_cancelling_a_finished_command_changes_nothing(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]],
    asked: list[str | None],
) -> None:
    command_id = send(InstanceIds=[A])["CommandId"]
    mw.advance(timedelta(hours=1))
    before = mw.events
    assert set(ssm.cancel_command(CommandId=command_id)) == {"ResponseMetadata"}
    assert command_of(ssm, command_id)["Status"] == "Success"
    assert mw.events == before


def test_refusals(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    command_id = send(InstanceIds=[A, B])["CommandId"]
    mw.advance(timedelta(0))
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.cancel_command(CommandId="00000000-0000-4000-8000-000000000000")
    with pytest.raises(ssm.exceptions.InvalidCommandId):
        ssm.cancel_command(CommandId="y" * 36)
    with pytest.raises(ssm.exceptions.InvalidInstanceId, match="not targets of command"):
        ssm.cancel_command(CommandId=command_id, InstanceIds=[C])
    with pytest.raises(ssm.exceptions.DuplicateInstanceId):
        ssm.cancel_command(CommandId=command_id, InstanceIds=[A, A])


def test_cancelling_a_windows_command_ends_its_invocation_task_and_execution(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], command_window: Callable[..., str],
    asked: list[str | None],
) -> None:
    window_id = command_window(nodes)
    mw.advance(timedelta(hours=2, minutes=30))
    [run] = ssm.describe_maintenance_window_executions(WindowId=window_id)["WindowExecutions"]
    execution_id = run["WindowExecutionId"]
    [task] = ssm.describe_maintenance_window_execution_tasks(WindowExecutionId=execution_id)[
        "WindowExecutionTaskIdentities"]
    [invocation] = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution_id, TaskId=task["TaskExecutionId"]
    )["WindowExecutionTaskInvocationIdentities"]
    ssm.cancel_command(CommandId=invocation["ExecutionId"])
    mw.advance(timedelta(hours=1))
    invocation = ssm.get_maintenance_window_execution_task_invocation(
        WindowExecutionId=execution_id, TaskId=task["TaskExecutionId"],
        InvocationId=invocation["InvocationId"],
    )
    assert (invocation["Status"], invocation["StatusDetails"]) == ("CANCELLED", "Cancelled")
    assert invocation["EndTime"] == run["StartTime"] + timedelta(minutes=30)
    task = ssm.get_maintenance_window_execution_task(
        WindowExecutionId=execution_id, TaskId=task["TaskExecutionId"])
    assert task["Status"] == "CANCELLED"
    run = ssm.get_maintenance_window_execution(WindowExecutionId=execution_id)
    assert run["Status"] == "FAILED"
    assert asked == [A, B]


def test_the_cancel_task_cutoff_cancels_the_commands_nodes(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], command_window: Callable[..., str],
    asked: list[str | None],
) -> None:
    window_id = command_window(nodes, window={"Duration": 2, "Cutoff": 1},
                               CutoffBehavior="CANCEL_TASK")
    mw.on_task("RUN_COMMAND", lambda inv: asked.append(inv.instance_id) or TaskOutcome(
        "SUCCESS", duration=timedelta(minutes=25)))
    mw.advance(timedelta(hours=6))
    [run] = ssm.describe_maintenance_window_executions(WindowId=window_id)["WindowExecutions"]
    [command] = ssm.list_commands()["Commands"]
    # The cutoff (03:00) cancels the running command: A, B done, C cut, D never started.
    assert (command["Status"], command["StatusDetails"]) == ("Cancelled", "Cancelled")
    statuses = {n: node["StatusDetails"] for n, node in nodes_of(ssm, command["CommandId"]).items()}
    assert statuses == {A: "Success", B: "Success", C: "Cancelled", D: "Cancelled"}
    assert asked == [A, B, C]
    assert run["Status"] == "TIMED_OUT"
