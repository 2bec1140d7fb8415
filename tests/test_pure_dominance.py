"""Pure Nash equilibria, best responses and iterated dominance (n players)."""

from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deterrence.errors import GameStructureError, ModelError, SolverError
from deterrence.games import NormalFormGame
from deterrence.solve.best_response import best_responses
from deterrence.solve.dominance import dominated_actions, iterated_elimination, restrict
from deterrence.solve.pure import PureNashBatch, pure_nash, pure_nash_mask


def brute_force_pure(U):
    """Independent check: a profile is an equilibrium iff no player gains by a unilateral switch."""
    m = U.shape[:-1]
    out = []
    for prof in product(*(range(k) for k in m)):
        ok = True
        for i in range(len(m)):
            for dev in range(m[i]):
                alt = list(prof)
                alt[i] = dev
                if U[tuple(alt) + (i,)] > U[prof + (i,)]:
                    ok = False
        if ok:
            out.append(prof)
    return out


@st.composite
def integer_games(draw, max_players=4):
    n = draw(st.integers(2, max_players))
    m = tuple(draw(st.integers(1, 3)) for _ in range(n))
    flat = draw(st.lists(st.integers(-3, 3), min_size=int(np.prod(m)) * n, max_size=int(np.prod(m)) * n))
    return np.array(flat, dtype=float).reshape(m + (n,))


@settings(max_examples=60, deadline=None)
@given(integer_games())
def test_pure_nash_matches_brute_force(U):
    # small integer payoffs: plenty of ties, which must count as best responses
    got = [tuple(int(np.argmax(s)) for s in e.strategies) for e in pure_nash(NormalFormGame(U))]
    assert got == brute_force_pure(U)


@settings(max_examples=20, deadline=None)
@given(st.lists(integer_games(max_players=3), min_size=1, max_size=1), st.integers(1, 6))
def test_batch_mask_equals_per_game(games, B):
    U = games[0]
    rng = np.random.default_rng(B)
    batch = np.stack([U + 0.0] + [rng.integers(-3, 4, size=U.shape).astype(float) for _ in range(B - 1)])
    res = pure_nash(NormalFormGame(batch))
    assert isinstance(res, PureNashBatch)
    for b in range(B):
        assert res.profiles(b) == brute_force_pure(batch[b])
        assert res.counts[b] == len(brute_force_pure(batch[b]))
        assert [tuple(int(np.argmax(s)) for s in e.strategies) for e in res.for_game(b)] == res.profiles(b)


def test_pure_nash_vs_pygambit():
    gbt = pytest.importorskip("pygambit")
    rng = np.random.default_rng(7)
    for shape in [(2, 2), (3, 4), (2, 2, 2), (3, 2, 3), (2, 2, 2, 2)]:
        for _ in range(4):
            U = rng.integers(-2, 3, size=shape + (len(shape),))
            g = gbt.Game.from_arrays(*[U[..., i] for i in range(len(shape))])
            ref = set()
            for eq in gbt.nash.enumpure_solve(g).equilibria:
                ref.add(tuple(int(np.argmax([float(eq[s]) for s in p.strategies])) for p in g.players))
            mine = {tuple(int(np.argmax(s)) for s in e.strategies) for e in pure_nash(NormalFormGame(U.tolist()))}
            assert mine == ref


def test_labels_and_exact_certificates():
    # Chicken: the two pure equilibria are (swerve, straight) and (straight, swerve)
    g = NormalFormGame.from_bimatrix([[3, 2], [4, 1]], [[3, 4], [2, 1]],
                                     actions=[["swerve", "straight"]] * 2)
    eqs = pure_nash(g)
    assert [(e.support(0), e.support(1)) for e in eqs] == [(("swerve",), ("straight",)),
                                                         (("straight",), ("swerve",))]
    assert all(e.regret == 0 for e in eqs)
    batch = pure_nash(NormalFormGame(np.stack([g.payoffs[0], -g.payoffs[0]]), actions=g.actions))
    assert batch.labelled(0) == [("swerve", "straight"), ("straight", "swerve")]
    # negated Chicken: each player wants the opposite; (swerve, swerve) and (straight, straight)
    assert batch.labelled(1) == [("swerve", "swerve"), ("straight", "straight")]


