"""Normal-form (strategic-form) games with any number of players.

A game with players :math:`1..n`, where player :math:`i` has :math:`m_i`
actions, is stored as one payoff array of shape ``(B, m_1, ..., m_n, n)``:
entry ``[b, a_1, ..., a_n, i]`` is player *i*'s payoff at action profile
``(a_1, ..., a_n)`` in game *b* of a batch of *B* games with the same shape
(for instance *B* parameter points of one parametric model).  A single game is
a batch of one; ``batched`` records whether the user gave a batch.

The shape tells the two cases apart without a flag: an unbatched payoff array
has ``ndim == n + 1`` and a batched one ``ndim == n + 2``, where
``n = shape[-1]``.
"""

from __future__ import annotations

import numbers
from fractions import Fraction
from itertools import product
from typing import Iterable, Sequence

import numpy as np

from ..errors import GameStructureError
from .labels import checked_labels

__all__ = ["NormalFormGame"]


class NormalFormGame:
    """A finite game in strategic form, possibly a batch of games.

    Parameters
    ----------
    payoffs : array_like
        Shape ``(m_1, ..., m_n, n)`` for one game or ``(B, m_1, ..., m_n, n)``
        for a batch; entry ``[..., a_1, ..., a_n, i]`` is player *i*'s payoff.
        Payoffs must be finite.  Exact payoffs (``fractions.Fraction`` or
        ``int`` objects) are kept in :attr:`exact_payoffs` for exact solvers.
    players : sequence of str, optional
        Player labels (default ``"Player 1"``, ...).
    actions : sequence of sequences of str, optional
        Action labels per player (default ``"a1"``, ``"a2"``, ...).
    name : str, optional
        A title for the game.

    Examples
    --------
    Chicken as a bimatrix game:

    >>> g = NormalFormGame.from_bimatrix([[3, 2], [4, 1]], [[3, 4], [2, 1]],
    ...                                  players=["Row", "Column"],
    ...                                  actions=[["swerve", "straight"]] * 2)
    >>> g.num_actions
    (2, 2)
    """

    def __init__(self, payoffs, players: Sequence[str] | None = None,
                 actions: Sequence[Sequence[str]] | None = None, name: str | None = None):
        exact = None
        raw = payoffs
        if not isinstance(raw, np.ndarray):
            arr_obj = _checked_numbers(raw, "payoffs")
            if arr_obj.size and all(isinstance(v, (int, Fraction)) and not isinstance(v, bool)
                                    for v in arr_obj.flat):
                exact = arr_obj
        else:
            _checked_numbers(raw, "payoffs")
        try:
            arr = np.asarray(raw, dtype=float)
        except (TypeError, ValueError, OverflowError) as exc:
            raise GameStructureError(f"payoffs must be real numbers: {exc}") from None
        if arr.ndim < 2:
            raise GameStructureError(
                f"payoffs must have shape (m_1, ..., m_n, n) or (B, m_1, ..., m_n, n); got shape {arr.shape}")
        n = arr.shape[-1]
        if arr.ndim == n + 1:
            batched = False
            arr = arr[None]
            if exact is not None:
                exact = exact[None]
        elif arr.ndim == n + 2:
            batched = True
        else:
            raise GameStructureError(
                f"payoffs of shape {arr.shape}: the last axis says {n} players, so the array must have "
                f"{n + 1} axes (one game) or {n + 2} (a batch)")
        if n < 1:
            raise GameStructureError("a game needs at least one player")
        if any(m < 1 for m in arr.shape[1:-1]):
            raise GameStructureError(f"every player needs at least one action; shape {arr.shape[1:-1]}")
        if not np.all(np.isfinite(arr)):
            bad = np.argwhere(~np.isfinite(arr))[0]
            where = tuple(int(v) for v in bad)
            raise GameStructureError(
                f"payoffs must be finite; found {arr[where]} for player {where[-1] + 1} at profile {where[1:-1]}"
                + (f" in game {where[0]} of the batch" if batched else ""))
        self.payoffs = arr
        self.exact_payoffs = exact
        self.batched = batched
        self.name = name
        self.players = checked_labels(players, n, "players", "Player ")
        m = arr.shape[1:-1]
        if actions is None:
            self.actions = tuple(tuple(f"a{j + 1}" for j in range(mi)) for mi in m)
        else:
            actions = list(actions)
            if len(actions) != n:
                raise GameStructureError(f"actions: expected a list of labels for each of {n} players, got {len(actions)}")
            self.actions = tuple(checked_labels(a, mi, f"actions of {self.players[i]}", "a")
                                 for i, (a, mi) in enumerate(zip(actions, m)))

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_bimatrix(cls, A, B, **kwargs) -> "NormalFormGame":
        """A two-player game from the row player's matrix *A* and the column player's *B*.

        *A* and *B* have shape ``(m, n)`` or, for a batch, ``(batch, m, n)``.
        """
        A_obj, B_obj = A, B
        A = _checked_numbers(A, "A")
        B = _checked_numbers(B, "B")
        A = np.asarray(A, dtype=float) if not _is_exact(A) else A
        B = np.asarray(B, dtype=float) if not _is_exact(B) else B
        if A.shape != B.shape or A.ndim not in (2, 3):
            raise GameStructureError(
                f"bimatrix: A and B must have the same shape (m, n) or (batch, m, n); got {A.shape} and {B.shape}")
        stacked = np.stack([A, B], axis=-1)
        if stacked.dtype == object and not (_is_exact(A_obj) and _is_exact(B_obj)):
            stacked = stacked.astype(float)
        if stacked.dtype != object:
            return cls(stacked, **kwargs)
        return cls(stacked.tolist() if stacked.ndim else stacked, **kwargs)

    @classmethod
    def from_ordinal(cls, ranks, **kwargs) -> "NormalFormGame":
        """A game from ordinal preference rankings (4 = best in a 2x2 game).

        Parameters
        ----------
        ranks : array_like of int
            Same layout as *payoffs*: ``ranks[a_1, ..., a_n, i]`` is player
            *i*'s rank of the outcome (higher is better), e.g. Rapoport and
            Guyer's (1966) 2x2 taxonomy or Snyder and Diesing's (1977)
            crisis games.  The ranks are used as cardinal payoffs, which
            preserves every pure-strategy result; mixed equilibria of an
            ordinal game depend on the cardinal scale chosen.
        """
        arr = np.asarray(ranks)
        if arr.dtype.kind not in "iu" and not np.all(np.equal(np.mod(np.asarray(arr, float), 1), 0)):
            raise GameStructureError("ordinal ranks must be integers")
        ints = np.asarray(arr, dtype=np.int64)
        return cls(ints.tolist(), **kwargs)

    # ------------------------------------------------------------------ shape
    @property
    def n_players(self) -> int:
        return self.payoffs.shape[-1]

    @property
    def num_actions(self) -> tuple[int, ...]:
        return tuple(self.payoffs.shape[1:-1])

    @property
    def batch_size(self) -> int:
        return self.payoffs.shape[0]

    def __len__(self) -> int:
        return self.batch_size

    def __getitem__(self, b: int) -> "NormalFormGame":
        """Game *b* of the batch, as an unbatched game."""
        if not -self.batch_size <= b < self.batch_size:
            raise IndexError(f"game {b} out of a batch of {self.batch_size}")
        g = NormalFormGame.__new__(NormalFormGame)
        g.payoffs = self.payoffs[b:b + 1] if b != -1 else self.payoffs[-1:]
        g.exact_payoffs = None if self.exact_payoffs is None else self.exact_payoffs[[b]]
        g.batched = False
        g.name, g.players, g.actions = self.name, self.players, self.actions
        return g

    def __iter__(self):
        for b in range(self.batch_size):
            yield self[b]

    def __repr__(self) -> str:
        shape = "x".join(map(str, self.num_actions))
        batch = f", batch of {self.batch_size}" if self.batched else ""
        title = f" {self.name!r}" if self.name else ""
        return f"<NormalFormGame{title} {shape}, players {list(self.players)}{batch}>"

    def bimatrix(self) -> tuple[np.ndarray, np.ndarray]:
        """The payoff matrices ``(A, B)`` of a two-player game, each ``(batch, m, n)``."""
        if self.n_players != 2:
            raise GameStructureError(f"bimatrix: the game has {self.n_players} players, not 2")
        return self.payoffs[..., 0], self.payoffs[..., 1]

    # ------------------------------------------------------------------ profiles
    def profile(self, strategies) -> tuple[np.ndarray, ...]:
        """Check and normalise a mixed-strategy profile.

        *strategies* is one probability vector per player: an action index, an
        action label (a pure strategy) or a vector of length ``m_i``; a vector
        may carry a leading batch axis.  Returns float arrays of shape
        ``(batch or 1, m_i)``.
        """
        if len(strategies) != self.n_players:
            raise GameStructureError(f"a profile needs one strategy for each of {self.n_players} players, got {len(strategies)}")
        out = []
        for i, s in enumerate(strategies):
            m = self.num_actions[i]
            if isinstance(s, str):
                if s not in self.actions[i]:
                    raise GameStructureError(f"{self.players[i]} has no action {s!r}; actions are {list(self.actions[i])}")
                s = self.actions[i].index(s)
            if isinstance(s, (int, np.integer)):
                if not 0 <= s < m:
                    raise GameStructureError(f"{self.players[i]} has no action {s}")
                v = np.zeros((1, m))
                v[0, s] = 1.0
            else:
                v = np.asarray(s, dtype=float)
                v = v[None] if v.ndim == 1 else v
                if v.ndim != 2 or v.shape[-1] != m:
                    raise GameStructureError(f"strategy of {self.players[i]} must have length {m}, got shape {np.shape(s)}")
                if np.any(~np.isfinite(v)) or np.any(v < -1e-12) or np.any(np.abs(v.sum(-1) - 1) > 1e-9):
                    raise GameStructureError(f"strategy of {self.players[i]} is not a probability vector: {s}")
            out.append(v)
        return tuple(out)

    def action_values(self, strategies) -> list[np.ndarray]:
        """Each player's expected payoff to each of her actions against the others' strategies.

        Returns a list with one array per player of shape ``(batch, m_i)``;
        a profile with a batch axis is matched game by game, a single profile
        is used for every game of the batch.
        """
        prof = self.profile(strategies)
        n = self.n_players
        B = _common_batch(self.batch_size, [s.shape[0] for s in prof])
        letters = "abcdefghijklmnopqrstuvwxy"[:n]
        vals = []
        for i in range(n):
            t = self.payoffs[..., i]
            operands = [np.broadcast_to(t, (B,) + t.shape[1:])]
            subs = ["z" + letters]
            for j in range(n):
                if j != i:
                    operands.append(np.broadcast_to(prof[j], (B, prof[j].shape[1])))
                    subs.append("z" + letters[j])
            vals.append(np.einsum(",".join(subs) + "->z" + letters[i], *operands, optimize=n > 2))
        return vals

    def expected_payoffs(self, strategies) -> np.ndarray:
        """Expected payoff of every player, shape ``(batch, n)``."""
        prof = self.profile(strategies)
        vals = self.action_values(prof)
        B = vals[0].shape[0]
        return np.stack([np.einsum("bk,bk->b", v, np.broadcast_to(prof[i], (B, v.shape[1])))
                         for i, v in enumerate(vals)], axis=-1)

    def regret(self, strategies) -> np.ndarray:
        """Largest gain any player gets by deviating, per game: shape ``(batch,)``.

        A profile is a Nash equilibrium exactly when its regret is zero; the
        solvers certify every equilibrium they return by this number.
        """
        prof = self.profile(strategies)
        vals = self.action_values(prof)
        gains = [v.max(-1) - np.einsum("bk,bk->b", v, np.broadcast_to(prof[i], v.shape))
                 for i, v in enumerate(vals)]
        return np.max(np.stack(gains, -1), axis=-1)

    def pure_profiles(self) -> Iterable[tuple[int, ...]]:
        return product(*(range(m) for m in self.num_actions))


