"""Figures of Richardson's arms race: the phase portrait and the fitted line against the data."""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from .regions import require_matplotlib, save_figure

__all__ = ["plot_phase_portrait", "plot_linear_fit", "plot_regime_map"]

_REGIME_COLOURS = ("#4daf4a", "#e41a1c", "#377eb8", "#984ea3", "#ff7f00")   # in the order of REGIMES

_COLOURS = ("#2166ac", "#b2182b", "#1b7837", "#762a83")


def plot_linear_fit(fits, path=None, *, ax=None, point_labels=None, names=None, level_label: str = "level",
                    change_label: str = "change per unit time", title: str | None = None, dpi: int = 150):
    r"""The rates of change against the level, with the fitted line(s) and the zero crossing.

    Parameters
    ----------
    fits : LinearResponseFit or sequence of them
        From :func:`deterrence.dynamics.fit_linear_response` (e.g. the mid-year and start-of-year fits).
    path : str or path, optional
        Save the figure there (.png, .pdf, .svg), atomically.
    ax : matplotlib Axes, optional
    point_labels : sequence of str, optional
        A label per change (e.g. ``"1909-10"``), written beside the points.
    names : sequence of str, optional
        A legend name per fit (default: the regressor).
    level_label, change_label, title : str
    dpi : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = require_matplotlib()
    fits = [fits] if hasattr(fits, "slope") else list(fits)
    if not fits:
        raise ModelError("fits: nothing to draw")
    own = ax is None
    fig, ax = plt.subplots(figsize=(6.4, 4.6)) if own else (ax.figure, ax)
    lo = min(min(f.levels.min(), f.threshold if np.isfinite(f.threshold) else f.levels.min()) for f in fits)
    hi = max(f.levels.max() for f in fits)
    pad = 0.08 * (hi - lo)
    grid = np.linspace(lo - pad, hi + pad, 200)
    ax.axhline(0, color="0.6", lw=0.8)
    for j, f in enumerate(fits):
        c = _COLOURS[j % len(_COLOURS)]
        name = names[j] if names else f"{f.regressor} level"
        ax.plot(f.levels, f.changes, "o", color=c, ms=6, zorder=3)
        ax.plot(grid, f.predict(grid), "-", color=c, lw=1.5,
                label=f"{name}: slope {f.slope:.3f} (se {f.se_slope:.3f}), zero at {f.threshold:.1f}")
        if np.isfinite(f.threshold):
            ax.plot([f.threshold], [0], marker="x", color=c, ms=9, mew=2, zorder=4)
        if point_labels is not None and j == 0:
            for xv, yv, lab in zip(f.levels, f.changes, point_labels):
                ax.annotate(str(lab), (xv, yv), textcoords="offset points", xytext=(6, -12), ha="left", fontsize=8,
                            color=c)
    ax.set_xlabel(level_label)
    ax.set_ylabel(change_label)
    ax.legend(loc="upper left", fontsize=8, frameon=False)
    if title:
        ax.set_title(title)
    if own:
        fig.tight_layout()
    save_figure(fig, path, dpi)
    return fig


def plot_phase_portrait(model, path=None, *, ax=None, xlim=None, ylim=None, starts=(), t_max: float = 5.0,
                        data=None, data_labels=None, data_name: str = "data", x_label: str = "x (arms of side 1)",
                        y_label: str = "y (arms of side 2)", title: str | None = None, dpi: int = 150):
    r"""Phase portrait of one :class:`~deterrence.dynamics.Richardson` model.

    Draws the direction field, the nullclines :math:`\dot x = 0` and
    :math:`\dot y = 0`, the equilibrium, and for an unstable model the
    separatrix (the equilibrium's stable manifold, which divides the runaway
    race from disarmament); trajectories from *starts* are the exact
    solutions (:meth:`Richardson.solve`) up to *t_max*.

    Parameters
    ----------
    model : Richardson
        A single parameter set (batch shape ``()``).
    path : str or path, optional
        Save the figure there, atomically.
    ax : matplotlib Axes, optional
    xlim, ylim : (float, float), optional
        The window (default: around the equilibrium, the data and the starts).
    starts : sequence of (x0, y0)
    t_max : float
    data : (x, y) arrays, optional
        Observed arms levels, drawn as a connected path.
    data_labels : sequence of str, optional
        Labels of the data points (years).
    data_name : str
        The data's legend entry.
    x_label, y_label, title : str
    dpi : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = require_matplotlib()
    if model.shape != ():
        raise ModelError(f"model: a phase portrait needs one parameter set, got a batch of shape {model.shape}")
    xs, ys = (float(v) for v in model.equilibrium())
    pts = [(x0, y0) for x0, y0 in starts]
    if np.isfinite(xs):
        pts.append((xs, ys))
    if data is not None:
        pts += list(zip(*data))
    if not pts:
        pts = [(0.0, 0.0), (1.0, 1.0)]
    P = np.array(pts, float)
    span = max(np.ptp(P[:, 0]), np.ptp(P[:, 1]), 1.0)
    xlim = xlim or (P[:, 0].min() - 0.5 * span, P[:, 0].max() + 0.5 * span)
    ylim = ylim or (P[:, 1].min() - 0.5 * span, P[:, 1].max() + 0.5 * span)
    own = ax is None
    fig, ax = plt.subplots(figsize=(8.6, 5.4)) if own else (ax.figure, ax)
    gx, gy = np.meshgrid(np.linspace(*xlim, 25), np.linspace(*ylim, 25))
    u, v = model.velocity(gx, gy)
    ax.streamplot(gx, gy, u, v, color="0.78", density=1.0, linewidth=0.7, arrowsize=0.8)
    line_x = np.linspace(*xlim, 200)
    n_x, n_y = model.nullclines(line_x)
    ax.plot(line_x, n_x, color=_COLOURS[0], lw=1.6, label=r"nullcline $\dot x = 0$")
    ax.plot(line_x, n_y, color=_COLOURS[1], lw=1.6, label=r"nullcline $\dot y = 0$")
    if np.isfinite(xs):
        stable = bool(model.stable())
        if not stable:
            w, V = np.linalg.eig(model.matrix)
            vec = V[:, int(np.argmin(w.real))].real
            s = np.linspace(-3 * span, 3 * span, 2)
            ax.plot(xs + s * vec[0], ys + s * vec[1], "k--", lw=1.1,
                    label="separatrix: race above, disarmament below")
        ax.plot([xs], [ys], "o", ms=8, mfc="white" if not stable else "k", mec="k", zorder=5,
                label=f"equilibrium ({'stable' if stable else 'unstable'})")
    ts = np.linspace(0, t_max, 300)
    for j, (x0, y0) in enumerate(starts):
        tx, ty = model.solve(ts, x0, y0)
        ax.plot(tx, ty, color=_COLOURS[2], lw=1.3, label="trajectories" if j == 0 else None)
        ax.plot([x0], [y0], "o", color=_COLOURS[2], ms=3)
    if data is not None:
        dx, dy = (np.asarray(d, float) for d in data)
        ax.plot(dx, dy, "-s", color=_COLOURS[3], ms=5, lw=1.3, label=data_name, zorder=6)
        for xv, yv, lab in zip(dx, dy, data_labels or ()):
            ax.annotate(str(lab), (xv, yv), textcoords="offset points", xytext=(5, -10), fontsize=8,
                        color=_COLOURS[3])
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel(x_label)
    ax.set_ylabel(y_label)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=8, frameon=False)
    if title:
        ax.set_title(title, fontsize=10)
    if own:
        fig.tight_layout()
    save_figure(fig, path, dpi)
    return fig