def test_million_games_one_call():
    rng = np.random.default_rng(0)
    U = rng.normal(size=(10 ** 6, 2, 2, 2)).astype(np.float32).astype(float)
    U = U.reshape(10 ** 6, 2, 2, 2)  # a 2x2 bimatrix batch: payoffs (B, 2, 2, 2)
    mask = pure_nash_mask(NormalFormGame(U))
    assert mask.shape == (10 ** 6, 2, 2)
    # spot-check against brute force
    for b in rng.integers(0, 10 ** 6, size=30):
        assert [tuple(map(int, p)) for p in np.argwhere(mask[b])] == brute_force_pure(U[b])


# ---------------------------------------------------------------------- best responses
def test_best_responses_with_ties_and_batch():
    # Matching Pennies: against a 50/50 column every row action is a best response
    mp = NormalFormGame.from_bimatrix([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    assert best_responses(mp, [[0.5, 0.5], [0.5, 0.5]], 0) == (0, 1)
    assert best_responses(mp, [0, [0.6, 0.4]], "Player 1") == (0,)
    assert best_responses(mp, [0, [0.4, 0.6]], 0) == (1,)
    batch = NormalFormGame(np.stack([mp.payoffs[0], -mp.payoffs[0]]))
    mask = best_responses(batch, [0, [0.6, 0.4]], 0)
    assert mask.tolist() == [[True, False], [False, True]]
    with pytest.raises(GameStructureError, match="no player 'Nobody'"):
        best_responses(mp, [0, 0], "Nobody")
    with pytest.raises(GameStructureError, match="no player 5"):
        best_responses(mp, [0, 0], 5)


# ---------------------------------------------------------------------- dominance
def test_prisoners_dilemma_dominance_solvable():
    # PD (T=5 > R=3 > P=1 > S=0): defect strictly dominates cooperate for both players
    pd = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]],
                                      actions=[["cooperate", "defect"]] * 2)
    r = iterated_elimination(pd)
    assert r.solved and r.game.actions == (("defect",), ("defect",))
    assert {(s.player, s.action) for s in r.steps} == {("Player 1", "cooperate"), ("Player 2", "cooperate")}
    assert all(s.dominated_by == {"defect": 1.0} and s.round == 1 for s in r.steps)


def test_domination_only_by_a_mixture():
    # Row payoffs            Column payoffs
    #      L  C  R                L  C  R
    #  T   3  0  0            T   2  1  0
    #  M   0  3  0            M   2  1  0
    #  B   1  1  4            B   0  2  1
    # Round 1: C strictly dominates R for Column (1>0, 1>0, 2>1); nothing else is dominated
    #   (B is the best row against R; L beats C against T and M).
    # Round 2: on {L, C}, B earns 1, 1; no pure row beats it in both columns (T gets 0 against C,
    #   M gets 0 against L), but s*T + (1-s)*M earns 3s and 3(1-s), both > 1 for s in (1/3, 2/3);
    #   the margin min(3s-1, 3(1-s)-1) is largest, 1/2, at s = 1/2.
    # Round 3: without B, L dominates C (2>1, 2>1).  Round 4: against L, T (3) dominates M (0).
    u1 = [[3, 0, 0], [0, 3, 0], [1, 1, 4]]
    u2 = [[2, 1, 0], [2, 1, 0], [0, 2, 1]]
    g = NormalFormGame.from_bimatrix(u1, u2, players=["Row", "Column"],
                                     actions=[["T", "M", "B"], ["L", "C", "R"]])
    r = iterated_elimination(g)
    assert r.solved and r.game.actions == (("T",), ("L",))
    assert [(s.round, s.player, s.action) for s in r.steps] == [
        (1, "Column", "R"), (2, "Row", "B"), (3, "Column", "C"), (4, "Row", "M")]
    b = r.steps[1]
    assert b.by_mixture and b.dominated_by == pytest.approx({"T": 0.5, "M": 0.5}) and b.margin == pytest.approx(0.5)
    # with pure domination only, B survives and so does C
    pure_only = iterated_elimination(g, mixed=False)
    assert pure_only.surviving == ((0, 1, 2), (0, 1))
    # the reduced game keeps exact payoffs and labels
    assert r.game.exact_payoffs is not None and r.game.payoffs[0].tolist() == [[[3.0, 2.0]]]


