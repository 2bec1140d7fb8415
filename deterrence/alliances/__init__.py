"""Formal model families of alliances, in IR terms (collective defence, entrapment, burden sharing).

* :mod:`.article5`: a collective-defence commitment with N guarantors who honour it with their own
  probabilities, correlated through a common shock; collective credibility and the challenger's choice.
* :mod:`.volunteer`: the strategic version, each guarantor deciding whether to intervene (Diekmann's
  volunteer's dilemma among guarantors), solved in closed form and as an engine game.
* :mod:`.burden`: burden sharing, defence as a public good among allies of different wealth (Olson and
  Zeckhauser 1966), with Sandler's (1977) joint products; the Nash equilibrium in closed form against the
  Samuelson optimum, and the claims of exploitation, under-provision and neutrality with their verdicts.
"""

from .article5 import CollectiveDefence, coalition_distribution, collective_defence
from .burden import BurdenSharing, best_response_equilibrium, burden_sharing, check_burden_claims
from .volunteer import guarantors_game, volunteer_equilibrium

__all__ = ["BurdenSharing", "burden_sharing", "best_response_equilibrium", "check_burden_claims", "CollectiveDefence", "collective_defence", "coalition_distribution", "guarantors_game",
           "volunteer_equilibrium"]
