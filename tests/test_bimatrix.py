"""Tests of the complete bimatrix solver: closed forms, hand-derived degenerate
games, invariances (hypothesis), brute force, the 2x2 fast path, backends and
bad input.  Expected values are derived by hand in the comments or computed
by an independent method (brute force, pygambit)."""

from fractions import Fraction as Fr
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from deterrence import NormalFormGame
from deterrence.errors import GameStructureError, ModelError, SolverError
from deterrence.solve import BatchEquilibria, enumerate_equilibria, solve_2x2
from deterrence.solve.results import ResultBatch


def exact_set(es):
    return {e.exact for e in es}


def rounded_set(es, digits=6):
    return {tuple(tuple(np.round(v, digits) + 0.0) for v in e.strategies) for e in es}


def F(*v):
    return tuple(Fr(x) for x in v)


# ------------------------------------------------------------------ textbook closed forms
def test_prisoners_dilemma_unique_pure():
    # C/D with T=5 > R=3 > P=1 > S=0: D strictly dominates C, so (D, D) is the unique NE.
    A = [[3, 0], [5, 1]]
    es = enumerate_equilibria(NormalFormGame.from_bimatrix(A, np.array(A).T.tolist()), exact=True)
    assert exact_set(es) == {(F(0, 1), F(0, 1))}
    assert es[0].payoffs.tolist() == [1.0, 1.0]
    assert es.complete and not es.has_continuum


def test_chicken_two_pure_and_mixed_by_formula():
    # swerve/straight: (S,S)=0, (S,T)=-1, (T,S)=1, (T,T)=-10, symmetric.
    # Mixed: opponent swerves with q where 0*q - 1*(1-q) = 1*q - 10*(1-q)  =>  q = 9/10.
    A = [[0, -1], [1, -10]]
    g = NormalFormGame.from_bimatrix(A, np.array(A).T.tolist())
    es = enumerate_equilibria(g, exact=True)
    q = Fr(9, 10)
    assert exact_set(es) == {(F(1, 0), F(0, 1)), (F(0, 1), F(1, 0)), ((q, 1 - q), (q, 1 - q))}
    assert len(es.components) == 3


def test_stag_hunt():
    # stag/hare: (S,S)=4, (S,H)=0, (H,.)=3.  Mixed: 4q = 3  =>  q = 3/4.
    A = [[4, 0], [3, 3]]
    es = enumerate_equilibria(NormalFormGame.from_bimatrix(A, np.array(A).T.tolist()), exact=True)
    q = Fr(3, 4)
    assert exact_set(es) == {(F(1, 0), F(1, 0)), (F(0, 1), F(0, 1)), ((q, 1 - q), (q, 1 - q))}


def test_matching_pennies_unique_half():
    A = np.array([[1, -1], [-1, 1]])
    es = enumerate_equilibria(NormalFormGame.from_bimatrix(A.tolist(), (-A).tolist()), exact=True)
    assert exact_set(es) == {(F(Fr(1, 2), Fr(1, 2)), F(Fr(1, 2), Fr(1, 2)))}
    assert es[0].payoffs.tolist() == [0.0, 0.0]


def test_battle_of_the_sexes():
    # A=[[2,0],[0,1]], B=[[1,0],[0,2]].  Column indifferent: p = 2(1-p) => p = 2/3;
    # row indifferent: 2q = 1 - q => q = 1/3.
    es = enumerate_equilibria(NormalFormGame.from_bimatrix([[2, 0], [0, 1]], [[1, 0], [0, 2]]), exact=True)
    assert exact_set(es) == {(F(1, 0), F(1, 0)), (F(0, 1), F(0, 1)),
                             (F(Fr(2, 3), Fr(1, 3)), F(Fr(1, 3), Fr(2, 3)))}
    mixed = [e for e in es if not e.is_pure][0]
    assert mixed.payoffs == pytest.approx([2 / 3, 2 / 3])


