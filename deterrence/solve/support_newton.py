"""Newton's method on a support's indifference system, and polishing approximate equilibria.

Shared by the n-player enumeration (:mod:`deterrence.solve.nplayer`), which
polishes the roots of exact support systems on the floating-point game, and
the logit tracing procedure (:mod:`deterrence.solve.qre`), which polishes the
end of its branch: one floor below both, so neither imports the other for it.

For a support profile ``(S_1, ..., S_n)`` the unknowns are ``sigma_ik``
(``k in S_i``) and each player's value ``v_i``; the equations are
``U_ik(sigma) = v_i`` for ``k in S_i`` and ``sum_k sigma_ik = 1``
(e.g. McKelvey & McLennan 1996, "Computation of equilibria in finite games",
*Handbook of Computational Economics* 1, sec. 6).
"""

from __future__ import annotations

import numpy as np

from .best_response import PayoffKernel, values_against
from .results import DEFAULT_TOL, MixedEquilibrium, make_equilibrium
from .tolerance import player_regrets, regret_bounds

__all__ = ["solve_on_support", "polish_equilibrium", "certified_profile"]


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
    # converged: residuals within tol of the largest payoff range plus the rounding of values at the
    # payoffs' magnitude (scale- and shift-free, like the certificate)
    rng = float(max((P[..., i].max() - P[..., i].min()) for i in range(n)))
    scale = max(rng, 1e-300)
    floor = 8 * np.finfo(float).eps * float(np.abs(P).max())
    kernel = PayoffKernel(P)
    for _ in range(maxit):
        U, Dp = kernel.derivs(sig)
        F = np.empty(N + n)
        for i in range(n):
            F[off[i]:off[i + 1]] = U[i][S[i]] - val[i]
            F[N + i] = sig[i].sum() - 1.0
        if np.max(np.abs(F)) <= tol * scale + floor:
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


def certified_profile(game, sig, tol: float = DEFAULT_TOL) -> MixedEquilibrium | None:
    """Clip tiny negatives, renormalise and certify a candidate profile; None if it is not an equilibrium.

    The bound is :func:`~deterrence.solve.results.certify`'s (relative to the
    payoff differences at stake, :mod:`deterrence.solve.tolerance`).
    """
    clean = []
    for s in sig:
        s = np.asarray(s, dtype=float)
        if not np.all(np.isfinite(s)) or np.any(s < -1e-7):
            return None
        s = np.clip(s, 0.0, None)
        tot = s.sum()
        if not tot > 0:
            return None
        clean.append(s / tot)
    prof = game.profile(clean)
    if np.any(player_regrets(game.payoffs, prof)[0] > regret_bounds(game.payoffs, prof, tol)[0]):
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
            eq = certified_profile(game, sig, tol)
            if eq is not None:
                return eq
    return certified_profile(game, prof, tol)
