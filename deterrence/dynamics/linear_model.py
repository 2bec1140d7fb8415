r"""Linear dynamics written as expressions: the model-file kind ``"dynamics"``.

A :class:`LinearDynamicsModel` holds equations :math:`\dot x_i = \sum_j K_{ij} x_j + g_i` whose
coefficients are expressions in named parameters (``x = "k*y - a*x + g"``), parsed by the safe parser
(:func:`deterrence.symbolic.parse`, never ``eval``).  :func:`linearize` reads each right-hand side as a
linear form in the state variables and refuses, naming the equation, anything that is not: a product of
two terms that both contain states (``x*y``, ``x*x``), a state in a denominator, a power or a function of
a state.  The check is syntactic and conservative: ``x*y - x*y`` is refused although it cancels.

:meth:`LinearDynamicsModel.at` compiles the coefficient matrix and the constant vector at a parameter
point or a batch of points (:class:`LinearSystem`), and the existing Richardson machinery solves it:
:class:`~deterrence.dynamics.richardson.RichardsonSystem` (n states: equilibrium, eigenvalues,
stability, exact solution), and for two states :class:`~deterrence.dynamics.richardson.Richardson`
(its regimes and closed form).  Both need Richardson's signs: cross coefficients :math:`K_{ij} \ge 0`
(``i != j``) and own coefficients :math:`K_{ii} < 0` (a positive fatigue); a point outside them is
refused with the equation and the coefficient named.

Source: the linear form is Richardson's, L. F. Richardson, *Arms and Insecurity* (1960), ch. 2-4, in his
matrix notation for n states.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from ..games.parametric import ParametricModel
from ..symbolic.expr import BinOp, Call, Expr, Name, Number, UnaryOp
from .richardson import Richardson, RichardsonSystem

__all__ = ["LinearDynamicsModel", "LinearSystem", "linearize"]


def _is_num(e: Expr, v: float) -> bool:
    return e._cval is not None and float(e._cval) == v and not e.names


def _mul(a: Expr, b: Expr) -> Expr:
    if _is_num(a, 1.0):
        return b
    if _is_num(b, 1.0):
        return a
    return BinOp("*", a, b)


def _add(a: Expr | None, b: Expr, op: str = "+") -> Expr:
    if a is None:
        return b if op == "+" else UnaryOp("-", b)
    return BinOp(op, a, b)


def linearize(expr: Expr, states) -> dict:
    """``{state or None: coefficient Expr}``: *expr* as a linear form in *states* (None is the constant).

    Raises ``ValueError`` with the reason when *expr* is not linear in the states.
    """
    states = tuple(states)

    def form(e: Expr) -> dict:
        if isinstance(e, Name) and e.name in states:
            return {e.name: Number(1)}
        if not (e.names & set(states)):
            return {None: e}
        if isinstance(e, UnaryOp):
            inner = form(e.operand)
            return inner if e.op == "+" else {k: UnaryOp("-", v) for k, v in inner.items()}
        if isinstance(e, BinOp):
            if e.op in ("+", "-"):
                left, right = form(e.left), form(e.right)
                out = dict(left)
                for k, v in right.items():
                    out[k] = _add(out.get(k), v, e.op)
                return out
            if e.op == "*":
                left, right = form(e.left), form(e.right)
                if set(left) == {None}:
                    return {k: _mul(left[None], v) for k, v in right.items()}
                if set(right) == {None}:
                    return {k: _mul(v, right[None]) for k, v in left.items()}
                both = sorted(({k for k in left if k} | {k for k in right if k}))
                raise ValueError(f"not linear in the state variables: a product of terms in {', '.join(both)} "
                                 f"({e})")
            if e.op == "/":
                if e.right.names & set(states):
                    raise ValueError(f"not linear in the state variables: a state variable in a denominator ({e})")
                return {k: BinOp("/", v, e.right) for k, v in form(e.left).items()}
            bad = sorted(e.names & set(states))
            raise ValueError(f"not linear in the state variables: a power involving {', '.join(bad)} ({e})")
        bad = sorted(e.names & set(states))
        what = f"the function {e.func}" if isinstance(e, Call) else type(e).__name__
        raise ValueError(f"not linear in the state variables: {what} of {', '.join(bad)} ({e})")

    return form(expr)


@dataclass(frozen=True)
class LinearSystem:
    r""":math:`\dot z = M z + c` at one parameter point or a batch: ``matrix`` ``(B, n, n)``, ``forcing`` ``(B, n)``.

    ``B`` is 1 for one point.  Every method answers for the whole batch, through the Richardson classes.
    """

    states: tuple
    matrix: np.ndarray
    forcing: np.ndarray
    initial: np.ndarray
    equations: tuple = ()

    def __post_init__(self):
        M, c = self.matrix, self.forcing
        n = len(self.states)
        diag = np.diagonal(M, axis1=-2, axis2=-1)
        for i in range(n):
            if (diag[:, i] >= 0).any():
                b = int(np.argmax(diag[:, i] >= 0))
                raise ModelError(f"equation {self.states[i]}: the coefficient of {self.states[i]} is "
                                 f"{diag[b, i]:g} at point {b}; Richardson's fatigue needs it negative")
            for j in range(n):
                if i != j and (M[:, i, j] < 0).any():
                    b = int(np.argmax(M[:, i, j] < 0))
                    raise ModelError(f"equation {self.states[i]}: the coefficient of {self.states[j]} is "
                                     f"{M[b, i, j]:g} at point {b}; Richardson's reaction needs it >= 0")
        if not np.isfinite(M).all() or not np.isfinite(c).all():
            raise ModelError("the coefficients are not finite at some parameter point")
        sysm = RichardsonSystem(reaction=M - diag[..., None] * np.eye(n), fatigue=-diag, grievance=c)
        object.__setattr__(self, "_system", sysm)
        two = None
        if n == 2:
            two = Richardson(k=M[:, 0, 1], l=M[:, 1, 0], a=-M[:, 0, 0], b=-M[:, 1, 1], g=c[:, 0], h=c[:, 1])
        object.__setattr__(self, "_two", two)

    @property
    def batch(self) -> int:
        return self.matrix.shape[0]

    @property
    def system(self) -> RichardsonSystem:
        """The n-state :class:`RichardsonSystem` (``K - A`` is :attr:`matrix`)."""
        return self._system

    @property
    def richardson(self) -> Richardson | None:
        """The two-state :class:`Richardson` model (None for other numbers of states)."""
        return self._two

    def equilibrium(self) -> np.ndarray:
        """``(B, n)``; NaN where the matrix is singular."""
        if self._two is not None:
            return np.stack(self._two.equilibrium(), -1)
        return self._system.equilibrium()

    def eigenvalues(self) -> np.ndarray:
        """``(B, n)``: real and sorted descending for two states (Richardson's are real), complex otherwise."""
        if self._two is not None:
            return self._two.eigenvalues()
        return self._system.eigenvalues()

    def stable(self) -> np.ndarray:
        """``(B,)``: every eigenvalue has a negative real part (for two states: ``k*l < a*b``)."""
        if self._two is not None:
            return self._two.stable()
        return self._system.stable()

    def regime(self, initial=None) -> np.ndarray | None:
        """Richardson's regime from the start *initial* (default the model's initial values); two states only."""
        if self._two is None:
            return None
        z0 = self.initial if initial is None else np.asarray(initial, dtype=float)
        return self._two.regime(z0[..., 0], z0[..., 1])

    def trajectory(self, times, initial=None) -> np.ndarray:
        """The exact solution at each time of *times*: ``(len(times), B, n)``."""
        z0 = self.initial if initial is None else np.asarray(initial, dtype=float)
        out = []
        for t in np.atleast_1d(np.asarray(times, dtype=float)):
            if self._two is not None:
                out.append(np.stack(self._two.solve(t, z0[..., 0], z0[..., 1]), -1))
            else:
                out.append(self._system.solve(t, z0))
        return np.stack(out)


class LinearDynamicsModel(ParametricModel):
    """A linear dynamical system in named parameters (model-file kind ``"dynamics"``).

    Parameters
    ----------
    states : mapping of name to dict
        The state variables in order, each ``{"meaning", "unit", "initial"}`` (initial default 0).
    equations : mapping of name to Expr
        One right-hand side per state (``dx/dt = equations[x]``), linear in the states.
    **common
        ``name``, ``parameters``, ``title``, ``description``, ``source``, ``constraints``, ``metadata``.
        The players of the base class are the state variables.
    """

    kind = "dynamics"

    def __init__(self, *, states, equations, **common):
        states = dict(states)
        super().__init__(players=tuple(states), **common)
        if list(equations) != list(states):
            raise ModelError(f"model {self.name!r}: one equation per state variable, in the states' order "
                             f"({list(states)}); got {list(equations)}")
        clash = sorted(set(states) & set(self.parameter_names))
        if clash:
            raise ModelError(f"model {self.name!r}: {clash} named both a state and a parameter")
        self.states = states
        self.equations = dict(equations)
        self.coefficients: dict = {}     # {equation: {state or None: Expr}}
        for s, e in self.equations.items():
            unknown = sorted(e.names - set(states) - set(self.parameter_names))
            if unknown:
                raise ModelError(f"equation {s}: unknown name(s) {unknown}")
            try:
                self.coefficients[s] = linearize(e, tuple(states))
            except ValueError as exc:
                raise ModelError(f"equation {s}: {exc}") from None

    @property
    def state_names(self) -> tuple:
        return tuple(self.states)

    def initial(self) -> np.ndarray:
        return np.array([float(self.states[s].get("initial", 0.0)) for s in self.states])

    def _build(self, arrays, batch):
        B = batch or 1
        n = len(self.states)
        vals = {k: np.broadcast_to(np.asarray(v, dtype=float).reshape(-1), (B,)) for k, v in arrays.items()}
        M = np.zeros((B, n, n))
        c = np.zeros((B, n))
        for i, s in enumerate(self.states):
            coef = self.coefficients[s]
            for j, t in enumerate(self.states):
                if t in coef:
                    M[:, i, j] = np.broadcast_to(np.asarray(coef[t].evaluate(vals), dtype=float), (B,))
            if None in coef:
                c[:, i] = np.broadcast_to(np.asarray(coef[None].evaluate(vals), dtype=float), (B,))
        return LinearSystem(states=self.state_names, matrix=M, forcing=c,
                            initial=np.broadcast_to(self.initial(), (B, n)), equations=tuple(self.equations))

    def at(self, values=None, **kwargs) -> LinearSystem:
        """The compiled system (``matrix (B, n, n)``, ``forcing (B, n)``; B = 1 for one point)."""
        return super().at(values, **kwargs)
