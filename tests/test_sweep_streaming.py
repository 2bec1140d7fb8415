"""Sweeps bounded by the chunk: lazy points, streamed output, size limits, memory under an rlimit."""

import json
import os
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from deterrence.analysis import sweep
from deterrence.analysis.points import SweepPoints, parse_axis
from deterrence.errors import ModelError, SolverError

from _analysis_models import crisis_2x2, escalation_tree, uncertain_resolve

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def test_grid_points_in_chunks_equal_the_whole_grid():
    m = escalation_tree()
    pts = SweepPoints(m, {"w": "0:1:7", "c_A": [0.5, 1.0, 3.0], "a_sq": "0.1,0.2"})
    assert pts.total == 42 and pts.swept == ["w", "c_A", "a_sq"] and "b_back" in pts.held
    mesh = np.meshgrid(np.linspace(0, 1, 7), [0.5, 1.0, 3.0], [0.1, 0.2], indexing="ij")
    whole = pts.all()
    for name, col in zip(["w", "c_A", "a_sq"], mesh):
        assert np.array_equal(whole[name], col.reshape(-1))
    parts = [pts.chunk(s, s + 5) for s in range(0, 42, 5)]
    for name in whole:
        assert np.array_equal(np.concatenate([p[name] for p in parts]), whole[name])
    assert np.array_equal(parse_axis("0.1:0.7:13"), np.linspace(0.1, 0.7, 13))


def test_latin_hypercube_strata_seed_and_chunk_independence():
    m = crisis_2x2()
    n = 997
    pts = SweepPoints(m, samples=n, bounds={"c": (-2, 2), "v": (0, 1)}, seed=5)
    a = pts.all()
    for name, (lo, hi) in {"c": (-2, 2), "v": (0, 1)}.items():
        strata = np.floor((a[name] - lo) / (hi - lo) * n).astype(int)
        assert sorted(strata) == list(range(n))          # one point in each stratum
    b = np.concatenate([pts.chunk(s, s + 64)["c"] for s in range(0, n, 64)])
    assert np.array_equal(a["c"], b)                     # whatever the chunk size
    again = SweepPoints(m, samples=n, bounds={"c": (-2, 2), "v": (0, 1)}, seed=5).all()
    other = SweepPoints(m, samples=n, bounds={"c": (-2, 2), "v": (0, 1)}, seed=6).all()
    assert np.array_equal(a["v"], again["v"]) and not np.array_equal(a["v"], other["v"])
    assert abs(np.corrcoef(a["c"], a["v"])[0, 1]) < 0.15   # the two columns are not paired in order


@pytest.mark.parametrize("kwargs", [{"grid": {"w": "0:1:10000000000"}}, {"samples": 10 ** 12},
                                    {"grid": {"w": "0:1:100000", "c_A": "0:1:100000"}}])
def test_too_large_is_refused_before_any_work(kwargs):
    with pytest.raises(ModelError, match=r"sweep too large \([0-9,]+ points"):
        sweep(escalation_tree(), **kwargs)


@pytest.mark.parametrize("seed", [-1, 1.5, "x", True])
def test_bad_seed(seed):
    with pytest.raises(ModelError, match="seed"):
        sweep(crisis_2x2(), samples=10, bounds={"c": (0, 1), "v": (0, 1)}, seed=seed)


def test_concept_that_does_not_apply_is_refused_before_any_work():
    with pytest.raises(SolverError, match="'nash' does not apply"):
        sweep(escalation_tree(), {"w": "0:1:3"}, concept="nash")
    with pytest.raises(SolverError, match="'spe' does not apply .*normal form"):
        sweep(crisis_2x2(), {"c": "0:1:3"}, concept="spe")


