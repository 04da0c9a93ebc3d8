"""``mw.on_event(pattern, handler)``: code that reacts to the mock's EventBridge events.

Handlers get each matching event at its simulated instant (``mw.now`` equals the event's
time), in the order ``mw.events`` lists them; they may call boto3; one that raises makes
``advance()`` (or the call that emitted the event) raise EventHandlerError, naming the
pattern. With moto's ``mock_aws`` active, a moto rule's SQS queue receives the events too.
"""

from __future__ import annotations

import json
import unittest
from datetime import datetime, timedelta
from typing import Any

import boto3
import pytest

from ssm_mw_stub import MaintenanceWindows, TaskOutcome, mock_maintenance_windows
from ssm_mw_stub.errors import EventHandlerError
from ssm_mw_stub.model.event_patterns import InvalidEventPatternError

from .helpers import START

NODES = ("i-0123456789abcdef0", "i-0123456789abcdef1")
EXECUTION = "Maintenance Window Execution State-change Notification"


def _instant(event: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(event["time"].replace("Z", "+00:00"))


@pytest.fixture
def patch_window(mw: MaintenanceWindows, ssm: Any) -> str:
    """A daily window at 02:00 UTC whose Run Command task fails on the second node after
    ten minutes and succeeds on the first after five."""
    for node in NODES:
        mw.add_instance(node, tags={"Role": "web"})
    window_id = str(ssm.create_maintenance_window(
        Name="nightly", Schedule="cron(0 2 * * ? *)", Duration=2, Cutoff=0,
        AllowUnassociatedTargets=False)["WindowId"])
    target = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Role", "Values": ["web"]}])["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
        MaxConcurrency="2", MaxErrors="1")
    mw.on_task("AWS-RunShellScript", lambda inv: (
        TaskOutcome("Failed", duration=timedelta(minutes=10), response_code=1)
        if inv.instance_id == NODES[1] else
        TaskOutcome("Success", duration=timedelta(minutes=5))))
    return window_id


def test_handlers_get_every_matching_event_at_its_instant_in_order(
    mw: MaintenanceWindows, patch_window: str
) -> None:
    seen: list[tuple[dict[str, Any], datetime]] = []
    mw.on_event({"source": ["aws.ssm"]}, lambda event: seen.append((event, mw.now)))
    mw.clear_events()

    mw.advance(timedelta(days=1))

    assert [event for event, _ in seen] == mw.events  # every event, in order
    assert len(seen) > 10
    for event, now in seen:
        assert now == _instant(event)  # mw.now is the event's time during the call
    assert [e["detail"]["status"] for e, _ in seen if e["detail-type"] == EXECUTION] == [
        "PENDING", "IN_PROGRESS", "FAILED"]


def test_a_handler_sees_the_records_as_they_are_at_the_event(
    mw: MaintenanceWindows, ssm: Any, patch_window: str
) -> None:
    statuses: list[tuple[str, str]] = []

    def record_node(event: dict[str, Any]) -> None:
        detail = event["detail"]
        answer = ssm.get_command_invocation(
            CommandId=detail["command-id"], InstanceId=detail["instance-id"])
        statuses.append((detail["status"], answer["Status"]))

    mw.on_event({"detail-type": ["EC2 Command Invocation Status-change Notification"]},
                record_node)
    mw.advance(timedelta(days=1))

    # What GetCommandInvocation answers inside the handler is what the event reports.
    assert sorted(statuses) == [("Failed", "Failed"), ("InProgress", "InProgress"),
                                ("InProgress", "InProgress"), ("Success", "Success")]


def test_a_handler_may_call_boto3_and_its_changes_take_effect_at_that_instant(
    mw: MaintenanceWindows, ssm: Any, patch_window: str
) -> None:
    def disable_on_failure(event: dict[str, Any]) -> None:
        ssm.update_maintenance_window(WindowId=event["detail"]["window-id"], Enabled=False)

    mw.on_event({"detail-type": [EXECUTION], "detail": {"status": ["FAILED"]}},
                disable_on_failure)
    window_states: list[dict[str, Any]] = []
    mw.on_event({"detail-type": ["Maintenance Window State-change Notification"]},
                window_states.append)

    mw.advance(timedelta(days=7))

    executions = ssm.describe_maintenance_window_executions(WindowId=patch_window)
    assert [e["Status"] for e in executions["WindowExecutions"]] == ["FAILED"]
    # The handler's own call emitted an event, delivered after it returned, at its instant.
    assert [(e["detail"]["status"], e["time"]) for e in window_states] == [
        ("DISABLED", "2026-11-24T02:10:00Z")]


