"""StartAutomationExecution and the Automation read and stop operations, through boto3."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import (
    AutomationStep,
    Invocation,
    MaintenanceWindows,
    TaskHandlerError,
    TaskOutcome,
)

from ..helpers import START, automation_ids, automation_of

ROOT = "arn:aws:iam::123456789012:root"


def start(ssm: Any, **params: Any) -> str:
    params.setdefault("DocumentName", "AWS-StopEC2Instance")
    return str(ssm.start_automation_execution(**params)["AutomationExecutionId"])


def code(excinfo: pytest.ExceptionInfo[ClientError]) -> str:
    return str(excinfo.value.response["Error"]["Code"])


# --- starting ----------------------------------------------------------------------------


def test_a_plain_execution_without_a_handler_succeeds_at_once(ssm: Any) -> None:
    execution_id = start(ssm, Parameters={"InstanceId": ["i-0123456789abcdef0"]})
    execution = automation_of(ssm, execution_id)
    assert execution == {
        "AutomationExecutionId": execution_id,
        "DocumentName": "AWS-StopEC2Instance",
        "DocumentVersion": "1",
        "ExecutionStartTime": START,
        "ExecutionEndTime": START,
        "AutomationExecutionStatus": "Success",
        "StepExecutions": execution["StepExecutions"],
        "StepExecutionsTruncated": False,
        "Parameters": {"InstanceId": ["i-0123456789abcdef0"]},
        "Outputs": {},
        "Mode": "Auto",
        "ExecutedBy": ROOT,
        "Targets": [],
        "ResolvedTargets": {"ParameterValues": [], "Truncated": False},
    }


def test_the_document_handler_decides_on_the_same_clock(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    seen: list[Invocation] = []

    def runbook(inv: Invocation) -> TaskOutcome:
        seen.append(inv)
        return TaskOutcome("Success", duration=timedelta(minutes=10),
                           outputs={"stop.State": ["stopped"]})

    mw.on_task("Team-Runbook", runbook)
    execution_id = start(ssm, DocumentName="Team-Runbook", DocumentVersion="$LATEST",
                         Parameters={"Env": ["prod"]})
    assert seen == [
        Invocation(
            window_id=None, window_execution_id=None, window_task_id=None,
            task_execution_id=None, invocation_id=None, window_target_id=None, target_id=None,
            task_arn="Team-Runbook",
            task_type="AUTOMATION", owner_information=None, start_time=START,
            parameters={"Parameters": {"Env": ["prod"]}, "DocumentVersion": "$LATEST"},
            automation_execution_id=execution_id,
        )
    ]
    assert automation_of(ssm, execution_id)["AutomationExecutionStatus"] == "InProgress"
    mw.advance(timedelta(minutes=10))
    done = automation_of(ssm, execution_id)
    assert done["AutomationExecutionStatus"] == "Success"
    assert done["ExecutionEndTime"] == START + timedelta(minutes=10)
    assert done["Outputs"] == {"stop.State": ["stopped"]}
    assert done["DocumentVersion"] == "1"


def test_the_automation_type_handler_answers_every_runbook_without_its_own(
    mw: MaintenanceWindows, ssm: Any
) -> None:
    mw.on_task("AUTOMATION", lambda inv: TaskOutcome("FAILED", failure_message="by type"))
    mw.on_task("Special", lambda inv: TaskOutcome("SUCCESS"))
    generic, special = start(ssm, DocumentName="Generic"), start(ssm, DocumentName="Special")
    assert automation_of(ssm, generic)["FailureMessage"] == "by type"
    assert automation_of(ssm, special)["AutomationExecutionStatus"] == "Success"


def test_a_shared_runbook_is_named_by_its_arn(ssm: Any) -> None:
    execution_id = start(
        ssm, DocumentName="arn:aws:ssm:us-east-1:210987654321:document/Shared-Runbook",
        DocumentVersion="2",
    )
    assert (
        automation_of(ssm, execution_id)["DocumentName"],
        automation_of(ssm, execution_id)["DocumentVersion"],
    ) == (
        "Shared-Runbook", "2"
    )


def test_a_name_no_runbook_can_have_is_not_found(ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.AutomationDefinitionNotFoundException):
        start(ssm, DocumentName="team:runbook")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"Targets": [{"Key": "ParameterValues", "Values": ["i-1"]}]},
         "TargetParameterName is required if you specify Targets."),
        ({"TargetParameterName": "InstanceId"},
         "Targets are required if you specify TargetParameterName."),
        ({"TargetParameterName": "InstanceId",
          "Targets": [{"Key": "ParameterValues", "Values": ["i-1"]}],
          "TargetMaps": [{"InstanceId": ["i-2"]}]},
         "Both Targets and TargetMaps can't be specified together."),
        ({"MaxConcurrency": "2"}, "MaxConcurrency and MaxErrors apply only"),
        ({"TargetParameterName": "InstanceId",
          "Targets": [{"Key": "InstanceIds", "Values": ["i"]}]},
         "Target key can have only following values : ParameterValues, ResourceGroup"),
        ({"TargetParameterName": "InstanceId",
          "Targets": [{"Key": "ResourceGroup", "Values": ["a", "b"]}]},
         "Only one resource group or tag can be specified at a time"),
    ],
)
def test_rate_control_rules(ssm: Any, params: dict[str, Any], message: str) -> None:
    with pytest.raises(ssm.exceptions.InvalidAutomationExecutionParametersException) as excinfo:
        start(ssm, **params)
    assert message in excinfo.value.response["Error"]["Message"]


def test_reserved_tag_keys_are_refused(ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        start(ssm, Tags=[{"Key": "aws:team", "Value": "x"}])
    assert code(excinfo) == "ValidationException"


def test_the_model_constraints_hold(raw_ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        raw_ssm.start_automation_execution(DocumentName="AWS-StopEC2Instance", Mode="Manual")
    assert code(excinfo) == "ValidationException"
    assert "at 'mode' failed to satisfy constraint" in excinfo.value.response["Error"]["Message"]


def test_a_client_token_starts_one_execution(ssm: Any) -> None:
    token = "4a8e6c1f-0d3b-4f6a-9c2e-7b5d1a3f8e60"
    first = start(ssm, ClientToken=token, Parameters={"InstanceId": ["i-1"]})
    again = start(ssm, ClientToken=token.upper(), Parameters={"InstanceId": ["i-1"]})
    assert again == first  # "case insensitive"
    with pytest.raises(ssm.exceptions.IdempotentParameterMismatch):
        start(ssm, ClientToken=token, Parameters={"InstanceId": ["i-2"]})
    assert automation_ids(ssm) == [first]


def test_a_handler_error_raises_out_of_the_call(mw: MaintenanceWindows, ssm: Any) -> None:
    def broken(inv: Invocation) -> TaskOutcome:
        raise RuntimeError("boom")

    mw.on_task("Broken", broken)
    with pytest.raises(TaskHandlerError, match=r"Automation document Broken .* raised"):
        start(ssm, DocumentName="Broken")
    [execution_id] = automation_ids(ssm)
    assert automation_of(ssm, execution_id)["AutomationExecutionStatus"] == "Failed"
    mw.advance(timedelta(minutes=1))  # the mock carries on


def test_a_window_handler_can_start_an_automation_on_the_same_clock(
    mw: MaintenanceWindows, ssm: Any, make_window: Any
) -> None:
    window_id = make_window(Schedule="cron(0 2 * * ? *)")
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="SSMFunction", TaskType="LAMBDA"
    )
    started: list[str] = []

    def function(inv: Invocation) -> TaskOutcome:
        started.append(start(ssm, DocumentName="Follow-Up"))
        return TaskOutcome("SUCCESS")

    mw.on_task("SSMFunction", function)
    mw.on_task("Follow-Up", lambda inv: TaskOutcome("Success", duration=timedelta(hours=1)))
    mw.advance(timedelta(hours=2))
    [execution_id] = started
    assert automation_of(ssm, execution_id)["ExecutionStartTime"] == START + timedelta(hours=2)
    mw.advance(timedelta(hours=1))
    assert automation_of(ssm, execution_id)["ExecutionEndTime"] == START + timedelta(hours=3)


# --- reading -----------------------------------------------------------------------------


def test_unknown_ids_are_not_found(ssm: Any) -> None:
    unknown = "11111111-2222-4333-8444-555555555555"
    for call in (ssm.get_automation_execution, ssm.describe_automation_step_executions,
                 ssm.stop_automation_execution):
        with pytest.raises(ssm.exceptions.AutomationExecutionNotFoundException) as excinfo:
            call(AutomationExecutionId=unknown)
        assert excinfo.value.response["Error"]["Message"] == (
            "There is no automation execution information for the requested automation "
            "execution ID."
        )


def test_executions_list_newest_first_and_page(mw: MaintenanceWindows, ssm: Any) -> None:
    made = []
    for n in range(7):
        made.append(start(ssm, DocumentName=f"Runbook-{n}"))
        mw.advance(timedelta(minutes=1))
    first = ssm.describe_automation_executions(MaxResults=3)
    assert [e["AutomationExecutionId"] for e in first["AutomationExecutionMetadataList"]] == (
        made[::-1][:3]
    )
    assert automation_ids(ssm, PaginationConfig={"PageSize": 3}) == made[::-1]
    with pytest.raises(ssm.exceptions.InvalidNextToken):
        ssm.describe_automation_executions(NextToken="not-a-token")


def test_filters(mw: MaintenanceWindows, ssm: Any) -> None:
    mw.on_task("Team-Slow", lambda inv: TaskOutcome("Success", duration=timedelta(hours=1)))
    mw.on_task("Team-Failing", lambda inv: TaskOutcome("Failed"))
    early = start(ssm, DocumentName="AWS-StopEC2Instance", Tags=[{"Key": "Team", "Value": "a"}])
    mw.advance(timedelta(minutes=30))
    slow = start(ssm, DocumentName="Team-Slow")
    failing = start(ssm, DocumentName="Team-Failing")

    def only(key: str, *values: str) -> list[str]:
        return automation_ids(ssm, Filters=[{"Key": key, "Values": list(values)}])

    assert only("DocumentNamePrefix", "Team-") == [failing, slow]
    assert only("DocumentNamePrefix", "AWS-", "Team-F") == [failing, early]
    assert only("ExecutionStatus", "InProgress") == [slow]
    assert only("ExecutionStatus", "Failed", "Success") == [failing, early]
    assert only("ExecutionId", early) == [early]
    assert only("ExecutionId", "11111111-2222-4333-8444-555555555555") == []
    assert only("CurrentAction", "aws:executeScript") == [slow]
    assert only("StartTimeAfter", "2026-11-24T00:30:00Z") == [failing, slow]
    assert only("StartTimeBefore", "2026-11-24T00:29:59Z") == [early]
    assert only("AutomationType", "Local") == [failing, slow, early]
    assert only("AutomationType", "CrossAccount") == []
    assert only("TagKey", "Team") == [early]
    assert only("ParentExecutionId", early) == []
    assert only("AutomationSubtype", "ChangeRequest") == []
    both = automation_ids(ssm, Filters=[
        {"Key": "DocumentNamePrefix", "Values": ["Team-"]},
        {"Key": "ExecutionStatus", "Values": ["InProgress"]},
    ])
    assert both == [slow]


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("ExecutionStatus", "SUCCESS"),
        ("StartTimeBefore", "yesterday"),
        ("AutomationType", "Remote"),
        ("AutomationSubtype", "Other"),
    ],
)
def test_bad_filter_values(ssm: Any, key: str, value: str) -> None:
    with pytest.raises(ssm.exceptions.InvalidFilterValue):
        ssm.describe_automation_executions(Filters=[{"Key": key, "Values": [value]}])


def test_an_unknown_filter_key_is_a_validation_error(raw_ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        raw_ssm.describe_automation_executions(Filters=[{"Key": "Bogus", "Values": ["x"]}])
    assert code(excinfo) == "ValidationException"


def test_step_executions(mw: MaintenanceWindows, ssm: Any) -> None:
    mw.on_task("Three-Steps", lambda inv: TaskOutcome("Failed", steps=[
        AutomationStep("prepare", duration=timedelta(minutes=1)),
        AutomationStep("apply", "aws:runCommand", status="Failed",
                       duration=timedelta(minutes=2), failure_message="exit 1"),
        AutomationStep("report", status="Pending"),
    ]))
    execution_id = start(ssm, DocumentName="Three-Steps")
    mw.advance(timedelta(minutes=5))

    def steps(**params: Any) -> list[dict[str, Any]]:
        pages = ssm.get_paginator("describe_automation_step_executions").paginate(
            AutomationExecutionId=execution_id, **params
        )
        return [step for page in pages for step in page["StepExecutions"]]

    every = steps()
    assert [s["StepName"] for s in every] == ["prepare", "apply", "report"]
    assert every[1]["FailureMessage"] == "exit 1"
    assert every == automation_of(ssm, execution_id)["StepExecutions"]
    assert [s["StepName"] for s in steps(ReverseOrder=True)] == ["report", "apply", "prepare"]
    assert [s["StepName"] for s in steps(PaginationConfig={"PageSize": 1})] == [
        "prepare", "apply", "report"
    ]

    def named(key: str, *values: str) -> list[str]:
        return [s["StepName"] for s in steps(Filters=[{"Key": key, "Values": list(values)}])]

    assert named("StepExecutionStatus", "Failed") == ["apply"]
    assert named("StepName", "report", "prepare") == ["prepare", "report"]
    assert named("Action", "aws:runCommand") == ["apply"]
    assert named("StepExecutionId", every[0]["StepExecutionId"]) == ["prepare"]
    assert named("StartTimeAfter", "2026-11-24T00:01:00Z") == ["apply"]
    assert named("StartTimeBefore", "2026-11-24T00:00:00Z") == ["prepare"]
    assert named("ParentStepExecutionId", every[0]["StepExecutionId"]) == []
    with pytest.raises(ssm.exceptions.InvalidFilterValue):
        named("StepExecutionStatus", "Done")
    with pytest.raises(ssm.exceptions.InvalidFilterValue):
        named("ParentStepIteration", "first")


# --- stopping ----------------------------------------------------------------------------


def test_stop_cancels_a_running_execution(mw: MaintenanceWindows, ssm: Any) -> None:
    mw.on_task("Slow", lambda inv: TaskOutcome("Success", duration=timedelta(hours=1),
                                               outputs={"wait.Out": ["x"]}))
    execution_id = start(ssm, DocumentName="Slow")
    mw.advance(timedelta(minutes=20))
    assert ssm.stop_automation_execution(AutomationExecutionId=execution_id)[
        "ResponseMetadata"]["HTTPStatusCode"] == 200
    cancelling = automation_of(ssm, execution_id)
    assert cancelling["AutomationExecutionStatus"] == "Cancelling"
    # A second stop while it is stopping changes nothing.
    ssm.stop_automation_execution(AutomationExecutionId=execution_id, Type="Cancel")
    mw.advance(timedelta(hours=2))
    cancelled = automation_of(ssm, execution_id)
    assert cancelled["AutomationExecutionStatus"] == "Cancelled"
    assert cancelled["ExecutionEndTime"] == START + timedelta(minutes=20)
    # The outputs never became available.
    assert cancelled["Outputs"] == {
        "wait.Out": ["No output available yet because the step is not successfully executed"]
    }
    with pytest.raises(ssm.exceptions.InvalidAutomationStatusUpdateException):
        ssm.stop_automation_execution(AutomationExecutionId=execution_id)


def test_stop_complete_stops_too(mw: MaintenanceWindows, ssm: Any) -> None:
    mw.on_task("Slow", lambda inv: TaskOutcome("Success", duration=timedelta(hours=1)))
    execution_id = start(ssm, DocumentName="Slow")
    ssm.stop_automation_execution(AutomationExecutionId=execution_id, Type="Complete")
    mw.advance(timedelta(0))
    assert automation_of(ssm, execution_id)["AutomationExecutionStatus"] == "Cancelled"


def test_stopping_a_finished_execution_is_refused(ssm: Any) -> None:
    execution_id = start(ssm)
    with pytest.raises(ssm.exceptions.InvalidAutomationStatusUpdateException) as excinfo:
        ssm.stop_automation_execution(AutomationExecutionId=execution_id)
    assert excinfo.value.response["Error"]["Message"].startswith(
        "The specified update status operation isn't valid"
    )


def test_a_handler_may_stop_its_own_execution(mw: MaintenanceWindows, ssm: Any) -> None:
    def stop_self(inv: Invocation) -> TaskOutcome:
        ssm.stop_automation_execution(AutomationExecutionId=inv.automation_execution_id)
        return TaskOutcome("Success", duration=timedelta(hours=1))

    mw.on_task("Self-Stopping", stop_self)
    execution_id = start(ssm, DocumentName="Self-Stopping")
    mw.advance(timedelta(minutes=1))
    execution = automation_of(ssm, execution_id)
    assert execution["AutomationExecutionStatus"] == "Cancelled"
    assert execution["ExecutionEndTime"] == START


# --- tags ---------------------------------------------------------------------------------


def test_automation_executions_are_tagged_by_their_id(
    mw: MaintenanceWindows, ssm: Any, make_window: Any
) -> None:
    tagged = start(ssm, Tags=[{"Key": "Team", "Value": "a"}])
    window_id = make_window(Schedule="cron(0 2 * * ? *)")
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RestartEC2Instance", TaskType="AUTOMATION"
    )
    mw.advance(timedelta(hours=3))
    [from_window, _] = automation_ids(ssm)

    def tags(execution_id: str) -> dict[str, str]:
        found = ssm.list_tags_for_resource(ResourceType="Automation", ResourceId=execution_id)
        return {tag["Key"]: tag["Value"] for tag in found["TagList"]}

    assert tags(tagged) == {"Team": "a"}
    assert tags(from_window) == {}
    ssm.add_tags_to_resource(ResourceType="Automation", ResourceId=from_window,
                             Tags=[{"Key": "Team", "Value": "b"}, {"Key": "Tier", "Value": "1"}])
    ssm.remove_tags_from_resource(ResourceType="Automation", ResourceId=from_window,
                                  TagKeys=["Tier"])
    assert tags(from_window) == {"Team": "b"}
    assert automation_of(ssm, from_window)["AutomationExecutionStatus"] == "Success"
    assert automation_ids(ssm, Filters=[{"Key": "TagKey", "Values": ["Team"]}]) == [
        from_window, tagged
    ]
    with pytest.raises(ssm.exceptions.InvalidResourceId):
        tags("11111111-2222-4333-8444-555555555555")
    with pytest.raises(ssm.exceptions.TooManyTagsError) as excinfo:
        ssm.add_tags_to_resource(
            ResourceType="Automation", ResourceId=tagged,
            Tags=[{"Key": f"k{n}", "Value": "v"} for n in range(50)],
        )
    assert excinfo.value.response["Error"]["Message"] == (
        "The automation execution cannot have more than 50 tags."
    )


def test_what_is_not_modelled_is_still_echoed(ssm: Any) -> None:
    alarms = {"IgnorePollAlarmFailure": True, "Alarms": [{"Name": "cpu-high"}]}
    locations = [{"Accounts": ["210987654321"], "Regions": ["eu-west-1"]}]
    execution_id = start(ssm, Mode="Interactive", AlarmConfiguration=alarms,
                         TargetLocations=locations)
    execution = automation_of(ssm, execution_id)
    assert execution["Mode"] == "Interactive"  # but its steps do not wait for signals
    assert execution["AlarmConfiguration"] == alarms
    assert execution["TargetLocations"] == locations
    assert execution["AutomationExecutionStatus"] == "Success"
