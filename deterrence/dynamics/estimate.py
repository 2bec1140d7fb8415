r"""Estimating Richardson's coefficients from expenditure series by least squares, with standard errors.

Richardson's test on the 1909-13 blocs (*Arms and Insecurity*, 1960)
--------------------------------------------------------------------
With equal coefficients for the two blocs (:math:`k = l`, :math:`a = b`) the
combined expenditure :math:`s = x + y` of the model
:math:`\dot x = ky - ax + g,\ \dot y = lx - by + h` obeys

.. math:: \dot s = (k - a)\, s + (g + h) = \alpha\,(s - s_0),

one line with slope :math:`\alpha = k - a` and zero crossing
:math:`s_0 = -(g + h)/(k - a)`.  Richardson fitted it to the yearly changes of
the Franco-Russian plus German-Austro-Hungarian defence budgets, taking as
regressor the mid-year total (the mean of consecutive years), which the
difference :math:`\Delta s` is a centred estimate of :math:`\dot s` at; he
found :math:`\Delta s \approx 0.73\,(s - 194)` (million pounds).
:func:`fit_linear_response` is that regression, with the start-of-year total
as the alternative regressor.  Only :math:`k - a` is identified by it.

:func:`fit_richardson` fits the two equations separately (three coefficients
each: :math:`k, a, g` and :math:`l, b, h`), which needs a longer series.

Standard errors are the ordinary least-squares ones,
:math:`\widehat{\mathrm{Cov}} = \hat\sigma^2 (X^\top X)^{-1}` with
:math:`\hat\sigma^2 = \mathrm{RSS}/(n - p)`; the threshold's is by the delta
method, and so are the fitted equilibrium's in :func:`fit_richardson` (from the joint covariance of
both equations).  With so few points they are rough guides, not tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import ModelError
from .checks import as_real_array

__all__ = ["fit_linear_response", "fit_richardson", "LinearResponseFit", "RichardsonFit", "REGRESSORS"]

#: How the level a change is regressed on is taken: the mean of the two years, or the first year's.
REGRESSORS = ("midpoint", "start")


def _series(name: str, values) -> np.ndarray:
    if values is None:
        raise ModelError(f"{name}: no data (None)")
    if isinstance(values, (str, bytes)):
        raise ModelError(f"{name}: expected a series of numbers, got the string {values!r}")
    arr = as_real_array(name, values, allow_nan=True)
    if arr.ndim != 1:
        raise ModelError(f"{name}: expected a one-dimensional series, got shape {arr.shape}")
    if arr.size == 0:
        raise ModelError(f"{name}: the series is empty")
    nan = np.flatnonzero(np.isnan(arr))
    if nan.size:
        raise ModelError(f"{name}: NaN at position {int(nan[0])}; remove or fill missing values before fitting")
    return arr


def _times(times, n: int) -> np.ndarray:
    if times is None:
        return np.arange(n, dtype=float)
    t = _series("times", times)
    if t.size != n:
        raise ModelError(f"times: {t.size} values for a series of {n}")
    step = np.diff(t)
    if (step <= 0).any():
        j = int(np.flatnonzero(step <= 0)[0])
        raise ModelError(f"times: not increasing at position {j + 1} ({float(t[j]):g} then {float(t[j + 1]):g})")
    return t


def _regressor(name: str) -> str:
    if name not in REGRESSORS:
        raise ModelError(f"regressor {name!r}: expected one of {list(REGRESSORS)}")
    return name


def _levels(s: np.ndarray, regressor: str) -> np.ndarray:
    return 0.5 * (s[:-1] + s[1:]) if regressor == "midpoint" else s[:-1]


def _ols(X: np.ndarray, y: np.ndarray, what: str, columns):
    """Least squares ``y ~ X b`` with OLS covariance; refuses too few points or a rank-deficient design."""
    n, p = X.shape
    if n <= p:
        raise ModelError(f"{what}: {n} changes for {p} parameters ({', '.join(columns)}); a least-squares fit "
                         f"with standard errors needs at least {p + 1} changes, i.e. {p + 2} values")
    if np.linalg.matrix_rank(X) < p:
        raise ModelError(f"{what}: the regressors ({', '.join(columns)}) are collinear over the data "
                         "(e.g. a constant level): the coefficients are not identified")
    coef, *_ = np.linalg.lstsq(X, y, rcond=None)
    resid = y - X @ coef
    dof = n - p
    sigma2 = float(resid @ resid) / dof
    cov = sigma2 * np.linalg.inv(X.T @ X)
    tss = float(((y - y.mean()) ** 2).sum())
    r2 = 1.0 - float(resid @ resid) / tss if tss > 0 else float("nan")
    return coef, cov, resid, dof, r2


@dataclass(frozen=True)
class LinearResponseFit:
    r"""The fit :math:`\Delta s/\Delta t = \alpha\, r + \beta = \alpha (r - s_0)` of :func:`fit_linear_response`.

    Attributes
    ----------
    slope, intercept : float
        :math:`\alpha` (per unit of time) and :math:`\beta`.
    threshold : float
        The zero crossing :math:`s_0 = -\beta/\alpha`: the level at which the
        series stops changing (the equilibrium of :math:`\dot s = \alpha(s - s_0)`).
    se_slope, se_intercept, se_threshold : float
        Standard errors (the threshold's by the delta method).
    r_squared : float
    dof : int
        Residual degrees of freedom (changes minus 2).
    regressor : str
        ``"midpoint"`` or ``"start"``.
    levels, changes, residuals : ndarray
        The regressor :math:`r`, the rates :math:`\Delta s/\Delta t`, and the residuals.
    """

    slope: float
    intercept: float
    threshold: float
    se_slope: float
    se_intercept: float
    se_threshold: float
    r_squared: float
    dof: int
    regressor: str
    levels: np.ndarray = field(repr=False)
    changes: np.ndarray = field(repr=False)
    residuals: np.ndarray = field(repr=False)

    @property
    def stable(self) -> bool:
        """Whether the level returns to the threshold (slope < 0); a positive slope is a runaway from it."""
        return self.slope < 0

    def predict(self, level):
        """The fitted rate of change at *level*."""
        return self.slope * np.asarray(level, float) + self.intercept

    def to_dict(self) -> dict:
        """Plain data (floats and lists) for JSON."""
        return {"slope": self.slope, "intercept": self.intercept, "threshold": self.threshold,
                "se_slope": self.se_slope, "se_intercept": self.se_intercept, "se_threshold": self.se_threshold,
                "r_squared": self.r_squared, "dof": self.dof, "regressor": self.regressor,
                "levels": self.levels.tolist(), "changes": self.changes.tolist(),
                "residuals": self.residuals.tolist()}


def fit_linear_response(series, times=None, *, regressor: str = "midpoint") -> LinearResponseFit:
    r"""Fit :math:`\Delta s_i / \Delta t_i = \alpha\, r_i + \beta` by least squares (Richardson's 1909-13 test).

    Parameters
    ----------
    series : sequence of numbers
        The levels :math:`s_0, \dots, s_N` (e.g. the combined defence
        expenditure of two blocs, year by year).
    times : sequence of numbers, optional
        Strictly increasing times of the levels (default ``0, 1, ..., N``);
        rates are per unit of these times.
    regressor : ``"midpoint"`` or ``"start"``
        :math:`r_i = (s_i + s_{i+1})/2` (Richardson's choice: the change over
        a year against the level in the middle of it) or :math:`r_i = s_i`.

    Returns
    -------
    LinearResponseFit

    Raises
    ------
    ModelError
        An empty, non-numeric or multi-dimensional series, NaN, times that do
        not increase, fewer than four values (three changes for two
        parameters and a residual), or a constant series.
    """
    s = _series("series", series)
    t = _times(times, s.size)
    r = _levels(s, _regressor(regressor))
    dy = np.diff(s) / np.diff(t)
    X = np.column_stack([r, np.ones_like(r)])
    coef, cov, resid, dof, r2 = _ols(X, dy, "series", ("slope", "intercept"))
    alpha, beta = float(coef[0]), float(coef[1])
    if alpha == 0:
        thr, se_thr = float("nan"), float("nan")
    else:
        thr = -beta / alpha
        grad = np.array([beta / alpha ** 2, -1.0 / alpha])
        se_thr = float(np.sqrt(grad @ cov @ grad))
    return LinearResponseFit(alpha, beta, thr, float(np.sqrt(cov[0, 0])), float(np.sqrt(cov[1, 1])), se_thr,
                             r2, dof, regressor, r, dy, resid)


@dataclass(frozen=True)
class RichardsonFit:
    r"""The two equations of Richardson's model fitted separately (:func:`fit_richardson`).

    Attributes
    ----------
    estimates, standard_errors : dict
        ``{"k", "a", "g", "l", "b", "h"}`` -> value, and its OLS standard error.
    equilibrium : tuple of float
        :math:`(x^*, y^*)` of the fitted coefficients (NaN if :math:`ab = kl`).
    stable : bool
        :math:`kl < ab` and :math:`a, b > 0` for the fitted values.
    consistent : bool
        Whether the estimates have the signs the theory needs
        (:math:`k, l \ge 0`, :math:`a, b > 0`), so that :meth:`model` exists.
    dof : int
        Residual degrees of freedom of each equation.
    r_squared : tuple of float
        Of the x and y equations.
    regressor : str
    equilibrium_se : tuple of float
        Standard errors of :math:`(x^*, y^*)` by the delta method, from the
        joint covariance of the six coefficients (the two equations' residuals
        may be correlated).
    covariance : ndarray, shape (6, 6)
        That joint covariance, in the order ``k, a, g, l, b, h``.
    """

    estimates: dict
    standard_errors: dict
    equilibrium: tuple
    stable: bool
    consistent: bool
    dof: int
    r_squared: tuple
    regressor: str
    equilibrium_se: tuple = (float("nan"), float("nan"))
    covariance: np.ndarray = field(default=None, repr=False)

    def model(self):
        """The fitted :class:`~deterrence.dynamics.Richardson` model (a ModelError if the signs are not the theory's)."""
        from .richardson import Richardson
        if not self.consistent:
            e = self.estimates
            raise ModelError("the fitted coefficients do not have the theory's signs (k, l >= 0, a, b > 0): "
                             + ", ".join(f"{n} = {e[n]:.4g}" for n in ("k", "l", "a", "b")))
        return Richardson(**self.estimates)

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        return {"estimates": dict(self.estimates), "standard_errors": dict(self.standard_errors),
                "equilibrium": list(self.equilibrium), "equilibrium_se": list(self.equilibrium_se),
                "stable": self.stable, "consistent": self.consistent,
                "dof": self.dof, "r_squared": list(self.r_squared), "regressor": self.regressor}


def fit_richardson(x, y, times=None, *, regressor: str = "midpoint") -> RichardsonFit:
    r"""Fit :math:`\Delta x/\Delta t = k\bar y - a\bar x + g` and :math:`\Delta y/\Delta t = l\bar x - b\bar y + h`.

    Each equation is an ordinary least-squares regression on the regressors
    :math:`(\bar y, -\bar x, 1)` (resp. :math:`(\bar x, -\bar y, 1)`), with
    :math:`\bar x` the mid-period (or start-of-period) level.  Three
    coefficients per equation: at least five values of each series.

    Parameters
    ----------
    x, y : sequence of numbers
        The two sides' arms levels (same length).
    times : sequence of numbers, optional
    regressor : ``"midpoint"`` or ``"start"``

    Returns
    -------
    RichardsonFit
    """
    xs, ys = _series("x", x), _series("y", y)
    if xs.size != ys.size:
        raise ModelError(f"x and y: {xs.size} and {ys.size} values; the series must cover the same times")
    t = _times(times, xs.size)
    reg = _regressor(regressor)
    xb, yb = _levels(xs, reg), _levels(ys, reg)
    dt = np.diff(t)
    one = np.ones_like(xb)
    cx, covx, _, dof, r2x = _ols(np.column_stack([yb, -xb, one]), np.diff(xs) / dt, "x equation", ("k", "a", "g"))
    cy, covy, _, _, r2y = _ols(np.column_stack([xb, -yb, one]), np.diff(ys) / dt, "y equation", ("l", "b", "h"))
    est = {"k": float(cx[0]), "a": float(cx[1]), "g": float(cx[2]),
           "l": float(cy[0]), "b": float(cy[1]), "h": float(cy[2])}
    se = {"k": float(np.sqrt(covx[0, 0])), "a": float(np.sqrt(covx[1, 1])), "g": float(np.sqrt(covx[2, 2])),
          "l": float(np.sqrt(covy[0, 0])), "b": float(np.sqrt(covy[1, 1])), "h": float(np.sqrt(covy[2, 2]))}
    k, a, g, l_, b, h = (est[n] for n in ("k", "a", "g", "l", "b", "h"))
    cov = _joint_covariance(xb, yb, np.diff(xs) / dt, np.diff(ys) / dt)
    det = a * b - k * l_
    if det != 0:
        eq = ((b * g + k * h) / det, (a * h + l_ * g) / det)
        xe, ye = eq
        # gradients of x* and y* with respect to (k, a, g, l, b, h)
        jx = np.array([h + xe * l_, -xe * b, b, xe * k, g - xe * a, k]) / det
        jy = np.array([ye * l_, h - ye * b, l_, g + ye * k, -ye * a, a]) / det
        eq_se = (float(np.sqrt(jx @ cov @ jx)), float(np.sqrt(jy @ cov @ jy)))
    else:
        eq, eq_se = (float("nan"), float("nan")), (float("nan"), float("nan"))
    consistent = k >= 0 and l_ >= 0 and a > 0 and b > 0
    return RichardsonFit(est, se, eq, bool(consistent and det > 0), bool(consistent), dof, (r2x, r2y), reg,
                         eq_se, cov)


def _joint_covariance(xb, yb, dx, dy) -> np.ndarray:
    r"""Covariance of (k, a, g, l, b, h) from both equations, with the residuals' cross-correlation.

    The two equations share one design :math:`Z = (\bar x, \bar y, 1)` (up to the order and sign of
    the columns), so equation-by-equation OLS is the efficient seemingly-unrelated estimator and
    :math:`\mathrm{Cov}(\mathrm{vec}\,B) = \hat\Sigma \otimes (Z^\top Z)^{-1}`, :math:`\hat\Sigma = E^\top E/(n - 3)`.
    """
    Z = np.column_stack([xb, yb, np.ones_like(xb)])
    Y = np.column_stack([dx, dy])
    B, *_ = np.linalg.lstsq(Z, Y, rcond=None)
    E = Y - Z @ B
    sigma = E.T @ E / (Z.shape[0] - 3)
    full = np.kron(sigma, np.linalg.inv(Z.T @ Z))      # order: x eq (xb, yb, 1), y eq (xb, yb, 1)
    # x eq: xb -> -a, yb -> k, 1 -> g;  y eq: xb -> l, yb -> -b, 1 -> h
    order = [1, 0, 2, 3, 4, 5]                        # (k, a, g, l, b, h) positions in `full`
    sign = np.array([1.0, -1.0, 1.0, 1.0, -1.0, 1.0])
    return full[np.ix_(order, order)] * np.outer(sign, sign)
