"""`deterrence reproduce cold_war_blocs`: NATO and the Warsaw Pact as a bloc Richardson race.

Independent of the case module, the test reads the shipped NMC rows and CPI quarters with its own code, sums
the blocs with its own membership table (NATO accessions: founders 1949, Greece and Turkey 1952, West Germany
1955, Spain 1982; Warsaw Pact 1955-91, Albania out 1968, East Germany out 1990; worldatlas.com and
piglix.com, see the module), deflates, and fits Richardson's two equations with numpy.linalg.lstsq.

Documented outcomes asserted:
* from the data (COW NMC v6.0): both blocs' military expenditure was higher in 1988 than in 1957, in current
  and in constant dollars;
* from the literature ("Arms Race Modeling", JCR 1981; Nikolaidou and Smith; Aboughoushe: the Richardson
  model fits real arms races poorly and the US-Soviet action-reaction evidence is weak): in constant dollars
  neither reaction coefficient is significantly positive (t < 2) and the fit explains little (R^2 < 0.5);
  both are computed here by lstsq, and the case's verdicts must agree.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from _figures import NO_MATPLOTLIB, check_figure, has_matplotlib

from deterrence.cases import CASES
from deterrence.cases.cold_war_blocs import CPI_FILE, DATA_FILE, read_milex, reproduce
from deterrence.cli import main
from deterrence.errors import ModelError

ROOT = Path(__file__).resolve().parents[1]
FOUNDERS = ["USA", "CAN", "UKG", "FRN", "NTH", "BEL", "LUX", "NOR", "DEN", "ICE", "ITA", "POR"]
PACT = ["RUS", "POL", "CZE", "HUN", "ROM", "BUL"]


def nato_members(year):
    return FOUNDERS + ["GRC", "TUR"] + (["GFR"] if year <= 1990 else ["GMY"]) + (["SPN"] if year >= 1982 else [])


def pact_members(year):
    return PACT + (["GDR"] if year <= 1990 else []) + (["ALB"] if year <= 1968 else [])


def own_data():
    with open(DATA_FILE, newline="") as fh:
        milex = {(r["stateabb"], int(r["year"])): float(r["milex"]) for r in csv.DictReader(fh)}
    quarters = {}
    with open(CPI_FILE, newline="") as fh:
        for r in csv.DictReader(fh):
            quarters.setdefault(int(r["DATE"][:4]), []).append(float(r["CPIAUCSL"]))
    cpi = {y: np.mean(q) for y, q in quarters.items()}
    return milex, cpi


def own_series(lo=1957, hi=1988, constant=True):
    milex, cpi = own_data()
    years = list(range(lo, hi + 1))
    f = [(cpi[1988] / cpi[y] if constant else 1.0) / 1e6 for y in years]
    x = np.array([sum(milex[(s, y)] for s in nato_members(y)) * k for y, k in zip(years, f)])
    y_ = np.array([sum(milex[(s, y)] for s in pact_members(y)) * k for y, k in zip(years, f)])
    return np.array(years), x, y_


def lstsq_fit(x, y):
    """Richardson's two equations by numpy.linalg.lstsq on the mid-year levels, with OLS standard errors."""
    xm, ym = (x[1:] + x[:-1]) / 2, (y[1:] + y[:-1]) / 2
    out = {}
    for names, X, dz in ((("k", "a", "g"), np.column_stack([ym, -xm, np.ones_like(xm)]), np.diff(x)),
                         (("l", "b", "h"), np.column_stack([xm, -ym, np.ones_like(xm)]), np.diff(y))):
        coef, rss, *_ = np.linalg.lstsq(X, dz, rcond=None)
        sigma2 = float(rss[0]) / (len(dz) - 3)
        se = np.sqrt(np.diag(sigma2 * np.linalg.inv(X.T @ X)))
        r2 = 1 - float(rss[0]) / float(((dz - dz.mean()) ** 2).sum())
        for n, c, s in zip(names, coef, se):
            out[n] = (float(c), float(s))
        out["r2_" + names[0]] = r2
    return out


