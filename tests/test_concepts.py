"""The concept registry: every route (CLI, sweep, symbolic) computes the concept it names or refuses.

Fixtures: ``tests/models/commitment_signalling.toml`` (a defender of private resolve commits or not, the
challenger sees the commitment; issue 11), and the trees of ``_analysis_models``.  Expected equilibria are
derived by hand in the docstrings below; the solvers are checked against them and against each other.
"""

import json
from pathlib import Path

import numpy as np
import pytest

from deterrence.analysis.sweep import sweep
from deterrence.analysis.symbolic import comparative_statics, outcome_conditions, spe_conditions, threshold
from deterrence.errors import ModelError
from deterrence.games.profiles import BehaviourProfile, tree_regret
from deterrence.library import load_model
from deterrence.solve.bayesian import bayesian_backward_induction, hides_only_chance
from deterrence.solve.concepts import (ConceptError, admissible, default_concept, game_kind, hidden_move, route,
                                       sweep_route)
from deterrence.solve.pbe import perfect_bayesian

from _analysis_models import (armed_uncertain_resolve, commitment_with_response, crisis_2x2, entrapment_three_player,
                              escalation_tree)
from _cli import run

SIGNALLING = str(Path(__file__).parent / "models" / "commitment_signalling.toml")
ZK = "zagare_kilgour_rudimentary_deterrence"


# ---------------------------------------------------------------------- the registry
@pytest.mark.parametrize("make,kind,default", [
    (lambda: load_model("chicken"), "normal_form", "nash"),
    (escalation_tree, "perfect_information", "spe"),
    (lambda: load_model(ZK), "hides_only_chance", "pbe"),
    (armed_uncertain_resolve, "hides_only_chance", "pbe"),
    (lambda: load_model(SIGNALLING), "signalling", "pbe"),
    (commitment_with_response, "incomplete_information", "pbe"),
    (entrapment_three_player, "incomplete_information", "pbe"),
])
def test_kind_and_default(make, kind, default):
    m = make()
    game = m.at()
    assert game_kind(game) == kind and game_kind(m) == kind
    assert default_concept(game) == default == next(iter(admissible(game)))
    if kind != "normal_form":
        # the registry's structural test agrees with the Bayesian solver's own
        assert (hidden_move(game) is None) == hides_only_chance(game)


def test_refusals_name_the_reason():
    sig = load_model(SIGNALLING).at()
    with pytest.raises(ConceptError, match=r"'spe' does not apply to this signalling game.*after_commit.*use pbe"):
        route(sig, "spe")
    with pytest.raises(ConceptError, match="needs a game tree"):
        route(load_model("chicken").at(), "pbe")
    with pytest.raises(ConceptError, match="unknown concept"):
        route(sig, "perfect")
    assert isinstance(ConceptError("x"), ModelError)
    # a weaker or different concept is named plainly where it is computed
    zk = load_model(ZK).at()
    assert "sequential equilibrium" in route(zk, "spe").computes
    assert "subgame-perfect" in route(escalation_tree().at(), "pbe").computes


def test_sweep_route_batched_only():
    assert sweep_route(load_model("chicken")).concept == "nash"            # 2x2: solve_2x2 is batched
    assert sweep_route(load_model(ZK), "spe").solver == "bayesian_backward_induction"
    # signalling and other incomplete-information trees are swept by perfect_bayesian_batch
    assert "signalling_pbe_batch" in sweep_route(load_model(SIGNALLING)).solver
    assert "perfect_bayesian per point" in sweep_route(commitment_with_response()).solver
    with pytest.raises(ConceptError, match="one game at a time"):
        sweep_route(load_model("chicken"), "qre")


