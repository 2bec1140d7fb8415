"""Burden sharing (deterrence.alliances.burden): the closed-form Nash equilibrium against hand derivations, an
independent numeric equilibrium (sequential best responses found by numeric maximisation of the utility itself),
a brute-force search of the contributors' set, the certificate, the claims' verdicts and the errors.

Hand derivations used below (u_i = x_i^(1-a) (g_i + s G_{-i})^a, s = 1 - beta, d = (1-a) s): a contributor plays
g_i = a w_i - d G_{-i}; with k contributors of total income W_C, G = a W_C / (1 + (k-1) d); an ally contributes
iff a w_i > d G.  For beta = 0 every contributor consumes x = (1-a) G / a.
"""

from itertools import combinations

import numpy as np
import pytest
from scipy.optimize import minimize_scalar

from deterrence.alliances import burden_sharing
from deterrence.alliances import burden as burden_module
from deterrence.alliances.burden import best_response_equilibrium, check_burden_claims, deviation_gain
from deterrence.errors import ModelError


def _u(x, z, a):
    return x ** (1 - a) * z ** a


# ---------------------------------------------------------------------- hand-derived cases
def test_one_contributor_by_hand():
    # a = 0.2, w = (10, 5, 1): the richest alone gives G = 0.2*10 = 2, threshold (0.8/0.2)*2 = 8 > 5
    r = burden_sharing([10.0, 5.0, 1.0], 0.2)
    assert np.allclose(r.contributions, [2.0, 0.0, 0.0])
    assert r.n_contributors == 1 and list(r.free_rides) == [False, True, True]
    assert r.optimum == pytest.approx(0.2 * 16)
    assert r.provision_ratio == pytest.approx(2 / 3.2)
    assert r.exploitation == pytest.approx(1 - 10 / 16)


def test_two_contributors_by_hand():
    # a = 0.5, w = (10, 8, 1): contributors consume x = G; G = 0.5*18/1.5 = 6, g = (4, 2, 0)
    r = burden_sharing([10.0, 8.0, 1.0], 0.5)
    assert np.allclose(r.contributions, [4.0, 2.0, 0.0])
    assert r.total == pytest.approx(6.0) and r.threshold == pytest.approx(6.0)
    assert np.allclose(r.shares, [4 / 6, 2 / 6, 0.0])
    assert np.allclose(r.burden, [0.4, 0.25, 0.0])
    assert r.provision_ratio == pytest.approx(6 / 9.5)


def test_joint_product_by_hand():
    # beta = 0.5, a = 0.5: d = 0.25; G = 0.5*18/1.25 = 7.2; g1 = (5 - 1.8)/0.75, g2 = (4 - 1.8)/0.75
    r = burden_sharing([10.0, 8.0, 1.0], 0.5, 0.5)
    assert np.allclose(r.contributions, [3.2 / 0.75, 2.2 / 0.75, 0.0])
    assert r.total == pytest.approx(7.2) and r.threshold == pytest.approx(3.6)
    # beta = 1: a private good, everyone spends the share a of income, no exploitation
    p = burden_sharing([10.0, 8.0, 1.0], 0.5, 1.0)
    assert np.allclose(p.contributions, [5.0, 4.0, 0.5]) and p.exploitation == pytest.approx(0.0)
    assert p.provision_ratio == pytest.approx(1.0)


@pytest.mark.parametrize("n", [2, 3, 7, 20])
@pytest.mark.parametrize("a,beta", [(0.1, 0.0), (0.5, 0.3), (0.9, 0.8)])
def test_identical_allies_ratio(n, a, beta):
    r = burden_sharing(np.full(n, 3.0), a, beta)
    assert r.provision_ratio == pytest.approx(1 / (1 + (n - 1) * (1 - a) * (1 - beta)))
    assert np.all(r.contributes)


# ---------------------------------------------------------------------- independent numeric equilibrium
def _numeric_equilibrium(w, a, beta, sweeps=400):
    """Sequential best responses, each by bounded numeric maximisation of the ally's utility (no formula)."""
    s = 1 - beta
    g = np.zeros_like(w)
    for _ in range(sweeps):
        old = g.copy()
        for i in range(len(w)):
            others = g.sum() - g[i]
            res = minimize_scalar(lambda x: -_u(w[i] - x, x + s * others, a) if x + s * others > 0 else 0.0,
                                  bounds=(0.0, w[i] * (1 - 1e-12)), method="bounded",
                                  options={"xatol": 1e-12 * w[i]})
            # the bounded search never lands exactly on 0: compare with the corner
            g[i] = 0.0 if (s * others > 0 and _u(w[i], s * others, a) >= -res.fun) else res.x
        if np.max(np.abs(g - old)) < 1e-11 * w.max():
            break
    return g


