"""Logit quantal response equilibrium (QRE) of n-player strategic-form games.

In a logit QRE (McKelvey & Palfrey 1995, "Quantal response equilibria for
normal form games", *Games and Economic Behavior* 10:6-38) each player
chooses action *k* with probability proportional to ``exp(lam * U_ik(sigma))``,
where ``U_ik`` is the expected payoff of *k* against the others' mixed
strategies and ``lam >= 0`` the precision:

    sigma_ik = exp(lam U_ik(sigma)) / sum_l exp(lam U_il(sigma)).

At ``lam = 0`` the unique QRE is uniform play.  For almost every game the
QRE correspondence contains a unique branch that starts there and whose
limit as ``lam -> infinity`` is a Nash equilibrium (the *principal branch*;
McKelvey & Palfrey 1995, Theorem 3), the logit tracing procedure.

The branch is traced by predictor-corrector continuation (Allgower & Georg
1990) in the log-probability coordinates ``x_ik = log sigma_ik`` used by
Turocy (2005, "A dynamic homotopy interpretation of the logistic quantal
response equilibrium correspondence", *Games and Economic Behavior*
51:243-263) and by Gambit: the curve is the zero set of

    x_ik - x_i0 - lam (U_ik - U_i0) = 0   (k = 1..m_i-1),   sum_k exp(x_ik) - 1 = 0,

in ``(x, lam)``, followed by arclength so that turning points in ``lam`` are
passed.  Log coordinates keep the actions whose probability vanishes in the
limit numerically well resolved.

:func:`logit_response` is the numerically stable choice rule itself; agent
QRE on game trees reuses it information set by information set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import CertificateError, GameStructureError, SolverError
from .best_response import PayoffKernel
from .results import DEFAULT_TOL, EquilibriumMixin, MixedEquilibrium, ResultBatch, ResultMixin

__all__ = ["logit_response", "log_logit_response", "qre_residual", "logit_qre", "logit_path",
           "LogitQRE", "LogitPath"]


# ---------------------------------------------------------------------- choice rule
def logit_response(values, lam: float, axis: int = -1) -> np.ndarray:
    """Logit (softmax) choice probabilities ``exp(lam v_k) / sum_l exp(lam v_l)``.

    Stable for any precision: the largest value is subtracted before
    exponentiating, so ``lam = 1e12`` gives the uniform distribution over
    the maximisers instead of an overflow.

    Parameters
    ----------
    values : array_like
        Expected payoffs of the actions along *axis* (any leading axes are a batch).
    lam : float or array_like
        Precision ``lam >= 0``, broadcast against the values without *axis*.
    """
    v = np.asarray(values, dtype=float)
    lam_arr = np.asarray(lam, dtype=float)
    if np.any(lam_arr < 0) or not np.all(np.isfinite(lam_arr)):
        raise SolverError(f"logit precision lambda must be finite and >= 0, got {lam}")
    if lam_arr.ndim:
        lam_arr = np.expand_dims(lam_arr, axis)
    z = lam_arr * (v - v.max(axis=axis, keepdims=True))
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def log_logit_response(values, lam: float, axis: int = -1) -> np.ndarray:
    """Logarithm of :func:`logit_response`, computed without underflow."""
    v = np.asarray(values, dtype=float)
    z = np.asarray(lam, dtype=float) * (v - v.max(axis=axis, keepdims=True))
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def qre_residual(game, strategies, lam: float) -> float:
    """Fixed-point residual ``max |sigma - logit(lam U(sigma))|`` of a profile in one game."""
    prof = game.profile(strategies)
    vals = game.action_values(prof)
    return float(max(np.max(np.abs(np.broadcast_to(s, v.shape) - logit_response(v, lam)))
                     for s, v in zip(prof, vals)))


# ---------------------------------------------------------------------- results
@dataclass(frozen=True, eq=False)
class LogitQRE(EquilibriumMixin):
    """A logit QRE on the principal branch at one precision (an :class:`~deterrence.solve.results.Equilibrium`).

    Attributes
    ----------
    lam : float
    strategies : tuple of ndarray
        One probability vector per player.
    residual : float
        ``max |sigma - logit(lam U(sigma))|``, the certificate of the fixed point.
    players, actions : tuple
    payoffs : ndarray, shape (n,)
        Expected payoffs.
    regret : float
        Nash regret (the distance from a Nash equilibrium; tends to 0 as ``lam`` grows).
    outcome_probabilities : dict
        ``{"(a_1, ..., a_n)": probability}`` over the pure profiles (a property).
    """

    lam: float
    strategies: tuple
    residual: float
    players: tuple
    actions: tuple
    payoffs: np.ndarray = None
    regret: float = float("nan")

    @property
    def outcome_probabilities(self) -> dict:
        return MixedEquilibrium.outcome_probabilities.fget(self)

    def _outcome_labels(self):
        return MixedEquilibrium._outcome_labels(self)

    def strategy(self, player) -> dict:
        i = player if isinstance(player, (int, np.integer)) else self.players.index(player)
        return {a: float(p) for a, p in zip(self.actions[i], self.strategies[i])}


@dataclass(frozen=True, eq=False)
class LogitPath(ResultMixin):
    """Points of the principal branch of the logit QRE correspondence (a :class:`~deterrence.solve.results.Result`).

    As a result, its ``equilibria`` are the Nash equilibrium the branch
    selects (``(nash,)``, or none when the limit could not be certified or
    was not sought); ``complete`` is False (tracing finds one equilibrium).

    Attributes
    ----------
    lambdas : ndarray, shape ``(K,)``
    profiles : tuple of ndarray
        ``profiles[i][k]`` is player *i*'s mixed strategy at ``lambdas[k]``, shape ``(K, m_i)``.
    residuals : ndarray, shape ``(K,)``
        QRE fixed-point residual of each point (the check that it lies on the correspondence).
    regrets : ndarray, shape ``(K,)``
        Nash regret of each point; tends to 0 along the branch.
    limit_regret : float
        Regret of the last point, the estimate of the limiting Nash equilibrium.
    nash : MixedEquilibrium or None
        The limiting Nash equilibrium, polished by Newton's method on the
        support the branch identifies and certified; None when that fails
        (then the last profile is only an approximate equilibrium).
    point_payoffs : ndarray, shape ``(K, n)``
        Expected payoffs at each point.
    """

    lambdas: np.ndarray
    profiles: tuple
    residuals: np.ndarray
    regrets: np.ndarray
    limit_regret: float
    nash: MixedEquilibrium | None
    players: tuple
    actions: tuple
    point_payoffs: np.ndarray | None = field(default=None, repr=False)
    polished: bool = True

    method = "logit tracing procedure (principal branch, predictor-corrector)"
    complete = False
    batch_size = 1

    def __len__(self) -> int:
        return len(self.lambdas)

    def point(self, k: int) -> LogitQRE:
        pay = None if self.point_payoffs is None else self.point_payoffs[k].copy()
        return LogitQRE(lam=float(self.lambdas[k]), strategies=tuple(p[k] for p in self.profiles),
                        residual=float(self.residuals[k]), players=self.players, actions=self.actions,
                        payoffs=pay, regret=float(self.regrets[k]))

    @property
    def equilibria(self) -> tuple:
        return () if self.nash is None else (self.nash,)

    @property
    def notes(self) -> tuple:
        if self.nash is not None:
            return ("one equilibrium: the limit of the principal branch",)
        if not self.polished:
            return ("the limit was not sought (fixed precisions): no Nash equilibrium listed",)
        return (f"the limit did not polish into a certified equilibrium (last regret {self.limit_regret:.1e})",)

    @property
    def game_index(self) -> np.ndarray:
        return np.zeros(len(self.equilibria), dtype=np.int64)

    @property
    def payoffs(self) -> np.ndarray:
        return np.array([e.payoffs for e in self.equilibria]).reshape(len(self.equilibria), len(self.players))

    @property
    def regret(self) -> np.ndarray:
        return np.array([float(e.regret) for e in self.equilibria])

    @property
    def outcome_probabilities(self) -> dict:
        return {k: np.array([v]) for k, v in self.nash.outcome_probabilities.items()} if self.nash else {}

    @property
    def limit(self) -> tuple:
        """The last profile of the path (the Nash estimate before polishing)."""
        return tuple(p[-1] for p in self.profiles)


# ---------------------------------------------------------------------- continuation core
class _Branch:
    """The homotopy ``H(x, lam)`` of one game in log-probability coordinates."""

    def __init__(self, P: np.ndarray):
        self.P = P
        self.kernel = PayoffKernel(P)
        self.m = P.shape[:-1]
        self.n = P.shape[-1]
        self.off = np.concatenate([[0], np.cumsum(self.m)]).astype(int)
        self.M = int(self.off[-1])

    def split(self, x):
        return [x[self.off[i]:self.off[i + 1]] for i in range(self.n)]

    def sigma(self, x):
        return [np.exp(xi) for xi in self.split(x)]

    def evaluate(self, y, jacobian=True):
        """``H(y)`` and, if asked, its Jacobian ``(M, M + 1)`` in ``(x, lam)``."""
        x, lam = y[:-1], y[-1]
        xs = self.split(x)
        sig = [np.exp(xi) for xi in xs]
        U, D = self.kernel.derivs(sig)
        out = np.empty(self.M)
        Jm = np.zeros((self.M, self.M + 1)) if jacobian else None
        for i in range(self.n):
            a, mi = self.off[i], self.m[i]
            out[a:a + mi - 1] = xs[i][1:] - xs[i][0] - lam * (U[i][1:] - U[i][0])
            out[a + mi - 1] = sig[i].sum() - 1.0
            if not jacobian:
                continue
            rows = slice(a, a + mi - 1)
            if mi > 1:
                Jm[rows, a + 1:a + mi] = np.eye(mi - 1)
                Jm[rows, a] = -1.0
                Jm[rows, -1] = -(U[i][1:] - U[i][0])
                for j in range(self.n):
                    if j != i:
                        pv = D[i, j]
                        Jm[rows, self.off[j]:self.off[j + 1]] = -lam * (pv[1:] - pv[0]) * sig[j][None, :]
            Jm[a + mi - 1, a:a + mi] = sig[i]
        return out, Jm

    def H(self, y):
        return self.evaluate(y, jacobian=False)[0]

    def J(self, y):
        return self.evaluate(y)[1]

    def regret(self, x):
        sig = self.sigma(x)
        U = self.kernel.values(sig)
        return max(float(u.max() - u @ s) for u, s in zip(U, sig))

    def newton_fixed_lambda(self, x, lam, tol=1e-12, maxit=30):
        """Newton's method in x at fixed lam (to land exactly on a requested precision)."""
        y = np.append(x, lam)
        for _ in range(maxit):
            h, Jm = self.evaluate(y)
            if np.max(np.abs(h)) < tol:
                return y[:-1], True
            try:
                d = np.linalg.solve(Jm[:, :-1], -h)
            except np.linalg.LinAlgError:
                return y[:-1], False
            y[:-1] += d
        return y[:-1], np.max(np.abs(self.H(y))) < 1e-9


