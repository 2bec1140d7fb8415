"""Claims as data, checked to verdicts that agree with closed forms.

Zagare and Kilgour (2000): the Challenger challenges iff
p_B < p* = (a_DC - a_SQ)/(a_DC - a_DD); below p*, P(war) = p_B (a Hard Defender
resists), above it the status quo holds.  Chicken and Stag Hunt: the
equilibria are worked out by hand in tests/test_measures.py's docstring
(Stag Hunt 4,4 / 1,3 / 3,1 / 2,2: (stag, stag), (hare, hare) and the mixed
q = 1/2 from 4q + (1-q) = 3q + 2(1-q)).
"""

import json

import pytest

import deterrence
from deterrence.analysis.claims import Claim, check_claim, check_claims
from deterrence.analysis.provenance import DEFAULT_SEED
from deterrence.cli import main
from deterrence.errors import ModelError, ModelFileError
from deterrence.io.model_file import loads

ZK = "zagare_kilgour_rudimentary_deterrence"
SRC = {"source": "Test (2026)", "words": "test"}


@pytest.fixture(scope="module")
def zk():
    return deterrence.load_model(ZK)


@pytest.fixture(scope="module")
def essay():
    """The essay claims (claims.md C1, C4) read against the Zagare-Kilgour model: a claims file beside it."""
    cf = deterrence.library.load_claims_file("essay_claims_zagare_kilgour")
    return {c.id: c for c in cf.claims}


def spec_of(model, claim_id):
    return dict(next(c for c in model.claims if c.id == claim_id).spec)


def threshold(p):
    return (p["a_DC"] - p["a_SQ"]) / (p["a_DC"] - p["a_DD"])


def test_threshold_claim_holds(zk):
    r = check_claim(zk, "credibility_threshold", samples=40)
    assert r.verdict == "holds" and r.share == 1 and r.n_points == 40 and r.counterexample is None
    assert "N=40" in r.method and f"seed={DEFAULT_SEED}" in r.method


def test_a_wrong_threshold_is_caught_near_the_true_one(zk):
    # the same claim with the threshold shifted by 0.05 fails exactly where p_B lies between the two
    spec = dict(spec_of(zk, "credibility_threshold"), id="shifted", condition="p_B > (a_DC - a_SQ)/(a_DC - a_DD) + 0.05")
    r = check_claim(zk, spec, samples=300)
    assert r.verdict == "holds_on_share" and 0 < r.share < 1
    c = r.counterexample
    assert threshold(c) < c["p_B"] <= threshold(c) + 0.05


def test_unconditional_deterrence_holds_on_two_thirds(zk, essay):
    r = check_claim(zk, essay["commitment_deters"], samples=90)
    # p_B ~ U[0, 1] by a Latin hypercube of 90 strata; holds iff p_B > 1/3: 60 of the 90 strata
    assert r.verdict == "holds_on_share" and abs(r.share - 2 / 3) <= 1 / 90 + 1e-12
    assert r.counterexample["p_B"] < 1 / 3 and r.counterexample["found"]["P_status_quo"] == 0
    lo, hi = r.failing_region["box"]["p_B"]
    assert hi < 1 / 3 and r.failing_region["split"].startswith("p_B < ")
    cut = float(r.failing_region["split"].split()[2])
    assert abs(cut - 1 / 3) < 2 / 90


def test_refuted_claim_with_a_counterexample_on_the_closed_form(zk, essay):
    r = check_claim(zk, essay["fragile_commitment_raises_war_risk"], samples=12)
    assert r.verdict == "fails" and r.share == 0
    c = r.counterexample
    x0, x1 = c["p_B"]
    # P(war) = p_B below the threshold: it rises from x0 to x1
    assert x1 < threshold(c) and c["found"]["P_war"] == pytest.approx([x0, x1])


def test_monotone_and_compare_claims_hold(zk):
    assert check_claim(zk, "challenge_decreasing_in_credibility", samples=10).verdict == "holds"
    assert check_claim(zk, "costlier_war_deters", samples=50).verdict == "holds"


