"""Agent logit QRE on trees (McKelvey & Palfrey 1998): fixed point checked by an independent
formula, lambda = 0 uniform, convergence toward equilibrium, pygambit's limit."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deterrence.errors import SolverError
from deterrence.games.signalling import SignallingGame

from _tree_helpers import zagare_kilgour_tree
from deterrence.solve.agent_qre import agent_qre, agent_qre_path


def zagare_kilgour(p, aSQ=0.0, aDC=1.0, aDD=-1.0):
    return zagare_kilgour_tree(p, aSQ, aDC, aDD, conflict="war")


def softmax(v, lam):
    e = np.exp(lam * (v - v.max()))
    return e / e.sum()


def test_lambda_zero_is_uniform():
    q = agent_qre(zagare_kilgour(0.3), 0.0)
    for prof in q.profile:
        np.testing.assert_allclose(prof, [0.5, 0.5])
    # uniform play: P(war) = P(challenge) * (p * 1/2 + (1 - p) * 1/2) = 1/4
    assert q.probability("war") == pytest.approx(0.25)


def test_zagare_kilgour_fixed_point_by_hand():
    # Independent fixed-point check with the closed-form agent values: the defenders' choices do not depend
    # on the challenger's, so P_H(resist) = logit(lam (0 - (-0.5))), P_S(resist) = logit(lam (-1 - (-0.5)));
    # the challenger (belief = prior p, all nodes reached) compares aSQ with
    # p [r_H aDD + (1 - r_H) aDC] + (1 - p) [r_S aDD + (1 - r_S) aDC].
    p, lam = 0.3, 3.0
    q = agent_qre(zagare_kilgour(p), lam)
    rH = 1 / (1 + np.exp(-lam * 0.5))
    rS = 1 / (1 + np.exp(lam * 0.5))
    chal = p * (rH * -1 + (1 - rH) * 1) + (1 - p) * (rS * -1 + (1 - rS) * 1)
    c = softmax(np.array([0.0, chal]), lam)
    np.testing.assert_allclose(q.at("B_hard")["resist"], rH, atol=1e-9)
    np.testing.assert_allclose(q.at("B_soft")["resist"], rS, atol=1e-9)
    np.testing.assert_allclose(q.profile[0], c, atol=1e-9)
    np.testing.assert_allclose(q.probability("war"), c[1] * (p * rH + (1 - p) * rS), atol=1e-9)
    assert q.residual <= 1e-9


def _independent_residual(g, sigma, rho, lam):
    """Agent logit map of a signalling game written from the formulas (not the tree kernel)."""
    pi, uS, uR = g.prior[0], g.sender_payoffs[0], g.receiver_payoffs[0]
    U = np.einsum("tmr,mr->tm", uS, rho)                       # sender's value of each message
    joint = pi[:, None] * sigma
    mu = joint / joint.sum(0, keepdims=True)                    # Bayes (every message is sent under logit)
    W = np.einsum("tmr,tm->mr", uR, mu)                         # receiver's value of each response
    s_new = np.array([softmax(U[t], lam) for t in range(len(pi))])
    r_new = np.array([softmax(W[m], lam) for m in range(uS.shape[1])])
    return max(np.abs(s_new - sigma).max(), np.abs(r_new - rho).max())


@settings(max_examples=10, deadline=None)
@given(st.floats(0.1, 0.9), st.lists(st.integers(-3, 3), min_size=8, max_size=8),
       st.lists(st.integers(-3, 3), min_size=8, max_size=8), st.floats(0.0, 4.0))
def test_signalling_fixed_point_independent(p, a, b, lam):
    g = SignallingGame([p, 1 - p], np.reshape(a, (2, 2, 2)), np.reshape(b, (2, 2, 2)))
    q = agent_qre(g.to_tree(), lam)
    sigma = np.array([q.profile[0], q.profile[1]])      # infosets: sender per type, then receiver per message
    rho = np.array([q.profile[2], q.profile[3]])
    assert _independent_residual(g, sigma, rho, lam) <= 1e-8


def test_regret_falls_toward_sequential_equilibrium():
    # Beer-quiche: as lambda grows the agent QRE approaches a sequential equilibrium (McKelvey & Palfrey
    # 1998, Thm 4): the sequential-rationality regret falls to 0.
    uS = [[[1, 3], [0, 2]], [[0, 2], [1, 3]]]
    uR = [[[0, 1], [0, 1]], [[1, 0], [1, 0]]]
    g = SignallingGame([0.9, 0.1], uS, uR, types=["tough", "weak"], messages=["beer", "quiche"],
                       responses=["duel", "no duel"])
    path = agent_qre_path(g.to_tree(), [0.5, 2, 8, 32, 128])
    assert np.all(path.residual <= 1e-9)
    assert path.regret[-1] < 1e-3 < path.regret[0]
    assert np.all(np.diff(path.regret[1:]) < 0)
    # the logit limit selects the beer-pooling equilibrium (the intuitive one): both types drink beer
    last = path[-1]
    assert last.at("sender (tough)")["beer"] > 0.99 and last.at("sender (weak)")["beer"] > 0.9


@pytest.mark.parametrize("p,challenge", [(0.3, True), (0.7, False)])
def test_war_probability_limit(p, challenge):
    # Threshold (aDC - aSQ)/(aDC - aDD) = 1/2: below it the challenger challenges and P(war) -> p.
    path = agent_qre_path(zagare_kilgour(p), [1, 10, 100])
    war = path.probability("war")
    assert war[-1] == pytest.approx(p if challenge else 0.0, abs=1e-6)
    assert path.regret[-1] < 1e-6


def test_pygambit_logit_limit():
    gbt = pytest.importorskip("pygambit")
    t = zagare_kilgour(0.3)
    g = gbt.Game.new_tree(players=["challenger", "defender"])
    g.append_move(g.root, g.players.chance, ["Hard", "Soft"])
    g.set_chance_probs(g.root.infoset, [Fraction(3, 10), Fraction(7, 10)])
    hard, soft = g.root.children["Hard"], g.root.children["Soft"]
    g.append_move(hard, "challenger", ["not", "challenge"])
    g.append_infoset(soft, hard.infoset)
    for node, tag, bdd in ((hard, "h", 0), (soft, "s", -1)):
        g.set_outcome(node.children["not"], g.add_outcome(f"sq{tag}", [0, 1]))
        d = node.children["challenge"]
        g.append_move(d, "defender", ["resist", "concede"])
        g.set_outcome(d.children["resist"], g.add_outcome(f"dd{tag}", [-1, bdd]))
        g.set_outcome(d.children["concede"], g.add_outcome(f"dc{tag}", [1, Fraction(-1, 2)]))
    eq = gbt.nash.logit_solve(g, use_strategic=False).equilibria[0]
    ours = agent_qre_path(t, np.geomspace(0.1, 200, 30))[-1]
    np.testing.assert_allclose(ours.profile[0], [float(eq[a]) for a in hard.infoset.actions], atol=1e-6)
    np.testing.assert_allclose(ours.at("B_hard")["resist"], float(eq[hard.children["challenge"].infoset.actions["resist"]]),
                               atol=1e-6)
    np.testing.assert_allclose(ours.at("B_soft")["resist"], float(eq[soft.children["challenge"].infoset.actions["resist"]]),
                               atol=1e-6)


def test_bad_input():
    t = zagare_kilgour(0.3)
    with pytest.raises(SolverError, match="lambda"):
        agent_qre_path(t, [2.0, 1.0])
    with pytest.raises(SolverError):
        agent_qre(t, -1.0)
    with pytest.raises(SolverError, match="infoset|information set"):
        agent_qre(t, 1.0).at("nobody")
    with pytest.raises(SolverError, match="outcome"):
        agent_qre(t, 1.0).probability("peace")
