"""Hypothesis strategies for the inputs of the operations, generated from botocore's model.

Every input shape of the service model is turned into a strategy that mixes values the
model allows (so calls get past validation and into the operation's own logic), values at
and just past each boundary (lengths counted in UTF-16 units, as the service does, so a
string of astral characters can be short in Python and too long for the service), values
of the wrong JSON type, nulls, missing required members, unknown members and huge lists.
Member names the service gives meaning to (ids, schedules, dates, time zones, filters,
tokens, targets) also draw from hand-picked domain values, among them the ids of resources
that exist, so the fuzz reaches the code behind the "does not exist" checks.

Three modes, because three kinds of caller reach the service:

``CHECKED``
    a boto3 client with botocore's parameter validation on: any Python value may be passed,
    and botocore refuses what it checks (types, required members, minimums) with
    ``ParamValidationError`` before the stub sees anything.
``UNCHECKED``
    ``Config(parameter_validation=False)``: the service sees what botocore would have
    refused. Only values botocore's JSON serializer can serialise are generated here: with
    validation off the serializer raises ``KeyError`` for an unknown structure member and
    ``AttributeError``/``TypeError`` for a structure, map or list member that is not a
    dict/list (it calls ``.items()`` or iterates), and fails on a blob that is not
    bytes/str. Those are botocore's failures, raised before the stub is reached, so this
    mode keeps structures as dicts of known members and lists as lists; scalar members may
    still be anything JSON can hold (wrong types, nulls).
``WIRE``
    a raw JSON 1.1 request body, for everything the serializer cannot produce: unknown
    members at any depth, structures that are strings or arrays, nulls in lists, bodies
    that are not JSON objects or not JSON at all, nesting deeper than Python's recursion
    limit. ``test_reliability_fuzz`` sends these bodies through boto3 too, replacing the
    serialised body in a ``before-call`` handler registered ahead of the stub's hook.
"""

from __future__ import annotations

import base64
import enum
import json
import string
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import botocore.session
from botocore.model import Shape
from hypothesis import strategies as st

from ssm_mw_stub.answered import ANSWERED, BY_API, TAGGING
from ssm_mw_stub.service.validation import compile_java_pattern

__all__ = [
    "AUTOMATION_OPERATIONS",
    "MODEL",
    "OPERATIONS",
    "OTHER_TAGGABLE",
    "RUN_COMMAND",
    "WINDOW_OPERATIONS",
    "Known",
    "Mode",
    "input_params",
    "snake_case",
    "wire_body",
]

MODEL = botocore.session.get_session().get_service_model("ssm")
#: The operations the stub answers, by API, as the package lists them (ssm_mw_stub.answered).
WINDOW_OPERATIONS: tuple[str, ...] = BY_API["Maintenance windows"]
RUN_COMMAND: tuple[str, ...] = BY_API["Run Command"]
AUTOMATION_OPERATIONS: tuple[str, ...] = BY_API["Automation"]
#: Every operation the stub answers.
OPERATIONS: tuple[str, ...] = tuple(sorted(ANSWERED))

#: Tagging ResourceTypes of other SSM resources (maintenance windows and Automation
#: executions are the stub's): inside a mock these calls are not ours,
#: and the hook stops them with UnmockedOperationError rather than let them go out.
OTHER_TAGGABLE = frozenset(
    {"Document", "ManagedInstance", "Parameter", "PatchBaseline", "OpsItem", "OpsMetadata",
     "Association"}
)

#: Upper bound for "any integer" when the model gives none (a Java int).
_INT_MAX = 2**31 - 1


class Mode(enum.Enum):
    CHECKED = "botocore validates"
    UNCHECKED = "parameter_validation=False"
    WIRE = "raw JSON body"


@dataclass(frozen=True)
class Known:
    """Ids of resources that exist in the fuzzed mock (made by the test's set-up)."""

    window_id: str
    target_id: str
    task_id: str
    execution_id: str
    task_execution_id: str
    invocation_id: str
    client_token: str
    instance_id: str
    #: A running Automation execution with two reported steps.
    automation_execution_id: str = ""
    #: A finished command (the window's) and one still running.
    command_id: str = ""
    running_command_id: str = ""
    #: A patch baseline of the account (registered for patch group "web"), and AWS's
    #: predefined default (by ARN).
    baseline_id: str = ""
    default_baseline_id: str = ""


def snake_case(operation: str) -> str:
    """``DescribeMaintenanceWindows`` -> ``describe_maintenance_windows`` (boto3's name)."""
    return str(botocore.xform_name(operation))


# --- scalar building blocks ---------------------------------------------------------------

#: Characters that stress length counting and patterns: ASCII, Latin-1, CJK, combining
#: marks, separators, astral characters (two UTF-16 units each), controls and lone
#: surrogates (one alphabet: nested ``one_of`` alphabets make hypothesis draws slow).
_SPECIALS = (
    "aZ0-_.:/=@+ %$*?#éß中\u0301\u00a0\u3000\u2028😀\U0001d4b3\x00\n\t\\\"'"
    "\ud800\udfff"
)
_TEXT = st.text(
    alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Z", "C"],
                           include_characters=_SPECIALS),
    max_size=16,
)
#: Strings a Python caller might not expect to be special: surrogates, astral, NUL.
_ODD_STRINGS = st.sampled_from(
    ["\ud800", "a\udfffb", "\x00", "😀", "\U0001d4b3" * 3, "\u2028", " ", "\u0301"]
)
#: Text for members without a pattern: every char one UTF-16 unit, no surrogates.
_PLAIN = st.characters(codec="utf-8", max_codepoint=0xFFFF)

