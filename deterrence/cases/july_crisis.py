"""The July crisis of 1914 as a game: the blank check, the ultimatum, and Britain's straddle.

Model: ``models/tripartite_crisis.toml`` (a Challenger, a Protégé and a
Defender; after Zagare and Kilgour 2003, 2006), solved for its sequential
equilibrium at the parameter values below.  The alliance network of
:mod:`.july_1914` traces the war once Austria-Hungary attacked; this module
models the bargaining before it, in two games.

Game 1: Austria-Hungary, Serbia, Russia (and Germany behind Austria-Hungary)
--------------------------------------------------------------------------
* Challenger = Austria-Hungary.  Its move ``challenge`` is the harsh
  ultimatum of 23 July 1914 (a demand Serbia could not fully accept, backed by
  force); ``status_quo`` is no ultimatum (a demand Serbia could accept).
* Protégé = Serbia.  Abandoned, it concedes (accepts the ultimatum in full:
  c_P = 1.5 below the loss of a war alone, L_P = 2); its realignment with
  Vienna is not credible (u_R = -2.5).
* Defender = Russia, whose patronage of Serbia rested on no treaty
  (reference sheet: "informal patronage"): commitment = 1, an ambiguous
  pledge binding with probability q = 0.5 that Vienna cannot read.  Russia is
  resolved with probability p_D = 0.35: Vienna and Berlin acted on the belief
  that Russia would probably stand aside (Zagare 2011), so the prior is below
  one half; its value is illustrative.
* Germany is not a player of the tripartite game.  Its support enters through
  the Challenger's determination, and this is the mapping: **p_C is the
  probability that Germany fights beside Austria-Hungary if Russia stands
  with Serbia**.  A "determined" Challenger is Austria-Hungary with Germany
  beside it, whose war against Serbia and Russia (a_W = -0.5) is better than
  backing down (a_B = -1.5); an "undetermined" one is Austria-Hungary alone
  against Russia, whose war (a_W_soft = -3) is worse than backing down.
  - The blank check (5-6 July 1914, unconditional support): p_C = 1.
  - A conditional German commitment (support only if Austria-Hungary is
    attacked without provocation: the Dual Alliance read as the defensive
    treaty it was): the ultimatum is the provocation, so the support lapses,
    p_C = 0.  The report also gives how far p_C can rise before the restraint
    fails.

Game 2: Germany, France and Russia, Britain (Zagare and Kilgour 2006)
--------------------------------------------------------------------
* Challenger = Germany (with Austria-Hungary); ``challenge`` is going to war
  on the continent.  Protégé = France and Russia, which fight without Britain
  if abandoned (L_P = 1.5 below c_P = 2) and are then defeated in the
  stylized game (the war plan's premise); their realignment with Germany is
  not credible (u_R = -2.5).  Defender = Britain, resolved with probability
  p_D = 0.2 (Berlin hoped Britain would stay out; illustrative).
* Britain's commitment: the straddle it kept (the Entente and the Grey-Cambon
  letters of 1912, consultation only) is commitment = 1 with q = 0.3; a clear
  commitment (the Entente as a defence pact, the network's
  ``clear_british_commitment``) is commitment = 3, whose reneging cost
  k = 0.6 is paid only when the pledge binds.
* Germany is "determined" (p_C = 1, the reading of 1914 the blank check and
  the war plan suggest) or "less determined" (p_C = 0.7).

Every other value is in :data:`AUSTRIA_GAME` and :data:`BRITAIN_GAME`.  All
values are illustrative: chosen to respect the model's constraints and the
orderings stated above, not measured.  The answers are the model's, solved
at these values, and each comes with the region of values where it holds.

What is stylized: the two games are solved apart (Germany's support is a
probability in the first, Germany is the Challenger in the second), so no
single game has Germany, Austria-Hungary, Russia and Britain choosing
together; Germany's support is reduced to whether Austria-Hungary would back
down before Russia; the ultimatum is a binary challenge; the war that follows
is the model's war (the Defender resolved and the Challenger determined), not
the cascade; the game form is this package's formalization of Zagare and
Kilgour's assumptions from their abstracts, not their tree; and the model's
war when Russia is resolved is the gamble Vienna and Berlin took, not a
forecast of who won.
"""

from __future__ import annotations

from .crisis_game import COMMITMENT_NAMES, MAPPING_FIELDS, answer, answers, records, stability

