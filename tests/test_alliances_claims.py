"""The claims of burden sharing, reputation and cohesion, checked by the claims engine on the computed-model
families (deterrence.alliances.families), against independent computations.

Independent checks: sequential best responses (burden.best_response_equilibrium, which never uses the closed
form) for the burden-sharing counterexamples and the neutrality theorem of Bergstrom, Blume and Varian (1986);
the closed form 1/(1 + (N-1)(1-a)(1-beta)) for identical allies; scipy's binomial tail and root finder for the
cohesion boundary; the reputation game's payoffs written out by hand for its counterexample and certificate.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.optimize import brentq
from scipy.stats import binom

import deterrence
from deterrence.alliances import burden_sharing
from deterrence.alliances.burden import best_response_equilibrium
from deterrence.alliances.families import (MAX_FAMILY_ALLIES, burden_sharing_model, cohesion_model,
                                           reputation_model)
from deterrence.alliances.reputation import _regret
from deterrence.analysis.claims import check_claim, check_claims
from deterrence.cli import main
from deterrence.errors import ModelError

load = deterrence.load_model


def _verdicts(model, **kw):
    return {r.claim.id: r for r in check_claims(model, loader=load, **kw)}


def _incomes(cex, n):
    return np.array([cex[f"income_{i + 1}"] for i in range(n)])


# ---------------------------------------------------------------------- burden sharing
def test_burden_claims_verdicts_and_independent_checks():
    n = 3
    m = load(f"burden_sharing:n={n}")
    v = _verdicts(m)
    for cid in ("under_provision_grows_with_allies", "richer_ally_bears_larger_burden",
                "exploitation_of_the_great_by_the_small", "neutrality", "joint_products_weaken_exploitation",
                "joint_products_reduce_under_provision"):
        assert v[cid].verdict == "holds", (cid, v[cid].counterexample)
    # identical allies: G/G* = 1/(1 + (N-1)(1-a)(1-beta)) (hand derivation) falls in N wherever (1-a)(1-beta) > 0
    a, beta = np.meshgrid(np.linspace(0.05, 0.95, 7), np.linspace(0, 0.9, 7))
    for k in (n, n + 1):
        got = burden_sharing(np.ones(k), a[..., None] * 0 + a, beta).provision_ratio
        assert np.allclose(got, 1 / (1 + (k - 1) * (1 - a) * (1 - beta)))
    # a newcomer among the richest raises provision: the engine's counterexample, by best responses
    un = v["under_provision_grows_with_allies_unequal"]
    assert un.verdict == "holds_on_share" and 0.9 < un.share < 1
    cex = un.counterexample
    w = _incomes(cex, n)
    a0, b0 = cex["defence_weight"], cex["private_share"]
    before = best_response_equilibrium(w, a0, b0).sum() / (a0 * w.sum())
    w1 = np.append(w, 1.0)
    after = best_response_equilibrium(w1, a0, b0).sum() / (a0 * w1.sum())
    assert after > before and np.sum(w > 1.0) <= 1          # richer than all incumbents but at most one
    # the provenance names the computed concept and a family's structure
    assert "certified" in un.provenance["concept"] and un.provenance["model"] == f"burden_sharing:n={n}"
    json.dumps([r.to_dict() for r in v.values()], allow_nan=False, default=str)


def test_neutrality_holds_exactly_where_the_receiver_contributes_by_best_responses():
    # Bergstrom, Blume and Varian (1986): a transfer among contributors leaves G unchanged; towards a
    # non-contributor it does not.  Independent: sequential best responses before and after the transfer.
    rng = np.random.default_rng(3)
    for _ in range(40):
        w = np.array([rng.uniform(2, 3), rng.uniform(1, 2), rng.uniform(0.1, 1)])
        a, beta, tau = rng.uniform(0.05, 0.95), rng.uniform(0, 0.9), rng.uniform(0.1, 1)
        g = best_response_equilibrium(w, a, beta)
        w2 = w + np.array([-1, 1, 0]) * tau * g[0]
        same = abs(best_response_equilibrium(w2, a, beta).sum() - g.sum()) < 1e-9
        assert same == (g[1] > 1e-12) == (w[1] > (1 - a) * (1 - beta) * w[0])
        m = burden_sharing_model(3).values({"income_1": w[0], "income_2": w[1], "income_3": w[2],
                                            "defence_weight": a, "private_share": beta, "transfer": tau})
        assert np.isclose(m["total_after_transfer"][0], best_response_equilibrium(w2, a, beta).sum(), atol=1e-9)


def test_burden_claims_can_fail():
    m = load("burden_sharing:n=2")
    spec = next(c for c in m.claims if c.id == "exploitation_of_the_great_by_the_small").spec
    # the contrary claim fails everywhere: with d = (1-a)(1-beta) > 0 contributions are never proportional
    assert check_claim(m, dict(spec, id="contrary", holds="exploitation <= 0"), samples=100).verdict == "fails"
    big = check_claim(m, dict(spec, id="big", holds="exploitation > 0.2"), samples=200)
    assert big.verdict == "holds_on_share" and big.counterexample["found"]["exploitation"] <= 0.2
    # neutrality read without its premise (any transfer from ally 1 to ally 2): fails where ally 2 free-rides
    spec = dict(next(c for c in m.claims if c.id == "neutrality").spec, id="naive", kind="inequality")
    spec.pop("condition")
    r = check_claim(m, spec, samples=200)
    cex = r.counterexample
    assert r.verdict == "holds_on_share"
    assert cex["income_2"] <= (1 - cex["defence_weight"]) * (1 - cex["private_share"]) * cex["income_1"]


def test_burden_family_errors_and_cli():
    with pytest.raises(ModelError, match=rf"argument n must be in 2..{MAX_FAMILY_ALLIES}"):
        load(f"burden_sharing:n={MAX_FAMILY_ALLIES + 1}")
    with pytest.raises(ModelError, match="'income_2'.*domain"):
        load("burden_sharing:n=2").values({"income_2": -1.0})
    last = load(f"burden_sharing:n={MAX_FAMILY_ALLIES}")       # no larger family member to compare with
    assert "under_provision_grows_with_allies" not in {c.id for c in last.claims}
    assert {"burden_sharing", "reputation_two_crises", "cohesion"} <= set(deterrence.list_models())


def test_cli_claims_show_and_solve_on_a_computed_family(capsys):
    assert main(["claims", "burden_sharing:n=2", "--json", "--samples", "30"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert {r["claim"]["id"] for r in out} >= {"neutrality", "exploitation_of_the_great_by_the_small"}
    assert all(r["verdict"] in ("holds", "holds_on_share") for r in out)
    assert main(["show", "reputation_two_crises", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["kind"] == "computed" and "perfect Bayesian" in d["computes"] and len(d["claims"]) == 3
    assert main(["solve", "burden_sharing:n=3", "--set", "income_1=3", "--set", "income_2=2", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)["measures"]
    # hand: a = 0.2, w = (3, 2, 1): only ally 1 gives (2 <= (0.8/0.2) * 0.6), G = 0.6, G* = 1.2
    assert s["total"] == pytest.approx(0.6) and s["provision_ratio"] == pytest.approx(0.5)
    assert main(["solve", "cohesion", "--concept", "nash"]) == 2
    assert main(["export", "cohesion", "--format", "nfg"]) == 2
    assert main(["sweep", "cohesion", "--grid", "overlap=0:1:3"]) == 2
    assert main(["show", "cohesion:n=3,k=4"]) == 2
    err = capsys.readouterr().err
    assert "computed model" in err and "at most n = 3" in err


# ---------------------------------------------------------------------- reputation
def test_reputation_claims_and_the_counterexample_by_hand():
    m = load("reputation_two_crises")
    v = _verdicts(m, samples=100)
    assert v["honouring_pays_iff_patient"].verdict == "holds"
    assert v["honour_builds_credibility"].verdict == "holds"
    pat = v["patience_deters_the_second_challenger"]
    assert pat.verdict == "holds_on_share"
    c = pat.counterexample
    pi, k, L, vv, w = c["prior"], c["honour_cost"], c["stake"], c["challenger_value"], c["challenger_cost"]
    d0, d1 = c["discount"]
    theta = vv / (vv + w)
    # by hand: below k/L the irresolute defender reneges; crisis 1 is challenged iff pi < theta, and crisis 2
    # then follows a renege (probability 1 - pi); above k/L it mixes and challenger 1 is deterred iff pi >= theta^2
    assert d0 <= k / L < d1 and pi < theta
    p2_low = 1 - pi
    z = 1 - k / (d1 * L)
    p2_high = ((pi / theta) * z + 1 - pi / theta) if pi < theta ** 2 else 1.0
    got = m.values({**{x: c[x] for x in ("prior", "honour_cost", "stake", "challenger_value", "challenger_cost")},
                    "discount": np.array([d0, d1])})["P_challenge_2"]
    assert np.allclose(got, [p2_low, p2_high]) and p2_high > p2_low


def test_reputation_certificate_catches_a_wrong_profile():
    # pi = 0.2 < theta = 1/2, delta = 0.8 > k/L = 1/2: the equilibrium mixes (sigma = 1/4, z = 3/8)
    args = dict(pi=0.2, d=0.8, k=1.0, L=2.0, v=1.0, w=1.0)
    ok = _regret(**args, sigma=0.25, cred1=0.4, mu_h=0.5, mu_r=0.0, ch1=1.0, ch2_if_h=0.375, ch2_if_r=1.0,
                 ch2_if_none=1.0)
    assert ok == pytest.approx(0.0, abs=1e-12)
    # the irresolute type always honouring is not an equilibrium: Bayes then gives mu_H = 0.2, and z = 3/8
    # leaves challenger 2 a gain; the defender's gain from reneging against z = 1 is positive
    wrong = _regret(**args, sigma=1.0, cred1=1.0, mu_h=0.5, mu_r=0.0, ch1=0.0, ch2_if_h=0.375, ch2_if_r=1.0,
                    ch2_if_none=1.0)
    assert wrong > 0.1
    wrong2 = _regret(**args, sigma=0.25, cred1=0.4, mu_h=0.5, mu_r=0.0, ch1=1.0, ch2_if_h=1.0, ch2_if_r=1.0,
                     ch2_if_none=1.0)
    assert wrong2 > 0.1


# ---------------------------------------------------------------------- cohesion (C12)
def test_cohesion_claims_and_the_boundary_by_scipy():
    n, k = 8, 6
    m = load("cohesion")
    v = _verdicts(m, samples=200)
    hon = v["parallel_interests_raise_honouring"]
    assert hon.verdict == "holds_on_share" and hon.counterexample["p_own"] > hon.counterexample["p_common"]
    cred = v["parallel_interests_raise_credibility"]
    c = cred.counterexample
    assert cred.verdict == "holds_on_share" and c["p_common"] < binom.sf(k - 1, n, c["p_own"])
    # with p_common = 0.745 C12 holds exactly where P(Bin(8, p_own) >= 6) < 0.745: p_own below the root
    fixed = v["parallel_interests_raise_credibility_common_0745"]
    root = brentq(lambda p: binom.sf(k - 1, n, p) - 0.745, 0.01, 0.99)
    lo = float(fixed.failing_region["split"].split("(holds up to ")[1].split(",")[0])
    hi = float(fixed.failing_region["split"].split("fails from ")[1].rstrip(")"))
    assert fixed.verdict == "holds_on_share" and lo < root < hi
