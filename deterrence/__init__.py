"""deterrence: formal, game-theoretic models of deterrence, escalation and alliances."""

from . import errors
from .errors import ModelError
from .games import Chance, Decision, GameTree, NormalFormGame, SignallingGame, Terminal
from .library import list_models, load_model
from .version import __version__


__all__ = ["ModelError", "NormalFormGame", "GameTree", "Decision", "Chance", "Terminal", "SignallingGame",
           "list_models", "load_model", "errors", "__version__"]
