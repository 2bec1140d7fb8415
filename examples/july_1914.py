"""The entanglement of July 1914, from the treaties' terms.

Model
-----
The alliance network of July 1914 shipped as ``models/networks/july_1914.toml``:
the Dual Alliance (1879), the Triple Alliance (1882, Arts. 2 and 3), the
Franco-Russian military convention (1892/94), the Entente Cordiale (1904) and
the Anglo-Russian Convention (1907) as consultation only, the Treaty of London
(1839) guaranteeing Belgium, the Anglo-Japanese Alliance (1911 text), Russia's
patronage of Serbia and Montenegro's pledge, the German-Ottoman alliance of
2 August 1914, and Germany's war plan (war with Russia means war with France
through Luxembourg and Belgium).  :func:`deterrence.networks.cascade` reads
each commitment by its casus foederis.

Expected result
---------------
From Austria-Hungary's attack on Serbia (28 July 1914) the cascade gives the
belligerents of August 1914 in the order of the chain of obligations: Russia,
Germany, France and Belgium, Britain and Montenegro (whose pledge binds only
once the war is general, a stylized condition), Japan; Italy stays neutral because the Triple Alliance's defensive
casus foederis is not triggered by an Austrian attack (Italy's own reasoning
of 1 August 1914); the Ottoman Empire enters later, through its new alliance.
With each obligation honoured with probability 0.745 (Leeds, Long and
Mitchell 2000), Britain enters with probability 0.745**3.

Run: ``python examples/july_1914.py [--plot cascade.png]``.
"""

from __future__ import annotations

import argparse
import sys

from deterrence.cases.july_1914 import LEEDS_HONOUR, reproduce
from deterrence.errors import ModelError
from deterrence.library import load_network

AUGUST = ["Austria-Hungary", "Serbia", "Russia", "Germany", "France", "Belgium", "Britain", "Montenegro", "Japan"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plot", help="save the cascade figure here (.png, .pdf, .svg)")
    args = ap.parse_args(argv)

    model = load_network("july_1914")
    rep = reproduce(model, honour=LEEDS_HONOUR)
    print(f"{rep.title}: from {rep.attack[0]}'s attack on {rep.attack[1]}\n")
    print(f"{'round':>5}  {'enters':<16} {'history':<11} through")
    for r in rep.timeline:
        rnd = r["model_round"] if r["phase"] == "August" else "later"
        print(f"{rnd:>5}  {r['state']:<16} {r['history_date'] or '-':<11} {r['through']}")
    for row in rep.stays_out:
        print(row["why"])
    print("\nCounterfactuals:")
    for c in rep.counterfactuals:
        change = ", ".join([f"+{s}" for s in c["enter"]] + [f"-{s}" for s in c["stay_out"]]) or "no change"
        print(f"  {c['name']:<26} {change}")
    s = rep.stochastic
    print(f"\nHonour probability {s['honour']}: P(Britain enters) = {s['p_enter']['Britain']:.4f}, "
          f"P(general war) = {s['p_general_war']:.4f}")

    august = [r["state"] for r in rep.timeline if r["phase"] == "August"]
    assert august == AUGUST, f"August belligerents {august} differ from history's {AUGUST}"
    assert [r["state"] for r in rep.stays_out] == ["Italy"], "Italy should stay out (Triple Alliance Art. 3)"
    assert abs(s["p_enter"]["Britain"] - LEEDS_HONOUR ** 3) < 1e-12
    if args.plot:
        try:
            from deterrence.plot.cascade import plot_cascade
            plot_cascade(rep.result, model.network, args.plot, dates=model.entry_dates(),
                         side_names=("Central Powers", "Entente and allies"))
            print(f"figure: {args.plot}")
        except ModelError as exc:
            print(f"no figure: {exc}")
    print("\nOK: the cascade reproduces the belligerents of August 1914 and Italy's neutrality.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
