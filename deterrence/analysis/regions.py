"""Region maps: which equilibrium outcome holds where, over two parameters.

:func:`region_map` sweeps a two-parameter grid (other parameters fixed or
at their defaults) with :func:`~deterrence.analysis.sweep.sweep` and returns
a :class:`RegionMap`: the grid axes, the distinct outcome labels and an
integer array ``index[iy, ix]`` into them.  :func:`deterrence.plot.plot_regions`
draws it.

For the figure, a region map also carries what a reader needs: the axes'
labels (each parameter's meaning and unit, :func:`parameter_label`), the
model's title, and the outcomes that hold only *at* one value of a parameter
(``p_B = 0``: no credibility at all), found by probing between grid lines, so
that they are drawn as lines and not as bands of the grid's width.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from typing import Any, Mapping

import numpy as np

from ..errors import ModelError
from .sweep import parse_axis, sweep
from .table import ResultTable

__all__ = ["RegionMap", "SingleValue", "region_map", "region_map_from_table", "parameter_label", "label_axes",
           "single_value_regions", "lines_to_probe"]


_PROBES = (0.01, 0.1, 0.5)     # where single_value_regions looks, as fractions of the way to the next grid line


@dataclass(frozen=True)
class SingleValue:
    """An outcome that holds on one grid line only: at ``axis = value`` and not between it and its neighbours.

    Attributes
    ----------
    label : str
        The outcome.
    axis : str
        ``"x"`` (a column of the grid, one value of the horizontal parameter) or ``"y"`` (a row).
    index : int
        The column or row.
    value : float
        The parameter's value there.
    """

    label: str
    axis: str
    index: int
    value: float


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
    model_name, concept : str
    x_label, y_label : str
        Axis labels (default: the parameter names); :func:`region_map` gives
        each parameter's meaning and unit (:func:`parameter_label`).
    title : str
        The model's title (default: empty, and figures fall back on ``model_name``).
    single_values : tuple of SingleValue
        Outcomes that hold only at one value of one parameter (a grid line),
        drawn as lines, not as bands.
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
    x_label: str = ""
    y_label: str = ""
    title: str = ""
    single_values: tuple = ()

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
               probe: bool = True, **kwargs) -> RegionMap:
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
    probe : bool
        Look between grid lines for outcomes that hold at one value only
        (:func:`single_value_regions`); costs one small extra sweep per
        suspect grid line.
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
    return region_map_from_table(model, (xn, xv), (yn, yv), table, fixed=fixed,
                                 concept=table.meta.get("concept", concept), probe=probe)


def region_map_from_table(model, x: tuple, y: tuple, table, *, fixed: Mapping[str, Any] | None = None,
                          concept: str = "", probe: bool = True) -> RegionMap:
    """A :class:`RegionMap` from a finished grid sweep (x varying slowest), labelled for a figure.

    Parameters
    ----------
    model : ParametricModel
    x, y : (name, values)
        The grid of the sweep.
    table : ResultTable
        A sweep over exactly that grid with an ``outcome`` column.
    fixed, concept
        As given to the sweep (used to probe between grid lines).
    probe : bool
        See :func:`region_map`.
    """
    (xn, xv), (yn, yv) = x, y
    xv, yv = np.asarray(xv, float), np.asarray(yv, float)
    out = np.asarray(table["outcome"])
    uniq, first, inv = np.unique(out.astype(str), return_index=True, return_inverse=True)
    order = np.argsort(first)
    rank = np.empty(len(uniq), np.int64)
    rank[order] = np.arange(len(uniq))
    labels = tuple(str(uniq[k]) for k in order)
    index = rank[inv.reshape(-1)].reshape(len(xv), len(yv)).T    # x varies slowest in the sweep
    rm = RegionMap(x_name=xn, y_name=yn, x=xv, y=yv, labels=labels, index=index, table=table,
                   model_name=getattr(model, "name", ""), concept=concept)
    rm = label_axes(rm, model)
    if probe:
        rm = replace(rm, single_values=single_value_regions(model, rm, fixed=fixed, concept=concept or "auto"))
    return rm


def parameter_label(model, name: str, width: int = 60) -> str:
    """An axis label for a parameter: its meaning (first clause, shortened) and unit, then its name.

    ``"Credibility of the Defender's threat (p_B)"``; ``"Defence budget (b, billion USD)"``.
    Falls back on the name when the model does not describe the parameter.

    Parameters
    ----------
    model : ParametricModel or None
    name : str
    width : int
        Wrap the label onto lines of at most this many characters.
    """
    params = getattr(model, "parameters", None)
    p = params.get(name) if params is not None and hasattr(params, "get") else None
    if p is None:
        return name
    meaning = (p.meaning or "").strip()
    for sep in (": ", "; ", " (", " - "):
        if sep in meaning:
            meaning = meaning.split(sep, 1)[0]
    meaning = meaning.rstrip(" .")
    unit = (p.unit or "").strip()
    if not unit and type(p.domain).__name__ == "Probability" and "probab" not in meaning.lower():
        unit = "probability"
    tail = f"({name}, {unit})" if unit else f"({name})"
    text = f"{meaning} {tail}" if meaning else (f"{name}, {unit}" if unit else name)
    return "\n".join(textwrap.wrap(text, width)) or name


def label_axes(region_map: RegionMap, model) -> RegionMap:
    """The same map with axis labels from the parameters' meanings and units and the model's title."""
    return replace(region_map, x_label=parameter_label(model, region_map.x_name),
                   y_label=parameter_label(model, region_map.y_name),
                   title=getattr(model, "title", None) or getattr(model, "name", "") or region_map.title)


def single_value_regions(model, region_map: RegionMap, *, fixed: Mapping[str, Any] | None = None,
                         concept: str = "auto") -> tuple:
    """Outcomes that hold on one grid line only, confirmed by sweeping close to it on both sides.

    An outcome found in a single column (or row) of the grid either holds on a
    band narrower than the grid's step or only at that one value (as at
    ``p_B = 0``, where a defender is never resolved).  Lines at 1%, 10% and
    50% of the way to each neighbouring column are swept: if the outcome is
    absent from all of them, it is reported as holding at that value only (a
    band narrower than 1% of the grid's step would be taken for a line).

    Returns
    -------
    tuple of SingleValue
    """
    from .sweep import sweep

    found = []
    for k, axis, j, near in lines_to_probe(region_map):
        rm = region_map
        name, other_name, other = (rm.x_name, rm.y_name, rm.y) if axis == "x" else (rm.y_name, rm.x_name, rm.x)
        probe = sweep(model, {name: near, other_name: np.asarray(other, float)}, fixed=fixed, concept=concept,
                      keep=["outcome"])
        if rm.labels[k] not in set(np.asarray(probe["outcome"]).astype(str)):
            values = rm.x if axis == "x" else rm.y
            found.append(SingleValue(label=rm.labels[k], axis=axis, index=j, value=float(values[j])))
    return tuple(found)


def lines_to_probe(region_map: RegionMap) -> list:
    """Labels found on a single grid line, and where to look for them beside it.

    Returns
    -------
    list of (label index, axis, line index, values)
        *axis* is ``"x"`` (a column) or ``"y"`` (a row); *values* are the
        parameter values at 1%, 10% and 50% of the way from the line to each
        neighbouring line, increasing.
    """
    rm = region_map
    out = []
    for k in range(len(rm.labels)):
        mask = rm.index == k
        for axis, lines, values in (("x", np.flatnonzero(mask.any(0)), np.asarray(rm.x, float)),
                                    ("y", np.flatnonzero(mask.any(1)), np.asarray(rm.y, float))):
            if len(lines) != 1 or len(values) < 2:
                continue
            j = int(lines[0])
            near = [values[j] + f * (values[i] - values[j]) for i in (j - 1, j + 1) if 0 <= i < len(values)
                    for f in _PROBES]
            out.append((k, axis, j, np.asarray(sorted(near), float)))
    return out
