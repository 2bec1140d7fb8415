"""Floors: imports go downward only, no import cycles, no private names across modules.

The package is layered (docs/discussion/architecture.md, ../DESIGN.md):

    errors -> symbolic -> games -> solve -> dynamics, networks -> analysis
    -> domain families (alliances/, arms/, crisis/, ...) -> cases/
    -> io -> library -> plot -> cli

A module may import from its own floor or any floor below, never above.  The
scan reads every module's source with :mod:`ast` (imports inside functions
included: a lazy import still couples the two modules) and skips only
``if TYPE_CHECKING:`` blocks.  Domain families do not import each other, and
nothing but the command line imports ``cases/``.

A name with a leading underscore is private to its module: importing it from
another module couples the two through an internal that may change without
notice.  Shared kernels get a public name one floor down instead.

Known violations that another change is fixing are listed in ``ALLOWED`` with
their owner; the goal is an empty list.
"""

from __future__ import annotations

import ast
from pathlib import Path


PKG = Path(__file__).resolve().parents[1] / "deterrence"

#: Floor of each top-level part of the package (higher floors may import lower ones).
FLOORS = {"errors": 0, "version": 0, "deprecation": 0, "symbolic": 1, "games": 2, "solve": 3, "dynamics": 4, "networks": 4, "analysis": 5,
          "cases": 7, "io": 8, "library": 9, "plot": 10, "cli": 11, "cli_cases": 11, "cli_dynamics": 11, "cli_computed": 11, "__main__": 11, "__init__": 12}
#: Any other top-level subpackage is a domain family (alliances/, arms/, crisis/, ...).
FAMILY_FLOOR = 6

#: Known violations being fixed elsewhere: (kind, importer, imported or name) -> owner.
ALLOWED: dict = {}


def _modules() -> dict:
    """``{dotted module name: path}`` for every module of the package."""
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        rel = p.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _is_package(mod: str) -> bool:
    return MODULES[mod].name == "__init__.py"


def _floor(mod: str) -> tuple:
    """``(floor, part)`` of a module: the floor of its top-level part under ``deterrence``."""
    parts = mod.split(".")
    if len(parts) == 1:
        return FLOORS["__init__"], "__init__"
    top = parts[1]
    return FLOORS.get(top, FAMILY_FLOOR), top


def _resolve(mod: str, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    base = mod.split(".") if _is_package(mod) else mod.split(".")[:-1]
    base = base[:len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _type_checking_blocks(tree) -> set:
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            for sub in node.body:
                skip.update(id(n) for n in ast.walk(sub))
    return skip


def _imports(mod: str) -> list:
    """``(imported module, name or None, line)`` for every import in *mod* inside the package."""
    tree = ast.parse(MODULES[mod].read_text(encoding="utf-8"))
    skip = _type_checking_blocks(tree)
    out = []
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for a in node.names:
                if a.name.split(".")[0] == "deterrence":
                    out.append((a.name, None, node.lineno))
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(mod, node)
            if target.split(".")[0] != "deterrence":
                continue
            for a in node.names:
                sub = f"{target}.{a.name}"
                if sub in MODULES:
                    out.append((sub, None, node.lineno))
                else:
                    out.append((target, a.name, node.lineno))
    return out


GRAPH = {mod: _imports(mod) for mod in MODULES}


def _violations_upward() -> set:
    found = set()
    for mod, imps in GRAPH.items():
        f_from, top_from = _floor(mod)
        for target, _, _ in imps:
            if target not in MODULES:
                continue
            f_to, top_to = _floor(target)
            if f_to > f_from:
                found.add(("upward", mod, target))
            elif f_from == f_to == FAMILY_FLOOR and top_from != top_to:
                found.add(("family", mod, target))
            elif top_to == "cases" and top_from != "cases" and FLOORS.get(top_from, FAMILY_FLOOR) < FLOORS["cli"]:
                found.add(("cases", mod, target))
    return found


def _cycles() -> set:
    """Strongly connected components with more than one module (Tarjan), as sorted tuples."""
    edges = {m: sorted({t for t, _, _ in imps if t in MODULES and t != m}) for m, imps in GRAPH.items()}
    index, low, stack, on, comps = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                comps.append(tuple(sorted(comp)))

    for v in edges:
        if v not in index:
            visit(v)
    return {("cycle",) + c for c in comps}


def _private_imports() -> set:
    found = set()
    for mod, imps in GRAPH.items():
        for target, name, _ in imps:
            if name is not None and name.startswith("_") and not name.startswith("__") and target != mod:
                found.add(("private", mod, f"{target}.{name}"))
            elif name is None and target.split(".")[-1].startswith("_") and not target.endswith("__main__"):
                parent = target.rsplit(".", 1)[0]
                if not mod.startswith(parent + ".") and mod != parent:
                    found.add(("private", mod, target))
    return found


def _check(found: set, kind: str):
    allowed = {k for k in ALLOWED if k[0] == kind}
    new = sorted(found - allowed)
    assert not new, f"{kind} imports: " + "; ".join(" -> ".join(v[1:]) for v in new)
    fixed = sorted(allowed - found)
    assert not fixed, "fixed, remove from ALLOWED: " + "; ".join(" -> ".join(v[1:]) for v in fixed)


def test_every_module_has_a_floor():
    tops = {m.split(".")[1] for m in MODULES if "." in m}
    assert {"errors", "symbolic", "games", "solve", "analysis", "io", "plot", "cli"} <= tops


def test_imports_go_downward_only():
    found = _violations_upward()
    _check({v for v in found if v[0] == "upward"}, "upward")
    _check({v for v in found if v[0] == "family"}, "family")
    _check({v for v in found if v[0] == "cases"}, "cases")


def test_no_import_cycles():
    _check(_cycles(), "cycle")


def test_no_private_names_across_modules():
    _check(_private_imports(), "private")


def test_allow_list_names_an_owner():
    for key, owner in ALLOWED.items():
        assert isinstance(owner, str) and owner, key


# ---------------------------------------------------------------------- the scan itself
def test_scan_sees_a_lazy_upward_import(tmp_path, monkeypatch):
    """The scanner reports an import inside a function and resolves relative imports."""
    src = "def f():\n    from ..analysis import sweep\n    from .spe import _x\n"
    tree = ast.parse(src)
    node = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert _resolve("deterrence.solve.pure", node[0]) == "deterrence.analysis"
    assert _resolve("deterrence.solve", node[1]) == "deterrence.solve.spe"
    assert _floor("deterrence.analysis.sweep")[0] > _floor("deterrence.solve.pure")[0]
    assert _floor("deterrence.crisis.zagare")[0] == FAMILY_FLOOR
