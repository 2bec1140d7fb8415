"""A guard against hangs that does not assert on the machine's speed.

``cpu_guard(seconds)`` raises :class:`HangGuard` if the block uses more than
*seconds* of CPU time (``ITIMER_PROF`` counts this process's CPU, not the wall
clock, so a loaded machine does not trip it).  The bounds are generous (tens
of times what the work needs): they catch a hang or a runaway computation,
not a slow machine.
"""

from __future__ import annotations

import contextlib
import signal


class HangGuard(AssertionError):
    """The guarded block used more CPU time than its generous bound: it hangs or runs away."""


@contextlib.contextmanager
def cpu_guard(seconds: float):
    if not hasattr(signal, "setitimer"):          # pragma: no cover - not on this platform
        yield
        return

    def _fire(signum, frame):
        raise HangGuard(f"used more than {seconds} s of CPU time: a hang or a runaway computation")

    old = signal.signal(signal.SIGPROF, _fire)
    signal.setitimer(signal.ITIMER_PROF, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_PROF, 0)
        signal.signal(signal.SIGPROF, old)
