"""Tests of parameters, domains and parameter spaces (deterrence.symbolic.parameters)."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.errors import ModelError
from deterrence.symbolic import (
    Integer,
    Interval,
    NonNegative,
    Parameter,
    ParameterSpace,
    Positive,
    Probability,
    Real,
    parse,
)

# ---------------------------------------------------------------------------
# Domains
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "domain, values, expected",
    [
        (Probability(), [-0.1, 0.0, 0.5, 1.0, 1.1, np.nan, np.inf], [0, 1, 1, 1, 0, 0, 0]),
        (Positive(), [-1.0, 0.0, 1e-300, 5.0, np.inf], [0, 0, 1, 1, 0]),
        (NonNegative(), [-1e-300, 0.0, 7.0, np.inf], [0, 1, 1, 0]),
        (Real(), [-1e300, 0.0, 1e300, np.inf, -np.inf, np.nan], [1, 1, 1, 0, 0, 0]),
        (Interval(0, 1, closed_low=False), [0.0, 0.5, 1.0], [0, 1, 1]),
        (Interval(0, 1, closed_high=False), [0.0, 0.5, 1.0], [1, 1, 0]),
        (Interval(-2, 3), [-2.0, -2.5, 3.0, 3.5], [1, 0, 1, 0]),
        (Interval(2, 2), [2.0, 2.0000001], [1, 0]),
        (Integer(1, 3), [0.0, 1.0, 1.5, 2.0, 3.0, 4.0, np.nan], [0, 1, 0, 1, 1, 0, 0]),
        (Integer(), [-7.0, 0.5, 1e6, np.inf], [1, 0, 1, 0]),
    ],
)
def test_contains_is_vectorized(domain, values, expected):
    got = domain.contains(np.array(values))
    assert got.dtype == bool
    np.testing.assert_array_equal(got, np.array(expected, dtype=bool))
    grid = np.array(values).reshape(-1, 1) * np.ones((1, 2))
    assert domain.contains(grid).shape == grid.shape


def test_domain_text_and_equality():
    assert str(Probability()) == "[0, 1]"
    assert str(Positive()) == "(0, inf)"
    assert str(NonNegative()) == "[0, inf)"
    assert str(Interval(0, 1, closed_low=False)) == "(0, 1]"
    assert str(Integer(1, 3)) == "integers in [1, 3]"
    assert Probability() == Probability() and hash(Probability()) == hash(Probability())
    assert Probability() != Interval(0, 1)  # the named domain is kept
    assert 0.5 in Probability() and 2 not in Probability()


@pytest.mark.parametrize(
    "make", [lambda: Interval(1, 0), lambda: Interval(1, 1, closed_low=False), lambda: Interval(np.nan, 1),
             lambda: Integer(3, 1), lambda: Integer(0.5, 2)]
)
def test_bad_domains(make):
    with pytest.raises(ModelError):
        make()


def test_sympy_assumptions():
    assert Positive().assumptions() == {"real": True, "positive": True}
    assert Probability().assumptions() == {"real": True, "nonnegative": True}
    assert Interval(-1, 0, closed_high=False).assumptions() == {"real": True, "negative": True}
    assert Integer(0, None).assumptions() == {"integer": True, "nonnegative": True}
    c = Parameter("c", Positive(), 1.0).symbol()
    assert c.is_positive and sympy.sqrt(c**2) == c
    p = Parameter("p", Probability(), 0.5).symbol()
    assert p.is_nonnegative and p.is_real and sympy.Abs(p) == p
    n = Parameter("n", Integer(1, 10), 2).symbol()
    assert n.is_integer and n.is_positive


# ---------------------------------------------------------------------------
# Parameters
# ---------------------------------------------------------------------------


def test_parameter_validation():
    p = Parameter("credibility", Probability(), 0.5, meaning="probability the threat is carried out",
                  source="Huth (1988)")
    np.testing.assert_array_equal(p.check([0.0, 0.25, 1.0]), [0.0, 0.25, 1.0])
    with pytest.raises(ModelError) as info:
        p.check([0.2, 1.5, -1.0])
    msg = str(info.value)
    assert "'credibility'" in msg and "1.5" in msg and "(1,)" in msg and "[0, 1]" in msg
    with pytest.raises(ModelError, match="'credibility'.*real number"):
        p.check("high")
    with pytest.raises(ModelError, match="default 2.*outside its domain \\[0, 1\\]"):
        Parameter("q", Probability(), 2.0)
    for bad in ["exp", "a b", "2x", "\u03b1", ""]:
        with pytest.raises(ModelError):
            Parameter(bad, Real(), 0.0)
    with pytest.raises(ModelError, match="Domain"):
        Parameter("x", (0, 1), 0.5)  # type: ignore[arg-type]


# ---------------------------------------------------------------------------
# Parameter spaces
# ---------------------------------------------------------------------------


@pytest.fixture
def space():
    return ParameterSpace(
        [
            Parameter("p", Probability(), 0.5, meaning="credibility of the defender's threat"),
            Parameter("cost", Positive(), 1.0, unit="utils"),
            Parameter("n", Integer(1, 4), 2),
            Parameter("x", Real(), None),
        ]
    )


def test_space_mapping(space):
    assert space.names == ("p", "cost", "n", "x")
    assert len(space) == 4 and "p" in space and "q" not in space and space.get("q") is None
    assert space["cost"].unit == "utils"
    assert space.defaults() == {"p": 0.5, "cost": 1.0, "n": 2.0}
    with pytest.raises(ModelError, match="defined twice"):
        ParameterSpace([Parameter("a", Real(), 0), Parameter("a", Real(), 1)])
    with pytest.raises(ModelError, match="'q'"):
        space["q"]


def test_validate_point_and_batch(space):
    point = space.validate({"x": 3.0})
    assert list(point) == ["p", "cost", "n", "x"]
    assert all(a.shape == () for a in point.values())
    assert float(point["p"]) == 0.5 and float(point["x"]) == 3.0

    batch = space.validate({"p": [0.1, 0.2, 0.3], "x": 0.0, "n": np.array([1, 2, 4])})
    assert all(a.shape == (3,) for a in batch.values())
    np.testing.assert_array_equal(batch["cost"], [1.0, 1.0, 1.0])
    np.testing.assert_array_equal(batch["n"], [1.0, 2.0, 4.0])


def test_validate_errors_name_the_culprit(space):
    with pytest.raises(ModelError, match="'cots'.*did you mean 'cost'"):
        space.validate({"cots": 1.0, "x": 0.0})
    with pytest.raises(ModelError, match="'x' has no default"):
        space.validate({"p": 0.3})
    with pytest.raises(ModelError, match="broadcast.*p: \\(2,\\).*cost: \\(3,\\)"):
        space.validate({"p": [0.1, 0.2], "cost": [1.0, 2.0, 3.0], "x": 0.0})
    with pytest.raises(ModelError, match="'cost'.*-1.0.*\\(0, inf\\)"):
        space.validate({"cost": [-1.0, 1.0], "x": 0.0})
    with pytest.raises(ModelError, match="'n'.*2.5.*integers"):
        space.validate({"n": 2.5, "x": 0.0})
    assert space.validate({"p": 0.2}, fill_defaults=False) == {"p": np.asarray(0.2)}


def test_symbols_make_thresholds_simplify(space):
    syms = space.symbols()
    assert syms["cost"].is_positive and syms["p"].is_nonnegative
    # The defender fights iff p * (gain) >= cost; with gain = cost / p the
    # break-even is exact only if sympy knows p is real and cost positive:
    e = parse("sqrt(cost**2) - cost + abs(p) - p", names=space.names)
    assert e.to_sympy(syms) == 0
    # Threshold on p where p*x - (1-p)*cost = 0: p* = cost/(x + cost) (by hand).
    lhs = parse("p*x - (1-p)*cost").to_sympy(syms)
    (sol,) = sympy.solve(lhs, syms["p"])
    assert sympy.simplify(sol - syms["cost"] / (syms["x"] + syms["cost"])) == 0


def test_grid(space):
    g = space.grid(p=3, n=[1, 3], x=[0.0])
    # 3 * 2 * 1 points; the first axis varies slowest.
    np.testing.assert_array_equal(g["p"], [0.0, 0.0, 0.5, 0.5, 1.0, 1.0])
    np.testing.assert_array_equal(g["n"], [1, 3, 1, 3, 1, 3])
    np.testing.assert_array_equal(g["cost"], np.ones(6))
    np.testing.assert_array_equal(space.grid(n=10, x=[0.0])["n"], [1, 2, 3, 4])
    with pytest.raises(ModelError, match="closed bounded"):
        space.grid(cost=5, x=[0.0])
    with pytest.raises(ModelError, match="'p'.*1.5"):
        space.grid(p=[0.5, 1.5], x=[0.0])
    with pytest.raises(ModelError, match="'q'"):
        space.grid(q=[1.0])
    # The grid feeds an expression evaluation directly.
    u = parse("p*x - (1-p)*cost").evaluate(space.grid(p=[0.0, 1.0], x=[2.0]))
    np.testing.assert_array_equal(u, [-1.0, 2.0])


def test_latin_hypercube_strata(space):
    n = 50
    s = space.latin_hypercube(n, ["p", "cost", "x"], seed=7, bounds={"cost": (1.0, 3.0), "x": (-1.0, 1.0)})
    assert all(a.shape == (n,) for a in s.values())
    # LHS property: each of the n equal strata of each swept range holds exactly one point.
    for name, (lo, hi) in {"p": (0.0, 1.0), "cost": (1.0, 3.0), "x": (-1.0, 1.0)}.items():
        strata = np.floor((s[name] - lo) / (hi - lo) * n).astype(int)
        np.testing.assert_array_equal(np.sort(strata), np.arange(n))
    np.testing.assert_array_equal(s["n"], np.full(n, 2.0))
    again = space.latin_hypercube(n, ["p", "cost", "x"], seed=7, bounds={"cost": (1.0, 3.0), "x": (-1.0, 1.0)})
    np.testing.assert_array_equal(again["p"], s["p"])
    # Integer parameter: 8 points over 4 integers -> each integer exactly twice.
    ints = ParameterSpace([Parameter("n", Integer(1, 4), 2)]).latin_hypercube(8, seed=1)
    np.testing.assert_array_equal(np.bincount(ints["n"].astype(int)), [0, 2, 2, 2, 2])


def test_latin_hypercube_errors(space):
    with pytest.raises(ModelError, match="'cost' needs finite bounds"):
        space.latin_hypercube(5, ["cost"], bounds={})
    with pytest.raises(ModelError, match="n must be a positive integer"):
        space.latin_hypercube(0, ["p"])
    with pytest.raises(ModelError, match="'cost'.*outside"):
        space.latin_hypercube(5, ["cost"], seed=0, bounds={"cost": (-2.0, -1.0)})


@settings(max_examples=60, deadline=None)
@given(
    low=st.floats(-1e6, 1e6, allow_nan=False),
    width=st.floats(1e-3, 1e6, allow_nan=False),
    closed=st.tuples(st.booleans(), st.booleans()),
    x=st.floats(allow_nan=True, allow_infinity=True),
)
def test_interval_contains_matches_definition(low, width, closed, x):
    high = low + width
    d = Interval(low, high, closed_low=closed[0], closed_high=closed[1])
    lower_ok = x >= low if closed[0] else x > low
    upper_ok = x <= high if closed[1] else x < high
    expected = math.isfinite(x) and lower_ok and upper_ok
    assert bool(d.contains(x)) == expected
