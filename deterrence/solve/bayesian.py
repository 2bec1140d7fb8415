"""Vectorized Bayesian backward induction for games where information sets only hide nature's moves.

The deterrence games with *uncertain resolve* that the field uses most --
Zagare & Kilgour's (2000) rudimentary asymmetric deterrence game, the
one-sided incomplete-information crisis games of Fearon (1994) and Powell
(1990) without signalling -- share one structure: nature draws a type
(Hard or Soft defender, resolved or irresolute challenger), and a player who
does not observe the type has information sets whose nodes differ *only* in
that chance outcome.  Every node of such an information set is reached by
the same sequence of players' (information set, action) choices.

Beliefs are then fixed by the game, not by the strategies: the probability
of reaching node ``x`` of information set ``h`` is ``c(x) * pi(history)``,
with ``c(x)`` the product of chance probabilities on the path to ``x`` and
``pi`` the common product of behaviour probabilities, so Bayes' rule gives
``mu(x | h) = c(x) / sum_{y in h} c(y)`` for every profile that reaches
``h``.  These beliefs are also the limits of Bayes beliefs under totally
mixed profiles, i.e. *consistent* in the sense of Kreps & Wilson (1982).
Backward induction over information sets -- at each information set choose
the action with the highest belief-weighted continuation value, deepest
information sets first -- therefore gives a pure assessment that is
sequentially rational everywhere (the one-shot deviation principle holds for
consistent assessments in games with perfect recall; Hendon, Jacobsen &
Sloth 1996): a sequential equilibrium, hence a perfect Bayesian and a Nash
equilibrium.  When no mover is indifferent at any information set it is the
only sequential equilibrium (beliefs are pinned down, so every sequential
equilibrium must make these choices); weak PBE with arbitrary off-path
beliefs and Nash equilibria with incredible threats may still exist.

Information sets whose nodes all have chance-reach probability 0 get uniform
beliefs (any belief is consistent there).

Algorithm
---------
Every node gets a *stage*: the number of player moves on its path.  All
members of an information set share their history, hence their stage (they
may lie at different depths when chance moves interleave differently).
Stages are processed from the last to the first: at stage ``L`` every
information set of that stage computes, for all games of the batch at once,
``Q[h, a] = sum_{x in h} mu(x) * W[child(x, a), mover(h)]`` (a sum over the
edges sorted by (information set, action)), picks the first maximiser (a
reshape and ``argmax`` when the information sets of the stage have equally
many actions, as in :mod:`deterrence.solve.spe`), writes the chosen child's
value into its member nodes, then the chance nodes of stage ``L`` are folded
bottom-up by depth.  No Python code runs per node or per game.

Layout: as in :mod:`deterrence.solve.spe`, arrays are node-major with the
batch axis last (values ``W[node, player, game]``, beliefs ``mu[node,
game]``), so every gather is a copy of whole contiguous rows; sums over the
few members of a group are whole-row additions rather than
``reduceat`` along the leading axis.  The batch is processed in chunks of
2^10 to 2^13 games (about 2^20 node values each) so that the work arrays of
a chunk stay in cache.  The payoffs and chance probabilities are read
through node-major views (free for trees that
:class:`~deterrence.games.parametric.ParametricTree` builds, which are
node-major underneath), and the outputs are kept node-major (the result's
``terminal_probs``, ``payoffs`` and ``beliefs`` are transposed views).  The
chance reach ``c(x)`` is computed once per chunk and serves both the beliefs
and the certificate.

Certificate (vectorized, independent of the solver's stage loop; flat passes
over all nodes and edges of a chunk): (o) the terminal values are the
payoffs; (i) the values are those of the pure
profile (every decision node's value is its chosen child's, every chance
node's is the expectation of its children's); (ii) the largest one-shot
deviation gain at every information set given the beliefs (reached or not);
(iii) the Nash regret, each player's sequence-form best response against the
others' and chance's moves (as :func:`~deterrence.games.profiles.tree_regret`)
minus her equilibrium payoff; (iv) Bayes consistency of the beliefs at every
information set reached with positive probability.  Reach probabilities are
the chance reach times the indicator that no player deviated from the profile
on the path, kept as deviation bits (one bit per player, one top-down pass):
the profile's reach needs no deviation, the reach of the others' and chance's
moves against which player i best-responds needs none by the others.  The
shared chance reach is itself checked edge by edge (1 at the root, a node's
reach its parent's times the chance probability of the edge into it), and the
terminal probabilities must give the values of (i).  A
failure raises :class:`~deterrence.errors.CertificateError` (a bug, never bad
input).

References
----------
D. Kreps & R. Wilson (1982), "Sequential equilibria", *Econometrica* 50: 863-894.
E. Hendon, H. J. Jacobsen & B. Sloth (1996), "The one-shot-deviation principle for
sequential rationality", *Games and Economic Behavior* 12: 274-282.
F. Zagare & D. M. Kilgour (2000), *Perfect Deterrence*, Cambridge UP.
D. Fudenberg & J. Tirole (1991), *Game Theory*, MIT Press, ch. 8.
B. von Stengel (1996), "Efficient computation of behavior strategies", *Games and Economic Behavior*
14: 220-246.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import CertificateError, SolverError
from ..games.node_arrays import chance_values, select_children
from ..games.profiles import BehaviourProfile, pure_profile, tree_structure
from ..games.tree import CHANCE, DECISION, GameTree
from .results import DEFAULT_TOL
from .tolerance import rounding_allowance, tree_tie_scale
from .tree_results import PureTreeSolution

__all__ = ["bayesian_backward_induction", "BayesianEquilibrium", "hides_only_chance", "chance_beliefs"]


# ---------------------------------------------------------------------- structure
class _BayesStructure:
    """Index arrays for Bayesian backward induction (tree shape only, cached on the tree)."""

    def __init__(self, tree: GameTree):
        s = tree_structure(tree)
        self.s = s
        N = tree.n_nodes
        kind = tree.kind
        iset = tree.infoset
        # stage (number of player moves on the path) and slot of the last player move, top-down
        stage = np.zeros(N, np.int64)
        last = np.full(N, -1, np.int64)
        for lo, hi, elo, ehi in s.edge_levels():
            par, kid = s.eparent[elo:ehi], s.ci[elo:ehi]
            dec_e = s.is_dec_edge[elo:ehi]
            stage[kid] = stage[par] + dec_e
            last[kid] = np.where(dec_e, s.edge_slot[elo:ehi], last[par])
        self.stage = stage
        self.last = last
        dec = np.flatnonzero(kind == DECISION)
        # decision nodes sorted by information set (stable: node order inside)
        order = np.argsort(iset[dec], kind="stable")
        self.dec_sorted = dec[order]
        H = s.H
        counts = np.bincount(iset[self.dec_sorted], minlength=H) if H else np.zeros(0, np.int64)
        self.h_size = counts
        self.h_start = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64) if H else np.zeros(0, np.int64)
        # the condition: every information set's members share the slot of their last player move
        # (by induction on history length this is equivalent to sharing the whole sequence of moves)
        self.violation = None
        self.depth_mixed = False
        if H:
            ls = last[self.dec_sorted]
            lo_ = np.minimum.reduceat(ls, self.h_start)
            hi_ = np.maximum.reduceat(ls, self.h_start)
            bad = np.flatnonzero(lo_ != hi_)
            if bad.size:
                h = int(bad[0])
                self.violation = h
        self.h_stage = stage[s.h_first] if H else np.zeros(0, np.int64)
        # per stage: decision data and chance groups
        self.stages = []
        if self.violation is None:
            ptr = tree.child_ptr
            nact = s.h_nact
            hx = iset[self.dec_sorted]
            max_stage = int(stage.max())
            for L in range(max_stage, -1, -1):
                hs = np.flatnonzero(self.h_stage == L)
                members = self.dec_sorted[np.isin(hx, hs)] if hs.size else np.zeros(0, np.int64)
                dec_part = None
                if hs.size:
                    mh = iset[members]
                    k = nact[mh]
                    rep_x = np.repeat(members, k)
                    rep_h = np.repeat(mh, k)
                    a = np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k)
                    o = np.lexsort((rep_x, a, rep_h))          # by infoset, action, node
                    ex, eh, ea = rep_x[o], rep_h[o], a[o]
                    e = ptr[ex] + ea
                    slot = s.h_off[eh] + ea
                    slot_start = np.flatnonzero(np.r_[True, slot[1:] != slot[:-1]])
                    uslot_h = eh[slot_start]
                    h_start_local = np.flatnonzero(np.r_[True, uslot_h[1:] != uslot_h[:-1]])
                    k_h = nact[hs]
                    dec_part = dict(hs=hs, kid=s.ci[e], mover=tree.player[ex], x=ex, slot_start=slot_start,
                                    h_start=h_start_local, nact=k_h, members=members,
                                    member_h_local=np.searchsorted(hs, mh), member_ptr=ptr[members],
                                    member_nch=s.nchild[members],
                                    flat=s.ci[e] * tree.n_players + tree.player[ex],
                                    one_per_slot=len(slot_start) == len(e),
                                    k=int(k_h[0]) if np.all(k_h == k_h[0]) else 0)
                # chance nodes of stage L, deepest first, one group per depth
                groups = []
                cn = np.flatnonzero((kind == CHANCE) & (stage == L))
                if cn.size:
                    depths = tree.depth[cn]
                    for d in np.unique(depths)[::-1]:
                        nodes = cn[depths == d]
                        k = np.diff(ptr)[nodes]
                        edges = np.repeat(ptr[nodes], k) + (np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k))
                        off = np.concatenate([[0], np.cumsum(k)[:-1]]).astype(np.int64)
                        groups.append((nodes, edges, s.ci[edges], _Groups(off, len(edges)),
                                       int(k[0]) if np.all(k == k[0]) else 0))
                self.stages.append((L, dec_part, groups))
        # all decision edges sorted by slot (for the certificate)
        de = np.flatnonzero(s.is_dec_edge)
        o = np.argsort(s.edge_slot[de], kind="stable")
        self.cert_edges = de[o]
        sl = s.edge_slot[self.cert_edges]
        self.cert_slot_start = np.flatnonzero(np.r_[True, sl[1:] != sl[:-1]]) if sl.size else np.zeros(0, np.int64)
        n = tree.n_players
        par = s.eparent[self.cert_edges]
        self.cert_flat = s.ci[self.cert_edges] * n + tree.player[par]   # mover's value at the child
        self.cert_par = par
        self.cert_one_per_slot = len(self.cert_slot_start) == len(self.cert_edges)
        self.h_k = int(s.h_nact[0]) if H and np.all(s.h_nact == s.h_nact[0]) else 0
        # every decision node with its chosen-child data, and every chance node with its edges
        self.dec = dec
        self.dec_infoset = iset[dec]
        kc = s.nchild
        cn = np.flatnonzero(kind == CHANCE)
        self.chance_nodes = cn
        if cn.size:
            k = kc[cn]
            self.chance_edges = np.repeat(tree.child_ptr[cn], k) + (
                np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k))
            self.chance_kids = s.ci[self.chance_edges]
            self.chance_off = np.concatenate([[0], np.cumsum(k)[:-1]]).astype(np.int64)
            self.chance_k = int(k[0]) if np.all(k == k[0]) else 0
        # per player: decision edges that are hers (for the reach of the others' and chance's moves)
        self.own_edge_idx = [np.flatnonzero(s.is_dec_edge & (tree.player[s.eparent] == i)) for i in range(n)]
        de_all = np.flatnonzero(s.is_dec_edge)
        self.dec_edges = de_all
        self.dec_edge_infoset = iset[s.eparent[de_all]]
        self.dec_edge_pos = s.epos[de_all]
        self.chance_edge_idx = np.flatnonzero(s.is_chance_edge)
        # the certificate's check of the chance reach, edge by edge: chance edges, then decision edges
        self.reach_check = (s.ci[self.chance_edge_idx], s.eparent[self.chance_edge_idx],
                            s.ci[de_all], s.eparent[de_all])
        self._flat_index(tree, s, H, n)

    def _flat_index(self, tree, s, H, n):
        """Index arrays of the solver's and the certificate's flat passes (built once per tree shape)."""
        Ec = len(self.chance_edge_idx)
        Ed = len(self.dec_edges)
        crow = np.full(s.E, Ec, np.int64)           # row of each edge in [chance probabilities; ones]
        crow[self.chance_edge_idx] = np.arange(Ec)
        drow = np.full(s.E, Ed, np.int64)           # row of each edge in [deviation bits of decision edges; zeros]
        drow[self.dec_edges] = np.arange(Ed)
        # top-down levels (breadth-first order: the children of a level are one block of rows)
        self.levels = []
        for lo, hi, elo, ehi in s.edge_levels():
            kids = s.ci[elo:ehi]
            c0 = int(kids[0])
            dest = slice(c0, c0 + len(kids)) if np.array_equal(kids, np.arange(c0, c0 + len(kids))) else kids
            self.levels.append((dest, s.eparent[elo:ehi], crow[elo:ehi],
                                drow[elo:ehi] if s.is_dec_edge[elo:ehi].any() else None,
                                bool(s.is_chance_edge[elo:ehi].any())))
        # deviation bits: player i's bit (1 << (i % w_bits)) in word i // w_bits of an unsigned integer per node
        # and game, the smallest type that holds every player (one byte for up to 8 players)
        self.word_dtype = next((t for t in (np.uint8, np.uint16, np.uint32) if n <= 8 * np.dtype(t).itemsize),
                               np.uint64)
        self.w_bits = 8 * np.dtype(self.word_dtype).itemsize
        self.n_words = max(1, -(-n // self.w_bits))
        mover = tree.player[s.eparent[self.dec_edges]] if Ed else np.zeros(0, np.int64)
        self.dec_edge_word = mover // self.w_bits
        self.dec_edge_bit = np.array([1 << int(i) for i in mover % self.w_bits], dtype=self.word_dtype)
        self.word_edges = [np.flatnonzero(self.dec_edge_word == w) for w in range(self.n_words)]
        self.all_dec_one_word = self.n_words == 1
        # groups of consecutive rows (information sets, slots) for sums, maxima and minima
        self.g_infoset = _Groups(self.h_start, len(self.dec_sorted))                   # members by information set
        self.g_cert_slot = _Groups(self.cert_slot_start, len(self.cert_edges))        # edges by (infoset, action)
        self.g_slot_infoset = _Groups(s.h_off[:-1], s.K)                             # slots by information set
        self.h_size_rep = np.repeat(self.h_size, self.h_size)
        # information sets of several nodes (members' positions in dec_sorted, and their groups), and the
        # nodes of single-node ones; None when every information set pools (or none does)
        self.pooled = None
        self.single_nodes = None
        if H and 0 < int((self.h_size > 1).sum()) < H:
            rep = np.repeat(self.h_size > 1, self.h_size)
            sub = np.flatnonzero(rep)
            sizes = self.h_size[self.h_size > 1]
            self.pooled = (sub, _Groups(np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int64), len(sub)))
            self.single_nodes = self.dec_sorted[~rep]
        # the certificate's check of the decision nodes' values: nodes with the most actions first, so that
        # action j of every node that has one is a leading block of rows
        by_k = np.argsort(-s.nchild[self.dec], kind="stable")
        self.cert_dec = self.dec[by_k]
        self.cert_dec_infoset = tree.infoset[self.cert_dec]
        self.cert_dec_ptr = s.ptr[self.cert_dec]
        k_dec = s.nchild[self.cert_dec]
        self.cert_dec_more = [(j, int((k_dec > j).sum()), s.ci[self.cert_dec_ptr[:int((k_dec > j).sum())] + j])
                              for j in range(1, int(k_dec.max()) if len(k_dec) else 0)]
        self.cert_dec_first = s.ci[self.cert_dec_ptr]
        self.choice_dtype = _choice_dtype(int(s.h_nact.max()) if H else 1)
        self.dec_edge_pos_c = self.dec_edge_pos.astype(self.choice_dtype)
        self.chance_groups = _Groups(self.chance_off, len(self.chance_edges)) if self.chance_nodes.size else None
        self._player_groups = {}
        self.term_rows = s.term_nodes
        T = len(s.term_nodes)
        c0 = int(s.term_nodes[0]) if T else 0
        self.term_block = (slice(c0, c0 + T) if T and np.array_equal(s.term_nodes, np.arange(c0, c0 + T))
                           else None)

    def player_groups(self, tree, i):
        """Player *i*'s sequence-form bookkeeping (:meth:`~deterrence.games.profiles._Structure.player_sequences`)
        with the row groups of its sums and maxima built once."""
        got = self._player_groups.get(i)
        if got is None:
            from scipy.sparse import csr_matrix

            (t_order, t_uniq, t_starts), levels = self.s.player_sequences(tree, i)
            T = len(t_order)
            # the sum of the terminals' contributions into each of player i's sequences: one sparse product
            seq_of = np.repeat(t_uniq, np.diff(np.append(t_starts, T)))      # sequence of terminal t_order[j]
            leaf = csr_matrix((np.ones(T), (seq_of, t_order)), shape=(self.s.K + 1, T))
            got = (leaf,
                   [(cols, _Groups(starts, len(cols)), order, uniq, _Groups(gstarts, len(order)))
                    for cols, starts, order, uniq, gstarts in levels])
            self._player_groups[i] = got
        return got

    def describe_violation(self, tree) -> str:
        h = self.violation
        info = tree.infosets[h]
        members = self.dec_sorted[self.h_start[h]:self.h_start[h] + self.h_size[h]]
        x0 = int(members[0])
        x1 = int(next(v for v in members if self.last[v] != self.last[x0]))
        return (f"bayesian_backward_induction needs information sets that hide only nature's moves, but at "
                f"information set {info.label!r} of {tree.players[info.player]} nodes {tree.node_ids[x0]!r} "
                f"({self._move(tree, x0)}) and {tree.node_ids[x1]!r} ({self._move(tree, x1)}) follow different "
                f"player choices; use deterrence.solve.perfect_bayesian for games where beliefs depend on "
                f"strategies (signalling, screening)")

    def _move(self, tree, x) -> str:
        sl = int(self.last[x])
        if sl < 0:
            return "no earlier player move"
        h = int(self.s.slot_infoset[sl])
        info = tree.infosets[h]
        a = sl - int(self.s.h_off[h])
        return f"after {tree.players[info.player]}'s {info.actions[a]!r} at {info.label!r}"


def _structure(tree: GameTree) -> _BayesStructure:
    """The tree's index arrays, built once per tree shape: cached on the tree and on its shared
    :func:`~deterrence.games.profiles.tree_structure` (which every batch a parametric model builds from its
    template shares, so that a sweep does not rebuild them chunk by chunk, nor a per-point loop point by point)."""
    st = tree.__dict__.get("_bayes_structure")
    if st is None:
        s = tree_structure(tree)
        st = s.__dict__.get("_bayes_structure")
        if st is None:
            st = _BayesStructure(tree)
            s.__dict__["_bayes_structure"] = st
        tree.__dict__["_bayes_structure"] = st
    return st


def hides_only_chance(tree: GameTree) -> bool:
    """True when every information set's nodes are reached by the same sequence of player choices
    (they differ only in nature's moves), so :func:`bayesian_backward_induction` applies."""
    if tree.is_perfect_information:
        return True
    return _structure(tree).violation is None


def chance_beliefs(tree: GameTree) -> np.ndarray:
    """Beliefs ``(B, N)`` from chance alone: ``mu(x) = c(x) / sum_{y in h(x)} c(y)`` at decision nodes.

    ``c(x)`` is the product of chance probabilities on the path to ``x``.
    Information sets with zero chance reach at every node get uniform
    beliefs.  Zero at chance and terminal nodes.  For trees in which
    information sets only hide chance moves these are the Bayes beliefs of
    every profile that reaches the information set (and consistent beliefs
    in the sense of Kreps & Wilson 1982 everywhere).
    """
    return np.ascontiguousarray(_chance_beliefs_nm(tree, _structure(tree), tree.chance_probs.T).T)


def _choice_dtype(k: int):
    """The smallest signed integer type that holds action indices below *k* (compact choice arrays)."""
    for t in (np.int8, np.int16, np.int32):
        if k <= np.iinfo(t).max:
            return t
    return np.int64


class _Groups:
    """Groups of consecutive rows (``starts``, ``m`` rows in all), reduced by whole-row operations.

    The groups are taken largest first, so that row position ``j`` of every group that has one is a
    leading block of the output (one whole-block operation per row position, no masks); ``reduceat``
    along the leading axis (slow when the rows are long) only for groups of more than 64 rows.  The
    index arrays are built once per tree shape.
    """

    def __init__(self, starts, m):
        starts = np.asarray(starts, np.int64)
        self.starts = starts
        self.m = int(m)
        self.g = len(starts)
        sizes = np.diff(np.append(starts, m)) if self.g else np.zeros(0, np.int64)
        self.sizes = sizes
        self.identity = self.g == self.m
        self.kmax = int(sizes.max()) if self.g else 0
        self.uniform = bool(self.g) and int(sizes.min()) == self.kmax
        order = np.argsort(-sizes, kind="stable")              # largest groups first
        self.first = starts[order]
        self.inverse = np.argsort(order) if not self.uniform else None
        # row position j = 1 .. kmax - 1: the number of groups that have it, and their rows
        self.more = [(int((sizes > j).sum()), starts[order[:int((sizes > j).sum())]] + j)
                     for j in range(1, self.kmax if self.kmax <= 64 else 0)]

    def reduce(self, op, x):
        """``op.reduceat(x, starts, axis=0)`` (a new array)."""
        if self.identity:
            return x.copy()
        if self.kmax > 64:
            return op.reduceat(x, self.starts, axis=0)
        out = x.take(self.first, axis=0)
        for k, rows in self.more:
            op(out[:k], x.take(rows, axis=0), out=out[:k])
        return out if self.inverse is None else out.take(self.inverse, axis=0)


def _seg(op, x, starts):
    """``op.reduceat(x, starts, axis=0)`` for a node-major array (groups of consecutive rows)."""
    return _Groups(starts, x.shape[0]).reduce(op, x)


def _chance_reach(st, cpT):
    """Chance reach ``c[node, b]``: the product of the chance probabilities on the path to the node,
    from ``cpT[edge, b]`` (top-down, one multiplication per depth level)."""
    s = st.s
    tail = cpT.shape[1:]
    cpx = np.empty((len(st.chance_edge_idx) + 1,) + tail)
    cpx[:-1] = cpT.take(st.chance_edge_idx, axis=0)
    cpx[-1] = 1.0
    c = np.empty((s.ptr.shape[0] - 1,) + tail)
    c[0] = 1.0
    for dest, par, crow, _, has_chance in st.levels:
        if has_chance:
            c[dest] = c.take(par, axis=0) * cpx.take(crow, axis=0)
        else:
            c[dest] = c.take(par, axis=0)
    return c


def _beliefs(st, c):
    """Beliefs from the chance reach: ``mu(x) = c(x) / sum_{y in h(x)} c(y)`` at decision nodes (uniform
    where the information set has chance reach 0), 0 elsewhere; node-major like *c*."""
    mu = np.zeros_like(c)
    if st.s.H:
        cd = c.take(st.dec_sorted, axis=0)
        g = st.g_infoset
        if g.identity:                                   # every information set a single node
            mu[st.dec_sorted] = 1.0
            return mu
        if st.pooled is not None:
            # a single-node information set has belief 1 (c/c, or uniform when c = 0): only the pooled ones divide
            mu[st.single_nodes] = 1.0
            sub, g = st.pooled
            cd = cd.take(sub, axis=0)
        else:
            sub = slice(None)
        tot = g.reduce(np.add, cd)                       # (H, ...)
        size = g.sizes
        tot_e = np.repeat(tot, size, axis=0)
        pos = tot_e > 0
        size = np.repeat(size, size).reshape((-1,) + (1,) * (c.ndim - 1))
        with np.errstate(invalid="ignore", divide="ignore"):
            mu[st.dec_sorted[sub]] = np.where(pos, cd / np.where(pos, tot_e, 1.0), 1.0 / size)
    return mu


def _chance_beliefs_nm(tree, st, cpT):
    """:func:`chance_beliefs` node-major: ``mu[node, b]`` from chance probabilities ``cpT[edge, b]``."""
    return _beliefs(st, _chance_reach(st, cpT))


# ---------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class BayesianEquilibrium(PureTreeSolution):
    """A pure sequential (hence perfect Bayesian) equilibrium per game of a batch, certified
    (a :class:`~deterrence.solve.results.Result`).

    Attributes
    ----------
    profile : BehaviourProfile
        Pure behaviour profile, shape (B, slots); ties broken toward the first action.
    beliefs : ndarray, shape (B or 1, N)
        Belief at every decision node (probability of being at the node given
        its information set is reached); 0 at chance and terminal nodes.  Built
        on first access from ``decision_beliefs``.
    decision_beliefs : ndarray, shape (D, B or 1)
        The beliefs at the decision nodes ``decision_nodes`` (node-major).
    decision_nodes : ndarray of int, shape (D,)
    terminal_probs : ndarray, shape (B, T)
    payoffs : ndarray, shape (B, n)
        Expected equilibrium payoffs.
    regret : ndarray, shape (B,)
        Largest of :attr:`nash_regret` and :attr:`sequential_regret` (the certificate).
    nash_regret : ndarray, shape (B,)
        Gain of the best whole-strategy deviation of any player.
    sequential_regret : ndarray, shape (B,)
        Largest one-shot deviation gain at any information set, given the beliefs.
    unique : ndarray of bool, shape (B,)
        No mover is indifferent at any information set: the unique sequential equilibrium.
    n_ties : ndarray of int, shape (B,)
        Number of information sets with a tie.
    notes : tuple of str
    equilibria : tuple of PureTreeEquilibrium
        Each game's equilibrium as one object with ``outcome()``, ``choice()``, ``path()``.
    """

    tree: GameTree = field(repr=False)
    profile: BehaviourProfile
    decision_beliefs: np.ndarray = field(repr=False)
    decision_nodes: np.ndarray = field(repr=False)
    terminal_probs: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    nash_regret: np.ndarray
    sequential_regret: np.ndarray
    unique: np.ndarray
    n_ties: np.ndarray
    notes: tuple = ()

    method = "Bayesian backward induction"
    enumerated = False
    _concept = "sequential"
    _tie_place = "information set"

    @property
    def beliefs(self) -> np.ndarray:
        """Belief at every node, shape ``(B or 1, N)`` (0 at chance and terminal nodes); built on first access."""
        got = self.__dict__.get("_beliefs")
        if got is None:
            got = np.zeros((self.decision_beliefs.shape[1], self.tree.n_nodes))
            got[:, self.decision_nodes] = self.decision_beliefs.T
            self.__dict__["_beliefs"] = got
        return got

    @property
    def complete(self) -> bool:
        """True when every game of the batch has a unique sequential equilibrium (this one)."""
        return bool(self.unique.all())

    def belief(self, infoset) -> dict:
        """``{node id: (B or 1,) probability}`` at the information set with this label (or index)."""
        t = self.tree
        if isinstance(infoset, (int, np.integer)):
            info = t.infosets[int(infoset)]
        else:
            found = [i for i in t.infosets if i.label == infoset]
            if not found:
                raise SolverError(f"no information set {infoset!r}; information sets are "
                                  f"{[i.label for i in t.infosets][:20]}")
            info = found[0]
        return {t.node_ids[v]: self.beliefs[:, v].copy() for v in info.nodes}

    def __repr__(self) -> str:
        if self.batch_size == 1:
            probs = {k: round(float(v[0]), 6) for k, v in self.outcome_probabilities.items() if v[0] > 0}
            return (f"BayesianEquilibrium({self.outcome(0)}; choice={self.choice(0)}, outcomes={probs}, "
                    f"payoffs={np.round(self.payoffs[0], 6).tolist()}, unique={bool(self.unique[0])}, "
                    f"regret={float(self.regret[0]):.1e})")
        return (f"<BayesianEquilibrium: batch of {self.batch_size}, {int(self.unique.sum())} unique, "
                f"max regret {float(self.regret.max()):.1e}>")


# ---------------------------------------------------------------------- solver
def bayesian_backward_induction(tree: GameTree, *, tol: float = DEFAULT_TOL) -> BayesianEquilibrium:
    """Sequential equilibrium of a tree whose information sets only hide nature's moves (batched).

    Parameters
    ----------
    tree : GameTree
        Every information set's nodes must be reached by the same sequence
        of player (information set, action) choices -- they differ only in
        chance outcomes, e.g. a defender's type the challenger cannot see.
        Perfect-information trees qualify (the result is then the
        backward-induction SPE).  Payoffs ``(B, T, n)`` and chance
        probabilities ``(B, E)`` may be batches.
    tol : float
        A tie at an information set is a gap within ``tol`` times the
        spread of the mover's (belief-weighted) values there plus the
        rounding allowance of the payoffs' magnitude; the certificate allows
        ``tol`` times the largest payoff range of a player plus that
        allowance, per game: invariant under ``u -> a * u + b``
        (:mod:`deterrence.solve.tolerance`).

    Returns
    -------
    BayesianEquilibrium
        Pure profile (ties broken toward the first action; ``unique`` False
        where a mover is indifferent), beliefs from the chance probabilities,
        outcome probabilities, payoffs and certificates.

    Raises
    ------
    SolverError
        If an information set spans different player choices (naming it;
        use :func:`deterrence.solve.perfect_bayesian`).
    CertificateError
        Should the certificate ever fail (a bug, not bad input).

    Notes
    -----
    Source of the method: backward induction with beliefs from Bayes' rule
    (Kreps & Wilson 1982; Fudenberg & Tirole 1991, ch. 8), certified with the
    one-shot deviation principle (Hendon, Jacobsen & Sloth 1996).
    """
    if not isinstance(tree, GameTree):
        raise SolverError(f"bayesian_backward_induction needs a GameTree, got {type(tree).__name__}")
    st = _structure(tree)
    if st.violation is not None:
        raise SolverError(st.describe_violation(tree))
    s = st.s
    P = tree.payoffs
    cp = tree.chance_probs
    Bp, Bc = P.shape[0], cp.shape[0]
    B = max(Bp, Bc)
    n, N, T = tree.n_players, tree.n_nodes, len(s.term_nodes)
    # node-major views (batch axis last): free when the tree was built node-major (ParametricTree does)
    PT = P.transpose(1, 2, 0)                               # (T, n, Bp)
    cT = cp.T                                               # (E, Bc)
    # outputs node-major; the result holds their transposes (views)
    choice = np.empty((s.H, B), st.choice_dtype)
    n_ties = np.empty(B, np.int64)
    terminal_probs = np.empty((T, B))
    payoffs = np.empty((n, B))
    nash = np.empty(B)
    seq = np.empty(B)
    mu_out = np.empty((len(st.dec_sorted), Bc))          # beliefs at the decision nodes
    chunk = _CHUNK or _chunk_games(N, n)
    for lo in range(0, B, chunk):
        hi = min(B, lo + chunk)
        b = hi - lo
        if Bc > 1 or lo == 0:
            cpT = np.ascontiguousarray(cT[:, lo:hi] if Bc > 1 else cT)     # (E, b or 1)
            c = _chance_reach(st, cpT)                                      # (N, b or 1)
            mu = _beliefs(st, c)
            mu_out[:, lo:hi if Bc > 1 else 1] = mu.take(st.dec_sorted, axis=0)
        W = np.empty((N, n, b))
        Pc = PT[:, :, lo:hi] if Bp > 1 else PT
        if st.term_block is not None:
            W[st.term_block] = Pc
        else:
            W[st.term_rows] = Pc
        # the chunk's payoffs (T, n, b or 1), rows contiguous; the certificate reads them, not W's copy
        Pn = Pc if Pc.strides[-1] == Pc.itemsize else np.ascontiguousarray(Pc)
        lim, noise, lim_p = _limits(Pn, tol)
        ch, W, ties = _solve_chunk(tree, st, Pn, cpT, mu, tol, noise, b, W)
        nr, sr, gap, reach_t, ok = _certify(tree, st, Pn, cpT, mu, W, ch, lim, b, tol, lim_p, noise, c=c)
        bad = ~ok | ~(gap <= 1e-9)
        if np.any(bad):
            k = int(np.argmax(bad))
            raise CertificateError(f"internal check failed: Bayesian backward induction on game {lo + k} has regret "
                              f"{float(max(nr[k], sr[k])):.3e} (Nash {float(nr[k]):.1e}, one-shot "
                              f"{float(sr[k]):.1e}, Bayes gap {float(gap[k]):.1e})")
        choice[:, lo:hi] = ch
        n_ties[lo:hi] = ties
        terminal_probs[:, lo:hi] = reach_t
        payoffs[:, lo:hi] = W[0]
        nash[lo:hi] = nr
        seq[lo:hi] = sr
    profile = pure_profile(tree, s, choice.T)
    unique = n_ties == 0
    notes = (() if unique.all() else
             ("ties at some information sets: other sequential equilibria exist (other tie-breaks, and mixing "
              "among tied actions)",))
    return BayesianEquilibrium(tree=tree, profile=profile, decision_beliefs=mu_out, decision_nodes=st.dec_sorted,
                               terminal_probs=terminal_probs.T,
                               payoffs=payoffs.T, regret=np.maximum(nash, seq), nash_regret=nash,
                               sequential_regret=seq, unique=unique, n_ties=n_ties, notes=notes)


#: Games per pass; 0: chosen from the tree's size (:func:`_chunk_games`).
_CHUNK = 0


def _chunk_games(N: int, n: int) -> int:
    """Games per pass for a tree of *N* nodes and *n* players: the largest power of two from 2^10 to 2^13
    with at most 2^20 values ``W[node, player, game]``, so that a chunk's work arrays stay in cache while
    each numpy call still covers many games (measured: 2^11 for the 105-node tripartite crisis, 2^13 for the
    11-node rudimentary deterrence game)."""
    b = 1 << 13
    while b > 1 << 10 and N * n * b > 1 << 20:
        b >>= 1
    return b


def _limits(Pn, tol):
    """Per game of a chunk, from its payoffs ``Pn[terminal, player, game]`` (:mod:`deterrence.solve.tolerance`):
    ``lim`` = ``tol`` times the largest payoff range of a player plus the rounding allowance (as
    :func:`~deterrence.solve.tolerance.tree_tie_scale`), ``noise`` = that rounding allowance, and ``lim_p[i]`` =
    ``tol`` times player i's payoff range plus the rounding allowance of her payoffs ``(n, b)``."""
    hi = Pn.max(axis=0)                                     # (n, b)
    lo = Pn.min(axis=0)
    rng = hi - lo
    mag_p = np.maximum(np.abs(hi), np.abs(lo))              # max |u_i|
    noise = rounding_allowance(mag_p.max(axis=0), tol)      # (b,)
    lim = tol * rng.max(axis=0) + noise
    lim_p = tol * rng + rounding_allowance(mag_p, tol)
    return lim, noise, lim_p


def _first_within(Qr, tol, nz):
    """At each information set (axis 0) and game (axis 2) of ``Qr[h, action, game]``: the first action
    whose value is within the tie gap of the best, and whether another one is too."""
    k = Qr.shape[1]
    best = Qr[:, 0].copy()
    worst = Qr[:, 0].copy()
    for j in range(1, k):
        np.maximum(best, Qr[:, j], out=best)
        np.minimum(worst, Qr[:, j], out=worst)
    thr = best - (tol * (best - worst) + nz)
    near = Qr >= thr[:, None]
    first = np.full(best.shape, k - 1, _choice_dtype(k))
    count = near[:, k - 1].astype(np.int8)
    for j in range(k - 2, -1, -1):
        np.copyto(first, j, where=near[:, j])
        count += near[:, j]
    return first, count > 1


def _solve_chunk(tree, st, P, cpT, mu, tol, nz, b, W=None):
    """Backward induction over stages for ``b`` games, node-major.

    Payoffs ``P[terminal, player, game]``, beliefs ``mu[node, game]``; values ``W[node, player, game]``
    (*W* may come with the terminal rows filled).  Returns the chosen action per information set
    ``(H, b)``, the values ``(N, n, b)`` and the number of ties per game ``(b,)``.
    """
    s = st.s
    n, N = tree.n_players, tree.n_nodes
    if W is None:
        W = np.empty((N, n, b))
        W[st.term_rows] = P
    Wf = W.reshape(N * n, b)
    choice = np.zeros((s.H, b), st.choice_dtype)
    n_ties = np.zeros(b, np.int64)
    for L, dp, groups in st.stages:
        if dp is not None:
            vals = Wf.take(dp["flat"], axis=0)
            vals *= mu.take(dp["x"], axis=0)                                  # (Eh, b)
            Q = vals if dp["one_per_slot"] else _seg(np.add, vals, dp["slot_start"])
            k = dp["k"]
            if k:
                first, ties = _first_within(Q.reshape(len(dp["hs"]), k, b), tol, nz)
            else:
                hst = dp["h_start"]
                best = _seg(np.maximum, Q, hst)
                best_e = np.repeat(best, dp["nact"], axis=0)
                local = np.arange(Q.shape[0])[:, None]
                gap = tol * (best - _seg(np.minimum, Q, hst)) + nz
                near = Q >= best_e - np.repeat(gap, dp["nact"], axis=0)
                # first action within the tie gap (not the float maximiser): scale-free tie-breaking
                first = _seg(np.minimum, np.where(near, local, Q.shape[0]), hst) - hst[:, None]
                ties = _seg(np.add, near.astype(np.int64), hst) > 1
            choice[dp["hs"]] = first
            n_ties += ties.sum(axis=0)
            W[dp["members"]] = select_children(W, s.ci, dp["member_ptr"], dp["member_nch"],
                                                first.take(dp["member_h_local"], axis=0))
        for nodes, edges, kids, grp, k in groups:
            W[nodes] = _chance_sum(W.take(kids, axis=0) * cpT.take(edges, axis=0)[:, None, :], grp, k)
    return choice, W, n_ties


def _chance_sum(weighted, grp, k):
    """Sum of the weighted children of each chance node (consecutive rows, :class:`_Groups` *grp*)."""
    if k == 2:
        return weighted[0::2] + weighted[1::2]
    return grp.reduce(np.add, weighted)


def _certify(tree, st, P, cpT, mu, W, choice, sl, b, tol=0.0, lim_p=None, noise=0.0, c=None):
    """Certificate of a pure profile with beliefs, node-major, for ``b`` games (flat checks, no stage loop).

    (o) the values of the terminals are their payoffs ``P[terminal, player, game]``.  (i) ``W`` are the
    continuation values of the pure profile *choice* ``(H, b)``: every decision node's value is its chosen
    child's and every chance node's is the expected value of its children (with (o), this fixes ``W``);
    a violation raises.  (ii) Sequential rationality given the beliefs *mu*: the largest one-shot deviation
    gain ``max_a Q[h, a] - Q[h, choice[h]]`` with ``Q[h, a] = sum_{x in h} mu(x) W[child(x, a), mover(h)]``
    at every information set, reached or not (Hendon, Jacobsen & Sloth 1996).  (iii) Nash regret: each
    player's sequence-form best response (von Stengel 1996) against the others' and chance's moves minus
    her payoff ``W[root]``.  (iv) Bayes consistency: ``|mu(x) - reach(x) / reach(h)|`` at information sets
    reached with positive probability.

    Reach probabilities: the chance reach ``c(x)`` (the product of chance probabilities on the path;
    computed once per chunk with the beliefs, or here when *c* is not given) times an indicator of the
    players' moves on the path, kept as deviation bits: a node's bits are its parent's or-ed with the bit
    of the mover of the edge into it when that edge is not the profile's choice.  The reach under the
    profile is ``c(x) [bits = 0]``; the reach of the others' and chance's moves, against which player i
    best-responds, is ``c(x) [bits other than i's = 0]`` (exact: the indicators are 0 or 1).  (r) The chance
    reach *c* is checked edge by edge (it is shared with the beliefs and the reported terminal probabilities, so
    the other checks alone would not see it wrong), and the terminal probabilities must reproduce ``W[root]``.

    Returns ``(nash, one-shot, Bayes gap, terminal reach (T, b), ok)``.  ``ok`` says the certificate holds
    (:mod:`deterrence.solve.tolerance`): each player's Nash regret within ``lim_p`` (``tol`` times her payoff
    range plus the rounding allowance of her payoffs; ``(n, b or 1)``) and each one-shot gain within ``tol``
    times the spread of the mover's values at that information set plus *noise*.  Without ``lim_p`` the
    bound is *sl* for both.
    """
    s = st.s
    n, N = tree.n_players, tree.n_nodes
    H = s.H
    sl_b = np.broadcast_to(sl, (b,))
    if c is None:
        c = _chance_reach(st, cpT)
    # (r) the chance reach, shared with the beliefs and the terminal probabilities, checked edge by edge
    # (independently of the top-down pass that computed it): 1 at the root, the parent's times the edge's
    # chance probability below a chance node, the parent's below a decision node
    kc, pc, kd, pd = st.reach_check
    c_err = np.abs(c[0] - 1.0)
    if kc.size:
        want = c.take(pc, axis=0) * cpT.take(st.chance_edge_idx, axis=0)
        c_err = np.maximum(c_err, (np.abs(c.take(kc, axis=0) - want) - 1e-12 * want).max(axis=0))
    if kd.size:
        c_err = np.maximum(c_err, np.abs(c.take(kd, axis=0) - c.take(pd, axis=0)).max(axis=0))
    if np.any(c_err > 0):
        raise CertificateError(f"internal check failed: a node's chance reach is not its parent's times the "
                               f"chance probability of the edge into it (error {float(np.max(c_err)):.3e})")
    # (o) terminal values
    Wt = W[st.term_block] if st.term_block is not None else W.take(st.term_rows, axis=0)
    if not np.array_equal(Wt, np.broadcast_to(P, Wt.shape)):
        raise CertificateError("internal check failed: a terminal's value is not its payoff")
    if H == 0:
        z = np.zeros(b)
        return z, z, z, np.broadcast_to(c.take(st.term_rows, axis=0), (len(st.term_rows), b)), np.ones(b, bool)
    # (i) values of the profile
    ch_dec = choice.take(st.cert_dec_infoset, axis=0)                         # (Nd, b)
    got = W.take(st.cert_dec_first, axis=0)                                   # the first child's values ...
    for j, k, kids_j in st.cert_dec_more:                                     # ... or action j's, where chosen
        np.copyto(got[:k], W.take(kids_j, axis=0), where=(ch_dec[:k] == j)[:, None, :])
    if not np.array_equal(got, W.take(st.cert_dec, axis=0)):
        raise CertificateError("internal check failed: a decision node's value is not the value of its chosen child")
    if st.chance_nodes.size:
        exp = _chance_sum(W.take(st.chance_kids, axis=0) * cpT.take(st.chance_edges, axis=0)[:, None, :],
                          st.chance_groups, st.chance_k)
        err = np.abs(exp - W.take(st.chance_nodes, axis=0)).max(axis=(0, 1))
        if np.any(err > sl_b):
            raise CertificateError(f"internal check failed: a chance node's value is not its expected value "
                                   f"(error {float(np.max(err)):.3e})")
    # (ii) one-shot deviation gains given the beliefs
    Wf = W.reshape(N * n, b)
    vals = Wf.take(st.cert_flat, axis=0)
    vals *= mu.take(st.cert_par, axis=0)
    Q = vals if st.cert_one_per_slot else st.g_cert_slot.reduce(np.add, vals)   # (K, b)
    if st.h_k:
        Qr = Q.reshape(H, st.h_k, b)
        best = Qr[:, 0].copy()
        worst = Qr[:, 0].copy()
        for j in range(1, st.h_k):
            np.maximum(best, Qr[:, j], out=best)
            np.minimum(worst, Qr[:, j], out=worst)
    else:
        best = st.g_slot_infoset.reduce(np.maximum, Q)
        worst = st.g_slot_infoset.reduce(np.minimum, Q)
    cur = Q.reshape(-1).take((s.h_off[:-1, None] + choice) * b + np.arange(b))
    gain = best - cur
    seq = gain.max(axis=0)
    if lim_p is None:
        seq_ok = seq <= sl_b
    else:
        seq_ok = np.all(gain <= tol * (best - worst) + noise, axis=0)
    # (iii) reach: deviation bits top-down, then the chance reach times the indicators
    devs = []
    off = (st.dec_edge_pos_c[:, None] != choice.take(st.dec_edge_infoset, axis=0))     # (Ed, b): not chosen
    for w in range(st.n_words):
        dx = np.empty((len(st.dec_edges) + 1, b), st.word_dtype)
        if st.all_dec_one_word:
            np.multiply(off, st.dec_edge_bit[:, None], out=dx[:-1])
        else:
            dx[:-1] = 0
            rows = st.word_edges[w]
            dx[rows] = off[rows] * st.dec_edge_bit[rows, None]
        dx[-1] = 0
        dev = np.empty((N, b), st.word_dtype)
        dev[0] = 0
        for dest, par, _, drow, _ in st.levels:
            if drow is None:
                dev[dest] = dev.take(par, axis=0)
            else:
                dev[dest] = dev.take(par, axis=0) | dx.take(drow, axis=0)
        devs.append(dev)
    term = st.term_rows
    ct = np.broadcast_to(c.take(term, axis=0), (len(term), b))
    dev_t = [d.take(term, axis=0) for d in devs]
    clean_t = [d == 0 for d in dev_t]                      # no deviation in word w, per terminal
    on_path_t = np.logical_and.reduce(clean_t) if len(clean_t) > 1 else clean_t[0]
    reach_t = ct * on_path_t                               # (T, b): the profile's terminal probabilities
    # the terminal probabilities reproduce the values (i) checked: sum_t reach(t) u_i(t) = W[root, i]
    ev_err = np.abs(np.einsum("tb,tib->ib", reach_t, np.broadcast_to(P, (len(term), n, b))) - W[0])   # (n, b)
    lim_ev = np.broadcast_to(sl_b, (n, b)) if lim_p is None else np.broadcast_to(lim_p, (n, b))
    if np.any(ev_err > lim_ev):
        raise CertificateError(f"internal check failed: the terminal probabilities do not give the profile's "
                               f"payoffs (error {float(np.max(ev_err)):.3e})")
    nash = np.full(b, -np.inf)
    nash_ok = np.ones(b, bool)
    for i in range(n):
        w, bit = divmod(i, st.w_bits)
        others = st.word_dtype(((1 << st.w_bits) - 1) ^ (1 << bit))
        ok_t = (dev_t[w] & others) == 0                      # no deviation by another player of word w
        for v in range(st.n_words):
            if v != w:
                ok_t &= clean_t[v]
        contrib = ct * ok_t
        contrib *= P[:, i]                                   # (T, b): u_i weighted by the others' and chance's reach
        leaf, levels = st.player_groups(tree, i)
        V = np.asarray(leaf @ contrib)                       # (K + 1, b): each own sequence's terminals summed
        for cols, g_max, order, uniq, g_add in levels:
            m = g_max.reduce(np.maximum, V.take(cols, axis=0))
            V[uniq] += g_add.reduce(np.add, m.take(order, axis=0))
        r_i = V[0] - W[0, i]
        np.maximum(nash, r_i, out=nash)
        lim_i = sl_b if lim_p is None else np.broadcast_to(lim_p[i], (b,))
        nash_ok &= r_i <= lim_i
    # (iv) Bayes' rule at reached information sets
    cd = np.broadcast_to(c.take(st.dec_sorted, axis=0), (len(st.dec_sorted), b))
    on_d = [d.take(st.dec_sorted, axis=0) == 0 for d in devs]
    rd = cd * (np.logical_and.reduce(on_d) if len(on_d) > 1 else on_d[0])
    tot = np.repeat(st.g_infoset.reduce(np.add, rd), st.h_size, axis=0)
    pos = tot > 1e-12
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(pos, np.abs(rd / np.where(pos, tot, 1.0) - mu.take(st.dec_sorted, axis=0)), 0.0)
    return nash, seq, gap.max(axis=0), reach_t, nash_ok & seq_ok
