"""Read games from Gambit's text formats (``.efg`` and ``.nfg``).

Gambit (McKelvey, McLennan and Turocy, *Gambit: Software Tools for Game
Theory*) saves extensive games as ``.efg`` files and strategic games as
``.nfg`` files; researchers draw games in its graphical editor and papers ship
them as replication material.  The layout read here is the one of Gambit's
own reader (``src/games/file.cc``) and its format documentation ("Game
representation formats"):

* ``.efg``: ``EFG 2 R "title" { "Player 1" ... } "comment"``, then the nodes
  in depth-first pre-order, one entry each::

      p "node" player infoset "infoset name" { "action" ... } outcome ["name" { payoffs }]
      c "node" infoset "infoset name" { "action" probability ... } outcome [...]
      t "node" outcome ["outcome name" { payoffs }]

  An information set (numbered per player; chance has its own numbers) and
  an outcome are spelled out where they first appear; later nodes may give
  only the number.  Outcome 0 is "no outcome".  Outcomes may sit at
  non-terminal nodes: a player's payoff at a terminal node is the sum of the
  outcomes on the path to it, as in Gambit.
* ``.nfg``: ``NFG 1 R "title" { players } { { "a" "b" } { "c" "d" } } "comment"``
  (or a number of strategies per player, ``{ 2 2 }``, labelled ``"1"``,
  ``"2"`` ...), then either one payoff per player for each strategy profile
  (the *payoff version*) or a list of outcomes ``{ { "name" u1, u2 } ... }``
  followed by one outcome number per profile (the *outcome version*, 0 for
  the null outcome).  Profiles run with the first player's strategy changing
  fastest.

Numbers (integers, decimals, rationals such as ``1/3``) are read exactly, as
Gambit reads them.  Labels are made distinct and non-empty the way Gambit
does (a repeated or empty label ``x`` becomes ``x_1``, ``x_2`` ...).  A
malformed file raises :class:`~deterrence.errors.ModelFileError` naming the
file, the line and what was expected; no partial game is returned.

Mapping to this package's games:

* :func:`read_efg` returns a :class:`~deterrence.games.GameTree`.  Node ids
  are the Gambit node names where these are unique and non-empty, otherwise
  ``"#k"`` (the node's position in the file, from 1).  Information sets of
  several nodes keep their Gambit label where it is unique, otherwise
  ``"player:number"``.  A terminal's outcome label is the label of its own
  Gambit outcome (``"outcome k"`` when that label is empty), or the node's id
  when it has no outcome of its own.  Chance information sets shared by
  several nodes become chance nodes with the same probabilities.
* :func:`read_nfg` returns a :class:`~deterrence.games.NormalFormGame` with
  exact payoffs (its :attr:`exact_payoffs`).
* :func:`read_gambit_model` returns either as a parametric model without
  parameters (:class:`~deterrence.games.ParametricTree` or
  :class:`~deterrence.games.ParametricNormalForm`, keeping the non-empty
  outcome labels of an ``.nfg`` outcome version), which is what ``deterrence solve FILE.efg``
  loads.
"""

from __future__ import annotations

import math
import os
from fractions import Fraction

import numpy as np

from ..errors import ModelError, ModelFileError
from ..games.normal_form import NormalFormGame
from ..games.parametric import CHANCE_PLAYER, ParametricNormalForm, ParametricTree
from ..games.tree import Chance, Decision, GameTree, Terminal
from .gambit_lexer import EOF, LBRACE, NUMBER, RBRACE, SYMBOL, TEXT, COMMA, TokenStream, normalize_labels

__all__ = ["read_efg", "read_nfg", "read_gambit", "read_gambit_model", "parse_efg", "parse_nfg"]

_PROB_TOL = 1e-9


# ---------------------------------------------------------------------- files
def _read_text(path) -> tuple[str, str]:
    source = os.fspath(path)
    try:
        with open(source, encoding="utf-8") as fh:
            return fh.read(), source
    except UnicodeDecodeError as exc:
        raise ModelFileError(f"not a text file in UTF-8 ({exc.reason} at byte {exc.start})", source) from None
    except OSError as exc:
        raise ModelFileError(f"cannot read the file: {exc.strerror or exc}", source) from None


