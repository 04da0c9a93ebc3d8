"""A weekly patch window for the prod web servers, tested without AWS.

The code under test would normally create this window with boto3 against a real account:
a Sunday 03:00 (Berlin) window that targets every instance tagged Environment=Prod, runs
AWS-RunPatchBaseline on them (half of them at a time, one failure tolerated), then reboots
each one with the AWS-RestartEC2Instance automation. Here the fake fleet has four prod web
servers and one staging server; patching fails on one prod server. After one simulated
week, the checks below are the ones a team would write about its patch window, and the
per-server report is built the way real reporting code builds it: the window's invocation
names the Run Command command, whose nodes are listed and read one by one with
``get_command_invocation``. Then Patch Manager's own view: the servers are in the patch
group ``web-prod`` whose baseline approves security patches seven days after release; each
server declares the patches it lacks, the window's Install run installs what is approved
(and fails on the broken server), a Scan after the reboots reads the fleet's compliance,
and a curl fix released too recently is approved only a week later.

Run it: ``python examples/patch_window.py`` (exits 0 and prints each check).
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path
from typing import Any

import boto3

# Runnable from a checkout without installing the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ssm_mw_stub import (
    AutomationStep,
    Invocation,
    MaintenanceWindows,
    Patch,
    TaskOutcome,
    mock_maintenance_windows,
)

PROD = ["i-0a1b2c3d4e5f60001", "i-0a1b2c3d4e5f60002", "i-0a1b2c3d4e5f60003", "i-0a1b2c3d4e5f60004"]
STAGING = "i-0a1b2c3d4e5f6000f"
BROKEN = PROD[2]  # its package manager is locked: patching fails there


def create_patch_window(ssm: Any) -> str:
    """What the code under test does: the window, its target and its two tasks."""
    window_id = ssm.create_maintenance_window(
        Name="prod-web-patching",
        Schedule="cron(0 3 ? * SUN *)",
        ScheduleTimezone="Europe/Berlin",
        Duration=3,
        Cutoff=1,
        AllowUnassociatedTargets=False,
    )["WindowId"]
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id,
        ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}],
        OwnerInformation="platform-team",
        Name="prod-servers",
    )["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id,
        Name="patch",
        TaskArn="AWS-RunPatchBaseline",
        TaskType="RUN_COMMAND",
        Priority=1,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="50%",
        MaxErrors="1",
        TaskInvocationParameters={
            "RunCommand": {
                "Parameters": {"Operation": ["Install"], "RebootOption": ["NoReboot"]},
                "Comment": "weekly patching {{WINDOW_EXECUTION_ID}}",
                "TimeoutSeconds": 3600,
            }
        },
    )
    ssm.register_task_with_maintenance_window(
        WindowId=window_id,
        Name="reboot",
        TaskArn="AWS-RestartEC2Instance",
        TaskType="AUTOMATION",
        Priority=2,
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="1",
        MaxErrors="0",
        TaskInvocationParameters={
            "Automation": {"Parameters": {"InstanceId": ["{{RESOURCE_ID}}"]}}
        },
    )
    return str(window_id)


def create_baseline(ssm: Any) -> str:
    """The web servers' patch baseline: security patches, a week after release."""
    baseline_id = ssm.create_patch_baseline(
        Name="web-prod", OperatingSystem="AMAZON_LINUX_2023",
        ApprovalRules={"PatchRules": [{
            "PatchFilterGroup": {"PatchFilters": [
                {"Key": "CLASSIFICATION", "Values": ["Security"]}]},
            "ApproveAfterDays": 7, "ComplianceLevel": "CRITICAL"}]},
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup="web-prod")
    return str(baseline_id)


#: What every web server lacks: an openssl fix from 13 days before the window, and a curl
#: fix released three days before it (not approved until a week after its release).
OPENSSL = Patch("openssl-3.0.8-1.amzn2023", released="2026-11-16", classification="Security",
                severity="Critical", cve_ids=("CVE-2026-0001",))
CURL = Patch("curl-8.5.0-1.amzn2023", released="2026-11-26", classification="Security",
             severity="Important")


