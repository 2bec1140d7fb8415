"""The vectorised cascade engine against the scalar one: draw by draw, and in distribution.

The oracle is :func:`deterrence.networks.cascade`, run once per draw with the same honour decisions
(``tests/_cascade_oracle.py``); the random networks draw every kind, trigger and condition it reads
(unprovoked, two or more (great) powers, named adversary, region, invoked, only once the war is
general, war plans, neutrality,
states that do not resist, commitments signed after the attack).
"""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from _cascade_oracle import random_network, scalar_arrays
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from deterrence.errors import ModelError
from deterrence.io.network_file import load_network
from deterrence.networks import AllianceNetwork, Commitment, State, WarPlan
from deterrence.networks.stochastic import cascade_distribution
from deterrence.networks import _kernel, vectorised
from deterrence.networks.honour_stream import stream_key
from deterrence.networks.vectorised import cascade_draws, honour_keys, honour_matrix

ROOT = Path(__file__).resolve().parents[1]
JULY_1914 = ROOT / "models" / "networks" / "july_1914.toml"


def _network(seed, n_states, n_commitments, n_plans, dated):
    try:
        return random_network(seed, n_states, n_commitments, n_plans, as_of="1914-07-28" if dated else None)
    except ModelError:       # e.g. a random "invoked" chain that names a state twice: not a network
        return None


#: The kernels that run chunks of draws: the numpy engine always, the compiled one where numba imports.
KERNELS = ("numpy", "numba") if _kernel.AVAILABLE else ("numpy",)


def _assert_same(net, attack, H, later=True, chunk=None):
    side, rnd, phase, occ = scalar_arrays(net, attack, H, later=later)
    for kernel in KERNELS:     # every kernel against the scalar engine, draw by draw
        if chunk is None:
            v = cascade_draws(net, attack, H, later=later, kernel=kernel)
        else:       # several chunks of draws: the buffers reused from chunk to chunk must start clean
            with mock.patch.object(vectorised, "chunk_size", lambda n_states: chunk):
                v = cascade_draws(net, attack, H, later=later, kernel=kernel)
        assert v.kernel == kernel
        for name, want, got in (("side", side, v.side), ("round", rnd, v.round), ("phase", phase, v.phase),
                                ("occupied", occ, v.occupied)):
            bad = np.flatnonzero((want != got).any(axis=1))
            assert bad.size == 0, (kernel, name, int(bad[0]), want[bad[0]].tolist(), got[bad[0]].tolist())
        np.testing.assert_array_equal(v.size, (side >= 0).sum(axis=1))     # the war's size, draw by draw


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), n_states=st.integers(3, 11), n_commitments=st.integers(1, 14),
       n_plans=st.integers(0, 3), dated=st.booleans(), later=st.booleans(), p=st.sampled_from([0.3, 0.6, 0.9]),
       chunk=st.sampled_from([None, 1, 5]))
def test_equals_the_scalar_engine_draw_by_draw_on_random_networks(seed, n_states, n_commitments, n_plans, dated,
                                                                    later, p, chunk):
    net = _network(seed, n_states, n_commitments, n_plans, dated)
    assume(net is not None)
    r = np.random.default_rng(seed)
    a, t = r.choice(n_states, 2, replace=False)
    H = r.random((24, len(honour_keys(net)))) < p
    _assert_same(net, (net.state_names[a], net.state_names[t]), H, later, chunk)


def test_equals_the_scalar_engine_on_1914():
    m = load_network(JULY_1914)
    k = len(honour_keys(m.network))
    H = np.random.default_rng(1914).random((400, k)) < 0.5
    H = np.vstack([np.ones((1, k), bool), np.zeros((1, k), bool), H])
    _assert_same(m.network, m.attack, H)
    _assert_same(m.network, m.attack, H, chunk=37)
    _assert_same(m.network, m.attack, H[:50], later=False)
    # the treaties taken at their word: the August 1914 order (phase 1), the Ottoman Empire later
    v = cascade_draws(m.network, m.attack, H[:1])
    entered = [m.network.state_names[i] for i in np.lexsort((np.arange(len(v.states)), v.round[0]))
               if v.phase[0, i] == 1]
    # issue 8's order of entry (1914.md): Montenegro's pledge binds once the war is general, with Britain
    assert entered == ["Austria-Hungary", "Serbia", "Russia", "Germany", "France", "Belgium", "Britain",
                       "Montenegro", "Japan"]
    assert v.round[0, v.states.index("Montenegro")] == v.round[0, v.states.index("Britain")] == 4
    assert v.phase[0, v.states.index("Ottoman Empire")] == 2
    assert v.occupied[0, v.states.index("Luxembourg")] and v.side[0, v.states.index("Italy")] == -1


