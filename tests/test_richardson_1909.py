"""`deterrence reproduce richardson_1909`, the case module and examples/richardson_1909.py.

Expected figures are the reference sheet's (../shared/reference/arms_and_alliances.md): slope 0.73 and
zero crossing 194.9 on the mid-year total, slope 1.15 on the start-of-year total; the U+V column below is
the sheet's, transcribed separately from the country columns of the case.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from deterrence.cases import CASES
from deterrence.cases.richardson_1909 import SOURCE, TABLE, reproduce
from deterrence.cli import main
from deterrence.dynamics import RUNAWAY_RACE

ROOT = Path(__file__).resolve().parents[1]
SHEET_TOTAL = {1909: 199.2, 1910: 204.8, 1911: 214.9, 1912: 238.7, 1913: 289.0}
NOT_RECHECKED = "not re-checked against the 1960 edition"


def test_table_rows_add_up_to_the_sheets_totals():
    assert [r[0] for r in TABLE] == list(SHEET_TOTAL)
    for year, fr, ru, de, ah in TABLE:
        assert round(fr + ru + de + ah, 1) == SHEET_TOTAL[year]
    assert NOT_RECHECKED in SOURCE


def test_reproduce_gives_richardsons_figures():
    rep = reproduce(version="test")
    assert [r["U+V"] for r in rep.rows] == list(SHEET_TOTAL.values())
    assert round(rep.midpoint.slope, 2) == 0.73 and abs(rep.midpoint.threshold - 194.9) < 0.05
    assert round(rep.start.slope, 2) == 1.15 and abs(rep.start.threshold - 194.9) < 0.05
    assert rep.regime == RUNAWAY_RACE
    # the illustrative model keeps the fitted k - a and puts the separatrix at the fitted crossing
    m = rep.model
    assert float(m.k - m.a) == pytest.approx(rep.midpoint.slope)
    assert sum(float(v) for v in m.equilibrium()) == pytest.approx(rep.midpoint.threshold)
    # below the crossing the same model disarms
    assert m.regime(90.0, 90.0) == "disarmament"
    assert not rep.per_bloc.consistent       # the per-bloc fit has signs the theory forbids
    assert NOT_RECHECKED in rep.summary()


def run_cli(*args, cwd=ROOT):
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, "-m", "deterrence", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120, env=env)


def test_cli_reproduce_json_and_figure(tmp_path):
    png = tmp_path / "r.png"
    out = run_cli("reproduce", "richardson_1909", "--json", "--plot", str(png))
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert round(d["fit_midpoint"]["slope"], 2) == 0.73
    assert abs(d["fit_midpoint"]["threshold"] - 194.9) < 0.05
    assert round(d["fit_start"]["slope"], 2) == 1.15
    assert d["regime_from_1909"] == RUNAWAY_RACE
    assert NOT_RECHECKED in d["source"]
    assert [r["U+V"] for r in d["table"]] == list(SHEET_TOTAL.values())
    pytest.importorskip("matplotlib")
    assert d["figure"] == str(png) and png.stat().st_size > 10_000


def test_cli_reproduce_text_and_list(capsys):
    assert main(["reproduce", "richardson_1909", "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "mid-year total             0.731" in out and "194.9" in out
    assert "start-of-year total        1.151" in out
    assert NOT_RECHECKED in out and "runaway race" in out
    assert main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    assert "richardson_1909: " in out and "(network july_1914)" in out
    assert "richardson_1909" in CASES


@pytest.mark.parametrize("args, msg", [
    (["reproduce", "richardson_1909", "--honour", "0.5"], "--honour does not apply to richardson_1909"),
    (["reproduce", "richardson_1909", "--counterfactual", "no_belgium"], "--counterfactual does not apply"),
    (["reproduce", "richardson_1909", "--plot", "x.xyz"], ".png, .pdf or .svg"),
    (["reproduce", "richardson_1909", "--plot", "x.png", "--no-plot"], "--plot and --no-plot: give one"),
    (["reproduce", "1914", "--plot", "x.png", "--no-plot"], "--plot and --no-plot: give one"),
])
def test_cli_errors_are_one_line_exit_2(args, msg, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert msg in err and len(err.splitlines()) == 1


def test_example_script_prints_the_table_and_fit_and_saves_figures(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    fit, phase = tmp_path / "fit.png", tmp_path / "phase.png"
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "richardson_1909.py"), "--fit", str(fit),
                           "--phase", str(phase)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "1913    74.7    92.0     95.4             26.9   166.7   122.3   289.0" in out
    assert NOT_RECHECKED in out
    assert out.rstrip().splitlines()[-1].startswith("OK:")
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        assert "no figures" in out
        return
    assert fit.stat().st_size > 10_000 and phase.stat().st_size > 10_000


def test_plots_refuse_a_batch_and_draw_into_given_axes(tmp_path):
    plt = pytest.importorskip("matplotlib.pyplot")
    from deterrence.dynamics import Richardson
    from deterrence.errors import ModelError
    from deterrence.plot.richardson import plot_linear_fit, plot_phase_portrait
    with pytest.raises(ModelError, match="one parameter set"):
        plot_phase_portrait(Richardson([0.1, 0.2], 0.1, 0.5, 0.5))
    fig, ax = plt.subplots()
    rep = reproduce()
    assert plot_linear_fit(rep.midpoint, ax=ax) is fig
    assert plot_phase_portrait(Richardson(0.1, 0.2, 0.5, 0.4, 1, 1), tmp_path / "s.svg",
                               starts=[(0, 0)]) is not None
    assert (tmp_path / "s.svg").stat().st_size > 1000
    plt.close("all")


def test_regime_map_figure_and_its_errors(tmp_path):
    import numpy as np
    from deterrence.errors import ModelError
    from deterrence.plot.richardson import plot_regime_map
    with pytest.raises(ModelError, match="'z': not a coefficient"):
        plot_regime_map(("z", [0, 1]), ("l", [0, 1]), fixed=dict(a=1, b=1, g=0, h=0))
    with pytest.raises(ModelError, match="give the other coefficients too .b, h."):
        plot_regime_map(("k", [0, 1]), ("l", [0, 1]), fixed=dict(a=1, g=0))
    with pytest.raises(ModelError, match="b = -1.0"):
        plot_regime_map(("k", [0, 1]), ("l", [0, 1]), fixed=dict(a=1, b=-1, g=0, h=0))
    pytest.importorskip("matplotlib")
    fig = plot_regime_map(("k", np.linspace(0, 1.2, 25)), ("l", np.linspace(0, 1.2, 25)), tmp_path / "r.png",
                          fixed=dict(a=0.5, b=0.4, g=1.0, h=-0.6), start=(1.0, 1.0))
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["stable balance", "runaway race", "disarmament", "one-sided disarmament",
                      "k*l = a*b (stability boundary)"]
    assert (tmp_path / "r.png").stat().st_size > 5000
