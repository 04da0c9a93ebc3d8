"""No call escapes, whatever the order: each order proved in a fresh interpreter, network cut off.

A client made before ``ssm_mw_stub`` was imported, or from a session older than the import,
used to carry no hook: its calls inside an active mock went to the real endpoint, signed with
whatever keys the machine had (the first test is the six-line reproduction of that).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ..helpers import START
from .fresh_interpreter import run_fresh

REPRODUCTION = f"""
import boto3
ssm = boto3.client("ssm", region_name="eu-west-1")
import ssm_mw_stub
with ssm_mw_stub.mock_maintenance_windows("{START.isoformat()}"):
    response = ssm.describe_maintenance_windows()
print("answered", response["WindowIdentities"], response["ResponseMetadata"]["HTTPHeaders"]["date"])
"""


def test_client_made_before_the_import_is_answered_the_issue_reproduction(
    tmp_path: Path,
) -> None:
    result = run_fresh(tmp_path, REPRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "answered [] Tue, 24 Nov 2026 00:00:00 GMT\n"


def test_a_client_made_before_the_import_keeps_its_sessions_parser_settings(
    tmp_path: Path,
) -> None:
    # The AWS CLI keeps timestamps as sent through a session parser default; a client made
    # before the import adopts the hook at its first call inside a mock, and its factory too.
    script = f"""
import botocore.session
session = botocore.session.get_session()
session.get_component("response_parser_factory").set_parser_defaults(
    timestamp_parser=lambda value: value)
