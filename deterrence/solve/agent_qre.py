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

from ..deprecation import module_getattr, warn_deprecated
from ..errors import SolverError
from ..games.assessment import AssessmentKernel
from ..games.profiles import OutcomeDistribution
from ..games.tree import GameTree
from .results import DEFAULT_TOL, EquilibriumMixin, ResultBatch, ResultMixin

__all__ = ["AgentQRE", "AgentQREPath", "agent_qre", "agent_qre_path", "agent_logit_map"]


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class AgentQRE(EquilibriumMixin):
    """An agent logit QRE of one tree at precision *lam* (an :class:`~deterrence.solve.results.Equilibrium`).

    Attributes
    ----------
    lam : float
    profile : tuple of ndarray
        Behaviour at each information set (``tree.infosets`` order).
    beliefs : tuple of ndarray
        Bayes beliefs over the nodes of each information set.
    action_values : tuple of ndarray
        ``Q_h(a)`` given the beliefs and the continuation.
    terminal_probs : ndarray, shape (T,)
        Probability of each terminal (was ``outcome_probs``, deprecated).
    outcome_probabilities : dict
        ``{outcome label: probability}``, summed over the terminals that carry the label.
    payoffs : ndarray, shape (n,)
    residual : float
        Fixed-point residual (the certificate).
    regret : float
        Largest gain from a one-shot deviation at any information set
        given the beliefs (zero at a sequential equilibrium, which the
        profile approaches as ``lam`` grows).
    infosets, actions : tuple of str
    terminal_outcomes : tuple of str
        The outcome label of each terminal (in the order of :attr:`terminal_probs`).
    """

    lam: float
    profile: tuple
    beliefs: tuple
    action_values: tuple
    terminal_probs: np.ndarray
    payoffs: np.ndarray
    residual: float
    regret: float
    infosets: tuple
    actions: tuple
    terminal_outcomes: tuple
    flat: np.ndarray = field(repr=False, default=None)

    def at(self, infoset) -> dict:
        """``{action: probability}`` at an information set given by label or index."""
        h = _infoset(self.infosets, infoset)
        return {a: float(p) for a, p in zip(self.actions[h], self.profile[h])}

    @property
    def outcome_probabilities(self) -> dict:
        out: dict = {}
        for o, p in zip(self.terminal_outcomes, self.terminal_probs):
            out[o] = out.get(o, 0.0) + float(p)
        return out

    @property
    def outcome_probs(self) -> np.ndarray:
        """Deprecated name of :attr:`terminal_probs` (per terminal; by label: :attr:`outcome_probabilities`)."""
        warn_deprecated("AgentQRE.outcome_probs", "AgentQRE.terminal_probs (or outcome_probabilities by label)")
        return self.terminal_probs


@dataclass(frozen=True, eq=False)
class AgentQREPath(ResultMixin):
    """Agent QRE along a grid of precisions, warm-started (a :class:`~deterrence.solve.results.Result`).

    As a result its ``equilibria`` are the QRE points (quantal response
    equilibria, not Nash equilibria: their ``regret`` is the distance from
    sequential rationality and falls as ``lam`` grows; each is certified by
    its fixed-point ``residual``).

    Attributes
    ----------
    lambdas : ndarray, shape (L,)
    points : tuple of AgentQRE
    terminal_probs : ndarray, shape (L, T)
        Probability of each terminal at each lambda (was ``outcome_probs``, deprecated).
    regret, residual : ndarray, shape (L,)
    terminal_outcomes : tuple of str
        The outcome label of each terminal.
    """

    lambdas: np.ndarray
    points: tuple
    terminal_probs: np.ndarray
    regret: np.ndarray
    residual: np.ndarray
    terminal_outcomes: tuple

    method = "agent logit QRE (warm-started path)"
    complete = False
    batch_size = 1
    notes = ("quantal response equilibria: certified by the fixed-point residual; regret is the distance "
             "from a sequential equilibrium",)

    @property
    def equilibria(self) -> tuple:
        return self.points

    @property
    def game_index(self) -> np.ndarray:
        return np.zeros(len(self.points), dtype=np.int64)

    @property
    def payoffs(self) -> np.ndarray:
        return np.array([p.payoffs for p in self.points])

    @property
    def outcome_probabilities(self) -> dict:
        """``{outcome label: (L,) probability}``."""
        return OutcomeDistribution(self.terminal_probs, self.terminal_outcomes).by_outcome


    @property
    def outcome_probs(self) -> np.ndarray:
        """Deprecated name of :attr:`terminal_probs`."""
        warn_deprecated("AgentQREPath.outcome_probs", "AgentQREPath.terminal_probs (or outcome_probabilities)")
        return self.terminal_probs

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
def agent_logit_map(tree: GameTree, flat, lam: float, b: int | None = None) -> np.ndarray:
    """The agent logit response to a flat interior behaviour profile (one step of the fixed-point map).

    *tree* must be one game (``b=`` to pick one of a batch is deprecated: pass ``tree[b]``).
    """
    t = _pick(tree, b, "agent_logit_map")
    if t.batch_size > 1:
        raise SolverError("agent_logit_map maps one game's profile: pass one game (tree[b])")
    K = AssessmentKernel(t)
    x = np.asarray(flat, float)
    *_, Q = K.assess(x)
    return K.softmax(lam * Q)


