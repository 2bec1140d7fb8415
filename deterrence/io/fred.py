"""Reader for a FRED series downloaded as CSV (e.g. CPIAUCSL, the US consumer price index, CPI-U).

Format (Federal Reserve Bank of St. Louis, FRED, "Download Data: CSV")
    Two columns: the date (header ``DATE`` in older downloads, ``observation_date`` in newer ones;
    ``YYYY-MM-DD``, the first day of the period) and the series id (``CPIAUCSL``); ``.`` marks a missing
    observation.  The frequency (monthly, quarterly or annual) is read off the dates: every observation on
    the first of January is annual, every one on the first of January, April, July or October is quarterly,
    anything else monthly.

The package ships none of the data: the user supplies the file.  Malformed input raises
:class:`~deterrence.errors.ModelFileError` naming the file, the row (1 = the header) and the column.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math

from ..errors import ModelFileError
from .csv_rows import read_csv_text

__all__ = ["read_fred_annual", "FRED_DATE_COLUMNS", "CPI_DOWNLOAD"]

#: Headers FRED has used for the date column.
FRED_DATE_COLUMNS = ("date", "observation_date")
#: Where the publisher distributes the deflator.
CPI_DOWNLOAD = ("FRED series CPIAUCSL (US CPI-U, all items, US Bureau of Labor Statistics), "
                "fred.stlouisfed.org/series/CPIAUCSL, Download > CSV")
_PERIODS = {"annual": 1, "quarterly": 4, "monthly": 12}


def read_fred_annual(path, series: str | None = None) -> dict:
    """Yearly means of a FRED series: ``{year: mean of the year's observations}`` for every complete year.

    Parameters
    ----------
    path : str or path
        The CSV as FRED serves it.
    series : str, optional
        The series id the second column must carry (``"CPIAUCSL"``); by default any.

    Returns
    -------
    dict
        A year appears only if it has every observation of its frequency (12 months, 4 quarters or 1 year)
        and none of them is missing (``.``).

    Raises
    ------
    ModelFileError
        The file cannot be read; the header is not ``DATE``/``observation_date`` and a series id (or not
        *series*); a date is not ``YYYY-MM-DD``; a value is neither a positive number nor ``.``; a date
        appears twice.  The message names the file, the row and the column.
    """
    name, text = read_csv_text(path)
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    if len(header) != 2 or header[0].lower() not in FRED_DATE_COLUMNS or not header[1]:
        raise ModelFileError(f"row 1: expected FRED's two columns DATE (or observation_date) and the series id, "
                             f"got {header[:4]}", path=name)
    if series is not None and header[1] != series:
        raise ModelFileError(f"row 1, column 2: the series is {header[1]!r}, expected {series!r}", path=name)
    obs = {}
    for n, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != 2:
            raise ModelFileError(f"row {n}: {len(row)} fields, expected 2", path=name)
        try:
            date = _dt.date.fromisoformat(row[0].strip())
        except ValueError:
            raise ModelFileError(f"row {n}, column {header[0]!r}: expected a date YYYY-MM-DD, got "
                                 f"{row[0].strip()[:40]!r}", path=name) from None
        cell = row[1].strip()
        if cell == ".":
            value = None
        else:
            try:
                value = float(cell)
            except ValueError:
                value = math.nan
            if not (math.isfinite(value) and value > 0):
                raise ModelFileError(f"row {n}, column {header[1]!r}: expected a positive number or '.', got "
                                     f"{cell[:40]!r}", path=name)
        if date in obs:
            raise ModelFileError(f"row {n}, column {header[0]!r}: {date} appears twice", path=name)
        obs[date] = value
    months = {d.month for d in obs}
    freq = "annual" if months <= {1} else "quarterly" if months <= {1, 4, 7, 10} else "monthly"
    by_year = {}
    for d, v in obs.items():
        by_year.setdefault(d.year, []).append(v)
    return {y: sum(v) / len(v) for y, v in sorted(by_year.items())
            if len(v) == _PERIODS[freq] and all(x is not None for x in v)}
