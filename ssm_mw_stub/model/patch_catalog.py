"""AWS's predefined patch baselines: one default per operating system, in every Region.

Their names and approval rules follow the Systems Manager User Guide's "Predefined and
custom patch baselines" page
(https://docs.aws.amazon.com/systems-manager/latest/userguide/patch-manager-predefined-and-custom-patch-baselines.html):
Amazon Linux, RHEL, SUSE, Oracle, Rocky and Alma approve Security patches of severity
Critical or Important (and Bugfix where the page says so) seven days after release;
CentOS approves every update after seven days; Ubuntu, Debian and Raspbian approve
security-related patches of every priority at once; macOS approves every update at once;
Windows approves CriticalUpdates and SecurityUpdates of MSRC severity Critical or Important
seven days after release.

Their ids are AWS's where a public source shows them (us-east-1, owner account
075727635805: an AWS CLI script in a public repository, and a terraform-provider test
quoting a live DescribePatchBaselines; us-east-2, owner 733109147000: the API reference's
examples). Elsewhere the id is synthesized, stable per Region and name; docs/fidelity.md
lists which ids are real.
"""

from __future__ import annotations

import functools
import hashlib
from datetime import datetime, timezone

from .arns import ssm_arn
from .patching import Baseline
from .records import JSON

__all__ = ["DEFAULT_NAMES", "predefined"]

#: When the predefined baselines were "created" (they predate every mock).
_CREATED = datetime(2017, 1, 1, tzinfo=timezone.utc)

_KNOWN: dict[tuple[str, str], tuple[str, str]] = {
    ("us-east-1", "AWS-UbuntuDefaultPatchBaseline"): ("075727635805", "pb-0c7e89f711c3095f4"),
    ("us-east-1", "AWS-CentOSDefaultPatchBaseline"): ("075727635805", "pb-03e3f588eec25344c"),
    ("us-east-1", "AWS-RedHatDefaultPatchBaseline"): ("075727635805", "pb-0cbb3a633de00f07c"),
    ("us-east-1", "AWS-AmazonLinuxDefaultPatchBaseline"): (
        "075727635805", "pb-0c10e657807c7a700"),
    ("us-east-1", "AWS-AmazonLinux2DefaultPatchBaseline"): (
        "075727635805", "pb-0be8c61cde3be63f3"),
    ("us-east-1", "AWS-AmazonLinux2022DefaultPatchBaseline"): (
        "075727635805", "pb-0028ca011460d5eaf"),
    ("us-east-1", "AWS-SuseDefaultPatchBaseline"): ("075727635805", "pb-07d8884178197b66b"),
    ("us-east-1", "AWS-DefaultPatchBaseline"): ("075727635805", "pb-09ca3fb51f0412ec3"),
    ("us-east-2", "AWS-AmazonLinuxDefaultPatchBaseline"): (
        "733109147000", "pb-0e392de35e7c563b7"),
    ("us-east-2", "AWS-CentOSDefaultPatchBaseline"): ("733109147000", "pb-0574b43a65ea646ed"),
}
#: The owner account of the predefined baselines where no public source shows it.
_OWNER = {"us-east-1": "075727635805", "us-east-2": "733109147000"}
_SYNTHETIC_OWNER = "075727635805"


def _rule(filters: dict[str, list[str]], days: int, level: str = "UNSPECIFIED",
          non_security: bool = False) -> JSON:
    rule: JSON = {
        "PatchFilterGroup": {"PatchFilters": [
            {"Key": key, "Values": values} for key, values in filters.items()]},
        "ComplianceLevel": level,
        "ApproveAfterDays": days,
        "EnableNonSecurity": non_security,
    }
    return rule


_SECURITY_7 = _rule({"PRODUCT": ["*"], "CLASSIFICATION": ["Security"],
                     "SEVERITY": ["Critical", "Important"]}, 7)
_BUGFIX_7 = _rule({"PRODUCT": ["*"], "CLASSIFICATION": ["Bugfix"]}, 7)
_ALL_7 = _rule({"PRODUCT": ["*"], "CLASSIFICATION": ["*"]}, 7, non_security=True)
_DEBIAN_NOW = _rule({"PRODUCT": ["*"], "PRIORITY": ["Required", "Important", "Standard",
                                                      "Optional", "Extra"]}, 0)
_WINDOWS_7 = _rule({"PRODUCT": ["*"], "CLASSIFICATION": ["CriticalUpdates", "SecurityUpdates"],
                    "MSRC_SEVERITY": ["Critical", "Important"]}, 7)
