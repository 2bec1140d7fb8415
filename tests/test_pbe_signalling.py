"""Signalling PBE: tiny priors (issue 12) and the batched solver.

Expected values come from closed forms derived in the comments; the batched solver (vertex
enumeration) is checked against the one-game solver forced onto its LP route (HiGHS), an
independent algorithm, and every reported equilibrium against a regret computed here.
"""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import deterrence.solve.pbe_signalling as one_game
from deterrence.games.signalling import SignallingGame
from deterrence.solve.pbe import perfect_bayesian, signalling_pbe
from deterrence.solve.pbe_signalling_batch import KINDS, signalling_pbe_batch

from test_pbe import UR, US, beer_quiche


# ---------------------------------------------------------------------- tiny priors
# With P(tough) = p < 1/2 there is no pooling equilibrium (pooling on beer: the receiver duels, mu(weak) > 1/2,
# and the tough type... ; pooling on quiche likewise) and no separating one (the weak type would mimic).  The
# unique PBE is hybrid: tough drinks beer; weak drinks beer with probability s making the receiver indifferent
# after beer: P(tough | beer) = p / (p + (1 - p) s) = 1/2, so s = p / (1 - p); weak is indifferent when the
# receiver duels after beer with probability d: 2 (1 - d) = 1 (quiche, surely duelled, gives 1), d = 1/2;
# after quiche (only weak) the receiver duels.
@pytest.mark.parametrize("p", [1e-8, 1e-10, 0.2])
def test_beer_quiche_tiny_prior_hybrid(p):
    res = signalling_pbe(beer_quiche(p))
    assert res.complete and len(res) == 1
    e = res[0]
    assert e.kind == "hybrid"
    assert e.sender[0, 0] == 1.0
    assert e.sender[1, 0] == pytest.approx(p / (1 - p), rel=1e-9)
    np.testing.assert_allclose(e.receiver, [[0.5, 0.5], [1.0, 0.0]], atol=1e-12)
    assert e.beliefs[0] == pytest.approx([0.5, 0.5], rel=1e-9)
    shown = {1e-8: "1e-08", 1e-10: "1e-10", 0.2: "1/4"}[p]                # a tiny probability is shown
    assert f"weak: beer {shown}, quiche" in e.describe()


@pytest.mark.parametrize("method", ["auto", "enumerate"])
def test_beer_quiche_tiny_prior_as_a_tree(method):
    # the same game as a tree: "auto" routes to signalling_pbe (complete); "enumerate" lists pure profiles
    # only (there is no pure PBE here) plus at most one mixed one, so its empty or partial set is not complete
    p = 1e-8
    res = perfect_bayesian(beer_quiche(p).to_tree(), method=method)
    if method == "auto":
        assert res.complete and len(res) == 1
        e = res[0]
        assert e.at("sender (weak)")["beer"] == pytest.approx(p / (1 - p), rel=1e-9)
        assert e.regret <= 1e-12
    else:
        assert not res.complete
        assert all(not e.pure for e in res)


def test_beer_quiche_tiny_prior_against_pygambit():
    # pygambit's exact (rational) enumeration of the strategic form finds one Nash equilibrium at
    # P(tough) = 1e-8: the hybrid, with the weak type drinking beer with probability 1/99999999
    gbt = pytest.importorskip("pygambit")
    import io
    from fractions import Fraction
    from deterrence.io.gambit import to_efg
    g = beer_quiche(1e-8)
    G = gbt.read_efg(io.StringIO(to_efg(g.to_tree())))
    eqs = gbt.nash.enummixed_solve(G, rational=True).equilibria
    theirs = []
    for eq in eqs:
        b = eq.as_behavior()
        weak = next(i for pl in G.players for i in pl.infosets if i.label == "sender (weak)")
        theirs.append(Fraction(b[list(weak.actions)[0]]))
    assert theirs == [Fraction(1, 99999999)]
    ours = signalling_pbe(g)
    assert len(ours) == 1
    assert ours[0].sender[1, 0] == pytest.approx(float(theirs[0]), rel=1e-12)


