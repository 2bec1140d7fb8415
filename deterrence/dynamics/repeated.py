r"""The repeated Prisoner's Dilemma with noise: strategies as automata, exact Markov chains, seeded simulation.

Stage game
----------
Two players each cooperate (C) or defect (D) every round.  Payoffs, to the row
player, are the temptation :math:`T` (D against C), the reward :math:`R`
(mutual C), the punishment :math:`P` (mutual D) and the sucker's payoff
:math:`S` (C against D), with :math:`T > R > P > S` (the Prisoner's Dilemma).
Outcomes are indexed from the player's own point of view, ``(own, other)``:
``0 = CC, 1 = CD, 2 = DC, 3 = DD`` (:data:`OUTCOMES`).

Strategies
----------
A strategy is a finite automaton (:class:`Automaton`): in each state it
cooperates with a probability, and it moves to a next state given the round's
outcome seen from its own side.  A *memory-one* strategy (Nowak and Sigmund
1990, 1993) is the vector :math:`p = (p_{CC}, p_{CD}, p_{DC}, p_{DD})` of its
cooperation probabilities after each outcome, with :math:`p_0` for the first
round: tit-for-tat ``(1, 0, 1, 0)``, win-stay-lose-shift (Pavlov)
``(1, 0, 0, 1)``, generous tit-for-tat ``(1, q, 1, q)``, and
``(1, 0, 0, 0)``, which defects after anything but mutual cooperation (grim
trigger as it is played under perfect monitoring: after a unilateral
defection it never meets mutual cooperation again).  :func:`grudger` is grim
trigger as a two-state automaton that never forgives (Axelrod's ``Grudger``),
and :func:`tit_for_two_tats` needs two rounds of memory.

Noise
-----
Each intended move is flipped with probability :math:`\varepsilon` (an
execution error, or a move misread in the same way by both sides; the
Axelrod library's ``noise``), so a memory-one player cooperates after
outcome :math:`s` with probability
:math:`p'_s = \varepsilon + (1 - 2\varepsilon) p_s`.  Two memory-one players
then drive a Markov chain on the four outcomes with

.. math::

   M_{s, (a, b)} = \Pr(a \mid p'_s)\,\Pr(b \mid q'_{\bar s}),

where :math:`\bar s` is outcome :math:`s` from the other side (CD and DC
swapped).  For :math:`0 < \varepsilon < 1` every entry is positive: the chain
is irreducible and aperiodic, and its stationary distribution :math:`\pi` is
the long-run share of each outcome whatever the first round
(:func:`noisy_match`, batched over noise levels and strategy pairs).  The
long-run payoffs are :math:`\pi \cdot (R, S, T, P)` and
:math:`\pi \cdot (R, T, S, P)`.

Misperception (private noise)
-----------------------------
With ``perception_noise`` :math:`\varepsilon_p` each player reads the other's
move through its own channel: misread (C seen as D or D as C) with
probability :math:`\varepsilon_p`, independently per player and per round,
so the two players' records of the same round can differ (Jervis 1976, ch.
3: a state that believes it was defected on retaliates, and the other sees an
unprovoked defection).  A memory-one player's state is its own move and its
*reading* of the other's, and the exact chain of the players' views is on 16
joint states (:mod:`deterrence.dynamics.misperception`).  But a reading is
used for one decision and then forgotten, and the misreads are independent of
everything before, so the *actual* outcomes are still a Markov chain: after
actual outcome :math:`s` the player cooperates with probability

.. math::

   \tilde p_s = (1 - \varepsilon_p) p_s + \varepsilon_p p_{\tilde s}, \qquad
   p'_s = \varepsilon + (1 - 2\varepsilon) \tilde p_s,

where :math:`\tilde s` is :math:`s` with the other's move flipped
(:func:`effective_strategy`; derived here).  Misperception and misexecution
at the same rate therefore give the same chain iff
:math:`p_{\tilde s} = 1 - p_s`, i.e. :math:`p_{CC} + p_{CD} = 1` and
:math:`p_{DC} + p_{DD} = 1`: tit-for-tat and win-stay-lose-shift answer a
misread move exactly as they answer a misexecuted one, while generous
tit-for-tat (whose generosity also forgives phantom defections), grim
trigger (which ignores what it reads once it has defected) and the
unconditional strategies do not.  With no execution noise a chain can have
several recurrent classes (a strategy that repeats its own move): those are
refused.  For longer memory a misread changes the automaton's state and the
players' states can disagree for ever (:func:`automaton_chain` and
:func:`simulate` take ``perception_noise``).

Conflict spirals (defined)
--------------------------
* :math:`h_s`, the *recovery time* from outcome :math:`s`: the expected number
  of rounds until mutual cooperation is first played again,
  :math:`h_{CC} = 0`, :math:`h_s = 1 + \sum_{s' \ne CC} M_{s s'} h_{s'}`.
* The *spiral length*: a spiral starts in the first round after mutual
  cooperation whose outcome is not mutual cooperation and lasts until mutual
  cooperation returns; its expected length in rounds is
  :math:`L = \sum_{s \ne CC} M_{CC,s} h_s / (1 - M_{CC,CC})`, equivalently
  (Kac's return-time formula) :math:`L = (1/\pi_{CC} - 1)/(1 - M_{CC,CC})`.
* The *spiral rate*: spirals started per round in the long run,
  :math:`\pi_{CC} (1 - M_{CC,CC})`.
* The *defection spell*: the mean length of a run of mutual defection,
  :math:`1/(1 - M_{DD,DD})`.

Longer memory
-------------
:func:`automaton_chain` builds the exact chain on the pairs of automaton
states (for :func:`grudger` the chain is absorbed in mutual grudge), and
:func:`simulate` plays seeded noisy matches of any two automata, vectorized
over matches, as the independent Monte Carlo check of every exact number.

Equilibrium checks (noise-free, discount factor :math:`\delta`)
--------------------------------------------------------------
:func:`nash_gain` is the best a player can gain against the other's automaton:
the player's best response solves a finite Markov decision problem on the
other's automaton states, solved exactly by enumerating its stationary
deterministic policies (a stationary deterministic policy is optimal in a
finite discounted MDP; M. L. Puterman, *Markov Decision Processes*, 1994, ch. 6).  :func:`spe_gain` is the largest gain of a one-shot deviation in
any state of the pair of automata reachable by some history (by the one-shot
deviation principle the profile is subgame perfect iff it is at most 0).
Neither uses the closed-form thresholds of
:mod:`deterrence.arms.security_dilemma`, which the tests check against them.

Sources: R. Axelrod, *The Evolution of Cooperation* (1984); M. Nowak and K.
Sigmund, "A strategy of win-stay, lose-shift that outperforms tit-for-tat in
the Prisoner's Dilemma game", *Nature* 364 (1993) 56-58, and "The evolution
of stochastic strategies in the Prisoner's Dilemma", *Acta Applicandae
Mathematicae* 20 (1990) 247-265; J. Bendor, R. Kramer and S. Stout, "When in
doubt... Cooperation in a noisy Prisoner's Dilemma", *Journal of Conflict
Resolution* 35(4) (1991) 691-719.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from ..errors import ModelError
from .checks import as_real_array
from .markov import excursions, hitting_times, require_unichain, stationary

__all__ = ["OUTCOMES", "Automaton", "memory_one", "grudger", "tit_for_two_tats", "generous_tit_for_tat", "STRATEGIES",
           "stage_payoffs", "outcome_payoffs",
           "transition_matrix", "effective_strategy", "check_strategy", "check_noise", "check_perception",
           "strategy_vector", "NoisyMatch", "noisy_match", "automaton_chain", "simulate", "Simulation",
           "nash_gain", "spe_gain", "MAX_STATES"]

#: Outcome labels in index order, ``(own move, other's move)``.
OUTCOMES = ("CC", "CD", "DC", "DD")
_SWAP = np.array([0, 2, 1, 3])          # an outcome seen from the other side
#: Largest automaton handled by the exact equilibrium checks (2**states policies are enumerated).
MAX_STATES = 8


@dataclass(frozen=True, eq=False)
class Automaton:
    """A strategy of the repeated game as a finite automaton.

    Attributes
    ----------
    name : str
    coop : ndarray, shape (n_states,)
        Probability of cooperating (intending to) in each state, in [0, 1].
    next_state : ndarray of int, shape (n_states, 4)
        The next state after each outcome ``(own, other)`` in :data:`OUTCOMES` order.
    start : int
        The state of the first round.
    """

    name: str
    coop: np.ndarray
    next_state: np.ndarray
    start: int = 0

    def __post_init__(self):
        c = as_real_array(f"{self.name}: coop", self.coop)
        n = np.asarray(self.next_state)
        if c.ndim != 1 or not 1 <= c.size <= 64:
            raise ModelError(f"{self.name}: coop must be a vector of 1..64 cooperation probabilities")
        if np.any(c < 0) or np.any(c > 1):
            raise ModelError(f"{self.name}: cooperation probabilities must lie in [0, 1], got {c.tolist()}")
        if n.shape != (c.size, 4) or n.dtype.kind not in "iu" or np.any(n < 0) or np.any(n >= c.size):
            raise ModelError(f"{self.name}: next_state must be integers of shape ({c.size}, 4) naming states")
        if not 0 <= int(self.start) < c.size:
            raise ModelError(f"{self.name}: start must name a state, got {self.start!r}")
        object.__setattr__(self, "coop", c)
        object.__setattr__(self, "next_state", n.astype(int))
        object.__setattr__(self, "start", int(self.start))

    @property
    def n_states(self) -> int:
        return self.coop.size

    @property
    def memory_one(self) -> np.ndarray | None:
        """The vector ``(p_CC, p_CD, p_DC, p_DD)`` if this is a :func:`memory_one` automaton, else None."""
        if self.n_states == 5 and np.array_equal(self.next_state, np.tile(np.arange(4), (5, 1))):
            return self.coop[:4]
        return None


def memory_one(p, first: float = 1.0, name: str = "memory-one") -> Automaton:
    """The memory-one strategy cooperating with probability ``p[s]`` after outcome ``s`` (and ``first`` in round 1).

    States 0..3 are the last outcome, state 4 the start.
    """
    p = as_real_array(f"{name}: p", p)
    if p.shape != (4,):
        raise ModelError(f"{name}: p must be 4 probabilities (after CC, CD, DC, DD), got shape {p.shape}")
    return Automaton(name, np.append(p, float(first)), np.tile(np.arange(4), (5, 1)), start=4)


def grudger() -> Automaton:
    """Grim trigger that never forgives: cooperate until the other defects once, then defect for ever.

    Axelrod's ``Grudger`` (Friedman 1971's trigger strategy): it reacts to the other's defections only.
    """
    return Automaton("grudger", np.array([1.0, 0.0]), np.array([[0, 1, 0, 1], [1, 1, 1, 1]]), start=0)


def tit_for_two_tats() -> Automaton:
    """Defect only after the other defected in each of the last two rounds (Axelrod 1984); memory two."""
    # states: number of consecutive defections of the other, capped at 2
    return Automaton("tit-for-two-tats", np.array([1.0, 1.0, 0.0]),
                     np.array([[0, 1, 0, 1], [0, 2, 0, 2], [0, 2, 0, 2]]), start=0)


def generous_tit_for_tat(generosity=1 / 3) -> Automaton:
    """Generous tit-for-tat ``(1, q, 1, q)``: cooperates after the other's defection with probability ``q``."""
    q = float(generosity)
    return memory_one([1, q, 1, q], 1.0, f"generous tit-for-tat (q={q:g})")


