"""What recording ``mw.calls`` costs per call, measured side by side in one process.

The same client and the same 7-call tutorial mix as ``bench_calls.py``, alternating round by
round between the mock as it is (every answered call recorded) and the same mock with its
recorder replaced by a function that does nothing, so a change in the machine's load weighs
on both alike. Prints the median per call of each, their ratio, and the difference in
nanoseconds. The switched-off recorder is still a call, so the whole cost of the hook's one
line is timed on its own too (the recorder called a million times with a real call's
arguments). ``bench_calls.py`` gives the per-call target figure with recording on.

Run:  python benchmarks/bench_call_log.py [--rounds N]
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import timeit
from pathlib import Path
from typing import Any

import boto3

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_calls import REGION, call_mix

from ssm_mw_stub import mock_maintenance_windows


def _nothing(*_: Any) -> None:
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=600)
    args = parser.parse_args()
    samples: dict[str, list[float]] = {"recorded": [], "not recorded": []}
    with mock_maintenance_windows(start="2026-11-24T00:00:00Z") as mw:
        world = mw._require()
        ssm = boto3.client("ssm", region_name=REGION)
        for thunk in call_mix(ssm):  # warm-up
            thunk()
        gc.disable()
        try:
            for _ in range(args.rounds):
                for mode, into in samples.items():
                    if mode == "recorded":
                        world.__dict__.pop("record_call", None)  # the class's method
                    else:
                        world.record_call = _nothing  # type: ignore[method-assign]
                    for thunk in call_mix(ssm):
                        start = time.perf_counter()
                        thunk()
                        into.append(time.perf_counter() - start)
        finally:
            gc.enable()
        recorded = len(mw.calls)
        model, body, region, status, raw, _ = world.calls[0]
        world.__dict__.pop("record_call", None)
        record = world.record_call
        loops = 1_000_000
        world.calls.clear()
        alone = min(
            timeit.repeat(lambda: record(model, body, region, status, raw), number=loops, repeat=5)
        ) / loops
        world.calls.clear()
    on, off = (statistics.median(samples[k]) for k in ("recorded", "not recorded"))
    print(f"per-call median over {args.rounds} rounds of the 7-call tutorial mix, alternating")
    print(f"  calls recorded (mw.calls)    {on * 1e6:8.1f} us")
    print(f"  recorder switched off        {off * 1e6:8.1f} us")
    print(f"  recorded / not recorded = {on / off:.3f}  ({(on - off) * 1e9:+.0f} ns per call; "
          f"{recorded} calls recorded)")
    print(f"  the recorder alone: {alone * 1e9:.0f} ns per call, {alone / on:.2%} of a call")


if __name__ == "__main__":
    main()
