"""``mw.calls``: every API call the mock answered, in order.

The hook hands the active mock one record of references per call (the operation model, the
request body, the Region, the status and the wire response, plus the simulated instant);
nothing is decoded, copied or formatted then, so recording costs one record and one append
on the per-call path. A :class:`Call` decodes what is asked of it when it is read: the
parameters from the JSON request body, the response through botocore's parser (the same
values boto3 returned to the caller), the error code and message from the error body.
"""

from __future__ import annotations

import json
from typing import Any

from .wire import CallRecord

__all__ = ["Call", "CallRecord"]



class Call:
    """One API call the mock answered: what was asked, what was answered, and when.

    ``time`` is the simulated instant (``mw.now`` when the call was made; a call made by a
    task handler in the middle of ``advance()`` carries the instant the handler ran at).
    """

    __slots__ = ("_model", "_raw", "account", "body", "region", "status_code", "time")

    #: The request as it went over the wire (JSON 1.1).
    body: bytes
    #: The HTTP status the service answered with (200, or the error's status).
    status_code: int

    def __init__(self, record: CallRecord, account: str) -> None:
        self._model, self.body, self.region = record.model, record.body, record.region
        self.status_code, self._raw, self.time = record.status, record.raw, record.time
        self.account = account

    @property
    def operation(self) -> str:
        """The API operation, as boto3's error messages name it (``CreateMaintenanceWindow``)."""
        return str(self._model.name)

    @property
    def parameters(self) -> dict[str, Any]:
        """The request's parameters as sent (a fresh dict on every read)."""
        decoded = _json(self.body)
        return decoded if isinstance(decoded, dict) else {}

    @property
    def wire_response(self) -> bytes:
        """The response body as the service answered it (JSON 1.1), before any parsing:
        what server mode's control API hands to another process."""
        return self._raw

    @property
    def succeeded(self) -> bool:
        return self.status_code < 300

    @property
    def response(self) -> dict[str, Any] | None:
        """The response as boto3 returned it (without ``ResponseMetadata``); None for an
        error. Parsed afresh by botocore's parser on every read."""
        if not self.succeeded:
            return None
        from .parsing import parser

        response = {"headers": {}, "status_code": self.status_code, "body": self._raw}
        parsed: dict[str, Any] = parser.parse(response, self._model.output_shape)  # type: ignore[arg-type]
        parsed.pop("ResponseMetadata", None)
        return parsed

    @property
    def error_code(self) -> str | None:
        """AWS's error code (``DoesNotExistException``), or None for a success."""
        error = self._error()
        return None if error is None else str(error.get("__type", ""))

    @property
    def error_message(self) -> str | None:
        """The error's message, or None for a success."""
        error = self._error()
        if error is None:
            return None
        message = error.get("message", error.get("Message"))
        return None if message is None else str(message)

    def _error(self) -> dict[str, Any] | None:
        if self.succeeded:
            return None
        decoded = _json(self._raw)
        return decoded if isinstance(decoded, dict) else {}

    def __repr__(self) -> str:
        outcome = self.status_code if self.succeeded else self.error_code
        return f"<Call {self.operation} at {self.time.isoformat()} in {self.region}: {outcome}>"


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return None
