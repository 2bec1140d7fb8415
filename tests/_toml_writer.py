"""A TOML writer for fuzz documents, independent of the package's writer.

It writes any value the fuzzers build (NaN and infinities, huge integers,
control characters, lone surrogates, nested tables) so that the loader, not
the writer, is what a fuzz case exercises.  :class:`Raw` text is written
verbatim (for integers Python cannot print, beyond 4,300 digits).
"""

from __future__ import annotations

import math


class Raw(str):
    """Text written verbatim into the TOML (for integers Python cannot print, > 4300 digits)."""


def toml_str(s: str) -> str:
    out = []
    for c in s:
        o = ord(c)
        if c in '"\\' or o < 0x20 or o == 0x7F:
            out.append(f"\\u{o:04X}")
        elif 0xD800 <= o <= 0xDFFF:
            out.append("?")
        else:
            out.append(c)
    return '"' + "".join(out) + '"'


def toml_value(v) -> str:
    if isinstance(v, Raw):
        return str(v)
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        if math.isinf(v):
            return "inf" if v > 0 else "-inf"
        return repr(v)
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{toml_str(str(k))} = {toml_value(x)}" for k, x in v.items()) + " }"
    return toml_str(repr(v))


def to_toml(doc: dict) -> str:
    return "".join(f"{toml_str(str(k))} = {toml_value(v)}\n" for k, v in doc.items())
