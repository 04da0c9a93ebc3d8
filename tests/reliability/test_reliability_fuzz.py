"""Fuzzing every operation through boto3: the stub answers, or refuses the way AWS would.

For each of the 36 operations (the 26 maintenance-window ones, Run Command's five and the five
Automation operations that answer for the executions windows start), hypothesis draws inputs
from the botocore model (``mw_fuzz_strategies``) in three modes: a normal client (botocore
validates), a client with ``parameter_validation=False`` (the service sees what botocore
would have refused), and a raw request body put in place of the serialised one just before
the stub's hook reads it. The mock already holds a window, a target, a task, one finished
execution (whose Run Command command has finished), a command still running and one running
Automation execution with two steps, so valid ids lead into the operations' real work;
every example of a mutating operation gets a fresh one, read operations share one.

The only outcomes allowed:

- a response (whose wire body must fit the operation's output shape, ``mw_conformance``);
- a ``ClientError`` whose code the operation defines (modeled errors, InternalServerError
  excepted) or ``ValidationException``, with a well-formed error body;
- botocore's ``ParamValidationError``, and only from the validating client;
- ``UnmockedOperationError`` for a tagging call on another SSM resource type (the hook's
  documented refusal to let such a call reach the network), and only then.

Anything else (a ``TypeError`` from inside the service, a response the parser cannot
read, an answer that breaks the output shape) fails the example, and hypothesis shrinks it
to a minimal input. After every mutating call the stub saw, the mock must still answer the
read operations for all its windows and still run them when the clock moves (the bad input
must not have poisoned the state).

CI runs 200 examples per operation (the ``reliability-ci`` profile); the ``nightly`` variant
runs 5,000 per operation: ``python3 -m pytest -m nightly tests/reliability``. Each run also
checks its own reach: the promised number of examples ran, and at least one in twenty was
answered and one in twenty refused.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import timedelta
from typing import Any

import boto3
import pytest
from botocore.config import Config
from botocore.exceptions import ClientError, ParamValidationError
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from ssm_mw_stub import AutomationStep, TaskOutcome, mock_maintenance_windows
from ssm_mw_stub.answered import BY_API
from ssm_mw_stub.errors import UnmockedOperationError

from ..helpers import START
from .mw_conformance import allowed_error_codes, drain
from .mw_fuzz_strategies import (
    AUTOMATION_OPERATIONS,
    MODEL,
    OPERATIONS,
    OTHER_TAGGABLE,
    RUN_COMMAND,
    WINDOW_OPERATIONS,
    Known,
    Mode,
    input_params,
    snake_case,
    wire_body,
)

REGION = "us-east-1"
SETUP_TOKEN = "fuzz-setup-token"
AUTOMATION_TOKEN = "0f0e0d0c-0b0a-4909-8807-060504030201"
INSTANCE = "i-0123456789abcdef0"

settings.register_profile(
    "reliability-ci",
    max_examples=200,
    deadline=None,
    # Generated lists and strings are large, and some examples slow, by design.
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.filter_too_much,
        HealthCheck.large_base_example,
    ],
    print_blob=True,
    # No "explain" phase: it re-runs failing examples under a tracer, slowly, to say which
    # lines only failing examples reach; the traceback already says where it broke.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    # CI draws the same examples on every run: a red CI is then a red laptop too, never a
    # coin toss (the random search runs in the nightly profile).
    derandomize=True,
)
settings.register_profile(
    "reliability-nightly",
    parent=settings.get_profile("reliability-ci"),
    max_examples=5000,
    derandomize=False,
)

#: Operations that change state; after them the whole mock is re-read and run.
MUTATING = frozenset(
    op for op in OPERATIONS
    if not op.startswith(("Get", "Describe", "List"))
)

_TAGGING = frozenset({"AddTagsToResource", "ListTagsForResource", "RemoveTagsFromResource"})


class _BodySwap:
    """``before-call`` handler, registered ahead of the stub's hook: replaces the
    serialised request body with ``body`` (when set), as if it had come off the wire."""

    def __init__(self) -> None:
        self.body: bytes | None = None

    def __call__(self, params: dict[str, Any], **_: Any) -> None:
        if self.body is not None:
            params["body"] = self.body


class Clients:
    def __init__(self) -> None:
        self.checked: Any = boto3.client("ssm", region_name=REGION)
        self.unchecked: Any = boto3.client(
            "ssm", region_name=REGION, config=Config(parameter_validation=False)
        )
        self.wire: Any = boto3.client(
            "ssm", region_name=REGION, config=Config(parameter_validation=False)
        )
        self.swap = _BodySwap()
        self.wire.meta.events.register_first("before-call.ssm", self.swap)


@pytest.fixture(scope="module")
def clients() -> Clients:
    """Clients made once, outside any mock (a mock intercepts clients made before it)."""
    return Clients()


def _long_runbook(inv: Any) -> TaskOutcome:
    """The fuzz's own runbook: two steps, the second running for a year."""
    return TaskOutcome(
        "Success",
        outputs={"second.Result": ["done"]},
        steps=[
            AutomationStep("first", inputs={"InstanceId": '"i-0123456789abcdef0"'},
                           duration=timedelta(minutes=1)),
            AutomationStep("second", "aws:changeInstanceState", duration=timedelta(days=365)),
        ],
    )


