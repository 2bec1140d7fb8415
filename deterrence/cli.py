"""The ``deterrence`` command.

::

    deterrence list                                   shipped models
    deterrence show MODEL [--latex]                   players, parameters, structure
    deterrence solve MODEL --set p_B=0.3 [--concept nash|pure|spe|pbe|qre]
    deterrence sweep MODEL --grid p_B=0:1:101 --grid a_SQ=-1:1:51 --out FILE [--plot FILE]
    deterrence export MODEL --format efg|nfg [--set ...] [--out FILE]
    deterrence claims [MODEL] [--samples N] [--seed S]  check the claims shipped with the models
    deterrence demo                                   a worked example, end to end

MODEL is a shipped model name (``deterrence list``), a model family with its
arguments (``guarantors_dilemma:n=5``) or a path to a model file.
Output is a human-readable table; ``--json`` prints JSON instead.  In the
tables a number of magnitude below :data:`PRINT_ZERO` (1e-12) prints as 0:
it is round-off (a measure's ``1e-15`` guard in Bayes' rule, a probability
computed as ``1 - 1``); the JSON, the written tables and the returned
numbers keep the value computed.  Exit codes:
0 success, 2 usage error or bad model/input (one line on stderr, no
traceback), 1 any other failure.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import re
import signal
import sys
from typing import Sequence

import numpy as np

from .analysis.provenance import DEFAULT_SEED
from .errors import CertificateError, ModelError

__all__ = ["main"]

PROG = "deterrence"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message):          # one line, exit code 2 (raised, handled in main)
        raise _UsageError(message)


def _fail(message: str, code: int) -> int:
    sys.stderr.write(f"{PROG}: error: {_escape(str(message), keep='')}\n")
    return code


# ---------------------------------------------------------------------- safe terminal output
#: Characters a terminal may act on (C0 and C1 controls, DEL) or that hide or reorder text
#: (soft hyphen, zero-width and bidirectional controls, line/paragraph separators, tags, BOM).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u2028-\u202e"
                     "\u2060-\u206f\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]")


def _escape(text: str, keep: str = "\n\t") -> str:
    """*text* with every unsafe character but those in *keep* written as a Python escape (``\\x1b``)."""
    def rep(m):
        c = m.group()
        if c in keep:
            return c
        o = ord(c)
        return f"\\x{o:02x}" if o < 0x100 else (f"\\u{o:04x}" if o < 0x10000 else f"\\U{o:08x}")
    return _UNSAFE.sub(rep, text)


class _EscapedStream(io.TextIOBase):
    """A text stream that escapes terminal control characters before passing the text on.

    Everything the CLI prints goes through it, so model text (titles, labels,
    node ids) can never reach the terminal as an escape sequence."""

    def __init__(self, raw, keep):
        self._raw, self._keep = raw, keep

    def write(self, s):
        self._raw.write(_escape(s, self._keep))
        return len(s)

    def flush(self):
        self._raw.flush()

    def isatty(self):
        try:
            return self._raw.isatty()
        except ValueError:      # a closed stream is no terminal (asked at exit, e.g. by colorama via numba)
            return False

    def fileno(self):
        return self._raw.fileno()

    @property
    def encoding(self):
        return getattr(self._raw, "encoding", "utf-8")


# ---------------------------------------------------------------------- helpers
def _load(name):
    if isinstance(name, str) and name.lower().endswith((".efg", ".nfg")):
        from .io.gambit_read import read_gambit_model    # a Gambit file: a model without parameters
        return read_gambit_model(name)
    from .library import load_model
    return load_model(name)


def _parse_sets(items) -> dict:
    out = {}
    for it in items or []:
        if "=" not in it:
            raise ModelError(f"--set {it!r}: write name=value")
        k, v = it.split("=", 1)
        k = k.strip()
        try:
            out[k] = float(v)
        except ValueError:
            raise ModelError(f"--set {it!r}: {v!r} is not a number") from None
    return out


def _parse_grids(items) -> dict:
    """``{name: axis text}``; the sweep parses the axes (lazily: a huge axis is refused, not built)."""
    out = {}
    for it in items or []:
        if "=" not in it:
            raise ModelError(f"--grid {it!r}: write name=lo:hi:n")
        k, v = it.split("=", 1)
        if k.strip() in out:
            raise ModelError(f"--grid: parameter {k.strip()!r} given twice")
        out[k.strip()] = v
    return out


def _table(rows, headers) -> str:
    rows = [[_escape(str(c), keep="") for c in r] for r in rows]     # one line per row, whatever the labels
    headers = [_escape(str(h), keep="") for h in headers]
    widths = [max([len(h)] + [len(r[k]) for r in rows]) for k, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)) for r in rows]
    return "\n".join(out)


#: Printed numbers of magnitude below this print as 0 (display only: JSON and returned values are unchanged).
PRINT_ZERO = 1e-12


def _num(x) -> str:
    v = float(x)
    if abs(v) < PRINT_ZERO:          # round-off, and -0.0, print as 0
        return "0"
    return f"{v:.6g}"


def _print_json(obj):
    print(json.dumps(obj, indent=2, default=_json_default))


def _json_default(o):
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, (np.floating, np.integer)):
        return o.item()
    if isinstance(o, np.bool_):
        return bool(o)
    return str(o)


# ---------------------------------------------------------------------- commands
def cmd_list(args) -> int:
    from .library import family_of, list_models
    rows = []
    for name in list_models():
        fam = family_of(name)
        try:
            m = _load(name)
            row = {"name": name, "kind": getattr(m, "kind", ""), "title": m.title or "",
                   "players": list(m.players), "parameters": list(m.parameter_names),
                   "from": "family" if fam else "file"}
            if fam:            # a family: its own title, and its arguments (name:arg=value)
                f = fam[0]
                row["title"] = f.title
                row["arguments"] = {k: {"min": lo, "max": hi, "default": d, "meaning": mn}
                                    for k, (lo, hi, d, mn) in f.arguments.items()}
            rows.append(row)
        except ModelError as exc:
            rows.append({"name": name, "error": str(exc)})
    if args.json:
        _print_json(rows)
    else:
        def from_(r):
            if r.get("from") != "family":
                return r.get("from", "")
            return "family " + ", ".join(f"{k}={v['min']}..{v['max']}" for k, v in r["arguments"].items())
        print(_table([[r["name"], r.get("kind", ""), from_(r), r.get("title", r.get("error", ""))] for r in rows],
                     ["model", "kind", "from", "title"]))
        if any(r.get("from") == "family" for r in rows):
            print("\nA family takes arguments after a colon: deterrence show guarantors_dilemma:n=5")
    return 0


def _describe(m) -> dict:
    params = []
    for p in m.parameters.values():
        params.append({"name": p.name, "domain": str(p.domain), "default": p.default, "unit": p.unit,
                       "meaning": p.meaning, "source": p.source})
    d = {"name": m.name, "title": m.title, "kind": m.kind, "description": m.description, "source": m.source,
         "players": list(m.players), "parameters": params, "constraints": [str(c.text) for c in m.constraints]}
    if m.kind == "tree":
        d["nodes"] = [_node_text(n) for n in m.node_specs()]
    else:
        d["actions"] = {p: list(a) for p, a in zip(m.players, m.actions)}
        d["payoffs"] = {", ".join(prof): [str(e) for e in vec] for prof, vec in m.payoff_table().items()}
        d["tags"] = {", ".join(prof): list(t) for prof, t in m.outcome_tags().items()}
    if getattr(m, "derived", None) is not None:     # quantities the family computes in Python
        d["derived"] = {"names": list(m.derived.names), "meaning": m.derived.meaning}
    d["measures"] = [meas.to_dict() for meas in m.measures.values()]
    d["claims"] = [{"id": c.id, "kind": c.kind, "statement": c.statement(), "source": c.source, "words": c.words}
                   for c in m.claims]
    return d


def _node_text(n) -> dict:
    out = {"id": n["id"]}
    if "payoffs" in n:
        out["payoffs"] = [str(e) for e in n["payoffs"]]
        if "outcome" in n:
            out["outcome"] = n["outcome"]
        if n.get("tags"):
            out["tags"] = list(n["tags"])
    elif "probabilities" in n:
        out["chance"] = {a: [c, str(n["probabilities"][a])] for a, c in n["actions"].items()}
    else:
        out["player"] = n["player"]
        out["actions"] = dict(n["actions"])
        if "infoset" in n:
            out["infoset"] = n["infoset"]
    return out


def cmd_show(args) -> int:
    m = _load(args.model)
    if getattr(m, "kind", "") == "dynamics":
        from . import cli_dynamics
        return cli_dynamics.show(m, args, _table, _num, _print_json, _short_source)
    if getattr(m, "kind", "") == "computed":
        from . import cli_computed
        return cli_computed.show(m, args, _table, _num, _print_json, _short_source)
    d = _describe(m)
    if args.latex:
        from .analysis.symbolic import latex_payoffs
        d["latex_payoffs"] = latex_payoffs(m)
    if args.json:
        _print_json(d)
        return 0
    print(f"{m.name}: {m.title or ''}  ({m.kind})")
    if m.source:
        print(f"source: {' '.join(m.source.split())}")
    print(f"players: {', '.join(m.players)}")
    if d["parameters"]:
        print("\nparameters:")
        print(_table([[p["name"], p["domain"], "" if p["default"] is None else _num(p["default"]), p["unit"] or "",
                       p["meaning"]] for p in d["parameters"]], ["name", "domain", "default", "unit", "meaning"]))
    if d["constraints"]:
        print("\nconstraints: " + "; ".join(d["constraints"]))
    if m.kind == "tree":
        print("\nnodes:")
        for n in d["nodes"]:
            if "payoffs" in n:
                tags = f" tags [{', '.join(n['tags'])}]" if n.get("tags") else ""
                print(f"  {n['id']}: terminal {n.get('outcome', '')!r}{tags} payoffs ({', '.join(n['payoffs'])})")
            elif "chance" in n:
                print(f"  {n['id']}: chance " + ", ".join(f"{a} -> {c} [{p}]" for a, (c, p) in n["chance"].items()))
            else:
                iset = f" (information set {n['infoset']})" if "infoset" in n else ""
                print(f"  {n['id']}: {n['player']}{iset} " + ", ".join(f"{a} -> {c}" for a, c in n["actions"].items()))
    else:
        print("\nactions: " + "; ".join(f"{p}: {', '.join(a)}" for p, a in d["actions"].items()))
        print("\npayoffs:")
        print(_table([[k] + v + [", ".join(d["tags"].get(k, []))] for k, v in d["payoffs"].items()],
                     ["profile"] + list(m.players) + ["tags"]))
    if d.get("derived"):
        names = d["derived"]["names"]
        print(f"\nderived quantities (computed in Python from the parameters, batched): "
              f"{', '.join(names[:6])}{', ...' if len(names) > 6 else ''}\n  {d['derived']['meaning']}")
    if d["measures"]:
        print("\nmeasures:")
        print(_table([[x["name"], x["expr"], x["unit"], x["meaning"]] for x in d["measures"]],
                     ["name", "expression", "unit", "meaning"]))
    if d["claims"]:
        print("\nclaims (deterrence claims " + m.name + " checks them):")
        for c in d["claims"]:
            print(f"  {c['id']} ({c['kind']}): {c['statement']}  [{_short_source(c['source'])}]")
    if args.latex:
        print("\nLaTeX payoffs:\n" + d["latex_payoffs"])
    return 0


def _equilibrium_dict(e) -> dict:
    return {"strategies": {p: {a: float(x) for a, x in zip(acts, s)}
                           for p, acts, s in zip(e.players, e.actions, e.strategies)},
            "payoffs": {p: float(v) for p, v in zip(e.players, e.payoffs)}, "regret": float(e.regret)}


def cmd_solve(args) -> int:
    from .solve.concepts import route
    m = _load(args.model)
    values = _parse_sets(args.set)
    if getattr(m, "kind", "") == "dynamics":
        from . import cli_dynamics
        return cli_dynamics.solve(m, args, values, _print_json, _num)
    if getattr(m, "kind", "") == "computed":
        if args.time:
            raise ModelError(f"--time goes with a dynamics model; {m.name!r} is a computed model")
        from . import cli_computed
        return cli_computed.solve(m, args, values, _print_json, _num)
    if args.time:
        raise ModelError(f"--time goes with a dynamics model; {m.name!r} is a game ({m.kind})")
    game = m.at(values)
    r = route(game, args.concept)      # refuses a concept that does not apply, with the reason
    point = {k: float(v) for k, v in m.point(values)[0].items()}
    result: dict = {"model": m.name, "concept": r.concept, "computes": r.computes, "game": r.kind,
                    "parameters": point}
    if r.kind == "perfect_information":
        from .solve.spe import subgame_perfect
        _tree_result(result, m, game, subgame_perfect(game))
    elif r.kind == "hides_only_chance":
        from .solve.bayesian import bayesian_backward_induction
        res = bayesian_backward_induction(game)
        _tree_result(result, m, game, res)
        result["beliefs"] = {h.label: {k: float(v[0]) for k, v in res.belief(h.label).items()}
                             for h in game.infosets if len(h.nodes) > 1}
    elif r.kind in ("signalling", "incomplete_information"):
        from .solve.pbe import perfect_bayesian
        res = perfect_bayesian(game)
        result["complete"] = bool(res.complete)
        result["equilibria"] = [_pbe_dict(e, m.players) for e in res]
    else:
        if r.concept == "pure":
            from .solve.pure import pure_nash
            eqs = pure_nash(game)
        elif r.concept == "symmetric":
            from .solve.symmetric import symmetric_equilibria
            res = symmetric_equilibria(game)
            eqs = list(res.equilibria)
            result["complete"] = bool(res.complete)
            result["continuum"] = bool(res.continuum[0])
            result["note"] = res.notes[0]
            result["notes"] = list(res.notes)          # why a listing is incomplete comes after the first
        elif r.concept == "nash":
            if game.n_players == 2:
                from .solve.bimatrix import enumerate_equilibria
                es = enumerate_equilibria(game)
            else:
                from .solve.nplayer import enumerate_nplayer
                es = enumerate_nplayer(game)
            eqs = list(es.extreme)
            result["complete"] = bool(es.complete)
        else:
            from .solve.qre import logit_qre
            q = logit_qre(game, args.lam)
            result["lambda"] = args.lam
            result["qre"] = {p: {a: float(x) for a, x in zip(acts, s)}
                             for p, acts, s in zip(game.players, game.actions, q.strategies)}
            eqs = []
        result["equilibria"] = [_equilibrium_dict(e) for e in eqs]
        if r.concept == "symmetric":                 # every player plays the same: say it once
            for d, e in zip(result["equilibria"], eqs):
                d["symmetric_strategy"] = {a: float(x) for a, x in zip(e.actions[0], e.strategies[0])}
        if m.measures and r.concept in ("nash", "pure", "symmetric"):
            from .analysis.equilibrium_sets import equilibria_from_strategies
            pts = {k: np.array([v]) for k, v in point.items()}
            result["measures"] = _measures_field(m, equilibria_from_strategies(game, [e.strategies for e in eqs],
                                                                               r.concept), pts)
    if m.measures and m.kind == "tree":
        from .analysis.equilibrium_sets import equilibrium_set
        pts = {k: np.array([v]) for k, v in point.items()}
        kind = "spe" if r.kind == "perfect_information" else "pbe"
        try:
            result["measures"] = _measures_field(m, equilibrium_set(m, pts, kind), pts)
        except ModelError as exc:          # a listing that does not apply here: said, not hidden
            result["measures_note"] = f"measures not computed: {exc}"
    from .analysis.provenance import provenance
    from .solve.results import DEFAULT_TOL
    result["provenance"] = provenance(m, concept=result["concept"], tol=DEFAULT_TOL, point=point)
    if args.json:
        _print_json(result)
        return 0
    _print_solution(result)
    _print_measures(result)
    return 0


def _tree_result(result, m, game, res):
    """Fill *result* from a batched pure tree solution (subgame_perfect, bayesian_backward_induction) of one game."""
    result["outcomes"] = {k: float(v[0]) for k, v in res.outcome_probabilities.items()}
    result["payoffs"] = {p: float(v) for p, v in zip(m.players, res.payoffs[0])}
    result["path"] = [list(x) for x in res.path(0)]
    result["unique"] = bool(res.unique[0])
    result["regret"] = float(res.regret[0])
    if hasattr(res, "choice"):
        result["equilibria"] = [{"strategy": res.choice(0),
                                 "outcomes": {k: v for k, v in result["outcomes"].items() if v > 0},
                                 "payoffs": result["payoffs"]}]


def _pbe_dict(e, players) -> dict:
    """One perfect Bayesian equilibrium as plain data: behaviour, outcomes, payoffs, beliefs."""
    strategy = {}
    for lab, acts, p in zip(e.infosets, e.actions, e.profile):
        p = np.asarray(p, dtype=float)
        strategy[lab] = acts[int(np.argmax(p))] if p.max() > 1 - 1e-12 else \
            {a: float(x) for a, x in zip(acts, p) if x > 1e-12}
    outcomes = getattr(e, "outcome_probabilities", None) or e.outcome_probs
    beliefs = {}
    for h, (lab, on, mu) in enumerate(zip(e.infosets, e.on_path, e.beliefs)):
        if on and len(mu) > 1:
            names = e.nodes[h] if h < len(e.nodes) else tuple(str(k) for k in range(len(mu)))
            beliefs[lab] = {v: float(q) for v, q in zip(names, mu)}
    return {"kind": e.kind, "continuum": bool(e.continuum), "strategy": strategy,
            "outcomes": {k: float(v) for k, v in outcomes.items() if v > 1e-12},
            "payoffs": {p: float(v) for p, v in zip(players, e.payoffs)},
            "beliefs": beliefs, "off_path_beliefs": {h: bs.describe() for h, bs in e.belief_sets.items()},
            "regret": float(max(e.regret, e.nash_regret))}


def _measures_field(m, eqs, pts) -> dict:
    """``{measure: {meaning, unit, values (one per equilibrium), min, max}}`` at one point."""
    from .analysis.measures import evaluate_measure
    out = {}
    for name, meas in m.measures.items():
        v = evaluate_measure(meas, m, eqs, pts)
        out[name] = {"meaning": meas.meaning, "unit": meas.unit, "values": [float(x) for x in v],
                     "min": float(v.min()) if v.size else None, "max": float(v.max()) if v.size else None,
                     "equilibria": eqs.description + ("" if bool(eqs.complete.all()) else " (listing incomplete)")}
    return out


def _print_measures(r):
    ms = r.get("measures")
    if not ms:
        if r.get("measures_note"):
            print(f"\nmeasures: {r['measures_note']}")
        return
    rows = []
    for name, d in ms.items():
        vals = d["values"]
        if not vals:
            shown = "no equilibrium"
        elif d["max"] - d["min"] <= 1e-9 * max(1.0, abs(d["max"])):
            shown = _num(d["min"]) + (f" (all {len(vals)} equilibria)" if len(vals) > 1 else "")
        else:
            shown = f"{_num(d['min'])} to {_num(d['max'])} over {len(vals)} equilibria: " + ", ".join(map(_num, vals))
        rows.append([name, shown, d["unit"], d["meaning"]])
    print("\nmeasures (" + next(iter(ms.values()))["equilibria"] + "):")
    print(_table(rows, ["measure", "value", "unit", "meaning"]))


def _eval_sym(expr, m, point):
    from .symbolic.conditions import evaluate_expr
    return evaluate_expr(expr, m.symbols(), point)


def _print_solution(r):
    print(f"{r['model']}: {r['concept']} ({r['computes']})")
    if r["parameters"]:
        print("at " + ", ".join(f"{k}={_num(v)}" for k, v in r["parameters"].items()))
    if "outcomes" in r:
        print("\noutcome probabilities:")
        print(_table([[k, _num(v)] for k, v in r["outcomes"].items()], ["outcome", "probability"]))
        print("\npayoffs: " + ", ".join(f"{p}={_num(v)}" for p, v in r["payoffs"].items()))
        if r.get("equilibria") and "strategy" in r["equilibria"][0]:
            print("strategy (every information set, on and off the path): "
                  + "; ".join(f"{h}: {a}" for h, a in r["equilibria"][0]["strategy"].items()))
        print("path: " + "; ".join(f"{node} {mover}: {a}" + (f" ({_num(p)})" if p < 1 else "")
                                   for node, mover, a, p in r["path"]))
        for h, bel in r.get("beliefs", {}).items():
            print(f"beliefs at {h}: " + ", ".join(f"{v}={_num(x)}" for v, x in bel.items()))
        print(f"unique: {r['unique']}   regret: {r['regret']:.1e}")
        return
    if "qre" in r:
        print(f"\nlogit QRE at lambda={r['lambda']}:")
        for p, s in r["qre"].items():
            print(f"  {p}: " + ", ".join(f"{a}={_num(x)}" for a, x in s.items()))
        return
    eqs = r.get("equilibria", [])
    print(f"\n{len(eqs)} equilibri{'um' if len(eqs) == 1 else 'a'}" +
          ("" if r.get("complete", True) else " (not certified complete)"))
    for note in r.get("notes", []):
        print(f"  note: {note}")
    rows = []
    for k, e in enumerate(eqs, 1):
        if "symmetric_strategy" in e:
            strat = f"every one of the {len(e['strategies'])} players: " + \
                ", ".join(f"{a}={_num(x)}" for a, x in e["symmetric_strategy"].items() if x > 0)
        elif "strategies" in e:
            strat = "; ".join(f"{p}: " + ", ".join(f"{a}={_num(x)}" for a, x in s.items() if x > 0)
                              for p, s in e["strategies"].items())
        else:
            strat = "; ".join(f"{h}: {_choice_text(a)}" for h, a in e["strategy"].items())
            strat += "  -> " + ", ".join(f"{o} {_num(p)}" for o, p in e["outcomes"].items())
        rows.append([k, strat, ", ".join(_num(v) for v in e["payoffs"].values())])
    if rows:
        print(_table(rows, ["#", "strategies", "payoffs"]))
    for k, e in enumerate(eqs, 1):
        notes = [f"{h}: " + ", ".join(f"{v} {_num(q)}" for v, q in bel.items())
                 for h, bel in e.get("beliefs", {}).items()]
        notes += [f"off path {h}: {text}" for h, text in e.get("off_path_beliefs", {}).items()]
        if "kind" in e:
            notes.insert(0, e["kind"] + (" (a continuum)" if e.get("continuum") else ""))
        if notes:
            print(f"[{k}] " + "; ".join(notes))


def _choice_text(a) -> str:
    """An action, or a mixed action as 'a 0.4, b 0.6'."""
    if isinstance(a, dict):
        return ", ".join(f"{x} {_num(p)}" for x, p in a.items())
    return str(a)


def _parse_bounds(items) -> dict:
    out = {}
    for it in items or []:
        k, sep, v = it.partition("=")
        lo, sep2, hi = v.partition(":")
        try:
            if not (sep and sep2):
                raise ValueError
            out[k.strip()] = (float(lo), float(hi))
        except ValueError:
            raise ModelError(f"--bounds {it!r}: write name=lo:hi (e.g. a_SQ=-1:1)") from None
    return out


def _check_plot_path(path) -> None:
    """Refuse, before the sweep, a figure path matplotlib cannot write (or matplotlib missing)."""
    from .analysis.atomic import check_output_path
    try:
        from matplotlib.backend_bases import FigureCanvasBase
    except ImportError:
        raise ModelError("--plot needs matplotlib: pip install 'deterrence[plot]'") from None
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    formats = FigureCanvasBase.get_supported_filetypes()
    if ext not in formats:
        raise ModelError(f"--plot {path}: unknown figure format {ext!r}; use one of {', '.join(sorted(formats))}")
    check_output_path(path)


#: Largest grid drawn by --plot (the outcomes of every cell are kept in memory for the figure).
_MAX_PLOT_CELLS = 4_000_000


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (plural or word + 's')}"


def cmd_sweep(args) -> int:
    from .analysis.sweep import parse_axis, sweep
    from .analysis.atomic import check_output_path
    from .analysis.table import output_format
    m = _load(args.model)
    grid = _parse_grids(args.grid)
    fixed = _parse_sets(args.set)
    if getattr(m, "kind", "") == "dynamics":
        from . import cli_dynamics
        return cli_dynamics.sweep(m, args, grid, fixed, _table, _num, _print_json, _plural, _check_plot_path)
    if getattr(m, "kind", "") == "computed":
        from . import cli_computed
        cli_computed.refuse(m, "sweep", "its claims are checked by 'deterrence claims' and its measures at a "
                                        "point by 'deterrence solve'")
    bounds = _parse_bounds(args.bounds)
    if not grid and args.samples is None:
        raise ModelError("sweep: give at least one --grid name=lo:hi:n (or --samples N)")
    if bounds and args.samples is None:
        raise ModelError("--bounds sets sampling ranges: use it with --samples")
    if args.threshold is not None and not (args.measure and args.plot):
        raise ModelError("--threshold goes with --measure NAME and --plot FILE (the contour on the heat map)")
    if args.plot and args.measure and len(args.measure) != 1:
        raise ModelError("--plot with --measure draws a heat map of one measure: give one --measure")
    if args.plot:
        if len(grid) != 2:
            raise ModelError(f"--plot draws a region map over exactly two --grid parameters; {len(grid)} given")
        from .analysis.points import axis_length
        cells = math.prod(axis_length(v) for v in grid.values())
        if cells > _MAX_PLOT_CELLS:
            raise ModelError(f"--plot: a map of {cells:,} grid cells is too large to draw (at most "
                             f"{_MAX_PLOT_CELLS:,}, e.g. 2000 x 2000); coarsen the grid, or drop --plot and use --out")
        _check_plot_path(args.plot)
    if args.out:
        check_output_path(args.out)
        output_format(args.out)
    table = sweep(m, grid or None, samples=args.samples, bounds=bounds or None, seed=args.seed, fixed=fixed,
                  concept=args.concept or "auto", chunk_size=args.chunk_size,
                  progress=True if args.progress else None, out=args.out,
                  keep=["outcome"] if args.plot else False, measures=args.measure if args.measure else None)
    meta = table.meta
    total = int(meta["points"])
    outcomes = dict(sorted(meta["outcomes"].items()))
    summary = {"model": m.name, "concept": meta["concept"], "computes": meta.get("computes", ""), "points": total,
               "outcomes": outcomes,
               "sampled" if args.samples is not None else "grid": meta["swept"], "held": meta["held"],
               "fixed": meta["fixed"], "out": args.out, "plot": args.plot}
    if args.samples is not None:
        summary["seed"] = args.seed
    if meta.get("measures"):
        summary["measures"] = meta["measures"]
    summary["provenance"] = meta.get("provenance")
    if args.plot and args.measure:
        from .analysis.measure_maps import measure_map
        from .plot.heatmap import plot_measure_map
        (xn, xs), (yn, ys) = list(grid.items())
        mm = measure_map(m, args.measure[0], (xn, parse_axis(xs)), (yn, parse_axis(ys)), threshold=args.threshold,
                         fixed=fixed, concept=meta["concept"])
        plot_measure_map(mm, args.plot, model=m)      # the value, and the threshold contour with --threshold
    elif args.plot:
        from .analysis.regions import region_map_from_table
        from .plot.regions import plot_regions
        (xn, xs), (yn, ys) = list(grid.items())
        rm = region_map_from_table(m, (xn, parse_axis(xs)), (yn, parse_axis(ys)), table, fixed=fixed,
                                   concept=meta["concept"])
        plot_regions(rm, args.plot)
    if args.json:
        _print_json(summary)
        return 0
    computes = f" ({summary['computes']})" if summary["computes"] else ""
    print(f"{m.name}: {summary['concept']}{computes} over {_plural(total, 'point')}")
    if args.samples is not None:
        print(f"sampled (Latin hypercube, seed {args.seed}): {', '.join(meta['swept'])}")
    if meta["held"]:
        why = " (no finite domain: give --bounds NAME=LO:HI to sample them)" if args.samples is not None else ""
        print("held at defaults: " + ", ".join(f"{k}={_num(v)}" for k, v in meta["held"].items()) + why)
    from .analysis.outcome_labels import shorten_outcomes
    shown = shorten_outcomes(outcomes)
    print(_table([[shown[k], v, f"{100 * v / max(total, 1):.1f}%"] for k, v in outcomes.items()],
                 ["outcome", "points", "share"]))
    if any(shown[k] != k for k in outcomes):
        print("(long outcome lists shortened; --json and --out give them in full)")
    for k, v in summary.get("measures", {}).items():
        k_sev = v["points_with_several_values"]
        several = f"; {_plural(k_sev, 'point')} with several equilibria that disagree" if k_sev else ""
        rng = "no point" if v["min"] is None else f"from {_num(v['min'])} to {_num(v['max'])}"
        print(f"{k}: {rng} ({v['unit'] or 'no unit'}; {v['meaning']}){several}")
    if args.out:
        side = "" if os.path.splitext(args.out)[1].lower() not in (".csv", ".jsonl") else \
            f" (provenance in {args.out}.provenance.json)"
        print(f"table written to {args.out}{side}")
    if args.plot:
        what = f"heat map of {args.measure[0]}" if args.measure else "region map"
        print(f"{what} written to {args.plot}")
    return 0


def cmd_claims(args) -> int:
    """Check the claims of one model (its own and those of the claims files about it), of one claims file, or
    of every shipped model and claims file.  Exit 0 once every claim was checked, whatever the verdicts; 2 when
    some claim could not be checked (each such claim is reported with its reason, the others are checked)."""
    from .analysis.claims import check_claim
    from .library import list_claims_files, list_models, load_claims_file, load_model
    kw = dict(seed=args.seed, samples=args.samples, loader=load_model)
    todo = []                      # (model, claim)
    if args.model and _is_claims_file(args.model):
        cf = load_claims_file(args.model)
        todo += [(cf.model, c) for c in cf.claims]
    else:
        files = [load_claims_file(n) for n in list_claims_files()]
        for name in ([args.model] if args.model else list_models()):
            m = _load(name)
            if args.model and getattr(m, "kind", "") == "dynamics":
                raise ModelError(f"claims do not apply to {m.name!r}, a dynamics model: claims are checked on "
                                 f"games (its stability is 'deterrence solve {m.name}')")
            todo += [(m, c) for c in m.claims]
            todo += [(cf.model, c) for cf in files if cf.model.name == m.name for c in cf.claims]
    if args.model and not todo:
        raise ModelError(f"model {args.model!r} states no claims, and no claims file names it")
    checks, errors = [], []
    for m, c in todo:
        try:
            checks.append(check_claim(m, c, **kw))
        except ModelError as exc:
            errors.append((c, str(exc)))
    if args.json:
        _print_json([c.to_dict() for c in checks] +
                     [{"claim": c.to_dict(), "verdict": "error", "error": msg} for c, msg in errors])
        return 2 if errors else 0
    rows = []
    for c in checks:
        cex = ""
        if c.counterexample:
            varied = set(c.claim.region)
            cex = ", ".join(f"{k}={_cex(v)}" for k, v in c.counterexample.items() if k in varied)
            found = {k: v for k, v in c.counterexample.get("found", {}).items() if k != "extreme equilibria"}
            cex += ("; " if cex else "") + ", ".join(f"{k}: {_cex(v)}" for k, v in found.items())
        if c.failing_region and c.failing_region.get("split"):
            cex += f"; fails where {c.failing_region['split'].split(' (')[0]}"
        share = "-" if c.verdict == "proven" else f"{100 * c.share:.1f}% of {c.n_points}"
        rows.append([f"{c.claim.model_name}:{c.claim.id}", c.verdict, share, cex, _short_source(c.claim.source)])
    for c, msg in errors:
        rows.append([f"{c.model_name}:{c.id}", "error", "-", msg, _short_source(c.source)])
    print(_table(rows, ["claim", "verdict", "share", "counterexample", "source"]))
    print(f"\n{_plural(len(checks), 'claim')} checked (seed {args.seed}; deterrence claims --json for the words, "
          f"methods and provenance)" + (f"; {_plural(len(errors), 'claim')} could not be checked" if errors else ""))
    return 2 if errors else 0


def _is_claims_file(name: str) -> bool:
    """A shipped claims file's name, or the path of a TOML file whose top level names a ``model``."""
    from .library import list_claims_files
    if name in list_claims_files():
        return True
    if not (name.endswith(".toml") and os.path.isfile(name)):
        return False
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        with open(name, "rb") as fh:
            doc = tomllib.load(fh)
    except (OSError, ValueError):
        return False
    return isinstance(doc.get("model"), str)