def scan(ssm: Any, mw: MaintenanceWindows) -> None:
    """What a team's compliance job does: Scan the fleet now (AWS-RunPatchBaseline)."""
    ssm.send_command(Targets=[{"Key": "tag:Patch Group", "Values": ["web-prod"]}],
                     DocumentName="AWS-RunPatchBaseline", Parameters={"Operation": ["Scan"]})
    mw.advance(timedelta(minutes=15))  # the nodes take as long as ``patch`` says


def compliance(ssm: Any) -> dict[str, str]:
    """Each server's Patch compliance, as ListResourceComplianceSummaries reports it."""
    items = ssm.list_resource_compliance_summaries(
        Filters=[{"Key": "ComplianceType", "Values": ["Patch"], "Type": "EQUAL"}]
    )["ResourceComplianceSummaryItems"]
    return {item["ResourceId"]: item["Status"] for item in items}


LOCKED = "E: Could not get lock /var/lib/dpkg/lock-frontend\n"


def patch(inv: Invocation) -> TaskOutcome:
    """How Run Command fares on each node (called once per node)."""
    if inv.instance_id == BROKEN:
        return TaskOutcome("FAILED", duration=timedelta(minutes=12), output="dpkg lock held",
                           stdout="Scanning for updates\n", stderr=LOCKED, response_code=100)
    return TaskOutcome("SUCCESS", duration=timedelta(minutes=8),
                       stdout="Installed 12 updates\n")


def patch_report(ssm: Any, command_id: str) -> dict[str, dict[str, Any]]:
    """Each server's patching result, read through Run Command's own API as a team's
    reporting code reads it. AWS-RunPatchBaseline has a step per platform, so the Linux
    step is named."""
    report = {}
    pages = ssm.get_paginator("list_command_invocations").paginate(CommandId=command_id)
    for page in pages:
        for node in page["CommandInvocations"]:
            result = ssm.get_command_invocation(
                CommandId=command_id, InstanceId=node["InstanceId"], PluginName="PatchLinux"
            )
            report[node["InstanceId"]] = {
                "status": result["Status"],
                "exit": result["ResponseCode"],
                "stdout": result["StandardOutputContent"],
                "stderr": result["StandardErrorContent"],
                "took": result["ExecutionElapsedTime"],
            }
    return report


def reboot(inv: Invocation) -> TaskOutcome:
    """Each reboot automation takes two minutes: the runbook stops the instance, then
    starts it again (its two steps, as AWS-RestartEC2Instance runs them)."""
    instance = inv.parameters["Parameters"]["InstanceId"][0]
    return TaskOutcome(
        "Success",
        steps=[
            AutomationStep("stopInstances", "aws:changeInstanceState",
                           duration=timedelta(minutes=1),
                           inputs={"InstanceIds": json.dumps([instance]),
                                   "DesiredState": '"stopped"'},
                           outputs={"InstanceStates": ["stopped"]}),
            AutomationStep("startInstances", "aws:changeInstanceState",
                           duration=timedelta(minutes=1),
                           inputs={"InstanceIds": json.dumps([instance]),
                                   "DesiredState": '"running"'},
                           outputs={"InstanceStates": ["running"]}),
        ],
    )


def prepare(mw: MaintenanceWindows) -> None:
    """The fake fleet (four prod web servers, one staging server) and the tasks' outcomes."""
    for n, instance_id in enumerate(PROD, 1):
        mw.add_instance(instance_id, tags={"Environment": "Prod", "Role": "Web",
                                           "Patch Group": "web-prod"},
                        computer_name=f"web-{n}", patches=[OPENSSL, CURL])
    mw.add_instance(STAGING, tags={"Environment": "Staging", "Role": "Web"})
    mw.on_task("AWS-RunPatchBaseline", patch)
    mw.on_task("AWS-RestartEC2Instance", reboot)


checks = 0


def check(description: str, condition: bool) -> None:
    global checks
    if not condition:
        print(f"FAILED: {description}")
        raise SystemExit(1)
    checks += 1
    print(f"ok {checks:2d} - {description}")


