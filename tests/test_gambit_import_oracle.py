"""Gambit import against pygambit: the same files read by pygambit give the same games, and the
equilibria found here are the ones pygambit's own solvers find (enummixed for two players, enumpoly
for three; enumpure for the three-player tree; behaviour profiles compared on the tree by both sides'
regret).  The files in tests/fixtures/gambit were written for these tests (see the README there)."""

import io
import os
import re
from fractions import Fraction
from itertools import product

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


@pytest.mark.parametrize("name", ["probe_or_attack.nfg", "prisoners_dilemma.nfg", "volunteers_dilemma.nfg"])
def test_nfg_fixtures_same_game_and_equilibria_as_pygambit(name):
    ours = read_nfg(fixture(name))
    G = gbt.read_nfg(fixture(name))
    assert list(ours.players) == [p.label for p in G.players]
    assert [list(a) for a in ours.actions] == [[s.label for s in p.strategies] for p in G.players]
    # payoffs profile by profile, exactly (pygambit's to_arrays cannot take a profile with no outcome,
    # which volunteers_dilemma.nfg has); pure profiles as mixed ones with all weight on one strategy
    for idx in product(*[range(len(p.strategies)) for p in G.players]):
        data = [[int(j == k) for j in range(len(p.strategies))] for p, k in zip(G.players, idx)]
        prof = G.mixed_strategy_profile(data=data, rational=True)
        want = [Fraction(str(prof.payoff(p))) for p in G.players]
        assert list(ours.exact_payoffs[(0,) + idx]) == want, idx
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
    # with more than two players Gambit's pure equilibria only (its polynomial solvers do not promise
    # every equilibrium of a tree with continua of them)
    gambit_eqs = gbt.nash.enummixed_solve(G, rational=False).equilibria if len(G.players) == 2 \
        else gbt.nash.enumpure_solve(G).equilibria
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


def for_pygambit(text):
    """pygambit 16.7 refuses repeated node labels and repeated information-set labels of one player, which
    the format allows and the test files use on purpose (two_sided_resolve.efg, stag_hunt_twice.efg); the
    labels do not change the game, so pygambit reads the text with node names blanked and each player's
    information sets labelled by their numbers."""
    label = r'"(?:[^"\\]|\\.)*"'
    text = re.sub(rf"^([pct]) {label}", r'\1 ""', text, flags=re.M)
    text = re.sub(rf'^p "" (\d+) (\d+) {label}', r'p "" \1 \2 "P\1 I\2"', text, flags=re.M)
    # pygambit also counts a chance information set of two nodes as imperfect recall (of chance) and will
    # not solve the game; two_sided_resolve.efg names one chance set twice, so each later node of such a
    # set gets a set of its own with the same actions and probabilities (the same game)
    actions, fresh, lines = {}, 1000, []
    for line in text.split("\n"):
        m = re.match(r'^c "" (\d+) (?:"[^"]*" (\{[^}]*\}) )?(.*)$', line)
        if m and m.group(2):
            actions[m.group(1)] = m.group(2)
        elif m:
            fresh += 1
            line = f'c "" {fresh} "chance {fresh}" {actions[m.group(1)]} {m.group(3)}'
        lines.append(line)
    return "\n".join(lines)


def read_both(name):
    with open(fixture(name)) as fh:
        text = fh.read()
    return read_efg(fixture(name)), gbt.read_efg(io.StringIO(for_pygambit(text)))


def test_monty_hall_same_tree_and_equilibria_as_pygambit():
    tree, G = read_both("monty_hall.efg")
    assert len(tree.infosets) == sum(len(p.infosets) for p in G.players)
    check_tree_against_gambit(tree, G)
    # every equilibrium gives the contestant 2/3: switching wins whenever the first pick was wrong
    assert {round(float(eq.payoff("Contestant")), 12) for eq in gbt.nash.enummixed_solve(G, rational=False).equilibria} \
        == {round(2 / 3, 12)}


@pytest.mark.parametrize("name", ["probe_or_attack.efg", "stag_hunt_twice.efg", "unlabelled_entry.efg",
                                  "two_sided_resolve.efg"])
def test_efg_files_same_tree_and_equilibria_as_pygambit(name):
    tree, G = read_both(name)
    assert list(tree.players) == [p.label for p in G.players]
    assert tree.n_nodes == len(list(G.nodes))
    assert len(tree.infosets) == sum(len(p.infosets) for p in G.players)
    check_tree_against_gambit(tree, G)


def test_three_player_tree_same_pure_equilibria_as_pygambit():
    tree, G = read_both("selten_horse.efg")
    assert tree.n_nodes == len(list(G.nodes)) and len(G.players) == 3
    check_tree_against_gambit(tree, G)
    # and the other way round: every pure profile of ours with no regret is one of Gambit's
    labels = [h.label for h in tree.infosets]
    ours = set()
    for choice in product(*[h.actions for h in tree.infosets]):
        if tree_regret(tree, BehaviourProfile.from_pure(tree, dict(zip(labels, choice))))[0] < 1e-12:
            ours.add(choice)
    nmap = node_map(G, tree)
    back = {k: gn for gn, k in nmap.items()}
    gambit = set()
    for eq in gbt.nash.enumpure_solve(G).equilibria:
        beh = eq.as_behavior() if hasattr(eq, "as_behavior") else eq
        gambit.add(tuple(next(a.label for a in back[h.nodes[0]].infoset.actions if beh[a] == 1)
                         for h in tree.infosets))
    assert ours == gambit and len(ours) == 3


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