def read_efg(path) -> GameTree:
    """Read an extensive game from a Gambit ``.efg`` file.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    GameTree
        Named by the file's title.

    Raises
    ------
    ModelFileError
        Naming the file, the line and what was expected.
    """
    text, source = _read_text(path)
    return parse_efg(text, source)


def read_nfg(path) -> NormalFormGame:
    """Read a strategic game from a Gambit ``.nfg`` file (payoff or outcome version).

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    NormalFormGame
        With exact payoffs (:attr:`~NormalFormGame.exact_payoffs`), named by the file's title.

    Raises
    ------
    ModelFileError
        Naming the file, the line and what was expected.
    """
    text, source = _read_text(path)
    return parse_nfg(text, source)


def read_gambit(path) -> GameTree | NormalFormGame:
    """Read a ``.efg`` or ``.nfg`` file, telling them apart by the file's first word (``EFG`` or ``NFG``)."""
    text, source = _read_text(path)
    kind = _file_kind(text, source)
    return parse_efg(text, source) if kind == "EFG" else parse_nfg(text, source)


def read_gambit_model(path) -> ParametricTree | ParametricNormalForm:
    """A Gambit file as a parametric model without parameters.

    This lets every route that takes a model (``deterrence solve FILE.efg``,
    :func:`~deterrence.analysis.sweep.sweep`) take a Gambit file.  Payoffs
    and probabilities stay exact.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    ParametricTree or ParametricNormalForm
        Named by the file's stem, titled by the game's title, with the file as its source.
    """
    text, source = _read_text(path)
    kind = _file_kind(text, source)
    stem = os.path.splitext(os.path.basename(source))[0] or "gambit"
    meta = dict(name=stem, source=f"Gambit file {os.path.basename(source)}")
    try:
        if kind == "EFG":
            g = _parse_efg(text, source)
            return ParametricTree(players=g.players, nodes=g.node_dicts(), title=g.title or stem, **meta)
        nf = _parse_nfg(text, source)
        payoffs = np.empty(tuple(len(a) for a in nf.actions) + (len(nf.players),), dtype=object)
        for idx in np.ndindex(*payoffs.shape):
            payoffs[idx] = _term(nf.payoffs[idx])
        return ParametricNormalForm(players=nf.players, actions=nf.actions, payoffs=payoffs,
                                    outcomes=nf.outcome_labels, title=nf.title or stem, **meta)
    except ModelFileError:
        raise
    except ModelError as exc:
        raise ModelFileError(str(exc), source) from exc


def _file_kind(text: str, source: str) -> str:
    ts = TokenStream(text, source)
    tok = ts.peek()
    if tok.kind != SYMBOL or tok.text not in ("EFG", "NFG"):
        raise ts.error("a Gambit file type, EFG or NFG", tok)
    return tok.text


# ---------------------------------------------------------------------- .efg
class _EfgGame:
    """A parsed ``.efg`` file: players, title and nodes with exact numbers."""

    def __init__(self, title, players, records, ids):
        self.title = title
        self.players = players
        self.records = records
        self.ids = ids

    def node_dicts(self) -> list[dict]:
        """Nodes in the form of :class:`~deterrence.games.ParametricTree` (exact numbers)."""
        out = []
        for r, nid in zip(self.records, self.ids):
            if r.kind == "t":
                out.append({"id": nid, "payoffs": [_term(v) for v in r.payoffs], "outcome": r.outcome_label})
            elif r.kind == "c":
                out.append({"id": nid, "player": CHANCE_PLAYER,
                            "actions": {a: self.ids[c] for a, c in zip(r.actions, r.children)},
                            "probabilities": {a: _term(p) for a, p in zip(r.actions, r.probs)}})
            else:
                out.append({"id": nid, "player": self.players[r.player - 1],
                            "actions": {a: self.ids[c] for a, c in zip(r.actions, r.children)},
                            "infoset": r.infoset_label})
        return out

    def node_specs(self) -> list:
        """Nodes as :class:`~deterrence.games.tree.Decision`, ``Chance`` and ``Terminal`` (float numbers)."""
        out = []
        for r, nid in zip(self.records, self.ids):
            if r.kind == "t":
                out.append(Terminal(nid, [float(v) for v in r.payoffs], r.outcome_label))
            elif r.kind == "c":
                out.append(Chance(nid, {a: (self.ids[c], float(p)) for a, c, p in zip(r.actions, r.children, r.probs)}))
            else:
                out.append(Decision(nid, self.players[r.player - 1],
                                    {a: self.ids[c] for a, c in zip(r.actions, r.children)}, r.infoset_label))
        return out


