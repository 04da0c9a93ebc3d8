"""Readers for the Run Command tests: what a command and its nodes look like through boto3."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

START = datetime(2026, 11, 24, tzinfo=timezone.utc)
NODES = [f"i-0a1b2c3d4e5f6000{n}" for n in range(1, 5)]


def nodes_of(ssm: Any, command_id: str, **extra: Any) -> dict[str, dict[str, Any]]:
    """ListCommandInvocations of one command, every page, by InstanceId."""
    pages = ssm.get_paginator("list_command_invocations").paginate(CommandId=command_id, **extra)
    return {
        node["InstanceId"]: node for page in pages for node in page["CommandInvocations"]
    }


def command_of(ssm: Any, command_id: str) -> dict[str, Any]:
    [command] = ssm.list_commands(CommandId=command_id)["Commands"]
    return dict(command)