#: The named memory-one strategies (vectors ``(p_CC, p_CD, p_DC, p_DD)``, all cooperating first).
STRATEGIES = {
    "tit_for_tat": memory_one([1, 0, 1, 0], 1.0, "tit-for-tat"),
    "win_stay_lose_shift": memory_one([1, 0, 0, 1], 1.0, "win-stay-lose-shift"),
    "grim_trigger": memory_one([1, 0, 0, 0], 1.0, "grim trigger (memory one)"),
    "generous_tit_for_tat": generous_tit_for_tat(1 / 3),
    "always_cooperate": memory_one([1, 1, 1, 1], 1.0, "always cooperate"),
    "always_defect": memory_one([0, 0, 0, 0], 0.0, "always defect"),
}


def stage_payoffs(T, R, P, S):
    """The stage payoffs as float arrays broadcast together, checked to be a Prisoner's Dilemma, T > R > P > S."""
    T, R, P, S = (as_real_array(n, v) for n, v in zip("TRPS", (T, R, P, S)))
    try:
        T, R, P, S = np.broadcast_arrays(T, R, P, S)
    except ValueError:
        raise ModelError(f"T, R, P, S: shapes {T.shape}, {R.shape}, {P.shape}, {S.shape} do not broadcast") from None
    for (a, b, na, nb) in ((T, R, "T", "R"), (R, P, "R", "P"), (P, S, "P", "S")):
        bad = ~(a > b)
        if bad.any():
            i = tuple(np.argwhere(bad)[0])
            raise ModelError(f"the Prisoner's Dilemma needs T > R > P > S: {na} = {float(a[i])!r} is not above "
                             f"{nb} = {float(b[i])!r}")
    return T, R, P, S


