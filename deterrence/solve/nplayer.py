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
  unknowns.  The system is solved in exact rational arithmetic
  (:mod:`deterrence.solve.nplayer_groebner`): a Groebner basis (sympy's
  F5B) decides whether it has no solution, finitely
  many, or a positive-dimensional set; when finite, **all** complex solutions
  are the joint eigenvalues of the multiplication matrices of the quotient
  ring (the eigenvalue method of Auzinger & Stetter 1988; Cox, Little &
  O'Shea, *Using Algebraic Geometry*, 2005, ch. 2 section 4); a solution
  with an imaginary part above 1e-6 is settled by Newton's method in complex
  arithmetic (listed if real; the set is not called complete if it cannot be
  settled).  Real solutions
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
dependency; :mod:`deterrence.solve.nplayer_gambit`) and certifies what it
returns.  Newton's method on a support and the polishing of approximate
equilibria live in :mod:`deterrence.solve.support_newton` (shared with the
logit tracing procedure); their names are re-exported here.

Float payoffs are read exactly, as the binary rationals they are, so the
exact decisions are about the game as given; tolerances are relative to the
payoff differences at stake (:mod:`deterrence.solve.tolerance`).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..errors import CertificateError, GameStructureError, SolverError
from ..games.normal_form import NormalFormGame
from .elimination import integer_payoffs, solve_support_system
from .nplayer_gambit import enumpoly_candidates, to_gambit
from .nplayer_groebner import groebner_candidates
from .pure import pure_nash_mask
from .results import DEFAULT_TOL, EquilibriumSet, MixedEquilibrium, ResultBatch, make_equilibrium
from .support_newton import polish_equilibrium, solve_on_support
from .tolerance import lossy_exact, rounding_allowance
from .progress import Progress
from .work import check_support_work

__all__ = ["enumerate_nplayer", "one_equilibrium", "polish_equilibrium", "solve_on_support",
           "NPlayerEquilibria", "to_gambit"]


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


# ---------------------------------------------------------------------- exact support systems
def _rational_payoffs(game) -> np.ndarray:
    """The game's payoffs as Fractions: exact payoffs as given, floats as the binary rationals they are.

    Reading a float exactly keeps every denominator a power of two, so the
    per-player integer scaling (:func:`~deterrence.solve.elimination.integer_payoffs`)
    stays near 64 bits; rounding to nearby fractions (denominators up to
    10**9, as before) made the common denominator of 16 payoffs a number of
    hundreds of digits and the exact arithmetic 200 times slower.
    """
    if game.exact_payoffs is not None:
        return np.vectorize(Fraction, otypes=[object])(game.exact_payoffs[0])
    return np.vectorize(lambda v: Fraction(float(v)), otypes=[object])(game.payoffs[0])


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
    """Action values of every player in one small game: one matrix-vector product per player.

    Also holds each player's own-action payoff spread against every pure
    profile of the others and her rounding allowance, for the certificate
    (:mod:`deterrence.solve.tolerance`).
    """

    def __init__(self, P, tol):
        self.n = P.shape[-1]
        self.mats = [np.ascontiguousarray(np.moveaxis(P[..., i], i, 0).reshape(P.shape[i], -1))
                     for i in range(self.n)]
        self.spreads = [M.max(0) - M.min(0) for M in self.mats]
        self.tol = tol
        self.noise = rounding_allowance(np.array([float(np.abs(M).max()) for M in self.mats]), tol)

    def _others(self, sig, i):
        w = None
        for j in range(self.n):
            if j != i:
                w = sig[j] if w is None else np.multiply.outer(w, sig[j]).ravel()
        return w

    def __call__(self, sig):
        return [self.mats[i] @ self._others(sig, i) for i in range(self.n)]

    def with_bounds(self, sig):
        """``(values, tolerated gain of each player)`` at the profile *sig*."""
        vals, bounds = [], []
        for i in range(self.n):
            w = self._others(sig, i)
            vals.append(self.mats[i] @ w)
            bounds.append(self.tol * float(self.spreads[i] @ w) + float(self.noise[i]))
        return vals, np.array(bounds)


def _certify_fast(game, values, sig, tol, exact=None):
    """``(certified equilibrium or None, relative regret)`` of a candidate profile.

    The same check as :func:`~deterrence.solve.results.certify` (clip tiny
    negatives, renormalise, each player's gain within ``tol`` times her
    expected payoff difference at stake plus the rounding allowance),
    computed with one matrix-vector product per player instead of the
    batched game methods.  The second value is the largest gain divided by
    the game's largest payoff range (``inf`` for an invalid profile), used
    to recognise near misses.
    """
    flat = np.concatenate(sig).astype(float)
    if not np.all(np.isfinite(flat)) or flat.min() < -1e-7:
        return None, np.inf
    clean = []
    for s in sig:
        s = np.maximum(np.asarray(s, dtype=float), 0.0)
        tot = s.sum()
        if not tot > 0:
            return None, np.inf
        clean.append(s / tot)
    vals, bounds = values.with_bounds(clean)
    pay = np.array([v @ s for v, s in zip(vals, clean)])
    gains = np.array([v.max() - p for v, p in zip(vals, pay)])
    r = float(gains.max())
    span = max(float(sp.max()) for sp in values.spreads) or 1.0
    if not np.all(gains <= bounds):
        return None, r / span
    return MixedEquilibrium(strategies=tuple(clean), payoffs=pay, regret=r, players=game.players,
                            actions=game.actions, exact=exact), r / span


