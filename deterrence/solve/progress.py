"""Progress reports of long solver runs: a line on stderr, or a callback.

Solvers whose work can grow large (:func:`~.pbe_tree.perfect_bayesian`,
:func:`~.pbe_signalling.signalling_pbe`, the batched PBE solvers) take a
``progress`` argument:

* ``None`` (the default): a line on stderr once a run has taken more than
  two seconds, so that no long run is silent;
* ``True``: the same after one second;
* ``False``: nothing;
* a callable: called as ``progress(done, total)`` at every step.
"""

from __future__ import annotations

import sys
import time

__all__ = ["Progress"]


class Progress:
    """Reports ``done`` of ``total`` steps of *what* (see the module docstring).

    Parameters
    ----------
    progress : None, bool or callable
    total : int
    what : str
        E.g. ``"perfect_bayesian: information sets"``.
    """

    def __init__(self, progress, total: int, what: str):
        self.callback = progress if callable(progress) else None
        self.after = None if progress is False or self.callback else (1.0 if progress is True else 2.0)
        self.total, self.what = total, what
        self.t0 = time.perf_counter()
        self.shown = False

    def update(self, done: int, detail: str = "") -> None:
        """Report that *done* steps are finished (*detail*: extra words for the stderr line)."""
        if self.callback is not None:
            self.callback(done, self.total)
        elif self.after is not None and time.perf_counter() - self.t0 > self.after:
            self.shown = True
            sys.stderr.write(f"\r{self.what}: {done}/{self.total}" + (f" ({detail})" if detail else ""))
            sys.stderr.flush()

    def close(self) -> None:
        """End the stderr line, if one was written."""
        if self.shown:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.shown = False
