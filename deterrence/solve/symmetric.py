r"""Every symmetric Nash equilibrium of a symmetric two-action n-player game, batched.

Solution concept
----------------
A game is *symmetric* when relabelling the players leaves it unchanged:
every player has the same actions (identified here by position) and
:math:`u_{\pi(i)}(a \circ \pi^{-1}) = u_i(a)` for every permutation
:math:`\pi`.  With two actions this means a player's payoff depends only on
her own action :math:`s \in \{0, 1\}` and on how many of the other
:math:`n - 1` players play the second action,

.. math:: u_i(a) = f(a_i, \#\{j \ne i : a_j = 1\}),

the *reduced table* :math:`f(s, k)`, :math:`k = 0, \dots, n-1`
(:func:`symmetric_table` checks this profile by profile and refuses a game
that is not symmetric, naming the player and the profile).  A *symmetric*
equilibrium is one in which every player plays the same (mixed) strategy:
each plays the second action with probability :math:`p`.  This module lists
**every symmetric equilibrium**; it does *not* list the asymmetric ones (the
pure equilibria with exactly one volunteer of a volunteer's dilemma, say),
so it is complete over symmetric profiles only, and says so.

The reduction (Diekmann 1985 for the volunteer's dilemma; in general e.g.
Weibull, *Evolutionary Game Theory*, 1995, for symmetric games against a
population).  Against others who each play the second action with
probability :math:`p`, the number of them who do is binomial, and a player's
gain from the second action over the first is the polynomial of degree
:math:`n - 1`

.. math:: D(p) = \sum_{k=0}^{n-1} \binom{n-1}{k} p^k (1-p)^{n-1-k}
          \,\bigl(f(1, k) - f(0, k)\bigr),

written in the Bernstein basis with coefficients
:math:`d_k = f(1, k) - f(0, k)`.  The symmetric equilibria are

* :math:`p = 0` when :math:`d_0 \le 0` and :math:`p = 1` when
  :math:`d_{n-1} \ge 0` (the pure symmetric profiles, with the engine's
  tolerance for ties, as :func:`~deterrence.solve.pure.pure_nash_mask`);
* every root of :math:`D` in the open interval :math:`(0, 1)` (a player who
  is indifferent may mix);
* every :math:`p \in [0, 1]` when :math:`D \equiv 0` (all :math:`d_k = 0`):
  a continuum, reported by its two ends with ``continuum`` True.

Finding all roots, rigorously.  By Descartes' rule of signs in the Bernstein
basis, the number of roots of :math:`D` in :math:`(0, 1)` (with
multiplicity) is at most the number :math:`V` of sign changes of
:math:`d_0, \dots, d_{n-1}` (zeros skipped) and has its parity.  The signs
are exact: the floating-point difference of two floats has the sign of
their exact difference.  So :math:`V = 0` proves there is no interior root
and :math:`V = 1` that there is exactly one, simple; it is found, for the
whole batch at once, by bisection on the bracket whose ends have the signs
of the first and last nonzero coefficient.  Where :math:`V \ge 2` the
polynomial is built in exact rational arithmetic from the float payoffs
(read exactly, as the binary rationals they are); with :math:`p = t/(1+t)`
its roots in :math:`(0, 1)` are the positive roots of
:math:`N(t) = \sum_k \binom{n-1}{k} d_k t^k`, which are isolated exactly
(sympy's ``Poly.intervals``, Descartes-rule bisection over the rationals)
and refined to float precision (about 3 ms a game).

More than two actions.  A symmetric game whose players have :math:`k \ge 3`
actions each is solved game by game, support by support
(:mod:`deterrence.solve.symmetric_multi`: exact univariate isolation on the
edges of the simplex, a Groebner basis and the eigenvalue method inside);
``complete`` is False, with a note, where a support's indifference system has
a continuum of solutions or a multiple root.

Certificate.  Every profile is certified by its regret, with the engine's
bound (:mod:`deterrence.solve.tolerance`: ``tol`` times the expected payoff
difference at stake, plus the rounding allowance at the payoffs' magnitude).
At a symmetric profile the others' count is binomial, so the engine's
formula is evaluated exactly on the reduced table:
the regret is :math:`\max(v_0, v_1) - ((1-p) v_0 + p v_1)` with
:math:`v_s = \sum_k B_k(p) f(s, k)`, and the spread at stake is
:math:`\sum_k B_k(p) |d_k|`.  For one unbatched game the full profile is
also certified by :func:`~deterrence.solve.results.certify` on the game
itself.

References
----------
A. Diekmann (1985), "Volunteer's dilemma", *Journal of Conflict Resolution*
29(4): 605-610.
J. Nash (1951), "Non-cooperative games", *Annals of Mathematics* 54: 286-295
(every finite symmetric game has a symmetric equilibrium).
G. E. Collins & A. G. Akritas (1976), "Polynomial real root isolation using
Descartes' rule of signs", *Proc. SYMSAC*.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import product
from math import comb

import numpy as np
from scipy.special import gammaln

from ..errors import CertificateError, GameStructureError, SolverError
from .results import DEFAULT_TOL, MixedEquilibrium, ResultMixin, certify
from .symmetric_multi import check_same_labels, exact_unit_roots
from .tolerance import ROUNDING, rounding_allowance

__all__ = ["SymmetricTable", "SymmetricEquilibria", "symmetric_table", "symmetric_equilibria",
           "solve_symmetric_table", "bernstein_weights", "MAX_FULL_PLAYERS", "MAX_PLAYERS"]

#: Largest number of players for which profile-level views (outcome probabilities over the 2**n action
#: profiles, full MixedEquilibrium objects' outcome listings) are built.
MAX_FULL_PLAYERS = 16

#: Largest number of players of a reduced table (binomial coefficients beyond it overflow a float).
MAX_PLAYERS = 1000

#: Bisection steps for a simple root (the bracket halves to 2**-64: below float resolution near any root
#: above 2**-11; a smaller root is certified by its regret all the same).
_BISECT = 64


@dataclass(frozen=True)
class SymmetricTable:
    """The reduced payoff table of a batch of symmetric two-action games.

    Attributes
    ----------
    u : ndarray, shape (B, 2, n)
        ``u[b, s, k]``: a player's payoff in game *b* when she plays action *s* and *k* of the other
        ``n - 1`` players play the second action (``k = 0 .. n - 1``).
    n_players : int
    players : tuple of str
    actions : tuple of str
        The two actions (the first player's labels).
    exact : ndarray of object, shape (B, 2, n), or None
        The same table in exact numbers (ints, Fractions) when the game carries exact payoffs.
    """

    u: np.ndarray
    n_players: int
    players: tuple
    actions: tuple
    exact: np.ndarray | None = None

    @property
    def batch_size(self) -> int:
        return int(self.u.shape[0])


def symmetric_table(game) -> SymmetricTable:
    """Check that *game* is a symmetric two-action game and return its reduced table.

    The check is profile by profile: at every pure profile ``a`` and for every player ``i``,
    ``u_i(a)`` must equal ``f(a_i, k)`` with ``k`` the number of others playing the second action,
    ``f`` read from the first player.  Payoffs that differ by no more than the rounding allowance at
    their magnitude (``ROUNDING * max |u|``, about 1e-12 relative) count as equal.

    Raises
    ------
    SolverError
        A player without exactly two actions, or a game that is not symmetric: the message names the
        game of the batch, the profile, the player and the two payoffs that should be equal.
    """
    if not (hasattr(game, "payoffs") and hasattr(game, "num_actions") and hasattr(game, "batched")):
        raise GameStructureError(f"symmetric equilibria need a NormalFormGame, got {type(game).__name__}")
    n = game.n_players
    if n < 2:
        raise SolverError("symmetric equilibria need at least two players")
    bad = [(p, m) for p, m in zip(game.players, game.num_actions) if m != 2]
    if bad:
        raise SolverError(f"the symmetric solver handles games in which every player has two actions; "
                          f"{bad[0][0]} has {bad[0][1]} (use concept 'nash' or 'pure')")
    check_same_labels(game)
    from .tolerance import lossy_exact
    if lossy_exact(game):
        raise SolverError("the game's exact payoffs are not held exactly by floating-point numbers (payoffs that "
                          "differ beyond float precision); the symmetric solver works on the float payoffs: use "
                          "concept 'nash' (exact arithmetic) or rescale the payoffs")
    P = np.asarray(game.payoffs, float)
    B = P.shape[0]
    flat = P.reshape(B, 2 ** n, n)
    bits = np.array(list(product((0, 1), repeat=n)), np.int64)          # (2^n, n), first player slowest
    ones = bits.sum(1)
    own = bits                                                           # (2^n, n): a_i
    others = ones[:, None] - bits                                       # (2^n, n): k for player i
    # f(s, k) from player 0: the profile (s, 1, ..., 1, 0, ..., 0) with k ones among the others
    u = np.empty((B, 2, n))
    for s in (0, 1):
        for k in range(n):
            prof = (s,) + (1,) * k + (0,) * (n - 1 - k)
            u[:, s, k] = P[(slice(None),) + prof + (0,)]
    mag = np.abs(flat).reshape(B, -1).max(1)
    slack = ROUNDING * np.maximum(mag, np.finfo(float).tiny)
    # f(a_i, k_i) for every profile and player, by one flat gather; then |u - f| in place
    diff = np.take(u.reshape(B, 2 * n), (own * n + others).reshape(-1), axis=1)
    np.subtract(flat.reshape(B, -1), diff, out=diff)
    np.abs(diff, out=diff)
    worst = diff.max(axis=1)
    if np.any(worst > slack):
        wrong = diff.reshape(B, 2 ** n, n) > slack[:, None, None]
        b, q, i = (int(x[0]) for x in np.nonzero(wrong))
        prof = tuple(game.actions[j][bits[q, j]] for j in range(n))
        s, k = int(own[q, i]), int(others[q, i])
        ref = (s,) + (1,) * k + (0,) * (n - 1 - k)
        ref_lab = tuple(game.actions[j][ref[j]] for j in range(n))
        where = f" (game {b} of the batch)" if B > 1 else ""
        raise SolverError(
            f"the game is not symmetric{where}: at profile ({', '.join(prof)}) {game.players[i]} gets "
            f"{flat[b, q, i]:.12g}, but {game.players[0]} gets {u[b, s, k]:.12g} at ({', '.join(ref_lab)}), where "
            f"she too plays {game.actions[0][s]!r} against {k} of the others playing {game.actions[0][1]!r}; "
            f"symmetric equilibria are defined for symmetric games only (use concept 'nash' or 'pure')")
    exact = None
    ex = getattr(game, "exact_payoffs", None)
    if ex is not None:
        # the same gather as u, on the exact (object) payoffs: the whole batch per (s, k)
        exact = np.empty((B, 2, n), object)
        for s in (0, 1):
            for k in range(n):
                prof = (s,) + (1,) * k + (0,) * (n - 1 - k)
                exact[:, s, k] = ex[(slice(None),) + prof + (0,)]
    return SymmetricTable(u=u, n_players=n, players=tuple(game.players), actions=tuple(game.actions[0]),
                          exact=exact)


def bernstein_weights(p, n_others: int) -> np.ndarray:
    """``B_k(p) = C(m, k) p^k (1-p)^(m-k)`` for ``k = 0..m`` (``m = n_others``), shape ``p.shape + (m + 1,)``.

    The binomial probabilities that ``k`` of ``m`` others play the second action; computed in log space
    so that large ``m`` neither overflows nor underflows, exact at ``p = 0`` and ``p = 1``.
    """
    p = np.asarray(p, float)[..., None]
    m = int(n_others)
    k = np.arange(m + 1)
    logc = gammaln(m + 1) - gammaln(k + 1) - gammaln(m - k + 1)
    with np.errstate(divide="ignore", invalid="ignore"):
        lw = logc + np.where(k > 0, k * np.log(p), 0.0) + np.where(k < m, (m - k) * np.log1p(-p), 0.0)
    return np.exp(lw)


def _sign_changes(d: np.ndarray) -> np.ndarray:
    """Sign changes of each row of *d* (zeros skipped), and the signs of its first and last nonzero entries."""
    s = np.sign(d).astype(np.int8)
    B, m = s.shape
    idx = np.where(s != 0, np.arange(m), -1)
    last = np.maximum.accumulate(idx, axis=1)                       # last nonzero index at or before j
    prev = np.concatenate([np.full((B, 1), -1), last[:, :-1]], axis=1)
    prev_sign = np.where(prev >= 0, np.take_along_axis(s, np.maximum(prev, 0), axis=1), 0)
    changes = ((s != 0) & (prev_sign != 0) & (s != prev_sign)).sum(1)
    nz = s != 0
    first = np.where(nz.any(1), s[np.arange(B), np.argmax(nz, axis=1)], 0)
    lastv = np.where(nz.any(1), s[np.arange(B), m - 1 - np.argmax(nz[:, ::-1], axis=1)], 0)
    return changes, first, lastv


def _horner_coefficients(d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(low, high)``, each ``(n, R)``: the coefficients of ``N(t) = sum_k C(m, k) d_k t^k`` from the top
    (``low``: for ``t <= 1``) and of ``t^-m N(t)`` in ``1/t`` from the top (``high``: for ``t > 1``), scaled
    by their largest magnitude in each row."""
    m1 = d.shape[1]
    m = m1 - 1
    # scaled before the binomial coefficients (up to about 1e299 at MAX_PLAYERS), so that large payoffs do not
    # overflow; then scaled again (the sign of each evaluation is all that is read)
    d = d / np.maximum(np.abs(d).max(axis=1, keepdims=True), np.finfo(float).tiny)
    c = d * np.array([float(comb(m, k)) for k in range(m1)])
    c = c / np.maximum(np.abs(c).max(axis=1, keepdims=True), np.finfo(float).tiny)
    return np.ascontiguousarray(c[:, ::-1].T), np.ascontiguousarray(c.T)


def _sign_at(coef, p: np.ndarray) -> np.ndarray:
    """The sign of ``D(p) = sum_k C(m, k) p^k (1-p)^(m-k) d_k`` for each row, by Horner's rule without overflow.

    ``D(p) = (1-p)^m N(t)`` with ``t = p / (1-p)`` and ``N(t) = sum_k C(m, k) d_k t^k``; where ``t > 1`` the
    reversed polynomial in ``1/t`` has the same sign (``D(p) = p^m t^-m N(t)``).  Both are evaluated at a point
    of ``[0, 1]`` (*coef* from :func:`_horner_coefficients`)."""
    low_c, high_c = coef
    low = p <= 0.5
    with np.errstate(divide="ignore", invalid="ignore"):
        x = np.where(low, p / (1.0 - p), (1.0 - p) / p)
    sel = np.where(low[None, :], low_c, high_c)
    v = sel[0].copy()
    for row in sel[1:]:
        v *= x
        v += row
    return np.sign(v)


def _bisect(d: np.ndarray, sign_lo: np.ndarray) -> np.ndarray:
    """The one root in (0, 1) of each row's Bernstein polynomial (rows with exactly one sign change)."""
    R = d.shape[0]
    coef = _horner_coefficients(d)
    lo, hi = np.zeros(R), np.ones(R)
    for _ in range(_BISECT):
        mid = 0.5 * (lo + hi)
        v = _sign_at(coef, mid)
        same = v == sign_lo
        lo = np.where(same, mid, lo)
        hi = np.where(same, hi, mid)
        hit = v == 0
        lo = np.where(hit, mid, lo)
        hi = np.where(hit, mid, hi)
    return 0.5 * (lo + hi)


def _exact_d(table: SymmetricTable, b: int) -> list:
    src = table.exact[b] if table.exact is not None else table.u[b]
    return [Fraction(src[1, k]) - Fraction(src[0, k]) for k in range(table.n_players)]


@dataclass(frozen=True, eq=False)
class SymmetricEquilibria(ResultMixin):
    """Every symmetric Nash equilibrium of each game of a batch (a :class:`~deterrence.solve.results.Result`).

    Complete over *symmetric* profiles (``complete`` True): every profile in which all players play the
    same strategy and no one gains by deviating is listed.  Asymmetric equilibria are not sought.

    Attributes
    ----------
    game_index : ndarray of int, shape (K,)
        The game of each equilibrium (sorted; within a game by ``p``).
    p : ndarray, shape (K,)
        Each player's probability of the second action (two-action games; NaN with more actions, where
        :meth:`strategies` gives the whole mixed strategy).
    regret : ndarray, shape (K,)
        The certificate: the largest deviation gain at the profile.
    bound : ndarray, shape (K,)
        The tolerated regret (the engine's bound) it was certified against.
    payoffs : ndarray, shape (K, n)
        Every player's expected payoff (all equal).
    continuum : ndarray of bool, shape (B,)
        Games in which every symmetric profile is an equilibrium (``D`` vanishes identically); the two
        pure ends are listed.
    sign_changes : ndarray of int, shape (B,)
        Sign changes of the Bernstein coefficients of ``D`` (an upper bound on the interior roots).
    game_complete : ndarray of bool, shape (B,), or None
        Per game, whether the listing is complete (three or more actions: False where a support's
        indifference system has a segment or a continuum of solutions, or a multiple root); None: every game
        as ``complete``.  :attr:`complete_games` reads it.
    players, actions, n_players, batch_size, method, notes, complete :
        As in the :class:`~deterrence.solve.results.Result` protocol.
    """

    game_index: np.ndarray
    p: np.ndarray
    regret: np.ndarray
    bound: np.ndarray
    payoffs: np.ndarray
    continuum: np.ndarray
    sign_changes: np.ndarray
    players: tuple
    actions: tuple
    n_players: int
    batch_size: int
    method: str = "symmetric: Bernstein sign rule, batched bisection, exact root isolation where V >= 2"
    notes: tuple = ("complete over symmetric profiles; asymmetric equilibria are not listed",)
    complete: bool = True
    strategy_matrix: np.ndarray | None = None
    game_complete: np.ndarray | None = None
    _cache: dict = field(default_factory=dict, repr=False)

    @property
    def complete_games(self) -> np.ndarray:
        """Per game of the batch, shape ``(B,)``: whether its symmetric equilibria are all listed (``complete``
        is their conjunction)."""
        if self.game_complete is not None:
            return np.asarray(self.game_complete, bool)
        return np.full(self.batch_size, bool(self.complete))

    @property
    def n_actions(self) -> int:
        return len(self.actions)

    @property
    def pure(self) -> np.ndarray:
        """Pure symmetric profiles (everyone plays the same action)."""
        return np.isclose(self.strategies().max(axis=1), 1.0, rtol=0, atol=0)

    @property
    def counts(self) -> np.ndarray:
        """Number of symmetric equilibria of each game, shape (B,)."""
        return np.bincount(self.game_index, minlength=self.batch_size)

    def strategies(self) -> np.ndarray:
        """``(K, k)``: each player's mixed strategy (``(1 - p, p)`` with two actions)."""
        if self.strategy_matrix is not None:
            return self.strategy_matrix
        return np.stack([1.0 - self.p, self.p], axis=1)

    def _two(self, what):
        if self.n_actions != 2:
            raise SolverError(f"{what} is defined for two-action games; this one has {self.n_actions} actions "
                              f"(use strategies() or profile_probabilities())")

    def count_distribution(self) -> np.ndarray:
        """``(K, n + 1)``: the probability that exactly ``j`` players play the second action (two actions)."""
        self._two("count_distribution")
        return bernstein_weights(self.p, self.n_players)

    def none_probability(self) -> np.ndarray:
        """``(K,)``: the probability that no player plays the second action, ``(1 - p)^n`` (two actions)."""
        self._two("none_probability")
        return (1.0 - self.p) ** self.n_players

    def profile_probabilities(self) -> np.ndarray:
        """``(K, k**n)``: the probability of each pure profile (first player slowest), for ``n <= MAX_FULL_PLAYERS``."""
        n = self.n_players
        if n > MAX_FULL_PLAYERS:
            raise SolverError(f"{n} players: 2**{n} profiles are too many to list (at most {MAX_FULL_PLAYERS} "
                              f"players); use count_distribution()")
        if self.n_actions != 2:
            X = self.strategies()
            out = np.ones((len(X), 1))
            for _ in range(n):                       # first player slowest
                out = (out[:, :, None] * X[:, None, :]).reshape(len(X), -1)
            return out
        ones = np.array(list(product((0, 1), repeat=n)), np.int64).sum(1)
        with np.errstate(divide="ignore", invalid="ignore"):
            lp = np.where(ones[None, :] > 0, ones[None, :] * np.log(self.p[:, None]), 0.0) + \
                np.where(ones[None, :] < n, (n - ones[None, :]) * np.log1p(-self.p[:, None]), 0.0)
        return np.exp(lp)

    @property
    def equilibria(self) -> tuple:
        eqs = self._cache.get("eqs")
        if eqs is None:
            eqs = tuple(MixedEquilibrium(strategies=tuple(np.array(x) for _ in range(self.n_players)),
                                         payoffs=self.payoffs[k].copy(), regret=float(self.regret[k]),
                                         players=self.players, actions=(self.actions,) * self.n_players)
                        for k, x in enumerate(self.strategies()))
            self._cache["eqs"] = eqs
        return eqs

    @property
    def outcome_probabilities(self) -> dict:
        """``{profile label: (K,) array}`` over every pure profile (``n <= MAX_FULL_PLAYERS``)."""
        from .results import profile_label
        P = self.profile_probabilities()
        labels = [profile_label(self.actions[a] for a in prof)
                  for prof in product(range(self.n_actions), repeat=self.n_players)]
        return {lab: P[:, j] for j, lab in enumerate(labels)}

    def __len__(self) -> int:
        return len(self.game_index)

    def __repr__(self) -> str:
        return (f"<SymmetricEquilibria: {self.batch_size} games of {self.n_players} players, {len(self)} symmetric "
                f"equilibria, max regret {self.max_regret:.1e}>")


def solve_symmetric_table(table, *, tol: float = DEFAULT_TOL, players=None, actions=None) -> SymmetricEquilibria:
    """Every symmetric equilibrium from a reduced table (see the module docstring).

    Parameters
    ----------
    table : SymmetricTable or array of shape (B, 2, n) or (2, n)
        ``u[b, s, k]``: a player's payoff for action *s* when *k* of the ``n - 1`` others play the second
        action.  An array lets games with many players (n = 50, 2**50 profiles) be solved without their
        strategic form.
    tol : float
        The engine's tolerance (ties at the pure ends, certificates).
    players, actions : optional
        Labels when *table* is an array (default ``Player 1..n``, ``("0", "1")``).

    Raises
    ------
    ModelError
        A table that is not finite or has the wrong shape.
    CertificateError
        A listed profile fails its certificate (a bug, never bad input).
    """
    if not isinstance(table, SymmetricTable):
        u = np.asarray(table, float)
        if u.ndim == 2:
            u = u[None]
        if u.ndim != 3 or u.shape[1] != 2 or u.shape[2] < 2:
            raise GameStructureError(f"a symmetric payoff table has shape (B, 2, n) or (2, n) with n >= 2 players, "
                                     f"got {np.shape(table)}")
        if not np.all(np.isfinite(u)):
            raise GameStructureError("the symmetric payoff table must be finite")
        if u.shape[2] > MAX_PLAYERS:
            raise GameStructureError(f"a symmetric payoff table has at most {MAX_PLAYERS} players, got {u.shape[2]}")
        n = u.shape[2]
        table = SymmetricTable(u=u, n_players=n, players=tuple(players or (f"Player {i + 1}" for i in range(n))),
                               actions=tuple(actions or ("0", "1")))
    u, n = table.u, table.n_players
    B = u.shape[0]
    d = u[:, 1, :] - u[:, 0, :]                                   # Bernstein coefficients of D, (B, n)
    mag = np.abs(u).reshape(B, -1).max(1)
    noise = rounding_allowance(mag, tol)
    V, first, _ = _sign_changes(d)
    continuum = ~np.any(d != 0, axis=1)
    gis, ps = [], []
    # pure symmetric profiles: the deviation gain d_0 (from all-first) or -d_{n-1} (from all-second) within the
    # engine's tolerance for ties, as pure_nash_mask
    pure0 = d[:, 0] <= tol * np.abs(d[:, 0]) + noise
    pure1 = -d[:, -1] <= tol * np.abs(d[:, -1]) + noise
    gis.append(np.flatnonzero(pure0))
    ps.append(np.zeros(int(pure0.sum())))
    gis.append(np.flatnonzero(pure1))
    ps.append(np.ones(int(pure1.sum())))
    one = np.flatnonzero(V == 1)
    if one.size:
        gis.append(one)
        ps.append(_bisect(d[one], first[one]))
    for b in np.flatnonzero(V >= 2):
        roots = exact_unit_roots(_exact_d(table, int(b)))
        gis.append(np.full(len(roots), b, np.int64))
        ps.append(np.asarray(roots, float))
    gi = np.concatenate(gis).astype(np.int64)
    p = np.concatenate(ps).astype(float)
    order = np.lexsort((p, gi))
    gi, p = gi[order], p[order]
    # the certificate: the engine's regret and bound at the symmetric profile, on the reduced table
    W = bernstein_weights(p, n - 1)                                # (K, n)
    v0 = np.einsum("kj,kj->k", W, u[gi, 0, :])
    v1 = np.einsum("kj,kj->k", W, u[gi, 1, :])
    mixed = (1.0 - p) * v0 + p * v1
    regret = np.maximum(np.maximum(v0, v1) - mixed, 0.0)
    bound = tol * np.einsum("kj,kj->k", W, np.abs(d[gi])) + noise[gi]
    bad = np.flatnonzero(~(regret <= bound))
    if bad.size:
        k = int(bad[0])
        raise CertificateError(f"internal check failed: the symmetric profile p = {p[k]!r} of game {gi[k]} has "
                               f"regret {regret[k]:.3e} > tolerance {bound[k]:.1e}")
    return SymmetricEquilibria(game_index=gi, p=p, regret=regret, bound=bound,
                               payoffs=np.repeat(mixed[:, None], n, axis=1), continuum=continuum,
                               sign_changes=V, players=table.players, actions=table.actions, n_players=n,
                               batch_size=B)


def symmetric_equilibria(game, *, tol: float = DEFAULT_TOL) -> SymmetricEquilibria:
    """Every symmetric Nash equilibrium of a symmetric normal-form game (or a batch of them).

    Complete over symmetric profiles; asymmetric equilibria are not listed (see the module docstring).

    Parameters
    ----------
    game : NormalFormGame
        Every player with the same number of actions, payoffs invariant under relabelling the players.
        Two actions: batched (the whole batch at once); more: game by game
        (:mod:`deterrence.solve.symmetric_multi`).
    tol : float
        The engine's tolerance (:mod:`deterrence.solve.tolerance`).

    Returns
    -------
    SymmetricEquilibria
        Certified by regret on the reduced table; also by
        :func:`~deterrence.solve.results.certify` on the game itself for every game with more
        than two actions, and for an unbatched two-action game of at most
        :data:`MAX_FULL_PLAYERS` players.

    Raises
    ------
    SolverError
        The game is not symmetric (the message names the player and the profile, or the players' numbers
        of actions differ).

    Examples
    --------
    >>> from deterrence.alliances.volunteer import guarantors_game
    >>> res = symmetric_equilibria(guarantors_game(5, 1.0, 0.3))
    >>> [round(float(x), 6) for x in res.p]          # 1 - 0.3 ** (1/4)
    [0.259917]
    """
    if not (hasattr(game, "payoffs") and hasattr(game, "num_actions") and hasattr(game, "batched")):
        raise GameStructureError(f"symmetric equilibria need a NormalFormGame, got {type(game).__name__}")
    ks = set(game.num_actions)
    if len(ks) != 1:
        raise SolverError(f"the game is not symmetric: the players have different numbers of actions "
                          f"{tuple(game.num_actions)} (use concept 'nash' or 'pure')")
    if ks != {2} and game.n_players >= 2:
        return _symmetric_k(game, tol)
    table = symmetric_table(game)
    res = solve_symmetric_table(table, tol=tol)
    if not game.batched and table.n_players <= MAX_FULL_PLAYERS:
        for k, p in enumerate(res.p):
            r = certify(game, [np.array([1.0 - p, p])] * table.n_players, tol=tol, what="symmetric equilibrium")
            if abs(r - res.regret[k]) > 1e-9 * max(1.0, float(np.abs(table.u).max())):
                raise CertificateError(f"internal check failed: the reduced regret {res.regret[k]:.3e} of the "
                                       f"symmetric profile p = {p!r} differs from the game's {r:.3e}")
    return res


def _symmetric_k(game, tol) -> SymmetricEquilibria:
    """Every symmetric equilibrium of symmetric games with k != 2 actions, game by game
    (:mod:`deterrence.solve.symmetric_multi`)."""
    from .symmetric_multi import reduced_table_k, symmetric_candidates_k, symmetric_regret
    from .tolerance import lossy_exact

    if lossy_exact(game):
        raise SolverError("the game's exact payoffs are not held exactly by floating-point numbers; the symmetric "
                          "solver works on the float payoffs: use concept 'nash' (exact arithmetic)")
    n, k = game.n_players, game.num_actions[0]
    gi, X, reg, bnd, pay, notes, complete = [], [], [], [], [], [], True
    done_games = np.ones(game.batch_size, bool)
    for b in range(game.batch_size):
        table = reduced_table_k(game, b)
        mag = float(np.abs(game.payoffs[b]).max())
        xs, nb, done = symmetric_candidates_k(table, k, n, tol=tol, mag=mag)
        complete &= done
        done_games[b] = done
        notes += [f"game {b}: {t}" if game.batched else t for t in nb]
        one = game[b] if game.batched else game
        for x in xs:
            r = certify(one, [x] * n, tol=tol, what="symmetric equilibrium")
            _, bound, v = symmetric_regret(table, k, n, x, tol, mag)
            gi.append(b)
            X.append(x)
            reg.append(r)
            bnd.append(bound)
            pay.append(v)
    K = len(gi)
    X = np.array(X).reshape(K, k)
    return SymmetricEquilibria(
        game_index=np.array(gi, np.int64), p=np.full(K, np.nan), regret=np.array(reg, float),
        bound=np.array(bnd, float), payoffs=np.repeat(np.array(pay, float).reshape(K, 1), n, axis=1),
        continuum=np.zeros(game.batch_size, bool), sign_changes=np.full(game.batch_size, -1),
        players=tuple(game.players), actions=tuple(game.actions[0]), n_players=n, batch_size=game.batch_size,
        method=f"symmetric ({k} actions): every support; exact univariate isolation on edges, Groebner basis and "
               f"eigenvalues inside; each profile certified",
        notes=("complete over symmetric profiles; asymmetric equilibria are not listed",) + tuple(notes),
        complete=bool(complete), strategy_matrix=X, game_complete=done_games)
