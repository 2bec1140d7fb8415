"""Model files: one formal model per TOML file, read safely and validated.

The format is documented in ``docs/model-files.md``.  In short::

    players = ["Challenger", "Defender"]          # or [players.NAME] tables
    constraints = ["a_DD < a_SQ < a_DC"]          # optional

    [model]
    name = "..."            # identifier
    title = "..."
    kind = "normal_form"    # or "tree"
    description = "..."
    source = "..."          # citation
    ordinal = false         # normal form: payoffs are ranks 1..#profiles
    notes = "..."           # optional

    [parameters.p_B]
    domain = "probability"  # probability | positive | nonnegative | real | integer | [low, high]
                            # | { integer = [low, high] } (the integers of a closed range)
    default = 0.5
    unit = ""
    meaning = "..."
    source = "..."

    # normal form
    [actions]
    Challenger = ["cooperate", "defect"]
    [[payoffs]]
    profile = ["cooperate", "defect"]
    values = ["a_SQ", 2]          # one per player, or { Challenger = ..., Defender = ... }
    outcome = "..."               # optional label
    tags = ["war"]                # optional outcome tags (deterrence.games.outcome_tags.TAGS)

    # tree: a flat list of nodes
    [[nodes]]
    id = "nature"
    player = "chance"
    actions = { hard = "A_hard", soft = "A_soft" }
    probabilities = { hard = "p_B", soft = "1 - p_B" }

    # named measures (deterrence.analysis.measures) and claims (deterrence.analysis.claims)
    [measures.P_war]
    expr = "P_war"                # P_<tag>, parameters, names bound in actions
    meaning = "..."
    unit = "probability"
    actions = { challenge = { infoset = "challenger", action = "challenge" } }

    [[claims]]
    id = "..."
    kind = "monotone"             # monotone | inequality | iff | equilibria | compare
    ...

Files are parsed with :mod:`tomllib` (``tomli`` on Python 3.10) and every
payoff or probability is parsed by :func:`deterrence.symbolic.parse`; nothing
is ever passed to ``eval``.  Every problem raises
:class:`~deterrence.errors.ModelFileError` naming the file and the key
(``models/x.toml: nodes[3].payoffs: 3 payoffs for 2 players``), and loading is
all-or-nothing: either a complete, validated model is returned or nothing is.
"""

from __future__ import annotations

import hashlib
import math
import os
from collections import deque

import numpy as np

try:  # Python >= 3.11
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from ..errors import ExpressionError, ModelError, ModelFileError
from ..games.tree import PROB_TOL as _PROB_TOL
from ..games.parametric import CHANCE_PLAYER, Constraint, ParametricModel, ParametricNormalForm, ParametricTree
from ..symbolic.expr import Expr, parse
from ..symbolic.parameters import (Integer, Interval, NonNegative, Parameter, Positive, Probability, Real)

__all__ = ["load", "loads", "dump", "dumps", "save", "KINDS", "MAX_FILE_BYTES"]

#: Model kinds this version reads (later versions add "network").
KINDS = ("normal_form", "tree", "dynamics")
#: Files larger than this are refused (a model file is a page of text).
MAX_FILE_BYTES = 2_000_000
_MAX_NODES = 100_000
_MAX_PROFILES = 100_000

_TOP = {"model", "players", "constraints", "parameters", "actions", "payoffs", "nodes", "measures", "claims",
        "state", "equations"}
_DYN_TOP = {"model", "constraints", "parameters", "state", "equations"}
_STATE_KEYS = {"meaning", "unit", "initial"}
_MEASURE_KEYS = {"expr", "meaning", "unit", "actions"}
_MODEL_KEYS = {"name", "title", "kind", "description", "source", "ordinal", "notes", "root"}
_PARAM_KEYS = {"domain", "default", "unit", "meaning", "source"}
_DOMAINS = {"probability": Probability, "positive": Positive, "nonnegative": NonNegative, "real": Real}


