"""Parametric models: games whose payoffs are expressions in named parameters.

A parametric model is the object a model file describes: metadata (name,
title, description, source), players, a :class:`ParameterSpace` of named
parameters (domain, default, unit, meaning, source), optional constraints
between parameters (``"a_DD < a_SQ < a_DC"``), and payoffs (and, in a tree,
chance probabilities) written as safe expressions
(:func:`deterrence.symbolic.parse`).

* :meth:`ParametricModel.at` turns it into a numeric game at one parameter
  point, or, given arrays, at a *batch* of points: one batched
  :class:`~deterrence.games.NormalFormGame` or
  :class:`~deterrence.games.GameTree` whose leading axis runs over the
  points.  All expressions of the model are compiled once
  (:func:`~deterrence.symbolic.compile_batch`) and evaluated once over the
  whole batch; there is no Python loop over points.
* :meth:`ParametricModel.symbolic_payoffs` gives the payoffs as sympy
  expressions in symbols that carry the parameters' domain assumptions, for
  threshold and comparative-statics work.

Two kinds exist: :class:`ParametricNormalForm` (a strategic-form game, possibly
ordinal) and :class:`ParametricTree` (a game tree with chance moves and
information sets).
"""

from __future__ import annotations

import re
from fractions import Fraction
from typing import Any, Mapping, Sequence

import numpy as np

from ..errors import ExpressionError, GameStructureError, ModelError
from ..symbolic.expr import Expr, compile_batch, parse
from ..symbolic.parameters import Parameter, ParameterSpace
from .derived import DerivedQuantities
from .normal_form import NormalFormGame
from .outcome_tags import check_tags
from .tree import PROB_TOL as _PROB_TOL_TREE
from .tree import GameTree

__all__ = ["ParametricModel", "ParametricNormalForm", "ParametricTree", "Constraint", "CHANCE_PLAYER"]

#: Reserved player label of chance (nature) nodes in node lists and model files.
CHANCE_PLAYER = "chance"

_CMP = re.compile(r"(<=|>=|<|>)")


def _as_space(parameters) -> ParameterSpace:
    if parameters is None:
        return ParameterSpace([])
    if isinstance(parameters, ParameterSpace):
        return parameters
    if isinstance(parameters, Mapping):
        parameters = list(parameters.values())
    params = list(parameters)
    for p in params:
        if not isinstance(p, Parameter):
            raise ModelError(f"parameters must be Parameter objects, got {type(p).__name__}: {p!r}")
    return ParameterSpace(params)


def _short_text(text: str, n: int = 80) -> str:
    """``repr`` of *text*, cut to about *n* characters with its length stated (messages stay one short line)."""
    if len(text) <= n:
        return repr(text)
    return repr(text[: n - 3] + "...") + f" ({len(text)} characters)"


def _as_term(x, names, what) -> Expr:
    """An :class:`Expr` from an Expr, a number or an expression string, checking its names."""
    if isinstance(x, Expr):
        e = x
    elif isinstance(x, str):
        try:
            e = parse(x, names=names)
        except ExpressionError as exc:
            raise ExpressionError(f"{what}: {exc}") from None
    elif isinstance(x, (int, float, Fraction, np.integer, np.floating)) and not isinstance(x, (bool, np.bool_)):
        if not np.isfinite(float(x)):
            raise ExpressionError(f"{what}: {x!r} is not a finite number")
        try:
            e = compile_batch([x]).exprs[0]
        except ExpressionError as exc:
            raise ExpressionError(f"{what}: {exc}") from None
    else:
        raise ExpressionError(f"{what}: expected a number or an expression string, got {type(x).__name__}: {x!r}")
    unknown = sorted(e.names - (names if isinstance(names, frozenset) else set(names)))
    if unknown:
        raise ExpressionError(f"{what}: expression {str(e)!r} uses unknown parameter(s) {unknown}; "
                              f"parameters are {sorted(names)}")
    return e


