"""Dominated strategies and their iterated elimination, n players.

Action *a* of player *i* is **strictly dominated** when some mixed strategy
``s`` of *i* that does not use *a* earns strictly more against every profile
of the others' (surviving) actions; **weakly dominated** when ``s`` earns at
least as much everywhere and strictly more somewhere.  Checking domination by
a mixture is a linear program (e.g. Myerson 1991, *Game Theory*, section
1.8; Fudenberg & Tirole 1991, section 2.1):

* strict: maximise ``eps`` s.t. ``sum_k s_k u_i(k, t) - u_i(a, t) >= eps`` for
  all profiles *t* of the others, ``s`` in the simplex on the other actions;
  *a* is strictly dominated iff the optimum is positive.
* weak: maximise ``sum_t (sum_k s_k u_i(k, t) - u_i(a, t))`` s.t. every term is
  ``>= 0``; *a* is weakly dominated iff the LP is feasible with a positive optimum.

Order.  The outcome of iterated elimination of *strictly* dominated
strategies does not depend on the order of elimination in finite games
(Gilboa, Kalai & Zemel 1990, "On the order of eliminating dominated
strategies", *Operations Research Letters* 9:85-89).  Iterated elimination
of *weakly* dominated strategies does depend on it (see Mas-Colell, Whinston
& Green 1995, section 8.B; the test suite has an example).  This module
eliminates **all** dominated actions of **all** players simultaneously in
each round (the "maximal" procedure), until no action is dominated; with
``weak=True`` that fixes one order, and the result is the one of that order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linprog

from ..deprecation import warn_deprecated
from ..errors import GameStructureError, SolverError
from .best_response import player_index
from .results import DEFAULT_TOL

__all__ = ["dominated_actions", "iterated_elimination", "restrict", "Elimination", "EliminationResult"]


@dataclass(frozen=True)
class Elimination:
    """One elimination step.

    Attributes
    ----------
    round : int
        Round of the procedure (1, 2, ...); all eliminations of a round are simultaneous.
    player : str
    action : str
    dominated_by : dict
        The dominating strategy as ``{action label: probability}`` (one
        entry for a pure strategy).
    margin : float
        Strict: the smallest payoff gain of the dominating strategy over the
        eliminated action; weak: the total gain.
    weak : bool
    """

    round: int
    player: str
    action: str
    dominated_by: dict
    margin: float
    weak: bool

    @property
    def by_mixture(self) -> bool:
        return len(self.dominated_by) > 1


@dataclass(frozen=True, eq=False)
class EliminationResult:
    """Outcome of iterated elimination of dominated strategies.

    Attributes
    ----------
    game : NormalFormGame
        The reduced game, with the surviving labels.
    surviving : tuple of tuple of int
        Indices (in the original game) of each player's surviving actions.
    steps : tuple of Elimination
        The eliminations, in order.
    """

    game: object
    surviving: tuple
    steps: tuple

    @property
    def solved(self) -> bool:
        """True when every player has exactly one surviving action (dominance solvable)."""
        return all(len(s) == 1 for s in self.surviving)

    def surviving_labels(self) -> tuple:
        """Deprecated: the surviving action labels are ``result.game.actions``."""
        warn_deprecated("EliminationResult.surviving_labels()", "EliminationResult.game.actions")
        return self.game.actions


def restrict(game, keep) -> "object":
    """The subgame of an unbatched game in which player *i* keeps only actions ``keep[i]`` (indices)."""
    from ..games.normal_form import NormalFormGame

    if len(keep) != game.n_players:
        raise GameStructureError(f"restrict: need a list of kept actions for each of {game.n_players} players")
    keep = [sorted(int(a) for a in k) for k in keep]
    for i, k in enumerate(keep):
        if not k:
            raise GameStructureError(f"restrict: {game.players[i]} must keep at least one action")
        if k[0] < 0 or k[-1] >= game.num_actions[i]:
            raise GameStructureError(f"restrict: {game.players[i]} has no action {k[-1] if k[-1] >= 0 else k[0]}")
    idx = np.ix_(*keep)
    actions = [[game.actions[i][a] for a in k] for i, k in enumerate(keep)]
    if game.exact_payoffs is not None:
        pay = game.exact_payoffs[0][idx].tolist()
    else:
        pay = game.payoffs[0][idx]
    return NormalFormGame(pay, players=game.players, actions=actions, name=game.name)


def _player_matrix(game, i):
    """Player *i*'s payoffs as a matrix ``(m_i, profiles of the others)``."""
    u = game.payoffs[0][..., i]
    return np.moveaxis(u, i, 0).reshape(game.num_actions[i], -1)


