"""Fearon (1997), tying hands versus sinking costs: the stylized two-type model file against hand derivations.

Hand derivation (c = (1 - hands)*k is the up-front part of the signal's cost, mu* = x_win/(x_win - x_war)).
Let s_m be the probability that the Challenger challenges after message m.  The resolved Defender gains
-c + d*(s_none - s_signal) by signalling; the unresolved one gets (1 - s_signal)*(v_U - c) - s_signal*k from a
signal and (1 - s_none)*v_U from none.

* separating (resolved signals, unresolved not): s_signal = 0, s_none = 1; needs c <= d and c >= v_U;
  the reverse separation fails (a signal sent by the unresolved type alone is challenged: -k < v_U).
* p < mu*: pooling on none (s_none = 1; off the path a signal is challenged) always; pooling on the signal
  never (challenged: the unresolved type loses k); hybrid (resolved signals, unresolved signals with
  q = p(1-mu*)/((1-p)mu*), the Challenger indifferent after a signal) iff c < v_U, with
  s_signal = (v_U - c)/(v_U - c + k) from the unresolved type's indifference.
* p > mu*: pooling on none (unchallenged) always; pooling on the signal iff c < v_U (unchallenged, kept
  by a challenge after none); hybrid (resolved signals with sigma = 1 - mu*(1-p)/(p(1-mu*)), unresolved not,
  s_none = c/d from the resolved type's indifference) iff 0 < c < d; at c = 0 (pure tying hands) hybrids in
  a continuum with no challenge at all.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import numpy as np
import pytest

from deterrence import load_model
from deterrence.analysis.claims import check_claims
from deterrence.analysis.measures import measure_columns
from deterrence.errors import ModelError
from deterrence.games import SignallingGame
from deterrence.solve import signalling_pbe, signalling_pbe_batch
from deterrence.solve.pbe_signalling_batch import KINDS

ROOT = Path(__file__).resolve().parents[1]
MODEL = load_model(ROOT / "models" / "fearon_costly_signals.toml")
V_U, D, MU = 0.3, 1.0, 1 / 3          # defaults: v_U = 0.3, d = 1, x_win = 1, x_war = -2


def full(points):
    """Every parameter at each point (the defaults where not given), as measure_columns expects."""
    n = len(next(iter(points.values())))
    return {k: np.asarray(points.get(k, np.full(n, v)), float) for k, v in MODEL.defaults().items()}


def expected_kinds(p, c, v_u=V_U, d=D, mu=MU):
    """Kinds of PBE by the derivation in the module docstring (off the boundaries)."""
    kinds = {"pooling"}
    if v_u < c < d:
        kinds.add("separating")
    if (p < mu and c < v_u) or (p > mu and c < d):
        kinds.add("hybrid")
    return kinds


def batch_kinds(points):
    """The kinds found at each point, by the batched solver on the model's tree."""
    n = len(next(iter(points.values())))
    game = SignallingGame.from_tree(MODEL.at({k: np.asarray(v, float) for k, v in points.items()}))
    res = signalling_pbe_batch(game)
    assert res.complete_points.all()
    assert np.all(res.pattern_regret[res.found] <= 1e-7)
    return [{KINDS[int(c)] for c in res.kind[b][res.found[b]]} for b in range(n)], res


def grid():
    """Points off every boundary (c = v_U, c = d, p = mu*) for both instruments and in between."""
    pts = {"p": [], "k": [], "hands": []}
    for hands, ks in ((0.0, (0.1, 0.2, 0.45, 0.8, 0.95, 1.2, 2.0)), (1.0, (0.1, 0.4, 0.65)),
                      (0.5, (0.2, 0.5, 0.8, 1.3))):
        for k in ks:
            for p in (0.05, 0.2, 0.3, 0.4, 0.6, 0.9):
                pts["p"].append(p), pts["k"].append(k), pts["hands"].append(hands)
    return {k: np.array(v) for k, v in pts.items()}


def test_every_equilibrium_kind_matches_the_hand_regions():
    pts = grid()
    found, _ = batch_kinds(pts)
    for b, kinds in enumerate(found):
        p, k, h = pts["p"][b], pts["k"][b], pts["hands"][b]
        c = (1 - h) * k
        assert kinds == expected_kinds(p, c), f"p={p}, k={k}, hands={h}: {kinds}"


def test_tying_hands_never_separates_sinking_costs_separates_between_v_U_and_d():
    ks = np.linspace(0.02, 1.6, 80)
    ks = ks[(np.abs(ks - V_U) > 1e-3) & (np.abs(ks - D) > 1e-3)]
    for hands in (0.0, 1.0):
        kk = ks[ks < D - V_U] if hands == 1 else ks          # the constraint v_U + hands*k < d
        found, _ = batch_kinds({"k": kk, "hands": np.full(len(kk), hands), "p": np.full(len(kk), 0.25)})
        sep = np.array(["separating" in f for f in found])
        if hands == 1:
            assert not sep.any()
        else:
            assert np.array_equal(sep, (kk > V_U) & (kk < D))