class Constraint:
    """A chain of comparisons between expressions, e.g. ``"a_DD < a_SQ < a_DC"``.

    Model assumptions that tie parameters together (an ordering of
    preferences) are stated as constraints; a parameter point that violates
    one is rejected with a :class:`ModelError` naming the constraint.

    Parameters
    ----------
    text : str
        Expressions separated by ``<``, ``<=``, ``>`` or ``>=``.
    names : iterable of str
        The parameter names the expressions may use.
    """

    def __init__(self, text: str, names):
        if not isinstance(text, str):
            raise ExpressionError(f"a constraint must be a string, got {type(text).__name__}: {text!r}")
        parts = _CMP.split(text)
        # the constraint is named once, shortened: a chain of 10^5 comparisons must not copy its text per side
        what = f"constraint {_short_text(text)}"
        if len(parts) < 3:
            raise ExpressionError(f"{what}: needs a comparison (<, <=, >, >=) between expressions")
        self.text = text
        names = frozenset(names)
        parsed: dict[str, int] = {}       # a side repeated along the chain is parsed once
        unique, index = [], []
        for k in range(0, len(parts), 2):
            side = parts[k].strip()
            if side not in parsed:
                parsed[side] = len(unique)
                unique.append(_as_term(side, names, what))
            index.append(parsed[side])
        self._unique = tuple(unique)
        self._index = np.asarray(index, dtype=np.intp)
        self.exprs = tuple(unique[j] for j in index)
        self.ops = tuple(parts[1::2])
        self.names = frozenset().union(*(e.names for e in unique))

    def sides(self, arrays) -> np.ndarray:
        """The value of every side, shape ``(B, k)``, each distinct side evaluated once."""
        vals = np.asarray(compile_batch(list(self._unique))(arrays), float).reshape(-1, len(self._unique))
        return vals[:, self._index]

    def holds(self, sides: np.ndarray) -> np.ndarray:
        """Boolean array over the batch; *sides* has shape ``(B, k)`` (one column per expression)."""
        ok = np.ones(sides.shape[0], bool)
        ops = np.asarray(self.ops)
        a, b = sides[:, :-1], sides[:, 1:]
        for op, cmp in (("<", np.less), ("<=", np.less_equal), (">", np.greater), (">=", np.greater_equal)):
            cols = np.flatnonzero(ops == op)
            if cols.size:
                ok &= np.all(cmp(a[:, cols], b[:, cols]), axis=1)
        return ok

    def __str__(self) -> str:
        out = str(self.exprs[0])
        for op, e in zip(self.ops, self.exprs[1:]):
            out += f" {op} {e}"
        return out

    def __repr__(self) -> str:
        return f"Constraint({str(self)!r})"


