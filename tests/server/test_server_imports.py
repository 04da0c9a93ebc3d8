"""The server is imported only when used: the package and the pytest plugin's working half
stay as cheap to import as before (the plugin loads them on a fixture's first use)."""

from __future__ import annotations

import pytest

from ..helpers import python_output


@pytest.mark.parametrize("module", ["ssm_mw_stub", "ssm_mw_stub.pytest_plugin"])
def test_importing_the_package_or_the_plugin_loads_no_server(module: str) -> None:
    script = (
        f"import sys, {module}\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('ssm_mw_stub.server')"
        " or m in ('http.server', 'socketserver'))\n"
        "print(loaded)\n"
    )
    assert python_output(script) == "[]"


def test_connect_loads_the_server_when_called() -> None:
    script = (
        "import sys, ssm_mw_stub\n"
        "try:\n"
        "    ssm_mw_stub.connect('http://127.0.0.1:1')\n"
        "except ConnectionError as exc:\n"
        "    print('ConnectionError', 'ssm_mw_stub.server.remote' in sys.modules)\n"
    )
    assert python_output(script) == "ConnectionError True"
