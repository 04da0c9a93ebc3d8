"""Waiters of the other clients wait on the fake clock too: aiobotocore's and aioboto3's
async waiters, and the AWS CLI v1's ``aws ssm wait command-executed`` run in-process.

The async tests also record what the event loop is asked to sleep (``asyncio.sleep``,
which aiobotocore's waiters of every version call): inside the mock only zero.
"""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from ssm_mw_stub import TaskOutcome, mock_maintenance_windows

from ..helpers import START

pytestmark = pytest.mark.clients

NODE = "i-0123456789abcdef0"


def _have(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


needs = {
    name: pytest.mark.skipif(
        not _have(name),
        reason=f"{name} is not installed here; .ci/run's clients stage runs these tests in a "
        "virtual environment that has it (pytest -m clients)",
    )
    for name in ("aiobotocore", "aioboto3", "awscli")
}


def _set_up(mw: Any, duration: timedelta) -> None:
    mw.add_instance(NODE)
    mw.on_task("AWS-RunShellScript", lambda inv: TaskOutcome("Success", duration=duration))


async def _send_and_wait(ssm: Any, mw: Any, **config: Any) -> timedelta:
    command_id = (await ssm.send_command(
        DocumentName="AWS-RunShellScript", InstanceIds=[NODE],
        Parameters={"commands": ["yum -y update"]}))["Command"]["CommandId"]
    start = mw.now
    await ssm.get_waiter("command_executed").wait(
        CommandId=command_id, InstanceId=NODE, **config)
    status = (await ssm.get_command_invocation(CommandId=command_id, InstanceId=NODE))["Status"]
    assert status == "Success"
    return mw.now - start


def _run(main: Callable[[], Any], monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[float]]:
    """Run ``main()`` on a fresh loop, recording what reaches ``asyncio.sleep``."""
    slept: list[float] = []
    real = asyncio.sleep

    async def recording(delay: float, result: Any = None) -> Any:
        slept.append(delay)
        return await real(0, result)

    monkeypatch.setattr(asyncio, "sleep", recording)
    return asyncio.run(main()), slept


@needs["aiobotocore"]
def test_an_aiobotocore_waiter_waits_on_the_fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    from aiobotocore.session import get_session
    from aiobotocore.waiter import AIOWaiter

    own_wait = AIOWaiter.__dict__["wait"]

    async def main() -> tuple[timedelta, timedelta]:
        with mock_maintenance_windows(start=START) as mw:
            async with get_session().create_client("ssm", region_name="eu-west-1") as ssm:
                _set_up(mw, timedelta(seconds=90))
                default = await _send_and_wait(ssm, mw)
                _set_up(mw, timedelta(minutes=50, seconds=30))
                longer = await _send_and_wait(
                    ssm, mw, WaiterConfig={"Delay": 60, "MaxAttempts": 100})
                return default, longer

    (default, longer), slept = _run(main, monkeypatch)
    assert default == timedelta(seconds=90)
    assert longer == timedelta(minutes=51)
    assert slept
    assert set(slept) == {0}
    assert AIOWaiter.__dict__["wait"] is own_wait  # aiobotocore's own again outside the mock


@needs["aiobotocore"]
def test_an_aiobotocore_waiter_gives_botocores_waiter_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from aiobotocore.session import get_session
    from botocore.exceptions import WaiterError

    async def main() -> Any:
        with mock_maintenance_windows(start=START) as mw:
            async with get_session().create_client("ssm", region_name="eu-west-1") as ssm:
                _set_up(mw, timedelta(hours=1))
                start = mw.now
                with pytest.raises(WaiterError, match="Max attempts exceeded"):
                    await _send_and_wait(ssm, mw, WaiterConfig={"Delay": 10, "MaxAttempts": 3})
                return mw.now - start

    moved, _ = _run(main, monkeypatch)
    assert moved == timedelta(seconds=20)


@needs["aioboto3"]
def test_an_aioboto3_waiter_waits_on_the_fake_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    import aioboto3

    async def main() -> timedelta:
        with mock_maintenance_windows(start=START) as mw:
            async with aioboto3.Session().client("ssm", region_name="eu-west-1") as ssm:
                _set_up(mw, timedelta(seconds=90))
                return await _send_and_wait(ssm, mw)

    moved, slept = _run(main, monkeypatch)
    assert moved == timedelta(seconds=90)
    assert set(slept) == {0}


@needs["awscli"]
def test_aws_ssm_wait_command_executed_waits_on_the_fake_clock(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import botocore.waiter
    from awscli.clidriver import create_clidriver

    slept: list[float] = []

    class _Time:
        @staticmethod
        def sleep(seconds: float) -> None:
            slept.append(seconds)

    monkeypatch.setattr(botocore.waiter, "time", _Time)
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                 "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_DEFAULT_OUTPUT", "json")
    with mock_maintenance_windows(start=START) as mw:
        _set_up(mw, timedelta(seconds=90))
        assert create_clidriver().main([
            "ssm", "send-command", "--document-name", "AWS-RunShellScript",
            "--instance-ids", NODE, "--parameters", "commands=uptime",
            "--query", "Command.CommandId", "--output", "text"]) == 0
        command_id = capsys.readouterr().out.strip()
        start = mw.now
        status = create_clidriver().main([
            "ssm", "wait", "command-executed", "--command-id", command_id,
            "--instance-id", NODE])
        assert status == 0
        assert mw.now - start == timedelta(seconds=90)
    assert set(slept) == {0}
