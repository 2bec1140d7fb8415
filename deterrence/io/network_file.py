"""Alliance-network files: states, commitments, war plans and a documented timeline in TOML.

The format (see ``models/networks/july_1914.toml``)::

    [network]
    name = "july_1914"
    title = "..."
    kind = "network"
    as_of = "1914-07-28"                 # commitments signed later act in a second phase
    attack = ["Austria-Hungary", "Serbia"]  # the documented initial attack (optional)
    source = "..."
    notes = "what is stylized"

    [[states]]        # name, code (COW), great_power, regions, resists, entered, note
    [[commitments]]   # id, name, kind, parties, protects, trigger, against, unprovoked,
                      # min_attackers, great_powers, region, invokes, general_war, signed, ends, honour,
                      # article, terms, source
    [[plans]]         # id, name, state, when_at_war_with, attacks, terms, source
    [[history]]       # date, event, states (the record, for comparison only)

Every problem raises :class:`~deterrence.errors.ModelFileError` naming the
file and the key (``states[3].code``); loading is all-or-nothing.  Nothing is
evaluated: the file holds names, numbers, booleans and dates only.
"""

from __future__ import annotations

import dataclasses
import hashlib
import os

try:  # Python >= 3.11
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from ..errors import ModelError, ModelFileError
from ..networks.network import AllianceNetwork
from ..networks.record import HistoryEvent, NetworkModel
from ..networks.treaty import Commitment, State, WarPlan, parse_date

__all__ = ["load_network", "loads_network", "NetworkModel", "HistoryEvent", "MAX_FILE_BYTES"]

MAX_FILE_BYTES = 2_000_000
_MAX_ITEMS = 100_000

_TOP = {"network", "states", "commitments", "plans", "history"}
_NETWORK_KEYS = {"name", "title", "kind", "as_of", "attack", "source", "notes"}
_TABLES = {
    "states": (State, {"name", "code", "great_power", "regions", "resists", "entered", "note"}),
    "commitments": (Commitment, {f.name for f in dataclasses.fields(Commitment)}),
    "plans": (WarPlan, {f.name for f in dataclasses.fields(WarPlan)}),
}
_TYPES = {"name": str, "id": str, "kind": str, "trigger": str, "region": str, "invokes": str, "article": str,
          "terms": str, "source": str, "note": str, "state": str, "title": str,
          "great_power": bool, "resists": bool, "unprovoked": bool, "great_powers": bool,
          "code": int, "min_attackers": int, "general_war": int, "honour": float,
          "regions": list, "parties": list, "protects": list, "against": list, "when_at_war_with": list,
          "attacks": list}


