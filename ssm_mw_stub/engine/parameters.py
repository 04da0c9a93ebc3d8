"""What an invocation is called with: pseudo parameters, the downstream request, TaskParameters.

Three views of a task's parameters exist, and each is built here once per task execution so
the per-invocation path only substitutes strings:

- the handler's ``Invocation.parameters``: the task's ``TaskInvocationParameters`` branch for
  its type, in the wire's member names (``{"Parameters": {...}, "Comment": ...}`` for Run
  Command), pseudo parameters substituted, a Lambda ``Payload`` decoded to text;
- the invocation record's ``Parameters``: a JSON string of the request the service sends
  downstream. For Run Command this is the documented SendCommand shape (``documentName``,
  ``instanceIds``, ``parameters``, ``maxConcurrency``, ``maxErrors``, ...); the other types
  follow the same convention with their own API's member names (docs/engine-notes.md);
- GetMaintenanceWindowExecutionTask's ``TaskParameters``: a one-element list of
  ``{name: {"Values": [...]}}`` with ``aws:InstanceId`` listing every resolved node.

Pseudo parameters are written ``{{NAME}}`` (spaces inside the braces are accepted); names the
service does not define, such as ``{{ aws:ORCHESTRATION_ID }}``, are left as written.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..service.store import WindowTask

__all__ = [
    "BRANCHES",
    "handler_parameters",
    "logging_values",
    "request_document",
    "substitute",
    "substitute_json",
    "task_parameters",
]

JSON = dict[str, Any]

#: The TaskInvocationParameters member of each task type.
BRANCHES = {
    "RUN_COMMAND": "RunCommand",
    "AUTOMATION": "Automation",
    "LAMBDA": "Lambda",
    "STEP_FUNCTIONS": "StepFunctions",
}

_PSEUDO = re.compile(r"\{\{\s*([A-Z0-9_]+)\s*\}\}")

# SendCommand members a Run Command task may carry, in the order the request lists them.
_RUN_COMMAND_MEMBERS = (
    ("Comment", "comment"),
    ("TimeoutSeconds", "timeoutSeconds"),
    ("DocumentVersion", "documentVersion"),
    ("DocumentHash", "documentHash"),
    ("DocumentHashType", "documentHashType"),
    ("OutputS3BucketName", "outputS3BucketName"),
    ("OutputS3KeyPrefix", "outputS3KeyPrefix"),
    ("ServiceRoleArn", "serviceRoleArn"),
    ("NotificationConfig", "notificationConfig"),
    ("CloudWatchOutputConfig", "cloudWatchOutputConfig"),
)


def _replacer(values: Mapping[str, str], escape: bool) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        value = values.get(match.group(1))
        if value is None:
            return match.group(0)
        return json.dumps(value)[1:-1] if escape else value

    return replace


def substitute(value: Any, values: Mapping[str, str]) -> Any:
    """A copy of ``value`` (str, list, dict, nested) with the pseudo parameters replaced."""
    if isinstance(value, str):
        return _PSEUDO.sub(_replacer(values, False), value) if "{{" in value else value
    if isinstance(value, dict):
        return {key: substitute(item, values) for key, item in value.items()}
    if isinstance(value, list):
        return [substitute(item, values) for item in value]
    return value


def substitute_json(template: str, values: Mapping[str, str]) -> str:
    """Replace pseudo parameters inside a JSON text, escaping the values for JSON."""
    if "{{" not in template:
        return template
    return _PSEUDO.sub(_replacer(values, True), template)


def logging_values(task: WindowTask) -> dict[str, str]:
    """``LOGGING_S3_*`` values from the task's (deprecated) LoggingInfo."""
    info = task.logging_info or {}
    found = {
        "LOGGING_S3_BUCKET_NAME": info.get("S3BucketName"),
        "LOGGING_S3_KEY_PREFIX": info.get("S3KeyPrefix"),
        "LOGGING_S3_REGION": info.get("S3Region"),
    }
    return {key: value for key, value in found.items() if isinstance(value, str)}


