"""Benchmark: symmetric equilibria of n-player volunteer's dilemmas (deterrence.solve.symmetric).

Run ``python benchmarks/bench_symmetric.py``.  Prints markdown tables and writes
``benchmarks/results_symmetric.md``.  Side by side in one process:

* one game, N guarantors (b = 1, c = 0.3): ``symmetric_equilibria`` against the engine's complete
  enumeration (``enumerate_nplayer``, N <= 4; refused beyond) and pygambit's ``enumpoly_solve`` (every
  equilibrium; the symmetric ones filtered out), each row checking that the symmetric equilibrium found is
  Diekmann's ``p* = 1 - (c/b)^(1/(N-1))``;
* a batch of parameter points: ``solve_symmetric_table`` on the reduced table, against a per-point loop over
  ``symmetric_equilibria`` on the strategic form (N = 12) and against the closed form ``volunteer_equilibrium``;
* random symmetric games whose payoff difference changes sign more than once (the exact isolation path);
* the family sweep ``sweep(guarantors_dilemma:n=12)`` end to end.

Takes about a minute on 2 cores.
"""

from __future__ import annotations

import datetime
import os
import pathlib
import platform
import statistics
import time

import numpy as np

from deterrence.alliances.volunteer import guarantors_game, volunteer_equilibrium
from deterrence.solve.symmetric import solve_symmetric_table, symmetric_equilibria

B_, C_ = 1.0, 0.3


def timed(f, repeat=1):
    ts, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        ts.append(time.perf_counter() - t)
    return statistics.median(ts), out


def sym_p(profiles):
    out = []
    for s in profiles:
        if all(np.allclose(x, s[0], atol=1e-6) for x in s):
            out.append(float(s[0][1]))
    return sorted(out)


def tables(n, b, c):
    b, c = np.atleast_1d(b), np.atleast_1d(c)
    U = np.zeros((len(b), 2, n))
    U[:, 0, 1:] = b[:, None]
    U[:, 1, :] = (b - c)[:, None]
    return U


def bench_one_game(rows):
    import pygambit as gbt
    from deterrence.solve.nplayer import enumerate_nplayer
    from deterrence.solve.nplayer_gambit import to_gambit
    for n in (3, 4, 5, 6, 7):
        g = guarantors_game(n, B_, C_)
        want = 1 - (C_ / B_) ** (1 / (n - 1))
        t_ours, r = timed(lambda: symmetric_equilibria(g), repeat=5)
        assert len(r.p) == 1 and abs(r.p[0] - want) < 1e-12
        rows.append((n, "deterrence symmetric_equilibria", t_ours, "1 (symmetric)", 1.0))
        if n <= 4:
            t, e = timed(lambda: enumerate_nplayer(g))
            got = sym_p([x.strategies for x in e.extreme])
            assert len(got) == 1 and abs(got[0] - want) < 1e-9
            rows.append((n, "deterrence enumerate_nplayer (complete, exact)", t, f"{len(e.extreme)} (1 symmetric)",
                         t / t_ours))
        else:
            rows.append((n, "deterrence enumerate_nplayer (complete, exact)", float("nan"), "refused (work limit)",
                         float("nan")))
        G = to_gambit(g)
        t, res = timed(lambda: gbt.nash.enumpoly_solve(G, use_strategic=True))
        profs = [[np.array([float(e[s]) for s in p.strategies]) for p in G.players] for e in res.equilibria]
        got = sym_p(profs)
        assert len(got) == 1 and abs(got[0] - want) < 1e-6, got
        rows.append((n, "pygambit enumpoly_solve (all equilibria)", t, f"{len(profs)} (1 symmetric)", t / t_ours))


