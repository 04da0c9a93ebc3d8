"""Every speed trick of the call path against its plain twin, on the same inputs.

Unit tests, because the equivalence is the point (docs/architecture.md, "Every speed trick
of this path lives in wire.py"): the fast form may only be faster, never different.

- decode: json's scanner and the text search for ``null`` vs ``json.loads`` and the walk,
  on the fuzz suite's raw bodies of every answered operation (objects, wrong types, nulls,
  unknown members, bodies that are not JSON at all);
- predicates: each input shape's generated predicate vs the checkers that word the
  errors, on the same bodies: the same accept or reject, the same error, the same body
  after unknown members are dropped;
- response: the lazy-header response vs the plain one, member by member;
- date: the Date header written once per instant vs ``format_datetime`` every time;
- the whole path: a round of calls answered with every trick on, and again with every
  trick on its plain twin, gives the same responses through boto3.

The timestamp parser's differential tests (vs ``botocore.utils.parse_timestamp``, in
every kind of local zone) are in tests/test_parsing.py.
"""

from __future__ import annotations

import copy
import json
from contextlib import nullcontext
from datetime import datetime, timezone
from typing import Any

import boto3
import pytest
from botocore.awsrequest import HeadersDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssm_mw_stub import mock_maintenance_windows, wire
from ssm_mw_stub.service.errors import ServiceError
from ssm_mw_stub.service.validation import predicate, validate_input

from .helpers import START, WINDOW
from .reliability.mw_fuzz_strategies import MODEL, OPERATIONS, Known, wire_body

KNOWN = Known(
    window_id="mw-0123456789abcdef0", target_id="11111111-2222-4333-8444-555555555555",
    task_id="11111111-2222-4333-8444-666666666666",
    execution_id="11111111-2222-4333-8444-777777777777",
    task_execution_id="11111111-2222-4333-8444-888888888888",
    invocation_id="11111111-2222-4333-8444-999999999999", client_token="token",
    instance_id="i-0123456789abcdef0",
)

EXAMPLES = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _outcome(call: Any) -> tuple[str, Any]:
    """What a call did: ("ok", its result) or ("error", the error's type and words)."""
    try:
        return "ok", call()
    except (ServiceError, wire.BodyError, ValueError, RecursionError) as error:
        return "error", (type(error).__name__, str(error))


def _decoded(body: bytes, *plain: str) -> tuple[str, Any]:
    with wire.plain(*plain) if plain else nullcontext():
        return _outcome(lambda: wire.decode(body))


def kind_of(body: bytes) -> str:
    return _outcome(lambda: wire.decode_text(body))[0]


#: Requests nested deeper than this are decoded and compared above, but not copied and
#: validated twice: ``copy.deepcopy`` of a body nested thousands deep raises RecursionError
#: at a depth that varies with the stack (Python 3.13), which hypothesis reports as flaky.
MAX_COMPARED_DEPTH = 100


def _depth(value: Any) -> int:
    """How deep lists and objects nest in ``value`` (iteratively: no recursion limit)."""
    deepest, pending = 0, [(value, 1)]
    while pending:
        item, level = pending.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            deepest = max(deepest, level)
            pending.extend((child, level + 1) for child in item)
    return deepest


def _validated(shape: Any, body: Any, *plain: str) -> tuple[str, Any]:
    """validate_input's outcome on a copy of ``body``, and the copy afterwards (unknown
    members dropped)."""
    mine = copy.deepcopy(body)
    with wire.plain(*plain) if plain else nullcontext():
        # Twice: the fast form's predicate is generated at a shape's second use.
        _outcome(lambda: validate_input(shape, copy.deepcopy(body)))
        outcome = _outcome(lambda: validate_input(shape, mine))
    return outcome[0], (outcome[1], mine)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_decode_and_predicates_agree_with_their_plain_twins(operation: str) -> None:
    shape = MODEL.operation_model(operation).input_shape

    @EXAMPLES
    @given(body=wire_body(operation, KNOWN))
    def agree(body: bytes) -> None:
        decoded = _decoded(body)
        assert decoded == _decoded(body, "decode")
        # The text search for null is only a pre-check: what it lets through has no null.
        if body.startswith(b"{") and kind_of(body) == "ok":
            value, may_hold_null = wire.decode_text(body)
            assert may_hold_null or "null" not in json.dumps(value)
        kind, request = decoded
        if kind != "ok" or _depth(request) > MAX_COMPARED_DEPTH:
            return
        assert _validated(shape, request) == _validated(shape, request, "predicates")
        # The predicate never says yes where the checkers say no, or where the plain
        # path would drop a member.
        if predicate(shape)(request):
            assert _validated(shape, request, "predicates") == ("ok", (None, request))

    agree()


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
), st.sampled_from([b"", b" ", b"\n", b" x", b"}"]))
def test_decode_agrees_on_any_json_value_and_trailing_text(value: Any, tail: bytes) -> None:
    body = json.dumps({"Value": value}).encode() + tail
    assert _decoded(body) == _decoded(body, "decode")


