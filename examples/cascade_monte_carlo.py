"""Many cascades at once: honour probabilities on 1914 and on a 200-state web.

Model
-----
A cascade (:func:`deterrence.networks.cascade`) is deterministic given which
triggered obligations are honoured.  With each honoured with probability
0.745 (Leeds, Long and Mitchell 2000: 74.5% of alliance commitments were
honoured when their casus foederis arose) it is random, and the Monte Carlo of
:func:`deterrence.networks.stochastic.cascade_distribution` runs all its draws
together (:mod:`deterrence.networks.vectorised`).

Expected result
---------------
On July 1914 the Monte Carlo agrees with the exact enumeration of the honour
tree within its sampling error (Germany enters with probability 0.745**2,
Britain 0.745**3, Japan 0.745**4).  On two seeded random webs of 200 states
(80 and 150 bilateral defence pacts with random conditions, stylized: not
data), the same engine gives the distribution of the war's size: the denser
web draws more states into the war (about a dozen against about thirty on
average).  A sample of draws is checked against the scalar engine draw by
draw.

Run: ``python examples/cascade_monte_carlo.py [--plot cascade_monte_carlo.png]``.
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from deterrence.library import load_network
from deterrence.networks import AllianceNetwork, Commitment, State, cascade
from deterrence.networks.stochastic import cascade_distribution
from deterrence.networks.vectorised import cascade_draws, honour_keys
from deterrence.plot.regions import require_matplotlib

H = 0.745
DRAWS = 20_000
WEBS = (80, 150)          # pacts in the two random webs
WEB_DRAWS = 5_000


def random_web(n_pacts: int, seed: int = 7, n_states: int = 200) -> tuple[AllianceNetwork, tuple[str, str]]:
    """A seeded random web: bilateral defence pacts with ATOP-style conditions drawn at random."""
    r = np.random.default_rng(seed)
    regions = ("Europe", "Asia", "Africa", "Americas")
    names = [f"s{i:03d}" for i in range(n_states)]
    states = [State(n, great_power=i < 20, regions=(regions[int(r.integers(4))],)) for i, n in enumerate(names)]
    pacts, seen = [], set()
    while len(pacts) < n_pacts:
        a, b = sorted(int(v) for v in r.choice(n_states, 2, replace=False))
        if (a, b) in seen:
            continue
        seen.add((a, b))
        u = r.random()
        kw = ({"unprovoked": True} if u < 0.25 else {"min_attackers": 2} if u < 0.35 else
              {"region": regions[int(r.integers(4))]} if u < 0.5 else {})
        pacts.append(Commitment(f"p{len(pacts)}", f"pact {len(pacts)}", "defence", [names[a], names[b]],
                                honour=H, **kw))
    net = AllianceNetwork(states, pacts, name=f"web{n_pacts}")
    degree = np.zeros(n_states, int)
    for p in pacts:
        for s in p.parties:
            degree[names.index(s)] += 1
    attacker = names[int(np.argmax(degree[:20]))]                    # the best-allied great power
    allies = {s for p in pacts if attacker in p.parties for s in p.parties}
    target = max((n for n in names[20:] if n not in allies), key=lambda n: degree[names.index(n)])
    return net, (attacker, target)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save the figure here (.png, .pdf, .svg)")
    args = ap.parse_args(argv)

    july = load_network("july_1914")
    exact = cascade_distribution(july.network, july.attack, honour=H)
    mc = cascade_distribution(july.network, july.attack, honour=H, method="monte_carlo", draws=DRAWS, seed=1)
    print(f"July 1914, honour {H}: exact enumeration ({len(exact.leaves)} branches) and Monte Carlo "
          f"({DRAWS:,} draws run together)")
    print(f"{'state':<16} {'exact':>7} {'Monte Carlo':>11} {'error/SE':>9}")
    rows = []
    for s in july.network.state_names:
        p, q = exact.p_enter[s], mc.p_enter[s]
        se = np.sqrt(p * (1 - p) / DRAWS)
        z = abs(q - p) / se if se > 0 else 0.0
        rows.append((s, p, q, se))
        print(f"{s:<16} {p:7.4f} {q:11.4f} {z:9.2f}")
        assert abs(q - p) <= 5 * se + 1e-12, f"{s}: Monte Carlo {q} far from exact {p}"
    for s, k in (("Germany", 2), ("Britain", 3), ("Japan", 4)):
        assert abs(exact.p_enter[s] - H ** k) < 1e-12

    webs = {}
    print(f"\nRandom webs of 200 states (stylized), honour {H}, {WEB_DRAWS:,} draws:")
    print(f"{'pacts':>5} {'attack':<12} {'mean size':>9} {'P(>10)':>7} {'largest':>7} {'time':>8}")
    for n_pacts in WEBS:
        net, attack = random_web(n_pacts)
        t0 = time.perf_counter()
        d = cascade_distribution(net, attack, method="monte_carlo", draws=WEB_DRAWS, seed=2)
        took = time.perf_counter() - t0
        size = d.samples.size
        webs[n_pacts] = d
        print(f"{n_pacts:>5} {attack[0] + '>' + attack[1]:<12} {size.mean():9.2f} {(size > 10).mean():7.3f} "
              f"{size.max():7d} {took:7.2f}s")
        # a sample of draws, the scalar engine as the oracle
        hm = np.random.default_rng(3).random((20, len(honour_keys(net)))) < H
        v = cascade_draws(net, attack, hm)
        keys = honour_keys(net)
        for row in range(hm.shape[0]):
            res = cascade(net, attack, honour=dict(zip(keys, hm[row].tolist())))
            want = np.full(len(net.states), -1)
            for e in res.entries:
                want[net.state_names.index(e.state)] = e.round
            assert np.array_equal(want, v.round[row]), f"draw {row} differs from the scalar engine"
    assert webs[WEBS[0]].expected_size < webs[WEBS[1]].expected_size

    if args.plot:
        plt = require_matplotlib()
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2))
        shown = [r for r in rows if 1e-9 < r[1] < 1 - 1e-9]    # the states whose entry is uncertain
        y = np.arange(len(shown))
        ax1.barh(y, [r[1] for r in shown], color="0.8", label="exact enumeration")
        ax1.errorbar([r[2] for r in shown], y, xerr=[2 * r[3] for r in shown], fmt="o", color="C0", ms=4,
                     label=f"Monte Carlo, {DRAWS:,} draws (±2 SE)")
        ax1.set_yticks(y, [r[0] for r in shown])
        ax1.invert_yaxis()
        ax1.set_xlim(0, 1)
        ax1.set_xlabel(f"P(enters the war), each obligation honoured with p = {H}")
        ax1.set_title("July 1914")
        ax1.legend(loc="lower right", fontsize=8)
        for n_pacts, color in zip(WEBS, ("C1", "C3")):
            pmf = webs[n_pacts].size_pmf
            ax2.bar(list(pmf), list(pmf.values()), width=1.0, color=color, alpha=0.6,
                    label=f"{n_pacts} pacts: mean {webs[n_pacts].expected_size:.1f} belligerents")
        ax2.set_yscale("log")
        ax2.set_xlabel("belligerents (the war's size)")
        ax2.set_ylabel("share of draws")
        ax2.set_title("Random webs of 200 states (stylized)")
        ax2.legend(loc="upper right", fontsize=8)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=120)
        print(f"figure: {args.plot}")
    print("\nOK: the Monte Carlo agrees with the exact enumeration on 1914 and with the scalar engine "
          "draw by draw on the webs.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
