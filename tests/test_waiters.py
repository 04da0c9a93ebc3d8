"""botocore waiters wait on the fake clock inside a mock, and only there.

``ssm.get_waiter("command_executed").wait(...)`` after ``send_command`` is the documented way
to wait for a command; inside a mock each of the waiter's delays advances the simulation by
that delay, so it returns as soon as the command ends in simulated time, or raises
botocore's own WaiterError, without sleeping. Every test records what botocore's waiter
module hands ``time.sleep``: inside the mock it is only ever zero.
"""

from __future__ import annotations

import unittest
from datetime import timedelta
from typing import Any

import boto3
import botocore.waiter
import pytest
from botocore.exceptions import WaiterError
from botocore.stub import Stubber

from ssm_mw_stub import (
    Invocation,
    MaintenanceWindows,
    TaskHandlerError,
    TaskOutcome,
    mock_maintenance_windows,
)
from ssm_mw_stub.errors import WaitLimitError

from .helpers import START

NODE = "i-0123456789abcdef0"


class _Sleeps:
    """Stands in for botocore.waiter's ``time`` module: records sleeps, never sleeps."""

    def __init__(self) -> None:
        self.amounts: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.amounts.append(seconds)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> _Sleeps:
    recorder = _Sleeps()
    monkeypatch.setattr(botocore.waiter, "time", recorder)
    return recorder


def _send(ssm: Any, mw: MaintenanceWindows, duration: timedelta, status: str = "Success") -> str:
    mw.add_instance(NODE)
    mw.on_task("AWS-RunShellScript", lambda inv: TaskOutcome(status, duration=duration))
    return str(
        ssm.send_command(
            DocumentName="AWS-RunShellScript", InstanceIds=[NODE],
            Parameters={"commands": ["yum -y update"]},
        )["Command"]["CommandId"]
    )


def test_the_waiter_returns_when_the_command_ends_in_simulated_time(
    mw: MaintenanceWindows, ssm: Any, sleeps: _Sleeps
) -> None:
    command_id = _send(ssm, mw, timedelta(seconds=90))
    start = mw.now

    ssm.get_waiter("command_executed").wait(CommandId=command_id, InstanceId=NODE)

    # botocore's default for CommandExecuted: a 5 s delay, 20 attempts; the command ends at
    # +90 s, which the attempt after the 18th delay sees.
    assert mw.now - start == timedelta(seconds=90)
    assert ssm.get_command_invocation(CommandId=command_id, InstanceId=NODE)["Status"] == "Success"
    assert sleeps.amounts
    assert set(sleeps.amounts) == {0}


def test_invocation_does_not_exist_right_after_send_command_is_retried(
    mw: MaintenanceWindows, ssm: Any, sleeps: _Sleeps
) -> None:
    command_id = _send(ssm, mw, timedelta(seconds=12))

    ssm.get_waiter("command_executed").wait(CommandId=command_id, InstanceId=NODE)

    polls = [call for call in mw.calls if call.operation == "GetCommandInvocation"]
    # The command starts at the next instant the engine applies: the first poll, right
    # after send_command, finds no invocation, and the waiter's config says retry on it.
    assert polls[0].error_code == "InvocationDoesNotExist"
    statuses = [call.response["Status"] for call in polls[1:]]
    assert statuses == ["InProgress", "InProgress", "Success"]
    assert [call.time - polls[0].time for call in polls] == [
        timedelta(seconds=s) for s in (0, 5, 10, 15)
    ]


def test_a_longer_wait_with_waiter_config_follows_the_same_rule(
    mw: MaintenanceWindows, ssm: Any, sleeps: _Sleeps
) -> None:
    command_id = _send(ssm, mw, timedelta(minutes=50, seconds=30))
    start = mw.now

    ssm.get_waiter("command_executed").wait(
        CommandId=command_id, InstanceId=NODE, WaiterConfig={"Delay": 60, "MaxAttempts": 100}
    )

    assert mw.now - start == timedelta(minutes=51)  # the command's end plus < one delay
    assert set(sleeps.amounts) == {0}


def test_max_attempts_exceeded_is_botocores_waiter_error(
    mw: MaintenanceWindows, ssm: Any, sleeps: _Sleeps
) -> None:
    command_id = _send(ssm, mw, timedelta(minutes=30))
    start = mw.now

    with pytest.raises(WaiterError) as raised:
        ssm.get_waiter("command_executed").wait(
            CommandId=command_id, InstanceId=NODE, WaiterConfig={"Delay": 30, "MaxAttempts": 4}
        )

    assert "Max attempts exceeded" in str(raised.value)
    assert raised.value.last_response["Status"] == "InProgress"
    assert mw.now - start == timedelta(seconds=90)  # three delays between four attempts


def test_a_failed_command_is_the_waiters_terminal_failure(
    mw: MaintenanceWindows, ssm: Any, sleeps: _Sleeps
) -> None:
    command_id = _send(ssm, mw, timedelta(seconds=42), status="Failed")
    start = mw.now

    with pytest.raises(WaiterError) as raised:
        ssm.get_waiter("command_executed").wait(CommandId=command_id, InstanceId=NODE)

    assert "terminal failure state" in str(raised.value)
    assert raised.value.last_response["Status"] == "Failed"
    assert mw.now - start == timedelta(seconds=45)


def test_a_zero_delay_still_applies_what_is_due_at_the_instant(
    mw: MaintenanceWindows, ssm: Any, sleeps: _Sleeps
) -> None:
    command_id = _send(ssm, mw, timedelta(0))
    start = mw.now

    ssm.get_waiter("command_executed").wait(
        CommandId=command_id, InstanceId=NODE, WaiterConfig={"Delay": 0}
    )

    assert mw.now == start  # the command started and ended at the instant it was sent


