"""Perfect Bayesian equilibria of general game trees with perfect recall.

Signalling trees are routed to :func:`~.pbe_signalling.signalling_pbe`.
Otherwise every *pure* behaviour profile is checked (complete for pure
equilibria).  Sequential rationality at an information set ``h`` of player
``i`` means that ``i``'s *whole continuation strategy* from ``h`` is optimal
given the belief ``mu_h`` and the others' strategies, the distribution over
later nodes being generated from ``mu_h`` and the profile (Mas-Colell,
Whinston & Green 1995, Def. 9.C.1-9.C.3).  When ``i`` moves again below
``h`` this is stronger than the one-shot deviation test: in a *weak* PBE the
beliefs at ``i``'s later, unreached information sets are free, so a profile
can pass every one-shot test and still not be a Nash equilibrium (the
one-shot deviation principle needs consistent beliefs; Hendon, Jacobsen &
Sloth 1996).  The check therefore compares ``sum_x mu_h(x) V_i(x; sigma)``
with every reduced continuation plan of ``i`` from ``h`` (pure plans
suffice: the value is linear in ``i``'s continuation).  Each condition
involves the belief at one information set only, so the supporting
off-path beliefs are exactly a product of per-information-set polytopes
``{mu : sum_x mu(x) (V_i(x; plan) - V_i(x; sigma)) <= 0 for every plan}``
(LPs).  One-shot tests (cheap, necessary) filter the candidates first.
Mixed equilibria are sought by following the agent logit QRE to high
precision (its limits are sequential equilibria; McKelvey & Palfrey 1998)
and solving the indifference conditions on the support it selects by
Newton's method; this finds at most one mixed equilibrium, so ``complete``
is then False.

References
----------
A. Mas-Colell, M. Whinston & J. Green (1995), *Microeconomic Theory*, OUP, §9.C.
E. Hendon, H. J. Jacobsen & B. Sloth (1996), "The one-shot-deviation principle for
sequential rationality", *Games and Economic Behavior* 12: 274-282.
"""

from __future__ import annotations

from itertools import product

import numpy as np
from scipy import optimize

from ..deprecation import warn_deprecated
from ..errors import CertificateError, SolverError
from ..games.assessment import AssessmentKernel
from ..games.profiles import BehaviourProfile, best_response_values, expected_payoffs
from ..games.signalling import match_signalling
from ..games.tree import DECISION, GameTree
from .agent_qre import agent_qre_path
from .pbe_beliefs import belief_set
from .pbe_results import PBEResult, PerfectBayesianEquilibrium
from .pbe_screen import ProfileScreen
from .pbe_signalling import signalling_pbe
from .results import DEFAULT_TOL, ResultBatch
from .tolerance import ROUNDING, rounding_allowance

__all__ = ["perfect_bayesian"]


