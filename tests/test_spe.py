"""Subgame perfection: textbook closed forms, brute force on random trees, invariances, batches."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deterrence.errors import CertificateError, SolverError
from deterrence.games import BehaviourProfile, GameTree, expected_payoffs, subgame_regret, tree_regret
from deterrence.solve.spe import subgame_perfect

from _tree_helpers import brute_force_spe, build, decision_nodes, random_nested, to_nodes, value


def chosen(profile, label):
    d = profile.at(label)
    return max(d, key=d.get)


# ---------------------------------------------------------------------------- closed forms
def test_chain_store_stage_game():
    # Selten (1978): entrant out -> (1, 5); in & fight -> (0, 0); in & share -> (2, 2).
    # Hand: incumbent shares (2 > 0), so the entrant enters (2 > 1).
    t = GameTree.from_nodes(["entrant", "incumbent"], [
        {"id": "E", "player": "entrant", "actions": {"out": "o", "in": "I"}},
        {"id": "I", "player": "incumbent", "actions": {"fight": "f", "share": "s"}},
        {"id": "o", "payoffs": [1, 5], "outcome": "no entry"},
        {"id": "f", "payoffs": [0, 0], "outcome": "price war"},
        {"id": "s", "payoffs": [2, 2], "outcome": "accommodation"}])
    r = subgame_perfect(t)
    assert chosen(r.profile, "E") == "in" and chosen(r.profile, "I") == "share"
    assert r.outcome() == "accommodation"
    np.testing.assert_allclose(r.payoffs[0], [2, 2])
    assert r.unique[0] and r.regret[0] == 0
    # the threat to fight is a Nash equilibrium but not subgame perfect
    threat = BehaviourProfile.from_pure(t, {"E": "out", "I": "fight"})
    assert tree_regret(t, threat)[0] == 0
    assert subgame_regret(t, threat)[0] == pytest.approx(2.0)


def test_centipede_take_at_first_node():
    # Rosenthal (1981) four-move centipede; take payoffs (1,0), (0,2), (3,1), (2,4); pass at the end (4,3).
    # Hand: B takes at 4 (4 > 3); A takes at 3 (3 > 2); B takes at 2 (2 > 1); A takes at 1 (1 > 0).
    nodes = []
    takes = [(1, 0), (0, 2), (3, 1), (2, 4)]
    for k in range(4):
        nxt = f"n{k + 1}" if k < 3 else "end"
        nodes.append({"id": f"n{k}", "player": "AB"[k % 2], "actions": {"take": f"t{k}", "pass": nxt}})
        nodes.append({"id": f"t{k}", "payoffs": list(takes[k]), "outcome": f"take {k + 1}"})
    nodes.append({"id": "end", "payoffs": [4, 3], "outcome": "pass to the end"})
    r = subgame_perfect(GameTree.from_nodes(["A", "B"], nodes))
    assert all(chosen(r.profile, f"n{k}") == "take" for k in range(4))
    assert r.outcome() == "take 1"
    np.testing.assert_allclose(r.payoffs[0], [1, 0])


def _unilateral_deterrence(ch, de):
    """Zagare & Kilgour (2000, ch. 4) unilateral deterrence game: Challenger cooperates (status quo)
    or demands; Defender concedes or denies; Challenger then backs down or fights (conflict)."""
    pay = lambda o: [ch[o], de[o]]
    return GameTree.from_nodes(["Challenger", "Defender"], [
        {"id": "c1", "player": "Challenger", "actions": {"cooperate": "SQ", "demand": "d1"}},
        {"id": "d1", "player": "Defender", "actions": {"concede": "DD", "deny": "c2"}},
        {"id": "c2", "player": "Challenger", "actions": {"back down": "CD", "fight": "CF"}},
        {"id": "SQ", "payoffs": pay("SQ"), "outcome": "status quo"},
        {"id": "DD", "payoffs": pay("DD"), "outcome": "defender concedes"},
        {"id": "CD", "payoffs": pay("CD"), "outcome": "challenger defeated"},
        {"id": "CF", "payoffs": pay("CF"), "outcome": "conflict"}])


def test_zagare_kilgour_credible_threat_deters():
    # Challenger: DD > SQ > CD > CF (backs down rather than fight); Defender credible: SQ > CD > CF > DD.
    # Hand: at c2 back down (2 > 1); at d1 deny (CD 3 > DD 1); at c1 cooperate (SQ 3 > CD 2): deterrence holds.
    t = _unilateral_deterrence({"DD": 4, "SQ": 3, "CD": 2, "CF": 1}, {"SQ": 4, "CD": 3, "CF": 2, "DD": 1})
    r = subgame_perfect(t)
    assert r.outcome() == "status quo"
    assert chosen(r.profile, "d1") == "deny" and chosen(r.profile, "c2") == "back down"


def test_zagare_kilgour_incredible_threat_fails():
    # Hard challenger: DD > SQ > CF > CD; incredible defender: SQ > CD > DD > CF.
    # Hand: c2 fight (2 > 1); d1 concede (DD 2 > CF 1); c1 demand (DD 4 > SQ 3).
    t = _unilateral_deterrence({"DD": 4, "SQ": 3, "CF": 2, "CD": 1}, {"SQ": 4, "CD": 3, "DD": 2, "CF": 1})
    r = subgame_perfect(t)
    assert r.outcome() == "defender concedes"
    np.testing.assert_allclose(r.payoffs[0], [4, 2])


def test_chance_over_defender_type_hand_computed():
    # Nature: defender resolute (p = 0.4) or irresolute; both observe it (perfect information).
    # Resolute defender fights (1 > 0), irresolute concedes (0 > -1) after a challenge.
    # Challenger: vs resolute challenge -> -2 < 0 stay; vs irresolute challenge -> 1 > 0 challenge.
    # Expected challenger payoff 0.6 * 1 = 0.6; P(challenge conceded) = 0.6, P(status quo) = 0.4.
    def branch(tag, fight_def):
        return [{"id": f"C{tag}", "player": "challenger", "actions": {"stay": f"sq{tag}", "challenge": f"D{tag}"}},
                {"id": f"D{tag}", "player": "defender", "actions": {"fight": f"w{tag}", "concede": f"k{tag}"}},
                {"id": f"sq{tag}", "payoffs": [0, 2], "outcome": "status quo"},
                {"id": f"w{tag}", "payoffs": [-2, fight_def], "outcome": "war"},
                {"id": f"k{tag}", "payoffs": [1, 0], "outcome": "concession"}]
    t = GameTree.from_nodes(["challenger", "defender"], [
        {"id": "N", "chance": {"resolute": ["Cr", 0.4], "irresolute": ["Ci", 0.6]}}]
        + branch("r", 1) + branch("i", -1))
    r = subgame_perfect(t)
    assert r.outcome_probabilities["concession"][0] == pytest.approx(0.6)
    assert r.outcome_probabilities["status quo"][0] == pytest.approx(0.4)
    assert r.outcome_probabilities["war"][0] == pytest.approx(0.0)
    np.testing.assert_allclose(r.payoffs[0], [0.6, 0.4 * 2 + 0.6 * 0])


def test_ties_enumerated_and_flagged():
    # B indifferent between l and r at node b (both give B 1); A's best reply differs:
    # B plays l -> A gets 3 > 2 (go); B plays r -> A gets 0 < 2 (stop). Exactly two pure SPE.
    t = GameTree.from_nodes(["A", "B"], [
        {"id": "a", "player": "A", "actions": {"stop": "s", "go": "b"}},
        {"id": "b", "player": "B", "actions": {"l": "x", "r": "y"}},
        {"id": "s", "payoffs": [2, 0]}, {"id": "x", "payoffs": [3, 1]}, {"id": "y", "payoffs": [0, 1]}])
    r = subgame_perfect(t, all_equilibria=True)
    assert not r.unique[0] and r.n_ties[0] == 1 and r.complete
    got = {(chosen(p, "a"), chosen(p, "b")) for p in r.equilibria}
    assert got == {("go", "l"), ("stop", "r")}
    assert "mixed" in r.notes[0]
    capped = subgame_perfect(t, all_equilibria=True, max_equilibria=1)
    assert not capped.complete and "more than 1" in capped.notes[0]


def test_imperfect_information_rejected_naming_infoset():
    t = GameTree.from_nodes(["A", "B"], [
        {"id": "a", "player": "A", "actions": {"l": "b1", "r": "b2"}},
        {"id": "b1", "player": "B", "actions": {"x": "t1", "y": "t2"}, "infoset": "B's guess"},
        {"id": "b2", "player": "B", "actions": {"x": "t3", "y": "t4"}, "infoset": "B's guess"},
        {"id": "t1", "payoffs": [1, 0]}, {"id": "t2", "payoffs": [0, 1]},
        {"id": "t3", "payoffs": [0, 1]}, {"id": "t4", "payoffs": [1, 0]}])
    with pytest.raises(SolverError, match="B's guess.*perfect Bayesian"):
        subgame_perfect(t)


def test_all_equilibria_on_batch_rejected():
    t = _unilateral_deterrence({"DD": [4, 4], "SQ": 3, "CD": 2, "CF": 1}, {"SQ": 4, "CD": 3, "CF": 2, "DD": 1})
    with pytest.raises(SolverError, match="one game at a time"):
        subgame_perfect(t, all_equilibria=True)


# ---------------------------------------------------------------------------- brute force
def _as_choice(r_profile, nodes):
    return {nid: int(chosen(r_profile, nid)[1:]) for nid, _, _ in decision_nodes(nodes)}


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1), st.integers(2, 3))
def test_random_trees_match_brute_force(seed, n_players):
    rng = np.random.default_rng(seed)
    players = ("P1", "P2", "P3")[:n_players]
    nested = random_nested(rng, n_players=n_players, max_depth=3, p_chance=0.25)
    if nested[0] == "T":
        return
    t, nodes = build(nested, players)
    if np.prod([k for _, _, k in decision_nodes(nodes)]) > 4096:
        return
    brute = brute_force_spe(nodes, list(players))
    r = subgame_perfect(t, all_equilibria=True)
    got = [_as_choice(p, nodes) for p in r.equilibria]
    assert sorted(map(lambda d: sorted(d.items()), got)) == sorted(map(lambda d: sorted(d.items()), brute))
    assert r.complete
    assert bool(r.unique[0]) == (len(brute) == 1)
    by_id = {n["id"]: n for n in nodes}
    np.testing.assert_allclose(r.payoffs[0], value(by_id, "v0", _as_choice(r.equilibria[0], nodes)))
    assert _as_choice(r.equilibria[0], nodes) in brute
    # an SPE is a Nash equilibrium of the whole game
    assert tree_regret(t, r.profile)[0] <= 1e-9


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_affine_payoff_invariance(seed):
    rng = np.random.default_rng(seed)
    nested = random_nested(rng, max_depth=3, p_chance=0.2)
    if nested[0] == "T":
        return
    t, nodes = build(nested)
    a = rng.integers(1, 4, 2)
    c = rng.integers(-5, 6, 2)
    nodes2 = [dict(n, payoffs=[int(a[i] * x + c[i]) for i, x in enumerate(n["payoffs"])]) if "payoffs" in n else n
              for n in nodes]
    t2 = GameTree.from_nodes(["P1", "P2"], nodes2)
    r1, r2 = subgame_perfect(t, all_equilibria=True), subgame_perfect(t2, all_equilibria=True)
    key = lambda r: sorted(tuple(sorted(_as_choice(p, nodes).items())) for p in r.equilibria)
    assert key(r1) == key(r2)
    np.testing.assert_allclose(r2.payoffs[0], a * r1.payoffs[0] + c, atol=1e-9)   # 0 vs 2.8e-17 after chance weights (seed 1919)


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_batch_agrees_with_loop(seed):
    rng = np.random.default_rng(seed)
    nested = random_nested(rng, max_depth=3, p_chance=0.3)
    if nested[0] == "T":
        return
    nodes = to_nodes(nested)
    B = 7
    nodes_b = [dict(n, payoffs=[rng.integers(0, 3, B).astype(float) for _ in range(2)]) if "payoffs" in n else n
               for n in nodes]
    t = GameTree.from_nodes(["P1", "P2"], nodes_b)
    r = subgame_perfect(t)
    assert r.payoffs.shape == (B, 2)
    for b in range(B):
        rb = subgame_perfect(t[b])
        np.testing.assert_array_equal(r.profile.flat[b], rb.profile.flat[0])
        np.testing.assert_allclose(r.payoffs[b], rb.payoffs[0])
        np.testing.assert_allclose(r.terminal_probs[b], rb.terminal_probs[0])
        assert r.unique[b] == rb.unique[0]
    np.testing.assert_allclose(expected_payoffs(t, r.profile), r.payoffs)


def _recursive_bi(ptr, player, pay, v=0):
    kids = range(ptr[v] + 1, ptr[v + 1] + 1)
    if not len(kids):
        return pay[v]
    vals = [_recursive_bi(ptr, player, pay, c) for c in kids]
    return max(vals, key=lambda x: x[player[v]])


def test_large_generated_binary_tree_matches_recursion():
    depth = 10
    N = 2 ** (depth + 1) - 1
    nint = 2 ** depth - 1
    ptr = np.concatenate([np.arange(0, 2 * nint + 1, 2), np.full(N - nint, 2 * nint)])
    level = np.floor(np.log2(np.arange(N) + 1)).astype(int)
    player = level % 2
    rng = np.random.default_rng(5)
    pay = rng.random((2 ** depth, 2))
    t = GameTree.from_arrays(["A", "B"], ptr, player, pay)
    r = subgame_perfect(t)
    full = np.zeros((N, 2))
    full[nint:] = pay
    np.testing.assert_allclose(r.payoffs[0], _recursive_bi(ptr, player, full))
    assert r.unique[0]


@settings(max_examples=15, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_batched_chance_results_pass_independent_certificates(seed):
    # games of a batch differ in payoffs AND chance probabilities; the returned profile must pass the
    # independent level-by-level one-shot check (subgame_regret) and its reach probabilities
    # (reach_probabilities) must be the returned terminal distribution
    from deterrence.games import reach_probabilities
    rng = np.random.default_rng(seed)
    nested = random_nested(rng, max_depth=3, p_chance=0.5)
    if nested[0] == "T":
        return
    B = 5
    nodes = []
    for n in to_nodes(nested):
        if "payoffs" in n:
            n = dict(n, payoffs=[rng.integers(0, 3, B).astype(float) for _ in range(2)])
        elif "chance" in n:
            w = rng.integers(1, 4, (len(n["chance"]), B)).astype(float)
            w /= w.sum(0)
            n = dict(n, chance={a: [c, w[j]] for j, (a, (c, _)) in enumerate(n["chance"].items())})
        nodes.append(n)
    t = GameTree.from_nodes(["P1", "P2"], nodes)
    r = subgame_perfect(t)
    assert np.all(subgame_regret(t, r.profile) <= 1e-12)
    s_term = np.flatnonzero(t.kind == 0)
    np.testing.assert_allclose(reach_probabilities(t, r.profile)[:, s_term], r.terminal_probs, atol=1e-12)
    np.testing.assert_allclose(expected_payoffs(t, r.profile), r.payoffs, atol=1e-12)
    for b in range(B):
        rb = subgame_perfect(t[b])
        np.testing.assert_array_equal(r.profile.flat[b], rb.profile.flat[0])


@pytest.mark.parametrize("batched", [False, True])
def test_certificate_rejects_inconsistent_values(batched):
    # the flat certificate must catch values that are not those of the chosen children, and a
    # profile with a profitable one-shot deviation
    from deterrence.solve import spe
    from deterrence.games.profiles import tree_structure
    t = GameTree.from_nodes(["A", "B"], [
        {"id": "r", "player": "A", "actions": {"l": "x", "m": "y"}},
        {"id": "x", "payoffs": [1, 0]}, {"id": "y", "payoffs": [2, 0]}])
    if batched:
        t.payoffs = np.repeat(t.payoffs, 3, axis=0)
        t.batched = True
    choice, V, n_ties, reg, slack, cpT = spe._solve(t, 1e-9)
    s = tree_structure(t)
    lv = spe._levels(t, s)
    sl = np.broadcast_to(slack, (3,)) if batched else float(slack[0])
    assert np.all(spe._certify(t, s, lv, V, choice, cpT, sl, batched) == 0)
    assert np.all(choice == 1)                     # m gives A 2 > 1
    bad_values = V.copy()
    bad_values[0] += 1.0                           # root value no longer that of its chosen child
    with pytest.raises(CertificateError, match="chosen child"):
        spe._certify(t, s, lv, bad_values, choice, cpT, sl, batched)
    wrong = np.zeros_like(choice)                  # choose l: A gains 1 by deviating to m
    V_wrong = V.copy()
    V_wrong[0] = V[1]
    with pytest.raises(CertificateError, match="one-shot"):
        spe._certify(t, s, lv, V_wrong, wrong, cpT, sl, batched)
