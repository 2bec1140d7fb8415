"""Listing every pure equilibrium at the tie points of a batch (deterrence.analysis.equilibrium_sets): the
batched check of each pure profile at all tie points at once must give exactly what the point-by-point check
gives (the per-point routine `_enumerate_pure`, kept as the reference), on trees with many ties: Snyder's
alliance security dilemma (the Protégé is indifferent wherever the Reluctant Defender's choice does not depend
on provocation), the article5 family at its credibility threshold, and the rudimentary deterrence game."""

from __future__ import annotations

import numpy as np
import pytest

import deterrence as d
from deterrence.analysis.equilibrium_sets import _enumerate_pure, _enumerate_pure_batch, equilibrium_set
from deterrence.analysis.sweep import sweep_points
from deterrence.solve.bayesian import bayesian_backward_induction


def same(a, b):
    (fa, ca), (fb, cb) = a, b
    return ca == cb and len(fa) == len(fb) and all(
        np.array_equal(x[0], y[0]) and np.array_equal(x[1], y[1]) for x, y in zip(fa, fb))


@pytest.mark.parametrize("name, grid", [
    ("snyder_alliance_security_dilemma", {"k": np.linspace(0, 3, 25), "p_resolve": np.linspace(0, 1, 9)}),
    ("snyder_alliance_security_dilemma", {"k": np.linspace(0, 1, 9), "blank_check": np.linspace(0, 1, 7)}),
    ("article5:n=4", {"reliability": np.linspace(0, 1, 21), "correlation": [0.0, 1.0]}),
    ("zagare_kilgour_rudimentary_deterrence", None),
])
def test_batched_tie_listing_equals_the_point_by_point_listing(name, grid):
    model = d.load_model(name)
    if grid is None:          # every parameter at its default, then a few points at once
        grid = {model.parameter_names[0]: np.linspace(*model.parameters[model.parameter_names[0]].domain.bounds, 9)
                if np.isfinite(model.parameters[model.parameter_names[0]].domain.bounds[1]) else [0.0, 1.0]}
    pts = sweep_points(model, grid)
    game = model.evaluate_batch(pts)
    res = bayesian_backward_induction(game)
    ties = np.flatnonzero(~np.asarray(res.unique, bool).reshape(-1))
    every = np.arange(game.batch_size)            # also at points without a tie: the listing is the solver's
    for idx in (ties, every[::3]):
        batch = _enumerate_pure_batch(game, idx, 1e-8)
        assert len(batch) == len(idx)
        for b, got in zip(idx, batch):
            assert same(got, _enumerate_pure(game[b], 1e-8)), (name, b)
    if name.startswith("snyder"):
        assert len(ties) > 0                      # the case the batch is for


def test_equilibrium_set_at_ties_lists_every_equilibrium_the_point_check_finds():
    model = d.load_model("snyder_alliance_security_dilemma")
    pts = sweep_points(model, {"k": np.linspace(0, 0.45, 10), "p_resolve": np.linspace(0, 1, 5)})
    eqs = equilibrium_set(model, pts, "pbe")
    game = model.evaluate_batch(pts)
    for b in range(game.batch_size):
        found, _ = _enumerate_pure(game[b], 1e-8)
        assert eqs.counts[b] == len(found) >= 1