def _tangent(Jm, prev=None):
    _, _, vt = np.linalg.svd(Jm)
    t = vt[-1]
    if prev is None:
        if t[-1] < 0:
            t = -t
    elif t @ prev < 0:
        t = -t
    return t


def _trace(game, targets=None, *, max_lambda=1e7, maxregret=1e-8, first_step=0.03, max_accel=1.1,
           max_steps=20000, record_all=True):
    """Trace the principal branch of one unbatched game; return recorded (lam, x) pairs."""
    P = game.payoffs[0]
    br = _Branch(P)
    span = float(P.max() - P.min())
    stop_regret = maxregret * (span if span > 0 else 1.0)
    x0 = np.concatenate([np.full(mi, -np.log(mi)) for mi in br.m])
    y = np.append(x0, 0.0)
    pts = [(0.0, x0.copy())]
    targets = [] if targets is None else list(targets)
    got = []
    ti = 0
    while ti < len(targets) and targets[ti] <= 0.0:
        got.append((targets[ti], x0.copy()))
        ti += 1
    if span == 0.0 and targets:
        # every profile is a QRE of a constant game; the branch stays uniform
        return pts, [(t, x0.copy()) for t in targets]
    h = first_step
    t = _tangent(br.J(y))
    steps = 0
    while True:
        if targets:
            if ti >= len(targets):
                break
        elif br.regret(y[:-1]) <= stop_regret or y[-1] >= max_lambda:
            break
        steps += 1
        if steps > max_steps:
            raise SolverError(f"logit path: no convergence after {max_steps} steps (lambda reached {y[-1]:.4g})")
        # predictor
        z = y + h * t
        ok = False
        prev_norm = np.inf
        Jz = None
        for it in range(8):
            Hz, Jz = br.evaluate(z)
            nrm = float(np.max(np.abs(Hz)))
            if nrm < 1e-11 * max(1.0, abs(z[-1]) * span):
                ok = True
                break
            if it > 0 and nrm > 0.5 * prev_norm:
                break
            prev_norm = nrm
            A = np.vstack([Jz, t[None, :]])
            try:
                d = np.linalg.solve(A, np.append(-Hz, 0.0))
            except np.linalg.LinAlgError:
                break
            z = z + d
        if not ok:
            h *= 0.5
            if h < 1e-14 * max(1.0, abs(y[-1])):
                raise SolverError(f"logit path: step size underflow at lambda={y[-1]:.6g} (a bifurcation?)")
            continue
        t_new = _tangent(Jz, t)
        if t_new @ t < 0.5:  # too sharp a turn: refine
            h *= 0.5
            continue
        lam_old, x_old = y[-1], y[:-1]
        y, t = z, t_new
        while ti < len(targets) and lam_old < targets[ti] <= y[-1]:
            lt = targets[ti]
            w = (lt - lam_old) / (y[-1] - lam_old)
            xs, conv = br.newton_fixed_lambda((1 - w) * x_old + w * y[:-1], lt)
            if not conv:
                raise SolverError(f"logit path: could not land on lambda={lt:.6g}")
            got.append((lt, xs))
            ti += 1
        if record_all and not targets:
            pts.append((float(y[-1]), y[:-1].copy()))
        h = min(h * max_accel, 1e6)
    return pts, got


