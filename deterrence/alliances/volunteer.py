r"""Guarantors who each decide whether to intervene: the volunteer's dilemma (Diekmann 1985).

Model
-----
When a protected state is attacked, each of :math:`N \ge 2` guarantors decides
at once whether to intervene.  If at least one intervenes, the attack is
repelled and every guarantor gains :math:`b` (the protection holds); an
intervener pays its cost :math:`c`, with :math:`0 < c < b`.  If no one
intervenes, everyone gets 0.  Each guarantor prefers that someone intervene
but would rather it were someone else: Diekmann's volunteer's dilemma
(A. Diekmann, "Volunteer's dilemma", *Journal of Conflict Resolution* 29(4),
1985, 605-610), read here among an alliance's guarantors.

Equilibria: the :math:`N` pure equilibria in which exactly one guarantor
intervenes, and one symmetric equilibrium in mixed strategies, in which each
guarantor abstains with probability :math:`q^* = (c/b)^{1/(N-1)}` (a guarantor
is indifferent when the others all abstain with probability
:math:`q^{N-1} = c/b`).  In the symmetric equilibrium the probability that no
one intervenes is :math:`(c/b)^{N/(N-1)}`, which *rises* with :math:`N`: more
guarantors make protection less reliable when each waits for the others
(Diekmann 1985).

:func:`volunteer_equilibrium` gives the symmetric equilibrium in closed form,
batched; :func:`guarantors_game` builds the same game as an engine
:class:`~deterrence.games.NormalFormGame` (for cross-checks with the n-player
solver on small :math:`N`, and with the engine's symmetric-equilibrium solver,
:func:`~deterrence.solve.symmetric.symmetric_equilibria`, which finds the
symmetric equilibrium from the polynomial indifference condition without the
closed form).

:func:`guarantors_dilemma` builds it as a parametric normal form in the
benefit ``b`` and the cost ``c`` for a fixed ``N``, with the measure
``P_no_intervention`` and the claims of Diekmann (1985); it is the model
family ``guarantors_dilemma`` of the library (``deterrence show
guarantors_dilemma:n=4``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

import numpy as np

from ..errors import ModelError
from ..games import NormalFormGame

__all__ = ["volunteer_equilibrium", "VolunteerEquilibrium", "guarantors_game", "guarantors_dilemma",
           "MAX_GAME_PLAYERS", "MAX_NASH_PLAYERS", "DEFAULT_N"]

#: Largest N for which :func:`guarantors_game` builds the full strategic form (2**N profiles).
MAX_GAME_PLAYERS = 12
#: Largest N for which the complete Nash enumeration (mixed equilibria included) runs within its work limit.
MAX_NASH_PLAYERS = 4
#: N of the family ``guarantors_dilemma`` when no argument is given (its model is then named without arguments).
DEFAULT_N = 3

_SOURCE = ('Diekmann, A. (1985), "Volunteer\'s dilemma", Journal of Conflict Resolution 29(4): 605-610 '
           '(the symmetric mixed equilibrium, in which the probability that no one volunteers, '
           '(c/b)^(N/(N-1)), rises with N)')


@dataclass(frozen=True)
class VolunteerEquilibrium:
    """The symmetric mixed equilibrium (arrays over the batch).

    Attributes
    ----------
    p_intervene : ndarray
        Each guarantor's probability of intervening, :math:`1 - (c/b)^{1/(N-1)}`.
    P_no_intervention : ndarray
        Probability that no one intervenes, :math:`(c/b)^{N/(N-1)}`: the risk of abandonment.
    P_intervention : ndarray
        1 - P_no_intervention.
    expected_interveners : ndarray
        :math:`N \\cdot` p_intervene.
    payoff : ndarray
        Each guarantor's expected payoff, :math:`b - c` (indifference with intervening).
    regret : ndarray
        The largest gain from a unilateral deviation at the profile (the certificate; 0 up to rounding).
    """

    p_intervene: np.ndarray
    P_no_intervention: np.ndarray
    P_intervention: np.ndarray
    expected_interveners: np.ndarray
    payoff: np.ndarray
    regret: np.ndarray


def _check(n, benefit, cost):
    n = np.asarray(n)
    if n.dtype.kind not in "iu" or np.any(n < 2):
        raise ModelError(f"N (the number of guarantors) must be an integer >= 2, got {n!r}")
    b = np.asarray(benefit, dtype=float)
    c = np.asarray(cost, dtype=float)
    if not (np.all(np.isfinite(b)) and np.all(np.isfinite(c))):
        raise ModelError("benefit and cost must be finite numbers")
    if np.any(c <= 0) or np.any(c >= b):
        raise ModelError(f"the volunteer's dilemma needs 0 < cost < benefit; got cost {cost!r}, benefit {benefit!r}")
    return n, b, c


def volunteer_equilibrium(n, benefit, cost) -> VolunteerEquilibrium:
    """The symmetric mixed equilibrium of the guarantors' volunteer's dilemma, batched over the arguments.

    Parameters
    ----------
    n : int or array of int
        Number of guarantors, N >= 2.
    benefit : float or array
        :math:`b`, each guarantor's gain when the protected state is defended.
    cost : float or array
        :math:`c`, an intervener's cost, 0 < c < b.

    Returns
    -------
    VolunteerEquilibrium
        Certified: ``regret`` is each guarantor's gain from deviating to a pure action, computed from the
        profile (not from the closed form), and is checked to be at most 1e-9 * b.
    """
    n, b, c = _check(n, benefit, cost)
    n, b, c = np.broadcast_arrays(n, b, c)
    q = (c / b) ** (1.0 / (n - 1))                 # abstain probability
    none_others = q ** (n - 1)                     # P(no one else intervenes)
    v_intervene = b - c
    v_abstain = b * (1.0 - none_others)
    mixed = (1 - q) * v_intervene + q * v_abstain
    regret = np.maximum(v_intervene, v_abstain) - mixed
    if np.any(regret > 1e-9 * b):
        from ..errors import CertificateError
        raise CertificateError(f"volunteer equilibrium failed its certificate (regret {regret.max():.3g})")
    none = q ** n
    return VolunteerEquilibrium(1 - q, none, 1 - none, n * (1 - q), mixed, regret)


def guarantors_game(n: int, benefit: float, cost: float) -> NormalFormGame:
    """The guarantors' volunteer's dilemma as an n-player normal form (actions ``abstain``, ``intervene``)."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= MAX_GAME_PLAYERS:
        raise ModelError(f"guarantors_game builds 2**N profiles: N must be an integer in 2..{MAX_GAME_PLAYERS}, "
                         f"got {n!r} (use volunteer_equilibrium for larger N)")
    _check(np.asarray(n), benefit, cost)
    pay = np.zeros((2,) * n + (n,))
    for prof in product((0, 1), repeat=n):
        someone = any(prof)
        pay[prof] = [(benefit if someone else 0.0) - (cost if a else 0.0) for a in prof]
    players = [f"Guarantor {i + 1}" for i in range(n)]
    return NormalFormGame(pay, players=players, actions=[["abstain", "intervene"]] * n)


