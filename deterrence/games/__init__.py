"""Game representations: normal form (n players) and game trees."""

from .normal_form import NormalFormGame
from .tree import CHANCE, DECISION, TERMINAL, Chance, Decision, GameTree, InformationSet, Terminal

__all__ = ["NormalFormGame", "GameTree", "Decision", "Chance", "Terminal", "InformationSet",
           "TERMINAL", "DECISION", "CHANCE"]
