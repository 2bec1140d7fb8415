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
degeneracy); meant for small games.
"""

from __future__ import annotations

from fractions import Fraction

from ..errors import SolverError

__all__ = ["exact_polytope_vertices", "DEFAULT_MAX_BASES"]

#: Feasible bases explored before giving up (the float method or pygambit fit larger games).
DEFAULT_MAX_BASES = 20_000


def exact_polytope_vertices(C, max_bases: int = DEFAULT_MAX_BASES):
    """Every vertex of :math:`\\{z \\ge 0 : C z \\le 1\\}` for a positive rational matrix *C*.

    Parameters
    ----------
    C : sequence of sequence of Fraction
        ``k`` rows of ``d`` positive entries.
    max_bases : int
        Bound on the number of feasible bases explored.

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
    one = Fraction(1)
    # tableau rows: coefficients of the nvar variables, then the right-hand side
    T0 = [[Fraction(c) for c in C[r]] + [one if s == r else Fraction(0) for s in range(k)] + [one]
          for r in range(k)]
    basis0 = tuple(range(d, nvar))
    seen = {frozenset(basis0)}
    frontier = [(T0, basis0)]
    vertices = {}
    while frontier:
        nxt = []
        for T, basis in frontier:
            values = [Fraction(0)] * nvar
            for r, var in enumerate(basis):
                values[var] = T[r][-1]
            vertices.setdefault(tuple(values), None)
            inbasis = set(basis)
            for e in range(nvar):
                if e in inbasis:
                    continue
                rows = [r for r in range(k) if T[r][e] > 0]
                if not rows:
                    continue
                theta = min(T[r][-1] / T[r][e] for r in rows)
                for r in rows:
                    if T[r][-1] / T[r][e] != theta:
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
                    nxt.append((_pivot(T, r, e), nb))
        frontier = nxt
    return list(vertices)


def _pivot(T, r, e):
    """The tableau after pivoting on row *r*, column *e* (a new list of lists)."""
    piv = T[r][e]
    prow = [v / piv for v in T[r]]
    out = []
    for s, row in enumerate(T):
        if s == r:
            out.append(prow)
            continue
        f = row[e]
        out.append(list(row) if f == 0 else [a - f * b for a, b in zip(row, prow)])
    return out
