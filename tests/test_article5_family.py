"""The model family ``article5``: collective defence with N guarantors, reachable like a model file.

Independent checks: the law of the number of allies who fight by brute force over the 2**N honour
patterns, with the common-shock law written here (an integral over the shared draw U, piece by piece
between the sorted reliabilities), the challenger's choice from its expected payoff computed here, and
:func:`collective_defence` (its own truncated recursion) on the points of the engine's batched sweep.
The crossings the claims' verdicts report are located here by bisection on the binomial law.
"""

from __future__ import annotations

import itertools
import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import deterrence
from deterrence.alliances import collective_defence
from deterrence.analysis.claims import check_claim
from deterrence.analysis.sweep import sweep
from deterrence.errors import ModelError
from deterrence.games import ParametricTree
from deterrence.games.derived import DerivedQuantities

from _cli import run


# ---------------------------------------------------------------- independent computations
def brute_law(p, rho):
    """P(K = k): (1 - rho) x the sum over the 2**N honour patterns + rho x the law under one shared draw U,
    integrated over U in the pieces between the sorted reliabilities (K = #{i : U < p_i} is constant there)."""
    n = len(p)
    indep = np.zeros(n + 1)
    for pattern in itertools.product((0, 1), repeat=n):
        indep[sum(pattern)] += math.prod(pi if x else 1 - pi for pi, x in zip(p, pattern))
    shared = np.zeros(n + 1)
    cuts = np.unique(np.r_[0.0, np.asarray(p, float), 1.0])
    for a, b in zip(cuts[:-1], cuts[1:]):
        u = (a + b) / 2
        shared[sum(u < pi for pi in p)] += b - a
    return (1 - rho) * indep + rho * shared


def brute_point(p, rho, s_t, s_a, s_c, v, d, c):
    """(law of K, credibility, attack?) at one point, from the stated model."""
    law = brute_law(p, rho)
    enough = np.array([s_t + k * s_a >= s_c - 1e-12 for k in range(len(p) + 1)])
    cred = float(law[enough].sum())
    attack_value = (1 - cred) * v - cred * d - c
    return law, cred, attack_value


def binom_tail(n, k, p):
    return sum(math.comb(n, j) * p ** j * (1 - p) ** (n - j) for j in range(k, n + 1))


def bisect(f, lo, hi, it=80):
    flo = f(lo)
    for _ in range(it):
        mid = (lo + hi) / 2
        if (f(mid) > 0) == (flo > 0):
            lo, flo = mid, f(mid)
        else:
            hi = mid
    return (lo + hi) / 2


# ---------------------------------------------------------------- the family as a model
def test_family_builds_a_tree_with_named_parameters_measures_and_claims():
    m = deterrence.load_model("article5:n=12")
    assert isinstance(m, ParametricTree) and m.name == "article5" and m.players == ("Challenger",)
    assert m.defaults()["reliability"] == 0.745            # Leeds, Long and Mitchell (2000)
    assert "Leeds" in m.parameters["reliability"].source
    assert {"P_attack", "P_war", "collective_credibility", "expected_coalition_size", "P_allies_0",
            "P_allies_12"} <= set(m.measures)
    assert {c.id for c in m.claims} >= {"credibility_rises_with_guarantors",
                                        "correlation_lowers_credibility_when_few_allies_needed"}
    h = deterrence.load_model("article5:n=5,distinct=1")
    assert h.name == "article5:n=5,distinct=1"
    assert [p for p in h.parameter_names if p.startswith("reliability")] == [f"reliability_{i}" for i in range(1, 6)]
    assert deterrence.load_model("article5:n=1").name == "article5:n=1"


@pytest.mark.parametrize("arg, match", [("n=0", "argument n must be in 1..64"), ("n=65", "argument n must be in 1..64"),
                                        ("distinct=2", "argument distinct must be in 0..1"),
                                        ("m=3", "unknown argument 'm'")])
def test_bad_family_arguments_are_refused_naming_the_argument_and_range(arg, match, capsys):
    with pytest.raises(ModelError, match=match):
        deterrence.load_model(f"article5:{arg}")
    code, _, err = run(capsys, "show", f"article5:{arg}")
    assert code == 2 and match in err and "Traceback" not in err