#: A required member is left out one time in twenty.
_REQUIRED = st.integers(min_value=0, max_value=19)
#: Unknown members are added to one structure in sixteen (where the caller can).
_EXTRA = st.integers(min_value=0, max_value=15)


def _java_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _repeat(lengths: list[int]) -> st.SearchStrategy[str]:
    """Strings of exactly the boundary ``lengths``, in 1- and 2-UTF-16-unit characters."""
    usable = sorted({n for n in lengths if 0 <= n <= 20000})
    return st.builds(
        lambda char, n: char * n,
        st.sampled_from(["a", "7", "é", "😀", " "]),
        st.sampled_from(usable or [0]),
    )


#: A value of (mostly) the wrong JSON type for whatever member it lands in.
_WRONG = st.one_of(
    st.sampled_from(
        [None, True, False, 0, -1, 2**64, -(2**63), 1.5, float("nan"), float("inf"), "",
         "x", "1", "true", [], [None], ["x"], [1, "a"], {}, {"a": 1}, {"Key": None}]
    ),
    st.integers(),
    _TEXT,
)
_UNKNOWN_MEMBERS = st.dictionaries(
    st.sampled_from(["Unknown", "windowId", "__type", "", "Extra"]), _WRONG,
    min_size=1, max_size=2,
)
#: Sizes of the "huge" lists and maps, made by repeating one item.
_HUGE = [51, 201, 1001, 10000]


def _ids(prefix: str) -> st.SearchStrategy[str]:
    return st.integers(min_value=0, max_value=2**68 - 1).map(lambda n: f"{prefix}{n:017x}")


_UUID = (
    "^[0-9a-fA-F]{8}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{4}\\-[0-9a-fA-F]{12}$"
)
_UNICODE_KEY = st.characters(categories=["L", "N", "Z"], include_characters="_.:/=+-@")
#: Fast generators for the model's patterns (hypothesis's ``from_regex`` costs a few ms per
#: draw); each result is still checked against the pattern, and any other pattern falls
#: back to ``from_regex``.
_PATTERN_VALUES: dict[str, st.SearchStrategy[str]] = {
    "^mw-[0-9a-f]{17}$": _ids("mw-"),
    _UUID: st.one_of(st.uuids().map(str), st.uuids().map(lambda u: str(u).upper())),
    "^[a-zA-Z0-9_\\-.]{3,128}$": st.one_of(
        st.text(alphabet=string.ascii_letters + string.digits + "_-.", min_size=3,
                max_size=16),
        st.sampled_from(["abc", "a" * 128, "My-First_Window.1"]),
    ),
    "^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$": st.text(alphabet=_UNICODE_KEY, max_size=16),
    "^[\\p{L}\\p{Z}\\p{N}_.:/=\\-@]*$|resource-groups:ResourceTypeFilters|resource-groups:Name": (
        st.one_of(
            st.text(alphabet=_UNICODE_KEY.filter(lambda c: c != "+"), max_size=16),
            st.sampled_from(["resource-groups:Name", "resource-groups:ResourceTypeFilters"]),
        )
    ),
    "^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$": st.one_of(
        st.integers(min_value=1, max_value=9999999).map(str),
        st.integers(min_value=1, max_value=100).map(lambda n: f"{n}%"),
    ),
    "^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$": st.one_of(
        st.integers(min_value=0, max_value=9999999).map(str),
        st.integers(min_value=0, max_value=100).map(lambda n: f"{n}%"),
    ),
    "([$]LATEST|[$]DEFAULT|^[1-9][0-9]*$)": st.one_of(
        st.sampled_from(["$LATEST", "$DEFAULT"]),
        st.integers(min_value=1, max_value=10**6).map(str),
    ),
    "^(?!\\s*$).+": st.text(alphabet=_PLAIN, min_size=1, max_size=16),
}


def _valid_string(shape: Shape) -> st.SearchStrategy[str]:
    meta = shape.metadata
    lo = int(meta.get("min", 0))
    hi = int(meta.get("max", 256))
    enum_values = getattr(shape, "enum", None)
    if enum_values:
        return st.sampled_from(list(enum_values))
    if "pattern" in meta:
        regex = compile_java_pattern(meta["pattern"])
        source = _PATTERN_VALUES.get(meta["pattern"])
        if source is None:
            source = st.from_regex(regex, fullmatch=True)
        return source.filter(
            lambda text: lo <= _java_length(text) <= hi and regex.fullmatch(text) is not None
        )
    # At most 16 characters (draws stay cheap), unless the shape needs more.
    size = max(lo, min(hi, 16))
    return st.one_of(
        st.text(alphabet=string.ascii_letters + string.digits + "-_.", min_size=lo,
                max_size=size),
        st.text(alphabet=_PLAIN, min_size=lo, max_size=size),
        _repeat([lo, hi]),
    )


