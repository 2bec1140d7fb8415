"""Spiral or deterrence: the security dilemma as Prisoner's Dilemma or Stag Hunt (Jervis 1978).

Model
-----
Jervis, R. (1978), "Cooperation under the security dilemma", *World
Politics* 30(2): 167-214. Two states each cooperate (keep defences modest)
or defect (arm to attack). Normalise mutual cooperation to 1 and mutual
defection (an arms race) to 0; the two parameters are

* ``g`` >= 0, the *gain from exploitation*: a state's payoff from defecting
  against a cooperator. Jervis: when offence has the advantage, striking
  first pays and ``g`` is large;
* ``k`` > 0, the *cost of being exploited*: a cooperator facing a defector gets
  ``-k``.

                      cooperate     defect
        cooperate       1, 1        -k, g
        defect          g, -k        0, 0

Mapping from parameters to game type (derived, then asserted)
-------------------------------------------------------------
Defect is always the best reply to defect (``0 > -k``), so (defect, defect)
is always an equilibrium. Mutual cooperation is an equilibrium iff no state
gains by exploiting the other: ``1 >= g``.

* ``g > 1`` (offence dominant): T = g > R = 1 > P = 0 > S = -k, the
  **Prisoner's Dilemma**; defection strictly dominates and (defect, defect)
  is the unique equilibrium, although both prefer mutual cooperation: the
  spiral model.
* ``g < 1`` (defence dominant): R = 1 > T = g > P = 0 > S = -k, the **Stag
  Hunt** (assurance game); both (cooperate, cooperate) and (defect, defect)
  are equilibria, plus a mixed one in which each cooperates with probability
  ``y* = k / (1 - g + k)``. Cooperation is possible if each state is reassured;
  it risk-dominates (Harsanyi & Selten 1988) iff ``1 - g > k``.
* ``g = 1`` is the boundary (a degenerate game).

The script checks the symbolic Nash condition of (cooperate, cooperate)
(sympy, from the model's expressions) is ``g <= 1``, sweeps a grid of
(g, k) in one batched call, asserts the classification at every grid point and
the mixed-equilibrium formula, and prints the region map.

Run: ``python examples/spiral_vs_deterrence.py``.
"""

from __future__ import annotations

import sys

import numpy as np

from deterrence.analysis import sweep
from deterrence.io import loads
from deterrence.solve import solve_2x2
from deterrence.analysis.symbolic import nash_conditions

MODEL = """
players = ["State A", "State B"]

[model]
name = "security_dilemma"
title = "The security dilemma (Jervis 1978)"
kind = "normal_form"
source = "Jervis, R. (1978), Cooperation under the security dilemma, World Politics 30(2): 167-214"

[parameters.g]
domain = "nonnegative"
default = 0.5
meaning = "gain from exploitation: payoff of defecting against a cooperator (mutual cooperation = 1)"

[parameters.k]
domain = "positive"
default = 1
meaning = "cost of being exploited: a cooperator facing a defector gets -k (mutual defection = 0)"

[actions]
"State A" = ["cooperate", "defect"]
"State B" = ["cooperate", "defect"]

[[payoffs]]
profile = ["cooperate", "cooperate"]
values = [1, 1]

[[payoffs]]
profile = ["cooperate", "defect"]
values = ["-k", "g"]

[[payoffs]]
profile = ["defect", "cooperate"]
values = ["g", "-k"]

[[payoffs]]
profile = ["defect", "defect"]
values = [0, 0]
"""

CC, DD = "(cooperate, cooperate)", "(defect, defect)"


def game_type(g: np.ndarray) -> np.ndarray:
    """The theory's classification (module docstring): Stag Hunt for g < 1, PD for g > 1, boundary at 1."""
    return np.where(g < 1, "Stag Hunt", np.where(g > 1, "Prisoner's Dilemma", "boundary"))


