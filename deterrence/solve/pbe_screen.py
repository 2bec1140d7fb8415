"""Vectorized screen of pure behaviour profiles for :func:`~.pbe_tree.perfect_bayesian`.

This module evaluates many pure behaviour profiles at once -- reach
probabilities, node values, action values -- as node-major arrays (one row
per node, profiles along the row), one pass per tree level, and keeps the
profiles that pass *necessary* conditions of a weak perfect Bayesian
equilibrium:

* at every information set reached with positive probability, the
  prescribed action is a best one-shot reply given the Bayes belief;
* at every information set, for every other action ``a`` some node of the
  set has ``V(a) <= V(prescribed)`` (otherwise ``a`` beats the
  prescription under every belief, Bayes or not; at a single node this is
  one-shot optimality).

The second test needs only the choices at and below the set, so profiles
are built one information set at a time, deepest first, and pruned as soon
as a set's subtree is fixed (:meth:`ProfileScreen.survivors`): the work
follows the number of profiles that survive, not the number that exist.

The survivors go to the exact per-profile check in :mod:`.pbe_tree`
(whole continuation strategies, belief polytopes, final certificate), so
the screen decides nothing on its own; it only removes profiles that
cannot be equilibria.  Its tolerance is looser than the certificate's so
that rounding cannot drop a profile the exact check would accept.
"""

from __future__ import annotations

import numpy as np
from scipy import sparse

from ..games.tree import DECISION, GameTree
from .progress import Progress

__all__ = ["ProfileScreen"]


