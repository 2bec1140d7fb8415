r"""Symmetric equilibria of a symmetric n-player game with k >= 3 actions, one game at a time.

The companion of :mod:`deterrence.solve.symmetric` (which handles two actions,
batched).  A symmetric game with :math:`k` actions has a reduced table
:math:`f(s, c)`: a player's payoff for action :math:`s` when the other
:math:`n-1` players' actions have counts :math:`c = (c_1, \dots, c_k)`.
Against others who each play the mixed strategy :math:`x \in \Delta_k`, the
counts are multinomial and action :math:`s` is worth

.. math:: v_s(x) = \sum_{|c| = n-1} \binom{n-1}{c} \prod_j x_j^{c_j} f(s, c).

A symmetric equilibrium with support :math:`S` solves :math:`v_s(x) = v_t(x)`
for :math:`s, t \in S` (:math:`|S| - 1` polynomial equations in
:math:`|S| - 1` unknowns) with :math:`x_s > 0` on :math:`S` and no action off
:math:`S` better.  Every support is tried:

* :math:`|S| = 1`: the pure symmetric profile, kept when its regret is within
  the engine's tolerance;
* :math:`|S| = 2`: the one-variable Bernstein polynomial of
  :mod:`deterrence.solve.symmetric`, every root in (0, 1) isolated exactly
  over the rationals; a polynomial that vanishes identically (a segment of
  candidates) is reported as not enumerated (``complete`` False);
* :math:`|S| \ge 3`: the system is written over the rationals (float
  payoffs read exactly), a Groebner basis (sympy, F5B) decides whether it has
  finitely many solutions, and all of them are found as joint eigenvalues of
  the multiplication matrices (:func:`~deterrence.solve.nplayer_groebner.solve_zero_dim`,
  the engine's n-player method); a positive-dimensional system or a multiple
  root is reported (``complete`` False).

Each candidate inside the simplex is polished by Newton's method on the
float system and kept only when its regret over **all** k actions is within
the engine's bound (:func:`~deterrence.solve.results.certify` on the game):
every listed profile is certified.  A candidate is dropped silently only when
it is shown not to be an equilibrium (outside the simplex, a complex root, or
an action off its support gains more than the bound); one dropped for a
numerical reason makes the listing incomplete, with a note: an eigenvalue
solution whose imaginary part exceeds 1e-6 that Newton's method in complex
arithmetic cannot settle as real or complex, a real solution that cannot be
polished, two solutions polished onto one root, or a candidate whose gain
within its own support (the indifference it solves) exceeds the bound.
"""

from __future__ import annotations

from fractions import Fraction
from itertools import combinations
from math import comb, factorial

import numpy as np

from ..errors import SolverError
from .root_settle import poly_newton, settle_root
from .tolerance import ROUNDING, rounding_allowance

__all__ = ["check_same_labels", "reduced_table_k", "symmetric_candidates_k", "symmetric_regret", "exact_unit_roots", "MAX_K_PROFILES"]

#: Largest number of pure profiles (k**n) of a k-action game the symmetry check reads (profile by profile).
MAX_K_PROFILES = 1 << 16


def _compositions(total: int, parts: int):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


def check_same_labels(game) -> None:
    """Refuse a game whose players do not list the same action labels in the same order.

    The symmetric solvers identify actions by position and report every player's strategy with the first
    player's labels; with labels in another order (or other labels) a player's strategy would be reported
    under the wrong names.

    Raises
    ------
    SolverError
        Naming the first player whose labels differ, and both label lists.
    """
    first = tuple(game.actions[0])
    for i in range(1, game.n_players):
        if tuple(game.actions[i]) != first:
            raise SolverError(f"the symmetric solver identifies actions by position and needs every player to list "
                              f"the same actions in the same order; {game.players[i]} lists "
                              f"{list(game.actions[i])}, {game.players[0]} lists {list(first)} (list them in the "
                              f"same order, or use concept 'nash' or 'pure')")


