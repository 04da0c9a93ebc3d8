"""EventBridge event patterns: which events a rule (or ``mw.on_event``) matches.

A pattern is compiled once, refusing what EventBridge's PutRule would refuse, and then
tests events. The semantics are EventBridge's ("Amazon EventBridge event patterns",
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-event-patterns.html, and its
pages on content filtering, arrays, and null values and empty strings), down to the fine
print those pages leave to Event Ruler, the open-source matcher EventBridge's patterns come
from (https://github.com/aws/event-ruler; its README and ``JsonRuleCompiler``):

- every field named in the pattern must match (AND); the values listed for a field are
  alternatives (OR), and ``$or`` (an array of two or more objects) ORs whole sub-patterns;
- only leaf values match: an object where the pattern expects a value is no value, and an
  array in the event is the set of its elements (the pattern matches if any matches);
  objects inside arrays are matched one element at a time, so two fields of one nested
  pattern never match in different elements of the same array;
- an exact value matches only the same JSON type: ``"5"`` never matches ``5``, null only
  null, ``""`` only the empty string; a number matches an equal number (``300`` matches
  ``3.0e2``), as Ruler adds a numeric match beside the literal one;
- ``prefix``, ``suffix``, ``equals-ignore-case``, ``wildcard`` and ``cidr`` match strings;
  ``numeric`` matches JSON numbers (never booleans);
- ``anything-but`` matches any value that is present and is not excluded: a string list
  excludes only those strings, a number list only those numbers, and its ``prefix``,
  ``suffix``, ``equals-ignore-case`` and ``wildcard`` forms only strings that match them;
  a field that is absent matches no ``anything-but``;
- ``exists`` looks at the leaf only: ``false`` matches a field that is absent (or holds
  an object or an empty array), ``true`` one that holds a value, null included.

Error texts are Ruler's, behind EventBridge's "Event pattern is not valid. Reason: ".
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

__all__ = ["EventPattern", "InvalidEventPatternError"]

#: A test of one leaf value.
_ValueTest = Callable[[Any], bool]

_MATCH_TYPES = frozenset(
    {"prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists",
     "cidr"}
)
#: Names a sub-pattern of ``$or`` may not use as fields (Ruler's Constants.java).
_RESERVED_IN_OR = frozenset(
    {"exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard",
     "numeric", "cidr", "=", "<", "<=", ">", ">=", "regex", "not-wildcard",
     "not-equals-ignore-case", "date-after", "date-on-or-after", "date-before",
     "date-on-or-before", "in-date-range", "ip-address-in-range", "ip-address-not-in-range"}
)


class InvalidEventPatternError(ValueError):
    """A pattern EventBridge would refuse (its InvalidEventPatternException)."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"Event pattern is not valid. Reason: {reason}")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _same_value(expected: object, value: object) -> bool:
    """An exact match: same JSON type, same value (numbers compared as numbers)."""
    if isinstance(expected, str) or expected is None or isinstance(expected, bool):
        return type(value) is type(expected) and value == expected
    return _is_number(value) and value == expected


# --- leaves ------------------------------------------------------------------------------


def _leaves(value: object) -> Iterator[Any]:
    """The leaf values at one field: an array's elements (arrays flattened), never objects."""
    if isinstance(value, list):
        for item in value:
            yield from _leaves(item)
    elif not isinstance(value, dict):
        yield value


