"""The botocore event hook: SSM calls in, parsed responses (or modeled errors) out.

Installed once, on import, for every botocore session (through botocore's list of built-in
handlers, which each new session registers), so clients made before a mock is entered are
intercepted too. While no mock is active the handler returns ``None`` and botocore carries on
exactly as without this library.

The hook point is ``before-call``: returning a response there skips endpoint, signing,
retries and HTTP, which is what makes the stub cheap per call (see
``benchmarks/bench_calls.py``). In exchange this module does the two things botocore's endpoint
would have done: run botocore's own response parser over the wire body (the parser the
client's session would make, see :mod:`.parsing`), and merge the modeled error members into
an error response. The response object handed to botocore, like the bytes of the call and
its Date header, comes from :mod:`.wire`.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import botocore.handlers
from botocore.awsrequest import AWSResponse

from . import wire
from .answered import ANSWERED, TAGGING
from .errors import UnmockedOperationError
from .parsing import add_factory_recorder, parser_for

if TYPE_CHECKING:
    from botocore.model import OperationModel

    from .service import Service

__all__ = ["Responder", "before_call", "install", "is_answered", "set_active_lookup"]

#: The event this module listens to; ``ssm`` is the hyphenized service id of SSM.
EVENT = "before-call.ssm"
#: Where SSM client classes get the base class that remembers each client's parser factory.
CLASS_EVENT = "creating-client-class.ssm"

#: The operations answered whatever the request holds (answered.py); the tagging ones are
#: shared with other SSM resource types and answered only for maintenance windows and
#: Automation executions (or for a ResourceType the service rejects anyway).
_ALWAYS_OURS = ANSWERED - TAGGING
_OTHER_TAGGABLE = frozenset(
    {"Document", "ManagedInstance", "Parameter", "PatchBaseline", "OpsItem", "OpsMetadata",
     "Association"}
)


class Responder(Protocol):
    """What the hook needs of the active mock."""

    service: Service
    account_id: str

    def answers(self, operation_name: str) -> bool: ...

    def passes_through(self, operation_name: str) -> bool: ...

    def http_date(self) -> str: ...

    def request_id(self) -> str: ...

    def record_call(
        self, model: OperationModel, body: bytes, region: str, status: int, raw: bytes
    ) -> None: ...


def _nothing_active() -> Responder | None:
    return None


_lookup: Callable[[], Responder | None] = _nothing_active
_installed = False


def set_active_lookup(lookup: Callable[[], Responder | None]) -> None:
    """Tell the hook how to find the active mock (the mock module owns the stack)."""
    global _lookup
    _lookup = lookup


def install() -> None:
    """Register the handler for every botocore session, present and future. Idempotent."""
    global _installed
    if _installed:
        return
    handlers: list[tuple[str, Callable[..., Any]]] = [
        (EVENT, before_call),
        (CLASS_EVENT, add_factory_recorder),
    ]
    botocore.handlers.BUILTIN_HANDLERS.extend(handlers)
    # Sessions created before this import never read the list again; boto3's default
    # session is the one such session we can find, so register on it directly.
    boto3 = sys.modules.get("boto3")
    default = getattr(boto3, "DEFAULT_SESSION", None) if boto3 is not None else None
    if default is not None:
        for event, handler in handlers:
            default._session.register(event, handler)
    _installed = True


def _moto_active() -> bool:
    """Whether moto's ``mock_aws`` is active, so other SSM calls can go to it."""
    if "moto" not in sys.modules:
        return False
    stubber = getattr(sys.modules.get("moto.core.models"), "botocore_stubber", None)
    return bool(getattr(stubber, "enabled", False))


def is_answered(responder: Responder, operation_name: str, body: bytes) -> bool:
    """Whether the mock's service answers this call (the server's HTTP front asks too)."""
    if operation_name not in TAGGING:
        return responder.answers(operation_name)
    try:
        request = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        return True  # malformed: the service answers with a ValidationException
    resource_type = request.get("ResourceType") if isinstance(request, dict) else None
    # Only a known string names another resource type; anything else (a list, a number,
    # nothing) is a malformed request the service rejects itself.
    return not isinstance(resource_type, str) or resource_type not in _OTHER_TAGGABLE


def before_call(
    model: OperationModel,
    params: dict[str, Any],
    context: dict[str, Any],
    request_signer: Any = None,
    **_: Any,
) -> tuple[AWSResponse, dict[str, Any]] | None:
    """The ``before-call.ssm`` handler: the active mock's answer, or None (botocore goes on)."""
    responder = _lookup()
    if responder is None:
        return None
    operation_name = model.name
    body = params.get("body") or b""
    if isinstance(body, str):
        body = body.encode()
    if operation_name not in _ALWAYS_OURS and not is_answered(
        responder, operation_name, body
    ):
        if responder.passes_through(operation_name) or _moto_active():
            return None
        raise UnmockedOperationError(operation_name)
    region = context.get("client_region") or "us-east-1"
    status, raw = responder.service.handle(
        operation_name,
        body,
        account=responder.account_id,
        region=region,
        input_shape=model.input_shape,
    )
    responder.record_call(model, body, region, status, raw)  # mw.calls
    return _respond(model, params.get("url", ""), status, raw, responder, request_signer)


def _respond(
    model: OperationModel,
    url: str,
    status: int,
    raw: bytes,
    responder: Responder,
    request_signer: Any,
) -> tuple[AWSResponse, dict[str, Any]]:
    headers = {
        "x-amzn-requestid": responder.request_id(),
        "content-type": "application/x-amz-json-1.1",
        "content-length": str(len(raw)),
        "date": responder.http_date(),
    }
    response_dict = {"headers": headers, "status_code": status, "body": raw}
    parser = parser_for(request_signer)
    if status < 300:
        parsed = parser.parse(response_dict, model.output_shape)  # type: ignore[arg-type]
    else:
        parsed = parser.parse(response_dict, None)  # type: ignore[arg-type]
        # What botocore's endpoint does for modeled errors: merge the error shape's members
        # (e.g. ``Message``) into the top level of the error response.
        code = parsed.get("Error", {}).get("Code")
        error_shape = model.service_model.shape_for_error_code(code) if code else None
        if error_shape is not None:
            parsed.update(parser.parse(response_dict, error_shape))
    parsed.setdefault("ResponseMetadata", {})["RetryAttempts"] = 0
    return wire.response(url, status, headers, raw), parsed
