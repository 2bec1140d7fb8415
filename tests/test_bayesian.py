"""Tests of deterrence.solve.bayesian (Bayesian backward induction, information sets hiding only chance).

Expected values come from the Zagare & Kilgour (2000) threshold (derived by hand below), from the
general PBE solver (pure enumeration + LPs), from brute force over the reduced normal form, and
from hand derivations.
"""

from __future__ import annotations

import csv
import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deterrence
from deterrence.errors import CertificateError, SolverError
from deterrence.games.reduce import reduced_normal_form
from deterrence.games.tree import GameTree
from deterrence.solve import perfect_bayesian
from deterrence.solve.bayesian import bayesian_backward_induction, hides_only_chance

ZK = "zagare_kilgour_rudimentary_deterrence"


@pytest.fixture(scope="module")
def zk():
    return deterrence.load_model(ZK)


# ---------------------------------------------------------------------- Zagare & Kilgour (2000)
def test_zk_threshold_on_a_batch(zk):
    # Hand derivation: a Hard defender resists (b_DD_hard > b_DC), a Soft one concedes
    # (b_DD_soft < b_DC); the challenger, not seeing the type, compares a_SQ with
    # p_B a_DD + (1 - p_B) a_DC: it challenges iff p_B < (a_DC - a_SQ) / (a_DC - a_DD).
    rng = np.random.default_rng(0)
    n = 4000
    a_DD = rng.uniform(-5, 0, n)
    a_SQ = a_DD + rng.uniform(0.05, 3, n)
    a_DC = a_SQ + rng.uniform(0.05, 3, n)
    b_DC = rng.uniform(-2, 2, n)
    pts = {"p_B": rng.uniform(0, 1, n), "a_SQ": a_SQ, "a_DC": a_DC, "a_DD": a_DD, "b_DC": b_DC,
           "b_SQ": b_DC + rng.uniform(0.05, 2, n), "b_DD_hard": b_DC + rng.uniform(0.05, 2, n),
           "b_DD_soft": b_DC - rng.uniform(0.05, 2, n)}
    thr = (a_DC - a_SQ) / (a_DC - a_DD)
    keep = np.abs(pts["p_B"] - thr) > 1e-6
    res = bayesian_backward_induction(zk.evaluate_batch(pts))
    ch = res.profile.at("challenger")["challenge"]
    challenges = pts["p_B"] < thr
    np.testing.assert_array_equal(ch[keep] == 1.0, challenges[keep])
    assert res.unique[keep].all()
    probs = res.outcome_probabilities
    p = pts["p_B"]
    # after a challenge: conflict with probability p_B (Hard type), concession otherwise
    np.testing.assert_allclose(probs["conflict (DD)"], np.where(challenges, p, 0.0), atol=1e-12)
    np.testing.assert_allclose(probs["Defender concedes (DC)"], np.where(challenges, 1 - p, 0.0), atol=1e-12)
    np.testing.assert_allclose(probs["status quo (SQ)"], np.where(challenges, 0.0, 1.0), atol=1e-12)
    np.testing.assert_allclose(res.payoffs[:, 0], np.where(challenges, p * a_DD + (1 - p) * a_DC, a_SQ))
    # beliefs at the challenger's information set are the prior
    bel = res.belief("challenger")
    np.testing.assert_allclose(bel["challenger_vs_hard"], p)
    np.testing.assert_allclose(bel["challenger_vs_soft"], 1 - p)
    assert res.regret.max() <= 1e-8


def test_zk_tie_at_threshold_is_flagged(zk):
    # defaults a_SQ=0, a_DC=1, a_DD=-2: threshold (1 - 0)/(1 + 2) = 1/3, where the challenger is indifferent
    res = bayesian_backward_induction(zk.evaluate_batch({"p_B": np.array([0.3, 1 / 3, 0.4])}))
    assert res.unique.tolist() == [True, False, True]
    assert res.n_ties.tolist() == [0, 1, 0]


def test_zk_agrees_with_perfect_bayesian(zk):
    for p in (0.1, 0.3, 0.6, 0.95):
        t = zk.at({"p_B": p})
        ours = bayesian_backward_induction(t).choice(0)
        pbe = perfect_bayesian(t, mixed=False)
        # strict preferences everywhere: exactly one pure PBE, ours
        assert [e.choice() for e in pbe] == [ours]