def _short_source(text: str) -> str:
    """The first author-and-year of a citation (``Zagare, F. C. and Kilgour, D. M. (2000)``)."""
    import re
    m = re.search(r"\(\d{4}[a-z]?\)|\b\d{4}\b", text)
    return text[:m.end()] if m else text[:40]


def _cex(v):
    if isinstance(v, float):
        return _num(v)
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_cex(x)}" for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(_cex(x) for x in v) + "]"
    return str(v)


def cmd_export(args) -> int:
    from .io.gambit import to_efg, to_nfg
    m = _load(args.model)
    values = _parse_sets(args.set)
    if getattr(m, "kind", "") == "dynamics":
        raise ModelError(f"export does not apply to {m.name!r}, a dynamics model: Gambit files hold games, "
                         f"not differential equations")
    if getattr(m, "kind", "") == "computed":
        from . import cli_computed
        cli_computed.refuse(m, "export", "Gambit files hold finite games")
    if args.format == "efg":
        if m.kind != "tree":
            raise ModelError(f"--format efg needs a tree model; {m.name!r} is a normal form (use nfg)")
        text = to_efg(m.at(values))
    else:
        if m.kind == "tree":
            raise ModelError(f"--format nfg needs a normal-form model; {m.name!r} is a tree (use efg)")
        text = to_nfg(m.at(values))
    if args.out:
        from .analysis.atomic import atomic_write
        with atomic_write(args.out, "w", encoding="utf-8") as fh:
            fh.write(text)
        if not args.json:
            print(f"written to {args.out}")
        else:
            _print_json({"out": args.out, "format": args.format})
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    return 0