def test_hybrid_strategies_match_closed_forms():
    # p < mu*: the unresolved type bluffs with q, the Challenger challenges a signal with s
    for hands, k, p in ((1.0, 0.4, 0.25), (0.0, 0.2, 0.1), (0.5, 0.3, 0.2)):
        c = (1 - hands) * k
        res = signalling_pbe(SignallingGame.from_tree(MODEL.at(p=p, k=k, hands=hands)))
        (hyb,) = res.of_kind("hybrid")
        st = hyb.strategy()
        q = p * (1 - MU) / ((1 - p) * MU)
        assert st["sender"]["resolved"] == {"signal": 1.0}
        assert st["sender"]["unresolved"]["signal"] == pytest.approx(q, abs=1e-9)
        assert st["receiver"]["signal"]["challenge"] == pytest.approx((V_U - c) / (V_U - c + k), abs=1e-9)
        assert st["receiver"]["none"] == {"challenge": 1.0}
    # p > mu*, sinking costs: the resolved type mixes, the Challenger challenges no signal with c/d
    p, k = 0.6, 0.5
    res = signalling_pbe(SignallingGame.from_tree(MODEL.at(p=p, k=k, hands=0.0)))
    (hyb,) = res.of_kind("hybrid")
    st = hyb.strategy()
    assert st["sender"]["resolved"]["signal"] == pytest.approx(1 - MU * (1 - p) / (p * (1 - MU)), abs=1e-9)
    assert st["sender"]["unresolved"] == {"none": 1.0}
    assert st["receiver"]["none"]["challenge"] == pytest.approx(k / D, abs=1e-9)
    (sep,) = res.of_kind("separating")
    assert sep.strategy()["sender"]["resolved"] == {"signal": 1.0}
    assert sep.strategy()["receiver"]["signal"] == {"not": 1.0}


def test_measures_against_closed_forms_and_in_unit_interval():
    # tying hands, p = 0.25 < mu*, k = 0.4: hybrid and pooling on none.  Hybrid: P(signal) = p + (1-p) q with
    # q = 2/3 -> 0.75; s = 0.3/0.7 = 3/7; P(war) = p s; posterior after a signal = mu* = 1/3.
    # Pooling: P(signal) = 0, P(war) = p = 0.25 (every resolved Defender is challenged and fights).
    cols = measure_columns(MODEL, full({"p": [0.25], "k": [0.4], "hands": [1.0]}), "pbe", None)
    s = 0.3 / 0.7
    assert cols["equilibria_measured"][0] == 2
    assert cols["P_signal[max]"][0] == pytest.approx(0.75) and cols["P_signal[min]"][0] == pytest.approx(0)
    assert cols["P_war[min]"][0] == pytest.approx(0.25 * s) and cols["P_war[max]"][0] == pytest.approx(0.25)
    assert cols["posterior_signal[max]"][0] == pytest.approx(MU)
    assert cols["P_bluff[max]"][0] == pytest.approx(0.75 * 2 / 3)
    assert cols["P_bluff_called[max]"][0] == pytest.approx(0.75 * 2 / 3 * s)
    assert cols["reverse_separating[max]"][0] == 0
    # measures lie in [0, 1] over a random batch satisfying the constraints
    rng = np.random.default_rng(1)
    n = 400
    pts = {"p": rng.uniform(0.01, 0.99, n), "hands": rng.uniform(0, 1, n), "v_U": rng.uniform(0.05, 0.6, n),
           "d": rng.uniform(0.7, 1.5, n)}
    pts["k"] = rng.uniform(0.01, 1, n) * np.minimum(2.0, (pts["d"] - pts["v_U"]) / np.maximum(pts["hands"], 1e-9))
    cols = measure_columns(MODEL, full(pts), "pbe", None)
    assert cols["equilibria_complete"].all()
    for m in MODEL.measures.values():
        if m.unit in ("probability", "share"):
            lo, hi = cols[f"{m.name}[min]"], cols[f"{m.name}[max]"]
            assert np.all(lo >= -1e-9) and np.all(hi <= 1 + 1e-9), m.name


def test_batched_sweep_of_ten_thousand_points():
    from deterrence.analysis.sweep import sweep
    grid_ = {"p": np.linspace(0.01, 0.99, 100), "k": np.linspace(0.01, 1.5, 100)}
    t = sweep(MODEL, {**grid_, "hands": [0.0]})
    assert len(t["p"]) == 10_000
    assert np.asarray(t["complete"]).all()
    assert np.all(np.asarray(t["P_war[max]"]) <= 1 + 1e-12)


