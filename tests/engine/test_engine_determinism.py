"""The same test yields the same ids, times and events on every run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import boto3

from ssm_mw_stub import Invocation, TaskOutcome, mock_maintenance_windows

from ..helpers import START


def scenario(seed: int) -> tuple[list[dict[str, Any]], list[Any]]:
    with mock_maintenance_windows(start=START, seed=seed) as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")
        for n in range(4):
            mw.add_instance(f"i-{n:017x}", tags={"Env": "prod"})
        window_id = ssm.create_maintenance_window(
            Name="nightly", Schedule="cron(0 */6 * * ? *)", Duration=3, Cutoff=1,
            AllowUnassociatedTargets=False,
        )["WindowId"]
        target = ssm.register_target_with_maintenance_window(
            WindowId=window_id, ResourceType="INSTANCE",
            Targets=[{"Key": "tag:Env", "Values": ["prod"]}],
        )["WindowTargetId"]
        for kind, arn in (("RUN_COMMAND", "AWS-RunPatchBaseline"),
                          ("AUTOMATION", "AWS-RestartEC2Instance")):
            ssm.register_task_with_maintenance_window(
                WindowId=window_id, TaskArn=arn, TaskType=kind,
                Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
                MaxConcurrency="2", MaxErrors="1",
            )

        def varying(inv: Invocation) -> TaskOutcome:
            minutes = 5 + len(str(inv.target_id)) % 7
            return TaskOutcome("SUCCESS", duration=timedelta(minutes=minutes))

        mw.on_task("RUN_COMMAND", varying)
        mw.advance(timedelta(days=2))
        records = []
        for execution in ssm.describe_maintenance_window_executions(WindowId=window_id)[
            "WindowExecutions"
        ]:
            execution_id = execution["WindowExecutionId"]
            records.append(execution)
            for task_execution in ssm.describe_maintenance_window_execution_tasks(
                WindowExecutionId=execution_id
            )["WindowExecutionTaskIdentities"]:
                records.append(task_execution)
                records.extend(
                    ssm.describe_maintenance_window_execution_task_invocations(
                        WindowExecutionId=execution_id, TaskId=task_execution["TaskExecutionId"]
                    )["WindowExecutionTaskInvocationIdentities"]
                )
        return records, mw.events


def test_the_same_seed_gives_the_same_history() -> None:
    first = scenario(7)
    second = scenario(7)
    assert first == second
    assert len(first[0]) > 50


def test_another_seed_gives_other_ids_but_the_same_times() -> None:
    first, _ = scenario(7)
    other, _ = scenario(8)
    assert [r["WindowExecutionId"] for r in first] != [r["WindowExecutionId"] for r in other]
    assert [(r.get("StartTime"), r.get("EndTime"), r["Status"]) for r in first] == [
        (r.get("StartTime"), r.get("EndTime"), r["Status"]) for r in other
    ]
