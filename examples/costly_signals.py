"""Tying hands versus sinking costs (Fearon 1997): every PBE of a stylized costly-signal game, by instrument.

Model
-----
``models/fearon_costly_signals.toml``: a Defender, resolved with prior probability ``p``, signals its
commitment to a protégé or not; the signal costs ``k``, a share ``hands`` of which is an audience cost (paid
only if the Defender backs down after a challenge: tying hands, ``hands = 1``) and the rest sunk (paid up
front: sinking costs, ``hands = 0``).  The Challenger sees the signal and challenges or not.  A challenged
resolved Defender fights (``v_R - d > 0``), an unresolved one backs down (``v_U - d < 0``, also with tied hands:
``v_U + hands*k < d``).  Defaults: ``v_U = 0.3``, ``d = 1``, ``x_win = 1``, ``x_war = -2``, so the Challenger
challenges iff its belief in resolve is below ``mu* = 1/3``.  A stylized two-type version of Fearon's game
(his types and costs are continuous and his Challenger has private information too): see the model file.

Derivation (``c = (1 - hands)*k``, the up-front part of the cost; the model file and
``tests/test_fearon_costly_signals.py`` give the steps)
---------------------------------------------------------------------------------------------------------
* separating (the resolved type signals, the unresolved one does not) iff ``v_U < c < d``;
* ``p < mu*``: pooling on no signal always; hybrid (the unresolved type bluffs with probability
  ``p(1 - mu*)/((1 - p) mu*)``) iff ``c < v_U``;
* ``p > mu*``: pooling on no signal always, pooling on the signal iff ``c < v_U``, hybrid iff ``c < d``.

So pure tying hands (``c = 0``) never separates in this form; sinking costs separates between ``v_U`` and ``d``.

Expected result (asserted)
--------------------------
The solver's PBE kinds match the derivation at every grid point off the boundaries, for both instruments;
sympy solves the separation thresholds ``v_U/(1 - hands) < k < d/(1 - hands)`` from the model's payoffs; at
tying hands, ``p = 0.25``, ``k = 0.5``, P(war) ranges from ``0.25 * 0.3/0.8`` (hybrid) to ``0.25`` (pooling); the
claims ``no_bluff_in_separating`` and ``separation_threshold`` hold, ``never_bluff`` and
``tying_hands_war_risk`` hold on a share only (the latter exactly where ``p < 1/3``).
The examples/signalling_resolve.py crisis is the sinking-costs case at one prior; this script compares the
instruments, over the cost and the prior.

Run: ``python examples/costly_signals.py [--plot FILE.png]``.
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

MODEL = load_model(Path(__file__).resolve().parents[1] / "models" / "fearon_costly_signals.toml")
V_U, D, MU = 0.3, 1.0, 1 / 3
REGIMES = ["pooling", "hybrid, pooling", "pooling, separating", "hybrid, pooling, separating"]


def expected_kinds(p: float, c: float) -> str:
    """The kinds of PBE the derivation predicts (off the boundaries c = v_U, c = d, p = mu*)."""
    kinds = {"pooling"}
    if V_U < c < D:
        kinds.add("separating")
    if (p < MU and c < V_U) or (p > MU and c < D):
        kinds.add("hybrid")
    return ", ".join(sorted(kinds))


def kinds_at(points: dict) -> list[str]:
    """The kinds found by the batched PBE solver at each point (every family, certified)."""
    n = len(next(iter(points.values())))
    res = signalling_pbe_batch(SignallingGame.from_tree(MODEL.at(points)))
    assert res.complete_points.all(), "the PBE enumeration should be complete at every point"
    assert np.all(res.pattern_regret[res.found] <= 1e-7), "every equilibrium is certified"
    return [", ".join(sorted({KINDS[int(c)] for c in res.kind[b][res.found[b]]})) for b in range(n)]


def full(points: dict) -> dict:
    n = len(next(iter(points.values())))
    return {k: np.asarray(points.get(k, np.full(n, v)), float) for k, v in MODEL.defaults().items()}


def symbolic_thresholds() -> None:
    """The separation thresholds and the hybrid's challenge probability, solved by sympy from the model's payoffs."""
    import sympy
    pay = {node: u[0] for node, u in MODEL.symbolic_payoffs().items()}       # the Defender's payoff expressions
    sym = MODEL.symbols()
    k, hands, v_U, d = sym["k"], sym["hands"], sym["v_U"], sym["d"]
    # separating: a signal is left alone, no signal is challenged
    mimic = pay["sq_unres_signal"] - pay["concede_unres_none"]     # the unresolved type's gain from mimicking
    signal = pay["sq_res_signal"] - pay["war_res_none"]            # the resolved type's gain from signalling
    (k_low,) = sympy.solve(sympy.Eq(mimic, 0), k)
    (k_high,) = sympy.solve(sympy.Eq(signal, 0), k)
    assert sympy.simplify(k_low - v_U / (1 - hands)) == 0 and sympy.simplify(k_high - d / (1 - hands)) == 0
    print("sympy, from the model's payoffs: separating iff v_U/(1 - hands) < k < d/(1 - hands) "
          "(the closed form v_U < (1 - hands)*k < d; no cost separates at hands = 1)")
    # hybrid with p < mu*: the unresolved type is indifferent when a signal is challenged with probability s
    s = sympy.Symbol("s")
    indiff = (1 - s) * pay["sq_unres_signal"] + s * pay["bluff_called"] - pay["concede_unres_none"]
    (s_star,) = sympy.solve(sympy.Eq(indiff, 0), s)
    c = (1 - hands) * k
    assert sympy.simplify(s_star - (v_U - c) / (v_U - c + k)) == 0
    print("sympy: in the hybrid (p < mu*) a signal is challenged with probability "
          "(v_U - (1 - hands)*k)/(v_U + hands*k)")


def table() -> None:
    rows = [(h, p, k) for h in (1.0, 0.0) for p in (0.25, 0.6) for k in (0.2, 0.5)]
    pts = {"hands": np.array([r[0] for r in rows]), "p": np.array([r[1] for r in rows]),
           "k": np.array([r[2] for r in rows])}
    found = kinds_at(pts)
    cols = measure_columns(MODEL, full(pts), "pbe", ["P_signal", "P_challenge", "P_war", "P_bluff",
                                                      "posterior_signal", "E_defender"])

    def rng(name, b):
        lo, hi = cols[f"{name}[min]"][b], cols[f"{name}[max]"][b]
        return f"{lo:.3f}" if abs(hi - lo) < 1e-9 else f"{lo:.3f}-{hi:.3f}"

    print(f"{'instrument':14} {'p':>5} {'k':>5}  {'PBE kinds':28} {'P(signal)':>12} {'P(challenge)':>12} "
          f"{'P(war)':>12} {'P(bluff)':>12} {'mu(signal)':>12} {'E[u_D]':>12}")
    for b, (h, p, k) in enumerate(rows):
        name = "tying hands" if h == 1 else "sinking costs"
        print(f"{name:14} {p:5.2f} {k:5.2f}  {found[b]:28} " + " ".join(
            f"{rng(m, b):>12}" for m in ("P_signal", "P_challenge", "P_war", "P_bluff", "posterior_signal",
                                         "E_defender")))
        assert found[b] == expected_kinds(p, (1 - h) * k), f"{name}, p={p}, k={k}: {found[b]}"
    # closed forms at tying hands, p = 0.25, k = 0.5: the hybrid's challenge of a signal s = 0.3/0.8,
    # P(war) = p s; pooling on no signal: every resolved Defender is challenged, P(war) = p
    s = V_U / (V_U + 0.5)
    assert abs(cols["P_war[min]"][1] - 0.25 * s) < 1e-9 and abs(cols["P_war[max]"][1] - 0.25) < 1e-9
    assert abs(cols["posterior_signal[max]"][1] - MU) < 1e-9       # the hybrid makes the Challenger indifferent
    print("(ranges are over the equilibria; mu(signal) is the Challenger's posterior on resolve after a signal by "
          "Bayes' rule, the prior where the signal is off the path)")


def region_maps(n_k: int = 90, n_p: int = 67):
    """Kinds of PBE over (k, p) for sinking costs and tying hands; agreement with the closed form."""
    maps = {}
    for h, kmax in ((0.0, 1.5), (1.0, D - V_U)):
        k = np.linspace(0.01, kmax - 0.01, n_k)
        p = np.linspace(0.01, 0.99, n_p)
        K, P = np.meshgrid(k, p)
        found = kinds_at({"k": K.ravel(), "p": P.ravel(), "hands": np.full(K.size, h)})
        want = [expected_kinds(pp, (1 - h) * kk) for kk, pp in zip(K.ravel(), P.ravel())]
        off = [(abs((1 - h) * kk - V_U) > 1e-6 and abs((1 - h) * kk - D) > 1e-6 and abs(pp - MU) > 1e-6)
               for kk, pp in zip(K.ravel(), P.ravel())]
        agree = np.mean([f == w for f, w, o in zip(found, want, off) if o])
        name = "tying hands" if h == 1 else "sinking costs"
        print(f"{name}: {K.size} points, agreement of the PBE kinds with the closed form: {100 * agree:.2f}%")
        assert agree == 1.0, f"{name}: the solver and the derivation disagree"
        code = np.array([REGIMES.index(f) for f in found]).reshape(K.shape)
        maps[name] = (k, p, code)
    return maps


def war_and_payoff_by_prior(k: float = 0.5, n: int = 199) -> dict:
    """Least and greatest P(war) and Defender's expected payoff over the equilibria, by prior, per instrument."""
    p = np.linspace(0.005, 0.995, n)
    out = {"p": p}
    for h, name in ((1.0, "tying hands"), (0.0, "sinking costs")):
        cols = measure_columns(MODEL, full({"p": p, "k": np.full(n, k), "hands": np.full(n, h)}), "pbe",
                               ["P_war", "E_defender"])
        out[name] = cols
    return out


