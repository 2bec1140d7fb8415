"""Richardson's arms race: the closed form against scipy's integrator, stability, regimes, discrete and n-state forms."""

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from deterrence.dynamics import (DISARMAMENT, ONE_SIDED_DISARMAMENT, REGIMES, RUNAWAY_RACE, STABLE_BALANCE,
                                 UNSTABLE_BALANCE, Richardson, RichardsonSystem, bloc_system)
from deterrence.errors import ModelError


def integrate(p, z0, t):
    k, l, a, b, g, h = p
    r = solve_ivp(lambda _, z: [k * z[1] - a * z[0] + g, l * z[0] - b * z[1] + h], (0, t), z0,
                  rtol=1e-11, atol=1e-11, method="DOP853")
    assert r.success
    return r.y[:, -1]


SPECIAL = [
    (0.9, 0.9, 0.2, 0.2, -71.0, -71.0),    # unstable, goodwill
    (0.1, 0.3, 0.5, 0.4, 2.0, 1.0),        # stable
    (0.5, 0.5, 0.5, 0.5, 1.0, -2.0),       # k*l == a*b exactly: a zero eigenvalue
    (0.0, 0.3, 0.5, 0.5, 1.0, 1.0),        # a = b, k*l = 0: repeated eigenvalue, defective matrix
    (0.0, 0.0, 0.7, 0.7, 1.0, 1.0),        # a = b, k = l = 0: repeated eigenvalue, diagonal
    (1e-9, 1e-9, 0.3, 0.3 + 1e-9, 0.5, -0.5),  # eigenvalues nearly equal
    (2.0, 0.125, 0.5, 0.5, 1.0, 1.0),      # degenerate again, asymmetric
    (3.0, 2.0, 0.1, 4.0, 0.0, 0.0),        # saddle, no grievances
]


@pytest.mark.parametrize("p", SPECIAL)
@pytest.mark.parametrize("t", [0.0, 0.3, 2.0, 5.0])
def test_closed_form_matches_solve_ivp_on_special_cases(p, t):
    m = Richardson(*p)
    x, y = m.solve(t, 1.5, -0.5)
    want = integrate(p, [1.5, -0.5], t) if t > 0 else np.array([1.5, -0.5])
    np.testing.assert_allclose([x, y], want, rtol=1e-8, atol=1e-8)


def test_closed_form_batched_over_1e5_parameter_sets_matches_solve_ivp():
    rng = np.random.default_rng(10)
    n = 100_000
    k, l = rng.uniform(0, 1.5, n), rng.uniform(0, 1.5, n)
    a, b = rng.uniform(0.05, 1.5, n), rng.uniform(0.05, 1.5, n)
    g, h = rng.normal(0, 2, n), rng.normal(0, 2, n)
    x0, y0 = rng.uniform(0, 5, n), rng.uniform(0, 5, n)
    m = Richardson(k, l, a, b, g, h)
    assert m.shape == (n,)
    x, y = m.solve(1.7, x0, y0)
    assert x.shape == y.shape == (n,) and np.isfinite(x).all() and np.isfinite(y).all()
    for i in rng.choice(n, 25, replace=False):
        want = integrate((k[i], l[i], a[i], b[i], g[i], h[i]), [x0[i], y0[i]], 1.7)
        np.testing.assert_allclose([x[i], y[i]], want, rtol=1e-8, atol=1e-8)
    # a trajectory per parameter set: times along a new leading axis
    ts = np.array([0.0, 0.5, 1.7])
    X, Y = m.solve(ts[:, None], x0, y0)
    assert X.shape == (3, n)
    np.testing.assert_allclose(X[2], x)
    np.testing.assert_allclose(X[0], x0)


def test_equilibrium_eigenvalues_and_stability_against_numpy():
    rng = np.random.default_rng(3)
    n = 2000
    p = [rng.uniform(0, 2, n), rng.uniform(0, 2, n), rng.uniform(0.01, 2, n), rng.uniform(0.01, 2, n),
         rng.normal(size=n), rng.normal(size=n)]
    m = Richardson(*p)
    k, l, a, b, g, h = p
    xs, ys = m.equilibrium()
    # the velocity vanishes at the equilibrium
    np.testing.assert_allclose(k * ys - a * xs + g, 0, atol=1e-7)
    np.testing.assert_allclose(l * xs - b * ys + h, 0, atol=1e-7)
    M = np.stack([np.stack([-a, k], -1), np.stack([l, -b], -1)], -2)
    ev = np.sort(np.linalg.eigvals(M).real, axis=-1)[:, ::-1]
    np.testing.assert_allclose(m.eigenvalues(), ev, atol=1e-10)
    assert (m.stable() == (ev.max(axis=1) < 0)).all()
    assert (m.stable() == (k * l < a * b)).all()


