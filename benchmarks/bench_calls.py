"""Per-call cost of the stub, side by side with a floor and with moto, in one process.

The call mix is the tutorial's: create window, register target, register task, get window,
describe targets, describe tasks, delete window. Each round makes those seven calls; the
median per call of each variant is printed, with the ratios the project targets:

* floor: the same boto3 calls answered by a ``before-call`` handler returning canned,
  already-parsed responses (boto3's own overhead: parameter validation, serialisation,
  endpoint resolution, events).
* floor + parser: the same canned responses, but as the wire JSON the stub's service
  produced for those calls, run through botocore's response parser as the stub does. The
  stub must pay this much (responses go through botocore's own parser); the difference
  between this row and the stub is the stub's own service. Target: stub / (floor + parser)
  <= 1.3.
* before-send: the stub's service answering at ``before-send`` with signing switched off,
  so botocore's whole pipeline (request building, parsing, retries) runs. This is the
  alternative hook point of the design; the stub uses ``before-call`` because of this row.
* moto: ``moto.mock_aws``. Target: moto / stub >= 5.

Also printed: the cost of one test's set-up, side by side with moto and with a floor (a
mock activation, a new client and its first call; the floor is a new client whose first call
a canned handler answers, without any mock; target: moto / stub >= 20, which moto / floor
bounds), the import cost of ``ssm_mw_stub`` over ``import boto3`` (target <= 50 ms) and the
cost of the first call in a fresh process, for the stub and for moto.

Without credentials configured, botocore probes the EC2 instance metadata service for
them whenever a client is created, which costs what the machine's network makes it cost (a
few milliseconds here, a second on some networks). Like the test suite, the script turns
that probe off (``AWS_EC2_METADATA_DISABLED=true``) so that client creation is measured,
not the network.

Each speed trick of the call path (``ssm_mw_stub/wire.py``'s switchboard) can be switched to
its plain twin for the whole run (``--plain decode --plain response``, or ``--plain all``;
the floor + parser row shares the stub's parser, so ``--plain timestamps`` moves it too),
and ``--tricks`` measures what each one buys, side by side in one process: rounds of the mix
with every trick on and with one trick on its plain twin take turns, timed by the thread's
CPU time (the machine's other load weighs less than on the wall clock). With ``--callgrind``
the same segments run once each under valgrind's callgrind and are counted in instructions,
which no other load on the machine changes (slow: about a minute).

Run:  python benchmarks/bench_calls.py [--rounds N] [--plain NAME]... [--tricks [--callgrind]]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from typing import Any

os.environ.setdefault("AWS_EC2_METADATA_DISABLED", "true")  # see the module docstring

import boto3
import botocore
from botocore.awsrequest import AWSResponse, HeadersDict

from ssm_mw_stub import hook, mock_maintenance_windows, wire

REGION = "us-east-1"
INSTANCE = "i-0123456789abcdef0"


def call_mix(ssm: Any) -> Iterator[Callable[[], Any]]:
    """The seven calls of one round, as thunks so each can be timed alone."""
    state: dict[str, str] = {}

    def create() -> None:
        state["w"] = ssm.create_maintenance_window(
            Name="bench-window", Schedule="cron(0 16 ? * TUE *)", Duration=4, Cutoff=1,
            ScheduleTimezone="America/Los_Angeles", AllowUnassociatedTargets=True,
        )["WindowId"]

    def register_target() -> None:
        state["t"] = ssm.register_target_with_maintenance_window(
            WindowId=state["w"], ResourceType="INSTANCE",
            Targets=[{"Key": "InstanceIds", "Values": [INSTANCE]}], OwnerInformation="bench",
        )["WindowTargetId"]

    def register_task() -> None:
        ssm.register_task_with_maintenance_window(
            WindowId=state["w"], TaskArn="AWS-RunShellScript", TaskType="RUN_COMMAND",
            Targets=[{"Key": "WindowTargetIds", "Values": [state["t"]]}],
            TaskInvocationParameters={"RunCommand": {"Parameters": {"commands": ["df"]}}},
            MaxConcurrency="1", MaxErrors="1", Priority=10,
        )

    yield create
    yield register_target
    yield register_task
    yield lambda: ssm.get_maintenance_window(WindowId=state["w"])
    yield lambda: ssm.describe_maintenance_window_targets(WindowId=state["w"])
    yield lambda: ssm.describe_maintenance_window_tasks(WindowId=state["w"])
    yield lambda: ssm.delete_maintenance_window(WindowId=state["w"])


#: The calls of one round, in order, as the per-operation table names them.
CALLS = ("create window", "register target", "register task", "get window",
         "describe targets", "describe tasks", "delete window")


def measure(
    clients: dict[str, Any], rounds: int,
    mix: Callable[[Any], Iterator[Callable[[], Any]]] = call_mix,
) -> dict[str, list[list[float]]]:
    """Seconds of every call, by client and by position in the mix, over ``rounds`` rounds.

    The clients take turns round by round, so a change in the machine's load during the
    run weighs on every variant alike and the ratios stay meaningful. ``mix`` makes one
    round's thunks for a client (default: ``call_mix``).
    """
    samples: dict[str, list[list[float]]] = {name: [[] for _ in CALLS] for name in clients}
    for ssm in clients.values():  # warm-up round
        for thunk in mix(ssm):
            thunk()
    gc.disable()
    try:
        for _ in range(rounds):
            for name, ssm in clients.items():
                into = samples[name]
                for index, thunk in enumerate(mix(ssm)):
                    start = time.perf_counter()
                    thunk()
                    into[index].append(time.perf_counter() - start)
    finally:
        gc.enable()
    return samples


def median_call(samples: list[list[float]]) -> float:
    """The per-call median over the whole mix (every call of every round)."""
    return statistics.median(value for values in samples for value in values)


# --- the floor: canned responses at before-call -----------------------------------------

_CANNED: dict[str, dict[str, Any]] = {
    "CreateMaintenanceWindow": {"WindowId": "mw-0123456789abcdef0"},
    "RegisterTargetWithMaintenanceWindow": {
        "WindowTargetId": "11111111-2222-4333-8444-555555555555"},
    "RegisterTaskWithMaintenanceWindow": {"WindowTaskId": "11111111-2222-4333-8444-666666666666"},
    "GetMaintenanceWindow": {"WindowId": "mw-0123456789abcdef0", "Name": "bench-window"},
    "DescribeMaintenanceWindowTargets": {"Targets": []},
    "DescribeMaintenanceWindowTasks": {"Tasks": []},
    "DeleteMaintenanceWindow": {"WindowId": "mw-0123456789abcdef0"},
    "DescribeMaintenanceWindows": {"WindowIdentities": []},
}


def _canned(model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
    body = dict(_CANNED[model.name])
    body["ResponseMetadata"] = {"RequestId": "r", "HTTPStatusCode": 200, "HTTPHeaders": {},
                                "RetryAttempts": 0}
    return AWSResponse("", 200, HeadersDict(), None), body  # type: ignore[arg-type]


def floor_client() -> Any:
    ssm = boto3.client("ssm", region_name=REGION)
    ssm.meta.events.register_first("before-call.ssm", _canned)
    return ssm


def recorded_bodies() -> dict[str, bytes]:
    """The wire bodies the stub's service gives for one round of the mix, by operation."""
    bodies: dict[str, bytes] = {}
    with mock_maintenance_windows(start="2026-11-24T00:00:00Z") as mw:
        service = mw._require().service
        original = service.handle

        def record(operation: str, body: Any, **kwargs: Any) -> tuple[int, bytes]:
            status, raw = original(operation, body, **kwargs)
            bodies[operation] = raw
            return status, raw

        service.handle = record  # type: ignore[method-assign]
        for thunk in call_mix(boto3.client("ssm", region_name=REGION)):
            thunk()
    return bodies