def perfect_bayesian(tree: GameTree, *, method: str = "auto", mixed: bool = True, tol: float = DEFAULT_TOL,
                     max_profiles: int = 1_000_000, b: int | None = None, progress=None) -> PBEResult:
    """Perfect Bayesian equilibria of a small tree with perfect recall.

    Parameters
    ----------
    tree : GameTree
        One game, or a batch (solved game by game).
    method : {"auto", "signalling", "enumerate"}
        ``"auto"`` routes signalling trees to :func:`signalling_pbe`
        (complete, mixed included) and enumerates pure profiles otherwise;
        ``"enumerate"`` forces the general method.
    mixed : bool
        With ``"enumerate"``, also look for a mixed equilibrium by the
        agent-QRE limit (then ``complete=False``).
    tol : float
        Certificate tolerance: a gain of a player is tolerated up to ``tol`` times the range of her payoffs
        plus the rounding allowance (:mod:`deterrence.solve.tolerance`; the same equilibria in any unit
        and at any level of the payoffs).
    max_profiles : int
        Pure profiles are built one information set at a time and pruned
        as soon as a set's subtree is fixed; the search stops, before the
        step that would hold more partial profiles than this, with an error
        naming the tree's size and the method that fits it.
    progress : None, bool or callable, optional
        Progress of the search over pure profiles (:mod:`.progress`: by
        default a line on stderr once it has run for two seconds; a callable
        is called as ``progress(done, total)`` over the information sets).
    b : int, optional
        Deprecated: pass ``tree[b]``.

    Returns
    -------
    PBEResult
        For one game; for a batch, a :class:`~deterrence.solve.results.ResultBatch`
        of one :class:`PBEResult` per game.
    """
    if not isinstance(tree, GameTree):
        raise SolverError(f"perfect_bayesian needs a GameTree, got {type(tree).__name__}")
    if method not in ("auto", "signalling", "enumerate"):
        raise SolverError(f"unknown method {method!r}; use 'auto', 'signalling' or 'enumerate'")
    if b is not None:
        warn_deprecated("perfect_bayesian(..., b=...)", "perfect_bayesian(tree[b], ...)")
        tree = tree[b] if tree.batch_size > 1 else tree
    if tree.batch_size > 1:
        return ResultBatch((perfect_bayesian(tree[k], method=method, mixed=mixed, tol=tol, max_profiles=max_profiles,
                                             progress=progress) for k in range(tree.batch_size)))
    t = tree
    bad = t.recall_violations()
    if bad:
        raise SolverError("perfect_bayesian needs perfect recall: " + bad[0])
    if method in ("auto", "signalling"):
        m = match_signalling(t)
        if isinstance(m, str):
            if method == "signalling":
                raise SolverError(f"not a signalling game: {m}")
        else:
            return _from_signalling(t, m, tol)
    return _enumerate(t, mixed, tol, max_profiles, progress)


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
                    raise SolverError(
                        f"perfect_bayesian cannot check this game: the tree has {t.n_nodes} nodes and "
                        f"{len(t.infosets)} information sets, and its mover's continuation plans from information "
                        f"set {t.infosets[h].label!r} exceed {max_plans:,}; use agent_qre_path for the logit "
                        f"equilibria (approximate, any size)")
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


def _off_path_beliefs(t, K, C, x, V, den, w, lim):
    """Beliefs at the unreached information sets that support the profile *x*.

    A single-node set gets belief 1.  At a set of several nodes the beliefs
    under which no continuation plan of its mover beats the prescribed one
    form a polytope (:class:`BeliefSet`); the belief stored is *w*'s when it
    is a distribution inside that polytope, else the polytope's
    representative.  Returns ``(ok, w, belief_sets)``; *ok* is False when
    some unreached set has no supporting belief at all.
    """
    w = w.copy()
    belief_sets = {}
    for h, info in enumerate(t.infosets):
        if den[h] > 0:
            continue
        nodes = list(info.nodes)
        if len(nodes) == 1:
            w[nodes[0]] = 1.0
            continue
        i = int(K.h_player[h])
        D = C.deviations(x, V, h)
        if lim[h] > 0:                        # rounding noise at the payoffs' level is no difference
            D = np.where(np.abs(D) <= ROUNDING * K.magnitude[i], 0.0, D)
        s = float(K.spread[i]) or 1.0         # in units of the mover's payoff range: the same rows in any unit
        D = np.unique(np.round(D / s, 12), axis=0)
        D = D[np.any(D > 0, axis=1)]          # rows <= 0 hold for every belief
        bs = belief_set(D, np.zeros((0, len(nodes))), info.label, t.players[info.player],
                         tuple(t.node_ids[v] for v in nodes))
        if bs is None:
            return False, w, {}
        belief_sets[info.label] = bs
        if not bs.contains(w[nodes], 1e-9) or not np.all(D @ w[nodes] <= lim[h] / s):
            w[nodes] = bs.representative
    return True, w, belief_sets