class _Node:
    __slots__ = ("kind", "name", "line", "player", "infoset", "actions", "probs", "outcome", "children",
                 "payoffs", "outcome_label", "infoset_label")

    def __init__(self, kind, name, line):
        self.kind, self.name, self.line = kind, name, line
        self.player = 0
        self.infoset = None
        self.actions: list = []
        self.probs: list = []
        self.outcome = 0
        self.children: list = []


def parse_efg(text: str, source: str = "<string>") -> GameTree:
    """Parse the text of a ``.efg`` file into a :class:`~deterrence.games.GameTree`.

    Parameters
    ----------
    text : str
    source : str
        Name of the file, for error messages.
    """
    g = _parse_efg(text, source)
    try:
        return GameTree.from_nodes(g.players, g.node_specs(), root=g.ids[0], name=g.title or None)
    except ModelError as exc:
        raise ModelFileError(str(exc), source) from exc


def _header(ts: TokenStream, kind: str, version: str) -> tuple[str, list[str]]:
    tok = ts.peek()
    if tok.kind != SYMBOL or tok.text != kind:
        raise ts.error(f"the file type {kind} at the start of the file", tok)
    ts.next()
    tok = ts.peek()
    if tok.kind != NUMBER or tok.text != version:
        raise ts.error(f"the format version {version} after {kind}", tok)
    ts.next()
    tok = ts.peek()
    if tok.kind != SYMBOL or tok.text not in ("R", "D"):
        raise ts.error("the number type R or D", tok)
    ts.next()
    title = ts.label("the game's title")
    ts.expect(LBRACE, "'{' opening the list of players")
    players = []
    while ts.peek().kind == TEXT:
        players.append(ts.next().text)
    ts.expect(RBRACE, "a player's name (a quoted label) or '}' closing the list of players")
    if not players:
        raise ts.fail("the game has no players", ts.tokens[ts.pos - 1])
    return title, normalize_labels(players)


def _parse_efg(text: str, source: str) -> _EfgGame:
    ts = TokenStream(text, source)
    title, players = _header(ts, "EFG", "2")
    n = len(players)
    if ts.peek().kind == TEXT:          # optional comment
        ts.next()
    infosets: dict = {}                 # (player, number) -> (label, actions, probs, line)
    outcomes: dict = {}                 # number -> (label, payoffs)
    records: list[_Node] = []
    pending: list = []                  # stack of (parent record index, child slots left)
    while True:
        k = len(records)
        r = _parse_node(ts, n, infosets, outcomes)
        records.append(r)
        if pending:
            parent, left = pending[-1]
            records[parent].children.append(k)
            if left == 1:
                pending.pop()
            else:
                pending[-1] = (parent, left - 1)
        if r.kind != "t":
            pending.append((k, len(r.actions)))
        if not pending:
            break
    ts.end()
    return _finish_efg(title, players, records, infosets, outcomes)


