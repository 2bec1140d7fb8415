"""Plain, labelled result objects shared by the solvers, and the one protocol they all follow.

Every equilibrium leaves a solver certified by its regret (the largest gain
any player gets by deviating; zero at an equilibrium, below the solver's
tolerance in floating point).

Two protocols, one per level (``docs/discussion/batching.md``):

:class:`Equilibrium` -- one equilibrium of one game
    ``payoffs`` (shape ``(n,)``), ``regret`` (float),
    ``outcome_probabilities`` (``{outcome label: float}``), and the
    helpers ``probability(label)``, ``outcomes()`` (the outcomes with
    positive probability) and ``outcome()`` (a one-line description of the
    outcome distribution, for printing).

:class:`Result` -- what a solver returns, for one game or a batch
    ``equilibria`` (tuple of :class:`Equilibrium`), ``complete`` (bool: no
    equilibrium of the concept is missing), ``method`` (str), ``notes``
    (tuple of str), ``batch_size`` (the number of games solved) and, over
    the listed equilibria ``k = 0 .. K-1``: ``game_index`` ``(K,)`` (the game
    of each), ``payoffs`` ``(K, n)``, ``regret`` ``(K,)``,
    ``outcome_probabilities`` ``{outcome label: (K,) array}``; and
    ``max_regret`` (the certificate of the whole result) and
    ``for_game(b)``.

Outcome labels are the game's: a tree's terminal outcome labels (``"war"``),
for a normal-form game the action profile in parentheses (``"(Swerve,
Straight)"``), as in the columns of :func:`deterrence.analysis.sweep`.

Solvers that return one equilibrium by design (``one_equilibrium``,
``polish_equilibrium``, ``logit_qre``, ``agent_qre``) return an
:class:`Equilibrium`; every other solver returns a :class:`Result`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from typing import Protocol, Sequence, runtime_checkable

import numpy as np

from ..errors import CertificateError, SolverError
from .tolerance import player_regrets, regret_bounds, stable_payoffs

__all__ = ["Equilibrium", "Result", "EquilibriumMixin", "ResultMixin", "ResultBatch", "MixedEquilibrium",
           "EquilibriumComponent", "EquilibriumSet", "certify", "describe_outcomes", "profile_label",
           "stack_payoffs", "stack_outcomes", "OneGameResultMixin",
           "DEFAULT_TOL"]

#: The one default tolerance of every solver (regret, ties, residuals), relative to ``max(1, max |payoff|)``.
DEFAULT_TOL = 1e-8

#: Probabilities at or below this count as zero when outcomes are listed.
_SHOW = 1e-12


# ---------------------------------------------------------------------- the protocol
@runtime_checkable
class Equilibrium(Protocol):
    """One equilibrium of one game (see the module docstring)."""

    payoffs: np.ndarray
    regret: float

    @property
    def outcome_probabilities(self) -> dict: ...

    def probability(self, outcome: str) -> float: ...

    def outcomes(self) -> dict: ...

    def outcome(self) -> str: ...


@runtime_checkable
class Result(Protocol):
    """What every solver returns (see the module docstring and ``docs/discussion/batching.md``)."""

    equilibria: tuple
    complete: bool
    method: str
    notes: tuple
    batch_size: int
    game_index: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    outcome_probabilities: dict
    max_regret: float

    def for_game(self, b: int) -> tuple: ...


def profile_label(labels) -> str:
    """The outcome label of a pure profile of a normal-form game: ``"(Swerve, Straight)"``."""
    return "(" + ", ".join(str(a) for a in labels) + ")"


def describe_outcomes(probs: dict, *, unique: bool = True, ties: str = "") -> str:
    """One line for printing an outcome distribution: the outcome itself when it is certain,
    else every outcome with positive probability, most likely first (``"war 0.25, status quo 0.75"``
    never collapses to one label that hides a risk).  A non-unique answer says so."""
    pos = sorted(((k, float(v)) for k, v in probs.items() if float(v) > _SHOW), key=lambda kv: -kv[1])
    if len(pos) == 1 and pos[0][1] >= 1 - 1e-9:
        text = pos[0][0]
    else:
        text = ", ".join(f"{k} {_fmt_p(v)}" for k, v in pos) if pos else "(no outcome)"
    if not unique:
        text += " [not unique" + (f": {ties}" if ties else "") + "]"
    return text


def _fmt_p(p: float) -> str:
    f = Fraction(p).limit_denominator(1000)
    return str(f) if abs(float(f) - p) < 1e-9 else f"{p:.4g}"


class EquilibriumMixin:
    """Helpers of the :class:`Equilibrium` protocol, from ``outcome_probabilities``."""

    def probability(self, outcome: str) -> float:
        """Probability of an outcome label (0 for a known outcome that does not occur)."""
        probs = self.outcome_probabilities
        if outcome not in probs:
            known = getattr(self, "_outcome_labels", None)
            if known is None or outcome not in known():
                raise SolverError(f"no outcome {outcome!r}; outcomes are {sorted(probs)[:20]}")
            return 0.0
        return float(probs[outcome])

    def outcomes(self) -> dict:
        """``{outcome label: probability}`` of the outcomes with positive probability, most likely first."""
        return dict(sorted(((k, float(v)) for k, v in self.outcome_probabilities.items() if float(v) > _SHOW),
                           key=lambda kv: -kv[1]))

    def outcome(self) -> str:
        """The outcome distribution in one line, for printing (the label alone when it is certain)."""
        return describe_outcomes(self.outcome_probabilities)


class ResultMixin:
    """Helpers of the :class:`Result` protocol: ``max_regret``, ``for_game`` and the flat views."""

    @property
    def max_regret(self) -> float:
        """The certificate of the whole result: the largest regret of any listed equilibrium (0 if none)."""
        r = np.asarray(self.regret, dtype=float)
        return float(r.max()) if r.size else 0.0

    def for_game(self, b: int) -> tuple:
        """The listed equilibria of game *b* of the batch."""
        if not 0 <= b < self.batch_size:
            raise IndexError(f"game {b} out of a batch of {self.batch_size}")
        gi = np.asarray(self.game_index)
        return tuple(self.equilibria[k] for k in np.flatnonzero(gi == b))


def stack_payoffs(eqs, n: int) -> np.ndarray:
    """``(K, n)`` payoffs of K equilibria (for the flat views of a :class:`Result`)."""
    return np.array([np.asarray(e.payoffs, dtype=float) for e in eqs]).reshape(len(eqs), n)


def stack_outcomes(eqs) -> dict:
    """``{label: (K,) array}`` from the equilibria's ``{label: float}``."""
    labels = dict.fromkeys(k for e in eqs for k in e.outcome_probabilities)
    return {lab: np.array([float(e.outcome_probabilities.get(lab, 0.0)) for e in eqs]) for lab in labels}


