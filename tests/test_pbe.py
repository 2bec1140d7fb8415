"""Perfect Bayesian equilibrium: signalling games (complete, by support pattern) and general trees.

Expected values are derived by hand in the comments, or checked against
independent brute force written here and against pygambit.
"""

from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deterrence.errors import GameStructureError, ModelError, SolverError
from deterrence.games.signalling import SignallingGame
from deterrence.games.tree import GameTree

from _tree_helpers import ENTRY, zagare_kilgour_tree
from deterrence.solve.pbe import perfect_bayesian, signalling_pbe


# ---------------------------------------------------------------------- games
# Cho & Kreps (1987), [type][message][response].  Sender: tough / weak; breakfast beer / quiche; receiver duels
# or not.  Sender: +1 for the preferred breakfast (tough: beer, weak: quiche), +2 if no duel.
# Receiver: 1 for duelling the weak or not duelling the tough, else 0.
US = [[[1, 3], [0, 2]], [[0, 2], [1, 3]]]
UR = [[[0, 1], [0, 1]], [[1, 0], [1, 0]]]


def beer_quiche(p_tough=0.9):
    return SignallingGame([p_tough, 1 - p_tough], US, UR, types=["tough", "weak"], messages=["beer", "quiche"],
                          responses=["duel", "no duel"])


def crisis(p, bluff_concede):
    # A costly-signal crisis: a resolved (prior p) or irresolute challenger escalates or backs down;
    # the target resists or concedes.  Challenger payoffs (resist, concede):
    #   resolved:   escalate (1, 2),  back down (0, 0)
    #   irresolute: escalate (-2, c), back down (0, 0)      c = bluff_concede
    # Target: after escalation, resisting the resolved costs -1, resisting the irresolute gains 1,
    # conceding 0; after backing down resisting gains 1 (dominant).
    uS = [[[1, 2], [0, 0]], [[-2, bluff_concede], [0, 0]]]
    uR = [[[-1, 0], [1, 0]], [[1, 0], [1, 0]]]
    return SignallingGame([p, 1 - p], uS, uR, types=["resolved", "irresolute"],
                          messages=["escalate", "back down"], responses=["resist", "concede"])


def zagare_kilgour(p, aSQ, aDC, aDD):
    return zagare_kilgour_tree(p, aSQ, aDC, aDD, conflict="conflict")


# ---------------------------------------------------------------------- beer-quiche
def test_beer_quiche_two_pooling_families_no_separating():
    # Hand derivation.  Separating fails: if tough->beer, weak->quiche the receiver duels after quiche,
    # so weak gets 1 and would get 2 by switching to beer (no duel) -- and the reverse separation is worse.
    # Pooling on beer: belief at beer = prior (0.9 tough) -> no duel; tough gets 3, weak 2.  Quiche must be
    # answered by a duel (else weak gets 3 > 2): duel is optimal iff mu(weak|quiche) >= 1/2.
    # Pooling on quiche: symmetric, mu(weak|beer) >= 1/2.  Receiver mixing after the off-path message needs
    # mu = 1/2 exactly and a duel probability q with 1 + 2(1 - q) <= 2, i.e. q >= 1/2 (pool on beer;
    # symmetric for quiche: tough's 1 + 2(1 - q) <= 2).
    res = signalling_pbe(beer_quiche())
    assert res.complete
    assert not res.of_kind("separating") and not res.of_kind("hybrid")
    pure = [e for e in res if e.is_pure]
    assert len(pure) == 2
    by_msg = {e.type_supports[0][0]: e for e in pure}
    assert set(by_msg) == {"beer", "quiche"}
    for on, off in (("beer", "quiche"), ("quiche", "beer")):
        e = by_msg[on]
        assert e.kind == "pooling" and e.type_supports == ((on,), (on,))
        assert e.strategy()["receiver"][on] == {"no duel": 1.0}
        assert e.strategy()["receiver"][off] == {"duel": 1.0}
        np.testing.assert_allclose(e.beliefs[e.messages.index(on)], [0.9, 0.1])   # Bayes = prior
        bs = e.off_path_beliefs[off]
        np.testing.assert_allclose(bs.bounds["weak"], (0.5, 1.0), atol=1e-9)
        assert bs.describe() == f"mu(weak | {off}) >= 1/2"
        assert bs.contains([0.4, 0.6]) and not bs.contains([0.6, 0.4])
    mixed = [e for e in res if not e.is_pure]
    assert len(mixed) == 2
    for e in mixed:
        off = [m for m, o in zip(e.messages, e.on_path) if not o][0]
        j = e.messages.index(off)
        assert e.continuum
        np.testing.assert_allclose(e.receiver_range[j, 0], (0.5, 1.0), atol=1e-7)   # duel prob q in [1/2, 1]
        np.testing.assert_allclose(e.off_path_beliefs[off].bounds["weak"], (0.5, 0.5), atol=1e-9)


