"""Independent helpers for the tree tests: random trees as nested tuples, and a
plain recursive evaluator that does not use deterrence.games.profiles."""

from __future__ import annotations

from itertools import product

import numpy as np

from deterrence.games.tree import GameTree


def random_nested(rng, n_players=2, max_depth=3, p_chance=0.2, infosets=False, pay_range=3):
    """A random tree as nested tuples: ('T', payoffs) | ('D', player, [kids]) | ('C', probs, [kids])."""
    def gen(d):
        if d == max_depth or (d > 0 and rng.random() < 0.3):
            return ("T", tuple(int(x) for x in rng.integers(0, pay_range, n_players)))
        k = int(rng.integers(2, 4)) if rng.random() < 0.3 else 2
        kids = [gen(d + 1) for _ in range(k)]
        if rng.random() < p_chance:
            w = rng.integers(1, 4, k).astype(float)
            return ("C", tuple(w / w.sum()), kids)
        return ("D", int(rng.integers(0, n_players)), kids)
    return gen(0)


def to_nodes(tree, players=("P1", "P2")):
    """Node specs for GameTree.from_nodes; ids are 'v0', 'v1', ... in preorder; actions 'a0', 'a1', ..."""
    nodes = []
    counter = [0]

    def walk(t):
        nid = f"v{counter[0]}"
        counter[0] += 1
        if t[0] == "T":
            nodes.append({"id": nid, "payoffs": list(t[1]), "outcome": nid})
            return nid
        kids = [walk(c) for c in t[2]]
        if t[0] == "D":
            nodes.append({"id": nid, "player": players[t[1]], "actions": {f"a{j}": c for j, c in enumerate(kids)}})
        else:
            nodes.append({"id": nid, "chance": {f"a{j}": [c, p] for j, (c, p) in enumerate(zip(kids, t[1]))}})
        return nid
    walk(tree)
    return nodes


def decision_nodes(nodes):
    return [(n["id"], n["player"], len(n["actions"])) for n in nodes if "player" in n]


def value(nodes_by_id, nid, choice):
    """Expected payoff vector from node nid when each decision node id plays choice[id] (action index)."""
    n = nodes_by_id[nid]
    if "payoffs" in n:
        return np.array(n["payoffs"], float)
    if "chance" in n:
        return sum(p * value(nodes_by_id, c, choice) for c, p in n["chance"].values())
    kids = list(n["actions"].values())
    return value(nodes_by_id, kids[choice[nid]], choice)


def brute_force_spe(nodes, players, tol=1e-9):
    """Every pure profile (dict node id -> action index) passing the one-shot deviation test at every node."""
    by_id = {n["id"]: n for n in nodes}
    dec = decision_nodes(nodes)
    out = []
    for combo in product(*(range(k) for _, _, k in dec)):
        choice = {nid: a for (nid, _, _), a in zip(dec, combo)}
        ok = True
        for nid, pl, k in dec:
            i = players.index(pl)
            kids = list(by_id[nid]["actions"].values())
            vals = [value(by_id, c, choice)[i] for c in kids]
            if max(vals) > vals[choice[nid]] + tol:
                ok = False
                break
        if ok:
            out.append(choice)
    return out


def build(tree, players=("P1", "P2")):
    nodes = to_nodes(tree, players)
    return GameTree.from_nodes(list(players), nodes), nodes


def zagare_kilgour_tree(p, aSQ=0.0, aDC=1.0, aDD=-1.0, conflict="conflict"):
    """Rudimentary asymmetric deterrence game with uncertain resolve (Zagare & Kilgour 2000).

    Nature draws the defender Hard (p) or Soft; the challenger, not knowing which, challenges or
    not; a Hard defender resists (DD preferred to DC), a Soft one concedes.  *conflict* labels DD.
    """
    nodes = [{"id": "nature", "chance": {"Hard": ["A_hard", p], "Soft": ["A_soft", 1 - p]}},
             {"id": "A_hard", "player": "challenger", "infoset": "challenger",
              "actions": {"not": "sq_h", "challenge": "B_hard"}},
             {"id": "A_soft", "player": "challenger", "infoset": "challenger",
              "actions": {"not": "sq_s", "challenge": "B_soft"}},
             {"id": "sq_h", "payoffs": [aSQ, 1.0], "outcome": "status quo"},
             {"id": "sq_s", "payoffs": [aSQ, 1.0], "outcome": "status quo"},
             {"id": "B_hard", "player": "defender", "actions": {"resist": "dd_h", "concede": "dc_h"}},
             {"id": "B_soft", "player": "defender", "actions": {"resist": "dd_s", "concede": "dc_s"}},
             {"id": "dd_h", "payoffs": [aDD, 0.0], "outcome": conflict},
             {"id": "dc_h", "payoffs": [aDC, -0.5], "outcome": "capitulation"},
             {"id": "dd_s", "payoffs": [aDD, -1.0], "outcome": conflict},
             {"id": "dc_s", "payoffs": [aDC, -0.5], "outcome": "capitulation"}]
    return GameTree.from_nodes(["challenger", "defender"], nodes)


# the entry game of test_pbe.test_unreached_infoset_belief_polytope and test_pbe_scale: the entrant
# (strong or weak, 1/2 each) stays out (1 > anything after entry), so the defender's set is unreached; fight is supported iff
# mu(strong node) <= 1/2, yield iff mu(strong node) >= 1/2.  Entering costs the entrant 1 or more:
# the two pure PBE are (out, out, fight) and (out, out, yield).
ENTRY = [{"id": "n", "chance": {"strong": ["es", 0.5], "weak": ["ew", 0.5]}},
         {"id": "es", "player": "E", "actions": {"out": "os", "in": "ds"}},
         {"id": "ew", "player": "E", "actions": {"out": "ow", "in": "dw"}},
         {"id": "os", "payoffs": [1, 2]}, {"id": "ds", "player": "D", "infoset": "D",
                                             "actions": {"fight": "fs", "yield": "ys"}},
         {"id": "ow", "payoffs": [1, 2]}, {"id": "dw", "player": "D", "infoset": "D",
                                             "actions": {"fight": "fw", "yield": "yw"}},
         {"id": "fs", "payoffs": [-1, -1]}, {"id": "ys", "payoffs": [0, 0]},
         {"id": "fw", "payoffs": [-2, 1]}, {"id": "yw", "payoffs": [0, 0]}]
