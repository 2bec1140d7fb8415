r"""Richardson's test of his arms-race model on the pre-1914 blocs (1909-1913).

Data
----
Defence budgets of France, Russia (the Franco-Russian bloc, :math:`U`) and
Germany, Austria-Hungary (:math:`V`), million pounds sterling, 1909-1913, as
commonly reproduced from L. F. Richardson, *Arms and Insecurity* (1960), for
instance in differential-equations textbooks.  The table is not re-checked
against the 1960 edition; every output of this case says so.

Test
----
With equal coefficients for the two blocs the combined expenditure obeys
:math:`\dot s = (k - a)(s - s_0)`, :math:`s = U + V`
(:mod:`deterrence.dynamics.estimate`).  Richardson regressed the yearly
increase of :math:`U + V` on the mid-year total (the mean of consecutive
years) and found :math:`\Delta(U+V) \approx 0.73\,(U + V - 194)`: slope about
0.73 per year, zero crossing about 194 million pounds.  The least-squares fit
here gives slope 0.731 and crossing 194.9; on the start-of-year total the
slope is 1.15 with the same crossing, so the mid-year regressor is the one
that matches his figure.

Reading
-------
The slope :math:`k - a > 0` says the defence coefficient exceeded the fatigue
coefficient: the equilibrium at :math:`s_0` is unstable.  The 1909 total
(199.2) lay above it, so the model predicts a runaway race (had the total
been below :math:`s_0`, the same coefficients predict mutual disarmament:
the goodwill term :math:`g + h = -\alpha s_0 < 0`).  Only :math:`k - a` is
identified by this regression; the phase portrait takes an illustrative
fatigue :math:`a = b =` :data:`ILLUSTRATIVE_FATIGUE` and splits the goodwill
equally, which moves neither the separatrix :math:`U + V = s_0` nor the regime.
Fitting the two blocs' equations separately (three coefficients each, one
residual degree of freedom) gives negative defence and fatigue coefficients,
signs the theory does not allow: the pooled test is the one the data support.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dynamics import Richardson, fit_linear_response, fit_richardson

__all__ = ["reproduce", "Richardson1909Report", "TABLE", "COUNTRIES", "SOURCE", "ILLUSTRATIVE_FATIGUE",
           "RICHARDSON_SLOPE", "RICHARDSON_THRESHOLD"]

COUNTRIES = ("France", "Russia", "Germany", "Austria-Hungary")
#: (year, France, Russia, Germany, Austria-Hungary): defence budgets, million pounds sterling.
TABLE = (
    (1909, 48.6, 66.7, 63.1, 20.8),
    (1910, 50.9, 68.5, 62.0, 23.4),
    (1911, 57.1, 70.7, 62.5, 24.6),
    (1912, 63.2, 81.8, 68.2, 25.5),
    (1913, 74.7, 92.0, 95.4, 26.9),
)
SOURCE = ("Defence budgets (million pounds) as commonly reproduced from L. F. Richardson, Arms and Insecurity "
          "(1960), e.g. in differential-equations textbooks; not re-checked against the 1960 edition.")
#: Richardson's reading: the yearly increase of U + V is about 0.73 (U + V - 194).
RICHARDSON_SLOPE = 0.73
RICHARDSON_THRESHOLD = 194.0
#: The fatigue coefficient of the illustrative phase portrait (not identified by the data).
ILLUSTRATIVE_FATIGUE = 0.2


@dataclass(frozen=True)
class Richardson1909Report:
    """The 1909-13 case: the table, the two fits, the regime, the illustrative two-bloc model.

    Attributes
    ----------
    rows : list of dict
        Year, the four budgets, ``U`` (France + Russia), ``V`` (Germany + Austria-Hungary), ``U+V``.
    midpoint, start : LinearResponseFit
        The yearly change of U + V regressed on the mid-year and on the start-of-year total.
    per_bloc : RichardsonFit
        The two blocs' equations fitted separately.
    model : Richardson
        The illustrative symmetric model: ``k = l = a + slope``, ``a = b = ILLUSTRATIVE_FATIGUE``,
        ``g = h = -slope * threshold / 2`` (from the mid-year fit).
    regime : str
        The regime of :attr:`model` from the 1909 budgets (runaway race).
    source : str
    provenance : dict
    """

    rows: list
    midpoint: object
    start: object
    per_bloc: object
    model: Richardson
    regime: str
    source: str
    provenance: dict

    @property
    def years(self) -> np.ndarray:
        return np.array([r["year"] for r in self.rows])

    def series(self, name: str) -> np.ndarray:
        """A column of :attr:`rows` (``"U"``, ``"V"``, ``"U+V"`` or a country) as an array."""
        return np.array([r[name] for r in self.rows])

    def summary(self) -> str:
        """The case as text: the table, both fits beside Richardson's figures, the reading, the source note."""
        cols = ("year",) + COUNTRIES + ("U", "V", "U+V")
        widths = [max(len(c), 6) for c in cols]
        out = ["Richardson's arms-race test on the pre-1914 blocs, 1909-1913",
               "U = France + Russia, V = Germany + Austria-Hungary (defence budgets, million pounds)", "",
               "  ".join(c.rjust(w) for c, w in zip(cols, widths))]
        for r in self.rows:
            out.append("  ".join((str(r[c]) if c == "year" else f"{r[c]:.1f}").rjust(w) for c, w in zip(cols, widths)))
        out.append(f"Source: {self.source}")
        out += ["", "Least squares: yearly increase of U+V = slope * (level - crossing)",
                f"{'regressor':<24}{'slope':>8}{'(se)':>9}{'crossing':>10}{'(se)':>8}{'R^2':>8}"]
        for name, f in (("mid-year total", self.midpoint), ("start-of-year total", self.start)):
            out.append(f"{name:<24}{f.slope:>8.3f}{f'({f.se_slope:.3f})':>9}{f.threshold:>10.1f}"
                       f"{f'({f.se_threshold:.1f})':>8}{f.r_squared:>8.4f}")
        label = "Richardson's reading"
        out += [f"{label:<24}{RICHARDSON_SLOPE:>8.2f}{'':>9}{RICHARDSON_THRESHOLD:>10.0f}   "
                "(on the mid-year total)",
                f"Standard errors with {self.midpoint.dof} residual degrees of freedom are rough guides."]
        m = self.model
        pb = self.per_bloc.estimates
        out += ["",
                f"Reading: slope k - a = {self.midpoint.slope:.3f} > 0, so the equilibrium total "
                f"{self.midpoint.threshold:.1f} is unstable;",
                f"the 1909 total {self.rows[0]['U+V']:.1f} lay above it: {self.regime} "
                "(below it the same coefficients give disarmament).",
                f"Phase portrait (illustrative, only k - a is identified): k = l = {float(m.k):.3f}, "
                f"a = b = {float(m.a):.2f}, g = h = {float(m.g):.2f}; eigenvalues "
                + ", ".join(f"{e:.3f}" for e in m.eigenvalues()) + ".",
                f"Per-bloc fit (3 coefficients per bloc, {self.per_bloc.dof} residual degree of freedom): "
                + ", ".join(f"{n} = {pb[n]:.2f}" for n in ("k", "a", "l", "b"))
                + ("; signs the theory does not allow, so the pooled test is the one the data support."
                   if not self.per_bloc.consistent else ".")]
        return "\n".join(out)

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        m = self.model
        return {
            "case": "richardson_1909",
            "title": "Richardson's arms-race test on the pre-1914 blocs, 1909-1913",
            "source": self.source,
            "table": self.rows,
            "richardson": {"slope": RICHARDSON_SLOPE, "threshold": RICHARDSON_THRESHOLD,
                           "regressor": "midpoint"},
            "fit_midpoint": self.midpoint.to_dict(),
            "fit_start": self.start.to_dict(),
            "per_bloc_fit": self.per_bloc.to_dict(),
            "illustrative_model": {"k": float(m.k), "l": float(m.l), "a": float(m.a), "b": float(m.b),
                                   "g": float(m.g), "h": float(m.h),
                                   "equilibrium": [float(v) for v in m.equilibrium()],
                                   "eigenvalues": m.eigenvalues().tolist(), "stable": bool(m.stable()),
                                   "note": "only k - a is identified by the data; a = b is illustrative"},
            "regime_from_1909": self.regime,
            "provenance": self.provenance,
        }


