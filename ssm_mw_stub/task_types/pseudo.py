"""Pseudo parameters: ``{{WINDOW_ID}}``, ``{{TARGET_ID}}`` and friends, substituted per
invocation ("About pseudo parameters" in the Systems Manager user guide).

Written ``{{NAME}}``, spaces inside the braces accepted; names the service does not define,
such as ``{{ aws:ORCHESTRATION_ID }}``, are left as written. Which names a task type
supports is the task type's business (:mod:`.base`); this module only substitutes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from ..model import WindowTask

__all__ = ["logging_values", "substitute", "substitute_json"]

_PSEUDO = re.compile(r"\{\{\s*([A-Z0-9_]+)\s*\}\}")


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
