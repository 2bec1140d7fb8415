r"""The security dilemma as a game: one shot over the offence-defence balance, repeated, and with noise.

One shot (Jervis 1978)
----------------------
Two states keep defences modest (cooperate) or arm to attack (defect).  With
mutual cooperation normalised to 1 and mutual defection (an arms race) to 0,
:math:`g \ge 0` is the gain from exploiting a cooperator (large when offence
has the advantage) and :math:`k > 0` the cost of being exploited:
:math:`T = g,\ R = 1,\ P = 0,\ S = -k` (:func:`balance_payoffs`).  Defection
is always a best reply to defection, and mutual cooperation is an equilibrium
iff :math:`g \le 1`:

* :math:`g > 1` (offence dominant): :math:`T > R > P > S`, a **Prisoner's
  Dilemma**; mutual defection is the unique equilibrium (the spiral);
* :math:`g < 1` (defence dominant): :math:`R > T > P > S`, a **Stag Hunt**;
  both pure profiles are equilibria, and a mixed one cooperates with
  probability :math:`k/(1 - g + k)`; cooperation risk-dominates
  (Harsanyi and Selten 1988) iff :math:`1 - g > k`.

The same model with its claims is the model file ``models/security_dilemma.toml``;
:func:`one_shot` gives the closed forms, batched.

Repeated (discount factor :math:`\delta`, payoffs :math:`T > R > P > S`)
----------------------------------------------------------------------
When offence dominates, cooperation can still be sustained by the shadow of
the future.  :func:`cooperation_thresholds` gives, in closed form, the least
:math:`\delta` at which both playing the strategy is an equilibrium (a value
:math:`\ge 1` means never).  Derivations (all by comparing the discounted value
of conforming with the best deviation; noise-free):

* **Grim trigger** (defect for ever after any defection; as an automaton the
  memory-one ``(1, 0, 0, 0)``): conforming gives :math:`R/(1-\delta)`,
  defecting :math:`T + \delta P/(1-\delta)`; in punishment defection is a
  stage best reply that does not change the future.  Nash and subgame
  perfect iff :math:`\delta \ge (T-R)/(T-P)` (Friedman 1971; Osborne,
  *An Introduction to Game Theory*, 2004, ch. 14).
* **Tit-for-tat**: against TFT a deviator's best plans are always defect,
  :math:`T + \delta P/(1-\delta)`, or alternation (D, C, D, C, ...),
  :math:`(T + \delta S)/(1-\delta^2)`.  Nash iff
  :math:`\delta \ge \max\{(T-R)/(T-P),\ (T-R)/(R-S)\}` (Axelrod 1984,
  Proposition 2: TFT is collectively stable iff the discount parameter
  :math:`w` is at least this; the always-defect bound is
  :math:`R \ge (1-\delta)T + \delta P`,
  the alternation bound :math:`R(1+\delta) \ge T + \delta S`).  Note that
  the *one-shot* deviation from mutual cooperation alone gives only
  :math:`(T-R)/(R-S)`; the :math:`(T-R)/(T-P)` bound comes from the
  many-round deviation to always defect.  TFT is **not** subgame perfect in
  general: the one-shot deviation checks after CC, DC, CD, DD require
  :math:`\delta \ge (T-R)/(R-S)`, :math:`\delta \le (T-R)/(R-S)`,
  :math:`\delta \ge (P-S)/(T-P)` and :math:`\delta \le (P-S)/(T-P)`, so it is
  subgame perfect only at the knife edge
  :math:`\delta = (T-R)/(R-S) = (P-S)/(T-P)` (``tit_for_tat_spe``; NaN
  elsewhere).
* **Win-stay-lose-shift** (Pavlov; Nowak and Sigmund 1993): after a one-shot
  defection from CC (or from DD, where both are to cooperate) the path is
  T, P, then R for ever, against :math:`R/(1-\delta)`: the deviation does
  not pay iff :math:`\delta \ge (T-R)/(R-P)`; after CD or DC (both are to
  defect) conforming gives P then R for ever and deviating S, P, then R,
  which never pays.  Nash and subgame perfect iff
  :math:`\delta \ge (T-R)/(R-P)`, which is below 1 iff :math:`2R > T + P`
  (Nowak and Sigmund's condition; with Axelrod's 5, 3, 1, 0 it fails).
* **Generous tit-for-tat** with generosity :math:`q` (cooperate after C;
  after D cooperate with probability :math:`q`; Nowak and Sigmund 1992,
  *Nature* 355, 250-253): the deviator's problem has two states (the other
  is about to cooperate surely, or with probability :math:`q`) and four
  stationary plans; always defect gives
  :math:`T + \delta(qT + (1-q)P)/(1-\delta)` and alternation
  :math:`(T + \delta(qR + (1-q)S))/(1-\delta^2)`.  Nash iff
  :math:`\delta \ge (T-R)/\big((1-q)\min\{T-P,\ R-S\}\big)`, which is TFT's
  bound at :math:`q = 0` (derived here).

Every closed form is checked in the tests against
:func:`~deterrence.dynamics.repeated.nash_gain` and
:func:`~deterrence.dynamics.repeated.spe_gain`, which solve the deviator's
problem on the automaton without them.

Noise and claim C5
------------------
A move flipped with probability :math:`\varepsilon` is misperception;
transparency and confidence-building are a lower :math:`\varepsilon`.
:func:`spiral_table` gives the exact long-run cooperation, the spiral length
and the spiral rate (defined in :mod:`deterrence.dynamics.repeated`) over a
batch of noise levels, and :func:`check_transparency_claims` judges claim C5
per strategy: does lower noise (a) raise long-run mutual cooperation,
(b) shorten spirals, (c) make spirals rarer.  The verdicts (at the default
grid, :math:`10^{-3} \le \varepsilon \le 0.25`) are properties of the
strategies, not of the payoffs:

* win-stay-lose-shift and generous tit-for-tat: all three hold (spirals last
  about 2 rounds, and about 3 at :math:`q = 1/3`; cooperation tends to 1);
* tit-for-tat: spirals become rarer but *longer* (about :math:`1/(2\varepsilon)`
  rounds, the echo of alternating retaliation), and long-run cooperation is
  1/4 at every noise level (the chain is doubly stochastic): (a) and (b) fail;
* grim trigger: a spiral once started never ends (the trigger is absorbing),
  so long-run cooperation is :math:`\varepsilon^2` (both err together) and
  falls with lower noise; lower noise only delays the first breakdown.

Over the space of memory-one strategies that keep cooperating after mutual
cooperation (:func:`transparency_region`, a grid of
:math:`(1, p_{CD}, p_{DC}, p_{DD})`), lower noise raises long-run cooperation
for most strategies but shortens spirals for fewer than half: noise both
starts spirals and ends them, so where a strategy recovers slowly on its own
(tit-for-tat, generous TFT with little generosity, anything that needs an
error to leave mutual defection), a rarer error means a longer spiral.
Spirals get shorter with transparency only for strategies that end them by
themselves within a few rounds (win-stay-lose-shift; generous TFT with
:math:`q \gtrsim 1/3`).

Misperception against misexecution
----------------------------------
Transparency (intelligence sharing, verification, exercises announced in
advance) acts above all on *misperception*: each side misreading the other's
moves through its own channel (``channel="perception"``; the exact chain is
in :mod:`deterrence.dynamics.misperception`).  :func:`compare_channels`
sets the two channels side by side at the same rates.  Tit-for-tat and
win-stay-lose-shift answer a misread move exactly as a misexecuted one
(:math:`p_{CC} + p_{CD} = p_{DC} + p_{DD} = 1`), so their spirals and C5
verdicts are the same under both.  The others differ:

* generous tit-for-tat cooperates *more* under misperception than under
  misexecution at the same rate (a defection misread as cooperation is
  answered with cooperation), and misreads also end its spirals, so lower
  perception noise raises cooperation and makes spirals rarer but makes them
  slightly *longer* (towards 3 rounds at :math:`q = 1/3`): part (b) of C5
  fails for it, while it holds under misexecution;
* grim trigger under misperception alone never cooperates in the long run:
  once it defects it ignores what it reads, and only an accident could bring
  it back; lower perception noise changes nothing in the long run (all three
  parts fail), only how soon the first phantom defection comes;
* win-stay-lose-shift: all three parts hold under both channels, and with
  accidents held at a fixed rate (``other_noise``).

So the claim that transparency reduces escalation driven by misperception
holds for reciprocity that forgives by itself (WSLS), in part for generous
reciprocity (more cooperation, rarer spirals, not shorter ones) and not for
tit-for-tat or unforgiving strategies, where rarer misreads make spirals
rarer but leave the long-run cooperation where it was (1/4, or 0).  Over the
grid of memory-one strategies (:func:`transparency_region` with
``channel="perception"``) it raises cooperation for fewer strategies than
under misexecution and shortens spirals for far fewer (the example prints
the shares).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..dynamics.checks import as_real_array
from ..dynamics.markov import unichain
from ..dynamics.repeated import (STRATEGIES, automaton_chain, check_noise, check_perception, generous_tit_for_tat,
                                 grudger, noisy_match, outcome_payoffs, stage_payoffs,
                                 transition_matrix)
from ..errors import ModelError

__all__ = ["one_shot", "OneShot", "balance_payoffs", "cooperation_thresholds", "CooperationThresholds",
           "spiral_table", "check_transparency_claims", "TransparencyVerdict", "C5_CLAIMS", "GAME_TYPES",
           "DEFAULT_NOISE", "transparency_region", "TransparencyRegion", "CHANNELS", "compare_channels",
           "ChannelComparison"]

#: One-shot game types in the order of :attr:`OneShot.code`.
GAME_TYPES = ("Stag Hunt", "boundary", "Prisoner's Dilemma")
#: The noise grid of the C5 check: 200 levels, log-spaced from 1e-3 to 0.25.
DEFAULT_NOISE = np.geomspace(1e-3, 0.25, 200)

_JERVIS = "Jervis, R. (1978), 'Cooperation under the security dilemma', World Politics 30(2): 167-214"


@dataclass(frozen=True)
class OneShot:
    """The one-shot security dilemma at a batch of (g, k) points (closed forms).

    Attributes
    ----------
    code : ndarray of int
        0 Stag Hunt (g < 1), 1 boundary (g = 1), 2 Prisoner's Dilemma (g > 1); names in :data:`GAME_TYPES`.
    game_type : ndarray of str
    cooperation_equilibrium : ndarray of bool
        Mutual cooperation is a Nash equilibrium (g <= 1).
    mixed_cooperation : ndarray
        Cooperation probability of the mixed equilibrium, k/(1 - g + k), where g < 1; NaN elsewhere.
    cooperation_risk_dominant : ndarray of bool
        g < 1 and 1 - g > k.
    """

    g: np.ndarray
    k: np.ndarray
    code: np.ndarray
    game_type: np.ndarray
    cooperation_equilibrium: np.ndarray
    mixed_cooperation: np.ndarray
    cooperation_risk_dominant: np.ndarray


def _gk(g, k):
    g = as_real_array("g (gain from exploitation)", g, nonnegative=True)
    k = as_real_array("k (cost of being exploited)", k, positive=True)
    try:
        return np.broadcast_arrays(g, k)
    except ValueError:
        raise ModelError(f"g and k: shapes {g.shape} and {k.shape} do not broadcast") from None


def balance_payoffs(g, k):
    """Stage payoffs ``(T, R, P, S) = (g, 1, 0, -k)`` of the security dilemma (batched)."""
    g, k = _gk(g, k)
    return g, np.ones_like(g), np.zeros_like(g), -k


def one_shot(g, k) -> OneShot:
    """Jervis's classification and the one-shot equilibria in closed form, batched over ``g`` and ``k``."""
    g, k = _gk(g, k)
    code = np.where(g < 1, 0, np.where(g > 1, 2, 1))
    stag = g < 1
    with np.errstate(divide="ignore", invalid="ignore"):
        mixed = np.where(stag, k / (1 - g + k), np.nan)
    return OneShot(g, k, code, np.asarray(GAME_TYPES, dtype=object)[code], g <= 1, mixed, stag & (1 - g > k))