def _dominator(U, a, weak, mixed, tol):
    """The strategy dominating row *a* of *U* as ``(weights over rows, margin)``, or None."""
    others = [k for k in range(U.shape[0]) if k != a]
    if not others:
        return None
    diff = U[others] - U[a][None, :]
    # pure domination first (cheap, and the answer a reader expects)
    for r, k in enumerate(others):
        d = diff[r]
        if (not weak and np.all(d > tol)) or (weak and np.all(d >= -tol) and np.any(d > tol)):
            w = np.zeros(U.shape[0])
            w[k] = 1.0
            return w, float(d.min() if not weak else d.sum())
    if not mixed or len(others) < 2:
        return None
    K, T = diff.shape
    if not weak:
        # variables (s_1..s_K, eps); maximise eps s.t. diff^T s >= eps
        c = np.zeros(K + 1)
        c[-1] = -1.0
        A_ub = np.hstack([-diff.T, np.ones((T, 1))])
        b_ub = np.zeros(T)
        A_eq = np.hstack([np.ones((1, K)), np.zeros((1, 1))])
        bounds = [(0, None)] * K + [(None, None)]
        res = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=[1.0], bounds=bounds, method="highs")
        if res.status != 0:
            raise SolverError(f"dominance LP failed: {res.message}")
        s, eps = res.x[:K], -res.fun
        if eps > tol:
            w = np.zeros(U.shape[0])
            w[others] = s
            # margin recomputed from the weights, not trusted from the LP
            return w, float((diff.T @ s).min())
        return None
    c = -diff.sum(axis=1)
    res = linprog(c, A_ub=-diff.T, b_ub=np.zeros(T), A_eq=np.ones((1, K)), b_eq=[1.0],
                  bounds=[(0, None)] * K, method="highs")
    if res.status == 2:  # infeasible: nothing weakly dominates
        return None
    if res.status != 0:
        raise SolverError(f"dominance LP failed: {res.message}")
    s = res.x
    gains = diff.T @ s
    if gains.min() >= -tol and gains.sum() > tol:
        w = np.zeros(U.shape[0])
        w[others] = s
        return w, float(gains.sum())
    return None


def _check_unbatched(game, what):
    if not hasattr(game, "payoffs"):
        raise GameStructureError(f"{what}: expected a NormalFormGame, got {type(game).__name__}")
    if game.batched and game.batch_size != 1:
        raise SolverError(f"{what}: works on one game; iterate over the batch (for g in game: ...)")


def dominated_actions(game, player, *, weak: bool = False, mixed: bool = True, tol: float = DEFAULT_TOL):
    """The dominated actions of *player* in an unbatched game.

    Parameters
    ----------
    game : NormalFormGame
    player : int or str
    weak : bool
        Weak instead of strict domination.
    mixed : bool
        Allow domination by mixed strategies (linear program); else pure only.
    tol : float
        Payoff differences within ``tol`` times the player's payoff range
        (plus the rounding allowance of her payoffs) count as ties.

    Returns
    -------
    list of (int, ndarray, float)
        ``(action index, dominating mixed strategy over all actions, margin)``.
    """
    _check_unbatched(game, "dominated_actions")
    i = player_index(game, player)
    U = _player_matrix(game, i)
    # scale-free: relative to this player's payoff range, plus the rounding allowance of her payoffs
    t = tol * float(U.max() - U.min()) + (2.0 ** -40 * float(np.abs(U).max()) if tol > 0 else 0.0)
    out = []
    for a in range(U.shape[0]):
        d = _dominator(U, a, weak, mixed, t)
        if d is not None:
            out.append((a, d[0], d[1]))
    return out


def iterated_elimination(game, *, weak: bool = False, mixed: bool = True, tol: float = DEFAULT_TOL):
    """Iterated elimination of dominated strategies.

    In each round every player's dominated actions (in the current reduced
    game) are found and all of them are removed at once; rounds repeat until
    nothing is dominated.  A dominating strategy never uses the action it
    dominates, and every player keeps at least one action (a maximiser of
    the sum of payoffs over the others' profiles cannot be dominated).

    Parameters
    ----------
    game : NormalFormGame
        One game (a batch: iterate over it).
    weak : bool
        Eliminate weakly dominated actions.  The result then depends on the
        order of elimination; this function uses the simultaneous order
        described above (module docstring).
    mixed : bool
        Allow domination by mixed strategies (default True).
    tol : float
        Relative tie tolerance.

    Returns
    -------
    EliminationResult
    """
    _check_unbatched(game, "iterated_elimination")
    if game.batched:
        game = game[0]
    surviving = [list(range(m)) for m in game.num_actions]
    steps = []
    rnd = 0
    while True:
        rnd += 1
        sub = restrict(game, surviving)
        removals = []
        for i in range(game.n_players):
            for a, w, margin in dominated_actions(sub, i, weak=weak, mixed=mixed, tol=tol):
                dom = {sub.actions[i][k]: float(p) for k, p in enumerate(w) if p > 1e-12}
                removals.append((i, surviving[i][a], Elimination(rnd, game.players[i], sub.actions[i][a], dom,
                                                                 margin, weak)))
        if not removals:
            break
        for i, a_orig, step in removals:
            surviving[i].remove(a_orig)
            steps.append(step)
        for i in range(game.n_players):
            if not surviving[i]:  # cannot happen (see docstring); guard against numerical ties
                raise SolverError(f"iterated_elimination removed every action of {game.players[i]}")
    return EliminationResult(game=restrict(game, surviving), surviving=tuple(tuple(s) for s in surviving),
                             steps=tuple(steps))
