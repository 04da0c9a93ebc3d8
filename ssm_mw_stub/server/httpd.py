"""The HTTP server: SSM's protocol at ``/``, the control API under ``/_ssm-mw-stub/``.

Built on the standard library's ``http.server.ThreadingHTTPServer``: one thread per
connection, HTTP/1.1 keep-alive, nothing to install. The work per request is small (a
service call takes about a tenth of a millisecond) and a test drives a handful of
clients, so neither an event loop nor a production server would buy anything here, while
the standard library keeps the core install unchanged and needs no optional extra
(docs/server.md, "Why the standard library").

What the standard library does not do by itself, done here:

* every answer is JSON (``{"__type", "message"}``), also the refusals ``http.server``
  words itself (a malformed request line, too many headers), and none is a 5xx: an
  unknown method is 405 and an unsupported HTTP version 400, because SDKs retry 5xx;
* the request body is read only when its ``Content-Length`` is known and at most 1 MiB;
* the head of a plain request (what SDKs send) is read without the ``email`` parser
  (:mod:`.head`, the one speed trick, checked against the standard parse), and each
  response goes out in one write with ``TCP_NODELAY`` (Nagle's algorithm would otherwise
  hold a second write back until the client's delayed ACK, 40 ms);
* closing the server also closes the kept-alive connections of its clients.

The mock's state is the one lock of its store (the service and the engine both take it);
this module adds a lock only around ``reset``, so that no request meets the moment when the
old state is gone and the new one not yet there.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import traceback
from collections.abc import Callable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

from .control import PREFIX, Control
from .head import HeadTooLarge, fast_headers, fast_request_line, plain_headers, read_head
from .rules import OutcomeRules
from .wire import MAX_BODY, Headers, Reply, SsmFront, error_reply

if TYPE_CHECKING:
    from ..hook import Responder
    from ..mock import MaintenanceWindows

__all__ = ["RequestHandler", "Server"]

#: How long a kept-alive connection may stay idle (or a request body take to arrive).
IDLE_TIMEOUT = 120.0
#: How often the accepting loop looks whether it was asked to stop (seconds).
_POLL = 0.05


class Server:
    """Serves one active mock over HTTP: ``Server(mw, port=0).start()`` then ``.url``.

    The mock must be active while the server answers (the server does not activate it).
    Binding happens in the constructor, so ``url`` is known at once, also for port 0.
    """

    def __init__(
        self,
        mw: MaintenanceWindows,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        log: Callable[[str], None] | None = None,
    ) -> None:
        self.mw = mw
        self._log = log
        self._rules = OutcomeRules()
        #: Held by control requests and by reset (re-entrant: reset is a control request).
        self._gate = threading.RLock()
        self._front = SsmFront(self._responder)
        self._control = Control(mw, self._rules, self.reset)
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self._httpd = _HTTPServer((host, port), self, family)
        bound_host, bound_port = self._httpd.server_address[:2]
        if isinstance(bound_host, bytes):
            bound_host = bound_host.decode()
        shown = f"[{bound_host}]" if family == socket.AF_INET6 else bound_host
        #: Where the server answers, e.g. ``http://127.0.0.1:50123``.
        self.url = f"http://{shown}:{bound_port}"
        self._thread: threading.Thread | None = None
        self._closed = False

    # --- running --------------------------------------------------------------------------

    def start(self) -> Server:
        """Answer requests in a background thread; returns the server."""
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._httpd.serve_forever, args=(_POLL,), name=f"ssm-mw-stub {self.url}",
                daemon=True,
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Answer requests in this thread until :meth:`close` is called from another."""
        self._httpd.serve_forever(_POLL)

    def close(self) -> None:
        """Stop answering, and close the connections clients keep open. Idempotent."""
        if self._closed:
            return
        self._closed = True
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()
        self._httpd.close_connections()

    def stop_serving(self) -> None:
        """Make :meth:`serve_forever` (running in another thread) return."""
        self._httpd.shutdown()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- state ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Back to the start: a fresh state of the mock (its first instant, its seed), and
        no outcome rules."""
        with self._gate:
            self.mw.stop()
            self._rules.forget()
            self.mw.start()

    def _responder(self) -> Responder:
        with self._gate:
            return self.mw.responder()

    # --- one request ----------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: Headers, body: bytes) -> Reply:
        """The reply to one request whose body is read (what the request handler calls)."""
        parts = urlsplit(target)
        path = parts.path
        if path == PREFIX or path.startswith(PREFIX + "/"):
            with self._gate:
                return self._control.answer(
                    method, path[len(PREFIX):], parse_qs(parts.query), body
                )
        if method == "POST":
            return self._front.answer(headers, body)
        return error_reply(
            405, "MethodNotAllowed",
            f"{method} {path[:200]}: SSM requests are POST (to /); the control API and the "
            f"timeline are under {PREFIX}/",
            headers={"Allow": "POST"},
        )

    @property
    def logging(self) -> bool:
        """Whether requests are logged (``--verbose``)."""
        return self._log is not None

    def log(self, line: str) -> None:
        if self._log is not None:
            self._log(line)


class _HTTPServer(ThreadingHTTPServer):
    """``ThreadingHTTPServer`` that knows its connections, to close them when it closes."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: Server, family: socket.AddressFamily):
        self.address_family = family
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, RequestHandler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-request is no news; anything else is printed."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already gone
                connection.shutdown(socket.SHUT_RDWR)


