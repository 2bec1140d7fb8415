"""Dynamical systems of arms and alliances: Richardson's arms race (continuous, discrete, n states in blocs)
and its estimation from expenditure series.

* :class:`Richardson`: the two-state model, batched: equilibrium, eigenvalues,
  stability (``k*l < a*b``), regimes, the exact solution, the difference form;
* :class:`RichardsonSystem` and :func:`bloc_system`: n states, allies' arms pooled in blocs;
* :func:`fit_linear_response` and :func:`fit_richardson`: least squares with
  standard errors (Richardson's 1909-13 test);
* :mod:`.repeated`: the repeated Prisoner's Dilemma with noise: strategies as automata, exact Markov chains of
  memory-one strategies (:func:`noisy_match`, batched), seeded simulation, exact equilibrium checks;
* :mod:`.misperception`: private misperception, the exact chain of the two players' records
  (:func:`misperception_match`, batched);
* :mod:`.markov`: batched finite Markov chain kernels (one recurrent class, stationary law, hitting times).
"""

from .estimate import LinearResponseFit, RichardsonFit, fit_linear_response, fit_richardson
from .misperception import JOINT_STATES, MisperceptionMatch, misperception_match, perception_transition
from .repeated import (STRATEGIES, Automaton, NoisyMatch, automaton_chain, memory_one, nash_gain, noisy_match,
                       simulate, spe_gain)
from .richardson import (DISARMAMENT, ONE_SIDED_DISARMAMENT, REGIMES, RUNAWAY_RACE, STABLE_BALANCE,
                         UNSTABLE_BALANCE, Richardson, RichardsonSystem, bloc_system)

__all__ = ["Richardson", "RichardsonSystem", "bloc_system", "REGIMES", "STABLE_BALANCE", "RUNAWAY_RACE",
           "DISARMAMENT", "ONE_SIDED_DISARMAMENT", "UNSTABLE_BALANCE",
           "fit_linear_response", "fit_richardson", "LinearResponseFit", "RichardsonFit",
           "Automaton", "memory_one", "STRATEGIES", "noisy_match", "NoisyMatch", "automaton_chain", "simulate",
           "nash_gain", "spe_gain", "misperception_match", "MisperceptionMatch", "perception_transition",
           "JOINT_STATES"]