class OneGameResultMixin(ResultMixin):
    """The flat views of a one-game result that lists its equilibria in ``equilibria``.

    ``game_index`` is all zeros, ``payoffs`` stacks the listed equilibria's payoffs (``_payoff_width``
    columns when set, else as many as the first equilibrium has), ``regret`` and
    ``outcome_probabilities`` are per equilibrium; the result is a sequence of its equilibria.
    """

    _payoff_width: int | None = None

    @property
    def batch_size(self) -> int:
        return 1

    @property
    def game_index(self) -> np.ndarray:
        return np.zeros(len(self.equilibria), dtype=np.int64)

    @property
    def payoffs(self) -> np.ndarray:
        eqs = self.equilibria
        n = self._payoff_width if self._payoff_width is not None else (len(eqs[0].payoffs) if eqs else 0)
        return stack_payoffs(eqs, n)

    @property
    def regret(self) -> np.ndarray:
        return np.array([float(e.regret) for e in self.equilibria])

    @property
    def outcome_probabilities(self) -> dict:
        return stack_outcomes(self.equilibria)

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k):
        return self.equilibria[k]


class ResultBatch(ResultMixin, tuple):
    """The results of a per-game solver on a batch: one result (or equilibrium) per game, in order.

    A tuple (``batch[b]`` is game *b*'s answer), and itself a :class:`Result`
    whose flat views list every game's equilibria, ``game_index`` saying
    whose.
    """

    def __new__(cls, items, method: str = ""):
        self = super().__new__(cls, tuple(items))
        self._method = method
        return self

    def _parts(self, r) -> tuple:
        return tuple(r.equilibria) if hasattr(r, "equilibria") and hasattr(r, "complete") else (r,)

    @property
    def batch_size(self) -> int:
        return len(self)

    @property
    def equilibria(self) -> tuple:
        return tuple(e for r in self for e in self._parts(r))

    @property
    def game_index(self) -> np.ndarray:
        return np.array([b for b, r in enumerate(self) for _ in self._parts(r)], dtype=np.int64)

    @property
    def complete(self) -> bool:
        return all(bool(getattr(r, "complete", False)) for r in self)

    @property
    def method(self) -> str:
        return self._method or (getattr(self[0], "method", "") if len(self) else "")

    @property
    def notes(self) -> tuple:
        return tuple(f"game {b}: {n}" for b, r in enumerate(self) for n in getattr(r, "notes", ()))

    @property
    def payoffs(self) -> np.ndarray:
        eqs = self.equilibria
        n = len(np.atleast_1d(eqs[0].payoffs)) if eqs else 0
        return stack_payoffs(eqs, n)

    @property
    def regret(self) -> np.ndarray:
        return np.array([float(e.regret) for e in self.equilibria])

    @property
    def outcome_probabilities(self) -> dict:
        return stack_outcomes(self.equilibria)

    def __repr__(self) -> str:
        return (f"<ResultBatch: {self.batch_size} games, {len(self.equilibria)} equilibria, "
                f"complete={self.complete}, max regret {self.max_regret:.1e}>")


