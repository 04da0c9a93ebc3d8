"""botocore's JSON response parser, for the stub's responses and each client's settings.

Responses reach the caller through botocore's own parser (``botocore.parsers.JSONParser``),
so every member is shaped exactly as from AWS. The parser takes a ``timestamp_parser``
argument for exactly the kind of replacement :func:`ssm_mw_stub.wire.parse_timestamp` is
(botocore's values, without its per-timestamp ``tzlocal``).

A client whose session sets parser defaults (``session.get_component(
"response_parser_factory").set_parser_defaults(timestamp_parser=...)``, as the AWS CLI does to
keep timestamps as sent) gets its responses from a parser its own factory makes, as it would
from AWS: :func:`parser_for` finds that factory, remembered when the client was created.
"""

from __future__ import annotations

import weakref
from typing import Any

from botocore.parsers import JSONParser, ResponseParser, ResponseParserFactory

from .wire import parse_timestamp

__all__ = ["add_factory_recorder", "has_hook", "parser", "parser_for", "remember_client"]

#: The parser every response goes through. botocore's parsers keep no per-response state.
parser = JSONParser(timestamp_parser=parse_timestamp)


# --- each client's own parser factory ---------------------------------------------------

#: A client's request signer (what the ``before-call`` event hands the hook) -> the response
#: parser factory of the client's endpoint. Weak: clients come and go.
_FACTORIES: weakref.WeakKeyDictionary[Any, ResponseParserFactory] = weakref.WeakKeyDictionary()


class _RemembersParserFactory:
    """Mixed into SSM client classes: remembers the client's response parser factory.

    botocore hands ``before-call`` handlers the client's request signer but not the client,
    and announces no event once a client exists; a base class added at
    ``creating-client-class`` (the way boto3 adds its own methods to clients) is the one
    place that sees the finished client.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        remember_client(self)


def remember_client(client: Any) -> None:
    """Remember the response parser factory of ``client``'s endpoint (see :func:`parser_for`)."""
    signer = getattr(client, "_request_signer", None)
    factory = getattr(getattr(client, "_endpoint", None), "_response_parser_factory", None)
    if signer is not None and isinstance(factory, ResponseParserFactory):
        _FACTORIES[signer] = factory


def has_hook(client: Any) -> bool:
    """Whether botocore built ``client`` with the hook: its session had the hook's handlers
    when the client was made, which the client's class shows (the same session's
    ``creating-client-class`` handler added the base class above)."""
    return isinstance(client, _RemembersParserFactory)


def add_factory_recorder(base_classes: list[type], **_: Any) -> None:
    """``creating-client-class.ssm`` handler: SSM clients remember their parser factory."""
    if _RemembersParserFactory not in base_classes:
        base_classes.insert(0, _RemembersParserFactory)


def parser_for(request_signer: Any) -> ResponseParser:
    """The parser a client's responses go through: the shared one, unless the client's
    factory was given parser defaults (then a parser with those defaults, made per response,
    as botocore's endpoint makes one per response and so sees defaults set at any time).

    Always botocore's synchronous ``JSONParser``, never ``factory.create_parser()``:
    aiobotocore's factory makes parsers whose ``parse`` is a coroutine (awaited by its own
    endpoint, which the hook replaces), and for a botocore factory ``JSONParser(**defaults)``
    is exactly what ``create_parser("json")`` builds. aiobotocore's JSON parser differs only
    for event streams, which SSM does not have.
    """
    factory: ResponseParserFactory | None
    try:
        factory = _FACTORIES.get(request_signer)
    except TypeError:  # not weak-referenceable: not a signer botocore made
        factory = None
    defaults = getattr(factory, "_defaults", None) if factory is not None else None
    if not defaults:
        return parser
    return JSONParser(**defaults)
