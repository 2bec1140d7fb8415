"""Small parametric models built in Python for the analysis tests (not shipped)."""

from deterrence.games.parametric import ParametricNormalForm, ParametricTree
from deterrence.symbolic.parameters import Parameter, Probability, Real


def escalation_tree():
    """A perfect-information deterrence tree with a chance move (10 nodes).

    Challenger: status quo or challenge; Defender: concede or resist; after
    resistance the Challenger backs down or escalates, and escalation ends in
    war won by the Challenger with probability w.
    """
    P = [Parameter("w", Probability(), 0.4, meaning="Challenger's chance of winning a war"),
         Parameter("a_sq", Real(), 0.0), Parameter("a_win", Real(), 2.0), Parameter("a_back", Real(), -0.5),
         Parameter("c_A", Real(), 1.0), Parameter("b_conc", Real(), -1.0), Parameter("b_back", Real(), 1.0),
         Parameter("c_B", Real(), 1.0)]
    nodes = [
        {"id": "A1", "player": "Challenger", "actions": {"status_quo": "sq", "challenge": "B1"}},
        {"id": "B1", "player": "Defender", "actions": {"concede": "conc", "resist": "A2"}},
        {"id": "A2", "player": "Challenger", "actions": {"back_down": "back", "escalate": "war"}},
        {"id": "war", "player": "chance", "actions": {"A_wins": "winA", "B_wins": "winB"},
         "probabilities": {"A_wins": "w", "B_wins": "1 - w"}},
        {"id": "sq", "payoffs": ["a_sq", 0], "outcome": "status quo"},
        {"id": "conc", "payoffs": ["a_win", "b_conc"], "outcome": "capitulation"},
        {"id": "back", "payoffs": ["a_back", "b_back"], "outcome": "challenger backs down"},
        {"id": "winA", "payoffs": ["a_win - c_A", "b_conc - c_B"], "outcome": "war"},
        {"id": "winB", "payoffs": ["-c_A", "b_back - c_B"], "outcome": "war"},
    ]
    return ParametricTree(name="escalation", players=["Challenger", "Defender"], parameters=P, nodes=nodes)


def crisis_2x2():
    """A parametric 2x2 crisis game (Chicken for c > v > 0)."""
    P = [Parameter("c", Real(), 2.0, meaning="cost of war"), Parameter("v", Real(), 1.0, meaning="value of the stake")]
    return ParametricNormalForm(
        name="crisis", players=["Row", "Column"], parameters=P, actions=[["Swerve", "Stand"], ["Swerve", "Stand"]],
        payoffs={("Swerve", "Swerve"): [0, 0], ("Swerve", "Stand"): ["-v", "v"],
                 ("Stand", "Swerve"): ["v", "-v"], ("Stand", "Stand"): ["-c", "-c"]},
        outcomes={("Stand", "Stand"): "war"})


def uncertain_resolve():
    """The rudimentary asymmetric deterrence game (Zagare & Kilgour 2000) with the Defender's type
    drawn *after* the challenge, so the tree has perfect information and the Challenger compares
    expected payoffs under the prior p_B."""
    P = [Parameter("p_B", Probability(), 0.5), Parameter("a_SQ", Real(), 0.0), Parameter("a_DC", Real(), 1.0),
         Parameter("a_DD", Real(), -1.0), Parameter("b_SQ", Real(), 1.0), Parameter("b_DC", Real(), -0.5),
         Parameter("b_H", Real(), 0.0), Parameter("b_S", Real(), -1.0)]
    nodes = [
        {"id": "A", "player": "Challenger", "actions": {"Not": "sq", "Challenge": "N"}},
        {"id": "N", "player": "chance", "actions": {"Hard": "BH", "Soft": "BS"},
         "probabilities": {"Hard": "p_B", "Soft": "1 - p_B"}},
        {"id": "BH", "player": "Defender", "actions": {"Resist": "ddH", "Concede": "dcH"}},
        {"id": "BS", "player": "Defender", "actions": {"Resist": "ddS", "Concede": "dcS"}},
        {"id": "sq", "payoffs": ["a_SQ", "b_SQ"], "outcome": "SQ"},
        {"id": "ddH", "payoffs": ["a_DD", "b_H"], "outcome": "DD"},
        {"id": "dcH", "payoffs": ["a_DC", "b_DC"], "outcome": "DC"},
        {"id": "ddS", "payoffs": ["a_DD", "b_S"], "outcome": "DD"},
        {"id": "dcS", "payoffs": ["a_DC", "b_DC"], "outcome": "DC"},
    ]
    return ParametricTree(name="uncertain_resolve", players=["Challenger", "Defender"], parameters=P, nodes=nodes,
                          constraints=["a_DD < a_SQ < a_DC", "b_S < b_DC < b_H"])