def _package(game, recorded, polish):
    br = _Branch(game.payoffs[0])
    lams = np.array([r[0] for r in recorded], dtype=float)
    sig = [br.sigma(x) for _, x in recorded]
    profiles = tuple(np.array([s[i] for s in sig]) for i in range(br.n))
    residuals = np.array([_residual(br.kernel, s, l) for (l, _), s in zip(recorded, sig)])
    regrets = np.array([br.regret(x) for _, x in recorded])
    nash = None
    if polish and len(recorded):
        from .support_newton import polish_equilibrium

        nash = polish_equilibrium(game, [p[-1] for p in profiles])
    pays = np.array([[float(u @ si) for u, si in zip(br.kernel.values(sg), sg)] for sg in sig]
                    ).reshape(len(recorded), game.n_players)
    return LogitPath(lambdas=lams, profiles=profiles, residuals=residuals, regrets=regrets,
                     limit_regret=float(regrets[-1]) if len(regrets) else np.nan, nash=nash,
                     players=game.players, actions=game.actions, point_payoffs=pays, polished=polish)


def _residual(kernel, sig, lam):
    U = kernel.values(sig)
    return float(max(np.max(np.abs(s - logit_response(u, lam))) for s, u in zip(sig, U)))


def _check_lambdas(lambdas):
    arr = np.asarray(lambdas, dtype=float).ravel()
    if arr.size == 0:
        raise SolverError("lambdas: give at least one precision")
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        bad = arr[~np.isfinite(arr) | (arr < 0)][0]
        raise SolverError(f"lambdas must be finite and >= 0; got {bad}")
    if np.any(np.diff(arr) < 0):
        raise SolverError("lambdas must be in increasing order")
    return arr


