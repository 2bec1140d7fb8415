"""Solution concepts.  Every equilibrium returned is certified by its regret."""

from .results import EquilibriumComponent, EquilibriumSet, MixedEquilibrium, certify

__all__ = ["MixedEquilibrium", "EquilibriumSet", "EquilibriumComponent", "certify"]

from .spe import SPEResult, SubgamePerfectEquilibrium, subgame_perfect  # noqa: E402

__all__ += ["subgame_perfect", "SubgamePerfectEquilibrium", "SPEResult"]

from .bimatrix import enumerate_equilibria  # noqa: E402
from .two_by_two import BatchEquilibria, solve_2x2  # noqa: E402

__all__ += ["enumerate_equilibria", "solve_2x2", "BatchEquilibria"]
