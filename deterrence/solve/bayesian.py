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
``Q[h, a] = sum_{x in h} mu(x) * W[child(x, a), mover(h)]`` with one
``np.add.reduceat`` over edges sorted by (information set, action), picks
the first maximiser (``np.maximum.reduceat`` / ``np.minimum.reduceat``, as
in :mod:`deterrence.solve.spe`), writes the chosen child's value into its
member nodes, then the chance nodes of stage ``L`` are folded bottom-up by
depth.  No Python code runs per node or per game.

Certificate (vectorized, independent second pass): the Nash regret
(:func:`~deterrence.games.profiles.tree_regret`, the sequence-form best
response), the largest one-shot deviation gain at every information set
given the beliefs (reached or not) computed from
:func:`~deterrence.games.profiles.node_values`, and Bayes consistency of the
beliefs at every information set reached with positive probability.

References
----------
D. Kreps & R. Wilson (1982), "Sequential equilibria", *Econometrica* 50: 863-894.
E. Hendon, H. J. Jacobsen & B. Sloth (1996), "The one-shot-deviation principle for
sequential rationality", *Games and Economic Behavior* 12: 274-282.
F. Zagare & D. M. Kilgour (2000), *Perfect Deterrence*, Cambridge UP.
D. Fudenberg & J. Tirole (1991), *Game Theory*, MIT Press, ch. 8.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import SolverError
from ..games.profiles import (BehaviourProfile, _reach_from_edges, best_response_values,
                              node_values, reach_probabilities, tree_structure)