def parser_floor_client() -> Any:
    """Canned wire bodies, parsed at before-call by the parser the stub uses (botocore's
    JSONParser with the stub's equivalent timestamp conversion), and no service at all."""
    from ssm_mw_stub.parsing import parser

    bodies = recorded_bodies()

    def canned_wire(model: Any, **_: Any) -> tuple[AWSResponse, dict[str, Any]]:
        raw = bodies[model.name]
        headers = {"x-amzn-requestid": "r", "content-type": "application/x-amz-json-1.1"}
        parsed = parser.parse(
            {"headers": headers, "status_code": 200, "body": raw}, model.output_shape
        )
        return AWSResponse("", 200, HeadersDict(), None), parsed  # type: ignore[arg-type]

    ssm = boto3.client("ssm", region_name=REGION)
    ssm.meta.events.register_first("before-call.ssm", canned_wire)
    return ssm


# --- the alternative hook point: before-send with signing off ---------------------------


class _Body:
    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


def before_send_client(mw: Any) -> Any:
    """A client whose calls are answered by the stub's service at ``before-send``."""
    ssm = boto3.client("ssm", region_name=REGION)
    service = mw._require().service
    model = ssm.meta.service_model

    def unsigned(**_: Any) -> Any:
        return botocore.UNSIGNED

    def answer(request: Any, **_: Any) -> AWSResponse:
        operation = request.headers["X-Amz-Target"].decode().split(".", 1)[1]
        status, raw = service.handle(
            operation, request.body, account="123456789012", region=REGION,
            input_shape=model.operation_model(operation).input_shape,
        )
        headers = HeadersDict({"x-amzn-requestid": "r",
                               "content-type": "application/x-amz-json-1.1"})
        return AWSResponse(request.url, status, headers, _Body(raw))

    ssm.meta.events.register_first("choose-signer.ssm", unsigned)
    ssm.meta.events.register_first("before-send.ssm", answer)
    # The stub's own before-call handler stands aside for this client only.
    ssm.meta.events.unregister("before-call.ssm", hook.before_call)
    return ssm