def test_events_of_the_codes_own_calls_are_delivered_right_after_the_call(
    mw: MaintenanceWindows, ssm: Any, patch_window: str
) -> None:
    got: list[str] = []
    mw.on_event({"detail": {"status": ["DISABLED"]}}, lambda event: got.append(event["time"]))

    ssm.update_maintenance_window(WindowId=patch_window, Enabled=False)

    assert got == ["2026-11-24T00:00:00Z"]


def test_a_handler_that_raises_makes_advance_raise_naming_the_pattern(
    mw: MaintenanceWindows, ssm: Any, patch_window: str
) -> None:
    pages: list[str] = []

    def page_someone(event: dict[str, Any]) -> None:
        pages.append(event["time"])
        if len(pages) == 1:
            raise ConnectionError("the pager is down")

    mw.on_event({"detail-type": [EXECUTION], "detail": {"status": ["FAILED"]}}, page_someone)
    later: list[str] = []
    mw.on_event({"source": [{"prefix": "aws."}]}, lambda event: later.append(event["time"]))

    with pytest.raises(EventHandlerError) as raised:
        mw.advance(timedelta(days=1))

    message = str(raised.value)
    assert "page_someone" in message
    assert '{"detail-type":["Maintenance Window Execution State-change Notification"],' \
        '"detail":{"status":["FAILED"]}}' in message
    assert "ConnectionError: the pager is down" in message
    assert isinstance(raised.value.__cause__, ConnectionError)
    assert mw.now == datetime.fromisoformat("2026-11-24T02:10:00+00:00")  # the event's instant
    delivered = len(later)
    mw.advance(timedelta(days=1))  # carries on: the next day's events are delivered
    assert len(later) > delivered
    assert pages == ["2026-11-24T02:10:00Z", "2026-11-25T02:10:00Z"]


def test_a_handler_that_raises_after_a_call_makes_the_call_raise(
    mw: MaintenanceWindows, ssm: Any, patch_window: str
) -> None:
    def refuse(event: dict[str, Any]) -> None:
        raise ValueError("no")

    mw.on_event({"detail-type": ["Maintenance Window State-change Notification"]}, refuse)
    with pytest.raises(EventHandlerError, match="refuse"):
        ssm.update_maintenance_window(WindowId=patch_window, Enabled=False)
    # The call itself was answered.
    assert ssm.get_maintenance_window(WindowId=patch_window)["Enabled"] is False


def test_a_handler_may_not_move_the_clock(
    mw: MaintenanceWindows, patch_window: str
) -> None:
    def wait_a_bit(event: dict[str, Any]) -> None:
        mw.advance(timedelta(minutes=1))

    mw.on_event({"detail": {"status": ["IN_PROGRESS"]}}, wait_a_bit)
    with pytest.raises(EventHandlerError) as raised:
        mw.advance(timedelta(days=1))
    refusal = str(raised.value.__cause__)
    assert refusal.startswith("advance() cannot be called from inside the event handler ")
    assert "wait_a_bit" in refusal
    assert '{"detail":{"status":["IN_PROGRESS"]}}' in refusal


