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

Every result is certified: the one-shot deviation gain at every decision
node (:func:`deterrence.games.profiles.subgame_regret`, computed in a second
independent pass) must lie below the tolerance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from itertools import product

import numpy as np

from ..errors import SolverError
from ..games.profiles import (BehaviourProfile, OutcomeDistribution, _require_perfect_information,
                              reach_probabilities, subgame_regret, tree_structure)
from ..games.tree import CHANCE, DECISION, GameTree
from .results import DEFAULT_TOL

__all__ = ["subgame_perfect", "SubgamePerfectEquilibrium", "SPEResult", "backward_induction"]

#: Default cap on the number of pure SPE enumerated with ``all_equilibria=True``.
MAX_EQUILIBRIA = 10_000


@dataclass(frozen=True, eq=False)
class SubgamePerfectEquilibrium:
    """A pure subgame-perfect equilibrium (one per game of a batch), certified.

    Attributes
    ----------
    profile : BehaviourProfile
        The pure behaviour profile found by backward induction (ties broken
        toward the first action in the tree's order), shape (B, slots).
    terminal_probs : ndarray, shape (B, T)
        Probability of each terminal on the equilibrium path (chance included).
    payoffs : ndarray, shape (B, n)
        Expected equilibrium payoff of each player.
    regret : ndarray, shape (B,)
        Largest one-shot deviation gain at any decision node (the certificate).
    unique : ndarray of bool, shape (B,)
        True when no mover is indifferent (within tolerance) at any decision
        node, so this is the only SPE; False when ties create other pure SPE
        (and mixed SPE).
    n_ties : ndarray of int, shape (B,)
        Number of decision nodes with a tie.
    equilibria : tuple of BehaviourProfile
        With ``all_equilibria=True``: every pure SPE (up to the cap).
    complete : bool
        True when :attr:`equilibria` holds every pure SPE (or, without
        enumeration, when every game of the batch has a unique SPE).
    note : str
        What is and is not covered.
    """

    tree: GameTree = field(repr=False)
    profile: BehaviourProfile
    terminal_probs: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    unique: np.ndarray
    n_ties: np.ndarray
    equilibria: tuple = ()
    complete: bool = True
    note: str = ""

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

    def path(self, b: int = 0) -> list:
        """Reached decision and chance nodes of game *b*: ``(node id, mover, action, probability)``."""
        reach = reach_probabilities(self.tree, self.profile)
        reach = reach[min(b, reach.shape[0] - 1)]
        ep = self.profile.edge_probs()[min(b, self.profile.edge_probs().shape[0] - 1)]
        t = self.tree
        out = []
        for v in np.flatnonzero((reach > 0) & (t.kind != 0)):
            lo, hi = t.child_ptr[v], t.child_ptr[v + 1]
            mover = "chance" if t.kind[v] == CHANCE else t.players[t.player[v]]
            for e in range(lo, hi):
                if ep[e] > 0:
                    out.append((t.node_ids[v], mover, t.edge_label[e], float(ep[e])))
        return out

    def __repr__(self) -> str:
        if self.batch_size == 1:
            probs = {k: round(float(v[0]), 6) for k, v in self.outcome_probabilities.items() if v[0] > 0}
            return (f"SubgamePerfectEquilibrium(outcomes={probs}, payoffs={np.round(self.payoffs[0], 6).tolist()}, "
                    f"unique={bool(self.unique[0])}, regret={float(self.regret[0]):.1e}"
                    + (f", {len(self.equilibria)} pure SPE" if self.equilibria else "") + ")")
        return (f"<SubgamePerfectEquilibrium: batch of {self.batch_size}, {int(self.unique.sum())} with a unique SPE, "
                f"max regret {float(self.regret.max()):.1e}>")


SPEResult = SubgamePerfectEquilibrium