@pytest.mark.parametrize("seed", [2, 5, 6])
def test_equals_the_scalar_engine_beyond_64_states(seed):
    # 70 states: every set of states spans two 64-bit words; 240 random commitments of every kind and
    # condition and 4 war plans give wars of 17 to 30 belligerents on average, some entering later
    net = random_network(seed, n_states=70, n_commitments=240, n_plans=4)
    H = np.random.default_rng(seed).random((12, len(honour_keys(net)))) < 0.7
    _assert_same(net, ("S0", "S1"), H)
    _assert_same(net, ("S0", "S1"), H, chunk=5)
    assert (scalar_arrays(net, ("S0", "S1"), H)[0] >= 0).sum(axis=1).mean() > 15


def _all_rows(net, n, seed):
    k = len(honour_keys(net))
    H = np.random.default_rng(seed).random((n, k)) < 0.6
    return np.vstack([np.ones((1, k), bool), H])


def test_a_joiner_bound_twice_in_one_round_attacks_both_adversaries():
    # Q1 and Q2 defend T and attack A (round 1); B1 defends A only against Q1, B2 only against Q2
    # (round 2); X is bound to Q1 and to Q2: both casus foederis arise in round 3, with different
    # adversaries.  X enters through the first and, honouring the second too, attacks B2 as well,
    # which brings B2's ally Y in (round 4).  The scalar engine is the oracle, draw by draw.
    pact = lambda i, a, b, **kw: Commitment(i, i, "defence", [a, b], **kw)
    net = AllianceNetwork([State(s) for s in ("A", "T", "Q1", "Q2", "B1", "B2", "X", "Y")], [
        pact("tq1", "T", "Q1"), pact("tq2", "T", "Q2"), pact("ab1", "A", "B1", against=["Q1"]),
        pact("ab2", "A", "B2", against=["Q2"]), pact("xq1", "X", "Q1"), pact("xq2", "X", "Q2"),
        pact("b2y", "B2", "Y")])
    H = _all_rows(net, 300, 3)
    _assert_same(net, ("A", "T"), H)
    _assert_same(net, ("A", "T"), H, chunk=16)
    v = cascade_draws(net, ("A", "T"), H[:1])
    assert v.round[0, v.states.index("X")] == 3 and v.round[0, v.states.index("Y")] == 4


def test_the_first_honoured_obligation_sets_the_side_and_blocks_the_other():
    # Round 2: B1 attacks Q1 (B1 defends A only against Q1), and Q1's war plan attacks R, which
    # resists on A's side.  Round 3: X's casus foederis arises toward Q1 (first in the network's
    # order) and toward R, on opposite sides: X enters for Q1 and the obligation toward R is blocked,
    # so X never attacks Q1: Z (bound to Q1 only against X) and X's ally Y stay out.
    pact = lambda i, a, b, **kw: Commitment(i, i, "defence", [a, b], **kw)
    net = AllianceNetwork([State(s) for s in ("A", "T", "Q1", "B1", "R", "X", "Y", "Z")], [
        pact("tq1", "T", "Q1"), pact("ab1", "A", "B1", against=["Q1"]), pact("xq1", "X", "Q1"),
        pact("xr", "X", "R"), pact("xy", "X", "Y"), pact("q1z", "Q1", "Z", against=["X"])], [WarPlan("plan", "Q1", ["A"], ["R"])])
    H = _all_rows(net, 300, 5)
    _assert_same(net, ("A", "T"), H)
    v = cascade_draws(net, ("A", "T"), H[:1])
    ix = v.states.index
    assert (v.side[0, ix("R")], v.round[0, ix("R")]) == (0, 2)
    assert (v.side[0, ix("X")], v.round[0, ix("X")]) == (1, 3)
    assert v.side[0, ix("Y")] == -1 and v.side[0, ix("Z")] == -1


