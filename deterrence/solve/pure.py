"""Pure-strategy Nash equilibria of n-player normal-form games, vectorized over a batch.

An action profile ``(a_1, ..., a_n)`` is a pure Nash equilibrium when every
player's action is a best response to the others' (Nash 1951).  For player
*i* the set of profiles where ``a_i`` is a best response is the boolean mask
``u_i(a) >= max_k u_i(k, a_{-i})``, one comparison with a maximum along axis
*i* of the payoff tensor; the equilibria are the AND of these *n* masks.
The whole batch is one numpy expression, so a sweep of 10**6 parameter
points costs one call.

The mask is the certificate: a profile in it has regret at most the
tolerance, by construction (the regret of a pure profile is the largest
``max_k u_i(k, a_{-i}) - u_i(a)``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import GameStructureError
from .results import DEFAULT_TOL, MixedEquilibrium, make_equilibrium
from .tolerance import rounding_allowance, stable_payoffs

__all__ = ["pure_nash", "pure_nash_mask", "PureNashBatch"]


def pure_nash_mask(game, tol: float = DEFAULT_TOL) -> np.ndarray:
    """Boolean array ``(B, m_1, ..., m_n)``: True at the pure Nash equilibria of each game.

    Parameters
    ----------
    game : NormalFormGame
    tol : float
        Player *i*'s deviation gain at ``a`` is not counted as profitable
        when it is at most ``tol * spread_i(a_-i) + ROUNDING * max |u_i|``
        of that game, with ``spread_i(a_-i)`` the difference between her best
        and worst payoff against ``a_-i`` (:mod:`deterrence.solve.tolerance`,
        the same bound as :func:`~deterrence.solve.results.certify`): scale-
        and shift-free.  ``tol=0`` compares exactly.

    Raises
    ------
    GameStructureError
        If *game* is not a :class:`~deterrence.games.NormalFormGame`.
    """
    _check_game(game, "pure_nash_mask")
    P = stable_payoffs(game)[0]            # exact payoffs beyond float precision: shifted exactly first
    B, n = P.shape[0], P.shape[-1]
    M = np.abs(P).reshape(B, -1, n).max(axis=1)                     # (B, n)
    noise = rounding_allowance(M, tol)
    mask = None
    for i in range(n):
        u = P[..., i]
        best = u.max(axis=i + 1, keepdims=True)
        slack = tol * (best - u.min(axis=i + 1, keepdims=True)) + noise[:, i].reshape((B,) + (1,) * n)
        br = u >= best - slack
        mask = br if mask is None else (mask & br)
    return mask


def _check_game(game, what: str) -> None:
    if not (hasattr(game, "payoffs") and hasattr(game, "num_actions") and hasattr(game, "batched")):
        raise GameStructureError(f"{what}: game must be a NormalFormGame, got {type(game).__name__} "
                                 "(build one with NormalFormGame(...) or NormalFormGame.from_bimatrix(A, B))")


@dataclass(frozen=True, eq=False)
class PureNashBatch:
    """Pure Nash equilibria of a batch of games, stored compactly.

    Attributes
    ----------
    mask : ndarray of bool, shape ``(B, m_1, ..., m_n)``
        ``mask[b, a_1, ..., a_n]`` is True when the profile is an equilibrium of game *b*.
    players, actions : tuple
        Labels, copied from the game.
    """

    mask: np.ndarray
    players: tuple
    actions: tuple
    game: object = None
    tol: float = DEFAULT_TOL

    @property
    def counts(self) -> np.ndarray:
        """Number of pure equilibria of each game, shape ``(B,)``."""
        return self.mask.reshape(self.mask.shape[0], -1).sum(-1)

    @property
    def exists(self) -> np.ndarray:
        """Whether each game has a pure equilibrium, shape ``(B,)``."""
        return self.mask.reshape(self.mask.shape[0], -1).any(-1)

    def __len__(self) -> int:
        return self.mask.shape[0]

    def profiles(self, b: int) -> list[tuple[int, ...]]:
        """The equilibrium action profiles of game *b*, as index tuples in lexicographic order."""
        return [tuple(int(v) for v in row) for row in np.argwhere(self.mask[b])]

    def labelled(self, b: int) -> list[tuple[str, ...]]:
        """The equilibrium profiles of game *b*, as action labels."""
        return [tuple(self.actions[i][a] for i, a in enumerate(p)) for p in self.profiles(b)]

    def equilibria(self, b: int) -> list[MixedEquilibrium]:
        """The equilibria of game *b* as certified :class:`MixedEquilibrium` objects."""
        return _as_equilibria(self.game[b], self.profiles(b), self.tol)


def _as_equilibria(game, profiles, tol: float = DEFAULT_TOL) -> list[MixedEquilibrium]:
    from fractions import Fraction

    out = []
    for p in profiles:
        strategies = []
        for i, a in enumerate(p):
            v = np.zeros(game.num_actions[i])
            v[a] = 1.0
            strategies.append(v)
        exact = tuple(tuple(Fraction(int(x)) for x in s) for s in strategies)
        out.append(make_equilibrium(game, strategies, tol=max(tol, DEFAULT_TOL), exact=exact))
    return out


def pure_nash(game, tol: float = DEFAULT_TOL):
    """All pure-strategy Nash equilibria.

    Parameters
    ----------
    game : NormalFormGame
        One game or a batch of games, any number of players.
    tol : float
        A deviation gain up to ``tol`` times the payoff differences at stake
        plus the floating-point rounding allowance is ignored (ties in
        sweeps; see :func:`pure_nash_mask`).  Use ``tol=0`` for exact payoffs.

    Returns
    -------
    list of MixedEquilibrium or PureNashBatch
        For one game, every pure equilibrium (profiles in lexicographic
        order of action indices), each certified by its regret.  For a
        batch, a :class:`PureNashBatch` holding the boolean mask; use
        ``.counts``, ``.profiles(b)`` or ``.equilibria(b)``.

    Examples
    --------
    >>> from deterrence.games import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [e.as_tuple() for e in pure_nash(pd)]
    [((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1)))]
    """
    _check_game(game, "pure_nash")
    mask = pure_nash_mask(game, tol)
    if game.batched:
        return PureNashBatch(mask=mask, players=game.players, actions=game.actions, game=game, tol=tol)
    return _as_equilibria(game, [tuple(int(v) for v in row) for row in np.argwhere(mask[0])], tol)
