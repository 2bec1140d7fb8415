"""Gambit import: .efg and .nfg files read into GameTree and NormalFormGame.

The files in tests/fixtures/gambit were written for these tests, by hand, from Gambit's documentation of
its file formats (see the README there); they are not Gambit's example games.  Expected values are derived
by hand in the tests (a game's definition, path sums of outcomes, equilibria worked out in comments, brute
force over strategies), never taken from the reader's output; pygambit reading the same files is the
oracle in test_gambit_import_oracle.py.
"""

import json
import os
from fractions import Fraction
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import deterrence
from deterrence.errors import ModelFileError
from deterrence.games import GameTree, NormalFormGame
from deterrence.games.profiles import BehaviourProfile, expected_payoffs, tree_regret
from deterrence.games.reduce import reduced_normal_form
from deterrence.games.tree import CHANCE, DECISION, TERMINAL
from deterrence.io.gambit import to_efg, to_nfg
from deterrence.io.gambit_read import parse_efg, parse_nfg, read_efg, read_gambit, read_gambit_model, read_nfg
from deterrence.solve import enumerate_nplayer

from _tree_helpers import build, random_nested, zagare_kilgour_tree

FIX = os.path.join(os.path.dirname(__file__), "fixtures", "gambit")
EFG_FILES = ["probe_or_attack.efg", "monty_hall.efg", "stag_hunt_twice.efg", "two_sided_resolve.efg",
             "unlabelled_entry.efg", "selten_horse.efg"]
NFG_FILES = ["probe_or_attack.nfg", "prisoners_dilemma.nfg", "volunteers_dilemma.nfg"]


def fixture(name):
    return os.path.join(FIX, name)


def payoffs_by_outcome(t):
    return {t.outcomes[t.terminal[k]]: tuple(t.payoffs[0, t.terminal[k]]) for k in range(t.n_nodes)
            if t.kind[k] == TERMINAL}


def assert_same_tree(a: GameTree, b: GameTree):
    assert a.players == b.players
    assert a.node_ids == b.node_ids
    for attr in ("kind", "player", "parent", "child_ptr", "child_index", "infoset", "terminal"):
        assert np.array_equal(getattr(a, attr), getattr(b, attr)), attr
    assert a.edge_label == b.edge_label
    assert [(h.label, h.player, h.actions, h.nodes) for h in a.infosets] == \
           [(h.label, h.player, h.actions, h.nodes) for h in b.infosets]
    assert a.outcomes == b.outcomes
    np.testing.assert_array_equal(a.payoffs, b.payoffs)
    np.testing.assert_allclose(a.chance_probs, b.chance_probs, rtol=0, atol=1e-15)


def follow(t, *actions):
    """The node reached from the root by the given action labels."""
    k = 0
    for a in actions:
        k = int(t.children(k)[t.actions(k).index(a)])
    return k


# ---------------------------------------------------------------------- the test files, one by one
# probe_or_attack.efg / .nfg (payoffs chosen for these tests): the challenger keeps the status quo, probes
# or attacks; the defender, who cannot tell a probe from an attack, resists or acquiesces.
PROBE_ATTACK = {("status quo", "resist"): (0, 0), ("status quo", "acquiesce"): (0, 0),
                ("probe", "resist"): (-1, -1), ("probe", "acquiesce"): (1, -2),
                ("attack", "resist"): (-3, -4), ("attack", "acquiesce"): (2, -2)}


def test_probe_or_attack_efg_one_information_set_of_two_nodes():
    t = read_efg(fixture("probe_or_attack.efg"))
    assert t.name == 'Probe or attack: the defender cannot tell a "probe" from an attack'    # \" in the file
    assert t.players == ("Challenger", "Defender")
    assert t.n_nodes == 8 and t.n_terminals == 5
    assert t.kind[0] == DECISION and t.actions(0) == ("status quo", "probe", "attack")
    assert t.node_ids[0] == "challenger moves"                 # unique node names are kept as ids
    # the defender has one information set with two nodes, entered twice in the file with its actions
    (h2,) = [h for h in t.infosets if h.player == 1]
    assert h2.label == "defender, probe or attack?" and h2.actions == ("resist", "acquiesce")
    assert {t.node_ids[k] for k in h2.nodes} == {"after a probe", "after an attack"}
    assert payoffs_by_outcome(t) == {"status quo": (0, 0), "probe resisted": (-1, -1), "probe succeeds": (1, -2),
                                     "war": (-3, -4), "attack succeeds": (2, -2)}
    for (a, b), pay in PROBE_ATTACK.items():
        z = follow(t, a) if a == "status quo" else follow(t, a, b)
        assert tuple(t.payoffs[0, t.terminal[z]]) == pay


