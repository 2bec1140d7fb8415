"""Work estimates of the exact solvers, checked before they start.

Complete enumeration is exponential in the size of a game.  A user handed a
random 4x4x4 game, or a tree with thousands of terminals, should get a
refusal at once that names the size and the method that fits, not a
computation that runs for minutes with no end in sight.  The estimates here
are deliberately simple and conservative bounds on what the solvers would
do; each solver keeps its own hard limits as well.

* **Support enumeration** of an n-player game (:mod:`deterrence.solve.nplayer`)
  solves one polynomial system per support profile.  Systems in which at
  most two players mix are cheap (linear or quadratic).  With three mixing
  players the exact elimination's cost grows with the Bezout number of the
  system, ``2**(sum_i (|S_i| - 1))`` (each indifference equation has degree
  two in the others' probabilities); with four or more mixing players every
  system goes to a Groebner basis, whose cost grows much faster.  Measured on
  random integer games (CPU seconds): 3x3x3 about 5 s, 4x4x2 about 2 s,
  2x2x2x2 about 0.5 s, while 4x3x3, 3x3x2x2 and 2x2x2x2x2 run for more than
  40 s and 4x4x4 and 3x3x3x3 for many minutes.  :func:`support_work` sums the
  Bezout numbers of the three-player systems and counts the systems with
  four or more mixing players; :func:`check_support_work` refuses above
  :data:`MAX_ELIMINATION_WORK` and :data:`MAX_GROEBNER_SYSTEMS`.
"""

from __future__ import annotations

import itertools
import math

from ..errors import SolverError

__all__ = ["support_work", "check_support_work", "MAX_ELIMINATION_WORK", "MAX_GROEBNER_SYSTEMS", "ALTERNATIVES"]

#: Largest sum of Bezout numbers over the support systems with exactly three mixing players.
MAX_ELIMINATION_WORK = 3000
#: Largest number of support systems with four or more mixing players (each one a Groebner basis).
MAX_GROEBNER_SYSTEMS = 2

#: What fits a game too large for complete enumeration (named in every refusal).
ALTERNATIVES = "pure equilibria (concept 'pure'), one equilibrium (one_equilibrium) or the logit QRE (concept 'qre')"


def support_work(shape) -> tuple[int, int]:
    """``(elimination work, Groebner systems)`` of support enumeration on a game of this shape.

    Parameters
    ----------
    shape : sequence of int
        Number of actions of each player.

    Returns
    -------
    tuple of int
        The sum over support profiles with exactly three mixing players of
        ``2 ** sum(|S_i| - 1)``, and the number of support profiles with four
        or more mixing players.  Computed by counting support sizes (binomial
        coefficients), not by listing the profiles.
    """
    shape = [int(m) for m in shape]
    # per player: {support size: number of supports of that size}
    per = [{r: math.comb(m, r) for r in range(1, m + 1)} for m in shape]
    n = len(shape)
    three = 0
    for mixers in itertools.combinations(range(n), 3):
        term = 1
        for i in range(n):
            if i in mixers:
                term *= sum(c * 2 ** (r - 1) for r, c in per[i].items() if r > 1)
            else:
                term *= per[i][1]
        three += term
    # supports where at least four players mix: total minus those where at most three mix
    mix = [sum(c for r, c in p.items() if r > 1) for p in per]
    pure = [p[1] for p in per]
    at_most_three = 0
    for k in range(0, min(3, n) + 1):
        for mixers in itertools.combinations(range(n), k):
            at_most_three += math.prod(mix[i] if i in mixers else pure[i] for i in range(n))
    total = math.prod(mix[i] + pure[i] for i in range(n))
    return three, total - at_most_three


def check_support_work(shape, players=None, *, max_work: int | None = MAX_ELIMINATION_WORK,
                       max_groebner: int | None = MAX_GROEBNER_SYSTEMS) -> None:
    """Refuse, before any work, a game whose complete support enumeration would take too long.

    Parameters
    ----------
    shape : sequence of int
    players : sequence of str, optional
        Only for the message.
    max_work, max_groebner : int or None
        The bounds (None: no bound).

    Raises
    ------
    SolverError
        Naming the shape, the estimate, the bound and the methods that fit.
    """
    three, groebner = support_work(shape)
    size = "x".join(str(int(m)) for m in shape)
    if max_groebner is not None and groebner > max_groebner:
        raise SolverError(f"complete enumeration of a {size} game would solve {groebner} support systems with four "
                          f"or more mixing players by Groebner bases (limit {max_groebner}); use {ALTERNATIVES}")
    if max_work is not None and three > max_work:
        raise SolverError(f"complete enumeration of a {size} game would eliminate support systems of total Bezout "
                          f"number {three} (limit {max_work}); use {ALTERNATIVES}")
