"""The generated fast path of input validation: one flat predicate per input shape.

Almost every request is valid, and walking the compiled checkers (:mod:`.validation`) member
by member costs a Python call per member. So each input shape also gets a generated function
that says only "valid or not", with every rule of every nested shape inlined as straight-line
comparisons; the checkers, which word the problems, run only when it says no.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from .java import compile_java_pattern, java_length

__all__ = ["Check", "Problems", "Shape", "fast_predicate", "generated"]

#: Where a checker writes the problems it finds.
Problems = list[str]
#: A compiled checker: (value, member path, problems) -> None.
Check = Callable[[Any, str, Problems], None]


class Shape(Protocol):
    """The part of a model shape every kind has; kind-specific parts are read with getattr.

    Duck-typed, so botocore's shape objects fit without this package importing botocore.
    """

    @property
    def name(self) -> str: ...

    @property
    def type_name(self) -> str: ...

    @property
    def metadata(self) -> Mapping[str, Any]: ...


#: Generated predicates by the same key as ``_CACHE`` (each client has its own shape objects).
_FAST: dict[tuple[str, str, str], Callable[[Any], bool]] = {}
#: Deeper than this, or inside a recursive shape, the predicate calls the checker instead of
#: inlining (Python limits nested blocks to 20 and indentation to 100 levels).
_MAX_LOOPS = 8
_MAX_DEPTH = 40


_LOCK = threading.Lock()


def generated(key: tuple[str, str, str]) -> Callable[[Any], bool] | None:
    """The predicate already generated for the shape ``key`` names, else None."""
    return _FAST.get(key)


def fast_predicate(
    shape: Shape,
    key: tuple[str, str, str],
    passes: Callable[[Shape], Callable[[Any], bool]],
) -> Callable[[Any], bool]:
    """A generated function that returns True only when the body breaks no rule of
    ``shape`` and holds no member the model does not define, with every rule of every
    nested shape inlined as straight-line comparisons.

    It may say False for a body the checker accepts (it is stricter about exact types), in
    which case the caller simply runs the checker; it must never say True for a body the
    checker rejects. Shapes it does not inline (blobs, recursion, very deep nesting) are
    checked from inside the generated code by ``passes(shape)``, the slow path's answer to
    the same question. ``key`` names the shape's rules (its name and traits), so every
    client's copy of a shape shares one predicate.
    """
    fast = _FAST.get(key)
    if fast is None:
        with _LOCK:
            fast = _FAST.get(key)
            if fast is None:
                fast = _FAST[key] = _Generator(passes).build(shape)
    return fast


class _Generator:
    """Writes the source of one predicate, then compiles it."""

    _SCALARS = ("string", "integer", "long", "boolean")

    def __init__(self, passes: Callable[[Shape], Callable[[Any], bool]]) -> None:
        self.passes = passes
        self.lines: list[str] = []
        self.env: dict[str, Any] = {"_java_length": java_length}
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
        passes = self.const(self.passes(shape), "_passes")
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
        known = self.const(frozenset(members), "_members")
        # A member the model does not define is dropped by the slow path (AWS ignores it).
        self.line(depth, f"if not {var}.keys() <= {known}: return False")
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