def _general_war_web(with_france=True):
    """Great powers A, R, G, F and two small states T and M, whose pledge to T binds only once the war is general.

    By hand: A attacks T (round 0); R backs T against A (round 1); G defends A, attacked by R (round 2);
    F defends R, attacked by G (round 3).  Great powers at war at the end of each round, attacker's side
    against target's: 1-0, 1-1, 2-1, 2-2.  M's pledge reads the war at the start of a round, so it binds
    first in round 4.  Without F the war never becomes general and M stays out.
    """
    states = [State("A", great_power=True), State("T"), State("R", great_power=True),
              State("G", great_power=True), State("M")] + ([State("F", great_power=True)] if with_france else [])
    comms = [Commitment("rt", "R-T", "patronage", ["R"], protects=["T"], against=["A"]),
             Commitment("ag", "A-G", "defence", ["A", "G"], against=["R"]),
             Commitment("mt", "M-T", "patronage", ["M"], protects=["T"], against=["A"], general_war=2)]
    if with_france:
        comms.append(Commitment("rf", "R-F", "defence", ["R", "F"], against=["G"]))
    return AllianceNetwork(states, comms)


def test_a_pledge_binding_only_once_the_war_is_general_waits_for_two_great_powers_a_side():
    from deterrence.networks import cascade
    net = _general_war_web()
    res = cascade(net, ("A", "T"))
    assert [(e.state, e.round) for e in res.entries] == [("A", 0), ("T", 0), ("R", 1), ("G", 2), ("F", 3),
                                                         ("M", 4)]
    assert "M-T" in res.why("M")
    without = cascade(_general_war_web(with_france=False), ("A", "T"))
    assert without.entry("M") is None
    assert "not yet general" in without.why("M") and "2 or more on each side" in without.why("M")
    for web in (net, _general_war_web(with_france=False)):
        H = _all_rows(web, 40, 6)
        _assert_same(web, ("A", "T"), H)
    for kernel in KERNELS:
        v = cascade_draws(net, ("A", "T"), np.ones((1, len(honour_keys(net))), bool), kernel=kernel)
        assert v.round[0, v.states.index("M")] == 4 and v.side[0, v.states.index("M")] == 1
    # one great power a side is enough for general_war = 1: 1-1 after round 1, so M enters in round 2, with G
    one = AllianceNetwork(net.states, [c if c.id != "mt" else Commitment(
        "mt", "M-T", "patronage", ["M"], protects=["T"], against=["A"], general_war=1) for c in net.commitments])
    assert cascade(one, ("A", "T")).entry("M").round == 2
    for bad in (-1, True, 1.5):
        with pytest.raises(ModelError, match="general_war must be an integer >= 0"):
            Commitment("mt", "M-T", "patronage", ["M"], protects=["T"], general_war=bad)


def test_second_phase_reads_neutrality_as_the_scalar_engine_does():
    # X's pact with T and its neutrality toward A are both signed after the attack: in the second
    # phase the neutrality binds, and X stays out.
    net = AllianceNetwork([State(s) for s in ("A", "T", "X", "W")], [
        Commitment("xt", "X-T", "defence", ["X", "T"], signed="1914-08-02"),
        Commitment("xa", "X-A", "neutrality", ["X", "A"], signed="1914-08-01"),
        Commitment("wt", "W-T", "defence", ["W", "T"], signed="1914-08-02", honour=0.5)], as_of="1914-07-28")
    H = _all_rows(net, 50, 4)
    _assert_same(net, ("A", "T"), H)
    v = cascade_draws(net, ("A", "T"), H[:1])
    assert v.side[0, v.states.index("X")] == -1 and v.phase[0, v.states.index("W")] == 2


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), n_states=st.integers(3, 9), n_commitments=st.integers(1, 10),
       n_plans=st.integers(0, 2))
def test_invariants_of_every_draw(seed, n_states, n_commitments, n_plans):
    net = _network(seed, n_states, n_commitments, n_plans, True)
    assume(net is not None)
    a, t = net.state_names[0], net.state_names[1]
    v = cascade_draws(net, (a, t), {}, rng=np.random.default_rng(seed), draws=300)
    assert (v.side[:, 0] == 0).all() and (v.side[:, 1] == 1).all()         # attacker and target, round 0
    assert (v.round[:, :2] == 0).all() and (v.phase[:, :2] == 1).all()
    inn = v.side >= 0
    assert ((v.round >= 1) == inn)[:, 2:].all()                             # everyone else enters later
    assert ((v.phase > 0) == inn).all() and ((v.round >= 0) == inn).all()
    resists = np.array([s.resists for s in net.states])
    # a state that does not resist is occupied only by an attack, never given a side by one
    assert not (v.occupied & resists).any()
    assert (v.size >= 2).all() and (v.size <= n_states).all()


