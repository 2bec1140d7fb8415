"""Private misperception in the noisy repeated Prisoner's Dilemma (issue 10, section 2: noise as misperception).

Expected values come from (a) a seeded simulation written here as a plain Python loop over rounds, independent of
the package's chains and of its vectorized ``simulate``; (b) closed forms derived by hand (stated at each test):
Nowak and Sigmund's (1990) stationary cooperation of reactive strategies, Kac's return-time formula, and the
exclusive-or of two independent flips; (c) the execution-noise chain at zero perception noise; (d) two different
exact constructions (the 16-state chain of the players' records against the 4-state chain of actual outcomes, and
against the chain on pairs of automaton states).
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from deterrence.arms import check_transparency_claims, compare_channels, spiral_table, transparency_region
from deterrence.dynamics.misperception import JOINT_STATES, misperception_match, perception_transition
from deterrence.dynamics.repeated import (STRATEGIES, automaton_chain, grudger, memory_one, noisy_match, simulate,
                                          tit_for_two_tats)
from deterrence.errors import ModelError

AXL = (5, 3, 1, 0)
V = {name: STRATEGIES[name].memory_one for name in STRATEGIES}


# ------------------------------------------------------------------ an independent simulation (plain Python)
def _play(p, q, noise, perception, turns, seed):
    """Rounds of a match with private misreads; returns actual outcomes (0..3) and, per round, whether a move was
    misread.  Each player keeps (own move, its reading of the other's move) and cooperates first."""
    rng = random.Random(seed)
    rec1 = rec2 = None
    out, mis = [], []
    for _ in range(turns):
        c1 = 1.0 if rec1 is None else p[rec1]
        c2 = 1.0 if rec2 is None else q[rec2]
        a1 = (0 if rng.random() < c1 else 1) ^ (rng.random() < noise)        # 1 = defect, flipped by an accident
        a2 = (0 if rng.random() < c2 else 1) ^ (rng.random() < noise)
        r1 = a2 ^ (rng.random() < perception)                                # player 1's reading of 2's move
        r2 = a1 ^ (rng.random() < perception)
        rec1, rec2 = 2 * a1 + r1, 2 * a2 + r2
        out.append(2 * a1 + a2)
        mis.append(r1 != a2 or r2 != a1)
    return out, mis


def _spirals(out, mis):
    """Completed spirals (runs without actual CC between two CC rounds) and whether the CC before was misread."""
    lengths, started_mis = [], []
    last_cc = None
    for t, o in enumerate(out):
        if o == 0:
            if last_cc is not None and t - last_cc > 1:
                lengths.append(t - last_cc - 1)
                started_mis.append(mis[last_cc])
            last_cc = t
    return lengths, started_mis


@pytest.mark.parametrize("p,q,noise,perception", [
    (V["tit_for_tat"], V["tit_for_tat"], 0.0, 0.05),
    (V["win_stay_lose_shift"], V["win_stay_lose_shift"], 0.0, 0.1),
    (V["generous_tit_for_tat"], V["win_stay_lose_shift"], 0.02, 0.05),
    ((0.9, 0.2, 0.6, 0.3), (1.0, 0.1, 0.0, 0.7), 0.03, 0.08),
])
def test_exact_joint_chain_against_a_plain_simulation(p, q, noise, perception):
    m = misperception_match(np.array(p), np.array(q), perception, noise)
    freqs, lens, smis, rec1 = [], [], [], []
    for k in range(8):
        out, mis = _play(p, q, noise, perception, 6000, seed=100 + k)
        o = np.array(out[100:])
        freqs.append([(o == s).mean() for s in range(4)])
        le, sm = _spirals(out, mis)
        lens += le
        smis += sm
    freqs = np.array(freqs)
    se = freqs.std(0, ddof=1) / np.sqrt(freqs.shape[0])
    assert np.all(np.abs(freqs.mean(0) - m.outcome) <= 5 * se + 3e-3), (freqs.mean(0), m.outcome)
    lens = np.array(lens, dtype=float)
    assert lens.size > 300
    assert abs(lens.mean() - m.spiral_length) <= 5 * lens.std(ddof=1) / np.sqrt(lens.size) + 0.02 * m.spiral_length
    share = np.mean(smis)
    assert abs(share - m.misperceived_start) <= 5 * np.sqrt(share * (1 - share) / len(smis)) + 0.01
    # spirals per round: completed spirals over rounds played
    rate = lens.size / (8 * 6000)
    assert abs(rate - m.spiral_rate) <= 5 * np.sqrt(m.spiral_rate / (8 * 6000)) + 0.002


def test_pure_misperception_starts_every_spiral_with_a_misread():
    # nice strategies cooperate after a correctly read CC: with no accidents, only a misread can end it
    for s in ("tit_for_tat", "win_stay_lose_shift", "generous_tit_for_tat"):
        assert np.allclose(misperception_match(s, s, np.array([0.01, 0.1])).misperceived_start, 1.0)
    assert np.allclose(misperception_match("tit_for_tat", "tit_for_tat", 1e-9, 0.05).misperceived_start, 0, atol=1e-6)


# ------------------------------------------------------------------ zero perception noise: the execution chain
def test_zero_perception_noise_is_the_execution_noise_chain():
    rng = np.random.default_rng(4)
    p, q = rng.uniform(0, 1, (30, 4)), rng.uniform(0, 1, (30, 4))
    e = rng.uniform(0.01, 0.45, 30)
    m = misperception_match(p, q, 0.0, e)
    n = noisy_match(p, q, e)
    assert np.allclose(m.outcome, n.stationary, atol=1e-12)
    assert np.allclose(m.record_row, n.stationary, atol=1e-12)            # every record is the actual outcome
    assert np.allclose(m.payoff_row, n.payoff_row) and np.allclose(m.payoff_col, n.payoff_col)
    assert np.allclose(m.spiral_length, n.spiral_length, rtol=1e-9)
    assert np.allclose(m.spiral_rate, n.spiral_rate, rtol=1e-9)
    # the recovery time from a joint state with matching records is the execution chain's from that outcome
    for s in range(4):
        k = 4 * s + [0, 2, 1, 3][s]
        assert np.allclose(m.recovery_time[:, k], n.recovery_time[:, s], rtol=1e-9)
    assert np.allclose(misperception_match(p, q, 0.0, e).misperceived_start, 0.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=8, max_size=8), st.floats(0.005, 0.45), st.floats(0.0, 0.45))
