"""GameTree validation (every bad input names its culprit) and behaviour-profile passes vs brute force."""

from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deterrence.errors import GameStructureError
from deterrence.games import (BehaviourProfile, GameTree, expected_payoffs, outcome_distribution,
                              reach_probabilities, subgame_regret, tree_regret)
from deterrence.games.profiles import best_response_values

from _tree_helpers import build, random_nested
from test_reduced_form import _expected_via_tree_walk, random_imperfect

P2 = ["A", "B"]


def simple(**over):
    nodes = {
        "r": {"id": "r", "player": "A", "actions": {"l": "b", "r": "t3"}},
        "b": {"id": "b", "player": "B", "actions": {"x": "t1", "y": "t2"}},
        "t1": {"id": "t1", "payoffs": [1, 0]}, "t2": {"id": "t2", "payoffs": [0, 1]},
        "t3": {"id": "t3", "payoffs": [2, 2]}}
    nodes.update(over)
    return [v for v in nodes.values() if v is not None]


def test_valid_tree_arrays():
    t = GameTree.from_nodes(P2, simple())
    assert t.node_ids == ("r", "b", "t3", "t1", "t2")           # breadth-first
    assert list(t.depth) == [0, 1, 1, 2, 2]
    assert t.outcomes == ("t3", "t1", "t2")
    np.testing.assert_array_equal(t.payoffs[0], [[2, 2], [1, 0], [0, 1]])
    assert t.is_perfect_information and t.perfect_recall


@pytest.mark.parametrize("nodes, culprit", [
    (simple(b={"id": "b", "player": "B", "actions": {"x": "t1", "y": "ghost"}}), "ghost"),
    (simple(b={"id": "b", "player": "B", "actions": {"x": "t1", "y": "t3"}}), "'t3' has two parents"),
    (simple(b={"id": "b", "player": "B", "actions": {"x": "t1", "y": "b"}}, t2=None), "'b' leads to itself"),
    (simple(t4={"id": "t4", "payoffs": [0, 0]}), "t4"),                       # unreachable: second root
    (simple(b={"id": "b", "player": "Z", "actions": {"x": "t1", "y": "t2"}}), "'b'.*unknown player 'Z'"),
    (simple(t1={"id": "t1", "payoffs": [1, 0, 3]}), "terminal 't1'.*3 payoffs for 2 players"),
    (simple(t2={"id": "t2", "payoffs": [np.inf, 0]}), "terminal 't2'.*finite"),
    (simple(t2={"id": "t2", "payoffs": [float("nan"), 0]}), "terminal 't2'.*finite"),
    (simple(t2={"id": "t2", "payoffs": {"A": 1, "C": 0}}), "terminal 't2'.*unknown player"),
    (simple(b={"id": "b", "chance": {"x": ["t1", 0.5], "y": ["t2", 0.6]}}), "chance node 'b'.*sum"),
    (simple(b={"id": "b", "chance": {"x": ["t1", 1.5], "y": ["t2", -0.5]}}), "chance node 'b'.*\\[0, 1\\]"),
    (simple(b={"id": "b", "chance": {"x": ["t1", "half"], "y": ["t2", 0.5]}}), "chance node 'b'.*not a number"),
    (simple(b={"id": "b", "player": "B", "actions": {}}), "decision node 'b' has no actions"),
])
def test_bad_trees_name_the_culprit(nodes, culprit):
    with pytest.raises(GameStructureError, match=culprit):
        GameTree.from_nodes(P2, nodes)


def test_cycle_and_unreachable_with_explicit_root():
    cyc = [{"id": "a", "player": "A", "actions": {"l": "b", "r": "t"}},
           {"id": "b", "player": "B", "actions": {"x": "a", "y": "u"}},
           {"id": "t", "payoffs": [0, 0]}, {"id": "u", "payoffs": [0, 0]}]
    with pytest.raises(GameStructureError, match="cycle"):
        GameTree.from_nodes(P2, cyc)
    with pytest.raises(GameStructureError, match="not reachable.*t4"):
        GameTree.from_nodes(P2, simple(t4={"id": "t4", "payoffs": [0, 0]}), root="r")


