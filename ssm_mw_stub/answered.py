"""The operations the mock answers, by API: the one list.

Everything that needs to know what is answered derives from it:

- the service registers an implementation of each (``@operation`` in ``service/``) and
  refuses to load if a listed operation has none or an implemented one is not listed
  (``service/__init__.py``);
- the hook sends these calls to the mock, the tagging ones only for the resource types the
  stub models (``hook.py``, ``World.answers``); any other SSM call never reaches the
  network while a mock is active (``UnmockedOperationError``, moto, or ``passthrough``);
- the README's table is checked against it (``tests/test_readme.py``), and the fuzz suite
  and the no-network pass make every operation listed here (``tests/reliability``).

Adding an operation starts here (docs/architecture.md, "How to add an operation"). The
module imports nothing, so the hook reads it without loading the service.
"""

from __future__ import annotations

__all__ = ["ANSWERED", "BY_API", "TAGGING"]

#: Every answered operation by wire name, under the API the README's table names.
BY_API: dict[str, tuple[str, ...]] = {
    "Maintenance windows": (
        "AddTagsToResource",
        "CancelMaintenanceWindowExecution",
        "CreateMaintenanceWindow",
        "DeleteMaintenanceWindow",
        "DeregisterTargetFromMaintenanceWindow",
        "DeregisterTaskFromMaintenanceWindow",
        "DescribeMaintenanceWindowExecutionTaskInvocations",
        "DescribeMaintenanceWindowExecutionTasks",
        "DescribeMaintenanceWindowExecutions",
        "DescribeMaintenanceWindowSchedule",
        "DescribeMaintenanceWindowTargets",
        "DescribeMaintenanceWindowTasks",
        "DescribeMaintenanceWindows",
        "DescribeMaintenanceWindowsForTarget",
        "GetMaintenanceWindow",
        "GetMaintenanceWindowExecution",
        "GetMaintenanceWindowExecutionTask",
        "GetMaintenanceWindowExecutionTaskInvocation",
        "GetMaintenanceWindowTask",
        "ListTagsForResource",
        "RegisterTargetWithMaintenanceWindow",
        "RegisterTaskWithMaintenanceWindow",
        "RemoveTagsFromResource",
        "UpdateMaintenanceWindow",
        "UpdateMaintenanceWindowTarget",
        "UpdateMaintenanceWindowTask",
    ),
    "Run Command": (
        "CancelCommand",
        "GetCommandInvocation",
        "ListCommandInvocations",
        "ListCommands",
        "SendCommand",
    ),
    "Automation": (
        "DescribeAutomationExecutions",
        "DescribeAutomationStepExecutions",
        "GetAutomationExecution",
        "StartAutomationExecution",
        "StopAutomationExecution",
    ),
    "Managed nodes": ("DescribeInstanceInformation",),
    "Patching": (
        "CreatePatchBaseline",
        "DeletePatchBaseline",
        "DeregisterPatchBaselineForPatchGroup",
        "DescribeInstancePatchStates",
        "DescribeInstancePatchStatesForPatchGroup",
        "DescribeInstancePatches",
        "DescribePatchBaselines",
        "DescribePatchGroupState",
        "DescribePatchGroups",
        "DescribePatchProperties",
        "GetDefaultPatchBaseline",
        "GetPatchBaseline",
        "GetPatchBaselineForPatchGroup",
        "RegisterDefaultPatchBaseline",
        "RegisterPatchBaselineForPatchGroup",
        "UpdatePatchBaseline",
    ),
    "Compliance": (
        "ListComplianceItems",
        "ListComplianceSummaries",
        "ListResourceComplianceSummaries",
    ),
}

#: Every answered operation.
ANSWERED: frozenset[str] = frozenset(name for names in BY_API.values() for name in names)

#: The tagging operations, shared by every taggable SSM resource: answered for maintenance
#: windows and Automation executions (and for a ResourceType the service rejects anyway),
#: not for the resource types of other SSM features (the hook tells them apart).
TAGGING: frozenset[str] = frozenset(
    {"AddTagsToResource", "ListTagsForResource", "RemoveTagsFromResource"}
)
