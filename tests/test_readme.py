"""The README's examples run and assert what they say."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).resolve().parent.parent / "README.md"


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_the_opening_example_runs_and_its_assertion_holds() -> None:
    code = _python_blocks()[0]
    assert "mw.advance(timedelta(days=7))" in code
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)
    assert namespace["execution"]["Status"] == "FAILED"  # type: ignore[index]


def test_the_readme_gives_the_two_newcomer_commands() -> None:
    text = README.read_text()
    assert 'pip install -e ".[test]" && python examples/tutorial.py' in text
    assert 'pip install -e ".[test]" && pytest' in text