def prepare(mw: Any, ssm: Any) -> tuple[str, str, str, str]:
    """A window with a target, a task and one finished execution, and a running Automation
    execution, made as a user would."""
    window_id = ssm.create_maintenance_window(
        Name="fuzz-window", Schedule="cron(0 1 * * ? *)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True, ClientToken=SETUP_TOKEN,
        Tags=[{"Key": "Environment", "Value": "Prod"}],
    )["WindowId"]
    target_id = ssm.register_target_with_maintenance_window(
        WindowId=window_id, ResourceType="INSTANCE", OwnerInformation="owner",
        Targets=[{"Key": "InstanceIds", "Values": [INSTANCE]}], ClientToken=SETUP_TOKEN,
    )["WindowTargetId"]
    task_id = ssm.register_task_with_maintenance_window(
        WindowId=window_id, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
        Targets=[{"Key": "WindowTargetIds", "Values": [target_id]}],
        MaxConcurrency="1", MaxErrors="0", ClientToken=SETUP_TOKEN,
    )["WindowTaskId"]
    mw.add_instance(INSTANCE, tags={"Environment": "Prod"})
    mw.on_task("Fuzz-Runbook", _long_runbook)
    automation_id = ssm.start_automation_execution(
        DocumentName="Fuzz-Runbook", Parameters={"InstanceId": [INSTANCE]},
        Tags=[{"Key": "Environment", "Value": "Prod"}], ClientToken=AUTOMATION_TOKEN,
    )["AutomationExecutionId"]
    mw.advance(timedelta(hours=2))
    # A command of the code's own, still running when the fuzzed call comes.
    mw.on_task(
        "AWS-RunPowerShellScript", lambda _: TaskOutcome("SUCCESS", duration=timedelta(hours=1))
    )
    ssm.send_command(InstanceIds=[INSTANCE], DocumentName="AWS-RunPowerShellScript")
    mw.advance(timedelta(0))
    # A patch baseline registered for the patch group "web".
    baseline_id = ssm.create_patch_baseline(
        Name="fuzz-baseline", OperatingSystem="AMAZON_LINUX_2023", ClientToken=SETUP_TOKEN,
        ApprovedPatches=["openssl"],
    )["BaselineId"]
    ssm.register_patch_baseline_for_patch_group(BaselineId=baseline_id, PatchGroup="web")
    return window_id, target_id, task_id, automation_id