# ---------------------------------------------------------------------- random trees of the class
def _skeleton(rng, depth=0, observed=False, max_depth=3, moves=0, max_moves=None):
    """Random skeleton: ('T',) | ('D', player, observes_type, kids) | ('C', probs, kids).
    Once a mover observes the type, every mover below does too (no information set below an
    informed move may span types).  With *max_moves*, the k-th player move on a path is made by
    player k (A, then B): each player moves at most once on a path."""
    if depth >= max_depth or (depth > 0 and rng.random() < 0.3) or (max_moves is not None and moves >= max_moves):
        return ("T",)
    k = 2 if rng.random() < 0.85 else 3
    kw = dict(max_depth=max_depth, max_moves=max_moves)
    if depth > 0 and rng.random() < 0.15:
        w = rng.integers(1, 4, k).astype(float)
        return ("C", tuple(w / w.sum()), [_skeleton(rng, depth + 1, observed, moves=moves, **kw) for _ in range(k)])
    obs = observed or bool(rng.random() < 0.4)
    player = moves if max_moves is not None else int(rng.integers(0, 2))
    return ("D", player, obs, [_skeleton(rng, depth + 1, obs, moves=moves + 1, **kw) for _ in range(k)])


def random_uncertain_resolve_tree(seed, batch=None, zero_type=False, uneven_depth=False, max_moves=None):
    """Nature draws a type (2 or 3 types); then a common skeleton of moves; movers who do not observe
    the type share an information set across types.  Payoffs depend on the type.  With
    *uneven_depth*, type 0's copy sits below an extra one-action chance node (members of an
    information set at different depths)."""
    rng = np.random.default_rng(seed)
    sk = _skeleton(rng, max_moves=max_moves)
    while sk[0] != "D":
        sk = _skeleton(rng, max_moves=max_moves)
    n_types = int(rng.integers(2, 4))
    prior = rng.dirichlet(np.ones(n_types))
    if zero_type:
        prior[0] = 0.0
        prior /= prior.sum()
    nodes = []
    counter = [0]

    def pay():
        if batch is None:
            return [float(x) for x in rng.normal(size=2)]
        return [rng.normal(size=batch), rng.normal(size=batch)]

    def walk(t, typ, path):
        nid = f"n{counter[0]}"
        counter[0] += 1
        if t[0] == "T":
            nodes.append({"id": nid, "payoffs": pay(), "outcome": "o" + path})
            return nid
        kids = [walk(c, typ, path + str(j)) for j, c in enumerate(t[-1])]
        if t[0] == "C":
            nodes.append({"id": nid, "chance": {f"c{j}": [c, p] for j, (c, p) in enumerate(zip(kids, t[1]))}})
        else:
            h = f"h{path}" + (f"_t{typ}" if t[2] else "")
            nodes.append({"id": nid, "player": ("A", "B")[t[1]], "infoset": h,
                          "actions": {f"a{j}": c for j, c in enumerate(kids)}})
        return nid

    tops = []
    for typ in range(n_types):
        top = walk(sk, typ, "r")
        if uneven_depth and typ == 0:
            nid = f"pad{typ}"
            nodes.append({"id": nid, "chance": {"go": [top, 1.0]}})
            top = nid
        tops.append(top)
    nodes.append({"id": "nature", "chance": {f"type{j}": [c, float(p)] for j, (c, p) in enumerate(zip(tops, prior))}})
    return GameTree.from_nodes(["A", "B"], nodes, root="nature")


def _pure_rnf_regret(tree, choice_idx):
    """Brute force over the reduced normal form: the largest gain of a pure deviation."""
    rnf = reduced_normal_form(tree)
    U = rnf.game.payoffs[0] if rnf.game.payoffs.ndim == 4 else rnf.game.payoffs
    idx = []
    for i in range(2):
        C, hs = rnf.choices[i], rnf.infosets[i]
        want = np.array([choice_idx[h] for h in hs], np.int64)
        ok = np.all((C < 0) | (C == want[None]), axis=1) if len(hs) else np.ones(len(C), bool)
        assert ok.sum() == 1
        idx.append(int(np.flatnonzero(ok)[0]))
    cur = U[idx[0], idx[1]]
    gain = 0.0
    for s0 in range(U.shape[0]):
        gain = max(gain, U[s0, idx[1], 0] - cur[0])
    for s1 in range(U.shape[1]):
        gain = max(gain, U[idx[0], s1, 1] - cur[1])
    return gain


def _choice_idx(res, b=0):
    t = res.tree
    ch = res.choice(b)
    return [t.infosets[h].actions.index(ch[t.infosets[h].label]) for h in range(len(t.infosets))]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.booleans(), st.booleans())
