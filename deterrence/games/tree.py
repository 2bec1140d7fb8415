"""Game trees (extensive-form games) stored as flat arrays.

A game tree has decision nodes (a player chooses one of her labelled
actions), chance nodes (nature draws an action with given probabilities, for
instance the defender's *type* in a game of incomplete information) and
terminal nodes (a labelled outcome such as "status quo", "war" or
"capitulation", with one payoff per player).  Decision nodes are grouped
into information sets: a player cannot tell the nodes of one information set
apart, so she chooses the same action at all of them.

Storage
-------
Nodes are numbered in breadth-first order from the root (node 0), so a
parent always has a smaller number than its children.  The children of node
``k`` are ``child_index[child_ptr[k]:child_ptr[k + 1]]`` in action order;
edge ``e`` (an entry of ``child_index``) carries the action label
``edge_label[e]`` and, below a chance node, the probability
``chance_probs[b, e]``.  Payoffs are ``payoffs[b, t, i]`` for terminal ``t``
and player ``i``, with a leading batch axis as in
:class:`~deterrence.games.NormalFormGame`.  These arrays make backward
induction a handful of vectorized passes, one per depth level.

Build a tree from a flat list of nodes with :meth:`GameTree.from_nodes` (the
form model files use) or, for large generated trees, :meth:`GameTree.from_arrays`.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import GameStructureError

__all__ = ["GameTree", "Decision", "Chance", "Terminal", "InformationSet",
           "TERMINAL", "DECISION", "CHANCE"]

TERMINAL, DECISION, CHANCE = 0, 1, 2
PROB_TOL = 1e-9


# ---------------------------------------------------------------------- node specs
@dataclass(frozen=True)
class Decision:
    """A decision node: *player* chooses among *actions* (``{label: child id}``).

    Nodes with the same *infoset* label form one information set (the player
    cannot tell them apart); without a label the node is its own
    information set.
    """

    id: str
    player: str
    actions: Mapping[str, str]
    infoset: str | None = None


@dataclass(frozen=True)
class Chance:
    """A chance node: nature draws an action; ``actions`` maps ``label -> (child id, probability)``."""

    id: str
    actions: Mapping[str, tuple]


@dataclass(frozen=True)
class Terminal:
    """A terminal node with an *outcome* label and one payoff per player.

    *payoffs* is a sequence in player order or a mapping ``{player: payoff}``;
    a payoff may be an array (a batch of parameter points).
    """

    id: str
    payoffs: Any
    outcome: str | None = None


@dataclass(frozen=True)
class InformationSet:
    """An information set: the *nodes* (tree indices) among which *player* cannot distinguish."""

    label: str
    player: int
    actions: tuple
    nodes: tuple


# ---------------------------------------------------------------------- the tree
class GameTree:
    """A finite game tree with chance moves and information sets.

    Use :meth:`from_nodes` or :meth:`from_arrays`; the constructor takes the
    validated arrays directly.

    Attributes
    ----------
    players : tuple of str
    kind : ndarray of int8, shape (N,)
        ``TERMINAL`` (0), ``DECISION`` (1) or ``CHANCE`` (2).
    player : ndarray of int, shape (N,)
        Mover at a decision node, -1 elsewhere.
    parent : ndarray of int, shape (N,)
        Parent node, -1 at the root.
    depth : ndarray of int, shape (N,)
    child_ptr, child_index : ndarray of int
        Children in CSR form (see the module docstring).
    edge_label : tuple of str, shape (E,)
        Action label of each edge (None for generated trees: labels are then
        ``"a1"``, ``"a2"``, ... by position).
    infoset : ndarray of int, shape (N,)
        Information set of a decision node, -1 elsewhere.
    infosets : tuple of InformationSet
    chance_probs : ndarray, shape (B, E)
        Probability of each edge below a chance node (0 on other edges).
    terminal : ndarray of int, shape (N,)
        Terminal index of a terminal node, -1 elsewhere.
    outcomes : tuple of str, shape (T,)
        Outcome label of each terminal.
    payoffs : ndarray, shape (B, T, n)
    node_ids : tuple of str, shape (N,)
    batched : bool
    """

    def __init__(self, *, players, kind, player, parent, child_ptr, child_index, edge_label,
                 infoset, infosets, chance_probs, terminal, outcomes, payoffs, node_ids,
                 batched=False, name=None):
        self.players = tuple(players)
        self.kind = kind
        self.player = player
        self.parent = parent
        self.child_ptr = child_ptr
        self.child_index = child_index
        self._edge_label = edge_label
        self.infoset = infoset
        self.infosets = infosets if isinstance(infosets, _LazyInfosets) else tuple(infosets)
        self.chance_probs = chance_probs
        self.terminal = terminal
        self.outcomes = outcomes if isinstance(outcomes, _LazyLabels) else tuple(outcomes)
        self.payoffs = payoffs
        self._node_ids = node_ids
        self.batched = batched
        self.name = name
        self.depth = _depths(parent)
        self._recall = None

    # ------------------------------------------------------------------ sizes
    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def n_nodes(self) -> int:
        return len(self.kind)

    @property
    def n_terminals(self) -> int:
        return self.payoffs.shape[1]

    @property
    def batch_size(self) -> int:
        return self.payoffs.shape[0]

    @property
    def edge_parent(self) -> np.ndarray:
        """The node each edge leaves from, shape (E,)."""
        return np.repeat(np.arange(self.n_nodes), np.diff(self.child_ptr))

    @property
    def edge_label(self) -> tuple:
        if self._edge_label is None:
            pos = np.arange(len(self.child_index)) - self.child_ptr[self.edge_parent]
            self._edge_label = tuple(f"a{k + 1}" for k in pos)
        return self._edge_label

    @property
    def node_ids(self) -> tuple:
        if self._node_ids is None:
            self._node_ids = tuple(f"n{k}" for k in range(self.n_nodes))
        return self._node_ids

    def children(self, node: int) -> np.ndarray:
        return self.child_index[self.child_ptr[node]:self.child_ptr[node + 1]]

    def actions(self, node: int) -> tuple:
        return self.edge_label[self.child_ptr[node]:self.child_ptr[node + 1]]

    def node(self, node_id: str) -> int:
        """Index of the node with the given id."""
        try:
            return self.node_ids.index(node_id)
        except ValueError:
            raise GameStructureError(f"no node {node_id!r} in the tree") from None

    def player_index(self, player) -> int:
        if isinstance(player, (int, np.integer)):
            if not 0 <= player < self.n_players:
                raise GameStructureError(f"no player {player}")
            return int(player)
        try:
            return self.players.index(player)
        except ValueError:
            raise GameStructureError(f"unknown player {player!r}; players are {list(self.players)}") from None

    @property
    def is_perfect_information(self) -> bool:
        """Every information set is a single node."""
        if isinstance(self.infosets, _LazyInfosets):
            return True
        return all(len(h.nodes) == 1 for h in self.infosets)

    def __getitem__(self, b: int) -> "GameTree":
        """Tree *b* of a batch, unbatched."""
        if not -self.batch_size <= b < self.batch_size:
            raise IndexError(f"tree {b} out of a batch of {self.batch_size}")
        b = b % self.batch_size
        t = object.__new__(GameTree)
        t.__dict__.update(self.__dict__)
        t.payoffs = self.payoffs[b:b + 1]
        t.chance_probs = self.chance_probs[b:b + 1] if self.chance_probs.shape[0] > 1 else self.chance_probs
        t.batched = False
        return t

    def __repr__(self) -> str:
        title = f" {self.name!r}" if self.name else ""
        batch = f", batch of {self.batch_size}" if self.batched else ""
        return (f"<GameTree{title}: {self.n_nodes} nodes, {self.n_terminals} outcomes, "
                f"{len(self.infosets)} information sets, players {list(self.players)}{batch}>")

    # ------------------------------------------------------------------ perfect recall
    def recall_violations(self) -> list[str]:
        """Violations of perfect recall, as sentences naming player and information set.

        A player has perfect recall when all nodes of each of her information
        sets are reached by the same sequence of her own (information set,
        action) choices (Kuhn 1953), which also rules out absent-mindedness
        (an information set met twice on one path).
        """
        if self._recall is None and self.is_perfect_information:
            self._recall = []  # singleton information sets: nothing to forget
        if self._recall is None:
            # sequence of choices of each player on the path to each node
            seqs = [None] * self.n_nodes
            seqs[0] = tuple(() for _ in self.players)
            for k in range(1, self.n_nodes):
                p = self.parent[k]
                s = seqs[p]
                if self.kind[p] == DECISION:
                    e = self._edge_to(k)
                    i = self.player[p]
                    a = e - self.child_ptr[p]
                    s = s[:i] + (s[i] + ((int(self.infoset[p]), int(a)),),) + s[i + 1:]
                seqs[k] = s
            problems = []
            for h in self.infosets:
                first = seqs[h.nodes[0]][h.player]
                for v in h.nodes[1:]:
                    if seqs[v][h.player] != first:
                        problems.append(
                            f"{self.players[h.player]} does not recall her earlier moves at information set "
                            f"{h.label!r}: nodes {self.node_ids[h.nodes[0]]!r} and {self.node_ids[v]!r} "
                            f"follow different own choices")
                        break
                hid = int(self.infoset[h.nodes[0]])
                for v in h.nodes:
                    if any(ih == hid for ih, _ in seqs[v][h.player]):
                        problems.append(f"information set {h.label!r} of {self.players[h.player]} is met twice "
                                        f"on one path (absent-mindedness)")
                        break
            self._recall = problems
        return list(self._recall)

    @property
    def perfect_recall(self) -> bool:
        return not self.recall_violations()

    def _edge_to(self, k: int) -> int:
        p = self.parent[k]
        kids = self.child_index[self.child_ptr[p]:self.child_ptr[p + 1]]
        return int(self.child_ptr[p] + np.flatnonzero(kids == k)[0])

    # ------------------------------------------------------------------ builders
    @classmethod
    def from_nodes(cls, players: Sequence[str], nodes: Sequence, *, root: str | None = None,
                   name: str | None = None) -> "GameTree":
        """Build and validate a tree from a flat list of nodes.

        Parameters
        ----------
        players : sequence of str
            Player labels.
        nodes : sequence of Decision, Chance, Terminal or dict
            A dict takes the same fields: ``{"id", "player", "actions",
            "infoset"}`` for a decision node, ``{"id", "chance": {label:
            [child, probability]}}`` for a chance node, ``{"id", "payoffs",
            "outcome"}`` for a terminal.
        root : str, optional
            Id of the root; by default the one node that is no node's child.

        Raises
        ------
        GameStructureError
            Naming the node at fault: duplicate or unknown ids (dangling
            references), a node with two parents, cycles, unreachable nodes,
            unknown players, payoffs of the wrong length or not finite,
            probabilities outside [0, 1] or not summing to 1, inconsistent
            information sets (different players or actions).
        """
        players = tuple(str(p) for p in players)
        if not players:
            raise GameStructureError("a game tree needs at least one player")
        if len(set(players)) != len(players):
            raise GameStructureError(f"player labels must be distinct: {list(players)}")
        specs = [_as_spec(x, k) for k, x in enumerate(nodes)]
        if not specs:
            raise GameStructureError("a game tree needs at least one node")
        by_id: dict[str, Any] = {}
        for s in specs:
            if s.id in by_id:
                raise GameStructureError(f"node id {s.id!r} is used twice")
            by_id[s.id] = s
        # edges
        parent_of: dict[str, str] = {}
        for s in specs:
            edges = _edges(s)
            if not edges and not isinstance(s, Terminal):
                kind_name = "decision" if isinstance(s, Decision) else "chance"
                raise GameStructureError(f"{kind_name} node {s.id!r} has no actions")
            for label, child in edges:
                if child not in by_id:
                    raise GameStructureError(f"node {s.id!r}: action {label!r} leads to unknown node {child!r}")
                if child == s.id:
                    raise GameStructureError(f"node {s.id!r} leads to itself (a cycle)")
                if child in parent_of:
                    raise GameStructureError(
                        f"node {child!r} has two parents ({parent_of[child]!r} and {s.id!r}); a game tree "
                        f"needs exactly one path to each node")
                parent_of[child] = s.id
        if root is None:
            roots = [s.id for s in specs if s.id not in parent_of]
            if not roots:
                raise GameStructureError("every node is some node's child: the nodes form a cycle")
            if len(roots) > 1:
                raise GameStructureError(f"several nodes have no parent: {roots[:5]}; a tree has one root "
                                         f"(the others are unreachable or the root is ambiguous)")
            root = roots[0]
        elif root not in by_id:
            raise GameStructureError(f"root {root!r} is not a node")
        elif root in parent_of:
            raise GameStructureError(f"root {root!r} is the child of {parent_of[root]!r}")
        # breadth-first numbering
        order, seen = [], {root}
        queue = deque([root])
        while queue:
            nid = queue.popleft()
            order.append(nid)
            for _, child in _edges(by_id[nid]):
                if child in seen:
                    raise GameStructureError(f"node {child!r} is reached twice: the nodes form a cycle")
                seen.add(child)
                queue.append(child)
        if len(order) != len(specs):
            missing = [s.id for s in specs if s.id not in seen]
            raise GameStructureError(f"nodes not reachable from the root {root!r}: {missing[:10]}"
                                     + (" (they may form a cycle)" if missing else ""))
        index = {nid: k for k, nid in enumerate(order)}
        N = len(order)
        kind = np.zeros(N, np.int8)
        player = np.full(N, -1, np.int64)
        parent = np.full(N, -1, np.int64)
        child_ptr = np.zeros(N + 1, np.int64)
        child_index, edge_label, prob_cols = [], [], []
        terminal = np.full(N, -1, np.int64)
        outcome_labels, payoff_cols = [], []
        infoset_key: list = [None] * N
        batch = None

        def note_batch(size, what):
            nonlocal batch
            if size == 1:
                return
            if batch is None or batch == 1:
                batch = size
            elif batch != size:
                raise GameStructureError(f"{what}: batch of {size} values where others have {batch}")

        for k, nid in enumerate(order):
            s = by_id[nid]
            edges = _edges(s)
            child_ptr[k + 1] = child_ptr[k] + len(edges)
            for label, child in edges:
                child_index.append(index[child])
                edge_label.append(label)
                parent[index[child]] = k
            if isinstance(s, Terminal):
                terminal[k] = len(outcome_labels)
                outcome_labels.append(str(s.outcome) if s.outcome is not None else nid)
                col = _payoff_vector(s, players)
                note_batch(col.shape[0], f"payoffs of terminal {nid!r}")
                payoff_cols.append(col)
                prob_cols.extend([])
            elif isinstance(s, Decision):
                kind[k] = DECISION
                if s.player not in players:
                    raise GameStructureError(f"node {nid!r}: unknown player {s.player!r}; players are {list(players)}")
                if not edges:
                    raise GameStructureError(f"decision node {nid!r} has no actions")
                labels = [a for a, _ in edges]
                if len(set(labels)) != len(labels):
                    raise GameStructureError(f"node {nid!r}: action labels must be distinct, got {labels}")
                player[k] = players.index(s.player)
                infoset_key[k] = s.infoset if s.infoset is not None else ("__node__", nid)
            else:
                kind[k] = CHANCE
                if not edges:
                    raise GameStructureError(f"chance node {nid!r} has no actions")
        E = len(child_index)
        # chance probabilities (B, E)
        probs_by_edge = {}
        for k, nid in enumerate(order):
            s = by_id[nid]
            if isinstance(s, Chance):
                for j, (label, value) in enumerate(s.actions.items()):
                    p = _prob(value, nid, label)
                    note_batch(p.shape[0], f"probability of {label!r} at chance node {nid!r}")
                    probs_by_edge[child_ptr[k] + j] = (p, nid, label)
        B = batch or 1
        chance_probs = np.zeros((B if probs_by_edge and any(v[0].shape[0] > 1 for v in probs_by_edge.values()) else 1, E))
        for e, (p, nid, label) in probs_by_edge.items():
            chance_probs[:, e] = p
        for k, nid in enumerate(order):
            if kind[k] == CHANCE:
                tot = chance_probs[:, child_ptr[k]:child_ptr[k + 1]].sum(1)
                if np.any(np.abs(tot - 1) > PROB_TOL):
                    bad = float(tot[np.argmax(np.abs(tot - 1))])
                    raise GameStructureError(f"chance node {nid!r}: probabilities sum to {bad:.6g}, not 1")
        if payoff_cols and all(c.shape[0] == 1 for c in payoff_cols):
            payoffs = np.broadcast_to(np.concatenate(payoff_cols, axis=0)[None], (B, len(payoff_cols), len(players))).copy()
        else:
            payoffs = np.stack([np.broadcast_to(c, (B, len(players))) for c in payoff_cols], axis=1) if payoff_cols \
                else np.zeros((B, 0, len(players)))
        if not payoff_cols:
            raise GameStructureError("the tree has no terminal node")
        # information sets
        keys: dict = {}
        members: list[list[int]] = []
        for k in range(N):
            if kind[k] == DECISION:
                key = infoset_key[k]
                if key not in keys:
                    keys[key] = len(members)
                    members.append([])
                members[keys[key]].append(k)
        infoset = np.full(N, -1, np.int64)
        infosets = []
        for key, h in keys.items():
            nodes_h = members[h]
            first = nodes_h[0]
            acts = tuple(edge_label[child_ptr[first]:child_ptr[first + 1]])
            label = key if isinstance(key, str) else key[1]
            for v in nodes_h[1:]:
                if player[v] != player[first]:
                    raise GameStructureError(
                        f"information set {label!r}: node {order[v]!r} belongs to {players[player[v]]} but node "
                        f"{order[first]!r} to {players[player[first]]}")
                other = tuple(edge_label[child_ptr[v]:child_ptr[v + 1]])
                if other != acts:
                    raise GameStructureError(
                        f"information set {label!r}: node {order[v]!r} has actions {list(other)} but node "
                        f"{order[first]!r} has {list(acts)}")
            for v in nodes_h:
                infoset[v] = h
            infosets.append(InformationSet(label=str(label), player=int(player[first]), actions=acts,
                                           nodes=tuple(nodes_h)))
        return cls(players=players, kind=kind, player=player, parent=parent, child_ptr=child_ptr,
                   child_index=np.asarray(child_index, np.int64), edge_label=tuple(edge_label),
                   infoset=infoset, infosets=infosets, chance_probs=chance_probs, terminal=terminal,
                   outcomes=outcome_labels, payoffs=payoffs, node_ids=tuple(order),
                   batched=batch is not None and batch > 1, name=name)

    @classmethod
    def from_arrays(cls, players: Sequence[str], child_ptr, player, payoffs, *, chance_probs=None,
                    infoset=None, outcomes=None, name=None) -> "GameTree":
        """Build a large tree from arrays, nodes numbered in breadth-first order.

        Parameters
        ----------
        players : sequence of str
        child_ptr : array of int, shape (N + 1,)
            Node ``k``'s children are nodes ``first + child_ptr[k] ..
            first + child_ptr[k + 1] - 1`` where children are numbered
            consecutively in breadth-first order (node 0 is the root, so
            ``first = 1``): the edge ``e`` leads to node ``e + 1``.
        player : array of int, shape (N,)
            Mover at each node: a player index, -1 for chance, ignored at
            terminals (nodes with no children).
        payoffs : array, shape (T, n) or (B, T, n)
            Payoffs of the terminals, in node order.
        chance_probs : array, shape (E,) or (B, E), optional
            Edge probabilities (used below chance nodes).
        infoset : array of int, shape (N,), optional
            Information-set number of each decision node (default: each node its own).
        """
        child_ptr = np.asarray(child_ptr, np.int64)
        N = len(child_ptr) - 1
        E = int(child_ptr[-1])
        if N < 1 or child_ptr[0] != 0 or np.any(np.diff(child_ptr) < 0):
            raise GameStructureError("child_ptr must start at 0 and never decrease")
        if E != N - 1:
            raise GameStructureError(f"a tree with {N} nodes has {N - 1} edges; child_ptr says {E}")
        child_index = np.arange(1, N, dtype=np.int64)
        parent = np.full(N, -1, np.int64)
        nchild = np.diff(child_ptr)
        parent[1:] = np.repeat(np.arange(N), nchild)
        if np.any(parent[1:] >= np.arange(1, N)):
            raise GameStructureError("nodes must be numbered so that every parent precedes its children")
        player = np.asarray(player, np.int64)
        if player.shape != (N,):
            raise GameStructureError(f"player must have shape ({N},), got {player.shape}")
        is_term = nchild == 0
        kind = np.where(is_term, TERMINAL, np.where(player < 0, CHANCE, DECISION)).astype(np.int8)
        if np.any(player[kind == DECISION] >= len(players)):
            raise GameStructureError(f"player index out of range for {len(players)} players")
        player = np.where(kind == DECISION, player, -1)
        try:
            payoffs = np.asarray(payoffs, float)
        except (TypeError, ValueError) as exc:
            raise GameStructureError(f"payoffs must be an array of numbers: {exc}") from None
        batched = payoffs.ndim == 3
        if payoffs.ndim == 2:
            payoffs = payoffs[None]
        T = int(is_term.sum())
        if payoffs.ndim != 3 or payoffs.shape[1:] != (T, len(players)):
            raise GameStructureError(f"payoffs must have shape ({T}, {len(players)}) or (B, {T}, {len(players)}); "
                                     f"got {np.shape(payoffs)}")
        if not np.all(np.isfinite(payoffs)):
            raise GameStructureError("payoffs must be finite")
        terminal = np.full(N, -1, np.int64)
        terminal[is_term] = np.arange(T)
        if chance_probs is None:
            chance_probs = np.zeros((1, E))
            if np.any(kind == CHANCE):
                raise GameStructureError("the tree has chance nodes but no chance_probs")
        try:
            chance_probs = np.atleast_2d(np.asarray(chance_probs, float))
        except (TypeError, ValueError) as exc:
            raise GameStructureError(f"chance_probs must be an array of numbers: {exc}") from None
        if chance_probs.shape[-1] != E:
            raise GameStructureError(f"chance_probs must have {E} entries per game")
        cn = np.flatnonzero(kind == CHANCE)
        if cn.size:
            eparent = parent[1:]
            on_chance = kind[eparent] == CHANCE
            sub = chance_probs[:, on_chance]
            bad_p = ~np.isfinite(sub) | (sub < -PROB_TOL) | (sub > 1 + PROB_TOL)   # NaN fails every comparison
            if np.any(bad_p):
                g, k = (int(v) for v in np.argwhere(bad_p)[0])
                e = int(np.flatnonzero(on_chance)[k])
                raise GameStructureError(
                    f"chance_probs: the probability of edge {e} (below chance node {int(eparent[e])}) must lie "
                    f"in [0, 1], got {sub[g, k]!r}" + (f" in game {g} of the batch" if chance_probs.shape[0] > 1 else ""))
            sums = np.zeros((chance_probs.shape[0], N))
            np.add.at(sums.T, eparent[on_chance], sub.T)
            bad = np.abs(sums[:, cn] - 1) > PROB_TOL
            if np.any(bad):
                raise GameStructureError(f"chance node {int(cn[np.argmax(bad.any(0))])}: probabilities do not sum to 1")
        dec = np.flatnonzero(kind == DECISION)
        if infoset is None:
            iset = np.full(N, -1, np.int64)
            iset[dec] = np.arange(dec.size)
            infosets = _LazyInfosets(dec, player, nchild)
        else:
            iset = np.where(kind == DECISION, np.asarray(infoset, np.int64), -1)
            infosets = []
            labels = np.unique(iset[dec])
            remap = {int(h): j for j, h in enumerate(labels)}
            for j, h in enumerate(labels):
                nodes_h = dec[iset[dec] == h]
                ps, ns = set(player[nodes_h].tolist()), set(nchild[nodes_h].tolist())
                if len(ps) != 1 or len(ns) != 1:
                    raise GameStructureError(f"information set {int(h)}: nodes differ in player or number of actions")
                infosets.append(InformationSet(label=str(int(h)), player=int(player[nodes_h[0]]),
                                               actions=tuple(f"a{k + 1}" for k in range(int(nchild[nodes_h[0]]))),
                                               nodes=tuple(int(v) for v in nodes_h)))
            iset[dec] = [remap[int(h)] for h in iset[dec]]
        if outcomes is None:
            outcomes = _LazyLabels("t", T)
        return cls(players=players, kind=kind, player=player, parent=parent, child_ptr=child_ptr,
                   child_index=child_index, edge_label=None, infoset=iset, infosets=infosets,
                   chance_probs=chance_probs, terminal=terminal, outcomes=outcomes, payoffs=payoffs,
                   node_ids=None, batched=batched, name=name)


# ---------------------------------------------------------------------- helpers
class _LazyLabels(Sequence):
    """Labels ``prefix0, prefix1, ...`` made on demand (large generated trees)."""

    def __init__(self, prefix, n):
        self.prefix, self.n = prefix, n

    def __len__(self):
        return self.n

    def __getitem__(self, k):
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(self.n))]
        if not -self.n <= k < self.n:
            raise IndexError(k)
        return f"{self.prefix}{k % self.n}"


class _LazyInfosets(Sequence):
    """Singleton information sets made on demand (perfect-information generated trees)."""

    def __init__(self, dec, player, nchild):
        self.dec, self.player, self.nchild = dec, player, nchild

    def __len__(self):
        return len(self.dec)

    def __getitem__(self, h):
        if isinstance(h, slice):
            return [self[j] for j in range(*h.indices(len(self)))]
        v = int(self.dec[h])
        return InformationSet(label=f"n{v}", player=int(self.player[v]),
                              actions=tuple(f"a{k + 1}" for k in range(int(self.nchild[v]))), nodes=(v,))


def _depths(parent: np.ndarray) -> np.ndarray:
    """Depth of every node; in breadth-first numbering ``parent`` is nondecreasing,
    so each level is a contiguous block found by one binary search."""
    n = len(parent)
    depth = np.zeros(n, np.int64)
    hi, d = 1, 0
    tail = parent[1:]
    while hi < n:
        nxt = int(np.searchsorted(tail, hi, side="left")) + 1
        if nxt <= hi:
            raise GameStructureError("nodes are not in breadth-first order")
        d += 1
        depth[hi:nxt] = d
        hi = nxt
    return depth


def _as_spec(x, k):
    if isinstance(x, (Decision, Chance, Terminal)):
        spec = x
    elif isinstance(x, Mapping):
        if "id" not in x:
            raise GameStructureError(f"node #{k}: missing 'id'")
        nid = str(x["id"])
        keys = set(x)
        if "chance" in x:
            extra = keys - {"id", "chance"}
            if extra:
                raise GameStructureError(f"chance node {nid!r}: unexpected keys {sorted(extra)}")
            acts = x["chance"]
            if not isinstance(acts, Mapping):
                raise GameStructureError(f"chance node {nid!r}: 'chance' must map action -> [child, probability]")
            spec = Chance(nid, dict(acts))
        elif "player" in x or "actions" in x:
            extra = keys - {"id", "player", "actions", "infoset"}
            if extra:
                raise GameStructureError(f"decision node {nid!r}: unexpected keys {sorted(extra)}")
            if "player" not in x:
                raise GameStructureError(f"decision node {nid!r}: missing 'player'")
            if not isinstance(x.get("actions"), Mapping):
                raise GameStructureError(f"decision node {nid!r}: 'actions' must map action label -> child id")
            spec = Decision(nid, str(x["player"]), dict(x["actions"]), x.get("infoset"))
        elif "payoffs" in x:
            extra = keys - {"id", "payoffs", "outcome"}
            if extra:
                raise GameStructureError(f"terminal node {nid!r}: unexpected keys {sorted(extra)}")
            spec = Terminal(nid, x["payoffs"], x.get("outcome"))
        else:
            raise GameStructureError(f"node {nid!r}: give 'player' and 'actions', 'chance', or 'payoffs'")
    else:
        raise GameStructureError(f"node #{k}: expected a Decision, Chance, Terminal or dict, got {type(x).__name__}")
    if not isinstance(spec.id, str) or not spec.id:
        raise GameStructureError(f"node #{k}: id must be a non-empty string")
    return spec


def _edges(s) -> list:
    if isinstance(s, Decision):
        return [(str(a), str(c)) for a, c in s.actions.items()]
    if isinstance(s, Chance):
        out = []
        for a, v in s.actions.items():
            if not (isinstance(v, (tuple, list)) and len(v) == 2):
                raise GameStructureError(f"chance node {s.id!r}: action {a!r} must be [child id, probability]")
            out.append((str(a), str(v[0])))
        return out
    return []


def _prob(value, nid, label) -> np.ndarray:
    try:
        p = np.atleast_1d(np.asarray(value[1], dtype=float))
    except (TypeError, ValueError):
        raise GameStructureError(f"chance node {nid!r}: probability of {label!r} is not a number: {value[1]!r}") from None
    if p.ndim != 1 or not np.all(np.isfinite(p)) or np.any(p < -PROB_TOL) or np.any(p > 1 + PROB_TOL):
        raise GameStructureError(f"chance node {nid!r}: probability of {label!r} must lie in [0, 1], got {value[1]!r}")
    return p


def _payoff_vector(s: Terminal, players) -> np.ndarray:
    pay = s.payoffs
    if isinstance(pay, Mapping):
        unknown = set(map(str, pay)) - set(players)
        if unknown:
            raise GameStructureError(f"terminal {s.id!r}: payoff for unknown player(s) {sorted(unknown)}")
        missing = [p for p in players if p not in pay]
        if missing:
            raise GameStructureError(f"terminal {s.id!r}: no payoff for {missing}")
        pay = [pay[p] for p in players]
    try:
        pay = list(pay)
    except TypeError:
        raise GameStructureError(f"terminal {s.id!r}: payoffs must be a list or a mapping") from None
    if len(pay) != len(players):
        raise GameStructureError(f"terminal {s.id!r}: {len(pay)} payoffs for {len(players)} players")
    if all(type(v) in (float, int) for v in pay):       # the common case, plain numbers: one small array
        try:
            row = np.array(pay, dtype=float)
        except OverflowError:
            row = None
        if row is not None and np.isfinite(row).all():
            return row.reshape(1, -1)
    cols = []
    for p, v in zip(players, pay):
        try:
            a = np.atleast_1d(np.asarray(v, dtype=float))
        except (TypeError, ValueError):
            raise GameStructureError(f"terminal {s.id!r}: payoff of {p} is not a number: {v!r}") from None
        if a.ndim != 1 or not np.all(np.isfinite(a)):
            raise GameStructureError(f"terminal {s.id!r}: payoff of {p} must be finite, got {v!r}")
        cols.append(a)
    size = max(len(c) for c in cols)
    for p, c in zip(players, cols):
        if len(c) not in (1, size):
            raise GameStructureError(f"terminal {s.id!r}: payoff of {p} has {len(c)} values, others {size}")
    return np.stack([np.broadcast_to(c, (size,)) for c in cols], axis=-1)
