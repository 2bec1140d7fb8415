"""Oracle tests at the edges (issue 12): games whose payoffs are scaled from 1e-12 to 1e12, shifted by
large constants, or mix magnitudes, and trees with chance branches of probability 0.

The reference answers are computed here, independently of the package: an exact brute force in
Fractions (every vertex of each best-response polytope from every choice of tight constraints,
solved by Gaussian elimination written below; every pure profile of a tree checked node by node)
and pygambit's rational enumeration.  The package solves the *transformed* float game; the oracle
solves the original integer game, whose equilibria are the same.
"""

from __future__ import annotations

import itertools
from fractions import Fraction

import numpy as np
import pytest

from _tree_helpers import to_nodes
from deterrence.games import NormalFormGame
from deterrence.games.tree import GameTree
from deterrence.solve import enumerate_equilibria, solve_2x2, subgame_perfect

# ---------------------------------------------------------------------- exact brute force (bimatrix)


def _solve(M, b):
    """Exact solution of the square system M z = b (lists of Fractions), or None when singular."""
    k = len(M)
    aug = [list(r) + [v] for r, v in zip(M, b)]
    for c in range(k):
        piv = next((r for r in range(c, k) if aug[r][c] != 0), None)
        if piv is None:
            return None
        aug[c], aug[piv] = aug[piv], aug[c]
        for r in range(k):
            if r != c and aug[r][c] != 0:
                f = aug[r][c] / aug[c][c]
                aug[r] = [a - f * q for a, q in zip(aug[r], aug[c])]
    return [aug[r][k] / aug[r][r] for r in range(k)]


def _vertices(C):
    """Vertices of {z >= 0 : C z <= 1} (C: k x d, positive) with their tight-constraint sets.

    Every choice of d tight constraints among the d + k (z_j = 0 or row r tight) is solved exactly;
    feasible solutions are the vertices.  Returns {vertex tuple: frozenset of tight indices} with
    index j < d for z_j = 0 and d + r for row r.
    """
    k, d = len(C), len(C[0])
    out = {}
    for tight in itertools.combinations(range(d + k), d):
        M, b = [], []
        for t in tight:
            if t < d:
                M.append([Fraction(int(j == t)) for j in range(d)])
                b.append(Fraction(0))
            else:
                M.append(list(C[t - d]))
                b.append(Fraction(1))
        z = _solve(M, b)
        if z is None or any(v < 0 for v in z):
            continue
        if any(sum(C[r][j] * z[j] for j in range(d)) > 1 for r in range(k)):
            continue
        labels = frozenset([j for j in range(d) if z[j] == 0]
                           + [d + r for r in range(k) if sum(C[r][j] * z[j] for j in range(d)) == 1])
        out[tuple(z)] = labels
    return out


def brute_force_extreme(A, B):
    """Extreme Nash equilibria of the bimatrix game (A, B) (integer lists), as tuples of Fractions."""
    m, n = len(A), len(A[0])
    lo = min(min(r) for r in A + B)
    Ap = [[Fraction(v - lo + 1) for v in r] for r in A]
    Bp = [[Fraction(v - lo + 1) for v in r] for r in B]
    P = _vertices([[Bp[i][j] for i in range(m)] for j in range(n)])       # x: labels i (x_i=0), m+j (col j best)
    Q = _vertices(Ap)                                                     # y: labels j -> m+j, row i tight -> i
    out = set()
    for x, lx in P.items():
        if not any(x):
            continue
        for y, ly in Q.items():
            if not any(y):
                continue
            labels = set(lx) | {m + j for j in ly if j < n} | {j - n for j in ly if j >= n}
            if labels == set(range(m + n)):
                sx, sy = sum(x), sum(y)
                out.add((tuple(v / sx for v in x), tuple(v / sy for v in y)))
    return out


def gambit_extreme(A, B):
    gbt = pytest.importorskip("pygambit")
    g = gbt.Game.from_arrays(np.array(A, dtype=object), np.array(B, dtype=object))
    res = gbt.nash.enummixed_solve(g, rational=True)
    p1, p2 = list(g.players)
    return {(tuple(Fraction(e[s]) for s in p1.strategies), tuple(Fraction(e[s]) for s in p2.strategies))
            for e in res.equilibria}


