"""The tripartite crisis (models/tripartite_crisis.toml): closed form, measures, claims and bad parameters.

The equilibrium is checked against a closed form derived here by hand from the game form, independently of
the solver: the abandoned Protégé's best reply, the irresolute Defender's cutoff, the support probability the
Challenger expects under each commitment type, and the Challenger's comparison with the status quo.  All
random points are solved in one batched call.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st

import deterrence as d
from deterrence.analysis.claims import check_claims
from deterrence.analysis.measures import measure_columns
from deterrence.errors import ModelError
from deterrence.solve.concepts import game_kind, route

from _tripartite import tripartite_point

MODEL = d.load_model("tripartite_crisis")

PROBABILITY_MEASURES = ("P_challenge", "P_war", "P_alliance_war", "P_defender_intervenes", "P_protege_concedes",
                        "P_protege_realigns", "P_deterrence_succeeds", "P_abandonment", "risk_of_entrapment",
                        "P_challenge_unprovoked", "P_challenge_provoked")


def binding(c, q):
    """Probability that the pledge binds after an unprovoked and after a provoked crisis, by commitment type."""
    c = np.asarray(c)
    unprovoked = np.select([c == 0, c == 1, c >= 2], [0.0, q, 1.0])
    provoked = np.select([c == 1, c == 3], [q, 1.0], 0.0)
    return unprovoked, provoked


def closed_form(P):
    # the abandoned Protégé: concede (-c_P), realign (u_R) or resist alone (-L_P)
    options = np.stack([-P["c_P"], P["u_R"], -P["L_P"]])
    R = np.argmax(options, axis=0)                       # 0 concede, 1 realign, 2 alone
    top2 = np.sort(options, axis=0)
    margin_P = top2[-1] - top2[-2]
    a_R = np.choose(R, [P["a_DC"], P["a_RA"], P["a_V"]])
    realigns = R == 1
    # the irresolute Defender: support (war if the Challenger is determined, else it backs down) or abandon
    S = P["p_C"] * P["d_W_irr"] + (1 - P["p_C"]) * P["g_D"]
    A_free = -P["s_D"] - P["r_D"] * realigns
    A_bound = A_free - P["k"]
    sup_free, sup_bound = S > A_free, S > A_bound
    V_support = P["p_C"] * P["a_W"] + (1 - P["p_C"]) * P["a_B"]
    out = {m: 0.0 for m in PROBABILITY_MEASURES}
    margins = [margin_P, abs(S - A_free), abs(S - A_bound)]
    for x, (weight, theta) in zip(("unprovoked", "provoked"),
                                  zip((1 - P["pi"], P["pi"]), binding(P["commitment"], P["q"]))):
        irr_support = theta * sup_bound + (1 - theta) * sup_free      # P(irresolute supports)
        sigma = P["p_D"] + (1 - P["p_D"]) * irr_support
        gain = sigma * V_support + (1 - sigma) * a_R - P["a_SQ"]
        margins.append(abs(gain))
        ch = (gain > 0) * 1.0
        out[f"P_challenge_{x}"] = ch
        out["P_challenge"] = out["P_challenge"] + weight * ch
        out["P_defender_intervenes"] = out["P_defender_intervenes"] + weight * ch * sigma
        out["P_alliance_war"] = out["P_alliance_war"] + weight * ch * sigma * P["p_C"]
        out["P_war"] = out["P_war"] + weight * ch * (sigma * P["p_C"] + (1 - sigma) * (R == 2))
        out["P_protege_concedes"] = out["P_protege_concedes"] + weight * ch * (1 - sigma) * (R == 0)
        out["P_protege_realigns"] = out["P_protege_realigns"] + weight * ch * (1 - sigma) * realigns
        out["P_abandonment"] = out["P_abandonment"] + weight * ch * (1 - sigma)
        out["risk_of_entrapment"] = (out["risk_of_entrapment"]
                                     + weight * ch * (1 - P["p_D"]) * irr_support * P["p_C"])
    out["P_deterrence_succeeds"] = 1 - out["P_challenge"]
    return out, np.minimum.reduce(margins)


def test_registry_picks_the_sequential_equilibrium():
    # every pooled information set hides only chance moves: Bayesian backward induction, batched
    assert game_kind(MODEL) == "hides_only_chance"
    r = route(MODEL)
    assert r.concept == "pbe" and r.batched and "sequential equilibrium" in r.computes


def test_equilibrium_measures_equal_the_closed_form():
    P = tripartite_point(np.random.default_rng(3), 4000)
    expect, margin = closed_form(P)
    keep = margin > 1e-6                                       # generic points: no player indifferent
    assert keep.sum() > 3500
    pts = {k: v[keep] for k, v in P.items()}
    cols = measure_columns(MODEL, pts, "pbe", None)
    assert np.all(cols["equilibria_measured"] == 1)
    for name, want in expect.items():
        np.testing.assert_allclose(cols[name], want[keep], atol=1e-9, err_msg=name)
    for name in PROBABILITY_MEASURES:
        assert np.all((cols[name] >= -1e-12) & (cols[name] <= 1 + 1e-12)), name
    # the sample reaches every regime the closed form distinguishes
    for c in range(4):
        sel = pts["commitment"] == c
        assert 0 < cols["P_challenge"][sel].mean() < 1
    assert cols["P_protege_realigns"].max() > 0 and cols["P_protege_concedes"].max() > 0
    assert cols["risk_of_entrapment"].max() > 0


def test_probability_measures_in_unit_interval_at_every_point():
    # indifferent points included: every equilibrium's measures are probabilities
    P = tripartite_point(np.random.default_rng(11), 600)
    P["k"][:200] = 0.0
    P["p_D"][200:300] = np.round(P["p_D"][200:300], 1)
    cols = measure_columns(MODEL, P, "pbe", None)
    for name in PROBABILITY_MEASURES:
        for col in (name + "[min]", name + "[max]"):
            assert np.all((cols[col] >= -1e-12) & (cols[col] <= 1 + 1e-12)), col


def test_four_commitment_types_at_the_defaults():
    # By hand at the defaults (p_D = 0.3, p_C = 0.8, q = 0.3, pi = 0.5, k = 0.4, r_D = 0.3): the abandoned
    # Protégé realigns (-0.5 > -1 > -2); an irresolute Defender's support is worth 0.8*(-2) + 0.2*0.5 = -1.5,
    # abandonment -1 - 0.3 = -1.3 if the pledge does not bind (it abandons), -1.7 if it binds (it supports).
    # The Challenger gets 0.8*(-1) + 0.2*(-1.5) = -1.1 against support, 1.5 from a realignment: it challenges
    # iff sigma < 1.5/2.6 = 0.577.  none: sigma = 0.3; ambiguous: 0.3 + 0.7*0.3 = 0.51; conditional: 1 after
    # an unprovoked crisis, 0.3 after a provoked one; unconditional: 1.
    base = {k: np.full(4, v, dtype=float) for k, v in MODEL.defaults().items()}
    base["commitment"] = np.arange(4.0)
    cols = measure_columns(MODEL, base, "pbe", None)
    np.testing.assert_allclose(cols["P_challenge"], [1, 1, 0.5, 0])
    np.testing.assert_allclose(cols["P_deterrence_succeeds"], [0, 0, 0.5, 1])
    np.testing.assert_allclose(cols["P_defender_intervenes"], [0.3, 0.51, 0.5 * 0.3, 0])
    np.testing.assert_allclose(cols["P_war"], [0.3 * 0.8, 0.51 * 0.8, 0.5 * 0.3 * 0.8, 0])
    np.testing.assert_allclose(cols["P_protege_realigns"], [0.7, 0.49, 0.5 * 0.7, 0])
    np.testing.assert_allclose(cols["P_protege_concedes"], 0)


def test_claims_verdicts_follow_from_the_closed_form():
    checks = {c.claim.id: c for c in check_claims(MODEL, samples=60)}
    assert set(checks) == {"straddle_fails_against_determined_challenger", "straddle_deters_no_better_than_unequivocal",
                           "unequivocal_commitment_needs_credible_realignment",
                           "unequivocal_commitment_needs_credible_realignment_no_reneging_cost",
                           "realignment_threat_bolsters_deterrence",
                           "rudimentary_threshold_when_protege_always_resists"}
    # proven by the closed form: with p_C = 1 and k below -s_D - d_W_irr the support probability is p_D for
    # every commitment, and the Challenger challenges iff p_D < (a_V - a_SQ)/(a_V - a_W)
    assert checks["rudimentary_threshold_when_protege_always_resists"].verdict == "holds"
    # sigma rises with the binding probability, and the Challenger's gain falls with sigma
    assert checks["straddle_deters_no_better_than_unequivocal"].verdict == "holds"
    # k = 0, p_C = 1: an irresolute Defender supports only to keep its ally; sigma = p_D < 1/3 <= threshold
    assert checks["unequivocal_commitment_needs_credible_realignment_no_reneging_cost"].verdict == "holds"
    # the others hold only on a share; each counterexample is a counterexample of the closed form too
    for cid, key in (("straddle_fails_against_determined_challenger", "P_challenge"),
                     ("unequivocal_commitment_needs_credible_realignment", "P_challenge")):
        c = checks[cid]
        assert c.verdict == "holds_on_share", cid
        point = {k: np.array([v]) for k, v in c.counterexample.items() if k != "found"}
        expect, margin = closed_form(point)
        assert margin[0] > 1e-9 and expect[key][0] == 0, cid
    c = checks["realignment_threat_bolsters_deterrence"]
    assert c.verdict in ("holds", "holds_on_share")


def test_realignment_threat_can_invite_a_challenge():
    # Zagare and Kilgour (2003): a credible threat to realign may prompt a Challenger that stands to gain a
    # great deal.  By hand: unconditional commitment, p_C = 1, k = 0.2, r_D = 0.3, so an irresolute Defender
    # (war -2 against abandonment -1.2 or -1.5) abandons either way and sigma = p_D = 0.5.  Without the
    # threat the abandoned Protégé concedes (a_DC = 0.8): 0.5*(-1) + 0.5*0.8 < 0, deterred.  With it, it
    # realigns (a_RA = 3): 0.5*(-1) + 0.5*3 > 0, a challenge.
    base = {k: np.full(2, v, dtype=float) for k, v in MODEL.defaults().items()}
    base.update(commitment=np.full(2, 3.0), p_C=np.ones(2), k=np.full(2, 0.2), r_D=np.full(2, 0.3),
                p_D=np.full(2, 0.5), a_DC=np.full(2, 0.8), a_RA=np.full(2, 3.0), u_R=np.array([-1.5, -0.5]))
    cols = measure_columns(MODEL, base, "pbe", None)
    np.testing.assert_allclose(cols["P_challenge"], [0, 1])
    # with a larger r_D the same threat makes the irresolute Defender fight (-2 > -1.2 - 1) and deters
    base["r_D"] = np.full(2, 1.0)
    cols = measure_columns(MODEL, base, "pbe", None)
    np.testing.assert_allclose(cols["P_challenge"], [0, 0])


@pytest.mark.parametrize("name, value", [("p_D", 1.5), ("q", -0.1), ("pi", 2.0), ("p_C", -0.5), ("k", -1.0),
                                         ("r_D", -0.2), ("s_D", 0.0), ("c_P", -1.0), ("commitment", 4.0),
                                         ("commitment", -1.0), ("commitment", 1.5)])
def test_bad_parameters_name_the_parameter(name, value):
    with pytest.raises(ModelError, match=name):
        MODEL.at(**{name: value})


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_commitments_order_the_challenge_property(seed):
    # Property over the parameter space: the pledge binds (weakly) more often per crisis from none to the
    # straddle or the conditional commitment to the unconditional one; a bound irresolute Defender supports
    # whenever a free one does, and the Challenger's gain falls with the support it expects (a_W, a_B < a_SQ <
    # a_R).  So P(challenge) never rises along none >= {straddle, conditional} >= unconditional.
    P = tripartite_point(np.random.default_rng(seed), 1)
    pts = {k: np.repeat(v, 4) for k, v in P.items()}
    pts["commitment"] = np.arange(4.0)
    _, margin = closed_form(pts)
    assume(np.all(margin > 1e-6))
    ch = measure_columns(MODEL, pts, "pbe", None)["P_challenge"]
    none, straddle, conditional, unconditional = ch
    tol = 1e-12                                 # P(challenge) sums the weights 1 - pi and pi
    assert none + tol >= straddle >= unconditional - tol and none + tol >= conditional >= unconditional - tol