# --- per test: an activation, a new client, its first call ------------------------------


def per_test(
    variants: dict[str, tuple[Callable[[], Any], Callable[[], Any]]], rounds: int
) -> dict[str, list[float]]:
    """Seconds of one test's set-up, ``rounds`` times per variant: enter ``activate()``,
    make a client with ``make_client()``, make one call, leave. ``variants`` maps a name to
    (activate, make_client); they take turns test by test, because creating clients makes
    the next creation slower (the process grows), which must weigh on every variant alike.
    Their order turns too, round by round, so that each follows each other one equally
    often: a test that follows moto's runs with caches moto has filled with its own work,
    and a collection of the garbage every test leaves (a client is a reference cycle) falls
    on whichever test is allocating when a threshold is crossed. In a fixed order both would
    land on the same variant every time."""
    samples: dict[str, list[float]] = {name: [] for name in variants}
    names = list(variants)
    for index in range(rounds):
        shift = index % len(names)
        for name in names[shift:] + names[:shift]:
            activate, make_client = variants[name]
            start = time.perf_counter()
            with activate():
                make_client().describe_maintenance_windows()
            samples[name].append(time.perf_counter() - start)
    return samples


def plain_client() -> Any:
    return boto3.client("ssm", region_name=REGION)


# --- fresh-process costs ----------------------------------------------------------------

