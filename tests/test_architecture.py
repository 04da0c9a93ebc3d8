"""The house rules of docs/architecture.md, checked on the package's source.

- no import cycle between the package's modules, counting every import: at module level,
  inside functions (loaded lazily) and under ``TYPE_CHECKING`` (a cycle a type checker
  follows is still two modules that cannot be read, or split, one without the other);
- no module over 500 lines;
- no use of another module's private member (``other._name``, ``from .m import _name``):
  a module's underscored names are its own, so a change inside one module cannot break
  another (``self._name`` and ``cls._name`` are the object's own and are allowed, also
  when a base class in another module defines them);
- no branch on a task type's name (``== "RUN_COMMAND"``, ``in ("AUTOMATION", ...)``,
  ``case "LAMBDA":``) outside ``task_types/``: everything that depends on a task's type is
  asked of its ``TaskType`` object;
- docs/architecture.md lists every module, and only modules that exist.

The source is read where the package is imported from (a checkout or site-packages).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import ssm_mw_stub

from .helpers import source_file

PACKAGE = "ssm_mw_stub"
ROOT = Path(ssm_mw_stub.__file__).resolve().parent
MAX_LINES = 500
TASK_TYPE_NAMES = frozenset({"RUN_COMMAND", "AUTOMATION", "LAMBDA", "STEP_FUNCTIONS"})
#: Underscored names of other libraries' objects the package reads on purpose, by module:
#: the check goes by name, and these share a name with one of the package's own.
FOREIGN_PRIVATES = {
    # boto3's default Session holds its botocore session as ``_session`` (boto3 has no
    # public accessor); the hook registers on it when boto3 was imported first.
    ("ssm_mw_stub.hook", "_session"),
}


@dataclass(frozen=True)
class Module:
    name: str
    path: Path
    tree: ast.Module

    @property
    def is_package(self) -> bool:
        return self.path.name == "__init__.py"

    @property
    def where(self) -> str:
        return str(self.path.relative_to(ROOT.parent))


@cache
def modules() -> dict[str, Module]:
    """Every module of the package by dotted name (a package by its own name)."""
    found: dict[str, Module] = {}
    for path in sorted(ROOT.rglob("*.py")):
        parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = Module(
            ".".join(parts), path, ast.parse(path.read_text(encoding="utf-8"), str(path))
        )
    return found


def _base(module: Module, level: int, target: str | None) -> str:
    """The absolute name ``from <level dots><target> import ...`` refers to in ``module``."""
    if level == 0:
        return target or ""
    package = module.name.split(".")
    if not module.is_package:
        package.pop()
    package = package[: len(package) - (level - 1)]
    return ".".join(package + ([target] if target else []))


def imports(module: Module) -> Iterator[tuple[str, int]]:
    """``(module name, line)`` of everything ``module`` imports from the package, anywhere
    in its source. ``from package import name`` counts as importing the submodule
    ``package.name`` when there is one, else the package."""
    known = modules()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == PACKAGE:
                    yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = _base(module, node.level, node.module)
            if base.split(".")[0] != PACKAGE:
                continue
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                yield (sub if sub in known else base), node.lineno


def _cycles() -> list[list[str]]:
    """Every strongly connected group of more than one module (or a module importing
    itself), each as a cycle through it, found with Tarjan's algorithm."""
    graph = {
        name: sorted({target for target, _ in imports(module) if target in modules()})
        for name, module in modules().items()
    }
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph[node]:
                groups.append(sorted(group))

    for node in graph:
        if node not in index:
            visit(node)
    return [_path_through(graph, set(group)) for group in groups]


def _path_through(graph: dict[str, list[str]], group: set[str]) -> list[str]:
    """One cycle inside ``group``, as the list of modules along it (first one repeated)."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for target in graph[node]:
            if target == start:
                return [*paths[node], start]
            if target in group and target not in paths:
                paths[target] = [*paths[node], target]
                frontier.append(target)
    raise AssertionError(f"no cycle in {group}")


def _defined_private_names(module: Module) -> set[str]:
    """The underscored names ``module`` defines: module-level names, functions, classes,
    methods, and attributes it assigns (``self._x = ...``, ``obj._x = ...``)."""
    names: set[str] = set()
    for node in ast.walk(module.tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.attr)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return {name for name in names if _private(name)}


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


@cache
def _private_owners() -> dict[str, set[str]]:
    """Which modules define each underscored name."""
    owners: dict[str, set[str]] = {}
    for name, module in modules().items():
        for private in _defined_private_names(module):
            owners.setdefault(private, set()).add(name)
    return owners


def private_uses(module: Module) -> Iterator[str]:
    """Where ``module`` uses an underscored name that another module of the package
    defines and it does not: ``thing._name`` (``thing`` not ``self`` or ``cls``) and
    ``from .other import _name``."""
    own = _defined_private_names(module)
    owners = _private_owners()
    for node in ast.walk(module.tree):
        if isinstance(node, ast.ImportFrom):
            base = _base(module, node.level, node.module)
            if base.split(".")[0] == PACKAGE and base != module.name:
                for alias in node.names:
                    if _private(alias.name):
                        yield f"{module.where}:{node.lineno}: imports {base}.{alias.name}"
        elif isinstance(node, ast.Attribute) and _private(node.attr):
            if isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
                continue
            if isinstance(node.value, ast.Call) and isinstance(node.value.func, ast.Name) and (
                node.value.func.id == "super"
            ):
                continue
            others = owners.get(node.attr, set()) - {module.name}
            if others and node.attr not in own and (module.name, node.attr) not in (
                FOREIGN_PRIVATES
            ):
                yield (
                    f"{module.where}:{node.lineno}: uses {ast.unparse(node)} "
                    f"({node.attr} is defined in {', '.join(sorted(others))})"
                )


def _names_a_task_type(node: ast.AST) -> bool:
    if isinstance(node, ast.Constant):
        return node.value in TASK_TYPE_NAMES
    if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
        return any(_names_a_task_type(element) for element in node.elts)
    return False


def task_type_branches(module: Module) -> Iterator[str]:
    """Comparisons with a task type's name, and ``case`` patterns matching one."""
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Compare):
            if any(_names_a_task_type(side) for side in [node.left, *node.comparators]):
                yield f"{module.where}:{node.lineno}: {ast.unparse(node)}"
        elif isinstance(node, ast.MatchValue) and _names_a_task_type(node.value):
            yield f"{module.where}:{node.lineno}: case {ast.unparse(node.value)}"


