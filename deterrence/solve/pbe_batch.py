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

import sys
import time
from dataclasses import dataclass, field

import numpy as np

from ..errors import SolverError
from ..games.signalling import SignallingGame, match_signalling
from ..games.tree import CHANCE, TERMINAL, GameTree
from .pbe_signalling_batch import signalling_pbe_batch
from .pbe_tree import perfect_bayesian
from .results import DEFAULT_TOL

__all__ = ["TreePBEBatch", "perfect_bayesian_batch"]

_EPS = 1e-12


@dataclass(frozen=True, eq=False)
class TreePBEBatch:
    """Every equilibrium found at every point of a batch of trees.

    Attributes
    ----------
    n_equilibria : ndarray of int, shape (B,)
    complete : ndarray of bool, shape (B,)
        Every perfect Bayesian equilibrium (mixed ones included) is listed at
        that point: signalling points with a nonempty certified list.  False
        at points solved by pure enumeration, and wherever nothing was found.
    complete_pure : ndarray of bool, shape (B,)
        Every pure-strategy equilibrium is listed (and at least one was found).
    labels : ndarray of object, shape (B,)
        The equilibria at each point, joined by ``" ; "`` (``"none"`` if none); equilibria with
        the same label (differing only off the path) are listed once (``n_equilibria`` counts them).
    outcome_probs : tuple of ndarray
        Per point, shape ``(K_b, len(outcomes))``: each equilibrium's probability of each outcome label.
    payoffs : tuple of ndarray
        Per point, shape ``(K_b, n_players)``.
    outcomes : tuple of str
        The distinct outcome labels of the tree.
    players : tuple of str
    method : str
    """

    n_equilibria: np.ndarray
    complete: np.ndarray
    complete_pure: np.ndarray
    labels: np.ndarray
    outcome_probs: tuple = field(repr=False)
    payoffs: tuple = field(repr=False)
    outcomes: tuple = ()
    players: tuple = ()
    method: str = ""

    @property
    def batch_size(self) -> int:
        return len(self.n_equilibria)

    def sweep_columns(self) -> dict:
        """Columns for a sweep table.

        ``outcome`` (the labels), ``n_equilibria``, ``complete``,
        ``complete_pure``, ``P(label)`` for every outcome label where every
        equilibrium found gives the same probabilities (e.g. a unique one, or
        families differing only off the path; NaN elsewhere), and
        ``payoff(player)`` likewise.
        """
        B = self.batch_size
        P = np.full((B, len(self.outcomes)), np.nan)
        pay = np.full((B, len(self.players)), np.nan)
        for b in np.flatnonzero(self.n_equilibria >= 1):
            pr, py = self.outcome_probs[b], self.payoffs[b]
            if np.all(np.abs(pr - pr[0]) <= 1e-12):
                P[b] = pr[0]
            if np.all(np.abs(py - py[0]) <= 1e-12 * max(1.0, float(np.abs(py).max()))):
                pay[b] = py[0]
        cols = {"outcome": self.labels, "n_equilibria": self.n_equilibria, "complete": self.complete,
                "complete_pure": self.complete_pure}
        for k, lab in enumerate(self.outcomes):
            cols[f"P({lab})"] = P[:, k]
        for i, p in enumerate(self.players):
            cols[f"payoff({p})"] = pay[:, i]
        return cols