@dataclass(frozen=True)
class CooperationThresholds:
    """Least discount factors at which mutual cooperation is an equilibrium (module docstring); >= 1: never.

    Attributes
    ----------
    grim_trigger : (T-R)/(T-P), Nash and subgame perfect.
    tit_for_tat : max((T-R)/(T-P), (T-R)/(R-S)), Nash (Axelrod 1984, Prop. 2).
    tit_for_tat_one_shot : (T-R)/(R-S), the one-shot deviation from mutual cooperation alone.
    tit_for_tat_spe : the knife-edge delta at which TFT is subgame perfect, NaN where there is none.
    win_stay_lose_shift : (T-R)/(R-P), Nash and subgame perfect.
    generous_tit_for_tat : (T-R)/((1-q) min(T-P, R-S)), Nash.
    generosity : q.
    """

    grim_trigger: np.ndarray
    tit_for_tat: np.ndarray
    tit_for_tat_one_shot: np.ndarray
    tit_for_tat_spe: np.ndarray
    win_stay_lose_shift: np.ndarray
    generous_tit_for_tat: np.ndarray
    generosity: np.ndarray


def cooperation_thresholds(T, R, P, S, generosity=1 / 3, rtol: float = 1e-12) -> CooperationThresholds:
    """Closed-form discount-factor thresholds for cooperation in the repeated Prisoner's Dilemma, batched.

    Parameters
    ----------
    T, R, P, S : float or array
        Stage payoffs with T > R > P > S (e.g. :func:`balance_payoffs` with g > 1).
    generosity : float or array in [0, 1)
        Generous tit-for-tat's probability of cooperating after the other's defection.
    """
    T, R, P, S = stage_payoffs(T, R, P, S)
    q = as_real_array("generosity", generosity)
    if np.any(q < 0) or np.any(q >= 1):
        raise ModelError(f"generosity must lie in [0, 1), got {generosity!r}")
    grim = (T - R) / (T - P)
    one = (T - R) / (R - S)
    tft = np.maximum(grim, one)
    alt = (P - S) / (T - P)
    spe = np.where(np.isclose(one, alt, rtol=rtol, atol=0) & (one < 1), one, np.nan)
    wsls = (T - R) / (R - P)
    gtft = (T - R) / ((1 - q) * np.minimum(T - P, R - S))
    return CooperationThresholds(grim, tft, one, spe, wsls, gtft, np.broadcast_to(q, gtft.shape))


