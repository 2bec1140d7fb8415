"""The Groebner-basis path of n-player support enumeration.

For a support profile the multilinear *indifference system* (each mixing
player's payoffs equal across her support, given the others' strategies) is
written as sympy polynomials over the rationals; a reduced Groebner basis
(grevlex; Faugere's F5B algorithm) decides whether it has no solution,
finitely many, or a positive-dimensional set.  When finite, **all** complex
solutions are the joint eigenvalues of the multiplication matrices of the
quotient ring (the eigenvalue method of Auzinger & Stetter 1988; Cox, Little
& O'Shea, *Using Algebraic Geometry*, 2005, ch. 2 sec. 4).

A solution is real when its computed imaginary parts are within 1e-6.  One
with a larger imaginary part may be an ill-conditioned real root: it is
settled by Newton's method in complex arithmetic
(:func:`settle_solutions`, :mod:`deterrence.solve.root_settle`) and listed
if real; one Newton's method cannot settle, or two solutions reaching one
root, make the support's listing incomplete with a note.

Used by :mod:`deterrence.solve.nplayer` for every system that exact
elimination (:mod:`deterrence.solve.elimination`) does not decide.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np

from ..errors import SolverError
from .root_settle import IMAG_TOL, coincide, poly_newton, settle_root

__all__ = ["indifference_polys", "solve_zero_dim", "groebner_candidates"]


def indifference_polys(R, supports, m):
    """The multilinear indifference system of a support profile, as sympy Polys over QQ.

    Player *i*'s strategy on ``S_i`` is ``(1 - sum(x_i), x_i)``; her
    equation for ``k in S_i[1:]`` is ``sum over the others' profiles of
    (u_i(k, a_-i) - u_i(S_i[0], a_-i)) * prod_j sigma_j(a_j) = 0``.  The
    polynomials are built as dictionaries of exponent tuples (no symbolic
    expression arithmetic), then handed to sympy.

    Returns
    -------
    (list of sympy.Poly, list of sympy.Symbol)
    """
    import sympy as sp

    n = len(m)
    gens, first = [], []
    for i in range(n):
        S = list(supports[i])
        first.append(len(gens))
        gens.extend(sp.symbols(f"p{i}_1:{len(S)}") if len(S) > 1 else ())
    K = len(gens)

    def unit(v):
        return tuple(1 if t == v else 0 for t in range(K))

    zero = (0,) * K
    # sigma_j(a) as a linear form {exponent tuple: coefficient}
    forms = []
    for j in range(n):
        S = list(supports[j])
        fj = {S[0]: {zero: Fraction(1), **{unit(first[j] + l): Fraction(-1) for l in range(len(S) - 1)}}}
        fj.update({k: {unit(first[j] + l): Fraction(1)} for l, k in enumerate(S[1:])})
        forms.append(fj)
    polys = []
    for i in range(n):
        S = list(supports[i])
        if len(S) == 1:
            continue
        others = [list(supports[j]) if j != i else [None] for j in range(n)]
        k0 = S[0]
        for k in S[1:]:
            acc = {}
            for prof in itertools.product(*others):
                full_k = tuple(k if j == i else prof[j] for j in range(n))
                full_0 = tuple(k0 if j == i else prof[j] for j in range(n))
                dv = Fraction(R[full_k + (i,)] - R[full_0 + (i,)])
                if dv == 0:
                    continue
                term = {zero: dv}
                for j in range(n):
                    if j == i:
                        continue
                    nxt = {}
                    for e1, c1 in term.items():
                        for e2, c2 in forms[j][prof[j]].items():
                            e = tuple(a + b for a, b in zip(e1, e2))
                            nxt[e] = nxt.get(e, 0) + c1 * c2
                    term = nxt
                for e, c in term.items():
                    acc[e] = acc.get(e, 0) + c
            acc = {e: sp.Rational(c.numerator, c.denominator) for e, c in acc.items() if c != 0}
            polys.append(sp.Poly.from_dict(acc, *gens, domain="QQ") if acc and K else
                         sp.Poly(sum(acc.values(), sp.Integer(0)), *(gens or [sp.Symbol("_c")]), domain="QQ"))
    return polys, gens


def solve_zero_dim(G, gens, rng):
    """All complex solutions of a zero-dimensional ideal with Groebner basis G (grevlex).

    Returns (solutions as complex ndarray (D', k), multiple_root flag).
    """
    import sympy as sp

    k = len(gens)
    leads = [sp.Poly(g, *gens).monoms(order="grevlex")[0] for g in G.exprs]

    def standard(mon):
        return not any(all(a >= b for a, b in zip(mon, L)) for L in leads)

    basis = [(0,) * k]
    seen = {basis[0]}
    q = 0
    while q < len(basis):
        b = basis[q]
        q += 1
        for j in range(k):
            nb = tuple(b[t] + (1 if t == j else 0) for t in range(k))
            if nb not in seen and standard(nb):
                seen.add(nb)
                basis.append(nb)
        if len(basis) > 500:
            raise SolverError("support system has more than 500 solutions; too large for exact enumeration")
    index = {b: t for t, b in enumerate(basis)}
    D = len(basis)
    mats = []
    for j in range(k):
        Mj = np.zeros((D, D))
        for c, b in enumerate(basis):
            nb = tuple(b[t] + (1 if t == j else 0) for t in range(k))
            if nb in index:
                Mj[index[nb], c] = 1.0
                continue
            mono = sp.Mul(*[g ** e for g, e in zip(gens, nb)])
            _, r = G.reduce(mono)
            for mon, coef in sp.Poly(r, *gens).terms():
                Mj[index[mon], c] = float(coef)
        mats.append(Mj)
    coeffs = rng.normal(size=k)
    C = sum(c * Mj for c, Mj in zip(coeffs, mats))
    ev, W = np.linalg.eig(C.T)
    sols, multiple = [], False
    order = np.argsort(ev.real)
    spread = max(1.0, float(np.max(np.abs(ev))))
    for a in range(D):
        for b in range(a + 1, D):
            if abs(ev[a] - ev[b]) < 1e-7 * spread:
                multiple = True
    for t in order:
        w = W[:, t]
        if abs(w[0]) < 1e-12:
            multiple = True
            continue
        w = w / w[0]
        sols.append([(w @ Mj)[0] for Mj in mats])
    return np.array(sols, dtype=complex).reshape(len(sols), k), multiple


def _residual_check(eqs, gens):
    """``solves(w)``: True when *w* solves every equation to 1e-9 of the size of its terms at *w*.

    The size of equation ``sum_a c_a w^a`` at *w* is ``sum_a |c_a| |w|^a``, so
    the test is relative to the (possibly large integer) payoffs in the
    coefficients and to the magnitude of the solution.
    """
    import sympy as sp

    F = sp.lambdify([gens], [e.as_expr() for e in eqs], "numpy")
    absolute = [sp.Poly.from_dict({mon: abs(c) for mon, c in e.terms()}, *gens).as_expr() for e in eqs]
    size = sp.lambdify([gens], absolute, "numpy")

    def solves(w):
        vals = np.abs(np.asarray(F(w), complex).reshape(-1))
        scale = np.asarray(size(np.abs(w)), float).reshape(-1)
        return bool(np.all(np.isfinite(vals)) and np.all(vals <= 1e-9 * scale))

    return solves


def settle_solutions(eqs, gens, sols):
    """Real roots among the eigenvalue solutions *sols* of the system *eqs*, each settled.

    A solution whose imaginary parts are all within 1e-6 is a real root, as
    before.  One with a larger imaginary part is settled by Newton's method in
    complex arithmetic (:func:`~deterrence.solve.root_settle.settle_root`): if
    it reaches a solution within 1e-6 of the real line it is a real root
    (listed), if further off a complex one (dropped), and if none it is
    ``"undecided"``.  When some solution needs settling, every solution is
    followed by the same Newton iteration, and a settled one reaching the root
    another one reaches is a ``"duplicate"``: the root it stood for is not
    known.  An ``"undecided"`` or ``"duplicate"`` solution makes the listing
    incomplete (the caller's business).

    Returns
    -------
    (list of real ndarray, list of str)
        The real roots (real parts) and, for each solution in *sols*, one of
        ``"real"``, ``"complex"``, ``"undecided"``, ``"duplicate"``.
    """
    far = [bool(np.max(np.abs(z.imag), initial=0.0) > IMAG_TOL) for z in sols]
    if not any(far):
        return [z.real for z in sols], ["real"] * len(sols)
    solves = _residual_check(eqs, gens)
    raw = [np.asarray(poly_newton(eqs, gens, z, dtype=complex), complex) for z in sols]
    reached = [w if np.all(np.isfinite(w)) and solves(w) else np.asarray(z, complex) for z, w in zip(sols, raw)]
    real, how = [], []
    for a, z in enumerate(sols):
        if not far[a]:
            real.append(z.real)
            how.append("real")
            continue
        kind, w = settle_root(z, lambda z0, w=raw[a]: w, solves)
        if kind != "undecided" and any(coincide(reached[a], reached[b], 1e-7) for b in range(len(sols)) if b != a):
            kind = "duplicate"
        how.append(kind)
        if kind == "real":
            real.append(w)
    return real, how


def groebner_candidates(R, supports, m, rng, label):
    """Real solutions of one support system by a Groebner basis: (profiles, notes, complete).

    ``complete`` is False (with a note) when the system is underdetermined or
    positive-dimensional, has a multiple root, or has a computed solution
    whose realness :func:`settle_solutions` cannot decide (or two solutions
    reaching one root); complex roots are dropped only when Newton's method
    in complex arithmetic confirms them off the real line.
    """
    import sympy as sp

    n = len(m)
    eqs, gens = indifference_polys(R, supports, m)
    if any(e.is_ground and not e.is_zero for e in eqs):
        return [], [], True  # an equation reads c = 0 with c != 0: no solution
    eqs = [e for e in eqs if not e.is_zero]
    if len(eqs) < len(gens):
        return [], [f"support ({label}): indifference system is underdetermined "
                    "(a continuum of candidate profiles); not enumerated"], False
    # Faugere's F5B: far faster than Buchberger on the large coefficients of float payoffs read exactly
    G = sp.groebner(eqs, *gens, order="grevlex", domain="QQ", method="f5b")
    if G.exprs == [1] or (len(G.exprs) == 1 and sp.sympify(G.exprs[0]).is_number):
        return [], [], True
    if not G.is_zero_dimensional:
        return [], [f"support ({label}): the indifference system has a positive-dimensional "
                    "solution set; equilibria on it are not enumerated"], False
    sols, multiple = solve_zero_dim(G, gens, rng)
    notes = []
    if multiple:
        notes.append(f"support ({label}): the indifference system has a multiple root (degenerate game)")
    real, how = settle_solutions(eqs, gens, sols)
    for z, kind in zip(sols, how):
        if kind == "undecided":
            notes.append(f"support ({label}): a solution near {np.round(z, 6).tolist()} has an imaginary part "
                         f"{float(np.max(np.abs(z.imag))):.2g} and Newton's method does not settle whether it "
                         "is real; not listed")
        elif kind == "duplicate":
            notes.append(f"support ({label}): two computed solutions reach the same root near "
                         f"{np.round(z, 6).tolist()}; another root may be missed")
    out = []
    for x in real:
        start, pos = [], 0
        for i in range(n):
            v = np.zeros(m[i])
            S = list(supports[i])
            rest = x[pos:pos + len(S) - 1]
            pos += len(S) - 1
            v[S[0]] = 1.0 - rest.sum()
            v[S[1:]] = rest
            start.append(v)
        out.append(start)
    complete = not multiple and all(kind in ("real", "complex") for kind in how)
    return out, notes, complete
