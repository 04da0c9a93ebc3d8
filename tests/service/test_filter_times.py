"""Time filter values with one-digit fields (issue 20, item 11): the user guide's PowerShell
recipe for these strings (``Get-Date -Format "yyyy-MM-ddTH:mm:ssZ"``) writes the hour with
one digit before 10:00, and the service reads it (docs/fidelity.md, "Round 3")."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ssm_mw_stub import MaintenanceWindows


def test_one_digit_hour_in_every_kind_of_time_filter(
    mw: MaintenanceWindows, ssm: Any, make_window: Callable[..., str]
) -> None:
    mw.add_instance("i-0123456789abcdef0")
    mw.advance(timedelta(hours=9, minutes=30))  # 2026-11-24T09:30Z
    command_id = ssm.send_command(
        InstanceIds=["i-0123456789abcdef0"], DocumentName="AWS-RunShellScript",
        Parameters={"commands": ["uptime"]},
    )["Command"]["CommandId"]
    after = [{"key": "InvokedAfter", "value": "2026-11-24T9:16:43Z"}]
    before = [{"key": "InvokedBefore", "value": "2026-11-24T9:16:43Z"}]
    assert [c["CommandId"] for c in ssm.list_commands(Filters=after)["Commands"]] == [command_id]
    assert ssm.list_commands(Filters=before)["Commands"] == []
    execution_id = ssm.start_automation_execution(DocumentName="AWS-StopEC2Instance")[
        "AutomationExecutionId"
    ]
    listed = ssm.describe_automation_executions(
        Filters=[{"Key": "StartTimeAfter", "Values": ["2026-11-24T9:16:43Z"]}]
    )["AutomationExecutionMetadataList"]
    assert [e["AutomationExecutionId"] for e in listed] == [execution_id]
    window_id = make_window()
    upcoming = ssm.describe_maintenance_window_schedule(
        WindowId=window_id, MaxResults=1,
        Filters=[{"Key": "ScheduledAfter", "Values": ["2026-12-1T6:0:0Z"]}],
    )["ScheduledWindowExecutions"]
    assert [s["ExecutionTime"] for s in upcoming] == ["2026-12-01T16:00Z"]


@pytest.mark.parametrize("value", ["2026-11-24T:16:43Z", "2026-11-24T123:16:43Z", "9:16:43"])
def test_what_is_not_a_time_is_still_refused(ssm: Any, value: str) -> None:
    with pytest.raises(ssm.exceptions.ClientError) as excinfo:
        ssm.list_commands(Filters=[{"key": "InvokedAfter", "value": value}])
    assert excinfo.value.response["Error"]["Code"] == "ValidationException"
