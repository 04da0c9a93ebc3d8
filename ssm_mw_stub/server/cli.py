"""The ``ssm-mw-stub`` command: ``serve``, and the control API for shells and other languages.

``ssm-mw-stub serve`` runs a server in the foreground; every other command talks to a
running one, at ``--endpoint`` or ``$SSM_MW_STUB_URL``::

    export SSM_MW_STUB_URL=$(ssm-mw-stub serve --port 0 | head -n 1) ...
    ssm-mw-stub instance add i-0123456789abcdef0 --tag Environment=Prod
    ssm-mw-stub outcome AWS-RunShellScript FAILED --duration 10m --stderr "disk full"
    ssm-mw-stub advance 7d
    ssm-mw-stub timeline --html timeline.html

Exit status: 0 on success, 1 when the server refused or could not be reached, 2 for a
command line that does not parse.
"""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timezone
from typing import Any

from .durations import format_duration, parse_duration
from .remote import ENDPOINT_VARIABLE, RemoteError, RemoteMaintenanceWindows, connect

__all__ = ["build_parser", "main"]

#: The port ``serve`` listens on unless told otherwise (``--port 0``: any free port).
DEFAULT_PORT = 4583


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help(sys.stderr)
        return 2
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except (RemoteError, ConnectionError, ValueError, TypeError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        print(f"ssm-mw-stub: error: {message}", file=sys.stderr)
        return 1


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="ssm-mw-stub",
        description="A local AWS Systems Manager maintenance-window endpoint whose clock "
        "you move: `serve` runs it; the other commands drive a running one.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    client = argparse.ArgumentParser(add_help=False)
    client.add_argument(
        "--endpoint", metavar="URL", default=None,
        help=f"the server's URL (default: ${ENDPOINT_VARIABLE})",
    )

    serve = commands.add_parser("serve", help="run a server in the foreground")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT,
                       help=f"port (default {DEFAULT_PORT}; 0 picks a free one)")
    serve.add_argument("--start", help="the clock's first instant, ISO 8601 with offset "
                       "(default: now, whole minute)")
    serve.add_argument("--seed", default="0", help="seed of the id generator (default 0)")
    serve.add_argument("--account-id", default="123456789012", help="the account answered for")
    serve.add_argument("--verbose", action="store_true", help="log each request to stderr")
    serve.set_defaults(run=_serve)

    def command(name: str, run: Callable[[argparse.Namespace], int], text: str) -> Any:
        sub = commands.add_parser(name, parents=[client], help=text, description=text)
        sub.set_defaults(run=run)
        return sub

    command("now", _now, "print the simulated instant")
    command("advance", _advance, "move the clock forward by a duration (30s, 15m, 4h, 7d, "
            "PT4H)").add_argument("duration", type=_duration)
    command("advance-to", _advance_to, "move the clock forward to an instant (ISO 8601)") \
        .add_argument("instant")

    # --endpoint belongs to the actions: an option of this level would be overwritten by
    # the action parser's default.
    instance = commands.add_parser("instance", help="add or remove a managed node of the fleet")
    actions = instance.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser("add", parents=[client], help="add (or replace) a managed node")
    add.add_argument("instance_id")
    add.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE", type=_tag,
                     help="a tag of the node (repeat for more)")
    add.add_argument("--region", help="the node's Region (default: every Region)")
    add.add_argument("--offline", action="store_true",
                     help="the node matches targets but receives no command")
    add.set_defaults(run=_instance_add)
    remove = actions.add_parser("remove", parents=[client], help="remove a managed node")
    remove.add_argument("instance_id")
    remove.set_defaults(run=_instance_remove)

    group = command("resource-group", _resource_group,
                    "declare a resource group for resource-groups:Name targets")
    group.add_argument("name")
    group.add_argument("resources", nargs="*", metavar="RESOURCE", help="instance ids or ARNs")
    group.add_argument("--typed", nargs=2, action="append", default=[],
                       metavar=("ARN", "TYPE"), help="an ARN with its resource type "
                       "(AWS::S3::Bucket), for ResourceTypeFilters")
    group.add_argument("--region", help="the group's Region (default: every Region)")

    outcome = command("outcome", _outcome, "add an outcome rule: the work of KEY (task "
                      "ARN, document name or task type) ends with STATUS")
    outcome.add_argument("key")
    outcome.add_argument("status")
    outcome.add_argument("--instance", help="only the work on this instance")
    outcome.add_argument("--duration", type=_duration, help="how long the work takes (10m)")
    outcome.add_argument("--output", help="the invocation's StatusDetails")
    outcome.add_argument("--stdout", help="a Run Command node's standard output")
    outcome.add_argument("--stderr", help="a Run Command node's standard error")
    outcome.add_argument("--response-code", type=int, help="a Run Command node's exit code")
    outcome.add_argument("--failure-message", help="an Automation execution's failure message")
    outcomes = command("outcomes", _outcomes, "print the outcome rules (--clear: drop them)")
    outcomes.add_argument("--clear", action="store_true")

    events = command("events", _events, "print the EventBridge events as JSON")
    events.add_argument("--clear", action="store_true", help="then forget them")
    calls = command("calls", _calls, "print the API calls answered, one a line")
    calls.add_argument("--clear", action="store_true", help="then forget them")
    timeline = command("timeline", _timeline, "print the text timeline of what ran")
    timeline.add_argument("--html", metavar="FILE", help="write the HTML timeline to FILE")
    timeline.add_argument("--full", action="store_true", help="every row, never summarised")
    command("reset", _reset, "back to the start: empty state, first instant, no rules")
    return parser


