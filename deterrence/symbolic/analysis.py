"""Deprecated: moved to :mod:`deterrence.analysis.symbolic` (game-level analysis) and
:mod:`deterrence.symbolic.conditions` (regions of parameter space).

``from deterrence.symbolic.analysis import threshold`` keeps working for one
release and emits a ``DeprecationWarning``; import from
:mod:`deterrence.analysis.symbolic` instead.  The game-level analysis needs
the game representations, which sit above the symbolic floor, so it cannot
live here: this module resolves names lazily (on first use) and does not
import the upper floor when it is itself imported.
"""

from __future__ import annotations

import importlib
import warnings

_NEW = "deterrence.analysis.symbolic"
# old private helper names -> (module, new public name)
_RENAMED = {
    "_evaluate_boolean": ("deterrence.symbolic.conditions", "evaluate_boolean"),
    "_evaluate_expr": ("deterrence.symbolic.conditions", "evaluate_expr"),
    "_ge": ("deterrence.symbolic.conditions", "ge"),
    "_gt": ("deterrence.symbolic.conditions", "gt"),
    "_prune": ("deterrence.symbolic.conditions", "prune"),
    "_signed": ("deterrence.symbolic.conditions", "signed"),
    "_region_atoms": ("deterrence.symbolic.conditions", "region_atoms"),
}

__all__ = [
    "Condition", "SymbolicNormalForm", "SymbolicTree", "as_symbolic",
    "nash_conditions", "MixedSolution2x2", "mixed_equilibrium_2x2",
    "SPECase", "spe_conditions", "outcome_conditions", "Threshold", "threshold",
    "StaticsCase", "ComparativeStatics", "comparative_statics", "latex_payoffs",
]


def __getattr__(name):
    if name.startswith("__"):
        raise AttributeError(name)
    if name in _RENAMED:
        module, new = _RENAMED[name]
    else:
        module, new = _NEW, name
    mod = importlib.import_module(module)
    if not hasattr(mod, new):
        raise AttributeError(f"module 'deterrence.symbolic.analysis' has no attribute {name!r}")
    warnings.warn(f"deterrence.symbolic.analysis.{name} is deprecated and will be removed in the next release; "
                  f"use {module}.{new}", DeprecationWarning, stacklevel=2)
    return getattr(mod, new)
