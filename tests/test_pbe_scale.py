"""Perfect Bayesian equilibria do not depend on the unit or the level of the payoffs (issue 12).

``a * u + b`` (``a > 0``) has the same perfect Bayesian equilibria as ``u``: the same kinds, strategies,
beliefs, off-path belief sets and completeness.  Expected answers come from the unscaled game (whose
answer is checked by hand in ``test_pbe.py``, or by hand here) and from independent brute force on the
unscaled payoffs written here, never from the solver's own output on the same input.
"""

from __future__ import annotations

import os
import sys
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

sys.path.insert(0, os.path.dirname(__file__))
from test_bayesian import random_uncertain_resolve_tree  # noqa: E402
from test_pbe import _brute_sequential_regret, _rnf_regret, beer_quiche, crisis  # noqa: E402
from _tree_helpers import ENTRY  # noqa: E402

from deterrence.games.assessment import AssessmentKernel  # noqa: E402
from deterrence.games.signalling import SignallingGame  # noqa: E402
from deterrence.games.tree import GameTree  # noqa: E402
from deterrence.solve.pbe import perfect_bayesian, signalling_pbe  # noqa: E402
from deterrence.solve.pbe_batch import perfect_bayesian_batch  # noqa: E402
from deterrence.solve.pbe_signalling_batch import signalling_pbe_batch  # noqa: E402

AFFINE = [(1e-9, 0.0), (1e9, 0.0), (1.0, 1e8), (1e-12, 0.0), (1e12, 0.0), (1e-9, -1e-3), (1.0, -1e8)]


def affine(g: SignallingGame, a: float, b: float) -> SignallingGame:
    return SignallingGame(g.prior[0], g.sender_payoffs[0] * a + b, g.receiver_payoffs[0] * a + b,
                          types=g.types, messages=g.messages, responses=g.responses)


def affine_tree(t: GameTree, a: float, b: float) -> GameTree:
    s = t[0]
    s.payoffs = t.payoffs * a + b
    return s


def _r(x):
    return tuple(np.round(np.asarray(x, float), 6).ravel() + 0.0)


def signalling_key(res):
    """Everything an answer says, rounded: kinds, supports, strategies, beliefs, belief sets, continuum."""
    return sorted((e.kind, e.type_supports, e.response_supports, _r(e.sender), _r(e.receiver), _r(e.beliefs),
                   e.continuum, _r(e.sender_range), _r(e.receiver_range),
                   tuple(sorted((m, tuple(sorted((s, _r(lohi)) for s, lohi in bs.bounds.items())))
                                for m, bs in e.off_path_beliefs.items())))
                  for e in res)


def tree_key(res):
    return sorted((tuple(sorted(e.choice().items())) if e.pure else (), tuple(_r(p) for p in e.profile),
                   tuple(_r(b) for b in e.beliefs), e.kind, e.continuum,
                   tuple(sorted((h, tuple(sorted((s, _r(lohi)) for s, lohi in bs.bounds.items())))
                                for h, bs in e.belief_sets.items())))
                  for e in res)


# ---------------------------------------------------------------------- regressions
@pytest.mark.parametrize("a, b", AFFINE)
@pytest.mark.parametrize("make", [beer_quiche, lambda: crisis(0.3, 1)], ids=["beer-quiche", "crisis"])
def test_signalling_pbe_in_any_unit(make, a, b):
    g = make()
    base, other = signalling_pbe(g), signalling_pbe(affine(g, a, b))
    assert base.complete and other.complete
    assert signalling_key(other) == signalling_key(base)


def test_beer_quiche_by_hand_in_small_units():
    # Cho & Kreps: two pooling families per breakfast (pure duel off the path for mu(weak) >= 1/2, or the
    # receiver mixing at mu = 1/2 exactly); in units of 1e-9 the belief sets used to be the whole simplex
    res = signalling_pbe(affine(beer_quiche(), 1e-9, 0.0))
    assert len(res) == 4 and res.complete and all(e.kind == "pooling" for e in res)
    for e in res:
        (bs,) = e.off_path_beliefs.values()
        lo, hi = bs.bounds["weak"]
        if e.continuum:                        # receiver mixes off the path: mu(weak) = 1/2 exactly
            assert lo == pytest.approx(0.5, abs=1e-8) and hi == pytest.approx(0.5, abs=1e-8)
        else:
            assert lo == pytest.approx(0.5, abs=1e-8) and hi == pytest.approx(1.0, abs=1e-12)


