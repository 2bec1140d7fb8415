"""Agent logit quantal response equilibrium (AQRE) of game trees.

In the agent QRE of McKelvey & Palfrey (1998, "Quantal response equilibria
for extensive form games", *Experimental Economics* 1:9-41) each
information set is played by its own agent, who chooses action ``a`` with
probability proportional to ``exp(lam * Q_h(a))``, where ``Q_h(a)`` is the
agent's expected payoff from ``a`` given beliefs over the nodes of ``h``
and the continuation play.  Under logit every action has positive
probability, so every information set is reached and the beliefs follow
from the profile by Bayes' rule (``mu(x) = P(x) / P(h)``); the profile is a
fixed point of this map.  ``lam = 0`` is uniform play; as ``lam`` grows,
limit points are sequential equilibria (McKelvey & Palfrey 1998, Thm 4).
This is the error structure of Signorino's (1999) statistical strategic
models ("Strategic interaction and the statistical analysis of
international conflict", *APSR* 93(2)), with ``lam`` the inverse scale of
the agents' payoff shocks.

The fixed point is solved in logit coordinates (one log-odds per
non-first action), damped iteration first and then Newton steps
(``scipy.optimize.root``), warm-started along a grid of ``lam``; every
returned profile is certified by its fixed-point residual
``max |sigma - logit(lam Q(sigma))|``.

Only one game of a batch is solved at a time (``tree[b]``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import optimize

from ..errors import SolverError
from ..games.assessment import AssessmentKernel
from ..games.tree import GameTree

__all__ = ["AgentQRE", "AgentQREPath", "agent_qre", "agent_qre_path", "agent_logit_map"]

DEFAULT_RESIDUAL = 1e-9


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class AgentQRE:
    """An agent logit QRE of one tree at precision *lam*.

    Attributes
    ----------
    lam : float
    profile : tuple of ndarray
        Behaviour at each information set (``tree.infosets`` order).
    beliefs : tuple of ndarray
        Bayes beliefs over the nodes of each information set.
    action_values : tuple of ndarray
        ``Q_h(a)`` given the beliefs and the continuation.
    outcome_probs : ndarray, shape (T,)
        Probability of each terminal.
    payoffs : ndarray, shape (n,)
    residual : float
        Fixed-point residual (the certificate).
    regret : float
        Largest gain from a one-shot deviation at any information set
        given the beliefs (zero at a sequential equilibrium, which the
        profile approaches as ``lam`` grows).
    infosets, actions, outcomes : tuple of str
    """

    lam: float
    profile: tuple
    beliefs: tuple
    action_values: tuple
    outcome_probs: np.ndarray
    payoffs: np.ndarray
    residual: float
    regret: float
    infosets: tuple
    actions: tuple
    outcomes: tuple
    flat: np.ndarray = field(repr=False, default=None)

    def at(self, infoset) -> dict:
        """``{action: probability}`` at an information set given by label or index."""
        h = _infoset(self.infosets, infoset)
        return {a: float(p) for a, p in zip(self.actions[h], self.profile[h])}

    def probability(self, outcome: str) -> float:
        """Probability of an outcome label, summed over the terminals that carry it (e.g. ``"war"``)."""
        if outcome not in self.outcomes:
            raise SolverError(f"no outcome {outcome!r}; outcomes are {sorted(set(self.outcomes))}")
        return float(sum(p for o, p in zip(self.outcomes, self.outcome_probs) if o == outcome))


@dataclass(frozen=True, eq=False)
class AgentQREPath:
    """Agent QRE along a grid of precisions (warm-started).

    Attributes
    ----------
    lambdas : ndarray, shape (L,)
    points : tuple of AgentQRE
    outcome_probs : ndarray, shape (L, T)
    regret, residual : ndarray, shape (L,)
    outcomes : tuple of str
    """

    lambdas: np.ndarray
    points: tuple
    outcome_probs: np.ndarray
    regret: np.ndarray
    residual: np.ndarray
    outcomes: tuple

    def __len__(self):
        return len(self.points)

    def __getitem__(self, k):
        return self.points[k]

    def probability(self, outcome: str) -> np.ndarray:
        """Probability of an outcome label at each lambda, shape (L,)."""
        return np.array([p.probability(outcome) for p in self.points])


def _infoset(labels, key) -> int:
    if isinstance(key, (int, np.integer)):
        if not 0 <= key < len(labels):
            raise SolverError(f"no information set {key}")
        return int(key)
    if key in labels:
        return labels.index(key)
    raise SolverError(f"no information set {key!r}; information sets are {list(labels)}")


# ---------------------------------------------------------------------- solver
def agent_logit_map(tree: GameTree, flat, lam: float, b: int = 0) -> np.ndarray:
    """The agent logit response to a flat interior behaviour profile (one step of the fixed-point map)."""
    K = AssessmentKernel(_single(tree, b))
    x = np.asarray(flat, float)
    *_, Q = K.assess(x)
    return K.softmax(lam * Q)


def _single(tree, b):
    if not isinstance(tree, GameTree):
        raise SolverError(f"expected a GameTree, got {type(tree).__name__}")
    if tree.batch_size > 1:
        return tree[b]
    return tree


def _check_tree(tree):
    bad = tree.recall_violations()
    if bad:
        raise SolverError("agent QRE needs perfect recall: " + bad[0])


def _solve(K: AssessmentKernel, lam: float, z0: np.ndarray, tol: float):
    """Solve the fixed point in log-odds coordinates from *z0*; return (x, z, residual)."""
    first = K.off[:-1]
    free = np.setdiff1d(np.arange(K.S), first)

    def resid_of(z):
        x = K.softmax(z)
        *_, Q = K.assess(x)
        g = lam * Q
        g = g - g[first][K.slot_h]
        return x, g

    z = z0 - z0[first][K.slot_h]

    def newton(zs):
        if not free.size:
            return zs
        def F(y):
            zz = np.zeros(K.S)
            zz[free] = y
            _, g = resid_of(zz)
            return (zz - g)[free]
        sol = optimize.root(F, zs[free], method="hybr", options={"xtol": 1e-13})
        zz = np.zeros(K.S)
        zz[free] = sol.x
        return zz if np.all(np.isfinite(zz)) else zs

    def residual(zs):
        x, g = resid_of(zs)
        return float(np.max(np.abs(K.softmax(g) - x)))

    # Newton from the warm start first; if that fails, damped fixed-point iteration (a contraction for
    # small lam) and Newton again from where it ends
    z1 = newton(z)
    if residual(z1) > tol:
        z2 = z.copy()
        for _ in range(60):
            x, g = resid_of(z2)
            if np.max(np.abs(K.softmax(g) - x)) < tol:
                break
            z2 = 0.5 * z2 + 0.5 * g
        z2 = newton(z2) if residual(z2) > tol else z2
        z1 = z2 if residual(z2) < residual(z1) else z1
    z = z1
    x, g = resid_of(z)
    res = float(np.max(np.abs(K.softmax(g) - x)))
    return x, z, res


def _package(K: AssessmentKernel, tree, lam, x, res):
    ep, r, V, w, den, Q = K.assess(x)
    infos = tree.infosets
    beliefs = tuple(w[list(h.nodes)] for h in infos)
    reg = K.local_regret(x, Q)
    outcome = r[K.term]
    return AgentQRE(lam=float(lam), profile=K.split(x), beliefs=beliefs, action_values=K.split(Q),
                    outcome_probs=outcome, payoffs=V[0].copy(), residual=res,
                    regret=float(reg.max()) if reg.size else 0.0,
                    infosets=tuple(h.label for h in infos), actions=tuple(h.actions for h in infos),
                    outcomes=tuple(tree.outcomes[int(tree.terminal[v])] for v in K.term), flat=x)


def agent_qre(tree: GameTree, lam: float, *, start=None, b: int = 0, tol: float = DEFAULT_RESIDUAL) -> AgentQRE:
    """Agent logit QRE of a tree at precision *lam* (McKelvey & Palfrey 1998).

    Parameters
    ----------
    tree : GameTree
        A tree with perfect recall (game *b* of a batch).
    lam : float
        Precision, ``lam >= 0`` (in the units of the payoffs).
    start : AgentQRE or array_like, optional
        A starting profile (flat, ``BehaviourProfile`` slot order); uniform by default.
        For large *lam* prefer :func:`agent_qre_path`, which warm-starts.
    tol : float
        Required fixed-point residual.

    Raises
    ------
    SolverError
        When the fixed point is not found to tolerance (try a finer path).
    """
    return agent_qre_path(tree, [lam], start=start, b=b, tol=tol)[0]


def agent_qre_path(tree: GameTree, lambdas, *, start=None, b: int = 0, tol: float = DEFAULT_RESIDUAL,
                   max_step: float | None = None) -> AgentQREPath:
    """Agent logit QRE along an increasing grid of precisions, warm-started.

    Between two grid points whose gap exceeds *max_step* (default: ``0.5 /
    payoff scale`` growing geometrically by 20% of the current lambda)
    intermediate points are solved and not recorded, so the continuation
    stays on the principal branch (the one that starts at uniform play at
    ``lam = 0``).

    Returns
    -------
    AgentQREPath
        Profiles, outcome probabilities (``probability("war")``), residuals
        and the sequential-rationality regret at each lambda.
    """
    t = _single(tree, b)
    _check_tree(t)
    lams = np.atleast_1d(np.asarray(lambdas, float))
    if lams.ndim != 1 or lams.size == 0 or not np.all(np.isfinite(lams)) or np.any(lams < 0):
        raise SolverError(f"lambdas must be a non-empty 1-d array of finite values >= 0, got {lambdas!r}")
    if np.any(np.diff(lams) < 0):
        raise SolverError("lambdas must be increasing (the path is warm-started from small to large)")
    K = AssessmentKernel(t)
    if start is None:
        z = np.zeros(K.S)
        cur = 0.0
    else:
        x0 = start.flat if isinstance(start, AgentQRE) else np.asarray(start, float).ravel()
        if x0.shape != (K.S,) or np.any(x0 <= 0):
            raise SolverError(f"start must be an interior flat profile with {K.S} entries")
        z = np.log(x0)
        cur = float(lams[0])
    base_step = 0.5 / K.scale if max_step is None else float(max_step)
    points = []
    for lam in lams:
        while lam - cur > max(base_step, 0.2 * cur):
            cur = cur + max(base_step, 0.2 * cur)
            x, zz, res = _solve(K, cur, z, tol)
            if res < 1e-6:
                z = zz if res <= tol else np.log(np.maximum(x, 1e-300))
        x, zz, res = _solve(K, lam, z, tol)
        if not res <= tol:
            raise SolverError(f"agent QRE at lambda={lam:g}: fixed point not found (residual {res:.2e} > {tol:.0e}); "
                              f"use a finer lambda grid")
        z = zz
        cur = float(lam)
        points.append(_package(K, t, lam, x, res))
    return AgentQREPath(lambdas=lams, points=tuple(points),
                        outcome_probs=np.array([p.outcome_probs for p in points]),
                        regret=np.array([p.regret for p in points]),
                        residual=np.array([p.residual for p in points]), outcomes=points[0].outcomes)
