"""All extreme equilibria of a batch of 2x2 bimatrix games, degenerate games included, vectorized.

Method: vertex enumeration of the two best-response polytopes (von Stengel
2007, sec. 3.5; Avis, Rosenberg, Savani & von Stengel 2010), done in closed
form for every game of the batch at once.  For positive payoffs the
polytope :math:`P = \\{x \\ge 0 : B^T x \\le 1\\}` of the row player has 4
constraints in the plane, so at most :math:`\\binom{4}{2} = 6` candidate
bases; the nonzero vertices all lie on the face where the column player's
best payoff equals 1, and in normalised coordinates :math:`x = (p, 1 - p)`
they are

* ``p = 1`` and ``p = 0`` (the pure strategies, where ``x_1 = 0`` resp.
  ``x_0 = 0`` is tight together with the column player's best responses), and
* the column player's indifference point

  .. math::

     p^* = \\frac{B_{10} - B_{11}}{B_{10} - B_{11} - B_{00} + B_{01}},

  a vertex exactly when the column player's payoff difference changes sign
  strictly between the two pure strategies (if she is indifferent
  everywhere, the two best-response constraints coincide and there is no
  interior vertex; if she is indifferent at a pure strategy, ``p^*`` is that
  pure vertex, which then carries both best-response labels).

Symmetrically for the column player's polytope :math:`Q` with
:math:`q^* = (A_{11} - A_{01}) / (A_{00} - A_{10} - A_{01} + A_{11})`.
Every vertex is labelled with *all* its tight constraints, as a 4-bit mask
(bit ``i``: row action *i* unplayed or a best response; bit ``2 + j``:
column action *j* unplayed or a best response), so degenerate vertices keep
every label; the extreme equilibria are the completely labelled pairs
(mask union ``0b1111``; von Stengel 2007, Thm 3.4), found by one array
comparison over the 3 x 3 candidate pairs of every game.  This is the same
set of extreme equilibria that vertex enumeration (pygambit's
``enummixed_solve``, :func:`deterrence.solve.bimatrix.enumerate_equilibria`)
reports.  Two extreme equilibria sharing a vertex span a segment of
equilibria (a maximal Nash subset), so a game has a continuum exactly when
some vertex appears in more than one of its extreme equilibria.

For a nondegenerate game this reduces to the textbook closed form (e.g.
Fudenberg & Tirole 1991, sec. 1.2): the strict pure equilibria and at most
one completely mixed one.

Ties are payoff differences within the floating-point rounding allowance of
the player's payoff magnitude (:mod:`deterrence.solve.tolerance`): with two
actions a difference is itself the payoff difference at stake, so the
answer is the same for ``a * u + b`` as for ``u`` (per game of a batch).
Every equilibrium is certified by its regret, computed for all equilibria of
the batch in one vectorized pass.

References
----------
B. von Stengel (2007), "Equilibrium computation for two-player games in
strategic and extensive form", ch. 3 of *Algorithmic Game Theory*, Cambridge UP.

D. Avis, G. Rosenberg, R. Savani, B. von Stengel (2010), "Enumeration of Nash
equilibria for two-player games", *Economic Theory* 42: 9-37.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..errors import CertificateError, GameStructureError
from .results import DEFAULT_TOL, EquilibriumSet, MixedEquilibrium, ResultMixin, profile_label
from .tolerance import rounding_allowance, stable_payoffs

__all__ = ["BatchEquilibria", "solve_2x2"]

_METHOD = "2x2 vertex enumeration (closed form, vectorized)"


@dataclass(frozen=True)
class BatchEquilibria(ResultMixin):
    """Extreme equilibria of a batch of games, as flat arrays (a :class:`~deterrence.solve.results.Result`).

    Attributes
    ----------
    game_index : ndarray of int, shape (K,)
        The game of each equilibrium (sorted).
    row, column : ndarray, shape (K, 2)
        The mixed strategies.
    payoffs : ndarray, shape (K, 2)
        Expected payoffs of the row and the column player.
    regret : ndarray, shape (K,)
        Certificate of each equilibrium.
    degenerate : ndarray of bool, shape (B,)
        Games with a payoff tie (a player indifferent against a pure
        strategy of the other); only these can have continua.
    sets : dict of int to EquilibriumSet
        Precomputed :class:`EquilibriumSet` objects by game (empty by
        default: :meth:`equilibrium_set` builds them on demand).
    players, actions : tuple
        Labels.
    row_vertex, column_vertex : ndarray of int8, shape (K,)
        Which vertex of each player's best-response polytope the equilibrium
        uses: 0 = first action, 1 = second action, 2 = the interior
        (indifference) point.
    continuum : ndarray of bool, shape (B,)
        Games whose equilibria include a continuum (a component with more
        than one extreme equilibrium).
    equilibria : tuple of MixedEquilibrium
        All K equilibria as objects (built on first use).
    complete, method, notes, batch_size, outcome_probabilities
        The :class:`~deterrence.solve.results.Result` protocol: the set is
        complete for every game.
    """

    game_index: np.ndarray
    row: np.ndarray
    column: np.ndarray
    payoffs: np.ndarray
    regret: np.ndarray
    degenerate: np.ndarray
    sets: dict = field(default_factory=dict, repr=False)
    players: tuple = ("Player 1", "Player 2")
    actions: tuple = (("a1", "a2"), ("a1", "a2"))
    row_vertex: np.ndarray | None = field(default=None, repr=False)
    column_vertex: np.ndarray | None = field(default=None, repr=False)
    continuum: np.ndarray | None = field(default=None, repr=False)

    @property
    def n_games(self) -> int:
        return len(self.degenerate)

    @property
    def batch_size(self) -> int:
        return len(self.degenerate)

    @property
    def complete(self) -> bool:
        return True

    @property
    def method(self) -> str:
        return _METHOD

    @property
    def notes(self) -> tuple:
        k = int(np.count_nonzero(self.continuum)) if self.continuum is not None else 0
        return (f"{k} game(s) with a continuum of equilibria: listed by its extreme points",) if k else ()

    @property
    def equilibria(self) -> tuple:
        cached = self.__dict__.get("_equilibria")
        if cached is None:
            cached = tuple(e for b in range(self.n_games) for e in self.for_game(b))
            self.__dict__["_equilibria"] = cached
        return cached

    @property
    def outcome_probabilities(self) -> dict:
        """``{profile label: (K,) probability}``: the product of the two mixed strategies."""
        out = {}
        for i, a in enumerate(self.actions[0]):
            for j, c in enumerate(self.actions[1]):
                out[profile_label((a, c))] = self.row[:, i] * self.column[:, j]
        return out

    @property
    def counts(self) -> np.ndarray:
        """Number of extreme equilibria of each game, shape (B,)."""
        return np.bincount(self.game_index, minlength=self.n_games)

    def __len__(self) -> int:
        return len(self.game_index)

    def _slice(self, b: int) -> slice:
        if not 0 <= b < self.n_games:
            raise IndexError(f"game {b} out of a batch of {self.n_games}")
        lo, hi = np.searchsorted(self.game_index, [b, b + 1])
        return slice(int(lo), int(hi))

    def for_game(self, b: int) -> tuple:
        """The extreme equilibria of game *b* as :class:`MixedEquilibrium` objects."""
        if b in self.sets:
            return tuple(self.sets[b].extreme)
        s = self._slice(b)
        return tuple(MixedEquilibrium(strategies=(self.row[k].copy(), self.column[k].copy()),
                                 payoffs=self.payoffs[k].copy(), regret=float(self.regret[k]),
                                 players=self.players, actions=self.actions)
                for k in range(s.start, s.stop))

    def equilibrium_set(self, b: int) -> EquilibriumSet:
        """Game *b*'s result as an :class:`EquilibriumSet` (with components)."""
        from .nash_subsets import equilibrium_components

        if b in self.sets:
            return self.sets[b]
        s = self._slice(b)
        eqs = tuple(self.for_game(b))
        if self.row_vertex is not None:
            rv = self.row_vertex[s].tolist()
            cv = self.column_vertex[s].tolist()
        else:                                   # no vertex ids given: every equilibrium isolated
            rv = cv = list(range(len(eqs)))
        r_id = {v: k for k, v in enumerate(dict.fromkeys(rv))}
        c_id = {v: k for k, v in enumerate(dict.fromkeys(cv))}
        edges = [(r_id[r], c_id[c]) for r, c in zip(rv, cv)]
        row_vertices = [None] * len(r_id)
        col_vertices = [None] * len(c_id)
        for e, (r, c) in zip(eqs, edges):
            if row_vertices[r] is None:
                row_vertices[r] = e.strategies[0]
            if col_vertices[c] is None:
                col_vertices[c] = e.strategies[1]
        return EquilibriumSet(extreme=eqs, components=equilibrium_components(edges), complete=True,
                              method=_METHOD, row_vertices=tuple(row_vertices),
                              column_vertices=tuple(col_vertices))


