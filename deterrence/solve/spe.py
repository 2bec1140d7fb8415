"""Subgame-perfect equilibrium of perfect-information game trees by backward induction.

In a finite game of perfect information (every information set a single
node), possibly with chance moves, backward induction finds a pure-strategy
subgame-perfect equilibrium: at the last decision nodes the mover picks an
action with the highest payoff for her, chance nodes are replaced by their
expected values, and the procedure moves up one level at a time (Kuhn 1953;
Selten 1965, 1975; Osborne & Rubinstein 1994, Prop. 99.2).  When no mover is
ever indifferent the SPE is unique; ties produce further pure SPE (every
tie-breaking choice, whose consequences propagate upwards) and, mixing among
tied actions, mixed SPE.

Implementation
--------------
The tree's flat arrays are in breadth-first order, so each depth level is a
contiguous block of nodes whose children form a contiguous block of edges.
One level costs a ``np.maximum.reduceat`` over the mover's payoffs of the
children, a ``np.minimum.reduceat`` for the first maximiser (the tie-break:
the first action in the tree's action order) and a ``np.add.reduceat`` of
chance-weighted child values.  The batch axis (payoffs ``(B, T, n)``) is
carried through, so a sweep of many parameter points is one call.

Values are kept node-major (``V[node, player]``, or ``V[node, player, game]``
for a batch), so each level is a few whole-array operations; a level whose
decision nodes all have the same number of actions is a reshape and an
``argmax`` (first maximiser) instead of ``reduceat`` calls.

Every result is certified by flat checks over all nodes at once (no level
loop): every decision node's value is that of its chosen child, every chance
node's value is its expected value (so the values are the profile's
continuation values), and the largest one-shot deviation gain over all
decision edges lies below the tolerance (one-shot deviation principle).
:func:`deterrence.games.profiles.subgame_regret` computes the same regret for
any profile from scratch.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import product

import numpy as np

from ..deprecation import warn_deprecated
from ..errors import CertificateError, SolverError
from ..games.node_arrays import chance_values, select_children
from ..games.profiles import (BehaviourProfile, expected_payoffs, pure_profile, reach_probabilities,
                              require_perfect_information, subgame_regret, tree_structure)
from ..games.tree import CHANCE, DECISION, GameTree
from .results import DEFAULT_TOL
from .tolerance import tree_tie_scale
from .tree_results import PureTreeSolution

__all__ = ["subgame_perfect", "SubgamePerfectEquilibrium", "backward_induction"]

#: Default cap on the number of pure SPE enumerated with ``all_equilibria=True``.
MAX_EQUILIBRIA = 10_000


@dataclass(frozen=True, eq=False)
class SubgamePerfectEquilibrium(PureTreeSolution):
    """Pure subgame-perfect equilibria, certified (a :class:`~deterrence.solve.results.Result`).

    One row per game of a batch (the SPE that breaks ties toward the first
    action), or, with ``all_equilibria=True``, one row per pure SPE of the
    one game (``enumerated``; row 0 is the tie-broken one).

    Attributes
    ----------
    choice_index : ndarray of int, shape (K, H)
        The action chosen at every information set.
    profile : BehaviourProfile
        The same as pure behaviour profiles, shape (K, slots) (a property).
    terminal_probs : ndarray, shape (K, T)
        Probability of each terminal on the equilibrium path (chance included).
    payoffs : ndarray, shape (K, n)
        Expected equilibrium payoff of each player.
    regret : ndarray, shape (K,)
        Largest one-shot deviation gain at any decision node (the certificate).
    unique : ndarray of bool, shape (K,)
        True when no mover is indifferent (within tolerance) at any decision
        node, so this is the only SPE; False when ties create other pure SPE
        (and mixed SPE).
    n_ties : ndarray of int, shape (K,)
        Number of decision nodes with a tie.
    equilibria : tuple of PureTreeEquilibrium
        Every row as one equilibrium with ``outcome()``, ``choice()``, ``path()``.
    complete : bool
        True when :attr:`equilibria` holds every pure SPE (or, without
        enumeration, when every game of the batch has a unique SPE).
    notes : tuple of str
        What is and is not covered.
    enumerated : bool
        True when the rows are every pure SPE of one game.
    """

    tree: GameTree = field(repr=False)
    choice_index: np.ndarray = field(repr=False)
    terminal_probs: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    unique: np.ndarray
    n_ties: np.ndarray
    complete: bool = True
    notes: tuple = ()
    enumerated: bool = False

    method = "backward induction"

    @cached_property
    def profile(self) -> BehaviourProfile:
        """The pure behaviour profiles, shape (K, slots) (built on first use: sweeps never need it)."""
        return pure_profile(self.tree, tree_structure(self.tree), self.choice_index)

    def __repr__(self) -> str:
        if self._rows == 1:
            return (f"SubgamePerfectEquilibrium({self.outcome(0)}; payoffs={np.round(self.payoffs[0], 6).tolist()}, "
                    f"unique={bool(self.unique[0])}, regret={float(self.regret[0]):.1e})")
        if self.enumerated:
            return (f"<SubgamePerfectEquilibrium: all {self._rows} pure SPE of one game"
                    f"{'' if self.complete else ' (capped)'}: "
                    + "; ".join(f"[{k}] {self.outcome(k).split(' [')[0]}" for k in range(min(self._rows, 5)))
                    + ("; ..." if self._rows > 5 else "") + ">")
        return (f"<SubgamePerfectEquilibrium: batch of {self.batch_size}, {int(self.unique.sum())} with a unique SPE, "
                f"max regret {float(self.regret.max()):.1e}>")

    def __str__(self) -> str:
        if self._rows > 1 and self.enumerated:
            return "\n".join([f"{self._rows} pure subgame-perfect equilibria" + ("" if self.complete else " (capped)")]
                             + [f"  [{k}] {self.outcome(k).split(' [')[0]} | {self.choice(k)}" for k in range(self._rows)]
                             + [f"  note: {n}" for n in self.notes])
        return repr(self)



def __getattr__(name):
    if name == "SPEResult":
        warn_deprecated("deterrence.solve.spe.SPEResult", "SubgamePerfectEquilibrium")
        return SubgamePerfectEquilibrium
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _Levels:
    """Per-depth-level index arrays for backward induction (shape only; cached on the tree structure).

    For each level with children, bottom-up: the decision nodes with their
    child edges (contiguous per node), their number of children when it is
    the same for all of them (then the level is a reshape instead of a
    ``reduceat``), and the chance nodes with their child edges.
    """

    def __init__(self, tree: GameTree, s):
        kind, ptr, player = tree.kind, tree.child_ptr, tree.player
        n = tree.n_players
        self.levels = []
        for lo, hi, elo, ehi in reversed(s.edge_levels()):
            nt = lo + np.flatnonzero(s.nchild[lo:hi] > 0)
            dec = nt[kind[nt] == DECISION]
            ch = nt[kind[nt] == CHANCE]
            dpart = self._part(s, ptr, dec, elo, ehi, len(dec) == len(nt))
            # flat index (node * n + mover) of the mover's value at each child
            dinfo = None if dpart is None else (dpart[2] * n + np.repeat(player[dec], dpart[4]), tree.infoset[dec])
            self.levels.append((dpart, self._part(s, ptr, ch, elo, ehi, len(ch) == len(nt)), dinfo))
        dec = np.flatnonzero(kind == DECISION)
        self.dec = dec
        self.dec_infoset = tree.infoset[dec]
        self.dec_player = player[dec]
        self.dec_first_edge = ptr[dec]
        de = np.flatnonzero(s.is_dec_edge)
        self.dec_edges = de
        mover = player[s.eparent[de]]
        self.dec_edge_child_flat = s.ci[de] * n + mover       # mover's value at the child
        self.dec_edge_parent_flat = s.eparent[de] * n + mover  # ... and at the node
        self.dec_edge_pos = s.epos[de]
        self.dec_edge_infoset = tree.infoset[s.eparent[de]]
        self.chance = self._part(s, ptr, np.flatnonzero(kind == CHANCE), 0, 0, False)
        self.chance_edges = np.flatnonzero(s.is_chance_edge)

    @staticmethod
    def _part(s, ptr, nodes, elo, ehi, whole):
        if not len(nodes):
            return None
        nch = s.nchild[nodes]
        if whole:
            edges = np.arange(elo, ehi)
        else:
            starts = np.cumsum(nch) - nch
            edges = np.repeat(ptr[nodes] - starts, nch) + np.arange(int(nch.sum()))
        off = np.cumsum(nch) - nch
        k = int(nch[0]) if np.all(nch == nch[0]) else 0
        return nodes, edges, s.ci[edges], off, nch, k


def _levels(tree: GameTree, s) -> _Levels:
    lv = s.__dict__.get("_spe_levels")
    if lv is None:
        lv = _Levels(tree, s)
        s.__dict__["_spe_levels"] = lv
    return lv


def _solve(tree: GameTree, tol: float):
    """Backward induction and its certificate in node-major layout.

    Values are stored as ``V[node, player]`` (unbatched) or ``V[node, player,
    game]`` (batched), so every level is a handful of whole-array operations
    over the nodes of the level and the games of the batch.

    Returns ``(choice, V, n_ties, regret, slack, chance probabilities by edge)`` with ``choice[h]`` (or
    ``choice[h, b]``) the chosen action index.
    """
    require_perfect_information(tree, "subgame_perfect")
    s = tree_structure(tree)
    lv = _levels(tree, s)
    P = tree.payoffs
    cp = tree.chance_probs
    Bp, Bc = P.shape[0], cp.shape[0]
    B = max(Bp, Bc)
    batched = B > 1
    n = tree.n_players
    N = tree.n_nodes
    # scale-free tolerances (deterrence.solve.tolerance): a tie at a node is a gap within tol times the
    # spread of the mover's values there plus the rounding allowance; the certificate allows tol times
    # the largest payoff range of a player plus the rounding allowance, per game
    rel, noise = tree_tie_scale(P, tol)                            # (Bp,) each
    slack = rel + noise                                            # (Bp,)
    if batched:
        V = np.empty((N, n, B))
        V[s.term_nodes] = P.transpose(1, 2, 0)                     # broadcasts a single payoff table
        cpT = np.ascontiguousarray(cp.T)                          # (E, Bc)
        sl = np.broadcast_to(slack, (B,))
        nz = np.broadcast_to(noise, (B,))
        choice = np.zeros((s.H, B), np.int64)
        n_ties = np.zeros(B, np.int64)
    else:
        V = np.empty((N, n))
        V[s.term_nodes] = P[0]
        cpT = cp[0]
        sl = float(slack[0])
        nz = float(noise[0])
        choice = np.zeros(s.H, np.int64)
        n_ties = np.zeros((), np.int64)
    Vf = V.reshape((N * n,) + V.shape[2:])                        # rows node * n + player
    for dpart, cpart, dinfo in lv.levels:
        if dpart is not None:
            nodes, edges, kids, off, nch, k = dpart
            vidx, infoset_n = dinfo
            vals = Vf.take(vidx, axis=0)                           # (Ed,) or (Ed, B)
            if k:
                vv = vals.reshape((len(nodes), k) + vals.shape[1:])
                best = vv.max(axis=1)
                gap = tol * (best - vv.min(axis=1)) + nz
                near = vv >= (best - gap)[:, None]
                first = near.argmax(axis=1)            # first action within the tie gap: scale-free
                ties = near.sum(axis=1) > 1
            else:
                best = np.maximum.reduceat(vals, off, axis=0)
                best_e = np.repeat(best, nch, axis=0)
                local = np.arange(len(edges)).reshape((-1,) + (1,) * (vals.ndim - 1))
                gap = tol * (best - np.minimum.reduceat(vals, off, axis=0)) + nz
                near = vals >= best_e - np.repeat(gap, nch, axis=0)
                # the first action within the tie gap (not the float maximiser): scale-free tie-breaking
                first = np.minimum.reduceat(np.where(near, local, len(edges)), off, axis=0)
                first -= off.reshape((-1,) + (1,) * (vals.ndim - 1))
                ties = np.add.reduceat(near.astype(np.int64), off, axis=0) > 1
            if batched:
                V[nodes] = select_children(V, s.ci, edges[off], nch, first)
            else:
                V[nodes] = V.take(kids[off + first], axis=0)
            choice[infoset_n] = first
            n_ties += ties.sum(axis=0)
        if cpart is not None:
            nodes, edges, kids, off, nch, k = cpart
            pe = cpT[edges]
            pe = pe[:, None, :] if batched else pe[:, None]
            V[nodes] = chance_values(V.take(kids, axis=0) * pe, off, k)
    regret = _certify(tree, s, lv, V, choice, cpT, sl, batched, tol, nz)
    return choice, V, n_ties, regret, slack, cpT


def _certify(tree, s, lv, V, choice, cpT, sl, batched, tol=None, noise=None):
    """Check the backward-induction output directly against the one-shot deviation principle.

    Three flat passes over all nodes at once (no level loop): (i) the value
    of every decision node equals the value of the child its chosen action
    leads to; (ii) the value of every chance node equals the
    probability-weighted value of its children; together with the terminal
    payoffs this makes ``V`` the continuation values of the pure profile
    ``choice``; (iii) no mover gains from a one-shot deviation: the largest
    ``V[child, mover] - V[node, mover]`` over all decision edges is the
    certificate (Fudenberg & Tirole 1991, Thm 4.1; Osborne & Rubinstein
    1994, Lemma 98.2).  Raises CertificateError when (i) or (ii) fails or (iii)
    exceeds the tolerance; returns the one-shot regret per game.  With *tol*
    and *noise* (per game) the tolerance of a gain at a node is ``tol`` times
    the spread of the mover's values over that node's children plus *noise*
    (:mod:`deterrence.solve.tolerance`); otherwise it is *sl*.
    """
    nb = V.shape[2] if batched else None
    if lv.dec.size:
        ch = choice[lv.dec_infoset]                                         # (Nd,) or (Nd, B)
        if batched:
            got = select_children(V, s.ci, lv.dec_first_edge, s.nchild[lv.dec], ch)
        else:
            got = V.take(s.ci[lv.dec_first_edge + ch], axis=0)
        if not np.array_equal(got, V.take(lv.dec, axis=0)):
            raise CertificateError("internal check failed: a decision node's value is not the value of its chosen child")
        Vf = V.reshape((-1,) + V.shape[2:])
        cv = Vf.take(lv.dec_edge_child_flat, axis=0)
        gain = cv - Vf.take(lv.dec_edge_parent_flat, axis=0)
        regret = np.maximum(gain.max(axis=0), 0.0)
        if tol is not None:
            # a node's children are consecutive edges: per-node spread of the mover's values
            par = s.eparent[lv.dec_edges]
            starts = np.flatnonzero(np.r_[True, par[1:] != par[:-1]])
            counts = np.diff(np.r_[starts, len(par)])
            spread = np.maximum.reduceat(cv, starts, axis=0) - np.minimum.reduceat(cv, starts, axis=0)
            bound = tol * np.repeat(spread, counts, axis=0) + noise
            over = gain > bound
            if np.any(over):
                b = int(np.argmax(np.atleast_1d(over.any(axis=0)))) if batched else 0
                raise CertificateError(f"internal check failed: backward-induction profile of game {b} has one-shot "
                                       f"deviation gain {float(np.atleast_1d(regret)[b]):.3e}")
    else:
        regret = np.zeros(nb) if batched else np.zeros(())
    if lv.chance is not None:
        nodes, edges, kids, off, nch, k = lv.chance
        pe = cpT[edges]
        pe = pe[:, None, :] if batched else pe[:, None]
        exp = chance_values(V.take(kids, axis=0) * pe, off, k)
        err = np.abs(exp - V[nodes]).max(axis=(0, 1))
        if np.any(err > sl):
            raise CertificateError(f"internal check failed: a chance node's value is not its expected value "
                              f"(error {float(np.max(err)):.3e})")
    if tol is None and np.any(regret > sl):
        b = int(np.argmax(np.atleast_1d(regret - sl)))
        raise CertificateError(f"internal check failed: backward-induction profile of game {b} has one-shot "
                          f"deviation gain {float(np.atleast_1d(regret)[b]):.3e}")
    return regret


def _reach(tree, s, lv, choice, cpT, batched):
    """Reach probability of every node under the pure profile *choice* (top-down, one step per level)."""
    N = tree.n_nodes
    shape = (s.E,) + ((choice.shape[1],) if batched else ())
    ep = np.zeros(shape)
    if lv.dec_edges.size:
        ch = choice[lv.dec_edge_infoset]
        pos = lv.dec_edge_pos.reshape((-1,) + (1,) * (ch.ndim - 1))
        ep[lv.dec_edges] = pos == ch
    if lv.chance_edges.size:
        ep[lv.chance_edges] = cpT[lv.chance_edges]
    reach = np.empty((N,) + shape[1:])
    reach[0] = 1.0
    for lo, hi, elo, ehi in s.edge_levels():
        reach[s.ci[elo:ehi]] = reach[s.eparent[elo:ehi]] * ep[elo:ehi]
    return reach


def backward_induction(tree: GameTree, *, tol: float = DEFAULT_TOL):
    """Vectorized backward induction.

    Returns ``(choice, values, n_ties)``: the chosen action index at every
    information set ``(B, H)`` (first maximiser), the value of every node
    ``(B, N, n)`` and the number of decision nodes with a tie ``(B,)``
    (another action within ``tol`` times the spread of the mover's values at
    the node, plus the rounding allowance, of the best; scale- and
    shift-free, see :mod:`deterrence.solve.tolerance`).
    """
    choice, V, n_ties, _, _, _ = _solve(tree, tol)
    if V.ndim == 3:
        return choice.T, V.transpose(2, 0, 1), n_ties
    return choice[None], V[None], n_ties[None]


def subgame_perfect(tree: GameTree, *, all_equilibria: bool = False, tol: float = DEFAULT_TOL,
                    max_equilibria: int = MAX_EQUILIBRIA) -> SubgamePerfectEquilibrium:
    """Subgame-perfect equilibrium of a perfect-information tree (with chance moves).

    Parameters
    ----------
    tree : GameTree
        Every information set must be a single node; chance nodes allowed;
        payoffs may be a batch ``(B, T, n)``.
    all_equilibria : bool
        Also enumerate every pure SPE (all tie-breaking combinations,
        propagated upwards), for an unbatched tree.  Mixing among tied
        actions gives further, mixed, SPE that are not listed.
    tol : float
        A tie at a node is a gap within ``tol`` times the spread of the
        mover's values there plus the rounding allowance of the payoffs'
        magnitude; the certificate allows ``tol`` times the largest payoff
        range of a player plus that allowance, per game.  Both are
        invariant under ``u -> a * u + b`` (:mod:`deterrence.solve.tolerance`).
    max_equilibria : int
        Cap on the enumeration; beyond it ``complete`` is False and the note says so.

    Returns
    -------
    SubgamePerfectEquilibrium
        One row per game (``batch_size`` games); with ``all_equilibria``,
        one row per pure SPE of the one game, each also an object with
        ``outcome()`` in ``equilibria``.

    Raises
    ------
    SolverError
        For a tree with a non-singleton information set (naming it), or
        ``all_equilibria`` on a batch.
    """
    choice, V, n_ties, reg, slack, cpT = _solve(tree, tol)
    s = tree_structure(tree)
    lv = _levels(tree, s)
    batched = V.ndim == 3
    reach = _reach(tree, s, lv, choice, cpT, batched)
    if batched:
        choice_bh = choice.T
        terminal_probs = np.ascontiguousarray(reach[s.term_nodes].T)
        payoffs = np.ascontiguousarray(V[0].T)
    else:
        choice_bh, reg, n_ties = choice[None], np.atleast_1d(reg), np.atleast_1d(n_ties)
        terminal_probs = reach[s.term_nodes][None]
        payoffs = V[0][None].copy()
    unique = n_ties == 0
    complete = bool(unique.all())
    notes = (() if complete else
             ("ties at some decision nodes: other pure SPE exist (use all_equilibria=True), and mixing among "
              "tied actions gives mixed SPE",))
    if not all_equilibria:
        return SubgamePerfectEquilibrium(tree=tree, choice_index=choice_bh, terminal_probs=terminal_probs,
                                         payoffs=payoffs, regret=reg, unique=unique, n_ties=n_ties,
                                         complete=complete, notes=notes)
    if batched:
        raise SolverError("all_equilibria=True enumerates one game at a time; index the batch (tree[b])")
    choices, complete = _enumerate(tree, tol, float(tree_tie_scale(tree.payoffs[:1], tol)[1][0]), max_equilibria)
    # row 0: the tie-broken SPE (the one returned without enumeration)
    first = [k for k, c in enumerate(choices) if np.array_equal(c, choice_bh[0])]
    if first:
        choices.insert(0, choices.pop(first[0]))
    C = np.array(choices, np.int64).reshape(len(choices), -1)
    prof = pure_profile(tree, s, C)
    M = len(choices)
    if complete:
        notes = (f"all {M} pure SPE" + (
            "; mixing among tied actions gives further (mixed) SPE, not listed" if M > 1 else ""),)
    else:
        notes = (f"more than {max_equilibria} pure SPE: only the first {max_equilibria} are listed "
                 f"(raise max_equilibria); mixing among tied actions gives further (mixed) SPE",)
    terminal_probs = reach_probabilities(tree, prof)[:, s.term_nodes]
    return SubgamePerfectEquilibrium(tree=tree, choice_index=C, terminal_probs=terminal_probs,
                                     payoffs=expected_payoffs(tree, prof), regret=subgame_regret(tree, prof),
                                     unique=np.full(M, M == 1 and complete), n_ties=np.repeat(n_ties, M),
                                     complete=complete, notes=notes, enumerated=True)


def _enumerate(tree: GameTree, tol: float, noise: float, cap: int):
    """Every pure SPE of an unbatched perfect-information tree (recursive, small trees).

    The set of SPE of the subtree at node v is the product of the SPE sets of
    its children, combined with every action that is optimal for the mover
    given those children's values (chance nodes: no choice).
    """
    P = tree.payoffs[0]
    cp = tree.chance_probs[0]
    N = tree.n_nodes
    sols = [None] * N   # list of (choices: dict infoset->action index, value ndarray)
    overflow = False
    for v in range(N - 1, -1, -1):
        if tree.kind[v] == 0:
            sols[v] = [({}, P[tree.terminal[v]])]
            continue
        lo, hi = tree.child_ptr[v], tree.child_ptr[v + 1]
        kids = tree.child_index[lo:hi]
        out = []
        for combo in product(*(sols[c] for c in kids)):
            merged = {}
            for ch, _ in combo:
                merged.update(ch)
            vals = np.array([val for _, val in combo])
            if tree.kind[v] == CHANCE:
                out.append((merged, cp[lo:hi] @ vals))
            else:
                i = tree.player[v]
                best = vals[:, i].max()
                gap = tol * (best - vals[:, i].min()) + noise       # as in _solve: scale-free ties
                for a in np.flatnonzero(vals[:, i] >= best - gap):
                    d = dict(merged)
                    d[int(tree.infoset[v])] = int(a)
                    out.append((d, vals[a]))
            if len(out) > cap:
                overflow = True
                out = out[:cap]
                break
        for c in kids:
            sols[c] = None
        sols[v] = out
    H = len(tree.infosets)
    rel, _ = tree_tie_scale(tree.payoffs[:1], tol)
    slack = float(rel[0]) + noise          # a tie's gap is within this bound
    choices = []
    for ch, _ in sols[0]:
        idx = np.array([ch[h] for h in range(H)], np.int64)
        prof = BehaviourProfile.from_pure(tree, idx)
        r = float(subgame_regret(tree, prof)[0])
        if not r <= slack:
            raise CertificateError(f"internal check failed: enumerated SPE has one-shot deviation gain {r:.3e}")
        choices.append(idx)
    return choices, not overflow
