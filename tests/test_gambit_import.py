"""Gambit import: .efg and .nfg files read into GameTree and NormalFormGame.

Expected values here are transcribed from the files themselves (tests/fixtures/gambit, copied from
Gambit's contrib/games) or come from the game that was written; pygambit is the oracle for equilibria
in test_gambit_import_oracle.py.
"""

import json
import os
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import deterrence
from deterrence.errors import ModelFileError
from deterrence.games import GameTree, NormalFormGame
from deterrence.games.tree import CHANCE, DECISION, TERMINAL
from deterrence.io.gambit import to_efg, to_nfg
from deterrence.io.gambit_read import parse_efg, parse_nfg, read_efg, read_gambit, read_gambit_model, read_nfg

from _tree_helpers import build, random_nested, zagare_kilgour_tree

FIX = os.path.join(os.path.dirname(__file__), "fixtures", "gambit")


def fixture(name):
    return os.path.join(FIX, name)


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


# ---------------------------------------------------------------------- Gambit's own example files
def test_e04_efg_kreps_wilson():
    t = read_efg(fixture("e04.efg"))
    assert t.name == "Kreps-Wilson (Econometrica, 85), Figures 1,4,9, and 14"
    assert t.players == ("Player 1", "Player 2")
    assert t.n_nodes == 8 and t.n_terminals == 5
    root = 0
    assert t.kind[root] == DECISION and t.actions(root) == ("A", "R", "L")
    # player 2 has one information set with two nodes: after R and after L
    (h2,) = [h for h in t.infosets if h.player == 1]
    assert h2.label == "(2,1)" and h2.actions == ("R", "L") and len(h2.nodes) == 2
    pays = {t.outcomes[t.terminal[k]]: tuple(t.payoffs[0, t.terminal[k]]) for k in range(t.n_nodes)
            if t.kind[k] == TERMINAL}
    assert pays == {"Outcome 1": (0, 0), "Outcome 2": (-1, 2), "Outcome 3": (-1, 0),
                    "Outcome 4": (-2, -2), "Outcome 5": (3, -1)}


def test_e04_nfg_payoff_version_counts_of_strategies():
    g = read_nfg(fixture("e04.nfg"))
    assert g.num_actions == (3, 2)
    assert g.actions == (("1", "2", "3"), ("1", "2"))
    # "0 0 -1 2 -2 -2 0 0 -1 0 3 -1": profiles with player 1 changing fastest
    A = [[0, 0], [-1, -1], [-2, 3]]
    B = [[0, 0], [2, 0], [-2, -1]]
    assert g.exact_payoffs is not None
    np.testing.assert_array_equal(g.payoffs[0, ..., 0], A)
    np.testing.assert_array_equal(g.payoffs[0, ..., 1], B)


def test_pd_nfg_outcome_version():
    g = read_nfg(fixture("pd.nfg"))
    assert g.name == "Two person Prisoner's Dilemma game"
    # outcomes 1..4 in profile order (1,1), (2,1), (1,2), (2,2)
    np.testing.assert_array_equal(g.payoffs[0], [[[9, 9], [0, 10]], [[10, 0], [1, 1]]])


def test_three_player_nfg():
    g = read_nfg(fixture("2x2x2.nfg"))
    assert g.players == ("Player 1", "Player 2", "Player 3")
    assert g.payoffs[0, 0, 0, 0].tolist() == [9, 8, 12]       # outcome 1 at profile (1,1,1)
    assert g.payoffs[0, 1, 1, 0].tolist() == [9, 8, 2]        # outcome 4 at profile (2,2,1)
    assert g.payoffs[0, 1, 0, 1].tolist() == [3, 4, 6]        # outcome 6 at profile (2,1,2)
    assert g.payoffs[0, 1, 1, 1].tolist() == [0, 0, 0]        # outcome 8


