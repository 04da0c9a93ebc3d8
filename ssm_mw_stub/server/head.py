"""A request's head, read fast: the server's one speed trick, beside its plain twin.

``http.server`` parses request headers with the ``email`` package's feed parser, which
costs about 130 microseconds for the dozen headers an SDK sends: a quarter of the server's
own time per call, and the server's time is what ``benchmarks/bench_server.py`` holds
against moto's. What SDKs send is plain: ``POST / HTTP/1.1`` and header lines of a token,
a colon and visible ASCII. For such a head, :func:`fast_request_line` and
:func:`fast_headers` give what the standard parser gives (the same command, path and
version; the same value for every header name, first occurrence winning, leading blanks
dropped, as ``email``'s compat32 policy does) in a fraction of the time. Anything else (a
folded or non-ASCII header line, an HTTP version other than 1.1, a path starting ``//``,
another method) takes the plain twin: ``http.server``'s own ``parse_request``, or
``http.client.parse_headers`` over the same lines. ``tests/server/test_server_head.py``
checks the two against each other on generated heads (hypothesis).
"""

from __future__ import annotations

import http.client
import io
import re
from typing import Protocol

__all__ = ["HeadTooLarge", "Headers", "fast_headers", "fast_request_line", "plain_headers",
           "read_head"]

#: The request lines the fast path takes (the rest go to http.server's own parser).
_REQUEST_LINE = re.compile(rb"(GET|POST|PUT|DELETE|HEAD) (/(?!/)[!-~]*) HTTP/1\.1\r?\n")
#: A header line the fast path takes: a token, a colon, visible ASCII, spaces and tabs.
_FIELD = re.compile(rb"([!#$%&'*+\-.^_`|~0-9A-Za-z]+):([\t -~]*)\r?\n")
#: http.client's limits (a longer line, or more lines, is refused as it refuses them).
_MAX_LINE = 65536
_MAX_HEADERS = 100


class _Readable(Protocol):
    def readline(self, size: int | None = -1, /) -> bytes: ...


class HeadTooLarge(Exception):
    """A header line over 64 KiB, or over 100 header lines: 431, as http.server says."""


class Headers(dict[str, str]):
    """Header values by lower-cased name, looked up case-insensitively (``.get``)."""

    def get(self, name: str, failobj: None = None) -> str | None:  # type: ignore[override]
        return super().get(name.lower(), failobj)


def fast_request_line(raw: bytes) -> tuple[str, str] | None:
    """(method, path) of a plain ``METHOD /path HTTP/1.1`` line, else None."""
    match = _REQUEST_LINE.fullmatch(raw)
    if match is None:
        return None
    return match.group(1).decode("ascii"), match.group(2).decode("ascii")


def read_head(rfile: _Readable) -> list[bytes]:
    """The header lines up to the blank line (or the end of the stream), not parsed."""
    lines: list[bytes] = []
    while True:
        line = rfile.readline(_MAX_LINE + 1)
        if len(line) > _MAX_LINE:
            raise HeadTooLarge("Line too long")
        if line in (b"\r\n", b"\n", b""):
            return lines
        lines.append(line)
        if len(lines) > _MAX_HEADERS:
            raise HeadTooLarge(f"got more than {_MAX_HEADERS} headers")


def fast_headers(lines: list[bytes]) -> Headers | None:
    """The headers of ``lines`` if every line is plain (see the module docstring)."""
    headers = Headers()
    for line in lines:
        match = _FIELD.fullmatch(line)
        if match is None:
            return None
        name = match.group(1).decode("ascii").lower()
        if name not in headers:
            headers[name] = match.group(2).decode("ascii").lstrip(" \t")
    return headers


def plain_headers(lines: list[bytes]) -> http.client.HTTPMessage:
    """The plain twin: the standard library's parse of the same lines."""
    return http.client.parse_headers(io.BytesIO(b"".join(lines) + b"\r\n"))
