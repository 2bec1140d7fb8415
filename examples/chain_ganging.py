"""Chain-ganging and buck-passing over offence dominance (Christensen and Snyder 1990).

Model
-----
``models/chain_ganging.toml``: an aggressor attacks a front-line state that two
allies each value at b.  Each ally commits its forces at once (``early``, cost c)
or holds back (``wait``).  The front-line state falls with probability theta
(perceived offence dominance) if neither commits, theta*(1 - lam) if one does,
and 0 if both do.  Committing pays against a waiting ally iff theta > c/(b lam)
and against a committing ally iff theta > c/(b (1 - lam)).  This script solves
the game with the engine (all equilibria, pure and mixed) at a row of values of
theta and classifies the regime from the pure equilibria it finds; the figure
is the engine's batched solve over a grid of theta and lam (one call), checked
cell by cell against the closed-form thresholds.

Expected result
---------------
T. J. Christensen and J. Snyder, "Chain gangs and passed bucks: predicting
alliance patterns in multipolarity", *International Organization* 44(2), 1990,
137-168: perceived offence dominance produces chain-ganging (1914), perceived
defence dominance buck-passing (the 1930s).  In the game: buck-passing (both
wait) is the only equilibrium for theta < min(c/(b lam), c/(b(1-lam))),
chain-ganging (both early) the only one for theta > max of the two; between
them the game is Chicken (lam > 1/2: one ally carries the burden) or a Stag
Hunt (lam < 1/2: both pure regimes are equilibria).  With b = 1, c = 0.2 the
thresholds are 1/3 and 1/2 for lam = 0.6 (Chicken between them), and 2/3 and
2/7 for lam = 0.3 (Stag Hunt between them).
The script asserts the regime at every row against these closed forms.

Run: ``python examples/chain_ganging.py [--plot chain_ganging.png]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import deterrence as d
from deterrence.errors import ModelError
from deterrence.plot.regions import require_matplotlib
from deterrence.solve import enumerate_equilibria


def pure_profiles(game) -> set[tuple[str, str]]:
    """Pure equilibria found by the engine, as action labels."""
    out = set()
    for e in enumerate_equilibria(game, exact=False):
        if all(max(s) > 1 - 1e-9 for s in e.strategies):
            out.add(tuple(("early", "wait")[int(np.argmax(s))] for s in e.strategies))
    return out


def regime(pure: set) -> str:
    if pure == {("early", "early")}:
        return "chain-ganging"
    if pure == {("wait", "wait")}:
        return "buck-passing"
    if pure == {("early", "wait"), ("wait", "early")}:
        return "Chicken (one ally carries the burden)"
    if pure == {("early", "early"), ("wait", "wait")}:
        return "Stag Hunt (coordinate)"
    return f"other {sorted(pure)}"


def expected_regime(theta, lam, b, c) -> str:
    """The regime from the closed-form thresholds c/(b lam) and c/(b(1-lam))."""
    vs_wait = theta > c / (b * lam)            # committing pays against an ally that waits
    vs_early = theta > c / (b * (1 - lam))     # committing pays against an ally that commits
    if vs_wait and vs_early:
        return "chain-ganging"
    if not vs_wait and not vs_early:
        return "buck-passing"
    return "Chicken (one ally carries the burden)" if vs_wait else "Stag Hunt (coordinate)"


def plot_regimes(model, n: int, b: float, c: float):
    """The regime map over theta and lam: the engine's batched solve, checked against the closed form.

    Returns the matplotlib figure (the legend sits below the axes, never over the map)."""
    import matplotlib.pyplot as plt

    from deterrence.analysis.regions import region_map

    th = np.linspace(0.005, 0.995, n)
    lm = np.linspace(0.05, 0.95, n)
    names = ["buck-passing", "Stag Hunt (coordinate)", "Chicken (one ally carries the burden)",
             "chain-ganging"]
    # the engine's batched solve over the whole grid (every Nash equilibrium at every point, one call),
    # each cell's regime read from the pure equilibria it lists
    rm = region_map(model, ("theta", th), ("lam", lm), fixed={"b": b, "c": c}, probe=False)
    found = [regime({tuple(p.strip("() ").split(", ")) for p in label.split(" | ") if p.startswith("(")})
             for label in rm.labels]
    grid = np.full(rm.index.shape, np.nan)
    for i in range(len(lm)):
        for j in range(len(th)):
            got = found[rm.index[i, j]]
            on_line = min(abs(th[j] - c / (b * lm[i])), abs(th[j] - c / (b * (1 - lm[i])))) < 1e-9
            if got in names:
                grid[i, j] = names.index(got)
            # off the two threshold lines the engine and the closed form must agree
            assert on_line or got == expected_regime(th[j], lm[i], b, c), (th[j], lm[i], got)
    fig, ax = plt.subplots(figsize=(7, 5.2))
    im = ax.pcolormesh(th, lm, np.ma.masked_invalid(grid), shading="auto", cmap="viridis", vmin=0, vmax=3)
    ax.plot(c / (b * lm), lm, "w-", lw=1, label="theta = c/(b lam): committing pays against a waiting ally")
    ax.plot(c / (b * (1 - lm)), lm, "w--", lw=1,
            label="theta = c/(b(1-lam)): committing pays against a committing ally")
    ax.set_xlim(0, 1)
    ax.set_xlabel("perceived offence dominance theta")
    ax.set_ylabel("share of the danger one ally averts, lam")
    ax.set_title(f"Chain-ganging and buck-passing (b = {b}, c = {c})\n"
                 "equilibrium regime by the engine, one batched solve")
    cb = fig.colorbar(im, ax=ax, ticks=[0, 1, 2, 3])
    cb.ax.set_yticklabels(["buck-passing", "Stag Hunt", "Chicken", "chain-ganging"])
    # below the axes, on a dark swatch so the white threshold lines show: never over the map
    leg = ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), fontsize=8, facecolor="0.35",
                    framealpha=1.0, labelcolor="white")
    leg.get_frame().set_edgecolor("0.35")
    fig.tight_layout()
    return fig


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save a figure of the regimes over theta and lam")
    ap.add_argument("--resolution", type=int, default=81, help="grid points per axis for the figure (default 81)")
    args = ap.parse_args(argv)
    model = d.load_model("chain_ganging")
    b, c = 1.0, 0.2
    thetas = [0.1, 0.25, 0.3, 0.4, 0.45, 0.6, 0.9]
    for lam in (0.6, 0.3):
        t_wait, t_early = c / (b * lam), c / (b * (1 - lam))
        print(f"{model.title}: b = {b}, c = {c}, lam = {lam}; thresholds c/(b lam) = {t_wait:.4f}, "
              f"c/(b(1-lam)) = {t_early:.4f}")
        print(f"{'theta':>6}  {'regime (engine)':<40} {'pure equilibria'}")
        for theta in thetas:
            pure = pure_profiles(model.at(theta=theta, lam=lam, b=b, c=c))
            got, want = regime(pure), expected_regime(theta, lam, b, c)
            print(f"{theta:6.2f}  {got:<40} {', '.join('/'.join(p) for p in sorted(pure))}")
            assert got == want, f"theta={theta}, lam={lam}: engine gives {got}, the thresholds give {want}"
        print()

    if args.plot:
        try:
            require_matplotlib()
        except ModelError:
            print("no figure: matplotlib is not installed (pip install 'deterrence[plot]')")
        else:
            plot_regimes(model, max(args.resolution, 5), b, c).savefig(args.plot, dpi=150)
            print(f"figure: {args.plot}")
    print("OK: offence dominance above both thresholds produces chain-ganging, below both buck-passing "
          "(Christensen and Snyder 1990)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