def test_joint_chain_and_actual_outcome_chain_agree(pq, noise, perception):
    p, q = np.array(pq[:4]), np.array(pq[4:])
    m = misperception_match(p, q, perception, noise)
    n = noisy_match(p, q, noise, perception_noise=perception)
    assert np.allclose(m.outcome, n.stationary, atol=1e-9)
    assert np.allclose(m.cooperation, n.cooperation, atol=1e-9)
    if np.isfinite(n.spiral_length):
        assert m.spiral_length == pytest.approx(float(n.spiral_length), rel=1e-6)


# ------------------------------------------------------------------ invariants (hypothesis)
def _match_or_accepted_refusal(p, q, perception, noise, payoffs):
    """misperception_match, or None where its refusal is expected: several recurrent classes (possible only
    without accidents), or probabilities too small for floating point to resolve.  A transition probability is a
    product of the two players' move probabilities, so it falls below ~1e-16 (the refusal's bound) only if some
    input is within 1e-8 of 0 or 1 (e.g. always-defect against itself with noise 4e-11: leaving mutual defection
    takes noise^2 = 1.6e-21)."""
    try:
        return misperception_match(p, q, perception, noise, payoffs)
    except ModelError as exc:
        x = np.concatenate([p, q, [noise]])
        tiny = np.any((x > 0) & (x < 1e-8)) or np.any((1 - x > 0) & (1 - x < 1e-8))
        assert ("recurrent class" in str(exc) and noise == 0) or ("floating point" in str(exc) and tiny), exc
        return None


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 1), min_size=8, max_size=8), st.floats(0.0, 0.45), st.floats(0.005, 0.45),
       st.sampled_from([(5, 3, 1, 0), (4, 3, 1, 0), (2.5, 1, 0, -1.5)]))