# ---------------------------------------------------------------------- defect 1: the CLI on a signalling tree
def _hand_equilibria():
    """Perfect Bayesian equilibria of the fixture at p = 0.3, k = 0.4, by hand.

    After a commitment both types fight, so challenging gives -1 < 0 whatever the belief: never challenge.
    After no commitment with belief q (resolved) the challenger gets 1 - 2q from challenging.
    * pooling on commit: each type gets b_sq - k = 0.6; no commitment gets at most 0.5 (resolved, challenged)
      or 0 (irresolute) if the challenger challenges it, i.e. off-path belief q <= 1/2 (q < 1/2: challenge
      for sure; q = 1/2: challenge with probability r >= 0.8, since the resolved type gets 1 - r/2 <= 0.6).
    * hybrid: the resolved type does not commit, the irresolute type commits with probability s and the
      challenger challenges a non-commitment with probability r: Bayes q = 0.3/(0.3 + 0.7(1 - s)) = 1/2
      gives s = 4/7; irresolute indifference 1 - r = 0.6 gives r = 2/5.  Outcomes: war 0.3 * 2/5 = 0.12,
      concession 0.7 * 3/7 * 2/5 = 0.12, status quo 0.76.
    * no equilibrium without commitment by both types: the on-path belief 0.3 < 1/2 makes the challenger
      challenge, and the irresolute type (payoff 0) would deviate to commit (0.6).
    """
    return [{"status quo": 1.0}, {"war": 0.12, "Defender concedes": 0.12, "status quo": 0.76}]


def test_cli_solve_signalling_lists_perfect_bayesian_equilibria_only(capsys):
    code, out, err = run(capsys, "solve", SIGNALLING, "--json")
    assert code == 0, err
    r = json.loads(out)
    assert r["concept"] == "pbe" and r["game"] == "signalling" and r["complete"]
    eqs = r["equilibria"]
    # never a challenge after a commitment (both types fight: it loses whatever the challenger believes)
    assert all(e["strategy"]["after_commit"] == "not" for e in eqs)
    outcomes = [e["outcomes"] for e in eqs]
    for want in _hand_equilibria():
        assert any(o.keys() == want.keys() and all(abs(o[k] - v) < 1e-9 for k, v in want.items())
                   for o in outcomes), (want, outcomes)
    assert all(abs(o.get("status quo", 0) - 1) < 1e-9 or abs(o.get("war", 0) - 0.12) < 1e-9 for o in outcomes)
    # the same set as perfect_bayesian on the same game
    res = perfect_bayesian(load_model(SIGNALLING).at())
    assert len(res) == len(eqs)


def test_nash_profile_the_old_route_printed_is_nash_but_not_pbe(capsys):
    """The profile the old route printed (nobody commits; challenge after a commitment) is a Nash
    equilibrium of the tree (zero regret), so only sequential rationality excludes it."""
    game = load_model(SIGNALLING).at()
    bad = BehaviourProfile.from_pure(game, {"D_res": "no_commit", "D_irr": "no_commit",
                                            "after_commit": "challenge", "after_no_commit": "challenge"})
    assert float(tree_regret(game, bad)[0]) < 1e-12
    strategies = [e.choice() for e in perfect_bayesian(game)]
    assert not any(s["D_res"] == "no_commit" and s["D_irr"] == "no_commit" for s in strategies)
    code, out, _ = run(capsys, "solve", SIGNALLING)
    assert code == 0 and "after_commit: challenge" not in out and "pbe (every perfect Bayesian" in out


def test_cli_spe_on_tree_with_hidden_moves_refuses(capsys):
    code, out, err = run(capsys, "solve", SIGNALLING, "--concept", "spe")
    assert code == 2 and not out
    assert err.count("\n") == 1 and "does not apply" in err and "use pbe" in err
    # on a tree hiding only chance, spe names what it computes
    code, out, _ = run(capsys, "solve", ZK, "--concept", "spe", "--json")
    assert code == 0 and "sequential equilibrium" in json.loads(out)["computes"]


