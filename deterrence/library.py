"""The library of shipped models: list them and load them by name.

Shipped model files live in the top-level ``models/`` folder of the source
tree and are installed as the package data ``deterrence/_models/*.toml``.
A model's name is its file name without ``.toml`` (``"chicken"``).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ModelFileError
from .games.parametric import ParametricModel
from .io.model_file import load

__all__ = ["list_models", "load_model", "model_path", "list_networks", "load_network", "list_claims_files",
           "load_claims_file"]


def _model_dirs() -> list[Path]:
    here = Path(__file__).resolve().parent
    dirs = [here / "_models", here.parent / "models"]   # installed package data; source checkout
    return [d for d in dirs if d.is_dir()]


def _shipped() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in _model_dirs():
        for f in sorted(d.glob("*.toml")):
            found.setdefault(f.stem, f)
    return found


def list_models() -> list[str]:
    """Names of the shipped models, sorted."""
    return sorted(_shipped())


def model_path(name: str) -> Path:
    """The file of the shipped model *name*."""
    shipped = _shipped()
    if name not in shipped:
        import difflib
        close = difflib.get_close_matches(str(name), list(shipped), n=3)
        hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
        raise ModelFileError(f"no shipped model {name!r}{hint}; shipped models: {sorted(shipped)}")
    return shipped[name]


def load_model(name_or_path) -> ParametricModel:
    """Load a shipped model by name (``"chicken"``) or any model file by path.

    A string containing a path separator or ending in ``.toml``, or a
    :class:`os.PathLike`, is read as a path; anything else is a shipped name.
    """
    if isinstance(name_or_path, os.PathLike):
        return load(name_or_path)
    if not isinstance(name_or_path, str):
        raise ModelFileError(f"load_model needs a model name or a path, got {type(name_or_path).__name__}")
    s = name_or_path
    if s.endswith(".toml") or os.sep in s or "/" in s:
        return load(s)
    return load(model_path(s))


# ---------------------------------------------------------------------- alliance networks
def _shipped_networks() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in _model_dirs():
        for f in sorted((d / "networks").glob("*.toml")):
            found.setdefault(f.stem, f)
    return found


def list_networks() -> list[str]:
    """Names of the shipped alliance networks (``models/networks/*.toml``), sorted."""
    return sorted(_shipped_networks())


def load_network(name_or_path):
    """Load a shipped alliance network by name (``"july_1914"``) or a network file by path.

    Returns a :class:`~deterrence.networks.record.NetworkModel` (the network, its documented attack and
    timeline).
    """
    from .io.network_file import load_network as _read
    if isinstance(name_or_path, os.PathLike):
        return _read(name_or_path)
    if not isinstance(name_or_path, str):
        raise ModelFileError(f"load_network needs a network name or a path, got {type(name_or_path).__name__}")
    s = name_or_path
    if s.endswith(".toml") or os.sep in s or "/" in s:
        return _read(s)
    shipped = _shipped_networks()
    if s not in shipped:
        raise ModelFileError(f"no shipped network {s!r}; shipped networks: {sorted(shipped)}")
    return _read(shipped[s])


# ---------------------------------------------------------------------- claims files
def _shipped_claims() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for d in _model_dirs():
        for f in sorted((d / "claims").glob("*.toml")):
            found.setdefault(f.stem, f)
    return found


def list_claims_files() -> list[str]:
    """Names of the shipped claims files (``models/claims/*.toml``), sorted."""
    return sorted(_shipped_claims())


def load_claims_file(name_or_path):
    """Load a shipped claims file by name or a claims file by path, with the model it names
    (a :class:`~deterrence.io.claims_file.ClaimsFile`)."""
    from .io.claims_file import load_claims
    if isinstance(name_or_path, str) and not (name_or_path.endswith(".toml") or os.sep in name_or_path
                                               or "/" in name_or_path):
        shipped = _shipped_claims()
        if name_or_path not in shipped:
            raise ModelFileError(f"no shipped claims file {name_or_path!r}; shipped: {sorted(shipped)}")
        name_or_path = shipped[name_or_path]
    return load_claims(name_or_path, loader=load_model)
