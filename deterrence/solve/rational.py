"""Exact rational linear algebra for small systems (``fractions.Fraction``).

Used to re-solve the bases found in floating point exactly, so that exact
equilibria of games with integer or rational payoffs come out as fractions
and are verified with zero regret in exact arithmetic.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Sequence

__all__ = ["to_fraction", "solve_exact", "exact_regret"]


def to_fraction(v) -> Fraction:
    """A number as a :class:`~fractions.Fraction` (floats exactly, as binary rationals)."""
    if isinstance(v, Fraction):
        return v
    if isinstance(v, int):
        return Fraction(v)
    return Fraction(float(v))


def solve_exact(M: Sequence[Sequence[Fraction]], b: Sequence[Fraction]) -> list[Fraction] | None:
    """Solve the square system ``M z = b`` by Gaussian elimination over the rationals.

    Returns ``None`` when *M* is singular.
    """
    k = len(M)
    aug = [list(row) + [b[i]] for i, row in enumerate(M)]
    for c in range(k):
        p = next((r for r in range(c, k) if aug[r][c] != 0), None)
        if p is None:
            return None
        aug[c], aug[p] = aug[p], aug[c]
        pr = aug[c]
        inv = 1 / pr[c]
        pr[:] = [v * inv for v in pr]
        for r in range(k):
            if r != c and aug[r][c] != 0:
                f = aug[r][c]
                row = aug[r]
                row[:] = [a - f * q for a, q in zip(row, pr)]
    return [aug[r][k] for r in range(k)]


def exact_regret(A, B, x: Sequence[Fraction], y: Sequence[Fraction]) -> Fraction:
    """Largest gain from a unilateral deviation at ``(x, y)``, in exact arithmetic.

    *A*, *B* are nested sequences of Fractions (``m x n``), *x* and *y* mixed
    strategies as Fractions.
    """
    m, n = len(A), len(A[0])
    row_vals = [sum((A[i][j] * y[j] for j in range(n)), Fraction(0)) for i in range(m)]
    col_vals = [sum((B[i][j] * x[i] for i in range(m)), Fraction(0)) for j in range(n)]
    u = sum((x[i] * row_vals[i] for i in range(m)), Fraction(0))
    v = sum((y[j] * col_vals[j] for j in range(n)), Fraction(0))
    return max(max(row_vals) - u, max(col_vals) - v)