# ------------------------------------------------------------------ degenerate games with continua
def test_von_stengel_degenerate_3x2():
    # von Stengel (2007, AGT ch. 3) 3x2 example made degenerate: B's top row (3, 3).
    # A = [[3,3],[2,5],[0,6]], B = [[3,3],[2,6],[3,1]].  Hand derivation, y = (y1, 1-y1):
    #   row payoffs 3, 5-3y1, 6-6y1: row 1 best iff y1 >= 2/3, row 2 iff 1/3 <= y1 <= 2/3,
    #   row 3 iff y1 <= 1/3.  Column: col1 - col2 = -4 x2 + 2 x3.
    #   y1 >= 2/3: x = (1,0,0) (x2 > 0 would make col 2 strictly better), column indifferent
    #     -> continuum {(1,0,0)} x conv{(1,0), (2/3,1/3)};
    #   1/3 < y1 < 2/3: x = e2, col 2 strictly best, contradiction;
    #   y1 = 1/3: x = (0, x2, x3) with x3 = 2 x2 -> ((0,1/3,2/3), (1/3,2/3)), isolated;
    #   y1 < 1/3: x = e3, col 1 strictly best, contradiction.
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 3], [2, 6], [3, 1]]
    es = enumerate_equilibria(NormalFormGame.from_bimatrix(A, B), exact=True)
    t = Fr(1, 3)
    expected = {(F(1, 0, 0), F(1, 0)), (F(1, 0, 0), F(2 * t, t)), (F(0, t, 2 * t), F(t, 2 * t))}
    assert exact_set(es) == expected
    assert len(es.components) == 2 and es.has_continuum
    big = [c for c in es.components if not c.is_isolated][0]
    assert len(big.cliques) == 1
    rows, cols = big.cliques[0]
    assert len(rows) == 1 and len(cols) == 2
    assert {tuple(es.column_vertices[c]) for c in cols} == {(1.0, 0.0), (2 / 3, 1 / 3)}
    assert tuple(es.row_vertices[rows[0]]) == (1.0, 0.0, 0.0)


def test_l_shaped_component_two_cliques():
    # A = B = [[1,1],[1,0]]: row 1 is always a best response, row 2 only if y1 = 1;
    # col 1 always, col 2 only if x1 = 1.  Equilibria: {x: any} x {(1,0)} and {(1,0)} x {y: any}:
    # one component, two maximal Nash subsets sharing ((1,0),(1,0)), three extreme equilibria.
    M = [[1, 1], [1, 0]]
    es = enumerate_equilibria(NormalFormGame.from_bimatrix(M, M), exact=True)
    assert exact_set(es) == {(F(1, 0), F(1, 0)), (F(0, 1), F(1, 0)), (F(1, 0), F(0, 1))}
    assert len(es.components) == 1
    comp = es.components[0]
    assert len(comp.cliques) == 2 and len(comp.equilibria) == 3
    shapes = sorted((len(r), len(c)) for r, c in comp.cliques)
    assert shapes == [(1, 2), (2, 1)]


def test_dominant_row_indifferent_column():
    # A = B = [[1,1],[0,0]]: row 1 strictly dominant; the column player is then indifferent:
    # the equilibria are {(1,0)} x Delta_2, one component with extreme points y = e1, e2.
    M = [[1, 1], [0, 0]]
    es = enumerate_equilibria(NormalFormGame.from_bimatrix(M, M), exact=True)
    assert exact_set(es) == {(F(1, 0), F(1, 0)), (F(1, 0), F(0, 1))}
    assert len(es.components) == 1 and es.components[0].cliques == (((0,), (0, 1)),)


def test_all_zero_game_is_one_clique():
    # every profile is an equilibrium: one clique, all pure profiles are the extreme points
    es = enumerate_equilibria(NormalFormGame.from_bimatrix(np.zeros((3, 2)), np.zeros((3, 2))), exact=True)
    assert len(es) == 6 and len(es.components) == 1
    assert [tuple(map(len, q)) for q in es.components[0].cliques] == [(3, 2)]