def test_random_trees_nash_by_brute_force(seed, zero_type, uneven):
    # deeper trees, a player may move several times on a path
    t = random_uncertain_resolve_tree(seed, zero_type=zero_type, uneven_depth=uneven)
    assert hides_only_chance(t)
    res = bayesian_backward_induction(t)
    # a Nash equilibrium of the reduced normal form (brute force over pure deviations)
    assert _pure_rnf_regret(t, _choice_idx(res)) <= 1e-9
    assert res.regret[0] <= 1e-8 and res.sequential_regret[0] <= 1e-8


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 10_000), st.booleans(), st.booleans())
def test_random_trees_agree_with_perfect_bayesian(seed, zero_type, uneven):
    # a player may move several times on a path: the general solver checks whole continuation
    # strategies at every information set (weak PBE), not only one-shot deviations
    from hypothesis import assume
    t = random_uncertain_resolve_tree(seed, zero_type=zero_type, uneven_depth=uneven)
    assume(np.prod([len(h.actions) for h in t.infosets]) <= 256)     # small enough to enumerate
    assert hides_only_chance(t)
    res = bayesian_backward_induction(t)
    assert _pure_rnf_regret(t, _choice_idx(res)) <= 1e-9
    # ... and a perfect Bayesian equilibrium found by the general solver
    pbe = perfect_bayesian(t, mixed=False)
    assert res.choice(0) in [e.choice() for e in pbe]
    match = [e for e in pbe if e.choice() == res.choice(0)][0]
    for h, info in enumerate(t.infosets):
        if match.on_path[h]:       # Bayes' rule pins beliefs on the path: they must agree
            np.testing.assert_allclose(res.beliefs[0, list(info.nodes)], match.beliefs[h], atol=1e-9)
    np.testing.assert_allclose(res.payoffs[0], match.payoffs, atol=1e-9)
    # every pure PBE whose information sets are all reached has Bayes beliefs everywhere, so it is a
    # sequential equilibrium: when ours is unique, no other fully reached pure PBE exists
    if res.unique[0]:
        for e in pbe:
            if all(e.on_path):
                assert e.choice() == res.choice(0)


def test_zero_reach_information_set_gets_uniform_beliefs():
    # Hand-built: nature picks type x (prob 1) or y (prob 0); A's information set spans both types
    # (beliefs 1, 0); B's information set {By1, By2} lies below type y only: chance reach 0 at both
    # nodes, so beliefs are uniform.
    nodes = [
        {"id": "nature", "chance": {"x": ["Ax", 1.0], "y": ["Ay", 0.0]}},
        {"id": "Ax", "player": "A", "infoset": "A", "actions": {"l": "t1", "r": "t2"}},
        {"id": "Ay", "player": "A", "infoset": "A", "actions": {"l": "pad", "r": "t3"}},
        {"id": "pad", "chance": {"u": ["By1", 0.5], "v": ["By2", 0.5]}},
        {"id": "By1", "player": "B", "infoset": "B", "actions": {"l": "t4", "r": "t5"}},
        {"id": "By2", "player": "B", "infoset": "B", "actions": {"l": "t6", "r": "t7"}},
        {"id": "t1", "payoffs": [1, 0]}, {"id": "t2", "payoffs": [0, 0]}, {"id": "t3", "payoffs": [0, 0]},
        # B's expected values under uniform beliefs: l: (3 + 0)/2 = 1.5, r: (0 + 2)/2 = 1 -> l
        {"id": "t4", "payoffs": [0, 3]}, {"id": "t5", "payoffs": [0, 0]},
        {"id": "t6", "payoffs": [0, 0]}, {"id": "t7", "payoffs": [0, 2]},
    ]
    t = GameTree.from_nodes(["A", "B"], nodes)
    res = bayesian_backward_induction(t)
    assert res.belief("B") == {"By1": pytest.approx([0.5]), "By2": pytest.approx([0.5])}
    assert res.belief("A") == {"Ax": pytest.approx([1.0]), "Ay": pytest.approx([0.0])}
    assert res.choice(0) == {"A": "l", "B": "l"}


def test_batch_equals_per_game():
    B = 12
    t = random_uncertain_resolve_tree(7, batch=B, uneven_depth=True)
    res = bayesian_backward_induction(t)
    for b in range(B):
        one = bayesian_backward_induction(t[b])
        assert one.choice(0) == res.choice(b)
        np.testing.assert_allclose(one.payoffs[0], res.payoffs[b])
        np.testing.assert_allclose(one.terminal_probs[0], res.terminal_probs[b])