_IMPORT = """
import time, boto3
t = time.perf_counter()
import ssm_mw_stub
print(time.perf_counter() - t)
"""
_FIRST_STUB = """
import time, boto3, ssm_mw_stub
t = time.perf_counter()
with ssm_mw_stub.mock_maintenance_windows(start="2026-11-24T00:00:00Z"):
    c = boto3.client("ssm", region_name="us-east-1")
    c.create_maintenance_window(Name="first", Schedule="rate(1 day)", Duration=2, Cutoff=1,
                                AllowUnassociatedTargets=False)
print(time.perf_counter() - t)
"""
_FIRST_PLAIN = """
import time, boto3
t = time.perf_counter()
c = boto3.client("ssm", region_name="us-east-1")
print(time.perf_counter() - t)
"""
_FIRST_MOTO = """
import time, boto3
t = time.perf_counter()
from moto import mock_aws
with mock_aws():
    c = boto3.client("ssm", region_name="us-east-1")
    c.create_maintenance_window(Name="first", Schedule="rate(1 day)", Duration=2, Cutoff=1,
                                AllowUnassociatedTargets=False)
print(time.perf_counter() - t)
"""


def fresh(script: str, runs: int = 5) -> float:
    """Median seconds printed by ``script`` over fresh interpreter runs.

    Python normally caches compiled bytecode; an environment with PYTHONDONTWRITEBYTECODE
    set (some containers and CI images) would make every run compile every module of
    boto3, botocore and this package from source, which is not what a user's second run
    costs. So the runs may write bytecode, and one unmeasured run goes first.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.setdefault("AWS_EC2_METADATA_DISABLED", "true")

    def run() -> float:
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                              check=True, env=env)
        return float(done.stdout.split()[-1])

    run()
    return statistics.median(run() for _ in range(runs))


# --- what each trick buys: side by side with its plain twin -----------------------------


def variants() -> list[tuple[str, tuple[str, ...]]]:
    """(label, tricks on their plain twins) of each variant ``--tricks`` compares."""
    import ssm_mw_stub.service  # noqa: F401 - registers the predicates' switch

    names = tuple(sorted(wire.TRICKS))
    return [("stub", ()), ("stub, every trick plain", names)] + [
        (f"plain {name}", (name,)) for name in names
    ]


def run_round(ssm: Any) -> None:
    for thunk in call_mix(ssm):
        thunk()


def tricks_by_cpu_time(rounds: int) -> None:
    """Each variant against the stub with every trick on, in pairs of rounds (which one
    goes first alternating), by the thread's CPU time: a ratio of medians per pair of
    variants, so a change in the machine's load weighs on both sides of each ratio."""
    parse = parser_floor_client()
    with mock_maintenance_windows(start="2026-11-24T00:00:00Z") as mw:
        stub = boto3.client("ssm", region_name=REGION)
        others: list[tuple[str, Any, tuple[str, ...]]] = [("floor + parser", parse, ())]
        others += [(label, stub, names) for label, names in variants()[1:]]
        per_call: dict[str, float] = {}
        for label, ssm, names in others:
            pair = [("stub", stub, ()), (label, ssm, names)]
            samples: dict[str, list[int]] = {"stub": [], label: []}
            for _, client, plain in pair:  # warm-up
                with wire.plain(*plain) if plain else nullcontext():
                    run_round(client)
            gc.disable()
            try:
                for index in range(rounds):
                    for name, client, plain in pair[:: 1 if index % 2 else -1]:
                        with wire.plain(*plain) if plain else nullcontext():
                            start = time.thread_time_ns()
                            run_round(client)
                            samples[name].append(time.thread_time_ns() - start)
                    if index % 50 == 49:
                        mw.clear_calls()
            finally:
                gc.enable()
            stub_median = statistics.median(samples["stub"])
            # Scaled to the stub's median over all pairs, so the rows share one unit.
            per_call.setdefault("stub", 0.0)
            per_call["stub"] += stub_median / len(others)
            per_call[label] = statistics.median(samples[label]) / stub_median
    stub_median = per_call["stub"]
    for label in others:
        per_call[label[0]] *= stub_median
    per_call = {label: value / len(CALLS) / 1e3 for label, value in per_call.items()}
    _print_tricks(per_call, "us of CPU time per call", f"median of {rounds} paired rounds")