# ---------------------------------------------------------------------------- noise, spirals and claim C5
def _strategy(name, generosity):
    if name == "generous_tit_for_tat":
        return generous_tit_for_tat(generosity)
    if name in STRATEGIES:
        return STRATEGIES[name]
    raise ModelError(f"unknown strategy {name!r}; known: {', '.join(sorted(STRATEGIES))}, grudger")


def spiral_table(strategy: str, noise=DEFAULT_NOISE, generosity: float = 1 / 3, payoffs=(5, 3, 1, 0),
                 perception_noise=0.0) -> dict:
    """Exact long-run cooperation, spiral length and rate, and payoff of a strategy against itself, per noise level.

    ``strategy`` is a name of :data:`~deterrence.dynamics.repeated.STRATEGIES` (memory one: the exact 4-outcome
    chain) or ``"grudger"`` (grim trigger that never forgives: the exact chain on its automaton states, in which
    mutual grudge is absorbing; its one spiral never ends, reported as ``inf``, and its ``spiral_rate`` is the
    per-round probability that this spiral starts while both are still content).  ``noise`` is execution noise
    (a flipped move both see), ``perception_noise`` private misperception (a move misread by one player); they
    broadcast, and ``noise`` may be 0 where ``perception_noise`` is positive.
    """
    noise = as_real_array("noise", noise)
    perception_noise = as_real_array("perception_noise", perception_noise)
    if strategy == "grudger":
        M, out = automaton_chain(grudger(), grudger(), noise, perception_noise)
        if np.any(M[..., 0, 0] >= 1):
            raise ModelError("grudger with noise = 0 and perception_noise = 0 never leaves mutual cooperation: "
                             "give positive noise or perception_noise")
        # the pair of grudges (state 3) is absorbing for every noise level: the long run is spent there
        pi_out = out[..., 3, :]
        T, R, P, S = (float(x) for x in stage_payoffs(*payoffs))
        shape = pi_out.shape[:-1]
        return {"noise": np.broadcast_to(noise, shape), "perception_noise": np.broadcast_to(perception_noise, shape),
                "cooperation": pi_out[..., 0], "mutual_defection": pi_out[..., 3],
                "spiral_length": np.full(shape, np.inf), "spiral_rate": 1 - M[..., 0, 0],
                "payoff": pi_out @ outcome_payoffs(T, R, P, S)[0],
                "first_breakdown": 1 / (1 - M[..., 0, 0])}
    st = _strategy(strategy, generosity)
    m = noisy_match(st, st, noise, payoffs, perception_noise=perception_noise)
    with np.errstate(divide="ignore"):
        first = 1 / (1 - m.transition[..., 0, 0])
    return {"noise": m.noise, "perception_noise": m.perception_noise, "cooperation": m.cooperation,
            "mutual_defection": m.mutual_defection, "spiral_length": m.spiral_length, "spiral_rate": m.spiral_rate,
            "payoff": m.payoff_row, "first_breakdown": first}


