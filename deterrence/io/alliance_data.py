"""Readers for the field's alliance data: COW Formal Alliances v4.1 and ATOP 5.1.

Each reader turns a CSV file into an :class:`~deterrence.networks.AllianceNetwork`
of the commitments in force in a given year, ready for
:func:`~deterrence.networks.cascade`.

COW Formal Alliances v4.1, dyadic files (Gibler 2009)
    Columns ``version4id, ccode1, state_name1, ccode2, state_name2,
    dyad_st_day, dyad_st_month, dyad_st_year, dyad_end_day, dyad_end_month,
    dyad_end_year, left_censor, right_censor, defense, neutrality,
    nonaggression, entente[, year][, asymmetric], version``.  A row says
    that ``ccode1`` is bound toward ``ccode2`` by the flagged obligations;
    ``asymmetric == 0`` (where present) makes the pledge mutual.  Types map to
    kinds: ``defense`` -> defence, ``neutrality`` -> neutrality,
    ``nonaggression`` -> non-aggression, ``entente`` -> consultation.  A
    missing end year means the alliance was in force at the end of the data.
    One row per alliance: a dyad (or dyad-year) repeated for several treaties
    gives several commitments, each kept with its ``version4id``.

ATOP 5.1, member-level file ``atop5_1m`` (Leeds et al. 2002)
    Columns ``atopid, member, yrent, moent, dayent, yrexit, moexit, dayexit,
    phase, defense, offense, neutral, nonagg, consul`` and condition flags.
    Every (``atopid``, ``phase``) is one alliance; for each obligation type,
    the members whose row carries the flag are its parties and every member
    is protected, so asymmetric pledges are read as such.  ``yrexit == 0``
    means still in force.  Conditions: ``defconpr`` (only if the ally did not
    provoke) becomes ``unprovoked``; ``defconum`` (a condition on the number
    of attackers) becomes ``min_attackers = 2``; the conditions the member
    file does not specify further (``defcoadv`` adversary, ``defcoloc``
    location, ``defcocon`` conflict, ``defcodem`` demands) are recorded in the
    commitment's terms and not modelled, so such a commitment is read as
    broader than it is.  The flags' exact meanings should be checked against
    the ATOP codebook, which was not at hand when this reader was written.

Malformed files raise :class:`~deterrence.errors.ModelFileError` naming the
file, the row (1 = the header) and the column.
"""

from __future__ import annotations

import datetime as _dt
import os

from ..errors import ModelError, ModelFileError
from ..networks.network import AllianceNetwork
from ..networks.treaty import Commitment, State
from .csv_rows import CsvRows as _Rows, read_csv_text as _read_text

__all__ = ["read_cow_dyadic", "read_atop_members", "sniff_format", "COW_COLUMNS", "ATOP_COLUMNS"]

COW_COLUMNS = ("version4id", "ccode1", "state_name1", "ccode2", "state_name2", "dyad_st_day", "dyad_st_month",
               "dyad_st_year", "dyad_end_day", "dyad_end_month", "dyad_end_year", "left_censor", "right_censor",
               "defense", "neutrality", "nonaggression", "entente")
ATOP_COLUMNS = ("atopid", "member", "yrent", "moent", "dayent", "yrexit", "moexit", "dayexit", "phase",
                "defense", "offense", "neutral", "nonagg", "consul")
_COW_KINDS = (("defense", "defence"), ("neutrality", "neutrality"), ("nonaggression", "nonaggression"),
              ("entente", "consultation"))
_ATOP_KINDS = (("defense", "defence"), ("offense", "offence"), ("neutral", "neutrality"),
               ("nonagg", "nonaggression"), ("consul", "consultation"))
_UNMODELLED = (("defcoadv", "specific adversary"), ("defcoloc", "location"), ("defcocon", "specific conflict"),
               ("defcodem", "non-compliance with demands"))
#: COW data end (a missing end date means in force through it).
COW_DATA_END = _dt.date(2012, 12, 31)


def sniff_format(path) -> str:
    """``"cow"`` or ``"atop"`` from the header of the CSV file at *path*."""
    name, text = _read_text(path)
    head = text.splitlines()[0].lower() if text else ""
    cols = {c.strip().strip('"') for c in head.split(",")}
    if {"ccode1", "ccode2", "version4id"} <= cols:
        return "cow"
    if {"atopid", "member"} <= cols:
        return "atop"
    raise ModelFileError("not a COW dyadic or ATOP member-level file (header has neither ccode1/ccode2/version4id "
                         "nor atopid/member)", path=name)


