"""A plain column table for sweep results, with atomic file output.

:class:`ResultTable` holds one numpy array per column, all of the same
length (one row per parameter point).  It writes CSV, JSON and JSON lines
without extra dependencies and Parquet through pyarrow when it is installed.

:class:`TableWriter` writes the same formats chunk by chunk (a sweep streams
its chunks through it, so memory is bounded by the chunk size).  Every file
goes through :func:`~deterrence.analysis.atomic.atomic_path`: the path is
checked before any work, the data go to a temporary file in the target's
directory, which replaces the target with :func:`os.replace` only once
complete, so an interrupted sweep (Ctrl-C, SIGTERM, SIGHUP) or a failed write
never leaves a partial file.
"""

from __future__ import annotations

import csv
import json
import math
import os
from contextlib import ExitStack
from typing import Iterable, Mapping

import numpy as np

from ..errors import ModelError
from .atomic import atomic_path, atomic_write, check_output_path

__all__ = ["ResultTable", "TableWriter", "atomic_write", "output_format", "FORMATS"]

#: File extensions and the format each one writes.
FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet",
           ".pq": "parquet"}

_atomic_path = atomic_path      # the old private name (plot/regions.py imports it)


def output_format(path) -> str:
    """The format named by the extension of *path* (``csv``, ``json``, ``jsonl`` or ``parquet``).

    Raises
    ------
    ModelError
        Unknown extension, or Parquet without pyarrow installed.
    """
    ext = os.path.splitext(os.fspath(path))[1].lower()
    fmt = FORMATS.get(ext)
    if fmt is None:
        raise ModelError(f"{os.fspath(path)}: unknown output format {ext!r}; use .csv, .json, .jsonl or .parquet")
    if fmt == "parquet":
        try:
            import pyarrow  # noqa: F401
            import pyarrow.parquet  # noqa: F401
        except ImportError:
            raise ModelError(f"{os.fspath(path)}: Parquet output needs pyarrow: pip install 'deterrence[sweep]'") from None
    return fmt


def _plain(v):
    """A JSON-friendly Python scalar (NaN -> None)."""
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return None if math.isnan(f) else f
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    return v


class ResultTable:
    """Columns of equal length: parameter values, outcome labels, probabilities, payoffs.

    Parameters
    ----------
    columns : mapping of str to array_like
        Column name -> values (one per row).
    meta : mapping, optional
        Free-form description (model name, concept, fixed parameters).

    Notes
    -----
    A column may be a read-only array: :func:`~deterrence.analysis.sweep.sweep` gives a parameter held at
    one value as one number broadcast over the rows, and a measure's value, ``[min]`` and ``[max]`` columns
    as one shared array where every point has one equilibrium.  Copy a column (``np.array(table[name])``)
    before changing it in place.
    """

    def __init__(self, columns: Mapping[str, Iterable], meta: Mapping | None = None):
        cols = {}
        n = None
        for name, values in columns.items():
            arr = np.asarray(values)
            if arr.ndim != 1:
                raise ModelError(f"table column {name!r} must be one-dimensional, got shape {arr.shape}")
            if n is None:
                n = len(arr)
            elif len(arr) != n:
                raise ModelError(f"table column {name!r} has {len(arr)} rows, others {n}")
            cols[str(name)] = arr
        self.columns = cols
        self.meta = dict(meta or {})

    # ------------------------------------------------------------------ access
    def __len__(self) -> int:
        return len(next(iter(self.columns.values()))) if self.columns else 0

    @property
    def names(self) -> list[str]:
        return list(self.columns)

    def __getitem__(self, name: str) -> np.ndarray:
        try:
            return self.columns[name]
        except KeyError:
            raise KeyError(f"no column {name!r}; columns are {self.names}") from None

    def __contains__(self, name) -> bool:
        return name in self.columns

    def row(self, k: int) -> dict:
        return {c: _plain(v[k]) for c, v in self.columns.items()}

    def rows(self):
        for k in range(len(self)):
            yield self.row(k)

    def __repr__(self) -> str:
        return f"<ResultTable {len(self)} rows x {len(self.columns)} columns: {self.names[:8]}{'...' if len(self.columns) > 8 else ''}>"

    # ------------------------------------------------------------------ output
    def to_pandas(self):
        """A :class:`pandas.DataFrame` (requires pandas: ``pip install deterrence[tables]``)."""
        try:
            import pandas as pd
        except ImportError:
            raise ModelError("to_pandas needs pandas, which is not installed: pip install 'deterrence[tables]'") from None
        df = pd.DataFrame(dict(self.columns))
        df.attrs.update(self.meta)
        return df

    def to_csv(self, path) -> None:
        """Write a CSV file with a header row (atomically; text cells neutralised, see :class:`TableWriter`)."""
        self._write(path, "csv")

    def to_json(self, path=None):
        """``{"meta": ..., "columns": [...], "rows": [{...}, ...]}``; written atomically when *path* is given,
        returned as a string otherwise."""
        if path is not None:
            self._write(path, "json")
            return None
        doc = {"meta": {k: _plain(v) for k, v in self.meta.items()}, "columns": self.names,
               "rows": list(self.rows())}
        return json.dumps(doc, indent=None, allow_nan=False, default=str)

    def to_jsonl(self, path) -> None:
        """Write JSON lines: one object per row (atomically)."""
        self._write(path, "jsonl")

    def to_parquet(self, path) -> None:
        """Write a Parquet file (requires pyarrow; atomically)."""
        self._write(path, "parquet")

    def save(self, path) -> str:
        """Write in the format named by the file's extension (.csv, .json, .jsonl, .parquet); return the format."""
        fmt = output_format(path)
        self._write(path, fmt)
        return fmt

    def _write(self, path, fmt):
        with TableWriter(path, meta=self.meta, names=self.names, fmt=fmt) as w:
            if len(self):
                w.write(self.columns)
        if fmt in ("csv", "jsonl") and self.meta.get("provenance"):
            from .provenance import write_sidecar
            write_sidecar(path, self.meta)     # CSV and JSON lines have no place for it


