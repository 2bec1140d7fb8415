"""The classic 2x2 crisis games: every equilibrium, classified.

Games
-----
The ordinal 2x2 games shipped in ``models/`` (ranks 4 = best): Chicken,
Deadlock, Hero, Leader, Prisoner's Dilemma and Stag Hunt, from Rapoport &
Guyer's (1966) taxonomy and Rapoport (1967), used for crisis bargaining by
Snyder & Diesing (1977, *Conflict Among Nations*, ch. 2). Ranks are read as
cardinal payoffs; pure-strategy results do not depend on that choice, mixed
ones do.

For each game the script finds *all* Nash equilibria exactly
(``enumerate_equilibria(..., exact=True)``), and classifies them: dominant
strategies (iterated strict dominance), Pareto-dominated equilibria, and among
multiple pure equilibria payoff dominance and risk dominance (Harsanyi &
Selten 1988: in a 2x2 game the equilibrium with the larger product of the two
players' deviation losses risk-dominates).

Expected results (asserted)
---------------------------
* Prisoner's Dilemma: a unique equilibrium, (defect, defect), in dominant
  strategies, Pareto-dominated by mutual cooperation.
* Deadlock: a unique dominant-strategy equilibrium (defect, defect) that is
  Pareto-efficient (both prefer it to mutual cooperation).
* Chicken: two pure asymmetric equilibria (one side backs down) and one mixed.
* Leader and Hero: two pure asymmetric equilibria and one mixed.
* Stag Hunt: two pure symmetric equilibria and one mixed; (stag, stag)
  payoff-dominates. With the ranks as payoffs the two pure equilibria tie in
  risk dominance (deviation losses 1*1 vs 1*1, and the mixed equilibrium is
  exactly 1/2); lowering the sucker's payoff from 1 to 0 makes (hare, hare)
  risk-dominant: the cost of being exploited drives the choice.

Run: ``python examples/crisis_games.py``.
"""

from __future__ import annotations

import sys
from fractions import Fraction

import numpy as np

import deterrence as d
from deterrence import NormalFormGame
from deterrence.solve import enumerate_equilibria, iterated_elimination

GAMES = ["prisoners_dilemma", "deadlock", "chicken", "leader", "hero", "stag_hunt"]


def fmt(x: Fraction) -> str:
    return str(x)


def dominant_strategies(game) -> dict:
    """Player -> dominant action, when strict dominance leaves that player a single action in round 1."""
    res = iterated_elimination(game)
    first = [s for s in res.steps if s.round == 1]
    out = {}
    for i, player in enumerate(game.players):
        dropped = {s.action for s in first if s.player == player}
        left = [a for a in game.actions[i] if a not in dropped]
        if len(left) == 1:
            out[player] = left[0]
    return out


def pareto_dominated(game, payoffs) -> bool:
    """Is there a pure profile that gives every player strictly more than *payoffs*?"""
    P = game.payoffs[0].reshape(-1, game.n_players)
    return bool(np.any(np.all(P > np.asarray(payoffs) + 1e-12, axis=1)))


def risk_comparison(game, e1, e2) -> float:
    """Harsanyi-Selten (1988) for two strict pure equilibria of a 2x2 game: > 0 when e1 risk-dominates e2."""
    A, B = (m[0] for m in game.bimatrix())
    (r1, c1), (r2, c2) = e1, e2
    loss1 = (A[r1, c1] - A[r2, c1]) * (B[r1, c1] - B[r1, c2])
    loss2 = (A[r2, c2] - A[r1, c2]) * (B[r2, c2] - B[r2, c1])
    return float(loss1 - loss2)


def classify(game) -> dict:
    eqs = enumerate_equilibria(game, exact=True)
    assert eqs.complete and not eqs.has_continuum, f"{game.name}: expected finitely many equilibria"
    pure, mixed = [], []
    for eq in eqs.extreme:
        (pure if eq.is_pure else mixed).append(eq)
    pure_idx = [tuple(int(np.argmax(s)) for s in eq.strategies) for eq in pure]
    info = {
        "name": game.name,
        "pure": [tuple(game.actions[i][a] for i, a in enumerate(p)) for p in pure_idx],
        "pure_idx": pure_idx,
        "pure_payoffs": [tuple(eq.payoffs) for eq in pure],
        "mixed": [tuple(tuple(fmt(x) for x in s) for s in eq.exact) for eq in mixed],
        "dominant": dominant_strategies(game),
        "pareto_dominated": [pareto_dominated(game, eq.payoffs) for eq in pure],
        "symmetric_pure": [p[0] == p[1] for p in pure_idx],
    }
    notes = []
    if len(pure) == 2:
        (p1, u1), (p2, u2) = zip(info["pure"], info["pure_payoffs"])
        if all(a > b for a, b in zip(u1, u2)):
            notes.append(f"{p1} payoff-dominates")
        elif all(b > a for a, b in zip(u1, u2)):
            notes.append(f"{p2} payoff-dominates")
        rc = risk_comparison(game, *pure_idx)
        info["risk"] = rc
        notes.append("risk dominance: tie" if rc == 0 else
                     f"{p1 if rc > 0 else p2} risk-dominates")
    info["notes"] = notes
    return info


