"""Readers shared by the Automation API tests: an execution by id, and the listing."""

from __future__ import annotations

from typing import Any

__all__ = ["get", "listed"]


def get(ssm: Any, execution_id: str) -> dict[str, Any]:
    """GetAutomationExecution's AutomationExecution."""
    return dict(ssm.get_automation_execution(AutomationExecutionId=execution_id)[
        "AutomationExecution"
    ])


def listed(ssm: Any, **params: Any) -> list[str]:
    """The ids DescribeAutomationExecutions lists, every page followed."""
    pages = ssm.get_paginator("describe_automation_executions").paginate(**params)
    return [
        item["AutomationExecutionId"]
        for page in pages
        for item in page["AutomationExecutionMetadataList"]
    ]
