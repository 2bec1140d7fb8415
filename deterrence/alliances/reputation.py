r"""Reputation across crises: when honouring a costly commitment pays for the defender's reputation.

Model (stylized after Sartori 2005, *Deterrence by Diplomacy*, and the reputation literature that follows
Kreps and Wilson 1982 and Milgrom and Roberts 1982, *Journal of Economic Theory* 27)
--------------------------------------------------------------------------------------------------------
A defender has private resolve: *resolute* with prior probability :math:`\pi`, *irresolute* otherwise.  It
faces challenger 1 in a first crisis and challenger 2 in a second; each challenger plays once.

* Crisis 1.  Challenger 1 challenges or not (status quo: everyone gets 0).  If challenged, the defender
  honours its commitment (fights) or reneges.  The resolute type always honours (a commitment type, as
  Kreps and Wilson's "tough" incumbent).  For the irresolute type honouring costs :math:`k > 0` net of
  reneging (reneging is worth 0 in crisis 1).
* Crisis 2.  Challenger 2 sees whether crisis 1 brought a challenge and, if so, whether the defender
  honoured; it forms its belief :math:`\mu` that the defender is resolute (its *credibility*) by Bayes'
  rule.  It challenges or not.  The irresolute type, with no future left, reneges if challenged and loses
  the stake :math:`L > 0`; not challenged it loses nothing.  It discounts crisis 2 by :math:`\delta \in [0, 1]`.
* Each challenger gains :math:`v > 0` if the defender reneges and pays :math:`w > 0` if it honours, so it
  challenges iff the credibility :math:`m` it faces is below :math:`\theta = v/(v + w)` (iff
  :math:`(1-m)v - m w > 0`; at :math:`m = \theta` it is indifferent).

Equilibrium (perfect Bayesian, beliefs by Bayes' rule wherever possible; reneging is only done by the
irresolute type, so :math:`\mu_R = 0` after reneging, also off the path).  Let :math:`\sigma` be the
probability the irresolute type honours.  Then :math:`\mu_H = \pi / (\pi + (1-\pi)\sigma)` after honouring.
Honouring gains the irresolute type :math:`\delta L` exactly when it deters challenger 2, so:

* **Threshold.** Honouring pays for its reputation iff :math:`\delta > \delta^* = k / L` (for every prior).
* Prior credible (:math:`\pi \ge \theta`): :math:`\sigma = 1` if :math:`\delta > \delta^*`, else
  :math:`\sigma = 0`; either way crisis-1 credibility :math:`\pi + (1-\pi)\sigma \ge \theta`, so no
  challenge in crisis 1 and none in crisis 2 (belief stays :math:`\pi`).
* Prior not credible (:math:`\pi < \theta`) and :math:`\delta > \delta^*`: no pure equilibrium; the
  irresolute type honours with :math:`\sigma^* = \pi(1-\theta)/((1-\pi)\theta)`, which makes
  :math:`\mu_H = \theta`, and challenger 2 challenges after an honour with probability
  :math:`z^* = 1 - k/(\delta L)`, which makes the irresolute type indifferent.  Crisis-1 credibility is
  :math:`\pi/\theta`: challenger 1 challenges iff :math:`\pi < \theta^2`.
* Prior not credible and :math:`\delta \le \delta^*`: :math:`\sigma = 0` (at :math:`\delta = \delta^*` the
  irresolute type is indifferent; this reneging equilibrium is the one returned), so :math:`\mu_H = 1`,
  crisis 1 is challenged, and challenger 2 challenges iff the defender reneged.

Tie rule: an indifferent challenger does not challenge, except challenger 2 at :math:`\mu_H = \theta` in the
mixed equilibrium, where it mixes with :math:`z^*`.

Every equilibrium returned is certified: ``regret`` (the largest gain any player has from a unilateral
deviation at any information set, on or off the path, and the gap between challenger 2's belief after an
honour and Bayes' rule) must be at most :data:`REGRET_TOL` times the largest payoff parameter
(:class:`~deterrence.errors.CertificateError` otherwise).

What is stylized: two crises and one-shot challengers; a resolute type that always honours (behavioural);
the same :math:`v, w` for both challengers; the irresolute type reneges in the last crisis; payoffs in the
first crisis net of reneging.

Measures: credibility in crisis 1, credibility in crisis 2 after honour and after reneging,
P(challenge) in each crisis, the irresolute type's probability of honouring and the threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import CertificateError, ModelError

__all__ = ["ReputationEquilibrium", "reputation_equilibrium", "reputation_threshold", "REGRET_TOL"]

#: Largest gain from a deviation (relative to the largest payoff parameter) an equilibrium may show.
REGRET_TOL = 1e-9


def _arr(name, x, lo, hi, lo_open, hi_open):
    a = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ModelError(f"{name} must be finite numbers, got {x!r}")
    bad = (a <= lo if lo_open else a < lo) | ((a >= hi if hi_open else a > hi) if hi is not None else False)
    if np.any(bad):
        rng = f"{'(' if lo_open else '['}{lo}, {hi if hi is not None else 'inf'}{')' if hi_open or hi is None else ']'}"
        raise ModelError(f"{name} must be in {rng}, got {a[bad].flat[0]!r}")
    return a


def reputation_threshold(honour_cost, stake):
    """The discount factor :math:`\\delta^* = k/L` above which honouring pays for its reputation.

    Parameters: ``honour_cost`` :math:`k > 0`, ``stake`` :math:`L > 0` (array_like, broadcast).
    A threshold above 1 means honouring never pays.
    """
    k = _arr("honour_cost", honour_cost, 0.0, None, True, False)
    L = _arr("stake", stake, 0.0, None, True, False)
    return k / L


@dataclass(frozen=True)
class ReputationEquilibrium:
    """The perfect Bayesian equilibrium of the two-crisis reputation game (arrays of the batch shape).

    Attributes
    ----------
    threshold : :math:`\\delta^* = k/L`.
    challenge_threshold : :math:`\\theta = v/(v+w)`: a challenger challenges iff credibility is below it.
    sigma : probability the irresolute type honours a challenge in crisis 1.
    z_after_honour : probability challenger 2 challenges after an honour.
    credibility_crisis1 : :math:`\\pi + (1-\\pi)\\sigma`.
    credibility_after_honour, credibility_after_renege : challenger 2's belief :math:`\\mu_H`, :math:`\\mu_R`.
    P_challenge_1, P_challenge_2 : probability of a challenge in each crisis (crisis 2 over all paths).
    P_honour_1 : probability the defender honours, given a challenge in crisis 1.
    regret : the certificate: the largest gain any player has from a unilateral deviation at any of its
        information sets, on or off the path (the irresolute defender in crisis 1, challenger 2 after an
        honour, a renege or no crisis, challenger 1), with the largest gap between challenger 2's belief
        after an honour and Bayes' rule; 0 up to rounding in an equilibrium.
    """

    threshold: np.ndarray
    challenge_threshold: np.ndarray
    sigma: np.ndarray
    z_after_honour: np.ndarray
    credibility_crisis1: np.ndarray
    credibility_after_honour: np.ndarray
    credibility_after_renege: np.ndarray
    P_challenge_1: np.ndarray
    P_challenge_2: np.ndarray
    P_honour_1: np.ndarray
    regret: np.ndarray


def _regret(pi, d, k, L, v, w, sigma, cred1, mu_h, mu_r, ch1, ch2_if_h, ch2_if_r, ch2_if_none):
    """Largest gain from a unilateral deviation at any information set, and the gap to Bayes' rule."""
    honour = -k - d * L * ch2_if_h                     # the irresolute defender, challenged in crisis 1
    renege = -d * L * ch2_if_r
    g_def = np.maximum(honour, renege) - (sigma * honour + (1 - sigma) * renege)

    def challenger(belief, prob):                      # challenging pays (1 - belief) v - belief w
        u = (1 - belief) * v - belief * w
        return np.maximum(u, 0.0) - prob * u

    g2 = np.maximum.reduce([challenger(mu_h, ch2_if_h), challenger(mu_r, ch2_if_r), challenger(pi, ch2_if_none)])
    g1 = challenger(cred1, ch1)
    bayes = np.abs(mu_h - pi / (pi + (1 - pi) * sigma))
    return np.maximum.reduce([g_def, g2, g1, bayes])


