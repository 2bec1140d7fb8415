"""The security dilemma, one shot, repeated and noisy (issue 10, section 2).

Expected values come from closed forms derived by hand (the docstring of deterrence.arms.security_dilemma), from the
engine's solvers (one-shot equilibria), from exact best responses on the automata (repeated equilibria), from a
seeded Monte Carlo that plays the automata move by move, and from the axelrod library where it is installed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import deterrence
from deterrence.analysis.claims import check_claims
from deterrence.arms import (balance_payoffs, check_transparency_claims, cooperation_thresholds, one_shot,
                             spiral_table)
from deterrence.dynamics.repeated import (STRATEGIES, automaton_chain, grudger, memory_one, nash_gain, noisy_match,
                                          simulate, spe_gain, stage_payoffs, tit_for_two_tats, transition_matrix)
from deterrence.errors import ModelError
from deterrence.solve import solve_2x2

AXL = (5, 3, 1, 0)
TOL = 1e-9


# ------------------------------------------------------------------ one shot
def test_one_shot_classification_against_the_engine_solver():
    model = deterrence.load_model("security_dilemma")
    G, K = np.meshgrid(np.array([0.0, 0.3, 0.7, 0.95, 1.0, 1.2, 2.5]), np.array([0.2, 0.9, 2.0]), indexing="ij")
    G, K = G.ravel(), K.ravel()
    closed = one_shot(G, K)
    res = solve_2x2(model.at(g=G, k=K))
    gi, row, col = np.asarray(res.game_index), np.asarray(res.row), np.asarray(res.column)
    for b in range(G.size):
        eqs = [(row[i, 0], col[i, 0]) for i in np.flatnonzero(gi == b)]
        cc = any(abs(r - 1) < 1e-9 and abs(c - 1) < 1e-9 for r, c in eqs)
        dd = any(abs(r) < 1e-9 and abs(c) < 1e-9 for r, c in eqs)
        assert dd, "mutual defection is always an equilibrium"
        assert cc == bool(closed.cooperation_equilibrium[b]) == (G[b] <= 1)
        mixed = [r for r, c in eqs if 1e-9 < r < 1 - 1e-9]
        if G[b] < 1:
            assert closed.game_type[b] == "Stag Hunt" and len(mixed) == 1
            assert mixed[0] == pytest.approx(K[b] / (1 - G[b] + K[b]), abs=1e-9)
            assert closed.mixed_cooperation[b] == pytest.approx(mixed[0], abs=1e-9)
        elif G[b] > 1:
            assert closed.game_type[b] == "Prisoner's Dilemma" and len(eqs) == 1 and np.isnan(closed.mixed_cooperation[b])
    # risk dominance by hand: g = 0.3, k = 0.2 (1 - g > k) and g = 0.7, k = 0.9 (not)
    assert one_shot(0.3, 0.2).cooperation_risk_dominant and not one_shot(0.7, 0.9).cooperation_risk_dominant


def test_the_model_file_claims_hold():
    model = deterrence.load_model("security_dilemma")
    res = {r.claim.id: r.verdict for r in check_claims(model, samples=25)}
    assert set(res) == {"offence_dominance_spiral", "defence_dominance_cooperation_possible",
                        "defence_dominance_stag_hunt_three_equilibria", "arms_race_always_an_equilibrium",
                        "cooperation_iff_defence_dominant"}
    assert all(v == "holds" for v in res.values()), res


def test_cooperation_iff_claim_holds_at_the_balance_g_equal_1(tmp_path):
    # at g = 1 (T = R) mutual cooperation is a weak Nash equilibrium (a deviation gains g - 1 = 0), so the iff claim's
    # condition must include the boundary; a random sample of g never hits it, so pin g = 1 with 'fixed'
    src = (Path(__file__).resolve().parents[1] / "models" / "security_dilemma.toml").read_text()
    pinned = src.replace('region = { g = [0, 2], k = [0.05, 3] }', 'region = { k = [0.05, 3] }\nfixed = { g = 1 }')
    assert pinned != src
    path = tmp_path / "security_dilemma_g1.toml"
    path.write_text(pinned)
    res = {r.claim.id: r.verdict for r in check_claims(deterrence.load_model(str(path)), samples=5)}
    assert res["cooperation_iff_defence_dominant"] == "holds", res


def test_one_shot_bad_input_names_the_parameter():
    with pytest.raises(ModelError, match="k"):
        one_shot(1.5, 0.0)
    with pytest.raises(ModelError, match="g"):
        one_shot(-1, 1)
    with pytest.raises(ModelError, match="T > R > P > S"):
        cooperation_thresholds(*balance_payoffs(0.5, 1.0))      # a Stag Hunt is no Prisoner's Dilemma


# ------------------------------------------------------------------ repeated: closed forms against exact best responses
def test_thresholds_by_hand_at_axelrods_payoffs():
    th = cooperation_thresholds(*AXL, generosity=0.25)
    assert th.grim_trigger == pytest.approx(0.5)            # (5-3)/(5-1)
    assert th.tit_for_tat == pytest.approx(2 / 3)           # max(2/4, 2/3)
    assert th.win_stay_lose_shift == pytest.approx(1.0)     # 2R = T + P: never below 1
    assert th.generous_tit_for_tat == pytest.approx(2 / (0.75 * 3))
    assert np.isnan(th.tit_for_tat_spe)


def _random_pd(rng, n):
    x = np.sort(rng.uniform(0, 10, (n, 4)), axis=1)[:, ::-1]
    return [tuple(map(float, r)) for r in x]                 # T > R > P > S


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_closed_forms_against_exact_best_responses(seed):
    rng = np.random.default_rng(seed)
    eps = 1e-5
    checked = {"grim": 0, "tft": 0, "wsls": 0, "gtft": 0}
    for pay in _random_pd(rng, 6):
        th = cooperation_thresholds(*pay, generosity=0.2)
        gt = memory_one([1, 0.2, 1, 0.2], 1.0, "gtft")
        cases = [("grim", "grim_trigger", float(th.grim_trigger), True),
                 ("tft", "tit_for_tat", float(th.tit_for_tat), False),
                 ("wsls", "win_stay_lose_shift", float(th.win_stay_lose_shift), True),
                 ("gtft", gt, float(th.generous_tit_for_tat), False)]
        for key, strat, d0, spe_too in cases:
            above = [d for d in (d0 + eps, (d0 + 1) / 2) if 0 < d < 1 and d0 < 1]
            below = [d for d in (d0 - eps, d0 / 2) if 0 < d < 1]
            if above:
                assert np.all(nash_gain(strat, strat, np.array(above), pay) <= TOL), (key, pay, d0)
                if spe_too:
                    assert np.all(spe_gain(strat, strat, np.array(above), pay) <= TOL), (key, pay, d0)
                checked[key] += 1
            if below and d0 < 1 + 1e-12:
                assert np.all(nash_gain(strat, strat, np.array([min(b, 0.999) for b in below]), pay) > 1e-12), (key, pay)
            if d0 >= 1:                                       # never: fails even at delta = 0.999
                assert nash_gain(strat, strat, 0.999, pay) > 0, (key, pay, d0)
    assert checked["grim"] > 0 and checked["tft"] > 0


def test_wsls_threshold_where_it_is_below_one():
    pay = (4.0, 3.0, 1.0, 0.0)                                # 2R = 6 > T + P = 5
    d0 = float(cooperation_thresholds(*pay).win_stay_lose_shift)
    assert d0 == pytest.approx(0.5)
    d = np.array([d0 - 1e-4, d0 + 1e-4, 0.9])
    ok_nash = nash_gain("win_stay_lose_shift", "win_stay_lose_shift", d, pay) <= TOL
    ok_spe = spe_gain("win_stay_lose_shift", "win_stay_lose_shift", d, pay) <= TOL
    assert ok_nash.tolist() == [False, True, True] and ok_spe.tolist() == [False, True, True]


def test_tit_for_tat_is_subgame_perfect_only_on_the_knife_edge():
    d = np.linspace(0.01, 0.99, 99)
    generic = (5.0, 3.0, 1.0, 0.0)
    assert np.all(spe_gain("tit_for_tat", "tit_for_tat", d, generic) > 1e-9)
    knife = (3.0, 2.0, 1.0, 0.0)                              # (T-R)/(R-S) = (P-S)/(T-P) = 1/2
    assert cooperation_thresholds(*knife).tit_for_tat_spe == pytest.approx(0.5)
    assert spe_gain("tit_for_tat", "tit_for_tat", 0.5, knife) <= TOL
    assert np.all(spe_gain("tit_for_tat", "tit_for_tat", np.array([0.45, 0.55]), knife) > 1e-6)
    # the one-shot deviation from mutual cooperation alone is weaker than the Nash bound when T-P < R-S
    pay = (5.0, 4.0, 2.0, 0.0)                                # (T-R)/(R-S) = 1/4 < (T-R)/(T-P) = 1/3
    th = cooperation_thresholds(*pay)
    assert th.tit_for_tat_one_shot == pytest.approx(0.25) and th.tit_for_tat == pytest.approx(1 / 3)
    assert nash_gain("tit_for_tat", "tit_for_tat", 0.3, pay) > 1e-9     # always-defect pays at delta = 0.3


def test_grudger_is_nash_above_the_grim_threshold_but_not_subgame_perfect():
    g = grudger()
    d = np.array([0.49, 0.51, 0.8])
    assert (nash_gain(g, g, d, AXL) <= TOL).tolist() == [False, True, True]
    assert np.all(spe_gain(g, g, d, AXL) > 1e-9)             # after its own defection it should punish itself


# ------------------------------------------------------------------ noise: exact chains
def test_tit_for_tat_chain_is_doubly_stochastic_uniform():
    e = np.array([1e-3, 0.05, 0.3])
    m = noisy_match("tit_for_tat", "tit_for_tat", e)
    assert np.allclose(m.stationary, 0.25, atol=1e-12)
    assert np.allclose(m.payoff_row, sum(AXL) / 4)
    # from DD both must err to leave: the spell lasts 1/(1 - (1-e)^2) rounds
    assert np.allclose(m.defection_spell, 1 / (1 - (1 - e) ** 2))
    # Kac with pi_CC = 1/4 and M_CC,CC = (1-e)^2: spirals last 3/(2e - e^2) rounds, longer as noise falls
    assert np.allclose(m.spiral_length, 3 / (2 * e - e ** 2))


def test_win_stay_lose_shift_chain_by_hand():
    # WSLS intends C after CC and DD and D after CD and DC: the mixed outcomes (CD or DC) occur iff exactly one
    # move is flipped, so pi_CD + pi_DC = 2e(1-e), and pi_CC = (1 - 2e(1-e))(1-e)^2 + 2e(1-e) e^2
    e = np.array([0.002, 0.05, 0.2])
    m = noisy_match("win_stay_lose_shift", "win_stay_lose_shift", e)
    mixed = 2 * e * (1 - e)
    cc = (1 - mixed) * (1 - e) ** 2 + mixed * e ** 2
    assert np.allclose(m.stationary[:, 1] + m.stationary[:, 2], mixed)
    assert np.allclose(m.cooperation, cc)
    assert np.allclose(m.spiral_length, (1 / cc - 1) / (1 - (1 - e) ** 2))     # Kac; tends to 2 as e -> 0
    assert np.allclose(m.payoff_row, cc * 3 + mixed / 2 * (0 + 5) + (1 - cc - mixed) * 1)


def test_spiral_length_matches_kac_and_recovery_definition():
    rng = np.random.default_rng(3)
    p, q = rng.uniform(0, 1, (50, 4)), rng.uniform(0, 1, (50, 4))
    e = rng.uniform(0.01, 0.4, 50)
    m = noisy_match(p, q, e)
    assert np.allclose(m.stationary.sum(-1), 1) and np.allclose(m.stationary[:, None, :] @ m.transition,
                                                                  m.stationary[:, None, :])
    kac = (1 / m.cooperation - 1) / (1 - m.transition[:, 0, 0])
    assert np.allclose(m.spiral_length, kac, rtol=1e-9)


def test_batched_equals_one_at_a_time():
    e = np.geomspace(1e-3, 0.3, 7)
    pairs = np.array([STRATEGIES[s].memory_one for s in ("tit_for_tat", "win_stay_lose_shift", "grim_trigger")])
    batch = noisy_match(pairs[None, :, None, :], pairs[None, None, :, :], e[:, None, None])   # (noise, row, col)
    for i in range(3):
        for j in range(3):
            for k, ek in enumerate(e):
                one = noisy_match(pairs[i], pairs[j], ek)
                assert batch.payoff_row[k, i, j] == pytest.approx(float(one.payoff_row))


@pytest.mark.parametrize("a,b,noise", [("tit_for_tat", "tit_for_tat", 0.05), ("win_stay_lose_shift",
                                       "win_stay_lose_shift", 0.05), ("generous_tit_for_tat", "tit_for_tat", 0.1),
                                       ("win_stay_lose_shift", "grim_trigger", 0.08),
                                       ("always_defect", "generous_tit_for_tat", 0.02)])
def test_exact_chain_against_seeded_monte_carlo(a, b, noise):
    m = noisy_match(a, b, noise)
    sim = simulate(a, b, noise, turns=3000, matches=60, seed=11)
    burn = sim.outcomes[:, 200:]
    freq = np.array([(burn == s).mean() for s in range(4)])
    # matches are independent: standard error from the spread across matches
    se = np.array([(burn == s).mean(1).std(ddof=1) for s in range(4)]) / np.sqrt(burn.shape[0])
    assert np.all(np.abs(freq - m.stationary) <= 5 * se + 2e-3), (freq, m.stationary)
    spir = sim.spiral_lengths()
    if spir.size > 200:
        assert abs(spir.mean() - m.spiral_length) <= 5 * spir.std(ddof=1) / np.sqrt(spir.size) + 0.02 * m.spiral_length


def test_grudger_exact_chain_and_simulation():
    e = 0.05
    tab = spiral_table("grudger", np.array([e]))
    assert tab["cooperation"][0] == pytest.approx(e ** 2) and np.isinf(tab["spiral_length"][0])
    M, _ = automaton_chain(grudger(), grudger(), e)
    assert M[3, 3] == pytest.approx(1.0)                  # mutual grudge is absorbing
    sim = simulate("grudger", "grudger", e, turns=600, matches=200, seed=5)
    late = sim.outcomes[:, 400:]
    assert abs((late == 0).mean() - e ** 2) < 3e-3 and abs((late == 3).mean() - (1 - e) ** 2) < 0.01
    # tit-for-two-tats (memory two): simulated cooperation at low noise is high, and exact through its automaton
    M2, out2 = automaton_chain(tit_for_two_tats(), tit_for_two_tats(), 0.02)
    A = M2.T - np.eye(9)
    A[-1] = 1
    pi = np.linalg.solve(A, np.eye(9)[-1])
    s2 = simulate("tit_for_two_tats", "tit_for_two_tats", 0.02, turns=3000, matches=40, seed=2)
    assert abs((s2.outcomes[:, 200:] == 0).mean() - pi @ out2[:, 0]) < 0.01


def test_noise_and_strategy_errors():
    with pytest.raises(ModelError, match="noise"):
        noisy_match("tit_for_tat", "tit_for_tat", 0.0)
    with pytest.raises(ModelError, match="noise"):
        noisy_match("tit_for_tat", "tit_for_tat", [0.1, 1.5])
    with pytest.raises(ModelError, match="4 cooperation probabilities"):
        transition_matrix([1, 0, 1], [1, 0, 1, 0], 0.1)
    with pytest.raises(ModelError, match=r"\[0, 1\]"):
        noisy_match([1, 0, 2, 0], [1, 0, 1, 0], 0.1)
    with pytest.raises(ModelError, match="R = 3"):
        stage_payoffs(5, 3, 3, 0)
    with pytest.raises(ModelError, match="delta"):
        nash_gain("tit_for_tat", "tit_for_tat", 1.0)
    with pytest.raises(ModelError, match="memory-one"):
        noisy_match(grudger(), "tit_for_tat", 0.1)


# ------------------------------------------------------------------ claim C5
def test_c5_verdicts_per_strategy():
    v = {(r.strategy, r.claim): r.verdict for r in check_transparency_claims()}
    for s in ("win_stay_lose_shift", "generous_tit_for_tat"):
        assert v[(s, "transparency_raises_cooperation")] == "holds"
        assert v[(s, "transparency_shortens_spirals")] == "holds"
    assert v[("tit_for_tat", "transparency_raises_cooperation")] == "fails"       # flat at 1/4
    assert v[("tit_for_tat", "transparency_shortens_spirals")] == "fails"         # ~ 1/(2 eps)
    assert v[("grim_trigger", "transparency_raises_cooperation")] == "fails"
    assert v[("grudger", "transparency_shortens_spirals")] == "fails"
    assert all(v[(s, "transparency_makes_spirals_rarer")] == "holds" for s in
               ("tit_for_tat", "win_stay_lose_shift", "generous_tit_for_tat", "grim_trigger", "grudger"))


def test_c5_directions_confirmed_by_monte_carlo():
    lo, hi = 0.01, 0.08
    tft_lo = simulate("tit_for_tat", "tit_for_tat", lo, turns=4000, matches=40, seed=1).spiral_lengths()
    tft_hi = simulate("tit_for_tat", "tit_for_tat", hi, turns=4000, matches=40, seed=2).spiral_lengths()
    assert tft_lo.mean() > 3 * tft_hi.mean()                  # lower noise, longer TFT spirals (~1/(2 eps))
    w_lo = simulate("win_stay_lose_shift", "win_stay_lose_shift", lo, turns=3000, matches=40, seed=3)
    w_hi = simulate("win_stay_lose_shift", "win_stay_lose_shift", hi, turns=3000, matches=40, seed=4)
    assert w_lo.cooperation.mean() > w_hi.cooperation.mean() + 0.1
    assert w_lo.spiral_lengths().mean() < w_hi.spiral_lengths().mean()


# ------------------------------------------------------------------ axelrod (optional reference)
def test_long_run_payoffs_against_axelrod():
    axl = pytest.importorskip("axelrod")          # optional reference (its import is slow: it loads torch)
    pairs = [("tit_for_tat", axl.TitForTat), ("win_stay_lose_shift", axl.WinStayLoseShift),
             ("generous_tit_for_tat", lambda: axl.GTFT(p=1 / 3))]
    for noise in (0.05, 0.1):
        for name, cls in pairs:
            exact = noisy_match(name, name, noise)
            scores = []
            for seed in range(8):
                m = axl.Match((cls(), cls()), turns=2000, noise=noise, seed=seed)
                m.play()
                scores.append(np.mean(m.final_score_per_turn()))
            se = np.std(scores, ddof=1) / np.sqrt(len(scores))
            assert abs(np.mean(scores) - float(exact.payoff_row)) <= 5 * se + 0.02, (name, noise, scores)
    # grudger: after absorption axelrod's Grudger pair scores the mutual-grudge payoff
    m = axl.Match((axl.Grudger(), axl.Grudger()), turns=1500, noise=0.05, seed=3)
    m.play()
    late = np.mean([sum(s) / 2 for s in m.scores()[500:]])
    assert late == pytest.approx(float(spiral_table("grudger", np.array([0.05]))["payoff"][0]), abs=0.05)


# ------------------------------------------------------------------ the example script
def test_example_noisy_security_dilemma(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path
    root = Path(__file__).resolve().parents[1]
    env = dict(os.environ, MPLBACKEND="Agg")
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    png = tmp_path / "spirals.png"
    args = [sys.executable, str(root / "examples" / "noisy_security_dilemma.py")]
    try:
        import matplotlib  # noqa: F401
        args += ["--plot", str(png)]
    except ImportError:
        png = None
    proc = subprocess.run(args, cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    e = 0.001
    assert "delta >= 0.3333" in out and f"0.250 / {3 / (2 * e - e * e):10.1f}" in out   # TFT: 1/4 and 3/(2e - e^2)
    assert "transparency_shortens_spirals      holds" in out and "never ends" in out
    assert png is None or png.stat().st_size > 0
    assert out.rstrip().splitlines()[-2].startswith("OK:")


def test_transparency_region_over_memory_one_strategies():
    from deterrence.arms import transparency_region
    r = transparency_region(0.25)
    assert r.strategies.shape == (125, 4)
    idx = {tuple(s): i for i, s in enumerate(r.strategies.tolist())}
    wsls, tft = idx[(1.0, 0.0, 0.0, 1.0)], idx[(1.0, 0.0, 1.0, 0.0)]
    assert r.holds["transparency_shortens_spirals"][wsls] and r.holds["transparency_raises_cooperation"][wsls]
    assert not r.holds["transparency_shortens_spirals"][tft] and not r.holds["transparency_raises_cooperation"][tft]
    slow = idx[(1.0, 0.0, 1.0, 0.5)]          # TFT that leaves mutual defection half the time: cooperation rises,
    assert r.holds["transparency_raises_cooperation"][slow] and not r.holds["transparency_shortens_spirals"][slow]
    # ... and, independently, its spirals are longer at lower noise in a seeded simulation
    p = memory_one([1, 0, 1, 0.5])
    lo = simulate(p, p, 0.01, turns=6000, matches=30, seed=8)
    hi = simulate(p, p, 0.1, turns=6000, matches=30, seed=9)
    assert lo.spiral_lengths().mean() > 3 * hi.spiral_lengths().mean()
    assert lo.cooperation.mean() > hi.cooperation.mean()
    with pytest.raises(ModelError, match="step"):
        transparency_region(0.3)
