"""The entanglement of July 1914, reproduced from the treaties' terms.

The network of commitments in force in July 1914 (``models/networks/july_1914.toml``:
each commitment with its terms and source) and Austria-Hungary's attack on
Serbia give, by :func:`deterrence.networks.cascade`, the belligerents of
August 1914 and the chain of their entry: Russia backs Serbia; the Dual
Alliance brings Germany in against Russia; the Franco-Russian convention and
Germany's war plan bring France in, and the plan's route brings Belgium in;
Britain's guarantee of Belgium (Treaty of London, 1839) brings Britain in;
the Anglo-Japanese alliance brings Japan in.  Italy stays neutral, as it
argued on 1 August 1914: Austria-Hungary's act was aggressive, so the Triple
Alliance's defensive casus foederis did not arise.  The Ottoman Empire enters
later, through its alliance of 2 August 1914.  Montenegro's pledge to Serbia
binds only once the war is general (two or more great powers at war on each
side; a stylized condition, the file's note 6): it acts in round 4 with
Britain, after France's entry made the war general and before Japan, as its
declaration of 5-8 August came after Britain's.  No treaty term explains the
delay; the condition is this package's reading of it.

Counterfactuals change one commitment or plan and report how the war
changes.  With honour probabilities (Leeds, Long and Mitchell 2000: 74.5% of
commitments honoured when the casus foederis arose) the cascade is
stochastic, and the report gives each state's probability of entering and
the probability of a general war.

What the cascade does not model is the crisis bargaining before the attack
(the blank check's effect on Austria-Hungary's ultimatum, Britain's
ambiguity): that is a game, not a network, and belongs to the July crisis
game, :mod:`.july_crisis`, which :func:`reproduce` adds to the report when it
is given the tripartite crisis model (``crisis_model``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

from ..errors import ModelError
from ..networks import AllianceNetwork, CascadeResult, Commitment, cascade
from ..networks.record import NetworkModel
from ..networks.stochastic import DEFAULT_SEED, cascade_distribution
from . import july_crisis

__all__ = ["reproduce", "CaseReport", "Counterfactual", "COUNTERFACTUALS", "general_war", "LEEDS_HONOUR"]

#: Share of alliance commitments honoured when the casus foederis arose (Leeds, Long and Mitchell 2000,
#: Journal of Conflict Resolution 44(5)).
LEEDS_HONOUR = 0.745


def _no_blank_check(net: AllianceNetwork) -> AllianceNetwork:
    return net.replace_commitment("dual_alliance", unprovoked=True)


def _clear_britain(net: AllianceNetwork) -> AllianceNetwork:
    return net.with_commitments([Commitment(
        "british_commitment", "British commitment to France and Russia (counterfactual)", "defence",
        ("Britain", "France", "Russia"), against=("Germany",), signed="1912-11-22",
        terms="Counterfactual: the Entente made a defence pact against Germany instead of the Grey-Cambon "
              "letters' consultation.", source="counterfactual")])


def _no_belgium(net: AllianceNetwork) -> AllianceNetwork:
    plans = tuple(dataclasses.replace(p, attacks=tuple(t for t in p.attacks if t not in ("Belgium", "Luxembourg")))
                  if p.id == "schlieffen_moltke" else p for p in net.plans)
    return dataclasses.replace(net, plans=plans)


def _italy_bound(net: AllianceNetwork) -> AllianceNetwork:
    """Only Italy's pledge changes: Italy bound to Germany and Austria-Hungary on any attack.

    Art. 3 stays as the treaty wrote it for Germany and Austria-Hungary (their obligations to each other
    and to Italy); Italy's obligations under it are replaced by an unconditional pledge of Italy alone.
    (Rewriting Art. 3 for all its parties would also bind Germany to Austria-Hungary a second time,
    beside the Dual Alliance, which is not the counterfactual.)
    """
    art3 = net.commitment("triple_alliance_art3")
    others = tuple(p for p in art3.parties if p != "Italy")
    protected = art3.protects if art3.protects is not None else art3.parties
    italy = dataclasses.replace(
        art3, id="triple_alliance_art3_italy", parties=("Italy",), protects=tuple(p for p in protected if p != "Italy"),
        unprovoked=False, min_attackers=1, great_powers=False,
        terms="Counterfactual: Italy alone bound to come to the help of Germany and Austria-Hungary if either "
              "is attacked, provoked or not, by any power (Art. 3 without 'without direct provocation' and "
              "without the two-power condition, for Italy only).", source="counterfactual")
    net = net.replace_commitment("triple_alliance_art3", parties=others, protects=protected)
    return net.with_commitments([italy])


def _russia_out(net: AllianceNetwork) -> AllianceNetwork:
    return net.without("russia_serbia")


@dataclass(frozen=True)
class Counterfactual:
    """A named change to the 1914 network."""

    name: str
    description: str
    apply: Callable[[AllianceNetwork], AllianceNetwork]


COUNTERFACTUALS = {c.name: c for c in (
    Counterfactual("no_blank_check", "Germany backs Austria-Hungary only if it did not provoke the war "
                                     "(the Dual Alliance read as defensive), instead of the blank check",
                   _no_blank_check),
    Counterfactual("clear_british_commitment", "Britain bound to France and Russia against Germany "
                                               "(the Entente as a defence pact)", _clear_britain),
    Counterfactual("no_belgium", "Germany's war plan without the route through Luxembourg and Belgium",
                   _no_belgium),
    Counterfactual("italy_bound", "Italy bound unconditionally (Triple Alliance Art. 3 without 'without "
                                  "direct provocation' and without the two-power condition, for Italy only; "
                                  "Germany's and Austria-Hungary's pledges unchanged)", _italy_bound),
    Counterfactual("russia_stays_out", "Russia does not back Serbia", _russia_out),
)}


def general_war(result: CascadeResult, network: AllianceNetwork) -> bool:
    """A general war: at least two great powers at war on each side."""
    gp = {s.name for s in network.states if s.great_power}
    return all(sum(1 for s in result.side(k) if s in gp) >= 2 for k in (0, 1))


def _p_general_war(dist, network: AllianceNetwork) -> float:
    """P(general war) from a cascade distribution: its leaves, or the vectorised Monte Carlo's draws."""
    if dist.samples is None:
        return float(sum(w for w, r in dist.leaves if general_war(r, network)))
    gp = np.array([s.great_power for s in network.states])
    side = dist.samples.side
    both = (((side == 0) & gp).sum(axis=1) >= 2) & (((side == 1) & gp).sum(axis=1) >= 2)
    return float(both.mean())


