"""The tripartite crisis with a privately determined Challenger (models/tripartite_crisis_signalling.toml).

The engine's perfect-Bayesian route is checked against computations written here independently of it:

* a brute force over every pure strategy profile of each provocation state (the draw is public and no
  information set spans both states, so the pure equilibria of the game are the products of those of the
  two states), with beliefs by Bayes' rule where an information set is reached and the existence of a
  supporting belief where it is not: the weak perfect Bayesian equilibria (Mas-Colell, Whinston & Green
  1995, Def. 9.C.3), written from the game form, not from the tree file;
* the closed form of the hybrid equilibrium (the undetermined type bluffs just enough that the bound
  irresolute Defender is indifferent, which mixes just enough that the undetermined type is indifferent);
* pygambit: every equilibrium the engine lists is a Nash equilibrium of gambit's reading of the exported
  .efg, with gambit's Bayes beliefs on the path, and gambit's agent-logit limit is the engine's hybrid
  (lcp needs two players and enumpure did not finish in 5 minutes on this 3-player tree, so neither is used);
* the late-draw model (tripartite_crisis) at p_C in {0, 1}, where there is one type and nothing to signal.
"""

from __future__ import annotations

import io
import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

import deterrence as d
from deterrence.analysis.measures import evaluate_measure
from deterrence.analysis.equilibrium_sets import equilibrium_set
from deterrence.errors import ModelError
from deterrence.solve import perfect_bayesian
from deterrence.solve.concepts import game_kind, route

from _tripartite import tripartite_point

MODEL = d.load_model("tripartite_crisis_signalling")
LATE = d.load_model("tripartite_crisis")
STATES = ("unprovoked", "provoked")
TYPES = ("determined", "undetermined")
DEFENDERS = ("resolved", "bound", "free")
EPS = 1e-9


def binding(c, q, state):
    """Probability that the pledge binds, by commitment type and provocation (the model's description)."""
    if state == "unprovoked":
        return {0: 0.0, 1: q, 2: 1.0, 3: 1.0}[int(c)]
    return {0: 0.0, 1: q, 2: 0.0, 3: 1.0}[int(c)]


def payoff(P, c, dt, path):
    """(Challenger, Defender, Protégé) payoffs at the end of *path* (a tuple of action labels after the challenge)."""
    k = P["k"] if dt == "bound" else 0.0
    if path == ("status_quo",):
        return (P["a_SQ"], 0.0, 0.0)
    if path[1] == "support":
        if path[2] == "resist":
            if path[3] == "fight":
                return (P["a_W"] if c == "determined" else P["a_W_soft"],
                        P["d_W_res"] if dt == "resolved" else P["d_W_irr"], P["s_P"])
            return (P["a_B"], P["g_D"], P["w_P"])
        if path[2] == "concede":
            return (P["a_DC"], -P["s_D"], -P["c_P"])
        return (P["a_RA"], -P["s_D"] - P["r_D"], P["u_R"])
    if path[2] == "resist":
        return (P["a_V"], -P["s_D"] - k, -P["L_P"])
    if path[2] == "concede":
        return (P["a_DC"], -P["s_D"] - k, -P["c_P"])
    return (P["a_RA"], -P["s_D"] - P["r_D"] - k, P["u_R"])


def _exists_belief(values):
    """Is there m in [0, 1] where values[0](m) >= values[j](m) for all j?  Each value is (at m=0, at m=1)."""
    cands = {0.0, 1.0}
    for (a0, a1), (b0, b1) in itertools.combinations(values, 2):
        den = (a1 - a0) - (b1 - b0)
        if abs(den) > 1e-15:
            m = (b0 - a0) / den
            if 0 <= m <= 1:
                cands.add(m)
    at = lambda v, m: v[0] + m * (v[1] - v[0])          # noqa: E731
    return any(all(at(values[0], m) >= at(v, m) - EPS for v in values[1:]) for m in cands)


