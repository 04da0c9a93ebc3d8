"""Window operations: create, get, update, delete, describe, for-target, schedule."""

from __future__ import annotations

import contextlib
import heapq
import itertools
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

from ..model import JSON, Window
from ..model.events import WINDOW_STATE, window_state_detail
from ..schedule import ScheduleError, compile_schedule, format_execution_time
from .common import (
    apply_filters,
    decode_cursor,
    encode_cursor,
    epoch,
    filter_instant,
    get_window,
    idempotent,
    listing,
    page,
    parse_filters,
    put,
)
from .core import Context, operation
from .errors import (
    constraint_problem,
    invalid_members,
    member_path,
    require_members,
    resource_limit,
    validation,
)
from .tags import merge_tags

__all__ = ["SCHEDULE_PAGE_MAX", "WINDOW_QUOTA", "next_execution_time", "window_identity"]

#: Maintenance windows per account and Region ("AWS Systems Manager endpoints and quotas").
WINDOW_QUOTA = 50

_EPSILON = timedelta(microseconds=1)
#: Changing one of these restarts the schedule's anchor (rate windows count from it).
_ANCHOR_FIELDS = ("Schedule", "ScheduleTimezone", "ScheduleOffset", "StartDate")


def _check_cutoff(cutoff: int, duration: int) -> None:
    """Cutoff must leave at least one hour of the window: AWS's own message, misspelling and
    two spaces included, as the newest real output prints it (aws/aws-cli#9793, 2025)."""
    if cutoff >= duration:
        raise validation(
            f"Cuttoff was {cutoff} but must be smaller than {duration - 1} (Duration  - 1 )"
        )


def _check_not_empty(request: JSON, members: tuple[str, ...]) -> None:
    """The service refuses empty date strings although the public model has no minimum."""
    for name in members:
        if request.get(name) == "":
            break
    else:
        return  # the usual case, without building the list below
    problems = [
        constraint_problem(
            "", member_path(name), "Member must have length greater than or equal to 1"
        )
        for name in members
        if request.get(name) == ""
    ]
    if problems:
        raise invalid_members(problems)


def _compile(settings: JSON, *, enabled: bool, anchor: datetime) -> Any:
    """Compile the schedule, or the ValidationException its problem gives."""
    try:
        return compile_schedule(
            schedule=settings["Schedule"],
            timezone=settings.get("ScheduleTimezone"),
            offset=settings.get("ScheduleOffset"),
            start_date=settings.get("StartDate"),
            end_date=settings.get("EndDate"),
            enabled=enabled,
            anchor=anchor,
        )
    except ScheduleError as exc:
        raise validation(str(exc)) from None


#: NextExecutionTime by everything it is computed from: the fields of the compiled schedule
#: (the expression determines the parsed spec; zones compare by identity) and the instant.
#: A pure function's results, so an entry is never stale; bounded, oldest out first. A new
#: window whose schedule, zone, dates and creation instant match an earlier one's (the usual
#: case in a test suite whose clock starts at one fixed instant) costs a lookup instead of a
#: calendar search.
_NEXT_TIMES: dict[tuple[Any, ...], str | None] = {}
_NEXT_TIMES_MAX = 512


def next_execution_time(window: Window, now: datetime) -> str | None:
    """NextExecutionTime: the next actual start after ``now``, in the window's zone.

    Cached on the window for as long as neither the clock nor the schedule changes:
    describing fifty cron windows would otherwise iterate fifty schedules per call.
    """
    compiled = window.compiled
    cached = window.next_cache
    if cached is not None and cached[0] == now and cached[1] is compiled:
        return cached[2]
    key = (compiled.expression, compiled.zone, compiled.offset_days, compiled.start,
           compiled.end, compiled.enabled, compiled.anchor, now)
    try:
        text = _NEXT_TIMES[key]
    except KeyError:
        start = compiled.next_start(now)
        text = None if start is None else format_execution_time(start)
        if len(_NEXT_TIMES) >= _NEXT_TIMES_MAX:
            with contextlib.suppress(StopIteration, KeyError, RuntimeError):
                del _NEXT_TIMES[next(iter(_NEXT_TIMES))]
        _NEXT_TIMES[key] = text
    window.next_cache = (now, compiled, text)
    return text


#: Schedules compiled for CreateMaintenanceWindow, by the members they are compiled from and
#: the instant (which is both the anchor and ``now`` of a new window). compile_schedule is a
#: pure function and its result immutable, so windows created alike share one; bounded,
#: oldest out first. Only creation uses it: an update that recompiles must hand the engine a
#: new object (it notices schedule changes by identity).
_CREATED: dict[tuple[Any, ...], Any] = {}
_CREATED_MAX = 256


