"""A treaty's dates in the cascade: only the commitments in force at the attack (or signed after it, in the
second phase) act; one that ended before the attack binds no one, in either phase.

The expected outcomes are read off the treaty terms by hand (a defence pact brings the ally in against the
attacker unless the ally is bound to neutrality toward it), and every case is run through both engines: the
scalar cascade and the vectorised one, draw by draw.
"""

from __future__ import annotations

import dataclasses
import numpy as np
import pytest
from _cascade_oracle import random_network, scalar_arrays
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from deterrence.errors import ModelError
from deterrence.networks import AllianceNetwork, Commitment, State, cascade
from deterrence.networks import _kernel
from deterrence.networks.vectorised import cascade_draws, honour_keys

#: The kernels of the vectorised engine: numpy always, the compiled one where numba imports.
KERNELS = ("numpy", "numba") if _kernel.AVAILABLE else ("numpy",)

ATTACK = "1914-07-28"
BEFORE = "1913-01-01"            # a treaty ending here had lapsed at the attack
AFTER = "1914-08-02"             # a pact signed here joins the second phase


def _net(kind, pact_signed, *, abst_signed="1900-01-01", abst_ends=None):
    """A attacks T; X is pledged to defend T (signed *pact_signed*) and has a *kind* treaty with A."""
    return AllianceNetwork([State(s) for s in ("A", "T", "X")], [
        Commitment("xt", "X-T pact", "defence", ["X", "T"], signed=pact_signed),
        Commitment("xa", "X-A treaty", kind, ["X", "A"], signed=abst_signed, ends=abst_ends)],
        as_of=ATTACK)


def _vectorised_x(net):
    """(side, phase) of X in the vectorised engine with every obligation honoured (the same in every kernel)."""
    out = set()
    for kernel in KERNELS:
        v = cascade_draws(net, ("A", "T"), np.ones((1, len(honour_keys(net))), bool), kernel=kernel)
        i = v.states.index("X")
        out.add((int(v.side[0, i]), int(v.phase[0, i])))
    assert len(out) == 1, out
    return out.pop()


@pytest.mark.parametrize("kind", ["neutrality", "nonaggression"])
@pytest.mark.parametrize("pact_signed,phase", [("1900-01-01", 1), (AFTER, 2)])
def test_a_lapsed_neutrality_treaty_blocks_no_one(kind, pact_signed, phase):
    net = _net(kind, pact_signed, abst_ends=BEFORE)
    r = cascade(net, ("A", "T"))
    e = r.entry("X")
    assert e is not None, r.why("X")
    assert (e.side, e.phase, e.against, e.commitments) == (1, phase, ("A",), ("xt",))
    assert not any(a.outcome.startswith("blocked") for a in r.activations)
    assert _vectorised_x(net) == (1, phase)


@pytest.mark.parametrize("kind", ["neutrality", "nonaggression"])
@pytest.mark.parametrize("pact_signed", ["1900-01-01", AFTER])
@pytest.mark.parametrize("abst_ends", [None, "1914-07-28", "1914-07-30", "1920-01-01"])
def test_a_neutrality_treaty_in_force_at_the_attack_blocks(kind, pact_signed, abst_ends):
    # in force on the day of the attack (ending that day or later, or never): X stays out in either phase
    net = _net(kind, pact_signed, abst_ends=abst_ends)
    r = cascade(net, ("A", "T"))
    assert r.entry("X") is None
    assert "bound to neutrality toward A (X-A treaty)" in r.why("X")
    assert _vectorised_x(net) == (-1, 0)


def test_a_neutrality_treaty_signed_after_the_attack_binds_only_later():
    # signed after the attack: it does not bind in the war of the attack, but it does in the second phase
    early = _net("neutrality", "1900-01-01", abst_signed=AFTER)
    assert cascade(early, ("A", "T")).entry("X").phase == 1
    assert _vectorised_x(early) == (1, 1)
    late = _net("neutrality", AFTER, abst_signed="1914-08-01")
    assert cascade(late, ("A", "T")).entry("X") is None
    assert _vectorised_x(late) == (-1, 0)