def _pattern_tables():
    """Vertex enumeration once per sign pattern of the four payoff differences.

    The labels of every vertex, hence the set of completely labelled pairs,
    depend only on the signs (+, -, tie) of ``dA0, dA1, dB0, dB1``: 81
    patterns.  Returns, per pattern code ``27 sA0 + 9 sA1 + 3 sB0 + sB1``
    (sign codes 0 = tie, 1 = positive, 2 = negative): the number of extreme
    equilibria, their vertex pairs ``3 s + t`` (ordered), the continuum flag
    and the degeneracy flag.
    """
    count = np.zeros(81, np.int64)
    pairs = np.zeros((81, 9), np.int64)
    continuum = np.zeros(81, bool)
    degenerate = np.zeros(81, bool)
    for code in range(81):
        sA0, sA1, sB0, sB1 = code // 27, code // 9 % 3, code // 3 % 3, code % 3

        def best(s):         # (first action is a best response, second action is a best response)
            return int(s != 2), int(s != 1)

        interior_x = {sB0, sB1} == {1, 2}       # column's gain changes sign strictly: vertex p*
        interior_y = {sA0, sA1} == {1, 2}
        # bit 0/1: row action 0/1 unplayed or a best response; bit 2/3: the same for the columns
        Lx = [0b0010 | best(sB0)[0] << 2 | best(sB0)[1] << 3,     # p = 1: x_1 = 0, column best responses
              0b0001 | best(sB1)[0] << 2 | best(sB1)[1] << 3,     # p = 0
              0b1100 if interior_x else -1]                     # p*: both columns best
        Ly = [0b1000 | best(sA0)[0] | best(sA0)[1] << 1,
              0b0100 | best(sA1)[0] | best(sA1)[1] << 1,
              0b0011 if interior_y else -1]
        found = [3 * s + t for s in range(3) for t in range(3)
                 if Lx[s] >= 0 and Ly[t] >= 0 and Lx[s] | Ly[t] == 0b1111]
        count[code] = len(found)
        pairs[code, :len(found)] = found
        xs = [k // 3 for k in found]
        ys = [k % 3 for k in found]
        continuum[code] = len(set(xs)) < len(xs) or len(set(ys)) < len(ys)
        degenerate[code] = 0 in (sA0, sA1, sB0, sB1)
    width = int(count.max())
    return count, np.ascontiguousarray(pairs[:, :width]), continuum, degenerate


_COUNT, _PAIRS, _CONTINUUM, _DEGENERATE = _pattern_tables()


def _sign_code(d, eps, neps):
    """0 for a tie, 1 for positive, 2 for negative (uint8)."""
    return (d > eps).view(np.uint8) + ((d < neps).view(np.uint8) << 1)


def solve_2x2(game, *, tol: float = DEFAULT_TOL) -> BatchEquilibria:
    """All extreme equilibria of a (batch of) 2x2 game(s), degenerate or not, vectorized over the batch.

    The vertex labels depend only on the sign pattern of the four payoff
    differences (81 patterns), so the combinatorial part of the vertex
    enumeration is done once per pattern (:func:`_pattern_tables`) and looked
    up per game; the interior vertices ``p*``, ``q*``, the payoffs and the
    regret certificate are then computed for all equilibria of the batch in
    one vectorized pass.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game with two actions each, batched or not.
    tol : float
        Regret tolerance of the certificate, relative to the payoff
        differences at stake (:mod:`deterrence.solve.tolerance`); ties are
        differences within the rounding allowance of a player's payoffs.

    Returns
    -------
    BatchEquilibria
        Every extreme equilibrium of every game (complete), each certified
        (each player's gain within ``tol`` times her expected payoff
        difference plus the rounding allowance), with the
        per-game flags ``degenerate`` and ``continuum``.

    Raises
    ------
    GameStructureError
        If the game is not a two-player game with two actions each.
    CertificateError
        If a certificate fails (a bug, not bad input).
    """
    if game.n_players != 2 or game.num_actions != (2, 2):
        raise GameStructureError(f"solve_2x2 needs a two-player game with 2 actions each; got "
                                 f"{game.n_players} players with actions {game.num_actions}")
    P, shift = stable_payoffs(game)        # exact payoffs beyond float precision: shifted exactly first
    nb = P.shape[0]
    P2 = P.reshape(nb, 8)        # columns a00 b00 a01 b01 a10 b10 a11 b11 (C order of (i, j, player))
    a00, b00, a01, b01, a10, b10, a11, b11 = (P2[:, k] for k in range(8))
    dA0 = a00 - a10          # row's gain from row 0 over row 1 against column 0
    dA1 = a01 - a11          # ... against column 1
    dB0 = b00 - b01          # column's gain from column 0 over column 1 against row 0
    dB1 = b10 - b11          # ... against row 1
    diffs = (dA0, dA1, dB0, dB1)
    # A difference is a tie when it is within the rounding allowance of its player's payoff magnitude
    # (deterrence.solve.tolerance): for a player with two actions the difference *is* the payoff
    # difference at stake, so no relative tolerance applies; scale- and shift-free, per game.
    # max |u| of each player, per game, from the columns already at hand (one reduction over a (nb, 4, 2)
    # copy of |P| cost as much as the rest of the solver)
    noise = [rounding_allowance(np.maximum(np.maximum(np.abs(u0), np.abs(u1)), np.maximum(np.abs(u2), np.abs(u3))),
                                tol) for u0, u1, u2, u3 in ((a00, a01, a10, a11), (b00, b01, b10, b11))]
    code = np.zeros(nb, np.uint8)
    for d, w, pl in zip(diffs, (27, 9, 3, 1), (0, 0, 1, 1)):
        eps = noise[pl]
        code += _sign_code(d, eps, -eps) * np.uint8(w)
    count = _COUNT[code]
    degen = _DEGENERATE[code]
    continuum = _CONTINUUM[code]
    K = int(count.sum())
    game_index = np.repeat(np.arange(nb), count)
    starts = np.cumsum(count) - count
    r = np.arange(K) - starts[game_index]
    pair = _PAIRS[code[game_index], r]
    s, t = pair // 3, pair % 3
    g = game_index
    # strategies: vertex 0 = first action, 1 = second action, 2 = interior point p* (q*)
    p = 1.0 - s
    q = 1.0 - t
    ms = np.flatnonzero(s == 2)
    mt = np.flatnonzero(t == 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        if ms.size:
            gs = g[ms]
            p[ms] = dB1[gs] / (dB1[gs] - dB0[gs])       # column player indifferent
        if mt.size:
            gt = g[mt]
            q[mt] = dA1[gt] / (dA1[gt] - dA0[gt])       # row player indifferent
    p1 = 1.0 - p
    q1 = 1.0 - q
    # certificate for all equilibria at once: with d = (row 0 - row 1 payoff against y) the row
    # player's regret is max(d, 0) - p d = max((1 - p) d, -p d); the same for the column player
    d = q * dA0[g] + q1 * dA1[g]
    e = p * dB0[g] + p1 * dB1[g]
    gain_r = np.maximum(p1 * d, -p * d)
    gain_c = np.maximum(q1 * e, -q * e)
    regret = np.maximum(gain_r, gain_c)
    # certificate (deterrence.solve.tolerance): each player's gain within tol times her expected
    # payoff difference at stake plus the rounding allowance of her payoffs' magnitude
    bound_r = tol * (q * np.abs(dA0[g]) + q1 * np.abs(dA1[g])) + noise[0][g]
    bound_c = tol * (p * np.abs(dB0[g]) + p1 * np.abs(dB1[g])) + noise[1][g]
    bad = np.flatnonzero(~((gain_r <= bound_r) & (gain_c <= bound_c)))
    if bad.size:
        k = int(bad[0])
        raise CertificateError(f"internal check failed: equilibrium of game {int(g[k])} has regret "
                               f"{regret[k]:.3e} > tolerance {min(bound_r[k], bound_c[k]):.1e}")
    # expected payoffs: the payoff entry at a pure profile, the bilinear form otherwise
    entry = g * 8 + 4 * np.minimum(s, 1) + 2 * np.minimum(t, 1)      # (mixed ones are overwritten)
    pay = P2.reshape(-1)[entry[:, None] + np.arange(2)]
    mixed = np.flatnonzero((s == 2) | (t == 2))
    if mixed.size:
        gm, pm, qm = g[mixed], p[mixed], q[mixed]
        pm1, qm1 = 1.0 - pm, 1.0 - qm
        pay[mixed, 0] = pm * (qm * a00[gm] + qm1 * a01[gm]) + pm1 * (qm * a10[gm] + qm1 * a11[gm])
        pay[mixed, 1] = qm * (pm * b00[gm] + pm1 * b10[gm]) + qm1 * (pm * b01[gm] + pm1 * b11[gm])
    if np.any(shift):
        pay = pay + shift[g]
    row = np.empty((K, 2))
    row[:, 0] = p
    row[:, 1] = p1
    col = np.empty((K, 2))
    col[:, 0] = q
    col[:, 1] = q1
    return BatchEquilibria(game_index=game_index, row=row, column=col, payoffs=pay, regret=regret,
                           degenerate=degen, players=game.players, actions=game.actions,
                           row_vertex=s.astype(np.int8), column_vertex=t.astype(np.int8),
                           continuum=continuum)
