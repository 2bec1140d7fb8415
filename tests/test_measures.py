"""Outcome tags and named measures: model files, Python, every equilibrium, closed forms.

Reference values: Zagare and Kilgour's (2000) rudimentary deterrence game at
the defaults a_SQ = 0, a_DC = 1, a_DD = -2 has the threshold
p* = (a_DC - a_SQ)/(a_DC - a_DD) = 1/3; below it the Challenger challenges,
a Hard Defender (probability p_B) resists, so P(war) = p_B and P(challenge) = 1;
above it P(war) = 0 and P(status quo) = 1.  Chicken (ordinal 3,3 / 2,4 / 4,2 /
1,1) has the pure equilibria (swerve, straight), (straight, swerve) and the
mixed one (1/2, 1/2) by indifference (3q + 2(1-q) = 4q + (1-q)), whose
P(war) = 1/4.
"""

import numpy as np
import pytest

import deterrence
from deterrence.analysis.equilibrium_sets import _enumerate_pure, equilibrium_set
from deterrence.analysis.measure_maps import measure_map
from deterrence.analysis.measures import Measure, evaluate_measure, measure_summary
from deterrence.analysis.sweep import sweep
from deterrence.errors import ExpressionError, GameStructureError, ModelError, ModelFileError
from deterrence.games.outcome_tags import TAGS
from deterrence.io.model_file import dumps, loads

ZK = "zagare_kilgour_rudimentary_deterrence"


@pytest.fixture(scope="module")
def zk():
    return deterrence.load_model(ZK)


def _zk_text():
    return deterrence.library.model_path(ZK).read_text()


def test_tags_read_from_the_model_file(zk):
    tags = zk.outcome_tags()
    assert tags["dd_hard"] == ("challenge", "deterrence_failure", "war")
    assert "status_quo" in tags["sq_soft"] and zk.tags <= set(TAGS)
    chicken = deterrence.load_model("chicken")
    assert chicken.outcome_tags()[("straight", "straight")] == ("war",)


@pytest.mark.parametrize("tags, culprit", [('["wars"]', "unknown tag 'wars'"), ('["war", "war"]', "given twice"),
                                           ('"war"', "expected a list")])
def test_bad_tags_name_file_key_and_tag(tags, culprit):
    text = _zk_text().replace('tags = ["challenge", "deterrence_failure", "war"]', f"tags = {tags}", 1)
    with pytest.raises(ModelFileError) as exc:
        loads(text, path="zk.toml")
    msg = str(exc.value)
    assert msg.startswith("zk.toml: nodes[") and ".tags" in msg and culprit in msg


@pytest.mark.parametrize("spec, culprit", [
    ('expr = "P_wars"\nmeaning = "x"', "unknown tag 'wars'"),
    ('expr = "P_arms_race"\nmeaning = "x"', "no outcome of model"),
    ('expr = "q + 1"\nmeaning = "x"', "unknown name 'q'"),
    ('expr = "c"\nmeaning = "x"\nactions = { c = { infoset = "nobody", action = "challenge" } }', "no information set"),
    ('expr = "c"\nmeaning = "x"\nactions = { c = { infoset = "challenger", action = "fight" } }', "no action 'fight'"),
    ('expr = "c"\nmeaning = "x"\nactions = { c = { infoset = "challenger", action = "challenge", player = "Defender" } }',
     "belongs to 'Challenger'"),
    ('expr = "P_war +"\nmeaning = "x"', "measure 'bad'"),
    ('expr = "P_war"', "meaning: missing"),
    ('expr = "P_war"\nmeaning = "x"\nscale = 2', "unknown key(s) ['scale']"),
])
def test_bad_measures_name_file_key_and_culprit(spec, culprit):
    with pytest.raises(ModelFileError) as exc:
        loads(_zk_text() + f"\n[measures.bad]\n{spec}\n", path="zk.toml")
    assert str(exc.value).startswith("zk.toml: measures.bad") and culprit in str(exc.value)