def test_progress_over_support_patterns():
    # beer-quiche: (2^2 - 1)^2 type supports times (2^2 - 1)^2 response supports = 81 patterns
    calls = []
    signalling_pbe(beer_quiche(0.9), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (81, 81) and len(calls) == 81
    calls = []
    signalling_pbe_batch(beer_quiche(0.9), progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (81, 81)


def test_prior_too_small_to_resolve_is_not_complete():
    # below about 1e-12 the mixing probability cannot be told from rounding: nothing found, never "complete"
    res = signalling_pbe(beer_quiche(1e-14))
    assert not res.complete
    batch = signalling_pbe_batch(beer_quiche(1e-14))
    assert not batch.complete_points[0] and not batch.complete


# ---------------------------------------------------------------------- the batched solver
def test_batch_beer_quiche_over_the_prior():
    # p > 1/2: two pooling families each on beer and on quiche (pure receiver off path, or mixing at the
    # belief 1/2 that makes it indifferent), as in test_pbe; p < 1/2: the one hybrid above
    p = np.array([0.9, 0.6, 0.3, 1e-8])
    g = SignallingGame(np.stack([p, 1 - p], 1), US, UR, types=["tough", "weak"], messages=["beer", "quiche"],
                       responses=["duel", "no duel"])
    res = signalling_pbe_batch(g)
    assert res.complete and res.complete_points.all()
    np.testing.assert_array_equal(res.n_equilibria, [4, 4, 1, 1])
    for b in (0, 1):
        assert {KINDS[k] for k in res.kind[b][res.found[b]]} == {"pooling"}
    for b in (2, 3):
        k = int(np.flatnonzero(res.found[b])[0])
        assert KINDS[res.kind[b, k]] == "hybrid"
        assert res.sender[b, k, 1, 0] == pytest.approx(p[b] / (1 - p[b]), rel=1e-9)
    assert res.labels()[3] == "hybrid [tough: beer; weak: beer+quiche]"


def _regret_here(uS, uR, sigma, rho, mu):
    """Independent certificate: every type's gain from its best message, the receiver's at every message."""
    T, M, R = uS.shape
    worst = 0.0
    for t in range(T):
        vals = [sum(rho[m, r] * uS[t, m, r] for r in range(R)) for m in range(M)]
        worst = max(worst, max(vals) - sum(sigma[t, m] * vals[m] for m in range(M)))
    for m in range(M):
        vals = [sum(mu[m, t] * uR[t, m, r] for t in range(T)) for r in range(R)]
        worst = max(worst, max(vals) - sum(rho[m, r] * vals[r] for r in range(R)))
    return worst


@settings(max_examples=3, deadline=None)
@given(st.integers(0, 2 ** 31 - 1), st.sampled_from([(2, 2, 2), (2, 2, 2), (3, 2, 2)]))
def test_batch_matches_one_game_lp_route(seed, shape):
    # degenerate integer payoffs (ties everywhere) and uneven priors; the one-game solver is forced onto
    # HiGHS (MAX_COMBINATIONS = 0), so the two decide feasibility by different algorithms
    T, M, R = shape
    rng = np.random.default_rng(seed)
    B = 8 if T == 2 else 2
    prior = rng.dirichlet(np.ones(T), B)
    uS = rng.integers(-2, 3, (B, T, M, R)).astype(float)
    uR = rng.integers(-2, 3, (B, T, M, R)).astype(float)
    g = SignallingGame(prior, uS, uR)
    res = signalling_pbe_batch(g)
    orig = one_game.MAX_COMBINATIONS
    one_game.MAX_COMBINATIONS = 0
    try:
        for b in range(B):
            single = signalling_pbe(g[b])
            theirs = sorted((e.type_supports, e.response_supports) for e in single)
            ours = []
            for k in np.flatnonzero(res.found[b]):
                S, Rs = res.patterns[k]
                ours.append((tuple(tuple(g.messages[m] for m in s) for s in S),
                             tuple(tuple(g.responses[r] for r in rs) for rs in Rs)))
                assert _regret_here(uS[b], uR[b], res.sender[b, k], res.receiver[b, k], res.beliefs[b, k]) <= 1e-9
            assert sorted(ours) == theirs
            assert res.complete_points[b] == (len(theirs) > 0)
    finally:
        one_game.MAX_COMBINATIONS = orig


def test_batch_results_follow_the_result_protocol():
    from deterrence.solve.pbe_batch import perfect_bayesian_batch
    from deterrence.solve.results import Equilibrium, Result
    p = np.array([0.9, 0.3])
    g = SignallingGame(np.stack([p, 1 - p], 1), US, UR, types=["tough", "weak"], messages=["beer", "quiche"],
                       responses=["duel", "no duel"])
    res = signalling_pbe_batch(g)
    tree = perfect_bayesian_batch(g.to_tree())
    for r in (res, tree):
        assert isinstance(r, Result)
        assert r.batch_size == 2 and r.complete and r.max_regret <= 1e-12
        np.testing.assert_array_equal(r.game_index, [0, 0, 0, 0, 1])
        assert all(isinstance(e, Equilibrium) for e in r.equilibria)
        assert len(r.for_game(1)) == 1
    # the hybrid at P(tough) = 0.3 (weak drinks beer w.p. 3/7, duel after beer w.p. 1/2, duel after quiche):
    # tough gets beer + half a duel: 1 + 2 * 1/2 = 2; weak is indifferent, quiche and a duel: 1;
    # the receiver gets 1 against the weak after quiche (prob 0.7 * 4/7 = 0.4) and 1/2 after beer (prob 0.6)
    e = res.for_game(1)[0]
    assert e.kind == "hybrid"
    assert e.payoffs == pytest.approx([0.3 * 2 + 0.7 * 1, 0.4 + 0.6 * 0.5])
    assert e.probability("weak, quiche, duel") == pytest.approx(0.4)
    assert tree.for_game(1)[0].payoffs == pytest.approx(e.payoffs)


def test_too_many_patterns_refused_at_once_with_size_and_method():
    from deterrence.errors import SolverError
    g = beer_quiche(0.5)
    with pytest.raises(SolverError, match=r"2 types, 2 messages, 2 responses has 81 support patterns.*agent_qre_path"):
        signalling_pbe(g, max_patterns=80)
    with pytest.raises(SolverError, match=r"81 support patterns.*signalling_pbe"):
        signalling_pbe_batch(g, max_patterns=80)
