"""A measure over a grid of two parameters: its value, its range over the equilibria, its sign against a threshold.

:func:`measure_map` returns a :class:`MeasureMap` (data for a heat map with a
threshold contour); :meth:`MeasureMap.region_map` turns the sign of
``measure - threshold`` into a categorical
:class:`~deterrence.analysis.regions.RegionMap` that
:func:`deterrence.plot.plot_regions` draws.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ..errors import ModelError
from .equilibrium_sets import equilibrium_set
from .measures import Measure, evaluate_measure, measure_summary, resolve_measures

__all__ = ["MeasureMap", "measure_map"]


@dataclass(frozen=True, eq=False)
class MeasureMap:
    """A measure over a two-parameter grid, for a heat map (and a threshold contour).

    Attributes
    ----------
    x_name, y_name : str
    x, y : ndarray
    low, high : ndarray, shape (len(y), len(x))
        Minimum and maximum of the measure over the equilibria at each grid point.
    value : ndarray, shape (len(y), len(x))
        The measure where every equilibrium agrees (NaN elsewhere).
    threshold : float or None
    sign : ndarray of int8 or None
        With a threshold: +1 where every equilibrium has ``measure > threshold``,
        -1 where every one has ``measure < threshold``, 0 elsewhere (equal, or
        equilibria on both sides).
    measure : Measure
    provenance : dict
    """

    x_name: str
    y_name: str
    x: np.ndarray
    y: np.ndarray
    low: np.ndarray
    high: np.ndarray
    value: np.ndarray
    threshold: float | None
    sign: np.ndarray | None
    measure: Measure
    provenance: dict

    def region_map(self):
        """The sign of ``measure - threshold`` as a categorical :class:`~deterrence.analysis.regions.RegionMap`
        (drawn by :func:`deterrence.plot.plot_regions`)."""
        from .regions import RegionMap
        from .table import ResultTable

        if self.sign is None:
            raise ModelError("region_map needs a MeasureMap made with a threshold")
        t, n = self.threshold, self.measure.name
        names = {1: f"{n} > {t:g}", -1: f"{n} < {t:g}", 0: f"{n} = {t:g} (or equilibria on both sides)"}
        present = [s for s in (1, 0, -1) if (self.sign == s).any()]
        rank = {s: k for k, s in enumerate(present)}
        index = np.vectorize(rank.get)(self.sign).astype(np.int64)
        X, Y = np.meshgrid(self.x, self.y)
        table = ResultTable({self.x_name: X.T.reshape(-1), self.y_name: Y.T.reshape(-1),
                             n: self.value.T.reshape(-1)}, {"provenance": self.provenance})
        return RegionMap(x_name=self.x_name, y_name=self.y_name, x=self.x, y=self.y,
                         labels=tuple(names[s] for s in present), index=index, table=table,
                         model_name=self.provenance.get("model", ""), concept=self.provenance.get("concept", ""))


def measure_map(model, measure, x: tuple, y: tuple, *, threshold: float | None = None,
                fixed: Mapping[str, Any] | None = None, concept: str = "auto", tol: float = 1e-8) -> MeasureMap:
    """A measure over a grid of two parameters (others fixed or at their defaults).

    Parameters
    ----------
    model : ParametricModel
    measure : str or Measure
    x, y : (name, values)
        Values an array or ``"lo:hi:n"``.
    threshold : float, optional
        Also classify each point by the sign of ``measure - threshold`` over its equilibria.
    """
    from .provenance import provenance
    from .sweep import default_concept, parse_axis, sweep_points

    (m,) = resolve_measures(model, [measure])
    try:
        (xn, xv), (yn, yv) = x, y
    except (TypeError, ValueError):
        raise ModelError("measure_map: give x=(name, values) and y=(name, values)") from None
    if xn == yn:
        raise ModelError(f"measure_map: the two axes must be different parameters (both {xn!r})")
    xv, yv = parse_axis(xv), parse_axis(yv)
    if concept == "auto":
        concept = default_concept(model)
    pts = sweep_points(model, {xn: xv, yn: yv}, fixed=fixed)
    model.point(pts)
    eqs = equilibrium_set(model, pts, concept, tol=tol)
    s = measure_summary(evaluate_measure(m, model, eqs, pts), eqs)

    def grid(a):
        return np.asarray(a).reshape(len(xv), len(yv)).T      # x varies slowest

    low, high, value = grid(s["min"]), grid(s["max"]), grid(s["value"])
    sign = None
    if threshold is not None:
        t = float(threshold)
        sign = np.where(low > t, 1, np.where(high < t, -1, 0)).astype(np.int8)
    prov = provenance(model, concept=concept, tol=tol, grid={xn: xv, yn: yv}, fixed=fixed)
    prov["measure"] = m.to_dict()
    if threshold is not None:
        prov["threshold"] = float(threshold)
    return MeasureMap(x_name=xn, y_name=yn, x=xv, y=yv, low=low, high=high, value=value,
                      threshold=None if threshold is None else float(threshold), sign=sign, measure=m,
                      provenance=prov)