def _date(y, m, d, n, path, what, cols=None):
    if y is None:
        return None
    for v, hi, unit, col in ((m, 12, "month", cols[1] if cols else None), (d, 31, "day", cols[2] if cols else None)):
        if v is not None and not 0 <= v <= hi:
            where = f"row {n}, column {col!r}" if col else f"row {n}"
            raise ModelFileError(f"{where}: {what} {unit} {v} is not a {unit} (1-{hi}; 0 or empty when unknown)",
                                 path=path)
    try:
        return _dt.date(y, m if m and 1 <= m <= 12 else 1, d if d and 1 <= d <= 31 else 1)
    except ValueError:
        try:
            return _dt.date(y, m if m and 1 <= m <= 12 else 1, 1)
        except ValueError:
            raise ModelFileError(f"row {n}: {what} year {y} is not a valid year", path=path) from None


def _check_year(year):
    if isinstance(year, bool) or not isinstance(year, int) or not 1800 <= year <= 2100:
        raise ModelError(f"year must be an integer between 1800 and 2100, got {year!r}")


def _in_year(start, end, year):
    return (start is None or start <= _dt.date(year, 12, 31)) and (end is None or end >= _dt.date(year, 1, 1))


def _span(spans) -> str:
    """When the file's alliances are in force, from their (start, end) dates (end None: open)."""
    if not spans:
        return " (the file has no alliance rows)"
    lo = min(s.year for s, _ in spans)
    ends = [e for _, e in spans]
    if any(e is None for e in ends):
        return f" (the file's alliances are in force from {lo} on, some with no end date)"
    return f" (the file's alliances are in force {lo}-{max(e.year for e in ends)})"


def _network(states: dict[int, str], commitments, name, year, source, great_powers, spans):
    if not commitments:
        raise ModelError(f"no alliance in force in {year}" + _span(spans))
    gp = set(great_powers or ())
    st = [State(nm, code=c, great_power=c in gp) for c, nm in sorted(states.items())]
    # every commitment read was in force at some time in the year: no as_of date, no second phase
    return AllianceNetwork(st, commitments, name=name, title=f"Alliances in force in {year}", source=source)


def _names_unique(states: dict[int, str]) -> dict[int, str]:
    seen: dict[str, int] = {}
    out = {}
    for c, nm in sorted(states.items()):
        nm = nm or f"state {c}"
        if nm in seen and seen[nm] != c:
            nm = f"{nm} ({c})"
        seen[nm] = c
        out[c] = nm
    return out


def read_cow_dyadic(path, year: int, *, great_powers=(), names=None) -> AllianceNetwork:
    """The commitments of the COW dyadic alliance file at *path* in force during *year*.

    Parameters
    ----------
    path : path-like
        A COW Formal Alliances v4.1 dyadic (or dyad-yearly) CSV file.
    year : int
        The year of the network.
    great_powers : iterable of int, optional
        COW codes of the great powers of the year (for conditions counting great powers).
    names : mapping of int to str, optional
        State names by COW code (default: the file's ``state_name`` columns).
    """
    _check_year(year)
    name, text = _read_text(path)
    rows = _Rows(name, text, COW_COLUMNS)
    states: dict[int, str] = {}
    found: dict[tuple, dict] = {}
    spans = []
    for n, row in rows:
        c1, c2 = rows.int(row, n, "ccode1"), rows.int(row, n, "ccode2")
        if c1 == c2:
            raise ModelFileError(f"row {n}: ccode1 and ccode2 are the same state ({c1})", path=name)
        aid = rows.int(row, n, "version4id")
        start = _date(rows.int(row, n, "dyad_st_year", True), rows.int(row, n, "dyad_st_month", True),
                      rows.int(row, n, "dyad_st_day", True), n, name, "start",
                      ("dyad_st_year", "dyad_st_month", "dyad_st_day"))
        end = _date(rows.int(row, n, "dyad_end_year", True), rows.int(row, n, "dyad_end_month", True),
                    rows.int(row, n, "dyad_end_day", True), n, name, "end",
                    ("dyad_end_year", "dyad_end_month", "dyad_end_day"))
        if start is None:
            raise ModelFileError(f"row {n}, column 'dyad_st_year': missing start year", path=name)
        if start and end and end < start:
            raise ModelFileError(f"row {n}: ends ({end}) before it starts ({start})", path=name)
        spans.append((start, end))
        row_year = rows.int(row, n, "year", True)
        if row_year is not None and row_year != year:
            continue
        if row_year is None and not _in_year(start, end, year):
            continue
        for c, col in ((c1, "state_name1"), (c2, "state_name2")):
            states.setdefault(c, (names or {}).get(c) or rows.text(row, col) or f"state {c}")
        asym = rows.int(row, n, "asymmetric", True)
        for col, kind in _COW_KINDS:
            flag = rows.int(row, n, col, True)
            if flag not in (None, 0, 1):
                raise ModelFileError(f"row {n}, column {col!r}: expected 0 or 1, got {flag}", path=name)
            if flag:
                key = (aid, kind, min(c1, c2), max(c1, c2)) if asym == 0 else (aid, kind, c1, c2)
                rec = found.setdefault(key, {"aid": aid, "kind": kind, "pairs": set(), "start": start, "end": end,
                                             "mutual": asym == 0})
                rec["pairs"].add((c1, c2))
    states = _names_unique(states)
    commitments = []
    for (aid, kind, a, b), rec in sorted(found.items(), key=lambda kv: kv[0]):
        if rec["mutual"] or {(a, b), (b, a)} <= rec["pairs"]:
            parties, protects = (states[a], states[b]), None
        else:
            (p, q), = rec["pairs"]
            parties, protects = (states[p],), (states[q],)
        cid = f"cow{aid}_{kind}_{a}_{b}"
        commitments.append(Commitment(cid, f"COW alliance {aid}", kind, parties, protects=protects,
                                      signed=rec["start"].isoformat(),
                                      ends=rec["end"].isoformat() if rec["end"] else None,
                                      terms=f"COW Formal Alliances v4.1, alliance {aid}: {kind} pledge",
                                      source=f"{os.path.basename(name)}"))
    return _network(states, commitments, f"cow_{year}", year, f"COW Formal Alliances v4.1 dyadic file {name}",
                    great_powers, spans)


