"""Settle whether a computed root of a polynomial system is real.

An eigenvalue method (:func:`~deterrence.solve.nplayer_groebner.solve_zero_dim`)
returns every complex solution of a zero-dimensional system, but an
ill-conditioned *real* root can come out of it with a computed imaginary part
above the 1e-6 a caller uses to tell real roots from complex ones.  Dropping it
would lose an equilibrium while the listing still claims to be complete.

:func:`settle_root` decides such a root by Newton's method in complex
arithmetic started at it (Newton's iteration converges quadratically to a
simple root from a close enough start, real or complex; e.g. Cox, Little &
O'Shea, *Using Algebraic Geometry*, 2005, ch. 2 sec. 4 on polishing the
eigenvalue solutions): a solution reached within 1e-6 of the real line is a
real root; one reached clearly off it is a complex root; when Newton's method
reaches no solution the root is *undecided* and the caller must report its
listing incomplete.  Shared by the n-player Groebner path and the symmetric
k-action solver.
"""

from __future__ import annotations

import numpy as np

__all__ = ["IMAG_TOL", "newton_system", "poly_newton", "settle_root", "coincide"]

#: A computed solution with every imaginary part within this is taken as real.
IMAG_TOL = 1e-6


def newton_system(F, J, y0, iters=30, dtype=float):
    """Newton's method on the system ``F(y) = 0`` with Jacobian ``J`` from *y0*.

    Parameters
    ----------
    F, J : callable
        ``F(y)`` the residuals (length q), ``J(y)`` the q x k Jacobian.  With
        more equations than unknowns (q > k) each step is the least-squares
        (Gauss-Newton) step, which converges like Newton's at a solution of a
        consistent system.
    y0 : array_like
        Start, length k.
    iters : int
        Most steps; the iteration stops early on a step below 1e-15 or a
        singular Jacobian.
    dtype : {float, complex}
        Arithmetic of the iteration (complex to follow a root off the real line).

    Returns
    -------
    ndarray
        The last iterate (the caller checks whether it solves the system).
    """
    y = np.asarray(y0, dtype)
    for _ in range(iters):
        f = np.asarray(F(y), dtype).reshape(-1)
        Jy = np.asarray(J(y), dtype).reshape(len(f), len(y))
        try:
            if Jy.shape[0] == Jy.shape[1]:
                step = np.linalg.solve(Jy, f)
            else:
                step = np.linalg.lstsq(Jy, f, rcond=None)[0]
        except np.linalg.LinAlgError:
            break
        y = y - step
        if not np.all(np.isfinite(y)) or np.max(np.abs(step)) < 1e-15:
            break
    return y


def poly_newton(eqs, gens, y0, iters=30, dtype=float):
    """:func:`newton_system` on the polynomial system *eqs* (sympy Polys in *gens*) from *y0*.

    The residuals and Jacobian are the lambdified polynomials and their
    partial derivatives; ``dtype=complex`` follows a root off the real line.
    """
    import sympy as sp

    F = sp.lambdify([gens], [e.as_expr() for e in eqs], "numpy")
    J = sp.lambdify([gens], [[e.as_expr().diff(g) for g in gens] for e in eqs], "numpy")
    return newton_system(F, J, y0, iters=iters, dtype=dtype)


def settle_root(z, newton, solves):
    """Whether the computed solution *z* of a polynomial system stands for a real root.

    Parameters
    ----------
    z : array_like of complex
        A computed solution (typically one whose imaginary part exceeds
        :data:`IMAG_TOL`).
    newton : callable
        ``newton(z0)`` runs Newton's method in complex arithmetic from the
        complex vector ``z0`` and returns the last iterate.
    solves : callable
        ``solves(w)`` is True when *w* solves the system to the caller's
        residual tolerance.

    Returns
    -------
    (str, ndarray or None)
        ``("real", w.real)`` when Newton's method reaches a solution within
        :data:`IMAG_TOL` of the real line (to be polished and certified as any
        real candidate); ``("complex", w)`` when it reaches one further off
        (not a candidate: no mixed strategy is complex); ``("undecided",
        None)`` when it reaches no solution -- the caller must then mark its
        listing incomplete with a note.
    """
    w = np.asarray(newton(np.asarray(z, complex)), complex)
    if not np.all(np.isfinite(w)) or not solves(w):
        return "undecided", None
    if np.max(np.abs(w.imag), initial=0.0) <= IMAG_TOL:
        return "real", w.real
    return "complex", w


def coincide(a, b, atol=1e-9):
    """True when two (real or complex) solution vectors are the same root to within *atol* (relative to 1 + |a|)."""
    a = np.asarray(a, complex)
    b = np.asarray(b, complex)
    return bool(np.all(np.abs(a - b) <= atol * (1.0 + np.abs(a))))