def test_probe_or_attack_nfg_payoff_version_counts_of_strategies():
    g = read_nfg(fixture("probe_or_attack.nfg"))
    assert g.num_actions == (3, 2)
    assert g.actions == (("1", "2", "3"), ("1", "2"))       # counts of strategies: numbered strategies
    assert g.exact_payoffs is not None                       # "D" decimals are read exactly too
    # payoff version: pairs of payoffs, profiles with the challenger's strategy changing fastest
    for (i, a), (j, b) in product(enumerate(("status quo", "probe", "attack")), enumerate(("resist", "acquiesce"))):
        assert tuple(g.payoffs[0, i, j]) == PROBE_ATTACK[a, b]
        assert tuple(g.exact_payoffs[0, i, j]) == PROBE_ATTACK[a, b]
    # the two hand-written files describe one game: the tree's reduced normal form is the .nfg
    rnf = reduced_normal_form(read_efg(fixture("probe_or_attack.efg"))).game
    assert rnf.actions == (("status quo", "probe", "attack"), ("resist", "acquiesce"))
    np.testing.assert_array_equal(rnf.payoffs, g.payoffs)


def test_prisoners_dilemma_outcome_version_with_escaped_quotes():
    g = read_nfg(fixture("prisoners_dilemma.nfg"))
    assert g.name == "Prisoner's Dilemma with Axelrod's payoffs (T = 5, R = 3, P = 1, S = 0)"
    assert g.players == ("Row prisoner", "Column prisoner")
    assert g.actions == (('cooperate ("mum")', 'defect ("fink")'),) * 2
    T, R, P, S = 5, 3, 1, 0            # Axelrod (1984), The Evolution of Cooperation, ch. 1
    # outcomes are listed in the order R, P, (T, S), (S, T); "1 3 4 2" assigns them to the profiles
    # (C, C), (D, C), (C, D), (D, D) with the row player's strategy changing fastest
    np.testing.assert_array_equal(g.payoffs[0], [[[R, R], [S, T]], [[T, S], [P, P]]])
    m = read_gambit_model(fixture("prisoners_dilemma.nfg"))
    C, D = g.actions[0]
    assert m.outcomes == {(C, C): "mutual cooperation (R, R)", (D, D): "mutual defection (P, P)",
                          (D, C): "Row defects alone (T, S)", (C, D): "Column defects alone (S, T)"}


def volunteer_payoff(i, profile, benefit=Fraction(1), cost=Fraction(1, 4)):
    """Diekmann (1985): everybody gets the benefit if anybody volunteers; a volunteer pays the cost."""
    return (benefit if "volunteer" in profile else 0) - (cost if profile[i] == "volunteer" else 0)


def test_volunteers_dilemma_three_players_rationals_and_outcome_zero():
    g = read_nfg(fixture("volunteers_dilemma.nfg"))
    assert g.players == ("Villager 1", "Villager 2", "Villager 3")
    assert g.actions == (("volunteer", "abstain"),) * 3
    for idx in product(range(2), repeat=3):
        prof = tuple(g.actions[0][k] for k in idx)
        want = [volunteer_payoff(i, prof) for i in range(3)]
        assert [g.exact_payoffs[(0,) + idx + (i,)] for i in range(3)] == want, prof
        np.testing.assert_array_equal(g.payoffs[(0,) + idx], [float(w) for w in want])
    assert g.exact_payoffs[0, 0, 1, 1, 0] == Fraction(3, 4)     # "3/4" read exactly
    assert g.payoffs[0, 1, 1, 1].tolist() == [0, 0, 0]           # outcome 0: nobody volunteers


def test_volunteers_dilemma_seven_equilibria_derived_by_hand():
    # b = 1, c = 1/4; q_j = probability that villager j abstains.  Volunteering pays b - c, abstaining
    # b (1 - q_j q_k).  (i) exactly one volunteers for sure: 3 equilibria.  (ii) one abstains for sure and
    # the other two are indifferent: b - c = b (1 - q) gives q = c/b = 1/4, and the abstainer's
    # b (1 - 1/16) = 15/16 beats 3/4: 3 equilibria.  (iii) all mix: q_j q_k = c/b for every pair gives
    # q = 1/2.  A sure volunteer makes abstaining strictly better for the others, so there are no more.
    V, A, m2, m3 = (1, 0), (0, 1), (Fraction(3, 4), Fraction(1, 4)), (Fraction(1, 2), Fraction(1, 2))
    want = {(V, A, A), (A, V, A), (A, A, V), (m2, m2, A), (m2, A, m2), (A, m2, m2), (m3, m3, m3)}
    es = enumerate_nplayer(read_nfg(fixture("volunteers_dilemma.nfg")))
    assert es.complete
    got = {tuple(tuple(Fraction(float(x)).limit_denominator(64) for x in s) for s in e.strategies) for e in es.extreme}
    assert got == want


