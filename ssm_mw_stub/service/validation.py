"""Input validation driven by the service model: min, max, pattern, enum, sizes, types.

botocore checks only required members, Python types and minimums before a request leaves
the client (and nothing at all with ``parameter_validation=False``); the real service checks
everything the model declares. Writing each rule by hand would drift from the model, so the
rules are read from the model's shapes and compiled once per shape into small closures.

The shapes are duck-typed (``type_name``, ``metadata``, ``members``, ``member``, ``key``,
``value``, ``required_members``, ``enum``, ``name``): botocore's shape objects fit, and so
would any other loader of the same JSON model, which keeps this module free of botocore.

Messages follow the AWS (Coral) wording: ``1 validation error detected: Value 'x' at
'startDate' failed to satisfy constraint: Member must have length greater than or equal
to 1``; several problems are joined with ``; `` under ``N validation errors detected``.
"""

from __future__ import annotations

import base64
import binascii
import threading
from collections.abc import Callable, Mapping
from typing import Any

from .. import wire
from .errors import constraint_problem, invalid_members, member_path
from .java import compile_java_pattern, java_length
from .predicates import Check, Problems, Shape, fast_predicate, generated

__all__ = ["Shape", "before_model", "compile_java_pattern", "predicate", "validate_input"]

#: Cross-field rules the service applies before the model's constraints, by input shape
#: name: where AWS answers a request that also breaks the model with its own error (two
#: Automation targets get InvalidAutomationExecutionParametersException, not the length
#: ValidationException). Consulted only when the model's check fails.
_BEFORE_MODEL: dict[str, Callable[[Any], None]] = {}


def before_model(shape_name: str, check: Callable[[Any], None]) -> None:
    """Register ``check`` (which raises the service's error, or returns) to run before a
    model ValidationException of the input shape ``shape_name`` is raised."""
    _BEFORE_MODEL[shape_name] = check


def validate_input(shape: Shape, body: Any) -> None:
    """Raise a ``ValidationException`` listing every constraint ``body`` breaks.

    A valid body (almost every call) is accepted by the shape's generated predicate, one
    flat function with no calls per member (see :mod:`.predicates`); the checkers that
    word the problems run only when the predicate says no (and for every body while the
    ``predicates`` trick is switched to its plain twin, ``wire.plain("predicates")``).
    """
    key = _input_key(shape)
    if _use_predicates:
        fast = generated(key)
        if fast is None:  # generated on the second use: a process making one call pays nothing
            if key in _USED:
                fast = predicate(shape)
            else:
                _USED.add(key)
        if fast is not None and fast(body):
            return
    problems: Problems = []
    _checker(shape, key)(body, "", problems)
    if problems:
        first = _BEFORE_MODEL.get(getattr(shape, "name", ""))
        if first is not None and isinstance(body, dict):
            first(body)
        raise invalid_members(problems)
    _drop_unknown(shape, body)


def predicate(shape: Shape) -> Callable[[Any], bool]:
    """The generated predicate of the input shape ``shape`` (made now if need be): True
    only for a body the checkers accept and that holds no member the model does not
    define."""
    return fast_predicate(shape, _input_key(shape), _passes)


#: Input shapes (by ``_input_key``) validated at least once.
_USED: set[tuple[str, str, str]] = set()
_use_predicates = True


def _switch_predicates(fast: bool) -> None:
    global _use_predicates
    _use_predicates = fast


wire.register("predicates", "one generated is-it-valid function per shape",
              _switch_predicates)


