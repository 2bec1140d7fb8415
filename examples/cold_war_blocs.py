"""NATO and the Warsaw Pact as a bloc Richardson race, 1955-1991: the totals, the fit, a figure.

Model
-----
Richardson's arms race (Arms and Insecurity, 1960) between two blocs:
dx/dt = k*y - a*x + g (x = NATO), dy/dt = l*x - b*y + h (y = Warsaw Pact),
each bloc's spending the sum of its members'.  Fitted by least squares with
standard errors (deterrence.dynamics.fit_richardson) on 1957-1988.

Data (you supply it; the package ships none)
--------------------------------------------
Correlates of War National Material Capabilities v6.0, abridged file
NMC-60-abridged.csv from correlatesofwar.org (milex: thousands of current
US dollars; Singer, Bremer and Stuckey 1972; Greig and Enterline 2021);
optionally FRED's CPIAUCSL as CSV (fred.stlouisfed.org/series/CPIAUCSL) to
deflate to 1988 dollars.  Members by accession year: see
deterrence/cases/cold_war_blocs.py.

Expected result (documented on NMC v6.0 with CPIAUCSL, as run on 2026-11-27)
----------------------------------------------------------------------------
Both blocs spent more in 1988 than in 1957; in 1988 dollars neither reaction
coefficient is significantly positive (k = -0.039 (0.075), l = -0.001
(0.071)) and the equations explain little (R^2 0.02 and 0.10).  The script
prints whether your run agrees.

Run: ``python examples/cold_war_blocs.py NMC-60-abridged.csv [--cpi CPIAUCSL.csv] [--plot F | --no-plot]``
(or set DETERRENCE_NMC and DETERRENCE_CPI).  Without the NMC file it says
what it needs and exits 0.
"""

from __future__ import annotations

import argparse
import os
import sys

from deterrence.cases.cold_war_blocs import NEEDS, reproduce
from deterrence.errors import ModelError
from deterrence.io.fred import CPI_DOWNLOAD, read_fred_annual
from deterrence.io.nmc import read_nmc


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nmc", nargs="?", default=os.environ.get("DETERRENCE_NMC"),
                    help="the NMC v6.0 abridged CSV (default: $DETERRENCE_NMC)")
    ap.add_argument("--cpi", default=os.environ.get("DETERRENCE_CPI"),
                    help="FRED CPIAUCSL CSV to deflate to 1988 dollars (default: $DETERRENCE_CPI; none: current "
                         "dollars)")
    ap.add_argument("--plot", default="cold_war_blocs.png", help="the figure (.png, .pdf or .svg)")
    ap.add_argument("--no-plot", action="store_true", help="print only")
    args = ap.parse_args(argv)

    if not args.nmc:
        print(f"This example needs {NEEDS}.\nDownload it, then run:\n"
              "  python examples/cold_war_blocs.py NMC-60-abridged.csv [--cpi CPIAUCSL.csv]\n"
              "or set DETERRENCE_NMC (and DETERRENCE_CPI) to the files' paths. For 1988 dollars also get "
              f"{CPI_DOWNLOAD}.")
        return 0
    try:
        milex = read_nmc(args.nmc)
        cpi = read_fred_annual(args.cpi) if args.cpi else None
        rep = reproduce(milex, cpi=cpi, data=os.path.basename(args.nmc))
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(rep.summary())

    if not args.no_plot:
        try:
            import matplotlib.pyplot as plt

            from deterrence.plot.cases import plot_cold_war_blocs
            plt.close(plot_cold_war_blocs(rep, args.plot))
            print(f"\nfigure: {args.plot}")
        except (ModelError, ImportError) as exc:          # matplotlib missing
            print(f"\nno figure: {exc}")

    reading = rep.reading()
    rose = all(rep.rose(b) for b in ("NATO", "Warsaw Pact"))
    weak = not any(rep.constant.estimates[n] / rep.constant.standard_errors[n] >= 2 for n in ("k", "l")) \
        if rep.deflated else None
    e, se = getattr(rep, rep.primary).estimates, getattr(rep, rep.primary).standard_errors
    dollars = "1988 dollars" if rep.deflated else "current dollars"
    print(f"\nIn {dollars}: k = {e['k']:.3f} ({se['k']:.3f}), l = {e['l']:.3f} ({se['l']:.3f}), "
          f"R^2 {reading['r_squared'][0]:.2f} and {reading['r_squared'][1]:.2f}; both blocs' spending "
          f"{'rose' if rose else 'did not both rise'} over {rep.window[0]}-{rep.window[1]}.")
    if weak is None:
        print("The documented result is in 1988 dollars: supply --cpi to compare.")
    else:
        agrees = rose and weak and max(reading["r_squared"]) < 0.5
        print("Documented result on NMC v6.0 (both rose; no significant positive reaction; R^2 < 0.5): "
              + ("reproduced." if agrees else "NOT reproduced on this file."))
    return 0


if __name__ == "__main__":
    sys.exit(main())