def _parse_node(ts: TokenStream, n: int, infosets: dict, outcomes: dict) -> _Node:
    tok = ts.peek()
    if tok.kind == EOF:
        raise ts.error("another node (p, c or t): the tree is incomplete", tok)
    if tok.kind != SYMBOL or tok.text not in ("p", "c", "t"):
        raise ts.error("a node: p (a player's move), c (a chance move) or t (a terminal node)", tok)
    ts.next()
    r = _Node(tok.text, ts.label("the node's name"), tok.line)
    if r.kind != "t":
        if r.kind == "p":
            r.player = ts.integer("the number of the player who moves", 1, n)
        itok = ts.peek()
        r.infoset = ts.integer("the information set's number", 1)
        key = (r.player, r.infoset)
        if ts.peek().kind == TEXT:
            label = ts.next().text
            ts.expect(LBRACE, "'{' opening the list of actions")
            acts, probs = [], []
            while ts.peek().kind != RBRACE:
                acts.append(ts.label("an action's label or '}'"))
                if r.kind == "c":
                    pt = ts.peek()
                    p = ts.number(f"the probability of chance action \"{acts[-1]}\"")
                    if not 0 <= p <= 1:
                        raise ts.fail(f"the probability of chance action \"{acts[-1]}\" is {pt.text}, "
                                      f"not in [0, 1]", pt)
                    probs.append(p)
            ts.next()
            if not acts:
                raise ts.fail("expected at least one action between '{' and '}'", tok)
            acts = normalize_labels(acts)
            if probs and abs(float(sum(probs)) - 1) > _PROB_TOL:
                raise ts.fail(f"the probabilities of this chance node sum to {float(sum(probs)):.10g}, not 1", tok)
            if key in infosets:
                old = infosets[key]
                what = (f"chance information set {r.infoset}" if r.kind == "c"
                        else f"information set {r.infoset} of player {r.player}")
                if old[0] != label or old[1] != acts or old[2] != probs:
                    raise ts.fail(f"{what} is defined again differently from line {old[3]} "
                                  f"(label, actions or probabilities differ)", tok)
            else:
                infosets[key] = (label, acts, probs, tok.line)
        elif key not in infosets:
            who = "chance" if r.kind == "c" else f"player {r.player}"
            raise ts.fail(f"expected the label and actions of information set {r.infoset} of {who} after its "
                          f"number: it is not defined earlier in the file", itok)
        _, r.actions, r.probs, _ = infosets[key]
    otok = ts.peek()
    r.outcome = ts.integer("the outcome's number (0 for none)", 0)
    if ts.peek().kind == TEXT:
        if r.outcome == 0:
            raise ts.fail("outcome 0 (no outcome) cannot have a label or payoffs", otok)
        label = ts.next().text
        ts.expect(LBRACE, "'{' opening the outcome's payoffs")
        pays = []
        for i in range(n):
            pays.append(ts.number(f"the payoff of player {i + 1} ({n} payoffs, one per player)"))
            ts.accept(COMMA)
        ts.expect(RBRACE, f"'}}' closing the outcome's {n} payoffs")
        if r.outcome in outcomes:
            old = outcomes[r.outcome]
            if old[0] != label or old[1] != tuple(pays):
                raise ts.fail(f"outcome {r.outcome} is defined again differently from line {old[2]}", otok)
        else:
            outcomes[r.outcome] = (label, tuple(pays), otok.line)
    elif r.outcome != 0 and r.outcome not in outcomes:
        raise ts.fail(f"expected the label and payoffs of outcome {r.outcome} after its number: it is not "
                      f"defined earlier in the file", otok)
    return r


def _finish_efg(title, players, records, infosets, outcomes) -> _EfgGame:
    n = len(players)
    # node ids: unique non-empty Gambit names, else "#k"
    names = [r.name for r in records]
    count: dict = {}
    for s in names:
        count[s] = count.get(s, 0) + 1
    used = {s for s in names if s and count[s] == 1}
    ids = []
    for k, s in enumerate(names, 1):
        if s and count[s] == 1:
            ids.append(s)
            continue
        cand = f"#{k}"
        while cand in used:
            cand += "'"
        used.add(cand)
        ids.append(cand)
    # information set labels: the Gambit label where unique, else "player:number"
    keys = [k for k in infosets if k[0] > 0]
    lab_count: dict = {}
    for k in keys:
        lab_count[infosets[k][0]] = lab_count.get(infosets[k][0], 0) + 1
    taken = set(ids) | {infosets[k][0] for k in keys if infosets[k][0] and lab_count[infosets[k][0]] == 1}
    iset_label = {}
    for k in keys:
        lab = infosets[k][0]
        if lab and lab_count[lab] == 1:
            iset_label[k] = lab
            continue
        cand = f"{players[k[0] - 1]}:{k[1]}"
        while cand in taken:
            cand += "'"
        taken.add(cand)
        iset_label[k] = cand
    # payoffs: sum of the outcomes on the path
    acc = [None] * len(records)
    parent = [-1] * len(records)
    for k, r in enumerate(records):
        for c in r.children:
            parent[c] = k
    zero = (Fraction(0),) * n
    for k, r in enumerate(records):
        base = acc[parent[k]] if parent[k] >= 0 else zero
        own = outcomes[r.outcome][1] if r.outcome else zero
        acc[k] = tuple(a + b for a, b in zip(base, own))
        if r.kind == "t":
            r.payoffs = acc[k]
            if r.outcome:
                r.outcome_label = outcomes[r.outcome][0] or f"outcome {r.outcome}"
            else:
                r.outcome_label = ids[k]
        elif r.kind == "p":
            r.infoset_label = iset_label[(r.player, r.infoset)]
    return _EfgGame(title, players, records, ids)


