"""Safe arithmetic expressions in named parameters.

Payoffs and chance probabilities in model files are written as expressions in
named parameters (``"p*(a_DC - a_SQ)"``).  Model files are untrusted text, so
this module parses them with its own tokenizer and recursive-descent parser:
no ``eval``, ``exec``, ``compile``, ``sympify``, ``parse_expr`` or
``ast.literal_eval`` ever sees the text.  Only the grammar below is accepted,
and the size of what a text can make the machine do is bounded (see
:class:`Limits`).

Grammar (EBNF; whitespace is space, tab, CR or LF and separates tokens)::

    expression = term , { ( "+" | "-" ) , term } ;
    term       = unary , { ( "*" | "/" ) , unary } ;
    unary      = ( "+" | "-" ) , unary | power ;
    power      = atom , [ ( "**" | "^" ) , unary ] ;
    atom       = number | name | call | "(" , expression , ")" ;
    call       = function , "(" , expression , { "," , expression } , ")" ;
    function   = "min" | "max" | "exp" | "log" | "sqrt" | "abs" ;
    name       = letter , { letter | digit } ;      (* ASCII; "_" is a letter *)
    number     = ( digits , [ "." , [ digits ] ] | "." , digits ) ,
                 [ ( "e" | "E" ) , [ "+" | "-" ] , digits ] ;

So the precedence is, from loosest to tightest: ``+ -`` (left-associative),
``* /`` (left-associative), unary ``+ -``, ``**`` (right-associative).  As in
Python, ``-2**2`` is ``-(2**2) = -4``, ``2**-1`` is ``0.5`` and ``2**3**2`` is
``2**9``.  ``^`` is accepted as a synonym of ``**`` because it is how people
write powers outside Python (it is *not* exclusive-or); the canonical text
(``str``) always writes ``**``.  ``min`` and ``max`` take two or more
arguments, the other functions exactly one; ``log`` is the natural logarithm.
A function name is reserved: it cannot be used as a parameter name.  There are
no comparisons, attribute access, indexing, strings, keywords or implicit
multiplication (``2x`` is an error; write ``2*x``).

Semantics.  Numeric evaluation is real-valued float64 arithmetic, vectorized
with numpy broadcasting over a batch of parameter points.  **Policy: any
non-finite intermediate or final value (division by zero, log or sqrt of a
negative number, a negative base to a non-integer power, overflow) raises**
:class:`~deterrence.errors.ExpressionError` naming the expression, the
sub-expression, the batch index and the parameter values there; nothing is
returned as NaN or inf and no numpy warning escapes.  Symbolic conversion
(:meth:`Expr.to_sympy`) is exact: decimal literals become rationals
(``0.1`` is exactly ``1/10``).

Bounds (defaults of :class:`Limits`): at most 2000 characters, in the text
and in its compact canonical form (so what is accepted prints, saves and
pickles within the same limit), nesting depth
50 (parentheses, calls, unary signs and the right operands of ``**`` each
count one level; checked while parsing, so Python's recursion limit is never
approached), 2000 nodes, 8 arguments of ``min``/``max`` calls in
total (sympy's ``Min``/``Max`` are superlinear in their arguments), a constant exponent of absolute value at most 64,
every constant sub-expression finite in float64, and a bound of 20000 on the
"coefficient bits" of every node, an upper bound on the size of the exact
integers sympy may build when it folds constants (see :attr:`Limits.max_bits`).
So ``2**10**10`` is rejected at once, and no text can make the parser, the
evaluator or :meth:`Expr.to_sympy` hang or exhaust memory.

Every tree walk (printing, evaluation, equality, sympy conversion) is
iterative, so long left-deep chains such as ``a+a+...+a`` are safe.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping, Sequence

import numpy as np

from ..errors import ExpressionError

__all__ = [
    "Expr",
    "Number",
    "Name",
    "UnaryOp",
    "BinOp",
    "Call",
    "Limits",
    "DEFAULT_LIMITS",
    "FUNCTIONS",
    "parse",
    "compile_batch",
    "BatchExpression",
    "fold",
]

#: Whitelisted functions and their arity ``(min_args, max_args)``; ``None`` means unbounded.
FUNCTIONS: dict[str, tuple[int, int | None]] = {
    "min": (2, None),
    "max": (2, None),
    "exp": (1, 1),
    "log": (1, 1),
    "sqrt": (1, 1),
    "abs": (1, 1),
}


@dataclass(frozen=True)
class Limits:
    """Bounds on what one expression text may make the machine do.

    Parameters
    ----------
    max_length : int
        Maximum number of characters of the text (default 2000).
    max_depth : int
        Maximum nesting depth (default 50, at most 150).  Each parenthesis,
        function call, unary sign and right operand of ``**`` opens a level.
    max_nodes : int
        Maximum number of nodes of the syntax tree (default 2000).
    max_exponent : float
        Maximum absolute value of a constant exponent of ``**`` (default 64).
    max_bits : int
        Maximum "coefficient bits" of any node (default 20000).  The bound is
        computed per node: a literal counts the bits of its exact numerator and
        denominator, a name 1, ``+ - * /`` and calls add their operands' bits,
        and ``b ** e`` with a constant exponent counts ``bits(b) * ceil(|e|) +
        bits(e)``.  It bounds the size of any integer that sympy's automatic
        evaluation can produce in :meth:`Expr.to_sympy` (for instance
        ``((2*x)**64)**64`` becomes ``2**4096 * x**4096``).  Ordinary
        expressions without powers stay far below it.
    max_minmax_args : int
        Maximum total number of arguments of all ``min``/``max`` calls in one
        expression (default 8).  sympy's ``Min``/``Max`` compare their
        arguments pairwise with assumption queries, superlinearly: a ``max``
        of 100 symbols takes tens of seconds to build, so the bound keeps
        :meth:`Expr.to_sympy` fast.
    """

    max_length: int = 2000
    max_depth: int = 50
    max_nodes: int = 2000
    max_exponent: float = 64.0
    max_bits: int = 20000
    max_minmax_args: int = 8

    def __post_init__(self):
        if not 1 <= self.max_depth <= 150:
            raise ExpressionError(f"Limits.max_depth must be in [1, 150], got {self.max_depth}")
        if self.max_minmax_args < 2 or self.max_length < 1 or self.max_nodes < 1 or self.max_bits < 1 or not self.max_exponent >= 0:
            raise ExpressionError(f"Limits must be positive, got {self}")


DEFAULT_LIMITS = Limits()

# Precedence levels used by the printers.
_P_ADD, _P_MUL, _P_UNARY, _P_POW, _P_ATOM = 1, 2, 3, 4, 5
_BIN_PREC = {"+": _P_ADD, "-": _P_ADD, "*": _P_MUL, "/": _P_MUL, "**": _P_POW}

_BINARY_UFUNC = {"+": np.add, "-": np.subtract, "*": np.multiply, "/": np.divide, "**": np.power}
_UNARY_FUNC = {"exp": np.exp, "log": np.log, "sqrt": np.sqrt, "abs": np.abs}

_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER_RE = re.compile(r"(?:(\d+)(?:\.(\d*))?|\.(\d+))(?:[eE]([+-]?\d+))?")


# ---------------------------------------------------------------------------
# Syntax tree
# ---------------------------------------------------------------------------


class Expr:
    """An immutable expression tree (base class of all node types).

    Obtain one with :func:`parse`.  Nodes are :class:`Number`, :class:`Name`,
    :class:`UnaryOp`, :class:`BinOp` and :class:`Call`.  Two expressions are
    equal when their trees are equal (``parse("a+(b)") == parse("a + b")``,
    but ``a + b`` and ``b + a`` differ: this is syntax, not algebra; compare
    :meth:`to_sympy` results for algebra).

    Attributes
    ----------
    names : frozenset of str
        The free parameter names.
    n_nodes : int
        Number of nodes of the tree.
    """

    __slots__ = ("_hash", "names", "n_nodes", "_cval", "_bits", "_program")

    # -- construction helpers ------------------------------------------------
    def _init(self, local, children: tuple["Expr", ...], names, cval, bits):
        object.__setattr__(self, "_hash", hash((type(self).__name__, local, tuple(c._hash for c in children))))
        object.__setattr__(self, "names", names)
        object.__setattr__(self, "n_nodes", 1 + sum(c.n_nodes for c in children))
        object.__setattr__(self, "_cval", cval)
        object.__setattr__(self, "_bits", bits)
        object.__setattr__(self, "_program", None)

    def __setattr__(self, key, value):
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, key):
        raise AttributeError(f"{type(self).__name__} is immutable")

    @property
    def children(self) -> tuple["Expr", ...]:
        """The operand sub-expressions, left to right."""
        return ()

    def _local(self):
        raise NotImplementedError

    @property
    def is_constant(self) -> bool:
        """True when the expression has no free names."""
        return not self.names

    # -- equality ------------------------------------------------------------
    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        if self is other:
            return True
        if not isinstance(other, Expr):
            return NotImplemented
        stack = [(self, other)]
        while stack:
            a, b = stack.pop()
            if a is b:
                continue
            if type(a) is not type(b) or a._hash != b._hash or a._local() != b._local():
                return False
            ca, cb = a.children, b.children
            if len(ca) != len(cb):
                return False
            stack.extend(zip(ca, cb))
        return True

    def __ne__(self, other: object) -> bool:
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __reduce__(self):
        return (parse, (str(self),))

    # -- printing ------------------------------------------------------------
    def __str__(self) -> str:
        """Canonical text: minimal parentheses, ``**`` for powers; re-parses to an equal tree.

        Binary operators are surrounded by spaces (``"p * (a - b)"``); when
        that text would be longer than ``DEFAULT_LIMITS.max_length`` the
        compact form without spaces (:meth:`compact`) is returned instead, so
        that ``parse(str(e)) == e`` holds for everything :func:`parse` returns
        with the default limits (it refuses a text whose compact canonical
        form would exceed the length limit, such as one near the limit
        written with many ``^``, which print as the longer ``**``).
        """
        text = _fold(self, _str_node)[0]
        if len(text) > DEFAULT_LIMITS.max_length:
            return self.compact()
        return text

    def compact(self) -> str:
        """Canonical text without spaces (``"p*(a-b)"``)."""
        return _fold(self, _str_node_compact)[0]

    def __repr__(self) -> str:
        return f"Expr({str(self)!r})"

    def latex(self) -> str:
        """LaTeX for the expression, following the tree's structure.

        Names are typeset by sympy's printer (``a_DC`` becomes ``a_{DC}``,
        ``alpha`` becomes ``\\alpha``), ``/`` as ``\\frac``, ``*`` as ``\\cdot``.
        """
        return _fold(self, _latex_node)[0]

    # -- evaluation ----------------------------------------------------------
    def evaluate(self, values: Mapping[str, Any] | None = None) -> np.ndarray:
        """Evaluate numerically at one parameter point or a batch of points.

        Parameters
        ----------
        values : mapping of str to float or array_like
            A value (or an array of values) for every name in :attr:`names`;
            extra keys are ignored.  Arrays are broadcast together with numpy
            rules, so ``{"p": p_grid[:, None], "c": c_grid[None, :]}`` gives a
            2-d sweep.

        Returns
        -------
        numpy.ndarray
            float64 array of the broadcast shape of the values used (0-d for
            a single point).

        Raises
        ------
        ExpressionError
            A name is missing or its value is not a finite real number, the
            arrays do not broadcast, or any intermediate value is not finite
            (division by zero, log/sqrt of a negative number, overflow...); the
            message names the sub-expression, the batch index and the values.
        """
        program = self._program
        if program is None:
            program = BatchExpression([self])
            object.__setattr__(self, "_program", program)
        return program(values)[..., 0]

    def __call__(self, values: Mapping[str, Any] | None = None, **kwargs) -> np.ndarray:
        """Shorthand for :meth:`evaluate`; keyword arguments add values."""
        merged = dict(values or {})
        merged.update(kwargs)
        return self.evaluate(merged)

    # -- symbolic ------------------------------------------------------------
    def to_sympy(self, symbols: Mapping[str, Any] | None = None):
        """Build the sympy expression directly from the tree (no text parsing).

        Parameters
        ----------
        symbols : mapping of str to sympy.Symbol, optional
            Symbols to use for the names (for instance
            :meth:`ParameterSpace.symbols`, which carry domain assumptions).
            When given, it must cover every name.  By default each name ``n``
            becomes ``sympy.Symbol(n, real=True)``.

        Returns
        -------
        sympy.Expr
            Literals are exact rationals; ``min``/``max``/``abs`` become
            ``Min``/``Max``/``Abs``.  The size bound of :class:`Limits` keeps
            sympy's automatic constant folding small.
        """
        import sympy

        if symbols is None:
            table = {n: sympy.Symbol(n, real=True) for n in self.names}
        else:
            missing = sorted(self.names - set(symbols))
            if missing:
                raise ExpressionError(f"expression {str(self)!r}: no sympy symbol given for {missing}")
            table = dict(symbols)

        # Chains of + - (and of * /) are collected and built with one
        # sympy.Add (sympy.Mul) call: repeated binary Adds would cost O(n^2).
        def materialize(x):
            if not isinstance(x, _Chain):
                return x
            kind, items = x.kind, []
            while x is not None:
                items.append(x.item)
                x = x.prev
            items.reverse()
            return sympy.Add(*items) if kind == "+" else sympy.Mul(*items)

        def chain(kind, left, item):
            if isinstance(left, _Chain) and left.kind == kind:
                return _Chain(kind, left, item)
            return _Chain(kind, _Chain(kind, None, materialize(left)), item)

        def node(n: Expr, args):
            if isinstance(n, Number):
                return sympy.Rational(n.value.numerator, n.value.denominator)
            if isinstance(n, Name):
                return table[n.name]
            if isinstance(n, UnaryOp):
                a = materialize(args[0])
                return -a if n.op == "-" else a
            if isinstance(n, BinOp):
                a, b = args
                if n.op == "+":
                    return chain("+", a, materialize(b))
                if n.op == "-":
                    return chain("+", a, sympy.Mul(sympy.Integer(-1), materialize(b)))
                if n.op == "*":
                    return chain("*", a, materialize(b))
                if n.op == "/":
                    return chain("*", a, sympy.Pow(materialize(b), sympy.Integer(-1)))
                return sympy.Pow(materialize(a), materialize(b))
            f = {"min": sympy.Min, "max": sympy.Max, "exp": sympy.exp, "log": sympy.log,
                 "sqrt": sympy.sqrt, "abs": sympy.Abs}[n.func]
            return f(*(materialize(x) for x in args))

        return materialize(_fold(self, node))


class _Chain:
    """An immutable cons list of the terms (factors) of a + (*) chain."""

    __slots__ = ("kind", "prev", "item")

    def __init__(self, kind, prev, item):
        self.kind, self.prev, self.item = kind, prev, item


def _number_fraction(value) -> Fraction:
    if isinstance(value, bool):
        raise ExpressionError(f"Number: expected a real number, got {value!r}")
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ExpressionError(f"Number: value must be finite, got {value!r}")
        return Fraction(repr(value))
    if isinstance(value, (int, Fraction)):
        return Fraction(value)
    raise ExpressionError(f"Number: expected int, float or Fraction, got {type(value).__name__}")


def _is_decimal(f: Fraction) -> bool:
    d = f.denominator
    for p in (2, 5):
        while d % p == 0:
            d //= p
    return d == 1


class Number(Expr):
    """A non-negative literal (a negative number is ``UnaryOp('-', Number(x))``).

    Parameters
    ----------
    value : int, float or Fraction
        Must be a finite decimal (denominator ``2**a * 5**b``) so that the
        canonical text is exact; a float is taken by its shortest repr
        (``Number(0.1).value == Fraction(1, 10)``).
    """

    __slots__ = ("value",)

    def __init__(self, value):
        f = _number_fraction(value)
        if f < 0:
            raise ExpressionError(f"Number: literal must be non-negative, got {f}; use UnaryOp('-', ...)")
        if not _is_decimal(f):
            raise ExpressionError(f"Number: {f} is not a finite decimal; write it as a division")
        object.__setattr__(self, "value", f)
        bits = max(1, f.numerator.bit_length() + f.denominator.bit_length())
        self._init(f, (), frozenset(), _big_float(f), bits)

    def _local(self):
        return self.value


def _big_float(f: Fraction) -> np.float64:
    try:
        return np.float64(float(f))
    except OverflowError:
        return np.float64(np.inf)


class Name(Expr):
    """A parameter name (an ASCII identifier that is not a function name)."""

    __slots__ = ("name",)

    def __init__(self, name: str):
        if not isinstance(name, str) or not _NAME_RE.fullmatch(name):
            raise ExpressionError(f"Name: {name!r} is not an ASCII identifier")
        if name in FUNCTIONS:
            raise ExpressionError(f"Name: {name!r} is a function name and cannot be a parameter")
        object.__setattr__(self, "name", name)
        self._init(name, (), frozenset((name,)), None, 1)

    def _local(self):
        return self.name


class UnaryOp(Expr):
    """Unary ``+`` or ``-`` applied to an operand."""

    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Expr):
        if op not in ("+", "-"):
            raise ExpressionError(f"UnaryOp: unknown operator {op!r}")
        _require_expr(operand, "UnaryOp operand")
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "operand", operand)
        cval = None
        if operand._cval is not None:
            cval = -operand._cval if op == "-" else operand._cval
        self._init(op, (operand,), operand.names, cval, operand._bits)

    @property
    def children(self):
        return (self.operand,)

    def _local(self):
        return self.op


class BinOp(Expr):
    """A binary operation ``left op right`` with ``op`` in ``+ - * / **``."""

    __slots__ = ("op", "left", "right")

    def __init__(self, op: str, left: Expr, right: Expr):
        if op not in _BIN_PREC:
            raise ExpressionError(f"BinOp: unknown operator {op!r}")
        _require_expr(left, "BinOp left operand")
        _require_expr(right, "BinOp right operand")
        object.__setattr__(self, "op", op)
        object.__setattr__(self, "left", left)
        object.__setattr__(self, "right", right)
        cval = None
        if left._cval is not None and right._cval is not None:
            with np.errstate(all="ignore"):
                cval = np.float64(_BINARY_UFUNC[op](left._cval, right._cval))
        if op == "**" and right._cval is not None:
            e = abs(float(right._cval))
            factor = math.ceil(e) if math.isfinite(e) and e < 1e15 else 10**15
            bits = left._bits * max(1, factor) + right._bits
        else:
            bits = left._bits + right._bits
        self._init(op, (left, right), left.names | right.names, cval, bits)

    @property
    def children(self):
        return (self.left, self.right)

    def _local(self):
        return self.op


class Call(Expr):
    """A call of a whitelisted function (see :data:`FUNCTIONS`)."""

    __slots__ = ("func", "args")

    def __init__(self, func: str, args: Sequence[Expr]):
        if func not in FUNCTIONS:
            raise ExpressionError(f"Call: unknown function {func!r}; allowed: {sorted(FUNCTIONS)}")
        args = tuple(args)
        lo, hi = FUNCTIONS[func]
        if len(args) < lo or (hi is not None and len(args) > hi):
            raise ExpressionError(f"{func}() takes {_arity_text(func)}, got {len(args)}")
        for a in args:
            _require_expr(a, f"{func}() argument")
        object.__setattr__(self, "func", func)
        object.__setattr__(self, "args", args)
        cval = None
        if all(a._cval is not None for a in args):
            with np.errstate(all="ignore"):
                cval = np.float64(_apply_call(func, [a._cval for a in args]))
        names = frozenset().union(*(a.names for a in args))
        self._init(func, args, names, cval, sum(a._bits for a in args))

    @property
    def children(self):
        return self.args

    def _local(self):
        return self.func


def _require_expr(x, what):
    if not isinstance(x, Expr):
        raise ExpressionError(f"{what} must be an Expr, got {type(x).__name__}")


def _arity_text(func: str) -> str:
    lo, hi = FUNCTIONS[func]
    if hi is None:
        return f"at least {lo} arguments"
    return "exactly 1 argument" if lo == hi == 1 else f"{lo} to {hi} arguments"


def _apply_call(func: str, args):
    if func == "min":
        out = args[0]
        for a in args[1:]:
            out = np.minimum(out, a)
        return out
    if func == "max":
        out = args[0]
        for a in args[1:]:
            out = np.maximum(out, a)
        return out
    return _UNARY_FUNC[func](args[0])


# ---------------------------------------------------------------------------
# Iterative tree walks
# ---------------------------------------------------------------------------


def _postorder(root: Expr, leaves_at_constants: bool = False) -> list[Expr]:
    out: list[Expr] = []
    stack: list[tuple[Expr, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done or (leaves_at_constants and node._cval is not None):
            out.append(node)
        else:
            stack.append((node, True))
            for c in reversed(node.children):
                stack.append((c, False))
    return out


def fold(root: Expr, fn: Callable[[Expr, list], Any]):
    """Bottom-up fold of an expression tree without recursion.

    Parameters
    ----------
    root : Expr
    fn : callable
        ``fn(node, [results of its children])``; called once per distinct node.

    Returns
    -------
    The result of ``fn`` at the root.  Safe on deep left chains (``a+a+...+a``).
    """
    if not isinstance(root, Expr):
        raise ExpressionError(f"fold needs an expression (Expr), got {type(root).__name__}")
    return _fold(root, fn)


def _fold(root: Expr, fn: Callable[[Expr, list], Any]):
    """Bottom-up fold without recursion: ``fn(node, [results of children])``."""
    results: dict[int, Any] = {}
    for node in _postorder(root):
        key = id(node)
        if key not in results:
            results[key] = fn(node, [results[id(c)] for c in node.children])
    return results[id(root)]


def _format_number(f: Fraction) -> str:
    """Shortest exact decimal text of a non-negative finite decimal."""
    if f == 0:
        return "0"
    num, den = f.numerator, f.denominator
    a = b = 0
    while den % 2 == 0:
        den //= 2
        a += 1
    while den % 5 == 0:
        den //= 5
        b += 1
    k = -max(a, b)
    m = num * 10 ** (-k) // f.denominator
    while m % 10 == 0:
        m //= 10
        k += 1
    digits = str(m)
    if k >= 0:
        plain = digits + "0" * k
    elif len(digits) > -k:
        plain = digits[:k] + "." + digits[k:]
    else:
        plain = "0." + "0" * (-k - len(digits)) + digits
    sci = f"{digits}e{k}" if k != 0 else plain
    return plain if len(plain) <= len(sci) + 2 else sci


def _str_node_compact(node: Expr, args) -> tuple[str, int]:
    return _str_node(node, args, "")


def _str_node(node: Expr, args, sep: str = " ") -> tuple[str, int]:
    if isinstance(node, Number):
        return _format_number(node.value), _P_ATOM
    if isinstance(node, Name):
        return node.name, _P_ATOM
    if isinstance(node, Call):
        return f"{node.func}({(',' + sep).join(a[0] for a in args)})", _P_ATOM
    if isinstance(node, UnaryOp):
        text, p = args[0]
        return node.op + (f"({text})" if p < _P_UNARY else text), _P_UNARY
    (lt, lp), (rt, rp) = args
    op = node.op
    if op in ("+", "-"):
        lneed, rneed = lp < _P_ADD, rp <= _P_ADD
    elif op in ("*", "/"):
        lneed, rneed = lp < _P_MUL, rp <= _P_MUL
    else:  # ** : base is an atom, exponent a unary
        lneed, rneed = lp < _P_ATOM, rp < _P_UNARY
    lt = f"({lt})" if lneed else lt
    rt = f"({rt})" if rneed else rt
    return f"{lt}{sep}{op}{sep}{rt}", _BIN_PREC[op]


@functools.lru_cache(maxsize=1024)
def _latex_name(name: str) -> str:
    import sympy

    return sympy.latex(sympy.Symbol(name))


def _latex_number(f: Fraction) -> str:
    text = _format_number(f)
    if "e" in text:
        m, k = text.split("e")
        return f"{m} \\cdot 10^{{{k}}}"
    return text


def _latex_node(node: Expr, args) -> tuple[str, int]:
    def paren(t):
        return f"\\left({t}\\right)"

    if isinstance(node, Number):
        text = _latex_number(node.value)
        return text, (_P_MUL if "cdot" in text else _P_ATOM)
    if isinstance(node, Name):
        return _latex_name(node.name), _P_ATOM
    if isinstance(node, Call):
        inner = [a[0] for a in args]
        if node.func == "sqrt":
            return f"\\sqrt{{{inner[0]}}}", _P_ATOM
        if node.func == "abs":
            return f"\\left|{inner[0]}\\right|", _P_ATOM
        if node.func == "exp":
            return f"e^{{{inner[0]}}}", _P_POW
        return f"\\{node.func}{paren(', '.join(inner))}", _P_ATOM
    if isinstance(node, UnaryOp):
        text, p = args[0]
        return node.op + (paren(text) if p in (_P_ADD, _P_UNARY) else text), _P_UNARY
    (lt, lp), (rt, rp) = args
    op = node.op
    if op == "/":
        return f"\\frac{{{lt}}}{{{rt}}}", _P_ATOM
    if op == "**":
        base = lt if lp == _P_ATOM else paren(lt)
        return f"{base}^{{{rt}}}", _P_POW
    if op == "*":
        lt = paren(lt) if lp == _P_ADD else lt
        rt = paren(rt) if rp in (_P_ADD, _P_UNARY) else rt
        return f"{lt} \\cdot {rt}", _P_MUL
    rt = paren(rt) if rp in (_P_ADD, _P_UNARY) else rt
    return f"{lt} {op} {rt}", _P_ADD


# ---------------------------------------------------------------------------
# Batch evaluation
# ---------------------------------------------------------------------------


def _batch_from_roots(exprs, shape) -> "BatchExpression":
    """Rebuild a :class:`BatchExpression` from its root expressions (its pickled form)."""
    if shape == ():
        return BatchExpression(exprs[0])
    arr = np.empty(len(exprs), dtype=object)
    arr[:] = list(exprs)
    return BatchExpression(arr.reshape(shape))


class BatchExpression:
    """Many expressions evaluated together on a batch of parameter points.

    Common sub-expressions (structurally equal sub-trees, for instance the
    same ``p*(a_DC - a_SQ)`` in several payoffs) are computed once, and
    intermediate arrays are released as soon as they are no longer needed.

    Parameters
    ----------
    exprs : Expr, number, or (nested) sequence / object array of them
        The expressions; their arrangement is kept as :attr:`shape`.

    Attributes
    ----------
    shape : tuple of int
        Shape of the arrangement of expressions.
    names : frozenset of str
        Every name used by any expression.
    n_instructions : int
        Number of distinct sub-expressions computed per call.
    """

    def __init__(self, exprs):
        arr = np.empty((), dtype=object)
        if isinstance(exprs, Expr):
            arr[()] = exprs
        else:
            arr = _object_array(exprs)
        self.shape: tuple[int, ...] = arr.shape
        roots = [_as_expr(e) for e in arr.reshape(-1)]
        self.exprs: tuple[Expr, ...] = tuple(roots)
        self.names: frozenset[str] = frozenset().union(*(r.names for r in roots)) if roots else frozenset()
        # Hash-consing by (kind, local, child slots): O(total nodes), no deep comparisons.
        intern: dict[tuple, int] = {}
        instrs: list[tuple] = []
        owner: list[int] = []
        nodes: list[Expr] = []
        root_slots: list[int] = []
        for j, root in enumerate(roots):
            seen: dict[int, int] = {}
            for node in _postorder(root, leaves_at_constants=True):
                if id(node) in seen:
                    continue
                if node._cval is not None:
                    kids = ()
                    key = ("const", float(node._cval))
                else:
                    kids = tuple(seen[id(c)] for c in node.children)
                    key = (type(node).__name__, node._local(), kids)
                slot = intern.get(key)
                if slot is None:
                    slot = len(instrs)
                    intern[key] = slot
                    if node._cval is not None:
                        instrs.append(("const", float(node._cval), ()))
                    elif isinstance(node, Name):
                        instrs.append(("name", node.name, ()))
                    elif isinstance(node, UnaryOp):
                        instrs.append(("neg" if node.op == "-" else "pos", None, kids))
                    elif isinstance(node, BinOp):
                        instrs.append(("bin", node.op, kids))
                    else:
                        instrs.append(("call", node.func, kids))
                    owner.append(j)
                    nodes.append(node)
                seen[id(node)] = slot
            root_slots.append(seen[id(root)])
        last_use = list(range(len(instrs)))
        for k, (_, _, kids) in enumerate(instrs):
            for c in kids:
                last_use[c] = k
        self._instrs = instrs
        self._owner = owner
        self._nodes = nodes
        self._root_slots = root_slots
        self._roots_of_slot: dict[int, list[int]] = {}
        for j, s in enumerate(root_slots):
            self._roots_of_slot.setdefault(s, []).append(j)
        self._free_after: list[list[int]] = [[] for _ in instrs]
        for s, k in enumerate(last_use):
            self._free_after[k].append(s)
        self.n_instructions = len(instrs)

    def __reduce__(self):
        # pickle the root expressions only (one canonical text each): the program holds every sub-node,
        # and pickling each of them by its text made a model with long payoffs quadratic to pickle
        return (_batch_from_roots, (self.exprs, self.shape))

    def __call__(self, values: Mapping[str, Any] | None = None) -> np.ndarray:
        """Evaluate all expressions.

        Returns
        -------
        numpy.ndarray
            Shape ``batch_shape + self.shape``, where ``batch_shape`` is the
            broadcast shape of the values of :attr:`names`.
        """
        arrays, batch = self._arrays(values)
        n_out = len(self._root_slots)
        out = np.empty(batch + (n_out,), dtype=np.float64)

        def store(k, r):
            for j in self._roots_of_slot[k]:
                out[..., j] = r

        self._run(arrays, batch, store)
        return out.reshape(batch + self.shape)

    def rows(self, values: Mapping[str, Any] | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Evaluate all expressions, batch axis last, each distinct value once.

        Returns
        -------
        values : numpy.ndarray
            Shape ``(R,) + batch_shape``: one row per distinct expression
            (structurally equal expressions share a row), each row contiguous.
        row : numpy.ndarray of int, shape ``(n,)``
            The row of each expression (flattened :attr:`shape` order):
            ``values[row]`` has the expressions' values in order.
        """
        arrays, batch = self._arrays(values)
        row_of = {s: i for i, s in enumerate(sorted(self._roots_of_slot))}
        out = np.empty((len(row_of),) + batch, dtype=np.float64)

        def store(k, r):
            out[row_of[k]] = r

        self._run(arrays, batch, store)
        return out, np.array([row_of[s] for s in self._root_slots], dtype=np.int64)

    def _arrays(self, values):
        arrays = _value_arrays(self.names, values, self)
        try:
            batch = np.broadcast_shapes(*(a.shape for a in arrays.values())) if arrays else ()
        except ValueError:
            shapes = ", ".join(f"{n}: {a.shape}" for n, a in sorted(arrays.items()))
            raise ExpressionError(f"parameter arrays do not broadcast together ({shapes})") from None
        return arrays, batch

    def _run(self, arrays, batch, store):
        """Execute the program, calling ``store(slot, value)`` for each slot that is a root."""
        regs: list[Any] = [None] * len(self._instrs)
        with np.errstate(all="ignore"):
            for k, (kind, arg, kids) in enumerate(self._instrs):
                if kind == "const":
                    r = np.float64(arg)
                elif kind == "name":
                    r = arrays[arg]
                elif kind == "neg":
                    r = np.negative(regs[kids[0]])
                elif kind == "pos":
                    r = regs[kids[0]]
                elif kind == "bin":
                    r = _BINARY_UFUNC[arg](regs[kids[0]], regs[kids[1]])
                else:
                    r = _apply_call(arg, [regs[c] for c in kids])
                if kind != "name" and not np.all(np.isfinite(r)):
                    raise self._non_finite(k, r, regs, arrays, batch)
                regs[k] = r
                if k in self._roots_of_slot:
                    store(k, r)
                for s in self._free_after[k]:
                    regs[s] = None

    def _non_finite(self, k, r, regs, arrays, batch) -> ExpressionError:
        kind, arg, kids = self._instrs[k]
        node = self._nodes[k]
        root = self.exprs[self._owner[k]]
        full = np.broadcast_to(r, batch)
        bad = np.argwhere(~np.isfinite(full))
        idx = tuple(int(i) for i in bad[0]) if bad.size else ()
        operands = [float(np.broadcast_to(regs[c], batch)[idx]) for c in kids]
        reason = "overflow"
        if kind == "bin" and arg == "/" and operands[1] == 0:
            reason = "division by zero"
        elif kind == "call" and arg == "log" and operands[0] <= 0:
            reason = "log of a non-positive number"
        elif kind == "call" and arg == "sqrt" and operands[0] < 0:
            reason = "sqrt of a negative number"
        elif kind == "bin" and arg == "**":
            b, e = operands
            if b == 0 and e < 0:
                reason = "zero to a negative power"
            elif b < 0 and e != math.floor(e):
                reason = "negative base to a non-integer power"
        elif kind == "const":
            reason = "constant is not finite"
        point = ", ".join(
            f"{n}={float(np.broadcast_to(a, batch)[idx])!r}" for n, a in sorted(arrays.items()) if n in node.names
        )
        where = f" at batch index {idx}" if batch else ""
        at = f" with {point}" if point else ""
        sub = "" if node is root else f": sub-expression {_short(str(node))!r}"
        return ExpressionError(
            f"expression {_short(str(root))!r}{sub} is not finite ({reason}){where}{at}"
        )


