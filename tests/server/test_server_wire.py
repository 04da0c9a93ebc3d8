"""SSM's wire protocol over HTTP: what an SDK sends, what it gets back, and every refusal.

Raw HTTP (``http.client``) against a server in the test's process, so that each header and
byte is exactly what the test says; the test's in-process handle and boto3 clients read the
same state.
"""

from __future__ import annotations

import json
import socket
from http import HTTPStatus
from typing import Any
from urllib.parse import urlsplit

import boto3
import pytest

from ssm_mw_stub.server import ServedMaintenanceWindows

from .server_helpers import SSM_HEADERS, post, raw_request

CREATE = {"Name": "patch", "Schedule": "rate(1 day)", "Duration": 2, "Cutoff": 1,
          "AllowUnassociatedTargets": True}


def _signed(region: str) -> str:
    """An Authorization header as SigV4 writes it (the signature is never checked)."""
    return (
        f"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261124/{region}/ssm/aws4_request, "
        "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=0123abcd"
    )


def _assert_refused(answer: Any, status: int, code: str, *words: str) -> None:
    assert answer.status == status, answer.body
    body = answer.json()
    assert set(body) == {"__type", "message"}
    assert body["__type"] == code
    assert answer.headers["x-amzn-errortype"] == code
    for word in words:
        assert word in body["message"]