_MACOS_NOW = _rule({"PRODUCT": ["*"], "CLASSIFICATION": ["*"]}, 0)

#: (name, operating system, description, rules), in DescribePatchBaselines' order.
_CATALOG: tuple[tuple[str, str, str, tuple[JSON, ...]], ...] = (
    ("AWS-AlmaLinuxDefaultPatchBaseline", "ALMA_LINUX", "AlmaLinux", (_SECURITY_7, _BUGFIX_7)),
    ("AWS-AmazonLinux2022DefaultPatchBaseline", "AMAZON_LINUX_2022", "Amazon Linux 2022",
     (_SECURITY_7, _BUGFIX_7)),
    ("AWS-AmazonLinux2023DefaultPatchBaseline", "AMAZON_LINUX_2023", "Amazon Linux 2023",
     (_SECURITY_7, _BUGFIX_7)),
    ("AWS-AmazonLinux2DefaultPatchBaseline", "AMAZON_LINUX_2", "Amazon Linux 2",
     (_SECURITY_7, _BUGFIX_7)),
    ("AWS-AmazonLinuxDefaultPatchBaseline", "AMAZON_LINUX", "Amazon Linux",
     (_SECURITY_7, _BUGFIX_7)),
    ("AWS-CentOSDefaultPatchBaseline", "CENTOS", "CentOS", (_ALL_7,)),
    ("AWS-DebianDefaultPatchBaseline", "DEBIAN", "Debian", (_DEBIAN_NOW,)),
    ("AWS-DefaultPatchBaseline", "WINDOWS", "Windows", (_WINDOWS_7,)),
    ("AWS-MacOSDefaultPatchBaseline", "MACOS", "macOS", (_MACOS_NOW,)),
    ("AWS-OracleLinuxDefaultPatchBaseline", "ORACLE_LINUX", "Oracle Linux",
     (_SECURITY_7, _BUGFIX_7)),
    ("AWS-RaspbianDefaultPatchBaseline", "RASPBIAN", "Raspberry Pi OS", (_DEBIAN_NOW,)),
    ("AWS-RedHatDefaultPatchBaseline", "REDHAT_ENTERPRISE_LINUX", "Redhat Enterprise Linux",
     (_SECURITY_7, _BUGFIX_7)),
    ("AWS-RockyLinuxDefaultPatchBaseline", "ROCKY_LINUX", "Rocky Linux",
     (_SECURITY_7, _BUGFIX_7)),
    ("AWS-SuseDefaultPatchBaseline", "SUSE", "Suse", (_SECURITY_7,)),
    ("AWS-UbuntuDefaultPatchBaseline", "UBUNTU", "Ubuntu", (_DEBIAN_NOW,)),
    ("AWS-WindowsPredefinedPatchBaseline-OS", "WINDOWS", "Windows", (_WINDOWS_7,)),
    ("AWS-WindowsPredefinedPatchBaseline-OS-Applications", "WINDOWS", "Windows",
     (_WINDOWS_7, _rule({"PRODUCT_FAMILY": ["*"], "PRODUCT": ["*"],
                         "CLASSIFICATION": ["CriticalUpdates", "SecurityUpdates"],
                         "MSRC_SEVERITY": ["Critical", "Important"]}, 7))),
)

#: The predefined default baseline of each operating system (by name).
DEFAULT_NAMES: dict[str, str] = {
    system: name for name, system, _, _ in _CATALOG
    if not name.startswith("AWS-WindowsPredefined")
}


def _arn(region: str, name: str) -> str:
    owner, baseline = _KNOWN.get((region, name), ("", ""))
    if not baseline:
        digest = hashlib.sha256(f"{region}/{name}".encode()).hexdigest()
        baseline = f"pb-{digest[:17]}"
        owner = _OWNER.get(region, _SYNTHETIC_OWNER)
    return ssm_arn(region, owner, "patchbaseline", baseline)


@functools.lru_cache(maxsize=64)
def predefined(region: str) -> tuple[Baseline, ...]:
    """The predefined baselines of ``region``, their ids being their ARNs."""
    found = []
    for name, system, label, rules in _CATALOG:
        description = (
            "Default Patch Baseline Provided by AWS." if name == "AWS-DefaultPatchBaseline"
            else f"Default Patch Baseline for {label} Provided by AWS."
        )
        found.append(Baseline(
            _arn(region, name), name, system, _CREATED, _CREATED, description,
            approval_rules={"PatchRules": [dict(rule) for rule in rules]},
            predefined=True,
        ))
    return tuple(found)
