"""Replay AWS's "Create and Configure a Maintenance Window (CLI)" tutorial in-process.

Every step of the tutorial is made as the boto3 call the AWS CLI command stands for, and
the response is printed as JSON the way the tutorial shows it. Nothing leaves the process:
no credentials, no network. The ids are the ones the stub generates (the tutorial's
``...EXAMPLE`` ids are not valid ids), and the clock is a fake one that this script moves a
week forward so that the window actually runs before the execution steps.

Run:  python examples/tutorial.py
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta
from typing import Any

import boto3
from botocore.exceptions import ClientError

from ssm_mw_stub import TaskOutcome, mock_maintenance_windows

# Stand-ins for the tutorial's instance ids (which do not have the shape of real ids).
INSTANCE_1 = "i-1234567890abcdef0"  # i-1234567890EXAMPLE
INSTANCE_2 = "i-0abcdef1234567890"  # i-abcdefghiEXAMPLE
INSTANCE_3 = "i-0456def321abc0987"  # i-456jkl321EXAMPLE


def _jsonable(value: Any) -> Any:
    """What the CLI prints: timestamps as epoch seconds, blobs as base64."""
    if isinstance(value, datetime):
        return round(value.timestamp(), 3)
    if isinstance(value, bytes):
        return base64.b64encode(value).decode()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def step(number: int, command: str, response: Any) -> Any:
    """Print one tutorial step: the CLI command it replays and the JSON response."""
    print(f"\n## Step {number}\n$ aws ssm {command}")
    print(json.dumps(_jsonable(response), indent=3))
    return response


def main() -> None:
    with mock_maintenance_windows(start="2026-11-23T00:00:00Z") as mw:
        ssm = boto3.client("ssm", region_name="us-east-1")

        # 1. Create the window: Tuesdays 16:00 Los Angeles time, 4 hours, 1 hour cutoff.
        window_id = step(1, 'create-maintenance-window --name "My-First-Maintenance-Window" '
                         '--schedule "cron(0 16 ? * TUE *)" --duration 4 '
                         '--schedule-timezone "America/Los_Angeles" --cutoff 1 '
                         "--allow-unassociated-targets",
                         ssm.create_maintenance_window(
                             Name="My-First-Maintenance-Window",
                             Schedule="cron(0 16 ? * TUE *)",
                             Duration=4,
                             ScheduleTimezone="America/Los_Angeles",
                             Cutoff=1,
                             AllowUnassociatedTargets=True,
                         ))["WindowId"]

        # 2. List the windows of the account.
        step(2, "describe-maintenance-windows", ssm.describe_maintenance_windows())

        # 3. Register targets: one instance, two instances, and EC2 tags.
        single = step(3, f'register-target-with-maintenance-window --window-id "{window_id}" '
                      f'--target "Key=InstanceIds,Values={INSTANCE_1}" --resource-type '
                      '"INSTANCE" --owner-information "Single instance"',
                      ssm.register_target_with_maintenance_window(
                          WindowId=window_id,
                          Targets=[{"Key": "InstanceIds", "Values": [INSTANCE_1]}],
                          ResourceType="INSTANCE",
                          OwnerInformation="Single instance",
                      ))["WindowTargetId"]
        step(3, f'register-target-with-maintenance-window --window-id "{window_id}" '
             f'--targets "Key=InstanceIds,Values={INSTANCE_3},{INSTANCE_2}" '
             '--resource-type "INSTANCE" --owner-information "Two instances in a list"',
             ssm.register_target_with_maintenance_window(
                 WindowId=window_id,
                 Targets=[{"Key": "InstanceIds", "Values": [INSTANCE_3, INSTANCE_2]}],
                 ResourceType="INSTANCE",
                 OwnerInformation="Two instances in a list",
             ))
        # The tutorial's tag command says "Key=Role"; the service only takes tag:<key> or
        # tag-key keys (its own listing in step 4 shows "tag:Role"), so that command fails:
        try:
            ssm.register_target_with_maintenance_window(
                WindowId=window_id,
                Targets=[{"Key": "tag:Environment", "Values": ["Prod"]},
                         {"Key": "Role", "Values": ["Web"]}],
                OwnerInformation="Production Web Servers",
                ResourceType="INSTANCE",
            )
        except ClientError as error:
            print("\n## Step 3, as printed in the tutorial (Key=Role) fails:")
            print(f"{error.response['Error']['Code']}: {error.response['Error']['Message']}")
        web = step(3, f'register-target-with-maintenance-window --window-id "{window_id}" '
                   '--targets "Key=tag:Environment,Values=Prod" "Key=tag:Role,Values=Web" '
                   '--owner-information "Production Web Servers" --resource-type "INSTANCE"',
                   ssm.register_target_with_maintenance_window(
                       WindowId=window_id,
                       Targets=[{"Key": "tag:Environment", "Values": ["Prod"]},
                                {"Key": "tag:Role", "Values": ["Web"]}],
                       OwnerInformation="Production Web Servers",
                       ResourceType="INSTANCE",
                   ))["WindowTargetId"]

        # 4. The targets of the window.
        step(4, f'describe-maintenance-window-targets --window-id "{window_id}"',
             ssm.describe_maintenance_window_targets(WindowId=window_id))

        # 5. Register tasks of every type.
        run_params = {"RunCommand": {"Parameters": {"commands": ["df"]}}}
        step(5, f"register-task-with-maintenance-window --window-id {window_id} --task-arn "
             f'"AWS-RunShellScript" --targets "Key=InstanceIds,Values={INSTANCE_3}" '
             '--service-role-arn "arn:aws:iam::1122334455:role/MW-Role" --task-type '
             "\"RUN_COMMAND\" --task-invocation-parameters '"
             + json.dumps(run_params) + "' --max-concurrency 1 --max-errors 1 --priority 10",
             ssm.register_task_with_maintenance_window(
                 WindowId=window_id,
                 TaskArn="AWS-RunShellScript",
                 Targets=[{"Key": "InstanceIds", "Values": [INSTANCE_3]}],
                 ServiceRoleArn="arn:aws:iam::1122334455:role/MW-Role",
                 TaskType="RUN_COMMAND",
                 TaskInvocationParameters=run_params,
                 MaxConcurrency="1",
                 MaxErrors="1",
                 Priority=10,
             ))
        step(5, f'register-task-with-maintenance-window --targets "Key=WindowTargetIds,'
             f'Values={single}" --task-arn "AWS-RunShellScript" --service-role-arn '
             f'"arn:aws:iam::1122334455:role/MW-Role" --window-id "{window_id}" --task-type '
             "\"RUN_COMMAND\" --task-invocation-parameters '" + json.dumps(run_params)
             + "' --max-concurrency 1 --max-errors 1 --priority 10",
             ssm.register_task_with_maintenance_window(
                 Targets=[{"Key": "WindowTargetIds", "Values": [single]}],
                 TaskArn="AWS-RunShellScript",
                 ServiceRoleArn="arn:aws:iam::1122334455:role/MW-Role",
                 WindowId=window_id,
                 TaskType="RUN_COMMAND",
                 TaskInvocationParameters=run_params,
                 MaxConcurrency="1",
                 MaxErrors="1",
                 Priority=10,
             ))
        role = "arn:aws:iam::111122223333:role/MaintenanceWindows"
        step(5, f'register-task-with-maintenance-window --window-id "{window_id}" --targets '
             f"Key=WindowTargetIds,Values={web} --task-arn "
             "arn:aws:lambda:us-east-2:111122223333:function:SSMTestFunction "
             "--task-type LAMBDA ... --name \"Lambda_Example\"",
             ssm.register_task_with_maintenance_window(
                 WindowId=window_id,
                 Targets=[{"Key": "WindowTargetIds", "Values": [web]}],
                 TaskArn="arn:aws:lambda:us-east-2:111122223333:function:SSMTestFunction",
                 ServiceRoleArn=role,
                 TaskType="LAMBDA",
                 TaskInvocationParameters={"Lambda": {
                     "Payload": b'{"targetId":"{{TARGET_ID}}","targetType":"{{TARGET_TYPE}}"}',
                     "Qualifier": "$LATEST",
                     "ClientContext": "ew0KICAiY3VzdG9tIjogew0KICAgICJjbGllbnQiOiAiQVdTQ0xJ"
                                      "Ig0KIEXAMPLE",
                 }},
                 Priority=0,
                 MaxConcurrency="10",
                 MaxErrors="5",
                 Name="Lambda_Example",
                 Description="My Lambda Example",
             ))
        step(5, f'register-task-with-maintenance-window --window-id "{window_id}" --targets '
             f"Key=WindowTargetIds,Values={web} --task-arn "
             "arn:aws:states:us-east-2:111122223333:stateMachine:SSMTestStateMachine "
             '--task-type STEP_FUNCTIONS ... --name "Step_Functions_Example"',
             ssm.register_task_with_maintenance_window(
                 WindowId=window_id,
                 Targets=[{"Key": "WindowTargetIds", "Values": [web]}],
                 TaskArn="arn:aws:states:us-east-2:111122223333:stateMachine:SSMTestStateMachine",
                 ServiceRoleArn=role,
                 TaskType="STEP_FUNCTIONS",
                 TaskInvocationParameters={
                     "StepFunctions": {"Input": '{"instanceId":"{{TARGET_ID}}"}'}
                 },
                 Priority=0,
                 MaxConcurrency="10",
                 MaxErrors="5",
                 Name="Step_Functions_Example",
                 Description="My Step Functions Example",
             ))
        step(5, f'register-task-with-maintenance-window --window-id "{window_id}" --targets '
             f"Key=WindowTargetIds,Values={web} --task-arn automationdocument-name "
             "--task-type AUTOMATION --task-invocation-parameters \"Automation={DocumentVersion"
             "=5,Parameters={instanceId='{{TARGET_ID}}'}}\" ... --name \"Name\"",
             ssm.register_task_with_maintenance_window(
                 WindowId=window_id,
                 Targets=[{"Key": "WindowTargetIds", "Values": [web]}],
                 TaskArn="automationdocument-name",
                 ServiceRoleArn=role,
                 TaskType="AUTOMATION",
                 TaskInvocationParameters={"Automation": {
                     "DocumentVersion": "5",
                     "Parameters": {"instanceId": ["{{TARGET_ID}}"]},
                 }},
                 Priority=0,
                 MaxConcurrency="10",
                 MaxErrors="5",
                 Name="Name",
                 Description="Description",
             ))
        step(5, f'register-task-with-maintenance-window --window-id "{window_id}" --targets '
             f"Key=WindowTargetIds,Values={web} --task-arn AWS-RunPowerShellScript "
             '--task-type RUN_COMMAND ... --name "Run_Command_Sample"',
             ssm.register_task_with_maintenance_window(
                 WindowId=window_id,
                 Targets=[{"Key": "WindowTargetIds", "Values": [web]}],
                 TaskArn="AWS-RunPowerShellScript",
                 ServiceRoleArn=role,
                 TaskType="RUN_COMMAND",
                 TaskInvocationParameters={"RunCommand": {
                     "Comment": "SomeComment",
                     "DocumentHashType": "Sha256",
                     "DocumentHash": "b9d0966408047ebcafee82de4d42477299306fd37510c6815c19e98"
                                     "48EXAMPLE",
                     "NotificationConfig": {
                         "NotificationArn": "arn:aws:sns:us-west-2:111122223333:RunCommandTopic",
                         "NotificationEvents": ["Success", "Failed"],
                         "NotificationType": "Invocation",
                     },
                     "OutputS3BucketName": "MyS3Bucket",
                     "OutputS3KeyPrefix": "RunCommand",
                     "ServiceRoleArn": "arn:aws:iam::111122223333:role/RunCommand",
                     "TimeoutSeconds": 30,
                     "Parameters": {"commands": ["ipconfig"]},
                 }},
                 Priority=0,
                 MaxConcurrency="10",
                 MaxErrors="5",
                 Name="Run_Command_Sample",
                 Description="My Run Command Sample",
             ))

        # 6. The tasks of the window.
        step(6, f'describe-maintenance-window-tasks --window-id "{window_id}"',
             ssm.describe_maintenance_window_tasks(WindowId=window_id))

        # Between the tutorial's steps 6 and 7 the window has run at least once. Here the
        # fake fleet holds the tagged web servers, the PowerShell command fails on one of
        # them, and the clock moves one week, through Tuesday 16:00 in Los Angeles.
        mw.add_instance(INSTANCE_1, tags={"Environment": "Prod", "Role": "Web"})
        mw.add_instance(INSTANCE_2, tags={"Environment": "Prod", "Role": "Web"})
        mw.on_task(
            "AWS-RunPowerShellScript",
            lambda inv: TaskOutcome(
                "FAILED" if inv.target_id == INSTANCE_2 else "SUCCESS",
                duration=timedelta(seconds=20),
            ),
        )
        mw.advance(timedelta(days=7))
        print(f"\n## (the fake clock is now {mw.now.isoformat()})")

        # 7. The executions of the window.
        executions = step(7, f'describe-maintenance-window-executions --window-id "{window_id}"',
                          ssm.describe_maintenance_window_executions(WindowId=window_id))
        if not executions["WindowExecutions"]:
            print("\n(no execution yet: steps 8 to 11 need one)")
        else:
            execution_id = executions["WindowExecutions"][0]["WindowExecutionId"]
            # 8. One execution.
            execution = step(8, "get-maintenance-window-execution --window-execution-id "
                             f'"{execution_id}"',
                             ssm.get_maintenance_window_execution(
                                 WindowExecutionId=execution_id))
            # 9. The tasks run by that execution.
            step(9, "describe-maintenance-window-execution-tasks --window-execution-id "
                 f'"{execution_id}"',
                 ssm.describe_maintenance_window_execution_tasks(
                     WindowExecutionId=execution_id))
            task_execution_id = execution["TaskIds"][-1]
            # 10. One task execution.
            step(10, "get-maintenance-window-execution-task --window-execution-id "
                 f'"{execution_id}" --task-id "{task_execution_id}"',
                 ssm.get_maintenance_window_execution_task(
                     WindowExecutionId=execution_id, TaskId=task_execution_id))
            # 11. The invocations of that task execution.
            step(11, "describe-maintenance-window-execution-task-invocations "
                 f'--window-execution-id "{execution_id}" --task-id "{task_execution_id}"',
                 ssm.describe_maintenance_window_execution_task_invocations(
                     WindowExecutionId=execution_id, TaskId=task_execution_id))

        # 12. Delete the window.
        step(12, f'delete-maintenance-window --window-id "{window_id}"',
             ssm.delete_maintenance_window(WindowId=window_id))


if __name__ == "__main__":
    main()