def as_float_keys(profiles):
    return sorted(tuple(tuple(round(float(v), 9) + 0.0 for v in s) for s in p) for p in profiles)


def ours_keys(es):
    return sorted(tuple(tuple(round(float(v), 9) + 0.0 for v in s) for s in e.strategies) for e in es)


# ---------------------------------------------------------------------- families of games at the edges
def integer_games(seed, count, shapes=((2, 2), (2, 3), (3, 2), (3, 3))):
    rng = np.random.default_rng(seed)
    for k in range(count):
        m, n = shapes[k % len(shapes)]
        lo, hi = ((0, 3), (-1, 2), (-20, 21))[k % 3]                      # ties and degeneracy in 2 of 3
        yield rng.integers(lo, hi, size=(m, n)).tolist(), rng.integers(lo, hi, size=(m, n)).tolist()


SCALES = [1e-12, 1e-9, 1e-3, 1.0, 1e3, 1e9, 1e12]


@pytest.mark.parametrize("scale", SCALES)
def test_scaled_and_shifted_bimatrix_games_equal_the_exact_oracle(scale):
    rng = np.random.default_rng(int(np.log10(scale)) + 50)
    for A, B in integer_games(int(np.log10(scale)) + 100, 24):
        truth = brute_force_extreme(A, B)
        shift = float(rng.choice([0.0, 1e3, -1e6])) * scale                 # a constant far beyond the differences
        g = NormalFormGame.from_bimatrix(np.array(A) * scale + shift, np.array(B) * scale - shift)
        es = enumerate_equilibria(g)
        assert es.complete
        assert ours_keys(es) == as_float_keys(truth), (A, B, scale, shift)


def test_oracle_agrees_with_gambit_rational():
    pytest.importorskip("pygambit")
    for A, B in integer_games(7, 30):
        assert brute_force_extreme(A, B) == gambit_extreme(A, B), (A, B)


def mixed_magnitude_games(seed, count):
    """A small game plus an action that is strictly dominated for its owner but carries a payoff of order
    1e9 (or 1e-9 differences next to 1e9 levels) for the other player: what is left is the small game."""
    rng = np.random.default_rng(seed)
    for k in range(count):
        m, n = (2, 2) if k % 2 else (2, 3)
        A = rng.integers(-3, 4, size=(m, n))
        B = rng.integers(-3, 4, size=(m, n))
        big = int(rng.choice([10 ** 9, 2 * 10 ** 9, 10 ** 12]))
        # an extra column, strictly dominated for the column player, with a huge payoff for the row player
        A = np.hstack([A, rng.integers(-big, big, size=(m, 1))])
        B = np.hstack([B, np.full((m, 1), int(B.min()) - 1 - int(rng.integers(0, 5)))])
        yield A.tolist(), B.tolist()


def test_mixed_magnitude_games_equal_the_exact_oracle_and_gambit():
    for A, B in mixed_magnitude_games(3, 40):
        truth = brute_force_extreme(A, B)
        es = enumerate_equilibria(NormalFormGame.from_bimatrix(np.array(A, float), np.array(B, float)))
        assert es.complete and ours_keys(es) == as_float_keys(truth), (A, B)
        ex = enumerate_equilibria(NormalFormGame.from_bimatrix(A, B), exact=True)
        assert {e.exact for e in ex} == truth
        for e in es:                                   # the certificate is tight: regret zero up to rounding
            assert e.regret <= 1e-6


def _exact_unit(M):
    lo, hi = min(min(r) for r in M), max(max(r) for r in M)
    return [[Fraction(v - lo, hi - lo) + 1 for v in r] for r in M]


