"""The parameter points of a sweep, generated chunk by chunk.

A sweep over 10^9 points cannot hold its points in memory (8 GB per
parameter), so :class:`SweepPoints` describes them and produces any slice
``[start, stop)`` on demand:

* a **grid** is the Cartesian product of its axes (first axis slowest); an
  axis written ``lo:hi:n`` is not materialised, its values are computed from
  the flat index exactly as :func:`numpy.linspace` computes them;
* a **Latin-hypercube sample** (McKay, Beckman and Conover 1979) cuts each
  sampled parameter's range into ``n`` equal strata and puts one point in each.
  The random permutation of the strata is a keyed bijection of ``[0, n)``
  (a Feistel network with cycle walking) and the position inside each
  stratum a keyed hash of the point's index, so every point is computed from
  its index and the seed alone: the sample is the same whatever the chunk
  size, and memory does not grow with ``n``.

Sizes are checked before anything is generated: more than
:data:`MAX_POINTS` points raise :class:`~deterrence.errors.ModelError`
("sweep too large (N points ...)").
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Sequence

import numpy as np

from ..errors import ModelError

__all__ = ["SweepPoints", "MAX_POINTS", "parse_axis", "parse_count", "axis_length", "sweep_too_large"]

#: Default largest number of points of one sweep (override with ``max_points=``).
MAX_POINTS = 10 ** 9


def sweep_too_large(n: int, limit: int) -> ModelError:
    """The error for a sweep of *n* points over the limit."""
    return ModelError(f"sweep too large ({n:,} points; the limit is {limit:,}): coarsen the grid, sample "
                      f"fewer points, or split the sweep into parts with fixed values (--set)")


# ---------------------------------------------------------------------- grid axes
class _Linspace:
    """``numpy.linspace(lo, hi, n)``, computed on demand."""

    def __init__(self, lo: float, hi: float, n: int):
        self.lo, self.hi, self.n = lo, hi, n
        self.div = n - 1
        self.step = (hi - lo) / self.div if n > 1 else float("nan")

    def __len__(self):
        return self.n

    def take(self, idx: np.ndarray) -> np.ndarray:
        if self.n == 1:
            return np.full(idx.shape, self.lo)
        y = idx.astype(np.float64)
        if self.step == 0:
            y = y / self.div * (self.hi - self.lo)
        else:
            y = y * self.step
        y += self.lo
        y[idx == self.n - 1] = self.hi
        return y

    def ends(self) -> np.ndarray:
        return np.array([self.lo, self.hi])

    def values(self) -> np.ndarray:
        return np.linspace(self.lo, self.hi, self.n)


class _Values:
    """An axis given by its values."""

    def __init__(self, values: np.ndarray):
        self.v = values

    def __len__(self):
        return len(self.v)

    def take(self, idx):
        return self.v[idx]

    def ends(self):
        return self.v

    def values(self):
        return self.v


def _axis(spec, limit: int):
    """An axis object from an array, a list, ``"lo:hi:n"`` or ``"a,b,c"``."""
    if isinstance(spec, str):
        text = spec.strip()
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ModelError(f"grid axis {spec!r}: write lo:hi:n (e.g. 0:1:101)")
            try:
                lo, hi = float(parts[0]), float(parts[1])
                n = parse_count(parts[2])
            except ValueError:
                raise ModelError(f"grid axis {spec!r}: write lo:hi:n with numbers and an integer count") from None
            if n < 1:
                raise ModelError(f"grid axis {spec!r}: the number of points must be positive")
            if not (math.isfinite(lo) and math.isfinite(hi)):
                raise ModelError(f"grid axis {spec!r}: bounds must be finite")
            if n > limit:
                raise sweep_too_large(n, limit)
            return _Linspace(lo, hi, n)
        try:
            return _Values(np.array([float(x) for x in text.split(",")], dtype=float))
        except ValueError:
            raise ModelError(f"grid axis {spec!r}: expected lo:hi:n or a comma-separated list of numbers") from None
    if isinstance(spec, (_Linspace, _Values)):
        return spec
    if spec is None or isinstance(spec, (Mapping, bool, np.bool_)):
        raise ModelError(f"grid axis {spec!r}: expected numbers (an array, a list, 'lo:hi:n' or 'a,b,c')")
    try:
        arr = np.asarray(spec, dtype=float)
    except (TypeError, ValueError):
        raise ModelError(f"grid axis {spec!r}: expected numbers") from None
    if not np.all(np.isfinite(arr)):
        raise ModelError(f"grid axis {spec!r}: values must be finite numbers")
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1:
        raise ModelError(f"a grid axis must be one-dimensional, got shape {arr.shape}")
    if len(arr) == 0:
        raise ModelError("a grid axis must have at least one value")
    return _Values(arr)


def parse_count(text: str) -> int:
    """An integer count written ``1000``, ``1e6``, ``10^6`` or ``10**6``.

    Raises
    ------
    ValueError
        Not such a count (callers turn it into their own message).
    """
    t = str(text).strip().replace("_", "")
    for op in ("**", "^"):
        if op in t:
            base, exp = t.split(op, 1)
            b, e = int(base), int(exp)
            if e < 0 or e > 100 or abs(b) > 10 ** 6:
                raise ValueError(t)
            return b ** e
    try:
        return int(t)
    except ValueError:
        f = float(t)
        if not math.isfinite(f) or f != int(f) or abs(f) > 1e100:
            raise ValueError(t) from None
        return int(f)


def axis_length(spec) -> int:
    """The number of values of a grid axis (as :func:`parse_axis` reads it), without building it."""
    return len(_axis(spec, MAX_POINTS))


def parse_axis(spec) -> np.ndarray:
    """Values of one grid axis: an array, or ``"lo:hi:n"`` (n equally spaced values, ends included),
    or a comma-separated list ``"0.1,0.5,0.9"``.

    Raises
    ------
    ModelError
        Malformed text, or an axis of more than :data:`MAX_POINTS` values
        ("sweep too large").
    """
    return _axis(spec, MAX_POINTS).values()


# ---------------------------------------------------------------------- a keyed permutation
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: a bijective 64-bit mixing of each element (uint64, wraps)."""
    z = z ^ (z >> np.uint64(30))
    z = z * _M1
    z = z ^ (z >> np.uint64(27))
    z = z * _M2
    return z ^ (z >> np.uint64(31))


