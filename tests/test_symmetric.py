"""Symmetric equilibria of symmetric two-action n-player games (deterrence.solve.symmetric).

Expected values come from outside the solver:

* Diekmann's closed form for the volunteer's dilemma (A. Diekmann, "Volunteer's dilemma", Journal of Conflict
  Resolution 29(4), 1985, 605-610): each of N players volunteers with probability p* = 1 - (c/b)^(1/(N-1)), so
  no one does with probability (c/b)^(N/(N-1)); all-abstain and all-volunteer are not equilibria;
* the engine's complete n-player enumeration (every equilibrium; the symmetric ones are those whose players'
  strategies are equal) and pygambit's enumpoly_solve (independent code);
* numpy's polynomial roots of N(t) = sum_k C(n-1, k) d_k t^k (p = t / (1 + t)), an independent root finder.
"""

from __future__ import annotations

import json
from itertools import product
from math import comb

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import deterrence
from deterrence.alliances.volunteer import guarantors_game
from deterrence.cli import main
from deterrence.errors import ModelError
from deterrence.games import NormalFormGame
from deterrence.solve.concepts import ConceptError, default_concept, route
from deterrence.solve.results import certify
from deterrence.solve.symmetric import solve_symmetric_table, symmetric_equilibria


def game_from_table(u, actions=("a", "b")):
    """The symmetric n-player game whose player gets u[s, k] playing s against k others playing the second action."""
    u = np.asarray(u, float)
    n = u.shape[1]
    pay = np.zeros((2,) * n + (n,))
    for prof in product((0, 1), repeat=n):
        k = sum(prof)
        pay[prof] = [u[a, k - a] for a in prof]
    return NormalFormGame(pay, players=[f"P{i + 1}" for i in range(n)], actions=[list(actions)] * n)


def volunteer_table(n, b, c):
    u = np.zeros((2, n))
    u[0, 1:] = b          # abstain: b if someone else volunteers
    u[1, :] = b - c       # volunteer
    return u


def symmetric_subset(eqs, tol=1e-7):
    out = []
    for s in eqs:
        s = [np.asarray(x, float) for x in s]
        if all(np.allclose(x, s[0], atol=tol) for x in s):
            out.append(float(s[0][1]))
    return sorted(out)


# ---------------------------------------------------------------------- Diekmann's closed form
@settings(max_examples=60, deadline=None)
@given(n=st.integers(2, 50), b=st.floats(0.1, 100.0), ratio=st.floats(0.001, 0.999))
def test_diekmann_closed_form_up_to_50_volunteers(n, b, ratio):
    c = ratio * b
    res = solve_symmetric_table(volunteer_table(n, b, c))
    assert len(res.p) == 1                       # the one symmetric equilibrium, mixed (Diekmann 1985)
    p = res.p[0]
    assert p == pytest.approx(1 - ratio ** (1 / (n - 1)), rel=1e-9, abs=1e-12)
    assert res.none_probability()[0] == pytest.approx(ratio ** (n / (n - 1)), rel=1e-9)
    assert res.payoffs[0, 0] == pytest.approx(b - c, rel=1e-9)     # indifferent with volunteering
    assert res.regret[0] <= res.bound[0]


def test_no_one_intervenes_more_often_as_n_grows_to_50():
    u = np.stack([volunteer_table(50, 1.0, 0.3)])
    risks = [solve_symmetric_table(volunteer_table(n, 1.0, 0.3)).none_probability()[0] for n in range(2, 51)]
    assert np.all(np.diff(risks) > 0)                                   # Diekmann (1985): rises with N
    assert risks[-1] == pytest.approx(0.3 ** (50 / 49), rel=1e-12) and u.shape == (1, 2, 50)


