"""A plain column table for sweep results, with atomic file output.

:class:`ResultTable` holds one numpy array per column, all of the same
length (one row per parameter point).  It writes CSV and JSON without extra
dependencies and Parquet through pandas + pyarrow when they are installed.
Every writer goes through :func:`atomic_write`: the data go to a temporary
file in the target's directory, which replaces the target with
:func:`os.replace` only once complete, so an interrupted sweep
(``KeyboardInterrupt``) or a failed write never leaves a partial file.
"""

from __future__ import annotations

import csv
import json
import math
import os
import tempfile
from contextlib import contextmanager
from typing import Iterable, Mapping

import numpy as np

from ..errors import ModelError

__all__ = ["ResultTable", "atomic_write"]


@contextmanager
def _atomic_path(path):
    """A temporary path next to *path*; on success it is moved onto *path*.

    On any exception (including ``KeyboardInterrupt``) the temporary file is
    removed and *path* is left as it was.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(directory):
        raise ModelError(f"{path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(path) + ".", suffix=".part", dir=directory)
    os.close(fd)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


@contextmanager
def atomic_write(path, mode: str = "w", **kwargs):
    """Open a temporary file next to *path*; on success move it onto *path* (see :func:`_atomic_path`)."""
    with _atomic_path(path) as tmp:
        with open(tmp, mode, **kwargs) as fh:
            yield fh


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

    @classmethod
    def concat(cls, tables: list["ResultTable"], meta=None) -> "ResultTable":
        """Rows of several tables with the same columns, in order."""
        if not tables:
            return cls({}, meta)
        names = tables[0].names
        for t in tables[1:]:
            if t.names != names:
                raise ModelError(f"cannot concatenate tables with columns {names} and {t.names}")
        return cls({c: np.concatenate([t.columns[c] for t in tables]) for c in names},
                   meta if meta is not None else tables[0].meta)

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
        """Write a CSV file with a header row (atomically)."""
        with atomic_write(path, "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(self.names)
            cols = [self.columns[c] for c in self.names]
            for k in range(len(self)):
                w.writerow([_csv_cell(c[k]) for c in cols])

    def to_json(self, path=None):
        """``{"meta": ..., "columns": [...], "rows": [{...}, ...]}``; written atomically when *path* is given,
        returned as a string otherwise."""
        doc = {"meta": {k: _plain(v) for k, v in self.meta.items()}, "columns": self.names,
               "rows": list(self.rows())}
        text = json.dumps(doc, indent=None, allow_nan=False, default=str)
        if path is None:
            return text
        with atomic_write(path, "w", encoding="utf-8") as fh:
            fh.write(text)
        return None

    def to_parquet(self, path) -> None:
        """Write a Parquet file (requires pandas and pyarrow)."""
        try:
            import pandas  # noqa: F401
            import pyarrow  # noqa: F401
        except ImportError:
            raise ModelError("to_parquet needs pandas and pyarrow: pip install 'deterrence[sweep]'") from None
        df = self.to_pandas()
        df.attrs.clear()
        with _atomic_path(path) as tmp:
            df.to_parquet(tmp, index=False)

    def save(self, path) -> str:
        """Write in the format named by the file's extension (.csv, .json, .parquet); return the format."""
        ext = os.path.splitext(os.fspath(path))[1].lower()
        if ext == ".csv":
            self.to_csv(path)
        elif ext == ".json":
            self.to_json(path)
        elif ext in (".parquet", ".pq"):
            self.to_parquet(path)
        else:
            raise ModelError(f"{path}: unknown output format {ext!r}; use .csv, .json or .parquet")
        return ext.lstrip(".")


def _csv_cell(v):
    if isinstance(v, (np.floating, float)):
        f = float(v)
        return "" if math.isnan(f) else repr(f)
    return _plain(v)