def _certify_tree(K, C, t, x, w, tol):
    """Certificate of a candidate assessment; returns (ok, ep, r, V, w, den, seq_regret, nash_regret).

    *ok* requires one-shot gains, sequential (continuation) gains and the Nash
    regret of the tree within each player's tolerance (:func:`_bounds`), with beliefs recomputed by
    Bayes' rule on the path; off the path each belief must be a probability
    distribution over the set's nodes (*w* is kept when it is one, a
    single-node set gets 1) and the regret is computed there too.
    """
    ep, r, V, w2, den, Q = K.assess(x, fallback=w)
    for h, info in enumerate(t.infosets):
        if den[h] > 0:
            continue
        mu = w2[list(info.nodes)]
        if len(mu) == 1:
            w2[info.nodes[0]] = 1.0
        elif np.any(mu < -1e-12) or abs(mu.sum() - 1.0) > 1e-9:     # not a belief: no certificate
            return False, ep, r, V, w2, den, np.inf, np.inf
    Q = K.action_values(V, w2)
    one = K.local_regret(x, Q)
    seq = C.gains(x, V, w2) if K.H else np.zeros(0)
    reg = float(max(one.max(initial=0.0), seq.max(initial=0.0)))
    prof = BehaviourProfile(t, x[None])
    nash_p = (best_response_values(t, prof) - expected_payoffs(t, prof))[0]       # (n,)
    nash = float(nash_p.max(initial=0.0))
    lim = _bounds(K, tol)
    lim_h = lim[K.h_player]
    ok = bool(np.all(one <= lim_h) and np.all(seq <= lim_h) and np.all(nash_p <= lim))
    return ok, ep, r, V, w2, den, reg, nash


def _bounds(K, tol):
    """Tolerated gain of each player (:mod:`deterrence.solve.tolerance`): ``tol`` times the range of her
    payoffs plus the rounding allowance at their magnitude -- not ``tol * max(1, max|payoff|)``, which
    changes with the unit and the level of the payoffs."""
    return tol * K.spread + rounding_allowance(K.magnitude, tol)


def _outcomes(t, K, r):
    out = {}
    for v in K.term:
        lab = t.outcomes[int(t.terminal[v])]
        out[lab] = out.get(lab, 0.0) + float(r[v])
    return out


def _from_signalling(t, match, tol):
    game, mp = match
    res = signalling_pbe(game, tol=tol)
    K = AssessmentKernel(t)
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
            raise CertificateError(f"internal check failed: signalling PBE on the tree has regret "
                                   f"{max(reg, nash):.3e} > {_bounds(K, tol).max(initial=0):.1e}")
        eqs.append(_tree_eq(t, K, x, w2, den, r, V, belief_sets, reg, nash, e.kind, e, e.continuum))
    notes = ("every support pattern checked; each entry is one family (see continuum)",)
    if not res.complete:
        notes += ("no equilibrium found: the set is not complete (every finite game has one)",)
    return PBEResult(equilibria=tuple(eqs), complete=res.complete, complete_pure=res.complete,
                     method="signalling: support patterns", notes=notes)


def _tree_eq(t, K, x, w, den, r, V, belief_sets, reg, nash, kind, sig=None, continuum=False):
    return PerfectBayesianEquilibrium(
        profile=K.split(x), beliefs=tuple(w[list(h.nodes)] for h in t.infosets),
        on_path=tuple(bool(d > 0) for d in den), belief_sets=belief_sets, outcome_probabilities=_outcomes(t, K, r),
        payoffs=V[0].copy(), regret=reg, nash_regret=nash, pure=bool(np.all((x < 1e-12) | (x > 1 - 1e-12))),
        kind=kind, infosets=tuple(h.label for h in t.infosets), actions=tuple(h.actions for h in t.infosets),
        signalling=sig, continuum=continuum,
        nodes=tuple(tuple(t.node_ids[v] for v in h.nodes) for h in t.infosets))


def _too_many(t, K, max_profiles):
    """The refusal for a tree beyond pure enumeration: its size, and the method that fits it."""
    from .bayesian import hides_only_chance

    n_prof = float(np.prod(K.nact, dtype=float)) if K.H else 1.0
    if hides_only_chance(t):
        hint = ("its information sets hide only chance moves: use bayesian_backward_induction "
                "(a sequential equilibrium, batched)")
    else:
        hint = "use agent_qre_path for the logit equilibria (approximate, any size), or raise max_profiles"

    def error(k, alive):
        return SolverError(
            f"perfect_bayesian cannot enumerate this game: the tree has {t.n_nodes} nodes, {K.H} information "
            f"sets and {n_prof:.4g} pure behaviour profiles; with {k} of {K.H} information sets fixed, "
            f"{alive:,} partial profiles would still be alive (> max_profiles={max_profiles:,}); {hint}")
    return error


