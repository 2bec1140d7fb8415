"""Vertex enumeration of a best-response polytope by a vectorized basis search.

The best-response polytopes of a bimatrix game :math:`(A, B)` with positive
payoffs are (von Stengel 2007, sec. 3.2)

.. math::

    P = \\{x \\in R^m : x \\ge 0,\\; B^T x \\le 1\\}, \\qquad
    Q = \\{y \\in R^n : y \\ge 0,\\; A y \\le 1\\}.

Both have the form :math:`\\{z \\ge 0 : C z \\le 1\\}` with a positive matrix
:math:`C`, which is bounded and contains the origin.  With slacks
:math:`s = 1 - C z` it is the standard-form system :math:`[C\\;I](z, s) = 1`,
:math:`(z, s) \\ge 0`, whose feasible *bases* (choices of ``k`` basic
variables) give the vertices.

This module finds **every feasible basis** by breadth-first search over
simplex pivots, starting from the all-slack basis (the origin), and expanding
the whole frontier at once with array operations.  At each basis every
nonbasic variable is tried as the entering variable and *every* row attaining
the minimum ratio is tried as the leaving one, so ties (degenerate pivots)
are all followed.  The graph of feasible bases of a polyhedron in standard
form is connected, including at degenerate vertices (the degeneracy graph is
connected: Gal 1985; Kruse 1986, *Degeneracy Graphs and the Neighbourhood
Problem*, LNEMS 260), so the search reaches every basis and hence every
vertex.  Each vertex is then labelled with **all** its tight constraints, not
only those of the basis that found it, which is what makes the pairing of
complementary vertices complete in degenerate games.

References
----------
B. von Stengel (2007), "Equilibrium computation for two-player games in
strategic and extensive form", ch. 3 of *Algorithmic Game Theory*
(Nisan, Roughgarden, Tardos, Vazirani, eds.), Cambridge UP.

D. Avis, G. Rosenberg, R. Savani, B. von Stengel (2010), "Enumeration of Nash
equilibria for two-player games", *Economic Theory* 42: 9-37.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import SolverError

__all__ = ["PolytopeVertices", "polytope_vertices"]

#: Largest number of variables plus constraints a 64-bit label mask can hold.
MAX_LABELS = 62


@dataclass(frozen=True)
class PolytopeVertices:
    """The vertices of :math:`\\{z \\ge 0 : C z \\le 1\\}` with their labels.

    Attributes
    ----------
    points : ndarray, shape (V, d)
        The vertices (the origin included).
    zero : ndarray of bool, shape (V, d + k)
        ``zero[v, j]`` is True when variable ``j`` (the ``d`` coordinates, then
        the ``k`` slacks) is zero at vertex ``v``: the tight constraints.
    bases : ndarray of int, shape (V, k)
        One feasible basis (indices of the basic variables) for each vertex.
    n_bases : int
        Number of feasible bases visited (larger than ``V`` when degenerate).
    """

    points: np.ndarray
    zero: np.ndarray
    bases: np.ndarray
    n_bases: int

    @property
    def degenerate(self) -> bool:
        """True when some vertex has more than ``d`` tight constraints."""
        return bool(np.any(self.zero.sum(1) > self.points.shape[1]))


def polytope_vertices(C: np.ndarray, tol: float = 1e-9, max_bases: int = 5_000_000) -> PolytopeVertices:
    """Every vertex of :math:`\\{z \\ge 0 : C z \\le 1\\}` for a positive matrix *C*.

    Parameters
    ----------
    C : ndarray, shape (k, d)
        Constraint matrix with positive entries (then the set is a polytope
        containing the origin).  Entries of moderate size (say in ``[1, 2]``)
        keep the pivots well conditioned.
    tol : float
        A value of magnitude ``<= tol`` counts as zero (tight constraint,
        tied ratio).
    max_bases : int
        Safety bound on the number of feasible bases explored.

    Returns
    -------
    PolytopeVertices
    """
    C = np.asarray(C, dtype=float)
    k, d = C.shape
    nvar = d + k
    if nvar > MAX_LABELS:
        raise SolverError(f"vertex enumeration supports games with at most {MAX_LABELS} actions in total, "
                          f"got {d} + {k}")
    if not np.all(C > 0):
        raise SolverError("vertex enumeration needs a positive constraint matrix (shift the payoffs)")
    ncol = nvar + 1
    T0 = np.zeros((1, k, ncol))
    T0[0, :, :d] = C
    T0[0, :, d:nvar] = np.eye(k)
    T0[0, :, -1] = 1.0
    basis0 = np.arange(d, nvar)[None, :]
    bit = np.left_shift(np.int64(1), np.arange(nvar, dtype=np.int64))
    mask0 = np.array([bit[d:].sum()], dtype=np.int64)

    tabs, bases, masks = [T0], [basis0], [mask0]
    visited = mask0.copy()
    T, basis, mask = T0, basis0, mask0
    total = 1
    while T.shape[0]:
        F = T.shape[0]
        rhs = T[:, :, -1]                                   # (F, k)
        cols = T[:, :, :nvar]                               # (F, k, nvar)
        isbasic = np.zeros((F, nvar), dtype=bool)
        isbasic[np.arange(F)[:, None], basis] = True
        pos = cols > tol
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(pos, rhs[:, :, None] / np.where(pos, cols, 1.0), np.inf)
        theta = ratio.min(axis=1)                           # (F, nvar)
        ok = np.isfinite(theta) & ~isbasic
        leave = (ratio <= theta[:, None, :] + tol) & pos & ok[:, None, :]
        f_i, r_i, e_i = np.nonzero(leave)
        if f_i.size == 0:
            break
        new_mask = mask[f_i] - bit[basis[f_i, r_i]] + bit[e_i]
        uniq, first = np.unique(new_mask, return_index=True)
        fresh = ~np.isin(uniq, visited, assume_unique=True)
        if not np.any(fresh):
            break
        sel = first[fresh]
        f_i, r_i, e_i, new_mask = f_i[sel], r_i[sel], e_i[sel], uniq[fresh]
        # pivot on (r_i, e_i) in tableau f_i
        Tf = T[f_i]                                         # (N, k, ncol)
        N = Tf.shape[0]
        piv_row = Tf[np.arange(N), r_i, :] / Tf[np.arange(N), r_i, e_i][:, None]
        col_e = Tf[np.arange(N), :, e_i]                    # (N, k)
        Tn = Tf - col_e[:, :, None] * piv_row[:, None, :]
        Tn[np.arange(N), r_i, :] = piv_row
        rhs_n = Tn[:, :, -1]
        rhs_n[np.abs(rhs_n) <= tol] = 0.0                   # snap ties to exact zeros
        if np.any(rhs_n < 0):                               # should not happen: pivots keep feasibility
            raise SolverError("vertex enumeration lost feasibility (numerically ill-conditioned game)")
        bn = basis[f_i].copy()
        bn[np.arange(N), r_i] = e_i
        T, basis, mask = Tn, bn, new_mask
        visited = np.union1d(visited, new_mask)
        tabs.append(T)
        bases.append(basis)
        masks.append(mask)
        total += N
        if total > max_bases:
            raise SolverError(f"vertex enumeration stopped after {max_bases} feasible bases "
                              "(a highly degenerate game); use method='gambit'")
    T = np.concatenate(tabs)
    basis = np.concatenate(bases)
    V = T.shape[0]
    values = np.zeros((V, nvar))
    values[np.arange(V)[:, None], basis] = T[:, :, -1]
    zero = values <= tol
    keys = zero @ bit
    _, first = np.unique(keys, return_index=True)
    first.sort()
    return PolytopeVertices(points=values[first, :d], zero=zero[first], bases=basis[first], n_bases=V)
