"""Logit quantal response equilibrium (McKelvey & Palfrey 1995)."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from scipy.optimize import brentq

from deterrence.errors import ModelError, SolverError
from deterrence.games import NormalFormGame
from deterrence.solve.qre import log_logit_response, logit_path, logit_qre, logit_response, qre_residual


# ---------------------------------------------------------------------- the choice rule
@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=6), st.floats(0, 1e6))
def test_logit_response_is_a_stable_softmax(v, lam):
    p = logit_response(v, lam)
    assert np.all(np.isfinite(p)) and p.sum() == pytest.approx(1.0) and np.all(p >= 0)
    # ratios follow exp(lam (v_k - v_l)) where representable
    v = np.asarray(v)
    k, l = int(np.argmax(v)), int(np.argmin(v))
    if lam * (v[k] - v[l]) < 50:
        assert p[k] / p[l] == pytest.approx(np.exp(lam * (v[k] - v[l])), rel=1e-9)
    assert np.allclose(np.exp(log_logit_response(v, lam)), p, atol=1e-15)


def test_logit_response_limits_and_errors():
    assert logit_response([1.0, 2.0, 2.0], 1e12).tolist() == [0.0, 0.5, 0.5]
    assert logit_response([5.0, -7.0], 0.0).tolist() == [0.5, 0.5]
    batch = logit_response([[0.0, 1.0], [1.0, 0.0]], [0.0, np.log(3.0)])
    assert np.allclose(batch, [[0.5, 0.5], [0.75, 0.25]])
    with pytest.raises(SolverError, match="lambda must be finite and >= 0"):
        logit_response([0.0, 1.0], -1.0)


# ---------------------------------------------------------------------- 2x2: independent fixed point
def amp(x):
    """Asymmetric matching pennies (McKelvey & Palfrey 1995, section 5; Ochs 1995).

    Row gets x at (T, L), 1 at (B, R), 0 otherwise; Column gets 1 at (T, R) and (B, L).
    The unique Nash equilibrium has Row play T with probability 1/2 whatever x is (Column's
    indifference fixes it) and Column play L with probability 1/(1+x).
    """
    return NormalFormGame.from_bimatrix([[x, 0], [0, 1]], [[0, 1], [1, 0]], players=["Row", "Column"],
                                        actions=[["T", "B"], ["L", "R"]])


def qre_2x2_by_bisection(x, lam):
    # Column's logit response to p = Pr(T): q = Pr(L) = 1 / (1 + exp(lam (p - (1 - p))));
    # Row's: p = 1 / (1 + exp(lam ((1 - q) - x q))).  p - Row(Column(p)) is increasing in p
    # (Row's response falls as q falls, and q falls as p rises), so the root is unique.
    def col(p):
        return 1.0 / (1.0 + np.exp(lam * (2 * p - 1)))

    def f(p):
        q = col(p)
        return p - 1.0 / (1.0 + np.exp(lam * ((1 - q) - x * q)))

    p = brentq(f, 0.0, 1.0, xtol=1e-15)
    return p, col(p)


@pytest.mark.parametrize("x,lam", [(1.0, 0.7), (4.0, 0.3), (4.0, 2.0), (9.0, 5.0), (0.5, 12.0)])
def test_2x2_qre_equals_independent_fixed_point(x, lam):
    q = logit_qre(amp(x), lam)
    p_ref, q_ref = qre_2x2_by_bisection(x, lam)
    assert q.strategies[0][0] == pytest.approx(p_ref, abs=1e-10)
    assert q.strategies[1][0] == pytest.approx(q_ref, abs=1e-10)
    assert qre_residual(amp(x), q.strategies, lam) < 1e-10


def test_own_payoff_effect():
    # McKelvey & Palfrey (1995): unlike Nash (Pr T = 1/2 for every x), the QRE probability of T
    # rises with Row's own payoff x.  From the bisection formula: for x > 1, p > 1/2 at any lam > 0.
    for lam in (0.5, 2.0, 8.0):
        pts = [logit_qre(amp(x), lam).strategy("Row")["T"] for x in (1.0, 2.0, 4.0, 9.0)]
        assert pts[0] == pytest.approx(0.5, abs=1e-12)  # x = 1 is symmetric matching pennies
        assert all(b > a + 1e-6 for a, b in zip(pts, pts[1:]))


def test_matching_pennies_uniform_for_all_lambda():
    mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    path = logit_path(mp, [0.0, 0.1, 1.0, 10.0, 100.0, 1e4])
    for prof in path.profiles:
        assert np.allclose(prof, 0.5, atol=1e-12)
    assert np.all(path.residuals < 1e-12)


# ---------------------------------------------------------------------- oracle: pygambit
def _gambit_profile(gbt_game, prof):
    return [np.array([float(prof[s]) for s in p.strategies]) for p in gbt_game.players]


@pytest.mark.parametrize("shape,seed", [((2, 2), 1), ((3, 3), 2), ((2, 2, 2), 3), ((3, 2, 2), 4)])
def test_branch_matches_pygambit_at_given_lambdas(shape, seed):
    gbt = pytest.importorskip("pygambit")
    from deterrence.solve.nplayer import to_gambit

    rng = np.random.default_rng(seed)
    g = NormalFormGame(rng.integers(-10, 11, size=shape + (len(shape),)).astype(float))
    lams = [0.05, 0.2, 0.5, 1.0, 3.0]
    G = to_gambit(g)
    ref = gbt.qre.logit_solve_lambda(G, lams)
    path = logit_path(g, lams)
    assert np.allclose(path.lambdas, lams)
    for k in range(len(lams)):
        for i, s in enumerate(_gambit_profile(G, ref[k].profile)):
            assert np.allclose(path.profiles[i][k], s, atol=1e-7)
    assert np.all(path.residuals < 1e-9)


@pytest.mark.parametrize("shape,seed", [((3, 3), 7), ((2, 2, 2), 8), ((2, 3, 2), 9)])
def test_limit_is_nash_and_matches_pygambit_logit_solve(shape, seed):
    gbt = pytest.importorskip("pygambit")
    from deterrence.solve.nplayer import to_gambit

    rng = np.random.default_rng(seed)
    g = NormalFormGame(rng.normal(size=shape + (len(shape),)))
    path = logit_path(g)
    # regret falls along the branch towards a Nash equilibrium
    assert path.regrets[0] > 10 * path.limit_regret
    span = np.ptp(g.payoffs)
    assert path.limit_regret <= 1e-8 * span * 1.0001
    assert path.nash is not None and path.nash.regret <= 1e-8 * np.abs(g.payoffs).max()
    G = to_gambit(g)
    ref = gbt.nash.logit_solve(G).equilibria[0]
    for mine, theirs in zip(path.nash.strategies, _gambit_profile(G, ref)):
        assert np.allclose(mine, theirs, atol=1e-5)
    assert np.all(path.residuals < 1e-6)


def test_strict_equilibrium_limit_in_prisoners_dilemma():
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    path = logit_path(pd)
    # defect is dominant: its probability rises monotonically along the branch
    assert np.all(np.diff(path.profiles[0][:, 1]) > -1e-12)
    assert path.nash.is_pure and path.nash.support(0) == ("a2",)


def test_batch_is_game_by_game():
    rng = np.random.default_rng(11)
    U = rng.normal(size=(3, 2, 2, 2, 3))
    batch = logit_qre(NormalFormGame(U), 1.5)
    for b in range(3):
        one = logit_qre(NormalFormGame(U[b]), 1.5)
        for s, t in zip(batch[b].strategies, one.strategies):
            assert np.allclose(s, t, atol=1e-12)


def test_bad_input():
    g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(SolverError, match="lambdas must be finite and >= 0; got -1"):
        logit_path(g, [-1.0, 2.0])
    with pytest.raises(SolverError, match="increasing order"):
        logit_path(g, [2.0, 1.0])
    with pytest.raises(ModelError, match="expected a NormalFormGame, got list"):
        logit_qre([[1, 0], [0, 1]], 1.0)