def commitment_with_response():
    """A defender of private resolve commits publicly (cost k) or not; the challenger sees the commitment,
    not the type, and challenges or not; a challenged defender, knowing its type, fights or backs down.

    Backing down after a commitment costs the audience cost ``ac`` on top of ``k``, so with the defaults
    both types fight a challenge after a commitment (w_res - k = 0.1 and w_irr - k = -1.4 exceed
    -k - ac = -2.4) and challenging a committed defender gives the challenger a_war < 0 whatever it
    believes.  Without a commitment the resolved type fights (0.5 > 0) and the irresolute one backs down
    (0 > -1).  The challenger's information sets hide the defender's move (its type and its choice), so the
    tree is a general incomplete-information tree, not a signalling game (the defender moves last).
    """
    P = [Parameter("p", Probability(), 0.3, meaning="prior probability that the Defender is resolved"),
         Parameter("k", Real(), 0.4), Parameter("ac", Real(), 2.0), Parameter("a_war", Real(), -1.0),
         Parameter("a_win", Real(), 1.0), Parameter("b_sq", Real(), 1.0), Parameter("w_res", Real(), 0.5),
         Parameter("w_irr", Real(), -1.0)]
    nodes = [{"id": "nature", "player": "chance", "actions": {"resolved": "D_res", "irresolute": "D_irr"},
              "probabilities": {"resolved": "p", "irresolute": "1 - p"}}]
    for t, w in (("res", "w_res"), ("irr", "w_irr")):
        nodes.append({"id": f"D_{t}", "player": "Defender",
                      "actions": {"commit": f"C_{t}_commit", "no_commit": f"C_{t}_none"}})
        for m, cost, back in (("commit", " - k", "-k - ac"), ("none", "", "0")):
            nodes.append({"id": f"C_{t}_{m}", "player": "Challenger", "infoset": f"after_{m}",
                          "actions": {"challenge": f"R_{t}_{m}", "not": f"sq_{t}_{m}"}})
            nodes.append({"id": f"R_{t}_{m}", "player": "Defender",
                          "actions": {"fight": f"war_{t}_{m}", "back_down": f"bd_{t}_{m}"}})
            nodes.append({"id": f"war_{t}_{m}", "payoffs": ["a_war", w + cost], "outcome": "war"})
            nodes.append({"id": f"bd_{t}_{m}", "payoffs": ["a_win", back], "outcome": "Defender backs down"})
            nodes.append({"id": f"sq_{t}_{m}", "payoffs": [0, "b_sq" + cost], "outcome": "status quo"})
    return ParametricTree(name="commitment_with_response", players=["Challenger", "Defender"], parameters=P,
                          nodes=nodes)


def armed_uncertain_resolve():
    """The Zagare-Kilgour challenger (unsure of the Defender's resolve) after a first move of the
    Defender, who arms (cost c_arm) or not.  Arming makes a Hard type likelier (p_arm instead of p_B).

    Each branch ends in its own copy of the rudimentary game, with its own information set of the
    Challenger over the two types (nodes differ only by chance).  When the Defender does not arm, the
    information set after arming is off the path, but it starts a subgame (the chance node below the
    Defender's move), so every subgame-perfect (and sequential) equilibrium restricts the Challenger there.
    """
    P = [Parameter("p_B", Probability(), 0.2), Parameter("p_arm", Probability(), 0.8),
         Parameter("c_arm", Real(), 0.6), Parameter("a_SQ", Real(), 0.0), Parameter("a_DC", Real(), 1.0),
         Parameter("a_DD", Real(), -2.0), Parameter("b_SQ", Real(), 1.0), Parameter("b_DC", Real(), 0.0),
         Parameter("b_H", Real(), 0.5), Parameter("b_S", Real(), -1.0)]
    nodes = [{"id": "D0", "player": "Defender", "actions": {"arm": "N_arm", "no_arm": "N_none"}}]
    for br, prob, cost in (("arm", "p_arm", " - c_arm"), ("none", "p_B", "")):
        nodes.append({"id": f"N_{br}", "player": "chance", "actions": {"Hard": f"A_{br}_H", "Soft": f"A_{br}_S"},
                      "probabilities": {"Hard": prob, "Soft": f"1 - {prob}"}})
        for ty, b_dd in (("H", "b_H"), ("S", "b_S")):
            nodes.append({"id": f"A_{br}_{ty}", "player": "Challenger", "infoset": f"challenger_{br}",
                          "actions": {"Not": f"sq_{br}_{ty}", "Challenge": f"B_{br}_{ty}"}})
            nodes.append({"id": f"B_{br}_{ty}", "player": "Defender",
                          "actions": {"Resist": f"dd_{br}_{ty}", "Concede": f"dc_{br}_{ty}"}})
            nodes.append({"id": f"sq_{br}_{ty}", "payoffs": ["a_SQ", "b_SQ" + cost], "outcome": "SQ"})
            nodes.append({"id": f"dd_{br}_{ty}", "payoffs": ["a_DD", b_dd + cost], "outcome": "DD"})
            nodes.append({"id": f"dc_{br}_{ty}", "payoffs": ["a_DC", "b_DC" + cost], "outcome": "DC"})
    return ParametricTree(name="armed_uncertain_resolve", players=["Challenger", "Defender"], parameters=P,
                          nodes=nodes, constraints=["a_DD < a_SQ < a_DC", "b_S < b_DC < b_H"])


