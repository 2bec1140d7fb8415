r"""Collective defence with N guarantors as an engine game: the model family ``article5``.

Model
-----
The probability model of :mod:`deterrence.alliances.article5` written as a
game tree that the engine solves, so that every command that takes a model
file takes it (``deterrence show article5:n=12``, ``solve``, ``sweep``,
``claims``):

1. Nature draws :math:`K \in \{0, \dots, N\}`, the number of the :math:`N`
   guarantors who would honour the commitment if the target were attacked.
   Guarantor :math:`i` honours with probability :math:`p_i` (its
   *reliability*; Leeds, Long and Mitchell 2000, *Journal of Conflict
   Resolution* 44(5), found commitments honoured in 74.5% of the cases where
   the casus foederis arose), and the decisions are correlated through the
   common shock of :mod:`~deterrence.alliances.article5` (with probability
   :math:`\rho` all act on one shared draw, else each on its own).  The law of
   :math:`K` is the mixture of the Poisson-binomial law and the shared-draw
   law, computed by :func:`~deterrence.alliances.article5.coalition_distribution`
   for the whole batch of parameter points at once (the chance probabilities
   are *derived quantities* ``prob_K0 .. prob_KN`` of the model, see
   :mod:`deterrence.games.derived`).
2. The Challenger, who knows the reliabilities and the correlation but not
   the draw (one information set over the :math:`N+1` nodes), attacks or
   refrains.  The target always resists.
3. If it attacks, war follows; the coalition (target strength :math:`s_T`
   plus :math:`s_A` per ally who fights) defeats the attack iff
   :math:`K \ge k^* = \lceil (s_C - s_T)/s_A \rceil` (the derived indicators
   ``enough_K0 .. enough_KN``).  The Challenger gets :math:`v - c` if it wins,
   :math:`-d - c` if it is defeated, 0 if it refrains.

Its equilibrium is the sequential equilibrium (Kreps and Wilson 1982) of a
tree whose information set hides only nature's move, found by Bayesian
backward induction and certified (the registry's concept ``pbe``).  It
attacks iff :math:`(1-q)v - qd - c > 0` with :math:`q = P(K \ge k^*)`, the
collective credibility: the decision of
:func:`~deterrence.alliances.article5.collective_defence`, which the tests
check on the same points.

Players: the Challenger only; the guarantors' decisions are nature's (the
probability model), and the target has no choice.  The strategic version, in
which each guarantor decides whether to intervene, is the family
``guarantors_dilemma`` (Diekmann 1985).

Parameters (field's words): ``reliability`` (or ``reliability_1 ..
reliability_N`` with ``distinct=1``), ``correlation``, ``target_strength``,
``ally_strength``, ``challenger_strength``, ``value``, ``defeat_cost``,
``war_cost``.  Measures: ``P_attack``, ``P_war``, ``P_abandonment``,
``collective_credibility``, ``expected_coalition_size``,
``deterrence_threshold`` and the law of :math:`K`, ``P_allies_0 ..
P_allies_N``.

Claims (shipped with the model, checked by ``deterrence claims``): against a
challenger of given strength one more guarantor never lowers collective
credibility; when the coalition needs a strict majority of the guarantors,
more guarantors raise credibility where each is reliable enough and lower it
where it is not (the logic of Condorcet's jury theorem, Grofman, Owen and Feld
1983; with correlated decisions, Ladha 1992); correlation lowers credibility
where the coalition needs few allies and raises it where it needs nearly all.

What is stylized: the common-shock form of correlation, a war decided by the
count of allies against a threshold of strength, a challenger who knows the
reliabilities (see :mod:`~deterrence.alliances.article5`).
"""

from __future__ import annotations

import numpy as np

from ..errors import ModelError
from .article5 import LEEDS_RELIABILITY, allies_needed, coalition_distribution

__all__ = ["article5_game", "MAX_FAMILY_ALLIES", "DEFAULT_ALLIES"]

#: Largest N of the family (a tree of 2(N+1) terminals; the law of K is O(N^2) per point).
MAX_FAMILY_ALLIES = 64
#: N of the family ``article5`` when no argument is given.
DEFAULT_ALLIES = 12

_LEEDS = ("Leeds, B. A., Long, A. G. and Mitchell, S. M. (2000), \"Reevaluating alliance reliability: specific "
          "threats, specific promises\", Journal of Conflict Resolution 44(5): 686-699 (commitments honoured in "
          "74.5% of the cases where the casus foederis arose)")