# ---------------------------------------------------------------------- separating and hybrid
def test_costly_signal_separating():
    # With c = -0.5 an irresolute challenger loses by escalating whatever the response (-2, -0.5 < 0):
    # it backs down; a resolved one escalates (1, 2 > 0).  Bayes: mu(resolved|escalate) = 1 -> concede
    # (0 > -1); mu(resolved|back down) = 0 -> resist.  Unique PBE, separating, both messages on path.
    for p in (0.2, 0.7):
        res = signalling_pbe(crisis(p, -0.5))
        assert len(res) == 1
        e = res[0]
        assert e.kind == "separating" and all(e.on_path) and not e.off_path_beliefs
        np.testing.assert_allclose(e.sender, [[1, 0], [0, 1]])
        np.testing.assert_allclose(e.receiver, [[0, 1], [1, 0]])
        np.testing.assert_allclose(e.beliefs, [[1, 0], [0, 1]])


@pytest.mark.parametrize("p", [0.1, 0.2, 0.4])
def test_crisis_hybrid_formula(p):
    # With c = 1 and p < 1/2: resolved escalates (dominant).  Pooling on escalate gives mu = p < 1/2 ->
    # resist -> irresolute gets -2 < 0: no.  Separating gives concede -> irresolute gets 1 > 0: no.
    # Semi-separating: the target mixes only if indifferent after escalation: -mu + (1 - mu) = 0, mu = 1/2,
    # so p / (p + (1 - p) s) = 1/2, s = p / (1 - p) (irresolute's escalation probability); the irresolute is
    # indifferent: -2 q + (1 - q) = 0, q = 1/3 (resist probability).  Back down: resist (dominant).
    res = signalling_pbe(crisis(p, 1.0))
    assert len(res) == 1
    e = res[0]
    assert e.kind == "hybrid" and not e.continuum
    np.testing.assert_allclose(e.sender[1], [p / (1 - p), 1 - p / (1 - p)], atol=1e-8)
    np.testing.assert_allclose(e.sender[0], [1, 0], atol=1e-8)
    np.testing.assert_allclose(e.receiver[0], [1 / 3, 2 / 3], atol=1e-8)
    np.testing.assert_allclose(e.receiver[1], [1, 0], atol=1e-8)
    np.testing.assert_allclose(e.beliefs[0], [0.5, 0.5], atol=1e-8)
    # the tree route gives the same (signalling trees are routed to the complete solver)
    r2 = perfect_bayesian(crisis(p, 1.0).to_tree())
    assert r2.complete and len(r2) == 1 and r2[0].kind == "hybrid"
    np.testing.assert_allclose(r2[0].at("sender (irresolute)")["escalate"], p / (1 - p), atol=1e-8)


def test_crisis_pooling_when_resolve_likely():
    # c = 1, p = 0.7 > 1/2: pooling on escalate, mu = 0.7 -> concede; back down off path, resisted under
    # any belief (resist is dominant there), so its belief set is the whole simplex.
    res = signalling_pbe(crisis(0.7, 1.0))
    kinds = [e.kind for e in res]
    assert "pooling" in kinds
    e = [e for e in res if e.kind == "pooling"][0]
    np.testing.assert_allclose(e.receiver[0], [0, 1])
    bs = e.off_path_beliefs["back down"]
    assert bs.bounds["resolved"] == pytest.approx((0.0, 1.0))


