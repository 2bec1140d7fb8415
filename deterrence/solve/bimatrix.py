"""All Nash equilibria of a two-player (bimatrix) game, degenerate games included.

Method (``method="vertex"``): vertex enumeration of the best-response
polytopes.  After a positive affine rescaling of each player's payoffs to
``[1, 2]`` (which leaves the equilibria unchanged), the polytopes

.. math::

    P = \\{x \\ge 0 : B^T x \\le 1\\}, \\qquad Q = \\{y \\ge 0 : A y \\le 1\\}

are bounded.  A point of :math:`P` has label :math:`i` when :math:`x_i = 0`
and label :math:`m + j` when :math:`(B^T x)_j = 1` (column *j* is a best
response); a point of :math:`Q` has label :math:`i` when :math:`(A y)_i = 1`
and label :math:`m + j` when :math:`y_j = 0`.  A pair :math:`(x, y) \\ne
(0, 0)` is *completely labelled* (every label in :math:`\\{1..m+n\\}` appears)
exactly when the normalised pair :math:`(x / 1^T x, y / 1^T y)` is a Nash
equilibrium, and the extreme equilibria are the completely labelled pairs of
vertices (von Stengel 2007, Theorem 3.4 and sec. 3.5; Avis, Rosenberg,
Savani & von Stengel 2010).  Every vertex is found by a vectorized search over
all feasible bases (:mod:`deterrence.solve.polytope`) and labelled with *all*
its tight constraints, so degenerate games (where a vertex may carry more
labels than the dimension) lose no equilibrium; the labels are bit sets, and
complementary pairs are found by one array comparison.

The equilibrium set is then described by its maximal Nash subsets and
connected components (:mod:`deterrence.solve.nash_subsets`).

References
----------
B. von Stengel (2007), "Equilibrium computation for two-player games in
strategic and extensive form", ch. 3 of *Algorithmic Game Theory*,
Cambridge UP.

D. Avis, G. Rosenberg, R. Savani, B. von Stengel (2010), "Enumeration of Nash
equilibria for two-player games", *Economic Theory* 42: 9-37.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from ..errors import CertificateError, GameStructureError, SolverError
from .exact_polytope import exact_polytope_vertices
from .nash_subsets import equilibrium_components
from .polytope import polytope_vertices
from .progress import Progress
from .rational import exact_regret, to_fraction
from .results import DEFAULT_TOL, EquilibriumSet, MixedEquilibrium, ResultBatch
from .tolerance import rounding_allowance

__all__ = ["enumerate_equilibria", "METHODS"]

#: Methods understood by :func:`enumerate_equilibria`.
METHODS = ("vertex", "nashpy", "gambit")


def enumerate_equilibria(game, *, method: str = "vertex", exact: bool = False, tol: float = DEFAULT_TOL,
                         progress=None):
    """Every extreme Nash equilibrium of a two-player game, with the components.

    Parameters
    ----------
    game : NormalFormGame
        A two-player game, or a batch of them.
    method : {"vertex", "nashpy", "gambit"}
        ``"vertex"`` (default): this package's vertex enumeration, complete
        for every game, degenerate or not.  A float game whose payoff
        differences are tiny against its payoff range (payoffs of very
        different sizes), or whose exact payoffs floats cannot hold
        (integers beyond 2**53), is enumerated in exact rational
        arithmetic instead.  ``"nashpy"``: nashpy's ``vertex_enumeration``
        (Knight & Campbell 2018), which can miss equilibria of degenerate
        games, so the result has ``complete=False`` when the game is
        degenerate.  ``"gambit"``: pygambit's ``enummixed_solve``
        (McKelvey, McLennan & Turocy, Gambit), an optional dependency.
        Backends get each player's payoffs mapped onto ``[1, 2]`` (same
        equilibria), and their results are re-certified and wrapped in the
        same result type; a backend answer that is empty, or from which an
        uncertifiable profile was dropped, has ``complete=False`` (every
        finite game has an equilibrium).
    exact : bool
        Enumerate in exact rational arithmetic end to end (no floating-point
        pre-pass) and return every equilibrium also as Fractions
        (``MixedEquilibrium.exact``), verified with zero regret exactly.
        Payoffs are taken from ``game.exact_payoffs`` when present (ints or
        Fractions, of any size), else the floats are read as the binary
        rationals they are.  Meant for small games.
    tol : float
        Regret tolerance of the certificate, relative to the payoff
        differences at stake (:mod:`deterrence.solve.tolerance`), and the
        zero tolerance of the float labels (on payoffs rescaled to ``[1, 2]``).
    progress : None, bool or callable
        Progress of the vertex enumeration (:mod:`deterrence.solve.progress`:
        by default a line on stderr once a run has taken two seconds, with
        the feasible bases found so far; a callable gets
        ``progress(polytopes done, 2)``).

    Returns
    -------
    EquilibriumSet
        For one game; for a batch, a :class:`~deterrence.solve.results.ResultBatch`
        of one set per game. Never empty when complete is True.

    Raises
    ------
    GameStructureError
        If the game does not have exactly two players.
    SolverError
        For an unknown method, a missing optional backend, or a game too
        large for exact enumeration.
    CertificateError
        If a certificate fails (an internal error).
    """
    _check_game(game)
    if method not in METHODS:
        raise SolverError(f"unknown method {method!r}; choose one of {list(METHODS)}")
    if exact and method == "nashpy":
        raise SolverError("exact=True is available with method='vertex' or method='gambit', not 'nashpy'")
    if game.batched:
        lossy = game.exact_payoffs is not None and any(Fraction(float(v)) != v for v in game.exact_payoffs.flat)
        if method == "vertex" and not exact and game.num_actions == (2, 2) and not lossy:
            from .two_by_two import solve_2x2
            batch = solve_2x2(game, tol=tol)
            return ResultBatch(batch.equilibrium_set(b) for b in range(game.batch_size))
        return ResultBatch(_solve_one(game[b], method, exact, tol, progress) for b in range(game.batch_size))
    return _solve_one(game, method, exact, tol, progress)


def _check_game(game) -> None:
    n = getattr(game, "n_players", None)
    if n is None:
        raise GameStructureError(f"expected a NormalFormGame, got {type(game).__name__}")
    if n != 2:
        raise GameStructureError(
            f"the bimatrix solver needs a two-player game; this game has {n} players "
            f"({', '.join(game.players)}): use an n-player solver")


def _solve_one(game, method: str, exact: bool, tol: float, progress=None) -> EquilibriumSet:
    if method == "vertex":
        rep = Progress(progress, 2, "enumerate_equilibria: polytopes done")
        try:
            return _vertex_method(game, exact, tol, rep)
        finally:
            rep.close()
    if method == "nashpy":
        return _nashpy_method(game, tol)
    return _gambit_method(game, exact, tol)


# ---------------------------------------------------------------------- helpers
def _rescale(M: np.ndarray) -> np.ndarray:
    """Positive affine map of a payoff matrix onto ``[1, 2]`` (all ones if constant)."""
    lo, hi = M.min(), M.max()
    if hi - lo <= 0:
        return np.ones_like(M)
    return 1.0 + (M - lo) / (hi - lo)


def _regrets(A, B, X, Y):
    """Each player's gain and the payoffs of K profiles: X (K, m), Y (K, n) in the game (A, B).

    Returns ``(row gains (K,), column gains (K,), payoffs (K, 2))``.
    """
    rv = Y @ A.T                     # (K, m) row payoffs to each action
    cv = X @ B                       # (K, n)
    u = np.einsum("km,km->k", X, rv)
    v = np.einsum("kn,kn->k", Y, cv)
    return rv.max(1) - u, cv.max(1) - v, np.stack([u, v], axis=1)


def _bounds(A, B, X, Y, tol):
    """Tolerated gains of each player (:mod:`deterrence.solve.tolerance`): ``tol`` times her expected
    own-action payoff spread under the other's strategy plus the rounding allowance of her payoffs."""
    spread_r = A.max(0) - A.min(0)           # (n,): row player's stake against each column
    spread_c = B.max(1) - B.min(1)           # (m,): column player's stake against each row
    noise = rounding_allowance(np.array([np.abs(A).max(), np.abs(B).max()]), tol)
    return tol * (Y @ spread_r) + noise[0], tol * (X @ spread_c) + noise[1]


