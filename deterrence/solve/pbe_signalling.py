"""Perfect Bayesian equilibria of signalling games, by support pattern.

For every *support pattern* (the messages each type sends, the responses
the receiver uses after each message) the equilibrium conditions separate:
the receiver's optimality at on-path messages is linear in the sender's
strategy ``sigma`` (beliefs ``mu_m(t) ∝ prior(t) sigma_t(m)``, so
multiplying by the positive denominator removes it), the sender's
optimality is linear in the receiver's strategy ``rho``, and an off-path
message needs some belief in the simplex under which the used responses
are optimal (a linear feasibility problem in ``mu``).  Three small
polytopes per pattern decide feasibility: whether the sender's and the
receiver's polytopes hold a point strictly positive on the supports is
decided exactly by enumerating their vertices
(:func:`~.pbe_vertex.interior_point`, which resolves probabilities down to
about 1e-12, e.g. a hybrid equilibrium at a prior of 1e-8), or, for
systems too large for that, by an LP maximising the smallest support
probability (HiGHS, resolving about 1e-7).  Each nonempty pattern is one family of
equilibria (a product of polytopes), reported by a representative point,
the range of every probability over the family (``continuum`` when it is
not a point) and the supporting off-path beliefs.  Equilibria are
classified as pooling, separating, hybrid (semi-separating) or partially
pooling (Banks 1991; Fudenberg & Tirole 1991, §8.2).

References
----------
J. S. Banks (1991), *Signaling Games in Political Science*, Harwood.
D. Fudenberg & J. Tirole (1991), *Game Theory*, MIT Press, ch. 8.
"""

from __future__ import annotations

from itertools import combinations, product

import numpy as np
from scipy import optimize

from ..errors import CertificateError, SolverError
from ..games.signalling import SignallingGame
from .pbe_beliefs import POSITIVE, belief_set
from .progress import Progress
from .pbe_vertex import MAX_COMBINATIONS, interior_point, n_combinations, vertex_hull
from .pbe_results import SignallingEquilibrium, SignallingPBE
from .pbe_signalling_batch import certified as _certified_batch
from .results import DEFAULT_TOL, ResultBatch

__all__ = ["signalling_pbe"]

VERTEX_POSITIVE = 1e-12  # a support probability at an exact interior point above this is positive


def _nonempty_subsets(n):
    return [c for k in range(1, n + 1) for c in combinations(range(n), k)]


def _support_point(nv, eqs, ubs, fixed=None, positive=VERTEX_POSITIVE):
    """A point of ``{x >= 0 : eqs (a x = b), ubs (a x <= 0)}`` positive on every coordinate, if any.

    Returns ``(True, x)`` or ``(False, None)``.  Small systems (the usual
    case) are decided exactly by their vertices
    (:func:`~.pbe_vertex.interior_point`: the centroid of the vertices is a
    relative-interior point), which resolves probabilities down to about
    1e-12 (a hybrid equilibrium at a prior of 1e-8); larger ones by the
    LP ``max s, x_j >= s`` (HiGHS), which resolves about 1e-7.
    """
    if fixed is not None:           # every support a singleton: the point is fixed, just check it
        # tolerances relative to each row: a row scaled by a prior of 1e-9 is still decided
        ok = (all(abs(a @ fixed - b) <= 1e-12 * max(np.abs(a).max(initial=0), abs(b)) for a, b in eqs)
              and all(a @ fixed <= 1e-12 * np.abs(a).max(initial=0) for a in ubs))
        return (True, fixed) if ok else (False, None)
    if n_combinations(nv, len(eqs), len(ubs)) <= MAX_COMBINATIONS:
        A_eq = np.array([a for a, _ in eqs], float).reshape(1, len(eqs), nv)
        b_eq = np.array([b for _, b in eqs], float).reshape(1, len(eqs))
        A_ub = np.array(ubs, float).reshape(1, len(ubs), nv)
        ok, x = interior_point(A_eq, b_eq, A_ub, np.zeros((1, len(ubs))))
        if ok[0] and x[0].min() > positive:
            return True, x[0]
        return False, None
    c = np.zeros(nv + 1)
    c[-1] = -1.0
    A_ub, b_ub = [], []
    for row in ubs:
        A_ub.append(np.append(row, 0.0))
        b_ub.append(0.0)
    for j in range(nv):
        r = np.zeros(nv + 1)
        r[j], r[-1] = -1.0, 1.0
        A_ub.append(r)
        b_ub.append(0.0)
    A_eq = np.array([np.append(a, 0.0) for a, _ in eqs]) if eqs else None
    b_eq = np.array([b for _, b in eqs]) if eqs else None
    res = optimize.linprog(c, A_ub=np.array(A_ub) if A_ub else None, b_ub=np.array(b_ub) if b_ub else None,
                           A_eq=A_eq, b_eq=b_eq, bounds=[(0, 1)] * (nv + 1), method="highs")
    if res.status != 0 or res.x[-1] <= POSITIVE:
        return False, None
    return True, res.x[:nv]