# ---------------------------------------------------------------------- deterrence with uncertain resolve
@pytest.mark.parametrize("aSQ,aDC,aDD", [(0.0, 1.0, -1.0), (0.2, 1.0, -2.0), (-0.5, 2.0, -3.0)])
def test_zagare_kilgour_threshold(aSQ, aDC, aDD):
    # Challenging yields p aDD + (1 - p) aDC (Hard resists, Soft concedes: their dominant replies), not
    # challenging aSQ; challenge iff p < (aDC - aSQ) / (aDC - aDD).
    thr = (aDC - aSQ) / (aDC - aDD)
    for p, challenge in ((thr - 0.05, True), (thr + 0.05, False)):
        res = perfect_bayesian(zagare_kilgour(p, aSQ, aDC, aDD))
        assert res.complete_pure and not res.complete
        pure = res.pure
        assert len(pure) == 1
        e = pure[0]
        assert e.choice() == {"challenger": "challenge" if challenge else "not", "B_hard": "resist",
                              "B_soft": "concede"}
        np.testing.assert_allclose(e.beliefs[0], [p, 1 - p])        # challenger's belief = prior
        if challenge:
            assert e.probability("conflict") == pytest.approx(p)
        else:
            assert e.probability("status quo") == pytest.approx(1.0)
            assert not e.on_path[1] and not e.on_path[2]


def test_mixed_pbe_general_tree():
    # Player 1 moves H/T; player 2 does not observe it.  u1: HH 3, TT 1, else 0; u2: 1 on a mismatch.
    # No pure equilibrium.  Player 2 indifferent iff P1 plays H w.p. 1/2; player 1 indifferent iff
    # 3 q = 1 - q, q = P(2 plays H) = 1/4.
    nodes = [{"id": "r", "player": "P1", "actions": {"H": "xH", "T": "xT"}},
             {"id": "xH", "player": "P2", "infoset": "P2", "actions": {"H": "hh", "T": "ht"}},
             {"id": "xT", "player": "P2", "infoset": "P2", "actions": {"H": "th", "T": "tt"}},
             {"id": "hh", "payoffs": [3, 0]}, {"id": "ht", "payoffs": [0, 1]},
             {"id": "th", "payoffs": [0, 1]}, {"id": "tt", "payoffs": [1, 0]}]
    t = GameTree.from_nodes(["P1", "P2"], nodes)
    res = perfect_bayesian(t)
    assert not res.pure and len(res) == 1 and not res.complete
    e = res[0]
    np.testing.assert_allclose(e.profile[0], [0.5, 0.5], atol=1e-8)
    np.testing.assert_allclose(e.profile[1], [0.25, 0.75], atol=1e-8)
    np.testing.assert_allclose(e.beliefs[1], [0.5, 0.5], atol=1e-8)


def test_unreached_infoset_belief_polytope():
    # Challenger moves first: stay out (status quo 0, 2) or enter; then nature's draw is unobserved by
    # the entrant... here: the defender (not knowing the type) picks fight/yield after entry.
    # Types: strong (0.5), weak (0.5), known to the entrant.  Strong entrant always stays out? We make
    # the entrant stay out always (out 1 > any in-payoff); then the defender's set is unreached and fight
    # is optimal iff mu(strong) * (-1 - 0) + mu(weak) * (1 - 0) >= 0, i.e. mu(strong node) <= 1/2.
    t = GameTree.from_nodes(["E", "D"], ENTRY)
    res = perfect_bayesian(t, mixed=False)
    assert res.complete
    sols = {e.choice()["D"]: e for e in res}
    assert set(sols) == {"fight", "yield"}
    bs = sols["fight"].belief_sets["D"]
    np.testing.assert_allclose(bs.bounds["ds"], (0.0, 0.5), atol=1e-9)
    np.testing.assert_allclose(sols["yield"].belief_sets["D"].bounds["ds"], (0.5, 1.0), atol=1e-9)


# ---------------------------------------------------------------------- invariants (hypothesis)
def _brute_force_nash_regret(game, sigma, rho):
    """Regret in the reduced normal form: pure sender plans (type -> message), pure receiver plans."""
    pi, uS, uR = game.prior[0], game.sender_payoffs[0], game.receiver_payoffs[0]
    T, M, R = game.shape
    def pay(sig, rh):
        return (sum(pi[t] * sig[t, m] * rh[m, r] * uS[t, m, r] for t in range(T) for m in range(M) for r in range(R)),
                sum(pi[t] * sig[t, m] * rh[m, r] * uR[t, m, r] for t in range(T) for m in range(M) for r in range(R)))
    cur = pay(sigma, rho)
    best_s = max(pay(np.eye(M)[list(plan)], rho)[0] for plan in product(range(M), repeat=T))
    best_r = max(pay(sigma, np.eye(R)[list(plan)])[1] for plan in product(range(R), repeat=M))
    return max(best_s - cur[0], best_r - cur[1])