def brute_force_state(P, state):
    """Every pure weak PBE of one provocation state, as dicts {information set: action}."""
    theta = binding(P["commitment"], P["q"], state)
    prior_c = {"determined": P["p_C"], "undetermined": 1 - P["p_C"]}
    prior_d = {"resolved": P["p_D"], "bound": (1 - P["p_D"]) * theta, "free": (1 - P["p_D"]) * (1 - theta)}
    out = []
    for (cd, cu, sd, su, dr, db, df, ps, pa) in itertools.product(
            ("status_quo", "challenge"), ("status_quo", "challenge"), ("fight", "back_down"),
            ("fight", "back_down"), *[("support", "abandon")] * 3, *[("resist", "concede", "realign")] * 2):
        C = {"determined": cd, "undetermined": cu}
        S = {"determined": sd, "undetermined": su}
        D = {"resolved": dr, "bound": db, "free": df}

        def value(c, dt, ch=None, de=None, pr_s=None, pr_a=None, sh=None):
            """Payoffs from the Challenger's first move at node (c, dt), with optional overrides."""
            if (ch or C[c]) == "status_quo":
                return payoff(P, c, dt, ("status_quo",))
            de = de or D[dt]
            if de == "support":
                r = pr_s or ps
                path = ("challenge", "support", r) + (((sh or S[c]),) if r == "resist" else ())
            else:
                path = ("challenge", "abandon", pr_a or pa)
            return payoff(P, c, dt, path)

        ok = True
        # showdown: the Challenger's payoff does not depend on the Defender's type (any belief)
        for c in TYPES:
            ok &= value(c, "resolved", ch="challenge", de="support", pr_s="resist", sh=S[c])[0] >= \
                value(c, "resolved", ch="challenge", de="support", pr_s="resist",
                      sh={"fight": "back_down", "back_down": "fight"}[S[c]])[0] - EPS
        # the abandoned Protégé: its payoff does not depend on the node
        alone = {a: value("determined", "free", ch="challenge", de="abandon", pr_a=a)[2]
                 for a in ("resist", "concede", "realign")}
        ok &= alone[pa] >= max(alone.values()) - EPS
        if not ok:
            continue
        # the supported Protégé: its payoff depends on the Challenger's type only; m = belief it is determined
        reach = {(c, dt): prior_c[c] * prior_d[dt] * (C[c] == "challenge") * (D[dt] == "support")
                 for c in TYPES for dt in DEFENDERS}
        vals = {a: (value("undetermined", "resolved", "challenge", "support", a)[2],
                    value("determined", "resolved", "challenge", "support", a)[2])
                for a in ("resist", "concede", "realign")}
        tot = sum(reach.values())
        if tot > 0:
            m = sum(v for (c, _), v in reach.items() if c == "determined") / tot
            at = {a: v[0] + m * (v[1] - v[0]) for a, v in vals.items()}
            ok &= at[ps] >= max(at.values()) - EPS
        else:
            ok &= _exists_belief([vals[ps]] + [v for a, v in vals.items() if a != ps])
        # the Defender of each type: belief m that the Challenger is determined
        for dt in DEFENDERS:
            alt = {"support": "abandon", "abandon": "support"}[D[dt]]
            v_own = (value("undetermined", dt, "challenge")[1], value("determined", dt, "challenge")[1])
            v_alt = (value("undetermined", dt, "challenge", alt)[1], value("determined", dt, "challenge", alt)[1])
            w = {c: prior_c[c] * (C[c] == "challenge") for c in TYPES}
            if prior_d[dt] > 0 and w["determined"] + w["undetermined"] > 0:
                m = w["determined"] / (w["determined"] + w["undetermined"])
                ok &= v_own[0] + m * (v_own[1] - v_own[0]) >= v_alt[0] + m * (v_alt[1] - v_alt[0]) - EPS
            else:
                ok &= _exists_belief([v_own, v_alt])
        # the Challenger of each type: its whole plan (challenge and showdown) against every other plan
        for c in TYPES:
            def plan_value(ch, sh, belief):
                return sum(belief[dt] * value(c, dt, ch=ch, sh=sh)[0] for dt in DEFENDERS)
            plans = [("status_quo", S[c]), ("challenge", "fight"), ("challenge", "back_down")]
            if prior_c[c] > 0:
                tot_d = sum(prior_d.values())
                bel = {dt: prior_d[dt] / tot_d for dt in DEFENDERS}
                own = plan_value(C[c], S[c], bel)
                ok &= all(own >= plan_value(ch, sh, bel) - EPS for ch, sh in plans)
            else:       # a type of prior zero: some belief over the Defender's types supports its plan (a
                # weak PBE lets it be any belief over the set's nodes, those of chance probability zero included;
                # with the showdown optimal, fight weakly dominates back down node by node, so a node will do)
                ok &= any(all(value(c, dt, ch=C[c])[0] >= value(c, dt, ch=ch, sh=sh)[0] - EPS for ch, sh in plans)
                          for dt in DEFENDERS)
        if ok:
            out.append({f"challenger_determined_{state}": cd, f"challenger_undetermined_{state}": cu,
                        f"showdown_determined_{state}": sd, f"showdown_undetermined_{state}": su,
                        f"defender_{state}_resolved": dr, f"defender_{state}_bound": db,
                        f"defender_{state}_free": df, f"protege_supported_{state}": ps,
                        f"protege_abandoned_{state}": pa})
    return out