def outcome_payoffs(T, R, P, S):
    """Each player's payoff in each outcome CC, CD, DC, DD (row side) on the last axis: ``(R, S, T, P)`` for the
    row player, ``(R, T, S, P)`` for the column player."""
    return np.stack(np.broadcast_arrays(R, S, T, P), -1), np.stack(np.broadcast_arrays(R, T, S, P), -1)


def check_strategy(name, p):
    """``p`` as a float array whose last axis holds 4 cooperation probabilities in [0, 1], or a ModelError."""
    p = as_real_array(name, p)
    if p.shape[-1:] != (4,):
        raise ModelError(f"{name}: the last axis must hold the 4 cooperation probabilities (after CC, CD, DC, DD), "
                         f"got shape {p.shape}")
    if np.any(p < 0) or np.any(p > 1):
        raise ModelError(f"{name}: cooperation probabilities must lie in [0, 1]")
    return p


def check_noise(eps, *, open_interval=True, name="noise", what="a flipped move"):
    """Noise levels as a float array in (0, 1) (or [0, 1) with ``open_interval=False``), or a ModelError naming it."""
    e = as_real_array(name, eps)
    lo_ok = e > 0 if open_interval else e >= 0
    if not (np.all(lo_ok) and np.all(e < 1)):
        bad = e[~(lo_ok & (e < 1))].flat[0]
        rng = "(0, 1)" if open_interval else "[0, 1)"
        raise ModelError(f"{name} = {float(bad)!r}: the probability of {what} must lie in {rng}")
    return e