def _mix_into(z: np.ndarray) -> np.ndarray:
    """:func:`_mix` in place, on a temporary the caller owns (the same numbers, fewer allocations)."""
    z ^= z >> np.uint64(30)
    z *= _M1
    z ^= z >> np.uint64(27)
    z *= _M2
    z ^= z >> np.uint64(31)
    return z


def _permute(x: np.ndarray, n: int, keys: np.ndarray) -> np.ndarray:
    """A keyed bijection of ``[0, n)`` applied to *x* (uint64 values < n).

    A balanced Feistel network on ``2h`` bits (the smallest even width
    holding ``n``, so at most ``4 n`` values) with cycle walking: values that
    land at ``n`` or above are permuted again until they fall inside.
    """
    bits = max(2, (max(n - 1, 1)).bit_length())
    bits += bits % 2
    h = np.uint64(bits // 2)
    mask = np.uint64((1 << (bits // 2)) - 1)

    def once(v):
        left, right = v >> h, v & mask
        for k in keys:
            t = _mix_into(right ^ k)
            t &= mask
            t ^= left
            left, right = right, t
        return (left << h) | right

    y = once(x)
    out = y >= np.uint64(n)
    while out.any():
        y[out] = once(y[out])
        out = y >= np.uint64(n)
    return y


def _keys(seed, count: int) -> np.ndarray:
    """``count`` 64-bit keys from *seed* (None, a non-negative integer or a numpy Generator)."""
    if isinstance(seed, np.random.Generator):
        rng = seed
    else:
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0):
            raise ModelError(f"seed must be a non-negative integer, got {seed!r}")
        rng = np.random.default_rng(seed)
    return rng.integers(0, 2 ** 64, size=count, dtype=np.uint64)


# ---------------------------------------------------------------------- the arguments
def _as_mapping(arg, what: str, form: str) -> dict:
    """*arg* (None or a mapping) as a dict, or a ModelError naming the argument and what it accepts."""
    if arg is None:
        return {}
    if not isinstance(arg, Mapping):
        raise ModelError(f"{what} must be a mapping {form}, got {type(arg).__name__}: {arg!r}")
    return dict(arg)


def _as_names(names):
    """*names* (None, one parameter name or a sequence of names) as a list, or a ModelError."""
    if names is None:
        return None
    if isinstance(names, str):
        return [names]
    if isinstance(names, Mapping) or not isinstance(names, Iterable):
        raise ModelError(f"names must be a parameter name or a list of parameter names, got "
                         f"{type(names).__name__}: {names!r}")
    names = list(names)
    bad = [n for n in names if not isinstance(n, str)]
    if bad:
        raise ModelError(f"names must be parameter names (strings), got {bad[0]!r}")
    return names


# ---------------------------------------------------------------------- the points
class SweepPoints:
    """The points of a sweep, every parameter of the model, produced slice by slice.

    Parameters
    ----------
    model : ParametricModel
    grid : mapping of str to values, optional
        Cartesian grid (first parameter slowest); values an array, a list,
        ``"lo:hi:n"`` or ``"a,b,c"``.
    samples : int, optional
        A Latin-hypercube sample of this many points instead of a grid.
    names : sequence of str, optional
        Parameters to sample (default: every parameter that is not fixed and
        has a finite domain or is given *bounds*).
    bounds : mapping of str to (low, high), optional
        Sampling ranges (default: the domains).
    seed : None, int >= 0 or numpy.random.Generator
        The sample's seed.
    fixed : mapping, optional
        Values of parameters that are not swept.
    max_points : int
        Refuse sweeps of more points (default :data:`MAX_POINTS`).

    Attributes
    ----------
    total : int
        Number of points.
    swept : list of str
        The parameters that vary.
    held : dict
        Parameters that are neither swept nor fixed, at their defaults.
    fixed : dict
        The fixed values given.
    """

    def __init__(self, model, grid: Mapping[str, Any] | None = None, *, samples: int | None = None,
                 names: Sequence[str] | None = None, bounds: Mapping[str, tuple] | None = None, seed=None,
                 fixed: Mapping[str, Any] | None = None, max_points: int = MAX_POINTS):
        space = model.parameters
        self.names = list(space.names)
        self.fixed = {}
        fixed = _as_mapping(fixed, "fixed", "{parameter: value}")
        grid = _as_mapping(grid, "grid", "{parameter: values} (values an array, 'lo:hi:n' or 'a,b,c')")
        bounds = _as_mapping(bounds, "bounds", "{parameter: (low, high)}")
        names = _as_names(names)
        for k, v in fixed.items():
            try:
                self.fixed[k] = float(v)
            except (TypeError, ValueError):
                raise ModelError(f"fixed value of {k!r} must be a number, got {v!r}") from None
        unknown = [k for k in list(self.fixed) + list(grid) + list(names or []) + list(bounds) if k not in space]
        if unknown:
            raise ModelError(f"model {model.name!r}: unknown parameter(s) {unknown}; parameters are {self.names}")
        if grid and samples is not None:
            raise ModelError("give either a grid or a number of samples, not both")
        if isinstance(max_points, bool) or not isinstance(max_points, (int, np.integer)) or max_points < 1:
            raise ModelError(f"max_points must be a positive integer, got {max_points!r}")
        self.max_points = int(max_points)
        self._axes: list = []
        self._lhs: list = []
        if samples is not None:
            if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
                raise ModelError(f"samples must be a positive integer, got {samples!r}")
            if samples > self.max_points:
                raise sweep_too_large(int(samples), self.max_points)
            self.total = int(samples)
            self._setup_sample(model, names, bounds, seed)
        else:
            if bounds or names:
                raise ModelError("names and bounds apply to a sample (samples=N), not to a grid")
            both = sorted(set(grid) & set(self.fixed))
            if both:
                raise ModelError(f"parameter(s) {both} are both swept and fixed")
            total = 1
            for name, spec in grid.items():
                try:
                    ax = _axis(spec, self.max_points)
                except ModelError as exc:
                    if str(exc).startswith("sweep too large"):
                        raise
                    raise ModelError(f"model {model.name!r}: grid of {name!r}: {exc}") from None
                if isinstance(ax, _Linspace):     # lo:hi:n: name the end at fault, not a position in [lo, hi]
                    for end, v in (("lower", ax.lo), ("upper", ax.hi)):
                        try:
                            space[name].check(float(v))
                        except ModelError as exc:
                            raise ModelError(f"model {model.name!r}: grid axis {name!r} ({end} end of "
                                             f"{ax.lo:g}:{ax.hi:g}:{ax.n}): {exc}") from None
                else:
                    try:
                        space[name].check(ax.ends())
                    except ModelError as exc:
                        raise ModelError(f"model {model.name!r}: grid axis {name!r}: {exc}") from None
                self._axes.append((name, ax))
                total *= len(ax)
            if total > self.max_points:
                raise sweep_too_large(total, self.max_points)
            self.total = total
        self.swept = [n for n, _ in self._axes] + [d["name"] for d in self._lhs]
        self.held = {}
        for n in self.names:
            if n not in self.fixed and n not in self.swept:
                d = space[n].default
                if d is None:
                    raise ModelError(f"model {model.name!r}: parameter {n!r} has no default; sweep it or fix it")
                self.held[n] = float(d)
        self._shape = tuple(len(a) for _, a in self._axes)

    def _setup_sample(self, model, names, bounds, seed):
        space = model.parameters
        if names is None:
            names = [n for n in space.names if n not in self.fixed
                     and (n in bounds or all(math.isfinite(b) for b in space[n].domain.bounds))]
            if not names:
                raise ModelError(f"model {model.name!r}: no parameter with a bounded domain to sample; "
                                 f"give bounds (--bounds NAME=LO:HI)")
        names = list(names)
        both = sorted(set(names) & set(self.fixed))
        if both:
            raise ModelError(f"parameter(s) {both} are both sampled and fixed")
        from ..symbolic.parameters import Integer
        keys = _keys(seed, 5 * len(names))
        for j, name in enumerate(names):
            d = space[name].domain
            try:
                lo, hi = (float(b) for b in bounds.get(name, d.bounds))
            except (TypeError, ValueError):
                raise ModelError(f"bounds of {name!r}: expected (low, high), got {bounds.get(name)!r}") from None
            if name in bounds and not (math.isfinite(lo) and math.isfinite(hi) and lo <= hi):
                raise ModelError(f"bounds of {name!r}: expected finite (low, high) with low <= high, got "
                                 f"{bounds[name]!r}")
            if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
                raise ModelError(f"parameter {name!r} needs finite bounds low <= high to be sampled (domain {d}); "
                                 f"give bounds (--bounds {name}=LO:HI)")
            entry = {"name": name, "lo": lo, "hi": hi, "keys": keys[5 * j:5 * j + 4], "jitter": keys[5 * j + 4],
                     "integer": isinstance(d, Integer)}
            if entry["integer"]:
                entry["lo_i"], entry["hi_i"] = math.ceil(lo), math.floor(hi)
                if entry["lo_i"] > entry["hi_i"]:
                    raise ModelError(f"no integer of {name!r} in [{lo}, {hi}] to sample")
                space[name].check(np.array([entry["lo_i"], entry["hi_i"]], dtype=float))
            else:
                try:
                    space[name].check(np.array([lo, hi]))
                except ModelError as exc:
                    raise ModelError(f"bounds of {name!r}: {exc}") from None
            self._lhs.append(entry)

    def __len__(self) -> int:
        return self.total

    @property
    def kind(self) -> str:
        return "sample" if self._lhs else "grid"

    def chunk(self, start: int, stop: int) -> dict[str, np.ndarray]:
        """Every parameter at the points ``start`` to ``stop - 1``, as float64 arrays."""
        start, stop = max(0, int(start)), min(self.total, int(stop))
        m = max(stop - start, 0)
        out = {}
        idx = np.arange(start, stop, dtype=np.int64)
        values = {}
        if self._axes:
            multi = np.unravel_index(idx, self._shape)
            for (name, ax), ix in zip(self._axes, multi):
                values[name] = ax.take(ix)
        if self._lhs:
            n = self.total
            ui = idx.astype(np.uint64)
            for e in self._lhs:
                stratum = _permute(ui, n, e["keys"]).astype(np.float64)
                z = ui * _GOLDEN
                z += e["jitter"]
                jitter = (_mix_into(z) >> np.uint64(11)).astype(np.float64)
                u = stratum + jitter * (1.0 / 2 ** 53)
                u *= 1.0 / n
                if e["integer"]:
                    span = e["hi_i"] - e["lo_i"] + 1
                    values[e["name"]] = np.minimum(e["lo_i"] + np.floor(u * span), e["hi_i"])
                else:
                    values[e["name"]] = np.minimum(e["lo"] + u * (e["hi"] - e["lo"]), e["hi"])
        for name in self.names:
            if name in values:
                out[name] = values[name]
            else:
                out[name] = np.full(m, self.fixed.get(name, self.held.get(name)), dtype=np.float64)
        return out

    def chunks(self, size: int):
        """``(start, points)`` for consecutive slices of *size* points."""
        for s in range(0, self.total, int(size)):
            yield s, self.chunk(s, s + int(size))

    def all(self) -> dict[str, np.ndarray]:
        """Every point at once (only for sweeps that fit in memory)."""
        return self.chunk(0, self.total)
