r"""Finite Markov chains, batched: structure (reachability, one recurrent class), stationary law, hitting times.

Every function takes transition matrices of shape ``(..., n, n)`` (rows sum to 1) and works on the whole batch
at once.  The structural checks read only which entries are positive, so they are exact, not tolerance based.

* :func:`reachable`: ``R[i, j]`` is True iff state ``j`` can be reached from ``i`` in zero or more steps
  (Boolean closure by repeated squaring).
* :func:`unichain`: True iff the chain has exactly one closed communicating class, i.e. some state is
  reachable from every state.  Then the stationary distribution is unique and is the long-run share of time in
  each state from *any* start (e.g. J. G. Kemeny and J. L. Snell, *Finite Markov Chains*, 1960, ch. 4-5).
* :func:`stationary`: that distribution, solving :math:`\pi (M - I) = 0`, :math:`\sum \pi = 1` (nonsingular
  exactly when the chain is unichain).
* :func:`hitting_times`: expected steps to first enter a target set, ``inf`` where the target is not reached
  with probability one.
* :func:`excursions`: the long-run rate and mean length of the excursions out of a set (Kac's formula for
  sets: the mean length is :math:`\pi(A^c)` over the stationary flux out of :math:`A`).
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError

__all__ = ["reachable", "unichain", "require_unichain", "recurrent", "stationary", "hitting_times", "excursions"]


def reachable(M) -> np.ndarray:
    """Boolean ``(..., n, n)``: ``j`` is reachable from ``i`` in zero or more steps with positive probability.

    The closure is computed once per distinct pattern of positive entries in the batch (a sweep over noise
    levels has one or two), by repeated Boolean squaring.
    """
    M = np.asarray(M, dtype=float)
    n = M.shape[-1]
    flat = (M > 0).reshape(-1, n * n)
    if flat.all():                                     # every entry positive: everything reaches everything
        return np.ones(M.shape, dtype=bool)
    if flat.shape[0] > 1:
        packed = np.packbits(flat, axis=1)
        _, first, inv = np.unique(packed, axis=0, return_index=True, return_inverse=True)
        pats = flat[first]
    else:
        pats, inv = flat, np.zeros(1, dtype=int)
    R = (pats.reshape(-1, n, n) | np.eye(n, dtype=bool)).astype(float)
    for _ in range(max(1, int(np.ceil(np.log2(max(n, 2)))))):
        R = ((R @ R) > 0).astype(float)
    return (R > 0)[np.ravel(inv)].reshape(M.shape)


def unichain(M) -> np.ndarray:
    """True (per batch entry) iff the chain has exactly one recurrent class: some state is reachable from all."""
    return np.any(np.all(reachable(M), axis=-2), axis=-1)


def require_unichain(M, where, chain="the chain") -> None:
    """Refuse (a ModelError) a batch entry with more than one recurrent class: its long run depends on the start.

    ``where(i)`` names the first offending batch entry ``i`` (a tuple index) in the message.
    """
    ok = unichain(M)
    if not np.all(ok):
        i = tuple(np.argwhere(~np.asarray(ok))[0]) if np.ndim(ok) else ()
        raise ModelError(f"{where(i)}: {chain} has more than one recurrent class, so the long run depends on the "
                         "first rounds and there is no unique stationary distribution; give positive noise or "
                         "perception_noise (or strategies that are not deterministic)")


def recurrent(M) -> np.ndarray:
    """Boolean ``(..., n)``: the state is in the recurrent class of a unichain chain (reachable from every state)."""
    return np.all(reachable(M), axis=-2)


_ILL = ("the linear system is singular in floating point although the chain is not: some transition "
        "probabilities are too small against 1 (below about 1e-16) to be resolved; use larger noise or probabilities")


def _solve(A, b, what):
    try:
        x = np.linalg.solve(A, b[..., None])[..., 0]
    except np.linalg.LinAlgError:
        raise ModelError(f"{what}: {_ILL}") from None
    return x


def stationary(M) -> np.ndarray:
    """Stationary distribution of (a batch of) unichain transition matrices: solve pi (M - I) = 0, sum pi = 1.

    The caller checks :func:`unichain` first: the system is singular otherwise.  The answer is certified: a
    :class:`~deterrence.errors.ModelError` is raised unless every distribution is nonnegative and a fixed point of
    ``M`` to within 1e-9 (floating point cannot resolve some chains with transition probabilities far below 1e-16).
    """
    n = M.shape[-1]
    A = np.swapaxes(M, -1, -2) - np.eye(n)
    A[..., -1, :] = 1.0
    b = np.zeros(M.shape[:-1])
    b[..., -1] = 1.0
    pi = _solve(A, b, "stationary distribution")
    resid = np.max(np.abs(np.einsum("...i,...ij->...j", pi, M) - pi), axis=-1, initial=0.0)
    if not (np.all(np.isfinite(pi)) and np.all(pi >= -1e-9) and np.all(resid <= 1e-9)):
        raise ModelError(f"stationary distribution: {_ILL}")
    pi = np.maximum(pi, 0.0)                                           # clear rounding below zero
    return pi / pi.sum(-1, keepdims=True)


def hitting_times(M, target) -> np.ndarray:
    """Expected number of steps to first enter the set ``target`` from each state (0 inside it), batched.

    ``target`` is a Boolean vector of length ``n``.  A state from which the chain can, with positive
    probability, reach a state that never leads to the target (without passing through the target first) has an
    infinite expected hitting time, reported as ``inf``; the others solve :math:`h = 1 + Q h` on the finite states.
    """
    M = np.asarray(M, dtype=float)
    target = np.asarray(target, dtype=bool)
    n = M.shape[-1]
    out_idx = np.flatnonzero(~target)
    R = reachable(M)
    lost = ~np.any(R[..., target], axis=-1)                 # (..., n): the target is unreachable from here
    Q = M[..., out_idx[:, None], out_idx[None, :]]          # moves that avoid the target
    Rq = reachable(Q)
    lost_q = lost[..., out_idx]
    inf = np.any(Rq & lost_q[..., None, :], axis=-1)        # can reach a lost state while avoiding the target
    Qf = np.where(inf[..., :, None] | inf[..., None, :], 0.0, Q)
    m = out_idx.size
    h_out = _solve(np.eye(m) - Qf, np.ones(Q.shape[:-1]), "hitting times")
    if not np.all(np.isfinite(h_out) & (h_out >= 1 - 1e-9) | inf):
        raise ModelError(f"hitting times: {_ILL}")
    h_out = np.where(inf, np.inf, h_out)
    h = np.zeros(M.shape[:-1])
    h[..., out_idx] = h_out
    return h


def excursions(M, pi, inside):
    r"""Long-run excursions out of the set ``inside``: ``(rate, mean_length)``, batched.

    ``rate`` is the stationary probability per step of leaving the set (the flux
    :math:`\sum_{i \in A, j \notin A} \pi_i M_{ij}`); ``mean_length`` is the expected number of consecutive
    steps spent outside once the set is left, averaged over the excursions of a long run, which by Kac's formula
    for sets is :math:`\pi(A^c)/\text{flux}`.  Where the set is not recurrent (the chain leaves it for good),
    ``mean_length`` is ``inf`` and ``rate`` 0; where it is recurrent and never left (no excursion ever starts),
    ``mean_length`` is NaN and ``rate`` 0.
    """
    inside = np.asarray(inside, dtype=bool)
    rec = recurrent(M)
    A_rec = np.any(rec[..., inside], axis=-1)
    leaves = np.any(rec[..., inside][..., :, None] & (M[..., inside, :][..., ~inside] > 0), axis=(-1, -2))
    flux = np.einsum("...i,...ij->...", pi[..., inside], M[..., inside, :][..., ~inside])
    outside = np.sum(pi[..., ~inside], axis=-1)
    ok = A_rec & leaves
    with np.errstate(divide="ignore", invalid="ignore"):
        length = np.where(ok, outside / np.where(ok, flux, 1.0), np.where(A_rec, np.nan, np.inf))
    rate = np.where(ok, flux, 0.0)
    return rate, length