def test_monty_hall_chance_thirds_information_sets_shared_outcomes():
    t = read_efg(fixture("monty_hall.efg"))
    assert t.players == ("Contestant", "Host")
    assert t.n_nodes == 49 and t.n_terminals == 24
    assert t.kind[0] == CHANCE and t.actions(0) == ("prize behind 1", "prize behind 2", "prize behind 3")
    np.testing.assert_allclose(t.chance_probs[0, t.child_ptr[0]:t.child_ptr[1]], [1 / 3] * 3, rtol=0, atol=1e-15)
    # the first pick cannot depend on where the prize is: one information set of 3 nodes
    first = t.infosets[t.infoset[t.children(0)[0]]]
    assert first.label == "first pick" and sorted(first.nodes) == sorted(int(k) for k in t.children(0))
    # the host knows prize and pick: 9 sets of one node; he has two doors to choose from only when the
    # contestant picked the prize
    host = [h for h in t.infosets if h.player == 1]
    assert len(host) == 9 and all(len(h.nodes) == 1 for h in host)
    assert sorted(len(h.actions) for h in host) == [1] * 6 + [2] * 3
    # the contestant's second move knows her pick and the opened door, not the prize: 6 sets of 2 nodes
    second = [h for h in t.infosets if h.player == 0 and h.label != "first pick"]
    assert len(second) == 6 and all(len(h.nodes) == 2 and h.actions == ("stay", "switch") for h in second)
    # two outcomes, each shared by 12 terminals (defined once, then named by number only)
    assert sorted(t.outcomes) == ["contestant wins"] * 12 + ["host wins"] * 12
    assert set(payoffs_by_outcome(t).items()) == {("contestant wins", (1, 0)), ("host wins", (0, 1))}
    assert not t.recall_violations()


def monty_win_probability(pick, switch, host_door):
    """Brute force over the prize's place: P(the contestant wins) when she picks *pick*, then stays or
    switches, and the host opens host_door[prize] when he may choose (prize == pick)."""
    doors = (1, 2, 3)
    win = Fraction(0)
    for prize in doors:
        opened = host_door[prize] if prize == pick else next(d for d in doors if d not in (prize, pick))
        final = next(d for d in doors if d not in (pick, opened)) if switch else pick
        win += Fraction(1, 3) * (final == prize)
    return win


def test_monty_hall_switching_wins_two_thirds_against_every_host():
    t = read_efg(fixture("monty_hall.efg"))
    doors = (1, 2, 3)
    for pick, switch in product(doors, (False, True)):
        for choice in product(*[[d for d in doors if d != p] for p in doors]):   # the host's free choices
            host_door = dict(zip(doors, choice))
            spec = {"first pick": f"pick {pick}"}
            for h in t.infosets:
                if h.player == 1:
                    prize, k = int(h.label[6]), int(h.label[-1])        # "prize P, pick K"
                    spec[h.label] = f"open {host_door[prize]}" if prize == k else h.actions[0]
                elif h.label != "first pick":
                    spec[h.label] = "switch" if switch else "stay"
            win = monty_win_probability(pick, switch, host_door)
            assert win == (Fraction(2, 3) if switch else Fraction(1, 3))    # vos Savant's answer
            got = expected_payoffs(t, BehaviourProfile.from_pure(t, spec))[0]
            np.testing.assert_allclose(got, [float(win), float(1 - win)], rtol=0, atol=1e-12)
    # an equilibrium: the host opens either free door with probability 1/2, the contestant switches (a
    # posterior of 1/3 on her own door in every second-move set), whatever her first pick
    probs = []
    for h in t.infosets:
        n = len(h.actions)
        probs.append([1 / n] * n if h.player == 1 or h.label == "first pick" else [0.0, 1.0])
    prof = BehaviourProfile.from_probs(t, probs)
    assert tree_regret(t, prof)[0] < 1e-12
    np.testing.assert_allclose(expected_payoffs(t, prof)[0], [2 / 3, 1 / 3], atol=1e-12)
    stay = BehaviourProfile.from_probs(t, [p if len(p) != 2 or h.player == 1 else [1.0, 0.0]
                                           for p, h in zip(probs, t.infosets)])
    assert tree_regret(t, stay)[0] == pytest.approx(1 / 3, abs=1e-12)        # staying forgoes 2/3 - 1/3


