"""Tags on maintenance windows and Automation executions (AddTagsToResource,
ListTagsForResource, RemoveTagsFromResource).

``ResourceType=MaintenanceWindow`` (ResourceId a window id) and ``Automation`` (ResourceId
an automation execution id, as the API reference's examples of ResourceId show) are this
service's business; the hook sends tagging calls for other resource types elsewhere (moto,
or a loud error), so here any other type is refused with AWS's InvalidResourceType.
"""

from __future__ import annotations

from ..model import JSON, Window
from ..model.automation import AutomationExecutionRecord, record_of
from .core import Context, operation
from .errors import ServiceError, invalid_resource_id, invalid_resource_type, validation

__all__ = ["TAG_QUOTA", "merge_tags"]

#: Tags per resource ("AWS Systems Manager endpoints and quotas").
TAG_QUOTA = 50


def merge_tags(
    current: dict[str, str], tags: list[JSON], what: str = "maintenance window"
) -> dict[str, str]:
    """``current`` updated with ``tags`` (a later value for a key wins), or the error
    the service gives for reserved keys and too many tags."""
    merged = dict(current)
    for tag in tags:
        key = tag["Key"]
        if key.lower().startswith("aws:"):
            raise validation(f"Tag keys beginning with 'aws:' are reserved: {key}")
        merged[key] = tag["Value"]
    if len(merged) > TAG_QUOTA:
        raise ServiceError(
            "TooManyTagsError",
            f"The {what} cannot have more than {TAG_QUOTA} tags.",
        )
    return merged


def _tagged(ctx: Context, request: JSON) -> tuple[Window | AutomationExecutionRecord, str]:
    """The resource a tagging call names, and what the TooManyTagsError calls it."""
    resource_type, resource_id = request["ResourceType"], request["ResourceId"]
    if resource_type == "MaintenanceWindow":
        window = ctx.state.windows.get(resource_id)
        if window is None:
            raise invalid_resource_id()
        return window, "maintenance window"
    if resource_type == "Automation":
        entry = ctx.state.automations.get(resource_id)
        if entry is None:
            raise invalid_resource_id()
        # An execution kept as a plain tuple becomes a record that can hold tags.
        record = ctx.state.automations[resource_id] = record_of(entry)
        return record, "automation execution"
    raise invalid_resource_type()


@operation("AddTagsToResource")
def add_tags(ctx: Context, request: JSON) -> JSON:
    owner, kind = _tagged(ctx, request)
    owner.tags = merge_tags(owner.tags, request["Tags"], kind)
    return {}


@operation("ListTagsForResource")
def list_tags(ctx: Context, request: JSON) -> JSON:
    owner, _ = _tagged(ctx, request)
    return {"TagList": [{"Key": key, "Value": value} for key, value in owner.tags.items()]}


@operation("RemoveTagsFromResource")
def remove_tags(ctx: Context, request: JSON) -> JSON:
    owner, _ = _tagged(ctx, request)
    for key in request["TagKeys"]:
        owner.tags.pop(key, None)
    return {}
