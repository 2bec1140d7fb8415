"""Chain-ganging and buck-passing (models/chain_ganging.toml), against thresholds derived by hand.

Against an ally that waits, committing early gains b*theta*lam - c; against one that commits, b*theta*(1-lam) - c.
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import deterrence as d
from deterrence.analysis.claims import check_claims
from deterrence.analysis.symbolic.thresholds import threshold
from deterrence.solve import enumerate_equilibria

MODEL = d.load_model("chain_ganging")


def pure_equilibria(theta, lam, b, c):
    """Pure equilibria of the 2x2 game by checking every unilateral deviation (written here)."""
    falls = {0: theta, 1: theta * (1 - lam), 2: 0.0}
    def u(mine, other):                      # 1 = early, 0 = wait
        return b * (1 - falls[mine + other]) - c * mine
    return {(a1, a2) for a1 in (1, 0) for a2 in (1, 0)
            if u(a1, a2) >= u(1 - a1, a2) and u(a2, a1) >= u(1 - a2, a1)}


@pytest.mark.parametrize("seed", range(4))
def test_pure_equilibria_match_an_independent_check(seed):
    rng = np.random.default_rng(seed)
    for _ in range(25):
        theta, lam = rng.uniform(0, 1), rng.uniform(0.05, 0.95)
        b, c = rng.uniform(0.5, 2), rng.uniform(0.05, 0.5)
        game = MODEL.at(theta=theta, lam=lam, b=b, c=c)
        found = {tuple(int(round(s[0])) for s in e.strategies) for e in enumerate_equilibria(game, exact=False)
                 if all(max(s) > 1 - 1e-9 for s in e.strategies)}
        assert found == pure_equilibria(theta, lam, b, c)


def test_symbolic_thresholds_are_the_hand_derived_ones():
    th, lam, b, c = sympy.symbols("theta lam b c", positive=True)
    early = threshold(MODEL, ("early", "early"), "theta").values
    wait = threshold(MODEL, ("wait", "wait"), "theta").values
    syms = {s.name: s for s in early[0].free_symbols | wait[0].free_symbols}
    lam_, b_, c_ = syms["lam"], syms["b"], syms["c"]
    assert sympy.simplify(early[0] - c_ / (b_ * (1 - lam_))) == 0
    assert sympy.simplify(wait[0] - c_ / (b_ * lam_)) == 0


@pytest.mark.parametrize("lam, kind", [(0.7, "chicken"), (0.3, "stag hunt")])
def test_between_the_thresholds_the_game_is_chicken_or_stag_hunt(lam, kind):
    b, c = 1.0, 0.2
    lo, hi = sorted((c / (b * lam), c / (b * (1 - lam))))
    theta = (lo + hi) / 2
    eqs = list(enumerate_equilibria(MODEL.at(theta=theta, lam=lam, b=b, c=c), exact=False))
    pure = pure_equilibria(theta, lam, b, c)
    assert len(eqs) == 3                                    # two pure, one mixed
    if kind == "chicken":
        assert pure == {(1, 0), (0, 1)}                     # one ally carries the burden
    else:
        assert pure == {(1, 1), (0, 0)}                     # the allies must coordinate


def test_shipped_claims_hold():
    checks = check_claims(MODEL, samples=60)
    assert {c.claim.id: c.verdict for c in checks} == {
        "offence_dominance_chain_gangs": "holds", "defence_dominance_passes_the_buck": "holds",
        "chain_ganging_rises_with_offence_dominance": "holds"}
