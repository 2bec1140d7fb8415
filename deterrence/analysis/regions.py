"""Region maps: which equilibrium outcome holds where, over two parameters.

:func:`region_map` sweeps a two-parameter grid (other parameters fixed or
at their defaults) with :func:`~deterrence.analysis.sweep.sweep` and returns
a :class:`RegionMap`: the grid axes, the distinct outcome labels and an
integer array ``index[iy, ix]`` into them.  :func:`deterrence.plot.plot_regions`
draws it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from ..errors import ModelError
from .sweep import parse_axis, sweep
from .table import ResultTable

__all__ = ["RegionMap", "region_map"]


@dataclass(frozen=True, eq=False)
class RegionMap:
    """Outcome labels over a two-parameter grid.

    Attributes
    ----------
    x_name, y_name : str
        The parameters on the horizontal and the vertical axis.
    x, y : ndarray
        Grid values.
    labels : tuple of str
        Distinct outcome labels, in order of first appearance (row-major from ``(y[0], x[0])``).
    index : ndarray of int, shape (len(y), len(x))
        ``labels[index[iy, ix]]`` is the outcome at ``(x[ix], y[iy])``.
    table : ResultTable
        The full sweep (probabilities and payoffs too).
    """

    x_name: str
    y_name: str
    x: np.ndarray
    y: np.ndarray
    labels: tuple
    index: np.ndarray
    table: ResultTable
    model_name: str = ""
    concept: str = ""

    def label_at(self, x: float, y: float) -> str:
        """The outcome at the grid point nearest to ``(x, y)``."""
        ix = int(np.argmin(np.abs(self.x - x)))
        iy = int(np.argmin(np.abs(self.y - y)))
        return self.labels[self.index[iy, ix]]

    def share(self) -> dict:
        """Share of grid points where each outcome holds."""
        counts = np.bincount(self.index.reshape(-1), minlength=len(self.labels))
        return {lab: float(c) / self.index.size for lab, c in zip(self.labels, counts)}

    def grid(self, column: str) -> np.ndarray:
        """Any column of the sweep as an array of shape ``(len(y), len(x))``."""
        return np.asarray(self.table[column]).reshape(len(self.x), len(self.y)).T


def region_map(model, x: tuple, y: tuple, *, fixed: Mapping[str, Any] | None = None, concept: str = "auto",
               **kwargs) -> RegionMap:
    """Which outcome holds where over a grid of two parameters.

    Parameters
    ----------
    model : ParametricModel
    x, y : (name, values)
        The two parameters and their values (an array or ``"lo:hi:n"``).
    fixed : mapping, optional
        Values of the other parameters (default: their defaults).
    concept : str
        As in :func:`~deterrence.analysis.sweep.sweep`.
    **kwargs
        Passed to :func:`~deterrence.analysis.sweep.sweep` (``progress``, ``chunk_size``...).
    """
    try:
        (xn, xv), (yn, yv) = x, y
    except (TypeError, ValueError):
        raise ModelError("region_map: give x=(name, values) and y=(name, values)") from None
    if xn == yn:
        raise ModelError(f"region_map: the two axes must be different parameters (both {xn!r})")
    xv, yv = parse_axis(xv), parse_axis(yv)
    table = sweep(model, {xn: xv, yn: yv}, fixed=fixed, concept=concept, **kwargs)
    out = np.asarray(table["outcome"])
    uniq, first, inv = np.unique(out.astype(str), return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty(len(uniq), np.int64)
    rank[order] = np.arange(len(uniq))
    labels = tuple(str(uniq[k]) for k in order)
    index = rank[inv.reshape(-1)].reshape(len(xv), len(yv)).T    # x varies slowest in the sweep
    return RegionMap(x_name=xn, y_name=yn, x=xv, y=yv, labels=labels, index=index, table=table,
                     model_name=getattr(model, "name", ""), concept=table.meta.get("concept", concept))
