"""perfect_bayesian on general trees: the pure-profile screen against an independent brute force,
zero-probability types (issue 12), and honest refusals.

The brute force here shares nothing with the solver: a recursive evaluator over node dicts, the
mover's continuation plans enumerated as pure strategies on her information sets below, Bayes
beliefs from path products, and, at an unreached information set, scipy's LP for "some belief
supports the prescription".
"""

from functools import lru_cache
from itertools import product

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from scipy.optimize import linprog

import deterrence
from deterrence.errors import SolverError
from deterrence.games.tree import GameTree
from deterrence.solve.pbe import perfect_bayesian

from test_bayesian import random_uncertain_resolve_tree
from test_pbe import _brute_sequential_regret


# ---------------------------------------------------------------------- a two-sided private-information tree
def two_stage_tree(seed, zero=False):
    """Nature draws A's type (a0/a1) and B's type (b0/b1).  A, seeing its type, moves x/y; B, seeing its
    type and A's move, moves u/v; after x and u, A (seeing its type, its move and u) moves again, l/r.  Beliefs
    at B's and at A's second sets depend on the strategies (not only on chance).  Integer payoffs in
    [-2, 2]; with *zero*, one of B's types has prior 0."""
    rng = np.random.default_rng(seed)
    pa = [0.5, 0.5] if rng.random() < 0.5 else [0.25, 0.75]
    pb = [0.0, 1.0] if zero else [0.5, 0.5]
    nodes = [{"id": "nature", "chance": {f"{i}{j}": [f"A{i}{j}", pa[i] * pb[j]] for i in range(2) for j in range(2)}}]

    def pay():
        return [int(v) for v in rng.integers(-2, 3, 2)]
    for i, j in product(range(2), range(2)):
        k = f"{i}{j}"
        nodes.append({"id": f"A{k}", "player": "A", "infoset": f"A{i}", "actions": {"x": f"B{k}x", "y": f"B{k}y"}})
        for m in "xy":
            nodes.append({"id": f"B{k}{m}", "player": "B", "infoset": f"B{j}{m}",
                          "actions": {"u": f"C{k}{m}", "v": f"T{k}{m}v"}})
            nodes.append({"id": f"T{k}{m}v", "payoffs": pay(), "outcome": f"{m}v"})
            if m == "y":                   # after y and u the game ends; after x and u, A moves again
                nodes.append({"id": f"C{k}{m}", "payoffs": pay(), "outcome": "yu"})
                continue
            nodes.append({"id": f"C{k}{m}", "player": "A", "infoset": f"A{i}{m}u",
                          "actions": {"l": f"T{k}{m}l", "r": f"T{k}{m}r"}})
            for z in "lr":
                nodes.append({"id": f"T{k}{m}{z}", "payoffs": pay(), "outcome": f"{m}u{z}"})
    return GameTree.from_nodes(["A", "B"], nodes, root="nature")


def _brute_pure_pbe(tree, tol=1e-9):
    """Every pure weak PBE of *tree* (as a tuple of action indices per information set), by brute force."""
    T = tree
    sets = T.infosets
    n_act = [len(h.actions) for h in sets]

    @lru_cache(maxsize=None)
    def val(v, s, i):
        if T.kind[v] == 0:
            return float(T.payoffs[0, T.terminal[v], i])
        kids = T.children(v)
        if T.kind[v] == 2:
            lo = T.child_ptr[v]
            return sum(float(T.chance_probs[0, lo + j]) * val(int(c), s, i) for j, c in enumerate(kids))
        return val(int(kids[s[int(T.infoset[v])]]), s, i)

    def reach(v, s):
        p, c = 1.0, v
        while T.parent[c] >= 0:
            q = int(T.parent[c])
            j = int(np.flatnonzero(T.children(q) == c)[0])
            p *= float(T.chance_probs[0, T.child_ptr[q] + j]) if T.kind[q] == 2 else float(s[int(T.infoset[q])] == j)
            c = q
        return p

    def own_below(h):
        i, out, stack = sets[h].player, {h}, list(sets[h].nodes)
        while stack:
            v = stack.pop()
            if T.kind[v] == 1 and T.player[v] == i:
                out.add(int(T.infoset[v]))
            stack.extend(int(c) for c in T.children(v))
        return sorted(out)

    found = []
    for s in product(*(range(k) for k in n_act)):
        ok = True
        for h, info in enumerate(sets):
            i = info.player
            below = own_below(h)
            cur = np.array([val(v, s, i) for v in info.nodes])
            D = []
            for acts in product(*(range(n_act[g]) for g in below)):
                s2 = list(s)
                for g, a in zip(below, acts):
                    s2[g] = a
                s2 = tuple(s2)
                D.append(np.array([val(v, s2, i) for v in info.nodes]) - cur)
            D = np.array(D)
            r = np.array([reach(v, s) for v in info.nodes])
            if r.sum() > 0:
                ok = (D @ (r / r.sum())).max() <= tol
            else:
                k = len(info.nodes)
                res = linprog(np.zeros(k), A_ub=D, b_ub=np.full(len(D), tol), A_eq=np.ones((1, k)), b_eq=[1.0],
                              bounds=[(0, None)] * k, method="highs")
                ok = res.status == 0
            if not ok:
                break
        if ok:
            found.append(tuple(s))
    return set(found)


