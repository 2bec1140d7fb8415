"""Article 5 as an engine game: the model family ``article5`` solved, swept and checked like a model file.

Model
-----
``deterrence.load_model("article5:n=N")`` (``deterrence.alliances.article5_game``): nature draws K, the
number of the N guarantors who would honour the commitment (each with reliability p, 0.745 in Leeds, Long
and Mitchell 2000; decisions correlated through a common shock of weight rho); the Challenger, who knows
the law of K but not its draw, attacks or refrains; the coalition defeats an attack iff K reaches the
allies needed.  The engine solves the tree (sequential equilibrium, certified) for a whole batch of
parameter points at once; the measures are read from each equilibrium.  Here the coalition needs a strict
majority of the guarantors, as a challenger who grows with the alliance would require.

Expected result
---------------
The engine's collective credibility and P(war) equal ``collective_defence`` on the same points.  With a
majority needed, more guarantors make protection more reliable where each is reliable (p = 0.745: the
credibility rises toward 1 with independent decisions) and less reliable where each is not (p = 0.4: it
falls toward 0), as in Condorcet's jury theorem (Grofman, Owen and Feld 1983); correlation pulls both
toward p (Ladha 1992).  The shipped claim finds the turn near p = 0.46 for 12 against 14 guarantors.

Run: ``python examples/article5_family.py [--plot article5_family.png]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import deterrence
from deterrence.alliances import collective_defence
from deterrence.analysis.claims import check_claims
from deterrence.analysis.sweep import sweep
from deterrence.errors import ModelError
from deterrence.plot.regions import require_matplotlib

SIZES = (1, 3, 5, 7, 9, 11, 15, 21, 31)        # odd, as in Condorcet's theorem (no ties at one half)
RELIABILITIES = (0.4, 0.5, 0.6, 0.745)
RHOS = (0.0, 0.5)


def majority_sweep(n, reliabilities, rhos):
    """The family's batched sweep at N guarantors, a strict majority needed (target 0, allies 1)."""
    m = deterrence.load_model(f"article5:n={n}")
    need = n // 2 + 1
    t = sweep(m, {"reliability": np.asarray(reliabilities, float), "correlation": np.asarray(rhos, float)},
              fixed={"target_strength": 0.0, "ally_strength": 1.0, "challenger_strength": float(need)},
              measures=["collective_credibility", "P_war"])
    ref = collective_defence(t["reliability"][:, None] * np.ones(n), t["correlation"], target_strength=0.0,
                             ally_strength=1.0, challenger_strength=float(need))
    assert np.allclose(t["collective_credibility"], ref.collective_credibility, atol=1e-9), "engine = direct"
    assert np.allclose(t["P_war"], ref.P_war, atol=1e-12), "the engine's challenger decides as collective_defence"
    return t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save the figure (credibility against N; P(war) over reliability and correlation)")
    args = ap.parse_args(argv)

    print("Collective credibility when a strict majority of the N guarantors must fight (engine: article5:n=N)")
    print(f"{'N':>3} {'need':>4}   " + "   ".join(f"{f'p={p:g} (rho 0 / 0.5)':<17}" for p in RELIABILITIES))
    curves = {}
    for n in SIZES:
        t = majority_sweep(n, RELIABILITIES, RHOS)
        cred = t["collective_credibility"].reshape(len(RELIABILITIES), len(RHOS))
        war = t["P_war"].reshape(len(RELIABILITIES), len(RHOS))
        curves[n] = cred
        cells = [" / ".join(f"{x:.3f}{'*' if y > 0.5 else ' '}" for x, y in zip(c, w)) for c, w in zip(cred, war)]
        print(f"{n:>3} {n // 2 + 1:>4}   " + "   ".join(f"{c:<17}" for c in cells))
    lo, hi = curves[SIZES[1]], curves[SIZES[-1]]
    i_low, i_high = RELIABILITIES.index(0.4), RELIABILITIES.index(0.745)
    assert hi[i_high, 0] > lo[i_high, 0] and hi[i_high, 0] > 0.995, "reliable guarantors: more is better"
    assert hi[i_low, 0] < lo[i_low, 0] and hi[i_low, 0] < 0.15, "unreliable guarantors: more is worse"
    assert abs(hi[i_high, 1] - (0.5 * 0.745 + 0.5 * hi[i_high, 0])) < 1e-9, "correlation pulls toward p"
    print("(*: the challenger attacks, credibility below (v - c)/(v + d) = 0.45; P(war) = 1 there)")

    m = deterrence.load_model("article5:n=12")
    print("\nClaims shipped with article5:n=12 (deterrence claims article5:n=12):")
    checks = check_claims(m, loader=deterrence.load_model)
    for c in checks:
        split = (c.failing_region or {}).get("split") or ""
        print(f"  {c.claim.id}: {c.verdict} ({c.summary})" + (f"; fails where {split.split(' (')[0]}" if split else ""))
    verdicts = {c.claim.id: c for c in checks}
    assert verdicts["credibility_rises_with_guarantors"].verdict == "holds"
    maj = verdicts["majority_credibility_rises_with_guarantors_iff_reliable"]
    assert maj.verdict == "holds_on_share" and maj.failing_region["split"].startswith("reliability <")

    if args.plot:
        try:
            plt = require_matplotlib()
        except ModelError:
            print("no figure: matplotlib is not installed (pip install 'deterrence[plot]')")
        else:
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.6))
            colours = plt.cm.viridis(np.linspace(0, 0.85, len(RELIABILITIES)))
            for j, (p, col) in enumerate(zip(RELIABILITIES, colours)):
                a1.plot(SIZES, [curves[n][j, 0] for n in SIZES], "o-", color=col, label=f"p = {p:g}, independent")
                a1.plot(SIZES, [curves[n][j, 1] for n in SIZES], "s--", color=col, alpha=0.7,
                        label=f"p = {p:g}, correlation 0.5")
            a1.axhline(0.45, color="red", lw=1)
            a1.text(31, 0.435, "deterrence threshold 0.45", color="red", ha="right", va="top", fontsize=8)
            a1.set_xlabel("number of guarantors N (a strict majority must fight)")
            a1.set_ylabel("collective credibility P(majority fights)")
            a1.set_ylim(-0.02, 1.02)
            a1.set_title("More guarantors: better only if each is reliable", fontsize=10)
            a1.legend(fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)

            ps, rs = np.linspace(0.2, 1.0, 81), np.linspace(0.0, 1.0, 51)
            t = sweep(m, {"reliability": ps, "correlation": rs}, measures=["collective_credibility", "P_war"])
            cred = t["collective_credibility[min]"].reshape(len(ps), len(rs)).T
            war = t["P_war[max]"].reshape(len(ps), len(rs)).T
            a2.pcolormesh(ps, rs, war, shading="nearest", cmap="Reds", vmin=0, vmax=1.6)
            cs = a2.contour(ps, rs, cred, levels=[0.2, 0.7, 0.9], colors="black", linewidths=0.8)
            a2.clabel(cs, fmt="credibility %.2f", fontsize=7)
            a2.text(0.26, 0.08, "challenger attacks\n(war)", fontsize=9, color="darkred")
            a2.text(0.8, 0.85, "deterred", fontsize=9, color="black", ha="center")
            a2.set_xlabel("reliability of each guarantor p (Leeds et al. 2000: 0.745)")
            a2.set_ylabel("correlation of the guarantors' decisions (rho)")
            a2.set_title("article5:n=12, 7 allies needed: war (red: credibility < 0.45)\nand collective "
                         "credibility (contours)", fontsize=10)
            a2.axvline(0.745, color="grey", ls=":", lw=1)
            fig.tight_layout()
            fig.savefig(args.plot, dpi=140)
            print(f"figure: {args.plot}")
    print("\nOK: the engine's game agrees with collective_defence; with a majority needed, more guarantors "
          "protect better only when each is reliable enough.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