# ------------------------------------------------------------------ hypothesis: random games
def games(max_size=5, ints=(-1, 0, 1, 2)):
    @st.composite
    def build(draw):
        m = draw(st.integers(1, max_size))
        n = draw(st.integers(1, max_size))
        vals = st.sampled_from(ints) if draw(st.booleans()) else st.integers(-30, 30)
        A = [[draw(vals) for _ in range(n)] for _ in range(m)]
        B = [[draw(vals) for _ in range(n)] for _ in range(m)]
        return A, B
    return build()


def brute_pure(A, B):
    A, B = np.array(A), np.array(B)
    return {(i, j) for i, j in product(range(A.shape[0]), range(A.shape[1]))
            if A[i, j] == A[:, j].max() and B[i, j] == B[i, :].max()}


@settings(max_examples=60, deadline=None)
@given(games())
def test_certified_pure_found_components_consistent(AB):
    A, B = AB
    g = NormalFormGame.from_bimatrix(A, B)
    es = enumerate_equilibria(g)
    assert len(es) >= 1                                 # Nash (1951)
    for e in es:
        assert g.regret(e.strategies)[0] <= 1e-9 * max(1, np.abs(g.payoffs).max())
    pure = {(int(np.argmax(e.strategies[0])), int(np.argmax(e.strategies[1]))) for e in es if e.is_pure}
    assert brute_pure(A, B) <= pure and pure <= brute_pure(A, B)
    # every pair in every maximal Nash subset is an equilibrium; the subsets are maximal;
    # the components partition the extreme equilibria
    R, C = es.row_vertices, es.column_vertices
    for comp in es.components:
        for rows, cols in comp.cliques:
            for r in rows:
                for c in cols:
                    assert g.regret((R[r], C[c]))[0] <= 1e-8
            for r in set(range(len(R))) - set(rows):
                assert any(g.regret((R[r], C[c]))[0] > 1e-8 for c in cols)
    covered = sorted(k for comp in es.components for k in comp.equilibria)
    assert covered == list(range(len(es)))


@settings(max_examples=40, deadline=None)
@given(games(), st.integers(1, 4), st.integers(-5, 5), st.integers(1, 4), st.integers(-5, 5))
def test_positive_affine_invariance(AB, a, c, b, d):
    A, B = (np.array(M) for M in AB)
    es1 = enumerate_equilibria(NormalFormGame.from_bimatrix(A.tolist(), B.tolist()), exact=True)
    es2 = enumerate_equilibria(NormalFormGame.from_bimatrix((a * A + c).tolist(), (b * B + d).tolist()),
                               exact=True)
    assert exact_set(es1) == exact_set(es2)


@settings(max_examples=40, deadline=None)
@given(games(), st.randoms(use_true_random=False))
def test_relabelling_and_player_swap(AB, rnd):
    A, B = (np.array(M) for M in AB)
    m, n = A.shape
    sr = list(range(m)); rnd.shuffle(sr)
    sc = list(range(n)); rnd.shuffle(sc)
    base = exact_set(enumerate_equilibria(NormalFormGame.from_bimatrix(A.tolist(), B.tolist()), exact=True))
    perm = exact_set(enumerate_equilibria(
        NormalFormGame.from_bimatrix(A[np.ix_(sr, sc)].tolist(), B[np.ix_(sr, sc)].tolist()), exact=True))
    assert perm == {(tuple(x[i] for i in sr), tuple(y[j] for j in sc)) for x, y in base}
    swap = exact_set(enumerate_equilibria(NormalFormGame.from_bimatrix(B.T.tolist(), A.T.tolist()), exact=True))
    assert swap == {(y, x) for x, y in base}


@settings(max_examples=30, deadline=None)
@given(games(max_size=4))
def test_float_and_exact_agree(AB):
    g = NormalFormGame.from_bimatrix(*AB)
    ex = enumerate_equilibria(g, exact=True)
    fl = enumerate_equilibria(g)
    assert {tuple(tuple(round(float(v), 9) + 0.0 for v in s) for s in e.exact) for e in ex} == rounded_set(fl, 9)


