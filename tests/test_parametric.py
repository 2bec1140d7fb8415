"""Parametric models: batch evaluation equals point-by-point, domain errors, symbolic view."""

import numpy as np
import pytest
import sympy
from hypothesis import given, settings, strategies as st

from deterrence.errors import ExpressionError, GameStructureError, ModelError
from deterrence.games.parametric import ParametricNormalForm, ParametricTree
from deterrence.symbolic.parameters import Parameter, Positive, Probability, Real


def deterrence_nf():
    """Challenger/defender 2x2 with a war cost c and credibility p (payoffs written by hand)."""
    return ParametricNormalForm(
        name="nf", players=["Challenger", "Defender"],
        parameters=[Parameter("p", Probability(), 0.5), Parameter("c", Positive(), 1.0)],
        actions=[["quiet", "challenge"], ["concede", "resist"]],
        payoffs={("quiet", "concede"): [0, 1], ("quiet", "resist"): [0, 1],
                 ("challenge", "concede"): [1, 0], ("challenge", "resist"): ["p*(-c) + (1-p)*1", "-c"]})


def test_point_values_by_hand():
    g = deterrence_nf().at(p=0.25, c=2.0)
    assert not g.batched
    assert g.payoffs[0, 1, 1].tolist() == [0.25 * -2 + 0.75, -2.0]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=1, max_size=20), st.floats(0.01, 100))
def test_batch_equals_points(ps, c):
    m = deterrence_nf()
    batch = m.at(p=np.array(ps), c=c)
    assert batch.batched and batch.batch_size == len(ps)
    for b, p in enumerate(ps):
        single = m.at(p=p, c=c)
        assert np.array_equal(batch.payoffs[b], single.payoffs[0])
        assert batch.payoffs[b, 1, 1, 0] == pytest.approx(p * -c + (1 - p))


def test_evaluate_batch_and_broadcast():
    m = deterrence_nf()
    g = m.evaluate_batch({"p": np.linspace(0, 1, 101)})
    assert g.batch_size == 101
    grid = m.at(p=np.linspace(0, 1, 3)[:, None], c=np.array([1.0, 2.0])[None, :])
    assert grid.batch_size == 6
    assert grid.payoffs[5, 1, 1, 1] == -2.0


@pytest.mark.parametrize("values, pattern", [
    ({"p": 1.5}, r"parameter 'p': value 1\.5 .*outside its domain \[0, 1\]"),
    ({"p": np.array([0.2, -0.1])}, r"parameter 'p': value -0\.1 at batch index \(1,\)"),
    ({"c": 0.0}, r"parameter 'c': value 0\.0 .*\(0, inf\)"),
    ({"q": 1}, r"unknown parameter\(s\) 'q'"),
])
def test_domain_errors(values, pattern):
    with pytest.raises(ModelError, match=pattern):
        deterrence_nf().at(**values)


def test_construction_errors():
    with pytest.raises(ExpressionError, match="payoff of A at .*unknown name .zz."):
        ParametricNormalForm(name="x", players=["A"], actions=[["a"]], payoffs={("a",): ["zz"]})
    with pytest.raises(GameStructureError, match="no payoffs for profile"):
        ParametricNormalForm(name="x", players=["A"], actions=[["a", "b"]], payoffs={("a",): [1]})
    with pytest.raises(GameStructureError, match="2 payoffs for 1 players"):
        ParametricNormalForm(name="x", players=["A"], actions=[["a"]], payoffs={("a",): [1, 2]})
    with pytest.raises(ModelError, match="reserved"):
        ParametricNormalForm(name="x", players=["chance"], actions=[["a"]], payoffs={("a",): [1]})


def test_non_finite_payoff_names_expression():
    m = ParametricNormalForm(name="x", players=["A"], parameters=[Parameter("c", Real(), 1.0)],
                             actions=[["a"]], payoffs={("a",): ["1/c"]})
    with pytest.raises(ExpressionError, match=r"1 / c. is not finite .* batch index \(1,\)"):
        m.at(c=np.array([1.0, 0.0]))


def tree():
    return ParametricTree(
        name="t", players=["A", "B"], parameters=[Parameter("q", Probability(), 0.5), Parameter("w", Real(), -1.0)],
        constraints=["w < 0"],
        nodes=[{"id": "n", "player": "chance", "actions": {"x": "a", "y": "z"}, "probabilities": {"x": "q", "y": "1-q"}},
               {"id": "a", "player": "A", "actions": {"fight": "f", "fold": "g"}},
               {"id": "z", "payoffs": [0, 0]},
               {"id": "f", "payoffs": ["w", "-w"], "outcome": "war"},
               {"id": "g", "payoffs": {"A": -1, "B": "q"}}])


def test_tree_batch_and_constraint():
    m = tree()
    t = m.at(q=np.array([0.0, 0.5, 1.0]), w=-3.0)
    assert t.batched and t.batch_size == 3
    assert t.chance_probs[:, :2].tolist() == [[0, 1], [0.5, 0.5], [1, 0]]
    k = t.node("g")
    assert t.payoffs[:, t.terminal[k], 1].tolist() == [0.0, 0.5, 1.0]
    with pytest.raises(ModelError, match=r"constraint 'w < 0' violated at \{'w': 2\.0\}"):
        m.at(w=2.0)
    with pytest.raises(GameStructureError, match="unreachable|not reachable"):
        ParametricTree(name="t", players=["A"], nodes=[{"id": "r", "payoffs": [0]}, {"id": "s", "payoffs": [1]}])


def test_symbolic_view_has_assumptions():
    m = tree()
    pay = m.symbolic_payoffs()
    q = m.symbols()["q"]
    assert q.is_nonnegative and pay["g"][1] == q
    assert m.symbolic_probabilities()["n"]["y"] == 1 - q
    nf = deterrence_nf().symbolic_payoffs()
    p, c = sympy.symbols("p c", real=True)
    expr = nf[("challenge", "resist")][0]
    assert sympy.simplify(expr.subs({s: sympy.Symbol(s.name, real=True) for s in expr.free_symbols})
                          - (-p * c + 1 - p)) == 0
