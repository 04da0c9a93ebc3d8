"""Fixtures for the engine tests: a daily window at 02:00 UTC, a fleet, targets and tasks
(the ``read`` fixture, shared by the suite, is in tests/conftest.py).

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
