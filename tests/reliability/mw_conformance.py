"""Output conformance: does a response body the stub produced fit the operation's model?

The check runs on the **wire JSON** (the body the service core returned, before botocore's
parser turned it into the response dict), for three reasons:

- botocore's JSON parser silently drops members the output shape does not know, so a
  misspelt member (``TaskType`` where the shape says ``Type``) would vanish from the parsed
  response instead of failing; on the wire it is still there.
- The parser passes scalars through without looking at them: an integer sent as ``"4"`` or
  a boolean sent as ``"true"`` would reach the caller unchanged and typed wrong. On the wire
  the JSON type is exactly what the service sent.
- Timestamps are epoch seconds on the wire; after parsing they are datetimes that hide a
  wrong unit (milliseconds would parse as a date 50,000 years ahead, or fail in the parser).

What is checked, recursively from the output shape: JSON types per shape type, no unknown
members, required members present, enums, string lengths (UTF-16 code units, as the service
counts), string patterns (the model's Java regexes, via the service's own translation, except where
the model's pattern contradicts what AWS documents it answers: ``_ERRATA``),
integer ranges, list and map sizes, base64 blobs and plausible timestamps. Error bodies are
checked too: the code must be one the operation defines (its modeled errors, minus
InternalServerError, which a stub has no reason to send, plus ValidationException), with a
string message. Values of ``sensitive`` members never appear in a violation message.

``install`` hooks the check into every botocore session (``after-call.ssm``); violations
are collected in :data:`VIOLATIONS` and ``tests/conftest.py`` fails the test that produced
them.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import sys
import threading
from collections.abc import Iterable
from typing import Any

import botocore.handlers
from botocore.model import NoShapeFoundError, OperationModel, Shape

from ssm_mw_stub import wire
from ssm_mw_stub.service.validation import compile_java_pattern

__all__ = [
    "EMPTY_DESPITE_MODEL",
    "VIOLATIONS",
    "allowed_error_codes",
    "check_error_body",
    "check_output",
    "check_response",
    "drain",
    "install",
]

#: Earliest and latest plausible epoch seconds for a timestamp member (1970 .. 9999).
_EPOCH_MIN = 0.0
_EPOCH_MAX = 253402300799.999

#: Error codes that no operation of a stub should ever answer with, although the model
#: lists them (a stub has no internal failures to report).
_NEVER = frozenset({"InternalServerError"})

_lock = threading.Lock()
#: (operation, violation) pairs seen since the last :func:`drain`.
VIOLATIONS: list[tuple[str, str]] = []


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _show(value: Any, shape: Shape) -> str:
    if shape.metadata.get("sensitive"):
        return "<sensitive value>"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _check(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    kind = shape.type_name
    if kind == "structure":
        _check_structure(shape, value, path, out)
    elif kind == "list":
        _check_list(shape, value, path, out)
    elif kind == "map":
        _check_map(shape, value, path, out)
    elif kind == "string":
        _check_string(shape, value, path, out)
    elif kind in ("integer", "long"):
        _check_integer(shape, value, path, out)
    elif kind == "boolean":
        if not isinstance(value, bool):
            out.append(f"{path}: expected a JSON boolean, got {_json_type(value)}")
    elif kind in ("double", "float"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            out.append(f"{path}: expected a JSON number, got {_json_type(value)}")
    elif kind == "timestamp":
        _check_timestamp(value, path, out)
    elif kind == "blob":
        _check_blob(shape, value, path, out)
    else:  # pragma: no cover - the SSM model has no other kinds in these operations
        out.append(f"{path}: shape type {kind} is not checked")


def _check_structure(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{path or '<body>'}: expected a JSON object, got {_json_type(value)}")
        return
    members = shape.members  # type: ignore[attr-defined]
    prefix = f"{path}." if path else ""
    for name in value:
        if name not in members:
            out.append(f"{prefix}{name}: not a member of {shape.name}")
    for name in shape.required_members:  # type: ignore[attr-defined]
        if name not in value:
            out.append(f"{prefix}{name}: required member of {shape.name} is missing")
    for name, item in value.items():
        member = members.get(name)
        if member is None:
            continue
        if item is None:
            # AWS omits unset members; a JSON null is a member sent without a value.
            out.append(f"{prefix}{name}: null (an unset member must be omitted)")
            continue
        _check(member, item, prefix + name, out)


#: Where real AWS answers go against its own model: shapes whose *empty* value (``""``,
#: ``[]``, ``{}``) AWS sends although the model's minimum or enum forbids it. Only the empty
#: value is let through; any other value is checked as usual. docs/guarantees.md lists each
#: with its source.
EMPTY_DESPITE_MODEL: dict[str, str] = {
    # GetAutomationExecution "Parameters": {} and "Outputs": {}, a step's
    # "OverriddenParameters": {} and "Outputs": {}: aws/aws-cli examples
    # get-automation-execution.rst, describe-automation-executions.rst,
    # describe-automation-step-executions.rst; the API reference's GetAutomationExecution.
    "AutomationParameterMap": "model min 1",
    # "OutputS3BucketName": "" on every command and plugin without a bucket: aws/aws-cli
    # send-command.rst, list-commands.rst, list-command-invocations.rst.
    "S3BucketName": "model min 3",
    # "NotificationType": "" in the same examples.
    "NotificationType": "model enum Command, Invocation",
    # "CloudWatchLogGroupName": "" in the same examples and get-command-invocation.rst.
    "CloudWatchLogGroupName": "model min 1",
    # "AlarmConfiguration": {"IgnorePollAlarmFailure": false, "Alarms": []} and
    # "TriggeredAlarms": [] in a real 2024 SendCommand answer
    # (aws-samples/amazon-eks-security-immersion-day).
    "AlarmList": "model min 1",
    "AlarmStateInformationList": "model min 1",
    # GetCommandInvocation "ExecutionEndDateTime": "" before the plugin ended: the API
    # reference ("If the plugin hasn't started to run, the string is empty"),
    # get-command-invocation.rst, guardicore/monkey's recorded answer.
    "StringDateTime": "model pattern",
    # A node in no patch group has PatchGroup "" in its InstancePatchState (a required
    # member; docs/fidelity.md, "What a patch run recorded").
    "PatchGroup": "model min 1",
}


def _empty_despite_model(shape: Shape, size: int) -> bool:
    return size == 0 and shape.name in EMPTY_DESPITE_MODEL


def _check_size(shape: Shape, size: int, path: str, what: str, out: list[str]) -> None:
    if _empty_despite_model(shape, size):
        return
    meta = shape.metadata
    if "min" in meta and size < int(meta["min"]):
        out.append(f"{path}: {what} {size} is below the model's minimum {meta['min']}")
    if "max" in meta and size > int(meta["max"]):
        out.append(f"{path}: {what} {size} is above the model's maximum {meta['max']}")


def _check_list(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    if not isinstance(value, list):
        out.append(f"{path}: expected a JSON array, got {_json_type(value)}")
        return
    _check_size(shape, len(value), path, "length", out)
    member = shape.member  # type: ignore[attr-defined]
    for index, item in enumerate(value):
        if item is None:
            out.append(f"{path}[{index}]: null list item")
        else:
            _check(member, item, f"{path}[{index}]", out)


def _check_map(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    if not isinstance(value, dict):
        out.append(f"{path}: expected a JSON object (map), got {_json_type(value)}")
        return
    _check_size(shape, len(value), path, "size", out)
    key_shape = shape.key  # type: ignore[attr-defined]
    value_shape = shape.value  # type: ignore[attr-defined]
    for key, item in value.items():
        _check_string(key_shape, key, f"{path}{{key {key!r}}}", out)
        if item is None:
            out.append(f"{path}[{key!r}]: null map value")
        else:
            _check(value_shape, item, f"{path}[{key!r}]", out)


#: Model errata: string shapes whose model pattern rejects what AWS documents it returns.
#: ``StringDateTime`` (GetCommandInvocation's ExecutionStartDateTime, ExecutionEndDateTime
#: and ExecutionElapsedTime) allows one fractional digit and no duration, while the API
#: reference's GetCommandInvocation example answers ``"2024-02-20T23:34:42.758Z"`` and
#: ``"PT44.002S"`` (and the AWS CLI's get-command-invocation example ``"PT0.541S"``).
#: ``DocumentName`` of a command sent with a document ARN is that ARN in real answers
#: (aws-samples/containers-blog-maelstrom, prefetch-data-to-EKSnodes), which the model's
#: name pattern does not allow.
#: Such values are checked against the documented forms instead.
_ERRATA = {
    "StringDateTime": re.compile(
        r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z"
        r"|PT(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d{1,3})?S)?"
    ),
    "DocumentName": re.compile(
        r"[a-zA-Z0-9_\-.]{3,128}|arn:aws[a-z-]*:ssm:[a-z0-9-]*:\d{0,12}:document/[a-zA-Z0-9_\-.]{3,128}"
    ),
}


def _check_string(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    if not isinstance(value, str):
        out.append(f"{path}: expected a JSON string, got {_json_type(value)}")
        return
    if _empty_despite_model(shape, len(value)):
        return
    _check_size(shape, _utf16_length(value), path, "length", out)
    pattern = shape.metadata.get("pattern")
    erratum = _ERRATA.get(shape.name)
    if erratum is not None:
        if erratum.fullmatch(value) is None or value == "PT":
            out.append(f"{path}: {_show(value, shape)} is not a form AWS documents")
    elif pattern is not None and compile_java_pattern(pattern).fullmatch(value) is None:
        out.append(f"{path}: {_show(value, shape)} does not match the pattern {pattern}")
    enum = getattr(shape, "enum", None)
    if enum and value not in enum:
        out.append(f"{path}: {_show(value, shape)} is not one of {', '.join(enum)}")


def _check_integer(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        out.append(f"{path}: expected a JSON integer, got {_json_type(value)} {value!r}")
        return
    meta = shape.metadata
    if "min" in meta and value < int(meta["min"]):
        out.append(f"{path}: {value} is below the model's minimum {meta['min']}")
    if "max" in meta and value > int(meta["max"]):
        out.append(f"{path}: {value} is above the model's maximum {meta['max']}")


def _check_timestamp(value: Any, path: str, out: list[str]) -> None:
    # JSON 1.1 timestamps are epoch seconds (a number), at most millisecond precision.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        out.append(f"{path}: expected epoch seconds (a JSON number), got {_json_type(value)}")
        return
    if not math.isfinite(value) or not _EPOCH_MIN <= value <= _EPOCH_MAX:
        out.append(f"{path}: {value!r} is not a plausible epoch-seconds timestamp")


def _check_blob(shape: Shape, value: Any, path: str, out: list[str]) -> None:
    if not isinstance(value, str):
        out.append(f"{path}: expected a base64 JSON string, got {_json_type(value)}")
        return
    try:
        decoded = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        out.append(f"{path}: {_show(value, shape)} is not valid base64")
        return
    _check_size(shape, len(decoded), path, "decoded length", out)


def check_output(model: OperationModel, body: Any) -> list[str]:
    """Every way ``body`` (decoded wire JSON of a 2xx answer) breaks ``model``'s output."""
    out: list[str] = []
    shape = model.output_shape
    if shape is None:
        if body not in ({}, None):
            out.append(f"<body>: {model.name} has no output, got {_json_type(body)}")
        return out
    _check(shape, body, "", out)
    return out