def test_crisis_hybrid_is_a_point_in_any_unit():
    # crisis(0.3, 1): the irresolute type escalates with probability p/(1-p) = 3/7 (target indifferent),
    # the target resists with probability 1/3 after escalation: one point, not a continuum
    for a, b in [(1e-9, 0.0), (1.0, 1e8)]:
        (e,) = signalling_pbe(affine(crisis(0.3, 1), a, b))
        assert e.kind == "hybrid" and not e.continuum
        np.testing.assert_allclose(e.sender[1], [3 / 7, 4 / 7], atol=1e-9)
        np.testing.assert_allclose(e.receiver[0], [1 / 3, 2 / 3], atol=1e-9)


@pytest.mark.parametrize("a, b", AFFINE)
def test_signalling_trees_in_any_unit(a, b):
    for g in (beer_quiche(), crisis(0.3, 1)):
        base, other = perfect_bayesian(g.to_tree()), perfect_bayesian(affine(g, a, b).to_tree())
        assert other.complete and tree_key(other) == tree_key(base)


def test_signalling_batch_tolerance_is_per_game():
    g = beer_quiche()
    games = [affine(g, a, b) for a, b in [(1.0, 0.0)] + AFFINE] + [affine(crisis(0.3, 1), a, b) for a, b in AFFINE]
    batch = SignallingGame(np.stack([x.prior[0] for x in games]), np.stack([x.sender_payoffs[0] for x in games]),
                           np.stack([x.receiver_payoffs[0] for x in games]), types=g.types, messages=g.messages,
                           responses=g.responses)
    res = signalling_pbe_batch(batch)
    n = len(AFFINE) + 1
    assert res.complete_points.all()
    labels = res.labels()
    assert len(set(labels[:n])) == 1 and len(set(labels[n:])) == 1
    for k in range(len(games)):
        ref = 0 if k < n else n
        assert res.found[k].tolist() == res.found[ref].tolist()
        np.testing.assert_allclose(np.nan_to_num(res.sender[k], nan=-1), np.nan_to_num(res.sender[ref], nan=-1),
                                   atol=1e-7)
        np.testing.assert_allclose(np.nan_to_num(res.receiver[k], nan=-1),
                                   np.nan_to_num(res.receiver[ref], nan=-1), atol=1e-7)
        assert res.kind[k].tolist() == res.kind[ref].tolist()


@pytest.mark.parametrize("a, b", AFFINE)
def test_entry_tree_in_any_unit(a, b):
    # by hand (see ENTRY): two pure PBE; a shift of 1e8 used to certify three more (regret 1 <= 1e-8 * 1e8)
    # and units of 1e-9 eight in all, with every belief supporting both of the defender's replies
    t = GameTree.from_nodes(["E", "D"], ENTRY)
    s = affine_tree(t, a, b)
    res = perfect_bayesian(s, mixed=False)
    assert res.complete
    sols = {e.choice()["D"]: e for e in res}
    assert len(res) == 2 and set(sols) == {"fight", "yield"}
    assert all(e.choice()["es"] == e.choice()["ew"] == "out" for e in res)
    np.testing.assert_allclose(sols["fight"].belief_sets["D"].bounds["ds"], (0.0, 0.5), atol=1e-8)
    np.testing.assert_allclose(sols["yield"].belief_sets["D"].bounds["ds"], (0.5, 1.0), atol=1e-8)
    assert tree_key(res) == tree_key(perfect_bayesian(t, mixed=False))
    batch = perfect_bayesian_batch(s)
    assert batch.labels.tolist() == ["os | ow"] and batch.n_equilibria.tolist() == [2]


def test_tree_certificate_cannot_pass_regret_one_when_differences_are_one():
    """In the entry game shifted by 1e8 (payoff differences 1 to 3), the weak entrant entering against yield
    loses exactly 1 (0 instead of 1): the old bound 1e-8 * max|payoff| = 1 certified it."""
    from deterrence.solve import pbe_tree

    t = affine_tree(GameTree.from_nodes(["E", "D"], ENTRY), 1.0, 1e8)
    K = AssessmentKernel(t)
    C = pbe_tree._Continuations(t, K)
    labels = [h.label for h in t.infosets]
    x = np.zeros(K.S)
    for h, act in {"es": "out", "ew": "in", "D": "yield"}.items():
        k = labels.index(h)
        x[K.off[k] + list(t.infosets[k].actions).index(act)] = 1.0
    ok, *_, reg, nash = pbe_tree._certify_tree(K, C, t, x, np.zeros(K.N), 1e-8)
    assert reg == pytest.approx(1.0)
    assert not ok


