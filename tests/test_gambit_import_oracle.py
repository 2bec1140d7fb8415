"""Gambit import against pygambit: the same files read by pygambit give the same games, and the
equilibria found here are the ones pygambit's own solvers find (enummixed for two players, enumpoly
for three; behaviour profiles compared on the tree by both sides' regret)."""

import io
import os
import re

import numpy as np
import pytest

from deterrence.games.profiles import BehaviourProfile, expected_payoffs, tree_regret
from deterrence.games.reduce import mixed_to_behaviour, reduced_normal_form
from deterrence.games.tree import TERMINAL
from deterrence.io.gambit_read import parse_efg, parse_nfg, read_efg, read_nfg
from deterrence.solve import enumerate_equilibria, enumerate_nplayer

gbt = pytest.importorskip("pygambit", reason="pygambit is the oracle for Gambit import")

FIX = os.path.join(os.path.dirname(__file__), "fixtures", "gambit")
TOL = 1e-9


def fixture(name):
    return os.path.join(FIX, name)


def rounded_set(profiles, digits=7):
    return sorted(tuple(round(float(x), digits) + 0.0 for s in prof for x in s) for prof in profiles)


# ---------------------------------------------------------------------- strategic form
def gambit_equilibria_nfg(G):
    solve = gbt.nash.enummixed_solve if len(G.players) == 2 else gbt.nash.enumpoly_solve
    eqs = solve(G, rational=True).equilibria if len(G.players) == 2 else solve(G).equilibria
    return [[[eq[s] for s in p.strategies] for p in G.players] for eq in eqs]


def our_equilibria_nfg(g):
    es = enumerate_equilibria(g) if g.n_players == 2 else enumerate_nplayer(g)
    assert es.complete
    return [e.strategies for e in es.extreme]


@pytest.mark.parametrize("name", ["e04.nfg", "pd.nfg", "2x2x2.nfg"])
def test_nfg_fixtures_same_game_and_equilibria_as_pygambit(name):
    ours = read_nfg(fixture(name))
    G = gbt.read_nfg(fixture(name))
    assert list(ours.players) == [p.label for p in G.players]
    assert [list(a) for a in ours.actions] == [[s.label for s in p.strategies] for p in G.players]
    for i, arr in enumerate(G.to_arrays()):
        np.testing.assert_array_equal(np.array(arr, dtype=float), ours.payoffs[0, ..., i])
    assert rounded_set(our_equilibria_nfg(ours)) == rounded_set(gambit_equilibria_nfg(G))


@pytest.mark.parametrize("seed", range(6))
def test_pygambit_written_nfg_same_equilibria(seed):
    rng = np.random.default_rng(seed)
    shape = (3, 3) if seed % 3 else (2, 2, 2)
    arrays = [rng.integers(-4, 5, size=shape) for _ in shape]
    G = gbt.Game.from_arrays(*arrays, title=f"random {seed}")
    text = G.to_nfg()
    ours = parse_nfg(text, f"random{seed}.nfg")
    for i, arr in enumerate(arrays):
        np.testing.assert_array_equal(ours.payoffs[0, ..., i], arr)
    G2 = gbt.read_nfg(io.StringIO(text))
    assert rounded_set(our_equilibria_nfg(ours)) == rounded_set(gambit_equilibria_nfg(G2))


# ---------------------------------------------------------------------- trees
def node_map(G, tree):
    """Gambit node -> our node index, by walking both trees in action order."""
    out = {}
    stack = [(G.root, 0)]
    while stack:
        gn, k = stack.pop()
        out[gn] = k
        kids = tree.children(k)
        assert len(gn.children) == len(kids)
        assert gn.is_terminal == (tree.kind[k] == TERMINAL)
        stack.extend(zip(gn.children, (int(c) for c in kids)))
    return out


def gambit_to_ours(tree, G, nmap, beh):
    back = {k: gn for gn, k in nmap.items()}
    probs = []
    for h in tree.infosets:
        gi = back[h.nodes[0]].infoset
        assert {nmap[n] for n in gi.members} == set(h.nodes)        # same information set
        assert [a.label for a in gi.actions] == list(h.actions)
        p = [float(beh[a]) for a in gi.actions]
        if sum(p) == 0:     # Gambit leaves information sets its own mixed strategy never reaches at 0
            p = [1 / len(p)] * len(p)
        probs.append(p)
    return BehaviourProfile.from_probs(tree, probs)


def ours_to_gambit(tree, G, nmap, prof):
    back = {k: gn for gn, k in nmap.items()}
    beh = G.mixed_behavior_profile()
    for h, p in zip(tree.infosets, prof.probs if hasattr(prof, "probs") else prof):
        gi = back[h.nodes[0]].infoset
        for a, x in zip(gi.actions, np.asarray(p).reshape(-1)):
            beh[a] = float(x)
    return beh


def check_same_tree(tree, G):
    """Node by node: same kinds, same children, same information sets, same path-summed payoffs."""
    nmap = node_map(G, tree)
    # terminal payoffs: Gambit sums the outcomes on the path, as the reader does
    for gn, k in nmap.items():
        if gn.is_terminal:
            want = [float(sum(outcome_payoff(n, p) for n in path_to(gn))) for p in G.players]
            assert tree.payoffs[0, tree.terminal[k]].tolist() == pytest.approx(want, abs=1e-12)
    for gn, k in nmap.items():
        if not gn.is_terminal and gn.infoset.is_chance:
            lo = tree.child_ptr[k]
            got = tree.chance_probs[0, lo:lo + len(gn.children)]
            np.testing.assert_allclose(got, [float(a.prob) for a in gn.infoset.actions],
                                       atol=1e-15)
    return nmap


