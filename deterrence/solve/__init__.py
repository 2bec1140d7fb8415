"""Solution concepts.  Every equilibrium returned is certified by its regret."""

from .results import EquilibriumComponent, EquilibriumSet, MixedEquilibrium, certify

__all__ = ["MixedEquilibrium", "EquilibriumSet", "EquilibriumComponent", "certify"]