def _drop_unknown(shape: Shape, value: Any) -> None:
    """Remove, in place, the members of ``value`` that ``shape`` does not define, at every
    depth. The service ignores such members, and the records keep nested inputs as sent and
    echo them back, where an unknown member would break the output shape. Only a body the
    fast path turned down comes here (it has passed the checker, so it fits the shape)."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members: Mapping[str, Shape] = getattr(shape, "members", {})
        for name in [name for name in value if name not in members]:
            del value[name]
        for name, item in value.items():
            _drop_unknown(members[name], item)
    elif kind == "list" and isinstance(value, list):
        member: Shape = getattr(shape, "member")  # noqa: B009 - kind-specific attribute
        for item in value:
            _drop_unknown(member, item)
    elif kind == "map" and isinstance(value, dict):
        item_shape: Shape = getattr(shape, "value")  # noqa: B009 - kind-specific attribute
        for item in value.values():
            _drop_unknown(item_shape, item)


def _passes(shape: Shape) -> Callable[[Any], bool]:
    """Whether a value breaks no rule of ``shape`` and holds no member it does not define
    (what the generated predicate asks of the shapes it does not inline)."""
    check = _checker(shape)

    def passes(value: Any) -> bool:
        out: Problems = []
        check(value, "", out)
        return not out and not _has_unknown(shape, value)

    return passes


def _has_unknown(shape: Shape, value: Any) -> bool:
    """Whether ``value`` holds a member ``shape`` does not define, at any depth."""
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        members: Mapping[str, Shape] = getattr(shape, "members", {})
        return any(
            name not in members or _has_unknown(members[name], item)
            for name, item in value.items()
        )
    if kind == "list" and isinstance(value, list):
        member: Shape = getattr(shape, "member")  # noqa: B009 - kind-specific attribute
        return any(_has_unknown(member, item) for item in value)
    if kind == "map" and isinstance(value, dict):
        item_shape: Shape = getattr(shape, "value")  # noqa: B009 - kind-specific attribute
        return any(_has_unknown(item_shape, item) for item in value.values())
    return False


# --- compiling shapes -------------------------------------------------------------------

_CACHE: dict[tuple[str, str, str], Check] = {}


#: Checkers being compiled, published to ``_CACHE`` only when the outermost compilation
#: is complete: another thread must never pick up a half-built checker (or the forwarding
#: stub of a recursive shape, whose target does not exist yet).
_PENDING: dict[tuple[str, str, str], Check] = {}
_COMPILING = threading.RLock()
_depth = 0


def _key(shape: Shape) -> tuple[str, str, str]:
    """What identifies a shape's rules: its name, kind and traits (one process has one SSM
    model, and every client builds its own shape objects from it)."""
    return (shape.name, shape.type_name, repr(sorted(shape.metadata.items())))


def _input_key(shape: Shape) -> tuple[str, str, str]:
    """``_key`` of an operation's input shape: its name alone names its rules (it is never
    a member, so it has no member-level traits), which spares every call writing out the
    shape's traits (``repr`` of its required members costs more than the rest of the
    lookup)."""
    return (shape.name, shape.type_name, "input")


def _checker(shape: Shape, key: tuple[str, str, str] | None = None) -> Check:
    """The compiled checker of ``shape``, compiled once per process.

    Keyed by name and traits rather than by object: every botocore client builds its own
    shape objects, and one process has one SSM model, so the name (with any member-level
    traits, which end up in ``metadata``) identifies the rules. Compilation holds a lock;
    lookups of finished checkers do not.
    """
    global _depth
    key = key or _key(shape)
    check = _CACHE.get(key)
    if check is not None:
        return check
    with _COMPILING:
        check = _CACHE.get(key) or _PENDING.get(key)
        if check is not None:
            return check
        # Register a forwarding stub first so recursive shapes terminate.
        holder: list[Check] = []
        _PENDING[key] = lambda v, p, out: holder[0](v, p, out)
        _depth += 1
        try:
            check = _compile(shape)
        except BaseException:
            if _depth == 1:
                _PENDING.clear()
            raise
        finally:
            _depth -= 1
        holder.append(check)
        _PENDING[key] = check
        if _depth == 0:
            _CACHE.update(_PENDING)
            _PENDING.clear()
        return check


Rule = tuple[str, Callable[[Any], bool]]


def _at_most(limit: int, measure: Callable[[Any], int]) -> Callable[[Any], bool]:
    return lambda value: measure(value) <= limit


def _at_least(limit: int, measure: Callable[[Any], int]) -> Callable[[Any], bool]:
    return lambda value: measure(value) >= limit


def _identity(value: Any) -> int:
    return int(value)


def _bounds(meta: Mapping[str, Any], what: str, measure: Callable[[Any], int]) -> list[Rule]:
    """The max and min rules of a shape, in the service's order; ``what`` is "length" (of a
    string, blob, list or map, as ``measure`` counts it) or "value" (of a number)."""
    rules: list[Rule] = []
    if "max" in meta:
        hi = int(meta["max"])
        rules.append((f"Member must have {what} less than or equal to {hi}",
                      _at_most(hi, measure)))
    if "min" in meta:
        lo = int(meta["min"])
        rules.append((f"Member must have {what} greater than or equal to {lo}",
                      _at_least(lo, measure)))
    return rules


def _scalar_constraints(shape: Shape) -> list[Rule]:
    """(message, passes) pairs in the order the service lists them: max, min, pattern, enum."""
    meta = shape.metadata
    kind = shape.type_name
    rules: list[Rule] = []
    if kind in ("string", "blob"):
        # Strings count UTF-16 code units like Java; blobs count decoded bytes.
        rules += _bounds(meta, "length", java_length if kind == "string" else len)
        if "pattern" in meta:
            regex = compile_java_pattern(meta["pattern"])
            rules.append((f"Member must satisfy regular expression pattern: {meta['pattern']}",
                          lambda value: regex.fullmatch(value) is not None))
        enum = getattr(shape, "enum", None)
        if enum:
            allowed = frozenset(enum)
            rules.append((f"Member must satisfy enum value set: [{', '.join(enum)}]",
                          lambda value: value in allowed))
    elif kind in ("integer", "long"):
        rules += _bounds(meta, "value", _identity)
    return rules


def _type_ok(kind: str, value: Any) -> bool:
    if kind == "string":
        return isinstance(value, str)
    if kind in ("integer", "long"):
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "structure":
        return isinstance(value, dict)
    if kind == "list":
        return isinstance(value, list)
    if kind == "map":
        return isinstance(value, dict)
    if kind in ("double", "float"):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if kind == "blob":
        return isinstance(value, str)
    if kind == "timestamp":
        return isinstance(value, (int, float, str)) and not isinstance(value, bool)
    return True


_JSON_TYPE = {
    "string": "string",
    "integer": "integer",
    "long": "integer",
    "boolean": "boolean",
    "structure": "object",
    "map": "object",
    "list": "array",
    "blob": "base64-encoded string",
    "timestamp": "timestamp",
}


def _type_problem(shape: Shape, value: Any, path: str) -> str:
    expected = _JSON_TYPE.get(shape.type_name, shape.type_name)
    return constraint_problem(
        value, path or "request", f"Member must be of type {expected}",
        bool(shape.metadata.get("sensitive")),
    )


def _decode_blob(value: str) -> bytes | None:
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        return None


def _compile(shape: Shape) -> Check:
    kind = shape.type_name
    if kind == "structure":
        return _compile_structure(shape)
    if kind == "list":
        return _compile_list(shape)
    if kind == "map":
        return _compile_map(shape)
    return _compile_scalar(shape)


def _compile_scalar(shape: Shape) -> Check:
    kind = shape.type_name
    rules = _scalar_constraints(shape)
    sensitive = bool(shape.metadata.get("sensitive"))

    def report(value: Any, subject: Any, path: str, out: Problems) -> None:
        for message, passes in rules:
            if not passes(subject):
                out.append(constraint_problem(value, path, message, sensitive))

    if kind == "string":
        # The common case, kept to straight-line comparisons; messages only on failure.
        meta = shape.metadata
        lo = int(meta.get("min", 0))
        hi = int(meta.get("max", 1 << 62))
        regex = compile_java_pattern(meta["pattern"]) if "pattern" in meta else None
        allowed = frozenset(getattr(shape, "enum", None) or ())

        def check_string(value: Any, path: str, out: Problems) -> None:
            if type(value) is not str:
                out.append(_type_problem(shape, value, path))
                return
            size = len(value) if value.isascii() else java_length(value)
            if (
                size < lo
                or size > hi
                or (regex is not None and regex.fullmatch(value) is None)
                or (allowed and value not in allowed)
            ):
                report(value, value, path, out)

        return check_string

    def check(value: Any, path: str, out: Problems) -> None:
        if not _type_ok(kind, value):
            out.append(_type_problem(shape, value, path))
            return
        subject = value
        if kind == "blob":
            decoded = _decode_blob(value)
            if decoded is None:
                out.append(
                    constraint_problem(value, path, "Member must be valid base64", sensitive)
                )
                return
            subject = decoded
        report(value, subject, path, out)

    return check


def _compile_structure(shape: Shape) -> Check:
    members: Mapping[str, Shape] = getattr(shape, "members", {})
    required = tuple(getattr(shape, "required_members", ()) or ())
    table = {name: (member_path(name), _checker(member)) for name, member in members.items()}
    order = list(table.items())
    required_paths = [(name, member_path(name)) for name in required]

    def check(value: Any, path: str, out: Problems) -> None:
        if not isinstance(value, dict):
            out.append(_type_problem(shape, value, path))
            return
        prefix = f"{path}." if path else ""
        for name, camel in required_paths:
            if value.get(name) is None:
                out.append(
                    constraint_problem(None, prefix + camel, "Member must not be null", False)
                )
        # Fast pass over the members present; unknown members are ignored, as the service
        # ignores them. Problems found are re-collected in model order, which is the order
        # the service lists them in. The fast pass only asks whether anything fails, so it
        # builds no paths.
        found: Problems = []
        for name, item in value.items():
            entry = table.get(name)
            if entry is not None and item is not None:
                entry[1](item, "", found)
        if found:
            for name, (camel, member_check) in order:
                item = value.get(name)
                if item is not None:
                    member_check(item, prefix + camel, out)

    return check


def _summary(rules: list[Rule]) -> str:
    """The bracketed list the service prints for a failing list item or map key."""
    return "[" + ", ".join([message for message, _ in rules] + ["Member must not be null"]) + "]"


def _compile_list(shape: Shape) -> Check:
    meta = shape.metadata
    member: Shape = getattr(shape, "member")  # noqa: B009 - kind-specific attribute
    sensitive = bool(meta.get("sensitive"))
    size_rules = _bounds(meta, "length", len)
    scalar_member = member.type_name not in ("structure", "list", "map")
    member_check = _checker(member)
    member_rules = _scalar_constraints(member) if scalar_member else []
    member_kind = member.type_name

    def check(value: Any, path: str, out: Problems) -> None:
        if not isinstance(value, list):
            out.append(_type_problem(shape, value, path))
            return
        for message, passes in size_rules:
            if not passes(value):
                out.append(constraint_problem(value, path, message, sensitive))
        if scalar_member:
            # The service reports a bad scalar item once, at the list, with every rule of
            # the member shape spelled out (as in "Member must satisfy constraint: [...]").
            for item in value:
                if item is None or not _type_ok(member_kind, item) or not all(
                    passes(item) for _, passes in member_rules
                ):
                    constraint = f"Member must satisfy constraint: {_summary(member_rules)}"
                    out.append(constraint_problem(value, path, constraint, sensitive))
                    return
            return
        for index, item in enumerate(value, start=1):
            item_path = f"{path}.{index}.member"
            if item is None:
                out.append(constraint_problem(None, item_path, "Member must not be null", False))
            else:
                member_check(item, item_path, out)

    return check


def _compile_map(shape: Shape) -> Check:
    meta = shape.metadata
    key_shape: Shape = getattr(shape, "key")  # noqa: B009 - kind-specific attribute
    value_shape: Shape = getattr(shape, "value")  # noqa: B009 - kind-specific attribute
    sensitive = bool(meta.get("sensitive"))
    size_rules = _bounds(meta, "length", len)
    key_rules = _scalar_constraints(key_shape)
    value_check = _checker(value_shape)

    def check(value: Any, path: str, out: Problems) -> None:
        if not isinstance(value, dict):
            out.append(_type_problem(shape, value, path))
            return
        for message, passes in size_rules:
            if not passes(value):
                out.append(constraint_problem(value, path, message, sensitive))
        for key in value:
            if not all(passes(key) for _, passes in key_rules):
                constraint = f"Map keys must satisfy constraint: {_summary(key_rules)}"
                out.append(constraint_problem(value, path, constraint, sensitive))
                break
        for key, item in value.items():
            item_path = f"{path}.{key}"
            if item is None:
                out.append(constraint_problem(None, item_path, "Member must not be null", False))
            else:
                value_check(item, item_path, out)

    return check
