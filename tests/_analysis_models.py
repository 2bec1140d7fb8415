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
