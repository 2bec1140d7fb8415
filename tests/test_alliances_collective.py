"""Collective defence with N guarantors and the guarantors' volunteer's dilemma.

Independent checks: brute force over the 2**N honour patterns, a Monte Carlo of the common-shock
model written here, Diekmann's (1985) closed form, and the engine's n-player solver on small N.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.alliances import coalition_distribution, collective_defence, guarantors_game, volunteer_equilibrium
from deterrence.alliances.article5 import LEEDS_RELIABILITY
from deterrence.errors import ModelError
from deterrence.solve import enumerate_nplayer


def brute_independent(p):
    """P(K = k) by summing the 2**N honour patterns."""
    out = np.zeros(len(p) + 1)
    for pattern in itertools.product((0, 1), repeat=len(p)):
        w = math.prod(pi if x else 1 - pi for pi, x in zip(p, pattern))
        out[sum(pattern)] += w
    return out


def simulate(p, rho, draws, rng):
    """The common-shock model as stated: with probability rho one shared uniform, else one per guarantor."""
    shared = rng.random(draws) < rho
    u_common = rng.random(draws)[:, None]
    u_own = rng.random((draws, len(p)))
    u = np.where(shared[:, None], u_common, u_own)
    return (u < np.asarray(p)).sum(axis=1)


probs = st.floats(0.0, 1.0, allow_nan=False)


@settings(max_examples=40, deadline=None)
@given(p=st.lists(probs, min_size=1, max_size=7))
def test_independent_law_equals_brute_force(p):
    np.testing.assert_allclose(coalition_distribution(p, 0.0), brute_independent(p), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(p=st.lists(probs, min_size=1, max_size=7), k=st.integers(0, 8))
def test_shared_draw_tail_is_the_kth_largest_reliability(p, k):
    law = coalition_distribution(p, 1.0)
    tail = law[k:].sum() if k <= len(p) else 0.0
    expect = 1.0 if k == 0 else (sorted(p, reverse=True)[k - 1] if k <= len(p) else 0.0)
    assert tail == pytest.approx(expect, abs=1e-12)


def test_common_shock_law_matches_simulation():
    rng = np.random.default_rng(11)
    p = [0.9, 0.745, 0.6, 0.3, 0.745]
    for rho in (0.0, 0.35, 1.0):
        law = coalition_distribution(p, rho)
        k = simulate(p, rho, 200_000, rng)
        freq = np.bincount(k, minlength=len(p) + 1) / k.size
        se = np.sqrt(law * (1 - law) / k.size)
        assert np.all(np.abs(freq - law) <= 5 * se + 1e-9), (rho, freq, law)


@settings(max_examples=30, deadline=None)
@given(p=st.floats(0.01, 0.99), rho=st.floats(0.0, 1.0), n=st.integers(2, 9))
def test_pairwise_correlation_is_rho_for_equal_reliability(p, rho, n):
    law = coalition_distribution([p] * n, rho)
    k = np.arange(n + 1)
    ek, ek2 = (law * k).sum(), (law * k * k).sum()
    # E[K] = n p and E[K^2] = n p + n(n-1) E[X_i X_j]; corr = (E[X_i X_j] - p^2) / (p (1 - p))
    exixj = (ek2 - ek) / (n * (n - 1))
    assert ek == pytest.approx(n * p)
    assert (exixj - p * p) / (p * (1 - p)) == pytest.approx(rho, abs=1e-9)


def test_collective_credibility_closed_forms():
    p = np.array([0.745] * 4)
    # one ally needed, independent: 1 - prod(1 - p); all four needed: prod(p)
    one = collective_defence(p, 0.0, target_strength=1, ally_strength=1, challenger_strength=2)
    allf = collective_defence(p, 0.0, target_strength=1, ally_strength=1, challenger_strength=5)
    assert int(one.allies_needed) == 1 and int(allf.allies_needed) == 4
    assert float(one.collective_credibility) == pytest.approx(1 - 0.255 ** 4)
    assert float(allf.collective_credibility) == pytest.approx(0.745 ** 4)
    assert float(one.expected_coalition_size) == pytest.approx(4 * 0.745)
    # beyond the coalition's reach: no credibility at all
    assert float(collective_defence(p, 0.3, challenger_strength=100).collective_credibility) == 0.0


def test_challenger_attacks_iff_credibility_below_its_threshold():
    p = [LEEDS_RELIABILITY] * 3
    r = collective_defence(p, np.linspace(0, 1, 11), challenger_strength=3, value=1.0, defeat_cost=1.0,
                           war_cost=0.1)
    thr = (1.0 - 0.1) / (1.0 + 1.0)
    np.testing.assert_array_equal(r.P_attack, (r.collective_credibility < thr).astype(float))
    np.testing.assert_array_equal(r.P_war, r.P_attack)
    np.testing.assert_allclose(r.deterrence_threshold, thr)


@settings(max_examples=40, deadline=None)
@given(p=st.floats(0.05, 0.95), n=st.integers(1, 20), need=st.integers(1, 20))
def test_more_independent_guarantors_raise_collective_credibility(p, n, need):
    # with independent honour and a fixed number of allies needed, adding a guarantor never hurts
    a = collective_defence([p] * n, 0.0, target_strength=0, ally_strength=1, challenger_strength=need)
    b = collective_defence([p] * (n + 1), 0.0, target_strength=0, ally_strength=1, challenger_strength=need)
    assert float(b.collective_credibility) >= float(a.collective_credibility) - 1e-12


@settings(max_examples=40, deadline=None)
@given(p=st.lists(st.floats(0.05, 0.95), min_size=2, max_size=8), need=st.integers(1, 8),
       r1=st.floats(0, 1), r2=st.floats(0, 1))
def test_correlation_effect_has_the_sign_of_shared_minus_independent(p, need, r1, r2):
    # credibility is linear in rho: correlation lowers it exactly where the shared draw's tail
    # (the need-th largest reliability) is below the independent tail
    need = min(need, len(p))
    kw = dict(target_strength=0, ally_strength=1, challenger_strength=need)
    c1 = float(collective_defence(p, r1, **kw).collective_credibility)
    c2 = float(collective_defence(p, r2, **kw).collective_credibility)
    shared = sorted(p, reverse=True)[need - 1]
    indep = brute_independent(p)[need:].sum()
    assert (c2 - c1) == pytest.approx((r2 - r1) * (shared - indep), abs=1e-9)


def test_batch_equals_points():
    rng = np.random.default_rng(3)
    p = rng.uniform(0, 1, (50, 6))
    rho = rng.uniform(0, 1, 50)
    sc = rng.uniform(0, 8, 50)
    r = collective_defence(p, rho, challenger_strength=sc)
    for i in range(0, 50, 7):
        one = collective_defence(p[i], rho[i], challenger_strength=sc[i])
        assert float(one.collective_credibility) == pytest.approx(r.collective_credibility[i])


# ---------------------------------------------------------------- the volunteer's dilemma
def test_volunteer_closed_form_diekmann():
    eq = volunteer_equilibrium(np.array([2, 3, 5, 10]), 1.0, 0.3)
    n = np.array([2, 3, 5, 10])
    np.testing.assert_allclose(eq.P_no_intervention, 0.3 ** (n / (n - 1)))
    np.testing.assert_allclose(eq.payoff, 0.7)
    assert np.all(np.diff(eq.P_no_intervention) > 0)      # more guarantors, less reliable protection


@pytest.mark.parametrize("n", [2, 3])
def test_volunteer_equilibrium_is_found_by_the_engine(n):
    b, c = 1.0, 0.25
    res = enumerate_nplayer(guarantors_game(n, b, c))
    assert res.complete
    eqs = list(res)
    q_star = (c / b) ** (1 / (n - 1))
    mixed = [e for e in eqs if all(0 < s[1] < 1 for s in e.strategies)]
    assert any(all(abs(s[0] - q_star) < 1e-7 for s in e.strategies) for e in mixed)
    pure_one = [e for e in eqs
                if sorted(round(float(s[1])) for s in e.strategies) == [0] * (n - 1) + [1]
                and all(s[1] in (0.0, 1.0) for s in e.strategies)]
    assert len(pure_one) == n                          # exactly one guarantor intervenes, any of the n


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 60), ratio=st.floats(0.01, 0.99))
def test_risk_of_abandonment_rises_with_the_number_of_guarantors(n, ratio):
    a = volunteer_equilibrium(n, 1.0, ratio)
    b = volunteer_equilibrium(n + 1, 1.0, ratio)
    assert float(b.P_no_intervention) >= float(a.P_no_intervention)
    assert float(b.p_intervene) <= float(a.p_intervene)


@pytest.mark.parametrize("call, msg", [
    (lambda: coalition_distribution([0.5, 1.2]), "reliability must be <= 1"),
    (lambda: coalition_distribution([0.5], 1.5), "correlation must be <= 1"),
    (lambda: coalition_distribution(0.5), "one probability per guarantor"),
    (lambda: coalition_distribution(np.full(600, 0.5)), "between 1 and 512"),
    (lambda: collective_defence([0.5], ally_strength=0), "ally_strength must be > 0"),
    (lambda: collective_defence([0.5], value=-1), "value must be > 0"),
    (lambda: volunteer_equilibrium(1, 1.0, 0.5), "N (the number of guarantors) must be an integer >= 2"),
    (lambda: volunteer_equilibrium(3, 1.0, 1.5), "0 < cost < benefit"),
    (lambda: guarantors_game(20, 1.0, 0.5), "2..12"),
])
def test_bad_parameters_name_the_parameter_and_range(call, msg):
    with pytest.raises(ModelError, match=msg.replace("(", r"\(").replace(")", r"\)")):
        call()


def test_truncated_recursion_equals_the_tail_of_the_whole_law():
    # collective_defence runs the recursion only up to the allies needed; the full law's tail must agree
    rng = np.random.default_rng(5)
    p = rng.uniform(0, 1, (400, 9))
    rho = rng.uniform(0, 1, 400)
    need = rng.integers(0, 11, 400).astype(float)            # 0 .. N + 1 (beyond the coalition's reach)
    r = collective_defence(p, rho, target_strength=0.0, ally_strength=1.0, challenger_strength=need)
    law = coalition_distribution(p, rho)
    for i in range(400):
        k = int(need[i])
        assert r.collective_credibility[i] == pytest.approx(law[i, k:].sum() if k <= 9 else 0.0, abs=1e-12)
    np.testing.assert_allclose(r.coalition, law)               # the law itself, computed on use
    np.testing.assert_allclose(r.expected_coalition_size, (law * np.arange(10)).sum(-1))