def _check_stored_beliefs(t, res):
    # the belief stored at every information set, reached or not, is a distribution, and no mover gains
    # from any continuation strategy given it (test_pbe's independent recursive evaluator)
    for e in res:
        for mu in e.beliefs:
            assert np.all(mu >= 0) and abs(mu.sum() - 1) <= 1e-9
        assert _brute_sequential_regret(t, e) <= 1e-9


def _pure_keys(res):
    return {tuple(int(np.argmax(p)) for p in e.profile) for e in res if e.pure}


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.booleans())
def test_screened_enumeration_matches_brute_force(seed, zero):
    t = two_stage_tree(seed, zero)
    res = perfect_bayesian(t, mixed=False)
    assert res.complete_pure
    assert _pure_keys(res) == _brute_pure_pbe(t)
    _check_stored_beliefs(t, res)
    assert res.complete == (len(res) > 0)       # an empty set is never complete (a mixed PBE exists)
    _check_stored_beliefs(t, res)


@settings(max_examples=6, deadline=None)
@given(st.integers(0, 10_000), st.booleans(), st.booleans())
def test_screened_enumeration_matches_brute_force_uneven_trees(seed, zero_type, uneven):
    # nature draws a type; movers who do not see it share information sets across types, members of a set
    # at different depths (uneven), players moving more than once, types of prior zero
    t = random_uncertain_resolve_tree(seed, zero_type=zero_type, uneven_depth=uneven)
    assume(np.prod([len(h.actions) for h in t.infosets]) <= 128)
    res = perfect_bayesian(t, mixed=False)
    assert res.complete_pure
    assert _pure_keys(res) == _brute_pure_pbe(t)
    _check_stored_beliefs(t, res)


def test_screen_reports_progress_and_counts():
    t = two_stage_tree(3)
    calls = []
    res = perfect_bayesian(t, mixed=False, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1] == (len(t.infosets), len(t.infosets))
    assert any("all 256 pure behaviour profiles checked" in n for n in res.notes)


def test_too_large_refused_at_once_with_size_and_method():
    t = two_stage_tree(1)
    with pytest.raises(SolverError, match=r"37 nodes, 8 information sets and 256 pure behaviour profiles.*agent_qre"):
        perfect_bayesian(t, max_profiles=3)


# ---------------------------------------------------------------------- issue 12: types of probability zero
@pytest.mark.parametrize("p", [0.0, 1.0])
def test_zagare_kilgour_zero_type_sequentially_rational_everywhere(p):
    # At p_B = 0 the Hard defender's node is never reached; at p_B = 1 the Soft one's.  A Hard defender
    # strictly prefers resisting (b_DD_hard 0.5 > b_DC 0), a Soft one conceding (b_DD_soft -1 < 0): in every
    # PBE each resists / concedes with probability one, reached or not.  The solver used to report a
    # "mixed PBE" with the unreached type mixing 1/2-1/2 and its belief stored as [0.].
    m = deterrence.load_model("zagare_kilgour_rudimentary_deterrence")
    t = m.at(p_B=p)
    res = perfect_bayesian(t)
    assert len(res) >= 1
    labels = [h.label for h in t.infosets]
    for e in res:
        for mu in e.beliefs:
            assert np.all(mu >= 0) and mu.sum() == pytest.approx(1.0)
        assert e.at(labels.index("defender_hard"))["resist"] == 1.0
        assert e.at(labels.index("defender_soft"))["concede"] == 1.0
        assert e.regret <= 1e-9
    # the challenger's choice: challenge at p_B = 0 (wins 1 > 0), not at p_B = 1 (conflict -2 < 0)
    assert {e.choice()["challenger"] for e in res} == ({"challenge"} if p == 0 else {"status_quo"})


def test_progress_reports_long_runs_on_stderr(capsys):
    from deterrence.solve.progress import Progress
    quiet = Progress(False, 10, "x: steps")
    quiet.t0 -= 100
    quiet.update(3)
    auto = Progress(None, 10, "perfect_bayesian: information sets fixed")
    auto.update(1)                                   # a short run says nothing
    assert capsys.readouterr().err == ""
    auto.t0 -= 100                                   # a run past two seconds reports itself
    auto.update(4, "12 partial profiles alive")
    auto.close()
    assert capsys.readouterr().err == "\rperfect_bayesian: information sets fixed: 4/10 (12 partial profiles alive)\n"


def test_all_ties_every_profile_is_an_equilibrium():
    # every payoff 0: no deviation gains anything anywhere, so each of the 2^8 pure profiles is a weak PBE;
    # the pruning must keep every one (ties are not strict preferences)
    t = two_stage_tree(5)
    t.payoffs = np.zeros_like(t.payoffs)
    res = perfect_bayesian(t, mixed=False)
    assert len(res) == 2 ** len(t.infosets) and res.complete_pure