@pytest.mark.parametrize("n", [2, 5, 8, 12])
def test_the_strategic_form_gives_the_closed_form_and_the_engine_certificate(n):
    g = guarantors_game(n, 2.0, 0.5)
    res = symmetric_equilibria(g)
    assert res.p.tolist() == pytest.approx([1 - 0.25 ** (1 / (n - 1))], rel=1e-10)
    prof = [np.array([1 - res.p[0], res.p[0]])] * n
    assert certify(g, prof) == pytest.approx(res.regret[0], abs=1e-12)   # the engine's own regret on 2^n profiles


# ---------------------------------------------------------------------- against complete enumerations
def random_table(rng, n):
    return rng.normal(size=(2, n)).round(3)


@pytest.mark.parametrize("n, seeds", [(3, range(6)), (4, range(2))])
def test_symmetric_subset_of_the_complete_enumeration(n, seeds):
    from deterrence.solve.nplayer import enumerate_nplayer
    games = [game_from_table(random_table(np.random.default_rng(100 + s), n)) for s in seeds]
    games.append(guarantors_game(n, 1.0, 0.4))
    for g in games:
        full = enumerate_nplayer(g)
        assert full.complete
        ours = symmetric_equilibria(g)
        assert ours.p.tolist() == pytest.approx(symmetric_subset(e.strategies for e in full.extreme), abs=1e-7)


def test_agrees_with_pygambit_enumpoly():
    gbt = pytest.importorskip("pygambit")
    for s in range(4):
        u = random_table(np.random.default_rng(7 + s), 3)
        g = game_from_table(u)
        G = gbt.Game.from_arrays(*[g.payoffs[0][..., i] for i in range(3)])
        ref = gbt.nash.enumpoly_solve(G, use_strategic=True).equilibria
        theirs = symmetric_subset([[float(e[st_]) for st_ in p.strategies] for p in G.players] for e in ref)
        assert symmetric_equilibria(g).p.tolist() == pytest.approx(theirs, abs=1e-6)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(n=st.integers(3, 12), seed=st.integers(0, 10 ** 6))
def test_interior_roots_agree_with_numpy_roots(n, seed):
    u = np.random.default_rng(seed).normal(size=(2, n))
    d = u[1] - u[0]
    co = [comb(n - 1, k) * d[k] for k in range(n)]
    t = np.roots(co[::-1])
    t = np.sort(t[(np.abs(t.imag) < 1e-9) & (t.real > 0)].real)
    ref = sorted(t / (1 + t))
    res = solve_symmetric_table(u)
    interior = res.p[(res.p > 0) & (res.p < 1)].tolist()
    # well separated roots only (numpy's float roots of a random polynomial are trustworthy there)
    if len(ref) > 1 and np.min(np.diff(ref)) < 1e-4:
        return
    assert interior == pytest.approx(ref, abs=1e-6)
    assert res.sign_changes[0] >= len(interior) and (res.sign_changes[0] - len(interior)) % 2 == 0


def test_a_batch_equals_its_points():
    rng = np.random.default_rng(3)
    U = rng.normal(size=(40, 2, 6))
    U[5] = volunteer_table(6, 1.0, 0.5)
    U[6] = 0.0                                   # every symmetric profile is an equilibrium
    res = solve_symmetric_table(U)
    for b in range(40):
        one = solve_symmetric_table(U[b])
        assert res.p[res.game_index == b].tolist() == one.p.tolist()
    assert res.continuum[6] and not res.continuum[5] and res.p[res.game_index == 6].tolist() == [0.0, 1.0]
    assert (res.counts >= 1).all()               # Nash (1951): a symmetric game has a symmetric equilibrium


