"""Solution concepts.  Every equilibrium returned is certified by its regret."""

from .results import EquilibriumComponent, EquilibriumSet, MixedEquilibrium, certify

__all__ = ["MixedEquilibrium", "EquilibriumSet", "EquilibriumComponent", "certify"]

from .spe import SPEResult, SubgamePerfectEquilibrium, subgame_perfect  # noqa: E402

__all__ += ["subgame_perfect", "SubgamePerfectEquilibrium", "SPEResult"]