def compile_batch(exprs) -> BatchExpression:
    """Prepare many expressions (e.g. all payoffs of a game) for batch evaluation.

    Parameters
    ----------
    exprs : Expr, number, or nested sequence / object array of them
        Numbers stand for constant expressions.

    Returns
    -------
    BatchExpression
        Call it with a mapping of values; the result has shape
        ``batch_shape + shape_of_exprs``.

    Examples
    --------
    >>> f = compile_batch([[parse("p*a"), parse("(1-p)*a")], [0, 1]])
    >>> f({"p": [0.25, 0.5], "a": 4.0}).shape
    (2, 2, 2)
    """
    return BatchExpression(exprs)


def _object_array(exprs) -> np.ndarray:
    def shape_of(x):
        if isinstance(x, (Expr, str, int, float, Fraction, np.number)):
            return ()
        if isinstance(x, np.ndarray) and x.dtype != object:
            return x.shape
        try:
            items = list(x)
        except TypeError:
            raise ExpressionError(f"expected expressions, got {type(x).__name__}") from None
        if not items:
            return (0,)
        inner = [shape_of(i) for i in items]
        if any(s != inner[0] for s in inner):
            raise ExpressionError("expressions are not arranged in a regular (rectangular) array")
        return (len(items),) + inner[0]

    shape = shape_of(exprs)
    arr = np.empty(shape, dtype=object)

    def fill(x, index):
        if len(index) == len(shape):
            arr[index] = x
        else:
            for i, item in enumerate(x):
                fill(item, index + (i,))

    fill(exprs, ())
    return arr