def test_a_lapsed_pact_is_explained_by_its_end_date():
    net = AllianceNetwork([State(s) for s in ("A", "T", "X")],
                          [Commitment("xt", "X-T pact", "defence", ["X", "T"], ends=BEFORE)], as_of=ATTACK)
    r = cascade(net, ("A", "T"))
    assert r.entry("X") is None
    assert f"not in force (ended {BEFORE}, before the attack on {ATTACK})" in r.why("X")


def _same(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a, b))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), n_states=st.integers(3, 9), n_commitments=st.integers(1, 10))
def test_treaties_that_ended_before_the_attack_change_nothing(seed, n_states, n_commitments):
    # a random network, and the same network with a lapsed copy (ended before the attack) of each of its
    # treaties of every kind and a lapsed neutrality pact among all its states: the same cascades, draw by
    # draw, in both engines
    try:
        net = random_network(seed, n_states, n_commitments, 1, as_of=ATTACK)
    except ModelError:
        return
    r = np.random.default_rng(seed)
    a, t, x = r.choice(n_states, 3, replace=False)
    attack = (net.state_names[a], net.state_names[t])
    # a pact signed after the attack with its target, so that the second phase has work to do
    net = net.with_commitments([Commitment("later", "later pact", "defence",
                                           [net.state_names[t], net.state_names[x]], signed=AFTER)])
    copies = [dataclasses.replace(c, id=c.id + "_lapsed", signed="1890-01-01", ends=BEFORE)
              for c in net.commitments]
    copies.append(Commitment("all_neutral", "lapsed neutrality", "neutrality", net.state_names, ends=BEFORE))
    more = net.with_commitments(copies)
    H2 = r.random((8, len(honour_keys(more)))) < 0.6
    keep = [k for k, key in enumerate(honour_keys(more)) if not key[0].endswith("_lapsed")]
    H = H2[:, keep]
    assert len(keep) == len(honour_keys(net))
    for later in (True, False):
        assert _same(scalar_arrays(net, attack, H, later), scalar_arrays(more, attack, H2, later))
        for kernel in KERNELS:
            v = cascade_draws(net, attack, H, later=later, kernel=kernel)
            w = cascade_draws(more, attack, H2, later=later, kernel=kernel)
            assert _same((v.side, v.round, v.phase, v.occupied), (w.side, w.round, w.phase, w.occupied))


def test_a_pact_signed_after_the_attack_is_explained_by_its_date_when_the_later_phase_is_not_run():
    net = _net("consultation", AFTER)
    assert cascade(net, ("A", "T")).entry("X").phase == 2
    r = cascade(net, ("A", "T"), later=False)
    assert r.entry("X") is None
    assert f"not in force (signed {AFTER}, after the attack on {ATTACK})" in r.why("X")


def test_the_networkx_export_carries_the_treaties_dates():
    nx = pytest.importorskip("networkx")
    from deterrence.networks import to_networkx
    net = AllianceNetwork([State(s) for s in ("A", "T", "X")], [
        Commitment("xt", "X-T pact", "defence", ["X", "T"], signed=AFTER),
        Commitment("xa", "X-A treaty", "neutrality", ["X", "A"], signed="1900-01-01", ends=BEFORE),
        Commitment("at", "A-T treaty", "nonaggression", ["A", "T"])], as_of=ATTACK)
    g = to_networkx(net)
    assert isinstance(g, nx.MultiDiGraph)
    got = {(c, e["signed"], e["ends"], e["in_force"], e["phase"]) for _, _, c, e in g.edges(keys=True, data=True)}
    assert got == {("xt", AFTER, None, False, 2), ("xa", "1900-01-01", BEFORE, False, None),
                   ("at", None, None, True, 1)}
    undated = to_networkx(AllianceNetwork(net.states, net.commitments))      # no as_of: everything in force
    assert {(e["in_force"], e["phase"]) for _, _, e in undated.edges(data=True)} == {(True, 1)}