__all__ = ["AUSTRIA_GAME", "GERMAN_SUPPORT", "BRITAIN_GAME", "BRITISH_COMMITMENT", "GERMAN_DETERMINATION",
           "MAPPING", "crisis_game", "counterfactual_answer", "STYLIZED"]

#: Game 1: Challenger Austria-Hungary, Protégé Serbia, Defender Russia; p_C comes from GERMAN_SUPPORT.
#: All values illustrative.
AUSTRIA_GAME = {
    "commitment": 1, "q": 0.5, "pi": 0.5, "p_D": 0.35,
    "k": 0.4, "r_D": 0.3, "s_D": 1.0, "g_D": 0.5, "d_W_res": -0.5, "d_W_irr": -2.0,
    "a_SQ": 0.0, "a_DC": 1.0, "a_RA": 1.2, "a_V": 0.8, "a_W": -0.5, "a_W_soft": -3.0, "a_B": -1.5,
    "c_P": 1.5, "L_P": 2.0, "u_R": -2.5, "s_P": -0.3, "w_P": 1.0,
}
#: Germany's support of Austria-Hungary, as p_C: the probability that Germany fights beside it against Russia.
GERMAN_SUPPORT = {"blank_check": {"p_C": 1.0}, "conditional": {"p_C": 0.0}}

#: Game 2: Challenger Germany, Protégé France and Russia, Defender Britain.  All values illustrative.
BRITAIN_GAME = {
    "q": 0.3, "pi": 0.5, "p_D": 0.2,
    "k": 0.6, "r_D": 0.3, "s_D": 1.0, "g_D": 0.5, "d_W_res": -0.5, "d_W_irr": -2.0,
    "a_SQ": 0.0, "a_DC": 1.2, "a_RA": 1.5, "a_V": 1.0, "a_W": -1.0, "a_W_soft": -3.0, "a_B": -1.5,
    "c_P": 2.0, "L_P": 1.5, "u_R": -2.5, "s_P": -0.3, "w_P": 1.0,
}
BRITISH_COMMITMENT = {"straddle": {"commitment": 1}, "clear": {"commitment": 3}}
GERMAN_DETERMINATION = {"determined": {"p_C": 1.0}, "less_determined": {"p_C": 0.7}}

#: Each historical actor and choice, the model's name for it, and the value used.
MAPPING = records(
    MAPPING_FIELDS,
    ("Austria-Hungary", "Challenger (game 1)", ""),
    ("the ultimatum of 23 July 1914", "Challenger's move 'challenge'", ""),
    ("Serbia", "Protégé (game 1)", "abandoned, concedes: c_P = 1.5 < L_P = 2; realigning not credible: u_R = -2.5"),
    ("Russia's informal patronage of Serbia", "Defender (game 1), commitment = 1",
     "ambiguous pledge binding with q = 0.5; resolved with p_D = 0.35"),
    ("Germany's blank check (5-6 July 1914)", "p_C = 1",
     "Germany surely fights beside Austria-Hungary: a_W = -0.5 > a_B = -1.5"),
    ("a conditional German commitment (counterfactual)", "p_C = 0",
     "Austria-Hungary alone against Russia: a_W_soft = -3 < a_B = -1.5"),
    ("Germany (with Austria-Hungary)", "Challenger (game 2)", "determined p_C = 1, or less determined p_C = 0.7"),
    ("France and Russia", "Protégé (game 2)",
     "abandoned, fight alone: L_P = 1.5 < c_P = 2; realigning not credible: u_R = -2.5"),
    ("Britain's straddle (Entente, Grey-Cambon letters 1912)", "Defender (game 2), commitment = 1",
     "binds with q = 0.3; resolved with p_D = 0.2"),
    ("a clear British commitment (counterfactual)", "commitment = 3", "binds always; reneging cost k = 0.6"),
)

STYLIZED = " ".join(__doc__.split("What is stylized: ")[1].split())


def _austria_thresholds(P: dict) -> dict:
    """Conditions derived by hand from the game form (see the model's description), at *P* without p_C.

    Blank check (p_C = 1): an irresolute Russia fights a determined Austria-Hungary only if its pledge
    binds and k > -s_D - d_W_irr; otherwise the support Vienna expects is p_D, and it issues the ultimatum iff
    p_D < (a_DC - a_SQ)/(a_DC - a_W) (the abandoned Serbia concedes).  Conditional support (p_C small): an
    irresolute Russia supports Serbia even unbound iff p_C*d_W_irr + (1 - p_C)*g_D > -s_D, i.e.
    p_C < (g_D + s_D)/(g_D - d_W_irr); then the support is sure and the ultimatum only loses
    (p_C*a_W + (1 - p_C)*a_B < a_SQ).  That bound is sufficient, not necessary: above it a bound irresolute
    Russia may still support, and the solved boundary (``conditional_restrains_up_to_p_C``) lies higher."""
    return {
        "blank_check_ultimatum_iff_p_D_below": (P["a_DC"] - P["a_SQ"]) / (P["a_DC"] - P["a_W"]),
        "blank_check_needs_k_below": -P["s_D"] - P["d_W_irr"],
        "conditional_sure_support_while_p_C_below": (P["g_D"] + P["s_D"]) / (P["g_D"] - P["d_W_irr"]),
    }