@dataclass(frozen=True)
class CaseReport:
    """The reproduction of 1914: the cascade beside history, counterfactuals, and the stochastic reading."""

    network: str
    title: str
    attack: tuple[str, str]
    result: CascadeResult
    timeline: tuple[dict, ...]
    stays_out: tuple[dict, ...]
    counterfactuals: tuple[dict, ...]
    stochastic: dict | None
    stylized: str
    provenance: dict
    crisis_game: dict | None = None      # the July crisis as a game (july_crisis.crisis_game), if computed

    def to_dict(self) -> dict:
        return {"case": "1914", "network": self.network, "title": self.title, "attack": list(self.attack),
                "timeline": list(self.timeline), "stays_out": list(self.stays_out),
                "occupied": list(self.result.occupied), "counterfactuals": list(self.counterfactuals),
                "stochastic": self.stochastic, "stylized": self.stylized, "provenance": self.provenance,
                "crisis_game": self.crisis_game}


def _timeline(model: NetworkModel, result: CascadeResult) -> list[dict]:
    dates = model.entry_dates()
    rows = []
    for e in result.entries:
        rows.append({"state": e.state, "model_round": e.round, "phase": "August" if e.phase == 1 else "later",
                     "side": "Central" if e.side == 0 else "Entente", "against": list(e.against),
                     "through": "; ".join(e.reasons), "commitments": list(e.commitments),
                     "history_date": dates.get(e.state)})
    return rows


def _diff(base: CascadeResult, other: CascadeResult, net: AllianceNetwork) -> dict:
    b, o = set(base.belligerents()), set(other.belligerents())
    order = {s: i for i, s in enumerate(net.state_names)}
    return {"belligerents": list(other.belligerents()), "enter": sorted(o - b, key=order.get),
            "stay_out": sorted(b - o, key=order.get), "general_war": general_war(other, net)}


