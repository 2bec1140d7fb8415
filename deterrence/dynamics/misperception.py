r"""Private misperception in the noisy repeated Prisoner's Dilemma: the exact chain of the two players' views.

Model
-----
Two memory-one strategies :math:`p` (row player) and :math:`q` (column player), each a vector of cooperation
probabilities after the outcomes CC, CD, DC, DD seen from its own side (:mod:`deterrence.dynamics.repeated`).
Each round:

1. each player draws its intended move from its strategy, given *its own record* of the last round;
2. each intended move is flipped with probability :math:`\varepsilon_e` (``noise``: misexecution, an accident
   both players see as it happened);
3. each player reads the other's actual move through its own channel, misreading it with probability
   :math:`\varepsilon_p` (``perception_noise``), independently per player and per round; each knows its own move.

Player :math:`i`'s record of the round is the pair (own actual move, its reading of the other's), so the two
records can disagree: a player that misreads cooperation as defection retaliates in good faith, and the other,
which cooperated, sees an unprovoked defection (the spiral model of R. Jervis, *Perception and Misperception in
International Politics*, 1976, ch. 3; in the noisy Prisoner's Dilemma, J. Bendor, R. Kramer and S. Stout, "When
in doubt...", *Journal of Conflict Resolution* 35(4), 1991, 691-719, where each player infers the other's
cooperation from its own noisy payoff).

The joint chain
---------------
The state is the pair of records :math:`(s_1, s_2)`, each in CC, CD, DC, DD from its owner's side: 16 joint
states, indexed :math:`4 s_1 + s_2` (labels :data:`JOINT_STATES`, ``"CD|DC"``: the row player cooperated and
read a defection, the column player defected and read a cooperation, i.e. the row player read correctly).
From :math:`(s_1, s_2)` the next actual moves :math:`a_1, a_2` are independent, player 1 cooperating with
probability :math:`\varepsilon_e + (1 - 2\varepsilon_e) p_{s_1}` and player 2 with
:math:`\varepsilon_e + (1 - 2\varepsilon_e) q_{s_2}`; the readings :math:`r_1` of :math:`a_2` and :math:`r_2` of
:math:`a_1` are then independent misreads, so

.. math::

   M_{(s_1, s_2), ((a_1, r_1), (a_2, r_2))} = \Pr(a_1 \mid s_1) \Pr(a_2 \mid s_2)
   \Pr(r_1 \mid a_2) \Pr(r_2 \mid a_1).

:func:`perception_transition` builds it batched (over noise levels and strategy pairs, as
:func:`~deterrence.dynamics.repeated.transition_matrix` does for the 4 outcomes).  :func:`misperception_match`
checks that it has a single recurrent class (it refuses otherwise: with no execution noise, a strategy that
repeats its own move keeps its first move for ever), solves the stationary distribution and reports, per batch
entry:

* the long-run share of each actual outcome, each player's long-run share of each *recorded* outcome, the
  long-run payoffs (actual moves), P(mutual cooperation);
* **spirals**, defined on the actual moves as in :mod:`deterrence.dynamics.repeated`: a spiral starts in the
  first round after a round of actual mutual cooperation whose outcome is not mutual cooperation, and lasts until
  actual mutual cooperation returns.  ``spiral_length`` is its expected length in rounds, averaged over the
  spirals of a long run (by the ergodic theorem and Kac's formula for a set of states, the stationary weight of
  the states without mutual cooperation over the stationary flux out of the mutual-cooperation states);
  ``spiral_rate`` is that flux, spirals started per round; ``recovery_time`` the expected rounds to actual mutual
  cooperation from each joint state;
* ``misperceived_start``: the share of spirals whose last round of mutual cooperation was misread by at least
  one player (a phantom defection), against those started by a misexecuted move only.

The actual outcomes alone are a 4-state Markov chain (a reading is used once and forgotten; the proof and the
effective strategies are in :mod:`deterrence.dynamics.repeated`, "Misperception"), which
:func:`~deterrence.dynamics.repeated.noisy_match` solves with ``perception_noise=``; the tests check the two
constructions against each other, against closed forms and against a seeded simulation.  At
:math:`\varepsilon_p = 0` the records always agree and the chain is the execution-noise chain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from .markov import excursions, hitting_times, require_unichain, stationary
from .repeated import (OUTCOMES, check_noise, check_perception, check_strategy, outcome_payoffs, stage_payoffs,
                       strategy_vector)

__all__ = ["JOINT_STATES", "perception_transition", "misperception_match", "MisperceptionMatch"]

#: Joint states in index order ``4*s1 + s2``: ``"row's record|column's record"``, each (own move, reading).
JOINT_STATES = tuple(f"{a}|{b}" for a in OUTCOMES for b in OUTCOMES)
_S1 = np.repeat(np.arange(4), 4)                    # row player's record in each joint state
_S2 = np.tile(np.arange(4), 4)                      # column player's record (its own side)
#: Actual outcome (row side) in each joint state: the two own moves.
ACTUAL = 2 * (_S1 >> 1) + (_S2 >> 1)
_MISREAD_ROW = (_S1 & 1) != (_S2 >> 1)              # the row player's reading differs from the column's move
_MISREAD_COL = (_S2 & 1) != (_S1 >> 1)


def perception_transition(p, q, noise=0.0, perception_noise=0.0):
    """The joint chain of the two players' records under execution and perception noise, batched.

    Parameters
    ----------
    p, q : array (..., 4)
        Cooperation probabilities after CC, CD, DC, DD, each from its own side (as its owner records them).
    noise : float or array in [0, 1)
        Execution noise: an intended move is flipped (both see the flipped move).
    perception_noise : float or array in [0, 1)
        A player misreads the other's move, privately and independently.

    Returns
    -------
    ndarray (..., 16, 16)
        Rows and columns in :data:`JOINT_STATES` order.
    """
    p, q = check_strategy("p", p), check_strategy("q", q)
    e = check_noise(noise, open_interval=False)[..., None]
    ep = check_perception(perception_noise)[..., None, None]
    try:
        c1 = e + (1 - 2 * e) * p
        c2 = e + (1 - 2 * e) * q
        P1 = np.stack([c1, 1 - c1], -1)                          # (..., 4 records, 2 moves)
        P2 = np.stack([c2, 1 - c2], -1)
        eye = np.eye(2)
        G = (1 - ep) * eye + ep * (1 - eye)                      # (..., actual move, reading)
        moves = P1[..., :, None, :, None] * P2[..., None, :, None, :]          # (..., s1, s2, a1, a2)
        reads = G[..., None, :, :, None] * G[..., :, None, None, :]            # (..., a1, a2, r1, r2)
        M = moves[..., :, :, :, :, None, None] * reads[..., None, None, :, :, :, :]  # (..., s1, s2, a1, a2, r1, r2)
        M = np.moveaxis(M, -2, -3)                                             # (..., s1, s2, a1, r1, a2, r2)
    except ValueError:
        raise ModelError(f"p {p.shape[:-1]}, q {q.shape[:-1]}, noise {e.shape[:-1]} and perception_noise "
                         f"{ep.shape[:-2]}: batch shapes do not broadcast") from None
    return M.reshape(M.shape[:-6] + (16, 16))


@dataclass(frozen=True)
class MisperceptionMatch:
    """Long-run behaviour of two memory-one strategies under private misperception (arrays over the batch).

    Attributes
    ----------
    noise, perception_noise : ndarray
        Execution and perception noise of each batch entry.
    transition : ndarray (..., 16, 16)
        The joint chain of the records (:data:`JOINT_STATES`).
    stationary : ndarray (..., 16)
        Long-run share of each joint state.
    outcome : ndarray (..., 4)
        Long-run share of each actual outcome CC, CD, DC, DD (row side).
    record_row, record_col : ndarray (..., 4)
        Long-run share of each outcome as the row (column) player records it, from its own side.
    payoff_row, payoff_col : ndarray
        Long-run average payoffs per round (of the actual moves).
    cooperation : ndarray
        Long-run share of rounds of actual mutual cooperation.
    mutual_defection : ndarray
        Long-run share of rounds of actual mutual defection.
    recovery_time : ndarray (..., 16)
        Expected rounds from each joint state until actual mutual cooperation (0 there; ``inf`` where it may
        never come).
    spiral_length : ndarray
        Expected length in rounds of a spiral (module docstring); ``inf`` where mutual cooperation, once left,
        never returns in the long run; NaN where it is never left.
    spiral_rate : ndarray
        Spirals started per round in the long run.
    misperceived_start : ndarray
        Share of spirals whose last round of mutual cooperation was misread by at least one player (NaN where
        no spiral starts).
    """

    noise: np.ndarray
    perception_noise: np.ndarray
    transition: np.ndarray
    stationary: np.ndarray
    outcome: np.ndarray
    record_row: np.ndarray
    record_col: np.ndarray
    payoff_row: np.ndarray
    payoff_col: np.ndarray
    cooperation: np.ndarray
    mutual_defection: np.ndarray
    recovery_time: np.ndarray
    spiral_length: np.ndarray
    spiral_rate: np.ndarray
    misperceived_start: np.ndarray


def misperception_match(p, q, perception_noise, noise=0.0, payoffs=(5, 3, 1, 0)) -> MisperceptionMatch:
    """Exact long-run behaviour of two memory-one strategies under private misperception, batched.

    Parameters
    ----------
    p, q : array (..., 4), Automaton or strategy name
        Memory-one strategies (names of :data:`~deterrence.dynamics.repeated.STRATEGIES`).
    perception_noise : float or array in [0, 1)
        Probability that a player misreads the other's move (privately, independently per player and round).
    noise : float or array in [0, 1)
        Execution noise (a flipped move that both see); default 0, pure misperception.
    payoffs : (T, R, P, S)
        Stage payoffs, T > R > P > S (default Axelrod's 5, 3, 1, 0).

    Raises
    ------
    ModelError
        A noise level outside [0, 1), payoffs that are not a Prisoner's Dilemma, or a joint chain with more than
        one recurrent class (the long run would depend on the first round; e.g. both noises 0).
    """
    p, q = (strategy_vector(x, nm) for x, nm in ((p, "p"), (q, "q")))
    ep = check_perception(perception_noise)
    e = check_noise(noise, open_interval=False)
    T, R, P, S = stage_payoffs(*payoffs)
    M = perception_transition(p, q, e, ep)
    batch = M.shape[:-2]
    E, EP = (np.broadcast_to(x, batch) for x in np.broadcast_arrays(e, ep))
    require_unichain(M, lambda i: f"noise = {float(E[i]):g}, perception_noise = {float(EP[i]):g} (batch entry {i})",
                     "the joint chain")
    pi = stationary(M)
    onehot = np.eye(4)
    outcome = pi @ onehot[ACTUAL]
    rec_row, rec_col = pi @ onehot[_S1], pi @ onehot[_S2]
    u_row, u_col = outcome_payoffs(T, R, P, S)
    cc = ACTUAL == 0
    h = hitting_times(M, cc)
    rate, length = excursions(M, pi, cc)
    mis = cc & (_MISREAD_ROW | _MISREAD_COL)
    flux_mis = np.einsum("...i,...ij->...", pi[..., mis], M[..., mis, :][..., ~cc])
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(rate > 0, flux_mis / np.where(rate > 0, rate, 1.0), np.nan)
    return MisperceptionMatch(E, EP, M, pi, outcome, rec_row, rec_col, np.sum(outcome * u_row, -1),
                              np.sum(outcome * u_col, -1), outcome[..., 0], outcome[..., 3], h, length, rate, share)
