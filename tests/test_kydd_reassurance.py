"""Jervis (1976) / Kydd (1997, 2005), costly reassurance: the stylized two-type model file against hand derivations.

Hand derivation (mu* = 1 - a/l; the State cooperates iff its belief that the Rival is a security seeker is at
least mu*).  Let x_m be the probability that the State cooperates after move m (restrain or arm).  A Rival of
type t (w_t = w_S or g, with g < w_S) gets x_r*w_t - k by restraining and x_a*w_t by arming, so it restrains iff
w_t*(x_r - x_a) > k: both types compare the same gap, scaled by their value of cooperation.

* pooling on arming: always (a gesture off the path is read as greedy, x_r = 0); the State cooperates iff p > mu*.
* separating (security seeker restrains, greedy arms): x_r = 1, x_a = 0; needs w_S >= k >= g.
  The reverse separation fails (x_r = 0 after a gesture only greedy types make: restraint costs k for nothing).
* pooling on restraint: x_r = 1 needs p > mu*, x_a = 0 off the path, and g >= k.
* hybrid (a): the security seeker is indifferent, w_S*(x_r - x_a) = k, so the greedy Rival arms; x_r = 1 and the
  State is indifferent after arming: mu_a = mu*, sigma_S = 1 - mu*(1-p)/(p(1-mu*)), in (0,1) iff p > mu*;
  x_a = 1 - k/w_S needs k < w_S.  P(spiral) = p(1 - sigma_S)k/w_S = (1-p)mu*/(1-mu*) * k/w_S.
* hybrid (b): the greedy Rival is indifferent, g*(x_r - x_a) = k, the security seeker restrains; x_a = 0,
  x_r = k/g needs k < g; mu_r = mu* gives sigma_G = p(1-mu*)/((1-p)mu*), in (0,1) iff p < mu*.
  P(exploitation) = (1-p) sigma_G k/g = p(1-mu*)/mu* * k/g; no spiral.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from deterrence import load_model
from deterrence.analysis.claims import check_claims
from deterrence.analysis.measures import measure_columns
from deterrence.games import SignallingGame
from deterrence.solve import signalling_pbe_batch
from deterrence.solve.pbe_signalling_batch import KINDS

ROOT = Path(__file__).resolve().parents[1]
MODEL = load_model(ROOT / "models" / "kydd_reassurance.toml")
W_S, G, MU = 2.0, 1.0, 0.5          # defaults: w_S = 2, g = 1, l = 2, a = 1


def full(points):
    n = len(next(iter(points.values())))
    return {k: np.asarray(points.get(k, np.full(n, v)), float) for k, v in MODEL.defaults().items()}


def expected_kinds(p, k, w_s=W_S, g=G, mu=MU):
    kinds = {"pooling"}
    if g < k < w_s:
        kinds.add("separating")
    if (k < w_s and p > mu) or (k < g and p < mu):
        kinds.add("hybrid")
    return kinds


def test_every_equilibrium_kind_matches_the_hand_regions():
    ps = (0.05, 0.3, 0.45, 0.55, 0.7, 0.95)
    ks = (0.2, 0.6, 0.95, 1.05, 1.5, 1.95, 2.05, 3.0)
    pts = {"p": np.array([p for p in ps for _ in ks]), "k": np.array([k for _ in ps for k in ks])}
    res = signalling_pbe_batch(SignallingGame.from_tree(MODEL.at(pts)))
    assert res.complete_points.all()
    assert np.all(res.pattern_regret[res.found] <= 1e-7)
    for b, (p, k) in enumerate(zip(pts["p"], pts["k"])):
        found = {KINDS[int(c)] for c in res.kind[b][res.found[b]]}
        assert found == expected_kinds(p, k), (p, k, found)


def test_kinds_follow_other_parameters():
    # mu* = 1 - a/l moves with the State's costs; the separating window moves with g and w_S
    pts = {"p": np.array([0.6, 0.6, 0.3, 0.3]), "a": np.array([0.4, 1.5, 1.0, 1.0]),
           "l": np.array([2.0, 2.0, 2.0, 2.0]), "k": np.array([0.5, 0.5, 1.2, 1.2]),
           "g": np.array([1.0, 1.0, 1.5, 0.5]), "w_S": np.array([2.0, 2.0, 3.0, 1.0])}
    res = signalling_pbe_batch(SignallingGame.from_tree(MODEL.at(pts)))
    for b in range(4):
        mu = 1 - pts["a"][b] / pts["l"][b]
        want = expected_kinds(pts["p"][b], pts["k"][b], pts["w_S"][b], pts["g"][b], mu)
        assert {KINDS[int(c)] for c in res.kind[b][res.found[b]]} == want, b


def cols(points, names):
    return measure_columns(MODEL, full({k: np.asarray(v, float) for k, v in points.items()}), "pbe", names)


def test_measures_match_closed_forms():
    names = ["P_spiral", "P_exploitation", "P_reassurance", "P_rebuffed", "posterior_restraint",
             "posterior_arming", "separating", "reverse_separating"]
    c = cols({"p": [0.7, 0.3, 0.3, 0.7, 0.7], "k": [0.5, 0.5, 1.5, 2.5, 1.5]}, names)
    # (0) p = 0.7 > mu*, k = 0.5 < g: pooling on arming (cooperated with), pooling on restraint, hybrid (a)
    spiral_a = 0.3 * MU / (1 - MU) * 0.5 / W_S                         # 0.075
    assert np.isclose(c["P_spiral[min]"][0], 0) and np.isclose(c["P_spiral[max]"][0], spiral_a)
    assert np.isclose(c["P_exploitation[min]"][0], 0.3 * (1 - 0.5 / W_S))  # hybrid (a): 0.225
    assert np.isclose(c["P_exploitation[max]"][0], 0.3)
    assert np.isclose(c["P_reassurance[max]"][0], 0.7)                  # pooling on restraint
    # (1) p = 0.3 < mu*, k = 0.5 < g: pooling on arming (spiral p), hybrid (b)
    assert np.isclose(c["P_spiral[max]"][1], 0.3) and np.isclose(c["P_spiral[min]"][1], 0)
    assert np.isclose(c["P_exploitation[max]"][1], 0.3 * (1 - MU) / MU * 0.5 / G)   # 0.15
    assert np.isclose(c["P_reassurance[max]"][1], 0.3 * 0.5 / G)
    assert np.isclose(c["P_rebuffed[max]"][1], 0.3 * (1 - 0.5 / G))
    assert np.isclose(c["posterior_restraint[max]"][1], MU)             # hybrid (b) leaves the State indifferent
    assert np.isclose(c["posterior_restraint[min]"][1], 0.3)            # pooling: the prior by convention
    assert c["separating[max]"][1] < 1 - 1e-9                           # hybrid (b): 1 - sigma_G, not separating
    # (2) p = 0.3, g < k < w_S: pooling on arming and separating (posterior 1 after the gesture, 0 after arming)
    assert np.isclose(c["separating[max]"][2], 1)
    assert np.isclose(c["posterior_restraint[max]"][2], 1) and np.isclose(c["posterior_arming[min]"][2], 0)
    assert np.isclose(c["P_reassurance[max]"][2], 0.3) and np.isclose(c["P_exploitation[max]"][2], 0)
    # (3) k > w_S: only pooling on arming, cooperated with at p > mu*: exploitation 1 - p, no spiral
    assert np.isclose(c["P_exploitation[min]"][3], 0.3) and np.isclose(c["P_exploitation[max]"][3], 0.3)
    assert np.isclose(c["P_spiral[max]"][3], 0) and np.isclose(c["P_reassurance[max]"][3], 0)
    # (4) p = 0.7, k = 1.5: hybrid (a) has spiral (1-p) mu*/(1-mu*) k/w_S = 0.225 and reassurance p - (1-p) = 0.4
    assert np.isclose(c["P_spiral[max]"][4], 0.3 * 1.5 / W_S)
    assert np.isclose(c["P_reassurance[max]"][4], 0.7) and np.isclose(c["P_exploitation[min]"][4], 0)
    assert np.all(np.asarray(c["reverse_separating[max]"]) < 1e-9)


def test_claim_verdicts():
    v = {r.claim.id: r for r in check_claims(MODEL, samples=120)}
    assert v["costly_reassurance_separates"].verdict == "holds"
    assert v["no_greedy_reassurance"].verdict == "holds"
    assert v["spiral_only_at_low_prior"].verdict == "holds_on_share"


def test_spiral_claim_fails_exactly_where_the_hybrid_exists():
    # some equilibrium has a spiral iff p < mu* or (p > mu* and k < w_S): the claim fails on the second set only
    p, k = np.meshgrid(np.linspace(0.03, 0.97, 12), np.linspace(0.1, 2.9, 12))
    p, k = p.ravel(), k.ravel()
    c = cols({"p": p, "k": k}, ["P_spiral"])
    want = (p < MU) | (k < W_S)
    assert np.array_equal(np.asarray(c["P_spiral[max]"]) > 1e-9, want)