#: The parts of claim C5 checked per strategy: (id, measure, direction in noise, statement).
C5_CLAIMS = (
    ("transparency_raises_cooperation", "cooperation", "decreasing",
     "lower noise raises the long-run share of mutual cooperation"),
    ("transparency_shortens_spirals", "spiral_length", "increasing",
     "lower noise shortens conflict spirals (expected rounds without mutual cooperation after a breakdown)"),
    ("transparency_makes_spirals_rarer", "spiral_rate", "increasing",
     "lower noise makes conflict spirals rarer (spirals started per round)"),
)
_C5_SOURCE = ("claims sheet C5 (transparency and confidence-building reduce escalation driven by misperception); "
              "mechanism: Bendor, Kramer and Stout (1991), JCR 35(4): 691-719; Nowak and Sigmund (1993), "
              "Nature 364: 56-58")


#: The noise channels that transparency can lower: misexecution (a flipped move both see) and private misperception.
CHANNELS = ("execution", "perception")


def _channel(channel, other_noise):
    if channel not in CHANNELS:
        raise ModelError(f"channel must be one of {', '.join(CHANNELS)}, got {channel!r}")
    if channel == "execution":
        return float(check_perception(other_noise))
    return float(check_noise(other_noise, open_interval=False))


def _steps_agree(v, direction, rtol):
    """Per step of the noise grid (last axis of ``v``): the measure moves the claimed way by more than ``rtol``
    relative; a step with an infinite or NaN difference does not agree."""
    with np.errstate(invalid="ignore"):
        step = np.diff(v, axis=-1)
        scale = np.maximum(np.abs(v[..., :-1]), 1e-300)
        ok = step > rtol * scale if direction == "increasing" else step < -rtol * scale
    return np.where(np.isfinite(step), ok, False)