def check_perception(eps):
    """Perception noise levels as a float array in [0, 1), or a ModelError naming ``perception_noise``."""
    return check_noise(eps, open_interval=False, name="perception_noise", what="a misread move")


#: An outcome with the other's move flipped (CC <-> CD, DC <-> DD): what a misread turns it into.
_MISREAD = np.array([1, 0, 3, 2])


def effective_strategy(p, perception_noise):
    r"""The cooperation probabilities of memory-one strategy ``p`` as a function of the *actual* last outcome.

    A player who misreads the other's last move with probability :math:`\varepsilon_p` cooperates after
    actual outcome :math:`s` with probability :math:`(1-\varepsilon_p) p_s + \varepsilon_p p_{\tilde s}`, where
    :math:`\tilde s` is :math:`s` with the other's move flipped.  Batched: ``p`` of shape ``(..., 4)``.
    """
    p = check_strategy("p", p)
    e = check_perception(perception_noise)[..., None]
    return (1 - e) * p + e * p[..., _MISREAD]


def transition_matrix(p, q, noise, perception_noise=0.0):
    """The outcome chain of memory-one strategies ``p`` (row player) and ``q`` under noise, batched.

    ``p`` and ``q`` have shape ``(..., 4)``, ``noise`` (execution) and ``perception_noise`` shape ``(...)``; they
    broadcast.  Returns ``(..., 4, 4)`` with rows the current *actual* outcome and columns the next, both from the
    row player's side.  With private misperception each player's move depends on its own reading of the last
    round, but a reading is used once and then forgotten, so the actual outcomes are still a Markov chain, with
    :func:`effective_strategy` in place of each strategy (module docstring).
    """
    p, q = check_strategy("p", p), check_strategy("q", q)
    e = check_noise(noise, open_interval=False)[..., None]
    ep = check_perception(perception_noise)
    try:
        pt, qt = effective_strategy(p, ep), effective_strategy(q, ep)
        pe = e + (1 - 2 * e) * pt                    # row player's cooperation after each actual outcome
        qe = e + (1 - 2 * e) * qt[..., _SWAP]        # column player's, indexed by the row player's outcome
        pe, qe = np.broadcast_arrays(pe, qe)
    except ValueError:
        raise ModelError(f"p {p.shape[:-1]}, q {q.shape[:-1]}, noise {e.shape[:-1]} and perception_noise "
                         f"{ep.shape}: batch shapes do not broadcast") from None
    M = np.empty(pe.shape + (4,))
    M[..., 0] = pe * qe
    M[..., 1] = pe * (1 - qe)
    M[..., 2] = (1 - pe) * qe
    M[..., 3] = (1 - pe) * (1 - qe)
    return M


