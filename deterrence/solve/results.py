"""Plain, labelled result objects shared by the solvers.

Every equilibrium leaves a solver as one of these frozen dataclasses, with the
regret that certifies it (the largest gain any player gets by deviating; zero
at an equilibrium, below the solver's tolerance in floating point).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Sequence

import numpy as np

from ..errors import CertificateError, SolverError
from .tolerance import player_regrets, regret_bounds, stable_payoffs

__all__ = ["MixedEquilibrium", "EquilibriumComponent", "EquilibriumSet", "certify", "DEFAULT_TOL"]

#: Default regret tolerance for floating-point equilibria.
DEFAULT_TOL = 1e-8


@dataclass(frozen=True, eq=False)
class MixedEquilibrium:
    """A Nash equilibrium in mixed strategies of a normal-form game.

    Attributes
    ----------
    strategies : tuple of ndarray
        One probability vector per player.
    payoffs : ndarray
        Expected payoff of each player, shape ``(n,)``.
    regret : float
        Largest gain from a unilateral deviation (the certificate).
    players, actions : tuple
        Labels, copied from the game.
    exact : tuple of tuple of Fraction, optional
        The same strategies in exact rational arithmetic, when computed.
    """

    strategies: tuple
    payoffs: np.ndarray
    regret: float
    players: tuple
    actions: tuple
    exact: tuple | None = None

    def strategy(self, player) -> dict:
        """``{action label: probability}`` for a player given by label or index."""
        i = self._index(player)
        return {a: float(p) for a, p in zip(self.actions[i], self.strategies[i])}

    def _index(self, player) -> int:
        if isinstance(player, (int, np.integer)):
            return int(player)
        try:
            return self.players.index(player)
        except ValueError:
            raise SolverError(f"no player {player!r}; players are {list(self.players)}") from None

    def support(self, player, tol: float = 1e-9) -> tuple:
        i = self._index(player)
        return tuple(a for a, p in zip(self.actions[i], self.strategies[i]) if p > tol)

    @property
    def is_pure(self) -> bool:
        return all(np.isclose(np.max(s), 1.0) for s in self.strategies)

    def as_tuple(self, digits: int = 9) -> tuple:
        """A hashable rounded key (for comparing equilibrium sets)."""
        if self.exact is not None:
            return tuple(tuple(s) for s in self.exact)
        return tuple(tuple(np.round(s, digits) + 0.0) for s in self.strategies)

    def __repr__(self) -> str:
        parts = []
        for i, p in enumerate(self.players):
            src = self.exact[i] if self.exact is not None else self.strategies[i]
            parts.append(f"{p}: " + ", ".join(f"{a}={_fmt(x)}" for a, x in zip(self.actions[i], src) if x != 0))
        return "MixedEquilibrium(" + "; ".join(parts) + f"; payoffs={np.round(self.payoffs, 6).tolist()}, regret={self.regret:.1e})"


def _fmt(x) -> str:
    if isinstance(x, Fraction):
        return str(x)
    return f"{float(x):.6g}"


@dataclass(frozen=True)
class EquilibriumComponent:
    """A connected component of the equilibrium set of a two-player game.

    The equilibrium set of a bimatrix game is a finite union of *maximal Nash
    subsets* ("cliques"): products ``conv(X) x conv(Y)`` of convex hulls of
    extreme equilibrium strategies, every pair of which is an equilibrium
    (Winkels 1979; Jansen 1981; Avis, Rosenberg, Savani & von Stengel 2010).
    Cliques that share an extreme strategy are connected; a component is a
    connected union of cliques.  A component with one extreme equilibrium is
    an isolated equilibrium; any other is a continuum.

    Attributes
    ----------
    cliques : tuple of (tuple of int, tuple of int)
        Each clique as indices into the parent set's ``row_vertices`` and
        ``column_vertices``.
    equilibria : tuple of int
        Indices into the parent set's ``extreme`` equilibria in this component.
    """

    cliques: tuple
    equilibria: tuple

    @property
    def is_isolated(self) -> bool:
        return len(self.equilibria) == 1


@dataclass(frozen=True)
class EquilibriumSet:
    """All equilibria of one game, as extreme points and components.

    Attributes
    ----------
    extreme : tuple of MixedEquilibrium
        Every extreme equilibrium (for a nondegenerate game: every equilibrium).
    components : tuple of EquilibriumComponent
        How the extreme equilibria connect (two-player games).
    complete : bool
        True when the method guarantees that nothing is missing.
    method : str
        The algorithm that produced the set.
    """

    extreme: tuple
    components: tuple = ()
    complete: bool = True
    method: str = ""
    row_vertices: tuple = field(default=(), repr=False)
    column_vertices: tuple = field(default=(), repr=False)

    def __len__(self) -> int:
        return len(self.extreme)

    def __iter__(self):
        return iter(self.extreme)

    def __getitem__(self, k):
        return self.extreme[k]

    @property
    def has_continuum(self) -> bool:
        return any(not c.is_isolated for c in self.components)


def certify(game, strategies, tol: float = DEFAULT_TOL, what: str = "equilibrium") -> float:
    """Regret of *strategies* in an unbatched *game*; raise if a player's gain exceeds her bound.

    Every solver calls this on every profile it returns, so a returned
    equilibrium is certified by construction.  Player *i*'s deviation gain
    must be at most ``tol`` times the payoff differences at stake for her
    (her expected spread over the others' strategies) plus the rounding
    allowance at her payoffs' magnitude (:mod:`deterrence.solve.tolerance`):
    the bound does not depend on the unit or level of the payoffs, and a
    regret of 1 never passes where the differences at stake are 1.

    Returns
    -------
    float
        The regret (largest gain of any player).

    Raises
    ------
    CertificateError
        If some player's gain exceeds her bound (an internal error).
    """
    prof = game.profile(strategies)
    P = stable_payoffs(game)[0]            # exact payoffs beyond float precision: shifted exactly first
    gains = player_regrets(P, prof)[0]
    bound = regret_bounds(P, prof, tol)[0]
    bad = np.flatnonzero(~(gains <= bound))
    if bad.size:
        i = int(bad[0])
        raise CertificateError(f"internal check failed: {what} has regret {gains[i]:.3e} (a deviation gain of "
                               f"{game.players[i]}) > tolerance {bound[i]:.1e}")
    return float(gains.max())


def make_equilibrium(game, strategies: Sequence, tol: float = DEFAULT_TOL, exact=None) -> MixedEquilibrium:
    """Certify *strategies* in the unbatched *game* and wrap them as a :class:`MixedEquilibrium`."""
    strategies = tuple(np.asarray(s, dtype=float) for s in strategies)
    r = certify(game, strategies, tol)
    pay = game.expected_payoffs(strategies)[0]
    return MixedEquilibrium(strategies=strategies, payoffs=pay, regret=r,
                            players=game.players, actions=game.actions, exact=exact)
