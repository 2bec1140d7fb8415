"""Readable display of long outcome labels (tables printed by the command line, legends of region maps).

A sweep's ``outcome`` label joins, with ``" | "``, every outcome reached with positive probability at a
point (:func:`deterrence.analysis.sweep.solve_chunk`).  In a tree with a chance move of many branches the
label is long: in ``article5:n=12`` the challenger's attack reaches thirteen outcomes, one per number of
allies who fight (``"attack; 0 allies fight | attack; 1 ally fights | ... | attack; 12 allies fight"``).
For display, :func:`shorten_outcomes` keeps the first outcome and the last and counts the ones left out
(``"attack; 0 allies fight | ... 11 more ... | attack; 12 allies fight"``).

Display only: the sweep's table, its ``--json`` summary and the files written by ``--out`` keep the full
labels.  Two labels are never shortened to the same text: labels whose shortened forms would coincide are
shown in full.
"""

from __future__ import annotations

from typing import Iterable

__all__ = ["SEPARATOR", "MAX_PARTS", "shorten_outcomes"]

#: The separator between the outcomes of one label (as joined by the sweep).
SEPARATOR = " | "
#: Labels with more outcomes than this are shortened.
MAX_PARTS = 3


def _short(label: str, max_parts: int) -> str:
    parts = label.split(SEPARATOR)
    if len(parts) <= max_parts:
        return label
    head = parts[:max_parts - 2] if max_parts >= 3 else parts[:1]
    left = len(parts) - len(head) - 1
    return SEPARATOR.join(head + [f"... {left} more ...", parts[-1]])


def shorten_outcomes(labels: Iterable[str], max_parts: int = MAX_PARTS) -> dict[str, str]:
    """Display text of each outcome label: a label of more than *max_parts* outcomes is shortened.

    A label ``o_1 | o_2 | ... | o_m`` with ``m > max_parts`` is shown as its first ``max_parts - 2``
    outcomes (at least one), ``... k more ...`` and its last outcome ``o_m``, in the order the label
    lists them (the order of the model's outcomes).  A label of ``max_parts`` outcomes or fewer is shown
    as it is.

    Parameters
    ----------
    labels : iterable of str
        The labels shown together (one table, one legend).
    max_parts : int
        The largest number of outcomes shown in full, at least 2.

    Returns
    -------
    dict of str to str
        Each distinct label's display text.  Display texts are distinct: where two labels would shorten
        to the same text, both are shown in full.

    Raises
    ------
    ValueError
        *max_parts* below 2.
    """
    if isinstance(max_parts, bool) or not isinstance(max_parts, int) or max_parts < 2:
        raise ValueError(f"max_parts must be an integer >= 2, got {max_parts!r}")
    labels = list(dict.fromkeys(str(lab) for lab in labels))
    short = {lab: _short(lab, max_parts) for lab in labels}
    while True:                 # expand colliding labels until every display text is distinct
        seen: dict[str, list[str]] = {}
        for lab, s in short.items():
            seen.setdefault(s, []).append(lab)
        clash = [lab for group in seen.values() if len(group) > 1 for lab in group if short[lab] != lab]
        if not clash:
            return short
        for lab in clash:
            short[lab] = lab
