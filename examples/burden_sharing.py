"""Burden sharing in an alliance: who pays for the common defence (Olson and Zeckhauser 1966)?

Model
-----
``deterrence.alliances.burden_sharing``: allies of different incomes choose defence contributions at once;
defence is a public good, preferences Cobb-Douglas with weight a on defence (Bergstrom, Blume and Varian
1986), and a share beta of each ally's defence is private to it (Sandler's 1977 joint products).  The Nash
equilibrium is solved in closed form (the contributors' set found exactly), certified by the largest gain from
a unilateral deviation, and checked here against sequential best responses.

The eight incomes below are stylized (the sum is 100, the largest ally 30): they are not data.

Expected result
---------------
With a pure public good only the largest ally pays (it spends the share a of its income, everyone else
free-rides), the alliance buys 30% of the Samuelson optimum and the largest ally carries all the defence with
30% of the income: exploitation of the great by the small.  As the private share beta rises, smaller allies
start to contribute, the burdens (defence / income) draw together and the exploitation index falls to 0 at
beta = 1.  With N identical allies, provision relative to the optimum is 1/(1 + (N-1)(1-a)(1-beta)).

The claims (under-provision grows with the number of allies, the larger ally's disproportionate burden,
Bergstrom-Blume-Varian neutrality, joint products) are checked by the package's claims engine on the model
family ``burden_sharing`` (five allies; ``deterrence claims burden_sharing`` prints the same table): every one
holds at its sampled points except under-provision with unequal allies, which fails (on 0.2% of the points)
where the newcomer is among the richest: it contributes and crowds smaller contributors out, and provision
relative to the optimum rises.

NATO 2024 (``deterrence.cases.nato_burden_2024``): defence as % of GDP in 2024 (NATO's estimates, via two
agreeing secondary sources; shipped) against World Bank GDP for 2023 (current US$, NY.GDP.MKTP.CD; NOT
shipped: you supply the World Bank's CSV with ``--gdp PATH`` or DETERRENCE_GDP), 31 allies.  On the World
Bank's 2023 GDP, as run on 2026-11-27, Olson and Zeckhauser's exploitation hypothesis (a positive rank
correlation of size and share, their 1964 test) is NOT supported: Spearman rho = -0.034 (two-sided p = 0.86)
with every ally and -0.125 (p = 0.51) without the United States; the highest shares are on the eastern flank
(Poland, the Baltic states), not among the largest economies.  Without the GDP file the script says so and
runs the model part only.

Run: ``python examples/burden_sharing.py [--plot burden.png] [--gdp API_NY.GDP.MKTP.CD_DS2_en_csv_v2.csv]``.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from deterrence import load_model
from deterrence.alliances import best_response_equilibrium, burden_sharing
from deterrence.analysis.claims import check_claims
from deterrence.cases.nato_burden_2024 import (CAVEAT, GDP_YEAR, HYPOTHESIS, NEEDS, SOURCES, ally_rows,
                                               exploitation_test)
from deterrence.errors import ModelError
from deterrence.io.worldbank import read_wb_indicator
from deterrence.plot.regions import require_matplotlib

#: Stylized incomes (not data).
INCOMES = np.array([30.0, 20.0, 15.0, 12.0, 9.0, 6.0, 5.0, 3.0])
A = 0.05
BETAS = (0.0, 0.5, 0.8, 0.9, 1.0)

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save the figure (burdens against income; provision against N)")
    ap.add_argument("--gdp", default=os.environ.get("DETERRENCE_GDP"),
                    help="World Bank GDP (NY.GDP.MKTP.CD) CSV as distributed, for the NATO 2024 test (default: "
                         "$DETERRENCE_GDP; none: the test is skipped with a note)")
    args = ap.parse_args(argv)

    print(f"Eight allies, stylized incomes (sum 100), defence weight a = {A}")
    eq = burden_sharing(INCOMES, A, np.array(BETAS))           # one call over the five values of beta
    numeric = best_response_equilibrium(np.broadcast_to(INCOMES, (len(BETAS), 8)), A, np.array(BETAS))
    assert np.allclose(eq.contributions, numeric, atol=1e-9), "closed form and best responses disagree"
    assert np.all(eq.regret <= 1e-12)
    print(f"{'income':>7} " + " ".join(f"{'burden b=' + str(b):>13}" for b in BETAS) + "   (defence / income, %)")
    for i, w in enumerate(INCOMES):
        cells = " ".join(f"{100 * eq.burden[j, i]:12.2f}{'*' if eq.free_rides[j, i] else ' '}"
                         for j in range(len(BETAS)))
        print(f"{w:7.0f} {cells}")
    print("  (* free-rides: contributes nothing)")
    print(f"\n{'beta':>5} {'contributors':>12} {'G':>7} {'G*=aW':>7} {'G/G*':>6} {'largest ally: defence share':>28}"
          f" {'income share':>12} {'exploitation':>12}")
    for j, b in enumerate(BETAS):
        print(f"{b:5.2f} {int(eq.n_contributors[j]):12d} {eq.total[j]:7.3f} {eq.optimum[j]:7.3f} "
              f"{eq.provision_ratio[j]:6.3f} {eq.shares[j, 0]:28.3f} {eq.income_shares[j, 0]:12.3f} "
              f"{eq.exploitation[j]:12.3f}")
    # hand-derived: with beta = 0 the richest alone pays a*w1 = 1.5, G* = a*W = 5, and all other allies free-ride
    assert eq.n_contributors[0] == 1 and np.isclose(eq.total[0], A * 30) and np.isclose(eq.provision_ratio[0], 0.3)
    assert np.isclose(eq.exploitation[0], 0.7) and np.isclose(eq.exploitation[-1], 0.0)
    assert np.all(np.diff(eq.exploitation) < 0), "joint products should weaken exploitation here"
    assert np.all(np.diff(eq.n_contributors) >= 0) and np.all(np.diff(eq.provision_ratio) > 0)

    ns = np.array([2, 4, 8, 16, 32])
    print(f"\nIdentical allies: provision relative to the optimum, 1/(1 + (N-1)(1-a)(1-beta)), a = {A}")
    print(f"{'N':>4} " + " ".join(f"{'beta=' + str(b):>9}" for b in (0.0, 0.5, 0.9)))
    for n in ns:
        ratios = [float(burden_sharing(np.ones(n), A, b).provision_ratio) for b in (0.0, 0.5, 0.9)]
        assert np.allclose(ratios, [1 / (1 + (n - 1) * (1 - A) * (1 - b)) for b in (0.0, 0.5, 0.9)])
        print(f"{n:4d} " + " ".join(f"{r:9.3f}" for r in ratios))

    model = load_model("burden_sharing")
    print(f"\nClaims, checked by the claims engine on the model family {model.name!r} ({len(model.players)} allies; "
          f"deterrence claims {model.name})")
    checks = check_claims(model, loader=load_model)
    for c in checks:
        print(f"  {c.claim.id}: {c.verdict} ({c.summary})\n      {c.claim.statement()}\n      source: "
              f"{c.claim.source.split(';')[0]}")
        if c.counterexample:
            cex = c.counterexample
            inc = [round(cex[f"income_{i + 1}"], 3) for i in range(len(model.players))]
            found = "; ".join(f"{k} = {v:.4f}" for k, v in cex["found"].items())
            print(f"      counterexample: incomes {inc}, a = {cex['defence_weight']:.3f}, beta = "
                  f"{cex['private_share']:.3f} ({found})")
    got = {c.claim.id: c.verdict for c in checks}
    assert got["exploitation_of_the_great_by_the_small"] == "holds" and got["neutrality"] == "holds"
    assert got["under_provision_grows_with_allies"] == "holds"
    assert got["under_provision_grows_with_allies_unequal"] == "holds_on_share"

    rows = tests = None
    if not args.gdp:
        print(f"\nNATO 2024: the exploitation test is not run: {NEEDS} with --gdp PATH (or set DETERRENCE_GDP):\n"
              "  python examples/burden_sharing.py --gdp API_NY.GDP.MKTP.CD_DS2_en_csv_v2.csv")
    else:
        try:
            rows = ally_rows(read_wb_indicator(args.gdp, GDP_YEAR), source=os.path.basename(args.gdp))
        except ModelError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        print(f"\nNATO 2024: the exploitation hypothesis ({HYPOTHESIS.split(':')[0]}) on {len(rows)} allies")
        print(f"  defence share: {SOURCES['defence_share_pct_2024']}\n  size: {SOURCES['gdp_2023_musd']}")
        print(f"{'allies':>28} {'n':>3} {'Spearman rho':>12} {'p (2-sided)':>11} {'p (rho>0)':>9} {'p (perm.)':>9}  verdict")
        tests = [exploitation_test(rows), exploitation_test(rows, exclude=("United States",))]
        from scipy.stats import spearmanr
        for t, label in zip(tests, ("all reporting allies", "without the United States")):
            kept = [r for r in rows if r.country in t.countries]
            ref = spearmanr([r.gdp_musd for r in kept], [r.defence_share_pct for r in kept])
            assert np.isclose(t.rho, ref.statistic) and np.isclose(t.p_two_sided, ref.pvalue)   # scipy agrees
            print(f"{label:>28} {t.n:3d} {t.rho:12.3f} {t.p_two_sided:11.3f} {t.p_one_sided:9.3f} "
                  f"{t.p_permutation:9.3f}  {'supported' if t.supported else 'not supported'}")
        top = sorted(rows, key=lambda r: -r.defence_share_pct)[:5]
        big = sorted(rows, key=lambda r: -r.gdp_musd)[:5]
        print("  highest shares: " + ", ".join(f"{r.country} {r.defence_share_pct:.2f}%" for r in top))
        print("  largest economies: " + ", ".join(f"{r.country} {r.defence_share_pct:.2f}%" for r in big))
        print(f"  caveat: {CAVEAT}.")
    from scipy.stats import spearmanr
    rho = spearmanr(INCOMES, eq.burden[0]).statistic
    rho_c = spearmanr(INCOMES[eq.contributes[2]], eq.burden[2][eq.contributes[2]]).statistic
    print(f"  The model's prediction{', for contrast' if rows else ''}: defence / income rises with income among "
          f"contributors and is 0 for free riders;\n  on the stylized alliance the rank correlation of income and burden is {rho:.2f} at "
          f"beta = 0 and {rho_c:.2f} among the contributors at beta = 0.8.")
    assert rho > 0 and np.isclose(rho_c, 1.0)

    if args.plot:
        try:
            plt = require_matplotlib()
        except ModelError:
            print("no figure: matplotlib is not installed (pip install 'deterrence[plot]')")
        else:
            fig, axes = plt.subplots(1, 3 if rows else 2, figsize=(16.5 if rows else 11.5, 4.8))
            ax1, ax2 = axes[:2]
            colors = plt.cm.viridis(np.linspace(0, 0.9, len(BETAS)))
            for j, b in enumerate(BETAS):
                ax1.plot(INCOMES, 100 * eq.burden[j], "o-", color=colors[j], label=f"beta = {b}")
            ax1.set_xscale("log")
            ax1.set_xticks(INCOMES, [f"{w:g}" for w in INCOMES])
            ax1.minorticks_off()
            ax1.set_xlabel("ally's income (stylized; the eight allies sum to 100)")
            ax1.set_ylabel("defence / income (%)")
            ax1.set_title(f"Burdens in equilibrium (a = {A}):\nthe largest pays, the small free-ride")
            ax1.legend(title="private share (Sandler)", fontsize=8, title_fontsize=8)
            nn = np.arange(2, 41)
            for b, c in zip((0.0, 0.5, 0.8, 0.9), colors):
                ax2.plot(nn, [float(burden_sharing(np.ones(n), A, b).provision_ratio) for n in nn], color=c,
                         label=f"beta = {b}")
            ax2.axhline(1.0, color="grey", ls=":", lw=1)
            ax2.set_ylim(0, 1.05)
            ax2.set_xlabel("number of identical allies N")
            ax2.set_ylabel("provision relative to the Samuelson optimum, G / G*")
            ax2.set_title(f"Under-provision grows with the number of allies (a = {A})")
            ax2.legend(fontsize=8)
            if rows:
                ax3 = axes[2]
                gdp = np.array([r.gdp_musd / 1e6 for r in rows])
                share = np.array([r.defence_share_pct for r in rows])
                ax3.scatter(gdp, share, s=18, color="tab:blue", zorder=3)
                for r in rows:
                    if r.defence_share_pct >= 2.8 or r.gdp_musd >= 2e6 or r.country in ("Luxembourg", "Montenegro"):
                        ax3.annotate(r.iso3, (r.gdp_musd / 1e6, r.defence_share_pct), fontsize=7,
                                     xytext=(-6, -11) if r.iso3 == "FRA" else (3, 3), textcoords="offset points")
                ax3.set_xscale("log")
                ax3.axhline(2.0, color="grey", ls=":", lw=1)
                ax3.set_xlabel("GDP 2023, trillion current US$ (World Bank; log scale)")
                ax3.set_ylabel("defence / GDP 2024 (%), NATO estimates (secondary sources)")
                verdict = "the larger do not spend larger shares" if not tests[0].supported else \
                    "the larger spend larger shares"
                ax3.set_title(f"NATO 2024: {verdict}\n"
                              f"Spearman rho = {tests[0].rho:+.2f} (p = {tests[0].p_two_sided:.2f}); "
                              f"without the US {tests[1].rho:+.2f} (p = {tests[1].p_two_sided:.2f})", fontsize=10)
            fig.tight_layout()
            fig.savefig(args.plot, dpi=150)
            print(f"figure: {args.plot}")
    nato = ("" if rows is None else
            "; NATO's 2024 shares " + ("rise" if tests[0].supported else "do not rise") + " with size (GDP from "
            + os.path.basename(args.gdp) + ")")
    print("\nOK: in the model the largest ally carries a disproportionate share, provision falls short of the "
          "optimum and more so with more allies, joint products weaken the exploitation" + nato + ".")
    return 0


if __name__ == "__main__":
    sys.exit(main())