def test_weak_dominance_order_dependence():
    # Row payoffs / Column payoffs:
    #        L      R
    #  T   1, 1   0, 0
    #  M   1, 1   2, 1
    #  B   0, 0   2, 1
    # M weakly dominates T (1=1, 2>0) and B (1>0, 2=2).  Column: nothing is dominated.
    # Order 1: remove T; then R weakly dominates L for Column (1=1, 1>0); then M ~ B: {M,B} x {R}.
    # Order 2: remove B; then L weakly dominates R (1=1, 1>0); then T ~ M: {T,M} x {L}.
    # Simultaneous order (this package): remove T and B together; L ~ R: {M} x {L, R}.
    g = NormalFormGame.from_bimatrix([[1, 0], [1, 2], [0, 2]], [[1, 0], [1, 1], [0, 1]],
                                     actions=[["T", "M", "B"], ["L", "R"]])
    assert [a for a, _, _ in dominated_actions(g, 0, weak=True)] == [0, 2]
    assert dominated_actions(g, 1, weak=True) == []
    assert dominated_actions(g, 0) == []  # nothing strictly dominated

    def follow(order):
        keep = [[0, 1, 2], [0, 1]]
        for player, action in order:
            sub = restrict(g, keep)
            local = keep[player].index(action)
            assert local in [a for a, _, _ in dominated_actions(sub, player, weak=True)]
            keep[player].remove(action)
        sub = restrict(g, keep)
        assert all(dominated_actions(sub, i, weak=True) == [] for i in range(2))
        return sub.actions

    assert follow([(0, 0), (1, 0)]) == (("M", "B"), ("R",))
    assert follow([(0, 2), (1, 1)]) == (("T", "M"), ("L",))
    r = iterated_elimination(g, weak=True)
    assert r.game.actions == (("M",), ("L", "R"))
    assert [s.round for s in r.steps] == [1, 1]


def test_weak_domination_by_mixture():
    # Row: T = (2, 0, 1), M = (0, 2, 1), B = (1, 1, 1) against L, C, R.
    # B is matched by 1/2 T + 1/2 M in L and C (1 = 1) and in R (1 = 1): no strict gain, so not
    # weakly dominated.  Raise M's R payoff to 2: then 1/2 T + 1/2 M gives (1, 1, 1.5) >= B, with a gain
    # in R, while neither T nor M alone is >= B everywhere.
    u1 = np.array([[2, 0, 1], [0, 2, 1], [1, 1, 1]])
    g = NormalFormGame.from_bimatrix(u1, np.zeros((3, 3)))
    assert dominated_actions(g, 0, weak=True) == []
    u1[1, 2] = 2
    g = NormalFormGame.from_bimatrix(u1, np.zeros((3, 3)))
    dom = dominated_actions(g, 0, weak=True)
    assert [a for a, _, _ in dom] == [2]
    assert dom[0][1] == pytest.approx([0.5, 0.5, 0.0])
    assert dominated_actions(g, 0, weak=True, mixed=False) == []


def test_three_player_strict_elimination():
    # Each player's payoff is (own action index 1 -> +1) regardless of others: action a2 strictly
    # dominates a1 for everyone; the game is dominance solvable to (a2, a2, a2).
    U = np.zeros((2, 2, 2, 3))
    for i in range(3):
        idx = [slice(None)] * 3
        idx[i] = 1
        U[tuple(idx) + (i,)] = 1.0
    r = iterated_elimination(NormalFormGame(U))
    assert r.surviving == ((1,), (1,), (1,)) and len(r.steps) == 3


def test_dominance_errors_name_the_problem():
    g = NormalFormGame(np.zeros((3, 2, 2, 2)))
    with pytest.raises(SolverError, match="iterate over the batch"):
        iterated_elimination(g)
    one = g[0]
    with pytest.raises(GameStructureError, match="Player 2 must keep at least one action"):
        restrict(one, [[0], []])
    with pytest.raises(GameStructureError, match="Player 1 has no action 4"):
        restrict(one, [[4], [0]])
    with pytest.raises(ModelError, match="no player 'Defender'"):
        dominated_actions(one, "Defender")
