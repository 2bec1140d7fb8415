"""Heat maps of a measure over two parameters, with the contour where it crosses a threshold.

:func:`plot_heatmap` takes plain data: an array of values over a grid, its
label and an optional threshold, so it draws any quantity (a probability of
war computed by hand, a column of a sweep, a measure of
:mod:`deterrence.analysis.measures`).  :func:`plot_measure_map` draws a
:class:`~deterrence.analysis.measure_maps.MeasureMap` through it.
"""

from __future__ import annotations

import os

import numpy as np

from ..errors import ModelError
from .grid import cell_edges
from .regions import require_matplotlib

__all__ = ["plot_heatmap", "plot_measure_map"]

_NAN_COLOUR = "#9e9e9e"


def plot_heatmap(values, x, y, path=None, *, label: str, threshold: float | None = None, x_label: str = "x",
                 y_label: str = "y", title: str | None = None, ax=None, cmap: str = "viridis",
                 vmin: float | None = None, vmax: float | None = None, metadata: dict | None = None,
                 dpi: int = 150):
    """Draw the values of a quantity over a two-parameter grid, with its threshold contour.

    Cells are centred on the grid points and clipped to the grid's range.
    NaN cells (for instance where several equilibria give different values)
    are grey and named in the legend.  With a *threshold*, the
    contour where the values cross it is drawn in white over black, marked on
    the colour bar, and named in the legend; when the values never cross it,
    the legend says so.  The legend sits below the axes, the colour bar to
    their right: neither covers the data.

    Parameters
    ----------
    values : array_like, shape (len(y), len(x))
        ``values[iy, ix]`` is the quantity at ``(x[ix], y[iy])``.
    x, y : array_like
        Grid values of the horizontal and vertical parameter (increasing).
    path : str or path, optional
        Save the figure there (format from the extension), atomically.
    label : str
        What the values are (a measure's name, meaning and unit); labels the colour bar.
    threshold : float, optional
        Draw the contour ``values = threshold``.
    x_label, y_label : str
        Axis labels (see :func:`deterrence.analysis.regions.parameter_label`).
    title : str, optional
        Default: *label*.
    ax : matplotlib Axes, optional
        Draw into these axes instead of a new figure.
    cmap : str
        A sequential matplotlib colour map.
    vmin, vmax : float, optional
        Colour range (default: the finite values' range).
    metadata : dict, optional
        Provenance written into the figure file (PNG and SVG ``Description``, PDF ``Subject``).
    dpi : int
        Resolution of a saved raster figure.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ModelError
        When the shapes do not match or no value is finite.
    """
    plt = require_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    v = np.asarray(values, dtype=float)
    x, y = np.asarray(x, float).reshape(-1), np.asarray(y, float).reshape(-1)
    if v.shape != (len(y), len(x)):
        raise ModelError(f"plot_heatmap: values must have shape (len(y), len(x)) = ({len(y)}, {len(x)}); "
                         f"got {v.shape}")
    finite = np.isfinite(v)
    if not finite.any():
        raise ModelError(f"plot_heatmap: no finite value of {label!r} to draw")
    for name, g in (("x", x), ("y", y)):
        if len(g) > 1 and np.any(np.diff(g) <= 0):
            raise ModelError(f"plot_heatmap: the {name} grid must be increasing")
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(6.4, 5.2))
    else:
        fig = ax.figure
    xe, ye = cell_edges(x), cell_edges(y)
    lo = float(np.min(v[finite])) if vmin is None else float(vmin)
    hi = float(np.max(v[finite])) if vmax is None else float(vmax)
    if hi == lo:
        lo, hi = lo - 0.5, hi + 0.5
    mesh = ax.pcolormesh(xe, ye, np.ma.masked_invalid(v), cmap=cmap, vmin=lo, vmax=hi, shading="flat")
    handles = []
    if not finite.all():
        from matplotlib.colors import ListedColormap
        ax.pcolormesh(xe, ye, np.ma.masked_where(finite, np.zeros_like(v)), cmap=ListedColormap([_NAN_COLOUR]),
                      shading="flat")
        handles.append(Patch(facecolor=_NAN_COLOUR, label="no single value (equilibria disagree)"))
    cbar = fig.colorbar(mesh, ax=ax, pad=0.03)
    cbar.set_label(label)
    if threshold is not None:
        t = float(threshold)
        crosses = bool(np.nanmin(v) < t < np.nanmax(v)) or bool(np.any(v[finite] == t))
        if crosses and len(x) > 1 and len(y) > 1:
            X, Y = np.meshgrid(x, y)
            ax.contour(X, Y, np.ma.masked_invalid(v), levels=[t], colors="black", linewidths=3.2)
            ax.contour(X, Y, np.ma.masked_invalid(v), levels=[t], colors="white", linewidths=1.6)
            handles.append(Line2D([], [], color="white", lw=1.6, path_effects=_outline(),
                                  label=f"threshold: {_short(label)} = {t:g}"))
        else:
            side = "above" if np.nanmin(v) >= t else "below"
            handles.append(Line2D([], [], color="none", label=f"threshold {t:g} not crossed (all values {side})"))
        if lo <= t <= hi:
            cbar.ax.axhline(t, color="white", lw=2.5)
            cbar.ax.axhline(t, color="black", lw=1)
    ax.set_xlim(xe[0], xe[-1])
    ax.set_ylim(ye[0], ye[-1])
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.set_title(title if title is not None else label, fontsize="medium")
    if handles:
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=1, frameon=False,
                  fontsize="small")
    if path is not None:
        from ..analysis.atomic import atomic_path
        ext = os.path.splitext(os.fspath(path))[1].lower().lstrip(".") or "png"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=ext, metadata=_metadata(metadata, ext))
    if own:
        plt.close(fig)
    return fig


