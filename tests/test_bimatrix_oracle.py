"""Oracle test: the extreme equilibria of 200 random bimatrix games, 2x2 to 8x8,
equal pygambit's ``enummixed_solve(rational=True)`` exactly (as Fractions).

Half of the games are degenerate by construction (payoffs in {0,1,2} or
{-1,0,1}, so ties abound), which is where nashpy (issues #82, #66) and
QuantEcon's support enumeration (PR #326) are known to miss equilibria.
The other half have payoffs in -50..50 (generic).  Sizes are weighted toward
small games because pygambit's rational solver takes seconds on 8x8.
"""

from fractions import Fraction

import numpy as np
import pytest

from deterrence import NormalFormGame
from deterrence.solve import enumerate_equilibria

gbt = pytest.importorskip("pygambit")

# (m, n) shapes, 100 of them; each shape is used once degenerate and once generic -> 200 games
SHAPES = ([(2, 2)] * 21 + [(2, 3), (3, 2)] * 5 + [(3, 3)] * 12 + [(2, 5), (5, 2), (3, 4), (4, 3)] * 3
          + [(4, 4)] * 12 + [(4, 5), (5, 4)] * 4 + [(5, 5)] * 8 + [(3, 8), (8, 3)] * 2 + [(6, 4), (4, 6)] * 2
          + [(6, 6)] * 4 + [(7, 5)] * 2 + [(7, 7), (8, 6), (8, 8)])
assert len(SHAPES) == 100
# pygambit's rational solver needs ~7 s for a degenerate 8x8 game: the degenerate set uses 8x4 there
DEGENERATE_SHAPES = [(8, 4) if s == (8, 8) else s for s in SHAPES]


def gambit_set(A, B):
    g = gbt.Game.from_arrays(np.array(A, dtype=object), np.array(B, dtype=object))
    p1, p2 = list(g.players)
    res = gbt.nash.enummixed_solve(g, rational=True)
    return {(tuple(Fraction(eq[s]) for s in p1.strategies), tuple(Fraction(eq[s]) for s in p2.strategies))
            for eq in res.equilibria}


def random_game(k, degenerate):
    rng = np.random.default_rng(1000 + k + 7919 * degenerate)
    m, n = DEGENERATE_SHAPES[k] if degenerate else SHAPES[k]
    if degenerate:
        vals = [0, 1, 2] if k % 2 else [-1, 0, 1]
        return rng.choice(vals, (m, n)).tolist(), rng.choice(vals, (m, n)).tolist()
    return rng.integers(-50, 51, (m, n)).tolist(), rng.integers(-50, 51, (m, n)).tolist()


@pytest.mark.parametrize("degenerate", [True, False], ids=["degenerate", "generic"])
@pytest.mark.parametrize("chunk", range(10))
def test_extreme_equilibria_equal_gambit(chunk, degenerate):
    for k in range(chunk, 100, 10):
        A, B = random_game(k, degenerate)
        g = NormalFormGame.from_bimatrix(A, B)
        ours = enumerate_equilibria(g, exact=True)
        expected = gambit_set(A, B)
        assert {e.exact for e in ours} == expected, f"game {k} A={A} B={B}"
        # floating point mode finds the same set
        fl = enumerate_equilibria(g)
        assert len(fl) == len(expected)
        assert {tuple(tuple(np.round(s, 9) + 0.0) for s in e.strategies) for e in fl} == \
            {tuple(tuple(round(float(v), 9) + 0.0 for v in s) for s in eq) for eq in expected}


def test_oracle_games_are_degenerate_where_claimed():
    # guard against a vacuous oracle: many of the "degenerate" games must actually have a continuum
    # or a vertex with extra labels; count games with more pure NE than a nondegenerate game's bound
    # check: a nondegenerate game has an odd number of equilibria (Shapley 1974)
    even = 0
    for k in range(100):
        A, B = random_game(k, True)
        n_eq = len(gambit_set(A, B)) if SHAPES[k][0] * SHAPES[k][1] <= 16 else None
        if n_eq is not None and n_eq % 2 == 0:
            even += 1
    assert even >= 10
