"""Atomic file output: check the path first, write a temporary file, move it into place.

Every file the package writes (sweep tables, figures, Gambit exports) goes
through :func:`atomic_path`:

* the target is checked *before* any work (:func:`check_output_path`): its
  directory must exist and be writable, and the target must not be a
  directory;
* the data go to a hidden temporary file ``.NAME.xxxx.part`` in the target's
  directory, which replaces the target with :func:`os.replace` only once
  complete;
* on any exception, ``KeyboardInterrupt`` (SIGINT), and on SIGTERM or SIGHUP
  (what batch schedulers send), the temporary file is removed and the target
  is left as it was.  A SIGTERM/SIGHUP whose handler is the default one is
  turned into :class:`Terminated` while the file is open; once the file is
  cleaned up the process is terminated by the same signal, as it would have
  been without the guard;
* the file gets the mode a plain ``open`` would give it: that of the file it
  replaces, or ``0666`` less the umask for a new file;
* write errors (a full disk) name the target file.
"""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from contextlib import contextmanager

from ..errors import ModelError

__all__ = ["Terminated", "atomic_path", "atomic_write", "check_output_path", "termination_signals",
           "raise_on_termination"]

#: Signals turned into :class:`Terminated` while an output file is being written.
_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Terminated(BaseException):
    """The process received SIGTERM or SIGHUP (``signum``) while writing a file.

    A :class:`BaseException`, like :class:`KeyboardInterrupt`, so that ordinary
    ``except Exception`` blocks do not swallow it.
    """

    def __init__(self, signum: int):
        self.signum = int(signum)
        super().__init__(f"terminated by {signal.Signals(self.signum).name}")


def _raise_terminated(signum, frame):
    raise Terminated(signum)


def raise_on_termination() -> dict:
    """Make SIGTERM and SIGHUP raise :class:`Terminated` for good, where their handler is the default.

    For a program's entry point (the ``deterrence`` command), which reports the
    signal itself.  Returns ``{signal: previous handler}`` to restore; empty
    outside the main thread.
    """
    old = {}
    if threading.current_thread() is threading.main_thread():
        for sig in _SIGNALS:
            try:
                if signal.getsignal(sig) == signal.SIG_DFL:
                    old[sig] = signal.signal(sig, _raise_terminated)
            except (ValueError, OSError):      # pragma: no cover - e.g. an embedded interpreter
                pass
    return old


@contextmanager
def termination_signals():
    """Within the block, SIGTERM and SIGHUP raise :class:`Terminated` (where their handler is the default).

    Handlers the program installed itself, and ignored signals (``nohup``), are
    left alone; so is everything outside the main thread.  When the block exits
    through :class:`Terminated` raised by this guard, the default handlers are
    restored and the process is terminated by that signal (after the cleanup
    code of the enclosed ``finally``/``except`` blocks ran).
    """
    installed = {}
    if threading.current_thread() is threading.main_thread():
        for sig in _SIGNALS:
            try:
                if signal.getsignal(sig) == signal.SIG_DFL:
                    signal.signal(sig, _raise_terminated)
                    installed[sig] = signal.SIG_DFL
            except (ValueError, OSError):      # pragma: no cover - e.g. an embedded interpreter
                pass
    try:
        yield
    except Terminated as exc:
        if exc.signum not in installed:
            raise
        for sig, old in installed.items():
            signal.signal(sig, old)
        installed = {}
        os.kill(os.getpid(), exc.signum)       # default action: the process ends with this signal
        raise                                  # pragma: no cover - only if the signal did not end us
    finally:
        for sig, old in installed.items():
            signal.signal(sig, old)


def check_output_path(path) -> str:
    """Check that *path* can be written, before any work is done; return it as a string.

    Raises
    ------
    ModelError
        The directory does not exist or is not writable (a read-only file
        system included), or *path* is a directory.
    """
    path = os.fspath(path)
    if not path:
        raise ModelError("output path is empty")
    directory = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        raise ModelError(f"{path}: is a directory; give a file name")
    if not os.path.isdir(directory):
        raise ModelError(f"{path}: directory {directory} does not exist")
    if not os.access(directory, os.W_OK | os.X_OK):
        why = "is on a read-only file system" if _read_only(directory) else "is not writable"
        raise ModelError(f"{path}: directory {directory} {why}")
    return path


def _read_only(directory) -> bool:
    try:
        return bool(os.statvfs(directory).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):          # pragma: no cover
        return False


def _umask() -> int:
    """The process umask, read without changing it where the system allows (Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    old = os.umask(0o022)                      # elsewhere: set and restore (not thread-safe, brief)
    os.umask(old)
    return old


def _target_mode(path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


@contextmanager
def atomic_path(path):
    """A temporary path next to *path*; on success it is moved onto *path*.

    On any exception (``KeyboardInterrupt`` and :class:`Terminated` included)
    the temporary file is removed and *path* is left as it was.  An
    :class:`OSError` raised while writing (a full disk) is re-raised naming
    *path*.
    """
    path = check_output_path(path)
    directory = os.path.dirname(os.path.abspath(path))
    with termination_signals():
        try:
            fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".part", dir=directory)
        except OSError as exc:
            raise ModelError(f"{path}: cannot create a file in {directory}: {exc.strerror}") from None
        try:
            os.close(fd)
            os.chmod(tmp, _target_mode(path))
            yield tmp
            os.replace(tmp, path)
        except BaseException as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            if isinstance(exc, OSError) and not isinstance(exc, ModelError) and exc.errno is not None \
                    and exc.filename in (None, tmp):
                raise OSError(exc.errno, exc.strerror or os.strerror(exc.errno), path) from None
            raise


@contextmanager
def atomic_write(path, mode: str = "w", **kwargs):
    """Open a temporary file next to *path*; on success move it onto *path* (see :func:`atomic_path`)."""
    with atomic_path(path) as tmp:
        with open(tmp, mode, **kwargs) as fh:
            yield fh

