"""Documented crises on the tripartite crisis game: July 1914, Korea 1950, the Taiwan Strait 1958.

Model
-----
``models/tripartite_crisis.toml``, a stylized game after Zagare and Kilgour
(2003, 2006): a Challenger, a Protégé and a Defender whose commitment is
none, ambiguous (a straddle), conditional or unconditional.  Each case maps
its actors and choices to the model's parameters (every value illustrative;
see the case modules ``deterrence.cases.july_crisis``, ``korea_1950`` and
``taiwan_1958``) and solves the sequential equilibrium.

Expected result
---------------
* July 1914 (Zagare 2011; Zagare and Kilgour 2006): under Germany's blank
  check Austria-Hungary's best move is the ultimatum; a conditional German
  commitment restrains it; Britain's straddle fails to deter a determined
  Germany, where a clear commitment deters a less determined one.
* Korea 1950: under the ambiguous US commitment (Acheson's perimeter of
  12 January 1950 left Korea out) the equilibrium is a challenge, as on
  25 June 1950.
* Taiwan 1958: under the clear commitment (the 1954 treaty, the Formosa
  Resolution of 1955) the equilibrium is no invasion, as in 1958.
Each answer holds over a stated region of the parameters, printed below.

Run: ``python examples/crisis_cases.py [--plot PREFIX]``; with ``--plot`` the
figures of Korea 1950 and Taiwan 1958 (P(challenge) and P(war) by commitment
type against the Defender's prior resolve, the case marked) are saved as
``PREFIX_korea_1950.png`` and ``PREFIX_taiwan_1958.png``.
"""

from __future__ import annotations

import argparse
import sys

import deterrence as d
from deterrence.cases import korea_1950, taiwan_1958
from deterrence.cases.crisis_game import describe_stability
from deterrence.cases.july_crisis import crisis_game


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", metavar="PREFIX",
                    help="save the Korea and Taiwan figures as PREFIX_korea_1950.png and PREFIX_taiwan_1958.png")
    args = ap.parse_args(argv)
    model = d.load_model("tripartite_crisis")
    game = crisis_game(model)
    a, b = game["austria_hungary"], game["britain"]
    print("July 1914, game 1 (Austria-Hungary, Serbia, Russia; Germany's support as p_C):")
    for name in ("blank_check", "conditional"):
        print(f"  {name:<12} p_C = {a[name]['p_C']:g}: {a[name]['best_move']} "
              f"(P(ultimatum) = {a[name]['P_challenge']}, P(war) = {a[name]['P_war']})")
    print("  where the ultimatum under the blank check holds:")
    print("\n".join(describe_stability(a["blank_check"]["stability"])))
    print("July 1914, game 2 (Germany, France and Russia, Britain):")
    for c in b["cells"]:
        print(f"  {c['british_commitment']:<9} {c['germany']:<16} p_C = {c['p_C']:g}: {c['answer']}")
    cells = {(c["british_commitment"], c["germany"]): c["answer"] for c in b["cells"]}
    assert a["blank_check"]["answer"] == "challenge", "the blank check should make the ultimatum the best move"
    assert a["conditional"]["answer"] == "deterred", "a conditional German commitment should restrain"
    assert cells[("straddle", "determined")] == "challenge", "the straddle should fail against a determined Germany"
    assert cells[("clear", "less_determined")] == "deterred", "a clear commitment should deter a less determined one"

    for case in (korea_1950, taiwan_1958):
        rep = case.reproduce(model)
        print()
        print(rep.summary())
        assert rep.agrees, f"{rep.case}: the model's answer is not the documented outcome"
        assert rep.stability["box"]["share_holding"] == 1.0, f"{rep.case}: the answer fails somewhere in its box"
        if args.plot:
            from deterrence.cases.crisis_game import commitment_curves
            from deterrence.errors import ModelError
            from deterrence.plot.cases import plot_crisis_case
            from deterrence.plot.regions import require_matplotlib
            try:
                plt = require_matplotlib()
            except ModelError:
                print("no figure: matplotlib is not installed (pip install 'deterrence[plot]')")
                continue
            path = f"{args.plot}_{rep.case}.png"
            plt.close(plot_crisis_case(rep, commitment_curves(model, rep.parameters), path))
            print(f"figure: {path}")
    print("\nOK: the documented outcomes hold at the cases' parameters and over the stated regions.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
