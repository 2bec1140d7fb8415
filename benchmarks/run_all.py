"""Run every benchmark in one session and assemble ``benchmarks/RESULTS.md``.

Each ``bench_*.py`` script times this package side by side with the reference
libraries (nashpy, pygambit, QuantEcon) in the same process and writes its own
``results_*.md`` table.  This script runs them one after another (so they do
not compete for the two cores), then writes RESULTS.md with the machine, the
date and every table.

Run: ``pip install ".[test,bench]" && python benchmarks/run_all.py``
(about 10 minutes).  Machines here are shared and noisy: read the ratios,
which compare libraries measured in the same run, rather than the absolute
times.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ORDER = ["bimatrix", "spe", "sweep", "bayesian", "pbe", "nplayer", "symmetric", "alliances", "tripartite",
         "tripartite_signalling", "spiral", "cascade"]


def machine() -> str:
    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        import numpy
        np_version = numpy.__version__
    except ImportError:  # pragma: no cover
        np_version = "?"
    versions = [f"numpy {np_version}"]
    for mod in ("scipy", "nashpy", "pygambit", "quantecon", "numba"):
        try:
            versions.append(f"{mod} {__import__(mod).__version__}")
        except Exception:
            versions.append(f"{mod} (not installed)")
    try:
        load = os.getloadavg()
        load_s = f"load average at start {load[0]:.2f}"
    except OSError:
        load_s = ""
    return (f"- date: {_dt.date.today().isoformat()}\n"
            f"- machine: {platform.system()} {platform.machine()}, {os.cpu_count()} cores, {cpu}\n"
            f"- Python {platform.python_version()}; {', '.join(versions)}\n"
            f"- {load_s}\n")


def main(argv=None) -> int:
    names = (argv if argv else sys.argv[1:]) or ORDER
    head = machine()
    took = {}
    for name in names:
        script = HERE / f"bench_{name}.py"
        print(f"== {script.name}", flush=True)
        t0 = time.perf_counter()
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(
            [str(HERE.parent)] + ([os.environ["PYTHONPATH"]] if os.environ.get("PYTHONPATH") else [])))
        proc = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, env=env)
        took[name] = time.perf_counter() - t0
        if proc.returncode != 0:
            print(f"{script.name} failed with exit code {proc.returncode}", file=sys.stderr)
            return proc.returncode
    # RESULTS.md gathers every table (those not re-run keep their last run's numbers)
    sections = []
    for name in ORDER:
        path = HERE / f"results_{name}.md"
        if path.exists():
            when = f"run now, {took[name]:.0f} s" if name in took else "from an earlier run"
            sections.append(f"<!-- bench_{name}.py: {when} -->\n{path.read_text(encoding='utf-8').strip()}\n")
    text = ("# Benchmark results\n\n"
            "All numbers come from one run of `python benchmarks/run_all.py`; each table compares this\n"
            "package with the reference libraries measured in the same process. The machine is shared,\n"
            "so read the ratios; absolute times vary by up to 2-3x between runs.\n\n"
            + head + "\n" + "\n".join(sections))
    (HERE / "RESULTS.md").write_text(text, encoding="utf-8")
    print(f"wrote {HERE / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
