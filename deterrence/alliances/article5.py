r"""Collective defence with N guarantors: an Article 5 honoured with probabilities.

Model
-----
A challenger considers attacking a target protected by :math:`N` guarantors
(an Article 5 commitment).  If it attacks, the target resists and guarantor
:math:`i` fights with probability :math:`p_i`, its *reliability*.  Leeds, Long
and Mitchell (2000, *Journal of Conflict Resolution* 44(5)) found alliance
commitments honoured in about 74.5% of the cases where the casus foederis
arose.

Allies' decisions are correlated through a *common shock* (stated here, not
taken from a source): with probability :math:`\rho` every guarantor acts on one
shared draw :math:`U` (guarantor :math:`i` fights iff :math:`U < p_i`), and with
probability :math:`1-\rho` each acts on its own independent draw.  Each
guarantor still fights with probability :math:`p_i`; for equal reliabilities
the correlation between two guarantors' decisions is exactly :math:`\rho`.
The number :math:`K` of guarantors who fight then has the mixture law

.. math::  P(K = k) = \rho\, P_{\text{shared}}(K = k) + (1-\rho)\, P_{\text{indep}}(K = k),

where :math:`P_{\text{indep}}` is the Poisson-binomial law of independent
Bernoulli(:math:`p_i`) draws and, under the shared draw, :math:`K \ge k` iff
:math:`U < p_{(k)}`, the :math:`k`-th largest reliability:
:math:`P_{\text{shared}}(K \ge k) = p_{(k)}`.

The coalition defeats the attack when its strength reaches the challenger's:
target strength :math:`s_T` plus :math:`s_A` for each ally who fights, against
the challenger's :math:`s_C`.  At least :math:`k^* = \lceil (s_C - s_T)/s_A \rceil`
allies are needed; *collective credibility* is :math:`P(K \ge k^*)`.

The challenger values winning at :math:`v`, pays :math:`d` if defeated and the
cost of war :math:`c` whenever it attacks (the status quo is worth 0).  It
attacks iff :math:`(1-q)v - q d - c > 0` with :math:`q` the collective
credibility, that is iff :math:`q < (v - c)/(v + d)`: deterrence holds when
collective credibility reaches that threshold.  Since the target always
resists, P(war) = P(attack).

What is stylized: the common-shock form of correlation; a war outcome that is
decided by the count of allies (a threshold of strength, not a contest
function); a challenger who knows the reliabilities.

Measures (batched over parameter points): ``P_attack``, ``P_war``,
``collective_credibility``, ``expected_coalition_size``, the distribution of
:math:`K`, ``deterrence_threshold``.

The same model as an engine game tree, reachable from every command like a
model file, with its claims: the family ``article5``
(:mod:`deterrence.alliances.article5_game`, ``deterrence solve article5:n=12``).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass

import numpy as np

from ..errors import ModelError

__all__ = ["allies_needed", "coalition_distribution", "collective_defence", "CollectiveDefence", "LEEDS_RELIABILITY", "MAX_ALLIES"]

#: Share of commitments honoured when the casus foederis arose (Leeds, Long and Mitchell 2000).
LEEDS_RELIABILITY = 0.745
#: Largest number of guarantors handled (the law of K is computed exactly, O(N^2) per point).
MAX_ALLIES = 512


def _as_batch(name, x, lo=None, hi=None, lo_open=False):
    """*x* as a float array, refused with a :class:`ModelError` naming *name* and its allowed range unless every
    entry is a finite number in that range."""
    rng = f"{'(' if lo_open else '['}{'-inf' if lo is None else f'{lo:g}'}, {'inf)' if hi is None else f'{hi:g}]'}"
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError):
        raise ModelError(f"{name} must be numbers in {rng}, got {x!r}") from None
    if not np.all(np.isfinite(a)):
        raise ModelError(f"{name} must be finite numbers in {rng}, got {x!r}")
    if lo is not None and (np.any(a <= lo) if lo_open else np.any(a < lo)):
        bad = float(a[(a <= lo) if lo_open else (a < lo)].flat[0])
        raise ModelError(f"{name} must be {'>' if lo_open else '>='} {lo:g} (allowed range {rng}), got {bad:g}")
    if hi is not None and np.any(a > hi):
        raise ModelError(f"{name} must be <= {hi:g} (allowed range {rng}), got {float(a[a > hi].flat[0]):g}")
    return a


def _batch_shape(points_shape, **arrays) -> tuple:
    """The batch shape: *points_shape* (the leading axes of the reliabilities) broadcast with every argument's
    shape; an argument that does not broadcast is refused naming it, its shape and the batch shape."""
    batch = tuple(points_shape)
    for name, a in arrays.items():
        try:
            batch = np.broadcast_shapes(batch, a.shape)
        except ValueError:
            raise ModelError(f"{name} has shape {a.shape}, which does not broadcast against the batch shape "
                             f"{batch} (the leading axes of reliability and the arguments before it): give one "
                             f"value, or one per parameter point") from None
    return batch


def coalition_distribution(reliability, correlation=0.0) -> np.ndarray:
    """The law of the number of guarantors who fight, for a batch of parameter points.

    Parameters
    ----------
    reliability : array_like, shape (..., N)
        Each guarantor's probability of honouring the commitment, in [0, 1] (the last axis runs over the
        N guarantors; leading axes are the batch).
    correlation : array_like, shape (...)
        Common-shock weight :math:`\\rho \\in [0, 1]` (the pairwise correlation for equal reliabilities).

    Returns
    -------
    ndarray, shape (..., N + 1)
        :math:`P(K = k)` for :math:`k = 0..N`.
    """
    p = _as_batch("reliability", reliability, 0.0, 1.0)
    if p.ndim == 0:
        raise ModelError("reliability needs one probability per guarantor (a sequence of length N >= 1)")
    n = p.shape[-1]
    if not 1 <= n <= MAX_ALLIES:
        raise ModelError(f"the number of guarantors N must be between 1 and {MAX_ALLIES}, got {n}")
    rho = _as_batch("correlation", correlation, 0.0, 1.0)
    batch = _batch_shape(p.shape[:-1], correlation=rho)
    p = np.broadcast_to(p, batch + (n,))
    rho = np.broadcast_to(rho, batch)
    flat_p = p.reshape(-1, n)
    flat_rho = rho.reshape(-1)
    out = np.empty((flat_p.shape[0], n + 1))
    for lo in range(0, flat_p.shape[0], _CHUNK):                  # chunks that stay in cache
        pc = np.ascontiguousarray(flat_p[lo:lo + _CHUNK].T)        # (N, b): the batch last
        out[lo:lo + _CHUNK] = _law(pc, flat_rho[lo:lo + _CHUNK]).T
    out = out.reshape(batch + (n + 1,))
    return np.clip(out, 0.0, 1.0)


_CHUNK = 4096


def _law(pc: np.ndarray, rho: np.ndarray) -> np.ndarray:
    """P(K = k), k = 0..N, for reliabilities *pc* of shape (N, b) and weights *rho* of shape (b,)."""
    n, b = pc.shape
    # independent draws: the Poisson-binomial law by the recursion over guarantors, in place
    indep = np.zeros((n + 1, b))
    indep[0] = 1.0
    moved = np.empty((n, b))
    qc = 1.0 - pc
    for i in range(n):
        m = moved[:i + 1]
        np.multiply(indep[0:i + 1], pc[i], out=m)                  # one more fighter (old values)
        indep[0:i + 1] *= qc[i]
        indep[1:i + 2] += m
    # one shared draw: P(K >= k) is the k-th largest reliability
    srt = -np.sort(-pc, axis=0)                                    # descending
    shared = np.empty((n + 1, b))
    shared[0] = 1.0 - srt[0]
    shared[1:n] = srt[:-1] - srt[1:]
    shared[n] = srt[n - 1]
    out = rho * shared
    out += (1.0 - rho) * indep
    return out


@dataclass(frozen=True)
class CollectiveDefence:
    """Measures of the collective-defence model over a batch of parameter points (arrays of the batch shape).

    Attributes
    ----------
    coalition : ndarray, shape (..., N + 1)
        :math:`P(K = k)`, the law of the number of guarantors who fight.
    allies_needed : ndarray of int
        :math:`k^*`, the fewest allies whose strength, with the target's, reaches the challenger's
        (0 when the target alone is strong enough; N + 1 when even all allies are not).
    collective_credibility : ndarray
        :math:`P(K \\ge k^*)`.
    expected_coalition_size : ndarray
        :math:`E[K]`.
    deterrence_threshold : ndarray
        :math:`(v - c)/(v + d)`: the challenger is deterred iff collective credibility reaches it.
    P_attack, P_war : ndarray
        1 where the challenger attacks (credibility below the threshold), else 0; the target always resists,
        so P(war) = P(attack).
    P_deterrence_success : ndarray
        1 - P(attack).
    """

    allies_needed: np.ndarray
    collective_credibility: np.ndarray
    expected_coalition_size: np.ndarray
    deterrence_threshold: np.ndarray
    P_attack: np.ndarray
    P_war: np.ndarray
    P_deterrence_success: np.ndarray
    reliability: np.ndarray = dataclasses.field(repr=False, default=None)
    correlation: np.ndarray = dataclasses.field(repr=False, default=None)

    @functools.cached_property
    def coalition(self) -> np.ndarray:
        """:math:`P(K = k)`, ``(..., N + 1)``: the whole law, computed on first use (the other measures do not
        need it)."""
        pk = coalition_distribution(self.reliability, self.correlation)
        return np.broadcast_to(pk, self.allies_needed.shape + pk.shape[-1:])


def collective_defence(reliability, correlation=0.0, *, target_strength=1.0, ally_strength=1.0,
                       challenger_strength=2.0, value=1.0, defeat_cost=1.0, war_cost=0.1) -> CollectiveDefence:
    """Solve the collective-defence model at a batch of parameter points.

    Parameters
    ----------
    reliability : array_like, shape (..., N)
        Each guarantor's probability of honouring (e.g. ``[0.745] * 32``).
    correlation : array_like
        Common-shock weight :math:`\\rho \\in [0, 1]`.
    target_strength, ally_strength, challenger_strength : array_like
        :math:`s_T \\ge 0`, :math:`s_A > 0`, :math:`s_C \\ge 0`.
    value : array_like
        :math:`v > 0`, the challenger's value of winning.
    defeat_cost : array_like
        :math:`d \\ge 0`, the challenger's cost of defeat.
    war_cost : array_like
        :math:`c \\ge 0`, the challenger's cost of war.

    All parameters broadcast against the batch shape of *reliability* (its leading axes).

    Returns
    -------
    CollectiveDefence
    """
    p = _as_batch("reliability", reliability, 0.0, 1.0)
    if p.ndim == 0:
        raise ModelError("reliability needs one probability per guarantor (a sequence of length N >= 1)")
    n = p.shape[-1]
    if not 1 <= n <= MAX_ALLIES:
        raise ModelError(f"the number of guarantors N must be between 1 and {MAX_ALLIES}, got {n}")
    rho = _as_batch("correlation", correlation, 0.0, 1.0)
    s_t = _as_batch("target_strength", target_strength, 0.0)
    s_a = _as_batch("ally_strength", ally_strength, 0.0, lo_open=True)
    s_c = _as_batch("challenger_strength", challenger_strength, 0.0)
    v = _as_batch("value", value, 0.0, lo_open=True)
    d = _as_batch("defeat_cost", defeat_cost, 0.0)
    c = _as_batch("war_cost", war_cost, 0.0)
    batch = _batch_shape(p.shape[:-1], correlation=rho, target_strength=s_t, ally_strength=s_a,
                         challenger_strength=s_c, value=v, defeat_cost=d, war_cost=c)
    need = np.broadcast_to(allies_needed(s_t, s_a, s_c, n), batch)
    pb = np.broadcast_to(p, batch + (n,))
    rb = np.broadcast_to(rho, batch)
    cred = np.clip(_credibility(pb.reshape(-1, n), rb.reshape(-1), need.reshape(-1)), 0.0, 1.0).reshape(batch)
    size = pb.sum(axis=-1)                                           # E[K]: each guarantor fights w.p. p_i
    thr = np.broadcast_to((v - c) / (v + d), batch)
    attack = ((1.0 - cred) * v - cred * d - c > 0).astype(float)
    return CollectiveDefence(need, cred, size, thr, attack, attack.copy(), 1.0 - attack, reliability=p,
                             correlation=rho)


def allies_needed(target_strength, ally_strength, challenger_strength, n: int) -> np.ndarray:
    """:math:`k^* = \\lceil (s_C - s_T)/s_A \\rceil`, the fewest allies whose strength, with the target's, reaches
    the challenger's: 0 when the target alone suffices, ``n + 1`` when all ``n`` allies do not (integer array).

    The strengths are taken as checked (:func:`collective_defence` checks them); a ratio within 1e-12 of an
    integer counts as that integer, so exact integer strengths stay exact."""
    need = np.ceil(np.maximum(np.asarray(challenger_strength, float) - target_strength, 0.0) / ally_strength - 1e-12)
    return np.minimum(need, n + 1).astype(int)


def _credibility(p: np.ndarray, rho: np.ndarray, need: np.ndarray) -> np.ndarray:
    """:math:`P(K \\ge k^*)` for flat batches: ``p`` (B, N), ``rho`` (B,), ``need`` (B,) in 0..N+1.

    The independent part runs the Poisson-binomial recursion only up to the largest :math:`k^*` of each chunk
    (the last state absorbs :math:`K \\ge` that bound), so its cost is :math:`N k^*` per point, not
    :math:`N^2`; the shared part is the :math:`k^*`-th largest reliability.
    """
    B, n = p.shape
    out = np.empty(B)
    for lo in range(0, B, _CHUNK):
        pc = np.ascontiguousarray(p[lo:lo + _CHUNK].T)              # (N, b)
        kc = need[lo:lo + _CHUNK]
        b = pc.shape[1]
        top = int(min(kc.max(initial=0), n))
        law = np.zeros((top + 1, b))                                 # P(K = j) for j < top; P(K >= top) last
        law[0] = 1.0
        qc = 1.0 - pc
        for i in range(n):
            hi = min(i + 1, top)                                     # states reachable after i + 1 guarantors
            if hi == 0:
                break
            moved = law[hi - 1] * pc[i] if hi == top else None       # into the absorbing state
            inner = law[:hi] * pc[i] if hi > 0 else None
            law[:hi] *= qc[i]
            if hi < top or top == 0:
                law[1:hi + 1] += inner
            else:
                law[1:hi] += inner[:hi - 1]
                law[top] += moved
        # tail at k*: sum of the states at or above k*
        tail = np.concatenate([np.cumsum(law[::-1], axis=0)[::-1], np.zeros((1, b))], axis=0)
        indep = tail[np.minimum(kc, top + 1), np.arange(b)]
        indep = np.where(kc > n, 0.0, indep)
        srt = -np.sort(-pc, axis=0)
        shared_tail = np.concatenate([np.ones((1, b)), srt, np.zeros((1, b))], axis=0)[np.minimum(kc, n + 1),
                                                                                         np.arange(b)]
        r = rho[lo:lo + _CHUNK]
        out[lo:lo + _CHUNK] = r * shared_tail + (1.0 - r) * indep
    return out