games = st.tuples(st.floats(0.1, 0.9), st.lists(st.integers(-3, 3), min_size=8, max_size=8),
                  st.lists(st.integers(-3, 3), min_size=8, max_size=8))


@settings(max_examples=12, deadline=None)
@given(games)
def test_signalling_invariants_and_agreement_with_tree_enumeration(data):
    p, a, b = data
    g = SignallingGame([p, 1 - p], np.reshape(a, (2, 2, 2)), np.reshape(b, (2, 2, 2)))
    res = signalling_pbe(g)
    assert len(res) >= 1           # a PBE always exists in a finite signalling game
    for e in res:
        joint = g.prior[0][:, None] * e.sender
        for m in range(2):
            if joint[:, m].sum() > 1e-12:
                assert e.on_path[m]
                np.testing.assert_allclose(e.beliefs[m], joint[:, m] / joint[:, m].sum(), atol=1e-9)
            else:
                assert not e.on_path[m] and e.off_path_beliefs[g.messages[m]].contains(e.beliefs[m], 1e-7)
            # receiver sequentially rational at every message given the beliefs
            W = e.beliefs[m] @ g.receiver_payoffs[0][:, m, :]
            assert W.max() - e.receiver[m] @ W <= 1e-7
        assert _brute_force_nash_regret(g, e.sender, e.receiver) <= 1e-7
    # pure equilibria: the complete signalling solver and the general tree enumeration agree
    ours = {(tuple(np.argmax(e.sender, 1)), tuple(np.argmax(e.receiver, 1))) for e in res if e.is_pure}
    tree = g.to_tree()
    gen = perfect_bayesian(tree, method="enumerate", mixed=False)
    theirs = set()
    for e in gen:
        prof = e.profile
        theirs.add((tuple(int(np.argmax(prof[h])) for h in range(2)), tuple(int(np.argmax(prof[h])) for h in (2, 3))))
        assert e.nash_regret <= 1e-7
    assert ours == theirs


# ---------------------------------------------------------------------- pygambit cross-checks
def _to_gambit(tree, gbt):
    g = gbt.Game.new_tree(players=list(tree.players))
    isets = {}

    def build(k, gn):
        if tree.kind[k] == 0:
            pay = tree.payoffs[0, tree.terminal[k]]
            g.set_outcome(gn, g.add_outcome(f"o{k}", [Fraction(float(x)).limit_denominator(10 ** 6) for x in pay]))
            return
        acts = list(tree.actions(k))
        if tree.kind[k] == 2:
            g.append_move(gn, g.players.chance, acts)
            lo = tree.child_ptr[k]
            g.set_chance_probs(gn.infoset, [Fraction(float(x)).limit_denominator(10 ** 6)
                                            for x in tree.chance_probs[0, lo:lo + len(acts)]])
        else:
            h = int(tree.infoset[k])
            if h in isets:
                g.append_infoset(gn, isets[h])
            else:
                g.append_move(gn, tree.players[tree.player[k]], acts)
                isets[h] = gn.infoset
        for j, c in enumerate(tree.children(k)):
            build(int(c), gn.children[acts[j]])
    build(0, g.root)
    return g, isets


@settings(max_examples=4, deadline=None)
@given(games)
def test_pygambit_pure_agent_equilibria(data):
    gbt = pytest.importorskip("pygambit")
    p, a, b = data
    p = round(p, 2)
    g = SignallingGame([p, 1 - p], np.reshape(a, (2, 2, 2)), np.reshape(b, (2, 2, 2)))
    tree = g.to_tree()
    G, isets = _to_gambit(tree, gbt)
    res = perfect_bayesian(tree)
    for e in res:      # each of our PBE is a Nash equilibrium with Gambit's payoffs
        prof = G.mixed_behavior_profile(rational=False)
        for h, gi in isets.items():
            for j, act in enumerate(gi.actions):
                prof[act] = float(e.profile[h][j])
        assert prof.max_regret() <= 1e-7
    ours = {tuple(tuple(np.round(x, 9)) for x in e.profile) for e in res if e.pure}
    # every pure agent-form equilibrium of Gambit that reaches every information set is a PBE, and
    # every pure PBE is a pure agent-form equilibrium
    gam = set()
    for q in gbt.nash.enumpure_agent_solve(G).equilibria:
        key = tuple(tuple(float(q[act]) for act in isets[h].actions) for h in range(len(isets)))
        gam.add(key)
    assert ours <= gam
    for key in gam:
        sent = {int(np.argmax(key[0])), int(np.argmax(key[1]))}
        if sent == {0, 1}:                      # both messages on path: every information set reached
            assert key in ours


