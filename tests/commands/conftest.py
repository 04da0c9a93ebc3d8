"""Fixtures for the Run Command tests: a fleet of four prod web servers and a sender.

The suite's clock starts Tuesday 2026-11-24T00:00Z (tests/conftest.py). A command sent
with ``send_command`` starts at the next instant the engine applies, so the tests advance
the clock (``mw.advance(timedelta(0))`` is enough) before its nodes have started.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from command_helpers import NODES

from ssm_mw_stub import MaintenanceWindows


@pytest.fixture
def nodes(mw: MaintenanceWindows) -> list[str]:
    """Four managed nodes tagged Env=prod, Role=web."""
    for instance_id in NODES:
        mw.add_instance(instance_id, tags={"Env": "prod", "Role": "web"})
    return NODES


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
