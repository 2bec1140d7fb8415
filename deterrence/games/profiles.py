"""Behaviour strategy profiles on game trees, and what they imply.

A *behaviour strategy* gives, at every information set of a player, a
probability distribution over the actions there (Kuhn 1953).  A profile of
behaviour strategies, together with the chance probabilities, puts a
probability on every edge of the tree; the probability of reaching a node is
the product of the edge probabilities on its path.  From these follow the
distribution over terminal outcomes (P(war), P(status quo), ...), the
expected payoffs, and two certificates used by the equilibrium solvers:

* :func:`tree_regret` -- the Nash regret, the largest gain any player gets by
  replacing her whole strategy with a best response.  The best response is
  computed on the player's *sequences* (von Stengel 1996; Koller, Megiddo &
  von Stengel 1996): with perfect recall, the information sets of a player
  form a tree ordered by her own earlier choices, and a backward pass over
  that tree, weighting terminals by the reach probability of the other
  players' and chance's moves, gives the best-response value.
* :func:`subgame_regret` -- for perfect-information trees, the largest gain
  from a one-shot deviation at any decision node given the continuation
  values of the profile.  By the one-shot deviation principle for finite
  trees (e.g. Osborne & Rubinstein 1994, Lemma 98.2; Fudenberg & Tirole
  1991, Thm 4.1) the profile is subgame perfect exactly when this is zero.

Every function carries the batch axis: a profile may hold one strategy for
all games of a batch (leading size 1) or one per game (leading size B).  All
passes are vectorized level by level over the flat arrays of
:class:`~deterrence.games.GameTree` (nodes in breadth-first order, children
in CSR form), so a tree with millions of nodes costs a few dozen numpy calls.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Sequence

import numpy as np

from ..errors import GameStructureError, SolverError
from .tree import CHANCE, DECISION, TERMINAL, GameTree

__all__ = ["BehaviourProfile", "OutcomeDistribution", "reach_probabilities", "outcome_distribution",
           "expected_payoffs", "tree_regret", "best_response_values", "subgame_regret", "node_values",
           "tree_structure"]

_PROB_TOL = 1e-9


# ---------------------------------------------------------------------- cached structure
class _Structure:
    """Index arrays derived once per tree (shape only, no payoffs): shared by all passes."""

    def __init__(self, tree: GameTree):
        N = tree.n_nodes
        kind, ptr = tree.kind, tree.child_ptr
        self.ptr = ptr
        nchild = np.diff(ptr)
        self.nchild = nchild
        E = int(ptr[-1])
        self.E = E
        self.ci = np.asarray(tree.child_index, np.int64)
        self.eparent = np.repeat(np.arange(N), nchild)
        self.epos = np.arange(E) - ptr[self.eparent]
        dec = np.flatnonzero(kind == DECISION)
        iset = tree.infoset
        H = len(tree.infosets)
        self.H = H
        # first node of each information set
        first = np.full(H, -1, np.int64)
        if dec.size:
            first[iset[dec][::-1]] = dec[::-1]
        if H and np.any(first < 0):
            raise GameStructureError("an information set has no node")
        self.h_first = first
        self.h_player = tree.player[first] if H else np.zeros(0, np.int64)
        self.h_nact = nchild[first] if H else np.zeros(0, np.int64)
        self.h_off = np.concatenate([[0], np.cumsum(self.h_nact)]).astype(np.int64)
        self.K = int(self.h_off[-1])
        is_dec_edge = kind[self.eparent] == DECISION
        self.is_dec_edge = is_dec_edge
        self.is_chance_edge = kind[self.eparent] == CHANCE
        slot = np.full(E, -1, np.int64)
        slot[is_dec_edge] = self.h_off[iset[self.eparent[is_dec_edge]]] + self.epos[is_dec_edge]
        self.edge_slot = slot
        self.slot_infoset = np.repeat(np.arange(H), self.h_nact)
        # depth levels: nodes of depth d are the block [lev[d], lev[d + 1])
        depth = tree.depth
        D = int(depth[-1]) if N else 0
        self.lev = np.searchsorted(depth, np.arange(D + 2)).astype(np.int64)
        self.term_nodes = np.flatnonzero(kind == TERMINAL)
        self._player_seq = {}

    def edge_levels(self):
        """``(lo, hi, elo, ehi)`` per depth level, top-down; edges leave nodes of that level."""
        ptr = self.ptr
        out = []
        for d in range(len(self.lev) - 1):
            lo, hi = int(self.lev[d]), int(self.lev[d + 1])
            elo, ehi = int(ptr[lo]), int(ptr[hi])
            if ehi > elo:
                out.append((lo, hi, elo, ehi))
        return out

    def player_sequences(self, tree, i):
        """Sequence-form bookkeeping for player *i* (perfect recall required).

        Sequences are numbered ``0`` (the empty sequence) and ``1 + slot`` for
        the (information set, action) pair stored in profile slot ``slot``.
        Returns ``(term_seq, levels)``: the last own sequence before each
        terminal, and per own-depth level (deepest first) the data to fold
        the information sets of that level into their parent sequences.
        """
        if i in self._player_seq:
            return self._player_seq[i]
        N = tree.n_nodes
        last = np.zeros(N, np.int64)
        own = np.zeros(N, np.int64)
        mine_edge = self.is_dec_edge & (tree.player[self.eparent] == i)
        for lo, hi, elo, ehi in self.edge_levels():
            par = self.eparent[elo:ehi]
            kids = self.ci[elo:ehi]
            m = mine_edge[elo:ehi]
            last[kids] = np.where(m, self.edge_slot[elo:ehi] + 1, last[par])
            own[kids] = own[par] + m
        hs = np.flatnonzero(self.h_player == i)
        dec = np.flatnonzero((tree.kind == DECISION) & (tree.player == i))
        bad = last[dec] != last[self.h_first[tree.infoset[dec]]]
        if np.any(bad):
            v = int(dec[np.argmax(bad)])
            h = tree.infosets[int(tree.infoset[v])]
            raise GameStructureError(
                f"{tree.players[i]} does not have perfect recall at information set {h.label!r} (node "
                f"{tree.node_ids[v]!r} follows different own choices than node {tree.node_ids[h.nodes[0]]!r}); "
                f"the sequence-form best response needs perfect recall")
        self.own_last = getattr(self, "own_last", {})
        self.own_last[i] = last
        parent_seq = last[self.h_first[hs]]
        odepth = own[self.h_first[hs]]
        levels = []
        for L in sorted(set(odepth.tolist()), reverse=True):
            hl = hs[odepth == L]
            n = self.h_nact[hl]
            starts = np.concatenate([[0], np.cumsum(n)[:-1]]).astype(np.int64)
            cols = np.repeat(self.h_off[hl], n) + (np.arange(int(n.sum())) - np.repeat(starts, n)) + 1
            levels.append((cols, starts) + _group(parent_seq[odepth == L]))
        out = (_group(last[self.term_nodes]), levels)
        self._player_seq[i] = out
        return out


def _group(idx):
    """``(order, uniq, starts)`` to sum values by *idx* with one sort and one ``add.reduceat``."""
    order = np.argsort(idx, kind="stable")
    uniq, starts = np.unique(idx[order], return_index=True)
    return order, uniq, starts


def tree_structure(tree: GameTree) -> _Structure:
    """The cached index arrays of *tree* (built on first use)."""
    s = tree.__dict__.get("_profile_structure")
    if s is None:
        s = _Structure(tree)
        tree.__dict__["_profile_structure"] = s
    return s


def _batch(*sizes) -> int:
    B = 1
    for s in sizes:
        if s != 1 and B != 1 and s != B:
            raise GameStructureError(f"batch sizes {sizes} do not match")
        B = max(B, s)
    return B


# ---------------------------------------------------------------------- profiles
@dataclass(frozen=True, eq=False)
class BehaviourProfile:
    """A profile of behaviour strategies: a distribution over actions at each information set.

    Stored flat: ``flat[b, tree_slot]`` where the actions of information set
    ``h`` occupy slots ``offsets[h]:offsets[h + 1]`` in action order.  The
    leading axis is 1 (one profile for every game of a batch) or B.

    Access
    ------
    ``profile.probs[h]`` is the ``(B or 1, n_actions)`` array of information
    set ``h``; ``profile[player][infoset label]`` is ``{action: probability}``
    (floats for an unbatched profile, arrays of shape (B,) otherwise).

    Build with :meth:`uniform`, :meth:`from_pure`, :meth:`from_dict` or
    :meth:`from_probs`; the constructor checks that each information set
    carries a probability vector.
    """

    tree: GameTree = field(repr=False)
    flat: np.ndarray

    def __post_init__(self):
        s = tree_structure(self.tree)
        f = np.asarray(self.flat, dtype=float)
        if f.ndim == 1:
            f = f[None]
        if f.ndim != 2 or f.shape[1] != s.K:
            raise GameStructureError(f"a behaviour profile of this tree has {s.K} action slots; got shape {np.shape(self.flat)}")
        if s.K:
            bad = ~np.isfinite(f) | (f < -_PROB_TOL)
            sums = np.add.reduceat(f, s.h_off[:-1], axis=1)
            bad_h = bad.any(0)
            if np.any(bad_h):
                self._complain(int(s.slot_infoset[np.argmax(bad_h)]), "has a negative or non-finite probability")
            off = np.abs(sums - 1) > 1e-8
            if np.any(off):
                h = int(np.argmax(off.any(0)))
                self._complain(h, f"probabilities sum to {float(sums[:, h][np.argmax(off[:, h])]):.6g}, not 1")
        object.__setattr__(self, "flat", f)

    def _complain(self, h, what):
        info = self.tree.infosets[h]
        raise GameStructureError(f"behaviour profile: information set {info.label!r} of "
                                 f"{self.tree.players[info.player]}: {what}")

    # ----------------------------------------------------------- constructors
    @classmethod
    def uniform(cls, tree: GameTree) -> "BehaviourProfile":
        """Every action at an information set equally likely (the centroid; the usual QRE start)."""
        s = tree_structure(tree)
        return cls(tree, (1.0 / s.h_nact[s.slot_infoset])[None])

    @classmethod
    def from_probs(cls, tree: GameTree, probs: Sequence) -> "BehaviourProfile":
        """From one array per information set (in ``tree.infosets`` order), each ``(n_actions,)`` or ``(B, n_actions)``."""
        s = tree_structure(tree)
        if len(probs) != s.H:
            raise GameStructureError(f"the tree has {s.H} information sets; got {len(probs)} distributions")
        arrs = []
        for h, p in enumerate(probs):
            a = np.asarray(p, dtype=float)
            a = a[None] if a.ndim == 1 else a
            if a.ndim != 2 or a.shape[1] != s.h_nact[h]:
                info = tree.infosets[h]
                raise GameStructureError(f"information set {info.label!r} has {int(s.h_nact[h])} actions; got "
                                         f"probabilities of shape {np.shape(p)}")
            arrs.append(a)
        B = _batch(*(a.shape[0] for a in arrs))
        flat = np.concatenate([np.broadcast_to(a, (B, a.shape[1])) for a in arrs], axis=1) if arrs \
            else np.zeros((1, 0))
        return cls(tree, flat)

    @classmethod
    def from_pure(cls, tree: GameTree, choice) -> "BehaviourProfile":
        """A pure profile.

        *choice* is a mapping ``{infoset label: action label}`` covering every
        information set, or an integer array of action indices of shape
        ``(H,)`` or ``(B, H)`` in ``tree.infosets`` order.
        """
        s = tree_structure(tree)
        if isinstance(choice, Mapping):
            idx = np.zeros(s.H, np.int64)
            seen = set()
            lab = _infoset_index(tree)
            for key, act in choice.items():
                h = _lookup_infoset(tree, lab, key)
                acts = tree.infosets[h].actions
                if act not in acts:
                    raise GameStructureError(f"information set {key!r}: no action {act!r}; actions are {list(acts)}")
                idx[h] = acts.index(act)
                seen.add(h)
            if len(seen) != s.H:
                missing = [tree.infosets[h].label for h in range(s.H) if h not in seen]
                raise GameStructureError(f"pure profile: no action chosen at information set(s) {missing[:10]}")
            idx = idx[None]
        else:
            idx = np.asarray(choice)
            if idx.ndim == 1:
                idx = idx[None]
            if idx.ndim != 2 or idx.shape[1] != s.H or idx.dtype.kind not in "iu":
                raise GameStructureError(f"pure profile: expected integer action indices of shape ({s.H},) or "
                                         f"(B, {s.H}); got {np.shape(choice)}")
            bad = (idx < 0) | (idx >= s.h_nact[None])
            if np.any(bad):
                h = int(np.argmax(bad.any(0)))
                raise GameStructureError(f"pure profile: information set {tree.infosets[h].label!r} has "
                                         f"{int(s.h_nact[h])} actions, index out of range")
        flat = np.zeros((idx.shape[0], s.K))
        rows = np.repeat(np.arange(idx.shape[0]), s.H)
        flat[rows, (s.h_off[:-1][None] + idx).ravel()] = 1.0
        return cls(tree, flat)

    @classmethod
    def from_dict(cls, tree: GameTree, spec: Mapping, default: str | None = None) -> "BehaviourProfile":
        """From ``{infoset label: {action: probability}}`` (a probability may be an array over a batch).

        Information sets not named raise, unless ``default="uniform"``.
        Actions not named at a named information set get probability 0.
        """
        s = tree_structure(tree)
        lab = _infoset_index(tree)
        given = {}
        for key, dist in spec.items():
            h = _lookup_infoset(tree, lab, key)
            if not isinstance(dist, Mapping):
                raise GameStructureError(f"information set {key!r}: give {{action: probability}}, got {dist!r}")
            acts = tree.infosets[h].actions
            for a in dist:
                if a not in acts:
                    raise GameStructureError(f"information set {key!r}: no action {a!r}; actions are {list(acts)}")
            try:
                cols = [np.atleast_1d(np.asarray(dist.get(a, 0.0), dtype=float)) for a in acts]
            except (TypeError, ValueError):
                raise GameStructureError(f"information set {key!r}: probabilities must be numbers") from None
            Bh = _batch(*(len(c) for c in cols))
            given[h] = np.stack([np.broadcast_to(c, (Bh,)) for c in cols], axis=1)
        probs = []
        for h in range(s.H):
            if h in given:
                probs.append(given[h])
            elif default == "uniform":
                probs.append(np.full((1, int(s.h_nact[h])), 1.0 / s.h_nact[h]))
            else:
                raise GameStructureError(f"behaviour profile: no distribution for information set "
                                         f"{tree.infosets[h].label!r} of {tree.players[tree.infosets[h].player]}")
        return cls.from_probs(tree, probs)

    # ----------------------------------------------------------- access
    @property
    def batch_size(self) -> int:
        return self.flat.shape[0]

    @cached_property
    def probs(self) -> tuple:
        """One ``(B or 1, n_actions)`` array per information set (views into :attr:`flat`)."""
        off = tree_structure(self.tree).h_off
        return tuple(self.flat[:, off[h]:off[h + 1]] for h in range(len(off) - 1))

    def __getitem__(self, player) -> dict:
        """``{infoset label: {action: probability}}`` for one player (label or index)."""
        i = self.tree.player_index(player)
        s = tree_structure(self.tree)
        out = {}
        for h in np.flatnonzero(s.h_player == i):
            info = self.tree.infosets[int(h)]
            block = self.flat[:, s.h_off[h]:s.h_off[h + 1]]
            if self.batch_size == 1:
                out[info.label] = {a: float(block[0, k]) for k, a in enumerate(info.actions)}
            else:
                out[info.label] = {a: block[:, k].copy() for k, a in enumerate(info.actions)}
        return out

    def at(self, label) -> dict:
        """``{action: probability}`` at the information set with this label."""
        h = _lookup_infoset(self.tree, _infoset_index(self.tree), label)
        info = self.tree.infosets[h]
        s = tree_structure(self.tree)
        block = self.flat[:, s.h_off[h]:s.h_off[h + 1]]
        if self.batch_size == 1:
            return {a: float(block[0, k]) for k, a in enumerate(info.actions)}
        return {a: block[:, k].copy() for k, a in enumerate(info.actions)}

    def is_pure(self, tol: float = 1e-12) -> np.ndarray:
        """Per profile of the batch: every information set puts probability 1 on one action."""
        s = tree_structure(self.tree)
        if s.K == 0:
            return np.ones(self.batch_size, bool)
        mx = np.maximum.reduceat(self.flat, s.h_off[:-1], axis=1)
        return np.all(mx > 1 - tol, axis=1)

    def edge_probs(self, tree: GameTree | None = None) -> np.ndarray:
        """Probability of each edge, shape ``(B, E)``: the chance probability below a
        chance node, the behaviour probability below a decision node."""
        tree = self.tree if tree is None else tree
        return _edge_probs(tree, self)

    def __repr__(self) -> str:
        t = self.tree
        if len(t.infosets) > 20 or self.batch_size > 1:
            return f"<BehaviourProfile: {len(t.infosets)} information sets, batch of {self.batch_size}>"
        parts = []
        for i, p in enumerate(t.players):
            d = self[i]
            parts.append(f"{p}: " + "; ".join(
                f"{h}: " + ", ".join(f"{a}={v:.4g}" for a, v in dist.items() if v != 0) for h, dist in d.items()))
        return "BehaviourProfile(" + " | ".join(parts) + ")"


def _infoset_index(tree) -> dict:
    d = tree.__dict__.get("_infoset_label_index")
    if d is None:
        d = {}
        for h, info in enumerate(tree.infosets):
            d.setdefault(info.label, h)
        tree.__dict__["_infoset_label_index"] = d
    return d


def _lookup_infoset(tree, lab, key) -> int:
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        if not 0 <= key < len(tree.infosets):
            raise GameStructureError(f"no information set number {key}")
        return int(key)
    if key in lab:
        return lab[key]
    raise GameStructureError(f"no information set {key!r}; information sets are {list(lab)[:20]}")


def _edge_probs(tree: GameTree, profile: BehaviourProfile | None) -> np.ndarray:
    s = tree_structure(tree)
    if profile is None:
        return tree.chance_probs
    if profile.flat.shape[1] != s.K:
        raise GameStructureError("the behaviour profile belongs to a tree of a different shape")
    cp = tree.chance_probs
    B = _batch(cp.shape[0], profile.batch_size)
    flat = profile.flat
    if B > 1 and cp.shape[0] == B and flat.shape[0] == B and cp.T.flags.c_contiguous and flat.T.flags.c_contiguous:
        # node-major tree and profile (the batched solvers' results): build the edge probabilities row by row
        epT = np.zeros((s.E, B))
        ce = np.flatnonzero(s.is_chance_edge)
        epT[ce] = cp.T.take(ce, axis=0)
        de = np.flatnonzero(s.is_dec_edge)
        epT[de] = flat.T.take(s.edge_slot[de], axis=0)
        return epT.T
    ep = np.where(s.is_chance_edge[None], np.broadcast_to(cp, (B, s.E)), 0.0)
    if s.K:
        ep[:, s.is_dec_edge] = np.broadcast_to(profile.flat[:, s.edge_slot[s.is_dec_edge]],
                                               (B, int(s.is_dec_edge.sum())))
    return ep


# ---------------------------------------------------------------------- forward passes
def reach_from_edges(tree, s, ep) -> np.ndarray:
    B = ep.shape[0]
    reach = np.empty((B, tree.n_nodes))
    reach[:, 0] = 1.0
    for lo, hi, elo, ehi in s.edge_levels():
        reach[:, s.ci[elo:ehi]] = reach[:, s.eparent[elo:ehi]] * ep[:, elo:ehi]
    return reach


def reach_probabilities(tree: GameTree, profile: BehaviourProfile) -> np.ndarray:
    """Probability of reaching each node under *profile* and chance, shape ``(B, N)``.

    One vectorized multiplication per depth level (top-down).
    """
    s = tree_structure(tree)
    return reach_from_edges(tree, s, _edge_probs(tree, profile))


@dataclass(frozen=True, eq=False)
class OutcomeDistribution:
    """Probability of each terminal (``terminal``, shape (B, T)) and of each outcome label.

    ``dist["war"]`` is the probability of the outcome labelled "war" (summed
    over the terminals with that label), an array of shape (B,).
    """

    terminal: np.ndarray
    labels: tuple = field(repr=False)

    @cached_property
    def by_outcome(self) -> dict:
        """``{outcome label: (B,) probability}``, labels in order of first appearance."""
        labels = list(self.labels)
        uniq, first, inv = np.unique(np.asarray(labels, dtype=object).astype(str), return_index=True,
                                     return_inverse=True)
        order = np.argsort(first)
        agg = sum_by_label(self.terminal, inv.reshape(-1), len(uniq))
        return {str(uniq[j]): agg[:, j] for j in order}

    def __getitem__(self, label) -> np.ndarray:
        try:
            return self.by_outcome[label]
        except KeyError:
            raise GameStructureError(f"no outcome {label!r}; outcomes are {list(self.by_outcome)[:20]}") from None

    def __iter__(self):
        return iter(self.by_outcome)

    def items(self):
        return self.by_outcome.items()


def sum_by_label(values: np.ndarray, label: np.ndarray, n_labels: int) -> np.ndarray:
    """Sum the columns of *values* (B, T) that share a label: ``out[:, j] = values[:, label == j].sum(1)``.

    Sorts the columns by label and adds runs with ``np.add.reduceat``: memory O(B*(T + n_labels)),
    never a dense (T, n_labels) indicator matrix (a tree of 30,000 terminals, each its own label,
    would need 6.7 GiB for it).
    """
    B, T = values.shape
    order = np.argsort(label, kind="stable")
    lab = label[order]
    starts = np.flatnonzero(np.r_[True, lab[1:] != lab[:-1]]) if T else np.zeros(0, np.int64)
    if T and B > 1 and values.T.flags.c_contiguous and len(starts) <= 64:
        # node-major values (a transposed view, as the batched tree solvers return them): sum whole rows of
        # the transpose; each label's column of the result is a contiguous row underneath
        vT = values.T
        outT = np.zeros((n_labels, B))
        ends = np.append(starts[1:], T)
        for a, z in zip(starts, ends):
            outT[lab[a]] = vT[order[a]] if z - a == 1 else vT.take(order[a:z], axis=0).sum(axis=0)
        return outT.T
    out = np.zeros((B, n_labels))
    if T == 0:
        return out
    out[:, lab[starts]] = np.add.reduceat(values[:, order], starts, axis=1)
    return out


def outcome_distribution(tree: GameTree, profile: BehaviourProfile) -> OutcomeDistribution:
    """Distribution over terminals (B, T) and over outcome labels under *profile*."""
    s = tree_structure(tree)
    reach = reach_probabilities(tree, profile)
    return OutcomeDistribution(terminal=reach[:, s.term_nodes], labels=tree.outcomes)


def expected_payoffs(tree: GameTree, profile: BehaviourProfile) -> np.ndarray:
    """Expected payoff of each player, shape ``(B, n)``."""
    s = tree_structure(tree)
    pt = reach_probabilities(tree, profile)[:, s.term_nodes]
    B = _batch(pt.shape[0], tree.payoffs.shape[0])
    return np.einsum("bt,btn->bn", np.broadcast_to(pt, (B, pt.shape[1])),
                     np.broadcast_to(tree.payoffs, (B,) + tree.payoffs.shape[1:]))


# ---------------------------------------------------------------------- backward passes
def node_values(tree: GameTree, profile: BehaviourProfile) -> np.ndarray:
    """Continuation value of every node for every player, shape ``(B, N, n)``.

    ``W[b, v, i]`` is player *i*'s expected payoff from node *v* on when play
    follows *profile* (and chance) below *v*.  Bottom-up, one
    ``np.add.reduceat`` per depth level.
    """
    s = tree_structure(tree)
    ep = _edge_probs(tree, profile)
    return _node_values_from_edges(tree, s, ep)


def _node_values_from_edges(tree, s, ep):
    P = tree.payoffs
    B = _batch(ep.shape[0], P.shape[0])
    n = tree.n_players
    W = np.empty((B, tree.n_nodes, n))
    W[:, s.term_nodes] = P
    for lo, hi, elo, ehi in reversed(s.edge_levels()):
        nt = lo + np.flatnonzero(s.nchild[lo:hi] > 0)
        off = tree.child_ptr[nt] - elo
        W[:, nt] = np.add.reduceat(W[:, s.ci[elo:ehi]] * ep[:, elo:ehi, None], off, axis=1)
    return W


def subgame_regret(tree: GameTree, profile: BehaviourProfile) -> np.ndarray:
    """Largest one-shot deviation gain at any decision node, shape ``(B,)``.

    For a perfect-information tree (every information set a single node) a
    profile is a subgame-perfect equilibrium exactly when this is zero (the
    one-shot deviation principle for finite games; Fudenberg & Tirole 1991,
    Thm 4.1).  Deviations are evaluated at every node, reached or not.

    Raises
    ------
    SolverError
        If the tree has a non-singleton information set (use the PBE tools).
    """
    require_perfect_information(tree, "subgame_regret")
    s = tree_structure(tree)
    ep = _edge_probs(tree, profile)
    W = _node_values_from_edges(tree, s, ep)
    return _one_shot_gains(tree, s, W).max(axis=1) if s.H else np.zeros(W.shape[0])


def _one_shot_gains(tree, s, W) -> np.ndarray:
    """Gain (B, number of decision nodes) of the best one-shot deviation at each decision node."""
    B = W.shape[0]
    dec = np.flatnonzero(tree.kind == DECISION)
    gains = np.empty((B, dec.size))
    if dec.size == 0:
        return gains
    eidx = np.flatnonzero(s.is_dec_edge)
    mover = tree.player[s.eparent[eidx]]
    vals = W.reshape(B, -1)[:, s.ci[eidx] * W.shape[2] + mover]
    off = tree.child_ptr[dec]
    # decision edges are grouped by parent in increasing order; offsets inside eidx
    loc = np.searchsorted(eidx, off)
    best = np.maximum.reduceat(vals, loc, axis=1)
    return best - W[:, dec, tree.player[dec]]


def require_perfect_information(tree, what):
    if tree.is_perfect_information:
        return
    for h in tree.infosets:
        if len(h.nodes) > 1:
            raise SolverError(
                f"{what} needs a perfect-information tree, but information set {h.label!r} of "
                f"{tree.players[h.player]} has {len(h.nodes)} nodes; use the perfect Bayesian equilibrium "
                f"tools (deterrence.solve.pbe) for games of imperfect information")


def best_response_values(tree: GameTree, profile: BehaviourProfile) -> np.ndarray:
    """Each player's best-response value against the others' behaviour strategies, shape ``(B, n)``.

    For player *i*, terminals are weighted by the reach probability of the
    other players' and chance's moves; the values are summed into *i*'s last
    own sequence and folded up her sequence tree, taking the best action at
    each of her information sets, deepest first (the sequence-form best
    response; von Stengel 1996).  Requires perfect recall for the player.
    """
    s = tree_structure(tree)
    ep = _edge_probs(tree, profile)
    P = tree.payoffs
    B = _batch(ep.shape[0], P.shape[0])
    out = np.empty((B, tree.n_players))
    for i in range(tree.n_players):
        (t_order, t_uniq, t_starts), levels = s.player_sequences(tree, i)
        mine = s.is_dec_edge & (tree.player[s.eparent] == i)
        ep_i = np.where(mine[None], 1.0, ep)
        r = reach_from_edges(tree, s, ep_i)[:, s.term_nodes]
        contrib = np.broadcast_to(r * P[..., i], (B, len(s.term_nodes)))
        V = np.zeros((B, s.K + 1))
        V[:, t_uniq] = np.add.reduceat(contrib[:, t_order], t_starts, axis=1)
        for cols, starts, order, uniq, gstarts in levels:
            m = np.maximum.reduceat(V[:, cols], starts, axis=1)
            V[:, uniq] += np.add.reduceat(m[:, order], gstarts, axis=1)
        out[:, i] = V[:, 0]
    return out


def tree_regret(tree: GameTree, profile: BehaviourProfile) -> np.ndarray:
    """Nash regret of a behaviour profile, shape ``(B,)``.

    The largest over players of best-response value minus current expected
    payoff (:func:`best_response_values`); zero exactly at a Nash
    equilibrium of the tree (in behaviour strategies, which under perfect
    recall is the same as mixed strategies; Kuhn 1953).
    """
    br = best_response_values(tree, profile)
    cur = expected_payoffs(tree, profile)
    return np.max(br - cur, axis=1)


def pure_profile(tree, s, choice_bh) -> BehaviourProfile:
    """The pure profile that plays action index ``choice_bh[b, h]`` at information set *h* in game *b*.

    For solvers whose choices are valid by construction: built without
    re-validation (:meth:`BehaviourProfile.from_pure` checks its input).

    Parameters
    ----------
    tree : GameTree
    s : the tree's :func:`tree_structure`
    choice_bh : ndarray of int, shape (B, H)
    """
    B = choice_bh.shape[0]
    if B > 1 and choice_bh.T.flags.c_contiguous:
        # choices node-major (H, B), as the batched solvers keep them: build the profile node-major too;
        # ``flat`` is a (B, K) view of a (K, B) array (one contiguous row per slot)
        ch = choice_bh.T
        flatT = np.zeros((s.K, B))
        if s.H:
            idx = (s.h_off[:-1, None] + ch) * B
            idx += np.arange(B)
            flatT.reshape(-1)[idx.reshape(-1)] = 1.0
        flat = flatT.T
    else:
        flat = np.zeros((B, s.K))
        if s.H:
            idx = s.h_off[:-1][None] + choice_bh
            idx += (np.arange(B) * s.K)[:, None]
            flat.reshape(-1)[idx.reshape(-1)] = 1.0
    prof = object.__new__(BehaviourProfile)
    object.__setattr__(prof, "tree", tree)
    object.__setattr__(prof, "flat", flat)
    return prof
