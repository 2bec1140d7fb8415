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
``_CHUNK`` games so that the work arrays of a chunk stay in cache.

Certificate (vectorized, independent of the solver's stage loop; flat passes
over all nodes and edges of a chunk): (i) the values are those of the pure
profile (every decision node's value is its chosen child's, every chance
node's is the expectation of its children's); (ii) the largest one-shot
deviation gain at every information set given the beliefs (reached or not);
(iii) the Nash regret, each player's sequence-form best response against the
others' and chance's moves (as :func:`~deterrence.games.profiles.tree_regret`)
minus her equilibrium payoff; (iv) Bayes consistency of the beliefs at every
information set reached with positive probability.  A failure raises
:class:`~deterrence.errors.SolverError`.

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
                        groups.append((nodes, edges, s.ci[edges], np.concatenate([[0], np.cumsum(k)[:-1]]),
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
    st = tree.__dict__.get("_bayes_structure")
    if st is None:
        st = _BayesStructure(tree)
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


def _seg(op, x, starts):
    """``op.reduceat(x, starts, axis=0)`` for a node-major array (groups of consecutive rows).

    With at most 8 rows per group this is one whole-row operation per row position (``reduceat``
    along the leading axis is slow when the rows are long); otherwise ``reduceat``.
    """
    m = x.shape[0]
    g = len(starts)
    if g == m:
        return x.copy()
    sizes = np.diff(np.append(starts, m))
    kmax = int(sizes.max())
    if kmax > 8:
        return op.reduceat(x, starts, axis=0)
    out = x.take(starts, axis=0)
    if int(sizes.min()) == kmax:
        for j in range(1, kmax):
            op(out, x.take(starts + j, axis=0), out=out)
        return out
    for j in range(1, kmax):
        has = np.flatnonzero(sizes > j)
        out[has] = op(out[has], x.take(starts[has] + j, axis=0))
    return out


def _reach_nm(s, ep, shape_tail):
    """Reach probabilities node-major: ``r[node, ...]`` from edge probabilities ``ep[edge, ...]``
    (top-down, one multiplication per depth level; breadth-first order makes the children of a
    level a contiguous block of rows)."""
    r = np.empty((s.ptr.shape[0] - 1,) + shape_tail)
    r[0] = 1.0
    for lo, hi, elo, ehi in s.edge_levels():
        kids = s.ci[elo:ehi]
        c0 = int(kids[0])
        if np.array_equal(kids, np.arange(c0, c0 + len(kids))):
            np.multiply(r.take(s.eparent[elo:ehi], axis=0), ep[elo:ehi], out=r[c0:c0 + len(kids)])
        else:
            r[kids] = r.take(s.eparent[elo:ehi], axis=0) * ep[elo:ehi]
    return r


def _chance_beliefs_nm(tree, st, cpT):
    """:func:`chance_beliefs` node-major: ``mu[node, b]`` from chance probabilities ``cpT[edge, b]``."""
    s = st.s
    ep = np.ones(cpT.shape)
    ep[st.chance_edge_idx] = cpT[st.chance_edge_idx]
    c = _reach_nm(s, ep, cpT.shape[1:])                   # (N, Bc)
    mu = np.zeros_like(c)
    if s.H:
        cd = c[st.dec_sorted]
        tot = _seg(np.add, cd, st.h_start)      # (H, Bc)
        size = np.repeat(st.h_size, st.h_size)[:, None]
        tot_e = np.repeat(tot, st.h_size, axis=0)
        pos = tot_e > 0
        with np.errstate(invalid="ignore", divide="ignore"):
            mu[st.dec_sorted] = np.where(pos, cd / np.where(pos, tot_e, 1.0), 1.0 / size)
    return mu


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
        its information set is reached); 0 at chance and terminal nodes.
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
    beliefs: np.ndarray
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
    # scale-free tolerances (deterrence.solve.tolerance): ties at an information set are gaps within
    # tol times the spread of the mover's values there plus the rounding allowance; the certificate
    # allows tol times the largest payoff range of a player plus the rounding allowance, per game
    rel, noise = tree_tie_scale(P, tol)
    lim = rel + noise                                       # (Bp,)
    # per player: tol times her payoff range plus the rounding allowance of her payoffs (Nash certificate)
    lim_p = tol * (P.max(axis=1) - P.min(axis=1)) + rounding_allowance(np.abs(P).max(axis=1), tol)   # (Bp, n)
    choice = np.empty((B, s.H), np.int64)
    n_ties = np.empty(B, np.int64)
    terminal_probs = np.empty((B, T))
    payoffs = np.empty((B, n))
    nash = np.empty(B)
    seq = np.empty(B)
    mu_out = np.empty((Bc, N))
    for lo in range(0, B, _CHUNK):
        hi = min(B, lo + _CHUNK)
        Pc = P[lo:hi] if Bp > 1 else P
        cc = cp[lo:hi] if Bc > 1 else cp
        sl = lim[lo:hi] if Bp > 1 else lim
        nz = noise[lo:hi] if Bp > 1 else noise
        lp = lim_p[lo:hi] if Bp > 1 else lim_p
        if Bc > 1 or lo == 0:
            cpT = np.ascontiguousarray(cc.T)                # (E, b or 1)
            mu = _chance_beliefs_nm(tree, st, cpT)           # (N, b or 1)
            mu_out[lo:hi] = mu.T
        b = hi - lo
        ch, W, ties = _solve_chunk(tree, st, Pc, cpT, mu, tol, nz, b)
        nr, sr, gap, reach, ok = _certify(tree, st, Pc, cpT, mu, W, ch, sl, b, tol, lp, nz)
        bad = ~ok | ~(gap <= 1e-9)
        if np.any(bad):
            k = int(np.argmax(bad))
            raise CertificateError(f"internal check failed: Bayesian backward induction on game {lo + k} has regret "
                              f"{float(max(nr[k], sr[k])):.3e} (Nash {float(nr[k]):.1e}, one-shot "
                              f"{float(sr[k]):.1e}, Bayes gap {float(gap[k]):.1e})")
        choice[lo:hi] = ch.T
        n_ties[lo:hi] = ties
        terminal_probs[lo:hi] = reach[s.term_nodes].T
        payoffs[lo:hi] = W[0].T
        nash[lo:hi] = nr
        seq[lo:hi] = sr
    profile = pure_profile(tree, s, choice)
    unique = n_ties == 0
    notes = (() if unique.all() else
             ("ties at some information sets: other sequential equilibria exist (other tie-breaks, and mixing "
              "among tied actions)",))
    return BayesianEquilibrium(tree=tree, profile=profile, beliefs=mu_out, terminal_probs=terminal_probs,
                               payoffs=payoffs, regret=np.maximum(nash, seq), nash_regret=nash,
                               sequential_regret=seq, unique=unique, n_ties=n_ties, notes=notes)


#: Games per pass: node-major work arrays of a chunk stay in cache (the batch axis is the last axis).
_CHUNK = 1 << 13


def _solve_chunk(tree, st, P, cpT, mu, tol, nz, b):
    """Backward induction over stages for ``b`` games, node-major.

    Values ``W[node, player, game]``, beliefs ``mu[node, game]``; returns the chosen action per
    information set ``(H, b)``, the values ``(N, n, b)`` and the number of ties per game ``(b,)``.
    """
    s = st.s
    n, N = tree.n_players, tree.n_nodes
    W = np.empty((N, n, b))
    W[s.term_nodes] = P.transpose(1, 2, 0)
    Wf = W.reshape(N * n, b)
    choice = np.zeros((s.H, b), np.int64)
    n_ties = np.zeros(b, np.int64)
    for L, dp, groups in st.stages:
        if dp is not None:
            vals = Wf.take(dp["flat"], axis=0)
            vals *= mu.take(dp["x"], axis=0)                                  # (Eh, b)
            Q = vals if dp["one_per_slot"] else _seg(np.add, vals, dp["slot_start"])
            k = dp["k"]
            if k:
                Qr = Q.reshape(len(dp["hs"]), k, b)
                best = Qr.max(axis=1)
                gap = tol * (best - Qr.min(axis=1)) + nz
                near = Qr >= (best - gap)[:, None]
                first = near.argmax(axis=1)             # first action within the tie gap: scale-free
                ties = near.sum(axis=1) > 1
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
        for nodes, edges, kids, off, k in groups:
            W[nodes] = chance_values(W.take(kids, axis=0) * cpT.take(edges, axis=0)[:, None, :], off, k)
    return choice, W, n_ties


def _certify(tree, st, P, cpT, mu, W, choice, sl, b, tol=0.0, lim_p=None, noise=0.0):
    """Certificate of a pure profile with beliefs, node-major, for ``b`` games (flat checks, no stage loop).

    (i) ``W`` are the continuation values of the pure profile *choice*: every decision node's value is
    its chosen child's and every chance node's is the expected value of its children (with the
    terminal payoffs, which fixes ``W``); a violation raises.  (ii) Sequential rationality given the
    beliefs *mu*: the largest one-shot deviation gain ``max_a Q[h, a] - Q[h, choice[h]]`` with
    ``Q[h, a] = sum_{x in h} mu(x) W[child(x, a), mover(h)]`` at every information set, reached or
    not (Hendon, Jacobsen & Sloth 1996).  (iii) Nash regret: each player's sequence-form best response
    (von Stengel 1996) against the others' and chance's moves minus her payoff ``W[root]``.  (iv) Bayes
    consistency: ``|mu(x) - reach(x) / reach(h)|`` at information sets reached with positive probability.

    Returns ``(nash, one-shot, Bayes gap, reach, ok)`` with the first three and ``ok`` ``(b,)`` and
    ``reach`` ``(N, b)``.  ``ok`` says the certificate holds (:mod:`deterrence.solve.tolerance`): each
    player's Nash regret within ``lim_p`` (``tol`` times her payoff range plus the rounding allowance of
    her payoffs; ``(b or 1, n)``) and each one-shot gain within ``tol`` times the spread of the mover's
    values at that information set plus *noise*.  Without ``lim_p`` the bound is *sl* for both.
    """
    s = st.s
    n, N = tree.n_players, tree.n_nodes
    H = s.H
    sl_b = np.broadcast_to(sl, (b,))
    if H == 0:
        z = np.zeros(b)
        ep = np.broadcast_to(cpT, (s.E, b))
        return z, z, z, _reach_nm(s, ep, (b,)), np.ones(b, bool)
    # (i) values of the profile
    dec = st.dec
    ch_dec = choice.take(st.dec_infoset, axis=0)                              # (Nd, b)
    got = select_children(W, s.ci, s.ptr[dec], s.nchild[dec], ch_dec)
    if not np.array_equal(got, W.take(dec, axis=0)):
        raise CertificateError("internal check failed: a decision node's value is not the value of its chosen child")
    if st.chance_nodes.size:
        exp = chance_values(W.take(st.chance_kids, axis=0) * cpT.take(st.chance_edges, axis=0)[:, None, :],
                             st.chance_off, st.chance_k)
        err = np.abs(exp - W.take(st.chance_nodes, axis=0)).max(axis=(0, 1))
        if np.any(err > sl_b):
            raise CertificateError(f"internal check failed: a chance node's value is not its expected value "
                              f"(error {float(np.max(err)):.3e})")
    # (ii) one-shot deviation gains given the beliefs
    Wf = W.reshape(N * n, b)
    vals = Wf.take(st.cert_flat, axis=0)
    vals *= mu.take(st.cert_par, axis=0)
    Q = vals if st.cert_one_per_slot else _seg(np.add, vals, st.cert_slot_start)   # (K, b)
    if st.h_k:
        best = Q.reshape(H, st.h_k, b).max(axis=1)
        worst = Q.reshape(H, st.h_k, b).min(axis=1)
    else:
        best = _seg(np.maximum, Q, s.h_off[:-1])
        worst = _seg(np.minimum, Q, s.h_off[:-1])
    cur = Q.reshape(-1).take((s.h_off[:-1, None] + choice) * b + np.arange(b))
    seq = (best - cur).max(axis=0)
    if lim_p is None:
        seq_ok = seq <= sl_b
    else:
        seq_ok = np.all(best - cur <= tol * (best - worst) + noise, axis=0)
    # (iii) Nash regret: reach of every node under the profile (column n) and, for each player i,
    # under the others' and chance's moves only (column i)
    ep1 = np.empty((s.E, b))
    ep1[st.chance_edge_idx] = cpT.take(st.chance_edge_idx, axis=0)
    ep1[st.dec_edges] = st.dec_edge_pos[:, None] == choice.take(st.dec_edge_infoset, axis=0)
    ep = np.repeat(ep1[:, None, :], n + 1, axis=1)                           # (E, n + 1, b)
    for i in range(n):
        ep[st.own_edge_idx[i], i] = 1.0
    R = _reach_nm(s, ep, (n + 1, b))                                         # (N, n + 1, b)
    reach = R[:, n]
    Rt = R.take(s.term_nodes, axis=0)
    nash = np.full(b, -np.inf)
    nash_ok = np.ones(b, bool)
    for i in range(n):
        (t_order, t_uniq, t_starts), levels = s.player_sequences(tree, i)
        contrib = Rt[:, i] * P[:, :, i].T                                      # (T, b)
        V = np.zeros((s.K + 1, b))
        V[t_uniq] = _seg(np.add, contrib.take(t_order, axis=0), t_starts)
        for cols, starts, order, uniq, gstarts in levels:
            m = _seg(np.maximum, V.take(cols, axis=0), starts)
            V[uniq] += _seg(np.add, m.take(order, axis=0), gstarts)
        np.maximum(nash, V[0] - W[0, i], out=nash)
        lim_i = sl_b if lim_p is None else np.broadcast_to(lim_p[:, i], (b,))
        nash_ok &= V[0] - W[0, i] <= lim_i
    # (iv) Bayes' rule at reached information sets
    rd = reach.take(st.dec_sorted, axis=0)
    tot = np.repeat(_seg(np.add, rd, st.h_start), st.h_size, axis=0)
    pos = tot > 1e-12
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(pos, np.abs(rd / np.where(pos, tot, 1.0) - mu.take(st.dec_sorted, axis=0)), 0.0)
    return nash, seq, gap.max(axis=0), reach, nash_ok & seq_ok
