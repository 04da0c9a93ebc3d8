"""Identifier generation, seeded per mock so the same test yields the same ids every run."""

from __future__ import annotations

import random

__all__ = ["IdGenerator"]

_UUID_CLEAR = ~((0xF << 76) | (0x3 << 62))
_UUID_SET = (0x4 << 76) | (0x2 << 62)


class IdGenerator:
    """Makes window ids (``mw-`` + 17 lowercase hex) and lowercase v4-shaped UUIDs.

    Real ids are random; a seeded generator keeps that look while making a failing test
    reproducible (the ids in its assertion messages are the same on every run).
    """

    __slots__ = ("_rng",)

    def __init__(self, seed: int | str | None = 0) -> None:
        self._rng = random.Random(seed)

    def window_id(self) -> str:
        return f"mw-{self._rng.getrandbits(68):017x}"

    def uuid(self) -> str:
        # Set the version (4) and variant (10xx) bits, as uuid4 does. This runs once per
        # invocation in a simulation, hence the precomputed masks.
        text = "%032x" % ((self._rng.getrandbits(128) & _UUID_CLEAR) | _UUID_SET)
        return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