@example([0.0, 1.0, 1.089209900957271e-277, 0.0, 0.0, 0.0, 0.0, 0.0], 0.0, 0.25, (5, 3, 1, 0))  # (p, q) solves, (p, p) refused
def test_invariants(pq, noise, perception, payoffs):
    p, q = np.array(pq[:4]), np.array(pq[4:])
    m = _match_or_accepted_refusal(p, q, perception, noise, payoffs)
    if m is None:
        return
    T, R, P, S = payoffs
    pi = m.stationary
    assert np.all(pi >= 0) and pi.sum() == pytest.approx(1) and np.allclose(pi @ m.transition, pi, atol=1e-10)
    assert np.allclose(m.transition.sum(-1), 1)
    for d in (m.outcome, m.record_row, m.record_col):
        assert np.all(d >= -1e-15) and d.sum() == pytest.approx(1)
    assert S - 1e-9 <= m.payoff_row <= T + 1e-9 and S - 1e-9 <= m.payoff_col <= T + 1e-9
    # a record is the actual outcome with the other's move misread with probability perception (by hand)
    o = m.outcome
    expect_row = (1 - perception) * o + perception * o[[1, 0, 3, 2]]
    o_col = o[[0, 2, 1, 3]]                                  # the actual outcome from the column player's side
    expect_col = (1 - perception) * o_col + perception * o_col[[1, 0, 3, 2]]
    assert np.allclose(m.record_row, expect_row, atol=1e-10) and np.allclose(m.record_col, expect_col, atol=1e-10)
    assert np.isnan(m.spiral_length) or m.spiral_length >= 1
    assert np.isnan(m.misperceived_start) or -1e-12 <= m.misperceived_start <= 1 + 1e-12
    # symmetry: the same strategy on both sides
    s = _match_or_accepted_refusal(p, p, perception, noise, payoffs)
    if s is None:
        return
    assert s.payoff_row == pytest.approx(float(s.payoff_col), abs=1e-9)
    assert s.outcome[1] == pytest.approx(float(s.outcome[2]), abs=1e-10)
    assert np.allclose(s.record_row, s.record_col, atol=1e-10)


# ------------------------------------------------------------------ closed forms
def _reactive_closed_form(x1, y1, x2, y2, noise, perception):
    """Reactive strategies (cooperate with x after reading C, y after reading D).  With misreads at rate ep and
    flips at rate e, player i cooperates after the other's *actual* C with a_i = e + (1-2e)((1-ep) x_i + ep y_i)
    and after an actual D with b_i = e + (1-2e)((1-ep) y_i + ep x_i): a reactive strategy on actual moves.
    Nowak and Sigmund (1990, Acta Appl. Math. 20: 247-265): the long-run cooperation is s1 = (b1 + r1 b2)/(1 - r1 r2),
    s2 = (b2 + r2 b1)/(1 - r1 r2), r_i = a_i - b_i; a1_t and a2_t descend from independent noise streams, so
    pi_CC = s1 s2; and Kac's formula on the (Markov) actual outcomes gives the spiral length
    (1/pi_CC - 1)/(1 - a1 a2)."""
    a1 = noise + (1 - 2 * noise) * ((1 - perception) * x1 + perception * y1)
    b1 = noise + (1 - 2 * noise) * ((1 - perception) * y1 + perception * x1)
    a2 = noise + (1 - 2 * noise) * ((1 - perception) * x2 + perception * y2)
    b2 = noise + (1 - 2 * noise) * ((1 - perception) * y2 + perception * x2)
    r1, r2 = a1 - b1, a2 - b2
    s1 = (b1 + r1 * b2) / (1 - r1 * r2)
    s2 = (b2 + r2 * b1) / (1 - r1 * r2)
    cc = s1 * s2
    return cc, s1 * (1 - s2), (1 / cc - 1) / (1 - a1 * a2)


