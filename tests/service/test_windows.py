"""Window operations through boto3: create, get, update, delete, describe, quotas, tokens."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from ssm_mw_stub import MaintenanceWindows

from ..helpers import START


def error_of(excinfo: pytest.ExceptionInfo[ClientError]) -> tuple[str, str]:
    error = excinfo.value.response["Error"]
    return error["Code"], error["Message"]


def test_create_then_get_returns_what_was_set_and_omits_the_rest(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window()
    assert window_id.startswith("mw-")
    assert len(window_id) == 20
    got = ssm.get_maintenance_window(WindowId=window_id)
    got.pop("ResponseMetadata")
    assert got == {
        "WindowId": window_id,
        "Name": "patch-window",
        "Schedule": "cron(0 16 ? * TUE *)",
        "NextExecutionTime": "2026-11-24T16:00Z",
        "Duration": 4,
        "Cutoff": 1,
        "AllowUnassociatedTargets": True,
        "Enabled": True,
        "CreatedDate": START,
        "ModifiedDate": START,
    }


def test_optional_members_are_echoed_exactly_as_sent(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window(
        Description="Patch Tuesday",
        StartDate="2026-12-01T00:00:00Z",
        EndDate="2027-12-01T00:00:00-08:00",
        ScheduleTimezone="America/Los_Angeles",
        ScheduleOffset=2,
    )
    got = ssm.get_maintenance_window(WindowId=window_id)
    assert got["Description"] == "Patch Tuesday"
    assert got["StartDate"] == "2026-12-01T00:00:00Z"
    assert got["EndDate"] == "2027-12-01T00:00:00-08:00"
    assert got["ScheduleTimezone"] == "America/Los_Angeles"
    assert got["ScheduleOffset"] == 2
    # First Tuesday after StartDate is Dec 1 (16:00 LA), postponed by two days.
    assert got["NextExecutionTime"] == "2026-12-03T16:00-08:00"


def test_timestamps_are_datetimes_from_the_fake_clock(
    ssm: Any, mw: MaintenanceWindows, make_window: Callable[..., str]
) -> None:
    window_id = make_window()
    mw.advance(timedelta(hours=5, milliseconds=250))
    ssm.update_maintenance_window(WindowId=window_id, Description="later")
    got = ssm.get_maintenance_window(WindowId=window_id)
    assert got["CreatedDate"] == START
    assert got["ModifiedDate"] == START + timedelta(hours=5, milliseconds=250)


def test_update_without_replace_changes_only_what_is_sent(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window(Description="keep me", ScheduleTimezone="Europe/Paris")
    updated = ssm.update_maintenance_window(WindowId=window_id, Name="renamed", Duration=6)
    updated.pop("ResponseMetadata")
    assert updated == {
        "WindowId": window_id,
        "Name": "renamed",
        "Description": "keep me",
        "Schedule": "cron(0 16 ? * TUE *)",
        "ScheduleTimezone": "Europe/Paris",
        "Duration": 6,
        "Cutoff": 1,
        "AllowUnassociatedTargets": True,
        "Enabled": True,
    }


def test_update_with_replace_clears_optional_members(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window(
        Description="gone soon", StartDate="2026-12-01T00:00:00Z", ScheduleTimezone="UTC"
    )
    ssm.update_maintenance_window(
        WindowId=window_id,
        Name="replaced",
        Schedule="rate(1 day)",
        Duration=3,
        Cutoff=0,
        AllowUnassociatedTargets=False,
        Replace=True,
    )
    got = ssm.get_maintenance_window(WindowId=window_id)
    for member in ("Description", "StartDate", "ScheduleTimezone", "EndDate", "ScheduleOffset"):
        assert member not in got
    assert (got["Name"], got["Schedule"], got["Duration"], got["Cutoff"]) == (
        "replaced", "rate(1 day)", 3, 0,
    )


def test_update_with_replace_requires_the_create_members(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window()
    with pytest.raises(ClientError) as excinfo:
        ssm.update_maintenance_window(WindowId=window_id, Name="only-name", Replace=True)
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert message.startswith("4 validation errors detected: Value null at 'schedule'")
    assert "Value null at 'allowUnassociatedTargets'" in message


def test_disabling_a_window_hides_its_next_execution_and_emits_an_event(
    ssm: Any, mw: MaintenanceWindows, make_window: Callable[..., str]
) -> None:
    window_id = make_window()
    ssm.update_maintenance_window(WindowId=window_id, Enabled=False)
    got = ssm.get_maintenance_window(WindowId=window_id)
    assert got["Enabled"] is False
    assert "NextExecutionTime" not in got
    ssm.update_maintenance_window(WindowId=window_id, Enabled=True)
    assert ssm.get_maintenance_window(WindowId=window_id)["NextExecutionTime"]
    kind = "Maintenance Window State-change Notification"
    states = [e for e in mw.events if e["detail-type"] == kind]
    assert [e["detail"] for e in states] == [
        {"window-id": window_id, "status": "DISABLED"},
        {"window-id": window_id, "status": "ENABLED"},
    ]
    assert states[0]["resources"] == [
        f"arn:aws:ssm:us-east-1:123456789012:maintenancewindow/{window_id}"
    ]
    assert states[0]["source"] == "aws.ssm"


def test_cutoff_must_be_smaller_than_duration(ssm: Any, make_window: Callable[..., str]) -> None:
    make_window(Duration=2, Cutoff=1)  # Duration - 1 is allowed
    with pytest.raises(ClientError) as excinfo:
        make_window(Duration=6, Cutoff=12)
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    # The newest real output (aws/aws-cli#9793, 2025) prints two spaces before the minus.
    assert message == "Cuttoff was 12 but must be smaller than 5 (Duration  - 1 )"
    window_id = make_window(Duration=3, Cutoff=2)
    with pytest.raises(ClientError) as excinfo:
        ssm.update_maintenance_window(WindowId=window_id, Duration=2)
    assert error_of(excinfo)[1].startswith("Cuttoff was 2 but must be smaller than 1 (Duration")


def test_empty_start_date_is_refused_with_aws_wording(make_window: Callable[..., str]) -> None:
    with pytest.raises(ClientError) as excinfo:
        make_window(StartDate="")
    assert error_of(excinfo) == (
        "ValidationException",
        "1 validation error detected: Value '' at 'startDate' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1",
    )


def test_unknown_window_is_a_modeled_does_not_exist_error(ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.DoesNotExistException) as excinfo:
        ssm.get_maintenance_window(WindowId="mw-0123456789abcdef0")
    response = excinfo.value.response
    assert response["Error"] == {
        "Code": "DoesNotExistException",
        "Message": "Maintenance window mw-0123456789abcdef0 does not exist",
    }
    # botocore's endpoint merges the modeled members of the error shape at the top level.
    assert response["Message"] == "Maintenance window mw-0123456789abcdef0 does not exist"
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_delete_cascades_and_is_quiet_for_unknown_windows(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window()
    ssm.register_target_with_maintenance_window(
        WindowId=window_id,
        ResourceType="INSTANCE",
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
    )
    assert ssm.delete_maintenance_window(WindowId=window_id)["WindowId"] == window_id
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.describe_maintenance_window_targets(WindowId=window_id)
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.get_maintenance_window(WindowId=window_id)
    assert ssm.delete_maintenance_window(WindowId=window_id)["WindowId"] == window_id
    assert ssm.describe_maintenance_windows()["WindowIdentities"] == []


def test_describe_lists_in_creation_order_with_identity_members(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    first = make_window(Name="My-First-Maintenance-Window", Description="one")
    second = make_window(Name="My-Second-Maintenance-Window", ScheduleTimezone="Asia/Seoul")
    identities = ssm.describe_maintenance_windows()["WindowIdentities"]
    assert [w["WindowId"] for w in identities] == [first, second]
    assert identities[0] == {
        "WindowId": first,
        "Name": "My-First-Maintenance-Window",
        "Description": "one",
        "Enabled": True,
        "Duration": 4,
        "Cutoff": 1,
        "Schedule": "cron(0 16 ? * TUE *)",
        "NextExecutionTime": "2026-11-24T16:00Z",
    }
    assert identities[1]["ScheduleTimezone"] == "Asia/Seoul"
    assert identities[1]["NextExecutionTime"] == "2026-11-24T16:00+09:00"


def test_describe_filters_name_by_prefix_and_enabled(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    make_window(Name="My-First")
    make_window(Name="My-Second")
    disabled = make_window(Name="My-Disabled")
    make_window(Name="Other")
    ssm.update_maintenance_window(WindowId=disabled, Enabled=False)

    def names(filters: list[dict[str, Any]]) -> list[str]:
        found = ssm.describe_maintenance_windows(Filters=filters)["WindowIdentities"]
        return [w["Name"] for w in found]

    assert names([{"Key": "Name", "Values": ["My"]}]) == ["My-First", "My-Second", "My-Disabled"]
    assert names([{"Key": "Name", "Values": ["Other", "My-S"]}]) == ["My-Second", "Other"]
    assert names([{"Key": "Enabled", "Values": ["False"]}]) == ["My-Disabled"]
    assert names(
        [{"Key": "Name", "Values": ["My"]}, {"Key": "Enabled", "Values": ["true"]}]
    ) == ["My-First", "My-Second"]


def test_describe_refuses_unknown_filter_keys(ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ssm.describe_maintenance_windows(Filters=[{"Key": "Schedule", "Values": ["x"]}])
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "Schedule" in message
    assert "Name, Enabled" in message


def test_paginator_walks_every_window(ssm: Any, make_window: Callable[..., str]) -> None:
    created = [make_window(Name=f"window-{n:02d}") for n in range(25)]
    pages = list(
        ssm.get_paginator("describe_maintenance_windows").paginate(
            PaginationConfig={"PageSize": 10}
        )
    )
    assert [len(p["WindowIdentities"]) for p in pages] == [10, 10, 5]
    assert "NextToken" not in pages[-1]
    assert [w["WindowId"] for p in pages for w in p["WindowIdentities"]] == created
    assert len(ssm.describe_maintenance_windows()["WindowIdentities"]) == 25


def test_a_malformed_next_token_is_a_validation_error(ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ssm.describe_maintenance_windows(NextToken="not-a-token")
    assert error_of(excinfo)[0] == "ValidationException"


def test_the_fifty_first_window_exceeds_the_quota(make_window: Callable[..., str]) -> None:
    for n in range(50):
        make_window(Name=f"window-{n:02d}")
    with pytest.raises(ClientError) as excinfo:
        make_window(Name="one-too-many")
    assert error_of(excinfo)[0] == "ResourceLimitExceededException"


def test_client_token_makes_create_idempotent(ssm: Any, make_window: Callable[..., str]) -> None:
    first = make_window(ClientToken="token-1")
    assert make_window(ClientToken="token-1") == first
    assert len(ssm.describe_maintenance_windows()["WindowIdentities"]) == 1
    with pytest.raises(ssm.exceptions.IdempotentParameterMismatch):
        make_window(ClientToken="token-1", Duration=5)
    assert make_window(ClientToken="token-2") != first


def test_windows_are_kept_per_region(ssm: Any, make_window: Callable[..., str]) -> None:
    window_id = make_window()
    west = boto3.client("ssm", region_name="us-west-2")
    assert west.describe_maintenance_windows()["WindowIdentities"] == []
    with pytest.raises(west.exceptions.DoesNotExistException):
        west.get_maintenance_window(WindowId=window_id)
    assert ssm.get_maintenance_window(WindowId=window_id)["WindowId"] == window_id


def test_windows_for_target_matches_registered_targets(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    by_id = make_window(Name="by-instance")
    by_tag = make_window(Name="by-tag")
    make_window(Name="unrelated")
    ssm.register_target_with_maintenance_window(
        WindowId=by_id,
        ResourceType="INSTANCE",
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0", "i-0aaaaaaaaaaaaaaaa"]}],
    )
    ssm.register_target_with_maintenance_window(
        WindowId=by_tag,
        ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}],
    )
    found = ssm.describe_maintenance_windows_for_target(
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        ResourceType="INSTANCE",
    )["WindowIdentities"]
    assert found == [{"WindowId": by_id, "Name": "by-instance"}]
    found = ssm.describe_maintenance_windows_for_target(
        Targets=[{"Key": "tag:Environment", "Values": ["Prod", "Dev"]}],
        ResourceType="INSTANCE",
    )["WindowIdentities"]
    assert found == [{"WindowId": by_tag, "Name": "by-tag"}]
    assert ssm.describe_maintenance_windows_for_target(
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}],
        ResourceType="RESOURCE_GROUP",
    )["WindowIdentities"] == []


def test_windows_for_target_does_not_resolve_tags_to_nodes(
    ssm: Any, mw: MaintenanceWindows, make_window: Callable[..., str]
) -> None:
    """A node reached only through a tag target is not found by its instance id (the
    documentation does not say the service resolves tags here; see docs/fidelity.md): the
    call compares registered target definitions, so ask with the tag instead."""
    by_tag = make_window(Name="by-tag")
    ssm.register_target_with_maintenance_window(
        WindowId=by_tag, ResourceType="INSTANCE",
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}],
    )
    mw.add_instance("i-0123456789abcdef0", tags={"Environment": "Prod"})
    assert ssm.describe_maintenance_windows_for_target(
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        ResourceType="INSTANCE",
    )["WindowIdentities"] == []
    assert ssm.describe_maintenance_windows_for_target(
        Targets=[{"Key": "tag:Environment", "Values": ["Prod"]}], ResourceType="INSTANCE",
    )["WindowIdentities"] == [{"WindowId": by_tag, "Name": "by-tag"}]


def test_schedule_lists_upcoming_starts_and_pages(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window(ScheduleTimezone="America/Los_Angeles")
    first = ssm.describe_maintenance_window_schedule(WindowId=window_id, MaxResults=2)
    assert [s["ExecutionTime"] for s in first["ScheduledWindowExecutions"]] == [
        "2026-11-24T16:00-08:00",
        "2026-12-01T16:00-08:00",
    ]
    assert first["ScheduledWindowExecutions"][0]["Name"] == "patch-window"
    pages = ssm.get_paginator("describe_maintenance_window_schedule").paginate(
        WindowId=window_id,
        Filters=[{"Key": "ScheduledBefore", "Values": ["2027-01-01T00:00:00Z"]}],
        PaginationConfig={"PageSize": 2},
    )
    times = [s["ExecutionTime"] for p in pages for s in p["ScheduledWindowExecutions"]]
    assert times == [
        "2026-11-24T16:00-08:00",
        "2026-12-01T16:00-08:00",
        "2026-12-08T16:00-08:00",
        "2026-12-15T16:00-08:00",
        "2026-12-22T16:00-08:00",
        "2026-12-29T16:00-08:00",
    ]


def test_a_paginator_over_an_endless_schedule_finishes_a_year_ahead(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    # No source says how far AWS looks ahead; the stub lists one year (366 days) after now,
    # or after ScheduledAfter, so a paginator without MaxItems finishes (docs/fidelity.md).
    weekly = make_window(Schedule="cron(0 16 ? * TUE *)")
    pages = ssm.get_paginator("describe_maintenance_window_schedule").paginate(
        WindowId=weekly
    )
    times = [s["ExecutionTime"] for p in pages for s in p["ScheduledWindowExecutions"]]
    assert (len(times), times[0], times[-1]) == (
        53, "2026-11-24T16:00Z", "2027-11-23T16:00Z"
    )
    often = make_window(Schedule="rate(5 minutes)")
    pages = ssm.get_paginator("describe_maintenance_window_schedule").paginate(
        WindowId=often, PaginationConfig={"PageSize": 100}
    )
    assert sum(len(p["ScheduledWindowExecutions"]) for p in pages) == 366 * 24 * 12
    later = ssm.describe_maintenance_window_schedule(
        WindowId=weekly, MaxResults=10,
        Filters=[{"Key": "ScheduledAfter", "Values": ["2030-01-01T00:00:00Z"]},
                 {"Key": "ScheduledBefore", "Values": ["2040-01-01T00:00:00Z"]}],
    )
    assert later["ScheduledWindowExecutions"][0]["ExecutionTime"] == "2030-01-01T16:00Z"
    beyond = ssm.describe_maintenance_window_schedule(
        WindowId=weekly,
        Filters=[{"Key": "ScheduledAfter", "Values": ["2035-01-01T00:00:00Z"]}],
    )
    assert len(beyond["ScheduledWindowExecutions"]) == 50  # the default page, more to come
    assert "NextToken" in beyond


def test_schedule_filters_and_interleaves_windows_by_target(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    daily = make_window(Name="daily", Schedule="cron(0 2 * * ? *)")
    weekly = make_window(Name="weekly")
    for window_id in (daily, weekly):
        ssm.register_target_with_maintenance_window(
            WindowId=window_id,
            ResourceType="INSTANCE",
            Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        )
    found = ssm.describe_maintenance_window_schedule(
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        ResourceType="INSTANCE",
        Filters=[
            {"Key": "ScheduledAfter", "Values": ["2026-11-30T00:00:00Z"]},
            {"Key": "ScheduledBefore", "Values": ["2026-12-02T12:00:00Z"]},
        ],
    )["ScheduledWindowExecutions"]
    assert [(s["Name"], s["ExecutionTime"]) for s in found] == [
        ("daily", "2026-11-30T02:00Z"),
        ("daily", "2026-12-01T02:00Z"),
        ("weekly", "2026-12-01T16:00Z"),
        ("daily", "2026-12-02T02:00Z"),
    ]


def test_schedule_needs_a_window_or_targets(ssm: Any) -> None:
    with pytest.raises(ClientError) as excinfo:
        ssm.describe_maintenance_window_schedule()
    assert error_of(excinfo)[0] == "ValidationException"
    with pytest.raises(ssm.exceptions.DoesNotExistException):
        ssm.describe_maintenance_window_schedule(WindowId="mw-0123456789abcdef0")


def test_invalid_schedule_is_refused_with_a_message_naming_the_problem(
    make_window: Callable[..., str],
) -> None:
    with pytest.raises(ClientError) as excinfo:
        make_window(Schedule="cron(0 16 * * TUE *)")
    code, message = error_of(excinfo)
    assert code == "ValidationException"
    assert "cron(0 16 * * TUE *)" in message
    with pytest.raises(ClientError) as excinfo:
        make_window(ScheduleTimezone="Mars/Olympus_Mons")
    assert "Mars/Olympus_Mons" in error_of(excinfo)[1]


@pytest.mark.maintenance_windows(start="2026-10-31T00:00:00Z")
def test_schedule_orders_by_instant_through_the_repeated_hour(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    # 2026-11-01 is the fall-back day in Los Angeles: 01:00-02:00 happens twice.
    cron = make_window(Name="cron", Schedule="cron(45 1 * * ? *)",
                       ScheduleTimezone="America/Los_Angeles")
    rate = make_window(Name="rate", Schedule="rate(30 minutes)",
                       ScheduleTimezone="America/Los_Angeles")
    for window_id in (cron, rate):
        ssm.register_target_with_maintenance_window(
            WindowId=window_id, ResourceType="INSTANCE",
            Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        )
    found = ssm.describe_maintenance_window_schedule(
        Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        ResourceType="INSTANCE",
        Filters=[
            {"Key": "ScheduledAfter", "Values": ["2026-11-01T08:30:00Z"]},
            {"Key": "ScheduledBefore", "Values": ["2026-11-01T09:30:00Z"]},
        ],
    )["ScheduledWindowExecutions"]
    assert [(s["Name"], s["ExecutionTime"]) for s in found] == [
        ("rate", "2026-11-01T01:30-07:00"),
        ("cron", "2026-11-01T01:45-07:00"),
        ("rate", "2026-11-01T01:00-08:00"),
        ("rate", "2026-11-01T01:30-08:00"),
    ]


def test_an_end_date_in_the_past_is_accepted_and_the_window_has_no_next_run(
    ssm: Any, mw: MaintenanceWindows, make_window: Callable[..., str]
) -> None:
    window_id = make_window(Schedule="rate(1 day)", EndDate="2026-11-26T00:00:00Z")
    mw.advance(timedelta(days=3))
    # The stored EndDate has passed: other updates still work, the window is just done.
    ssm.update_maintenance_window(WindowId=window_id, Name="renamed")
    assert "NextExecutionTime" not in ssm.get_maintenance_window(WindowId=window_id)
    # A Terraform-style update resends the past EndDate with Replace=true: accepted too.
    ssm.update_maintenance_window(
        WindowId=window_id, Name="renamed", Schedule="rate(1 day)", Duration=4, Cutoff=1,
        AllowUnassociatedTargets=True, EndDate="2026-11-26T00:00:00Z", Replace=True,
    )
    got = ssm.get_maintenance_window(WindowId=window_id)
    assert got["EndDate"] == "2026-11-26T00:00:00Z"
    assert "NextExecutionTime" not in got
    # So is a past EndDate on a new window.
    past = make_window(Name="expired", Schedule="rate(1 day)", EndDate="2020-01-01T00:00:00Z")
    assert "NextExecutionTime" not in ssm.get_maintenance_window(WindowId=past)
    ssm.update_maintenance_window(WindowId=window_id, EndDate="2027-01-01T00:00:00Z")
    assert ssm.get_maintenance_window(WindowId=window_id)["NextExecutionTime"]


def test_dates_without_an_offset_are_accepted_echoed_and_read_as_utc(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window(
        Schedule="cron(0 * * * ? *)", ScheduleTimezone="America/Los_Angeles",
        StartDate="2026-11-25T09:00:00", EndDate="2026-12-01T00:00:00",
    )
    got = ssm.get_maintenance_window(WindowId=window_id)
    assert (got["StartDate"], got["EndDate"]) == ("2026-11-25T09:00:00", "2026-12-01T00:00:00")
    # 09:00 UTC is 01:00 in Los Angeles: the zone does not reinterpret the dates.
    assert got["NextExecutionTime"] == "2026-11-25T01:00-08:00"


def test_changing_end_date_keeps_a_rate_windows_cadence(
    ssm: Any, mw: MaintenanceWindows, make_window: Callable[..., str]
) -> None:
    window_id = make_window(Schedule="rate(1 day)")
    mw.advance(timedelta(hours=5))
    ssm.update_maintenance_window(WindowId=window_id, EndDate="2027-01-01T00:00:00Z")
    assert ssm.get_maintenance_window(WindowId=window_id)["NextExecutionTime"] == (
        "2026-11-25T00:00Z"
    )
    ssm.update_maintenance_window(WindowId=window_id, Schedule="rate(2 days)")
    assert ssm.get_maintenance_window(WindowId=window_id)["NextExecutionTime"] == (
        "2026-11-26T05:00Z"
    )