@pytest.mark.parametrize("setting, match", [("reliability=1.2", r"'reliability': value 1.2 is outside its domain \[0, 1\]"),
                                            ("correlation=-0.1", r"'correlation': value -0.1 is outside its domain \[0, 1\]"),
                                            ("ally_strength=0", r"'ally_strength': value 0.0 is outside its domain \(0, inf\)")])
def test_bad_parameter_values_are_refused_naming_the_parameter_and_domain(setting, match, capsys):
    code, out, err = run(capsys, "solve", "article5:n=4", "--set", setting)
    assert code == 2 and out == "" and err.count("\n") == 1
    import re
    assert re.search(match, err), err
    key, value = setting.split("=")
    key = "reliability_2" if key == "reliability" else key            # one reliability per guarantor
    with pytest.raises(ModelError, match=match.replace("'reliability'", "'reliability_2'")):
        deterrence.load_model("article5:n=4,distinct=1").at(**{key: float(value)})


@settings(max_examples=25, deadline=None)
@given(data=st.data(), n=st.integers(1, 6), rho=st.floats(0, 1), s_c=st.floats(0, 8), s_t=st.floats(0, 2),
       s_a=st.floats(0.2, 2), v=st.floats(0.1, 2), d=st.floats(0, 2), c=st.floats(0, 1))
def test_engine_equilibrium_and_measures_equal_brute_force(data, n, rho, s_c, s_t, s_a, v, d, c):
    p = data.draw(st.lists(st.floats(0, 1), min_size=n, max_size=n))
    m = deterrence.load_model(f"article5:n={n},distinct=1")
    point = {f"reliability_{i + 1}": x for i, x in enumerate(p)}
    point.update(correlation=rho, target_strength=s_t, ally_strength=s_a, challenger_strength=s_c, value=v,
                 defeat_cost=d, war_cost=c)
    law, cred, gain = brute_point(p, rho, s_t, s_a, s_c, v, d, c)
    if abs(gain) < 1e-9 or abs((s_c - s_t) / s_a - round((s_c - s_t) / s_a)) < 1e-9:
        return                                   # ties and strength boundaries: tested separately
    from deterrence.analysis.measures import measure_columns
    cols = measure_columns(m, {k: np.array([x]) for k, x in point.items()}, "pbe", None)
    assert cols["equilibria_measured"][0] == 1 and cols["equilibria_complete"][0]
    assert cols["collective_credibility"][0] == pytest.approx(cred, abs=1e-9)
    assert cols["P_attack"][0] == (1.0 if gain > 0 else 0.0)
    assert cols["P_war"][0] == pytest.approx(cols["P_attack"][0], abs=1e-12)
    assert cols["expected_coalition_size"][0] == pytest.approx(sum(p), abs=1e-9)
    for k in range(n + 1):
        assert cols[f"P_allies_{k}"][0] == pytest.approx(law[k], abs=1e-9)
    assert cols["P_abandonment"][0] == pytest.approx(cols["P_attack"][0] * law[0], abs=1e-9)


def test_batched_sweep_agrees_with_collective_defence_on_the_same_points():
    # heterogeneous reliabilities (10 guarantors) and a common one (32 guarantors), Latin-hypercube points
    for name, names in [("article5:n=10,distinct=1", [f"reliability_{i}" for i in range(1, 11)] + ["correlation",
                                                                                                "challenger_strength"]),
                        ("article5:n=32", ["reliability", "correlation", "challenger_strength", "war_cost"])]:
        m = deterrence.load_model(name)
        n = 10 if "distinct" in name else 32
        bounds = {"challenger_strength": (0.0, n + 3.0), "war_cost": (0.0, 1.0)}
        t = sweep(m, samples=600, names=names, bounds={k: v for k, v in bounds.items() if k in names}, seed=4)
        rel = (np.stack([t[f"reliability_{i}"] for i in range(1, 11)], axis=-1) if "distinct" in name
               else t["reliability"][:, None] * np.ones(n))
        ref = collective_defence(rel, t["correlation"], target_strength=t["target_strength"],
                                 ally_strength=t["ally_strength"], challenger_strength=t["challenger_strength"],
                                 value=t["value"], defeat_cost=t["defeat_cost"], war_cost=t["war_cost"])
        np.testing.assert_allclose(t["collective_credibility[min]"], ref.collective_credibility, atol=1e-9)
        np.testing.assert_allclose(t["collective_credibility[max]"], ref.collective_credibility, atol=1e-9)
        np.testing.assert_allclose(t["expected_coalition_size"], ref.expected_coalition_size, atol=1e-9)
        # the engine's equilibria bracket collective_defence's choice (both actions at an exact tie)
        assert np.all(t["P_attack[min]"] <= ref.P_attack) and np.all(ref.P_attack <= t["P_attack[max]"])
        gap = np.abs((1 - ref.collective_credibility) * t["value"] - ref.collective_credibility * t["defeat_cost"]
                     - t["war_cost"])
        np.testing.assert_array_equal(t["P_attack"][gap > 1e-9], ref.P_attack[gap > 1e-9])
        np.testing.assert_allclose(t["P_war[max]"], t["P_attack[max]"], atol=1e-12)
        assert set(np.unique(ref.P_attack)) == {0.0, 1.0}           # the sample has both regimes