def test_a_call_is_answered_in_the_region_of_its_credential_scope(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    url = maintenance_windows_server.url
    answer = post(url, "CreateMaintenanceWindow", CREATE, Authorization=_signed("eu-west-2"))
    assert answer.status == 200
    assert answer.headers["content-type"] == "application/x-amz-json-1.1"
    assert answer.headers["x-amzn-requestid"]
    window_id = answer.json()["WindowId"]
    # The test's own boto3 calls are answered in-process, by the same state.
    dublin = boto3.client("ssm", region_name="eu-west-2")
    assert [w["WindowId"] for w in dublin.describe_maintenance_windows()["WindowIdentities"]] \
        == [window_id]
    virginia = boto3.client("ssm", region_name="us-east-1")
    assert virginia.describe_maintenance_windows()["WindowIdentities"] == []
    [call] = maintenance_windows_server.mw.calls[:1]
    assert (call.operation, call.region, call.account) == (
        "CreateMaintenanceWindow", "eu-west-2", "123456789012")


@pytest.mark.parametrize("authorization", [None, "Bearer abc", "AWS4-HMAC-SHA256 Credential=x"])
def test_without_a_credential_scope_the_region_is_us_east_1(
    maintenance_windows_server: ServedMaintenanceWindows, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    assert post(maintenance_windows_server.url, "CreateMaintenanceWindow", CREATE,
                **headers).status == 200
    assert [call.region for call in maintenance_windows_server.mw.calls] == ["us-east-1"]


@pytest.mark.maintenance_windows(account_id="210987654321")
def test_the_account_is_the_servers(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    post(maintenance_windows_server.url, "CreateMaintenanceWindow", CREATE)
    [event] = [e for e in maintenance_windows_server.mw.events][:1] or [None]
    assert maintenance_windows_server.mw.calls[0].account == "210987654321"
    assert event is None or event["account"] == "210987654321"


def test_a_service_error_is_the_in_process_body_with_its_status(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    answer = post(maintenance_windows_server.url, "GetMaintenanceWindow",
                  {"WindowId": "mw-0123456789abcdef0"})
    assert answer.status == 400
    assert answer.json() == {
        "__type": "DoesNotExistException",
        "Message": "Maintenance window mw-0123456789abcdef0 does not exist",
    }
    assert answer.headers["x-amzn-errortype"] == "DoesNotExistException"
    assert answer.body == maintenance_windows_server.mw.calls[-1].wire_response


def test_validation_is_the_services(maintenance_windows_server: ServedMaintenanceWindows) -> None:
    answer = post(maintenance_windows_server.url, "CreateMaintenanceWindow",
                  {**CREATE, "Duration": 25})
    assert answer.status == 400
    body = answer.json()
    assert body["__type"] == "ValidationException"
    assert "Member must have value less than or equal to 24" in body["message"]


@pytest.mark.parametrize("operation", ["GetParameter", "DescribeParameters"])
def test_an_ssm_operation_the_stub_does_not_answer_is_a_4xx_naming_it(
    maintenance_windows_server: ServedMaintenanceWindows, operation: str
) -> None:
    answer = post(maintenance_windows_server.url, operation, {"Name": "x"})
    _assert_refused(answer, 400, "UnknownOperationException", operation, "does not answer")
    assert maintenance_windows_server.mw.calls == []


def test_tagging_another_resource_type_is_not_answered(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    answer = post(maintenance_windows_server.url, "AddTagsToResource", {
        "ResourceType": "Parameter", "ResourceId": "p", "Tags": [{"Key": "k", "Value": "v"}]})
    _assert_refused(answer, 400, "UnknownOperationException", "AddTagsToResource")


@pytest.mark.parametrize(
    ("target", "words"),
    [
        (None, ("no X-Amz-Target",)),
        ("", ("no X-Amz-Target",)),
        ("AmazonSSM.NoSuchOperation", ("AmazonSSM.NoSuchOperation",)),
        ("DynamoDB_20120810.ListTables", ("DynamoDB_20120810.ListTables", "AmazonSSM.")),
        ("AmazonSSM.", ("Unknown operation",)),
    ],
)
def test_a_missing_or_unknown_target_is_a_400(
    maintenance_windows_server: ServedMaintenanceWindows, target: str | None,
    words: tuple[str, ...],
) -> None:
    headers = dict(SSM_HEADERS)
    if target is not None:
        headers["X-Amz-Target"] = target
    answer = raw_request(maintenance_windows_server.url, "POST", "/", b"{}", headers)
    _assert_refused(answer, 400, "UnknownOperationException", *words)


@pytest.mark.parametrize("body", [b"{", b"[1, 2]", b"\xff\xfe", b'{"WindowId": "mw-1"} x'])
def test_a_body_that_is_not_a_json_object_is_the_services_validation_error(
    maintenance_windows_server: ServedMaintenanceWindows, body: bytes
) -> None:
    answer = post(maintenance_windows_server.url, "GetMaintenanceWindow", body)
    assert answer.status == 400
    assert answer.json()["__type"] == "ValidationException"
    assert "The request body" in answer.json()["message"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/x-www-form-urlencoded"])
def test_a_content_type_that_is_not_json_is_a_415(
    maintenance_windows_server: ServedMaintenanceWindows, content_type: str | None
) -> None:
    headers = {"X-Amz-Target": "AmazonSSM.DescribeMaintenanceWindows"}
    if content_type is not None:
        headers["Content-Type"] = content_type
    answer = raw_request(maintenance_windows_server.url, "POST", "/", b"{}", headers)
    _assert_refused(answer, 415, "UnsupportedMediaTypeException",
                    "application/x-amz-json-1.1")


@pytest.mark.parametrize(
    "content_type",
    ["application/x-amz-json-1.1", "application/x-amz-json-1.0", "application/json",
     "Application/JSON; charset=utf-8"],
)
def test_json_content_types_are_taken(
    maintenance_windows_server: ServedMaintenanceWindows, content_type: str
) -> None:
    answer = post(maintenance_windows_server.url, "DescribeMaintenanceWindows", {},
                  Content_Type=content_type)
    assert answer.status == 200
    assert answer.json() == {"WindowIdentities": []}


def _exchange(url: str, request: bytes) -> bytes:
    """Send raw bytes on one connection; everything the server answers until it closes."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=60) as connection:
        connection.sendall(request)
        connection.shutdown(socket.SHUT_WR)
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_an_oversized_body_is_a_413_and_is_not_read(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    url = maintenance_windows_server.url
    head = (
        "POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
        "X-Amz-Target: AmazonSSM.DescribeMaintenanceWindows\r\n"
        f"Content-Length: {1024 * 1024 + 1}\r\n\r\n"
    ).encode()
    answer = _exchange(url, head + b"{")  # the body never comes: the answer must not wait
    status_line, _, rest = answer.partition(b"\r\n")
    # The reason phrase is the standard library's: "Request Entity Too Large" up to Python
    # 3.12, "Content Too Large" (RFC 9110) from 3.13.
    assert status_line == f"HTTP/1.1 413 {HTTPStatus(413).phrase}".encode()
    assert b"Connection: close" in rest
    body = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert body["__type"] == "RequestEntityTooLargeException"
    assert "1048577 bytes" in body["message"]
    # A body of exactly 1 MiB is read.
    at_limit = post(url, "DescribeMaintenanceWindows", b"{}" + b" " * (1024 * 1024 - 2))
    assert at_limit.status == 200


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET / HTTP/2.0\r\n\r\n", 400),  # http.server says 505: never a 5xx here
        (b"PATCH / HTTP/1.1\r\nHost: x\r\n\r\n", 405),  # http.server says 501
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: ten\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 411),
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 405),
        (b"GET /_ssm-mw-stub/nothing HTTP/1.1\r\nHost: x\r\n\r\n", 404),
    ],
)
def test_http_level_refusals_are_json_4xx(
    maintenance_windows_server: ServedMaintenanceWindows, request_bytes: bytes, status: int
) -> None:
    url = maintenance_windows_server.url
    answer = _exchange(url, request_bytes)
    status_line, _, rest = answer.partition(b"\r\n")
    assert status_line.split(b" ")[1] == str(status).encode(), answer
    body = json.loads(rest.partition(b"\r\n\r\n")[2])
    assert set(body) == {"__type", "message"}
    # ... and the server goes on answering.
    assert post(url, "DescribeMaintenanceWindows").status == 200


def test_head_gets_headers_only(maintenance_windows_server: ServedMaintenanceWindows) -> None:
    answer = _exchange(maintenance_windows_server.url, b"HEAD / HTTP/1.1\r\nHost: x\r\n\r\n")
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 405")
    assert body == b""


def test_keep_alive_serves_many_requests_on_one_connection(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    import http.client

    parts = urlsplit(maintenance_windows_server.url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=60)
    headers = {**SSM_HEADERS, "X-Amz-Target": "AmazonSSM.CreateMaintenanceWindow"}
    try:
        ids = set()
        for number in range(5):
            connection.request("POST", "/", json.dumps({**CREATE, "Name": f"window-{number}"}),
                               headers)
            response = connection.getresponse()
            assert response.status == 200
            ids.add(json.loads(response.read())["WindowId"])
    finally:
        connection.close()
    assert len(ids) == 5


def test_the_date_header_is_not_the_simulated_date(
    maintenance_windows_server: ServedMaintenanceWindows,
) -> None:
    """SDKs correct their clock from it (docs/server.md): it must not follow the fake one."""
    from datetime import timedelta
    from email.utils import format_datetime

    mw = maintenance_windows_server.mw
    mw.advance(timedelta(days=400))
    answer = post(maintenance_windows_server.url, "DescribeMaintenanceWindows")
    assert answer.headers["date"] != format_datetime(mw.now, usegmt=True)


def test_a_fault_of_the_stub_is_a_500_and_the_server_goes_on(
    maintenance_windows_server: ServedMaintenanceWindows, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    service = maintenance_windows_server.mw.responder().service

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(service, "handle", broken)
    answer = post(maintenance_windows_server.url, "DescribeMaintenanceWindows")
    _assert_refused(answer, 500, "InternalFailure", "a bug in the stub")
    assert "RuntimeError: a bug" in capsys.readouterr().err
    monkeypatch.undo()
    assert post(maintenance_windows_server.url, "DescribeMaintenanceWindows").status == 200