def plot_measure_map(measure_map, path=None, *, model=None, title: str | None = None, **kwargs):
    """Draw a :class:`~deterrence.analysis.measure_maps.MeasureMap`: its value, and its threshold if it has one.

    Parameters
    ----------
    measure_map : MeasureMap
        Its ``value`` (NaN where the equilibria disagree), ``x``, ``y``,
        ``threshold`` and ``measure`` (name, meaning, unit) are used.
    path : str or path, optional
    model : ParametricModel, optional
        For axis labels from the parameters' meanings and units and the model's title.
    title : str, optional
        Default: the model's title (or name) and the measure.
    **kwargs
        Passed to :func:`plot_heatmap`.
    """
    from ..analysis.regions import parameter_label

    mm = measure_map
    m = mm.measure
    label = m.name
    meaning = (getattr(m, "meaning", "") or "").strip()
    for sep in (": ", "; ", " ("):
        meaning = meaning.split(sep, 1)[0]
    if meaning:
        label = f"{m.name}: {meaning.rstrip('.')}"
    if getattr(m, "unit", ""):
        label += f" ({m.unit})"
    if title is None:
        head = (getattr(model, "title", None) or getattr(model, "name", None)
                or (mm.provenance or {}).get("model", ""))
        title = f"{head}\n{m.name}" if head else m.name
    prov = getattr(mm, "provenance", None)
    return plot_heatmap(mm.value, mm.x, mm.y, path, label=_wrap(label), threshold=mm.threshold,
                        x_label=parameter_label(model, mm.x_name), y_label=parameter_label(model, mm.y_name),
                        title=title, metadata={"provenance": prov} if prov else None, **kwargs)


def _short(label: str) -> str:
    return label.split(":")[0].split("\n")[0]


def _wrap(text: str, width: int = 45) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width)) or text


def _outline():
    import matplotlib.patheffects as pe
    return [pe.Stroke(linewidth=3.2, foreground="black"), pe.Normal()]


def _metadata(meta, ext):
    import json
    key = {"png": "Description", "svg": "Description", "pdf": "Subject"}.get(ext)
    if not meta or key is None:
        return None
    return {key: json.dumps(meta, default=str, sort_keys=True)}
