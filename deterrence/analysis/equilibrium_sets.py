"""Every equilibrium at every point of a batch, as flat arrays (what measures are evaluated on).

A measure is a function of one equilibrium.  Where a game has several
equilibria a measure has several values, and reporting the value of the
first equilibrium a solver happens to return would hide the others.  This
module therefore lists, for a batch of parameter points, every equilibrium
of the named kind, as flat arrays in the style of
:class:`~deterrence.solve.two_by_two.BatchEquilibria`:

* ``game_index[k]``: the point of equilibrium *k* (sorted);
* ``outcome_probs[k]``: its distribution over the model's outcome atoms
  (terminals of a tree, in terminal order; action profiles of a normal form,
  first player slowest);
* ``action_probs[k]``: its action probabilities (one slot per edge of a
  tree; the players' actions one after the other in a normal form).

Concepts
--------
``"spe"``, ``"pbe"`` (trees)
    Every *pure* subgame-perfect equilibrium (perfect-information trees) or
    sequential equilibrium (trees whose information sets only hide chance,
    beliefs from chance by Bayes' rule); as in the concept registry
    (:mod:`deterrence.solve.concepts`) both names give the same listing on
    these two kinds of tree, and other trees are refused.  The batched solver gives one per
    point; where it reports a tie (``unique`` False) the pure profiles of
    that point are enumerated and each is kept if no mover gains from a
    one-shot deviation at any information set, on or off the path (beliefs
    :func:`~deterrence.solve.bayesian.chance_beliefs`).  Mixtures over tied
    actions are further equilibria; for a measure that is linear in the
    tied mover's probabilities the range over the pure ones covers them.
``"pbe"`` (signalling trees and other trees whose information sets hide a player's move)
    Every perfect Bayesian equilibrium found by
    :func:`~deterrence.solve.pbe_batch.perfect_bayesian_batch`: for
    signalling trees every family (mixed included, one representative
    each), elsewhere every pure *weak* one (beliefs free off the path; the
    listing's description says so, not "sequential"); ``complete`` says which.
``"nash"`` (normal forms)
    Every extreme Nash equilibrium: batched for 2x2 games
    (:func:`~deterrence.solve.two_by_two.solve_2x2`); for other normal forms
    point by point by the complete enumeration
    (:func:`~deterrence.solve.bimatrix.enumerate_equilibria`,
    :func:`~deterrence.solve.nplayer.enumerate_nplayer`), for at most
    :data:`MAX_POINTWISE` points (claims checked on small samples).
``"pure"`` (normal forms)
    Every pure Nash equilibrium.
``"symmetric"`` (symmetric normal forms whose players have two actions)
    Every symmetric Nash equilibrium, mixed included, all points at once
    (:func:`~deterrence.solve.symmetric.symmetric_equilibria`); asymmetric
    equilibria are not listed, and the description says so.

``complete[b]`` is False where the listing is known to be partial (more
pure profiles than :data:`MAX_PROFILES` to enumerate at a tie).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, replace

import numpy as np

from ..errors import SolverError

__all__ = ["EquilibriumSet", "equilibrium_set", "MAX_PROFILES", "DESCRIPTIONS"]

#: At a tie, at most this many pure profiles of a tree are enumerated (beyond it ``complete`` is False).
MAX_PROFILES = 4096

#: Largest batch listed point by point for concept "nash" on a normal form that is not 2x2.
MAX_POINTWISE = 256

#: What the listed equilibria are, by concept.
DESCRIPTIONS = {
    "spe": "every pure subgame-perfect equilibrium",
    "pbe": "every pure sequential equilibrium (beliefs from chance by Bayes' rule)",
    "nash": "every extreme Nash equilibrium",
    "pure": "every pure Nash equilibrium",
    "symmetric": "every symmetric Nash equilibrium (asymmetric ones not listed)",
}


@dataclass(frozen=True, eq=False)
class EquilibriumSet:
    """Equilibria of a batch of games as flat arrays (see the module docstring).

    Attributes
    ----------
    game_index : ndarray of int, shape (E,)
    outcome_probs : ndarray, shape (E, K)
    action_probs : ndarray, shape (E, A)
    pure : ndarray of bool, shape (E,)
        Every action probability is 0 or 1.
    complete : ndarray of bool, shape (B,)
        The listing holds every equilibrium of the concept's kind at that point.
    n_points : int
    concept : str
    continuum : ndarray of bool, shape (B,), or None
        Points whose equilibria include a continuum (2x2 games, ``"nash"``): there the
        listed extreme equilibria span infinitely many (mixed) ones.
    listing : str or None
        What the listing holds, when not the concept's default description.
    values : dict or None
        For a computed model (:class:`~deterrence.analysis.computed.ComputedModel`): its measures at each
        listed solution, ``{measure: ndarray of shape (E,)}``, computed by the model's own function (the
        listing has no outcome or action probabilities then).
    """

    game_index: np.ndarray
    outcome_probs: np.ndarray
    action_probs: np.ndarray
    pure: np.ndarray
    complete: np.ndarray
    n_points: int
    concept: str
    continuum: np.ndarray | None = None
    listing: str | None = None
    values: dict | None = None

    @property
    def counts(self) -> np.ndarray:
        """Number of listed equilibria at each point, shape (B,)."""
        return np.bincount(self.game_index, minlength=self.n_points)

    @property
    def description(self) -> str:
        return self.listing or DESCRIPTIONS.get(self.concept, self.concept)


def equilibrium_set(model, points, concept: str, *, tol: float = 1e-8, game=None, result=None) -> EquilibriumSet:
    """Every equilibrium of *concept* at each parameter point.

    Parameters
    ----------
    model : ParametricModel
    points : mapping of str to ndarray
        Parameter values, each a 1-d array of the same length (a validated
        batch, e.g. from :func:`~deterrence.analysis.sweep.sweep_points`).
    concept : {"spe", "pbe", "nash", "pure", "symmetric"}
    tol : float
        Solver tolerance (ties and certificates).
    game : optional
        The batched game at *points* when the caller already built it.
    result : optional
        With *game*, a tree solver's result for it at the same *tol* when the caller already solved it
        (``bayesian_backward_induction`` or ``subgame_perfect`` for a tree whose information sets hide only
        chance, ``perfect_bayesian_batch`` for the others), reused instead of solving again: a sweep with
        measures solves each chunk once.
    """
    if getattr(model, "kind", "") == "computed":      # its own function: one certified solution per point
        return model.equilibrium_set(points, tol=tol)
    if game is None:
        game = model.evaluate_batch(points)
    if concept in ("spe", "pbe"):
        if getattr(model, "kind", "") != "tree":
            raise SolverError(f"concept {concept!r} needs a tree model; {model.name!r} is a normal form")
        return _tree_set(game, concept, tol, result)
    if getattr(model, "kind", "") == "tree":
        raise SolverError(f"concept {concept!r} is not one for trees; use 'spe' or 'pbe'")
    if concept == "nash":
        if game.n_players == 2 and tuple(game.num_actions) == (2, 2):
            return _nash_2x2_set(game, tol)
        return _nash_pointwise_set(model, points, game, tol)
    if concept == "pure":
        return _pure_set(game, tol)
    if concept == "symmetric":
        return _symmetric_set(game, tol)
    raise SolverError(f"no equilibrium listing for concept {concept!r}; choose one of {list(DESCRIPTIONS)}")


# ---------------------------------------------------------------------- trees
def _tree_set(game, concept, tol, result=None) -> EquilibriumSet:
    from ..solve.bayesian import bayesian_backward_induction, hides_only_chance
    from ..solve.spe import subgame_perfect

    # as in the concept registry (deterrence.solve.concepts): on a perfect-information tree both names are
    # subgame perfection, on a tree whose information sets hide only chance both are the sequential equilibrium
    if not hides_only_chance(game):
        if concept != "pbe":
            raise SolverError(f"concept {concept!r} does not apply to a tree whose information sets hide a "
                              f"player's move; use 'pbe'")
        # signalling and other incomplete-information trees: every PBE found (solve/pbe_batch.py)
        from ..solve.pbe_batch import perfect_bayesian_batch
        r = result if result is not None else perfect_bayesian_batch(game, tol=tol)
        out = _sorted(r.game_index, r.terminal_probs, r.edge_probs, r.complete_points, game.batch_size, concept,
                      r.pure)
        from ..games.signalling import match_signalling
        if not isinstance(match_signalling(game), str):       # a signalling tree: every family, mixed included
            out = replace(out, listing="every perfect Bayesian equilibrium family (pooling, separating and hybrid, "
                                       "mixed included)")
        else:       # not the sequential equilibrium of DESCRIPTIONS["pbe"]: beliefs follow the players' moves
            out = replace(out, listing="every pure weak perfect Bayesian equilibrium (beliefs by Bayes' rule on the "
                                       "path, unrestricted off it; mixed ones not listed)")
        return out
    res = result if result is not None else \
        (subgame_perfect if game.is_perfect_information else bayesian_backward_induction)(game, tol=tol)
    B = res.batch_size
    term = np.asarray(res.terminal_probs, float)
    edges = np.asarray(res.profile.edge_probs(), float)
    edges = np.broadcast_to(edges, (B, edges.shape[1]))
    unique = np.asarray(res.unique, bool).reshape(-1)
    complete = np.ones(B, bool)
    if unique.all():            # one equilibrium at every point: the solver's arrays as they are
        return _sorted(np.arange(B), term, edges if edges.strides[0] else edges.copy(), complete, B, concept,
                       pure=np.ones(B, bool))
    gi, op, ap = [np.arange(B)], [term], [edges]
    keep = unique.copy()
    ties = np.flatnonzero(~unique)
    for b, (found, done) in zip(ties, _enumerate_pure_batch(game, ties, tol)):
        if not found:      # cannot happen for a certified solver; never drop the solver's answer
            keep[b] = True
            complete[b] = False
            continue
        complete[b] = done
        gi.append(np.full(len(found), b))
        op.append(np.array([f[0] for f in found]))
        ap.append(np.array([f[1] for f in found]))
    gi[0], op[0], ap[0] = gi[0][keep], op[0][keep], ap[0][keep]
    gi = np.concatenate(gi)
    return _sorted(gi, np.concatenate(op), np.concatenate(ap), complete, B, concept, pure=np.ones(len(gi), bool))


def _enumerate_pure(tree, tol):
    """Every pure profile of an unbatched tree with no profitable one-shot deviation at any information set
    (beliefs from chance).  Returns ``([(terminal probs, edge probs)], complete)``."""
    from ..games.profiles import BehaviourProfile, node_values, outcome_distribution
    from ..solve.bayesian import chance_beliefs

    infosets = tree.infosets
    sizes = [len(h.actions) for h in infosets]
    if int(np.prod(sizes, dtype=float)) > MAX_PROFILES:
        return [], False
    mu = chance_beliefs(tree)[0]
    from ..solve.tolerance import tree_tie_scale
    scale, rounding = tree_tie_scale(np.asarray(tree.payoffs, float), tol)   # the solvers' certificate tolerance
    slack = float(scale[0] + rounding[0])
    ptr, child = tree.child_ptr, tree.child_index
    out = []
    for combo in itertools.product(*(range(k) for k in sizes)):
        prof = BehaviourProfile.from_pure(tree, np.array(combo, np.int64))
        W = node_values(tree, prof)[0]
        ok = True
        for h, a in zip(infosets, combo):
            i = h.player
            vals = np.array([sum(mu[v] * W[child[ptr[v] + j], i] for v in h.nodes) for j in range(len(h.actions))])
            if vals.max() - vals[a] > slack:
                ok = False
                break
        if ok:
            out.append((outcome_distribution(tree, prof).terminal[0], prof.edge_probs()[0]))
    return out, True


_TIE_BLOCK = 4096        # tie points whose pure profiles are checked together


def _sub_batch(tree, idx):
    """The trees ``idx`` of a batched tree, as one batched tree (as ``tree[b]`` for a single one)."""
    t = object.__new__(type(tree))
    t.__dict__.update(tree.__dict__)
    P = np.asarray(tree.payoffs)
    t.payoffs = np.broadcast_to(P, (tree.batch_size,) + P.shape[1:])[idx] if P.shape[0] == 1 and len(idx) else P[idx]
    t.chance_probs = tree.chance_probs[idx] if tree.chance_probs.shape[0] > 1 else tree.chance_probs
    t.batched = True
    return t


def _enumerate_pure_batch(game, idx, tol):
    """:func:`_enumerate_pure` at the trees ``idx`` of a batched tree, each pure profile checked at every one of
    them in one batched pass (the per-point loop cost ~30 ms a point on a three-player tree).  Returns one
    ``([(terminal probs, edge probs)], complete)`` per index, in the order of ``idx`` and, within a point, in
    the order of :func:`_enumerate_pure`."""
    from ..games.profiles import BehaviourProfile, node_values, outcome_distribution
    from ..solve.bayesian import chance_beliefs
    from ..solve.tolerance import tree_tie_scale

    idx = np.asarray(idx, np.int64)
    infosets = game.infosets
    sizes = [len(h.actions) for h in infosets]
    if int(np.prod(sizes, dtype=float)) > MAX_PROFILES:
        return [([], False) for _ in idx]
    ptr, child = game.child_ptr, game.child_index
    # per information set: its nodes and, for each node, the child reached by each action (nodes x actions)
    sets = [(np.asarray(h.nodes, np.int64), h.player,
             np.array([[child[ptr[v] + j] for j in range(len(h.actions))] for v in h.nodes], np.int64))
            for h in infosets]
    out = [[] for _ in idx]
    for lo in range(0, len(idx), _TIE_BLOCK):
        block = idx[lo:lo + _TIE_BLOCK]
        tree = _sub_batch(game, block)
        m = len(block)
        mu = chance_beliefs(tree)                                          # (m, N)
        mu = np.broadcast_to(mu, (m, mu.shape[1]))
        scale, rounding = tree_tie_scale(np.broadcast_to(np.asarray(tree.payoffs, float),
                                                         (m,) + tree.payoffs.shape[1:]), tol)
        slack = scale + rounding                                           # the solvers' certificate tolerance
        for combo in itertools.product(*(range(k) for k in sizes)):
            prof = BehaviourProfile.from_pure(tree, np.array(combo, np.int64))
            W = np.broadcast_to(node_values(tree, prof), (m, game.n_nodes, game.n_players))
            ok = np.ones(m, bool)
            for (nodes, i, kids), a in zip(sets, combo):
                vals = np.einsum("bv,bvj->bj", mu[:, nodes], W[:, kids, i])
                ok &= ~(vals.max(axis=1) - vals[:, a] > slack)
                if not ok.any():
                    break
            if ok.any():
                term = np.broadcast_to(outcome_distribution(tree, prof).terminal, (m, game.n_terminals))
                ep = prof.edge_probs()                                     # chance edges vary by point
                ep = np.broadcast_to(ep, (m, ep.shape[1]))
                for j in np.flatnonzero(ok):
                    out[lo + j].append((term[j], ep[j]))
    return [(found, True) for found in out]


# ---------------------------------------------------------------------- normal forms
def _nash_2x2_set(game, tol) -> EquilibriumSet:
    from ..solve.two_by_two import solve_2x2

    if game.n_players != 2 or tuple(game.num_actions) != (2, 2):
        raise SolverError(f"concept 'nash' is listed in batch for 2x2 games; this game has actions "
                          f"{tuple(game.num_actions)} (use 'pure')")
    B = int(game.batch_size)
    eq = solve_2x2(game, tol=tol)
    row, col = np.asarray(eq.row, float), np.asarray(eq.column, float)
    dist = (row[:, :, None] * col[:, None, :]).reshape(len(row), 4)
    acts = np.concatenate([row, col], axis=1)
    out = _sorted(np.asarray(eq.game_index, np.int64), dist, acts, np.ones(B, bool), B, "nash")
    cont = np.zeros(B, bool) if eq.continuum is None else np.asarray(eq.continuum, bool).reshape(B)
    return replace(out, continuum=cont)


def _nash_pointwise_set(model, points, game, tol) -> EquilibriumSet:
    """Every extreme Nash equilibrium of a normal form that is not 2x2, by complete enumeration at each point."""
    B = int(game.batch_size)
    if B > MAX_POINTWISE:
        raise SolverError(f"concept 'nash' is listed in batch for 2x2 games only; this game has actions "
                          f"{tuple(game.num_actions)} and {B} points are more than the {MAX_POINTWISE} solved one "
                          f"by one (use 'pure', or fewer points)")
    gis, dists, acts, complete = [], [], [], np.ones(B, bool)
    for b in range(B):
        g = model.at({k: float(np.asarray(v).reshape(-1)[b]) for k, v in points.items()})
        if g.n_players == 2:
            from ..solve.bimatrix import enumerate_equilibria
            es = enumerate_equilibria(g, exact=False)
        else:
            from ..solve.nplayer import enumerate_nplayer
            es = enumerate_nplayer(g, tol=tol)
        complete[b] = bool(getattr(es, "complete", True))
        one = equilibria_from_strategies(g, [[[float(p) for p in s] for s in e.strategies]
                                             for e in getattr(es, "extreme", es)], "nash")
        gis.append(np.full(len(one.game_index), b, np.int64))
        dists.append(one.outcome_probs)
        acts.append(one.action_probs)
    K, A = int(np.prod(game.num_actions)), int(sum(game.num_actions))
    cat = (lambda xs, w: np.concatenate(xs) if xs else np.zeros((0, w)))
    return _sorted(np.concatenate(gis) if gis else np.zeros(0, np.int64), cat(dists, K), cat(acts, A),
                   complete, B, "nash")


def _pure_set(game, tol) -> EquilibriumSet:
    from ..solve.pure import pure_nash_mask

    B = int(game.batch_size)
    mask = np.asarray(pure_nash_mask(game, tol=tol)).reshape(B, -1)
    b, k = np.nonzero(mask)
    K = mask.shape[1]
    dist = np.zeros((len(b), K))
    dist[np.arange(len(b)), k] = 1.0
    shape = tuple(game.num_actions)
    idx = np.array(np.unravel_index(k, shape)).T.reshape(len(b), len(shape))
    offs = np.concatenate([[0], np.cumsum(shape)])[:-1]
    acts = np.zeros((len(b), int(sum(shape))))
    for i in range(len(shape)):
        acts[np.arange(len(b)), offs[i] + idx[:, i]] = 1.0
    return _sorted(b.astype(np.int64), dist, acts, np.ones(B, bool), B, "pure")


def _symmetric_set(game, tol) -> EquilibriumSet:
    from ..solve.symmetric import symmetric_equilibria

    res = symmetric_equilibria(game, tol=tol)
    n = res.n_players
    acts = np.tile(res.strategies(), (1, n))                     # every player the same (1 - p, p)
    # complete where the solver listed every symmetric equilibrium of that game (not where a support's
    # indifference system has a segment of solutions or a multiple root: three or more actions)
    out = _sorted(res.game_index, res.profile_probabilities(), acts, res.complete_games.copy(),
                  res.batch_size, "symmetric", pure=res.pure)
    return replace(out, continuum=np.asarray(res.continuum, bool))


def equilibria_from_strategies(game, strategies, concept: str) -> EquilibriumSet:
    """An :class:`EquilibriumSet` of one normal-form game from a list of mixed profiles
    (each a sequence of per-player probability vectors), e.g. from an exact enumeration."""
    shape = tuple(game.num_actions)
    dists, acts = [], []
    for prof in strategies:
        vecs = [np.asarray(s, float) for s in prof]
        d = vecs[0]
        for v in vecs[1:]:
            d = np.multiply.outer(d, v)
        dists.append(np.asarray(d).reshape(-1))
        acts.append(np.concatenate(vecs))
    E = len(dists)
    K, A = int(np.prod(shape)), int(sum(shape))
    return _sorted(np.zeros(E, np.int64), np.array(dists).reshape(E, K), np.array(acts).reshape(E, A),
                   np.ones(1, bool), 1, concept)


def _sorted(gi, op, ap, complete, B, concept, pure=None) -> EquilibriumSet:
    gi = np.asarray(gi, np.int64)
    op, ap = np.asarray(op, float), np.asarray(ap, float)
    if len(gi) > 1 and not np.all(gi[1:] >= gi[:-1]):       # already sorted (one equilibrium per point): no copies
        order = np.argsort(gi, kind="stable")
        gi, op, ap = gi[order], op[order], ap[order]
        pure = None if pure is None else np.asarray(pure, bool)[order]
    if pure is None:
        pure = np.all((np.abs(ap) < 1e-9) | (np.abs(ap - 1) < 1e-9), axis=1) if ap.size else np.ones(len(gi), bool)
    else:
        pure = np.asarray(pure, bool)
    return EquilibriumSet(game_index=gi, outcome_probs=op, action_probs=ap, pure=pure,
                          complete=np.asarray(complete, bool), n_points=int(B), concept=concept)
