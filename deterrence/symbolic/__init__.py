"""Symbolic layer: safe expressions in named parameters, parameter domains.

Model files write payoffs and probabilities as expressions in named
parameters; :func:`parse` reads them without ``eval`` (see
:mod:`deterrence.symbolic.expr` for the grammar and bounds) and
:class:`ParameterSpace` validates parameter values and gives sympy symbols
with domain assumptions for threshold work.
"""

from .expr import (
    DEFAULT_LIMITS,
    FUNCTIONS,
    BatchExpression,
    BinOp,
    Call,
    Expr,
    Limits,
    Name,
    Number,
    UnaryOp,
    compile_batch,
    parse,
)
from .parameters import (
    Domain,
    Integer,
    Interval,
    NonNegative,
    Parameter,
    ParameterSpace,
    Positive,
    Probability,
    Real,
)

__all__ = [
    "parse",
    "Expr",
    "Number",
    "Name",
    "UnaryOp",
    "BinOp",
    "Call",
    "Limits",
    "DEFAULT_LIMITS",
    "FUNCTIONS",
    "compile_batch",
    "BatchExpression",
    "Domain",
    "Interval",
    "Probability",
    "Positive",
    "NonNegative",
    "Real",
    "Integer",
    "Parameter",
    "ParameterSpace",
]