def imperfect(**kw):
    return [{"id": "r", "player": "A", "actions": {"l": "x", "r": "y"}},
            dict({"id": "x", "player": "B", "actions": {"u": "t1", "d": "t2"}, "infoset": "H"}, **kw.get("x", {})),
            dict({"id": "y", "player": "B", "actions": {"u": "t3", "d": "t4"}, "infoset": "H"}, **kw.get("y", {})),
            {"id": "t1", "payoffs": [1, 0]}, {"id": "t2", "payoffs": [0, 0]},
            {"id": "t3", "payoffs": [0, 0]}, {"id": "t4", "payoffs": [1, 0]}]


def test_inconsistent_information_sets():
    with pytest.raises(GameStructureError, match="information set 'H'.*'y' belongs to A"):
        GameTree.from_nodes(P2, imperfect(y={"player": "A"}))
    with pytest.raises(GameStructureError, match="information set 'H'.*'y' has actions"):
        GameTree.from_nodes(P2, imperfect(y={"actions": {"u": "t3", "down": "t4"}}))
    t = GameTree.from_nodes(P2, imperfect())
    assert t.perfect_recall and not t.is_perfect_information


def test_imperfect_recall_reported():
    # A forgets her own first move
    t = GameTree.from_nodes(P2, imperfect(x={"player": "A"}, y={"player": "A"}))
    v = t.recall_violations()
    assert len(v) == 1 and "'H'" in v[0] and "A" in v[0]
    # absent-mindedness: an information set met twice on one path
    t2 = GameTree.from_nodes(P2, [
        {"id": "d1", "player": "A", "actions": {"exit": "t0", "cont": "d2"}, "infoset": "road"},
        {"id": "d2", "player": "A", "actions": {"exit": "t1", "cont": "t2"}, "infoset": "road"},
        {"id": "t0", "payoffs": [0, 0]}, {"id": "t1", "payoffs": [4, 0]}, {"id": "t2", "payoffs": [1, 0]}])
    assert any("road" in s for s in t2.recall_violations())
    with pytest.raises(GameStructureError, match="road"):
        tree_regret(t2, BehaviourProfile.uniform(t2))


def test_from_arrays_validation():
    ptr = [0, 2, 2, 2]
    with pytest.raises(GameStructureError, match="payoffs must have shape"):
        GameTree.from_arrays(P2, ptr, [0, -1, -1], np.zeros((3, 2)))
    with pytest.raises(GameStructureError, match="finite"):
        GameTree.from_arrays(P2, ptr, [0, -1, -1], [[0, 0], [np.nan, 1]])
    with pytest.raises(GameStructureError, match="edges"):
        GameTree.from_arrays(P2, [0, 2, 3, 3], [0, -1, -1], np.zeros((2, 2)))
    with pytest.raises(GameStructureError, match="chance node 0"):
        GameTree.from_arrays(P2, ptr, [-1, -1, -1], np.zeros((2, 2)), chance_probs=[0.5, 0.6])
    with pytest.raises(GameStructureError, match="player index"):
        GameTree.from_arrays(P2, ptr, [2, -1, -1], np.zeros((2, 2)))
    with pytest.raises(GameStructureError, match="information set 0"):
        GameTree.from_arrays(P2, [0, 2, 4, 5, 5, 5, 5], [0, 1, 1, 0, 0, 0], np.zeros((3, 2)),
                             infoset=[0, 0, 0, 0, 0, 0])


def test_profile_validation_names_infoset():
    t = GameTree.from_nodes(P2, simple())
    with pytest.raises(GameStructureError, match="'b'.*sum"):
        BehaviourProfile.from_dict(t, {"r": {"l": 1}, "b": {"x": 0.3, "y": 0.3}})
    with pytest.raises(GameStructureError, match="no distribution for information set 'b'"):
        BehaviourProfile.from_dict(t, {"r": {"l": 1}})
    with pytest.raises(GameStructureError, match="'b'.*no action 'z'"):
        BehaviourProfile.from_pure(t, {"r": "l", "b": "z"})
    p = BehaviourProfile.from_dict(t, {"r": {"l": 0.25, "r": 0.75}}, default="uniform")
    assert p["B"] == {"b": {"x": 0.5, "y": 0.5}} and p["A"]["r"] == {"l": 0.25, "r": 0.75}
    # hand: P(t3) = 0.75, P(t1) = P(t2) = 0.125; A gets 0.75*2 + 0.125*1 = 1.625
    od = outcome_distribution(t, p)
    np.testing.assert_allclose(od.terminal[0], [0.75, 0.125, 0.125])
    np.testing.assert_allclose(expected_payoffs(t, p)[0], [1.625, 1.5 + 0.125])
    np.testing.assert_allclose(p.edge_probs()[0], [0.25, 0.75, 0.5, 0.5])


