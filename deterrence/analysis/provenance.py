"""Provenance: what produced a table, a JSON document, a verdict or a figure.

Every output of the package records, beside its data, a :func:`provenance`
dictionary: the package version, the model's name and a hash of its file
(SHA-256 of the bytes read; for a model built in Python, of a canonical text
of its structure), the solution concept, the tolerance, the seed and the grid
or sample.  With these a result can be reproduced, or told apart from one made
by another version or another edit of the model.

:data:`DEFAULT_SEED` is the one seed default of the library (sweeps, claims)
and of the command line.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, Mapping

import numpy as np

__all__ = ["DEFAULT_SEED", "provenance", "model_hash", "package_version", "write_sidecar", "SIDECAR_SUFFIX"]

#: Suffix of the file that holds the provenance of an output whose format has no place for it (CSV, JSON lines).
SIDECAR_SUFFIX = ".provenance.json"

#: Seed used by sampling (Latin hypercubes of sweeps and claim checks) when none is given, here and in the CLI.
DEFAULT_SEED = 0


def package_version() -> str:
    """The version of the running :mod:`deterrence`."""
    from ..version import __version__
    return str(__version__)


def model_hash(model) -> dict:
    """``{"sha256": ..., "of": "file" | "structure"}``: the hash of the model file the model was read from,
    or of a canonical text of its structure (players, parameters, constraints, payoffs, nodes, tags)."""
    meta = getattr(model, "metadata", {}) or {}
    if meta.get("sha256"):
        return {"sha256": meta["sha256"], "of": "file"}
    return {"sha256": hashlib.sha256(_structure_text(model).encode("utf-8")).hexdigest(), "of": "structure"}


def _structure_text(model) -> str:
    doc: dict = {"name": getattr(model, "name", ""), "kind": getattr(model, "kind", ""),
                 "players": list(getattr(model, "players", ()))}
    params = getattr(model, "parameters", None)
    if params is not None:
        doc["parameters"] = [[p.name, str(p.domain), p.default] for p in params.values()]
    doc["constraints"] = [str(c) for c in getattr(model, "constraints", ())]
    if hasattr(model, "structure"):             # a computed model: its parameters, measures and concept
        doc["computed"] = model.structure()
    if hasattr(model, "node_specs"):
        doc["nodes"] = model.node_specs()       # expressions are written by str (json default)
    elif hasattr(model, "payoff_table"):
        doc["payoffs"] = {" ".join(p): [str(e) for e in v] for p, v in model.payoff_table().items()}
    derived = getattr(model, "derived", None)
    if derived is not None:               # computed in Python: named, with what computes them
        doc["derived"] = {"names": list(derived.names), "meaning": derived.meaning}
    if hasattr(model, "outcome_tags"):
        doc["tags"] = {str(k): list(v) for k, v in model.outcome_tags().items()}
    return json.dumps(doc, sort_keys=True, default=str)


def _plain(v):
    if isinstance(v, np.ndarray):
        v = v.reshape(-1)
        if v.size > 8:
            return {"n": int(v.size), "min": float(v.min()), "max": float(v.max())}
        return [float(x) for x in v]
    if isinstance(v, (np.floating, np.integer)):
        return v.item()
    return v


def provenance(model, *, concept: str | None = None, tol: float | None = None, seed: Any = None,
               grid: Mapping | None = None, sample: Mapping | None = None, fixed: Mapping | None = None,
               **extra) -> dict:
    """The provenance record of an output made from *model*.

    Parameters
    ----------
    model : ParametricModel
    concept, tol : optional
        Solution concept and solver tolerance.
    seed : optional
        Seed of any sampling.
    grid : mapping, optional
        ``{parameter: values}`` of a grid (long axes are summarised as ``{n, min, max}``).
    sample : mapping, optional
        Description of a sample (``{"sampler": "latin_hypercube", "n": 200, "names": [...]}``).
    fixed : mapping, optional
        Values of parameters held fixed.
    **extra
        Further entries, kept as given.
    """
    rec = {"package": "deterrence", "version": package_version(), "model": getattr(model, "name", ""),
           "model_hash": model_hash(model)}
    path = (getattr(model, "metadata", {}) or {}).get("path")
    if path:
        rec["model_file"] = path
    if concept is not None:
        rec["concept"] = concept
    if tol is not None:
        rec["tol"] = float(tol)
    if seed is not None:
        rec["seed"] = seed if isinstance(seed, (int, str)) else repr(seed)
    if grid:
        rec["grid"] = {k: _plain(np.asarray(v, float)) for k, v in grid.items()}
    if sample:
        rec["sample"] = {k: _plain(v) for k, v in sample.items()}
    if fixed:
        rec["fixed"] = {k: float(v) for k, v in fixed.items()}
    rec.update(extra)
    return rec


def write_sidecar(path, meta: Mapping) -> str:
    """Write *meta* (with its ``provenance``) as JSON beside the output *path*, atomically, in
    ``path + SIDECAR_SUFFIX``; for formats that have no place for it (CSV, JSON lines).  Returns the path."""
    import os

    from .atomic import atomic_write

    side = os.fspath(path) + SIDECAR_SUFFIX
    with atomic_write(side, "w", encoding="utf-8") as fh:
        json.dump({k: _plain(v) for k, v in dict(meta).items()}, fh, indent=1, default=str)
    return side
