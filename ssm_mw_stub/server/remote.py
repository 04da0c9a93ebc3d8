"""``ssm_mw_stub.connect(url)``: the handle of a mock served in another process.

It has the in-process handle's names where they make sense across processes (``now``,
``advance``, ``advance_to``, ``add_instance``, ``remove_instance``, ``add_resource_group``,
``on_task``, ``events``, ``clear_events``, ``calls``, ``clear_calls``, ``timeline()``), plus
``reset()``; each is one request to the server's control API. ``on_task`` takes a fixed
``TaskOutcome`` (an outcome rule) instead of a function: a function cannot travel to the
server's process. Errors the server reports for bad input come back as the exception the
in-process handle raises (``ValueError``, ``TypeError``, ``KeyError``,
``TaskHandlerError``); anything else is a :class:`RemoteError`. ``calls`` are the same
``Call`` objects as in-process, decoded from the bodies the server kept.

Only the standard library's ``http.client`` is used: no dependency beyond the core's.
"""

from __future__ import annotations

import dataclasses
import http.client
import json
import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ..calls import Call, CallRecord
from ..clock import parse_instant
from ..outcomes import TaskHandlerError, TaskOutcome
from .control import PREFIX, instant_text
from .durations import format_duration
from .rules import OutcomeRule
from .wire import operation_model

__all__ = [
    "ENDPOINT_VARIABLE",
    "RemoteError",
    "RemoteMaintenanceWindows",
    "RemoteTimeline",
    "connect",
]

#: The environment variable the command line and ``connect()`` read the server's URL from.
ENDPOINT_VARIABLE = "SSM_MW_STUB_URL"
_TIMEOUT = 300.0  # an advance over a simulated year takes seconds; a dead server, forever

_RAISED: dict[str, type[Exception]] = {
    "KeyError": KeyError, "ValueError": ValueError, "TypeError": TypeError,
    "TaskHandlerError": TaskHandlerError,
}