def _certified_mask(A, B, X, Y, tol):
    """``(ok (K,), regret (K,), payoffs (K, 2), worst bound (K,))`` of K profiles."""
    gr, gc, pay = _regrets(A, B, X, Y)
    br, bc = _bounds(A, B, X, Y, tol)
    ok = (gr <= br) & (gc <= bc)
    return ok, np.maximum(gr, gc), pay, np.minimum(br, bc)


def _label_masks(zero: np.ndarray) -> np.ndarray:
    bits = np.left_shift(np.int64(1), np.arange(zero.shape[1], dtype=np.int64))
    return zero @ bits


def _complementary_pairs(Lp: np.ndarray, Lq: np.ndarray, full: int, degenerate: bool):
    """Index pairs (p, q) whose label sets together cover every label."""
    if not degenerate:
        # each vertex has exactly the dimension's number of labels: complements must match exactly
        order = np.argsort(Lq)
        want = full ^ Lp
        pos = np.searchsorted(Lq[order], want)
        pos = np.minimum(pos, len(Lq) - 1)
        hit = Lq[order][pos] == want
        return np.nonzero(hit)[0], order[pos[hit]]
    out_p, out_q = [], []
    step = max(1, 2_000_000 // max(1, len(Lq)))
    for s in range(0, len(Lp), step):
        cover = (Lp[s:s + step, None] | Lq[None, :]) == full
        p, q = np.nonzero(cover)
        out_p.append(p + s)
        out_q.append(q)
    return np.concatenate(out_p), np.concatenate(out_q)


def _exact_payoffs(game):
    """Exact payoff matrices (lists of lists of Fraction) of an unbatched game."""
    if game.exact_payoffs is not None:
        src = game.exact_payoffs[0]
    else:
        src = game.payoffs[0]
    m, n = game.num_actions
    A = [[to_fraction(src[i, j, 0]) for j in range(n)] for i in range(m)]
    B = [[to_fraction(src[i, j, 1]) for j in range(n)] for i in range(m)]
    return A, B


# ---------------------------------------------------------------------- vertex method
#: A float game is solved exactly when some payoff difference that decides a label is below this share of
#: its player's payoff range (the labels are decided at ~1e-9 on payoffs rescaled to [1, 2]).
ILL_SCALED = 1e-6


def _ill_scaled(A: np.ndarray, B: np.ndarray) -> bool:
    """True when a nonzero own-action payoff difference of a player is tiny against her payoff range.

    Then labels decided in floating point on payoffs rescaled to ``[1, 2]``
    cannot be trusted (payoffs of very different sizes in one game).
    """
    for M, axis in ((A, 0), (B, 1)):
        rng = float(M.max() - M.min())
        if rng <= 0:
            continue
        srt = np.sort(M, axis=axis)
        d = np.abs(np.diff(srt, axis=axis))
        d = d[d > 0]
        if d.size and float(d.min()) < ILL_SCALED * rng:
            return True
    return False


def _lossy_floats(game) -> bool:
    """True when the game's exact payoffs (ints, Fractions) are not all held exactly by its floats."""
    ex = game.exact_payoffs
    return ex is not None and any(Fraction(float(v)) != v for v in ex[0].flat)


def _bases(rep, k):
    """A ``polytope_vertices`` progress callback reporting to *rep* that polytope *k* is under way."""
    return lambda n_bases, frontier: rep.update(k, f"{n_bases} feasible bases, {frontier} on the frontier")


def _vertex_method(game, exact: bool, tol: float, rep=None) -> EquilibriumSet:
    A, B = (M[0] for M in game.bimatrix())
    rep = rep if rep is not None else Progress(False, 2, "")
    if exact:
        return _exact_vertex_method(game, tol, keep_exact=True, rep=rep)
    note = ""
    if _ill_scaled(A, B) or _lossy_floats(game):
        # payoffs of very different sizes: float labels would be decided below their resolution, so
        # enumerate the vertices of the float game exactly (its payoffs are binary rationals); exact
        # payoffs that floats cannot hold (integers beyond 2**53) are used as they are
        try:
            return _exact_vertex_method(game, tol, keep_exact=False, rep=rep)
        except SolverError:
            note = (" -- payoff differences tiny against the payoff range and the game too large for the "
                    "exact fallback: equilibria may be missed")
    m, n = A.shape
    ztol = max(tol, 1e-12) * 0.1
    Pv = polytope_vertices(_rescale(B).T, tol=ztol, progress=_bases(rep, 0))   # x (m), slacks of B^T x <= 1 (n)
    Qv = polytope_vertices(_rescale(A), tol=ztol, progress=_bases(rep, 1))     # y (n), slacks of A y <= 1 (m)
    Lp = _label_masks(Pv.zero)                          # labels: x_i = 0 -> i; column j best -> m + j
    Lq = _label_masks(np.concatenate([Qv.zero[:, n:], Qv.zero[:, :n]], axis=1))
    full = (1 << (m + n)) - 1
    degenerate = Pv.degenerate or Qv.degenerate
    p_idx, q_idx = _complementary_pairs(Lp, Lq, full, degenerate)
    keep = (Pv.points[p_idx].sum(1) > ztol) & (Qv.points[q_idx].sum(1) > ztol)
    p_idx, q_idx = p_idx[keep], q_idx[keep]
    X = Pv.points[p_idx]
    Y = Qv.points[q_idx]
    X = X / X.sum(1, keepdims=True)
    Y = Y / Y.sum(1, keepdims=True)
    return _assemble(game, X, Y, p_idx, q_idx, tol, complete=not note,
                     method="vertex enumeration (best-response polytopes, all feasible bases)" + note)


def _assemble(game, X, Y, r_idx, c_idx, tol, complete, method, exact_strats=None) -> EquilibriumSet:
    """Certify profiles (vectorized) and wrap them with components and vertex lists.

    Every finite game has an equilibrium (Nash 1951): an empty set from a
    method that claims completeness is an internal error, never a result.
    """
    A, B = (M[0] for M in game.bimatrix())
    if len(X) == 0 and complete:
        raise CertificateError(f"internal check failed: {method} found no equilibrium, but every finite game "
                               "has one")
    ok, reg, pay, bound = _certified_mask(A, B, X, Y, tol)
    bad = np.nonzero(~ok)[0]
    if bad.size:
        raise CertificateError(f"internal check failed: equilibrium {int(bad[0])} has regret {reg[bad[0]]:.3e} "
                               f"> tolerance {bound[bad[0]]:.1e}")
    rows, r_new = np.unique(np.asarray(r_idx, dtype=np.int64), return_inverse=True)
    cols, c_new = np.unique(np.asarray(c_idx, dtype=np.int64), return_inverse=True)
    # order row/column vertices by first appearance
    r_first = np.full(len(rows), len(r_new)); np.minimum.at(r_first, r_new, np.arange(len(r_new)))
    c_first = np.full(len(cols), len(c_new)); np.minimum.at(c_first, c_new, np.arange(len(c_new)))
    r_rank = np.empty(len(rows), np.int64); r_rank[np.argsort(r_first)] = np.arange(len(rows))
    c_rank = np.empty(len(cols), np.int64); c_rank[np.argsort(c_first)] = np.arange(len(cols))
    r_new, c_new = r_rank[r_new], c_rank[c_new]
    row_vertices = [None] * len(rows)
    col_vertices = [None] * len(cols)
    eqs = []
    for k in range(len(X)):
        x, y = X[k].copy(), Y[k].copy()
        ex = None if exact_strats is None else exact_strats[k]
        eqs.append(MixedEquilibrium(strategies=(x, y), payoffs=pay[k], regret=float(reg[k]),
                                    players=game.players, actions=game.actions, exact=ex))
        if row_vertices[r_new[k]] is None:
            row_vertices[r_new[k]] = x
        if col_vertices[c_new[k]] is None:
            col_vertices[c_new[k]] = y
    comps = equilibrium_components(list(zip(r_new.tolist(), c_new.tolist())))
    return EquilibriumSet(extreme=tuple(eqs), components=comps, complete=complete, method=method,
                          row_vertices=tuple(row_vertices), column_vertices=tuple(col_vertices))


def _exact_rescaled(M):
    """A rational matrix mapped exactly onto ``[1, 2]`` (all ones if constant): same equilibria, small entries."""
    lo = min(min(r) for r in M)
    hi = max(max(r) for r in M)
    if hi == lo:
        return [[Fraction(1)] * len(M[0]) for _ in M]
    w = hi - lo
    return [[1 + (v - lo) / w for v in r] for r in M]


def _exact_vertex_method(game, tol, keep_exact: bool, rep=None) -> EquilibriumSet:
    """Vertex enumeration with every step in exact rational arithmetic (no floating-point pre-pass).

    The payoffs are ``game.exact_payoffs`` (ints, Fractions) or the floats
    read as the binary rationals they are; labels are exact zeros, and
    every equilibrium is verified with zero regret exactly.
    """
    Ae, Be = _exact_payoffs(game)
    m, n = len(Ae), len(Ae[0])
    Ar, Br = _exact_rescaled(Ae), _exact_rescaled(Be)
    CP = [[Br[i][j] for i in range(m)] for j in range(n)]      # B^T, (n, m): P = {x >= 0 : B^T x <= 1}
    rep = rep if rep is not None else Progress(False, 2, "")
    Pverts = exact_polytope_vertices(CP, progress=_bases(rep, 0))   # x (m), then slacks (n)
    Qverts = exact_polytope_vertices(Ar, progress=_bases(rep, 1))   # y (n), then slacks (m)
    full = (1 << (m + n)) - 1
    plab = [sum(1 << t for t, v in enumerate(val) if v == 0) for val in Pverts]
    qlab = [sum(1 << (m + j) for j in range(n) if val[j] == 0) | sum(1 << i for i in range(m) if val[n + i] == 0)
            for val in Qverts]
    pairs = [(p, q) for p in range(len(Pverts)) if any(Pverts[p][:m])
             for q in range(len(Qverts)) if any(Qverts[q][:n]) and plab[p] | qlab[q] == full]
    exact_strats, X, Y = [], [], []
    for p, q in pairs:
        xs, ys = Pverts[p][:m], Qverts[q][:n]
        sx, sy = sum(xs), sum(ys)
        x = tuple(v / sx for v in xs)
        y = tuple(v / sy for v in ys)
        if exact_regret(Ae, Be, x, y) != 0:
            raise CertificateError(f"internal check failed: exact equilibrium {x}, {y} has nonzero exact regret")
        exact_strats.append((x, y))
        X.append([float(v) for v in x])
        Y.append([float(v) for v in y])
    X = np.array(X, dtype=float).reshape(len(pairs), m)
    Y = np.array(Y, dtype=float).reshape(len(pairs), n)
    return _assemble(game, X, Y, np.array([p for p, _ in pairs], dtype=np.int64),
                     np.array([q for _, q in pairs], dtype=np.int64), tol, complete=True,
                     exact_strats=exact_strats if keep_exact else None,
                     method="vertex enumeration (best-response polytopes, all feasible bases), exact rational")


# ---------------------------------------------------------------------- backends
def _wrap_profiles(game, profiles, tol, complete, method, exact_profiles=None) -> EquilibriumSet:
    """Deduplicate, certify and wrap (x, y) profiles from an external solver."""
    A, B = (M[0] for M in game.bimatrix())
    m, n = A.shape
    X = np.array([np.asarray(x, float) for x, _ in profiles], dtype=float).reshape(-1, m)
    Y = np.array([np.asarray(y, float) for _, y in profiles], dtype=float).reshape(-1, n)
    if len(X):
        ok = _certified_mask(A, B, X, Y, tol)[0]
        if not np.all(ok):            # never return an uncertified profile
            complete = False
            method += f" -- {int((~ok).sum())} returned profile(s) failed the regret certificate and were dropped"
            X, Y = X[ok], Y[ok]
            if exact_profiles is not None:
                exact_profiles = [e for e, k in zip(exact_profiles, ok) if k]
    rkeys, ckeys, r_idx, c_idx, seen, keep = {}, {}, [], [], set(), []
    for k in range(len(X)):
        if exact_profiles is not None:
            kr, kc = exact_profiles[k]
        else:
            kr, kc = tuple(np.round(X[k], 9) + 0.0), tuple(np.round(Y[k], 9) + 0.0)
        r = rkeys.setdefault(kr, len(rkeys))
        c = ckeys.setdefault(kc, len(ckeys))
        if (r, c) in seen:
            continue
        seen.add((r, c))
        keep.append(k)
        r_idx.append(r)
        c_idx.append(c)
    ex = None if exact_profiles is None else [exact_profiles[k] for k in keep]
    if not keep:
        # every finite game has an equilibrium (Nash 1951): an empty answer is never complete
        complete = False
        method += " -- the backend returned no equilibrium, so the set is incomplete (every finite game has one)"
    return _assemble(game, X[keep], Y[keep], np.array(r_idx, dtype=np.int64), np.array(c_idx, dtype=np.int64),
                     tol, complete=complete, method=method, exact_strats=ex)


def _nashpy_method(game, tol) -> EquilibriumSet:
    try:
        import nashpy
    except ImportError:  # pragma: no cover - nashpy is a core dependency
        raise SolverError("method='nashpy' needs the nashpy package (pip install nashpy)") from None
    A, B = (M[0] for M in game.bimatrix())
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # each player's payoffs mapped onto [1, 2] first: the same equilibria, whatever the unit or level
        profiles = list(nashpy.Game(_rescale(A), _rescale(B)).vertex_enumeration())
    m, n = A.shape
    Pv = polytope_vertices(_rescale(B).T, tol=max(tol, 1e-12) * 0.1)
    Qv = polytope_vertices(_rescale(A), tol=max(tol, 1e-12) * 0.1)
    nondegenerate = not (Pv.degenerate or Qv.degenerate)
    ill = _ill_scaled(A, B)
    return _wrap_profiles(game, profiles, tol, complete=nondegenerate and not ill,
                          method="nashpy vertex_enumeration" + ("" if nondegenerate else
                                                                " (degenerate game: may miss equilibria)")
                          + (" (payoff differences tiny against the payoff range: may miss equilibria)"
                             if ill else ""))


def _gambit_method(game, exact: bool, tol) -> EquilibriumSet:
    try:
        import pygambit
    except ImportError:
        raise SolverError("method='gambit' needs the optional pygambit package (pip install pygambit)") from None
    Ae, Be = _exact_payoffs(game)
    # each player's payoffs mapped exactly onto [1, 2] first (same equilibria): pygambit's floating-point
    # enumeration returns nothing on payoffs of order 1e9 or 1e-9
    g = pygambit.Game.from_arrays(np.array(_exact_rescaled(Ae), dtype=object),
                                  np.array(_exact_rescaled(Be), dtype=object))
    res = pygambit.nash.enummixed_solve(g, rational=exact)
    profiles, exact_profiles = [], []
    for eq in res.equilibria:
        x = [eq[s] for s in list(g.players)[0].strategies]
        y = [eq[s] for s in list(g.players)[1].strategies]
        profiles.append(([float(v) for v in x], [float(v) for v in y]))
        exact_profiles.append((tuple(Fraction(v) for v in x), tuple(Fraction(v) for v in y)))
    if exact:
        for x, y in exact_profiles:
            if exact_regret(Ae, Be, x, y) != 0:
                raise CertificateError(f"internal check failed: gambit returned a profile with nonzero exact "
                                       f"regret: {x}, {y}")
    A, B = (M[0] for M in game.bimatrix())
    ill = not exact and _ill_scaled(A, B)
    return _wrap_profiles(game, profiles, tol, complete=not ill,
                          method="pygambit enummixed_solve" + (" (rational)" if exact else "")
                          + (" (floating point; payoff differences tiny against the payoff range: may miss "
                             "equilibria)" if ill else ""),
                          exact_profiles=exact_profiles if exact else None)
