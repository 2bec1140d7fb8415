"""deterrence: formal, game-theoretic models of deterrence, escalation and alliances."""

from . import errors
from .errors import CertificateError, ModelError
from .games import (Chance, Decision, GameTree, NormalFormGame, ParametricModel, ParametricNormalForm,
                    ParametricTree, SignallingGame, Terminal)
from .library import list_models, load_model
from .version import __version__

__all__ = ["ModelError", "CertificateError", "NormalFormGame", "GameTree", "Decision", "Chance", "Terminal",
           "SignallingGame", "ParametricModel", "ParametricNormalForm", "ParametricTree",
           "list_models", "load_model", "errors", "__version__"]
