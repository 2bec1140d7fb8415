"""Arms and allies: when an alliance sets off an arms race, and how states trade arms for allies.

Model
-----
1. Richardson's race in n-state form (Richardson, L. F. (1960), *Arms and Insecurity*): two states per side,
   each reacting with 0.5 to the pooled arms of the other side (side sums S1 = S2 = 1), all with fatigue a.
   An uninvolved state reacting with k_J joins side 1.  The race is stable iff S1*S2 < a^2 (derived in
   ``deterrence.arms.arms_allies``), so the alliance sets off a race iff 1 < a <= sqrt(1 + k_J), accelerates
   one already running iff a <= 1, and leaves the race stable iff a > sqrt(1 + k_J)  (claim C3).
2. Morrow, J. D. (1993), "Arms versus allies: trade-offs in the search for security", *International
   Organization* 47(2): 207-233, stylized: a state facing threat theta = 1 picks arms x and an alliance
   commitment y to maximise -(theta - x - rho*y)^2/2 - x^2/2 - y^2/2 (c = d = 1), rho the ally's reliability.

Expected result
---------------
* The region map over (k_J, a) matches the hand conditions above at every grid point, and matches the
  eigenvalues of the 5-state system (``RichardsonSystem.stable``).
* Morrow: x* = 1/(2 + rho^2) and y* = rho/(2 + rho^2): arms fall as reliability rises (substitution).  When
  the ally defects, arms rise to 1/2 and replace exactly half of the ally's lost expected contribution
  (1/(1 + c) with c = 1): claim C7, with a partial replacement.

Run: ``python examples/arms_and_allies.py [--plot docs/figures/arms_and_allies.png]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from deterrence.arms import alliance_effect, alliance_race, ally_defection, arms_allies_optimum
from deterrence.errors import ModelError
from deterrence.plot.regions import require_matplotlib

SIDE = ["A", "A", "B", "B"]
K_SIDE = 0.5                      # each member's reaction to the other side's pooled arms: S1 = S2 = 1


def hand_verdict(kj, a):
    """The closed-form region with S1 = S2 = 1 and a = b (module docstring), written out by hand."""
    if kj == 0:
        return "no effect on stability"
    if a <= 1:
        return "accelerates a race"
    return "sets off a race" if a <= np.sqrt(1 + kj) else "keeps the race stable"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save the figure (region map; arms and alliance against reliability)")
    args = ap.parse_args(argv)

    # 1. alliances and the stability of the race
    kjs = np.array([0.0, 0.25, 0.5, 1.0, 2.0])
    fats = np.array([0.8, 1.0, 1.1, 1.2, 1.5, 1.8])
    KJ, FA = np.meshgrid(kjs, fats, indexing="ij")
    eff = alliance_effect(2 * K_SIDE, 2 * K_SIDE, KJ, FA, FA)
    short = {"sets off a race": "SET OFF", "accelerates a race": "faster", "keeps the race stable": "stable",
             "no effect on stability": "-"}
    print("Claim C3: an uninvolved state (reaction k_J) joins side 1; S1 = S2 = 1, fatigue a on both sides")
    print(f"{'k_J':>6} " + " ".join(f"{'a=' + format(a, 'g'):>8}" for a in fats))
    for i, kj in enumerate(kjs):
        print(f"{kj:>6g} " + " ".join(f"{short[str(v)]:>8}" for v in eff.verdict[i]))
        for j, a in enumerate(fats):
            assert eff.verdict[i, j] == hand_verdict(kj, a), f"k_J={kj}, a={a}: {eff.verdict[i, j]}"
            react = [K_SIDE, K_SIDE, kj, K_SIDE, K_SIDE]
            before = alliance_race(["A", "A", None, "B", "B"], react, a)
            after = alliance_race(["A", "A", "A", "B", "B"], react, a)
            assert before.stable() == eff.stable_before[i, j] and after.stable() == eff.stable_after[i, j], \
                "closed form and the n-state eigenvalues disagree"
    n_set = int((eff.verdict == "sets off a race").sum())
    print(f"checked against the hand conditions and the 5-state eigenvalues at all {eff.verdict.size} points; "
          f"the alliance sets off a race at {n_set}")
    # by hand, 1 < a <= sqrt(1 + k_J): sqrt(1.25) = 1.118, sqrt(1.5) = 1.225, sqrt(2) = 1.414, sqrt(3) = 1.732
    # -> a = 1.1 | 1.1, 1.2 | 1.1, 1.2 | 1.1, 1.2, 1.5: 1 + 2 + 2 + 3 = 8 points
    assert n_set == 8

    # 2. arms versus allies
    rhos = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
    opt = arms_allies_optimum(1.0, rhos, 1.0, 1.0)
    dfx = ally_defection(1.0, rhos[1:], 1.0, 1.0)
    print("\nMorrow (1993), stylized: threat 1, arms cost c = 1, alliance cost d = 1")
    print(f"{'rho':>5} {'arms x*':>8} {'ally y*':>8} {'security':>9} {'arms if ally defects':>21} {'replaced':>9}")
    for i, r in enumerate(rhos):
        after = f"{dfx.after.arms[i - 1]:.4f}" if i else "-"
        rep = f"{dfx.replaced[i - 1]:.2f}" if i else "-"
        print(f"{r:>5g} {opt.arms[i]:>8.4f} {opt.alliance[i]:>8.4f} {opt.security[i]:>9.4f} {after:>21} {rep:>9}")
    assert np.allclose(opt.arms, 1 / (2 + rhos ** 2)) and np.allclose(opt.alliance, rhos / (2 + rhos ** 2))
    assert np.all(np.diff(opt.arms) < 0), "arms should fall as the ally grows more reliable"
    assert np.allclose(dfx.after.arms, 0.5) and np.all(dfx.buildup > 0) and np.allclose(dfx.replaced, 0.5)

    if args.plot:
        try:
            plt = require_matplotlib()
        except ModelError:
            print("no figure: matplotlib is not installed (pip install 'deterrence[plot]')")
        else:
            fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.4))
            kg, ag = np.meshgrid(np.linspace(0, 2, 401), np.linspace(0.5, 2, 301))
            code = {"accelerates a race": 0, "sets off a race": 1, "keeps the race stable": 2,
                    "no effect on stability": 2}
            v = alliance_effect(1.0, 1.0, kg, ag, ag).verdict
            z = np.vectorize(code.get)(v)
            ax1.contourf(kg, ag, z, levels=[-0.5, 0.5, 1.5, 2.5], colors=["#d95f02", "#e7298a", "#66a61e"])
            ax1.plot(kg[0], np.sqrt(1 + kg[0]), "k-", lw=1)
            ax1.axhline(1.0, color="k", lw=1)
            ax1.text(1.0, 0.72, "accelerates a race\n(racing already: a <= 1)", ha="center", fontsize=9)
            ax1.text(1.35, 1.25, "sets off a race", ha="center", fontsize=9)
            ax1.text(0.6, 1.75, "stays stable: a > sqrt(1 + k_J)", ha="center", fontsize=9)
            ax1.set_xlabel("joiner's reaction k_J")
            ax1.set_ylabel("fatigue a = b")
            ax1.set_title("Claim C3: a state joins side 1 (S1 = S2 = 1)")
            rr = np.linspace(0, 1, 101)
            o = arms_allies_optimum(1.0, rr, 1.0, 1.0)
            ax2.plot(rr, o.arms, label="arms x*")
            ax2.plot(rr, o.alliance, label="alliance commitment y*")
            ax2.plot(rr, o.security, label="security x* + rho y*")
            ax2.axhline(0.5, color="grey", ls="--", lw=1, label="arms after the ally defects")
            ax2.set_xlabel("ally's reliability rho")
            ax2.set_ylabel("level (threat = 1)")
            ax2.set_title("Morrow (1993), stylized: arms versus allies (c = d = 1)")
            ax2.legend(fontsize=8)
            fig.tight_layout()
            fig.savefig(args.plot, dpi=150)
            print(f"figure: {args.plot}")
    print("\nOK: an alliance sets off a race where 1 < a <= sqrt(1 + k_J), accelerates one where a <= 1, and "
          "leaves it stable above; arms and allies are substitutes and a defection is half replaced by arms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
