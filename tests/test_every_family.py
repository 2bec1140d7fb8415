"""Every domain model cites its source, as Axelrod checks every strategy against its classifier.

One parametrized walk over every module of the domain families (``alliances/``, ``arms/``), the
network and dynamics layers and the documented cases, and over every shipped model and network
file: each states its source (an author and a year) and, for model files, what it is.  The
behaviour of each model is checked by its own test file; the walk over measures in [0, 1] and
claims of every shipped model file is in tests/test_measures.py and tests/test_claims.py.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import deterrence
from deterrence.library import list_networks, load_network

PKG = Path(deterrence.__file__).resolve().parent
#: Modules that carry machinery, not a model (data structures, input checks, an export): they are exempt.
MACHINERY = {"checks.py": "input checks of the dynamics layer", "graph.py": "networkx export",
             "record.py": "a network file's content", "network.py": "the network data structure"}
FAMILY_MODULES = sorted(p for part in ("alliances", "arms", "networks", "dynamics", "cases")
                        for p in (PKG / part).glob("*.py") if p.name != "__init__.py" and p.name not in MACHINERY)
#: "Snyder (1984)", "Snyder, G. H. (1984)", "Leeds, Long and Mitchell 2000", "Richardson, Arms and Insecurity, 1960"
CITATION = re.compile(r"[A-Z][A-Za-z'\-]+[\s\S]{0,80}?\(?(1[89]\d\d|20[0-2]\d)\)?")


def _docstring(path: Path) -> str:
    return ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""


def test_the_walk_sees_the_families():
    names = {p.parent.name for p in FAMILY_MODULES}
    assert {"alliances", "arms", "networks", "dynamics", "cases"} <= names


@pytest.mark.parametrize("path", FAMILY_MODULES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_family_module_states_its_model_and_source(path):
    doc = _docstring(path)
    assert len(doc) > 80, f"{path.name}: the module docstring should state the model"
    # modules that only carry machinery (a file format, a registry, a figure) cite the model they serve
    assert CITATION.search(doc), f"{path.name}: cite a source (author, year)"


@pytest.mark.parametrize("name", deterrence.list_models())
def test_every_model_file_cites_its_source(name):
    m = deterrence.load_model(name)
    source = getattr(m, "source", "") or ""
    assert CITATION.search(source), f"{name}: the model's source should name an author and a year"
    assert (getattr(m, "description", "") or "").strip(), f"{name}: describe the game form"


@pytest.mark.parametrize("name", list_networks())
def test_every_network_cites_its_sources(name):
    net = load_network(name).network
    assert net.source and net.notes, f"{name}: a network states its sources and what is stylized"
    for c in net.commitments:
        assert c.source, f"{name}: commitment {c.id} has no source"
        assert c.terms, f"{name}: commitment {c.id} does not state its terms"