def test_pure_symmetric_profiles_and_a_double_root():
    # coordination: both pure symmetric profiles and the mixed one p = 1/2 (d = (-1, 1) for n = 2)
    res = solve_symmetric_table(np.array([[1.0, 0.0], [0.0, 1.0]]))
    assert res.p.tolist() == pytest.approx([0.0, 0.5, 1.0])
    # D(p) = (1 - 2p)^2 for n = 3 (Bernstein coefficients 1, -1, 1): the tangent root p = 1/2 is an equilibrium
    # (indifference), and so is p = 1 (D(1) = 1 > 0); p = 0 is not (D(0) = 1: deviating to the second action pays)
    res = solve_symmetric_table(np.array([[0.0, 0.0, 0.0], [1.0, -1.0, 1.0]]))
    assert res.p.tolist() == pytest.approx([0.5, 1.0]) and res.sign_changes[0] == 2


# ---------------------------------------------------------------------- invariants
@settings(max_examples=25, deadline=None)
@given(n=st.integers(2, 5), seed=st.integers(0, 10 ** 6), perm_seed=st.integers(0, 10 ** 6),
       scale=st.floats(0.01, 100.0), shift=st.floats(-50, 50))
def test_relabelling_players_and_actions_and_rescaling_leave_the_set_unchanged(n, seed, perm_seed, scale, shift):
    u = np.random.default_rng(seed).normal(size=(2, n)).round(4)
    g = game_from_table(u)
    base = symmetric_equilibria(g).p
    perm = np.random.default_rng(perm_seed).permutation(n)
    P = g.payoffs[0]
    relab = NormalFormGame(np.transpose(P, list(perm) + [n])[..., perm], players=[f"Q{i}" for i in range(n)],
                           actions=[["a", "b"]] * n)
    assert symmetric_equilibria(relab).p.tolist() == pytest.approx(base.tolist(), abs=1e-9)
    swapped = game_from_table(u[::-1, ::-1])                   # the two actions renamed: p -> 1 - p
    assert sorted(1 - symmetric_equilibria(swapped).p) == pytest.approx(sorted(base), abs=1e-9)
    # a positive affine map, plus a function of the others' count added to both actions
    extra = np.random.default_rng(seed + 1).normal(size=n)
    assert solve_symmetric_table(scale * u + shift + extra).p.tolist() == pytest.approx(base.tolist(), abs=1e-7)


# ---------------------------------------------------------------------- refusals
def test_an_asymmetric_game_is_refused_naming_the_player_and_the_profile():
    g = guarantors_game(3, 1.0, 0.3)
    pay = g.payoffs[0].copy()
    pay[0, 1, 0, 1] += 0.1                        # Guarantor 2's payoff at (abstain, intervene, abstain)
    bad = NormalFormGame(pay, players=g.players, actions=g.actions)
    with pytest.raises(ModelError, match=r"not symmetric.*\(abstain, intervene, abstain\) Guarantor 2 gets 0\.8"):
        symmetric_equilibria(bad)
    with pytest.raises(ConceptError, match="'symmetric' does not apply.*Guarantor 2"):
        route(bad, "symmetric")
    assert "symmetric" not in deterrence.solve.concepts.admissible(bad)
    uneven = NormalFormGame(np.zeros((3, 2, 2)))
    with pytest.raises(ModelError, match=r"different numbers of actions \(3, 2\)"):
        symmetric_equilibria(uneven)
    # exact payoffs that floats cannot hold (b = 2^60, c = 1: b - c rounds to b) are refused, not solved wrongly
    huge = np.empty((2, 2, 2, 3), object)
    for prof in product((0, 1), repeat=3):
        huge[prof] = [(2 ** 60 if any(prof) else 0) - (1 if a else 0) for a in prof]
    with pytest.raises(ModelError, match="not held exactly by floating-point"):
        symmetric_equilibria(NormalFormGame(huge.tolist()))
    with pytest.raises(ModelError, match=r"shape \(B, 2, n\)"):
        solve_symmetric_table(np.zeros((3, 4)))
    with pytest.raises(ModelError, match="finite"):
        solve_symmetric_table(np.array([[0.0, np.nan], [1.0, 1.0]]))


