"""Run Command's EventBridge events in ``mw.events``: shaped as AWS documents them ("Amazon
EventBridge event examples for Systems Manager"), in time order with the window's events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from ssm_mw_stub import MaintenanceWindows, TaskOutcome

from ..helpers import NODES

A, B, C, D = NODES
COMMAND = "EC2 Command Status-change Notification"
NODE = "EC2 Command Invocation Status-change Notification"
ARN = "arn:aws:ec2:us-east-1:123456789012:instance/{}"


def test_a_commands_events(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome(
        "FAILED" if inv.instance_id == B else "SUCCESS", duration=timedelta(seconds=90)))
    command_id = send(InstanceIds=[A, B], Parameters={"commands": ["date"]})["CommandId"]
    mw.advance(timedelta(minutes=5))
    events = mw.events
    assert [(e["detail-type"], e["detail"]["status"], e["time"]) for e in events] == [
        (COMMAND, "Pending", "2026-11-24T00:00:00Z"),
        (COMMAND, "InProgress", "2026-11-24T00:00:00Z"),
        (NODE, "InProgress", "2026-11-24T00:00:00Z"),
        (NODE, "InProgress", "2026-11-24T00:00:00Z"),
        (NODE, "Success", "2026-11-24T00:01:30Z"),
        (NODE, "Failed", "2026-11-24T00:01:30Z"),
        (COMMAND, "Failed", "2026-11-24T00:01:30Z"),
    ]
    final = events[-1]
    assert final == {
        "version": "0",
        "id": final["id"],
        "detail-type": COMMAND,
        "source": "aws.ssm",
        "account": "123456789012",
        "time": "2026-11-24T00:01:30Z",
        "region": "us-east-1",
        "resources": [ARN.format(A), ARN.format(B)],
        "detail": {
            "command-id": command_id,
            "document-name": "AWS-RunShellScript",
            "expire-after": "2026-11-24T02:00:00.000Z",
            "parameters": {"commands": ["date"]},
            "requested-date-time": "2026-11-24T00:00:00.000Z",
            "status": "Failed",
        },
    }
    assert list(final["detail"]) == [
        "command-id", "document-name", "expire-after", "parameters", "requested-date-time",
        "status",
    ]
    node = events[5]
    assert node["resources"] == [ARN.format(B)]
    assert node["detail"] == {
        "command-id": command_id,
        "document-name": "AWS-RunShellScript",
        "instance-id": B,
        "requested-date-time": "2026-11-24T00:00:00.000Z",
        "status": "Failed",
    }
    assert len({e["id"] for e in events}) == len(events)


def test_a_windows_command_events_interleave_with_the_windows(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], command_window: Callable[..., str]
) -> None:
    command_window([A])
    mw.on_task("RUN_COMMAND", lambda inv: TaskOutcome("SUCCESS", duration=timedelta(minutes=3)))
    mw.advance(timedelta(hours=3))
    kinds = [
        (e["detail-type"].split(" State-change")[0].split(" Status-change")[0],
         e["detail"]["status"])
        for e in mw.events
    ]
    assert kinds == [
        ("Maintenance Window Task Registration Notification", "REGISTERED"),
        ("Maintenance Window Execution", "PENDING"),
        ("Maintenance Window Execution", "IN_PROGRESS"),
        ("Maintenance Window Task Execution", "IN_PROGRESS"),
        ("Maintenance Window Task Target Invocation", "IN_PROGRESS"),
        ("EC2 Command", "Pending"),
        ("EC2 Command", "InProgress"),
        ("EC2 Command Invocation", "InProgress"),
        ("EC2 Command Invocation", "Success"),
        ("EC2 Command", "Success"),
        ("Maintenance Window Task Target Invocation", "SUCCESS"),
        ("Maintenance Window Task Execution", "SUCCESS"),
        ("Maintenance Window Execution", "SUCCESS"),
    ]
    times = [e["time"] for e in mw.events]
    assert times == sorted(times)


def test_changing_an_event_changes_no_record(
    mw: MaintenanceWindows, ssm: Any, nodes: list[str], send: Callable[..., dict[str, Any]]
) -> None:
    command_id = send(InstanceIds=[A])["CommandId"]
    mw.advance(timedelta(0))
    mw.events[0]["detail"]["parameters"]["commands"].append("rm -rf /")
    [command] = ssm.list_commands(CommandId=command_id)["Commands"]
    assert command["Parameters"] == {"commands": ["echo hi"]}
