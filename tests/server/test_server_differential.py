"""Same core, same ids: the server's answers are byte for byte the in-process answers.

Each scenario runs twice with the same seed and start: in-process inside
``mock_maintenance_windows()``, and through boto3 over HTTP against ``ssm-mw-stub serve`` in
a child process (the test process has no active mock then, so every call crosses the wire).
The response bodies (ids, timestamps, error bodies), the status codes, the events and the
timeline must be equal. In-process the task outcomes come from Python functions; over HTTP
from outcome rules, which must decide the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import (
    Invocation,
    MaintenanceWindows,
    TaskOutcome,
    connect,
    mock_maintenance_windows,
)
from ssm_mw_stub.server import RemoteMaintenanceWindows

from ..helpers import load_example
from .server_helpers import SERVER_SEED, SERVER_START, ServerProcess, client_for

tutorial_steps = load_example("tutorial_steps")

START = SERVER_START
SEED = SERVER_SEED

Handle = MaintenanceWindows | RemoteMaintenanceWindows


class Recorder:
    """Makes calls through one client; keeps (status, body) of every answer as received."""

    def __init__(self, client: Any, bodies: Callable[[], list[tuple[int, bytes]]]) -> None:
        self.client = client
        self._bodies = bodies

    @property
    def answers(self) -> list[tuple[int, bytes]]:
        return self._bodies()

    def call(self, operation: str, **params: Any) -> Any:
        try:
            return getattr(self.client, operation)(**params)
        except ClientError as error:
            return error

    # tutorial_steps.Runner
    def step(self, number: int, command: str, operation: str, **params: Any) -> Any:
        response = self.call(operation, **params)
        assert not isinstance(response, ClientError), (number, command, response)
        return response

    def refused(self, number: int, note: str, command: str, operation: str, **params: Any) -> None:
        assert isinstance(self.call(operation, **params), ClientError), (number, note)


def _over_http(url: str, region: str = "us-east-1") -> Recorder:
    """A client of the server; its answers as botocore received them off the socket."""
    client = client_for(url, region)
    received: list[tuple[int, bytes]] = []

    def keep(http_response: Any, **_: Any) -> None:
        received.append((http_response.status_code, http_response.content))

    # after-call, not before-parse: botocore emits before-parse only in newer releases, and
    # the suite runs on the declared floor (pyproject.toml) too.
    client.meta.events.register("after-call.ssm", keep)
    return Recorder(client, lambda: list(received))


def _in_process(mw: MaintenanceWindows, region: str = "us-east-1") -> Recorder:
    client = boto3.client("ssm", region_name=region)
    return Recorder(
        client, lambda: [(call.status_code, call.wire_response) for call in mw.calls]
    )


def _both(
    server: ServerProcess, scenario: Callable[[Handle, Recorder], None]
) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """(answers, events, timeline) of the scenario in-process, then over HTTP."""
    with mock_maintenance_windows(start=START, seed=SEED) as mw:
        local = _in_process(mw)
        scenario(mw, local)
        expected = (local.answers, mw.events, str(mw.timeline()))
    remote = connect(server.url)
    over_http = _over_http(server.url)
    scenario(remote, over_http)
    return expected, (over_http.answers, remote.events, str(remote.timeline()))


def _tutorial(mw: Handle, run: Recorder) -> None:
    """The seed tutorial's calls, with its week: the fleet, one failing web server."""
    window_id = tutorial_steps.register_steps(run)
    for instance_id, tags in tutorial_steps.WEB_SERVERS.items():
        mw.add_instance(instance_id, tags=tags)
    failed = TaskOutcome("FAILED", duration=tutorial_steps.RUN_TIME)
    succeeded = TaskOutcome("SUCCESS", duration=tutorial_steps.RUN_TIME)
    if isinstance(mw, MaintenanceWindows):
        def web_servers(invocation: Invocation) -> TaskOutcome:
            return failed if invocation.target_id == tutorial_steps.FAILING_SERVER else succeeded

        mw.on_task("AWS-RunPowerShellScript", web_servers)
    else:
        mw.on_task("AWS-RunPowerShellScript", failed, instance_id=tutorial_steps.FAILING_SERVER)
        mw.on_task("AWS-RunPowerShellScript", succeeded)
    mw.advance(timedelta(days=7))
    tutorial_steps.execution_steps(run, window_id)


NODES = ("i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f60003")
BROKEN = NODES[2]
PATCHED = TaskOutcome("Success", duration=timedelta(minutes=5), stdout="0 upgraded")
DPKG = TaskOutcome("Failed", duration=timedelta(minutes=12), response_code=100,
                   stderr="E: dpkg was interrupted", output="patching failed")
REBOOTED = TaskOutcome("Success", duration=timedelta(minutes=2),
                       outputs={"reboot.Status": ["done"]})
FAILED_RUNBOOK = TaskOutcome("Failed", duration=timedelta(minutes=1),
                             failure_message="Step fails when it is cancelled")


