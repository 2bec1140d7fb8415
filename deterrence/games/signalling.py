"""Signalling games: a privately informed sender, a message, a response.

Nature draws the sender's *type* ``t`` from a common prior; the sender sees
it and sends a *message* ``m``; the receiver sees the message (not the type)
and chooses a *response* ``r``.  Payoffs ``u_S(t, m, r)`` and
``u_R(t, m, r)`` depend on all three.  This is the form of the crisis
bargaining and costly-signalling models of the field: a state of private
resolve ("resolved"/"irresolute") escalates or backs down, and the rival
resists or concedes (Spence 1973; Cho & Kreps 1987; Fearon 1994, 1997;
Banks 1991, *Signaling Games in Political Science*).

:meth:`SignallingGame.to_tree` gives the equivalent :class:`GameTree`
(chance root, one sender decision per type, one receiver information set
per message), so the general tree machinery and Gambit cross-checks apply;
:meth:`SignallingGame.from_tree` recognises that shape in a tree.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from ..errors import GameStructureError
from .labels import checked_labels
from .tree import CHANCE, DECISION, TERMINAL, GameTree

__all__ = ["SignallingGame"]


class SignallingGame:
    """A sender-receiver game of incomplete information, possibly a batch.

    Parameters
    ----------
    prior : array_like, shape (T,) or (B, T)
        Probability of each sender type; every entry must be positive (a
        type of prior zero has no Bayesian meaning; drop it) and each row
        must sum to one.
    sender_payoffs, receiver_payoffs : array_like, shape (T, M, R) or (B, T, M, R)
        ``u_S[t, m, r]`` and ``u_R[t, m, r]``.
    types, messages, responses : sequence of str, optional
        Labels (default ``t1..``, ``m1..``, ``r1..``).
    players : pair of str
        Labels of sender and receiver (default ``("sender", "receiver")``).
    name : str, optional

    Attributes
    ----------
    prior : ndarray, shape (B, T)
    sender_payoffs, receiver_payoffs : ndarray, shape (B, T, M, R)
    batched : bool

    Examples
    --------
    The beer-quiche game (Cho & Kreps 1987): a tough (0.9) or weak (0.1)
    sender breakfasts on beer or quiche; the receiver duels or not.

    >>> uS = [[[1, 3], [0, 2]], [[0, 2], [1, 3]]]     # [type][message][response]
    >>> uR = [[[0, 1], [0, 1]], [[1, 0], [1, 0]]]
    >>> g = SignallingGame([0.9, 0.1], uS, uR, types=["tough", "weak"],
    ...                    messages=["beer", "quiche"], responses=["duel", "no duel"])
    >>> g.shape
    (2, 2, 2)
    """

    def __init__(self, prior, sender_payoffs, receiver_payoffs, *, types: Sequence[str] | None = None,
                 messages: Sequence[str] | None = None, responses: Sequence[str] | None = None,
                 players: Sequence[str] = ("sender", "receiver"), name: str | None = None):
        uS = _array(sender_payoffs, "sender_payoffs")
        uR = _array(receiver_payoffs, "receiver_payoffs")
        pr = _array(prior, "prior")
        batched = uS.ndim == 4 or uR.ndim == 4 or pr.ndim == 2
        if uS.ndim not in (3, 4) or uR.ndim not in (3, 4):
            raise GameStructureError(f"payoffs must have shape (T, M, R) or (B, T, M, R); got sender "
                                     f"{uS.shape}, receiver {uR.shape}")
        if uS.shape[-3:] != uR.shape[-3:]:
            raise GameStructureError(f"sender payoffs {uS.shape[-3:]} and receiver payoffs {uR.shape[-3:]} "
                                     f"must have the same (types, messages, responses) shape")
        T, M, R = uS.shape[-3:]
        if min(T, M, R) < 1:
            raise GameStructureError(f"a signalling game needs at least one type, message and response; got {uS.shape[-3:]}")
        if pr.ndim not in (1, 2) or pr.shape[-1] != T:
            raise GameStructureError(f"prior must have shape ({T},) or (B, {T}) for {T} types; got {pr.shape}")
        sizes = {a.shape[0] for a, k in ((uS, 4), (uR, 4), (pr, 2)) if a.ndim == k} - {1}
        if len(sizes) > 1:
            raise GameStructureError(f"batch sizes disagree: {sorted(sizes)}")
        B = sizes.pop() if sizes else 1
        uS = np.broadcast_to(uS if uS.ndim == 4 else uS[None], (B, T, M, R)).copy()
        uR = np.broadcast_to(uR if uR.ndim == 4 else uR[None], (B, T, M, R)).copy()
        pr = np.broadcast_to(pr if pr.ndim == 2 else pr[None], (B, T)).copy()
        self.types = checked_labels(types, T, "types", "t")
        self.messages = checked_labels(messages, M, "messages", "m")
        self.responses = checked_labels(responses, R, "responses", "r")
        self.players = checked_labels(players, 2, "players", "player ")
        if np.any(pr <= 0):
            b, t = np.argwhere(pr <= 0)[0]
            raise GameStructureError(f"prior probability of type {self.types[t]!r} is {pr[b, t]:.6g}; every type "
                                     f"needs a positive prior" + (f" (game {b} of the batch)" if B > 1 else ""))
        if np.any(np.abs(pr.sum(1) - 1) > 1e-9):
            b = int(np.argmax(np.abs(pr.sum(1) - 1)))
            raise GameStructureError(f"prior sums to {pr[b].sum():.6g}, not 1" + (f" (game {b} of the batch)" if B > 1 else ""))
        self.prior = pr
        self.sender_payoffs = uS
        self.receiver_payoffs = uR
        self.batched = B > 1
        self.name = name

    # ------------------------------------------------------------------ basics
    @property
    def shape(self) -> tuple:
        """``(types, messages, responses)``."""
        return self.sender_payoffs.shape[1:]

    @property
    def batch_size(self) -> int:
        return self.prior.shape[0]

    @property
    def sender(self) -> str:
        return self.players[0]

    @property
    def receiver(self) -> str:
        return self.players[1]

    def __getitem__(self, b: int) -> "SignallingGame":
        """Game *b* of a batch, unbatched."""
        if not -self.batch_size <= b < self.batch_size:
            raise IndexError(f"game {b} out of a batch of {self.batch_size}")
        return SignallingGame(self.prior[b], self.sender_payoffs[b], self.receiver_payoffs[b], types=self.types,
                              messages=self.messages, responses=self.responses, players=self.players,
                              name=self.name)

    def __repr__(self) -> str:
        T, M, R = self.shape
        title = f" {self.name!r}" if self.name else ""
        batch = f", batch of {self.batch_size}" if self.batched else ""
        return (f"<SignallingGame{title}: types {list(self.types)}, messages {list(self.messages)}, "
                f"responses {list(self.responses)}{batch}>")

    # ------------------------------------------------------------------ tree form
    def infoset_labels(self) -> tuple:
        """Labels of the tree's information sets: one per type (sender), then one per message (receiver)."""
        s, r = self.players
        return (tuple(f"{s} ({t})" for t in self.types), tuple(f"{r} after {m}" for m in self.messages))

    def to_tree(self) -> GameTree:
        """The equivalent game tree.

        Nature moves first (one edge per type, probability = prior); node
        ``"type:<t>"`` is the sender's decision for type ``t`` (a singleton
        information set labelled ``"<sender> (<t>)"``); its message ``m``
        leads to node ``"<t>:<m>"`` of the receiver, in the information set
        ``"<receiver> after <m>"`` shared by all types; each response ends
        the game at outcome ``"<t>, <m>, <r>"``.
        """
        s, r = self.players
        s_sets, r_sets = self.infoset_labels()
        batch = self.batched
        nodes = [{"id": "nature", "chance": {t: [f"type:{t}", self.prior[:, i] if batch else float(self.prior[0, i])]
                                             for i, t in enumerate(self.types)}}]
        for i, t in enumerate(self.types):
            nodes.append({"id": f"type:{t}", "player": s, "infoset": s_sets[i],
                          "actions": {m: f"{t}:{m}" for m in self.messages}})
        for i, t in enumerate(self.types):
            for j, m in enumerate(self.messages):
                nodes.append({"id": f"{t}:{m}", "player": r, "infoset": r_sets[j],
                              "actions": {x: f"{t}:{m}:{x}" for x in self.responses}})
        for i, t in enumerate(self.types):
            for j, m in enumerate(self.messages):
                for k, x in enumerate(self.responses):
                    us, ur = self.sender_payoffs[:, i, j, k], self.receiver_payoffs[:, i, j, k]
                    pay = [us, ur] if batch else [float(us[0]), float(ur[0])]
                    nodes.append({"id": f"{t}:{m}:{x}", "payoffs": pay, "outcome": f"{t}, {m}, {x}"})
        return GameTree.from_nodes(self.players, nodes, root="nature", name=self.name)

    @classmethod
    def from_tree(cls, tree: GameTree) -> "SignallingGame":
        """Recognise a signalling game in *tree*; raise :class:`GameStructureError` saying why not.

        The tree must have two players, a chance root whose children are
        singleton decision nodes of one player (the sender) with the same
        actions (messages), each message leading to a decision node of the
        other player (the receiver) in one information set per message that
        holds exactly one node per type, with the same actions (responses)
        everywhere, each leading to a terminal.
        """
        sig = match_signalling(tree)
        if isinstance(sig, str):
            raise GameStructureError(f"not a signalling game: {sig}")
        return sig[0]