def _ranges(nv, eqs, ubs, tol_ub, fixed=()):
    """Range of every variable over {A_eq x = b, A_ub x <= tol, 0 <= x <= 1}.

    Small systems: exactly, over the vertices (:func:`~.pbe_vertex.vertex_hull`); larger ones by two
    linear programs per variable.
    """
    if n_combinations(nv, len(eqs), len(ubs)) <= MAX_COMBINATIONS:
        A_eq = np.array([a for a, _ in eqs], float).reshape(1, len(eqs), nv)
        b_eq = np.array([b for _, b in eqs], float).reshape(1, len(eqs))
        A_ub = np.array(ubs, float).reshape(1, len(ubs), nv)
        ok, _, lo, hi = vertex_hull(A_eq, b_eq, A_ub, np.zeros((1, len(ubs))))     # exact: no slack needed
        if ok[0]:
            out = np.stack([np.clip(lo[0], 0, 1), np.clip(hi[0], 0, 1)], axis=1)
            out[list(fixed)] = (1.0, 1.0)
            return out
    A_eq = np.array([a for a, _ in eqs]) if eqs else None
    b_eq = np.array([b for _, b in eqs]) if eqs else None
    A_ub = np.array(ubs) if ubs else None
    b_ub = np.full(len(ubs), tol_ub) if ubs else None
    out = np.zeros((nv, 2))
    for j in range(nv):
        if j in fixed:
            out[j] = (1.0, 1.0)
            continue
        for k, sign in enumerate((1.0, -1.0)):
            c = np.zeros(nv)
            c[j] = sign
            r = optimize.linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=[(0, 1)] * nv,
                                 method="highs")
            out[j, k] = r.x[j] if r.status == 0 else np.nan
    return out