ASYMMETRIC = """players = ["Row", "Column"]
[model]
name = "lopsided"
kind = "normal_form"
[actions]
Row = ["back", "stand"]
Column = ["back", "stand"]
[[payoffs]]
profile = ["back", "back"]
values = [3, 3]
[[payoffs]]
profile = ["back", "stand"]
values = [2, 4]
[[payoffs]]
profile = ["stand", "back"]
values = [5, 2]
[[payoffs]]
profile = ["stand", "stand"]
values = [1, 1]
"""


def test_cli_refuses_symmetric_on_an_asymmetric_model(capsys, tmp_path):
    f = tmp_path / "lopsided.toml"
    f.write_text(ASYMMETRIC)
    code = main(["solve", str(f), "--concept", "symmetric"])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and "Traceback" not in err
    assert "not symmetric: at profile (back, stand) Column gets 4, but Row gets 5 at (stand, back)" in err
    assert main(["solve", "chicken", "--concept", "symmetric", "--json"]) == 0      # chicken is symmetric
    res = json.loads(capsys.readouterr().out)
    # ordinal chicken (3,3 / 2,4 / 4,2 / 1,1): the symmetric mixed equilibrium swerves with probability 1/2
    assert [e["symmetric_strategy"]["swerve"] for e in res["equilibria"]] == pytest.approx([0.5])


# ---------------------------------------------------------------------- the registry and the CLI
def test_registry_default_and_cli_route():
    assert default_concept(guarantors_game(4, 1.0, 0.3)) == "nash"
    assert default_concept(guarantors_game(5, 1.0, 0.3)) == "symmetric"
    assert default_concept(deterrence.load_model("guarantors_dilemma:n=7")) == "symmetric"
    r = route(guarantors_game(3, 1.0, 0.3), "symmetric")
    assert r.batched and "asymmetric equilibria not listed" in r.computes