def main() -> None:
    # Monday 2026-11-23, 09:00 UTC: the first window is Sunday 2026-11-29, 03:00 in Berlin.
    with mock_maintenance_windows(start="2026-11-23T09:00:00Z") as mw:
        ssm = boto3.client("ssm", region_name="eu-central-1")
        prepare(mw)

        window_id = create_patch_window(ssm)
        baseline_id = create_baseline(ssm)
        mw.advance(timedelta(days=7))

        sunday = datetime(2026, 11, 29, 2, 0, tzinfo=timezone.utc)  # 03:00 CET
        executions = ssm.describe_maintenance_window_executions(WindowId=window_id)[
            "WindowExecutions"
        ]
        check("the window ran once in the week", len(executions) == 1)
        execution = executions[0]
        execution_id = execution["WindowExecutionId"]
        check("it started Sunday 03:00 Berlin time", execution["StartTime"] == sunday)
        check("it failed because a task failed", execution["Status"] == "FAILED")
        check(
            "with the orchestration failure details",
            execution["StatusDetails"] == "One or more tasks in the orchestration failed.",
        )

        tasks = ssm.describe_maintenance_window_execution_tasks(WindowExecutionId=execution_id)[
            "WindowExecutionTaskIdentities"
        ]
        by_arn = {t["TaskArn"]: t for t in tasks}
        patch_task, reboot_task = by_arn["AWS-RunPatchBaseline"], by_arn["AWS-RestartEC2Instance"]
        check("patching failed", patch_task["Status"] == "FAILED")
        check("the reboots ran anyway and succeeded", reboot_task["Status"] == "SUCCESS")
        check(
            "reboots began only after patching had finished",
            reboot_task["StartTime"] == patch_task["EndTime"],
        )

        [command] = ssm.describe_maintenance_window_execution_task_invocations(
            WindowExecutionId=execution_id, TaskId=patch_task["TaskExecutionId"]
        )["WindowExecutionTaskInvocationIdentities"]
        sent = json.loads(command["Parameters"])
        check("one Run Command covered the prod servers", sent["instanceIds"] == PROD)
        check("the staging server was not patched", STAGING not in sent["instanceIds"])
        check(
            "the command carried the patch parameters",
            sent["parameters"] == {"Operation": ["Install"], "RebootOption": ["NoReboot"]},
        )
        check(
            "the comment names this execution",
            sent["comment"] == f"weekly patching {execution_id}",
        )
        check("the command is attributed to the platform team",
              command["OwnerInformation"] == "platform-team")
        # Two nodes at a time (50% of 4): 8 min and 12 min (the broken one), then 8 + 8.
        check(
            "patching took 20 minutes with two nodes at a time",
            command["EndTime"] - command["StartTime"] == timedelta(minutes=20),
        )

        # The per-server report, from the command the window's invocation names.
        [patched] = ssm.list_commands(CommandId=command["ExecutionId"])["Commands"]
        check("Run Command knows the window's command and its four nodes",
              (patched["TargetCount"], patched["CompletedCount"]) == (4, 4))
        check("one failure is within MaxErrors: the command is Incomplete",
              (patched["Status"], patched["StatusDetails"]) == ("Failed", "Incomplete"))
        report = patch_report(ssm, command["ExecutionId"])
        check("the report covers every prod server", list(report) == PROD)
        healthy = [report[server] for server in PROD if server != BROKEN]
        check("three servers installed their updates",
              all(r["status"] == "Success" and r["stdout"] == "Installed 12 updates\n"
                  for r in healthy))
        check("the broken server failed with apt's exit code",
              (report[BROKEN]["status"], report[BROKEN]["exit"]) == ("Failed", 100))
        check("and its stderr says why",
              report[BROKEN]["stderr"].startswith("E: Could not get lock"))
        check("the broken server worked 12 minutes", report[BROKEN]["took"] == "PT12M")
        for server, result in report.items():
            print(f"   {server}: {result['status']} (exit {result['exit']}, {result['took']})")

        reboots = ssm.describe_maintenance_window_execution_task_invocations(
            WindowExecutionId=execution_id, TaskId=reboot_task["TaskExecutionId"]
        )["WindowExecutionTaskInvocationIdentities"]
        rebooted = [json.loads(r["Parameters"])["parameters"]["InstanceId"][0] for r in reboots]
        check("every prod server was rebooted, one at a time", rebooted == PROD)
        check(
            "the reboots ran back to back",
            all(b["StartTime"] == a["EndTime"] for a, b in pairwise(reboots)),
        )
        # Each reboot is an Automation execution: its id is the invocation's ExecutionId.
        runbooks = [
            ssm.get_automation_execution(AutomationExecutionId=r["ExecutionId"])[
                "AutomationExecution"
            ]
            for r in reboots
        ]
        check(
            "every reboot runbook succeeded",
            all(rb["AutomationExecutionStatus"] == "Success" for rb in runbooks),
        )
        check(
            "each runbook restarted its own server",
            [rb["Parameters"]["InstanceId"] for rb in runbooks] == [[i] for i in PROD],
        )
        check(
            "each runbook stopped, then started its server",
            all(
                [(s["StepName"], s["Outputs"]["InstanceStates"]) for s in rb["StepExecutions"]]
                == [("stopInstances", ["stopped"]), ("startInstances", ["running"])]
                for rb in runbooks
            ),
        )
        check(
            "the runbooks ran as the window's service role",
            {rb["ExecutedBy"] for rb in runbooks}
            == {"arn:aws:sts::123456789012:assumed-role/AWSServiceRoleForAmazonSSM/"
                "OrchestrationService"},
        )
        check(
            "the window finished 28 minutes after it started",
            execution["EndTime"] - execution["StartTime"] == timedelta(minutes=28),
        )

        failures = [
            e for e in mw.events
            if e["detail-type"] == "Maintenance Window Task Execution State-change Notification"
            and e["detail"]["status"] == "FAILED"
        ]
        check("EventBridge saw the failed patch task", len(failures) == 1)
        check(
            "the next run is the following Sunday",
            ssm.get_maintenance_window(WindowId=window_id)["NextExecutionTime"]
            == "2026-12-06T03:00+01:00",
        )
        patch_manager(ssm, mw, baseline_id)
    print(f"all {checks} checks passed")


