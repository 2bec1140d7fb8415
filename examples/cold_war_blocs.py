"""NATO and the Warsaw Pact as a bloc Richardson race: SIPRI's five-yearly series 1950-80 (shipped), a table
and a figure; optionally the annual fit on your Correlates of War file.

Model
-----
Richardson's arms race (Arms and Insecurity, 1960) between two blocs:
dx/dt = k*y - a*x + g (x = NATO), dy/dt = l*x - b*y + h (y = Warsaw Pact),
each bloc's spending the sum of its members'.  By default the difference form
is fitted by least squares with standard errors on the 5-year steps of
SIPRI's table (coefficients per year; 3 residual degrees of freedom).

Data
----
Shipped: military expenditure at constant 1978 prices, 1950-80 every five
years (McNeill, The Pursuit of Power, 1982, p. 374, Table 3, from the SIPRI
Yearbook 1981, Appendix 6A, p. 156).  Optional, yours: the Correlates of War
NMC v6.0 abridged file (NMC-60-abridged.csv from correlatesofwar.org) and
FRED's CPIAUCSL, for the annual 1957-88 fit in 1988 dollars (see
deterrence/cases/cold_war_blocs.py).

Expected result on the shipped table
------------------------------------
Both blocs' real spending rose about threefold 1950-80 (NATO x2.88, the Pact
x2.94) and NATO spent more in every year; the fit has the theory's signs and
k*l < a*b (a stable balance at the point estimates), but neither reaction
coefficient is significant and the margin a*b - k*l is within two standard
errors of zero.

Run: ``python examples/cold_war_blocs.py [--plot F | --no-plot]`` (the SIPRI
default), or ``python examples/cold_war_blocs.py NMC-60-abridged.csv [--cpi
CPIAUCSL.csv]`` (or set DETERRENCE_NMC and DETERRENCE_CPI) for the annual fit.
"""

from __future__ import annotations

import argparse
import os
import sys

from deterrence.cases.cold_war_blocs import NEEDS, reproduce, reproduce_sipri
from deterrence.errors import ModelError
from deterrence.io.fred import CPI_DOWNLOAD, read_fred_annual
from deterrence.io.nmc import read_nmc
from deterrence.plot.cases import plot_cold_war_blocs, plot_cold_war_sipri


def _figure(draw, rep, path) -> None:
    """Draw *rep* with *draw* (a ``deterrence.plot.cases`` function) to *path*, or say why there is no figure."""
    try:
        fig = draw(rep, path)
    except ModelError as exc:                              # matplotlib missing
        print(f"\nno figure: {exc}")
        return
    import matplotlib.pyplot as plt
    plt.close(fig)
    print(f"\nfigure: {path}")


def sipri(args) -> int:
    """The shipped default: the SIPRI table, the fit, the verdict, the facts, the figure."""
    if args.cpi:
        print("error: --cpi deflates the NMC file; the SIPRI series is already in 1978 dollars", file=sys.stderr)
        return 2
    rep = reproduce_sipri()
    print(rep.summary())
    if not args.no_plot:
        _figure(plot_cold_war_sipri, rep, args.plot)
    v, fa = rep.verdict(), rep.facts
    print(f"\nSIPRI 1950-80, per year: k = {rep.fit.estimates['k']:.3f} ({rep.fit.standard_errors['k']:.3f}), "
          f"l = {rep.fit.estimates['l']:.3f} ({rep.fit.standard_errors['l']:.3f}); "
          + ("stable balance" if v["stable_balance"] else "no stable Richardson balance")
          + f" at the point estimates; growth NATO x{fa['growth']['NATO']:.2f}, Pact x{fa['growth']['Warsaw Pact']:.2f}.")
    print(f"For the annual fit on the Correlates of War data, pass the path of {NEEDS} (or set DETERRENCE_NMC); "
          f"for 1988 dollars also get {CPI_DOWNLOAD}.")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("nmc", nargs="?", default=os.environ.get("DETERRENCE_NMC"),
                    help="the NMC v6.0 abridged CSV, for the annual fit (default: $DETERRENCE_NMC; none: the "
                         "shipped SIPRI series)")
    ap.add_argument("--cpi", default=os.environ.get("DETERRENCE_CPI"),
                    help="FRED CPIAUCSL CSV to deflate to 1988 dollars (default: $DETERRENCE_CPI; none: current "
                         "dollars)")
    ap.add_argument("--plot", default="cold_war_blocs.png", help="the figure (.png, .pdf or .svg)")
    ap.add_argument("--no-plot", action="store_true", help="print only")
    args = ap.parse_args(argv)

    if not args.nmc:
        return sipri(args)
    try:
        milex = read_nmc(args.nmc)
        cpi = read_fred_annual(args.cpi) if args.cpi else None
        rep = reproduce(milex, cpi=cpi, data=os.path.basename(args.nmc))
    except ModelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(rep.summary())

    if not args.no_plot:
        _figure(plot_cold_war_blocs, rep, args.plot)

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