def documented_modules() -> set[str]:
    """The modules docs/architecture.md's "The rooms" block names, as paths: a line that
    starts with a name ending in ``/`` opens a folder, one ending in ``.py`` is a module of
    the folders it is indented under; other lines continue a description."""
    text = source_file("docs", "architecture.md").read_text(encoding="utf-8")
    block = text.split("## The rooms", 1)[1]
    block = block.split("```", 2)[1]
    folders: list[tuple[int, str]] = []
    found: set[str] = set()
    for line in block.splitlines():
        match = re.match(r"( *)(\S+)", line)
        if match is None or not match.group(2).endswith(("/", ".py")):
            continue
        indent, name = len(match.group(1)), match.group(2)
        while folders and folders[-1][0] >= indent:
            folders.pop()
        if name.endswith("/"):
            folders.append((indent, name.rstrip("/")))
        else:
            found.add("/".join([folder for _, folder in folders] + [name]))
    return found


# --- the tests ----------------------------------------------------------------------------


def test_the_package_has_no_import_cycle() -> None:
    cycles = [" -> ".join(cycle) for cycle in _cycles()]
    assert not cycles, "import cycles (every import counted):\n" + "\n".join(cycles)


def test_no_module_is_over_500_lines() -> None:
    long = {
        module.where: count
        for module in modules().values()
        if (count := len(module.path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"modules over {MAX_LINES} lines: {long}"


def test_no_module_uses_another_modules_private_members() -> None:
    uses = [use for module in modules().values() for use in private_uses(module)]
    assert not uses, "private members used across modules:\n" + "\n".join(uses)


def test_only_task_types_branch_on_a_task_types_name() -> None:
    branches = [
        branch
        for name, module in modules().items()
        if not name.startswith(f"{PACKAGE}.task_types")
        for branch in task_type_branches(module)
    ]
    assert not branches, "branches on a task type's name outside task_types/:\n" + "\n".join(
        branches
    )


def test_the_architecture_page_lists_every_module() -> None:
    modules_ = {module.where for module in modules().values()}
    documented = documented_modules()
    assert not modules_ - documented, f"not in docs/architecture.md: {modules_ - documented}"
    assert not documented - modules_, f"no such module: {documented - modules_}"


# --- the checks catch what they are for ---------------------------------------------------


def _module(name: str, source: str) -> Module:
    path = ROOT / (name.removeprefix(f"{PACKAGE}.").replace(".", "/") + ".py")
    return Module(name, path, ast.parse(source))


def test_the_checks_see_lazy_and_type_checking_imports() -> None:
    module = _module(
        f"{PACKAGE}.mock",
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from .timeline import Timeline\n"
        "def f():\n    from . import hook\n    from .engine.outcomes import Handler\n",
    )
    assert {name for name, _ in imports(module)} == {
        f"{PACKAGE}.timeline", f"{PACKAGE}.hook", f"{PACKAGE}.engine.outcomes",
    }


def test_the_checks_see_private_uses_and_task_type_branches() -> None:
    module = _module(
        f"{PACKAGE}.example",
        "from .mock import _active\n"
        "def f(mock, kind):\n"
        "    mock._require()\n    self._mine()\n"
        "    if kind == 'RUN_COMMAND' or kind in ('LAMBDA',):\n        pass\n"
        "    match kind:\n        case 'AUTOMATION':\n            pass\n",
    )
    uses = list(private_uses(module))
    assert len(uses) == 2
    assert "imports ssm_mw_stub.mock._active" in uses[0]
    assert "mock._require" in uses[1]
    assert len(list(task_type_branches(module))) == 3

