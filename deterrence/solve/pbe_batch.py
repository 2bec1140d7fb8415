"""Perfect Bayesian equilibria of a batch of trees, for sweeps and region maps.

:func:`perfect_bayesian_batch` takes a batched :class:`~deterrence.games.tree.GameTree`
of incomplete information and returns, for every parameter point, every
equilibrium's distribution over the tree's terminals, payoffs and a label:

* a **signalling tree** (chance draws the sender's type, the sender sends a
  message, the receiver responds): every point with positive priors is
  solved at once by :func:`~.pbe_signalling_batch.signalling_pbe_batch`
  (complete, mixed equilibria included; labels name the kind and the type
  supports, e.g. ``"hybrid [resolved: escalate; irresolute: escalate+back down]"``);
  a point where some type has prior zero is not a signalling game there and
  is solved by :func:`~.pbe_tree.perfect_bayesian` alone;
* any **other tree** with perfect recall: :func:`~.pbe_tree.perfect_bayesian`
  point by point (every pure weak PBE, ``complete`` meaning every pure one;
  labels join the outcomes each equilibrium reaches), with progress.

Trees whose information sets hide only chance are better swept by
:func:`~.bayesian.bayesian_backward_induction` (batched); the sweep routes
them there.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import SolverError
from ..games.signalling import SignallingGame, match_signalling
from ..games.assessment import AssessmentKernel
from ..games.tree import CHANCE, TERMINAL, GameTree
from .progress import Progress
from .pbe_signalling_batch import signalling_pbe_batch
from .pbe_tree import perfect_bayesian
from .results import DEFAULT_TOL, EquilibriumMixin, ResultMixin

__all__ = ["TreePBEBatch", "BatchTreeEquilibrium", "perfect_bayesian_batch"]

_EPS = 1e-12


@dataclass(frozen=True, eq=False)
class BatchTreeEquilibrium(EquilibriumMixin):
    """One equilibrium at one point of a :class:`TreePBEBatch`.

    Attributes
    ----------
    game : int
        The point of the batch.
    profile : ndarray, shape (S,)
        Behaviour, flat over the information sets' action slots.
    payoffs : ndarray, shape (n,)
    regret : float
    pure : bool
    outcome_probabilities : dict
        ``{outcome label: probability}``.
    """

    game: int
    profile: np.ndarray = field(repr=False)
    payoffs: np.ndarray = field(repr=False)
    regret: float = 0.0
    pure: bool = True
    outcome_probabilities: dict = field(default_factory=dict, repr=False)


@dataclass(frozen=True, eq=False)
class TreePBEBatch(ResultMixin):
    """Every equilibrium found at every point of a batch of trees, as flat arrays (one row per equilibrium).

    Follows the result protocol (:class:`~deterrence.solve.results.Result`).  The arrays below are
    what the solver computes; the :class:`BatchTreeEquilibrium` objects are built from them only when
    asked for (``equilibria`` builds all once and keeps them; ``for_game(b)`` builds point *b*'s), and
    list what :func:`~.pbe_tree.perfect_bayesian` lists for tree *b* alone with ``mixed=False``.

    Attributes
    ----------
    game_index : ndarray of int, shape (E,)
        The point of each equilibrium (sorted).
    profiles : ndarray, shape (E, S)
        Behaviour, flat over the information sets' action slots (``tree.infosets`` order).
    edge_probs : ndarray, shape (E, n_edges)
        Probability of every edge (chance edges at that point's chance probabilities).
    terminal_probs : ndarray, shape (E, n_terminals)
        Probability of every terminal node (``np.flatnonzero(tree.kind == TERMINAL)`` order).
    label_probs : ndarray, shape (E, len(outcomes))
        Probability of each distinct outcome label.
    payoffs : ndarray, shape (E, n_players)
    regret : ndarray, shape (E,)
        The certificate of each equilibrium (its solver's sequential regret).
    pure : ndarray of bool, shape (E,)
    n_equilibria : ndarray of int, shape (B,)
    complete_points : ndarray of bool, shape (B,)
        Every perfect Bayesian equilibrium (mixed ones included) is listed at
        that point: signalling points with a nonempty certified list.  False
        at points solved by pure enumeration, and wherever nothing was found.
    complete_pure_points : ndarray of bool, shape (B,)
        Every pure-strategy equilibrium is listed (and at least one was found).
    complete, complete_pure : bool
        The same at every point (properties; ``complete`` is the protocol's).
    labels : ndarray of object, shape (B,)
        The equilibria at each point (``"none"`` if none): for signalling points
        the kinds and type supports joined by ``" | "``; elsewhere each
        equilibrium's outcomes (joined by ``" | "``), equilibria joined by
        ``" ; "``; equal labels (equilibria differing only off the path) listed once.
    outcomes : tuple of str
        The distinct outcome labels of the tree.
    players : tuple of str
    method : str
    notes : tuple of str
    """

    game_index: np.ndarray
    profiles: np.ndarray = field(repr=False)
    edge_probs: np.ndarray = field(repr=False)
    terminal_probs: np.ndarray = field(repr=False)
    label_probs: np.ndarray = field(repr=False)
    payoffs: np.ndarray = field(repr=False)
    regret: np.ndarray = field(repr=False)
    pure: np.ndarray = field(repr=False)
    n_equilibria: np.ndarray = field(repr=False)
    complete_points: np.ndarray = field(repr=False)
    complete_pure_points: np.ndarray = field(repr=False)
    labels: np.ndarray = field(repr=False)
    outcomes: tuple = ()
    players: tuple = ()
    method: str = ""
    notes: tuple = ()

    @property
    def batch_size(self) -> int:
        return len(self.n_equilibria)

    @property
    def complete(self) -> bool:
        """Every equilibrium is listed at every point (see :attr:`complete_points`)."""
        return bool(self.complete_points.all())

    @property
    def complete_pure(self) -> bool:
        """Every pure-strategy equilibrium is listed at every point (see :attr:`complete_pure_points`),
        as :attr:`PBEResult.complete_pure <deterrence.solve.pbe_results.PBEResult>` for one tree."""
        return bool(self.complete_pure_points.all())

    @property
    def outcome_probabilities(self) -> dict:
        """``{outcome label: (E,) array}`` (columns of :attr:`label_probs`)."""
        return {lab: self.label_probs[:, k] for k, lab in enumerate(self.outcomes)}

    def equilibrium(self, k: int) -> BatchTreeEquilibrium:
        """Equilibrium *k* of the flat list (``equilibria[k]``), built from row *k* of the arrays."""
        if not 0 <= k < len(self.game_index):
            raise IndexError(f"equilibrium {k} out of {len(self.game_index)}")
        return BatchTreeEquilibrium(game=int(self.game_index[k]), profile=self.profiles[k], payoffs=self.payoffs[k],
                                    regret=float(self.regret[k]), pure=bool(self.pure[k]),
                                    outcome_probabilities={lab: float(self.label_probs[k, j])
                                                           for j, lab in enumerate(self.outcomes)})

    @property
    def equilibria(self) -> tuple:
        """Every equilibrium found, as :class:`BatchTreeEquilibrium` (built on first use, then kept)."""
        cached = self.__dict__.get("_equilibria")
        if cached is None:
            cached = tuple(self.equilibrium(k) for k in range(len(self.game_index)))
            self.__dict__["_equilibria"] = cached
        return cached

    def for_game(self, b: int) -> tuple:
        """The equilibria of point *b* (only those are built, unless :attr:`equilibria` already was)."""
        if not 0 <= b < self.batch_size:
            raise IndexError(f"game {b} out of a batch of {self.batch_size}")
        lo, hi = np.searchsorted(self.game_index, b, "left"), np.searchsorted(self.game_index, b, "right")
        cached = self.__dict__.get("_equilibria")
        return cached[lo:hi] if cached is not None else tuple(self.equilibrium(k) for k in range(lo, hi))

    def _agreed(self, values, rel):
        """Per point: the value every equilibrium there shares (NaN where they differ or none was found)."""
        B = self.batch_size
        out = np.full((B, values.shape[1]), np.nan)
        if not len(self.game_index):
            return out
        starts = np.flatnonzero(np.r_[True, self.game_index[1:] != self.game_index[:-1]])
        pts = self.game_index[starts]
        lo = np.minimum.reduceat(values, starts, axis=0)
        hi = np.maximum.reduceat(values, starts, axis=0)
        # payoffs: relative to their own magnitude at the point (not max(1, ...)): the same answer in any unit
        scale = np.maximum(np.abs(lo), np.abs(hi)).max(1, keepdims=True) if rel else 1.0
        same = np.all(hi - lo <= 1e-12 * scale, axis=1)
        out[pts[same]] = lo[same]
        return out

    def sweep_columns(self) -> dict:
        """Columns for a sweep table.

        ``outcome`` (the labels), ``n_equilibria``, ``complete``,
        ``complete_pure`` (per point), ``P(label)`` for every outcome label
        where every equilibrium found gives the same probabilities (e.g. a
        unique one, or families differing only off the path; NaN elsewhere),
        and ``payoff(player)`` likewise.
        """
        P = self._agreed(self.label_probs, rel=False)
        pay = self._agreed(self.payoffs, rel=True)
        cols = {"outcome": self.labels, "n_equilibria": self.n_equilibria, "complete": self.complete_points,
                "complete_pure": self.complete_pure_points}
        for k, lab in enumerate(self.outcomes):
            cols[f"P({lab})"] = P[:, k]
        for i, p in enumerate(self.players):
            cols[f"payoff({p})"] = pay[:, i]
        return cols


def _signalling_structure(tree: GameTree):
    """``(type_nodes (T,), receiver_nodes (T, M), sender, receiver)`` or None.

    The shape of a signalling tree, read from the structure alone (priors may be zero at some points).
    """
    if tree.n_players != 2 or tree.kind[0] != CHANCE:
        return None
    probe = tree[0]
    lo, hi = tree.child_ptr[0], tree.child_ptr[1]
    probe.chance_probs = probe.chance_probs.copy()             # structure only: a zero prior is a value
    probe.chance_probs[:, lo:hi] = 1.0 / (hi - lo)
    m = match_signalling(probe)
    if isinstance(m, str):
        return None
    types = [int(v) for v in tree.children(0)]
    recv = np.array([[int(w) for w in tree.children(v)] for v in types], np.int64)
    s = int(tree.player[types[0]])
    return types, recv, s, 1 - s


def perfect_bayesian_batch(tree: GameTree, *, tol: float = DEFAULT_TOL, max_profiles: int = 1_000_000,
                           progress=None) -> TreePBEBatch:
    """Perfect Bayesian equilibria at every point of a batch of trees (see the module docstring).

    Parameters
    ----------
    tree : GameTree
        A batch of trees with perfect recall.
    tol : float
        Certificate tolerance (relative to each game's payoff scale).
    max_profiles : int
        Passed to :func:`~.pbe_tree.perfect_bayesian` for non-signalling trees.
    progress : None, bool or callable
        :mod:`.progress` (by default a line on stderr once a run has taken two
        seconds): support patterns of a signalling tree, then the points
        solved one at a time.

    Returns
    -------
    TreePBEBatch
    """
    if not isinstance(tree, GameTree):
        raise SolverError(f"perfect_bayesian_batch needs a GameTree, got {type(tree).__name__}")
    B = tree.batch_size
    K = AssessmentKernel(tree[0])
    n_eq = np.zeros(B, np.int64)
    complete = np.zeros(B, bool)
    complete_pure = np.zeros(B, bool)
    labels = np.empty(B, dtype=object)
    gis, profs, regs = [], [], []
    rest = np.arange(B)
    method = "perfect_bayesian point by point (every pure weak PBE; mixed ones not sought)"
    st = _signalling_structure(tree)
    if st is not None:
        types, recv, s, r = st
        T, M = recv.shape
        prior = np.broadcast_to(tree.chance_probs[:, tree.child_ptr[0]:tree.child_ptr[1]], (B, T))
        pay = np.broadcast_to(tree.payoffs, (B,) + tree.payoffs.shape[1:])
        ok = np.all(prior > 0, axis=1)
        idx = np.flatnonzero(ok)
        rest = np.flatnonzero(~ok)
        method = ("signalling_pbe_batch (every PBE, mixed included)"
                  + ("; points with a type of prior zero: perfect_bayesian (pure PBE)" if len(rest) else ""))
        if len(idx):
            tix = tree.terminal[np.array([[tree.children(w) for w in row] for row in recv], np.int64)]  # (T, M, R)
            game = SignallingGame(prior[idx], pay[idx][:, tix, s], pay[idx][:, tix, r],
                                  types=tree.actions(0), messages=tree.actions(types[0]),
                                  responses=tree.actions(int(recv[0, 0])),
                                  players=(tree.players[s], tree.players[r]))
            res = signalling_pbe_batch(game, tol=tol, progress=progress)
            n_eq[idx] = res.n_equilibria
            complete[idx] = res.complete_points
            complete_pure[idx] = res.complete_points
            labels[idx] = res.labels()
            j, k = np.nonzero(res.found)
            X = np.zeros((len(j), K.S))
            for t in range(T):
                h = int(tree.infoset[types[t]])
                X[:, K.off[h]:K.off[h + 1]] = res.sender[j, k, t]
            for m in range(M):
                h = int(tree.infoset[recv[0, m]])
                X[:, K.off[h]:K.off[h + 1]] = res.receiver[j, k, m]
            gis.append(idx[j])
            profs.append(X)
            regs.append(res.pattern_regret[j, k])
    report = Progress(progress, len(rest), "perfect_bayesian_batch: points")
    for c, b in enumerate(rest):
        res = perfect_bayesian(tree[int(b)], mixed=False, tol=tol, max_profiles=max_profiles, progress=False)
        n_eq[b] = len(res)
        complete_pure[b] = res.complete_pure and len(res) > 0
        gis.append(np.full(len(res), b, np.int64))
        profs.append(np.array([np.concatenate(e.profile) for e in res]).reshape(len(res), K.S))
        regs.append(np.array([e.regret for e in res], float))
        # equilibria reaching the same outcomes (they differ off the path) are listed once
        labels[b] = " ; ".join(dict.fromkeys(" | ".join(o for o, p in e.outcome_probabilities.items() if p > _EPS)
                                             or "none" for e in res)) or "none"
        report.update(c + 1)
    report.close()
    gi = np.concatenate(gis) if gis else np.zeros(0, np.int64)
    X = np.concatenate(profs) if profs else np.zeros((0, K.S))
    reg = np.concatenate(regs) if regs else np.zeros(0)
    order = np.argsort(gi, kind="stable")
    gi, X, reg = gi[order], X[order], reg[order]
    # edge and terminal probabilities of every equilibrium (chance edges at its own point)
    E = np.broadcast_to(tree.chance_probs, (B, tree.chance_probs.shape[1]))[gi].copy()
    E[:, K.dec_e] = X[:, K.dec_slot]
    R = np.zeros((len(gi), tree.n_nodes))
    R[:, 0] = 1.0
    for lev in K.levels:
        R[:, K.ec[lev]] = R[:, K.ep[lev]] * E[:, lev]
    term = np.flatnonzero(tree.kind == TERMINAL)
    tp = R[:, term]
    names = tuple(dict.fromkeys(tree.outcomes[int(tree.terminal[z])] for z in term))
    ind = np.zeros((len(term), len(names)))
    ind[np.arange(len(term)), [names.index(tree.outcomes[int(tree.terminal[z])]) for z in term]] = 1.0
    pay = np.broadcast_to(tree.payoffs, (B,) + tree.payoffs.shape[1:])
    payoffs = np.einsum("et,etn->en", tp, pay[gi][:, tree.terminal[term]]) if len(gi) else np.zeros((0, tree.n_players))
    pure = np.all((X < 1e-12) | (X > 1 - 1e-12), axis=1)
    notes = ()
    if len(rest):
        notes += (f"{len(rest)} point(s) solved one at a time by pure enumeration: every pure weak PBE, mixed ones "
                  f"not sought (complete_pure_points)",)
    if not complete_pure.all():
        notes += (f"{int((~complete_pure).sum())} point(s) with no equilibrium found or a candidate dropped",)
    return TreePBEBatch(game_index=gi, profiles=X, edge_probs=E, terminal_probs=tp, label_probs=tp @ ind,
                        payoffs=payoffs, regret=reg, pure=pure, n_equilibria=n_eq, complete_points=complete,
                        complete_pure_points=complete_pure, labels=labels, outcomes=names,
                        players=tuple(tree.players), method=method, notes=notes)