def test_batch_with_batched_priors_equals_per_point(zk):
    p = np.linspace(0, 1, 21)
    a_SQ = np.linspace(-1.5, 0.9, 21)
    res = bayesian_backward_induction(zk.evaluate_batch({"p_B": p, "a_SQ": a_SQ}))
    for b in range(21):
        one = bayesian_backward_induction(zk.at({"p_B": p[b], "a_SQ": a_SQ[b]}))
        assert one.choice(0) == res.choice(b)
        np.testing.assert_allclose(one.payoffs[0], res.payoffs[b])


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 10_000), st.floats(0.1, 10), st.floats(-5, 5), st.floats(0.1, 10), st.floats(-5, 5))
def test_affine_payoff_invariance(seed, a0, b0, a1, b1):
    t = random_uncertain_resolve_tree(seed)
    res = bayesian_backward_induction(t)
    scaled = t[0]                                   # a copy sharing the structure; rescale its payoffs
    scaled.payoffs = t.payoffs * np.array([a0, a1]) + np.array([b0, b1])
    res2 = bayesian_backward_induction(scaled)
    if res.unique[0]:
        assert res2.choice(0) == res.choice(0)
    np.testing.assert_allclose(res2.beliefs, res.beliefs)
    if res.unique[0]:
        np.testing.assert_allclose(res2.payoffs[0], res.payoffs[0] * [a0, a1] + [b0, b1], atol=1e-9)


def test_perfect_information_tree_equals_spe():
    from deterrence.solve.spe import subgame_perfect
    rng = np.random.default_rng(3)
    nodes = [
        {"id": "r", "chance": {"h": ["a1", 0.3], "s": ["a2", 0.7]}},
        {"id": "a1", "player": "A", "actions": {"x": "b1", "y": "t1"}},
        {"id": "a2", "player": "A", "actions": {"x": "b2", "y": "t2"}},
        {"id": "b1", "player": "B", "actions": {"x": "t3", "y": "t4"}},
        {"id": "b2", "player": "B", "actions": {"x": "t5", "y": "t6"}},
    ] + [{"id": f"t{k}", "payoffs": rng.normal(size=(2, 50)).tolist()} for k in range(1, 7)]
    t = GameTree.from_nodes(["A", "B"], nodes)
    ours, spe = bayesian_backward_induction(t), subgame_perfect(t)
    np.testing.assert_array_equal(ours.profile.flat, spe.profile.flat)
    np.testing.assert_allclose(ours.payoffs, spe.payoffs)


# ---------------------------------------------------------------------- outside the class
def signalling_tree():
    # Defender (informed of its type) signals first; the Challenger's information set after "firm"
    # spans two nodes reached by different Defender information sets: beliefs depend on strategies.
    nodes = [{"id": "nature", "chance": {"hard": ["d_h", 0.5], "soft": ["d_s", 0.5]}},
             {"id": "d_h", "player": "Defender", "actions": {"firm": "c_hf", "weak": "c_hw"}},
             {"id": "d_s", "player": "Defender", "actions": {"firm": "c_sf", "weak": "c_sw"}}]
    for typ in "hs":
        for msg in "fw":
            nodes.append({"id": f"c_{typ}{msg}", "player": "Challenger", "infoset": f"after_{msg}",
                          "actions": {"back_down": f"t_{typ}{msg}0", "attack": f"t_{typ}{msg}1"}})
            nodes.append({"id": f"t_{typ}{msg}0", "payoffs": [0, 1]})
            nodes.append({"id": f"t_{typ}{msg}1", "payoffs": [1 if typ == "s" else -1, 0]})
    return GameTree.from_nodes(["Challenger", "Defender"], nodes)


def test_signalling_game_is_refused_naming_the_information_set():
    t = signalling_tree()
    assert not hides_only_chance(t)
    with pytest.raises(SolverError, match=r"after_f.*perfect_bayesian"):
        bayesian_backward_induction(t)


def test_not_a_tree():
    with pytest.raises(SolverError, match="GameTree"):
        bayesian_backward_induction("zk")


# ---------------------------------------------------------------------- sweep and CLI
def test_sweep_auto_uses_bayesian(zk):
    from deterrence.analysis import sweep
    tab = sweep(zk, {"p_B": "0:1:8"})     # avoids the tie at p_B = 1/3
    assert tab.meta["concept"] == "pbe"
    p = np.asarray(tab["p_B"])
    sq = np.asarray(tab["P(status quo (SQ))"])
    np.testing.assert_allclose(sq, (p > 1 / 3).astype(float))   # threshold 1/3 at the defaults
    np.testing.assert_allclose(np.asarray(tab["P(conflict (DD))"]), np.where(p < 1 / 3, p, 0.0), atol=1e-12)


