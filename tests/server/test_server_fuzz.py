"""Fuzzing the server over raw HTTP: no request makes it answer 5xx or stop answering.

Two levels: arbitrary bytes on a socket (request lines, headers, bodies that are not HTTP
at all), and well-formed HTTP with arbitrary methods, paths, targets, content types and
bodies (random JSON, and JSON in the shape of real operations with values of any type).
Each answer must be below 500 and, for a refusal, a JSON ``{"__type", "message"}`` body;
after each example the server still answers a plain request.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ssm_mw_stub.server import ServedMaintenanceWindows, serving

from .server_helpers import post, raw_request

OPERATIONS = ["CreateMaintenanceWindow", "RegisterTaskWithMaintenanceWindow", "SendCommand",
              "GetMaintenanceWindowExecutionTask", "StartAutomationExecution",
              "DescribeMaintenanceWindowSchedule", "AddTagsToResource", "GetParameter"]
MEMBERS = ["Name", "Schedule", "Duration", "Cutoff", "WindowId", "Targets", "TaskArn",
           "TaskType", "DocumentName", "InstanceIds", "Parameters", "ResourceType", "Tags",
           "MaxConcurrency", "NextToken", "Filters", "AllowUnassociatedTargets"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def served() -> Iterator[ServedMaintenanceWindows]:
    with serving(start="2026-11-24T00:00:00Z") as running:
        yield running


def _still_answering(url: str) -> None:
    assert post(url, "DescribeMaintenanceWindows").status == 200


def _assert_answer(status: int, body: bytes, content_type: str) -> None:
    assert status < 500, body
    if status >= 400 and "json" in content_type:
        error = json.loads(body)
        assert "__type" in error
        assert "message" in error or "Message" in error


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=300) | st.builds(
    lambda line, rest: line + b"\r\n" + rest,
    st.sampled_from([b"POST / HTTP/1.1", b"GET /_ssm-mw-stub/clock HTTP/1.1", b"POST /",
                     b"PUT /_ssm-mw-stub/instances/%ff HTTP/1.1", b"\x00 / HTTP/1.1",
                     b"POST / HTTP/1.1\r\nContent-Length: 999999999999999999999"]),
    st.binary(max_size=300),
))
def test_arbitrary_bytes(served: ServedMaintenanceWindows, data: bytes) -> None:
    parts = urlsplit(served.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as connection:
        connection.sendall(data)
        connection.shutdown(socket.SHUT_WR)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    if answer.startswith(b"HTTP/"):
        status = int(answer.split(b" ", 2)[1])
        assert status < 500, answer
    _still_answering(served.url)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    method=st.sampled_from(["POST", "GET", "PUT", "DELETE", "PATCH", "OPTIONS"]),
    path=st.sampled_from(["/", "/_ssm-mw-stub/outcomes", "/_ssm-mw-stub/clock/advance",
                          "/_ssm-mw-stub/instances/i-0123456789abcdef0",
                          "/_ssm-mw-stub/resource-groups/g", "/anything"]) | st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=30
    ).map(lambda tail: "/" + tail),
    target=st.none() | st.sampled_from(OPERATIONS).map(lambda op: f"AmazonSSM.{op}")
    | st.text(max_size=30),
    content_type=st.sampled_from(["application/x-amz-json-1.1", "application/json",
                                  "text/plain", ""]),
    body=st.binary(max_size=200)
    | json_values.map(lambda value: json.dumps(value).encode())
    | st.dictionaries(st.sampled_from(MEMBERS), json_values, max_size=6).map(
        lambda value: json.dumps(value).encode()),
)
def test_arbitrary_requests(
    served: ServedMaintenanceWindows, method: str, path: str, target: str | None,
    content_type: str, body: bytes,
) -> None:
    headers: dict[str, Any] = {}
    if content_type:
        headers["Content-Type"] = content_type
    if target is not None and target.isprintable() and "\n" not in target:
        headers["X-Amz-Target"] = target
    try:
        answer = raw_request(served.url, method, path, body, headers)
    except ValueError:  # http.client refuses to send this header or path itself
        return
    _assert_answer(answer.status, answer.body, answer.headers.get("content-type", ""))
    if path.startswith("/_ssm-mw-stub/clock/advance") and answer.status == 200:
        served.reset()  # keep the clock near its start for the next examples
    _still_answering(served.url)