def test_a_waiter_inside_a_handler_is_refused_naming_it(
    mw: MaintenanceWindows, ssm: Any, sleeps: _Sleeps
) -> None:
    mw.add_instance(NODE)
    mw.add_instance("i-0123456789abcdef1")

    def waits_for_another_command(inv: Invocation) -> TaskOutcome:
        if inv.instance_id == NODE:
            other = ssm.send_command(
                DocumentName="AWS-RunShellScript", InstanceIds=["i-0123456789abcdef1"],
                Parameters={"commands": ["true"]},
            )["Command"]["CommandId"]
            ssm.get_waiter("command_executed").wait(
                CommandId=other, InstanceId="i-0123456789abcdef1"
            )
        return TaskOutcome("Success")

    mw.on_task("AWS-RunShellScript", waits_for_another_command)
    ssm.send_command(
        DocumentName="AWS-RunShellScript", InstanceIds=[NODE], Parameters={"commands": ["x"]}
    )
    with pytest.raises(TaskHandlerError) as raised:
        mw.advance(timedelta(0))

    refusal = str(raised.value.__cause__)
    assert refusal.startswith("the CommandExecuted waiter cannot be called from inside the task")
    assert "waits_for_another_command" in refusal
    assert f"node {NODE} of command" in refusal


def test_a_wait_past_max_wait_is_stopped(sleeps: _Sleeps) -> None:
    with mock_maintenance_windows(start=START, max_wait=timedelta(minutes=10)) as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")
        command_id = _send(ssm, mw, timedelta(hours=1))
        start = mw.now
        with pytest.raises(WaitLimitError) as raised:
            ssm.get_waiter("command_executed").wait(
                CommandId=command_id, InstanceId=NODE,
                WaiterConfig={"Delay": 60, "MaxAttempts": 1000},
            )
        assert mw.now - start == timedelta(minutes=10)
    assert "the CommandExecuted waiter would make the code under test wait longer than " \
        "max_wait=0:10:00" in str(raised.value)


def test_the_default_bound_is_thirty_simulated_days(
    mw: MaintenanceWindows, ssm: Any, sleeps: _Sleeps
) -> None:
    command_id = _send(ssm, mw, timedelta(hours=1))
    waiter = ssm.get_waiter("command_executed")

    waiter.wait(CommandId=command_id, InstanceId=NODE,
                WaiterConfig={"Delay": 30 * 86400, "MaxAttempts": 2})  # exactly 30 days: fine
    command_id = _send(ssm, mw, timedelta(hours=1))
    with pytest.raises(WaitLimitError):
        waiter.wait(CommandId=command_id, InstanceId=NODE,
                    WaiterConfig={"Delay": 30 * 86400 + 1, "MaxAttempts": 2})


def test_waiters_of_other_services_and_outside_a_mock_are_untouched(sleeps: _Sleeps) -> None:
    own_wait = botocore.waiter.Waiter.__dict__["wait"]
    ssm = boto3.client("ssm", region_name="us-east-1", aws_access_key_id="k",
                       aws_secret_access_key="s")
    ec2 = boto3.client("ec2", region_name="us-east-1", aws_access_key_id="k",
                       aws_secret_access_key="s")
    in_progress = {"CommandId": "c" * 36, "InstanceId": NODE, "Status": "InProgress"}
    with Stubber(ssm) as ssm_stub, Stubber(ec2) as ec2_stub:
        ssm_stub.add_response("get_command_invocation", in_progress)
        ssm_stub.add_response("get_command_invocation", {**in_progress, "Status": "Success"})
        ssm.get_waiter("command_executed").wait(
            CommandId="c" * 36, InstanceId=NODE, WaiterConfig={"Delay": 7}
        )
        with mock_maintenance_windows(start=START) as mw:
            running = {"Reservations": [{"Instances": [{"State": {"Name": "running"}}]}]}
            ec2_stub.add_response("describe_instances", {"Reservations": [
                {"Instances": [{"State": {"Name": "pending"}}]}]})
            ec2_stub.add_response("describe_instances", running)
            ec2.get_waiter("instance_running").wait(
                InstanceIds=[NODE], WaiterConfig={"Delay": 3}
            )
            assert mw.now.isoformat() == "2026-11-24T00:00:00+00:00"  # not moved
    # Outside the mock and for EC2 inside it, botocore slept its own delays, with its own
    # wait method (the mock's wrapper is gone once the mock is left).
    assert sleeps.amounts == [7, 3]
    assert botocore.waiter.Waiter.__dict__["wait"] is own_wait


waiting_class = mock_maintenance_windows(start=START)


@waiting_class
class WaiterInSetUpClass(unittest.TestCase):
    """A waiter in setUpClass moves the clock as an advance would, and each test's state,
    rebuilt from setUpClass's transcript, has the command done at the same instant."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.ssm = boto3.client("ssm", region_name="us-east-1")
        cls.command_id = _send(cls.ssm, waiting_class, timedelta(seconds=90))
        cls.ssm.get_waiter("command_executed").wait(CommandId=cls.command_id, InstanceId=NODE)

    def test_one(self) -> None:
        self._check()

    def test_two(self) -> None:
        self._check()

    def _check(self) -> None:
        assert waiting_class.now.isoformat() == "2026-11-24T00:01:30+00:00"
        answer = self.ssm.get_command_invocation(CommandId=self.command_id, InstanceId=NODE)
        assert answer["Status"] == "Success"
        waiting_class.advance(timedelta(hours=1))  # gone before the next test