@pytest.fixture(scope="module")
def rep():
    return reproduce(version="test")


def test_shipped_rows_cover_every_member_year():
    milex, cpi = own_data()
    assert len(milex) == 888
    for year in range(1955, 1992):
        for s in nato_members(year) + pact_members(year):
            assert (s, year) in milex, (s, year)
        assert year in cpi and len(cpi) == 37
    # NMC's own gaps (-9): East Germany 1955, 1956 and 1990 only
    assert sorted(k for k, v in milex.items() if v == -9) == [("GDR", 1955), ("GDR", 1956), ("GDR", 1990)]
    # two values read off NMC v6.0 (thousands of current US$) and the BLS CPI-U annual averages
    assert milex[("USA", 1988)] == 281935000 and milex[("RUS", 1988)] == 317900000
    assert round(cpi[1955], 1) == 26.8 and round(cpi[1988], 1) == 118.3


def test_documented_outcome_both_blocs_rose_and_reaction_is_weak(rep):
    for constant in (True, False):
        years, x, y = own_series(constant=constant)
        assert x[-1] > x[0] and y[-1] > y[0]
        assert rep.rose("NATO", constant) and rep.rose("Warsaw Pact", constant)
        fit = lstsq_fit(x, y)
        got = rep.constant if constant else rep.current
        for n in ("k", "a", "g", "l", "b", "h"):
            assert got.estimates[n] == pytest.approx(fit[n][0], rel=1e-9, abs=1e-9), n
            assert got.standard_errors[n] == pytest.approx(fit[n][1], rel=1e-9), n
        assert got.r_squared == pytest.approx((fit["r2_k"], fit["r2_l"]), rel=1e-9)
        k, a, l_, b = (fit[n][0] for n in ("k", "a", "l", "b"))
        reading = rep.reading("constant" if constant else "current")
        assert reading["kl_below_ab"] == (k * l_ < a * b)
        assert reading["consistent"] == (k >= 0 and l_ >= 0 and a > 0 and b > 0)
        eig = np.linalg.eigvals(np.array([[-a, k], [l_, -b]]))
        assert reading["largest_eigenvalue"] == pytest.approx(max(eig.real))
        assert reading["system_stable"] == bool(max(eig.real) < 0)
    # the literature's reading, in constant dollars, from the independent fit
    _, x, y = own_series()
    fit = lstsq_fit(x, y)
    for n in ("k", "l"):
        assert fit[n][0] / fit[n][1] < 2, f"{n} is significantly positive: an action-reaction the literature lacks"
        assert rep.reading()["reaction_significant"][n] == (abs(fit[n][0] / fit[n][1]) >= 2)
    assert fit["r2_k"] < 0.5 and fit["r2_l"] < 0.5
    text = rep.summary()
    assert "Arms Race Modeling" in text and "not both significant" in text and "What is stylized" in text


@settings(max_examples=15, deadline=None)
@given(lo=st.integers(1957, 1983), length=st.integers(5, 31))
def test_any_complete_window_is_the_independent_least_squares_fit(lo, length):
    """Over any window of complete years the case's fit is the lstsq fit of the test's own totals."""
    hi = min(lo + length, 1988)
    rep = reproduce((lo, hi))
    _, x, y = own_series(lo, hi)
    fit = lstsq_fit(x, y)
    for n in ("k", "a", "g", "l", "b", "h"):
        assert rep.constant.estimates[n] == pytest.approx(fit[n][0], rel=1e-8, abs=1e-8), n
        assert rep.constant.standard_errors[n] == pytest.approx(fit[n][1], rel=1e-8), n
    assert [r["year"] for r in rep.rows if r["fitted"]] == list(range(lo, hi + 1))