def test_batched_sweep_equals_brute_force_point_by_point():
    # one batched sweep of article5:n=4,distinct=1 over 80 Latin-hypercube points, each point checked against the
    # 2^4 honour patterns and the shared draw integrated here
    m = deterrence.load_model("article5:n=4,distinct=1")
    names = [f"reliability_{i}" for i in range(1, 5)] + ["correlation", "challenger_strength", "defeat_cost"]
    t = sweep(m, samples=80, names=names, bounds={"challenger_strength": (0.0, 6.0), "defeat_cost": (0.0, 3.0)},
              seed=9)
    for b in range(80):
        p = [float(t[f"reliability_{i}"][b]) for i in range(1, 5)]
        law, cred, gain = brute_point(p, t["correlation"][b], t["target_strength"][b], t["ally_strength"][b],
                                      t["challenger_strength"][b], t["value"][b], t["defeat_cost"][b], t["war_cost"][b])
        assert [t[f"P_allies_{k}"][b] for k in range(5)] == pytest.approx(list(law), abs=1e-9)
        assert t["collective_credibility"][b] == pytest.approx(cred, abs=1e-9)
        if abs(gain) > 1e-9:
            assert t["P_attack"][b] == (1.0 if gain > 0 else 0.0)
            # the outcome columns: war at K = k with probability P(K = k) when it attacks, else no attack
            war = [t[f"P(attack; {k} all{'y' if k == 1 else 'ies'} fight{'s' if k == 1 else ''})"][b] for k in range(5)]
            assert war == pytest.approx(list(law) if gain > 0 else [0.0] * 5, abs=1e-9)


def test_exact_tie_lists_both_equilibria(capsys):
    # one shared draw, one ally needed: credibility = reliability = 0.45 = (v - c)/(v + d): the challenger is
    # indifferent, and both pure choices are sequential equilibria
    code, out, _ = run(capsys, "solve", "article5:n=3", "--set", "reliability=0.45", "--set", "correlation=1",
                       "--set", "challenger_strength=2", "--json")
    assert code == 0
    r = json.loads(out)
    assert r["concept"] == "pbe" and r["regret"] <= 1e-12 and not r["unique"]
    assert r["measures"]["P_attack"]["min"] == 0.0 and r["measures"]["P_attack"]["max"] == 1.0
    assert r["measures"]["collective_credibility"]["values"] == pytest.approx([0.45, 0.45])