def _invalid_string(shape: Shape) -> st.SearchStrategy[str]:
    meta = shape.metadata
    lo = int(meta.get("min", 0))
    hi = int(meta.get("max", 0))
    options: list[st.SearchStrategy[str]] = []
    lengths = ([lo - 1] if lo > 0 else []) + ([hi + 1] if hi else [])
    if lengths:
        options.append(_repeat(lengths))
    if hi:
        # Fits in Python's len(), not in Java's: astral characters count twice.
        options.append(st.just("😀" * (hi // 2 + 1)))
    enum_values = getattr(shape, "enum", None)
    if enum_values:
        options.append(st.sampled_from([v.lower() for v in enum_values] + ["", "UNKNOWN"]))
    if "pattern" in meta:
        regex = compile_java_pattern(meta["pattern"])
        options.append(_TEXT.filter(lambda text: regex.fullmatch(text) is None))
    options.append(_TEXT)  # unicode, separators, surrogates: maybe valid, maybe not
    options.append(_ODD_STRINGS)
    return st.one_of(options)


def _integer_bounds(shape: Shape) -> tuple[int, int]:
    meta = shape.metadata
    return int(meta.get("min", -_INT_MAX - 1)), int(meta.get("max", _INT_MAX))


# --- domain values the service gives meaning to ----------------------------------------

_OTHER_WINDOW = "mw-0123456789abcdef0"
_OTHER_UUID = "00000000-0000-4000-8000-000000000000"
_GOOD_SCHEDULES = [
    "cron(0 16 ? * TUE *)", "cron(0/5 * * * ? *)", "cron(0 0 29 2 ? *)",
    "cron(0 2 ? * THU#3 *)", "cron(0 0 L * ? *)", "cron(0 0 3W * ? *)",
    "cron(15 10 ? * 6L *)", "cron(59 23 31 12 ? 2199)", "cron(24 30 09 ? * * *)",
    "cron(30 23 ? * TUE#3 *)", "rate(5 minutes)", "rate(1 hour)", "rate(7 days)",
    "rate(25 days)", "rate(9999 days)", "at(2026-11-25T00:00:00)", "at(2026-11-24T00:00:00)",
    "at(2199-12-31T23:59:59)",
]
_BAD_SCHEDULES = [
    "at(9999-12-31T23:59:59)", "at(1969-12-31T23:59:59)",
    "cron(0/1 * * * ? *)", "cron(0 0 31 2 ? *)", "cron(0 0 1 1 ? 1970)", "cron(0 0 * * * *)",
    "cron(0 0 ? * * 2200)", "cron(60 0 ? * * *)", "rate(1 minute)", "rate(1 hours)",
    "rate(0 days)", "rate(-1 days)", "rate(9999999 days)", "rate(99999999999 days)",
    "rate(1.5 hours)", "at(2020-01-01T00:00:00)", "at(0001-01-01T00:00:00)",
    "at(2026-02-30T00:00:00)", "cron()", "rate()", "at()", "", " ",
    "cron(0 16 ? * TUE *) ", "CRON(0 16 ? * TUE *)",
]
_GOOD_ZONES = [
    "UTC", "America/Los_Angeles", "Asia/Kathmandu", "Australia/Lord_Howe", "Etc/GMT+12",
    "Etc/GMT-14", "Pacific/Kiritimati", "Europe/London",
]
_BAD_ZONES = [
    "etc/UTC", "Mars/Olympus", "../../etc/passwd", "", " ", "\x00",
    "America/Los_Angeles\x00", "GMT+5", "+05:00", "Z",
]
_GOOD_DATES = [
    "2026-11-24T00:00:00Z", "2026-11-25T00:00:00-08:00", "2026-11-24T00:00:00.123Z",
    "2027-01-01T00:00:00+14:00", "2030-06-30T12:00:00Z", "9999-12-31T23:59:59Z",
    "9999-12-31T23:59:59-14:00",
]
_BAD_DATES = [
    "2020-01-01T00:00:00Z", "2026-11-24T00:00:00", "2026-11-24", "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00", "2026-02-30T00:00:00Z", "2026-11-24T24:00:00Z",
    "2026-11-24T00:00:00+99:00", "not a date", "", "٢٠٢٦-01-01",
]
_INSTANCES = ["i-0123456789abcdef0", "i-01234567", "mi-0123456789abcdef0"]
_FILTER_KEYS = {
    "DescribeMaintenanceWindows": ["Name", "Enabled"],
    "DescribeMaintenanceWindowTargets": ["Type", "WindowTargetId", "OwnerInformation"],
    "DescribeMaintenanceWindowTasks": ["WindowTaskId", "TaskArn", "Priority", "TaskType"],
    "DescribeMaintenanceWindowExecutions": ["ExecutedBefore", "ExecutedAfter"],
    "DescribeMaintenanceWindowExecutionTasks": ["STATUS"],
    "DescribeMaintenanceWindowExecutionTaskInvocations": ["STATUS"],
    "DescribeMaintenanceWindowSchedule": ["ScheduledBefore", "ScheduledAfter"],
    "DescribeAutomationExecutions": [
        "DocumentNamePrefix", "ExecutionStatus", "ExecutionId", "ParentExecutionId",
        "CurrentAction", "StartTimeBefore", "StartTimeAfter", "AutomationType", "TagKey",
        "TargetResourceGroup", "AutomationSubtype", "OpsItemId",
    ],
    "DescribeAutomationStepExecutions": [
        "StartTimeBefore", "StartTimeAfter", "StepExecutionStatus", "StepExecutionId",
        "StepName", "Action", "ParentStepExecutionId", "ParentStepIteration",
        "ParentStepIteratorValue",
    ],
}
_ALL_FILTER_KEYS = sorted({key for keys in _FILTER_KEYS.values() for key in keys})
_FILTER_VALUES = [
    "true", "false", "TRUE", "fuzz", "INSTANCE", "RESOURCE_GROUP", "RUN_COMMAND",
    "AWS-RunShellScript", "0", "1", "-1", "SUCCESS", "FAILED", "PENDING",
    "SKIPPED_OVERLAPPING", "owner", *_GOOD_DATES, *_BAD_DATES[:8],
    "Success", "InProgress", "Cancelled", "Local", "CrossAccount", "ChangeRequest", "AWS-",
    "Fuzz", "aws:executeScript", "aws:changeInstanceState", "stopInstances", "2", "x1",
]
_DOCUMENTS = [
    "AWS-RestartEC2Instance", "Fuzz-Runbook",
    "arn:aws:ssm:us-east-1:123456789012:document/Fuzz-Runbook",
]
_BAD_DOCUMENTS = ["a:b", "arn:aws:ssm:us-east-1:123456789012:document/x", "doc/with/slash"]
_AUTOMATION_TARGETS = [
    [{"Key": "ParameterValues", "Values": ["i-0123456789abcdef0", "i-01234567"]}],
    [{"Key": "tag:Environment", "Values": ["Prod"]}],
    [{"Key": "ResourceGroup", "Values": ["group"]}],
    [{"Key": "tag-key", "Values": ["Environment"]}],
    [],
]
_UUIDS = [
    "7a1d5f0e-8b2c-4d3e-9f4a-5b6c7d8e9f00", "7A1D5F0E-8B2C-4D3E-9F4A-5B6C7D8E9F00",
]
_TASK_ARNS = [
    "AWS-RunShellScript", "AWS-RestartEC2Instance",
    "arn:aws:lambda:us-east-1:123456789012:function:SSMrestart",
    "arn:aws:states:us-east-1:123456789012:stateMachine:SSMflow",
]
_GOOD_RATE_CONTROLS = ["1", "10%", "100%", "50", "9999999"]
_BAD_RATE_CONTROLS = ["0", "0%", "101%", "10000000", "1.5", "", " 1"]


def _tokens(operation: str) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str]]:
    """NextTokens shaped like the stub's own (base64 JSON cursors), and garbage."""

    def token(op: str, cursor: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps({"op": op, "c": cursor}).encode()).decode()

    good = st.builds(token, st.just(operation),
                     st.sampled_from([0, 10, 99, ["2026-11-25T01:00:00+00:00", "mw-x"]]))
    cursors = [-1, 2**31, 2**63, 10**30, "x", None, 1.5, True, [1], ["9999-12-31", "m"]]
    bad = st.one_of(
        st.builds(token, st.sampled_from([operation, "DescribeMaintenanceWindows"]),
                  st.sampled_from(cursors)),
        st.sampled_from(["abc", "====", "e30=", "bnVsbA==", "\u00e9", "a" * 5000]),
    )
    return good, bad


Hint = tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]


