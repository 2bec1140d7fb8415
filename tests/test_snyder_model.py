"""Snyder's alliance security dilemma (models/snyder_alliance_security_dilemma.toml).

The equilibrium is checked against a closed form derived here from the game form (the Defender's
cutoff in its commitment cost, the Adversary's cutoffs in the credibility of support, the Protégé's
comparison), independently of the solver, at random parameter points in one batched call.
"""

from __future__ import annotations

import numpy as np
import pytest

import deterrence as d
from deterrence.analysis.claims import check_claims
from deterrence.analysis.measures import measure_columns

MODEL = d.load_model("snyder_alliance_security_dilemma")


def closed_form(P):
    p, k, bc = P["p_resolve"], P["k"], P["blank_check"]
    gap = P["w_D"] - P["v_reluctant"]              # what a Reluctant Defender needs to be made to fight
    sup_r = k > gap                                # Reluctant supports after restraint
    sup_p = bc * k > gap                           # ... after provocation
    sig_r = p + (1 - p) * sup_r                    # probability of support, as the others see it
    sig_p = p + (1 - p) * sup_p
    ch_r = sig_r * -P["w_A"] + (1 - sig_r) * P["b_A"] > 0
    ch_p = sig_p * -P["w_A"] + (1 - sig_p) * P["b_A"] > -P["h"]
    u_r = np.where(ch_r, sig_r * P["s_P"] - (1 - sig_r) * P["L"], 0.0)
    u_p = np.where(ch_p, sig_p * P["s_P"] - (1 - sig_p) * P["L"], P["g"])
    prov = u_p > u_r
    ch = np.where(prov, ch_p, ch_r)
    sig = np.where(prov, sig_p, sig_r)
    margins = np.minimum.reduce([abs(k - gap), abs(bc * k - gap),
                                 abs(sig_r * -P["w_A"] + (1 - sig_r) * P["b_A"]),
                                 abs(sig_p * -P["w_A"] + (1 - sig_p) * P["b_A"] + P["h"]), abs(u_p - u_r)])
    return {"P_provocation": prov * 1.0, "P_challenge": ch * 1.0, "P_war": ch * 1.0,
            "P_alliance_war": ch * sig, "risk_of_abandonment": ch * (1 - sig),
            "risk_of_entrapment": prov * ch_p * (1 - p) * sup_p, "P_status_quo": (~prov & ~ch) * 1.0}, margins


def random_points(n, seed):
    rng = np.random.default_rng(seed)
    P = {"p_resolve": rng.uniform(0, 1, n), "k": rng.uniform(0, 3, n), "blank_check": rng.uniform(0, 1, n),
         "v_resolved": rng.uniform(1.1, 3, n), "v_reluctant": rng.uniform(-1, 0.9, n), "w_D": np.ones(n),
         "g": rng.uniform(0.1, 1, n), "s_P": rng.uniform(-1, 1, n), "L": rng.uniform(0.5, 3, n),
         "b_A": rng.uniform(0.2, 2, n), "w_A": rng.uniform(0.2, 2, n), "h": rng.uniform(0, 2, n)}
    P["blank_check"][: n // 4] = 0.0
    P["blank_check"][n // 4: n // 2] = 1.0
    return P


def test_equilibrium_measures_equal_the_closed_form():
    P = random_points(4000, 1)
    expect, margin = closed_form(P)
    keep = margin > 1e-6                                       # generic points: no player indifferent
    pts = {k: v[keep] for k, v in P.items()}
    cols = measure_columns(MODEL, pts, "pbe", None)
    assert np.all(cols["equilibria_measured"] == 1)
    for name, want in expect.items():
        np.testing.assert_allclose(cols[name], want[keep], atol=1e-9, err_msg=name)
        assert np.all((cols[name] >= 0) & (cols[name] <= 1))


def test_defaults_blank_check_entraps_conditional_restrains():
    base = {k: np.array([v]) for k, v in MODEL.defaults().items()}
    blank = measure_columns(MODEL, base, "pbe", None)
    cond = measure_columns(MODEL, {**base, "blank_check": np.array([0.0])}, "pbe", None)
    # the blank check: the Protégé provokes, the Adversary challenges, a Reluctant Defender is entrapped
    assert blank["P_provocation"][0] == 1 and blank["risk_of_entrapment"][0] == pytest.approx(0.5)
    # the conditional commitment: the Protégé restrains itself and the Adversary is deterred
    assert cond["P_status_quo"][0] == 1 and cond["risk_of_entrapment"][0] == 0


def test_shipped_claims_have_verdicts():
    verdicts = {c.claim.id: c.verdict for c in check_claims(MODEL, samples=40)}
    assert set(verdicts) == {"stronger_commitment_less_abandonment", "stronger_commitment_more_entrapment",
                             "blank_check_emboldens", "conditional_commitment_less_war"}
    assert all(v in ("proven", "holds", "holds_on_share", "fails") for v in verdicts.values())
    # the trade-off is monotone wherever the closed form is evaluated (test_snyder_tradeoff_on_a_grid_...):
    # the two monotone claims may not fail anywhere in their region
    for claim in ("stronger_commitment_less_abandonment", "stronger_commitment_more_entrapment"):
        assert verdicts[claim] in ("proven", "holds"), (claim, verdicts[claim])
    # Benson's moral hazard, in the strong set order: tests/test_alliance_claims_properties.py checks the same
    # order on hypothesis-drawn points from the solved equilibrium sets
    assert verdicts["blank_check_emboldens"] in ("proven", "holds"), verdicts["blank_check_emboldens"]


def test_snyder_tradeoff_on_a_grid_from_the_closed_form():
    # Snyder (1984): along k, abandonment never rises and entrapment never falls (closed form, fine grid),
    # and the model's own measures show the same trade-off along the same lines (one batched call)
    P = random_points(300, 7)
    ks = np.linspace(0, 3, 301)
    pts = {name: np.repeat(v, ks.size) for name, v in P.items()}      # row i: point i along every k
    pts["k"] = np.tile(ks, 300)
    m, _ = closed_form(pts)
    assert np.all(np.diff(m["risk_of_abandonment"].reshape(300, -1), axis=1) <= 1e-12)
    assert np.all(np.diff(m["risk_of_entrapment"].reshape(300, -1), axis=1) >= -1e-12)
    first = slice(0, 60 * ks.size)                                      # the first 60 lines through the solver
    cols = measure_columns(MODEL, {name: v[first] for name, v in pts.items()}, "pbe", None)
    assert np.all(np.diff(cols["risk_of_abandonment"].reshape(60, -1), axis=1) <= 1e-12)
    assert np.all(np.diff(cols["risk_of_entrapment"].reshape(60, -1), axis=1) >= -1e-12)
