"""Measures equilibrium by equilibrium: one row per (parameter point, equilibrium).

A sweep reports each measure per point as a range over the point's
equilibria (``M[min]``, ``M[max]``).  :func:`equilibrium_table` gives the
long form behind that range: every listed equilibrium of every point on its
own row, with its measures, so that no equilibrium is summarised away.
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np

from .equilibrium_sets import equilibrium_set
from .measures import evaluate_measure, resolve_measures
from .table import ResultTable

__all__ = ["equilibrium_table"]


def equilibrium_table(model, grid: Mapping[str, Any] | None = None, *, samples: int | None = None, seed=None,
                      fixed: Mapping[str, Any] | None = None, concept: str = "auto", measures=None,
                      tol: float = 1e-8) -> ResultTable:
    """Every equilibrium at every point of a grid or a sample, with the measures of each.

    Parameters
    ----------
    model : ParametricModel
    grid, samples, seed, fixed :
        The points, as in :func:`~deterrence.analysis.sweep.sweep` (a grid, or a Latin-hypercube
        sample of *samples* points; *seed* None means
        :data:`~deterrence.analysis.provenance.DEFAULT_SEED`).
    concept : str
        As in :func:`~deterrence.analysis.sweep.sweep` (``"auto"``: the registry's default).
    measures : list, optional
        Names of ``model.measures`` or :class:`~deterrence.analysis.measures.Measure` objects
        (default: every measure of the model).

    Returns
    -------
    ResultTable
        Columns: every parameter, ``point`` (index of the parameter point), ``equilibrium``
        (its index at that point), ``pure``, ``complete`` (the point's listing holds every
        equilibrium of the concept's kind), then one column per measure; ``meta`` holds the
        provenance and the measures' meanings and units.
    """
    from .provenance import DEFAULT_SEED, provenance
    from .sweep import default_concept, parse_axis, sweep_points

    ms = resolve_measures(model, measures)
    if concept == "auto":
        concept = default_concept(model)
    if seed is None:
        seed = DEFAULT_SEED
    pts = sweep_points(model, grid, samples=samples, seed=seed, fixed=fixed)
    model.point(pts)
    eqs = equilibrium_set(model, pts, concept, tol=tol)
    gi = eqs.game_index
    counts = eqs.counts
    first = np.cumsum(counts) - counts
    cols = {k: np.asarray(v, float)[gi] for k, v in pts.items()}
    cols["point"] = gi
    cols["equilibrium"] = np.arange(len(gi)) - first[gi]
    cols["pure"] = np.asarray(eqs.pure, bool) if eqs.pure is not None else np.zeros(len(gi), bool)
    cols["complete"] = np.asarray(eqs.complete, bool)[gi]
    for m in ms:
        cols[m.name] = evaluate_measure(m, model, eqs, pts)
    prov = provenance(model, concept=concept, tol=tol, seed=seed if samples else None,
                      grid=None if samples else {k: parse_axis(v) for k, v in (grid or {}).items()},
                      sample={"sampler": "latin_hypercube", "n": int(samples)} if samples else None,
                      fixed=dict(fixed) if fixed else None)
    meta = {"model": model.name, "concept": concept, "listing": eqs.description, "points": eqs.n_points,
            "equilibria": int(len(gi)), "provenance": prov,
            "measures": {m.name: {"meaning": m.meaning, "unit": m.unit, "expr": str(m.expr)} for m in ms}}
    return ResultTable(cols, meta)