# ------------------------------------------------------------------ 2x2 fast path
@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2 ** 32 - 1), st.sampled_from(["float", "01", "012", "-101", "scaled01"]))
def test_2x2_batch_agrees_with_general_method(seed, kind):
    # the batched 2x2 solver against the general vertex enumeration, game by game: the same
    # extreme equilibria, the same components and the same continuum flag.  Payoffs in {0, 1}
    # make almost every game degenerate; "scaled01" checks the relative tie tolerance.
    rng = np.random.default_rng(seed)
    if kind == "float":
        g = NormalFormGame(rng.standard_normal((20, 2, 2, 2)))
    elif kind == "scaled01":
        g = NormalFormGame(1e6 * rng.choice([0.0, 1.0], (20, 2, 2, 2)) - 3e5)
    else:
        vals = {"01": [0, 1], "012": [0, 1, 2], "-101": [-1, 0, 1]}[kind]
        g = NormalFormGame(rng.choice(vals, (20, 2, 2, 2)).tolist())
    batch = solve_2x2(g)
    assert isinstance(batch, BatchEquilibria)
    assert batch.counts.sum() == len(batch)
    assert np.all(batch.regret <= 1e-8 * np.abs(g.payoffs).max(initial=1.0))
    for b in range(20):
        general = enumerate_equilibria(g[b])
        mine = batch.equilibrium_set(b)
        assert rounded_set(mine) == rounded_set(general)
        assert batch.counts[b] == len(general)
        assert len(mine.components) == len(general.components)
        assert sorted(len(c.equilibria) for c in mine.components) == \
            sorted(len(c.equilibria) for c in general.components)
        assert bool(batch.continuum[b]) == general.has_continuum
    if kind != "float":
        assert batch.degenerate.any()
    else:
        assert not batch.continuum.any()


def _all_binary_2x2():
    """Every 2x2 game with payoffs in {0, 1}: 2^8 = 256 games, nearly all degenerate."""
    return np.array(list(product([0, 1], repeat=8)), dtype=float).reshape(256, 2, 2, 2)


def test_2x2_batch_exhaustive_binary_games_vs_general_method():
    P = _all_binary_2x2()
    g = NormalFormGame(P)
    batch = solve_2x2(g)
    # a game is nondegenerate when all four differences (a0j - a1j, bi0 - bi1) are nonzero; each is
    # nonzero for 2 of its 4 value pairs, so 2^4 = 16 of the 256 games are nondegenerate
    assert batch.degenerate.sum() == 256 - 16
    n_cont = 0
    for b in range(256):
        general = enumerate_equilibria(g[b])
        assert rounded_set(batch.for_game(b)) == rounded_set(general), P[b]
        assert bool(batch.continuum[b]) == general.has_continuum, P[b]
        n_cont += general.has_continuum
    assert n_cont > 50            # the comparison covers many continua, not only isolated equilibria
    # the all-zero game: every profile is an equilibrium; extreme ones are the four pure profiles
    assert rounded_set(batch.for_game(0)) == {((1.0, 0.0), (1.0, 0.0)), ((1.0, 0.0), (0.0, 1.0)),
                                             ((0.0, 1.0), (1.0, 0.0)), ((0.0, 1.0), (0.0, 1.0))}
    assert batch.continuum[0] and len(batch.equilibrium_set(0).components) == 1


def test_2x2_batch_exhaustive_binary_games_vs_gambit():
    gbt = pytest.importorskip("pygambit")
    P = _all_binary_2x2()
    batch = solve_2x2(NormalFormGame(P))
    for b in range(256):
        A = np.array(P[b, ..., 0], dtype=int).astype(object)
        B = np.array(P[b, ..., 1], dtype=int).astype(object)
        g = gbt.Game.from_arrays(A, B)
        res = gbt.nash.enummixed_solve(g, rational=True)
        theirs = set()
        for eq in res.equilibria:
            x = tuple(round(float(eq[s]), 9) + 0.0 for s in list(g.players)[0].strategies)
            y = tuple(round(float(eq[s]), 9) + 0.0 for s in list(g.players)[1].strategies)
            theirs.add((x, y))
        assert rounded_set(batch.for_game(b), 9) == theirs, P[b]