def tricks_by_instructions(rounds: int) -> None:
    """The same variants under callgrind, each once, counted in instructions: this script
    runs itself under valgrind; each segment starts at ``os.getppid()`` (counters zeroed)
    and ends at ``os.getpgrp()`` (counters dumped)."""
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            ["valgrind", "--tool=callgrind", "--zero-before=getppid", "--dump-before=getpgrp",
             f"--callgrind-out-file={out}", sys.executable, __file__, "--segments",
             "--rounds", str(rounds)],
            check=True, capture_output=True, env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        labels = ["floor + parser"] + [label for label, _ in variants()]
        per_call = {}
        for index, label in enumerate(labels, start=1):
            text = Path(f"{out}.{index}").read_text()
            total = next(int(line.split()[1]) for line in text.splitlines()
                         if line.startswith(("summary:", "totals:")))
            per_call[label] = total / rounds / len(CALLS) / 1e3
    _print_tricks(per_call, "thousand instructions per call", f"callgrind, {rounds} rounds each")


def segments(rounds: int) -> None:
    """The child of ``tricks_by_instructions``: each variant's rounds between the markers."""
    parse = parser_floor_client()
    with mock_maintenance_windows(start="2026-11-24T00:00:00Z"):
        stub = boto3.client("ssm", region_name=REGION)
        runs: list[tuple[Any, tuple[str, ...]]] = [(parse, ())]
        runs += [(stub, names) for _, names in variants()]
        for ssm, names in runs:
            with wire.plain(*names) if names else nullcontext():
                for _ in range(3):
                    run_round(ssm)
                os.getppid()
                for _ in range(rounds):
                    run_round(ssm)
                os.getpgrp()


