"""Model families: the guarantors' volunteer's dilemma (Diekmann 1985) reachable like a model file.

Expected values come from the closed form: in the symmetric mixed equilibrium each guarantor abstains with
probability (c/b)^(1/(n-1)), so no one intervenes with probability (c/b)^(n/(n-1)); the pure equilibria are
the n profiles with exactly one volunteer.
"""

from __future__ import annotations

import json

import pytest

import deterrence
from deterrence.analysis.claims import Claim, check_claim
from deterrence.errors import ModelError
from deterrence.games.parametric import ParametricNormalForm

from _cli import run


def test_family_loads_as_a_parametric_normal_form_with_names_and_claims():
    m = deterrence.load_model("guarantors_dilemma:n=5")
    assert isinstance(m, ParametricNormalForm) and m.name == "guarantors_dilemma:n=5"
    assert m.players == tuple(f"Guarantor {i}" for i in range(1, 6))
    assert m.parameter_names == ("b", "c") and m.defaults() == {"b": 1.0, "c": 0.3}
    assert "Diekmann" in m.source and "1985" in m.source
    assert set(m.measures) == {"P_no_intervention", "E_interveners"}
    # n > 4: no complete Nash enumeration, so no claim about every equilibrium; the symmetric ones are listed
    assert [c.id for c in m.claims] == ["one_volunteer_equilibria", "one_symmetric_equilibrium",
                                        "symmetric_equilibrium_abandonment_risk", "abandonment_risk_rises_with_n"]
    assert all(c.concept == "symmetric" for c in m.claims[1:])
    d = deterrence.load_model("guarantors_dilemma")                        # the default arguments
    assert d.name == "guarantors_dilemma" and d.n_players == 3
    assert deterrence.load_model(" guarantors_dilemma:n=3 ".strip()).name == "guarantors_dilemma"


@pytest.mark.parametrize("n, c", [(2, 0.3), (3, 0.3), (3, 0.6), (4, 0.45)])
def test_solve_lists_the_pure_and_the_symmetric_mixed_equilibria(capsys, n, c):
    code, out, _ = run(capsys, "solve", f"guarantors_dilemma:n={n}", "--set", f"c={c}", "--json")
    assert code == 0
    res = json.loads(out)
    eqs = res["equilibria"]
    players = [f"Guarantor {i}" for i in range(1, n + 1)]
    pure = [e for e in eqs if all(max(e["strategies"][p].values()) > 1 - 1e-9 for p in players)]
    ones = {tuple(p for p in players if e["strategies"][p]["intervene"] > 0.5) for e in pure}
    assert len(pure) == n and ones == {(p,) for p in players}
    q = c ** (1 / (n - 1))                                    # abstain probability, b = 1
    sym = [e for e in eqs if all(abs(e["strategies"][p]["abstain"] - q) < 1e-6 for p in players)]
    assert len(sym) == 1
    # every equilibrium in which k >= 2 guarantors mix and the rest abstain: 2^n - n - 1 of them, the symmetric one included
    assert len(eqs) == n + 2 ** n - n - 1
    meas = res["measures"]["P_no_intervention"]
    assert len(meas["values"]) == len(eqs)
    assert meas["max"] == pytest.approx(c ** (n / (n - 1)), rel=1e-9) and meas["min"] == 0.0
    k = eqs.index(sym[0])
    assert meas["values"][k] == pytest.approx(c ** (n / (n - 1)), rel=1e-9)
    assert res["measures"]["E_interveners"]["values"][k] == pytest.approx(n * (1 - q), rel=1e-9)


@pytest.mark.parametrize("n", [2, 3, 4])
def test_closed_form_of_the_abandonment_risk_in_the_measures(n):
    from deterrence.analysis.equilibrium_sets import equilibrium_set
    from deterrence.analysis.measures import evaluate_measure
    import numpy as np
    m = deterrence.load_model(f"guarantors_dilemma:n={n}")
    pts = {"b": np.array([1.0, 2.0]), "c": np.array([0.3, 0.9])}
    eqs = equilibrium_set(m, pts, "nash")
    vals = evaluate_measure(m.measures["P_no_intervention"], m, eqs, pts)
    for b, c, k in ((1.0, 0.3, 0), (2.0, 0.9, 1)):
        v = vals[eqs.game_index == k]
        assert v.max() == pytest.approx((c / b) ** (n / (n - 1)), rel=1e-9)
        assert v.min() == 0.0 and np.sum(v == 0) == n      # the n pure equilibria: someone always intervenes


@pytest.mark.parametrize("n", [2, 3, 4, 7])
def test_claims_run_and_hold(capsys, n):
    code, out, _ = run(capsys, "claims", f"guarantors_dilemma:n={n}", "--json")
    assert code == 0
    rows = json.loads(out)
    assert rows and all(r["verdict"] == "holds" for r in rows)
    ids = {r["claim"]["id"] for r in rows}
    assert "one_volunteer_equilibria" in ids
    if n <= 4:
        assert {"symmetric_abandonment_risk", "abandonment_risk_at_most_symmetric"} <= ids
    if n <= 3:
        assert "abandonment_risk_rises_with_n" in ids


