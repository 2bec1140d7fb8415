"""Small polytopes solved exactly by their vertices, for a whole batch at once.

The perfect Bayesian solvers for signalling games decide, for each support
pattern, whether a polytope ``{x >= 0 : A_eq x = b_eq, A_ub x <= b_ub}``
holds a point with every coordinate of a support strictly positive.  The
polytopes are tiny (a handful of variables) but there is one per parameter
point, so instead of calling an LP solver per point this module enumerates
the vertices of every point's polytope at once: each vertex solves a square
system made of the equalities and some active inequalities
(``numpy.linalg.solve`` on a stack of small matrices).  The centroid of
the feasible vertices is a relative-interior point (every vertex has a
positive weight), so a coordinate is positive somewhere in the polytope
exactly when it is positive at the centroid.

Unlike an LP solver with absolute feasibility tolerances of about 1e-7,
vertices are computed to relative precision, so a strategy that mixes with
probability 1e-8 (a hybrid equilibrium at a prior of 1e-8) is found.
Every row is scaled to unit largest coefficient first, and redundant
equalities are dropped per point (by the singular values of the equality
block), so degenerate systems are handled too.
"""

from __future__ import annotations

from itertools import combinations
from math import comb

import numpy as np

__all__ = ["interior_point", "vertex_hull", "n_combinations", "MAX_COMBINATIONS"]

#: Beyond this many candidate vertices per point the caller should use an LP solver instead.
MAX_COMBINATIONS = 20_000

_FEAS = 1e-10     # feasibility tolerance on rows scaled to unit largest coefficient
_RANK = 1e-11     # relative singular-value threshold for redundant equalities


def _scale_rows(A, b):
    # by the largest of the coefficients and the right-hand side: a row ``0 x = b`` with a tiny b (payoffs
    # in units of 1e-12, a prior of 1e-9) is infeasible, not within an absolute tolerance
    m = np.maximum(np.abs(A).max(-1), np.abs(b))
    m = np.where(m > 0, m, 1.0)
    return A / m[..., None], b / m


def n_combinations(n: int, n_eq: int, n_ub: int) -> int:
    """Upper bound on the candidate vertices per point of :func:`interior_point` for these sizes."""
    m = n_ub + n
    return max(comb(m, n - r) for r in range(0, min(n_eq, n) + 1))


def interior_point(A_eq, b_eq, A_ub, b_ub):
    """Batched relative-interior point of ``{x >= 0 : A_eq x = b_eq, A_ub x <= b_ub}`` (a bounded set).

    See :func:`vertex_hull` (this returns its first two results).
    """
    ok, x, _, _ = vertex_hull(A_eq, b_eq, A_ub, b_ub)
    return ok, x


