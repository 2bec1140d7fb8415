"""Reduced normal form: hand examples, strategy counts, pygambit as oracle, Kuhn's theorem round trips."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deterrence.errors import GameStructureError
from deterrence.games import BehaviourProfile, GameTree, outcome_distribution
from deterrence.games.reduce import behaviour_to_mixed, mixed_to_behaviour, reduced_normal_form
from deterrence.solve.spe import subgame_perfect

from _tree_helpers import random_nested


# ---------------------------------------------------------------------------- random trees with infosets
def random_imperfect(rng, n_players=2, max_depth=3):
    """Node specs of a random tree with chance and information sets, with perfect recall.

    Decision nodes of one player with the same number of actions and the same sequence of own
    earlier (node, action) choices may share an information set: merging such nodes keeps
    perfect recall, because relabelling information sets maps equal sequences to equal sequences.
    """
    nested = random_nested(rng, n_players=n_players, max_depth=max_depth, p_chance=0.25)
    nodes, meta = [], {}
    counter = [0]

    def walk(t, own):
        nid = f"v{counter[0]}"
        counter[0] += 1
        if t[0] == "T":
            nodes.append({"id": nid, "payoffs": list(t[1]), "outcome": nid})
            return nid
        kids = []
        for j, c in enumerate(t[2]):
            nxt = own
            if t[0] == "D":
                nxt = own[:t[1]] + (own[t[1]] + ((nid, j),),) + own[t[1] + 1:]
            kids.append(walk(c, nxt))
        if t[0] == "D":
            nodes.append({"id": nid, "player": f"P{t[1] + 1}", "actions": {f"a{j}": c for j, c in enumerate(kids)}})
            meta[nid] = (t[1], len(kids), own[t[1]])
        else:
            probs = [Fraction(int(round(p * 6)), 6) for p in t[1]]
            probs[-1] = 1 - sum(probs[:-1])
            if min(probs) < 0:
                probs = [Fraction(1, len(kids))] * len(kids)
            nodes.append({"id": nid, "chance": {f"a{j}": [c, p] for j, (c, p) in enumerate(zip(kids, probs))}})
        return nid
    walk(nested, tuple(() for _ in range(n_players)))
    groups = {}
    for nid, key in meta.items():
        groups.setdefault(key, []).append(nid)
    label = {}
    for key, members in groups.items():
        rng.shuffle(members)
        # merge a random prefix of the group into one information set
        k = len(members) if rng.random() < 0.7 else int(rng.integers(1, len(members) + 1))
        for m in members[:k]:
            label[m] = f"h_{members[0]}"
    # relabel: own sequences referred to node ids; information-set labels are a function of them
    for n in nodes:
        if "player" in n and n["id"] in label:
            n["infoset"] = label[n["id"]]
    return nodes


def to_gambit(players, nodes):
    gbt = pytest.importorskip("pygambit")
    by_id = {n["id"]: n for n in nodes}
    child_ids = {c if isinstance(c, str) else c[0] for n in nodes
                 for c in (n.get("actions", {}).values() if "actions" in n else
                           [v[0] for v in n.get("chance", {}).values()])}
    root = next(n["id"] for n in nodes if n["id"] not in child_ids)
    g = gbt.Game.new_tree(players=list(players))
    infos = {}
    queue = [(root, g.root)]
    while queue:
        nid, gnode = queue.pop(0)
        n = by_id[nid]
        if "payoffs" in n:
            g.set_outcome(gnode, g.add_outcome(f"o_{nid}", [Fraction(x) for x in n["payoffs"]]))
            continue
        if "chance" in n:
            acts = list(n["chance"])
            g.append_move(gnode, g.players.chance, acts)
            g.set_chance_probs(gnode.infoset, [Fraction(n["chance"][a][1]) for a in acts])
            kids = [n["chance"][a][0] for a in acts]
        else:
            acts = list(n["actions"])
            key = n.get("infoset", ("node", nid))
            if key in infos:
                g.append_infoset(gnode, infos[key])
            else:
                g.append_move(gnode, n["player"], acts)
                infos[key] = gnode.infoset
            kids = [n["actions"][a] for a in acts]
        for a, c in zip(acts, kids):
            queue.append((c, gnode.children[a]))
    return g, infos


def compare_with_gambit(players, nodes):
    t = GameTree.from_nodes(list(players), [
        dict(n, chance={a: [c, float(p)] for a, (c, p) in n["chance"].items()}) if "chance" in n else n
        for n in nodes])
    rnf = reduced_normal_form(t)
    g, infos = to_gambit(players, nodes)
    gpay = [np.asarray(a, dtype=float) for a in g.to_arrays()]
    # identify each gambit strategy with one of ours through the actions it names
    perms = []
    for i, p in enumerate(players):
        ours = {}
        for k in range(len(rnf.choices[i])):
            ours[tuple(sorted(rnf.strategy(i, k).items()))] = k
        gstrats = list(g.players[p].strategies)
        assert len(gstrats) == len(ours)
        perm = []
        for sgy in gstrats:
            d = {}
            for key, h in infos.items():
                if h.player.label != p:
                    continue
                a = sgy.action(h)
                if a is not None:
                    label = key if isinstance(key, str) else key[1]
                    d[label] = a.label
            perm.append(ours[tuple(sorted(d.items()))])
        perms.append(perm)
    U = rnf.game.payoffs[0]
    ours_reordered = U[np.ix_(*perms)]
    for i in range(len(players)):
        np.testing.assert_allclose(ours_reordered[..., i], gpay[i], atol=1e-12)
    return t, rnf


# ---------------------------------------------------------------------------- hand examples
ENTRY_NODES = [
        {"id": "N", "chance": {"tough": ["E1", 0.3], "weak": ["E2", 0.7]}},
        {"id": "E1", "player": "entrant", "actions": {"in": "I1", "out": "o1"}, "infoset": "E"},
        {"id": "E2", "player": "entrant", "actions": {"in": "I2", "out": "o2"}, "infoset": "E"},
        {"id": "I1", "player": "incumbent", "actions": {"fight": "f1", "acc": "a1"}},
        {"id": "I2", "player": "incumbent", "actions": {"fight": "f2", "acc": "a2"}},
        {"id": "o1", "payoffs": [0, 2], "outcome": "status quo"}, {"id": "o2", "payoffs": [0, 2], "outcome": "status quo"},
        {"id": "f1", "payoffs": [-1, 1], "outcome": "war"}, {"id": "a1", "payoffs": [1, 0], "outcome": "accommodation"},
        {"id": "f2", "payoffs": [-1, -1], "outcome": "war"}, {"id": "a2", "payoffs": [1, 1], "outcome": "accommodation"}]


def entry_with_types():
    # Nature draws a tough (0.3) or weak (0.7) incumbent; the entrant does not observe it.
    return GameTree.from_nodes(["entrant", "incumbent"], ENTRY_NODES)


def test_hand_example_matches_pygambit():
    nodes = [dict(n, chance={a: [c, Fraction(p).limit_denominator(10)] for a, (c, p) in n["chance"].items()})
             if "chance" in n else n for n in ENTRY_NODES]
    compare_with_gambit(("entrant", "incumbent"), nodes)


def test_hand_example_with_chance_and_information_set():
    rnf = reduced_normal_form(entry_with_types())
    g = rnf.game
    assert g.actions == (("in", "out"), ("fight/fight", "fight/acc", "acc/fight", "acc/acc"))
    # hand: (in, fight at I1, acc at I2): entrant 0.3*(-1) + 0.7*1 = 0.4; incumbent 0.3*1 + 0.7*1 = 1.0
    np.testing.assert_allclose(g.payoffs[0, 0, 1], [0.4, 1.0])
    # (in, acc/fight): entrant 0.3*1 + 0.7*(-1) = -0.4; incumbent 0 + 0.7*(-1) = -0.7
    np.testing.assert_allclose(g.payoffs[0, 0, 2], [-0.4, -0.7])
    # out: (0, 2) whatever the incumbent plans
    np.testing.assert_allclose(g.payoffs[0, 1], [[0, 2]] * 4)


def test_centipede_reduced_strategy_count():
    # A moves at a1 and (after pass, pass) at a2; B at b1.  Reduced: take/*, pass/take, pass/pass (3, not 4).
    # In a centipede with k own decision nodes the count is k + 1 (von Stengel 1996: linear, not 2^k).
    for k_a in (1, 2, 3, 4):
        nodes = []
        n_moves = 2 * k_a
        for m in range(n_moves):
            nxt = f"d{m + 1}" if m < n_moves - 1 else "end"
            nodes.append({"id": f"d{m}", "player": "AB"[m % 2], "actions": {"take": f"t{m}", "pass": nxt}})
            nodes.append({"id": f"t{m}", "payoffs": [m, -m]})
        nodes.append({"id": "end", "payoffs": [0, 0]})
        rnf = reduced_normal_form(GameTree.from_nodes(["A", "B"], nodes))
        assert rnf.game.num_actions == (k_a + 1, k_a + 1)
    assert rnf.game.actions[0][0] == "take/*/*/*"


def test_count_formula_product_of_independent_infosets():
    # Root chance with three branches, player A with m_j actions at a singleton set in branch j:
    # A's reduced strategies = m_1 * m_2 * m_3 (all reached, none reduced away).
    ms = (2, 3, 2)
    nodes = [{"id": "N", "chance": {f"c{j}": [f"A{j}", 1 / 3] for j in range(3)}}]
    for j, m in enumerate(ms):
        nodes.append({"id": f"A{j}", "player": "A", "actions": {f"x{k}": f"t{j}_{k}" for k in range(m)}})
        nodes += [{"id": f"t{j}_{k}", "payoffs": [k + j, 0]} for k in range(m)]
    rnf = reduced_normal_form(GameTree.from_nodes(["A", "B"], nodes))
    assert rnf.game.num_actions == (12, 1)
    assert rnf.game.actions[1] == ("(no move)",)


def test_imperfect_recall_rejected():
    # A forgets her own first move (the classic absent-minded-free forgetful driver variant).
    t = GameTree.from_nodes(["A", "B"], [
        {"id": "r", "player": "A", "actions": {"l": "x", "r": "y"}},
        {"id": "x", "player": "A", "actions": {"u": "t1", "d": "t2"}, "infoset": "forgot"},
        {"id": "y", "player": "A", "actions": {"u": "t3", "d": "t4"}, "infoset": "forgot"},
        {"id": "t1", "payoffs": [1, 0]}, {"id": "t2", "payoffs": [0, 0]},
        {"id": "t3", "payoffs": [0, 0]}, {"id": "t4", "payoffs": [1, 0]}])
    with pytest.raises(GameStructureError, match="forgot"):
        reduced_normal_form(t)


def test_batch_axis_carried():
    t = GameTree.from_nodes(["A", "B"], [
        {"id": "a", "player": "A", "actions": {"l": "b", "r": "z"}},
        {"id": "b", "player": "B", "actions": {"x": "t1", "y": "t2"}},
        {"id": "z", "payoffs": [np.array([1.0, 2.0, 3.0]), 0]},
        {"id": "t1", "payoffs": [0, 1]}, {"id": "t2", "payoffs": [5, 0]}])
    g = reduced_normal_form(t).game
    assert g.batched and g.payoffs.shape == (3, 2, 2, 2)
    np.testing.assert_allclose(g.payoffs[:, 1, 0, 0], [1, 2, 3])


# ---------------------------------------------------------------------------- oracle and invariants
@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_random_trees_match_pygambit(seed):
    rng = np.random.default_rng(seed)
    nodes = random_imperfect(rng)
    if "payoffs" in nodes[-1] and len(nodes) == 1:
        return
    compare_with_gambit(("P1", "P2"), nodes)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_kuhn_round_trips_preserve_outcome_distribution(seed):
    rng = np.random.default_rng(seed)
    nodes = random_imperfect(rng)
    t = GameTree.from_nodes(["P1", "P2"], [
        dict(n, chance={a: [c, float(p)] for a, (c, p) in n["chance"].items()}) if "chance" in n else n
        for n in nodes])
    rnf = reduced_normal_form(t)
    s = [len(h.actions) for h in t.infosets]
    beh = BehaviourProfile.from_probs(t, [rng.dirichlet(np.ones(k)) for k in s])
    mixed = behaviour_to_mixed(t, beh, rnf)
    for m in mixed:
        np.testing.assert_allclose(m.sum(1), 1.0)
    # outcome distribution of the mixed profile computed in the reduced normal form, terminal by terminal:
    # P(z) = chance(z) * prod_i sum_s mixed_i[s] * [s consistent with z]; compare via expected payoffs
    # with random payoff weights put on the terminals (independent of profiles.py).
    np.testing.assert_allclose(rnf.game.expected_payoffs([m[0] for m in mixed])[0],
                               _expected_via_tree_walk(nodes, beh), atol=1e-9)
    back = mixed_to_behaviour(t, mixed, rnf)
    np.testing.assert_allclose(outcome_distribution(t, back).terminal, outcome_distribution(t, beh).terminal,
                               atol=1e-9)
    # a random mixed profile over reduced strategies -> behaviour -> same expected payoffs
    mix2 = [rng.dirichlet(np.ones(k)) for k in rnf.game.num_actions]
    b2 = mixed_to_behaviour(t, mix2, rnf)
    np.testing.assert_allclose(_expected_via_tree_walk(nodes, b2), rnf.game.expected_payoffs(mix2)[0], atol=1e-9)


def _expected_via_tree_walk(nodes, beh):
    by_id = {n["id"]: n for n in nodes}
    child_ids = {c for n in nodes for c in n.get("actions", {}).values()} | \
        {v[0] for n in nodes for v in n.get("chance", {}).values()}
    root = next(n["id"] for n in nodes if n["id"] not in child_ids)

    def walk(nid):
        n = by_id[nid]
        if "payoffs" in n:
            return np.array(n["payoffs"], float)
        if "chance" in n:
            return sum(float(p) * walk(c) for c, p in n["chance"].values())
        dist = beh.at(n.get("infoset", nid))
        return sum(dist[a] * walk(c) for a, c in n["actions"].items())
    return walk(root)


@settings(max_examples=20, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_spe_is_nash_in_reduced_normal_form(seed):
    rng = np.random.default_rng(seed)
    nested = random_nested(rng, max_depth=3, p_chance=0.2)
    if nested[0] == "T":
        return
    from _tree_helpers import build
    t, _ = build(nested)
    r = subgame_perfect(t)
    rnf = reduced_normal_form(t)
    mixed = behaviour_to_mixed(t, r.profile, rnf)
    assert all(np.isclose(m.max(), 1.0) for m in mixed)       # a pure SPE maps to pure reduced strategies
    assert rnf.game.regret([m[0] for m in mixed])[0] <= 1e-9
    np.testing.assert_allclose(rnf.game.expected_payoffs([m[0] for m in mixed])[0], r.payoffs[0])
