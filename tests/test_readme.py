"""The README's examples run and assert what they say."""

from __future__ import annotations

import re

from ssm_mw_stub.answered import BY_API

from .helpers import source_file

README = source_file("README.md")


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.DOTALL)


def test_the_opening_example_runs_and_its_assertion_holds() -> None:
    code = _python_blocks()[0]
    assert "mw.advance(timedelta(days=7))" in code
    namespace: dict[str, object] = {}
    exec(compile(code, str(README), "exec"), namespace)
    assert namespace["execution"]["Status"] == "FAILED"  # type: ignore[index]


def test_the_readme_shows_the_install_and_links_absolutely() -> None:
    # The README is the package index page too, where relative links and images break.
    text = README.read_text()
    assert "\npip install ssm-mw-stub\n" in text
    assert "-p no:ssm_mw_stub" in text
    targets = re.findall(r"\]\(([^)]+)\)", text)
    assert targets
    relative = [target for target in targets if not target.startswith(("https://", "#"))]
    assert relative == []


def test_the_readme_gives_the_two_newcomer_commands() -> None:
    text = README.read_text()
    assert 'pip install -e ".[test]" && python examples/tutorial.py' in text
    assert 'pip install -e ".[test]" && pytest' in text


def _table_of_answered_operations() -> str:
    rows = [
        f"| {api} ({len(names)}) | {', '.join(f'`{name}`' for name in names)} |"
        for api, names in BY_API.items()
    ]
    return "\n".join(["| API | operations answered |", "|---|---|", *rows])


def test_the_table_of_answered_operations_is_the_packages_list() -> None:
    # The list lives in the code (ssm_mw_stub/answered.py); the README, which cannot import
    # it, is checked against it. On a failure the message is the table to paste.
    text = README.read_text()
    table = _table_of_answered_operations()
    found = re.search(r"^\| API \| operations answered \|\n(?:\|.*\|\n)+", text, re.MULTILINE)
    assert found is not None, f"the README has no table of answered operations:\n{table}"
    assert found.group(0).rstrip("\n") == table, f"the README's table should read:\n{table}"


def _run_after_the_opening(marker: str) -> dict[str, object]:
    """Run the README block holding ``marker`` with the opening example's imports."""
    blocks = _python_blocks()
    [code] = [block for block in blocks if marker in block]
    namespace: dict[str, object] = {}
    opening = blocks[0].split("with mock_maintenance_windows")[0]  # its imports
    exec(compile(opening + code, str(README), "exec"), namespace)
    return namespace


def test_the_waiting_example_runs_and_its_assertion_holds() -> None:
    namespace = _run_after_the_opening('get_waiter("command_executed")')
    assert "command_id" in namespace


def test_the_reacting_example_runs_and_its_assertion_holds() -> None:
    namespace = _run_after_the_opening("mw.on_event(")
    assert namespace["pages"] == ["2026-11-24T02:03:00Z"]


def test_the_readme_says_history_is_kept_30_days() -> None:
    # A test that advances a month loses the first executions: users must read it where
    # they read about mw.advance (issue 20).
    text = README.read_text()
    handle = text[text.index("## The handle"):text.index("## Writing task handlers")]
    assert "**History is kept for 30 simulated days**" in handle