def signalling_pbe(game: SignallingGame, *, tol: float = DEFAULT_TOL, max_patterns: int = 200_000, progress=None):
    """Every perfect Bayesian equilibrium of a signalling game, by support pattern.

    Parameters
    ----------
    game : SignallingGame
        One game, or a batch (solved game by game: a :class:`~deterrence.solve.results.ResultBatch`
        of one :class:`SignallingPBE` per game).
    tol : float
        Certificate tolerance, relative to the payoff differences at stake at each information set
        (:mod:`deterrence.solve.tolerance`: the same equilibria in any unit and at any level).
    max_patterns : int
        Refuse games with more support patterns than this
        (``(2^M - 1)^T (2^R - 1)^M``), at once, naming the count.
    progress : None, bool or callable
        Progress over the support patterns (:mod:`.progress`: by default a
        line on stderr once the search has run for two seconds).

    Returns
    -------
    SignallingPBE
        One :class:`SignallingEquilibrium` per support pattern that admits
        equilibria, each with its off-path belief sets; ``complete=True``.

    Notes
    -----
    Weak inequalities are used throughout (a type may be indifferent to a
    message it does not send); patterns require strictly positive
    probabilities on their supports, so each equilibrium belongs to exactly
    one pattern.  A family's representative point is a relative-interior
    point (the centroid of the vertices of the sender's and the receiver's
    polytopes; for systems too large for vertex enumeration, the point
    maximising the smallest support probability).  A batch of games is
    solved all at once by :func:`~.pbe_signalling_batch.signalling_pbe_batch`
    (arrays, for sweeps).
    """
    if not isinstance(game, SignallingGame):
        raise SolverError(f"signalling_pbe needs a SignallingGame, got {type(game).__name__}")
    if game.batched:
        return ResultBatch((signalling_pbe(game[b], tol=tol, max_patterns=max_patterns, progress=progress)
                            for b in range(game.batch_size)),
                           method="support patterns + LP")
    T, M, R = game.shape
    n_pat = (2 ** M - 1) ** T * (2 ** R - 1) ** M
    if n_pat > max_patterns:
        raise SolverError(f"signalling game with {T} types, {M} messages, {R} responses has {n_pat:,} support "
                          f"patterns (> max_patterns={max_patterns:,}); raise max_patterns, or use agent_qre_path "
                          f"on game.to_tree() for its logit equilibria (approximate, any size)")
    pi = game.prior[0]
    uS, uR = game.sender_payoffs[0], game.receiver_payoffs[0]
    # rows of the linear systems in units of each player's payoff spread (not max(1, max|payoff|)): any unit
    scale_S, scale_R = (float(u.max() - u.min()) or 1.0 for u in (uS, uR))
    uS0 = uS - uS.min(axis=(1, 2), keepdims=True)    # rows of differences, not of levels: any shift
    # a support probability counts as positive above VERTEX_POSITIVE, or above the rounding the payoffs' magnitude
    # leaves in their differences (a large shift: differences known to eps * max|u| / spread only)
    positive = max(VERTEX_POSITIVE, 64 * np.finfo(float).eps * max(np.abs(uS).max() / scale_S,
                                                                    np.abs(uR).max() / scale_R))
    rsubs = _nonempty_subsets(R)
    msubs = _nonempty_subsets(M)

    # off-path belief sets, per (message, response support)
    off_cache = {}

    def off_set(m, Rm):
        key = (m, Rm)
        if key not in off_cache:
            r0 = Rm[0]
            ub = [uR[:, m, rp] - uR[:, m, r] for r in Rm for rp in range(R) if rp not in Rm]
            eq = [uR[:, m, r] - uR[:, m, r0] for r in Rm[1:]]
            off_cache[key] = belief_set(np.array(ub).reshape(-1, T), np.array(eq).reshape(-1, T),
                                         game.messages[m], game.receiver, game.types, with_bounds=False)
        return off_cache[key]

    found = []
    done, report = 0, Progress(progress, n_pat, "signalling_pbe: support patterns")
    for S in product(msubs, repeat=T):
        on = sorted(set().union(*S))
        off = [m for m in range(M) if m not in on]
        # sigma variables: (t, m) for m in S_t
        svars = [(t, m) for t in range(T) for m in S[t]]
        sidx = {v: k for k, v in enumerate(svars)}
        s_eqs = []
        for t in range(T):
            a = np.zeros(len(svars))
            for m in S[t]:
                a[sidx[(t, m)]] = 1.0
            s_eqs.append((a, 1.0))
        sigma_cache = {}
        for Rsup in product(rsubs, repeat=M):
            done += 1
            if callable(progress) or (done & 255) == 0:
                report.update(done)
            # 1. off-path beliefs
            belief_sets = {}
            ok = True
            for m in off:
                bs = off_set(m, Rsup[m])
                if bs is None:
                    ok = False
                    break
                belief_sets[m] = bs
            if not ok:
                continue
            # 2. sigma: receiver optimality at on-path messages (linear in sigma)
            key = tuple(Rsup[m] for m in on)
            if key not in sigma_cache:
                ubs, eqs = [], list(s_eqs)
                for m in on:
                    Rm = Rsup[m]
                    senders = [t for t in range(T) if m in S[t]]

                    def row(diff):
                        a = np.zeros(len(svars))
                        for t in senders:
                            a[sidx[(t, m)]] = pi[t] * diff[t]
                        return a
                    for r in Rm:
                        for rp in range(R):
                            if rp not in Rm:
                                ubs.append(row(uR[:, m, rp] - uR[:, m, r]) / scale_R)
                    for r in Rm[1:]:
                        eqs.append((row(uR[:, m, r] - uR[:, m, Rm[0]]) / scale_R, 0.0))
                s_star, x = _support_point(len(svars), eqs, ubs,
                                            fixed=np.ones(len(svars)) if len(svars) == T else None,
                                            positive=positive)
                sigma_cache[key] = (s_star, x, eqs, ubs)
            s_star, xs, s_eq_all, s_ub_all = sigma_cache[key]
            if not s_star:
                continue
            # 3. rho: sender optimality (linear in rho)
            rvars = [(m, r) for m in range(M) for r in Rsup[m]]
            ridx = {v: k for k, v in enumerate(rvars)}
            r_eqs, r_ubs = [], []
            for m in range(M):
                a = np.zeros(len(rvars))
                for r in Rsup[m]:
                    a[ridx[(m, r)]] = 1.0
                r_eqs.append((a, 1.0))

            def U(t, m):
                a = np.zeros(len(rvars))
                for r in Rsup[m]:
                    a[ridx[(m, r)]] = uS0[t, m, r]
                return a
            for t in range(T):
                m0 = S[t][0]
                for m in S[t][1:]:
                    r_eqs.append(((U(t, m) - U(t, m0)) / scale_S, 0.0))
                for mp in range(M):
                    if mp not in S[t]:
                        r_ubs.append((U(t, mp) - U(t, m0)) / scale_S)
            r_star, xr = _support_point(len(rvars), r_eqs, r_ubs,
                                        fixed=np.ones(len(rvars)) if len(rvars) == M else None,
                                        positive=positive)
            if not r_star:
                continue
            for m in off:      # the full description (bounds) only for sets that support an equilibrium
                if (m, Rsup[m], "full") not in off_cache:
                    bs = belief_sets[m]
                    off_cache[(m, Rsup[m], "full")] = belief_set(bs.A_ub, bs.A_eq, bs.infoset, bs.player, bs.states)
                belief_sets[m] = off_cache[(m, Rsup[m], "full")]
            found.append(_make_signalling_eq(game, S, Rsup, on, svars, xs, s_eq_all, s_ub_all,
                                             rvars, xr, r_eqs, r_ubs, belief_sets, tol))
    report.close()
    return SignallingPBE(equilibria=tuple(found), complete=bool(found), game=game)