def _levels(channel, noise, other):
    """(execution, perception) noise arrays for a grid of the varied channel, the other held at ``other``."""
    if channel == "execution":
        return noise, other
    return other, noise


@dataclass(frozen=True)
class TransparencyVerdict:
    """One part of claim C5 for one strategy, on a noise grid.

    ``verdict`` is ``holds`` (strictly monotone in the claimed direction at every step of the grid), ``fails``
    (at no step) or ``holds_on_share``; ``holds_where`` is the noise interval of the steps where it holds.
    ``channel`` is the noise that transparency lowers (:data:`CHANNELS`) and ``other_noise`` the level at which
    the other channel is held.
    """

    claim: str
    strategy: str
    statement: str
    verdict: str
    share: float
    holds_where: tuple | None
    low_noise_value: float
    high_noise_value: float
    noise_range: tuple
    source: str
    channel: str = "execution"
    other_noise: float = 0.0


_CHANNEL_WORDS = {"execution": "lower execution noise (fewer accidents, moves misexecuted and seen as played)",
                  "perception": "lower perception noise (each side misreads the other's moves less often, "
                                "privately)"}


def check_transparency_claims(strategies=("tit_for_tat", "win_stay_lose_shift", "generous_tit_for_tat",
                                          "grim_trigger", "grudger"),
                              noise=DEFAULT_NOISE, generosity: float = 1 / 3, rtol: float = 1e-9,
                              channel: str = "execution", other_noise: float = 0.0):
    """Judge each part of claim C5 (:data:`C5_CLAIMS`) for each strategy against itself, on a noise grid.

    ``noise`` is the grid of the channel that transparency lowers: ``channel="execution"`` (the default; a
    flipped move both players see) or ``"perception"`` (private misperception: a move misread by one player);
    the other channel is held at ``other_noise`` (default 0: pure misexecution, or pure misperception).
    A step of the (sorted) grid counts as agreeing when the measure moves the claimed way by more than
    ``rtol`` relative; a flat measure (TFT's cooperation) disagrees.  Returns a list of
    :class:`TransparencyVerdict`.
    """
    other = _channel(channel, other_noise)
    noise = np.sort(as_real_array("noise", noise).ravel())
    if noise.size < 2:
        raise ModelError("noise: give at least two noise levels to judge a direction")
    ex, pe = _levels(channel, noise, other)
    out = []
    for s in strategies:
        tab = spiral_table(s, ex, generosity, perception_noise=pe)
        for cid, measure, direction, statement in C5_CLAIMS:
            v = np.asarray(tab[measure], dtype=float)
            ok = _steps_agree(v, direction, rtol)
            verdict = "holds" if ok.all() else ("fails" if not ok.any() else "holds_on_share")
            where = None
            if ok.any():
                idx = np.flatnonzero(ok)
                where = (float(noise[idx[0]]), float(noise[idx[-1] + 1]))
            if channel != "execution":
                statement = statement.replace("lower noise", _CHANNEL_WORDS[channel])
            out.append(TransparencyVerdict(cid, s, statement, verdict, float(ok.mean()), where, float(v[0]),
                                           float(v[-1]), (float(noise[0]), float(noise[-1])), _C5_SOURCE,
                                           channel, other))
    return out


