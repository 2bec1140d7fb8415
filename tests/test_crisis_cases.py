"""The crisis cases on the tripartite crisis game: July 1914 (the blank check, Britain's straddle), Korea 1950,
Taiwan 1958.

Expected outcomes are the documented history (Austria-Hungary issued the ultimatum under the blank check;
North Korea attacked on 25 June 1950; the PRC did not invade Taiwan in 1958) and conditions derived here by
hand from the game form in models/tripartite_crisis.toml, written out in this file rather than taken from the
package.  Every answer the package gives is solved; the tests check it against these.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from _figures import NO_MATPLOTLIB, check_figure

import deterrence as d
from deterrence.cases import CASES, korea_1950, taiwan_1958
from deterrence.cases import july_crisis as jc
from deterrence.cases.crisis_game import answers, solve_points
from deterrence.cases.july_1914 import COUNTERFACTUALS, reproduce as reproduce_1914
from deterrence.cli import main
from deterrence.library import load_network

MODEL = d.load_model("tripartite_crisis")


def challenged(rows):
    return [a["answer"] for a in answers(MODEL, rows)]


# ---------------------------------------------------------------------------------- hand-derived conditions
def irresolute_supports(P, binds):
    """An irresolute Defender supports iff p_C*d_W_irr + (1 - p_C)*g_D > -s_D - k*binds (nobody realigns here)."""
    return P["p_C"] * P["d_W_irr"] + (1 - P["p_C"]) * P["g_D"] > -P["s_D"] - P["k"] * binds


def hand_challenge(P, abandoned_payoff):
    """Challenge iff sigma*V + (1 - sigma)*a_R > a_SQ, for commitment types 0, 1, 3."""
    theta = {0: 0.0, 1: P["q"], 3: 1.0}[int(P["commitment"])]
    sigma = P["p_D"] + (1 - P["p_D"]) * (theta * irresolute_supports(P, 1) + (1 - theta) * irresolute_supports(P, 0))
    V = P["p_C"] * P["a_W"] + (1 - P["p_C"]) * P["a_B"]
    return sigma * V + (1 - sigma) * P[abandoned_payoff] > P["a_SQ"]


# ---------------------------------------------------------------------------------- 1914: game 1
def test_blank_check_makes_the_ultimatum_the_best_move_and_a_conditional_commitment_restrains():
    game = jc.austria_game(MODEL, robustness=False)
    assert game["blank_check"]["answer"] == "challenge" and game["blank_check"]["P_challenge"] == pytest.approx(1)
    assert game["blank_check"]["best_move"] == "the harsh ultimatum"
    assert game["conditional"]["answer"] == "deterred" and game["conditional"]["P_challenge"] == pytest.approx(0)
    # the war under the blank check is the draw in which Russia is resolved (an irresolute Russia abandons)
    assert game["blank_check"]["P_war"] == pytest.approx(jc.AUSTRIA_GAME["p_D"])
    # by hand: abandoned Serbia concedes (-c_P > -L_P > u_R), so the ultimatum pays iff p_D < a_DC/(a_DC - a_W)
    P = jc.AUSTRIA_GAME
    assert -P["c_P"] > -P["L_P"] > P["u_R"]
    cut = (P["a_DC"] - P["a_SQ"]) / (P["a_DC"] - P["a_W"])
    assert game["hand_derived"]["blank_check_ultimatum_iff_p_D_below"] == pytest.approx(cut)
    got = challenged([{**P, "p_C": 1.0, "p_D": cut - 0.01}, {**P, "p_C": 1.0, "p_D": cut + 0.01}])
    assert got == ["challenge", "deterred"]


def test_conditional_commitment_restrains_over_the_hand_derived_region():
    P = jc.AUSTRIA_GAME
    sure = (P["g_D"] + P["s_D"]) / (P["g_D"] - P["d_W_irr"])      # an unbound irresolute Russia supports below
    ps = np.linspace(0, sure - 1e-3, 25)
    assert set(challenged([{**P, "p_C": float(p)} for p in ps])) == {"deterred"}
    game = jc.austria_game(MODEL, robustness=False)
    assert game["conditional_restrains_up_to_p_C"] >= sure - 0.01
    assert game["conditional_restrains_up_to_p_C"] < 1.0          # the blank check is not restrained
    for p in np.linspace(0, 1, 41):
        Q = {**P, "p_C": float(p)}
        if abs(Q["p_C"] * Q["d_W_irr"] + (1 - Q["p_C"]) * Q["g_D"] + Q["s_D"]) < 1e-6:
            continue                                                 # a tie at the boundary
        assert (challenged([Q])[0] == "challenge") == hand_challenge(Q, "a_DC"), p


# ---------------------------------------------------------------------------------- 1914: game 2
def test_straddle_fails_against_a_determined_germany_where_a_clear_commitment_deters_a_less_determined_one():
    cells = {(c["british_commitment"], c["germany"]): c for c in jc.britain_game(MODEL, robustness=False)["cells"]}
    assert cells[("straddle", "determined")]["answer"] == "challenge"
    assert cells[("clear", "less_determined")]["answer"] == "deterred"
    assert cells[("straddle", "less_determined")]["answer"] == "challenge"
    P = jc.BRITAIN_GAME
    # the straddle fails against a determined Germany whatever its chance q of binding (Zagare and Kilgour 2006)
    qs = np.linspace(0, 1, 21)
    assert set(challenged([{**P, "commitment": 1, "p_C": 1.0, "q": float(q)} for q in qs])) == {"challenge"}
    # by hand: abandoned France and Russia fight alone (-L_P > -c_P, u_R), and every cell agrees with the closed form
    assert -P["L_P"] > max(-P["c_P"], P["u_R"])
    for cell in cells.values():
        Q = {**P, "commitment": cell["commitment"], "p_C": cell["p_C"]}
        assert (cell["answer"] == "challenge") == hand_challenge(Q, "a_V")


def test_britain_boundaries_match_the_hand_derivation():
    b = jc.britain_game(MODEL, robustness=False)
    P = jc.BRITAIN_GAME
    clear_cut = (P["g_D"] + P["s_D"] + P["k"]) / (P["g_D"] - P["d_W_irr"])
    free_cut = (P["g_D"] + P["s_D"]) / (P["g_D"] - P["d_W_irr"])
    assert b["clear_deters_up_to_p_C"] == pytest.approx(clear_cut, abs=0.006)
    assert b["straddle_fails_from_p_C"] == pytest.approx(free_cut, abs=0.006)
    # between the two cuts the clear commitment deters where the straddle fails
    mid = (clear_cut + free_cut) / 2
    assert challenged([{**P, "commitment": 1, "p_C": mid}, {**P, "commitment": 3, "p_C": mid}]) == [
        "challenge", "deterred"]


def test_july_crisis_answers_hold_over_stated_regions():
    g = jc.crisis_game(MODEL)
    for st in (g["austria_hungary"]["blank_check"]["stability"], g["austria_hungary"]["conditional"]["stability"],
               g["britain"]["straddle_vs_determined_stability"], g["britain"]["clear_vs_less_determined_stability"]):
        assert st["box"]["share_holding"] == 1.0
        for name, iv in st["intervals"].items():
            assert iv["holds"] is not None and iv["holds"][1] > iv["holds"][0], name
    assert g["austria_hungary"]["blank_check"]["stability"]["intervals"]["q"]["throughout"]
    ivp = g["austria_hungary"]["blank_check"]["stability"]["intervals"]["p_D"]["holds"]
    assert ivp[1] == pytest.approx(g["austria_hungary"]["hand_derived"]["blank_check_ultimatum_iff_p_D_below"],
                                   abs=0.011)
    json.dumps(g)                                                    # plain data
    assert "stylized" in g and "illustrative" in g["values"]
    assert {m["model"] for m in g["mapping"]} >= {"p_C = 1", "p_C = 0", "commitment = 3"}


def test_reproduce_1914_adds_the_game_and_keeps_the_network():
    net = load_network("july_1914")
    plain = reproduce_1914(net, version="t")
    rep = reproduce_1914(net, version="t", crisis_model=MODEL)
    assert plain.crisis_game is None and plain.to_dict()["crisis_game"] is None
    assert rep.timeline == plain.timeline and rep.stays_out == plain.stays_out
    rows = {c["name"]: c for c in rep.counterfactuals}
    assert set(rows) == set(COUNTERFACTUALS)
    assert rows["no_blank_check"]["crisis_game"]["no_blank_check"]["answer"] == "deterred"
    br = rows["clear_british_commitment"]["crisis_game"]["clear_british_commitment"]["germany"]
    assert br["determined"]["answer"] == "challenge" and br["less_determined"]["answer"] == "deterred"
    assert "crisis_game" not in rows["no_belgium"]
    for c in plain.counterfactuals:                                  # the network's answers are unchanged
        assert {k: v for k, v in rows[c["name"]].items() if k != "crisis_game"} == c
    both = reproduce_1914(net, ["no_blank_check", "clear_british_commitment"], crisis_model=MODEL)
    assert set(both.counterfactuals[0]["crisis_game"]) == {"no_blank_check", "clear_british_commitment"}
    assert both.to_dict()["crisis_game"]["austria_hungary"]["blank_check"]["answer"] == "challenge"


# ---------------------------------------------------------------------------------- Korea 1950, Taiwan 1958
@pytest.fixture(scope="module")
def korea():
    return korea_1950.reproduce(MODEL, version="t")


@pytest.fixture(scope="module")
def taiwan():
    return taiwan_1958.reproduce(MODEL, version="t")


def test_korea_ambiguous_commitment_gives_the_challenge(korea):
    # documented: North Korea attacked on 25 June 1950
    assert korea.documented == "challenge"
    assert korea.model["answer"] == "challenge" and korea.model["P_challenge"] == pytest.approx(1)
    assert korea.agrees
    assert korea.parameters["commitment"] == 1
    assert hand_challenge(korea.parameters, "a_V")
    # the ambiguity is what fails: a clear commitment at the same values deters
    assert korea.counterfactual["result"]["answer"] == "deterred"


def test_taiwan_clear_commitment_deters_the_invasion(taiwan):
    # documented: no invasion of Taiwan in 1958
    assert taiwan.documented == "deterred"
    assert taiwan.model["answer"] == "deterred" and taiwan.model["P_challenge"] == pytest.approx(0)
    assert taiwan.agrees
    assert taiwan.parameters["commitment"] == 3
    assert not hand_challenge(taiwan.parameters, "a_V")
    assert taiwan.counterfactual["result"]["answer"] == "challenge"
    # the defensive (conditional) reading gives the same answer for a crisis the Protégé did not provoke
    assert challenged([{**taiwan.parameters, "commitment": 2, "pi": 0.0}]) == ["deterred"]


def test_the_two_cases_differ_in_the_commitment_only():
    diff = {k for k in korea_1950.PARAMETERS if korea_1950.PARAMETERS[k] != taiwan_1958.PARAMETERS[k]}
    assert diff == {"commitment"}


@pytest.mark.parametrize("which", ["korea", "taiwan"])
def test_case_answers_are_not_artefacts_of_one_value(which, korea, taiwan):
    rep = korea if which == "korea" else taiwan
    st = rep.stability
    assert st["expected"] == rep.documented
    assert st["box"]["share_holding"] == 1.0 and st["box"]["samples"] >= 100
    for name, iv in st["intervals"].items():
        lo, hi = iv["holds"]
        assert lo <= rep.parameters[name] <= hi and hi - lo >= 0.1, name
    if which == "korea":
        # by hand the challenge holds while sigma = p_D + (1 - p_D)*q < a_V/(a_V - V): q up to about 0.34
        P = rep.parameters
        V = P["p_C"] * P["a_W"] + (1 - P["p_C"]) * P["a_B"]
        q_cut = (P["a_V"] / (P["a_V"] - V) - P["p_D"]) / (1 - P["p_D"])
        assert st["intervals"]["q"]["holds"][1] == pytest.approx(q_cut, abs=0.011)
    else:
        # by hand a bound irresolute US supports iff k > -s_D - (p_C*d_W_irr + (1 - p_C)*g_D)
        P = rep.parameters
        k_cut = -P["s_D"] - (P["p_C"] * P["d_W_irr"] + (1 - P["p_C"]) * P["g_D"])
        assert st["intervals"]["k"]["holds"][0] == pytest.approx(k_cut, abs=0.031)
        assert st["intervals"]["p_D"]["throughout"] and st["intervals"]["p_C"]["throughout"]


def test_box_points_agree_with_the_hand_closed_form():
    rng = np.random.default_rng(7)
    rows = []
    for _ in range(60):
        P = dict(korea_1950.PARAMETERS)
        P.update(commitment=float(rng.choice([0, 1, 3])), q=rng.uniform(0, 1), p_D=rng.uniform(0, 1),
                 p_C=rng.uniform(0, 1), k=rng.uniform(0, 3), a_V=rng.uniform(0.1, 3))
        rows.append(P)
    cols = solve_points(MODEL, rows)
    checked = []
    for P, lo, hi in zip(rows, cols["P_challenge[min]"], cols["P_challenge[max]"]):
        if lo != hi:
            continue                                                 # a tie (measure zero)
        assert (lo == 1.0) == hand_challenge(P, "a_V"), P
        checked.append(lo == 1.0)
    assert len(checked) >= 55 and any(checked) and not all(checked)  # both answers occur


def test_reports_are_plain_data_with_sources(korea, taiwan):
    for rep in (korea, taiwan):
        dct = json.loads(json.dumps(rep.to_dict()))
        assert dct["agrees"] is True and dct["stylized"]
        assert all(f["source"] for f in dct["facts"])
        text = rep.summary()
        assert "Agreement: yes" in text and "What is stylized" in text and "illustrative" in text
    assert any("12 Jan 1950" == f["date"] for f in korea.facts)
    assert any("25 Jun 1950" == f["date"] for f in korea.facts)
    assert any("23 Aug 1958" == f["date"] for f in taiwan.facts)
    assert any("2 Dec 1954" == f["date"] for f in taiwan.facts)


def test_facts_cite_documents_not_web_pages(korea, taiwan):
    # the audit of issue 9: the facts cited secondary web pages; each now names a primary document or a work of
    # scholarship (no web address)
    import re
    for rep in (korea, taiwan):
        for f in rep.facts:
            assert not re.search(r"https?:|www\.|\.(com|org|net)\b", f["source"]), f
    cited = " ".join(f["source"] for f in korea.facts)
    assert "Department of State Bulletin 22" in cited and "S/RES/82" in cited and "S/RES/83" in cited
    cited = " ".join(f["source"] for f in taiwan.facts)
    assert "TIAS 3178" in cited and "Public Law 84-4" in cited and "RM-4900-ISA" in cited
    for mod in ("korea_1950", "taiwan_1958"):
        import importlib
        doc = importlib.import_module(f"deterrence.cases.{mod}").__doc__
        assert not re.search(r"https?:|www\.|\.(com|org|net)\b", doc), mod
        assert "George, A. L. and Smoke, R. (1974)" in " ".join(doc.split())


# ---------------------------------------------------------------------------------- the command line
def test_cli_cases_listed_and_run(capsys):
    assert {"korea_1950", "taiwan_1958"} <= set(CASES)
    assert main(["reproduce", "--list"]) == 0
    out = capsys.readouterr().out
    assert "korea_1950" in out and "taiwan_1958" in out
    assert main(["reproduce", "korea_1950", "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "Agreement: yes" in out and "25 Jun 1950" in out
    assert main(["reproduce", "taiwan_1958", "--json", "--no-plot"]) == 0
    dct = json.loads(capsys.readouterr().out)
    assert dct["case"] == "taiwan_1958" and dct["model"]["answer"] == "deterred"
    assert main(["reproduce", "korea_1950", "--no-plot", "--counterfactual", "x"]) == 2
    assert "does not apply to korea_1950" in capsys.readouterr().err


def test_cli_1914_has_the_game_section_and_key(capsys):
    assert main(["reproduce", "1914", "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "The July crisis as a game" in out and "the harsh ultimatum" in out
    assert main(["reproduce", "1914", "--no-plot", "--json", "--counterfactual", "no_blank_check"]) == 0
    dct = json.loads(capsys.readouterr().out)
    assert dct["crisis_game"]["austria_hungary"]["blank_check"]["answer"] == "challenge"
    assert dct["counterfactuals"][0]["crisis_game"]["no_blank_check"]["answer"] == "deterred"


def test_example_script_runs(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root) + os.pathsep + os.environ.get("PYTHONPATH", ""),
           "MPLBACKEND": "Agg"}
    prefix = tmp_path / "cases"
    proc = subprocess.run([sys.executable, str(root / "examples" / "crisis_cases.py"), "--plot", str(prefix)],
                          cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Agreement: yes" in proc.stdout and proc.stdout.rstrip().splitlines()[-1].startswith("OK:")
    # the example saves a figure per case (Korea 1950, Taiwan 1958), as every example does
    for case in ("korea_1950", "taiwan_1958"):
        png = tmp_path / f"cases_{case}.png"
        assert png.stat().st_size > 10_000 and f"figure: {png}" in proc.stdout
    bad = subprocess.run([sys.executable, str(root / "examples" / "crisis_cases.py"), "--plott", "x"],
                         cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "unrecognized arguments" in bad.stderr


# ---------------------------------------------------------------------------------- the cases' figure
def test_commitment_curves_match_the_hand_closed_form_and_the_figure_is_written(korea, tmp_path, capsys,
                                                                                 monkeypatch):
    from deterrence.cases.crisis_game import commitment_curves
    values = np.linspace(0, 1, 41)
    cur = commitment_curves(MODEL, korea.parameters, "p_D", values)
    assert list(cur["curves"]) == ["none", "ambiguous (straddle)", "conditional", "unconditional (clear)"]
    for ctype, c in zip((0, 1, 3), ("none", "ambiguous (straddle)", "unconditional (clear)")):
        for v, p, unique in zip(values, cur["curves"][c]["P_challenge"], cur["curves"][c]["unique"]):
            if unique:
                assert (p == pytest.approx(1)) == hand_challenge({**korea.parameters, "commitment": ctype,
                                                                  "p_D": v}, "a_V"), (c, v)
    # the case's own point lies on its curve
    i = int(np.argmin(abs(values - korea.parameters["p_D"])))
    assert cur["curves"]["ambiguous (straddle)"]["P_war"][i] == pytest.approx(korea.model["P_war"])
    for case in ("korea_1950", "taiwan_1958"):
        png = tmp_path / f"{case}.png"
        assert main(["reproduce", case, "--plot", str(png)]) == 0
        check_figure(capsys.readouterr().out, png)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)     # as without matplotlib
    assert main(["reproduce", "taiwan_1958", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["figure"].startswith(NO_MATPLOTLIB)
