"""Reading CSV data files: the text of a file and its numbered rows, with errors naming file, row and column.

Shared by the readers of the field's data (:mod:`.alliance_data`, :mod:`.cow_states`, :mod:`.nmc`); the file
read also by :mod:`.fred` and :mod:`.worldbank`.
"""

from __future__ import annotations

import csv
import io
import os

from ..errors import ModelFileError

__all__ = ["CsvRows", "read_csv_text", "MAX_ROWS"]

#: Largest number of rows read from one file.
MAX_ROWS = 2_000_000
_MAX_ROWS = MAX_ROWS


class CsvRows:
    """The rows of a CSV text with a header: required columns checked, rows numbered (1 = the header).

    *layout*, if given, describes the expected file and is appended to the empty-file and missing-column errors.
    """

    def __init__(self, path, text, required, layout=""):
        self.path = path
        hint = f"; {layout}" if layout else ""
        reader = csv.reader(io.StringIO(text))
        try:
            header = next(reader)
        except StopIteration:
            raise ModelFileError(f"empty file: expected a header row{hint}", path=path) from None
        self.header = [h.strip().strip('"').lower() for h in header]
        missing = [c for c in required if c not in self.header]
        if missing:
            raise ModelFileError(f"row 1: missing column(s) {missing}{hint}", path=path)
        self.col = {h: i for i, h in enumerate(self.header)}
        self.reader = reader

    def __iter__(self):
        for n, row in enumerate(self.reader, start=2):
            if n > _MAX_ROWS:
                raise ModelFileError(f"more than {_MAX_ROWS} rows", path=self.path)
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(self.header):
                raise ModelFileError(f"row {n}: {len(row)} fields, the header has {len(self.header)}", path=self.path)
            yield n, row

    def int(self, row, n, name, missing_ok=False):
        if name not in self.col:
            if missing_ok:
                return None
            raise ModelFileError(f"row {n}: no column {name!r}", path=self.path)
        v = row[self.col[name]].strip().strip('"')
        if v in ("", ".", "NA", "-9") and missing_ok:
            return None
        try:
            return int(v)
        except ValueError:
            try:
                f = float(v)
            except ValueError:
                f = None
            if f is not None and f.is_integer() and abs(f) < 1e9:
                return int(f)
        raise ModelFileError(f"row {n}, column {name!r}: expected an integer, got {v[:40]!r}", path=self.path)

    def text(self, row, name):
        return row[self.col[name]].strip().strip('"') if name in self.col else ""


def read_csv_text(path) -> tuple[str, str]:
    name = os.fspath(path)
    try:
        with open(name, encoding="utf-8-sig", newline="") as fh:
            return name, fh.read()
    except OSError as exc:
        raise ModelFileError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", path=name) from None
