"""Window targets: register, update, deregister, describe.

The format rules for ``Targets`` are the service's, not the model's (the model only says a
Key is up to 163 characters): instance ids in one ``InstanceIds`` target, or up to five
``tag:<key>``/``tag-key`` targets, or one resource group. Messages are AWS's where known.
"""

from __future__ import annotations

from ..model import JSON, Window, WindowTarget
from ..model.events import TARGET_REGISTRATION, target_registration_detail
from .common import apply_filters, get_window, idempotent, listing, page, parse_filters, put
from .core import Context, operation
from .errors import does_not_exist, require_members, resource_limit, target_in_use, validation

__all__ = ["TARGET_QUOTA", "check_window_targets", "get_target", "registration_event"]

#: Window targets per maintenance window ("AWS Systems Manager endpoints and quotas").
TARGET_QUOTA = 100

_FORMAT_MESSAGE = (
    'Targets must be specified in one of the following formats: 1) 1 target with '
    '"Key=InstanceIds" and "Values=" a list of up to 50 instance IDs, or 2) Up to 5 targets, '
    'each of which can be either "Key=tag:<key>,Values=<tag_values>" or '
    '"Key=tag-key,Values=<tag_keys>", and each with up to 5 unique tag keys/values.'
)
_GROUP_MESSAGE = (
    'Targets for resource type RESOURCE_GROUP must be specified as 1 target with '
    '"Key=resource-groups:Name" and one resource group name, optionally with 1 target '
    '"Key=resource-groups:ResourceTypeFilters" listing up to 5 resource types.'
)


def _is_tag_key(key: str) -> bool:
    return (key.startswith("tag:") and len(key) > 4) or key == "tag-key"


def check_window_targets(resource_type: str, targets: list[JSON]) -> None:
    """Raise the service's ValidationException unless ``targets`` is a valid target set."""
    for target in targets:
        if not target.get("Values"):
            raise validation(
                "Please specify at least one target.  Filter values can't be null and "
                f"{target.get('Key')} is."
            )
    keys = [target.get("Key") or "" for target in targets]
    if resource_type == "RESOURCE_GROUP":
        names = [t for t in targets if t.get("Key") == "resource-groups:Name"]
        filters = [t for t in targets if t.get("Key") == "resource-groups:ResourceTypeFilters"]
        if (
            len(names) != 1
            or len(names[0]["Values"]) != 1
            or len(filters) > 1
            or len(names) + len(filters) != len(targets)
            or any(len(t["Values"]) > 5 for t in filters)
        ):
            raise validation(_GROUP_MESSAGE)
        return
    if keys == ["InstanceIds"]:
        if len(targets[0]["Values"]) > 50:
            raise validation(_FORMAT_MESSAGE)
        return
    if (
        not targets
        or len(targets) > 5
        or not all(_is_tag_key(key) for key in keys)
        or any(len(set(t["Values"])) > 5 for t in targets)
    ):
        raise validation(_FORMAT_MESSAGE)


def get_target(window: Window, target_id: str) -> WindowTarget:
    target = window.targets.get(target_id)
    if target is None:
        raise does_not_exist(f"Maintenance window target {target_id} does not exist")
    return target


def registration_event(
    ctx: Context, detail_type: str, detail: JSON, window_id: str, kind: str, resource_id: str
) -> None:
    """A target or task registration event: its resources are the window's ARN and the
    registered resource's (``windowtarget/<id>``, ``windowtask/<id>``)."""
    resources = (ctx.arn("maintenancewindow", window_id), ctx.arn(kind, resource_id))
    ctx.emit(detail_type, detail, resources)


def _registration_event(ctx: Context, target: WindowTarget, status: str) -> None:
    target_id = target.window_target_id
    detail = target_registration_detail(target_id, target.window_id, status)
    registration_event(ctx, TARGET_REGISTRATION, detail, target.window_id, "windowtarget",
                       target_id)


@operation("RegisterTargetWithMaintenanceWindow")
def register_target(ctx: Context, request: JSON) -> JSON:
    check_window_targets(request["ResourceType"], request["Targets"])
    window = get_window(ctx, request["WindowId"])

    def create() -> str:
        if len(window.targets) >= TARGET_QUOTA:
            raise resource_limit(
                f"The maximum number of targets ({TARGET_QUOTA}) for maintenance window "
                f"{window.window_id} has been reached."
            )
        target = WindowTarget(
            window_target_id=ctx.ids.uuid(),
            window_id=window.window_id,
            resource_type=request["ResourceType"],
            targets=request["Targets"],
            owner_information=request.get("OwnerInformation"),
            name=request.get("Name"),
            description=request.get("Description"),
        )
        window.targets[target.window_target_id] = target
        _registration_event(ctx, target, "REGISTERED")
        return target.window_target_id

    return {
        "WindowTargetId": idempotent(ctx, "RegisterTargetWithMaintenanceWindow", request, create)
    }


def _target_body(target: WindowTarget) -> JSON:
    out: JSON = {"WindowId": target.window_id, "WindowTargetId": target.window_target_id}
    out["Targets"] = target.targets
    put(out, "OwnerInformation", target.owner_information)
    put(out, "Name", target.name)
    put(out, "Description", target.description)
    return out


@operation("UpdateMaintenanceWindowTarget")
def update_target(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    target = get_target(window, request["WindowTargetId"])
    replace = bool(request.get("Replace"))
    if replace:
        require_members(request, ("Targets",))
    if request.get("Targets") is not None:
        check_window_targets(target.resource_type, request["Targets"])
        target.targets = request["Targets"]
    for member, attr in (
        ("OwnerInformation", "owner_information"),
        ("Name", "name"),
        ("Description", "description"),
    ):
        if member in request and request[member] is not None:
            setattr(target, attr, request[member])
        elif replace:
            setattr(target, attr, None)
    _registration_event(ctx, target, "UPDATED")
    return _target_body(target)


@operation("DeregisterTargetFromMaintenanceWindow")
def deregister_target(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    target = get_target(window, request["WindowTargetId"])
    if request.get("Safe"):
        users = [
            task.window_task_id
            for task in window.tasks.values()
            if any(
                t.get("Key") == "WindowTargetIds"
                and target.window_target_id in (t.get("Values") or [])
                for t in task.targets
            )
        ]
        if users:
            raise target_in_use(
                f"Maintenance window target {target.window_target_id} is in use by "
                f"the following tasks: {', '.join(users)}"
            )
    del window.targets[target.window_target_id]
    _registration_event(ctx, target, "DEREGISTERED")
    return {"WindowId": window.window_id, "WindowTargetId": target.window_target_id}


def _match_type(target: WindowTarget, values: list[str]) -> bool:
    return target.resource_type in values


def _match_id(target: WindowTarget, values: list[str]) -> bool:
    return target.window_target_id in values


def _match_owner(target: WindowTarget, values: list[str]) -> bool:
    return target.owner_information in values


@operation("DescribeMaintenanceWindowTargets")
def describe_targets(ctx: Context, request: JSON) -> JSON:
    window = get_window(ctx, request["WindowId"])
    filters = parse_filters(request, ("Type", "WindowTargetId", "OwnerInformation"))
    matches = list(
        apply_filters(
            window.targets.values(),
            filters,
            {"Type": _match_type, "WindowTargetId": _match_id, "OwnerInformation": _match_owner},
        )
    )
    chunk, token = page("DescribeMaintenanceWindowTargets", request, matches)
    targets = [{**_target_body(t), "ResourceType": t.resource_type} for t in chunk]
    return listing("Targets", targets, token)