def test_mixed_magnitude_games_equal_gambit():
    # pygambit 16.7's *rational* enummixed_solve returns no equilibrium at all on some of these integer
    # games (entries ~1e12 next to entries ~1): the oracle calls it on each player's payoffs mapped
    # exactly onto [1, 2] (same equilibria), as method="gambit" does
    pytest.importorskip("pygambit")
    for A, B in mixed_magnitude_games(4, 12):
        truth = brute_force_extreme(A, B)
        assert truth == gambit_extreme(_exact_unit(A), _exact_unit(B))
        es = enumerate_equilibria(NormalFormGame.from_bimatrix(A, B), method="gambit", exact=True)
        assert es.complete and {e.exact for e in es} == truth


def test_huge_python_integers_exact_against_the_oracle():
    rng = np.random.default_rng(11)
    for A, B in integer_games(12, 20):
        base = int(rng.integers(1, 8)) * 2 ** 60
        Ab = [[base + v for v in r] for r in A]
        Bb = [[base - v for v in r] for r in B]
        truth = brute_force_extreme(A, [[-v for v in r] for r in B])
        es = enumerate_equilibria(NormalFormGame.from_bimatrix(Ab, Bb), exact=True)
        assert {e.exact for e in es} == truth


@pytest.mark.parametrize("scale", SCALES)
def test_batched_2x2_scaled_shifted_equal_the_exact_oracle(scale):
    rng = np.random.default_rng(int(np.log10(scale)) + 200)
    U = rng.integers(-1, 2, size=(300, 2, 2, 2))                             # every kind of tie
    shifts = rng.choice([0.0, 1e4, -1e6], size=(300, 1, 1, 1)) * scale
    res = solve_2x2(NormalFormGame(U * scale + shifts))
    for b in range(300):
        truth = brute_force_extreme(U[b, :, :, 0].tolist(), U[b, :, :, 1].tolist())
        got = sorted(tuple(tuple(round(float(v), 9) + 0.0 for v in s) for s in (res.row[k], res.column[k]))
                     for k in np.flatnonzero(res.game_index == b))
        assert got == as_float_keys(truth), (U[b].tolist(), scale)


# ---------------------------------------------------------------------- trees with chance branches of probability 0
def random_tree(rng, depth=0, max_depth=3):
    if depth == max_depth or (depth > 0 and rng.random() < 0.3):
        return ("T", tuple(int(x) for x in rng.integers(0, 3, 2)))
    k = 2 if rng.random() < 0.7 else 3
    kids = [random_tree(rng, depth + 1, max_depth) for _ in range(k)]
    if rng.random() < 0.35:
        w = [Fraction(int(v)) for v in rng.integers(0, 3, k)]
        if sum(w) == 0:
            w[0] = Fraction(1)
        w[int(rng.integers(0, k))] = Fraction(0)                            # a branch of probability 0
        if sum(w) == 0:
            w[0] = Fraction(1)
        return ("C", tuple(v / sum(w) for v in w), kids)
    return ("D", int(rng.integers(0, 2)), kids)


def brute_force_spe(t):
    """Every pure SPE of a nested-tuple tree, exactly: preorder list of the chosen action at each decision node.

    A pure profile of a finite perfect-information game is subgame perfect iff at every decision node
    (reached or not) the chosen action maximises the mover's continuation value (one-shot deviation).
    """
    nodes = []

    def collect(x):
        if x[0] == "D":
            nodes.append(x)
        for c in (x[2] if x[0] != "T" else ()):
            collect(c)

    def collect_pre(x, out):
        if x[0] == "T":
            return
        if x[0] == "D":
            out.append(x)
        for c in x[2]:
            collect_pre(c, out)

    dec = []
    collect_pre(t, dec)
    ids = {id(x): k for k, x in enumerate(dec)}
    sols = []
    for choice in itertools.product(*[range(len(x[2])) for x in dec]):
        def val(x):
            if x[0] == "T":
                return tuple(Fraction(v) for v in x[1])
            if x[0] == "C":
                vs = [val(c) for c in x[2]]
                return tuple(sum(p * v[i] for p, v in zip(x[1], vs)) for i in range(2))
            return val(x[2][choice[ids[id(x)]]])

        ok = True
        for x in dec:
            i = x[1]
            vals = [val(c)[i] for c in x[2]]
            if vals[choice[ids[id(x)]]] != max(vals):
                ok = False
                break
        if ok:
            sols.append(choice)
    return sols


