"""Crafted inputs of issue 6 ("bounded work"): each is answered, solved or refused, within resource limits.

Every case runs in a subprocess with an address-space limit and a CPU-time
limit (:mod:`tests._guarded`): before the fixes each one ran for minutes or
passed 4 GiB, so a relapse is killed by the limit and the test fails fast.
No assertion is about wall-clock time.
"""

from __future__ import annotations

import pickle
import re

import numpy as np
import pytest

from deterrence.errors import ExpressionError, ModelFileError
from deterrence.io.model_file import dumps, loads

from _guarded import cli, run_guarded

HDR = '[model]\nname = "x"\nkind = "tree"\n'


#: A solver's progress line (deterrence.solve.progress: written once a run passes two seconds, so it appears or not
#: with the machine's load): "what: done/total (detail)".  It is not part of the error.
PROGRESS_LINE = re.compile(r"^[\w.]+:( [\w ]+:)? \d+/\d+( \(.*\))?$")


def _one_line_error(r, code=2):
    assert r.returncode == code, (r.returncode, r.stderr[-500:])
    lines = [ln for ln in r.stderr.replace("\r", "\n").split("\n") if ln and not PROGRESS_LINE.match(ln)]
    assert len(lines) == 1 and lines[0].startswith("deterrence: error:"), r.stderr[:600]
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr
    return r.stderr


def _power_tree(hidden: bool) -> str:
    t = 'players = ["A", "B"]\n' + HDR
    for p in "abcdefgh":
        t += f'[parameters.{p}]\ndomain = "real"\ndefault = 0.1\n'
    h = ('infoset = "ha"\n', 'infoset = "hb"\n') if hidden else ("", "")
    t += f'[[nodes]]\nid = "r"\nplayer = "A"\n{h[0]}actions = {{ l = "b1", r = "b2" }}\n'
    for k, kids in ((1, ("t1", "t2")), (2, ("t3", "t4"))):
        t += f'[[nodes]]\nid = "b{k}"\nplayer = "B"\n{h[1]}actions = {{ x = "{kids[0]}", y = "{kids[1]}" }}\n'
    for i in range(1, 5):
        pay = '"(a+b+c+d+e+f+g+h)**64"' if i == 1 else str(i)
        t += f'[[nodes]]\nid = "t{i}"\npayoffs = [{pay}, {i}]\n'
    return t


def _normal_form(shape, seed=0) -> str:
    rng = np.random.default_rng(seed)
    players = [f"P{i}" for i in range(len(shape))]
    t = "players = [" + ", ".join(f'"{p}"' for p in players) + ']\n[model]\nname = "x"\nkind = "normal_form"\n'
    t += "[actions]\n" + "".join(f"{p} = [" + ", ".join(f'"a{j}"' for j in range(k)) + "]\n"
                                 for p, k in zip(players, shape))
    for prof in np.ndindex(*shape):
        vals = rng.integers(-100, 100, len(shape))
        t += ("[[payoffs]]\nprofile = [" + ", ".join(f'"a{j}"' for j in prof) + "]\nvalues = ["
              + ", ".join(map(str, vals)) + "]\n")
    return t


def _star(n) -> str:
    t = 'players = ["A"]\n' + HDR + '[[nodes]]\nid = "r"\nplayer = "A"\nactions = { '
    t += ", ".join(f'a{i} = "t{i}"' for i in range(n)) + " }\n"
    return t + "".join(f'[[nodes]]\nid = "t{i}"\npayoffs = [{i % 7}]\n' for i in range(n))


def _chain(n, defaults=None) -> str:
    chain = " < ".join(["a"] + ["b"] * n)
    t = 'players = ["A"]\nconstraints = ["' + chain + '"]\n' + HDR
    for p in "ab":
        t += f'[parameters.{p}]\ndomain = "real"\n' + (f"default = {defaults[p]}\n" if defaults else "")
    return t + '[[nodes]]\nid = "r"\nplayer = "A"\nactions = { x = "t" }\n[[nodes]]\nid = "t"\npayoffs = ["a"]\n'


