"""The tripartite crisis: extended deterrence under four commitments, with a protégé that may realign.

Model
-----
``models/tripartite_crisis.toml``, a stylized game after Zagare and Kilgour's
Tripartite Crisis Game (ISQ 2003) and their account of British policy in 1914
(ISR 2006).  A Challenger, not knowing the Defender's resolve (resolved with
probability p_D) nor whether its pledge binds, challenges a Protégé or not;
the Defender supports or abandons the Protégé; the Protégé resists, concedes
or realigns with the Challenger; a Challenger facing both allies fights if it
is determined (probability p_C) and backs down otherwise.  The commitment is
none (0), ambiguous, a straddle that binds with probability q unseen by the
Challenger (1), conditional on the Protégé not having provoked (2), or
unconditional (3).  Solved for its sequential equilibrium, every point of a
table in one batched call.

Expected result
---------------
At the defaults (derived by hand in tests/test_tripartite_crisis.py): no
commitment and the straddle both fail to deter; the conditional commitment
deters only after an unprovoked crisis; the unconditional one deters,
because the Protégé's threat to realign is credible.  Against a surely
determined Challenger, the unconditional commitment deters only while that
threat stays credible (Zagare and Kilgour 2006).

Run: ``python examples/tripartite_crisis.py [--plot tripartite.png]``.
"""

from __future__ import annotations

import argparse
import json
import sys

import numpy as np

import deterrence as d
from deterrence.analysis.measure_maps import measure_map
from deterrence.analysis.measures import measure_columns
from deterrence.errors import ModelError
from deterrence.plot.grid import cell_edges
from deterrence.plot.regions import require_matplotlib

TYPES = ("none", "ambiguous (straddle)", "conditional", "unconditional")
COLUMNS = (("P(challenge)", "P_challenge"), ("P(war)", "P_war"), ("P(D intervenes)", "P_defender_intervenes"),
           ("P(P concedes)", "P_protege_concedes"), ("P(P realigns)", "P_protege_realigns"),
           ("P(deterred)", "P_deterrence_succeeds"))


def table(model, cols, title):
    """Print one row per commitment type; a measure on which the equilibria disagree shows its range."""
    print(title)
    print(f"{'commitment':<22}" + "".join(f"{h:>17}" for h, _ in COLUMNS))
    for i, name in enumerate(TYPES):
        cells = []
        for _, m in COLUMNS:
            v = cols[m][i]
            cells.append(f"{cols[m + '[min]'][i]:.2f}-{cols[m + '[max]'][i]:.2f}" if np.isnan(v) else f"{v:.3f}")
        print(f"{name:<22}" + "".join(f"{c:>17}" for c in cells))
    print()


def by_type(model, **override):
    """The model's defaults (with *override*) at the four commitment types, solved in one call."""
    pts = {k: np.full(4, v, dtype=float) for k, v in model.defaults().items()}
    for k, v in override.items():
        pts[k] = np.full(4, float(v))
    pts["commitment"] = np.arange(4.0)
    return measure_columns(model, pts, "pbe", None)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save a heat map of P(deterrence succeeds) over p_D and the commitment type")
    ap.add_argument("--resolution", type=int, default=101, help="grid points along p_D for the figure")
    args = ap.parse_args(argv)
    model = d.load_model("tripartite_crisis")
    base = model.defaults()

    default = by_type(model)
    table(model, default, f"{model.title}\nat the defaults (p_D = {base['p_D']}, p_C = {base['p_C']}, "
                          f"q = {base['q']}, pi = {base['pi']}; the threat to realign is credible):")
    # by hand: sigma = 0.3, 0.51, (1 or 0.3), 1 against the Challenger's threshold 1.5/2.6 = 0.577
    assert np.allclose(default["P_challenge"], [1, 1, 0.5, 0]), default["P_challenge"]
    assert np.allclose(default["P_war"], [0.24, 0.408, 0.12, 0]), default["P_war"]

    determined = by_type(model, p_C=1.0, r_D=0.8)
    table(model, determined, "a surely determined Challenger (p_C = 1), losing the ally costs the Defender "
                             "r_D = 0.8, the threat to realign credible:")
    no_threat = by_type(model, p_C=1.0, r_D=0.8, u_R=-1.5)
    table(model, no_threat, "the same, with no credible threat to realign (u_R = -1.5 < -c_P):")
    # by hand (p_C = 1): an irresolute Defender's war is worth -2; abandoning is worth -1 - 0.8 (ally lost)
    # - 0.4 (if the pledge binds).  With the threat it fights exactly when bound: the straddle (sigma =
    # 0.3 + 0.7*0.3 = 0.51 against the threshold 1.5/2.5 = 0.6) fails, the unconditional commitment
    # deters.  Without the threat nothing makes it fight (-1.4 > -2): sigma = 0.3 < 1/2 for every type,
    # the abandoned Protégé concedes, and the unconditional commitment fails too.
    assert np.allclose(determined["P_challenge"], [1, 1, 0.5, 0]), determined["P_challenge"]
    assert np.allclose(no_threat["P_challenge"], 1) and np.allclose(no_threat["P_protege_concedes"], 0.7)

    if args.plot:
        try:
            plt = require_matplotlib()
        except ModelError as exc:                    # matplotlib missing: the only reason for no figure
            print(f"no figure: {exc}")
        else:
            n = max(args.resolution, 3)
            mm = measure_map(model, "P_deterrence_succeeds", ("p_D", f"0:1:{n}"), ("commitment", [0, 1, 2, 3]))
            # one full-height row per commitment type (plot_measure_map clips the edge cells of a grid)
            fig, ax = plt.subplots(figsize=(7.2, 4.2))
            mesh = ax.pcolormesh(cell_edges(mm.x), np.arange(5) - 0.5, mm.value, cmap="viridis", vmin=0, vmax=1,
                                 shading="flat")
            fig.colorbar(mesh, ax=ax, pad=0.03).set_label("P(deterrence succeeds)")
            ax.set_yticks([0, 1, 2, 3], labels=list(TYPES))
            ax.set_xlabel("prior probability that the Defender is resolved (p_D)")
            ax.set_ylabel("the Defender's commitment")
            ax.set_title(f"{model.title}\nP(deterrence succeeds), other parameters at their defaults "
                         f"(p_C = {base['p_C']}, q = {base['q']}, pi = {base['pi']})", fontsize="medium")
            fmt = args.plot.rsplit(".", 1)[-1].lower()
            meta = {"png": "Description", "svg": "Description", "pdf": "Subject"}.get(fmt)
            fig.savefig(args.plot, dpi=150, bbox_inches="tight",
                        metadata={meta: json.dumps({"provenance": mm.provenance}, default=str, sort_keys=True)}
                        if meta else None)
            plt.close(fig)
            print(f"figure: {args.plot}")
    print("OK: the straddle fails to deter a determined Challenger; the unconditional commitment deters it "
          "only while the Protégé's threat to realign is credible.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