def test_pygambit_zagare_kilgour():
    gbt = pytest.importorskip("pygambit")
    for p in (0.3, 0.7):
        t = zagare_kilgour(p, 0.0, 1.0, -1.0)
        G, isets = _to_gambit(t, gbt)
        e = perfect_bayesian(t, mixed=False)[0]
        prof = G.mixed_behavior_profile(rational=False)
        for h, gi in isets.items():
            for j, act in enumerate(gi.actions):
                prof[act] = float(e.profile[h][j])
        assert prof.max_regret() <= 1e-9


# ---------------------------------------------------------------------- structure and errors
def test_signalling_tree_roundtrip_and_errors():
    g = beer_quiche()
    t = g.to_tree()
    g2 = SignallingGame.from_tree(t)
    np.testing.assert_array_equal(g2.sender_payoffs, g.sender_payoffs)
    np.testing.assert_array_equal(g2.prior, g.prior)
    assert g2.types == g.types and g2.messages == g.messages
    with pytest.raises(GameStructureError, match="weak"):
        SignallingGame([1.0, 0.0], np.zeros((2, 2, 2)), np.zeros((2, 2, 2)), types=["tough", "weak"])
    with pytest.raises(GameStructureError, match="shape"):
        SignallingGame([0.5, 0.5], np.zeros((2, 2, 2)), np.zeros((2, 3, 2)))
    with pytest.raises(GameStructureError, match="not a signalling game"):
        SignallingGame.from_tree(zagare_kilgour(0.5, 0, 1, -1))
    with pytest.raises(SolverError, match="not a signalling game"):
        perfect_bayesian(zagare_kilgour(0.5, 0, 1, -1), method="signalling")
    with pytest.raises(ModelError):
        perfect_bayesian("tree")


def test_batched_signalling():
    g = SignallingGame([[0.2, 0.8], [0.7, 0.3]], crisis(0.5, 1.0).sender_payoffs[0],
                       crisis(0.5, 1.0).receiver_payoffs[0])
    out = signalling_pbe(g)
    assert len(out) == 2
    assert [e.kind for e in out[0]] == ["hybrid"]
    assert "pooling" in [e.kind for e in out[1]]
    t = g.to_tree()
    assert t.batch_size == 2


# ---------------------------------------------------------------------- a player moving twice on a path
# Sequential rationality at an information set concerns the mover's WHOLE continuation strategy (Mas-Colell,
# Whinston & Green 1995, Def. 9.C.3); one-shot tests do not suffice when her later information sets are
# unreached and carry free beliefs.  The checks below are independent of the solver's machinery: a plain
# recursive evaluator on the tree arrays, brute force over the mover's pure strategies, and the reduced
# normal form (deterrence.games.reduce) with NormalFormGame.regret.

def _value(t, v, strat, i):
    """Player i's expected payoff from node v when information set h plays the distribution strat[h]."""
    if t.kind[v] == 0:
        return float(t.payoffs[0, t.terminal[v], i])
    kids = t.children(v)
    if t.kind[v] == 2:
        lo = t.child_ptr[v]
        return sum(float(t.chance_probs[0, lo + j]) * _value(t, int(c), strat, i) for j, c in enumerate(kids))
    p = strat[int(t.infoset[v])]
    return sum(float(p[j]) * _value(t, int(c), strat, i) for j, c in enumerate(kids) if p[j] > 0)


def _own_sets_below(t, h):
    """Information sets of h's mover at or below the nodes of h."""
    i, out, stack = t.infosets[h].player, set(), list(t.infosets[h].nodes)
    while stack:
        v = stack.pop()
        if t.kind[v] == 1 and t.player[v] == i:
            out.add(int(t.infoset[v]))
        stack.extend(int(c) for c in t.children(v))
    return sorted(out)