ssm = session.create_client("ssm", region_name="eu-west-1")
import ssm_mw_stub
with ssm_mw_stub.mock_maintenance_windows("{START.isoformat()}"):
    window_id = ssm.create_maintenance_window(
        Name="raw", Schedule="rate(1 day)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=False)["WindowId"]
    print(repr(ssm.get_maintenance_window(WindowId=window_id)["CreatedDate"]))
"""
    result = run_fresh(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1795478400.0\n"


# Each script makes its client(s) in one order, then proves inside the mock that a window it
# creates is read back by the same client and that the client's Region is the one answered.
_USE = f"""
from ssm_mw_stub import mock_maintenance_windows

def use(client):
    window_id = client.create_maintenance_window(
        Name="order", Schedule="rate(1 day)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=False)["WindowId"]
    return client.get_maintenance_window(WindowId=window_id)["WindowId"] == window_id

with mock_maintenance_windows(start="{START.isoformat()}"):
    print("answered", use(ssm))
"""

ORDERS = {
    "boto3-client-before-import": """
import boto3
ssm = boto3.client("ssm", region_name="eu-west-1")
""",
    "botocore-session-before-import-client-after": """
import botocore.session
session = botocore.session.get_session()
import ssm_mw_stub
ssm = session.create_client("ssm", region_name="eu-west-1")
""",
    "boto3-session-before-import-client-after": """
import boto3
session = boto3.Session(region_name="eu-west-1")
import ssm_mw_stub
ssm = session.client("ssm")
""",
    "client-after-import-before-mock": """
import boto3, ssm_mw_stub
ssm = boto3.client("ssm", region_name="eu-west-1")
""",
    "client-made-in-another-thread-before-import": """
import threading, boto3
made = []
thread = threading.Thread(target=lambda: made.append(boto3.client("ssm", region_name="eu-west-1")))
thread.start(); thread.join()
ssm = made[0]
""",
    "default-session-made-by-the-import-order-of-an-app-module": """
import boto3
boto3.setup_default_session(region_name="eu-west-1")
early = boto3.client("ssm")
import ssm_mw_stub
ssm = early
""",
}


@pytest.mark.parametrize("order", ORDERS.values(), ids=ORDERS.keys())
def test_every_creation_order_is_answered(order: str, tmp_path: Path) -> None:
    result = run_fresh(tmp_path, order + _USE)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "answered True\n"


def test_client_made_inside_the_mock_is_answered(tmp_path: Path) -> None:
    script = f"""
import boto3
from ssm_mw_stub import mock_maintenance_windows
with mock_maintenance_windows(start="{START.isoformat()}"):
    ssm = boto3.client("ssm", region_name="eu-west-1")
    print("answered", ssm.describe_maintenance_windows()["WindowIdentities"])
"""
    result = run_fresh(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "answered []\n"


def test_early_clients_get_paginators_modeled_errors_and_the_unmocked_error(
    tmp_path: Path,
) -> None:
    script = f"""
import boto3
ssm = boto3.client("ssm", region_name="eu-west-1")
from ssm_mw_stub import mock_maintenance_windows
from ssm_mw_stub.errors import UnmockedOperationError
with mock_maintenance_windows(start="{START.isoformat()}"):
    for n in range(12):
        ssm.create_maintenance_window(Name=f"window-{{n}}", Schedule="rate(1 day)",
                                      Duration=2, Cutoff=1, AllowUnassociatedTargets=False)
    pages = list(ssm.get_paginator("describe_maintenance_windows").paginate(MaxResults=10))
    print("pages", [len(page["WindowIdentities"]) for page in pages])
    try:
        ssm.get_maintenance_window(WindowId="mw-0123456789abcdef0")
    except ssm.exceptions.DoesNotExistException as error:
        print("modeled", error.response["Error"]["Message"])
    try:
        ssm.get_parameter(Name="/db/password")
    except UnmockedOperationError as error:
        print("unmocked", error.operation_name)
"""
    result = run_fresh(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "pages [10, 2]",
        "modeled Maintenance window mw-0123456789abcdef0 does not exist",
        "unmocked GetParameter",
    ]


def test_threads_sharing_and_owning_early_clients_are_all_answered(tmp_path: Path) -> None:
    script = f"""
import threading, boto3
shared = boto3.client("ssm", region_name="eu-west-1")
own = []
makers = [threading.Thread(target=lambda: own.append(boto3.client("ssm", region_name="eu-west-1")))
          for _ in range(4)]
for thread in makers: thread.start()
for thread in makers: thread.join()
from ssm_mw_stub import mock_maintenance_windows
answered, errors = [], []
barrier = threading.Barrier(8)

def work(client):
    barrier.wait()  # the first calls of the early clients race on adopting the hook
    try:
        for _ in range(25):
            answered.append(client.describe_maintenance_windows()["WindowIdentities"])
    except BaseException as error:
        errors.append(repr(error))

with mock_maintenance_windows(start="{START.isoformat()}"):
    threads = [threading.Thread(target=work, args=(client,)) for client in [shared] * 4 + own]
    for thread in threads: thread.start()
    for thread in threads: thread.join()
handlers = [h for h in shared.meta.events._emitter._handlers.prefix_search(
    "before-call.ssm.DescribeMaintenanceWindows") if getattr(h, "__name__", "") == "before_call"]
print(len(answered), errors, len(handlers))
"""
    result = run_fresh(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "200 [] 1\n"


def test_outside_a_mock_botocore_is_untouched_and_early_clients_go_out(tmp_path: Path) -> None:
    script = f"""
import boto3, botocore.client
ssm = boto3.client("ssm", region_name="eu-west-1")
own = botocore.client.BaseClient.__dict__["_make_api_call"]
from ssm_mw_stub import mock_maintenance_windows
after_import = botocore.client.BaseClient.__dict__["_make_api_call"] is own
with mock_maintenance_windows(start="{START.isoformat()}"):
    inside = botocore.client.BaseClient.__dict__["_make_api_call"] is own
    ssm.describe_maintenance_windows()
after_exit = botocore.client.BaseClient.__dict__["_make_api_call"] is own
print("botocore's own method", after_import, inside, after_exit)
try:
    ssm.describe_maintenance_windows()
except BaseException as error:
    print(type(error).__name__, "ssm.eu-west-1.amazonaws.com" in str(error))
"""
    result = run_fresh(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "botocore's own method True False True",
        "NetworkUsed True",
    ]


APP = """
import boto3

SSM = boto3.client("ssm")  # module level, made when a test module imports the app


def window_names():
    return [w["Name"] for w in SSM.describe_maintenance_windows()["WindowIdentities"]]


def create(name):
    return SSM.create_maintenance_window(
        Name=name, Schedule="rate(1 day)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=False)["WindowId"]
"""

TEST_APP = f"""
import unittest

import app  # imported before ssm_mw_stub, as in the report
from ssm_mw_stub import mock_maintenance_windows

mw = mock_maintenance_windows(start="{START.isoformat()}")


@mw
class AppTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.window_id = app.create("made-in-setupclass")

    def test_sees_the_class_window(self):
        self.assertEqual(app.window_names(), ["made-in-setupclass"])

    def test_creates_its_own(self):
        app.create("made-in-a-test")
        self.assertEqual(app.window_names(), ["made-in-setupclass", "made-in-a-test"])


class PlainTest(unittest.TestCase):
    def test_with_block(self):
        with mock_maintenance_windows(start="{START.isoformat()}"):
            self.assertEqual(app.window_names(), [])
"""


def test_python_m_unittest_with_the_app_imported_first(tmp_path: Path) -> None:
    result = run_fresh(
        tmp_path, argv=["-m", "unittest", "-v", "test_app"],
        files={"app.py": APP, "test_app.py": TEST_APP},
    )
    assert result.returncode == 0, result.stderr
    assert "Ran 3 tests" in result.stderr
    assert result.stderr.count(" ... ok") == 3


def test_optional_integrations_are_never_imported(tmp_path: Path) -> None:
    script = f"""
import sys
from datetime import timedelta
import boto3
from ssm_mw_stub import TaskOutcome, mock_maintenance_windows
with mock_maintenance_windows(start="{START.isoformat()}") as mw:
    ssm = boto3.client("ssm", region_name="eu-west-1")
    window_id = ssm.create_maintenance_window(
        Name="optional", Schedule="rate(1 hour)", Duration=2, Cutoff=0,
        AllowUnassociatedTargets=False)["WindowId"]
    target = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE",
        Targets=[{{"Key": "tag:Role", "Values": ["web"]}}])["WindowTargetId"]
    ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{{"Key": "WindowTargetIds", "Values": [target]}}],
        MaxConcurrency="1", MaxErrors="0")
    mw.add_instance("i-0123456789abcdef0", tags={{"Role": "web"}})
    mw.on_task("RUN_COMMAND", lambda invocation: TaskOutcome("SUCCESS"))
    mw.advance(timedelta(hours=2))
print(sorted(name for name in ("moto", "aiobotocore", "aioboto3", "awscli", "time_machine")
             if name in sys.modules))
"""
    result = run_fresh(tmp_path, script)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "[]\n"
