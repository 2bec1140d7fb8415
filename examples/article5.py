"""Collective defence with N guarantors: does a larger alliance protect better?

Model
-----
``deterrence.alliances.collective_defence``: a challenger facing a target and N
guarantors, each honouring the commitment with probability 0.745 (Leeds, Long
and Mitchell 2000), their decisions correlated through a common shock of
weight rho.  The challenger is as strong as the target plus three allies, so
the coalition needs three of them.  Beside it, the strategic version:
``volunteer_equilibrium``, each guarantor deciding whether to intervene at a
cost (Diekmann 1985).

Expected result
---------------
With independent, exogenous honour, collective credibility rises toward 1 as
guarantors are added; with correlated honour it saturates below 1, at
(1 - rho) + rho p (0.8725 at rho = 0.5), and at the reliability of one ally
(0.745) when every decision is one shared draw (rho = 1).  When
each guarantor decides strategically, waiting for the others, the probability
that no one intervenes rises with N: (c/b)^(N/(N-1)) (Diekmann 1985).

Run: ``python examples/article5.py [--plot article5.png]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from deterrence.alliances import collective_defence, volunteer_equilibrium
from deterrence.alliances.article5 import LEEDS_RELIABILITY
from deterrence.errors import ModelError
from deterrence.plot.regions import require_matplotlib


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save a heat map of collective credibility over N and rho")
    args = ap.parse_args(argv)

    sizes = np.array([3, 4, 6, 8, 12, 16, 24, 32])
    strengths = dict(target_strength=1.0, ally_strength=1.0, challenger_strength=4.0)   # three allies needed
    print("Collective credibility P(at least 3 of N guarantors fight), each honouring with p = 0.745")
    print(f"{'N':>3}  {'rho=0':>7}  {'rho=0.5':>7}  {'rho=1':>7}   P(no one intervenes), c/b = 0.3")
    rows = []
    for n in sizes:
        cred = [float(collective_defence([LEEDS_RELIABILITY] * n, rho, **strengths).collective_credibility)
                for rho in (0.0, 0.5, 1.0)]
        none = float(volunteer_equilibrium(int(n), 1.0, 0.3).P_no_intervention)
        rows.append((n, *cred, none))
        print(f"{n:>3}  {cred[0]:7.4f}  {cred[1]:7.4f}  {cred[2]:7.4f}   {none:.4f}")

    indep = [r[1] for r in rows]
    shared = [r[3] for r in rows]
    abandon = [r[4] for r in rows]
    assert all(b >= a - 1e-12 for a, b in zip(indep, indep[1:])), "independent credibility should rise with N"
    assert all(abs(s - LEEDS_RELIABILITY) < 1e-12 for s in shared), "one shared draw: the reliability of one ally"
    # half the time one shared draw (p), half independent (all but certain at N = 32): 1 - rho (1 - p)
    assert abs(rows[-1][2] - (1 - 0.5 * (1 - LEEDS_RELIABILITY))) < 1e-9, "rho = 0.5 saturates at 1 - rho (1 - p)"
    assert all(b > a for a, b in zip(abandon, abandon[1:])), "the volunteer's dilemma: abandonment rises with N"

    if args.plot:
        try:
            plt = require_matplotlib()
        except ModelError:
            print("no figure: matplotlib is not installed (pip install 'deterrence[plot]')")
        else:
            ns = np.arange(3, 17)
            rhos = np.linspace(0, 1, 101)
            grid = np.array([collective_defence(np.full((rhos.size, n), LEEDS_RELIABILITY), rhos,
                                                **strengths).collective_credibility for n in ns])
            fig, ax = plt.subplots(figsize=(7, 4.5))
            im = ax.pcolormesh(ns, rhos, grid.T, shading="nearest", cmap="viridis", vmin=0.4, vmax=1.0)
            thr = (1.0 - 0.1) / (1.0 + 1.0)
            cs = ax.contour(ns, rhos, grid.T, levels=[0.8, 0.9, 0.99], colors="white", linewidths=0.8)
            ax.clabel(cs, fmt="%.2f", fontsize=8)
            ct = ax.contour(ns, rhos, grid.T, levels=[thr], colors="red", linewidths=2)
            ax.annotate(f"challenger attacks here\n(credibility < {thr:.2f})", xy=(3.1, 0.05), xytext=(9.0, 0.2),
                        color="white", fontsize=8, arrowprops=dict(arrowstyle="->", color="white"))
            fig.colorbar(im, ax=ax, label="collective credibility P(3 or more allies fight)")
            ax.set_xlabel("number of guarantors N (each honours with probability 0.745)")
            ax.set_ylabel("correlation of allies' decisions (common shock, rho)")
            ax.set_title("Article 5 with N guarantors: credibility against correlation")
            fig.tight_layout()
            fig.savefig(args.plot, dpi=150)
            deterred = grid >= thr
            print(f"figure: {args.plot}; a challenger valuing victory at 1, defeat at -1 and war at -0.1 is "
                  f"deterred where credibility >= {thr:.2f}: at {deterred.mean():.1%} of the map "
                  f"(not at N = 3 with weakly correlated allies)")
    print("\nOK: independent honour makes larger alliances more credible; correlated honour caps it below 1 "
          "(at one ally's reliability when fully correlated); strategic guarantors make abandonment more likely as N grows.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