from ..games.tree import CHANCE, DECISION, GameTree
from .results import DEFAULT_TOL
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
                    dec_part = dict(hs=hs, kid=s.ci[e], mover=tree.player[ex], x=ex, slot_start=slot_start,
                                    h_start=h_start_local, nact=nact[hs], members=members,
                                    member_h_local=np.searchsorted(hs, mh), member_ptr=ptr[members])
                # chance nodes of stage L, deepest first, one group per depth
                groups = []
                cn = np.flatnonzero((kind == CHANCE) & (stage == L))
                if cn.size:
                    depths = tree.depth[cn]
                    for d in np.unique(depths)[::-1]:
                        nodes = cn[depths == d]
                        k = np.diff(ptr)[nodes]
                        edges = np.repeat(ptr[nodes], k) + (np.arange(int(k.sum())) - np.repeat(np.cumsum(k) - k, k))
                        groups.append((nodes, edges, s.ci[edges], np.concatenate([[0], np.cumsum(k)[:-1]])))
                self.stages.append((L, dec_part, groups))
        # all decision edges sorted by slot (for the certificate)
        de = np.flatnonzero(s.is_dec_edge)
        o = np.argsort(s.edge_slot[de], kind="stable")
        self.cert_edges = de[o]
        sl = s.edge_slot[self.cert_edges]
        self.cert_slot_start = np.flatnonzero(np.r_[True, sl[1:] != sl[:-1]]) if sl.size else np.zeros(0, np.int64)

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
    st = _structure(tree)
    s = st.s
    ep = np.where(s.is_chance_edge[None], tree.chance_probs, 1.0)
    c = _reach_from_edges(tree, s, ep)                     # (Bc, N)
    mu = np.zeros_like(c)
    if s.H:
        cd = c[:, st.dec_sorted]
        tot = np.add.reduceat(cd, st.h_start, axis=1)      # (Bc, H)
        size = np.repeat(st.h_size, st.h_size)[None]
        tot_e = np.repeat(tot, st.h_size, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mu[:, st.dec_sorted] = np.where(tot_e > 0, cd / np.where(tot_e > 0, tot_e, 1.0), 1.0 / size)
    return mu


# ---------------------------------------------------------------------- result
@dataclass(frozen=True, eq=False)
class BayesianEquilibrium(PureTreeSolution):
    """A pure sequential (hence perfect Bayesian) equilibrium per game of a batch, certified.

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
    note : str
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
    note: str = ""

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
            return (f"BayesianEquilibrium(choice={self.choice(0)}, outcomes={probs}, "
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
        Ties and the certificate use ``tol * max(1, max |payoff|)`` per game.

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
        use :func:`deterrence.solve.perfect_bayesian`), or, should it ever
        happen, if the certificate fails.

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
    B = max(P.shape[0], cp.shape[0])
    n, N = tree.n_players, tree.n_nodes
    scale = np.maximum(1.0, np.abs(P).reshape(P.shape[0], -1).max(-1)) if P.size else np.ones(P.shape[0])
    slack = (tol * scale)[:, None]
    mu = chance_beliefs(tree)                               # (Bc, N)
    W = np.empty((B, N, n))
    W[:, s.term_nodes] = P
    choice = np.zeros((B, s.H), np.int64)
    n_ties = np.zeros(B, np.int64)
    rows = np.arange(B)[:, None]
    Wf = W.reshape(B, N * n)
    for L, dp, groups in st.stages:
        if dp is not None:
            vals = Wf[:, dp["kid"] * n + dp["mover"]] * mu[:, dp["x"]]     # (B, Eh)
            Q = np.add.reduceat(vals, dp["slot_start"], axis=1)             # (B, slots of stage L)
            hst = dp["h_start"]
            best = np.maximum.reduceat(Q, hst, axis=1)
            best_e = np.repeat(best, dp["nact"], axis=1)
            local = np.arange(Q.shape[1])
            first = np.minimum.reduceat(np.where(Q >= best_e, local, Q.shape[1]), hst, axis=1)
            ties = np.add.reduceat((Q >= best_e - slack).astype(np.int64), hst, axis=1) > 1
            a = first - hst
            choice[:, dp["hs"]] = a
            n_ties += ties.sum(1)
            kids = s.ci[dp["member_ptr"][None] + a[:, dp["member_h_local"]]]   # (B, members)
            W[:, dp["members"]] = W[rows, kids]
        for nodes, edges, kids, off in groups:
            pe = np.broadcast_to(cp[:, edges], (B, len(edges)))
            W[:, nodes] = np.add.reduceat(W[:, kids] * pe[..., None], off, axis=1)
    profile = BehaviourProfile.from_pure(tree, choice)
    # ---- certificate (independent pass): node values and reach of the profile, recomputed
    seq, bayes_gap, W2, reach = _sequential_check(tree, st, profile, mu)
    # Nash regret (as in tree_regret): best-response value minus the profile's expected payoff
    nash = np.max(best_response_values(tree, profile) - W2[:, 0], axis=1)
    reg = np.maximum(nash, seq)
    lim = tol * scale
    bad = ~(np.broadcast_to(reg, (B,)) <= np.broadcast_to(lim, (B,))) | ~(np.broadcast_to(bayes_gap, (B,)) <= 1e-9)
    if np.any(bad):
        b = int(np.argmax(bad))
        raise SolverError(f"internal check failed: Bayesian backward induction on game {b} has regret "
                          f"{float(np.broadcast_to(reg, (B,))[b]):.3e} (Bayes gap "
                          f"{float(np.broadcast_to(bayes_gap, (B,))[b]):.1e})")
    unique = n_ties == 0
    note = ("unique sequential equilibrium" if unique.all() else
            "ties at some information sets: other sequential equilibria exist (other tie-breaks, and mixing "
            "among tied actions)")
    return BayesianEquilibrium(tree=tree, profile=profile, beliefs=mu, terminal_probs=reach[:, s.term_nodes],
                               payoffs=W[:, 0].copy(), regret=np.broadcast_to(reg, (B,)).copy(),
                               nash_regret=np.broadcast_to(nash, (B,)).copy(),
                               sequential_regret=np.broadcast_to(seq, (B,)).copy(), unique=unique, n_ties=n_ties,
                               note=note)


def _sequential_check(tree, st, profile, mu):
    """One-shot deviation gains at every information set given beliefs *mu*, and the gap between *mu*
    and Bayes' rule at reached information sets, both ``(B,)``; also the profile's node values
    ``(B, N, n)`` (:func:`~deterrence.games.profiles.node_values`, not the solver's) and reach
    probabilities ``(B, N)``."""
    s = st.s
    W = node_values(tree, profile)                          # (B, N, n)
    B, N, n = W.shape
    if s.H == 0:
        return np.zeros(B), np.zeros(B)
    e = st.cert_edges
    par = s.eparent[e]
    vals = W.reshape(B, N * n)[:, s.ci[e] * n + tree.player[par]] * mu[:, par]
    Q = np.add.reduceat(vals, st.cert_slot_start, axis=1)  # (B, K): slots in order 0..K-1
    best = np.maximum.reduceat(Q, s.h_off[:-1], axis=1)
    cur = np.add.reduceat(Q * profile.flat, s.h_off[:-1], axis=1)
    seq = (best - cur).max(axis=1)
    # Bayes' rule at reached information sets
    r = reach_probabilities(tree, profile)                  # (B, N)
    rd = r[:, st.dec_sorted]
    tot = np.repeat(np.add.reduceat(rd, st.h_start, axis=1), st.h_size, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        gap = np.where(tot > 1e-12, np.abs(rd / np.where(tot > 0, tot, 1.0) - mu[:, st.dec_sorted]), 0.0)
    return seq, gap.max(axis=1), W, r