# ---------------------------------------------------------------- the commands
def test_list_show_solve_sweep_claims_on_the_family(capsys, tmp_path):
    code, out, _ = run(capsys, "list")
    row = next(line for line in out.splitlines() if line.startswith("article5 "))
    assert "tree" in row and "family n=1..64, distinct=0..1" in row
    code, out, _ = run(capsys, "show", "article5:n=4")
    assert code == 0 and "derived quantities" in out and "prob_K0" in out and "collective_credibility" in out
    code, out, _ = run(capsys, "solve", "article5:n=4", "--set", "correlation=0.5", "--set", "challenger_strength=3",
                       "--json")
    r = json.loads(out)
    law, cred, gain = brute_point([0.745] * 4, 0.5, 1, 1, 3, 1, 1, 0.1)
    assert r["regret"] <= 1e-12 and r["unique"]
    assert r["measures"]["collective_credibility"]["values"] == pytest.approx([cred])
    assert r["measures"]["P_attack"]["values"] == [1.0 if gain > 0 else 0.0]
    assert [r["measures"][f"P_allies_{k}"]["values"][0] for k in range(5)] == pytest.approx(list(law))
    csv = tmp_path / "a5.csv"
    code, out, _ = run(capsys, "sweep", "article5:n=4", "--grid", "reliability=0.05:0.95:7", "--grid",
                       "correlation=0:1:5", "--out", str(csv))
    assert code == 0 and csv.read_text().count("\n") == 36
    code, out, _ = run(capsys, "claims", "article5:n=4", "--json")
    assert code == 0 and {c["claim"]["id"] for c in json.loads(out)} == {c.id for c in
                                                                           deterrence.load_model("article5:n=4").claims}
    code, out, _ = run(capsys, "show", "article5:n=4", "--latex")
    assert code == 2                                    # no symbolic form: said, not computed wrongly


# ---------------------------------------------------------------- the claims and their regions
def test_one_more_guarantor_never_lowers_credibility():
    m = deterrence.load_model("article5:n=6")
    r = check_claim(m, "credibility_rises_with_guarantors", loader=deterrence.load_model, samples=40)
    assert r.verdict == "holds" and r.n_points == 40


def test_majority_claim_holds_exactly_above_the_binomial_crossing():
    # N = 12 needing 7 against N = 14 needing 8: the crossing of the two binomial tails (the split of the verdict)
    cross = bisect(lambda q: binom_tail(14, 8, q) - binom_tail(12, 7, q), 0.2, 0.8)
    assert 0.4 < cross < 0.5
    m = deterrence.load_model("article5:n=12")
    r = check_claim(m, "majority_credibility_rises_with_guarantors_iff_reliable", loader=deterrence.load_model,
                    samples=60)
    assert r.verdict == "holds_on_share"
    lo, hi = r.failing_region["box"]["reliability"]
    assert hi < cross and r.failing_region["split"].startswith("reliability <")
    assert abs(float(r.failing_region["split"].split()[2]) - cross) < 0.05
    # odd N: Condorcet's theorem proper, the crossing at one half
    r5 = check_claim(deterrence.load_model("article5:n=5"), "majority_credibility_rises_with_guarantors_iff_reliable",
                     loader=deterrence.load_model, samples=60)
    assert r5.failing_region["box"]["reliability"][1] < 0.5 and abs(float(r5.failing_region["split"].split()[2]) - 0.5) < 0.05


def test_correlation_claim_turns_where_the_independent_tail_falls_below_the_reliability():
    # with a common reliability p the slope in the correlation is p - P(Bin(N, p) >= k*): negative for small k*
    n, p = 12, 0.745
    turn = min(k for k in range(1, n + 1) if binom_tail(n, k, p) < p)       # first k* where correlation helps
    m = deterrence.load_model(f"article5:n={n}")
    r = check_claim(m, "correlation_lowers_credibility_when_few_allies_needed", samples=40)
    assert r.verdict == "holds_on_share"
    split = r.failing_region["split"]
    assert split.startswith("challenger_strength >")
    # challenger_strength = 1 + k* (target 1, allies 1): fails exactly from k* = turn, i.e. strength > turn
    lo, hi = r.failing_region["box"]["challenger_strength"]
    assert turn < lo and float(split.split()[2]) == pytest.approx(turn + 0.5, abs=0.6)