def _infoset(n) -> str:
    """Chance picks one of n nodes of A's information set (probabilities in p); then B, hiding chance too."""
    t = ('players = ["A", "B"]\n' + HDR + '[parameters.p]\ndomain = "probability"\ndefault = 0.5\n'
         '[parameters.q]\ndomain = "real"\ndefault = 1\n')
    h = n // 2
    t += '[[nodes]]\nid = "c"\nplayer = "chance"\nactions = { ' + ", ".join(f'k{i} = "d{i}"' for i in range(n)) + " }\n"
    t += "probabilities = { " + ", ".join(f'k{i} = "p/{h}"' if i < h else f'k{i} = "(1-p)/{n - h}"'
                                          for i in range(n)) + " }\n"
    for i in range(n):
        t += (f'[[nodes]]\nid = "d{i}"\nplayer = "A"\ninfoset = "h"\nactions = {{ x = "e{i}", y = "f{i}" }}\n'
              f'[[nodes]]\nid = "e{i}"\nplayer = "B"\ninfoset = "hb"\nactions = {{ u = "u{i}", v = "v{i}" }}\n'
              f'[[nodes]]\nid = "f{i}"\noutcome = "f"\npayoffs = ["{i % 5}*p + q", "p"]\n'
              f'[[nodes]]\nid = "u{i}"\noutcome = "u"\npayoffs = ["{i % 3}*q - p", "q + {i}"]\n'
              f'[[nodes]]\nid = "v{i}"\noutcome = "v"\npayoffs = ["q*p + {i}", "{i % 4}*q"]\n')
    return t


def _small_tree(param="", node_extra="", payoff='"a"', chance=None) -> str:
    t = 'players = ["A"]\n' + HDR + '[parameters.a]\ndomain = "real"\ndefault = 2\n' + param
    if chance is None:
        return t + f'[[nodes]]\nid = "r"\nplayer = "A"\nactions = {{ x = "t" }}\n[[nodes]]\nid = "t"\npayoffs = [{payoff}]\n'
    return (t + f'[[nodes]]\nid = "r"\nplayer = "chance"\nactions = {{ x = "t", y = "u" }}\n'
            f'probabilities = {chance}\n[[nodes]]\nid = "t"\npayoffs = [1]\n[[nodes]]\nid = "u"\npayoffs = [0]\n')


# ---------------------------------------------------------------------- bounded work
def test_power_payoff_symbolic_route_is_refused_at_once(tmp_path):
    """(a+...+h)**64: sympy expanded ~10^9 terms (4 GB after 120 s); now refused before sympy sees it."""
    f = tmp_path / "power.toml"
    f.write_text(_power_tree(hidden=False))
    code = ("import sys\nfrom deterrence.io.model_file import load\nfrom deterrence.analysis.symbolic import "
            "outcome_conditions\nfrom deterrence.errors import ExpressionError\n"
            f"m = load({str(f)!r})\ntry:\n    outcome_conditions(m)\nexcept ExpressionError as e:\n"
            "    print(e)\n    sys.exit(0)\nsys.exit(3)\n")
    r = run_guarded(["-c", code], cpu=20)
    assert r.returncode == 0, (r.returncode, r.stderr[-400:])
    assert "terminal 't1'" in r.stdout and "expands to" in r.stdout and "numerically" in r.stdout


def test_power_payoff_with_hidden_move_is_solved_numerically(tmp_path):
    f = tmp_path / "power_hidden.toml"
    f.write_text(_power_tree(hidden=True))
    r = cli("solve", f, cpu=30)
    assert r.returncode == 0, r.stderr[-400:]


def test_large_bimatrix_is_refused_within_a_memory_budget(tmp_path):
    """18x18: polytope_vertices kept a tableau per basis and passed 4 GiB; now refused under 1.5 GB."""
    f = tmp_path / "nf18.toml"
    f.write_text(_normal_form((18, 18)))
    err = _one_line_error(cli("solve", f, cpu=60))
    assert "feasible bases" in err and "qre" in err and "one_equilibrium" in err


