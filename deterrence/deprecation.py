"""Old names that keep working for one release, with a :class:`DeprecationWarning`.

Every name deprecated here is listed in ``CHANGELOG.md`` with its replacement.
"""

from __future__ import annotations

import warnings

__all__ = ["warn_deprecated", "module_getattr"]


def warn_deprecated(old: str, new: str, *, stacklevel: int = 3) -> None:
    """Warn that *old* is deprecated in favour of *new* (removed in the next release)."""
    warnings.warn(f"{old} is deprecated and will be removed in the next release; use {new}",
                  DeprecationWarning, stacklevel=stacklevel)


def module_getattr(module: str, aliases: dict):
    """A module-level ``__getattr__`` serving deprecated aliases.

    Parameters
    ----------
    module : str
        The module's ``__name__`` (for the messages).
    aliases : dict
        ``{old name: (new name as users should write it, zero-argument function returning the object)}``.
    """

    def __getattr__(name):
        if name in aliases:
            new, get = aliases[name]
            warn_deprecated(f"{module}.{name}", new)
            return get()
        raise AttributeError(f"module {module!r} has no attribute {name!r}")

    return __getattr__
