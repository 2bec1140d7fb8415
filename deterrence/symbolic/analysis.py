"""Symbolic equilibrium conditions, thresholds and comparative statics.

For a parametric model (payoffs and chance probabilities written as
expressions in named parameters) this module derives, with sympy, *where in
parameter space* each equilibrium holds:

* **Normal form, pure Nash equilibria.**  A pure profile ``a`` is a Nash
  equilibrium exactly when no player gains by a unilateral deviation,
  ``u_i(a) >= u_i(b_i, a_{-i})`` for every player ``i`` and action ``b_i``
  (Nash 1951).  :func:`nash_conditions` returns this conjunction of
  inequalities for every profile.
* **2x2 games, the completely mixed equilibrium.**  Each player mixes so as
  to make the *other* indifferent (the indifference principle; e.g. Osborne
  2004, sec. 4.10): the row player puts probability
  ``x = (b22 - b21) / (b11 - b21 - b12 + b22)`` on her first action and the
  column player ``y = (a22 - a12) / (a11 - a12 - a21 + a22)`` on his.  The
  equilibrium exists when both denominators are non-zero and ``0 < x, y < 1``
  (:func:`mixed_equilibrium_2x2`).
* **Game trees, subgame-perfect outcomes.**  A pure strategy profile of a
  perfect-information tree (chance moves allowed) is subgame perfect exactly
  when no mover gains by a one-shot deviation at any decision node (the
  one-shot deviation principle, Osborne & Rubinstein 1994, Lemma 98.2), given
  the continuation values of the profile.  :func:`spe_conditions` writes this
  condition symbolically for every pure profile.  An information set whose
  nodes differ only by chance (a player who does not know the opponent's
  type) is handled by comparing *expected* continuation values weighted by
  the chance probabilities of reaching each node: sequential rationality with
  beliefs from the prior (Bayes' rule on the path).  In the rudimentary
  asymmetric deterrence game of Zagare & Kilgour (2000), this gives the
  classic result that the challenger challenges exactly when the defender's
  credibility is below a threshold, ``p_B < (a_DC - a_SQ)/(a_DC - a_DD)``.
  :func:`outcome_conditions` collects the profiles by outcome.
* :func:`threshold` solves the boundary of a condition for one parameter;
  :func:`comparative_statics` signs the derivative of an outcome probability
  or an equilibrium payoff with respect to a parameter on the region where
  an equilibrium holds: proven symbolically where sympy can (``proven=True``),
  otherwise estimated by dense sampling (``proven=False``, stated).

All conditions use weak inequalities, so on a boundary (a tie) several
conditions hold at once; away from boundaries exactly one pure SPE profile
holds in a generic tree.  Conditions evaluate numerically on a batch of
points with :meth:`Condition.holds` (vectorized with numpy).

References
----------
J. Nash (1951), "Non-cooperative games", *Annals of Mathematics* 54: 286-295.
M. Osborne & A. Rubinstein (1994), *A Course in Game Theory*, MIT Press.
M. Osborne (2004), *An Introduction to Game Theory*, Oxford UP.
F. Zagare & D. M. Kilgour (2000), *Perfect Deterrence*, Cambridge UP.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Any, Mapping

import numpy as np
import sympy

from ..errors import ExpressionError, ModelError, SolverError

__all__ = [
    "Condition", "SymbolicNormalForm", "SymbolicTree", "as_symbolic",
    "nash_conditions", "MixedSolution2x2", "mixed_equilibrium_2x2",
    "SPECase", "spe_conditions", "outcome_conditions", "Threshold", "threshold",
    "StaticsCase", "ComparativeStatics", "comparative_statics", "latex_payoffs",
]

#: Largest number of pure strategy profiles :func:`spe_conditions` enumerates.
MAX_PROFILES = 4096


# ---------------------------------------------------------------------- conditions
@dataclass(frozen=True, eq=False)
class Condition:
    """A region of parameter space as a sympy boolean in the parameters.

    Attributes
    ----------
    label : str
        What holds there (an equilibrium profile, an outcome).
    expr : sympy.Basic
        A sympy boolean: ``And``/``Or`` of inequalities, or ``true``/``false``.
    symbols : dict
        Parameter name -> sympy symbol.
    """

    label: str
    expr: Any
    symbols: Mapping[str, Any] = field(repr=False)

    @property
    def names(self) -> tuple:
        """Parameters the condition depends on."""
        free = getattr(self.expr, "free_symbols", set())
        return tuple(n for n, s in self.symbols.items() if s in free)

    @property
    def inequalities(self) -> list:
        """The atomic inequalities (sympy relationals) in the condition."""
        return sorted(self.expr.atoms(sympy.core.relational.Relational), key=sympy.default_sort_key) \
            if isinstance(self.expr, sympy.Basic) else []

    @property
    def always(self) -> bool:
        return self.expr is sympy.true

    @property
    def never(self) -> bool:
        return self.expr is sympy.false

    def latex(self) -> str:
        return sympy.latex(self.expr)

    def __str__(self) -> str:
        return f"{self.label}: {self.expr}"

    def holds(self, values: Mapping[str, Any] | None = None, **kw) -> np.ndarray:
        """Evaluate the condition at one point or a batch (arrays broadcast); boolean array."""
        values = dict(values or {}, **kw)
        return _evaluate_boolean(self.expr, self.symbols, values)


def _evaluate_boolean(expr, symbols, values) -> np.ndarray:
    if expr is sympy.true or expr is sympy.false:
        shape = np.broadcast_shapes(*(np.shape(v) for v in values.values())) if values else ()
        return np.full(shape, expr is sympy.true)
    names = [n for n, s in symbols.items() if s in expr.free_symbols]
    missing = [n for n in names if n not in values]
    if missing:
        raise ExpressionError(f"condition {expr}: no value for {missing}")
    fn = _lambdify(tuple(symbols[n] for n in names), expr)
    args = np.broadcast_arrays(*(np.asarray(values[n], dtype=float) for n in names)) if names else []
    out = fn(*args)
    shape = args[0].shape if names else ()
    return np.broadcast_to(np.asarray(out, dtype=bool), shape)


_LAMBDA_CACHE: dict = {}


def _lambdify(syms, expr):
    key = (syms, expr)
    fn = _LAMBDA_CACHE.get(key)
    if fn is None:
        # lambdify generates code from a sympy tree built by this package (never from user text).
        fn = sympy.lambdify(syms, expr, modules="numpy")
        if len(_LAMBDA_CACHE) > 512:
            _LAMBDA_CACHE.clear()
        _LAMBDA_CACHE[key] = fn
    return fn


def _evaluate_expr(expr, symbols, values) -> np.ndarray:
    expr = sympy.sympify(expr) if not isinstance(expr, sympy.Basic) else expr
    names = [n for n, s in symbols.items() if s in expr.free_symbols]
    args = [np.asarray(values[n], dtype=float) for n in names]
    shape = np.broadcast_shapes(*(a.shape for a in args)) if args else ()
    with np.errstate(all="ignore"):
        out = _lambdify(tuple(symbols[n] for n in names), expr)(*args)
    return np.broadcast_to(np.asarray(out, dtype=float), shape)


def _ge(lhs, rhs):
    """``lhs >= rhs`` as a sympy relational, simplified; ``true``/``false`` when decided."""
    diff = sympy.cancel(sympy.expand(lhs - rhs))
    if diff.is_nonnegative:
        return sympy.true
    if diff.is_negative:
        return sympy.false
    # Present it as "positive terms >= negative terms" so a reader sees both sides.
    num, den = sympy.fraction(sympy.together(diff))
    if den.is_positive:
        diff = sympy.expand(num)
    pos = sympy.Add(*[t for t in sympy.Add.make_args(diff) if not t.could_extract_minus_sign()])
    neg = sympy.Add(*[-t for t in sympy.Add.make_args(diff) if t.could_extract_minus_sign()])
    return sympy.Ge(pos, neg, evaluate=False) if pos != 0 or neg != 0 else sympy.true


def _gt(lhs, rhs):
    diff = sympy.cancel(sympy.expand(lhs - rhs))
    if diff.is_positive:
        return sympy.true
    if diff.is_nonpositive:
        return sympy.false
    return sympy.Gt(diff, 0)


# ---------------------------------------------------------------------- symbolic models
@dataclass(frozen=True, eq=False)
class SymbolicNormalForm:
    """A normal-form game with sympy payoffs.

    ``payoffs[a_1, ..., a_n, i]`` (an object array) is player *i*'s payoff.
    ``bounds`` maps a parameter name to its ``(low, high)`` domain (for sampling);
    ``assumptions`` is a sympy boolean of the model's standing constraints
    (e.g. a preference ordering), used to discard cases that contradict them.
    """

    players: tuple
    actions: tuple
    payoffs: np.ndarray
    symbols: Mapping[str, Any]
    bounds: Mapping[str, tuple] = field(default_factory=dict)
    name: str = ""
    assumptions: Any = sympy.true


@dataclass(frozen=True, eq=False)
class SymbolicTree:
    """A game tree (structure from a :class:`~deterrence.games.GameTree`) with sympy payoffs.

    ``payoffs[t, i]`` is player *i*'s payoff at terminal *t*; ``chance[e]``
    the probability of edge *e* below a chance node (sympy, 0 elsewhere).
    """

    tree: Any
    payoffs: np.ndarray
    chance: np.ndarray
    symbols: Mapping[str, Any]
    bounds: Mapping[str, tuple] = field(default_factory=dict)
    name: str = ""
    assumptions: Any = sympy.true

    @property
    def players(self):
        return self.tree.players


def _to_sympy_array(arr, symbols) -> np.ndarray:
    arr = np.asarray(arr, dtype=object)
    out = np.empty(arr.shape, dtype=object)
    for idx, v in np.ndenumerate(arr):
        if hasattr(v, "to_sympy"):
            out[idx] = v.to_sympy(symbols)
        elif isinstance(v, sympy.Basic):
            out[idx] = v
        elif isinstance(v, (int, float, np.integer, np.floating)):
            out[idx] = sympy.nsimplify(float(v), rational=True) if not isinstance(v, (int, np.integer)) \
                else sympy.Integer(int(v))
        else:
            raise ExpressionError(f"cannot make a symbolic expression of {v!r}")
    return out


def _space_info(model):
    """(symbols, bounds) of a parametric model's parameters."""
    space = getattr(model, "parameters", None)
    if space is None:
        raise ModelError(f"{model!r} has no parameters")
    symbols = None
    if hasattr(space, "symbols"):
        s = space.symbols
        symbols = dict(s() if callable(s) else s)
    params = _parameter_list(space)
    if symbols is None:
        symbols = {p.name: sympy.Symbol(p.name, real=True) for p in params}
    bounds = {}
    for p in params:
        lo, hi = _domain_bounds(p)
        bounds[p.name] = (lo, hi)
    return symbols, bounds