# ---------------------------------------------------------------------- streaming output
class TableWriter:
    """Write a table chunk by chunk, so that memory is bounded by the chunk, not the table.

    The file is written atomically (:func:`~deterrence.analysis.atomic.atomic_path`):
    the path is checked and the temporary file created when the writer is
    entered, before any work, and the target appears only when the writer
    exits without an exception.

    Parameters
    ----------
    path : path
        The target file.
    meta : mapping, optional
        Description of the table (``.json`` files hold it under ``"meta"``;
        Parquet files in the schema metadata under ``b"deterrence"``).
    names : list of str, optional
        Column names, for a table without rows; otherwise the first chunk
        fixes the columns.  Later chunks must have the same columns, except
        that a missing probability column ``P(...)`` is filled with 0 and any
        other missing column with NaN.
    fmt : {"csv", "json", "jsonl", "parquet"}, optional
        Default: from the extension (:func:`output_format`).

    Notes
    -----
    CSV text cells and headers that a spreadsheet would read as a formula
    (starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are
    prefixed with ``'``; numbers are written as numbers (shortest round-trip
    decimal, NaN as an empty cell).
    """

    def __init__(self, path, meta: Mapping | None = None, names=None, fmt: str | None = None):
        self.path = check_output_path(path)
        self.fmt = fmt or output_format(self.path)
        if self.fmt not in ("csv", "json", "jsonl", "parquet"):
            raise ModelError(f"unknown table format {self.fmt!r}")
        self.meta = {k: _plain(v) for k, v in dict(meta or {}).items()}
        self.names = list(names) if names is not None else None
        self.rows_written = 0
        self._stack = None
        self._fh = None
        self._pq = None
        self._started = False

    # ------------------------------------------------------------------ context
    def __enter__(self):
        stack = ExitStack()
        try:
            tmp = stack.enter_context(atomic_path(self.path))
            self._tmp = tmp
            if self.fmt == "parquet":
                output_format(self.path)        # pyarrow present
            else:
                self._fh = stack.enter_context(open(tmp, "w", newline="" if self.fmt == "csv" else None,
                                                    encoding="utf-8"))
        except BaseException:
            stack.close()
            raise
        self._stack = stack
        return self

    def __exit__(self, exc_type, exc, tb):
        stack, self._stack = self._stack, None
        if exc_type is not None:             # remove the temporary file, leave the target as it was
            if self._pq is not None:
                try:
                    self._pq.close()
                except Exception:            # noqa: BLE001 - the temporary file is removed anyway
                    pass
            return stack.__exit__(exc_type, exc, tb)
        with stack:                          # close the file, then move it onto the target
            self._finish()
        return False

    # ------------------------------------------------------------------ writing
    def write(self, columns: Mapping[str, Iterable]) -> None:
        """Append the rows of one chunk (a mapping of column name to 1-d array)."""
        if self._stack is None:
            raise RuntimeError("TableWriter.write outside its 'with' block")
        cols = {str(k): np.asarray(v) for k, v in columns.items()}
        if self.names is None:
            self.names = list(cols)
        n = len(next(iter(cols.values()))) if cols else 0
        extra = [k for k in cols if k not in self.names]
        if extra:
            raise RuntimeError(f"chunk has columns {extra} that the table's first chunk did not have")
        for k in self.names:
            if k not in cols:
                cols[k] = np.zeros(n) if k.startswith("P(") else np.full(n, np.nan)
            elif len(cols[k]) != n or cols[k].ndim != 1:
                raise ModelError(f"table column {k!r} has shape {cols[k].shape}, expected ({n},)")
        self._start()
        if n:
            getattr(self, "_write_" + self.fmt)([cols[k] for k in self.names], n)
        self.rows_written += n

    def _start(self):
        if self._started:
            return
        self._started = True
        names = self.names or []
        if self.fmt == "csv":
            self._csv = csv.writer(self._fh)
            self._csv.writerow([_csv_text(k) for k in names])
        elif self.fmt == "json":
            self._fh.write('{"meta": ' + json.dumps(self.meta, allow_nan=False, default=str)
                           + ', "columns": ' + json.dumps(names) + ', "rows": [')

    def _finish(self):
        self._start()
        if self.fmt == "json":
            self._fh.write("]}")
        elif self.fmt == "parquet":
            if self._pq is None:          # no rows: an empty file with the columns
                import pyarrow as pa
                self._open_parquet(pa.schema([(k, pa.float64()) for k in self.names or []]))
            self._pq.close()
            self._pq = None
        if self._fh is not None:
            self._fh.flush()

    def _write_csv(self, cols, n):
        texts = [_csv_column(c) for c in cols]
        self._csv.writerows(zip(*texts))

    def _write_json(self, cols, n):
        self._fh.write(("," if self.rows_written else "") + ",".join(self._json_rows(cols)))

    def _write_jsonl(self, cols, n):
        self._fh.write("".join(r + "\n" for r in self._json_rows(cols)))

    def _json_rows(self, cols):
        keys = [json.dumps(k) + ": " for k in self.names]
        texts = [_json_column(c) for c in cols]
        return ["{" + ", ".join(k + v for k, v in zip(keys, row)) + "}" for row in zip(*texts)]

    def _write_parquet(self, cols, n):
        import pyarrow as pa
        arrays = []
        for c in cols:
            if c.dtype == object or c.dtype.kind in "US":
                try:                        # Python strings straight to Arrow (10x faster than astype(str))
                    arrays.append(pa.array(c, type=pa.string()))
                except (pa.ArrowInvalid, pa.ArrowTypeError):     # a mixed column: its text
                    arrays.append(pa.array(c.astype(str), type=pa.string()))
            else:
                arrays.append(pa.array(c))
        table = pa.Table.from_arrays(arrays, names=self.names)
        if self._pq is None:
            self._open_parquet(table.schema)
        elif table.schema != self._schema:
            table = table.cast(self._schema)
        self._pq.write_table(table)

    def _open_parquet(self, schema):
        import pyarrow.parquet as pq
        schema = schema.with_metadata({b"deterrence": json.dumps(self.meta, default=str).encode()})
        self._schema = schema
        self._pq = pq.ParquetWriter(self._tmp, schema)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_text(s) -> str:
    """A text cell a spreadsheet will not run: a leading formula character gets a ``'`` before it."""
    s = str(s)
    return "'" + s if s.startswith(_FORMULA_START) else s


