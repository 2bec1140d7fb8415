"""Sweep throughput: parameter points per second, against per-point loops over reference libraries.

Two workloads, each 10**6 parameter points (Latin-hypercube sample):

* a parametric 2x2 crisis game (Chicken for c > v > 0), ALL equilibria at each point
  (``deterrence.analysis.sweep``, concept "nash": one batched model evaluation and one
  batched closed-form/vertex solve per chunk);
* a ten-node perfect-information deterrence tree with a chance move, the SPE at each point
  (concept "spe": batched backward induction).

References, per point in a Python loop (timed on a small sample and extrapolated to 10**6;
the table says so): QuantEcon ``support_enumeration``, nashpy ``support_enumeration``,
pygambit ``enummixed_solve`` for the 2x2 game; for the tree, pygambit (building the game and
``enumpure_solve`` on its reduced strategic form is not SPE, so ``lcp_solve`` on the
extensive form, which returns one subgame-perfect-compatible equilibrium of a generic
perfect-information tree) and a plain-Python recursive backward induction.

Peak memory is measured with ``tracemalloc`` in a separate run (numpy reports its
allocations to tracemalloc).

A third table streams a grid sweep of the shipped two-node Zagare-Kilgour model (perfect
Bayesian equilibrium by Bayesian backward induction) to Parquet with ``keep=False``, at
10^6 and 10^7 points (``--stream-points``), each in a fresh subprocess whose peak resident
memory (``VmHWM``: everything, Python, numpy, pyarrow and the solver included) is
reported: it must not grow with the number of points (goal: 10^7 points under 1 GiB).

Run: ``python benchmarks/bench_sweep.py [--points N] [--stream-points N] [--stream-only]``;
writes ``benchmarks/results_sweep.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
import tracemalloc

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from deterrence.analysis import sweep  # noqa: E402
from deterrence.games.parametric import ParametricNormalForm, ParametricTree  # noqa: E402
from deterrence.symbolic.parameters import Parameter, Probability, Real  # noqa: E402


def crisis():
    P = [Parameter("c", Real(), 2.0), Parameter("v", Real(), 1.0)]
    return ParametricNormalForm(name="crisis", players=["Row", "Column"], parameters=P,
                                actions=[["Swerve", "Stand"], ["Swerve", "Stand"]],
                                payoffs={("Swerve", "Swerve"): [0, 0], ("Swerve", "Stand"): ["-v", "v"],
                                         ("Stand", "Swerve"): ["v", "-v"], ("Stand", "Stand"): ["-c", "-c"]})


def tree10():
    P = [Parameter("w", Probability(), 0.4), Parameter("a_sq", Real(), 0.0), Parameter("a_win", Real(), 2.0),
         Parameter("a_back", Real(), -0.5), Parameter("c_A", Real(), 1.0), Parameter("b_conc", Real(), -1.0),
         Parameter("b_back", Real(), 1.0), Parameter("c_B", Real(), 1.0), Parameter("b_pre", Real(), -0.8)]
    nodes = [
        {"id": "A1", "player": "Challenger", "actions": {"status_quo": "sq", "challenge": "B1"}},
        {"id": "B1", "player": "Defender", "actions": {"concede": "conc", "resist": "A2", "preempt": "pre"}},
        {"id": "A2", "player": "Challenger", "actions": {"back_down": "back", "escalate": "war"}},
        {"id": "war", "player": "chance", "actions": {"A_wins": "winA", "B_wins": "winB"},
         "probabilities": {"A_wins": "w", "B_wins": "1 - w"}},
        {"id": "sq", "payoffs": ["a_sq", 0], "outcome": "status quo"},
        {"id": "conc", "payoffs": ["a_win", "b_conc"], "outcome": "capitulation"},
        {"id": "pre", "payoffs": ["-c_A - 0.5", "b_pre"], "outcome": "preemptive war"},
        {"id": "back", "payoffs": ["a_back", "b_back"], "outcome": "challenger backs down"},
        {"id": "winA", "payoffs": ["a_win - c_A", "b_conc - c_B"], "outcome": "war"},
        {"id": "winB", "payoffs": ["-c_A", "b_back - c_B"], "outcome": "war"},
    ]
    return ParametricTree(name="tree10", players=["Challenger", "Defender"], parameters=P, nodes=nodes)


def timed(fn, repeat=2):
    best = np.inf
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak_mb(fn):
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def loop_rate(fn, sample):
    fn(0)                      # warm-up (QuantEcon's numba compilation is not counted)
    t0 = time.perf_counter()
    for k in range(sample):
        fn(k)
    return sample / (time.perf_counter() - t0)


STREAM_CODE = """
import resource, sys, time
from deterrence.analysis import sweep
from deterrence.library import load_model
m = load_model("zagare_kilgour_rudimentary_deterrence")
t0 = time.perf_counter()
t = sweep(m, {"p_B": "0:1:" + sys.argv[2]}, out=sys.argv[1], keep=False, chunk_size=1 << 16)
dt = time.perf_counter() - t0
with open("/proc/self/status") as fh:     # VmHWM: this process's peak RSS (ru_maxrss can carry the parent's)
    hwm = [int(l.split()[1]) for l in fh if l.startswith("VmHWM:")]
