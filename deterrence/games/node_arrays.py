"""Batched gathers over the node-major value arrays of game trees.

Backward induction on a batch keeps node values node-major, ``V[node, player,
game]``, so that one level of the tree is a few whole-array operations.  These
kernels pick each decision node's chosen child per game and sum the
probability-weighted children of chance nodes; the subgame-perfect and the
Bayesian backward-induction solvers share them.
"""

from __future__ import annotations

import numpy as np

__all__ = ["gather_nodes", "select_children", "chance_values"]


def gather_nodes(V, child):
    """``V[child]`` per game: ``out[j, :, b] = V[child[j, b], :, b]`` (batched node-major layout)."""
    N, n, B = V.shape
    idx = child[:, None, :] * (n * B) + (np.arange(n) * B)[None, :, None] + np.arange(B)[None, None, :]
    return V.reshape(-1).take(idx)


def select_children(V, ci, first_edge, nch, ch):
    """Batched ``V[child chosen by ch]``: ``out[j, :, b] = V[ci[first_edge[j] + ch[j, b]], :, b]``.

    With few actions per node this is one whole-row ``take`` per action index
    and a masked copy (cheap for a wide batch); otherwise a flat gather.
    """
    kmax = int(nch.max()) if len(nch) else 0
    if kmax > 8:
        return gather_nodes(V, ci[first_edge[:, None] + ch])
    out = V.take(ci[first_edge], axis=0)
    for j in range(1, kmax):
        rows = ci[first_edge + np.minimum(j, nch - 1)]
        np.copyto(out, V.take(rows, axis=0), where=(ch == j)[:, None, :])
    return out


def chance_values(weighted, off, k):
    """Sum of the weighted child values of each chance node (``np.add.reduceat``; with two children
    each, the one addition directly, which is the same number)."""
    if k == 2:
        return weighted[0::2] + weighted[1::2]
    return np.add.reduceat(weighted, off, axis=0)
