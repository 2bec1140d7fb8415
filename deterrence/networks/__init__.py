"""Alliance networks: states, treaty commitments, war plans, and the cascade of a war through them.

* :class:`AllianceNetwork` with :class:`State`, :class:`Commitment` (kinds and
  conditions read from treaty terms) and :class:`WarPlan`;
* :func:`cascade`: from an initial attack, who is obliged, who enters, in what
  order and why, each entry traced to the commitment and article that
  triggered it.
"""

from .cascade import ATTACKER_SIDE, TARGET_SIDE, Activation, CascadeResult, Entry, Hostility, cascade
from .graph import to_networkx
from .network import AllianceNetwork
from .treaty import FIGHTING_KINDS, KINDS, TRIGGERS, Commitment, Obligation, State, WarPlan

__all__ = ["AllianceNetwork", "State", "Commitment", "WarPlan", "Obligation", "KINDS", "FIGHTING_KINDS", "TRIGGERS",
           "cascade", "CascadeResult", "Entry", "Hostility", "Activation", "ATTACKER_SIDE", "TARGET_SIDE", "to_networkx"]
