"""The symbolic form of a parametric model: payoffs and chance probabilities as sympy arrays.

:func:`as_symbolic` turns a parametric normal form or tree (payoffs written as
expressions in named parameters) into a :class:`SymbolicNormalForm` or
:class:`SymbolicTree`, with each parameter's sampling bounds and the model's
standing constraints as sympy assumptions.  Everything else in
:mod:`deterrence.analysis.symbolic` starts from these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import sympy

from ...errors import ExpressionError, ModelError
from ...games import GameTree, NormalFormGame
from ...symbolic.bounds import check_model

__all__ = ["SymbolicNormalForm", "SymbolicTree", "as_symbolic"]


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
    check_model(model)          # refuse expansions too large for sympy before it sees them (symbolic.bounds)
    symbols, bounds = _space_info(model)
    game = model.at()
    sp = model.symbolic_payoffs()
    name = getattr(model, "name", "") or ""
    assumptions = sympy.And(_constraint_assumptions(model, symbols), _domain_assumptions(model, symbols))
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
        memo: dict = {}             # a side repeated along a chain is converted once
        exprs = [memo[id(e)] if id(e) in memo else memo.setdefault(id(e), e.to_sympy(symbols)) for e in c.exprs]
        seen = set()
        for op, a, b in zip(c.ops, exprs, exprs[1:]):
            if (op, a, b) not in seen:
                seen.add((op, a, b))
                parts.append(ops[op](a, b))
    return sympy.And(*parts)


def _domain_assumptions(model, symbols):
    """Finite domain bounds of the parameters (``p_B <= 1`` for a probability) as a sympy conjunction
    (weak inequalities; what sympy's symbol assumptions cannot say)."""
    parts = []
    for p in _parameter_list(model.parameters):
        dom = getattr(p, "domain", None)
        if dom is None or not hasattr(dom, "bounds") or p.name not in symbols:
            continue
        lo, hi = dom.bounds
        for value, rel in ((lo, sympy.GreaterThan), (hi, sympy.LessThan)):
            if value is not None and np.isfinite(float(value)):
                r = rel(symbols[p.name], sympy.nsimplify(float(value), rational=True))
                if isinstance(r, sympy.core.relational.Relational):
                    parts.append(r)
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