@pytest.mark.parametrize("x1,y1,x2,y2", [(1, 0, 1, 0), (1, 1 / 3, 1, 1 / 3), (1, 1 / 3, 1, 0), (0.9, 0.2, 0.7, 0.4)])
def test_reactive_strategies_nowak_sigmund(x1, y1, x2, y2):
    e = np.array([0.0, 0.0, 0.01, 0.05, 0.1])
    ep = np.array([0.01, 0.2, 0.05, 0.0, 0.1])
    keep = (e > 0) | (ep > 0)
    m = misperception_match(np.array([x1, y1, x1, y1]), np.array([x2, y2, x2, y2]), ep[keep], e[keep])
    cc, cd, L = _reactive_closed_form(x1, y1, x2, y2, e[keep], ep[keep])
    assert np.allclose(m.cooperation, cc, rtol=1e-9) and np.allclose(m.outcome[:, 1], cd, rtol=1e-9)
    assert np.allclose(m.spiral_length, L, rtol=1e-9)


def test_tit_for_tat_and_wsls_misread_as_misexecuted():
    """TFT and WSLS answer a misread move exactly as a misexecuted one (p_CC + p_CD = 1, p_DC + p_DD = 1), so with
    both noises the actual moves are those of execution noise alone at rate e + ep - 2 e ep (exactly one of the
    two independent flips).  TFT: pi uniform 1/4 and spirals of 3/(2x - x^2) rounds (doubly stochastic chain);
    WSLS: pi_CC = (1 - 2x(1-x))(1-x)^2 + 2x(1-x) x^2 (the mixed outcome follows exactly one flip)."""
    e, ep = np.meshgrid([0.0, 0.01, 0.1], [0.005, 0.05, 0.2])
    x = e + ep - 2 * e * ep
    t = misperception_match("tit_for_tat", "tit_for_tat", ep, e)
    assert np.allclose(t.outcome, 0.25) and np.allclose(t.spiral_length, 3 / (2 * x - x ** 2))
    w = misperception_match("win_stay_lose_shift", "win_stay_lose_shift", ep, e)
    mixed = 2 * x * (1 - x)
    assert np.allclose(w.cooperation, (1 - mixed) * (1 - x) ** 2 + mixed * x ** 2)
    assert np.allclose(w.outcome[..., 1] + w.outcome[..., 2], mixed)


def test_grim_and_unconditional_strategies_under_pure_misperception():
    # grim (1, 0, 0, 0): once it defects it ignores what it reads, and without accidents it never cooperates
    # again: mutual defection absorbs; a spiral never ends
    g = misperception_match("grim_trigger", "grim_trigger", np.array([0.01, 0.1]))
    assert np.allclose(g.mutual_defection, 1) and np.all(np.isinf(g.spiral_length)) and np.all(g.spiral_rate == 0)
    not_cc = np.array([not (lab[0] == "C" and lab[3] == "C") for lab in JOINT_STATES])      # actual moves
    assert np.all(np.isinf(g.recovery_time[:, not_cc])) and np.all(g.recovery_time[:, ~not_cc] == 0)
    # always defect ignores what it reads; tit-for-tat against it cooperates exactly when it misreads (DC w.p. 0.1);
    # always cooperate against itself: no spiral ever starts
    d = misperception_match("always_defect", "tit_for_tat", 0.1)
    assert np.allclose(d.outcome, [0, 0, 0.1, 0.9]) and np.isinf(d.spiral_length)
    c = misperception_match("always_cooperate", "always_cooperate", 0.1)
    assert c.cooperation == pytest.approx(1) and np.isnan(c.spiral_length) and c.spiral_rate == 0


