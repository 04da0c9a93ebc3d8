"""aiobotocore and aioboto3 clients work as boto3's do: awaited calls, async paginators,
modeled exceptions, clients made before the mock, and the loud error for unmocked calls.

Every call used to crash with ``AttributeError: 'coroutine' object has no attribute
'setdefault'``: the hook parsed the response with aiobotocore's parser, whose ``parse`` is a
coroutine. These tests need aiobotocore (and aioboto3 for its own test), which pin botocore
to their own ranges, so ``.ci/run`` runs them in a virtual environment of their own
(``pytest -m clients``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest

from ssm_mw_stub import mock_maintenance_windows
from ssm_mw_stub.errors import UnmockedOperationError

from .. import helpers
from ..helpers import START
from .fresh_interpreter import run_fresh

pytestmark = pytest.mark.clients

aiobotocore_session = pytest.importorskip(
    "aiobotocore.session",
    reason="aiobotocore is not installed here; .ci/run's clients stage runs these tests in a "
    "virtual environment that has it (pytest -m clients)",
)

WINDOW = {**helpers.WINDOW, "Schedule": "cron(0 16 ? * TUE *)", "Duration": 4}


def _with_client(body: Callable[[Any], Awaitable[Any]], *, mock_first: bool = True) -> Any:
    """Run ``body(client)`` with an aiobotocore SSM client made inside or before the mock."""

    async def main() -> Any:
        session = aiobotocore_session.get_session()
        if mock_first:
            with mock_maintenance_windows(start=START):
                async with session.create_client("ssm", region_name="eu-west-1") as client:
                    return await body(client)
        async with session.create_client("ssm", region_name="eu-west-1") as client:
            with mock_maintenance_windows(start=START):
                return await body(client)

    return asyncio.run(main())


@pytest.mark.parametrize("mock_first", [True, False], ids=["client-inside", "client-before"])
def test_calls_are_awaited_and_parsed_as_botocore_parses_them(mock_first: bool) -> None:
    async def body(client: Any) -> Any:
        window_id = (await client.create_maintenance_window(Name="aio", **WINDOW))["WindowId"]
        return await client.get_maintenance_window(WindowId=window_id)

    window = _with_client(body, mock_first=mock_first)
    assert window["Name"] == "aio"
    assert window["NextExecutionTime"] == "2026-11-24T16:00Z"
    assert window["CreatedDate"] == START
    assert window["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_async_paginators_follow_the_next_token() -> None:
    async def body(client: Any) -> Any:
        for n in range(12):
            await client.create_maintenance_window(Name=f"window-{n:02}", **WINDOW)
        paginator = client.get_paginator("describe_maintenance_windows")
        pages = [page async for page in paginator.paginate(MaxResults=10)]
        full = await paginator.paginate(MaxResults=10).build_full_result()
        return pages, full

    pages, full = _with_client(body)
    assert [len(page["WindowIdentities"]) for page in pages] == [10, 2]
    assert len(full["WindowIdentities"]) == 12


def test_modeled_exceptions_are_raised_and_caught_by_their_class() -> None:
    async def body(client: Any) -> Any:
        caught = []
        try:
            await client.get_maintenance_window(WindowId="mw-0123456789abcdef0")
        except client.exceptions.DoesNotExistException as error:
            caught.append(error.response["Error"])
        try:
            await client.create_maintenance_window(Name="bad", **{**WINDOW, "Cutoff": 9})
        except client.exceptions.ClientError as error:
            caught.append(error.response["Error"]["Code"])
        return caught

    missing, invalid = _with_client(body)
    assert missing == {
        "Code": "DoesNotExistException",
        "Message": "Maintenance window mw-0123456789abcdef0 does not exist",
    }
    assert invalid == "ValidationException"


def test_an_unmocked_ssm_call_fails_loudly() -> None:
    async def body(client: Any) -> Any:
        await client.get_parameter(Name="/db/password")

    with pytest.raises(UnmockedOperationError, match="GetParameter"):
        _with_client(body)


def test_aioboto3_clients() -> None:
    aioboto3 = pytest.importorskip(
        "aioboto3", reason="aioboto3 is not installed in this client environment"
    )

    async def main() -> Any:
        session = aioboto3.Session()
        async with session.client("ssm", region_name="us-west-2") as early:
            with mock_maintenance_windows(start=START):
                window_id = (await early.create_maintenance_window(Name="aioboto3", **WINDOW))[
                    "WindowId"
                ]
                async with session.client("ssm", region_name="us-west-2") as inside:
                    names = [
                        w["Name"] for w in
                        (await inside.describe_maintenance_windows())["WindowIdentities"]
                    ]
                try:
                    await early.get_maintenance_window(WindowId="mw-0123456789abcdef0")
                except early.exceptions.DoesNotExistException as error:
                    code = error.response["Error"]["Code"]
                return window_id, names, code

    window_id, names, code = asyncio.run(main())
    assert window_id.startswith("mw-")
    assert names == ["aioboto3"]
    assert code == "DoesNotExistException"


EARLY_AIO = f"""
import asyncio
import aiobotocore.session
session = aiobotocore.session.get_session()  # a session older than the import

async def main():
    async with session.create_client("ssm", region_name="eu-west-1") as early:
        import ssm_mw_stub
        with ssm_mw_stub.mock_maintenance_windows("{START.isoformat()}"):
            response = await early.describe_maintenance_windows()
            async with session.create_client("ssm", region_name="eu-west-1") as later:
                again = await later.describe_maintenance_windows()
    print("answered", response["WindowIdentities"], again["WindowIdentities"])

asyncio.run(main())
"""

LATE_AIO = f"""
import asyncio
import ssm_mw_stub
import aiobotocore.session  # imported after the stub

async def main():
    async with aiobotocore.session.get_session().create_client("ssm", region_name="eu-west-1") as c:
        with ssm_mw_stub.mock_maintenance_windows("{START.isoformat()}"):
            response = await c.describe_maintenance_windows()
    print("answered", response["WindowIdentities"])

asyncio.run(main())
"""


@pytest.mark.parametrize(
    "script", [EARLY_AIO, LATE_AIO], ids=["aiobotocore-before-import", "aiobotocore-after-import"]
)
def test_every_import_order_is_answered_in_a_fresh_interpreter(
    script: str, tmp_path: Path
) -> None:
    result = run_fresh(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("answered []")