@dataclass(frozen=True)
class NoisyMatch:
    """Long-run behaviour of noisy matches between memory-one strategies (arrays over the batch).

    Attributes
    ----------
    noise : ndarray
        Execution noise: the probability that an intended move is flipped (seen by both players).
    transition : ndarray (..., 4, 4)
        The chain :math:`M` of the actual outcomes.
    stationary : ndarray (..., 4)
        Long-run share of CC, CD, DC, DD (row player's side).
    payoff_row, payoff_col : ndarray
        Long-run average payoffs per round.
    cooperation : ndarray
        Long-run share of mutual cooperation, :math:`\\pi_{CC}`.
    mutual_defection : ndarray
        :math:`\\pi_{DD}`.
    recovery_time : ndarray (..., 4)
        Expected rounds from each outcome until mutual cooperation (0 for CC; ``inf`` where it may never return).
    spiral_length : ndarray
        Expected length in rounds of a spiral (a run of rounds without mutual cooperation after a breakdown);
        ``inf`` where mutual cooperation, once left, never returns in the long run; NaN where it is never left.
    spiral_rate : ndarray
        Spirals started per round in the long run.
    defection_spell : ndarray
        Mean length of a run of mutual defection, :math:`1/(1 - M_{DD,DD})` (``inf`` if it never ends).
    perception_noise : ndarray
        Probability that a player misreads the other's move (privately, independently per player and round).
    """

    noise: np.ndarray
    transition: np.ndarray
    stationary: np.ndarray
    payoff_row: np.ndarray
    payoff_col: np.ndarray
    cooperation: np.ndarray
    mutual_defection: np.ndarray
    recovery_time: np.ndarray
    spiral_length: np.ndarray
    spiral_rate: np.ndarray
    defection_spell: np.ndarray
    perception_noise: np.ndarray = 0.0


