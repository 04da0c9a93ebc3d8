"""The control API: the handle's operations over HTTP, under a reserved path.

Everything the in-process handle does to a mock that makes sense from another process is
here as JSON over HTTP under ``/_ssm-mw-stub/`` (a path no SSM request uses: SSM's protocol
posts to ``/``): the clock, the fake fleet, resource groups, outcome rules, events, calls,
the timeline (a live HTML page, the text chart, both as JSON) and reset. docs/server.md
lists every route; ``GET /_ssm-mw-stub/`` lists them too.

Errors are JSON (``{"__type", "message"}``), and what the handle raises for bad input
(``ValueError``, ``TypeError``, ``KeyError``, a ``TaskHandlerError`` out of ``advance``)
is a 4xx named after the exception, which the remote handle raises again on its side.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from ..outcomes import TaskHandlerError
from .durations import duration_from_json
from .rules import OutcomeRule, OutcomeRules
from .wire import Reply, error_reply

if TYPE_CHECKING:
    from ..calls import Call
    from ..mock import MaintenanceWindows

__all__ = ["PREFIX", "ROUTES", "Control", "instant_text"]

#: Where the control API lives; SSM requests go to ``/``.
PREFIX = "/_ssm-mw-stub"

_HTML = "text/html; charset=utf-8"
_TEXT = "text/plain; charset=utf-8"
_JSON = "application/json"

#: Exceptions of the handle that mean "your input", by the status they are answered with.
_CLIENT_ERRORS: tuple[tuple[type[BaseException], int], ...] = (
    (KeyError, 404), (TaskHandlerError, 400), (ValueError, 400), (TypeError, 400),
)


def instant_text(when: datetime) -> str:
    """An instant as the control API writes it: ISO 8601 in UTC with a ``Z``."""
    return when.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True)
class _Request:
    method: str
    params: tuple[str, ...]
    query: dict[str, list[str]]
    body: bytes

    def json(self) -> dict[str, Any]:
        """The body as a JSON object (empty body: ``{}``)."""
        if not self.body.strip():
            return {}
        try:
            data = json.loads(self.body)
        except (ValueError, RecursionError) as exc:
            raise _Refused(400, "InvalidRequest", f"the body is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise _Refused(400, "InvalidRequest", "the body must be a JSON object")
        return data


class _Refused(Exception):
    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.reply = error_reply(status, code, message)


#: Every route: (method, path below PREFIX with ``{}`` for one path segment, what it does).
ROUTES: tuple[tuple[str, str, str], ...] = (
    ("GET", "/", "this list, the account and the clock"),
    ("GET", "/clock", "the simulated instant: {\"now\"}"),
    ("POST", "/clock/advance", "move the clock: {\"by\": \"7d\" | \"PT4H\" | seconds}"),
    ("POST", "/clock/advance-to", "move the clock to an instant: {\"to\": ISO 8601}"),
    ("PUT", "/instances/{}", "add or replace a managed node: {\"tags\", \"region\", \"online\"}"),
    ("DELETE", "/instances/{}", "remove a managed node"),
    ("PUT", "/instances/{}/patches", "what a node has and lacks: {\"patches\": [patch, ...]}"),
    ("PUT", "/resource-groups/{}", "declare a resource group: {\"resources\", \"region\"}"),
    ("GET", "/outcomes", "the outcome rules, in order: {\"rules\"}"),
    ("PUT", "/outcomes", "replace the outcome rules: {\"rules\": [rule, ...]}"),
    ("POST", "/outcomes", "add one rule (or replace the rule of its key and instance)"),
    ("DELETE", "/outcomes", "drop every outcome rule"),
    ("GET", "/events", "the EventBridge events emitted so far: {\"events\"}"),
    ("DELETE", "/events", "forget the events so far"),
    ("GET", "/calls", "the API calls answered so far: {\"calls\"}"),
    ("DELETE", "/calls", "forget the calls so far"),
    ("GET", "/timeline", "the HTML timeline of what ran (?refresh=N reloads every N s)"),
    ("GET", "/timeline.txt", "the text timeline (?full=1: every row)"),
    ("GET", "/timeline.json", "{\"text\", \"full_text\", \"html\", \"now\"}: one snapshot"),
    ("POST", "/reset", "back to the start: empty state, the first instant, no rules"),
)


class Control:
    """Answers the control API for one served mock."""

    def __init__(
        self, mw: MaintenanceWindows, rules: OutcomeRules, reset: Callable[[], None]
    ) -> None:
        self._mw = mw
        self._rules = rules
        self._reset = reset
        self._routes: dict[tuple[str, str], Callable[[_Request], Reply]] = {
            ("GET", "/"): self._index,
            ("GET", "/clock"): self._clock,
            ("POST", "/clock/advance"): self._advance,
            ("POST", "/clock/advance-to"): self._advance_to,
            ("PUT", "/instances/{}"): self._add_instance,
            ("DELETE", "/instances/{}"): self._remove_instance,
            ("PUT", "/instances/{}/patches"): self._set_patches,
            ("PUT", "/resource-groups/{}"): self._add_resource_group,
            ("GET", "/outcomes"): self._outcomes,
            ("PUT", "/outcomes"): self._replace_outcomes,
            ("POST", "/outcomes"): self._add_outcome,
            ("DELETE", "/outcomes"): self._clear_outcomes,
            ("GET", "/events"): self._events,
            ("DELETE", "/events"): self._clear_events,
            ("GET", "/calls"): self._calls,
            ("DELETE", "/calls"): self._clear_calls,
            ("GET", "/timeline"): self._timeline_html,
            ("GET", "/timeline.txt"): self._timeline_text,
            ("GET", "/timeline.json"): self._timeline_json,
            ("POST", "/reset"): self._do_reset,
        }
        assert {(method, path) for method, path, _ in ROUTES} == set(self._routes)

    def answer(self, method: str, path: str, query: dict[str, list[str]], body: bytes) -> Reply:
        """The reply to ``method`` on ``path`` (below ``PREFIX``, already without it)."""
        route, params = _route_of(path)
        handler = self._routes.get((method, route))
        if handler is None:
            allowed = sorted(m for m, r in self._routes if r == route)
            if allowed:
                return error_reply(
                    405, "MethodNotAllowed",
                    f"{PREFIX}{route.replace('{}', '...')} takes {', '.join(allowed)}, "
                    f"not {method}", headers={"Allow": ", ".join(allowed)},
                )
            return error_reply(
                404, "NotFound",
                f"there is no control endpoint {PREFIX}{path[:200]}; GET {PREFIX}/ lists them",
            )
        try:
            return handler(_Request(method, params, query, body))
        except _Refused as refused:
            return refused.reply
        except Exception as exc:
            for kind, status in _CLIENT_ERRORS:
                if isinstance(exc, kind):
                    message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
                    return error_reply(status, type(exc).__name__, str(message))
            raise

    # --- the clock ------------------------------------------------------------------------

    def _index(self, request: _Request) -> Reply:
        return _json({
            "service": "ssm-mw-stub",
            "account_id": self._mw.responder().account_id,
            "now": instant_text(self._mw.now),
            "routes": [
                {"method": method, "path": PREFIX + path.replace("{}", "{id}"), "does": does}
                for method, path, does in ROUTES
            ],
        })

    def _now(self) -> Reply:
        return _json({"now": instant_text(self._mw.now)})

    def _clock(self, request: _Request) -> Reply:
        return self._now()

    def _advance(self, request: _Request) -> Reply:
        by = _member(request.json(), "by", (str, int, float))
        self._mw.advance(duration_from_json(by))
        return self._now()

    def _advance_to(self, request: _Request) -> Reply:
        self._mw.advance_to(_member(request.json(), "to", (str,)))
        return self._now()

    # --- the fleet ------------------------------------------------------------------------

    def _add_instance(self, request: _Request) -> Reply:
        # What PUT /instances/{id} takes about the node besides tags, Region and online
        # state: the handle's add_instance keywords (``patches`` as a list of Patch fields,
        # ``released`` an ISO 8601 string). Imported here: the model loads with the first
        # declared node, not with connect()'s client, which imports this module.
        from ..model.nodes import NodeDetails

        node_details = tuple(NodeDetails.__annotations__)
        data = request.json()
        _only(data, ("tags", "region", "online", *node_details))
        online = data.get("online", True)
        if not isinstance(online, bool):
            raise TypeError(f"online is true or false; got {online!r}")
        instance_id = request.params[0]
        details = {key: data[key] for key in node_details if key in data}
        self._mw.add_instance(
            instance_id, tags=data.get("tags"), region=data.get("region"), online=online,
            **details,
        )
        return _json({"instance_id": instance_id})

    def _set_patches(self, request: _Request) -> Reply:
        data = request.json()
        _only(data, ("patches",))
        self._mw.set_patches(request.params[0], _member(data, "patches", (list,)))
        return _json({"instance_id": request.params[0]})

    def _remove_instance(self, request: _Request) -> Reply:
        self._mw.remove_instance(request.params[0])
        return _json({"instance_id": request.params[0]})

    def _add_resource_group(self, request: _Request) -> Reply:
        data = request.json()
        _only(data, ("resources", "region"))
        resources = _member(data, "resources", (list,))
        self._mw.add_resource_group(
            request.params[0],
            [tuple(item) if isinstance(item, list) else item for item in resources],
            region=data.get("region"),
        )
        return _json({"name": request.params[0]})

    # --- outcome rules --------------------------------------------------------------------

    def _rules_json(self) -> Reply:
        return _json({"rules": [rule.to_json() for rule in self._rules.rules]})

    def _outcomes(self, request: _Request) -> Reply:
        return self._rules_json()

    def _replace_outcomes(self, request: _Request) -> Reply:
        rules = _member(request.json(), "rules", (list,))
        self._rules.replace(self._mw, [OutcomeRule.from_json(rule) for rule in rules])
        return self._rules_json()

    def _add_outcome(self, request: _Request) -> Reply:
        self._rules.add(self._mw, OutcomeRule.from_json(request.json()))
        return self._rules_json()

    def _clear_outcomes(self, request: _Request) -> Reply:
        self._rules.replace(self._mw, ())
        return self._rules_json()

    # --- what happened --------------------------------------------------------------------

    def _events(self, request: _Request) -> Reply:
        return _json({"events": self._mw.events})

    def _clear_events(self, request: _Request) -> Reply:
        self._mw.clear_events()
        return _json({"events": []})

    def _calls(self, request: _Request) -> Reply:
        return _json({"calls": list(_calls_json(self._mw.calls))})

    def _clear_calls(self, request: _Request) -> Reply:
        self._mw.clear_calls()
        return _json({"calls": []})

    def _timeline_html(self, request: _Request) -> Reply:
        headers: dict[str, str] = {"Cache-Control": "no-store"}
        refresh = request.query.get("refresh", [""])[0]
        if refresh:
            if not refresh.isdigit() or not 0 < int(refresh) <= 86400:
                raise ValueError(f"refresh is a number of seconds from 1 to 86400; got {refresh!r}")
            headers["Refresh"] = refresh
        html = self._mw.timeline().html()
        return Reply(200, html.encode(), content_type=_HTML, headers=headers)

    def _timeline_text(self, request: _Request) -> Reply:
        full = request.query.get("full", ["0"])[0] not in ("", "0", "false")
        text = self._mw.timeline().text(max_lines=None if full else 60)
        return Reply(200, (text + "\n").encode(), content_type=_TEXT)

    def _timeline_json(self, request: _Request) -> Reply:
        timeline = self._mw.timeline()
        return _json({
            "now": instant_text(timeline.now),
            "text": timeline.text(),
            "full_text": timeline.text(max_lines=None),
            "html": timeline.html(),
        })

    def _do_reset(self, request: _Request) -> Reply:
        self._reset()
        return self._now()


def _route_of(path: str) -> tuple[str, tuple[str, ...]]:
    """The route of ``path`` and its one path parameter: ``/instances/i-1`` ->
    (``/instances/{}``, (``i-1``,)); ``/instances/i-1/patches`` likewise."""
    path = path or "/"
    for collection in ("/instances/", "/resource-groups/"):
        if path.startswith(collection) and len(path) > len(collection):
            rest = path[len(collection):]
            if "/" not in rest:
                return collection + "{}", (unquote(rest),)
            if collection == "/instances/" and rest.count("/") == 1 and rest.endswith("/patches"):
                return "/instances/{}/patches", (unquote(rest[:-len("/patches")]),)
    return (path.rstrip("/") or "/"), ()


def _member(data: dict[str, Any], name: str, kinds: tuple[type, ...]) -> Any:
    value = data.get(name)
    if value is None:
        raise _Refused(400, "InvalidRequest", f"the body needs the member {name!r}")
    if isinstance(value, bool) or not isinstance(value, kinds):
        what = " or ".join(_JSON_NAMES[kind] for kind in kinds)
        raise _Refused(400, "InvalidRequest", f"{name!r} must be {what}; got {value!r}")
    return value


_JSON_NAMES = {str: "a string", int: "a number", float: "a number", list: "a list"}


def _only(data: dict[str, Any], names: tuple[str, ...]) -> None:
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise _Refused(
            400, "InvalidRequest",
            f"unknown member(s) {', '.join(unknown)}; this takes {', '.join(names)}",
        )


def _json(data: Any) -> Reply:
    return Reply(200, json.dumps(data).encode(), content_type=_JSON)


def _calls_json(calls: list[Call]) -> Iterator[dict[str, Any]]:
    """Each call as the wire carried it (request and response bodies as text, which the
    remote handle parses as the in-process ``Call`` does) and decoded, for reading."""
    for call in calls:
        wire = call.wire_response.decode("utf-8", "replace")
        yield {
            "operation": call.operation,
            "account": call.account,
            "region": call.region,
            "time": instant_text(call.time),
            "status_code": call.status_code,
            "parameters": call.parameters,
            "response": _decoded(wire) if call.succeeded else None,
            "error_code": call.error_code,
            "error_message": call.error_message,
            "body": call.body.decode("utf-8", "replace"),
            "wire_response": wire,
        }


def _decoded(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