def _parameter_list(space) -> list:
    if hasattr(space, "parameters"):
        ps = space.parameters
        ps = ps() if callable(ps) else ps
        return list(ps.values()) if isinstance(ps, Mapping) else list(ps)
    if isinstance(space, Mapping):
        return list(space.values())
    return list(space)


def _domain_bounds(p) -> tuple:
    """Finite sampling bounds of a parameter: its domain, clipped to a window around the default."""
    dom = getattr(p, "domain", None)
    lo = hi = None
    if dom is not None and hasattr(dom, "bounds"):
        lo, hi = dom.bounds
    d = getattr(p, "default", None)
    d = 0.0 if d is None else float(d)
    lo = -np.inf if lo is None else float(lo)
    hi = np.inf if hi is None else float(hi)
    width = max(10.0, 2 * abs(d))
    if not np.isfinite(lo):
        lo = (min(hi, d) if np.isfinite(hi) else d) - width
    if not np.isfinite(hi):
        hi = max(lo, d) + width
    return (lo, hi)


def as_symbolic(model):
    """The symbolic form of a parametric model (normal form or tree).

    Accepts a :class:`SymbolicNormalForm` / :class:`SymbolicTree` (returned
    as is) or a parametric model with ``.parameters``, ``.symbolic_payoffs()``
    and ``.at()``.
    """
    if isinstance(model, (SymbolicNormalForm, SymbolicTree)):
        return model
    if not hasattr(model, "symbolic_payoffs"):
        raise ModelError(f"{type(model).__name__} is not a parametric model (no symbolic payoffs)")
    cached = getattr(model, "_symbolic_form_cache", None)
    if cached is not None:
        return cached
    symbols, bounds = _space_info(model)
    game = model.at()
    sp = model.symbolic_payoffs()
    name = getattr(model, "name", "") or ""
    assumptions = _constraint_assumptions(model, symbols)
    from ..games import GameTree, NormalFormGame
    if isinstance(game, NormalFormGame):
        pay = _to_sympy_array(_payoff_array(sp, game), symbols)
        out = SymbolicNormalForm(players=game.players, actions=game.actions, payoffs=pay, symbols=symbols,
                                 bounds=bounds, name=name, assumptions=assumptions)
    elif isinstance(game, GameTree):
        pay, chance = _tree_payoffs(sp, model, game)
        out = SymbolicTree(tree=game, payoffs=_to_sympy_array(pay, symbols),
                           chance=_to_sympy_array(chance, symbols), symbols=symbols, bounds=bounds, name=name,
                           assumptions=assumptions)
    else:
        out = None
    if out is not None:
        try:
            model._symbolic_form_cache = out
        except AttributeError:
            pass
        return out
    raise ModelError(f"{type(model).__name__}.at() returned {type(game).__name__}, not a game")


