"""AWS's "Create and Configure a Maintenance Window (CLI)" tutorial, step by step, as data.

Each step is the tutorial's ``aws ssm`` command, verbatim except for the ids (the tutorial's
``...EXAMPLE`` ids are not valid ids; the ones substituted are those the earlier steps
printed, or instance ids of the right shape), together with the boto3 call that the command
stands for. ``examples/tutorial.py`` replays the steps through boto3,
``examples/cli_tutorial.py`` through the AWS CLI itself; both print what the tutorial shows.

Between the tutorial's steps 6 and 7 the window has run at least once. Here the fake fleet
holds the tagged web servers, the PowerShell command fails on one of them, and the fake clock
moves one week, through Tuesday 16:00 in Los Angeles.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any, Protocol

from ssm_mw_stub import Invocation, MaintenanceWindows, TaskOutcome

__all__ = [
    "FAILING_SERVER", "INSTANCE_1", "INSTANCE_2", "INSTANCE_3", "RUN_TIME", "START", "WEB_SERVERS",
    "Runner", "execution_steps", "register_steps", "replay",
]

#: The fake clock's start: the Monday before the window's first Tuesday.
START = "2026-11-23T00:00:00Z"

# Stand-ins for the tutorial's instance ids (which do not have the shape of real ids).
INSTANCE_1 = "i-1234567890abcdef0"  # i-1234567890EXAMPLE
INSTANCE_2 = "i-0abcdef1234567890"  # i-abcdefghiEXAMPLE
INSTANCE_3 = "i-0456def321abc0987"  # i-456jkl321EXAMPLE

MW_ROLE = "arn:aws:iam::1122334455:role/MW-Role"
ROLE = "arn:aws:iam::111122223333:role/MaintenanceWindows"
RUN_DF = {"RunCommand": {"Parameters": {"commands": ["df"]}}}


class Runner(Protocol):
    """How a replay makes each call: through boto3, or through the AWS CLI."""

    def step(self, number: int, command: str, operation: str, **params: Any) -> Any:
        """Make one step's call (``command`` after ``aws ssm``); return its response."""

    def refused(self, number: int, note: str, command: str, operation: str, **params: Any) -> None:
        """Make a step's call that the service refuses, and show the refusal."""


#: The week between steps 6 and 7: the fake fleet's tagged web servers, the one whose
#: PowerShell command fails, and how long the command runs on each.
WEB_SERVERS = {
    INSTANCE_1: {"Environment": "Prod", "Role": "Web"},
    INSTANCE_2: {"Environment": "Prod", "Role": "Web"},
}
FAILING_SERVER = INSTANCE_2
RUN_TIME = timedelta(seconds=20)


def _web_server_outcome(invocation: Invocation) -> TaskOutcome:
    failed = invocation.target_id == FAILING_SERVER
    return TaskOutcome("FAILED" if failed else "SUCCESS", duration=RUN_TIME)


def replay(mw: MaintenanceWindows, run: Runner) -> None:
    """The tutorial's twelve steps, with a week of simulated time before step 7."""
    window_id = register_steps(run)
    for instance_id, tags in WEB_SERVERS.items():
        mw.add_instance(instance_id, tags=tags)
    mw.on_task("AWS-RunPowerShellScript", _web_server_outcome)
    mw.advance(timedelta(days=7))
    print(f"\n## (the fake clock is now {mw.now.isoformat()})")
    execution_steps(run, window_id)


def register_steps(run: Runner) -> str:
    """Steps 1 to 6: the window, its targets and tasks; returns the window's id."""
    # 1. Create the window: Tuesdays 16:00 Los Angeles time, 4 hours, 1 hour cutoff.
    window_id = run.step(
        1, 'create-maintenance-window --name "My-First-Maintenance-Window" --schedule '
        '"cron(0 16 ? * TUE *)" --duration 4 --schedule-timezone "America/Los_Angeles" '
        "--cutoff 1 --allow-unassociated-targets",
        "create_maintenance_window", Name="My-First-Maintenance-Window",
        Schedule="cron(0 16 ? * TUE *)", Duration=4, ScheduleTimezone="America/Los_Angeles",
        Cutoff=1, AllowUnassociatedTargets=True,
    )["WindowId"]

    # 2. List the windows of the account.
    run.step(2, "describe-maintenance-windows", "describe_maintenance_windows")

    # 3. Register targets: one instance, two instances, and EC2 tags.
    owner = "user-provided-text"
    single = run.step(
        3, f'register-target-with-maintenance-window --window-id "{window_id}" --target '
        f'"Key=InstanceIds,Values={INSTANCE_1}" --resource-type "INSTANCE" '
        f'--owner-information "{owner}"',
        "register_target_with_maintenance_window", WindowId=window_id,
        Targets=[{"Key": "InstanceIds", "Values": [INSTANCE_1]}], ResourceType="INSTANCE",
        OwnerInformation=owner,
    )["WindowTargetId"]
    run.step(
        3, f'register-target-with-maintenance-window --window-id "{window_id}" --targets '
        f'"Key=InstanceIds,Values={INSTANCE_1},{INSTANCE_2}" --resource-type "INSTANCE" '
        f'--owner-information "{owner}"',
        "register_target_with_maintenance_window", WindowId=window_id,
        Targets=[{"Key": "InstanceIds", "Values": [INSTANCE_1, INSTANCE_2]}],
        ResourceType="INSTANCE", OwnerInformation=owner,
    )
    # The tutorial's tag command says "Key=Role"; the service only takes tag:<key> or
    # tag-key keys (the tutorial's own listing in step 4 shows "tag:Role"), so it fails.
    command, params = _web_servers(window_id, "Role")
    run.refused(3, "as printed in the tutorial (Key=Role)", command, **params)
    command, params = _web_servers(window_id, "tag:Role")
    web = run.step(3, command, **params)["WindowTargetId"]

    # 4. The targets of the window.
    run.step(4, f'describe-maintenance-window-targets --window-id "{window_id}"',
             "describe_maintenance_window_targets", WindowId=window_id)

    # 5. Register tasks of every type.
    _register_tasks(run, window_id, single, web)

    # 6. The tasks of the window.
    run.step(6, f'describe-maintenance-window-tasks --window-id "{window_id}"',
             "describe_maintenance_window_tasks", WindowId=window_id)
    return str(window_id)