def _brute_sequential_regret(t, e):
    """max over information sets h of: best continuation (any pure strategy of the mover on her information
    sets below h) minus the prescribed one, both weighted by the reported belief at h."""
    worst = 0.0
    strat = list(e.profile)
    for h, info in enumerate(t.infosets):
        i, mu = info.player, e.beliefs[h]
        cur = sum(m * _value(t, v, strat, i) for m, v in zip(mu, info.nodes))
        below = _own_sets_below(t, h)
        best = -np.inf
        for acts in product(*(range(len(t.infosets[g].actions)) for g in below)):
            s2 = list(strat)
            for g, a in zip(below, acts):
                s2[g] = np.eye(len(t.infosets[g].actions))[a]
            best = max(best, sum(m * _value(t, v, s2, i) for m, v in zip(mu, info.nodes)))
        worst = max(worst, best - cur)
    return worst


def _rnf_regret(t, e):
    """Nash regret of a pure behaviour profile in the reduced normal form (independent brute force)."""
    from deterrence.games.reduce import reduced_normal_form
    rnf = reduced_normal_form(t)
    pick = [int(np.argmax(p)) for p in e.profile]
    idx = []
    for i in range(t.n_players):
        C, hs = rnf.choices[i], rnf.infosets[i]
        want = np.array([pick[h] for h in hs], np.int64)
        ok = np.all((C < 0) | (C == want[None]), axis=1) if len(hs) else np.ones(len(C), bool)
        assert ok.sum() == 1
        idx.append(int(np.flatnonzero(ok)[0]))
    return float(rnf.game.regret(idx)[0])


def _moves_twice(t):
    for v in range(t.n_nodes):
        if t.kind[v] == 1:
            p = int(t.parent[v])
            while p >= 0:
                if t.kind[p] == 1 and t.player[p] == t.player[v]:
                    return True
                p = int(t.parent[p])
    return False


def two_move_tree(out_payoff):
    # Nature: L or R (1/2 each), unobserved by A.  A chooses Out (payoff out_payoff) or In; after In, A moves
    # again, still not observing: l or r.  A's payoffs: (L, l) 2, (L, r) -3, (R, l) -3, (R, r) 4.  B never moves.
    nodes = [{"id": "nat", "chance": {"L": ["a1L", 0.5], "R": ["a1R", 0.5]}},
             {"id": "a1L", "player": "A", "infoset": "first", "actions": {"Out": "oL", "In": "a2L"}},
             {"id": "a1R", "player": "A", "infoset": "first", "actions": {"Out": "oR", "In": "a2R"}},
             {"id": "a2L", "player": "A", "infoset": "second", "actions": {"l": "Ll", "r": "Lr"}},
             {"id": "a2R", "player": "A", "infoset": "second", "actions": {"l": "Rl", "r": "Rr"}},
             {"id": "oL", "payoffs": [out_payoff, 0], "outcome": "out"},
             {"id": "oR", "payoffs": [out_payoff, 0], "outcome": "out"},
             {"id": "Ll", "payoffs": [2, 0], "outcome": "Ll"}, {"id": "Lr", "payoffs": [-3, 0], "outcome": "Lr"},
             {"id": "Rl", "payoffs": [-3, 0], "outcome": "Rl"}, {"id": "Rr", "payoffs": [4, 0], "outcome": "Rr"}]
    return GameTree.from_nodes(["A", "B"], nodes)


def test_player_moving_twice_hand_derived():
    # Out = 0.  With mu = P(L) at "second": l gives 2 mu - 3 (1 - mu), r gives -3 mu + 4 (1 - mu); l is optimal
    # iff mu >= 7/12.  At "first" (belief 1/2, 1/2) the plans give Out 0, (In, l) -1/2, (In, r) 1/2.
    # (Out, l) passes every one-shot test (In followed by l gives -1/2 < 0; l is optimal at the unreached
    # "second" for mu >= 7/12) but A gains 1/2 with (In, r): not a PBE, not even Nash -- the reported bug
    # raised "internal check failed" here.  (Out, r) and (In, l) fail too; the unique pure PBE is (In, r),
    # with Bayes belief 1/2 at "second", outcomes Lr 1/2 and Rr 1/2, and A's payoff 1/2.
    t = two_move_tree(0.0)
    res = perfect_bayesian(t, mixed=False)
    assert [e.choice() for e in res] == [{"first": "In", "second": "r"}]
    e = res[0]
    assert e.outcome_probabilities == pytest.approx({"out": 0.0, "Ll": 0.0, "Lr": 0.5, "Rl": 0.0, "Rr": 0.5})
    assert e.payoffs[0] == pytest.approx(0.5)
    np.testing.assert_allclose(e.beliefs[1], [0.5, 0.5])
    assert e.nash_regret <= 1e-12 and e.regret <= 1e-12
    assert _brute_sequential_regret(t, e) <= 1e-12 and _rnf_regret(t, e) <= 1e-12