class ParametricModel:
    """Common base of parametric models.

    Parameters
    ----------
    name : str
        Short identifier (``"chicken"``); also the shipped model's file name.
    players : sequence of str
    parameters : ParameterSpace or sequence of Parameter, optional
    title, description, source : str, optional
        Human-readable title, what the model represents, and the citation.
    constraints : sequence of str, optional
        Comparison chains the parameters must satisfy (see :class:`Constraint`).
    metadata : mapping, optional
        Further provenance kept verbatim (e.g. ``{"notes": ...}``).
    derived : DerivedQuantities, optional
        Quantities a Python family computes from the parameters, batched, that the payoffs, chance
        probabilities and outcome quantities may use like parameters (:mod:`deterrence.games.derived`).
        A model with derived quantities has no symbolic form.

    Attributes
    ----------
    measures : dict
        Named measures of the model (``{name: Measure}``, see
        :mod:`deterrence.analysis.measures`); filled by the model-file reader
        from a ``[measures]`` section, or by the user.
    claims : list
        Claims from the literature about the model (see
        :mod:`deterrence.analysis.claims`); filled from ``[[claims]]``.
    """

    kind: str = ""

    def __init__(self, *, name: str, players: Sequence[str], parameters=None, title: str | None = None,
                 description: str | None = None, source: str | None = None, constraints: Sequence[str] = (),
                 metadata: Mapping[str, Any] | None = None, derived: DerivedQuantities | None = None):
        if not isinstance(name, str) or not name:
            raise ModelError(f"a model needs a non-empty name, got {name!r}")
        self.name = name
        self.title = title
        self.description = description
        self.source = source
        self.metadata = dict(metadata or {})
        players = tuple(players)
        if not players:
            raise ModelError(f"model {name!r}: needs at least one player")
        for p in players:
            if not isinstance(p, str) or not p:
                raise ModelError(f"model {name!r}: player labels must be non-empty strings, got {p!r}")
        if len(set(players)) != len(players):
            raise ModelError(f"model {name!r}: player labels must be distinct: {list(players)}")
        if CHANCE_PLAYER in players:
            raise ModelError(f"model {name!r}: {CHANCE_PLAYER!r} is reserved for chance nodes, not a player label")
        self.players = players
        self.parameters = _as_space(parameters)
        self.constraints = tuple(c if isinstance(c, Constraint) else Constraint(c, self.parameter_names)
                                 for c in constraints)
        if derived is not None and not isinstance(derived, DerivedQuantities):
            raise ModelError(f"model {name!r}: derived must be a DerivedQuantities, got {type(derived).__name__}")
        if derived is not None:
            clash = sorted(set(derived.names) & set(self.parameter_names))
            if clash:
                raise ModelError(f"model {name!r}: derived quantities {clash} have the names of parameters")
        self.derived = derived
        self.measures: dict = {}
        self.claims: list = []

    # ------------------------------------------------------------------ parameters
    @property
    def parameter_names(self) -> tuple[str, ...]:
        return tuple(self.parameters.names)

    @property
    def expression_names(self) -> tuple[str, ...]:
        """Names the model's expressions may use: the parameters, then any derived quantities."""
        return self.parameter_names + (self.derived.names if self.derived is not None else ())

    def expression_values(self, arrays: Mapping[str, Any]) -> Mapping[str, Any]:
        """*arrays* (parameter values, one point or a batch) with the derived quantities added, if any."""
        if self.derived is None:
            return arrays
        out = dict(arrays)
        out.update(self.derived({k: np.asarray(arrays[k], dtype=float) for k in self.parameter_names},
                                f"model {self.name!r}: derived quantities"))
        return out

    def _require_symbolic(self):
        if self.derived is not None:
            raise ModelError(f"model {self.name!r} has no symbolic form: its expressions use quantities computed "
                             f"in Python from the parameters ({', '.join(self.derived.names[:3])}"
                             f"{', ...' if len(self.derived.names) > 3 else ''}: {self.derived.meaning})")

    @property
    def n_players(self) -> int:
        return len(self.players)

    def defaults(self) -> dict[str, float]:
        """Default value of every parameter that has one."""
        return self.parameters.defaults()

    def point(self, values: Mapping[str, Any] | None = None, **kwargs) -> tuple[dict[str, np.ndarray], int | None]:
        """Validate a parameter point or a batch of points.

        Missing parameters take their defaults; values outside a parameter's
        domain, unknown names and violated constraints raise
        :class:`ModelError`.

        Returns
        -------
        values : dict of str to ndarray
            Every parameter, as a 0-d array (one point) or a 1-d array of
            length *B* (a batch; arrays of other shapes are broadcast together
            and flattened).
        batch : int or None
            *B*, or None for a single point.
        """
        given = dict(values or {})
        dup = set(given) & set(kwargs)
        if dup:
            raise ModelError(f"model {self.name!r}: values for {sorted(dup)} given twice")
        given.update(kwargs)
        try:
            filled = self.parameters.validate(given)
        except ModelError as exc:
            raise ModelError(f"model {self.name!r}: {exc}") from None
        arrays = {k: np.asarray(v, dtype=float) for k, v in filled.items()}
        shapes = [a.shape for a in arrays.values()]
        try:
            shape = np.broadcast_shapes(*shapes) if shapes else ()
        except ValueError:
            raise ModelError(f"model {self.name!r}: parameter arrays of shapes "
                             f"{ {k: a.shape for k, a in arrays.items()} } do not broadcast together") from None
        batch = None
        if shape != ():
            batch = int(np.prod(shape))
            if batch == 0:
                raise ModelError(f"model {self.name!r}: an empty batch of parameter points")
            arrays = {k: np.broadcast_to(a, shape).reshape(-1) for k, a in arrays.items()}
        self._check_constraints(arrays, batch)
        return arrays, batch

    def _check_constraints(self, arrays, batch):
        for c in self.constraints:
            ok = c.holds(c.sides(arrays))
            if not np.all(ok):
                b = int(np.argmin(ok))
                at = {n: float(np.asarray(arrays[n]).reshape(-1)[b if batch else 0]) for n in sorted(c.names)}
                where = f" (point {b} of the batch)" if batch else ""
                if len(at) > 8:
                    at = dict(list(at.items())[:8]) | {"...": f"{len(at) - 8} more"}
                raise ModelError(f"model {self.name!r}: constraint {_short_text(c.text)} violated at {at}{where}")

    def symbols(self) -> dict:
        """sympy symbols of the parameters, with their domain assumptions."""
        return self.parameters.symbols()

    # ------------------------------------------------------------------ evaluation
    def at(self, values: Mapping[str, Any] | None = None, **kwargs):
        """The numeric game at one parameter point or at a batch of points.

        Parameters
        ----------
        values, **kwargs
            Parameter values (missing ones take their defaults).  Scalars give
            one game; arrays (e.g. ``p=np.linspace(0, 1, 101)``) give one
            batched game with one entry per point (arrays are broadcast
            together and flattened in C order).
        """
        arrays, batch = self.point(values, **kwargs)
        return self._build(arrays, batch)

    def evaluate_batch(self, points: Mapping[str, Any]):
        """One batched game from a mapping of parameter names to arrays of values."""
        if not isinstance(points, Mapping):
            raise ModelError(f"evaluate_batch needs a mapping of parameter names to arrays, got {type(points).__name__}")
        arrays, batch = self.point(points)
        if batch is None:
            arrays = {k: a.reshape(1) for k, a in arrays.items()}
            batch = 1
        game = self._build(arrays, batch)
        game.batched = True
        return game

    def _build(self, arrays, batch):
        raise NotImplementedError

    def _evaluate(self, program, arrays, batch, what):
        arrays = self.expression_values(arrays)
        try:
            out = program(arrays)
        except ExpressionError as exc:
            raise ExpressionError(f"model {self.name!r}: {what}: {exc}") from None
        out = np.asarray(out, dtype=float)
        if batch is None:
            return out
        return out.reshape((batch,) + program.shape)

    def symbolic_payoffs(self):
        raise NotImplementedError

    def outcome_tags(self) -> dict:
        """Tags of every tagged outcome: ``{terminal id: tags}`` (trees) or ``{profile: tags}`` (normal forms)."""
        raise NotImplementedError

    def outcome_quantities(self) -> dict:
        """Numeric quantities of outcomes (``coalition_size = 2``): ``{terminal id or profile: {name: Expr}}``."""
        raise NotImplementedError

    @property
    def quantity_names(self) -> frozenset:
        """Every outcome quantity named by the model (a measure reads its expectation as ``E_<name>``)."""
        return frozenset(k for q in self.outcome_quantities().values() for k in q)

    @property
    def tags(self) -> frozenset:
        """Every outcome tag used by the model."""
        return frozenset(t for ts in self.outcome_tags().values() for t in ts)

    def __repr__(self) -> str:
        params = ", ".join(self.parameter_names)
        return f"<{type(self).__name__} {self.name!r}: players {list(self.players)}, parameters [{params}]>"


