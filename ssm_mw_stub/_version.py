"""The package's version, written here only: hatchling reads it for the metadata
(pyproject.toml's ``[tool.hatch.version]``) and the package re-exports it."""

__version__ = "0.1.0"
