"""Identifier generation, seeded per mock so the same test yields the same ids every run."""

from __future__ import annotations

import random

__all__ = ["IdGenerator", "uuid4_text"]

_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62))
_UUID_SET = (0x4 << 76) | (0x2 << 62)


def uuid4_text(bits: int) -> str:
    """The text of a version-4 UUID made of 128 ``bits``: what
    ``str(uuid.UUID(int=bits, version=4))`` gives, without building a UUID object (this
    runs once per invocation and once per event of a simulation)."""
    text = "%032x" % ((bits & _UUID_CLEAR) | _UUID_SET)
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


class IdGenerator:
    """Makes window ids (``mw-`` + 17 lowercase hex) and lowercase v4-shaped UUIDs.

    Real ids are random; a seeded generator keeps that look while making a failing test
    reproducible (the ids in its assertion messages are the same on every run).
    """

    __slots__ = ("_rng",)

    def __init__(self, seed: int | str | None = 0) -> None:
        self._rng = random.Random(seed)

    def window_id(self) -> str:
        return self.prefixed("mw")

    def prefixed(self, prefix: str) -> str:
        """``{prefix}-`` and 17 lowercase hex digits, as a patch baseline id (``pb-``)."""
        return f"{prefix}-{self._rng.getrandbits(68):017x}"

    def uuid(self) -> str:
        return uuid4_text(self._rng.getrandbits(128))