class ParametricNormalForm(ParametricModel):
    """A strategic-form game with payoffs written as expressions in parameters.

    Parameters
    ----------
    actions : sequence of sequences of str
        Action labels of each player.
    payoffs : mapping or array_like
        Either a mapping ``{(action of player 1, ..., action of player n):
        [payoff of player 1, ..., payoff of player n]}`` covering every
        profile (a payoff vector may also be a mapping ``{player: payoff}``),
        or a nested array of shape ``(m_1, ..., m_n, n)``.  A payoff is a
        number, an expression string or an :class:`Expr`.
    ordinal : bool
        The payoffs are ordinal ranks (higher is better), as in Rapoport and
        Guyer's (1966) taxonomy of 2x2 games; they must be integer constants
        in ``1 .. number of profiles``.  Pure-strategy results only depend on
        the ranks; mixed equilibria treat them as cardinal.
    outcomes : mapping, optional
        Outcome labels of profiles (``{("swerve", "swerve"): "compromise"}``).
    tags : mapping, optional
        Outcome tags of profiles (``{("straight", "straight"): ["war"]}``), words
        from :data:`deterrence.games.outcome_tags.TAGS`.
    quantities : mapping, optional
        Numeric quantities of profiles (``{profile: {"coalition_size": 2}}``),
        numbers or expressions in the parameters; 0 where not given.
    **kwargs
        See :class:`ParametricModel`.
    """

    kind = "normal_form"

    def __init__(self, *, actions, payoffs, ordinal: bool = False, outcomes: Mapping | None = None,
                 tags: Mapping | None = None, quantities: Mapping | None = None, **kwargs):
        super().__init__(**kwargs)
        acts = []
        if len(actions) != self.n_players:
            raise GameStructureError(f"model {self.name!r}: actions for {len(actions)} players, "
                                     f"but there are {self.n_players}")
        for p, a in zip(self.players, actions):
            if isinstance(a, str):
                raise GameStructureError(f"model {self.name!r}: actions of {p} must be a list of labels, got {a!r}")
            a = tuple(a)
            if not a or not all(isinstance(x, str) and x for x in a):
                raise GameStructureError(f"model {self.name!r}: {p} needs a non-empty list of action labels, got {list(a)}")
            if len(set(a)) != len(a):
                raise GameStructureError(f"model {self.name!r}: action labels of {p} must be distinct: {list(a)}")
            acts.append(a)
        self.actions = tuple(acts)
        self.ordinal = bool(ordinal)
        shape = tuple(len(a) for a in self.actions)
        names = self.expression_names
        grid = np.empty(shape + (self.n_players,), dtype=object)
        if isinstance(payoffs, Mapping):
            seen = set()
            for prof, vec in payoffs.items():
                key = self._profile_index(prof)
                if key in seen:
                    raise GameStructureError(f"model {self.name!r}: profile {list(prof)} given twice")
                seen.add(key)
                for i, v in enumerate(self._vector(vec, prof)):
                    grid[key + (i,)] = _as_term(v, names, f"payoff of {self.players[i]} at {list(prof)}")
            missing = [tuple(a[j] for a, j in zip(self.actions, idx)) for idx in np.ndindex(*shape) if idx not in seen]
            if missing:
                raise GameStructureError(f"model {self.name!r}: no payoffs for profile(s) {[list(m) for m in missing[:4]]}")
        else:
            arr = np.asarray(payoffs, dtype=object)
            if arr.shape != grid.shape:
                raise GameStructureError(f"model {self.name!r}: payoffs must have shape {grid.shape}, got {arr.shape}")
            for idx in np.ndindex(*arr.shape):
                prof = [a[j] for a, j in zip(self.actions, idx[:-1])]
                grid[idx] = _as_term(arr[idx], names, f"payoff of {self.players[idx[-1]]} at {prof}")
        self.payoff_exprs = grid
        self.outcomes = {}
        for prof, label in (outcomes or {}).items():
            self._profile_index(prof)
            self.outcomes[tuple(prof)] = str(label)
        self._tags = {}
        for prof, ts in (tags or {}).items():
            self._profile_index(prof)
            ts = check_tags(ts, f"model {self.name!r}: profile {list(prof)}")
            if ts:
                self._tags[tuple(prof)] = ts
        self._quantities = {}
        for prof, qs in (quantities or {}).items():
            self._profile_index(prof)
            q = _quantity_table(qs, names, f"model {self.name!r}: profile {list(prof)}")
            if q:
                self._quantities[tuple(prof)] = q
        if self.ordinal:
            self._check_ordinal()
        self._program = compile_batch(grid)

    def _profile_index(self, prof) -> tuple[int, ...]:
        if isinstance(prof, str) or len(prof) != self.n_players:
            raise GameStructureError(f"model {self.name!r}: profile {prof!r} must name one action for each "
                                     f"of {self.n_players} players")
        idx = []
        for p, acts, a in zip(self.players, self.actions, prof):
            if a not in acts:
                raise GameStructureError(f"model {self.name!r}: profile {list(prof)}: {p} has no action {a!r}; "
                                         f"actions are {list(acts)}")
            idx.append(acts.index(a))
        return tuple(idx)

    def _vector(self, vec, prof):
        return _payoff_list(vec, self.players, f"model {self.name!r}: profile {list(prof)}")

    def _check_ordinal(self):
        cells = int(np.prod(self.payoff_exprs.shape[:-1]))
        for idx in np.ndindex(*self.payoff_exprs.shape):
            e = self.payoff_exprs[idx]
            prof = [a[j] for a, j in zip(self.actions, idx[:-1])]
            v = e.to_sympy() if e.is_constant else None
            if v is None or not v.is_integer or not 1 <= int(v) <= cells:
                raise GameStructureError(
                    f"model {self.name!r}: ordinal game: rank of {self.players[idx[-1]]} at {prof} must be an "
                    f"integer from 1 to {cells}, got {str(e)!r}")

    @property
    def num_actions(self) -> tuple[int, ...]:
        return tuple(len(a) for a in self.actions)

    def _build(self, arrays, batch):
        values = self._evaluate(self._program, arrays, batch, "payoffs")
        payoffs = values
        if batch is None and all(e.is_constant for e in self.payoff_exprs.flat):
            # constant game (e.g. ordinal): keep exact rationals for exact solvers
            exact = np.empty(self.payoff_exprs.shape, dtype=object)
            for idx in np.ndindex(*exact.shape):
                r = self.payoff_exprs[idx].to_sympy()
                exact[idx] = int(r) if r.is_integer else Fraction(int(r.p), int(r.q))
            payoffs = exact.tolist()
        return NormalFormGame(payoffs, players=self.players, actions=self.actions,
                              name=self.title or self.name)

    def symbolic_payoffs(self) -> dict[tuple[str, ...], tuple]:
        """``{profile (action labels): (sympy payoff of each player)}``."""
        self._require_symbolic()
        syms = self.symbols()
        out = {}
        for idx in np.ndindex(*self.num_actions):
            prof = tuple(a[j] for a, j in zip(self.actions, idx))
            out[prof] = tuple(self.payoff_exprs[idx + (i,)].to_sympy(syms) for i in range(self.n_players))
        return out

    def outcome_tags(self) -> dict:
        """``{profile (action labels): tags}`` of every tagged profile."""
        return dict(self._tags)

    def outcome_quantities(self) -> dict:
        """``{profile (action labels): {quantity: Expr}}`` of every profile with quantities."""
        return {k: dict(v) for k, v in self._quantities.items()}

    def payoff_table(self) -> dict[tuple[str, ...], tuple[Expr, ...]]:
        """``{profile: (Expr of each player)}`` in profile order (first player slowest)."""
        return {tuple(a[j] for a, j in zip(self.actions, idx)):
                tuple(self.payoff_exprs[idx + (i,)] for i in range(self.n_players))
                for idx in np.ndindex(*self.num_actions)}


