"""Strategic guarantors: the more there are, the likelier that none of them comes (Diekmann 1985).

Each of N guarantors of a protected state decides at once whether to intervene; each gains b if someone does
and pays c (0 < c < b) if it does itself: the volunteer's dilemma (A. Diekmann, "Volunteer's dilemma",
Journal of Conflict Resolution 29(4), 1985, 605-610).  The model family ``guarantors_dilemma:n=N`` is solved
by the engine's symmetric-equilibrium route (``deterrence sweep guarantors_dilemma:n=N --concept symmetric``;
the default from N = 5 on), which finds every symmetric equilibrium from the polynomial indifference
condition and certifies it by its regret; beyond the strategic form (2^N profiles, N <= 12) the same solver
runs on the reduced payoff table up to N = 50.  The table compares both with Diekmann's closed form:
each guarantor intervenes with probability 1 - (c/b)^(1/(N-1)) and no one does with probability
(c/b)^(N/(N-1)), which rises with N toward c/b.

Expected result (Diekmann 1985's closed form, which the script checks): at c/b = 0.3 each guarantor
intervenes with probability 0.70 for N = 2, 0.45 for N = 3 and 0.10 for N = 12, and the probability that no
one intervenes rises from 0.09 (N = 2) to 0.27 (N = 12) and 0.29 (N = 50), toward c/b = 0.3.

The figure's left panel is a region map of the risk of abandonment over N = 2..12 and c/b in (0, 1),
every cell solved by the family sweep through the engine (concept ``symmetric``; 11 x 33 points, about a
second), with the contours of Diekmann's closed form drawn over it: each contour falls with N, so at a
given c/b more guarantors mean a higher risk.  The right panel is the risk against N at three ratios.

Run: python examples/guarantors_dilemma.py [--plot FILE]
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import deterrence
from deterrence.analysis import sweep
from deterrence.errors import ModelError
from deterrence.plot.regions import require_matplotlib
from deterrence.solve.symmetric import solve_symmetric_table

RATIOS = (0.1, 0.3, 0.5)                 # c / b, with b = 1
FAMILY_N = (2, 3, 4, 5, 6, 8, 10, 12)    # solved from the family's strategic form (2^N profiles)
TABLE_N = np.arange(2, 51)               # solved from the reduced table
MAP_N = np.arange(2, 13)                 # region map: every N of the family's strategic form...
MAP_RATIOS = np.linspace(0.02, 0.98, 33)  # ...against c/b (b = 1), 11 x 33 points through the family sweep
CONTOURS = (0.1, 0.25, 0.5, 0.75)        # levels of P(no one intervenes) drawn from Diekmann's closed form


def volunteer_table(n, b, c):
    """u[s, k]: a guarantor's payoff for abstaining (s = 0) or intervening (s = 1) when k others intervene."""
    u = np.zeros((2, n))
    u[0, 1:] = b
    u[1, :] = b - c
    return u


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save the figure: P(no one intervenes) over N and c/b, and against N")
    args = ap.parse_args(argv)

    print("Guarantors' volunteer's dilemma, b = 1: the symmetric equilibrium by the engine (family sweep,")
    print("concept 'symmetric') against Diekmann's closed form")
    print(f"{'N':>3}  {'c/b':>4}  {'concept':>9}  {'P(intervene) each':>17}  {'closed form':>11}  "
          f"{'P(no one intervenes)':>20}  {'closed form':>11}")
    family = {}
    models = {n: deterrence.load_model(f"guarantors_dilemma:n={n}") for n in MAP_N}   # built once (2^N profiles)
    for n in FAMILY_N:
        m = models[n]
        t = sweep(m, {"c": np.array(RATIOS)}, concept="symmetric")
        p = np.asarray(t["P(intervene) each"], float)
        none = np.asarray(t["P_no_intervention"], float)
        assert list(t["n_equilibria"]) == [1] * len(RATIOS), "one symmetric equilibrium (Diekmann 1985)"
        for r, pk, nk in zip(RATIOS, p, none):
            cp, cn = 1 - r ** (1 / (n - 1)), r ** (n / (n - 1))
            assert abs(pk - cp) < 1e-9 and abs(nk - cn) < 1e-9, (n, r)
            family[(n, r)] = nk
            if r == 0.3:
                print(f"{n:>3}  {r:>4}  {t.meta['concept']:>9}  {pk:17.6f}  {cp:11.6f}  {nk:20.6f}  {cn:11.6f}")
    from deterrence.solve.concepts import default_concept
    print(f"default concept of guarantors_dilemma:n=4: {default_concept(models[4])}"
          f"; of guarantors_dilemma:n=5: {default_concept(models[5])}")

    print("\nBeyond the strategic form: the reduced table, N up to 50")
    print(f"{'N':>3}  " + "  ".join(f"{'P(no one) c/b=' + str(r):>18}" for r in RATIOS))
    curves = {}
    for r in RATIOS:
        curves[r] = np.array([solve_symmetric_table(volunteer_table(int(n), 1.0, r)).none_probability()[0]
                              for n in TABLE_N])
        closed = r ** (TABLE_N / (TABLE_N - 1))
        assert np.allclose(curves[r], closed, rtol=1e-9), r
        assert np.all(np.diff(curves[r]) > 0), "the risk of abandonment rises with N (Diekmann 1985)"
        assert np.all(curves[r] < r), "and stays below its limit c/b"
    for n in (2, 5, 10, 20, 30, 50):
        i = int(n - 2)
        print(f"{n:>3}  " + "  ".join(f"{curves[r][i]:18.4f}" for r in RATIOS))

    print("\nRegion map: the family sweep (strategic form, concept 'symmetric') on N = 2..12 and "
          f"{len(MAP_RATIOS)} values of c/b in [{MAP_RATIOS[0]:g}, {MAP_RATIOS[-1]:g}], b = 1")
    risk = np.empty((len(MAP_RATIOS), len(MAP_N)))
    for j, n in enumerate(MAP_N):
        t = sweep(models[int(n)], {"c": MAP_RATIOS}, concept="symmetric")
        assert list(t["n_equilibria"]) == [1] * len(MAP_RATIOS), "one symmetric equilibrium (Diekmann 1985)"
        risk[:, j] = np.asarray(t["P_no_intervention"], float)
    closed_map = MAP_RATIOS[:, None] ** (MAP_N[None, :] / (MAP_N[None, :] - 1))
    gap = float(np.max(np.abs(risk - closed_map)))
    assert gap < 1e-9, gap
    assert np.all(np.diff(risk, axis=1) > 0), "at every c/b the risk rises with N (Diekmann 1985)"
    print(f"{risk.size} points; largest gap to Diekmann's closed form (c/b)^(N/(N-1)): {gap:.1e}")
    for lev in CONTOURS:
        # the cost-benefit ratio at which the risk of abandonment reaches lev: c/b = lev^((N-1)/N)
        print(f"  P(no one) = {lev:<4}: c/b = " + ", ".join(f"{lev ** ((n - 1) / n):.3f} (N={n})" for n in (2, 5, 12)))

    if args.plot:
        try:
            plt = require_matplotlib()
        except ModelError:
            print("no figure: matplotlib is not installed (pip install 'deterrence[plot]')")
        else:
            fig, (axm, ax) = plt.subplots(1, 2, figsize=(12.5, 5.2), gridspec_kw={"width_ratios": [1.15, 1]})
            # left: region map of the engine's risk of abandonment, with the closed form's contours over it
            edges_n = np.append(MAP_N - 0.5, MAP_N[-1] + 0.5)
            step = MAP_RATIOS[1] - MAP_RATIOS[0]
            edges_r = np.append(MAP_RATIOS - step / 2, MAP_RATIOS[-1] + step / 2)
            mesh = axm.pcolormesh(edges_n, edges_r, risk, cmap="viridis", vmin=0, vmax=1, shading="flat")
            fig.colorbar(mesh, ax=axm, label="P(no guarantor intervenes), symmetric equilibrium")
            nn = np.linspace(2, 12, 200)
            for lev in CONTOURS:
                axm.plot(nn, lev ** ((nn - 1) / nn), color="white", lw=1.3, ls="--")
                axm.text(12.45, lev ** (11 / 12), f"{lev:g}", color="white", fontsize=8, va="center", ha="right",
                         bbox={"facecolor": "black", "alpha": 0.45, "pad": 1, "lw": 0})
            axm.plot([], [], color="0.35", ls="--", label="Diekmann's closed form: contours (c/b)^(N/(N-1)) = level "
                     "(white, labelled by level)")
            axm.set_xlabel("number of guarantors N")
            axm.set_ylabel("cost-benefit ratio c/b of intervening")
            axm.set_title("Risk of abandonment: engine sweep, closed-form contours", fontsize=10)
            axm.set_xticks(MAP_N)
            axm.set_xlim(edges_n[0], edges_n[-1])
            axm.set_ylim(edges_r[0], edges_r[-1])
            axm.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8, frameon=False)
            # right: the risk against N at three ratios, strategic form and reduced table
            colours = ("tab:blue", "tab:orange", "tab:green")
            for r, col in zip(RATIOS, colours):
                ax.plot(TABLE_N, curves[r], color=col, lw=1.8, label=f"c/b = {r}: symmetric equilibrium (reduced table)")
                ax.axhline(r, color=col, ls=":", lw=1)
                ax.plot(FAMILY_N, [family[(n, r)] for n in FAMILY_N], "o", color=col, ms=5, mfc="white")
            ax.plot([], [], "o", color="grey", mfc="white", label="family sweep (strategic form, N <= 12)")
            ax.plot([], [], ":", color="grey", label="limit c/b as N grows")
            ax.set_xlabel("number of guarantors N")
            ax.set_ylabel("P(no guarantor intervenes): risk of abandonment")
            ax.set_title("Volunteer's dilemma among guarantors (Diekmann 1985)", fontsize=10)
            ax.set_xlim(0, 51)
            ax.set_ylim(0, 0.6)
            ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False)
            fig.tight_layout()
            fig.savefig(args.plot, dpi=150)
            print(f"\nfigure: {args.plot}")
    print("\nOK: in the symmetric equilibrium each guarantor waits for the others, and the probability that no "
          "one intervenes rises with N toward c/b.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
