"""`deterrence reproduce 1914` and `deterrence cascade`: the documented outcome, counterfactuals, the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from deterrence.cases.july_1914 import COUNTERFACTUALS, LEEDS_HONOUR, general_war, reproduce
from deterrence.cli import main
from deterrence.library import list_networks, load_network

ROOT = Path(__file__).resolve().parents[1]

# 1914.md: the declarations of 28 Jul - 23 Aug 1914, in order of entry of the great chain
AUGUST = ["Austria-Hungary", "Serbia", "Russia", "Germany", "France", "Belgium", "Britain", "Montenegro", "Japan"]


@pytest.fixture(scope="module")
def model():
    return load_network("july_1914")


def test_shipped_network_is_listed(model):
    assert "july_1914" in list_networks()
    assert model.attack == ("Austria-Hungary", "Serbia")
    assert len(model.digest) == 64


def test_reproduce_gives_the_documented_outcome(model):
    rep = reproduce(model, version="test")
    august = [r["state"] for r in rep.timeline if r["phase"] == "August"]
    assert august == AUGUST
    assert [r["state"] for r in rep.timeline if r["phase"] == "later"] == ["Ottoman Empire"]
    assert [r["state"] for r in rep.stays_out] == ["Italy"]
    assert rep.result.occupied == ("Luxembourg",)
    assert general_war(rep.result, model.network)
    assert rep.provenance["file_sha256"] == model.digest


def test_counterfactuals_change_the_war_as_the_treaties_say(model):
    rows = {c["name"]: c for c in reproduce(model).counterfactuals}
    assert set(rows) == set(COUNTERFACTUALS)
    # a conditional German commitment keeps the war local: the Dual Alliance does not cover an aggressor;
    # by hand, Austria-Hungary is then the only great power on its side, the war never becomes general and
    # Montenegro's pledge (binding only in a general war) never binds
    assert rows["no_blank_check"]["belligerents"] == ["Austria-Hungary", "Serbia", "Russia"]
    assert "Montenegro" in rows["no_blank_check"]["stay_out"]
    assert not rows["no_blank_check"]["general_war"]
    # without the route through Belgium the guarantee is never triggered: Britain (and so Japan) stay out
    assert set(rows["no_belgium"]["stay_out"]) == {"Belgium", "Britain", "Japan"}
    assert rows["italy_bound"]["enter"] == ["Italy"]
    assert "Russia" in rows["russia_stays_out"]["stay_out"] and not rows["russia_stays_out"]["general_war"]
    assert "Montenegro" in rows["russia_stays_out"]["stay_out"]      # no great power on Serbia's side
    # a clear British commitment brings Britain in one round earlier, beside France
    rep = reproduce(model, ["clear_british_commitment"])
    rounds = {r["state"]: r["model_round"] for r in rep.timeline}
    assert rounds["Britain"] == rounds["France"]


def test_stochastic_reading_under_leeds_reliability(model):
    rep = reproduce(model, honour=LEEDS_HONOUR)
    h = LEEDS_HONOUR
    s = rep.stochastic
    assert s["method"] == "exact"
    assert s["p_enter"]["Britain"] == pytest.approx(h ** 3)
    # general war (two great powers a side) needs Russia and Germany in: h^2
    assert s["p_general_war"] == pytest.approx(h ** 2)
    # issue 8: each counterfactual prints P(general war) where the model is stochastic. By hand: without the
    # blank check or without Russia, Germany never fights, so no general war; otherwise it needs Russia and
    # Germany in (France is then attacked through the war plan; Britain adds a great power only to a war that
    # is already general). With Italy bound (its pledge alone made unconditional) Italy can be Austria-Hungary's
    # second great power, but the other side still needs a second great power beside Russia: France is attacked
    # only through Germany's war plan or bound only against Germany, Britain enters only through Belgium,
    # which only Germany's plan attacks. So a general war still needs Germany, brought in only by the Dual
    # Alliance after Russia: h^2, as without the change. (Rewriting Art. 3 for all its parties gave
    # h (1 - (1-h)^2) = 0.697: Germany bound twice to Austria-Hungary.)
    p = {c["name"]: c["p_general_war"] for c in rep.counterfactuals}
    assert p == pytest.approx({"no_blank_check": 0.0, "russia_stays_out": 0.0, "no_belgium": h ** 2,
                               "italy_bound": h ** 2, "clear_british_commitment": h ** 2})
    assert "p_general_war" not in reproduce(model).counterfactuals[0]          # deterministic: no probability


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "deterrence", *args], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)


def test_cli_reproduce_1914_json_and_figure(tmp_path):
    png = tmp_path / "c.png"
    out = run_cli("reproduce", "1914", "--json", "--plot", str(png))
    assert out.returncode == 0, out.stderr
    d = json.loads(out.stdout)
    assert [r["state"] for r in d["timeline"] if r["phase"] == "August"] == AUGUST
    assert d["provenance"]["file_sha256"]
    pytest.importorskip("matplotlib")
    assert png.stat().st_size > 10_000


def test_cli_reproduce_table_list_and_counterfactual(capsys):
    assert main(["reproduce", "1914", "--no-plot"]) == 0
    out = capsys.readouterr().out
    assert "Treaty of London (1839), Art. 7" in out and "Italy stays out" in out
    assert "1914-08-23" in out
    assert main(["reproduce", "--list"]) == 0
    assert "1914" in capsys.readouterr().out
    assert main(["reproduce", "1914", "--no-plot", "--counterfactual", "no_belgium", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert "Britain" not in [r["state"] for r in d["timeline"]]


def test_cli_cascade_deterministic_and_stochastic(capsys):
    assert main(["cascade", "july_1914", "--attack", "300:345", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [e["state"] for e in d["entries"] if e["phase"] == 1] == AUGUST
    assert main(["cascade", "july_1914", "--honour", "0.5", "--draws", "4000", "--seed", "3", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    s = d["stochastic"]
    assert s["method"] == "monte_carlo" and s["seed"] == 3
    assert abs(s["p_enter"]["Russia"] - 0.5) < 5 * s["standard_error"]


@pytest.mark.parametrize("args, msg", [
    (["reproduce", "1913"], "no case '1913'"),
    (["reproduce", "1914", "--counterfactual", "no_war"], "unknown counterfactual"),
    (["reproduce", "1914", "--plot", "x.xyz"], ".png, .pdf or .svg"),
    (["reproduce", "1914", "--honour", "2", "--no-plot"], "probability"),
    (["cascade", "july_1914", "--attack", "Prussia:Serbia"], "no state 'Prussia'"),
    (["cascade", "july_1914", "--attack", "Serbia"], "ATTACKER:TARGET"),
    (["cascade", "nowhere"], "no shipped network"),
    (["cascade", "x.csv"], "needs --year"),
    # --draws 0 was read as "no number given" and silently ran 10,000 draws
    (["cascade", "july_1914", "--honour", "0.5", "--draws", "0"], "draws must be a positive integer, got 0"),
    # a non-integer great-power code was an internal error (ValueError), not a ModelError naming the flag
    (["cascade", "x.csv", "--year", "1914", "--great-powers", "255,Prussia"], "--great-powers '255,Prussia'"),
])
def test_cli_errors_are_one_line_exit_2(args, msg, capsys):
    assert main(args) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1


def test_cli_cascade_prints_the_war_size_and_which_commitments_matter(capsys):
    # issue 8: the distribution of the war's size and which commitments matter most (each removed in turn)
    assert main(["cascade", "july_1914", "--honour", "0.745", "--importance", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    pmf = {int(k): v for k, v in d["stochastic"]["size_distribution"].items()}
    # by hand, exact: Montenegro's pledge binds only in a general war, which needs Russia and Germany in, so
    # two belligerents iff Russia refuses; three iff Russia honours and Germany refuses the Dual Alliance (then
    # no one else is triggered and the war is not general)
    assert pmf[2] == pytest.approx(0.255)
    assert pmf[3] == pytest.approx(0.745 * 0.255)
    imp = {r["commitment"]: r["reduction"] for r in d["importance"]}
    # without Russia's patronage no one joins Serbia (Montenegro waits for a general war): the expected war
    # shrinks from its full size to 2
    assert imp["russia_serbia"] == pytest.approx(d["stochastic"]["expected_belligerents"] - 2)
    assert imp["entente_cordiale"] == 0.0
    assert [r["reduction"] for r in d["importance"]] == sorted(imp.values(), reverse=True)
    assert main(["cascade", "july_1914", "--honour", "0.745", "--importance"]) == 0
    out = capsys.readouterr().out
    assert "size of the war" in out and "0.2550" in out          # P(2 belligerents) = 0.255
    assert "Russian patronage of Serbia" in out and "expected belligerents fewer without it" in out


def test_italy_bound_changes_only_italys_pledge(model):
    """The counterfactual binds Italy alone: every obligation of another state is the treaty's, unchanged."""
    net = model.network
    cf = COUNTERFACTUALS["italy_bound"].apply(net)

    def terms(network):
        out = set()
        for c in network.commitments:
            for o in c.obligations():
                out.add((o.obligor, o.protected, c.name, c.kind, c.trigger, c.against, c.unprovoked,
                         c.min_attackers, c.great_powers, c.region, c.honour))
        return out

    before, after = terms(net), terms(cf)
    assert {t for t in before if t[0] != "Italy"} == {t for t in after if t[0] != "Italy"}
    italy = {t for t in after if t[0] == "Italy"} - {t for t in before if t[0] == "Italy"}
    # Art. 3 for Italy: Germany and Austria-Hungary, on any attack by any power, provoked or not
    assert {(t[1], t[6], t[7], t[8], t[5]) for t in italy} == {("Germany", False, 1, False, None),
                                                               ("Austria-Hungary", False, 1, False, None)}
    # Italy's conditional Art. 3 obligations are gone (replaced), its Art. 2 obligation to Germany stays
    assert {(t[1], t[6]) for t in after if t[0] == "Italy" and t not in italy} == {("Germany", True)}