def _objects(value: object) -> list[Mapping[str, Any]]:
    """The objects a nested pattern is matched against: the object, or an array's objects."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for element in value for item in _objects(element)]
    return []


class _Leaf:
    """The alternatives listed for one field: value tests, and ``exists`` tests."""

    __slots__ = ("exists", "tests")

    def __init__(self) -> None:
        self.tests: list[_ValueTest] = []
        self.exists: list[bool] = []

    def matches(self, value: object, present: bool) -> bool:
        values = list(_leaves(value)) if present else []
        if any(flag == bool(values) for flag in self.exists):
            return True
        return any(test(item) for item in values for test in self.tests)


class _Node:
    """One object of a pattern: its fields (leaves or nested objects) and its ``$or``s."""

    __slots__ = ("fields", "ors")

    def __init__(self) -> None:
        self.fields: list[tuple[str, _Leaf | _Node]] = []
        self.ors: list[list[_Node]] = []

    def matches(self, event: Mapping[str, Any]) -> bool:
        for name, test in self.fields:
            present = name in event
            value = event.get(name)
            if isinstance(test, _Leaf):
                if not test.matches(value, present):
                    return False
            elif not any(test.matches(item) for item in _objects(value) or [{}]):
                return False
        return all(any(branch.matches(event) for branch in group) for group in self.ors)


# --- compiling ---------------------------------------------------------------------------


def _compile_object(pattern: Mapping[str, Any], inside_or: bool) -> _Node:
    if not pattern:
        raise InvalidEventPatternError("Empty objects are not allowed")
    node = _Node()
    for name, value in pattern.items():
        if not isinstance(name, str):
            raise InvalidEventPatternError(f"field names must be strings; got {name!r}")
        if name == "$or":
            node.ors.append(_compile_or(value))
            continue
        if inside_or and name in _RESERVED_IN_OR:
            raise InvalidEventPatternError(
                f"{name} is Ruler reserved fieldName which cannot be used inside $or."
            )
        if isinstance(value, Mapping):
            node.fields.append((name, _compile_object(value, inside_or)))
        elif isinstance(value, list):
            node.fields.append((name, _compile_values(value)))
        else:
            raise InvalidEventPatternError(f'"{name}" must be an object or an array')
    return node


def _compile_or(branches: object) -> list[_Node]:
    if not isinstance(branches, list):
        raise InvalidEventPatternError("It must be an Array followed with $or.")
    if not all(isinstance(branch, Mapping) for branch in branches):
        raise InvalidEventPatternError(
            "Only JSON object is allowed in array of $or relationship."
        )
    if len(branches) < 2:
        raise InvalidEventPatternError("There must have at least 2 Objects in $or relationship.")
    return [_compile_object(branch, True) for branch in branches]


def _compile_values(values: list[Any]) -> _Leaf:
    if not values:
        raise InvalidEventPatternError("Empty arrays are not allowed")
    leaf = _Leaf()
    for value in values:
        if isinstance(value, Mapping):
            _compile_expression(value, leaf)
        elif isinstance(value, (str, bool, int, float)) or value is None:
            if isinstance(value, float) and not math.isfinite(value):
                raise InvalidEventPatternError(
                    "Match value must be String, number, true, false, or null"
                )
            leaf.tests.append(_exactly(value))
        else:
            raise InvalidEventPatternError(
                "Match value must be String, number, true, false, or null"
            )
    return leaf


def _exactly(expected: object) -> _ValueTest:
    return lambda item: _same_value(expected, item)


def _one_key(expression: Mapping[str, Any], missing: str) -> tuple[str, Any]:
    if not expression:
        raise InvalidEventPatternError(missing)
    if len(expression) > 1:
        raise InvalidEventPatternError("Only one key allowed in match expression")
    [(name, value)] = expression.items()
    return name, value


def _compile_expression(expression: Mapping[str, Any], leaf: _Leaf) -> None:
    name, value = _one_key(expression, "Match expression name not found")
    if name not in _MATCH_TYPES:
        raise InvalidEventPatternError(f"Unrecognized match type {name}")
    if name == "exists":
        if not isinstance(value, bool):
            raise InvalidEventPatternError("exists match pattern must be either true or false.")
        leaf.exists.append(value)
    elif name == "anything-but":
        leaf.tests.append(_anything_but(value))
    elif name == "numeric":
        leaf.tests.append(_numeric(value))
    elif name in ("prefix", "suffix"):
        leaf.tests.append(_affix(name, value))
    elif name == "equals-ignore-case":
        folded = _string(value, "equals-ignore-case match pattern must be a string").casefold()
        leaf.tests.append(lambda item: isinstance(item, str) and item.casefold() == folded)
    elif name == "wildcard":
        leaf.tests.append(_wildcard(_string(value, "wildcard match pattern must be a string")))
    else:  # cidr
        leaf.tests.append(_cidr(_string(value, "prefix match pattern must be a string")))


def _string(value: object, message: str) -> str:
    if not isinstance(value, str):
        raise InvalidEventPatternError(message)
    return value


def _affix(kind: str, value: object) -> _ValueTest:
    """``prefix`` / ``suffix``, plain or ``{"equals-ignore-case": ...}``."""
    fold = False
    if isinstance(value, Mapping):
        name, value = _one_key(value, f"{kind.capitalize()} expression name not found")
        if name != "equals-ignore-case":
            raise InvalidEventPatternError(f"Unsupported {kind} pattern: {name}")
        text = _string(value, "equals-ignore-case match pattern must be a string").casefold()
        fold = True
    else:
        text = _string(value, f"{kind} match pattern must be a string")
    start = kind == "prefix"

    def test(item: Any) -> bool:
        if not isinstance(item, str):
            return False
        subject = item.casefold() if fold else item
        return subject.startswith(text) if start else subject.endswith(text)

    return test


def _wildcard(text: str) -> _ValueTest:
    """``*`` is any run of characters; ``\\*`` and ``\\\\`` are the characters themselves."""
    parts: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "*":
            if text[i + 1 : i + 2] == "*":
                raise InvalidEventPatternError(f"Consecutive wildcard characters at pos {i + 1}")
            parts.append(".*")
        elif char == "\\":
            following = text[i + 1 : i + 2]
            if following not in ("*", "\\"):
                raise InvalidEventPatternError(f"Invalid escape character at pos {i + 1}")
            parts.append(re.escape(following))
            i += 1
        else:
            parts.append(re.escape(char))
        i += 1
    regex = re.compile("".join(parts), re.DOTALL)
    return lambda item: isinstance(item, str) and regex.fullmatch(item) is not None


def _cidr(text: str) -> _ValueTest:
    import ipaddress

    try:
        network = ipaddress.ip_network(text, strict=False)
    except ValueError as exc:
        raise InvalidEventPatternError(f"Invalid CIDR: {exc}") from None

    def test(item: Any) -> bool:
        if not isinstance(item, str):
            return False
        try:
            return ipaddress.ip_address(item) in network
        except ValueError:
            return False

    return test


_COMPARE: dict[str, Callable[[float, float], bool]] = {
    "=": lambda a, b: a == b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _numeric(terms: object) -> _ValueTest:
    """``["=", x]``, ``["<" | "<=", x]``, or ``[">" | ">=", x]`` optionally followed by
    ``"<" | "<=", y``: the forms Ruler's ``processNumericMatchExpression`` takes."""
    if not isinstance(terms, list):
        raise InvalidEventPatternError("Value of numeric must be an array.")
    checks: list[tuple[str, float]] = []
    rest = list(terms)
    while rest:
        operator = rest.pop(0)
        if not isinstance(operator, str):
            raise InvalidEventPatternError(f"Invalid member in numeric match: {operator!r}")
        if operator not in _COMPARE:
            reason = "Bad" if checks else "Unrecognized"
            raise InvalidEventPatternError(f"{reason} numeric range operator: {operator}")
        if checks and operator not in ("<", "<="):
            raise InvalidEventPatternError(f"Bad numeric range operator: {operator}")
        if not rest or not _is_number(rest[0]):
            raise InvalidEventPatternError(f"Value of {operator} must be numeric")
        checks.append((operator, rest.pop(0)))
        if operator in ("=", "<", "<=") and rest:
            raise InvalidEventPatternError("Too many elements in numeric expression")
        if len(checks) == 2 and rest:
            raise InvalidEventPatternError("Too many terms in numeric range expression")
    if not checks:
        raise InvalidEventPatternError("Invalid member in numeric match: ]")
    return lambda item: _is_number(item) and all(
        _COMPARE[operator](item, bound) for operator, bound in checks
    )