def test_no_equilibrium_where_kl_equals_ab():
    x, y = Richardson(0.5, 0.5, 0.5, 0.5, 1, 1).equilibrium()
    assert np.isnan(x) and np.isnan(y)
    assert not Richardson(0.5, 0.5, 0.5, 0.5).stable()


def long_run(p, z0, t=60.0):
    return integrate(p, z0, t)


@pytest.mark.parametrize("p,z0,want", [
    ((0.1, 0.2, 0.5, 0.5, 1.0, 2.0), (0, 0), STABLE_BALANCE),        # Richardson's armed peace
    ((0.1, 0.2, 0.5, 0.5, -1.0, -2.0), (3, 3), DISARMAMENT),         # goodwill, stable
    ((0.1, 0.1, 0.5, 0.5, 2.0, -3.0), (1, 1), ONE_SIDED_DISARMAMENT),
    ((0.9, 0.8, 0.3, 0.2, 1.0, 0.5), (0, 0), RUNAWAY_RACE),          # grievances, unstable: always a race
    ((0.9, 0.8, 0.3, 0.2, -1.0, -0.5), (0, 0), DISARMAMENT),         # goodwill, unstable, low start
    ((0.9, 0.8, 0.3, 0.2, -1.0, -0.5), (20, 20), RUNAWAY_RACE),      # goodwill, unstable, high start
    ((0.5, 0.5, 0.5, 0.5, 1.0, 1.0), (0, 0), RUNAWAY_RACE),          # k*l == a*b: linear growth
    ((0.5, 0.5, 0.5, 0.5, -1.0, -1.0), (0, 0), DISARMAMENT),
])
def test_regime_labels_agree_with_the_integrated_long_run(p, z0, want):
    m = Richardson(*p)
    assert m.regime(*z0) == want
    x, y = long_run(p, list(map(float, z0)))
    if want == RUNAWAY_RACE:
        assert x > 50 and y > 50
    elif want == DISARMAMENT:
        assert x < 0 and y < 0
    elif want == STABLE_BALANCE:
        assert x > 0 and y > 0
    else:
        assert (x > 0) != (y > 0)
    if m.stable():      # converged to the equilibrium
        np.testing.assert_allclose([x, y], m.equilibrium(), rtol=1e-6)


def test_unstable_balance_on_the_separatrix():
    m = Richardson(0.9, 0.8, 0.3, 0.2, -1.0, -0.5)
    xs, ys = m.equilibrium()
    assert m.regime(xs, ys) == UNSTABLE_BALANCE
    # a point on the stable manifold: the equilibrium plus the stable right eigenvector
    M = m.matrix
    w, V = np.linalg.eig(M)
    v = V[:, np.argmin(w)].real
    assert m.regime(xs + 2 * v[0], ys + 2 * v[1]) == UNSTABLE_BALANCE
    assert m.regime(xs + 2 * v[0] + 0.01, ys + 2 * v[1]) == RUNAWAY_RACE


def test_regime_batched_and_codes():
    m = Richardson([0.1, 0.9], [0.2, 0.8], 0.5, 0.5, 1.0, 1.0)
    assert list(m.regime()) == [STABLE_BALANCE, RUNAWAY_RACE]
    assert [REGIMES[c] for c in m.regime_codes()] == list(m.regime())


def test_discrete_form_is_richardsons_difference_equation():
    p = (0.3, 0.4, 0.6, 0.5, 1.0, 2.0)
    k, l, a, b, g, h = p
    m = Richardson(*p)
    X, Y = m.iterate(2.0, 1.0, steps=6, dt=0.5)
    x, y = 2.0, 1.0
    for n in range(1, 7):
        x, y = x + 0.5 * (k * y - a * x + g), y + 0.5 * (l * x - b * y + h)
        assert X[n] == pytest.approx(x) and Y[n] == pytest.approx(y)
    # Euler steps converge to the exact solution (first order)
    want = integrate(p, [2.0, 1.0], 3.0)
    errs = []
    for steps in (30, 300, 3000):
        Xs, Ys = m.iterate(2.0, 1.0, steps=steps, dt=3.0 / steps)
        errs.append(np.hypot(Xs[-1] - want[0], Ys[-1] - want[1]))
    assert errs[2] < errs[1] / 5 < errs[0] / 25