def _array(x, what):
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise GameStructureError(f"{what} must be numbers") from None
    if not np.all(np.isfinite(a)):
        raise GameStructureError(f"{what} must be finite")
    return a


def match_signalling(tree: GameTree):
    """Match *tree* against the signalling shape; return ``(game, map)`` or a reason."""
    if tree.n_players != 2:
        return f"it has {tree.n_players} players, not 2"
    if tree.kind[0] != CHANCE:
        return "the root is not a chance node"
    type_nodes = [int(v) for v in tree.children(0)]
    types = tree.actions(0)
    if any(tree.kind[v] != DECISION for v in type_nodes):
        return "a child of the root is not a decision node"
    s = int(tree.player[type_nodes[0]])
    if any(int(tree.player[v]) != s for v in type_nodes):
        return "the root's children belong to different players"
    messages = tree.actions(type_nodes[0])
    sender_sets = []
    for v in type_nodes:
        h = tree.infosets[int(tree.infoset[v])]
        if len(h.nodes) != 1:
            return f"the sender's information set {h.label!r} is not a singleton"
        if tree.actions(v) != messages:
            return "sender nodes have different messages"
        sender_sets.append(int(tree.infoset[v]))
    r = 1 - s
    T, M = len(type_nodes), len(messages)
    recv_nodes = np.zeros((T, M), np.int64)
    for i, v in enumerate(type_nodes):
        for j, w in enumerate(tree.children(v)):
            if tree.kind[w] != DECISION or int(tree.player[w]) != r:
                return f"message {messages[j]!r} of type {types[i]!r} does not lead to a receiver decision"
            recv_nodes[i, j] = w
    responses = tree.actions(int(recv_nodes[0, 0]))
    recv_sets = []
    for j in range(M):
        hs = {int(tree.infoset[w]) for w in recv_nodes[:, j]}
        if len(hs) != 1:
            return f"after message {messages[j]!r} the receiver's nodes lie in different information sets"
        h = hs.pop()
        if len(tree.infosets[h].nodes) != T:
            return f"information set {tree.infosets[h].label!r} holds nodes beyond one per type"
        if h in recv_sets:
            return "two messages share a receiver information set"
        recv_sets.append(h)
    B = tree.batch_size
    uS = np.zeros((B, T, M, len(responses)))
    uR = np.zeros_like(uS)
    for i in range(T):
        for j in range(M):
            w = int(recv_nodes[i, j])
            if tree.actions(w) != responses:
                return "receiver nodes have different responses"
            for k, z in enumerate(tree.children(w)):
                if tree.kind[z] != TERMINAL:
                    return "a response does not end the game"
                uS[:, i, j, k] = tree.payoffs[:, tree.terminal[z], s]
                uR[:, i, j, k] = tree.payoffs[:, tree.terminal[z], r]
    root_edges = np.arange(tree.child_ptr[0], tree.child_ptr[1])
    prior = np.broadcast_to(tree.chance_probs[:, root_edges], (B, T))
    if np.any(prior <= 0):
        return "a type has prior probability zero"
    game = SignallingGame(prior if B > 1 else prior[0], uS if B > 1 else uS[0], uR if B > 1 else uR[0],
                          types=types, messages=messages, responses=responses,
                          players=(tree.players[s], tree.players[r]), name=tree.name)
    # order of the receiver infoset's nodes by type
    recv_order = []
    for j, h in enumerate(recv_sets):
        nodes = list(tree.infosets[h].nodes)
        recv_order.append(tuple(nodes.index(int(recv_nodes[i, j])) for i in range(T)))
    return game, {"sender_sets": tuple(sender_sets), "receiver_sets": tuple(recv_sets),
                  "receiver_node_order": tuple(recv_order)}
