"""The test suite, a package: its modules import shared code relatively (``from ..helpers
import START``), and pytest imports them with ``--import-mode=importlib`` (pyproject.toml).

Why importlib mode: pytest then never puts a directory on ``sys.path`` (the default mode
would put the repository root there, ahead of site-packages, for a ``tests`` package), so
``import ssm_mw_stub`` is always the installed package: the editable install of a checkout,
or a wheel when the suite runs against one, also from inside the checkout. Test modules
need not have unique names, and helpers need no ``sys.path`` inserts.
"""