def entrapment_three_player():
    """Entrapment with three players: a Patron of private resolve, its Protege, and a Challenger.

    Nature makes the Patron firm (probability p) or weak.  The Patron, knowing its type, commits to the
    Protege publicly (cost k) or hedges; the Protege and the Challenger see the choice, not the type.  The
    Protege restrains itself (status quo) or provokes the Challenger, who yields (the Protege gains) or
    attacks; the Patron, attacked, defends its Protege (war) or abandons it (abandoning a commitment costs
    the audience cost ac on top).  Payoffs (Challenger, Protege, Patron):

    * status quo (0, 0, 1 [- k]); Protege gains (-1, 1, 0.5 [- k]);
    * war (-2, 0.5, w_firm or w_weak [- k]); abandonment (1, -2, -1 or 0.5 [- k - ac]).

    With the defaults (w_firm = 0.2, w_weak = -1, k = 0.3, ac = 2) both types defend after a commitment
    (firm: -0.1 > -3.3; weak: -1.3 > -1.8), so attacking a committed Protege gives the Challenger -2 < -1
    whatever it believes: after a commitment the Challenger yields and the Protege provokes (1 > 0), so
    the status quo never follows a commitment.  The information sets of the Protege and the Challenger
    hide the Patron's type *and* (for the Challenger) nothing else of the players' moves, but the
    Patron's commitment is a move of a player whose type is hidden: beliefs depend on strategies.
    """
    P = [Parameter("p", Probability(), 0.5, meaning="prior probability that the Patron is firm"),
         Parameter("k", Real(), 0.3), Parameter("ac", Real(), 2.0), Parameter("w_firm", Real(), 0.2),
         Parameter("w_weak", Real(), -1.0)]
    nodes = [{"id": "nature", "player": "chance", "actions": {"firm": "A_firm", "weak": "A_weak"},
              "probabilities": {"firm": "p", "weak": "1 - p"}}]
    for t, war, abandon in (("firm", "w_firm", "-1"), ("weak", "w_weak", "0.5")):
        nodes.append({"id": f"A_{t}", "player": "Patron",
                      "actions": {"commit": f"P_{t}_commit", "hedge": f"P_{t}_hedge"}})
        for m, cost, ab in (("commit", " - k", f"{abandon} - k - ac"), ("hedge", "", abandon)):
            nodes += [
                {"id": f"P_{t}_{m}", "player": "Protege", "infoset": f"protege_{m}",
                 "actions": {"restrain": f"sq_{t}_{m}", "provoke": f"C_{t}_{m}"}},
                {"id": f"C_{t}_{m}", "player": "Challenger", "infoset": f"challenger_{m}",
                 "actions": {"yield": f"gain_{t}_{m}", "attack": f"D_{t}_{m}"}},
                {"id": f"D_{t}_{m}", "player": "Patron",
                 "actions": {"defend": f"war_{t}_{m}", "abandon": f"ab_{t}_{m}"}},
                {"id": f"sq_{t}_{m}", "payoffs": [0, 0, "1" + cost], "outcome": "status quo"},
                {"id": f"gain_{t}_{m}", "payoffs": [-1, 1, "0.5" + cost], "outcome": "Protege gains"},
                {"id": f"war_{t}_{m}", "payoffs": [-2, 0.5, war + cost], "outcome": "war"},
                {"id": f"ab_{t}_{m}", "payoffs": [1, -2, ab], "outcome": "abandonment"},
            ]
    return ParametricTree(name="entrapment_three_player", players=["Challenger", "Protege", "Patron"],
                          parameters=P, nodes=nodes)