class RemoteError(RuntimeError):
    """The server refused a control request for a reason other than bad input."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{code} ({status}): {message}")
        self.status = status
        self.code = code
        self.message = message


def connect(url: str | None = None) -> RemoteMaintenanceWindows:
    """The handle of the ssm-mw-stub server at ``url`` (default: ``$SSM_MW_STUB_URL``).

    Checks at once that a server answers there (``ConnectionError`` if none does).
    """
    if url is None:
        url = os.environ.get(ENDPOINT_VARIABLE)
        if not url:
            raise ValueError(
                f"connect() needs the server's URL, or {ENDPOINT_VARIABLE} set to it (the "
                "first line `ssm-mw-stub serve` prints)"
            )
    handle = RemoteMaintenanceWindows(url)
    handle.account_id = str(handle.request("GET", "/")["account_id"])
    return handle


class RemoteMaintenanceWindows:
    """The control API of one server, with the in-process handle's names."""

    def __init__(self, url: str) -> None:
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"the server's URL is http://HOST:PORT; got {url!r}")
        #: The server's URL, as given.
        self.url = url.strip().rstrip("/")
        self._scheme = parts.scheme
        self._netloc = parts.netloc
        #: The account the server answers for (read when connecting).
        self.account_id = ""

    def __repr__(self) -> str:
        return f"<RemoteMaintenanceWindows {self.url}>"

    # --- the wire -------------------------------------------------------------------------

    def request(self, method: str, path: str, body: Any = None) -> Any:
        """One control request (``path`` below ``/_ssm-mw-stub``); the decoded JSON answer,
        or the text of a text answer."""
        payload = b"" if body is None else json.dumps(body).encode()
        connection_class = (
            http.client.HTTPSConnection if self._scheme == "https" else http.client.HTTPConnection
        )
        connection = connection_class(self._netloc, timeout=_TIMEOUT)
        try:
            connection.request(
                method, PREFIX + path, body=payload,
                headers={"Content-Type": "application/json"} if body is not None else {},
            )
            response = connection.getresponse()
            raw = response.read()
            status, content_type = response.status, response.getheader("Content-Type", "")
        except OSError as exc:
            raise ConnectionError(
                f"no ssm-mw-stub server answers at {self.url} ({exc}); start one with "
                "`ssm-mw-stub serve`"
            ) from exc
        finally:
            connection.close()
        if "json" not in content_type:
            if status >= 300:
                raise RemoteError(status, "HTTPError", raw[:500].decode("utf-8", "replace"))
            return raw.decode("utf-8")
        try:
            data = json.loads(raw)
        except ValueError:
            raise RemoteError(status, "BadAnswer", "the server's answer is not JSON") from None
        if status >= 300:
            code = str(data.get("__type", "HTTPError"))
            message = str(data.get("message", ""))
            if code in _RAISED:
                raise _RAISED[code](message)
            raise RemoteError(status, code, message)
        return data

    # --- the clock ------------------------------------------------------------------------

    @property
    def now(self) -> datetime:
        """The simulated current instant (aware, UTC)."""
        return parse_instant(self.request("GET", "/clock")["now"])

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``; every window start in between happens."""
        if not isinstance(delta, timedelta):
            raise TypeError(f"advance() takes a datetime.timedelta, not {type(delta).__name__}")
        if delta < timedelta(0):
            raise ValueError(f"advance() takes a non-negative timedelta; got {delta}")
        self.request("POST", "/clock/advance", {"by": format_duration(delta)})

    def advance_to(self, when: datetime | str) -> None:
        """Move the clock forward to ``when`` (aware datetime or ISO 8601 string)."""
        instant = parse_instant(when, what="advance_to()")
        self.request("POST", "/clock/advance-to", {"to": instant_text(instant)})

    # --- the fleet and the outcomes -------------------------------------------------------

    def add_instance(
        self,
        instance_id: str,
        tags: Mapping[str, str] | None = None,
        region: str | None = None,
        *,
        online: bool = True,
        **details: Any,
    ) -> None:
        """Add (or replace) a managed node of the fake fleet; see the in-process handle
        (``details``: platform, computer name, ..., ``patches`` as Patch objects)."""
        body: dict[str, Any] = {
            "tags": None if tags is None else dict(tags), "region": region, "online": online,
        }
        for key, value in details.items():
            body[key] = [_patch_json(p) for p in value] if key == "patches" else value
        self.request("PUT", f"/instances/{_segment(instance_id)}", body)

    def set_patches(self, instance_id: str, patches: Iterable[Any]) -> None:
        """What a node has and lacks (Patch objects or dicts of their fields)."""
        self.request("PUT", f"/instances/{_segment(instance_id)}/patches",
                     {"patches": [_patch_json(p) for p in patches]})

    def remove_instance(self, instance_id: str) -> None:
        """Remove a managed node (KeyError if it is not there)."""
        self.request("DELETE", f"/instances/{_segment(instance_id)}")

    def add_resource_group(
        self,
        name: str,
        resources: Iterable[str | tuple[str, str]],
        region: str | None = None,
    ) -> None:
        """Declare a resource group for ``resource-groups:Name`` targets."""
        if isinstance(resources, (str, bytes)):
            raise TypeError(
                "resources must be a collection of instance ids or ARNs, not a single string"
            )
        self.request("PUT", f"/resource-groups/{_segment(name)}", {
            "resources": [list(item) if isinstance(item, tuple) else item for item in resources],
            "region": region,
        })

    def on_task(
        self, task: str, outcome: TaskOutcome, *, instance_id: str | None = None
    ) -> None:
        """Give ``outcome`` to the work of ``task`` (a task ARN, document name or task
        type), on ``instance_id`` only if given: an outcome rule. Rules apply in the order
        they were added, the first match winning; adding a rule for the same task and
        instance again replaces it in its place."""
        if callable(outcome):
            raise TypeError(
                "a server's outcomes are fixed TaskOutcome values (functions run only "
                "in-process: use the maintenance_windows_server fixture's handle for them)"
            )
        if not isinstance(outcome, TaskOutcome):
            raise TypeError(f"on_task() takes a TaskOutcome; got {outcome!r}")
        if outcome.steps is not None:
            raise ValueError(
                "TaskOutcome steps are not sent to a server; report them in-process"
            )
        self.request("POST", "/outcomes", OutcomeRule(task, outcome, instance_id).to_json())

    # --- what happened --------------------------------------------------------------------

    @property
    def events(self) -> list[dict[str, Any]]:
        """The EventBridge events the service emitted so far, oldest first."""
        return list(self.request("GET", "/events")["events"])

    def clear_events(self) -> None:
        self.request("DELETE", "/events")

    @property
    def calls(self) -> list[Call]:
        """Every API call the server answered, oldest first: the same ``Call`` objects as
        ``mw.calls`` (the response parsed by botocore's parser from the wire body)."""
        return [_call(item) for item in self.request("GET", "/calls")["calls"]]

    def clear_calls(self) -> None:
        self.request("DELETE", "/calls")

    def timeline(self) -> RemoteTimeline:
        """What ran so far: ``print()`` it, or ``.save("timeline.html")`` (a snapshot)."""
        return RemoteTimeline(self.request("GET", "/timeline.json"))

    def reset(self) -> None:
        """Back to the start: an empty state at the first instant, no outcome rules."""
        self.request("POST", "/reset")


def _call(data: Mapping[str, Any]) -> Call:
    model = operation_model(str(data["operation"]))
    if model is None:
        raise RemoteError(200, "BadAnswer", f"the server reported a call of {data['operation']}")
    record = CallRecord(
        model=model, body=str(data["body"]).encode(), region=str(data["region"]),
        status=int(data["status_code"]), raw=str(data["wire_response"]).encode(),
        time=parse_instant(data["time"]),
    )
    return Call(record, str(data["account"]))


def _patch_json(patch: Any) -> dict[str, Any]:
    """A Patch (or a dict of its fields) as JSON: ``released`` as ISO 8601 text."""
    fields = dict(patch) if isinstance(patch, Mapping) else {
        field.name: getattr(patch, field.name) for field in dataclasses.fields(patch)
    }
    released: Any = fields.get("released")
    if isinstance(released, (datetime, date)):
        fields["released"] = released.isoformat()
    if "cve_ids" in fields:
        fields["cve_ids"] = list(fields["cve_ids"])
    return fields


def _segment(value: str) -> str:
    if not isinstance(value, str) or not value:
        raise TypeError(f"expected a non-empty str; got {value!r}")
    return quote(value, safe="")


class RemoteTimeline:
    """A snapshot of a server's timeline: the text chart and the HTML page."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.now = parse_instant(data["now"])
        self._text = str(data["text"])
        self._full_text = str(data["full_text"])
        self._html = str(data["html"])

    def text(self, *, full: bool = False) -> str:
        """The text chart (``full``: every row, never summarised)."""
        return self._full_text if full else self._text

    def html(self) -> str:
        return self._html

    def save(self, path: str | PathLike[str]) -> Path:
        """Write the HTML page to ``path`` (the full text chart if it ends in ``.txt``)."""
        target = Path(path)
        text = target.suffix == ".txt"
        target.write_text(self._full_text + "\n" if text else self._html, encoding="utf-8")
        return target

    def __str__(self) -> str:
        return self._text