# ------------------------------------------------------------------ longer memory: automata
def test_automaton_chain_with_misreads():
    # a memory-one strategy as an automaton (25 states, start included) gives the joint chain's long run
    p = np.array([1.0, 0.25, 0.5, 0.75])
    M, out = automaton_chain(memory_one(p), memory_one(p), 0.02, 0.07)
    A = M.T - np.eye(25)
    A[-1] = 1
    pi = np.linalg.solve(A, np.eye(25)[-1])
    assert np.allclose(pi @ out, misperception_match(p, p, 0.07, 0.02).outcome, atol=1e-10)
    # tit-for-two-tats (memory two) under misperception: exact chain against the plain simulation
    M2, out2 = automaton_chain(tit_for_two_tats(), tit_for_two_tats(), 0.0, 0.05)
    A = M2.T - np.eye(9)
    A[-1] = 1
    exact = np.linalg.solve(A, np.eye(9)[-1]) @ out2
    rng = random.Random(3)
    freq = np.zeros(4)
    for _ in range(6):                                        # plain loop over rounds, states = other's D streak
        k1 = k2 = 0
        for t in range(4000):
            a1, a2 = int(k1 >= 2), int(k2 >= 2)
            r1, r2 = a2 ^ (rng.random() < 0.05), a1 ^ (rng.random() < 0.05)
            k1, k2 = (min(k1 + 1, 2) if r1 else 0), (min(k2 + 1, 2) if r2 else 0)
            if t >= 100:
                freq[2 * a1 + a2] += 1
    assert np.allclose(freq / freq.sum(), exact, atol=0.01)
    # grudger: a phantom defection is a grudge for ever, for both: mutual grudge absorbs
    Mg, _ = automaton_chain(grudger(), grudger(), 0.0, 0.05)
    assert Mg[3, 3] == pytest.approx(1) and Mg[0, 0] == pytest.approx(0.95 ** 2)
    sim = simulate("grudger", "grudger", 0.0, turns=400, matches=100, seed=1, perception_noise=0.05)
    assert np.all(sim.outcomes[:, -50:] == 3)
    tab = spiral_table("grudger", 0.0, perception_noise=np.array([0.05]))
    assert tab["cooperation"][0] == 0 and tab["first_breakdown"][0] == pytest.approx(1 / (1 - 0.95 ** 2))


def test_vectorized_simulate_with_misreads_against_the_exact_chain():
    sim = simulate("generous_tit_for_tat", "win_stay_lose_shift", 0.01, turns=3000, matches=40, seed=3,
                   perception_noise=0.06)
    m = misperception_match("generous_tit_for_tat", "win_stay_lose_shift", 0.06, 0.01)
    burn = sim.outcomes[:, 200:]
    freq = np.array([(burn == s).mean() for s in range(4)])
    se = np.array([(burn == s).mean(1).std(ddof=1) for s in range(4)]) / np.sqrt(burn.shape[0])
    assert np.all(np.abs(freq - m.outcome) <= 5 * se + 2e-3)


# ------------------------------------------------------------------ batching and bad input
def test_batched_equals_one_at_a_time():
    ep = np.array([0.01, 0.1, 0.3])
    e = np.array([0.0, 0.02])
    strat = np.array([V["tit_for_tat"], V["generous_tit_for_tat"], [0.8, 0.1, 0.4, 0.6]])
    b = misperception_match(strat[:, None, None, :], strat[:, None, None, :], ep[None, :, None], e[None, None, :])
    assert b.transition.shape == (3, 3, 2, 16, 16) and b.noise.shape == (3, 3, 2)
    for i in range(3):
        for j in range(3):
            for k in range(2):
                one = misperception_match(strat[i], strat[i], ep[j], e[k])
                assert b.payoff_row[i, j, k] == pytest.approx(float(one.payoff_row))
                assert b.spiral_length[i, j, k] == pytest.approx(float(one.spiral_length))
    assert len(JOINT_STATES) == 16 and JOINT_STATES[4 * 1 + 2] == "CD|DC"
    assert perception_transition(V["tit_for_tat"], V["tit_for_tat"], 0.0, ep).shape == (3, 16, 16)