def test_the_compare_claim_can_fail():
    # the same comparison the other way round (n+1 guarantors no riskier than n) must fail
    m = deterrence.load_model("guarantors_dilemma:n=2")
    spec = dict(next(c for c in m.claims if c.id == "abandonment_risk_rises_with_n").spec)
    spec["op"] = ">="
    spec["id"] = "reversed"
    r = check_claim(m, Claim.from_spec(spec, m), loader=deterrence.load_model)
    assert r.verdict == "fails"
    wrong = dict(next(c for c in m.claims if c.id == "symmetric_abandonment_risk").spec, id="wrong",
                 holds="P_no_intervention == (c/b)^(3/2)")             # the closed form of n = 3, not n = 2
    assert check_claim(m, Claim.from_spec(wrong, m)).verdict == "fails"


def test_list_shows_the_family(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("guarantors_dilemma "))
    assert "normal_form" in row and "family n=2..12" in row and "Guarantors' volunteer's dilemma" in row
    code, out, _ = run(capsys, "list", "--json")
    fam = next(r for r in json.loads(out) if r["name"] == "guarantors_dilemma")
    assert fam["from"] == "family" and fam["arguments"]["n"]["min"] == 2 and fam["arguments"]["n"]["max"] == 12
    assert next(r for r in json.loads(out) if r["name"] == "chicken")["from"] == "file"


def test_show_and_sweep(capsys, tmp_path):
    code, out, _ = run(capsys, "show", "guarantors_dilemma:n=4")
    assert code == 0 and "P_no_intervention" in out and "0 < c < b" in out and "Diekmann" in out
    csv = tmp_path / "g.csv"
    code, out, _ = run(capsys, "sweep", "guarantors_dilemma:n=4", "--grid", "c=0.1:0.9:3", "--out", str(csv))
    assert code == 0 and csv.exists()
    assert len(csv.read_text().splitlines()) == 4


@pytest.mark.parametrize("arg, words", [("n=1", "argument n must be in 2..12"), ("n=13", "argument n must be in 2..12"),
                                        ("m=3", "unknown argument 'm'"), ("n=two", "argument n must be an integer"),
                                        ("n", "guarantors_dilemma:n=<integer>")])
def test_bad_arguments_are_one_line_with_exit_2(capsys, arg, words):
    with pytest.raises(ModelError, match="n: the number of guarantors, an integer in 2..12"):
        deterrence.load_model(f"guarantors_dilemma:{arg}")
    for cmd in ("show", "solve", "claims"):
        code, out, err = run(capsys, cmd, f"guarantors_dilemma:{arg}")
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and words in err and "Traceback" not in err


def test_unknown_family_and_builder_range():
    with pytest.raises(ModelError, match="no model family 'nosuch'"):
        deterrence.load_model("nosuch:n=3")
    from deterrence.alliances.volunteer import guarantors_dilemma
    with pytest.raises(ModelError, match="2..12"):
        guarantors_dilemma(13)


@pytest.mark.parametrize("n, b, c", [(3, 2.0, 1.5), (5, 10.0, 3.0), (2, 0.5, 0.1)])
def test_cost_above_one_is_accepted_when_below_the_benefit(capsys, n, b, c):
    # the model's only requirement is 0 < c < b (Diekmann 1985): c = 1.5 with b = 2 is the dilemma at c/b = 0.75
    code, out, err = run(capsys, "solve", f"guarantors_dilemma:n={n}", "--set", f"b={b}", "--set", f"c={c}",
                         "--concept", "symmetric", "--json")
    assert code == 0, err
    eqs = json.loads(out)["equilibria"]
    assert len(eqs) == 1
    q = (c / b) ** (1 / (n - 1))                              # Diekmann's abstain probability
    assert all(abs(s["abstain"] - q) < 1e-9 for s in eqs[0]["strategies"].values())
    assert abs(json.loads(out)["measures"]["P_no_intervention"]["values"][0] - (c / b) ** (n / (n - 1))) < 1e-9


@pytest.mark.parametrize("b, c", [(1.0, 1.5), (2.0, 2.0), (0.5, 0.7)])
def test_cost_at_or_above_the_benefit_names_both_parameters(capsys, b, c):
    m = deterrence.load_model("guarantors_dilemma:n=4")
    with pytest.raises(ModelError, match=r"constraint '0 < c < b' violated at \{'b': .*'c': "):
        m.point({"b": b, "c": c})
    code, out, err = run(capsys, "solve", "guarantors_dilemma:n=4", "--set", f"b={b}", "--set", f"c={c}")
    assert code == 2 and out == "" and "0 < c < b" in err and "'b'" in err and "'c'" in err


@pytest.mark.parametrize("name, value, domain", [("b", "0", "(0, inf)"), ("b", "-1", "(0, inf)"),
                                                 ("c", "0", "(0, inf)"), ("c", "-0.2", "(0, inf)")])
def test_benefit_and_cost_must_be_positive(capsys, name, value, domain):
    code, out, err = run(capsys, "solve", "guarantors_dilemma", "--set", f"{name}={value}")
    assert code == 2 and out == "" and f"parameter {name!r}" in err and domain in err
