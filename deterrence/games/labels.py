"""Checked labels for players, actions, types and messages."""

from __future__ import annotations

from ..errors import GameStructureError

__all__ = ["checked_labels"]


def checked_labels(given, count: int, what: str, prefix: str) -> tuple:
    """*given* labels as distinct strings, or ``prefix1 .. prefixN`` when None.

    Raises
    ------
    GameStructureError
        Naming *what* when the number of labels is not *count* or two are equal.
    """
    if given is None:
        return tuple(f"{prefix}{k + 1}" for k in range(count))
    labels = tuple(str(x) for x in given)
    if len(labels) != count:
        raise GameStructureError(f"{what}: expected {count} labels, got {len(labels)}: {list(labels)}")
    if len(set(labels)) != len(labels):
        raise GameStructureError(f"{what}: labels must be distinct, got {list(labels)}")
    return labels
