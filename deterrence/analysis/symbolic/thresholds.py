"""Thresholds: where a parameter makes an equilibrium condition switch."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from ...errors import ModelError, SolverError
from ...symbolic.bounds import check_solvable
from ...symbolic.conditions import Condition, evaluate_expr, prune, region_atoms
from .conditions import nash_conditions, outcome_conditions
from .forms import SymbolicTree, as_symbolic

__all__ = ["Threshold", "threshold"]


@dataclass(frozen=True, eq=False)
class Threshold:
    """Boundary values of a parameter where a condition switches.

    Attributes
    ----------
    parameter : str
    values : tuple of sympy expressions
        Each a solution of one boundary equation of the condition for the parameter.
    condition : Condition
    """

    parameter: str
    values: tuple
    condition: Condition

    @property
    def expr(self):
        """The threshold when there is exactly one."""
        if len(self.values) != 1:
            raise SolverError(f"{len(self.values)} thresholds for {self.parameter} in {self.condition.label!r}: "
                              f"{[str(v) for v in self.values]}")
        return self.values[0]

    def evaluate(self, values) -> np.ndarray:
        return evaluate_expr(self.expr, self.condition.symbols, values)

    def latex(self) -> str:
        sym = sympy.latex(self.condition.symbols[self.parameter])
        return ",\\; ".join(f"{sym} = {sympy.latex(v)}" for v in self.values)


def threshold(model, condition_or_outcome, solve_for: str, *, given=None) -> Threshold:
    """Solve the boundary of a condition for one parameter.

    Parameters
    ----------
    model : parametric model (or its symbolic form)
    condition_or_outcome : Condition, str or tuple
        A :class:`Condition`; an outcome label of a tree model; or a pure
        profile (tuple of action labels) of a normal-form model.
    solve_for : str
        The parameter.
    given : Condition or sympy boolean, optional
        Standing assumptions (e.g. the preference orderings of the model):
        parts of the condition that contradict them are dropped.

    Returns
    -------
    Threshold
        The distinct solutions of ``lhs = rhs`` for every inequality of the
        condition that involves the parameter (e.g. the credibility
        threshold ``(a_DC - a_SQ)/(a_DC - a_DD)`` of Zagare & Kilgour 2000).
    """
    g = as_symbolic(model)
    if solve_for not in g.symbols:
        raise ModelError(f"no parameter {solve_for!r}; parameters are {sorted(g.symbols)}")
    cond = _resolve_condition(g, condition_or_outcome)
    atoms = region_atoms(given) + region_atoms(g.assumptions)
    if atoms:
        cond = Condition(cond.label, prune(cond.expr, atoms), cond.symbols)
    sym = g.symbols[solve_for]
    sols = []
    for rel in cond.inequalities:
        diff = rel.lhs - rel.rhs
        if sym not in diff.free_symbols:
            continue
        num = sympy.fraction(sympy.together(diff))[0]
        check_solvable(num, sym, f"threshold of {cond.label!r} in {solve_for}")    # no quintics, no hangs
        for s in sympy.solve(sympy.Eq(num, 0), sym, dict=False):
            s = sympy.factor(sympy.cancel(s))
            if not any(sympy.simplify(s - t) == 0 for t in sols):
                sols.append(s)
    if not sols:
        raise SolverError(f"the condition {cond.label!r} does not depend on {solve_for}: no threshold")
    return Threshold(parameter=solve_for, values=tuple(sols), condition=cond)


def _resolve_condition(g, what) -> Condition:
    if isinstance(what, Condition):
        return what
    if isinstance(g, SymbolicTree):
        conds = outcome_conditions(g)
        if what not in conds:
            raise ModelError(f"no outcome {what!r}; outcomes are {list(conds)}")
        return conds[what]
    conds = nash_conditions(g)
    key = tuple(what) if not isinstance(what, str) else tuple(s.strip() for s in what.strip("()").split(","))
    if key not in conds:
        raise ModelError(f"no profile {what!r}; profiles are {list(conds)}")
    return conds[key]
