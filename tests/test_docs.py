"""The documentation is backed by code.

* Every ```python block in docs/index.md, docs/model-files.md and docs/{tutorials,how-to,reference,discussion}/*.md runs as
  written (each block on its own, in a fresh namespace and an empty working directory) and prints something.
* Every name listed in a reference page (docs/reference/*.md) exists at the import path of the section it is
  listed under, and when the page gives a signature, its parameter names are the code's, in order.
"""

import importlib
import importlib.util
import inspect
import re
from pathlib import Path

import pytest
from _guards import cpu_guard

DOCS = Path(__file__).resolve().parents[1] / "docs"
PAGES = sorted([DOCS / "index.md", DOCS / "model-files.md"] + [p for sub in ("tutorials", "how-to", "reference", "discussion")
                                      for p in (DOCS / sub).glob("*.md")])
BLOCKS = [(p, k, code) for p in PAGES
          for k, code in enumerate(re.findall(r"```python\n(.*?)```", p.read_text(encoding="utf-8"), re.S))]
REFERENCE = sorted((DOCS / "reference").glob("*.md"))


def _rel(p):
    return str(p.relative_to(DOCS))


def test_docs_layout():
    """The four kinds of documentation are present, each with pages, and the tutorials have code."""
    for sub in ("tutorials", "how-to", "reference", "discussion"):
        assert list((DOCS / sub).glob("*.md")), f"docs/{sub}/ has no pages"
    assert sum(1 for p, _, _ in BLOCKS if "tutorials" in p.parts) >= 4
    assert len(REFERENCE) >= 5


def test_internal_links_resolve():
    """Relative Markdown links between doc pages point at files that exist."""
    broken = []
    for p in PAGES:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", p.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            if not (p.parent / target).resolve().exists():
                broken.append(f"{_rel(p)} -> {target}")
    assert not broken, "broken links: " + "; ".join(broken)


def _has_matplotlib() -> bool:
    try:
        return importlib.util.find_spec("matplotlib") is not None
    except (ImportError, ValueError):
        return False


@pytest.mark.parametrize("page,k,code", BLOCKS, ids=[f"{_rel(p)}#{k}" for p, k, _ in BLOCKS])
def test_python_block_runs(page, k, code, tmp_path, monkeypatch, capsys):
    if "deterrence.plot" in code and not _has_matplotlib():
        pytest.skip("this block draws a figure: it needs matplotlib (pip install 'deterrence[plot]')")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    # the documented examples are meant to be quick: a generous CPU-time guard against a runaway block
    # (not an assertion on the machine's speed)
    with cpu_guard(120.0):
        exec(compile(code, f"{_rel(page)} block {k}", "exec"), {"__name__": "__doc_block__"})
    assert capsys.readouterr().out.strip(), f"{_rel(page)} block {k} prints nothing"


def _reference_entries():
    entries = []
    for page in REFERENCE:
        module = None
        for line in page.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^## `([\w.]+)`", line)
            if m:
                module = m.group(1)
                continue
            m = re.match(r"^\| `([\w.]+)(\((.*)\))?` \|", line)
            if m:
                assert module, f"{_rel(page)}: entry {m.group(1)} before any '## `module`' heading"
                entries.append((page, module, m.group(1), m.group(3)))
    return entries


ENTRIES = _reference_entries()


def test_reference_lists_many_names():
    assert len(ENTRIES) > 150
    modules = {mod for _, mod, _, _ in ENTRIES}
    for pkg in ("deterrence.games", "deterrence.solve", "deterrence.symbolic", "deterrence.analysis",
                "deterrence.io"):
        assert pkg in modules


def _param_names(text):
    """Parameter names of a signature text like ``a, *, b=(1, 2), **kw`` (commas inside brackets ignored)."""
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    return [p.split("=")[0].strip().lstrip("*") for p in parts if p.strip() not in ("", "*")]


@pytest.mark.parametrize("page,module,name,params", ENTRIES,
                         ids=[f"{m}.{n}" for _, m, n, _ in ENTRIES])
def test_reference_name_exists(page, module, name, params):
    obj = importlib.import_module(module)
    for part in name.split("."):
        assert hasattr(obj, part), f"{_rel(page)}: {module}.{name} does not exist ({part!r} missing)"
        obj = inspect.getattr_static(obj, part) if inspect.isclass(obj) else getattr(obj, part)
    if params is None:
        return
    func = obj.__func__ if isinstance(obj, (classmethod, staticmethod)) else obj
    sig = inspect.signature(func)
    actual = [p.name for p in sig.parameters.values() if p.name not in ("self", "cls")]
    assert _param_names(params) == actual, f"{_rel(page)}: {module}.{name} documented as ({params}), code has {sig}"