def _britain_thresholds(P: dict) -> dict:
    """By hand: a bound irresolute Britain supports iff p_C*d_W_irr + (1 - p_C)*g_D > -s_D - k, i.e.
    p_C < (g_D + s_D + k)/(g_D - d_W_irr); then the clear commitment makes the support sure and deters.
    Against a determined Germany (p_C = 1) the support is p_D (k below -s_D - d_W_irr), and Germany challenges
    iff p_D < (a_V - a_SQ)/(a_V - a_W) (France and Russia fight alone)."""
    return {
        "clear_deters_while_p_C_below": (P["g_D"] + P["s_D"] + P["k"]) / (P["g_D"] - P["d_W_irr"]),
        "determined_challenges_iff_p_D_below": (P["a_V"] - P["a_SQ"]) / (P["a_V"] - P["a_W"]),
        "clear_binds_determined_if_k_above": -P["s_D"] - P["d_W_irr"],
    }


def _move(a: dict) -> str:
    return {"challenge": "the harsh ultimatum", "deterred": "no ultimatum (status quo)"}.get(a["answer"], "mixed")


def _p_C_boundary(model, params: dict, answer_at: str, grid: int = 201) -> float | None:
    """Largest p_C on a grid of [0, 1] up to which the answer is *answer_at* from p_C = 0 (None if not at 0)."""
    ps = [i / (grid - 1) for i in range(grid)]
    got = answers(model, [{**params, "p_C": p} for p in ps])
    last = None
    for p, g in zip(ps, got):
        if g["answer"] != answer_at:
            break
        last = p
    return last


def _p_C_from(model, params: dict, answer_at: str, grid: int = 201) -> float | None:
    """Smallest p_C on a grid of [0, 1] from which the answer is *answer_at* up to p_C = 1."""
    ps = [i / (grid - 1) for i in range(grid)]
    got = answers(model, [{**params, "p_C": p} for p in ps])
    first = None
    for p, g in zip(reversed(ps), reversed(got)):
        if g["answer"] != answer_at:
            break
        first = p
    return first


def austria_game(model, german_support: str = "blank_check", *, robustness: bool = True) -> dict:
    """Game 1 under *german_support* (``blank_check`` or ``conditional``), with the other for comparison."""
    res = {"players": {"Challenger": "Austria-Hungary", "Protege": "Serbia", "Defender": "Russia"},
           "parameters": dict(AUSTRIA_GAME), "german_support": german_support,
           "hand_derived": _austria_thresholds(AUSTRIA_GAME)}
    for name, extra in GERMAN_SUPPORT.items():
        a = answer(model, {**AUSTRIA_GAME, **extra})
        res[name] = {"p_C": extra["p_C"], "best_move": _move(a), **a}
    res["conditional_restrains_up_to_p_C"] = _p_C_boundary(model, AUSTRIA_GAME, "deterred")
    if robustness:
        bc = {**AUSTRIA_GAME, **GERMAN_SUPPORT["blank_check"]}
        res["blank_check"]["stability"] = stability(
            model, bc, "challenge",
            ranges={"p_D": (0.0, 1.0), "q": (0.0, 1.0), "k": (0.0, 2.0), "a_W": (-1.45, -0.05),
                    "a_DC": (0.1, 3.0)},
            box={"p_D": (0.0, 0.45), "q": (0.0, 1.0), "k": (0.0, 0.95), "a_DC": (0.6, 2.0)})
        cond = {**AUSTRIA_GAME, **GERMAN_SUPPORT["conditional"]}
        res["conditional"]["stability"] = stability(
            model, cond, "deterred",
            ranges={"p_C": (0.0, 1.0), "p_D": (0.0, 1.0), "q": (0.0, 1.0), "k": (0.0, 2.0)},
            box={"p_C": (0.0, 0.55), "p_D": (0.0, 1.0), "q": (0.0, 1.0), "k": (0.0, 2.0)})
    return res