def allowed_error_codes(model: OperationModel) -> frozenset[str]:
    """The error codes ``model`` may answer with: its modeled errors and ValidationException."""
    modeled = {shape.name for shape in model.error_shapes}
    return frozenset((modeled | {"ValidationException"}) - _NEVER)


def check_error_body(model: OperationModel, body: Any, status: int) -> list[str]:
    """Every way an error body breaks the JSON 1.1 error format and ``model``'s errors."""
    if not isinstance(body, dict):
        return [f"<error>: expected a JSON object, got {_json_type(body)}"]
    out: list[str] = []
    code = body.get("__type")
    if not isinstance(code, str):
        return [f"<error>: __type must be a string, got {_json_type(code)}"]
    code = code.rsplit("#", 1)[-1]
    if code not in allowed_error_codes(model):
        out.append(f"<error>: code {code} is not an error {model.name} defines")
    if not 400 <= status < 600:
        out.append(f"<error>: HTTP status {status} is not an error status")
    elif code != "InternalServerError" and status >= 500:
        out.append(f"<error>: client error {code} sent with HTTP status {status}")
    messages = [key for key in ("message", "Message") if key in body]
    if not messages:
        out.append("<error>: no message")
    for key in messages:
        if not isinstance(body[key], str):
            out.append(f"<error>.{key}: expected a JSON string, got {_json_type(body[key])}")
    try:
        error_shape = model.service_model.shape_for(code)
    except NoShapeFoundError:  # an unknown code, reported above
        error_shape = None
    members = getattr(error_shape, "members", {})
    for key, item in body.items():
        if key in ("__type", "message", "Message"):
            continue
        if key not in members:
            out.append(f"<error>.{key}: not a member of the error {code}")
        elif item is not None:
            _check(members[key], item, f"<error>.{key}", out)
    return out