def _classify(sigma, S, T):
    if T == 1:
        return "pooling"
    sets = [set(s) for s in S]
    if all(not (sets[i] & sets[j]) for i in range(T) for j in range(i + 1, T)):
        return "separating"
    if np.allclose(sigma, sigma[0], atol=1e-7):
        return "pooling"
    if all(len(s) == 1 for s in S):
        return "partially pooling"
    return "hybrid"


def _make_signalling_eq(game, S, Rsup, on, svars, xs, s_eqs, s_ubs, rvars, xr, r_eqs, r_ubs, belief_sets, tol):
    T, M, R = game.shape
    pi, uS, uR = game.prior[0], game.sender_payoffs[0], game.receiver_payoffs[0]
    sigma = np.zeros((T, M))
    for (t, m), v in zip(svars, xs):
        sigma[t, m] = v
    sigma = np.clip(sigma, 0, None)
    sigma /= sigma.sum(1, keepdims=True)
    rho = np.zeros((M, R))
    for (m, r), v in zip(rvars, xr):
        rho[m, r] = v
    rho = np.clip(rho, 0, None)
    rho /= rho.sum(1, keepdims=True)
    # beliefs: Bayes on path, representative off path
    mu = np.zeros((M, T))
    joint = pi[:, None] * sigma
    for m in range(M):
        if m in on:
            mu[m] = joint[:, m] / joint[:, m].sum()
        else:
            mu[m] = belief_sets[m].representative
    reg = _signalling_regret(uS, uR, sigma, rho, mu)
    if not _certified(uS, uR, sigma, rho, mu, tol):
        raise CertificateError(f"internal check failed: signalling PBE candidate has regret {reg:.3e}")
    for m, bs in belief_sets.items():
        if not bs.contains(mu[m], 1e-7):
            raise CertificateError(f"internal check failed: off-path belief at {game.messages[m]!r} not in its set")
    srange = np.zeros((T, M, 2))
    rng = _ranges(len(svars), s_eqs, s_ubs, 1e-12, _singletons(svars))
    for (t, m), (lo, hi) in zip(svars, rng):
        srange[t, m] = (lo, hi)
    rrange = np.zeros((M, R, 2))
    rng2 = _ranges(len(rvars), r_eqs, r_ubs, 1e-12, _singletons(rvars))
    for (m, r), (lo, hi) in zip(rvars, rng2):
        rrange[m, r] = (lo, hi)
    width = max(float(np.nanmax(srange[..., 1] - srange[..., 0])), float(np.nanmax(rrange[..., 1] - rrange[..., 0])))
    U = np.einsum("tmr,mr->tm", uS, rho)
    W = np.einsum("tmr,mr->tm", uR, rho)
    return SignallingEquilibrium(
        sender=sigma, receiver=rho, beliefs=mu, on_path=tuple(m in on for m in range(M)),
        off_path_beliefs={game.messages[m]: bs for m, bs in belief_sets.items()},
        kind=_classify(sigma, S, T),
        type_supports=tuple(tuple(game.messages[m] for m in s) for s in S),
        response_supports=tuple(tuple(game.responses[r] for r in rs) for rs in Rsup),
        continuum=bool(width > 1e-7), sender_range=srange, receiver_range=rrange,
        sender_payoffs=(sigma * U).sum(1), receiver_payoff=float((joint * W).sum()), regret=float(reg),
        types=game.types, messages=game.messages, responses=game.responses, prior=pi.copy())


def _singletons(vars_):
    """Indices of variables that are alone in their group (probability fixed at 1)."""
    groups = {}
    for k, (g, _) in enumerate(vars_):
        groups.setdefault(g, []).append(k)
    return {ks[0] for ks in groups.values() if len(ks) == 1}


def _certified(uS, uR, sigma, rho, mu, tol) -> bool:
    """The certificate of one game (:func:`~.pbe_signalling_batch.certified`): scale- and shift-free."""
    return bool(_certified_batch(uS[None], uR[None], sigma[None], rho[None], mu[None], tol)[0])


def _signalling_regret(uS, uR, sigma, rho, mu) -> float:
    """Largest gain from deviating: any type given rho, the receiver at any message given mu."""
    U = np.einsum("tmr,mr->tm", uS, rho)
    s_reg = (U.max(1) - (sigma * U).sum(1)).max()
    W = np.einsum("tmr,mt->mr", uR, mu)
    r_reg = (W.max(1) - (rho * W).sum(1)).max()
    return float(max(s_reg, r_reg, 0.0))
