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

from ..deprecation import warn_deprecated
from ..errors import GameStructureError
from .results import DEFAULT_TOL, MixedEquilibrium, ResultMixin, make_equilibrium, profile_label
from .tolerance import rounding_allowance, stable_payoffs

__all__ = ["pure_nash", "pure_nash_mask", "PureNashBatch"]


def pure_nash_mask(game, *, tol: float = DEFAULT_TOL) -> np.ndarray:
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


class _DeprecatedCallableTuple(tuple):
    """The equilibria as a tuple; calling it with a game index is the old ``equilibria(b)`` (deprecated)."""

    def __new__(cls, items, owner):
        self = super().__new__(cls, items)
        self._owner = owner
        return self

    def __call__(self, b: int):
        warn_deprecated("PureNashBatch.equilibria(b)", "PureNashBatch.for_game(b)")
        return list(self._owner.for_game(b))


@dataclass(frozen=True, eq=False)
class PureNashBatch(ResultMixin):
    """Pure Nash equilibria of one game or a batch, stored compactly (a :class:`~deterrence.solve.results.Result`).

    Attributes
    ----------
    mask : ndarray of bool, shape ``(B, m_1, ..., m_n)``
        ``mask[b, a_1, ..., a_n]`` is True when the profile is an equilibrium of game *b*.
    players, actions : tuple
        Labels, copied from the game.
    equilibria : tuple of MixedEquilibrium
        Every pure equilibrium of every game, game by game and in
        lexicographic order of the action indices (built on first use);
        ``for_game(b)`` gives game *b*'s.  Iterating over the result, ``len``
        and indexing go over these equilibria.
    game_index, payoffs, regret, outcome_probabilities
        Flat views over the K equilibria (see the protocol): the game of
        each, the payoffs ``(K, n)``, the regret ``(K,)`` and
        ``{"(a_1, ..., a_n)": (K,) array}`` (1 at the equilibrium's profile).
    complete : bool
        Always True: every pure profile is checked.
    """

    mask: np.ndarray
    players: tuple
    actions: tuple
    game: object = None
    tol: float = DEFAULT_TOL

    method = "pure profiles (best-response mask)"
    notes = ()
    complete = True

    @property
    def batch_size(self) -> int:
        return self.mask.shape[0]

    @property
    def counts(self) -> np.ndarray:
        """Number of pure equilibria of each game, shape ``(B,)``."""
        return self.mask.reshape(self.mask.shape[0], -1).sum(-1)

    @property
    def exists(self) -> np.ndarray:
        """Whether each game has a pure equilibrium, shape ``(B,)``."""
        return self.mask.reshape(self.mask.shape[0], -1).any(-1)

    def _index(self) -> np.ndarray:
        idx = self.__dict__.get("_idx")
        if idx is None:
            idx = np.argwhere(self.mask)
            self.__dict__["_idx"] = idx
        return idx

    @property
    def game_index(self) -> np.ndarray:
        return self._index()[:, 0].astype(np.int64)

    @property
    def payoffs(self) -> np.ndarray:
        """Payoffs of every listed equilibrium, shape ``(K, n)``."""
        P = self.game.payoffs
        idx = self._index()
        return P[tuple(idx.T)] if len(idx) else np.zeros((0, P.shape[-1]))

    @property
    def regret(self) -> np.ndarray:
        """Largest deviation gain at every listed equilibrium, shape ``(K,)``."""
        P = self.game.payoffs
        idx = tuple(self._index().T)
        n = P.shape[-1]
        out = np.zeros(len(idx[0]) if idx else 0)
        for i in range(n):
            u = P[..., i]
            out = np.maximum(out, (u.max(axis=i + 1, keepdims=True) - u)[idx])
        return out

    @property
    def outcome_probabilities(self) -> dict:
        idx = self._index()
        out = {}
        for k, row in enumerate(idx[:, 1:]):
            lab = profile_label(self.actions[i][a] for i, a in enumerate(row))
            out.setdefault(lab, np.zeros(len(idx)))[k] = 1.0
        return out

    @property
    def equilibria(self) -> tuple:
        cached = self.__dict__.get("_equilibria")
        if cached is None:
            cached = _DeprecatedCallableTuple(
                tuple(e for b in range(self.batch_size) for e in self.for_game(b)), self)
            self.__dict__["_equilibria"] = cached
        return cached

    def for_game(self, b: int) -> tuple:
        """The equilibria of game *b* as certified :class:`MixedEquilibrium` objects (exact payoff-free strategies)."""
        if not 0 <= b < self.batch_size:
            raise IndexError(f"game {b} out of a batch of {self.batch_size}")
        return tuple(_as_equilibria(self.game[b] if self.game.batched else self.game, self.profiles(b), self.tol))

    def __len__(self) -> int:
        return len(self._index())

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k):
        return self.equilibria[k]

    def profiles(self, b: int) -> list[tuple[int, ...]]:
        """The equilibrium action profiles of game *b*, as index tuples in lexicographic order."""
        return [tuple(int(v) for v in row) for row in np.argwhere(self.mask[b])]

    def labelled(self, b: int) -> list[tuple[str, ...]]:
        """The equilibrium profiles of game *b*, as action labels."""
        return [tuple(self.actions[i][a] for i, a in enumerate(p)) for p in self.profiles(b)]

    def __repr__(self) -> str:
        if self.batch_size == 1:
            return "PureNashBatch(" + "; ".join(profile_label(p) for p in self.labelled(0)) + ")"
        return f"<PureNashBatch: {self.batch_size} games, {len(self)} pure equilibria>"


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


def pure_nash(game, *, tol: float = DEFAULT_TOL) -> PureNashBatch:
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
    PureNashBatch
        One result for one game or a batch (``batch_size`` games): iterate
        over it for the equilibria (profiles in lexicographic order of
        action indices, game by game), each certified by its regret; use
        ``.counts``, ``.profiles(b)`` or ``.for_game(b)`` per game.

    Examples
    --------
    >>> from deterrence.games import NormalFormGame
    >>> pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    >>> [e.as_tuple() for e in pure_nash(pd)]
    [((Fraction(0, 1), Fraction(1, 1)), (Fraction(0, 1), Fraction(1, 1)))]
    """
    _check_game(game, "pure_nash")
    mask = pure_nash_mask(game, tol=tol)
    return PureNashBatch(mask=mask, players=game.players, actions=game.actions, game=game, tol=tol)