def guarantors_dilemma(n: int = DEFAULT_N):
    r"""The guarantors' volunteer's dilemma with ``n`` guarantors as a :class:`~deterrence.games.ParametricNormalForm`.

    The model family ``guarantors_dilemma`` of :mod:`deterrence.library` (``guarantors_dilemma:n=4``).

    Parameters of the model: ``b > 0`` (each guarantor's benefit when the protected state is defended) and
    ``c > 0`` (an intervener's cost, in the units of ``b``), with the constraint ``0 < c < b`` (Diekmann's
    only requirement; a point that violates it is refused with a :class:`ModelError` naming ``b`` and ``c``).
    Neither domain is bounded above, so a sample of the model (``deterrence sweep --samples``) needs ``--bounds`` for both.  Actions ``abstain`` and ``intervene``; the
    profile in which every guarantor abstains is tagged ``abandonment`` and the others ``intervention``.

    Measures: ``P_no_intervention`` (the probability that no guarantor intervenes: the risk of abandonment)
    and ``E_interveners`` (the expected number of interveners).

    Claims (Diekmann 1985): the game has exactly ``n`` pure equilibria (one volunteer each); it has exactly
    one symmetric equilibrium, a mixed one, in which the protected state is left undefended with probability
    :math:`(c/b)^{n/(n-1)}` (concept ``symmetric``, every ``n``); for ``n <= MAX_NASH_PLAYERS``, where the
    complete Nash enumeration runs, no equilibrium leaves it undefended more often; for
    ``n < MAX_GAME_PLAYERS``, the risk of abandonment in the symmetric equilibrium rises from ``n`` to
    ``n + 1`` guarantors (a ``compare`` claim against the model ``guarantors_dilemma:n=<n+1>``, which needs
    the library as its loader).

    Solving: the game is symmetric with two actions, so the concept ``symmetric`` (every symmetric
    equilibrium, :mod:`deterrence.solve.symmetric`) applies to it for every ``n``, and is its default for
    ``n >= 5`` (:data:`deterrence.solve.concepts.SYMMETRIC_DEFAULT_PLAYERS`), where the complete
    enumeration (``nash``) is out of reach.

    Raises
    ------
    ModelError
        ``n`` not an integer in ``2..MAX_GAME_PLAYERS``.
    """
    from ..analysis.claims import Claim
    from ..analysis.measures import Measure
    from ..games.parametric import ParametricNormalForm
    from ..symbolic import Parameter, Positive

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 2 <= n <= MAX_GAME_PLAYERS:
        raise ModelError(f"guarantors_dilemma: n (the number of guarantors) must be an integer in "
                         f"2..{MAX_GAME_PLAYERS}, got {n!r}")
    n = int(n)
    players = [f"Guarantor {i + 1}" for i in range(n)]
    actions = [("abstain", "intervene")] * n
    payoffs, tags, quantities, outcomes = {}, {}, {}, {}
    for bits in product((0, 1), repeat=n):
        prof = tuple(actions[0][a] for a in bits)
        k = sum(bits)
        payoffs[prof] = [("b - c" if a else "b") if k else "0" for a in bits]
        tags[prof] = ["intervention"] if k else ["abandonment"]
        quantities[prof] = {"interveners": k}
        outcomes[prof] = f"{k} guarantor{'s' if k != 1 else ''} intervene{'' if k != 1 else 's'}" if k else \
            "no guarantor intervenes: the protected state is abandoned"
    name = "guarantors_dilemma" if n == DEFAULT_N else f"guarantors_dilemma:n={n}"
    model = ParametricNormalForm(
        name=name, players=players, actions=actions, payoffs=payoffs, tags=tags, quantities=quantities,
        outcomes=outcomes,
        parameters=[
            Parameter("b", Positive(), 1.0, meaning="Each guarantor's benefit when the protected state is defended "
                      "(the protection holds)", source="normalized; Diekmann (1985)"),
            Parameter("c", Positive(), 0.3,
                      meaning="An intervening guarantor's cost of coming to the defence (in the units of b; the "
                      "constraint 0 < c < b makes intervening worth its cost to each guarantor)",
                      source="value illustrative"),
        ],
        constraints=["0 < c < b"],
        title=f"Guarantors' volunteer's dilemma ({n} guarantors)",
        description=(f"A protected state is attacked and each of {n} guarantors decides at once whether to "
                     "intervene. If at least one intervenes the attack is repelled and every guarantor gains b; "
                     "an intervener pays c (0 < c < b); if none intervenes everyone gets 0. Equilibria: the "
                     f"{n} pure equilibria with exactly one volunteer, equilibria in which k of the guarantors "
                     "mix and the others abstain, and the symmetric mixed equilibrium, in which each abstains "
                     f"with probability (c/b)^(1/{n - 1}) and no one intervenes with probability "
                     f"(c/b)^({n}/{n - 1})."),
        source=_SOURCE,
        metadata={"family": "guarantors_dilemma", "arguments": {"n": n},
                  "notes": "Built by deterrence.alliances.volunteer.guarantors_dilemma; default values illustrative."})
    model.measures["P_no_intervention"] = Measure(
        "P_no_intervention", "P_abandonment", unit="probability",
        meaning="Probability that no guarantor intervenes (the risk of abandonment)")
    model.measures["E_interveners"] = Measure(
        "E_interveners", "E_interveners", unit="count", meaning="Expected number of guarantors who intervene")
    region = {"b": [0.5, 2.0], "c": [0.05, 0.45]}
    src = "Diekmann, A. (1985), Journal of Conflict Resolution 29(4)"
    specs = [{"id": "one_volunteer_equilibria", "kind": "equilibria", "type": "pure", "quantifier": "count", "count": n,
              "concept": "pure", "region": region, "samples": 20, "source": src,
              "words": "In every pure equilibrium exactly one guarantor volunteers; there are N of them (paraphrase)."}]
    closed = f"(c/b)^({n}/{n - 1})"
    specs += [
        {"id": "one_symmetric_equilibrium", "kind": "equilibria", "type": "mixed", "quantifier": "count", "count": 1,
         "concept": "symmetric", "region": region, "samples": 20, "source": src,
         "words": "There is exactly one symmetric equilibrium, and it is mixed: each guarantor intervenes with "
                  "probability 1 - (c/b)^(1/(N-1)) (paraphrase)."},
        {"id": "symmetric_equilibrium_abandonment_risk", "kind": "inequality", "concept": "symmetric",
         "equilibria": "all", "holds": f"P_no_intervention == {closed}", "region": region, "samples": 20,
         "source": src, "words": "In the symmetric equilibrium no one volunteers with probability (c/b)^(N/(N-1))."}]
    if n <= MAX_NASH_PLAYERS:
        specs += [
            {"id": "symmetric_abandonment_risk", "kind": "inequality", "concept": "nash", "equilibria": "some",
             "holds": f"P_no_intervention == {closed}", "region": region, "samples": 8, "source": src,
             "words": "In the symmetric equilibrium no one volunteers with probability (c/b)^(N/(N-1))."},
            {"id": "abandonment_risk_at_most_symmetric", "kind": "inequality", "concept": "nash",
             "holds": f"P_no_intervention <= {closed} + 1e-9", "region": region, "samples": 8, "source": src,
             "words": "No equilibrium leaves the protected state undefended more often than the symmetric one."}]
    if n < MAX_GAME_PLAYERS:
        specs.append(
            {"id": "abandonment_risk_rises_with_n", "kind": "compare", "concept": "symmetric", "equilibria": "all",
             "measure": "P_no_intervention", "op": "<", "region": region, "samples": 6, "source": src,
             "variants": [{"label": f"N={n}"}, {"model": f"guarantors_dilemma:n={n + 1}", "label": f"N={n + 1}"}],
             "words": "The more guarantors, the likelier that none of them intervenes (paraphrase): the risk of "
                      "abandonment in the symmetric equilibrium rises with N (in the asymmetric pure equilibria "
                      "it is 0)."})
    model.claims = [Claim.from_spec(sp, model, where=f"{name} claims[{i}]") for i, sp in enumerate(specs)]
    return model
