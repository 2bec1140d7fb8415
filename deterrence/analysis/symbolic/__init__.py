"""Symbolic analysis of parametric games: where each equilibrium holds, thresholds, comparative statics.

For a parametric model (payoffs and chance probabilities written as
expressions in named parameters) this package derives, with sympy, *where in
parameter space* each equilibrium holds, and how an equilibrium quantity
moves with a parameter.  One module per job:

* :mod:`.forms` -- the symbolic form of a model (:func:`as_symbolic`);
* :mod:`.conditions` -- equilibrium conditions: :func:`nash_conditions`,
  :func:`mixed_equilibrium_2x2`, :func:`spe_conditions`,
  :func:`outcome_conditions`;
* :mod:`.thresholds` -- :func:`threshold`, the boundary of a condition
  solved for one parameter (e.g. the credibility threshold
  ``(a_DC - a_SQ)/(a_DC - a_DD)`` of Zagare & Kilgour 2000);
* :mod:`.statics` -- :func:`comparative_statics`, the sign of an
  equilibrium quantity's dependence on a parameter;
* :mod:`.latex` -- :func:`latex_payoffs`.

The regions themselves (:class:`~deterrence.symbolic.conditions.Condition`)
live one floor down, in :mod:`deterrence.symbolic.conditions`.  This package
was ``deterrence.symbolic.analysis`` until 0.1; that path still works for one
release with a ``DeprecationWarning``.
"""

from ...symbolic.conditions import Condition
from .conditions import (MAX_PROFILES, MixedSolution2x2, SPECase, mixed_equilibrium_2x2, nash_conditions,
                         outcome_conditions, spe_conditions)
from .forms import SymbolicNormalForm, SymbolicTree, as_symbolic
from .latex import latex_payoffs
from .statics import SIGN_WORDS, ComparativeStatics, RegimeJump, StaticsCase, comparative_statics
from .thresholds import Threshold, threshold

__all__ = [
    "Condition", "SymbolicNormalForm", "SymbolicTree", "as_symbolic",
    "nash_conditions", "MixedSolution2x2", "mixed_equilibrium_2x2",
    "SPECase", "spe_conditions", "outcome_conditions", "Threshold", "threshold",
    "StaticsCase", "RegimeJump", "ComparativeStatics", "comparative_statics", "SIGN_WORDS", "latex_payoffs",
    "MAX_PROFILES",
]