def brute_force(P):
    """Every pure weak PBE of the game: the products of the two states' equilibria."""
    return {frozenset({**a, **b}.items()) for a in brute_force_state(P, "unprovoked")
            for b in brute_force_state(P, "provoked")}


def engine_pure(res):
    out = set()
    for e in res.equilibria:
        if not e.pure:
            continue
        out.add(frozenset((h, acts[int(np.argmax(x))]) for h, acts, x in zip(e.infosets, e.actions, e.profile)))
    return out


def sigma_at(P, state, mu):
    """Support a challenger expects when the Defender believes it determined with probability mu (pure play)."""
    R = int(np.argmax([-P["c_P"], P["u_R"], -P["L_P"]]))
    theta = binding(P["commitment"], P["q"], state)
    support = mu * P["d_W_irr"] + (1 - mu) * P["g_D"]
    A_free = -P["s_D"] - P["r_D"] * (R == 1)
    A_bound = A_free - P["k"]
    a_R = [P["a_DC"], P["a_RA"], P["a_V"]][R]
    return P["p_D"] + (1 - P["p_D"]) * (theta * (support > A_bound) + (1 - theta) * (support > A_free)), a_R


# ---------------------------------------------------------------------- the route
def test_the_registry_routes_it_to_the_weak_pbe_enumeration():
    assert game_kind(MODEL) == "incomplete_information"
    r = route(MODEL)
    assert r.concept == "pbe" and "pure weak perfect Bayesian" in r.computes and "agent-QRE" in r.computes
    with pytest.raises(Exception, match="subgame perfection"):
        route(MODEL, "spe")


def test_cli_solve_reports_weak_pbe_with_beliefs_and_the_mixed_search(capsys):
    from deterrence.cli import main
    assert main(["solve", "tripartite_crisis_signalling"]) == 0
    out = capsys.readouterr().out
    assert "every pure weak perfect Bayesian equilibrium" in out and "agent-QRE" in out
    assert "not certified complete" in out and "off path defender_unprovoked_free" in out
    assert "mixed" in out                           # the hybrid found by the agent-QRE limit is listed
    # the measures are of the pure weak PBE and say so (not "sequential equilibrium")
    assert "sequential" not in out.split("measures (")[1].splitlines()[0]
    assert "weak perfect Bayesian" in out.split("measures (")[1].splitlines()[0]


# ---------------------------------------------------------------------- brute force
@settings(max_examples=6, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), commitment=st.integers(0, 3))
def test_pure_equilibria_equal_the_brute_force(seed, commitment):
    # property over the parameter space: the engine's pure weak PBE are exactly the brute force's
    P = tripartite_point(np.random.default_rng(seed), interior=0.05)
    P["commitment"] = float(commitment)
    res = perfect_bayesian(MODEL.at(**P), mixed=False)
    assert res.complete_pure
    assert engine_pure(res) == brute_force(P)
    for e in res.equilibria:
        assert e.regret <= 1e-7 and e.nash_regret <= 1e-7


@pytest.mark.parametrize("p_C", [0.0, 1.0])
def test_brute_force_at_a_type_of_prior_zero(p_C):
    P = tripartite_point(np.random.default_rng(7), interior=0.05)
    P["p_C"] = p_C
    assert engine_pure(perfect_bayesian(MODEL.at(**P), mixed=False)) == brute_force(P)


