"""Symbolic equilibrium conditions, thresholds and comparative statics, checked against
closed forms from the literature and against the numeric solvers at seeded random points."""

import numpy as np
import pytest
import sympy

from deterrence.errors import ModelError, SolverError
from deterrence.library import load_model
from deterrence.solve.bimatrix import enumerate_equilibria
from deterrence.solve.pure import pure_nash_mask
from deterrence.solve.spe import subgame_perfect
from deterrence.analysis.symbolic import (comparative_statics, latex_payoffs, mixed_equilibrium_2x2,
                                          nash_conditions, outcome_conditions, spe_conditions, threshold)

from _analysis_models import crisis_2x2, escalation_tree, uncertain_resolve

RNG = np.random.default_rng(20240601)


def test_zagare_kilgour_threshold_shipped_model():
    # Zagare & Kilgour (2000): A challenges iff p_B < (a_DC - a_SQ)/(a_DC - a_DD)
    m = load_model("zagare_kilgour_rudimentary_deterrence")
    th = threshold(m, "status quo (SQ)", "p_B")
    s = m.symbols()
    expected = (s["a_DC"] - s["a_SQ"]) / (s["a_DC"] - s["a_DD"])
    assert sympy.simplify(th.expr - expected) == 0
    # at the defaults (a_SQ=0, a_DC=1, a_DD=-2): 1/3, by hand
    assert float(th.evaluate(m.defaults())) == pytest.approx(1 / 3)
    assert "frac" in th.latex()


def test_zagare_kilgour_conditions_match_expected_payoff_comparison():
    # information set over both types: the condition is the prior-weighted comparison
    m = load_model("zagare_kilgour_rudimentary_deterrence")
    conds = outcome_conditions(m)
    n = 400
    pts = {"p_B": RNG.uniform(0, 1, n), "a_SQ": RNG.uniform(-1, 1, n), "b_SQ": np.full(n, 1.0),
           "b_DC": np.zeros(n), "b_DD_hard": np.full(n, 0.5), "b_DD_soft": np.full(n, -1.0)}
    pts["a_DC"] = pts["a_SQ"] + RNG.uniform(0.1, 2, n)
    pts["a_DD"] = pts["a_SQ"] - RNG.uniform(0.1, 2, n)
    challenge = pts["p_B"] * pts["a_DD"] + (1 - pts["p_B"]) * pts["a_DC"] > pts["a_SQ"]
    assert np.array_equal(conds["status quo (SQ)"].holds(pts), ~challenge)
    assert np.array_equal(conds["conflict (DD)"].holds(pts), challenge & (pts["p_B"] > 0))


def test_spe_conditions_agree_with_numeric_solver_at_random_points():
    m = escalation_tree()
    cases = spe_conditions(m)
    n = 150
    pts = {"w": RNG.uniform(0, 1, n), "a_sq": RNG.uniform(-1, 1, n), "a_win": RNG.uniform(0, 3, n),
           "a_back": RNG.uniform(-2, 0.5, n), "c_A": RNG.uniform(0, 2, n), "b_conc": RNG.uniform(-2, 0, n),
           "b_back": RNG.uniform(0, 2, n), "c_B": RNG.uniform(0, 2, n)}
    res = subgame_perfect(m.evaluate_batch(pts))
    holds = np.stack([c.condition.holds(pts) for c in cases], 1)
    assert np.all(holds.sum(1) == 1)   # generic points: exactly one pure SPE
    which = holds.argmax(1)
    for b in range(n):
        case = cases[which[b]]
        for lab, pr in case.outcome_probabilities.items():
            sym_p = float(sympy.lambdify(list(m.symbols().values()), pr)(*[pts[k][b] for k in m.symbols()]))
            assert res.outcome_probabilities[lab][b] == pytest.approx(sym_p, abs=1e-9)
    # the symbolic outcome conditions equal the solver's positive-probability outcomes
    for lab, cond in outcome_conditions(m).items():
        assert np.array_equal(cond.holds(pts), res.outcome_probabilities[lab] > 1e-12)


def test_uncertain_resolve_threshold_and_statics():
    m = uncertain_resolve()
    th = threshold(m, "SQ", "p_B")
    s = m.symbols()
    assert sympy.simplify(th.expr - (s["a_DC"] - s["a_SQ"]) / (s["a_DC"] - s["a_DD"])) == 0
    # P(war) equals p_B while the challenger challenges, then drops to 0 at the threshold: not monotone
    # (issue 11: this used to be reported as "+0 (proven)", ignoring the regime switch)
    cs = comparative_statics(m, "P(DD)", "p_B")
    assert cs.proven and cs.sign == "mixed" and cs.verdict == "not monotone"
    within = {c.sign for c in cs.cases if c.n_samples}
    assert within == {"+", "0"}
    (jump,) = cs.jumps
    assert jump.sign == "-" and jump.proven
    assert sympy.simplify(jump.at - th.expr) == 0 and sympy.simplify(jump.jump + th.expr) == 0
    # the Challenger's equilibrium payoff falls with credibility (d/dp_B = a_DD - a_DC < 0 by the ordering)
    # and is continuous at the threshold (the Challenger is indifferent there): non-increasing, proven
    cs = comparative_statics(m, "payoff(Challenger)", "p_B")
    assert cs.proven and cs.sign == "-0" and all(j.sign == "0" for j in cs.jumps)