def _as_expr(x) -> Expr:
    if isinstance(x, Expr):
        return x
    if isinstance(x, str):
        return parse(x)
    if isinstance(x, (int, float, Fraction, np.number)) and not isinstance(x, (bool, np.bool_)):
        v = x.item() if isinstance(x, np.number) else x
        f = _number_fraction(v)
        node = Number(abs(f))
        return UnaryOp("-", node) if f < 0 else node
    raise ExpressionError(f"expected an Expr or a number, got {type(x).__name__}: {x!r}")


def _value_arrays(names, values, where) -> dict[str, np.ndarray]:
    values = {} if values is None else values
    if not isinstance(values, Mapping):
        raise ExpressionError(f"values must be a mapping of names to numbers, got {type(values).__name__}")
    missing = sorted(n for n in names if n not in values)
    if missing:
        what = _short(str(where.exprs[0])) if len(where.exprs) == 1 else f"{len(where.exprs)} expressions"
        raise ExpressionError(f"no value given for {missing} (needed by {what!r})")
    arrays = {}
    for n in names:
        v = values[n]
        try:
            a = np.asarray(v)
            if a.dtype.kind not in "iuf":
                if a.dtype.kind != "O":
                    raise TypeError
                a = a.astype(np.float64)
            a = a.astype(np.float64, copy=False)
        except (TypeError, ValueError, OverflowError):
            raise ExpressionError(f"value of {n!r} must be a real number or array, got {_short(repr(v))}") from None
        if not np.all(np.isfinite(a)):
            raise ExpressionError(f"value of {n!r} must be finite, got {_short(repr(v))}")
        arrays[n] = a
    return arrays


