"""Interception that does not depend on import order: clients botocore built without the hook.

The hook reaches a client through its session: botocore copies the session's event handlers
into each client it creates, and a session registers botocore's built-in handler list (to
which :func:`ssm_mw_stub.hook.install` appends) only when it is created. So a client made
before ``ssm_mw_stub`` was imported, or made later from a session that is older than the
import (``SSM = boto3.client("ssm")`` at the top of an application module that a test imports
first), carries no hook, and its calls would go to the real endpoint with whatever
credentials the machine has.

While a mock is active, this module closes that gap at the one place every call of every
client passes: ``BaseClient._make_api_call`` (operation methods, paginators, waiters and
boto3 resources all call it; APM libraries wrap the same method, e.g. the ``wrapt`` wrapper
in epsagon-python's ``epsagon/modules/botocore.py``). The wrapper looks at each client once:
an SSM client without the hook gets it registered on its own event emitter, with the parser
factory its endpoint uses (:func:`ssm_mw_stub.parsing.remember_client`), before its first call
inside the mock goes on. aiobotocore's ``AioBaseClient`` overrides the method with a
coroutine function; it is wrapped the same way when aiobotocore is loaded (the wrapper is
synchronous and returns the coroutine the original returns, so the client awaits it as
usual).

The wrapper is installed when the first mock is entered and removed when the last one is
left, so outside a mock ``BaseClient._make_api_call`` is botocore's own function and a call
costs exactly what it costs without this library. If something else wrapped the method
while a mock was active (and so wraps ours), ours stays in place, inert, rather than
unwinding the other wrapper.
"""

from __future__ import annotations

import functools
import sys
import threading
import weakref
from collections.abc import Callable
from typing import Any

from botocore.client import BaseClient

from . import hook
from .parsing import has_hook, remember_client

__all__ = ["activate", "adopt", "deactivate"]

#: The id under which an adopted client's emitter holds the hook (registering twice is a no-op).
UNIQUE_ID = "ssm-mw-stub.before-call"
_ATTRIBUTE = "_make_api_call"
_MARK = "__ssm_mw_stub_wrapper__"

_lock = threading.Lock()
#: Event emitters of the clients already looked at (SSM or not): one look per client.
_seen: weakref.WeakSet[Any] = weakref.WeakSet()
#: class -> (the method we wrapped, our wrapper), for every class wrapped now.
_wrapped: dict[type, tuple[Callable[..., Any], Callable[..., Any]]] = {}
#: True while at least one mock is active (read without a lock: a plain bool).
_adopting = False


def adopt(client: Any) -> None:
    """Give an SSM client the hook if botocore built it without; any client is looked at once.

    Also the explicit way in, like moto's ``patch_client``, for a client some wrapper hides
    from the ``_make_api_call`` patch.
    """
    events = client.meta.events
    with _lock:
        if events in _seen:
            return
        if client.meta.service_model.service_id.hyphenize() == "ssm" and not has_hook(client):
            events.register(hook.EVENT, hook.before_call, unique_id=UNIQUE_ID)
            remember_client(client)
        _seen.add(events)


def _wrap(original: Callable[..., Any]) -> Callable[..., Any]:
    def _make_api_call(self: Any, operation_name: str, api_params: Any) -> Any:
        if _adopting and self.meta.events not in _seen:
            adopt(self)
        return original(self, operation_name, api_params)

    functools.update_wrapper(_make_api_call, original)
    setattr(_make_api_call, _MARK, True)
    return _make_api_call


def _client_classes() -> list[type]:
    """botocore's client base class, and aiobotocore's when the application loaded it."""
    classes: list[type] = [BaseClient]
    aio = sys.modules.get("aiobotocore.client")
    aio_client = getattr(aio, "AioBaseClient", None) if aio is not None else None
    if isinstance(aio_client, type):
        classes.append(aio_client)
    return classes


def activate() -> None:
    """Wrap ``_make_api_call`` of every client base class; the first mock was entered."""
    global _adopting
    for cls in _client_classes():
        if cls in _wrapped:
            continue  # ours is still in the chain (something wrapped over it)
        current = cls.__dict__.get(_ATTRIBUTE)
        if current is None or getattr(current, _MARK, False):
            continue
        wrapper = _wrap(current)
        _wrapped[cls] = (current, wrapper)
        setattr(cls, _ATTRIBUTE, wrapper)
    _adopting = True


def deactivate() -> None:
    """Put botocore's own methods back; the last mock was left."""
    global _adopting
    _adopting = False
    for cls, (original, wrapper) in list(_wrapped.items()):
        if cls.__dict__.get(_ATTRIBUTE) is wrapper:
            setattr(cls, _ATTRIBUTE, original)
            del _wrapped[cls]