@pytest.mark.parametrize("shape, word", [((4, 4, 4), "4x4x4"), ((3, 3, 3, 3), "3x3x3x3")])
def test_large_nplayer_games_are_refused_before_enumerating(tmp_path, shape, word):
    """4x4x4 ran over 300 s and 3x3x3x3 over 30 s with no progress; the size check refuses at once."""
    f = tmp_path / "nf.toml"
    f.write_text(_normal_form(shape))
    err = _one_line_error(cli("solve", f, cpu=15))
    assert word in err and "qre" in err and "one_equilibrium" in err


def test_star_tree_outcome_distribution_is_sparse(tmp_path):
    """30,000 unlabelled terminals: the dense terminals x labels matrix needed 6.7 GiB."""
    f = tmp_path / "star.toml"
    f.write_text(_star(30_000))
    r = cli("solve", f, "--json", cpu=60)
    assert r.returncode == 0, r.stderr[-400:]
    assert '"t6": 1.0' in r.stdout


def test_constraint_chain_parses_in_linear_time(tmp_path):
    """280,000 comparisons (about 1 MB): the whole text was copied per comparison (about 20 minutes)."""
    f = tmp_path / "chain.toml"
    f.write_text(_chain(280_000))
    code = f"from deterrence.io.model_file import load\nm = load({str(f)!r})\nprint(len(m.constraints[0].exprs))\n"
    r = run_guarded(["-c", code], cpu=20)
    assert r.returncode == 0, (r.returncode, r.stderr[-400:])
    assert r.stdout.strip() == "280001"


def test_violated_long_constraint_is_not_echoed(tmp_path):
    f = tmp_path / "chain.toml"
    f.write_text(_chain(280_000, defaults={"a": 1, "b": 0}))
    err = _one_line_error(cli("solve", f, cpu=20))
    assert "constraints[0]" in err and "violated" in err and len(err) < 400


def test_information_set_symbolic_solve_is_linear(tmp_path):
    """An information set of 800 nodes took 37 s (quadratic sums); linear now, well inside 15 CPU seconds."""
    f = tmp_path / "infoset.toml"
    f.write_text(_infoset(800))
    code = (f"from deterrence.io.model_file import load\nfrom deterrence.analysis.symbolic import outcome_conditions\n"
            f"print(sorted(outcome_conditions(load({str(f)!r}))))\n")
    r = run_guarded(["-c", code], cpu=15)
    assert r.returncode == 0, (r.returncode, r.stderr[-400:])
    assert r.stdout.strip() == "['f', 'u', 'v']"


# ---------------------------------------------------------------------- clear errors
@pytest.mark.parametrize("digits", [400, 5000])
def test_huge_integer_default_names_file_and_key(tmp_path, digits):
    f = tmp_path / "big.toml"
    f.write_text(_small_tree().replace("default = 2", "default = " + "9" * digits))
    err = _one_line_error(cli("solve", f, cpu=15))
    assert f"{f}: parameters.a.default:" in err


def test_huge_integer_payoff_names_file_and_key(tmp_path):
    f = tmp_path / "big.toml"
    f.write_text(_small_tree(payoff="9" * 5000))
    err = _one_line_error(cli("solve", f, cpu=15))
    assert f"{f}: nodes[1].payoffs:" in err
    with pytest.raises(ModelFileError, match=r"nodes\[1\]\.payoffs\[0\]: .*float64 range"):
        loads(_small_tree(payoff="9" * 400))


def test_expression_error_is_one_line(tmp_path):
    f = tmp_path / "expr.toml"
    f.write_text(_small_tree(payoff='"a + (a * "'))
    err = _one_line_error(cli("solve", f, cpu=15))
    assert "nodes[1].payoffs[0]" in err and "position" in err


def test_unit_error_does_not_repeat_its_prefix():
    with pytest.raises(ModelFileError) as info:
        loads(_small_tree(param="unit = 3\n"), path="m.toml")
    assert str(info.value) == "m.toml: parameters.a.unit: expected a string, got an integer (3)"


