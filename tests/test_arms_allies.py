"""Arms and allies: the alliance-stability region (C3) and the arms-versus-allies trade-off (C7)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.optimize import minimize

from deterrence.arms import (alliance_effect, alliance_race, ally_defection, arms_allies_optimum,
                             arms_allies_statics)
from deterrence.dynamics import Richardson
from deterrence.errors import ModelError


# --- C3: alliances in the Richardson race -------------------------------------------------------------

def test_hand_values():
    # S1 = S2 = 1, a = b = 1.2: lambda+ = -1.2 + sqrt(S1*S2); joiner 0.5 -> -1.2 + sqrt(1.5)
    e = alliance_effect(1.0, 1.0, [0.0, 0.2, 0.5], 1.2, 1.2)
    assert np.allclose(e.growth_before, -0.2)
    assert np.allclose(e.growth_after, [-0.2, -1.2 + np.sqrt(1.2), -1.2 + np.sqrt(1.5)])
    assert list(e.verdict) == ["no effect on stability", "keeps the race stable", "sets off a race"]
    assert alliance_effect(2.0, 1.0, 0.5, 1.0, 1.0).verdict == "accelerates a race"


def test_region_against_n_state_system():
    """Random sides with an uninvolved joiner: the closed form against the n-state eigenvalues."""
    rng = np.random.default_rng(3)
    seen = set()
    for _ in range(300):
        m1, m2 = rng.integers(1, 4, size=2)
        k1, k2 = rng.uniform(0, 1, m1), rng.uniform(0, 1, m2)
        kj = rng.uniform(0, 1)
        a, b = rng.uniform(0.2, 2, size=2)
        react = np.concatenate([k1, [kj], k2])
        fat = np.concatenate([np.full(m1, a), [a], np.full(m2, b)])
        before = alliance_race(["A"] * m1 + [None] + ["B"] * m2, react, fat)
        after = alliance_race(["A"] * (m1 + 1) + ["B"] * m2, react, fat)
        eff = alliance_effect(k1.sum(), k2.sum(), kj, a, b)
        assert before.stable() == eff.stable_before
        assert after.stable() == eff.stable_after
        assert np.isclose(before.eigenvalues().real.max(), eff.growth_before)
        assert np.isclose(after.eigenvalues().real.max(), eff.growth_after)
        # and the package's two-state test on the pooled totals
        assert Richardson(k1.sum() + kj, k2.sum(), a, b, 0.0, 0.0).stable() == eff.stable_after
        assert after.pool(["A"] * (m1 + 1) + ["B"] * m2).stable() == eff.stable_after
        seen.add(str(eff.verdict))
    assert {"sets off a race", "accelerates a race", "keeps the race stable"} <= seen


def test_alliance_race_paths():
    """Set off: the totals grow without bound only after the alliance (exact solution)."""
    react, fat = [1.0, 0.5, 1.0], [1.2, 1.2, 1.2]
    before = alliance_race(["A", None, "B"], react, fat, grievance=0.1)
    after = alliance_race(["A", "A", "B"], react, fat, grievance=0.1)
    assert np.allclose(before.solve(400.0, [1.0, 1.0, 1.0]), before.equilibrium())
    assert np.all(after.solve(400.0, [1.0, 1.0, 1.0]) > 1000)


def test_alliance_bad_input():
    with pytest.raises(ModelError, match="fatigue"):
        alliance_race(["A", "B"], 1.0, [-1.0, 1.0])
    with pytest.raises(ModelError, match="sides"):
        alliance_race(["A", "A", None], 1.0, 1.0)
    with pytest.raises(ModelError, match="a = -0.5"):
        alliance_effect(1, 1, 1, -0.5, 1)
    with pytest.raises(ModelError, match="joiner"):
        alliance_effect(1, 1, -1, 1, 1)
    with pytest.raises(ModelError, match="side1"):
        alliance_effect(np.nan, 1, 1, 1, 1)


# --- Morrow's trade-off ---------------------------------------------------------------------------------

def numeric_optimum(theta, rho, c, d, e=None):
    def neg(v):
        x, y, w = v
        z = x + rho * y + (w if e else 0.0)
        return 0.5 * (theta - z) ** 2 + 0.5 * c * x * x + 0.5 * d * y * y + (0.5 * e * w * w if e else 0.0)
    r = minimize(neg, [0.1, 0.1, 0.1], bounds=[(0, None)] * 3, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-12})
    return r.x


@pytest.mark.parametrize("theta,rho,c,d,e", [(1, 0.8, 1, 1, None), (2, 0.3, 0.5, 2, None), (1.5, 0.9, 2, 0.4, 1.0),
                                             (1, 0.0, 1, 1, None), (3, 1.0, 0.2, 5, 3.0)])
def test_optimum_against_numeric(theta, rho, c, d, e):
    opt = arms_allies_optimum(theta, rho, c, d, e if e else np.inf)
    x, y, w = numeric_optimum(theta, rho, c, d, e)
    assert np.allclose([opt.arms, opt.alliance, opt.weaken], [x, y, w if e else 0.0], atol=1e-5)


def test_hand_optimum():
    # theta = 1, rho = 0.8, c = d = 1: H = 1 + 0.64, x = 1/2.64, y = 0.8/2.64
    o = arms_allies_optimum(1.0, 0.8, 1.0, 1.0)
    assert np.isclose(o.arms, 1 / 2.64) and np.isclose(o.alliance, 0.8 / 2.64)
    assert np.isclose(o.security, 1 - 1 / 2.64)


def test_statics_against_finite_differences():
    base = dict(threat=1.3, reliability=0.7, arms_cost=0.8, ally_cost=1.5, weaken_cost=2.0)
    s = arms_allies_statics(**base)
    h = 1e-6

    def diff(key, out):
        hi, lo = dict(base), dict(base)
        hi[key] += h
        lo[key] -= h
        return (getattr(arms_allies_optimum(**hi), out) - getattr(arms_allies_optimum(**lo), out)) / (2 * h)
    assert np.isclose(s["dx/dreliability"], diff("reliability", "arms"), rtol=1e-6)
    assert np.isclose(s["dx/dally_cost"], diff("ally_cost", "arms"), rtol=1e-6)
    assert np.isclose(s["dy/darms_cost"], diff("arms_cost", "alliance"), rtol=1e-6)
    assert s["dx/dreliability"] < 0 < s["dx/dally_cost"] and s["dy/darms_cost"] > 0


def test_defection_buildup_c7():
    rng = np.random.default_rng(7)
    theta, rho = rng.uniform(0.5, 3, 50), rng.uniform(0.05, 1, 50)
    c, d, e = rng.uniform(0.1, 4, 50), rng.uniform(0.1, 4, 50), rng.uniform(0.1, 4, 50)
    dfx = ally_defection(theta, rho, c, d, e)
    assert np.all(dfx.buildup > 0)
    assert np.all(dfx.after.security < dfx.before.security)
    assert np.allclose(dfx.replaced, 1 / (c * (1 + 1 / c + 1 / e)))
    # against independent numeric optima before and after
    for i in range(5):
        xb = numeric_optimum(theta[i], rho[i], c[i], d[i], e[i])[0]
        xa = numeric_optimum(theta[i], 0.0, c[i], d[i], e[i])[0]
        assert np.isclose(dfx.buildup[i], xa - xb, atol=1e-5)
    partial = ally_defection(1.0, 0.9, 2.0, 1.0, reliability_after=0.4)
    assert np.isclose(partial.replaced, 1 / 3)     # 1/(1 + c) without the third option


def test_arms_allies_bad_input():
    with pytest.raises(ModelError, match="reliability"):
        arms_allies_optimum(1, 1.2, 1, 1)
    with pytest.raises(ModelError, match="arms_cost = -1"):
        arms_allies_optimum(1, 0.5, -1, 1)
    with pytest.raises(ModelError, match="weaken_cost"):
        arms_allies_optimum(1, 0.5, 1, 1, 0.0)
    with pytest.raises(ModelError, match="threat"):
        arms_allies_optimum("big", 0.5, 1, 1)
    with pytest.raises(ModelError, match="reliability_after"):
        ally_defection(1, 0.5, 1, 1, reliability_after=0.8)
