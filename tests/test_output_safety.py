"""Safe output: atomic files (signals, umask, path checks, full disk), CSV formulas, Gambit files Gambit reads."""

import errno
import io
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from deterrence.analysis import ResultTable, sweep
from deterrence.analysis.atomic import atomic_write, check_output_path
from deterrence.errors import GameStructureError, ModelError

from _analysis_models import escalation_tree, uncertain_resolve

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
ENV = dict(os.environ, PYTHONPATH=ROOT + os.pathsep + HERE + os.pathsep + os.environ.get("PYTHONPATH", ""))


# ---------------------------------------------------------------------- modes
@pytest.fixture
def umask027():
    old = os.umask(0o027)
    try:
        yield
    finally:
        os.umask(old)


def test_new_files_honour_the_umask_and_existing_files_keep_their_mode(tmp_path, umask027):
    t = ResultTable({"x": np.arange(3.0)})
    t.to_csv(tmp_path / "new.csv")
    assert stat.S_IMODE(os.stat(tmp_path / "new.csv").st_mode) == 0o640
    old = tmp_path / "old.csv"
    old.write_text("old")
    os.chmod(old, 0o644)
    t.to_csv(old)
    assert stat.S_IMODE(os.stat(old).st_mode) == 0o644 and old.read_text().startswith("x")


# ---------------------------------------------------------------------- path checks
def test_output_path_is_checked_before_any_work(tmp_path):
    calls = []
    for bad, msg in [(tmp_path / "no" / "t.csv", "does not exist"), (tmp_path, "is a directory"), (_mkdir(tmp_path / "d.csv"), "is a directory")]:
        with pytest.raises(ModelError, match=msg):
            sweep(escalation_tree(), {"w": "0:1:50"}, chunk_size=5, out=bad,
                  progress=lambda d, n: calls.append(d))
    assert calls == []            # refused before the first chunk was solved


def test_read_only_directory_is_named(tmp_path, monkeypatch):
    # a read-only file system cannot be mounted in a test: make the checks see one
    monkeypatch.setattr(os, "access", lambda p, mode: False)

    class V:
        f_flag = os.ST_RDONLY
    monkeypatch.setattr(os, "statvfs", lambda p: V)
    with pytest.raises(ModelError, match="read-only file system"):
        check_output_path(tmp_path / "t.csv")


def test_full_disk_names_the_file_and_leaves_nothing(tmp_path, monkeypatch):
    import deterrence.analysis.table as tb

    def full(self, cols, n):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    monkeypatch.setattr(tb.TableWriter, "_write_csv", full)
    out = tmp_path / "t.csv"
    with pytest.raises(OSError) as info:
        sweep(escalation_tree(), {"w": "0:1:5"}, out=out)
    assert info.value.errno == errno.ENOSPC and str(out) in str(info.value)
    assert os.listdir(tmp_path) == []


def test_error_mid_write_leaves_no_partial_file(tmp_path):
    out = tmp_path / "t.json"
    out.write_text("old")
    with pytest.raises(ZeroDivisionError):
        with atomic_write(out) as fh:
            fh.write("partial")
            1 / 0
    assert out.read_text() == "old" and os.listdir(tmp_path) == ["t.json"]


# ---------------------------------------------------------------------- signals
def _wait_for_part(directory, proc, timeout=120):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if any(f.endswith(".part") for f in os.listdir(directory)):
            return True
        if proc.poll() is not None:
            return False
        time.sleep(0.02)
    return False


def _signal_run(args, directory, sig):
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
    try:
        assert _wait_for_part(directory, proc), proc.communicate()[1] if proc.poll() is not None else "no .part file"
        time.sleep(0.2)
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    return proc.returncode, err


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("sig,ext", [(signal.SIGTERM, ".csv"), (signal.SIGHUP, ".json"),
                                     (signal.SIGHUP, ".jsonl"), (signal.SIGTERM, ".parquet")])
def test_cli_sweep_killed_mid_write_leaves_no_part_file(tmp_path, sig, ext):
    if ext == ".parquet":
        pytest.importorskip("pyarrow")
    out = tmp_path / ("t" + ext)
    args = [sys.executable, "-m", "deterrence", "sweep", "zagare_kilgour_rudimentary_deterrence",
            "--grid", "p_B=0:1:400000000", "--chunk-size", "20000", "--out", str(out)]
    code, err = _signal_run(args, tmp_path, sig)
    assert code == 128 + sig, err
    assert err.strip().splitlines()[-1] == f"deterrence: terminated by {signal.Signals(sig).name}"
    assert os.listdir(tmp_path) == []


