"""Collective defence with N guarantors: the batched model against per-point loops and the engine's tree solver.

Run: ``python benchmarks/bench_alliances.py``  (about a minute; writes benchmarks/results_alliances.md).

* deterrence: ``collective_defence`` on a batch of 10^6 parameter points, 32 guarantors of heterogeneous
  reliability, a common-shock correlation and a challenger strength per point (one call; median of 3).
* per-point loop: the same function called once per point (2,000 points, extrapolated to 10^6).
* textbook loop: a plain-Python Poisson-binomial recursion and shared-draw tail per point (2,000 points,
  extrapolated).
* model family ``article5:n=32,distinct=1``: the engine's batched sweep over 10^6 points against
  ``collective_defence`` on the same points and a per-point engine loop (extrapolated).
* Gambit (N = 3): the model family exported to ``.efg`` point by point and solved by pygambit's
  ``enumpure_solve`` (where installed), against ``collective_defence`` on the same points.
* engine tree (N = 3): the same model written as a game tree (the challenger's choice, a chance node for the
  common shock, chance nodes for each guarantor) and solved by ``subgame_perfect`` point by point, against
  ``collective_defence`` on the same points; the two must agree on every point's decision.
"""

from __future__ import annotations

import itertools
import math
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from deterrence.alliances import collective_defence  # noqa: E402
from deterrence.games import Chance, Decision, GameTree, Terminal  # noqa: E402
from deterrence.analysis.sweep import sweep  # noqa: E402
from deterrence.solve.spe import subgame_perfect  # noqa: E402

HERE = Path(__file__).resolve().parent


def points(n_points, n_allies=32, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.uniform(0.5, 0.95, (n_points, n_allies)), rng.uniform(0, 1, n_points),
            rng.uniform(1, 20, n_points))


def textbook(p, rho, s_c, s_t=1.0, s_a=1.0, v=1.0, d=1.0, c=0.1):
    law = [1.0]
    for pi in p:
        new = [0.0] * (len(law) + 1)
        for k, w in enumerate(law):
            new[k] += w * (1 - pi)
            new[k + 1] += w * pi
        law = new
    need = max(0, math.ceil((s_c - s_t) / s_a - 1e-12))
    srt = sorted(p, reverse=True)
    shared_tail = 1.0 if need == 0 else (srt[need - 1] if need <= len(p) else 0.0)
    indep_tail = sum(law[need:])
    q = rho * shared_tail + (1 - rho) * indep_tail
    return q, (1 - q) * v - q * d - c > 0


def tree(p, rho, s_c, s_t=1.0, s_a=1.0, v=1.0, d=1.0, c=0.1):
    n = len(p)
    need = max(0, math.ceil((s_c - s_t) / s_a - 1e-12))
    win = lambda k: -c + (v if k < need else -d)  # noqa: E731
    nodes = [Decision("root", "Challenger", {"attack": "shock", "status quo": "sq"}), Terminal("sq", [0.0]),
             Chance("shock", {"shared": ("shared", rho), "independent": ("a0", 1 - rho)})]
    srt = sorted(p, reverse=True)
    tail = [1.0] + srt + [0.0]
    nodes.append(Chance("shared", {f"K={k}": (f"s{k}", tail[k] - tail[k + 1]) for k in range(n + 1)}))
    nodes += [Terminal(f"s{k}", [win(k)]) for k in range(n + 1)]
    for depth in range(n):
        for prefix in itertools.product((0, 1), repeat=depth):
            here = "a" + str(depth) + "".join(map(str, prefix))
            kids = {}
            for x in (0, 1):
                nxt = prefix + (x,)
                kid = ("a" + str(depth + 1) + "".join(map(str, nxt))) if depth + 1 < n else \
                      ("t" + "".join(map(str, nxt)))
                kids["fights" if x else "stays out"] = (kid, p[depth] if x else 1 - p[depth])
            nodes.append(Chance(here if depth else "a0", kids))
    for pattern in itertools.product((0, 1), repeat=n):
        nodes.append(Terminal("t" + "".join(map(str, pattern)), [win(sum(pattern))]))
    return GameTree.from_nodes(["Challenger"], nodes, root="root")


