"""Formal model families of alliances, in IR terms (collective defence, entrapment, burden sharing).

* :mod:`.article5`: a collective-defence commitment with N guarantors who honour it with their own
  probabilities, correlated through a common shock; collective credibility and the challenger's choice.
* :mod:`.article5_game`: the same model as an engine game tree, the model family ``article5`` of the library
  (``deterrence solve article5:n=12``): nature draws how many guarantors honour, the challenger attacks or not;
  measures and claims with verdicts (Leeds, Long and Mitchell 2000; Condorcet's jury theorem for majorities).
* :mod:`.volunteer`: the strategic version, each guarantor deciding whether to intervene (Diekmann's
  volunteer's dilemma among guarantors), solved in closed form and as an engine game.
* :mod:`.burden`: burden sharing, defence as a public good among allies of different wealth (Olson and
  Zeckhauser 1966), with Sandler's (1977) joint products; the Nash equilibrium in closed form against the
  Samuelson optimum, and the claims of exploitation, under-provision and neutrality with their verdicts.
* :mod:`.reputation`: reputation across two crises, challengers updating on whether the defender honoured
  (Bayes' rule); the discount threshold above which honouring a costly commitment pays.
* :mod:`.cohesion`: claim C12, the overlap of the allies' stakes and its effect on honouring and on
  collective credibility, with the region where the claim holds.
* :mod:`.families`: burden sharing, reputation and cohesion as computed models with their claims, checked by
  the claims engine (the model families ``burden_sharing:n=N``, ``reputation_two_crises`` and
  ``cohesion:n=N,k=K`` of the library; ``deterrence claims burden_sharing``).
"""

from .article5 import CollectiveDefence, coalition_distribution, collective_defence
from .burden import BurdenSharing, best_response_equilibrium, burden_sharing, check_burden_claims
from .cohesion import Cohesion, cohesion
from .families import burden_sharing_model, cohesion_model, reputation_model
from .reputation import ReputationEquilibrium, reputation_equilibrium, reputation_threshold
from .volunteer import guarantors_game, volunteer_equilibrium

__all__ = ["burden_sharing_model", "reputation_model", "cohesion_model", "BurdenSharing", "burden_sharing", "best_response_equilibrium", "check_burden_claims", "Cohesion", "cohesion", "ReputationEquilibrium",
           "reputation_equilibrium", "reputation_threshold", "CollectiveDefence", "collective_defence", "coalition_distribution", "guarantors_game",
           "volunteer_equilibrium"]
