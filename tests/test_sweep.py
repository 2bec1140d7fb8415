"""Sweeps, result tables and region maps: values checked against per-point solves and closed forms."""

import json
import os

import numpy as np
import pytest

from deterrence.analysis import ResultTable, region_map, sweep
from deterrence.analysis.sweep import parse_axis
from deterrence.errors import ModelError, SolverError
from deterrence.solve.bimatrix import enumerate_equilibria
from deterrence.solve.spe import subgame_perfect

from _analysis_models import crisis_2x2, escalation_tree, uncertain_resolve


def test_parse_axis():
    assert np.allclose(parse_axis("0:1:5"), [0, 0.25, 0.5, 0.75, 1])
    assert np.allclose(parse_axis("0.1,0.2"), [0.1, 0.2])
    with pytest.raises(ModelError):
        parse_axis("0:1")
    with pytest.raises(ModelError):
        parse_axis("a:b:c")


def test_spe_sweep_matches_per_point_solves_and_chunking():
    m = escalation_tree()
    t = sweep(m, {"w": "0:1:7", "c_A": "0:2:5"}, chunk_size=8)
    assert len(t) == 35
    assert np.allclose(t["w"][:5], 0) and np.allclose(t["c_A"][:5], np.linspace(0, 2, 5))  # first axis slowest
    for k in range(len(t)):
        r = subgame_perfect(m.at(w=t["w"][k], c_A=t["c_A"][k]))
        for lab, p in r.outcome_probabilities.items():
            assert t[f"P({lab})"][k] == pytest.approx(p[0])
        assert t["payoff(Challenger)"][k] == pytest.approx(r.payoffs[0, 0])
    t2 = sweep(m, {"w": "0:1:7", "c_A": "0:2:5"}, chunk_size=1000)
    assert list(t2["outcome"]) == list(t["outcome"])


def test_uncertain_resolve_sweep_threshold():
    # challenger deters iff p_B >= (a_DC - a_SQ)/(a_DC - a_DD) = (1 - 0)/(1 + 1) = 1/2 at the defaults
    m = uncertain_resolve()
    t = sweep(m, {"p_B": np.array([0.1, 0.3, 0.49, 0.51, 0.9])})
    assert list(t["outcome"]) == ["DD | DC", "DD | DC", "DD | DC", "SQ", "SQ"]
    assert np.allclose(t["P(DD)"], [0.1, 0.3, 0.49, 0, 0])


def test_nash_sweep_2x2_against_vertex_enumeration():
    m = crisis_2x2()
    t = sweep(m, samples=60, names=["c", "v"], bounds={"c": (-2, 2), "v": (-2, 2)}, seed=3)
    assert len(t) == 60
    for k in range(len(t)):
        es = enumerate_equilibria(m.at(c=t["c"][k], v=t["v"][k]))
        assert t["n_equilibria"][k] == len(es.extreme)
        assert ("mixed" in t["outcome"][k]) == any(all(np.all(s > 1e-9) for s in e.strategies) for e in es.extreme)
    # chicken region (c > v > 0): two pure and one mixed equilibrium, by hand
    t = sweep(m, {"c": [2.0], "v": [1.0]})
    assert t["outcome"][0] == "(Swerve, Stand) | (Stand, Swerve) | mixed"
    # prisoner's-dilemma-like region v > c: (Stand, Stand) unique, P(war) = 1
    t = sweep(m, {"c": [0.5], "v": [1.0]})
    assert t["outcome"][0] == "(Stand, Stand)" and t["P(war)"][0] == 1.0 and t["payoff(Row)"][0] == -0.5


def test_pure_sweep_and_bad_input():
    m = crisis_2x2()
    t = sweep(m, {"c": [2.0]}, concept="pure")
    assert t["outcome"][0] == "(Swerve, Stand) | (Stand, Swerve)" and t["n_equilibria"][0] == 2
    with pytest.raises(ModelError, match="unknown parameter"):
        sweep(m, {"x": "0:1:3"})
    with pytest.raises(SolverError):
        sweep(m, {"c": "0:1:3"}, concept="qre")
    with pytest.raises(ModelError):
        sweep(uncertain_resolve(), {"a_SQ": [5.0]})   # violates a_SQ < a_DC