def test_sweep_of_signalling_and_names_the_computed_concept():
    # the equilibria of _hand_equilibria at p = 0.3: pooling on commit (two families: the challenger
    # challenges a non-commitment for sure, or mixes at the off-path belief 1/2) and the hybrid
    t = sweep(load_model(SIGNALLING), {"p": [0.3]})
    assert "every perfect Bayesian equilibrium" in t.meta["computes"]
    assert t["n_equilibria"][0] == 3 and t["complete"][0]
    assert t["outcome"][0] == ("pooling [resolved: commit; irresolute: commit] | "
                               "hybrid [resolved: no_commit; irresolute: commit+no_commit]")
    t = sweep(load_model(ZK), {"p_B": "0:1:7"}, concept="spe")
    assert "sequential equilibrium" in t.meta["computes"]
    ref = bayesian_backward_induction(load_model(ZK).at(p_B=np.linspace(0, 1, 7)))
    assert np.allclose(t["P(conflict (DD))"], ref.outcome_probabilities["conflict (DD)"])


# ---------------------------------------------------------------------- defect 2: the symbolic layer
def test_symbolic_refuses_trees_whose_information_sets_hide_moves():
    m = commitment_with_response()
    for call in (lambda: spe_conditions(m), lambda: outcome_conditions(m),
                 lambda: threshold(m, "status quo", "p"), lambda: comparative_statics(m, "P(war)", "p")):
        with pytest.raises(ConceptError, match="after_commit.*perfect_bayesian"):
            call()
    # the numeric solver, for the record: every PBE has the challenger stay out after a commitment,
    # while the one-shot conditions with beliefs from the prior admitted a challenge there
    assert all(e.choice()["after_commit"] == "not" for e in perfect_bayesian(m.at(), mixed=False))


def test_three_player_entrapment_symbolic_refuses_and_solve_lists_pbe():
    """Entrapment (Patron of private resolve, Protege, Challenger; see the builder's docstring).

    By hand at the defaults: after a commitment both Patron types defend, so the Challenger yields and
    the Protege provokes (entrapment).  After a hedge, with the prior 1/2 the Challenger attacks
    (-2/2 + 1/2 = -0.5 > -1) and the Protege restrains (0.5/2 - 2/2 = -0.75 < 0); the Patron then
    hedges (1 > 0.5 - 0.3).  So the status quo holds with probability 1, without commitment."""
    m = entrapment_three_player()
    with pytest.raises(ConceptError, match="perfect_bayesian"):
        outcome_conditions(m)
    eqs = perfect_bayesian(m.at(), mixed=False)
    assert len(eqs) >= 1 and eqs.complete_pure
    for e in eqs:
        ch = e.choice()
        assert ch["challenger_commit"] == "yield" and ch["protege_commit"] == "provoke"
        assert ch["D_firm_commit"] == ch["D_weak_commit"] == "defend"
    hand = [e for e in eqs if e.choice()["A_firm"] == e.choice()["A_weak"] == "hedge"]
    assert len(hand) == 1 and hand[0].probability("status quo") == pytest.approx(1.0)


def test_symbolic_conditions_agree_with_bayesian_backward_induction_off_the_path():
    """A Defender's first move (arm or not) above two chance-only information sets of the Challenger.

    Where the Defender does not arm, the Challenger's set after arming is off the path; it still starts a
    subgame, so every subgame-perfect equilibrium restricts it.  At the defaults the sequential equilibrium
    is: arm, and the Challenger stays out after arming (0.8 * -2 + 0.2 * 1 < 0): status quo.  A profile with
    no arming and a (non-credible) challenge after arming is a Nash equilibrium only.  Brute force: the
    outcome conditions against the numeric solver on a grid of (p_B, p_arm, c_arm)."""
    m = armed_uncertain_resolve()
    conds = outcome_conditions(m)
    assert bool(conds["SQ"].holds(m.defaults())) and not bool(conds["DD"].holds(m.defaults()))
    g = np.meshgrid(np.linspace(0.03, 0.97, 9), np.linspace(0.03, 0.97, 9), np.linspace(0.05, 1.45, 8))
    pts = {k: v.ravel() for k, v in zip(("p_B", "p_arm", "c_arm"), g)}
    full = {k: np.broadcast_to(np.asarray(pts.get(k, v), dtype=float), pts["p_B"].shape)
            for k, v in m.defaults().items()}
    res = bayesian_backward_induction(m.evaluate_batch(full))
    # generic grid points (no ties): the conditions hold exactly where the solver's outcome has positive
    # probability
    for lab, cond in conds.items():
        assert np.array_equal(cond.holds(full), res.outcome_probabilities[lab] > 1e-12), lab