_SOURCE = (_LEEDS + "; the common-shock correlation, the threshold of strength and the game form are this "
           "package's stylization (deterrence.alliances.article5)")
_JURY = ("Grofman, B., Owen, G. and Feld, S. L. (1983), \"Thirteen theorems in search of the truth\", Theory and "
         "Decision 15(3): 261-278 (Condorcet's jury theorem); Ladha, K. K. (1992), \"The Condorcet jury theorem, "
         "free speech, and correlated votes\", American Journal of Political Science 36(3): 617-634")
_DERIVED_SOURCE = ("derived here from the model (one more guarantor makes the number who fight stochastically "
                   "larger, under independent and under shared draws); reliability from Leeds, Long and Mitchell "
                   "(2000)")


def _name(n: int, distinct: bool) -> str:
    args = ([f"n={n}"] if n != DEFAULT_ALLIES else []) + (["distinct=1"] if distinct else [])
    return "article5" + (":" + ",".join(args) if args else "")


class _Law:
    """The batched function of the derived quantities: the law of K and the indicators K >= k* (a class, not
    a closure, so that the model pickles, e.g. to the workers of a distributed sweep)."""

    def __init__(self, n: int, distinct: bool):
        self.n, self.distinct = n, distinct

    def __call__(self, values):
        n = self.n
        if self.distinct:
            p = np.stack(np.broadcast_arrays(*(np.asarray(values[f"reliability_{i + 1}"], float) for i in range(n))),
                         axis=-1)
        else:
            p = np.asarray(values["reliability"], float)[..., None] * np.ones(n)
        law = coalition_distribution(p, np.asarray(values["correlation"], float))   # (..., n + 1), one call
        need = allies_needed(values["target_strength"], values["ally_strength"], values["challenger_strength"], n)
        out = {f"prob_K{k}": law[..., k] for k in range(n + 1)}
        out.update({f"enough_K{k}": (k >= need).astype(float) for k in range(n + 1)})
        return out


