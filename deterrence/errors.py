"""Errors raised by :mod:`deterrence`.

Every problem with user input is a :class:`ModelError` (a :class:`ValueError`),
so one ``except ModelError`` catches them all.  Subclasses say where the
problem lies: a model file, an expression, the structure of a game, or a
solver that cannot deliver what was asked.  Messages name the culprit (the
file and key, the player, the node, the expression).

A failed *internal* check is different: every equilibrium a solver returns is
certified by its regret, and a certificate that fails on valid input is a bug
in the package, not a problem with the input.  It raises
:class:`CertificateError`, a :class:`RuntimeError` and deliberately *not* a
:class:`ModelError`, so that ``except ModelError`` (bad input) never hides it.
The command line exits with status 2 for a :class:`ModelError` and 1 for a
:class:`CertificateError`.
"""

from __future__ import annotations

__all__ = [
    "ModelError",
    "ModelFileError",
    "ExpressionError",
    "GameStructureError",
    "SolverError",
    "CertificateError",
]


class ModelError(ValueError):
    """Base class of every input error raised by the package."""


class ModelFileError(ModelError):
    """A model file is unreadable or invalid.

    Parameters
    ----------
    message : str
        What is wrong.
    path : str, optional
        The file.
    key : str, optional
        The dotted key inside the file (``"nodes[3].actions"``).
    """

    def __init__(self, message: str, path: str | None = None, key: str | None = None):
        self.path = path
        self.key = key
        where = ""
        if path is not None:
            where += f"{path}: "
        if key is not None:
            where += f"{key}: "
        super().__init__(where + message)


class ExpressionError(ModelError):
    """An expression (a payoff or a probability) cannot be parsed or evaluated."""


class GameStructureError(ModelError):
    """A game is malformed: shapes, probabilities, players, nodes, information sets."""


class SolverError(ModelError):
    """A solver cannot handle this game or this request."""


class CertificateError(RuntimeError):
    """An internal certificate failed: a solver produced a profile whose regret
    (or another self-check) is above its tolerance.

    This is a bug in :mod:`deterrence`, never a problem with the input, and
    so not a :class:`ModelError`.  Please report it with the game that
    triggered it.
    """
