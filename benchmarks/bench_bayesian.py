"""Bayesian backward induction on the Zagare-Kilgour deterrence game: 10^6 parameter points vs pygambit.

Run: ``python benchmarks/bench_bayesian.py``  (about a minute; writes benchmarks/results_bayesian.md).

* deterrence: ``bayesian_backward_induction`` (sequential equilibrium + Nash-regret and one-shot
  certificates + outcome pass) on one batch of 10^6 parameter points of the shipped model
  ``zagare_kilgour_rudimentary_deterrence`` (grid p_B x a_SQ, 1000 x 1000), the model already
  evaluated; and the whole ``sweep`` (evaluation of the expressions, solving in chunks of 2^18,
  result table) over the same grid.
* pygambit 16.7, one point at a time: export to .efg text (``deterrence.io.gambit.to_efg``),
  ``read_efg``, then ``lcp_solve`` on the tree (sequence form, one equilibrium) or
  ``enumpure_agent_solve`` (pure agent-form equilibria); a random sample of points, timed per point
  and extrapolated to 10^6.  Gambit's equilibrium is compared with ours at every sampled point
  (challenge probability at the challenger's information set).
"""

from __future__ import annotations

import io
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import deterrence  # noqa: E402
from deterrence.analysis import sweep  # noqa: E402
from deterrence.io.gambit import to_efg  # noqa: E402
from deterrence.solve.bayesian import bayesian_backward_induction  # noqa: E402

N_SIDE = 1000
SAMPLE = 150


def grid():
    p = np.linspace(0, 1, N_SIDE)
    a = np.linspace(-1.9, 0.9, N_SIDE)      # a_DD = -2 < a_SQ < a_DC = 1
    P, A = np.meshgrid(p, a, indexing="ij")
    return P.ravel(), A.ravel()


def main():
    m = deterrence.load_model("zagare_kilgour_rudimentary_deterrence")
    p, a = grid()
    B = len(p)
    t0 = time.perf_counter()
    game = m.evaluate_batch({"p_B": p, "a_SQ": a})
    t_eval = time.perf_counter() - t0
    ts = []
    for _ in range(3):
        t0 = time.perf_counter()
        res = bayesian_backward_induction(game)
        ts.append(time.perf_counter() - t0)
    t_solve = statistics.median(ts)
    thr = (1 - a) / 3
    ch = res.profile.at("challenger")["challenge"] == 1
    away = np.abs(p - thr) > 1e-9
    formula_ok = bool(np.all(ch[away] == (p < thr)[away]))
    t0 = time.perf_counter()
    tab = sweep(m, {"p_B": np.linspace(0, 1, N_SIDE), "a_SQ": np.linspace(-1.9, 0.9, N_SIDE)}, chunk_size=1 << 18)
    t_sweep = time.perf_counter() - t0
    assert len(tab) == B

    # pygambit, per point
    rows = []
    try:
        import pygambit as gbt
    except ImportError:
        gbt = None
    gam = {}
    if gbt is not None:
        rng = np.random.default_rng(0)
        idx = rng.choice(B, SAMPLE, replace=False)
        for method in ("lcp", "enumpure_agent"):
            t_all, t_solver, agree = [], [], 0
            for k in idx:
                t0 = time.perf_counter()
                G = gbt.read_efg(io.StringIO(to_efg(m, p_B=float(p[k]), a_SQ=float(a[k]))))
                t1 = time.perf_counter()
                if method == "lcp":
                    eqs = gbt.nash.lcp_solve(G, use_strategic=False, rational=False).equilibria[:1]
                else:
                    eqs = gbt.nash.enumpure_agent_solve(G).equilibria
                t2 = time.perf_counter()
                t_all.append(t2 - t0)
                t_solver.append(t2 - t1)
                iset = list(list(G.players)[0].infosets)[0]
                # lcp: its one equilibrium; enumpure: ours is among the pure agent-form equilibria
                agree += int(any((float(eq[iset.actions["challenge"]]) > 0.5) == bool(ch[k]) for eq in eqs))
            gam[method] = (statistics.mean(t_all), statistics.mean(t_solver), agree)

    lines = ["# Bayesian backward induction: Zagare-Kilgour deterrence game, 10^6 parameter points", "",
             "Machine: 2 shared cores; numpy " + np.__version__ + ". "
             "`python benchmarks/bench_bayesian.py`.", "",
             f"Grid: p_B in [0, 1] x a_SQ in [-1.9, 0.9], {N_SIDE} x {N_SIDE} = {B:,} points "
             "(a_DC = 1, a_DD = -2; Defender payoffs at the defaults).", "",
             "| method | time for 10^6 points | points / s | notes |",
             "|---|---|---|---|",
             f"| `bayesian_backward_induction`, one batched call (certified) | {t_solve:.2f} s | "
             f"{B / t_solve:,.0f} | median of 3; model evaluation ({t_eval:.2f} s) not included |",
             f"| `sweep` (evaluate + solve in chunks of 2^18 + table) | {t_sweep:.2f} s | {B / t_sweep:,.0f} | "
             f"end to end |"]
    for method, (ta, tsv, agree) in gam.items():
        name = {"lcp": "pygambit `lcp_solve` (tree)", "enumpure_agent": "pygambit `enumpure_agent_solve`"}[method]
        lines.append(f"| {name}, per-point loop (extrapolated) | {ta * B:,.0f} s | {1 / ta:,.0f} | "
                     f"{ta * 1e3:.2f} ms/point incl. .efg export + parse ({tsv * 1e3:.2f} ms solver only); "
                     f"challenger's choice agrees with ours at {agree}/{SAMPLE} sampled points |")
    lines += ["",
              f"Threshold check: the challenger challenges iff p_B < (a_DC - a_SQ)/(a_DC - a_DD) at every point "
              f"off the tie line: {formula_ok}.  Points with a tie (unique = False): {int((~res.unique).sum())}.  "
              f"Max certificate regret: {float(res.regret.max()):.1e}.", ""]
    if gam:
        sp = gam["lcp"][0] * B / t_sweep
        sp2 = gam["lcp"][1] * B / t_sweep
        lines.append(f"Speed-up of the sweep over the per-point pygambit lcp loop: about {sp:,.0f}x "
                     f"(about {sp2:,.0f}x against Gambit's solver time alone, without export and parsing).")
    lines += ["",
              "Notes: timings on a machine shared with other jobs vary by up to ~2x between runs.  The solver "
              "works node-major (values `W[node, player, game]`, batch axis last, as `subgame_perfect`) in "
              "internal chunks of 2^13 games that stay in cache; the certificate (values of the profile, Nash "
              "regret by the sequence-form best response, one-shot gains given the beliefs, Bayes consistency) "
              "is one flat pass per chunk and runs on every point.  Before this layout (batch axis first, "
              "`reduceat` per stage) the same call took about 6-7 s for 10^6 points."]
    text = "\n".join(lines) + "\n"
    print(text)
    (Path(__file__).parent / "results_bayesian.md").write_text(text)


if __name__ == "__main__":
    main()
