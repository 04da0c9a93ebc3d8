"""One test per crash the reliability fuzz found, through boto3, so none comes back.

Each of these used to escape the stub as a Python exception (``TypeError``,
``RecursionError``, ``UnicodeEncodeError``, ``ValueError``) instead of an AWS answer.
"""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import MaintenanceWindows


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def _send_body(client: Any, body: bytes) -> None:
    """Replace the next request's serialised body, just before the stub's hook reads it."""

    def swap(params: dict[str, Any], **_: Any) -> None:
        params["body"] = body
        client.meta.events.unregister("before-call.ssm", swap)

    client.meta.events.register_first("before-call.ssm", swap)


def test_tagging_call_with_a_non_string_resource_type_is_a_validation_error(
    mw: MaintenanceWindows, raw_ssm: Any
) -> None:
    # The hook used to look the ResourceType up in a set: a list made it raise TypeError.
    with pytest.raises(ClientError) as error:
        raw_ssm.list_tags_for_resource(
            ResourceType=["MaintenanceWindow"], ResourceId="mw-0123456789abcdef0"
        )
    assert _code(error) == "ValidationException"
    assert "resourceType" in error.value.response["Error"]["Message"]
