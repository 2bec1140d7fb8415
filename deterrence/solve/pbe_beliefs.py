"""Belief sets: the polytope of beliefs at an information set that support an equilibrium.

Used by the perfect Bayesian solvers (:mod:`.pbe_signalling`,
:mod:`.pbe_tree`) to describe every off-path belief that supports an
equilibrium, not just one of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np
from scipy import optimize

from .pbe_vertex import MAX_COMBINATIONS, n_combinations, vertex_hull

__all__ = ["BeliefSet"]

POSITIVE = 1e-7  # a probability counts as positive above this (LP slack threshold)


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
        # the linear conditions are payoff differences: judged relative to their size (any unit)
        s = tol * _row_scale(self.A_ub, self.A_eq)
        ok = np.all(self.A_ub @ mu <= self.b_ub + s) if self.A_ub.size else True
        return bool(ok and (np.all(np.abs(self.A_eq @ mu - self.b_eq) <= s) if self.A_eq.size else True))

    def describe(self) -> str:
        """E.g. ``"mu(weak | quiche) >= 1/2"``."""
        parts = []
        states = self.states if len(self.states) > 2 else self.states[-1:]
        for s in states:
            lo, hi = self.bounds[s]
            name = f"mu({s} | {self.infoset})"
            if hi - lo < 1e-9:
                parts.append(f"{name} = {nice_number(lo)}")
            elif lo <= 1e-9 and hi >= 1 - 1e-9:
                continue
            elif lo <= 1e-9:
                parts.append(f"{name} <= {nice_number(hi)}")
            elif hi >= 1 - 1e-9:
                parts.append(f"{name} >= {nice_number(lo)}")
            else:
                parts.append(f"{nice_number(lo)} <= {name} <= {nice_number(hi)}")
        return ", ".join(parts) if parts else f"any belief at {self.infoset}"


def _row_scale(*mats) -> float:
    """Largest ``|coefficient|`` of the conditions (1 when there is none): belief conditions are payoff
    differences, so their tolerances are relative to it and do not depend on the payoffs' unit."""
    m = max((float(np.abs(a).max(initial=0.0)) for a in mats), default=0.0)
    return m if m > 0 else 1.0


def nice_number(x: float) -> str:
    """A small fraction when *x* is one (``"3/7"``), else 6 significant digits; a tiny nonzero *x* is never "0"."""
    f = Fraction(float(x)).limit_denominator(1000)
    return str(f) if abs(float(f) - x) < 1e-9 and (f != 0 or x == 0) else f"{x:.6g}"


def belief_set(D_ub, D_eq, infoset, player, states, with_bounds: bool = True) -> BeliefSet | None:
    """Beliefs ``mu`` in the simplex with ``D_ub mu <= 0`` and ``D_eq mu = 0``; None if empty.

    Small systems are solved exactly by their vertices (:func:`~.pbe_vertex.vertex_hull`: the
    representative is the centroid of the vertices, the bounds their coordinate ranges); larger
    ones by linear programs (the representative maximises the slack of the inequalities).
    """
    k = len(states)
    D_ub = np.asarray(D_ub, float).reshape(-1, k)
    D_eq = np.asarray(D_eq, float).reshape(-1, k)
    if not len(D_ub) and not len(D_eq):
        # no condition: the whole simplex (uniform representative, every probability from 0 to 1)
        return BeliefSet(infoset=infoset, player=player, states=tuple(states), A_ub=D_ub, b_ub=np.zeros(0),
                         A_eq=D_eq, b_eq=np.zeros(0), bounds={s: (0.0, 1.0) for s in states} if with_bounds else {},
                         representative=np.full(k, 1.0 / k))
    if n_combinations(k, len(D_eq) + 1, len(D_ub)) <= MAX_COMBINATIONS:
        # small (the usual case): exactly, from the vertices -- the centroid is a relative-interior
        # representative and the coordinate ranges are the bounds
        A_eq = np.vstack([D_eq, np.ones((1, k))])[None]
        b_eq = np.concatenate([np.zeros(len(D_eq)), [1.0]])[None]
        ok, rep, lo, hi = vertex_hull(A_eq, b_eq, D_ub[None], np.zeros((1, len(D_ub))))
        if not ok[0]:
            return None
        rep = np.clip(rep[0], 0, None)
        rep = rep / rep.sum()
        bounds = ({st: (float(np.clip(lo[0, j], 0, 1)), float(np.clip(hi[0, j], 0, 1))) for j, st in enumerate(states)}
                  if with_bounds else {})
        return BeliefSet(infoset=infoset, player=player, states=tuple(states), A_ub=D_ub, b_ub=np.zeros(len(D_ub)),
                         A_eq=D_eq, b_eq=np.zeros(len(D_eq)), bounds=bounds, representative=rep)
    scale = _row_scale(D_ub, D_eq)             # relative, not max(1, ...): the same set in any unit
    D_ub, D_eq, D_ub0, D_eq0 = D_ub / scale, D_eq / scale, D_ub, D_eq
    tol = 1e-9
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
    return BeliefSet(infoset=infoset, player=player, states=tuple(states), A_ub=D_ub0, b_ub=np.zeros(len(D_ub)),
                     A_eq=D_eq0, b_eq=np.zeros(len(D_eq)), bounds=bounds, representative=rep)