def test_discrete_stability_can_differ_from_continuous():
    m = Richardson(0.1, 0.1, 1.5, 1.5, 1.0, 1.0)      # stable in continuous time (eigenvalues -1.4, -1.6)
    assert m.stable()
    assert m.discrete_stable(0.5) and not m.discrete_stable(1.5)
    for dt, ok in ((0.5, True), (1.5, False)):
        X, _ = m.iterate(3.0, 0.0, steps=200, dt=dt)
        assert (abs(X[-1] - m.equilibrium()[0]) < 1e-6) == ok


def test_as_system_matches_two_state_solution():
    m = Richardson(0.3, 0.7, 0.4, 0.9, 1.0, -0.5)
    s = m.as_system()
    np.testing.assert_allclose(s.solve(2.5, [1.0, 3.0]), m.solve(2.5, 1.0, 3.0))
    np.testing.assert_allclose(s.equilibrium(), m.equilibrium())
    np.testing.assert_allclose(np.sort(s.eigenvalues().real), np.sort(m.eigenvalues()))


def test_blocs_pool_allies_arms_and_totals_follow_the_two_state_model():
    blocs = ["Entente", "Entente", "Central", "Central"]
    k = np.array([0.2, 0.3, 0.25, 0.1])
    a = np.array([0.4, 0.4, 0.6, 0.6])
    g = np.array([1.0, 2.0, -0.5, 1.5])
    sys4 = bloc_system(blocs, k, a, g)
    K = sys4.reaction
    assert K[0, 1] == 0 and K[0, 2] == 0.2 and K[2, 0] == 0.25 and K[3, 1] == 0.1
    x0 = np.array([1.0, 2.0, 3.0, 0.5])
    # independent integration of the four states
    r = solve_ivp(lambda _, z: K @ z - a * z + g, (0, 4.0), x0, rtol=1e-11, atol=1e-11)
    np.testing.assert_allclose(sys4.solve(4.0, x0), r.y[:, -1], rtol=1e-8)
    two = sys4.pool(blocs)
    assert float(two.k) == pytest.approx(0.5) and float(two.l) == pytest.approx(0.35)
    assert float(two.g) == pytest.approx(3.0) and float(two.h) == pytest.approx(1.0)
    u, v = two.solve(4.0, 3.0, 3.5)
    np.testing.assert_allclose([u, v], [r.y[:2, -1].sum(), r.y[2:, -1].sum()], rtol=1e-8)
    assert bool(two.stable()) == bool(sys4.stable())


def test_forming_an_alliance_changes_stability():
    # three states, each reacting to every other: splitting them into blocs removes the allies' reactions
    alone = bloc_system(["A", "B", "C"], 0.3, 0.5)
    allied = bloc_system(["A", "A", "C"], 0.3, 0.5)
    assert not alone.stable()           # largest eigenvalue 2*0.3 - 0.5 > 0
    assert allied.stable()
    np.testing.assert_allclose(alone.eigenvalues().real.max(), 0.1)


def test_system_batched_equilibrium_and_solve():
    K = np.array([[[0, 0.2], [0.3, 0]], [[0, 1.0], [1.0, 0]]])
    s = RichardsonSystem(K, [[0.5, 0.5], [0.5, 0.5]], [1.0, 1.0])
    eq = s.equilibrium()
    assert np.isfinite(eq[0]).all()
    assert list(s.stable()) == [True, False]
    out = s.solve(1.0, [0.0, 0.0])
    assert out.shape == (2, 2)


@pytest.mark.parametrize("kw,culprit", [
    (dict(k=0.1, l=0.1, a=-0.2, b=0.3), "a = -0.2"),
    (dict(k=0.1, l=0.1, a=0.2, b=0.0), "b = 0.0"),
    (dict(k=-0.1, l=0.1, a=0.2, b=0.3), "k = -0.1"),
    (dict(k=0.1, l=float("nan"), a=0.2, b=0.3), "l: nan"),
    (dict(k=0.1, l=0.1, a=0.2, b=0.3, g="x"), "g: expected a number"),
    (dict(k=0.1, l=0.1, a=[0.2, 0.3, 0.4], b=[0.3, 0.3]), "shapes do not broadcast"),
    (dict(k=0.1, l=0.1, a=[0.2, -1.0], b=0.3), "a = -1.0 at index (1,)"),
    (dict(k=0.1, l=0.1, a=0.2, b=0.3, h=float("inf")), "h: inf"),
    (dict(k=0.1, l=0.1, a=0.2, b=[0.3, None]), "b: expected numbers"),
])
def test_bad_coefficients_name_the_parameter(kw, culprit):
    with pytest.raises(ModelError, match=culprit.replace("(", r"\(").replace(")", r"\)")):
        Richardson(**kw)