def _short(text: str, n: int = 120) -> str:
    return text if len(text) <= n else text[: n - 3] + "..."


# ---------------------------------------------------------------------------
# Tokenizer and parser
# ---------------------------------------------------------------------------

_HINTS = {
    "=": "comparisons and assignments are not allowed",
    "<": "comparisons are not allowed",
    ">": "comparisons are not allowed",
    "!": "comparisons are not allowed",
    "[": "indexing is not allowed",
    "]": "indexing is not allowed",
    "'": "strings are not allowed",
    '"': "strings are not allowed",
    ".": "attribute access is not allowed",
    "%": "only + - * / ** ^ are allowed",
    "&": "only + - * / ** ^ are allowed",
    "|": "only + - * / ** ^ are allowed; write abs(x) for |x|",
}


class _Token:
    __slots__ = ("kind", "text", "pos", "value")

    def __init__(self, kind, text, pos, value=None):
        self.kind, self.text, self.pos, self.value = kind, text, pos, value

    def describe(self) -> str:
        if self.kind == "end":
            return "end of expression"
        if self.kind == "num":
            return f"number {self.text!r}"
        if self.kind == "name":
            return f"name {self.text!r}"
        return repr(self.text)


def _error(text: str, pos: int, message: str) -> ExpressionError:
    """An ExpressionError on one line: the message, the position and the text around it.

    The text is quoted (at most 80 characters around ``pos``, with ``...``
    where it is cut) followed by what stands at ``pos`` (``here: 'x'``), so
    the error fits the one line the command line promises.
    """
    shown = "".join(c if c.isprintable() and c not in "\t\r\n" else " " for c in text)
    if len(shown) > 80:
        start = max(0, min(pos - 40, len(shown) - 80))
        snippet = ("..." if start else "") + shown[start : start + 80] + ("..." if start + 80 < len(shown) else "")
    else:
        snippet = shown
    here = shown[pos : pos + 12].strip()
    here = f"here: {here!r}" if here else "here: end of expression"
    err = ExpressionError(f"{message} at position {pos} of {snippet!r} ({here})")
    err.expression = text  # type: ignore[attr-defined]
    err.position = pos  # type: ignore[attr-defined]
    return err