def reduced_table_k(game, b: int = 0) -> dict:
    """``{(s, counts): payoff}`` of game *b* of a batch, after checking that it is symmetric.

    Raises
    ------
    SolverError
        The game is not symmetric (the message names the profile, the player and the two payoffs).
    """
    check_same_labels(game)
    n, k = game.n_players, game.num_actions[0]
    if k ** n > MAX_K_PROFILES:
        raise SolverError(f"{k}**{n} profiles are too many for the symmetric check (at most {MAX_K_PROFILES})")
    P = np.asarray(game.payoffs[b], float)
    mag = float(np.abs(P).max()) if P.size else 0.0
    slack = ROUNDING * max(mag, np.finfo(float).tiny)
    # a quick necessary condition first: swapping the first two players leaves the game unchanged
    axes = list(range(n + 1))
    axes[0], axes[1] = 1, 0
    swapped = np.transpose(P, axes)[..., [1, 0] + list(range(2, n))]
    if np.any(np.abs(swapped - P) > slack):
        q = tuple(int(v) for v in np.argwhere(np.abs(swapped - P) > slack)[0])
        prof, i = q[:-1], q[-1]
        j = 1 - i if i < 2 else i
        other = list(prof)
        other[0], other[1] = other[1], other[0]
        lab = lambda r: "(" + ", ".join(game.actions[t][r[t]] for t in range(n)) + ")"
        raise SolverError(f"the game is not symmetric: at profile {lab(prof)} {game.players[i]} gets "
                          f"{P[prof + (i,)]:.12g}, but {game.players[j]} gets {P[tuple(other) + (j,)]:.12g} at "
                          f"{lab(other)}, the same profile with the first two players exchanged; symmetric equilibria "
                          f"are defined for symmetric games only (use concept 'nash' or 'pure')")
    # every (profile, player) entry, in the order P lists them, keyed by (own action, counts of the others'
    # actions); the counts are read as base-n digits, so one key is one integer
    profs = np.indices((k,) * n).reshape(n, -1).T.astype(np.int64)                      # (k^n, n), C order
    counts = np.zeros((len(profs), k), np.int64)
    np.add.at(counts, (np.repeat(np.arange(len(profs)), n), profs.reshape(-1)), 1)
    others = counts[:, None, :] - (profs[..., None] == np.arange(k))                   # (k^n, n, k)
    code = (others * n ** np.arange(k)).sum(-1) * k + profs                             # (k^n, n)
    _, first, inv = np.unique(code.reshape(-1), return_index=True, return_inverse=True)
    v = P.reshape(-1)
    dev = np.abs(v - v[first][inv.reshape(-1)]) > slack
    if np.any(dev):                # the first entry (in profile order) that differs from its key's first one
        q = int(np.flatnonzero(dev)[0])
        r = int(first[inv.reshape(-1)[q]])
        prof, i = tuple(int(a) for a in profs[q // n]), q % n
        ref, j = tuple(int(a) for a in profs[r // n]), r % n
        lab = lambda q: "(" + ", ".join(game.actions[t][q[t]] for t in range(n)) + ")"
        raise SolverError(
            f"the game is not symmetric: at profile {lab(prof)} {game.players[i]} gets {v[q]:.12g}, but "
            f"{game.players[j]} gets {v[r]:.12g} at {lab(ref)}, where the same action meets the "
            f"same counts of the others' actions; symmetric equilibria are defined for symmetric games "
            f"only (use concept 'nash' or 'pure')")
    first.sort()                   # keys in the order their first entries appear
    return {(int(profs[f // n, f % n]), tuple(int(c) for c in others[f // n, f % n])): float(v[f]) for f in first}


def exact_unit_roots(dk: list) -> list:
    """Every root in (0, 1) of ``sum_k C(m, k) p^k (1-p)^(m-k) d_k`` (exact rationals *dk*), as floats.

    With ``p = t / (1 + t)`` the roots in (0, 1) are the positive roots of ``N(t) = sum_k C(m, k) d_k t^k``
    (``D(p) = N(t) / (1 + t)^m``); they are isolated exactly over the rationals (sympy ``Poly.intervals``,
    Descartes-rule bisection) to width ``2**-62`` in ``t`` and mapped back.
    """
    import sympy as sp

    m = len(dk) - 1
    co = [Fraction(dv) * comb(m, k) for k, dv in enumerate(dk)]
    while co and co[0] == 0:           # a root at t = 0 is p = 0: the pure end, not an interior root
        co.pop(0)
    if not co:
        return []
    t = sp.Symbol("t")
    poly = sp.Poly([sp.Rational(c.numerator, c.denominator) for c in reversed(co)], t, domain=sp.QQ)
    out = []
    for (a, b), _mult in poly.intervals(inf=0, eps=sp.Rational(1, 2 ** 62)):
        a, b = sp.Rational(a), sp.Rational(b)
        if b <= 0:
            continue
        out.append(float((a / (1 + a) + b / (1 + b)) / 2))
    return sorted(out)


def _values(table, k, n, x):
    """``v_s(x)`` for every action s (floats), and the expected spread at stake (for the bound)."""
    comps = [c for c in _compositions(n - 1, k)]
    v = np.zeros(k)
    spread = 0.0
    for c in comps:
        w = factorial(n - 1)
        for cj in c:
            w //= factorial(cj)
        pr = float(w) * float(np.prod([x[j] ** c[j] for j in range(k)]))
        if pr == 0.0:
            continue
        f = np.array([table[(s, c)] for s in range(k)])
        v += pr * f
        spread += pr * (f.max() - f.min())
    return v, spread


def _payoffs_and_bound(table, k, n, x, tol, mag):
    """``(v, payoff, bound)`` of the symmetric profile *x*: each action's value ``v_s(x)``, a player's expected
    payoff ``v @ x``, and the engine's tolerated regret (``tol`` times the expected spread at stake plus the
    rounding allowance at magnitude *mag*)."""
    v, spread = _values(table, k, n, x)
    return v, float(v @ x), tol * spread + float(rounding_allowance(mag, tol))


def symmetric_regret(table, k, n, x, tol, mag):
    """``(regret, bound, payoff)`` of the symmetric profile in which everyone plays *x*: the largest gain over
    all k actions, the engine's tolerated regret (``tol`` times the expected spread at stake plus the rounding
    allowance at magnitude *mag*), and each player's expected payoff."""
    v, payoff, bound = _payoffs_and_bound(table, k, n, x, tol, mag)
    return max(float(v.max()) - payoff, 0.0), bound, payoff


def _system(table, k, n, S):
    """The indifference equations on support S as sympy Polys over QQ in |S| - 1 unknowns."""
    import sympy as sp

    ys = sp.symbols(f"y1:{len(S)}")
    x = {S[0]: 1 - sum(ys)}
    x.update({s: y for s, y in zip(S[1:], ys)})
    comps = [c for c in _compositions(n - 1, len(S))]
    vals = {}
    for s in S:
        expr = 0
        for cs in comps:
            c = [0] * k
            for j, s2 in enumerate(S):
                c[s2] = cs[j]
            w = factorial(n - 1)
            for cj in cs:
                w //= factorial(cj)
            f = Fraction(table[(s, tuple(c))])
            term = sp.Rational(f.numerator, f.denominator) * w
            for s2 in S:
                if c[s2]:
                    term *= x[s2] ** c[s2]
            expr += term
        vals[s] = expr
    eqs = [sp.Poly(sp.expand(vals[s] - vals[S[0]]), *ys, domain="QQ") for s in S[1:]]
    return eqs, ys


def _classify_root(eqs, ys, z, mag):
    """``("real", y)``, ``("complex", None)`` or ``("undecided", None)`` for an eigenvalue solution *z*
    whose computed imaginary part exceeds 1e-6.

    An ill-conditioned real root can come out of the eigenvalue step with an imaginary part above the
    threshold; Newton's method in complex arithmetic from *z* settles it: a solution it reaches with
    imaginary part within 1e-6 is a real root (returned as its real part, to be polished as any other), one
    it reaches with a larger imaginary part is a complex root (not a candidate), and when Newton does not
    reach a solution the root is undecided (the caller reports the listing incomplete).
    """
    import sympy as sp

    F = sp.lambdify([ys], [e.as_expr() for e in eqs], "numpy")
    how, w = settle_root(z, lambda z0: poly_newton(eqs, ys, z0, dtype=complex),
                         lambda w: bool(np.all(np.abs(np.asarray(F(w), complex)) <= 1e-9 * max(mag, 1.0))))
    return how, w


def _support_regret(table, k, n, x, S, tol, mag):
    """``(gain within S, gain over all actions, bound)`` of the symmetric profile *x* with support *S*."""
    v, payoff, bound = _payoffs_and_bound(table, k, n, x, tol, mag)
    return max(float(v[list(S)].max()) - payoff, 0.0), max(float(v.max()) - payoff, 0.0), bound


def symmetric_candidates_k(table: dict, k: int, n: int, *, tol: float, mag: float):
    """Every certified symmetric equilibrium of one k-action symmetric game (see the module docstring).

    Returns
    -------
    (list of ndarray, list of str, bool)
        The mixed strategies (each of length k, sorted), notes, and whether the listing is complete.
    """
    import sympy as sp

    from .nplayer_groebner import solve_zero_dim

    found, notes, complete = [], [], True
    rng = np.random.default_rng(0)
    for size in range(1, k + 1):
        for S in combinations(range(k), size):
            cands = []
            if size == 1:
                x = np.zeros(k)
                x[S[0]] = 1.0
                cands.append(x)
            elif size == 2:
                a, b = S
                d = []
                for j in range(n):
                    c = [0] * k
                    c[a], c[b] = n - 1 - j, j
                    d.append(Fraction(table[(b, tuple(c))]) - Fraction(table[(a, tuple(c))]))
                if all(v == 0 for v in d):
                    complete = False
                    notes.append(f"support {{{a}, {b}}}: every mixture of the two actions leaves a player "
                                 f"indifferent between them (a segment of candidates); not enumerated")
                    continue
                for p in exact_unit_roots(d):
                    x = np.zeros(k)
                    x[a], x[b] = 1.0 - p, p
                    cands.append(x)
            else:
                eqs, ys = _system(table, k, n, list(S))
                if any(e.is_ground and not e.is_zero for e in eqs):
                    continue
                eqs = [e for e in eqs if not e.is_zero]
                if len(eqs) < len(ys):
                    complete = False
                    notes.append(f"support {set(S)}: the indifference system is underdetermined; not enumerated")
                    continue
                G = sp.groebner(eqs, *ys, order="grevlex", domain="QQ", method="f5b")
                if G.exprs == [1] or (len(G.exprs) == 1 and sp.sympify(G.exprs[0]).is_number):
                    continue
                if not G.is_zero_dimensional:
                    complete = False
                    notes.append(f"support {set(S)}: the indifference system has a positive-dimensional solution "
                                 f"set; symmetric equilibria on it are not enumerated")
                    continue
                sols, multiple = solve_zero_dim(G, list(ys), rng)
                if multiple:
                    complete = False
                    notes.append(f"support {set(S)}: the indifference system has a multiple root (degenerate game)")
                F = sp.lambdify([ys], [e.as_expr() for e in eqs], "numpy")
                reached = []                    # every solution Newton reached, real or complex
                for z in sols:
                    if np.max(np.abs(z.imag)) > 1e-6:
                        how, w = _classify_root(eqs, ys, z, mag)
                        if how == "undecided":
                            complete = False
                            notes.append(f"support {set(S)}: a solution near {np.round(z, 6).tolist()} has an "
                                         f"imaginary part {float(np.max(np.abs(z.imag))):.2g} and Newton's method "
                                         f"does not settle whether it is real; not listed")
                            continue
                        if how == "complex":
                            reached.append(w)
                            continue
                        z = w.astype(complex)
                    y = poly_newton(eqs, ys, z.real)
                    if not np.all(np.abs(np.asarray(F(y), float)) <= 1e-9 * max(mag, 1.0)):
                        complete = False
                        notes.append(f"support {set(S)}: a real solution near {np.round(z.real, 6).tolist()} "
                                     f"could not be polished; not listed")
                        continue
                    if any(np.allclose(y, r, rtol=0, atol=1e-9) for r in reached):
                        # two eigenvalue solutions polished onto one root: the root a second one stood for
                        # is not known, so the listing of this support may miss it
                        complete = False
                        notes.append(f"support {set(S)}: two computed solutions polish to the same root "
                                     f"{np.round(y, 6).tolist()}; another root may be missed")
                        continue
                    reached.append(y)
                    x = np.zeros(k)
                    x[list(S[1:])] = y
                    x[S[0]] = 1.0 - y.sum()
                    cands.append(x)
            for x in cands:
                if np.any(x[list(S)] <= 0) or np.any(x < -1e-12):
                    continue
                x = np.clip(x, 0.0, None)
                x /= x.sum()
                inside, regret, bound = _support_regret(table, k, n, x, S, tol, mag)
                if regret > bound:
                    if inside > bound:
                        # the indifference on S itself fails the certificate: a numerical failure of the
                        # polishing, not a profile shown to be no equilibrium; the listing may miss one
                        complete = False
                        notes.append(f"support {set(S)}: the candidate {np.round(x, 6).tolist()} solves the "
                                     f"indifference equations only to a gain of {inside:.3g} within its support, "
                                     f"above the certificate bound {bound:.3g}; not listed")
                    # otherwise an action off S gains more than the bound: not an equilibrium
                    continue
                if not any(np.allclose(x, y, atol=1e-9) for y in found):
                    found.append(x)
    found.sort(key=lambda x: tuple(-x))
    return found, notes, complete