def _signalling_structure(tree: GameTree):
    """``(type_nodes (T,), receiver_nodes (T, M), terminals (T, M, R), sender, receiver)`` or None.

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
    term = np.array([[[int(z) for z in tree.children(w)] for w in row] for row in recv], np.int64)
    s = int(tree.player[types[0]])
    return types, recv, term, s, 1 - s


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
    progress : None, True or callable
        For trees solved point by point: True writes a line on stderr for
        runs longer than a second; a callable gets ``progress(done, total)``.

    Returns
    -------
    TreePBEBatch
    """
    if not isinstance(tree, GameTree):
        raise SolverError(f"perfect_bayesian_batch needs a GameTree, got {type(tree).__name__}")
    B = tree.batch_size
    term_nodes = np.flatnonzero(tree.kind == TERMINAL)
    names = tuple(dict.fromkeys(tree.outcomes[int(tree.terminal[z])] for z in term_nodes))
    label_of = np.full(tree.n_nodes, -1, np.int64)
    label_of[term_nodes] = [names.index(tree.outcomes[int(tree.terminal[z])]) for z in term_nodes]
    n_eq = np.zeros(B, np.int64)
    complete = np.zeros(B, bool)
    complete_pure = np.zeros(B, bool)
    labels = np.empty(B, dtype=object)
    probs = [None] * B
    pays = [None] * B
    rest = np.arange(B)
    method = "perfect_bayesian point by point (every pure weak PBE; mixed ones not sought)"
    st = _signalling_structure(tree)
    if st is not None:
        types, recv, term, s, r = st
        T, M = recv.shape
        prior = np.broadcast_to(tree.chance_probs[:, tree.child_ptr[0]:tree.child_ptr[1]], (B, T))
        pay = np.broadcast_to(tree.payoffs, (B,) + tree.payoffs.shape[1:])
        ok = np.all(prior > 0, axis=1)
        idx = np.flatnonzero(ok)
        rest = np.flatnonzero(~ok)
        method = ("signalling_pbe_batch (every PBE, mixed included)"
                  + ("; points with a type of prior zero: perfect_bayesian (pure PBE)" if len(rest) else ""))
        if len(idx):
            tix = tree.terminal[term]                                        # (T, M, R) payoff rows
            game = SignallingGame(prior[idx], pay[idx][:, tix, s], pay[idx][:, tix, r],
                                  types=tree.actions(0), messages=tree.actions(types[0]),
                                  responses=tree.actions(int(recv[0, 0])),
                                  players=(tree.players[s], tree.players[r]))
            res = signalling_pbe_batch(game, tol=tol)
            dist = res.outcome_distribution()                                # (b, P, T, M, R)
            n_eq[idx] = res.n_equilibria
            complete[idx] = res.complete
            complete_pure[idx] = res.complete
            labels[idx] = res.labels()
            lab_cols = label_of[term].reshape(-1)
            for j, b in enumerate(idx):
                ks = np.flatnonzero(res.found[j])
                w = dist[j, ks].reshape(len(ks), -1)                        # over (T, M, R)
                pr = np.zeros((len(ks), len(names)))
                for c in range(len(names)):
                    pr[:, c] = w[:, lab_cols == c].sum(1)
                probs[b] = pr
                full = np.zeros((len(ks), tree.n_players))
                full[:, s] = w @ pay[b][tix, s].reshape(-1)
                full[:, r] = w @ pay[b][tix, r].reshape(-1)
                pays[b] = full
    t0 = time.perf_counter()
    shown = False
    for k, b in enumerate(rest):
        res = perfect_bayesian(tree, b=int(b), mixed=False, tol=tol, max_profiles=max_profiles)
        n_eq[b] = len(res)
        complete_pure[b] = res.complete_pure and len(res) > 0
        probs[b] = np.array([[e.outcome_probs.get(o, 0.0) for o in names] for e in res]).reshape(len(res), -1)
        pays[b] = np.array([e.payoffs for e in res]).reshape(len(res), tree.n_players)
        # equilibria reaching the same outcomes (they differ off the path) are listed once
        labels[b] = " ; ".join(dict.fromkeys(" | ".join(o for o, p in e.outcome_probs.items() if p > _EPS)
                                             or "none" for e in res)) or "none"
        if callable(progress):
            progress(k + 1, len(rest))
        elif progress and time.perf_counter() - t0 > 1.0:
            shown = True
            sys.stderr.write(f"\rperfect_bayesian_batch: {k + 1}/{len(rest)} points")
            sys.stderr.flush()
    if shown:
        sys.stderr.write("\n")
    return TreePBEBatch(n_equilibria=n_eq, complete=complete, complete_pure=complete_pure, labels=labels,
                        outcome_probs=tuple(probs), payoffs=tuple(pays), outcomes=names,
                        players=tuple(tree.players), method=method)