def _sample(good: list[Any], bad: list[Any]) -> Hint:
    return st.sampled_from(good), st.sampled_from(bad)


def _hints(known: Known, operation: str) -> dict[str, Hint]:
    """(valid, invalid) domain strategies by member name, mixed with the model-driven ones.

    "Valid" means the service should accept the value on its own; whether the call then
    succeeds depends on the rest of the request and on the state (that is the point).
    """
    k = known
    task_call = "Task" in operation
    if task_call:
        good_targets = st.sampled_from([
            [{"Key": "WindowTargetIds", "Values": [k.target_id]}],
            [{"Key": "InstanceIds", "Values": [k.instance_id]}],
            [{"Key": "InstanceIds", "Values": _INSTANCES}],
            [],
        ])
    else:
        good_targets = st.sampled_from([
            [{"Key": "InstanceIds", "Values": [k.instance_id]}],
            [{"Key": "InstanceIds", "Values": _INSTANCES}],
            [{"Key": "tag:Environment", "Values": ["Prod", "Dev"]}],
            [{"Key": "tag-key", "Values": ["Environment"]},
             {"Key": "tag:Patch Group", "Values": ["web"]}],
            [{"Key": "resource-groups:Name", "Values": ["group"]},
             {"Key": "resource-groups:ResourceTypeFilters", "Values": ["AWS::EC2::Instance"]}],
        ])
    bad_target_keys = [
        "instanceids", "tag:", "Role", "", "WindowTargetIds", "InstanceIds", "tag:Environment",
        "resource-groups:Name",
    ]
    bad_targets = st.lists(
        st.fixed_dictionaries({
            "Key": st.sampled_from(bad_target_keys),
            "Values": st.lists(st.sampled_from(
                [*_INSTANCES, "i-zz", "", k.target_id, _OTHER_UUID, "Prod"]), max_size=7),
        }),
        max_size=7,
    )
    keys = _FILTER_KEYS.get(operation, [])
    good_filters = st.lists(
        st.fixed_dictionaries({
            "Key": st.sampled_from(keys or ["Name"]),
            "Values": st.lists(st.sampled_from(_FILTER_VALUES), min_size=1, max_size=3),
        }),
        max_size=3 if keys else 0,
    )
    bad_filters = st.lists(
        st.fixed_dictionaries({
            "Key": st.sampled_from([*_ALL_FILTER_KEYS, "status", "Bogus", ""]),
            "Values": st.lists(st.sampled_from([*_FILTER_VALUES, *_BAD_DATES]), max_size=3),
        }),
        min_size=1, max_size=6,
    )
    good_tags = st.lists(
        st.fixed_dictionaries({
            "Key": st.sampled_from(["k", "Environment", "Patch Group", "a.b:c/d=e+f-g@h"]),
            "Value": st.sampled_from(["v", "", "Prod", "v" * 256]),
        }),
        max_size=4,
    )
    bad_tags = st.lists(
        st.fixed_dictionaries({
            "Key": st.sampled_from(["aws:x", "AWS:x", "", "k" * 129, "k!"]),
            "Value": st.sampled_from(["v", "v" * 257, "#"]),
        }),
        min_size=1, max_size=4,
    )
    good_token, bad_token = _tokens(operation)
    hints: dict[str, Hint] = {
        "WindowId": _sample([k.window_id], [_OTHER_WINDOW, "mw-0c5ed765acEXAMPLE",
                                            k.window_id.upper()]),
        "ResourceId": _sample([k.window_id], [_OTHER_WINDOW, "mw-0c5ed765acEXAMPLE", "doc", ""]),
        "WindowTargetId": _sample([k.target_id], [_OTHER_UUID, k.target_id.upper()]),
        "WindowTaskId": _sample([k.task_id], [_OTHER_UUID, k.task_id.upper()]),
        "WindowExecutionId": _sample([k.execution_id], [_OTHER_UUID, k.execution_id.upper()]),
        "TaskId": _sample([k.task_execution_id], [k.task_id, _OTHER_UUID]),
        "InvocationId": _sample([k.invocation_id], [_OTHER_UUID]),
        "Schedule": _sample(_GOOD_SCHEDULES, _BAD_SCHEDULES),
        "ScheduleTimezone": _sample(_GOOD_ZONES, _BAD_ZONES),
        "StartDate": _sample(_GOOD_DATES[:5], _BAD_DATES),
        "EndDate": _sample(_GOOD_DATES, _BAD_DATES),
        "Duration": (st.integers(min_value=2, max_value=24), st.sampled_from([0, 1, 25, -1])),
        "Cutoff": (st.integers(min_value=0, max_value=1), st.sampled_from([-1, 23, 24, 2])),
        "ScheduleOffset": (st.integers(min_value=1, max_value=6), st.sampled_from([0, 7, -1])),
        "Targets": (good_targets, bad_targets),
        "Filters": (good_filters, bad_filters),
        "Tags": (good_tags, bad_tags),
        "TagKeys": _sample([["k"], ["Environment"], ["missing", "k"]], [["aws:x"], [""], []]),
        "TaskArn": _sample(_TASK_ARNS, ["", "x" * 1601]),
        "TaskType": _sample(["RUN_COMMAND", "AUTOMATION", "LAMBDA", "STEP_FUNCTIONS"],
                            ["run_command", "BOGUS", ""]),
        "MaxConcurrency": _sample(_GOOD_RATE_CONTROLS, _BAD_RATE_CONTROLS),
        "MaxErrors": _sample([*_GOOD_RATE_CONTROLS, "0", "0%"], ["101%", "10000000", "", "x"]),
        "NextToken": (good_token, bad_token),
        "MaxResults": _sample([10, 50, 100], [0, 1, 9, 101, 1000, _INT_MAX, 2**63, 10**20]),
        "ClientToken": _sample([k.client_token, "token"], ["", "t" * 65]),
        "OwnerInformation": _sample(["owner", "o" * 128], ["", "o" * 129]),
        "Priority": _sample([0, 1, 5, _INT_MAX], [-1, _INT_MAX + 1]),
    }
    if operation == "StartAutomationExecution":
        hints["Targets"] = _sample(
            _AUTOMATION_TARGETS,
            [[{"Key": "InstanceIds", "Values": ["i-1"]}], [{"Key": "ResourceGroup", "Values": []}]],
        )
        hints["ClientToken"] = _sample(_UUIDS, ["", "token", _UUIDS[0][:35]])
    hints["AutomationExecutionId"] = _sample(
        [k.automation_execution_id], [_OTHER_UUID, k.automation_execution_id.upper()]
    )
    hints["DocumentName"] = _sample(_DOCUMENTS, _BAD_DOCUMENTS)
    hints["TargetParameterName"] = _sample(["InstanceId"], ["", "p" * 51])
    if operation in RUN_COMMAND:
        hints.update(_run_command_hints(known, operation))
    hints["BaselineId"] = _sample(
        [k.baseline_id, k.default_baseline_id],
        ["pb-0123456789abcdef0", "arn:aws:ssm:us-east-1:075727635805:patchbaseline/pb-0"],
    )
    hints["PatchGroup"] = _sample(["web", "db"], ["", "g" * 257])
    if operation == "DescribeInstancePatches":
        hints["InstanceId"] = _sample([k.instance_id], ["i-0fffffffffffffff0", "x"])
    if operation in TAGGING:
        hints["ResourceId"] = _sample(
            [k.window_id, k.automation_execution_id],
            [_OTHER_WINDOW, "mw-0c5ed765acEXAMPLE", "doc", "", _OTHER_UUID],
        )
        hints["ResourceType"] = _sample(
            ["MaintenanceWindow", "Automation"],
            ["Document", "Parameter", "PatchBaseline", "maintenancewindow", "", "INSTANCE"],
        )
    else:
        hints["ResourceType"] = _sample(["INSTANCE", "RESOURCE_GROUP"],
                                        ["instance", "", "MaintenanceWindow"])
    return hints