def backward_induction(tree: GameTree, tol: float = DEFAULT_TOL):
    """Vectorized backward induction.

    Returns ``(choice, values, n_ties)``: the chosen action index at every
    information set ``(B, H)`` (first maximiser), the value of every node
    ``(B, N, n)`` and the number of decision nodes with a tie ``(B,)``
    (another action within ``tol * max(1, max |payoff|)`` of the best).
    """
    _require_perfect_information(tree, "subgame_perfect")
    s = tree_structure(tree)
    P = tree.payoffs
    cp = tree.chance_probs
    B = max(P.shape[0], cp.shape[0])
    n = tree.n_players
    N = tree.n_nodes
    slack = (tol * np.maximum(1.0, np.abs(P).reshape(P.shape[0], -1).max(-1)))[:, None]
    W = np.empty((B, N, n))
    W[:, s.term_nodes] = P
    choice = np.zeros((B, s.H), np.int64)
    n_ties = np.zeros(B, np.int64)
    kind, player, ptr = tree.kind, tree.player, tree.child_ptr
    rows = np.arange(B)[:, None]
    for lo, hi, elo, ehi in reversed(s.edge_levels()):
        nt = lo + np.flatnonzero(s.nchild[lo:hi] > 0)
        off = ptr[nt] - elo
        kids = s.ci[elo:ehi]
        is_dec = kind[nt] == DECISION
        is_ch = ~is_dec
        if is_dec.all():
            # the mover's payoff at each child, gathered straight from the flat (B, N * n) view
            mover_e = player[s.eparent[elo:ehi]]
            vals = W.reshape(B, N * n)[:, kids * n + mover_e]       # (B, Ee)
            best = np.maximum.reduceat(vals, off, axis=1)          # (B, nnt)
            best_e = np.repeat(best, s.nchild[nt], axis=1)
            local = np.arange(ehi - elo)
            first = np.minimum.reduceat(np.where(vals >= best_e, local, ehi - elo), off, axis=1)
            ties = np.add.reduceat((vals >= best_e - slack).astype(np.int64), off, axis=1) > 1
            W[:, nt] = W[rows, kids[first]]
            choice[:, tree.infoset[nt]] = first - off
            n_ties += ties.sum(1)
            continue
        Wc = W[:, kids]                                   # (B, Ee, n)
        # mixed level: chance nodes and decision nodes together
        mover_e = np.maximum(player[s.eparent[elo:ehi]], 0)
        vals = np.take_along_axis(Wc, np.broadcast_to(mover_e[None, :, None], (B, ehi - elo, 1)), 2)[..., 0]
        best = np.maximum.reduceat(vals, off, axis=1)
        best_e = np.repeat(best, s.nchild[nt], axis=1)
        local = np.arange(ehi - elo)
        first = np.minimum.reduceat(np.where(vals >= best_e, local, ehi - elo), off, axis=1)
        ties = (np.add.reduceat((vals >= best_e - slack).astype(np.int64), off, axis=1) > 1) & is_dec[None]
        pe = np.broadcast_to(cp[:, elo:ehi], (B, ehi - elo))
        chance_val = np.add.reduceat(Wc * pe[..., None], off, axis=1)
        W[:, nt] = np.where(is_ch[None, :, None], chance_val, Wc[rows, first])
        dn = nt[is_dec]
        choice[:, tree.infoset[dn]] = (first - off)[:, is_dec]
        n_ties += ties.sum(1)
    return choice, W, n_ties


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
        Ties and the certificate use ``tol * max(1, max |payoff|)``.
    max_equilibria : int
        Cap on the enumeration; beyond it ``complete`` is False and the note says so.

    Returns
    -------
    SubgamePerfectEquilibrium

    Raises
    ------
    SolverError
        For a tree with a non-singleton information set (naming it), or
        ``all_equilibria`` on a batch.
    """
    choice, W, n_ties = backward_induction(tree, tol)
    profile = BehaviourProfile.from_pure(tree, choice)
    reg = subgame_regret(tree, profile)
    P = tree.payoffs
    scale = np.maximum(1.0, np.abs(P).reshape(P.shape[0], -1).max(-1))
    if not np.all(reg <= tol * scale):
        b = int(np.argmax(reg - tol * scale))
        raise SolverError(f"internal check failed: backward-induction profile of game {b} has one-shot "
                          f"deviation gain {float(reg[b]):.3e}")
    s = tree_structure(tree)
    reach = reach_probabilities(tree, profile)
    unique = n_ties == 0
    equilibria, complete = (), bool(unique.all())
    note = ("unique SPE" if complete else
            "ties at some decision nodes: other pure SPE exist (use all_equilibria=True), and mixing among "
            "tied actions gives mixed SPE")
    if all_equilibria:
        if W.shape[0] != 1:
            raise SolverError("all_equilibria=True enumerates one game at a time; index the batch (tree[b])")
        equilibria, complete = _enumerate(tree, tol * float(scale[0]), max_equilibria)
        if complete:
            note = (f"all {len(equilibria)} pure SPE" + (
                "; mixing among tied actions gives further (mixed) SPE, not listed" if len(equilibria) > 1 else ""))
        else:
            note = (f"more than {max_equilibria} pure SPE: only the first {max_equilibria} are listed "
                    f"(raise max_equilibria); mixing among tied actions gives further (mixed) SPE")
    return SubgamePerfectEquilibrium(tree=tree, profile=profile, terminal_probs=reach[:, s.term_nodes],
                                     payoffs=W[:, 0].copy(), regret=reg, unique=unique, n_ties=n_ties,
                                     equilibria=equilibria, complete=complete, note=note)


def _enumerate(tree: GameTree, slack: float, cap: int):
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
                for a in np.flatnonzero(vals[:, i] >= best - slack):
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
    profiles = []
    for ch, _ in sols[0]:
        idx = np.array([ch[h] for h in range(H)], np.int64)
        prof = BehaviourProfile.from_pure(tree, idx)
        r = float(subgame_regret(tree, prof)[0])
        if not r <= slack:
            raise SolverError(f"internal check failed: enumerated SPE has one-shot deviation gain {r:.3e}")
        profiles.append(prof)
    return tuple(profiles), not overflow
