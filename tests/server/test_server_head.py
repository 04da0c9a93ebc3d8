"""The fast request head (``ssm_mw_stub/server/head.py``) against its plain twin.

Both parsers run on the same generated heads: the server's handler (fast for a plain
request, the standard parse otherwise) and ``http.server.BaseHTTPRequestHandler`` itself.
They must agree on whether the head parses and, when it does, on the command, the path,
the version, whether the connection is kept, every header value and what is left of the
stream (the body). Plain heads, as SDKs send them, must take the fast path.
"""

from __future__ import annotations

import io
from http.server import BaseHTTPRequestHandler
from types import SimpleNamespace
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from ssm_mw_stub.server import head
from ssm_mw_stub.server.httpd import RequestHandler

TOKEN = st.text(
    alphabet="!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
    min_size=1, max_size=12)
NAMES = st.sampled_from(["Host", "Content-Type", "Content-Length", "Connection", "Expect",
                         "X-Amz-Target", "Authorization", "connection", "CONTENT-type"]) | TOKEN
VALUES = st.sampled_from(["close", "keep-alive", "Keep-Alive", "100-continue", "",
                          "application/x-amz-json-1.1", " padded ", "\ttabbed"]) | st.text(
    alphabet=st.characters(min_codepoint=9, max_codepoint=126), max_size=20)
FIELD = st.builds(lambda name, value, end: f"{name}:{value}{end}".encode("latin-1"),
                  NAMES, VALUES, st.sampled_from(["\r\n", "\n"]))
PLAIN_FIELD = st.builds(
    lambda name, value: f"{name}: {value}\r\n".encode(), NAMES,
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=20))
ODD_FIELD = st.sampled_from([b" folded continuation\r\n", b"Bad Name: x\r\n", b"NoColon\r\n",
                             b"X-Utf8: \xc3\xa9\r\n", b"From sender\r\n", b": empty\r\n"])
REQUEST_LINE = st.sampled_from([
    b"POST / HTTP/1.1\r\n", b"GET /_ssm-mw-stub/clock HTTP/1.1\r\n", b"PUT /a?b=c HTTP/1.1\n",
    b"DELETE /_ssm-mw-stub/instances/i-1 HTTP/1.1\r\n", b"HEAD / HTTP/1.1\r\n",
    b"POST //evil HTTP/1.1\r\n", b"POST / HTTP/1.0\r\n", b"GET /\r\n", b"OPTIONS * HTTP/1.1\r\n",
    b"POST / HTTP/2.0\r\n", b"post / HTTP/1.1\r\n",
])


class _Plain(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"


def _parse(cls: type[BaseHTTPRequestHandler], request_line: bytes, rest: bytes) -> tuple[Any, ...]:
    handler = cls.__new__(cls)
    handler.rfile = io.BytesIO(rest)
    handler.wfile = io.BytesIO()
    handler.raw_requestline = request_line
    handler.close_connection = True
    handler.command = None  # type: ignore[assignment]
    handler.request_version = handler.default_request_version
    handler.client_address = ("127.0.0.1", 0)
    handler.server = SimpleNamespace(  # type: ignore[assignment]
        app=SimpleNamespace(log=lambda line: None, logging=False))
    ok = handler.parse_request()
    if not ok:
        return (False,)
    names = {line.split(b":", 1)[0].decode("latin-1").strip() for line in rest.splitlines()
             if b":" in line} | {"Connection", "Expect", "Content-Length"}
    return (True, handler.command, handler.path, handler.request_version,
            handler.close_connection, {name.lower(): handler.headers.get(name) for name in names},
            handler.rfile.read(), handler.wfile.getvalue())


@given(REQUEST_LINE, st.lists(FIELD | ODD_FIELD, max_size=8), st.binary(max_size=20))
def test_the_fast_head_is_the_standard_head(
    request_line: bytes, fields: list[bytes], body: bytes
) -> None:
    rest = b"".join(fields) + b"\r\n" + body
    assert _parse(RequestHandler, request_line, rest) == _parse(_Plain, request_line, rest)


@given(st.lists(PLAIN_FIELD, max_size=12))
def test_plain_heads_take_the_fast_path(fields: list[bytes]) -> None:
    assert head.fast_request_line(b"POST / HTTP/1.1\r\n") == ("POST", "/")
    assert head.fast_headers(fields) is not None


def test_odd_heads_take_the_plain_path() -> None:
    assert head.fast_request_line(b"POST //x HTTP/1.1\r\n") is None
    assert head.fast_request_line(b"POST / HTTP/1.0\r\n") is None
    assert head.fast_headers([b"A: b\r\n", b" folded\r\n"]) is None
    assert head.fast_headers([b"X-Utf8: \xc3\xa9\r\n"]) is None
    assert head.plain_headers([b"A: b\r\n", b" folded\r\n"]).get("A") == "b\r\n folded"


def test_an_sdk_head_is_parsed_fast_and_right() -> None:
    lines = [
        b"Host: 127.0.0.1:4583\r\n", b"X-Amz-Target: AmazonSSM.GetMaintenanceWindow\r\n",
        b"Content-Type: application/x-amz-json-1.1\r\n",
        b"Authorization: AWS4-HMAC-SHA256 Credential=AKID/20261124/eu-west-1/ssm/aws4_request, "
        b"SignedHeaders=host, Signature=00\r\n", b"Content-Length: 2\r\n",
    ]
    fast = head.fast_headers(lines)
    plain = head.plain_headers(lines)
    assert fast is not None
    for name in ("host", "X-AMZ-TARGET", "content-type", "Authorization", "content-length",
                 "missing"):
        assert fast.get(name) == plain.get(name)
