"""Model files of kind "dynamics": linear equations in named parameters, compiled and solved by Richardson."""

import csv
import json

import numpy as np
import pytest

import deterrence
from deterrence.dynamics.richardson import Richardson, RichardsonSystem
from deterrence.errors import ModelFileError
from deterrence.io.model_file import dumps, loads

from _cli import run

HEAD = """
[model]
name = "t"
kind = "dynamics"
source = "test (2026)"
[parameters.k]
domain = "nonnegative"
default = 0.5
[parameters.l]
domain = "nonnegative"
default = 0.4
[parameters.a]
domain = "positive"
default = 0.7
[parameters.b]
domain = "positive"
default = 0.3
[parameters.g]
domain = "real"
default = 2.0
[parameters.h]
domain = "real"
default = -1.0
[state.x]
initial = 1.0
[state.y]
initial = 2.0
"""


def model(x="k*y - a*x + g", y="l*x - b*y + h", head=HEAD):
    return loads(head + f'[equations]\nx = "{x}"\ny = "{y}"\n', path="t.toml")


RNG = np.random.default_rng(7)
PTS = dict(k=RNG.uniform(0, 2, 400), l=RNG.uniform(0, 2, 400), a=RNG.uniform(0.05, 2, 400),
           b=RNG.uniform(0.05, 2, 400), g=RNG.uniform(-3, 3, 400), h=RNG.uniform(-3, 3, 400))


def test_compiled_matrix_is_the_hand_written_richardson_system():
    sysm = model().at(PTS)
    r = Richardson(**PTS)
    assert sysm.matrix.shape == (400, 2, 2)
    np.testing.assert_array_equal(sysm.matrix, r.matrix)
    np.testing.assert_array_equal(sysm.forcing, r.forcing)


def test_rearranged_equations_compile_to_the_same_matrix():
    # the same system written differently: order, unary minus, division, grouping by a parameter
    sysm = model(x="g - (a*x - y*k)", y="-(b*y)/1 + (x*l*2 + 2*h)/2").at(PTS)
    np.testing.assert_allclose(sysm.matrix, Richardson(**PTS).matrix, rtol=1e-15, atol=0)
    np.testing.assert_allclose(sysm.forcing, Richardson(**PTS).forcing, rtol=1e-15, atol=0)


def test_equilibrium_stability_regime_agree_with_richardson_and_the_closed_form():
    sysm = model().at(PTS)
    r = Richardson(**PTS)
    np.testing.assert_array_equal(sysm.equilibrium(), np.stack(r.equilibrium(), -1))
    np.testing.assert_array_equal(sysm.eigenvalues(), r.eigenvalues())
    closed = PTS["k"] * PTS["l"] < PTS["a"] * PTS["b"]
    assert closed.any() and (~closed).any()
    np.testing.assert_array_equal(sysm.stable(), closed)
    np.testing.assert_array_equal(sysm.regime(), r.regime(1.0, 2.0))        # from the file's initial values
    # the n-state machinery agrees on the eigenvalues' signs and the equilibrium
    n = RichardsonSystem(reaction=np.stack([np.stack([0 * r.k, r.k], -1), np.stack([r.l, 0 * r.l], -1)], -2),
                         fatigue=np.stack([r.a, r.b], -1), grievance=r.forcing)
    np.testing.assert_array_equal(n.stable(), closed)
    ok = np.abs(r.determinant) > 1e-3
    np.testing.assert_allclose(sysm.equilibrium()[ok], n.equilibrium()[ok], rtol=1e-9)


def test_trajectory_is_richardsons_exact_solution():
    sysm = model().at(PTS)
    traj = sysm.trajectory([0.0, 0.5, 2.0])
    np.testing.assert_array_equal(traj[0], np.broadcast_to([1.0, 2.0], (400, 2)))
    x, y = Richardson(**PTS).solve(2.0, 1.0, 2.0)
    np.testing.assert_allclose(traj[2], np.stack([x, y], -1), rtol=1e-12)


def test_three_states_use_the_n_state_system():
    head = HEAD.replace("[state.y]", "[state.z]\ninitial = 0.0\n[state.y]")
    m = loads(head + '[equations]\nx = "k*y - a*x + g"\nz = "k*x + l*y - b*z"\ny = "l*x - b*y + h"\n', path="t3")
    s = m.at()
    d = m.defaults()
    # state order is the [state] tables' order: x, z, y; the matrix row of z is (k, -b, l) over (x, z, y)
    want = np.array([[-d["a"], 0, d["k"]], [d["k"], -d["b"], d["l"]], [d["l"], 0, -d["b"]]])
    np.testing.assert_array_equal(s.matrix[0], want)
    assert s.regime() is None
    np.testing.assert_allclose(s.matrix[0] @ s.equilibrium()[0] + s.forcing[0], 0, atol=1e-12)


@pytest.mark.parametrize("x, why", [
    ("k*x*y - a*x + g", "product of terms in x, y"),
    ("x*x - a*x", "product of terms in x"),
    ("k/y - a*x", "denominator"),
    ("x**2 - a*x", "power"),
    ("exp(y) - a*x", "function exp"),
])
def test_nonlinear_equations_are_refused_naming_the_key(x, why):
    with pytest.raises(ModelFileError, match=f"t.toml: equations.x: .*{why}"):
        model(x=x)