# ---------------------------------------------------------------------- defect 3: regime switches
def test_statics_zagare_kilgour_conflict_jumps_at_threshold_against_brute_force():
    """Zagare & Kilgour (2000): the challenger challenges iff p_B < (a_DC - a_SQ)/(a_DC - a_DD) = 1/3 at
    the defaults, so P(conflict) = p_B below 1/3 and 0 above.  The verdict must not be 'proven +0'."""
    zk = load_model(ZK)
    cs = comparative_statics(zk, "P(conflict (DD))", "p_B", n_samples=1000, n_lines=60)
    assert cs.sign == "mixed" and cs.proven, str(cs)
    (jump,) = cs.jumps
    assert jump.sign == "-" and jump.proven
    d = zk.defaults()
    at = float(jump.at.subs({zk.symbols()[k]: v for k, v in d.items()}))
    size = float(jump.jump.subs({zk.symbols()[k]: v for k, v in d.items()}))
    assert at == pytest.approx(1 / 3) and size == pytest.approx(-1 / 3)
    # brute force over a fine grid with the numeric solver: the same rise, the same drop
    p = np.linspace(0, 1, 3001)
    conflict = bayesian_backward_induction(zk.at(p_B=p)).outcome_probabilities["conflict (DD)"]
    steps = np.diff(conflict)
    assert steps.max() > 0 and steps.min() == pytest.approx(-1 / 3, abs=1e-3)
    assert p[np.argmin(steps)] == pytest.approx(1 / 3, abs=1e-3)
    # the same analysis on P(status quo): 0 then 1, a jump up: non-decreasing, proven
    cs = comparative_statics(zk, "P(status quo (SQ))", "p_B", n_samples=1000, n_lines=60)
    assert cs.sign == "+0" and cs.proven and [j.sign for j in cs.jumps] == ["+"]
    sq = bayesian_backward_induction(zk.at(p_B=p)).outcome_probabilities["status quo (SQ)"]
    assert np.all(np.diff(sq) >= -1e-12)


