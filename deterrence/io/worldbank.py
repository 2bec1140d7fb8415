"""Reader for a World Bank indicator (e.g. NY.GDP.MKTP.CD, GDP in current US$) in the layouts it is distributed in.

Formats
    * The World Bank API / DataBank download (``API_NY.GDP.MKTP.CD_DS2_en_csv_v2_*.csv``, from
      data.worldbank.org/indicator/NY.GDP.MKTP.CD, "Download CSV"): four lines of metadata (``"Data
      Source","World Development Indicators"``, a blank line, ``"Last Updated Date",...``, a blank line),
      then the header ``Country Name, Country Code, Indicator Name, Indicator Code, 1960, 1961, ...`` with
      one column per year, one row per country; an empty cell is a missing value.
    * The long layout ``Country Name, Country Code, Year, Value`` (one row per country-year, as
      redistributed by datahub.io ``core/gdp``).

Countries are keyed by the World Bank's code (ISO 3166 alpha-3 for countries).  The package ships none of the
data: the user supplies the file.  Malformed input raises :class:`~deterrence.errors.ModelFileError` naming
the file, the row (counting every line, 1-based) and the column.
"""

from __future__ import annotations

import csv
import io
import math

from ..errors import ModelFileError
from .csv_rows import read_csv_text

__all__ = ["read_wb_indicator", "GDP_DOWNLOAD"]

#: Where the publisher distributes GDP in current US$.
GDP_DOWNLOAD = ("the World Bank's World Development Indicators, series NY.GDP.MKTP.CD (GDP, current US$), "
                "from data.worldbank.org/indicator/NY.GDP.MKTP.CD (Download > CSV; or datahub.io core/gdp)")
_LONG = ["country name", "country code", "year", "value"]
_WIDE = ["country name", "country code", "indicator name", "indicator code"]


def read_wb_indicator(path, year: int, indicator: str | None = None) -> dict:
    """The indicator's value for *year* by country code: ``{code: value, or None where the cell is empty}``.

    Parameters
    ----------
    path : str or path
        The World Bank API CSV (four metadata lines, a column per year) or the long
        ``Country Name, Country Code, Year, Value`` layout.
    year : int
    indicator : str, optional
        In the API layout, the ``Indicator Code`` every row must carry (``"NY.GDP.MKTP.CD"``).

    Raises
    ------
    ModelFileError
        The file cannot be read or has neither layout; the API file has no column for *year*; a value is not
        a number; a country code is empty or given twice for the year; a row carries another indicator.
        The message names the file, the row and the column.
    """
    name, text = read_csv_text(path)
    rows = list(enumerate(csv.reader(io.StringIO(text)), start=1))
    head = next(((n, r) for n, r in rows if any(c.strip() for c in r)), None)
    if head is None:
        raise ModelFileError("empty file", path=name)
    low = [c.strip().lower() for c in head[1]]
    if low[:4] == _LONG:
        return _read_long(name, rows, head[0], year)
    if low and low[0] == "data source":
        head = next(((n, r) for n, r in rows if [c.strip().lower() for c in r][:4] == _WIDE), None)
        if head is not None:
            return _read_wide(name, rows, head, year, indicator)
    raise ModelFileError(f"row {head[0]}: neither World Bank layout: expected the header "
                         "'Country Name,Country Code,Year,Value', or the API download (4 metadata lines, then "
                         "'Country Name,Country Code,Indicator Name,Indicator Code,1960,...')", path=name)


def _number(cell: str, name: str, n: int, column: str):
    v = cell.strip()
    if v == "":
        return None
    try:
        x = float(v)
    except ValueError:
        x = math.nan
    if not math.isfinite(x):
        raise ModelFileError(f"row {n}, column {column!r}: expected a number (or an empty cell), got {v[:40]!r}",
                             path=name)
    return x


def _code(row, n, name, out):
    code = row[1].strip()
    if not code:
        raise ModelFileError(f"row {n}, column 'Country Code': empty", path=name)
    if code in out:
        raise ModelFileError(f"row {n}, column 'Country Code': {code} given twice for the year", path=name)
    return code


def _read_long(name, rows, header_row, year):
    out = {}
    for n, row in rows:
        if n <= header_row or not any(c.strip() for c in row):
            continue
        if len(row) != 4:
            raise ModelFileError(f"row {n}: {len(row)} fields, expected 4 (Country Name,Country Code,Year,Value)",
                                 path=name)
        try:
            y = float(row[2].strip())
        except ValueError:
            y = math.nan
        if not (math.isfinite(y) and y.is_integer()):
            raise ModelFileError(f"row {n}, column 'Year': expected a year, got {row[2].strip()[:40]!r}", path=name)
        if int(y) != year:
            continue
        code = _code(row, n, name, out)
        out[code] = _number(row[3], name, n, "Value")
    return out


def _read_wide(name, rows, head, year, indicator):
    header_row, header = head
    cols = [c.strip() for c in header]
    if str(year) not in cols:
        years = [c for c in cols[4:] if c.isdigit()]
        span = f"{years[0]}-{years[-1]}" if years else "none"
        raise ModelFileError(f"row {header_row}: no column for {year} (the file's years: {span})", path=name)
    j = cols.index(str(year))
    out = {}
    for n, row in rows:
        if n <= header_row or not any(c.strip() for c in row):
            continue
        if len(row) <= j:
            raise ModelFileError(f"row {n}: {len(row)} fields, the header has {len(cols)}", path=name)
        if indicator is not None and row[3].strip() != indicator:
            raise ModelFileError(f"row {n}, column 'Indicator Code': {row[3].strip()!r}, expected {indicator!r}",
                                 path=name)
        code = _code(row, n, name, out)
        out[code] = _number(row[j], name, n, str(year))
    return out