_COMMAND_FILTERS = {
    "InvokedAfter": ["2026-11-24T00:00:00Z", "2020-01-01T00:00:00Z", "not a date", ""],
    "InvokedBefore": ["2027-01-01T00:00:00Z", "2026-11-24T01:00:00.000+00:00", "2026-13-01"],
    "Status": ["Success", "Failed", "TimedOut", "Pending", "InProgress", "Incomplete",
               "Undeliverable", "DeliveryTimedOut", "Bogus", "success"],
    "ExecutionStage": ["Executing", "Complete", "Done"],
    "DocumentName": ["AWS-RunShellScript", "AWS-RunPowerShellScript", "Other"],
}


def _run_command_hints(known: Known, operation: str) -> dict[str, Hint]:
    """Domain values of Run Command's members: the commands and node that exist, filters
    with the lower-case ``key``/``value`` of CommandFilter, SNS and IAM ARNs."""
    k = known
    commands = [k.command_id, k.running_command_id]
    good_filters = st.lists(
        st.sampled_from(sorted(_COMMAND_FILTERS)).flatmap(
            lambda key: st.fixed_dictionaries(
                {"key": st.just(key), "value": st.sampled_from(_COMMAND_FILTERS[key][:2])}
            )
        ),
        max_size=2,
    )
    bad_filters = st.lists(
        st.fixed_dictionaries({
            "key": st.sampled_from([*_COMMAND_FILTERS, "status", "Bogus", ""]),
            "value": st.sampled_from([v for vs in _COMMAND_FILTERS.values() for v in vs]),
        }),
        min_size=1, max_size=6,
    )
    topic = "arn:aws:sns:us-east-1:123456789012:run-command"
    return {
        "CommandId": _sample(commands, [_OTHER_UUID, "x" * 36, k.command_id.upper()]),
        "InstanceId": _sample([k.instance_id], ["i-0000000000000beef", "mi-0123456789abcdef0"]),
        "InstanceIds": _sample(
            [[k.instance_id], []],
            [["i-0000000000000beef"], [k.instance_id, k.instance_id], ["bogus"]],
        ),
        "PluginName": _sample(["aws:runShellScript", "aws:runPowerShellScript"],
                              ["PatchLinux", "aws:runshellscript", "step"]),
        "DocumentName": _sample(
            ["AWS-RunShellScript", "AWS-RunPatchBaseline", "AWS-RunPowerShellScript",
             "arn:aws:ssm:us-east-1:123456789012:document/Mine"],
            ["", "a", "arn:aws:ssm:::document/" + "x" * 200, "bad name"],
        ),
        "Filters": (good_filters, bad_filters),
        "NotificationConfig": _sample(
            [{"NotificationArn": topic, "NotificationEvents": ["All"],
              "NotificationType": "Command"},
             {"NotificationArn": topic, "NotificationEvents": ["Success", "Failed"],
              "NotificationType": "Invocation"}],
            [{"NotificationArn": "not-an-arn"}, {"NotificationType": "Nope"}],
        ),
        "ServiceRoleArn": _sample(["arn:aws:iam::123456789012:role/sns-publisher"],
                                  ["role", "arn:aws:iam::1:user/x"]),
        "OutputS3BucketName": _sample(["run-command-output"], ["", "ab", "b" * 64]),
        "MaxResults": _sample([1, 10, 50], [0, 51, 100, 2**63]),
        "TimeoutSeconds": _sample([30, 600, 3600, 2592000], [29, 0, -1, 2592001]),
    }