def test_statics_never_proves_a_monotone_verdict_the_grid_refutes():
    """For every outcome and payoff of the Zagare-Kilgour model and each of p_B, a_SQ, a_DD, a_DC: when the
    verdict is a proven monotone one, the numeric solver agrees on a fine grid (the whole range the model's
    ordering a_DD < a_SQ < a_DC allows) at random values of the other parameters; and the rudimentary
    game's comparative statics that follow from the threshold are proven (P(status quo) rises with p_B and
    a_SQ, falls with a_DD and a_DC)."""
    zk = load_model(ZK)
    rng = np.random.default_rng(7)
    quantities = ["P(status quo (SQ))", "P(Defender concedes (DC))", "P(conflict (DD))",
                  "payoff(Challenger)", "payoff(Defender)"]
    ranges = {"p_B": lambda pt: (0.0, 1.0), "a_SQ": lambda pt: (pt["a_DD"] + 1e-3, pt["a_DC"] - 1e-3),
              "a_DD": lambda pt: (pt["a_SQ"] - 4.0, pt["a_SQ"] - 1e-3),
              "a_DC": lambda pt: (pt["a_SQ"] + 1e-3, pt["a_SQ"] + 4.0)}
    verdicts = {}
    for parameter, span in ranges.items():
        for q in quantities:
            cs = comparative_statics(zk, q, parameter, n_samples=300, n_lines=16)
            verdicts[q, parameter] = (cs.sign, cs.proven)
            if not cs.proven or cs.sign == "mixed":
                continue
            for _ in range(3):
                point = dict(zk.defaults(), p_B=rng.uniform(0, 1), a_SQ=rng.uniform(-1, 1))
                point["a_DD"] = point["a_SQ"] - rng.uniform(0.1, 3)
                point["a_DC"] = point["a_SQ"] + rng.uniform(0.1, 3)
                point[parameter] = np.linspace(*span(point), 401)
                res = bayesian_backward_induction(zk.at(point))
                vals = res.outcome_probabilities[q[2:-1]] if q.startswith("P(") else \
                    res.payoffs[:, list(zk.players).index(q[7:-1])]
                steps = np.diff(vals)
                if cs.sign in ("+", "+0"):
                    assert steps.min() >= -1e-9, (q, parameter, str(cs))
                elif cs.sign in ("-", "-0"):
                    assert steps.max() <= 1e-9, (q, parameter, str(cs))
                else:
                    assert np.abs(steps).max() <= 1e-9, (q, parameter, str(cs))
    sq = "P(status quo (SQ))"
    assert verdicts[sq, "p_B"] == verdicts[sq, "a_SQ"] == ("+0", True)
    assert verdicts[sq, "a_DD"] == verdicts[sq, "a_DC"] == ("-0", True)


def test_statics_overlapping_equilibria_are_not_a_proven_verdict():
    """Chicken (c > v > 0) has two pure equilibria and a mixed one on one open region: the Row player's
    payoff is not a function of the parameters there, so no monotone verdict is proven."""
    cs = comparative_statics(crisis_2x2(), "payoff(Row)", "c", n_samples=500, n_lines=40)
    assert not cs.proven and any("several equilibria" in n for n in cs.notes)


def test_sign_codes_are_words():
    from deterrence.analysis.symbolic.statics import SIGN_WORDS
    assert SIGN_WORDS["+0"] == "non-decreasing" and SIGN_WORDS["mixed"] == "not monotone"
    cs = comparative_statics(load_model(ZK), "payoff(Challenger)", "p_B", n_samples=300, n_lines=20)
    assert cs.verdict == "non-increasing" and "non-increasing (proven)" in str(cs)


def _random_chance_only_tree(rng):
    """A random tree whose information sets hide only chance (node specs for ParametricTree).

    Optionally a first move of the informed player; then nature draws one of two types; below, every
    type has a copy of one random decision tree (depth <= 2), in which the uninformed player's nodes at
    the same position form one information set across the types (unless the informed player moved
    before them in the copy), and the informed player's nodes are single.  Payoffs are random reals (no ties, almost surely); every terminal is its own outcome.
    """
    def shape(d):
        if d == 2 or (d > 0 and rng.random() < 0.3):
            return ("T",)
        return ("D", int(rng.integers(0, 2)), [shape(d + 1) for _ in range(2)])

    nodes = []
    counter = [0]

    def copy(s, tag, path, informed_above=False):
        nid = f"{tag}{path or 'r'}"
        if s[0] == "T":
            counter[0] += 1
            nodes.append({"id": nid, "payoffs": [round(float(x), 3) for x in rng.normal(size=2)],
                          "outcome": f"o{counter[0]}"})
            return nid
        kids = [copy(c, tag, path + str(j), informed_above or s[1] == 0) for j, c in enumerate(s[2])]
        spec = {"id": nid, "player": ("Informed", "Uninformed")[s[1]],
                "actions": {f"a{j}": k for j, k in enumerate(kids)}}
        if s[1] == 1 and not informed_above:
            # same position in every type; below a move of the informed player the uninformed one would
            # learn from it (signalling), so such nodes stay single
            spec["infoset"] = f"U{tag[1:]}{path or 'r'}"
        nodes.append(spec)
        return nid

    def type_game(prefix):
        s = shape(0)
        w = float(rng.uniform(0.2, 0.8))
        roots = [copy(s, f"{t}{prefix}", "") for t in ("h", "s")]
        nodes.append({"id": f"N{prefix}", "player": "chance", "actions": {"hard": roots[0], "soft": roots[1]},
                      "probabilities": {"hard": str(w), "soft": str(1 - w)}})
        return f"N{prefix}"

    if rng.random() < 0.6:
        kids = [type_game(f"_{j}") for j in range(2)]
        nodes.append({"id": "top", "player": "Informed", "actions": {"x0": kids[0], "x1": kids[1]}})
        root = "top"
    else:
        root = type_game("_0")
    return nodes, root


