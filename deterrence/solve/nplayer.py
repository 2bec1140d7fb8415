"""Mixed Nash equilibria of n-player normal-form games.

Two kinds of method:

* :func:`enumerate_nplayer` -- all equilibria of a small game (the
  three-player alliance games of the field: 2x2x2, 3x2x2, 3x3x2, ...) by
  **support enumeration** (Mangasarian 1964 for two players; for n players
  e.g. McKelvey & McLennan 1996, "Computation of equilibria in finite games",
  *Handbook of Computational Economics* 1, Section 6; Porter, Nudelman &
  Shoham 2008 for the conditional-dominance pruning).  For each support
  profile ``(S_1, ..., S_n)`` the equilibria whose supports are exactly these
  sets solve the multilinear *indifference system*

      U_ik(sigma_-i) - U_ik0(sigma_-i) = 0   for k in S_i \\ {k0},

  with ``sigma_i`` zero off ``S_i`` and summing to one: as many equations as
  unknowns.  The system is solved in exact rational arithmetic: a Groebner
  basis (Buchberger; sympy) decides whether it has no solution, finitely
  many, or a positive-dimensional set; when finite, **all** complex solutions
  are the joint eigenvalues of the multiplication matrices of the quotient
  ring (the eigenvalue method of Auzinger & Stetter 1988; Cox, Little &
  O'Shea, *Using Algebraic Geometry*, 2005, ch. 2 section 4).  Real solutions
  in the simplex are polished by Newton's method on the floating-point game,
  checked for profitable deviations outside the support and certified by
  their regret.  By default (``method="elimination"``) the systems with at
  most three mixing players are first decided by exact elimination to one
  univariate integer polynomial with a Sturm root count
  (:mod:`deterrence.solve.elimination`); the Groebner basis is the fallback
  for every other system and every degenerate one (``method="groebner"``
  uses it throughout).
* :func:`one_equilibrium` -- one equilibrium of a larger game, by the logit
  tracing procedure (McKelvey & Palfrey 1995; :mod:`deterrence.solve.qre`)
  followed by Newton's method on the support the branch reveals.

``method="gambit"`` calls pygambit's ``enumpoly_solve`` (an optional
dependency) and certifies what it returns.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import CertificateError, GameStructureError, SolverError
from .best_response import PayoffKernel, values_against
from .elimination import integer_payoffs, solve_support_system
from .pure import pure_nash_mask
from .results import DEFAULT_TOL, EquilibriumSet, MixedEquilibrium, make_equilibrium

__all__ = ["enumerate_nplayer", "one_equilibrium", "polish_equilibrium", "solve_on_support",
           "NPlayerEquilibria"]


@dataclass(frozen=True)
class NPlayerEquilibria(EquilibriumSet):
    """All (or some) equilibria of an n-player game, with how they were found.

    Attributes
    ----------
    notes : tuple of str
        Why the set is not certified complete, support by support (a
        positive-dimensional solution set, a multiple root, a root that
        could not be polished), or remarks of the method.
    supports_solved : int
        Number of support profiles whose indifference system was solved.
    """

    notes: tuple = ()
    supports_solved: int = 0


# ---------------------------------------------------------------------- Newton on a support
def solve_on_support(game, supports, start=None, *, tol: float = 1e-13, maxit: int = 50):
    """Solve the indifference system of one support profile by Newton's method.

    Unknowns are ``sigma_ik`` for ``k in S_i`` and each player's value
    ``v_i``; equations ``U_ik(sigma) = v_i`` (``k in S_i``) and
    ``sum_k sigma_ik = 1``.

    Parameters
    ----------
    game : NormalFormGame
        One (unbatched) game.
    supports : sequence of sequence of int
        The support of each player.
    start : sequence of ndarray, optional
        Starting profile (default: uniform on the supports).

    Returns
    -------
    tuple of ndarray or None
        The full profile (zeros off the supports) when Newton converged, else None.
        No sign or deviation check is made here.
    """
    P = game.payoffs[0]
    n = P.shape[-1]
    m = P.shape[:-1]
    S = [np.asarray(sorted(s), dtype=int) for s in supports]
    if start is None:
        sig = []
        for i in range(n):
            v = np.zeros(m[i])
            v[S[i]] = 1.0 / len(S[i])
            sig.append(v)
    else:
        sig = []
        for i in range(n):
            v = np.zeros(m[i])
            v[S[i]] = np.asarray(start[i], dtype=float)[S[i]]
            tot = v.sum()
            v = v / tot if tot > 0 else np.where(np.isin(np.arange(m[i]), S[i]), 1.0 / len(S[i]), 0.0)
            sig.append(v)
    U = values_against(P, sig)
    val = np.array([float(U[i][S[i]] @ sig[i][S[i]]) for i in range(n)])
    off = np.concatenate([[0], np.cumsum([len(s) for s in S])]).astype(int)
    N = int(off[-1])
    scale = max(1.0, float(np.abs(P).max()))
    kernel = PayoffKernel(P)
    for _ in range(maxit):
        U, Dp = kernel.derivs(sig)
        F = np.empty(N + n)
        for i in range(n):
            F[off[i]:off[i + 1]] = U[i][S[i]] - val[i]
            F[N + i] = sig[i].sum() - 1.0
        if np.max(np.abs(F)) < tol * scale:
            return tuple(sig)
        Jm = np.zeros((N + n, N + n))
        for i in range(n):
            r = slice(off[i], off[i + 1])
            Jm[r, N + i] = -1.0
            Jm[N + i, off[i]:off[i + 1]] = 1.0
            for j in range(n):
                if j != i:
                    Jm[r, off[j]:off[j + 1]] = Dp[i, j][np.ix_(S[i], S[j])]
        try:
            d = np.linalg.lstsq(Jm, -F, rcond=None)[0]
        except np.linalg.LinAlgError:
            return None
        for i in range(n):
            sig[i] = sig[i].copy()
            sig[i][S[i]] += d[off[i]:off[i + 1]]
        val = val + d[N:]
        if not all(np.all(np.isfinite(s)) for s in sig):
            return None
    return None


def _certified(game, sig, tol):
    """Clip tiny negatives, renormalise and certify; None if not an equilibrium."""
    clean = []
    for s in sig:
        if np.any(s < -1e-7):
            return None
        s = np.clip(s, 0.0, None)
        s = s / s.sum()
        clean.append(s)
    r = float(game.regret(clean)[0])
    if r > tol * max(1.0, float(np.max(np.abs(game.payoffs)))):
        return None
    return make_equilibrium(game, clean, tol=tol)


def polish_equilibrium(game, profile, *, tol: float = DEFAULT_TOL,
                       thresholds=(1e-2, 1e-3, 1e-4, 1e-6, 1e-8)) -> MixedEquilibrium | None:
    """Turn an approximate equilibrium into a certified one, or return None.

    The support is read off *profile* (actions with probability above a
    threshold relative to the player's largest, trying several), the
    indifference system on it is solved by Newton's method from *profile*
    (:func:`solve_on_support`), and the result is certified by its regret
    in the whole game.  If no support works, *profile* itself is returned
    when its regret is within the tolerance.
    """
    prof = [np.asarray(p, dtype=float) for p in profile]
    tried = set()
    for thr in thresholds:
        sup = tuple(tuple(int(k) for k in np.flatnonzero(p > thr * p.max())) for p in prof)
        if sup in tried:
            continue
        tried.add(sup)
        sig = solve_on_support(game, sup, start=prof)
        if sig is not None:
            eq = _certified(game, sig, tol)
            if eq is not None:
                return eq
    return _certified(game, prof, tol)


# ---------------------------------------------------------------------- exact support systems
def _rational_payoffs(game) -> np.ndarray:
    if game.exact_payoffs is not None:
        return np.vectorize(Fraction, otypes=[object])(game.exact_payoffs[0])
    return np.vectorize(lambda v: Fraction(float(v)).limit_denominator(10 ** 9), otypes=[object])(game.payoffs[0])


def _conditionally_dominated(P, supports, m) -> bool:
    """True when some support action is strictly dominated by a pure action, given the others' supports."""
    n = len(m)
    for i in range(n):
        idx = [list(supports[j]) if j != i else list(range(m[i])) for j in range(n)]
        sub = np.moveaxis(P[..., i][np.ix_(*idx)], i, 0).reshape(m[i], -1)
        for a in supports[i]:
            if np.any(np.all(sub > sub[a][None, :], axis=1)):
                return True
    return False


def _indifference_polys(R, supports, m):
    """The multilinear indifference system of a support profile, as sympy Polys over QQ."""
    import sympy as sp

    n = len(m)
    gens, sig = [], []
    for i in range(n):
        S = list(supports[i])
        xs = sp.symbols(f"p{i}_1:{len(S)}") if len(S) > 1 else ()
        gens.extend(xs)
        pr = {S[0]: 1 - sum(xs)}
        pr.update({k: x for k, x in zip(S[1:], xs)})
        sig.append(pr)
    eqs = []
    for i in range(n):
        S = list(supports[i])
        if len(S) == 1:
            continue
        others = [list(supports[j]) if j != i else [None] for j in range(n)]
        k0 = S[0]
        for k in S[1:]:
            e = 0
            for prof in itertools.product(*others):
                c = sp.Rational(0)
                full_k = tuple(k if j == i else prof[j] for j in range(n))
                full_0 = tuple(k0 if j == i else prof[j] for j in range(n))
                dv = R[full_k + (i,)] - R[full_0 + (i,)]
                if dv == 0:
                    continue
                term = sp.Rational(dv.numerator, dv.denominator)
                for j in range(n):
                    if j != i:
                        term = term * sig[j][prof[j]]
                e += term
            eqs.append(e)
    return eqs, gens


def _solve_zero_dim(G, gens, rng):
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


def _dominance_tables(P, m, subsets):
    """Conditional dominance of every action given every combination of the others' supports.

    ``tables[i][key]`` is a bitmask of player *i*'s actions that are strictly
    dominated by one of her pure actions when the others play within the
    supports ``subsets[j][key[.]]`` (Porter, Nudelman & Shoham 2008); *key*
    indexes the others' supports in increasing player order.  Computed with
    Python integers as bitmasks over the others' pure profiles.
    """
    n = len(m)
    tables = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        U = np.moveaxis(P[..., i], i, 0).reshape(m[i], -1)  # rows: i's actions; columns: others' profiles (C order)
        beats = [[sum(1 << c for c in np.flatnonzero(U[b] > U[a]).tolist()) for b in range(m[i])]
                 for a in range(m[i])]
        # cylinder[j][k]: the others' profiles in which player j plays inside her k-th support
        grid = np.indices([m[j] for j in others]).reshape(len(others), -1).tolist()
        cylinder = [[sum(1 << c for c, a in enumerate(grid[pos]) if a in S) for S in subsets[j]]
                    for pos, j in enumerate(others)]
        table = {}
        for key in itertools.product(*[range(len(subsets[j])) for j in others]):
            box = -1
            for pos, k in enumerate(key):
                box &= cylinder[pos][k]
            dom = 0
            for a in range(m[i]):
                if any(b != a and box & ~beats[a][b] == 0 for b in range(m[i])):
                    dom |= 1 << a
            table[key] = dom
        tables.append(table)
    return tables


class _Values:
    """Action values of every player in one small game: one matrix-vector product per player."""

    def __init__(self, P):
        self.n = P.shape[-1]
        self.mats = [np.ascontiguousarray(np.moveaxis(P[..., i], i, 0).reshape(P.shape[i], -1))
                     for i in range(self.n)]

    def __call__(self, sig):
        out = []
        for i in range(self.n):
            w = None
            for j in range(self.n):
                if j != i:
                    w = sig[j] if w is None else np.multiply.outer(w, sig[j]).ravel()
            out.append(self.mats[i] @ w)
        return out


def _certify_fast(game, values, sig, tol, scale, exact=None):
    """``(certified equilibrium or None, regret)`` of a candidate profile.

    The same check as :func:`_certified` (clip tiny negatives, renormalise,
    regret at most ``tol * max(1, max|payoff|)``), computed with one
    matrix-vector product per player instead of the batched game methods.
    """
    flat = np.concatenate(sig).astype(float)
    if not np.all(np.isfinite(flat)) or flat.min() < -1e-7:
        return None, np.inf
    clean = []
    for s in sig:
        s = np.maximum(np.asarray(s, dtype=float), 0.0)
        clean.append(s / s.sum())
    vals = values(clean)
    pay = np.array([v @ s for v, s in zip(vals, clean)])
    r = float(max(v.max() - p for v, p in zip(vals, pay)))
    if not r <= tol * scale:
        return None, r
    return MixedEquilibrium(strategies=tuple(clean), payoffs=pay, regret=r, players=game.players,
                            actions=game.actions, exact=exact), r


def _groebner_candidates(R, supports, m, rng, label):
    """Real solutions of one support system by a Groebner basis: (profiles, notes, complete)."""
    import sympy as sp

    n = len(m)
    eqs, gens = _indifference_polys(R, supports, m)
    if any(sp.sympify(e).is_number and e != 0 for e in eqs):
        return [], [], True  # an equation reads c = 0 with c != 0: no solution
    eqs = [e for e in eqs if not (sp.sympify(e).is_number and e == 0)]
    if len(eqs) < len(gens):
        return [], [f"support ({label}): indifference system is underdetermined "
                    "(a continuum of candidate profiles); not enumerated"], False
    G = sp.groebner(eqs, *gens, order="grevlex", domain="QQ")
    if G.exprs == [1] or (len(G.exprs) == 1 and sp.sympify(G.exprs[0]).is_number):
        return [], [], True
    if not G.is_zero_dimensional:
        return [], [f"support ({label}): the indifference system has a positive-dimensional "
                    "solution set; equilibria on it are not enumerated"], False
    sols, multiple = _solve_zero_dim(G, gens, rng)
    notes = []
    if multiple:
        notes.append(f"support ({label}): the indifference system has a multiple root (degenerate game)")
    out = []
    for z in sols:
        if np.max(np.abs(z.imag)) > 1e-6:
            continue
        x = z.real
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
    return out, notes, not multiple


def _enumerate_exact(game, tol, max_supports, method="elimination"):
    P = game.payoffs[0]
    m = P.shape[:-1]
    n = len(m)
    fast = method == "elimination"
    R = None
    Z = None
    if fast:
        ex = game.exact_payoffs
        if ex is not None and all(type(v) is int for v in ex.flat) and int(np.max(np.abs(P))) < 2 ** 40:
            Z = np.asarray(ex[0].tolist(), dtype=np.int64)  # integer payoffs: no conversion needed
        else:
            R = _rational_payoffs(game)
            Z = integer_payoffs(R)
    scale = max(1.0, float(np.max(np.abs(P))))
    values = _Values(P) if fast else None
    rng = np.random.default_rng(12345)
    found = {}
    notes = []
    complete = True
    solved = by_groebner = 0

    def add(eq):
        key = eq.as_tuple(digits=7)
        if key not in found:
            found[key] = eq

    for prof in np.argwhere(pure_nash_mask(game, tol)[0]):
        strategies = [np.eye(m[i])[a] for i, a in enumerate(prof)]
        exact = tuple(tuple(Fraction(int(x)) for x in s) for s in strategies)
        if fast:
            eq = _certify_fast(game, values, strategies, tol, scale, exact=exact)[0]
            if eq is None:  # pragma: no cover - the pure mask is the same certificate
                raise CertificateError("internal check failed: a pure equilibrium has regret above the tolerance")
            add(eq)
        else:
            add(make_equilibrium(game, strategies, tol=tol, exact=exact))

    subsets = [[c for r in range(1, mi + 1) for c in itertools.combinations(range(mi), r)] for mi in m]
    total = int(np.prod([len(s) for s in subsets]))
    if max_supports is not None and total > max_supports:
        raise SolverError(f"enumerate_nplayer: {total} support profiles exceed max_supports={max_supports}; "
                          f"use one_equilibrium for a game of shape {'x'.join(map(str, m))}")
    tables = _dominance_tables(P, m, subsets)
    masks = [[sum(1 << a for a in s) for s in subs] for subs in subsets]
    for idx in itertools.product(*[range(len(s)) for s in subsets]):
        supports = tuple(subsets[i][k] for i, k in enumerate(idx))
        if all(len(s) == 1 for s in supports):
            continue
        if any(tables[i][idx[:i] + idx[i + 1:]] & masks[i][idx[i]] for i in range(n)):
            continue  # a support action is conditionally dominated
        solved += 1
        sols = solve_support_system(Z, supports) if fast else None
        if sols is not None:
            for sig in sols:
                if any(np.any(v < -1e-6) for v in sig):
                    continue
                eq, r = _certify_fast(game, values, sig, tol, scale)
                if eq is None and r < 1e-5:  # a near miss (ill-conditioned root): polish by Newton
                    polished = solve_on_support(game, supports, start=sig)
                    if polished is not None and not any(np.any(v < -1e-9) for v in polished):
                        eq = _certify_fast(game, values, polished, tol, scale)[0]
                if eq is not None:
                    add(eq)
                elif r < 1e-5:
                    complete = False
                    notes.append(f"support ({_label(game, supports)}): a near-equilibrium root could not be certified")
            continue
        label = _label(game, supports)
        by_groebner += 1
        if R is None:
            R = _rational_payoffs(game)
        cands, new_notes, ok = _groebner_candidates(R, supports, m, rng, label)
        notes.extend(new_notes)
        complete = complete and ok
        for start in cands:
            if any(np.any(v < -1e-6) for v in start):
                continue
            sig = solve_on_support(game, supports, start=start)
            if sig is None:
                sig = start
            if any(np.any(v < -1e-9) for v in sig):
                continue
            eq = _certified(game, sig, tol)
            if eq is not None:
                add(eq)
            elif float(game.regret([np.clip(v, 0, None) / np.clip(v, 0, None).sum() for v in sig])[0]) < 1e-5:
                complete = False
                notes.append(f"support ({label}): a near-equilibrium root could not be certified")
    eqs_sorted = sorted(found.values(), key=lambda e: e.as_tuple(digits=7))
    if fast:
        how = "support enumeration (exact elimination" + (
            f"; {by_groebner} of {solved} support systems by Groebner basis)" if by_groebner else ")")
    else:
        how = "support enumeration (Groebner)"
    return NPlayerEquilibria(extreme=tuple(eqs_sorted), complete=complete, method=how,
                             notes=tuple(notes), supports_solved=solved)


def _label(game, supports):
    return "; ".join(f"{game.players[i]}: {{{', '.join(game.actions[i][k] for k in s)}}}"
                     for i, s in enumerate(supports))


def _enumerate_gambit(game, tol):
    try:
        import pygambit as gbt
    except ImportError:  # pragma: no cover - depends on the environment
        raise SolverError("method='gambit' needs pygambit, which is not installed") from None
    g = to_gambit(game)
    res = gbt.nash.enumpoly_solve(g, use_strategic=True)
    found, notes = {}, []
    for prof in res.equilibria:
        sig = [np.array([float(prof[s]) for s in p.strategies]) for p in g.players]
        eq = polish_equilibrium(game, sig, tol=tol)
        if eq is None:
            notes.append(f"gambit returned a profile that could not be certified: {[s.round(6).tolist() for s in sig]}")
            continue
        found.setdefault(eq.as_tuple(digits=7), eq)
    notes.append("pygambit enumpoly_solve does not certify that it found every equilibrium")
    return NPlayerEquilibria(extreme=tuple(sorted(found.values(), key=lambda e: e.as_tuple(digits=7))),
                             complete=False, method="pygambit enumpoly_solve", notes=tuple(notes))


def to_gambit(game):
    """One unbatched game as a pygambit strategic game (payoffs exact when the game's are)."""
    import pygambit as gbt

    if game.exact_payoffs is not None:
        arrs = [np.vectorize(Fraction, otypes=[object])(game.exact_payoffs[0][..., i]) for i in range(game.n_players)]
    else:
        arrs = [game.payoffs[0][..., i] for i in range(game.n_players)]
    g = gbt.Game.from_arrays(*arrs, title=game.name or "deterrence game")
    for i, p in enumerate(g.players):
        p.label = game.players[i]
        for s, lab in zip(p.strategies, game.actions[i]):
            s.label = lab
    return g


def _check(game):
    if not hasattr(game, "payoffs") or not hasattr(game, "exact_payoffs"):
        raise GameStructureError(f"expected a NormalFormGame, got {type(game).__name__}")


def enumerate_nplayer(game, *, method: str = "elimination", tol: float = DEFAULT_TOL,
                      max_supports: int | None = 20000):
    """All Nash equilibria of a small n-player game.

    Parameters
    ----------
    game : NormalFormGame
        One game or a batch (solved game by game; a list is returned).
    method : {"elimination", "groebner", "gambit"}
        ``"elimination"`` (default): support enumeration; the support
        systems of the common shapes (at most three mixing players, see
        :mod:`deterrence.solve.elimination`) are decided by exact elimination
        to one univariate integer polynomial whose real roots are counted by
        a Sturm sequence, every other system (and every degenerate one) by
        the Groebner basis.  ``"groebner"``: every support system by a
        Groebner basis (see the module docstring); slower, kept as the
        reference.  ``"gambit"``: pygambit's ``enumpoly_solve``, each result
        polished and certified.
    tol : float
        Regret tolerance of the certificate (relative to ``max |payoff|``).
    max_supports : int or None
        Refuse games with more support profiles than this.

    Returns
    -------
    NPlayerEquilibria (or a list for a batch)
        ``complete=True`` only when every support system was either
        inconsistent or had finitely many simple roots, all of which were
        examined: for a nondegenerate game, every equilibrium is listed.
        Otherwise ``notes`` says which support defeated the guarantee
        (positive-dimensional solution sets occur in degenerate games, whose
        equilibria may form continua).  Payoffs given as floats are read as
        the nearest fractions with denominators up to 10**9; roots are
        polished on the float game, so this only matters for degenerate cases.
    """
    _check(game)
    if method not in ("elimination", "groebner", "gambit"):
        raise SolverError(f"enumerate_nplayer: unknown method {method!r}; "
                          "use 'elimination', 'groebner' or 'gambit'")
    out = []
    for g in game:
        if method == "gambit":
            out.append(_enumerate_gambit(g, tol))
        else:
            out.append(_enumerate_exact(g, tol, max_supports, method))
    return out if game.batched else out[0]


def one_equilibrium(game, *, tol: float = DEFAULT_TOL):
    """One Nash equilibrium, found fast, for games too large to enumerate.

    Traces the principal branch of the logit QRE correspondence (McKelvey &
    Palfrey 1995) until the regret is small, reads the support off the
    profile and solves the indifference system on it by Newton's method
    (:func:`polish_equilibrium`); the branch is followed further if the
    polish fails.  The equilibrium is the one the logit tracing procedure
    selects.  For small games, support enumeration is the last resort.

    Returns
    -------
    MixedEquilibrium (or a list for a batch), certified by its regret.
    """
    _check(game)
    from .qre import logit_path

    out = []
    for g in game:
        eq = None
        for mr in (1e-5, 1e-8, 1e-11):
            try:
                path = logit_path(g, maxregret=mr, max_accel=1.5, polish=True)
            except SolverError:
                break
            eq = path.nash
            if eq is not None:
                break
        if eq is None:
            sizes = [2 ** mi - 1 for mi in g.num_actions]
            if int(np.prod(sizes)) <= 2000:
                res = _enumerate_exact(g, tol, None)
                if len(res):
                    eq = res[0]
        if eq is None:
            raise SolverError("one_equilibrium: the logit path did not yield a certifiable equilibrium")
        out.append(eq)
    return out if game.batched else out[0]
