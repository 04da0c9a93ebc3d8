"""Execution read operations before anything has run: empty lists and unknown ids."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

EXECUTION = "11111111-2222-4333-8444-555555555555"


def test_a_new_window_has_no_executions(ssm: Any, make_window: Callable[..., str]) -> None:
    window_id = make_window()
    found = ssm.describe_maintenance_window_executions(WindowId=window_id)
    assert found["WindowExecutions"] == []
    assert "NextToken" not in found


def test_executions_of_an_unknown_window_are_an_empty_list(ssm: Any) -> None:
    found = ssm.describe_maintenance_window_executions(WindowId="mw-0123456789abcdef0")
    assert found["WindowExecutions"] == []


@pytest.mark.parametrize(
    ("operation", "params"),
    [
        ("get_maintenance_window_execution", {}),
        ("cancel_maintenance_window_execution", {}),
        ("describe_maintenance_window_execution_tasks", {}),
        ("get_maintenance_window_execution_task", {"TaskId": EXECUTION}),
        ("describe_maintenance_window_execution_task_invocations", {"TaskId": EXECUTION}),
        (
            "get_maintenance_window_execution_task_invocation",
            {"TaskId": EXECUTION, "InvocationId": EXECUTION},
        ),
    ],
)
def test_unknown_execution_ids_do_not_exist(
    ssm: Any, operation: str, params: dict[str, str]
) -> None:
    with pytest.raises(ssm.exceptions.DoesNotExistException) as excinfo:
        getattr(ssm, operation)(WindowExecutionId=EXECUTION, **params)
    assert EXECUTION in excinfo.value.response["Error"]["Message"]