def test_closed_form_matches_numeric_equilibrium():
    rng = np.random.default_rng(7)
    for _ in range(12):
        n = int(rng.integers(2, 6))
        w = rng.lognormal(0, 1, n)
        a = rng.uniform(0.25, 0.8)
        beta = float(rng.choice([0.0, rng.uniform(0, 1)]))
        g = _numeric_equilibrium(w, a, beta)
        r = burden_sharing(w, a, beta)
        assert np.allclose(r.contributions, g, atol=1e-6 * w.max()), (w, a, beta, g, r.contributions)
        assert np.array_equal(r.contributes, g > 1e-7 * w.max())


def test_no_profitable_deviation_on_a_grid():
    rng = np.random.default_rng(3)
    for _ in range(20):
        n = int(rng.integers(2, 8))
        w, a, beta = rng.lognormal(0, 1, n), rng.uniform(0.05, 0.95), rng.uniform(0, 1)
        r = burden_sharing(w, a, beta)
        g, s = r.contributions, 1 - beta
        for i in range(n):
            others = g.sum() - g[i]
            dev = np.linspace(0, w[i], 4001)[:-1]
            z = dev + s * others
            u_dev = np.where(z > 0, _u(w[i] - dev, np.maximum(z, 1e-300), a), 0.0)
            assert u_dev.max() <= _u(w[i] - g[i], g[i] + s * others, a) * (1 + 1e-12)


def test_contributors_set_by_brute_force():
    """Exactly one set C satisfies the equilibrium conditions, and it is the one returned."""
    rng = np.random.default_rng(11)
    for _ in range(40):
        n = int(rng.integers(2, 7))
        w, a, beta = rng.lognormal(0, 1.2, n), rng.uniform(0.05, 0.95), rng.uniform(0, 0.95)
        d = (1 - a) * (1 - beta)
        found = []
        for k in range(1, n + 1):
            for C in combinations(range(n), k):
                G = a * w[list(C)].sum() / (1 + (k - 1) * d)
                inside = all(a * w[i] > d * G for i in C)
                outside = all(a * w[j] <= d * G for j in range(n) if j not in C)
                if inside and outside:
                    found.append(set(C))
        assert len(found) == 1
        assert set(np.flatnonzero(burden_sharing(w, a, beta).contributes)) == found[0]


def test_library_best_response_iteration_agrees():
    rng = np.random.default_rng(5)
    w = rng.lognormal(0, 1, (50, 9))
    a, beta = rng.uniform(0.05, 0.95, 50), rng.uniform(0, 1, 50)
    assert np.allclose(best_response_equilibrium(w, a, beta), burden_sharing(w, a, beta).contributions,
                       atol=1e-9)


def test_batch_equals_pointwise():
    rng = np.random.default_rng(2)
    w = rng.lognormal(0, 1, (4, 3, 5))
    a = rng.uniform(0.1, 0.9, (4, 1))
    beta = rng.uniform(0, 1, 3)
    r = burden_sharing(w, a, beta)
    assert r.total.shape == (4, 3) and r.contributions.shape == (4, 3, 5)
    for i in range(4):
        for j in range(3):
            p = burden_sharing(w[i, j], a[i, 0], beta[j])
            assert np.allclose(r.contributions[i, j], p.contributions)
            assert r.n_contributors[i, j] == p.n_contributors
    assert np.allclose(r.shares.sum(-1), 1.0) and np.all(r.free_rides == ~r.contributes)


def test_certificate_sees_a_non_equilibrium():
    w = np.array([10.0, 8.0, 1.0])
    r = burden_sharing(w, 0.5)
    assert np.all(deviation_gain(w, r.contributions, 0.5) <= 1e-12 * 10)
    wrong = r.contributions + np.array([0.5, 0.0, 0.0])
    gain = deviation_gain(w, wrong, 0.5)
    assert gain[0] > 1e-3 and r.regret <= 1e-9 * 10


