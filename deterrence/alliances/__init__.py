"""Formal model families of alliances, in IR terms (collective defence, entrapment, burden sharing).

* :mod:`.article5`: a collective-defence commitment with N guarantors who honour it with their own
  probabilities, correlated through a common shock; collective credibility and the challenger's choice.
* :mod:`.volunteer`: the strategic version, each guarantor deciding whether to intervene (Diekmann's
  volunteer's dilemma among guarantors), solved in closed form and as an engine game.
"""

from .article5 import CollectiveDefence, coalition_distribution, collective_defence
from .volunteer import guarantors_game, volunteer_equilibrium

__all__ = ["CollectiveDefence", "collective_defence", "coalition_distribution", "guarantors_game",
           "volunteer_equilibrium"]