def test_pooling_on_the_status_quo_is_always_an_equilibrium():
    # by hand (the description): with the belief that a challenger is undetermined every Defender supports
    # (g_D > -s_D) and the determined type faces a_W < a_SQ; the brute force finds it at every sampled point
    rng = np.random.default_rng(5)
    for _ in range(20):
        P = tripartite_point(rng, interior=0.05)
        for state in STATES:
            assert any(e[f"challenger_determined_{state}"] == e[f"challenger_undetermined_{state}"] == "status_quo"
                       for e in brute_force_state(P, state))


# ---------------------------------------------------------------------- the hybrid
def test_hybrid_equilibrium_at_the_defaults_matches_its_closed_form():
    # By hand at the defaults (straddle, q = 0.3): the abandoned Protégé realigns (a_R = 1.5); at mu = 1 only
    # the resolved Defender supports (sigma = 0.3) and both types would challenge (0.3*(-1.5) + 0.7*1.5 > 0),
    # so there is no separating equilibrium; at mu = p_C = 0.8 the bound Defender supports, the free one not
    # (-1.5 against -1.7 and -1.3), sigma = 0.51 and the undetermined type stays out: no pooling on a challenge.
    # Hybrid: the undetermined type challenges with x_U so that mu makes the bound Defender indifferent,
    # mu* = (g_D + s_D + r_D + k)/(g_D - d_W_irr) = 2.2/2.5 = 0.88, x_U = p_C(1 - mu*)/((1 - p_C)mu*);
    # the bound Defender supports with y so that sigma = p_D + (1 - p_D) q y = a_R/(a_R - a_B) = 0.5.
    res = perfect_bayesian(MODEL.at())
    mixed = [e for e in res.equilibria if not e.pure]
    assert len(mixed) == 1 and not res.complete
    e = mixed[0]
    prof = dict(zip(e.infosets, e.profile))
    x_U = 0.8 * 0.12 / (0.2 * 0.88)
    y = (0.5 - 0.3) / (0.7 * 0.3)
    for s in STATES:
        np.testing.assert_allclose(prof[f"challenger_determined_{s}"], [0, 1], atol=1e-7)
        np.testing.assert_allclose(prof[f"challenger_undetermined_{s}"], [1 - x_U, x_U], atol=1e-7)
        np.testing.assert_allclose(prof[f"defender_{s}_bound"], [y, 1 - y], atol=1e-7)
        np.testing.assert_allclose(prof[f"defender_{s}_free"], [0, 1], atol=1e-7)
        bel = dict(zip(e.infosets, e.beliefs))[f"defender_{s}_bound"]
        np.testing.assert_allclose(bel, [0.88, 0.12], atol=1e-7)      # determined node first
    # its pure equilibria are the four poolings on the status quo (off-path Defender choices differ)
    assert len(engine_pure(res)) == 4 == len(brute_force(MODEL.defaults()))


# ---------------------------------------------------------------------- the late-draw model at p_C in {0, 1}
def _prior_consistent(e, p_C):
    """Every off-path Defender information set admits the belief that the Challenger is of the only type."""
    for h, nodes, on in zip(e.infosets, e.nodes, e.on_path):
        if not h.startswith("defender_") or on:
            continue
        want = np.array([1.0 if ("_determined_" in n) == (p_C == 1) else 0.0 for n in nodes])
        bs = e.belief_sets.get(h)
        if bs is not None and not bs.contains(want, 1e-9):
            return False
    return True