def reputation_equilibrium(prior, discount, *, honour_cost=1.0, stake=2.0, challenger_value=1.0,
                           challenger_cost=1.0) -> ReputationEquilibrium:
    """Solve the two-crisis reputation game in closed form at a batch of parameter points.

    Parameters
    ----------
    prior : array_like
        :math:`\\pi \\in (0, 1)`, the prior that the defender is resolute.
    discount : array_like
        :math:`\\delta \\in [0, 1]`, the defender's valuation of the second crisis.
    honour_cost : array_like
        :math:`k > 0`, the irresolute type's net cost of honouring in crisis 1.
    stake : array_like
        :math:`L > 0`, what the irresolute type loses if challenged in crisis 2.
    challenger_value, challenger_cost : array_like
        :math:`v > 0` (gain if the defender reneges), :math:`w > 0` (loss if it honours).
    """
    pi = _arr("prior", prior, 0.0, 1.0, True, True)
    d = _arr("discount", discount, 0.0, 1.0, False, False)
    k = _arr("honour_cost", honour_cost, 0.0, None, True, False)
    L = _arr("stake", stake, 0.0, None, True, False)
    v = _arr("challenger_value", challenger_value, 0.0, None, True, False)
    w = _arr("challenger_cost", challenger_cost, 0.0, None, True, False)
    pi, d, k, L, v, w = np.broadcast_arrays(pi, d, k, L, v, w)
    thr = k / L
    theta = v / (v + w)
    pays = d * L > k                                               # honouring deters, and that is worth it
    credible = pi >= theta
    mixed = pays & ~credible
    sigma = np.where(credible, pays.astype(float), np.where(mixed, pi * (1 - theta) / ((1 - pi) * theta), 0.0))
    sigma = np.clip(sigma, 0.0, 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(mixed, 1.0 - k / (d * L), 0.0)
    mu_h = np.where(mixed, theta, pi / (pi + (1 - pi) * sigma))
    mu_r = np.zeros_like(pi)
    cred1 = np.where(mixed, pi / theta, pi + (1 - pi) * sigma)
    ch1 = (cred1 < theta).astype(float)
    p_h = cred1                                                    # P(honour | challenge) = credibility
    ch2_if_h = np.where(mixed, z, (mu_h < theta).astype(float))
    ch2_if_r = (mu_r < theta).astype(float)
    ch2_if_none = (pi < theta).astype(float)
    ch2 = ch1 * (p_h * ch2_if_h + (1 - p_h) * ch2_if_r) + (1 - ch1) * ch2_if_none
    regret = _regret(pi, d, k, L, v, w, sigma, cred1, mu_h, mu_r, ch1, ch2_if_h, ch2_if_r, ch2_if_none)
    scale = np.maximum.reduce([k, L, v, w, np.ones_like(k)])
    if np.any(regret > REGRET_TOL * scale):
        b = int(np.argmax(regret / scale))
        raise CertificateError(f"reputation equilibrium failed its certificate at point {b} (gain from deviating "
                               f"{regret.flat[b]:.3g})")
    return ReputationEquilibrium(thr, theta, sigma, z, cred1, mu_h, mu_r, ch1, ch2, p_h, regret)