def patch_manager(ssm: Any, mw: MaintenanceWindows, baseline_id: str) -> None:
    """Patch Manager's view of the same week, and of the next one."""
    states = {s["InstanceId"]: s for s in ssm.describe_instance_patch_states(
        InstanceIds=PROD)["InstancePatchStates"]}
    check("every prod server was patched with the web-prod baseline",
          {s["BaselineId"] for s in states.values()} == {baseline_id})
    healthy = [server for server in PROD if server != BROKEN]
    check("openssl is installed on three servers, waiting for their reboot (NoReboot)",
          all(states[s]["InstalledPendingRebootCount"] == 1 for s in healthy))
    check("and failed on the broken one",
          (states[BROKEN]["FailedCount"], states[BROKEN]["CriticalNonCompliantCount"]) == (1, 1))
    check("curl, released three days before, was not approved yet",
          all(states[s]["MissingCount"] == 0 for s in healthy))
    scan(ssm, mw)  # Monday, after the reboots
    check("after the reboots three servers are compliant, the broken one is not",
          compliance(ssm) == {**dict.fromkeys(healthy, "COMPLIANT"), BROKEN: "NON_COMPLIANT"})
    print("   patch report (DescribeInstancePatches):")
    for server in PROD:
        patches = ssm.describe_instance_patches(InstanceId=server)["Patches"]
        print(f"   {server}: " + ", ".join(f"{p['KBId']} {p['State'].lower()}" for p in patches))
    mw.advance(timedelta(days=7))  # the next Sunday's window: curl is a week old by then
    [state] = ssm.describe_instance_patch_states(InstanceIds=[PROD[0]])["InstancePatchStates"]
    check("a week later the window installs curl too",
          (state["Operation"], state["InstalledPendingRebootCount"]) == ("Install", 1))
    group = ssm.describe_patch_group_state(PatchGroup="web-prod")
    check("the patch group's state counts the broken server's failure",
          (group["Instances"], group["InstancesWithFailedPatches"]) == (4, 1))


if __name__ == "__main__":
    main()