def test_table_outputs_and_progress(tmp_path):
    m = escalation_tree()
    calls = []
    t = sweep(m, {"w": "0:1:11"}, chunk_size=4, progress=lambda d, n: calls.append((d, n)))
    assert calls == [(4, 11), (8, 11), (11, 11)]
    t.to_csv(tmp_path / "a.csv")
    lines = (tmp_path / "a.csv").read_text().splitlines()
    assert lines[0].split(",")[0] == "w" and len(lines) == 12
    t.to_json(tmp_path / "a.json")
    doc = json.loads((tmp_path / "a.json").read_text())
    assert len(doc["rows"]) == 11 and doc["rows"][3]["outcome"] == t["outcome"][3]
    pd = pytest.importorskip("pandas")
    df = t.to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df["outcome"]) == list(t["outcome"])
    pytest.importorskip("pyarrow")
    t.to_parquet(tmp_path / "a.parquet")
    back = pd.read_parquet(tmp_path / "a.parquet")
    assert np.allclose(back["P(war)"], t["P(war)"])


def test_interrupted_sweep_leaves_no_file(tmp_path):
    out = tmp_path / "out.csv"

    def stop(done, total):
        if done >= 4:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        sweep(escalation_tree(), {"w": "0:1:20"}, chunk_size=4, progress=stop, out=out)
    assert os.listdir(tmp_path) == []
    # and an interrupted write leaves an existing file untouched
    out.write_text("old")
    t = ResultTable({"x": np.arange(3.0)})
    import deterrence.analysis.table as tb
    orig = tb._csv_column
    tb._csv_column = lambda c: (_ for _ in ()).throw(KeyboardInterrupt())
    try:
        with pytest.raises(KeyboardInterrupt):
            t.to_csv(out)
    finally:
        tb._csv_column = orig
    assert out.read_text() == "old" and os.listdir(tmp_path) == ["out.csv"]


def test_region_map_and_plot(tmp_path):
    m = uncertain_resolve()
    rm = region_map(m, ("p_B", "0.01:0.99:50"), ("a_SQ", "-0.9:0.9:19"))
    assert rm.index.shape == (19, 50)
    # by hand: deterrence iff p_B >= (1 - a_SQ)/2
    for x in (0.1, 0.4, 0.7):
        for y in (-0.5, 0.0, 0.5):
            xi, yi = rm.x[np.argmin(abs(rm.x - x))], rm.y[np.argmin(abs(rm.y - y))]
            assert (rm.label_at(x, y) == "SQ") == (xi >= (1 - yi) / 2)
    assert abs(sum(rm.share().values()) - 1) < 1e-12
    pytest.importorskip("matplotlib")
    from deterrence.plot import plot_regions
    plot_regions(rm, tmp_path / "r.png")
    assert (tmp_path / "r.png").read_bytes()[:4] == b"\x89PNG"


def test_dask_sweep_identical_to_local():
    distributed = pytest.importorskip("distributed")
    m = escalation_tree()
    local = sweep(m, {"w": "0:1:9", "c_A": "0:2:3"}, chunk_size=5)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = sweep(m, {"w": "0:1:9", "c_A": "0:2:3"}, chunk_size=5, scheduler="dask", client=client)
    assert local.names == remote.names
    for c in local.names:
        if local[c].dtype == object:
            assert list(local[c]) == list(remote[c])
        else:
            assert np.array_equal(local[c], remote[c])


