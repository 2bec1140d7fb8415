"""Run crafted inputs in a subprocess under resource limits (memory, CPU seconds).

A regression of a bounded computation must fail fast and never take the
machine down: the child gets an address-space limit and a CPU-time limit
(``setrlimit``), so a quadratic or exponential relapse dies of ``SIGXCPU`` or
``MemoryError`` instead of running for minutes.  No test asserts on wall-clock
time; the wall timeout is only a last-resort hang guard.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str

    @property
    def killed_by_limit(self) -> bool:
        """The child was killed for exceeding its CPU limit (SIGXCPU / SIGKILL)."""
        return self.returncode in (-24, -9)


def _limits(mem_bytes: int, cpu_seconds: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_AS, (mem_bytes, mem_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 1))
    return apply


def run_guarded(args, *, cpu: int = 20, mem: int = 1_500_000_000, wall: float = 300.0, cwd=None) -> Result:
    """Run ``python args...`` with at most *mem* bytes of address space and *cpu* CPU seconds.

    Parameters
    ----------
    args : list of str
        Arguments after ``python`` (``["-m", "deterrence", "solve", path]`` or ``["-c", code]``).
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    env.pop("DETERRENCE_DEBUG", None)
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        env[var] = "1"                   # one BLAS thread: its buffers stay inside the address-space limit
    proc = subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, timeout=wall,
                          preexec_fn=_limits(mem, cpu), cwd=cwd)
    return Result(proc.returncode, proc.stdout, proc.stderr)


def cli(*args, **kw) -> Result:
    """``python -m deterrence args...`` under the limits of :func:`run_guarded`."""
    return run_guarded(["-m", "deterrence", *map(str, args)], **kw)
