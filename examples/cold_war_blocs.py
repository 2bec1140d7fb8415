"""NATO and the Warsaw Pact as a bloc Richardson race, 1955-1991: the totals, the fit, a figure.

Model
-----
Richardson's arms race (Arms and Insecurity, 1960) between two blocs:
dx/dt = k*y - a*x + g (x = NATO), dy/dt = l*x - b*y + h (y = Warsaw Pact),
each bloc's spending the sum of its members'.  Fitted by least squares with
standard errors (deterrence.dynamics.fit_richardson) on 1957-1988.

Data
----
Correlates of War National Material Capabilities v6.0, milex (thousands of
current US dollars; Singer, Bremer and Stuckey 1972; Greig and Enterline
2021), members by accession year; deflated to 1988 dollars by the US CPI-U
(BLS, FRED CPIAUCSL).  Sources and gaps: deterrence/cases/cold_war_blocs.py.

Expected result
---------------
Both blocs spent more in 1988 than in 1957, in current and in constant
dollars; but in constant dollars neither reaction coefficient (k, l) is
significantly positive and the equations explain little of the yearly
changes (R^2 0.02 and 0.10): the action-reaction evidence is weak, as the
literature finds for the superpower race.

Run: ``python examples/cold_war_blocs.py [--plot blocs.png | --no-plot]``.
"""

from __future__ import annotations

import argparse
import sys

from deterrence.cases.cold_war_blocs import reproduce
from deterrence.errors import ModelError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", default="cold_war_blocs.png", help="the figure (.png, .pdf or .svg)")
    ap.add_argument("--no-plot", action="store_true", help="print only")
    args = ap.parse_args(argv)

    rep = reproduce()
    print(rep.summary())

    for bloc in ("NATO", "Warsaw Pact"):
        assert rep.rose(bloc) and rep.rose(bloc, constant=False), f"{bloc}'s spending should rise 1957-88"
    reading = rep.reading("constant")
    assert not any(reading["reaction_significant"].values()), "a reaction coefficient is significant"
    assert max(reading["r_squared"]) < 0.5, "the Richardson equations should explain little"

    if not args.no_plot:
        try:
            import matplotlib.pyplot as plt

            from deterrence.plot.cases import plot_cold_war_blocs
            plt.close(plot_cold_war_blocs(rep, args.plot))
            print(f"\nfigure: {args.plot}")
        except (ModelError, ImportError) as exc:          # matplotlib missing
            print(f"\nno figure: {exc}")
    e, se = rep.constant.estimates, rep.constant.standard_errors
    print(f"\nOK: both blocs' spending rose 1957-88; in 1988 dollars k = {e['k']:.3f} ({se['k']:.3f}), "
          f"l = {e['l']:.3f} ({se['l']:.3f}): no significant reaction to the rival bloc.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
