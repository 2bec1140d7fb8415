"""The cascade of a war through an alliance network as a figure: who enters, when, through what."""

from __future__ import annotations

import textwrap

from .regions import require_matplotlib

__all__ = ["plot_cascade"]

_SIDE_COLOURS = ("#b2182b", "#2166ac")       # attacker's side, target's side
_NEUTRAL = "#9e9e9e"


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
    first = {e.state: e for e in entries}
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
        for src, lab in causes:
            if src not in pos or src == e.state:
                continue
            (x0, y0), (x1, y1) = pos[src], pos[e.state]
            arrow = FancyArrowPatch((x0, y0), (x1, y1), arrowstyle="-|>", mutation_scale=12, lw=1.1,
                                    color="#555555", shrinkA=26, shrinkB=26,
                                    connectionstyle="arc3,rad=0.12" if x0 != x1 else "arc3,rad=0.5", zorder=1)
            ax.add_patch(arrow)
            # halfway between the entrant's column and the one before it: clear of every node
            f = 0.5 if x0 == x1 else 1 - 0.5 / abs(x1 - x0)
            lx, ly = x0 + f * (x1 - x0), y0 + f * (y1 - y0)
            ha = "center"
            if x0 == x1:
                lx, ha = lx - 0.22, "right"
            ax.text(lx, ly + 0.08, "\n".join(textwrap.wrap(lab, 20)), fontsize=7,
                    ha=ha, va="bottom", color="#333333", zorder=3,
                    bbox=dict(boxstyle="round,pad=0.15", fc="white", ec="none", alpha=0.85))
    for s, (x, y) in pos.items():
        colour = _SIDE_COLOURS[side_of[s]] if s in side_of else _NEUTRAL
        ax.scatter([x], [y], s=900, color=colour, zorder=2, edgecolors="white", linewidths=1.5)
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
    fig.tight_layout()
    if path is not None:
        fig.savefig(path, dpi=dpi)
    return fig