def cmd_demo(args) -> int:
    """Zagare & Kilgour's rudimentary deterrence game: symbolic threshold, checked numerically."""
    from .analysis.symbolic import outcome_conditions, threshold
    name = "zagare_kilgour_rudimentary_deterrence"
    m = _load(name)
    th = threshold(m, "status quo (SQ)", "p_B")
    d = {k: float(v) for k, v in m.defaults().items()}
    value = float(th.evaluate(d))
    conds = outcome_conditions(m)
    p = np.linspace(0, 1, 1001)
    pts = {k: np.full_like(p, v) for k, v in d.items()}
    pts["p_B"] = p
    deterred = conds["status quo (SQ)"].holds(pts)
    # the numeric check: solve all 1001 games in one batched, certified call
    from .solve.bayesian import bayesian_backward_induction
    tree = m.evaluate_batch(pts)
    eq = bayesian_backward_induction(tree)
    p_sq = eq.outcome_probabilities["status quo (SQ)"]
    off_tie = eq.unique                      # at p_B = threshold the challenger is indifferent
    agree = bool(np.all((p_sq[off_tie] > 0.5) == deterred[off_tie]))
    first = float(p[np.argmax(p_sq > 0.5)]) if (p_sq > 0.5).any() else float("nan")
    result = {"model": name, "threshold": str(th.expr), "threshold_latex": th.latex(), "defaults": d,
              "threshold_at_defaults": value, "deterred_from_p_B": first, "grid_points": int(p.size),
              "numeric_check": agree, "batched_games": int(tree.batch_size), "ties": int((~off_tie).sum()),
              "max_regret": float(eq.regret.max())}
    from .analysis.provenance import provenance
    from .solve.results import DEFAULT_TOL
    result["provenance"] = provenance(m, concept="pbe (Bayesian backward induction)", tol=DEFAULT_TOL,
                                      grid={"p_B": p}, fixed={k: v for k, v in d.items() if k != "p_B"})
    if args.json:
        _print_json(result)
        return 0 if agree else 1
    print(f"{m.title}\n(Zagare & Kilgour 2000)\n")
    print("The Challenger is deterred (status quo) exactly when the Defender's credibility")
    print(f"  p_B >= {th.expr}")
    print("\nAt the model's defaults " + ", ".join(f"{k}={_num(v)}" for k, v in d.items() if k != "p_B") + ":")
    print(f"  threshold = {value:.6g}")
    print(f"  {p.size} values of p_B solved in one batched call (perfect Bayesian equilibrium by")
    print(f"  Bayesian backward induction, every point certified: max regret {result['max_regret']:.1e}):")
    print(f"  the status quo holds from p_B = {first:.6g} on, and the symbolic condition agrees with")
    print(f"  the solver at every point off the threshold itself: {agree}")
    print("\nNext: deterrence show " + name + " --latex")
    return 0 if agree else 1