def _fails_within_support(values, sig, supports):
    """``(gain, bound)`` of the player whose gain *within her own support* most exceeds her bound, or None.

    A root of the support's indifference system leaves every player
    indifferent across her support, so a candidate failing the certificate
    there was solved (or polished) too loosely: a numerical failure, not a
    profile shown to be no equilibrium.  A candidate failing only because an
    action off the support gains more is no equilibrium and is dropped
    silently (the caller's business).
    """
    clean = []
    for s in sig:
        s = np.maximum(np.asarray(s, dtype=float), 0.0)
        clean.append(s / s.sum())
    vals, bounds = values.with_bounds(clean)
    worst = None
    for v, x, S, b in zip(vals, clean, supports, bounds):
        gain = float(v[list(S)].max() - v @ x)
        if gain > b and (worst is None or gain - b > worst[0] - worst[1]):
            worst = (gain, float(b))
    return worst


def _enumerate_exact(game, tol, max_supports, method="elimination", progress=None):
    P = game.payoffs[0]
    m = P.shape[:-1]
    n = len(m)
    fast = method == "elimination"
    Z = Zq = None
    if fast:
        ex = game.exact_payoffs
        if ex is not None and all(type(v) is int for v in ex.flat) and int(np.max(np.abs(P))) < 2 ** 40:
            Z = np.asarray(ex[0].tolist(), dtype=np.int64)  # integer payoffs: no conversion needed
        else:
            Z = integer_payoffs(_rational_payoffs(game))
    values = _Values(P, tol)
    rng = np.random.default_rng(12345)
    found = {}
    notes = []
    complete = True
    solved = by_groebner = 0

    def add(eq):
        key = eq.as_tuple(digits=7)
        if key not in found:
            found[key] = eq

    for prof in np.argwhere(pure_nash_mask(game, tol=tol)[0]):
        strategies = [np.eye(m[i])[a] for i, a in enumerate(prof)]
        exact = tuple(tuple(Fraction(int(x)) for x in s) for s in strategies)
        if fast:
            eq = _certify_fast(game, values, strategies, tol, exact=exact)[0]
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
    if max_supports is not None:        # refuse at once a game whose systems would take minutes (solve.work)
        check_support_work(m)
    tables = _dominance_tables(P, m, subsets)
    masks = [[sum(1 << a for a in s) for s in subs] for subs in subsets]
    rep = Progress(progress, total, "enumerate_nplayer: support profiles")
    for done, idx in enumerate(itertools.product(*[range(len(s)) for s in subsets])):
        if done % 64 == 0:
            rep.update(done, f"{solved} systems solved")
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
                eq, r = _certify_fast(game, values, sig, tol)
                if eq is None and r < 1e-5:  # a near miss (ill-conditioned root; r is relative): polish by Newton
                    polished = solve_on_support(game, supports, start=sig)
                    if polished is not None and not any(np.any(v < -1e-9) for v in polished):
                        eq = _certify_fast(game, values, polished, tol)[0]
                if eq is not None:
                    add(eq)
                elif r < 1e-5:
                    complete = False
                    notes.append(f"support ({_label(game, supports)}): a near-equilibrium root could not be certified")
                elif np.isfinite(r) and (bad := _fails_within_support(values, sig, supports)) is not None:
                    complete = False
                    notes.append(_loose_note(_label(game, supports), sig, bad))
            continue
        label = _label(game, supports)
        by_groebner += 1
        if Zq is None:  # integer payoffs (scaled per player: the same solutions) as Fractions for sympy
            Zq = np.vectorize(Fraction, otypes=[object])(Z if Z is not None else integer_payoffs(_rational_payoffs(game)))
        cands, new_notes, ok = groebner_candidates(Zq, supports, m, rng, label)
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
            eq, r = _certify_fast(game, values, sig, tol)
            if eq is not None:
                add(eq)
            elif r < 1e-5:
                complete = False
                notes.append(f"support ({label}): a near-equilibrium root could not be certified")
            elif np.isfinite(r) and (bad := _fails_within_support(values, sig, supports)) is not None:
                complete = False
                notes.append(_loose_note(label, sig, bad))
    rep.close()
    eqs_sorted = sorted(found.values(), key=lambda e: e.as_tuple(digits=7))
    if not eqs_sorted:
        complete = False
        notes.append("no equilibrium was found although every finite game has one (Nash 1951): the set is "
                     "incomplete; please report this game")
    if fast:
        how = "support enumeration (exact elimination" + (
            f"; {by_groebner} of {solved} support systems by Groebner basis)" if by_groebner else ")")
    else:
        how = "support enumeration (Groebner)"
    return NPlayerEquilibria(extreme=tuple(eqs_sorted), complete=complete, method=how,
                             notes=tuple(notes), supports_solved=solved)


