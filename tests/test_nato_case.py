"""deterrence reproduce nato_article5: collective credibility of Article 5 against closed forms."""

from __future__ import annotations

import json
import math

import pytest
from _figures import NO_MATPLOTLIB, check_figure

from deterrence.cases.nato_article5 import MEMBERS, reproduce
from deterrence.cli import main

H = 0.745          # Leeds, Long and Mitchell (2000)


def indep_tail(n, k, p):
    return sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(k, n + 1))


def test_members_and_closed_forms():
    assert len(MEMBERS) == 32 and len(set(MEMBERS)) == 32 and "Sweden" in MEMBERS and "Finland" in MEMBERS
    rep = reproduce(version="test")
    assert rep.guarantors == 31
    for k, row in rep.credibility.items():
        for rho, v in row.items():
            # the common shock: with weight rho one shared decision (credibility H whatever K),
            # otherwise 31 independent ones (a binomial tail)
            assert v == pytest.approx(rho * H + (1 - rho) * indep_tail(31, k, H), abs=1e-12), (k, rho)
    assert rep.credibility[1][0.0] == pytest.approx(1 - (1 - H) ** 31)
    assert rep.credibility[31][0.0] == pytest.approx(H ** 31)
    assert rep.expected_coalition == pytest.approx(31 * H)
    for c, p in rep.abandonment.items():
        assert p == pytest.approx(c ** (31 / 30))           # Diekmann (1985): (c/b)^(N/(N-1))


def test_cli(capsys):
    assert main(["reproduce", "nato_article5", "--json", "--no-plot"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["guarantors"] == 31 and d["credibility"]["1"]["1.0"] == pytest.approx(H)
    assert main(["reproduce", "nato_article5", "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "P(at least K guarantors fight)" in out and "What is stylized" in out
    assert main(["reproduce", "nato_article5", "--counterfactual", "x"]) == 2
    assert "does not apply" in capsys.readouterr().err
    assert main(["reproduce", "nato_article5", "--honour", "0.6", "--json", "--no-plot"]) == 0
    assert json.loads(capsys.readouterr().out)["reliability"] == 0.6


def test_figure_data_against_closed_forms_and_the_figure(tmp_path, capsys, monkeypatch):
    rep = reproduce(version="test")
    d = rep.figure_data(correlations=(0.0, 1.0), needed=(1, 16))
    # independent decisions: the binomial law; one shared decision: all fight (H) or none (1 - H)
    pmf0 = [math.comb(31, j) * H ** j * (1 - H) ** (31 - j) for j in range(32)]
    assert d["coalition"][0.0] == pytest.approx(pmf0, abs=1e-12)
    assert d["coalition"][1.0][31] == pytest.approx(H) and d["coalition"][1.0][0] == pytest.approx(1 - H)
    for i, p in enumerate(d["reliability"]):
        assert d["credibility"][(0.0, 16)][i] == pytest.approx(indep_tail(31, 16, p), abs=1e-12)
        assert d["credibility"][(1.0, 16)][i] == pytest.approx(p, abs=1e-12)
    png = tmp_path / "n.png"
    assert main(["reproduce", "nato_article5", "--plot", str(png)]) == 0
    check_figure(capsys.readouterr().out, png)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setitem(__import__("sys").modules, "matplotlib", None)     # as without matplotlib
    assert main(["reproduce", "nato_article5"]) == 0
    assert "figure: " + NO_MATPLOTLIB in capsys.readouterr().out