# --- argument types ---------------------------------------------------------------------


def _duration(text: str) -> Any:
    try:
        return parse_duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _tag(text: str) -> tuple[str, str]:
    key, equals, value = text.partition("=")
    if not equals or not key:
        raise argparse.ArgumentTypeError(f"a tag is KEY=VALUE; got {text!r}")
    return key, value


def _handle(args: argparse.Namespace) -> RemoteMaintenanceWindows:
    return connect(args.endpoint)


def _show_now(mw: RemoteMaintenanceWindows) -> int:
    print(mw.now.isoformat().replace("+00:00", "Z"))
    return 0


# --- the commands -----------------------------------------------------------------------


def _serve(args: argparse.Namespace) -> int:
    from ..clock import parse_instant
    from ..mock import MaintenanceWindows
    from .httpd import Server
    from .wire import operation_model

    # The start is pinned, so that a reset goes back to the same instant.
    start = (
        parse_instant(args.start, what="--start") if args.start
        else datetime.now(timezone.utc).replace(second=0, microsecond=0)
    )
    seed: int | str = int(args.seed) if args.seed.lstrip("-").isdigit() else args.seed
    mw = MaintenanceWindows(start, seed=seed, account_id=args.account_id)
    log = (lambda line: print(line, file=sys.stderr, flush=True)) if args.verbose else None
    server = Server(mw, args.host, args.port, log=log)
    operation_model("CreateMaintenanceWindow")  # botocore's SSM model, loaded before the first call
    mw.start()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    server.start()
    try:
        print(server.url, flush=True)
        print(
            f"ssm-mw-stub: SSM endpoint {server.url} (account {args.account_id}, clock at "
            f"{start.isoformat().replace('+00:00', 'Z')}, seed {seed}); control API "
            f"{server.url}/_ssm-mw-stub/, timeline {server.url}/_ssm-mw-stub/timeline; "
            "Ctrl-C stops it",
            file=sys.stderr, flush=True,
        )
        while not stop.wait(0.5):
            pass
    finally:
        server.close()
        mw.stop()
    return 0


def _now(args: argparse.Namespace) -> int:
    return _show_now(_handle(args))


def _advance(args: argparse.Namespace) -> int:
    mw = _handle(args)
    mw.advance(args.duration)
    return _show_now(mw)


def _advance_to(args: argparse.Namespace) -> int:
    mw = _handle(args)
    mw.advance_to(args.instant)
    return _show_now(mw)


def _instance_add(args: argparse.Namespace) -> int:
    _handle(args).add_instance(
        args.instance_id, tags=dict(args.tag), region=args.region, online=not args.offline
    )
    return 0


def _instance_remove(args: argparse.Namespace) -> int:
    _handle(args).remove_instance(args.instance_id)
    return 0


def _resource_group(args: argparse.Namespace) -> int:
    resources: list[str | tuple[str, str]] = [*args.resources]
    resources += [(arn, kind) for arn, kind in args.typed]
    _handle(args).add_resource_group(args.name, resources, region=args.region)
    return 0


def _outcome(args: argparse.Namespace) -> int:
    rule: dict[str, Any] = {"key": args.key, "status": args.status}
    if args.instance:
        rule["instance_id"] = args.instance
    if args.duration is not None:
        rule["duration"] = format_duration(args.duration)
    for name in ("output", "stdout", "stderr", "response_code", "failure_message"):
        if getattr(args, name) is not None:
            rule[name] = getattr(args, name)
    _handle(args).request("POST", "/outcomes", rule)
    return 0


def _outcomes(args: argparse.Namespace) -> int:
    mw = _handle(args)
    rules = mw.request("DELETE" if args.clear else "GET", "/outcomes")["rules"]
    print(json.dumps(rules, indent=2))
    return 0


def _events(args: argparse.Namespace) -> int:
    mw = _handle(args)
    print(json.dumps(mw.events, indent=2))
    if args.clear:
        mw.clear_events()
    return 0


def _calls(args: argparse.Namespace) -> int:
    mw = _handle(args)
    for call in mw.calls:
        outcome = "OK" if call.succeeded else f"{call.error_code}: {call.error_message}"
        print(f"{call.time.isoformat().replace('+00:00', 'Z')}  {call.region}  "
              f"{call.operation}  {outcome}")
    if args.clear:
        mw.clear_calls()
    return 0


def _timeline(args: argparse.Namespace) -> int:
    timeline = _handle(args).timeline()
    if args.html:
        written = timeline.save(args.html)
        print(f"wrote {written}")
    else:
        print(timeline.text(full=args.full))
    return 0


def _reset(args: argparse.Namespace) -> int:
    mw = _handle(args)
    mw.reset()
    return _show_now(mw)
