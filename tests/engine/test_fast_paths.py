"""The engine's success-at-once fast paths against their plain twins.

When nothing can stop them, every invocation of a task (engine/units.py) and every node of
a command (engine/commands.py) succeeds the instant it starts, and the engine records them
all in one loop instead of launching them one by one under the rate controls. Each fast
path has a switch (``at_once_allowed``) that sends the same work down the plain path; the
property here runs the same drawn scenario both ways and asserts that what boto3 reads
back and the events are the same, id for id.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import boto3
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssm_mw_stub import Invocation, TaskOutcome, mock_maintenance_windows
from ssm_mw_stub.engine.commands import Commands
from ssm_mw_stub.engine.units import TargetInvocations, Units

from ..helpers import START, Reader

ARNS = {
    "RUN_COMMAND": "AWS-RunShellScript",
    "AUTOMATION": "AWS-RestartEC2Instance",
    "LAMBDA": "arn:aws:lambda:us-east-1:123456789012:function:Fast",
    "STEP_FUNCTIONS": "arn:aws:states:us-east-1:123456789012:stateMachine:Fast",
}
#: Each type's parameters, with a pseudo parameter (the templated path) or without.
PARAMETERS = {
    "RUN_COMMAND": lambda text: {"RunCommand": {"Parameters": {"commands": [text]}}},
    "AUTOMATION": lambda text: {"Automation": {"Parameters": {"InstanceId": [text]}}},
    "LAMBDA": lambda text: {"Lambda": {"Qualifier": "live"}},
    "STEP_FUNCTIONS": lambda text: {"StepFunctions": {"Input": f'{{"t": "{text}"}}'}},
}


@dataclass(frozen=True)
class Task:
    kind: str
    targeted: bool
    templated: bool
    max_concurrency: str
    priority: int


@dataclass(frozen=True)
class Scenario:
    nodes: int
    offline: bool
    tasks: tuple[Task, ...]
    handled: frozenset[str]
    sent: bool


tasks = st.builds(
    Task,
    kind=st.sampled_from(sorted(ARNS)),
    targeted=st.booleans(),
    templated=st.booleans(),
    max_concurrency=st.sampled_from(["1", "2", "50%", "10"]),
    priority=st.integers(0, 2),
)
scenarios = st.builds(
    Scenario,
    nodes=st.integers(1, 4),
    offline=st.booleans(),
    tasks=st.lists(tasks, min_size=1, max_size=3).map(tuple),
    handled=st.frozensets(st.sampled_from(sorted(ARNS)), max_size=1),
    sent=st.booleans(),
)


@contextmanager
def plain_paths() -> Iterator[None]:
    """Every fast path off: the same work goes through the launch loop, unit by unit."""
    saved = Units.at_once_allowed, Commands.at_once_allowed
    Units.at_once_allowed = Commands.at_once_allowed = False
    try:
        yield
    finally:
        Units.at_once_allowed, Commands.at_once_allowed = saved


def decide(invocation: Invocation) -> TaskOutcome:
    """A handler whose outcome depends only on what it is told."""
    failed = (invocation.target_id or "").endswith("1")
    return TaskOutcome("FAILED" if failed else "SUCCESS", duration=timedelta(minutes=3))


def run(scenario: Scenario) -> dict[str, Any]:
    """Two days of a twice-daily window running the scenario; everything read back."""
    with mock_maintenance_windows(start=START, seed=7) as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")
        nodes = [f"i-{n:017x}" for n in range(scenario.nodes)]
        for n, node in enumerate(nodes):
            mw.add_instance(node, tags={"Env": "prod"}, online=not (scenario.offline and n == 0))
        window_id = ssm.create_maintenance_window(
            Name="fast", Schedule="cron(0 */12 * * ? *)", Duration=2, Cutoff=1,
            AllowUnassociatedTargets=True,
        )["WindowId"]
        target = ssm.register_target_with_maintenance_window(
            WindowId=window_id, ResourceType="INSTANCE",
            Targets=[{"Key": "tag:Env", "Values": ["prod"]}],
        )["WindowTargetId"]
        for task in scenario.tasks:
            text = "{{TARGET_ID}} {{WINDOW_ID}}" if task.templated else "plain"
            extra: dict[str, Any] = {}
            if task.targeted or task.kind == "RUN_COMMAND":
                extra = {
                    "Targets": [{"Key": "WindowTargetIds", "Values": [target]}],
                    "MaxConcurrency": task.max_concurrency, "MaxErrors": "1",
                }
            ssm.register_task_with_maintenance_window(
                WindowId=window_id, TaskArn=ARNS[task.kind], TaskType=task.kind,
                Priority=task.priority,
                TaskInvocationParameters=PARAMETERS[task.kind](text), **extra,
            )
        for kind in scenario.handled:
            mw.on_task(kind, decide)
        if scenario.sent:
            ssm.send_command(
                DocumentName="AWS-RunShellScript", InstanceIds=nodes,
                Parameters={"commands": ["uptime"]},
            )
        mw.advance(timedelta(days=2))
        return read_back(ssm, window_id, mw.events)


def read_back(ssm: Any, window_id: str, events: list[Any]) -> dict[str, Any]:
    read = Reader(ssm)
    seen: dict[str, Any] = {"events": events, "executions": read.executions(window_id)}
    for execution in seen["executions"]:
        execution_id = execution["WindowExecutionId"]
        for task in ssm.describe_maintenance_window_execution_tasks(
            WindowExecutionId=execution_id
        )["WindowExecutionTaskIdentities"]:
            task_id = task["TaskExecutionId"]
            seen[task_id] = (
                ssm.get_maintenance_window_execution_task(
                    WindowExecutionId=execution_id, TaskId=task_id
                ),
                ssm.describe_maintenance_window_execution_task_invocations(
                    WindowExecutionId=execution_id, TaskId=task_id
                )["WindowExecutionTaskInvocationIdentities"],
            )
    seen["commands"] = ssm.list_commands()["Commands"]
    seen["nodes"] = ssm.list_command_invocations(Details=True)["CommandInvocations"]
    automations = ssm.describe_automation_executions()["AutomationExecutionMetadataList"]
    seen["automations"] = automations
    seen["automation details"] = [
        ssm.get_automation_execution(AutomationExecutionId=item["AutomationExecutionId"])
        for item in automations
    ]
    for answer in seen.values():
        if isinstance(answer, dict):
            answer.pop("ResponseMetadata", None)
    return seen


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(scenarios)
def test_the_fast_paths_record_what_the_plain_paths_do(scenario: Scenario) -> None:
    fast = run(scenario)
    with plain_paths():
        plain = run(scenario)
    assert fast.keys() == plain.keys()
    for key in fast:
        assert fast[key] == plain[key], key


def test_the_switch_takes_the_plain_path() -> None:
    """The property compares two different paths: with the switch off, a task without a
    handler goes through the launch loop (its units started one by one)."""
    started: list[object] = []
    original = TargetInvocations.succeed_all

    def spy(self: TargetInvocations, task_run: Any, t: Any) -> None:
        started.append(task_run)
        original(self, task_run, t)

    scenario = Scenario(2, False, (Task("LAMBDA", True, False, "1", 0),), frozenset(), False)
    TargetInvocations.succeed_all = spy  # type: ignore[method-assign]
    try:
        run(scenario)
        assert len(started) == 4  # two executions a day, one task each
        started.clear()
        with plain_paths():
            run(scenario)
        assert started == []
    finally:
        TargetInvocations.succeed_all = original  # type: ignore[method-assign]
