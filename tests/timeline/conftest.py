"""Fixtures of the timeline tests."""

from __future__ import annotations

from typing import Any

import boto3
import pytest

from ssm_mw_stub import MaintenanceWindows


@pytest.fixture
def dublin(mw: MaintenanceWindows) -> Any:
    """An SSM client in eu-west-1, the Region of the scenario (timeline_scenario.py)."""
    return boto3.client("ssm", region_name="eu-west-1")
