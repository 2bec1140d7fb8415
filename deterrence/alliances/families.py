r"""The alliance models of burden sharing, reputation and cohesion as computed models with their claims.

Each builder returns a :class:`~deterrence.analysis.computed.ComputedModel`: the parameters in the
field's words with their domains, the named measures, the function that computes them (certified where
there is an equilibrium), and the claims from the literature, which the claims engine checks to verdicts
with counterexamples and failing regions (``deterrence claims burden_sharing``).  They are the model
families ``burden_sharing:n=N``, ``reputation_two_crises`` and ``cohesion:n=N,k=K`` of
:mod:`deterrence.library`.

* :func:`burden_sharing_model`: Olson and Zeckhauser (1966), defence as a public good among N allies
  (the closed form of Bergstrom, Blume and Varian 1986, with Sandler's 1977 joint products), solved by
  :func:`~deterrence.alliances.burden.burden_sharing`.
* :func:`reputation_model`: the two-crisis reputation game (after Kreps and Wilson 1982), solved by
  :func:`~deterrence.alliances.reputation.reputation_equilibrium`.
* :func:`cohesion_model`: claim C12 (Kissinger), the overlap of the allies' stakes, computed by
  :func:`~deterrence.alliances.cohesion.cohesion` (a probability model; no equilibrium).

Sources are stated with each model and claim below; where a claim's words paraphrase the source they say so.
"""

from __future__ import annotations

import numpy as np

from ..analysis.claims import Claim
from ..analysis.computed import ComputedModel
from ..analysis.measures import Measure
from ..errors import ModelError
from ..symbolic.parameters import Interval, Parameter, Positive, Probability
from .burden import burden_sharing
from .cohesion import cohesion
from .reputation import reputation_equilibrium

__all__ = ["burden_sharing_model", "reputation_model", "cohesion_model", "MAX_FAMILY_ALLIES",
           "DEFAULT_ALLIES", "DEFAULT_COHESION"]

#: Largest number of allies of the family ``burden_sharing`` (each ally's income is a parameter).
MAX_FAMILY_ALLIES = 40
#: Number of allies of ``burden_sharing`` without arguments.
DEFAULT_ALLIES = 5
#: ``(n, k)`` of ``cohesion`` without arguments: 8 allies, 6 needed.
DEFAULT_COHESION = (8, 6)

OZ = ("Olson, M. and Zeckhauser, R. (1966), 'An economic theory of alliances', Review of Economics and "
      "Statistics 48(3), 266-279")
BBV = ("Bergstrom, T., Blume, L. and Varian, H. (1986), 'On the private provision of public goods', Journal of "
       "Public Economics 29(1), 25-49 (after Warr, P. G. (1983), Economics Letters 13, 207-211)")
SANDLER = ("Sandler, T. (1977), 'Impurity of defense: an application to the economics of alliances', Kyklos "
           "30(3), 443-460")
KW = ("Kreps, D. M. and Wilson, R. (1982), 'Reputation and imperfect information', Journal of Economic Theory "
      "27(2), 253-279; the two-crisis form and its threshold are derived in deterrence.alliances.reputation")
SCHELLING = ("Schelling, T. C. (1966), Arms and Influence, Yale University Press, ch. 2 (commitments and 'face'); "
             "a common reading, paraphrased")
KISSINGER = ("Kissinger, H., as stated in the project's reference claims (claim C12, shared/reference/claims.md); "
             "the model is stylized here, with Leeds, B. A., Long, A. G. and Mitchell, S. M. (2000), Journal of "
             "Conflict Resolution 44(5), 686-699, for the default reliability 0.745")


def _m(name, meaning, unit=""):
    return Measure(name, name, meaning=meaning, unit=unit)


def _claims(model, specs):
    return [Claim.from_spec(sp, model, where=f"{model.name} claims[{i}]") for i, sp in enumerate(specs)]


def _count(name, value, lo, hi):
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not lo <= value <= hi:
        raise ModelError(f"{name} must be an integer in {lo}..{hi}, got {value!r}")
    return int(value)


