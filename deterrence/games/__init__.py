"""Game representations: normal form (n players) and game trees."""

from .normal_form import NormalFormGame

__all__ = ["NormalFormGame"]
