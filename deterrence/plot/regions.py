"""Region maps as figures: which equilibrium outcome holds where over two parameters."""

from __future__ import annotations

import os

import numpy as np

from ..errors import ModelError
from .grid import cell_edges, true_runs

__all__ = ["plot_regions", "require_matplotlib", "save_figure"]


def require_matplotlib():
    """Import matplotlib (headless backend when no display) or raise a clear :class:`ModelError`."""
    try:
        import matplotlib
    except ImportError:
        raise ModelError("plotting needs matplotlib, which is not installed: pip install 'deterrence[plot]'") from None
    if "matplotlib.pyplot" not in __import__("sys").modules and not os.environ.get("DISPLAY"):
        matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def save_figure(fig, path, dpi) -> None:
    """Write *fig* to *path* atomically as .png, .pdf or .svg (by the extension); nothing if *path* is None."""
    if path is None:
        return
    ext = os.path.splitext(str(path))[1].lower().lstrip(".")
    if ext not in ("png", "pdf", "svg"):
        raise ModelError(f"{path!r}: the figure is written as .png, .pdf or .svg")
    from ..analysis.atomic import atomic_path
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=ext)


def plot_regions(region_map, path=None, *, ax=None, title: str | None = None, cmap: str = "tab10", dpi: int = 150):
    """Draw a :class:`~deterrence.analysis.regions.RegionMap` (one colour per outcome, with a legend).

    The legend sits outside the axes, to the right, so that it never covers
    the map.  Axes are labelled with the parameters' meanings and units
    (:attr:`RegionMap.x_label`, falling back on the names); the default title
    is the model's title.  An outcome that holds at one parameter value only
    (:attr:`RegionMap.single_values`, e.g. at ``p_B = 0``) is drawn as a line
    at that value, not as a band as wide as the grid's step; cells are
    centred on the grid points and clipped to the swept range.

    Parameters
    ----------
    region_map : RegionMap
    path : str or path, optional
        Save the figure there (format from the extension: .png, .pdf, .svg),
        atomically (a temporary file in the same directory, then renamed).
    ax : matplotlib Axes, optional
        Draw into these axes instead of a new figure.
    title : str, optional
        Default: the model's title, and the solution concept on a second line.
    cmap : str
        A qualitative matplotlib colour map.
    dpi : int
        Resolution of a saved raster figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = require_matplotlib()
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from ..analysis.outcome_labels import shorten_outcomes

    rm = region_map
    k = len(rm.labels)
    base = plt.get_cmap(cmap)
    colors = [base(j % base.N) for j in range(k)]
    own = ax is None
    if own:
        fig, ax = plt.subplots(figsize=(6.4, 4.8))
    else:
        fig = ax.figure
    x, y = np.asarray(rm.x, float), np.asarray(rm.y, float)
    index = np.array(rm.index, copy=True)
    single = {sv.label: sv for sv in getattr(rm, "single_values", ())}
    # a single-value line's cells take the colour of the region beside them; the line is drawn on top
    for sv in single.values():
        j = rm.labels.index(sv.label)
        if sv.axis == "x":
            nb = sv.index + 1 if sv.index + 1 < len(x) else sv.index - 1
            sel = index[:, sv.index] == j
            index[sel, sv.index] = index[sel, nb]
        else:
            nb = sv.index + 1 if sv.index + 1 < len(y) else sv.index - 1
            sel = index[sv.index, :] == j
            index[sv.index, sel] = index[nb, sel]
    xe, ye = cell_edges(x), cell_edges(y)
    ax.pcolormesh(xe, ye, index, cmap=ListedColormap(colors), norm=BoundaryNorm(np.arange(k + 1) - 0.5, k),
                  shading="flat")
    for sv in single.values():
        j = rm.labels.index(sv.label)
        along = rm.index[:, sv.index] == j if sv.axis == "x" else rm.index[sv.index, :] == j
        cells = ye if sv.axis == "x" else xe
        for lo, hi in true_runs(along):
            ends = [cells[lo], cells[hi + 1]]
            xs, ys = ([sv.value] * 2, ends) if sv.axis == "x" else (ends, [sv.value] * 2)
            ax.plot(xs, ys, color=colors[j], lw=4, solid_capstyle="butt", clip_on=False, zorder=3)
    ax.set_xlim(xe[0], xe[-1])
    ax.set_ylim(ye[0], ye[-1])
    ax.set_xlabel(getattr(rm, "x_label", "") or rm.x_name)
    ax.set_ylabel(getattr(rm, "y_label", "") or rm.y_name)
    if title is None:
        title = getattr(rm, "title", "") or rm.model_name
        if rm.concept:
            title += f"\nequilibrium outcome ({rm.concept})"
    ax.set_title(title, fontsize="medium")
    handles = []
    shown = shorten_outcomes(rm.labels)          # long outcome lists shortened for the legend (display only)
    for j, lab in enumerate(rm.labels):
        if lab in single:
            sv = single[lab]
            name = rm.x_name if sv.axis == "x" else rm.y_name
            handles.append(Line2D([], [], color=colors[j], lw=4,
                                  label=f"{shown[lab]}\n(only at {name} = {sv.value:g})"))
        else:
            handles.append(Patch(facecolor=colors[j], label=shown[lab]))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), borderaxespad=0.0,
              fontsize="small", frameon=False)
    if path is not None:
        from ..analysis.atomic import atomic_path
        ext = os.path.splitext(os.fspath(path))[1].lower().lstrip(".") or "png"
        with atomic_path(path) as tmp:
            fig.savefig(tmp, dpi=dpi, bbox_inches="tight", format=ext, metadata=_file_metadata(rm, ext))
    if own:
        plt.close(fig)
    return fig


def _file_metadata(region_map, ext):
    """The map's provenance (``table.meta["provenance"]``) as the figure file's metadata (PNG and SVG
    ``Description``, PDF ``Subject``); None when there is none or the format has no such field."""
    import json
    meta = getattr(getattr(region_map, "table", None), "meta", None) or {}
    prov = meta.get("provenance")
    key = {"png": "Description", "svg": "Description", "pdf": "Subject"}.get(ext)
    if not prov or key is None:
        return None
    return {key: json.dumps(prov, default=str, sort_keys=True)}