@pytest.mark.parametrize(
    ("pattern", "expected"),
    [
        ({"detail-type": [{"prefix": "EC2 Command Invocation"}]},
         ["InProgress", "InProgress", "Success", "Failed"]),
        ({"detail-type": [{"suffix": "Execution State-change Notification"}]},
         ["PENDING", "IN_PROGRESS", "IN_PROGRESS", "FAILED", "FAILED"]),
        ({"detail-type": [EXECUTION], "detail": {"status": [{"anything-but": "PENDING"}]}},
         ["IN_PROGRESS", "FAILED"]),
        ({"detail-type": [EXECUTION],
          "detail": {"status": [{"anything-but": ["PENDING", "IN_PROGRESS"]}]}}, ["FAILED"]),
        ({"detail-type": [EXECUTION], "detail": {"status": [{"anything-but": {"suffix": "ED"}}]}},
         ["PENDING", "IN_PROGRESS"]),
        ({"detail": {"status": [{"equals-ignore-case": "failed"}]}},
         ["Failed", "Failed", "FAILED", "FAILED", "FAILED"]),
        ({"detail-type": [EXECUTION], "detail": {"end-time": [{"exists": True}]}}, ["FAILED"]),
        ({"detail-type": [EXECUTION], "detail": {"end-time": [{"exists": False}]}},
         ["PENDING", "IN_PROGRESS"]),
        ({"detail-type": [{"wildcard": "EC2 Command *-change Notification"}],
          "detail": {"status": ["Failed"]}}, ["Failed", "Failed"]),
        ({"detail-type": [{"prefix": "EC2 Command Invocation"}],
          "resources": [{"wildcard": "*:instance/i-*1"}]}, ["InProgress", "Failed"]),
        ({"detail-type": [{"prefix": "EC2 Command"}],
          "detail": {"instance-id": [{"exists": False}]}}, ["Pending", "InProgress", "Failed"]),
        ({"$or": [{"detail": {"status": ["Success"]}}, {"detail": {"status": ["PENDING"]}}]},
         ["PENDING", "Success"]),
    ],
)
def test_each_pattern_operator_selects_the_events_eventbridge_would(
    mw: MaintenanceWindows, patch_window: str, pattern: dict[str, Any], expected: list[str]
) -> None:
    got: list[str] = []
    mw.on_event(pattern, lambda event: got.append(event["detail"]["status"]))
    mw.advance(timedelta(days=1))
    assert got == expected


def test_numeric_matching_on_automation_events(mw: MaintenanceWindows, ssm: Any) -> None:
    durations: list[float] = []
    mw.on_event({"source": ["aws.ssm"],
                 "detail-type": ["EC2 Automation Execution Status-change Notification"],
                 "detail": {"Time": [{"numeric": [">=", 60000, "<", 3600000]}]}},
                lambda event: durations.append(event["detail"]["Time"]))
    for minutes in (0.5, 2, 90):
        mw.on_task("AUTOMATION", lambda inv, m=minutes: TaskOutcome(
            "Success", duration=timedelta(minutes=m)))
        ssm.start_automation_execution(DocumentName="AWS-RestartEC2Instance")
        mw.advance(timedelta(hours=2))
    assert durations == [120000.0]


def test_bad_patterns_and_handlers_are_refused_at_once(mw: MaintenanceWindows) -> None:
    with pytest.raises(InvalidEventPatternError, match="Empty arrays are not allowed"):
        mw.on_event({"source": []}, print)
    with pytest.raises(TypeError, match="callable"):
        mw.on_event({"source": ["aws.ssm"]}, "print")  # type: ignore[arg-type]


@pytest.fixture
def moto_queue() -> Any:
    moto = pytest.importorskip("moto")
    with moto.mock_aws():
        yield