def test_cli_sweep_threshold(tmp_path, monkeypatch, capsys):
    from deterrence.cli import main
    monkeypatch.chdir(tmp_path)
    code = main(["sweep", ZK, "--grid", "p_B=0:1:101", "--out", "sweep.csv"])
    assert code == 0, capsys.readouterr().err
    with open(tmp_path / "sweep.csv") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 101
    for r in rows:
        p = float(r["p_B"])
        sq = float(r["P(status quo (SQ))"])
        # a_SQ=0, a_DC=1, a_DD=-2: challenge iff p_B < (1 - 0)/(1 + 2) = 1/3
        assert sq == (1.0 if p > 1 / 3 else 0.0), r
    deterred = ["status quo" in r["outcome"] for r in rows]
    switch = [k for k in range(100) if deterred[k] != deterred[k + 1]]
    assert switch == [33]          # between p_B = 0.33 and p_B = 0.34
    # at p_B = 0 the Defender is surely Soft: only concession is reached
    assert rows[0]["outcome"] == "Defender concedes (DC)"


def test_cli_solve_reports_the_bayesian_equilibrium(capsys):
    from deterrence.cli import main
    assert main(["solve", ZK, "--set", "p_B=0.5", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["outcomes"]["status quo (SQ)"] == 1.0
    assert r["beliefs"]["challenger"] == {"challenger_vs_hard": 0.5, "challenger_vs_soft": 0.5}
    assert r["equilibria"][0]["strategy"] == {"challenger": "status_quo", "defender_hard": "resist",
                                              "defender_soft": "concede"}
    assert r["unique"] is True and r["regret"] <= 1e-9
    assert main(["solve", ZK, "--set", "p_B=0.2"]) == 0
    out = capsys.readouterr().out
    assert "challenge" in out and "Defender concedes (DC)" in out


# ---------------------------------------------------------------------- certificate can fail
def _certify_pure(tree, choice_h):
    """The solver's certificate applied to an arbitrary pure profile, with the profile's own node values
    computed independently (deterrence.games.profiles.node_values)."""
    import deterrence.solve.bayesian as bb
    from deterrence.games.profiles import BehaviourProfile, node_values

    st_ = bb._structure(tree)
    W = np.ascontiguousarray(node_values(tree, BehaviourProfile.from_pure(tree, choice_h)).transpose(1, 2, 0))
    cpT = np.ascontiguousarray(tree.chance_probs.T)
    mu = bb._chance_beliefs_nm(tree, st_, cpT)
    ch = np.asarray(choice_h, np.int64)[:, None]
    return bb._certify(tree, st_, tree.payoffs.transpose(1, 2, 0), cpT, mu, W, ch, np.array([1e-9]), 1), (st_, cpT, mu, W, ch)


def test_certificate_rejects_corrupted_choices(zk):
    # p_B = 0.1, a_SQ = 0, a_DC = 1, a_DD = -2, b_DC = 0, b_DD_hard = 0.5: the equilibrium is
    # (challenge, Hard resists, Soft concedes).  Hand derivation of the gains of corrupted profiles:
    tree = zk.evaluate_batch({"p_B": np.array([0.1])})
    (nash, seq, gap, *_), _ = _certify_pure(tree, [1, 1, 0])
    assert nash[0] <= 1e-12 and seq[0] <= 1e-12 and gap[0] <= 1e-12
    # challenger keeps the status quo (0) instead of challenging (0.1 * -2 + 0.9 * 1 = 0.7)
    (nash, seq, gap, *_), _ = _certify_pure(tree, [0, 1, 0])
    assert nash[0] == pytest.approx(0.7) and seq[0] == pytest.approx(0.7)
    # Hard defender concedes (0) instead of resisting (0.5): one-shot gain 0.5 at its information
    # set, but only 0.1 * 0.5 = 0.05 ex ante (the Nash regret weights it by the prior)
    (nash, seq, gap, *_), _ = _certify_pure(tree, [1, 0, 0])
    assert nash[0] == pytest.approx(0.05) and seq[0] == pytest.approx(0.5)
    # wrong beliefs at a reached information set: |0.9 - 0.1| from Bayes' rule
    import deterrence.solve.bayesian as bb
    _, (st_, cpT, mu, W, ch) = _certify_pure(tree, [1, 1, 0])
    mu_bad = mu.copy()
    mu_bad[[1, 2]] = mu[[2, 1]]
    _, _, gap, *_ = bb._certify(tree, st_, tree.payoffs.transpose(1, 2, 0), cpT, mu_bad, W, ch, np.array([1e-9]), 1)
    assert gap[0] == pytest.approx(0.8)
    # values that are not the profile's (stale after changing the choice) are refused outright
    with pytest.raises(CertificateError, match="chosen child"):
        bb._certify(tree, st_, tree.payoffs.transpose(1, 2, 0), cpT, mu, W, np.array([[0], [1], [0]]), np.array([1e-9]), 1)


def test_certificate_flags_only_the_corrupted_point_of_a_batch():
    """The batched certificate on the tripartite crisis (105 nodes, three players): the solver's profile passes
    at every point; flipping one choice at one point is flagged at that point and at no other.  The values of
    the corrupted profile, the regret it should have and the beliefs come from independent code
    (deterrence.games.profiles: node values, expected payoffs; the public chance_beliefs)."""
    import deterrence.solve.bayesian as bb
    from deterrence.games.profiles import (BehaviourProfile, expected_payoffs, node_values, reach_probabilities,
                                          tree_structure)
    from deterrence.solve.bayesian import chance_beliefs
    from deterrence.solve.tolerance import tree_tie_scale

    m = deterrence.load_model("tripartite_crisis")
    rng = np.random.default_rng(7)
    B = 48
    pts = {"p_D": rng.uniform(0.05, 0.95, B), "p_C": rng.uniform(0.05, 0.95, B), "q": rng.uniform(0.05, 0.95, B),
           "pi": rng.uniform(0.05, 0.95, B), "commitment": rng.integers(0, 4, B).astype(float),
           "k": rng.uniform(0, 2, B), "r_D": rng.uniform(0, 2, B), "u_R": rng.uniform(-2.5, -0.31, B),
           "a_RA": rng.uniform(0.5, 3, B)}
    tree = m.evaluate_batch(pts)
    res = bayesian_backward_induction(tree)
    s = tree_structure(tree)
    labels = [h.label for h in tree.infosets]
    choice = np.stack([np.argmax(res.profile.flat[:, s.h_off[h]:s.h_off[h + 1]], axis=1) for h in range(s.H)], 1)
    st_ = bb._structure(tree)
    cpT = np.ascontiguousarray(tree.chance_probs.T)
    P = np.ascontiguousarray(tree.payoffs.transpose(1, 2, 0))
    scale, rounding = tree_tie_scale(tree.payoffs, 1e-8)
    lim_p = (1e-8 * (tree.payoffs.max(axis=1) - tree.payoffs.min(axis=1))
             + 2.0 ** -40 * np.abs(tree.payoffs).max(axis=1)).T

    def certify(ch, mu=None):
        W = np.ascontiguousarray(node_values(tree, BehaviourProfile.from_pure(tree, ch)).transpose(1, 2, 0))
        mu = np.ascontiguousarray(chance_beliefs(tree).T) if mu is None else mu
        nash, seq, gap, _, ok = bb._certify(tree, st_, P, cpT, mu, W, np.ascontiguousarray(ch.T), scale + rounding,
                                            B, 1e-8, lim_p, rounding)
        return nash, seq, gap, ok & (gap <= 1e-9)

    nash, seq, gap, ok = certify(choice)
    assert ok.all() and nash.max() <= 1e-9 and seq.max() <= 1e-9 and gap.max() <= 1e-12
    # the solver's beliefs at the Challenger's information sets, against the model's closed form: resolved with
    # probability p_D, else bound by the pledge with probability theta = q [c = 1] + [c >= 2] (unprovoked) or
    # q [c = 1] + [c = 3] (provoked)
    c_, q_, pD = pts["commitment"], pts["q"], pts["p_D"]
    for lab, theta in (("challenger_unprovoked", q_ * (c_ == 1) + (c_ >= 2)),
                       ("challenger_provoked", q_ * (c_ == 1) + (c_ == 3))):
        bel = res.belief(lab)
        np.testing.assert_allclose(bel[f"{lab}_resolved"], pD, rtol=1e-12)
        np.testing.assert_allclose(bel[f"{lab}_bound"], (1 - pD) * theta, rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(bel[f"{lab}_free"], (1 - pD) * (1 - theta), rtol=1e-12, atol=1e-15)
    # (a) the Challenger's first move after an unprovoked crisis, flipped at one point: it loses
    # exactly what the independent expected payoffs say (its Nash regret), and only that point fails
    h = labels.index("challenger_unprovoked")
    base = expected_payoffs(tree, BehaviourProfile.from_pure(tree, choice))[:, 0]
    flip_all = choice.copy()
    flip_all[:, h] = 1 - flip_all[:, h]
    loss = base - expected_payoffs(tree, BehaviourProfile.from_pure(tree, flip_all))[:, 0]
    k = int(np.argmax(loss))
    assert loss[k] > 1e-3
    bad = choice.copy()
    bad[k, h] = 1 - bad[k, h]
    nash, seq, gap, ok = certify(bad)
    assert np.flatnonzero(~ok).tolist() == [k]
    assert nash[k] == pytest.approx(loss[k], rel=1e-9) and seq[k] > 1e-3
    # (b) a choice off the path of play: the Protégé abandoned after an unprovoked crisis by a free Defender,
    # at a point where that information set is not reached; switching to a worse reply costs nothing ex ante
    # (no Nash regret) but fails the one-shot test there (its size from the independent node values), at that
    # point only
    hp = labels.index("protege_abandoned_unprovoked_free")
    x = tree.infosets[hp].nodes[0]
    prof = BehaviourProfile.from_pure(tree, choice)
    reach = reach_probabilities(tree, prof)
    W0 = node_values(tree, prof)
    kids = [tree.child_index[tree.child_ptr[x] + a] for a in range(3)]
    worse = [[W0[b_, kids[choice[b_, hp]], 2] - W0[b_, kids[a], 2] for a in range(3)] for b_ in range(B)]
    cand = [b_ for b_ in range(B) if reach[b_, x] == 0 and max(worse[b_]) > 1e-3]
    assert cand
    j = cand[0]
    alt = int(np.argmax(worse[j]))
    bad = choice.copy()
    bad[j, hp] = alt
    nash, seq, gap, ok = certify(bad)
    assert np.flatnonzero(~ok).tolist() == [j]
    assert nash[j] <= 1e-12 and seq[j] == pytest.approx(worse[j][alt], rel=1e-9)
    # (c) wrong beliefs at the Challenger's information set (three nodes) of one point: the Bayes gap flags it
    mu = np.ascontiguousarray(chance_beliefs(tree).T)
    nodes = tree.infosets[h].nodes
    mu_bad = mu.copy()
    mu_bad[nodes[0], 5], mu_bad[nodes[1], 5] = mu[nodes[1], 5], mu[nodes[0], 5]
    assert abs(mu[nodes[0], 5] - mu[nodes[1], 5]) > 1e-3
    nash, seq, gap, ok = certify(choice, mu_bad)
    assert np.flatnonzero(~ok).tolist() == [5]
    assert gap[5] == pytest.approx(abs(mu[nodes[0], 5] - mu[nodes[1], 5]))


@pytest.mark.parametrize("consistent_values", [False, True])
def test_solver_refuses_a_corrupted_choice(zk, monkeypatch, consistent_values):
    import deterrence.solve.bayesian as bb
    from deterrence.games.profiles import BehaviourProfile, node_values

    tree = zk.evaluate_batch({"p_B": np.array([0.1, 0.2, 0.9])})
    solve = bb._solve_chunk

    def corrupted(tree_, st_, P, cpT, mu, *rest):
        ch, W, ties = solve(tree_, st_, P, cpT, mu, *rest)
        ch = ch.copy()
        ch[0, 1] = 1 - ch[0, 1]                  # the challenger's choice in game 1
        if consistent_values:
            W = np.ascontiguousarray(node_values(tree_, BehaviourProfile.from_pure(tree_, ch.T)).transpose(1, 2, 0))
        return ch, W, ties

    monkeypatch.setattr(bb, "_solve_chunk", corrupted)
    with pytest.raises(CertificateError, match="regret" if consistent_values else "chosen child"):
        bb.bayesian_backward_induction(tree)


@pytest.mark.parametrize("which", ["payoffs", "priors", "both"])
def test_chunked_batches_equal_per_point(zk, monkeypatch, which):
    import deterrence.solve.bayesian as bb

    monkeypatch.setattr(bb, "_CHUNK", 5)        # 13 games: chunks 5 + 5 + 3
    n = 13
    pts = {}
    if which in ("payoffs", "both"):
        pts["a_SQ"] = np.linspace(-1.8, 0.8, n)
    if which in ("priors", "both"):
        pts["p_B"] = np.linspace(0.02, 0.98, n)
    res = bb.bayesian_backward_induction(zk.evaluate_batch(pts))
    a = pts.get("a_SQ", np.zeros(n))
    p = pts.get("p_B", np.full(n, 0.5))
    assert res.payoffs.shape == (n, 2) and res.beliefs.shape[1] == 11
    for b in range(n):
        # hand derivation as in test_zk_threshold_on_a_batch (a_DC = 1, a_DD = -2)
        challenge = p[b] < (1 - a[b]) / 3
        assert res.choice(b)["challenger"] == ("challenge" if challenge else "status_quo")
        np.testing.assert_allclose(res.payoffs[b, 0], p[b] * -2 + (1 - p[b]) if challenge else a[b])
        bel = res.belief("challenger")
        np.testing.assert_allclose(bel["challenger_vs_hard"][min(b, len(bel["challenger_vs_hard"]) - 1)], p[b])


def test_row_groups_reduce_like_reduceat():
    """The solver's and the certificate's group reductions (largest groups first, block operations) give
    numpy's reduceat: exactly for maxima and minima, to rounding for sums, over random group sizes."""
    from deterrence.solve.bayesian import _Groups

    rng = np.random.default_rng(11)
    for _ in range(200):
        sizes = rng.integers(1, rng.integers(2, 90), rng.integers(1, 25))
        starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        x = rng.normal(size=(int(sizes.sum()), 3, 4))
        g = _Groups(starts, len(x))
        for op in (np.maximum, np.minimum):
            np.testing.assert_array_equal(g.reduce(op, x), op.reduceat(x, starts, axis=0))
        np.testing.assert_allclose(g.reduce(np.add, x), np.add.reduceat(x, starts, axis=0), rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("shift", [0.0, 100.0, -100.0])
def test_certificate_checks_the_chance_reach_it_is_given(monkeypatch, shift):
    """The chance reach is computed once per chunk and shared by the beliefs, the terminal probabilities and the
    certificate; the certificate must check it (each node's reach is its parent's times the chance probability
    of the edge into it), not take it on trust.  Here a wrong reach (halved below the root) leaves the beliefs'
    ratios intact, and with positive payoffs it lowers every best-response value, so the Nash regret alone does
    not see it: the terminal probabilities (0.3 * 0.5, ...) would be reported as certified."""
    import deterrence.solve.bayesian as bb

    nodes = [{"id": "nature", "chance": {"hard": ["xh", 0.3], "soft": ["xs", 0.7]}},
             {"id": "xh", "player": "A", "infoset": "a", "actions": {"go": "hg", "stay": "hs"}},
             {"id": "xs", "player": "A", "infoset": "a", "actions": {"go": "sg", "stay": "ss"}},
             {"id": "hg", "payoffs": [1.0 + shift, shift]}, {"id": "hs", "payoffs": [2.0 + shift, shift]},
             {"id": "sg", "payoffs": [3.0 + shift, shift]}, {"id": "ss", "payoffs": [2.0 + shift, shift]}]
    tree = GameTree.from_nodes(["A", "B"], nodes, root="nature")
    res = bayesian_backward_induction(tree)        # go: 0.3 * 1 + 0.7 * 3 = 2.4 > 2
    assert res.payoffs[0, 0] == pytest.approx(2.4 + shift)
    assert sorted(res.terminal_probs[0].tolist()) == pytest.approx([0.0, 0.0, 0.3, 0.7])
    reach = bb._chance_reach

    def halved(st_, cpT):
        c = reach(st_, cpT).copy()
        c[1:] *= 0.5
        return c

    monkeypatch.setattr(bb, "_chance_reach", halved)
    with pytest.raises(CertificateError):
        bayesian_backward_induction(tree)


def test_certificate_nash_check_stands_on_its_own(zk):
    """The Nash-regret check is not implied by the one-shot check when the beliefs are wrong: with the
    Challenger's beliefs swapped (Hard 0.9 instead of 0.1) keeping the status quo is one-shot optimal
    (0.9 * -2 + 0.1 * 1 = -1.7 < 0), but under the true prior challenging gains 0.1 * -2 + 0.9 * 1 = 0.7
    (hand derivation as in test_certificate_rejects_corrupted_choices): ``ok`` must be False from the Nash
    regret alone, whatever the Bayes gap says."""
    import deterrence.solve.bayesian as bb

    tree = zk.evaluate_batch({"p_B": np.array([0.1])})
    _, (st_, cpT, mu, _, _) = _certify_pure(tree, [1, 1, 0])
    mu_bad = mu.copy()
    mu_bad[[1, 2]] = mu[[2, 1]]
    from deterrence.games.profiles import BehaviourProfile, node_values
    ch = np.array([[0], [1], [0]])
    W = np.ascontiguousarray(node_values(tree, BehaviourProfile.from_pure(tree, [0, 1, 0])).transpose(1, 2, 0))
    nash, seq, _, _, ok = bb._certify(tree, st_, tree.payoffs.transpose(1, 2, 0), cpT, mu_bad, W, ch,
                                      np.array([1e-9]), 1)
    assert seq[0] <= 1e-12 and nash[0] == pytest.approx(0.7)
    assert not ok[0]


def test_solver_refuses_values_that_are_not_the_payoffs(zk, monkeypatch):
    """Check (o) of the certificate: the terminals' values must be their payoffs.  Values shifted by 1 at
    every terminal (a solver that read the wrong payoffs) are refused by that check, by name."""
    import deterrence.solve.bayesian as bb

    tree = zk.evaluate_batch({"p_B": np.array([0.1, 0.2, 0.9])})
    solve = bb._solve_chunk

    def shifted(tree_, st_, P, cpT, mu, *rest):
        ch, W, ties = solve(tree_, st_, P, cpT, mu, *rest)
        W = W.copy()
        W[st_.term_rows] += 1.0
        return ch, W, ties

    monkeypatch.setattr(bb, "_solve_chunk", shifted)
    with pytest.raises(CertificateError, match="terminal's value is not its payoff"):
        bb.bayesian_backward_induction(tree)