# ---------------------------------------------------------------------- burden sharing
def burden_sharing_model(n: int = DEFAULT_ALLIES) -> ComputedModel:
    r"""Olson and Zeckhauser's alliance of ``n`` allies as a computed model with its claims.

    The game: ally :math:`i` with income ``income_i`` chooses a defence contribution; utility
    :math:`x_i^{1-a} (g_i + (1-\beta) G_{-i})^{a}` (see :mod:`deterrence.alliances.burden`).  The measures are
    those of its unique Nash equilibrium, in closed form, certified by the largest gain from a unilateral
    deviation (``regret``).

    Parameters of the model: ``income_1`` .. ``income_n`` (positive, default 1: identical allies),
    ``defence_weight`` :math:`a \in (0, 1)`, ``private_share`` :math:`\beta \in [0, 1]` and ``transfer``
    :math:`\tau \in [0, 1]`: ally 1 gives :math:`\tau g_1` of its income to ally 2 (the redistribution of the
    neutrality claim; ``total_after_transfer`` is the equilibrium total after it).

    Claims: under-provision grows with the number of allies (identical allies; and for a newcomer of income 1
    joining unequal allies), a richer ally bears a larger burden, the largest ally's share of the defence is
    at least its share of income, Bergstrom-Blume-Varian neutrality (an ``iff``: total provision is unchanged
    by a transfer from ally 1 to ally 2 exactly when ally 2 contributes), and joint products weaken
    exploitation and under-provision (Sandler 1977).

    Raises
    ------
    ModelError
        ``n`` not an integer in 2..:data:`MAX_FAMILY_ALLIES`.
    """
    n = _count("burden_sharing: n (the number of allies)", n, 2, MAX_FAMILY_ALLIES)
    incomes = [f"income_{i + 1}" for i in range(n)]
    params = [Parameter(w, Positive(), 1.0, meaning=f"ally {i + 1}'s income (GDP, in any one unit)")
              for i, w in enumerate(incomes)]
    params += [Parameter("defence_weight", Interval(0, 1, False, False), 0.2,
                         meaning="weight a on defence in each ally's Cobb-Douglas utility", source=BBV),
               Parameter("private_share", Probability(), 0.0,
                         meaning="joint product beta: share of a unit of defence spending private to the spender",
                         source=SANDLER),
               Parameter("transfer", Probability(), 0.5,
                         meaning="share of ally 1's contribution it gives to ally 2 (the neutrality experiment)")]

    def solve(p):
        w = np.stack([p[k] for k in incomes], -1)
        a, beta, tau = p["defence_weight"], p["private_share"], p["transfer"]
        eq = burden_sharing(w, a, beta)
        moved = tau * eq.contributions[:, 0]
        w2 = w.copy()
        w2[:, 0] -= moved
        w2[:, 1] += moved
        after = burden_sharing(w2, a, beta)
        out = {"total": eq.total, "optimum": eq.optimum, "provision_ratio": eq.provision_ratio,
               "exploitation": eq.exploitation, "n_contributors": eq.n_contributors.astype(float),
               "threshold": eq.threshold, "total_after_transfer": after.total,
               "regret": np.maximum(eq.regret, after.regret)}
        for i in range(n):
            out[f"burden_{i + 1}"] = eq.burden[:, i]
            out[f"share_{i + 1}"] = eq.shares[:, i]
        return out

    measures = [_m("total", "total defence G (the public good)"),
                _m("optimum", "the Samuelson optimum G* = a W"),
                _m("provision_ratio", "G / G*: provision relative to the optimum (1 efficient)", "share"),
                _m("exploitation", "largest ally's share of the defence minus its share of income"),
                _m("n_contributors", "number of allies who contribute", "count"),
                _m("threshold", "income at or below which an ally contributes nothing"),
                _m("total_after_transfer", "G after ally 1 gives transfer * g_1 to ally 2"),
                _m("regret", "certificate: largest gain from a unilateral deviation (0 in equilibrium)")]
    measures += [_m(f"burden_{i + 1}", f"ally {i + 1}'s defence as a share of its income", "share")
                 for i in range(n)]
    measures += [_m(f"share_{i + 1}", f"ally {i + 1}'s share of the alliance's defence", "share")
                 for i in range(n)]
    name = "burden_sharing" if n == DEFAULT_ALLIES else f"burden_sharing:n={n}"
    model = ComputedModel(
        name=name, players=[f"Ally {i + 1}" for i in range(n)], parameters=params, measures=measures, solve=solve,
        concept="the unique Nash equilibrium of the continuous contribution game, in closed form, certified by "
                "the largest gain from a unilateral deviation",
        title=f"Burden sharing among {n} allies (Olson and Zeckhauser 1966)",
        description=("Allies of different incomes contribute to the common defence at once; defence is a public "
                     "good (a share beta of it private, Sandler 1977); Cobb-Douglas utility with weight a on "
                     "defence (Bergstrom, Blume and Varian 1986). Stylized: one common preference weight, the "
                     "private benefit a perfect substitute for the public one, defence bought at a unit price."),
        source=f"{OZ}; {BBV}; {SANDLER}",
        metadata={"family": "burden_sharing", "arguments": {"n": n},
                  "notes": "Built by deterrence.alliances.families.burden_sharing_model; default values "
                           "illustrative (identical allies of income 1)."})
    base = {"defence_weight": [0.05, 0.95], "private_share": [0.0, 0.9]}
    unequal = {**{w: [0.2, 5.0] for w in incomes}, **base}
    same = {w: 1.0 for w in incomes}
    specs = []
    if n < MAX_FAMILY_ALLIES:
        nxt = f"burden_sharing:n={n + 1}" if n + 1 != DEFAULT_ALLIES else "burden_sharing"
        specs += [
            {"id": "under_provision_grows_with_allies", "kind": "compare", "measure": "provision_ratio", "op": ">",
             "region": base, "fixed": same, "samples": 100, "source": OZ,
             "variants": [{"label": f"N={n}"}, {"model": nxt, "label": f"N={n + 1}"}],
             "words": "The larger the number of members, the further the alliance's provision of defence falls "
                      "short of the optimum (paraphrase): identical allies of income 1, one more joins."},
            {"id": "under_provision_grows_with_allies_unequal", "kind": "compare", "measure": "provision_ratio",
             "op": ">=", "region": {**{w: [0.1, 1.5] for w in incomes}, **base}, "samples": 2000, "source": OZ,
             "variants": [{"label": f"N={n}"}, {"model": nxt, "label": f"N={n + 1} (newcomer of income 1)"}],
             "words": "The same claim for allies of unequal income (incomes 0.1 to 1.5), a newcomer of income 1, "
                      "richer or poorer than the incumbents, joining (paraphrase): provision relative to the "
                      "optimum does not rise."}]
    specs += [
        {"id": "richer_ally_bears_larger_burden", "kind": "inequality", "holds": "burden_1 >= burden_2",
         "where": "income_1 >= income_2", "region": unequal, "samples": 200, "source": OZ,
         "words": "The larger members bear a disproportionate share of the burden (paraphrase): a richer ally "
                  "spends at least as large a share of its income on defence."},
        {"id": "exploitation_of_the_great_by_the_small", "kind": "inequality", "holds": "exploitation >= 0",
         "region": {**unequal, "private_share": [0.0, 1.0]}, "samples": 200, "source": OZ,
         "words": "'The exploitation of the great by the small' (their phrase): the largest ally's share of the "
                  "defence is at least its share of income."},
        {"id": "neutrality", "kind": "iff", "holds": "total_after_transfer == total",
         "condition": "income_2 > (1 - defence_weight) * (1 - private_share) * income_1",
         "region": {"income_1": [2.0, 3.0], "income_2": [1.0, 2.0], **{w: [0.1, 1.0] for w in incomes[2:]},
                    **base, "transfer": [0.1, 1.0]}, "samples": 200, "source": BBV,
         "words": "A redistribution of income among contributors that no contributor loses more than its "
                  "contribution leaves the equilibrium supply of the public good unchanged (paraphrase). Here "
                  "ally 1 (the richest) gives transfer * g_1 to ally 2 (the second richest), who contributes "
                  "exactly when income_2 > (1-a)(1-beta) income_1; towards a non-contributor provision changes."},
        {"id": "joint_products_weaken_exploitation", "kind": "monotone", "measure": "exploitation",
         "parameter": "private_share", "direction": "decreasing",
         "region": {**unequal, "private_share": [0.0, 1.0]}, "samples": 100, "source": SANDLER,
         "words": "When defence also yields ally-specific private benefits, burdens follow benefits more closely "
                  "and the large allies' disproportionate burden shrinks (paraphrase)."},
        {"id": "joint_products_reduce_under_provision", "kind": "monotone", "measure": "provision_ratio",
         "parameter": "private_share", "direction": "increasing",
         "region": {**unequal, "private_share": [0.0, 1.0]}, "samples": 100, "source": SANDLER,
         "words": "With joint products the alliance's suboptimal provision of defence is less severe "
                  "(paraphrase)."}]
    model.claims = _claims(model, specs)
    return model


