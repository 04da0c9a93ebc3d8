"""What a release promises: one version, a plugin that costs pytest's start nothing, and a
suite that runs against an installed wheel (README.md "Development")."""

from __future__ import annotations

import importlib.metadata

import pytest

import ssm_mw_stub

from .helpers import python_output, source_file


def test_the_version_is_the_installed_metadatas() -> None:
    # Written once (ssm_mw_stub/_version.py); hatchling copies it into the metadata.
    assert ssm_mw_stub.__version__ == importlib.metadata.version("ssm-mw-stub")


def test_a_source_file_missing_beside_the_tests_skips_with_the_reason() -> None:
    # Where the suite runs from a copy of tests/ beside an installed wheel, every test that
    # reads the source tree skips, naming the file; a present file is simply returned.
    assert source_file("tests", "helpers.py").name == "helpers.py"
    with pytest.raises(pytest.skip.Exception, match=r"needs docs/no-such\.md of the source tree"):
        source_file("docs", "no-such.md")


def test_the_plugin_pytest_loads_imports_neither_the_package_nor_botocore() -> None:
    script = (
        "import sys, pytest_ssm_mw_stub\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('ssm_mw_stub', 'botocore',"
        " 'boto3')))\n"
    )
    assert python_output(script) == "[]"


def test_the_plugin_is_the_entry_point_pytest_loads() -> None:
    [entry] = [
        entry for entry in importlib.metadata.entry_points(group="pytest11")
        if entry.name == "ssm_mw_stub"
    ]
    assert entry.value == "pytest_ssm_mw_stub"
