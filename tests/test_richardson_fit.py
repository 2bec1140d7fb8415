"""Least-squares estimation of Richardson's coefficients; Richardson's own 1909-13 test.

The 1909-13 totals are the reference sheet's (../shared/reference/arms_and_alliances.md: the table as
commonly reproduced from Arms and Insecurity, 1960); the expected figures (slope 0.73 and crossing 194.9
on the mid-year total, slope 1.15 on the start-of-year total) are the sheet's, and the full-precision
values are recomputed here by an independent numpy least squares.
"""

import numpy as np
import pytest

from deterrence.dynamics import Richardson, fit_linear_response, fit_richardson
from deterrence.errors import ModelError

YEARS = [1909, 1910, 1911, 1912, 1913]
TOTAL = [199.2, 204.8, 214.9, 238.7, 289.0]     # U + V, million pounds


def simple_regression(x, y):
    """Slope, intercept and their standard errors from the textbook formulas (not lstsq)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    n = len(x)
    sxx = ((x - x.mean()) ** 2).sum()
    slope = ((x - x.mean()) * (y - y.mean())).sum() / sxx
    icpt = y.mean() - slope * x.mean()
    s2 = ((y - icpt - slope * x) ** 2).sum() / (n - 2)
    return slope, icpt, np.sqrt(s2 / sxx), np.sqrt(s2 * (1 / n + x.mean() ** 2 / sxx))


def test_richardsons_1909_13_figures_on_the_mid_year_total():
    fit = fit_linear_response(TOTAL, YEARS)
    assert fit.regressor == "midpoint"
    assert round(fit.slope, 2) == 0.73                 # Richardson: about 0.73 per year
    assert abs(fit.threshold - 194.9) < 0.05           # the sheet: zero crossing 194.9 (Richardson: about 194)
    assert not fit.stable                              # above the crossing the total runs away
    s = np.asarray(TOTAL)
    mid = (s[1:] + s[:-1]) / 2
    A = np.column_stack([mid, np.ones(4)])
    (slope, icpt), *_ = np.linalg.lstsq(A, np.diff(s), rcond=None)
    assert fit.slope == pytest.approx(slope, rel=1e-12)
    assert fit.intercept == pytest.approx(icpt, rel=1e-12)
    assert fit.threshold == pytest.approx(-icpt / slope, rel=1e-12)


def test_start_of_year_total_gives_slope_115_and_the_same_crossing():
    fit = fit_linear_response(TOTAL, YEARS, regressor="start")
    assert round(fit.slope, 2) == 1.15                 # the sheet: 1.15
    assert abs(fit.threshold - 194.9) < 0.05
    slope, icpt, se_s, se_i = simple_regression(TOTAL[:-1], np.diff(TOTAL))
    assert fit.slope == pytest.approx(slope, rel=1e-12)
    assert fit.se_slope == pytest.approx(se_s, rel=1e-10)
    assert fit.se_intercept == pytest.approx(se_i, rel=1e-10)


def test_standard_errors_match_the_textbook_formulas_and_the_delta_method():
    rng = np.random.default_rng(5)
    s = np.cumsum(rng.uniform(1, 5, 12)) + 50
    fit = fit_linear_response(s)
    mid = (s[1:] + s[:-1]) / 2
    slope, icpt, se_s, se_i = simple_regression(mid, np.diff(s))
    assert (fit.slope, fit.intercept) == pytest.approx((slope, icpt), rel=1e-10)
    assert (fit.se_slope, fit.se_intercept) == pytest.approx((se_s, se_i), rel=1e-10)
    assert fit.dof == 9
    # delta method for -b/a, against finite differences of the map and the OLS covariance
    X = np.column_stack([mid, np.ones_like(mid)])
    resid = np.diff(s) - X @ [slope, icpt]
    cov = resid @ resid / 9 * np.linalg.inv(X.T @ X)
    eps = 1e-6
    grad = np.array([(-icpt / (slope + eps) + icpt / (slope - eps)) / (2 * eps),
                     (-(icpt + eps) / slope + (icpt - eps) / slope) / (2 * eps)])
    assert fit.se_threshold == pytest.approx(np.sqrt(grad @ cov @ grad), rel=1e-5)


def test_unequal_times_give_rates_per_unit_time():
    s = [10.0, 12.0, 16.0, 18.0, 23.0]
    t = [0.0, 1.0, 3.0, 4.0, 6.0]
    fit = fit_linear_response(s, t, regressor="start")
    slope, icpt, _, _ = simple_regression(s[:-1], np.diff(s) / np.diff(t))
    assert (fit.slope, fit.intercept) == pytest.approx((slope, icpt))


def test_two_equation_fit_recovers_coefficients_of_the_difference_form():
    k, l, a, b, g, h = 0.3, 0.2, 0.5, 0.4, 2.0, 1.0
    # data from the centred difference form z' - z = M (z + z')/2 + c: the mid-period regression is exact
    M = np.array([[-a, k], [l, -b]])
    c = np.array([g, h])
    z = [np.array([1.0, 7.0])]
    for _ in range(7):
        z.append(np.linalg.solve(np.eye(2) - M / 2, (np.eye(2) + M / 2) @ z[-1] + c))
    z = np.array(z)
    fit = fit_richardson(z[:, 0], z[:, 1])
    for name, v in dict(k=k, l=l, a=a, b=b, g=g, h=h).items():
        assert fit.estimates[name] == pytest.approx(v, abs=1e-9)
        assert fit.standard_errors[name] < 1e-6
    assert fit.consistent and fit.stable
    assert fit.equilibrium == pytest.approx(((b * g + k * h) / (a * b - k * l), (a * h + l * g) / (a * b - k * l)))
    m = fit.model()
    assert isinstance(m, Richardson)
    # and the start-of-period regression is exact on Richardson's Euler form
    X, Y = Richardson(k, l, a, b, g, h).iterate(1.0, 7.0, steps=7)
    fit = fit_richardson(X, Y, regressor="start")
    assert [fit.estimates[n] for n in "klabgh"] == pytest.approx([k, l, a, b, g, h], abs=1e-9)


def test_two_equation_fit_standard_errors_against_numpy():
    rng = np.random.default_rng(7)
    x, y = 10 + np.cumsum(rng.normal(1, 1, 9)), 8 + np.cumsum(rng.normal(1, 1, 9))
    fit = fit_richardson(x, y)
    xb, yb = (x[1:] + x[:-1]) / 2, (y[1:] + y[:-1]) / 2
    X = np.column_stack([yb, -xb, np.ones(8)])
    coef, *_ = np.linalg.lstsq(X, np.diff(x), rcond=None)
    r = np.diff(x) - X @ coef
    se = np.sqrt(np.diag(r @ r / 5 * np.linalg.inv(X.T @ X)))
    assert [fit.estimates[n] for n in "kag"] == pytest.approx(coef)
    assert [fit.standard_errors[n] for n in "kag"] == pytest.approx(se)
    assert fit.dof == 5


def test_inconsistent_signs_refuse_a_model():
    x = [1.0, 3.0, 2.0, 5.0, 4.0, 6.0]
    y = [2.0, 2.5, 4.0, 3.0, 6.0, 5.0]
    fit = fit_richardson(x, y)
    if not fit.consistent:
        with pytest.raises(ModelError, match="theory's signs"):
            fit.model()
    else:                                   # pragma: no cover - depends on the data above
        assert isinstance(fit.model(), Richardson)


@pytest.mark.parametrize("series,culprit", [
    ([], "series: the series is empty"),
    (None, "series: no data"),
    ("199.2, 204.8", "series: expected a series of numbers"),
    ([199.2, "x", 214.9, 238.7, 289.0], r"series: expected numbers, got 'x' at index \(1,\)"),
    ([199.2, float("nan"), 214.9, 238.7, 289.0], "series: NaN at position 1"),
    ([199.2, 204.8, 214.9], "2 changes for 2 parameters"),
    ([[1.0, 2.0], [3.0, 4.0]], "one-dimensional"),
    ([5.0, 5.0, 5.0, 5.0], "collinear"),
    ([1.0, float("inf"), 3.0, 4.0], "series: inf"),
])
def test_bad_series_name_the_culprit(series, culprit):
    with pytest.raises(ModelError, match=culprit):
        fit_linear_response(series)


def test_bad_times_regressor_and_pairs():
    with pytest.raises(ModelError, match="times: 3 values for a series of 5"):
        fit_linear_response(TOTAL, [1, 2, 3])
    with pytest.raises(ModelError, match="times: not increasing at position 2"):
        fit_linear_response(TOTAL, [1909, 1910, 1910, 1912, 1913])
    # the message reads as numbers, not numpy reprs ("np.float64(1910.0)")
    with pytest.raises(ModelError, match=r"times: not increasing at position 2 \(1910 then 1910\)$"):
        fit_linear_response(TOTAL, [1909, 1910, 1910, 1912, 1913])
    with pytest.raises(ModelError, match="regressor 'end'"):
        fit_linear_response(TOTAL, regressor="end")
    with pytest.raises(ModelError, match="x and y: 5 and 4 values"):
        fit_richardson(TOTAL, TOTAL[:4])
    with pytest.raises(ModelError, match="x equation: 3 changes for 3 parameters"):
        fit_richardson([1, 2, 4, 7], [2, 3, 5, 8])
    with pytest.raises(ModelError, match="y: NaN at position 0"):
        fit_richardson([1, 2, 4, 7, 11, 12], [float("nan"), 3, 5, 8, 10, 11])


def test_equilibrium_standard_errors_match_the_monte_carlo_spread():
    """The delta-method standard errors of (x*, y*) against the spread of the estimates over simulated series.

    Series from Richardson's yearly form with cross-correlated shocks; the reported standard error should
    match the standard deviation of the fitted equilibrium across replications (it would not if the
    correlation between the two equations' residuals were ignored: that check is the last assertion).
    """
    rng = np.random.default_rng(2024)
    k, l, a, b, g, h = 0.3, 0.2, 0.9, 0.8, 2.0, 1.0      # little persistence: the asymptotics apply at n = 60
    M = np.array([[-a, k], [l, -b]])
    c = np.array([g, h])
    shocks = np.array([[0.04, 0.035], [0.035, 0.04]])
    est, se, naive = [], [], []
    chol = np.linalg.cholesky(shocks)
    for _ in range(600):
        z = [np.array([2.0, 7.0])]
        for e in rng.standard_normal((60, 2)) @ chol.T:
            z.append(z[-1] + M @ z[-1] + c + e)
        z = np.array(z)
        fit = fit_richardson(z[:, 0], z[:, 1], regressor="start")
        est.append(fit.equilibrium)
        se.append(fit.equilibrium_se)
        # the same delta method with the cross-equation covariance set to zero
        cov = fit.covariance.copy()
        cov[:3, 3:] = cov[3:, :3] = 0
        kk, aa, gg, ll, bb, hh = (fit.estimates[n] for n in ("k", "a", "g", "l", "b", "h"))
        det = aa * bb - kk * ll
        xe = fit.equilibrium[0]
        jx = np.array([hh + xe * ll, -xe * bb, bb, xe * kk, gg - xe * aa, kk]) / det
        naive.append(np.sqrt(jx @ cov @ jx))
    est, se = np.array(est), np.array(se)
    true = ((b * g + k * h) / (a * b - k * l), (a * h + l * g) / (a * b - k * l))
    assert np.abs(est.mean(axis=0) - true).max() < 0.01
    ratio = est.std(axis=0) / np.median(se, axis=0)
    assert ((0.87 < ratio) & (ratio < 1.15)).all(), ratio
    assert est[:, 0].std() / np.median(naive) > 1.2
    # the joint covariance's diagonal is the per-equation standard errors
    assert np.sqrt(np.diag(fit.covariance)) == pytest.approx([fit.standard_errors[n] for n in "kaglbh"])
