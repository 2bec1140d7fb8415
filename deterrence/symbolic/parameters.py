"""Named model parameters, their domains, and samplers over parameter spaces.

A parametric model (a deterrence game whose payoffs are expressions) has named
parameters such as a credibility probability ``p`` in [0, 1] or a positive
cost of war.  This module records each parameter's domain, default, unit,
meaning and source; validates single points and batches of points (dicts of
arrays, broadcast to a common batch shape) against the domains; and gives
sympy symbols with matching assumptions (``positive=True`` for a
:class:`Positive` parameter, ...) so that symbolic threshold work simplifies
well.  The samplers :meth:`ParameterSpace.grid` and
:meth:`ParameterSpace.latin_hypercube` return dicts of 1-d arrays, the input
of vectorized sweeps.

Latin hypercube sampling: McKay, Beckman and Conover (1979), "A comparison of
three methods for selecting values of input variables in the analysis of
output from a computer code", *Technometrics* 21(2): one random permutation
of the n strata per parameter and a uniform draw inside each stratum.

Every invalid input raises :class:`~deterrence.errors.ModelError` naming the
parameter, the offending value (and its batch index) and the domain.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping, Sequence

import numpy as np

from ..errors import ModelError
from .expr import FUNCTIONS

__all__ = [
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

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _fmt(x: float) -> str:
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return f"{x:g}" if float(x) != int(x) or abs(x) >= 1e16 else str(int(x))


class Domain:
    """Base class of parameter domains: a set of finite real numbers."""

    def contains(self, values) -> np.ndarray:
        """Element-wise membership (vectorized); non-finite values are never members.

        Parameters
        ----------
        values : float or array_like

        Returns
        -------
        numpy.ndarray of bool
            Same shape as ``values``.
        """
        raise NotImplementedError

    @property
    def bounds(self) -> tuple[float, float]:
        """``(low, high)``, possibly infinite (closedness is given by :meth:`contains`)."""
        raise NotImplementedError

    def assumptions(self) -> dict[str, bool]:
        """sympy assumptions implied by the domain (``{"real": True, "positive": True}``)."""
        raise NotImplementedError

    def __contains__(self, value) -> bool:
        return bool(np.all(self.contains(value)))


@dataclass(frozen=True)
class Interval(Domain):
    """An interval of real numbers.

    Parameters
    ----------
    low, high : float
        Endpoints, ``low < high`` (``low == high`` only if both are closed);
        may be ``-inf`` / ``inf`` (an infinite end is always open).
    closed_low, closed_high : bool
        Whether each finite endpoint belongs to the interval (default: both).
    """

    low: float = -math.inf
    high: float = math.inf
    closed_low: bool = True
    closed_high: bool = True

    def __post_init__(self):
        try:
            lo, hi = float(self.low), float(self.high)
        except OverflowError:       # an integer beyond float64: not an endpoint (use math.inf for unbounded)
            raise ModelError("Interval endpoints must be within the float64 range (or infinite); an endpoint is "
                             "an integer beyond it") from None
        except (TypeError, ValueError):
            raise ModelError(f"Interval endpoints must be numbers, got ({self.low!r}, {self.high!r})") from None
        if math.isnan(lo) or math.isnan(hi):
            raise ModelError(f"Interval endpoints must not be NaN, got ({self.low}, {self.high})")
        if lo > hi or (lo == hi and not (self.closed_low and self.closed_high)) or lo == math.inf or hi == -math.inf:
            raise ModelError(f"Interval: empty interval with low={self.low}, high={self.high}")
        object.__setattr__(self, "low", lo)
        object.__setattr__(self, "high", hi)
        object.__setattr__(self, "closed_low", bool(self.closed_low) and math.isfinite(lo))
        object.__setattr__(self, "closed_high", bool(self.closed_high) and math.isfinite(hi))

    def contains(self, values) -> np.ndarray:
        v = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(v)
        ok &= (v >= self.low) if self.closed_low else (v > self.low)
        ok &= (v <= self.high) if self.closed_high else (v < self.high)
        return ok

    @property
    def bounds(self) -> tuple[float, float]:
        return (self.low, self.high)

    def assumptions(self) -> dict[str, bool]:
        a = {"real": True}
        if self.low > 0 or (self.low == 0 and not self.closed_low):
            a["positive"] = True
        elif self.low >= 0:
            a["nonnegative"] = True
        if self.high < 0 or (self.high == 0 and not self.closed_high):
            a["negative"] = True
        elif self.high <= 0:
            a["nonpositive"] = True
        return a

    def __str__(self) -> str:
        left = "[" if self.closed_low else "("
        right = "]" if self.closed_high else ")"
        return f"{left}{_fmt(self.low)}, {_fmt(self.high)}{right}"


def _fixed(cls):
    """Make a frozen Interval subclass with fixed endpoints and a no-argument constructor."""

    def __init__(self):
        Interval.__init__(self, *cls._ENDPOINTS)

    def __repr__(self):
        return f"{cls.__name__}()"

    cls.__init__ = __init__
    cls.__repr__ = __repr__
    return cls


@_fixed
class Probability(Interval):
    """The closed unit interval [0, 1] of probabilities."""

    _ENDPOINTS = (0.0, 1.0, True, True)


@_fixed
class Positive(Interval):
    """The positive reals (0, inf)."""

    _ENDPOINTS = (0.0, math.inf, False, False)


@_fixed
class NonNegative(Interval):
    """The non-negative reals [0, inf)."""

    _ENDPOINTS = (0.0, math.inf, True, False)


@_fixed
class Real(Interval):
    """All (finite) reals."""

    _ENDPOINTS = (-math.inf, math.inf, False, False)


@dataclass(frozen=True)
class Integer(Domain):
    """Integers in ``[low, high]`` (``None`` for an unbounded end).

    Values are float64 in batches; a value belongs when it is integer-valued.
    """

    low: int | None = None
    high: int | None = None

    def __post_init__(self):
        for end in (self.low, self.high):
            if end is not None and (isinstance(end, bool) or not float(end).is_integer()):
                raise ModelError(f"Integer: endpoints must be integers or None, got ({self.low}, {self.high})")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ModelError(f"Integer: empty range [{self.low}, {self.high}]")
        object.__setattr__(self, "low", None if self.low is None else int(self.low))
        object.__setattr__(self, "high", None if self.high is None else int(self.high))

    def contains(self, values) -> np.ndarray:
        v = np.asarray(values, dtype=np.float64)
        ok = np.isfinite(v)
        ok &= np.floor(np.where(ok, v, 0.0)) == np.where(ok, v, 0.0)
        if self.low is not None:
            ok &= v >= self.low
        if self.high is not None:
            ok &= v <= self.high
        return ok

    @property
    def bounds(self) -> tuple[float, float]:
        return (-math.inf if self.low is None else float(self.low), math.inf if self.high is None else float(self.high))

    def assumptions(self) -> dict[str, bool]:
        a = {"integer": True}
        if self.low is not None and self.low > 0:
            a["positive"] = True
        elif self.low is not None and self.low >= 0:
            a["nonnegative"] = True
        if self.high is not None and self.high < 0:
            a["negative"] = True
        elif self.high is not None and self.high <= 0:
            a["nonpositive"] = True
        return a

    def __str__(self) -> str:
        lo = "-inf" if self.low is None else str(self.low)
        hi = "inf" if self.high is None else str(self.high)
        return f"integers in [{lo}, {hi}]"


def _as_float_array(name: str, values) -> np.ndarray:
    try:
        a = np.asarray(values)
        if a.dtype.kind not in "iuf":
            if a.dtype.kind != "O":
                raise TypeError
        a = a.astype(np.float64)
    except (TypeError, ValueError, OverflowError):
        raise ModelError(f"parameter {name!r}: expected a real number or an array of them, got {values!r}") from None
    return a


@dataclass(frozen=True)
class Parameter:
    """A named model parameter.

    Parameters
    ----------
    name : str
        An ASCII identifier, not a function name of the expression language.
    domain : Domain
        Where its values live (:class:`Probability`, :class:`Positive`, ...).
    default : float or None
        The default value (must lie in the domain), or None if the value must
        always be supplied.
    unit : str, optional
        Unit of measurement, if any.
    meaning : str
        What the parameter stands for, in the field's words.
    source : str, optional
        Where it comes from (author, year).
    """

    name: str
    domain: Domain
    default: float | None
    unit: str | None = None
    meaning: str = ""
    source: str | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not _NAME_RE.fullmatch(self.name):
            raise ModelError(f"parameter name {self.name!r} is not an ASCII identifier")
        if self.name in FUNCTIONS:
            raise ModelError(f"parameter name {self.name!r} is reserved (a function of the expression language)")
        if not isinstance(self.domain, Domain):
            raise ModelError(f"parameter {self.name!r}: domain must be a Domain, got {self.domain!r}")
        if self.default is not None:
            d = _as_float_array(self.name, self.default)
            if d.ndim != 0:
                raise ModelError(f"parameter {self.name!r}: default must be a single number, got {self.default!r}")
            if not self.domain.contains(d):
                raise ModelError(
                    f"parameter {self.name!r}: default {self.default!r} is outside its domain {self.domain}"
                )

    def check(self, values) -> np.ndarray:
        """Validate values (a number or an array); return them as float64.

        Raises
        ------
        ModelError
            Naming the parameter, the first bad value (with its batch index)
            and the domain.
        """
        a = _as_float_array(self.name, values)
        ok = self.domain.contains(a)
        if not np.all(ok):
            bad = np.argwhere(~ok)[0]
            idx = tuple(int(i) for i in bad)
            where = f" at batch index {idx}" if a.ndim else ""
            raise ModelError(
                f"parameter {self.name!r}: value {float(a[idx])!r}{where} is outside its domain {self.domain}"
            )
        return a

    def symbol(self):
        """A sympy Symbol named like the parameter, with its domain's assumptions."""
        import sympy

        return sympy.Symbol(self.name, **self.domain.assumptions())