class RequestHandler(BaseHTTPRequestHandler):
    """One connection: SSM requests and control requests, kept alive (HTTP/1.1)."""

    protocol_version = "HTTP/1.1"
    server_version = "ssm-mw-stub"
    timeout = IDLE_TIMEOUT
    server: _HTTPServer
    raw_requestline: bytes  # set by handle_one_request before parse_request

    def setup(self) -> None:
        super().setup()
        with contextlib.suppress(OSError):  # not TCP: nothing to tune
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def version_string(self) -> str:
        return self.server_version

    def parse_request(self) -> bool:
        """``http.server``'s parse, fast for a plain request (:mod:`.head`): the same
        command, path, version, headers and connection handling."""
        plain = fast_request_line(self.raw_requestline)
        if plain is None:
            return super().parse_request()
        self.command, self.path = plain
        self.request_version = "HTTP/1.1"
        self.requestline = self.raw_requestline.decode("iso-8859-1").rstrip("\r\n")
        self.close_connection = False  # HTTP/1.1 on both sides: kept alive
        try:
            lines = read_head(self.rfile)
        except HeadTooLarge as exc:
            self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, str(exc))
            return False
        headers = fast_headers(lines)
        self.headers = headers if headers is not None else plain_headers(lines)  # type: ignore[assignment]
        connection = (self.headers.get("Connection") or "").lower()
        if connection == "close":
            self.close_connection = True
        if (self.headers.get("Expect") or "").lower() == "100-continue":
            return self.handle_expect_100()
        return True

    def do_POST(self) -> None:
        self._dispatch()

    do_GET = do_PUT = do_DELETE = do_POST

    def _dispatch(self) -> None:
        body = self._read_body()
        if isinstance(body, Reply):
            self._send(body)
            return
        try:
            reply = self.server.app.handle(self.command, self.path, self.headers, body)
        except Exception:
            # A fault of the stub's own, never of the request: say so, keep serving.
            sys.stderr.write(f"ssm-mw-stub: error answering {self.command} {self.path}\n")
            traceback.print_exc()
            reply = error_reply(
                500, "InternalFailure",
                "ssm-mw-stub failed to answer this request (a bug in the stub; the server's "
                "standard error has the traceback)",
            )
        self._send(reply)

    def _read_body(self) -> bytes | Reply:
        """The request body, or the refusal when it cannot or must not be read."""
        if self.headers.get("Transfer-Encoding", "").strip().lower() not in ("", "identity"):
            return error_reply(
                411, "LengthRequired",
                "send the request body with a Content-Length (chunked bodies are not read)",
                close=True,
            )
        text = self.headers.get("Content-Length")
        if text is None:
            return b""
        try:
            length = int(text)
        except ValueError:
            length = -1
        if length < 0:
            return error_reply(
                400, "BadRequest", f"Content-Length {text[:40]!r} is not a length", close=True
            )
        if length > MAX_BODY:
            return error_reply(
                413, "RequestEntityTooLargeException",
                f"the request body is {length} bytes; ssm-mw-stub reads at most {MAX_BODY} "
                "(1 MiB)", close=True,
            )
        return self.rfile.read(length) if length else b""

    def _send(self, reply: Reply) -> None:
        """The response in one write: status line, headers, body (none for HEAD)."""
        self.log_request(reply.status)
        body = b"" if self.command == "HEAD" else reply.body
        if self.request_version == "HTTP/0.9":  # no status line, no headers
            self.wfile.write(body)
            return
        head = [
            f"{self.protocol_version} {reply.status} {HTTPStatus(reply.status).phrase}",
            f"Server: {self.version_string()}",
            f"Date: {self.date_time_string()}",
            f"Content-Type: {reply.content_type}",
            f"Content-Length: {len(reply.body)}",
            *(f"{name}: {value}" for name, value in reply.headers.items()),
        ]
        if reply.close:
            head.append("Connection: close")
            self.close_connection = True
        self.wfile.write("\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + body)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """``http.server``'s own refusals, as JSON and never as a 5xx (see the module's
        docstring): 501 (a method it has no ``do_`` for) becomes 405, anything else from
        5xx becomes 400."""
        if code == HTTPStatus.NOT_IMPLEMENTED:
            code = HTTPStatus.METHOD_NOT_ALLOWED
        elif code >= 500:
            code = HTTPStatus.BAD_REQUEST
        if self.command is None:
            # The request line did not parse, so http.server still takes the client for
            # HTTP/0.9, which has no status line: answer in HTTP/1.1 form all the same.
            self.request_version = "HTTP/1.1"
        status = HTTPStatus(code)
        text = message or status.phrase
        if code == HTTPStatus.METHOD_NOT_ALLOWED:
            text = f"{text}: this server takes GET, POST, PUT and DELETE"
        self._send(error_reply(code, status.phrase.replace(" ", ""), text, close=True))

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if self.server.app.logging:
            super().log_request(code, size)

    def log_message(self, format: str, *args: Any) -> None:
        self.server.app.log(f"{self.address_string()} {format % args}")