class ParametricTree(ParametricModel):
    """A game tree whose payoffs and chance probabilities are expressions in parameters.

    Parameters
    ----------
    nodes : sequence of dict
        A flat list of nodes, as in :meth:`GameTree.from_nodes` but with
        expressions: a decision node ``{"id", "player", "actions": {label:
        child id}, "infoset"?}``; a chance node ``{"id", "player": "chance",
        "actions": {label: child id}, "probabilities": {label: expression}}``;
        a terminal ``{"id", "payoffs": [expression per player] or {player:
        expression}, "outcome"?, "tags"?, "quantities"?}`` (tags: words from
        :data:`deterrence.games.outcome_tags.TAGS`; quantities: ``{name: number or
        expression}``, numeric attributes of the outcome such as a coalition's size).
    root : str, optional
        Id of the root (default: the one node that is no node's child).
    **kwargs
        See :class:`ParametricModel`.
    """

    kind = "tree"

    def __init__(self, *, nodes: Sequence[Mapping], root: str | None = None, **kwargs):
        super().__init__(**kwargs)
        names = self.expression_names
        self.root = root
        specs = []
        terms = []      # flat list of every expression, evaluated in one batch
        for k, node in enumerate(nodes):
            if not isinstance(node, Mapping):
                raise GameStructureError(f"model {self.name!r}: node #{k} must be a mapping, got {type(node).__name__}")
            nid = node.get("id")
            if not isinstance(nid, str) or not nid:
                raise GameStructureError(f"model {self.name!r}: node #{k} needs a non-empty string id, got {nid!r}")
            spec = {"id": nid}
            if "payoffs" in node:
                extra = set(node) - {"id", "payoffs", "outcome", "tags", "quantities"}
                if extra:
                    raise GameStructureError(f"model {self.name!r}: terminal {nid!r}: unexpected keys {sorted(extra)}")
                pay = _payoff_list(node["payoffs"], self.players, f"model {self.name!r}: terminal {nid!r}")
                slots = []
                for p, v in zip(self.players, pay):
                    slots.append(len(terms))
                    terms.append(_as_term(v, names, f"terminal {nid!r}: payoff of {p}"))
                spec["payoffs"] = slots
                if node.get("outcome") is not None:
                    spec["outcome"] = str(node["outcome"])
                if node.get("tags"):
                    spec["tags"] = check_tags(node["tags"], f"model {self.name!r}: terminal {nid!r}")
                if node.get("quantities"):
                    spec["quantities"] = _quantity_table(node["quantities"], names,
                                                         f"model {self.name!r}: terminal {nid!r}")
            else:
                acts = node.get("actions")
                if not isinstance(acts, Mapping) or not acts:
                    raise GameStructureError(f"model {self.name!r}: node {nid!r}: 'actions' must map action "
                                             f"labels to child ids")
                for a, c in acts.items():
                    if not isinstance(c, str):
                        raise GameStructureError(f"model {self.name!r}: node {nid!r}: action {a!r} must lead "
                                                 f"to a node id (a string), got {c!r}")
                player = node.get("player")
                if player == CHANCE_PLAYER:
                    extra = set(node) - {"id", "player", "actions", "probabilities"}
                    if extra:
                        raise GameStructureError(f"model {self.name!r}: chance node {nid!r}: unexpected keys {sorted(extra)}")
                    probs = node.get("probabilities")
                    if not isinstance(probs, Mapping):
                        raise GameStructureError(f"model {self.name!r}: chance node {nid!r}: needs 'probabilities' "
                                                 f"mapping each action to a probability")
                    if set(probs) != set(acts):
                        raise GameStructureError(f"model {self.name!r}: chance node {nid!r}: probabilities for "
                                                 f"{sorted(probs)} but actions {sorted(acts)}")
                    chance = {}
                    for a, c in acts.items():
                        chance[str(a)] = (c, len(terms))
                        terms.append(_as_term(probs[a], names, f"chance node {nid!r}: probability of {a!r}"))
                    spec["chance"] = chance
                else:
                    extra = set(node) - {"id", "player", "actions", "infoset"}
                    if extra:
                        raise GameStructureError(f"model {self.name!r}: decision node {nid!r}: unexpected keys {sorted(extra)}")
                    if player not in self.players:
                        raise GameStructureError(f"model {self.name!r}: node {nid!r}: unknown player {player!r}; "
                                                 f"players are {list(self.players)} (or {CHANCE_PLAYER!r})")
                    spec["player"] = player
                    spec["actions"] = {str(a): c for a, c in acts.items()}
                    if node.get("infoset") is not None:
                        spec["infoset"] = str(node["infoset"])
            specs.append(spec)
        self.nodes = tuple(specs)
        self.terms = tuple(terms)
        self._program = compile_batch(list(terms)) if terms else None
        # structural check once, with placeholder numbers: unknown/dangling ids, cycles, unreachable nodes,
        # inconsistent information sets
        self._check_structure()

    def _node_dicts(self, column):
        out = []
        for s in self.nodes:
            if "payoffs" in s:
                d = {"id": s["id"], "payoffs": [column(j) for j in s["payoffs"]]}
                if "outcome" in s:
                    d["outcome"] = s["outcome"]
            elif "chance" in s:
                d = {"id": s["id"], "chance": {a: [c, column(j)] for a, (c, j) in s["chance"].items()}}
            else:
                d = {k: s[k] for k in ("id", "player", "actions", "infoset") if k in s}
            out.append(d)
        return out

    def _check_structure(self):
        try:
            self._template()        # built once: the structural check and the template of every batch
        except GameStructureError as exc:
            raise GameStructureError(f"model {self.name!r}: {exc}") from None

    def _template(self):
        """The tree's structure built once, and where each term goes: ``(tree, payoff term index (T, n),
        chance edges (k,), their term index (k,))``.  Cached; batches re-use it (see :meth:`_build`)."""
        cached = self.__dict__.get("_fast_template")
        if cached is not None:
            return cached
        counts = {}
        for s in self.nodes:
            if "chance" in s:
                for _, j in s["chance"].values():
                    counts[j] = 1.0 / len(s["chance"])
        tree = GameTree.from_nodes(self.players, self._node_dicts(lambda j: counts.get(j, 0.0)), root=self.root,
                                   name=self.title or self.name)
        spec = {s["id"]: s for s in self.nodes}
        ids = tree.node_ids
        term = np.flatnonzero(tree.kind == 0)
        term = term[np.argsort(tree.terminal[term])]              # in terminal-index order
        pay_idx = np.array([spec[ids[v]]["payoffs"] for v in term], dtype=np.int64).reshape(len(term), -1)
        edges, idx = [], []
        labels = tree.edge_label
        for v in np.flatnonzero(tree.kind == 2):
            ch = spec[ids[v]]["chance"]
            for e in range(int(tree.child_ptr[v]), int(tree.child_ptr[v + 1])):
                edges.append(e)
                idx.append(ch[labels[e]][1])
        from .profiles import tree_structure
        tree_structure(tree)        # index arrays built once, shared by every batch built from the template
        cached = (tree, pay_idx, np.array(edges, np.int64), np.array(idx, np.int64))
        self.__dict__["_fast_template"] = cached
        return cached

    def _build_fast(self, rows, row, batch):
        """A batched tree that shares the template's structure (and its cached index arrays) and only
        fills ``payoffs`` and ``chance_probs``; None when a value is invalid (the caller then builds the
        tree the slow way, which names the culprit).

        *rows* ``(R, batch)`` holds the distinct values of the terms (``rows[row[j]]`` is term *j*), batch
        axis last (:meth:`~deterrence.symbolic.expr.BatchExpression.rows`).  The tree is built node-major:
        its ``payoffs`` ``(B, T, n)`` and ``chance_probs`` ``(B, E)`` are views of arrays whose batch axis
        is the last, which the batched solvers read without a transpose.
        """
        try:
            template, pay_idx, cedges, cidx = self._template()
        except (GameStructureError, KeyError, ValueError):
            return None
        if pay_idx.shape[1] != len(self.players):
            return None
        pay = rows.take(row[pay_idx], axis=0)                     # (T, n, B)
        if not np.isfinite(pay).all():
            return None
        cpT = np.zeros((template.chance_probs.shape[1], batch))
        if cedges.size:
            pc = rows.take(row[cidx], axis=0)                     # (k, B)
            if not (np.isfinite(pc).all() and pc.min() >= -_PROB_TOL_TREE and pc.max() <= 1 + _PROB_TOL_TREE):
                return None
            cpT[cedges] = pc
            ptr = template.child_ptr
            for v in np.flatnonzero(template.kind == 2):
                if np.any(np.abs(cpT[ptr[v]:ptr[v + 1]].sum(0) - 1) > _PROB_TOL_TREE):
                    return None
        tree = object.__new__(GameTree)
        tree.__dict__.update(template.__dict__)
        tree.payoffs = pay.transpose(2, 0, 1)
        tree.chance_probs = cpT.T
        tree.batched = True
        return tree

    def _build(self, arrays, batch):
        if self._program is None:
            vals = np.zeros((0,))
        else:
            try:
                rows, row = self._program.rows(self.expression_values(arrays))
            except ExpressionError as exc:
                raise ExpressionError(f"model {self.name!r}: payoffs and probabilities: {exc}") from None
            # the cached template serves one point too: building a 30,000-terminal tree node by node takes seconds
            rows = rows.reshape(len(rows), -1)
            tree = self._build_fast(rows, row, rows.shape[1])
            if tree is not None:
                tree.batched = batch is not None
                return tree
            vals = rows[row].T if batch is not None else rows[row, 0]
        column = (lambda j: float(vals[j])) if batch is None else (lambda j: vals[:, j])
        try:
            tree = GameTree.from_nodes(self.players, self._node_dicts(column), root=self.root,
                                       name=self.title or self.name)
        except GameStructureError as exc:
            raise GameStructureError(f"model {self.name!r}: {exc}") from None
        if batch is not None and not tree.batched:
            # every value was constant: still return a batch of the requested size
            tree.payoffs = np.broadcast_to(tree.payoffs, (batch,) + tree.payoffs.shape[1:]).copy()
            tree.batched = batch > 1 or tree.batched
        return tree

    def _sympy_terms(self):
        self._require_symbolic()
        syms = self.symbols()
        return [t.to_sympy(syms) for t in self.terms]

    def symbolic_payoffs(self) -> dict[str, tuple]:
        """``{terminal id: (sympy payoff of each player)}``."""
        sym = self._sympy_terms()
        return {s["id"]: tuple(sym[j] for j in s["payoffs"]) for s in self.nodes if "payoffs" in s}

    def symbolic_probabilities(self) -> dict[str, dict[str, Any]]:
        """``{chance node id: {action: sympy probability}}``."""
        sym = self._sympy_terms()
        return {s["id"]: {a: sym[j] for a, (_, j) in s["chance"].items()} for s in self.nodes if "chance" in s}

    def outcome_tags(self) -> dict:
        """``{terminal id: tags}`` of every tagged terminal."""
        return {s["id"]: s["tags"] for s in self.nodes if s.get("tags")}

    def outcome_quantities(self) -> dict:
        """``{terminal id: {quantity: Expr}}`` of every terminal with quantities."""
        return {s["id"]: dict(s["quantities"]) for s in self.nodes if s.get("quantities")}

    def node_specs(self) -> list[dict]:
        """The nodes as plain dicts with expressions (``Expr``) in place of payoffs and probabilities."""
        out = []
        for s in self.nodes:
            if "payoffs" in s:
                d = {"id": s["id"], "payoffs": [self.terms[j] for j in s["payoffs"]]}
                if "outcome" in s:
                    d["outcome"] = s["outcome"]
                if s.get("tags"):
                    d["tags"] = list(s["tags"])
                if s.get("quantities"):
                    d["quantities"] = dict(s["quantities"])
            elif "chance" in s:
                d = {"id": s["id"], "player": CHANCE_PLAYER, "actions": {a: c for a, (c, _) in s["chance"].items()},
                     "probabilities": {a: self.terms[j] for a, (_, j) in s["chance"].items()}}
            else:
                d = {k: s[k] for k in ("id", "player", "actions", "infoset") if k in s}
            out.append(d)
        return out