def discover(
    ssm: Any, window_id: str, target_id: str, task_id: str, automation_id: str
) -> Known:
    """The ids of what :func:`prepare` made, the execution's and the commands' included."""
    [execution] = ssm.describe_maintenance_window_executions(WindowId=window_id)[
        "WindowExecutions"
    ]
    execution_id = execution["WindowExecutionId"]
    [task_execution_id] = ssm.get_maintenance_window_execution(
        WindowExecutionId=execution_id
    )["TaskIds"]
    [invocation] = ssm.describe_maintenance_window_execution_task_invocations(
        WindowExecutionId=execution_id, TaskId=task_execution_id
    )["WindowExecutionTaskInvocationIdentities"]
    return Known(
        window_id=window_id,
        target_id=target_id,
        task_id=task_id,
        execution_id=execution_id,
        task_execution_id=task_execution_id,
        invocation_id=invocation["InvocationId"],
        client_token=SETUP_TOKEN,
        instance_id=INSTANCE,
        automation_execution_id=automation_id,
        command_id=invocation["ExecutionId"],
        running_command_id=ssm.list_commands(
            Filters=[{"key": "ExecutionStage", "value": "Executing"}]
        )["Commands"][0]["CommandId"],
        baseline_id=ssm.describe_patch_baselines(
            Filters=[{"Key": "OWNER", "Values": ["Self"]}])["BaselineIdentities"][0]["BaselineId"],
        default_baseline_id=ssm.get_default_patch_baseline()["BaselineId"],
    )


def _resource_type(mode: Mode, sent: Any) -> Any:
    """The ResourceType a tagging call carried, as the hook saw it."""
    if mode is Mode.WIRE:
        try:
            sent = json.loads(sent)
        except ValueError:
            return None
    return sent.get("ResourceType") if isinstance(sent, dict) else None


def call_once(clients: Clients, operation: str, mode: Mode, sent: Any) -> str:
    """Make one call and classify its outcome; anything not allowed raises."""
    model = MODEL.operation_model(operation)
    if mode is Mode.WIRE:
        client, params = clients.wire, {}
        clients.swap.body = sent
    else:
        client = clients.checked if mode is Mode.CHECKED else clients.unchecked
        params = sent
    refused: ClientError | None = None
    unmocked = False
    response: Any = None
    try:
        response = getattr(client, snake_case(operation))(**params)
    except ParamValidationError:
        assert mode is Mode.CHECKED, "ParamValidationError from a non-validating client"
        return "ParamValidationError"
    except ClientError as exc:
        refused = exc
    except UnmockedOperationError:
        unmocked = True
    finally:
        clients.swap.body = None
    if refused is not None:
        code = refused.response["Error"]["Code"]
        assert code in allowed_error_codes(model), f"{operation} answered {code}: {refused}"
        assert isinstance(refused.response["Error"].get("Message"), str)
        return str(code)
    if unmocked:
        # Tagging another SSM resource type is not a maintenance-window call: the hook
        # refuses it loudly instead of letting it go to the network. Allowed only then.
        assert operation in _TAGGING
        assert _resource_type(mode, sent) in OTHER_TAGGABLE
        return "Unmocked"
    assert isinstance(response, dict)
    assert response["ResponseMetadata"]["HTTPStatusCode"] == 200
    return "ok"


def still_sound(mw: Any, ssm: Any) -> None:
    """Every window can still be read and run after whatever the fuzzed call did."""
    windows = [w["WindowId"] for w in ssm.describe_maintenance_windows()["WindowIdentities"]]
    for window_id in windows:
        ssm.get_maintenance_window(WindowId=window_id)
        for task in ssm.describe_maintenance_window_tasks(WindowId=window_id)["Tasks"]:
            ssm.get_maintenance_window_task(WindowId=window_id, WindowTaskId=task["WindowTaskId"])
        ssm.describe_maintenance_window_schedule(WindowId=window_id, MaxResults=2)
    mw.advance(timedelta(days=1))
    for window_id in windows:
        ssm.describe_maintenance_window_executions(WindowId=window_id, MaxResults=10)
    pages = ssm.get_paginator("describe_automation_executions").paginate()
    for page in pages:
        for item in page["AutomationExecutionMetadataList"]:
            execution_id = item["AutomationExecutionId"]
            ssm.get_automation_execution(AutomationExecutionId=execution_id)
            ssm.describe_automation_step_executions(AutomationExecutionId=execution_id)
    for command in ssm.list_commands()["Commands"]:
        assert command["Status"] != "Pending"  # every command sent has started
        ssm.list_command_invocations(CommandId=command["CommandId"], Details=True)