def main() -> int:
    model = loads(MODEL, path="security_dilemma.toml")
    print(f"{model.title}\n")

    # 1. symbolic: where is mutual cooperation an equilibrium?
    cond = nash_conditions(model)[("cooperate", "cooperate")]
    print(f"Symbolic: (cooperate, cooperate) is a Nash equilibrium iff {cond.expr}")
    probe = np.array([0.0, 0.5, 0.999, 1.0, 1.001, 2.0])
    assert np.array_equal(cond.holds(g=probe, k=np.ones_like(probe)), probe <= 1), \
        f"the symbolic condition should be g <= 1, got {cond.expr}"
    assert nash_conditions(model)[("defect", "defect")].always, "(defect, defect) should always be an equilibrium"

    # 2. numeric: a grid of (g, k), all equilibria, one sweep
    g_axis = np.round(np.linspace(0, 2, 41), 10)       # includes g = 1
    k_axis = np.round(np.linspace(0.25, 3, 12), 10)
    table = sweep(model, {"g": g_axis, "k": k_axis}, concept="nash")
    g, k, outcome = np.asarray(table["g"]), np.asarray(table["k"]), np.asarray(table["outcome"]).astype(str)
    kind = game_type(g)
    stag = kind == "Stag Hunt"
    pd = kind == "Prisoner's Dilemma"
    cc_eq = np.char.find(outcome, CC) >= 0
    assert np.all(cc_eq[stag]) and not np.any(cc_eq[pd]), "mutual cooperation is an equilibrium iff g < 1 (off g = 1)"
    assert np.all(outcome[pd] == DD), "Prisoner's Dilemma region: (defect, defect) must be the unique equilibrium"
    assert np.all(np.asarray(table["n_equilibria"])[stag] == 3), "Stag Hunt region: two pure and one mixed equilibrium"
    assert np.all(cc_eq[kind == "boundary"]), "at g = 1 mutual cooperation is still (weakly) an equilibrium"
    print(f"Numeric: {len(table)} grid points (g in [0, 2], k in [0.25, 3]), all equilibria at each: "
          f"Stag Hunt at {int(stag.sum())}, PD at {int(pd.sum())}, boundary g = 1 at {int((~stag & ~pd).sum())}")

    # 3. the mixed equilibrium of the Stag Hunt region and risk dominance, from one batched 2x2 solve
    G, K = np.meshgrid(np.array([0.0, 0.25, 0.5, 0.75]), np.array([0.25, 0.5, 1.0, 2.0]), indexing="ij")
    G, K = G.ravel(), K.ravel()
    res = solve_2x2(model.at(g=G, k=K))
    row = np.asarray(res.row)
    gi = np.asarray(res.game_index)
    mixed = (row[:, 0] > 1e-9) & (row[:, 0] < 1 - 1e-9)
    y = np.full(G.size, np.nan)
    y[gi[mixed]] = row[mixed, 0]
    formula = K / (1 - G + K)
    assert np.allclose(y, formula, atol=1e-9), "mixed equilibrium: cooperate with probability k / (1 - g + k)"
    print("\nStag Hunt region: mixed equilibrium cooperates with probability k/(1-g+k) (checked at "
          f"{G.size} points); cooperation risk-dominates iff 1 - g > k:")
    for gv, kv, yv in zip(G[::5], K[::5], y[::5]):
        verdict = "cooperation" if 1 - gv > kv else ("tie" if 1 - gv == kv else "defection")
        print(f"  g={gv:4.2f} k={kv:4.2f}: y* = {yv:.3f}; risk-dominant: {verdict}")

    # 4. the region map, as text
    print("\nRegion map (rows: cost of being exploited k; columns: gain from exploitation g from 0 to 2)")
    print("  C = Stag Hunt, mutual cooperation risk-dominant (1 - g > k); S = Stag Hunt, defection risk-dominant"
          " or tied;\n  P = Prisoner's Dilemma (mutual cooperation is not an equilibrium); | = boundary g = 1")
    for kv in k_axis[::-1]:
        sel = k == kv
        order = np.argsort(g[sel])
        line = "".join(("C" if 1 - gg > kv else "S") if c and gg < 1 else ("|" if gg == 1 else "P")
                       for c, gg in zip(cc_eq[sel][order], g[sel][order]))
        print(f"  k={kv:4.2f}  {line}")
    print("\nOK: defence dominance (g < 1) makes the security dilemma a Stag Hunt in which mutual cooperation is "
          "an equilibrium;\n    offence dominance (g > 1) makes it a Prisoner's Dilemma in which it is not.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
