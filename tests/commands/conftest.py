"""Fixtures for the Run Command tests: a fleet of four prod web servers and a sender.

The suite's clock starts Tuesday 2026-11-24T00:00Z (tests/conftest.py). A command sent
with ``send_command`` starts at the next instant the engine applies, so the tests advance
the clock (``mw.advance(timedelta(0))`` is enough) before its nodes have started.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ssm_mw_stub import MaintenanceWindows

from ..helpers import NODES


@pytest.fixture
def nodes(mw: MaintenanceWindows) -> list[str]:
    """Four managed nodes tagged Env=prod, Role=web."""
    return [mw.add_instance(node, tags={"Env": "prod", "Role": "web"}) or node for node in NODES]


@pytest.fixture
def command_window(ssm: Any, make_window: Callable[..., str]) -> Callable[..., str]:
    """A daily 02:00 UTC window whose RUN_COMMAND task runs ``document`` on ``instance_ids``
    one node at a time (MaxErrors 0); ``window`` overrides members of the window, other
    keywords members of the task. Returns the WindowId."""

    def make(
        instance_ids: list[str], document: str = "AWS-RunShellScript",
        window: dict[str, Any] | None = None, **task: Any,
    ) -> str:
        window_id = make_window(Schedule="cron(0 2 * * ? *)", **(window or {}))
        ssm.register_task_with_maintenance_window(**{
            "WindowId": window_id, "TaskArn": document, "TaskType": "RUN_COMMAND",
            "Targets": [{"Key": "InstanceIds", "Values": list(instance_ids)}],
            "MaxConcurrency": "1", "MaxErrors": "0", **task,
        })
        return window_id

    return make


@pytest.fixture
def send(ssm: Any) -> Callable[..., dict[str, Any]]:
    """SendCommand with AWS-RunShellScript and ``echo hi`` unless overridden; the Command."""

    def send_command(**overrides: Any) -> dict[str, Any]:
        params: dict[str, Any] = {
            "DocumentName": "AWS-RunShellScript",
            "Parameters": {"commands": ["echo hi"]},
        }
        params.update(overrides)
        return dict(ssm.send_command(**params)["Command"])

    return send_command