def test_sweep_reports_measures_at_every_equilibrium_closed_form(zk):
    p = np.array([0.0, 0.1, 0.25, 1 / 3, 0.5, 0.9])
    t = sweep(zk, {"p_B": p})
    below, tie, above = p < 1 / 3 - 1e-12, np.isclose(p, 1 / 3), p > 1 / 3 + 1e-12
    np.testing.assert_allclose(t["P_war"][below], p[below])
    np.testing.assert_allclose(t["P_war"][above], 0)
    np.testing.assert_allclose(t["P_challenge"][below], 1)
    np.testing.assert_allclose(t["P_status_quo"][above], 1)
    # at the threshold the Challenger is indifferent: both pure equilibria, the measure as a range, no value
    assert t["equilibria_measured"][tie][0] == 2 and np.isnan(t["P_war"][tie][0])
    assert t["P_war[min]"][tie][0] == 0 and abs(t["P_war[max]"][tie][0] - 1 / 3) < 1e-12
    assert t["P_challenge[min]"][tie][0] == 0 and t["P_challenge[max]"][tie][0] == 1
    np.testing.assert_allclose(t["threshold_gap"], p - 1 / 3, atol=1e-12)
    assert t["equilibria_complete"].all()
    prov = t.meta["provenance"]
    assert prov["model"] == ZK and prov["model_hash"]["of"] == "file" and prov["concept"] == "pbe"
    assert prov["version"] == deterrence.__version__ and prov["grid"]["p_B"] == [float(x) for x in p]


def test_chicken_measure_per_equilibrium_and_range():
    m = deterrence.load_model("chicken")
    eqs = equilibrium_set(m, {}, "nash")          # no parameters: the one point
    v = evaluate_measure(m.measures["P_war"], m, eqs, {})
    assert sorted(np.round(v, 12)) == [0, 0, 0.25]
    s = measure_summary(v, eqs)
    assert np.isnan(s["value"][0]) and s["min"][0] == 0 and s["max"][0] == 0.25 and s["count"][0] == 3
    firm = Measure("firm", "x", meaning="Row stands firm", unit="probability",
                   actions={"x": {"player": "Row", "action": "straight"}})
    assert sorted(evaluate_measure(firm, m, eqs, {})) == [0, 0.5, 1]
    with pytest.raises(GameStructureError, match="no action 'fly'"):
        Measure("f", "x", actions={"x": {"player": "Row", "action": "fly"}}).bind(m)


def test_python_measure_and_probability_unit_check(zk):
    p = np.array([0.05, 0.2, 0.6])
    pts = dict(zk.point({"p_B": p})[0])
    eqs = equilibrium_set(zk, pts, "pbe")
    risk = Measure("risk", "2*P_war + p_B", meaning="a made-up index", unit="")
    np.testing.assert_allclose(evaluate_measure(risk, zk, eqs, pts), np.where(p < 1 / 3, 3 * p, p))
    bad = Measure("bad", "10*P_war", meaning="not a probability", unit="probability")
    with pytest.raises(ExpressionError, match="has unit .probability. but is 2 at point 1 "):
        evaluate_measure(bad, zk, eqs, pts)
    t = sweep(zk, {"p_B": p}, measures=[risk])
    assert "risk[max]" in t and "P_war" not in t
    assert "P_war" not in sweep(zk, {"p_B": p}, measures=[]).names
    with pytest.raises(ModelError, match="no measure 'nope'"):
        sweep(zk, {"p_B": p}, measures=["nope"])


def test_tie_enumeration_agrees_with_the_solver_off_ties(zk):
    # independent computation: brute force over the 8 pure profiles, one-shot deviations with chance beliefs
    rng = np.random.default_rng(5)
    pts = {"p_B": rng.uniform(0, 1, 12), "a_SQ": rng.uniform(-1.5, 0.5, 12)}
    game = zk.evaluate_batch(pts)
    from deterrence.solve.bayesian import bayesian_backward_induction
    res = bayesian_backward_induction(game)
    assert res.unique.all()
    for b in range(12):
        found, complete = _enumerate_pure(game[b], 1e-8)
        assert complete and len(found) == 1
        np.testing.assert_allclose(found[0][0], res.terminal_probs[b], atol=1e-12)


def test_measure_map_sign_against_threshold(zk):
    mm = measure_map(zk, "P_war", ("p_B", np.array([0.05, 0.2, 0.3, 0.5])), ("a_SQ", np.array([0.0])),
                     threshold=0.1)
    # P_war = p_B below 1/3, 0 above: > 0.1 exactly for p_B in (0.1, 1/3)
    assert mm.sign.tolist() == [[-1, 1, 1, -1]]
    np.testing.assert_allclose(mm.value, [[0.05, 0.2, 0.3, 0]])
    rm = mm.region_map()
    assert rm.label_at(0.2, 0.0) == "P_war > 0.1" and rm.label_at(0.5, 0.0) == "P_war < 0.1"
    assert mm.provenance["threshold"] == 0.1 and mm.provenance["measure"]["name"] == "P_war"


