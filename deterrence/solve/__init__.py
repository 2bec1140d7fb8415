"""Solution concepts.  Every equilibrium returned is certified by its regret.

Every solver returns a :class:`Result` (or, for the solvers that return one
equilibrium by design, an :class:`Equilibrium`); both protocols are in
:mod:`deterrence.solve.results`, the batch rule in
``docs/discussion/batching.md``.  Every solver takes ``tol`` as a keyword,
defaulting to :data:`DEFAULT_TOL`.
"""

from ..deprecation import module_getattr
from .results import (DEFAULT_TOL, Equilibrium, EquilibriumComponent, EquilibriumSet, MixedEquilibrium, Result,
                      ResultBatch, certify)

__all__ = ["DEFAULT_TOL", "Result", "Equilibrium", "ResultBatch", "MixedEquilibrium", "EquilibriumSet",
           "EquilibriumComponent", "certify"]

from .spe import SubgamePerfectEquilibrium, subgame_perfect  # noqa: E402
from .tree_results import PureTreeEquilibrium  # noqa: E402

__all__ += ["subgame_perfect", "SubgamePerfectEquilibrium", "PureTreeEquilibrium"]

from .bimatrix import enumerate_equilibria  # noqa: E402
from .two_by_two import BatchEquilibria, solve_2x2  # noqa: E402

__all__ += ["enumerate_equilibria", "solve_2x2", "BatchEquilibria"]

from .best_response import best_responses  # noqa: E402
from .dominance import EliminationResult, dominated_actions, iterated_elimination  # noqa: E402
from .nplayer import NPlayerEquilibria, enumerate_nplayer, one_equilibrium  # noqa: E402
from .pure import PureNashBatch, pure_nash, pure_nash_mask  # noqa: E402
from .qre import LogitPath, LogitQRE, logit_path, logit_qre, logit_response  # noqa: E402

__all__ += ["pure_nash", "pure_nash_mask", "PureNashBatch", "best_responses", "dominated_actions",
            "iterated_elimination", "EliminationResult", "enumerate_nplayer", "one_equilibrium", "NPlayerEquilibria",
            "logit_qre", "logit_path", "logit_response", "LogitQRE", "LogitPath"]

from .symmetric import SymmetricEquilibria, solve_symmetric_table, symmetric_equilibria  # noqa: E402

__all__ += ["symmetric_equilibria", "solve_symmetric_table", "SymmetricEquilibria"]

from .agent_qre import AgentQRE, AgentQREPath, agent_qre, agent_qre_path  # noqa: E402
from .pbe import (BeliefSet, PBEResult, PerfectBayesianEquilibrium, SignallingEquilibrium,  # noqa: E402
                  SignallingPBE, SignallingPBEBatch, TreePBEBatch, perfect_bayesian, perfect_bayesian_batch,
                  signalling_pbe, signalling_pbe_batch)

__all__ += ["signalling_pbe_batch", "SignallingPBEBatch", "perfect_bayesian_batch", "TreePBEBatch"]
__all__ += ["agent_qre", "agent_qre_path", "AgentQRE", "AgentQREPath", "perfect_bayesian", "signalling_pbe",
            "PerfectBayesianEquilibrium", "PBEResult", "SignallingEquilibrium", "SignallingPBE", "BeliefSet"]

from .bayesian import BayesianEquilibrium, bayesian_backward_induction, hides_only_chance  # noqa: E402

__all__ += ["bayesian_backward_induction", "BayesianEquilibrium", "hides_only_chance"]

__getattr__ = module_getattr(__name__, {
    "SPEResult": ("deterrence.solve.SubgamePerfectEquilibrium", lambda: SubgamePerfectEquilibrium),
})
