"""Richardson's arms-race test on the pre-1914 blocs, 1909-1913: the table, the fit, two figures.

Model
-----
Richardson's arms race (Arms and Insecurity, 1960): dx/dt = k*y - a*x + g,
dy/dt = l*x - b*y + h.  With equal coefficients for the two blocs the
combined expenditure s = U + V obeys ds/dt = (k - a)(s - s0).

Data
----
Defence budgets of France and Russia (U) and Germany and Austria-Hungary (V),
million pounds, as commonly reproduced from Richardson's book (not re-checked
against the 1960 edition).

Expected result
---------------
The least-squares line of the yearly increase of U + V on the mid-year total
has slope 0.73 per year and crosses zero at 194.9 million pounds: Richardson's
Delta(U+V) = 0.73 (U + V - 194).  On the start-of-year total the slope is 1.15
with the same crossing.  k - a > 0 makes the crossing an unstable equilibrium,
and the 1909 total lay above it: a runaway race.

Run: ``python examples/richardson_1909.py [--fit fit.png] [--phase phase.png]``.
"""

from __future__ import annotations

import argparse
import sys

from deterrence.cases.richardson_1909 import reproduce
from deterrence.dynamics import RUNAWAY_RACE
from deterrence.errors import ModelError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fit", default="richardson_1909_fit.png", help="the fitted line against the data")
    ap.add_argument("--phase", default="richardson_1909_phase.png", help="the phase portrait")
    ap.add_argument("--no-plot", action="store_true", help="print only")
    args = ap.parse_args(argv)

    rep = reproduce()
    print(rep.summary())

    mid, start = rep.midpoint, rep.start
    assert round(mid.slope, 2) == 0.73, f"mid-year slope {mid.slope:.3f}, Richardson's is 0.73"
    assert abs(mid.threshold - 194) < 1, f"crossing {mid.threshold:.1f}, Richardson's is about 194"
    assert round(start.slope, 2) == 1.15, f"start-of-year slope {start.slope:.3f}, expected 1.15"
    assert rep.regime == RUNAWAY_RACE, f"the 1909 budgets should start a runaway race, got {rep.regime}"

    if not args.no_plot:
        try:
            from deterrence.plot.richardson import plot_linear_fit, plot_phase_portrait
            years = rep.years
            plot_linear_fit([mid, start], args.fit, names=["mid-year total", "start-of-year total"],
                            point_labels=[f"{a}-{str(b)[2:]}" for a, b in zip(years[:-1], years[1:])],
                            level_label="U + V (million pounds)",
                            change_label="yearly increase of U + V (million pounds)",
                            title="Richardson's test on the pre-1914 blocs, 1909-13")
            plot_phase_portrait(rep.model, args.phase, xlim=(60, 180), ylim=(40, 140),
                                starts=[(80, 125), (105, 95), (130, 70), (70, 120), (90, 95), (120, 65)],
                                t_max=4.0, data=(rep.series("U"), rep.series("V")),
                                data_labels=[str(y) for y in years], data_name="budgets 1909-13",
                                x_label="U: France + Russia (million pounds)",
                                y_label="V: Germany + Austria-Hungary (million pounds)",
                                title="Phase portrait: k - a = 0.731 fitted, a = b = 0.2 illustrative")
            print(f"\nfigures: {args.fit}, {args.phase}")
        except ModelError as exc:          # matplotlib missing
            print(f"\nno figures: {exc}")
    print("\nOK: slope 0.73 and crossing 194.9 on the mid-year total (1.15 on the start-of-year total); "
          "a runaway race from 1909.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
