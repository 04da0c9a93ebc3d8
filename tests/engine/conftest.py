"""Fixtures for the engine tests: a daily window at 02:00 UTC and small readers.

The suite's clock starts Tuesday 2026-11-24T00:00Z (tests/conftest.py), so the first slot
of the default window is two hours away: ``mw.advance(timedelta(hours=2))`` reaches it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any

import pytest

from ssm_mw_stub import MaintenanceWindows

FIRST_SLOT = datetime(2026, 11, 24, 2, 0, tzinfo=timezone.utc)
INSTANCES = [f"i-{n:017x}" for n in range(1, 11)]


@pytest.fixture
def window(make_window: Callable[..., str]) -> Callable[..., str]:
    """Create a window (daily 02:00 UTC, 4 h, cutoff 1 h) with keyword overrides."""

    def make(**overrides: Any) -> str:
        return make_window(**{"Name": "nightly", "Schedule": "cron(0 2 * * ? *)", **overrides})

    return make


@pytest.fixture
def fleet(mw: MaintenanceWindows) -> list[str]:
    """Ten prod web servers in the fake fleet, tagged Env=prod, Role=web."""
    for instance_id in INSTANCES:
        mw.add_instance(instance_id, tags={"Env": "prod", "Role": "web"})
    return INSTANCES


@pytest.fixture
def target(ssm: Any) -> Callable[..., str]:
    """Register a window target (default: tag Env=prod) and return its WindowTargetId."""

    def make(window_id: str, targets: list[dict[str, Any]] | None = None, **extra: Any) -> str:
        params: dict[str, Any] = {
            "WindowId": window_id,
            "ResourceType": "INSTANCE",
            "Targets": targets or [{"Key": "tag:Env", "Values": ["prod"]}],
        }
        params.update(extra)
        return str(ssm.register_target_with_maintenance_window(**params)["WindowTargetId"])

    return make


@pytest.fixture
def task(ssm: Any) -> Callable[..., str]:
    """Register a task (default: an Automation over the given window targets)."""

    def make(
        window_id: str,
        window_targets: list[str] | None = None,
        *,
        arn: str = "AWS-RestartEC2Instance",
        kind: str = "AUTOMATION",
        **extra: Any,
    ) -> str:
        params: dict[str, Any] = {"WindowId": window_id, "TaskArn": arn, "TaskType": kind}
        if window_targets is not None:
            params["Targets"] = [{"Key": "WindowTargetIds", "Values": window_targets}]
            params.setdefault("MaxConcurrency", extra.pop("MaxConcurrency", "10"))
            params.setdefault("MaxErrors", extra.pop("MaxErrors", "0"))
        params.update(extra)
        return str(ssm.register_task_with_maintenance_window(**params)["WindowTaskId"])

    return make


class Reader:
    """Reads what the engine recorded through boto3, following every NextToken."""

    def __init__(self, ssm: Any) -> None:
        self.ssm = ssm

    def executions(self, window_id: str, **kwargs: Any) -> list[dict[str, Any]]:
        pages = self.ssm.get_paginator("describe_maintenance_window_executions")
        return [
            item
            for page in pages.paginate(WindowId=window_id, **kwargs)
            for item in page["WindowExecutions"]
        ]

    def only_execution(self, window_id: str) -> dict[str, Any]:
        found = self.executions(window_id)
        assert len(found) == 1, found
        return found[0]

    def execution(self, execution_id: str) -> dict[str, Any]:
        return dict(self.ssm.get_maintenance_window_execution(WindowExecutionId=execution_id))

    def tasks(self, execution_id: str, **kwargs: Any) -> list[dict[str, Any]]:
        pages = self.ssm.get_paginator("describe_maintenance_window_execution_tasks")
        return [
            item
            for page in pages.paginate(WindowExecutionId=execution_id, **kwargs)
            for item in page["WindowExecutionTaskIdentities"]
        ]

    def task(self, execution_id: str, task_execution_id: str) -> dict[str, Any]:
        return dict(
            self.ssm.get_maintenance_window_execution_task(
                WindowExecutionId=execution_id, TaskId=task_execution_id
            )
        )

    def invocations(
        self, execution_id: str, task_execution_id: str, **kwargs: Any
    ) -> list[dict[str, Any]]:
        pages = self.ssm.get_paginator("describe_maintenance_window_execution_task_invocations")
        return [
            item
            for page in pages.paginate(
                WindowExecutionId=execution_id, TaskId=task_execution_id, **kwargs
            )
            for item in page["WindowExecutionTaskInvocationIdentities"]
        ]

    def task_by_arn(self, execution_id: str, arn: str) -> dict[str, Any]:
        found = [t for t in self.tasks(execution_id) if t["TaskArn"] == arn]
        assert len(found) == 1, found
        return found[0]


@pytest.fixture
def read(ssm: Any) -> Reader:
    return Reader(ssm)
