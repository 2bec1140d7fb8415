"""Tokens of Gambit's text formats (``.efg`` and ``.nfg``).

Gambit's files are sequences of tokens separated by white space: quoted
labels (``"Player 1"``, with ``\\"`` for a quote inside), numbers (integers,
decimals with an optional exponent, or rationals ``1/3``), braces, commas,
and bare symbols (``NFG``, ``R``, the node kinds ``p``, ``c``, ``t``).  This
module turns a text into such tokens, each with its line number, and offers
a small cursor with which the readers ask for the token they expect; every
failure is a :class:`~deterrence.errors.ModelFileError` naming the file, the
line and what was expected.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction

from ..errors import ModelFileError

__all__ = ["Token", "TokenStream", "tokenize", "NUMBER", "TEXT", "SYMBOL", "LBRACE", "RBRACE", "COMMA", "EOF", "normalize_labels"]

NUMBER, TEXT, SYMBOL, LBRACE, RBRACE, COMMA, EOF = "number", "label", "symbol", "'{'", "'}'", "','", "end of file"

_NUMBER = re.compile(r"[+-]?(?:\d+/\d+|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_DELIM = set(" \t\r\n\f\v{},\"")


@dataclass(frozen=True)
class Token:
    """One token: its *kind* (``NUMBER``, ``TEXT`` ...), its *text* (unquoted for a label) and its *line*."""

    kind: str
    text: str
    line: int

    def describe(self) -> str:
        """The token as an error message shows it."""
        if self.kind == EOF:
            return "the end of the file"
        if self.kind == TEXT:
            return f'the label "{self.text}"'
        if self.kind in (NUMBER, SYMBOL):
            return f"{self.kind} {self.text!r}"
        return self.kind


def tokenize(text: str, source: str) -> list[Token]:
    """Split a Gambit file into tokens (the last one is ``EOF``).

    Parameters
    ----------
    text : str
        The file's contents.
    source : str
        The file's name, for error messages.

    Raises
    ------
    ModelFileError
        On a label without its closing quote or a malformed number.
    """
    out: list[Token] = []
    i, n, line = 0, len(text), 1
    while True:
        while i < n and text[i].isspace():
            if text[i] == "\n":
                line += 1
            i += 1
        if i >= n:
            out.append(Token(EOF, "", line))
            return out
        c = text[i]
        if c == "{":
            out.append(Token(LBRACE, c, line))
            i += 1
        elif c == "}":
            out.append(Token(RBRACE, c, line))
            i += 1
        elif c == ",":
            out.append(Token(COMMA, c, line))
            i += 1
        elif c == '"':
            start_line = line
            buf = []
            i += 1
            while True:
                if i >= n:
                    raise ModelFileError(f"a label opened on line {start_line} has no closing quote",
                                         source, f"line {start_line}")
                ch = text[i]
                if ch == "\\" and i + 1 < n and text[i + 1] in '"\\':
                    buf.append(text[i + 1])
                    i += 2
                    continue
                if ch == '"':
                    i += 1
                    break
                if ch == "\n":
                    line += 1
                buf.append(ch)
                i += 1
            out.append(Token(TEXT, "".join(buf), start_line))
        elif c.isdigit() or c in "+-.":
            m = _NUMBER.match(text, i)
            end = m.end() if m else i
            if m is None or (end < n and text[end] not in _DELIM):
                j = i
                while j < n and text[j] not in _DELIM:
                    j += 1
                raise ModelFileError(f"expected a number (an integer, a decimal or a fraction such as 1/3), "
                                     f"got {text[i:j]!r}", source, f"line {line}")
            out.append(Token(NUMBER, m.group(), line))
            i = end
        else:
            j = i
            while j < n and text[j] not in _DELIM:
                j += 1
            out.append(Token(SYMBOL, text[i:j], line))
            i = j


class TokenStream:
    """A cursor over the tokens of one file, with ``expect`` methods that raise located errors.

    Parameters
    ----------
    text : str
        The file's contents.
    source : str
        The file's name, for error messages.
    """

    def __init__(self, text: str, source: str):
        self.source = source
        self.tokens = tokenize(text, source)
        self.pos = 0

    def peek(self) -> Token:
        """The next token, not consumed."""
        return self.tokens[self.pos]

    def next(self) -> Token:
        """Consume and return the next token (``EOF`` stays in place)."""
        tok = self.tokens[self.pos]
        if tok.kind != EOF:
            self.pos += 1
        return tok

    def error(self, what: str, tok: Token | None = None) -> ModelFileError:
        """A :class:`ModelFileError` saying *what* was expected where *tok* (default: the next token) stands."""
        tok = tok or self.peek()
        return ModelFileError(f"expected {what}, got {tok.describe()}", self.source, f"line {tok.line}")

    def fail(self, message: str, tok: Token) -> ModelFileError:
        """A :class:`ModelFileError` with a free *message* located at *tok*'s line."""
        return ModelFileError(message, self.source, f"line {tok.line}")

    def expect(self, kind: str, what: str) -> Token:
        """Consume the next token, which must be of *kind* (*what* describes it for the error message)."""
        tok = self.peek()
        if tok.kind != kind:
            raise self.error(what, tok)
        return self.next()

    def accept(self, kind: str) -> bool:
        """Consume the next token if it is of *kind*; say whether it was."""
        if self.peek().kind == kind:
            self.next()
            return True
        return False

    def number(self, what: str) -> Fraction:
        """Consume a number and return it exactly (Gambit reads decimals exactly too)."""
        tok = self.expect(NUMBER, what)
        try:
            return Fraction(tok.text)
        except (ValueError, ZeroDivisionError):
            raise self.fail(f"expected {what}, got the malformed number {tok.text!r}", tok) from None

    def integer(self, what: str, low: int = 0, high: int | None = None) -> int:
        """Consume a whole number in ``[low, high]``."""
        tok = self.peek()
        x = self.number(what)
        if x.denominator != 1 or "." in tok.text or "e" in tok.text.lower():
            raise self.fail(f"expected {what} (a whole number), got {tok.text!r}", tok)
        v = int(x)
        if v < low or (high is not None and v > high):
            rng = f"{low}..{high}" if high is not None else f"at least {low}"
            raise self.fail(f"expected {what} ({rng}), got {v}", tok)
        return v

    def label(self, what: str) -> str:
        """Consume a quoted label."""
        return self.expect(TEXT, f"{what} (a quoted label)").text

    def end(self) -> None:
        """Require the end of the file."""
        if self.peek().kind != EOF:
            raise self.error("the end of the file")


def normalize_labels(labels) -> list[str]:
    """Make labels distinct and non-empty as Gambit does: a repeated or empty label ``x`` becomes ``x_1``, ``x_2`` ...

    A label used once is kept; an empty one becomes ``_1`` (then ``_2`` ...),
    skipping candidates already in use.
    """
    labels = [str(s) for s in labels]
    counts: dict[str, int] = {}
    for s in labels:
        counts[s] = counts.get(s, 0) + 1
    used = set(labels)
    visited: dict[str, int] = {}
    out = []
    for s in labels:
        if counts[s] == 1 and s != "":
            out.append(s)
            continue
        while True:
            visited[s] = visited.get(s, 0) + 1
            cand = f"{s}_{visited[s]}"
            if cand not in used:
                break
        used.add(cand)
        out.append(cand)
    return out
