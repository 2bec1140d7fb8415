"""Stochastic cascades: each triggered obligation is honoured with its probability.

A commitment honoured with probability :math:`h` (Leeds, Long and Mitchell
2000 found alliance commitments honoured in about 74.5% of the cases where
the casus foederis arose) makes the cascade random.  Given which triggered
obligations are honoured, the cascade is the deterministic one of
:func:`deterrence.networks.cascade`, so the cascade is a function of the
honour draws of the obligations it actually triggers.  This module explores
that function as a tree: a branch opens only when an obligation whose
probability is strictly between 0 and 1 is triggered.

* ``method="exact"`` walks every branch and weighs each leaf by the product of
  the probabilities on its path: exact probabilities, as long as the tree has
  at most ``max_leaves`` leaves.
* ``method="monte_carlo"`` runs ``draws`` cascades with honour drawn by a
  seeded generator (independently for each obligation, or one draw per
  commitment shared by all its parties with ``shared=True``).  By default
  (``engine="vectorised"``) all the draws are run together by
  :func:`deterrence.networks.vectorised.cascade_draws`, which computes the same
  cascade as the scalar engine for every draw (tested draw by draw) and is
  fast on large networks; its per-draw outcomes are in
  ``CascadeDistribution.samples``.  ``engine="tree"`` walks the draws down the
  tree in groups instead (one scalar cascade per distinct leaf reached), which
  keeps a full :class:`~deterrence.networks.cascade.CascadeResult` with its
  explanations for every leaf (``leaves``) and is fast when the tree is small
  (1914: 28 leaves).

Seeds: the two engines draw the same distribution but not the same numbers.
The tree engine draws one uniform per obligation and draw up front; the
vectorised engine decides obligation *j* in draw *d* by a counter-based
uniform of (a key drawn from the seed, *d*, *j*), or with ``shared`` of (key,
*d*, the commitment's index) (:mod:`deterrence.networks.honour_stream`), so its
draw *d* does not depend on chunking, kernel, threads or the number of draws.
A seed reproduces a result
for a given engine and package version.

Measures: the probability that each state enters, the distribution of the
war's size (the number of belligerents), its expected size, and which
commitments matter most (how much the expected size shrinks when each one is
removed in turn).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..errors import ModelError
from .cascade import CascadeResult, cascade
from .network import AllianceNetwork
from .treaty import Obligation
from .vectorised import CascadeDraws, cascade_draws

__all__ = ["cascade_distribution", "CascadeDistribution", "commitment_importance", "DEFAULT_SEED"]

#: The seed used when none is given (the library and the CLI share it).
DEFAULT_SEED = 20260101


class _Need(Exception):
    def __init__(self, key):
        self.key = key


@dataclass(frozen=True)
class CascadeDistribution:
    """The distribution of a stochastic cascade.

    Attributes
    ----------
    states : tuple of str
        Every state of the network, in its order.
    p_enter : dict
        State -> probability that it enters the war (either phase).
    size_pmf : dict
        Number of belligerents -> probability.
    expected_size : float
        Expected number of belligerents.
    leaves : tuple of (float, CascadeResult)
        Each distinct cascade with its probability (exact) or its share of the draws (Monte Carlo with
        the tree engine); empty for the vectorised engine, which keeps ``samples`` instead.
    method : str
        ``"exact"`` or ``"monte_carlo"``.
    draws, seed : int or None
        The Monte Carlo sample and seed (None for exact).
    standard_error : float or None
        Largest Monte Carlo standard error of the entry probabilities.
    samples : CascadeDraws or None
        The vectorised Monte Carlo's outcome of every draw (sides, entry rounds and phases, occupied
        states); None otherwise.
    """

    states: tuple[str, ...]
    p_enter: Mapping[str, float]
    size_pmf: Mapping[int, float]
    expected_size: float
    leaves: tuple[tuple[float, CascadeResult], ...]
    method: str
    draws: int | None
    seed: int | None
    standard_error: float | None
    samples: CascadeDraws | None = None

    def p_general_war(self, threshold: int) -> float:
        """P(at least *threshold* belligerents)."""
        return float(sum(p for n, p in self.size_pmf.items() if n >= threshold))


def _probabilities(network: AllianceNetwork, honour) -> dict[tuple, float]:
    obligations = [o for o in network.obligations() if o.commitment.fighting]
    if honour is None:
        return {o.key: o.commitment.honour for o in obligations}
    if isinstance(honour, (int, float)) and not isinstance(honour, bool):
        if not 0.0 <= float(honour) <= 1.0:
            raise ModelError(f"honour must be a probability in [0, 1], got {honour!r}")
        return {o.key: float(honour) for o in obligations}
    if isinstance(honour, Mapping):
        ids = {c.id for c in network.commitments}
        for k, v in honour.items():
            if k not in ids:
                raise ModelError(f"honour: no commitment {k!r} in the network; commitments: {sorted(ids)}")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= float(v) <= 1.0:
                raise ModelError(f"honour[{k!r}] must be a probability in [0, 1], got {v!r}")
        return {o.key: float(honour.get(o.commitment.id, o.commitment.honour)) for o in obligations}
    raise ModelError(f"honour must be None, a probability or a mapping by commitment id, got {honour!r}")


def _run(network, attack, assign, probs) -> CascadeResult:
    def decide(o: Obligation) -> bool:
        p = probs.get(o.key, 1.0)
        if p >= 1.0:
            return True
        if p <= 0.0:
            return False
        if o.key not in assign:
            raise _Need(o.key)
        return assign[o.key]
    return cascade(network, attack, honour=decide)


def cascade_distribution(network: AllianceNetwork, attack, *, honour=None, method: str = "auto",
                         draws: int = 10_000, seed: int | None = None, shared: bool = False,
                         max_leaves: int = 4096, engine: str = "vectorised") -> CascadeDistribution:
    """The distribution of the cascade when obligations are honoured with probabilities.

    Parameters
    ----------
    network : AllianceNetwork
    attack : (str, str)
        Initial attacker and target.
    honour : float or mapping, optional
        Probability of honouring: one value for every fighting obligation (e.g. 0.745 after Leeds,
        Long and Mitchell 2000), a mapping from commitment id to probability (others keep their
        file's value), or None for each commitment's own ``honour``.
    method : {"auto", "exact", "monte_carlo"}
        ``auto`` is exact when the tree has at most *max_leaves* leaves, Monte Carlo otherwise.
    draws : int
        Monte Carlo sample size.
    seed : int, optional
        Monte Carlo seed (default :data:`DEFAULT_SEED`).
    shared : bool
        Monte Carlo only: one honour draw per commitment, shared by all its parties (a common shock),
        instead of one per obligation.
    max_leaves : int
        Bound on the exact tree.
    engine : {"vectorised", "tree"}
        Monte Carlo only: run every draw at once (fast; per-draw outcomes in ``samples``) or walk the
        draws down the tree of honour decisions (one explained cascade per distinct leaf in
        ``leaves``).  Same distribution, different random numbers for the same seed.

    Returns
    -------
    CascadeDistribution
    """
    if method not in ("auto", "exact", "monte_carlo"):
        raise ModelError(f"method must be 'auto', 'exact' or 'monte_carlo', got {method!r}")
    if engine not in ("vectorised", "tree"):
        raise ModelError(f"engine must be 'vectorised' or 'tree', got {engine!r}")
    if shared and method == "exact":
        raise ModelError("shared honour draws are a Monte Carlo option (method='monte_carlo')")
    probs = _probabilities(network, honour)
    if method in ("auto", "exact") and not shared:
        leaves = _exact(network, attack, probs, max_leaves)
        if leaves is not None:
            return _summarize(network, leaves, "exact", None, None)
        if method == "exact":
            raise ModelError(f"the cascade has more than {max_leaves} distinct branches; use "
                             f"method='monte_carlo' (or raise max_leaves)")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
        raise ModelError(f"draws must be a positive integer, got {draws!r}")
    if seed is None:
        seed = DEFAULT_SEED
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ModelError(f"seed must be a non-negative integer, got {seed!r}")
    if engine == "vectorised":
        sample = cascade_draws(network, attack, probs, rng=np.random.default_rng(int(seed)), draws=int(draws),
                               shared=shared)
        return _summarize_draws(network, sample, int(seed))
    leaves = _monte_carlo(network, attack, probs, int(draws), int(seed), shared)
    return _summarize(network, leaves, "monte_carlo", int(draws), int(seed))


def _exact(network, attack, probs, max_leaves):
    leaves = []
    stack = [({}, 1.0)]
    while stack:
        assign, w = stack.pop()
        try:
            res = _run(network, attack, assign, probs)
        except _Need as need:
            p = probs[need.key]
            stack.append(({**assign, need.key: False}, w * (1.0 - p)))
            stack.append(({**assign, need.key: True}, w * p))
            continue
        leaves.append((w, res))
        if len(leaves) > max_leaves:
            return None
    return leaves


def _monte_carlo(network, attack, probs, draws, seed, shared):
    rng = np.random.default_rng(seed)
    keys = sorted(k for k, p in probs.items() if 0.0 < p < 1.0)
    col = {k: i for i, k in enumerate(keys)}
    if shared:
        cids = sorted({k[0] for k in keys})
        u = rng.random((draws, len(cids)))
        cidx = {c: i for i, c in enumerate(cids)}
        honoured = np.stack([u[:, cidx[k[0]]] < probs[k] for k in keys], axis=1) if keys else \
            np.zeros((draws, 0), bool)
    else:
        honoured = rng.random((draws, len(keys))) < np.array([probs[k] for k in keys]) if keys else \
            np.zeros((draws, 0), bool)
    leaves = []
    stack = [({}, np.arange(draws))]
    while stack:
        assign, rows = stack.pop()
        if rows.size == 0:
            continue
        try:
            res = _run(network, attack, assign, probs)
        except _Need as need:
            h = honoured[rows, col[need.key]]
            stack.append(({**assign, need.key: False}, rows[~h]))
            stack.append(({**assign, need.key: True}, rows[h]))
            continue
        leaves.append((rows.size / draws, res))
    return leaves


def _summarize(network, leaves, method, draws, seed) -> CascadeDistribution:
    states = network.state_names
    p_enter = {s: 0.0 for s in states}
    size: dict[int, float] = {}
    for w, res in leaves:
        bel = res.belligerents()
        for s in bel:
            p_enter[s] += w
        size[len(bel)] = size.get(len(bel), 0.0) + w
    expected = float(sum(n * p for n, p in size.items()))
    se = None
    if method == "monte_carlo":
        se = float(max((np.sqrt(p * (1 - p) / draws) for p in p_enter.values()), default=0.0))
    return CascadeDistribution(states, {s: float(min(1.0, p)) for s, p in p_enter.items()},
                               dict(sorted(size.items())), expected, tuple(leaves), method, draws, seed, se)


def _summarize_draws(network, sample: CascadeDraws, seed: int) -> CascadeDistribution:
    p_enter = sample.p_enter()
    size = sample.size_pmf()
    n = sample.draws
    expected = float(sample.size.mean())
    se = float(max((np.sqrt(p * (1 - p) / n) for p in p_enter.values()), default=0.0))
    return CascadeDistribution(network.state_names, p_enter, size, expected, (), "monte_carlo", n, seed, se,
                               sample)


def commitment_importance(network: AllianceNetwork, attack, **kwargs) -> dict[str, float]:
    """How much the expected war shrinks when each commitment is removed in turn.

    Returns a mapping commitment id -> (expected number of belligerents with every commitment) minus
    (expected number without that one), sorted from the largest reduction.  Keyword arguments go to
    :func:`cascade_distribution` (the same seed is used for every variant).
    """
    base = cascade_distribution(network, attack, **kwargs).expected_size
    out = {}
    for c in network.commitments:
        kw = dict(kwargs)
        if isinstance(kw.get("honour"), Mapping):
            kw["honour"] = {k: v for k, v in kw["honour"].items() if k != c.id}
        variant = network.without(c.id)
        if isinstance(kw.get("honour"), Mapping):
            kept = {x.id for x in variant.commitments}
            kw["honour"] = {k: v for k, v in kw["honour"].items() if k in kept}
        out[c.id] = base - cascade_distribution(variant, attack, **kw).expected_size
    return dict(sorted(out.items(), key=lambda kv: -kv[1]))