def execution_steps(run: Runner, window_id: str) -> None:
    """Steps 7 to 12: what the window ran, then its deletion."""
    _executions(run, window_id)

    # 12. Delete the window.
    run.step(12, f'delete-maintenance-window --window-id "{window_id}"',
             "delete_maintenance_window", WindowId=window_id)


def _web_servers(window_id: str, role_key: str) -> tuple[str, dict[str, Any]]:
    """Step 3's tag target of the production web servers, with the Role key as given."""
    command = (
        f'register-target-with-maintenance-window --window-id "{window_id}" --targets '
        f'"Key=tag:Environment,Values=Prod" "Key={role_key},Values=Web" '
        '--owner-information "Production Web Servers" --resource-type "INSTANCE"'
    )
    return command, {
        "operation": "register_target_with_maintenance_window", "WindowId": window_id,
        "Targets": [{"Key": "tag:Environment", "Values": ["Prod"]},
                    {"Key": role_key, "Values": ["Web"]}],
        "OwnerInformation": "Production Web Servers", "ResourceType": "INSTANCE",
    }


def _register_tasks(run: Runner, window_id: str, single: str, web: str) -> None:
    """Step 5: the tutorial's six task registrations."""
    run_df = json.dumps(RUN_DF, separators=(",", ":"))
    run.step(
        5, f'register-task-with-maintenance-window --window-id {window_id} --task-arn '
        f'"AWS-RunShellScript" --targets "Key=InstanceIds,Values={INSTANCE_3}" '
        f'--service-role-arn "{MW_ROLE}" --task-type "RUN_COMMAND" '
        f"--task-invocation-parameters '{run_df}' --max-concurrency 1 --max-errors 1 "
        "--priority 10",
        "register_task_with_maintenance_window", WindowId=window_id,
        TaskArn="AWS-RunShellScript", Targets=[{"Key": "InstanceIds", "Values": [INSTANCE_3]}],
        ServiceRoleArn=MW_ROLE, TaskType="RUN_COMMAND", TaskInvocationParameters=RUN_DF,
        MaxConcurrency="1", MaxErrors="1", Priority=10,
    )
    run.step(
        5, f'register-task-with-maintenance-window --targets "Key=WindowTargetIds,'
        f'Values={single}" --task-arn "AWS-RunShellScript" --service-role-arn "{MW_ROLE}" '
        f'--window-id "{window_id}" --task-type "RUN_COMMAND" --task-invocation-parameters  '
        f"'{run_df}' --max-concurrency 1 --max-errors 1 --priority 10",
        "register_task_with_maintenance_window",
        Targets=[{"Key": "WindowTargetIds", "Values": [single]}], TaskArn="AWS-RunShellScript",
        ServiceRoleArn=MW_ROLE, WindowId=window_id, TaskType="RUN_COMMAND",
        TaskInvocationParameters=RUN_DF, MaxConcurrency="1", MaxErrors="1", Priority=10,
    )
    for arn, task_type, cli_parameters, parameters, name, description in _OTHER_TYPES:
        run.step(
            5, f'register-task-with-maintenance-window --window-id "{window_id}" --targets '
            f"Key=WindowTargetIds,Values={web} --task-arn {arn} --service-role-arn {ROLE} "
            f"--task-type {task_type} --task-invocation-parameters {cli_parameters} "
            f'--priority 0 --max-concurrency 10 --max-errors 5 --name "{name}" '
            f'--description "{description}"',
            "register_task_with_maintenance_window", WindowId=window_id,
            Targets=[{"Key": "WindowTargetIds", "Values": [web]}], TaskArn=arn,
            ServiceRoleArn=ROLE, TaskType=task_type, TaskInvocationParameters=parameters,
            Priority=0, MaxConcurrency="10", MaxErrors="5", Name=name, Description=description,
        )