def test_symbolic_outcome_conditions_match_bayesian_backward_induction_on_random_trees():
    """Brute force over random trees that hide only chance: where the numeric solver's equilibrium is
    unique, the symbolic outcome conditions hold exactly for the outcomes it reaches."""
    from deterrence.games.parametric import ParametricTree
    from deterrence.symbolic.parameters import Parameter, Real
    rng = np.random.default_rng(11)
    checked = 0
    for _ in range(25):
        nodes, root = _random_chance_only_tree(rng)
        m = ParametricTree(name="random", players=["Informed", "Uninformed"], root=root, nodes=nodes,
                           parameters=[Parameter("z", Real(), 0.0)])
        game = m.at()
        if game.is_perfect_information or 2 ** len(game.infosets) > 1024:
            continue
        assert game_kind(game) == "hides_only_chance"
        res = bayesian_backward_induction(game)
        if not bool(res.unique[0]):
            continue
        conds = outcome_conditions(m)
        for lab, cond in conds.items():
            assert bool(cond.holds({"z": 0.0})) == bool(res.outcome_probabilities[lab][0] > 1e-12), lab
        holding = [c for c in spe_conditions(m) if bool(c.condition.holds({"z": 0.0}))]
        assert len(holding) == 1 and holding[0].strategy == res.choice(0)
        checked += 1
    assert checked >= 10


def test_registry_classifies_a_model_without_default_point_by_its_structure():
    """A parameter without default: the kind comes from the structure, and a sweep that gives the value
    still runs.  The Challenger (who does not see the type) plays x, worth a p_B - a (1 - p_B), iff
    p_B >= 1/2 (a = 1), so P(o1) on p_B = 0, 1/4, 1/2, 3/4, 1 is 0, 0, 1, 1, 1 (ties broken toward x)."""
    from deterrence.games.parametric import ParametricTree
    from deterrence.symbolic.parameters import Parameter, Probability, Real
    nodes = [{"id": "N", "player": "chance", "actions": {"H": "A1", "S": "A2"},
              "probabilities": {"H": "p_B", "S": "1 - p_B"}},
             {"id": "A1", "player": "C", "infoset": "c", "actions": {"x": "t1", "y": "t2"}},
             {"id": "A2", "player": "C", "infoset": "c", "actions": {"x": "t3", "y": "t4"}},
             {"id": "t1", "payoffs": ["a", 0], "outcome": "o1"}, {"id": "t2", "payoffs": [0, 0], "outcome": "o2"},
             {"id": "t3", "payoffs": ["-a", 0], "outcome": "o1"}, {"id": "t4", "payoffs": [0, 0], "outcome": "o2"}]
    m = ParametricTree(name="no_default", players=["C", "D"], nodes=nodes,
                       parameters=[Parameter("p_B", Probability(), None), Parameter("a", Real(), 1.0)])
    with pytest.raises(ModelError, match="no default"):
        m.at()
    assert game_kind(m) == "hides_only_chance" and default_concept(m) == "pbe"
    t = sweep(m, {"p_B": "0:1:5"})
    assert list(t["P(o1)"]) == [0.0, 0.0, 1.0, 1.0, 1.0]