def test_stag_hunt_outcome_on_an_inner_node_adds_to_the_path():
    t = read_efg(fixture("stag_hunt_twice.efg"))
    # one round: both stag 4 each; a lone hare hunter 3, the stag hunter left 0; both hare 2 each.
    # round two is played only after (stag, stag), whose payoff sits on the node where round two starts
    stage = {("stag", "stag"): (4, 4), ("stag", "hare"): (0, 3), ("hare", "stag"): (3, 0), ("hare", "hare"): (2, 2)}
    assert t.n_terminals == 7
    for a in stage:
        if a != ("stag", "stag"):
            z = follow(t, *a)
            assert t.kind[z] == TERMINAL and tuple(t.payoffs[0, t.terminal[z]]) == stage[a]
            continue
        inner = follow(t, *a)
        assert t.kind[inner] == DECISION and inner == t.node("second round")
        for b in stage:
            z = follow(t, *a, *b)
            want = tuple(x + y for x, y in zip(stage[a], stage[b]))        # e.g. (stag, stag) twice: 8, 8
            assert t.kind[z] == TERMINAL and tuple(t.payoffs[0, t.terminal[z]]) == want
    # each hunter's two information sets share the label "hunt" in the file: player:number instead
    assert sorted(h.label for h in t.infosets) == ["Hunter 1:1", "Hunter 1:2", "Hunter 2:1", "Hunter 2:2"]
    assert sorted(len(h.nodes) for h in t.infosets) == [1, 1, 2, 2]


def test_two_sided_resolve_two_chance_levels_and_repeated_sets_by_number():
    t = read_efg(fixture("two_sided_resolve.efg"))
    assert t.kind[0] == CHANCE and t.actions(0) == ("resolved", "irresolute")
    np.testing.assert_allclose(t.chance_probs[0, t.child_ptr[0]:t.child_ptr[1]], [1 / 3, 2 / 3], atol=1e-15)
    for k in t.children(0):     # the second chance node is chance information set 2 given by number only
        assert t.kind[k] == CHANCE and t.actions(k) == ("firm", "weak")
        np.testing.assert_allclose(t.chance_probs[0, t.child_ptr[k]:t.child_ptr[k + 1]], [0.5, 0.5], atol=1e-15)
    # node names: a unique name is the node's id even on a terminal; the two "status quo" nodes get #k
    z = t.node("war between resolved and firm")
    assert t.kind[z] == TERMINAL and z == follow(t, "resolved", "firm", "challenge", "resist")
    assert tuple(t.payoffs[0, t.terminal[z]]) == (1, 1)
    assert "status quo" not in t.node_ids and t.node_ids[0] == "challenger's type"
    # each side knows only its own type: a challenger's set holds 2 nodes (the defender's types), a
    # defender's set 4 (the challenger's types and moves)
    assert sorted((h.label, len(h.nodes)) for h in t.infosets) == [
        ("firm defender", 4), ("irresolute challenger", 2), ("resolved challenger", 2), ("weak defender", 4)]
    assert sorted(set(t.outcomes)) == ["concession", "status quo", "war, irresolute vs firm",
                                       "war, irresolute vs weak", "war, resolved vs firm", "war, resolved vs weak"]
    assert t.outcomes.count("status quo") == 8 and t.outcomes.count("concession") == 4


def test_two_sided_resolve_bayesian_equilibrium_derived_by_hand():
    t = read_efg(fixture("two_sided_resolve.efg"))
    # Challenging pays a resolved challenger (1/2)(1) + (1/2)(2) = 3/2 > 0 against "firm resists, weak
    # yields", an irresolute one (1/2)(-3) + (1/2)(2) = -1/2 < 0.  Facing a challenge, a firm defender
    # gets 1 resisting, -1 yielding; a weak one -2 and -1.  Ex ante: (1/3)(3/2) = 1/2 for the challenger,
    # (1/6)(1) + (1/6)(-1) = 0 for the defender.
    eq = {"resolved challenger": "challenge", "irresolute challenger": "stay put",
          "firm defender": "resist", "weak defender": "yield"}
    prof = BehaviourProfile.from_pure(t, eq)
    assert tree_regret(t, prof)[0] < 1e-12
    np.testing.assert_allclose(expected_payoffs(t, prof)[0], [0.5, 0.0], atol=1e-12)
    # an irresolute challenger who challenges too loses 1/2 with probability 2/3; the defender's best
    # replies do not change (firm 1 > -1, weak -1 > -2)
    bluff = BehaviourProfile.from_pure(t, {**eq, "irresolute challenger": "challenge"})
    assert tree_regret(t, bluff)[0] == pytest.approx(1 / 3, abs=1e-12)


