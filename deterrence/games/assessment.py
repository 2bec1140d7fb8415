"""Flat-array passes over one game tree under a behaviour profile: the kernel of assessments.

An *assessment* is a behaviour profile with beliefs.  :class:`AssessmentKernel`
precomputes the flat index arrays of one (unbatched) tree so that, for a flat
behaviour profile ``x`` (slots in :class:`~deterrence.games.profiles.BehaviourProfile`
order), the edge probabilities, the reach probability and value of every
node, the Bayes beliefs within each information set and the belief-weighted
action values ``Q`` are a few whole-array operations.  The agent QRE
(:mod:`deterrence.solve.agent_qre`) and the perfect Bayesian equilibrium
solver (:mod:`deterrence.solve.pbe_tree`) are both built on it.
"""

from __future__ import annotations

import numpy as np

from .tree import CHANCE, DECISION, TERMINAL, GameTree

__all__ = ["AssessmentKernel"]


class AssessmentKernel:
    """Flat-array passes over one (unbatched) tree: reach, node values, action values.

    Action *slots* are laid out as in :class:`~deterrence.games.profiles.BehaviourProfile`:
    information set ``h`` owns slots ``off[h]:off[h + 1]`` in action order.
    """

    def __init__(self, tree: GameTree, b: int = 0):
        t = tree
        self.tree = t
        N = t.n_nodes
        ep, ec = t.edge_parent, t.child_index
        self.N, self.ep, self.ec = N, ep, ec
        kind = t.kind
        self.n = t.n_players
        infos = t.infosets
        self.H = len(infos)
        self.nact = np.array([len(h.actions) for h in infos], np.int64)
        self.off = np.concatenate([[0], np.cumsum(self.nact)]).astype(np.int64)
        self.S = int(self.off[-1])
        self.slot_h = np.repeat(np.arange(self.H), self.nact)
        self.h_player = np.array([h.player for h in infos], np.int64)
        dec_e = np.flatnonzero(kind[ep] == DECISION)
        pos = np.arange(len(ec)) - t.child_ptr[ep]
        self.dec_e = dec_e
        self.dec_slot = self.off[t.infoset[ep[dec_e]]] + pos[dec_e]
        self.dec_par = ep[dec_e]
        self.dec_child = ec[dec_e]
        self.dec_mover = t.player[ep[dec_e]]
        cp = t.chance_probs
        self.base = np.where(kind[ep] == CHANCE, cp[min(b, cp.shape[0] - 1)], 0.0)
        self.dnodes = np.flatnonzero(kind == DECISION)
        self.dnode_h = t.infoset[self.dnodes]
        term = np.flatnonzero(kind == TERMINAL)
        self.term = term
        self.pay = t.payoffs[min(b, t.payoffs.shape[0] - 1)]
        self.term_pay = self.pay[t.terminal[term]]
        d = t.depth[ep]
        self.levels = [np.flatnonzero(d == k) for k in range(int(d.max()) + 1)] if len(ep) else []
        self.scale = max(1.0, float(np.max(np.abs(self.pay))))     # the agent QRE's step unit (not a tolerance)
        # the payoff differences at stake (deterrence.solve.tolerance): each player's range and largest |payoff|
        self.spread = self.pay.max(0) - self.pay.min(0) if len(self.pay) else np.zeros(self.n)
        self.magnitude = np.abs(self.pay).max(0, initial=0.0)

    # ---- passes
    def edge_probs(self, x):
        e = self.base.copy()
        e[self.dec_e] = x[self.dec_slot]
        return e

    def reach(self, eprob):
        r = np.zeros(self.N)
        r[0] = 1.0
        for lev in self.levels:
            r[self.ec[lev]] = r[self.ep[lev]] * eprob[lev]
        return r

    def values(self, eprob):
        V = np.zeros((self.N, self.n))
        V[self.term] = self.term_pay
        for lev in reversed(self.levels):
            np.add.at(V, self.ep[lev], eprob[lev, None] * V[self.ec[lev]])
        return V

    def infoset_reach(self, r):
        return np.bincount(self.dnode_h, weights=r[self.dnodes], minlength=self.H)

    def node_beliefs(self, r, fallback=None):
        """Weight of each decision node within its information set (Bayes where reached)."""
        den = self.infoset_reach(r)
        w = np.zeros(self.N)
        reached = den[self.dnode_h] > 0
        w[self.dnodes[reached]] = r[self.dnodes[reached]] / den[self.dnode_h[reached]]
        if fallback is not None:
            w[self.dnodes[~reached]] = fallback[self.dnodes[~reached]]
        return w, den

    def action_values(self, V, w):
        """``Q[slot] = sum_x w(x) V_i(child(x, a))`` for the mover ``i`` of each slot."""
        return np.bincount(self.dec_slot, weights=w[self.dec_par] * V[self.dec_child, self.dec_mover],
                           minlength=self.S)

    def assess(self, x, fallback=None):
        """Everything at once for a flat profile *x*: (edge probs, reach, values, node beliefs, infoset reach, Q)."""
        ep = self.edge_probs(x)
        r = self.reach(ep)
        V = self.values(ep)
        w, den = self.node_beliefs(r, fallback)
        return ep, r, V, w, den, self.action_values(V, w)

    def local_regret(self, x, Q):
        """Per-information-set gain ``max_a Q(a) - sum_a x(a) Q(a)`` (sequential rationality gap)."""
        best = np.maximum.reduceat(Q, self.off[:-1]) if self.S else np.zeros(0)
        cur = np.add.reduceat(x * Q, self.off[:-1]) if self.S else np.zeros(0)
        return best - cur

    def softmax(self, z):
        """Logit choice within each information set's slots (max subtracted: stable for any scale)."""
        m = np.maximum.reduceat(z, self.off[:-1])
        e = np.exp(z - m[self.slot_h])
        return e / np.add.reduceat(e, self.off[:-1])[self.slot_h]

    def split(self, x):
        return tuple(x[self.off[h]:self.off[h + 1]].copy() for h in range(self.H))
