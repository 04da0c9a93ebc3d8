"""Shared fixtures: an active mock (the plugin's fixture) and clients made through boto3."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from botocore.config import Config

from ssm_mw_stub import MaintenanceWindows

# No test may wait on the EC2 metadata service while botocore looks for credentials at
# client creation (there are none here, and none are needed).
os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")

START = "2026-11-24T00:00:00Z"  # a Tuesday; 16:00 the day before in Los Angeles


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Give every test without its own ``maintenance_windows`` marker a fixed start, so the
    plugin's fixture never reads the real clock in this suite."""
    for item in items:
        if item.get_closest_marker("maintenance_windows") is None:
            item.add_marker(pytest.mark.maintenance_windows(start=START))


@pytest.fixture
def mw(maintenance_windows: MaintenanceWindows) -> Iterator[MaintenanceWindows]:
    """The plugin's fixture under a short name."""
    return maintenance_windows


@pytest.fixture
def ssm(mw: MaintenanceWindows) -> Any:
    """An SSM client in us-east-1, created inside the mock, with no credentials."""
    return boto3.client("ssm", region_name="us-east-1")


@pytest.fixture
def raw_ssm(mw: MaintenanceWindows) -> Any:
    """A client with botocore's own validation off: the service must catch everything."""
    return boto3.client(
        "ssm", region_name="us-east-1", config=Config(parameter_validation=False)
    )


@pytest.fixture
def make_window(ssm: Any) -> Callable[..., str]:
    """Create a window with sensible defaults; keyword arguments override them."""

    def make(**overrides: Any) -> str:
        params: dict[str, Any] = {
            "Name": "patch-window",
            "Schedule": "cron(0 16 ? * TUE *)",
            "Duration": 4,
            "Cutoff": 1,
            "AllowUnassociatedTargets": True,
        }
        params.update(overrides)
        return str(ssm.create_maintenance_window(**params)["WindowId"])

    return make
