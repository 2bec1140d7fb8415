"""Reputation across crises and cohesion (deterrence.alliances.reputation, .cohesion) against brute force and hand derivations."""

import itertools
from math import comb

import numpy as np
import pytest

from deterrence.alliances import collective_defence
from deterrence.alliances.cohesion import cohesion
from deterrence.alliances.reputation import reputation_equilibrium, reputation_threshold
from deterrence.errors import ModelError


def pure_equilibria(pi, d, k, L, v, w):
    """Every pure PBE by enumeration: irresolute action, challenger 1, challenger 2's reply to each history."""
    theta = v / (v + w)
    out = []
    for a, c1, c2n, c2h, c2r in itertools.product("HR", (0, 1), (0, 1), (0, 1), (0, 1)):
        s = 1.0 if a == "H" else 0.0
        mu_h = pi / (pi + (1 - pi) * s)                 # Bayes' rule (the resolute type always honours)
        mu_r = 0.0                                      # only the irresolute type reneges
        # challenger 2 best-responds to its belief after each history
        ok = all((c == 1) == ((1 - m) * v - m * w > 0) for c, m in ((c2n, pi), (c2h, mu_h), (c2r, mu_r)))
        # the irresolute type's payoffs from the challenge node on
        u_h, u_r = -k - d * L * c2h, -d * L * c2r
        ok &= (u_h >= u_r) if a == "H" else (u_r >= u_h)
        p_honour = pi + (1 - pi) * s
        ok &= (c1 == 1) == ((1 - p_honour) * v - p_honour * w > 0)
        if ok:
            out.append((s, c1, c2n, c2h, c2r, mu_h))
    return out


POINTS = [(0.3, 0.8), (0.3, 0.3), (0.6, 0.8), (0.6, 0.3), (0.2, 0.8), (0.1, 0.9), (0.45, 0.95), (0.7, 0.1)]


@pytest.mark.parametrize("pi,d", POINTS)
@pytest.mark.parametrize("k,L,v,w", [(1.0, 2.0, 1.0, 1.0), (0.5, 3.0, 2.0, 1.0), (1.5, 2.0, 1.0, 3.0)])
def test_equilibrium_matches_brute_force(pi, d, k, L, v, w):
    e = reputation_equilibrium(pi, d, honour_cost=k, stake=L, challenger_value=v, challenger_cost=w)
    found = pure_equilibria(pi, d, k, L, v, w)
    theta = v / (v + w)
    if pi < theta and d * L > k:
        # no pure equilibrium; the mixed one by hand: Bayes gives mu_H = theta, challenger 2 indifferent,
        # and z makes the irresolute type indifferent: -k - dLz = -dL
        assert found == []
        sigma = pi * (1 - theta) / ((1 - pi) * theta)
        assert float(e.sigma) == pytest.approx(sigma)
        assert pi / (pi + (1 - pi) * float(e.sigma)) == pytest.approx(theta)
        z = float(e.z_after_honour)
        assert 0 < z < 1 and -k - d * L * z == pytest.approx(-d * L)
        p_h = pi + (1 - pi) * sigma
        c1 = float((1 - p_h) * v - p_h * w > 0)
        assert float(e.P_challenge_1) == c1
        expected2 = c1 * (p_h * z + (1 - p_h)) + (1 - c1) * 1.0
        assert float(e.P_challenge_2) == pytest.approx(expected2)
    else:
        assert len(found) == 1
        s, c1, c2n, c2h, c2r, mu_h = found[0]
        assert float(e.sigma) == s and float(e.P_challenge_1) == c1
        assert float(e.credibility_after_honour) == pytest.approx(mu_h)
        assert float(e.credibility_after_renege) == 0.0
        p_h = pi + (1 - pi) * s
        expected2 = c1 * (p_h * c2h + (1 - p_h) * c2r) + (1 - c1) * c2n
        assert float(e.P_challenge_2) == pytest.approx(expected2)


def test_threshold_hand_derivation():
    # honouring gains dL (deterring challenger 2) at cost k: it pays iff d > k/L
    assert float(reputation_threshold(1.0, 4.0)) == 0.25
    assert np.allclose(reputation_threshold([0.3, 3.0], 2.0), [0.15, 1.5])
    for pi in (0.2, 0.4, 0.7):
        for k, L in ((1.0, 2.0), (0.3, 1.0)):
            below = reputation_equilibrium(pi, k / L - 0.01, honour_cost=k, stake=L)
            above = reputation_equilibrium(pi, k / L + 0.01, honour_cost=k, stake=L)
            assert float(below.sigma) == 0.0 and float(above.sigma) > 0.0


def test_reputation_after_honour_and_renege():
    # prior 0.2, theta 0.5, d above 0.5: mixed; after honour credibility theta, after reneging 0
    e = reputation_equilibrium(0.2, 0.8)
    assert float(e.credibility_after_honour) == pytest.approx(0.5)
    assert float(e.credibility_after_renege) == 0.0
    assert float(e.credibility_crisis1) == pytest.approx(0.4)        # pi/theta
    assert float(e.P_challenge_1) == 1.0
    assert float(e.P_challenge_2) == pytest.approx(0.4 * 0.375 + 0.6)  # z = 1 - 1/(0.8*2)


