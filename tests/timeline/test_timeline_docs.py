"""docs/timeline.md shows what the code shows: its example prints the text it quotes."""

from __future__ import annotations

import contextlib
import io
import re

from ..helpers import source_file

DOC = source_file("docs", "timeline.md")


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", DOC.read_text(), flags=re.DOTALL)


def test_the_example_prints_the_timeline_the_page_shows() -> None:
    code, printed = _blocks("python")[0], _blocks("text")[0]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    assert out.getvalue() == printed


def test_the_pictures_it_shows_are_there() -> None:
    for name in re.findall(r"\]\((timeline[\w-]*\.png)\)", DOC.read_text()):
        assert (DOC.parent / name).read_bytes().startswith(b"\x89PNG")