@pytest.mark.parametrize("h", [0.745, 0.5, 0.3])
def test_italy_bound_entry_probability_by_hand(model, h):
    """Italy's P(enter) with its pledge alone unconditional, by hand.

    Italy's pledge to Austria-Hungary is triggered once Austria-Hungary is attacked, which only Russia can do
    first (probability h): Montenegro's pledge binds only in a general war, which needs a second great power on
    Serbia's side, brought in only through Germany, hence after Russia.  Italy honours it with probability h.
    Its pledge to Germany (a separate draw) is triggered once Germany is in (h^2: Russia in, the Dual Alliance
    honoured) and attacked by France (honouring the Franco-Russian convention) or Britain (honouring the
    guarantee of Belgium): a = 1 - (1-h)^2. Italy enters through it only if it refused Austria-Hungary (1 - h).
    (Before the general-war condition Montenegro could attack first too, and the first term was a * h.)"""
    from deterrence.networks.stochastic import cascade_distribution
    net = COUNTERFACTUALS["italy_bound"].apply(model.network)
    a = 1 - (1 - h) ** 2
    d = cascade_distribution(net, model.attack, honour=h)
    assert d.p_enter["Italy"] == pytest.approx(h * h + h ** 2 * a * (1 - h) * h, abs=1e-12)
    assert d.p_enter["Germany"] == pytest.approx(h ** 2, abs=1e-12)      # Germany bound once, as in history
