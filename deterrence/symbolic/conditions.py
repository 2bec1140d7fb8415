"""Regions of parameter space written as sympy booleans, and their numeric evaluation.

The lowest floor of the symbolic analysis: nothing here knows about games.
A :class:`Condition` is a sympy boolean in named parameters (a conjunction or
disjunction of inequalities) that evaluates, vectorized with numpy, on a
batch of parameter points.  The helpers build inequalities (:func:`ge`,
:func:`gt`), read their sign (:func:`signed`), drop the parts of a condition
that standing assumptions contradict (:func:`prune`) and evaluate sympy
expressions on arrays (:func:`evaluate_expr`).  The game-level analysis
(equilibrium conditions, thresholds, comparative statics) lives in
:mod:`deterrence.analysis.symbolic`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import sympy

from ..errors import ExpressionError

__all__ = ["Condition", "evaluate_boolean", "evaluate_expr", "lambdify_cached", "ge", "gt", "signed", "prune",
           "region_atoms", "prove_sign", "SIGN_CODES"]


@dataclass(frozen=True, eq=False)
class Condition:
    """A region of parameter space as a sympy boolean in the parameters.

    Attributes
    ----------
    label : str
        What holds there (an equilibrium profile, an outcome).
    expr : sympy.Basic
        A sympy boolean: ``And``/``Or`` of inequalities, or ``true``/``false``.
    symbols : dict
        Parameter name -> sympy symbol.
    """

    label: str
    expr: Any
    symbols: Mapping[str, Any] = field(repr=False)

    @property
    def names(self) -> tuple:
        """Parameters the condition depends on."""
        free = getattr(self.expr, "free_symbols", set())
        return tuple(n for n, s in self.symbols.items() if s in free)

    @property
    def inequalities(self) -> list:
        """The atomic inequalities (sympy relationals) in the condition."""
        return sorted(self.expr.atoms(sympy.core.relational.Relational), key=sympy.default_sort_key) \
            if isinstance(self.expr, sympy.Basic) else []

    @property
    def always(self) -> bool:
        return self.expr is sympy.true

    @property
    def never(self) -> bool:
        return self.expr is sympy.false

    def latex(self) -> str:
        return sympy.latex(self.expr)

    def __str__(self) -> str:
        return f"{self.label}: {self.expr}"

    def holds(self, values: Mapping[str, Any] | None = None, **kw) -> np.ndarray:
        """Evaluate the condition at one point or a batch (arrays broadcast); boolean array."""
        values = dict(values or {}, **kw)
        return evaluate_boolean(self.expr, self.symbols, values)


def evaluate_boolean(expr, symbols, values) -> np.ndarray:
    """Evaluate a sympy boolean at one point or a batch of points (numpy broadcasting); a boolean array.

    Raises
    ------
    ExpressionError
        When *values* has no entry for a parameter the boolean depends on.
    """
    if expr is sympy.true or expr is sympy.false:
        shape = np.broadcast_shapes(*(np.shape(v) for v in values.values())) if values else ()
        return np.full(shape, expr is sympy.true)
    names = [n for n, s in symbols.items() if s in expr.free_symbols]
    missing = [n for n in names if n not in values]
    if missing:
        raise ExpressionError(f"condition {expr}: no value for {missing}")
    fn = lambdify_cached(tuple(symbols[n] for n in names), expr)
    args = np.broadcast_arrays(*(np.asarray(values[n], dtype=float) for n in names)) if names else []
    out = fn(*args)
    shape = args[0].shape if names else ()
    return np.broadcast_to(np.asarray(out, dtype=bool), shape)


_LAMBDA_CACHE: dict = {}


def lambdify_cached(syms, expr):
    """``sympy.lambdify(syms, expr, "numpy")``, cached (the code is generated from a sympy tree built
    by this package, never from user text)."""
    key = (syms, expr)
    fn = _LAMBDA_CACHE.get(key)
    if fn is None:
        # lambdify generates code from a sympy tree built by this package (never from user text).
        fn = sympy.lambdify(syms, expr, modules="numpy")
        if len(_LAMBDA_CACHE) > 512:
            _LAMBDA_CACHE.clear()
        _LAMBDA_CACHE[key] = fn
    return fn


def evaluate_expr(expr, symbols, values) -> np.ndarray:
    """Evaluate a sympy expression at one point or a batch of points; a float array (NaN or inf where undefined)."""
    expr = sympy.sympify(expr) if not isinstance(expr, sympy.Basic) else expr
    names = [n for n, s in symbols.items() if s in expr.free_symbols]
    args = [np.asarray(values[n], dtype=float) for n in names]
    shape = np.broadcast_shapes(*(a.shape for a in args)) if args else ()
    with np.errstate(all="ignore"):
        out = lambdify_cached(tuple(symbols[n] for n in names), expr)(*args)
    return np.broadcast_to(np.asarray(out, dtype=float), shape)


def ge(lhs, rhs):
    """``lhs >= rhs`` as a sympy relational, simplified; ``true``/``false`` when decided."""
    diff = sympy.cancel(sympy.expand(lhs - rhs))
    if diff.is_nonnegative:
        return sympy.true
    if diff.is_negative:
        return sympy.false
    # Present it as "positive terms >= negative terms" so a reader sees both sides.
    num, den = sympy.fraction(sympy.together(diff))
    if den.is_positive:
        diff = sympy.expand(num)
    pos = sympy.Add(*[t for t in sympy.Add.make_args(diff) if not t.could_extract_minus_sign()])
    neg = sympy.Add(*[-t for t in sympy.Add.make_args(diff) if t.could_extract_minus_sign()])
    return sympy.Ge(pos, neg, evaluate=False) if pos != 0 or neg != 0 else sympy.true


def gt(lhs, rhs):
    """``lhs > rhs`` as a sympy relational; ``true``/``false`` when sympy decides it."""
    diff = sympy.cancel(sympy.expand(lhs - rhs))
    if diff.is_positive:
        return sympy.true
    if diff.is_nonpositive:
        return sympy.false
    return sympy.Gt(diff, 0)



def signed(rel):
    """(g, strict) with ``g >= 0`` (or ``> 0``) equivalent to the relational *rel*; None for others."""
    if isinstance(rel, (sympy.GreaterThan, sympy.StrictGreaterThan)):
        return sympy.expand(rel.lhs - rel.rhs), isinstance(rel, sympy.StrictGreaterThan)
    if isinstance(rel, (sympy.LessThan, sympy.StrictLessThan)):
        return sympy.expand(rel.rhs - rel.lhs), isinstance(rel, sympy.StrictLessThan)
    return None


def prune(expr, atoms):
    """Replace by ``false`` every conjunction (of an Or) with an inequality ``g >= 0`` that a
    standing assumption ``h > 0`` with ``g = -c h`` (c > 0 constant) contradicts."""
    known = [x for x in (signed(a) for a in atoms) if x is not None]
    if not known:
        return expr

    def contradicted(rel):
        sg = signed(rel)
        if sg is None:
            return False
        gexp, strict = sg
        free = gexp.free_symbols
        for h, hstrict in known:
            # a constant multiple has the same symbols: skip the (costly) division otherwise
            if h == 0 or not (hstrict or strict) or h.free_symbols != free:
                continue
            ratio = sympy.cancel(gexp / h)
            if ratio.is_number and ratio.is_extended_real and ratio.is_finite and ratio < 0:
                return True
        return False

    def conj(e):
        parts = e.args if isinstance(e, sympy.And) else (e,)
        if any(isinstance(a, sympy.core.relational.Relational) and contradicted(a) for a in parts):
            return sympy.false
        return e

    if isinstance(expr, sympy.Or):
        return sympy.Or(*[conj(a) for a in expr.args])
    return conj(expr)



def region_atoms(region) -> list:
    """The inequalities of a region given as a conjunction (a Condition or a sympy boolean); [] otherwise."""
    if isinstance(region, Condition):
        region = region.expr
    if isinstance(region, sympy.Basic):
        if isinstance(region, sympy.And) or isinstance(region, sympy.core.relational.Relational):
            return [a for a in (region.args if isinstance(region, sympy.And) else (region,))
                    if isinstance(a, sympy.core.relational.Relational)]
    return []


# ---------------------------------------------------------------------- signs on a region
#: Sign codes of :func:`prove_sign` (and of comparative statics), with their meaning.
SIGN_CODES = {"+": "positive", "+0": "non-negative", "0": "zero", "-0": "non-positive", "-": "negative",
              "mixed": "undecided (or both signs occur)"}

_CODE_OF = {(1, False): "+", (1, True): "+0", (-1, False): "-", (-1, True): "-0"}


def _direct_sign(d, known) -> tuple:
    """(code, proven) of *d* from sympy's assumptions, or as a positive multiple of one known
    inequality ``g >= 0`` (``> 0``) or of the sum of two (transitivity of orderings)."""
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
    free = d.free_symbols

    def cands():
        yield from known
        for k, (g1, s1) in enumerate(known):
            for g2, s2 in known[k + 1:]:
                if (g1.free_symbols | g2.free_symbols) >= free:
                    yield sympy.expand(g1 + g2), s1 or s2

    for gexp, strict in cands():
        # a constant multiple has the same symbols: skip the (costly) division otherwise
        if gexp == 0 or gexp.free_symbols != free:
            continue
        ratio = sympy.cancel(d / gexp)
        if ratio.is_number and ratio.is_extended_real and ratio.is_finite and ratio != 0:
            s = 1 if ratio > 0 else -1
            return _CODE_OF[(s, not strict)], True
    return "mixed", False


def prove_sign(expr, atoms) -> tuple:
    """The sign of a sympy expression wherever every inequality in *atoms* holds.

    Decided by sympy's assumptions on the symbols, by recognising the
    expression (or each factor of its numerator and denominator) as a
    positive or negative constant multiple of one inequality ``g >= 0`` of
    *atoms* or of the sum of two of them.

    Returns
    -------
    (code, proven) : (str, bool)
        *code* is one of :data:`SIGN_CODES`; ``("mixed", False)`` when the
        sign could not be decided.
    """
    known = [x for x in (signed(a) for a in atoms) if x is not None and x[0] != 0]
    d = sympy.cancel(expr)
    code, ok = _direct_sign(d, known)
    if ok:
        return code, ok
    num, den = sympy.fraction(sympy.factor(d))
    total, weak = 1, False
    for f in sympy.Mul.make_args(num) + sympy.Mul.make_args(den):
        base, e = f.as_base_exp()
        if e.is_integer and e.is_even:
            c, ok = _direct_sign(base, known)
            s, w = 1, not (ok and c in ("+", "-"))
        else:
            c, ok = _direct_sign(f, known)
            if not ok:
                return "mixed", False
            if c == "0":
                return "0", True
            s, w = (1 if c.startswith("+") else -1), c.endswith("0")
        total *= s
        weak = weak or w
    return _CODE_OF[(total, weak)], True