def test_reversed_comparison_fails_between_the_two_thresholds(zk):
    spec = dict(spec_of(zk, "costlier_war_deters"), id="reversed", op=">")
    r = check_claim(zk, spec, samples=200)
    assert r.verdict in ("fails", "holds_on_share")
    c = r.counterexample
    # equal P(challenge) everywhere except between p*(a_DD=-3) and p*(a_DD=-2), where it is 0 versus 1
    assert c["found"]["P_challenge[a_DD = -3]"] <= c["found"]["P_challenge[a_DD = -2]"]


def test_equilibrium_structure_of_chicken_and_stag_hunt_is_proven():
    for name in ("chicken", "stag_hunt", "prisoners_dilemma"):
        for r in check_claims(deterrence.load_model(name)):
            assert r.verdict == "proven", (name, r.claim.id, r.method)
            assert "exact rational enumeration" in r.method
    sh = deterrence.load_model("stag_hunt")
    r = check_claim(sh, dict(kind="equilibria", id="u", quantifier="unique", **SRC))
    assert r.verdict == "fails" and r.counterexample["found"]["equilibria"] == 3
    r = check_claim(sh, dict(kind="equilibria", id="m", type="mixed", quantifier="count", count=1, **SRC))
    assert r.verdict == "proven"
    r = check_claim(sh, dict(kind="equilibria", id="w", profile=["stag", "hare"], quantifier="exists", **SRC))
    assert r.verdict == "fails"


def test_sampled_equilibria_claim_on_a_parametric_tree(zk):
    # a unique pure equilibrium at every sampled point (ties have probability zero)
    spec = dict(kind="equilibria", id="u", quantifier="unique", region={"p_B": [0, 1]}, **SRC)
    assert check_claim(zk, spec, samples=30).verdict == "holds"


def test_reproducible_and_recorded(zk, essay):
    a = check_claim(zk, essay["commitment_deters"], samples=25, seed=3).to_dict()
    b = check_claim(zk, essay["commitment_deters"], samples=25, seed=3).to_dict()
    assert json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)
    prov = a["provenance"]
    assert prov["seed"] == 3 and prov["sample"]["n"] == 25 and prov["version"] == deterrence.__version__
    assert prov["model_hash"]["sha256"] and prov["concept"] == "pbe"
    assert check_claim(zk, essay["commitment_deters"], samples=25).provenance["seed"] == DEFAULT_SEED
    assert prov["claims_file"]["path"].endswith("essay_claims_zagare_kilgour.toml") and prov["claims_file"]["sha256"]


@pytest.mark.parametrize("claim, culprit", [
    ('id = "x"\nkind = "sometimes"', "claims[0].kind: unknown claim kind 'sometimes'"),
    ('id = "x"\nkind = "monotone"\nmeasure = "P_war"\nparameter = "p_B"\ndirection = "increasing"\n'
     'region = { p_B = [0, 1] }\nwords = "w"', "claims[0].source: missing"),
    ('id = "x"\nkind = "monotone"\nmeasure = "P_peace"\nparameter = "p_B"\ndirection = "increasing"\n'
     'region = { p_B = [0, 1] }\nwords = "w"\nsource = "s"', "claims[0].measure: unknown measure 'P_peace'"),
    ('id = "x"\nkind = "monotone"\nmeasure = "P_war"\nparameter = "p_B"\ndirection = "up"\n'
     'region = { p_B = [0, 1] }\nwords = "w"\nsource = "s"', "claims[0].direction"),
    ('id = "x"\nkind = "inequality"\nholds = "P_war <= 1"\nregion = { p_B = [0, 2] }\nwords = "w"\nsource = "s"',
     "claims[0].region.p_B: [0, 2] leaves the domain"),
    ('id = "x"\nkind = "inequality"\nholds = "P_war <= 1"\nregion = { q = [0, 1] }\nwords = "w"\nsource = "s"',
     "claims[0].region.q: unknown parameter 'q'"),
    ('id = "x"\nkind = "inequality"\nholds = "P_war"\nwords = "w"\nsource = "s"', "has no comparison"),
    ('id = "x"\nkind = "inequality"\nholds = "P_wars <= 1"\nwords = "w"\nsource = "s"', "unknown tag 'wars'"),
    ('id = "x"\nkind = "iff"\nholds = "P_war <= 1"\ncondition = "P_war < 1"\nwords = "w"\nsource = "s"',
     "are not parameters"),
    ('id = "x"\nkind = "equilibria"\nprofile = ["a", "b"]\nwords = "w"\nsource = "s"', "only normal-form"),
    ('id = "x"\nkind = "inequality"\nholds = "P_war <= 1"\nwords = "w"\nsource = "s"\nextra = 1', "unknown key(s) ['extra']"),
])
def test_malformed_claims_name_file_key_and_culprit(claim, culprit):
    text = deterrence.library.model_path(ZK).read_text()
    text = text[:text.index("[[claims]]")] + "[[claims]]\n" + claim + "\n"
    with pytest.raises(ModelFileError) as exc:
        loads(text, path="zk.toml")
    assert str(exc.value).startswith("zk.toml: claims[0]") and culprit in str(exc.value), str(exc.value)


