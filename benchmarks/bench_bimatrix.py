"""Benchmark: all equilibria of bimatrix games, deterrence vs the reference libraries.

Run ``python benchmarks/bench_bimatrix.py``.  In one run, on the same seeded
random games (payoffs standard normal), it times

* ``deterrence.solve.enumerate_equilibria`` (vertex enumeration, numpy),
* QuantEcon ``support_enumeration`` (numba; compiled on a warm-up game first),
* pygambit ``enummixed_solve`` (float and rational),
* nashpy ``vertex_enumeration`` and, once on a 9x9 game, ``support_enumeration``,

and the vectorized 2x2 batch path on 10^6 games against per-game QuantEcon and
pygambit timed on a 2000-game sample and extrapolated.  It prints a markdown
table and writes it to ``benchmarks/results_bimatrix.md``.
"""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from deterrence import NormalFormGame  # noqa: E402
from deterrence.solve import enumerate_equilibria, solve_2x2  # noqa: E402

SEED = 20240601
N_GAMES = {9: 5, 10: 5}
N_RATIONAL = 1            # pygambit rational (~7 s) and nashpy vertex (~20 s) on 9x9 only, one game
SAMPLE_2X2 = 2000
BATCH_2X2 = 1_000_000


def timed(f, *a, **k):
    t0 = time.perf_counter()
    out = f(*a, **k)
    return time.perf_counter() - t0, out


def qe_game(A, B):
    from quantecon.game_theory import NormalFormGame as QG, Player
    return QG((Player(A), Player(B.T)))


