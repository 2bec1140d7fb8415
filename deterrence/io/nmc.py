"""Reader for the Correlates of War National Material Capabilities data (NMC v6.0 / v7.0, abridged file).

Format (Singer, Bremer and Stuckey 1972; Greig and Enterline 2021, NMC v6.0 codebook)
    One row per state-year, columns ``stateabb, ccode, year, milex, milper, irst, pec, tpop, upop, cinc,
    version`` (the abridged file ``NMC-60-abridged.csv`` as the Correlates of War project distributes it at
    correlatesofwar.org; any order, more columns allowed).  ``milex`` is military expenditure in thousands:
    of British pounds up to 1913 and of *current* US dollars from 1914 (:func:`milex_unit`); ``milper``,
    ``tpop`` and ``upop`` in thousands, ``irst`` in thousand tons, ``pec`` in thousand coal-ton
    equivalents; ``-9`` marks a missing value.

The package ships none of the data: the user supplies the file.  Malformed input raises
:class:`~deterrence.errors.ModelFileError` naming the file, the row (1 = the header) and the column.
"""

from __future__ import annotations

import math
import os

from ..errors import ModelFileError
from .csv_rows import CsvRows as _Rows, read_csv_text as _read_text

__all__ = ["read_nmc", "milex_unit", "NMC_COLUMNS", "NMC_MISSING", "NMC_DOWNLOAD"]

#: The abridged file's columns, in file order.
NMC_COLUMNS = ("stateabb", "ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc", "version")
#: NMC's code for a missing value.
NMC_MISSING = -9
#: Where the publisher distributes the data.
NMC_DOWNLOAD = ("the Correlates of War project's National Material Capabilities data, v6.0 (abridged file "
                "NMC-60-abridged.csv), from correlatesofwar.org (Data Sets > National Material Capabilities)")


def milex_unit(year: int) -> str:
    """The unit of NMC's ``milex`` in *year*: thousands of pounds sterling to 1913, of current US$ from 1914."""
    return "thousands of current GBP" if year <= 1913 else "thousands of current US$"


def read_nmc(path, variable: str = "milex") -> dict:
    """One variable of an NMC file: ``{(stateabb, year): value, or None where NMC writes -9}``.

    Parameters
    ----------
    path : str or path
        The NMC file as distributed (abridged CSV; the columns ``stateabb``, ``ccode``, ``year`` and
        *variable* are needed).
    variable : str
        An NMC column (``milex``, ``milper``, ``irst``, ``pec``, ``tpop``, ``upop``, ``cinc``).

    Returns
    -------
    dict
        Keyed by NMC's state abbreviation and the year; a state-year absent from the file is absent here.

    Raises
    ------
    ModelFileError
        The file cannot be read; a needed column is missing; a ``ccode`` or ``year`` is not a whole number; a
        value is not a number, or is negative other than -9; a state-year (by ``stateabb`` or by ``ccode``)
        appears twice; a ``stateabb`` has two ``ccode`` values.  The message names the file, the row and the
        column.
    """
    name = os.fspath(path)
    if variable not in NMC_COLUMNS[3:10]:
        raise ModelFileError(f"variable {variable!r}: NMC's variables are {list(NMC_COLUMNS[3:10])}", path=name)
    name, text = _read_text(path)
    rows = _Rows(name, text, ("stateabb", "ccode", "year", variable),
                 layout=f"an NMC file has {', '.join(NMC_COLUMNS)}")
    col = rows.col
    out, by_code, code_of, first_row = {}, {}, {}, {}
    for n, row in rows:
        abb = row[col["stateabb"]].strip()
        if not abb:
            raise ModelFileError(f"row {n}, column 'stateabb': empty", path=name)
        ccode, year = (_whole(row[col[c]], name, n, c) for c in ("ccode", "year"))
        value = _value(row[col[variable]], name, n, variable)
        if code_of.setdefault(abb, ccode) != ccode:
            raise ModelFileError(f"row {n}, column 'ccode': {abb} has ccode {ccode} here and {code_of[abb]} "
                                 f"in row {first_row[abb]}", path=name)
        first_row.setdefault(abb, n)
        if (ccode, year) in by_code:          # a stateabb has one ccode, so this also catches (stateabb, year)
            raise ModelFileError(f"row {n}: {abb} (ccode {ccode}) {year} appears twice (first in row "
                                 f"{by_code[(ccode, year)]})", path=name)
        by_code[(ccode, year)] = n
        out[(abb, year)] = value
    return out


def _whole(cell: str, name: str, n: int, column: str) -> int:
    v = cell.strip().strip('"')
    try:
        x = float(v)
    except ValueError:
        x = math.nan
    if not (math.isfinite(x) and x.is_integer()):
        raise ModelFileError(f"row {n}, column {column!r}: expected a whole number, got {v[:40]!r}", path=name)
    return int(x)


def _value(cell: str, name: str, n: int, column: str):
    v = cell.strip().strip('"')
    try:
        x = float(v)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise ModelFileError(f"row {n}, column {column!r}: expected a number (NMC writes -9 for missing), got "
                             f"{v[:40]!r}", path=name)
    if x == NMC_MISSING:
        return None
    if x < 0:
        raise ModelFileError(f"row {n}, column {column!r}: {v} (allowed: >= 0, or -9 for missing)", path=name)
    return int(x) if x.is_integer() else x