def _constraint_assumptions(model, symbols):
    """The model's constraints (``"a_DD < a_SQ < a_DC"``) as a sympy conjunction."""
    parts = []
    ops = {"<": sympy.StrictLessThan, "<=": sympy.LessThan, ">": sympy.StrictGreaterThan, ">=": sympy.GreaterThan}
    for c in getattr(model, "constraints", ()) or ():
        exprs = [e.to_sympy(symbols) for e in c.exprs]
        for op, a, b in zip(c.ops, exprs, exprs[1:]):
            parts.append(ops[op](a, b))
    return sympy.And(*parts)


def _payoff_array(sp, game) -> np.ndarray:
    if isinstance(sp, Mapping) and "payoffs" in sp:
        sp = sp["payoffs"]
    if isinstance(sp, Mapping):      # {profile labels: (payoff of each player)}
        arr = np.empty(game.num_actions + (game.n_players,), dtype=object)
        for idx in np.ndindex(*game.num_actions):
            prof = tuple(game.actions[i][a] for i, a in enumerate(idx))
            if prof not in sp:
                raise ModelError(f"symbolic payoffs: no entry for profile {prof}")
            for i in range(game.n_players):
                arr[idx + (i,)] = sp[prof][i]
        return arr
    arr = np.asarray(sp, dtype=object)
    want = game.num_actions + (game.n_players,)
    if arr.shape != want:
        raise ModelError(f"symbolic payoffs have shape {arr.shape}, the game {want}")
    return arr


def _tree_payoffs(sp, model, tree):
    """(payoffs (T, n), chance (E,)) object arrays from a tree model's symbolic payoffs."""
    chance = None
    if isinstance(sp, Mapping) and "payoffs" in sp:
        chance = sp.get("chance")
        sp = sp["payoffs"]
    elif isinstance(sp, tuple) and len(sp) == 2 and not isinstance(sp[0], (str, sympy.Basic)):
        sp, chance = sp
    if isinstance(sp, Mapping):       # {terminal id or outcome: [payoffs]}
        rows = []
        term_nodes = np.flatnonzero(tree.terminal >= 0)
        for v in term_nodes:
            key = tree.node_ids[v]
            if key not in sp:
                raise ModelError(f"symbolic payoffs: no entry for terminal {key!r}")
            row = sp[key]
            if isinstance(row, Mapping):
                row = [row[p] for p in tree.players]
            rows.append(list(row))
        pay = np.asarray(rows, dtype=object)
    else:
        pay = np.asarray(sp, dtype=object)
    if pay.shape != (tree.n_terminals, tree.n_players):
        raise ModelError(f"symbolic tree payoffs have shape {pay.shape}, the tree ({tree.n_terminals}, {tree.n_players})")
    E = len(tree.child_index)
    if chance is None and hasattr(model, "symbolic_probabilities"):
        nested = model.symbolic_probabilities()
        chance = {(nid, a): pr for nid, d in nested.items() for a, pr in d.items()}
    out = np.empty(E, dtype=object)
    out[:] = 0
    if chance is None:
        cp = tree.chance_probs[0]
        for e in range(E):
            out[e] = float(cp[e])
    elif isinstance(chance, Mapping):     # {(node id, action): prob} or {edge: prob}
        ep = tree.edge_parent
        for e in range(E):
            key = (tree.node_ids[ep[e]], tree.edge_label[e])
            if key in chance:
                out[e] = chance[key]
            elif e in chance:
                out[e] = chance[e]
            else:
                out[e] = float(tree.chance_probs[0, e])
    else:
        ch = np.asarray(chance, dtype=object)
        if ch.shape != (E,):
            raise ModelError(f"symbolic chance probabilities have shape {ch.shape}, the tree ({E},)")
        out[:] = ch
    return pay, out


