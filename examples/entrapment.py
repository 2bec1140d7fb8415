"""Entrapment and abandonment: Snyder's alliance security dilemma and the blank check.

Model
-----
``models/snyder_alliance_security_dilemma.toml``: a Defender of private resolve
(Resolved with probability p_resolve, Reluctant otherwise) has pledged to
defend a Protégé; the Protégé restrains itself or provokes an Adversary; the
Adversary challenges or not; the Defender supports or abandons.  Reneging
costs the Defender its commitment strength k, or blank_check * k when the
Protégé provoked (0: a conditional commitment, 1: a blank check).  Solved for
its sequential equilibrium at every parameter point in one batched call.

Expected result
---------------
Snyder (1984): as the commitment grows stronger (k up), the risk of
abandonment falls and the risk of entrapment rises.  Benson (2012): a
conditional commitment deters the Adversary while restraining the Protégé;
an unconditional one emboldens the Protégé, and a Reluctant Defender is
dragged into its war.

Run: ``python examples/entrapment.py [--plot entrapment.png]``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

import deterrence as d
from deterrence.analysis.measure_maps import measure_map
from deterrence.analysis.measures import measure_columns
from deterrence.errors import ModelError


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save a heat map of the risk of entrapment over k and blank_check")
    ap.add_argument("--resolution", type=int, default=121, help="grid points along k for the figure (default 121)")
    args = ap.parse_args(argv)
    model = d.load_model("snyder_alliance_security_dilemma")
    base = model.defaults()

    ks = np.array([0.0, 0.25, 0.75, 1.0, 1.5, 2.0, 3.0])
    print(f"{model.title}, p_resolve = {base['p_resolve']}: risks by commitment strength k\n")
    print(f"{'k':>5}  {'commitment':<14} {'P(provoke)':>10} {'P(war)':>7} {'abandonment':>11} {'entrapment':>10}")
    rows = {}
    for label, bc in (("conditional", 0.0), ("blank check", 1.0)):
        pts = {name: np.full(ks.size, v, dtype=float) for name, v in base.items()}
        pts["k"], pts["blank_check"] = ks, np.full(ks.size, bc)
        cols = measure_columns(model, pts, "pbe", None)
        rows[label] = cols
        for i, k in enumerate(ks):
            def val(name):
                v = cols[name][i]
                if np.isnan(v):              # several equilibria that disagree: show the range
                    return f"{cols[name + '[min]'][i]:.2f}-{cols[name + '[max]'][i]:.2f}"
                return f"{v:.3f}"
            print(f"{k:5.2f}  {label:<14} {val('P_provocation'):>10} {val('P_war'):>7} "
                  f"{val('risk_of_abandonment'):>11} {val('risk_of_entrapment'):>10}")

    blank, cond = rows["blank check"], rows["conditional"]
    hi = ks >= 1.0
    assert np.all(blank["risk_of_entrapment[max]"][hi] > 0), "a strong blank check should entrap"
    assert np.all(cond["risk_of_entrapment[max]"] == 0), "a conditional commitment never entraps"
    assert np.all(cond["P_war[max]"][hi] == 0), "a strong conditional commitment deters and restrains"
    for key in ("blank check", "conditional"):
        ab = rows[key]["risk_of_abandonment[max]"]
        assert np.all(np.diff(ab) <= 1e-12), "abandonment should not rise with k (Snyder 1984)"

    if args.plot:
        from deterrence.plot.heatmap import plot_measure_map
        n = max(args.resolution, 3)
        mm = measure_map(model, "risk_of_entrapment", ("k", f"0:3:{n}"), ("blank_check", f"0:1:{max(n * 5 // 6, 3)}"))
        try:
            plot_measure_map(mm, args.plot, model=model)
            print(f"\nfigure: {args.plot}")
        except ModelError as exc:          # matplotlib missing or an unsupported file type: no figure
            print(f"\nno figure: {exc}")
    print("\nOK: a stronger commitment lowers abandonment; only an unconditional one entraps; a strong "
          "conditional commitment keeps the peace.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