def britain_game(model, *, robustness: bool = True) -> dict:
    """Game 2: Britain's straddle and a clear commitment, against a determined and a less determined Germany."""
    rows, cells = [], []
    for c, cset in BRITISH_COMMITMENT.items():
        for g, gset in GERMAN_DETERMINATION.items():
            rows.append({**BRITAIN_GAME, **cset, **gset})
            cells.append({"british_commitment": c, "commitment": cset["commitment"],
                          "commitment_type": COMMITMENT_NAMES[cset["commitment"]], "germany": g,
                          "p_C": gset["p_C"]})
    for cell, a in zip(cells, answers(model, rows)):
        cell.update(a)
    res = {"players": {"Challenger": "Germany (with Austria-Hungary)", "Protege": "France and Russia",
                       "Defender": "Britain"},
           "parameters": dict(BRITAIN_GAME), "cells": cells, "hand_derived": _britain_thresholds(BRITAIN_GAME),
           "straddle_fails_from_p_C": _p_C_from(model, {**BRITAIN_GAME, "commitment": 1}, "challenge"),
           "clear_deters_up_to_p_C": _p_C_boundary(model, {**BRITAIN_GAME, "commitment": 3}, "deterred")}
    if robustness:
        res["straddle_vs_determined_stability"] = stability(
            model, {**BRITAIN_GAME, "commitment": 1, "p_C": 1.0}, "challenge",
            ranges={"q": (0.0, 1.0), "p_D": (0.0, 1.0), "k": (0.0, 2.0)},
            box={"q": (0.0, 1.0), "p_D": (0.0, 0.45), "k": (0.0, 0.95), "r_D": (0.0, 2.0)})
        res["clear_vs_less_determined_stability"] = stability(
            model, {**BRITAIN_GAME, "commitment": 3, "p_C": 0.7}, "deterred",
            ranges={"p_C": (0.0, 1.0), "p_D": (0.0, 1.0), "k": (0.0, 2.0)},
            box={"p_C": (0.0, 0.75), "p_D": (0.0, 1.0), "k": (0.5, 2.0)})
    return res


def crisis_game(model, *, robustness: bool = True) -> dict:
    """The July crisis as a game, on the tripartite model *model* (``library.load_model("tripartite_crisis")``).

    Returns plain data: game 1 (the blank check against a conditional commitment), game 2 (Britain's straddle
    against a clear commitment), the mapping of actors to parameters, and what is stylized."""
    a = austria_game(model, robustness=robustness)
    b = britain_game(model, robustness=robustness)
    meta = getattr(model, "metadata", None) or {}
    return {"model": model.name, "model_sha256": meta.get("sha256"),
            "concept": "sequential equilibrium (pbe registry route, Bayesian backward induction)",
            "austria_hungary": a, "britain": b, "mapping": [dict(m) for m in MAPPING],
            "values": "illustrative (chosen to respect the model's constraints and the stated orderings)",
            "history": {"blank_check": "5-6 Jul 1914: Germany's unconditional support for Austria-Hungary",
                        "ultimatum": "23 Jul 1914: Austro-Hungarian ultimatum to Serbia",
                        "britain": "4 Aug 1914: Britain declares war on Germany; until then its commitment "
                                   "to France and Russia was the Entente and the Grey-Cambon letters "
                                   "(consultation only)"},
            "sources": "Zagare and Kilgour (2003, ISQ 47; 2006, ISR 8); Zagare (2011), The Games of July; "
                       "dates from the project's 1914 reference sheet",
            "stylized": STYLIZED}


def counterfactual_answer(model, name: str) -> dict | None:
    """The game's answer under the network counterfactual *name*, or None if the game does not speak to it."""
    if name == "no_blank_check":
        a = answer(model, {**AUSTRIA_GAME, **GERMAN_SUPPORT["conditional"]})
        return {"game": "Austria-Hungary, Serbia, Russia", "german_support": "conditional (p_C = 0)",
                "best_move": _move(a), **a}
    if name == "clear_british_commitment":
        rows = [{**BRITAIN_GAME, **BRITISH_COMMITMENT["clear"], **g} for g in GERMAN_DETERMINATION.values()]
        return {"game": "Germany, France and Russia, Britain", "british_commitment": "clear (commitment = 3)",
                "germany": {g: {"p_C": s["p_C"], **a}
                            for (g, s), a in zip(GERMAN_DETERMINATION.items(), answers(model, rows))}}
    return None