def _number_token(text: str, pos: int, m: re.Match, limits: Limits) -> _Token:
    lit = m.group(0)
    int_part = m.group(1) if m.group(1) is not None else ""
    frac_part = m.group(2) if m.group(1) is not None else m.group(3)
    frac_part = frac_part or ""
    exp_text = m.group(4)
    exponent = 0
    if exp_text is not None:
        digits = exp_text.lstrip("+-").lstrip("0")
        if len(digits) > 4:
            raise _error(text, pos, f"number {_short(lit, 40)!r} is out of range")
        exponent = int(exp_text)
    mantissa = int((int_part + frac_part) or "0")
    k = exponent - len(frac_part)
    if mantissa == 0:
        value = Fraction(0)
    else:
        # |k| <= 9999 + 2000, so these powers are bounded.
        value = Fraction(mantissa * 10**k) if k >= 0 else Fraction(mantissa, 10 ** (-k))
        mag = len(str(mantissa)) + k  # decimal magnitude of the value, roughly
        if mag > 309 or mag < -307:
            raise _error(text, pos, f"number {_short(lit, 40)!r} is out of the float64 range")
    try:
        fvalue = float(value)
    except OverflowError:
        fvalue = math.inf
    if not math.isfinite(fvalue) or (mantissa != 0 and fvalue == 0.0):
        raise _error(text, pos, f"number {_short(lit, 40)!r} is out of the float64 range")
    bits = value.numerator.bit_length() + value.denominator.bit_length()
    if bits > limits.max_bits:
        raise _error(text, pos, f"number {_short(lit, 40)!r} has too many digits")
    return _Token("num", lit, pos, value)