# ---------------------------------------------------------------------- claims
def test_claims_hand_examples():
    # under-provision with unequal allies: a rich ally joining two poor ones raises G/G* (2/3 -> 5/6)
    small = burden_sharing([1.0, 1.0], 0.5)
    joined = burden_sharing([1.0, 1.0, 10.0], 0.5)
    assert small.provision_ratio == pytest.approx(2 / 3) and joined.provision_ratio == pytest.approx(5 / 6)
    # neutrality: (10, 8, 1) -> (11, 7, 1) keeps G = 6; (16, 2, 1) drops ally 2 out and G becomes 8
    assert burden_sharing([11.0, 7.0, 1.0], 0.5).total == pytest.approx(6.0)
    assert burden_sharing([16.0, 2.0, 1.0], 0.5).total == pytest.approx(8.0)


def test_deprecated_claim_records_still_work_and_warn():
    with pytest.warns(DeprecationWarning, match="burden_sharing:n=N"):
        BURDEN_CLAIMS = burden_module.BURDEN_CLAIMS
    with pytest.warns(DeprecationWarning, match="check_claims"):
        verdicts = {v.claim.id: v for v in check_burden_claims(samples=40, seed=1)}
    assert set(verdicts) == {c.id for c in BURDEN_CLAIMS}
    for cid in ("under_provision_grows_with_allies", "exploitation_of_the_great_by_the_small", "neutrality",
                "joint_products_weaken_exploitation", "joint_products_reduce_under_provision"):
        assert verdicts[cid].verdict == "holds", (cid, verdicts[cid].counterexample)
    unequal = verdicts["under_provision_grows_with_allies_unequal"]
    assert unequal.verdict == "holds_on_share" and 0 < unequal.share < 1
    cex = unequal.counterexample
    w = np.asarray(cex["incomes"], float)
    before = burden_sharing(w[:-1], cex["a"], cex["beta"])
    after = burden_sharing(w, cex["a"], cex["beta"])
    assert after.provision_ratio > before.provision_ratio
    for c in BURDEN_CLAIMS:
        assert c.source and c.words and c.statement


# ---------------------------------------------------------------------- errors
@pytest.mark.parametrize("kwargs,name", [
    (dict(incomes=[1.0, 2.0], defence_weight=0.0), "defence_weight"),
    (dict(incomes=[1.0, 2.0], defence_weight=1.0), "defence_weight"),
    (dict(incomes=[1.0, 2.0], defence_weight=float("nan")), "defence_weight"),
    (dict(incomes=[1.0, 2.0], private_share=1.5), "private_share"),
    (dict(incomes=[1.0, 2.0], private_share=-0.1), "private_share"),
    (dict(incomes=[1.0, 0.0]), "incomes"),
    (dict(incomes=[1.0, float("inf")]), "incomes"),
    (dict(incomes=[1.0]), "number of allies"),
    (dict(incomes=3.0), "incomes"),
    (dict(incomes=["a", "b"]), "incomes"),
    (dict(incomes=[True, True]), "incomes"),
    (dict(incomes=np.ones((3, 2)), defence_weight=[0.1, 0.2]), "broadcast"),
])
def test_bad_parameters(kwargs, name):
    with pytest.raises(ModelError, match=name):
        burden_sharing(**kwargs)
    with pytest.raises(ModelError, match="samples"), pytest.warns(DeprecationWarning):
        check_burden_claims(samples=0)


def test_samuelson_optimum_numerically():
    """G* = aW: maximise the sum of log-utilities over contributions and private consumption (transfers allowed)
    with a generic optimiser, for pure and joint-product defence; the Nash total falls short of it."""
    from scipy.optimize import minimize

    rng = np.random.default_rng(4)
    for beta in (0.0, 0.4, 0.8):
        w, a = rng.lognormal(0, 0.7, 3), rng.uniform(0.2, 0.7)
        W, s = w.sum(), 1 - beta

        def neg_welfare(v):
            g, x = v[:3], v[3:]
            G = g.sum()
            return -np.sum((1 - a) * np.log(x) + a * np.log(g + s * (G - g)))

        res = minimize(neg_welfare, np.full(6, W / 6), method="SLSQP", bounds=[(1e-9, W)] * 6,
                       constraints=[{"type": "eq", "fun": lambda v: v.sum() - W}],
                       options={"ftol": 1e-14, "maxiter": 1000})
        assert res.success
        r = burden_sharing(w, a, beta)
        assert res.x[:3].sum() == pytest.approx(r.optimum, rel=1e-5)
        assert r.total < r.optimum