def reproduce(model: NetworkModel, counterfactuals: Sequence[str] = (), *, honour: float | None = None,
              draws: int = 20_000, seed: int | None = None, version: str = "", crisis_model=None) -> CaseReport:
    """Reproduce July 1914 from the network *model* (``library.load_network("july_1914")``).

    Parameters
    ----------
    model : NetworkModel
        The 1914 network and its record.
    counterfactuals : sequence of str
        Names from :data:`COUNTERFACTUALS`, applied together to the network; with none, every
        counterfactual is reported one at a time against the baseline.
    honour : float, optional
        Probability that each triggered obligation is honoured (e.g. :data:`LEEDS_HONOUR`); adds the
        stochastic reading (exact where the tree of decisions is small, else Monte Carlo with *draws*
        and *seed*).
    version : str
        Package version, for the provenance record.
    crisis_model : ParametricModel, optional
        The tripartite crisis model (``library.load_model("tripartite_crisis")``): adds the July crisis as a
        game (:func:`deterrence.cases.july_crisis.crisis_game`) and, to the counterfactuals the game speaks to
        (``no_blank_check``, ``clear_british_commitment``), the game's answer (key ``crisis_game``).
    """
    if model.attack is None:
        raise ModelError(f"network {model.network.name!r} has no documented attack")
    unknown = [c for c in counterfactuals if c not in COUNTERFACTUALS]
    if unknown:
        raise ModelError(f"unknown counterfactual(s) {unknown}; known: {sorted(COUNTERFACTUALS)}")
    net = model.network
    base = cascade(net, model.attack)
    if counterfactuals:
        variant = net
        for name in counterfactuals:
            variant = COUNTERFACTUALS[name].apply(variant)
        variants = [variant]
        cf_rows = [{"name": "+".join(counterfactuals),
                    "description": "; ".join(COUNTERFACTUALS[n].description for n in counterfactuals),
                    **_diff(base, cascade(variant, model.attack), variant)}]
        net_used, result = variant, cascade(variant, model.attack)
    else:
        variants = [c.apply(net) for c in COUNTERFACTUALS.values()]
        cf_rows = [{"name": c.name, "description": c.description,
                    **_diff(base, cascade(v, model.attack), v)}
                   for c, v in zip(COUNTERFACTUALS.values(), variants)]
        net_used, result = net, base
    stays_out = [{"state": s, "why": result.why(s)} for s in result.neutral(net_used.state_names)]
    stochastic = None
    if honour is not None:
        d = cascade_distribution(net_used, model.attack, honour=honour, draws=draws,
                                 seed=DEFAULT_SEED if seed is None else seed)
        p_general = _p_general_war(d, net_used)
        stochastic = {"honour": honour, "method": d.method, "draws": d.draws, "seed": d.seed,
                      "p_enter": d.p_enter, "p_general_war": p_general, "expected_belligerents": d.expected_size,
                      "size_distribution": {str(k): v for k, v in d.size_pmf.items()}}
        # each counterfactual's P(general war) under the same honour probability (and draws and seed)
        for row, v in zip(cf_rows, variants):
            dv = d if v is net_used else cascade_distribution(v, model.attack, honour=honour, draws=draws,
                                                              seed=DEFAULT_SEED if seed is None else seed)
            row["p_general_war"] = _p_general_war(dv, v)
    game = None
    if crisis_model is not None:
        game = july_crisis.crisis_game(crisis_model)
        for row in cf_rows:
            answers = {n: a for n in row["name"].split("+")
                       if (a := july_crisis.counterfactual_answer(crisis_model, n)) is not None}
            if answers:
                row["crisis_game"] = answers
    prov = {"package_version": version, "network": net.name, "file": model.path, "file_sha256": model.digest,
            "counterfactuals": list(counterfactuals), "honour": honour,
            "seed": (DEFAULT_SEED if seed is None else seed) if honour is not None else None}
    return CaseReport(net.name, net.title, model.attack, result, tuple(_timeline(model, result)),
                      tuple(stays_out), tuple(cf_rows), stochastic, net.notes, prov, game)
