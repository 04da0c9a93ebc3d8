"""Bad input at the library's own surface: a clear ValueError/TypeError saying what was expected.

The AWS surface answers bad input as AWS does (fuzzed elsewhere); this is the Python
surface - the mock's options, the clock, the fake fleet, task handlers and their outcomes.
Each error must name the argument and what it should have been, and must leave the mock
usable: a bad call is refused, nothing half-done stays behind.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from ssm_mw_stub import (
    MaintenanceWindows,
    TaskHandlerError,
    TaskOutcome,
    mock_maintenance_windows,
)

from ..helpers import START


@pytest.mark.parametrize(
    ("start", "error", "expected"),
    [
        (datetime(2026, 11, 24, 16, 0), ValueError, r"start must be timezone-aware"),
        ("2026-11-24T16:00:00", ValueError, r"start must be timezone-aware"),
        ("next tuesday", ValueError, r"start must be an ISO 8601 timestamp with an offset"),
        ("", ValueError, r"start must be an ISO 8601 timestamp"),
        (1_764_000_000, TypeError, r"start must be an aware datetime or an ISO 8601 string"),
    ],
    ids=["naive-datetime", "naive-string", "garbage", "empty", "epoch-number"],
)
def test_bad_start(start: Any, error: type[Exception], expected: str) -> None:
    with pytest.raises(error, match=expected):
        mock_maintenance_windows(start=start)


@pytest.mark.parametrize(
    ("options", "error", "expected"),
    [
        ({"seed": 1.5}, TypeError, r"seed must be an int, a str or None"),
        ({"account_id": "1234"}, ValueError, r"account_id must be 12 digits"),
        ({"account_id": 123456789012}, ValueError, r"account_id must be 12 digits"),
        ({"passthrough": "GetParameter"}, TypeError, r"True/False or a collection"),
    ],
    ids=["seed", "short-account", "numeric-account", "passthrough-string"],
)
def test_bad_options(options: dict[str, Any], error: type[Exception], expected: str) -> None:
    with pytest.raises(error, match=expected):
        mock_maintenance_windows(start=START, **options)


@pytest.mark.maintenance_windows(start=START)
def test_bad_clock_moves_are_refused_and_the_clock_stays(mw: MaintenanceWindows) -> None:
    with pytest.raises(ValueError, match=r"non-negative timedelta; got -1 day, 23:59:59"):
        mw.advance(timedelta(seconds=-1))
    with pytest.raises(TypeError, match=r"advance\(\) takes a datetime\.timedelta, not int"):
        mw.advance(3600)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"the clock cannot go back"):
        mw.advance_to("2026-11-23T00:00:00Z")
    with pytest.raises(ValueError, match=r"advance_to\(\) must be timezone-aware"):
        mw.advance_to(datetime(2027, 1, 1))
    with pytest.raises(ValueError, match=r"advance_to\(\) must be an ISO 8601 timestamp"):
        mw.advance_to("soon")
    assert mw.now == START
    mw.advance(timedelta(hours=1))
    assert mw.now == START + timedelta(hours=1)


@pytest.mark.parametrize(
    ("call", "error", "expected"),
    [
        (lambda mw: mw.add_instance("server-1"), ValueError,
         r"instance_id must look like an EC2 instance id \(i- and 8 or 17 lowercase hex"),
        (lambda mw: mw.add_instance("i-0123456789ABCDEF0"), ValueError,
         r"instance_id must look like an EC2 instance id"),
        (lambda mw: mw.add_instance(42), (ValueError, TypeError), r"instance_id must"),
        (lambda mw: mw.add_instance("i-0123456789abcdef0", tags=["Prod"]), TypeError,
         r"tags must be a mapping of str to str"),
        (lambda mw: mw.add_instance("i-0123456789abcdef0", tags={"Tier": 1}), TypeError,
         r"tags must be a mapping of str to str"),
        (lambda mw: mw.add_instance("i-0123456789abcdef0", region=1), TypeError,
         r"region must be a str or None"),
        (lambda mw: mw.on_task("RUN_COMMAND", "SUCCESS"), TypeError,
         r"on_task\(\) needs a callable handler taking an Invocation and returning a "
         r"TaskOutcome; got 'SUCCESS'"),
        (lambda mw: mw.on_task("", lambda invocation: TaskOutcome("SUCCESS")), TypeError,
         r"on_task\(\) needs a task ARN or task type string"),
    ],
    ids=["id-format", "id-uppercase", "id-not-str", "tags-list", "tag-value", "region",
         "handler-not-callable", "task-empty"],
)
@pytest.mark.maintenance_windows(start=START)
def test_bad_fleet_and_handler_arguments(
    mw: MaintenanceWindows, call: Callable[[MaintenanceWindows], Any],
    error: type[Exception] | tuple[type[Exception], ...], expected: str,
) -> None:
    with pytest.raises(error, match=expected):
        call(mw)
    mw.advance(timedelta(hours=1))  # still usable


@pytest.mark.parametrize(
    ("make", "error", "expected"),
    [
        (lambda: TaskOutcome("DONE"), ValueError,
         r"status must be one of CANCELLED, FAILED, SUCCESS, TIMED_OUT; got 'DONE'"),
        (lambda: TaskOutcome("SUCCESS", duration=30), TypeError,
         r"duration must be a datetime\.timedelta, not int"),
        (lambda: TaskOutcome("SUCCESS", duration=timedelta(minutes=-1)), ValueError,
         r"duration must not be negative"),
        (lambda: TaskOutcome("FAILED", output=b"bytes"), TypeError,
         r"output must be a str, not bytes"),
    ],
    ids=["status", "duration-type", "duration-negative", "output-type"],
)
def test_bad_task_outcomes(make: Callable[[], Any], error: type[Exception], expected: str) -> None:
    with pytest.raises(error, match=expected):
        make()


def _window_with_a_task(mw: MaintenanceWindows) -> tuple[Any, str]:
    ssm = boto3.client("ssm", region_name="us-east-1")
    window_id = ssm.create_maintenance_window(
        Name="handler-checks", Schedule="rate(1 hour)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True,
    )["WindowId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        MaxConcurrency="1", MaxErrors="0",
    )
    mw.add_instance("i-0123456789abcdef0")
    return ssm, window_id


@pytest.mark.parametrize(
    "returned", ["SUCCESS", None, {"status": "SUCCESS"}], ids=["str", "None", "dict"]
)
@pytest.mark.maintenance_windows(start=START)
def test_handler_returning_the_wrong_type_is_a_type_error_from_advance(
    mw: MaintenanceWindows, returned: Any
) -> None:
    ssm, window_id = _window_with_a_task(mw)
    mw.on_task("RUN_COMMAND", lambda invocation: returned)
    with pytest.raises(TypeError, match=(
        rf"the task outcome handler for task AWS-RunShellScript .* of window {window_id} "
        rf"returned {type(returned).__name__} .* it must return a ssm_mw_stub\.TaskOutcome"
    )):
        mw.advance(timedelta(hours=1))
    # The simulation stayed consistent: the run is recorded, failed, and the clock is there.
    assert mw.now == START + timedelta(hours=1)
    [execution] = ssm.describe_maintenance_window_executions(WindowId=window_id)[
        "WindowExecutions"
    ]
    assert execution["Status"] == "FAILED"
    mw.on_task("RUN_COMMAND", lambda invocation: TaskOutcome("SUCCESS"))
    mw.advance(timedelta(hours=1))
    statuses = [
        e["Status"]
        for e in ssm.describe_maintenance_window_executions(WindowId=window_id)[
            "WindowExecutions"
        ]
    ]
    assert sorted(statuses) == ["FAILED", "SUCCESS"]


@pytest.mark.maintenance_windows(start=START)
def test_handler_that_raises_surfaces_from_advance_with_its_cause(mw: MaintenanceWindows) -> None:
    _, window_id = _window_with_a_task(mw)

    def broken(invocation: Any) -> TaskOutcome:
        raise KeyError("missing fixture")

    mw.on_task("RUN_COMMAND", broken)
    with pytest.raises(TaskHandlerError, match=(
        rf"handler for task AWS-RunShellScript .* of window {window_id} raised "
        r"KeyError: 'missing fixture'"
    )) as error:
        mw.advance(timedelta(hours=1))
    assert isinstance(error.value.__cause__, KeyError)
    assert mw.now == START + timedelta(hours=1)