def test_signalling_certificate_cannot_pass_regret_one_when_differences_are_one():
    from deterrence.solve import pbe_signalling, pbe_signalling_batch

    g = affine(beer_quiche(), 1.0, 1e8)
    uS, uR = g.sender_payoffs[0], g.receiver_payoffs[0]
    sigma = np.array([[1.0, 0.0], [1.0, 0.0]])          # pool on beer
    rho = np.array([[0.0, 1.0], [0.0, 1.0]])            # never duel: the weak type gains 1 by quiche
    mu = np.array([[0.9, 0.1], [0.0, 1.0]])
    assert pbe_signalling._signalling_regret(uS, uR, sigma, rho, mu) == pytest.approx(1.0)
    assert not pbe_signalling._certified(uS, uR, sigma, rho, mu, 1e-8)
    assert not pbe_signalling_batch.certified(uS[None], uR[None], sigma[None], rho[None], mu[None], 1e-8)[0]
    rho_ok = np.array([[0.0, 1.0], [1.0, 0.0]])         # duel after quiche: an equilibrium
    assert pbe_signalling._certified(uS, uR, sigma, rho_ok, mu, 1e-8)


# ---------------------------------------------------------------------- properties
scales = st.floats(-12, 12).map(lambda e: 10.0 ** e)
shifts = st.floats(-1e6, 1e6)          # b / a: the shifted payoffs keep their differences in float
priors = st.sampled_from([0.1, 0.25, 0.3, 0.5, 0.75, 0.9])


def brute_pure_pbe(prior, uS, uR):
    """Pure PBE of a 2-type signalling game, in exact arithmetic: type -> message, message -> response,
    Bayes beliefs on the path, some belief in [0, 1] off it (a linear condition: check the end points
    and, for each pair of responses, where they tie)."""
    T, M, R = uS.shape
    pi = [Fraction(p).limit_denominator(1000) for p in prior]
    out = set()
    for sig in product(range(M), repeat=T):
        for rho in product(range(R), repeat=M):
            if any(uS[t][sig[t]][rho[sig[t]]] < max(uS[t][m][rho[m]] for m in range(M)) for t in range(T)):
                continue
            ok = True
            for m in range(M):
                senders = [t for t in range(T) if sig[t] == m]
                if senders:
                    tot = sum(pi[t] for t in senders)
                    cands = [[pi[t] / tot if t in senders else Fraction(0) for t in range(T)]]
                else:
                    cands = [[Fraction(1), Fraction(0)], [Fraction(0), Fraction(1)]]
                    for r1 in range(R):          # beliefs where two responses tie
                        d = [Fraction(int(uR[t][m][r1] - uR[t][m][rho[m]])) for t in range(T)]
                        if d[0] != d[1]:
                            q = d[1] / (d[1] - d[0])
                            if 0 <= q <= 1:
                                cands.append([q, 1 - q])

                def best(mu):
                    v = [sum(mu[t] * int(uR[t][m][r]) for t in range(T)) for r in range(R)]
                    return v[rho[m]] == max(v)
                if not any(best(mu) for mu in cands):
                    ok = False
                    break
            if ok:
                out.add((sig, rho))
    return out


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(priors, st.lists(st.integers(-2, 2), min_size=8, max_size=8),
       st.lists(st.integers(-2, 2), min_size=8, max_size=8), scales, shifts)
def test_signalling_pbe_is_scale_and_shift_free(p, s, r, a, c):
    uS, uR = np.reshape(s, (2, 2, 2)).astype(float), np.reshape(r, (2, 2, 2)).astype(float)
    g = SignallingGame([p, 1 - p], uS, uR)
    base, other = signalling_pbe(g), signalling_pbe(affine(g, a, c * a))
    assert base.complete and other.complete
    assert signalling_key(other) == signalling_key(base)
    pure = {(tuple(np.argmax(e.sender, 1)), tuple(np.argmax(e.receiver, 1))) for e in other
            if all(len(x) == 1 for x in e.type_supports + e.response_supports)}
    assert pure == brute_pure_pbe([p, 1 - p], uS, uR)
    batch = signalling_pbe_batch(affine(g, a, c * a))
    assert batch.complete_points[0] and batch.n_equilibria[0] == len(base)


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(priors, st.lists(st.integers(-2, 2), min_size=8, max_size=8),
       st.lists(st.integers(-2, 2), min_size=8, max_size=8), st.sampled_from([-1e8, -1e5, 3.0, 1e8]))
def test_signalling_pbe_with_large_shifts(p, s, r, b):
    uS, uR = np.reshape(s, (2, 2, 2)).astype(float), np.reshape(r, (2, 2, 2)).astype(float)
    g = SignallingGame([p, 1 - p], uS, uR)
    base, other = signalling_pbe(g), signalling_pbe(affine(g, 1.0, b))       # integers + b: exact in float
    assert other.complete and signalling_key(other) == signalling_key(base)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 10_000), scales, shifts)