def article5_game(n: int = DEFAULT_ALLIES, distinct: int = 0):
    r"""Collective defence with ``n`` guarantors as a :class:`~deterrence.games.ParametricTree`.

    The model family ``article5`` of :mod:`deterrence.library` (``article5:n=12``; ``article5:n=5,distinct=1``
    for one reliability parameter per guarantor).  See the module docstring for the game form.

    Parameters
    ----------
    n : int
        Number of guarantors, ``1 .. MAX_FAMILY_ALLIES``.
    distinct : {0, 1}
        0: one common ``reliability``; 1: ``reliability_1 .. reliability_n``, one per guarantor.

    Returns
    -------
    ParametricTree
        With measures, claims and derived quantities (the law of K from the batched recursion).

    Raises
    ------
    ModelError
        ``n`` not an integer in ``1..MAX_FAMILY_ALLIES`` or ``distinct`` not 0 or 1 (parameter values outside
        their domains, such as a reliability outside [0, 1], are refused when the model is evaluated, naming
        the parameter and its domain).
    """
    from ..analysis.claims import Claim
    from ..analysis.measures import Measure
    from ..games.derived import DerivedQuantities
    from ..games.parametric import ParametricTree
    from ..symbolic import Interval, NonNegative, Parameter, Positive

    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or not 1 <= n <= MAX_FAMILY_ALLIES:
        raise ModelError(f"article5: n (the number of guarantors) must be an integer in 1..{MAX_FAMILY_ALLIES}, "
                         f"got {n!r}")
    if isinstance(distinct, bool) or distinct not in (0, 1):
        raise ModelError(f"article5: distinct must be 0 (one common reliability) or 1 (one per guarantor), "
                         f"got {distinct!r}")
    n, distinct = int(n), bool(distinct)
    name = _name(n, distinct)
    strong = 1 + n // 2 + 1          # default challenger: the target and a strict majority of the guarantors
    rel_meaning = ("probability that {who} honours the commitment (fights) when the target is attacked")
    if distinct:
        reliability = [Parameter(f"reliability_{i + 1}", Interval(0.0, 1.0), LEEDS_RELIABILITY,
                                 meaning=rel_meaning.format(who=f"guarantor {i + 1}"),
                                 source="Leeds, Long and Mitchell (2000): 74.5% of commitments honoured")
                       for i in range(n)]
    else:
        reliability = [Parameter("reliability", Interval(0.0, 1.0), LEEDS_RELIABILITY,
                                 meaning=rel_meaning.format(who="each guarantor"),
                                 source="Leeds, Long and Mitchell (2000): 74.5% of commitments honoured")]
    parameters = reliability + [
        Parameter("correlation", Interval(0.0, 1.0), 0.0,
                  meaning="correlation of the guarantors' decisions: weight of the common shock (with this "
                          "probability all act on one shared draw); the pairwise correlation for equal reliabilities",
                  source="stylized; 0 = independent decisions"),
        Parameter("target_strength", NonNegative(), 1.0, meaning="military strength of the attacked target",
                  source="normalized"),
        Parameter("ally_strength", Positive(), 1.0, meaning="strength each guarantor who fights adds to the coalition",
                  source="normalized: allies are counted, not weighed"),
        Parameter("challenger_strength", NonNegative(), float(strong),
                  meaning="military strength of the challenger; the coalition defeats the attack iff target "
                          "strength plus the fighting allies' strength reaches it",
                  source=f"illustrative: the target and a strict majority ({n // 2 + 1}) of the guarantors"),
        Parameter("value", Positive(), 1.0, meaning="the challenger's value of winning (of taking the target)",
                  source="normalized"),
        Parameter("defeat_cost", NonNegative(), 1.0, meaning="the challenger's cost of being defeated by the coalition",
                  source="value illustrative"),
        Parameter("war_cost", NonNegative(), 0.1, meaning="the challenger's cost of war, paid whenever it attacks",
                  source="value illustrative"),
    ]
    nodes = [{"id": "allies", "player": "chance", "actions": {f"K={k}": f"challenger_K{k}" for k in range(n + 1)},
              "probabilities": {f"K={k}": f"prob_K{k}" for k in range(n + 1)}}]
    for k in range(n + 1):
        allies = f"{k} all{'y' if k == 1 else 'ies'}"
        nodes.append({"id": f"challenger_K{k}", "player": "Challenger", "infoset": "challenger",
                      "actions": {"attack": f"war_K{k}", "refrain": f"peace_K{k}"}})
        common = {"allies_honouring": k, "enough_allies": f"enough_K{k}", f"allies_{k}": 1}
        nodes.append({"id": f"war_K{k}", "outcome": f"attack; {allies} fight{'s' if k == 1 else ''}",
                      "payoffs": [f"value - war_cost - (value + defeat_cost) * enough_K{k}"],
                      "tags": ["challenge", "deterrence_failure", "war"] + (["alliance_war"] if k else ["abandonment"]),
                      "quantities": common})
        nodes.append({"id": f"peace_K{k}", "outcome": f"no attack ({allies} would have fought)", "payoffs": ["0"],
                      "tags": ["status_quo", "deterrence_success"], "quantities": common})
    derived = DerivedQuantities(
        [f"prob_K{k}" for k in range(n + 1)] + [f"enough_K{k}" for k in range(n + 1)], _Law(n, distinct),
        meaning="prob_Kk: P(K = k), the law of the number of guarantors who honour (Poisson-binomial mixed with "
                "the shared draw, deterrence.alliances.article5.coalition_distribution); enough_Kk: 1 iff k allies "
                "with the target reach the challenger's strength (k >= k*)")
    who = "one reliability per guarantor" if distinct else "a common reliability"
    model = ParametricTree(
        name=name, players=["Challenger"], parameters=parameters, nodes=nodes, root="allies", derived=derived,
        title=f"Article 5 with {n} guarantor{'s' if n > 1 else ''} ({who})",
        description=(f"A challenger considers attacking a target protected by {n} guarantors. Nature draws K, the "
                     "number of guarantors who would honour the commitment: each honours with its reliability, the "
                     "decisions correlated through a common shock (with probability 'correlation' all act on one "
                     "shared draw). The challenger knows the law of K, not its draw, and attacks or refrains. If it "
                     "attacks, the target resists and the K allies fight: the coalition defeats the attack iff "
                     "target_strength + K * ally_strength >= challenger_strength. The challenger gets value - "
                     "war_cost if it wins, -defeat_cost - war_cost if defeated, 0 if it refrains. It attacks iff "
                     "collective credibility P(K >= k*) is below (value - war_cost)/(value + defeat_cost)."),
        source=_SOURCE,
        metadata={"family": "article5", "arguments": {"n": n, "distinct": int(distinct)},
                  "notes": "Built by deterrence.alliances.article5_game.article5_game; the law of K is computed in "
                           "Python (derived quantities prob_K*, enough_K*), batched over the parameter points."})
    ms = model.measures
    ms["P_attack"] = Measure("P_attack", "attack", unit="probability", meaning="Probability that the challenger "
                             "attacks", actions={"attack": {"infoset": "challenger", "action": "attack"}})
    ms["P_war"] = Measure("P_war", "P_war", unit="probability",
                          meaning="Probability of war (the target always resists, so P(war) = P(attack))")
    ms["P_abandonment"] = Measure("P_abandonment", "P_abandonment", unit="probability",
                                  meaning="Probability that the target is attacked and no guarantor fights")
    ms["collective_credibility"] = Measure(
        "collective_credibility", "E_enough_allies", unit="probability",
        meaning="Probability that enough guarantors would fight to defeat an attack, P(K >= k*)")
    ms["expected_coalition_size"] = Measure(
        "expected_coalition_size", "E_allies_honouring", unit="count",
        meaning="Expected number of guarantors who would honour the commitment, E[K]")
    ms["deterrence_threshold"] = Measure(
        "deterrence_threshold", "(value - war_cost)/(value + defeat_cost)", unit="",
        meaning="The challenger is deterred iff collective credibility reaches (value - war_cost)/(value + defeat_cost)")
    for k in range(n + 1):
        ms[f"P_allies_{k}"] = Measure(f"P_allies_{k}", f"E_allies_{k}", unit="probability",
                                      meaning=f"Probability that exactly {k} guarantor{'s' if k != 1 else ''} "
                                              f"would honour the commitment")
    model.claims = [Claim.from_spec(sp, model, where=f"{name} claims[{i}]")
                    for i, sp in enumerate(_claims(n, distinct))]
    return model