def _compile_new(request: JSON, now: datetime) -> Any:
    """``_compile`` for a new window, through ``_CREATED``."""
    offset = request.get("ScheduleOffset")
    key = (request["Schedule"], request.get("ScheduleTimezone"),
           None if offset is None else (type(offset), offset),
           request.get("StartDate"), request.get("EndDate"), now)
    try:
        return _CREATED[key]
    except KeyError:
        pass
    except TypeError:  # an unhashable member: the schedule check reports it
        return _compile(request, enabled=True, anchor=now)
    compiled = _compile(request, enabled=True, anchor=now)
    if len(_CREATED) >= _CREATED_MAX:
        with contextlib.suppress(StopIteration, KeyError, RuntimeError):
            del _CREATED[next(iter(_CREATED))]
    _CREATED[key] = compiled
    return compiled


@operation("CreateMaintenanceWindow")
def create_window(ctx: Context, request: JSON) -> JSON:
    _check_not_empty(request, ("StartDate", "EndDate", "ScheduleTimezone"))
    _check_cutoff(request["Cutoff"], request["Duration"])
    compiled = _compile_new(request, ctx.now)
    tags = merge_tags({}, request["Tags"]) if request.get("Tags") else {}

    def create() -> str:
        if len(ctx.state.windows) >= WINDOW_QUOTA:
            raise resource_limit(
                f"The maximum number of maintenance windows ({WINDOW_QUOTA}) "
                "has been reached for this account in this Region."
            )
        window_id = ctx.ids.window_id()
        ctx.state.windows[window_id] = Window(
            window_id=window_id,
            name=request["Name"],
            schedule=request["Schedule"],
            duration=request["Duration"],
            cutoff=request["Cutoff"],
            allow_unassociated_targets=request["AllowUnassociatedTargets"],
            created=ctx.now,
            modified=ctx.now,
            compiled=compiled,
            anchor=ctx.now,
            description=request.get("Description"),
            start_date=request.get("StartDate"),
            end_date=request.get("EndDate"),
            timezone=request.get("ScheduleTimezone"),
            offset=request.get("ScheduleOffset"),
            tags=tags,
        )
        return window_id

    return {"WindowId": idempotent(ctx, "CreateMaintenanceWindow", request, create)}


def _settings(window: Window) -> JSON:
    """The members Get, Update and Describe share, unset ones omitted."""
    out: JSON = {"WindowId": window.window_id, "Name": window.name}
    put(out, "Description", window.description)
    put(out, "StartDate", window.start_date)
    put(out, "EndDate", window.end_date)
    out["Schedule"] = window.schedule
    put(out, "ScheduleTimezone", window.timezone)
    put(out, "ScheduleOffset", window.offset)
    out["Duration"] = window.duration
    out["Cutoff"] = window.cutoff
    out["AllowUnassociatedTargets"] = window.allow_unassociated_targets
    out["Enabled"] = window.enabled
    return out


