"""Perfect Bayesian equilibrium of games of incomplete information.

An *assessment* is a behaviour profile together with beliefs (a
probability over the nodes of each information set).  It is a (weak)
perfect Bayesian equilibrium when every player's action at every
information set is optimal given her beliefs there and the continuation
play (sequential rationality), and beliefs follow from the profile by
Bayes' rule at every information set reached with positive probability;
off the path beliefs are free (Mas-Colell, Whinston & Green 1995, Def.
9.C.3; Fudenberg & Tirole 1991, ch. 8).  Each equilibrium here reports the
*set* of off-path beliefs that support it.

Two solvers:

* :func:`signalling_pbe` -- complete for signalling games
  (:class:`~deterrence.games.SignallingGame`).  For every *support
  pattern* (the messages each type sends, the responses the receiver uses
  after each message) the equilibrium conditions separate: the receiver's
  optimality at on-path messages is linear in the sender's strategy
  ``sigma`` (beliefs ``mu_m(t) ∝ prior(t) sigma_t(m)``, so multiplying by
  the positive denominator removes it), the sender's optimality is linear
  in the receiver's strategy ``rho``, and an off-path message needs some
  belief in the simplex under which the used responses are optimal (a
  linear feasibility problem in ``mu``).  Three linear programs per pattern
  (HiGHS via ``scipy.optimize.linprog``), with a slack ``s`` maximised so
  that strategies are strictly positive on their supports, decide
  feasibility; each nonempty pattern is one family of equilibria (a
  product of polytopes), reported by a representative point, the range of
  every probability over the family (``continuum`` when it is not a point)
  and the supporting off-path beliefs.  Equilibria are classified as
  pooling, separating, hybrid (semi-separating) or partially pooling
  (Banks 1991; Fudenberg & Tirole 1991, §8.2).
* :func:`perfect_bayesian` -- any small tree with perfect recall.  Signalling
  trees are routed to :func:`signalling_pbe`.  Otherwise every *pure*
  behaviour profile is checked (complete for pure equilibria).  Sequential
  rationality at an information set ``h`` of player ``i`` means that ``i``'s
  *whole continuation strategy* from ``h`` is optimal given the belief
  ``mu_h`` and the others' strategies, the distribution over later nodes
  being generated from ``mu_h`` and the profile (Mas-Colell, Whinston &
  Green 1995, Def. 9.C.1-9.C.3).  When ``i`` moves again below ``h`` this is
  stronger than the one-shot deviation test: in a *weak* PBE the beliefs at
  ``i``'s later, unreached information sets are free, so a profile can pass
  every one-shot test and still not be a Nash equilibrium (the one-shot
  deviation principle needs consistent beliefs; Hendon, Jacobsen & Sloth
  1996).  The check therefore compares ``sum_x mu_h(x) V_i(x; sigma)`` with
  every reduced continuation plan of ``i`` from ``h`` (pure plans suffice:
  the value is linear in ``i``'s continuation).  Each condition involves the
  belief at one information set only, so the supporting off-path beliefs are
  exactly a product of per-information-set polytopes ``{mu : sum_x mu(x)
  (V_i(x; plan) - V_i(x; sigma)) <= 0 for every plan}`` (LPs).  One-shot
  tests (cheap, necessary) filter the candidates first.  Mixed equilibria
  are sought by following the agent logit QRE to high precision (its limits
  are sequential equilibria; McKelvey & Palfrey 1998) and solving the
  indifference conditions on the support it selects by Newton's method;
  this finds at most one mixed equilibrium, so ``complete`` is then False.

Every returned equilibrium is certified: the largest gain from switching to
any continuation plan at any information set given the beliefs there (the
sequential regret), the one-shot gains, Bayes' rule on the path, and the
Nash regret of the tree (:func:`~deterrence.games.profiles.tree_regret`)
are below the tolerance.  A candidate failing the certificate is rejected,
never reported by an exception.

References
----------
A. Mas-Colell, M. Whinston & J. Green (1995), *Microeconomic Theory*, OUP, §9.C.
E. Hendon, H. J. Jacobsen & B. Sloth (1996), "The one-shot-deviation principle for
sequential rationality", *Games and Economic Behavior* 12: 274-282.
D. Fudenberg & J. Tirole (1991), *Game Theory*, MIT Press, ch. 8.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations, product

import numpy as np
from scipy import optimize

from ..errors import SolverError
from ..games.profiles import BehaviourProfile, tree_regret
from ..games.signalling import SignallingGame, _match
from ..games.tree import DECISION, GameTree
from .agent_qre import _Kernel, agent_qre_path
from .results import DEFAULT_TOL

__all__ = ["BeliefSet", "SignallingEquilibrium", "SignallingPBE", "PerfectBayesianEquilibrium", "PBEResult",
           "signalling_pbe", "perfect_bayesian"]

_POS = 1e-7  # a probability counts as positive above this (LP slack threshold)


# ---------------------------------------------------------------------- belief sets
@dataclass(frozen=True, eq=False)
class BeliefSet:
    """A polytope of beliefs at an information set: ``{mu in simplex : A_ub mu <= b_ub, A_eq mu = b_eq}``.

    Attributes
    ----------
    infoset : str
        The information set (for a signalling game, the message).
    player : str
    states : tuple of str
        What the belief is over: sender types, or node ids.
    A_ub, b_ub, A_eq, b_eq : ndarray
        The linear conditions (besides ``mu >= 0, sum mu = 1``).
    bounds : dict
        ``{state: (lo, hi)}``, the range of ``mu(state)`` over the set (for
        two states this describes the set exactly).
    representative : ndarray
        One belief in the set (used for the certificate).
    """

    infoset: str
    player: str
    states: tuple
    A_ub: np.ndarray
    b_ub: np.ndarray
    A_eq: np.ndarray
    b_eq: np.ndarray
    bounds: dict
    representative: np.ndarray

    def contains(self, mu, tol: float = 1e-9) -> bool:
        mu = np.asarray(mu, float)
        if mu.shape != (len(self.states),) or np.any(mu < -tol) or abs(mu.sum() - 1) > tol:
            return False
        ok = np.all(self.A_ub @ mu <= self.b_ub + tol) if self.A_ub.size else True
        return bool(ok and (np.all(np.abs(self.A_eq @ mu - self.b_eq) <= tol) if self.A_eq.size else True))

    def describe(self) -> str:
        """E.g. ``"mu(weak | quiche) >= 1/2"``."""
        parts = []
        states = self.states if len(self.states) > 2 else self.states[-1:]
        for s in states:
            lo, hi = self.bounds[s]
            name = f"mu({s} | {self.infoset})"
            if hi - lo < 1e-9:
                parts.append(f"{name} = {_nice(lo)}")
            elif lo <= 1e-9 and hi >= 1 - 1e-9:
                continue
            elif lo <= 1e-9:
                parts.append(f"{name} <= {_nice(hi)}")
            elif hi >= 1 - 1e-9:
                parts.append(f"{name} >= {_nice(lo)}")
            else:
                parts.append(f"{_nice(lo)} <= {name} <= {_nice(hi)}")
        return ", ".join(parts) if parts else f"any belief at {self.infoset}"


def _nice(x: float) -> str:
    f = Fraction(float(x)).limit_denominator(1000)
    return str(f) if abs(float(f) - x) < 1e-9 else f"{x:.6g}"


def _belief_set(D_ub, D_eq, infoset, player, states, with_bounds: bool = True) -> BeliefSet | None:
    """Beliefs ``mu`` in the simplex with ``D_ub mu <= 0`` and ``D_eq mu = 0``; None if empty."""
    k = len(states)
    D_ub = np.asarray(D_ub, float).reshape(-1, k)
    D_eq = np.asarray(D_eq, float).reshape(-1, k)
    scale = max(1.0, float(np.abs(D_ub).max(initial=0)), float(np.abs(D_eq).max(initial=0)))
    tol = 1e-9 * scale
    A_eq = np.vstack([D_eq, np.ones((1, k))])
    b_eq = np.concatenate([np.zeros(len(D_eq)), [1.0]])
    # representative: maximise the slack of the inequalities (an interior point when there is one)
    c = np.zeros(k + 1)
    c[-1] = -1.0
    A = np.hstack([D_ub, np.ones((len(D_ub), 1))]) if len(D_ub) else None
    res = optimize.linprog(c, A_ub=A, b_ub=np.full(len(D_ub), tol) if len(D_ub) else None,
                           A_eq=np.hstack([A_eq, np.zeros((len(A_eq), 1))]), b_eq=b_eq,
                           bounds=[(0, None)] * k + [(0, 1)], method="highs")
    if res.status != 0:
        return None
    rep = np.clip(res.x[:k], 0, None)
    rep = rep / rep.sum()
    bounds = {}
    for j, s in enumerate(states if with_bounds else ()):
        lo_hi = []
        for sign in (1.0, -1.0):
            cc = np.zeros(k)
            cc[j] = sign
            r = optimize.linprog(cc, A_ub=D_ub if len(D_ub) else None, b_ub=np.full(len(D_ub), tol) if len(D_ub) else None,
                                 A_eq=A_eq, b_eq=b_eq, bounds=[(0, None)] * k, method="highs")
            lo_hi.append(float(np.clip(r.x[j], 0, 1)) if r.status == 0 else float(rep[j]))
        bounds[s] = (lo_hi[0], lo_hi[1])
    return BeliefSet(infoset=infoset, player=player, states=tuple(states), A_ub=D_ub, b_ub=np.zeros(len(D_ub)),
                     A_eq=D_eq, b_eq=np.zeros(len(D_eq)), bounds=bounds, representative=rep)


# ---------------------------------------------------------------------- signalling: results
@dataclass(frozen=True, eq=False)
class SignallingEquilibrium:
    """A perfect Bayesian equilibrium (family) of a signalling game.

    Attributes
    ----------
    sender : ndarray, shape (T, M)
        ``sigma[t, m]``: probability that type ``t`` sends ``m`` (a representative point of the family).
    receiver : ndarray, shape (M, R)
        ``rho[m, r]``: probability of response ``r`` after ``m``.
    beliefs : ndarray, shape (M, T)
        Bayes beliefs at on-path messages; the representative belief off the path.
    on_path : tuple of bool
        Whether each message is sent with positive probability.
    off_path_beliefs : dict
        ``{message: BeliefSet}``: every belief supporting the equilibrium at that message.
    kind : str
        ``"pooling"``, ``"separating"``, ``"hybrid"`` (semi-separating) or ``"partially pooling"``.
    type_supports, response_supports : tuple of tuple of str
        The support pattern.
    continuum : bool
        True when the pattern holds a continuum of strategy profiles;
        ``sender_range`` / ``receiver_range`` give each probability's range
        ``[..., 0] = lo, [..., 1] = hi`` over the family's closure.
    sender_payoffs : ndarray, shape (T,)
        Expected payoff of each type.
    receiver_payoff : float
    regret : float
        Largest gain from deviating at any information set given the beliefs.
    """

    sender: np.ndarray
    receiver: np.ndarray
    beliefs: np.ndarray
    on_path: tuple
    off_path_beliefs: dict
    kind: str
    type_supports: tuple
    response_supports: tuple
    continuum: bool
    sender_range: np.ndarray = field(repr=False)
    receiver_range: np.ndarray = field(repr=False)
    sender_payoffs: np.ndarray = None
    receiver_payoff: float = 0.0
    regret: float = 0.0
    types: tuple = ()
    messages: tuple = ()
    responses: tuple = ()

    @property
    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.type_supports) and all(
            len(r) == 1 for r, on in zip(self.response_supports, self.on_path)) and \
            all(len(r) == 1 for r in self.response_supports)

    def strategy(self) -> dict:
        """``{"sender": {type: {message: p}}, "receiver": {message: {response: p}}}``."""
        return {"sender": {t: {m: float(p) for m, p in zip(self.messages, row) if p > 0}
                           for t, row in zip(self.types, self.sender)},
                "receiver": {m: {r: float(p) for r, p in zip(self.responses, row) if p > 0}
                             for m, row in zip(self.messages, self.receiver)}}

    def describe(self) -> str:
        s = []
        for t, row in zip(self.types, self.sender):
            s.append(f"{t}: " + ", ".join(f"{m} {_nice(p)}" for m, p in zip(self.messages, row) if p > _POS))
        r = []
        for m, row in zip(self.messages, self.receiver):
            r.append(f"after {m}: " + ", ".join(f"{x} {_nice(p)}" for x, p in zip(self.responses, row) if p > _POS))
        off = [b.describe() for b in self.off_path_beliefs.values()]
        return (f"{self.kind} PBE" + (" (a continuum)" if self.continuum else "") + " | sender " + "; ".join(s)
                + " | receiver " + "; ".join(r) + (" | off path: " + "; ".join(off) if off else ""))

    def __repr__(self):
        return f"SignallingEquilibrium({self.describe()}, regret={self.regret:.1e})"


@dataclass(frozen=True, eq=False)
class SignallingPBE:
    """All PBE families of a signalling game, one per feasible support pattern.

    ``complete`` is True: every PBE has exactly one support pattern and every
    pattern is checked.
    """

    equilibria: tuple
    complete: bool = True
    method: str = "support patterns + LP"
    game: object = field(default=None, repr=False)

    def __len__(self):
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k):
        return self.equilibria[k]

    def of_kind(self, kind: str) -> tuple:
        return tuple(e for e in self.equilibria if e.kind == kind)


# ---------------------------------------------------------------------- signalling: solver
def _nonempty_subsets(n):
    return [c for k in range(1, n + 1) for c in combinations(range(n), k)]


def _lp_max_slack(nv, eqs, ubs, pos_vars, fixed=None):
    """Maximise s subject to eqs (A x = b), ubs (A x <= 0), x >= s on pos_vars, 0 <= x <= 1.

    Returns (s*, x) or (None, None) when infeasible.
    """
    if fixed is not None:           # every support a singleton: the point is fixed, just check it
        ok = all(abs(a @ fixed - b) <= 1e-9 for a, b in eqs) and all(a @ fixed <= 1e-9 for a in ubs)
        return (1.0, fixed) if ok else (None, None)
    c = np.zeros(nv + 1)
    c[-1] = -1.0
    A_ub, b_ub = [], []
    for row in ubs:
        A_ub.append(np.append(row, 0.0))
        b_ub.append(0.0)
    for j in pos_vars:
        r = np.zeros(nv + 1)
        r[j], r[-1] = -1.0, 1.0
        A_ub.append(r)
        b_ub.append(0.0)
    A_eq = np.array([np.append(a, 0.0) for a, _ in eqs]) if eqs else None
    b_eq = np.array([b for _, b in eqs]) if eqs else None
    res = optimize.linprog(c, A_ub=np.array(A_ub) if A_ub else None, b_ub=np.array(b_ub) if b_ub else None,
                           A_eq=A_eq, b_eq=b_eq, bounds=[(0, 1)] * (nv + 1), method="highs")
    if res.status != 0:
        return None, None
    return float(res.x[-1]), res.x[:nv]


def _ranges(nv, eqs, ubs, tol_ub, fixed=()):
    """Range of every variable over {A_eq x = b, A_ub x <= tol, 0 <= x <= 1}."""
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


def signalling_pbe(game: SignallingGame, *, tol: float = DEFAULT_TOL, max_patterns: int = 200_000):
    """Every perfect Bayesian equilibrium of a signalling game, by support pattern.

    Parameters
    ----------
    game : SignallingGame
        One game (for a batch, a tuple of results is returned, one per game).
    tol : float
        Certificate tolerance (scaled by ``max(1, max |payoff|)``).
    max_patterns : int
        Refuse games with more support patterns than this
        (``(2^M - 1)^T (2^R - 1)^M``).

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
    one pattern.  A family's representative point maximises the smallest
    support probability (a relative-interior point).
    """
    if not isinstance(game, SignallingGame):
        raise SolverError(f"signalling_pbe needs a SignallingGame, got {type(game).__name__}")
    if game.batched:
        return tuple(signalling_pbe(game[b], tol=tol, max_patterns=max_patterns) for b in range(game.batch_size))
    T, M, R = game.shape
    n_pat = (2 ** M - 1) ** T * (2 ** R - 1) ** M
    if n_pat > max_patterns:
        raise SolverError(f"signalling game with {T} types, {M} messages, {R} responses has {n_pat} support "
                          f"patterns (> max_patterns={max_patterns})")
    pi = game.prior[0]
    uS, uR = game.sender_payoffs[0], game.receiver_payoffs[0]
    scale = max(1.0, float(np.abs(uS).max()), float(np.abs(uR).max()))
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
            off_cache[key] = _belief_set(np.array(ub).reshape(-1, T), np.array(eq).reshape(-1, T),
                                         game.messages[m], game.receiver, game.types, with_bounds=False)
        return off_cache[key]

    found = []
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
                                ubs.append(row(uR[:, m, rp] - uR[:, m, r]) / scale)
                    for r in Rm[1:]:
                        eqs.append((row(uR[:, m, r] - uR[:, m, Rm[0]]) / scale, 0.0))
                s_star, x = _lp_max_slack(len(svars), eqs, ubs, range(len(svars)),
                                          fixed=np.ones(len(svars)) if len(svars) == T else None)
                sigma_cache[key] = (s_star, x, eqs, ubs)
            s_star, xs, s_eq_all, s_ub_all = sigma_cache[key]
            if s_star is None or s_star <= _POS:
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
                    a[ridx[(m, r)]] = uS[t, m, r]
                return a
            for t in range(T):
                m0 = S[t][0]
                for m in S[t][1:]:
                    r_eqs.append(((U(t, m) - U(t, m0)) / scale, 0.0))
                for mp in range(M):
                    if mp not in S[t]:
                        r_ubs.append((U(t, mp) - U(t, m0)) / scale)
            r_star, xr = _lp_max_slack(len(rvars), r_eqs, r_ubs, range(len(rvars)),
                                       fixed=np.ones(len(rvars)) if len(rvars) == M else None)
            if r_star is None or r_star <= _POS:
                continue
            for m in off:      # the full description (bounds) only for sets that support an equilibrium
                if (m, Rsup[m], "full") not in off_cache:
                    bs = belief_sets[m]
                    off_cache[(m, Rsup[m], "full")] = _belief_set(bs.A_ub, bs.A_eq, bs.infoset, bs.player, bs.states)
                belief_sets[m] = off_cache[(m, Rsup[m], "full")]
            found.append(_make_signalling_eq(game, S, Rsup, on, svars, xs, s_eq_all, s_ub_all,
                                             rvars, xr, r_eqs, r_ubs, belief_sets, tol, scale))
    return SignallingPBE(equilibria=tuple(found), complete=True, game=game)


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


def _make_signalling_eq(game, S, Rsup, on, svars, xs, s_eqs, s_ubs, rvars, xr, r_eqs, r_ubs, belief_sets, tol, scale):
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
    if not reg <= tol * scale:
        raise SolverError(f"internal check failed: signalling PBE candidate has regret {reg:.3e}")
    for m, bs in belief_sets.items():
        if not bs.contains(mu[m], 1e-7):
            raise SolverError(f"internal check failed: off-path belief at {game.messages[m]!r} not in its set")
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
        types=game.types, messages=game.messages, responses=game.responses)


def _singletons(vars_):
    """Indices of variables that are alone in their group (probability fixed at 1)."""
    groups = {}
    for k, (g, _) in enumerate(vars_):
        groups.setdefault(g, []).append(k)
    return {ks[0] for ks in groups.values() if len(ks) == 1}


def _signalling_regret(uS, uR, sigma, rho, mu) -> float:
    """Largest gain from deviating: any type given rho, the receiver at any message given mu."""
    U = np.einsum("tmr,mr->tm", uS, rho)
    s_reg = (U.max(1) - (sigma * U).sum(1)).max()
    W = np.einsum("tmr,mt->mr", uR, mu)
    r_reg = (W.max(1) - (rho * W).sum(1)).max()
    return float(max(s_reg, r_reg, 0.0))


# ---------------------------------------------------------------------- general trees: results
@dataclass(frozen=True, eq=False)
class PerfectBayesianEquilibrium:
    """A perfect Bayesian equilibrium of a game tree.

    Attributes
    ----------
    profile : tuple of ndarray
        Behaviour at each information set (``tree.infosets`` order).
    beliefs : tuple of ndarray
        Beliefs over each information set's nodes: Bayes where reached,
        a supporting belief elsewhere.
    on_path : tuple of bool
        Whether each information set is reached with positive probability.
    belief_sets : dict
        ``{infoset label: BeliefSet}`` for every unreached information set
        with more than one node: all beliefs that support the equilibrium.
    outcome_probs : dict
        ``{outcome label: probability}``.
    payoffs : ndarray, shape (n,)
    regret : float
        Sequential regret: the largest gain, at any information set given the
        beliefs there, from switching to any continuation strategy of its
        mover (this includes the one-shot deviations).
    nash_regret : float
        :func:`~deterrence.games.profiles.tree_regret` of the profile.
    pure : bool
    kind : str
        For signalling trees the signalling classification, else ``"pure"`` / ``"mixed"``.
    infosets, actions : tuple
    signalling : SignallingEquilibrium or None
        The signalling-game form, when the tree was routed there.
    nodes : tuple of tuple of str
        Node ids of each information set (what ``beliefs`` are over).
    """

    profile: tuple
    beliefs: tuple
    on_path: tuple
    belief_sets: dict
    outcome_probs: dict
    payoffs: np.ndarray
    regret: float
    nash_regret: float
    pure: bool
    kind: str
    infosets: tuple
    actions: tuple
    signalling: object = field(default=None, repr=False)
    continuum: bool = False
    nodes: tuple = field(default=(), repr=False)

    def at(self, infoset) -> dict:
        h = self.infosets.index(infoset) if not isinstance(infoset, (int, np.integer)) else int(infoset)
        return {a: float(p) for a, p in zip(self.actions[h], self.profile[h])}

    def choice(self) -> dict:
        """``{infoset: action}`` for a pure equilibrium (most likely action otherwise)."""
        return {lab: acts[int(np.argmax(p))] for lab, acts, p in zip(self.infosets, self.actions, self.profile)}

    def probability(self, outcome: str) -> float:
        return float(self.outcome_probs.get(outcome, 0.0))

    def describe(self) -> str:
        """One line: choices, outcome probabilities, on-path beliefs, off-path belief sets."""
        ch = []
        for lab, acts, p in zip(self.infosets, self.actions, self.profile):
            if np.max(p) > 1 - 1e-12:
                ch.append(f"{lab}: {acts[int(np.argmax(p))]}")
            else:
                ch.append(f"{lab}: " + ", ".join(f"{a} {_nice(q)}" for a, q in zip(acts, p) if q > 1e-12))
        out = ", ".join(f"{o} {_nice(q)}" for o, q in self.outcome_probs.items() if q > 1e-12)
        bel = []
        for h, (lab, on, mu) in enumerate(zip(self.infosets, self.on_path, self.beliefs)):
            if on and len(mu) > 1:
                names = self.nodes[h] if h < len(self.nodes) else tuple(str(k) for k in range(len(mu)))
                bel.append(f"{lab}: " + ", ".join(f"{v} {_nice(q)}" for v, q in zip(names, mu)))
        off = [bs.describe() for bs in self.belief_sets.values()]
        return (f"{self.kind} PBE" + (" (a continuum)" if self.continuum else "") + " | " + "; ".join(ch)
                + " | outcomes " + out + (" | beliefs " + "; ".join(bel) if bel else "")
                + (" | off path: " + "; ".join(off) if off else ""))

    def __str__(self):
        return self.describe()


@dataclass(frozen=True, eq=False)
class PBEResult:
    """Perfect Bayesian equilibria of a tree.

    Attributes
    ----------
    equilibria : tuple of PerfectBayesianEquilibrium
    complete : bool
        True when every PBE is represented: signalling trees (every support
        pattern), or trees where the search was restricted to pure profiles
        (``mixed=False``).  False when mixed equilibria were sought by the
        QRE-limit heuristic.
    complete_pure : bool
        Every pure-strategy weak PBE is listed.
    method : str
    notes : str
    """

    equilibria: tuple
    complete: bool
    complete_pure: bool
    method: str
    notes: str = ""

    def __len__(self):
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, k):
        return self.equilibria[k]

    @property
    def pure(self) -> tuple:
        return tuple(e for e in self.equilibria if e.pure)

    def __str__(self):
        head = (f"{len(self.equilibria)} perfect Bayesian equilibri{'um' if len(self.equilibria) == 1 else 'a'} "
                f"({self.method}; complete={self.complete}, complete_pure={self.complete_pure})")
        return "\n".join([head] + [f"  [{k}] {e.describe()}" for k, e in enumerate(self.equilibria)])


# ---------------------------------------------------------------------- general trees: solver
def perfect_bayesian(tree: GameTree, *, method: str = "auto", mixed: bool = True, tol: float = DEFAULT_TOL,
                     max_profiles: int = 200_000, b: int = 0) -> PBEResult:
    """Perfect Bayesian equilibria of a small tree with perfect recall.

    Parameters
    ----------
    tree : GameTree
        Game *b* of a batch is solved.
    method : {"auto", "signalling", "enumerate"}
        ``"auto"`` routes signalling trees to :func:`signalling_pbe`
        (complete, mixed included) and enumerates pure profiles otherwise;
        ``"enumerate"`` forces the general method.
    mixed : bool
        With ``"enumerate"``, also look for a mixed equilibrium by the
        agent-QRE limit (then ``complete=False``).
    tol : float
        Certificate tolerance (scaled by ``max(1, max |payoff|)``).
    max_profiles : int
        Refuse trees with more pure behaviour profiles than this.

    Returns
    -------
    PBEResult
    """
    if not isinstance(tree, GameTree):
        raise SolverError(f"perfect_bayesian needs a GameTree, got {type(tree).__name__}")
    if method not in ("auto", "signalling", "enumerate"):
        raise SolverError(f"unknown method {method!r}; use 'auto', 'signalling' or 'enumerate'")
    t = tree[b] if tree.batch_size > 1 else tree
    bad = t.recall_violations()
    if bad:
        raise SolverError("perfect_bayesian needs perfect recall: " + bad[0])
    if method in ("auto", "signalling"):
        m = _match(t)
        if isinstance(m, str):
            if method == "signalling":
                raise SolverError(f"not a signalling game: {m}")
        else:
            return _from_signalling(t, m, tol)
    return _enumerate(t, mixed, tol, max_profiles)


class _Continuations:
    """Reduced continuation plans of the mover of every information set (perfect recall assumed).

    A plan from ``h`` picks an action at ``h`` and, recursively, a plan from
    every information set of the same player that immediately follows that
    action.  For each ``h`` the plans are stored as masks over action slots
    (``zero``: slots of the information sets the plan decides; ``one``: the
    chosen slots), so all plans are evaluated in one batched value pass.
    """

    def __init__(self, t: GameTree, K, max_plans: int = 50_000):
        self.K = K
        H = K.H
        follows = {}                     # (h, a) -> information sets of the same player right after
        for g, info in enumerate(t.infosets):
            c = info.nodes[0]
            p = int(t.parent[c])
            while p >= 0:
                if t.kind[p] == DECISION and t.player[p] == info.player:
                    a = int(np.flatnonzero(t.children(p) == c)[0])
                    follows.setdefault((int(t.infoset[p]), a), []).append(g)
                    break
                c, p = p, int(t.parent[p])
        memo = {}

        def plans(h):
            if h in memo:
                return memo[h]
            out = []
            for a in range(int(K.nact[h])):
                subs = [plans(g) for g in follows.get((h, a), ())]
                n = int(np.prod([len(s) for s in subs], dtype=float))
                if len(out) + n > max_plans:
                    raise SolverError(f"information set {t.infosets[h].label!r} has more than {max_plans} "
                                      f"continuation plans; the tree is too large for perfect_bayesian")
                for combo in product(*subs):
                    out.append(((h, a),) + tuple(x for c in combo for x in c))
            memo[h] = out
            return out

        self.zero, self.one = [], []
        for h in range(H):
            P = plans(h)
            zero = np.zeros((len(P), K.S), bool)
            one = np.zeros((len(P), K.S), bool)
            for k, plan in enumerate(P):
                for g, a in plan:
                    zero[k, K.off[g]:K.off[g + 1]] = True
                    one[k, K.off[g] + a] = True
            self.zero.append(zero)
            self.one.append(one)
        self.nodes = [np.array(info.nodes, np.int64) for info in t.infosets]

    def deviations(self, x, V, h):
        """``D[k, j] = V_i(node_j; plan_k) - V_i(node_j; x)`` for the nodes of *h* (mover ``i``)."""
        K = self.K
        i = int(K.h_player[h])
        X = np.where(self.zero[h], self.one[h], x[None])
        E = np.broadcast_to(K.base, (len(X), len(K.base))).copy()
        E[:, K.dec_e] = X[:, K.dec_slot]
        W = np.zeros((len(X), K.N))
        W[:, K.term] = K.term_pay[:, i]
        for lev in reversed(K.levels):
            np.add.at(W, (slice(None), K.ep[lev]), E[:, lev] * W[:, K.ec[lev]])
        nodes = self.nodes[h]
        return W[:, nodes] - V[nodes, i][None]

    def gains(self, x, V, w):
        """Sequential regret at every information set: best continuation minus prescribed, given beliefs *w*."""
        return np.array([float((self.deviations(x, V, h) @ w[self.nodes[h]]).max()) for h in range(self.K.H)])


def _certify_tree(K, C, t, x, w, tol):
    """Certificate of a candidate assessment; returns (ok, ep, r, V, w, den, seq_regret, nash_regret).

    *ok* requires one-shot gains, sequential (continuation) gains and the Nash
    regret of the tree below ``tol * scale``; beliefs are recomputed by Bayes'
    rule on the path (off it *w* is kept).
    """
    ep, r, V, w2, den, Q = K.assess(x, fallback=w)
    one = K.local_regret(x, Q)
    seq = C.gains(x, V, w2) if K.H else np.zeros(0)
    reg = float(max(one.max(initial=0.0), seq.max(initial=0.0)))
    nash = float(tree_regret(t, BehaviourProfile(t, x[None]))[0])
    lim = tol * K.scale
    return bool(reg <= lim and nash <= lim), ep, r, V, w2, den, reg, nash


def _outcomes(t, K, r):
    out = {}
    for v in K.term:
        lab = t.outcomes[int(t.terminal[v])]
        out[lab] = out.get(lab, 0.0) + float(r[v])
    return out


def _from_signalling(t, match, tol):
    game, mp = match
    res = signalling_pbe(game, tol=tol)
    K = _Kernel(t)
    C = _Continuations(t, K)
    eqs = []
    T, M, R = game.shape
    for e in res:
        x = np.zeros(K.S)
        w = np.zeros(K.N)
        for i, h in enumerate(mp["sender_sets"]):
            x[K.off[h]:K.off[h + 1]] = e.sender[i]
            w[t.infosets[h].nodes[0]] = 1.0
        belief_sets = {}
        for j, h in enumerate(mp["receiver_sets"]):
            x[K.off[h]:K.off[h + 1]] = e.receiver[j]
            nodes = t.infosets[h].nodes
            for i in range(T):
                w[nodes[mp["receiver_node_order"][j][i]]] = e.beliefs[j, i]
            if game.messages[j] in e.off_path_beliefs:
                belief_sets[t.infosets[h].label] = e.off_path_beliefs[game.messages[j]]
        ok, ep, r, V, w2, den, reg, nash = _certify_tree(K, C, t, x, w, tol)
        if not ok:      # accepted by the signalling solver: a failure here is an internal inconsistency
            raise SolverError(f"internal check failed: signalling PBE on the tree has regret "
                              f"{max(reg, nash):.3e} > {tol * K.scale:.1e}")
        eqs.append(_tree_eq(t, K, x, w2, den, r, V, belief_sets, reg, nash, e.kind, e, e.continuum))
    return PBEResult(equilibria=tuple(eqs), complete=True, complete_pure=True,
                     method="signalling: support patterns + LP",
                     notes="every support pattern checked; each entry is one family (see continuum)")


def _tree_eq(t, K, x, w, den, r, V, belief_sets, reg, nash, kind, sig=None, continuum=False):
    return PerfectBayesianEquilibrium(
        profile=K.split(x), beliefs=tuple(w[list(h.nodes)] for h in t.infosets),
        on_path=tuple(bool(d > 0) for d in den), belief_sets=belief_sets, outcome_probs=_outcomes(t, K, r),
        payoffs=V[0].copy(), regret=reg, nash_regret=nash, pure=bool(np.all((x < 1e-12) | (x > 1 - 1e-12))),
        kind=kind, infosets=tuple(h.label for h in t.infosets), actions=tuple(h.actions for h in t.infosets),
        signalling=sig, continuum=continuum,
        nodes=tuple(tuple(t.node_ids[v] for v in h.nodes) for h in t.infosets))


def _one_shot_ok(t, K, choice, V, den, Q, lim):
    """Necessary conditions, cheap: one-shot optimality at reached and at single-node unreached sets."""
    for h, info in enumerate(t.infosets):
        sl = slice(K.off[h], K.off[h + 1])
        if den[h] > 0:
            if Q[sl].max() - Q[sl][choice[h]] > lim:
                return False
        elif len(info.nodes) == 1:
            v = info.nodes[0]
            vals = V[t.children(v), info.player]
            if vals.max() - vals[choice[h]] > lim:
                return False
    return True


def _enumerate(t, mixed, tol, max_profiles):
    K = _Kernel(t)
    n_prof = int(np.prod(K.nact, dtype=float)) if K.H else 1
    if n_prof > max_profiles:
        raise SolverError(f"the tree has {n_prof} pure behaviour profiles (> max_profiles={max_profiles})")
    C = _Continuations(t, K)
    lim = tol * K.scale
    eqs = []
    n_rejected = 0
    for choice in product(*[range(k) for k in K.nact]):
        x = np.zeros(K.S)
        x[K.off[:-1] + np.array(choice, np.int64)] = 1.0
        ep, r, V, w, den, Q = K.assess(x)
        if not _one_shot_ok(t, K, choice, V, den, Q, lim):
            continue
        ok, belief_sets = True, {}
        for h, info in enumerate(t.infosets):
            nodes = info.nodes
            if den[h] > 0 or len(nodes) == 1:
                # whole continuation strategy optimal given the (Bayes or trivial) belief
                mu = w[list(nodes)] if den[h] > 0 else np.ones(1)
                if float((C.deviations(x, V, h) @ mu).max()) > lim:
                    ok = False
                    break
                if den[h] == 0:
                    w[nodes[0]] = 1.0
                continue
            # unreached, several nodes: beliefs under which no continuation plan beats the prescribed one
            D = C.deviations(x, V, h)
            D = np.unique(np.round(D, 12), axis=0)
            D = D[np.any(D > 0, axis=1)]          # rows <= 0 hold for every belief
            bs = _belief_set(D, np.zeros((0, len(nodes))), info.label, t.players[info.player],
                             tuple(t.node_ids[v] for v in nodes))
            if bs is None:
                ok = False
                break
            belief_sets[info.label] = bs
            w[list(nodes)] = bs.representative
        if not ok:
            continue
        ok, ep, r, V, w2, den, reg, nash = _certify_tree(K, C, t, x, w, tol)
        if not ok:           # numerically borderline candidate: rejected, never raised
            n_rejected += 1
            continue
        eqs.append(_tree_eq(t, K, x, w2, den, r, V, belief_sets, reg, nash, "pure"))
    complete = n_rejected == 0
    notes = ("all pure behaviour profiles checked (weak PBE: sequential rationality over whole continuation "
             "strategies at every information set; off-path beliefs unrestricted, their supporting sets are "
             "exact per information set)")
    if n_rejected:
        notes += f"; {n_rejected} candidate(s) passed the search but failed the final certificate and were dropped"
    if mixed:
        complete = False
        m = _mixed_from_qre(t, K, tol)
        if m is not None and not any(np.allclose(np.concatenate(e.profile), m[0], atol=1e-6) for e in eqs):
            x, w = m
            ok, ep, r, V, w2, den, reg, nash = _certify_tree(K, C, t, x, w, tol)
            if ok:
                eqs.append(_tree_eq(t, K, x, w2, den, r, V, {}, reg, nash, "mixed"))
        notes += "; mixed equilibria: at most one, from the agent-QRE limit (incomplete)"
    return PBEResult(equilibria=tuple(eqs), complete=complete, complete_pure=n_rejected == 0,
                     method="pure enumeration" + (" + agent-QRE limit" if mixed else ""), notes=notes)


def _mixed_from_qre(t, K, tol):
    """Follow the agent QRE to high precision, then solve the indifference conditions on its support."""
    lam_max = 1e3 / K.scale
    grid = np.geomspace(0.1 / K.scale, lam_max, 25)
    try:
        path = agent_qre_path(t, grid, tol=1e-9)
    except SolverError:
        return None
    q = path[-1]
    x0 = q.flat
    w_fix = np.zeros(K.N)
    for info, bel in zip(t.infosets, q.beliefs):
        w_fix[list(info.nodes)] = bel
    supp = x0 > 1e-4
    if np.all(np.add.reduceat(supp.astype(int), K.off[:-1]) == 1):
        return None  # the limit is pure: already enumerated
    # unknowns: probabilities of supported non-first-supported actions at mixing information sets
    free, eq_pairs = [], []
    for h in range(K.H):
        s = [K.off[h] + a for a in range(K.nact[h]) if supp[K.off[h] + a]]
        if len(s) > 1:
            free.extend(s[1:])
            eq_pairs.extend((s[0], a) for a in s[1:])
    free = np.array(free, np.int64)

    def build(y):
        x = np.where(supp, x0, 0.0)
        x[free] = y
        for h in range(K.H):
            sl = slice(K.off[h], K.off[h + 1])
            s = np.flatnonzero(supp[sl])
            x[K.off[h] + s[0]] = 1.0 - (x[sl].sum() - x[K.off[h] + s[0]])
        return x

    def F(y):
        x = build(y)
        *_, Q = K.assess(x, fallback=w_fix)
        return np.array([Q[a] - Q[c] for c, a in eq_pairs]) / K.scale

    sol = optimize.root(F, x0[free], method="hybr", options={"xtol": 1e-14})
    x = build(sol.x)
    if np.any(x < -1e-12) or not np.all(np.isfinite(x)):
        return None
    x = np.clip(x, 0, 1)
    *_, w, den, Q = K.assess(x, fallback=w_fix)
    reg = K.local_regret(x, Q)
    if reg.size and reg.max() > tol * K.scale:
        return None
    return x, w