def test_same_regions_as_the_signalling_resolve_example():
    # Sinking costs with v_U = 1, d = 2, mu* = 1/2 and p = 0.3 is examples/signalling_resolve.py's crisis
    # (a resolved sender gains 2 from deterrence, an irresolute one 1): the same kinds at every cost.
    spec = importlib.util.spec_from_file_location("signalling_resolve", ROOT / "examples" / "signalling_resolve.py")
    ex = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ex)
    costs = np.array([0.25, 0.5, 0.75, 1.25, 1.5, 1.75, 2.25, 2.5])
    found, _ = batch_kinds({"k": costs, "hands": np.zeros(8), "p": np.full(8, 0.3), "v_U": np.ones(8),
                            "d": np.full(8, 2.0), "v_R": np.full(8, 3.0), "x_war": np.full(8, -1.0)})
    for c, kinds in zip(costs, found):
        assert kinds == ex.expected_kinds(float(c)), c


def test_bad_parameters_are_model_errors_naming_them():
    with pytest.raises(ModelError, match=r"'hands'.*outside its domain \[0, 1\]"):
        MODEL.at(hands=1.5)
    with pytest.raises(ModelError, match=r"'p'.*outside its domain \[0, 1\]"):
        MODEL.at(p=1.2)
    with pytest.raises(ModelError, match=r"'k'.*outside its domain \(0, inf\)"):
        MODEL.at(k=-1.0)
    with pytest.raises(ModelError, match="v_U \\+ hands\\*k < d"):
        MODEL.at(hands=1.0, k=0.8)              # the audience cost would commit the unresolved type


def test_claim_verdicts():
    checks = {c.claim.id: c for c in check_claims(MODEL, samples=120)}
    assert checks["no_bluff_in_separating"].verdict == "holds"
    assert checks["separation_threshold"].verdict == "holds"
    # Fearon's 'never bluff' over every equilibrium fails where c < v_U (hybrids, pooling on the signal)
    nb = checks["never_bluff"]
    assert nb.verdict == "holds_on_share"
    ce = nb.counterexample
    assert (1 - ce["hands"]) * ce["k"] < ce["v_U"]
    # war risk: holds exactly where the prior does not deter (p < 1/3), fails above
    war = checks["tying_hands_war_risk"]
    assert war.verdict == "holds_on_share"
    assert war.counterexample["p"] > MU
    assert war.failing_region["box"]["p"][0] > MU - 0.02
    pay = checks["tying_hands_better_for_defender"]
    assert pay.verdict == "holds_on_share"
    p, k = pay.counterexample["p"], pay.counterexample["k"]
    assert p < MU
    # tying hands loses where d*v_U > k*(v_U + k) (k > v_U) or d*k > v_U*(v_U + k) (k < v_U)
    assert (D * V_U > k * (V_U + k)) if k > V_U else (D * k > V_U * (V_U + k))


def test_strong_set_order_is_for_compare_claims_only():
    from deterrence.analysis.claims import Claim
    from deterrence.errors import ExpressionError
    src = {"source": "Fearon (1997)", "words": "w"}
    with pytest.raises(ExpressionError, match="'sets'.*compare claims only"):
        Claim.from_spec(dict(id="x", kind="inequality", holds="P_war <= 1", equilibria="sets", **src), MODEL)
    with pytest.raises(ExpressionError, match="'all', 'some' or 'sets'"):
        Claim.from_spec(dict(id="x", kind="inequality", holds="P_war <= 1", equilibria="most", **src), MODEL)
    # 'all' compares every equilibrium with every other: the pooling equilibrium on no signal (P(war) = p under
    # both instruments at p < 1/3) against sinking costs' separating one (no war) makes it fail at p < 1/3
    spec = {**{c.id: c for c in MODEL.claims}["tying_hands_war_risk"].spec, "equilibria": "all",
            "region": {"p": [0.02, 0.3], "k": [0.35, 0.65]}}
    from deterrence.analysis.claims import check_claim
    assert check_claim(MODEL, spec, samples=20).verdict == "fails"
    assert check_claim(MODEL, dict(spec, equilibria="sets"), samples=20).verdict == "holds"


def test_example_script_runs_and_asserts_what_it_prints(tmp_path):
    import os
    import subprocess
    import sys
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""), MPLBACKEND="Agg")
    png = tmp_path / "costly.png"
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "costly_signals.py"), "--plot", str(png)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert out.count("agreement of the PBE kinds with the closed form: 100.00%") == 2
    assert "separating iff v_U/(1 - hands) < k < d/(1 - hands)" in out        # solved by sympy, asserted
    assert "no_bluff_in_separating             holds " in out
    assert "tying_hands_war_risk               holds_on_share" in out
    assert out.rstrip().splitlines()[-1].startswith("OK:")
    try:
        import matplotlib  # noqa: F401
        assert png.exists() and png.stat().st_size > 10_000
    except ImportError:
        assert "matplotlib is not installed" in out


def test_measure_listing_of_a_signalling_tree_says_mixed_families_are_included():
    from deterrence.analysis.equilibrium_sets import equilibrium_set
    eqs = equilibrium_set(MODEL, full({"p": [0.25]}), "pbe")
    assert not eqs.pure.all()                      # the hybrid is listed
    assert "hybrid" in eqs.description and "pure" not in eqs.description