def _check_pure(t, K, C, x, lim):
    """Exact check of one pure profile; returns (w, belief_sets) or None.

    Reached information sets: the mover's whole continuation strategy is
    optimal given the Bayes belief.  Unreached ones: some belief supports it
    (:func:`_off_path_beliefs`).
    """
    ep, r, V, w, den, Q = K.assess(x)
    if np.any((K.local_regret(x, Q) > lim * 4)[den > 0]):
        return None
    for h in np.flatnonzero(den > 0):
        mu = w[list(t.infosets[h].nodes)]
        if float((C.deviations(x, V, h) @ mu).max()) > lim[h]:
            return None
    ok, w, belief_sets = _off_path_beliefs(t, K, C, x, V, den, w, lim)
    return (w, belief_sets) if ok else None


def _enumerate(t, mixed, tol, max_profiles, progress):
    K = AssessmentKernel(t)
    screen = ProfileScreen(t, K)
    n_prof = screen.n_profiles
    C = _Continuations(t, K)
    lim = _bounds(K, tol)[K.h_player]                   # per information set: its mover's tolerance
    eqs = []
    n_rejected = 0
    cand = screen.survivors(float(lim.max(initial=0.0)), progress=progress, max_alive=max_profiles, too_many=_too_many(t, K, max_profiles))
    for choice in cand:
        x = np.zeros(K.S)
        x[K.off[:-1] + choice] = 1.0
        found = _check_pure(t, K, C, x, lim)
        if found is None:
            continue
        w, belief_sets = found
        ok, ep, r, V, w2, den, reg, nash = _certify_tree(K, C, t, x, w, tol)
        if not ok:           # numerically borderline candidate: rejected, never raised
            n_rejected += 1
            continue
        eqs.append(_tree_eq(t, K, x, w2, den, r, V, belief_sets, reg, nash, "pure"))
    complete = n_rejected == 0
    notes = ((f"all {n_prof:.4g} pure behaviour profiles checked ({len(cand)} passed the one-shot screen; weak PBE: "
             "sequential rationality over whole continuation strategies at every information set, reached or "
             "not; off-path beliefs unrestricted, their supporting sets are exact per information set)"),)
    if n_rejected:
        notes += (f"{n_rejected} candidate(s) passed the search but failed the final certificate and were dropped",)
    if mixed:
        complete = False
        m = _mixed_from_qre(t, K, tol)
        if m is not None and not any(np.allclose(np.concatenate(e.profile), m[0], atol=1e-6) for e in eqs):
            x, w = m
            ep, r, V, w, den, Q = K.assess(x, fallback=w)
            ok, w, belief_sets = _off_path_beliefs(t, K, C, x, V, den, w, lim)
            if ok:
                ok, ep, r, V, w2, den, reg, nash = _certify_tree(K, C, t, x, w, tol)
                if ok:
                    eqs.append(_tree_eq(t, K, x, w2, den, r, V, belief_sets, reg, nash, "mixed"))
        notes += ("mixed equilibria: at most one, from the agent-QRE limit (incomplete)",)
    if not eqs:
        complete = False
        notes += ("no equilibrium found: the set is not complete (every finite game has one, possibly mixed)",)
    return PBEResult(equilibria=tuple(eqs), complete=complete, complete_pure=n_rejected == 0,
                     method="pure enumeration" + (" + agent-QRE limit" if mixed else ""), notes=notes)


def _mixed_from_qre(t, K, tol):
    """Follow the agent QRE to high precision, then solve the indifference conditions on its support."""
    # the logit path on the payoffs less their minimum, in units of their range: the same in any unit and
    # at any level (a shift of 1e8 would leave the logit fixed point no precision to converge)
    unit = float(K.spread.max(initial=0.0)) or 1.0
    tn = t[0]
    tn.payoffs = (t.payoffs[:1] - t.payoffs[:1].min(axis=1, keepdims=True)) / unit
    try:
        path = agent_qre_path(tn, np.geomspace(0.1, 1e3, 25), tol=1e-9)
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
        return np.array([Q[a] - Q[c] for c, a in eq_pairs]) / unit

    sol = optimize.root(F, x0[free], method="hybr", options={"xtol": 1e-14})
    x = build(sol.x)
    if np.any(x < -1e-12) or not np.all(np.isfinite(x)):
        return None
    x = np.clip(x, 0, 1)
    *_, w, den, Q = K.assess(x, fallback=w_fix)
    reg = K.local_regret(x, Q)
    if reg.size and np.any(reg > _bounds(K, tol)[K.h_player]):
        return None
    return x, w
