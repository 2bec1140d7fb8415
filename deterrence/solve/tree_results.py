"""Pure equilibria of game trees (SPE, Bayesian backward induction): one equilibrium, and the batched result.

A solver result that holds, one row per listed equilibrium, a pure
:class:`BehaviourProfile` in ``profile``, the equilibrium-path terminal
probabilities in ``terminal_probs`` ``(K, T)``, the payoffs ``(K, n)``, the
regret ``(K,)``, the tie flags ``unique`` and ``n_ties`` and the ``tree``
gets from :class:`PureTreeSolution` the :class:`~deterrence.solve.results.Result`
protocol and labelled views: outcome probabilities by label (P(war),
P(status quo), ...), the outcome distribution, the chosen action at every
information set and the path of play.  Rows are the games of a batch (one
equilibrium each), or, when a solver enumerates every equilibrium of one
game, those equilibria (``enumerated``).

Each row is also available as a :class:`PureTreeEquilibrium`, the
:class:`~deterrence.solve.results.Equilibrium` of one game.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..deprecation import warn_deprecated
from ..games.profiles import BehaviourProfile, OutcomeDistribution, reach_probabilities, tree_structure
from ..games.tree import CHANCE, GameTree
from .results import EquilibriumMixin, ResultMixin, describe_outcomes

__all__ = ["PureTreeSolution", "PureTreeEquilibrium"]


def _ties_text(n_ties: int, what: str) -> str:
    return (f"a mover is indifferent at {n_ties} {what}{'s' if n_ties != 1 else ''}; "
            f"other equilibria may lead to other outcomes")


@dataclass(frozen=True, eq=False)
class PureTreeEquilibrium(EquilibriumMixin):
    """One pure equilibrium of one game tree (an :class:`~deterrence.solve.results.Equilibrium`).

    Attributes
    ----------
    tree : GameTree
        The (unbatched) game.
    profile : BehaviourProfile
        The pure behaviour profile (one row).
    terminal_probs : ndarray, shape (T,)
        Probability of each terminal on the equilibrium path (chance included).
    payoffs : ndarray, shape (n,)
    regret : float
        The certificate (largest deviation gain; see the solver).
    unique : bool
        False when a mover is indifferent somewhere, so that other
        equilibria exist (they may lead to other outcomes).
    n_ties : int
        Number of decision nodes (information sets) with a tie.
    concept : str
        ``"subgame-perfect"`` or ``"sequential"``.
    beliefs : ndarray or None
        Belief at every node (Bayesian backward induction).
    """

    tree: GameTree = field(repr=False)
    profile: BehaviourProfile = field(repr=False)
    terminal_probs: np.ndarray = field(repr=False)
    payoffs: np.ndarray
    regret: float
    unique: bool
    n_ties: int
    concept: str = "subgame-perfect"
    beliefs: np.ndarray | None = field(default=None, repr=False)

    @cached_property
    def outcome_probabilities(self) -> dict:
        """``{outcome label: probability}`` on the equilibrium path."""
        d = OutcomeDistribution(np.asarray(self.terminal_probs)[None], self.tree.outcomes).by_outcome
        return {k: float(v[0]) for k, v in d.items()}

    def outcome(self) -> str:
        """The outcome distribution in one line (the label alone when certain); says when it is not unique."""
        return describe_outcomes(self.outcome_probabilities, unique=self.unique,
                                 ties=_ties_text(self.n_ties, "decision node"))

    def at(self, infoset) -> dict:
        """``{action: probability}`` at an information set (label)."""
        return self.profile.at(infoset)

    def choice(self) -> dict:
        """``{information set label: chosen action}``."""
        s = tree_structure(self.tree)
        row = self.profile.flat[0]
        return {info.label: info.actions[int(np.argmax(row[s.h_off[h]:s.h_off[h + 1]]))]
                for h, info in enumerate(self.tree.infosets)}

    def path(self) -> list:
        """Reached decision and chance moves: ``(node id, mover, action, probability)``."""
        return _path(self.tree, self.profile, 0)

    def __getattr__(self, name):
        # subgame_perfect(..., all_equilibria=True).equilibria used to hold BehaviourProfile objects:
        # their attributes keep working for one release, with a warning
        prof = self.__dict__.get("profile")
        if name.startswith("_") or prof is None or not hasattr(prof, name):
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        warn_deprecated(f"PureTreeEquilibrium.{name} (equilibria used to be BehaviourProfile objects)",
                        f"equilibrium.profile.{name}")
        return getattr(prof, name)

    def __repr__(self) -> str:
        return (f"PureTreeEquilibrium({self.concept}: {self.outcome()}; choice={self.choice()}, "
                f"payoffs={np.round(self.payoffs, 6).tolist()}, regret={self.regret:.1e})")


def _path(t, profile, b):
    reach = reach_probabilities(t, profile)
    reach = reach[min(b, reach.shape[0] - 1)]
    ep = profile.edge_probs()
    ep = ep[min(b, ep.shape[0] - 1)]
    out = []
    for v in np.flatnonzero((reach > 0) & (t.kind != 0)):
        mover = "chance" if t.kind[v] == CHANCE else t.players[t.player[v]]
        for e in range(t.child_ptr[v], t.child_ptr[v + 1]):
            if ep[e] > 0:
                out.append((t.node_ids[v], mover, t.edge_label[e], float(ep[e])))
    return out


class PureTreeSolution(ResultMixin):
    """Mixin: the :class:`~deterrence.solve.results.Result` protocol and labelled views of pure tree equilibria.

    Subclasses are frozen dataclasses with ``tree``, ``profile``,
    ``terminal_probs``, ``payoffs``, ``regret``, ``unique``, ``n_ties``,
    ``notes`` and ``enumerated``; they set ``method`` and ``_concept``.
    """

    _concept = "subgame-perfect"
    _tie_place = "decision node"

    @property
    def _rows(self) -> int:
        return self.payoffs.shape[0]

    @property
    def batch_size(self) -> int:
        """Number of games solved (1 when the rows are the enumerated equilibria of one game)."""
        return 1 if getattr(self, "enumerated", False) else self._rows

    @property
    def game_index(self) -> np.ndarray:
        if getattr(self, "enumerated", False):
            return np.zeros(self._rows, dtype=np.int64)
        return np.arange(self._rows, dtype=np.int64)

    @cached_property
    def outcome_probabilities(self) -> dict:
        """``{outcome label: (K,) probability}`` on the equilibrium path, one entry per row."""
        return OutcomeDistribution(self.terminal_probs, self.tree.outcomes).by_outcome

    def equilibrium(self, k: int = 0) -> PureTreeEquilibrium:
        """Row *k* (game *k* of a batch, or the *k*-th enumerated equilibrium) as one equilibrium."""
        if not 0 <= k < self._rows:
            raise IndexError(f"equilibrium {k} out of {self._rows}")
        t = self.tree if self.tree.batch_size == 1 else self.tree[k]
        prof = self.profile
        row = BehaviourProfile(t, prof.flat[min(k, prof.batch_size - 1)][None])
        beliefs = getattr(self, "beliefs", None)
        if beliefs is not None:
            beliefs = np.asarray(beliefs)[min(k, beliefs.shape[0] - 1)].copy()
        return PureTreeEquilibrium(tree=t, profile=row, terminal_probs=self.terminal_probs[k].copy(),
                                   payoffs=self.payoffs[k].copy(), regret=float(self.regret[k]),
                                   unique=bool(self.unique[k]), n_ties=int(self.n_ties[k]),
                                   concept=self._concept, beliefs=beliefs)

    @property
    def equilibria(self) -> tuple:
        """Every row as a :class:`PureTreeEquilibrium` (built on first use)."""
        cached = self.__dict__.get("_equilibria")
        if cached is None:
            cached = tuple(self.equilibrium(k) for k in range(self._rows))
            self.__dict__["_equilibria"] = cached
        return cached

    @property
    def note(self) -> str:
        """Deprecated: ``"; ".join(notes)``."""
        warn_deprecated(f"{type(self).__name__}.note", f"{type(self).__name__}.notes (a tuple of str)")
        return "; ".join(self.notes)

    def outcomes(self, b: int = 0) -> dict:
        """``{outcome label: probability}`` of the outcomes with positive probability in row *b*, most likely first."""
        probs = {k: float(v[b]) for k, v in self.outcome_probabilities.items()}
        return dict(sorted(((k, v) for k, v in probs.items() if v > 1e-12), key=lambda kv: -kv[1]))

    def outcome(self, b: int = 0) -> str:
        """Row *b*'s outcome distribution in one line, for printing.

        The outcome label alone when it is certain; otherwise every outcome
        with positive probability, most likely first (``"Defender concedes
        (DC) 3/4, war 1/4"``), so that no risk is hidden behind the most
        likely label.  ``[not unique: ...]`` is appended where a mover is
        indifferent, because other equilibria may lead elsewhere.  For the
        distribution as data use :meth:`outcomes`.
        """
        return describe_outcomes({k: float(v[b]) for k, v in self.outcome_probabilities.items()},
                                 unique=bool(self.unique[b]), ties=_ties_text(int(self.n_ties[b]), self._tie_place))

    def choice(self, b: int = 0) -> dict:
        """``{information set label: chosen action}`` in row *b*."""
        s = tree_structure(self.tree)
        row = self.profile.flat[min(b, self.profile.batch_size - 1)]
        return {info.label: info.actions[int(np.argmax(row[s.h_off[h]:s.h_off[h + 1]]))]
                for h, info in enumerate(self.tree.infosets)}

    def path(self, b: int = 0) -> list:
        """Reached decision and chance moves of row *b*: ``(node id, mover, action, probability)``."""
        return _path(self.tree, self.profile, b)