def _exact(x: Fraction):
    return int(x) if x.denominator == 1 else x


def _term(x):
    """An exact number as a model expression: an int, or the division ``"p/q"`` (the expression parser
    takes finite decimals and divisions, not :class:`~fractions.Fraction` objects)."""
    x = Fraction(x)
    return int(x) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


# ---------------------------------------------------------------------- .nfg
class _NfgGame:
    def __init__(self, title, players, actions, payoffs, outcome_labels):
        self.title, self.players, self.actions = title, players, actions
        self.payoffs = payoffs                  # ndarray of exact numbers, shape (m_1, ..., m_n, n)
        self.outcome_labels = outcome_labels    # {profile of action labels: outcome label}


def parse_nfg(text: str, source: str = "<string>") -> NormalFormGame:
    """Parse the text of a ``.nfg`` file (payoff or outcome version) into a :class:`~deterrence.games.NormalFormGame`.

    Parameters
    ----------
    text : str
    source : str
        Name of the file, for error messages.
    """
    g = _parse_nfg(text, source)
    try:
        return NormalFormGame(g.payoffs.tolist(), players=g.players, actions=g.actions, name=g.title or None)
    except ModelError as exc:
        raise ModelFileError(str(exc), source) from exc


def _parse_nfg(text: str, source: str) -> _NfgGame:
    ts = TokenStream(text, source)
    title, players = _header(ts, "NFG", "1")
    n = len(players)
    ts.expect(LBRACE, "'{' opening the strategies of the players")
    actions = []
    if ts.peek().kind == LBRACE:
        for i in range(n):
            ts.expect(LBRACE, f"'{{' opening the strategy labels of player {i + 1} ({n} players)")
            acts = []
            while ts.peek().kind == TEXT:
                acts.append(ts.next().text)
            ts.expect(RBRACE, f"a strategy label or '}}' closing the strategies of player {i + 1}")
            if not acts:
                raise ts.fail(f"player {i + 1} has no strategy", ts.tokens[ts.pos - 1])
            actions.append(normalize_labels(acts))
    else:
        for i in range(n):
            m = ts.integer(f"the number of strategies of player {i + 1} ({n} players)", 1)
            actions.append([str(j) for j in range(1, m + 1)])
    ts.expect(RBRACE, f"'}}' closing the strategies of the {n} players")
    if ts.peek().kind == TEXT:           # optional comment
        ts.next()
    shape = tuple(len(a) for a in actions)
    n_prof = math.prod(shape)
    payoffs = np.empty(shape + (n,), dtype=object)
    # profiles with the first player's strategy changing fastest
    profiles = [p[::-1] for p in np.ndindex(*shape[::-1])]
    outcome_labels = {}
    tok = ts.peek()
    if tok.kind == LBRACE:
        ts.next()
        table = []
        while ts.peek().kind == LBRACE:
            ts.next()
            label = ts.label("the outcome's name")
            pays = []
            for i in range(n):
                pays.append(_exact(ts.number(f"the payoff of player {i + 1} ({n} payoffs, one per player)")))
                ts.accept(COMMA)
            ts.expect(RBRACE, f"'}}' closing the outcome's {n} payoffs")
            table.append((label, pays))
        ts.expect(RBRACE, "'{' opening an outcome or '}' closing the list of outcomes")
        for j, prof in enumerate(profiles):
            o = ts.integer(f"the outcome number of strategy profile {j + 1} of {n_prof} "
                           f"(0 to {len(table)})", 0, len(table))
            if o == 0:
                payoffs[prof] = [0] * n
            else:
                payoffs[prof] = table[o - 1][1]
                if table[o - 1][0]:
                    outcome_labels[tuple(a[s] for a, s in zip(actions, prof))] = table[o - 1][0]
    elif tok.kind == NUMBER:
        for j, prof in enumerate(profiles):
            payoffs[prof] = [_exact(ts.number(f"the payoff of player {i + 1} at strategy profile {j + 1} of "
                                              f"{n_prof} ({n} numbers per profile)")) for i in range(n)]
    else:
        raise ts.error("the payoffs (numbers) or the list of outcomes ('{')", tok)
    ts.end()
    return _NfgGame(title, players, [tuple(a) for a in actions], payoffs, outcome_labels)
