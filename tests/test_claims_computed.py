"""Claims over computed models (deterrence.analysis.computed): the engine's kinds on a function's measures.

The toy model is a product ``prod = x * y`` (and a probability ``p = x * y`` on the unit square): every
expected verdict, counterexample and failing region below follows from the sign of y by hand, and each
claim is also shown to fail where it should (a claim kind that cannot fail would prove nothing).
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from deterrence.analysis.claims import Claim, check_claim
from deterrence.analysis.computed import ComputedModel
from deterrence.analysis.equilibrium_sets import equilibrium_set
from deterrence.analysis.measures import Measure, evaluate_measure, measure_summary
from deterrence.analysis.provenance import model_hash
from deterrence.errors import CertificateError, ExpressionError, ModelError
from deterrence.symbolic.parameters import Interval, Parameter, ParameterSpace

SRC = {"source": "a hand computation (2026)", "words": "stated for the test"}


def product_model(name="product", shift=0.0, fn=None, unit=""):
    space = ParameterSpace([Parameter("x", Interval(-1, 1), 0.5, meaning="first factor"),
                            Parameter("y", Interval(-1, 1), 0.5, meaning="second factor")])

    def solve(p):
        return fn(p) if fn else {"prod": p["x"] * p["y"] + shift}

    return ComputedModel(name=name, players=["nobody"], parameters=space, solve=solve,
                         measures=[Measure("prod", "prod", meaning="x times y", unit=unit)],
                         concept="x * y in closed form (no equilibrium)", source="hand computation (2026)",
                         description="a product")


def test_values_and_the_listing_carry_the_function_values():
    m = product_model()
    pts = {"x": np.array([0.5, -1.0]), "y": np.array([0.5, 0.25])}
    eqs = equilibrium_set(m, pts, "whatever: a computed model ignores it")
    v = evaluate_measure(m.measures["prod"], m, eqs, pts)
    assert np.allclose(v, [0.25, -0.25]) and eqs.counts.tolist() == [1, 1]
    assert measure_summary(v, eqs)["value"].tolist() == [0.25, -0.25]
    with pytest.raises(ModelError, match="'x'"):             # domains are checked, the parameter named
        m.values({"x": 2.0})


def test_monotone_holds_where_it_should_and_fails_with_a_counterexample_where_not():
    m = product_model()
    ok = check_claim(m, dict(id="up", kind="monotone", measure="prod", parameter="x", direction="increasing",
                             region={"x": [-1, 1], "y": [0, 1]}, **SRC), samples=30)
    assert ok.verdict == "holds" and ok.counterexample is None
    mixed = check_claim(m, dict(id="up2", kind="monotone", measure="prod", parameter="x",
                                direction="increasing", region={"x": [-1, 1], "y": [-1, 1]}, **SRC), samples=40)
    assert mixed.verdict == "holds_on_share" and 0.3 < mixed.share < 0.7
    assert mixed.counterexample["y"] < 0                    # x * y falls in x exactly where y < 0
    assert mixed.failing_region["split"].startswith("y < ")
    down = check_claim(m, dict(id="down", kind="monotone", measure="prod", parameter="x",
                               direction="decreasing", region={"x": [-1, 1], "y": [0.1, 1]}, **SRC), samples=20)
    assert down.verdict == "fails"
    assert "x * y in closed form" in ok.provenance["concept"]


def test_iff_and_inequality_over_measures_and_parameters():
    m = product_model()
    iff = dict(id="sign", kind="iff", holds="prod > 0", condition="x > 0", region={"x": [-1, 1], "y": [0.1, 1]},
               **SRC)
    assert check_claim(m, iff, samples=50).verdict == "holds"
    wide = check_claim(m, dict(iff, id="sign2", region={"x": [-1, 1], "y": [-1, 1]}), samples=50)
    assert wide.verdict == "holds_on_share" and wide.counterexample["y"] < 0
    ineq = dict(id="bound", kind="inequality", holds="prod <= x", where="x >= 0", region={"x": [-1, 1], "y": [-1, 1]},
                **SRC)
    r = check_claim(m, ineq, samples=60)
    assert r.verdict == "holds" and "judged at the" in r.method
    assert check_claim(m, dict(ineq, id="bound2", holds="prod >= x"), samples=60).verdict == "fails"  # y < 1
    half = check_claim(m, dict(ineq, id="bound3", holds="prod >= 0"), samples=60)       # holds iff y >= 0
    assert half.verdict == "holds_on_share" and half.counterexample["y"] < 0


def test_compare_across_two_computed_models_by_name():
    base, shifted = product_model(), product_model("shifted", shift=0.1)
    loader = {"shifted": shifted}.__getitem__
    spec = dict(id="cmp", kind="compare", measure="prod", op="<", region={"x": [-1, 1], "y": [-1, 1]},
                variants=[{"label": "base"}, {"model": "shifted", "label": "shifted"}], **SRC)
    assert check_claim(base, spec, samples=25, loader=loader).verdict == "holds"
    assert check_claim(base, dict(spec, id="cmp2", op=">"), samples=25, loader=loader).verdict == "fails"


def test_the_engine_refuses_what_does_not_apply_to_a_computed_model():
    m = product_model()
    with pytest.raises(ExpressionError, match="computed model"):
        Claim.from_spec(dict(id="e", kind="equilibria", quantifier="unique", **SRC), m)
    with pytest.raises(ExpressionError, match="takes no concept"):
        Claim.from_spec(dict(id="c", kind="inequality", holds="prod <= 1", concept="nash", **SRC), m)
    with pytest.raises(ExpressionError, match="'P_war' is not a measure"):
        Claim.from_spec(dict(id="t", kind="inequality", holds="P_war <= 1", **SRC), m)
    with pytest.raises(ModelError, match="no game form"):
        m.at(x=0.1)
    with pytest.raises(ExpressionError, match="its own name"):
        ComputedModel(name="bad", players=["p"], parameters=[], solve=lambda p: {}, concept="c",
                      measures=[Measure("a", "1 + 1")])


def test_a_bad_function_is_caught_not_trusted():
    wrong_shape = product_model(fn=lambda p: {"prod": np.zeros(3)})
    with pytest.raises(ModelError, match="shape"):
        wrong_shape.values({"x": np.array([0.1, 0.2])})
    missing = product_model(fn=lambda p: {})
    with pytest.raises(ModelError, match="no measure 'prod'"):
        missing.values({})
    prob = product_model(fn=lambda p: {"prod": p["x"] * 3}, unit="probability")
    with pytest.raises(ExpressionError, match="probability"):
        check_claim(prob, dict(id="p", kind="inequality", holds="prod <= 1", region={"x": [0, 1]}, **SRC), samples=5)

    # a NaN or an infinity is refused, naming the measure and the point, before any claim compares it
    # (a NaN compares False with everything: an inequality claim would be judged on nothing)
    nan_at_neg = product_model(fn=lambda p: {"prod": np.where(p["x"] < 0, np.nan, p["x"] * p["y"])})
    with pytest.raises(ModelError, match=r"nan for measure 'prod' at point 1 of the batch \(x=-0.5, y=0.25\)"):
        nan_at_neg.values({"x": np.array([0.5, -0.5]), "y": 0.25})
    with pytest.raises(ModelError, match="measure 'prod'.*finite"):
        check_claim(nan_at_neg, dict(id="n", kind="inequality", holds="prod <= 1", region={"x": [-1, 1]}, **SRC),
                    samples=5)
    inf = product_model(fn=lambda p: {"prod": np.divide(p["x"], p["y"], out=np.full(len(p["x"]), np.inf),
                                                        where=p["y"] != 0)})
    with pytest.raises(ModelError, match=r"inf for measure 'prod' at point 0 of the batch \(x=0.5, y=0\)"):
        inf.values({"x": 0.5, "y": 0.0})
    nan_prob = product_model(fn=lambda p: {"prod": np.full(len(p["x"]), np.nan)}, unit="probability")
    with pytest.raises(ModelError, match="nan for measure 'prod'"):
        nan_prob.values({})

    def uncertified(p):
        raise CertificateError("no certificate")

    with pytest.raises(CertificateError):
        check_claim(product_model(fn=uncertified), dict(id="q", kind="inequality", holds="prod <= 1", **SRC))


def test_provenance_names_the_computed_structure_and_is_strict_json():
    a, b = product_model(), product_model(shift=1.0)
    r = check_claim(a, dict(id="b", kind="inequality", holds="prod <= 1", region={"x": [-1, 1]}, **SRC), samples=5)
    json.dumps(r.to_dict(), allow_nan=False, default=str)
    assert r.provenance["model_hash"] == model_hash(a)
    c = ComputedModel(name="product", players=["nobody"], parameters=a.parameters, solve=lambda p: {},
                      measures=[Measure("prod", "prod")], concept="something else")
    assert model_hash(c) != model_hash(a) and model_hash(b) == model_hash(a)   # the structure, not the code
