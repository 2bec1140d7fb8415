"""The sources' claims of issue 7, sections 3 and 4, as hypothesis properties of the engine's solutions over
the parameter space (not only at the shipped claims' sampled points).

* Snyder (1984), "The Security Dilemma in Alliance Politics", World Politics 36(4): a stronger commitment
  lowers the risk of abandonment and raises the risk of entrapment (models/snyder_alliance_security_dilemma).
* Benson (2012), Constructing International Security: a conditional commitment restrains the protégé and
  keeps the peace where an unconditional one (a blank check) emboldens it.
* Christensen and Snyder (1990), "Chain gangs and passed bucks", International Organization 44(2): perceived
  offence dominance above the thresholds c/(b lam) and c/(b(1-lam)) (derived by hand: committing early gains
  b theta lam - c against an ally that waits, b theta (1-lam) - c against one that commits) gives
  chain-ganging, below both buck-passing (models/chain_ganging).

Every equilibrium counts: a measure is compared as the range [min, max] over the equilibria the engine lists
at a point, so an indifferent player cannot hide a counterexample.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import deterrence as d
from deterrence.analysis.measures import measure_columns

SNYDER = d.load_model("snyder_alliance_security_dilemma")
CHAIN = d.load_model("chain_ganging")

unit = st.floats(0.0, 1.0, allow_nan=False)
snyder_points = st.fixed_dictionaries({
    "p_resolve": unit, "blank_check": unit,
    "v_resolved": st.floats(1.1, 3.0), "v_reluctant": st.floats(-1.0, 0.9), "w_D": st.just(1.0),
    "g": st.floats(0.1, 1.0), "s_P": st.floats(-1.0, 1.0), "L": st.floats(0.5, 3.0),
    "b_A": st.floats(0.2, 2.0), "w_A": st.floats(0.2, 2.0), "h": st.floats(0.0, 2.0)})


def solve(model, rows):
    """Measure columns of the engine's equilibria at the given points (one batched call)."""
    pts = {name: np.array([r[name] for r in rows], float) for name in rows[0]}
    cols = measure_columns(model, pts, "pbe" if model is SNYDER else "nash", None)
    assert np.all(cols["equilibria_measured"] >= 1)                  # every point solved, every equilibrium listed
    return cols


def rng(cols, name, i):
    return cols[f"{name}[min]"][i], cols[f"{name}[max]"][i]


@settings(max_examples=60, deadline=None)
@given(P=snyder_points, k1=st.floats(0.0, 3.0), dk=st.floats(0.01, 3.0))
def test_snyder_a_stronger_commitment_lowers_abandonment_and_raises_entrapment(P, k1, dk):
    cols = solve(SNYDER, [{**P, "k": k1}, {**P, "k": k1 + dk}])
    for name in ("risk_of_abandonment", "risk_of_entrapment", "P_war", "P_provocation"):
        lo, hi = rng(cols, name, 0)
        assert 0.0 <= lo <= hi <= 1.0, name                       # probabilities, in [0, 1]
    (a_lo1, a_hi1), (a_lo2, a_hi2) = rng(cols, "risk_of_abandonment", 0), rng(cols, "risk_of_abandonment", 1)
    (e_lo1, e_hi1), (e_lo2, e_hi2) = rng(cols, "risk_of_entrapment", 0), rng(cols, "risk_of_entrapment", 1)
    assert a_lo2 <= a_lo1 + 1e-12 and a_hi2 <= a_hi1 + 1e-12      # abandonment never rises with k
    assert e_lo2 >= e_lo1 - 1e-12 and e_hi2 >= e_hi1 - 1e-12      # entrapment never falls with k


