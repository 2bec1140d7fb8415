r"""Richardson's arms race: the two-state model, its discrete-time form, and the n-state matrix form.

Model (Richardson, *Arms and Insecurity*, 1960; first stated in 1939)
----------------------------------------------------------------------
Two states (or blocs) with arms levels :math:`x` and :math:`y`:

.. math::

    \dot x = k\,y - a\,x + g, \qquad \dot y = l\,x - b\,y + h,

with defence coefficients :math:`k, l \ge 0` (each side arms in reaction to
the rival's arms), fatigue (expense) coefficients :math:`a, b > 0` (the burden
of one's own arms), and grievances :math:`g, h` (of either sign: negative
grievances are goodwill).  In matrix form :math:`\dot z = M z + c` with

.. math::

    M = \begin{pmatrix} -a & k \\ l & -b \end{pmatrix}, \qquad
    c = \begin{pmatrix} g \\ h \end{pmatrix}.

* **Equilibrium** (where :math:`ab \ne kl`):
  :math:`x^* = (b g + k h)/(ab - kl)`, :math:`y^* = (a h + l g)/(ab - kl)`.
* **Eigenvalues**: :math:`\lambda_\pm = -\tfrac{a+b}{2} \pm \sqrt{\tfrac{(a-b)^2}{4} + kl}`,
  real because :math:`kl \ge 0`.  Both are negative, and the equilibrium
  stable, iff :math:`kl < ab` (trace :math:`-(a+b) < 0` and determinant
  :math:`ab - kl > 0`); for :math:`kl > ab` it is a saddle.
* **Closed-form solution**: :math:`z(t) = e^{Mt} z_0 + \int_0^t e^{M\tau}\,d\tau\; c`,
  computed from the eigenvalues (Sylvester's formula for a 2x2 matrix,
  valid at repeated and zero eigenvalues), batched over any number of
  parameter sets at once.

The linear model does not bound arms below by zero; Richardson read negative
values as cooperation (trade).  The regime names below read the linear
model's long-run direction, not a model with the bound.

Regimes (:meth:`Richardson.regime`)
-----------------------------------
* ``"stable balance"``: :math:`kl < ab` and the equilibrium has both arms
  levels positive; every path converges to this armed peace.
* ``"disarmament"``: either :math:`kl < ab` with both equilibrium levels
  :math:`\le 0` (arms fall toward zero from any start), or :math:`kl \ge ab`
  and the race runs downward from the given start.
* ``"one-sided disarmament"``: :math:`kl < ab` and the equilibrium has one
  level positive and the other :math:`\le 0`.
* ``"runaway race"``: :math:`kl \ge ab` and from the given start both arms
  levels grow without bound.
* ``"unstable balance"``: :math:`kl \ge ab` and the start lies exactly on the
  separatrix (the equilibrium itself, or its stable manifold), where neither
  the race nor disarmament follows.

For :math:`kl \ge ab` the direction is decided by
:math:`w^\top \dot z(0)` with :math:`w = (l,\ \lambda_+ + a)`, the positive
left eigenvector of :math:`M` for :math:`\lambda_+ \ge 0`: the quantity
:math:`u = w^\top z` obeys :math:`\dot u = \lambda_+ u + w^\top c`, so it and
(both components of) :math:`z` go to :math:`+\infty` if :math:`\dot u(0) > 0`
and to :math:`-\infty` if :math:`\dot u(0) < 0`.  With positive grievances
and a non-negative start, an unstable system always races (Richardson's
runaway race); with goodwill (negative grievances) it races or disarms by
which side of the separatrix it starts on.

Discrete time
-------------
Richardson fitted yearly data with the difference form
:math:`z_{n+1} = z_n + \tau (M z_n + c)` (:meth:`Richardson.iterate`), an
Euler step of length :math:`\tau`; it is stable iff both
:math:`|1 + \tau\lambda_\pm| < 1`, which for large steps is stricter than
:math:`kl < ab` (:meth:`Richardson.discrete_stable`).

n states and blocs
------------------
:class:`RichardsonSystem` is :math:`\dot X = K X - A X + G` for n states, with
a non-negative reaction matrix :math:`K` (zero diagonal), positive fatigues
:math:`A = \mathrm{diag}(a_i)` and grievances :math:`G`.  :func:`bloc_system`
builds :math:`K` from blocs: each state reacts to the pooled arms of every
state outside its bloc.  When the members of a bloc share one fatigue, the
bloc totals follow the two-state model exactly (:meth:`RichardsonSystem.pool`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from .checks import as_real_array

__all__ = ["Richardson", "RichardsonSystem", "bloc_system", "REGIMES", "STABLE_BALANCE", "RUNAWAY_RACE",
           "DISARMAMENT", "ONE_SIDED_DISARMAMENT", "UNSTABLE_BALANCE"]

STABLE_BALANCE = "stable balance"
RUNAWAY_RACE = "runaway race"
DISARMAMENT = "disarmament"
ONE_SIDED_DISARMAMENT = "one-sided disarmament"
UNSTABLE_BALANCE = "unstable balance"
#: The regime labels, in the order of the integer codes of :meth:`Richardson.regime_codes`.
REGIMES = (STABLE_BALANCE, RUNAWAY_RACE, DISARMAMENT, ONE_SIDED_DISARMAMENT, UNSTABLE_BALANCE)

_NAMES = ("k", "l", "a", "b", "g", "h")


def _exp_divided(lam_p, lam_m, s, delta, t):
    """``(e^{λ+ t} + e^{λ- t})/2`` and ``(e^{λ+ t} - e^{λ- t})/(λ+ - λ-)``, stable as ``λ+ - λ- -> 0``."""
    ep, em = np.exp(lam_p * t), np.exp(lam_m * t)
    c0 = 0.5 * (ep + em)
    u = delta * t
    small = np.abs(u) < 1e-3
    with np.errstate(divide="ignore", invalid="ignore"):
        wide = (ep - em) / (2.0 * delta)
    near = t * np.exp(s * t) * (1.0 + u * u / 6.0)
    return c0, np.where(small, near, wide)


def _psi(lam, t):
    """``∫_0^t e^{λτ} dτ = (e^{λt} - 1)/λ``, equal to ``t`` at ``λ = 0`` (no cancellation near 0)."""
    x = lam * t
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.expm1(x) / x
    return t * np.where(np.abs(x) < 1e-8, 1.0 + 0.5 * x, r)


@dataclass(frozen=True, eq=False)
class Richardson:
    r"""Richardson's two-state arms race :math:`\dot x = ky - ax + g,\ \dot y = lx - by + h`, batched.

    Every coefficient is a number or an array; they broadcast to one batch
    shape (:attr:`shape`), so one object holds 10^5 parameter sets and each
    method answers for all of them at once.

    Parameters
    ----------
    k, l : float or array, >= 0
        Defence coefficients: the rate at which each side arms per unit of the
        rival's arms (``k`` for ``x``, ``l`` for ``y``).
    a, b : float or array, > 0
        Fatigue (expense) coefficients: the restraint of each side's own arms.
    g, h : float or array
        Grievances (constant drives; negative values are goodwill).

    Raises
    ------
    ModelError
        A coefficient that is not a finite real number, a negative defence
        coefficient, a fatigue coefficient that is not positive, or shapes
        that do not broadcast; the message names the parameter.

    Notes
    -----
    Source: L. F. Richardson, *Arms and Insecurity* (Pittsburgh: Boxwood
    Press, 1960), ch. 2-4; the stability condition :math:`kl < ab` is his.
    """

    k: np.ndarray
    l: np.ndarray  # noqa: E741 - Richardson's own letter
    a: np.ndarray
    b: np.ndarray
    g: np.ndarray = 0.0
    h: np.ndarray = 0.0

    def __post_init__(self):
        vals = {}
        for n in _NAMES:
            vals[n] = as_real_array(n, getattr(self, n), nonnegative=n in ("k", "l"), positive=n in ("a", "b"))
        try:
            shape = np.broadcast_shapes(*(v.shape for v in vals.values()))
        except ValueError:
            shapes = ", ".join(f"{n} {vals[n].shape}" for n in _NAMES)
            raise ModelError(f"Richardson: the coefficients' shapes do not broadcast ({shapes})") from None
        for n in _NAMES:
            object.__setattr__(self, n, np.broadcast_to(vals[n], shape))

    # ------------------------------------------------------------------ structure
    @property
    def shape(self) -> tuple:
        """The batch shape (``()`` for one parameter set)."""
        return self.k.shape

    @property
    def matrix(self) -> np.ndarray:
        r""":math:`M = \begin{pmatrix} -a & k \\ l & -b \end{pmatrix}`, shape ``shape + (2, 2)``."""
        return np.stack([np.stack([-self.a, self.k], -1), np.stack([self.l, -self.b], -1)], -2)

    @property
    def forcing(self) -> np.ndarray:
        """:math:`c = (g, h)`, shape ``shape + (2,)``."""
        return np.stack([self.g, self.h], -1)

    @property
    def determinant(self) -> np.ndarray:
        """:math:`\\det M = ab - kl` (positive iff the equilibrium is stable)."""
        return self.a * self.b - self.k * self.l

    def _spectrum(self):
        s = -0.5 * (self.a + self.b)
        delta = np.sqrt(0.25 * (self.a - self.b) ** 2 + self.k * self.l)
        return s, delta, s + delta, s - delta

    def eigenvalues(self) -> np.ndarray:
        r"""The eigenvalues :math:`\lambda_+ \ge \lambda_-` of :math:`M`, shape ``shape + (2,)`` (always real)."""
        _, _, lp, lm = self._spectrum()
        return np.stack([lp, lm], -1)

    def stable(self) -> np.ndarray:
        """Whether the equilibrium is asymptotically stable: both eigenvalues negative, i.e. ``k*l < a*b``."""
        return self.k * self.l < self.a * self.b

    def equilibrium(self) -> tuple:
        r"""``(x*, y*)`` with :math:`x^* = (bg + kh)/(ab - kl)`, :math:`y^* = (ah + lg)/(ab - kl)`.

        NaN where :math:`ab = kl` (no unique equilibrium: the nullclines are parallel).
        """
        d = self.determinant
        with np.errstate(divide="ignore", invalid="ignore"):
            x = np.where(d != 0, (self.b * self.g + self.k * self.h) / d, np.nan)
            y = np.where(d != 0, (self.a * self.h + self.l * self.g) / d, np.nan)
        return x, y

    def nullclines(self, x) -> tuple:
        r"""On the grid *x*: :math:`y` where :math:`\dot x = 0` (:math:`y = (ax - g)/k`, NaN if :math:`k = 0`)
        and :math:`y` where :math:`\dot y = 0` (:math:`y = (lx + h)/b`)."""
        x = as_real_array("x", x)
        with np.errstate(divide="ignore", invalid="ignore"):
            xdot0 = np.where(self.k != 0, (self.a * x - self.g) / self.k, np.nan)
        return xdot0, (self.l * x + self.h) / self.b

    def velocity(self, x, y) -> tuple:
        """``(dx/dt, dy/dt)`` at ``(x, y)`` (broadcast against the batch)."""
        x, y = as_real_array("x", x), as_real_array("y", y)
        return self.k * y - self.a * x + self.g, self.l * x - self.b * y + self.h

    # ------------------------------------------------------------------ regimes
    def regime_codes(self, x0=0.0, y0=0.0) -> np.ndarray:
        """Integer regime codes (indices into :data:`REGIMES`) from the start ``(x0, y0)``; see the module notes."""
        x0, y0 = as_real_array("x0", x0), as_real_array("y0", y0)
        stable = self.stable()
        xs, ys = self.equilibrium()
        code = np.full(np.broadcast_shapes(self.shape, x0.shape, y0.shape), -1, dtype=np.int8)
        both_pos = (xs > 0) & (ys > 0)
        both_nonpos = (xs <= 0) & (ys <= 0)
        code = np.where(stable & both_pos, 0, code)
        code = np.where(stable & both_nonpos, 2, code)
        code = np.where(stable & ~both_pos & ~both_nonpos, 3, code)
        # kl >= ab: the sign of w' z'(0) with w = (l, λ+ + a) > 0
        _, _, lp, _ = self._spectrum()
        w1, w2 = self.l, lp + self.a
        dx, dy = self.k * y0 - self.a * x0 + self.g, self.l * x0 - self.b * y0 + self.h
        q = w1 * dx + w2 * dy
        scale = w1 * (np.abs(self.k * y0) + np.abs(self.a * x0) + np.abs(self.g)) + \
            w2 * (np.abs(self.l * x0) + np.abs(self.b * y0) + np.abs(self.h))
        on_line = np.abs(q) <= 1e-12 * scale
        code = np.where(~stable & on_line, 4, code)
        code = np.where(~stable & ~on_line & (q > 0), 1, code)
        code = np.where(~stable & ~on_line & (q < 0), 2, code)
        return code.astype(np.int8)

    def regime(self, x0=0.0, y0=0.0) -> np.ndarray:
        """The regime (a label of :data:`REGIMES`) of every parameter set from the start ``(x0, y0)``.

        The start matters only where ``k*l >= a*b``; the default is no arms.
        Returns a string array of the batch shape (a 0-d array for one set).
        """
        return np.asarray(REGIMES, dtype=object)[self.regime_codes(x0, y0)]

    # ------------------------------------------------------------------ solutions
    def solve(self, t, x0, y0) -> tuple:
        r"""The exact solution ``(x(t), y(t))`` from ``(x0, y0)`` at time(s) *t*.

        .. math::  z(t) = e^{Mt} z_0 + \Big(\int_0^t e^{M\tau} d\tau\Big) c

        with :math:`f(M) = \frac{f(\lambda_+)+f(\lambda_-)}{2} I + \frac{f(\lambda_+)-f(\lambda_-)}{\lambda_+-\lambda_-}
        (M - sI)`, :math:`s = -(a+b)/2` (Sylvester's formula), for :math:`f = e^{\lambda t}` and
        :math:`f = (e^{\lambda t}-1)/\lambda`; where :math:`\lambda_+ \approx \lambda_-` (so
        :math:`ab - kl` is far from 0) the affine part is taken as :math:`z^* + e^{Mt}(z_0 - z^*)`.

        Parameters
        ----------
        t : float or array
            Times; broadcast against the batch.  To get a trajectory of each
            parameter set at times ``ts``, pass ``ts[:, None]`` (shape
            ``(len(ts), 1)``) for a batch of shape ``(n,)``.
        x0, y0 : float or array
            Initial arms levels, broadcast against the batch.

        Returns
        -------
        (x, y) : arrays of the broadcast shape.  Overflow to ``inf`` in a runaway race is genuine.
        """
        t = as_real_array("t", t)
        x0, y0 = as_real_array("x0", x0), as_real_array("y0", y0)
        s, delta, lp, lm = self._spectrum()
        with np.errstate(over="ignore", invalid="ignore"):
            c0, c1 = _exp_divided(lp, lm, s, delta, t)
            # e^{Mt} = c0 I + c1 (M - sI); M - sI = [[-a - s, k], [l, -b - s]], -a - s = (b - a)/2
            p = 0.5 * (self.b - self.a)
            e11, e12, e21, e22 = c0 + c1 * p, c1 * self.k, c1 * self.l, c0 - c1 * p
            hx, hy = e11 * x0 + e12 * y0, e21 * x0 + e22 * y0
            # the affine part, two ways
            close = delta < 0.5 * np.abs(s)           # then ab - kl >= 0.75 s^2 > 0
            xs, ys = self.equilibrium()
            xs_, ys_ = np.where(close, xs, 0.0), np.where(close, ys, 0.0)
            ax_ = xs_ - (e11 * xs_ + e12 * ys_)
            ay_ = ys_ - (e21 * xs_ + e22 * ys_)
            pp, pm = _psi(lp, t), _psi(lm, t)
            safe = np.where(close, 1.0, delta)
            f0, f1 = 0.5 * (pp + pm), (pp - pm) / (2.0 * safe)
            bx = (f0 + f1 * p) * self.g + f1 * self.k * self.h
            by = f1 * self.l * self.g + (f0 - f1 * p) * self.h
            x = hx + np.where(close, ax_, bx)
            y = hy + np.where(close, ay_, by)
        return x, y

    def iterate(self, x0, y0, steps: int, dt: float = 1.0) -> tuple:
        r"""The discrete-time form :math:`z_{n+1} = z_n + \tau(Mz_n + c)` (Richardson's yearly steps).

        Returns ``(x, y)`` of shape ``(steps + 1,) + batch shape``, row 0 the start.
        """
        steps = _count("steps", steps)
        dt = _step(dt)
        x, y = np.broadcast_arrays(as_real_array("x0", x0) + 0 * self.k, as_real_array("y0", y0) + 0 * self.k)
        xs, ys = [x], [y]
        with np.errstate(over="ignore", invalid="ignore"):
            for _ in range(steps):
                x, y = x + dt * (self.k * y - self.a * x + self.g), y + dt * (self.l * x - self.b * y + self.h)
                xs.append(x)
                ys.append(y)
        return np.stack(xs), np.stack(ys)

    def discrete_stable(self, dt: float = 1.0) -> np.ndarray:
        r"""Whether the difference form with step :math:`\tau` converges: :math:`|1 + \tau\lambda_\pm| < 1`."""
        dt = _step(dt)
        _, _, lp, lm = self._spectrum()
        return (np.abs(1 + dt * lp) < 1) & (np.abs(1 + dt * lm) < 1)

    def as_system(self) -> "RichardsonSystem":
        """The same model as a two-state :class:`RichardsonSystem`."""
        z = np.zeros(self.shape)
        K = np.stack([np.stack([z, self.k], -1), np.stack([self.l, z], -1)], -2)
        return RichardsonSystem(K, np.stack([self.a, self.b], -1), self.forcing)

    def __len__(self):
        if not self.shape:
            raise TypeError("a single Richardson model has no length")
        return self.shape[0]


def _step(dt) -> float:
    arr = as_real_array("dt", dt, positive=True)
    if arr.ndim:
        raise ModelError(f"dt: expected one positive step, got an array of shape {arr.shape}")
    return float(arr)


def _count(name, v) -> int:
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
        raise ModelError(f"{name}: expected a non-negative integer, got {v!r}")
    return int(v)


@dataclass(frozen=True, eq=False)
class RichardsonSystem:
    r"""n states: :math:`\dot X = K X - A X + G`, batched over leading axes.

    Parameters
    ----------
    reaction : array, shape ``(..., n, n)``, >= 0 with zero diagonal
        :math:`K_{ij}`: how much state *i* arms per unit of state *j*'s arms.
    fatigue : array, shape ``(..., n)``, > 0
        The diagonal of :math:`A`.
    grievance : array, shape ``(..., n)``
        :math:`G`.

    Notes
    -----
    Richardson (1960) wrote the general form with a matrix of coefficients and
    treated the 1909-13 blocs by pooling allies; :meth:`solve` is exact, by
    the eigen-decomposition of :math:`K - A` (scipy's ``expm`` where that is
    ill-conditioned).
    """

    reaction: np.ndarray
    fatigue: np.ndarray
    grievance: np.ndarray

    def __post_init__(self):
        K = as_real_array("reaction", self.reaction, nonnegative=True)
        A = as_real_array("fatigue", self.fatigue, positive=True)
        G = as_real_array("grievance", self.grievance)
        if K.ndim < 2 or K.shape[-1] != K.shape[-2]:
            raise ModelError(f"reaction: expected square matrices (..., n, n), got shape {K.shape}")
        n = K.shape[-1]
        if n < 1:
            raise ModelError("reaction: no states")
        for name, v in (("fatigue", A), ("grievance", G)):
            if v.ndim < 1 or v.shape[-1] != n:
                raise ModelError(f"{name}: expected shape (..., {n}) for {n} states, got {v.shape}")
        diag = np.diagonal(K, axis1=-2, axis2=-1)
        if (diag != 0).any():
            i = int(np.argwhere(diag != 0)[0][-1])
            raise ModelError(f"reaction[{i}, {i}] = {float(diag[..., i].ravel()[0])!r}: the diagonal must be zero "
                             "(a state's own arms act through its fatigue)")
        try:
            batch = np.broadcast_shapes(K.shape[:-2], A.shape[:-1], G.shape[:-1])
        except ValueError:
            raise ModelError(f"RichardsonSystem: batch shapes do not broadcast (reaction {K.shape}, "
                             f"fatigue {A.shape}, grievance {G.shape})") from None
        object.__setattr__(self, "reaction", np.broadcast_to(K, batch + (n, n)))
        object.__setattr__(self, "fatigue", np.broadcast_to(A, batch + (n,)))
        object.__setattr__(self, "grievance", np.broadcast_to(G, batch + (n,)))

    @property
    def n(self) -> int:
        """The number of states."""
        return self.reaction.shape[-1]

    @property
    def shape(self) -> tuple:
        """The batch shape."""
        return self.reaction.shape[:-2]

    @property
    def matrix(self) -> np.ndarray:
        """:math:`K - A`, shape ``shape + (n, n)``."""
        return self.reaction - self.fatigue[..., None] * np.eye(self.n)

    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of :math:`K - A` (complex in general), shape ``shape + (n,)``."""
        return np.linalg.eigvals(self.matrix)

    def stable(self) -> np.ndarray:
        """Whether every eigenvalue of :math:`K - A` has a negative real part."""
        return self.eigenvalues().real.max(axis=-1) < 0

    def equilibrium(self) -> np.ndarray:
        r""":math:`X^* = (A - K)^{-1} G`, shape ``shape + (n,)``; NaN where :math:`A - K` is singular."""
        M = -self.matrix
        out = np.full(self.shape + (self.n,), np.nan)
        det = np.linalg.det(M)
        ok = np.abs(det) > 1e-13 * np.abs(M).max(axis=(-2, -1)) ** self.n
        if ok.any():
            out[ok] = np.linalg.solve(M[ok], self.grievance[ok][..., None])[..., 0]
        return out

    def solve(self, t, x0) -> np.ndarray:
        r"""Exact :math:`X(t)` from :math:`X(0) = x_0`; *t* a number.  Returns ``batch + (n,)``.

        :math:`X(t) = e^{Nt} X_0 + \big(\int_0^t e^{N\tau} d\tau\big) G` with :math:`N = K - A`,
        from the eigen-decomposition :math:`N = V \Lambda V^{-1}` (batched: 10^5 systems at once),
        :math:`X(t) = V\,[e^{\lambda t} \odot V^{-1}X_0 + \psi(\lambda) \odot V^{-1}G]`,
        :math:`\psi(\lambda) = (e^{\lambda t} - 1)/\lambda` (:math:`t` at 0).  Where :math:`V` is
        ill-conditioned (a defective or nearly defective matrix) the parameter set falls back on
        scipy's ``expm`` of the augmented matrix :math:`\begin{pmatrix} N & G \\ 0 & 0\end{pmatrix} t`.
        """
        from scipy.linalg import expm
        t = as_real_array("t", t)
        if t.ndim:
            raise ModelError(f"t: one time at a time for an n-state system, got shape {t.shape}")
        t = float(t)
        x0 = as_real_array("x0", x0)
        n = self.n
        if x0.ndim < 1 or x0.shape[-1] != n:
            raise ModelError(f"x0: expected shape (..., {n}), got {x0.shape}")
        try:
            batch = np.broadcast_shapes(self.shape, x0.shape[:-1])
        except ValueError:
            raise ModelError(f"x0: batch shape {x0.shape[:-1]} does not broadcast with the system's "
                             f"{self.shape}") from None
        M = np.broadcast_to(self.matrix, batch + (n, n)).reshape(-1, n, n)
        G = np.broadcast_to(self.grievance, batch + (n,)).reshape(-1, n)
        X0 = np.broadcast_to(x0, batch + (n,)).reshape(-1, n)
        out = np.empty(X0.shape)
        lam, V = np.linalg.eig(M)
        with np.errstate(all="ignore"):
            cond = np.linalg.cond(V)
        good = np.isfinite(cond) & (cond < 1e6)
        if good.any():
            Vg, lg = V[good], lam[good]
            W = np.linalg.inv(Vg)
            y0 = np.einsum("bij,bj->bi", W, X0[good])
            yg = np.einsum("bij,bj->bi", W, G[good])
            z = lg * t
            with np.errstate(all="ignore"):
                e = np.exp(z)
                ps = t * np.where(np.abs(z) < 1e-8, 1.0 + 0.5 * z, np.expm1(z) / np.where(z == 0, 1.0, z))
                out[good] = np.einsum("bij,bj->bi", Vg, e * y0 + ps * yg).real
        bad = ~good
        if bad.any():
            N = np.zeros((int(bad.sum()), n + 1, n + 1))
            N[:, :n, :n] = M[bad] * t
            N[:, :n, n] = G[bad] * t
            E = expm(N)
            out[bad] = np.einsum("bij,bj->bi", E[:, :n, :n], X0[bad]) + E[:, :n, n]
        return out.reshape(batch + (n,))

    def pool(self, blocs) -> Richardson:
        """The bloc totals as a two-state :class:`Richardson` model (exact when the reduction holds).

        With ``blocs`` a label per state (two distinct labels), the totals
        :math:`U = \\sum_{i \\in 1} x_i`, :math:`V = \\sum_{j \\in 2} x_j` follow
        :math:`\\dot U = kV - aU + g` exactly when every member of bloc 1 reacts to
        every member of bloc 2 with its own coefficient :math:`k_i` (a state reacts to
        the pooled arms of the rival bloc), no state reacts to its allies, and the
        members of each bloc share one fatigue: then :math:`k = \\sum_i k_i`,
        :math:`g = \\sum_i g_i`.  Otherwise a :class:`ModelError` says which condition fails.
        """
        labels = _bloc_labels(blocs, self.n)
        if len(set(labels)) != 2:
            raise ModelError(f"blocs: pooling needs exactly two blocs, got {sorted(set(labels), key=str)}")
        first = labels[0]
        m1 = np.array([b == first for b in labels])
        m2 = ~m1
        K, A, G = self.reaction, self.fatigue, self.grievance
        coef = []
        for mine, rival, name in ((m1, m2, "first"), (m2, m1, "second")):
            rows = K[..., mine, :]
            if (rows[..., mine] != 0).any():
                raise ModelError(f"blocs: a state of the {name} bloc reacts to an ally; pooling needs "
                                 "reactions to rivals only")
            block = rows[..., rival]
            if not np.allclose(block, block[..., :, :1]):
                raise ModelError(f"blocs: a state of the {name} bloc reacts differently to different rivals; "
                                 "pooling needs one coefficient per state (a reaction to the rival bloc's total)")
            fat = A[..., mine]
            if not np.allclose(fat, fat[..., :1]):
                raise ModelError(f"fatigue: the members of the {name} bloc have different fatigues; "
                                 "the bloc totals follow the two-state model only with a common fatigue")
            coef.append((block[..., :, 0].sum(-1), fat[..., 0], G[..., mine].sum(-1)))
        (k, a, g), (l_, b, h) = coef
        return Richardson(k, l_, a, b, g, h)


def _bloc_labels(blocs, n) -> list:
    if isinstance(blocs, (str, bytes)):
        raise ModelError(f"blocs: expected one label per state, got the string {blocs!r}")
    try:
        labels = list(blocs)
    except TypeError:
        raise ModelError(f"blocs: expected one label per state, got {blocs!r}") from None
    if len(labels) != n:
        raise ModelError(f"blocs: {len(labels)} labels for {n} states")
    for i, lab in enumerate(labels):
        try:
            hash(lab)
        except TypeError:
            raise ModelError(f"blocs[{i}]: a bloc label must be a name or number, got {lab!r}") from None
    return labels


def _per_state(name, v, n):
    if v.ndim == 0:
        return np.full(n, float(v))
    if v.shape[-1] not in (1, n):
        raise ModelError(f"{name}: expected one value per state ({n}), got shape {v.shape}")
    return np.broadcast_to(v, v.shape[:-1] + (n,))


def bloc_system(blocs, reaction, fatigue, grievance=0.0) -> RichardsonSystem:
    r"""n states in blocs, each reacting to the pooled arms of every state outside its bloc.

    :math:`K_{ij} = k_i` if states *i* and *j* are in different blocs, else 0:
    :math:`\dot x_i = k_i \sum_{j \notin \mathrm{bloc}(i)} x_j - a_i x_i + g_i`.
    Forming an alliance (merging two blocs) sets the reactions between the new
    allies to zero.

    Parameters
    ----------
    blocs : sequence
        A bloc label for each state (``["Entente", "Entente", "Central", "Central"]``).
    reaction, fatigue, grievance : float or array of shape ``(..., n)``
        :math:`k_i \ge 0`, :math:`a_i > 0`, :math:`g_i`.
    """
    labels = _bloc_labels(blocs, len(blocs) if hasattr(blocs, "__len__") else -1)
    n = len(labels)
    if n < 2:
        raise ModelError(f"blocs: at least two states are needed, got {n}")
    if len(set(labels)) < 2:
        raise ModelError("blocs: every state is in the same bloc; there is no rival to react to")
    k = as_real_array("reaction", reaction, nonnegative=True)
    a = as_real_array("fatigue", fatigue, positive=True)
    g = as_real_array("grievance", grievance)
    k, a, g = (_per_state(name, v, n) for name, v in (("reaction", k), ("fatigue", a), ("grievance", g)))
    rivals = np.array([[labels[i] != labels[j] for j in range(n)] for i in range(n)], dtype=float)
    return RichardsonSystem(k[..., :, None] * rivals, a, g)
