"""Game representations: normal form (n players) and game trees."""

from .normal_form import NormalFormGame
from .tree import CHANCE, DECISION, TERMINAL, Chance, Decision, GameTree, InformationSet, Terminal

__all__ = ["NormalFormGame", "GameTree", "Decision", "Chance", "Terminal", "InformationSet",
           "TERMINAL", "DECISION", "CHANCE"]

from .profiles import (BehaviourProfile, OutcomeDistribution, best_response_values, expected_payoffs,  # noqa: E402
                       node_values, outcome_distribution, reach_probabilities, subgame_regret, tree_regret)

__all__ += ["BehaviourProfile", "OutcomeDistribution", "reach_probabilities", "outcome_distribution",
            "expected_payoffs", "tree_regret", "best_response_values", "subgame_regret", "node_values"]

from .reduce import ReducedNormalForm, behaviour_to_mixed, mixed_to_behaviour, reduced_normal_form  # noqa: E402

__all__ += ["ReducedNormalForm", "reduced_normal_form", "behaviour_to_mixed", "mixed_to_behaviour"]

from .signalling import SignallingGame  # noqa: E402

__all__ += ["SignallingGame"]

from .parametric import CHANCE_PLAYER, Constraint, ParametricModel, ParametricNormalForm, ParametricTree  # noqa: E402

__all__ += ["ParametricModel", "ParametricNormalForm", "ParametricTree", "Constraint", "CHANCE_PLAYER"]