def load_network(path) -> NetworkModel:
    """Read and validate the network file at *path*."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ModelFileError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    if len(raw) > MAX_FILE_BYTES:
        raise ModelFileError(f"file larger than {MAX_FILE_BYTES} bytes", path=name)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", path=name) from None
    model = loads_network(text, path=name)
    return dataclasses.replace(model, digest=hashlib.sha256(raw).hexdigest())


def loads_network(text: str, path: str | None = None) -> NetworkModel:
    """Read a network from TOML *text* (*path* names it in error messages)."""
    if not isinstance(text, str):
        raise ModelFileError(f"expected TOML text (str), got {type(text).__name__}", path=path)
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"not valid TOML: {exc}", path=path) from None
    except (ValueError, RecursionError) as exc:   # e.g. an integer beyond int() limits
        raise ModelFileError(f"not readable TOML: {str(exc).splitlines()[0][:200]}", path=path) from None
    unknown = set(doc) - _TOP
    if unknown:
        raise ModelFileError(f"unknown top-level key(s) {sorted(unknown)}; expected {sorted(_TOP)}", path=path)
    meta = doc.get("network")
    if not isinstance(meta, dict):
        raise ModelFileError("missing [network] table", path=path, key="network")
    bad = set(meta) - _NETWORK_KEYS
    if bad:
        raise ModelFileError(f"unknown key(s) {sorted(bad)}; expected {sorted(_NETWORK_KEYS)}", path=path,
                             key="network")
    if meta.get("kind", "network") != "network":
        raise ModelFileError(f"kind must be 'network', got {meta.get('kind')!r}", path=path, key="network.kind")
    for k in ("name", "title", "source", "notes"):
        if k in meta and not isinstance(meta[k], str):
            raise ModelFileError(f"expected text, got {type(meta[k]).__name__}", path=path, key=f"network.{k}")
    as_of = meta.get("as_of")
    if as_of is not None:
        try:
            as_of = parse_date(as_of, "as_of").isoformat()
        except ModelError as exc:
            raise ModelFileError(str(exc), path=path, key="network.as_of") from None

    items = {}
    for table, (cls, keys) in _TABLES.items():
        rows = doc.get(table, [])
        if not isinstance(rows, list) or len(rows) > _MAX_ITEMS:
            raise ModelFileError(f"expected an array of tables [[{table}]] (at most {_MAX_ITEMS})", path=path,
                                 key=table)
        out = []
        for i, row in enumerate(rows):
            where = f"{table}[{i}]"
            if not isinstance(row, dict):
                raise ModelFileError("expected a table", path=path, key=where)
            bad = set(row) - keys
            if bad:
                raise ModelFileError(f"unknown key(s) {sorted(bad)}; expected some of {sorted(keys)}", path=path,
                                     key=where)
            need = [f.name for f in dataclasses.fields(cls)
                    if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
            missing = [k for k in need if k not in row]
            if missing:
                raise ModelFileError(f"missing required key(s) {missing}: a [[{table}]] item needs {sorted(need)} "
                                     f"and may have {sorted(keys - set(need))}", path=path, key=where)
            kwargs = {}
            for k, v in row.items():
                kwargs[k] = _typed(v, k, path, f"{where}.{k}")
            try:
                out.append(cls(**kwargs))
            except TypeError as exc:
                raise ModelFileError(f"missing or wrong keys: {exc}", path=path, key=where) from None
            except ModelError as exc:
                raise ModelFileError(str(exc), path=path, key=where) from None
        items[table] = tuple(out)

    try:
        net = AllianceNetwork(items["states"], items["commitments"], items["plans"],
                              name=meta.get("name", "network"), title=meta.get("title", ""),
                              source=meta.get("source", ""), notes=meta.get("notes", ""), as_of=as_of)
    except ModelError as exc:
        raise ModelFileError(str(exc), path=path) from None

    attack = meta.get("attack")
    if attack is not None:
        if not (isinstance(attack, list) and len(attack) == 2 and all(isinstance(a, str) for a in attack)):
            raise ModelFileError(f"expected [attacker, target], got {attack!r}", path=path, key="network.attack")
        try:
            attack = (net.state(attack[0]).name, net.state(attack[1]).name)
        except ModelError as exc:
            raise ModelFileError(str(exc), path=path, key="network.attack") from None

    history = []
    rows = doc.get("history", [])
    if not isinstance(rows, list):
        raise ModelFileError("expected an array of tables [[history]]", path=path, key="history")
    for i, row in enumerate(rows):
        where = f"history[{i}]"
        if not isinstance(row, dict) or set(row) - {"date", "event", "states"} or "event" not in row \
                or "date" not in row:
            raise ModelFileError("expected a table with date, event and optional states", path=path, key=where)
        try:
            day = parse_date(row["date"], "date").isoformat()
        except ModelError as exc:
            raise ModelFileError(str(exc), path=path, key=f"{where}.date") from None
        states = row.get("states", [])
        if not isinstance(states, list) or not all(isinstance(s, str) for s in states):
            raise ModelFileError("expected a list of state names", path=path, key=f"{where}.states")
        for s in states:
            try:
                net.state(s)
            except ModelError as exc:
                raise ModelFileError(str(exc), path=path, key=f"{where}.states") from None
        if not isinstance(row["event"], str):
            raise ModelFileError("expected text", path=path, key=f"{where}.event")
        history.append(HistoryEvent(day, row["event"], tuple(states)))
    history.sort(key=lambda h: h.date)
    return NetworkModel(net, attack, tuple(history), path, hashlib.sha256(text.encode("utf-8")).hexdigest())


def _typed(v, k, path, key):
    want = _TYPES.get(k)
    if k in ("signed", "ends", "entered"):
        try:
            return parse_date(v, k).isoformat()
        except ModelError as exc:
            raise ModelFileError(str(exc), path=path, key=key) from None
    if want is float:
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ModelFileError(f"expected a number, got {v!r}", path=path, key=key)
        try:
            return float(v)
        except OverflowError:       # an integer beyond the float64 range
            raise ModelFileError("the integer is outside the float64 range", path=path, key=key) from None
    if want is int:
        if isinstance(v, bool) or not isinstance(v, int):
            raise ModelFileError(f"expected an integer, got {v!r}", path=path, key=key)
        return v
    if want is list:
        if not isinstance(v, list):
            raise ModelFileError(f"expected a list of names, got {v!r}", path=path, key=key)
        return tuple(v)
    if want is not None and not isinstance(v, want):
        raise ModelFileError(f"expected {want.__name__}, got {type(v).__name__} {v!r}", path=path, key=key)
    return v