def test_sweep_with_measures_solves_each_chunk_once(monkeypatch):
    """The measures of a sweep read the chunk's game and solution: one solver call per chunk, and the same
    columns as measure_columns computing its own."""
    import deterrence
    import deterrence.solve.bayesian as bayesian
    from deterrence.analysis.measures import measure_columns

    model = deterrence.load_model("tripartite_crisis")
    calls = []
    solve = bayesian.bayesian_backward_induction

    def counted(game, **kw):
        calls.append(game.batch_size)
        return solve(game, **kw)

    monkeypatch.setattr(bayesian, "bayesian_backward_induction", counted)
    grid = {"p_D": np.linspace(0, 1, 9), "commitment": np.arange(4.0)}
    tab = sweep(model, grid, chunk_size=12)
    assert calls == [12, 12, 12]
    monkeypatch.setattr(bayesian, "bayesian_backward_induction", solve)
    pts = {"p_D": np.asarray(tab["p_D"], float), "commitment": np.asarray(tab["commitment"], float)}
    pts = {**{k: np.full(36, v) for k, v in model.defaults().items()}, **pts}
    direct = measure_columns(model, pts, "pbe", None)
    for name in ("P_challenge", "P_war", "P_defender_intervenes", "equilibria_measured"):
        np.testing.assert_array_equal(np.asarray(tab[name], float), np.asarray(direct[name], float), err_msg=name)
    # held parameters and a measure's value, minimum and maximum (one equilibrium per point) are not copied
    # once per column: read-only arrays with the same numbers as the point-by-point columns
    assert np.all(np.asarray(tab["s_D"]) == model.defaults()["s_D"]) and not tab["s_D"].flags.writeable
    for name in ("P_challenge", "P_war"):
        np.testing.assert_array_equal(np.asarray(tab[f"{name}[min]"], float), np.asarray(direct[name], float))
        np.testing.assert_array_equal(np.asarray(tab[f"{name}[max]"], float), np.asarray(direct[name], float))
        assert not tab[name].flags.writeable


@pytest.mark.parametrize("kwargs, words", [
    ({"grid": {"c": [2.0]}, "measures": True}, r"measures must be None .*a measure name, a Measure or a list"),
    ({"grid": {"c": [2.0]}, "measures": 3}, r"measures must be .*got int: 3"),
    ({"grid": [("c", 2.0)]}, r"grid must be a mapping \{parameter: values\}.*got list"),
    ({"grid": 5}, r"grid must be a mapping .*got int: 5"),
    ({"grid": {"c": None}}, r"grid of 'c': grid axis None: expected numbers"),
    ({"grid": {"c": [np.nan]}}, r"grid of 'c': .*finite"),
    ({"samples": "10"}, r"samples must be a positive integer, got '10'"),
    ({"samples": 2.5}, r"samples must be a positive integer"),
    ({"samples": 4, "bounds": 5}, r"bounds must be a mapping \{parameter: \(low, high\)\}, got int: 5"),
    ({"samples": 4, "bounds": {"c": (1.0, -1.0)}}, r"bounds of 'c': expected finite \(low, high\) with low <= high"),
    ({"samples": 4, "bounds": {"c": ("a", "b")}}, r"bounds of 'c': expected \(low, high\)"),
    ({"samples": 4, "names": 7}, r"names must be a parameter name or a list of parameter names, got int: 7"),
    ({"grid": {"c": [2.0]}, "fixed": ["v", 1.0]}, r"fixed must be a mapping \{parameter: value\}, got list"),
    ({"grid": {"c": [2.0]}, "chunk_size": 2.5}, r"chunk_size must be a positive integer, got 2.5"),
    ({"grid": {"c": [2.0]}, "chunk_size": "8"}, r"chunk_size must be a positive integer, got '8'"),
    ({"grid": {"c": [2.0]}, "tol": "small"}, r"tol must be a finite number >= 0"),
    ({"grid": {"c": [2.0]}, "tol": -1.0}, r"tol must be a finite number >= 0"),
    ({"grid": {"c": [2.0]}, "progress": 5}, r"progress must be True, False, None or a function"),
    ({"grid": {"c": [2.0]}, "out": 5}, r"out must be a file path"),
])
def test_wrong_types_of_sweep_arguments_are_refused_naming_the_argument(kwargs, words):
    """Each keyword of sweep given a value of the wrong type is refused with a ModelError naming the argument
    and what it accepts (not Python's TypeError/ValueError from deep inside, nor a solver failure)."""
    with pytest.raises(ModelError, match=words):
        sweep(crisis_2x2(), **kwargs)


def test_one_sampled_parameter_may_be_named_by_a_string():
    # names="c_A" is the one parameter c_A, not the letters of its name
    t = sweep(escalation_tree(), samples=5, names="c_A", bounds={"c_A": (0.0, 1.0)}, seed=1)
    assert t.meta["swept"] == ["c_A"] and len(t) == 5 and np.all((t["c_A"] >= 0) & (t["c_A"] <= 1))
