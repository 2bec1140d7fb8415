"""Bounds on the symbolic work an expression can cause, checked before sympy sees it.

The parser (:mod:`deterrence.symbolic.expr`) bounds the size of a text, its
depth, its exponents and the size of the exact numbers sympy may fold.  That
does not bound what the symbolic analysis does with an expression afterwards:
it *expands* payoffs (``sympy.expand``) and multiplies them by chance
probabilities, and ``(a+b+c+d+e+f+g+h)**64``, a 25-character payoff, expands
to ``C(71, 7)``, about 1.2e9 terms (sympy ran past 4 GB in two minutes).

This module estimates, from the syntax tree alone and in linear time, the
number of terms and the degree of the expanded form.  For polynomials the
estimate is an upper bound; around logarithms, reciprocals of quotients and
constant surds sympy's rewriting can give a few more terms than estimated
(``log(2*c)`` becomes ``log(2) + log(c)``), never an explosion the estimate
misses.  The rules:

* a number or a name is one term of degree 0 or 1;
* ``a + b`` and ``a - b`` have at most ``terms(a) + terms(b)`` terms;
* ``a * b`` at most ``terms(a) * terms(b)`` (degrees add);
* ``a / b`` is expanded over the numerator; the denominator is expanded
  too, as a whole (its terms count as work, not as output terms);
* ``a ** n`` for a constant integer ``n >= 2`` has at most
  ``C(terms(a) + n - 1, n)`` terms (the number of monomials of degree ``n``
  in ``terms(a)`` variables), degree ``n * degree(a)``; a negative integer
  power is a denominator; any other power, and every function call, is one
  (atomic) term whose arguments are expanded as work (``abs`` and ``sqrt``
  count as their argument, since sympy folds ``sqrt(x)**2`` back to ``x``);
* the result is also at most the number of monomials of its degree in its
  names and atoms, ``C(v + degree, degree)`` (tight for nested powers).

Counts saturate at ``2**62``.  :func:`check_expression` and
:func:`check_model` refuse with the size, the limit and the route that fits
(numeric solving at points), so the symbolic analysis starts only on what it
can finish.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..errors import ExpressionError
from .expr import BinOp, Call, Expr, Name, Number, UnaryOp, fold

__all__ = ["ExpansionSize", "expansion_size", "check_expression", "check_model", "check_solvable",
           "check_conditions", "MAX_TERMS", "MAX_DEGREE", "MAX_MODEL_TERMS", "MAX_SOLVE_DEGREE", "MAX_CONDITIONS",
           "NUMERIC_ROUTE"]

#: Largest number of terms one expanded payoff or probability may have.
MAX_TERMS = 5_000
#: Largest degree of one expanded payoff or probability.
MAX_DEGREE = 256
#: Largest total number of expanded terms of a model's continuation values (payoffs times the chance
#: probabilities on the path to them, summed over terminals).
MAX_MODEL_TERMS = 50_000
#: Highest degree in the unknown of a boundary equation solved in closed form (the quartic formula is the
#: last one; sympy returns nothing for a quintic with symbolic coefficients and ran for minutes at degree 64).
MAX_SOLVE_DEGREE = 4
#: Up to this degree a boundary is factored first (fast: about 0.1 s at degree 16), above it refused at once.
MAX_FACTOR_DEGREE = 16
#: Largest number of inequalities one analysis builds (each is simplified by sympy, about a millisecond:
#: the pure Nash conditions of a 20x20 game with symbolic payoffs, 15,200 inequalities, took 16 s).
MAX_CONDITIONS = 5_000
#: What to use instead (named in every refusal).
NUMERIC_ROUTE = "solve it numerically at parameter points (`deterrence solve` / `sweep`)"

_CAP = 2 ** 62


def _sat(x: int) -> int:
    return x if x < _CAP else _CAP


@dataclass(frozen=True)
class ExpansionSize:
    """Size estimates for the expanded form of an expression (upper bounds for polynomials).

    Attributes
    ----------
    terms : int
        Terms of the expanded expression (saturating at ``2**62``).
    degree : int
        Total degree in the parameters (atoms such as ``exp(x)`` count 1).
    work : int
        Terms built on the way (denominators and function arguments
        included); at least ``terms``.
    atoms : int
        Non-polynomial atoms (calls, denominators, non-integer powers): they
        count as variables of the expanded polynomial.
    """

    terms: int
    degree: int
    work: int
    atoms: int = 0


def _multiset_count(k: int, n: int) -> int:
    """``C(k + n - 1, n)``, saturating, without building huge integers."""
    if k <= 1:
        return 1
    # the count grows quickly: stop as soon as it passes the cap
    r = min(n, k - 1)
    out = 1
    for j in range(1, r + 1):
        out = out * (k + n - 1 - r + j) // j
        if out >= _CAP:
            return _CAP
    return out


def _bound(node: Expr, terms: int, degree: int, atoms: int) -> int:
    """The smaller of the product bound and the number of monomials of degree at most *degree* in the
    node's names and atoms, ``C(v + degree, degree)`` (tight for nested powers such as ``((a+b)**8)**8``)."""
    return min(terms, _multiset_count(len(node.names) + atoms + 1, degree))


