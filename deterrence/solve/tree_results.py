"""Accessors shared by the pure equilibria of game trees (SPE, Bayesian backward induction).

A solver result that holds a batched pure :class:`BehaviourProfile` in
``profile``, the equilibrium-path terminal probabilities in ``terminal_probs``
(B, T), the payoffs (B, n) and the ``tree`` gets labelled views from this
mixin: outcome probabilities by label (P(war), P(status quo), ...), the most
likely outcome, the chosen action at every information set and the path of
play.
"""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..games.profiles import OutcomeDistribution, reach_probabilities, tree_structure
from ..games.tree import CHANCE

__all__ = ["PureTreeSolution"]


class PureTreeSolution:
    """Mixin: labelled views of a batched pure equilibrium of a game tree."""

    @property
    def batch_size(self) -> int:
        return self.payoffs.shape[0]

    @cached_property
    def outcome_probabilities(self) -> dict:
        """``{outcome label: (B,) probability}`` on the equilibrium path."""
        return OutcomeDistribution(self.terminal_probs, self.tree.outcomes).by_outcome

    def outcome(self, b: int = 0) -> str:
        """The most likely outcome label of game *b* (the outcome itself when there are no chance moves)."""
        probs = self.outcome_probabilities
        return max(probs, key=lambda k: probs[k][b])

    def choice(self, b: int = 0) -> dict:
        """``{information set label: chosen action}`` in game *b*."""
        s = tree_structure(self.tree)
        row = self.profile.flat[min(b, self.profile.batch_size - 1)]
        return {info.label: info.actions[int(np.argmax(row[s.h_off[h]:s.h_off[h + 1]]))]
                for h, info in enumerate(self.tree.infosets)}

    def path(self, b: int = 0) -> list:
        """Reached decision and chance moves of game *b*: ``(node id, mover, action, probability)``."""
        t = self.tree
        reach = reach_probabilities(t, self.profile)
        reach = reach[min(b, reach.shape[0] - 1)]
        ep = self.profile.edge_probs()
        ep = ep[min(b, ep.shape[0] - 1)]
        out = []
        for v in np.flatnonzero((reach > 0) & (t.kind != 0)):
            mover = "chance" if t.kind[v] == CHANCE else t.players[t.player[v]]
            for e in range(t.child_ptr[v], t.child_ptr[v + 1]):
                if ep[e] > 0:
                    out.append((t.node_ids[v], mover, t.edge_label[e], float(ep[e])))
        return out
