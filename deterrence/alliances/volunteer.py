r"""Guarantors who each decide whether to intervene: the volunteer's dilemma (Diekmann 1985).

Model
-----
When a protected state is attacked, each of :math:`N \ge 2` guarantors decides
at once whether to intervene.  If at least one intervenes, the attack is
repelled and every guarantor gains :math:`b` (the protection holds); an
intervener pays its cost :math:`c`, with :math:`0 < c < b`.  If no one
intervenes, everyone gets 0.  Each guarantor prefers that someone intervene
but would rather it were someone else: Diekmann's volunteer's dilemma
(A. Diekmann, "Volunteer's dilemma", *Journal of Conflict Resolution* 29(4),
1985, 605-610), read here among an alliance's guarantors.

Equilibria: the :math:`N` pure equilibria in which exactly one guarantor
intervenes, and one symmetric equilibrium in mixed strategies, in which each
guarantor abstains with probability :math:`q^* = (c/b)^{1/(N-1)}` (a guarantor
is indifferent when the others all abstain with probability
:math:`q^{N-1} = c/b`).  In the symmetric equilibrium the probability that no
one intervenes is :math:`(c/b)^{N/(N-1)}`, which *rises* with :math:`N`: more
guarantors make protection less reliable when each waits for the others
(Diekmann 1985).

:func:`volunteer_equilibrium` gives the symmetric equilibrium in closed form,
batched; :func:`guarantors_game` builds the same game as an engine
:class:`~deterrence.games.NormalFormGame` (for cross-checks with the n-player
solver on small :math:`N`).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from ..errors import ModelError
from ..games import NormalFormGame

__all__ = ["volunteer_equilibrium", "VolunteerEquilibrium", "guarantors_game", "MAX_GAME_PLAYERS"]

#: Largest N for which :func:`guarantors_game` builds the full strategic form (2**N profiles).
MAX_GAME_PLAYERS = 12


@dataclass(frozen=True)
class VolunteerEquilibrium:
    """The symmetric mixed equilibrium (arrays over the batch).

    Attributes
    ----------
    p_intervene : ndarray
        Each guarantor's probability of intervening, :math:`1 - (c/b)^{1/(N-1)}`.
    P_no_intervention : ndarray
        Probability that no one intervenes, :math:`(c/b)^{N/(N-1)}`: the risk of abandonment.
    P_intervention : ndarray
        1 - P_no_intervention.
    expected_interveners : ndarray
        :math:`N \\cdot` p_intervene.
    payoff : ndarray
        Each guarantor's expected payoff, :math:`b - c` (indifference with intervening).
    regret : ndarray
        The largest gain from a unilateral deviation at the profile (the certificate; 0 up to rounding).
    """

    p_intervene: np.ndarray
    P_no_intervention: np.ndarray
    P_intervention: np.ndarray
    expected_interveners: np.ndarray
    payoff: np.ndarray
    regret: np.ndarray


def _check(n, benefit, cost):
    n = np.asarray(n)
    if n.dtype.kind not in "iu" or np.any(n < 2):
        raise ModelError(f"N (the number of guarantors) must be an integer >= 2, got {n!r}")
    b = np.asarray(benefit, dtype=float)
    c = np.asarray(cost, dtype=float)
    if not (np.all(np.isfinite(b)) and np.all(np.isfinite(c))):
        raise ModelError("benefit and cost must be finite numbers")
    if np.any(c <= 0) or np.any(c >= b):
        raise ModelError(f"the volunteer's dilemma needs 0 < cost < benefit; got cost {cost!r}, benefit {benefit!r}")
    return n, b, c


def volunteer_equilibrium(n, benefit, cost) -> VolunteerEquilibrium:
    """The symmetric mixed equilibrium of the guarantors' volunteer's dilemma, batched over the arguments.

    Parameters
    ----------
    n : int or array of int
        Number of guarantors, N >= 2.
    benefit : float or array
        :math:`b`, each guarantor's gain when the protected state is defended.
    cost : float or array
        :math:`c`, an intervener's cost, 0 < c < b.

    Returns
    -------
    VolunteerEquilibrium
        Certified: ``regret`` is each guarantor's gain from deviating to a pure action, computed from the
        profile (not from the closed form), and is checked to be at most 1e-9 * b.
    """
    n, b, c = _check(n, benefit, cost)
    n, b, c = np.broadcast_arrays(n, b, c)
    q = (c / b) ** (1.0 / (n - 1))                 # abstain probability
    none_others = q ** (n - 1)                     # P(no one else intervenes)
    v_intervene = b - c
    v_abstain = b * (1.0 - none_others)
    mixed = (1 - q) * v_intervene + q * v_abstain
    regret = np.maximum(v_intervene, v_abstain) - mixed
    if np.any(regret > 1e-9 * b):
        from ..errors import CertificateError
        raise CertificateError(f"volunteer equilibrium failed its certificate (regret {regret.max():.3g})")
    none = q ** n
    return VolunteerEquilibrium(1 - q, none, 1 - none, n * (1 - q), mixed, regret)


def guarantors_game(n: int, benefit: float, cost: float) -> NormalFormGame:
    """The guarantors' volunteer's dilemma as an n-player normal form (actions ``abstain``, ``intervene``)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= MAX_GAME_PLAYERS:
        raise ModelError(f"guarantors_game builds 2**N profiles: N must be an integer in 2..{MAX_GAME_PLAYERS}, "
                         f"got {n!r} (use volunteer_equilibrium for larger N)")
    _check(np.asarray(n), benefit, cost)
    pay = np.zeros((2,) * n + (n,))
    for prof in product((0, 1), repeat=n):
        someone = any(prof)
        pay[prof] = [(benefit if someone else 0.0) - (cost if a else 0.0) for a in prof]
    players = [f"Guarantor {i + 1}" for i in range(n)]
    return NormalFormGame(pay, players=players, actions=[["abstain", "intervene"]] * n)
