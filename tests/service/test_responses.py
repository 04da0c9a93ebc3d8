"""Responses reach the caller as botocore's parser shapes them, for each client's own parser.

A session may set parser defaults (the AWS CLI keeps timestamps as sent this way); against
AWS those apply to every response of that session's clients, so they must here too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import boto3
import botocore.session
import pytest
from dateutil.tz import tzlocal

from ssm_mw_stub import MaintenanceWindows


def _raw(value: Any) -> Any:
    return value


def _client(**parser_defaults: Any) -> Any:
    session = botocore.session.Session()
    if parser_defaults:
        session.get_component("response_parser_factory").set_parser_defaults(**parser_defaults)
    return boto3.session.Session(botocore_session=session).client("ssm", region_name="us-east-1")


def test_timestamps_are_local_datetimes_as_from_botocore(
    mw: MaintenanceWindows, ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window()
    created = ssm.get_maintenance_window(WindowId=window_id)["CreatedDate"]
    assert isinstance(created, datetime)
    assert isinstance(created.tzinfo, tzlocal)
    assert created == mw.now


def test_a_session_timestamp_parser_applies_to_its_clients(
    mw: MaintenanceWindows, ssm: Any, make_window: Callable[..., str]
) -> None:
    window_id = make_window()
    window = _client(timestamp_parser=_raw).get_maintenance_window(WindowId=window_id)
    assert window["CreatedDate"] == pytest.approx(mw.now.timestamp())
    assert isinstance(window["CreatedDate"], float)
    # Other sessions' clients keep botocore's default.
    assert isinstance(ssm.get_maintenance_window(WindowId=window_id)["CreatedDate"], datetime)


def test_parser_defaults_set_after_the_client_exists_apply_from_then_on(
    mw: MaintenanceWindows, make_window: Callable[..., str]
) -> None:
    session = botocore.session.Session()
    ssm = session.create_client("ssm", region_name="us-east-1")
    window_id = make_window()
    assert isinstance(ssm.get_maintenance_window(WindowId=window_id)["ModifiedDate"], datetime)
    session.get_component("response_parser_factory").set_parser_defaults(
        timestamp_parser=lambda value: f"raw:{value}"
    )
    assert ssm.get_maintenance_window(WindowId=window_id)["ModifiedDate"] == (
        f"raw:{mw.now.timestamp()}"
    )


def test_errors_still_parse_and_catch_with_a_custom_parser(mw: MaintenanceWindows) -> None:
    ssm = _client(timestamp_parser=_raw)
    with pytest.raises(ssm.exceptions.DoesNotExistException) as caught:
        ssm.get_maintenance_window(WindowId="mw-0123456789abcdef0")
    assert caught.value.response["Error"] == {
        "Code": "DoesNotExistException",
        "Message": "Maintenance window mw-0123456789abcdef0 does not exist",
    }
