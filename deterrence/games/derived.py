"""Derived quantities: values a Python model family computes from the parameters, for its expressions.

A model file writes every payoff and chance probability as an expression in
the parameters.  Some families have quantities with no short closed form:
the law of the number of allies who honour a commitment, when each has its
own reliability and their decisions are correlated, is a recursion over the
allies (Poisson-binomial), not an expression.  Such a family computes them in
Python, batched over the parameter points, and names them; its expressions
use the names like parameters (``probabilities = {"k=3": "prob_K3"}``).

:class:`DerivedQuantities` holds the names, their meanings and the function.
A :class:`~deterrence.games.parametric.ParametricModel` given one evaluates
it once per batch, before its expressions (and the measures' quantities do
the same), so a sweep stays one vectorized call per chunk.  A model with
derived quantities has no symbolic form (its payoffs are not expressions in
the parameters alone): the symbolic analysis refuses it and says why.
"""

from __future__ import annotations

import re
from typing import Callable, Mapping, Sequence

import numpy as np

from ..errors import ModelError

__all__ = ["DerivedQuantities"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class DerivedQuantities:
    """Named quantities computed from the parameters by a batched function.

    Parameters
    ----------
    names : sequence of str
        Identifiers the model's expressions may use; distinct from the parameters.
    compute : callable
        ``compute(values) -> {name: array}``.  *values* maps every parameter
        to a 0-d array (one point) or to a 1-d array of the batch's *B*
        points; every returned array must broadcast to that shape and be
        finite.  Called once per batch: it must be vectorized.
    meaning : str
        What the quantities are and how they are computed (the model's
        ``show`` prints it).
    meanings : mapping, optional
        ``{name: meaning}`` for single quantities.
    """

    def __init__(self, names: Sequence[str], compute: Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]],
                 meaning: str, meanings: Mapping[str, str] | None = None):
        names = tuple(names)
        if not names:
            raise ModelError("derived quantities need at least one name")
        for n in names:
            if not isinstance(n, str) or not _NAME.match(n):
                raise ModelError(f"derived quantity name {n!r} is not an identifier")
        if len(set(names)) != len(names):
            raise ModelError(f"derived quantity names must be distinct: {list(names)}")
        if not callable(compute):
            raise ModelError("derived quantities need a function compute(values) -> {name: array}")
        self.names = names
        self.compute = compute
        self.meaning = str(meaning)
        self.meanings = dict(meanings or {})

    def __call__(self, values: Mapping[str, np.ndarray], where: str = "derived quantities") -> dict[str, np.ndarray]:
        """The quantities at *values*, checked: every name given, finite, of the batch's shape."""
        values = {k: np.asarray(v, dtype=float) for k, v in values.items()}
        shape = np.broadcast_shapes(*(np.shape(v) for v in values.values())) if values else ()
        out = self.compute(values)
        missing = [n for n in self.names if n not in out]
        if missing:
            raise ModelError(f"{where}: the function gave no value for {missing}")
        res = {}
        for n in self.names:
            a = np.asarray(out[n], dtype=float)
            try:
                a = np.broadcast_to(a, shape)
            except ValueError:
                raise ModelError(f"{where}: {n!r} has shape {a.shape}, not the batch's {shape}") from None
            if not np.all(np.isfinite(a)):
                raise ModelError(f"{where}: {n!r} is not finite at some point")
            res[n] = a
        return res

    def __repr__(self) -> str:
        shown = ", ".join(self.names[:4]) + (", ..." if len(self.names) > 4 else "")
        return f"DerivedQuantities([{shown}] ({len(self.names)}))"

