"""All equilibria of a batch of 2x2 bimatrix games in closed form, vectorized.

A 2x2 game is *nondegenerate* when neither player is ever indifferent
between her two actions against a pure strategy of the other:
``A[0, j] != A[1, j]`` and ``B[i, 0] != B[i, 1]`` for all ``i, j``.  Then
(e.g. Fudenberg & Tirole 1991, sec. 1.2; von Stengel 2007, sec. 3.3) its
equilibria are

* the pure profiles ``(i, j)`` where each action is a strict best response to
  the other, and
* at most one fully mixed equilibrium, which exists exactly when both players'
  payoff differences change sign, ``(A[0,0]-A[1,0]) (A[0,1]-A[1,1]) < 0`` and
  ``(B[0,0]-B[0,1]) (B[1,0]-B[1,1]) < 0``; each player mixes so as to make
  the *other* indifferent:

  .. math::

     q = \\frac{A_{11} - A_{01}}{A_{00} - A_{10} - A_{01} + A_{11}}, \\qquad
     p = \\frac{B_{11} - B_{10}}{B_{00} - B_{01} - B_{10} + B_{11}},

  with ``q`` the column player's probability of column 0 and ``p`` the row
  player's probability of row 0.

No other equilibrium exists in a nondegenerate game (a partly mixed one
would need a player indifferent against a pure strategy).  Degenerate games
(ties, up to the tolerance) can have continua; they are routed to the
general vertex-enumeration solver, so the result is complete for every game.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import GameStructureError
from .results import DEFAULT_TOL, EquilibriumComponent, EquilibriumSet, MixedEquilibrium

__all__ = ["BatchEquilibria", "solve_2x2"]


@dataclass(frozen=True)
class BatchEquilibria:
    """Extreme equilibria of a batch of games, as flat arrays.

    Attributes
    ----------
    game_index : ndarray of int, shape (K,)
        The game of each equilibrium (sorted).
    row, column : ndarray, shape (K, 2)
        The mixed strategies.
    payoffs : ndarray, shape (K, 2)
        Expected payoffs of the row and the column player.
    regret : ndarray, shape (K,)
        Certificate of each equilibrium.
    degenerate : ndarray of bool, shape (B,)
        Games with a payoff tie, solved by the general method.
    sets : dict of int to EquilibriumSet
        The general solver's result (with components) for each degenerate game.
    players, actions : tuple
        Labels.
    """

    game_index: np.ndarray
    row: np.ndarray
    column: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    degenerate: np.ndarray
    sets: dict = field(default_factory=dict, repr=False)
    players: tuple = ("Player 1", "Player 2")
    actions: tuple = (("a1", "a2"), ("a1", "a2"))

    @property
    def n_games(self) -> int:
        return len(self.degenerate)

    @property
    def counts(self) -> np.ndarray:
        """Number of extreme equilibria of each game, shape (B,)."""
        return np.bincount(self.game_index, minlength=self.n_games)

    def __len__(self) -> int:
        return len(self.game_index)

    def _slice(self, b: int) -> slice:
        if not 0 <= b < self.n_games:
            raise IndexError(f"game {b} out of a batch of {self.n_games}")
        lo, hi = np.searchsorted(self.game_index, [b, b + 1])
        return slice(int(lo), int(hi))

    def for_game(self, b: int) -> list:
        """The extreme equilibria of game *b* as :class:`MixedEquilibrium` objects."""
        if b in self.sets:
            return list(self.sets[b].extreme)
        s = self._slice(b)
        return [MixedEquilibrium(strategies=(self.row[k].copy(), self.column[k].copy()),
                                 payoffs=self.payoffs[k].copy(), regret=float(self.regret[k]),
                                 players=self.players, actions=self.actions)
                for k in range(s.start, s.stop)]

    def equilibrium_set(self, b: int) -> EquilibriumSet:
        """Game *b*'s result as an :class:`EquilibriumSet` (with components)."""
        if b in self.sets:
            return self.sets[b]
        eqs = tuple(self.for_game(b))
        comps = tuple(EquilibriumComponent(cliques=(((k,), (k,)),), equilibria=(k,)) for k in range(len(eqs)))
        return EquilibriumSet(extreme=eqs, components=comps, complete=True,
                              method="2x2 closed form (nondegenerate)",
                              row_vertices=tuple(e.strategies[0] for e in eqs),
                              column_vertices=tuple(e.strategies[1] for e in eqs))


