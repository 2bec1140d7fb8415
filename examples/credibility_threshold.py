"""Credibility threshold of deterrence (Zagare & Kilgour 2000).

Model
-----
The rudimentary asymmetric deterrence game with an uncertain defender
(Zagare, F. C. and Kilgour, D. M. (2000), *Perfect Deterrence*, Cambridge
University Press), shipped as ``models/zagare_kilgour_rudimentary_deterrence.toml``.
The Challenger accepts the status quo (SQ) or challenges; the Defender then
concedes (DC) or resists (DD). The Defender is Hard (resists) with
probability ``p_B``, the credibility of its threat, and Soft (concedes)
otherwise; the Challenger does not observe the type. With
``a_DD < a_SQ < a_DC`` the Challenger's expected payoff from a challenge is
``p_B a_DD + (1 - p_B) a_DC``.

Expected result
---------------
The Challenger is deterred (the status quo holds) if and only if

    p_B >= (a_DC - a_SQ) / (a_DC - a_DD).

The script (1) derives this threshold symbolically with sympy and checks it is
the closed form above, (2) solves the game numerically by Bayesian backward
induction on a batch of 100 000 random parameter points in one call and checks
that the numeric outcome agrees with the closed form at every point away from
the boundary, and (3) with ``--plot FILE`` (and matplotlib installed) draws the
region map over (p_B, a_DD).

Run: ``python examples/credibility_threshold.py [--plot regions.png]``.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np
import sympy

import deterrence as d
from deterrence.solve import bayesian_backward_induction
from deterrence.analysis.symbolic import threshold

MODEL = "zagare_kilgour_rudimentary_deterrence"
SQ = "status quo (SQ)"


def symbolic_threshold(model):
    """The threshold in p_B from the symbolic SPE/PBE conditions, checked against the closed form."""
    th = threshold(model, SQ, "p_B")
    a_SQ, a_DC, a_DD = sympy.symbols("a_SQ a_DC a_DD", real=True)
    closed_form = (a_DC - a_SQ) / (a_DC - a_DD)
    derived = th.expr.subs({s: sympy.Symbol(s.name, real=True) for s in th.expr.free_symbols})
    assert sympy.simplify(derived - closed_form) == 0, (
        f"symbolic threshold {th.expr} differs from Zagare & Kilgour's (a_DC - a_SQ)/(a_DC - a_DD)")
    return th


def numeric_sweep(model, n=100_000, seed=0):
    """Random points satisfying the model's orderings, solved in one batched call."""
    rng = np.random.default_rng(seed)
    a_SQ = rng.uniform(-1, 1, n)
    a_DC = a_SQ + rng.uniform(0.1, 2, n)          # a_DC > a_SQ
    a_DD = a_SQ - rng.uniform(0.1, 4, n)          # a_DD < a_SQ
    p_B = rng.uniform(0, 1, n)
    start = time.perf_counter()
    trees = model.at(p_B=p_B, a_SQ=a_SQ, a_DC=a_DC, a_DD=a_DD)
    eq = bayesian_backward_induction(trees)
    elapsed = time.perf_counter() - start
    # the Challenger's choice at its information set, for every game of the batch at once
    deterred = eq.profile.at("challenger")["status_quo"] > 0.5
    return dict(p_B=p_B, a_SQ=a_SQ, a_DC=a_DC, a_DD=a_DD, deterred=deterred, elapsed=elapsed,
                regret=float(np.max(eq.regret)), n=n)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", metavar="FILE", help="write a region map over (p_B, a_DD) to FILE (needs matplotlib)")
    ap.add_argument("--points", type=int, default=100_000, help="number of random parameter points")
    args = ap.parse_args(argv)

    model = d.load_model(MODEL)
    print(f"{model.title}\nSource: Zagare & Kilgour (2000), Perfect Deterrence\n")

    th = symbolic_threshold(model)
    print(f"Symbolic (sympy): the Challenger is deterred iff p_B >= {th.expr}")
    defaults = {k: float(v) for k, v in model.defaults().items()}
    print(f"  at the defaults a_SQ={defaults['a_SQ']:g}, a_DC={defaults['a_DC']:g}, a_DD={defaults['a_DD']:g}: "
          f"p_B* = {float(th.evaluate(defaults)):.6g}\n")

    r = numeric_sweep(model, n=args.points)
    closed = (r["a_DC"] - r["a_SQ"]) / (r["a_DC"] - r["a_DD"])
    away = np.abs(r["p_B"] - closed) > 1e-9          # ties at the boundary: either choice is optimal
    agree = r["deterred"][away] == (r["p_B"][away] >= closed[away])
    print(f"Numeric: {r['n']} random parameter points (a_DD < a_SQ < a_DC), one batched call to")
    print(f"  bayesian_backward_induction in {r['elapsed']:.2f} s, largest certified regret {r['regret']:.1e}")
    print(f"  deterred at {r['deterred'].mean():.1%} of the points; agreement with the closed form: "
          f"{agree.mean():.2%} of {int(away.sum())} points off the boundary")
    assert agree.all(), (f"numeric and symbolic disagree at {int((~agree).sum())} points, e.g. "
                         f"p_B={r['p_B'][away][~agree][0]:.4f}, threshold={closed[away][~agree][0]:.4f}")
    assert r["regret"] <= 1e-8, f"an equilibrium with regret {r['regret']:.2e} was returned"

    # the comparative static Zagare & Kilgour emphasise: costlier conflict (lower a_DD) lowers the threshold
    vals = [float(th.evaluate({**defaults, "a_DD": a})) for a in (-1.0, -2.0, -4.0)]
    print(f"\nThreshold falls as conflict gets costlier for the Challenger: a_DD = -1, -2, -4 -> "
          + ", ".join(f"{v:.3f}" for v in vals))
    assert vals[0] > vals[1] > vals[2], "the threshold should decrease as a_DD decreases"

    if args.plot:
        try:
            import matplotlib  # noqa: F401
        except ImportError:
            print("\n--plot: matplotlib is not installed; skipping the figure (pip install 'deterrence[plot]')")
        else:
            from deterrence.analysis import region_map
            from deterrence.plot import plot_regions

            rm = region_map(model, ("p_B", "0:1:101"), ("a_DD", "-4:-0.25:61"))
            plot_regions(rm, args.plot, title="Zagare & Kilgour (2000): deterrence by credibility p_B")
            print(f"\nRegion map written to {args.plot} (shares: "
                  + ", ".join(f"{k}: {v:.0%}" for k, v in rm.share().items()) + ")")
    print("\nOK: deterred iff p_B >= (a_DC - a_SQ)/(a_DC - a_DD), symbolically and numerically.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