def test_player_moving_twice_off_path_belief_sets():
    # Out = 1 beats every plan after In (best 1/2), so A stays out and "second" is unreached: both l and r
    # are supported, l by mu(a2L) >= 7/12 and r by mu(a2L) <= 7/12 (derivation above); In is never chosen.
    res = perfect_bayesian(two_move_tree(1.0), mixed=False)
    sols = {e.choice()["second"]: e for e in res}
    assert len(res) == 2 and set(sols) == {"l", "r"}
    assert all(e.choice()["first"] == "Out" for e in res)
    np.testing.assert_allclose(sols["l"].belief_sets["second"].bounds["a2L"], (7 / 12, 1.0), atol=1e-9)
    np.testing.assert_allclose(sols["r"].belief_sets["second"].bounds["a2L"], (0.0, 7 / 12), atol=1e-9)
    # two nodes: described by the last one, mu(a2R) = 1 - mu(a2L) <= 5/12
    assert "off path: mu(a2R | second) <= 5/12" in str(sols["l"])


def test_reported_case_random_tree_24():
    import sys
    import os
    sys.path.insert(0, os.path.dirname(__file__))
    from test_bayesian import random_uncertain_resolve_tree
    from deterrence.solve.bayesian import bayesian_backward_induction
    t = random_uncertain_resolve_tree(24)
    assert _moves_twice(t)
    res = perfect_bayesian(t, mixed=False)          # used to raise "internal check failed: pure PBE ..."
    assert res.complete_pure and len(res) >= 1
    for e in res:
        assert e.nash_regret <= 1e-9 and e.regret <= 1e-9
        assert _brute_sequential_regret(t, e) <= 1e-9 and _rnf_regret(t, e) <= 1e-9
        for h, bs in e.belief_sets.items():
            assert bs.contains(e.beliefs[[i.label for i in t.infosets].index(h)], 1e-7)
    assert bayesian_backward_induction(t).choice(0) in [e.choice() for e in res]


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10_000), st.booleans(), st.booleans())
def test_random_trees_with_repeated_movers(seed, zero_type, uneven):
    import sys
    import os
    from hypothesis import assume
    sys.path.insert(0, os.path.dirname(__file__))
    from test_bayesian import random_uncertain_resolve_tree
    from deterrence.solve.bayesian import bayesian_backward_induction, hides_only_chance
    t = random_uncertain_resolve_tree(seed, zero_type=zero_type, uneven_depth=uneven)
    assume(_moves_twice(t) and np.prod([len(h.actions) for h in t.infosets]) <= 256)
    res = perfect_bayesian(t, mixed=False)          # never raises on a valid game
    assert res.complete and res.complete_pure
    for e in res:
        assert e.pure
        assert _rnf_regret(t, e) <= 1e-9            # a Nash equilibrium of the reduced normal form
        assert _brute_sequential_regret(t, e) <= 1e-9
    if hides_only_chance(t):                        # a sequential equilibrium is a weak PBE
        assert bayesian_backward_induction(t).choice(0) in [e.choice() for e in res]


def test_str_one_line_per_equilibrium():
    res = perfect_bayesian(two_move_tree(1.0), mixed=False)
    lines = str(res).splitlines()
    assert len(lines) == 1 + len(res)
    assert "first: Out" in lines[1] and "outcomes out 1" in lines[1] and "off path: mu(a2R | second)" in lines[1]
    # on-path beliefs are shown at reached information sets with several nodes
    e = perfect_bayesian(two_move_tree(0.0), mixed=False)[0]
    assert "beliefs first: a1L 1/2, a1R 1/2; second: a2L 1/2, a2R 1/2" in str(e)
    assert repr(e).startswith("PerfectBayesianEquilibrium(")