def vertex_hull(A_eq, b_eq, A_ub, b_ub):
    """Batched centroid and coordinate ranges of ``{x >= 0 : A_eq x = b_eq, A_ub x <= b_ub}`` (bounded).

    The centroid of the set's vertices has every weight positive, so it lies
    in the relative interior: a coordinate is positive somewhere in the set
    exactly when it is positive there.

    Parameters
    ----------
    A_eq : ndarray, shape (B, ke, n)
    b_eq : ndarray, shape (B, ke)
    A_ub : ndarray, shape (B, ku, n)
    b_ub : ndarray, shape (B, ku)

    Returns
    -------
    feasible : ndarray of bool, shape (B,)
    x : ndarray, shape (B, n)
        The centroid of the vertices (NaN where the set is empty).
    lo, hi : ndarray, shape (B, n)
        The smallest and largest value of each coordinate over the set (its
        vertices; NaN where the set is empty).
    """
    A_eq = np.asarray(A_eq, float)
    A_ub = np.asarray(A_ub, float)
    B, ke, n = A_eq.shape
    ku = A_ub.shape[1]
    G = np.concatenate([A_ub, np.broadcast_to(-np.eye(n), (B, n, n))], axis=1)      # rows G x <= h
    h = np.concatenate([np.asarray(b_ub, float).reshape(B, ku), np.zeros((B, n))], axis=1)
    G, h = _scale_rows(G, h)
    E, f = _scale_rows(A_eq, np.asarray(b_eq, float).reshape(B, ke))
    x_out = np.full((B, n), np.nan)
    lo_out = np.full((B, n), np.nan)
    hi_out = np.full((B, n), np.nan)
    kmin = min(ke, n)
    U = np.zeros((B, ke, kmin))
    sv = np.zeros((B, kmin))
    Vt = np.zeros((B, kmin, n))
    rank = np.full(B, ke, np.int64)
    if ke:
        # independent equalities (the usual case) have a Gram determinant well away from zero;
        # the others get the rank and an independent basis from the SVD, grouped by rank
        gram = np.linalg.det(np.einsum("bkj,blj->bkl", E, E))
        low = np.flatnonzero(gram <= _RANK)
        if len(low):
            U[low], sv[low], Vt[low] = np.linalg.svd(E[low], full_matrices=False)
            rank[low] = (sv[low] > _RANK * np.maximum(sv[low, :1], 1e-300)).sum(1)
    m = G.shape[1]
    for r in np.unique(rank):
        d = n - int(r)
        combos = np.array(list(combinations(range(m), d)), np.int64).reshape(-1, d) if d else np.zeros((1, 0), np.int64)
        step = max(1, int(4e6 // max(len(combos) * n * (n + 1), 1)))
        every = np.flatnonzero(rank == r)
        for c0 in range(0, len(every), step):
            idx = every[c0:c0 + step]
            x_out[idx], lo_out[idx], hi_out[idx] = _centroid(idx, int(r), combos, n, ke, G, h, E, f, U, sv, Vt)
    return np.isfinite(x_out).all(1), x_out, lo_out, hi_out


def _centroid(idx, r, combos, n, ke, G, h, E, f, U, sv, Vt):
    """Centroid and coordinate ranges of the feasible vertices for the points *idx* (equality rank *r*).

    NaN where no vertex is feasible."""
    nb, nc = len(idx), len(combos)
    M = np.empty((nb, nc, n, n))
    rhs = np.empty((nb, nc, n))
    if r == ke:
        # independent equalities: keep the rows as given (a tiny coefficient keeps its relative precision)
        M[:, :, :r] = E[idx][:, None]
        rhs[:, :, :r] = f[idx][:, None]
    elif r:
        M[:, :, :r] = (sv[idx, :r, None] * Vt[idx, :r])[:, None]
        rhs[:, :, :r] = np.einsum("bkr,bk->br", U[idx][:, :, :r], f[idx])[:, None]
    Gi, hi = G[idx], h[idx]
    M[:, :, r:] = Gi[:, combos]
    rhs[:, :, r:] = hi[:, combos]
    det = np.linalg.det(M)
    ok = np.abs(det) > 1e-12
    M[~ok] = np.eye(n)
    z = np.linalg.solve(M, rhs[..., None])[..., 0]
    feas = ok & np.all(np.einsum("bkj,bcj->bck", Gi, z) <= hi[:, None] + _FEAS, axis=2)
    if ke:
        feas &= np.abs(np.einsum("bkj,bcj->bck", E[idx], z) - f[idx][:, None]).max(2) <= _FEAS
    # one step of iterative refinement on the feasible vertices: the residual of a row whose terms are
    # all tiny (a prior of 1e-9 times a payoff) is computed to full relative precision, so a tiny
    # coordinate gets its own relative precision back, not just 1e-16 of the largest one
    bi, ci = np.nonzero(feas)
    if len(bi):
        Mf, zf = M[bi, ci], z[bi, ci]
        zf = zf + np.linalg.solve(Mf, (rhs[bi, ci] - np.einsum("kij,kj->ki", Mf, zf))[..., None])[..., 0]
        z[bi, ci] = zf
    cnt = feas.sum(1)
    tot = np.einsum("bc,bcj->bj", feas.astype(float), np.where(feas[..., None], z, 0.0))
    some = cnt[:, None] > 0
    lo = np.where(some, np.where(feas[..., None], z, np.inf).min(1), np.nan)
    hi = np.where(some, np.where(feas[..., None], z, -np.inf).max(1), np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(some, tot / cnt[:, None], np.nan), lo, hi