def check_response(model: OperationModel, status: int, raw: bytes) -> list[str]:
    """Check one HTTP answer (status and raw body) of ``model``'s operation."""
    try:
        body = json.loads(raw) if raw else {}
    except ValueError as exc:
        return [f"<body>: not JSON ({exc})"]
    if status < 300:
        return check_output(model, body)
    return check_error_body(model, body, status)


def _after_call(http_response: Any, model: OperationModel, **_: Any) -> None:
    """``after-call.ssm`` handler: check every answer the stub gave (and only those).

    Answers from the network or from moto come in other response classes; the stub's own
    response class is the one reliable mark of "this body came from ssm_mw_stub".
    """
    if not isinstance(http_response, wire.StubResponse):
        return
    problems = check_response(model, http_response.status_code, http_response.content)
    if problems:
        with _lock:
            VIOLATIONS.extend((model.name, problem) for problem in problems)


def drain() -> list[tuple[str, str]]:
    """The violations collected so far; the collector is empty afterwards."""
    with _lock:
        found = list(VIOLATIONS)
        VIOLATIONS.clear()
    return found


_EVENT = "after-call.ssm"
_installed = False


def install(extra_sessions: Iterable[Any] = ()) -> None:
    """Check every stub answer in this process from now on. Idempotent.

    New botocore sessions pick the handler up from botocore's built-in handler list;
    boto3's default session, if it already exists, gets it directly (as the stub's own hook
    does), and so does any session passed in.
    """
    global _installed
    if not _installed:
        botocore.handlers.BUILTIN_HANDLERS.append((_EVENT, _after_call))
        boto3 = sys.modules.get("boto3")
        default = getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None
        if default is not None:
            default._session.register(_EVENT, _after_call, unique_id=_EVENT + ".conformance")
        _installed = True
    for session in extra_sessions:
        session.register(_EVENT, _after_call, unique_id=_EVENT + ".conformance")
