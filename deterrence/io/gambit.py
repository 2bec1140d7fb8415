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
round-trips the float, without an exponent (Gambit reads decimals exactly,
but not ``1e+16``).  Labels (players, actions, nodes, information sets,
outcomes) must be what Gambit's reader accepts -- printable ASCII and single
spaces, no space at either end -- or the export is refused with a
:class:`~deterrence.errors.GameStructureError` naming the label; nothing is
written then.  Only one game can be
written per file: a batched game must be indexed first (``game[b]``).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction

import numpy as np

from ..analysis.atomic import atomic_write
from ..errors import GameStructureError, ModelError
from ..games.normal_form import NormalFormGame
from ..games.tree import CHANCE, DECISION, GameTree

__all__ = ["to_nfg", "to_efg", "write_nfg", "write_efg"]


#: What Gambit accepts as a label: printable ASCII and single spaces, no space at either end.
_LABEL = re.compile(r"(?:[!-~]+(?: [!-~]+)*)?")


def _quote(label, what: str) -> str:
    """*label* quoted for a Gambit file, or :class:`GameStructureError` naming it if Gambit cannot read it.

    Gambit's reader accepts labels of printable ASCII characters and single
    spaces, not beginning or ending with a space; inside the quotes ``\\"``
    stands for a quote, and a backslash before a backslash or a quote (or at
    the end) is misread, so those are refused too.
    """
    s = str(label)
    problem = None
    if not _LABEL.fullmatch(s):
        if any(not (" " <= c <= "~") for c in s):
            problem = "it holds non-ASCII or control characters"
        elif s != s.strip(" "):
            problem = "it begins or ends with a space"
        else:
            problem = "it holds two consecutive spaces"
    elif "\\\\" in s or '\\"' in s or s.endswith("\\"):
        problem = "a backslash stands before a backslash or a quote, or at the end"
    if problem:
        raise GameStructureError(f"{what} {s!r} cannot be written to a Gambit file: {problem} (Gambit labels "
                                 f"hold printable ASCII characters and single spaces); rename it")
    return '"' + s.replace('"', '\\"') + '"'


def _title(text) -> str:
    """A title for a Gambit file: free text there, but kept on one line of printable characters."""
    s = " ".join(str(text).split())
    s = "".join(c if c.isprintable() else "?" for c in s).rstrip("\\")
    return '"' + s.replace('"', '\\"') + '"'


def _number(x) -> str:
    """A payoff or probability as Gambit reads it: an integer, a fraction ``p/q`` or a plain decimal
    (never an exponent with a sign, which Gambit's reader rejects: ``1e+16``)."""
    if isinstance(x, bool):
        raise GameStructureError(f"not a number: {x!r}")
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    v = float(x)
    if not math.isfinite(v):
        raise GameStructureError(f"Gambit files need finite numbers, got {v}")
    if v == int(v):
        return str(int(v))                       # exact: every float this large is an integer
    return format(Decimal(repr(v)), "f")          # the shortest round-trip decimal, without an exponent


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
    head = (f"NFG 1 R {_title(title or game.name or 'deterrence game')} "
            f"{{ {' '.join(_quote(p, 'player') for p in game.players)} }}\n"
            f"{{ {' '.join('{ ' + ' '.join(_quote(a, f'action of {p!r}') for a in acts) + ' }' for p, acts in zip(game.players, game.actions))} }}\n")
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
        name = _quote(tree.node_ids[k], "node id")
        lo, hi = int(tree.child_ptr[k]), int(tree.child_ptr[k + 1])
        if tree.kind[k] == DECISION:
            h = int(tree.infoset[k])
            i = int(tree.player[k])
            if h not in iset_number:
                per_player[i] += 1
                iset_number[h] = per_player[i]
            acts = " ".join(_quote(labels[e], f"action at node {tree.node_ids[k]!r}") for e in range(lo, hi))
            lines.append(f"p {name} {i + 1} {iset_number[h]} {_quote(tree.infosets[h].label, 'information set')} {{ {acts} }} 0")
        elif tree.kind[k] == CHANCE:
            chance_count += 1
            acts = " ".join(f"{_quote(labels[e], f'chance move at node {tree.node_ids[k]!r}')} {p}" for e, p in zip(range(lo, hi), _chance_numbers(tree, lo, hi)))
            lines.append(f"c {name} {chance_count} \"\" {{ {acts} }} 0")
        else:
            t = int(tree.terminal[k])
            outcome_no += 1
            pays = ", ".join(_number(v) for v in tree.payoffs[0, t])
            lines.append(f"t {name} {outcome_no} {_quote(tree.outcomes[t], 'outcome')} {{ {pays} }}")
    head = (f"EFG 2 R {_title(title or tree.name or 'deterrence game')} "
            f"{{ {' '.join(_quote(p, 'player') for p in players)} }}\n\"\"\n\n")
    return head + "\n".join(lines) + "\n"


#: How far above 1 the chance probabilities of a node may sum by float rounding alone (a few ulps).
_ROUNDING = Fraction(1, 2**48)


def _chance_numbers(tree: GameTree, lo: int, hi: int) -> list[str]:
    """Probabilities of one chance node as exact decimals, the last one set to 1 minus the others
    so that they sum to exactly 1 in Gambit's rational arithmetic."""
    fr = [Fraction(_number(float(tree.chance_probs[0, e]))) for e in range(lo, hi)]
    fr[-1] = 1 - sum(fr[:-1], Fraction(0))
    if fr[-1] < 0:
        # float rounding (p + (1 - p) can be 1 + 2**-52): the last move has probability 0 and the excess
        # comes off the largest of the others, so that they sum to exactly 1
        if -fr[-1] > _ROUNDING:
            raise GameStructureError(
                f"chance node {tree.node_ids[int(tree.edge_parent[lo])]!r}: probabilities exceed 1")
        big = max(range(len(fr) - 1), key=fr.__getitem__)
        fr[big] += fr[-1]
        fr[-1] = Fraction(0)
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
    text = to_nfg(game, title)           # refused labels raise before any file is touched
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(text)


def write_efg(tree_or_model, path, title: str | None = None, **values) -> None:
    """Write :func:`to_efg` to *path*."""
    text = to_efg(tree_or_model, title, **values)
    with atomic_write(path, "w", encoding="utf-8") as fh:
        fh.write(text)
