"""Tags on maintenance windows (AddTagsToResource, ListTagsForResource, RemoveTagsFromResource).

Only ``ResourceType=MaintenanceWindow`` is this service's business; the hook sends tagging
calls for other resource types elsewhere (moto, or a loud error), so here any other type
is refused with AWS's InvalidResourceType.
"""

from __future__ import annotations

from ..model import JSON, Window
from .core import Context, operation
from .errors import ServiceError, invalid_resource_id, invalid_resource_type, validation

__all__ = ["TAG_QUOTA", "merge_tags"]

#: Tags per resource ("AWS Systems Manager endpoints and quotas").
TAG_QUOTA = 50


def merge_tags(current: dict[str, str], tags: list[JSON]) -> dict[str, str]:
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
            f"The maintenance window cannot have more than {TAG_QUOTA} tags.",
        )
    return merged


def _tagged_window(ctx: Context, request: JSON) -> Window:
    if request["ResourceType"] != "MaintenanceWindow":
        raise invalid_resource_type()
    window = ctx.state.windows.get(request["ResourceId"])
    if window is None:
        raise invalid_resource_id()
    return window


@operation("AddTagsToResource")
def add_tags(ctx: Context, request: JSON) -> JSON:
    window = _tagged_window(ctx, request)
    window.tags = merge_tags(window.tags, request["Tags"])
    return {}


@operation("ListTagsForResource")
def list_tags(ctx: Context, request: JSON) -> JSON:
    window = _tagged_window(ctx, request)
    return {"TagList": [{"Key": key, "Value": value} for key, value in window.tags.items()]}


@operation("RemoveTagsFromResource")
def remove_tags(ctx: Context, request: JSON) -> JSON:
    window = _tagged_window(ctx, request)
    for key in request["TagKeys"]:
        window.tags.pop(key, None)
    return {}