def test_totals_and_gaps(rep):
    rows = {r["year"]: r for r in rep.rows}
    years, x, y = own_series(1955, 1991, constant=False)
    milex, _ = own_data()
    for yr, xv in zip(years, x):
        assert rows[yr]["NATO"] == pytest.approx(xv)
    # the Pact's total leaves out a missing member and says so
    assert rows[1955]["Warsaw Pact missing"] == ["GDR"] and rows[1957]["complete"]
    assert rows[1955]["Warsaw Pact"] == pytest.approx(sum(milex[(s, 1955)] for s in pact_members(1955)
                                                          if s != "GDR") / 1e6)
    assert [r["year"] for r in rep.rows if r["fitted"]] == list(range(1957, 1989))
    assert rows[1968]["Warsaw Pact members"][-1] == "ALB" and "ALB" not in rows[1969]["Warsaw Pact members"]
    assert "SPN" in rows[1982]["NATO members"] and "SPN" not in rows[1981]["NATO members"]


@pytest.mark.parametrize("window, msg", [
    ((1950, 1988), "within 1955-1991"),
    ((1957, 1959), "at least 5 years"),
    ((1955, 1988), "1955 lacks GDR"),
    (("a", 1988), "expected (first year, last year)"),
])
def test_bad_windows(window, msg):
    with pytest.raises(ModelError) as e:
        reproduce(window)
    assert msg in str(e.value)


def test_malformed_data_names_file_row_and_column(tmp_path):
    bad = tmp_path / "m.csv"
    bad.write_text("stateabb,ccode,year,milex\nUSA,2,1955,40518000\nUSA,2,1956,lots\n")
    with pytest.raises(ModelError, match=r"m.csv, row 3, column milex: 'lots' is not a number"):
        read_milex(bad)
    bad.write_text("stateabb,ccode,year,milex\nUSA,2,1955,-5\n")
    with pytest.raises(ModelError, match=r"row 2, column milex: -5 \(allowed: >= 0, or -9 for missing\)"):
        read_milex(bad)
    bad.write_text("stateabb,ccode,year\nUSA,2,1955\n")
    with pytest.raises(ModelError, match=r"no column\(s\) \['milex'\]"):
        read_milex(bad)
    bad.write_text("stateabb,ccode,year,milex\nUSA,2,1955,1\nUSA,2,1955,2\n")
    with pytest.raises(ModelError, match="USA 1955 given twice"):
        read_milex(bad)


def test_cli_json_text_list_and_figure(tmp_path, capsys, monkeypatch):
    png = tmp_path / "cw.png"
    assert main(["reproduce", "cold_war_blocs", "--json", "--plot", str(png)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["case"] == "cold_war_blocs" and d["window"] == [1957, 1988]
    assert d["rose_in_window"]["NATO"] == {"constant": True, "current": True}
    assert set(d["fit_constant"]["standard_errors"]) == {"k", "a", "g", "l", "b", "h"}
    assert "Greig and Enterline" in d["source"] and "CPIAUCSL" in d["deflator"]
    check_figure(d["figure"], png)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(sys.modules, "matplotlib", None)          # as if matplotlib were not installed
    assert main(["reproduce", "cold_war_blocs"]) == 0
    out = capsys.readouterr().out
    assert "figure: " + NO_MATPLOTLIB in out and "k*l" in out
    assert main(["reproduce", "--list"]) == 0
    assert "cold_war_blocs: NATO and the Warsaw Pact" in capsys.readouterr().out and "cold_war_blocs" in CASES
    assert main(["reproduce", "cold_war_blocs", "--honour", "0.5"]) == 2
    assert "--honour does not apply to cold_war_blocs" in capsys.readouterr().err


def test_example_script(tmp_path):
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    png = tmp_path / "blocs.png"
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "cold_war_blocs.py"), "--plot", str(png)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1957" in proc.stdout and proc.stdout.rstrip().splitlines()[-1].startswith("OK:")
    if has_matplotlib():
        assert png.stat().st_size > 20_000