# ---------------------------------------------------------------------- normal form
def nash_conditions(model) -> dict:
    """Where each pure profile of a parametric normal-form game is a Nash equilibrium.

    Returns
    -------
    dict
        ``{profile (tuple of action labels): Condition}``, in lexicographic
        order of profiles; the condition is the conjunction over players *i*
        and deviations *b* of ``u_i(a) >= u_i(b, a_{-i})`` (Nash 1951),
        with trivially true inequalities dropped (``Condition.always``) and
        profiles that can never be equilibria marked ``Condition.never``.
    """
    g = as_symbolic(model)
    if not isinstance(g, SymbolicNormalForm):
        raise SolverError("nash_conditions needs a normal-form model; for a game tree use spe_conditions")
    U = g.payoffs
    n = len(g.players)
    out = {}
    for prof in product(*(range(len(a)) for a in g.actions)):
        parts = []
        for i in range(n):
            for b in range(len(g.actions[i])):
                if b == prof[i]:
                    continue
                dev = prof[:i] + (b,) + prof[i + 1:]
                parts.append(_ge(U[prof + (i,)], U[dev + (i,)]))
        label = tuple(g.actions[i][a] for i, a in enumerate(prof))
        expr = _prune(sympy.And(*parts), _region_atoms(g.assumptions))
        out[label] = Condition(label="(" + ", ".join(label) + ")", expr=expr, symbols=g.symbols)
    return out


@dataclass(frozen=True, eq=False)
class MixedSolution2x2:
    """The completely mixed equilibrium of a 2x2 game, as formulas.

    Attributes
    ----------
    row_prob, column_prob : sympy expressions
        Probability of the first action of the row and of the column player.
    payoffs : tuple of sympy expressions
        Expected equilibrium payoffs (row, column).
    condition : Condition
        Where the equilibrium exists: denominators non-zero and both
        probabilities strictly between 0 and 1.
    """

    row_prob: Any
    column_prob: Any
    payoffs: tuple
    condition: Condition
    players: tuple
    actions: tuple
    symbols: Mapping[str, Any] = field(repr=False)

    def evaluate(self, values) -> dict:
        """Numeric probabilities and payoffs at a point or a batch (NaN where the formulas are undefined)."""
        return {"row_prob": _evaluate_expr(self.row_prob, self.symbols, values),
                "column_prob": _evaluate_expr(self.column_prob, self.symbols, values),
                "payoffs": tuple(_evaluate_expr(p, self.symbols, values) for p in self.payoffs)}

    def latex(self) -> str:
        r, c = self.players
        return (f"\\sigma_{{\\text{{{r}}}}}(\\text{{{self.actions[0][0]}}}) = {sympy.latex(self.row_prob)},\\quad "
                f"\\sigma_{{\\text{{{c}}}}}(\\text{{{self.actions[1][0]}}}) = {sympy.latex(self.column_prob)}")


def mixed_equilibrium_2x2(model) -> MixedSolution2x2:
    """The completely mixed Nash equilibrium of a parametric 2x2 game by the indifference formulas.

    With row payoffs ``a_jk`` and column payoffs ``b_jk`` (``j`` the row,
    ``k`` the column), the row player's mix ``x`` on row 1 makes the column
    player indifferent, ``x b_11 + (1-x) b_21 = x b_12 + (1-x) b_22``, and the
    column player's mix ``y`` on column 1 makes the row player indifferent
    (Osborne 2004, sec. 4.10).  Degenerate games (a zero denominator, where a
    continuum of equilibria may exist) are outside the stated condition.
    """
    g = as_symbolic(model)
    if not isinstance(g, SymbolicNormalForm) or g.payoffs.shape != (2, 2, 2):
        raise SolverError("mixed_equilibrium_2x2 needs a two-player game with two actions each")
    A, B = g.payoffs[..., 0], g.payoffs[..., 1]
    dx = B[0, 0] - B[1, 0] - B[0, 1] + B[1, 1]
    dy = A[0, 0] - A[0, 1] - A[1, 0] + A[1, 1]
    x = sympy.cancel((B[1, 1] - B[1, 0]) / dx) if dx != 0 else sympy.nan
    y = sympy.cancel((A[1, 1] - A[0, 1]) / dy) if dy != 0 else sympy.nan
    if dx == 0 or dy == 0:
        cond = sympy.false
        pay = (sympy.nan, sympy.nan)
    else:
        # 0 < x < 1 with x = N/D  <=>  N*D > 0 and (D - N)*D > 0 (no division: valid where D != 0)
        nx, ny = B[1, 1] - B[1, 0], A[1, 1] - A[0, 1]
        cond = sympy.And(_gt(sympy.expand(nx * dx), 0), _gt(sympy.expand((dx - nx) * dx), 0),
                         _gt(sympy.expand(ny * dy), 0), _gt(sympy.expand((dy - ny) * dy), 0))
        u_row = sympy.cancel(y * A[0, 0] + (1 - y) * A[0, 1])
        u_col = sympy.cancel(x * B[0, 0] + (1 - x) * B[1, 0])
        pay = (u_row, u_col)
    return MixedSolution2x2(row_prob=x, column_prob=y, payoffs=pay,
                            condition=Condition(label="completely mixed equilibrium", expr=cond, symbols=g.symbols),
                            players=g.players, actions=g.actions, symbols=g.symbols)