def _check_game(game):
    if not hasattr(game, "payoffs") or not hasattr(game, "num_actions"):
        raise GameStructureError(f"expected a NormalFormGame, got {type(game).__name__}")


def logit_path(game, lambdas=None, *, max_lambda: float = 1e7, maxregret: float = 1e-8,
               first_step: float = 0.03, max_accel: float = 1.1, polish: bool = True):
    """Trace the principal branch of the logit QRE correspondence from ``lam = 0``.

    Parameters
    ----------
    game : NormalFormGame
        One game or a batch (a batch is traced game by game; a list is returned).
    lambdas : array_like, optional
        Increasing precisions at which to report the branch (each found
        exactly by Newton's method at fixed ``lam``; where the branch bends
        back, the first crossing is reported).  Default: every accepted
        continuation step until the Nash regret falls below *maxregret*.
    max_lambda : float
        Stop when ``lam`` exceeds this (default mode only).
    maxregret : float
        Stop when the regret is below ``maxregret * (max payoff - min payoff)``
        (default mode only), as Gambit's ``logit_solve`` does.
    first_step, max_accel : float
        Initial arclength step and the largest factor by which a step grows.
    polish : bool
        Polish the last point into an exact equilibrium on its support
        (:func:`deterrence.solve.support_newton.polish_equilibrium`) and certify it.

    Returns
    -------
    LogitPath
        For one game; for a batch (traced game by game), a
        :class:`~deterrence.solve.results.ResultBatch` of one path per game.
    """
    _check_game(game)
    targets = None if lambdas is None else _check_lambdas(lambdas)
    out = []
    for g in game:
        pts, got = _trace(g, targets, max_lambda=max_lambda, maxregret=maxregret,
                          first_step=first_step, max_accel=max_accel)
        out.append(_package(g, got if targets is not None else pts, polish and targets is None))
    return ResultBatch(out) if game.batched else out[0]