LIBRARY_SCRIPT = textwrap.dedent("""
    import sys
    from _analysis_models import escalation_tree
    from deterrence.analysis import sweep
    kw = {{}}
    if {dask!r}:
        import distributed
        cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False,
                                           dashboard_address=None)
        kw = dict(scheduler="dask", client=distributed.Client(cluster))
    sweep(escalation_tree(), {{"w": "0:1:400000000"}}, chunk_size=20000, out=sys.argv[1], keep=False, **kw)
""")


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
@pytest.mark.parametrize("dask", [False, True])
def test_library_sweep_terminated_cleans_up_and_dies_by_the_signal(tmp_path, dask):
    if dask:
        pytest.importorskip("distributed")
    out = tmp_path / "t.csv"
    args = [sys.executable, "-c", LIBRARY_SCRIPT.format(dask=dask), str(out)]
    code, err = _signal_run(args, tmp_path, signal.SIGTERM)
    assert code == -signal.SIGTERM, err[-2000:]
    assert [f for f in os.listdir(tmp_path) if not f.startswith("dask-")] == []


# ---------------------------------------------------------------------- CSV formulas
def test_csv_neutralises_formulas_but_keeps_numbers(tmp_path):
    import csv
    t = ResultTable({"x": np.array([-0.5, 1e-7, np.nan]),
                     "outcome": np.array(['=HYPERLINK("http://x","y")', "+1", "ok"], dtype=object),
                     "@sum": np.array([-1, 2, 3]), "\tx": np.array(["-a", "\rb", "@c"], dtype=object)})
    t.to_csv(tmp_path / "t.csv")
    rows = list(csv.reader((tmp_path / "t.csv").open(newline="")))
    assert rows[0] == ["x", "outcome", "'@sum", "'\tx"]
    assert [r[0] for r in rows[1:]] == ["-0.5", "1e-07", ""]
    assert [r[1] for r in rows[1:]] == ["'=HYPERLINK(\"http://x\",\"y\")", "'+1", "ok"]
    assert [r[2] for r in rows[1:]] == ["-1", "2", "3"]
    assert [r[3] for r in rows[1:]] == ["'-a", "'\rb", "'@c"]


def test_sweep_csv_of_a_model_with_formula_labels(tmp_path):
    from deterrence.games.parametric import ParametricTree
    m = uncertain_resolve()
    nodes = [dict(n) for n in m.node_specs()]
    for n in nodes:
        if n.get("outcome") == "SQ":
            n["outcome"] = "=HYPERLINK(\"http://evil\",\"war\")"
    evil = ParametricTree(name="evil", players=list(m.players), parameters=list(m.parameters.values()),
                          nodes=nodes)
    sweep(evil, {"p_B": "0:1:3"}, out=tmp_path / "e.csv")
    text = (tmp_path / "e.csv").read_text()
    assert ",=" not in text and not any(line.startswith("=") for line in text.splitlines())
    assert "'=HYPERLINK" in text


# ---------------------------------------------------------------------- Gambit files
def _nfg(labels=("a", "b"), payoff=1.0):
    from deterrence.games.normal_form import NormalFormGame
    pay = np.zeros((2, 2, 2))
    pay[0, 0, 0] = payoff
    return NormalFormGame(pay, players=["Row", "Column"], actions=[list(labels), ["c", "d"]])


@pytest.mark.parametrize("label", ["caf\u00e9", "a\x1bb", " lead", "trail ", "two  spaces", "tab\tx", "a\\\\b",
                                   'a\\"b', "end\\"])
def test_gambit_refuses_labels_gambit_cannot_read(label, tmp_path):
    from deterrence.io.gambit import to_nfg, write_nfg
    with pytest.raises(GameStructureError, match="action of 'Row'"):
        to_nfg(_nfg((label, "b")))
    with pytest.raises(GameStructureError):
        write_nfg(_nfg((label, "b")), tmp_path / "g.nfg")
    assert os.listdir(tmp_path) == []


@pytest.mark.parametrize("payoff", [1e16, -1e16, 1e-5, 2.5e-12, 123456.789, 1 / 3, 2.0 ** 70])
def test_gambit_numbers_are_read_back_exactly(payoff):
    gbt = pytest.importorskip("pygambit")
    from fractions import Fraction
    from deterrence.io.gambit import to_nfg
    text = to_nfg(_nfg(('q"uote', "back\\slash"), payoff))
    assert "e+" not in text and "e-" not in text
    g = gbt.read_nfg(io.StringIO(text))
    back = Fraction(str(g.to_arrays()[0][0, 0]))
    exact = Fraction(payoff) if payoff == int(payoff) else Fraction(repr(payoff))   # shortest round-trip decimal
    assert back == exact and float(back) == payoff
    assert [s.label for s in list(g.players)[0].strategies] == ['q"uote', "back\\slash"]


def test_gambit_tree_with_odd_title_reads_back():
    gbt = pytest.importorskip("pygambit")
    from deterrence.io.gambit import to_efg
    text = to_efg(escalation_tree(), title="Caf\u00e9\n  crisis\x1b \\")
    g = gbt.read_efg(io.StringIO(text))
    assert len(g.players) == 2 and "\x1b" not in text and "\n" not in text.splitlines()[0]


def _mkdir(path):
    path.mkdir()
    return path