def read_atop_members(path, year: int, *, great_powers=(), names=None) -> AllianceNetwork:
    """The commitments of the ATOP 5.1 member-level file at *path* in force during *year*.

    Parameters are as for :func:`read_cow_dyadic`; ATOP files carry no state names, so *names* maps COW
    codes to names (default ``"state CODE"``).
    """
    _check_year(year)
    name, text = _read_text(path)
    rows = _Rows(name, text, ATOP_COLUMNS)
    groups: dict[tuple, list] = {}
    spans = []
    for n, row in rows:
        aid, member = rows.int(row, n, "atopid"), rows.int(row, n, "member")
        phase = rows.int(row, n, "phase", True) or 1
        start = _date(rows.int(row, n, "yrent"), rows.int(row, n, "moent", True), rows.int(row, n, "dayent", True),
                      n, name, "entry", ("yrent", "moent", "dayent"))
        yx = rows.int(row, n, "yrexit", True)
        end = None if not yx else _date(yx, rows.int(row, n, "moexit", True), rows.int(row, n, "dayexit", True),
                                        n, name, "exit", ("yrexit", "moexit", "dayexit"))
        if end and end < start:
            raise ModelFileError(f"row {n}: exit ({end}) before entry ({start})", path=name)
        spans.append((start, end))
        flags = {}
        for col in [c for c, _ in _ATOP_KINDS] + ["defcon", "defconpr", "defconum"] + [c for c, _ in _UNMODELLED]:
            v = rows.int(row, n, col, True)
            if v is not None and v < 0:
                raise ModelFileError(f"row {n}, column {col!r}: expected a non-negative code, got {v}", path=name)
            flags[col] = v or 0
        if _in_year(start, end, year):
            groups.setdefault((aid, phase), []).append((n, member, start, end, flags))
    states: dict[int, str] = {}
    commitments = []
    for (aid, phase), members in sorted(groups.items()):
        codes = [m for _, m, *_ in members]
        if len(set(codes)) != len(codes):
            n = members[[i for i, c in enumerate(codes) if codes.index(c) != i][0]][0]
            raise ModelFileError(f"row {n}: member listed twice in alliance {aid} phase {phase}", path=name)
        for c in codes:
            states.setdefault(c, (names or {}).get(c) or f"state {c}")
        if len(codes) < 2:
            continue
        start = min(m[2] for m in members)
        ends = [m[3] for m in members]
        end = None if any(e is None for e in ends) else max(ends)
        for col, kind in _ATOP_KINDS:
            parties = [m[1] for m in members if m[4][col]]
            if not parties:
                continue
            conds = {}
            notes = []
            if kind == "defence":
                if any(m[4]["defconpr"] for m in members if m[4][col]):
                    conds["unprovoked"] = True
                if any(m[4]["defconum"] for m in members if m[4][col]):
                    conds["min_attackers"] = 2
                notes = [w for c, w in _UNMODELLED if any(m[4][c] for m in members if m[4][col])]
            terms = f"ATOP 5.1 alliance {aid} (phase {phase}): {kind} obligation"
            if notes:
                terms += "; conditions not modelled: " + ", ".join(notes)
            protects = None if len(parties) == len(codes) else [c for c in codes]
            commitments.append((aid, phase, kind, parties, protects, conds, terms, start, end))
    states = _names_unique(states)
    out = []
    for aid, phase, kind, parties, protects, conds, terms, start, end in commitments:
        out.append(Commitment(f"atop{aid}_{phase}_{kind}", f"ATOP alliance {aid}", kind,
                              tuple(states[c] for c in parties),
                              protects=None if protects is None else tuple(states[c] for c in protects),
                              signed=start.isoformat(), ends=end.isoformat() if end else None,
                              terms=terms, source=os.path.basename(name), **conds))
    return _network(states, out, f"atop_{year}", year, f"ATOP 5.1 member-level file {name}", great_powers, spans)
