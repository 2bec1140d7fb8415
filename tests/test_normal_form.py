"""NormalFormGame: construction, labels, batches, regret, and bad input."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from deterrence import NormalFormGame
from deterrence.errors import GameStructureError, ModelError


def brute_regret(payoffs, strategies):
    """Regret by explicit sums over all pure profiles (independent of einsum)."""
    shape = payoffs.shape[:-1]
    n = len(shape)
    best_gain = 0.0
    for i in range(n):
        values = np.zeros(shape[i])
        for prof in itertools.product(*(range(m) for m in shape)):
            w = 1.0
            for j in range(n):
                if j != i:
                    w *= strategies[j][prof[j]]
            values[prof[i]] += w * payoffs[prof + (i,)]
        current = float(np.dot(values, strategies[i]))
        best_gain = max(best_gain, values.max() - current)
    return best_gain


def test_prisoners_dilemma_regret_by_hand():
    # PD (cooperate, defect) with T=5 > R=3 > P=1 > S=0.
    g = NormalFormGame.from_bimatrix([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert g.regret([1, 1])[0] == 0.0          # (defect, defect) is the equilibrium
    assert g.regret([0, 0])[0] == 2.0          # from (C, C) each gains T - R = 2
    assert g.expected_payoffs([1, 1])[0].tolist() == [1.0, 1.0]
    # Row plays C, column mixes 1/2-1/2.  Row's action values: C = 1.5, D = 3 (gain 1.5);
    # column's: C = 3, D = 5 against a mixture worth 4 (gain 1).  Regret = max = 1.5.
    assert g.regret([[1, 0], [0.5, 0.5]])[0] == pytest.approx(1.5)


def test_labels_and_lookup():
    g = NormalFormGame.from_bimatrix([[0, -1], [1, -10]], [[0, 1], [-1, -10]],
                                     players=["USA", "USSR"], actions=[["swerve", "straight"]] * 2, name="Chicken")
    assert g.players == ("USA", "USSR")
    assert g.actions[1] == ("swerve", "straight")
    assert g.regret(["straight", "swerve"])[0] == 0.0
    assert "Chicken" in repr(g)


def test_shape_detection_batched_vs_single():
    rng = np.random.default_rng(0)
    single = NormalFormGame(rng.random((2, 3, 4, 3)))        # 3 players, unbatched
    batch = NormalFormGame(rng.random((7, 2, 3, 2)))          # batch of 7 two-player games
    assert (single.n_players, single.num_actions, single.batched) == (3, (2, 3, 4), False)
    assert (batch.n_players, batch.num_actions, batch.batch_size, batch.batched) == (2, (2, 3), 7, True)
    assert batch[3].batched is False
    np.testing.assert_array_equal(batch[3].payoffs[0], batch.payoffs[3])


def test_batch_regret_matches_per_game():
    rng = np.random.default_rng(1)
    g = NormalFormGame(rng.normal(size=(5, 3, 2, 2)))
    prof = ([0.2, 0.5, 0.3], [0.6, 0.4])
    r = g.regret(prof)
    assert r.shape == (5,)
    for b in range(5):
        assert r[b] == pytest.approx(brute_regret(g.payoffs[b], prof))


def test_exact_payoffs_kept():
    from fractions import Fraction
    g = NormalFormGame.from_bimatrix([[1, Fraction(1, 3)], [0, 2]], [[2, 0], [1, 1]])
    assert g.exact_payoffs is not None and g.exact_payoffs[0, 0, 1, 0] == Fraction(1, 3)


def test_ordinal_constructor():
    # Chicken in Rapoport & Guyer's ordinal form: 4 best, 1 worst.
    g = NormalFormGame.from_ordinal([[[3, 3], [2, 4]], [[4, 2], [1, 1]]])
    assert g.regret([0, 1])[0] == 0 and g.regret([1, 0])[0] == 0 and g.regret([1, 1])[0] > 0
    with pytest.raises(GameStructureError):
        NormalFormGame.from_ordinal([[[3.5, 3], [2, 4]], [[4, 2], [1, 1]]])


@pytest.mark.parametrize("bad, match", [
    (np.array([[[1.0, np.nan], [0, 0]], [[0, 0], [0, 0]]]), "finite"),
    (np.array([[[1.0, np.inf], [0, 0]], [[0, 0], [0, 0]]]), "finite"),
    (np.zeros((2, 2, 2, 2, 2)), "axes"),
    (np.zeros(3), "shape"),
    (np.zeros((0, 2, 2)), "action"),
])
def test_bad_payoffs(bad, match):
    with pytest.raises(GameStructureError, match=match):
        NormalFormGame(bad)


def test_bad_bimatrix_and_labels():
    with pytest.raises(GameStructureError, match="same shape"):
        NormalFormGame.from_bimatrix(np.zeros((2, 2)), np.zeros((2, 3)))
    with pytest.raises(GameStructureError, match="players"):
        NormalFormGame.from_bimatrix(np.zeros((2, 2)), np.zeros((2, 2)), players=["A"])
    with pytest.raises(GameStructureError, match="distinct"):
        NormalFormGame.from_bimatrix(np.zeros((2, 2)), np.zeros((2, 2)), actions=[["x", "x"], ["a", "b"]])
    with pytest.raises(ModelError):
        NormalFormGame([["a", "b"]])


def test_bad_profiles_name_the_player():
    g = NormalFormGame.from_bimatrix(np.zeros((2, 3)), np.zeros((2, 3)), players=["Challenger", "Defender"])
    with pytest.raises(GameStructureError, match="Defender"):
        g.regret([[0.5, 0.5], [0.5, 0.5]])
    with pytest.raises(GameStructureError, match="Challenger"):
        g.regret([[0.7, 0.7], [1, 0, 0]])
    with pytest.raises(GameStructureError, match="no action"):
        g.regret(["attack", 0])
    with pytest.raises(GameStructureError, match="one strategy"):
        g.regret([0])


shapes = st.lists(st.integers(1, 3), min_size=1, max_size=3)


@st.composite
def game_and_profile(draw):
    m = draw(shapes)
    n = len(m)
    pay = draw(arrays(float, tuple(m) + (n,), elements=st.floats(-10, 10, allow_nan=False)))
    prof = []
    for mi in m:
        w = np.asarray(draw(st.lists(st.floats(0.01, 1), min_size=mi, max_size=mi)))
        prof.append(w / w.sum())
    return pay, prof


@settings(max_examples=60, deadline=None)
@given(game_and_profile())
def test_regret_equals_brute_force(gp):
    pay, prof = gp
    g = NormalFormGame(pay)
    r = g.regret(prof)[0]
    assert r >= -1e-12
    assert r == pytest.approx(brute_regret(pay, prof), abs=1e-9)


@settings(max_examples=40, deadline=None)
@given(game_and_profile(), st.floats(0.1, 10), st.floats(-5, 5))
def test_regret_scales_under_affine_transform(gp, a, b):
    pay, prof = gp
    r1 = NormalFormGame(pay).regret(prof)[0]
    r2 = NormalFormGame(a * pay + b).regret(prof)[0]
    assert r2 == pytest.approx(a * r1, abs=1e-8)
