"""Helpers for tests of the vectorised cascade: random networks with every condition type, and the scalar
engine run draw by draw (the oracle)."""

from __future__ import annotations

import numpy as np

from deterrence.networks import AllianceNetwork, Commitment, State, WarPlan, cascade
from deterrence.networks.vectorised import honour_keys

REGIONS = ("Europe", "Asia", "Africa")
DATES = ("1900-01-01", "1910-06-01", "1914-07-28", "1914-08-02", "1920-01-01")


def random_network(seed: int, n_states: int = 8, n_commitments: int = 10, n_plans: int = 2,
                   as_of: str | None = "1914-07-28") -> AllianceNetwork:
    """A random network drawing every kind, trigger and condition the scalar engine reads."""
    r = np.random.default_rng(seed)
    g = np.random.default_rng([seed, 1])     # its own stream: the networks drawn before it stay as they were
    names = [f"S{i}" for i in range(n_states)]
    states = [State(n, great_power=bool(r.random() < 0.5),
                    regions=tuple(g for g in REGIONS if r.random() < 0.5),
                    resists=bool(r.random() < 0.85)) for n in names]
    comms: list[Commitment] = []
    for k in range(n_commitments):
        kind = str(r.choice(["defence", "defence", "offence", "guarantee", "patronage", "neutrality",
                             "nonaggression", "consultation"]))
        size = min(n_states, int(r.integers(2, 4)))
        members = [names[i] for i in r.choice(n_states, size=size, replace=False)]
        kw: dict = {}
        if kind in ("guarantee", "patronage") or r.random() < 0.2:
            parties, protects = members[:-1], members[-1:]
            kw["protects"] = protects
        else:
            parties = members
        if kind == "offence":
            kw["trigger"] = "attacks" if r.random() < 0.7 else "attacked"
        elif kind in ("defence", "guarantee", "patronage"):
            kw["trigger"] = str(r.choice(["attacked", "attacked", "at_war"]))
            earlier = [c for c in comms if c.invokes is None]
            if earlier and r.random() < 0.15:
                kw["trigger"] = "invoked"
                kw["invokes"] = earlier[int(r.integers(len(earlier)))].id
        if r.random() < 0.25:
            kw["against"] = [names[i] for i in r.choice(n_states, size=min(n_states, int(r.integers(1, 3))), replace=False)]
        if r.random() < 0.3:
            kw["unprovoked"] = True
        if r.random() < 0.25:
            kw["min_attackers"] = int(r.integers(2, 4))
            kw["great_powers"] = bool(r.random() < 0.5)
        if g.random() < 0.1:        # only once the war is general: 1 or 2 great powers on each side
            kw["general_war"] = int(g.integers(1, 3))
        held = [g for g in REGIONS if any(g in s.regions for s in states)]   # a region no state holds is refused
        if r.random() < 0.2 and held:
            kw["region"] = str(r.choice(held))
        if r.random() < 0.3:
            i = int(r.integers(len(DATES)))
            kw["signed"] = DATES[i]
            if r.random() < 0.3 and i + 1 < len(DATES):
                kw["ends"] = DATES[int(r.integers(i, len(DATES)))]
        kw["honour"] = float(r.choice([0.0, 0.5, 0.75, 1.0]))
        comms.append(Commitment(f"c{k}", f"c{k}", kind, parties, **kw))
    plans = []
    for k in range(n_plans):
        who = int(r.integers(n_states))
        others = [i for i in range(n_states) if i != who]
        when = [names[i] for i in r.choice(others, size=min(len(others), int(r.integers(1, 3))), replace=False)]
        hits = [names[i] for i in r.choice(others, size=min(len(others), int(r.integers(1, 4))), replace=False)]
        plans.append(WarPlan(f"p{k}", names[who], when, hits))
    return AllianceNetwork(states, comms, plans, name=f"random{seed}", as_of=as_of)


def scalar_arrays(net: AllianceNetwork, attack, honour_matrix: np.ndarray, later: bool = True):
    """The scalar engine run once per row of an honour matrix: side, round, phase, occupied arrays."""
    keys = honour_keys(net)
    idx = {s: i for i, s in enumerate(net.state_names)}
    n, S = honour_matrix.shape[0], len(idx)
    side = np.full((n, S), -1, np.int8)
    rnd = np.full((n, S), -1, np.int16)
    phase = np.zeros((n, S), np.int8)
    occ = np.zeros((n, S), bool)
    for d in range(n):
        res = cascade(net, attack, honour=dict(zip(keys, honour_matrix[d].tolist())), later=later)
        for e in res.entries:
            side[d, idx[e.state]], rnd[d, idx[e.state]], phase[d, idx[e.state]] = e.side, e.round, e.phase
        occ[d, [idx[s] for s in res.occupied]] = True
    return side, rnd, phase, occ