@dataclass(frozen=True, eq=False)
class MixedEquilibrium(EquilibriumMixin):
    """A Nash equilibrium in mixed strategies of a normal-form game (an :class:`Equilibrium`).

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
    outcome_probabilities : dict
        ``{"(a_1, ..., a_n)": probability}`` of every pure profile played
        with positive probability (a property).
    """

    strategies: tuple
    payoffs: np.ndarray
    regret: float
    players: tuple
    actions: tuple
    exact: tuple | None = None

    @property
    def outcome_probabilities(self) -> dict:
        """``{profile label: probability}`` over the pure profiles in the support (labels as :func:`profile_label`)."""
        cached = self.__dict__.get("_outcomes")
        if cached is None:
            supports = [np.flatnonzero(np.asarray(s) > 0) for s in self.strategies]
            cached = {}
            for prof in product(*supports):
                p = float(np.prod([self.strategies[i][a] for i, a in enumerate(prof)]))
                cached[profile_label(self.actions[i][a] for i, a in enumerate(prof))] = p
            self.__dict__["_outcomes"] = cached
        return cached

    def _outcome_labels(self):
        return {profile_label(p) for p in product(*self.actions)}

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
class EquilibriumSet(OneGameResultMixin):
    """All equilibria of one game, as extreme points and components (a :class:`Result`).

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
    notes : tuple of str
        What the method could not guarantee, and remarks.
    equilibria : tuple of MixedEquilibrium
        The same as :attr:`extreme` (the :class:`Result` name).
    """

    extreme: tuple
    components: tuple = ()
    complete: bool = True
    method: str = ""
    row_vertices: tuple = field(default=(), repr=False)
    column_vertices: tuple = field(default=(), repr=False)
    notes: tuple = ()

    @property
    def equilibria(self) -> tuple:
        return tuple(self.extreme)

    @property
    def has_continuum(self) -> bool:
        return any(not c.is_isolated for c in self.components)


def certify(game, strategies, *, tol: float = DEFAULT_TOL, what: str = "equilibrium") -> float:
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
        If some player's gain exceeds her bound: a solver that calls this on its own answer has a bug.
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


def make_equilibrium(game, strategies: Sequence, *, tol: float = DEFAULT_TOL, exact=None) -> MixedEquilibrium:
    """Certify *strategies* in the unbatched *game* and wrap them as a :class:`MixedEquilibrium`."""
    strategies = tuple(np.asarray(s, dtype=float) for s in strategies)
    r = certify(game, strategies, tol=tol)
    pay = game.expected_payoffs(strategies)[0]
    return MixedEquilibrium(strategies=strategies, payoffs=pay, regret=r,
                            players=game.players, actions=game.actions, exact=exact)