def _common_batch(game_batch: int, sizes) -> int:
    B = game_batch
    for s in sizes:
        if s != 1 and B != 1 and s != B:
            raise GameStructureError(f"a profile with batch size {s} does not match {B} games")
        B = max(B, s)
    return B


def _checked_numbers(x, name: str) -> np.ndarray:
    """*x* as a rectangular array of real numbers (kept as given: an object array unless already numeric).

    Raises
    ------
    GameStructureError
        Naming the argument *name* and the first offending entry: ragged
        rows, strings, complex numbers, ``None`` or other non-numbers.
    """
    if isinstance(x, np.ndarray) and x.dtype != object:
        if x.dtype.kind in "biuf":
            return x
        kind = {"c": "complex numbers", "U": "strings", "S": "bytes"}.get(x.dtype.kind, f"dtype {x.dtype}")
        raise GameStructureError(f"{name} must hold real numbers, got {kind}")
    if isinstance(x, (str, bytes)) or x is None:
        raise GameStructureError(f"{name} must be an array of real numbers, got {x!r}")
    try:
        arr = np.array(x, dtype=object)
    except ValueError:
        arr = None
    if arr is None or any(isinstance(v, (list, tuple, np.ndarray)) for v in arr.flat):
        raise GameStructureError(f"{name} must be a rectangular array: its rows have different lengths "
                                 f"(or mix numbers and lists)")
    for idx, v in np.ndenumerate(arr):
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (numbers.Real, np.integer, np.floating)):
            what = "None" if v is None else f"{v!r} ({type(v).__name__})"
            raise GameStructureError(f"{name} must hold real numbers; entry {list(idx)} is {what}")
    return arr


def _is_exact(x) -> bool:
    if isinstance(x, np.ndarray):
        return x.dtype == object and x.size > 0 and all(
            isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in x.flat)
    try:
        arr = np.asarray(x, dtype=object)
    except Exception:
        return False
    return arr.size > 0 and all(isinstance(v, (int, Fraction)) and not isinstance(v, bool) for v in arr.flat)
