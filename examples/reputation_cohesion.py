"""Reputation across crises and alliance cohesion: when does honouring pay, when do parallel interests help?

Model
-----
``deterrence.alliances.reputation_equilibrium``: a defender of private resolve (resolute with prior pi)
faces a challenger in each of two crises; the second challenger updates its belief by Bayes' rule from
whether the defender honoured or reneged in the first (after Sartori 2005 and the reputation models of
Kreps and Wilson 1982 and Milgrom and Roberts 1982).  Here honouring costs the irresolute defender k = 1
now, being challenged in the second crisis costs it L = 2, and each challenger gains 1 from a renege and
loses 1 from an honour (so it challenges iff credibility < 1/2).

``deterrence.alliances.cohesion``: claim C12 (Kissinger: the more parallel the allies' interests, the more
cohesive the alliance) with the overlap of stakes omega; 8 allies each honouring with probability 0.745
(Leeds, Long and Mitchell 2000) whatever the overlap, so only the correlation moves.

Expected result
---------------
Honouring pays for its reputation iff the discount factor exceeds k/L = 0.5.  With prior 0.2 and delta =
0.8 the irresolute defender honours with probability 0.25 (credibility after honour 0.5, after reneging 0),
the second challenger challenges after an honour with probability 0.375, and P(challenge in crisis 2) =
0.4 * 0.375 + 0.6 = 0.75, against 0.8 when delta = 0.3 (the irresolute defender always reneges).  With
equal reliabilities, more overlap lowers collective credibility when the coalition needs at most 5 of
the 8 allies and raises it when it needs 6 or more (0.745 > P(Bin(8, 0.745) >= k)).  Even when the shared interest is
more reliable (0.95 against 0.6), so that honouring rises with overlap, a coalition needing 3 allies
loses credibility (0.9502 -> 0.95): C12 holds for honouring but fails for collective credibility there.

The claims are checked by the package's claims engine on the computed-model families
``reputation_two_crises`` and ``cohesion`` (``deterrence claims reputation_two_crises``): honouring pays iff
delta > k/L holds at every sampled point; "a defender that values its reputation more is challenged less"
(a common reading of Schelling 1966) holds on only part of the space: just above delta* the patient defender
deters the first challenger but not the second.  C12 holds for honouring exactly where p_common > p_own and
for collective credibility on part of the space; with p_common = 0.745 it fails where p_own > 0.78 (the root
of P(Bin(8, p_own) >= 6) = 0.745).

Run: ``python examples/reputation_cohesion.py [--plot reputation.png]``.
"""

from __future__ import annotations

import argparse
import re
import sys

import numpy as np

from deterrence import load_model
from deterrence.alliances import cohesion, reputation_equilibrium, reputation_threshold
from deterrence.analysis.claims import check_claims
from deterrence.errors import ModelError
from deterrence.plot.regions import require_matplotlib