def plot(maps, lines, path) -> None:
    plt = require_matplotlib()
    from matplotlib.colors import ListedColormap
    from matplotlib.patches import Patch

    colours = ["#d9d9d9", "#fdb863", "#80b1d3", "#b2abd2"]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    ax = axes[0]
    k, p, code = maps["sinking costs"]
    ax.pcolormesh(k, p, code, cmap=ListedColormap(colours), vmin=-0.5, vmax=3.5, shading="nearest")
    ax.axhline(MU, color="k", lw=0.8, ls="--")
    for x in (V_U, D):
        ax.axvline(x, color="k", lw=0.8, ls=":")
    ax.text(1.48, MU + 0.015, "p = mu* = 1/3", ha="right", fontsize=8)
    ax.set_title("PBE kinds, sinking costs: separating iff v_U < k < d\n"
                 "(tying hands: hybrid and pooling everywhere, never separating)", fontsize=10)
    ax.set_xlabel("cost of the signal k")
    ax.set_ylabel("prior P(resolved) p")
    ax.legend(handles=[Patch(color=c, label=r) for c, r in zip(colours, REGIMES)], loc="upper right",
              fontsize=7, framealpha=0.9)
    pp = lines["p"]
    for ax, m, title in ((axes[1], "P_war", "P(war) over the equilibria, k = 0.5"),
                         (axes[2], "E_defender", "Defender's expected payoff, k = 0.5")):
        for name, col in (("tying hands", "#d95f02"), ("sinking costs", "#1b9e77")):
            c = lines[name]
            ax.fill_between(pp, c[f"{m}[min]"], c[f"{m}[max]"], color=col, alpha=0.25, lw=0)
            ax.plot(pp, c[f"{m}[min]"], color=col, lw=1.2, label=f"{name}: least")
            ax.plot(pp, c[f"{m}[max]"], color=col, lw=1.2, ls="--", label=f"{name}: greatest")
        ax.axvline(MU, color="k", lw=0.8, ls="--")
        ax.set_title(title, fontsize=10)
        ax.set_xlabel("prior P(resolved) p")
        ax.legend(fontsize=7, loc="upper right" if m == "P_war" else "upper left")
    fig.suptitle("Stylized Fearon (1997): tying hands versus sinking costs (v_U = 0.3, d = 1, mu* = 1/3)")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    print(f"figure written to {path}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", metavar="FILE.png", help="draw the region maps of both instruments")
    args = ap.parse_args(argv)
    print("Tying hands versus sinking costs (Fearon 1997), stylized: every PBE of models/fearon_costly_signals.toml")
    print(f"v_U = {V_U}, d = {D}, mu* = 1/3; tying hands needs k < d - v_U = {D - V_U:.1f}\n")
    symbolic_thresholds()
    print()
    table()
    print()
    maps = region_maps()
    print("\nClaims (deterrence claims models/fearon_costly_signals.toml):")
    verdicts = {}
    for c in check_claims(MODEL, samples=150):
        verdicts[c.claim.id] = c.verdict
        split = (c.failing_region or {}).get("split") or ""
        print(f"  {c.claim.id:34} {c.verdict:15} {100 * c.share:5.1f}% of {c.n_points}  {split}")
    assert verdicts["no_bluff_in_separating"] == "holds" and verdicts["separation_threshold"] == "holds"
    assert verdicts["never_bluff"] == verdicts["tying_hands_war_risk"] == "holds_on_share"
    lines = war_and_payoff_by_prior()
    th, sc = lines["tying hands"], lines["sinking costs"]
    below = lines["p"] < MU
    # the strong set order of the claim tying_hands_war_risk, along this line: holds below mu*, fails above
    assert np.all(th["P_war[min]"][below] >= sc["P_war[min]"][below] - 1e-9)
    assert np.all(th["P_war[max]"][below] >= sc["P_war[max]"][below] - 1e-9)
    assert np.all(th["P_war[max]"][~below] == 0) and np.all(sc["P_war[max]"][~below] > 0)
    print("Along k = 0.5: tying hands' least and greatest P(war) are at least sinking costs' where p < 1/3; "
          "above, no tying-hands equilibrium has war and a sinking-costs one does.")
    if args.plot:
        try:
            plot(maps, lines, args.plot)
        except ModelError:
            print("matplotlib is not installed: no figure")
    print("\nOK: the PBE kinds match the closed form; no separating equilibrium has the unresolved type signal.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