# ---------------------------------------------------------------- Monte Carlo against exact enumeration
def test_monte_carlo_agrees_with_exact_enumeration_on_1914():
    m = load_network(JULY_1914)
    ex = cascade_distribution(m.network, m.attack, honour=0.745)
    assert ex.method == "exact"
    mc = cascade_distribution(m.network, m.attack, honour=0.745, method="monte_carlo", draws=40_000, seed=11)
    assert mc.samples is not None and mc.samples.draws == 40_000
    for s in ex.p_enter:
        se = np.sqrt(ex.p_enter[s] * (1 - ex.p_enter[s]) / 40_000)
        assert abs(mc.p_enter[s] - ex.p_enter[s]) <= 5 * se + 1e-12, s
    for n, p in ex.size_pmf.items():
        assert abs(mc.size_pmf.get(n, 0.0) - p) <= 5 * np.sqrt(p * (1 - p) / 40_000) + 1e-12, n
    assert abs(mc.expected_size - ex.expected_size) < 0.05
    tree = cascade_distribution(m.network, m.attack, honour=0.745, method="monte_carlo", draws=40_000, seed=11,
                                engine="tree")
    assert tree.leaves and tree.samples is None
    for s in ex.p_enter:
        assert abs(tree.p_enter[s] - mc.p_enter[s]) <= 7 * np.sqrt(0.25 / 40_000 * 2), s


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), n_states=st.integers(3, 7), n_commitments=st.integers(1, 6))
def test_monte_carlo_agrees_with_exact_enumeration_on_random_networks(seed, n_states, n_commitments):
    net = _network(seed, n_states, n_commitments, 1, True)
    assume(net is not None)
    attack = (net.state_names[0], net.state_names[1])
    try:
        ex = cascade_distribution(net, attack, method="exact", max_leaves=256)
    except ModelError:
        assume(False)
    n = 20_000
    mc = cascade_distribution(net, attack, method="monte_carlo", draws=n, seed=seed % 1000)
    for s in ex.p_enter:
        se = np.sqrt(ex.p_enter[s] * (1 - ex.p_enter[s]) / n)
        assert abs(mc.p_enter[s] - ex.p_enter[s]) <= 5 * se + 1e-9, s


def _trio():
    pact = Commitment("abc", "three-way pact", "defence", ["A", "B", "C"], honour=0.5)
    return AllianceNetwork([State(s) for s in "ABCD"], [pact])


def test_shared_draws_decide_a_commitment_once_for_all_its_parties():
    # D attacks A; B and C are each bound to A by one pact honoured with probability 1/2.
    n = 20_000
    ind = cascade_distribution(_trio(), ("D", "A"), method="monte_carlo", draws=n, seed=5).samples
    shr = cascade_distribution(_trio(), ("D", "A"), method="monte_carlo", draws=n, seed=5, shared=True).samples
    b, c = ind.states.index("B"), ind.states.index("C")
    both = lambda s: float((s.entered[:, b] & s.entered[:, c]).mean())
    one = lambda s: float((s.entered[:, b] ^ s.entered[:, c]).mean())
    se = np.sqrt(0.25 / n)
    assert abs(both(ind) - 0.25) < 5 * se and abs(one(ind) - 0.5) < 5 * se      # independent: 1/4, 1/2
    assert abs(both(shr) - 0.5) < 5 * se and one(shr) == 0.0                      # shared: 1/2, never one


def test_seeded_monte_carlo_is_reproducible():
    net = _trio()
    a = cascade_distribution(net, ("D", "A"), method="monte_carlo", draws=5000, seed=9)
    b = cascade_distribution(net, ("D", "A"), method="monte_carlo", draws=5000, seed=9)
    np.testing.assert_array_equal(a.samples.side, b.samples.side)


# ---------------------------------------------------------------- the compiled kernel
def _same_draws(a, b):
    return all(np.array_equal(getattr(a, f), getattr(b, f)) for f in ("side", "round", "phase", "occupied"))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**31), n_states=st.integers(3, 11), n_commitments=st.integers(1, 14),
       n_plans=st.integers(0, 3), dated=st.booleans(), shared=st.booleans(), chunk=st.sampled_from([None, 7]),
       threads=st.sampled_from([1, 2]))