# ---------------------------------------------------------------------- reading
def load(path) -> ParametricModel:
    """Read and validate the model file at *path*."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ModelFileError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    if len(data) > MAX_FILE_BYTES:
        raise ModelFileError(f"file larger than {MAX_FILE_BYTES} bytes", path=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", path=name) from None
    model = loads(text, path=name)
    model.metadata["path"] = name
    return model


def loads(text: str, path: str = "<string>") -> ParametricModel:
    """Read and validate a model from TOML text; *path* names it in error messages."""
    if not isinstance(text, str):
        raise ModelFileError(f"expected TOML text (str), got {type(text).__name__}", path=path)
    if len(text) > MAX_FILE_BYTES:
        raise ModelFileError(f"text longer than {MAX_FILE_BYTES} characters", path=path)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"not valid TOML: {exc}", path=path) from None
    except RecursionError:
        raise ModelFileError("not valid TOML: nested too deeply", path=path) from None
    except ValueError as exc:        # Python refuses to convert integers of more than 4300 digits
        key, line = _long_integer_key(text)
        if "digits" not in str(exc):
            raise ModelFileError(f"not valid TOML: {exc}", path=path) from None
        raise ModelFileError(f"an integer of more than {_INT_DIGITS_LIMIT} digits (line {line}); a number must be "
                             f"within the float64 range", path=path, key=key) from None
    model = _Reader(doc, path).model()
    model.metadata["sha256"] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return model


class _Reader:
    def __init__(self, doc: dict, path: str):
        self.doc = doc
        self.path = path
        self.parsed: list[tuple[str, Expr]] = []           # (key, payoff or probability) in file order
        self.chance_nodes: list[tuple[str, dict]] = []     # ("nodes[k].probabilities", {action: Expr})
        self.memo: dict = {}

    def fail(self, key, message):
        # a message that already names this file (an error re-raised under an outer key) keeps its own,
        # more precise, key: "f.toml: parameters.a: f.toml: parameters.a.unit: ..." was printed once
        prefix = f"{self.path}: "
        if isinstance(message, str) and message.startswith(prefix):
            raise ModelFileError(message[len(prefix):], path=self.path)
        raise ModelFileError(message, path=self.path, key=key)

    # -- typed getters
    def table(self, value, key, required=True):
        if value is None and not required:
            return None
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {_tname(value)}")
        return value

    def string(self, value, key, required=True, empty=False):
        if value is None and not required:
            return None
        if value is None:
            self.fail(key, "missing")
        if not isinstance(value, str):
            self.fail(key, f"expected a string, got {_tname(value)}")
        if not empty and not value.strip():
            self.fail(key, "must not be empty")
        return value

    def number(self, value, key) -> float:
        """A finite float64 from a TOML integer or float (integers beyond the float range are refused)."""
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.fail(key, f"expected a number, got {_tname(value)}")
        try:
            x = float(value)
        except OverflowError:
            self.fail(key, f"the integer of {_int_digits(value)} digits is outside the float64 range (about 1.8e308)")
        if not math.isfinite(x):
            self.fail(key, f"{value} is not a finite number")
        return x

    def string_list(self, value, key, distinct=True):
        if not isinstance(value, list) or not value:
            self.fail(key, f"expected a non-empty list of strings, got {_tname(value)}")
        for j, v in enumerate(value):
            self.string(v, f"{key}[{j}]")
        if distinct and len(set(value)) != len(value):
            dup = sorted({v for v in value if value.count(v) > 1})
            self.fail(key, f"labels must be distinct; repeated: {dup}")
        return list(value)

    def tag_list(self, value, key):
        from ..games.outcome_tags import check_tags
        if not isinstance(value, list):
            self.fail(key, f"expected a list of tags, got {_tname(value)}")
        try:
            return list(check_tags(value, "tags"))
        except ModelError as exc:
            msg = str(exc)
            self.fail(key, msg[len("tags: "):] if msg.startswith("tags: ") else msg)

    def quantity_table(self, value, key, names):
        """``{name: Expr}``: numeric quantities of an outcome (numbers or expressions in the parameters)."""
        table = self.table(value, key)
        out = {}
        for k, v in table.items():
            if not (k and (k[0].isalpha() or k[0] == "_") and all(c.isascii() and (c.isalnum() or c == "_") for c in k)):
                self.fail(f"{key}.{k}", "a quantity name must be an identifier (letters, digits, underscores)")
            out[k] = self.expr(v, f"{key}.{k}", names)
        return out

    def keys(self, table, allowed, key):
        extra = sorted(set(table) - allowed)
        if extra:
            self.fail(key if key else extra[0], f"unknown key(s) {extra}; allowed: {sorted(allowed)}")

    def payoff_vector(self, vals, key, players, names):
        """One payoff expression per player, from a list in player order or a table ``player = payoff``."""
        if isinstance(vals, dict):
            for p in vals:
                if p not in players:
                    self.fail(f"{key}.{p}", f"unknown player {p!r}; players are {players}")
            missing = [p for p in players if p not in vals]
            if missing:
                self.fail(key, f"no payoff for {missing}")
            return [self.expr(vals[p], f"{key}.{p}", names) for p in players]
        if isinstance(vals, list):
            if len(vals) != len(players):
                self.fail(key, f"{len(vals)} payoffs for {len(players)} players")
            return [self.expr(v, f"{key}[{i}]", names) for i, v in enumerate(vals)]
        self.fail(key, f"expected a list of payoffs (one per player) or a table player = payoff, got {_tname(vals)}")

    def expr(self, value, key, names):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.fail(key, f"expected a number or an expression string, got {_tname(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(key, f"{value} is not a finite number")
        memo = (type(value), value)
        e = self.memo.get(memo)       # expressions are immutable: a text repeated over the file is parsed once
        if e is None:
            try:
                if isinstance(value, str):
                    e = parse(value, names=names)
                else:
                    e = parse(repr(value) if isinstance(value, float) else str(value))
            except ExpressionError as exc:
                self.fail(key, str(exc))
            self.memo[memo] = e
        self.parsed.append((key, e))
        return e

    # -- sections
    def model(self) -> ParametricModel:
        doc = self.doc
        self.keys(doc, _TOP, None)
        if "model" not in doc:
            self.fail("model", "missing section [model]")
        meta = self.table(doc["model"], "model")
        self.keys(meta, _MODEL_KEYS, "model")
        name = self.string(meta.get("name"), "model.name")
        kind = self.string(meta.get("kind"), "model.kind")
        if kind not in KINDS:
            self.fail("model.kind", f"unknown kind {kind!r}; this version reads {list(KINDS)}")
        if kind == "dynamics":
            return self.dynamics(meta, name)
        for k in ("state", "equations"):
            if k in doc:
                self.fail(k, f"only a 'dynamics' model has a [{k}] section")
        common = dict(
            name=name,
            title=self.string(meta.get("title"), "model.title", required=False),
            description=self.string(meta.get("description"), "model.description", required=False),
            source=self.string(meta.get("source"), "model.source", required=False),
        )
        notes = self.string(meta.get("notes"), "model.notes", required=False)
        players, player_meta = self.players()
        space = self.parameters()
        names = [p.name for p in space]
        constraints = self.constraints(names)
        metadata = {}
        if notes is not None:
            metadata["notes"] = notes
        if player_meta:
            metadata["players"] = player_meta
        common.update(players=players, parameters=space, constraints=constraints, metadata=metadata)
        if kind == "normal_form":
            for k in ("nodes",):
                if k in doc:
                    self.fail(k, f"a {kind!r} model has no {k!r}")
            if "root" in meta:
                self.fail("model.root", "only tree models have a root")
            ordinal = meta.get("ordinal", False)
            if not isinstance(ordinal, bool):
                self.fail("model.ordinal", f"expected true or false, got {_tname(ordinal)}")
            model = self.normal_form(common, players, names, ordinal)
        else:
            for k in ("actions", "payoffs"):
                if k in doc:
                    self.fail(k, f"a tree model has no {k!r} section (actions belong to nodes)")
            if "ordinal" in meta:
                self.fail("model.ordinal", "only normal-form models can be ordinal")
            root = self.string(meta.get("root"), "model.root", required=False)
            model = self.tree(common, players, names, root)
        self.check_defaults(model)
        self.measures(model)
        self.claims(model)
        return model

    def dynamics(self, meta, name):
        """kind = "dynamics": [state.NAME] tables and [equations] NAME = "linear expression"."""
        from ..dynamics.linear_model import LinearDynamicsModel, linearize
        doc = self.doc
        for k in sorted(set(doc) - _DYN_TOP):
            why = {"claims": "claims are checked on games, not on dynamics",
                   "measures": "measures are read from game equilibria, not from dynamics",
                   "players": "its actors are the [state] variables"}.get(k, "it has [state] and [equations]")
            self.fail(k, f"a dynamics model has no {k!r} section ({why})")
        for k in ("ordinal", "root"):
            if k in meta:
                self.fail(f"model.{k}", f"a dynamics model has no {k!r}")
        notes = self.string(meta.get("notes"), "model.notes", required=False)
        space = self.parameters()
        pnames = [p.name for p in space]
        constraints = self.constraints(pnames)
        if "state" not in doc:
            self.fail("state", "missing section [state] (one table per state variable)")
        stable = self.table(doc["state"], "state")
        if not stable:
            self.fail("state", "no state variables")
        states = {}
        for sname, spec in stable.items():
            key = f"state.{sname}"
            if not (sname and (sname[0].isalpha() or sname[0] == "_")
                    and all(c.isascii() and (c.isalnum() or c == "_") for c in sname)):
                self.fail(key, "a state name must be an identifier (letters, digits, underscores)")
            if sname in pnames:
                self.fail(key, f"{sname!r} is also a parameter; a name is either a state or a parameter")
            spec = self.table(spec, key)
            self.keys(spec, _STATE_KEYS, key)
            st = {"meaning": self.string(spec.get("meaning"), f"{key}.meaning", required=False) or "",
                  "unit": self.string(spec.get("unit"), f"{key}.unit", required=False, empty=True) or "",
                  "initial": 0.0 if spec.get("initial") is None else self.number(spec["initial"], f"{key}.initial")}
            states[sname] = st
        eqs = self.table(doc.get("equations"), "equations")
        for e in eqs:
            if e not in states:
                self.fail(f"equations.{e}", f"no state variable {e!r}; the states are {list(states)}")
        equations = {}
        for sname in states:
            key = f"equations.{sname}"
            if sname not in eqs:
                self.fail("equations", f"no equation for the state {sname!r} (write {sname} = \"...\")")
            e = self.expr(eqs[sname], key, pnames + list(states))
            try:
                linearize(e, tuple(states))
            except ValueError as exc:
                self.fail(key, str(exc))
            equations[sname] = e
        self.parsed = []          # the equations hold states: not evaluable at the parameter defaults alone
        metadata = {"notes": notes} if notes is not None else {}
        try:
            model = LinearDynamicsModel(
                states=states, equations=equations, name=name,
                title=self.string(meta.get("title"), "model.title", required=False),
                description=self.string(meta.get("description"), "model.description", required=False),
                source=self.string(meta.get("source"), "model.source", required=False),
                parameters=space, constraints=constraints, metadata=metadata)
        except ModelFileError:
            raise
        except ModelError as exc:
            self.fail("equations", str(exc))
        self.check_defaults(model)
        return model

    def measures(self, model):
        from ..analysis.measures import Measure
        table = self.table(self.doc.get("measures", {}), "measures")
        for mname, spec in table.items():
            key = f"measures.{mname}"
            spec = self.table(spec, key)
            self.keys(spec, _MEASURE_KEYS, key)
            expr = self.string(spec.get("expr"), f"{key}.expr")
            try:
                m = Measure(mname, expr, meaning=self.string(spec.get("meaning"), f"{key}.meaning"),
                            unit=self.string(spec.get("unit"), f"{key}.unit", required=False, empty=True) or "",
                            actions=self.table(spec.get("actions", {}), f"{key}.actions"))
                m.bind(model)
            except ModelError as exc:
                self.fail(key, _strip_model(str(exc), model.name))
            model.measures[mname] = m

    def claims(self, model):
        from ..analysis.claims import Claim
        rows = self.doc.get("claims", [])
        if not isinstance(rows, list):
            self.fail("claims", f"expected an array of tables ([[claims]]), got {_tname(rows)}")
        seen = {}
        for j, row in enumerate(rows):
            key = f"claims[{j}]"
            self.table(row, key)
            try:
                c = Claim.from_spec(row, model, where=key)
            except ModelError as exc:
                msg = str(exc)
                self.fail(key, msg[len(key) + 2:] if msg.startswith(key + ": ") else msg)
            if c.id in seen:
                self.fail(f"{key}.id", f"claim id {c.id!r} already used by claims[{seen[c.id]}]")
            seen[c.id] = j
            model.claims.append(c)

    def players(self):
        if "players" not in self.doc:
            self.fail("players", "missing: give players = [...] or [players.NAME] tables")
        value = self.doc["players"]
        meta = {}
        if isinstance(value, dict):
            if not value:
                self.fail("players", "no players")
            players = list(value)
            for p, t in value.items():
                t = self.table(t, f"players.{p}")
                self.keys(t, {"meaning"}, f"players.{p}")
                m = self.string(t.get("meaning"), f"players.{p}.meaning", required=False)
                if m is not None:
                    meta[p] = m
        else:
            players = self.string_list(value, "players")
        for j, p in enumerate(players):
            if not p.strip():
                self.fail(f"players[{j}]", "a player label must not be empty")
            if p == CHANCE_PLAYER:
                self.fail(f"players[{j}]", f"{CHANCE_PLAYER!r} is reserved for chance nodes")
        return players, meta

    def parameters(self):
        table = self.table(self.doc.get("parameters", {}), "parameters")
        params = []
        for pname, spec in table.items():
            key = f"parameters.{pname}"
            spec = self.table(spec, key)
            self.keys(spec, _PARAM_KEYS, key)
            domain = self.domain(spec.get("domain"), f"{key}.domain")
            default = spec.get("default")
            if default is not None:
                default = self.number(default, f"{key}.default")
            if default is not None and not domain.contains(default):
                self.fail(f"{key}.default", f"default {default!r} is outside the domain {domain}")
            # the string fields are read outside the try: their errors already name file and key
            unit = self.string(spec.get("unit"), f"{key}.unit", required=False, empty=True)
            meaning = self.string(spec.get("meaning"), f"{key}.meaning", required=False) or ""
            source = self.string(spec.get("source"), f"{key}.source", required=False)
            try:
                params.append(Parameter(name=pname, domain=domain, default=default, unit=unit, meaning=meaning,
                                        source=source))
            except ModelFileError:
                raise
            except ModelError as exc:
                self.fail(key, str(exc))
        return params

    def domain(self, value, key):
        if value is None:
            self.fail(key, "missing: give probability, positive, nonnegative, real, integer or [low, high]")
        if isinstance(value, str):
            if value in _DOMAINS:
                return _DOMAINS[value]()
            if value == "integer":
                return Integer()
            self.fail(key, f"unknown domain {value!r}; use probability, positive, nonnegative, real, integer "
                           f"or [low, high]")
        if isinstance(value, list) and len(value) == 2:
            for j, v in enumerate(value):
                if isinstance(v, float) and math.isinf(v):
                    continue        # an unbounded side, [0, inf]
                self.number(v, f"{key}[{j}]")
            lo, hi = (float(v) for v in value)
            if not lo < hi:
                self.fail(key, f"interval [{lo}, {hi}] needs low < high")
            try:
                return Interval(float(lo), float(hi))
            except ModelError as exc:
                self.fail(key, str(exc))
        if isinstance(value, dict) and list(value) == ["integer"]:
            # { integer = [low, high] }: the integers of a closed range (a small set of types or counts)
            ends = value["integer"]
            if not (isinstance(ends, list) and len(ends) == 2):
                self.fail(f"{key}.integer", f"expected [low, high], two integers, got {_tname(ends)}")
            for j, v in enumerate(ends):
                if isinstance(v, bool) or not isinstance(v, int) or abs(v) >= 2 ** 53:
                    self.fail(f"{key}.integer[{j}]", f"expected an integer below 2**53 in size, got {v!r}")
            if not ends[0] < ends[1]:
                self.fail(f"{key}.integer", f"range [{ends[0]}, {ends[1]}] needs low < high")
            return Integer(ends[0], ends[1])
        self.fail(key, f"expected a domain name, [low, high] or {{ integer = [low, high] }}, got {_tname(value)}")

    def constraints(self, names):
        value = self.doc.get("constraints", [])
        if not isinstance(value, list):
            self.fail("constraints", f"expected a list of strings, got {_tname(value)}")
        out = []
        for j, c in enumerate(value):
            self.string(c, f"constraints[{j}]")
            try:
                out.append(Constraint(c, names))
            except ExpressionError as exc:
                self.fail(f"constraints[{j}]", str(exc))
        return out

    def normal_form(self, common, players, names, ordinal):
        doc = self.doc
        if "actions" not in doc:
            self.fail("actions", "missing section [actions] (a list of action labels per player)")
        acts = self.table(doc["actions"], "actions")
        for p in acts:
            if p not in players:
                self.fail(f"actions.{p}", f"unknown player {p!r}; players are {players}")
        actions = []
        for p in players:
            if p not in acts:
                self.fail("actions", f"no actions for player {p!r}")
            actions.append(self.string_list(acts[p], f"actions.{p}"))
        n_profiles = math.prod(len(a) for a in actions)
        if n_profiles > _MAX_PROFILES:
            self.fail("actions", f"{n_profiles} action profiles; the limit is {_MAX_PROFILES}")
        if "payoffs" not in doc:
            self.fail("payoffs", "missing: one [[payoffs]] table per action profile")
        rows = doc["payoffs"]
        if not isinstance(rows, list):
            self.fail("payoffs", f"expected an array of tables ([[payoffs]]), got {_tname(rows)}")
        table, outcomes, tags, quantities, seen = {}, {}, {}, {}, {}
        for j, row in enumerate(rows):
            key = f"payoffs[{j}]"
            row = self.table(row, key)
            self.keys(row, {"profile", "values", "outcome", "tags", "quantities"}, key)
            prof = row.get("profile")
            if not isinstance(prof, list) or len(prof) != len(players):
                self.fail(f"{key}.profile", f"expected a list of {len(players)} action labels (one per player), "
                                            f"got {_tname(prof)}")
            for i, (p, a) in enumerate(zip(players, prof)):
                self.string(a, f"{key}.profile[{i}]")
                if a not in actions[i]:
                    self.fail(f"{key}.profile[{i}]", f"{p} has no action {a!r}; actions are {actions[i]}")
            prof = tuple(prof)
            if prof in seen:
                self.fail(f"{key}.profile", f"profile {list(prof)} already given in payoffs[{seen[prof]}]")
            seen[prof] = j
            table[prof] = self.payoff_vector(row.get("values"), f"{key}.values", players, names)
            if "outcome" in row:
                outcomes[prof] = self.string(row["outcome"], f"{key}.outcome")
            if "tags" in row:
                tags[prof] = self.tag_list(row["tags"], f"{key}.tags")
            if "quantities" in row:
                quantities[prof] = self.quantity_table(row["quantities"], f"{key}.quantities", names)
        if len(table) != n_profiles:
            import itertools
            missing = [list(p) for p in itertools.product(*actions) if p not in table]
            self.fail("payoffs", f"no payoffs for profile(s) {missing[:4]}" + (" ..." if len(missing) > 4 else ""))
        try:
            return ParametricNormalForm(actions=actions, payoffs=table, ordinal=ordinal, outcomes=outcomes, tags=tags,
                                        quantities=quantities,
                                        **common)
        except ModelError as exc:
            self.fail("payoffs", _strip_model(str(exc), common["name"]))

    def tree(self, common, players, names, root):
        doc = self.doc
        if "nodes" not in doc:
            self.fail("nodes", "missing: a tree model lists its nodes as [[nodes]] tables")
        rows = doc["nodes"]
        if not isinstance(rows, list) or not rows:
            self.fail("nodes", f"expected a non-empty array of tables ([[nodes]]), got {_tname(rows)}")
        if len(rows) > _MAX_NODES:
            self.fail("nodes", f"{len(rows)} nodes; the limit is {_MAX_NODES}")
        nodes, index = [], {}
        for k, row in enumerate(rows):
            key = f"nodes[{k}]"
            row = self.table(row, key)
            nid = self.string(row.get("id"), f"{key}.id")
            if nid in index:
                self.fail(f"{key}.id", f"node id {nid!r} already used by nodes[{index[nid]}]")
            index[nid] = k
            if "payoffs" in row:
                self.keys(row, {"id", "payoffs", "outcome", "tags", "quantities"}, key)
                node = {"id": nid, "payoffs": self.payoff_vector(row["payoffs"], f"{key}.payoffs", players, names)}
                if "outcome" in row:
                    node["outcome"] = self.string(row["outcome"], f"{key}.outcome")
                if "tags" in row:
                    node["tags"] = self.tag_list(row["tags"], f"{key}.tags")
                if "quantities" in row:
                    node["quantities"] = self.quantity_table(row["quantities"], f"{key}.quantities", names)
            else:
                if "player" not in row:
                    self.fail(key, "a node needs 'payoffs' (terminal) or 'player' and 'actions'")
                player = self.string(row.get("player"), f"{key}.player")
                acts = self.table(row.get("actions"), f"{key}.actions")
                if not acts:
                    self.fail(f"{key}.actions", "a decision or chance node needs at least one action")
                for a, c in acts.items():
                    self.string(c, f"{key}.actions.{a}")
                if player == CHANCE_PLAYER:
                    self.keys(row, {"id", "player", "actions", "probabilities"}, key)
                    probs = self.table(row.get("probabilities"), f"{key}.probabilities")
                    for a in probs:
                        if a not in acts:
                            self.fail(f"{key}.probabilities.{a}", f"no action {a!r} at this chance node")
                    for a in acts:
                        if a not in probs:
                            self.fail(f"{key}.probabilities", f"no probability for action {a!r}")
                    node = {"id": nid, "player": CHANCE_PLAYER, "actions": dict(acts),
                            "probabilities": {a: self.expr(probs[a], f"{key}.probabilities.{a}", names)
                                              for a in acts}}
                    self.chance_nodes.append((f"{key}.probabilities", node["probabilities"]))
                else:
                    self.keys(row, {"id", "player", "actions", "infoset"}, key)
                    if player not in players:
                        self.fail(f"{key}.player", f"unknown player {player!r}; players are {players} "
                                                   f"(or {CHANCE_PLAYER!r} for a chance node)")
                    node = {"id": nid, "player": player, "actions": dict(acts)}
                    if "infoset" in row:
                        node["infoset"] = self.string(row["infoset"], f"{key}.infoset")
            nodes.append(node)
        # dangling references, two parents, unreachable nodes
        given_root = root
        parent = {}
        for k, node in enumerate(nodes):
            for a, c in node.get("actions", {}).items():
                if c not in index:
                    self.fail(f"nodes[{k}].actions.{a}", f"leads to unknown node {c!r} (dangling reference)")
                if c in parent:
                    self.fail(f"nodes[{k}].actions.{a}", f"node {c!r} already has parent {parent[c]!r}; "
                                                         f"a tree has one path to each node")
                parent[c] = node["id"]
        if root is None:
            roots = [n["id"] for n in nodes if n["id"] not in parent]
            if len(roots) != 1:
                if not roots:
                    self.fail("nodes", "every node is some node's child (a cycle): no root")
                self.fail(f"nodes[{index[roots[1]]}]", f"node {roots[1]!r} is unreachable: it is nobody's child, "
                                                       f"and {roots[0]!r} is the root")
            root = roots[0]
        elif root not in index:
            self.fail("model.root", f"no node {root!r}")
        seen, queue = {root}, deque([root])
        while queue:
            nid = queue.popleft()
            for c in nodes[index[nid]].get("actions", {}).values():
                if c not in seen:
                    seen.add(c)
                    queue.append(c)
        for k, node in enumerate(nodes):
            if node["id"] not in seen:
                self.fail(f"nodes[{k}]", f"node {node['id']!r} is unreachable from the root {root!r}")
        try:
            return ParametricTree(nodes=nodes, root=given_root, **common)
        except ModelError as exc:
            self.fail("nodes", _strip_model(str(exc), common["name"]))

    def check_defaults(self, model):
        """Evaluate the model at the defaults (when every parameter has one): the payoffs must be finite,
        the probabilities valid, the constraints satisfied."""
        if any(p.default is None for p in model.parameters.values()):
            return
        try:
            model.at()
        except ModelError as exc:
            self.locate_default_failure(model)
            self.fail("parameters", "at the default values: " + _strip_model(str(exc), model.name))

    def locate_default_failure(self, model):
        """Fail under the key of the culprit (a node's payoff or probability, a constraint) when the model
        is invalid at its defaults; return when no single key is to blame."""
        values = model.defaults()
        for key, e in self.parsed:
            try:
                e.evaluate(values)
            except ModelError as exc:
                self.fail(key, "at the default values: " + str(exc))
        for key, probs in self.chance_nodes:
            ps = {a: float(e.evaluate(values)) for a, e in probs.items()}
            for a, p in ps.items():
                if not -_PROB_TOL <= p <= 1 + _PROB_TOL:
                    self.fail(f"{key}.{a}", f"at the default values: the probability {p:g} is not in [0, 1]")
            total = sum(ps.values())
            if abs(total - 1) > _PROB_TOL:
                self.fail(key, f"at the default values: the probabilities sum to {total:g}, not 1")
        arrays = {n: np.asarray(v, float) for n, v in values.items()}
        for j, c in enumerate(model.constraints):
            ok = c.holds(c.sides(arrays))
            if not ok[0]:
                at = {n: values[n] for n in sorted(c.names)[:8]}
                self.fail(f"constraints[{j}]", f"violated at the default values {at}")


_INT_DIGITS_LIMIT = 4300


def _int_digits(value: int) -> int:
    """Number of decimal digits of *value* (at most 4300 here: TOML refuses longer integers)."""
    try:
        return len(str(abs(value)))
    except ValueError:
        return _INT_DIGITS_LIMIT + 1


def _long_integer_key(text: str) -> tuple[str | None, int]:
    """The dotted key and line of the first integer too long for Python to read (for the error message).

    ``tomllib`` raises a bare ``ValueError`` without a position for such an integer, so the text is
    scanned for the digit run, its ``key =`` line and the table header above it (``nodes[3]`` for
    the fourth ``[[nodes]]``)."""
    import re
    m = re.search(r"[0-9_]{%d,}" % _INT_DIGITS_LIMIT, text)
    if m is None:
        return None, 0
    before = text[: m.start()]
    line_no = before.count("\n") + 1
    lines = before.split("\n")
    key = None
    for k, line in enumerate(reversed(lines)):
        s = line.strip()
        if key is None:
            km = re.match(r"([A-Za-z0-9_\-.\"' ]+?)\s*=", s)
            if km:
                key = km.group(1).replace('"', "").replace("'", "").strip()
        if s.startswith("["):
            header = s.strip("[] ")
            if s.startswith("[["):
                count = sum(1 for x in lines[: len(lines) - k] if x.strip() == s)
                header = f"{header}[{count - 1}]"
            return ".".join(x for x in (header, key) if x), line_no
    return key, line_no


def _strip_model(msg: str, name: str) -> str:
    prefix = f"model {name!r}: "
    return msg[len(prefix):] if msg.startswith(prefix) else msg


def _tname(v) -> str:
    if v is None:
        return "nothing"
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string", list: "an array",
             dict: "a table"}
    return names.get(type(v), f"a {type(v).__name__}") + (f" ({_short(v)})" if not isinstance(v, (dict, list)) else "")


def _short(v) -> str:
    r = repr(v)
    return r if len(r) <= 60 else r[:57] + "..."


# ---------------------------------------------------------------------- writing
def _toml_str(s: str) -> str:
    out = ['"']
    for ch in str(s):
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04X}")
        elif 0xD800 <= o <= 0xDFFF:
            raise ModelFileError(f"cannot write the lone surrogate {ch!r} to a TOML file")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml_key(k: str) -> str:
    k = str(k)
    if k and all(c.isascii() and (c.isalnum() or c in "_-") for c in k):
        return k
    return _toml_str(k)


def _toml_num(x: float) -> str:
    x = float(x)
    if not math.isfinite(x):
        raise ModelFileError(f"cannot write the non-finite number {x}")
    if x == int(x) and abs(x) < 2 ** 53:
        return str(int(x))
    return repr(x)


def _toml_expr(e: Expr) -> str:
    if e.is_constant:
        v = e.to_sympy()
        if v.is_integer and abs(int(v)) < 2 ** 53:
            return str(int(v))
    return _toml_str(str(e))


def _domain_spec(domain) -> str:
    for word, cls in _DOMAINS.items():
        if type(domain) is cls:
            return _toml_str(word)
    if isinstance(domain, Integer) and domain.low is None and domain.high is None:
        return _toml_str("integer")
    if isinstance(domain, Integer) and domain.low is not None and domain.high is not None \
            and domain.low < domain.high:
        return f"{{ integer = [{domain.low}, {domain.high}] }}"
    if type(domain) is Interval and domain.closed_low and domain.closed_high:
        return f"[{_toml_num(domain.low)}, {_toml_num(domain.high)}]"
    raise ModelFileError(f"the domain {domain} has no model-file form (use probability, positive, nonnegative, "
                         f"real, integer, {{ integer = [low, high] }} or a closed interval [low, high])")


def dumps(model: ParametricModel) -> str:
    """The model-file (TOML) text of a parametric model; :func:`loads` reads it back to an equal model."""
    from ..dynamics.linear_model import LinearDynamicsModel
    if isinstance(model, LinearDynamicsModel):
        return _dumps_dynamics(model)
    if getattr(model, "kind", "") == "computed":
        raise ModelFileError(f"model {model.name!r} has no model-file form: it is a computed model whose measures "
                             f"its Python function computes ({model.metadata.get('family', 'a Python function')})")
    if not isinstance(model, (ParametricNormalForm, ParametricTree)):
        raise ModelFileError(f"dumps needs a ParametricNormalForm, ParametricTree or LinearDynamicsModel, "
                             f"got {type(model).__name__}")
    if getattr(model, "derived", None) is not None:
        raise ModelFileError(f"model {model.name!r} has no model-file form: its expressions use quantities computed "
                             f"in Python ({', '.join(model.derived.names[:3])}, ...); it is built by its family "
                             f"({model.metadata.get('family', 'a Python function')})")
    lines = []
    pmeta = model.metadata.get("players") or {}
    if pmeta:
        pass
    else:
        lines.append("players = [" + ", ".join(_toml_str(p) for p in model.players) + "]")
    if model.constraints:
        lines.append("constraints = [" + ", ".join(_toml_str(c.text) for c in model.constraints) + "]")
    lines += ["", "[model]", f"name = {_toml_str(model.name)}"]
    if model.title is not None:
        lines.append(f"title = {_toml_str(model.title)}")
    lines.append(f"kind = {_toml_str(model.kind)}")
    for k in ("description", "source"):
        if getattr(model, k) is not None:
            lines.append(f"{k} = {_toml_str(getattr(model, k))}")
    if "notes" in model.metadata:
        lines.append(f"notes = {_toml_str(model.metadata['notes'])}")
    if isinstance(model, ParametricNormalForm) and model.ordinal:
        lines.append("ordinal = true")
    if isinstance(model, ParametricTree) and model.root is not None:
        lines.append(f"root = {_toml_str(model.root)}")
    if pmeta:
        for p in model.players:
            lines += ["", f"[players.{_toml_key(p)}]"]
            if p in pmeta:
                lines.append(f"meaning = {_toml_str(pmeta[p])}")
    lines += _parameter_lines(model)
    if isinstance(model, ParametricNormalForm):
        lines += ["", "[actions]"]
        for p, acts in zip(model.players, model.actions):
            lines.append(f"{_toml_key(p)} = [" + ", ".join(_toml_str(a) for a in acts) + "]")
        for prof, exprs in model.payoff_table().items():
            lines += ["", "[[payoffs]]", "profile = [" + ", ".join(_toml_str(a) for a in prof) + "]",
                      "values = [" + ", ".join(_toml_expr(e) for e in exprs) + "]"]
            if prof in model.outcomes:
                lines.append(f"outcome = {_toml_str(model.outcomes[prof])}")
            if prof in model.outcome_tags():
                lines.append("tags = " + _toml_value(list(model.outcome_tags()[prof])))
            if prof in model.outcome_quantities():
                lines.append("quantities = { " + ", ".join(f"{_toml_key(k)} = {_toml_expr(e)}" for k, e in
                                                           model.outcome_quantities()[prof].items()) + " }")
    else:
        for node in model.node_specs():
            lines += ["", "[[nodes]]", f"id = {_toml_str(node['id'])}"]
            if "payoffs" in node:
                if "outcome" in node:
                    lines.append(f"outcome = {_toml_str(node['outcome'])}")
                if node.get("tags"):
                    lines.append("tags = " + _toml_value(list(node["tags"])))
                if node.get("quantities"):
                    lines.append("quantities = { " + ", ".join(f"{_toml_key(k)} = {_toml_expr(e)}" for k, e in
                                                               node["quantities"].items()) + " }")
                lines.append("payoffs = [" + ", ".join(_toml_expr(e) for e in node["payoffs"]) + "]")
                continue
            lines.append(f"player = {_toml_str(node['player'])}")
            if node.get("infoset") is not None:
                lines.append(f"infoset = {_toml_str(node['infoset'])}")
            lines.append("actions = { " + ", ".join(f"{_toml_key(a)} = {_toml_str(c)}"
                                                   for a, c in node["actions"].items()) + " }")
            if "probabilities" in node:
                lines.append("probabilities = { " + ", ".join(f"{_toml_key(a)} = {_toml_expr(e)}"
                                                             for a, e in node["probabilities"].items()) + " }")
    for m in getattr(model, "measures", {}).values():
        d = m.to_dict()
        lines += ["", f"[measures.{_toml_key(m.name)}]", f"expr = {_toml_str(d['expr'])}",
                  f"meaning = {_toml_str(d['meaning'])}", f"unit = {_toml_str(d['unit'])}"]
        if d["actions"]:
            lines.append("actions = " + _toml_value(d["actions"]))
    for c in getattr(model, "claims", []):
        lines += ["", "[[claims]]"] + [f"{_toml_key(k)} = {_toml_value(v)}" for k, v in c.spec.items()]
    return "\n".join(lines) + "\n"


def _parameter_lines(model) -> list:
    lines = []
    for p in model.parameters.values():
        lines += ["", f"[parameters.{_toml_key(p.name)}]", f"domain = {_domain_spec(p.domain)}"]
        if p.default is not None:
            lines.append(f"default = {_toml_num(p.default)}")
        if p.unit is not None:
            lines.append(f"unit = {_toml_str(p.unit)}")
        if p.meaning:
            lines.append(f"meaning = {_toml_str(p.meaning)}")
        if p.source is not None:
            lines.append(f"source = {_toml_str(p.source)}")
    return lines


def _dumps_dynamics(model) -> str:
    lines = []
    if model.constraints:
        lines.append("constraints = [" + ", ".join(_toml_str(c.text) for c in model.constraints) + "]")
    lines += ["", "[model]", f"name = {_toml_str(model.name)}"]
    if model.title is not None:
        lines.append(f"title = {_toml_str(model.title)}")
    lines.append('kind = "dynamics"')
    for k in ("description", "source"):
        if getattr(model, k) is not None:
            lines.append(f"{k} = {_toml_str(getattr(model, k))}")
    if "notes" in model.metadata:
        lines.append(f"notes = {_toml_str(model.metadata['notes'])}")
    lines += _parameter_lines(model)
    for s, st in model.states.items():
        lines += ["", f"[state.{_toml_key(s)}]"]
        if st.get("meaning"):
            lines.append(f"meaning = {_toml_str(st['meaning'])}")
        if st.get("unit"):
            lines.append(f"unit = {_toml_str(st['unit'])}")
        lines.append(f"initial = {_toml_num(st.get('initial', 0.0))}")
    lines += ["", "[equations]"]
    lines += [f"{_toml_key(s)} = {_toml_expr(e)}" for s, e in model.equations.items()]
    return "\n".join(lines).lstrip("\n") + "\n"


def _toml_value(v) -> str:
    """A TOML value (inline) for strings, numbers, booleans, lists and tables."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return _toml_str(v)
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return _toml_num(v) if v != int(v) else repr(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise ModelFileError(f"cannot write {type(v).__name__} {v!r} to a TOML file")


def dump(model: ParametricModel, fh) -> None:
    """Write :func:`dumps` to an open text file."""
    fh.write(dumps(model))


def save(model: ParametricModel, path) -> None:
    """Write the model to the file at *path* (UTF-8)."""
    text = dumps(model)
    with open(os.fspath(path), "w", encoding="utf-8") as fh:
        fh.write(text)