# ---------------------------------------------------------------------- reputation
def reputation_model() -> ComputedModel:
    r"""The two-crisis reputation game as a computed model with its claims.

    Parameters: ``prior`` :math:`\pi \in (0, 1)` that the defender is resolute, ``discount``
    :math:`\delta \in [0, 1]`, ``honour_cost`` :math:`k > 0`, ``stake`` :math:`L > 0`, ``challenger_value``
    :math:`v > 0`, ``challenger_cost`` :math:`w > 0` (see :mod:`deterrence.alliances.reputation`).  The
    measures are those of its perfect Bayesian equilibrium, in closed form, certified (``regret``).

    Claims: honouring pays for its reputation iff :math:`\delta > k/L` (derived; after Kreps and Wilson
    1982); honouring never lowers credibility and reneging destroys it; and "a defender that values its
    reputation more is challenged less" (a common reading of Schelling 1966), which the model refutes in
    part: in the mixed equilibrium a more patient defender is challenged more often in the second crisis.
    """
    P = [Parameter("prior", Interval(0, 1, False, False), 0.2,
                   meaning="challengers' prior that the defender is resolute"),
         Parameter("discount", Probability(), 0.8, meaning="the defender's valuation of the second crisis"),
         Parameter("honour_cost", Positive(), 1.0, meaning="irresolute defender's net cost of honouring in crisis 1"),
         Parameter("stake", Positive(), 2.0, meaning="what the irresolute defender loses if challenged in crisis 2"),
         Parameter("challenger_value", Positive(), 1.0, meaning="a challenger's gain if the defender reneges"),
         Parameter("challenger_cost", Positive(), 1.0, meaning="a challenger's loss if the defender honours")]

    def solve(p):
        e = reputation_equilibrium(p["prior"], p["discount"], honour_cost=p["honour_cost"], stake=p["stake"],
                                   challenger_value=p["challenger_value"], challenger_cost=p["challenger_cost"])
        return {"P_honour_irresolute": e.sigma, "credibility_crisis1": e.credibility_crisis1,
                "credibility_after_honour": e.credibility_after_honour,
                "credibility_after_renege": e.credibility_after_renege, "P_challenge_1": e.P_challenge_1,
                "P_challenge_2": e.P_challenge_2, "P_challenge_2_after_honour": e.z_after_honour,
                "regret": e.regret}

    prob = "probability"
    measures = [_m("P_honour_irresolute", "probability the irresolute defender honours a challenge in crisis 1", prob),
                _m("credibility_crisis1", "challenger 1's belief that the defender will honour", prob),
                _m("credibility_after_honour", "challenger 2's belief the defender is resolute after an honour", prob),
                _m("credibility_after_renege", "challenger 2's belief the defender is resolute after a renege", prob),
                _m("P_challenge_1", "probability of a challenge in crisis 1", prob),
                _m("P_challenge_2", "probability of a challenge in crisis 2 (over all paths)", prob),
                _m("P_challenge_2_after_honour", "probability challenger 2 challenges after an honour", prob),
                _m("regret", "certificate: largest gain from a unilateral deviation (0 in equilibrium)")]
    model = ComputedModel(
        name="reputation_two_crises", players=["Defender", "Challenger 1", "Challenger 2"], parameters=P,
        measures=measures, solve=solve,
        concept="the perfect Bayesian equilibrium of the two-crisis game, in closed form (the reneging one at "
                "the indifferent delta = k/L), certified by the largest gain from a unilateral deviation at any "
                "information set and by Bayes' rule",
        title="Reputation across two crises",
        description=("A defender of private resolve (resolute with prior pi, a commitment type) faces a challenger "
                     "in each of two crises; the second updates its belief by Bayes' rule from whether the "
                     "defender honoured or reneged in the first. Stylized: two crises, one-shot challengers, the "
                     "same challenger payoffs in both, the irresolute type reneges in the last crisis."),
        source=KW, metadata={"family": "reputation_two_crises", "arguments": {}})
    region = {"prior": [0.02, 0.98], "discount": [0.0, 1.0], "honour_cost": [0.1, 2.0], "stake": [0.5, 3.0],
              "challenger_value": [0.2, 2.0], "challenger_cost": [0.2, 2.0]}
    model.claims = _claims(model, [
        {"id": "honouring_pays_iff_patient", "kind": "iff", "holds": "P_honour_irresolute > 0",
         "condition": "discount > honour_cost / stake", "region": region, "samples": 300, "source": KW,
         "words": "Honouring a costly commitment pays for its reputation exactly when the defender values the "
                  "future enough: the irresolute defender honours (with positive probability) iff delta > k/L."},
        {"id": "honour_builds_credibility", "kind": "inequality",
         "holds": "credibility_after_renege < prior <= credibility_after_honour", "region": region,
         "samples": 300, "source": KW,
         "words": "Challengers believe a defender that honoured at least as much as before, and one that reneged "
                  "less (Bayes' rule; paraphrase of the reputation literature)."},
        {"id": "patience_deters_the_second_challenger", "kind": "monotone", "measure": "P_challenge_2",
         "parameter": "discount", "direction": "decreasing", "region": region, "samples": 100,
         "source": SCHELLING,
         "words": "A state that cares more for its reputation for resolve (its 'face') is challenged less "
                  "(paraphrase of a common reading)."}])
    return model


