"""Reader for the Correlates of War state list: state names by COW code.

COW and ATOP alliance files identify states by their COW state number (``ccode``); ATOP's member file
carries no names at all, so a network read from it shows "state 255".  The Correlates of War Project's
*State System Membership List* (v2016, file ``States2016.csv``; Correlates of War Project 2017, "State
System Membership List, v2016", correlatesofwar.org) gives each state's name.  The package does not ship
it: the user downloads it from the COW project and passes it here (``deterrence cascade FILE.csv --year Y
--names States2016.csv``).

Layout (COW's documented columns, one row per period of system membership)
    ``stateabb, ccode, statenme, styear, stmonth, stday, endyear, endmonth, endday, version``: the
    three-letter abbreviation, the COW code, the primary COW state name and the start and end of the
    tenure.  A state that left and re-entered the system (Germany, 255: 1816-1945 and 1990-) has a row per
    tenure.  Only ``ccode`` and ``statenme`` are required; the tenure columns, where present, choose between
    two names given to one code (the tenure that covers the year asked for).

The companion file ``system2016.csv`` (``stateabb, ccode, year, version``) has no names and is refused
with a message saying which file to use.  Malformed files raise
:class:`~deterrence.errors.ModelFileError` naming the file, the row (1 = the header) and the column.
"""

from __future__ import annotations

from ..errors import ModelError, ModelFileError
from .csv_rows import CsvRows as _Rows, read_csv_text as _read_text

__all__ = ["read_cow_states", "COW_STATES_COLUMNS"]

#: The columns of COW's State System Membership List v2016 (``States2016.csv``), in file order.
COW_STATES_COLUMNS = ("stateabb", "ccode", "statenme", "styear", "stmonth", "stday", "endyear", "endmonth",
                      "endday", "version")


def read_cow_states(path, year: int | None = None, *, abbreviations: bool = False) -> dict[int, str]:
    """State names by COW code from the COW state list at *path* (``States2016.csv``).

    Parameters
    ----------
    path : path-like
        A CSV file in the layout of COW's State System Membership List (columns ``stateabb, ccode,
        statenme, styear, ...``; only ``ccode`` and ``statenme`` are required).
    year : int, optional
        Where one code is given two different names in two tenures, the name of the tenure covering
        *year* (needs the columns ``styear`` and ``endyear``).  Without it such a file is refused.
    abbreviations : bool
        Use the three-letter ``stateabb`` ("GMY") instead of the name ("Germany").

    Returns
    -------
    dict of int to str
        The name of each code in the file, in code order.

    Raises
    ------
    ModelFileError
        Unreadable file; a missing column (the system-membership file ``system2016.csv`` has no names);
        a code that is not a non-negative integer or an empty name (naming the row and column); one code
        with two names that *year* does not settle.
    """
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise ModelError(f"year must be an integer, got {year!r}")
    name, text = _read_text(path)
    col = "stateabb" if abbreviations else "statenme"
    head = text.splitlines()[0].lower() if text else ""
    if "statenme" not in head and "year" in [c.strip().strip('"') for c in head.split(",")]:
        raise ModelFileError("row 1: no column 'statenme': this looks like COW's system membership file "
                             "(stateabb, ccode, year), which has no state names; give the COW state list "
                             "States2016.csv (stateabb, ccode, statenme, styear, ...)", path=name)
    rows = _Rows(name, text, ("ccode", col))
    found: dict[int, list[tuple[int, str, int | None, int | None]]] = {}
    for n, row in rows:
        code = rows.int(row, n, "ccode")
        if code < 0:
            raise ModelFileError(f"row {n}, column 'ccode': a COW code is a non-negative integer, got {code}",
                                 path=name)
        label = rows.text(row, col)
        if not label:
            raise ModelFileError(f"row {n}, column {col!r}: empty state name for code {code}", path=name)
        start = rows.int(row, n, "styear", missing_ok=True)
        end = rows.int(row, n, "endyear", missing_ok=True)
        found.setdefault(code, []).append((n, label, start, end))
    if not found:
        raise ModelFileError("no state rows after the header", path=name)
    out: dict[int, str] = {}
    for code, entries in sorted(found.items()):
        labels = {e[1] for e in entries}
        if len(labels) == 1:
            out[code] = entries[0][1]
            continue
        covering = [e for e in entries if year is not None and e[2] is not None and e[3] is not None
                    and e[2] <= year <= e[3]]
        if len({e[1] for e in covering}) == 1:
            out[code] = covering[0][1]
            continue
        listed = "; ".join(f"row {e[0]}: {e[1]!r} ({e[2]}-{e[3]})" for e in entries)
        raise ModelFileError(f"code {code} has several names ({listed}); "
                             + ("give the year to choose the tenure" if year is None else
                                f"no single tenure with styear/endyear covers {year}"), path=name)
    return out