# ---------------------------------------------------------------------- trees
@dataclass(frozen=True, eq=False)
class SPECase:
    """One pure strategy profile of a tree and where it is subgame perfect.

    Attributes
    ----------
    strategy : dict
        Information-set label -> chosen action label.
    choice : tuple of int
        Chosen action index per information set (the tree's order).
    condition : Condition
    outcome_probabilities : dict
        Outcome label -> sympy probability on the equilibrium path (labels
        with probability identically zero are left out).
    payoffs : dict
        Player -> sympy expected payoff.
    """

    strategy: dict
    choice: tuple
    condition: Condition
    outcome_probabilities: dict
    payoffs: dict

    @property
    def outcome_label(self) -> str:
        """The outcomes on the path, ``"war"`` or ``"war | status quo"`` (with chance moves)."""
        return " | ".join(self.outcome_probabilities)


def spe_conditions(model, *, max_profiles: int = MAX_PROFILES) -> list[SPECase]:
    """Every pure strategy profile of a parametric tree with the condition under which it is an SPE.

    The condition is the one-shot deviation test at every information set,
    written symbolically: for a single-node information set ``v`` of player
    *i*, ``W_i(child(v, chosen)) >= W_i(child(v, b))`` for every other
    action *b*, where ``W`` are the continuation values of the profile
    (Osborne & Rubinstein 1994, Lemma 98.2).  For an information set with
    several nodes, the differences are weighted by the probability of
    reaching each node under chance and the other players' choices (beliefs
    from the prior by Bayes' rule; the Zagare & Kilgour 2000 challenger who
    does not know the defender's type); an information set off the path puts
    no restriction on its action.  Profiles whose condition is identically
    false are left out.

    Raises
    ------
    SolverError
        For a normal-form model, or when there are more than *max_profiles* pure profiles.
    """
    g = as_symbolic(model)
    if not isinstance(g, SymbolicTree):
        raise SolverError("spe_conditions needs a game-tree model; for a normal form use nash_conditions")
    t = g.tree
    sizes = [len(h.actions) for h in t.infosets]
    total = int(np.prod(sizes)) if sizes else 1
    if total > max_profiles:
        raise SolverError(f"the tree has {total} pure strategy profiles; the symbolic analysis enumerates at most "
                          f"{max_profiles} (raise max_profiles)")
    N, n = t.n_nodes, t.n_players
    ptr, kind = t.child_ptr, t.kind
    kids_of = [t.child_index[ptr[v]:ptr[v + 1]] for v in range(N)]
    cases = []
    for choice in product(*(range(s) for s in sizes)):
        # continuation values, bottom-up (children have larger indices)
        W = [None] * N
        for v in range(N - 1, -1, -1):
            if kind[v] == 0:
                W[v] = [g.payoffs[t.terminal[v], i] for i in range(n)]
            elif kind[v] == 2:
                W[v] = [sympy.expand(sum(g.chance[ptr[v] + k] * W[c][i] for k, c in enumerate(kids_of[v])))
                        for i in range(n)]
            else:
                c = kids_of[v][choice[t.infoset[v]]]
                W[v] = W[c]
        # reach weights by chance and the profile, top-down (children after parents)
        R = [sympy.Integer(0)] * N
        R[0] = sympy.Integer(1)
        for v in range(N):
            if kind[v] == 0 or R[v] == 0:
                continue
            if kind[v] == 2:
                for k, c in enumerate(kids_of[v]):
                    R[c] = R[v] * g.chance[ptr[v] + k]
            else:
                R[kids_of[v][choice[t.infoset[v]]]] = R[v]
        parts = []
        for h_idx, h in enumerate(t.infosets):
            a = choice[h_idx]
            i = h.player
            nodes = list(h.nodes)
            for b in range(sizes[h_idx]):
                if b == a:
                    continue
                if len(nodes) == 1:
                    v = nodes[0]
                    parts.append(_ge(W[kids_of[v][a]][i], W[kids_of[v][b]][i]))
                else:
                    # weights: reach by chance and others, excluding the player's own choice here
                    wsum = sum(_reach_excluding(t, R, kids_of, choice, v, g) * (W[kids_of[v][a]][i] - W[kids_of[v][b]][i])
                               for v in nodes)
                    parts.append(_ge(wsum, 0))
        cond = _prune(sympy.And(*parts), _region_atoms(g.assumptions))
        if cond is sympy.false:
            continue
        # outcome distribution on the path
        probs: dict = {}
        for v in np.flatnonzero(t.terminal >= 0):
            if R[v] == 0:
                continue
            lab = str(t.outcomes[t.terminal[v]])
            probs[lab] = probs.get(lab, 0) + R[v]
        probs = {k: sympy.factor(sympy.expand(p)) for k, p in probs.items() if sympy.expand(p) != 0}
        pay = {t.players[i]: sympy.factor(sympy.expand(W[0][i])) for i in range(n)}
        strategy = {h.label: h.actions[choice[k]] for k, h in enumerate(t.infosets)}
        label = ", ".join(f"{t.players[h.player]}@{h.label}: {h.actions[choice[k]]}" for k, h in enumerate(t.infosets))
        cases.append(SPECase(strategy=strategy, choice=tuple(choice),
                             condition=Condition(label=label, expr=cond, symbols=g.symbols),
                             outcome_probabilities=probs, payoffs=pay))
    return cases


def _reach_excluding(t, R, kids_of, choice, v, g):
    """Probability of reaching decision node *v* when play follows the profile above it (R[v]),
    or, when the profile's own choices of v's player cut v off, the chance probability alone
    along the path (the player's own earlier choices are the same at every node of an
    information set under perfect recall, so they scale all weights alike)."""
    if R[v] != 0:
        return R[v]
    # walk up: product of chance probabilities and indicators of the other players' choices
    w = sympy.Integer(1)
    mover = t.player[v]
    c = v
    while t.parent[c] >= 0:
        p = t.parent[c]
        k = int(np.flatnonzero(kids_of[p] == c)[0])
        if t.kind[p] == 2:
            w = w * g.chance[t.child_ptr[p] + k]
        elif t.player[p] != mover and choice[t.infoset[p]] != k:
            return sympy.Integer(0)
        c = p
    return w