def test_bad_input_names_the_culprit():
    with pytest.raises(ModelError, match="perception_noise"):
        misperception_match("tit_for_tat", "tit_for_tat", 1.0)
    with pytest.raises(ModelError, match="perception_noise"):
        noisy_match("tit_for_tat", "tit_for_tat", 0.1, perception_noise=-0.1)
    with pytest.raises(ModelError, match="noise = 0"):
        noisy_match("tit_for_tat", "tit_for_tat", 0.0)                  # no noise at all: refused as before
    with pytest.raises(ModelError, match="recurrent class"):
        misperception_match("tit_for_tat", "tit_for_tat", 0.0, 0.0)
    with pytest.raises(ModelError, match="recurrent class"):           # "repeat your own move" keeps its first move
        noisy_match([1, 1, 0, 0], [1, 1, 0, 0], 0.0, perception_noise=0.1)
    with pytest.raises(ModelError, match="broadcast"):
        misperception_match(np.ones((2, 4)), np.ones((3, 4)), 0.1)
    with pytest.raises(ModelError, match="memory-one"):
        misperception_match(grudger(), "tit_for_tat", 0.1)
    with pytest.raises(ModelError, match="channel"):
        check_transparency_claims(channel="accident")
    with pytest.raises(ModelError, match="grudger"):
        spiral_table("grudger", 0.0, perception_noise=0.0)


# ------------------------------------------------------------------ claim C5 under misperception
def test_c5_under_misperception():
    v = {(r.strategy, r.claim): r for r in check_transparency_claims(channel="perception")}
    assert all(r.channel == "perception" and r.other_noise == 0 for r in v.values())
    assert all(v[("win_stay_lose_shift", c)].verdict == "holds" for c in
               ("transparency_raises_cooperation", "transparency_shortens_spirals", "transparency_makes_spirals_rarer"))
    assert v[("tit_for_tat", "transparency_raises_cooperation")].verdict == "fails"        # 1/4 at every rate
    assert v[("tit_for_tat", "transparency_shortens_spirals")].verdict == "fails"          # 3/(2x - x^2)
    assert v[("generous_tit_for_tat", "transparency_raises_cooperation")].verdict == "holds"
    assert v[("grim_trigger", "transparency_raises_cooperation")].verdict == "fails"       # 0 at every rate
    assert "perception" in v[("tit_for_tat", "transparency_makes_spirals_rarer")].statement
    # generous TFT: misreads also end spirals (a defection read as cooperation is answered with cooperation), so
    # rarer misreads make its spirals *longer*; the closed form (Nowak-Sigmund and Kac) says so independently
    q = 1 / 3
    e = np.geomspace(1e-3, 0.25, 40)
    _, _, L = _reactive_closed_form(1, q, 1, q, 0.0, e)
    assert np.all(np.diff(L) < 0)
    assert v[("generous_tit_for_tat", "transparency_shortens_spirals")].verdict == "fails"
    # with accidents held at 1%, transparency about intentions still raises WSLS cooperation and shortens spirals
    w = {r.claim: r.verdict for r in check_transparency_claims(("win_stay_lose_shift",), channel="perception",
                                                               other_noise=0.01)}
    assert w["transparency_raises_cooperation"] == "holds" and w["transparency_shortens_spirals"] == "holds"


def test_compare_channels():
    rows = {r.strategy: r for r in compare_channels()}
    for s in ("tit_for_tat", "win_stay_lose_shift"):
        r = rows[s]
        assert r.equivalent and np.allclose(r.cooperation_execution, r.cooperation_perception)
        assert np.allclose(r.spiral_length_execution, r.spiral_length_perception)
    g = rows["generous_tit_for_tat"]
    assert not g.equivalent and np.all(g.cooperation_perception > g.cooperation_execution)
    cc, _, _ = _reactive_closed_form(1, 1 / 3, 1, 1 / 3, 0.0, g.noise)
    assert np.allclose(g.cooperation_perception, cc)
    assert np.all(rows["grim_trigger"].cooperation_perception == 0)
    assert np.all(rows["grim_trigger"].cooperation_execution > 0)


