"""Spiral or deterrence under uncertainty: costly reassurance by a rival of unknown motive (Jervis 1976, Kydd 1997).

Model
-----
``models/kydd_reassurance.toml`` (stylized, two types): the Rival is a security seeker with prior probability
``p``, greedy otherwise; it restrains (a reassuring gesture costing ``k``) or arms; the State sees the gesture,
not the motive, and cooperates or arms.  A security seeker values the State's cooperation at ``w_S = 2``, a
greedy Rival at ``g = 1`` (its gain from exploiting); the State loses ``l = 2`` if it cooperates with a greedy
Rival and pays ``a = 1`` for arming, so it cooperates iff its belief in a security seeker is at least
``mu* = 1 - a/l = 1/2``.  Jervis, R. (1976), *Perception and Misperception in International Politics*, ch. 3;
Kydd, A. (1997), "Game theory and the spiral model", *World Politics* 49(3): 371-400; Kydd (2005), *Trust and
Mistrust in International Relations*.  The one-shot classification (Prisoner's Dilemma or Stag Hunt) is
``examples/spiral_vs_deterrence.py``; this script adds private motives and the gesture that may reveal them.

Derivation (the model file and ``tests/test_kydd_reassurance.py`` give the steps)
---------------------------------------------------------------------------------
* pooling on arming always; separating (reassurance) iff ``g < k < w_S``, at any prior;
* ``p < mu*``: a spiral (both arm, both security seekers) with probability ``p`` when both pool on arming;
  hybrid (greedy types sometimes mimic the gesture) iff ``k < g``;
* ``p > mu*``: the State cooperates after arming in pooling (exploitation ``1 - p``); pooling on restraint iff
  ``k < g``; a hybrid with spiral probability ``(1 - p) mu*/(1 - mu*) k/w_S`` iff ``k < w_S``.

So the spiral model is right (a spiral in some equilibrium, no exploitation in any) where ``p < mu*`` and
``k > g``; the deterrence model is right (exploitation in some equilibrium, no spiral in any) where ``p > mu*``
and ``k > w_S``; elsewhere both dangers exist in some equilibrium.

Expected result (asserted)
--------------------------
The solver's PBE kinds match the derivation at every table row and grid point off the boundaries; at
``p = 0.3, k = 0.5`` the greatest P(exploitation) is ``0.15`` (hybrid) and P(spiral) ranges over ``0-0.3``; at
``p = 0.7, k = 1.5`` the greatest P(spiral) is ``0.225`` (hybrid); the regions of the figure agree with the
closed form at every point; the claim ``costly_reassurance_separates`` holds and ``spiral_only_at_low_prior``
holds on a share only.

Run: ``python examples/spiral_vs_deterrence_kydd.py [--plot FILE.png]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from deterrence import load_model
from deterrence.analysis.claims import check_claims
from deterrence.analysis.measures import measure_columns
from deterrence.errors import ModelError
from deterrence.games import SignallingGame
from deterrence.plot.regions import require_matplotlib
from deterrence.solve import signalling_pbe_batch
from deterrence.solve.pbe_signalling_batch import KINDS

MODEL = load_model(Path(__file__).resolve().parents[1] / "models" / "kydd_reassurance.toml")
W_S, G, MU = 2.0, 1.0, 0.5
REGIONS = ["spiral model right", "spiral model right; reassurance can separate", "both dangers",
           "both dangers; reassurance can separate", "deterrence model right"]


def expected_kinds(p: float, k: float) -> str:
    kinds = {"pooling"}
    if G < k < W_S:
        kinds.add("separating")
    if (k < W_S and p > MU) or (k < G and p < MU):
        kinds.add("hybrid")
    return ", ".join(sorted(kinds))


def expected_region(p: float, k: float) -> str:
    """From the closed form: spiral in some PBE iff p < mu* or k < w_S; exploitation iff p > mu* or k < g."""
    spiral = p < MU or k < W_S
    exploit = p > MU or k < G
    sep = G < k < W_S
    if spiral and not exploit:
        return REGIONS[1] if sep else REGIONS[0]
    if exploit and not spiral:
        return REGIONS[4]
    return REGIONS[3] if sep else REGIONS[2]


def full(points: dict) -> dict:
    n = len(next(iter(points.values())))
    return {k: np.asarray(points.get(k, np.full(n, v)), float) for k, v in MODEL.defaults().items()}


def kinds_at(points: dict) -> list[str]:
    res = signalling_pbe_batch(SignallingGame.from_tree(MODEL.at(points)))
    assert res.complete_points.all(), "the PBE enumeration should be complete at every point"
    assert np.all(res.pattern_regret[res.found] <= 1e-7), "every equilibrium is certified"
    n = len(next(iter(points.values())))
    return [", ".join(sorted({KINDS[int(c)] for c in res.kind[b][res.found[b]]})) for b in range(n)]


def table() -> None:
    rows = [(p, k) for p in (0.3, 0.7) for k in (0.5, 1.5, 2.5)]
    pts = {"p": np.array([r[0] for r in rows]), "k": np.array([r[1] for r in rows])}
    found = kinds_at(pts)
    names = ["P_spiral", "P_exploitation", "P_reassurance", "posterior_restraint"]
    cols = measure_columns(MODEL, full(pts), "pbe", names)

    def rng(name, b):
        lo, hi = cols[f"{name}[min]"][b], cols[f"{name}[max]"][b]
        return f"{lo:.3f}" if abs(hi - lo) < 1e-9 else f"{lo:.3f}-{hi:.3f}"

    print(f"{'p':>5} {'k':>5}  {'PBE kinds':28} {'P(spiral)':>12} {'P(exploit)':>12} {'P(reassure)':>12} "
          f"{'mu(restrain)':>12}")
    for b, (p, k) in enumerate(rows):
        print(f"{p:5.2f} {k:5.2f}  {found[b]:28} " + " ".join(f"{rng(m, b):>12}" for m in names))
        assert found[b] == expected_kinds(p, k), f"p={p}, k={k}: {found[b]}"
    # closed forms: p = 0.3, k = 0.5 (hybrid b: exploitation p(1-mu*)/mu* k/g; pooling on arming: spiral p)
    assert np.isclose(cols["P_exploitation[max]"][0], 0.3 * 0.5 / G) and np.isclose(cols["P_spiral[max]"][0], 0.3)
    # p = 0.7, k = 1.5 (hybrid a: spiral (1-p) mu*/(1-mu*) k/w_S)
    assert np.isclose(cols["P_spiral[max]"][4], 0.3 * 1.5 / W_S)
    # separating at g < k < w_S: the gesture reveals a security seeker (posterior 1)
    assert np.isclose(cols["posterior_restraint[max]"][1], 1) and np.isclose(cols["posterior_restraint[max]"][4], 1)
    print("(ranges are over the equilibria; mu(restrain) is the State's posterior that the Rival is a security "
          "seeker after the gesture, by Bayes' rule, the prior where no type restrains)")


def region_grid(n_k: int = 60, n_p: int = 50):
    k = np.linspace(0.03, 2.98, n_k)             # off the boundaries k = g, k = w_S and p = mu*
    p = np.linspace(0.01, 0.99, n_p)
    K, P = np.meshgrid(k, p)
    pts = {"k": K.ravel(), "p": P.ravel()}
    cols = measure_columns(MODEL, full(pts), "pbe", ["P_spiral", "P_exploitation", "separating"])
    spiral = np.asarray(cols["P_spiral[max]"]) > 1e-9
    exploit = np.asarray(cols["P_exploitation[max]"]) > 1e-9
    sep = np.asarray(cols["separating[max]"]) > 1 - 1e-9
    found = []
    for s, e, q in zip(spiral, exploit, sep):
        if s and not e:
            found.append(REGIONS[1] if q else REGIONS[0])
        elif e and not s:
            found.append(REGIONS[4])
        else:
            found.append(REGIONS[3] if q else REGIONS[2])
    off = [min(abs(kk - G), abs(kk - W_S)) > 1e-6 and abs(pp - MU) > 1e-6 for kk, pp in zip(K.ravel(), P.ravel())]
    want = [expected_region(pp, kk) for kk, pp in zip(K.ravel(), P.ravel())]
    agree = np.mean([f == w for f, w, o in zip(found, want, off) if o])
    print(f"region map: {K.size} points, agreement with the closed form: {100 * agree:.2f}%")
    assert agree == 1.0, "the solver's regions and the derivation disagree"
    code = np.array([REGIONS.index(f) for f in found]).reshape(K.shape)
    return k, p, code


def plot(k, p, code, path) -> None:
    plt = require_matplotlib()
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    colours = ["#d7301f", "#fc8d59", "#d9d9d9", "#b2abd2", "#4575b4"]
    fig, ax = plt.subplots(figsize=(9, 5))
    ax.pcolormesh(k, p, code, cmap=ListedColormap(colours), vmin=-0.5, vmax=4.5, shading="nearest")
    ax.axhline(MU, color="k", lw=0.8, ls="--")
    for x in (G, W_S):
        ax.axvline(x, color="k", lw=0.8, ls=":")
    ax.text(2.95, MU + 0.015, "p = mu* = 1 - a/l", ha="right", fontsize=8)
    ax.text(G, 0.03, " k = g", fontsize=8)
    ax.text(W_S, 0.03, " k = w_S", fontsize=8, color="w")
    ax.set_xlabel("cost of the reassuring gesture k")
    ax.set_ylabel("prior that the Rival is a security seeker p")
    ax.set_title("Stylized Kydd (1997): spiral (some PBE) vs exploitation (some PBE)\n"
                 "w_S = 2, g = 1, l = 2, a = 1", fontsize=10)
    fig.legend(handles=[Patch(color=c, label=r) for c, r in zip(colours, REGIONS)], loc="center right",
               fontsize=8)
    fig.tight_layout(rect=(0, 0, 0.66, 1))
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"figure written to {path}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", metavar="FILE.png", help="draw the region map over the cost and the prior")
    args = ap.parse_args(argv)
    print("Spiral or deterrence with private motives (Jervis 1976, Kydd 1997), stylized: every PBE of "
          "models/kydd_reassurance.toml")
    print(f"w_S = {W_S}, g = {G}, mu* = {MU}\n")
    table()
    print()
    k, p, code = region_grid()
    print("\nClaims (deterrence claims models/kydd_reassurance.toml):")
    verdicts = {}
    for c in check_claims(MODEL, samples=150):
        verdicts[c.claim.id] = c.verdict
        print(f"  {c.claim.id:32} {c.verdict:15} {100 * c.share:5.1f}% of {c.n_points}")
    assert verdicts["costly_reassurance_separates"] == "holds" and verdicts["no_greedy_reassurance"] == "holds"
    assert verdicts["spiral_only_at_low_prior"] == "holds_on_share"
    if args.plot:
        try:
            plot(k, p, code, args.plot)
        except ModelError:
            print("matplotlib is not installed: no figure")
    print("\nOK: the PBE kinds and the spiral/deterrence regions match the closed form.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
