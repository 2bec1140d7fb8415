"""Vertex enumeration of a best-response polytope in exact rational arithmetic.

The same search as :mod:`deterrence.solve.polytope` -- every feasible basis
of :math:`\\{z \\ge 0 : C z \\le 1\\}` by breadth-first simplex pivoting from
the origin, following every tied leaving row, so the connected graph of
feasible bases (Gal 1985; Kruse 1986) is covered and every vertex is found,
degenerate vertices included -- but every tableau entry is a
:class:`fractions.Fraction`.  Nothing is decided on a tolerance: a label is
an exact zero, a tie an exact equality.  This is what makes
``enumerate_equilibria(..., exact=True)`` exact end to end (payoffs of very
different sizes, Python integers beyond the range of a float) and what the
float vertex method falls back to when a game's payoff differences are too
small against its payoff range for floating-point labels.

Cost grows with the number of feasible bases (the vertices, times their
degeneracy); meant for small games.  The tableaux hold integers with a
common denominator (integer pivoting, Edmonds 1967), so no gcd is taken
during the search.
"""

from __future__ import annotations

import math
from fractions import Fraction

from ..errors import SolverError

__all__ = ["exact_polytope_vertices", "DEFAULT_MAX_BASES"]

#: Feasible bases explored before giving up (the float method or pygambit fit larger games).
DEFAULT_MAX_BASES = 20_000


def exact_polytope_vertices(C, max_bases: int = DEFAULT_MAX_BASES, progress=None):
    """Every vertex of :math:`\\{z \\ge 0 : C z \\le 1\\}` for a positive rational matrix *C*.

    Parameters
    ----------
    C : sequence of sequence of Fraction
        ``k`` rows of ``d`` positive entries.
    max_bases : int
        Bound on the number of feasible bases explored.
    progress : callable, optional
        Called after each breadth-first level as ``progress(n_bases, frontier)``.

    Returns
    -------
    list of tuple of Fraction
        One entry per vertex (the origin included): the values of the ``d``
        coordinates followed by the ``k`` slacks ``1 - (C z)_r``; a variable
        is zero exactly when its constraint is tight (a label).

    Raises
    ------
    SolverError
        If an entry of *C* is not positive, or more than *max_bases*
        feasible bases are met (the game is too large or too degenerate for
        exact enumeration).
    """
    k, d = len(C), len(C[0])
    if any(not c > 0 for row in C for c in row):
        raise SolverError("exact vertex enumeration needs a positive constraint matrix (shift the payoffs)")
    nvar = d + k
    # integer pivoting (Edmonds 1967; as in von Stengel's and Avis's lrs codes): scale C z <= 1 to
    # integers, L C z <= L; a tableau holds integers whose common denominator is the last pivot element
    L = 1
    for row in C:
        for c in row:
            L = L * Fraction(c).denominator // math.gcd(L, Fraction(c).denominator)
    # the integer system (L C) z + s' = L with scaled slacks s' = L s, tableau [L C | I | L] with common
    # denominator 1; every later tableau's entries are minors of it divided exactly by the previous pivot
    T0 = [[int(Fraction(c) * L) for c in C[r]] + [1 if s == r else 0 for s in range(k)] + [L] for r in range(k)]
    basis0 = tuple(range(d, nvar))
    seen = {frozenset(basis0)}
    frontier = [(T0, basis0, 1)]
    vertices = {}
    while frontier:
        nxt = []
        for T, basis, det in frontier:
            values = [Fraction(0)] * nvar
            for r, var in enumerate(basis):
                values[var] = Fraction(T[r][-1], det) if var < d else Fraction(T[r][-1], det * L)
            vertices.setdefault(tuple(values), None)
            inbasis = set(basis)
            for e in range(nvar):
                if e in inbasis:
                    continue
                rows = [r for r in range(k) if T[r][e] > 0]
                if not rows:
                    continue
                # minimum ratio rhs_r / T_re, compared by cross-multiplication (positive denominators)
                best = rows[0]
                for r in rows[1:]:
                    if T[r][-1] * T[best][e] < T[best][-1] * T[r][e]:
                        best = r
                for r in rows:
                    if T[r][-1] * T[best][e] != T[best][-1] * T[r][e]:
                        continue
                    nb = basis[:r] + (e,) + basis[r + 1:]
                    key = frozenset(nb)
                    if key in seen:
                        continue
                    seen.add(key)
                    if len(seen) > max_bases:
                        raise SolverError(f"exact vertex enumeration stopped after {max_bases} feasible bases "
                                          "(the game is too large or too degenerate for exact arithmetic); "
                                          "use exact=False, or method='gambit'")
                    nxt.append((_pivot(T, r, e, det), nb, T[r][e]))
        frontier = nxt
        if progress is not None:
            progress(len(seen), len(frontier))
    return list(vertices)


def _pivot(T, r, e, det):
    """Integer pivot on row *r*, column *e*: ``T'[s] = (T[s] * p - T[s][e] * T[r]) / det`` for ``s != r``
    (exact division), row *r* unchanged; the new common denominator is ``p = T[r][e]``."""
    p = T[r][e]
    prow = T[r]
    out = []
    for s, row in enumerate(T):
        if s == r:
            out.append(list(prow))
            continue
        f = row[e]
        out.append([(a * p - f * b) // det for a, b in zip(row, prow)])
    return out