def test_unknown_names_and_bad_sections_are_refused_with_the_key():
    with pytest.raises(ModelFileError, match=r"t.toml: equations.y: .*'z'"):
        model(y="l*z - b*y")
    with pytest.raises(ModelFileError, match="equations.w: no state variable 'w'"):
        loads(HEAD + '[equations]\nx = "-a*x"\ny = "-b*y"\nw = "1"\n', path="t.toml")
    with pytest.raises(ModelFileError, match="t.toml: equations: no equation for the state 'y'"):
        loads(HEAD + '[equations]\nx = "-a*x"\n', path="t.toml")
    with pytest.raises(ModelFileError, match="t.toml: claims: a dynamics model has no 'claims'"):
        loads(HEAD + '[equations]\nx = "-a*x"\ny = "-b*y"\n[[claims]]\nid = "c"\n', path="t.toml")
    with pytest.raises(ModelFileError, match="state.k: 'k' is also a parameter"):
        loads(HEAD + '[state.k]\n[equations]\nx = "-a*x"\ny = "-b*y"\nk = "-k"\n', path="t.toml")
    with pytest.raises(ModelFileError, match="t.toml: state: only a 'dynamics' model"):
        loads('players = ["A"]\n[model]\nname = "n"\nkind = "normal_form"\n[actions]\nA = ["a"]\n'
              '[[payoffs]]\nprofile = ["a"]\nvalues = [1]\n[state.x]\n', path="t.toml")
    # Richardson's signs: a positive own coefficient (no fatigue) is refused at the defaults, naming the equation
    with pytest.raises(ModelFileError, match="equation x: the coefficient of x"):
        model(x="k*y + a*x + g")


def test_shipped_model_loads_round_trips_and_is_listed():
    assert "richardson_arms_race" in deterrence.list_models()
    m = deterrence.load_model("richardson_arms_race")
    assert m.kind == "dynamics" and m.state_names == ("x", "y")
    back = loads(dumps(m), path="written")
    assert dumps(back) == dumps(m)
    np.testing.assert_array_equal(back.at(PTS).matrix, m.at(PTS).matrix)
    d = m.defaults()
    assert d["k"] * d["l"] > d["a"] * d["b"]                  # the illustrative values race, as in 1909-13
    assert m.at().regime()[0] == "runaway race"


def test_cli_list_show_solve(capsys):
    code, out, _ = run(capsys, "list", "--json")
    rows = {r["name"]: r for r in json.loads(out)}
    assert code == 0 and rows["richardson_arms_race"]["kind"] == "dynamics"
    code, out, _ = run(capsys, "show", "richardson_arms_race")
    assert code == 0 and "dx/dt = k * y - a * x + g" in out and "(dynamics)" in out
    code, out, _ = run(capsys, "solve", "richardson_arms_race", "--set", "k=0.9", "--json")
    d = json.loads(out)
    r = Richardson(k=0.9, l=0.93, a=0.2, b=0.2, g=-70.8, h=-70.8)
    assert code == 0 and d["stable"] is False and d["regime"] == "runaway race"
    np.testing.assert_allclose([d["equilibrium"]["x"], d["equilibrium"]["y"]], [float(v) for v in r.equilibrium()])
    np.testing.assert_allclose(d["eigenvalues"], r.eigenvalues())
    code, out, _ = run(capsys, "solve", "richardson_arms_race", "--set", "k=0.01", "--set", "l=0.01")
    assert code == 0 and "stable: yes" in out and "regime: disarmament" in out and "eigenvalues: " in out


def test_cli_sweep_table_and_plot(capsys, tmp_path):
    out_csv, png = tmp_path / "f.csv", tmp_path / "f.png"
    code, out, err = run(capsys, "sweep", "richardson_arms_race", "--grid", "k=0:2:21", "--grid", "l=0:2:21",
                         "--out", str(out_csv), "--plot", str(png))
    assert code == 0, err
    rows = list(csv.DictReader(out_csv.open()))
    assert len(rows) == 441 and png.stat().st_size > 0
    k = np.array([float(r["k"]) for r in rows])
    l = np.array([float(r["l"]) for r in rows])
    assert k[0] == k[20] == 0 and l[1] == pytest.approx(0.1)          # k varies slowest
    stable = np.array([r["stable"] == "true" for r in rows])
    np.testing.assert_array_equal(stable, k * l < 0.2 * 0.2)
    reg = Richardson(k=k, l=l, a=0.2, b=0.2, g=-70.8, h=-70.8).regime(115.3, 83.9)
    assert [r["regime"] for r in rows] == list(reg)
    assert "runaway race" in out and "disarmament" in out


@pytest.mark.parametrize("argv, why", [
    (("solve", "richardson_arms_race", "--concept", "nash"), "solution concepts are for games"),
    (("export", "richardson_arms_race", "--format", "nfg"), "Gambit files hold games"),
    (("claims", "richardson_arms_race"), "claims are checked on games"),
    (("sweep", "richardson_arms_race", "--samples", "10"), "--grid"),
    (("show", "richardson_arms_race", "--latex"), "not payoffs"),
    (("solve", "chicken", "--time", "1"), "--time goes with a dynamics model"),
])
def test_cli_refusals_are_one_line_exit_2(capsys, argv, why):
    code, out, err = run(capsys, *argv)
    assert code == 2 and why in err and err.count("\n") == 1
