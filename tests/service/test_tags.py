"""Tags on maintenance windows through boto3."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from botocore.exceptions import ClientError


def tags_of(ssm: Any, window_id: str) -> list[dict[str, str]]:
    return list(
        ssm.list_tags_for_resource(ResourceType="MaintenanceWindow", ResourceId=window_id)[
            "TagList"
        ]
    )


def test_tags_from_create_add_update_and_remove(
    ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window(Tags=[{"Key": "Team", "Value": "ops"}])
    assert tags_of(ssm, window_id) == [{"Key": "Team", "Value": "ops"}]
    ssm.add_tags_to_resource(
        ResourceType="MaintenanceWindow", ResourceId=window_id,
        Tags=[{"Key": "Team", "Value": "sre"}, {"Key": "Env", "Value": "prod"}],
    )
    assert tags_of(ssm, window_id) == [
        {"Key": "Team", "Value": "sre"},
        {"Key": "Env", "Value": "prod"},
    ]
    ssm.remove_tags_from_resource(
        ResourceType="MaintenanceWindow", ResourceId=window_id, TagKeys=["Team", "Absent"]
    )
    assert tags_of(ssm, window_id) == [{"Key": "Env", "Value": "prod"}]


def test_unknown_window_is_an_invalid_resource_id(ssm: Any) -> None:
    with pytest.raises(ssm.exceptions.InvalidResourceId):
        tags_of(ssm, "mw-0123456789abcdef0")


def test_more_than_fifty_tags_is_too_many(ssm: Any, make_window: Callable[..., str]) -> None:
    window_id = make_window(Tags=[{"Key": f"k{n}", "Value": "v"} for n in range(50)])
    with pytest.raises(ssm.exceptions.TooManyTagsError):
        ssm.add_tags_to_resource(
            ResourceType="MaintenanceWindow", ResourceId=window_id,
            Tags=[{"Key": "one-more", "Value": "v"}],
        )
    assert len(tags_of(ssm, window_id)) == 50


def test_reserved_and_malformed_tag_keys(ssm: Any, make_window: Callable[..., str]) -> None:
    window_id = make_window()
    for key in ("aws:reserved", "tab\tkey"):
        with pytest.raises(ClientError) as excinfo:
            ssm.add_tags_to_resource(
                ResourceType="MaintenanceWindow", ResourceId=window_id,
                Tags=[{"Key": key, "Value": "v"}],
            )
        assert excinfo.value.response["Error"]["Code"] == "ValidationException"
    # Letters, numbers and separators of any script are allowed.
    ssm.add_tags_to_resource(
        ResourceType="MaintenanceWindow", ResourceId=window_id,
        Tags=[{"Key": "Équipe 東京", "Value": "café 1 @home"}],
    )
    assert tags_of(ssm, window_id) == [{"Key": "Équipe 東京", "Value": "café 1 @home"}]