@given(st.dictionaries(st.text(st.characters(min_codepoint=33, max_codepoint=126),
                                min_size=1, max_size=12),
                       st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=20),
                       max_size=5),
       st.integers(100, 599), st.text(max_size=40).map(str.encode))
def test_lazy_response_reads_as_the_plain_one(
    headers: dict[str, str], status: int, raw: bytes
) -> None:
    lazy = wire.LazyResponse("https://ssm", status, dict(headers), raw)
    plain = wire.StubResponse("https://ssm", status, dict(headers), raw)
    assert (lazy.url, lazy.status_code, lazy.content, lazy.raw) == (
        plain.url, plain.status_code, plain.content, plain.raw)
    assert dict(lazy.headers) == dict(plain.headers)
    for key in headers:
        assert lazy.headers[key.upper()] == plain.headers[key.upper()]
    assert lazy.text == plain.text
    replaced = HeadersDict({"x-replaced": "1"})
    lazy.headers = plain.headers = replaced
    assert lazy.headers is plain.headers is replaced


@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
), st.text(), st.text())
def test_bodies_are_json_dumps_output(value: Any, code: str, message: str) -> None:
    assert wire.encode(value) == json.dumps(value, separators=(",", ":")).encode()
    key = "message" if code == "ValidationException" else "Message"
    assert json.loads(wire.error_body(code, message)) == {"__type": code, key: message}


def _round() -> list[Any]:
    """The tutorial's calls and two refusals, through boto3, on a fresh mock."""
    out: list[Any] = []
    with mock_maintenance_windows(start=START, seed=7):
        ssm = boto3.client("ssm", region_name="us-east-1")
        window = ssm.create_maintenance_window(Name="wire", **WINDOW)["WindowId"]
        target = ssm.register_target_with_maintenance_window(
            WindowId=window, ResourceType="INSTANCE",
            Targets=[{"Key": "InstanceIds", "Values": ["i-0123456789abcdef0"]}],
        )["WindowTargetId"]
        out.append(target)
        out.append(ssm.register_task_with_maintenance_window(
            WindowId=window, TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
            Targets=[{"Key": "WindowTargetIds", "Values": [target]}],
            MaxConcurrency="1", MaxErrors="1",
        ))
        out.append(ssm.get_maintenance_window(WindowId=window))
        out.append(ssm.describe_maintenance_window_tasks(WindowId=window))
        for bad in ({"WindowId": "mw-zzzzzzzzzzzzzzzzz"}, {"WindowId": "mw-0000000000000000a"}):
            try:
                ssm.get_maintenance_window(**bad)
            except ssm.exceptions.ClientError as error:
                out.append(error.response)
    for response in out:
        if isinstance(response, dict):
            response.get("ResponseMetadata", {}).pop("HTTPHeaders", None)
            response.get("ResponseMetadata", {}).pop("RequestId", None)
    return out


def test_every_trick_on_its_plain_twin_answers_the_same() -> None:
    assert {"date", "decode", "predicates", "response", "timestamps"} <= set(wire.TRICKS)
    fast = _round()
    with wire.plain():
        plain = _round()
    assert fast == plain
    assert _round() == fast  # the switchboard put every trick back


@given(st.lists(st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 1, 1),
                             timezones=st.just(timezone.utc)),  # the fake clock's zone
                min_size=1, max_size=4))
def test_the_date_header_memo_writes_what_format_datetime_writes(instants: list[datetime]) -> None:
    # Each instant twice in a row (the memo's hit), then the next one (its miss).
    for when in instants:
        for _ in range(2):
            assert wire.http_date_fast(when) == wire.http_date_plain(when)