@pytest.mark.parametrize("chance, key", [
    ('{ x = "a", y = "1 - a" }', r"nodes\[0\]\.probabilities\.x: .*not in \[0, 1\]"),
    ('{ x = "a/4", y = "a/3" }', r"nodes\[0\]\.probabilities: .*sum to"),
    ('{ x = "log(a - 2)", y = "1" }', r"nodes\[0\]\.probabilities\.x: .*not finite"),
])
def test_invalid_chance_probability_is_reported_under_its_node(chance, key):
    with pytest.raises(ModelFileError, match=r"^m\.toml: " + key):
        loads(_small_tree(chance=chance), path="m.toml")


# ---------------------------------------------------------------------- one canonical form
def test_canonical_text_within_the_limit_round_trips():
    long = "+".join(["a^2"] * 400)              # 1,599 characters; canonical (compact) 1,999
    m = loads(_small_tree(payoff=f'"{long}"'))
    again = loads(dumps(m))
    assert again.terms == m.terms
    assert pickle.loads(pickle.dumps(m)).terms == m.terms


def test_text_whose_canonical_form_exceeds_the_limit_is_refused():
    long = "+".join(["a^2"] * 500)              # 1,999 characters; canonical 2,499
    with pytest.raises(ModelFileError, match=r"nodes\[1\]\.payoffs\[0\]: expression's canonical form is 2499"):
        loads(_small_tree(payoff=f'"{long}"'))
    with pytest.raises(ExpressionError):
        from deterrence.symbolic import parse
        parse(long)


