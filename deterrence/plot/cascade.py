"""The cascade of a war through an alliance network as a figure: who enters, when, through what."""

from __future__ import annotations

import textwrap

from .regions import require_matplotlib

__all__ = ["plot_cascade"]

_SIDE_COLOURS = ("#b2182b", "#2166ac")       # attacker's side, target's side
_NEUTRAL = "#9e9e9e"
_ARROW = "#555555"
_NODE_AREA = 900                              # scatter marker area (points^2)


def _wrap(text: str) -> str:
    return "\n".join(textwrap.wrap(text, 20))


def _boxes(fig, ax):
    """Every text and node of the axes as a box in data coordinates (x0, y0, x1, y1)."""
    import numpy as np
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    inv = ax.transData.inverted()
    out = []
    for t in ax.texts:
        bb = t.get_window_extent(renderer)
        if t.get_bbox_patch() is not None:
            bb = t.get_bbox_patch().get_window_extent(renderer)
        (a, b), (c, d) = inv.transform([[bb.x0, bb.y0], [bb.x1, bb.y1]])
        out.append((a, b, c, d))
    rx, ry = _node_radius(fig, ax)
    for coll in ax.collections:
        for x, y in np.asarray(coll.get_offsets()):
            out.append((x - rx, y - ry, x + rx, y + ry))
    return out


def _node_radius(fig, ax):
    """A node's radius (marker and its white edge) in data units along x and y."""
    r_px = ((_NODE_AREA ** 0.5) / 2 + 1.5) * fig.dpi / 72
    (x0, y0), (x1, y1) = ax.transData.transform([[0, 0], [1, 1]])
    return r_px / abs(x1 - x0), r_px / abs(y1 - y0)


def _lane_path(x0, y0, x1, y1, lane, rx):
    """The arrow from the source node's edge along the lane to the target node's edge (a Path in data units)."""
    from matplotlib.path import Path
    d = 1 if x1 > x0 else -1
    a, b = x0 + d * rx, x1 - d * rx
    verts = [(a, y0), (x0 + d * 0.42, y0), (x0 + d * 0.3, lane), (x0 + d * 0.62, lane),
             (x1 - d * 0.62, lane),
             (x1 - d * 0.3, lane), (x1 - d * 0.42, y1), (b, y1)]
    codes = [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4, Path.LINETO, Path.CURVE4, Path.CURVE4,
             Path.CURVE4]
    return Path(verts, codes)


def _hits(path, boxes, margin):
    import numpy as np
    pts = np.asarray(path.interpolated(60).vertices)
    n = 0
    for a, b, c, d in boxes:
        inside = (pts[:, 0] > a - margin) & (pts[:, 0] < c + margin) & (pts[:, 1] > b - margin) & (pts[:, 1] < d + margin)
        n += int(inside.sum())
    return n


