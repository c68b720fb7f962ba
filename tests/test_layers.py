"""The import rule of ``docs/architecture.md``, as a test.

The subpackages form layers, bottom to top: ``scenario``, ``analysis``, ``sim``,
``experiments``, ``fit``, ``views``, ``cli``. A module imports only from its own
layer and the layers below it; every layer may import ``huntsim.errors`` and
``huntsim.outputs``, which import nothing of huntsim. The one exception: a result
may render itself by importing a view inside ``__repr__``, ``_repr_html_``,
``report()`` or ``plot()``. No module imports another that imports it back: a
circle is a loop of imports that run (module level or inside a function; an
import under ``TYPE_CHECKING`` only names types and never runs, and the render
exception is not counted), and a subpackage's ``__init__.py`` imports nothing of
huntsim when it runs.

The walk reads the source with :mod:`ast`; nothing is imported. A failure names
file and line. A last test holds the sizes: no module over 700 lines, no class
over 500, no function over 120.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "huntsim"
LAYERS = ("scenario", "analysis", "sim", "experiments", "fit", "views", "cli")
SHARED = ("errors", "outputs")
RENDERERS = frozenset({"__repr__", "_repr_html_", "report", "plot"})


@dataclass(frozen=True)
class Import:
    """One import of a huntsim module: where it is written and what it names."""

    source: str       # importing module, dotted ("huntsim.sim.engine")
    target: str       # imported module, dotted
    path: Path
    line: int
    function: str | None       # innermost enclosing function, None at module level
    type_checking: bool        # under ``if TYPE_CHECKING:``

    def where(self, root: Path) -> str:
        return f"{self.path.relative_to(root.parent)}:{self.line}"


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(node: ast.ImportFrom, source: str, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = source.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _known(name: str, modules: set[str]) -> str | None:
    """The longest known module that ``name`` is or lies in (``a.b.c`` -> ``a.b``)."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


