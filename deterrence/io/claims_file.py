"""Claims files: claims about a model, kept in their own TOML file beside it.

A model file may carry its claims in ``[[claims]]`` tables; claims that do
not belong to the model's own literature (an essay's claim read against the
model, a comparison across several models) live in a claims file instead,
shipped in ``models/claims/``::

    model = "zagare_kilgour_rudimentary_deterrence"     # a shipped name, or a path relative to this file
    title = "..."                                        # optional
    source = "..."                                       # optional: where the claims come from

    [[claims]]
    id = "..."
    kind = "monotone"
    ...                                                  # as in a model file

Each claim is validated against the model it names
(:meth:`~deterrence.analysis.claims.Claim.from_spec`); every problem raises
:class:`~deterrence.errors.ModelFileError` naming the file and the key
(``claims/x.toml: claims[2].measure: unknown measure 'P_peace'``).
"""

from __future__ import annotations

import os
from typing import Callable

try:  # Python >= 3.11
    import tomllib
except ModuleNotFoundError:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from ..errors import ModelError, ModelFileError

__all__ = ["ClaimsFile", "load_claims", "loads_claims"]

_KEYS = {"model", "title", "source", "claims"}
_MAX_BYTES = 2_000_000


class ClaimsFile:
    """The claims of a claims file, validated against their model.

    Attributes
    ----------
    path : str
    model : ParametricModel
    claims : list of Claim
    title, source : str or None
    """

    def __init__(self, path, model, claims, title=None, source=None):
        self.path, self.model, self.claims, self.title, self.source = path, model, claims, title, source

    def __repr__(self) -> str:
        return f"<ClaimsFile {self.path}: {len(self.claims)} claims about {self.model.name!r}>"


def load_claims(path, loader: Callable | None = None) -> ClaimsFile:
    """Read the claims file at *path*.

    Parameters
    ----------
    path : str or path
    loader : callable, optional
        ``loader(name) -> model`` for a model named by a shipped name (default:
        :func:`deterrence.load_model`, imported when needed); a name that ends in
        ``.toml`` or holds a path separator is read relative to the claims file.
    """
    name = os.fspath(path)
    try:
        with open(name, "rb") as fh:
            data = fh.read(_MAX_BYTES + 1)
    except OSError as exc:
        raise ModelFileError(f"cannot read the file: {exc.strerror or exc}", path=name) from None
    if len(data) > _MAX_BYTES:
        raise ModelFileError(f"file larger than {_MAX_BYTES} bytes", path=name)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"not UTF-8 text: {exc.reason} at byte {exc.start}", path=name) from None
    return loads_claims(text, path=name, loader=loader)


def loads_claims(text: str, path: str = "<string>", loader: Callable | None = None) -> ClaimsFile:
    """Read claims from TOML text; *path* names it in messages and anchors relative model paths."""
    from ..analysis.claims import Claim

    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ModelFileError(f"not valid TOML: {exc}", path=path) from None
    extra = sorted(set(doc) - _KEYS)
    if extra:
        raise ModelFileError(f"unknown key(s) {extra}; allowed: {sorted(_KEYS)}", path=path, key=extra[0])
    for k in ("title", "source"):
        if k in doc and (not isinstance(doc[k], str) or not doc[k].strip()):
            raise ModelFileError("expected a non-empty string", path=path, key=k)
    target = doc.get("model")
    if not isinstance(target, str) or not target.strip():
        raise ModelFileError("missing: name the model the claims are about (a shipped name or a path)",
                             path=path, key="model")
    if target.endswith(".toml") or "/" in target or os.sep in target:
        from .model_file import load
        model = load(os.path.join(os.path.dirname(os.path.abspath(path)), target))   # its errors name its file
    else:
        if loader is None:
            raise ModelFileError(f"model {target!r}: pass loader= (e.g. deterrence.load_model) to read a "
                                 f"shipped model by name", path=path, key="model")
        try:
            model = loader(target)
        except ModelError as exc:
            raise ModelFileError(str(exc), path=path, key="model") from None
    rows = doc.get("claims")
    if not isinstance(rows, list) or not rows:
        raise ModelFileError("expected one or more [[claims]] tables", path=path, key="claims")
    import dataclasses
    import hashlib
    origin = {"path": path, "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest()}
    claims, seen = [], {}
    for j, row in enumerate(rows):
        key = f"claims[{j}]"
        if not isinstance(row, dict):
            raise ModelFileError("expected a table", path=path, key=key)
        try:
            c = Claim.from_spec(row, model, where=key)
        except ModelError as exc:
            msg = str(exc)
            raise ModelFileError(msg[len(key) + 2:] if msg.startswith(key + ": ") else msg, path=path,
                                 key=key) from None
        if c.id in seen or any(c.id == o.id for o in model.claims):
            raise ModelFileError(f"claim id {c.id!r} is already used (in this file or the model's own claims)",
                                 path=path, key=f"{key}.id")
        seen[c.id] = j
        claims.append(dataclasses.replace(c, origin=origin))
    return ClaimsFile(path, model, claims, title=doc.get("title"), source=doc.get("source"))
