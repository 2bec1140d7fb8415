"""Outcome tags: what an outcome *means*, beside the label it is displayed with.

A model file labels each outcome for display (``outcome = "conflict (DD)"``)
and may tag it with words from a fixed vocabulary (``tags = ["war"]``).
Measures are written over tags (``P_war`` is the probability of the
outcomes tagged ``war``), so a quantity is defined by meaning, not by the
spelling of a label, and the same measure reads the same way in every model.

The vocabulary is closed: an unknown tag is an error (a misspelt tag would
otherwise define a measure that is silently zero).  New words are added here,
with their meaning, when a model needs them.
"""

from __future__ import annotations

import re
from typing import Iterable

from ..errors import GameStructureError

__all__ = ["TAGS", "check_tags", "TAG_PATTERN"]

#: The vocabulary of outcome tags and what each one means.
TAGS: dict[str, str] = {
    "status_quo": "Nobody moves against the existing state of affairs (no challenge is made).",
    "deterrence_success": "A challenge was deterred: the status quo holds because of the defender's threat.",
    "deterrence_failure": "Deterrence failed: the challenger challenged (whatever followed).",
    "challenge": "The challenger made a demand or moved against the status quo.",
    "capitulation": "A side gave in to a challenge or a demand without a fight.",
    "defender_concedes": "The defender gave in to the challenger.",
    "challenger_backs_down": "The challenger withdrew its challenge.",
    "compromise": "Both sides gave ground (a negotiated settlement, both swerve).",
    "war": "Armed conflict between the principal sides.",
    "limited_war": "Armed conflict kept below the level of general war.",
    "escalation": "A conflict or a crisis grew in scope or intensity.",
    "mutual_cooperation": "Both sides cooperated (both hunt the stag, both restrain).",
    "mutual_defection": "Both sides defected (arms race, both stand firm).",
    "exploitation": "One side cooperated and the other defected.",
    "entrapment": "An ally was drawn into a conflict it did not want.",
    "abandonment": "An ally failed to come to the defence of its partner.",
    "alliance_war": "Allies fought together alongside the attacked member.",
    "arms_race": "Both sides armed against each other.",
    "chain_ganging": "Allies committed their forces to a partner's war at once, together.",
    "buck_passing": "Allies held back from a partner's war, each leaving the fight to others.",
    "intervention": "The defender came to the support of its protégé once it was challenged (whatever followed).",
    "realignment": "The protégé left its patron and aligned with the challenger.",
}

#: A tag is a lower-case identifier, so that ``P_<tag>`` is a name the safe parser accepts.
TAG_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


def check_tags(tags: Iterable, where: str) -> tuple[str, ...]:
    """Validate a list of outcome tags and return them as a tuple.

    Parameters
    ----------
    tags : iterable of str
        The tags of one outcome.
    where : str
        What is being tagged, for the error message.

    Raises
    ------
    GameStructureError
        A tag that is not a string, not in :data:`TAGS`, or repeated.
    """
    if isinstance(tags, str) or not isinstance(tags, (list, tuple, set, frozenset)):
        raise GameStructureError(f"{where}: tags must be a list of words, got {tags!r}")
    out = []
    for t in tags:
        if not isinstance(t, str):
            raise GameStructureError(f"{where}: a tag must be a string, got {t!r}")
        if t not in TAGS:
            import difflib
            close = difflib.get_close_matches(t, list(TAGS), n=3)
            hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
            raise GameStructureError(f"{where}: unknown tag {t!r}{hint}; the vocabulary is {sorted(TAGS)}")
        if t in out:
            raise GameStructureError(f"{where}: tag {t!r} given twice")
        out.append(t)
    return tuple(out)