def outcome_conditions(model) -> dict:
    """Where each outcome occurs (with positive probability) on a subgame-perfect path.

    Returns
    -------
    dict
        ``{outcome label: Condition}``: the disjunction over SPE profiles of
        "the profile is an SPE and reaches the outcome with positive
        probability".
    """
    cases = spe_conditions(model)
    g = as_symbolic(model)
    labels = []
    for v in np.flatnonzero(g.tree.terminal >= 0):
        lab = str(g.tree.outcomes[g.tree.terminal[v]])
        if lab not in labels:
            labels.append(lab)
    out = {}
    for lab in labels:
        terms = []
        for c in cases:
            p = c.outcome_probabilities.get(lab)
            if p is None:
                continue
            terms.append(sympy.And(c.condition.expr, _gt(p, 0)))
        out[lab] = Condition(label=lab, expr=sympy.Or(*terms) if terms else sympy.false, symbols=g.symbols)
    return out


# ---------------------------------------------------------------------- thresholds
@dataclass(frozen=True, eq=False)
class Threshold:
    """Boundary values of a parameter where a condition switches.

    Attributes
    ----------
    parameter : str
    values : tuple of sympy expressions
        Each a solution of one boundary equation of the condition for the parameter.
    condition : Condition
    """

    parameter: str
    values: tuple
    condition: Condition

    @property
    def expr(self):
        """The threshold when there is exactly one."""
        if len(self.values) != 1:
            raise SolverError(f"{len(self.values)} thresholds for {self.parameter} in {self.condition.label!r}: "
                              f"{[str(v) for v in self.values]}")
        return self.values[0]

    def evaluate(self, values) -> np.ndarray:
        return _evaluate_expr(self.expr, self.condition.symbols, values)

    def latex(self) -> str:
        sym = sympy.latex(self.condition.symbols[self.parameter])
        return ",\\; ".join(f"{sym} = {sympy.latex(v)}" for v in self.values)


def threshold(model, condition_or_outcome, solve_for: str, *, given=None) -> Threshold:
    """Solve the boundary of a condition for one parameter.

    Parameters
    ----------
    model : parametric model (or its symbolic form)
    condition_or_outcome : Condition, str or tuple
        A :class:`Condition`; an outcome label of a tree model; or a pure
        profile (tuple of action labels) of a normal-form model.
    solve_for : str
        The parameter.
    given : Condition or sympy boolean, optional
        Standing assumptions (e.g. the preference orderings of the model):
        parts of the condition that contradict them are dropped.

    Returns
    -------
    Threshold
        The distinct solutions of ``lhs = rhs`` for every inequality of the
        condition that involves the parameter (e.g. the credibility
        threshold ``(a_DC - a_SQ)/(a_DC - a_DD)`` of Zagare & Kilgour 2000).
    """
    g = as_symbolic(model)
    if solve_for not in g.symbols:
        raise ModelError(f"no parameter {solve_for!r}; parameters are {sorted(g.symbols)}")
    cond = _resolve_condition(g, condition_or_outcome)
    atoms = _region_atoms(given) + _region_atoms(g.assumptions)
    if atoms:
        cond = Condition(cond.label, _prune(cond.expr, atoms), cond.symbols)
    sym = g.symbols[solve_for]
    sols = []
    for rel in cond.inequalities:
        diff = rel.lhs - rel.rhs
        if sym not in diff.free_symbols:
            continue
        num = sympy.fraction(sympy.together(diff))[0]
        for s in sympy.solve(sympy.Eq(num, 0), sym, dict=False):
            s = sympy.factor(sympy.cancel(s))
            if not any(sympy.simplify(s - t) == 0 for t in sols):
                sols.append(s)
    if not sols:
        raise SolverError(f"the condition {cond.label!r} does not depend on {solve_for}: no threshold")
    return Threshold(parameter=solve_for, values=tuple(sols), condition=cond)


def _resolve_condition(g, what) -> Condition:
    if isinstance(what, Condition):
        return what
    if isinstance(g, SymbolicTree):
        conds = outcome_conditions(g)
        if what not in conds:
            raise ModelError(f"no outcome {what!r}; outcomes are {list(conds)}")
        return conds[what]
    conds = nash_conditions(g)
    key = tuple(what) if not isinstance(what, str) else tuple(s.strip() for s in what.strip("()").split(","))
    if key not in conds:
        raise ModelError(f"no profile {what!r}; profiles are {list(conds)}")
    return conds[key]


# ---------------------------------------------------------------------- comparative statics
@dataclass(frozen=True, eq=False)
class StaticsCase:
    """The sign of a derivative on the region where one equilibrium holds.

    ``sign`` is ``"+"``, ``"-"``, ``"0"``, ``"+0"`` (non-negative), ``"-0"``
    (non-positive) or ``"mixed"``; ``proven`` says whether it was
    established symbolically (True) or estimated from ``n_samples`` sampled
    points of the region (False).
    """

    label: str
    quantity: Any
    derivative: Any
    sign: str
    proven: bool
    n_samples: int
    region: Condition