@settings(max_examples=60, deadline=None)
@given(P=snyder_points, k=st.floats(0.0, 3.0))
def test_benson_a_conditional_commitment_restrains_where_a_blank_check_emboldens(P, k):
    cond, blank = {**P, "k": k, "blank_check": 0.0}, {**P, "k": k, "blank_check": 1.0}
    cols = solve(SNYDER, [cond, blank])
    # a conditional commitment never entraps: a Reluctant Defender is not bound after a provocation
    assert rng(cols, "risk_of_entrapment", 0) == (0.0, 0.0)
    # it restrains: the Protégé provokes no more than under a blank check, everywhere
    (c_lo, c_hi), (b_lo, b_hi) = rng(cols, "P_provocation", 0), rng(cols, "P_provocation", 1)
    assert c_lo <= b_lo + 1e-12 and c_hi <= b_hi + 1e-12, ("P_provocation", (c_lo, c_hi), (b_lo, b_hi))
    # and where it does restrain (no provocation in any equilibrium) it keeps the peace at least as well.  Not
    # everywhere: a revisionist Protégé that provokes even unsupported (hypothesis found p_resolve 0.75, s_P 1, k 1,
    # v_resolved 2, v_reluctant 0, h 1, the rest 1: P(war) 1 under the conditional commitment, [0, 1] under the blank
    # check, which can deter the Adversary) is a region where Benson's war claim fails in this model (about 1.5% of
    # this test's space; the shipped claim conditional_commitment_less_war reports its own verdict and region)
    if c_hi <= 1e-12:
        (w_lo, w_hi), (x_lo, x_hi) = rng(cols, "P_war", 0), rng(cols, "P_war", 1)
        assert w_lo <= x_lo + 1e-12 and w_hi <= x_hi + 1e-12, ("P_war", (w_lo, w_hi), (x_lo, x_hi))


@settings(max_examples=60, deadline=None)
@given(theta=unit, lam=st.floats(0.02, 0.98), b=st.floats(0.2, 3.0), c=st.floats(0.01, 1.0))
def test_offence_dominance_flips_buck_passing_to_chain_ganging_at_the_thresholds(theta, lam, b, c):
    t_wait, t_early = c / (b * lam), c / (b * (1 - lam))
    if min(abs(theta - t_wait), abs(theta - t_early)) < 1e-9:
        return                                                    # on a threshold: a player is indifferent
    cols = solve(CHAIN, [{"theta": theta, "lam": lam, "b": b, "c": c}])
    chain, buck = rng(cols, "P_chain_ganging", 0), rng(cols, "P_buck_passing", 0)
    # chain-ganging is the only equilibrium exactly above both thresholds, buck-passing exactly below both
    assert (chain == (1.0, 1.0)) == (theta > max(t_wait, t_early))
    assert (buck == (1.0, 1.0)) == (theta < min(t_wait, t_early))
    lo, hi = rng(cols, "P_front_line_falls", 0)
    assert 0.0 <= lo <= hi <= theta + 1e-12                        # no commitment does worse than none


@settings(max_examples=40, deadline=None)
@given(theta=unit, dt=st.floats(0.01, 1.0), lam=st.floats(0.02, 0.98), b=st.floats(0.2, 3.0),
       c=st.floats(0.01, 1.0))
def test_chain_ganging_never_falls_as_offence_dominance_rises(theta, dt, lam, b, c):
    hi_theta = min(theta + dt, 1.0)
    cols = solve(CHAIN, [{"theta": theta, "lam": lam, "b": b, "c": c},
                         {"theta": hi_theta, "lam": lam, "b": b, "c": c}])
    (lo1, hi1), (lo2, hi2) = rng(cols, "P_chain_ganging", 0), rng(cols, "P_chain_ganging", 1)
    assert lo2 >= lo1 - 1e-9 and hi2 >= hi1 - 1e-9


def test_the_snyder_model_cites_its_sources_for_the_moral_hazard_claim():
    # issue 7, section 3 names Benson (2012) and Benson, Bentley and Ray on the "ally provocateur"
    assert "Snyder, G. H. (1984)" in SNYDER.source and "Benson, B. V. (2012)" in SNYDER.source
    assert "Ally provocateur" in SNYDER.source and "Journal of Peace Research 50(1): 47-58" in SNYDER.source
    claim = {c.id: c for c in SNYDER.claims}["blank_check_emboldens"]
    assert "Bentley" in claim.source and "Benson, B. V. (2012)" in claim.source