def reproduce(version: str | None = None) -> Richardson1909Report:
    """Richardson's 1909-13 test from :data:`TABLE`: both regressions, the per-bloc fit, the regime.

    Parameters
    ----------
    version : str, optional
        The package version, recorded in the provenance.
    """
    rows = []
    for year, fr, ru, de, ah in TABLE:
        u, v = round(fr + ru, 1), round(de + ah, 1)
        rows.append({"year": year, "France": fr, "Russia": ru, "Germany": de, "Austria-Hungary": ah,
                     "U": u, "V": v, "U+V": round(u + v, 1)})
    years = [r["year"] for r in rows]
    total = [r["U+V"] for r in rows]
    mid = fit_linear_response(total, years, regressor="midpoint")
    start = fit_linear_response(total, years, regressor="start")
    per_bloc = fit_richardson([r["U"] for r in rows], [r["V"] for r in rows], years)
    a = ILLUSTRATIVE_FATIGUE
    goodwill = -mid.slope * mid.threshold / 2
    model = Richardson(a + mid.slope, a + mid.slope, a, a, goodwill, goodwill)
    regime = str(model.regime(rows[0]["U"], rows[0]["V"]))
    provenance = {"package_version": version, "data": "deterrence.cases.richardson_1909.TABLE",
                  "source": SOURCE}
    return Richardson1909Report(rows, mid, start, per_bloc, model, regime, SOURCE, provenance)
