"""Errors of the library itself (as opposed to the AWS errors the stubbed service returns)."""

from __future__ import annotations

__all__ = ["EventHandlerError", "UnmockedOperationError", "WaitLimitError"]


class UnmockedOperationError(RuntimeError):
    """An SSM call that is not a maintenance-window operation reached an active mock.

    Such a call would otherwise go to the network with whatever credentials are around,
    which a test must never do silently (the ``responses`` library fails loudly the same
    way), so it is stopped here with a message that says how to let it through.
    """

    def __init__(self, operation_name: str) -> None:
        self.operation_name = operation_name
        super().__init__(
            f"SSM operation {operation_name} is not a maintenance-window operation, so "
            "mock_maintenance_windows() does not answer it, and it was stopped before it "
            "could reach the network. To let it through, activate moto's mock_aws() at the "
            "same time (it then answers the call), or pass "
            f"passthrough={{'{operation_name}'}} (or passthrough=True for every SSM "
            "operation) to mock_maintenance_windows()."
        )


class EventHandlerError(RuntimeError):
    """A handler given to ``mw.on_event`` raised: the test's own code failed.

    The message names the handler, its pattern and the event; the handler's exception is
    chained as ``__cause__``. It is raised out of ``mw.advance()`` (or a waiter, or a patched
    sleep) when the event came from the simulation, and out of the boto3 call that emitted
    the event when a call of the code did.
    """


class WaitLimitError(RuntimeError):
    """Code under test waited longer, in simulated time, than ``max_wait`` allows.

    A waiter's delays, or a run of sleeps under ``patch_time``, kept moving the fake clock
    without the test moving it: most likely a loop waiting for something that never
    happens, which against the real clock would hang the test.
    """