# ---------------------------------------------------------------------- entry point
_MODEL_HELP = "a shipped model name (see 'deterrence list') or the path to a model file (.toml)"
_JSON_HELP = "print JSON instead of a table"


def _count_arg(text: str) -> int:
    from .analysis.points import parse_count
    try:
        n = parse_count(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid count {text!r}: write an integer such as 1000, 1e6 or 10^6") from None
    return n


def build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog=PROG, description="Formal models of deterrence, escalation and alliances.")
    p.add_argument("--version", action="store_true", help="print the version and exit")
    sub = p.add_subparsers(dest="command", parser_class=_Parser)

    s = sub.add_parser("list", help="list the shipped models")
    s.add_argument("--json", action="store_true", help=_JSON_HELP)
    s.set_defaults(func=cmd_list)

    s = sub.add_parser("show", help="describe a model")
    s.add_argument("model", help=_MODEL_HELP)
    s.add_argument("--latex", action="store_true", help="also print the payoffs in LaTeX")
    s.add_argument("--json", action="store_true", help=_JSON_HELP)
    s.set_defaults(func=cmd_show)

    s = sub.add_parser("solve", help="solve a model at one parameter point",
                       description="Solve a game at one parameter point; for a dynamics model, print the "
                                   "equilibrium, the eigenvalues, the stability and the regime.")
    s.add_argument("model", help=_MODEL_HELP)
    s.add_argument("--set", action="append", metavar="NAME=VALUE", help="parameter value (repeatable)")
    s.add_argument("--concept", choices=["nash", "pure", "spe", "pbe", "qre", "symmetric"],
                   help="solution concept (default: nash for normal forms, symmetric for symmetric two-action "
                        "games of five players or more, spe for perfect-information trees, pbe for other trees; "
                        "the output says what was computed, and a concept that does not apply is refused with "
                        "the reason)")
    s.add_argument("--lambda", dest="lam", type=float, default=1.0, help="QRE precision (with --concept qre)")
    s.add_argument("--time", action="append", type=float, metavar="T",
                   help="dynamics models: also print the exact trajectory at time T from the initial values "
                        "(repeatable)")
    s.add_argument("--json", action="store_true", help=_JSON_HELP)
    s.set_defaults(func=cmd_solve)

    s = sub.add_parser("sweep", help="solve a model on a parameter grid or a sample of points",
                       description="Solve a model at every point of a grid (--grid) or of a Latin-hypercube "
                                   "sample (--samples) and count the outcomes.  The table is streamed to "
                                   "--out chunk by chunk (memory does not grow with the number of points) "
                                   "and written atomically: an interrupted sweep leaves no partial file.")
    s.add_argument("model", help=_MODEL_HELP)
    s.add_argument("--grid", action="append", metavar="NAME=LO:HI:N",
                   help="grid axis: N equally spaced values from LO to HI, or a list a,b,c (repeatable)")
    s.add_argument("--samples", type=_count_arg, metavar="N",
                   help="Latin-hypercube sample of N points (1000, 1e6 or 10^6) instead of a grid, over every "
                        "parameter with a finite domain or --bounds; the others are held at their defaults "
                        "(listed in the output)")
    s.add_argument("--bounds", action="append", metavar="NAME=LO:HI",
                   help="sampling range of a parameter (repeatable; with --samples)")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED,
                   help=f"seed of the sample, a non-negative integer (default {DEFAULT_SEED}, as in the library)")
    s.add_argument("--set", action="append", metavar="NAME=VALUE", help="fixed value of an unswept parameter")
    s.add_argument("--concept", choices=["spe", "pbe", "nash", "pure", "symmetric"],
                   help="solution concept (default: spe or pbe for trees, nash for 2x2 games, symmetric for "
                        "symmetric two-action games of five players or more, pure otherwise)")
    s.add_argument("--out", metavar="FILE",
                   help="write the table: .csv, .json, .jsonl (JSON lines) or .parquet")
    s.add_argument("--plot", metavar="FILE", help="write a region map figure (two --grid axes), e.g. map.png; "
                                                    "for a dynamics model, the map of Richardson's regimes")
    s.add_argument("--chunk-size", type=int, default=1 << 16, metavar="N",
                   help="points per batched solver call (default 65536; lowered for large games)")
    s.add_argument("--progress", action="store_true", help="progress line on stderr")
    s.add_argument("--measure", action="append", metavar="NAME",
                   help="report only these measures (repeatable; default: every measure of the model)")
    s.add_argument("--threshold", type=float,
                   help="with one --measure and --plot: draw the contour measure = threshold on its heat map")
    s.add_argument("--json", action="store_true", help=_JSON_HELP)
    s.set_defaults(func=cmd_sweep)

    s = sub.add_parser("export", help="export to Gambit .efg/.nfg")
    s.add_argument("model", help=_MODEL_HELP)
    s.add_argument("--format", required=True, choices=["efg", "nfg"],
                   help="efg for a game tree, nfg for a normal form")
    s.add_argument("--set", action="append", metavar="NAME=VALUE", help="parameter value (repeatable)")
    s.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    s.add_argument("--json", action="store_true", help=_JSON_HELP)
    s.set_defaults(func=cmd_export)

    s = sub.add_parser("claims", help="check the claims shipped with the models (or one model's)")
    s.add_argument("model", nargs="?", help="shipped model or claims file (models/claims/), or a path to either "
                                           "(default: every shipped model and claims file)")
    s.add_argument("--samples", type=int, help="sample size for every claim (default: each claim's own)")
    s.add_argument("--seed", type=int, default=DEFAULT_SEED, help=f"sampling seed (default {DEFAULT_SEED})")
    s.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    s.set_defaults(func=cmd_claims)

    s = sub.add_parser("demo", help="a worked example: the credibility threshold of deterrence")
    s.add_argument("--json", action="store_true", help=_JSON_HELP)
    s.set_defaults(func=cmd_demo)

    from .cli_cases import add_case_commands
    add_case_commands(sub, _JSON_HELP)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    0 success; 2 usage error or bad model/input (one line on stderr); 1 any
    other failure; 128 + the signal number when stopped by SIGINT, SIGTERM or
    SIGHUP (no partial output file is left).  Everything printed passes
    through an escaping stream: model text never reaches the terminal as
    control characters.
    """
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _EscapedStream(out, "\n\t"), _EscapedStream(err, "\n\t\r")
    from .analysis.atomic import raise_on_termination
    handlers = raise_on_termination()     # SIGTERM/SIGHUP clean up output files, then exit 128+signal
    try:
        code = _main(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # the reader went away (deterrence list | head -2): stop quietly, as a killed-by-SIGPIPE tool would
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, out.fileno())
        except (OSError, ValueError, io.UnsupportedOperation):
            pass
        return 128 + getattr(signal, "SIGPIPE", 13)
    finally:
        for sig, old in handlers.items():
            signal.signal(sig, old)
        sys.stdout, sys.stderr = out, err


def _main(argv) -> int:
    from .analysis.atomic import Terminated
    parser = build_parser()
    try:
        args = parser.parse_args(list(sys.argv[1:] if argv is None else argv))
    except _UsageError as exc:
        return _fail(f"{exc} (see '{PROG} --help')", 2)
    except SystemExit as exc:           # --help
        return int(exc.code or 0)
    if args.version:
        from .version import __version__
        print(__version__)
        return 0
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except ModelError as exc:
        return _fail(str(exc), 2)
    except CertificateError as exc:     # a bug in the package, not bad input
        if os.environ.get("DETERRENCE_DEBUG"):
            raise
        return _fail(f"internal error (please report it): {exc}", 1)
    except KeyboardInterrupt:
        sys.stderr.write(f"\n{PROG}: interrupted\n")
        return 130
    except Terminated as exc:
        sys.stderr.write(f"\n{PROG}: {exc}\n")
        return 128 + exc.signum
    except BrokenPipeError:
        raise
    except OSError as exc:
        return _fail(str(exc), 1)
    except Exception as exc:            # noqa: BLE001 - the promise is: one line, no traceback
        if os.environ.get("DETERRENCE_DEBUG"):
            raise
        return _fail(f"internal error: {type(exc).__name__}: {exc} (set DETERRENCE_DEBUG=1 for a traceback)", 1)


if __name__ == "__main__":
    sys.exit(main())