def test_round_trip_keeps_tags_measures_and_claims(zk):
    again = loads(dumps(zk))
    assert again.outcome_tags() == zk.outcome_tags()
    assert {k: v.to_dict() for k, v in again.measures.items()} == {k: v.to_dict() for k, v in zk.measures.items()}
    assert [c.to_dict() for c in again.claims] == [c.to_dict() for c in zk.claims]
    chicken = deterrence.load_model("chicken")
    assert loads(dumps(chicken)).outcome_tags() == chicken.outcome_tags()


def test_every_shipped_probability_measure_lies_in_unit_interval():
    from deterrence.analysis.sweep import default_concept
    for name in deterrence.list_models():
        m = deterrence.load_model(name)
        if not m.measures:
            continue
        if m.parameter_names:
            # open finite ends (a Cobb-Douglas weight in (0, 1)) are sampled just inside
            bounds = {p.name: (p.domain.low + (0 if p.domain.closed_low else 1e-6),
                               p.domain.high - (0 if p.domain.closed_high else 1e-6))
                      for p in m.parameters.values() if hasattr(p.domain, "closed_low")
                      and np.isfinite(p.domain.low) and np.isfinite(p.domain.high)}
            if not bounds:
                # no parameter with a finite domain (guarantors_dilemma: b > 0, c > 0 with c < b): sample the
                # region of the model's own claims
                region = next((c.spec["region"] for c in getattr(m, "claims", ()) if c.spec.get("region")), {})
                bounds = {k: tuple(v) for k, v in region.items() if isinstance(v, (list, tuple)) and len(v) == 2}
            pts = deterrence.analysis.sweep_points(m, samples=64, seed=1, bounds=bounds) if bounds else {}
        else:
            pts = {}
        eqs = equilibrium_set(m, pts, default_concept(m))
        for k, meas in m.measures.items():
            v = evaluate_measure(meas, m, eqs, pts)       # raises if a probability leaves [0, 1]
            assert v.size >= eqs.n_points, (name, k)
            if meas.is_probability:                       # and checked here, not only by the package's own guard
                assert np.all((v >= -1e-9) & (v <= 1 + 1e-9)), (name, k, float(v.min()), float(v.max()))


def test_csv_output_gets_its_provenance_beside_it(zk, tmp_path):
    import json
    out = tmp_path / "zk.csv"
    sweep(zk, {"p_B": "0:1:5"}, out=out, keep=False)
    side = json.loads((tmp_path / "zk.csv.provenance.json").read_text())
    assert side["provenance"]["model_hash"]["sha256"] == zk.metadata["sha256"]
    assert side["measures"]["P_war"]["unit"] == "probability" and side["points"] == 5
    assert "P_war[max]" in out.read_text().splitlines()[0]


def test_figures_record_their_provenance(zk, tmp_path):
    pytest.importorskip("matplotlib")
    from PIL import Image
    from deterrence.plot import plot_regions
    mm = measure_map(zk, "P_war", ("p_B", "0:1:5"), ("a_SQ", "-1:0:3"), threshold=0.1)
    png = tmp_path / "war.png"
    plot_regions(mm.region_map(), png)
    import json
    prov = json.loads(Image.open(png).info["Description"])
    assert prov["model"] == ZK and prov["measure"]["name"] == "P_war" and prov["threshold"] == 0.1
    assert prov["version"] == deterrence.__version__ and prov["grid"]["p_B"] == [0, 0.25, 0.5, 0.75, 1]


def test_streamed_sweep_reports_measure_ranges_without_rows(zk):
    p = np.array([0.0, 0.1, 0.25, 1 / 3, 0.5, 0.9])
    t = sweep(zk, {"p_B": p}, keep=False, chunk_size=2)
    assert len(t) == 0
    war = t.meta["measures"]["P_war"]
    # P(war) = p_B below 1/3 (largest: 0.25; at 1/3 itself the range reaches 1/3), 0 above
    assert war["min"] == 0 and abs(war["max"] - 1 / 3) < 1e-12 and war["points_with_several_values"] == 1