def test_cli_solve_and_sweep_at_twelve_guarantors(capsys, tmp_path):
    assert main(["solve", "guarantors_dilemma:n=12", "--set", "c=0.2", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["concept"] == "symmetric" and "symmetric" in res["computes"]
    (eq,) = res["equilibria"]
    assert eq["symmetric_strategy"]["intervene"] == pytest.approx(1 - 0.2 ** (1 / 11), rel=1e-9)
    assert res["measures"]["P_no_intervention"]["values"] == pytest.approx([0.2 ** (12 / 11)], rel=1e-9)
    out = tmp_path / "s.csv"
    assert main(["sweep", "guarantors_dilemma:n=9", "--grid", "c=0.1:0.9:4", "--out", str(out), "--json"]) == 0
    meta = json.loads(capsys.readouterr().out)
    text = out.read_text()
    assert "symmetric" in json.dumps(meta)
    import csv
    rows = list(csv.DictReader(text.splitlines()))
    cs = [0.1 + 0.8 * k / 3 for k in range(4)]
    assert [float(r["P_no_intervention"]) for r in rows] == pytest.approx([c ** (9 / 8) for c in cs], rel=1e-9)
    assert {r["outcome"] for r in rows} == {"symmetric mixed"}


def test_sweep_columns_on_the_security_dilemma_against_the_two_by_two_solver():
    # Jervis (1978) as stag hunt (g < 1: all cooperate, all defect, and the mixed profile defecting with
    # probability (1 - g) / (1 + k - g), from the indifference 1 - p - p k = g (1 - p)) or prisoners' dilemma
    # (g > 1: all defect); the symmetric ones must be the symmetric subset of every equilibrium of solve_2x2
    from deterrence.analysis import sweep
    from deterrence.solve.two_by_two import solve_2x2
    m = deterrence.load_model("security_dilemma")
    t = sweep(m, {"g": np.array([0.2, 0.5, 1.5, 3.0]), "k": np.array([0.5, 2.0])}, concept="symmetric")
    g, k = np.asarray(t["g"], float), np.asarray(t["k"], float)
    stag = g < 1
    assert [str(x) for x in t["outcome"]] == ["all cooperate | all defect | symmetric mixed" if s else "all defect"
                                               for s in stag]
    p = np.asarray(t["P(defect) each"], float)
    assert np.all(np.isnan(p[stag])) and np.all(p[~stag] == 1.0)
    ref = solve_2x2(m.evaluate_batch({"g": g, "k": k}))
    for b in range(len(g)):
        rows = [(r, c) for r, c, gi in zip(ref.row, ref.column, ref.game_index) if gi == b]
        sym = sorted(float(r[1]) for r, c in rows if np.allclose(r, c))
        mine = symmetric_equilibria(m.at({"g": g[b], "k": k[b]})).p.tolist()
        assert mine == pytest.approx(sym, abs=1e-9) and int(t["n_equilibria"][b]) == len(sym)
        if stag[b]:
            assert mine[1] == pytest.approx((1 - g[b]) / (1 + k[b] - g[b]), rel=1e-12)


# ---------------------------------------------------------------------- k >= 3 actions
def random_symmetric_k(rng, n, k):
    """A random symmetric game: f(action, counts of the others' actions) drawn once per (action, counts)."""
    f, P = {}, np.zeros((k,) * n + (n,))
    for prof in product(range(k), repeat=n):
        cnt = np.bincount(prof, minlength=k)
        for i, a in enumerate(prof):
            c = cnt.copy()
            c[a] -= 1
            P[prof + (i,)] = f.setdefault((a, tuple(c)), round(float(rng.normal()), 3))
    return NormalFormGame(P)


def sym_profiles(profiles, tol=1e-7):
    out = []
    for s in profiles:
        s = [np.asarray(x, float) for x in s]
        if all(np.allclose(x, s[0], atol=tol) for x in s):
            out.append(tuple(np.round(s[0], 6)))
    return sorted(out)


def same_profiles(a, b, atol):
    """Two sorted lists of mixed strategies agree entry by entry (pytest.approx takes no nested data from 9.2 on)."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    return a.shape == b.shape and np.allclose(a, b, rtol=0, atol=atol)


@pytest.mark.parametrize("k", [3, 4])
def test_k_actions_two_players_against_the_complete_bimatrix_enumeration(k):
    from deterrence.solve.bimatrix import enumerate_equilibria
    rng = np.random.default_rng(40 + k)
    for _ in range(8):
        g = random_symmetric_k(rng, 2, k)
        full = enumerate_equilibria(g)
        res = symmetric_equilibria(g)
        assert res.complete and full.complete
        mine = sorted(tuple(np.round(x, 6)) for x in res.strategies())
        assert same_profiles(mine, sym_profiles(e.strategies for e in full.extreme), 2e-6)


def test_k_actions_three_players_against_pygambit_and_the_nplayer_enumeration():
    # the engine's complete enumeration lists every equilibrium: its symmetric ones must be ours exactly;
    # pygambit's enumpoly does not promise completeness (on this game it misses one): ours contain its
    from deterrence.solve.nplayer import enumerate_nplayer
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(11)
    games = [random_symmetric_k(rng, 3, 3) for _ in range(2)]
    for g in games[1:]:                     # three symmetric equilibria, one of them missed by enumpoly
        res = symmetric_equilibria(g)
        mine = sorted(tuple(np.round(x, 6)) for x in res.strategies())
        full = enumerate_nplayer(g)
        assert full.complete and res.complete
        assert same_profiles(mine, sym_profiles(e.strategies for e in full.extreme), 1e-5)
        G = gbt.Game.from_arrays(*[g.payoffs[0][..., i] for i in range(3)])
        theirs = sym_profiles([[float(e[s]) for s in p.strategies] for p in G.players]
                              for e in gbt.nash.enumpoly_solve(G, use_strategic=True).equilibria)
        assert theirs and all(any(np.allclose(t, m, atol=1e-5) for m in mine) for t in theirs)


def test_rock_paper_scissors_and_a_segment_of_candidates():
    # rock-paper-scissors: the one symmetric equilibrium is uniform (von Neumann and Morgenstern 1944)
    A = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], float)
    res = symmetric_equilibria(NormalFormGame.from_bimatrix(A, A.T))
    assert len(res) == 1 and res.strategies()[0].tolist() == pytest.approx([1 / 3] * 3) and res.complete
    # two copies of the same action: every mixture of them is a candidate; the solver says it did not list them
    C = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 2]], float)
    res = symmetric_equilibria(NormalFormGame.from_bimatrix(C, C.T))
    assert not res.complete and any("segment" in t for t in res.notes)
    # what is listed: the three pure profiles, and against a copy and the third action the indifference
    # 1 - p = 2 p (p = 1/3 on the third action), on either copy
    want = sorted([(1, 0, 0), (0, 1, 0), (0, 0, 1), (2 / 3, 0, 1 / 3), (0, 2 / 3, 1 / 3)])
    got = sorted(tuple(x) for x in res.strategies())
    assert len(got) == len(want) and all(g == pytest.approx(w) for g, w in zip(got, want))
    # not symmetric with three actions: refused, naming the players and the profile
    B = A.T.copy()
    B[0, 1] = 5.0
    with pytest.raises(ModelError, match=r"not symmetric: at profile \(a1, a2\) Player 2 gets 5"):
        symmetric_equilibria(NormalFormGame.from_bimatrix(A, B))


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10 ** 6), perm=st.permutations([0, 1, 2]), scale=st.floats(0.1, 10.0))
def test_k_actions_relabelling_actions_permutes_the_equilibria(seed, perm, scale):
    g = random_symmetric_k(np.random.default_rng(seed), 2, 3)
    base = symmetric_equilibria(g)
    perm = list(perm)
    P = g.payoffs[0][np.ix_(perm, perm)] * scale              # action j of the new game is action perm[j]
    res = symmetric_equilibria(NormalFormGame(P))
    back = sorted(tuple(np.round(x[np.argsort(perm)], 7)) for x in res.strategies())
    assert same_profiles(back, sorted(tuple(np.round(x, 7)) for x in base.strategies()), 1e-6)
    assert res.complete == base.complete


_COPIES = '''players = ["Row", "Column"]

[model]
name = "copies"
title = "Two copies of one action"
kind = "normal_form"
description = "Actions a and b are copies (1 against each other, 0 against c); c against c pays w."
source = "test game: every mixture of a and b is a symmetric equilibrium (both earn 1, c earns 0)"

[parameters.w]
domain = [0.5, 4]
default = 2
meaning = "payoff of mutual c"

[actions]
Row = ["a", "b", "c"]
Column = ["a", "b", "c"]
''' + "".join(f'''
[[payoffs]]
profile = ["{r}", "{c}"]
values = [{v}, {v}]
''' for r, c, v in [("a", "a", 1), ("a", "b", 1), ("a", "c", 0), ("b", "a", 1), ("b", "b", 1), ("b", "c", 0),
                    ("c", "a", 0), ("c", "b", 0), ("c", "c", '"w"')]) + '''
[[claims]]
id = "two_mixed_symmetric"
kind = "equilibria"
type = "mixed"
quantifier = "count"
count = 2
concept = "symmetric"
source = "false by construction: every mixture of a and b is a symmetric equilibrium"
words = "exactly two mixed symmetric equilibria"
'''


def test_k_actions_incomplete_listing_is_not_reported_complete(tmp_path, capsys):
    """With three actions, a segment of candidates (two copies of one action: every mixture of a and b is a
    symmetric equilibrium, by hand: both earn 1, c earns 0) is not enumerated and the solver says so
    (complete False).  The equilibrium listing the claims engine reads must say so too at that point, or a
    count claim over the listed equilibria is verified against an incomplete list."""
    from deterrence.analysis.equilibrium_sets import equilibrium_set

    path = tmp_path / "copies.toml"
    path.write_text(_COPIES)
    m = deterrence.load_model(str(path))
    assert not symmetric_equilibria(m.at({"w": 2.0})).complete
    eqs = equilibrium_set(m, {"w": np.array([2.0, 3.0])}, "symmetric")
    assert not eqs.complete.any()
    main(["claims", str(path)])
    out = capsys.readouterr().out
    line = next(x for x in out.splitlines() if "two_mixed_symmetric" in x)
    assert " holds " not in line


@pytest.mark.parametrize("k", [2, 3])
def test_players_whose_action_labels_differ_are_refused(k):
    """The solver identifies actions by position and reports every player's strategy with the first
    player's labels.  A game symmetric by position whose column player lists the same actions in another
    order (Chicken's 'straight' first) would be reported with the column player's labels swapped (by hand:
    with u = [[3, 2], [5, 1]] by position the symmetric equilibrium puts 2/3 on the second position, which
    is the column player's 'swerve', not her 'straight'): refused, naming the player and both label lists."""
    from deterrence.solve.concepts import admissible

    A = np.arange(k * k, dtype=float).reshape(k, k) % 5 if k > 2 else np.array([[3.0, 2.0], [5.0, 1.0]])
    labels = ["swerve", "straight", "wait"][:k]
    g = NormalFormGame(np.stack([A, A.T], -1), players=["Row", "Column"], actions=[labels, labels[::-1]])
    with pytest.raises(ModelError, match=r"Column.*same order"):
        symmetric_equilibria(g)
    assert "symmetric" not in admissible(g)
    ok = NormalFormGame(np.stack([A, A.T], -1), players=["Row", "Column"], actions=[labels, labels])
    assert len(symmetric_equilibria(ok)) >= 1 and "symmetric" in admissible(ok)


@pytest.mark.parametrize("scale", [1.0, 1e10])
def test_many_players_and_large_payoffs(scale):
    """The volunteer's dilemma with 1000 players (MAX_PLAYERS) and payoffs in the tens of billions: the
    mixed symmetric equilibrium is Diekmann's (1985) closed form p = 1 - (c/b)^(1/(n-1)), whatever the
    payoffs' scale (binomial coefficients near 1e299 times payoffs near 1e10 overflowed a float, and the
    bisection returned a point its certificate refused)."""
    n, b, c = 1000, 1.0 * scale, 0.3 * scale
    res = solve_symmetric_table(volunteer_table(n, b, c))
    assert res.p.tolist() == pytest.approx([1 - (c / b) ** (1 / (n - 1))], rel=1e-9)


# ---------------------------------------------------------------------- candidates dropped for numerical reasons
_RPS = np.array([[0, -1, 1], [1, 0, -1], [-1, 1, 0]], float)


def _blur_imaginary(monkeypatch, eps=1e-5):
    """Make the eigenvalue step return every real solution with an imaginary part *eps* (above the 1e-6
    threshold), as an ill-conditioned real root can come out of it."""
    import deterrence.solve.nplayer_groebner as ng
    orig = ng.solve_zero_dim

    def blurred(G, gens, rng):
        sols, multiple = orig(G, gens, rng)
        real = np.max(np.abs(sols.imag), axis=1, keepdims=True) < 1e-9
        return np.where(real, sols + 1j * eps, sols), multiple

    monkeypatch.setattr(ng, "solve_zero_dim", blurred)


def test_k_actions_a_real_root_with_a_computed_imaginary_part_is_settled_not_dropped(monkeypatch):
    # rock-paper-scissors has one symmetric equilibrium, the uniform one (von Neumann and Morgenstern 1944),
    # found on the full support: with its imaginary part blurred to 1e-5 it must still be listed
    _blur_imaginary(monkeypatch)
    res = symmetric_equilibria(NormalFormGame.from_bimatrix(_RPS, _RPS.T))
    assert res.complete and len(res) == 1
    assert res.strategies()[0].tolist() == pytest.approx([1 / 3] * 3)


def test_k_actions_an_undecided_root_makes_the_listing_incomplete(monkeypatch):
    # when Newton's method cannot settle whether such a root is real, it is not listed and the listing says
    # it is incomplete (a count of equilibria cannot be verified on it)
    import deterrence.solve.symmetric_multi as sm
    _blur_imaginary(monkeypatch)
    real_newton = sm.poly_newton

    def stuck_in_complex(eqs, ys, y0, iters=30, dtype=float):
        return np.asarray(y0, complex) if dtype is complex else real_newton(eqs, ys, y0, iters)

    monkeypatch.setattr(sm, "poly_newton", stuck_in_complex)
    res = symmetric_equilibria(NormalFormGame.from_bimatrix(_RPS, _RPS.T))
    assert not res.complete and len(res) == 0
    assert any("imaginary part" in t for t in res.notes)


def test_k_actions_a_candidate_failing_the_certificate_within_its_support_makes_the_listing_incomplete(
        monkeypatch):
    # rock-paper-scissors with 1e6 added to the payoffs against rock: the same best responses and the same
    # uniform equilibrium, but payoffs of magnitude 1e6, so a polished point off by 1e-5 passes the residual
    # check (1e-9 of the magnitude) while its gain within the support (~1e-5) exceeds the certificate bound
    # (tol times the spread at stake, 2, plus 2**-40 of the magnitude, ~1e-6): not listed, and not silently
    import deterrence.solve.symmetric_multi as sm
    real_newton = sm.poly_newton

    def off(eqs, ys, y0, iters=30, dtype=float):
        if dtype is not float:
            return real_newton(eqs, ys, y0, iters, dtype=dtype)
        return real_newton(eqs, ys, y0, iters) + np.array([1e-5, -2e-5])

    monkeypatch.setattr(sm, "poly_newton", off)
    A = _RPS.copy()
    A[:, 0] += 1e6
    res = symmetric_equilibria(NormalFormGame.from_bimatrix(A, A.T))
    assert len(res) == 0 and not res.complete
    assert any("within its support" in t for t in res.notes)
    # an action off the support that does better is no equilibrium: dropped, the listing stays complete
    monkeypatch.undo()
    res = symmetric_equilibria(NormalFormGame.from_bimatrix(A, A.T))
    assert res.complete and len(res) == 1 and res.strategies()[0].tolist() == pytest.approx([1 / 3] * 3)


def test_cli_reports_why_a_symmetric_listing_is_incomplete(capsys, tmp_path):
    # two copies of one action (the segment game of test_rock_paper_scissors_and_a_segment_of_candidates): the
    # listing is incomplete, and the CLI must say why, in text and in JSON, not only the concept's first note
    C = [[1, 1, 0], [1, 1, 0], [0, 0, 2]]
    text = ('players = ["Row", "Column"]\n[model]\nname = "two_copies"\nkind = "normal_form"\n'
            'description = "two copies of one action"\nsource = "test"\n'
            '[actions]\nRow = ["a", "b", "c"]\nColumn = ["a", "b", "c"]\n')
    for i, j in product(range(3), range(3)):
        text += f'[[payoffs]]\nprofile = ["{"abc"[i]}", "{"abc"[j]}"]\nvalues = [{C[i][j]}, {C[j][i]}]\n'
    f = tmp_path / "two_copies.toml"
    f.write_text(text, encoding="utf-8")
    assert main(["solve", str(f), "--concept", "symmetric", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["complete"] is False and any("segment" in n for n in res["notes"])
    assert main(["solve", str(f), "--concept", "symmetric"]) == 0
    out = capsys.readouterr().out
    assert "(not certified complete)" in out and "segment of candidates" in out