def noisy_match(p, q, noise, payoffs=(5, 3, 1, 0), perception_noise=0.0) -> NoisyMatch:
    """Exact long-run behaviour of two memory-one strategies under noise, batched over noise levels and pairs.

    Parameters
    ----------
    p, q : array (..., 4) or Automaton
        Cooperation probabilities after CC, CD, DC, DD (each from its own side), or memory-one automata.
    noise : float or array, in (0, 1); in [0, 1) when ``perception_noise`` is given
        Execution noise: probability that an intended move is flipped (both players see the flipped move).
    payoffs : (T, R, P, S)
        Stage payoffs, T > R > P > S (default Axelrod's 5, 3, 1, 0); each may be an array.
    perception_noise : float or array, in [0, 1)
        Private misperception: probability that a player misreads the other's move, independently per player
        and per round (module docstring, "Misperception").  The chain is still on the actual outcomes; the
        joint chain of the players' views is :func:`deterrence.dynamics.misperception.misperception_match`.

    Raises
    ------
    ModelError
        A noise level outside its range, or (with zero execution noise) a chain with more than one recurrent
        class, whose long run depends on the first round (e.g. ``(1, 1, 0, 0)``, "repeat your own move").
    """
    p, q = (strategy_vector(x, nm) for x, nm in ((p, "p"), (q, "q")))
    ep = check_perception(perception_noise)
    e = check_noise(noise, open_interval=not np.any(ep > 0))
    T, R, P, S = stage_payoffs(*payoffs)
    M = transition_matrix(p, q, e, ep)
    E, EP = np.broadcast_arrays(e, ep)
    E, EP = np.broadcast_to(E, M.shape[:-2]), np.broadcast_to(EP, M.shape[:-2])
    require_unichain(M, lambda i: f"noise = {float(E[i]):g}, perception_noise = {float(EP[i]):g} "
                                 f"(batch entry {i})")
    pi = stationary(M)
    u_row, u_col = outcome_payoffs(T, R, P, S)
    pay_r = np.sum(pi * u_row, -1)
    pay_c = np.sum(pi * u_col, -1)
    cc = np.array([True, False, False, False])
    rec = hitting_times(M, cc)
    rate, spiral = excursions(M, pi, cc)
    with np.errstate(divide="ignore"):
        spell = 1 / (1 - M[..., 3, 3])
    return NoisyMatch(E, M, pi, pay_r, pay_c, pi[..., 0], pi[..., 3], rec, spiral, rate, spell, EP)


def strategy_vector(x, name):
    """A memory-one strategy given as a vector, a memory-one Automaton or a name of STRATEGIES, as its vector."""
    if isinstance(x, Automaton):
        v = x.memory_one
        if v is None:
            raise ModelError(f"{name}: {x.name} is not a memory-one strategy; use automaton_chain or simulate")
        return v
    if isinstance(x, str):
        if x not in STRATEGIES:
            raise ModelError(f"{name}: unknown strategy {x!r}; known: {', '.join(STRATEGIES)}")
        return STRATEGIES[x].memory_one
    return x


def _automaton(x, name):
    if isinstance(x, Automaton):
        return x
    if isinstance(x, str):
        if x == "grudger":
            return grudger()
        if x == "tit_for_two_tats":
            return tit_for_two_tats()
        if x not in STRATEGIES:
            raise ModelError(f"{name}: unknown strategy {x!r}")
        return STRATEGIES[x]
    raise ModelError(f"{name}: expected an Automaton or a strategy name, got {type(x).__name__}")


def automaton_chain(a, b, noise, perception_noise=0.0):
    """The exact chain on pairs of automaton states under noise, batched over ``noise`` and ``perception_noise``.

    Each automaton moves to its next state on the outcome *as it perceives it*: its own actual move and the
    other's actual move, misread with probability ``perception_noise`` (privately and independently per player).
    Returns ``(M, outcome)``: ``M`` of shape ``(..., nA*nB, nA*nB)`` over states ``(i, j) -> i*nB + j``, and
    ``outcome`` of shape ``(..., nA*nB, 4)``, the probability of each actual outcome (row side) played in that state.
    """
    a, b = _automaton(a, "a"), _automaton(b, "b")
    ep = check_perception(perception_noise)
    e = check_noise(noise, open_interval=False)
    try:
        e, ep = np.broadcast_arrays(e, ep)
    except ValueError:
        raise ModelError(f"noise {e.shape} and perception_noise {ep.shape}: shapes do not broadcast") from None
    e, ep = e[..., None, None], ep[..., None, None, None]
    pa = e + (1 - 2 * e) * a.coop[:, None]                  # (.., nA, 1)
    pb = e + (1 - 2 * e) * b.coop[None, :]                  # (.., 1, nB)
    out = np.stack([pa * pb, pa * (1 - pb), (1 - pa) * pb, (1 - pa) * (1 - pb)], -1)   # (.., nA, nB, 4)
    nA, nB = a.n_states, b.n_states
    M = np.zeros(out.shape[:-3] + (nA * nB, nA * nB))
    for i, j, o in product(range(nA), range(nB), range(4)):
        for ra, rb in product((0, 1), repeat=2):            # does a misread b's move, does b misread a's
            w = out[..., i, j, o] * (ep if ra else 1 - ep)[..., 0, 0, 0] * (ep if rb else 1 - ep)[..., 0, 0, 0]
            oa = _MISREAD[o] if ra else o                  # a's reading, from a's side
            ob = _MISREAD[_SWAP[o]] if rb else _SWAP[o]    # b's reading, from b's side
            M[..., i * nB + j, a.next_state[i, oa] * nB + b.next_state[j, ob]] += w
    return M, out.reshape(out.shape[:-3] + (nA * nB, 4))


