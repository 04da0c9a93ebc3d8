"""The fake fleet: instances (with tags) that tag-based targets resolve against at run time."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Fleet", "Instance"]

_INSTANCE_ID = re.compile(r"^(i-[0-9a-f]{8}|i-[0-9a-f]{17}|mi-[0-9a-f]{17})$")


@dataclass(frozen=True)
class Instance:
    """A managed node of the fake fleet; ``region`` None means visible in every Region."""

    instance_id: str
    tags: Mapping[str, str] = field(default_factory=dict)
    region: str | None = None


class Fleet:
    """The instances a test declared with ``mw.add_instance``; later adds replace earlier."""

    def __init__(self) -> None:
        self._instances: dict[str, Instance] = {}

    def add(
        self, instance_id: str, tags: Mapping[str, str] | None = None, region: str | None = None
    ) -> Instance:
        if not isinstance(instance_id, str) or not _INSTANCE_ID.match(instance_id):
            raise ValueError(
                "instance_id must look like an EC2 instance id (i- and 8 or 17 lowercase hex "
                f"digits) or a managed node id (mi- and 17 hex digits); got {instance_id!r}"
            )
        if tags is None:
            tags = {}
        if not isinstance(tags, Mapping) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in tags.items()
        ):
            raise TypeError(f"tags must be a mapping of str to str; got {tags!r}")
        if region is not None and not isinstance(region, str):
            raise TypeError(f"region must be a str or None; got {region!r}")
        instance = Instance(instance_id, dict(tags), region)
        self._instances[instance_id] = instance
        return instance

    def in_region(self, region: str) -> list[Instance]:
        """Instances visible in ``region``, in the order they were added."""
        return [i for i in self._instances.values() if i.region in (None, region)]

    def get(self, instance_id: str) -> Instance | None:
        return self._instances.get(instance_id)
