"""Eight threads writing at once lose nothing."""

from __future__ import annotations

import threading
from typing import Any

import boto3

from ssm_mw_stub import MaintenanceWindows

THREADS = 8


def test_eight_threads_writing_at_once_lose_no_write(mw: MaintenanceWindows) -> None:
    setup = boto3.client("ssm", region_name="us-east-1")
    shared = setup.create_maintenance_window(
        Name="shared", Schedule="rate(1 day)", Duration=2, Cutoff=1,
        AllowUnassociatedTargets=True,
    )["WindowId"]
    barrier = threading.Barrier(THREADS)
    windows: list[list[str]] = [[] for _ in range(THREADS)]
    targets: list[list[str]] = [[] for _ in range(THREADS)]
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            ssm: Any = boto3.session.Session().client("ssm", region_name="us-east-1")
            barrier.wait()
            for k in range(5):
                windows[n].append(ssm.create_maintenance_window(
                    Name=f"w-{n}-{k}", Schedule="rate(1 day)", Duration=2, Cutoff=1,
                    AllowUnassociatedTargets=True,
                )["WindowId"])
            for k in range(12):
                targets[n].append(ssm.register_target_with_maintenance_window(
                    WindowId=shared, ResourceType="INSTANCE",
                    Targets=[{"Key": "InstanceIds", "Values": [f"i-{n:08x}{k:09x}"]}],
                )["WindowTargetId"])
                ssm.add_tags_to_resource(
                    ResourceType="MaintenanceWindow", ResourceId=shared,
                    Tags=[{"Key": f"t{n}", "Value": str(k)}],
                )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []

    all_windows = {w for ids in windows for w in ids}
    assert len(all_windows) == THREADS * 5
    listed = {
        w["WindowId"]
        for page in setup.get_paginator("describe_maintenance_windows").paginate()
        for w in page["WindowIdentities"]
    }
    assert listed == all_windows | {shared}
    all_targets = [t for ids in targets for t in ids]
    assert len(set(all_targets)) == THREADS * 12
    registered = [
        t["WindowTargetId"]
        for page in setup.get_paginator("describe_maintenance_window_targets").paginate(
            WindowId=shared
        )
        for t in page["Targets"]
    ]
    assert sorted(registered) == sorted(all_targets)
    tags = setup.list_tags_for_resource(ResourceType="MaintenanceWindow", ResourceId=shared)
    assert {t["Key"]: t["Value"] for t in tags["TagList"]} == {
        f"t{n}": "11" for n in range(THREADS)
    }