_QUANTITY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _quantity_table(table, names, where: str) -> dict:
    """``{name: Expr}`` from a mapping of quantity names to numbers or expressions in the parameters."""
    if not isinstance(table, Mapping):
        raise GameStructureError(f"{where}: quantities must be a table {{name = number or expression}}, got {table!r}")
    out = {}
    for k, v in table.items():
        if not isinstance(k, str) or not _QUANTITY_NAME.match(k):
            raise GameStructureError(f"{where}: quantity name {k!r} is not an identifier")
        out[k] = _as_term(v, names, f"{where}: quantity {k!r}")
    return out


def _payoff_list(vec, players, where: str) -> list:
    """One payoff per player, from a sequence in player order or a mapping ``player -> payoff``."""
    if isinstance(vec, Mapping):
        unknown = sorted(set(map(str, vec)) - set(players))
        if unknown:
            raise GameStructureError(f"{where}: payoff for unknown player(s) {unknown}; players are {list(players)}")
        missing = [p for p in players if p not in vec]
        if missing:
            raise GameStructureError(f"{where}: no payoff for {missing}")
        return [vec[p] for p in players]
    if isinstance(vec, (str, bytes)) or not isinstance(vec, Sequence):
        raise GameStructureError(f"{where}: payoffs must be a list (one per player) or a mapping "
                                 f"player -> payoff, got {vec!r}")
    if len(vec) != len(players):
        raise GameStructureError(f"{where}: {len(vec)} payoffs for {len(players)} players")
    return list(vec)