def _pick(tree, b, what):
    """*tree*, or game *b* of it with the deprecation warning of the old ``b=`` argument."""
    if not isinstance(tree, GameTree):
        raise SolverError(f"expected a GameTree, got {type(tree).__name__}")
    if b is None:
        return tree
    warn_deprecated(f"{what}(..., b=...)", f"{what}(tree[b], ...) (a batch is solved game by game)", stacklevel=4)
    return tree[b] if tree.batch_size > 1 else tree


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
                    terminal_probs=outcome, payoffs=V[0].copy(), residual=res,
                    regret=float(reg.max()) if reg.size else 0.0,
                    infosets=tuple(h.label for h in infos), actions=tuple(h.actions for h in infos),
                    terminal_outcomes=tuple(tree.outcomes[int(tree.terminal[v])] for v in K.term), flat=x)


def agent_qre(tree: GameTree, lam: float, *, start=None, b: int | None = None, tol: float = DEFAULT_TOL) -> AgentQRE:
    """Agent logit QRE of a tree at precision *lam* (McKelvey & Palfrey 1998).

    Parameters
    ----------
    tree : GameTree
        A tree with perfect recall; a batch is solved game by game.
    lam : float
        Precision, ``lam >= 0`` (in the units of the payoffs).
    start : AgentQRE or array_like, optional
        A starting profile (flat, ``BehaviourProfile`` slot order); uniform by default.
        For large *lam* prefer :func:`agent_qre_path`, which warm-starts.
    tol : float
        Required fixed-point residual.
    b : int, optional
        Deprecated: pass ``tree[b]``.

    Returns
    -------
    AgentQRE
        For one game; for a batch, a :class:`~deterrence.solve.results.ResultBatch` of one per game.

    Raises
    ------
    SolverError
        When the fixed point is not found to tolerance (try a finer path).
    """
    t = _pick(tree, b, "agent_qre")
    if t.batch_size > 1:
        return ResultBatch((agent_qre(t[k], lam, start=start, tol=tol) for k in range(t.batch_size)),
                           method=AgentQREPath.method)
    return agent_qre_path(t, [lam], start=start, tol=tol)[0]


def agent_qre_path(tree: GameTree, lambdas, *, start=None, b: int | None = None, tol: float = DEFAULT_TOL,
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
        Profiles, outcome probabilities (``outcome_probabilities["war"]``),
        residuals and the sequential-rationality regret at each lambda.  For
        a batch, a :class:`~deterrence.solve.results.ResultBatch` of one path
        per game.
    """
    t = _pick(tree, b, "agent_qre_path")
    if t.batch_size > 1:
        return ResultBatch((agent_qre_path(t[k], lambdas, start=start, tol=tol, max_step=max_step)
                            for k in range(t.batch_size)), method=AgentQREPath.method)
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
                        terminal_probs=np.array([p.terminal_probs for p in points]),
                        regret=np.array([p.regret for p in points]),
                        residual=np.array([p.residual for p in points]), terminal_outcomes=points[0].terminal_outcomes)


__getattr__ = module_getattr(__name__, {
    "DEFAULT_RESIDUAL": ("deterrence.solve.DEFAULT_TOL (the one default tolerance)", lambda: DEFAULT_TOL),
})
