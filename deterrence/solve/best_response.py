"""Best responses, and the payoff contractions the n-player solvers share.

A player's *best responses* to a profile of the others' (mixed) strategies
are the actions that maximise her expected payoff against it (Nash 1951).
This module gives the set of best responses with a tolerance, for one game
or a batch, plus small single-game kernels that contract a payoff tensor
against a profile:

* :func:`values_against` -- the payoff of each action of each player
  against the others' mixed strategies (what :meth:`NormalFormGame.action_values`
  gives, without the checks and the batch axis, for inner loops);
* :func:`pair_values` -- player *i*'s payoff when she plays *k* and player
  *j* plays *l*, the others mixing: the derivative of player *i*'s action
  values with respect to *j*'s probabilities, used by every Newton step
  (support equations, logit continuation).
"""

from __future__ import annotations

import numpy as np

from ..errors import GameStructureError
from .results import DEFAULT_TOL

__all__ = ["best_responses", "values_against", "pair_values", "player_index"]


def player_index(game, player) -> int:
    """Index of *player*, given by label or index; raise naming the culprit."""
    if isinstance(player, (int, np.integer)) and not isinstance(player, bool):
        if not 0 <= int(player) < game.n_players:
            raise GameStructureError(
                f"no player {player}: the game has players 0..{game.n_players - 1} {list(game.players)}")
        return int(player)
    if isinstance(player, str) and player in game.players:
        return game.players.index(player)
    raise GameStructureError(f"no player {player!r}; players are {list(game.players)}")


def best_responses(game, profile, player, *, tol: float = DEFAULT_TOL):
    """Best responses of *player* to the others' strategies in *profile*.

    Parameters
    ----------
    game : NormalFormGame
        One game or a batch.
    profile : sequence
        One strategy per player (index, label or probability vector; see
        :meth:`NormalFormGame.profile`).  The player's own entry is ignored
        but must be valid.
    player : int or str
        The responding player, by index or label.
    tol : float
        An action is a best response when its expected payoff is within
        ``tol`` times the player's expected payoff difference at stake, plus
        the rounding allowance, of the best (:mod:`deterrence.solve.tolerance`).

    Returns
    -------
    tuple of int or ndarray of bool
        For one game, the indices of the best-response actions (ascending);
        for a batch, a boolean mask of shape ``(B, m_i)``.
    """
    i = player_index(game, player)
    vals = game.action_values(profile)[i]
    # scale-free (deterrence.solve.tolerance): tol times the player's payoff differences at stake plus
    # the rounding allowance of her payoffs, as in the equilibrium certificates
    from .tolerance import regret_bounds

    slack = regret_bounds(game.payoffs, game.profile(profile), tol)[:, i]
    mask = vals >= vals.max(-1, keepdims=True) - np.broadcast_to(slack, vals.shape[:1])[:, None]
    if game.batched:
        return mask
    return tuple(int(k) for k in np.flatnonzero(mask[0]))


# ---------------------------------------------------------------------- kernels
def _contract(T: np.ndarray, sigma, keep) -> np.ndarray:
    """Contract tensor *T* (axes = players) with ``sigma[j]`` on every axis not in *keep*."""
    for j in reversed(range(len(sigma))):
        if j not in keep:
            T = np.tensordot(T, sigma[j], axes=([j], [0]))
    return T


def values_against(P: np.ndarray, sigma) -> list[np.ndarray]:
    """Action values of every player in one game.

    Parameters
    ----------
    P : ndarray, shape ``(m_1, ..., m_n, n)``
        Payoffs of one (unbatched) game.
    sigma : sequence of ndarray
        One probability vector per player.

    Returns
    -------
    list of ndarray
        ``out[i][k]`` is player *i*'s expected payoff to action *k*.
    """
    n = P.shape[-1]
    return [_contract(P[..., i], sigma, (i,)) for i in range(n)]


def pair_values(P: np.ndarray, sigma, i: int, j: int) -> np.ndarray:
    """Player *i*'s payoff to ``(k, l)`` = (her action, *j*'s action), the others mixing.

    Returns an array of shape ``(m_i, m_j)``; it is the derivative of
    ``values_against(P, sigma)[i]`` with respect to ``sigma[j]``.
    """
    M = _contract(P[..., i], sigma, (i, j))
    return M if i < j else M.T


class PayoffKernel:
    """Fast repeated contractions of one game's payoff tensor (for Newton and continuation loops).

    The tensor of player *i* is stored once per ordered pair ``(i, j)`` as a
    matrix of shape ``(m_i * m_j, R)``, ``R`` the number of profiles of the
    other players, so that player *i*'s pair values against a profile are
    one matrix-vector product with the outer product of the others'
    strategies.

    Parameters
    ----------
    P : ndarray, shape ``(m_1, ..., m_n, n)``
        Payoffs of one (unbatched) game.
    """

    def __init__(self, P: np.ndarray):
        self.P = np.asarray(P, dtype=float)
        self.n = self.P.shape[-1]
        self.m = self.P.shape[:-1]
        self.mats = {}
        for i in range(self.n):
            for j in range(self.n):
                if i == j:
                    continue
                rest = [k for k in range(self.n) if k not in (i, j)]
                T = np.transpose(self.P[..., i], [i, j] + rest)
                self.mats[i, j] = np.ascontiguousarray(T.reshape(self.m[i] * self.m[j], -1)), rest

    def derivs(self, sigma):
        """Action values ``U[i]`` (shape ``(m_i,)``) and pair values ``D[i, j]`` (shape ``(m_i, m_j)``)."""
        if self.n == 1:
            return [self.P[..., 0].copy()], {}
        D = {}
        U = [None] * self.n
        for (i, j), (M, rest) in self.mats.items():
            w = np.ones(1)
            for k in rest:
                w = np.multiply.outer(w, sigma[k]).ravel()
            D[i, j] = (M @ w).reshape(self.m[i], self.m[j])
            if U[i] is None:
                U[i] = D[i, j] @ sigma[j]
        return U, D

    def values(self, sigma):
        """Action values only."""
        return self.derivs(sigma)[0]