def _to_float_nodes(t, scale, shift):
    def conv(x):
        if x[0] == "T":
            return ("T", tuple(v * scale + shift for v in x[1]))
        if x[0] == "C":
            return ("C", tuple(float(p) for p in x[1]), [conv(c) for c in x[2]])
        return ("D", x[1], [conv(c) for c in x[2]])
    return conv(t)


def _choices(tree, prof):
    """Chosen action index at each decision node, in the preorder of to_nodes' ids."""
    flat = prof.flat[0]
    out, pos = {}, 0
    for h in tree.infosets:
        k = len(h.actions)
        out[h.label] = int(np.argmax(flat[pos:pos + k]))
        pos += k
    return out


@pytest.mark.parametrize("scale, shift", [(1.0, 0.0), (1e-12, 0.0), (1e-9, 5e-3), (1e12, -1e15), (1e3, 1e8)])
def test_trees_with_zero_probability_chance_branches_equal_the_exact_oracle(scale, shift):
    rng = np.random.default_rng(int(abs(np.log10(scale))) + 7)
    for _ in range(40):
        t = random_tree(rng)
        while t[0] == "T":
            t = random_tree(rng)
        nodes = to_nodes(_to_float_nodes(t, scale, shift))
        tree = GameTree.from_nodes(["P1", "P2"], nodes)
        res = subgame_perfect(tree, all_equilibria=True)
        dec_ids = [n["id"] for n in nodes if "player" in n]
        # to_nodes numbers nodes in preorder: sort the decision ids by that number
        order = sorted(dec_ids, key=lambda s: int(s[1:]))
        got = sorted(tuple(_choices(tree, p.profile)[h] for h in order) for p in res.equilibria)
        truth = sorted(brute_force_spe(t))
        assert got == truth, (t, scale, shift)
        assert bool(res.unique[0]) == (len(truth) == 1)


# ---------------------------------------------------------------------- n-player games at the edges
def _regret_3p(U, sig):
    """Largest deviation gain in a 3-player game U (m1, m2, m3, 3) at the profile sig (plain loops)."""
    best = 0.0
    m = U.shape[:3]
    for i in range(3):
        vals = []
        for k in range(m[i]):
            v = 0.0
            for a in itertools.product(*(range(mj) for mj in m)):
                if a[i] != k:
                    continue
                w = 1.0
                for j in range(3):
                    if j != i:
                        w *= sig[j][a[j]]
                v += w * U[a + (i,)]
            vals.append(v)
        mean = sum(p * v for p, v in zip(sig[i], vals))
        best = max(best, max(vals) - mean)
    return best


@pytest.mark.parametrize("scale, shift", [(1e-12, 0.0), (1e-9, 3e-3), (1.0, 1e8), (1e12, -5e15)])
def test_scaled_three_player_games_against_gambit_enumpoly(scale, shift):
    gbt = pytest.importorskip("pygambit")
    from deterrence.solve import enumerate_nplayer

    rng = np.random.default_rng(int(abs(np.log10(scale))) + 300)
    for _ in range(4):
        U = rng.integers(-1000, 1001, size=(2, 2, 2, 3))                      # generic: finitely many equilibria
        res = enumerate_nplayer(NormalFormGame(U * scale + shift))
        assert res.complete and len(res) > 0
        ours = {tuple(tuple(np.round(s, 5) + 0.0) for s in e.strategies) for e in res}
        for e in res:                                                         # certified on the integer game
            assert _regret_3p(U, e.strategies) <= 1e-7 * 2000
        g = gbt.Game.from_arrays(*[U[..., i].astype(object) for i in range(3)])
        ref = gbt.nash.enumpoly_solve(g, use_strategic=True)
        theirs = {tuple(tuple(np.round([float(prof[s]) for s in p.strategies], 5) + 0.0) for p in g.players)
                  for prof in ref.equilibria}
        assert theirs <= ours          # enumpoly can miss equilibria (see benchmarks), never find one we lack