class _Walker(ast.NodeVisitor):
    def __init__(self, path: Path, source: str, is_package: bool, modules: set[str]) -> None:
        self.path, self.source, self.is_package, self.modules = path, source, is_package, modules
        self.functions: list[str] = []
        self.type_checking = 0
        self.found: list[Import] = []

    def _add(self, names: list[str], line: int) -> None:
        for name in names:
            target = _known(name, self.modules)
            if target and name.split(".")[0] == "huntsim":
                self.found.append(Import(self.source, target, self.path, line,
                                         self.functions[-1] if self.functions else None,
                                         self.type_checking > 0))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.functions.append(node.name)
        self.generic_visit(node)
        self.functions.pop()

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self.visit_FunctionDef(node)

    def visit_If(self, node: ast.If) -> None:
        test = node.test
        guarded = (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")
        self.type_checking += guarded
        for child in node.body:
            self.visit(child)
        self.type_checking -= guarded
        for child in node.orelse:
            self.visit(child)

    def visit_Import(self, node: ast.Import) -> None:
        self._add([alias.name for alias in node.names], node.lineno)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = _resolve(node, self.source, self.is_package)
        # "from huntsim.scenario import units" names a module; "... import Scenario" does not
        self._add([f"{base}.{alias.name}" if f"{base}.{alias.name}" in self.modules else base
                   for alias in node.names], node.lineno)


def imports(root: Path) -> list[Import]:
    """Every import of a module of the package at ``root``, with its place."""
    paths = sorted(root.rglob("*.py"))
    modules = {module_name(path, root) for path in paths}
    found: list[Import] = []
    for path in paths:
        walker = _Walker(path, module_name(path, root), path.name == "__init__.py", modules)
        walker.visit(ast.parse(path.read_text(encoding="utf-8"), str(path)))
        found += walker.found
    return found


def layer(module: str) -> str | None:
    """The layer a module belongs to: a subpackage, ``shared`` or ``top`` (``__init__``...)."""
    parts = module.split(".")
    if len(parts) == 1:
        return "top"
    if parts[1] in LAYERS:
        return parts[1]
    if parts[1] in SHARED:
        return "shared"
    return "top"


def rank(module: str) -> int:
    name = layer(module)
    if name == "shared":
        return -1
    if name == "top":
        return len(LAYERS)
    assert name is not None
    return LAYERS.index(name)


def renders(found: Import) -> bool:
    """A result importing its view inside a rendering method (the written exception)."""
    return found.function in RENDERERS and layer(found.target) == "views"


def violations(root: Path) -> list[str]:
    """Every import against the rule, as ``file:line: what is wrong``."""
    problems: list[str] = []
    found = imports(root)
    for item in found:
        src, dst = rank(item.source), rank(item.target)
        if layer(item.source) == "shared" and layer(item.target) != "shared":
            problems.append(f"{item.where(root)}: {item.source} (shared by every layer) imports "
                            f"{item.target}")
        elif dst > src and not renders(item):
            problems.append(f"{item.where(root)}: {item.source} ({layer(item.source)}) imports "
                            f"{item.target} ({layer(item.target)}), a higher layer")
        if (item.path.name == "__init__.py" and layer(item.source) not in ("top", None)
                and item.function is None and not item.type_checking):
            problems.append(f"{item.where(root)}: {item.source}/__init__.py imports "
                            f"{item.target} when it runs (keep subpackage faces lazy)")
    problems += circles(found, root)
    return problems


def circles(found: list[Import], root: Path) -> list[str]:
    """Each module that imports another which leads back to it, with the import that closes it."""
    edges: dict[str, dict[str, Import]] = {}
    for item in found:
        if not renders(item) and not item.type_checking and item.source != item.target:
            edges.setdefault(item.source, {}).setdefault(item.target, item)
    problems: list[str] = []
    for start, targets in sorted(edges.items()):
        for target, item in sorted(targets.items()):
            path = _path(edges, target, start)
            if path is not None:
                loop = " -> ".join([start, *path])
                problems.append(f"{item.where(root)}: import circle {loop}")
    return problems


def _path(edges: dict[str, dict[str, Import]], start: str, goal: str) -> list[str] | None:
    """A chain of imports from ``start`` to ``goal`` (breadth first), or None."""
    seen, frontier = {start: [start]}, [start]
    while frontier:
        nxt = []
        for module in frontier:
            for target in sorted(edges.get(module, {})):
                if target == goal:
                    return [*seen[module], goal]
                if target not in seen:
                    seen[target] = [*seen[module], target]
                    nxt.append(target)
        frontier = nxt
    return None


def test_the_package_keeps_the_rule() -> None:
    problems = violations(PACKAGE)
    assert not problems, "imports against the layer rule:\n" + "\n".join(problems)


def test_every_module_lies_in_a_layer() -> None:
    loose = [module_name(path, PACKAGE) for path in PACKAGE.glob("*.py")
             if path.stem not in {"__init__", "__main__", *SHARED}]
    assert not loose, f"modules outside the layers: {loose}"


def _plant(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "huntsim"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


BASE = {
    "__init__.py": "",
    "errors.py": "",
    "scenario/__init__.py": '"""Scenario."""\n',
    "scenario/model.py": "from huntsim.errors import ScenarioError\n",
    "sim/__init__.py": "",
    "sim/engine.py": "from huntsim.scenario.model import Scenario\n",
    "views/__init__.py": "",
    "views/display.py": ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
                         "    from huntsim.sim.engine import Result\n"),
}


def test_a_clean_planted_package_passes(tmp_path: Path) -> None:
    result = dict(BASE)
    result["sim/result.py"] = ("class Result:\n    def __repr__(self):\n"
                               "        from huntsim.views.display import text\n")
    assert violations(_plant(tmp_path, result)) == []


@pytest.mark.parametrize(("name", "text", "expected"), [
    ("scenario/units.py", "import os\n\nfrom huntsim.sim.engine import run\n",
     "huntsim/scenario/units.py:3: huntsim.scenario.units (scenario) imports huntsim.sim.engine"),
    ("scenario/units.py", "def f():\n    from huntsim.views import display\n",
     "huntsim/scenario/units.py:2: huntsim.scenario.units (scenario) imports "
     "huntsim.views.display"),
    ("errors.py", "from huntsim.scenario.model import Scenario\n",
     "huntsim/errors.py:1: huntsim.errors (shared by every layer) imports huntsim.scenario.model"),
    ("scenario/__init__.py", "from huntsim.scenario.model import Scenario\n",
     "huntsim/scenario/__init__.py:1: huntsim.scenario/__init__.py imports"),
    ("sim/clock.py", "from huntsim.sim.engine import x\n",
     "import circle"),
])
def test_a_planted_violation_fails_naming_file_and_line(tmp_path: Path, name: str, text: str,
                                                        expected: str) -> None:
    files = dict(BASE)
    files[name] = text
    if expected == "import circle":
        files["sim/engine.py"] += "from huntsim.sim.clock import y\n"
    problems = violations(_plant(tmp_path, files))
    assert any(expected in problem for problem in problems), problems


MOST_LINES = {"module": 700, "class": 500, "function": 120}
"""The sizes a module, a class and a function may not pass (issue 18's house)."""


def sizes(root: Path) -> list[tuple[str, str, int]]:
    """``(kind, where, lines)`` of every module, class and function under ``root``."""
    found = []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(root.parent))
        found.append(("module", where, len(text.splitlines())))
        for node in ast.walk(ast.parse(text, where)):
            if isinstance(node, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                kind = "class" if isinstance(node, ast.ClassDef) else "function"
                lines = (node.end_lineno or node.lineno) - node.lineno + 1
                found.append((kind, f"{where}:{node.lineno} {node.name}", lines))
    return found


def test_no_module_class_or_function_grows_past_its_size() -> None:
    too_big = [f"{where}: {kind} of {lines} lines (at most {MOST_LINES[kind]})"
               for kind, where, lines in sizes(PACKAGE) if lines > MOST_LINES[kind]]
    assert not too_big, "\n".join(too_big)


def test_a_planted_long_function_is_named(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MOST_LINES["function"]))
    root = _plant(tmp_path, {**BASE, "sim/long.py": "def long():\n" + body})
    assert [(kind, where) for kind, where, lines in sizes(root)
            if lines > MOST_LINES[kind]] == [("function", "huntsim/sim/long.py:1 long")]
