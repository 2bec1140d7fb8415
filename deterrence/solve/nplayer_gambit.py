"""pygambit's polynomial enumeration as a backend of :func:`deterrence.solve.nplayer.enumerate_nplayer`.

pygambit (McKelvey, McLennan & Turocy, Gambit) is an optional dependency.
Each player's payoffs are mapped onto ``[1, 2]`` before the call (the same
equilibria; Gambit's floating-point methods lose equilibria on payoffs of
order 1e9 or 1e-9), and every profile Gambit returns is polished on the
original game and certified by its regret.  ``enumpoly_solve`` does not
certify that it found every equilibrium, so neither does this backend.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..errors import SolverError
from .support_newton import polish_equilibrium

__all__ = ["to_gambit", "enumpoly_candidates"]


def to_gambit(game, *, rescale: bool = False):
    """One unbatched game as a pygambit strategic game.

    Parameters
    ----------
    game : NormalFormGame
    rescale : bool
        Map each player's payoffs onto ``[1, 2]`` (exactly for exact
        payoffs), which leaves the equilibria unchanged.  Default: the
        payoffs as they are (exact when the game's are).
    """
    import pygambit as gbt

    arrs = []
    for i in range(game.n_players):
        if game.exact_payoffs is not None:
            u = np.vectorize(Fraction, otypes=[object])(game.exact_payoffs[0][..., i])
        else:
            u = game.payoffs[0][..., i]
        if rescale:
            lo, hi = min(u.flat), max(u.flat)
            u = (u - lo) / (hi - lo) + 1 if hi > lo else np.full(u.shape, 1, dtype=u.dtype)
        arrs.append(u)
    g = gbt.Game.from_arrays(*arrs, title=game.name or "deterrence game")
    for i, p in enumerate(g.players):
        p.label = game.players[i]
        for s, lab in zip(p.strategies, game.actions[i]):
            s.label = lab
    return g


def enumpoly_candidates(game, tol: float):
    """Certified equilibria from pygambit's ``enumpoly_solve`` on the rescaled game.

    Returns
    -------
    (list of MixedEquilibrium, list of str)
        The distinct certified equilibria, and notes (profiles that could
        not be certified; the lack of a completeness guarantee).
    """
    try:
        import pygambit as gbt
    except ImportError:  # pragma: no cover - depends on the environment
        raise SolverError("method='gambit' needs pygambit, which is not installed") from None
    g = to_gambit(game, rescale=True)
    res = gbt.nash.enumpoly_solve(g, use_strategic=True)
    found, notes = {}, []
    for prof in res.equilibria:
        sig = [np.array([float(prof[s]) for s in p.strategies]) for p in g.players]
        eq = polish_equilibrium(game, sig, tol=tol)
        if eq is None:
            notes.append(f"gambit returned a profile that could not be certified: {[s.round(6).tolist() for s in sig]}")
            continue
        found.setdefault(eq.as_tuple(digits=7), eq)
    if not found:
        notes.append("pygambit enumpoly_solve returned no certified equilibrium; every finite game has one, "
                     "so the set is incomplete")
    notes.append("pygambit enumpoly_solve does not certify that it found every equilibrium")
    return sorted(found.values(), key=lambda e: e.as_tuple(digits=7)), notes