def test_transparency_region_under_misperception():
    noise = np.geomspace(1e-3, 0.25, 12)
    r = transparency_region(0.5, noise=noise, channel="perception")
    idx = {tuple(s): i for i, s in enumerate(r.strategies.tolist())}
    assert not r.judged[idx[(1.0, 1.0, 0.0, 0.0)]] and r.judged.sum() == r.strategies.shape[0] - 1
    assert not any(h[idx[(1.0, 1.0, 0.0, 0.0)]] for h in r.holds.values())
    assert r.holds["transparency_shortens_spirals"][idx[(1.0, 0.0, 0.0, 1.0)]]                # WSLS
    # independently, through the 16-state chain of the records: each judged strategy's verdicts
    for k in np.flatnonzero(r.judged):
        s = r.strategies[k]
        m = misperception_match(s, s, noise)
        assert r.holds["transparency_raises_cooperation"][k] == bool(np.all(np.diff(m.cooperation) < 0))
        with np.errstate(invalid="ignore"):
            shorter = np.all(np.diff(m.spiral_length) > 0)
        assert r.holds["transparency_shortens_spirals"][k] == bool(shorter)


# ------------------------------------------------------------------ the Markov kernels, by brute force
def test_markov_kernels_by_brute_force():
    from deterrence.dynamics.markov import excursions, hitting_times, stationary, unichain
    # states 0..4; 4 is absorbing outside the target {0}; 3 leads to 4 with probability 0.1, so from 3 (and from
    # 2, which can reach 3 without passing 0) the target may never be hit: infinite expected time
    M = np.array([[0.5, 0.5, 0.0, 0.0, 0.0],
                  [0.6, 0.0, 0.4, 0.0, 0.0],
                  [0.3, 0.0, 0.2, 0.5, 0.0],
                  [0.9, 0.0, 0.0, 0.0, 0.1],
                  [0.0, 0.0, 0.0, 0.0, 1.0]])
    h = hitting_times(M, np.array([True, False, False, False, False]))
    assert h[0] == 0 and np.all(np.isinf(h[1:]))              # 1 -> 2 -> 3 -> 4 is possible from 1 too
    M2 = M.copy()
    M2[3] = [1.0, 0, 0, 0, 0]                                 # now only 4 is lost
    h2 = hitting_times(M2, np.array([True, False, False, False, False]))
    x = np.zeros(5)
    for _ in range(3000):                                     # value iteration of h = 1 + Q h on states 1..3
        x = np.concatenate([[0.0], 1 + M2[1:4, 1:4] @ x[1:4], [0.0]])
    assert np.allclose(h2[1:4], x[1:4]) and np.isinf(h2[4])
    assert not unichain(np.array([[1.0, 0], [0, 1.0]])) and unichain(M)
    # a random positive chain: stationary law by power iteration, excursion length by a long simulation
    rng = np.random.default_rng(0)
    P = rng.uniform(0, 1, (4, 4))
    P /= P.sum(1, keepdims=True)
    pi = stationary(P)
    assert np.allclose(pi, np.linalg.matrix_power(P, 200)[0])
    rate, length = excursions(P, pi, np.array([True, True, False, False]))
    r = random.Random(1)
    s, runs, cur, steps = 0, [], 0, 200_000
    cum = np.cumsum(P, 1)
    for _ in range(steps):
        s = int(np.searchsorted(cum[s], r.random(), side="right"))
        if s >= 2:
            cur += 1
        elif cur:
            runs.append(cur)
            cur = 0
    assert abs(np.mean(runs) - length) < 5 * np.std(runs) / np.sqrt(len(runs))
    assert abs(len(runs) / steps - rate) < 5 * np.sqrt(rate / steps)