def family_section(n_allies=32, n_points=10 ** 6, per_point=200):
    """The model family ``article5:n=32,distinct=1`` through the engine: the batched sweep (derived law of K,
    Bayesian backward induction, every measure) against ``collective_defence`` on the same points, and a
    per-point loop over the engine (``m.at`` and the tree solver) extrapolated."""
    import deterrence
    from deterrence.solve.bayesian import bayesian_backward_induction

    m = deterrence.load_model(f"article5:n={n_allies},distinct=1")
    rel = [f"reliability_{i}" for i in range(1, n_allies + 1)]
    bounds = {**{r: (0.5, 0.95) for r in rel}, "challenger_strength": (1.0, 20.0)}
    out = []
    for measures, label in ((None, "with every measure"), ([], "without measures")):
        t = time.perf_counter()
        tab = sweep(m, samples=n_points, names=rel + ["correlation", "challenger_strength"], bounds=bounds, seed=0,
                    measures=measures)
        out.append((label, time.perf_counter() - t, tab))
    tab = out[0][2]
    p = np.stack([tab[r] for r in rel], axis=-1)
    t = time.perf_counter()
    ref = collective_defence(p, tab["correlation"], challenger_strength=tab["challenger_strength"])
    direct = time.perf_counter() - t
    gap = np.abs((1 - ref.collective_credibility) - ref.collective_credibility - 0.1)
    clear = gap > 1e-9
    agree_cred = int(np.sum(np.abs(tab["collective_credibility[min]"] - ref.collective_credibility) < 1e-9))
    agree_war = int(np.sum(np.abs(tab["P_war"][clear] - ref.P_war[clear]) < 1e-9))
    t = time.perf_counter()
    for i in range(per_point):
        g = m.at({k: float(tab[k][i]) for k in m.parameter_names})
        bayesian_backward_induction(g)
    loop = (time.perf_counter() - t) / per_point * n_points
    (l1, t1, _), (l2, t2, _) = out
    return [f"Model family `article5:n={n_allies},distinct=1` (engine tree, {2 * (n_allies + 1)} terminals; "
            f"{n_allies} reliabilities, correlation and challenger strength per point, Latin hypercube), "
            f"10^{int(round(math.log10(n_points)))} points:", "",
            "| route | time | ratio to `collective_defence` |", "|---|---|---|",
            f"| `sweep(article5:n={n_allies},distinct=1)` {l1} (batched: derived law, Bayesian backward induction) | "
            f"{t1:.1f} s | {t1 / direct:.0f}x |",
            f"| the same sweep {l2} | {t2:.1f} s | {t2 / direct:.0f}x |",
            f"| `collective_defence` on the same points, one call | {direct:.2f} s | 1 |",
            f"| engine point by point (`m.at` + `bayesian_backward_induction`, {per_point} points, extrapolated) | "
            f"{loop:.0f} s | {loop / direct:.0f}x |", "",
            f"Collective credibility agrees on {agree_cred} of {n_points} points; P(war) on {agree_war} of "
            f"{int(clear.sum())} points that are not ties (at a tie the engine lists both equilibria).", ""]


