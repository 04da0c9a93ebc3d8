"""SSM's wire protocol over HTTP (AWS JSON 1.1), in front of the same service core.

An SDK, the AWS CLI or Terraform sends ``POST /`` with ``X-Amz-Target:
AmazonSSM.<Operation>``, ``Content-Type: application/x-amz-json-1.1``, a SigV4
``Authorization`` header and a JSON body. :class:`SsmFront` checks what HTTP adds (the
target, the content type, the size), takes the Region from the signature's credential
scope (the signature itself is not checked: no credentials are needed), and hands
operation name and body to the mock's service exactly as the botocore hook does in-process,
so the answers, ids included, are the same. Every refusal is a JSON error body SDKs parse
(``{"__type", "message"}``) with a 4xx status: SDKs and Terraform retry 5xx answers, and
nothing a client sends is the server's fault.

This module knows nothing of sockets: :meth:`SsmFront.answer` takes headers and a body and
returns a :class:`Reply`, which is what the tests and the fuzzing drive directly too.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Protocol

from .. import hook

if TYPE_CHECKING:
    from botocore.model import OperationModel, ServiceModel

    from ..hook import Responder

__all__ = [
    "DEFAULT_REGION",
    "JSON_TYPE",
    "MAX_BODY",
    "Headers",
    "Reply",
    "SsmFront",
    "error_reply",
    "region_of",
]

#: The Region of a request whose Authorization header names none (as botocore's default).
DEFAULT_REGION = "us-east-1"
#: The content type of AWS JSON 1.1 requests and responses.
JSON_TYPE = "application/x-amz-json-1.1"
#: The largest request body read (1 MiB); SSM's largest inputs are far smaller.
MAX_BODY = 1024 * 1024
#: The target prefix of SSM's operations (the service model's ``targetPrefix``).
TARGET_PREFIX = "AmazonSSM."
#: Content types taken as JSON: what the SDKs send, and the other JSON protocol versions.
_JSON_TYPES = frozenset(
    {JSON_TYPE, "application/x-amz-json-1.0", "application/json"}
)
#: ``Credential=AKID/20261124/us-west-2/ssm/aws4_request``: the Region is the third part.
#: The Region's form is botocore's check of Region names.
_SCOPE = re.compile(
    r"Credential=[^/,\s]*/\d{8}/([a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)/"
)


class Headers(Protocol):
    """A request's headers, looked up case-insensitively (``http.server``'s message)."""

    def get(self, name: str, failobj: None = None) -> str | None: ...


@dataclass(frozen=True)
class Reply:
    """One HTTP answer: status, body, and the headers it needs besides the usual ones."""

    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: Mapping[str, str] = field(default_factory=dict)
    #: Whether the connection must close after it (the request body was not read).
    close: bool = False


def error_reply(
    status: int, code: str, message: str, *, close: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Reply:
    """A JSON error body as AWS JSON protocols send it, with the code in a header too."""
    body = json.dumps({"__type": code, "message": message}).encode()
    extra = {"x-amzn-ErrorType": code, **(headers or {})}
    return Reply(status, body, headers=extra, close=close)


def region_of(authorization: str | None) -> str:
    """The Region of a SigV4 ``Authorization`` header's credential scope, else
    ``DEFAULT_REGION`` (no header, another scheme, or a scope without a valid Region)."""
    if authorization:
        match = _SCOPE.search(authorization)
        if match:
            return match.group(1)
    return DEFAULT_REGION


@cache
def _service_model() -> ServiceModel:
    """botocore's SSM model: operation names, input shapes (the service validates
    against them), and the operation models ``mw.calls`` decodes with."""
    import botocore.session

    return botocore.session.get_session().get_service_model("ssm")


@cache
def operation_model(name: str) -> OperationModel | None:
    """The model of the SSM operation ``name``, or None if SSM has no such operation."""
    model = _service_model()
    if name not in model.operation_names:
        return None
    return model.operation_model(name)


class SsmFront:
    """Answers SSM requests for the mock that ``responder`` returns at each request."""

    def __init__(self, responder: Callable[[], Responder]) -> None:
        self._responder = responder

    def answer(self, headers: Headers, body: bytes) -> Reply:
        """The reply to ``POST`` of ``body`` with ``headers`` (a case-insensitive mapping,
        as ``http.server`` gives it). The body is already read and within ``MAX_BODY``."""
        refusal = check_content_type(headers.get("Content-Type"))
        if refusal is not None:
            return refusal
        target = headers.get("X-Amz-Target")
        if not target:
            return error_reply(
                400, "UnknownOperationException",
                "The request has no X-Amz-Target header: SSM's JSON 1.1 protocol names the "
                "operation there, e.g. X-Amz-Target: AmazonSSM.DescribeMaintenanceWindows",
            )
        name = target[len(TARGET_PREFIX):] if target.startswith(TARGET_PREFIX) else None
        model = operation_model(name) if name else None
        if name is None or model is None:
            return error_reply(
                400, "UnknownOperationException",
                f"Unknown operation {target[:200]!r}: this endpoint answers Systems Manager "
                f"(targets {TARGET_PREFIX}<Operation>)",
            )
        responder = self._responder()
        if not hook.is_answered(responder, name, body):
            return error_reply(
                400, "UnknownOperationException",
                f"ssm-mw-stub does not answer the SSM operation {name}: it answers the "
                "maintenance-window, Run Command and Automation operations (see "
                "docs/server.md in the ssm-mw-stub repository)",
            )
        region = region_of(headers.get("Authorization"))
        status, raw = responder.service.handle(
            name, body, account=responder.account_id, region=region,
            input_shape=model.input_shape,
        )
        responder.record_call(model, body, region, status, raw)
        extra = {"x-amzn-RequestId": responder.request_id()}
        if status >= 300:
            extra["x-amzn-ErrorType"] = _error_code(raw)
        return Reply(status, raw, headers=extra)


def check_content_type(content_type: str | None) -> Reply | None:
    """None if ``content_type`` is JSON, else the 415 refusal saying what to send."""
    media = (content_type or "").split(";", 1)[0].strip().lower()
    if media in _JSON_TYPES:
        return None
    what = f"Content-Type {content_type!r}" if content_type else "no Content-Type"
    return error_reply(
        415, "UnsupportedMediaTypeException",
        f"The request has {what}: SSM requests are JSON, sent as Content-Type: {JSON_TYPE}",
    )


def _error_code(raw: bytes) -> str:
    try:
        code = json.loads(raw).get("__type", "")
    except (ValueError, AttributeError):
        return ""
    return str(code)
