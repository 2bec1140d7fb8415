"""The README's examples run as written (its claims are backed by code)."""

import re
import shlex
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
TEXT = README.read_text(encoding="utf-8")
PY_BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, re.S)
CLI_LINES = [line for block in re.findall(r"```bash\n(.*?)```", TEXT, re.S)
             for line in block.splitlines() if line.startswith("deterrence ")]


def test_readme_has_examples():
    assert len(PY_BLOCKS) >= 3 and len(CLI_LINES) >= 5


@pytest.mark.parametrize("k", range(len(PY_BLOCKS)))
def test_python_blocks_run(k, capsys):
    exec(compile(PY_BLOCKS[k], f"README block {k}", "exec"), {})
    assert capsys.readouterr().out.strip()


@pytest.mark.parametrize("line", CLI_LINES)
def test_cli_lines_run(line, tmp_path, monkeypatch, capsys):
    from deterrence.cli import main

    monkeypatch.chdir(tmp_path)
    args = shlex.split(line, comments=True)[1:]   # a trailing '# ...' is a comment, as in a shell
    assert main(args) == 0
    assert capsys.readouterr().out.strip()
