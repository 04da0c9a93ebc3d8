"""Java semantics the service's constraints are written in: string length counted in
UTF-16 code units, and regular expressions in Java's syntax (the botocore model's patterns
use ``\\p{L}``-style classes that Python's ``re`` does not know)."""

from __future__ import annotations

import re
from functools import cache, lru_cache

__all__ = ["compile_java_pattern", "java_length"]


def java_length(text: str) -> int:
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
