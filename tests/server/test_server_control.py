"""The control API and ``connect(url)``: the handle's names across processes.

The server runs in the test's process (the ``maintenance_windows_server`` fixture) and the
remote handle reaches it over HTTP; the test's in-process handle and boto3 clients read
the same state, which is what the assertions compare against.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import boto3
import pytest

from ssm_mw_stub import TaskHandlerError, TaskOutcome, connect
from ssm_mw_stub.server import RemoteError, RemoteMaintenanceWindows, ServedMaintenanceWindows

from .server_helpers import nightly_command_window, raw_request

START = datetime(2026, 11, 24, tzinfo=timezone.utc)
NODE_A, NODE_B = "i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002"


@pytest.fixture
def remote(maintenance_windows_server: ServedMaintenanceWindows) -> RemoteMaintenanceWindows:
    return connect(maintenance_windows_server.url)


@pytest.fixture
def ssm(maintenance_windows_server: ServedMaintenanceWindows) -> Any:
    """An in-process client of the same mock."""
    return boto3.client("ssm", region_name="us-east-1")


def _nodes(ssm: Any, window: str) -> dict[str, dict[str, Any]]:
    """The window's first execution's command, node by node (GetCommandInvocation)."""
    execution = ssm.describe_maintenance_window_executions(WindowId=window)["WindowExecutions"][0]
    [task] = ssm.describe_maintenance_window_execution_tasks(
        WindowExecutionId=execution["WindowExecutionId"])["WindowExecutionTaskIdentities"]
    [invocation] = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution["WindowExecutionId"], TaskId=task["TaskExecutionId"]
    )["WindowExecutionTaskInvocationIdentities"]
    return {
        node: ssm.get_command_invocation(CommandId=invocation["ExecutionId"], InstanceId=node)
        for node in (NODE_A, NODE_B)
    }


def test_the_clock(remote: RemoteMaintenanceWindows,
                   maintenance_windows_server: ServedMaintenanceWindows) -> None:
    mw = maintenance_windows_server.mw
    assert remote.now == START == mw.now
    remote.advance(timedelta(hours=4, microseconds=7))
    assert mw.now == START + timedelta(hours=4, microseconds=7)
    remote.advance_to("2026-11-25T01:00:00+01:00")
    assert remote.now == datetime(2026, 11, 25, tzinfo=timezone.utc) == mw.now
    with pytest.raises(ValueError, match="cannot go back"):
        remote.advance_to(START)
    with pytest.raises(ValueError, match="non-negative"):
        remote.advance(timedelta(seconds=-1))
    with pytest.raises(TypeError, match="timedelta"):
        remote.advance(3600)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timezone-aware"):
        remote.advance_to(datetime(2026, 12, 1))


def test_fleet_and_outcome_rules_decide_what_a_window_runs(
    remote: RemoteMaintenanceWindows, ssm: Any
) -> None:
    window = nightly_command_window(ssm)
    remote.add_instance(NODE_A, tags={"Role": "web"})
    remote.add_instance(NODE_B, tags={"Role": "web"})
    remote.on_task("AWS-RunShellScript", TaskOutcome(
        "Failed", duration=timedelta(minutes=12), response_code=100,
        stderr="E: dpkg was interrupted"), instance_id=NODE_B)
    remote.on_task("RUN_COMMAND", TaskOutcome(
        "Success", duration=timedelta(minutes=5), stdout="0 upgraded"))
    remote.advance(timedelta(days=1))
    nodes = _nodes(ssm, window)
    assert nodes[NODE_A]["Status"] == "Success"
    assert nodes[NODE_A]["StandardOutputContent"] == "0 upgraded"
    assert nodes[NODE_A]["ExecutionElapsedTime"] == "PT5M"
    assert nodes[NODE_B]["Status"] == "Failed"
    assert nodes[NODE_B]["ResponseCode"] == 100
    assert nodes[NODE_B]["StandardErrorContent"].startswith("E: dpkg was interrupted")
    assert nodes[NODE_B]["ExecutionElapsedTime"] == "PT12M"


def test_rules_apply_in_order_the_first_match_wins(
    remote: RemoteMaintenanceWindows, ssm: Any, maintenance_windows_server: ServedMaintenanceWindows
) -> None:
    window = nightly_command_window(ssm)
    for node in (NODE_A, NODE_B):
        remote.add_instance(node, tags={"Role": "web"})
    # The task type's rule comes first, so the document's rule below it never applies.
    remote.on_task("RUN_COMMAND", TaskOutcome("Failed", duration=timedelta(minutes=1)))
    remote.on_task("AWS-RunShellScript", TaskOutcome("Success"))
    # Adding a rule of the same key and instance again replaces it in its place.
    remote.on_task("RUN_COMMAND", TaskOutcome("ExecutionTimedOut",
                                              duration=timedelta(minutes=2)))
    rules = remote.request("GET", "/outcomes")["rules"]
    assert [(rule["key"], rule["status"], rule["duration"]) for rule in rules] == [
        ("RUN_COMMAND", "ExecutionTimedOut", "PT2M"), ("AWS-RunShellScript", "Success", "PT0S")]
    remote.advance(timedelta(days=1))
    assert {node["Status"] for node in _nodes(ssm, window).values()} == {"TimedOut"}
    # PUT replaces the list; rules for other keys than the work's are passed over.
    remote.request("PUT", "/outcomes", {"rules": [
        {"key": "AWS-RunPowerShellScript", "status": "FAILED"},
        {"key": "AWS-RunShellScript", "status": "Success", "duration": 60, "stdout": "ok"},
    ]})
    remote.advance(timedelta(days=1))
    executions = ssm.describe_maintenance_window_executions(WindowId=window)["WindowExecutions"]
    assert [e["Status"] for e in executions] == ["SUCCESS", "TIMED_OUT"]
    # Work no rule matches succeeds at once, as without a handler.
    remote.request("DELETE", "/outcomes")
    remote.on_task("AWS-RunShellScript", TaskOutcome("FAILED"), instance_id="i-0000000000000000f")
    remote.advance(timedelta(days=1))
    executions = ssm.describe_maintenance_window_executions(WindowId=window)["WindowExecutions"]
    assert executions[0]["Status"] == "SUCCESS"
    assert executions[0]["EndTime"] == executions[0]["StartTime"]


def test_on_task_takes_fixed_outcomes_only(remote: RemoteMaintenanceWindows) -> None:
    with pytest.raises(TypeError, match="functions run only in-process"):
        remote.on_task("RUN_COMMAND", lambda inv: TaskOutcome("SUCCESS"))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="must be one of"):
        remote.request("POST", "/outcomes", {"key": "RUN_COMMAND", "status": "Fine"})
    with pytest.raises(ValueError, match="unknown member"):
        remote.request("POST", "/outcomes", {"key": "RUN_COMMAND", "status": "FAILED", "x": 1})
    with pytest.raises(ValueError, match="not a duration"):
        remote.request("POST", "/outcomes", {"key": "K", "status": "FAILED", "duration": "soon"})
    assert remote.request("GET", "/outcomes") == {"rules": []}


def test_a_status_the_work_cannot_have_fails_the_advance(
    remote: RemoteMaintenanceWindows, ssm: Any
) -> None:
    nightly_command_window(ssm)
    remote.add_instance(NODE_A, tags={"Role": "web"})
    remote.on_task("AWS-RunShellScript", TaskOutcome("CompletedWithFailure"))  # Automation's
    with pytest.raises(ValueError, match="RUN_COMMAND work cannot end with"):
        remote.advance(timedelta(days=1))


def test_a_failing_function_handler_fails_the_remote_advance(
    remote: RemoteMaintenanceWindows, ssm: Any, maintenance_windows_server: ServedMaintenanceWindows
) -> None:
    nightly_command_window(ssm)
    remote.add_instance(NODE_A, tags={"Role": "web"})

    def broken(invocation: Any) -> TaskOutcome:
        raise OSError("the patch mirror is down")

    maintenance_windows_server.mw.on_task("RUN_COMMAND", broken)  # in-process: a function
    with pytest.raises(TaskHandlerError, match="the patch mirror is down"):
        remote.advance(timedelta(days=1))


def test_instances_and_resource_groups(
    remote: RemoteMaintenanceWindows, ssm: Any
) -> None:
    window = ssm.create_maintenance_window(
        Name="grouped", Schedule="rate(1 day)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=False)["WindowId"]
    target = ssm.register_target_with_maintenance_window(
        WindowId=window, ResourceType="RESOURCE_GROUP",
        Targets=[{"Key": "resource-groups:Name", "Values": ["web-servers"]}])["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target]}], MaxConcurrency="5",
        MaxErrors="0")
    remote.add_instance(NODE_A, region="us-east-1")
    remote.add_instance(NODE_B, online=False)
    remote.add_resource_group("web-servers", [NODE_A, NODE_B, ("arn:aws:s3:::logs",
                                                               "AWS::S3::Bucket")])
    remote.advance(timedelta(days=1, minutes=1))
    commands = ssm.list_commands()["Commands"]
    assert [command["InstanceIds"] for command in commands] == [[NODE_A, NODE_B]]
    assert commands[0]["Status"] == "InProgress"  # NODE_B is offline: never delivered
    remote.remove_instance(NODE_B)
    with pytest.raises(KeyError, match="is not in the fake fleet"):
        remote.remove_instance(NODE_B)
    with pytest.raises(TypeError, match="a single string"):
        remote.add_resource_group("g", "i-0a1b2c3d4e5f60001")
    with pytest.raises(ValueError, match="instance"):
        remote.add_instance("not-an-instance")


def test_a_remote_node_has_details_and_patches(
    remote: RemoteMaintenanceWindows, ssm: Any
) -> None:
    from ssm_mw_stub import Patch

    remote.add_instance(NODE_A, computer_name="web-1", platform_type="Windows",
                        patches=[Patch("KB5031364", released=datetime(2026, 11, 1)),
                                 {"id": "KB1", "released": "2026-11-02", "installed": True}])
    [node] = ssm.describe_instance_information()["InstanceInformationList"]
    assert (node["ComputerName"], node["PlatformType"]) == ("web-1", "Windows")
    ssm.send_command(InstanceIds=[NODE_A], DocumentName="AWS-RunPatchBaseline",
                     Parameters={"Operation": ["Scan"]})
    remote.advance(timedelta(days=30))
    patches = ssm.describe_instance_patches(InstanceId=NODE_A)["Patches"]
    assert {p["KBId"]: p["State"] for p in patches} == {"KB5031364": "MISSING",
                                                          "KB1": "INSTALLED"}
    remote.set_patches(NODE_A, [{"id": "KB2", "released": "2026-11-03"}])
    ssm.send_command(InstanceIds=[NODE_A], DocumentName="AWS-RunPatchBaseline",
                     Parameters={"Operation": ["Scan"]})
    remote.advance(timedelta(0))
    patches = ssm.describe_instance_patches(InstanceId=NODE_A)["Patches"]
    assert [(p["KBId"], p["State"]) for p in patches] == [("KB2", "MISSING")]
    with pytest.raises(ValueError, match="platform_type"):
        remote.add_instance(NODE_A, platform_type="Solaris")


def test_events_calls_and_the_timeline_are_the_in_process_ones(
    remote: RemoteMaintenanceWindows, ssm: Any,
    maintenance_windows_server: ServedMaintenanceWindows, tmp_path: Path,
) -> None:
    mw = maintenance_windows_server.mw
    window = nightly_command_window(ssm)
    remote.add_instance(NODE_A, tags={"Role": "web"})
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.get_maintenance_window(WindowId="mw-0123456789abcdef0")
    remote.advance(timedelta(days=2))
    assert len(remote.events) > 5
    assert remote.events == mw.events
    remote_calls, local_calls = remote.calls, mw.calls
    assert [c.operation for c in remote_calls] == [c.operation for c in local_calls]
    for theirs, ours in zip(remote_calls, local_calls, strict=True):
        assert (theirs.parameters, theirs.response, theirs.error_code, theirs.error_message,
                theirs.time, theirs.region, theirs.account, theirs.status_code) == (
            ours.parameters, ours.response, ours.error_code, ours.error_message, ours.time,
            ours.region, ours.account, ours.status_code)
    assert remote_calls[-1].error_code == "DoesNotExistException"
    timeline = remote.timeline()
    assert str(timeline) == str(mw.timeline())
    assert window in str(timeline)
    assert timeline.save(tmp_path / "t.html").read_text() == mw.timeline().html()
    assert timeline.save(tmp_path / "t.txt").read_text() == mw.timeline().text(
        max_lines=None) + "\n"
    remote.clear_events()
    remote.clear_calls()
    assert remote.events == mw.events == []
    assert remote.calls == mw.calls == []


def test_reset_goes_back_to_the_start(
    remote: RemoteMaintenanceWindows, ssm: Any, maintenance_windows_server: ServedMaintenanceWindows
) -> None:
    first = nightly_command_window(ssm)
    remote.add_instance(NODE_A, tags={"Role": "web"})
    remote.on_task("RUN_COMMAND", TaskOutcome("FAILED"))
    remote.advance(timedelta(days=3))
    remote.reset()
    mw = maintenance_windows_server.mw
    assert remote.now == mw.now == START
    assert remote.events == []
    assert remote.calls == []
    assert remote.request("GET", "/outcomes") == {"rules": []}
    fresh = boto3.client("ssm", region_name="us-east-1")
    assert fresh.describe_maintenance_windows()["WindowIdentities"] == []
    assert nightly_command_window(fresh) == first  # the same seed: the same ids again
    remote.advance(timedelta(days=1))
    [execution] = fresh.describe_maintenance_window_executions(WindowId=first)[
        "WindowExecutions"]
    assert execution["Status"] == "SUCCESS"  # no fleet, no rules any more


def test_the_live_timeline_page(
    maintenance_windows_server: ServedMaintenanceWindows, ssm: Any, remote: RemoteMaintenanceWindows
) -> None:
    url = maintenance_windows_server.url
    nightly_command_window(ssm)
    remote.add_instance(NODE_A, tags={"Role": "web"})
    remote.advance(timedelta(days=1))
    page = raw_request(url, "GET", "/_ssm-mw-stub/timeline")
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.body.decode() == maintenance_windows_server.mw.timeline().html()
    remote.advance(timedelta(days=1))  # live: the next GET shows the next night
    again = raw_request(url, "GET", "/_ssm-mw-stub/timeline?refresh=5")
    assert again.body.decode() == maintenance_windows_server.mw.timeline().html()
    assert again.body != page.body
    assert again.headers["refresh"] == "5"
    text = raw_request(url, "GET", "/_ssm-mw-stub/timeline.txt?full=1")
    assert text.body.decode() == maintenance_windows_server.mw.timeline().text(
        max_lines=None) + "\n"
    assert raw_request(url, "GET", "/_ssm-mw-stub/timeline?refresh=soon").status == 400


def test_control_refusals_are_json(maintenance_windows_server: ServedMaintenanceWindows) -> None:
    url = maintenance_windows_server.url
    missing = raw_request(url, "GET", "/_ssm-mw-stub/clocks")
    assert missing.status == 404
    assert "GET /_ssm-mw-stub/ lists them" in missing.json()["message"]
    wrong = raw_request(url, "DELETE", "/_ssm-mw-stub/clock")
    assert (wrong.status, wrong.headers["allow"]) == (405, "GET")
    for body, words in (
        (b"{", "not valid JSON"), (b"[]", "JSON object"), (b"{}", "needs the member 'by'"),
        (b'{"by": true}', "'by' must be a string or a number"), (b'{"by": "1 week"}',
                                                                "not a duration"),
        (b'{"by": -5}', "non-negative"), (b'{"by": 1e300}', "longer than 100 years"),
    ):
        answer = raw_request(url, "POST", "/_ssm-mw-stub/clock/advance", body)
        assert answer.status == 400, body
        assert set(answer.json()) == {"__type", "message"}
        assert words in answer.json()["message"], (body, answer.json())
    index = raw_request(url, "GET", "/_ssm-mw-stub/").json()
    assert index["account_id"] == "123456789012"
    assert {"method": "POST", "path": "/_ssm-mw-stub/clock/advance",
            "does": index["routes"][2]["does"]} in index["routes"]
    odd = raw_request(url, "PUT", "/_ssm-mw-stub/instances/i-0a1b2c3d4e5f60001",
                      json.dumps({"tags": {"a": "b"}, "colour": "red"}).encode())
    assert odd.status == 400
    assert "colour" in odd.json()["message"]


def test_connect_needs_a_server(
    monkeypatch: pytest.MonkeyPatch, maintenance_windows_server: ServedMaintenanceWindows
) -> None:
    monkeypatch.delenv("SSM_MW_STUB_URL", raising=False)
    with pytest.raises(ValueError, match="SSM_MW_STUB_URL"):
        connect()
    monkeypatch.setenv("SSM_MW_STUB_URL", maintenance_windows_server.url)
    assert connect().now == START
    closed = maintenance_windows_server.url.rsplit(":", 1)[0] + ":1"
    with pytest.raises(ConnectionError, match="no ssm-mw-stub server answers"):
        connect(closed)
    with pytest.raises(ValueError, match="http://HOST:PORT"):
        connect("localhost:4583")
    with pytest.raises(RemoteError, match="NotFound"):
        connect(maintenance_windows_server.url).request("GET", "/nothing")