@pytest.mark.parametrize("ext", [".csv", ".json", ".jsonl", ".parquet"])
def test_streamed_file_equals_the_kept_table(tmp_path, ext):
    if ext == ".parquet":
        pytest.importorskip("pyarrow")
        pd = pytest.importorskip("pandas")
    m = uncertain_resolve()
    kept = sweep(m, {"p_B": "0:1:23", "a_SQ": "-0.5:0.5:3"}, chunk_size=10)
    out = tmp_path / ("t" + ext)
    lean = sweep(m, {"p_B": "0:1:23", "a_SQ": "-0.5:0.5:3"}, chunk_size=7, out=out, keep=False)
    assert len(lean) == 0 and lean.names == kept.names and lean.meta["points"] == 69
    assert lean.meta["outcomes"] == {k: int(v) for k, v in zip(*np.unique(kept["outcome"].astype(str),
                                                                           return_counts=True))}
    if ext == ".csv":
        import csv
        rows = list(csv.reader(out.open()))
        assert rows[0] == kept.names and len(rows) == 70
        col = [r[kept.names.index("P(DD)")] for r in rows[1:]]
        assert np.array_equal(np.array(col, float), kept["P(DD)"])
    elif ext == ".json":
        doc = json.loads(out.read_text())
        assert doc["columns"] == kept.names and doc["meta"]["held"]["a_DC"] == 1.0
        assert [r["outcome"] for r in doc["rows"]] == list(kept["outcome"])
    elif ext == ".jsonl":
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert len(rows) == 69 and [r["P(DD)"] for r in rows] == list(kept["P(DD)"])
    else:
        df = pd.read_parquet(out)
        assert list(df.columns) == kept.names and list(df["outcome"]) == list(kept["outcome"])
        assert np.array_equal(df["payoff(Challenger)"].to_numpy(), kept["payoff(Challenger)"])


def test_keep_some_columns_and_meta():
    t = sweep(uncertain_resolve(), {"p_B": "0:1:5"}, keep=["outcome"])
    assert t.names == ["outcome"] and len(t) == 5 and t.meta["swept"] == ["p_B"]
    with pytest.raises(ModelError, match="no column"):
        sweep(uncertain_resolve(), {"p_B": "0:1:5"}, keep=["nope"])


def test_large_games_get_smaller_chunks():
    from deterrence.analysis.sweep import CHUNK_BYTES, _chunk_points
    m = _big_normal_form(40)
    size = _chunk_points(m, 1 << 18)
    assert 1 <= size < 1 << 18 and size * 40 * 40 * 2 * 8 <= CHUNK_BYTES


def _big_normal_form(k):
    from deterrence.games.parametric import ParametricNormalForm
    from deterrence.symbolic.parameters import Parameter, Probability
    acts = [f"a{i}" for i in range(k)]
    pay = {(a, b): [f"x * {i - j}", f"{(i * j) % 7} - x"] for i, a in enumerate(acts) for j, b in enumerate(acts)}
    return ParametricNormalForm(name="big", players=["R", "C"], parameters=[Parameter("x", Probability(), 0.5)],
                                actions=[acts, acts], payoffs=pay)


MEMORY_SCRIPT = textwrap.dedent("""
    import resource, sys
    sys.path.insert(0, {tests!r})
    import numpy as np
    from deterrence.analysis import sweep
    from test_sweep_streaming import _big_normal_form
    m = _big_normal_form(30)
    out = sys.argv[1] if len(sys.argv) > 1 else None
    sweep(m, samples=200, out=out, keep=False)          # warm-up: imports, compiled payoffs, writer
    with open("/proc/self/status") as fh:
        vm = [int(l.split()[1]) * 1024 for l in fh if l.startswith("VmSize:")][0]
    budget = 200 * 2 ** 20
    resource.setrlimit(resource.RLIMIT_AS, (vm + budget, vm + budget))
    # 24,000 points of a 30x30 game: 345 MB of payoffs and 173 MB of P(...) columns if solved or kept at once
    t = sweep(m, samples=24000, out=out, keep=False, seed=1)
    print(t.meta["points"], sum(t.meta["outcomes"].values()))
""")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc and sets RLIMIT_AS")
def test_memory_is_bounded_by_the_chunk_under_an_rlimit(tmp_path):
    args = [sys.executable, "-c", MEMORY_SCRIPT.format(tests=HERE)]
    try:
        import pyarrow  # noqa: F401
        args.append(str(tmp_path / "big.parquet"))
    except ImportError:
        pass
    env = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + os.environ.get("PYTHONPATH", ""))
    r = subprocess.run(args, capture_output=True, text=True, timeout=600, env=env)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.split() == ["24000", "24000"]
    if len(args) == 4:
        pq = pytest.importorskip("pyarrow.parquet")
        assert pq.ParquetFile(args[3]).metadata.num_rows == 24000
