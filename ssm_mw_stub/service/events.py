"""EventBridge events of the service, shaped like the real ``aws.ssm`` events.

The service and the engine both emit; the mock collects them in order as ``mw.events``.
Detail keys are kebab-case and times ISO 8601 UTC, as in the AWS event examples.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

__all__ = [
    "EXECUTION_STATE",
    "INVOCATION_STATE",
    "TARGET_REGISTRATION",
    "TASK_EXECUTION_STATE",
    "WINDOW_STATE",
    "envelope",
    "iso_millis",
]

TARGET_REGISTRATION = "Maintenance Window Target Registration Notification"
EXECUTION_STATE = "Maintenance Window Execution State-change Notification"
TASK_EXECUTION_STATE = "Maintenance Window Task Execution State-change Notification"
INVOCATION_STATE = "Maintenance Window Task Target Invocation State-change Notification"
WINDOW_STATE = "Maintenance Window State-change Notification"


def iso_millis(when: datetime) -> str:
    """``2016-11-16T01:00:57.839Z``: the time format inside event details."""
    utc = when.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def envelope(
    *,
    event_id: str,
    detail_type: str,
    detail: dict[str, Any],
    resources: list[str],
    when: datetime,
    account: str,
    region: str,
) -> dict[str, Any]:
    """The whole EventBridge event around ``detail``."""
    return {
        "version": "0",
        "id": event_id,
        "detail-type": detail_type,
        "source": "aws.ssm",
        "account": account,
        "time": when.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "region": region,
        "resources": resources,
        "detail": detail,
    }