def _size_node(node: Expr, kids: list) -> ExpansionSize:
    if isinstance(node, Number):
        return ExpansionSize(1, 0, 1)
    if isinstance(node, Name):
        return ExpansionSize(1, 1, 1)
    if isinstance(node, UnaryOp):
        return kids[0]
    if isinstance(node, Call):
        work = _sat(sum(k.work for k in kids) + 1)
        if node.func in ("abs", "sqrt"):
            # sympy folds abs(x)**2 and sqrt(x)**2 back to x (real symbols): count them as their argument
            a = kids[0]
            return ExpansionSize(a.terms, max(1, a.degree), work, a.atoms + 1)
        return ExpansionSize(1, 1, work, 1)
    if isinstance(node, BinOp):
        a, b = kids
        op = node.op
        if op in ("+", "-"):
            deg, atoms = max(a.degree, b.degree), a.atoms + b.atoms
            t = _bound(node, _sat(a.terms + b.terms), deg, atoms)
            return ExpansionSize(t, deg, _sat(a.work + b.work + t), atoms)
        if op == "*":
            deg, atoms = _sat(a.degree + b.degree), a.atoms + b.atoms
            t = _bound(node, _sat(a.terms * b.terms), deg, atoms)
            return ExpansionSize(t, deg, _sat(a.work + b.work + t), atoms)
        if op == "/":
            return ExpansionSize(a.terms, _sat(a.degree + b.degree), _sat(a.work + b.work + a.terms),
                                 a.atoms + b.atoms + 1)
        # power
        e = float(node.right.evaluate()) if node.right.is_constant else None
        if e is not None and e == int(e) and abs(e) >= 2:
            n = int(abs(e))
            deg = _sat(a.degree * n)
            t = _bound(node, _multiset_count(a.terms, n), deg, a.atoms)
            # a positive power is expanded; a negative one is a denominator (expanded, one term outside)
            return ExpansionSize(t if e > 0 else 1, deg, _sat(a.work + t), a.atoms + (e < 0))
        if e == 1:
            return a
        # x**0, x**-1, x**(1/2), x**y: one atomic term whose base (and exponent) are expanded as work
        return ExpansionSize(1, a.degree if e is not None else _sat(a.degree + b.degree + 1),
                             _sat(a.work + b.work + 1), 1)
    raise ExpressionError(f"unknown expression node {type(node).__name__}")  # pragma: no cover


def expansion_size(expr: Expr) -> ExpansionSize:
    """Estimates of the terms, degree and work of ``sympy.expand`` of *expr* (see the module docstring).

    Linear in the number of nodes; never builds the expansion.
    """
    if not isinstance(expr, Expr):
        raise ExpressionError(f"expansion_size needs a parsed expression (Expr), got {type(expr).__name__}")
    return fold(expr, _size_node)


def _fmt(n: int) -> str:
    return f"{n}" if n < 10 ** 6 else ("more than 4.6e18" if n >= _CAP else f"about {n:.2g}")


def check_expression(expr: Expr, where: str = "expression", *, max_terms: int = MAX_TERMS,
                     max_degree: int = MAX_DEGREE) -> ExpansionSize:
    """Refuse an expression whose expansion is too large for the symbolic analysis.

    Parameters
    ----------
    expr : Expr
    where : str
        What it is, for the message (``"terminal 't1': payoff of A"``).
    max_terms, max_degree : int

    Returns
    -------
    ExpansionSize

    Raises
    ------
    ExpressionError
        One line naming *where*, the expression (shortened), the size, the
        limit and the numeric route.
    """
    size = expansion_size(expr)
    text = str(expr)
    text = text if len(text) <= 60 else text[:57] + "..."
    if size.terms > max_terms or size.work > 20 * max_terms:
        raise ExpressionError(f"{where}: {text!r} expands to {_fmt(max(size.terms, size.work // 20))} terms, more "
                              f"than the symbolic analysis handles ({max_terms}); {NUMERIC_ROUTE}")
    if size.degree > max_degree:
        raise ExpressionError(f"{where}: {text!r} has degree {_fmt(size.degree)} after expansion, more than the "
                              f"symbolic analysis handles ({max_degree}); {NUMERIC_ROUTE}")
    return size