def majority(n: int) -> int:
    """A strict majority of ``n`` guarantors."""
    return n // 2 + 1


def _claims(n: int, distinct: bool) -> list[dict]:
    """The shipped claims of ``article5:n=<n>`` (data, as in a model file's ``[[claims]]``)."""
    specs = []
    rel = {} if distinct else {"reliability": [0.05, 0.95]}
    if n < MAX_FAMILY_ALLIES:
        specs.append(
            {"id": "credibility_rises_with_guarantors", "kind": "compare", "measure": "collective_credibility",
             "op": "<=", "region": {**rel, "correlation": [0.0, 1.0], "challenger_strength": [0.5, n + 2.5]},
             "samples": 24, "source": _DERIVED_SOURCE,
             "variants": [{"label": f"N={n}"}, {"model": _name(n + 1, distinct), "label": f"N={n + 1}"}],
             "words": "Against a challenger of given strength, one more guarantor never lowers collective "
                      "credibility, whatever the reliability and the correlation (the package's statement)."})
    if not distinct and n + 2 <= MAX_FAMILY_ALLIES:
        m0, m1 = majority(n), majority(n + 2)
        specs.append(
            {"id": "majority_credibility_rises_with_guarantors_iff_reliable", "kind": "compare",
             "measure": "collective_credibility", "op": "<=",
             "region": {"reliability": [0.05, 0.95], "correlation": [0.0, 0.9]}, "samples": 40,
             "fixed": {"target_strength": 0.0, "ally_strength": 1.0},
             "variants": [{"label": f"N={n}, {m0} needed", "set": {"challenger_strength": float(m0)}},
                          {"model": _name(n + 2, False), "label": f"N={n + 2}, {m1} needed",
                           "set": {"challenger_strength": float(m1)}}],
             "source": _JURY,
             "note": "Condorcet's theorem is about majorities of voters; here a majority of guarantors must fight. "
                     "The region where it fails is reported as a split in reliability.",
             "words": "When a majority must act, more members make the majority likelier to act as each would "
                      "where each member is reliable enough (above about one half), and less likely where not; "
                      "correlation between members weakens the effect (Condorcet's jury theorem, paraphrase)."})
    strengths = {"challenger_strength": [1.0, n + 1.0]}
    specs.append(
        {"id": "correlation_lowers_credibility_when_few_allies_needed", "kind": "monotone",
         "measure": "collective_credibility", "parameter": "correlation", "direction": "decreasing",
         "region": {"correlation": [0.0, 1.0], **strengths}, "samples": 24, "source": _JURY,
         **({} if distinct else {"fixed": {"reliability": LEEDS_RELIABILITY}}),
         "note": "With the common shock, credibility is linear in the correlation, with slope (the k*-th largest "
                 "reliability) - P_independent(K >= k*): negative where the coalition needs few allies, positive "
                 "where it needs nearly all; the verdict's split gives the challenger strength where it turns.",
         "words": "Correlated decisions lower the probability that enough members act when few are needed "
                  "(independent draws diversify) and raise it when nearly all are needed (paraphrase of Ladha's "
                  "result on correlated votes, read for guarantors)."})
    return specs