class ParameterSpace(Mapping[str, Parameter]):
    """An ordered collection of parameters (a read-only mapping name -> Parameter).

    Parameters
    ----------
    parameters : iterable of Parameter
        Distinct names; the order is kept.
    """

    def __init__(self, parameters: Iterable[Parameter]):
        params: dict[str, Parameter] = {}
        for p in parameters:
            if not isinstance(p, Parameter):
                raise ModelError(f"ParameterSpace: expected Parameter objects, got {p!r}")
            if p.name in params:
                raise ModelError(f"ParameterSpace: parameter {p.name!r} is defined twice")
            params[p.name] = p
        self._params = params

    # -- mapping
    def __getitem__(self, name: str) -> Parameter:
        try:
            return self._params[name]
        except KeyError:
            raise ModelError(self._unknown_message([name])) from None

    def __contains__(self, name: object) -> bool:
        return name in self._params

    def get(self, name: str, default=None):
        return self._params.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self._params)

    def __len__(self) -> int:
        return len(self._params)

    def __repr__(self) -> str:
        return f"ParameterSpace({list(self._params.values())!r})"

    @property
    def names(self) -> tuple[str, ...]:
        """Parameter names in order."""
        return tuple(self._params)

    def defaults(self) -> dict[str, float]:
        """The default values (parameters without a default are left out)."""
        return {n: float(p.default) for n, p in self._params.items() if p.default is not None}

    def symbols(self) -> dict[str, Any]:
        """sympy symbols with domain assumptions, for :meth:`Expr.to_sympy`."""
        return {n: p.symbol() for n, p in self._params.items()}

    def _unknown_message(self, unknown: Sequence[str]) -> str:
        parts = []
        for u in unknown:
            close = difflib.get_close_matches(u, list(self._params), n=3)
            parts.append(f"{u!r}" + (f" (did you mean {', '.join(map(repr, close))}?)" if close else ""))
        return f"unknown parameter(s) {', '.join(parts)}; known: {', '.join(self._params) or 'none'}"

    # -- validation
    def validate(self, values: Mapping[str, Any] | None = None, *, fill_defaults: bool = True) -> dict[str, np.ndarray]:
        """Check one point or a batch of points against the domains.

        Parameters
        ----------
        values : mapping of str to float or array_like
            Values by name.  Arrays are broadcast together (numpy rules), so
            a batch is a dict of equal-length 1-d arrays, scalars being
            repeated.
        fill_defaults : bool
            Fill missing parameters with their defaults (default True).

        Returns
        -------
        dict of str to numpy.ndarray
            Every parameter (in order, if ``fill_defaults``), as float64 arrays
            of the common broadcast shape (0-d for a single point).

        Raises
        ------
        ModelError
            Unknown names (with close matches), a missing value without a
            default, arrays that do not broadcast, or a value outside its
            domain (naming parameter, value, batch index and domain).
        """
        values = {} if values is None else values
        if not isinstance(values, Mapping):
            raise ModelError(f"parameter values must be a mapping of names to values, got {type(values).__name__}")
        unknown = [k for k in values if k not in self._params]
        if unknown:
            raise ModelError(self._unknown_message([str(k) for k in unknown]))
        out: dict[str, np.ndarray] = {}
        for n, p in self._params.items():
            if n in values:
                out[n] = p.check(values[n])
            elif fill_defaults:
                if p.default is None:
                    raise ModelError(f"parameter {n!r} has no default and no value was given")
                out[n] = np.asarray(float(p.default))
        try:
            shape = np.broadcast_shapes(*(a.shape for a in out.values())) if out else ()
        except ValueError:
            shapes = ", ".join(f"{n}: {a.shape}" for n, a in out.items() if a.ndim)
            raise ModelError(f"parameter arrays do not broadcast to a common batch shape ({shapes})") from None
        return {n: np.array(np.broadcast_to(a, shape)) for n, a in out.items()}

    # -- samplers
    def grid(self, **axes) -> dict[str, np.ndarray]:
        """The Cartesian product of values along some axes, flattened.

        Parameters
        ----------
        **axes : array_like or int
            For each swept parameter, its values (1-d), or a count ``k`` for
            ``k`` equally spaced values over a closed bounded domain (all the
            integers if ``k`` is at least their number, for :class:`Integer`).

        Returns
        -------
        dict of str to numpy.ndarray
            Every parameter as a 1-d array of length ``prod(len(axis))``; the
            first axis varies slowest (``indexing="ij"``); the others hold
            their defaults.
        """
        unknown = [k for k in axes if k not in self._params]
        if unknown:
            raise ModelError(self._unknown_message(unknown))
        values = []
        for name, spec in axes.items():
            p = self._params[name]
            if isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
                v = self._axis_from_count(p, int(spec))
            else:
                v = _as_float_array(name, spec)
                if v.ndim != 1:
                    raise ModelError(f"grid axis {name!r} must be one-dimensional, got shape {v.shape}")
            p.check(v)
            values.append(v)
        if not values:
            return self.validate({})
        mesh = np.meshgrid(*values, indexing="ij")
        return self.validate({n: m.reshape(-1) for n, m in zip(axes, mesh)})

    @staticmethod
    def _axis_from_count(p: Parameter, k: int) -> np.ndarray:
        if k < 1:
            raise ModelError(f"grid axis {p.name!r}: the number of points must be positive, got {k}")
        d = p.domain
        lo, hi = d.bounds
        if isinstance(d, Integer) and math.isfinite(lo) and math.isfinite(hi):
            if k >= hi - lo + 1:
                return np.arange(lo, hi + 1, dtype=np.float64)
            return np.unique(np.round(np.linspace(lo, hi, k)))
        if not (isinstance(d, Interval) and d.closed_low and d.closed_high):
            raise ModelError(
                f"grid axis {p.name!r}: a point count needs a closed bounded domain, not {d}; give the values"
            )
        return np.linspace(lo, hi, k)

    def latin_hypercube(
        self,
        n: int,
        names: Sequence[str] | None = None,
        seed: int | np.random.Generator | None = None,
        bounds: Mapping[str, tuple[float, float]] | None = None,
    ) -> dict[str, np.ndarray]:
        """A Latin hypercube sample of ``n`` points (McKay et al. 1979).

        Each swept parameter's range is cut into ``n`` equal strata and every
        stratum holds exactly one point; other parameters hold defaults.

        Parameters
        ----------
        n : int
            Number of points.
        names : sequence of str, optional
            Parameters to sample (default: all).
        seed : int or numpy.random.Generator, optional
            For reproducibility.
        bounds : mapping of str to (low, high), optional
            Sampling ranges; required for parameters with an unbounded
            domain and must lie inside the domain.  :class:`Integer` ranges
            are sampled uniformly over their integers (strata of integers).

        Returns
        -------
        dict of str to numpy.ndarray
            Every parameter as a 1-d array of length ``n``.
        """
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise ModelError(f"latin_hypercube: n must be a positive integer, got {n!r}")
        names = list(self._params) if names is None else list(names)
        bounds = dict(bounds or {})
        unknown = [k for k in list(names) + list(bounds) if k not in self._params]
        if unknown:
            raise ModelError(self._unknown_message(unknown))
        if not names:
            return self.validate({})
        ranges = []
        for name in names:
            d = self._params[name].domain
            lo, hi = bounds.get(name, d.bounds)
            lo, hi = float(lo), float(hi)
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
                raise ModelError(
                    f"latin_hypercube: parameter {name!r} needs finite bounds (domain {d}); pass bounds={{...}}"
                )
            ranges.append((lo, hi))
        # one random permutation of the n strata per parameter, a uniform draw inside each stratum
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        n = int(n)
        strata = np.arange(n, dtype=np.int64 if n > 2**31 - 1 else np.int32)
        out = {}
        for j, name in enumerate(names):
            perm = strata.copy()
            rng.shuffle(perm)
            u = rng.random(n)
            u += perm
            u *= 1.0 / n
            lo, hi = ranges[j]
            d = self._params[name].domain
            if isinstance(d, Integer):
                lo_i, hi_i = math.ceil(lo), math.floor(hi)
                if lo_i > hi_i:
                    raise ModelError(f"latin_hypercube: no integer of {name!r} in [{lo}, {hi}]")
                out[name] = np.minimum(lo_i + np.floor(u * (hi_i - lo_i + 1)), hi_i)
            else:
                u *= hi - lo
                u += lo
                out[name] = u
        return self.validate(out)