@pytest.mark.parametrize("p_C", [0.0, 1.0])
@pytest.mark.parametrize("seed", range(2))
def test_agrees_with_the_late_draw_model_when_there_is_one_type(p_C, seed):
    rng = np.random.default_rng(50 + seed)
    P = tripartite_point(rng, interior=0.05)
    P["p_C"] = p_C
    P["commitment"] = float(seed + 1)
    pts = {k: np.array([v]) for k, v in P.items()}
    late_eqs = equilibrium_set(LATE, pts, "pbe")
    assert late_eqs.counts[0] == 1                          # generic point: one sequential equilibrium
    late = {k: float(evaluate_measure(LATE.measures[k], LATE, late_eqs, pts)[0])
            for k in LATE.measures if k in MODEL.measures}
    res = perfect_bayesian(MODEL.at(**P), mixed=False)
    eqs = equilibrium_set(MODEL, pts, "pbe")
    assert eqs.counts[0] == len(res.equilibria)
    idx = [i for i, e in enumerate(res.equilibria) if _prior_consistent(e, p_C)]
    assert idx, "the late draw's equilibrium, with the prior as belief, is a weak PBE"
    # the listing is in the solver's order: check it on P(challenge) read off each equilibrium's outcomes
    sq = np.array([e.outcome_probabilities.get("status quo (deterrence succeeds)", 0.0) for e in res.equilibria])
    np.testing.assert_allclose(evaluate_measure(MODEL.measures["P_challenge"], MODEL, eqs, pts), 1 - sq, atol=1e-12)
    for k, want in late.items():
        v = evaluate_measure(MODEL.measures[k], MODEL, eqs, pts)
        np.testing.assert_allclose(v[idx], want, atol=1e-9, err_msg=k)