def solve_2x2(game, tol: float = DEFAULT_TOL) -> BatchEquilibria:
    """All extreme equilibria of a (batch of) 2x2 game(s), vectorized over the batch.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game with two actions each, batched or not.
    tol : float
        Ties up to ``tol * max(1, |payoffs|)`` count as ties (the game is then
        solved by :func:`deterrence.solve.bimatrix.enumerate_equilibria`); also
        the regret tolerance of the certificate.

    Returns
    -------
    BatchEquilibria
        Every equilibrium certified (regret ``<= tol * max(1, max |payoff|)``
        of its game).
    """
    if game.n_players != 2 or game.num_actions != (2, 2):
        raise GameStructureError(f"solve_2x2 needs a two-player game with 2 actions each; got "
                                 f"{game.n_players} players with actions {game.num_actions}")
    from .bimatrix import enumerate_equilibria  # lazy: bimatrix imports this module too

    P = game.payoffs
    nb = P.shape[0]
    a00, a01, a10, a11 = (np.ascontiguousarray(P[:, i, j, 0]) for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)))
    b00, b01, b10, b11 = (np.ascontiguousarray(P[:, i, j, 1]) for i, j in ((0, 0), (0, 1), (1, 0), (1, 1)))
    scale = np.ones(nb)
    for c in (a00, a01, a10, a11, b00, b01, b10, b11):
        np.maximum(scale, np.abs(c), out=scale)
    eps = tol * scale
    dA0 = a00 - a10          # row's gain from row 0 over row 1 against column 0
    dA1 = a01 - a11          # ... against column 1
    dB0 = b00 - b01          # column's gain from column 0 over column 1 against row 0
    dB1 = b10 - b11          # ... against row 1
    degen = (np.abs(dA0) <= eps) | (np.abs(dA1) <= eps) | (np.abs(dB0) <= eps) | (np.abs(dB1) <= eps)
    good = ~degen

    # five slots per game: the pure profiles (0,0), (0,1), (1,0), (1,1) and the mixed one
    r0, r1, c0, c1 = dA0 > 0, dA1 > 0, dB0 > 0, dB1 > 0   # row 0 best vs col j; col 0 best vs row i
    flags = np.empty((nb, 5), dtype=bool)
    flags[:, 0] = good & r0 & c0
    flags[:, 1] = good & r1 & ~c0
    flags[:, 2] = good & ~r0 & c1
    flags[:, 3] = good & ~r1 & ~c1
    mixed = good & (dA0 * dA1 < 0) & (dB0 * dB1 < 0)
    flags[:, 4] = mixed
    with np.errstate(divide="ignore", invalid="ignore"):
        q = np.where(mixed, dA1 / (dA1 - dA0), 0.5)      # column's probability of column 0
        p = np.where(mixed, dB1 / (dB1 - dB0), 0.5)      # row's probability of row 0
    # certificate, slot by slot, as plain 1-D arithmetic over the batch
    reg = np.empty((nb, 5))
    u = np.empty((nb, 5))
    v = np.empty((nb, 5))
    pure = (((0, 0), a00, a10, b00, b01), ((0, 1), a01, a11, b01, b00),
            ((1, 0), a10, a00, b10, b11), ((1, 1), a11, a01, b11, b10))
    for s, (_, a_here, a_other, b_here, b_other) in enumerate(pure):
        reg[:, s] = np.maximum(np.maximum(a_other - a_here, 0.0), np.maximum(b_other - b_here, 0.0))
        u[:, s] = a_here
        v[:, s] = b_here
    rv0 = q * a00 + (1 - q) * a01
    rv1 = q * a10 + (1 - q) * a11
    cv0 = p * b00 + (1 - p) * b10
    cv1 = p * b01 + (1 - p) * b11
    u[:, 4] = p * rv0 + (1 - p) * rv1
    v[:, 4] = q * cv0 + (1 - q) * cv1
    reg[:, 4] = np.maximum(np.maximum(rv0, rv1) - u[:, 4], np.maximum(cv0, cv1) - v[:, 4])
    game_index, slot = np.nonzero(flags)
    regret = reg[game_index, slot]
    bad = np.nonzero(~(regret <= eps[game_index]))[0]
    if bad.size:
        from ..errors import SolverError
        k = int(bad[0])
        raise SolverError(f"internal check failed: equilibrium of game {int(game_index[k])} has regret "
                          f"{regret[k]:.3e}")
    prow = np.array([1.0, 1.0, 0.0, 0.0, 0.0])[slot]
    pcol = np.array([1.0, 0.0, 1.0, 0.0, 0.0])[slot]
    mix = slot == 4
    prow[mix] = p[game_index[mix]]
    pcol[mix] = q[game_index[mix]]
    X = np.stack([prow, 1.0 - prow], 1)
    Y = np.stack([pcol, 1.0 - pcol], 1)
    payoffs = np.stack([u[game_index, slot], v[game_index, slot]], 1)

    sets = {}
    deg_idx = np.nonzero(degen)[0]
    if deg_idx.size:
        extra_g, extra_x, extra_y, extra_p, extra_r = [], [], [], [], []
        for b in deg_idx.tolist():
            es = enumerate_equilibria(game[b] if game.batched else game, method="vertex", tol=tol)
            sets[b] = es
            for e in es.extreme:
                extra_g.append(b)
                extra_x.append(e.strategies[0])
                extra_y.append(e.strategies[1])
                extra_p.append(e.payoffs)
                extra_r.append(e.regret)
        game_index = np.concatenate([game_index, np.array(extra_g, dtype=game_index.dtype)])
        X = np.concatenate([X, np.array(extra_x).reshape(-1, 2)])
        Y = np.concatenate([Y, np.array(extra_y).reshape(-1, 2)])
        payoffs = np.concatenate([payoffs, np.array(extra_p).reshape(-1, 2)])
        regret = np.concatenate([regret, np.array(extra_r, dtype=float)])
        order = np.argsort(game_index, kind="stable")
        game_index, X, Y, payoffs, regret = game_index[order], X[order], Y[order], payoffs[order], regret[order]
    return BatchEquilibria(game_index=game_index, row=X, column=Y, payoffs=payoffs, regret=regret,
                           degenerate=degen, sets=sets, players=game.players, actions=game.actions)