def _tokenize(text: str, limits: Limits) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c in " \t\r\n":
            i += 1
            continue
        if c.isdigit() and c.isascii() or (c == "." and i + 1 < n and text[i + 1].isascii() and text[i + 1].isdigit()):
            m = _NUMBER_RE.match(text, i)
            tok = _number_token(text, i, m, limits)
            j = m.end()
            if j < n and (text[j].isalnum() or text[j] in "_."):
                if text[j] == ".":
                    raise _error(text, j, "malformed number")
                raise _error(
                    text, j, "a number must not be followed directly by a name or digit (write 2*x, not 2x)"
                )
            tokens.append(tok)
            i = j
            continue
        if c.isascii() and (c.isalpha() or c == "_"):
            m = _NAME_RE.match(text, i)
            j = m.end()
            if j < n and not text[j].isascii() and (text[j].isalnum() or text[j] == "_"):
                raise _error(text, j, f"character {text[j]!r} is not allowed (names are ASCII)")
            tokens.append(_Token("name", m.group(0), i))
            i = j
            continue
        if c == "*" and i + 1 < n and text[i + 1] == "*":
            tokens.append(_Token("op", "**", i))
            i += 2
            continue
        if c == "^":
            tokens.append(_Token("op", "**", i))
            i += 1
            continue
        if c in "+-*/(),":
            tokens.append(_Token("op", c, i))
            i += 1
            continue
        hint = _HINTS.get(c, "")
        if not c.isascii() and (c.isalpha() or c.isdigit()):
            hint = "names and numbers are ASCII"
        raise _error(text, i, f"character {c!r} is not allowed" + (f" ({hint})" if hint else ""))
    tokens.append(_Token("end", "", n))
    return tokens


