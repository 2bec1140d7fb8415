"""deterrence: formal, game-theoretic models of deterrence, escalation and alliances."""

from . import errors
from .errors import ModelError
from .games import NormalFormGame
from .library import list_models, load_model

__version__ = "0.1.0"

__all__ = ["ModelError", "NormalFormGame", "errors", "__version__"]
__all__ += ["list_models", "load_model"]