def test_perfect_bayesian_trees_are_scale_and_shift_free(seed, a, c):
    t = random_uncertain_resolve_tree(seed)
    t.payoffs = np.round(t.payoffs * 2)                     # small integers: ties occur
    base = perfect_bayesian(t, mixed=False)
    other = perfect_bayesian(affine_tree(t, a, c * a), mixed=False)
    assert base.complete == other.complete and base.complete_pure == other.complete_pure
    assert tree_key(other) == tree_key(base)
    for e in other:                                          # brute force on the unscaled tree
        assert _brute_sequential_regret(t, e) <= 1e-9 and _rnf_regret(t, e) <= 1e-9


MIXED_TREE = [{"id": "r", "player": "P1", "actions": {"H": "xH", "T": "xT"}},
              {"id": "xH", "player": "P2", "infoset": "P2", "actions": {"H": "hh", "T": "ht"}},
              {"id": "xT", "player": "P2", "infoset": "P2", "actions": {"H": "th", "T": "tt"}},
              {"id": "hh", "payoffs": [3, 0]}, {"id": "ht", "payoffs": [0, 1]},
              {"id": "th", "payoffs": [0, 1]}, {"id": "tt", "payoffs": [1, 0]}]


@pytest.mark.parametrize("a, b", AFFINE)
def test_mixed_tree_equilibrium_in_any_unit(a, b):
    # test_pbe.test_mixed_pbe_general_tree: no pure equilibrium; P1 plays H w.p. 1/2, P2 H w.p. 1/4.  In units
    # of 1e-9 four pure profiles were certified; shifted by 1e8 the logit path found nothing at all
    res = perfect_bayesian(affine_tree(GameTree.from_nodes(["P1", "P2"], MIXED_TREE), a, b))
    assert len(res) == 1 and not res[0].pure
    np.testing.assert_allclose(res[0].profile[0], [0.5, 0.5], atol=1e-7)
    np.testing.assert_allclose(res[0].profile[1], [0.25, 0.75], atol=1e-7)


def test_sweep_payoff_columns_tell_equilibria_apart_in_small_units():
    # a coordination game as a tree (P2 does not see P1's move): pure PBE (A, A) paying 2 each and (B, B)
    # paying 1; the payoff column is shared only if every equilibrium gives the same payoff -- here not
    nodes = [{"id": "r", "player": "P1", "actions": {"A": "a", "B": "b"}},
             {"id": "a", "player": "P2", "infoset": "h", "actions": {"A": "aa", "B": "ab"}},
             {"id": "b", "player": "P2", "infoset": "h", "actions": {"A": "ba", "B": "bb"}},
             {"id": "aa", "payoffs": [2, 2]}, {"id": "ab", "payoffs": [0, 0]},
             {"id": "ba", "payoffs": [0, 0]}, {"id": "bb", "payoffs": [1, 1]}]
    t = GameTree.from_nodes(["P1", "P2"], nodes)
    for a in (1.0, 1e-12):
        cols = perfect_bayesian_batch(affine_tree(t, a, 0.0)).sweep_columns()
        assert cols["n_equilibria"].tolist() == [2]
        assert np.isnan(cols["payoff(P1)"][0]) and np.isnan(cols["payoff(P2)"][0])


def test_sign_of_comparative_statics_samples_in_small_units():
    from deterrence.analysis.symbolic.statics import _sign_of_samples

    for a in (1.0, 1e-13, 1e12):
        assert _sign_of_samples(np.array([1.0, 2.0]) * a) == "+"
        assert _sign_of_samples(np.array([0.0, -2.0]) * a) == "-0"
        assert _sign_of_samples(np.array([1.0, -2.0]) * a) == "mixed"


def test_signalling_pbe_unit_free_when_the_receiver_is_indifferent():
    # the example hypothesis found for test_signalling_pbe_is_scale_and_shift_free: at a shift of 6.7e6 the support
    # LP put 1.5e-12 on a response the exact game cannot use (25 equilibria in one unit, 28 in the other)
    uS = np.reshape([0, 2, -1, 2, 1, 0, 2, -1], (2, 2, 2)).astype(float)
    uR = np.zeros((2, 2, 2))
    g = SignallingGame([0.1, 0.9], uS, uR)
    a = 10 ** 2.5
    assert signalling_key(signalling_pbe(affine(g, a, 21202 * a))) == signalling_key(signalling_pbe(g))
