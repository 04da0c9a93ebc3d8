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
import contextlib
import re
import threading
import weakref
from collections.abc import Callable, Mapping
from functools import cache, lru_cache
from typing import Any, Protocol

from .errors import constraint_problem, invalid_members, member_path

__all__ = ["Shape", "compile_java_pattern", "validate_input"]


class Shape(Protocol):
    """The part of a model shape every kind has; kind-specific parts are read with getattr."""

    @property
    def name(self) -> str: ...

    @property
    def type_name(self) -> str: ...

    @property
    def metadata(self) -> Mapping[str, Any]: ...


Problems = list[str]
Check = Callable[[Any, str, Problems], None]


def validate_input(shape: Shape, body: Any) -> None:
    """Raise a ``ValidationException`` listing every constraint ``body`` breaks.

    A valid body (almost every call) is accepted by the shape's generated predicate, one
    flat function with no calls per member (see :func:`_fast_predicate`); the checkers that
    word the problems run only when the predicate says no.
    """
    try:
        entry = _BY_SHAPE[shape]
    except (KeyError, TypeError):
        entry = _Entry(_checker(shape))
        with contextlib.suppress(TypeError):
            _BY_SHAPE[shape] = entry
    fast = entry.fast
    if fast is not None:
        if fast(body):
            return
    else:
        # Generated on the second use, so a process that makes one call pays nothing.
        entry.uses += 1
        if entry.uses >= 2:
            entry.fast = _fast_predicate(shape)
    problems: Problems = []
    entry.check(body, "", problems)
    if problems:
        raise invalid_members(problems)


class _Entry:
    """What validate_input keeps per input shape object."""

    __slots__ = ("check", "fast", "uses")

    def __init__(self, check: Check) -> None:
        self.check = check
        self.fast: Callable[[Any], bool] | None = None
        self.uses = 0


def _java_length(text: str) -> int:
    """Length in UTF-16 code units, as Java's ``String.length()`` (what the service counts)."""
    if text.isascii():
        return len(text)
    # JSON may carry a lone surrogate ("\ud800"); Java counts it as one unit, and strict
    # UTF-16 encoding would refuse it, so let it pass through as its own code unit.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# --- Java regular expressions -----------------------------------------------------------

_UNICODE_CLASS = re.compile(r"\\p\{(L|N|Z)\}")


@lru_cache(maxsize=1)
def _separator_chars() -> str:
    """Every code point of the Unicode ``Z`` categories (there are fewer than twenty)."""
    import unicodedata  # on first use: only tag and target-key patterns need it

    candidates = [0x20, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x2028, 0x2029, 0x202F, 0x205F]
    candidates.append(0x3000)
    return "".join(chr(c) for c in candidates if unicodedata.category(chr(c)).startswith("Z"))


def _translate_class(body: str) -> str:
    """Rewrite one bracket class that uses ``\\p{L}``/``\\p{N}``/``\\p{Z}`` for Python's ``re``.

    Python has no ``\\p{..}``; ``[^\\W_]`` is exactly letters plus numbers, and the separators
    are few enough to list, so ``[\\p{L}\\p{Z}\\p{N}x]`` becomes ``(?:[^\\W_]|[<Z>x])``, or
    ``[\\w<Z>x]`` when ``x`` holds ``_``.
    """
    found = set(_UNICODE_CLASS.findall(body))
    rest = _UNICODE_CLASS.sub("", body)
    if found - {"Z"} and found - {"Z"} != {"L", "N"}:
        raise ValueError(f"unsupported Java character class [{body}]")
    literal = rest + (re.escape(_separator_chars()) if "Z" in found else "")
    if "L" in found and not literal.startswith("^") and re.fullmatch(f"[{literal}]", "_"):
        # Letters, numbers and "_" together are exactly ``\w``: one class, which ``re``
        # matches several times faster than an alternation of two.
        return f"[\\w{literal}]"
    parts = []
    if "L" in found:
        parts.append(r"[^\W_]")
    if literal:
        parts.append(f"[{literal}]")
    return "(?:" + "|".join(parts) + ")"


@cache
def compile_java_pattern(pattern: str) -> re.Pattern[str]:
    """Compile a model pattern (Java syntax) for Python; use with ``fullmatch`` like Java."""
    if "\\p{" in pattern:
        pattern = re.sub(
            r"\[((?:[^\]\\]|\\.)*)\]",
            lambda m: _translate_class(m.group(1)) if "\\p{" in m.group(1) else m.group(0),
            pattern,
        )
    return re.compile(pattern, re.DOTALL if "(?s)" in pattern else 0)


