"""Every optional package a test skips without is declared by an extra, and the README says how to install it."""

import re
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:                      # Python < 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
#: import name -> distribution name, where they differ
DISTRIBUTION = {"distributed": "dask"}


def _names(requirements):
    return {re.split(r"[<>=!~;\[ ]", r, maxsplit=1)[0].strip().lower() for r in requirements}


def test_every_importorskip_is_declared():
    skipped = set()
    for f in (ROOT / "tests").glob("*.py"):
        skipped |= set(re.findall(r"importorskip\(\"([A-Za-z_][\w]*)", f.read_text(encoding="utf-8")))
    assert "axelrod" in skipped and "pygambit" in skipped
    declared = _names(PROJECT["dependencies"])
    for reqs in PROJECT["optional-dependencies"].values():
        declared |= _names(reqs)
    missing = {m for m in skipped if DISTRIBUTION.get(m, m).lower() not in declared}
    assert not missing, f"tests skip without {sorted(missing)}, which no extra declares"


def test_axelrod_is_a_crosscheck_extra_not_a_test_one():
    extras = {k: _names(v) for k, v in PROJECT["optional-dependencies"].items()}
    assert "axelrod" in extras["crosscheck"]
    assert "axelrod" not in extras["test"]               # it pulls in torch: not for every test run
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert '".[test,crosscheck]"' in readme and "axelrod" in readme