def test_saved_tables_keep_their_provenance(zk, tmp_path):
    import json
    t = sweep(zk, {"p_B": "0:1:3"})
    t.save(tmp_path / "t.csv")
    t.save(tmp_path / "t.json")
    side = json.loads((tmp_path / "t.csv.provenance.json").read_text())
    whole = json.loads((tmp_path / "t.json").read_text())
    assert side["provenance"] == whole["meta"]["provenance"]
    assert whole["meta"]["provenance"]["grid"]["p_B"] == [0.0, 0.5, 1.0]


def test_ties_are_found_whatever_the_payoff_scale(zk):
    # payoffs x 1000: the same threshold 1/3 and the same two equilibria there (scale-free tolerance)
    big = {"a_SQ": 0.0, "a_DC": 1000.0, "a_DD": -2000.0, "b_SQ": 1000.0, "b_DC": 0.0, "b_DD_hard": 500.0,
           "b_DD_soft": -1000.0}
    t = sweep(zk, {"p_B": [0.2, 1 / 3, 0.5]}, fixed=big)
    assert t["equilibria_measured"].tolist() == [1, 2, 1]
    assert t["P_war[max]"][1] == pytest.approx(1 / 3) and t["P_war[min]"][1] == 0


def test_measures_of_perfect_bayesian_equilibria_of_a_signalling_tree():
    # benchmarks/costly_escalation_signalling.toml, tagged here.  At p = 0.3, c = 0.5 (see
    # tests/test_pbe_sweep.py for the equilibria): pooling on backing down (the target resists a back-down:
    # status quo for sure), and the hybrid where the resolved type escalates and the irresolute one with
    # probability s = p/(1-p) = 3/7, so that P(resolved | escalate) = 1/2 and the target resists an escalation
    # with probability r = 1/2 (the irresolute indifferent: (1 - r)*1 - c = 0).  In the hybrid
    # P(escalate) = 0.3 + 0.7*3/7 = 0.6, P(war) = 0.6*0.5 = 0.3 and P(status quo) = 1 - 0.6 = 0.4.
    from pathlib import Path
    text = (Path(__file__).resolve().parents[1] / "benchmarks" / "costly_escalation_signalling.toml").read_text()
    for label, tag in (("war", "war"), ("status quo", "status_quo"), ("challenger wins", "capitulation")):
        text = text.replace(f'outcome = "{label}"\n', f'outcome = "{label}"\ntags = ["{tag}"]\n')
    text += '\n[measures.P_war]\nexpr = "P_war"\nmeaning = "war"\nunit = "probability"\n' \
            '\n[measures.P_sq]\nexpr = "P_status_quo"\nmeaning = "status quo"\nunit = "probability"\n'
    m = loads(text, path="costly.toml")
    t = sweep(m, {"p": [0.3], "c": [0.5, 2.5]})
    assert t["P_war[min]"][0] == 0 and t["P_war[max]"][0] == pytest.approx(0.3)
    assert t["P_sq[min]"][0] == pytest.approx(0.4) and t["P_sq[max]"][0] == 1 and np.isnan(t["P_sq"][0])
    assert t["P_sq"][1] == pytest.approx(1) and t["P_war"][1] == 0          # c = 2.5: only backing down
    assert t["equilibria_complete"].all()
    # the resolved type escalates in the hybrid (probability 1) and backs down in the pooling (0)
    esc = Measure("esc", "x", unit="probability", actions={"x": {"node": "type_resolved", "action": "escalate"}})
    t = sweep(m, {"p": [0.3], "c": [0.5]}, measures=[esc])
    assert t["esc[min]"][0] == 0 and t["esc[max]"][0] == 1 and t["equilibria_measured"][0] >= 2