def test_bad_system_inputs():
    with pytest.raises(ModelError, match="reaction: expected square"):
        RichardsonSystem(np.zeros((2, 3)), [1, 1], [0, 0])
    with pytest.raises(ModelError, match="fatigue: expected shape"):
        RichardsonSystem(np.zeros((2, 2)), [1, 1, 1], [0, 0])
    with pytest.raises(ModelError, match=r"reaction\[1, 1\]"):
        RichardsonSystem(np.diag([0.0, 0.5]), [1, 1], [0, 0])
    with pytest.raises(ModelError, match="fatigue = -1.0"):
        RichardsonSystem(np.zeros((2, 2)), [1, -1], [0, 0])
    with pytest.raises(ModelError, match="blocs: 2 labels for 3 states"):
        bloc_system(["A", "B", "C"], 0.1, 0.5).pool(["A", "B"])
    with pytest.raises(ModelError, match="same bloc"):
        bloc_system(["A", "A"], 0.1, 0.5)
    # a bloc label that is not a name (a list) was a TypeError from set(); it is a ModelError naming the state
    with pytest.raises(ModelError, match=r"blocs\[0\]: a bloc label must be a name or number, got \['A'\]"):
        bloc_system([["A"], ["B"]], 0.1, 0.5)
    with pytest.raises(ModelError, match="reaction: expected one value per state"):
        bloc_system(["A", "B", "C"], [0.1, 0.2], 0.5)
    with pytest.raises(ModelError, match="different fatigues"):
        bloc_system(["A", "A", "B"], 0.1, [0.5, 0.6, 0.5]).pool(["A", "A", "B"])
    with pytest.raises(ModelError, match="steps"):
        Richardson(0.1, 0.1, 0.5, 0.5).iterate(0, 0, steps=-1)
    with pytest.raises(ModelError, match="dt = 0.0"):
        Richardson(0.1, 0.1, 0.5, 0.5).iterate(0, 0, steps=3, dt=0.0)


def test_system_solve_batched_matches_solve_ivp_including_defective_matrices():
    rng = np.random.default_rng(11)
    B, n = 20_000, 3
    K = rng.uniform(0, 1, (B, n, n))
    K[:, range(n), range(n)] = 0
    A = rng.uniform(0.1, 1.5, (B, n))
    G = rng.normal(size=(B, n))
    # a defective K - A (Jordan block: equal fatigues, one-way reaction) and a zero eigenvalue
    K[0] = [[0, 1, 0], [0, 0, 0], [0, 0, 0]]
    A[0] = [0.5, 0.5, 0.5]
    K[1] = [[0, 0.5, 0], [0.5, 0, 0], [0, 0, 0]]
    A[1] = [0.5, 0.5, 0.2]
    x0 = rng.uniform(0, 3, (B, n))
    X = RichardsonSystem(K, A, G).solve(1.3, x0)
    assert X.shape == (B, n)
    for i in [0, 1, *rng.choice(B, 15, replace=False)]:
        r = solve_ivp(lambda _, z: (K[i] - np.diag(A[i])) @ z + G[i], (0, 1.3), x0[i], rtol=1e-11, atol=1e-11,
                      method="DOP853")
        np.testing.assert_allclose(X[i], r.y[:, -1], rtol=1e-8, atol=1e-8)
    # one initial state per system, or one for all
    one = RichardsonSystem(K[:5], A[:5], G[:5]).solve(0.7, [1.0, 2.0, 3.0])
    assert one.shape == (5, 3)
    with pytest.raises(ModelError, match="x0: batch shape"):
        RichardsonSystem(K[:5], A[:5], G[:5]).solve(0.7, np.ones((4, 3)))
    with pytest.raises(ModelError, match="t: one time at a time"):
        RichardsonSystem(K[:5], A[:5], G[:5]).solve([0.7, 1.0], [1.0, 2.0, 3.0])


def test_step_must_be_one_positive_number():
    m = Richardson(0.1, 0.1, 0.5, 0.5)
    with pytest.raises(ModelError, match="dt: expected one positive step"):
        m.iterate(0, 0, steps=2, dt=[0.5, 1.0])
    with pytest.raises(ModelError, match="dt = -1.0"):
        m.discrete_stable(-1.0)
    with pytest.raises(ModelError, match="steps: expected a non-negative integer, got 2.5"):
        m.iterate(0, 0, steps=2.5)