# ---------------------------------------------------------------------------- brute-force oracles
def _pure_strategies(t, i):
    hs = [h for h in t.infosets if h.player == i]
    for combo in product(*(range(len(h.actions)) for h in hs)):
        yield {h.label: h.actions[a] for h, a in zip(hs, combo)}


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_tree_regret_matches_brute_force_best_response(seed):
    rng = np.random.default_rng(seed)
    nodes = random_imperfect(rng)
    t = GameTree.from_nodes(["P1", "P2"], [
        dict(n, chance={a: [c, float(p)] for a, (c, p) in n["chance"].items()}) if "chance" in n else n
        for n in nodes])
    beh = BehaviourProfile.from_probs(t, [rng.dirichlet(np.ones(len(h.actions))) for h in t.infosets])
    cur = _expected_via_tree_walk(nodes, beh)
    np.testing.assert_allclose(expected_payoffs(t, beh)[0], cur, atol=1e-12)
    br = []
    for i in range(2):
        best = -np.inf
        for pure in _pure_strategies(t, i):
            spec = {h.label: ({a: float(a == pure[h.label]) for a in h.actions} if h.player == i else beh.at(h.label))
                    for h in t.infosets}
            dev = BehaviourProfile.from_dict(t, spec)
            best = max(best, _expected_via_tree_walk(nodes, dev)[i])
        br.append(best)
    np.testing.assert_allclose(best_response_values(t, beh)[0], br, atol=1e-12)
    np.testing.assert_allclose(tree_regret(t, beh)[0], max(br[0] - cur[0], br[1] - cur[1]), atol=1e-12)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_subgame_regret_and_reach_match_recursion(seed):
    rng = np.random.default_rng(seed)
    nested = random_nested(rng, max_depth=3, p_chance=0.3)
    if nested[0] == "T":
        return
    t, nodes = build(nested)
    beh = BehaviourProfile.from_probs(t, [rng.dirichlet(np.ones(len(h.actions))) for h in t.infosets])
    by_id = {n["id"]: n for n in nodes}

    def val(nid):
        n = by_id[nid]
        if "payoffs" in n:
            return np.array(n["payoffs"], float)
        if "chance" in n:
            return sum(p * val(c) for c, p in n["chance"].values())
        d = beh.at(nid)
        return sum(d[a] * val(c) for a, c in n["actions"].items())
    gain = 0.0
    for n in nodes:
        if "player" in n:
            i = ["P1", "P2"].index(n["player"])
            gain = max(gain, max(val(c)[i] for c in n["actions"].values()) - val(n["id"])[i])
    assert subgame_regret(t, beh)[0] == pytest.approx(gain, abs=1e-12)

    reach = {nodes[-1]["id"]: 1.0}     # preorder ids: the root was appended last
    for n in reversed(nodes):
        if "chance" in n:
            for c, p in n["chance"].values():
                reach[c] = reach[n["id"]] * p
        elif "player" in n:
            d = beh.at(n["id"])
            for a, c in n["actions"].items():
                reach[c] = reach[n["id"]] * d[a]
    got = reach_probabilities(t, beh)[0]
    np.testing.assert_allclose(got, [reach[v] for v in t.node_ids], atol=1e-12)


def test_batched_profile_and_payoffs():
    t = GameTree.from_nodes(P2, simple(t3={"id": "t3", "payoffs": [np.array([0.0, 1.0, 2.0]), 2]}))
    p = BehaviourProfile.from_pure(t, np.array([[0, 0], [1, 0], [1, 1]]))
    assert p.batch_size == 3 and list(p.is_pure()) == [True] * 3
    # hand: game 0 (l, x) -> t1 (1, 0); game 1 (r, x) -> t3 (1, 2); game 2 (r, y) -> t3 (2, 2)
    np.testing.assert_allclose(expected_payoffs(t, p), [[1, 0], [1, 2], [2, 2]])
    # Nash regret: game 0: A gets 1 but r gives 0 -> 0; B at b: x gives 0, y gives 1 -> 1
    np.testing.assert_allclose(tree_regret(t, p), [1, 0, 0])