def test_seeded_draws_depend_only_on_seed_draw_and_commitment(seed, n_states, n_commitments, n_plans, dated,
                                                              shared, chunk, threads):
    # a draw's honour decisions are a function of (seed, draw index, obligation or commitment) only: the
    # numpy engine in chunks of any size and the numba kernel on any number of threads give the same
    # cascades draw by draw, and these are the scalar engine's cascades for the rows of honour_matrix
    net = _network(seed, n_states, n_commitments, n_plans, dated)
    assume(net is not None)
    r = np.random.default_rng(seed)
    a, t = (net.state_names[i] for i in r.choice(n_states, 2, replace=False))
    probs = {k: float(p) for k, p in zip(honour_keys(net), r.choice([0.0, 0.3, 0.745, 1.0], len(honour_keys(net))))}
    out = {}
    for kernel in KERNELS:
        rng = np.random.default_rng(seed + 1)
        with mock.patch.object(vectorised, "chunk_size", (lambda n_states: chunk) if chunk else vectorised.chunk_size):
            if kernel == "numba":
                import numba
                before = numba.get_num_threads()
                numba.set_num_threads(min(threads, numba.config.NUMBA_NUM_THREADS))
                try:
                    got = cascade_draws(net, (a, t), probs, rng=rng, draws=60, shared=shared, kernel=kernel)
                finally:
                    numba.set_num_threads(before)
            else:
                got = cascade_draws(net, (a, t), probs, rng=rng, draws=60, shared=shared, kernel=kernel)
        out[kernel] = (got, rng.random())
        assert got.kernel == kernel
    if "numba" in out:
        assert _same_draws(out["numpy"][0], out["numba"][0])
        assert out["numpy"][1] == out["numba"][1]        # the generator advanced alike (one 64-bit draw)
    key = stream_key(np.random.default_rng(seed + 1))
    H = honour_matrix(net, probs, key, 60, shared=shared)
    side, rnd, phase, occ = scalar_arrays(net, (a, t), H)
    v = out["numpy"][0]
    assert np.array_equal(v.side, side) and np.array_equal(v.round, rnd)
    assert np.array_equal(v.phase, phase) and np.array_equal(v.occupied, occ)
    # a later stretch of draws: honour_matrix(first=...) gives the same rows as the full run's
    np.testing.assert_array_equal(honour_matrix(net, probs, key, 20, shared=shared, first=40), H[40:])
    if shared:       # the obligations of one commitment with one probability share its decision in every draw
        cp = [(o.commitment.id, probs[o.key]) for o in net.obligations() if o.commitment.fighting]
        for c in set(cp):
            cols = [j for j, x in enumerate(cp) if x == c]
            assert (H[:, cols] == H[:, cols[:1]]).all()


def test_a_draw_does_not_depend_on_how_many_draws_run():
    # draw d of a run of 50 is draw d of a run of 500 (same seed): nothing is drawn per chunk or per round
    m = load_network(JULY_1914)
    probs = {k: 0.745 for k in honour_keys(m.network)}
    for kernel in KERNELS:
        small = cascade_draws(m.network, m.attack, probs, rng=np.random.default_rng(8), draws=50, kernel=kernel)
        big = cascade_draws(m.network, m.attack, probs, rng=np.random.default_rng(8), draws=500, kernel=kernel)
        assert np.array_equal(small.side, big.side[:50]) and np.array_equal(small.round, big.round[:50])
    assert not np.array_equal(big.side[:50], big.side[50:100])     # and the draws are not all alike


def test_the_kernels_agree_on_1914_and_a_dense_web():
    pytest.importorskip("numba")
    m = load_network(JULY_1914)
    a = cascade_draws(m.network, m.attack, {}, rng=np.random.default_rng(4), draws=3000, kernel="numpy")
    b = cascade_draws(m.network, m.attack, {}, rng=np.random.default_rng(4), draws=3000, kernel="numba")
    assert _same_draws(a, b)
    net = random_network(2, n_states=70, n_commitments=240, n_plans=4)   # two 64-bit words per set of states
    probs = {k: 0.7 for k in honour_keys(net)}
    a = cascade_draws(net, ("S0", "S1"), probs, rng=np.random.default_rng(5), draws=400, kernel="numpy")
    b = cascade_draws(net, ("S0", "S1"), probs, rng=np.random.default_rng(5), draws=400, kernel="numba")
    assert _same_draws(a, b) and a.size.mean() > 10


