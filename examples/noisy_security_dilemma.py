"""Noisy security dilemma: conflict spirals against misperception, and what transparency buys (claim C5).

Model
-----
The security dilemma with offence dominant (Jervis 1978): the stage game is a Prisoner's Dilemma,
T = g > R = 1 > P = 0 > S = -k, here g = 1.5 and k = 1.  Played repeatedly, cooperation is an
equilibrium when the future weighs enough (closed forms in ``deterrence.arms.security_dilemma``, checked
here against the exact best response on the automaton).  With noise, each intended move is flipped with
probability eps (misperception); transparency and confidence-building are a lower eps.  Memory-one
strategies are exact Markov chains over the four outcomes (``deterrence.dynamics.repeated``); the spiral
length is the expected number of rounds without mutual cooperation after a breakdown.

Expected result
---------------
Win-stay-lose-shift and generous tit-for-tat cooperate more as noise falls, with shorter and rarer
spirals: claim C5 holds for them.  Tit-for-tat under noise cooperates a quarter of the time whatever the
noise (its spirals last 3/(2 eps - eps^2) rounds once started), and grim trigger never leaves a spiral: for
them lower noise makes spirals rarer but not shorter, and C5 holds only in part.

The script prints the thresholds, a table of long-run cooperation and spiral length against noise for
tit-for-tat, win-stay-lose-shift, generous tit-for-tat and grim trigger, checks the exact numbers against a
seeded simulation, prints the verdicts on claim C5 per strategy, and saves a figure with ``--plot``.

Misperception: the same with each side misreading the other's moves privately (probability eps, independently
per side and round) instead of misexecuting them.  Tit-for-tat and win-stay-lose-shift answer a misread move
as a misexecuted one, so nothing changes for them; generous TFT cooperates more (its generosity forgives phantom
defections too) but rarer misreads make its spirals slightly longer; grim trigger never cooperates in the long
run once nothing but misreads can happen.  The script prints the two channels side by side, the verdicts on
claim C5 under misperception, and draws both rows of the figure.

Run: ``python examples/noisy_security_dilemma.py --plot spirals.png``.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from deterrence.arms import (balance_payoffs, check_transparency_claims, compare_channels, cooperation_thresholds,
                             one_shot, spiral_table, transparency_region)
from deterrence.dynamics.misperception import misperception_match
from deterrence.dynamics.repeated import nash_gain, simulate
from deterrence.plot.regions import require_matplotlib

G, K = 1.5, 1.0
NOISE = np.array([0.001, 0.01, 0.05, 0.1, 0.2])
NAMES = {"tit_for_tat": "tit-for-tat", "win_stay_lose_shift": "win-stay-lose-shift",
         "generous_tit_for_tat": "generous TFT (q=1/3)", "grim_trigger": "grim (memory one)",
         "grudger": "grim (never forgives)"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save the figure (cooperation and spiral length against noise)")
    args = ap.parse_args(argv)

    pay = tuple(float(x) for x in balance_payoffs(G, K))
    assert one_shot(G, K).game_type == "Prisoner's Dilemma"
    print(f"Security dilemma with offence dominant: g = {G}, k = {K}: (T, R, P, S) = {pay}, a Prisoner's Dilemma")

    # 1. the shadow of the future: closed forms, each confirmed by the exact best response just above / below
    th = cooperation_thresholds(*pay, generosity=1 / 3)
    rows = [("grim trigger", "grim_trigger", float(th.grim_trigger), "(T-R)/(T-P)"),
            ("tit-for-tat", "tit_for_tat", float(th.tit_for_tat), "max((T-R)/(T-P), (T-R)/(R-S))"),
            ("win-stay-lose-shift", "win_stay_lose_shift", float(th.win_stay_lose_shift), "(T-R)/(R-P)"),
            ("generous TFT (q=1/3)", "generous_tit_for_tat", float(th.generous_tit_for_tat),
             "(T-R)/((1-q) min(T-P, R-S))")]
    print("\nLeast discount factor at which mutual cooperation is an equilibrium:")
    for label, name, d0, formula in rows:
        gains = nash_gain(name, name, np.array([d0 - 1e-6, d0 + 1e-6]), pay)
        assert gains[0] > 0 and gains[1] <= 1e-9, f"{label}: closed form and exact best response disagree"
        print(f"  {label:22s} delta >= {d0:.4f}   {formula}")
    assert np.isclose(th.grim_trigger, 1 / 3) and np.isclose(th.tit_for_tat, 1 / 3)
    assert np.isclose(th.win_stay_lose_shift, 0.5) and np.isclose(th.generous_tit_for_tat, 0.5)

    # 2. spirals against noise (exact), one batched call per strategy
    tabs = {s: spiral_table(s, NOISE, payoffs=pay) for s in NAMES}
    print("\nLong-run mutual cooperation (share of rounds) and spiral length (rounds) against noise:")
    print(f"  {'noise':>7} " + " ".join(f"{NAMES[s]:>24}" for s in NAMES))
    for i, e in enumerate(NOISE):
        cells = []
        for s in NAMES:
            c, L = tabs[s]["cooperation"][i], tabs[s]["spiral_length"][i]
            cells.append(f"{c:7.3f} / {('never ends' if np.isinf(L) else f'{L:8.1f}'):>10}   ")
        print(f"  {e:7.3f} " + " ".join(f"{x:>24}" for x in cells))
    tft, wsls = tabs["tit_for_tat"], tabs["win_stay_lose_shift"]
    assert np.allclose(tft["cooperation"], 0.25), "TFT's chain is doubly stochastic: cooperation 1/4 at any noise"
    assert np.all(np.diff(tft["spiral_length"]) < 0), "TFT spirals lengthen as noise falls"
    assert np.all(np.diff(wsls["cooperation"]) < 0) and np.all(np.diff(wsls["spiral_length"]) > 0)
    assert wsls["spiral_length"][0] < 2.01 and tft["spiral_length"][0] > 400

    # 3. the exact chain against a seeded simulation (20 matches of 5,000 rounds at noise 0.05)
    print("\nExact against simulation at noise 0.05 (20 seeded matches of 5,000 rounds):")
    for s in ("tit_for_tat", "win_stay_lose_shift", "generous_tit_for_tat"):
        sim = simulate(s, s, 0.05, turns=5000, matches=20, seed=7, payoffs=pay)
        exact_c, exact_l = tabs[s]["cooperation"][2], tabs[s]["spiral_length"][2]
        sim_c, sim_l = sim.cooperation.mean(), sim.spiral_lengths().mean()
        se = sim.cooperation.std(ddof=1) / np.sqrt(sim.cooperation.size)
        assert abs(sim_c - exact_c) < 5 * se + 0.005, (s, sim_c, exact_c)
        assert abs(sim_l - exact_l) < 0.15 * exact_l, (s, sim_l, exact_l)
        print(f"  {NAMES[s]:22s} cooperation {exact_c:.3f} exact, {sim_c:.3f} simulated; spiral "
              f"{exact_l:.2f} exact, {sim_l:.2f} simulated")

    # 4. claim C5, per strategy
    print("\nClaim C5 (transparency = lower noise), noise grid 0.001 to 0.25:")
    verdicts = check_transparency_claims(tuple(NAMES))
    for v in verdicts:
        print(f"  {NAMES[v.strategy]:22s} {v.claim:34s} {v.verdict}")
    got = {(v.strategy, v.claim): v.verdict for v in verdicts}
    assert got[("win_stay_lose_shift", "transparency_shortens_spirals")] == "holds"
    assert got[("tit_for_tat", "transparency_shortens_spirals")] == "fails"
    region = transparency_region(0.1)
    n = len(region.strategies)
    print(f"\nWhere C5 holds among {n} memory-one strategies (1, p_CD, p_DC, p_DD), p on a 0.1 grid:")
    for cid, share in region.share.items():
        print(f"  {cid:34s} holds for {100 * share:5.1f}% of them")
    wsls = np.flatnonzero(np.all(region.strategies == [1, 0, 0, 1], axis=1))[0]
    assert region.holds["transparency_shortens_spirals"][wsls]
    assert region.share["transparency_shortens_spirals"] < region.share["transparency_raises_cooperation"]

    # 5. misperception against misexecution (same rates), exact
    print("\nMisexecution (a flipped move both see) against misperception (a move misread privately), same rate:")
    print(f"  {'strategy':22s} {'noise':>6}  {'cooperation exec / misread':>27}  {'spiral length exec / misread':>29}")
    rows = compare_channels(tuple(NAMES), NOISE, payoffs=pay)
    for r in rows:
        for i in (0, 2, 4):
            le, lp = r.spiral_length_execution[i], r.spiral_length_perception[i]
            fmt = lambda L: "never ends" if np.isinf(L) else f"{L:10.1f}"
            print(f"  {NAMES[r.strategy]:22s} {r.noise[i]:6.3f}  {r.cooperation_execution[i]:12.3f} / "
                  f"{r.cooperation_perception[i]:<12.3f}  {fmt(le):>13} / {fmt(lp):<13}"
                  + ("  (same chain)" if r.equivalent and i == 0 else ""))
    comp = {r.strategy: r for r in rows}
    assert comp["tit_for_tat"].equivalent and comp["win_stay_lose_shift"].equivalent
    g = comp["generous_tit_for_tat"]
    assert np.all(g.cooperation_perception > g.cooperation_execution)
    # generous TFT is reactive: Nowak and Sigmund's (1990) stationary cooperation with the misread-adjusted
    # responses a = 1 - eps (1 - q), b = q + eps (1 - q) gives pi_CC = (b / (1 - a + b))^2, by hand
    q, e = 1 / 3, NOISE
    a, b = 1 - e * (1 - q), q + e * (1 - q)
    assert np.allclose(g.cooperation_perception, (b / (1 - a + b)) ** 2)
    assert np.all(comp["grim_trigger"].cooperation_perception == 0)
    # the joint chain of the two sides' records: spirals under pure misperception all start with a misread
    j = misperception_match("win_stay_lose_shift", "win_stay_lose_shift", 0.05, 0.0, pay)
    assert abs(float(j.misperceived_start) - 1) < 1e-9
    j2 = misperception_match("win_stay_lose_shift", "win_stay_lose_shift", 0.05, 0.05, pay)
    print(f"\n  WSLS with 5% accidents and 5% misreads: {100 * float(j2.misperceived_start):.0f}% of spirals start "
          f"with a misread (the joint chain of the two sides' records)")

    # 6. claim C5 under misperception: transparency lowers the misread rate, no accidents
    print("\nClaim C5 under misperception (perception noise 0.001 to 0.25, no accidents):")
    pv = check_transparency_claims(tuple(NAMES), channel="perception")
    for v in pv:
        print(f"  {NAMES[v.strategy]:22s} {v.claim:34s} {v.verdict}")
    got_p = {(v.strategy, v.claim): v.verdict for v in pv}
    assert got_p[("win_stay_lose_shift", "transparency_shortens_spirals")] == "holds"
    assert got_p[("generous_tit_for_tat", "transparency_shortens_spirals")] == "fails"
    assert got_p[("generous_tit_for_tat", "transparency_raises_cooperation")] == "holds"
    region_p = transparency_region(0.1, channel="perception")
    n_p = int(region_p.judged.sum())
    print(f"\nWhere C5 holds under misperception among the {n_p} memory-one strategies (1, p_CD, p_DC, p_DD) whose "
          f"long run is unique ({len(region_p.strategies) - n_p} left out: with no accidents, their long run depends on "
          f"the first move):")
    for cid, share in region_p.share.items():
        print(f"  {cid:34s} holds for {100 * share:5.1f}% of them (under misexecution {100 * region.share[cid]:5.1f}%)")

    if args.plot:
        plt = require_matplotlib()
        fine = np.geomspace(1e-3, 0.3, 300)
        fig, axes = plt.subplots(2, 2, figsize=(11, 8.4))
        for row, channel in enumerate(("execution", "perception")):
            ax1, ax2 = axes[row]
            for s, c in zip(NAMES, ("C0", "C1", "C2", "C3", "C4")):
                if channel == "execution":
                    t = spiral_table(s, fine, payoffs=pay)
                else:
                    t = spiral_table(s, 0.0, payoffs=pay, perception_noise=fine)
                style = dict(color=c, label=NAMES[s], ls="--" if s == "grudger" else "-",
                             lw=1.5 if s == "grudger" else 2.5 if s == "grim_trigger" else 1.5)
                ax1.plot(fine, t["cooperation"], **style)
                if np.all(np.isfinite(t["spiral_length"])):
                    ax2.plot(fine, t["spiral_length"], **style)
            word = "misexecuted (both see it)" if channel == "execution" else "misread (privately)"
            ax1.set_xscale("log")
            ax1.set_xlabel(f"{channel} noise: probability a move is {word}")
            ax1.set_ylabel("long-run share of mutual cooperation")
            ax2.set_xscale("log")
            ax2.set_yscale("log")
            ax2.set_xlabel("execution noise" if channel == "execution" else "perception noise (no accidents)")
            ax2.set_ylabel("expected spiral length (rounds)")
            ax1.legend(fontsize=8)
            ax2.legend(fontsize=8)
            if channel == "execution":
                ax1.set_title("Misexecution: transparency raises cooperation for WSLS\nand GTFT, not for TFT (1/4) or "
                              "grim trigger")
                ax2.set_title("Lower noise: TFT and grim spirals grow longer,\nWSLS and GTFT spirals stay short")
                ax2.text(0.03, 0.17, "grim (never forgives): a spiral never ends", transform=ax2.transAxes,
                         fontsize=8, color="C4")
            else:
                ax1.set_title("Misperception: GTFT cooperates more than under\nmisexecution; grim never cooperates")
                ax2.set_title("Fewer misreads: TFT spirals grow longer, GTFT's\ngrow slightly longer, WSLS's stay short")
                ax2.text(0.03, 0.17, "both grim strategies: a spiral never ends", transform=ax2.transAxes,
                         fontsize=8, color="C3")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=150)
        print(f"\nfigure: {args.plot}")
    print("\nOK: transparency (lower noise) shortens spirals and raises cooperation for win-stay-lose-shift and "
          "generous TFT;\n    for tit-for-tat and grim trigger it makes spirals rarer but longer; under "
          "misperception generous TFT's spirals lengthen too.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
