"""The library of shipped models: list them and load them by name.

Shipped model files live in the top-level ``models/`` folder of the source
tree and are installed as the package data ``deterrence/_models/*.toml``.
A model's name is its file name without ``.toml`` (``"chicken"``).

Model families
--------------
Where a model's structure varies (N allies), it is a Python *family*: a
builder function that returns an ordinary engine object (a parametric normal
form or tree) for a set of integer arguments.  A family is named like a file
and takes its arguments after a colon, as ``name=value`` pairs separated by
commas::

    guarantors_dilemma            # the default arguments (n=3)
    guarantors_dilemma:n=5        # five guarantors

:func:`list_models` lists families beside the files, :func:`load_model`
builds them, and so every command that takes a model name takes a family
name.  A family registers a builder, its arguments with their ranges and
defaults, a title and a source in :data:`FAMILIES`; the model it builds is
named like the family with its arguments (``guarantors_dilemma:n=5``), or
the family alone for the default arguments.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Mapping

from .errors import ModelError, ModelFileError
from .games.parametric import ParametricModel
from .io.model_file import load

__all__ = ["FAMILIES", "Family", "family_of", "list_models", "load_model", "model_path", "list_networks", "load_network", "list_claims_files",
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


# ---------------------------------------------------------------------- model families
@dataclass(frozen=True)
class Family:
    """A model family: ``build(**arguments)`` returns a parametric model.

    ``arguments`` maps each argument name to ``(lo, hi, default, meaning)``: an integer in ``lo..hi``.
    """

    name: str
    build: Callable[..., ParametricModel]
    arguments: Mapping[str, tuple[int, int, int, str]]
    title: str
    source: str

    def defaults(self) -> dict[str, int]:
        return {k: v[2] for k, v in self.arguments.items()}

    def parse(self, text: str) -> dict[str, int]:
        """The arguments of ``name:text`` (``"n=5"``), checked; defaults for the ones not given."""
        args = self.defaults()
        given = set()
        for item in filter(None, (t.strip() for t in text.split(","))):
            key, eq, value = item.partition("=")
            key, value = key.strip(), value.strip()
            if key not in self.arguments:
                raise ModelError(f"model family {self.name!r}: unknown argument {key!r}; arguments: "
                                 + ", ".join(self._describe(k) for k in self.arguments))
            if not eq or key in given:
                raise ModelError(f"model family {self.name!r}: write {self.name}:{key}=<integer>, each argument once "
                                 f"({self._describe(key)})")
            given.add(key)
            try:
                args[key] = int(value)
            except ValueError:
                raise ModelError(f"model family {self.name!r}: argument {key} must be an integer "
                                 f"({self._describe(key)}), got {value!r}") from None
        for key, v in args.items():
            lo, hi = self.arguments[key][:2]
            if not lo <= v <= hi:
                raise ModelError(f"model family {self.name!r}: argument {key} must be in {lo}..{hi} "
                                 f"({self._describe(key)}), got {v}")
        return args

    def _describe(self, key: str) -> str:
        lo, hi, default, meaning = self.arguments[key]
        return f"{key}: {meaning}, an integer in {lo}..{hi}, default {default}"

    def load(self, text: str = "") -> ParametricModel:
        return self.build(**self.parse(text))


def _guarantors_dilemma(n: int) -> ParametricModel:
    from .alliances.volunteer import guarantors_dilemma
    return guarantors_dilemma(n)


def _article5(n: int, distinct: int) -> ParametricModel:
    from .alliances.article5_game import article5_game
    return article5_game(n, distinct)


def _burden_sharing(n: int):
    from .alliances.families import burden_sharing_model
    return burden_sharing_model(n)


def _reputation():
    from .alliances.families import reputation_model
    return reputation_model()


def _cohesion(n: int, k: int):
    from .alliances.families import DEFAULT_COHESION, cohesion_model
    if k > n:
        raise ModelError(f"model family 'cohesion': argument k (the allies needed) must be at most n = {n}, got {k} "
                         f"(k defaults to {DEFAULT_COHESION[1]}; write cohesion:n={n},k=K with K in 1..{n})")
    return cohesion_model(n, k)


def _families() -> dict[str, Family]:
    from .alliances.article5_game import DEFAULT_ALLIES, MAX_FAMILY_ALLIES
    from .alliances.families import DEFAULT_COHESION
    from .alliances.families import DEFAULT_ALLIES as BURDEN_DEFAULT, MAX_FAMILY_ALLIES as BURDEN_MAX
    from .alliances.volunteer import DEFAULT_N, MAX_GAME_PLAYERS
    return {f.name: f for f in [
        Family("article5", _article5,
               {"n": (1, MAX_FAMILY_ALLIES, DEFAULT_ALLIES, "the number of guarantors"),
                "distinct": (0, 1, 0, "1 for one reliability parameter per guarantor, 0 for a common one")},
               "Article 5 with N guarantors (collective defence, correlated honour)",
               "Leeds, Long and Mitchell (2000), Journal of Conflict Resolution 44(5): 686-699; stylized game form"),
        Family("guarantors_dilemma", _guarantors_dilemma,
               {"n": (2, MAX_GAME_PLAYERS, DEFAULT_N, "the number of guarantors")},
               "Guarantors' volunteer's dilemma (N guarantors)",
               "Diekmann, A. (1985), \"Volunteer's dilemma\", Journal of Conflict Resolution 29(4): 605-610"),
        Family("burden_sharing", _burden_sharing,
               {"n": (2, BURDEN_MAX, BURDEN_DEFAULT, "the number of allies")},
               "Burden sharing among N allies (a computed model: closed-form Nash equilibrium)",
               "Olson, M. and Zeckhauser, R. (1966), Review of Economics and Statistics 48(3): 266-279"),
        Family("reputation_two_crises", _reputation, {},
               "Reputation across two crises (a computed model: closed-form perfect Bayesian equilibrium)",
               "Kreps, D. M. and Wilson, R. (1982), Journal of Economic Theory 27(2): 253-279"),
        Family("cohesion", _cohesion,
               {"n": (1, 60, DEFAULT_COHESION[0], "the number of allies"),
                "k": (1, 60, DEFAULT_COHESION[1], "the allies needed to prevail (at most n)")},
               "Cohesion, claim C12 (a computed model: probabilities, no equilibrium)",
               "Kissinger (claim C12); Leeds, Long and Mitchell (2000), Journal of Conflict Resolution 44(5)"),
    ]}


#: The registered model families by name (see the module docstring).
FAMILIES: dict[str, Family] = _families()


def family_of(name: str) -> tuple[Family, str] | None:
    """``(family, argument text)`` when *name* names a registered family (``"guarantors_dilemma:n=5"``), else None."""
    if not isinstance(name, str):
        return None
    base, _, rest = name.partition(":")
    fam = FAMILIES.get(base.strip())
    return (fam, rest) if fam is not None else None


def list_models() -> list[str]:
    """Names of the shipped models and model families, sorted."""
    return sorted(set(_shipped()) | set(FAMILIES))


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
    :class:`os.PathLike`, is read as a path; a family name, with or without
    arguments (``"guarantors_dilemma:n=5"``), builds that family's model;
    anything else is a shipped name.

    Raises
    ------
    ModelError
        A family argument that is unknown, not an integer or out of its range (the message names the
        argument and its range).
    """
    if isinstance(name_or_path, os.PathLike):
        return load(name_or_path)
    if not isinstance(name_or_path, str):
        raise ModelFileError(f"load_model needs a model name or a path, got {type(name_or_path).__name__}")
    s = name_or_path
    if s.endswith(".toml") or os.sep in s or "/" in s:
        return load(s)
    fam = family_of(s)
    if fam is not None:
        return fam[0].load(fam[1])
    if ":" in s:
        raise ModelFileError(f"no model family {s.partition(':')[0]!r}; families: {sorted(FAMILIES)} "
                             f"(arguments go after a colon: guarantors_dilemma:n=5)")
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