class ProfileScreen:
    """Batched passes over the pure behaviour profiles of one (unbatched) tree.

    Parameters
    ----------
    tree : GameTree
        One game (``tree.batch_size == 1``, or game *b* of a batch is used).
    K : deterrence.games.assessment.AssessmentKernel
        The flat-array kernel of the same tree (slot layout, levels, payoffs).
    """

    def __init__(self, tree: GameTree, K):
        self.K = K
        t = tree
        N = K.N
        self.n_profiles = int(np.prod(K.nact, dtype=float)) if K.H else 1
        # per level: edges grouped by parent (edges are stored parent by parent)
        self.level_groups = []
        for lev in K.levels:
            par = K.ep[lev]
            starts = np.flatnonzero(np.r_[True, par[1:] != par[:-1]])
            self.level_groups.append((lev, starts, par[starts]))
        # slots <- decision edges, information sets <- decision nodes (sparse 0/1 aggregation matrices)
        ne, nd = len(K.dec_e), len(K.dnodes)
        self.slot_of_edge = sparse.csr_matrix((np.ones(ne), (K.dec_slot, np.arange(ne))), shape=(K.S, ne))
        self.set_of_node = sparse.csr_matrix((np.ones(nd), (K.dnode_h, np.arange(nd))), shape=(K.H, nd))
        self.set_children = [np.stack([t.children(v) for v in info.nodes]) for info in t.infosets]  # (nodes, acts)
        self.N = N
        # below[h]: the information sets with a node in the subtree of a node of h
        self.max_depth = [int(t.depth[list(info.nodes)].max()) for info in t.infosets]
        self.below = []
        for g, info in enumerate(t.infosets):
            seen, stack = set(), [int(c) for v in info.nodes for c in t.children(v)]
            while stack:
                v = stack.pop()
                if t.kind[v] == DECISION:
                    seen.add(int(t.infoset[v]))
                stack.extend(int(c) for c in t.children(v))
            self.below.append(seen - {g})
        # sub_edges[h]: the edges below the nodes of h (what the values at h's children depend on)
        below_node = np.zeros((K.H, N), bool)
        for g, info in enumerate(t.infosets):
            stack = [int(c) for v in info.nodes for c in t.children(v)]
            while stack:
                v = stack.pop()
                below_node[g, v] = True
                stack.extend(int(c) for c in t.children(v))
        self.sub_edges = below_node[:, K.ec]

    def passes(self, choice: np.ndarray, players=None, edges=None, reach: bool = True):
        """Flat profiles ``(S, P)``, reach ``(N, P)`` and values ``(len(players), N, P)`` of pure profiles.

        Node-major layout (one row per node, the profiles along the row), so
        every gather and scatter moves whole contiguous rows.  *players*
        (default all) selects whose values are computed; *edges* (a boolean
        mask over the edges, default all) restricts the value pass to a part
        of the tree closed under descendants (values elsewhere are left at 0);
        without *reach* the reach pass is skipped (``R`` is None).
        """
        K = self.K
        P = len(choice)
        cols = np.arange(P)
        players = list(range(K.n)) if players is None else list(players)
        x = np.zeros((K.S, P))
        x[K.off[:-1][None] + choice, cols[:, None]] = 1.0
        E = np.repeat(K.base[:, None], P, axis=1)
        E[K.dec_e] = x[K.dec_slot]
        R = None
        if reach:
            R = np.zeros((self.N, P))
            R[0] = 1.0
            for lev in K.levels:
                R[K.ec[lev]] = R[K.ep[lev]] * E[lev]
        V = np.zeros((len(players), self.N, P))
        V[:, K.term] = K.term_pay[:, players].T[:, :, None]
        for lev, starts, parents in reversed(self.level_groups):
            if edges is not None:
                lev = lev[edges[lev]]
                if not len(lev):
                    continue
                par = K.ep[lev]
                starts = np.flatnonzero(np.r_[True, par[1:] != par[:-1]])
                parents = par[starts]
            contrib = E[lev][None] * V[:, K.ec[lev]]
            V[:, parents] = np.add.reduceat(contrib, starts, axis=1)
        return x, R, V

    def _conditions(self, choice: np.ndarray, lim: float, sets, bayes: bool) -> np.ndarray:
        """Mask of the profiles *choice* ``(P, H)`` passing the screen at the information sets *sets*.

        With *bayes*, the one-shot test with the Bayes belief at reached sets
        (the profiles must be complete); without, at every set in *sets* the
        belief-free test (each other action is weakly worse at some node),
        which needs only the choices at and below those sets (so only the
        movers' values below them are computed).
        """
        K = self.K
        P = len(choice)
        ok = np.ones(P, bool)
        if P == 0 or not len(sets):
            return ok
        if bayes:
            players, edges = None, None
        else:
            players = sorted({int(K.h_player[h]) for h in sets})
            edges = np.logical_or.reduce([self.sub_edges[h] for h in sets])
        x, R, V = self.passes(choice, players=players, edges=edges, reach=bayes)
        row = {i: k for k, i in enumerate(range(K.n) if players is None else players)}
        cols = np.arange(P)
        slack = 4 * lim
        if bayes:
            Qu = self.slot_of_edge @ (R[K.dec_par] * V[K.dec_mover, K.dec_child])
            den = self.set_of_node @ R[K.dnodes]
        for h in sets:
            i = row[int(K.h_player[h])]
            c = choice[:, h]
            if bayes:
                q = Qu[K.off[h]:K.off[h + 1]]
                reached = den[h] > 0
                ok &= ~reached | (q.max(0) - q[c, cols] <= slack * den[h])
            vals = V[i][self.set_children[h]]                    # (nodes, actions, P)
            chosen = np.take_along_axis(vals, c[None, None, :], axis=1)
            # each other action must be weakly worse at some node (a single node: at that node)
            free = (vals - chosen).min(0).max(0) <= slack
            ok &= (free | reached) if bayes else free
        return ok

    def _chunked(self, choice, lim, sets, bayes):
        step = max(1, int(8e6 // max(self.N * (self.K.n + 2), 1)))
        return np.concatenate([self._conditions(choice[k:k + step], lim, sets, bayes)
                               for k in range(0, len(choice), step)]) if len(choice) else np.zeros(0, bool)

    def survivors(self, lim: float, progress=None, max_alive: int | None = None, too_many=None) -> np.ndarray:
        """Every pure profile passing the screen, shape ``(P, H)`` (action index per information set).

        Profiles are built one information set at a time, deepest first; as
        soon as the choices at and below a set are fixed, the belief-free
        test prunes the partial profiles there (it holds whatever the
        choices above).  The complete profiles then meet the Bayes test.
        The result is the same set as testing every profile, usually after
        looking at far fewer.

        *progress*: see :mod:`.progress` (steps: information sets fixed, of H).
        *max_alive*: before a step would hold more partial profiles than
        this, ``too_many(k, alive)`` is raised (k sets fixed, *alive* the
        count the step would hold).
        """
        K = self.K
        H = K.H
        if H == 0:
            return np.zeros((1, 0), np.int64)
        order = sorted(range(H), key=lambda h: (-self.max_depth[h], h))
        pos = {h: k for k, h in enumerate(order)}
        ready_at = {}
        for h in range(H):
            k = max([pos[h]] + [pos[g] for g in self.below[h]])
            ready_at.setdefault(k, []).append(h)
        part = np.zeros((1, H), np.int64)
        report = Progress(progress, H, "perfect_bayesian: information sets fixed")
        for k, h in enumerate(order):
            a = int(K.nact[h])
            if max_alive is not None and len(part) * a > max_alive:
                raise too_many(k, len(part) * a)
            part = np.repeat(part, a, axis=0)
            part[:, h] = np.tile(np.arange(a), len(part) // a)
            sets = ready_at.get(k, [])
            if sets and k < H - 1:
                part = part[self._chunked(part, lim, sets, bayes=False)]
            report.update(k + 1, f"{len(part):,} partial profiles alive")
        part = part[self._chunked(part, lim, list(range(H)), bayes=True)]
        report.close()
        return part