def test_empty_labels_get_ids_and_outcome_numbers():
    t = read_efg(fixture("unlabelled_entry.efg"))
    assert t.name is None and t.players == ("Entrant", "Incumbent")
    # file order root, t(out), p(fight|share), t(fight), p(keep|give), t, t is also breadth-first order here
    assert t.node_ids == tuple(f"#{k}" for k in range(1, 8))
    assert t.outcomes == ("outcome 1", "outcome 2", "outcome 3", "outcome 4")
    # unnamed information sets, two of them the entrant's, get distinct labels player:number
    assert [h.label for h in t.infosets] == ["Entrant:1", "Incumbent:1", "Entrant:2"]


def test_unlabelled_entry_pure_equilibria_by_hand():
    t = read_efg(fixture("unlabelled_entry.efg"))
    # out (1, 1); in then fight (0, 0); in, share, then keep (3, 1) or give (2, 2).  Nash: entering and
    # keeping with the incumbent sharing (3 > 1, 1 > 0, 3 > 2), or staying out against a fight (1 > 0;
    # the incumbent's move is then off the path, the entrant's later move either way)
    nash = {("in", "share", "keep"), ("out", "fight", "keep"), ("out", "fight", "give")}
    for first, inc, last in product(("out", "in"), ("fight", "share"), ("keep", "give")):
        prof = BehaviourProfile.from_pure(t, {"Entrant:1": first, "Incumbent:1": inc, "Entrant:2": last})
        assert (tree_regret(t, prof)[0] < 1e-12) == ((first, inc, last) in nash), (first, inc, last)


def test_selten_horse_three_players_one_set_after_two_players_moves():
    t = read_efg(fixture("selten_horse.efg"))
    assert t.players == ("Player 1", "Player 2", "Player 3")
    (h3,) = [h for h in t.infosets if h.player == 2]
    assert sorted(h3.nodes) == sorted([follow(t, "down"), follow(t, "across", "down")])
    # across-across (1, 1, 1); player 2 down then left (4, 4, 0) or right (1, 1, 1); player 1 down then
    # left (3, 3, 2) or right (0, 0, 0).  Pure Nash equilibria by hand: (across, across, right) and
    # (across, down, right) (player 1: 1 > 0; player 2: 1 = 1; player 3 sees only the (across, down) node,
    # right 1 > 0, or nothing), and (down, across, left) (3 > 1; player 2 off the path; left 2 > 0).
    # (down, down, left) fails for player 1 (4 > 3), (across, across, left) and (across, down, left) for
    # player 2 or 3, the rest for player 1 (1 > 0).
    nash = {("across", "across", "right"), ("across", "down", "right"), ("down", "across", "left")}
    for prof in product(("across", "down"), ("across", "down"), ("left", "right")):
        p = BehaviourProfile.from_pure(t, dict(zip(("player 1", "player 2", "player 3"), prof)))
        assert (tree_regret(t, p)[0] < 1e-12) == (prof in nash), prof


def test_read_gambit_tells_the_kinds_apart():
    assert isinstance(read_gambit(fixture("probe_or_attack.efg")), GameTree)
    assert isinstance(read_gambit(fixture("probe_or_attack.nfg")), NormalFormGame)


def test_model_wrapper_keeps_exact_numbers_and_outcome_labels(tmp_path):
    m = read_gambit_model(fixture("monty_hall.efg"))
    assert m.kind == "tree" and m.parameter_names == () and m.name == "monty_hall"
    assert m.title == "Monty Hall: the host must open an unpicked door without the prize"
    np.testing.assert_array_equal(m.at().payoffs, read_efg(fixture("monty_hall.efg")).payoffs)
    p = tmp_path / "labelled.nfg"
    p.write_text('NFG 1 R "crisis" { "A" "B" } { { "hold" "yield" } { "hold" "yield" } }\n'
                 '{ { "war" -10, -10 } { "A wins" 1/3, -1 } { "" 0 0 } }\n1 2 0 3\n')
    nf = read_gambit_model(p)
    assert nf.outcomes == {("hold", "hold"): "war", ("yield", "hold"): "A wins"}
    g = nf.at()
    assert g.exact_payoffs[0, 1, 0, 0] == Fraction(1, 3)
    assert g.payoffs[0, 0, 1].tolist() == [0, 0] and g.payoffs[0, 1, 1].tolist() == [0, 0]