print(dt, t.meta["points"], hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, len(t.names))
"""


def stream_table(sizes, directory):
    """Markdown lines: the Zagare-Kilgour sweep streamed to Parquet at each size, in a fresh subprocess."""
    import subprocess
    import tempfile
    lines = ["| points | format | time (s) | points/s | peak RSS (MiB) | columns | file (MB) |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(
        [os.path.join(directory, "..")] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            out = os.path.join(tmp, "zk.parquet")
            r = subprocess.run([sys.executable, "-c", STREAM_CODE, out, str(n)], capture_output=True, text=True,
                               env=env)
            if r.returncode != 0:
                raise RuntimeError(f"streamed sweep of {n} points failed: {r.stderr[-2000:]}")
            dt, pts, rss_kib, ncols = r.stdout.split()
            size_mb = os.path.getsize(out) / 1e6
        lines.append(f"| {int(pts):,} | Parquet | {float(dt):,.1f} | {int(pts) / float(dt):,.0f} | "
                     f"{int(rss_kib) / 1024:,.0f} | {ncols} | {size_mb:,.0f} |")
    return lines


def stream_section(sizes):
    here = os.path.dirname(os.path.abspath(__file__))
    return ["## Streamed to Parquet: the Zagare-Kilgour model, memory bounded by the chunk", "",
            f"Date {time.strftime('%Y-%m-%d')}; machine {platform.machine()}, {os.cpu_count()} cores (shared), "
            f"Python {platform.python_version()}, numpy {np.__version__}.  `deterrence.analysis.sweep(model, "
            "{'p_B': '0:1:N'}, out='zk.parquet', keep=False)`, chunks of 65,536 points, each size in a fresh "
            "process; peak RSS is the whole process (VmHWM).  Goal: 10^7 points under 1 GiB.", ""] \
        + stream_table(sizes, here)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--points", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=200, help="points timed in the per-point loops")
    ap.add_argument("--stream-points", type=int, default=10_000_000,
                    help="largest streamed sweep (also run at a tenth of it)")
    ap.add_argument("--stream-only", action="store_true",
                    help="run only the streamed sweep and replace its section of the results file")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "results_sweep.md"))
    a = ap.parse_args(argv)
    N, S = a.points, a.sample
    sizes = [max(1, a.stream_points // 10), a.stream_points]
    if a.stream_only:
        marker = "## Streamed to Parquet"
        old = open(a.out).read() if os.path.exists(a.out) else "# Sweep throughput\n"
        old = old.split(marker)[0].rstrip() + "\n\n"
        text = old + "\n".join(stream_section(sizes)) + "\n"
        with open(a.out, "w") as fh:
            fh.write(text)
        print(text)
        return
    rows = []

    # ---------------------------------------------------------------- 2x2, all equilibria
    m = crisis()
    kw = dict(samples=N, names=["c", "v"], bounds={"c": (0.05, 3.0), "v": (-1.0, 1.0)}, seed=1, chunk_size=1 << 16)
    sweep(m, **dict(kw, samples=1000))   # warm-up: first-call costs (imports, compiled expressions)
    t, table = timed(lambda: sweep(m, **kw), repeat=3)
    mem = peak_mb(lambda: sweep(m, **kw))
    rows.append(("2x2 crisis game, all equilibria", "deterrence sweep (batched)", N, N / t, "measured", mem))
    rng = np.random.default_rng(2)
    cs, vs = rng.uniform(0.05, 3, S), rng.uniform(-1, 1, S)
    mats = [(np.array([[0, -v], [v, -c]]), np.array([[0, v], [-v, -c]])) for c, v in zip(cs, vs)]
    import quantecon.game_theory as qe
    rows.append(("2x2 crisis game, all equilibria", "QuantEcon support_enumeration, per point", S,
                 loop_rate(lambda k: qe.support_enumeration(qe.NormalFormGame(
                     np.stack([mats[k][0], mats[k][1]], -1))), S), f"extrapolated from {S} points", None))
    import nashpy
    rows.append(("2x2 crisis game, all equilibria", "nashpy support_enumeration, per point", S,
                 loop_rate(lambda k: list(nashpy.Game(*mats[k]).support_enumeration()), S),
                 f"extrapolated from {S} points", None))
    import pygambit as gbt

    def gambit_2x2(k):
        A, B = mats[k]
        g = gbt.Game.from_arrays(A, B)
        return gbt.nash.enummixed_solve(g, rational=False)
    rows.append(("2x2 crisis game, all equilibria", "pygambit enummixed_solve, per point", S,
                 loop_rate(gambit_2x2, S), f"extrapolated from {S} points", None))

    # ---------------------------------------------------------------- ten-node tree, SPE
    tm = tree10()
    kw = dict(samples=N, names=["w", "a_sq", "c_A", "b_back"], bounds={"a_sq": (-1, 1), "c_A": (0, 2),
                                                                      "b_back": (0, 2)}, seed=1, chunk_size=1 << 14)
    sweep(tm, **dict(kw, samples=1000))  # warm-up
    t, table = timed(lambda: sweep(tm, **kw), repeat=3)
    mem = peak_mb(lambda: sweep(tm, **kw))
    rows.append(("10-node deterrence tree, SPE", "deterrence sweep (batched)", N, N / t, "measured", mem))
    pts = {k: v[:S] for k, v in {n: table[n] for n in tm.parameter_names}.items()}
    trees = [tm.at({n: float(pts[n][k]) for n in pts}) for k in range(S)]

    def py_bi(k):        # plain-Python recursive backward induction on the numeric tree
        t = trees[k]

        def val(v):
            if t.kind[v] == 0:
                return t.payoffs[0, t.terminal[v]]
            kids = t.children(v)
            vals = [val(int(c)) for c in kids]
            if t.kind[v] == 2:
                p = t.chance_probs[0, t.child_ptr[v]:t.child_ptr[v + 1]]
                return sum(pi * x for pi, x in zip(p, vals))
            i = t.player[v]
            return max(vals, key=lambda x: x[i])
        return val(0)
    rows.append(("10-node deterrence tree, SPE", "plain-Python backward induction, per point", S,
                 loop_rate(py_bi, S), f"extrapolated from {S} points", None))
    from deterrence.io.gambit import to_efg

    def gambit_tree(k):
        g = gbt.read_efg(__import__("io").StringIO(to_efg(trees[k])))
        return gbt.nash.lcp_solve(g, rational=False)
    try:
        rows.append(("10-node deterrence tree, SPE", "pygambit (build + lcp_solve), per point", S,
                     loop_rate(gambit_tree, S), f"extrapolated from {S} points", None))
    except Exception as exc:   # noqa: BLE001 - report, do not hide
        rows.append(("10-node deterrence tree, SPE", f"pygambit failed: {type(exc).__name__}: {exc}", S,
                     float("nan"), "", None))

    lines = ["# Sweep throughput", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores (shared with other work), Python "
             f"{platform.python_version()}, numpy {np.__version__}.  Command: `python benchmarks/bench_sweep.py "
             f"--points {N} --sample {S}`.", "",
             "Per-point loops over the reference libraries are timed on a sample of points and extrapolated "
             "(points/s is the same at any size for a per-point loop); the batched sweep is timed on the full "
             f"{N:,} points (best of 3 after a warm-up sweep), end to end: sampling, model evaluation, solving, labels and table.", "",
             "| workload | method | points timed | points/s | time for 10^6 points | note | peak memory (MiB) |",
             "|---|---|---:|---:|---:|---|---:|"]
    for w, meth, n, rate, note, mem in rows:
        t6 = 1e6 / rate if rate == rate and rate > 0 else float("nan")
        lines.append(f"| {w} | {meth} | {n:,} | {rate:,.0f} | {t6:,.2f} s | {note} | "
                     f"{'' if mem is None else f'{mem:,.0f}'} |")
    lines += [""] + stream_section(sizes)
    text = "\n".join(lines) + "\n"
    with open(a.out, "w") as fh:
        fh.write(text)
    print(text)


if __name__ == "__main__":
    main()