class _Parser:
    """Recursive descent with an explicit depth counter (see module docstring)."""

    def __init__(self, text: str, tokens: list[_Token], names: frozenset[str] | None, limits: Limits):
        self.text, self.tokens, self.names, self.limits = text, tokens, names, limits
        self.i = 0
        self.depth = 0
        self.count = 0
        self.minmax_args = 0

    # -- helpers
    @property
    def tok(self) -> _Token:
        return self.tokens[self.i]

    def advance(self) -> _Token:
        t = self.tokens[self.i]
        self.i += 1
        return t

    def error(self, pos: int, message: str) -> ExpressionError:
        return _error(self.text, pos, message)

    def enter(self, pos: int):
        self.depth += 1
        if self.depth > self.limits.max_depth:
            raise self.error(pos, f"expression is nested deeper than {self.limits.max_depth} levels")

    def leave(self):
        self.depth -= 1

    def make(self, pos: int, cls, *args) -> Expr:
        self.count += 1
        if self.count > self.limits.max_nodes:
            raise self.error(pos, f"expression has more than {self.limits.max_nodes} nodes")
        try:
            node = cls(*args)
        except ExpressionError as e:
            raise self.error(pos, str(e)) from None
        if isinstance(node, BinOp) and node.op == "**" and node.right._cval is not None:
            e = float(node.right._cval)
            if not abs(e) <= self.limits.max_exponent:
                raise self.error(
                    pos, f"constant exponent {e:g} exceeds the bound |exponent| <= {self.limits.max_exponent:g}"
                )
        if node._cval is not None and not np.isfinite(node._cval):
            raise self.error(
                pos, f"constant sub-expression {_short(str(node), 60)!r} is not finite "
                "(division by zero, log/sqrt of a negative number, or overflow)"
            )
        if node._bits > self.limits.max_bits:
            raise self.error(
                pos, f"expression is too large: powers would build numbers of more than "
                f"{self.limits.max_bits} bits"
            )
        return node

    def expect(self, text: str, opened: _Token | None = None):
        if self.tok.kind == "op" and self.tok.text == text:
            return self.advance()
        extra = f" to close {opened.text!r} at position {opened.pos}" if opened is not None else ""
        raise self.error(self.tok.pos, f"expected {text!r}{extra}, found {self.tok.describe()}")

    # -- grammar
    def parse(self) -> Expr:
        if self.tok.kind == "end":
            raise self.error(0, "empty expression")
        node = self.expression()
        if self.tok.kind != "end":
            t = self.tok
            hint = " (missing operator?)" if t.kind in ("name", "num") or t.text == "(" else ""
            raise self.error(t.pos, f"unexpected {t.describe()}{hint}")
        return node

    def expression(self) -> Expr:
        left = self.term()
        while self.tok.kind == "op" and self.tok.text in ("+", "-"):
            op = self.advance()
            right = self.term()
            left = self.make(op.pos, BinOp, op.text, left, right)
        return left

    def term(self) -> Expr:
        left = self.unary()
        while self.tok.kind == "op" and self.tok.text in ("*", "/"):
            op = self.advance()
            right = self.unary()
            left = self.make(op.pos, BinOp, op.text, left, right)
        return left

    def unary(self) -> Expr:
        if self.tok.kind == "op" and self.tok.text in ("+", "-"):
            op = self.advance()
            self.enter(op.pos)
            operand = self.unary()
            self.leave()
            return self.make(op.pos, UnaryOp, op.text, operand)
        return self.power()

    def power(self) -> Expr:
        base = self.atom()
        if self.tok.kind == "op" and self.tok.text == "**":
            op = self.advance()
            self.enter(op.pos)
            exponent = self.unary()
            self.leave()
            return self.make(op.pos, BinOp, "**", base, exponent)
        return base

    def atom(self) -> Expr:
        t = self.tok
        if t.kind == "num":
            self.advance()
            return self.make(t.pos, Number, t.value)
        if t.kind == "name":
            self.advance()
            if self.tok.kind == "op" and self.tok.text == "(":
                return self.call(t)
            if t.text in FUNCTIONS:
                raise self.error(t.pos, f"{t.text!r} is a function; call it as {t.text}(...)")
            if self.names is not None and t.text not in self.names:
                raise self.error(t.pos, _unknown_name_message(t.text, self.names))
            return self.make(t.pos, Name, t.text)
        if t.kind == "op" and t.text == "(":
            self.advance()
            self.enter(t.pos)
            node = self.expression()
            self.expect(")", t)
            self.leave()
            return node
        raise self.error(t.pos, f"expected a number, a name, a function call or '(', found {t.describe()}")

    def call(self, name: _Token) -> Expr:
        if name.text not in FUNCTIONS:
            close = difflib.get_close_matches(name.text, list(FUNCTIONS), n=3)
            did = f"; did you mean {' or '.join(close)}?" if close else ""
            raise self.error(
                name.pos, f"unknown function {name.text!r} (allowed: {', '.join(FUNCTIONS)}){did}"
            )
        opened = self.advance()
        self.enter(opened.pos)
        args = [self.expression()]
        while self.tok.kind == "op" and self.tok.text == ",":
            self.advance()
            args.append(self.expression())
        self.expect(")", opened)
        self.leave()
        lo, hi = FUNCTIONS[name.text]
        if len(args) < lo or (hi is not None and len(args) > hi):
            raise self.error(name.pos, f"{name.text}() takes {_arity_text(name.text)}, got {len(args)}")
        if name.text in ("min", "max"):
            self.minmax_args += len(args)
            if self.minmax_args > self.limits.max_minmax_args:
                raise self.error(
                    name.pos, f"min/max calls have more than {self.limits.max_minmax_args} arguments in total"
                )
        return self.make(name.pos, Call, name.text, args)


