"""Shared fixtures: an active mock (the plugin's fixture) and clients made through boto3."""

from __future__ import annotations

from collections.abc import Iterator

import boto3
import pytest

from ssm_mw_stub import MaintenanceWindows

START = "2026-11-24T00:00:00Z"  # a Tuesday, 16:00 the previous day in Los Angeles


@pytest.fixture
def mw(maintenance_windows: MaintenanceWindows) -> Iterator[MaintenanceWindows]:
    """The plugin's fixture under a short name."""
    yield maintenance_windows


@pytest.fixture
def ssm(mw: MaintenanceWindows) -> object:
    """An SSM client in us-east-1, created inside the mock, with no credentials."""
    return boto3.client("ssm", region_name="us-east-1")