def test_monty_hall_chance_thirds_and_information_sets():
    t = read_efg(fixture("montyhal.efg"))
    assert t.kind[0] == CHANCE and t.actions(0) == ("DOOR A", "DOOR B", "DOOR C")
    np.testing.assert_allclose(t.chance_probs[0, t.child_ptr[0]:t.child_ptr[1]], [1 / 3] * 3)
    # the contestant's first choice cannot depend on where the prize is: one information set of 3 nodes
    first = t.infosets[t.infoset[t.children(0)[0]]]
    assert first.label == "(1,1)" and len(first.nodes) == 3
    assert set(t.outcomes) == {"Outcome 1", "Outcome 2", "Outcome 3"}
    assert not t.recall_violations()


def test_bayes_two_chance_levels():
    t = read_efg(fixture("bayes1a.efg"))
    assert t.kind[0] == CHANCE
    kids = t.children(0)
    assert all(t.kind[k] == CHANCE for k in kids)
    # node named "ROOT" in the file is a terminal (names are kept when unique)
    assert t.kind[t.node("ROOT")] == TERMINAL
    assert t.payoffs[0, t.terminal[t.node("ROOT")]].tolist() == [10, 2]


def test_outcomes_at_non_terminal_nodes_add_up_along_the_path():
    t = read_efg(fixture("coord2ts.efg"))
    # first stage (A, A) carries outcome 1 = (3, 2); second stage (A, A) ends in outcome 1 again: 6, 4
    path = [0]
    for _ in range(4):
        path.append(int(t.children(path[-1])[0]))
    z = path[-1]
    assert t.kind[z] == TERMINAL and t.outcomes[t.terminal[z]] == "Outcome 1"
    assert t.payoffs[0, t.terminal[z]].tolist() == [6, 4]
    # a terminal reached without passing the first-stage outcome keeps its own payoff
    z2 = int(t.children(int(t.children(0)[1]))[1])      # (B, B) in stage one: outcome 2 = (2, 2)
    assert t.payoffs[0, t.terminal[z2]].tolist() == [2, 2]


def test_empty_labels_get_ids_and_outcome_numbers():
    t = read_efg(fixture("badgame1.efg"))
    # file order root, t(A), p(X|Y), t(X), p(a|b), t, t is also breadth-first order here
    assert t.node_ids == tuple(f"#{k}" for k in range(1, 8))
    assert t.outcomes == ("outcome 1", "outcome 2", "outcome 3", "outcome 4")
    # two unnamed information sets of player 1 get distinct labels
    assert len({h.label for h in t.infosets}) == 3


def test_read_gambit_tells_the_kinds_apart():
    assert isinstance(read_gambit(fixture("e04.efg")), GameTree)
    assert isinstance(read_gambit(fixture("e04.nfg")), NormalFormGame)


def test_model_wrapper_keeps_exact_numbers_and_outcome_labels(tmp_path):
    m = read_gambit_model(fixture("montyhal.efg"))
    assert m.kind == "tree" and m.parameter_names == () and m.name == "montyhal"
    assert m.title == "The Monty Hall 'Lets make a deal' problem"
    np.testing.assert_array_equal(m.at().payoffs, read_efg(fixture("montyhal.efg")).payoffs)
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
    assert main(["solve", fixture("pd.nfg"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    (eq,) = out["equilibria"]
    assert eq["strategies"] == {"Player 1": {"1": 0.0, "2": 1.0}, "Player 2": {"1": 0.0, "2": 1.0}}
    assert main(["solve", fixture("e04.efg"), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["model"] == "e04"
    # e04: player 1 takes A (0, 0) or L with player 2 answering L (3, -1): both pure equilibria
    pays = sorted(tuple(e["payoffs"].values()) for e in out["equilibria"])
    assert pays == [(0.0, 0.0), (3.0, -1.0)]


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
@pytest.mark.parametrize("name", ["e04.efg", "coord2ts.efg", "bayes1a.efg", "pd.nfg", "2x2x2.nfg", "e04.nfg"])
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
    name = data.draw(st.sampled_from(["e04.efg", "montyhal.efg", "pd.nfg", "e04.nfg"]))
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