def _commands_and_automations(mw: Handle, run: Recorder) -> None:
    """Run Command and Automation: a window's command over three tagged nodes (one fails,
    one is offline), the code's own SendCommand and StartAutomationExecution, and a
    window's AUTOMATION task; then every read of them."""
    for node in NODES:
        mw.add_instance(node, tags={"Patch Group": "web"})
    mw.add_instance("i-0a1b2c3d4e5f60009", tags={"Patch Group": "web"}, online=False)
    if isinstance(mw, MaintenanceWindows):
        for document in ("AWS-RunPatchBaseline", "AWS-RunShellScript"):
            mw.on_task(document, lambda inv: DPKG if inv.instance_id == BROKEN else PATCHED)
        mw.on_task("AWS-RestartEC2Instance", lambda inv: REBOOTED)
        mw.on_task("AUTOMATION", lambda inv: FAILED_RUNBOOK)
    else:
        for document in ("AWS-RunPatchBaseline", "AWS-RunShellScript"):
            mw.on_task(document, DPKG, instance_id=BROKEN)
            mw.on_task(document, PATCHED)
        mw.on_task("AWS-RestartEC2Instance", REBOOTED)
        mw.on_task("AUTOMATION", FAILED_RUNBOOK)
    window = run.call(
        "create_maintenance_window", Name="nightly", Schedule="cron(0 2 * * ? *)", Duration=3,
        Cutoff=1, AllowUnassociatedTargets=False)["WindowId"]
    target = run.call(
        "register_target_with_maintenance_window", WindowId=window, ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Patch Group", "Values": ["web"]}])["WindowTargetId"]
    for arn, kind, parameters in (
        ("AWS-RunPatchBaseline", "RUN_COMMAND",
         {"RunCommand": {"Parameters": {"Operation": ["Install"]}, "TimeoutSeconds": 600}}),
        ("AWS-RestartEC2Instance", "AUTOMATION",
         {"Automation": {"Parameters": {"InstanceId": ["{{TARGET_ID}}"]}}}),
    ):
        run.call("register_task_with_maintenance_window", WindowId=window, TaskArn=arn,
                 TaskType=kind, Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
                 TaskInvocationParameters=parameters, MaxConcurrency="2", MaxErrors="1",
                 Priority=1 if kind == "RUN_COMMAND" else 2)
    command = run.call("send_command", DocumentName="AWS-RunShellScript",
                       InstanceIds=list(NODES), Parameters={"commands": ["apt-get upgrade"]},
                       Comment="upgrade first")["Command"]["CommandId"]
    automation = run.call("start_automation_execution", DocumentName="Custom-Cleanup",
                          Parameters={"Path": ["/tmp"]})["AutomationExecutionId"]
    mw.advance(timedelta(hours=5))
    run.call("list_commands")
    run.call("list_command_invocations", CommandId=command, Details=True)
    run.call("get_command_invocation", CommandId=command, InstanceId=BROKEN)
    run.call("get_automation_execution", AutomationExecutionId=automation)
    run.call("describe_automation_executions")
    [execution] = run.call("describe_maintenance_window_executions",
                           WindowId=window)["WindowExecutions"]
    execution_id = execution["WindowExecutionId"]
    for task in run.call("describe_maintenance_window_execution_tasks",
                         WindowExecutionId=execution_id)["WindowExecutionTaskIdentities"]:
        run.call("describe_maintenance_window_execution_task_invocations",
                 WindowExecutionId=execution_id, TaskId=task["TaskExecutionId"])
    run.call("get_command_invocation", CommandId="00000000-0000-4000-8000-000000000000",
             InstanceId=BROKEN)  # an error body too
    run.call("cancel_command", CommandId=command)


@pytest.mark.parametrize(
    ("scenario", "outcomes"),
    [
        (_tutorial, [b'"Status":"FAILED"', b'"StatusDetails":"One or more tasks in the']),
        (_commands_and_automations,
         [b'"StandardErrorContent":"E: dpkg was interrupted', b'"ResponseCode":100',
          b'"FailureMessage":"Step fails when it is cancelled"',
          b'"reboot.Status":["done"]']),
    ],
    ids=["tutorial", "run-command-and-automation"],
)
def test_the_servers_answers_are_the_in_process_answers(
    server: ServerProcess, scenario: Callable[[Handle, Recorder], None], outcomes: list[bytes]
) -> None:
    (local, local_events, local_timeline), (remote, remote_events, remote_timeline) = _both(
        server, scenario
    )
    assert len(local) > 10
    assert any(status >= 400 for status, _ in local)  # error bodies are compared too
    for outcome in outcomes:  # the handlers' and the rules' outcomes show
        assert any(outcome in body for _, body in local), outcome
    assert remote == local
    assert remote_events == local_events
    assert len(local_events) > 10
    assert remote_timeline == local_timeline
