"""Gambit export: pygambit reads our .nfg/.efg text and finds the same games and equilibria."""

import io
import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import deterrence
from deterrence.games import GameTree, NormalFormGame
from deterrence.io.gambit import to_efg, to_nfg

gbt = pytest.importorskip("pygambit")


def brute_pure_ne(payoffs):
    shape = payoffs.shape[:-1]
    out = []
    for prof in itertools.product(*(range(m) for m in shape)):
        if all(payoffs[prof + (i,)] >= max(payoffs[prof[:i] + (d,) + prof[i + 1:] + (i,)] for d in range(shape[i]))
               for i in range(len(shape))):
            out.append(prof)
    return sorted(out)


def gambit_pure(game):
    eqs = gbt.nash.enumpure_solve(game).equilibria
    out = []
    for eq in eqs:
        prof = []
        for p in game.players:
            probs = [float(eq[s]) for s in p.strategies]
            prof.append(int(np.argmax(probs)))
        out.append(tuple(prof))
    return sorted(out)


@pytest.mark.parametrize("name", ["chicken", "prisoners_dilemma", "stag_hunt", "leader", "hero", "deadlock"])
def test_shipped_games_through_nfg(name):
    g = deterrence.load_model(name).at()
    G = gbt.read_nfg(io.StringIO(to_nfg(g)))
    arrays = [np.array(a, dtype=float) for a in G.to_arrays()]
    assert np.array_equal(arrays[0], g.payoffs[0, ..., 0]) and np.array_equal(arrays[1], g.payoffs[0, ..., 1])
    assert [p.label for p in G.players] == list(g.players)
    assert gambit_pure(G) == brute_pure_ne(g.payoffs[0])


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=2, max_size=3), st.data())
def test_random_games_same_tables_and_pure_ne(shape, data):
    n = len(shape)
    vals = data.draw(st.lists(st.integers(-5, 5), min_size=int(np.prod(shape)) * n, max_size=int(np.prod(shape)) * n))
    pay = np.array(vals, dtype=float).reshape(tuple(shape) + (n,))
    g = NormalFormGame(pay)
    G = gbt.read_nfg(io.StringIO(to_nfg(g)))
    arrays = [np.array(a, dtype=float) for a in G.to_arrays()]
    for i in range(n):
        assert np.array_equal(arrays[i], pay[..., i])
    assert gambit_pure(G) == brute_pure_ne(pay)


def test_batched_game_refused():
    g = NormalFormGame(np.zeros((3, 2, 2, 2)))
    with pytest.raises(deterrence.ModelError, match="batch of 3"):
        to_nfg(g)
    assert "NFG 1 R" in to_nfg(g[1])


def test_zagare_kilgour_tree_through_efg():
    """The .efg of the deterrence tree: same structure in Gambit, and Gambit's equilibrium (lcp on the
    sequence form) has the challenger challenge exactly when p_B is below (a_DC - a_SQ)/(a_DC - a_DD)."""
    m = deterrence.load_model("zagare_kilgour_rudimentary_deterrence")
    threshold = (1 - 0) / (1 - (-2))  # defaults a_SQ=0, a_DC=1, a_DD=-2 written out here
    for p in (0.1, 0.25, 0.5, 0.9):
        text = to_efg(m, p_B=p, a_SQ=0, a_DC=1, a_DD=-2)
        G = gbt.read_efg(io.StringIO(text))
        assert len(G.players) == 2 and len([z for z in G.nodes if z.is_terminal]) == 6
        assert len(list(G.players)[0].infosets) == 1  # the challenger cannot tell the types apart
        assert len(list(G.players)[1].infosets) == 2
        eq = gbt.nash.lcp_solve(G, rational=True).equilibria[0]
        challenger = list(list(G.players)[0].infosets)[0]
        p_challenge = float(eq[challenger.actions["challenge"]])
        assert p_challenge == (1.0 if p < threshold else 0.0)
        chance = [a for a in G.root.infoset.actions]
        assert [float(a.prob) for a in chance] == pytest.approx([p, 1 - p])


def test_efg_of_a_plain_tree_keeps_payoffs():
    t = GameTree.from_nodes(["A", "B"], [
        {"id": "r", "player": "A", "actions": {"l": "x", "r": "y"}},
        {"id": "x", "player": "B", "actions": {"u": "t1", "d": "t2"}},
        {"id": "y", "payoffs": [0.5, -1.25], "outcome": "quit \"now\""},
        {"id": "t1", "payoffs": [3, 1]},
        {"id": "t2", "payoffs": [-2, 2]}])
    G = gbt.read_efg(io.StringIO(to_efg(t)))
    got = sorted((float(z.outcome[list(G.players)[0]]), float(z.outcome[list(G.players)[1]])) for z in G.nodes if z.is_terminal)
    assert got == sorted([(0.5, -1.25), (3.0, 1.0), (-2.0, 2.0)])
    assert 'quit "now"' in [z.outcome.label for z in G.nodes if z.is_terminal]


def test_efg_chance_probabilities_rounded_above_one():
    """p + (1 - p) can exceed 1 by an ulp in floats (0.7 + 0.30000000000000004): the last move gets
    probability 0 and the node still sums to exactly 1 for Gambit (the tripartite crisis with an
    unconditional commitment, whose pledge binds with probability 1)."""
    m = deterrence.load_model("tripartite_crisis")
    G = gbt.read_efg(io.StringIO(to_efg(m, commitment=3, p_D=0.7)))
    assert len(G.players) == 3
    chance = [n for n in G.nodes if not n.is_terminal and n.infoset.is_chance]
    assert len(chance) == 1 + 2 + 6            # origin, the Defender's type twice, the determination six times
    for node in chance:
        assert sum(a.prob for a in node.infoset.actions) == 1
    types = next(n for n in chance if n.label == "types_unprovoked")
    assert [float(a.prob) for a in types.infoset.actions] == pytest.approx([0.7, 0.3, 0.0])