def test_2x2_closed_form_counts_on_random_batch():
    # a nondegenerate 2x2 game has 1 or 3 equilibria (odd number, Wilson 1971; at most 3 in 2x2)
    rng = np.random.default_rng(7)
    batch = solve_2x2(NormalFormGame(rng.standard_normal((20000, 2, 2, 2))))
    assert set(np.unique(batch.counts)) <= {1, 3}
    assert not batch.degenerate.any()
    # brute-force pure NE count agrees with the pure equilibria found
    P = rng.standard_normal((500, 2, 2, 2))
    batch = solve_2x2(NormalFormGame(P))
    for b in range(500):
        pure = {(int(np.argmax(e.strategies[0])), int(np.argmax(e.strategies[1])))
                for e in batch.for_game(b) if e.is_pure}
        assert pure == brute_pure(P[b, ..., 0], P[b, ..., 1])


def test_batched_enumerate_returns_one_set_per_game():
    rng = np.random.default_rng(3)
    g = NormalFormGame(rng.integers(0, 3, (6, 2, 2, 2)).tolist())
    sets = enumerate_equilibria(g)
    assert isinstance(sets, ResultBatch) and len(sets) == 6 and sets.batch_size == 6
    for b, es in enumerate(sets):
        assert rounded_set(es) == rounded_set(enumerate_equilibria(g[b]))
    g3 = NormalFormGame(rng.integers(0, 3, (3, 3, 2, 2)).tolist())
    sets3 = enumerate_equilibria(g3, exact=True)
    assert [exact_set(s) for s in sets3] == [exact_set(enumerate_equilibria(g3[b], exact=True)) for b in range(3)]


# ------------------------------------------------------------------ backends
def test_gambit_backend_matches_vertex():
    pytest.importorskip("pygambit")
    A = [[3, 3], [2, 5], [0, 6]]
    B = [[3, 3], [2, 6], [3, 1]]
    g = NormalFormGame.from_bimatrix(A, B)
    ours = enumerate_equilibria(g, exact=True)
    theirs = enumerate_equilibria(g, method="gambit", exact=True)
    assert exact_set(theirs) == exact_set(ours) and theirs.complete
    assert len(theirs.components) == 2
    fl = enumerate_equilibria(g, method="gambit")
    assert rounded_set(fl) == rounded_set(ours)


def test_nashpy_backend_nondegenerate_and_degenerate_flag():
    rng = np.random.default_rng(11)
    A, B = rng.standard_normal((2, 4, 4))
    g = NormalFormGame.from_bimatrix(A, B)
    res = enumerate_equilibria(g, method="nashpy")
    assert res.complete and rounded_set(res) == rounded_set(enumerate_equilibria(g))
    degenerate = NormalFormGame.from_bimatrix([[3, 3], [2, 5], [0, 6]], [[3, 3], [2, 6], [3, 1]])
    res = enumerate_equilibria(degenerate, method="nashpy")
    assert not res.complete
    assert rounded_set(res) <= rounded_set(enumerate_equilibria(degenerate))


# ------------------------------------------------------------------ bad input
def test_three_player_game_rejected():
    g = NormalFormGame(np.zeros((2, 2, 2, 3)), players=["Challenger", "Defender", "Protege"])
    with pytest.raises(GameStructureError, match="3 players"):
        enumerate_equilibria(g)
    with pytest.raises(GameStructureError, match="3 players"):
        solve_2x2(g)


def test_bad_method_and_shapes():
    g = NormalFormGame.from_bimatrix([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(SolverError, match="unknown method 'lemke'"):
        enumerate_equilibria(g, method="lemke")
    with pytest.raises(SolverError, match="nashpy"):
        enumerate_equilibria(g, method="nashpy", exact=True)
    with pytest.raises(GameStructureError, match=r"actions \(3, 2\)"):
        solve_2x2(NormalFormGame.from_bimatrix(np.zeros((3, 2)), np.zeros((3, 2))))
    with pytest.raises(ModelError, match="NormalFormGame"):
        enumerate_equilibria([[1, 2], [3, 4]])
