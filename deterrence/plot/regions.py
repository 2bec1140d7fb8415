"""Region maps as figures: which equilibrium outcome holds where over two parameters."""

from __future__ import annotations

import os

import numpy as np

from ..errors import ModelError

__all__ = ["plot_regions", "require_matplotlib"]


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


def plot_regions(region_map, path=None, *, ax=None, title: str | None = None, cmap: str = "tab10", dpi: int = 150):
    """Draw a :class:`~deterrence.analysis.regions.RegionMap` (one colour per outcome, with a legend).

    Parameters
    ----------
    region_map : RegionMap
    path : str or path, optional
        Save the figure there (format from the extension: .png, .pdf, .svg),
        atomically (a temporary file in the same directory, then renamed).
    ax : matplotlib Axes, optional
        Draw into these axes instead of a new figure.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = require_matplotlib()
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch

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

    def edges(v):
        if len(v) == 1:
            return np.array([v[0] - 0.5, v[0] + 0.5])
        mid = (v[1:] + v[:-1]) / 2
        return np.concatenate([[v[0] - (mid[0] - v[0])], mid, [v[-1] + (v[-1] - mid[-1])]])

    ax.pcolormesh(edges(x), edges(y), rm.index, cmap=ListedColormap(colors),
                  norm=BoundaryNorm(np.arange(k + 1) - 0.5, k), shading="flat")
    ax.set_xlabel(rm.x_name)
    ax.set_ylabel(rm.y_name)
    ax.set_title(title or f"{rm.model_name}: {rm.concept} outcome")
    ax.legend(handles=[Patch(facecolor=colors[j], label=lab) for j, lab in enumerate(rm.labels)],
              loc="best", fontsize="small", framealpha=0.85)
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