#: Axis labels of a regime map: each coefficient in Richardson's words (x and y the two sides' arms).
_COEFFICIENT_MEANINGS = {
    "k": "k: defence coefficient, x's reaction to y's arms",
    "l": "l: defence coefficient, y's reaction to x's arms",
    "a": "a: fatigue and expense, x", "b": "b: fatigue and expense, y",
    "g": "g: grievance of x", "h": "h: grievance of y",
}


def plot_regime_map(x, y, path=None, *, fixed=None, start=(0.0, 0.0), ax=None, title: str | None = None,
                    dpi: int = 150):
    r"""The regimes of :class:`~deterrence.dynamics.Richardson` over two of its coefficients.

    Each grid cell is coloured by :meth:`Richardson.regime` from *start*; the
    black line is the stability boundary :math:`kl = ab` (where it crosses
    the window).

    Parameters
    ----------
    x, y : (name, values)
        Two distinct coefficients among ``k, l, a, b, g, h`` and their grid values.
    path : str or path, optional
        Save the figure there, atomically.
    fixed : dict
        The other four coefficients.
    start : (x0, y0)
        The initial arms levels (they matter only where :math:`kl \ge ab`).
    ax : matplotlib Axes, optional
    title : str, optional
    dpi : int

    Returns
    -------
    matplotlib.figure.Figure
    """
    from ..dynamics import REGIMES, Richardson
    names = ("k", "l", "a", "b", "g", "h")
    (xn, xv), (yn, yv) = x, y
    for n in (xn, yn):
        if n not in names:
            raise ModelError(f"{n!r}: not a coefficient of the Richardson model; expected one of {list(names)}")
    if xn == yn:
        raise ModelError(f"x and y: the same coefficient {xn!r} on both axes")
    fixed = dict(fixed or {})
    for n in fixed:
        if n not in names or n in (xn, yn):
            raise ModelError(f"fixed: {n!r} is not one of the other coefficients "
                             f"{[m for m in names if m not in (xn, yn)]}")
    missing = [n for n in names if n not in (xn, yn) and n not in fixed]
    if missing:
        raise ModelError(f"fixed: give the other coefficients too ({', '.join(missing)})")
    xv, yv = np.asarray(xv, float), np.asarray(yv, float)
    if xv.ndim != 1 or yv.ndim != 1 or xv.size < 2 or yv.size < 2:
        raise ModelError("x and y: each needs a one-dimensional grid of at least two values")
    X, Y = np.meshgrid(xv, yv)
    m = Richardson(**{xn: X, yn: Y}, **fixed)
    codes = m.regime_codes(*start)
    plt = require_matplotlib()
    from matplotlib.colors import BoundaryNorm, ListedColormap
    from matplotlib.patches import Patch
    from .grid import cell_edges
    own = ax is None
    fig, ax = plt.subplots(figsize=(7.4, 5.0)) if own else (ax.figure, ax)
    cmap = ListedColormap(_REGIME_COLOURS)
    ax.pcolormesh(cell_edges(xv), cell_edges(yv), codes, cmap=cmap,
                  norm=BoundaryNorm(np.arange(-0.5, len(REGIMES)), cmap.N), shading="flat")
    d = m.determinant
    handles = [Patch(color=_REGIME_COLOURS[j], label=REGIMES[j]) for j in range(len(REGIMES)) if (codes == j).any()]
    if d.min() < 0 < d.max():
        ax.contour(X, Y, d, levels=[0.0], colors="k", linewidths=1.4)
        from matplotlib.lines import Line2D
        handles.append(Line2D([], [], color="k", lw=1.4, label="k*l = a*b (stability boundary)"))
    ax.set_xlabel(_COEFFICIENT_MEANINGS[xn])
    ax.set_ylabel(_COEFFICIENT_MEANINGS[yn])
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), frameon=False, fontsize=8)
    fx = ", ".join(f"{n} = {fixed[n]:g}" for n in names if n in fixed)
    ax.set_title(title or f"Richardson regimes from start {tuple(start)}; {fx}", fontsize=10)
    if own:
        fig.tight_layout()
    save_figure(fig, path, dpi)
    return fig
