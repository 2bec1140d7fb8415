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


#: Default bound on the feasible bases :func:`polytope_vertices` visits (read at each call, so a user who
#: wants all equilibria of a large game can raise it): about 50,000 bases are visited per CPU second, and
#: a random 16x16 game has about 140,000 bases per polytope, an 18x18 one about a million.
MAX_BASES = 150_000
#: Default memory budget of :func:`polytope_vertices` (bytes): the bases kept plus the frontier tableaux.
MAX_BYTES = 512 * 2**20
#: Tableaux pivoted at once (bounds the frontier's working memory whatever its size).
CHUNK = 4096

#: What to use instead when a game is too large for complete enumeration (named in the refusal).
ALTERNATIVES = "pure equilibria (concept 'pure'), one equilibrium (one_equilibrium) or the logit QRE (concept 'qre')"


def bases_budget(k: int, d: int, max_bytes: int = MAX_BYTES) -> int:
    """Number of feasible bases of a ``k x d`` system that fit in *max_bytes*.

    Each basis kept costs its basic variables and their values (``16 k`` bytes) and a mask (8 bytes);
    the frontier is pivoted in chunks of :data:`CHUNK` tableaux of ``k (d + k + 1)`` floats.
    """
    per_basis = 16 * k + 16                 # basis indices, basic values, mask, visited set
    working = 8 * CHUNK * k * (d + k + 1) * 4
    return max(1, (max_bytes - working) // per_basis)


def polytope_vertices(C: np.ndarray, tol: float = 1e-9, max_bases: int | None = None,
                      max_bytes: int = MAX_BYTES, progress=None) -> PolytopeVertices:
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
    max_bases : int, optional
        Bound on the number of feasible bases explored (default
        :data:`MAX_BASES`, read at call time).
    max_bytes : int
        Memory budget (default :data:`MAX_BYTES`, 512 MiB).  Only the basis
        and the basic values of each feasible basis are kept (not its
        tableau), and the frontier is pivoted :data:`CHUNK` tableaux at a
        time, so the peak memory is about ``max_bytes`` whatever the game;
        the search stops with :class:`SolverError` when the bases found so
        far would exceed it.
    progress : callable, optional
        Called after each breadth-first level as ``progress(n_bases, frontier)``.

    Returns
    -------
    PolytopeVertices

    Raises
    ------
    SolverError
        When more than *max_bases* feasible bases, or more than fit in
        *max_bytes*, are found; the message gives the size and the methods
        that fit large games.
    """
    C = np.asarray(C, dtype=float)
    k, d = C.shape
    nvar = d + k
    if nvar > MAX_LABELS:
        raise SolverError(f"vertex enumeration supports games with at most {MAX_LABELS} actions in total, "
                          f"got {d} + {k}")
    if not np.all(C > 0):
        raise SolverError("vertex enumeration needs a positive constraint matrix (shift the payoffs)")
    if max_bases is None:
        max_bases = MAX_BASES
    cap = min(int(max_bases), bases_budget(k, d, max_bytes))
    ncol = nvar + 1
    T0 = np.zeros((1, k, ncol))
    T0[0, :, :d] = C
    T0[0, :, d:nvar] = np.eye(k)
    T0[0, :, -1] = 1.0
    basis0 = np.arange(d, nvar)[None, :]
    bit = np.left_shift(np.int64(1), np.arange(nvar, dtype=np.int64))
    mask0 = np.array([bit[d:].sum()], dtype=np.int64)

    # Per basis only the basis and its basic values are kept, never its tableau (a tableau per basis made a
    # 14x14 game take 429 MB and an 18x18 one pass 4 GiB); the frontier is expanded CHUNK bases at a time,
    # each chunk's tableaux recomputed from its bases (one batched solve).
    M = T0[0]                                           # [C I 1], the tableau of the all-slack basis
    rhs_kept, bases = [np.ones((1, k))], [basis0]
    visited = mask0.copy()
    basis, mask = basis0, mask0
    total = 1
    while basis.shape[0]:
        new_rhs, new_basis, new_mask = [], [], []
        seen_level = np.zeros(0, np.int64)
        for c0 in range(0, basis.shape[0], CHUNK):
            bc, mc = basis[c0:c0 + CHUNK], mask[c0:c0 + CHUNK]
            Tc = _tableaux(M, bc, tol)
            out = _expand(Tc, bc, mc, bit, nvar, tol)
            if out is None:
                continue
            f_i, r_i, e_i, nm = out
            fresh = ~np.isin(nm, visited, assume_unique=True) & ~np.isin(nm, seen_level, assume_unique=True)
            if not np.any(fresh):
                continue
            f_i, r_i, e_i, nm = f_i[fresh], r_i[fresh], e_i[fresh], nm[fresh]
            seen_level = np.union1d(seen_level, nm)
            total += nm.size
            if total > cap:
                raise SolverError(_too_large(k, d, total, cap, max_bases, max_bytes))
            rn, bn = _pivot(Tc, bc, f_i, r_i, e_i, tol)
            new_rhs.append(rn)
            new_basis.append(bn)
            new_mask.append(nm)
        if not new_basis:
            break
        rhs, basis, mask = np.concatenate(new_rhs), np.concatenate(new_basis), np.concatenate(new_mask)
        visited = np.union1d(visited, mask)
        rhs_kept.append(rhs)
        bases.append(basis)
        if progress is not None:
            progress(total, basis.shape[0])
    rhs = np.concatenate(rhs_kept)
    basis = np.concatenate(bases)
    V = rhs.shape[0]
    values = np.zeros((V, nvar))
    values[np.arange(V)[:, None], basis] = rhs
    zero = values <= tol
    keys = zero @ bit
    _, first = np.unique(keys, return_index=True)
    first.sort()
    return PolytopeVertices(points=values[first, :d], zero=zero[first], bases=basis[first], n_bases=V)


def _tableaux(M, basis, tol):
    """The simplex tableaux ``B^-1 [C I 1]`` of a chunk of bases (F, k, ncol), basic columns set exactly."""
    F, k = basis.shape
    Bm = M[:, basis].transpose(1, 0, 2)                 # (F, k, k): the basic columns
    T = np.linalg.solve(Bm, np.broadcast_to(M, (F,) + M.shape))
    T[np.abs(T) <= tol * 1e-3] = 0.0
    T[np.arange(F)[:, None], np.arange(k)[None, :], basis] = 1.0      # basic columns are unit vectors
    rhs = T[:, :, -1]
    rhs[np.abs(rhs) <= tol] = 0.0
    return T


def _expand(T, basis, mask, bit, nvar, tol):
    """Every (tableau, leaving row, entering variable) pivot of a chunk of the frontier, one per new basis
    mask (the first found), or None when there is none."""
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
        return None
    new_mask = mask[f_i] - bit[basis[f_i, r_i]] + bit[e_i]
    uniq, first = np.unique(new_mask, return_index=True)
    return f_i[first], r_i[first], e_i[first], uniq


def _pivot(T, basis, f_i, r_i, e_i, tol):
    """The basic values and the basis after pivoting tableau ``f_i`` on (row ``r_i``, column ``e_i``)."""
    N = f_i.shape[0]
    piv = T[f_i, r_i, e_i]                              # (N,)
    rhs = T[f_i, :, -1]                                 # (N, k)
    col_e = T[f_i, :, e_i]                              # (N, k)
    step = rhs[np.arange(N), r_i] / piv
    rhs_n = rhs - col_e * step[:, None]
    rhs_n[np.arange(N), r_i] = step
    rhs_n[np.abs(rhs_n) <= tol] = 0.0                   # snap ties to exact zeros
    if np.any(rhs_n < 0):                               # should not happen: pivots keep feasibility
        raise SolverError("vertex enumeration lost feasibility (numerically ill-conditioned game)")
    bn = basis[f_i].copy()
    bn[np.arange(N), r_i] = e_i
    return rhs_n, bn


def _too_large(k, d, total, cap, max_bases, max_bytes) -> str:
    why = (f"more than {max_bases} feasible bases (deterrence.solve.polytope.MAX_BASES)" if cap >= max_bases
           else f"more than {cap} feasible bases, the {max_bytes // 2**20} MiB memory budget")
    return (f"complete vertex enumeration of a best-response polytope with {d} variables and {k} constraints "
            f"found {why} (a large or highly degenerate game); use {ALTERNATIVES}")
