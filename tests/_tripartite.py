"""Random parameter points of the tripartite crisis models (tripartite_crisis and
tripartite_crisis_signalling share their parameters and constraints)."""

from __future__ import annotations

import numpy as np


def tripartite_point(rng, size=None, interior=0.0):
    """A point (or *size* points, as arrays) that satisfies the models' constraints by construction, every
    commitment type; ``pi`` and ``p_C`` are drawn from ``(interior, 1 - interior)``."""
    def u(lo, hi):
        return rng.uniform(lo, hi, size)

    commitment = rng.integers(0, 4, size)
    P = {"commitment": commitment.astype(float) if size is not None else float(commitment), "q": u(0, 1),
         "pi": u(interior, 1 - interior), "p_D": u(0, 1), "p_C": u(interior, 1 - interior), "k": u(0, 2),
         "r_D": u(0, 2), "s_D": u(0.2, 2), "g_D": u(0, 1), "a_SQ": u(-0.5, 0.5), "c_P": u(0.2, 2),
         "L_P": u(0.2, 3), "u_R": u(-3, 0.5)}
    P["d_W_res"] = -P["s_D"] + u(0.1, 1)
    P["d_W_irr"] = -P["s_D"] - u(0.05, 2)
    for a in ("a_DC", "a_RA", "a_V"):
        P[a] = P["a_SQ"] + u(0.1, 3)
    P["a_W"] = P["a_SQ"] - u(0.1, 2)
    P["a_B"] = P["a_W"] - u(0.1, 1)
    P["a_W_soft"] = P["a_B"] - u(0.1, 1)
    P["s_P"] = (np.maximum(-P["c_P"], P["u_R"]) if size is not None else max(-P["c_P"], P["u_R"])) + u(0.05, 1)
    P["w_P"] = P["s_P"] + u(0.05, 1)
    return P
