"""Comparative statics: the sign of an equilibrium quantity's dependence on a parameter."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from ...errors import ModelError
from ...symbolic.conditions import Condition, evaluate_boolean, evaluate_expr, prune, region_atoms, signed
from .conditions import mixed_equilibrium_2x2, nash_conditions, spe_conditions
from .forms import SymbolicTree, as_symbolic

__all__ = ["StaticsCase", "ComparativeStatics", "comparative_statics"]


@dataclass(frozen=True, eq=False)
class StaticsCase:
    """The sign of a derivative on the region where one equilibrium holds.

    ``sign`` is ``"+"``, ``"-"``, ``"0"``, ``"+0"`` (non-negative), ``"-0"``
    (non-positive) or ``"mixed"``; ``proven`` says whether it was
    established symbolically (True) or estimated from ``n_samples`` sampled
    points of the region (False).
    """

    label: str
    quantity: Any
    derivative: Any
    sign: str
    proven: bool
    n_samples: int
    region: Condition


@dataclass(frozen=True, eq=False)
class ComparativeStatics:
    """Comparative statics of a quantity with respect to a parameter, case by case."""

    quantity: str
    parameter: str
    cases: tuple

    @property
    def sign(self) -> str:
        """The common sign over all cases ("mixed" when they differ)."""
        signs = {c.sign for c in self.cases if c.n_samples or c.proven}
        if not signs:
            return "empty"
        if len(signs) == 1:
            return signs.pop()
        if signs <= {"+", "+0", "0"}:
            return "+0"
        if signs <= {"-", "-0", "0"}:
            return "-0"
        return "mixed"

    @property
    def proven(self) -> bool:
        return all(c.proven for c in self.cases)

    def __str__(self) -> str:
        lines = [f"d {self.quantity} / d {self.parameter}: {self.sign} ({'proven' if self.proven else 'sampled'})"]
        for c in self.cases:
            lines.append(f"  [{c.label}] derivative {c.derivative}: {c.sign} "
                         f"({'proven' if c.proven else f'proven=False, {c.n_samples} sampled points'})")
        return "\n".join(lines)


def comparative_statics(model, quantity: str, parameter: str, *, region=None, n_samples: int = 4000,
                        seed: int = 0) -> ComparativeStatics:
    """Sign of the derivative of an equilibrium quantity with respect to a parameter.

    Parameters
    ----------
    model : parametric model (or its symbolic form)
    quantity : str
        ``"P(label)"`` (tree models: probability of an outcome on the SPE
        path) or ``"payoff(player)"`` (the equilibrium payoff of a player:
        SPE payoff in a tree; in a normal form, the payoff at each pure
        equilibrium and at the completely mixed equilibrium of a 2x2 game).
    parameter : str
    region : Condition, sympy boolean or callable, optional
        Restrict attention to a region (e.g. a preference ordering
        ``a_DD < a_SQ < a_DC``); a callable takes a dict of arrays and returns
        a boolean array.
    n_samples : int
        Points sampled in the parameters' domains when sympy cannot decide.

    Returns
    -------
    ComparativeStatics
        One :class:`StaticsCase` per equilibrium case with a non-empty region.
        The sign is *proven* when sympy decides it from the parameters'
        assumptions, or when the derivative is a constant multiple of one of
        the region's own inequalities; otherwise it is read from the sampled
        points of the region (``proven=False``).
    """
    g = as_symbolic(model)
    if parameter not in g.symbols:
        raise ModelError(f"no parameter {parameter!r}; parameters are {sorted(g.symbols)}")
    sym = g.symbols[parameter]
    kind, arg = _parse_quantity(quantity)
    items = []   # (label, expression, Condition)
    if isinstance(g, SymbolicTree):
        for c in spe_conditions(g):
            if kind == "P":
                if arg not in _tree_outcomes(g):
                    raise ModelError(f"no outcome {arg!r}; outcomes are {_tree_outcomes(g)}")
                expr = c.outcome_probabilities.get(arg, sympy.Integer(0))
            else:
                if arg not in c.payoffs:
                    raise ModelError(f"no player {arg!r}; players are {list(c.payoffs)}")
                expr = c.payoffs[arg]
            items.append((c.condition.label, expr, c.condition))
    else:
        if kind == "P":
            raise ModelError("P(outcome) is defined for tree models; in a normal form use payoff(player)")
        if arg not in g.players:
            raise ModelError(f"no player {arg!r}; players are {list(g.players)}")
        i = list(g.players).index(arg)
        for prof, cond in nash_conditions(g).items():
            if cond.never:
                continue
            idx = tuple(g.actions[j].index(a) for j, a in enumerate(prof))
            items.append((cond.label, g.payoffs[idx + (i,)], cond))
        if g.payoffs.shape == (2, 2, 2):
            m = mixed_equilibrium_2x2(g)
            if not m.condition.never:
                items.append((m.condition.label, m.payoffs[i], m.condition))
    rng = np.random.default_rng(seed)
    pts = _sample(g, n_samples, rng)
    extra = _region_mask(region, g, pts) & _region_mask(g.assumptions, g, pts)
    cases = []
    ratoms = region_atoms(region) + region_atoms(g.assumptions)
    for label, expr, cond in items:
        if ratoms and prune(cond.expr, ratoms) is sympy.false:
            continue
        d = sympy.factor(sympy.cancel(sympy.diff(expr, sym)))
        mask = cond.holds(pts) & extra
        atoms = list(cond.inequalities) + ratoms
        sign, proven = _symbolic_sign(d, atoms)
        k = int(mask.sum())
        if not proven:
            if k == 0:
                cases.append(StaticsCase(label, expr, d, "empty", False, 0, cond))
                continue
            vals = evaluate_expr(d, g.symbols, {n: v[mask] for n, v in pts.items()})
            vals = vals[np.isfinite(vals)]
            sign = _sign_of_samples(vals)
        elif k == 0 and not (cond.always and region is None):
            sign_note = sign  # proven but the region may be empty in the sampled box; keep the proof
            sign = sign_note
        cases.append(StaticsCase(label, expr, d, sign, proven, k, cond))
    return ComparativeStatics(quantity=quantity, parameter=parameter, cases=tuple(cases))


def _tree_outcomes(g) -> list:
    labs = []
    for t in range(g.tree.n_terminals):
        lab = str(g.tree.outcomes[t])
        if lab not in labs:
            labs.append(lab)
    return labs


def _parse_quantity(q: str):
    q = q.strip()
    for kind, prefix in (("P", "P("), ("payoff", "payoff(")):
        if q.startswith(prefix) and q.endswith(")"):
            return kind, q[len(prefix):-1].strip()
    raise ModelError(f"quantity {q!r}: write 'P(outcome)' or 'payoff(player)'")


def _symbolic_sign(d, atoms) -> tuple:
    if d == 0:
        return "0", True
    if d.is_positive:
        return "+", True
    if d.is_negative:
        return "-", True
    if d.is_nonnegative:
        return "+0", True
    if d.is_nonpositive:
        return "-0", True
    known = [x for x in (signed(a) for a in atoms) if x is not None and x[0] != 0]
    # known signs: each inequality g >= 0 of the region, and sums of two (transitivity of orderings)
    cands = list(known) + [(sympy.expand(g1 + g2), s1 or s2) for k, (g1, s1) in enumerate(known)
                           for (g2, s2) in known[k + 1:]]
    for gexp, strict in cands:
        if gexp == 0:
            continue
        ratio = sympy.cancel(d / gexp)
        if ratio.is_number and ratio != 0:
            s = 1 if ratio > 0 else -1
            if strict:
                return ("+" if s > 0 else "-"), True
            return ("+0" if s > 0 else "-0"), True
    return "mixed", False



def _sign_of_samples(vals) -> str:
    if vals.size == 0:
        return "empty"
    scale = max(1.0, float(np.max(np.abs(vals))))
    tol = 1e-12 * scale
    pos, neg = bool(np.any(vals > tol)), bool(np.any(vals < -tol))
    zero = bool(np.any(np.abs(vals) <= tol))
    if pos and neg:
        return "mixed"
    if pos:
        return "+0" if zero else "+"
    if neg:
        return "-0" if zero else "-"
    return "0"


def _sample(g, n, rng) -> dict:
    pts = {}
    for name in g.symbols:
        lo, hi = g.bounds.get(name, (-10.0, 10.0))
        pts[name] = rng.uniform(lo, hi, n) if hi > lo else np.full(n, lo)
    return pts


def _region_mask(region, g, pts) -> np.ndarray:
    n = len(next(iter(pts.values()))) if pts else 0
    if region is None:
        return np.ones(n, bool)
    if isinstance(region, Condition):
        return region.holds(pts)
    if region is sympy.true:
        return np.ones(n, bool)
    if isinstance(region, sympy.Basic):
        return evaluate_boolean(region, g.symbols, pts)
    if callable(region):
        return np.asarray(region(pts), bool)
    raise ModelError(f"region must be a Condition, a sympy boolean or a callable, got {type(region).__name__}")
