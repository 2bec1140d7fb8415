"""A structure-aware fuzzer of model files, with a fixed budget.

Mutations act on the parsed document, not on bytes: keys are deleted,
renamed or added, values replaced by values of other types (huge integers
beyond float64 and beyond Python's 4,300-digit limit, NaN and infinities,
hostile expressions, tables where lists belong), list entries duplicated or
dropped, node references broken, expressions grown (``**64``, ``^`` chains,
unknown names, long sums).  Each mutant is written by a TOML writer of this
file (independent of the package's) and must either load or raise a
:class:`~deterrence.errors.ModelError`; a model that loads must evaluate at
its defaults or raise a ModelError, and must round-trip through
``dumps``/``loads`` and pickle to the same canonical text.

The whole run happens in one subprocess under an address-space and a
CPU-time limit, and each case under an alarm, so a hang or a blow-up fails
the test with the seed of the case instead of taking the machine down.
"""

from __future__ import annotations

import json
import math
import pickle
import random
import signal
import sys
import tomllib
import traceback
from pathlib import Path

from _guarded import ROOT, run_guarded
from _toml_writer import Raw, to_toml

MODELS = ROOT / "models"
BUDGET = 300          # mutants per run (fixed, with fixed seeds)
SEED = 20261127
CASE_SECONDS = 10     # alarm per case inside the child


HUGE = [Raw("9" * 400), Raw("-" + "9" * 400), Raw("1" + "0" * 5000), 2 ** 63 - 1, -(2 ** 63), 10 ** 30]
FLOATS = [math.nan, math.inf, -math.inf, 1e308, -0.0, 5e-324, 1.7976931348623157e308]
EXPRS = ["p_B**64**64", "(" * 60 + "1" + ")" * 60, "a/0", "log(-1)", "exp(1000)", "1 -", "x y", "chance", "",
         "(a+b+c+d+e+f+g+h)**64", "2^2^2^2^2", "-" * 300 + "1", "1e400", ".5e-400", "max(" + ",".join("x" * 12) + ")",
         "+".join(["p^2"] * 520), "a" * 3000, "\u00e9", "\x1b]0;title\x07", "=HYPERLINK(\"x\")", "1e308*10",
         "sqrt(-4)", "abs(-3)^64", "0^-1", "(0.5)^(-64)"]
STRINGS = ["", " ", "chance", "x" * 5000, "\x00", "\ud7ff", "[", "nodes", "probability", "tree", "normal_form"]


def shipped_docs():
    docs = [tomllib.loads(p.read_text()) for p in sorted(MODELS.glob("*.toml"))]
    docs += [tomllib.loads(p.read_text()) for p in sorted(MODELS.glob("*/*.toml"))
             if "kind" in tomllib.loads(p.read_text()).get("model", {})
             and tomllib.loads(p.read_text())["model"]["kind"] in ("tree", "normal_form")]
    return docs


# ---------------------------------------------------------------------- mutations
def _paths(doc, prefix=()):
    out = []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.append(prefix + (k,))
            out += _paths(v, prefix + (k,))
    elif isinstance(doc, list):
        for j, v in enumerate(doc):
            out.append(prefix + (j,))
            out += _paths(v, prefix + (j,))
    return out


def _get(doc, path):
    for k in path:
        doc = doc[k]
    return doc


