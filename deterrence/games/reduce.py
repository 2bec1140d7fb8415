"""The reduced normal form of a game tree, and behaviour <-> mixed strategies.

A pure strategy of a player names an action at each of her information
sets.  Two strategies that differ only at information sets their own earlier
choices make unreachable lead to the same play against every opponent, so
the *reduced* normal form keeps one of them, writing ``*`` at the
information sets it never reaches (Dalkey 1953; Kuhn 1953; von Stengel 1996,
sec. 2).  With perfect recall, a reduced strategy is a choice of one action
at each information set reached by the player's own previous choices, so the
reduced strategies are found by one recursion over the player's sequences.

Construction (vectorized)
-------------------------
For each player a 0/1 matrix ``M_i`` (reduced strategies x terminals) says
whether the strategy takes every one of the player's actions on the path to
the terminal (with perfect recall: whether it takes the *last* one).  With
``c[b, z]`` the product of chance probabilities on the path to terminal *z*,
the payoff tensor is one einsum::

    U[b, s_1, ..., s_n, j] = sum_z c[b, z] M_1[s_1, z] ... M_n[s_n, z] u[b, z, j].

Kuhn's theorem (Kuhn 1953) says that under perfect recall every mixed
strategy has an outcome-equivalent behaviour strategy and conversely:
:func:`behaviour_to_mixed` takes the product distribution over reduced
strategies, :func:`mixed_to_behaviour` divides realization probabilities of
sequences, ``beta(h, a) = r(sigma_h, a) / r(sigma_h)`` (von Stengel 1996).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import GameStructureError
from .normal_form import NormalFormGame
from .profiles import BehaviourProfile, reach_from_edges, tree_structure
from .tree import GameTree

__all__ = ["ReducedNormalForm", "reduced_normal_form", "behaviour_to_mixed", "mixed_to_behaviour"]

#: Largest payoff tensor (entries) built by :func:`reduced_normal_form`.
MAX_ENTRIES = 50_000_000


@dataclass(frozen=True, eq=False)
class ReducedNormalForm:
    """The reduced normal form of a tree and how its strategies map back to the tree.

    Attributes
    ----------
    game : NormalFormGame
        Payoffs ``(B, S_1, ..., S_n, n)``; strategy labels join the player's
        actions at her information sets (in tree order) with ``/``, ``*`` at
        information sets the strategy does not reach.
    choices : tuple of ndarray
        Per player, an int array ``(S_i, H_i)``: the action index chosen at
        each of her information sets, -1 where unreached.
    infosets : tuple of tuple of int
        Per player, the tree indices of her information sets (columns of ``choices``).
    plans : tuple of ndarray
        Per player, the 0/1 realization plan ``(S_i, K + 1)`` of each reduced
        strategy over sequences (column 0 the empty sequence, column
        ``1 + slot`` the profile slot of an action).
    """

    tree: GameTree = field(repr=False)
    game: NormalFormGame
    choices: tuple
    infosets: tuple
    plans: tuple = field(repr=False)

    def strategy(self, player, label) -> dict:
        """``{infoset label: action}`` of a reduced strategy given by label or index."""
        i = self.tree.player_index(player)
        k = label if isinstance(label, (int, np.integer)) else self.game.actions[i].index(label)
        out = {}
        for h, a in zip(self.infosets[i], self.choices[i][k]):
            if a >= 0:
                info = self.tree.infosets[h]
                out[info.label] = info.actions[a]
        return out


def _player_strategies(tree, s, i):
    """Reduced strategies of player *i*: ``(choices (S, H_i), plans (S, K + 1), own infosets)``."""
    s.player_sequences(tree, i)   # raises GameStructureError without perfect recall
    last = s.own_last[i]
    hs = [int(h) for h in np.flatnonzero(s.h_player == i)]
    parent = {h: int(last[s.h_first[h]]) for h in hs}
    under: dict = {}
    for h in hs:
        under.setdefault(parent[h], []).append(h)

    def plans(seq):
        out = [{}]
        for h in under.get(seq, []):
            opts = []
            for a in range(int(s.h_nact[h])):
                for p in plans(int(s.h_off[h]) + a + 1):
                    d = dict(p)
                    d[h] = a
                    opts.append(d)
            out = [{**r, **o} for r in out for o in opts]
            if len(out) > MAX_ENTRIES:
                raise GameStructureError(f"{tree.players[i]} has more than {MAX_ENTRIES} reduced strategies")
        return out

    ps = plans(0)
    col = {h: j for j, h in enumerate(hs)}
    choices = np.full((len(ps), len(hs)), -1, np.int64)
    R = np.zeros((len(ps), s.K + 1))
    R[:, 0] = 1.0
    for k, p in enumerate(ps):
        for h, a in p.items():
            choices[k, col[h]] = a
            R[k, int(s.h_off[h]) + a + 1] = 1.0
    # order strategies lexicographically by action index at the infosets in tree order (* last)
    key = np.where(choices < 0, np.iinfo(np.int64).max, choices)
    order = np.lexsort(key.T[::-1]) if len(hs) else np.arange(len(ps))
    return choices[order], R[order], tuple(hs)


def reduced_normal_form(tree: GameTree) -> ReducedNormalForm:
    """The reduced normal (strategic) form of a tree with perfect recall, batch axis carried.

    Raises
    ------
    GameStructureError
        If a player lacks perfect recall (naming player and information set)
        or the payoff tensor would exceed ``MAX_ENTRIES`` entries.
    """
    s = tree_structure(tree)
    n = tree.n_players
    choices, plans, own = [], [], []
    for i in range(n):
        c, R, hs = _player_strategies(tree, s, i)
        choices.append(c)
        plans.append(R)
        own.append(hs)
    sizes = [len(c) for c in choices]
    P = tree.payoffs
    cp = tree.chance_probs
    B = max(P.shape[0], cp.shape[0])
    if B * int(np.prod(sizes)) * n > MAX_ENTRIES:
        raise GameStructureError(f"the reduced normal form has {sizes} strategies per player: too large "
                                 f"(more than {MAX_ENTRIES} payoff entries)")
    ep = np.where(s.is_dec_edge[None], 1.0, cp)
    chance_reach = reach_from_edges(tree, s, ep)[:, s.term_nodes]       # (Bc, T)
    weighted = np.broadcast_to(chance_reach[..., None] * P, (B,) + P.shape[1:])   # (B, T, n)
    Ms = [R[:, s.own_last[i][s.term_nodes]] for i, R in enumerate(plans)]   # (S_i, T)
    letters = "acdefghiklmopqrsuvwxy"[:n]
    expr = "btj," + ",".join(f"{l}t" for l in letters) + "->b" + "".join(letters) + "j"
    U = np.einsum(expr, weighted, *Ms, optimize=True)
    labels = []
    for i in range(n):
        hs = own[i]
        if not hs:
            labels.append(("(no move)",))
            continue
        labs = []
        for row in choices[i]:
            labs.append("/".join(tree.infosets[h].actions[a] if a >= 0 else "*" for h, a in zip(hs, row)))
        labels.append(tuple(labs))
    game = NormalFormGame(U if tree.batched or B > 1 else U[0], players=tree.players, actions=labels,
                          name=(tree.name + " (reduced normal form)") if tree.name else None)
    return ReducedNormalForm(tree=tree, game=game, choices=tuple(choices), infosets=tuple(own),
                             plans=tuple(plans))


def behaviour_to_mixed(tree: GameTree, profile: BehaviourProfile,
                       reduced: ReducedNormalForm | None = None) -> tuple:
    """The mixed strategies over reduced strategies equivalent to *profile*.

    Player *i*'s reduced strategy gets the product of the behaviour
    probabilities of the actions it names (Kuhn 1953).  Returns one array
    ``(B, S_i)`` per player, in the order of ``reduced_normal_form(tree)``.
    """
    rnf = reduced if reduced is not None else reduced_normal_form(tree)
    s = tree_structure(tree)
    F = profile.flat
    out = []
    for i in range(tree.n_players):
        C, hs = rnf.choices[i], rnf.infosets[i]
        p = np.ones((F.shape[0], C.shape[0]))
        for j, h in enumerate(hs):
            a = C[:, j]
            cols = s.h_off[h] + np.maximum(a, 0)
            p *= np.where(a[None] >= 0, F[:, cols], 1.0)
        out.append(p)
    return tuple(out)


def mixed_to_behaviour(tree: GameTree, mixed, reduced: ReducedNormalForm | None = None) -> BehaviourProfile:
    """An outcome-equivalent behaviour profile for mixed strategies over reduced strategies.

    Parameters
    ----------
    mixed : sequence of arrays, or an object with ``.strategies`` (e.g. a MixedEquilibrium)
        One probability vector ``(S_i,)`` or ``(B, S_i)`` per player over the
        reduced strategies of :func:`reduced_normal_form`.

    Information sets a player's own mixed strategy never reaches get the
    uniform distribution (any choice there is outcome-equivalent).

    Raises
    ------
    GameStructureError
        Without perfect recall (Kuhn's theorem needs it), or on malformed input.
    """
    rnf = reduced if reduced is not None else reduced_normal_form(tree)
    if hasattr(mixed, "strategies"):
        mixed = mixed.strategies
    prof = rnf.game.profile(list(mixed))
    s = tree_structure(tree)
    B = max(p.shape[0] for p in prof)
    flat = np.empty((B, s.K))
    for i in range(tree.n_players):
        r = np.broadcast_to(prof[i], (B, prof[i].shape[1])) @ rnf.plans[i]     # (B, K + 1) realization probs
        last = s.own_last[i]
        for h in rnf.infosets[i]:
            lo, hi = int(s.h_off[h]), int(s.h_off[h + 1])
            denom = r[:, int(last[s.h_first[h]])][:, None]
            num = r[:, lo + 1:hi + 1]
            with np.errstate(invalid="ignore", divide="ignore"):
                beta = np.where(denom > 1e-15, num / np.where(denom > 1e-15, denom, 1.0), 1.0 / (hi - lo))
            flat[:, lo:hi] = beta / beta.sum(1, keepdims=True)
    return BehaviourProfile(tree, flat)