def test_pure_listing_of_a_larger_normal_form():
    # Row: 3 actions, Column: 2.  Pure equilibria by hand: (a, L) [3 >= 1, 0; 2 >= 0] and (c, R) [2 >= 1, 0;
    # 1 >= 0]; (b, *) is never a best response.  The war-tagged profile (c, R) is reached in one of the two.
    from deterrence.games.parametric import ParametricNormalForm
    pay = {("a", "L"): [3, 2], ("a", "R"): [0, 0], ("b", "L"): [1, 0], ("b", "R"): [1, 3],
           ("c", "L"): [0, 0], ("c", "R"): [2, 1]}
    g = ParametricNormalForm(name="g3x2", players=["Row", "Column"], actions=[["a", "b", "c"], ["L", "R"]],
                             payoffs=pay, tags={("c", "R"): ["war"]})
    g.measures["P_war"] = Measure("P_war", "P_war", meaning="war", unit="probability")
    eqs = equilibrium_set(g, {}, "pure")
    assert eqs.counts.tolist() == [2]
    assert sorted(evaluate_measure(g.measures["P_war"], g, eqs, {})) == [0, 1]


def test_expected_outcome_quantities(zk):
    # Zagare-Kilgour with the Challenger's loss from war as a quantity of the conflict outcomes: its
    # expectation is P(war) * (-a_DD) = 2 p_B below the threshold 1/3 (defaults), 0 above
    text = _zk_text()
    text = text.replace('tags = ["challenge", "deterrence_failure", "war"]',
                        'tags = ["challenge", "deterrence_failure", "war"]\nquantities = { war_loss = "-a_DD" }')
    m = loads(text, path="zk_q.toml")
    assert m.quantity_names == {"war_loss"}
    loss = Measure("loss", "E_war_loss", meaning="expected loss from war")
    t = sweep(m, {"p_B": [0.1, 0.25, 0.5]}, measures=[loss])
    np.testing.assert_allclose(t["loss"], [0.2, 0.5, 0.0])
    again = loads(dumps(m))
    assert {k: {q: str(e) for q, e in v.items()} for k, v in again.outcome_quantities().items()} == \
        {"dd_hard": {"war_loss": "-a_DD"}, "dd_soft": {"war_loss": "-a_DD"}}
    # Chicken: sides standing firm, 0 / 1 / 2; in the mixed equilibrium each stands firm with probability 1/2
    ch = deterrence.library.model_path("chicken").read_text()
    for prof, k in (('["swerve", "straight"]', 1), ('["straight", "swerve"]', 1), ('["straight", "straight"]', 2)):
        ch = ch.replace(f"profile = {prof}\n", f"profile = {prof}\nquantities = {{ firm = {k} }}\n", 1)
    c = loads(ch, path="chicken_q.toml")
    eqs = equilibrium_set(c, {}, "nash")
    assert sorted(evaluate_measure(Measure("f", "E_firm"), c, eqs, {})) == pytest.approx([1, 1, 1])


@pytest.mark.parametrize("q, culprit", [('{ "war loss" = 1 }', "identifier"), ('{ w = "q + 1" }', "unknown"),
                                        ('5', "expected a table")])
def test_bad_quantities_name_file_and_key(q, culprit):
    text = _zk_text().replace('tags = ["challenge", "deterrence_failure", "war"]',
                              f'tags = ["challenge", "deterrence_failure", "war"]\nquantities = {q}', 1)
    with pytest.raises(ModelFileError) as exc:
        loads(text, path="zk.toml")
    assert str(exc.value).startswith("zk.toml: nodes[") and ".quantities" in str(exc.value) and culprit in str(exc.value)


def test_equilibrium_table_lists_every_equilibrium_with_its_measures(zk):
    from deterrence.analysis.equilibrium_table import equilibrium_table
    t = equilibrium_table(zk, {"p_B": [0.2, 1 / 3, 0.5]}, measures=["P_war", "P_challenge"])
    # one equilibrium at 0.2 (challenge; P(war) = 0.2) and at 0.5 (deterred), two at the threshold
    assert t["point"].tolist() == [0, 1, 1, 2] and t["equilibrium"].tolist() == [0, 0, 1, 0]
    np.testing.assert_allclose(t["P_war"][[0, 3]], [0.2, 0.0])
    assert sorted(np.round(t["P_war"][1:3], 12)) == [0, round(1 / 3, 12)]
    assert sorted(t["P_challenge"][1:3]) == [0, 1] and t["pure"].all() and t["complete"].all()
    assert t.meta["provenance"]["model"] == ZK and t.meta["equilibria"] == 4
    chicken = deterrence.load_model("chicken")
    c = equilibrium_table(chicken)
    assert len(c) == 3 and sorted(np.round(c["P_war"], 12)) == [0, 0, 0.25] and c["pure"].sum() == 2