def main() -> int:
    rows = []
    for name in GAMES:
        game = d.load_model(name).at()
        rows.append(classify(game))

    print("The 2x2 crisis games (ranks 4 = best; Rapoport & Guyer 1966, Snyder & Diesing 1977)\n")
    header = f"{'game':19} {'pure equilibria (payoffs)':50} {'mixed: Row | Column':24} {'dominant':8} notes"
    print(header)
    print("-" * len(header))
    for r in rows:
        pure = ", ".join(f"{p[0]}/{p[1]} {tuple(int(x) for x in u)}" + ("*" if pd else "")
                         for p, u, pd in zip(r["pure"], r["pure_payoffs"], r["pareto_dominated"]))
        mixed = "; ".join(f"({', '.join(s[0])}) | ({', '.join(s[1])})" for s in r["mixed"]) or "-"
        dom = "/".join(sorted(set(r["dominant"].values()))) if len(r["dominant"]) == 2 else "-"
        print(f"{r['name']:19} {pure:50} {mixed:24} {dom:8} {'; '.join(r['notes'])}")
    print("\n*: Pareto-dominated (another outcome is better for both players); mixed: probabilities of the first,"
          "\n   second action; dominant: the action that strictly dominates for both players")

    by = {r["name"]: r for r in rows}
    pd_, dl, ch, sh = by["Prisoner's Dilemma"], by["Deadlock"], by["Chicken"], by["Stag Hunt"]
    assert pd_["pure"] == [("defect", "defect")] and not pd_["mixed"], "PD: unique equilibrium (defect, defect)"
    assert pd_["dominant"] == {"Row": "defect", "Column": "defect"}, "PD: defection is dominant for both"
    assert pd_["pareto_dominated"] == [True], "PD: the equilibrium is Pareto-dominated by mutual cooperation"
    assert dl["pure"] == [("defect", "defect")] and dl["pareto_dominated"] == [False], \
        "Deadlock: unique dominant-strategy equilibrium that is Pareto-efficient"
    for g in (ch, by["Leader"], by["Hero"]):
        assert len(g["pure"]) == 2 and not any(g["symmetric_pure"]) and len(g["mixed"]) == 1, \
            f"{g['name']}: expected two pure asymmetric equilibria and one mixed"
        assert not g["dominant"], f"{g['name']}: no dominant strategies expected"
    assert ch["mixed"] == [(("1/2", "1/2"), ("1/2", "1/2"))], "Chicken with ranks: mixed equilibrium at 1/2"
    assert len(sh["pure"]) == 2 and all(sh["symmetric_pure"]) and len(sh["mixed"]) == 1, \
        "Stag Hunt: two pure symmetric equilibria and one mixed"
    assert "('stag', 'stag') payoff-dominates" in sh["notes"], "Stag Hunt: (stag, stag) payoff-dominates"
    assert sh["risk"] == 0, "Stag Hunt with ranks 4,3,2,1: risk dominance is a tie"

    # a cardinal Stag Hunt: the sucker's payoff (hunting stag alone) lowered from 1 to 0
    A = np.array([[4, 0], [3, 2]], float)
    variant = classify(NormalFormGame.from_bimatrix(A, A.T, players=["Row", "Column"],
                                                    actions=[["stag", "hare"], ["stag", "hare"]],
                                                    name="Stag Hunt (sucker = 0)"))
    print(f"\nStag Hunt with the sucker's payoff 0 instead of 1: {'; '.join(variant['notes'])}; "
          f"mixed equilibrium {variant['mixed'][0][0]}")
    assert "('hare', 'hare') risk-dominates" in variant["notes"], \
        "Stag Hunt (sucker = 0): (hare, hare) should risk-dominate"
    assert variant["mixed"] == [(("2/3", "1/3"), ("2/3", "1/3"))], \
        "Stag Hunt (sucker = 0): each hunts stag with probability 2/3 in the mixed equilibrium"
    print("\nOK: PD dominant and Pareto-dominated; Chicken/Leader/Hero 2 asymmetric pure + 1 mixed; "
          "Stag Hunt 2 symmetric pure + 1 mixed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