# --- shape-driven strategies --------------------------------------------------------------


def _weighted(
    common: st.SearchStrategy[Any], rare: st.SearchStrategy[Any]
) -> st.SearchStrategy[Any]:
    """``common`` five times in six, ``rare`` otherwise."""
    return st.integers(min_value=0, max_value=5).flatmap(
        lambda n: rare if n == 5 else common
    )


class _Builder:
    """Builds, once, the valid and invalid strategies of every shape of one operation.

    Strategies are built ahead of drawing and reused for every example: building them
    inside a draw would make hypothesis re-analyse fresh strategy objects each time.
    Each member of a structure is drawn from its valid strategy nine times in ten and from
    its invalid one otherwise, so most requests are wholly or almost wholly valid and reach
    the operation's logic, while every kind of invalid value still turns up.
    """

    def __init__(self, mode: Mode, hints: Mapping[str, Hint]) -> None:
        self.mode = mode
        self.hints = hints
        #: May a value be of the wrong JSON type, a container null, a member unknown?
        self.loose = mode is not Mode.UNCHECKED
        self._valid: dict[tuple[str, str], st.SearchStrategy[Any]] = {}
        self._invalid: dict[tuple[str, str], st.SearchStrategy[Any]] = {}

    # valid ---------------------------------------------------------------------------

    def valid(self, shape: Shape, name: str = "") -> st.SearchStrategy[Any]:
        key = (shape.name, name)
        if key not in self._valid:
            hint = self.hints.get(name)
            if name == "TaskInvocationParameters":
                # One branch (or none): the service refuses branches of other task types.
                branches = shape.members.items()  # type: ignore[attr-defined]
                generic = st.one_of(st.just({}), *(
                    st.fixed_dictionaries({branch: self.valid(member)})
                    for branch, member in branches
                ))
            else:
                generic = self._valid_generic(shape)
            # Domain values five times in six: a model-valid id is mostly one that does
            # not exist, a model-valid Targets list mostly one the service refuses.
            # (Weighted by a drawn number: one_of() drops repeated branches.)
            self._valid[key] = generic if hint is None else _weighted(hint[0], generic)
        return self._valid[key]

    def _valid_generic(self, shape: Shape) -> st.SearchStrategy[Any]:
        kind = shape.type_name
        meta = shape.metadata
        if kind == "structure":
            return self.structure(shape, corrupt=False)
        if kind == "list":
            lo = int(meta.get("min", 0))
            hi = int(meta.get("max", 3))
            return st.lists(self.valid(shape.member),  # type: ignore[attr-defined]
                            min_size=lo, max_size=max(lo, min(hi, 3)))
        if kind == "map":
            lo = int(meta.get("min", 0))
            hi = int(meta.get("max", 3))
            return st.dictionaries(
                self.valid(shape.key), self.valid(shape.value),  # type: ignore[attr-defined]
                min_size=lo, max_size=max(lo, min(hi, 3)),
            )
        if kind == "string":
            return _valid_string(shape)
        if kind in ("integer", "long"):
            lo, hi = _integer_bounds(shape)
            return st.integers(min_value=lo, max_value=hi)
        if kind == "boolean":
            return st.booleans()
        if kind == "blob":
            hi = int(meta.get("max", 32))
            raw = st.binary(max_size=min(hi, 32))
            if self.mode is Mode.WIRE:
                return raw.map(lambda b: base64.b64encode(b).decode())
            return raw
        return st.integers(min_value=0, max_value=2**31)  # no other kinds in these inputs

    # invalid -------------------------------------------------------------------------

    def invalid(self, shape: Shape, name: str = "") -> st.SearchStrategy[Any]:
        key = (shape.name, name)
        if key not in self._invalid:
            hint = self.hints.get(name)
            generic = self._invalid_generic(shape)
            self._invalid[key] = generic if hint is None else st.one_of(hint[1], generic)
        return self._invalid[key]

    def _invalid_generic(self, shape: Shape) -> st.SearchStrategy[Any]:
        kind = shape.type_name
        meta = shape.metadata
        options: list[st.SearchStrategy[Any]] = []
        # botocore's serializer (validation off) iterates containers and base64-encodes
        # blobs: only scalars other than blobs may be of the wrong type there.
        container = kind in ("structure", "list", "map", "blob")
        if self.loose or not container:
            # Wrong JSON types and nulls: botocore refuses them with validation on,
            # serialises scalars as they are with validation off, the wire carries all.
            options.append(_WRONG)
        if kind == "structure":
            options.append(self.structure(shape, corrupt=True))
        elif kind == "list":
            member = shape.member  # type: ignore[attr-defined]
            hi = int(meta.get("max", 0))
            item = self.valid(member)
            # Huge lists repeat one item: cheap to draw, still huge to handle.
            options.append(st.builds(lambda x, n: [x] * n, item,
                                     st.sampled_from(sorted({hi + 1, *_HUGE} - {1}))))
            if int(meta.get("min", 0)) > 0:
                options.append(st.just([]))
            options.append(st.builds(lambda good, bad: [*good, bad],
                                     st.lists(item, max_size=2), self.invalid(member)))
        elif kind == "map":
            key_shape = shape.key  # type: ignore[attr-defined]
            value_shape = shape.value  # type: ignore[attr-defined]
            hi = int(meta.get("max", 0))
            options.append(st.builds(lambda v, n: {f"k{i}": v for i in range(n)},
                                     self.valid(value_shape),
                                     st.sampled_from(sorted({hi + 1, *_HUGE} - {1}))))
            options.append(st.dictionaries(self.invalid(key_shape).filter(
                lambda k: isinstance(k, str)), self.valid(value_shape), min_size=1, max_size=2))
            options.append(st.dictionaries(self.valid(key_shape), self.invalid(value_shape),
                                           min_size=1, max_size=2))
        elif kind == "string":
            options.append(_invalid_string(shape))
        elif kind in ("integer", "long"):
            lo, hi = _integer_bounds(shape)
            options.append(st.sampled_from(
                [lo - 1, hi + 1, _INT_MAX + 1, -(2**63), 2**63, 10**30]
            ))
        elif kind == "blob":
            hi = int(meta.get("max", 0))
            too_long = st.just(b"\x00" * (hi + 1)) if hi else st.just(b"")
            if self.mode is Mode.WIRE:
                options.append(too_long.map(lambda b: base64.b64encode(b).decode()))
                options.append(st.sampled_from(["not base64!", "====", "YQ", "\u00e9"]))
            else:
                options.append(too_long)
                options.append(st.text(max_size=8))  # botocore encodes str as UTF-8
        return st.one_of(options)

    # structures ------------------------------------------------------------------------

    def structure(self, shape: Shape, *, corrupt: bool) -> st.SearchStrategy[dict[str, Any]]:
        """A structure of valid members, each optional one present one time in four; or
        (``corrupt``) the same with mostly one member drawn from its invalid strategy, a
        required member left out one time in twenty and unknown members one in sixteen.

        Few draws per structure, whatever its size: each hypothesis draw has a cost, and
        the task shapes have dozens of members.
        """
        members: Mapping[str, Shape] = shape.members  # type: ignore[attr-defined]
        required = [name for name in members if name in shape.required_members]  # type: ignore[attr-defined]
        optional = [name for name in members if name not in required]
        good = {name: self.valid(member, name) for name, member in members.items()}
        bad = {name: self.invalid(member, name) for name, member in members.items()}
        masks = st.integers(min_value=0, max_value=2 ** len(optional) - 1)
        extras = corrupt and self.loose

        @st.composite
        def draw_structure(draw: st.DrawFn) -> dict[str, Any]:
            chosen = draw(masks) & draw(masks) if optional else 0
            names = list(required)
            if corrupt and required and draw(_REQUIRED) == 0:
                names.pop(draw(st.integers(min_value=0, max_value=len(names) - 1)))
            names += [name for bit, name in enumerate(optional) if chosen >> bit & 1]
            spoilt = -1
            if corrupt and names:
                spoilt = draw(st.integers(min_value=0, max_value=len(names) + len(names) // 4))
            out = {
                name: draw(bad[name] if index == spoilt else good[name])
                for index, name in enumerate(names)
            }
            if extras and draw(_EXTRA) == 0:
                out.update(draw(_UNKNOWN_MEMBERS))
            return out

        return draw_structure()


@cache
def input_params(operation: str, mode: Mode, known: Known) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments (or a wire body, for ``Mode.WIRE``) for ``operation``."""
    shape = MODEL.operation_model(operation).input_shape
    builder = _Builder(mode, _hints(known, operation))
    # Half the requests are valid throughout (as far as the model and the domain values
    # go), so every operation's success path is fuzzed as hard as its refusals.
    return st.one_of(
        builder.structure(shape, corrupt=False), builder.structure(shape, corrupt=True)
    )


#: Bodies no serializer produces: not JSON, not an object, nested beyond any limit.
_ODD_BODIES = st.sampled_from(
    [b"", b"{", b"[]", b"null", b"0", b'"text"', b"\xff\xfe\x00", b'{"a":}',
     b"[" * 100000 + b"]" * 100000, b'{"a":' * 5000 + b"1" + b"}" * 5000,
     b"\xef\xbb\xbf{}", b'{"WindowId": "\\ud800"}', b"NaN", b'{"Duration": NaN}']
)


def _nest(depth: int) -> bytes:
    """Members nested ``depth`` arrays deep: JSON that still decodes, but whose rendering
    in an error message would recurse once per level."""
    value = b"[" * depth + b'"x"' + b"]" * depth
    return b'{"WindowId": ' + value + b', "Name": ' + value + b"}"


@cache
def wire_body(operation: str, known: Known) -> st.SearchStrategy[bytes]:
    """A raw request body for ``operation``: usually a JSON object, sometimes not."""
    as_json = input_params(operation, Mode.WIRE, known).map(
        lambda params: json.dumps(params).encode()
    )
    deep = st.sampled_from([10, 500, 900, 990, 5000]).map(_nest)
    odd = st.one_of(deep, _ODD_BODIES)
    return st.integers(min_value=0, max_value=9).flatmap(
        lambda n: odd if n == 0 else as_json
    )