@operation("GetMaintenanceWindow")
def get_window_op(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    out = _settings(window)
    put(out, "NextExecutionTime", next_execution_time(window, ctx.now))
    out["CreatedDate"] = epoch(window.created)
    out["ModifiedDate"] = epoch(window.modified)
    return out


_REPLACE_REQUIRED = ("Name", "Schedule", "Duration", "Cutoff", "AllowUnassociatedTargets")
_UPDATABLE = {
    "Name": "name",
    "Description": "description",
    "StartDate": "start_date",
    "EndDate": "end_date",
    "Schedule": "schedule",
    "ScheduleTimezone": "timezone",
    "ScheduleOffset": "offset",
    "Duration": "duration",
    "Cutoff": "cutoff",
    "AllowUnassociatedTargets": "allow_unassociated_targets",
}


@operation("UpdateMaintenanceWindow")
def update_window(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    replace = bool(request.get("Replace"))
    if replace:
        # With Replace=true the members the create call requires become required.
        require_members(request, _REPLACE_REQUIRED)
    _check_not_empty(request, ("StartDate", "EndDate", "ScheduleTimezone"))

    merged: JSON = {
        name: getattr(window, attr) for name, attr in _UPDATABLE.items()
    }
    merged = {k: v for k, v in merged.items() if v is not None}
    if replace:
        merged = {}
    merged.update({k: request[k] for k in _UPDATABLE if request.get(k) is not None})
    enabled = window.enabled if request.get("Enabled") is None else bool(request["Enabled"])
    _check_cutoff(merged["Cutoff"], merged["Duration"])

    anchor_changed = any(
        merged.get(name) != getattr(window, _UPDATABLE[name]) for name in _ANCHOR_FIELDS
    )
    end_changed = merged.get("EndDate") != window.end_date
    re_enabled = enabled and not window.enabled
    anchor = ctx.now if (anchor_changed or re_enabled) else window.anchor
    if anchor_changed or end_changed or enabled != window.enabled:
        window.compiled = _compile(merged, enabled=enabled, anchor=anchor)
        window.anchor = anchor

    for name, attr in _UPDATABLE.items():
        setattr(window, attr, merged.get(name))
    if enabled != window.enabled:
        window.enabled = enabled
        ctx.emit(
            WINDOW_STATE,
            window_state_detail(window.window_id, enabled),
            (ctx.arn("maintenancewindow", window.window_id),),
        )
    window.modified = ctx.now
    return _settings(window)


@operation("DeleteMaintenanceWindow")
def delete_window(ctx: Context, request: JSON) -> JSON:
    window_id = request["WindowId"]
    window = ctx.state.windows.pop(window_id, None)
    if window is not None:
        for execution in window.executions:
            ctx.state.executions.pop(execution.window_execution_id, None)
    return {"WindowId": window_id}


def window_identity(window: Window, now: datetime) -> JSON:
    """One ``WindowIdentities`` item of DescribeMaintenanceWindows."""
    out: JSON = {"WindowId": window.window_id, "Name": window.name}
    put(out, "Description", window.description)
    out["Enabled"] = window.enabled
    out["Duration"] = window.duration
    out["Cutoff"] = window.cutoff
    out["Schedule"] = window.schedule
    put(out, "ScheduleTimezone", window.timezone)
    put(out, "ScheduleOffset", window.offset)
    put(out, "EndDate", window.end_date)
    put(out, "StartDate", window.start_date)
    put(out, "NextExecutionTime", next_execution_time(window, now))
    return out


def _name_prefix(window: Window, values: list[str]) -> bool:
    return any(window.name.startswith(value) for value in values)


def _enabled_is(window: Window, values: list[str]) -> bool:
    return any(value.lower() == ("true" if window.enabled else "false") for value in values)


@operation("DescribeMaintenanceWindows")
def describe_windows(ctx: Context, request: JSON) -> JSON:
    filters = parse_filters(request, ("Name", "Enabled"))
    matches = list(
        apply_filters(
            ctx.state.windows.values(), filters, {"Name": _name_prefix, "Enabled": _enabled_is}
        )
    )
    chunk, token = page("DescribeMaintenanceWindows", request, matches)
    return listing("WindowIdentities", [window_identity(w, ctx.now) for w in chunk], token)


# --- windows for a target ---------------------------------------------------------------


def _target_values(targets: list[JSON]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for target in targets:
        key = target.get("Key")
        if key:
            found.setdefault(key, set()).update(target.get("Values") or [])
    return found


def _window_matches(window: Window, wanted: dict[str, set[str]], resource_type: str) -> bool:
    """A window matches when one of its targets (or a task's direct targets) names one of
    the requested values under the same key."""
    groups: list[tuple[str, list[JSON]]] = [
        (target.resource_type, target.targets) for target in window.targets.values()
    ]
    groups += [("INSTANCE", task.targets) for task in window.tasks.values()]
    for kind, targets in groups:
        if kind != resource_type:
            continue
        for key, values in _target_values(targets).items():
            if values & wanted.get(key, set()):
                return True
    return False


def _check_target_request(request: JSON) -> tuple[dict[str, set[str]], str] | None:
    targets = request.get("Targets")
    resource_type = request.get("ResourceType")
    if targets is None and resource_type is None:
        return None
    if not targets or resource_type is None:
        raise validation("Targets and ResourceType must be specified together.")
    return _target_values(targets), resource_type


@operation("DescribeMaintenanceWindowsForTarget")
def describe_windows_for_target(ctx: Context, request: JSON) -> JSON:
    checked = _check_target_request(request)
    assert checked is not None  # both members are required by the model
    wanted, resource_type = checked
    matches = [w for w in ctx.state.windows.values() if _window_matches(w, wanted, resource_type)]
    chunk, token = page(
        "DescribeMaintenanceWindowsForTarget", request, matches, default_size=50
    )
    identities = [{"WindowId": w.window_id, "Name": w.name} for w in chunk]
    return listing("WindowIdentities", identities, token)


# --- upcoming schedule ------------------------------------------------------------------


def _bounds(request: JSON) -> tuple[datetime | None, datetime | None]:
    after: datetime | None = None
    before: datetime | None = None
    for key, values in parse_filters(request, ("ScheduledBefore", "ScheduledAfter")):
        for value in values:
            bound = filter_instant(key, value)
            if key == "ScheduledAfter":
                after = bound if after is None else max(after, bound)
            else:
                before = bound if before is None else min(before, bound)
    return after, before


def _starts(window: Window, since: datetime) -> Iterator[tuple[datetime, str, Window]]:
    for start in window.compiled.starts_after(since):
        yield start, window.window_id, window


#: The most upcoming starts one page holds, whatever MaxResults asks for. The model sets no
#: maximum for this operation, but a cron or rate schedule is endless, so an unbounded page
#: (MaxResults up to 2**31 - 1 is valid) would never finish; a page shorter than asked for,
#: with a NextToken, is ordinary paging that every paginator follows.
SCHEDULE_PAGE_MAX = 100
#: How far ahead the schedule is listed: starts up to one year after now (or after
#: ScheduledAfter, when that is later), also when ScheduledBefore reaches further. No
#: source says how far AWS looks ahead; without a bound a paginator over a weekly window
#: ran to the year 2199 and over ``rate(5 minutes)`` effectively never ended. A year is
#: the longest period a yearly cron needs to show its next start (docs/fidelity.md).
SCHEDULE_HORIZON = timedelta(days=366)


def _resume_point(token: str) -> tuple[datetime, str]:
    """Where the previous page ended: the (start, window id) of its last item.

    The cursor is a point in time rather than a count of items to skip, so a page costs
    the same however far into an endless schedule it lies, and a forged count cannot make
    the service walk billions of starts.
    """
    cursor = decode_cursor("DescribeMaintenanceWindowSchedule", token)
    if (
        isinstance(cursor, list)
        and len(cursor) == 2
        and isinstance(cursor[0], str)
        and isinstance(cursor[1], str)
    ):
        try:
            when = datetime.fromisoformat(cursor[0])
        except ValueError:
            when = None
        if when is not None and when.tzinfo is not None:
            return when, cursor[1]
    raise validation("The specified nextToken is not valid.")


def _instant_order(item: tuple[datetime, str, Window]) -> tuple[datetime, str]:
    return item[0].astimezone(timezone.utc), item[1]


@operation("DescribeMaintenanceWindowSchedule")
def describe_schedule(ctx: Context, request: JSON) -> JSON:
    checked = _check_target_request(request)
    window_id = request.get("WindowId")
    if window_id is None and checked is None:
        raise validation("Either WindowId or Targets and ResourceType must be specified.")
    windows = [get_window(ctx, window_id)] if window_id else list(ctx.state.windows.values())
    if checked is not None:
        wanted, resource_type = checked
        windows = [w for w in windows if _window_matches(w, wanted, resource_type)]
    after, before = _bounds(request)
    # ScheduledAfter is inclusive: start just before it, so a slot exactly on it counts.
    since = ctx.now
    if after is not None and after > since:
        since = after - _EPSILON
    try:
        horizon = since + SCHEDULE_HORIZON
    except OverflowError:  # ScheduledAfter near year 9999: nothing can be that late
        horizon = datetime.max.replace(tzinfo=timezone.utc)
    before = horizon if before is None else min(before, horizon)
    resume: tuple[datetime, str] | None = None
    token = request.get("NextToken")
    if token:
        resume = _resume_point(token)
        if resume[0] > since:
            since = resume[0] - _EPSILON
    # Order by the instant, not by the zone-aware value: two datetimes in one zone compare
    # by wall-clock time, which misorders the repeated hour of a fall-back day.
    merged: Iterator[tuple[datetime, str, Window]] = heapq.merge(
        *(_starts(w, since) for w in windows), key=_instant_order
    )
    if resume is not None:
        last = resume
        merged = itertools.dropwhile(lambda item: _instant_order(item) <= last, merged)
    merged = itertools.takewhile(lambda item: item[0] <= before, merged)
    size = min(request.get("MaxResults") or 50, SCHEDULE_PAGE_MAX)
    chunk = list(itertools.islice(merged, size + 1))
    out: JSON = {
        "ScheduledWindowExecutions": [
            {"WindowId": wid, "Name": w.name, "ExecutionTime": format_execution_time(start)}
            for start, wid, w in chunk[:size]
        ]
    }
    if len(chunk) > size:
        start, wid, _ = chunk[size - 1]
        out["NextToken"] = encode_cursor(
            "DescribeMaintenanceWindowSchedule",
            [start.astimezone(timezone.utc).isoformat(), wid],
        )
    return out