# ---------------------------------------------------------------- derived quantities (the engine's side)
def test_derived_quantities_are_checked():
    from deterrence.games.parametric import ParametricTree as PT
    from deterrence.symbolic import Interval, Parameter

    nodes = [{"id": "r", "player": "chance", "actions": {"a": "x", "b": "y"}, "probabilities": {"a": "q", "b": "1 - q"}},
             {"id": "x", "payoffs": ["1"]}, {"id": "y", "payoffs": ["0"]}]
    par = [Parameter("t", Interval(0, 1), 0.5)]
    ok = DerivedQuantities(["q"], lambda v: {"q": v["t"] ** 2}, meaning="q = t^2")
    g = PT(name="d", players=["P"], parameters=par, nodes=nodes, derived=ok).at(t=np.array([0.5, 1.0]))
    np.testing.assert_allclose(g.chance_probs[:, :2], [[0.25, 0.75], [1.0, 0.0]])
    with pytest.raises(ModelError, match="gave no value for"):
        PT(name="d", players=["P"], parameters=par, nodes=nodes,
           derived=DerivedQuantities(["q"], lambda v: {}, meaning="")).at()
    with pytest.raises(ModelError, match="not finite"):
        PT(name="d", players=["P"], parameters=par, nodes=nodes,
           derived=DerivedQuantities(["q"], lambda v: {"q": np.nan}, meaning="")).at()
    with pytest.raises(ModelError, match="have the names of parameters"):
        PT(name="d", players=["P"], parameters=par, nodes=nodes,
           derived=DerivedQuantities(["t"], lambda v: {"t": 1.0}, meaning=""))
    with pytest.raises(ModelError, match="unknown name .q."):
        PT(name="d", players=["P"], parameters=par, nodes=nodes)        # q is not a name without the derived
    with pytest.raises(ModelError, match="no symbolic form"):
        PT(name="d", players=["P"], parameters=par, nodes=nodes, derived=ok).symbolic_payoffs()


# ---------------------------------------------------------------- sources' claims as properties, and Gambit
@settings(max_examples=15, deadline=None)
@given(half=st.integers(0, 7), p=st.floats(0.02, 0.98), rho=st.floats(0, 0.95))
def test_condorcet_more_guarantors_help_a_majority_iff_each_is_more_reliable_than_not(half, p, rho):
    # Condorcet's jury theorem (Grofman, Owen and Feld 1983), read for guarantors: with an odd number N and a
    # strict majority needed, P(majority fights) rises from N to N + 2 iff p > 1/2; correlation scales the change
    # by 1 - rho (the shared draw gives p for every N) and keeps its sign (Ladha 1992)
    if abs(p - 0.5) < 1e-6:
        return
    n = 2 * half + 1
    creds = []
    for size in (n, n + 2):
        m = deterrence.load_model(f"article5:n={size}")
        from deterrence.analysis.measures import measure_columns
        pts = {"reliability": np.array([p]), "correlation": np.array([rho]), "target_strength": np.array([0.0]),
               "ally_strength": np.array([1.0]), "challenger_strength": np.array([size // 2 + 1.0]),
               "value": np.array([1.0]), "defeat_cost": np.array([1.0]), "war_cost": np.array([0.1])}
        creds.append(measure_columns(m, pts, "pbe", ["collective_credibility"])["collective_credibility"][0])
    change = creds[1] - creds[0]
    indep = binom_tail(n + 2, n // 2 + 2, p) - binom_tail(n, n // 2 + 1, p)
    assert change == pytest.approx((1 - rho) * indep, abs=1e-9)
    assert (change > 0) == (p > 0.5) or abs(change) < 1e-12


def test_gambit_solves_the_exported_tree_the_same_way():
    gbt = pytest.importorskip("pygambit")
    import io

    from deterrence.io.gambit import to_efg
    m = deterrence.load_model("article5:n=3")
    for rel, rho in [(0.3, 0.0), (0.745, 0.2)]:              # one point where the challenger attacks, one deterred
        law, cred, gain = brute_point([rel] * 3, rho, 1, 1, 3, 1, 1, 0.1)      # defaults: 2 allies needed
        G = gbt.read_efg(io.StringIO(to_efg(m, reliability=rel, correlation=rho)))
        chance = list(G.root.infoset.actions)
        assert [float(a.prob) for a in chance] == pytest.approx(list(law), abs=1e-9)
        eqs = gbt.nash.enumpure_solve(G).equilibria        # one player: its pure best replies
        challenger = list(list(G.players)[0].infosets)[0]
        assert [float(e.as_behavior()[challenger.actions["attack"]]) for e in eqs] == [1.0 if gain > 0 else 0.0]


def test_the_family_model_pickles():
    import pickle
    m = deterrence.load_model("article5:n=5,distinct=1")
    back = pickle.loads(pickle.dumps(m))
    a, b = m.at(correlation=0.3), back.at(correlation=0.3)
    assert np.array_equal(a.chance_probs, b.chance_probs) and np.array_equal(a.payoffs, b.payoffs)