def check_tree_against_gambit(tree, G):
    nmap = check_same_tree(tree, G)
    # Gambit's equilibria (on its strategic form) are equilibria of our tree with the same payoffs
    gambit_eqs = gbt.nash.enummixed_solve(G, rational=False).equilibria if len(G.players) == 2 \
        else gbt.nash.lcp_solve(G).equilibria
    assert gambit_eqs
    for eq in gambit_eqs:
        beh = eq.as_behavior() if hasattr(eq, "as_behavior") else eq
        prof = gambit_to_ours(tree, G, nmap, beh)
        assert tree_regret(tree, prof)[0] < 1e-7
        np.testing.assert_allclose(expected_payoffs(tree, prof)[0], [float(beh.payoff(p)) for p in G.players],
                                   atol=1e-9)
    if len(G.players) != 2:
        return
    # and ours (the reduced normal form, all extreme equilibria) are Gambit's, payoffs and all
    rnf = reduced_normal_form(tree)
    es = enumerate_equilibria(rnf.game)
    assert es.complete
    ours_pay = sorted(tuple(round(float(v), 7) for v in e.payoffs) for e in es.extreme)
    gambit_pay = sorted(tuple(round(float(eq.payoff(p)), 7) for p in G.players) for eq in gambit_eqs)
    assert sorted(set(ours_pay)) == sorted(set(gambit_pay))
    for e in es.extreme:
        beh = ours_to_gambit(tree, G, nmap, mixed_to_behaviour(tree, e, rnf).probs)
        assert float(beh.max_regret()) < 1e-7


def outcome_payoff(node, player):
    try:
        o = node.outcome
        return o[player] if o is not None else 0
    except KeyError:        # pygambit: "node has no outcome attached"
        return 0


def path_to(gn):
    out = []
    while gn is not None:
        out.append(gn)
        gn = gn.parent
    return out


def test_monty_hall_same_tree_as_pygambit():
    # too large for enumerating the strategic form's equilibria in a fast test: structure and payoffs only
    tree = read_efg(fixture("montyhal.efg"))
    G = gbt.read_efg(fixture("montyhal.efg"))
    assert len(tree.infosets) == sum(len(p.infosets) for p in G.players)
    check_same_tree(tree, G)


@pytest.mark.parametrize("name", ["e04.efg", "coord2ts.efg", "badgame1.efg", "bayes1a.efg"])
def test_efg_fixtures_same_tree_and_equilibria_as_pygambit(name):
    tree = read_efg(fixture(name))
    with open(fixture(name)) as fh:
        text = fh.read()
    # pygambit 16.7 refuses repeated information-set labels of one player, which Gambit's own coord2ts.efg
    # has; the labels do not change the game, so pygambit gets them made unique
    G = gbt.read_efg(io.StringIO(re.sub(r'^p "(.*?)" (\d+) (\d+) "[^"]*"', r'p "\1" \2 \3 "P\2 I\3"', text, flags=re.M)))
    assert list(tree.players) == [p.label for p in G.players]
    assert tree.n_nodes == len(list(G.nodes))
    assert len(tree.infosets) == sum(len(p.infosets) for p in G.players)
    check_tree_against_gambit(tree, G)


def gambit_signalling_tree(p_hard):
    """A tree built in pygambit: nature draws the defender's resolve, the defender signals, the
    challenger sees the signal only, then challenges or not."""
    G = gbt.Game.new_tree(players=["defender", "challenger"], title="signalling")
    G.append_move(G.root, G.players.chance, ["hard", "soft"])
    G.set_chance_probs(G.root.infoset, [gbt.Rational(p_hard), 1 - gbt.Rational(p_hard)])
    for t in G.root.children:
        G.append_move(t, "defender", ["commit", "ambiguous"])
    ch = {}
    for t in G.root.children:
        for j, sig in enumerate(t.children):
            if j not in ch:
                G.append_move(sig, "challenger", ["challenge", "wait"])
                ch[j] = sig.infoset
            else:
                G.append_infoset(sig, ch[j])
    pays = {("hard", "commit"): ((2, -1), (3, 0)), ("hard", "ambiguous"): ((1, -1), (3, 0)),
            ("soft", "commit"): ((-2, 1), (2, 0)), ("soft", "ambiguous"): ((-1, 2), (3, 0))}
    for t, tl in zip(G.root.children, ("hard", "soft")):
        for sig, sl in zip(t.children, ("commit", "ambiguous")):
            (a, b), (c, d) = pays[(tl, sl)]
            for leaf, (u, v), lab in zip(sig.children, ((c, a), (d, b)), ("war", "status quo")):
                G.set_outcome(leaf, G.add_outcome(payoffs=[u, v], label=f"{lab} ({tl}, {sl})"))
    return G


@pytest.mark.parametrize("p_hard", ["1/3", "1/2", "4/5"])
def test_pygambit_written_tree_same_equilibria(p_hard):
    G = gambit_signalling_tree(p_hard)
    text = G.to_efg()
    tree = parse_efg(text, "signalling.efg")
    assert tree.players == ("defender", "challenger")
    root_probs = tree.chance_probs[0, tree.child_ptr[0]:tree.child_ptr[1]]
    num, den = map(int, p_hard.split("/"))
    np.testing.assert_allclose(root_probs, [num / den, 1 - num / den], atol=1e-15)
    G2 = gbt.read_efg(io.StringIO(text))
    check_tree_against_gambit(tree, G2)
