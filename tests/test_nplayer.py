"""n-player mixed equilibria: exact support enumeration, one_equilibrium, pygambit oracle."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deterrence.errors import SolverError
from deterrence.games import NormalFormGame
from deterrence.solve.nplayer import enumerate_nplayer, one_equilibrium, solve_on_support
from deterrence.solve.results import ResultBatch


def key(strategies, digits=6):
    return tuple(tuple(np.round(np.asarray(s, float), digits) + 0.0) for s in strategies)


def eq_set(res, digits=6):
    return sorted(key(e.strategies, digits) for e in res)


# ---------------------------------------------------------------------- closed form
def hand_game():
    """A symmetric 2x2x2 game with nine equilibria, all derived by hand.

    Each player gets 0 from action a2, and from a1 a payoff d(others) with
    d(a1,a1)=4, d(a1,a2)=d(a2,a1)=-3, d(a2,a2)=2.  If the other two play a1 with
    probabilities x and y, the gain of a1 over a2 is
        D(x, y) = 4xy - 3x(1-y) - 3(1-x)y + 2(1-x)(1-y) = 12xy - 5x - 5y + 2.
    """
    d = {(0, 0): 4, (0, 1): -3, (1, 0): -3, (1, 1): 2}
    U = np.zeros((2, 2, 2, 3), dtype=int)
    for a in np.ndindex(2, 2, 2):
        for i in range(3):
            if a[i] == 0:
                others = tuple(a[j] for j in range(3) if j != i)
                U[a + (i,)] = d[others]
    return NormalFormGame(U.tolist(), players=["A", "B", "C"])


def test_hand_derived_equilibria():
    # Totally mixed (p, q, r = Pr a1): D(q,r) = D(p,r) = D(p,q) = 0.  Subtracting the first two,
    # (12r - 5)(q - p) = 0; r = 5/12 gives D(q, 5/12) = -1/12 != 0, so p = q = r = t with
    # 12t^2 - 10t + 2 = 0: t = 1/2 or t = 1/3 (two totally mixed equilibria, cf. McKelvey &
    # McLennan 1997 on the maximal number, 2, for 2x2x2 games).
    # Pure: (a1,a1,a1) (each faces d=4 > 0); (a1,a2,a2) and permutations (the a1-player faces d=2,
    # the others face d=-3).  (a2,a2,a2) fails (d=2 > 0), two a1 + one a2 fails (d=4 for the a2-player).
    # Two players mixing, C pure a2: D(q,0) = 2 - 5q = 0 -> p = q = 2/5, and C's gain
    # D(2/5,2/5) = 48/25 - 4 + 2 = -2/25 < 0, so a2 is right: an equilibrium (and its 3 permutations
    # of the pure player).  C pure a1: D(q,1) = 7q - 3 = 0 -> 3/7, but D(3/7,3/7) = -4/49 < 0 makes C
    # switch: not an equilibrium.  One player mixing against pure others needs d = 0: impossible.
    g = hand_game()
    res = enumerate_nplayer(g)
    assert res.complete and res.notes == ()
    expect = set()
    for t in (Fraction(1, 2), Fraction(1, 3)):
        expect.add(key([[t, 1 - t]] * 3))
    expect.add(key([[1, 0]] * 3))
    for i in range(3):
        prof = [[0, 1]] * 3
        prof[i] = [1, 0]
        expect.add(key(prof))
        prof = [[0.4, 0.6]] * 3
        prof[i] = [0, 1]
        expect.add(key(prof))
    assert len(expect) == 9
    assert set(eq_set(res)) == expect
    assert all(e.regret < 1e-10 for e in res)


# ---------------------------------------------------------------------- oracle: pygambit
def random_game(rng, shape):
    # payoffs from a wide integer range: ties (degeneracy) have negligible probability
    return NormalFormGame(rng.integers(-1000, 1001, size=shape + (len(shape),)).tolist())


@pytest.mark.parametrize("shape,seeds", [((2, 2, 2), range(6)), ((3, 2, 2), range(2))])
def test_same_set_as_pygambit_enumpoly(shape, seeds):
    gbt = pytest.importorskip("pygambit")
    from deterrence.solve.nplayer import to_gambit

    for seed in seeds:
        g = random_game(np.random.default_rng(seed), shape)
        res = enumerate_nplayer(g)
        assert res.complete, res.notes
        G = to_gambit(g)
        ref = gbt.nash.enumpoly_solve(G, use_strategic=True)
        ref_set = sorted(key([[float(eq[s]) for s in p.strategies] for p in G.players], 5)
                         for eq in ref.equilibria)
        assert eq_set(res, 5) == sorted(set(ref_set))
        # and the pygambit wrapper method gives the same, certified
        assert eq_set(enumerate_nplayer(g, method="gambit"), 5) == eq_set(res, 5)


def test_odd_number_of_equilibria_in_nondegenerate_games():
    # Wilson (1971): a nondegenerate game has an odd number of equilibria.
    for seed in range(10, 16):
        res = enumerate_nplayer(random_game(np.random.default_rng(seed), (2, 2, 2)))
        assert res.complete and len(res) % 2 == 1


# ---------------------------------------------------------------------- invariances
small_games = st.integers(0, 10 ** 6).map(lambda s: random_game(np.random.default_rng(s), (2, 2, 2)))


@settings(max_examples=6, deadline=None)
@given(small_games, st.lists(st.integers(1, 7), min_size=3, max_size=3),
       st.lists(st.integers(-50, 50), min_size=3, max_size=3))
def test_affine_invariance(g, a, b):
    U = np.array(g.exact_payoffs[0], dtype=object)
    V = U.copy()
    for i in range(3):
        V[..., i] = U[..., i] * a[i] + b[i]
    res, res2 = enumerate_nplayer(g), enumerate_nplayer(NormalFormGame(V.tolist()))
    assert all(e.regret <= 1e-8 * 1000 for e in res)
    assert eq_set(res) == eq_set(res2)


@settings(max_examples=6, deadline=None)
@given(small_games, st.permutations([0, 1, 2]), st.lists(st.booleans(), min_size=3, max_size=3))
def test_relabelling_invariance(g, perm, flips):
    U = np.array(g.exact_payoffs[0], dtype=object)
    # permute players: new player k is old player perm[k]
    V = np.transpose(U, list(perm) + [3])[..., list(perm)]
    # flip the action order of some players
    for k, f in enumerate(flips):
        if f:
            V = np.flip(V, axis=k)
    res = enumerate_nplayer(g)
    res2 = enumerate_nplayer(NormalFormGame(V.tolist()))
    mapped = []
    for e in res:
        strat = [e.strategies[perm[k]] for k in range(3)]
        strat = [s[::-1] if flips[k] else s for k, s in enumerate(strat)]
        mapped.append(key(strat))
    assert sorted(mapped) == eq_set(res2)


# ---------------------------------------------------------------------- degenerate games
def test_degenerate_game_is_not_claimed_complete():
    # Player 1 is indifferent between a1 and a2 everywhere (all payoffs 0): any mix of hers is part
    # of an equilibrium when the others' choice is right; the support systems where she mixes
    # against pure others are 0 = 0, so the set is not claimed complete.
    U = np.zeros((2, 2, 2, 3), dtype=int)
    U[..., 1] = np.array([[[3, 0], [0, 1]], [[3, 0], [0, 1]]])
    U[..., 2] = np.array([[[2, 0], [0, 2]], [[2, 0], [0, 2]]])
    res = enumerate_nplayer(NormalFormGame(U.tolist()))
    assert not res.complete
    assert any("Player 1" in n for n in res.notes)
    assert all(e.regret <= 1e-8 for e in res)


# ---------------------------------------------------------------------- one equilibrium
def test_one_equilibrium_is_certified_and_in_the_set():
    for seed in range(3):
        g = random_game(np.random.default_rng(100 + seed), (2, 2, 2))
        e = one_equilibrium(g)
        assert e.regret <= 1e-8 * 1000
        assert key(e.strategies, 5) in set(eq_set(enumerate_nplayer(g), 5))


def test_one_equilibrium_larger_game():
    rng = np.random.default_rng(5)
    g = NormalFormGame(rng.normal(size=(4, 4, 3, 3)))
    e = one_equilibrium(g)
    assert float(g.regret(e.strategies)[0]) <= 1e-8 * np.abs(g.payoffs).max()


def test_solve_on_support_hand_game():
    # Full support of the hand game from t = 0.45 converges to the t = 1/2 equilibrium.
    sig = solve_on_support(hand_game(), [[0, 1]] * 3, start=[[0.45, 0.55]] * 3)
    assert np.allclose(sig, 0.5)


def test_errors_name_the_problem():
    g = hand_game()
    with pytest.raises(SolverError, match="unknown method 'lemke'"):
        enumerate_nplayer(g, method="lemke")
    with pytest.raises(SolverError, match="max_supports=10"):
        enumerate_nplayer(g, max_supports=10)
    batch = NormalFormGame(np.stack([g.payoffs[0], g.payoffs[0]]))
    out = enumerate_nplayer(batch)
    assert isinstance(out, ResultBatch) and len(out) == 2 and eq_set(out[0]) == eq_set(out[1])


# ---------------------------------------------------------------------- exact elimination (default method)
def test_elimination_agrees_with_groebner_and_enumpoly_on_40_games():
    # The default method decides the common support systems by exact elimination; the reference
    # Groebner-basis path decides every system by a Groebner basis.  Both must give the same set,
    # both complete.  pygambit's enumpoly (independent code) may miss equilibria but never finds one
    # we lack; every game's count is odd (Wilson 1971, nondegenerate games).
    gbt = pytest.importorskip("pygambit")
    from deterrence.solve.nplayer import to_gambit

    rng = np.random.default_rng(2024)
    for shape, count in (((2, 2, 2), 16), ((3, 2, 2), 14), ((3, 3, 2), 10)):
        for _ in range(count):
            g = random_game(rng, shape)
            new = enumerate_nplayer(g)
            ref = enumerate_nplayer(g, method="groebner")
            assert new.complete and ref.complete, (new.notes, ref.notes)
            assert eq_set(new, 5) == eq_set(ref, 5)
            assert len(new) % 2 == 1
            assert all(e.regret <= 1e-8 * 1000 for e in new)
            G = to_gambit(g)
            theirs = {key([[float(eq[s]) for s in p.strategies] for p in G.players], 5)
                      for eq in gbt.nash.enumpoly_solve(G, use_strategic=True).equilibria}
            assert theirs <= set(eq_set(new, 5))


def test_elimination_falls_back_on_degenerate_systems():
    # Player 1's payoffs do not depend on her own action: every support system where she mixes has
    # an equation 0 = 0, which the elimination does not decide; the Groebner path must then report
    # the same equilibria and the same incompleteness notes.
    rng = np.random.default_rng(7)
    U = rng.integers(-9, 10, size=(2, 2, 2, 3))
    U[1, ..., 0] = U[0, ..., 0]
    g = NormalFormGame(U.tolist())
    new, ref = enumerate_nplayer(g), enumerate_nplayer(g, method="groebner")
    assert not new.complete and new.notes == ref.notes
    assert eq_set(new) == eq_set(ref)
    assert "Groebner" in new.method


def test_sturm_count_and_real_roots():
    from deterrence.solve.elimination import _mul, real_roots, sturm_real_root_count

    # (2x - 1)(x + 3)(x^2 + 1)(5x - 7): three real roots 1/2, -3, 7/5, two complex
    p = _mul(_mul(_mul([-1, 2], [3, 1]), [1, 0, 1]), [-7, 5])
    assert sturm_real_root_count(p) == (3, True)
    assert np.allclose(real_roots(p), [-3, 0.5, 1.4], atol=1e-14)
    # (x - 1)^2 (x + 2): two distinct real roots, not square-free -> no root list (caller falls back)
    q = _mul(_mul([-1, 1], [-1, 1]), [2, 1])
    assert sturm_real_root_count(q) == (2, False)
    assert real_roots(q) is None
    # x^2 + 1e-8 scaled to integers: no real root although numpy's roots are nearly real
    assert sturm_real_root_count([1, 0, 10 ** 8]) == (0, True)
    assert real_roots([1, 0, 10 ** 8]).size == 0


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=1, max_size=4), st.integers(0, 2))
def test_sturm_count_matches_constructed_roots(roots, pairs):
    # a polynomial built from distinct integer roots and `pairs` factors x^2 + k (k >= 1, no real root)
    from deterrence.solve.elimination import _mul, sturm_real_root_count

    p = [1]
    for r in roots:
        p = _mul(p, [-r, 1])
    for k in range(pairs):
        p = _mul(p, [k + 1, 0, 1])
    count, squarefree = sturm_real_root_count(p)
    assert count == len(set(roots))
    assert squarefree == (len(set(roots)) == len(roots))


def test_dominance_tables_match_direct_check():
    from deterrence.solve.nplayer import _conditionally_dominated, _dominance_tables
    import itertools

    g = random_game(np.random.default_rng(3), (3, 2, 2))
    P = g.payoffs[0]
    m = P.shape[:-1]
    subsets = [[c for r in range(1, k + 1) for c in itertools.combinations(range(k), r)] for k in m]
    tables = _dominance_tables(P, m, subsets)
    masks = [[sum(1 << a for a in s) for s in subs] for subs in subsets]
    pruned = 0
    for idx in itertools.product(*[range(len(s)) for s in subsets]):
        sup = [subsets[i][k] for i, k in enumerate(idx)]
        fast = any(tables[i][idx[:i] + idx[i + 1:]] & masks[i][idx[i]] for i in range(3))
        assert fast == _conditionally_dominated(P, sup, m)
        pruned += fast
    assert pruned > 0