def _decode_payload(payload: Any) -> Any:
    """Lambda ``Payload`` travels base64-encoded; handlers and records see its text."""
    if not isinstance(payload, str):
        return payload
    try:
        return base64.b64decode(payload, validate=True).decode("utf-8")
    except (binascii.Error, ValueError):
        return payload


def handler_parameters(task: WindowTask) -> JSON:
    """The task's parameters as the handler sees them, before substitution.

    A Run Command task registered with the deprecated ``TaskParameters`` (and no
    TaskInvocationParameters) gets them as ``{"Parameters": {name: [values]}}``, the shape
    the service forwards them in.
    """
    invocation = task.invocation_parameters or {}
    branch = dict(invocation.get(BRANCHES[task.task_type]) or {})
    if task.task_type == "RUN_COMMAND" and not invocation and task.task_parameters:
        branch = {
            "Parameters": {
                name: list(value.get("Values") or [])
                for name, value in task.task_parameters.items()
            }
        }
    if task.task_type == "LAMBDA" and "Payload" in branch:
        branch["Payload"] = _decode_payload(branch["Payload"])
    return branch


def _lower_camel(value: Any) -> Any:
    if isinstance(value, dict):
        return {key[:1].lower() + key[1:]: _lower_camel(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_lower_camel(item) for item in value]
    return value


def request_document(
    task: WindowTask,
    branch: JSON,
    *,
    instance_ids: list[str] | None = None,
    max_concurrency: str | None = None,
    max_errors: str | None = None,
) -> JSON:
    """The downstream request an invocation sends (its record's ``Parameters``, as JSON)."""
    arn = task.task_arn
    kind = task.task_type
    if kind == "RUN_COMMAND":
        doc: JSON = {
            "documentName": arn,
            "instanceIds": instance_ids or [],
            "parameters": branch.get("Parameters") or {},
            "maxConcurrency": max_concurrency,
            "maxErrors": max_errors,
        }
        for member, key in _RUN_COMMAND_MEMBERS:
            if branch.get(member) is not None:
                doc[key] = _lower_camel(branch[member])
        if not task.invocation_parameters and task.logging_info:
            info = task.logging_info
            for member, key in (
                ("S3BucketName", "outputS3BucketName"),
                ("S3KeyPrefix", "outputS3KeyPrefix"),
                ("S3Region", "outputS3Region"),
            ):
                if info.get(member) is not None:
                    doc[key] = info[member]
        return doc
    if kind == "AUTOMATION":
        doc = {"documentName": arn}
        if branch.get("DocumentVersion") is not None:
            doc["documentVersion"] = branch["DocumentVersion"]
        doc["parameters"] = branch.get("Parameters") or {}
        return doc
    if kind == "LAMBDA":
        doc = {"functionName": arn}
        for member, key in (
            ("Qualifier", "qualifier"),
            ("ClientContext", "clientContext"),
            ("Payload", "payload"),
        ):
            if branch.get(member) is not None:
                doc[key] = branch[member]
        return doc
    doc = {"stateMachineArn": arn}
    for member, key in (("Name", "name"), ("Input", "input")):
        if branch.get(member) is not None:
            doc[key] = branch[member]
    return doc


def task_parameters(task: WindowTask, branch: JSON, instance_ids: list[str]) -> list[JSON]:
    """GetMaintenanceWindowExecutionTask's ``TaskParameters``: the parameters as written
    (pseudo parameters unresolved, since they differ per invocation), plus ``aws:InstanceId``
    with every resolved node of a Run Command task."""
    if task.task_type not in ("RUN_COMMAND", "AUTOMATION"):
        return []
    params = branch.get("Parameters") or {}
    entry: JSON = {
        name: {"Values": list(values) if isinstance(values, list) else [values]}
        for name, values in params.items()
    }
    if task.task_type == "RUN_COMMAND" and instance_ids:
        entry["aws:InstanceId"] = {"Values": list(instance_ids)}
    return [entry] if entry else []