def _unknown_name_message(name: str, known: frozenset[str]) -> str:
    close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    msg = f"unknown name {name!r}"
    if close:
        msg += f"; did you mean {', '.join(repr(c) for c in close)}?"
    if len(known) <= 12:
        msg += f" (known names: {', '.join(sorted(known)) or 'none'})"
    return msg


def parse(text: str, *, names: Iterable[str] | None = None, limits: Limits = DEFAULT_LIMITS) -> Expr:
    """Parse an expression safely (see the module docstring for the grammar).

    Parameters
    ----------
    text : str
        The expression, e.g. ``"p*(a_DC - a_SQ) + (1-p)*a_SC"``.
    names : iterable of str, optional
        The allowed parameter names.  When given, any other name is an error
        that names it and suggests close matches.
    limits : Limits, optional
        Bounds on size, depth, exponents (default :data:`DEFAULT_LIMITS`).

    Returns
    -------
    Expr

    Raises
    ------
    ExpressionError
        For any text outside the grammar or the bounds.  The message quotes
        the text with a caret under the offending character; the exception
        has attributes ``expression`` (the text) and ``position``.
    """
    if not isinstance(text, str):
        raise ExpressionError(f"an expression must be a string, got {type(text).__name__}")
    if len(text) > limits.max_length:
        err = ExpressionError(
            f"expression is {len(text)} characters long; the limit is {limits.max_length}: {_short(text, 60)!r}"
        )
        err.expression, err.position = text, limits.max_length  # type: ignore[attr-defined]
        raise err
    allowed = None
    if names is not None:
        if isinstance(names, str):
            names = [names]
        allowed = frozenset(names)
    tokens = _tokenize(text, limits)
    expr = _Parser(text, tokens, allowed, limits).parse()
    # One canonical form that round-trips: what is accepted must print (compact) within the same limit, or a
    # model could be loaded but never saved, pickled or sent to a Dask worker (which re-parse str(e)).
    # Printing grows a text at most twofold ("^" -> "**", ".5" -> "0.5"), so short texts need no check.
    if len(text) * 2 > limits.max_length:
        n = len(expr.compact())
        if n > limits.max_length:
            err = ExpressionError(
                f"expression's canonical form is {n} characters long ('^' is written '**'); the limit is "
                f"{limits.max_length}: {_short(text, 60)!r}")
            err.expression, err.position = text, 0  # type: ignore[attr-defined]
            raise err
    return expr