@dataclass(frozen=True, eq=False)
class ComparativeStatics:
    """Comparative statics of a quantity with respect to a parameter, case by case."""

    quantity: str
    parameter: str
    cases: tuple

    @property
    def sign(self) -> str:
        """The common sign over all cases ("mixed" when they differ)."""
        signs = {c.sign for c in self.cases if c.n_samples or c.proven}
        if not signs:
            return "empty"
        if len(signs) == 1:
            return signs.pop()
        if signs <= {"+", "+0", "0"}:
            return "+0"
        if signs <= {"-", "-0", "0"}:
            return "-0"
        return "mixed"

    @property
    def proven(self) -> bool:
        return all(c.proven for c in self.cases)

    def __str__(self) -> str:
        lines = [f"d {self.quantity} / d {self.parameter}: {self.sign} ({'proven' if self.proven else 'sampled'})"]
        for c in self.cases:
            lines.append(f"  [{c.label}] derivative {c.derivative}: {c.sign} "
                         f"({'proven' if c.proven else f'proven=False, {c.n_samples} sampled points'})")
        return "\n".join(lines)


def comparative_statics(model, quantity: str, parameter: str, *, region=None, n_samples: int = 4000,
                        seed: int = 0) -> ComparativeStatics:
    """Sign of the derivative of an equilibrium quantity with respect to a parameter.

    Parameters
    ----------
    model : parametric model (or its symbolic form)
    quantity : str
        ``"P(label)"`` (tree models: probability of an outcome on the SPE
        path) or ``"payoff(player)"`` (the equilibrium payoff of a player:
        SPE payoff in a tree; in a normal form, the payoff at each pure
        equilibrium and at the completely mixed equilibrium of a 2x2 game).
    parameter : str
    region : Condition, sympy boolean or callable, optional
        Restrict attention to a region (e.g. a preference ordering
        ``a_DD < a_SQ < a_DC``); a callable takes a dict of arrays and returns
        a boolean array.
    n_samples : int
        Points sampled in the parameters' domains when sympy cannot decide.

    Returns
    -------
    ComparativeStatics
        One :class:`StaticsCase` per equilibrium case with a non-empty region.
        The sign is *proven* when sympy decides it from the parameters'
        assumptions, or when the derivative is a constant multiple of one of
        the region's own inequalities; otherwise it is read from the sampled
        points of the region (``proven=False``).
    """
    g = as_symbolic(model)
    if parameter not in g.symbols:
        raise ModelError(f"no parameter {parameter!r}; parameters are {sorted(g.symbols)}")
    sym = g.symbols[parameter]
    kind, arg = _parse_quantity(quantity)
    items = []   # (label, expression, Condition)
    if isinstance(g, SymbolicTree):
        for c in spe_conditions(g):
            if kind == "P":
                if arg not in _tree_outcomes(g):
                    raise ModelError(f"no outcome {arg!r}; outcomes are {_tree_outcomes(g)}")
                expr = c.outcome_probabilities.get(arg, sympy.Integer(0))
            else:
                if arg not in c.payoffs:
                    raise ModelError(f"no player {arg!r}; players are {list(c.payoffs)}")
                expr = c.payoffs[arg]
            items.append((c.condition.label, expr, c.condition))
    else:
        if kind == "P":
            raise ModelError("P(outcome) is defined for tree models; in a normal form use payoff(player)")
        if arg not in g.players:
            raise ModelError(f"no player {arg!r}; players are {list(g.players)}")
        i = list(g.players).index(arg)
        for prof, cond in nash_conditions(g).items():
            if cond.never:
                continue
            idx = tuple(g.actions[j].index(a) for j, a in enumerate(prof))
            items.append((cond.label, g.payoffs[idx + (i,)], cond))
        if g.payoffs.shape == (2, 2, 2):
            m = mixed_equilibrium_2x2(g)
            if not m.condition.never:
                items.append((m.condition.label, m.payoffs[i], m.condition))
    rng = np.random.default_rng(seed)
    pts = _sample(g, n_samples, rng)
    extra = _region_mask(region, g, pts) & _region_mask(g.assumptions, g, pts)
    cases = []
    ratoms = _region_atoms(region) + _region_atoms(g.assumptions)
    for label, expr, cond in items:
        if ratoms and _prune(cond.expr, ratoms) is sympy.false:
            continue
        d = sympy.factor(sympy.cancel(sympy.diff(expr, sym)))
        mask = cond.holds(pts) & extra
        atoms = list(cond.inequalities) + ratoms
        sign, proven = _symbolic_sign(d, atoms)
        k = int(mask.sum())
        if not proven:
            if k == 0:
                cases.append(StaticsCase(label, expr, d, "empty", False, 0, cond))
                continue
            vals = _evaluate_expr(d, g.symbols, {n: v[mask] for n, v in pts.items()})
            vals = vals[np.isfinite(vals)]
            sign = _sign_of_samples(vals)
        elif k == 0 and not (cond.always and region is None):
            sign_note = sign  # proven but the region may be empty in the sampled box; keep the proof
            sign = sign_note
        cases.append(StaticsCase(label, expr, d, sign, proven, k, cond))
    return ComparativeStatics(quantity=quantity, parameter=parameter, cases=tuple(cases))


def _tree_outcomes(g) -> list:
    labs = []
    for t in range(g.tree.n_terminals):
        lab = str(g.tree.outcomes[t])
        if lab not in labs:
            labs.append(lab)
    return labs


def _parse_quantity(q: str):
    q = q.strip()
    for kind, prefix in (("P", "P("), ("payoff", "payoff(")):
        if q.startswith(prefix) and q.endswith(")"):
            return kind, q[len(prefix):-1].strip()
    raise ModelError(f"quantity {q!r}: write 'P(outcome)' or 'payoff(player)'")


