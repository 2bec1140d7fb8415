"""deterrence: formal, game-theoretic models of deterrence, escalation and alliances."""

from . import errors
from .errors import ModelError
from .games import NormalFormGame

__version__ = "0.1.0"

__all__ = ["ModelError", "NormalFormGame", "errors", "__version__"]