def _cite(source: str) -> str:
    """The first author and year of a citation (the whole text up to 50 characters when it has no year)."""
    source = source.split(";")[0]
    m = re.search(r"\(\d{4}\)", source)
    return source[:m.end()] if m else source[:60]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save a two-panel figure (reputation over delta; credibility over overlap)")
    args = ap.parse_args(argv)

    k, L = 1.0, 2.0
    thr = float(reputation_threshold(k, L))
    print(f"Reputation: honouring pays iff delta > k/L = {thr:.3f}")
    print(f"{'prior':>5} {'delta':>5} {'sigma':>6} {'cred1':>6} {'mu_H':>6} {'mu_R':>5} {'z':>6} {'P(ch1)':>6} {'P(ch2)':>6}")
    rows = {}
    for pi in (0.2, 0.35, 0.6):
        for d in (0.3, 0.8):
            e = reputation_equilibrium(pi, d, honour_cost=k, stake=L)
            vals = [float(getattr(e, a)) for a in ("sigma", "credibility_crisis1", "credibility_after_honour",
                                                   "credibility_after_renege", "z_after_honour",
                                                   "P_challenge_1", "P_challenge_2")]
            rows[pi, d] = vals
            print(f"{pi:5.2f} {d:5.2f} " + " ".join(f"{x:6.3f}" for x in vals))
    print("  sigma: probability that an irresolute defender honours a challenge in crisis 1 (to build a reputation)\n"
          "  cred1: credibility in crisis 1, the challenger's probability that the defender fights\n"
          "  mu_H, mu_R: credibility in crisis 2 after the defender honoured, after it reneged (Bayes' rule)\n"
          "  z: probability that challenger 2 challenges after an honour (mixing where mu_H is at its threshold)\n"
          "  P(ch1), P(ch2): probability of a challenge in crisis 1, in crisis 2 (over all paths)")
    assert thr == 0.5
    s, c1, muh, mur, z, p1, p2 = rows[0.2, 0.8]
    assert abs(s - 0.25) < 1e-12 and abs(muh - 0.5) < 1e-12 and mur == 0.0 and abs(z - 0.375) < 1e-12
    assert p1 == 1.0 and abs(p2 - 0.75) < 1e-12
    assert rows[0.2, 0.3][0] == 0.0 and abs(rows[0.2, 0.3][6] - 0.8) < 1e-12
    assert rows[0.6, 0.8][5] == 0.0 and rows[0.6, 0.8][6] == 0.0         # a credible prior deters both

    n, p = 8, 0.745
    print(f"\nCohesion (C12): {n} allies, each honouring with p = {p} at every overlap")
    print(f"{'k*':>3} {'q(omega=0)':>10} {'q(omega=1)':>10}  more overlap, more credibility?")
    verdict = []
    for need in range(1, n + 1):
        c = cohesion(np.array([0.0, 1.0]), n, need, p_common=p, p_own=p)
        verdict.append(bool(c.d_credibility[0] > 0))          # q(omega) is linear: its slope decides
        print(f"{need:3d} {c.collective_credibility[0]:10.4f} {c.collective_credibility[1]:10.4f}  "
              f"{'holds' if verdict[-1] else 'fails'}")
    assert verdict == [False] * 5 + [True] * 3
    # interests whose common part is more reliable (p_c = 0.95) than the divergent ones (p_o = 0.6)
    moves = {}
    for need in (3, 6):
        c = cohesion(np.array([0.0, 1.0]), n, need, p_common=0.95, p_own=0.6)
        moves[need] = c
        print(f"p_c = 0.95, p_o = 0.6, k* = {need}: P(honour) {c.P_honour[0]:.3f} -> {c.P_honour[1]:.3f}, "
              f"credibility {c.collective_credibility[0]:.4f} -> {c.collective_credibility[1]:.4f}")
    # k* = 3: honouring rises, yet credibility falls, since P(Bin(8, 0.6) >= 3) = 0.9502 > 0.95
    assert moves[3].P_honour[1] > moves[3].P_honour[0]
    assert abs(moves[3].collective_credibility[0] - 0.9502) < 5e-5 and moves[3].collective_credibility[1] == 0.95
    assert moves[6].collective_credibility[1] > moves[6].collective_credibility[0]

    print("\nClaims, checked by the claims engine (deterrence claims reputation_two_crises; deterrence claims cohesion)")
    got = {}
    for name in ("reputation_two_crises", "cohesion"):
        for r in check_claims(load_model(name)):
            got[r.claim.id] = r
            where = ""
            if r.failing_region and r.failing_region["split"]:
                where = f"; fails where {r.failing_region['split'].split(' (')[0]}"
            print(f"  {name}:{r.claim.id}: {r.verdict} ({r.summary}{where})\n      {r.claim.statement()}  "
                  f"[{_cite(r.claim.source)}]")
    assert got["honouring_pays_iff_patient"].verdict == "holds"
    assert got["patience_deters_the_second_challenger"].verdict == "holds_on_share"
    assert got["parallel_interests_raise_credibility"].verdict == "holds_on_share"
    assert got["parallel_interests_raise_credibility_common_0745"].failing_region["split"].startswith("p_own > 0.78")

    if args.plot:
        try:
            plt = require_matplotlib()
        except ModelError:
            print("no figure: matplotlib is not installed (pip install 'deterrence[plot]')")
        else:
            deltas = np.linspace(0.0, 1.0, 401)
            e = reputation_equilibrium(0.2, deltas, honour_cost=k, stake=L)
            omega = np.linspace(0, 1, 101)
            fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.3))
            a1.plot(deltas, e.sigma, label="P(irresolute honours)")
            a1.plot(deltas, e.z_after_honour, label="P(challenge 2 | honour)")
            a1.plot(deltas, e.P_challenge_2, label="P(challenge in crisis 2)")
            a1.axvline(thr, color="grey", ls="--", lw=1)
            a1.text(thr + 0.01, 0.05, "delta* = k/L", color="grey", fontsize=8)
            a1.set_xlabel("defender's discount factor delta")
            a1.set_ylabel("probability")
            a1.set_title("Reputation (prior 0.2, k = 1, L = 2)")
            a1.legend(fontsize=8, loc="center left")
            for need in (2, 5, 6, 8):
                a2.plot(omega, cohesion(omega, n, need, p_common=p, p_own=p).collective_credibility, label=f"k* = {need}")
            a2.set_xlabel("overlap of stakes omega (correlation of honouring)")
            a2.set_ylabel("collective credibility")
            a2.set_title(f"Cohesion: {n} allies, p = {p}")
            a2.legend(fontsize=8)
            fig.tight_layout()
            fig.savefig(args.plot, dpi=120)
            print(f"figure: {args.plot}")
    print("\nOK: honouring pays for its reputation iff delta > k/L; parallel interests raise collective "
          "credibility only where the coalition needs more allies than independent honour supplies.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