def _loose_note(label, sig, bad):
    prof = "; ".join(str(np.round(np.asarray(v, float), 6).tolist()) for v in sig)
    return (f"support ({label}): the candidate ({prof}) solves the indifference equations only to a gain of "
            f"{bad[0]:.3g} within its support, above the certificate bound {bad[1]:.3g}; not listed")


def _label(game, supports):
    return "; ".join(f"{game.players[i]}: {{{', '.join(game.actions[i][k] for k in s)}}}"
                     for i, s in enumerate(supports))


def _enumerate_gambit(game, tol):
    eqs, notes = enumpoly_candidates(game, tol)
    return NPlayerEquilibria(extreme=tuple(eqs), complete=False, method="pygambit enumpoly_solve",
                             notes=tuple(notes))


def _float_safe(g):
    """``(game, shift)``: a game whose exact payoffs floats cannot hold (integers beyond 2**53 that differ by
    little) is replaced by the same game with each player's exact minimum subtracted (same equilibria), so
    that the floating-point certificate and Newton steps see the true differences."""
    if not lossy_exact(g):
        return g, 0.0
    ex = g.exact_payoffs[0]
    lows = [min(Fraction(v) for v in ex[..., i].flat) for i in range(g.n_players)]
    shifted = np.empty(ex.shape, dtype=object)
    for i, lo in enumerate(lows):
        shifted[..., i] = np.vectorize(lambda v, lo=lo: Fraction(v) - lo, otypes=[object])(ex[..., i])
    g2 = NormalFormGame(shifted.tolist(), players=g.players, actions=g.actions, name=g.name)
    return g2, np.array([float(lo) for lo in lows])


def _check(game):
    if not hasattr(game, "payoffs") or not hasattr(game, "exact_payoffs"):
        raise GameStructureError(f"expected a NormalFormGame, got {type(game).__name__}")


def enumerate_nplayer(game, *, method: str = "elimination", tol: float = DEFAULT_TOL,
                      max_supports: int | None = 20000, progress=None):
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
        Regret tolerance of the certificate, relative to the payoff
        differences at stake (:mod:`deterrence.solve.tolerance`).
    max_supports : int or None
        Refuse games with more support profiles than this, or whose support
        systems would take too long (:func:`deterrence.solve.work.check_support_work`);
        None lifts both bounds.
    progress : None, bool or callable
        Progress over the support profiles (:mod:`deterrence.solve.progress`:
        by default a line on stderr once a run has taken two seconds).

    Returns
    -------
    NPlayerEquilibria
        For one game; for a batch, a :class:`~deterrence.solve.results.ResultBatch` of one per game.
        ``complete=True`` only when every support system was either
        inconsistent or had finitely many simple roots, all of which were
        examined: for a nondegenerate game, every equilibrium is listed.
        Otherwise ``notes`` says which support defeated the guarantee
        (positive-dimensional solution sets occur in degenerate games, whose
        equilibria may form continua).  An empty set is never complete
        (every finite game has an equilibrium; if none is found the notes
        say so).  Payoffs given as floats are read exactly (as binary
        rationals): the exact decisions are about the game as given.
    """
    _check(game)
    if method not in ("elimination", "groebner", "gambit"):
        raise SolverError(f"enumerate_nplayer: unknown method {method!r}; "
                          "use 'elimination', 'groebner' or 'gambit'")
    out = []
    for g in game:
        g, shift = _float_safe(g)
        if method == "gambit":
            res = _enumerate_gambit(g, tol)
        else:
            res = _enumerate_exact(g, tol, max_supports, method, progress)
        if np.any(shift):
            res = dataclasses.replace(res, extreme=tuple(dataclasses.replace(e, payoffs=e.payoffs + shift)
                                                         for e in res.extreme))
        out.append(res)
    return ResultBatch(out) if game.batched else out[0]


def _support_work_ok(shape) -> bool:
    """True when support enumeration of this shape passes the work bound (:mod:`deterrence.solve.work`)."""
    try:
        check_support_work(shape)
    except SolverError:
        return False
    return True


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
    MixedEquilibrium
        Certified by its regret; for a batch, a :class:`~deterrence.solve.results.ResultBatch` of one per game.
    """
    _check(game)
    from .qre import logit_path

    out = []
    for g in game:
        g, shift = _float_safe(g)
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
            if int(np.prod(sizes)) <= 2000 and _support_work_ok(g.num_actions):
                res = _enumerate_exact(g, tol, None)
                if len(res):
                    eq = res[0]
        if eq is None:
            raise SolverError("one_equilibrium: the logit path did not yield a certifiable equilibrium")
        if np.any(shift):
            eq = dataclasses.replace(eq, payoffs=eq.payoffs + shift)
        out.append(eq)
    return ResultBatch(out, method="logit tracing + Newton polish") if game.batched else out[0]
