r"""Cohesion: the more parallel the allies' interests, the more cohesive the alliance (claim C12)?

Model (stated here; the claim is Kissinger's, C12 in the project's Reference claims, 2026; the
collective-defence setting is :mod:`deterrence.alliances.article5`)
----------------------------------------------------------------------------------------------------
:math:`N` guarantors protect a target; the coalition defeats an attack when at least :math:`k^*` of them
fight.  The *overlap of stakes* :math:`\omega \in [0, 1]` is the probability that a crisis engages the
interest the allies share with the target.  Then all guarantors act on one shared draw and each fights with
probability :math:`p_c` (together: all fight with probability :math:`p_c`, none otherwise).  With probability
:math:`1 - \omega` the crisis engages each ally's own, divergent interests and each fights independently with
probability :math:`p_o`.  So:

* each ally's probability of honouring is :math:`p(\omega) = \omega p_c + (1-\omega) p_o`;
* collective credibility is
  :math:`q(\omega) = \omega\, p_c + (1-\omega)\, P(\mathrm{Bin}(N, p_o) \ge k^*)` for :math:`1 \le k^* \le N`
  (1 for :math:`k^* = 0`; :math:`k^* > N`, more allies needed than there are, is refused).

Both are linear in :math:`\omega`, so the direction of the claim is exact:

* more parallel interests raise honouring iff :math:`p_c > p_o`;
* they raise collective credibility iff :math:`p_c > B = P(\mathrm{Bin}(N, p_o) \ge k^*)`.

With :math:`p_c = p_o = p`, :math:`\omega` is the common-shock weight :math:`\rho` of
:func:`~deterrence.alliances.collective_defence` (pairwise correlation :math:`\rho`): honouring does not move,
and credibility rises with correlation only where the coalition needs more allies than the independent tail
supplies (:math:`p > B`, roughly :math:`k^* > Np`); where it needs few, correlation *lowers* credibility and
C12 fails.

What is stylized: a crisis engages either the shared interest or the divergent ones (a mixture, not a
continuous overlap); exchangeable allies; a threshold of allies for victory.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import comb

import numpy as np

from ..deprecation import warn_deprecated
from ..errors import ModelError

__all__ = ["Cohesion", "cohesion"]


def _prob(name, x):
    a = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(a)) or np.any((a < 0) | (a > 1)):
        bad = a[~np.isfinite(a) | (a < 0) | (a > 1)].flat[0] if a.size else x
        raise ModelError(f"{name} must be in [0, 1], got {bad!r}")
    return a


@dataclass(frozen=True)
class Cohesion:
    """Measures of the cohesion model (arrays of the batch shape).

    Attributes
    ----------
    P_honour : each ally's probability of honouring, :math:`p(\\omega)`.
    collective_credibility : :math:`q(\\omega)`, the probability at least :math:`k^*` allies fight.
    independent_tail : :math:`B = P(\\mathrm{Bin}(N, p_o) \\ge k^*)`.
    d_honour, d_credibility : the slopes :math:`p_c - p_o` and :math:`p_c - B` in :math:`\\omega`.
    claim_holds : deprecated (a :class:`DeprecationWarning`): ``d_credibility > 0``.  Claim C12 is checked
        by the claims engine on the model family ``cohesion:n=N,k=K``
        (:func:`deterrence.alliances.families.cohesion_model`).
    """

    P_honour: np.ndarray
    collective_credibility: np.ndarray
    independent_tail: np.ndarray
    d_honour: np.ndarray
    d_credibility: np.ndarray

    @property
    def claim_holds(self) -> np.ndarray:
        warn_deprecated("Cohesion.claim_holds", "Cohesion.d_credibility > 0, or the claims of "
                        "deterrence.load_model('cohesion:n=N,k=K') (deterrence claims cohesion)")
        return self.d_credibility > 0


def cohesion(overlap, n_allies, allies_needed, *, p_common=0.745, p_own=0.745) -> Cohesion:
    """Honouring and collective credibility as functions of the overlap of stakes.

    Parameters
    ----------
    overlap : array_like
        :math:`\\omega \\in [0, 1]`.
    n_allies : int
        :math:`N \\ge 1`.
    allies_needed : int
        :math:`k^* \\ge 0`.
    p_common, p_own : array_like
        :math:`p_c, p_o \\in [0, 1]`: an ally's probability of fighting when the shared interest is engaged
        and when its own interests are (default: Leeds, Long and Mitchell's 0.745 for both).

    Raises
    ------
    ModelError
        ``n_allies`` not an integer >= 1; ``allies_needed`` not an integer in ``0..n_allies`` (more allies
        needed than there are is refused, not answered with credibility 0); a probability outside [0, 1].
    """
    if isinstance(n_allies, bool) or not isinstance(n_allies, (int, np.integer)) or n_allies < 1:
        raise ModelError(f"cohesion: n_allies (the number of allies N) must be an integer >= 1, got {n_allies!r}")
    if (isinstance(allies_needed, bool) or not isinstance(allies_needed, (int, np.integer))
            or not 0 <= allies_needed <= n_allies):
        raise ModelError(f"cohesion: allies_needed (k*, the allies needed to prevail) must be an integer in "
                         f"0..n_allies = 0..{int(n_allies)}, got {allies_needed!r}")
    n, need = int(n_allies), int(allies_needed)
    w = _prob("overlap", overlap)
    pc = _prob("p_common", p_common)
    po = _prob("p_own", p_own)
    w, pc, po = np.broadcast_arrays(w, pc, po)
    if need == 0:
        tail, shared = np.ones_like(po), np.ones_like(pc)
    else:
        tail = sum(comb(n, j) * po ** j * (1 - po) ** (n - j) for j in range(need, n + 1))
        shared = pc
    honour = w * pc + (1 - w) * po
    cred = w * shared + (1 - w) * tail
    return Cohesion(honour, cred, tail, pc - po, shared - tail)
