"""Scale-free tolerances: what counts as a tie, and how small a certified regret must be.

A game's equilibria do not change when a player's payoffs are multiplied by
a positive constant or shifted by a constant (nor when a function of the
*others'* actions is added to them), so no tolerance may depend on the unit
or the level of the payoffs.  Every solver of the package measures a
deviation gain against **the payoff differences at stake**:

* the *spread* of player *i* against a pure profile ``a_-i`` of the others
  is ``max_k u_i(k, a_-i) - min_k u_i(k, a_-i)``, the most she can gain or
  lose by switching her own action there;
* at a mixed profile the scale of player *i* is her expected spread
  ``E[spread_i(a_-i)]`` over the others' strategies (so an action they do
  not play carries no weight, however large its payoffs);
* a gain of player *i* is tolerated up to ``tol * scale_i + ROUNDING * M_i``,
  where ``M_i`` is the largest ``|u_i|`` of the game: the second term is the
  rounding error of floating-point arithmetic at the payoffs' magnitude
  (``ROUNDING = 2**-40``, about ``9e-13``), which no computation can undercut.

Both terms are invariant under ``u -> a * u`` (``a > 0``); the first is also
invariant under ``u -> u + b``, and the second grows with ``|b|`` only as the
floating-point resolution of the shifted numbers does.  A consequence: a
profile whose regret is 1 is never certified in a game whose payoff
differences at stake are 1 (``tol < 1``), whatever the magnitude of payoffs
elsewhere in the game, up to ``M_i < 2**40``.  With ``tol = 0`` nothing is
tolerated (exact payoffs).

This module sits below every solver (it imports only numpy).
"""

from __future__ import annotations

import numpy as np

__all__ = ["ROUNDING", "rounding_allowance", "own_spread", "regret_bounds", "player_regrets",
           "tree_tie_scale", "lossy_exact", "stable_payoffs"]

#: Relative rounding allowance at the payoffs' magnitude (about 9.1e-13).
ROUNDING = 2.0 ** -40


def rounding_allowance(magnitude, tol: float):
    """``ROUNDING * magnitude`` when ``tol > 0``, else 0 (exact comparisons)."""
    return ROUNDING * np.asarray(magnitude, dtype=float) if tol > 0 else np.zeros_like(magnitude, dtype=float)


def own_spread(u: np.ndarray, axis: int) -> np.ndarray:
    """Spread of a player's payoffs over her own actions: ``max - min`` along *axis* (kept, length 1)."""
    return u.max(axis=axis, keepdims=True) - u.min(axis=axis, keepdims=True)


def _magnitudes(P: np.ndarray) -> np.ndarray:
    """``M[b, i] = max |u_i|`` in game *b* of a payoff array ``(B, m_1, ..., m_n, n)``."""
    B, n = P.shape[0], P.shape[-1]
    return np.abs(P).reshape(B, -1, n).max(axis=1)


def _others_weighted(t: np.ndarray, prof, i: int) -> np.ndarray:
    """Contract the tensor ``t`` of shape ``(B, m_1, ..., m_n)`` (axis ``i + 1`` of length 1 or ``m_i``)
    with the others' strategies ``prof[j]`` (``(B, m_j)``); returns ``(B, len of axis i + 1)``."""
    n = len(prof)
    letters = "abcdefghijklmnopqrstuvwxy"[:n]
    B = max(t.shape[0], max(p.shape[0] for p in prof))
    operands = [np.broadcast_to(t, (B,) + t.shape[1:])]
    subs = ["z" + letters]
    for j in range(n):
        if j != i:
            operands.append(np.broadcast_to(prof[j], (B, prof[j].shape[1])))
            subs.append("z" + letters[j])
    return np.einsum(",".join(subs) + "->z" + letters[i], *operands, optimize=n > 2)


def player_regrets(P: np.ndarray, prof) -> np.ndarray:
    """Each player's largest deviation gain at the profile, shape ``(B, n)``.

    *P* is ``(B, m_1, ..., m_n, n)``, *prof* one ``(B or 1, m_i)`` array per player.
    """
    n = P.shape[-1]
    out = []
    for i in range(n):
        v = _others_weighted(P[..., i], prof, i)                    # (B, m_i)
        s = np.broadcast_to(prof[i], v.shape)
        out.append(v.max(-1) - np.einsum("bk,bk->b", v, s))
    return np.stack(out, axis=-1)


def regret_bounds(P: np.ndarray, prof, tol: float) -> np.ndarray:
    """The tolerated regret of each player at a profile, shape ``(B, n)``.

    ``tol * E[spread_i] + ROUNDING * max|u_i|`` (see the module docstring).
    """
    n = P.shape[-1]
    M = _magnitudes(P)
    out = []
    for i in range(n):
        sp = own_spread(P[..., i], axis=i + 1)                      # (B, ..., 1, ...)
        out.append(_others_weighted(sp, prof, i)[:, 0])
    spread = np.stack(out, axis=-1)
    return tol * spread + rounding_allowance(M, tol)


def tree_tie_scale(P: np.ndarray, tol: float) -> tuple[np.ndarray, np.ndarray]:
    """Per game: ``(tol * largest payoff range of a player, rounding allowance)`` for a tree's payoffs.

    *P* is ``(B, terminals, n)``.  A tree solver compares a gain at a node
    with ``tol`` times the spread of the mover's values there (plus the
    rounding allowance); its certificate of a whole profile uses the first
    term, ``tol * max_i (max u_i - min u_i)``, plus the rounding allowance.
    """
    B = P.shape[0]
    rng = (P.max(axis=1) - P.min(axis=1)).max(axis=-1) if P.shape[1] else np.zeros(B)
    mag = np.abs(P).reshape(B, -1).max(-1, initial=0.0)
    return tol * rng, rounding_allowance(mag, tol)


def lossy_exact(game) -> bool:
    """True when *game* carries exact payoffs (ints, Fractions) that its floats do not hold exactly."""
    ex = getattr(game, "exact_payoffs", None)
    if ex is None:
        return False
    from fractions import Fraction

    return any(Fraction(float(v)) != v for v in ex.flat)


def stable_payoffs(game):
    """``(payoffs, shift)``: float payoffs with each player's exact minimum subtracted exactly, per game.

    Equilibria, ties and regrets do not change when a constant is subtracted
    from a player's payoffs.  When the game's exact payoffs are not held
    exactly by floats (say Python integers around ``2**60`` that differ by
    1), the shifted payoffs usually are, so float comparisons see the true
    differences.  For every other game this returns ``(game.payoffs, 0)``.
    ``shift`` has shape ``(B, n)``: add it back to report payoffs.
    """
    P = game.payoffs
    if not lossy_exact(game):
        return P, np.zeros((P.shape[0], P.shape[-1]))
    from fractions import Fraction

    ex = game.exact_payoffs
    B, n = P.shape[0], P.shape[-1]
    out = np.empty(P.shape)
    shift = np.empty((B, n))
    for b in range(B):
        for i in range(n):
            u = ex[b][..., i]
            lo = min(Fraction(v) for v in u.flat)
            out[b][..., i] = np.array([float(Fraction(v) - lo) for v in u.flat]).reshape(u.shape)
            shift[b, i] = float(lo)
    return out, shift