# ---------------------------------------------------------------------- round trip
@pytest.mark.parametrize("name", ["chicken", "prisoners_dilemma", "stag_hunt", "leader", "hero", "deadlock"])
def test_round_trip_shipped_normal_forms(name):
    g = deterrence.load_model(name).at()
    back = parse_nfg(to_nfg(g))
    assert back.players == g.players and back.actions == g.actions and back.name == g.name
    np.testing.assert_array_equal(back.payoffs, g.payoffs)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(1, 3), min_size=1, max_size=3), st.data())
def test_round_trip_random_normal_forms(shape, data):
    n = len(shape)
    size = int(np.prod(shape)) * n
    vals = data.draw(st.lists(st.one_of(st.integers(-50, 50),
                                        st.fractions(min_value=-5, max_value=5, max_denominator=7),
                                        st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False)),
                              min_size=size, max_size=size))
    arr = np.empty(size, dtype=object)
    arr[:] = vals
    pay = arr.reshape(tuple(shape) + (n,))
    exact = all(isinstance(v, (int, Fraction)) for v in vals)
    g = NormalFormGame(pay.tolist() if exact else pay.astype(float),
                       actions=[[f"x{i}{j}" for j in range(m)] for i, m in enumerate(shape)])
    back = parse_nfg(to_nfg(g))
    assert back.actions == g.actions and back.players == g.players
    np.testing.assert_array_equal(back.payoffs, g.payoffs)       # floats are written to round-trip exactly
    if exact:
        assert (back.exact_payoffs == g.exact_payoffs).all()


def test_round_trip_zagare_kilgour_tree():
    for p in (0.25, 1 / 3, 0.9):
        t = zagare_kilgour_tree(p, aDD=-2.0)
        assert_same_tree(parse_efg(to_efg(t)), t)
    m = deterrence.load_model("zagare_kilgour_rudimentary_deterrence")
    t = m.at(p_B=0.3)
    back = parse_efg(to_efg(t))
    assert_same_tree(back, t)
    assert back.name == t.name


@pytest.mark.parametrize("seed", range(12))
def test_round_trip_random_trees(seed):
    rng = np.random.default_rng(seed)
    players = ("P1", "P2", "P3")[: 2 + seed % 2]
    t, _ = build(random_nested(rng, n_players=len(players), max_depth=4, p_chance=0.3), players)
    assert_same_tree(parse_efg(to_efg(t)), t)


def test_round_trip_labels_with_quotes_and_backslashes():
    nodes = [{"id": 'root "r"', "player": 'the "hawk"', "actions": {'a\\b': "x", "c": "y"}},
             {"id": "x", "payoffs": [1, 2], "outcome": 'war "total"'},
             {"id": "y", "payoffs": [0.1, -3.5], "outcome": "peace"}]
    t = GameTree.from_nodes(['the "hawk"', "dove"], nodes, name='say "hi"')
    assert_same_tree(parse_efg(to_efg(t)), t)