def _random_value(rng: random.Random, depth=0):
    kind = rng.randrange(9 if depth < 2 else 6)
    if kind == 0:
        return rng.choice(HUGE)
    if kind == 1:
        return rng.choice(FLOATS)
    if kind == 2:
        return rng.choice([True, False, 0, 1, -1, 0.5, 2])
    if kind == 3:
        return rng.choice(EXPRS)
    if kind == 4:
        return rng.choice(STRINGS)
    if kind == 5:
        return rng.uniform(-1e6, 1e6)
    if kind == 6:
        return [_random_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if kind == 7:
        return {rng.choice(STRINGS + ["id", "payoffs", "player", "actions"]) or "k": _random_value(rng, depth + 1)
                for _ in range(rng.randrange(3))}
    return {}


def _mutate_expr(rng: random.Random, s: str) -> str:
    op = rng.randrange(7)
    if op == 0:
        return f"({s})**64"
    if op == 1:
        return s + "^2" * rng.randrange(1, 6)
    if op == 2:
        return "+".join([s] * rng.randrange(2, 400))
    if op == 3:
        k = rng.randrange(len(s) + 1)
        return s[:k] + rng.choice(["*", "(", ")", " unknown_name ", "1e999", ",", "<", "9" * 500]) + s[k:]
    if op == 4:
        return s.replace("p", "q", 1)
    if op == 5:
        return f"max({s}, {s}, {s}, {s}, {s})"
    return f"1/({s} - {s})"


def mutate(rng: random.Random, doc: dict) -> dict:
    doc = json.loads(json.dumps(doc))            # a deep copy of plain data
    for _ in range(rng.randrange(1, 4)):
        paths = _paths(doc)
        if not paths:
            break
        path = rng.choice(paths)
        parent = _get(doc, path[:-1])
        key = path[-1]
        op = rng.randrange(9)
        if op == 8:                                            # numbers get a second chance (see op 5)
            nums = [p for p in paths if isinstance(_get(doc, p), (int, float)) and not isinstance(_get(doc, p), bool)]
            if nums:
                path = rng.choice(nums)
                parent, key, op = _get(doc, path[:-1]), path[-1], 5
        try:
            if op == 0:                                        # delete
                del parent[key]
            elif op == 1:                                      # replace by a value of any type
                parent[key] = _random_value(rng)
            elif op == 2 and isinstance(parent, dict):         # rename (breaks references, adds unknown keys)
                parent[rng.choice(STRINGS + [str(key) + "_", "chance", "id"]) or "_"] = parent.pop(key)
            elif op == 3 and isinstance(parent, list):         # duplicate or drop list entries
                if rng.random() < 0.5:
                    parent.insert(key, json.loads(json.dumps(parent[key])))
                else:
                    parent[:] = parent[:key]
            elif op == 4 and isinstance(parent[key], str):     # grow or break an expression / reference
                parent[key] = _mutate_expr(rng, parent[key])
            elif op == 5 and isinstance(parent[key], (int, float)) and not isinstance(parent[key], bool):
                # numbers are where range errors hide: a huge integer half the time
                parent[key] = rng.choice([str(parent[key]), -parent[key], parent[key] * 1e300] + 3 * [rng.choice(HUGE)])
            elif op == 6 and isinstance(parent[key], (list, dict)):   # the other container type
                v = parent[key]
                parent[key] = dict(enumerate(map(str, v))) if isinstance(v, list) else list(v.values())
            elif op == 7:                                      # an unknown key next to it
                if isinstance(parent, dict):
                    parent[rng.choice(["colour", "tags", "infoset", "root", "ordinal"])] = _random_value(rng)
        except (KeyError, IndexError, TypeError):
            pass
    return doc


# ---------------------------------------------------------------------- the child: run the budget
def _check_one(text: str, workdir: str):
    import contextlib
    import io
    import os

    from deterrence.cli import main
    from deterrence.errors import ModelError
    from deterrence.io.model_file import dumps, loads

    try:
        model = loads(text, path="fuzz.toml")
    except ModelError:
        return
    try:
        model.at()
    except ModelError:
        pass
    # the command line solves it or refuses it in one line (exit 0 or 2), never an internal error
    path = os.path.join(workdir, "fuzz.toml")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(text)
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = main(["solve", path])
    if code not in (0, 2):
        raise AssertionError(f"deterrence solve exited {code}: {err.getvalue()[:300]}")
    canonical = dumps(model)
    again = loads(canonical, path="canonical.toml")
    if dumps(again) != canonical:
        raise AssertionError("dumps(loads(dumps(m))) differs from dumps(m)")
    if dumps(pickle.loads(pickle.dumps(model))) != canonical:
        raise AssertionError("a pickled model prints differently")


def child_main(seed: int, budget: int) -> None:
    """Run *budget* mutants; print one JSON line per failure (seed, error) and a final count."""
    docs = shipped_docs()

    def alarm(signum, frame):
        raise TimeoutError(f"case took more than {CASE_SECONDS} s")

    signal.signal(signal.SIGALRM, alarm)
    import tempfile
    workdir = tempfile.mkdtemp(prefix="fuzz-")
    failures = 0
    for case in range(budget):
        rng = random.Random(seed * 1_000_003 + case)
        text = to_toml(mutate(rng, rng.choice(docs)))
        signal.alarm(CASE_SECONDS)
        try:
            _check_one(text, workdir)
        except BaseException as exc:                      # noqa: BLE001 - every other outcome is a finding
            failures += 1
            print(json.dumps({"case": case, "error": f"{type(exc).__name__}: {str(exc)[:300]}",
                              "where": traceback.format_exc(limit=-3)[-600:]}))
        finally:
            signal.alarm(0)
    print(json.dumps({"done": budget, "failures": failures}))


def test_structure_aware_fuzz_only_model_errors():
    code = (f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); import test_bounded_fuzz as f; "
            f"f.child_main({SEED}, {BUDGET})")
    r = run_guarded(["-c", code], cpu=300, mem=2_000_000_000, wall=900)
    lines = [json.loads(x) for x in r.stdout.splitlines() if x.startswith("{")]
    assert r.returncode == 0, (r.returncode, r.stderr[-800:], lines[-3:])
    assert lines and lines[-1] == {"done": BUDGET, "failures": 0}, "\n".join(map(str, lines[:5]))


def test_fuzzer_mutates_structure_not_only_bytes():
    """The fuzzer reaches the validator's branches: its mutants fail under many different keys."""
    from deterrence.errors import ModelError
    from deterrence.io.model_file import loads

    docs = shipped_docs()
    keys = set()
    for case in range(120):
        rng = random.Random(7 + case)
        try:
            loads(to_toml(mutate(rng, rng.choice(docs))), path="f.toml")
        except ModelError as exc:
            keys.add(str(exc).split(": ")[1].split("[")[0].split(".")[0] if ": " in str(exc) else "")
    assert {"nodes", "parameters", "model"} <= keys or len(keys) >= 5, keys


if __name__ == "__main__":          # python tests/test_bounded_fuzz.py SEED BUDGET
    child_main(int(sys.argv[1]), int(sys.argv[2]))
