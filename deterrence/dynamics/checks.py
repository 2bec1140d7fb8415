"""Input checks shared by the dynamics modules: numbers, finiteness, signs, shapes, each error naming its culprit."""

from __future__ import annotations

import numbers

import numpy as np

from ..errors import ModelError

__all__ = ["as_real_array"]


def as_real_array(name: str, value, *, positive: bool = False, nonnegative: bool = False,
                  allow_nan: bool = False) -> np.ndarray:
    """*value* as a float array, or a :class:`ModelError` naming *name* and the first bad entry.

    Parameters
    ----------
    name : str
        The parameter's name, used in the message.
    value : number or array-like
    positive, nonnegative : bool
        Require every entry ``> 0`` (or ``>= 0``).
    allow_nan : bool
        Accept NaN (never infinity).
    """
    if isinstance(value, (str, bytes)):
        raise ModelError(f"{name}: expected a number, got {value!r}")
    if isinstance(value, numbers.Complex) and not isinstance(value, numbers.Real):
        raise ModelError(f"{name}: expected a real number, got {value!r}")
    try:
        arr = np.asarray(value)
    except (ValueError, TypeError) as exc:      # ragged nested lists
        raise ModelError(f"{name}: not a rectangular array of numbers ({exc})") from None
    if arr.dtype.kind in "USV":                # numpy turned mixed numbers and text into text: look at the originals
        try:
            arr = np.asarray(value, dtype=object)
        except (ValueError, TypeError):
            pass
    if arr.dtype == object or arr.dtype.kind in "USV":
        flat = arr.reshape(-1)
        for j, v in enumerate(flat):
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                where = f" at index {tuple(int(i) for i in np.unravel_index(j, arr.shape))}" if arr.ndim else ""
                raise ModelError(f"{name}: expected numbers, got {v!r}{where}")
        arr = arr.astype(float)
    elif arr.dtype.kind == "c":
        raise ModelError(f"{name}: expected real numbers, got complex values")
    elif arr.dtype.kind == "b":
        raise ModelError(f"{name}: expected numbers, got booleans")
    arr = arr.astype(float, copy=False)
    bad = ~np.isfinite(arr) if not allow_nan else np.isinf(arr)
    if bad.any():
        idx = np.argwhere(bad)[0]
        where = f" at index {tuple(int(i) for i in idx)}" if arr.ndim else ""
        raise ModelError(f"{name}: {float(arr[tuple(idx)])!r}{where}; expected a finite number")
    if positive and (arr <= 0).any():
        idx = np.argwhere(arr <= 0)[0]
        where = f" at index {tuple(int(i) for i in idx)}" if arr.ndim else ""
        raise ModelError(f"{name} = {float(arr[tuple(idx)])!r}{where}: must be positive")
    if nonnegative and (arr < 0).any():
        idx = np.argwhere(arr < 0)[0]
        where = f" at index {tuple(int(i) for i in idx)}" if arr.ndim else ""
        raise ModelError(f"{name} = {float(arr[tuple(idx)])!r}{where}: must be non-negative")
    return arr