def _route_long_arrows(fig, ax, arrows, pos, FancyArrowPatch):
    """Draw each arrow that spans several columns along the horizontal lane that crosses the fewest texts and
    nodes (then the shortest detour), with its label on the lane where it overlaps nothing."""
    import numpy as np
    fig.tight_layout()
    boxes = _boxes(fig, ax)
    rx, ry = _node_radius(fig, ax)
    lo, hi = ax.get_ylim()
    for src, dst, lab in arrows:
        (x0, y0), (x1, y1) = pos[src], pos[dst]
        # the source's and the target's own nodes are where the arrow starts and ends
        own = [bx for bx in boxes if not (abs((bx[0] + bx[2]) / 2 - x0) < 1e-9 and abs((bx[1] + bx[3]) / 2 - y0) < 1e-9)
               and not (abs((bx[0] + bx[2]) / 2 - x1) < 1e-9 and abs((bx[1] + bx[3]) / 2 - y1) < 1e-9)]
        best = None
        # lanes within the axes as they are: moving the limits would rescale every box measured above
        for lane in np.arange(lo + 0.12, hi - 0.12, 0.02):
            path = _lane_path(x0, y0, x1, y1, lane, rx)
            score = (_hits(path, own, 0.08), abs(lane - y0) + abs(lane - y1))
            if best is None or score < best[0]:
                best = (score, lane, path)
        _, lane, path = best
        ax.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=12, lw=1.1, color=_ARROW,
                                     zorder=1))
        d = 1 if x1 > x0 else -1
        placed = None
        for k in range(1, int(abs(x1 - x0))):
            for lx in (x0 + d * (k + 0.5) - d * 0.5, x0 + d * (k + 0.5)):
                for va, dy in (("bottom", 0.04), ("top", -0.04)):
                    t = ax.text(lx, lane + dy, _wrap(lab), fontsize=7, ha="center", va=va, color="#333333",
                                zorder=3, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
                    fig.canvas.draw()
                    bb = t.get_bbox_patch().get_window_extent(fig.canvas.get_renderer())
                    (a, b), (c, e) = ax.transData.inverted().transform([[bb.x0, bb.y0], [bb.x1, bb.y1]])
                    # clear of every text and node, and inside the axes (not over the title or the round axis)
                    clear = (lo <= b and e <= hi
                             and not any(a < q[2] and q[0] < c and b < q[3] and q[1] < e for q in boxes))
                    if clear or placed is None:
                        if placed is not None:
                            placed[0].remove()
                        placed = (t, (a, b, c, e), clear)
                    else:
                        t.remove()
                    if clear:
                        break
                if placed and placed[2]:
                    break
            if placed and placed[2]:
                break
        boxes.append(placed[1])
        # the lane itself is taken: a later arrow does not run along it
        boxes.append((min(x0, x1) + 0.62, lane - 0.01, max(x0, x1) - 0.62, lane + 0.01))


def _label(reason: str) -> str:
    """A short arrow label from an entry reason ("Dual Alliance (1879), Art. 1: defends ..." -> name, art.)."""
    head = reason.split(":")[0]
    if head.startswith("attacked by"):
        return "attacked"
    return head


def plot_cascade(result, network, path=None, *, dates=None, side_names=("attacker's side", "target's side"),
                 title: str | None = None, dpi: int = 150):
    """Draw a :class:`~deterrence.networks.CascadeResult`: one column per round, arrows from cause to entrant.

    Parameters
    ----------
    result : CascadeResult
    network : AllianceNetwork
        The network the cascade ran on (for the states that stay out).
    path : str or path, optional
        Save the figure there (format from the extension).
    dates : mapping, optional
        State -> documented date of entry, printed under the state's name.
    side_names : (str, str)
        Names of the two sides for the legend.
    title : str, optional
        Default: the network's title and the initial attack.

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = require_matplotlib()
    from matplotlib.lines import Line2D
    from matplotlib.patches import FancyArrowPatch

    dates = dict(dates or {})
    entries = list(result.entries)
    later = [e for e in entries if e.phase > 1]
    august = [e for e in entries if e.phase == 1]
    n_rounds = max((e.round for e in august), default=0) + 1
    col = {}
    for e in august:
        col[e.state] = e.round
    for e in later:
        col[e.state] = n_rounds
    out_states = list(result.neutral(network.state_names)) + list(result.occupied)
    out_col = n_rounds + (1 if later else 0)
    for s in out_states:
        col[s] = out_col
    ncols = out_col + (1 if out_states else 0)

    rows: dict[int, list[str]] = {}
    order = [e.state for e in entries] + out_states
    for s in order:
        rows.setdefault(col[s], []).append(s)
    height = max(len(v) for v in rows.values())
    pos = {}
    for c, states in rows.items():
        for i, s in enumerate(states):
            pos[s] = (c, height - 1 - i * (height - 1) / max(len(states) - 1, 1) if len(states) > 1 else
                      (height - 1) / 2)

    fig, ax = plt.subplots(figsize=(2.3 * ncols + 1.5, 1.9 * height + 2.4))
    side_of = {e.state: e.side for e in entries}
    # nodes and their labels
    for s, (x, y) in pos.items():
        colour = _SIDE_COLOURS[side_of[s]] if s in side_of else _NEUTRAL
        ax.scatter([x], [y], s=_NODE_AREA, color=colour, zorder=2, edgecolors="white", linewidths=1.5)
        label = s if s not in result.occupied else f"{s}\n(occupied)"
        if s in dates:
            label += f"\n{dates[s]}"
        ax.text(x, y - 0.34, label, ha="center", va="top", fontsize=8, zorder=4)
    ticks = [f"round {c}" for c in range(n_rounds)]
    if later:
        ticks.append("later")
    if out_states:
        ticks.append("stay out")
    ax.set_xticks(range(ncols))
    ax.set_xticklabels(ticks)
    ax.set_xlim(-0.6, ncols - 0.4)
    ax.set_ylim(-1.1, height - 0.3)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("cascade round (entries in a round are caused by the previous rounds"
                  + ("; dates: history)" if dates else ")"))
    handles = [Line2D([], [], marker="o", ls="", ms=10, color=_SIDE_COLOURS[0], label=side_names[0]),
               Line2D([], [], marker="o", ls="", ms=10, color=_SIDE_COLOURS[1], label=side_names[1]),
               Line2D([], [], marker="o", ls="", ms=10, color=_NEUTRAL, label="neutral or occupied")]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
    a, t = result.attack
    ax.set_title(title or f"{network.title or network.name}: the cascade from {a}'s attack on {t}")

    # arrows from cause to entrant
    arrows = []
    for e in entries:
        if e.round == 0 and e.phase == 1:
            # the initial attack: one arrow from the attacker to its target
            causes = [(result.attack[0], "initial attack")] if e.state == result.attack[1] else []
        else:
            causes = []
            for reason in e.reasons:
                if reason.startswith("attacked by "):
                    causes.append((reason[len("attacked by "):], "attacked"))
                elif ": " in reason:
                    protected = reason.rsplit(" ", 1)[-1]
                    for s in network.state_names:          # the protected state ends the reason
                        if reason.endswith(" " + s):
                            protected = s
                    causes.append((protected, _label(reason)))
        arrows += [(src, e.state, lab) for src, lab in causes if src in pos and src != e.state]
    # arrows between neighbouring columns (or within one) run straight across the gap between the columns
    for src, dst, lab in arrows:
        (x0, y0), (x1, y1) = pos[src], pos[dst]
        if abs(x1 - x0) > 1:
            continue
        lx, ly, ha = (x0 + x1) / 2, (y0 + y1) / 2 + 0.08, "center"
        if x0 != x1:
            ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=12, lw=1.1,
                                         color=_ARROW, shrinkA=26, shrinkB=26, connectionstyle="arc3,rad=0.12",
                                         zorder=1))
        else:
            # within a column: out of the node's left side and round, clear of the labels under the nodes
            from matplotlib.path import Path
            rx = _node_radius(fig, ax)[0]
            bulge = 0.55
            ax.add_patch(FancyArrowPatch(path=Path([(x0 - rx, y0), (x0 - bulge, y0), (x0 - bulge, y1), (x1 - rx, y1)],
                                                   [Path.MOVETO, Path.CURVE4, Path.CURVE4, Path.CURVE4]),
                                         arrowstyle="-|>", mutation_scale=12, lw=1.1, color=_ARROW, zorder=1))
            lx, ly, ha = x0 - 0.75 * bulge - 0.03, (y0 + y1) / 2, "right"
            ax.set_xlim(min(ax.get_xlim()[0], x0 - 1.0), ax.get_xlim()[1])
        ax.text(lx, ly, _wrap(lab), fontsize=7, ha=ha, va="bottom" if x0 != x1 else "center", color="#333333",
                zorder=3, bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    # an arrow across columns would cross the nodes and labels between them: it runs along a free horizontal lane
    longer = sorted((a for a in arrows if abs(pos[a[1]][0] - pos[a[0]][0]) > 1),
                    key=lambda a: abs(pos[a[1]][0] - pos[a[0]][0]))
    if longer:
        _route_long_arrows(fig, ax, longer, pos, FancyArrowPatch)
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=dpi)
    return fig