# --- compiling shapes -------------------------------------------------------------------

_CACHE: dict[tuple[str, str, str], Check] = {}
#: Input shape object -> its checker and predicate: the per-call fast path in front of
#: ``_CACHE`` (whose key costs a repr). Weak, so the models of discarded clients are not
#: kept alive.
_BY_SHAPE: weakref.WeakKeyDictionary[Any, _Entry] = weakref.WeakKeyDictionary()


#: Checkers being compiled, published to ``_CACHE`` only when the outermost compilation
#: is complete: another thread must never pick up a half-built checker (or the forwarding
#: stub of a recursive shape, whose target does not exist yet).
_PENDING: dict[tuple[str, str, str], Check] = {}
_COMPILING = threading.RLock()
_depth = 0


def _checker(shape: Shape) -> Check:
    """The compiled checker of ``shape``, compiled once per process.

    Keyed by name and traits rather than by object: every botocore client builds its own
    shape objects, and one process has one SSM model, so the name (with any member-level
    traits, which end up in ``metadata``) identifies the rules. Compilation holds a lock;
    lookups of finished checkers do not.
    """
    global _depth
    key = (shape.name, shape.type_name, repr(sorted(shape.metadata.items())))
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
        rules += _bounds(meta, "length", _java_length if kind == "string" else len)
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
            size = len(value) if value.isascii() else _java_length(value)
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


# --- the generated predicate --------------------------------------------------------------

#: Generated predicates by the same key as ``_CACHE`` (each client has its own shape objects).
_FAST: dict[tuple[str, str, str], Callable[[Any], bool]] = {}
#: Deeper than this, or inside a recursive shape, the predicate calls the checker instead of
#: inlining (Python limits nested blocks to 20 and indentation to 100 levels).
_MAX_LOOPS = 8
_MAX_DEPTH = 40


def _fast_predicate(shape: Shape) -> Callable[[Any], bool]:
    """A generated function that returns True only when ``_checker(shape)`` would report no
    problem, with every rule of every nested shape inlined as straight-line comparisons.

    It may say False for a body the checker accepts (it is stricter about exact types), in
    which case the caller simply runs the checker; it must never say True for a body the
    checker rejects. Shapes it does not inline (blobs, recursion, very deep nesting) are
    checked by their checker from inside the generated code.
    """
    key = (shape.name, shape.type_name, repr(sorted(shape.metadata.items())))
    fast = _FAST.get(key)
    if fast is None:
        with _COMPILING:
            fast = _FAST.get(key)
            if fast is None:
                fast = _FAST[key] = _Generator().build(shape)
    return fast


def _passes(check: Check) -> Callable[[Any], bool]:
    def passes(value: Any) -> bool:
        out: Problems = []
        check(value, "", out)
        return not out

    return passes


