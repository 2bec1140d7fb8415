"""Export games to Gambit's text formats (``.nfg`` and ``.efg``).

Gambit (McKelvey, McLennan and Turocy, *Gambit: Software Tools for Game
Theory*) reads strategic games from ``.nfg`` files and extensive games from
``.efg`` files.  Both are plain text; the layout written here follows the
format documentation of Gambit ("Game representation formats"):

* ``.nfg``, payoff version::

      NFG 1 R "title" { "Player 1" "Player 2" } { { "a" "b" } { "c" "d" } }
      ""
      u1(a,c) u2(a,c) u1(b,c) u2(b,c) u1(a,d) u2(a,d) u1(b,d) u2(b,d)

  profiles are listed with the *first* player's action changing fastest.
* ``.efg``: the header ``EFG 2 R "title" { players }`` and a comment line,
  then one line per node in depth-first (pre-)order: ``p "name" player
  infoset "infoset name" { "action" ... } 0`` for a decision node, ``c
  "name" infoset "infoset name" { "action" prob ... } 0`` for a chance node,
  ``t "name" outcome "outcome name" { payoffs }`` for a terminal.  Players
  are numbered from 1; information sets are numbered per player (per
  nature for chance nodes); each terminal gets its own outcome.

Numbers are written exactly when they are integers or
:class:`fractions.Fraction`, otherwise as the shortest decimal that
round-trips the float (Gambit reads decimals exactly).  Only one game can be
written per file: a batched game must be indexed first (``game[b]``).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from ..errors import GameStructureError, ModelError
from ..games.normal_form import NormalFormGame
from ..games.tree import CHANCE, DECISION, GameTree

__all__ = ["to_nfg", "to_efg", "write_nfg", "write_efg"]


def _quote(label) -> str:
    s = str(label)
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _number(x) -> str:
    if isinstance(x, bool):
        raise GameStructureError(f"not a number: {x!r}")
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    v = float(x)
    if not math.isfinite(v):
        raise GameStructureError(f"Gambit files need finite numbers, got {v}")
    if v == int(v) and abs(v) < 2 ** 53:
        return str(int(v))
    return repr(v)


def _single(game, what):
    if game.batch_size != 1:
        raise GameStructureError(
            f"{what}: a batch of {game.batch_size} games cannot be written to one Gambit file; "
            f"export game[b] for each point")


def to_nfg(game: NormalFormGame, title: str | None = None) -> str:
    """The ``.nfg`` text (payoff version) of one normal-form game.

    Parameters
    ----------
    game : NormalFormGame
        An unbatched game (or a batch of one).  Exact payoffs
        (:attr:`~NormalFormGame.exact_payoffs`) are written exactly.
    title : str, optional
        Defaults to the game's name.
    """
    if not isinstance(game, NormalFormGame):
        raise GameStructureError(f"to_nfg needs a NormalFormGame, got {type(game).__name__}")
    _single(game, "to_nfg")
    pay = game.exact_payoffs[0] if game.exact_payoffs is not None else game.payoffs[0]
    n = game.n_players
    head = (f"NFG 1 R {_quote(title or game.name or 'deterrence game')} "
            f"{{ {' '.join(_quote(p) for p in game.players)} }}\n"
            f"{{ {' '.join('{ ' + ' '.join(_quote(a) for a in acts) + ' }' for acts in game.actions)} }}\n")
    # first player fastest = Fortran order over the action axes
    cells = []
    for prof in np.ndindex(*game.num_actions[::-1]):
        prof = prof[::-1]
        cells.append(" ".join(_number(pay[prof + (i,)]) for i in range(n)))
    return head + '""\n\n' + " ".join(cells) + "\n"


def to_efg(tree_or_model, title: str | None = None, **values) -> str:
    """The ``.efg`` text of one game tree.

    Parameters
    ----------
    tree_or_model : GameTree or ParametricTree
        A tree (unbatched or a batch of one) or a parametric tree model,
        which is evaluated at *values* (defaults fill missing parameters).
    title : str, optional
        Defaults to the tree's name.
    **values
        Parameter values, for a parametric model only.
    """
    tree = tree_or_model
    if not isinstance(tree, GameTree):
        at = getattr(tree_or_model, "at", None)
        if at is None:
            raise GameStructureError(f"to_efg needs a GameTree or a parametric tree, got {type(tree).__name__}")
        tree = at(**values)
        if not isinstance(tree, GameTree):
            raise GameStructureError("to_efg: the model does not evaluate to a game tree (use to_nfg)")
    elif values:
        raise ModelError(f"to_efg: parameter values {sorted(values)} given for a tree without parameters")
    _single(tree, "to_efg")
    players = tree.players
    # information sets numbered per player in order of first appearance in the pre-order walk
    order = _preorder(tree)
    iset_number: dict[int, int] = {}
    per_player = [0] * len(players)
    chance_count = 0
    lines = []
    outcome_no = 0
    labels = tree.edge_label
    for k in order:
        name = _quote(tree.node_ids[k])
        lo, hi = int(tree.child_ptr[k]), int(tree.child_ptr[k + 1])
        if tree.kind[k] == DECISION:
            h = int(tree.infoset[k])
            i = int(tree.player[k])
            if h not in iset_number:
                per_player[i] += 1
                iset_number[h] = per_player[i]
            acts = " ".join(_quote(labels[e]) for e in range(lo, hi))
            lines.append(f"p {name} {i + 1} {iset_number[h]} {_quote(tree.infosets[h].label)} {{ {acts} }} 0")
        elif tree.kind[k] == CHANCE:
            chance_count += 1
            acts = " ".join(f"{_quote(labels[e])} {p}" for e, p in zip(range(lo, hi), _chance_numbers(tree, lo, hi)))
            lines.append(f"c {name} {chance_count} \"\" {{ {acts} }} 0")
        else:
            t = int(tree.terminal[k])
            outcome_no += 1
            pays = ", ".join(_number(v) for v in tree.payoffs[0, t])
            lines.append(f"t {name} {outcome_no} {_quote(tree.outcomes[t])} {{ {pays} }}")
    head = (f"EFG 2 R {_quote(title or tree.name or 'deterrence game')} "
            f"{{ {' '.join(_quote(p) for p in players)} }}\n\"\"\n\n")
    return head + "\n".join(lines) + "\n"


def _chance_numbers(tree: GameTree, lo: int, hi: int) -> list[str]:
    """Probabilities of one chance node as exact decimals, the last one set to 1 minus the others
    so that they sum to exactly 1 in Gambit's rational arithmetic."""
    fr = [Fraction(_number(float(tree.chance_probs[0, e]))) for e in range(lo, hi)]
    fr[-1] = 1 - sum(fr[:-1], Fraction(0))
    if fr[-1] < 0:
        raise GameStructureError(f"chance node {tree.node_ids[int(tree.edge_parent[lo])]!r}: probabilities exceed 1")
    return [_number(f) for f in fr]


def _preorder(tree: GameTree) -> list[int]:
    out, stack = [], [0]
    while stack:
        k = stack.pop()
        out.append(k)
        kids = tree.children(k)
        stack.extend(int(c) for c in kids[::-1])
    return out


def write_nfg(game: NormalFormGame, path, title: str | None = None) -> None:
    """Write :func:`to_nfg` to *path*."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(to_nfg(game, title))


def write_efg(tree_or_model, path, title: str | None = None, **values) -> None:
    """Write :func:`to_efg` to *path*."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(to_efg(tree_or_model, title, **values))