def bench_batch(rows):
    rng = np.random.default_rng(0)
    for n, B in ((12, 100_000), (50, 100_000)):
        b = rng.uniform(0.5, 2.0, B)
        c = b * rng.uniform(0.01, 0.99, B)
        U = tables(n, b, c)
        t_ours, r = timed(lambda: solve_symmetric_table(U), repeat=3)
        assert np.array_equal(r.game_index, np.arange(B))
        closed = (c / b) ** (n / (n - 1))
        err = float(np.max(np.abs(r.none_probability() - closed)))
        assert err < 1e-9
        rows.append((n, B, "deterrence solve_symmetric_table (batched)", t_ours, 1.0, f"{err:.1e}"))
        t_cf, _ = timed(lambda: volunteer_equilibrium(np.full(B, n), b, c), repeat=3)
        rows.append((n, B, "closed form volunteer_equilibrium (vectorized)", t_cf, t_cf / t_ours, "(reference)"))
        if n <= 12:
            sample = 200
            t, _ = timed(lambda: [symmetric_equilibria(guarantors_game(n, float(b[k]), float(c[k])))
                                  for k in range(sample)])
            t_loop = t / sample * B
            rows.append((n, B, f"per-point loop: guarantors_game + symmetric_equilibria (extrapolated from {sample})",
                         t_loop, t_loop / t_ours, ""))


def bench_multiroot(rows):
    rng = np.random.default_rng(1)
    for n in (5, 10, 20):
        U = rng.normal(size=(4000, 2, n))
        d = U[:, 1] - U[:, 0]
        s = np.sign(d)
        V = (s[:, 1:] != s[:, :-1]).sum(1)
        U = U[V >= 2][:300]
        t, r = timed(lambda: solve_symmetric_table(U))
        rows.append((n, len(U), t, t / len(U) * 1e3, int(((r.p > 0) & (r.p < 1)).sum())))


#: the cost sampled over (0, b) at b = 1 (c has no upper bound of its own since 0 < c < b is the constraint)
COST = {"c": (0.01, 0.99)}


def bench_sweep(rows):
    import deterrence
    from deterrence.analysis import sweep
    m = deterrence.load_model("guarantors_dilemma:n=12")
    for pts in (1_000, 10_000):
        t, tab = timed(lambda: sweep(m, samples=pts, bounds=COST, measures=[]))
        assert tab.meta["concept"] == "symmetric"
        rows.append((pts, "sweep guarantors_dilemma:n=12 (default concept: symmetric), no measures", t))
        t, tab = timed(lambda: sweep(m, samples=pts, bounds=COST))
        rows.append((pts, "the same with the measures P_no_intervention, E_interveners", t))


def main():
    one, batch, multi, sw = [], [], [], []
    bench_one_game(one)
    bench_batch(batch)
    bench_multiroot(multi)
    bench_sweep(sw)
    out = ["# Symmetric equilibria (volunteer's dilemma among N guarantors)", "",
           f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}",
           f"- machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs; Python "
           f"{platform.python_version()}, numpy {np.__version__}",
           f"- load average at start {os.getloadavg()[0]:.2f} (shared machine: read the ratios)", "",
           "## One game, b = 1, c = 0.3: every row finds Diekmann's symmetric equilibrium", "",
           "| N | solver | time (ms) | equilibria | time / symmetric |", "|---:|---|---:|---|---:|"]
    for n, name, t, eq, ratio in one:
        out.append(f"| {n} | {name} | {t * 1e3:.2f} | {eq} | {ratio:.0f} |" if not np.isnan(t) else
                   f"| {n} | {name} | - | {eq} | - |")
    out += ["", "## A batch of parameter points (b, c random), the symmetric equilibrium at each", "",
            "| N | points | solver | time (s) | time / batched | max error vs closed form |",
            "|---:|---:|---|---:|---:|---|"]
    for n, B, name, t, ratio, err in batch:
        out.append(f"| {n} | {B:,} | {name} | {t:.3f} | {ratio:.2f} | {err} |")
    out += ["", "## Random symmetric games with two or more sign changes (exact rational root isolation)", "",
            "| N | games | time (s) | per game (ms) | interior roots found |", "|---:|---:|---:|---:|---:|"]
    for n, k, t, per, roots in multi:
        out.append(f"| {n} | {k} | {t:.2f} | {per:.1f} | {roots} |")
    out += ["", "## The family sweep end to end (Latin hypercube over b, c)", "",
            "| points | route | time (s) |", "|---:|---|---:|"]
    for pts, name, t in sw:
        out.append(f"| {pts:,} | {name} | {t:.2f} |")
    text = "\n".join(out) + "\n"
    print(text)
    pathlib.Path(__file__).with_name("results_symmetric.md").write_text(text)


if __name__ == "__main__":
    main()