# ---------------------------------------------------------------------- cohesion
def cohesion_model(n: int = DEFAULT_COHESION[0], k: int = DEFAULT_COHESION[1]) -> ComputedModel:
    r"""Claim C12 (the more parallel the interests, the more cohesive the alliance) as a computed model.

    ``n`` guarantors, the coalition prevails when at least ``k`` fight.  Parameters: ``overlap``
    :math:`\omega \in [0, 1]` (the probability a crisis engages the shared interest), ``p_common`` and
    ``p_own`` (an ally's probability of fighting when the shared, resp. its own, interest is engaged); see
    :mod:`deterrence.alliances.cohesion`.  A probability model: no strategic choice, no equilibrium.

    Claims: more overlap raises each ally's probability of honouring, and raises collective credibility (C12,
    for honouring and for credibility); both hold only on a share of the parameter space, with the regions
    :mod:`~deterrence.alliances.cohesion` derives (:math:`p_c > p_o`, resp. :math:`p_c > P(\mathrm{Bin}(n,
    p_o) \ge k)`).
    """
    n = _count("cohesion: n (the number of allies)", n, 1, 60)
    k = _count("cohesion: k (the allies needed to prevail)", k, 1, n)
    P = [Parameter("overlap", Probability(), 0.5, meaning="overlap of stakes: probability a crisis engages the "
                                                          "interest the allies share"),
         Parameter("p_common", Probability(), 0.745, meaning="an ally's probability of fighting for the shared "
                                                             "interest", source="Leeds, Long and Mitchell (2000)"),
         Parameter("p_own", Probability(), 0.745, meaning="an ally's probability of fighting for its own, "
                                                          "divergent interests", source="Leeds, Long and Mitchell (2000)")]

    def solve(p):
        c = cohesion(p["overlap"], n, k, p_common=p["p_common"], p_own=p["p_own"])
        return {"P_honour": c.P_honour, "collective_credibility": c.collective_credibility,
                "independent_tail": c.independent_tail}

    prob = "probability"
    measures = [_m("P_honour", "each ally's probability of honouring", prob),
                _m("collective_credibility", f"probability that at least {k} of the {n} allies fight", prob),
                _m("independent_tail", f"P(Bin({n}, p_own) >= {k}): credibility with divergent interests", prob)]
    default = (n, k) == DEFAULT_COHESION
    name = "cohesion" if default else f"cohesion:n={n},k={k}"
    model = ComputedModel(
        name=name, players=[f"Ally {i + 1}" for i in range(n)], parameters=P, measures=measures, solve=solve,
        concept="probabilities of a stated mixture model (no strategic choice, so no equilibrium to certify)",
        title=f"Cohesion (claim C12): {n} allies, {k} needed",
        description=("With probability omega a crisis engages the allies' shared interest and all act on one draw "
                     "(fight with p_common); otherwise each acts on its own interest, independently (p_own). "
                     "Stylized: a mixture, not a continuous overlap; exchangeable allies; a threshold of allies."),
        source=KISSINGER, metadata={"family": "cohesion", "arguments": {"n": n, "k": k}})
    region = {"overlap": [0.0, 1.0], "p_common": [0.0, 1.0], "p_own": [0.0, 1.0]}
    model.claims = _claims(model, [
        {"id": "parallel_interests_raise_honouring", "kind": "monotone", "measure": "P_honour",
         "parameter": "overlap", "direction": "increasing", "region": region, "samples": 100, "source": KISSINGER,
         "words": "The more parallel the allies' interests, the more cohesive the alliance (C12), read as: each "
                  "ally is likelier to honour its commitment."},
        {"id": "parallel_interests_raise_credibility", "kind": "monotone", "measure": "collective_credibility",
         "parameter": "overlap", "direction": "increasing", "region": region, "samples": 100, "source": KISSINGER,
         "words": "The more parallel the allies' interests, the more cohesive the alliance (C12), read as: the "
                  "alliance is likelier to field the coalition it needs."},
        {"id": "parallel_interests_raise_credibility_common_0745", "kind": "monotone",
         "measure": "collective_credibility", "parameter": "overlap", "direction": "increasing",
         "region": {"overlap": [0.0, 1.0], "p_own": [0.0, 1.0]}, "fixed": {"p_common": 0.745}, "samples": 100,
         "source": KISSINGER,
         "words": "C12 for collective credibility when an ally fights for the shared interest as often as allies "
                  "honoured their commitments in the data (p_common = 0.745, Leeds, Long and Mitchell 2000), "
                  "whatever its reliability for its own interests (p_own)."}])
    return model