@dataclass(frozen=True)
class TransparencyRegion:
    """Where each part of claim C5 holds among memory-one strategies ``(1, p_CD, p_DC, p_DD)`` in self-play.

    Attributes
    ----------
    strategies : ndarray (n, 4)
        The grid of strategies.
    holds : dict of str -> ndarray of bool (n,)
        For each claim id of :data:`C5_CLAIMS`: the measure moves the claimed way at every step of the noise grid.
    share : dict of str -> float
        Share of the *judged* strategies for which it holds.
    noise_range : tuple
    channel : str
        The noise lowered (:data:`CHANNELS`); the other is held at ``other_noise``.
    judged : ndarray of bool (n,)
        Strategies whose long run is unique (one recurrent class); with no noise on the other channel some are
        not (``(1, 1, 0, 0)`` repeats its own move for ever under pure misperception) and are left out: they
        neither hold nor fail.
    """

    strategies: np.ndarray
    holds: dict
    share: dict
    noise_range: tuple
    channel: str = "execution"
    other_noise: float = 0.0
    judged: np.ndarray | None = None


def transparency_region(step: float = 0.25, noise=None, rtol: float = 1e-9, channel: str = "execution",
                        other_noise: float = 0.0) -> TransparencyRegion:
    """Judge claim C5 for every memory-one strategy ``(1, p_CD, p_DC, p_DD)`` on a grid of spacing ``step``.

    All strategies and noise levels are one batched call of :func:`~deterrence.dynamics.repeated.noisy_match`.
    ``channel`` and ``other_noise`` as in :func:`check_transparency_claims`.
    """
    other = _channel(channel, other_noise)
    step = float(as_real_array("step", step, positive=True))
    if step > 1 or abs(round(1 / step) - 1 / step) > 1e-9:
        raise ModelError(f"step must divide 1 (0.5, 0.25, 0.1, ...), got {step!r}")
    noise = np.sort(as_real_array("noise", DEFAULT_NOISE if noise is None else noise).ravel())
    if noise.size < 2:
        raise ModelError("noise: give at least two noise levels to judge a direction")
    vals = np.linspace(0, 1, int(round(1 / step)) + 1)
    a, b, c = np.meshgrid(vals, vals, vals, indexing="ij")
    strat = np.stack([np.ones(a.size), a.ravel(), b.ravel(), c.ravel()], -1)
    ex, pe = _levels(channel, noise, other)
    ex, pe = np.asarray(ex, dtype=float), np.asarray(pe, dtype=float)
    # one recurrent class at every level of the grid (the pattern of positive entries is the same at all
    # positive levels, so checking each level is exact and cheap)
    judged = np.all(unichain(transition_matrix(strat[:, None, :], strat[:, None, :], ex[None, ...] if ex.ndim
                                               else ex, pe[None, ...] if pe.ndim else pe)), axis=1)
    m = noisy_match(strat[judged][:, None, :], strat[judged][:, None, :], ex[None, ...] if ex.ndim else ex,
                    perception_noise=pe[None, ...] if pe.ndim else pe)
    holds = {}
    for cid, measure, direction, _ in C5_CLAIMS:
        ok = _steps_agree(getattr(m, measure), direction, rtol)
        full = np.zeros(strat.shape[0], dtype=bool)
        full[judged] = np.all(ok, axis=1)
        holds[cid] = full
    return TransparencyRegion(strat, holds, {k: float(v[judged].mean()) for k, v in holds.items()},
                              (float(noise[0]), float(noise[-1])), channel, other, judged)


