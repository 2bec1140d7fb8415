"""Every perfect Bayesian equilibrium of a *batch* of signalling games, all points at once.

The method is that of :func:`~.pbe_signalling.signalling_pbe` (one family of
equilibria per feasible support pattern; Banks 1991; Fudenberg & Tirole
1991, §8.2), with the three small linear programs of each pattern -- an
off-path belief at each unsent message, the sender's strategy ``sigma``
making the receiver's responses optimal, the receiver's strategy ``rho``
making the sender's messages optimal -- solved for every parameter point
at once by vertex enumeration (:func:`~.pbe_vertex.interior_point`).  Points
are dropped from a pattern as soon as one of its programs is infeasible
there, so the work follows the patterns that can hold.

Each family is reported by one representative point (the centroid of the
vertices of its sender and receiver polytopes, a relative-interior point) and certified at every
point: the regret of every sender type given ``rho`` and of the receiver at
every message given the belief there (Bayes on the path, a supporting
belief off it) must be below the tolerance.  A point where a candidate
fails its certificate, or where no equilibrium is found, is marked
incomplete (every finite game has an equilibrium).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

import numpy as np

from ..errors import SolverError
from ..games.signalling import SignallingGame
from .progress import Progress
from .pbe_vertex import MAX_COMBINATIONS, interior_point, n_combinations
from .results import DEFAULT_TOL, EquilibriumMixin, ResultMixin
from .tolerance import rounding_allowance

__all__ = ["SignallingPBEBatch", "BatchSignallingEquilibrium", "signalling_pbe_batch", "KINDS"]

#: Equilibrium kinds, indexed by :attr:`SignallingPBEBatch.kind`.
KINDS = ("pooling", "separating", "hybrid", "partially pooling")

_POSITIVE = 1e-12   # a support probability at the interior point above this is positive (vertices: ~1e-16)


@dataclass(frozen=True, eq=False)
class BatchSignallingEquilibrium(EquilibriumMixin):
    """One equilibrium family at one point of a :class:`SignallingPBEBatch` (its representative point).

    An :class:`~deterrence.solve.results.Equilibrium`, with the attributes
    :class:`~deterrence.solve.pbe_results.SignallingEquilibrium` (what
    :func:`~.pbe_signalling.signalling_pbe` lists for one game) has for the
    same family, except the off-path belief sets and the probability ranges,
    which the batched solver does not compute.

    Attributes
    ----------
    game : int
        The point of the batch.
    pattern : int
        Index into :attr:`SignallingPBEBatch.patterns`.
    kind : str
    sender : ndarray, shape (T, M)
    receiver : ndarray, shape (M, R)
    beliefs : ndarray, shape (M, T)
    payoffs : ndarray, shape (2,)
        Ex-ante expected payoffs of sender and receiver.
    regret : float
    outcome_probabilities : dict
        ``{"type, message, response": probability}``.
    type_supports, response_supports : tuple of tuple of str
        The support pattern (labels).
    on_path : tuple of bool
        Whether each message is sent with positive probability.
    """

    game: int
    pattern: int
    kind: str
    sender: np.ndarray = field(repr=False)
    receiver: np.ndarray = field(repr=False)
    beliefs: np.ndarray = field(repr=False)
    payoffs: np.ndarray = field(repr=False)
    regret: float = 0.0
    outcome_probabilities: dict = field(default_factory=dict, repr=False)
    type_supports: tuple = ()
    response_supports: tuple = ()
    on_path: tuple = field(default=(), repr=False)


@dataclass(frozen=True, eq=False)
class SignallingPBEBatch(ResultMixin):
    """All PBE families of every game of a batch, one slot per support pattern.

    Follows the result protocol (:class:`~deterrence.solve.results.Result`): the flat views
    ``game_index``, ``payoffs``, ``regret``, ``outcome_probabilities`` and ``equilibria`` run over
    the families found, point by point.  The arrays below are what the solver computes; the
    :class:`BatchSignallingEquilibrium` objects are built from them only when asked for
    (``equilibria`` builds all once and keeps them; ``for_game(b)`` builds point *b*'s), and list
    the same families as :func:`~.pbe_signalling.signalling_pbe` on game *b* alone.

    Attributes
    ----------
    found : ndarray of bool, shape (B, P)
        Whether pattern ``k`` holds an equilibrium family at point ``b``.
    patterns : tuple
        ``(type_supports, response_supports)`` of each pattern, as index tuples.
    sender : ndarray, shape (B, P, T, M)
        Representative ``sigma`` (NaN where not found).
    receiver : ndarray, shape (B, P, M, R)
    beliefs : ndarray, shape (B, P, M, T)
        Bayes beliefs on the path, a supporting belief off it.
    kind : ndarray of int, shape (B, P)
        Index into :data:`KINDS` (-1 where not found).
    pattern_regret : ndarray, shape (B, P)
        Certificate: the largest gain from deviating at any information set.
    pattern_payoffs : ndarray, shape (B, P, 2)
        Expected payoffs of sender and receiver.
    complete_points : ndarray of bool, shape (B,)
        Every equilibrium family is listed at that point: no candidate failed
        its certificate and at least one equilibrium was found.
    types, messages, responses : tuple of str
    """

    found: np.ndarray
    patterns: tuple
    sender: np.ndarray = field(repr=False)
    receiver: np.ndarray = field(repr=False)
    beliefs: np.ndarray = field(repr=False)
    kind: np.ndarray = field(repr=False)
    pattern_regret: np.ndarray = field(repr=False)
    pattern_payoffs: np.ndarray = field(repr=False)
    complete_points: np.ndarray = field(repr=False)
    prior: np.ndarray = field(repr=False)
    types: tuple = ()
    messages: tuple = ()
    responses: tuple = ()
    method: str = "support patterns + vertex enumeration (batched)"
    notes: tuple = ()

    @property
    def batch_size(self) -> int:
        return self.found.shape[0]

    @property
    def complete(self) -> bool:
        """Every family is listed at every point (see :attr:`complete_points`)."""
        return bool(self.complete_points.all())

    @property
    def n_equilibria(self) -> np.ndarray:
        """Number of equilibrium families at each point, shape (B,)."""
        return self.found.sum(1)

    @property
    def game_index(self) -> np.ndarray:
        """The point of each family found, shape (K,) (sorted)."""
        return self._rows[0]

    @property
    def _rows(self) -> tuple:
        """``(points, patterns)`` of the families found, each shape (K,), point by point (computed once)."""
        cached = self.__dict__.get("_rows_cache")
        if cached is None:
            cached = np.nonzero(self.found)
            for a in cached:
                a.flags.writeable = False          # shared by every call: not to be changed in place
            self.__dict__["_rows_cache"] = cached
        return cached

    @property
    def payoffs(self) -> np.ndarray:
        """Expected payoffs (sender, receiver) of each family found, shape (K, 2)."""
        return self.pattern_payoffs[self._rows]

    @property
    def regret(self) -> np.ndarray:
        """Certificate of each family found, shape (K,)."""
        return self.pattern_regret[self._rows]

    def _labels(self) -> list:
        return [f"{t}, {m}, {r}" for t in self.types for m in self.messages for r in self.responses]

    @property
    def outcome_probabilities(self) -> dict:
        """``{"type, message, response": (K,) array}`` over the families found (computed once)."""
        cached = self.__dict__.get("_outcomes_cache")
        if cached is None:
            b, k = self._rows
            d = (self.prior[b][:, :, None, None] * self.sender[b, k][..., None]
                 * self.receiver[b, k][:, None, :, :]).reshape(len(b), -1)          # (K, T*M*R)
            d.flags.writeable = False
            cached = {lab: d[:, j] for j, lab in enumerate(self._labels())}
            self.__dict__["_outcomes_cache"] = cached
        return cached

    def equilibrium(self, n: int) -> BatchSignallingEquilibrium:
        """Family *n* of the flat list (``equilibria[n]``), built from the arrays."""
        rows_b, rows_k = self._rows
        if not 0 <= n < len(rows_b):
            raise IndexError(f"equilibrium {n} out of {len(rows_b)}")
        b, k = int(rows_b[n]), int(rows_k[n])
        sig, rho = self.sender[b, k], self.receiver[b, k]
        joint = self.prior[b][:, None, None] * sig[:, :, None] * rho[None, :, :]
        S, Rs = self.patterns[k]
        on = set().union(*S)
        return BatchSignallingEquilibrium(
            game=b, pattern=k, kind=KINDS[int(self.kind[b, k])], sender=sig, receiver=rho,
            beliefs=self.beliefs[b, k], payoffs=self.pattern_payoffs[b, k], regret=float(self.pattern_regret[b, k]),
            outcome_probabilities=dict(zip(self._labels(), (float(x) for x in joint.ravel()))),
            type_supports=tuple(tuple(self.messages[m] for m in s) for s in S),
            response_supports=tuple(tuple(self.responses[r] for r in rs) for rs in Rs),
            on_path=tuple(m in on for m in range(len(self.messages))))

    @property
    def equilibria(self) -> tuple:
        """Every family found, as :class:`BatchSignallingEquilibrium` (built on first use, then kept)."""
        cached = self.__dict__.get("_equilibria")
        if cached is None:
            cached = tuple(self.equilibrium(n) for n in range(len(self._rows[0])))
            self.__dict__["_equilibria"] = cached
        return cached

    def for_game(self, b: int) -> tuple:
        """The families of point *b* (only those are built, unless :attr:`equilibria` already was)."""
        if not 0 <= b < self.batch_size:
            raise IndexError(f"game {b} out of a batch of {self.batch_size}")
        gi = self._rows[0]
        lo, hi = np.searchsorted(gi, b, "left"), np.searchsorted(gi, b, "right")
        cached = self.__dict__.get("_equilibria")
        return cached[lo:hi] if cached is not None else tuple(self.equilibrium(n) for n in range(lo, hi))

    def pattern_label(self, k: int) -> str:
        """The type supports of pattern *k*, e.g. ``"[tough: beer; weak: beer+quiche]"``."""
        S, _ = self.patterns[k]
        sup = "; ".join(f"{t}: " + "+".join(self.messages[m] for m in s) for t, s in zip(self.types, S))
        return f"[{sup}]"

    def labels(self) -> np.ndarray:
        """One label per point: the kinds and type supports of the equilibrium families there, joined by ' | '.

        Families that differ only in the receiver's strategy (e.g. off the path) share a label, listed once.
        """
        out = np.empty(self.batch_size, dtype=object)
        codes = {}
        for b in range(self.batch_size):
            key = tuple((k, int(self.kind[b, k])) for k in np.flatnonzero(self.found[b]))
            if key not in codes:
                names = dict.fromkeys(f"{KINDS[c]} {self.pattern_label(k)}" for k, c in key)
                codes[key] = " | ".join(names) or "none"
            out[b] = codes[key]
        return out

    def outcome_distribution(self) -> np.ndarray:
        """``P(type, message, response)`` of each family, shape (B, P, T, M, R) (NaN where not found)."""
        return (self.prior[:, None, :, None, None] * self.sender[..., None]
                * self.receiver[:, :, None, :, :])


def _subsets(n):
    from itertools import combinations
    return [c for k in range(1, n + 1) for c in combinations(range(n), k)]


def signalling_pbe_batch(game: SignallingGame, *, tol: float = DEFAULT_TOL, max_patterns: int = 4096,
                         progress=None) -> SignallingPBEBatch:
    """Every perfect Bayesian equilibrium family of every game of a batch (vectorized over the batch).

    Parameters
    ----------
    game : SignallingGame
        A batch of ``B`` games (or one game, ``B = 1``).
    tol : float
        Certificate tolerance, relative to the payoff differences at stake at each information set of
        each game (:mod:`deterrence.solve.tolerance`; the same equilibria in any unit and at any level).
    max_patterns : int
        Refuse, at once, games with more support patterns than this
        (``(2^M - 1)^T (2^R - 1)^M``); :func:`~.pbe_signalling.signalling_pbe`
        solves one larger game at a time.
    progress : None, bool or callable
        Progress over the support patterns (:mod:`.progress`: by default a
        line on stderr once the run has taken two seconds).

    Returns
    -------
    SignallingPBEBatch
    """
    if not isinstance(game, SignallingGame):
        raise SolverError(f"signalling_pbe_batch needs a SignallingGame, got {type(game).__name__}")
    T, M, R = game.shape
    n_pat = (2 ** M - 1) ** T * (2 ** R - 1) ** M
    if n_pat > max_patterns:
        raise SolverError(f"signalling game with {T} types, {M} messages, {R} responses has {n_pat} support "
                          f"patterns (> max_patterns={max_patterns}); solve it one point at a time with "
                          f"signalling_pbe (linear programs per pattern)")
    worst = max(n_combinations(T * M, T + M * (R - 1), M * R * R),
                n_combinations(M * R, M + T * (M - 1), T * M))
    if worst > MAX_COMBINATIONS:
        raise SolverError(f"signalling game with {T} types, {M} messages, {R} responses is too large for "
                          f"vertex enumeration ({worst} candidate vertices per point); use signalling_pbe")
    B = game.batch_size
    pi, uS, uR = game.prior, game.sender_payoffs, game.receiver_payoffs
    rsubs, msubs = _subsets(R), _subsets(M)
    # the sender's rows compare expected payoffs: built from each type's payoffs less their minimum, the
    # same on the simplex, so that a large shift of the payoffs does not cancel their differences
    uS0 = uS - uS.min(axis=(2, 3), keepdims=True)
    patterns = [(S, Rs) for S in product(msubs, repeat=T) for Rs in product(rsubs, repeat=M)]
    P = len(patterns)
    found = np.zeros((B, P), bool)
    sender = np.full((B, P, T, M), np.nan)
    receiver = np.full((B, P, M, R), np.nan)
    beliefs = np.full((B, P, M, T), np.nan)
    kind = np.full((B, P), -1, np.int64)
    regret = np.full((B, P), np.nan)
    payoffs = np.full((B, P, 2), np.nan)
    rejected = np.zeros(B, np.int64)
    all_b = np.arange(B)

    off_cache, sigma_cache = {}, {}

    def off_belief(m, Rm):
        """Supporting belief at an unsent message m for response support Rm: (ok (B,), mu (B, T))."""
        if (m, Rm) not in off_cache:
            ub = [uR[:, :, m, rp] - uR[:, :, m, r] for r in Rm for rp in range(R) if rp not in Rm]
            eq = [uR[:, :, m, r] - uR[:, :, m, Rm[0]] for r in Rm[1:]]
            A_eq = np.stack([np.ones((B, T))] + eq, axis=1)
            b_eq = np.zeros((B, len(A_eq[0])))
            b_eq[:, 0] = 1.0
            A_ub = np.stack(ub, axis=1) if ub else np.zeros((B, 0, T))
            ok, x = interior_point(A_eq, b_eq, A_ub, np.zeros((B, A_ub.shape[1])))
            off_cache[(m, Rm)] = (ok, np.clip(np.nan_to_num(x), 0, None))
        return off_cache[(m, Rm)]

    def sigma_lp(S, on, Rsup):
        key = (S, tuple(Rsup[m] for m in on))
        if key not in sigma_cache:
            svars = [(t, m) for t in range(T) for m in S[t]]
            col = {v: k for k, v in enumerate(svars)}
            groups = [[col[(t, m)] for m in S[t]] for t in range(T)]
            eqs, ubs = [], []
            for m in on:
                Rm = Rsup[m]
                senders = [t for t in range(T) if m in S[t]]

                def row(diff):
                    a = np.zeros((B, len(svars)))
                    for t in senders:
                        a[:, col[(t, m)]] = pi[:, t] * diff[:, t]
                    return a
                for r in Rm:
                    for rp in range(R):
                        if rp not in Rm:
                            ubs.append(row(uR[:, :, m, rp] - uR[:, :, m, r]))
                for r in Rm[1:]:
                    eqs.append(row(uR[:, :, m, r] - uR[:, :, m, Rm[0]]))
            sigma_cache[key] = (svars, _solve(groups, eqs, ubs, len(svars), all_b))
        return sigma_cache[key]

    report = Progress(progress, P, "signalling_pbe_batch: support patterns")
    for k, (S, Rsup) in enumerate(patterns):
        on = sorted(set().union(*S))
        off = [m for m in range(M) if m not in on]
        alive = np.ones(B, bool)
        mu_off = {}
        for m in off:
            ok, mu = off_belief(m, Rsup[m])
            alive &= ok
            mu_off[m] = mu
        if alive.any():
            svars, (s_sig, x_sig) = sigma_lp(S, on, Rsup)
            alive &= s_sig > _POSITIVE
        idx = np.flatnonzero(alive)
        if len(idx):
            rvars = [(m, r) for m in range(M) for r in Rsup[m]]
            col = {v: j for j, v in enumerate(rvars)}
            nb = len(idx)
            groups = [[col[(m, r)] for r in Rsup[m]] for m in range(M)]
            eqs, ubs = [], []

            def U(t, m):
                a = np.zeros((nb, len(rvars)))
                for r in Rsup[m]:
                    a[:, col[(m, r)]] = uS0[idx, t, m, r]
                return a
            for t in range(T):
                m0 = S[t][0]
                for m in S[t][1:]:
                    eqs.append(U(t, m) - U(t, m0))
                for mp in range(M):
                    if mp not in S[t]:
                        ubs.append(U(t, mp) - U(t, m0))
            s_rho, x_rho = _solve(groups, eqs, ubs, len(rvars), idx)
            keep = s_rho > _POSITIVE
            idx, x_rho = idx[keep], x_rho[keep]
        if len(idx):
            sig = np.zeros((len(idx), T, M))
            for j, (t, m) in enumerate(svars):
                sig[:, t, m] = x_sig[idx, j]
            sig = np.clip(sig, 0, None)
            sig /= sig.sum(2, keepdims=True)
            rho = np.zeros((len(idx), M, R))
            for j, (m, r) in enumerate(rvars):
                rho[:, m, r] = x_rho[:, j]
            rho = np.clip(rho, 0, None)
            rho /= rho.sum(2, keepdims=True)
            joint = pi[idx][:, :, None] * sig                       # (b, T, M)
            mu = np.zeros((len(idx), M, T))
            for m in range(M):
                if m in on:
                    mu[:, m] = joint[:, :, m] / joint[:, :, m].sum(1, keepdims=True)
                else:
                    mu[:, m] = mu_off[m][idx] / mu_off[m][idx].sum(1, keepdims=True)
            reg = _regret(uS[idx], uR[idx], sig, rho, mu)
            good = certified(uS[idx], uR[idx], sig, rho, mu, tol)
            rejected[idx[~good]] += 1
            g = idx[good]
            found[g, k] = True
            sender[g, k], receiver[g, k], beliefs[g, k], regret[g, k] = sig[good], rho[good], mu[good], reg[good]
            jg = joint[good][..., None] * rho[good][:, None]                       # (b, T, M, R)
            payoffs[g, k, 0] = (jg * uS[g]).sum((1, 2, 3))
            payoffs[g, k, 1] = (jg * uR[g]).sum((1, 2, 3))
            kind[g, k] = _classify(S, T, sig[good])
        report.update(k + 1)
    report.close()
    complete = (rejected == 0) & found.any(1)
    notes = ("every support pattern checked at every point; each entry is one family (a representative point)",)
    if not complete.all():
        notes += (f"{int((~complete).sum())} point(s) incomplete: no equilibrium found or a candidate failed its "
                  f"certificate (a probability too small to resolve)",)
    return SignallingPBEBatch(found=found, patterns=tuple(patterns), sender=sender, receiver=receiver,
                              beliefs=beliefs, kind=kind, pattern_regret=regret, pattern_payoffs=payoffs,
                              complete_points=complete, prior=pi.copy(), types=game.types, messages=game.messages,
                              responses=game.responses, notes=notes)


def _solve(groups, eqs, ubs, n, idx):
    """Smallest coordinate of a relative-interior point and the point, over the points *idx*.

    The polytope is ``{x >= 0 : x sums to 1 on each group, eqs (a x = 0), ubs (a x <= 0)}``; rows
    are given for the points *idx* or for all points.  The last coordinate of each group is
    eliminated (``x_last = 1 - sum of the others``), so the vertex enumeration runs over the free
    coordinates only.  The smallest coordinate is ``-inf`` where the polytope is empty.
    """
    nb = len(idx)

    def pick(a):
        return a if a.shape[0] == nb else a[idx]
    free = [j for g in groups for j in g[:-1]]
    x0 = np.zeros(n)
    N = np.zeros((n, len(free)))
    for g in groups:
        x0[g[-1]] = 1.0
        for j in g[:-1]:
            c = free.index(j)
            N[j, c], N[g[-1], c] = 1.0, -1.0
    A_eq = np.stack([pick(a) for a in eqs], axis=1) if eqs else np.zeros((nb, 0, n))
    A_ub = np.stack([pick(a) for a in ubs], axis=1) if ubs else np.zeros((nb, 0, n))
    lasts = np.array([g[-1] for g in groups if len(g) > 1], np.int64)
    # in the free coordinates y: A (x0 + N y) = 0 / <= 0, and x_last = 1 - sum >= 0
    E, f = A_eq @ N, -(A_eq @ x0)
    G = np.concatenate([A_ub @ N, np.broadcast_to(-N[lasts], (nb, len(lasts), len(free)))], axis=1)
    h = np.concatenate([-(A_ub @ x0), np.broadcast_to(x0[lasts], (nb, len(lasts)))], axis=1)
    if free:
        ok, y = interior_point(E, f, G, h)
        x = x0 + np.einsum("nf,bf->bn", N, y)
    else:                                          # every group a singleton: the point is fixed
        scale_e = np.abs(A_eq).max(2, initial=0)
        scale_u = np.abs(A_ub).max(2, initial=0)
        ok = (np.all(np.abs(f) <= 1e-12 * np.maximum(scale_e, 1e-300), axis=1)
              & np.all(-h[:, :A_ub.shape[1]] <= 1e-12 * scale_u, axis=1))
        x = np.where(ok[:, None], x0[None], np.nan)
    return np.where(ok, np.nan_to_num(x, nan=-np.inf).min(1), -np.inf), x


def _regret(uS, uR, sigma, rho, mu):
    """Largest gain from deviating, per point: any type given rho, the receiver at any message given mu."""
    U = np.einsum("btmr,bmr->btm", uS, rho)
    s_reg = (U.max(2) - (sigma * U).sum(2)).max(1)
    W = np.einsum("btmr,bmt->bmr", uR, mu)
    r_reg = (W.max(2) - (rho * W).sum(2)).max(1)
    return np.maximum(np.maximum(s_reg, r_reg), 0.0)


def certified(uS, uR, sigma, rho, mu, tol):
    """Per point: the certificate (:mod:`deterrence.solve.tolerance`), scale- and shift-free.

    Each sender type's gain given ``rho`` is tolerated up to ``tol`` times the spread of that type's
    payoffs, the receiver's gain at each message given ``mu`` up to ``tol`` times the spread of her
    payoffs after that message, each plus the rounding allowance at the payoffs' magnitude.
    """
    U = np.einsum("btmr,bmr->btm", uS, rho)
    s_reg = U.max(2) - (sigma * U).sum(2)                                          # (b, T)
    W = np.einsum("btmr,bmt->bmr", uR, mu)
    r_reg = W.max(2) - (rho * W).sum(2)                                            # (b, M)
    s_lim = tol * (uS.max((2, 3)) - uS.min((2, 3))) + rounding_allowance(np.abs(uS).max((2, 3)), tol)
    r_lim = tol * (uR.max((1, 3)) - uR.min((1, 3))) + rounding_allowance(np.abs(uR).max((1, 3)), tol)
    return np.all(s_reg <= s_lim, axis=1) & np.all(r_reg <= r_lim, axis=1)


def _classify(S, T, sigma):
    """Kind index per point (see :data:`KINDS`), the same rule as the one-game solver."""
    n = len(sigma)
    if T == 1:
        return np.zeros(n, np.int64)
    sets = [set(s) for s in S]
    if all(not (sets[i] & sets[j]) for i in range(T) for j in range(i + 1, T)):
        return np.full(n, 1)
    pooled = np.all(np.abs(sigma - sigma[:, :1]) <= 1e-7, axis=(1, 2))
    other = 3 if all(len(s) == 1 for s in S) else 2
    return np.where(pooled, 0, other)