_PAYLOAD = '{"targetId":"{{TARGET_ID}}","targetType":"{{TARGET_TYPE}}"}'
_CLIENT_CONTEXT = "ew0KICAiY3VzdG9tIjogew0KICAgICJjbGllbnQiOiAiQVdTQ0xJIg0KIEXAMPLE"
_HASH = "b9d0966408047ebcafee82de4d42477299306fd37510c6815c19e9848EXAMPLE"

#: The tutorial's other task types on the web servers' target: (task ARN, type, the
#: --task-invocation-parameters argument as the tutorial writes it, the same for boto3,
#: name, description).
_OTHER_TYPES: list[tuple[str, str, str, dict[str, Any], str, str]] = [
    ("arn:aws:lambda:us-east-2:111122223333:function:SSMTestFunction", "LAMBDA",
     "'" + json.dumps({"Lambda": {"Payload": _PAYLOAD, "Qualifier": "$LATEST",
                                  "ClientContext": _CLIENT_CONTEXT}}, separators=(",", ":"))
     + "'",
     {"Lambda": {"Payload": _PAYLOAD.encode(), "Qualifier": "$LATEST",
                 "ClientContext": _CLIENT_CONTEXT}},
     "Lambda_Example", "My Lambda Example"),
    ("arn:aws:states:us-east-2:111122223333:stateMachine:SSMTestStateMachine",
     "STEP_FUNCTIONS", """'{"StepFunctions":{"Input":"{\\"instanceId\\":\\"{{TARGET_ID}}\\"}"}}'""",
     {"StepFunctions": {"Input": '{"instanceId":"{{TARGET_ID}}"}'}},
     "Step_Functions_Example", "My Step Functions Example"),
    ("automationdocument-name", "AUTOMATION",
     "\"Automation={DocumentVersion=5,Parameters={instanceId='{{TARGET_ID}}'}}\"",
     {"Automation": {"DocumentVersion": "5", "Parameters": {"instanceId": ["{{TARGET_ID}}"]}}},
     "Name", "Description"),
    ("AWS-RunPowerShellScript", "RUN_COMMAND",
     '"RunCommand={Comment=SomeComment,DocumentHashType=Sha256,DocumentHash=' + _HASH
     + ",NotificationConfig={NotificationArn=arn:aws:sns:us-west-2:111122223333:"
     "RunCommandTopic,NotificationEvents=[Success,Failed],NotificationType=Invocation},"
     "OutputS3BucketName=MyS3Bucket,OutputS3KeyPrefix=RunCommand,ServiceRoleArn="
     "arn:aws:iam::111122223333:role/RunCommand,TimeoutSeconds=30,"
     'Parameters={commands=ipconfig}}"',
     {"RunCommand": {
         "Comment": "SomeComment", "DocumentHashType": "Sha256", "DocumentHash": _HASH,
         "NotificationConfig": {
             "NotificationArn": "arn:aws:sns:us-west-2:111122223333:RunCommandTopic",
             "NotificationEvents": ["Success", "Failed"], "NotificationType": "Invocation",
         },
         "OutputS3BucketName": "MyS3Bucket", "OutputS3KeyPrefix": "RunCommand",
         "ServiceRoleArn": "arn:aws:iam::111122223333:role/RunCommand", "TimeoutSeconds": 30,
         "Parameters": {"commands": ["ipconfig"]},
     }},
     "Run_Command_Sample", "My Run Command Sample"),
]


def _executions(run: Runner, window_id: str) -> None:
    """Steps 7 to 11: the executions, one execution, its tasks, one task, its invocations."""
    executions = run.step(
        7, f'describe-maintenance-window-executions --window-id "{window_id}"',
        "describe_maintenance_window_executions", WindowId=window_id,
    )["WindowExecutions"]
    if not executions:
        print("\n(no execution yet: steps 8 to 11 need one)")
        return
    execution_id = executions[0]["WindowExecutionId"]
    execution = run.step(
        8, f'get-maintenance-window-execution --window-execution-id "{execution_id}"',
        "get_maintenance_window_execution", WindowExecutionId=execution_id,
    )
    run.step(
        9, f'describe-maintenance-window-execution-tasks --window-execution-id "{execution_id}"',
        "describe_maintenance_window_execution_tasks", WindowExecutionId=execution_id,
    )
    task_id = execution["TaskIds"][-1]
    ids = f'--window-execution-id "{execution_id}" --task-id "{task_id}"'
    run.step(10, f"get-maintenance-window-execution-task {ids}",
             "get_maintenance_window_execution_task", WindowExecutionId=execution_id,
             TaskId=task_id)
    run.step(11, f"describe-maintenance-window-execution-task-invocations {ids}",
             "describe_maintenance_window_execution_task_invocations",
             WindowExecutionId=execution_id, TaskId=task_id)
