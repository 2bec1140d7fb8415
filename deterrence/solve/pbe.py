"""Perfect Bayesian equilibrium of games of incomplete information.

An *assessment* is a behaviour profile together with beliefs (a
probability over the nodes of each information set).  It is a (weak)
perfect Bayesian equilibrium when every player's action at every
information set is optimal given her beliefs there and the continuation
play (sequential rationality), and beliefs follow from the profile by
Bayes' rule at every information set reached with positive probability;
off the path beliefs are free (Mas-Colell, Whinston & Green 1995, Def.
9.C.3; Fudenberg & Tirole 1991, ch. 8).  Each equilibrium here reports the
*set* of off-path beliefs that support it.

This module gathers the public names; the work is done in

* :mod:`.pbe_beliefs` -- :class:`BeliefSet`, the polytope of supporting beliefs;
* :mod:`.pbe_results` -- the result classes;
* :mod:`.pbe_signalling` -- :func:`signalling_pbe`, complete for signalling
  games (:class:`~deterrence.games.SignallingGame`), by support pattern;
* :mod:`.pbe_signalling_batch` -- :func:`signalling_pbe_batch`, every game
  of a batch at once (vertex enumeration, :mod:`.pbe_vertex`), for sweeps;
* :mod:`.pbe_tree` -- :func:`perfect_bayesian`, any small tree with perfect
  recall (signalling trees are routed to :func:`signalling_pbe`); its pure
  profiles are screened by :mod:`.pbe_screen`;
* :mod:`.pbe_batch` -- :func:`perfect_bayesian_batch`, every point of a
  batch of trees (what sweeps and measures use).

Every returned equilibrium is certified: the largest gain from switching to
any continuation plan at any information set given the beliefs there (the
sequential regret), the one-shot gains, Bayes' rule on the path, and the
Nash regret of the tree (:func:`~deterrence.games.profiles.tree_regret`)
are below the tolerance.  A candidate failing the certificate is rejected,
never reported by an exception.

References
----------
A. Mas-Colell, M. Whinston & J. Green (1995), *Microeconomic Theory*, OUP, §9.C.
D. Fudenberg & J. Tirole (1991), *Game Theory*, MIT Press, ch. 8.
"""

from .pbe_beliefs import BeliefSet
from .pbe_results import PBEResult, PerfectBayesianEquilibrium, SignallingEquilibrium, SignallingPBE
from .pbe_signalling import signalling_pbe
from .pbe_signalling_batch import SignallingPBEBatch, signalling_pbe_batch
from .pbe_tree import perfect_bayesian
from .pbe_batch import TreePBEBatch, perfect_bayesian_batch

__all__ = ["BeliefSet", "SignallingEquilibrium", "SignallingPBE", "PerfectBayesianEquilibrium", "PBEResult",
           "signalling_pbe", "perfect_bayesian", "signalling_pbe_batch", "SignallingPBEBatch",
           "perfect_bayesian_batch", "TreePBEBatch"]
