"""LAMBDA: the task invokes a Lambda function per target; the ExecutionId is the request id.

No Lambda service is called: the handler decides the outcome.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from ..model import JSON, WindowTask
from .base import TaskType

__all__ = ["Lambda"]


def _decode_payload(payload: Any) -> Any:
    """``Payload`` travels base64-encoded; handlers and records see its text."""
    if not isinstance(payload, str):
        return payload
    try:
        return base64.b64decode(payload, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return payload


class Lambda(TaskType):
    """The request: ``{"functionName", "qualifier"?, "clientContext"?, "payload"?}``, the
    Invoke request by the convention of the Run Command one (payload as text)."""

    name = "LAMBDA"
    branch = "Lambda"
    arn_member = "functionName"
    request_members = ("Qualifier", "ClientContext", "Payload")

    def handler_parameters(self, task: WindowTask) -> JSON:
        branch = super().handler_parameters(task)
        if "Payload" in branch:
            branch["Payload"] = _decode_payload(branch["Payload"])
        return branch