def gambit_section(n_allies=3, n_points=300):
    """The model family ``article5:n=3,distinct=1`` exported point by point to Gambit's ``.efg`` and solved by
    pygambit's ``enumpure_solve`` (the challenger is the only player: its pure equilibria are its best
    replies), against ``collective_defence`` on the same points; the challenger's decision must agree wherever
    it is not indifferent."""
    try:
        import pygambit as gbt
    except ImportError:
        return ["pygambit is not installed: no Gambit comparison.", ""]
    import io

    import deterrence
    from deterrence.io.gambit import to_efg

    m = deterrence.load_model(f"article5:n={n_allies},distinct=1")
    p, rho, sc = points(n_points, n_allies, seed=2)
    sc = np.round(sc / 5, 3)                       # 0.2 .. 4: from no ally needed to more than all three
    t = time.perf_counter()
    ref = collective_defence(p, rho, challenger_strength=sc)
    direct = time.perf_counter() - t
    agree = compared = 0
    t = time.perf_counter()
    for i in range(n_points):
        params = {f"reliability_{j + 1}": float(p[i, j]) for j in range(n_allies)}
        params.update(correlation=float(rho[i]), challenger_strength=float(sc[i]))
        G = gbt.read_efg(io.StringIO(to_efg(m, **params)))
        eqs = gbt.nash.enumpure_solve(G).equilibria
        if len(eqs) != 1:                          # the challenger indifferent: both actions are equilibria
            continue
        ch = G.players["Challenger"]
        attacks = float(eqs[0][next(iter(ch.strategies))]) > 0.5    # the first strategy is the first action, attack
        compared += 1
        agree += attacks == bool(ref.P_attack[i])
    per = (time.perf_counter() - t) / n_points
    return [f"Gambit (pygambit {gbt.__version__}), `article5:n={n_allies},distinct=1` exported to `.efg` and solved "
            f"by `enumpure_solve` point by point, {n_points} points: {per * 1e3:.2f} ms a point including the "
            f"export and the parse ({per * 1e6:,.0f} s extrapolated to 10^6 points; `collective_defence` on the "
            f"same {n_points} points in one call: {direct * 1e3:.2f} ms, {per * n_points / direct:,.0f}x faster); "
            f"the challenger's decision agrees on {agree} of {compared} points where it is not indifferent.", ""]


def main() -> int:
    import datetime
    import os
    lines = ["# Collective defence with N guarantors", "",
             f"Run {datetime.date.today().isoformat()}, load average at start {os.getloadavg()[0]:.1f} on "
             f"{os.cpu_count()} cores (a shared machine: read the ratios, measured in the same run).", ""]
    n = 10 ** 6
    p, rho, sc = points(n)
    times = []
    for _ in range(3):
        t = time.perf_counter()
        r = collective_defence(p, rho, challenger_strength=sc)
        times.append(time.perf_counter() - t)
    batch = statistics.median(times)
    m = 2000
    t = time.perf_counter()
    for i in range(m):
        collective_defence(p[i], rho[i], challenger_strength=sc[i])
    loop = (time.perf_counter() - t) / m * n
    t = time.perf_counter()
    agree = 0
    for i in range(m):
        q, att = textbook(p[i], rho[i], sc[i])
        agree += (abs(q - r.collective_credibility[i]) < 1e-9) and (att == bool(r.P_attack[i]))
    book = (time.perf_counter() - t) / m * n
    lines += [f"10^6 parameter points, 32 guarantors of heterogeneous reliability, one call: "
              f"median {batch:.2f} s over 3 runs ({n / batch / 1e6:.2f}M points/s).", "",
              "| route | time for 10^6 points | ratio to the batch |", "|---|---|---|",
              f"| `collective_defence`, one batched call | {batch:.2f} s | 1 |",
              f"| the same function per point (2,000 points, extrapolated) | {loop:.0f} s | {loop / batch:.0f}x |",
              f"| textbook Python loop (2,000 points, extrapolated) | {book:.0f} s | {book / batch:.0f}x |", "",
              f"The textbook loop agrees with the batch on {agree} of {m} points.", ""]
    # engine tree on N = 3
    k = 300
    p3, rho3, sc3 = points(k, 3, seed=1)
    sc3 = np.round(sc3 / 4, 3)
    t = time.perf_counter()
    r3 = collective_defence(p3, rho3, challenger_strength=sc3)
    b3 = time.perf_counter() - t
    t = time.perf_counter()
    same = 0
    for i in range(k):
        g = tree(list(p3[i]), float(rho3[i]), float(sc3[i]))
        eq = subgame_perfect(g)
        choice = eq.choice()
        attacks = choice[next(iter(choice))] == "attack"      # the challenger's one information set
        same += attacks == bool(r3.P_attack[i])
    tt = time.perf_counter() - t
    lines += [f"Engine tree, N = 3 ({tree([0.5] * 3, 0.5, 2.0).n_nodes} nodes per point), {k} points: `subgame_perfect` point by point {tt:.2f} s, `collective_defence` "
              f"{b3 * 1e3:.2f} ms ({tt / b3:.0f}x); the challenger's decision agrees on {same} of {k} points.", ""]
    lines += gambit_section()
    lines += family_section()
    text = "\n".join(lines)
    (HERE / "results_alliances.md").write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