def logit_qre(game, lam: float, *, first_step: float = 0.03, max_accel: float = 1.1,
              tol: float = DEFAULT_TOL):
    """The logit QRE on the principal branch at precision *lam*.

    Follows the branch from ``lam = 0`` (uniform play) to *lam*, so the
    answer is the equilibrium the tracing procedure selects even where the
    QRE correspondence has several points at this precision.

    Parameters
    ----------
    game : NormalFormGame
        One game or a batch (traced game by game).
    lam : float
        Precision, ``lam >= 0``.
    first_step, max_accel : float
        Continuation steps, as in :func:`logit_path`.
    tol : float
        Largest accepted fixed-point residual (the certificate).

    Returns
    -------
    LogitQRE
        For one game; for a batch, a :class:`~deterrence.solve.results.ResultBatch`
        of one :class:`LogitQRE` per game.
    """
    _check_game(game)
    lam_arr = _check_lambdas([lam])
    res = logit_path(game, lam_arr, polish=False, first_step=first_step, max_accel=max_accel)
    res = res if game.batched else [res]
    out = []
    for r in res:
        q = r.point(0)
        if not q.residual <= tol:
            raise CertificateError(f"internal check failed: QRE residual {q.residual:.2e} at lambda={lam}")
        out.append(q)
    return ResultBatch(out, method="logit QRE (principal branch)") if game.batched else out[0]