def _anything_but(value: object) -> _ValueTest:
    """Any present value but the excluded ones (see the module docstring)."""
    if isinstance(value, Mapping):
        name, inner = _one_key(value, "Anything-But expression name not found")
        if name not in ("equals-ignore-case", "prefix", "suffix", "wildcard"):
            raise InvalidEventPatternError(f"Unsupported anything-but pattern: {name}")
        excluded = _anything_but_strings(name, inner)
        return lambda item: not (isinstance(item, str) and any(test(item) for test in excluded))
    if isinstance(value, list):
        if any(not (isinstance(item, str) or _is_number(item)) for item in value):
            raise InvalidEventPatternError(
                "Inside anything but list, start|null|boolean is not supported."
            )
        strings = all(isinstance(item, str) for item in value)
        if not value or not (strings or all(_is_number(item) for item in value)):
            raise InvalidEventPatternError(
                "Inside anything but list, either all values are number or string, mixed "
                "type is not supported"
            )
        values = list(value)
    elif isinstance(value, str) or _is_number(value):
        values = [value]
    else:
        raise InvalidEventPatternError(
            "Value of anything-but must be an array or single string/number value."
        )
    return lambda item: not any(_same_value(excluded, item) for excluded in values)


def _anything_but_strings(kind: str, value: object) -> list[_ValueTest]:
    """The string tests an ``anything-but`` of ``kind`` excludes."""
    given = value if isinstance(value, list) else [value]
    values = [text for text in given if isinstance(text, str)]
    if not isinstance(value, (list, str)) or len(values) != len(given):
        if kind == "equals-ignore-case":
            reason = (
                "Inside anything-but/equals-ignore-case list, number|start|null|boolean is not "
                "supported."
            )
        elif kind == "wildcard":
            reason = "wildcard match pattern must be a string"
        else:
            reason = "prefix/suffix match pattern must be a string"
        raise InvalidEventPatternError(reason)
    if kind in ("prefix", "suffix") and "" in values:
        raise InvalidEventPatternError("Null prefix/suffix not allowed")
    if kind == "wildcard":
        return [_wildcard(text) for text in values]
    if kind == "equals-ignore-case":
        return [_folded_equal(text) for text in values]
    return [_affix(kind, text) for text in values]


def _folded_equal(text: str) -> _ValueTest:
    folded = text.casefold()
    return lambda item: isinstance(item, str) and item.casefold() == folded


class EventPattern:
    """A compiled EventBridge event pattern: ``EventPattern(pattern).matches(event)``.

    ``pattern`` is a mapping or its JSON text (as PutRule's EventPattern takes it).
    """

    __slots__ = ("_root", "text")

    def __init__(self, pattern: Mapping[str, Any] | str) -> None:
        if isinstance(pattern, str):
            try:
                pattern = json.loads(pattern)
            except ValueError as exc:
                raise InvalidEventPatternError(f"the pattern is not JSON ({exc})") from None
        if not isinstance(pattern, Mapping):
            raise InvalidEventPatternError("Filter is not an object")
        self._root = _compile_object(pattern, False)
        #: The pattern as JSON text, for messages.
        self.text = json.dumps(pattern, separators=(",", ":"), default=repr)

    def matches(self, event: Mapping[str, Any]) -> bool:
        """Whether ``event`` (an EventBridge event as a dict) matches the pattern."""
        return self._root.matches(event)

    def __repr__(self) -> str:
        return f"EventPattern({self.text})"