def test_duplicate_claim_ids_are_refused():
    text = deterrence.library.model_path(ZK).read_text()
    text = text.replace('id = "challenge_decreasing_in_credibility"', 'id = "credibility_threshold"')
    with pytest.raises(ModelFileError, match=r"claims\[1\]\.id: claim id 'credibility_threshold' already used"):
        loads(text, path="zk.toml")


def test_python_claims_and_unknown_claim(zk):
    with pytest.raises(ModelError, match="has no claim 'nope'"):
        check_claim(zk, "nope")
    c = Claim.from_spec(dict(kind="inequality", id="bound", holds="P_war <= p_B", region={"p_B": [0, 1]}, **SRC), zk)
    assert check_claim(zk, c, samples=20).verdict == "holds"      # war needs a Hard Defender


def test_cli_claims_table_json_and_exit_codes(capsys):
    assert main(["claims", "chicken"]) == 0
    out = capsys.readouterr().out
    assert "chicken:chicken_two_pure_equilibria" in out and "proven" in out and "Rapoport" in out
    assert main(["claims", ZK, "--json", "--samples", "12"]) == 0
    rows = json.loads(capsys.readouterr().out)
    verdicts = {r["claim"]["id"]: r["verdict"] for r in rows}
    assert verdicts["fragile_commitment_raises_war_risk"] == "fails"      # from the claims file beside it
    assert verdicts["credibility_threshold"] == "holds"
    assert all(r["provenance"]["seed"] == DEFAULT_SEED for r in rows)
    assert main(["claims", "no_such_model"]) == 2
    assert main(["claims", "deadlock"]) == 2          # a model without claims: said, not an empty table
    capsys.readouterr()