# ---------------------------------------------------------------------- D1: the determined type and sigma(1)
@settings(max_examples=3, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_d1_pins_the_determined_type_to_the_late_draw_threshold(seed):
    # By hand: the determined type gains more from a challenge at every level of support, so D1 puts the
    # Defender's off-path belief on it; in every equilibrium that survives D1 it challenges iff
    # sigma(1)*a_W + (1 - sigma(1))*a_R > a_SQ (sigma(1): the support against a sure determined challenger)
    rng = np.random.default_rng(seed)
    P = tripartite_point(rng, interior=0.05)
    P["commitment"] = 1.0
    res = perfect_bayesian(MODEL.at(**P))
    for state in STATES:
        s1, a_R = sigma_at(P, state, 1.0)
        gain = s1 * P["a_W"] + (1 - s1) * a_R - P["a_SQ"]
        if abs(gain) < 1e-6:
            continue
        d1 = [e for e in res.equilibria if _prior_consistent_state(e, state)]
        if gain < 0:        # the pooling on the status quo with belief 1 on the determined type: pure, listed
            assert d1
        # (where gain > 0 the D1 equilibrium may be a hybrid the one mixed equilibrium sought is not)
        for e in d1:
            x = dict(zip(e.infosets, e.profile))[f"challenger_determined_{state}"][1]
            assert x == pytest.approx(float(gain > 0), abs=1e-7)


def _prior_consistent_state(e, state):
    """D1 in one state: where no type challenges, every Defender set admits belief 1 on the determined type."""
    prof = dict(zip(e.infosets, e.profile))
    if any(prof[f"challenger_{c}_{state}"][1] > 0 for c in TYPES):
        return True
    for h, nodes, on in zip(e.infosets, e.nodes, e.on_path):
        if h.startswith(f"defender_{state}_") and not on and h in e.belief_sets:
            want = np.array([1.0 if "_determined_" in n else 0.0 for n in nodes])
            if not e.belief_sets[h].contains(want, 1e-9):
                return False
    return True


# ---------------------------------------------------------------------- pygambit
def test_every_equilibrium_is_nash_in_gambit_with_gambit_beliefs_on_the_path():
    gbt = pytest.importorskip("pygambit")
    from deterrence.io.gambit import to_efg
    P = tripartite_point(np.random.default_rng(11), interior=0.05)
    P["commitment"] = 2.0
    G = gbt.read_efg(io.StringIO(to_efg(MODEL, **P)))
    res = perfect_bayesian(MODEL.at(**P), mixed=False)
    assert res.equilibria
    infosets = {i.label: i for p in G.players for i in p.infosets}
    for e in res.equilibria[:6]:             # they differ off the path; six keep the test short
        prof = G.mixed_behavior_profile(rational=False)
        for h, x in zip(e.infosets, e.profile):
            for a, p in zip(infosets[h].actions, x):
                prof[a] = float(p)
        assert float(prof.max_regret()) < 1e-9
        for h, nodes, bel, on in zip(e.infosets, e.nodes, e.beliefs, e.on_path):
            if on and len(nodes) > 1:
                gb = {n.label: float(prof.belief(n)) for n in infosets[h].members}
                np.testing.assert_allclose([gb[n] for n in nodes], bel, atol=1e-9)


def test_gambit_agent_logit_limit_is_the_engine_hybrid():
    gbt = pytest.importorskip("pygambit")
    from deterrence.io.gambit import to_efg
    G = gbt.read_efg(io.StringIO(to_efg(MODEL)))
    g = gbt.nash.logit_solve(G, maxregret=1e-8, first_step=0.1, max_accel=1.5).equilibria[0]
    e = next(e for e in perfect_bayesian(MODEL.at()).equilibria if not e.pure)
    infosets = {i.label: i for p in G.players for i in p.infosets}
    for h, x in zip(e.infosets, e.profile):
        np.testing.assert_allclose([float(g[a]) for a in infosets[h].actions], x, atol=1e-5, err_msg=h)


# ---------------------------------------------------------------------- bad input, claims
@pytest.mark.parametrize("name, value", [("p_C", 1.5), ("p_D", -0.1), ("q", 2.0), ("commitment", 4.0),
                                         ("k", -1.0)])
def test_bad_parameters_name_the_parameter(name, value):
    with pytest.raises(ModelError, match=name):
        MODEL.at(**{name: value})


def test_shipped_claim_on_the_bluff_belief_holds():
    # derived by hand in the claim's note; tests/test_claims.py walks every claim of every model
    from deterrence.analysis.claims import check_claim
    assert check_claim(MODEL, "bluff_belief_always_deters", samples=4).verdict == "holds"


def test_with_a_mild_cost_of_backing_down_the_d1_equilibrium_is_a_hybrid_the_pure_listing_misses():
    # Why the shipped claims make backing down costly: with the defaults' a_B = -1.5 and a low p_C the
    # equilibrium that survives D1 is a hybrid, which the sweep's pure listing does not hold (the claim on an
    # unconditional commitment without reneging cost failed at about 65% of such a region for that reason
    # alone).  By hand at commitment 3, k = 0, u_R = -1.5
    # (the abandoned Protégé concedes: a_R = a_DC = 1), p_D = 0.2, p_C = 0.3: an irresolute Defender's cutoff is
    # mu* = (g_D + s_D)/(g_D - d_W_irr) = 1.5/2.5 = 0.6 > p_C, so pooling on a challenge meets sure support and
    # the undetermined type stays out; at mu = 1 the support is p_D = 0.2 and the undetermined type would
    # challenge (0.2*(-1.5) + 0.8*1 > 0): no separating equilibrium.  The hybrid: x_U makes mu = 0.6,
    # x_U = 0.3*0.4/(0.7*0.6); the irresolute Defender supports with y so that sigma = 0.2 + 0.8y makes the
    # undetermined type indifferent, sigma*(-1.5) + (1 - sigma)*1 = 0, sigma = 0.4, y = 0.25.
    P = dict(commitment=3, k=0.0, u_R=-1.5, p_D=0.2, p_C=0.3)
    res = perfect_bayesian(MODEL.at(**P))
    assert not any(dict(zip(e.infosets, e.profile))["challenger_determined_unprovoked"][1] > 0
                   for e in res.equilibria if e.pure)
    e = next(e for e in res.equilibria if not e.pure)
    prof = dict(zip(e.infosets, e.profile))
    for s in STATES:
        np.testing.assert_allclose(prof[f"challenger_determined_{s}"], [0, 1], atol=1e-7)
        np.testing.assert_allclose(prof[f"challenger_undetermined_{s}"][1], 0.3 * 0.4 / (0.7 * 0.6), atol=1e-7)
        np.testing.assert_allclose(prof[f"defender_{s}_bound"], [0.25, 0.75], atol=1e-7)


def test_straddle_claim_counterexample_is_one_of_the_closed_form():
    # where the shipped claim fails, a Defender sure of a determined Challenger supports often enough that the
    # determined type is deterred: sigma(1)*a_W + (1 - sigma(1))*a_R <= a_SQ (the claim's note, by hand)
    from deterrence.analysis.claims import check_claim
    c = check_claim(MODEL, "straddle_fails_against_determined_challenger", samples=8, seed=3)
    assert c.verdict in ("holds_on_share", "fails"), c.verdict
    P = {k: v for k, v in c.counterexample.items() if k != "found"}
    for state in STATES:
        s1, a_R = sigma_at(P, state, 1.0)
        assert s1 * P["a_W"] + (1 - s1) * a_R - P["a_SQ"] < 0
