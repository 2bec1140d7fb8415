"""Running the command line inside a test: ``run(capsys, *argv)`` gives (exit code, stdout, stderr)."""

from __future__ import annotations

from deterrence.cli import main


def run(capsys, *argv):
    """``deterrence ARGV...`` in this process; arguments may be paths or numbers (passed as their text)."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err