def check_model(model, *, max_terms: int = MAX_TERMS, max_degree: int = MAX_DEGREE,
                max_model_terms: int = MAX_MODEL_TERMS) -> None:
    """Refuse a parametric model whose symbolic analysis would expand too much.

    Every payoff and chance probability is checked by
    :func:`check_expression`.  For a tree, the continuation values the
    analysis expands are sums over terminals of the payoff times the chance
    probabilities on the path: their total size (the product of the term
    counts along each path, summed over terminals) must stay below
    *max_model_terms*.

    Parameters
    ----------
    model : ParametricTree or ParametricNormalForm
        Read through ``node_specs()`` (a tree) or ``payoff_table()`` (a normal form).

    Raises
    ------
    ExpressionError
        Naming the node or profile, the size and the numeric route.
    """
    name = getattr(model, "name", "model")
    kw = dict(max_terms=max_terms, max_degree=max_degree)
    if hasattr(model, "node_specs"):
        nodes = model.node_specs()
        parent_weight: dict[str, int] = {}
        for node in nodes:
            if "probabilities" in node:
                for a, e in node["probabilities"].items():
                    s = check_expression(e, f"model {name!r}: chance node {node['id']!r}: probability of {a!r}", **kw)
                    parent_weight[node["actions"][a]] = s.terms
        parent = {c: node["id"] for node in nodes for c in node.get("actions", {}).values()}
        path: dict[str, int] = {}

        def weight(nid: str) -> int:
            # product of the chance-probability term counts from the root to nid (iterative, memoized)
            chain = []
            while nid not in path:
                chain.append(nid)
                if nid not in parent:
                    break
                nid = parent[nid]
            w = path.get(nid, 1)
            for c in reversed(chain):
                w = _sat(w * parent_weight.get(c, 1))
                path[c] = w
            return path[chain[0]] if chain else w

        total = 0
        for node in nodes:
            if "payoffs" not in node:
                continue
            players = getattr(model, "players", ())
            terms = 0
            for i, e in enumerate(node["payoffs"]):
                who = players[i] if i < len(players) else f"player {i}"
                terms = max(terms, check_expression(e, f"model {name!r}: terminal {node['id']!r}: payoff of {who}",
                                                    **kw).terms)
            total = _sat(total + _sat(terms * weight(node["id"])))
        if total > max_model_terms:
            raise ExpressionError(f"model {name!r}: the continuation values expand to {_fmt(total)} terms (payoffs "
                                  f"times the chance probabilities on their paths), more than the symbolic analysis "
                                  f"handles ({max_model_terms}); {NUMERIC_ROUTE}")
    elif hasattr(model, "payoff_table"):
        players = getattr(model, "players", ())
        for prof, exprs in model.payoff_table().items():
            for i, e in enumerate(exprs):
                who = players[i] if i < len(players) else f"player {i}"
                check_expression(e, f"model {name!r}: payoff of {who} at {list(prof)}", **kw)


def check_solvable(numerator, symbol, where: str = "boundary", *, max_degree: int = MAX_SOLVE_DEGREE) -> None:
    """Refuse a boundary equation ``numerator = 0`` with no closed-form solution for *symbol*.

    Parameters
    ----------
    numerator : sympy.Expr
        The numerator of the boundary (after ``together``).
    symbol : sympy.Symbol
        The unknown.
    where : str
        What the boundary belongs to, for the message.
    max_degree : int

    Raises
    ------
    SolverError
        When *numerator* is a polynomial in *symbol* with an irreducible factor of degree above
        *max_degree* (factored up to degree :data:`MAX_FACTOR_DEGREE`, refused above): sympy cannot
        solve it in radicals (a quintic with symbolic coefficients gave no solution, silently, and
        degree 64 ran for minutes).  Non-polynomial boundaries are left to the solver.
    """
    import sympy

    from ..errors import SolverError

    size = sum(1 for _ in sympy.preorder_traversal(numerator))
    if size > 20 * MAX_TERMS:
        raise SolverError(f"{where}: the boundary equation has {size} nodes, more than the symbolic analysis "
                          f"solves; {NUMERIC_ROUTE}")
    try:
        degree = sympy.Poly(numerator, symbol).degree()
    except (sympy.PolynomialError, sympy.GeneratorsNeeded, ValueError):
        return
    if degree <= max_degree:
        return
    if degree <= MAX_FACTOR_DEGREE:
        # a higher degree is solvable when it factors into pieces of degree <= max_degree (p**5 - p)
        factors = sympy.factor_list(numerator, symbol)[1]
        degree = max(sympy.degree(f, symbol) for f, _ in factors)
        if degree <= max_degree:
            return
    raise SolverError(f"{where}: the boundary is a polynomial with a factor of degree {degree} in {symbol}, which "
                      f"has no closed-form threshold (at most degree {max_degree}); {NUMERIC_ROUTE}")


def check_conditions(count: int, what: str, entries=(), *, max_conditions: int = MAX_CONDITIONS) -> None:
    """Refuse an analysis that would build more than *max_conditions* symbolic inequalities.

    Parameters
    ----------
    count : int
        Inequalities the analysis would build (profiles times deviations).
    what : str
        The analysis and the game's size, for the message (``"the Nash conditions of a 20x20 game"``).
    entries : iterable of sympy expressions, optional
        The payoffs (and chance probabilities) the inequalities compare.  Inequalities between numbers
        cost microseconds, so *count* is scaled by the share of entries that are not numbers (all of
        them when none are given).

    Raises
    ------
    SolverError
        Naming the count, the limit and the numeric route.
    """
    from ..errors import SolverError

    entries = list(entries)
    if entries:
        symbolic = sum(1 for e in entries if not getattr(e, "is_Number", True))
        count = -(-count * symbolic // len(entries))
    if count > max_conditions:
        raise SolverError(f"{what} need about {count} symbolic inequalities, more than the symbolic analysis builds "
                          f"({max_conditions}); {NUMERIC_ROUTE}")