# ---------------------------------------------------------------------- CLI
def test_cli_solves_a_gambit_file(capsys):
    from deterrence.cli import main
    assert main(["solve", fixture("prisoners_dilemma.nfg"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (eq,) = out["equilibria"]          # defection strictly dominates: the only equilibrium
    C, D = 'cooperate ("mum")', 'defect ("fink")'
    assert eq["strategies"] == {"Row prisoner": {C: 0.0, D: 1.0}, "Column prisoner": {C: 0.0, D: 1.0}}
    assert main(["solve", fixture("probe_or_attack.efg"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "probe_or_attack"
    # By hand, with r = P(resist): status quo 0, probe 1 - 2r, attack 2 - 5r for the challenger; the
    # defender resists iff P(probe) > 2 P(attack).  Equilibria: status quo with r >= 1/2 (0, 0); attack
    # met by acquiescence (2, -2); probe 2/3 and attack 1/3 met by r = 1/3, where 1 - 2r = 2 - 5r = 1/3
    # and the defender is indifferent (-1 - 3 mu = -2 at mu = 1/3 on the attack): (1/3, -2).
    pays = sorted(tuple(round(v, 9) for v in e["payoffs"].values()) for e in out["equilibria"])
    assert pays == [(0.0, 0.0), (round(1 / 3, 9), -2.0), (2.0, -2.0)]
    (mixed,) = [e for e in out["equilibria"] if e["kind"] == "mixed"]
    s = mixed["strategy"]
    assert s["challenger"] == pytest.approx({"probe": 2 / 3, "attack": 1 / 3})
    assert s["defender, probe or attack?"] == pytest.approx({"resist": 1 / 3, "acquiesce": 2 / 3})
    # resisting the off-path move after the status quo needs a belief of at most 1/3 on the attack
    # (-1 - 3 mu >= -2)
    (sq,) = [e for e in out["equilibria"] if e["payoffs"] == {"Challenger": 0.0, "Defender": 0.0}]
    assert "<= 1/3" in sq["off_path_beliefs"]["defender, probe or attack?"]


def test_cli_reports_a_malformed_gambit_file(tmp_path, capsys):
    from deterrence.cli import main
    p = tmp_path / "bad.efg"
    p.write_text('EFG 2 R "x" { "A" "B" }\n""\np "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 }\n')
    assert main(["solve", str(p)]) == 2
    err = capsys.readouterr().err
    assert "bad.efg: line 4: expected the payoff of player 2" in err


# ---------------------------------------------------------------------- malformed files
EFG_HEAD = 'EFG 2 R "g" { "A" "B" }\n""\n'
NFG_HEAD = 'NFG 1 R "g" { "A" "B" } { 2 2 }\n'

BAD = [
    ("x.efg", 'EFG 3 R "g" { "A" }\n', 1, "format version 2"),
    ("x.efg", 'EFG 2 Q "g" { "A" }\n', 1, "number type R or D"),
    ("x.efg", 'EFG 2 R { "A" }\n', 1, "the game's title"),
    ("x.efg", 'EFG 2 R "g" { }\n', 1, "no players"),
    ("x.efg", 'EFG 2 R "g" { "A" "B"\np "" 1 1 "" { "a" } 0\n', 2, "closing the list of players"),
    ("x.efg", EFG_HEAD + 'q "" 1 1 "" { "a" } 0\n', 3, "a node: p"),
    ("x.efg", EFG_HEAD + 'p "" 3 1 "" { "a" "b" } 0\n', 3, "player who moves (1..2)"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 }\nt "" 2 "o" { 1 2 }\n', 4,
     "payoff of player 2"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 2 3 }\nt "" 0\n', 4, "closing the outcome's 2"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 0\n', 5, "another node"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 0\nt "" 0\nt "" 0\n', 6, "end of the file"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\np "" 2 7 0\nt "" 0\nt "" 0\n', 4,
     "information set 7 of player 2 after its number: it is not defined"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 4\nt "" 0\n', 4, "outcome 4 after its number: it is not defined"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 0 "o" { 1 2 }\nt "" 0\n', 4, "outcome 0"),
    ("x.efg", EFG_HEAD + 'c "" 1 "" { "h" 1/2 "s" 1/3 } 0\nt "" 0\nt "" 0\n', 3, "sum to 0.8333"),
    ("x.efg", EFG_HEAD + 'c "" 1 "" { "h" 3/2 "s" -1/2 } 0\nt "" 0\nt "" 0\n', 3, "not in [0, 1]"),
    ("x.efg", EFG_HEAD + 'c "" 1 "" { "h" "s" } 0\n', 3, 'probability of chance action "h"'),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { } 0\n', 3, "at least one action"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\np "" 1 1 "" { "a" "c" } 0\nt "" 0\nt "" 0\nt "" 0\n', 4,
     "defined again differently from line 3"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 2 }\nt "" 1 "o" { 1 3 }\n', 5,
     "outcome 1 is defined again differently"),
    ("x.efg", EFG_HEAD + 'p "" 1 1.5 "" { "a" "b" } 0\n', 3, "a whole number"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 1 "o" { 1 2.3.4 }\n', 4, "'2.3.4'"),
    ("x.efg", EFG_HEAD + 'p "" 1 1 "" { "a" "b" } 0\nt "" 0\nt "" 1 "war { 1 2 }\n', 5,
     "a label opened on line 5 has no closing quote"),
    ("x.nfg", 'NFG 1 R "g" { "A" "B" } { 2 }\n1 2 3 4\n', 1, "number of strategies of player 2"),
    ("x.nfg", 'NFG 1 R "g" { "A" "B" } { { "a" } }\n', 1, "strategy labels of player 2"),
    ("x.nfg", 'NFG 1 R "g" { "A" "B" } { { "a" } { } }\n', 1, "player 2 has no strategy"),
    ("x.nfg", NFG_HEAD + '1 2 3 4 5 6 7\n', 3, "payoff of player 2 at strategy profile 4 of 4"),
    ("x.nfg", NFG_HEAD + '1 2 3 4 5 6 7 8 9\n', 2, "end of the file"),
    ("x.nfg", NFG_HEAD + '"a comment"\n"oops"\n', 3, "payoffs (numbers) or the list of outcomes"),
    ("x.nfg", NFG_HEAD + '{ { "o" 1 2 } }\n1 1 2 1\n', 3, "outcome number of strategy profile 3 of 4 (0 to 1)"),
    ("x.nfg", NFG_HEAD + '{ { "o" 1 } }\n1 1 1 1\n', 2, "payoff of player 2"),
    ("x.nfg", 'NFG 1 R "g" { "A" } { 0 }\n', 1, "number of strategies of player 1"),
    ("x.nfg", '\n\nXFG 1 R "g"\n', 3, "file type NFG"),
]


@pytest.mark.parametrize("name,text,line,phrase", BAD, ids=[f"{k}-{b[3][:30]}" for k, b in enumerate(BAD)])
def test_malformed_files_name_file_line_and_expectation(tmp_path, name, text, line, phrase):
    p = tmp_path / name
    p.write_text(text)
    reader = read_efg if name.endswith(".efg") else read_nfg
    with pytest.raises(ModelFileError) as info:
        reader(p)
    msg = str(info.value)
    assert msg.startswith(str(p) + ": ")
    assert f"line {line}: " in msg, msg
    assert phrase in msg, msg
    with pytest.raises(ModelFileError):
        read_gambit_model(p)


def test_unreadable_files_name_the_file(tmp_path):
    p = tmp_path / "missing.efg"
    with pytest.raises(ModelFileError, match="missing.efg: cannot read"):
        read_efg(p)
    q = tmp_path / "binary.nfg"
    q.write_bytes(b"NFG 1 R \xff\xfe")
    with pytest.raises(ModelFileError, match="binary.nfg: not a text file"):
        read_nfg(q)


# ---------------------------------------------------------------------- robustness
@pytest.mark.parametrize("name", [f for f in EFG_FILES + NFG_FILES if f != "monty_hall.efg"])
def test_every_truncation_is_a_located_error(name):
    with open(fixture(name)) as fh:
        text = fh.read().rstrip("\n")
    parse = parse_efg if name.endswith(".efg") else parse_nfg
    # every cut before the last line leaves a node, payoff or outcome number missing (a cut inside the last
    # line may leave a complete file: `t "" 3` refers to an outcome defined earlier)
    cuts = sorted({k for k, ch in enumerate(text) if ch in " \n" and k < text.rindex("\n")})
    for k in cuts:
        with pytest.raises(ModelFileError, match=r"^cut\.gbt: line \d+: "):
            parse(text[:k], "cut.gbt")


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_files_parse_or_raise_model_file_error(data):
    name = data.draw(st.sampled_from(["probe_or_attack.efg", "monty_hall.efg", "two_sided_resolve.efg",
                                      "prisoners_dilemma.nfg", "probe_or_attack.nfg", "volunteers_dilemma.nfg"]))
    with open(fixture(name)) as fh:
        text = fh.read()
    k = data.draw(st.integers(0, len(text) - 1))
    piece = data.draw(st.sampled_from(['"', "{", "}", ",", "-", "1/0", "x", " ", "\n", "0.5e", "9", ""]))
    mutated = text[:k] + piece + text[k + data.draw(st.integers(0, 3)):]
    parse = parse_efg if name.endswith(".efg") else parse_nfg
    try:
        game = parse(mutated, "mutated")
    except ModelFileError as exc:
        assert str(exc).startswith("mutated: ")
    else:
        assert game.n_players >= 1


def test_labels_made_distinct_as_gambit_does():
    from deterrence.io.gambit_lexer import normalize_labels
    # Gambit (src/games/file.cc, NormalizeLabels): a label used once stays; repeated or empty ones get
    # "_1", "_2", ... skipping candidates already in use, so {"x", "x", "x_1"} gets no duplicate "x_1"
    assert normalize_labels(["a", "b"]) == ["a", "b"]
    assert normalize_labels(["x", "x", "x_1"]) == ["x_2", "x_3", "x_1"]
    assert normalize_labels(["", "y"]) == ["_1", "y"]
    t = parse_efg('EFG 2 R "" { "A" "A" }\n""\np "" 1 1 "" { "go" "go" } 0\nt "" 0\nt "" 0\n')
    assert t.players == ("A_1", "A_2") and t.actions(0) == ("go_1", "go_2")
