"""Sweeps of signalling and other incomplete-information trees (concept "pbe", perfect_bayesian_batch).

Expected regions and probabilities are derived by hand in the comments.
"""

from pathlib import Path

import numpy as np
import pytest

from deterrence.analysis.sweep import sweep
from deterrence.io.model_file import load

BENCH = Path(__file__).resolve().parents[1] / "benchmarks"


def test_costly_escalation_region_map():
    # Resolved (prior p) / irresolute challenger; escalating costs c; concession worth 2 / 1; the target
    # resists a resolved challenger at a loss of 1 and an irresolute one at a gain of 1, so it concedes iff
    # P(resolved) >= 1/2.  Backing down by both types is always an equilibrium (escalation read as
    # irresolute: resisted).  Separating (only the resolved escalates, conceded): resolved 2 - c >= 0 and
    # irresolute 1 - c <= 0, i.e. 1 <= c <= 2.  Hybrid with the resolved escalating and the irresolute
    # bluffing so that P(resolved | escalate) = 1/2: needs p < 1/2 and the irresolute indifferent, possible
    # iff c < 1.  Pooling on escalation needs p >= 1/2 and c <= 1.  Above c = 2 only backing down is left.
    m = load(BENCH / "costly_escalation_signalling.toml")
    t = sweep(m, {"p": [0.3, 0.7], "c": [0.5, 1.5, 2.5]})
    back = "pooling [resolved: back_down; irresolute: back_down]"
    got = {(p, c): set(o.split(" | ")) for p, c, o in zip(t["p"], t["c"], t["outcome"])}
    assert got[(0.3, 0.5)] == {"hybrid [resolved: escalate; irresolute: escalate+back_down]", back}
    assert got[(0.3, 1.5)] == {"separating [resolved: escalate; irresolute: back_down]", back}
    assert got[(0.3, 2.5)] == got[(0.7, 2.5)] == {back}
    assert "pooling [resolved: escalate; irresolute: escalate]" in got[(0.7, 0.5)]
    assert t["complete"].all()
    # c = 2.5: three pooling families (after the unsent escalation the target resists, concedes, or mixes at
    # the belief 1/2), all with the same outcome: the target resists a back-down (belief 0.3 < 1/2), status
    # quo for sure; so the probabilities are filled although the equilibrium is not unique
    k = int(np.flatnonzero((t["p"] == 0.3) & (t["c"] == 2.5))[0])
    assert t["n_equilibria"][k] == 3
    assert t["P(status quo)"][k] == pytest.approx(1.0) and t["payoff(Challenger)"][k] == pytest.approx(0.0)
    # c = 0.5, p = 0.3: the hybrid and the pooling differ on the path: no single probability
    k = int(np.flatnonzero((t["p"] == 0.3) & (t["c"] == 0.5))[0])
    assert np.isnan(t["P(status quo)"][k])


def test_alliance_tree_sweep_matches_hand_solution():
    # The 137-node benchmark tree (challenger vs three allies of private resolve).  An ally's payoff is r - k
    # (Hard) or -k (Soft) if it honours and 0 if it walks, whatever the others do: Hard allies honour, Soft
    # ones walk, at every information set.  Attacking then yields v = 1 if no ally is Hard (prob (1-p)^3)
    # and 0.5 q^(n-1) - c with n Hard allies: at p = 0.75 the expected payoff is
    # (1 + 9(-0.3) + 27(-0.55) + 27(-0.675))/64 < 0 (refrain); at p = 0.05 it is positive (attack), and the
    # member is abandoned with probability 0.95^3 = 0.857375.
    m = load(BENCH / "three_ally_strategic_pbe.toml")
    t = sweep(m, {"p": [0.05, 0.75]})
    assert "point by point" in t.meta["computes"]
    assert list(t["n_equilibria"]) == [1, 1]
    assert t["complete_pure"].all() and not t["complete"].any()     # mixed equilibria were not sought
    assert t["P(no attack)"][1] == pytest.approx(1.0)
    assert t["P(member abandoned)"][0] == pytest.approx(0.95 ** 3)
    assert t["P(alliance war)"][0] == pytest.approx(1 - 0.95 ** 3)


def test_measures_over_every_signalling_equilibrium():
    # Measures need every equilibrium of each point.  At p = 0.3, c = 0.5 (the hybrid above): the irresolute
    # type escalates with probability s, 0.3 / (0.3 + 0.7 s) = 1/2 so s = 3/7; it is indifferent when the
    # target resists an escalation with probability rho: 1 - c - rho = 0 (backing down is resisted), rho = 1/2;
    # P(war) = P(escalate) rho = (0.3 + 0.7 * 3/7) / 2 = 0.3.  The pooling families on backing down have no
    # war and no escalation, so the measures range over [0, 0.3] and [0, 3/7].
    from deterrence.io.model_file import loads
    text = (BENCH / "costly_escalation_signalling.toml").read_text()
    text = text.replace('outcome = "war"\n', 'outcome = "war"\ntags = ["war"]\n') + """
[measures.P_war]
expr = "P_war"
meaning = "Probability of war"
unit = "probability"

[measures.bluff]
expr = "esc"
meaning = "Probability that an irresolute challenger escalates"
unit = "probability"
actions = { esc = { infoset = "challenger_irresolute", action = "escalate" } }
"""
    t = sweep(loads(text), {"p": [0.3], "c": [0.5, 2.5]})
    assert t["equilibria_measured"][0] == 3
    assert t["P_war[min]"][0] == 0 and t["P_war[max]"][0] == pytest.approx(0.3)
    assert t["bluff[max]"][0] == pytest.approx(3 / 7) and np.isnan(t["bluff"][0])
    assert t["P_war"][1] == 0 and t["bluff"][1] == 0                 # c = 2.5: every equilibrium agrees