def _csv_column(c: np.ndarray) -> list:
    """One column as CSV cell texts."""
    kind = c.dtype.kind
    if kind == "f":
        return ["" if x != x else repr(x) for x in c.tolist()]
    if kind in "iub":
        return [str(x) for x in c.tolist()]
    cache: dict = {}
    out = []
    for x in c.tolist():
        t = cache.get(x)
        if t is None:
            t = cache[x] = _csv_object(x)
        out.append(t)
    return out


def _csv_object(x) -> str:
    if isinstance(x, bool) or x is None:
        return "" if x is None else str(x)
    if isinstance(x, (int, float, np.integer, np.floating)):
        f = float(x)
        return "" if math.isnan(f) else (str(x) if isinstance(x, (int, np.integer)) else repr(f))
    return _csv_text(x)


def _json_column(c: np.ndarray) -> list:
    """One column as JSON value texts (NaN and infinities as null)."""
    kind = c.dtype.kind
    if kind == "f":
        return [repr(x) if math.isfinite(x) else "null" for x in c.tolist()]
    if kind == "b":
        return ["true" if x else "false" for x in c.tolist()]
    if kind in "iu":
        return [str(x) for x in c.tolist()]
    cache: dict = {}
    out = []
    for x in c.tolist():
        key = (type(x), x)
        t = cache.get(key)
        if t is None:
            v = _plain(x)
            if isinstance(v, float) and not math.isfinite(v):
                v = None
            t = cache[key] = json.dumps(v, default=str)
        out.append(t)
    return out