def test_a_moto_rule_sends_the_failed_execution_to_its_sqs_queue_and_sns_topic(
    moto_queue: Any,
) -> None:
    region = "us-west-2"
    with mock_maintenance_windows(start=START) as mw:
        sqs = boto3.client("sqs", region_name=region)
        urls = [sqs.create_queue(QueueName=name)["QueueUrl"] for name in ("failures", "pages")]
        arns = [sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])
                ["Attributes"]["QueueArn"] for url in urls]
        sns = boto3.client("sns", region_name=region)
        topic = sns.create_topic(Name="on-call")["TopicArn"]
        sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arns[1])
        events = boto3.client("events", region_name=region)
        events.put_rule(Name="failed-windows", EventPattern=json.dumps({
            "source": ["aws.ssm"], "detail-type": [EXECUTION],
            "detail": {"status": ["FAILED"]}}))
        events.put_targets(Rule="failed-windows", Targets=[
            {"Id": "queue", "Arn": arns[0]}, {"Id": "topic", "Arn": topic}])
        ssm = boto3.client("ssm", region_name=region)
        window_id = ssm.create_maintenance_window(
            Name="patch", Schedule="cron(0 16 ? * TUE *)", Duration=4, Cutoff=1,
            AllowUnassociatedTargets=True)["WindowId"]
        ssm.register_task_with_maintenance_window(
            WindowId=window_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION")
        mw.on_task("AUTOMATION", lambda inv: TaskOutcome("FAILED", duration=timedelta(minutes=3)))

        mw.advance(timedelta(days=7))

        [failed] = [e for e in mw.events
                    if e["detail-type"] == EXECUTION and e["detail"]["status"] == "FAILED"]
        [message] = sqs.receive_message(QueueUrl=urls[0], MaxNumberOfMessages=10)["Messages"]
        received = json.loads(message["Body"])
        assert received["detail"] == failed["detail"]
        assert (received["id"], received["time"], received["resources"]) == (
            failed["id"], "2026-11-24T16:03:00Z", failed["resources"])
        [page] = sqs.receive_message(QueueUrl=urls[1], MaxNumberOfMessages=10)["Messages"]
        assert json.loads(json.loads(page["Body"])["Message"]) == failed


mw_class = mock_maintenance_windows(start=START)


@mw_class
class OnEventInSetUpClass(unittest.TestCase):
    """An on_event handler registered in setUpClass is not called again when each test's
    state is rebuilt, and answers the test's own events."""

    seen: list[str]

    @classmethod
    def setUpClass(cls) -> None:
        cls.seen = []
        cls.ssm = boto3.client("ssm", region_name="us-east-1")
        cls.window_id = cls.ssm.create_maintenance_window(
            Name="daily", Schedule="rate(1 day)", Duration=2, Cutoff=0,
            AllowUnassociatedTargets=True)["WindowId"]
        mw_class.on_event({"detail-type": [EXECUTION], "detail": {"status": ["SUCCESS"]}},
                          cls._record)
        mw_class.advance(timedelta(days=1))

    @classmethod
    def _record(cls, event: dict[str, Any]) -> None:
        cls.seen.append(event["detail"]["status"])
        cls.ssm.add_tags_to_resource(ResourceType="MaintenanceWindow",
                                     ResourceId=cls.window_id,
                                     Tags=[{"Key": "last", "Value": event["detail"]["status"]}])

    def test_one(self) -> None:
        self._check()

    def test_two(self) -> None:
        self._check()

    def _check(self) -> None:
        assert self.seen == ["SUCCESS"]  # setUpClass's only, though replayed per test
        tags = self.ssm.list_tags_for_resource(ResourceType="MaintenanceWindow",
                                               ResourceId=self.window_id)["TagList"]
        assert tags == [{"Key": "last", "Value": "SUCCESS"}]  # its calls were replayed
        type(self).seen = []
        mw_class.advance(timedelta(days=1))
        assert self.seen == ["SUCCESS"]  # the test's own execution reached the handler
        type(self).seen = ["SUCCESS"]


def test_a_waiter_in_an_event_handler_is_refused_naming_it(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    mw.add_instance(NODES[0])
    mw.on_task("AWS-RunShellScript",
               lambda inv: TaskOutcome("Success", duration=timedelta(minutes=1)))

    def wait_for_it(event: dict[str, Any]) -> None:
        ssm.get_waiter("command_executed").wait(
            CommandId=event["detail"]["command-id"], InstanceId=NODES[0])

    mw.on_event({"detail-type": ["EC2 Command Status-change Notification"],
                 "detail": {"status": ["Pending"]}}, wait_for_it)
    with pytest.raises(EventHandlerError) as raised:  # out of the call that emitted it
        ssm.send_command(DocumentName="AWS-RunShellScript", InstanceIds=[NODES[0]],
                         Parameters={"commands": ["uptime"]})
    refusal = str(raised.value.__cause__)
    assert refusal.startswith("the CommandExecuted waiter cannot be called from inside the "
                              "event handler ")
    assert "wait_for_it" in refusal
    assert mw.now == START  # the clock did not move