def test_the_kernel_is_chosen_and_named():
    net = _trio()
    with mock.patch.object(_kernel, "AVAILABLE", False):
        with pytest.raises(ModelError, match="kernel='numba' needs numba"):
            cascade_draws(net, ("D", "A"), np.ones((1, 6), bool), kernel="numba")
        assert cascade_draws(net, ("D", "A"), np.ones((1, 6), bool)).kernel == "numpy"     # auto, without numba
    with pytest.raises(ModelError, match="kernel must be 'auto', 'numba' or 'numpy'"):
        cascade_draws(net, ("D", "A"), np.ones((1, 6), bool), kernel="gpu")
    auto = cascade_draws(net, ("D", "A"), np.ones((1, 6), bool)).kernel
    assert auto == ("numba" if _kernel.AVAILABLE else "numpy")


# ---------------------------------------------------------------- bad input
def test_bad_input_is_refused_with_the_reason():
    net = _trio()
    with pytest.raises(ModelError, match="boolean draws x 6"):
        cascade_draws(net, ("D", "A"), np.ones((3, 5), bool))
    with pytest.raises(ModelError, match="boolean draws x 6"):
        cascade_draws(net, ("D", "A"), np.ones((3, 6)))
    with pytest.raises(ModelError, match="random generator"):
        cascade_draws(net, ("D", "A"), {})
    with pytest.raises(ModelError, match="draws must be a positive integer"):
        cascade_draws(net, ("D", "A"), {}, rng=np.random.default_rng(0), draws=0)
    with pytest.raises(ModelError, match="no state 'Z'"):
        cascade_draws(net, ("Z", "A"), np.ones((1, 6), bool))
    with pytest.raises(ModelError, match="cannot attack itself"):
        cascade_draws(net, ("A", "A"), np.ones((1, 6), bool))
    with pytest.raises(ModelError, match="not a fighting obligation"):
        cascade_draws(net, ("D", "A"), {("abc", "B", "Z"): 0.5}, rng=np.random.default_rng(0), draws=3)
    with pytest.raises(ModelError, match=r"must be a probability in \[0, 1\]"):
        cascade_draws(net, ("D", "A"), {("abc", "B", "A"): 1.5}, rng=np.random.default_rng(0), draws=3)
    with pytest.raises(ModelError, match="not a fighting obligation"):
        honour_matrix(net, {("abc", "B", "Z"): 0.5}, 1, 3)
    with pytest.raises(ModelError, match="must be a probability"):
        honour_matrix(net, {("abc", "B", "A"): 1.5}, 1, 3)
    with pytest.raises(ModelError, match="draws must be"):
        honour_matrix(net, {}, 1, -1)
    with pytest.raises(ModelError, match="shared draws apply to honour probabilities"):
        cascade_draws(net, ("D", "A"), np.ones((1, 6), bool), shared=True)
    with pytest.raises(ModelError, match="boolean matrix or a mapping"):
        cascade_draws(net, ("D", "A"), 0.5, rng=np.random.default_rng(0), draws=3)
    with pytest.raises(ModelError, match="engine must be"):
        cascade_distribution(net, ("D", "A"), method="monte_carlo", engine="gpu")


def test_cli_cascade_draws_use_the_vectorised_engine(capsys):
    import json

    from deterrence.cli import main
    h = 0.745
    assert main(["cascade", "july_1914", "--honour", str(h), "--draws", "20000", "--seed", "3", "--json"]) == 0
    s = json.loads(capsys.readouterr().out)["stochastic"]
    assert s["method"] == "monte_carlo" and s["engine"] == "vectorised" and s["draws"] == 20_000
    assert s["kernel"] == ("numba" if _kernel.AVAILABLE else "numpy")
    # the chain in closed form (tests/test_networks.py): Germany h^2, Britain h^3, Japan h^4
    for state, p in (("Germany", h ** 2), ("Britain", h ** 3), ("Japan", h ** 4), ("Italy", 0.0)):
        assert abs(s["p_enter"][state] - p) <= 5 * np.sqrt(p * (1 - p) / 20_000) + 1e-12, state


def test_example_runs_and_draws_its_figure(tmp_path):
    import os
    import subprocess
    import sys
    png = tmp_path / "mc.png"
    env = dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, str(ROOT / "examples" / "cascade_monte_carlo.py"), "--plot", str(png)],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().splitlines()[-1].startswith("OK:")
    assert "Britain" in proc.stdout and png.stat().st_size > 10_000