# ---------------------------------------------------------------------------- misperception against misexecution
@dataclass(frozen=True)
class ChannelComparison:
    """One strategy against itself under misexecution and under misperception at the same rates (exact).

    Attributes
    ----------
    strategy : str
    noise : ndarray
        The rates compared: execution noise ``noise`` alone, against perception noise ``noise`` alone.
    cooperation_execution, cooperation_perception : ndarray
        Long-run share of mutual cooperation.
    spiral_length_execution, spiral_length_perception : ndarray
        Expected spiral length in rounds (``inf``: a spiral never ends).
    payoff_execution, payoff_perception : ndarray
        Long-run payoff per round.
    equivalent : bool
        The two channels give the same chain at every rate: the strategy answers a misread move as it answers a
        misexecuted one, :math:`p_{CC} + p_{CD} = 1` and :math:`p_{DC} + p_{DD} = 1`
        (:mod:`deterrence.dynamics.repeated`, "Misperception").
    """

    strategy: str
    noise: np.ndarray
    cooperation_execution: np.ndarray
    cooperation_perception: np.ndarray
    spiral_length_execution: np.ndarray
    spiral_length_perception: np.ndarray
    payoff_execution: np.ndarray
    payoff_perception: np.ndarray
    equivalent: bool


def compare_channels(strategies=("tit_for_tat", "win_stay_lose_shift", "generous_tit_for_tat", "grim_trigger",
                                 "grudger"),
                     noise=(0.001, 0.01, 0.05, 0.1, 0.2), generosity: float = 1 / 3, payoffs=(5, 3, 1, 0)):
    """Misperception against misexecution at the same rates, per strategy in self-play (exact chains).

    Returns a list of :class:`ChannelComparison`.  Tit-for-tat and win-stay-lose-shift are equivalent under the two
    channels; generous tit-for-tat cooperates more under misperception (its generosity forgives phantom
    defections too); grim trigger under misperception alone never cooperates in the long run (once it defects it
    ignores what it reads, and no accident brings it back).
    """
    noise = as_real_array("noise", noise)
    if noise.ndim != 1 or noise.size < 1:
        raise ModelError("noise: give a vector of noise levels")
    check_noise(noise)
    out = []
    for s in strategies:
        ex = spiral_table(s, noise, generosity, payoffs)
        pe = spiral_table(s, 0.0, generosity, payoffs, perception_noise=noise)
        if s == "grudger":
            eq = False
        else:
            p = _strategy(s, generosity).memory_one
            eq = bool(np.isclose(p[0] + p[1], 1) and np.isclose(p[2] + p[3], 1))
        out.append(ChannelComparison(s, noise, ex["cooperation"], pe["cooperation"], ex["spiral_length"],
                                     pe["spiral_length"], ex["payoff"], pe["payoff"], eq))
    return out