_MODES = st.sampled_from([Mode.CHECKED, Mode.UNCHECKED, Mode.WIRE])


def _draw_and_call(clients: Clients, operation: str, known: Known, data: Any) -> str:
    mode = data.draw(_MODES, label="mode")
    if mode is Mode.WIRE:
        sent: Any = data.draw(wire_body(operation, known), label="body")
    else:
        sent = data.draw(input_params(operation, mode, known), label="params")
    return call_once(clients, operation, mode, sent)


def fuzz(clients: Clients, operation: str, profile: str) -> None:
    """Run ``operation``'s fuzz under the hypothesis ``profile``.

    Read operations share one prepared mock (they change nothing); every example of a
    mutating operation gets a fresh one, and afterwards the mock must still be sound.
    The seeded mock makes the same ids every time, so they are discovered once.
    """
    ssm = clients.checked
    outcomes: Counter[str] = Counter()
    with mock_maintenance_windows(start=START) as mw:
        known = discover(ssm, *prepare(mw, ssm))

        if operation not in MUTATING:

            @settings(settings.get_profile(profile))
            @given(data=st.data())
            def read(data: Any) -> None:
                outcome = _draw_and_call(clients, operation, known, data)
                assert drain() == [], f"{operation} ({outcome}) broke its output shape"
                outcomes[outcome] += 1

            read()

    if operation in MUTATING:

        @settings(settings.get_profile(profile))
        @given(data=st.data())
        def write(data: Any) -> None:
            with mock_maintenance_windows(start=START) as mw:
                made = prepare(mw, ssm)
                assert made == (
                    known.window_id, known.target_id, known.task_id,
                    known.automation_execution_id,
                )
                outcome = _draw_and_call(clients, operation, known, data)
                if outcome != "ParamValidationError":  # botocore refused: the stub saw nothing
                    still_sound(mw, ssm)
                assert drain() == [], f"{operation} ({outcome}) broke its output shape"
                outcomes[outcome] += 1

        write()

    # The fuzz must keep its reach: the examples promised, and both the operation's work
    # and its refusals exercised (each at least one example in fifty: some operations, such
    # as DescribeMaintenanceWindowSchedule with its optional-but-needed members, succeed for
    # only a few percent of generated requests).
    wanted = settings.get_profile(profile).max_examples
    total = sum(outcomes.values())
    assert total >= wanted, f"only {total} examples ran: {dict(outcomes)}"
    assert outcomes["ok"] >= total // 50, f"too few successful calls: {dict(outcomes)}"
    assert total - outcomes["ok"] >= total // 50, f"too few refused calls: {dict(outcomes)}"


@pytest.mark.parametrize("operation", OPERATIONS)
def test_fuzz_operation(clients: Clients, operation: str) -> None:
    fuzz(clients, operation, "reliability-ci")


@pytest.mark.nightly
@pytest.mark.parametrize("operation", OPERATIONS)
def test_fuzz_operation_nightly(clients: Clients, operation: str) -> None:
    fuzz(clients, operation, "reliability-nightly")


def test_there_are_56_operations_and_the_service_answers_each() -> None:
    from ssm_mw_stub.service import OPERATIONS as SERVED

    # The maintenance-window ones are every operation of the model with MaintenanceWindow
    # in its name, and the tagging operations (answered for ResourceType=MaintenanceWindow).
    tagging = {"AddTagsToResource", "ListTagsForResource", "RemoveTagsFromResource"}
    assert set(WINDOW_OPERATIONS) == {
        name for name in MODEL.operation_names if "MaintenanceWindow" in name or name in tagging
    }
    assert len(WINDOW_OPERATIONS) == 26
    assert len(RUN_COMMAND) == 5
    assert len(AUTOMATION_OPERATIONS) == 5
    assert BY_API["Managed nodes"] == ("DescribeInstanceInformation",)
    assert len(BY_API["Patching"]) == 16
    assert len(BY_API["Compliance"]) == 3
    assert len(OPERATIONS) == 56
    assert set(OPERATIONS) == set(SERVED)
