r"""Arms and allies: alliances in the n-state Richardson race, and the arms-versus-allies trade-off.

1. Alliances and the stability of an arms race (claim C3)
---------------------------------------------------------
Two sides face each other in the n-state Richardson form
:math:`\dot X = K X - A X + G` (:class:`deterrence.dynamics.RichardsonSystem`).
Each member *i* of a side reacts with its own coefficient :math:`k_i \ge 0` to
the pooled arms of the other side (as in :func:`deterrence.dynamics.bloc_system`);
no state reacts to its allies; an *uninvolved* state reacts to nobody and nobody
reacts to it.  Each side shares one fatigue (:math:`a` for side 1, :math:`b` for
side 2; an uninvolved state has its own :math:`c > 0`).

**Spectrum (derived).**  Let :math:`S_1 = \sum_{i \in 1} k_i` and
:math:`S_2 = \sum_{j \in 2} k_j`.  The subspace of arms vectors whose totals on
each side are zero is invariant (:math:`K` maps it to zero and :math:`A` is a
multiple of the identity on each side), with eigenvalues :math:`-a`
(multiplicity :math:`m_1 - 1`) and :math:`-b` (:math:`m_2 - 1`); each uninvolved
state contributes :math:`-c`.  The side totals follow the two-state model
:math:`\dot U = S_1 V - a U`, :math:`\dot V = S_2 U - b V`, with

.. math::

    \lambda_\pm = -\tfrac{a+b}{2} \pm \sqrt{\tfrac{(a-b)^2}{4} + S_1 S_2}.

So the race is **stable iff** :math:`S_1 S_2 < a b`, and its growth rate is
:math:`\lambda_+`, strictly increasing in :math:`S_1 S_2`.

**An alliance.**  An uninvolved state with reaction :math:`k_J \ge 0` joins
side 1 (taking side 1's fatigue :math:`a`): :math:`S_1 \to S_1 + k_J`, so
:math:`\lambda_+` rises whenever :math:`k_J S_2 > 0`.  The regions:

* **sets off a race**: :math:`S_1 S_2 < ab \le (S_1 + k_J) S_2`: stable before, unstable after;
* **accelerates a race**: :math:`S_1 S_2 \ge ab` and :math:`k_J S_2 > 0`: unstable before, faster after;
* **keeps the race stable**: :math:`(S_1 + k_J) S_2 < ab`: the balance is stiffer (a larger
  :math:`\lambda_+`, slower convergence) but still stable;
* **no effect on stability**: :math:`k_J S_2 = 0` (the joiner does not react, or the rival side does not).

Claim C3 ("alliances can set off or accelerate arms races") holds in the first two
regions and not in the third: with fatigue large enough,
:math:`ab > (S_1 + k_J) S_2`, an alliance does not set off a race.
(Merging states that were *rivals* of each other is the opposite move: it removes
reactions and can only lower :math:`\lambda_+`; that is not what is studied here.)

:func:`alliance_effect` computes the closed form, batched; :func:`alliance_race`
builds the n-state system so the closed form can be checked against
:meth:`RichardsonSystem.stable`, :meth:`RichardsonSystem.eigenvalues` and the
pooled two-state :class:`deterrence.dynamics.Richardson`.

2. Arms versus allies (Morgenthau's options, Morrow 1993; claim C7)
-------------------------------------------------------------------
Morgenthau (*Politics among Nations*, 1948) lists a state's options against a
threat: arm, ally, or weaken the rival.  Morrow (1993), "Arms versus allies:
trade-offs in the search for security", *International Organization* 47(2):
207-233, treats arms and alliances as substitutes with different costs (arms
cost resources, alliances cost autonomy) and predicts that states trade one for
the other.  **Stylized functional form** (ours, not Morrow's exact model): a
state facing threat :math:`\theta > 0` chooses arms :math:`x \ge 0`, an alliance
commitment :math:`y \ge 0` and effort to weaken the rival :math:`w \ge 0` to
maximise

.. math::

    U = -\tfrac12\,(\theta - z)^2 - \tfrac{c}{2} x^2 - \tfrac{d}{2} y^2 - \tfrac{e}{2} w^2,
    \qquad z = x + \rho\,y + w,

where :math:`z` is effective security, :math:`\rho \in [0, 1]` is the ally's
reliability (the probability it honours the commitment, so :math:`\rho y` is the
ally's expected contribution), and :math:`c, d, e > 0` are the marginal-cost
slopes of the three options relative to the curvature of the security loss
(:math:`e = \infty` switches weakening the rival off).

**Optimum (derived).**  The first-order conditions :math:`\theta - z = c x`,
:math:`\rho(\theta - z) = d y`, :math:`\theta - z = e w` give, with
:math:`H = 1/c + \rho^2/d + 1/e`,

.. math::

    \theta - z^* = \frac{\theta}{1 + H},\quad x^* = \frac{\theta}{c(1+H)},\quad
    y^* = \frac{\rho\,\theta}{d(1+H)},\quad w^* = \frac{\theta}{e(1+H)},

interior for :math:`\rho > 0`, and the unique maximum (:math:`U` is strictly concave).

**Substitution (comparative statics, closed form).**

* :math:`\partial x^*/\partial \rho = -\dfrac{2\rho\,\theta}{c\,d\,(1+H)^2} < 0`: a more reliable ally, fewer arms;
* :math:`\partial x^*/\partial d = \dfrac{\rho^2\theta}{c\,d^2(1+H)^2} > 0`: dearer alliances, more arms;
* :math:`\partial y^*/\partial c = \dfrac{\rho\,\theta}{c^2 d\,(1+H)^2} > 0`: dearer arms, more alliance.

Arms and alliance commitments are gross substitutes.

**Defection (claim C7).**  When the ally defects (reliability falls to
:math:`\rho' < \rho`; :math:`\rho' = 0` is a broken alliance) the state
re-optimises.  With :math:`P = 1/c + 1/e` and :math:`q = \rho^2/d`, a broken
alliance raises arms by

.. math::

    \Delta x = \frac{\theta\,q}{c\,(1+P)(1+P+q)} > 0,

while the expected contribution lost is :math:`\rho y^* = \theta q/(1+P+q)`: the
state replaces the share :math:`\Delta x / (\rho y^*) = 1/(c(1+P))` of the lost
guarantee with arms (:math:`1/(1+c)` without the third option), less than all
of it, so its security falls.  The same share holds for any fall
:math:`\rho \to \rho' < \rho` (the build-up and the lost contribution both
carry the factor :math:`q - q'`).  Claim C7 holds in this model for every
:math:`\rho > 0`; the replacement is partial.

**What is stylized.**  Quadratic loss and costs; perfect substitutability of
own arms, the ally's expected contribution and weakening the rival in one
index :math:`z`; an exogenous threat (the rival does not respond: no spiral);
reliability as a fixed weight rather than an equilibrium of the ally's choice;
one period.  :func:`arms_allies_optimum` is checked in the tests against a
bounded numerical optimiser.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dynamics import RichardsonSystem
from ..dynamics.checks import as_real_array
from ..errors import ModelError

__all__ = ["alliance_race", "alliance_effect", "AllianceEffect", "arms_allies_optimum", "ArmsAllies",
           "arms_allies_statics", "ally_defection", "Defection"]


# --- 1. alliances in the Richardson race -----------------------------------------------------------------

def alliance_race(sides, reaction, fatigue, grievance=0.0) -> RichardsonSystem:
    r"""The n-state Richardson system of two sides and uninvolved states.

    Parameters
    ----------
    sides : sequence
        One entry per state: a side label, or ``None`` for an uninvolved state.  Exactly two labels.
    reaction : float or array ``(..., n)``, >= 0
        :math:`k_i`: state *i*'s reaction to the pooled arms of the other side (ignored for uninvolved states).
    fatigue : float or array ``(..., n)``, > 0
    grievance : float or array ``(..., n)``
    """
    if isinstance(sides, (str, bytes)):
        raise ModelError(f"sides: expected one label (or None) per state, got the string {sides!r}")
    try:
        labels = list(sides)
    except TypeError:
        raise ModelError(f"sides: expected one label (or None) per state, got {sides!r}") from None
    named = [s for s in labels if s is not None]
    kinds = list(dict.fromkeys(named))
    if len(kinds) != 2:
        raise ModelError(f"sides: expected exactly two side labels (None = uninvolved), got {kinds}")
    n = len(labels)
    k = as_real_array("reaction", reaction, nonnegative=True)
    a = as_real_array("fatigue", fatigue, positive=True)
    g = as_real_array("grievance", grievance)
    out = []
    for name, v in (("reaction", k), ("fatigue", a), ("grievance", g)):
        if v.ndim and v.shape[-1] not in (1, n):
            raise ModelError(f"{name}: expected one value per state ({n}), got shape {v.shape}")
        out.append(np.broadcast_to(v[..., None] if v.ndim == 0 else v, v.shape[:-1] + (n,) if v.ndim else (n,)))
    k, a, g = out
    rivals = np.array([[labels[i] is not None and labels[j] is not None and labels[i] != labels[j]
                        for j in range(n)] for i in range(n)], dtype=float)
    return RichardsonSystem(k[..., :, None] * rivals, a, g)


@dataclass(frozen=True)
class AllianceEffect:
    """What an uninvolved state joining side 1 does to the race (arrays, batched).

    ``growth_before``/``growth_after`` are :math:`\\lambda_+` of the side totals; ``verdict`` is one of
    ``"sets off a race"``, ``"accelerates a race"``, ``"keeps the race stable"``, ``"no effect on stability"``.
    """

    growth_before: np.ndarray
    growth_after: np.ndarray
    stable_before: np.ndarray
    stable_after: np.ndarray
    verdict: np.ndarray


def _growth(s1, s2, a, b):
    return -(a + b) / 2 + np.sqrt((a - b) ** 2 / 4 + s1 * s2)


def alliance_effect(side1, side2, joiner, a, b) -> AllianceEffect:
    r"""Closed form: a state reacting with ``joiner`` joins side 1 (batched over broadcast arrays).

    Parameters
    ----------
    side1, side2 : float or array, >= 0
        :math:`S_1, S_2`: the summed reactions of each side's members to the other side.
    joiner : float or array, >= 0
        :math:`k_J`, the joiner's reaction to side 2 once allied.
    a, b : float or array, > 0
        The fatigues of side 1 (the joiner's too) and side 2.
    """
    s1 = as_real_array("side1", side1, nonnegative=True)
    s2 = as_real_array("side2", side2, nonnegative=True)
    kj = as_real_array("joiner", joiner, nonnegative=True)
    a = as_real_array("a", a, positive=True)
    b = as_real_array("b", b, positive=True)
    s1, s2, kj, a, b = np.broadcast_arrays(s1, s2, kj, a, b)
    before = s1 * s2 < a * b
    after = (s1 + kj) * s2 < a * b
    verdict = np.where(kj * s2 == 0, "no effect on stability",
                       np.where(~before, "accelerates a race",
                                np.where(after, "keeps the race stable", "sets off a race")))
    return AllianceEffect(_growth(s1, s2, a, b), _growth(s1 + kj, s2, a, b), before, after, verdict)


# --- 2. arms versus allies --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ArmsAllies:
    """The optimal mix (arrays, batched): arms ``x``, alliance commitment ``y``, weakening the rival ``w``,
    security ``z = x + reliability*y + w``, the shortfall ``threat - z`` and the utility."""

    arms: np.ndarray
    alliance: np.ndarray
    weaken: np.ndarray
    security: np.ndarray
    shortfall: np.ndarray
    utility: np.ndarray


def _params(threat, reliability, arms_cost, ally_cost, weaken_cost):
    t = as_real_array("threat", threat, positive=True)
    r = as_real_array("reliability", reliability, nonnegative=True)
    if (r > 1).any():
        raise ModelError(f"reliability: expected a probability in [0, 1], got {float(r.max())!r}")
    c = as_real_array("arms_cost", arms_cost, positive=True)
    d = as_real_array("ally_cost", ally_cost, positive=True)
    e = as_real_array("weaken_cost", np.where(np.isposinf(np.asarray(weaken_cost, dtype=float)), 1.0, weaken_cost)
                      if not isinstance(weaken_cost, (str, bytes)) else weaken_cost, positive=True)
    e = np.where(np.isposinf(np.asarray(weaken_cost, dtype=float)), np.inf, e)
    return np.broadcast_arrays(t, r, c, d, e)


def arms_allies_optimum(threat, reliability, arms_cost, ally_cost, weaken_cost=np.inf) -> ArmsAllies:
    r"""The closed-form optimal mix of arms, alliance commitment and weakening the rival (module docstring).

    Parameters
    ----------
    threat : float or array, > 0
        :math:`\theta`.
    reliability : float or array in [0, 1]
        :math:`\rho`, the probability the ally honours its commitment.
    arms_cost, ally_cost : float or array, > 0
        :math:`c, d`.
    weaken_cost : float or array, > 0, default ``inf``
        :math:`e`; ``inf`` leaves only Morrow's two options.
    """
    t, r, c, d, e = _params(threat, reliability, arms_cost, ally_cost, weaken_cost)
    H = 1 / c + r ** 2 / d + 1 / e
    gap = t / (1 + H)
    x, y, w = gap / c, r * gap / d, gap / e
    z = x + r * y + w
    u = -0.5 * (t - z) ** 2 - 0.5 * c * x ** 2 - 0.5 * d * y ** 2 - 0.5 * gap * w  # e*w^2 = (theta - z)*w, also at e = inf
    return ArmsAllies(x, y, w, z, t - z, u)


def arms_allies_statics(threat, reliability, arms_cost, ally_cost, weaken_cost=np.inf) -> dict:
    """Closed-form comparative statics: ``{"dx/dreliability", "dx/dally_cost", "dy/darms_cost"}`` (arrays)."""
    t, r, c, d, e = _params(threat, reliability, arms_cost, ally_cost, weaken_cost)
    D = (1 + 1 / c + r ** 2 / d + 1 / e) ** 2
    return {"dx/dreliability": -2 * r * t / (c * d * D),
            "dx/dally_cost": r ** 2 * t / (c * d ** 2 * D),
            "dy/darms_cost": r * t / (c ** 2 * d * D)}


@dataclass(frozen=True)
class Defection:
    """Before and after the ally defects: the two optima, the arms build-up, the expected contribution lost,
    and the share of it replaced by the state's own arms (``buildup / lost``)."""

    before: ArmsAllies
    after: ArmsAllies
    buildup: np.ndarray
    lost: np.ndarray
    replaced: np.ndarray


def ally_defection(threat, reliability, arms_cost, ally_cost, weaken_cost=np.inf,
                   reliability_after=0.0) -> Defection:
    """The state re-optimises after its ally's reliability falls to ``reliability_after`` (0: a broken alliance).

    ``reliability_after`` must not exceed ``reliability``.
    """
    before = arms_allies_optimum(threat, reliability, arms_cost, ally_cost, weaken_cost)
    r1 = as_real_array("reliability_after", reliability_after, nonnegative=True)
    r1 = np.broadcast_to(r1, np.broadcast_shapes(r1.shape, before.arms.shape))
    after = arms_allies_optimum(threat, r1, arms_cost, ally_cost, weaken_cost)
    r0 = np.asarray(reliability, dtype=float)
    if (r1 > r0).any():
        raise ModelError(f"reliability_after: a defection lowers reliability; expected <= reliability "
                         f"({float(np.min(r0))!r}), got {float(np.max(r1))!r}")
    lost = r0 * before.alliance - r1 * after.alliance
    buildup = after.arms - before.arms
    with np.errstate(invalid="ignore", divide="ignore"):
        replaced = np.where(lost > 0, buildup / np.where(lost > 0, lost, 1.0), np.nan)
    return Defection(before, after, buildup, lost, replaced)