def test_huge_integer_anywhere_in_a_shipped_model_is_a_model_file_error():
    """The fuzzer's finding: a 400-digit integer in a claim's region raised OverflowError (exit 1)."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "models" / "snyder_alliance_security_dilemma.toml").read_text()
    assert "region = { k = [0, 3]" in text
    with pytest.raises(ModelFileError, match="float64 range"):
        loads(text.replace("region = { k = [0, 3]", "region = { k = [0, " + "9" * 400 + "]", 1), path="m.toml")


def test_long_exact_enumeration_stops_cleanly_on_ctrl_c(tmp_path):
    """SIGINT during a long vertex enumeration (its bound lifted): one line, exit 130, no traceback."""
    f = tmp_path / "nf18.toml"
    f.write_text(_normal_form((18, 18)))
    code = ("import os, signal, sys, threading\n"
            "import deterrence.solve.polytope as poly\n"
            "from deterrence.cli import main\n"
            "poly.MAX_BASES = 10 ** 8\n"
            "threading.Timer(1.0, lambda: os.kill(os.getpid(), signal.SIGINT)).start()\n"
            f"sys.exit(main(['solve', {str(f)!r}]))\n")
    r = run_guarded(["-c", code], cpu=60)
    assert r.returncode == 130, (r.returncode, r.stderr[-400:])
    assert "interrupted" in r.stderr and "Traceback" not in r.stderr


def _threshold_tree(payoff: str) -> str:
    return ('players = ["A"]\n' + HDR + '[parameters.p]\ndomain = "probability"\ndefault = 0.5\n'
            '[parameters.c]\ndomain = "real"\ndefault = 0.3\n'
            '[[nodes]]\nid = "r"\nplayer = "A"\nactions = { x = "t", y = "u" }\n'
            f'[[nodes]]\nid = "t"\noutcome = "war"\npayoffs = ["{payoff}"]\n'
            '[[nodes]]\nid = "u"\noutcome = "peace"\npayoffs = ["c"]\n')


def test_threshold_of_a_high_degree_boundary_is_refused_not_hung(tmp_path):
    """sympy.solve ran for minutes on a degree-64 boundary, and returned nothing for a quintic
    (reported as 'does not depend on p'); both are refused with the degree."""
    f = tmp_path / "deg.toml"
    f.write_text(_threshold_tree("(p+c)**64 - c"))
    code = ("from deterrence.io.model_file import load\nfrom deterrence.analysis.symbolic import threshold\n"
            "from deterrence.errors import SolverError\n"
            f"try:\n    threshold(load({str(f)!r}), 'war', 'p')\nexcept SolverError as e:\n    print(e)\n")
    r = run_guarded(["-c", code], cpu=20)
    assert r.returncode == 0, (r.returncode, r.stderr[-400:])
    assert "degree 64 in p" in r.stdout and "numerically" in r.stdout
    from deterrence.analysis.symbolic import threshold
    from deterrence.errors import SolverError
    with pytest.raises(SolverError, match="degree 5 in p"):
        threshold(loads(_threshold_tree("p**5 - p**2 + p")), "war", "p")
    # a quintic that factors into solvable pieces is solved
    assert {str(v) for v in threshold(loads(_threshold_tree("p**5 - p + c")), "war", "p").values} >= {"0", "1"}


def test_nash_conditions_of_a_large_symbolic_game_are_refused(tmp_path):
    """20x20 with payoffs in a parameter: 15,200 inequalities took 16 s (40x40 several minutes)."""
    rng = np.random.default_rng(0)
    n = 20
    t = ('players = ["R", "C"]\n[model]\nname = "x"\nkind = "normal_form"\n'
         '[parameters.p]\ndomain = "probability"\ndefault = 0.5\n[actions]\n')
    t += "R = [" + ", ".join(f'"a{j}"' for j in range(n)) + "]\nC = [" + ", ".join(f'"a{j}"' for j in range(n)) + "]\n"
    for i in range(n):
        for j in range(n):
            a, b = rng.integers(1, 9, 2)
            t += f'[[payoffs]]\nprofile = ["a{i}", "a{j}"]\nvalues = ["{a}*p + {b}", "{b}*p - {a}"]\n'
    f = tmp_path / "symnf.toml"
    f.write_text(t)
    code = ("from deterrence.io.model_file import load\nfrom deterrence.analysis.symbolic import nash_conditions\n"
            "from deterrence.errors import SolverError\n"
            f"try:\n    nash_conditions(load({str(f)!r}))\nexcept SolverError as e:\n    print(e)\n")
    r = run_guarded(["-c", code], cpu=10)
    assert r.returncode == 0, (r.returncode, r.stderr[-400:])
    assert "20x20 game need about 15200 symbolic inequalities" in r.stdout and "numerically" in r.stdout


def test_long_exact_enumerations_report_progress():
    # issue 6: long exact computations show progress (a callable here; a stderr line after 2 s by default)
    import numpy as np

    from deterrence import NormalFormGame
    from deterrence.solve import enumerate_equilibria, enumerate_nplayer

    seen = []
    g = NormalFormGame.from_bimatrix(np.random.default_rng(0).integers(-9, 10, (6, 6)),
                                     np.random.default_rng(1).integers(-9, 10, (6, 6)))
    for exact in (False, True):
        seen.clear()
        res = enumerate_equilibria(g, exact=exact, progress=lambda done, total: seen.append((done, total)))
        assert res.complete and seen and all(t == 2 for _, t in seen)
        assert [d for d, _ in seen] == sorted(d for d, _ in seen)        # polytope 0, then polytope 1
    seen.clear()
    res = enumerate_nplayer(NormalFormGame(np.random.default_rng(2).integers(-9, 10, (2, 3, 2, 3)).astype(float)),
                            progress=lambda done, total: seen.append((done, total)))
    assert seen and seen[0][1] == 3 * 7 * 3                              # support profiles of a 2x3x2 game
    assert all(0 <= d < t for d, t in seen)


def test_progress_line_on_stderr_once_a_run_is_long(capsys):
    from deterrence.solve.progress import Progress

    rep = Progress(True, 10, "enumerate_equilibria: polytopes done")
    rep.t0 -= 5.0                       # as if the run had taken five seconds
    rep.update(1, "1234 feasible bases")
    rep.close()
    err = capsys.readouterr().err
    assert "enumerate_equilibria: polytopes done: 1/10 (1234 feasible bases)" in err and err.endswith("\n")