@dataclass(frozen=True)
class Simulation:
    """Seeded noisy matches: outcomes ``(matches, turns)`` (codes 0..3, row side) and summaries."""

    outcomes: np.ndarray
    payoff_row: np.ndarray
    payoff_col: np.ndarray
    cooperation: np.ndarray
    seed: int

    def spiral_lengths(self) -> np.ndarray:
        """Lengths of the completed spirals: runs of non-CC outcomes preceded by a CC and followed by a CC."""
        out = []
        for row in self.outcomes:
            cc = np.flatnonzero(row == 0)
            gaps = np.diff(cc) - 1
            out.append(gaps[gaps > 0])
        return np.concatenate(out) if out else np.zeros(0)

    def defection_spells(self) -> np.ndarray:
        """Lengths of the completed runs of mutual defection (bounded by other outcomes on both sides)."""
        out = []
        for row in self.outcomes:
            dd = np.concatenate([[0], (row == 3).astype(int), [0]])
            d = np.diff(dd)
            starts, ends = np.flatnonzero(d == 1), np.flatnonzero(d == -1)
            lens = ends - starts
            keep = (starts > 0) & (ends < row.size)
            out.append(lens[keep])
        return np.concatenate(out) if out else np.zeros(0)


def simulate(a, b, noise: float, turns: int = 1000, matches: int = 100, seed: int = 0,
             payoffs=(5, 3, 1, 0), perception_noise: float = 0.0) -> Simulation:
    """Play ``matches`` seeded noisy matches of ``turns`` rounds between automata ``a`` and ``b`` (vectorized).

    Each round both automata draw their intended move and each move is flipped with probability ``noise``; each
    player then reads the other's move, misreading it with probability ``perception_noise`` (privately), and
    moves to its next state on its own reading.  ``outcomes`` records the actual moves.  Independent of the exact
    chains: the Monte Carlo check.
    """
    a, b = _automaton(a, "a"), _automaton(b, "b")
    e = float(check_noise(noise, open_interval=False))
    ep = float(check_perception(perception_noise))
    for nm, v, lo in (("turns", turns, 1), ("matches", matches, 1)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < lo:
            raise ModelError(f"{nm} must be an integer >= {lo}, got {v!r}")
    T, R, P, S = (float(x) for x in stage_payoffs(*payoffs))
    rng = np.random.default_rng(seed)
    sa = np.full(matches, a.start)
    sb = np.full(matches, b.start)
    outcomes = np.empty((matches, turns), dtype=np.int8)
    for t in range(turns):
        u = rng.random((2, matches))
        f = rng.random((2, matches)) < e
        da = (u[0] >= a.coop[sa]) ^ f[0]             # True = defect
        db = (u[1] >= b.coop[sb]) ^ f[1]
        o = 2 * da + db
        outcomes[:, t] = o
        if ep > 0:
            m = rng.random((2, matches)) < ep       # misreads: a of b's move, b of a's move
            sa = a.next_state[sa, 2 * da + (db ^ m[0])]
            sb = b.next_state[sb, 2 * db + (da ^ m[1])]
        else:
            sa = a.next_state[sa, o]
            sb = b.next_state[sb, _SWAP[o]]
    ur, uc = outcome_payoffs(T, R, P, S)
    return Simulation(outcomes, ur[outcomes].mean(1), uc[outcomes].mean(1), (outcomes == 0).mean(1), int(seed))


# ---------------------------------------------------------------- equilibrium checks (noise-free)
def _delta(delta):
    d = as_real_array("delta", delta)
    if np.any(d <= 0) or np.any(d >= 1):
        raise ModelError(f"delta (the discount factor) must lie in (0, 1), got {d[(d <= 0) | (d >= 1)].flat[0]!r}")
    return d


def _values(M, r, d):
    """Discounted values ``v = r + d M v`` (batched over ``d``)."""
    n = M.shape[-1]
    A = np.eye(n) - d[..., None, None] * M
    return np.linalg.solve(A, np.broadcast_to(r, A.shape[:-1])[..., None])[..., 0]


def nash_gain(a, b, delta, payoffs=(5, 3, 1, 0)):
    """What the row player gains at best by deviating from ``a`` against ``b`` (noise-free), batched over ``delta``.

    The best response is found exactly: the row player's problem is a Markov decision problem on ``b``'s states,
    and every stationary deterministic policy (``2**n_states`` of them) is evaluated by a linear solve.  The profile
    ``(a, b)`` is a Nash equilibrium (for the row player) iff the gain is at most 0 (up to rounding).
    """
    a, b = _automaton(a, "a"), _automaton(b, "b")
    d = _delta(delta)
    T, R, P, S = (float(x) for x in stage_payoffs(*payoffs))
    if b.n_states > MAX_STATES:
        raise ModelError(f"nash_gain enumerates 2**n policies: the opponent has {b.n_states} states, "
                         f"at most {MAX_STATES} are allowed")
    n = b.n_states
    qb = b.coop                                                   # b's cooperation in each of its states
    best = np.full(d.shape, -np.inf)
    for pol in product((0, 1), repeat=n):                          # action of the row player in each b-state
        act = np.array(pol)                                        # 1 = defect
        M = np.zeros((n, n))
        r = np.zeros(n)
        for j in range(n):
            for bd, pr in ((0, qb[j]), (1, 1 - qb[j])):
                if pr == 0:
                    continue
                o_row = 2 * act[j] + bd
                M[j, b.next_state[j, _SWAP[o_row]]] += pr
                r[j] += pr * (R, S, T, P)[o_row]
        best = np.maximum(best, _values(M, r, d)[..., b.start])
    Mj, out = automaton_chain(a, b, 0.0)
    ur = outcome_payoffs(T, R, P, S)[0]
    v = _values(Mj, out @ ur, d)[..., a.start * n + b.start]
    return best - v


def _reachable(a, b):
    """States ``(i, j)`` of the pair reachable by some history (any moves), from the start."""
    seen, todo = {(a.start, b.start)}, [(a.start, b.start)]
    while todo:
        i, j = todo.pop()
        for o in range(4):
            k = (int(a.next_state[i, o]), int(b.next_state[j, _SWAP[o]]))
            if k not in seen:
                seen.add(k)
                todo.append(k)
    return sorted(seen)


def spe_gain(a, b, delta, payoffs=(5, 3, 1, 0)):
    """Largest gain of a one-shot deviation by either player in any reachable state of the pair (noise-free).

    By the one-shot deviation principle (e.g. Mailath and Samuelson, *Repeated Games and Reputations*, 2006,
    ch. 2) ``(a, b)`` is a subgame perfect equilibrium iff this is at most 0 (up to rounding).
    Batched over ``delta``.
    """
    a, b = _automaton(a, "a"), _automaton(b, "b")
    d = _delta(delta)
    T, R, P, S = (float(x) for x in stage_payoffs(*payoffs))
    M, out = automaton_chain(a, b, 0.0)
    nB = b.n_states
    worst = np.full(d.shape, -np.inf)
    for side in (0, 1):
        u = outcome_payoffs(T, R, P, S)[side]
        v = _values(M, out @ u, d)                                  # (..., nA*nB)
        for i, j in _reachable(a, b):
            pa, pb = a.coop[i], b.coop[j]
            for mv in (0, 1):                                       # the deviator's action, 1 = defect
                q = 0.0
                other = pb if side == 0 else pa
                for od, pr in ((0, other), (1, 1 - other)):
                    if pr == 0:
                        continue
                    o = 2 * mv + od if side == 0 else 2 * od + mv    # outcome on the row side
                    k = a.next_state[i, o] * nB + b.next_state[j, _SWAP[o]]
                    q = q + pr * (u[o] + d * v[..., k])
                worst = np.maximum(worst, q - v[..., i * nB + j])
    return worst
