"""The command line: escaped model text, one-line errors before any work, broken pipes, help, plurals."""

import json
import os
import subprocess
import sys

import pytest

from deterrence.cli import build_parser

from _cli import run

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ZK = "zagare_kilgour_rudimentary_deterrence"


@pytest.fixture
def evil_model(tmp_path):
    """A valid tree whose title, player, action, node and outcome texts carry terminal escape sequences."""
    from deterrence.games.parametric import ParametricTree
    from deterrence.io.model_file import save
    from _analysis_models import uncertain_resolve
    m = uncertain_resolve()
    esc = "\x1b]0;pwned\x07\x1b[2J"
    nodes = []
    for n in m.node_specs():
        n = dict(n)
        if n.get("outcome") == "SQ":
            n["outcome"] = "SQ" + esc
        if n["id"] == "A":
            n["actions"] = {"Not" + esc: "sq", "Challenge": "N"}
        nodes.append(n)
    evil = ParametricTree(name="evil", title="Title" + esc + "\u202e", players=list(m.players),
                          parameters=list(m.parameters.values()), nodes=nodes)
    path = tmp_path / "evil.toml"
    save(evil, path)
    return path


@pytest.mark.parametrize("argv", [["show"], ["solve", "--set", "p_B=0.9"], ["sweep", "--grid", "p_B=0:1:5"]])
def test_model_text_is_printed_escaped(capsys, evil_model, argv):
    code, out, err = run(capsys, argv[0], evil_model, *argv[1:])
    assert code == 0, err
    assert "\x1b" not in out + err and "\x07" not in out + err and "\u202e" not in out + err
    assert "\\x1b" in out


def test_error_messages_are_escaped_to_one_line(capsys, tmp_path):
    code, _, err = run(capsys, "show", tmp_path / "no\x1b[2J\nsuch.toml")
    assert code == 2 and err.count("\n") == 1 and "\x1b" not in err


@pytest.mark.parametrize("argv,message", [
    (["--grid", "p_B=0:1:10000000000"], "sweep too large (10,000,000,000 points"),
    (["--samples", "10^12"], "sweep too large (1,000,000,000,000 points"),
    (["--samples", "100", "--seed", "-1"], "seed must be a non-negative integer"),
    (["--grid", "p_B=0:1:5", "--concept", "nash"], "concept 'nash' does not apply"),
    (["--grid", "p_B=0:1:5", "--grid", "a_SQ=0:0.5:3", "--plot", "x.xyz"], "unknown figure format 'xyz'"),
    (["--grid", "p_B=0:1:5", "--out", "x.xlsx"], "unknown output format '.xlsx'"),
    (["--grid", "p_B=0:1:10000", "--grid", "a_SQ=0:0.5:1000", "--plot", "m.png"], "10,000,000 grid cells"),
    (["--grid", "p_B=0:1:5", "--bounds", "a_SQ=0:1"], "--bounds"),
    (["--samples", "many"], "invalid count"),
])
def test_sweep_bad_input_is_one_line_exit_2_before_any_work(capsys, tmp_path, monkeypatch, argv, message):
    if "--plot" in argv:
        pytest.importorskip("matplotlib", reason="figure formats are matplotlib's (the 'plot' extra)")
    monkeypatch.chdir(tmp_path)
    import importlib
    monkeypatch.setattr(importlib.import_module("deterrence.analysis.sweep"), "solve_chunk",
                        lambda *a, **k: pytest.fail("solved before the input was checked"))
    out = [] if "--out" in argv else ["--out", tmp_path / "t.csv"]
    code, _, err = run(capsys, "sweep", ZK, *argv, *out)
    assert code == 2 and err.count("\n") == 1 and message in err, err
    assert os.listdir(tmp_path) == []


def test_normal_form_swept_with_spe_is_refused(capsys):
    code, _, err = run(capsys, "sweep", "chicken", "--grid", "c=0:1:3", "--concept", "spe")
    assert code == 2 and err.count("\n") == 1 and "normal form" in err


def test_list_into_a_closed_pipe_ends_quietly():
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    p = subprocess.Popen([sys.executable, "-m", "deterrence", "list"], stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    p.stdout.close()                      # the reader is gone before the first line is written
    err = p.stderr.read().decode()
    p.wait(timeout=120)
    assert "Broken pipe" not in err and "Traceback" not in err and err == ""
    assert p.returncode == 141


def test_every_argument_has_help():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, sp in sub.choices.items():
        for action in sp._actions:
            if action.dest != "help":
                assert action.help, f"{name} {action.dest} has no help text"
    text = sub.choices["sweep"].format_help()
    assert "shipped model name" in text and "JSON" in text


def test_samples_sample_every_bounded_parameter_and_name_the_held_ones(capsys):
    code, out, _ = run(capsys, "sweep", ZK, "--samples", "200")
    assert code == 0
    assert "sampled (Latin hypercube, seed 0): p_B" in out
    assert "held at defaults: a_SQ=0, a_DC=1, a_DD=-2" in out and "--bounds" in out
    code, out, _ = run(capsys, "sweep", ZK, "--samples", "1e2", "--bounds", "a_SQ=-1:0.5", "--json")
    d = json.loads(out)
    assert code == 0 and d["sampled"] == ["p_B", "a_SQ"] and "a_SQ" not in d["held"] and d["points"] == 100


def test_plurals(capsys):
    code, out, _ = run(capsys, "sweep", ZK, "--grid", "p_B=0.9:0.9:1")
    assert code == 0 and "over 1 point\n" in out
    code, out, _ = run(capsys, "solve", "prisoners_dilemma")
    assert code == 0 and "1 equilibrium" in out and "1 equilibria" not in out


def test_sweep_streams_to_the_file_and_summarises(capsys, tmp_path):
    out = tmp_path / "t.jsonl"
    code, text, err = run(capsys, "sweep", ZK, "--grid", "p_B=0:1:101", "--chunk-size", "7", "--out", out, "--json")
    assert code == 0, err
    d = json.loads(text)
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == d["points"] == 101 and sum(d["outcomes"].values()) == 101
    assert sum(r["outcome"] == "status quo (SQ)" for r in rows) == d["outcomes"]["status quo (SQ)"]


def test_export_refuses_labels_gambit_cannot_read(capsys, evil_model, tmp_path):
    out = tmp_path / "g.efg"
    code, _, err = run(capsys, "export", evil_model, "--format", "efg", "--out", out)
    assert code == 2 and err.count("\n") == 1 and "cannot be written to a Gambit file" in err
    assert "\x1b" not in err and not out.exists()