class _Generator:
    """Writes the source of one predicate, then compiles it."""

    _SCALARS = ("string", "integer", "long", "boolean")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.env: dict[str, Any] = {"_java_length": _java_length}
        self.count = 0

    def build(self, shape: Shape) -> Callable[[Any], bool]:
        self.value(shape, "v", 1, (), 0)
        source = "def predicate(v):\n" + "\n".join(self.lines) + "\n    return True\n"
        exec(compile(source, f"<predicate {shape.name}>", "exec"), self.env)
        predicate: Callable[[Any], bool] = self.env["predicate"]
        return predicate

    def name(self, prefix: str) -> str:
        self.count += 1
        return f"{prefix}{self.count}"

    def const(self, value: Any, prefix: str) -> str:
        name = self.name(prefix)
        self.env[name] = value
        return name

    def line(self, depth: int, text: str) -> None:
        self.lines.append("    " * depth + text)

    def fallback(self, shape: Shape, var: str, depth: int) -> None:
        passes = self.const(_passes(_checker(shape)), "_passes")
        self.line(depth, f"if not {passes}({var}): return False")

    def value(
        self, shape: Shape, var: str, depth: int, stack: tuple[str, ...], loops: int
    ) -> None:
        kind = shape.type_name
        if shape.name in stack or depth > _MAX_DEPTH:
            self.fallback(shape, var, depth)
        elif kind == "string":
            self.string(shape, var, depth)
        elif kind in ("integer", "long"):
            self.line(depth, f"if type({var}) is not int: return False")
            self.bounds(shape, var, var, depth)
        elif kind == "boolean":
            self.line(depth, f"if type({var}) is not bool: return False")
        elif kind == "structure":
            self.structure(shape, var, depth, (*stack, shape.name), loops)
        elif kind == "list" and loops < _MAX_LOOPS:
            self.list(shape, var, depth, (*stack, shape.name), loops)
        elif kind == "map" and loops < _MAX_LOOPS:
            self.map(shape, var, depth, (*stack, shape.name), loops)
        else:  # blobs, timestamps, numbers with fractions, nesting too deep
            self.fallback(shape, var, depth)

    def bounds(self, shape: Shape, var: str, measure: str, depth: int) -> None:
        meta = shape.metadata
        tests = []
        if "min" in meta:
            tests.append(f"{measure} < {int(meta['min'])}")
        if "max" in meta:
            tests.append(f"{measure} > {int(meta['max'])}")
        if tests:
            self.line(depth, f"if {' or '.join(tests)}: return False")

    def string(self, shape: Shape, var: str, depth: int) -> None:
        meta = shape.metadata
        self.line(depth, f"if type({var}) is not str: return False")
        tests = []
        if "min" in meta or "max" in meta:
            size = self.name("n")
            self.line(depth, f"{size} = len({var}) if {var}.isascii() else _java_length({var})")
            if "min" in meta:
                tests.append(f"{size} < {int(meta['min'])}")
            if "max" in meta:
                tests.append(f"{size} > {int(meta['max'])}")
        if "pattern" in meta:
            match = self.const(compile_java_pattern(meta["pattern"]).fullmatch, "_match")
            tests.append(f"{match}({var}) is None")
        enum = getattr(shape, "enum", None)
        if enum:
            tests.append(f"{var} not in {self.const(frozenset(enum), '_enum')}")
        if tests:
            self.line(depth, f"if {' or '.join(tests)}: return False")

    def structure(
        self, shape: Shape, var: str, depth: int, stack: tuple[str, ...], loops: int
    ) -> None:
        members: Mapping[str, Shape] = getattr(shape, "members", {})
        required = list(getattr(shape, "required_members", ()) or ())
        self.line(depth, f"if type({var}) is not dict: return False")
        for name in required:
            if name not in members:
                self.line(depth, f"if {var}.get({name!r}) is None: return False")
        for name, member in members.items():
            item = self.name("m")
            self.line(depth, f"{item} = {var}.get({name!r})")
            if name in required:
                self.line(depth, f"if {item} is None: return False")
                self.value(member, item, depth, stack, loops)
            else:
                self.line(depth, f"if {item} is not None:")
                start = len(self.lines)
                self.value(member, item, depth + 1, stack, loops)
                if len(self.lines) == start:
                    self.line(depth + 1, "pass")

    def list(
        self, shape: Shape, var: str, depth: int, stack: tuple[str, ...], loops: int
    ) -> None:
        member: Shape = getattr(shape, "member")  # noqa: B009 - kind-specific attribute
        if member.type_name not in (*self._SCALARS, "structure", "list", "map"):
            # A list of blobs, timestamps, ...: its checker applies rules of its own.
            self.fallback(shape, var, depth)
            return
        self.line(depth, f"if type({var}) is not list: return False")
        self.bounds(shape, var, f"len({var})", depth)
        item = self.name("i")
        self.line(depth, f"for {item} in {var}:")
        self.line(depth + 1, f"if {item} is None: return False")
        self.value(member, item, depth + 1, stack, loops + 1)

    def map(
        self, shape: Shape, var: str, depth: int, stack: tuple[str, ...], loops: int
    ) -> None:
        key: Shape = getattr(shape, "key")  # noqa: B009 - kind-specific attribute
        value: Shape = getattr(shape, "value")  # noqa: B009 - kind-specific attribute
        if key.type_name != "string":
            self.fallback(shape, var, depth)
            return
        self.line(depth, f"if type({var}) is not dict: return False")
        self.bounds(shape, var, f"len({var})", depth)
        name, item = self.name("k"), self.name("x")
        self.line(depth, f"for {name}, {item} in {var}.items():")
        self.string(key, name, depth + 1)
        self.line(depth + 1, f"if {item} is None: return False")
        self.value(value, item, depth + 1, stack, loops + 1)
