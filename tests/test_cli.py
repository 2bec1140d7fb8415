"""The deterrence command: output, JSON, exit codes, one-line errors."""

import json
import subprocess
import sys

import pytest

from deterrence.cli import main

from _cli import run


def test_list_and_show(capsys):
    code, out, err = run(capsys, "list", "--json")
    assert code == 0 and "chicken" in [r["name"] for r in json.loads(out)]
    code, out, _ = run(capsys, "show", "zagare_kilgour_rudimentary_deterrence", "--latex")
    assert code == 0 and "p_B" in out and "probability" not in err and "\\begin{aligned}" in out


def test_solve_nash_chicken(capsys):
    # Chicken (shipped, ordinal payoffs 3,2/4,1): two pure equilibria and the 1/2-1/2 mixed one, by hand
    code, out, _ = run(capsys, "solve", "chicken", "--json")
    assert code == 0
    eqs = json.loads(out)["equilibria"]
    assert len(eqs) == 3
    mixed = [e for e in eqs if all(0 < x < 1 for s in e["strategies"].values() for x in s.values())]
    assert len(mixed) == 1 and abs(list(mixed[0]["strategies"]["Row"].values())[0] - 0.5) < 1e-9


def test_solve_tree_threshold_sides(capsys):
    # defaults a_SQ=0, a_DC=1, a_DD=-2: threshold 1/3 (Zagare & Kilgour 2000)
    code, out, _ = run(capsys, "solve", "zagare_kilgour_rudimentary_deterrence", "--set", "p_B=0.2", "--json")
    r = json.loads(out)
    assert code == 0 and r["equilibria"][0]["strategy"]["challenger"] == "challenge"
    code, out, _ = run(capsys, "solve", "zagare_kilgour_rudimentary_deterrence", "--set", "p_B=0.5", "--json")
    assert json.loads(out)["equilibria"][0]["outcomes"] == {"status quo (SQ)": 1.0}


def test_sweep_and_export(capsys, tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(__import__("pathlib").Path(__file__).parent))
    from _analysis_models import uncertain_resolve
    from deterrence.io.model_file import save
    path = tmp_path / "ur.toml"
    save(uncertain_resolve(), path)
    out_csv, fig = tmp_path / "s.csv", tmp_path / "s.png"
    code, out, err = run(capsys, "sweep", str(path), "--grid", "p_B=0:1:21", "--grid", "a_SQ=-0.5:0.5:3",
                         "--out", str(out_csv), "--json")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["points"] == 63 and out_csv.exists()
    # by hand: deterred iff p_B >= (1 - a_SQ)/2 (a_DC = 1, a_DD = -1); for a_SQ = -0.5, 0, 0.5 the
    # thresholds are .75, .5, .25, and p_B in {0, .05, ..., 1} has 6, 11 and 16 values at or above them
    assert summary["outcomes"]["SQ"] == 6 + 11 + 16
    code, out, _ = run(capsys, "export", "chicken", "--format", "nfg")
    assert code == 0 and out.startswith("NFG 1 R")


def test_sweep_plot(capsys, tmp_path):
    pytest.importorskip("matplotlib", reason="figures need the 'plot' extra")
    fig = tmp_path / "s.png"
    code, _, err = run(capsys, "sweep", "zagare_kilgour_rudimentary_deterrence", "--grid", "p_B=0:1:11",
                       "--grid", "a_SQ=-0.5:0.5:3", "--plot", str(fig), "--json")
    assert code == 0, err
    assert fig.exists() and fig.stat().st_size > 0


def test_errors_are_one_line_with_codes(capsys, tmp_path):
    code, out, err = run(capsys, "solve", "no_such_model")
    assert code == 2 and err.count("\n") == 1 and err.startswith("deterrence: error:") and "Traceback" not in err
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and err.count("\n") == 1
    bad = tmp_path / "bad.toml"
    bad.write_text('[model]\nname = "x"\nkind = "tree"\n[[nodes]]\nid = 3\n')
    code, _, err = run(capsys, "show", str(bad))
    assert code == 2 and err.count("\n") == 1 and "bad.toml" in err
    code, _, err = run(capsys, "solve", "chicken", "--concept", "spe")
    assert code == 2 and "tree" in err
    code, _, err = run(capsys, "sweep", "chicken", "--grid", "p=0:1:3")
    assert code == 2 and err.count("\n") == 1
    code, _, err = run(capsys, "export", "chicken", "--format", "nfg", "--out", str(tmp_path / "no" / "x.nfg"))
    assert code == 2 and err.count("\n") == 1


def test_demo_and_module_entry_point():
    r = subprocess.run([sys.executable, "-m", "deterrence", "demo", "--json"], capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert abs(d["threshold_at_defaults"] - 1 / 3) < 1e-12 and d["numeric_check"] is True


def test_solve_tree_prints_the_whole_strategy(capsys):
    """Off-path choices are part of an equilibrium: at p_B = 0.5 > 1/3 the challenger keeps the
    status quo, and the defender's (unreached) choices are resist if Hard, concede if Soft
    (Zagare & Kilgour 2000: Hard prefers conflict to capitulation, Soft the reverse)."""
    from deterrence.cli import main

    assert main(["solve", "zagare_kilgour_rudimentary_deterrence", "--set", "p_B=0.5"]) == 0
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if x.startswith("strategy"))
    assert "challenger: status_quo" in line
    assert "defender_hard: resist" in line and "defender_soft: concede" in line


def test_round_off_prints_as_zero_but_json_keeps_the_value(capsys):
    """posterior_none printed 1e-15 (its measure's Bayes' rule has a 1e-15 guard) where it is 0.

    By hand, Fearon's game at its defaults (prior p = 0.25): in the hybrid equilibrium the resolved type always
    signals (P_signal = p + (1-p)*sigma = 0.75), so after no signal Bayes' rule gives p*(1-1)/(...) = 0; in the
    pooling equilibrium nobody signals, and the posterior after no signal is the prior, 0.25.
    """
    from deterrence.cli import PRINT_ZERO, _num
    assert [_num(x) for x in (1e-15, -1e-13, -0.0, 0.0, 2e-12, 0.25, 1 / 3)] == \
        ["0", "0", "0", "0", "2e-12", "0.25", "0.333333"]
    assert PRINT_ZERO == 1e-12
    assert main(["solve", "fearon_costly_signals"]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("posterior_none"))
    assert "0 to 0.25 over 2 equilibria: 0, 0.25" in line and "e-1" not in line
    assert main(["solve", "fearon_costly_signals", "--json"]) == 0
    vals = json.loads(capsys.readouterr().out)["measures"]["posterior_none"]["values"]
    assert sorted(vals)[1] == pytest.approx(0.25)
    assert 0 < sorted(vals)[0] < PRINT_ZERO            # the computed number, not cleaned
