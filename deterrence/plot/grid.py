"""Cells of a parameter grid for figures: edges around grid values, runs along a grid line."""

from __future__ import annotations

import numpy as np

__all__ = ["cell_edges", "true_runs"]


def cell_edges(v) -> np.ndarray:
    """Cell edges around grid values: halfway between neighbours, clipped to the swept range at both ends.

    Parameters
    ----------
    v : array_like, shape (n,)
        Increasing grid values.

    Returns
    -------
    ndarray, shape (n + 1,)
        A single value gets the cell ``[v - 0.5, v + 0.5]``.
    """
    v = np.asarray(v, float)
    if len(v) == 1:
        return np.array([v[0] - 0.5, v[0] + 0.5])
    mid = (v[1:] + v[:-1]) / 2
    return np.concatenate([[v[0]], mid, [v[-1]]])


def true_runs(mask) -> list:
    """``(first, last)`` index of each run of True in a 1-d mask."""
    out, start = [], None
    for i, m in enumerate(list(np.asarray(mask, bool)) + [False]):
        if m and start is None:
            start = i
        elif not m and start is not None:
            out.append((start, i - 1))
            start = None
    return out