def main() -> str:
    lines = []
    out = lines.append
    import quantecon.game_theory as qgt
    import pygambit as gbt
    import nashpy

    out("# Bimatrix equilibrium enumeration benchmark")
    out("")
    out(f"- date: {datetime.datetime.now().isoformat(timespec='seconds')}")
    out(f"- machine: {platform.platform()}, {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs; Python {platform.python_version()}, numpy {np.__version__}")
    import quantecon
    out(f"- versions: quantecon {quantecon.__version__}, pygambit {gbt.__version__}, nashpy {nashpy.__version__}")
    out(f"- games: payoffs round(1000 * N(0,1)) (integers, generic), seed {SEED}; times are medians over the games (ms); "
        "pygambit rational and nashpy only on one 9x9 game (seconds each)")
    out("")

    # warm numba up
    w = np.random.default_rng(0).standard_normal((2, 4, 4))
    qgt.support_enumeration(qe_game(w[0], w[1]))
    enumerate_equilibria(NormalFormGame.from_bimatrix(w[0], w[1]))

    rng = np.random.default_rng(SEED)
    out("| size | solver | median time (ms) | equilibria found (total) | time / deterrence |")
    out("|---|---|---:|---:|---:|")
    nashpy_support_note = ""
    for size, count in N_GAMES.items():
        games = [np.round(1000 * rng.standard_normal((2, size, size))) for _ in range(count)]
        rows = {}
        ours_t, ours_n = [], 0
        for A, B in games:
            t, es = timed(enumerate_equilibria, NormalFormGame.from_bimatrix(A, B))
            ours_t.append(t)
            ours_n += len(es)
        rows["deterrence enumerate_equilibria"] = (ours_t, ours_n)
        qe_t, qe_n = [], 0
        for A, B in games:
            g = qe_game(A, B)
            t, eqs = timed(qgt.support_enumeration, g)
            qe_t.append(t)
            qe_n += len(eqs)
        rows["QuantEcon support_enumeration (numba)"] = (qe_t, qe_n)
        for rational in (False, True) if size == 9 else (False,):
            gt, gn = [], 0
            sub = games if not rational else games[:N_RATIONAL]
            for A, B in sub:
                g = gbt.Game.from_arrays(A.astype(int).astype(object), B.astype(int).astype(object))
                t, res = timed(gbt.nash.enummixed_solve, g, rational=rational)
                gt.append(t)
                gn += len(res.equilibria)
            label = f"pygambit enummixed ({'rational' if rational else 'float'})"
            if rational:
                label += f" [{len(sub)} games]"
            rows[label] = (gt, gn)
        nt, nn = [], 0
        for A, B in (games[:1] if size == 9 else []):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, eqs = timed(lambda: list(nashpy.Game(A, B).vertex_enumeration()))
            nt.append(t)
            nn += len(eqs)
        if nt:
            rows["nashpy vertex_enumeration [1 game]"] = (nt, nn)
        ref = statistics.median(ours_t)
        for name, (ts, n) in rows.items():
            med = statistics.median(ts)
            out(f"| {size}x{size} | {name} | {med * 1e3:.1f} | {n} | {med / ref:.2f} |")
        if size == 9:
            A, B = games[0]
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                t, eqs = timed(lambda: list(nashpy.Game(A, B).support_enumeration()))
            ours = len(enumerate_equilibria(NormalFormGame.from_bimatrix(A, B)))
            nashpy_support_note = (f"nashpy support_enumeration on one 9x9 game: {t:.1f} s, "
                                   f"{len(eqs)} equilibria found (deterrence: {ours}); "
                                   f"{t / statistics.median(ours_t):.0f}x the deterrence median")
            out(f"| 9x9 | nashpy support_enumeration [1 game] | {t * 1e3:.0f} | {len(eqs)} (ours {ours}) | "
                f"{t / ref:.0f} |")
    out("")
    out(nashpy_support_note)
    out("")

    # 2x2 batch
    P = np.random.default_rng(SEED + 1).standard_normal((BATCH_2X2, 2, 2, 2))
    g = NormalFormGame(P)
    solve_2x2(NormalFormGame(P[:1000]))
    runs = [timed(solve_2x2, g) for _ in range(3)]           # one call varies 0.1-0.4 s on a shared machine
    t_ours, res = statistics.median(t for t, _ in runs), runs[-1][1]
    sample = P[:SAMPLE_2X2]
    t0 = time.perf_counter()
    qe_n = sum(len(qgt.support_enumeration(qe_game(p[..., 0], p[..., 1]))) for p in sample)
    qe_per = (time.perf_counter() - t0) / SAMPLE_2X2
    t0 = time.perf_counter()
    gb_n = sum(len(gbt.nash.enummixed_solve(gbt.Game.from_arrays(p[..., 0], p[..., 1]), rational=False).equilibria)
               for p in sample)
    gb_per = (time.perf_counter() - t0) / SAMPLE_2X2
    ours_sample = int(res.counts[:SAMPLE_2X2].sum())
    out(f"## {BATCH_2X2:,} random 2x2 games, all equilibria")
    out("")
    out("| solver | time for 10^6 games (s) | per game (us) | equilibria on the 2000-game sample | time / deterrence |")
    out("|---|---:|---:|---:|---:|")
    out(f"| deterrence solve_2x2 (vectorized, median of 3 calls) | {t_ours:.2f} | {t_ours / BATCH_2X2 * 1e6:.2f} | "
        f"{ours_sample} | 1.00 |")
    out(f"| QuantEcon support_enumeration (per game, extrapolated from {SAMPLE_2X2}) | {qe_per * BATCH_2X2:.1f} | "
        f"{qe_per * 1e6:.1f} | {qe_n} | {qe_per * BATCH_2X2 / t_ours:.0f} |")
    out(f"| pygambit enummixed float (per game, extrapolated from {SAMPLE_2X2}) | {gb_per * BATCH_2X2:.1f} | "
        f"{gb_per * 1e6:.1f} | {gb_n} | {gb_per * BATCH_2X2 / t_ours:.0f} |")
    out("")
    out(f"deterrence: {len(res):,} equilibria in {BATCH_2X2:,} games, every one certified "
        f"(max regret {res.regret.max():.1e}); {int(res.degenerate.sum())} degenerate games routed to the general solver.")
    text = "\n".join(lines) + "\n"
    return text


if __name__ == "__main__":
    t0 = time.perf_counter()
    text = main()
    text += f"\n(total benchmark wall time {time.perf_counter() - t0:.0f} s)\n"
    print(text)
    (Path(__file__).resolve().parent / "results_bimatrix.md").write_text(text)
