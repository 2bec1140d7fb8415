"""Exact elimination for the indifference systems of n-player support enumeration.

For a support profile ``(S_1, ..., S_n)`` write ``d_i = |S_i| - 1`` and
parametrise player *i*'s strategy on her support by ``x_i`` (``d_i`` numbers:
the probabilities of ``S_i[1:]``; ``S_i[0]`` gets the rest).  Player *i*'s
``d_i`` indifference equations ``U_ik - U_i,S_i[0] = 0`` are *multi-affine*:
affine in each other player's ``x_j`` separately and free of ``x_i``.  With
integer payoffs every coefficient is an integer.  Call a player *mixing* when
``d_i > 0``; pure players only fix coefficients.

This module decides and solves the systems of the common small shapes
exactly, in integer arithmetic with univariate polynomials, instead of a
Groebner basis:

* one mixing player: the equations are constants;
* two mixing players ``i, j``: two linear systems ``A_i x_j = -b_i`` and
  ``A_j x_i = -b_j`` (the two-player case, Mangasarian 1964), decided by exact
  rank computations;
* three mixing players with sizes ``(d, d, 1)``, the third (``h``) with a
  scalar unknown ``t``: given ``t`` the other two players' equations are
  linear, ``A_i(t) x_j = -b_i(t)``, ``A_j(t) x_i = -b_j(t)``, so by Cramer's
  rule ``x_j = N_j(t) / D_i(t)`` with ``D_i = det A_i``; substituting in
  player *h*'s bilinear equation and clearing denominators leaves one
  polynomial ``F(t)`` (degree at most ``2 d``) -- a *hidden-variable
  resultant* (Cox, Little & O'Shea, *Using Algebraic Geometry*, 2005, ch. 3).
  If ``gcd(F, D_i D_j) = 1`` the solutions are exactly the roots of ``F``:
  at a solution with ``D_i(t) = 0`` the system ``A_i x_j = -b_i`` is
  solvable, so ``N_j = -adj(A_i) b_i = adj(A_i) A_i x_j = D_i x_j = 0`` and
  ``F(t) = 0``; the gcd condition excludes this;
* three mixing players with sizes ``(2, 1, 1)``: the two-action player's
  two equations involve only the two scalars ``u, v`` of the others and are
  linear in ``u`` given ``v``; their resultant ``R(v)`` (degree <= 2) gives
  ``v``, then ``u``, and the remaining two equations are linear in the first
  player's ``x`` (decided by ``gcd(R, det) = 1``).

Real roots are counted exactly by a Sturm sequence (Sturm 1835; e.g. Basu,
Pollack & Roy, *Algorithms in Real Algebraic Geometry*, 2006, Thm. 2.50)
computed with primitive pseudo-remainders in integer arithmetic, so the
floating-point roots (``numpy.roots``, polished by Newton's method) are
classified real/complex without a tolerance; the polynomial is required to
be square-free (``gcd(F, F') = 1``), i.e. every solution is simple.

Whenever one of these exact conditions fails (a degenerate game: a zero
polynomial, a common factor, a multiple root) or the shape is not one of the
above, :func:`solve_support_system` returns ``None`` and the caller falls back
to the Groebner-basis method, so nothing is decided here on a tolerance.
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import reduce

import numpy as np

__all__ = ["integer_payoffs", "solve_support_system", "real_roots", "sturm_real_root_count"]


# ---------------------------------------------------------------------- univariate integer polynomials
# A polynomial is a list of Python ints, lowest degree first, with no trailing zeros ([] is zero).

def _trim(p):
    while p and p[-1] == 0:
        p.pop()
    return p


def _add(p, q):
    if len(p) < len(q):
        p, q = q, p
    r = list(p)
    for k, c in enumerate(q):
        r[k] += c
    return _trim(r)


def _sub(p, q):
    return _add(p, [-c for c in q])


def _mul(p, q):
    if not p or not q:
        return []
    r = [0] * (len(p) + len(q) - 1)
    for a, x in enumerate(p):
        if x:
            for b, y in enumerate(q):
                r[a + b] += x * y
    return _trim(r)


def _primitive(p):
    g = reduce(math.gcd, p, 0)
    return [c // g for c in p] if g > 1 else p


def _prem(a, b):
    """Positive multiple of the remainder of *a* by *b* (integer arithmetic)."""
    a = list(a)
    db, lb = len(b) - 1, b[-1]
    s, alb = (1 if lb > 0 else -1), abs(lb)
    while a and len(a) - 1 >= db:
        shift, la = len(a) - 1 - db, a[-1]
        a = [alb * c for c in a]
        for k, c in enumerate(b):
            a[shift + k] -= s * la * c
        _trim(a)
    return _primitive(a)


def _gcd_is_constant(p, q) -> bool:
    """True when the polynomials *p* and *q* (not both zero) have no common root."""
    a, b = _primitive(p), _primitive(q)
    if not a or not b:
        return len(a or b) == 1
    while b:
        a, b = b, _prem(a, b)
    return len(a) == 1


def _deriv(p):
    return _trim([k * c for k, c in enumerate(p)][1:])


def sturm_real_root_count(p):
    """``(number of distinct real roots, square-free?)`` of an integer polynomial, exactly.

    Uses the Sturm sequence ``p, p', -rem(p, p'), ...``; the number of real
    roots is the difference of sign changes at ``-inf`` and ``+inf`` (Sturm
    1835).  The last element is ``gcd(p, p')``, constant iff *p* is
    square-free.
    """
    seq = [_primitive(p), _primitive(_deriv(p))]
    while seq[-1]:
        r = _prem(seq[-2], seq[-1])
        seq.append([-c for c in r])
    seq.pop()

    def changes(signs):
        s = [x for x in signs if x != 0]
        return sum(1 for a, b in zip(s, s[1:]) if a != b)

    plus = [1 if q[-1] > 0 else -1 for q in seq]
    minus = [(1 if q[-1] > 0 else -1) * (-1) ** (len(q) - 1) for q in seq]
    return changes(minus) - changes(plus), len(seq[-1]) == 1


def _to_float(p):
    M = max(abs(c) for c in p)
    return np.array([c / M for c in p])


def real_roots(p):
    """All real roots of a square-free integer polynomial, or None if they cannot be separated.

    The count comes from :func:`sturm_real_root_count`; the roots themselves
    are the eigenvalues of the companion matrix (``numpy.roots``) with the
    smallest imaginary parts, polished by Newton's method.
    """
    if len(p) <= 1:
        return np.zeros(0)
    count, squarefree = sturm_real_root_count(p)
    if not squarefree:
        return None
    if count == 0:
        return np.zeros(0)
    f = _to_float(p)
    z = np.roots(f[::-1])
    z = z[np.argsort(np.abs(z.imag))]
    x = z[:count].real.copy()
    fl = f.tolist()
    dfl = [k * c for k, c in enumerate(fl)][1:]
    for a in range(count):
        t = float(x[a])
        for _ in range(3):  # Newton's method on the exact polynomial (rounded coefficients)
            fx = dfx = 0.0
            for c in reversed(fl):
                fx = fx * t + c
            for c in reversed(dfl):
                dfx = dfx * t + c
            if dfx == 0.0:
                break
            t -= fx / dfx
        x[a] = t
    x.sort()
    scale = 1.0 + np.abs(x)
    if np.any(np.abs(z[:count].imag) > 1e-6 * scale) or np.any(np.diff(x) < 1e-9 * scale[1:]):
        return None
    if count < len(z) and np.abs(z[count].imag) < 1e-9 * (1.0 + abs(z[count])):
        return None  # the next root looks real too: count and numerics disagree
    return x


# ---------------------------------------------------------------------- polynomial matrices
def _det(M):
    """Determinant of a small square matrix of polynomials (cofactor expansion)."""
    d = len(M)
    if d == 1:
        return M[0][0]
    if d == 2:
        return _sub(_mul(M[0][0], M[1][1]), _mul(M[0][1], M[1][0]))
    out = []
    for c in range(d):
        if not M[0][c]:
            continue
        minor = [row[:c] + row[c + 1:] for row in M[1:]]
        term = _mul(M[0][c], _det(minor))
        out = _add(out, term) if c % 2 == 0 else _sub(out, term)
    return out


def _adj_times(M, b):
    """``adj(M) @ b`` for a polynomial matrix *M* and vector *b* (Cramer: entry k is det of M with column k = b)."""
    d = len(M)
    if d == 1:
        return [b[0]]
    out = []
    for k in range(d):
        Mk = [row[:k] + [b[r]] + row[k + 1:] for r, row in enumerate(M)]
        out.append(_det(Mk))
    return out


# ---------------------------------------------------------------------- payoffs and coefficients
def integer_payoffs(R: np.ndarray) -> np.ndarray:
    """Rational payoffs ``(m_1, ..., m_n, n)`` scaled per player to integers.

    Multiplying player *i*'s payoffs by a positive constant changes neither
    her indifference equations' solutions nor anyone's best responses.
    Returns an int64 array when the integers are small enough for exact
    int64 coefficient arithmetic, else an object array of Python ints.
    """
    n = R.shape[-1]
    Z = np.empty(R.shape, dtype=object)
    for i in range(n):
        vals = [Fraction(v) for v in R[..., i].flat]
        L = reduce(lambda a, b: a * b // math.gcd(a, b), (v.denominator for v in vals), 1)
        Z[..., i] = np.array([int(v * L) for v in vals], dtype=object).reshape(R.shape[:-1])
    big = max((abs(int(v)) for v in Z.flat), default=0)
    if big < 2 ** 50 // 2 ** n:
        return Z.astype(np.int64)
    return Z


def _coefficients(Zi, supports, i):
    """Coefficient tensor of player *i*'s indifference equations on *supports*.

    Axis 0 is the equation (``k in S_i[1:]``); then one axis per other mixing
    player (increasing index) of length ``d_j + 1``: index 0 is the constant
    part, index ``l`` the coefficient of ``x_j[l-1]``.  Pure players' axes are
    dropped.
    """
    sub = Zi[np.ix_(*supports)]
    sub = np.moveaxis(sub, i, 0)
    sub = sub[1:] - sub[:1]
    others = [j for j in range(len(supports)) if j != i]
    for pos, j in enumerate(others, start=1):
        if len(supports[j]) > 1:
            first = [slice(None)] * sub.ndim
            rest = [slice(None)] * sub.ndim
            first[pos] = slice(0, 1)
            rest[pos] = slice(1, None)
            sub[tuple(rest)] -= sub[tuple(first)]
    return sub.reshape((sub.shape[0],) + tuple(len(supports[j]) for j in others if len(supports[j]) > 1))


def _affine(c0, c1):
    """The polynomial ``c0 + c1 t`` from two integer coefficients."""
    return _trim([int(c0), int(c1)])


# ---------------------------------------------------------------------- exact linear algebra
def _rank(rows) -> int:
    """Exact rank of an integer matrix (list of lists) by Gaussian elimination over Q."""
    M = [[Fraction(int(v)) for v in r] for r in rows]
    rank, cols = 0, len(M[0]) if M else 0
    for c in range(cols):
        piv = next((r for r in range(rank, len(M)) if M[r][c] != 0), None)
        if piv is None:
            continue
        M[rank], M[piv] = M[piv], M[rank]
        for r in range(len(M)):
            if r != rank and M[r][c] != 0:
                f = M[r][c] / M[rank][c]
                M[r] = [a - f * b for a, b in zip(M[r], M[rank])]
        rank += 1
    return rank


def _solve_exact(A, b):
    """Solution of ``A x = b`` (square integer A) as Fractions, or None when A is singular."""
    d = len(A)
    M = [[Fraction(int(v)) for v in row] + [Fraction(int(bb))] for row, bb in zip(A, b)]
    for c in range(d):
        piv = next((r for r in range(c, d) if M[r][c] != 0), None)
        if piv is None:
            return None
        M[c], M[piv] = M[piv], M[c]
        for r in range(d):
            if r != c and M[r][c] != 0:
                f = M[r][c] / M[c][c]
                M[r] = [a - f * bb for a, bb in zip(M[r], M[c])]
    return [M[r][d] / M[r][r] for r in range(d)]


# ---------------------------------------------------------------------- the solver
def _profile(m, supports, xs):
    """Full mixed profile (float arrays) from the parameters ``x_i`` of each player."""
    out = []
    for i, S in enumerate(supports):
        v = np.zeros(m[i])
        x = np.asarray(xs[i], dtype=float)
        v[S[0]] = 1.0 - x.sum()
        v[list(S[1:])] = x
        out.append(v)
    return out


def solve_support_system(Z: np.ndarray, supports):
    """All real solutions of one support profile's indifference system, decided exactly.

    Parameters
    ----------
    Z : ndarray, shape ``(m_1, ..., m_n, n)``
        Integer payoffs (see :func:`integer_payoffs`).
    supports : sequence of tuple of int
        The support of each player (sorted).

    Returns
    -------
    list of list of ndarray, or None
        Every real solution of the system, each as a full profile (zeros off
        the supports; entries may be negative or above one: the caller checks
        the simplex) -- the list is complete and the solutions are finitely
        many and simple.  ``[]`` means the system has no solution.  ``None``
        means the shape or a degeneracy is not handled here (use the
        Groebner-basis method).
    """
    m = Z.shape[:-1]
    n = len(m)
    d = [len(S) - 1 for S in supports]
    mix = [i for i in range(n) if d[i] > 0]
    C = {i: _coefficients(Z[..., i], supports, i) for i in mix}
    # an equation with every non-constant coefficient zero: c = 0
    for i in mix:
        flat = C[i].reshape(d[i], -1)
        const_only = ~np.any(flat[:, 1:] != 0, axis=1)
        if np.any(const_only & (flat[:, 0] != 0)):
            return []  # c = 0 with c != 0: no solution
        if np.any(const_only):
            return None  # 0 = 0: a free equation (degenerate)
    if len(mix) == 1:
        return None  # unreachable: all its equations are constants, handled above
    if len(mix) == 2:
        return _two_mixing(C, supports, m, mix, d)
    if len(mix) == 3:
        i, j, h = mix
        for p, q, r in ((i, j, h), (j, i, h), (h, i, j)):
            if d[p] == 2 and d[q] == 1 and d[r] == 1:
                return _square_pair(C, supports, m, p, q, r)
        for p, q, r in ((i, j, h), (i, h, j), (j, h, i)):
            if d[r] == 1 and d[p] == d[q]:
                return _hidden_variable(C, supports, m, p, q, r, d[p])
    return None


def _two_mixing(C, supports, m, mix, d):
    i, j = mix
    Ai, Aj = C[i], C[j]  # (d_i, d_j + 1) and (d_j, d_i + 1)
    if d[i] != d[j]:
        # the player with more equations than unknowns: generically inconsistent; decide exactly
        p = i if d[i] > d[j] else j
        A = C[p].tolist()
        if _rank([row[1:] for row in A]) < _rank(A):
            return []
        return None
    xj = _solve_exact([row[1:] for row in Ai.tolist()], [-row[0] for row in Ai.tolist()])
    xi = _solve_exact([row[1:] for row in Aj.tolist()], [-row[0] for row in Aj.tolist()])
    if xi is None or xj is None:
        return None
    xs = [[] for _ in supports]
    xs[i], xs[j] = [float(v) for v in xi], [float(v) for v in xj]
    return [_profile(m, supports, xs)]


def _linear_in(Cp, t_axis_last: bool):
    """Split ``Cp`` (eq, other (dim+1), hidden 2) into A(t) and b(t) polynomial matrices."""
    T = Cp if t_axis_last else np.swapaxes(Cp, 1, 2)
    T = T.tolist()
    A = [[_affine(row[l][0], row[l][1]) for l in range(1, len(row))] for row in T]
    b = [_affine(row[0][0], row[0][1]) for row in T]
    return A, b


def _hidden_variable(C, supports, m, i, j, h, dim):
    """Mixing players i, j (d each) and h (scalar t): reduce to F(t) = 0."""
    # player i's equations in (x_j, t), player j's in (x_i, t): axis order of C follows player index
    Ai, bi = _linear_in(C[i], t_axis_last=j < h)
    Aj, bj = _linear_in(C[j], t_axis_last=i < h)
    Di, Dj = _det(Ai), _det(Aj)
    if not Di or not Dj:
        return None
    Nj = _adj_times(Ai, [[-c for c in p] for p in bi])  # x_j = Nj / Di
    Ni = _adj_times(Aj, [[-c for c in p] for p in bj])  # x_i = Ni / Dj
    G = C[h][0] if i < j else C[h][0].T  # (x_i axis, x_j axis)
    xi_h = [Dj] + Ni
    xj_h = [Di] + Nj
    F = []
    for a in range(dim + 1):
        for b in range(dim + 1):
            g = int(G[a, b])
            if g:
                F = _add(F, [g * c for c in _mul(xi_h[a], xj_h[b])])
    if len(F) <= 1:
        return None if not F else []
    if not (_gcd_is_constant(F, Di) and _gcd_is_constant(F, Dj)):
        return None
    ts = real_roots(F)
    if ts is None:
        return None
    out = []
    si, sj = _scale([Di] + Nj), _scale([Dj] + Ni)
    for t in ts:
        xs = [[] for _ in supports]
        di, dj = _eval(Di, t, si), _eval(Dj, t, sj)
        xs[j] = [_eval(p, t, si) / di for p in Nj]
        xs[i] = [_eval(p, t, sj) / dj for p in Ni]
        xs[h] = [t]
        out.append(_profile(m, supports, xs))
    return out


def _square_pair(C, supports, m, p, q, r):
    """Mixing players p (d = 2), q and r (scalars u, v): p's two equations fix (u, v)."""
    Cp = C[p] if q < r else np.swapaxes(C[p], 1, 2)  # (eq, u-axis, v-axis)
    Cp = Cp.tolist()
    a = [_affine(Cp[k][1][0], Cp[k][1][1]) for k in range(2)]  # coefficient of u
    b = [_affine(Cp[k][0][0], Cp[k][0][1]) for k in range(2)]  # constant part
    R = _sub(_mul(a[0], b[1]), _mul(a[1], b[0]))
    if len(R) <= 1:
        return None if not R else []
    k = 0 if a[0] and _gcd_is_constant(a[0], R) else (1 if a[1] and _gcd_is_constant(a[1], R) else None)
    if k is None:
        return None
    ak, bk = a[k], b[k]
    # q's equation: linear in x_p with coefficients affine in v (q's axes: p, r)
    Cq = C[q][0] if p < r else C[q][0].T  # (x_p axis, v axis)
    Cr = C[r][0] if p < q else C[r][0].T  # (x_p axis, u axis)
    row_q = [_affine(Cq[l][0], Cq[l][1]) for l in range(3)]
    # r's equation is affine in u = -bk/ak: multiply through by ak
    row_r = [_sub([int(Cr[l][0]) * c for c in ak], [int(Cr[l][1]) * c for c in bk]) for l in range(3)]
    M = [row_q[1:], row_r[1:]]
    Q = _det(M)
    if not Q or not _gcd_is_constant(Q, R):
        return None
    vs = real_roots(R)
    if vs is None:
        return None
    out = []
    for v in vs:
        s = _scale([ak, bk])
        u = -_eval(bk, v, s) / _eval(ak, v, s)
        Mf = np.array([_eval_row(row, v) for row in M])
        rhs = -np.array([_eval(row_q[0], v, _scale(row_q[1:])), _eval(row_r[0], v, _scale(row_r[1:]))])
        xs = [[] for _ in supports]
        xs[p] = np.linalg.solve(Mf, rhs)
        xs[q], xs[r] = [u], [v]
        out.append(_profile(m, supports, xs))
    return out


def _scale(polys) -> int:
    return max((abs(c) for p in polys for c in p), default=1) or 1


def _eval_row(polys, t):
    """Float values of a row of integer polynomials, all divided by their largest coefficient."""
    s = _scale(polys)
    return [_eval(p, t, s) for p in polys]


def _eval(poly, t, scale=None):
    """Float value of ``poly(t) / scale`` (exact Python-int coefficients; safe for huge integers)."""
    if not poly:
        return 0.0
    s = scale or max(abs(c) for c in poly)
    r = 0.0
    for c in reversed(poly):
        r = r * t + c / s
    return r