def _symbolic_sign(d, atoms) -> tuple:
    if d == 0:
        return "0", True
    if d.is_positive:
        return "+", True
    if d.is_negative:
        return "-", True
    if d.is_nonnegative:
        return "+0", True
    if d.is_nonpositive:
        return "-0", True
    known = [x for x in (_signed(a) for a in atoms) if x is not None and x[0] != 0]
    # known signs: each inequality g >= 0 of the region, and sums of two (transitivity of orderings)
    cands = list(known) + [(sympy.expand(g1 + g2), s1 or s2) for k, (g1, s1) in enumerate(known)
                           for (g2, s2) in known[k + 1:]]
    for gexp, strict in cands:
        if gexp == 0:
            continue
        ratio = sympy.cancel(d / gexp)
        if ratio.is_number and ratio != 0:
            s = 1 if ratio > 0 else -1
            if strict:
                return ("+" if s > 0 else "-"), True
            return ("+0" if s > 0 else "-0"), True
    return "mixed", False


def _signed(rel):
    """(g, strict) with ``g >= 0`` (or ``> 0``) equivalent to the relational *rel*; None for others."""
    if isinstance(rel, (sympy.GreaterThan, sympy.StrictGreaterThan)):
        return sympy.expand(rel.lhs - rel.rhs), isinstance(rel, sympy.StrictGreaterThan)
    if isinstance(rel, (sympy.LessThan, sympy.StrictLessThan)):
        return sympy.expand(rel.rhs - rel.lhs), isinstance(rel, sympy.StrictLessThan)
    return None


def _prune(expr, atoms):
    """Replace by ``false`` every conjunction (of an Or) with an inequality ``g >= 0`` that a
    standing assumption ``h > 0`` with ``g = -c h`` (c > 0 constant) contradicts."""
    known = [x for x in (_signed(a) for a in atoms) if x is not None]
    if not known:
        return expr

    def contradicted(rel):
        sg = _signed(rel)
        if sg is None:
            return False
        gexp, strict = sg
        for h, hstrict in known:
            if h == 0:
                continue
            ratio = sympy.cancel(gexp / h)
            if ratio.is_number and ratio < 0 and (hstrict or strict):
                return True
        return False

    def conj(e):
        parts = e.args if isinstance(e, sympy.And) else (e,)
        if any(isinstance(a, sympy.core.relational.Relational) and contradicted(a) for a in parts):
            return sympy.false
        return e

    if isinstance(expr, sympy.Or):
        return sympy.Or(*[conj(a) for a in expr.args])
    return conj(expr)


def _sign_of_samples(vals) -> str:
    if vals.size == 0:
        return "empty"
    scale = max(1.0, float(np.max(np.abs(vals))))
    tol = 1e-12 * scale
    pos, neg = bool(np.any(vals > tol)), bool(np.any(vals < -tol))
    zero = bool(np.any(np.abs(vals) <= tol))
    if pos and neg:
        return "mixed"
    if pos:
        return "+0" if zero else "+"
    if neg:
        return "-0" if zero else "-"
    return "0"


def _sample(g, n, rng) -> dict:
    pts = {}
    for name in g.symbols:
        lo, hi = g.bounds.get(name, (-10.0, 10.0))
        pts[name] = rng.uniform(lo, hi, n) if hi > lo else np.full(n, lo)
    return pts


def _region_mask(region, g, pts) -> np.ndarray:
    n = len(next(iter(pts.values()))) if pts else 0
    if region is None:
        return np.ones(n, bool)
    if isinstance(region, Condition):
        return region.holds(pts)
    if region is sympy.true:
        return np.ones(n, bool)
    if isinstance(region, sympy.Basic):
        return _evaluate_boolean(region, g.symbols, pts)
    if callable(region):
        return np.asarray(region(pts), bool)
    raise ModelError(f"region must be a Condition, a sympy boolean or a callable, got {type(region).__name__}")


def _region_atoms(region) -> list:
    if isinstance(region, Condition):
        region = region.expr
    if isinstance(region, sympy.Basic):
        if isinstance(region, sympy.And) or isinstance(region, sympy.core.relational.Relational):
            return [a for a in (region.args if isinstance(region, sympy.And) else (region,))
                    if isinstance(a, sympy.core.relational.Relational)]
    return []


# ---------------------------------------------------------------------- LaTeX
_TEX_SPECIAL = {"\\": r"\textbackslash{}", "_": r"\_", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
                "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}


def _tex_text(label) -> str:
    """A label as LaTeX text mode (``\\text{...}``), special characters escaped."""
    return "\\text{" + "".join(_TEX_SPECIAL.get(ch, ch) for ch in str(label)) + "}"


def latex_payoffs(model) -> str:
    """LaTeX of a model's payoffs: a bimatrix-style array for a normal form, one line per terminal for a tree."""
    g = as_symbolic(model)
    if isinstance(g, SymbolicNormalForm):
        if len(g.players) != 2:
            rows = []
            for prof in product(*(range(len(a)) for a in g.actions)):
                lab = ", ".join(_tex_text(g.actions[i][a]) for i, a in enumerate(prof))
                vals = ", ".join(sympy.latex(g.payoffs[prof + (i,)]) for i in range(len(g.players)))
                rows.append(f"({lab}) &\\mapsto ({vals})")
            return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
        r, c = g.actions
        head = " & ".join(_tex_text(a) for a in c)
        lines = [f"\\begin{{array}}{{l|{'c' * len(c)}}}", f" & {head} \\\\ \\hline"]
        for j, a in enumerate(r):
            cells = " & ".join(f"{sympy.latex(g.payoffs[j, k, 0])},\\; {sympy.latex(g.payoffs[j, k, 1])}"
                               for k in range(len(c)))
            lines.append(f"{_tex_text(a)} & {cells} \\\\")
        lines.append("\\end{array}")
        return "\n".join(lines)
    t = g.tree
    rows = []
    for v in np.flatnonzero(t.terminal >= 0):
        k = t.terminal[v]
        vals = ", ".join(sympy.latex(g.payoffs[k, i]) for i in range(t.n_players))
        rows.append(f"{_tex_text(t.outcomes[k])} \\; ({_tex_text(t.node_ids[v])}) &: ({vals})")
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}"