def test_batch_and_errors():
    e = reputation_equilibrium(np.array([[0.2], [0.6]]), np.array([0.3, 0.8]))
    assert e.sigma.shape == (2, 2)
    for kw, name in (({"prior": 0.0, "discount": 0.5}, "prior"), ({"prior": 0.5, "discount": 1.5}, "discount")):
        with pytest.raises(ModelError, match=name):
            reputation_equilibrium(**kw)
    with pytest.raises(ModelError, match=r"honour_cost must be in \(0"):
        reputation_equilibrium(0.5, 0.5, honour_cost=-1)
    with pytest.raises(ModelError, match="stake"):
        reputation_threshold(1.0, 0.0)


def brute_law(n, omega, pc, po):
    """P(K = k) by enumerating every ally's decision under both regimes."""
    law = np.zeros(n + 1)
    law[n] += omega * pc
    law[0] += omega * (1 - pc)
    for bits in itertools.product((0, 1), repeat=n):
        law[sum(bits)] += (1 - omega) * np.prod([po if b else 1 - po for b in bits])
    return law


@pytest.mark.parametrize("n,need", [(4, 1), (4, 2), (4, 4), (5, 3), (3, 0), (3, 3)])
@pytest.mark.parametrize("omega,pc,po", [(0.0, 0.9, 0.6), (0.4, 0.9, 0.6), (1.0, 0.5, 0.8), (0.7, 0.745, 0.745)])
def test_cohesion_against_enumeration(n, need, omega, pc, po):
    law = brute_law(n, omega, pc, po)
    c = cohesion(omega, n, need, p_common=pc, p_own=po)
    assert float(c.collective_credibility) == pytest.approx(law[need:].sum())
    assert float(c.P_honour) == pytest.approx((law * np.arange(n + 1)).sum() / n)
    tail = sum(comb(n, j) * po ** j * (1 - po) ** (n - j) for j in range(need, n + 1))
    assert float(c.independent_tail) == pytest.approx(tail)


def test_cohesion_equals_common_shock_rho():
    rho = np.linspace(0, 1, 5)
    for need in (1, 3, 6):
        c = cohesion(rho, 6, need, p_common=0.745, p_own=0.745)
        cd = collective_defence([0.745] * 6, rho, target_strength=0, ally_strength=1, challenger_strength=need)
        assert np.allclose(c.collective_credibility, cd.collective_credibility)


def test_claim_region():
    # p = 0.745, N = 8: the shared draw gives 0.745; independent tails P(Bin(8, .745) >= k)
    holds = [bool(cohesion(0.5, 8, k).d_credibility > 0) for k in range(1, 9)]
    with pytest.warns(DeprecationWarning, match="claim_holds"):
        assert [bool(cohesion(0.5, 8, k).claim_holds) for k in range(1, 9)] == holds     # the deprecated name
    tails = [sum(comb(8, j) * 0.745 ** j * 0.255 ** (8 - j) for j in range(k, 9)) for k in range(1, 9)]
    assert holds == [0.745 > t for t in tails]
    assert holds[:5] == [False] * 5 and holds[-2:] == [True, True]    # fails for few needed, holds for nearly all
    # common interests more reliable than divergent ones: honouring rises with overlap
    c = cohesion([0.0, 1.0], 8, 3, p_common=0.95, p_own=0.6)
    assert c.P_honour[1] > c.P_honour[0] and float(c.d_honour[0]) == pytest.approx(0.35)
    with pytest.raises(ModelError, match="overlap"):
        cohesion(1.2, 3, 1)
    with pytest.raises(ModelError, match="n_allies"):
        cohesion(0.5, 0, 1)


@pytest.mark.parametrize("args,match", [
    ((0.5, 8, 9), r"allies_needed .* 0\.\.8, got 9"),         # more allies needed than there are
    ((0.5, 1, 2), r"allies_needed .* 0\.\.1, got 2"),
    ((0.5, 8, -1), r"allies_needed .* 0\.\.8, got -1"),
    ((0.5, 8, 2.0), r"allies_needed .* got 2\.0"),
    ((0.5, 8, True), r"allies_needed"),
    ((0.5, 8.0, 2), r"n_allies .* got 8\.0"),
    ((0.5, -3, 0), r"n_allies"),
    ((float("nan"), 8, 2), r"overlap"),
])
def test_cohesion_refuses_impossible_arguments(args, match):
    with pytest.raises(ModelError, match=match):
        cohesion(*args)


@pytest.mark.parametrize("name,match", [
    ("cohesion:n=8,k=9", r"k .* at most n = 8, got 9"),
    ("cohesion:n=3", r"k .* at most n = 3, got 6"),                 # the default k = 6 does not fit 3 allies
    ("cohesion:n=8,k=0", r"k must be in 1\.\.60"),
    ("cohesion:n=0,k=1", r"n must be in 1\.\.60"),
    ("cohesion:n=61", r"n must be in 1\.\.60"),
    ("cohesion:n=2.5", r"n must be an integer"),
    ("cohesion:q=2", r"unknown argument 'q'"),
])
def test_cohesion_family_refuses_impossible_arguments(name, match):
    from deterrence import load_model
    with pytest.raises(ModelError, match=match):
        load_model(name)
