"""`deterrence reproduce cold_war_blocs`: NATO and the Warsaw Pact as a bloc Richardson race.

The shipped default is SIPRI's five-yearly table at constant 1978 prices (McNeill 1982, Table 3, from the SIPRI
Yearbook 1981).  The tests below write that table again from the publication (an independent transcription,
:data:`SOURCE_TABLE`), check that its rows add up (NATO + Warsaw Pact + uncommitted = world, a transcription
check), assert the documented facts from the source's numbers, and fit Richardson's difference form on the 5-year
steps with their own numpy.linalg.lstsq, against which the case's fit, standard errors and verdict are checked.

The annual alternative (``--nmc PATH``) needs the user's COW NMC file, which the package does not ship, so those
tests write small synthetic files in the publishers' layouts (COW NMC v6.0 abridged: ``stateabb, ccode, year,
milex, milper, irst, pec, tpop, upop, cinc, version``, -9 for missing; FRED: ``DATE,CPIAUCSL`` or
``observation_date,CPIAUCSL``) with the pitfalls of the real files (East Germany's -9 years, a member's missing
row, duplicates, non-numeric cells).  Independent of the case module, the test sums the blocs with its own
membership table (NATO accessions: founders 1949, Greece and Turkey 1952, West Germany 1955, Spain 1982; Warsaw
Pact 1955-91, Albania out 1968, East Germany out 1990; sources in the module), deflates with numpy means, and fits
Richardson's two equations with numpy.linalg.lstsq.  The NMC outcome quoted in docs/how-to/cold-war-blocs.md
cannot be asserted without the data and is not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from _figures import check_figure, has_matplotlib

from deterrence.cases import CASES, NEEDS_DATA, OPTIONAL_DATA
from deterrence.cases.cold_war_blocs import SIPRI_TABLE, reproduce, reproduce_sipri
from deterrence.dynamics import fit_richardson
from deterrence.cli import main
from deterrence.errors import ModelError, ModelFileError
from deterrence.io.fred import read_fred_annual
from deterrence.io.nmc import milex_unit, read_nmc

ROOT = Path(__file__).resolve().parents[1]
CCODE = {"USA": 2, "CAN": 20, "UKG": 200, "NTH": 210, "BEL": 211, "LUX": 212, "FRN": 220, "SPN": 230, "POR": 235,
         "GMY": 255, "GFR": 260, "GDR": 265, "POL": 290, "HUN": 310, "CZE": 315, "ITA": 325, "ALB": 339,
         "GRC": 350, "BUL": 355, "ROM": 360, "RUS": 365, "NOR": 385, "DEN": 390, "ICE": 395, "TUR": 640,
         "JPN": 740, "CHN": 710}            # the last two are in no bloc: the case must ignore them
FOUNDERS = ["USA", "CAN", "UKG", "FRN", "NTH", "BEL", "LUX", "NOR", "DEN", "ICE", "ITA", "POR"]
PACT = ["RUS", "POL", "CZE", "HUN", "ROM", "BUL"]
NMC_HEADER = "stateabb,ccode,year,milex,milper,irst,pec,tpop,upop,cinc,version"
GAPS = {("GDR", 1955), ("GDR", 1956), ("GDR", 1990)}          # NMC v6.0's -9 cells in the blocs' years


def nato_members(year):
    return FOUNDERS + ["GRC", "TUR"] + (["GFR"] if year <= 1990 else ["GMY"]) + (["SPN"] if year >= 1982 else [])


def pact_members(year):
    return PACT + (["GDR"] if year <= 1990 else []) + (["ALB"] if year <= 1968 else [])


def synthetic_milex(seed=0):
    """{(stateabb, year): thousands of US$ or -9}: trending random spending for every state, 1950-1995."""
    rng = np.random.default_rng(seed)
    out = {}
    for s in CCODE:
        level = rng.uniform(1e4, 5e7)
        for year in range(1950, 1996):
            level *= rng.uniform(0.95, 1.15)
            out[(s, year)] = -9 if (s, year) in GAPS else int(level)
    return out


def write_nmc(path, milex, extra_lines=()):
    lines = [NMC_HEADER]
    for (s, year), v in milex.items():
        lines.append(f"{s},{CCODE[s]},{year},{v},{-9 if v == -9 else 100},5000,20000,30000,9000,0.01,2021")
    path.write_text("\n".join(lines + list(extra_lines)) + "\n", encoding="utf-8")
    return path


def synthetic_cpi(seed=1):
    """Monthly CPI 1947-1995 (FRED's CPIAUCSL layout): {date string: value}."""
    rng = np.random.default_rng(seed)
    v, out = 21.5, {}
    for year in range(1947, 1996):
        for m in range(1, 13):
            v *= rng.uniform(1.0, 1.008)
            out[f"{year}-{m:02d}-01"] = round(v, 3)
    return out


def write_cpi(path, cpi, header="DATE,CPIAUCSL"):
    path.write_text(header + "\n" + "\n".join(f"{d},{v}" for d, v in cpi.items()) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("cw")
    milex, cpi = synthetic_milex(), synthetic_cpi()
    return {"milex": milex, "cpi": cpi, "nmc": write_nmc(d / "NMC-60-abridged.csv", milex),
            "fred": write_cpi(d / "CPIAUCSL.csv", cpi)}


def own_cpi(cpi):
    by_year = {}
    for d, v in cpi.items():
        by_year.setdefault(int(d[:4]), []).append(v)
    return {y: float(np.mean(v)) for y, v in by_year.items()}


def own_series(milex, cpi, lo=1957, hi=1988, constant=True):
    years = list(range(lo, hi + 1))
    index = own_cpi(cpi)
    f = [(index[1988] / index[y] if constant else 1.0) / 1e6 for y in years]
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


def check_fit(got, fit, rel=1e-9):
    for n in ("k", "a", "g", "l", "b", "h"):
        assert got.estimates[n] == pytest.approx(fit[n][0], rel=rel, abs=1e-9), n
        assert got.standard_errors[n] == pytest.approx(fit[n][1], rel=rel), n
    assert got.r_squared == pytest.approx((fit["r2_k"], fit["r2_l"]), rel=rel)


@pytest.fixture(scope="module")
def rep(files):
    return reproduce(read_nmc(files["nmc"]), cpi=read_fred_annual(files["fred"], "CPIAUCSL"), version="test")


def test_reader_takes_the_publishers_layout_and_minus_nine(files):
    got = read_nmc(files["nmc"])
    assert len(got) == len(files["milex"])
    assert got[("GDR", 1955)] is None and got[("GDR", 1957)] == files["milex"][("GDR", 1957)]
    assert read_nmc(files["nmc"], "milper")[("GDR", 1990)] is None
    assert milex_unit(1913).endswith("GBP") and milex_unit(1914).endswith("US$")


def test_bloc_totals_gaps_and_fit_against_lstsq(rep, files):
    milex, cpi = files["milex"], files["cpi"]
    rows = {r["year"]: r for r in rep.rows}
    years, x, y = own_series(milex, cpi, 1955, 1991, constant=False)
    for yr, xv, yv in zip(years, x, y):
        assert rows[yr]["NATO"] == pytest.approx(xv)
        if (("GDR", yr)) not in GAPS:
            assert rows[yr]["Warsaw Pact"] == pytest.approx(yv)
    # a -9 member is left out of the total, and said so
    assert rows[1955]["Warsaw Pact missing"] == ["GDR"] and rows[1957]["complete"]
    assert rows[1955]["Warsaw Pact"] == pytest.approx(sum(milex[(s, 1955)] for s in pact_members(1955)
                                                          if s != "GDR") / 1e6)
    assert rows[1968]["Warsaw Pact members"][-1] == "ALB" and "ALB" not in rows[1969]["Warsaw Pact members"]
    assert "SPN" in rows[1982]["NATO members"] and "SPN" not in rows[1981]["NATO members"]
    assert "GMY" in rows[1991]["NATO members"] and "GFR" not in rows[1991]["NATO members"]
    assert [r["year"] for r in rep.rows if r["fitted"]] == list(range(1957, 1989))
    for constant in (True, False):
        _, x, y = own_series(milex, cpi, constant=constant)
        fit = lstsq_fit(x, y)
        check_fit(rep.constant if constant else rep.current, fit)
        k, a, l_, b = (fit[n][0] for n in ("k", "a", "l", "b"))
        reading = rep.reading("constant" if constant else "current")
        assert reading["kl_below_ab"] == (k * l_ < a * b)
        assert reading["consistent"] == (k >= 0 and l_ >= 0 and a > 0 and b > 0)
        eig = np.linalg.eigvals(np.array([[-a, k], [l_, -b]]))
        assert reading["largest_eigenvalue"] == pytest.approx(max(eig.real))
        assert reading["reaction_significant"] == {n: abs(fit[n][0] / fit[n][1]) >= 2 for n in ("k", "l")}
        assert rep.rose("NATO", constant) == bool(x[-1] > x[0])
    text = rep.summary()
    assert "Arms Race Modeling" in text and "What is stylized" in text and "1988$" in text


@settings(max_examples=10, deadline=None)
@given(lo=st.integers(1957, 1983), length=st.integers(5, 31), seed=st.integers(0, 3))
def test_any_complete_window_is_the_independent_least_squares_fit(lo, length, seed):
    """Over any window of complete years the case's fit is the lstsq fit of the test's own totals."""
    hi = min(lo + length, 1988)
    milex, cpi = synthetic_milex(seed), synthetic_cpi(seed)
    got = reproduce({k: (None if v == -9 else v) for k, v in milex.items()}, (lo, hi), cpi=own_cpi(cpi))
    _, x, y = own_series(milex, cpi, lo, hi)
    check_fit(got.constant, lstsq_fit(x, y), rel=1e-8)
    assert [r["year"] for r in got.rows if r["fitted"]] == list(range(lo, hi + 1))


def test_without_a_deflator_current_dollars_only_and_said_so(files):
    got = reproduce(read_nmc(files["nmc"]))
    _, x, y = own_series(files["milex"], files["cpi"], constant=False)
    check_fit(got.current, lstsq_fit(x, y))
    assert got.constant is None and not got.deflated and got.primary == "current"
    assert "CURRENT dollars only" in got.summary() and "no deflator" in got.summary()
    with pytest.raises(ModelError, match="no deflator"):
        got.reading("constant")
    d = got.to_dict()
    assert d["fit_constant"] is None and d["reading_constant"] is None and d["deflator"] is None


def test_a_member_missing_a_year(tmp_path, files):
    milex = dict(files["milex"])
    del milex[("BUL", 1970)]                                  # no row at all for Bulgaria in 1970
    got = read_nmc(write_nmc(tmp_path / "m.csv", milex))
    with pytest.raises(ModelError, match=r"m.csv: window 1957-1988: 1970 lacks BUL"):
        reproduce(got, data="m.csv")
    rows = {r["year"]: r for r in reproduce(got, (1971, 1988)).rows}
    assert rows[1970]["Warsaw Pact missing"] == ["BUL"] and not rows[1970]["fitted"]


@pytest.mark.parametrize("window, msg", [
    ((1950, 1988), "within 1955-1991"),
    ((1957, 1959), "at least 5 years"),
    ((1955, 1988), "1955 lacks GDR"),
    (("a", 1988), "expected (first year, last year)"),
])
def test_bad_windows(files, window, msg):
    with pytest.raises(ModelError) as e:
        reproduce(read_nmc(files["nmc"]), window)
    assert msg in str(e.value)


ROW = "USA,2,1955,40518000,100,5000,20000,30000,9000,0.01,2021"


@pytest.mark.parametrize("body, match", [
    (ROW + "\nUSA,2,1956,lots,100,5000,20000,30000,9000,0.01,2021",
     r"row 3, column 'milex': expected a number \(NMC writes -9 for missing\), got 'lots'"),
    (ROW + "\nUSA,2,1956,-5,100,5000,20000,30000,9000,0.01,2021", r"row 3, column 'milex': -5 \(allowed: >= 0"),
    (ROW + "\nUSA,2,1956,,100,5000,20000,30000,9000,0.01,2021", r"row 3, column 'milex': expected a number"),
    (ROW + "\nUSA,2,19x6,1,100,5000,20000,30000,9000,0.01,2021", r"row 3, column 'year': expected a whole number"),
    (ROW + "\n" + ROW, r"row 3: USA \(ccode 2\) 1955 appears twice \(first in row 2\)"),
    (ROW + "\nUSB,2,1955,1,100,5000,20000,30000,9000,0.01,2021", r"row 3: USB \(ccode 2\) 1955 appears twice"),
    (ROW + "\nUSA,3,1956,1,100,5000,20000,30000,9000,0.01,2021", r"row 3, column 'ccode': USA has ccode 3 here"),
    (ROW + "\nUSA,2,1956", r"row 3: 3 fields, the header has 11"),
])
def test_malformed_nmc_names_file_row_and_column(tmp_path, body, match):
    bad = tmp_path / "nmc.csv"
    bad.write_text(NMC_HEADER + "\n" + body + "\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match=match) as e:
        read_nmc(bad)
    assert str(bad) in str(e.value)


def test_nmc_missing_columns_empty_and_unreadable(tmp_path):
    bad = tmp_path / "n.csv"
    bad.write_text("stateabb,ccode,year,milper\nUSA,2,1955,1\n", encoding="utf-8")
    with pytest.raises(ModelFileError, match=r"row 1: missing column\(s\) \['milex'\]"):
        read_nmc(bad)
    bad.write_text("", encoding="utf-8")
    with pytest.raises(ModelFileError, match="empty file"):
        read_nmc(bad)
    with pytest.raises(ModelFileError, match="cannot read"):
        read_nmc(tmp_path / "absent.csv")
    with pytest.raises(ModelFileError, match="NMC's variables"):
        read_nmc(bad, "gdp")


def test_fred_reader_means_frequencies_and_errors(tmp_path, files):
    cpi = files["cpi"]
    got = read_fred_annual(files["fred"], "CPIAUCSL")
    assert got == pytest.approx(own_cpi(cpi))
    # FRED's newer header, quarterly observations; a year with a missing quarter ('.') or a short year is dropped
    quarterly = {d: v for d, v in cpi.items() if int(d[5:7]) in (1, 4, 7, 10)}
    quarterly["1960-07-01"] = "."
    del quarterly["1995-10-01"]
    q = read_fred_annual(write_cpi(tmp_path / "q.csv", quarterly, "observation_date,CPIAUCSL"))
    assert 1960 not in q and 1995 not in q
    assert q[1961] == pytest.approx(np.mean([cpi[f"1961-{m:02d}-01"] for m in (1, 4, 7, 10)]))
    for header, body, match in (("DATE,CPIAUCSL", "1960-01-01,abc", r"row 2, column 'CPIAUCSL': expected a positive"),
                                ("DATE,CPIAUCSL", "1960/01/01,30", r"row 2, column 'DATE': expected a date"),
                                ("DATE,CPIAUCSL", "1960-01-01,30\n1960-01-01,31", r"row 3.*appears twice"),
                                ("DATE,GDP", "1960-01-01,30", r"the series is 'GDP', expected 'CPIAUCSL'"),
                                ("year,value", "1960,30", r"row 1: expected FRED's two columns")):
        f = tmp_path / "bad.csv"
        f.write_text(header + "\n" + body + "\n", encoding="utf-8")
        with pytest.raises(ModelFileError, match=match):
            read_fred_annual(f, "CPIAUCSL")
    short = {d: v for d, v in cpi.items() if not d.startswith("1970")}
    with pytest.raises(ModelError, match=r"no complete year of the price index for \[1970\]"):
        reproduce(read_nmc(files["nmc"]), cpi=read_fred_annual(write_cpi(tmp_path / "s.csv", short)))


def test_cli_runs_the_shipped_sipri_series_by_default(tmp_path, capsys):
    png = tmp_path / "sipri.png"
    assert main(["reproduce", "cold_war_blocs", "--json", "--plot", str(png)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["case"] == "cold_war_blocs" and d["data"] == "sipri" and d["step_years"] == 5
    assert d["years"] == SOURCE_YEARS and "SIPRI Yearbook 1981" in d["source"] and "McNeill" in d["source"]
    assert d["table"]["NATO"] == list(SOURCE_TABLE["NATO total"])
    fit = lstsq_fit_steps(np.array(SOURCE_TABLE["NATO total"]), np.array(SOURCE_TABLE["Warsaw Pact"]))
    assert d["fit"]["estimates"]["k"] == pytest.approx(fit["k"][0], rel=1e-9)
    assert d["fit"]["standard_errors"]["l"] == pytest.approx(fit["l"][1], rel=1e-9)
    check_figure(d["figure"], png)
    assert main(["reproduce", "cold_war_blocs", "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "5-year steps" in out and "per year" in out and "before the treaty" in out and "--nmc PATH" in out
    assert main(["reproduce", "cold_war_blocs", "--cpi", "c.csv", "--no-plot"]) == 2
    assert "--cpi deflates the NMC file and needs --nmc PATH" in capsys.readouterr().err
    assert main(["reproduce", "--list"]) == 0
    line = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith("cold_war_blocs:")][0]
    assert "needs a data file" not in line and "SIPRI" in line and "optional: --nmc" in line
    assert "cold_war_blocs" in CASES and "cold_war_blocs" not in NEEDS_DATA
    assert main(["reproduce", "--list", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["cold_war_blocs"]["needs"] is None and d["1914"]["needs"] is None
    assert d["cold_war_blocs"]["optional_data"] == OPTIONAL_DATA["cold_war_blocs"]
    assert "correlatesofwar.org" in OPTIONAL_DATA["cold_war_blocs"]
    assert main(["reproduce", "richardson_1909", "--nmc", "x.csv"]) == 2
    assert "--nmc applies to cold_war_blocs only" in capsys.readouterr().err
    assert main(["reproduce", "cold_war_blocs", "--seed", "3", "--no-plot"]) == 2
    assert "--seed does not apply to cold_war_blocs" in capsys.readouterr().err


def test_cli_runs_on_the_users_files(tmp_path, capsys, files):
    png = tmp_path / "cw.png"
    assert main(["reproduce", "cold_war_blocs", "--nmc", str(files["nmc"]), "--cpi", str(files["fred"]),
                 "--json", "--plot", str(png)]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["case"] == "cold_war_blocs" and d["window"] == [1957, 1988]
    assert set(d["fit_constant"]["standard_errors"]) == {"k", "a", "g", "l", "b", "h"}
    assert "Greig and Enterline" in d["source"] and "CPIAUCSL" in d["deflator"]
    assert d["provenance"]["data"] == "NMC-60-abridged.csv" and d["provenance"]["cpi"] == "CPIAUCSL.csv"
    check_figure(d["figure"], png)
    assert main(["reproduce", "cold_war_blocs", "--nmc", str(files["nmc"]), "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "CURRENT dollars only" in out and "no deflator (current dollars)" in out
    assert main(["reproduce", "cold_war_blocs", "--nmc", str(files["nmc"]), "--honour", "0.5"]) == 2
    assert "--honour does not apply to cold_war_blocs" in capsys.readouterr().err
    bad = tmp_path / "bad.csv"
    bad.write_text(NMC_HEADER + "\nUSA,2,1955,x,1,1,1,1,1,1,2021\n", encoding="utf-8")
    assert main(["reproduce", "cold_war_blocs", "--nmc", str(bad), "--no-plot"]) == 2
    assert "bad.csv: row 2, column 'milex'" in capsys.readouterr().err


def _run_example(tmp_path, *args, **env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DETERRENCE_")}
    env.update(MPLBACKEND="Agg", **env_extra)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    return subprocess.run([sys.executable, str(ROOT / "examples" / "cold_war_blocs.py"), *map(str, args)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)


def test_example_runs_without_arguments_on_the_sipri_series(tmp_path):
    png = tmp_path / "sipri.png"
    proc = _run_example(tmp_path, "--plot", png)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "193.9" in proc.stdout and "McNeill" in proc.stdout and "growth NATO x2.88, Pact x2.94" in proc.stdout
    assert "NMC-60-abridged.csv" in proc.stdout and "correlatesofwar.org" in proc.stdout
    assert "does not ship it" in proc.stdout and "DETERRENCE_NMC" in proc.stdout
    if has_matplotlib():
        assert f"figure: {png}" in proc.stdout and png.stat().st_size > 20_000


def test_example_on_a_synthetic_file(tmp_path, files):
    png = tmp_path / "blocs.png"
    proc = _run_example(tmp_path, "--cpi", files["fred"], "--plot", png, DETERRENCE_NMC=str(files["nmc"]))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "1957" in proc.stdout and "In 1988 dollars: k = " in proc.stdout
    assert "Documented result on NMC v6.0" in proc.stdout
    if has_matplotlib():
        assert f"figure: {png}" in proc.stdout and png.stat().st_size > 20_000
    proc = _run_example(tmp_path, files["nmc"], "--no-plot")
    assert proc.returncode == 0 and "supply --cpi to compare" in proc.stdout


def test_package_ships_no_third_party_data():
    """The rule: data taken from others' repositories is not committed; the user supplies the files."""
    assert not [p for p in (ROOT / "deterrence").rglob("*") if p.suffix.lower() in (".csv", ".tsv", ".xlsx")]
    package_data = (ROOT / "pyproject.toml").read_text(encoding="utf-8").split("[tool.setuptools.package-data]")[1]
    assert "deterrence.cases" not in package_data.split("\n[")[0]


# ---------------------------------------------------------------------------------------------------------------
# The shipped default: SIPRI's five-yearly table
# ---------------------------------------------------------------------------------------------------------------

#: Transcribed for this test from William H. McNeill, The Pursuit of Power (University of Chicago Press, 1982),
#: ch. 10, p. 374, Table 3 "Military Expenditures at Constant Prices (In billions, 1978 dollars)"; source given
#: there: SIPRI, World Armaments and Disarmament: SIPRI Yearbook 1981, Appendix 6A, p. 156.
SOURCE_YEARS = [1950, 1955, 1960, 1965, 1970, 1975, 1980]
SOURCE_TABLE = {
    "USA": (39.5, 98.2, 100.0, 107.2, 130.9, 101.2, 111.2),
    "NATO total": (67.3, 142.6, 150.3, 168.1, 194.0, 184.9, 193.9),
    "USSR": (37.7, 51.2, 48.0, 65.9, 92.5, 99.8, 107.3),
    "Warsaw Pact": (40.7, 54.2, 51.3, 71.3, 100.8, 110.3, 119.5),
    "Uncommitted states": (25.7, 29.6, 34.6, 57.9, 85.7, 123.7, 141.9),
    "World total": (133.7, 226.4, 236.2, 297.3, 380.5, 418.9, 455.3),
}


def lstsq_fit_steps(x, y, step=5.0):
    """Richardson's difference form by numpy.linalg.lstsq: the change per year over each step on the start levels."""
    xs, ys = x[:-1], y[:-1]
    out = {}
    resid = {}
    for names, X, dz in ((("k", "a", "g"), np.column_stack([ys, -xs, np.ones_like(xs)]), np.diff(x) / step),
                         (("l", "b", "h"), np.column_stack([xs, -ys, np.ones_like(xs)]), np.diff(y) / step)):
        coef, rss, *_ = np.linalg.lstsq(X, dz, rcond=None)
        sigma2 = float(rss[0]) / (len(dz) - 3)
        se = np.sqrt(np.diag(sigma2 * np.linalg.inv(X.T @ X)))
        out["r2_" + names[0]] = 1 - float(rss[0]) / float(((dz - dz.mean()) ** 2).sum())
        resid[names[0]] = dz - X @ coef
        for n, c, s_ in zip(names, coef, se):
            out[n] = (float(c), float(s_))
    # joint covariance of (k, a, g, l, b, h): Sigma (x) (Z'Z)^-1 on the shared regressors Z = (x, y, 1)
    Z = np.column_stack([xs, ys, np.ones_like(xs)])
    E = np.column_stack([resid["k"], resid["l"]])
    S = E.T @ E / (len(xs) - 3)
    zinv = np.linalg.inv(Z.T @ Z)
    c_kl = S[0, 1] * zinv                                # cross-equation block, rows (x, y, 1) of eq 1, cols eq 2
    c_xx, c_yy = S[0, 0] * zinv, S[1, 1] * zinv
    # coefficient of eq 1 on (x, y, 1) = (-a, k, g); of eq 2 = (l, -b, h)
    k, a, l_, b = (out[n][0] for n in ("k", "a", "l", "b"))
    # margin a*b - k*l as a linear form in (-a, k) of eq 1 and (l, -b) of eq 2
    w1 = np.array([-b, -l_, 0.0])                        # d margin / d(-a, k, g)
    w2 = np.array([-k, -a, 0.0])                         # d margin / d(l, -b, h)
    out["margin"] = a * b - k * l_
    out["margin_se"] = float(np.sqrt(w1 @ c_xx @ w1 + w2 @ c_yy @ w2 + 2 * w1 @ c_kl @ w2))
    return out


@pytest.fixture(scope="module")
def sipri():
    return reproduce_sipri(version="test")


def test_shipped_table_is_the_publication_and_its_rows_add_up(sipri):
    names = {"USA": "USA", "NATO": "NATO total", "USSR": "USSR", "Warsaw Pact": "Warsaw Pact",
             "Uncommitted states": "Uncommitted states", "World": "World total"}
    assert set(SIPRI_TABLE) == set(names)
    for row, src in names.items():
        assert SIPRI_TABLE[row] == SOURCE_TABLE[src], row
    # transcription check: NATO + Warsaw Pact + uncommitted = world total in every year (three 0.1-rounded parts)
    for i, year in enumerate(SOURCE_YEARS):
        parts = SOURCE_TABLE["NATO total"][i] + SOURCE_TABLE["Warsaw Pact"][i] + SOURCE_TABLE["Uncommitted states"][i]
        assert abs(parts - SOURCE_TABLE["World total"][i]) <= 0.15, year
        assert abs(sipri.facts["sum_residuals"][year]) <= 0.15
        # and each bloc contains its superpower
        assert SOURCE_TABLE["USA"][i] < SOURCE_TABLE["NATO total"][i]
        assert SOURCE_TABLE["USSR"][i] < SOURCE_TABLE["Warsaw Pact"][i]


def test_documented_facts_from_the_sources_numbers(sipri):
    nato, pact, usa = (np.array(SOURCE_TABLE[r]) for r in ("NATO total", "Warsaw Pact", "USA"))
    # both blocs' real spending rose about threefold 1950-80 (193.9/67.3 = 2.88, 119.5/40.7 = 2.94)
    for bloc, series in (("NATO", nato), ("Warsaw Pact", pact)):
        assert sipri.facts["growth"][bloc] == pytest.approx(series[-1] / series[0])
        assert 2.5 < sipri.facts["growth"][bloc] < 3.5
    # NATO spent more than the Warsaw Pact in every year of the table
    assert (nato > pact).all() and sipri.facts["nato_above_every_year"]
    # the USA's share of NATO's total: 39.5/67.3 = 58.7% in 1950, at most 98.2/142.6 = 68.9% (1955)
    share = usa / nato
    assert list(sipri.facts["usa_share_of_nato"].values()) == pytest.approx(list(share))
    assert 0.5 < share.min() and share.max() == pytest.approx(98.2 / 142.6)
    assert sipri.facts["korea_share"] == pytest.approx((142.6 - 67.3) / (193.9 - 67.3))
    text = sipri.summary()
    assert "NATO x2.88, Warsaw Pact x2.94" in text and "every year of the table" in text
    assert "1950 59%" in text and "1955 69%" in text and "before the treaty" in text


@pytest.mark.parametrize("start", [1950, 1955])
def test_sipri_fit_against_lstsq_and_the_verdict(start):
    rep = reproduce_sipri(start)
    i = SOURCE_YEARS.index(start)
    x, y = np.array(SOURCE_TABLE["NATO total"][i:]), np.array(SOURCE_TABLE["Warsaw Pact"][i:])
    fit = lstsq_fit_steps(x, y)
    check_fit(rep.fit, fit)
    assert rep.fit.dof == len(x) - 1 - 3 and list(rep.years) == SOURCE_YEARS[i:]
    k, a, g, l_, b, h = (fit[n][0] for n in ("k", "a", "g", "l", "b", "h"))
    v = rep.verdict()
    eig = np.linalg.eigvals(np.array([[-a, k], [l_, -b]]))
    assert v["largest_eigenvalue"] == pytest.approx(max(eig.real))
    assert sorted(rep.step_factors) == pytest.approx(sorted(abs(1 + 5 * eig)))
    assert v["kl_below_ab"] == (k * l_ < a * b) and v["consistent"] == (min(k, l_) >= 0 and min(a, b) > 0)
    assert v["margin"] == pytest.approx(fit["margin"]) and v["margin_se"] == pytest.approx(fit["margin_se"])
    assert v["reaction_significant"] == {n: abs(fit[n][0] / fit[n][1]) >= 2 for n in ("k", "l")}
    # the discrete trajectory is the difference equations iterated by hand from the first point
    tx, ty = [x[0]], [y[0]]
    for _ in range(len(x) - 1):
        tx, ty = tx + [tx[-1] + 5 * (k * ty[-1] - a * tx[-1] + g)], ty + [ty[-1] + 5 * (l_ * tx[-1] - b * ty[-1] + h)]
    assert rep.trajectory()[0] == pytest.approx(tx) and rep.trajectory()[1] == pytest.approx(ty)
    if start == 1950:
        # the documented outcome on the source's numbers: the theory's signs and k*l < a*b (a stable balance at
        # the point estimates), neither reaction coefficient significant on 3 degrees of freedom, and the margin
        # a*b - k*l within two standard errors of zero
        assert min(k, l_) >= 0 and min(a, b) > 0 and k * l_ < a * b and max(eig.real) < 0
        assert v["stable_balance"] and v["discrete_stable"] and rep.fit.dof == 3
        assert not any(v["reaction_significant"].values()) and not v["margin_significant"]
        assert abs(fit["margin"]) < 2 * fit["margin_se"]


def test_sipri_bad_start():
    for bad in (1960, 1949, "1950", True):
        with pytest.raises(ModelError, match="1950 or 1955"):
            reproduce_sipri(bad)


@settings(max_examples=25, deadline=None)
@given(k=st.floats(0, 0.1), a=st.floats(0.01, 0.2), l_=st.floats(0, 0.1), b=st.floats(0.01, 0.2),
       g=st.floats(-5, 30), h=st.floats(-5, 30), shock=st.floats(0.5, 3.0))
def test_start_regressor_on_five_year_steps_gives_per_year_coefficients(k, a, l_, b, g, h, shock):
    """The API path the case uses: fit_richardson(..., years, regressor="start") on 5-year steps recovers the
    per-year coefficients of series that follow the difference form exactly (after a shock in the first step,
    so that the design is not degenerate)."""
    x, y = [60.0, 60.0 * shock], [40.0, 45.0]
    for _ in range(5):
        x, y = x + [x[-1] + 5 * (k * y[-1] - a * x[-1] + g)], y + [y[-1] + 5 * (l_ * x[-1] - b * y[-1] + h)]
    X = np.column_stack([y[1:-1], x[1:-1], np.ones(5)])
    if np.linalg.cond(X) > 1e7 or not np.all(np.isfinite(x + y)):
        return
    got = fit_richardson(x[1:], y[1:], SOURCE_YEARS[1:], regressor="start")
    for n, want in (("k", k), ("a", a), ("g", g), ("l", l_), ("b", b), ("h", h)):
        assert got.estimates[n] == pytest.approx(want, rel=1e-6, abs=1e-6), n