def test_nash_conditions_agree_with_pure_solver_and_closed_form():
    m = crisis_2x2()
    conds = nash_conditions(m)
    n = 500
    pts = {"c": RNG.uniform(-3, 3, n), "v": RNG.uniform(-3, 3, n)}
    mask = pure_nash_mask(m.evaluate_batch(pts)).reshape(n, 4)
    for k, prof in enumerate([("Swerve", "Swerve"), ("Swerve", "Stand"), ("Stand", "Swerve"), ("Stand", "Stand")]):
        assert np.array_equal(conds[prof].holds(pts), mask[:, k])
    # by hand: (Stand, Stand) is an equilibrium iff -c >= -v, i.e. v >= c
    assert np.array_equal(conds[("Stand", "Stand")].holds(pts), pts["v"] >= pts["c"])


def test_mixed_2x2_matches_vertex_enumeration():
    m = crisis_2x2()
    mx = mixed_equilibrium_2x2(m)
    s = m.symbols()
    # indifference by hand: row swerves with prob (c - v)/c
    assert sympy.simplify(mx.row_prob - (s["c"] - s["v"]) / s["c"]) == 0
    for _ in range(20):
        c, v = RNG.uniform(-3, 3, 2)
        es = enumerate_equilibria(m.at(c=c, v=v))
        fully = [e for e in es.extreme if all(np.all(st > 1e-9) for st in e.strategies)]
        assert bool(mx.condition.holds(c=c, v=v)) == (len(fully) == 1)
        if fully:
            val = mx.evaluate({"c": c, "v": v})
            assert float(val["row_prob"]) == pytest.approx(fully[0].strategies[0][0])
            assert float(val["payoffs"][0]) == pytest.approx(fully[0].payoffs[0])


def test_latex_and_errors():
    assert "\\begin{array}" in latex_payoffs(crisis_2x2())
    assert "w" in latex_payoffs(escalation_tree())
    with pytest.raises(SolverError):
        spe_conditions(crisis_2x2())
    with pytest.raises(SolverError):
        nash_conditions(escalation_tree())
    with pytest.raises(ModelError, match="no parameter"):
        threshold(uncertain_resolve(), "SQ", "nope")
    with pytest.raises(ModelError, match="no outcome"):
        threshold(uncertain_resolve(), "peace", "p_B")
    with pytest.raises(ModelError, match="quantity"):
        comparative_statics(uncertain_resolve(), "prob war", "p_B")


def test_sampled_sign_is_marked_unproven():
    # payoff at the mixed equilibrium of the crisis game: -v^2/c, derivative in v: -2v/c, negative where the
    # equilibrium exists (c v > 0), which the sign prover does not see (v and c separately undecided): sampled
    cs = comparative_statics(crisis_2x2(), "payoff(Row)", "v", n_samples=500, n_lines=20)
    mixed = [c for c in cs.cases if c.label == "completely mixed equilibrium"][0]
    assert not mixed.proven and mixed.sign == "-" and mixed.n_samples > 0
    # (Stand, Swerve) pays v and (Swerve, Stand) pays -v to Row: one equilibrium rises, another falls
    assert cs.sign == "mixed" and any("several equilibria" in n for n in cs.notes)


def test_condition_holds_broadcasts_arrays_with_scalars():
    """One parameter as an array, the others as scalars: the condition broadcasts.

    At a_SQ=0, a_DC=1, a_DD=-2 the status quo holds iff p_B >= (1 - 0)/(1 + 2) = 1/3
    (Zagare & Kilgour 2000), so p_B = 0.2 challenges and 0.5 is deterred.
    """
    import numpy as np

    import deterrence
    from deterrence.analysis.symbolic import outcome_conditions

    model = deterrence.load_model("zagare_kilgour_rudimentary_deterrence")
    cond = outcome_conditions(model)
    sq = next(c for label, c in cond.items() if label.startswith("status quo"))
    got = sq.holds(p_B=np.array([0.2, 0.5]), a_SQ=0, a_DC=1, a_DD=-2, b_SQ=1, b_DC=0,
                   b_DD_hard=0.5, b_DD_soft=-1)
    assert got.tolist() == [False, True]


def test_latex_escapes_labels():
    """Node ids and labels with LaTeX specials go into text mode escaped (an unescaped
    underscore in math mode would typeset 'dd_hard' as d d subscript h ...)."""
    import deterrence
    from deterrence.analysis.symbolic import latex_payoffs

    tex = latex_payoffs(deterrence.load_model("zagare_kilgour_rudimentary_deterrence"))
    assert r"\text{dd\_hard}" in tex
    assert "(dd_hard)" not in tex


def test_old_import_path_warns_and_forwards():
    """deterrence.symbolic.analysis still works for one release, with a DeprecationWarning."""
    import deterrence.analysis.symbolic as new
    import deterrence.symbolic.analysis as old
    with pytest.warns(DeprecationWarning, match="deterrence.analysis.symbolic"):
        assert old.threshold is new.threshold
    with pytest.warns(DeprecationWarning, match="evaluate_expr"):
        from deterrence.symbolic.analysis import _evaluate_expr  # noqa: F401
