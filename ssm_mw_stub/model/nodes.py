"""What SSM knows of a managed node beyond its id and tags: platform, agent, host name, IP.

``mw.add_instance(..., platform_type="Windows", computer_name="web-1")`` declares them
(:class:`NodeDetails`, every key optional); what is not declared gets a deterministic
default derived from the instance id, so the same test sees the same fleet on every run.
DescribeInstanceInformation shows these facts, Run Command's ``InstanceName`` is the
computer name, and patching picks the node's operating system from them
(``operating_system``, docs/patching.md).

Defaults (a node with nothing declared): an Amazon Linux 2023 EC2 instance (a ``mi-`` id is
a hybrid ``ManagedInstance``), agent 3.3.1142.0, a private IP ``10.0.x.y`` from the id's
hex digits, and the host name EC2 gives such an address (``ip-10-0-x-y`` plus the Region's
internal domain); a Windows node is called ``EC2AMAZ-`` and seven characters of its id, as
EC2's Windows AMIs name their hosts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

__all__ = ["OPERATING_SYSTEMS", "PLATFORM_TYPES", "NodeDetails", "NodeFacts", "facts_of"]

#: DescribeInstanceInformation's PlatformType values.
PLATFORM_TYPES = ("Windows", "Linux", "MacOS")

#: Patch Manager's OperatingSystem values (the botocore model's enum), for ``operating_system``.
OPERATING_SYSTEMS = (
    "WINDOWS", "AMAZON_LINUX", "AMAZON_LINUX_2", "AMAZON_LINUX_2022", "UBUNTU",
    "REDHAT_ENTERPRISE_LINUX", "SUSE", "CENTOS", "ORACLE_LINUX", "DEBIAN", "MACOS",
    "RASPBIAN", "ROCKY_LINUX", "ALMA_LINUX", "AMAZON_LINUX_2023",
)

_DEFAULTS: dict[str, tuple[str, str]] = {
    "Linux": ("Amazon Linux", "2023"),
    "Windows": ("Microsoft Windows Server 2022 Datacenter", "10.0.20348"),
    "MacOS": ("macOS", "14.5"),
}

#: PlatformName prefixes -> the patching operating system (first match wins).
_BY_NAME: tuple[tuple[str, str], ...] = (
    ("amazon linux 2023", "AMAZON_LINUX_2023"), ("amazon linux 2022", "AMAZON_LINUX_2022"),
    ("amazon linux 2", "AMAZON_LINUX_2"), ("amazon linux ami", "AMAZON_LINUX"),
    ("ubuntu", "UBUNTU"), ("red hat", "REDHAT_ENTERPRISE_LINUX"), ("suse", "SUSE"),
    ("sles", "SUSE"), ("centos", "CENTOS"), ("oracle", "ORACLE_LINUX"), ("debian", "DEBIAN"),
    ("raspbian", "RASPBIAN"), ("rocky", "ROCKY_LINUX"), ("alma", "ALMA_LINUX"),
)

_AGENT = re.compile(r"^[0-9]{1,6}(\.[0-9]{1,6}){2,3}$")


class NodeDetails(TypedDict, total=False):
    """The keyword arguments ``mw.add_instance`` takes about the node itself."""

    platform_type: str
    platform_name: str
    platform_version: str
    agent_version: str
    computer_name: str
    ip_address: str
    operating_system: str
    #: What the node has and lacks (``Patch`` objects or dicts of their fields): kept by the
    #: fleet, not a fact (``model/patching.py``).
    patches: Iterable[Any]


@dataclass(frozen=True)
class NodeFacts:
    """A node's facts, every one resolved (declared or defaulted); ``computer_name`` None
    means EC2's host name for ``ip_address`` in the Region that reads it."""

    platform_type: str = "Linux"
    platform_name: str = "Amazon Linux"
    platform_version: str = "2023"
    agent_version: str = "3.3.1142.0"
    computer_name: str | None = None
    ip_address: str = "10.0.0.1"
    operating_system: str = "AMAZON_LINUX_2023"

    def host_name(self, region: str) -> str:
        """The ComputerName (and Run Command's InstanceName) as seen from ``region``."""
        if self.computer_name is not None:
            return self.computer_name
        base = "ip-" + self.ip_address.replace(".", "-").replace(":", "-")
        domain = "ec2.internal" if region == "us-east-1" else f"{region}.compute.internal"
        return f"{base}.{domain}"


def _text(details: NodeDetails, key: str, default: str) -> str:
    value: Any = details.get(key, default)
    if not isinstance(value, str) or not value:
        raise TypeError(f"{key} must be a non-empty str; got {value!r}")
    return value


def facts_of(instance_id: str, details: NodeDetails | dict[str, Any]) -> NodeFacts:
    """The facts of ``instance_id`` from what was declared; TypeError/ValueError name a bad
    or unknown key."""
    unknown = sorted(set(details) - set(NodeDetails.__annotations__))
    if unknown:
        raise TypeError(
            f"unknown node detail {unknown[0]!r}; add_instance takes "
            + ", ".join(NodeDetails.__annotations__)
        )
    spec: NodeDetails = details  # type: ignore[assignment]
    platform = _text(spec, "platform_type", "Linux")
    if platform not in PLATFORM_TYPES:
        raise ValueError(f"platform_type must be one of {', '.join(PLATFORM_TYPES)}; got "
                         f"{platform!r}")
    name = _text(spec, "platform_name", _DEFAULTS[platform][0])
    version = _text(spec, "platform_version", _DEFAULTS[platform][1])
    agent = _text(spec, "agent_version", "3.3.1142.0")
    if not _AGENT.match(agent):
        raise ValueError(f"agent_version must look like 3.3.1142.0; got {agent!r}")
    digits = int(re.sub(r"[^0-9a-f]", "", instance_id) or "0", 16)
    address = _text(spec, "ip_address", f"10.0.{digits // 254 % 256}.{digits % 254 + 1}")
    computer: str | None = None
    if "computer_name" in spec:
        computer = _text(spec, "computer_name", "")
    elif platform == "Windows":
        computer = "EC2AMAZ-" + instance_id.rsplit("-", 1)[-1][-7:].upper()
    system = _text(spec, "operating_system", _operating_system(platform, name, version))
    if system not in OPERATING_SYSTEMS:
        raise ValueError(f"operating_system must be one of {', '.join(OPERATING_SYSTEMS)}; "
                         f"got {system!r}")
    return NodeFacts(platform, name, version, agent, computer, address, system)


def _operating_system(platform: str, name: str, version: str) -> str:
    """Patch Manager's operating system for a platform as DescribeInstanceInformation names
    it (Amazon Linux by version when the name says only "Amazon Linux")."""
    if platform == "Windows":
        return "WINDOWS"
    if platform == "MacOS":
        return "MACOS"
    full = f"{name} {version}".lower()
    for prefix, system in _BY_NAME:
        if full.startswith(prefix):
            return system
    return "AMAZON_LINUX_2023"