def test_cli_solve_reports_measures_per_equilibrium(capsys):
    assert main(["solve", ZK, "--set", f"p_B={1 / 3!r}", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    war = r["measures"]["P_war"]
    assert sorted(war["values"]) == pytest.approx([0, 1 / 3]) and war["min"] == 0
    assert r["provenance"]["model"] == ZK and r["provenance"]["point"]["p_B"] == pytest.approx(1 / 3)


def test_continuum_of_mixed_equilibria_is_never_counted_as_none():
    # Row's first action strictly dominates (1 + x > 0, 1 > 0); Column is indifferent against it, so
    # (first, q) is an equilibrium for every q in [0, 1]: two extreme (pure) equilibria, infinitely many mixed
    from deterrence.games.parametric import ParametricNormalForm
    from deterrence.symbolic.parameters import Interval, Parameter
    for params, region in (([], {}), ([Parameter("x", Interval(0, 1), default=0.5)], {"x": [0, 1]})):
        row = "1 + x" if params else "1"
        g = ParametricNormalForm(name="flat", players=["Row", "Column"], actions=[["a", "b"], ["c", "d"]],
                                 payoffs={("a", "c"): [row, 1], ("a", "d"): [1, 1], ("b", "c"): [0, 0],
                                          ("b", "d"): [0, 0]}, parameters=params)
        base = dict(kind="equilibria", region=region, samples=5, **SRC)
        none = check_claim(g, dict(base, id="n", type="mixed", quantifier="none"))
        assert none.verdict == "fails", none.method
        assert check_claim(g, dict(base, id="e", type="mixed", quantifier="exists")).verdict in ("proven", "holds")
        assert check_claim(g, dict(base, id="u", quantifier="unique")).verdict == "fails"
        assert check_claim(g, dict(base, id="c", type="pure", quantifier="count", count=2)).verdict in ("proven",
                                                                                                          "holds")
        assert check_claim(g, dict(base, id="k", type="any", quantifier="count", count=2)).verdict == "fails"


def test_inequality_is_judged_only_where_its_premise_holds(zk):
    region = {"p_B": [0, 1], "a_SQ": [-1.5, 0.5]}
    below = dict(kind="inequality", id="b", holds="P_war == p_B", where="p_B < (a_DC - a_SQ)/(a_DC - a_DD)",
                 region=region, **SRC)
    r = check_claim(zk, below, samples=60)
    assert r.verdict == "holds" and 0 < r.n_points < 60 and r.provenance["sample"]["premise_points"] == r.n_points
    # without the premise the closed form P(war) = p_B fails above the threshold, where P(war) = 0
    r = check_claim(zk, {k: v for k, v in below.items() if k != "where"},
                    samples=60)
    assert r.verdict == "holds_on_share" and r.counterexample["p_B"] > threshold(r.counterexample)
    with pytest.raises(ModelError, match="no sampled point satisfies its premise"):
        check_claim(zk, dict(below, where="p_B > 2"), samples=10)


def test_monotone_proven_symbolically_only_where_the_piecewise_analysis_proves_it(zk):
    # P(status quo) is 0 below the threshold and 1 above: non-decreasing in p_B, jumps included
    r = check_claim(zk, "deterrence_increasing_in_credibility", samples=8)
    assert r.verdict == "proven" and "proven symbolically" in r.method
    assert r.provenance["proof"]["quantity"] == "P(status quo (SQ))"
    # the opposite direction is false: sampled, refuted, never proven
    spec = dict(spec_of(zk, "deterrence_increasing_in_credibility"), id="opposite", direction="decreasing")
    r = check_claim(zk, spec, samples=8)
    assert r.verdict == "fails" and r.counterexample is not None
    # P(war) rises with p_B within the first regime and jumps down at the threshold: not increasing either
    spec = dict(spec_of(zk, "deterrence_increasing_in_credibility"), id="war_up", measure="P_war")
    assert check_claim(zk, spec, samples=8).verdict == "fails"
    # an action measure is not a quantity of the symbolic analysis: sampled, not proven
    assert check_claim(zk, "challenge_decreasing_in_credibility", samples=8).verdict == "holds"


def test_points_outside_the_constraints_are_dropped_not_judged(zk):
    # a_DD = -2 (default) < a_SQ is a constraint: base points with a_SQ < -2 have no admissible line
    spec = dict(spec_of(zk, "challenge_decreasing_in_credibility"), id="wide", region={"p_B": [0, 1], "a_SQ": [-3, 0.5]})
    r = check_claim(zk, spec, samples=20)
    assert r.verdict == "holds" and r.n_points < 20 and "dropped" in r.method
    # a compare claim whose variant a_DD = -2 needs a_SQ > -2: such points are redrawn, never judged
    spec = dict(spec_of(zk, "costlier_war_deters"), id="wide_cmp", region={"p_B": [0, 1], "a_SQ": [-2.5, 0.5]})
    r = check_claim(zk, spec, samples=30)
    assert r.verdict == "holds" and r.n_points == 30


@pytest.mark.parametrize("name", deterrence.list_models())
def test_every_shipped_model_cites_a_source_and_every_claim_is_checked(name):
    from deterrence.analysis.claims import VERDICTS
    m = deterrence.load_model(name)
    assert m.source and m.source.strip()
    for r in check_claims(m, samples=8, loader=deterrence.load_model):
        assert r.verdict in VERDICTS and r.claim.source.strip() and r.claim.words.strip()
        assert (r.counterexample is None) == (r.verdict in ("proven", "holds"))
        doc = json.dumps(r.to_dict(), allow_nan=False, default=str)      # strict JSON
        assert r.provenance["model_hash"]["sha256"] in doc


def test_show_lists_tags_measures_and_claims(capsys):
    assert main(["show", "chicken", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["tags"]["straight, straight"] == ["war"] and d["measures"][0]["name"] == "P_war"
    assert {c["id"] for c in d["claims"]} >= {"chicken_no_war_equilibrium"}
    assert main(["show", ZK]) == 0
    out = capsys.readouterr().out
    assert "tags [challenge, deterrence_failure, war]" in out and "credibility_threshold (iff)" in out


def test_cli_sweep_heat_map_of_a_measure_records_provenance(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    from PIL import Image
    png = tmp_path / "war.png"
    assert main(["sweep", ZK, "--grid", "p_B=0:1:9", "--grid", "a_SQ=-1:0:5", "--measure", "P_war",
                 "--threshold", "0.1", "--plot", str(png), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert list(summary["measures"]) == ["P_war"] and summary["measures"]["P_war"]["max"] <= 2 / 3
    prov = json.loads(Image.open(png).info["Description"])["provenance"]
    assert prov["measure"]["name"] == "P_war" and prov["threshold"] == 0.1
    assert main(["sweep", ZK, "--grid", "p_B=0:1:3", "--threshold", "0.1"]) == 2
    capsys.readouterr()


def test_a_tie_in_a_tree_is_infinitely_many_equilibria(zk):
    # at p_B = 1/3 the Challenger is indifferent: two pure equilibria, and every mixture of its two actions
    base = dict(kind="equilibria", fixed={"p_B": 1 / 3}, **SRC)
    assert check_claim(zk, dict(base, id="p", type="pure", quantifier="count", count=2)).verdict == "holds"
    assert check_claim(zk, dict(base, id="a", quantifier="count", count=2)).verdict == "fails"
    assert check_claim(zk, dict(base, id="u", quantifier="unique")).verdict == "fails"
    with pytest.raises(ModelError, match="lists pure equilibria only"):
        check_claim(zk, dict(base, id="m", type="mixed", quantifier="exists"))


def test_compare_two_models_through_a_loader(zk):
    # a variant file of the same game whose war is costlier for the Challenger (a_DD default -3): its
    # threshold (a_DC - a_SQ)/(a_DC - a_DD) is lower, so it is never challenged more often at the same p_B
    text = deterrence.library.model_path(ZK).read_text()
    text = text[:text.index("[[claims]]")]
    costly = loads(text.replace('name = "zagare_kilgour_rudimentary_deterrence"', 'name = "zk_costly"')
                   .replace("default = -2\n", "default = -3\n", 1), path="zk_costly.toml")
    assert costly.defaults()["a_DD"] == -3
    spec = dict(kind="compare", id="m", measure="P_challenge", op="<=", region={"p_B": [0, 1]},
                variants=[{"model": "zk_costly"}, {}], **SRC)
    with pytest.raises(ModelError, match="pass loader="):
        check_claim(zk, spec, samples=10)
    r = check_claim(zk, spec, samples=40, loader={"zk_costly": costly}.__getitem__)
    assert r.verdict == "holds"
    r = check_claim(zk, dict(spec, op=">="), samples=40, loader={"zk_costly": costly}.__getitem__)
    # equal except for 1/4 < p_B < 1/3, where the costly variant deters and the default does not
    assert r.verdict == "holds_on_share" and 0.25 < r.counterexample["p_B"] < 1 / 3


def test_claims_files_are_validated_like_model_files(tmp_path):
    from deterrence.io.claims_file import load_claims
    good = deterrence.library.model_path(ZK)
    f = tmp_path / "c.toml"
    f.write_text(f'model = "{good}"\n[[claims]]\nid = "b"\nkind = "inequality"\nholds = "P_war <= p_B"\n'
                 f'region = {{ p_B = [0, 1] }}\nsource = "s (2026)"\nwords = "w"\n')
    cf = load_claims(f)
    assert cf.model.name == ZK and check_claim(cf.model, cf.claims[0], samples=10).verdict == "holds"
    for body, culprit in (('model = "nope"\n[[claims]]\nid = "x"', "model: "),
                          (f'model = "{good}"\n', "claims: expected one or more"),
                          (f'model = "{good}"\nextra = 1\n[[claims]]\nid = "x"', "unknown key(s) ['extra']"),
                          (f'model = "{good}"\n[[claims]]\nid = "credibility_threshold"\nkind = "inequality"\n'
                           f'holds = "P_war <= 1"\nsource = "s"\nwords = "w"', "claims[0].id: claim id")):
        f.write_text(body)
        with pytest.raises(ModelFileError) as exc:
            load_claims(f, loader=deterrence.load_model)
        assert str(exc.value).startswith(str(f)) and culprit in str(exc.value), str(exc.value)


def test_cli_checks_claims_files_with_their_model(capsys):
    assert main(["claims", ZK, "--json", "--samples", "8"]) == 0
    ids = {r["claim"]["id"] for r in json.loads(capsys.readouterr().out)}
    assert {"credibility_threshold", "commitment_deters", "fragile_commitment_raises_war_risk"} <= ids
    assert main(["claims", "essay_claims_zagare_kilgour", "--json", "--samples", "8"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["claim"]["id"] for r in rows} == {"commitment_deters", "fragile_commitment_raises_war_risk"}
    assert all(r["claim"]["claims_file"]["path"].endswith("essay_claims_zagare_kilgour.toml") for r in rows)


@pytest.mark.parametrize("variants, culprit", [("[{ set = 5 }, {}]", "variants[0].set: expected a table"),
                                               ("[{ model = 5 }, {}]", "variants[0].model: expected"),
                                               ("[{ label = 5 }, {}]", "variants[0].label: expected"),
                                               ("[{ set = { q = 1 } }, {}]", "unknown parameter 'q'")])
def test_malformed_variants_name_the_key(variants, culprit):
    text = deterrence.library.model_path(ZK).read_text()
    text = text[:text.index("[[claims]]")] + ('[[claims]]\nid = "x"\nkind = "compare"\nmeasure = "P_war"\nop = "<"\n'
                                               f'variants = {variants}\nsource = "s"\nwords = "w"\n')
    with pytest.raises(ModelFileError) as exc:
        loads(text, path="zk.toml")
    assert str(exc.value).startswith("zk.toml: claims[0]") and culprit in str(exc.value), str(exc.value)


def test_cli_reports_a_claim_it_cannot_check_and_checks_the_others(capsys, tmp_path):
    # a premise no point satisfies cannot be judged: that claim is an error (exit 2), the other is checked
    text = deterrence.library.model_path(ZK).read_text()
    text = text[:text.index("[[claims]]")] + (
        '[[claims]]\nid = "never"\nkind = "inequality"\nholds = "P_war <= 1"\nwhere = "p_B > 2"\n'
        'region = { p_B = [0, 1] }\nsource = "s (2026)"\nwords = "w"\n\n'
        '[[claims]]\nid = "bound"\nkind = "inequality"\nholds = "P_war <= p_B"\nregion = { p_B = [0, 1] }\n'
        'source = "s (2026)"\nwords = "w"\n')
    f = tmp_path / "zk_local.toml"
    f.write_text(text)
    assert main(["claims", str(f), "--json", "--samples", "8"]) == 2
    rows = {r["claim"]["id"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["bound"]["verdict"] == "holds" and rows["never"]["verdict"] == "error"
    assert "premise" in rows["never"]["error"]
