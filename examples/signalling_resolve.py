"""Signalling resolve with costly escalation: separating, pooling and hybrid PBE.

Model
-----
A crisis signalling game in the costly-signal tradition (Spence 1973; Fearon
1997, "Signaling foreign policy interests: tying hands versus sinking
costs", *Journal of Conflict Resolution* 41(1); Banks 1991, *Signaling Games
in Political Science*). Nature makes the challenger *resolved* with prior
probability ``pi = 0.3`` and *irresolute* otherwise. The challenger, knowing
its type, escalates (paying a cost ``c > 0``, e.g. mobilisation) or backs
down; the target, seeing the move but not the type, resists or concedes.

* Challenger: value of the target's concession ``v_R = 2`` (resolved) or
  ``v_I = 1`` (irresolute); payoff ``v_t [concede] - c [escalate]``.
* Target: resisting a resolved challenger costs 1, resisting an irresolute
  one gains 1, conceding gives 0. With belief ``mu`` that the challenger is
  resolved, the target resists iff ``mu < 1/2`` (indifferent at 1/2). Since
  ``pi < 1/2`` it resists when it learns nothing.

Derivation of the regions (weak PBE; Fudenberg & Tirole 1991, ch. 8)
---------------------------------------------------------------------
*Separating* (resolved escalates, irresolute backs down): beliefs are 1 after
escalation (target concedes) and 0 after backing down (target resists).
Resolved: ``v_R - c >= 0`` iff ``c <= 2``; irresolute must not mimic:
``0 >= v_I - c`` iff ``c >= 1``. So a separating PBE exists iff ``1 <= c <= 2``.
(The reverse separation fails: the escalating irresolute type would face
resistance and pay ``c > 0`` for nothing.)

*Hybrid* (resolved escalates; irresolute escalates with probability q):
Bayes' rule after escalation, ``pi / (pi + (1 - pi) q)``, must make the target
indifferent (it must mix to keep the irresolute type indifferent):
``q = pi / (1 - pi) = 3/7``. The target concedes after escalation with
probability ``s`` such that ``s v_I - c = 0``, i.e. ``s = c``, which needs
``c < 1``; the resolved type then strictly prefers to escalate
(``2c - c > 0``). So a hybrid PBE exists iff ``0 < c < 1`` (at ``c = 1`` it
merges with separation).

*Pooling on backing down*: the target resists on the path (belief ``pi``).
Off the path, escalation must not pay: either the target resists after
escalation (off-path belief ``mu(resolved) <= 1/2``), which works for every
``c > 0``, or it concedes with probability ``s`` with ``s v_R <= c`` (belief
``1/2`` for ``0 < s < 1``, ``>= 1/2`` for ``s = 1``, which needs ``c >= 2``).
So pooling exists for every cost, supported by pessimistic off-path beliefs.
*Pooling on escalation* never exists for ``c > 0``: the target resists
(belief ``pi < 1/2``) and both types lose ``c``.

Expected result (asserted)
--------------------------
``c < 1``: hybrid and pooling; ``1 < c < 2``: separating and pooling;
``c > 2``: pooling only (with the target conceding to an off-path escalation
now also an equilibrium). The hybrid's bluffing probability is 3/7 and the
target's concession probability equals ``c``.

Run: ``python examples/signalling_resolve.py``.
"""

from __future__ import annotations

import sys

import numpy as np

from deterrence.games import SignallingGame
from deterrence.solve import signalling_pbe

PRIOR = 0.3
VALUE = {"resolved": 2.0, "irresolute": 1.0}


def crisis(c: float, prior: float = PRIOR) -> SignallingGame:
    """The signalling game at escalation cost *c* (payoffs indexed [type][message][response])."""
    uS = [[[-c, VALUE[t] - c],          # escalate: resist, concede
           [0.0, VALUE[t]]]             # back down: resist, concede
          for t in ("resolved", "irresolute")]
    uR = [[[-1.0, 0.0], [-1.0, 0.0]],   # resolved challenger: resisting costs the target
          [[1.0, 0.0], [1.0, 0.0]]]     # irresolute challenger: resisting pays
    return SignallingGame([prior, 1 - prior], uS, uR, types=["resolved", "irresolute"],
                          messages=["escalate", "back down"], responses=["resist", "concede"],
                          players=["challenger", "target"], name=f"costly escalation, c={c:g}")


def expected_kinds(c: float) -> set:
    """The kinds of PBE the derivation in the module docstring predicts (c off the boundaries 1 and 2)."""
    kinds = {"pooling"}
    if c < 1:
        kinds.add("hybrid")
    elif c < 2:
        kinds.add("separating")
    return kinds


def main() -> int:
    print("Costly escalation as a signal of resolve (Spence 1973; Fearon 1997; Banks 1991)")
    print(f"prior P(resolved) = {PRIOR}, value of concession: resolved {VALUE['resolved']:g}, "
          f"irresolute {VALUE['irresolute']:g}\n")
    costs = np.round(np.arange(0.25, 3.01, 0.25), 2)
    print(f"{'cost c':>7}  {'PBE kinds found':34} separating profile / hybrid bluff & concession")
    for c in costs:
        result = signalling_pbe(crisis(float(c)))
        assert result.complete, "signalling_pbe should certify completeness"
        kinds = {eq.kind for eq in result.equilibria}
        detail = ""
        for eq in result.of_kind("hybrid"):
            st = eq.strategy()
            q = st["sender"]["irresolute"].get("escalate", 0.0)
            s = st["receiver"]["escalate"].get("concede", 0.0)
            detail = f"irresolute bluffs {q:.4f} (3/7 = {3 / 7:.4f}); target concedes {s:.4f}"
            if c not in (1.0, 2.0):
                assert abs(q - PRIOR / (1 - PRIOR)) < 1e-7, f"c={c}: bluffing probability {q}, expected 3/7"
                assert abs(s - c / VALUE["irresolute"]) < 1e-7, f"c={c}: concession probability {s}, expected {c}"
        for eq in result.of_kind("separating"):
            st = eq.strategy()
            detail = (f"resolved -> escalate {st['sender']['resolved'].get('escalate', 0):.0f}, "
                      f"irresolute -> back down {st['sender']['irresolute'].get('back down', 0):.0f}")
        print(f"{c:7.2f}  {', '.join(sorted(kinds)):34} {detail}")
        if c not in (1.0, 2.0):       # on a boundary several regimes coexist; checked separately below
            assert kinds == expected_kinds(c), f"c={c}: found {sorted(kinds)}, expected {sorted(expected_kinds(c))}"
        for eq in result.of_kind("pooling"):
            assert eq.strategy()["sender"]["resolved"] == {"back down": 1.0}, "pooling must be on backing down"

    # off-path beliefs of the pooling equilibria at a cost above 2: both resist and concede are sustainable
    print("\nPooling at c = 2.5: what the target does after an (off-path) escalation, and the beliefs that support it")
    for eq in signalling_pbe(crisis(2.5)).of_kind("pooling"):
        after = eq.strategy()["receiver"]["escalate"]
        print(f"  target after escalate {after}: {eq.off_path_beliefs['escalate'].describe()}")
    boundary = {eq.kind for eq in signalling_pbe(crisis(1.0)).equilibria}
    assert {"separating", "hybrid", "pooling"} <= boundary, "at c = 1 separating and hybrid meet"
    print("\nRegions: hybrid for c < 1, separating for 1 < c < 2, pooling only for c > 2 "
          "(pooling on backing down at every cost).")
    print("OK: the regions derived in the docstring match the complete PBE enumeration.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