def _print_tricks(per_call: dict[str, float], unit: str, method: str) -> None:
    stub, floor = per_call["stub"], per_call["floor + parser"]
    print(f"per call, {unit} ({method}); a trick buys (plain - stub) / plain")
    print(f"  floor + parser               {floor:8.1f}")
    print(f"  stub                         {stub:8.1f}   stub/(floor + parser) = "
          f"{stub / floor:.2f} (target <= 1.3)")
    for label, value in per_call.items():
        if label in ("stub", "floor + parser"):
            continue
        print(f"  {label:28s} {value:8.1f}   buys {(value - stub) / value * 100:5.1f} %   "
              f"plain/(floor + parser) = {value / floor:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--plain", action="append", default=[], metavar="NAME",
                        help="run with this trick on its plain twin (repeatable; 'all')")
    parser.add_argument("--tricks", action="store_true",
                        help="measure what each trick buys, side by side with its twin")
    parser.add_argument("--callgrind", action="store_true",
                        help="with --tricks: count instructions under valgrind instead")
    parser.add_argument("--segments", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.segments:
        segments(args.rounds)
        return
    if args.tricks:
        if args.callgrind:
            tricks_by_instructions(min(args.rounds, 40))
        else:
            tricks_by_cpu_time(args.rounds)
        return
    if args.plain:
        import ssm_mw_stub.service  # noqa: F401 - registers the predicates' switch

        names = tuple(wire.TRICKS) if "all" in args.plain else tuple(args.plain)
        wire.plain(*names).__enter__()  # for the whole run
        print(f"tricks on their plain twins: {', '.join(names)}")

    parser_floor = parser_floor_client()
    with mock_maintenance_windows(start="2026-11-24T00:00:00Z") as mw:
        samples = measure(
            {
                "floor": floor_client(),
                "parse": parser_floor,
                "stub": boto3.client("ssm", region_name=REGION),
                "send": before_send_client(mw),
            },
            args.rounds,
        )
    floor, parse_floor, stub, send = (
        median_call(samples[k]) for k in ("floor", "parse", "stub", "send")
    )
    try:
        from moto import mock_aws
    except ImportError:  # pragma: no cover - moto is in the test extra
        moto = None
    else:
        # moto cannot take turns with the stub (while the stub is active it answers these
        # calls), so it runs alone, alternating with a fresh floor client for its ratio.
        with mock_aws():
            alone = measure(
                {"moto": boto3.client("ssm", region_name=REGION), "floor": floor_client()},
                max(args.rounds // 3, 30),
            )
        moto = median_call(alone["moto"]) * floor / median_call(alone["floor"])

    print(f"per-call median over {args.rounds} rounds of the 7-call tutorial mix")
    print(f"  floor (canned before-call)   {floor * 1e6:8.1f} us")
    print(f"  floor + botocore's parser    {parse_floor * 1e6:8.1f} us   parse/floor = "
          f"{parse_floor / floor:.2f}  (the part of the stub's cost that is botocore's)")
    print(f"  stub  (before-call + parser) {stub * 1e6:8.1f} us   stub/floor = "
          f"{stub / floor:.2f}; stub/(floor + parser) = {stub / parse_floor:.2f} "
          "(target <= 1.3)")
    print(f"  stub at before-send          {send * 1e6:8.1f} us   send/floor = "
          f"{send / floor:.2f}  (why the stub answers at before-call)")
    if moto is not None:
        print(f"  moto mock_aws                {moto * 1e6:8.1f} us   moto/stub  = "
              f"{moto / stub:.1f}  (target >= 5; moto/floor = {moto / floor:.1f} bounds it)")

    print("per operation (median us): floor, floor + parser, stub, and the stub's cost over "
          "floor + parser")
    for index, call in enumerate(CALLS):
        f, p, s = (statistics.median(samples[k][index]) * 1e6 for k in ("floor", "parse", "stub"))
        print(f"  {call:18s} {f:7.1f} {p:7.1f} {s:7.1f}   +{s - p:5.1f}")

    # The floor of a test's set-up: no mock, a new boto3 client, its first call answered by a
    # canned before-call handler. botocore's client creation is most of a test's set-up, and
    # it bounds the ratio: moto / stub can be no larger than moto / floor.
    turns: dict[str, tuple[Callable[[], Any], Callable[[], Any]]] = {
        "stub": (lambda: mock_maintenance_windows(start="2026-11-24T00:00:00Z"), plain_client),
        "floor": (nullcontext, floor_client),
    }
    if moto is not None:
        from moto import mock_aws

        turns["moto"] = (mock_aws, plain_client)
    set_ups = per_test(turns, max(args.rounds // 5, 40))
    stub_ms, floor_ms = (statistics.median(set_ups[k]) * 1e3 for k in ("stub", "floor"))
    line = (f"per test (activation + new client + first call), median of {len(set_ups['stub'])}: "
            f"stub {stub_ms:.1f} ms, floor (no mock) {floor_ms:.1f} ms, stub / floor = "
            f"{stub_ms / floor_ms:.2f}")
    if moto is not None:
        moto_ms = statistics.median(set_ups["moto"]) * 1e3
        line += (f"; moto {moto_ms:.1f} ms, moto / stub = {moto_ms / stub_ms:.0f} (target >= "
                 f"20; moto / floor = {moto_ms / floor_ms:.0f} bounds it)")
    print(line)

    imported = fresh(_IMPORT)
    print(f"import ssm_mw_stub after boto3: {imported * 1e3:.1f} ms (target <= 50 ms)")
    plain = fresh(_FIRST_PLAIN)
    first = fresh(_FIRST_STUB)
    print(f"fresh process, first client + call: stub {first * 1e3:.0f} ms "
          f"(a plain boto3 client alone: {plain * 1e3:.0f} ms)")
    if moto is not None:
        print(f"fresh process, first client + call: moto {fresh(_FIRST_MOTO) * 1e3:.0f} ms")


if __name__ == "__main__":
    main()
