"""Named measures: quantities computed from an equilibrium and the parameters.

A :class:`Measure` is an expression (the package's safe parser,
:func:`deterrence.symbolic.parse`) with a name, a meaning and a unit.  Its
names are resolved against a model:

* a **parameter** of the model (``p_B``);
* ``P_<tag>``: the probability, in the equilibrium, of the outcomes carrying
  the outcome tag ``<tag>`` (``P_war``, ``P_status_quo``; see
  :data:`deterrence.games.outcome_tags.TAGS`);
* ``E_<quantity>``: the expectation, in the equilibrium, of a numeric
  quantity of the outcomes (``quantities = { coalition_size = 2 }`` on a
  terminal or a profile; 0 where an outcome does not give it), e.g.
  ``E_coalition_size``;
* a name bound in the measure's ``actions`` table to the probability of an
  action: ``{"infoset": "challenger", "action": "challenge"}`` or
  ``{"node": "challenger_vs_hard", "action": "challenge"}`` in a tree (the
  behaviour probability at that information set), ``{"player": "Row",
  "action": "straight"}`` in a normal form.

In a model file::

    [measures.P_war]
    expr = "P_war"
    meaning = "Probability of war (conflict after a challenge)"
    unit = "probability"

    [measures.P_challenge]
    expr = "challenge"
    meaning = "Probability that the Challenger challenges"
    unit = "probability"
    actions = { challenge = { infoset = "challenger", action = "challenge" } }

A measure is evaluated on **every** equilibrium listed at each point
(:mod:`deterrence.analysis.equilibrium_sets`); :func:`measure_summary` gives
per point the value when all equilibria agree (NaN where they differ), the
minimum and the maximum over the equilibria, and their number.  Nothing is
reported for "the first equilibrium" only.  Maps of a measure over two
parameters are in :mod:`deterrence.analysis.measure_maps`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from ..errors import ExpressionError, GameStructureError, ModelError
from ..games.outcome_tags import TAGS
from ..symbolic.expr import Expr, compile_batch, parse
from .equilibrium_sets import EquilibriumSet, equilibrium_set

__all__ = ["Measure", "ActionRef", "evaluate_measure", "measure_summary", "measure_columns", "resolve_measures",
           "track_ranges", "UNITS"]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
#: Units with a meaning the package checks (a probability lies in [0, 1]); any other text is kept as written.
UNITS = ("probability", "payoff", "count", "share", "")


@dataclass(frozen=True)
class ActionRef:
    """The probability of *action* at an information set, a node (trees) or of a player (normal forms)."""

    action: str
    infoset: str | None = None
    node: str | None = None
    player: str | None = None

    @classmethod
    def from_spec(cls, spec, where: str) -> "ActionRef":
        if isinstance(spec, ActionRef):
            return spec
        if not isinstance(spec, Mapping):
            raise ExpressionError(f"{where}: expected a table {{infoset|node|player = ..., action = ...}}, "
                                  f"got {spec!r}")
        extra = sorted(set(spec) - {"action", "infoset", "node", "player"})
        if extra:
            raise ExpressionError(f"{where}: unknown key(s) {extra}; allowed: action, infoset, node, player")
        for k, v in spec.items():
            if not isinstance(v, str) or not v:
                raise ExpressionError(f"{where}.{k}: expected a non-empty string, got {v!r}")
        if "action" not in spec:
            raise ExpressionError(f"{where}: missing 'action'")
        if ("infoset" in spec) + ("node" in spec) > 1:
            raise ExpressionError(f"{where}: give an infoset or a node, not both")
        return cls(**{k: spec[k] for k in spec})


class Measure:
    """A named quantity of an equilibrium and the parameters.

    Parameters
    ----------
    name : str
        An identifier (letters, digits, underscores).
    expr : str or Expr
        Expression over parameters, ``P_<tag>`` and the names in *actions*.
    meaning : str
        What it measures, in words.
    unit : str
        ``"probability"`` (checked to lie in [0, 1]), ``"payoff"``, ... or free text.
    actions : mapping, optional
        ``{name: ActionRef or {"infoset"|"node"|"player": ..., "action": ...}}``.
    """

    def __init__(self, name: str, expr, *, meaning: str = "", unit: str = "", actions: Mapping | None = None):
        if not isinstance(name, str) or not _NAME.match(name):
            raise ExpressionError(f"measure name {name!r}: use letters, digits and underscores, not starting "
                                  f"with a digit")
        self.name = name
        try:
            self.expr = expr if isinstance(expr, Expr) else parse(expr)
        except ExpressionError as exc:
            raise ExpressionError(f"measure {name!r}: {exc}") from None
        if not isinstance(meaning, str) or not isinstance(unit, str):
            raise ExpressionError(f"measure {name!r}: meaning and unit must be strings")
        self.meaning = meaning
        self.unit = unit
        self.actions = {}
        for k, spec in (actions or {}).items():
            if not isinstance(k, str) or not _NAME.match(k):
                raise ExpressionError(f"measure {name!r}: action name {k!r} is not an identifier")
            self.actions[k] = ActionRef.from_spec(spec, f"measure {name!r}: actions.{k}")
        unused = sorted(set(self.actions) - self.expr.names)
        if unused:
            raise ExpressionError(f"measure {name!r}: action name(s) {unused} are not used in {str(self.expr)!r}")

    @property
    def is_probability(self) -> bool:
        return self.unit == "probability"

    def to_dict(self) -> dict:
        return {"name": self.name, "expr": str(self.expr), "meaning": self.meaning, "unit": self.unit,
                "actions": {k: {f: getattr(r, f) for f in ("infoset", "node", "player", "action")
                                if getattr(r, f) is not None} for k, r in self.actions.items()}}

    def __repr__(self) -> str:
        return f"Measure({self.name!r}, {str(self.expr)!r}, unit={self.unit!r})"

    # ------------------------------------------------------------------ binding to a model
    def bind(self, model) -> "_Bound":
        """Resolve every name against *model*; raises a :class:`ModelError` subclass naming the culprit."""
        params = set(model.parameter_names)
        tags = model.tags
        clash = sorted(set(self.actions) & params)
        if clash:
            raise ExpressionError(f"measure {self.name!r}: action name(s) {clash} are also parameters")
        tag_of, slot_of, quantity_of = {}, {}, {}
        quantities = model.quantity_names
        for n in sorted(self.expr.names):
            if n in self.actions:
                slot_of[n] = _action_slot(model, self.actions[n], f"measure {self.name!r}: actions.{n}")
            elif n in params:
                continue
            elif n.startswith("E_") and n[2:] in quantities:
                quantity_of[n] = _quantity_terms(model, n[2:])
            elif n.startswith("P_"):
                t = n[2:]
                if t not in TAGS:
                    raise ExpressionError(f"measure {self.name!r}: {n!r}: unknown tag {t!r}; the vocabulary is "
                                          f"{sorted(TAGS)}")
                if t not in tags:
                    raise ExpressionError(f"measure {self.name!r}: {n!r}: no outcome of model {model.name!r} is "
                                          f"tagged {t!r}; its tags are {sorted(tags)}")
                tag_of[n] = _tag_mask(model, t)
            else:
                raise ExpressionError(
                    f"measure {self.name!r}: unknown name {n!r} in {str(self.expr)!r}: not a parameter "
                    f"({sorted(params)}), not P_<tag> (tags of the model: {sorted(tags)}), not E_<quantity> "
                    f"(quantities of the model: {sorted(quantities)}) and not in actions")
        return _Bound(self, compile_batch([self.expr]), tag_of, slot_of, quantity_of)


@dataclass
class _Bound:
    measure: Measure
    program: Any
    tag_of: dict = field(default_factory=dict)
    slot_of: dict = field(default_factory=dict)
    quantity_of: dict = field(default_factory=dict)


def _atoms(model):
    """Outcome atoms of a model in solver order: terminal node ids (trees) or profiles (normal forms)."""
    if model.kind == "tree":
        tree = model._template()[0]
        term = np.flatnonzero(tree.kind == 0)
        term = term[np.argsort(tree.terminal[term])]
        return [tree.node_ids[v] for v in term]
    return [tuple(a[j] for a, j in zip(model.actions, idx)) for idx in np.ndindex(*model.num_actions)]


def _quantity_terms(model, name):
    """``(atom indices, compiled expressions, names they use)`` of the outcomes that give the quantity *name*."""
    qs = model.outcome_quantities()
    idx, exprs = [], []
    for k, a in enumerate(_atoms(model)):
        if name in qs.get(a, {}):
            idx.append(k)
            exprs.append(qs[a][name])
    used = frozenset().union(*(e.names for e in exprs))
    return np.array(idx, np.int64), compile_batch(exprs), used


def _tag_mask(model, tag) -> np.ndarray:
    tags = model.outcome_tags()
    return np.array([tag in tags.get(a, ()) for a in _atoms(model)], dtype=float)


def _action_slot(model, ref: ActionRef, where: str) -> int:
    if model.kind == "tree":
        if ref.infoset is None and ref.node is None:
            raise GameStructureError(f"{where}: in a tree, name the infoset or the node of the action")
        tree = model._template()[0]
        if ref.node is not None:
            if ref.node not in tree.node_ids:
                raise GameStructureError(f"{where}: no node {ref.node!r}")
            v = tree.node_ids.index(ref.node)
            if tree.kind[v] != 1:
                raise GameStructureError(f"{where}: node {ref.node!r} is not a decision node")
            h = tree.infosets[int(tree.infoset[v])]
        else:
            labels = [h.label for h in tree.infosets]
            if ref.infoset not in labels:
                raise GameStructureError(f"{where}: no information set {ref.infoset!r}; they are {labels}")
            h = tree.infosets[labels.index(ref.infoset)]
            v = h.nodes[0]
        if ref.player is not None and tree.players[h.player] != ref.player:
            raise GameStructureError(f"{where}: {h.label!r} belongs to {tree.players[h.player]!r}, not {ref.player!r}")
        if ref.action not in h.actions:
            raise GameStructureError(f"{where}: no action {ref.action!r} at {h.label!r}; actions are {list(h.actions)}")
        return int(tree.child_ptr[v]) + list(h.actions).index(ref.action)
    if ref.infoset is not None or ref.node is not None:
        raise GameStructureError(f"{where}: {model.name!r} is a normal form: name the player, not a node")
    if ref.player not in model.players:
        raise GameStructureError(f"{where}: unknown player {ref.player!r}; players are {list(model.players)}")
    i = model.players.index(ref.player)
    if ref.action not in model.actions[i]:
        raise GameStructureError(f"{where}: {ref.player} has no action {ref.action!r}; actions are "
                                 f"{list(model.actions[i])}")
    return int(sum(model.num_actions[:i])) + model.actions[i].index(ref.action)


def resolve_measures(model, measures=None) -> list[Measure]:
    """Measures from names (of ``model.measures``) or :class:`Measure` objects; ``None`` means all of the model's."""
    if measures is None:
        return list(model.measures.values())
    if isinstance(measures, (str, Measure)):
        measures = [measures]
    if isinstance(measures, (bool, Mapping)) or not isinstance(measures, Iterable):
        raise ModelError(f"measures must be None (every measure of the model), a measure name, a Measure or a "
                         f"list of them ([] for none), got {type(measures).__name__}: {measures!r}")
    out = []
    for m in measures:
        if isinstance(m, Measure):
            out.append(m)
        elif isinstance(m, str):
            if m not in model.measures:
                raise ModelError(f"model {model.name!r} has no measure {m!r}; its measures are {sorted(model.measures)}")
            out.append(model.measures[m])
        else:
            raise ModelError(f"a measure is a name or a Measure, got {type(m).__name__}: {m!r}")
    names = [m.name for m in out]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ModelError(f"measure(s) {dup} given twice")
    return out


# ---------------------------------------------------------------------- evaluation
def _bound(measure: Measure, model) -> _Bound:
    """:meth:`Measure.bind`, once per measure object and model (cached on the model)."""
    cache = model.__dict__.setdefault("_bound_measures", {})
    hit = cache.get(id(measure))
    if hit is None or hit[0] is not measure:
        hit = (measure, measure.bind(model))
        cache[id(measure)] = hit
    return hit[1]


def _tag_probabilities(bounds, eqs: EquilibriumSet) -> dict:
    """``{P_<tag>: (E,) probability}`` for every tag the bound measures read, in one pass over the outcome
    distribution (sums of the tagged outcomes' rows of its node-major transpose; no BLAS call)."""
    names, masks = [], []
    for bound in bounds:
        for n, mask in bound.tag_of.items():
            if n not in names:
                names.append(n)
                masks.append(mask)
    if not names:
        return {}
    opT = eqs.outcome_probs.T                                # (T, E): contiguous rows when the solver is node-major
    probs = np.zeros((len(names), opT.shape[1]))
    for j, mask in enumerate(masks):                         # a tag mask is 0 or 1: sum the tagged outcomes' rows
        rows = np.flatnonzero(mask)
        if rows.size:
            probs[j] = opT.take(rows, axis=0).sum(axis=0)
    return {n: probs[j] for j, n in enumerate(names)}


def evaluate_measure(measure: Measure, model, eqs: EquilibriumSet, points: Mapping[str, Any],
                     tag_probs: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """The measure at every listed equilibrium, shape ``(E,)`` (``eqs.game_index`` gives the points).

    For a computed model (its listing carries ``values``) the value is the one its function computed.
    *tag_probs*: ``{P_<tag>: (E,) probability}`` already computed for these equilibria (as
    :func:`measure_columns` does for all its measures at once); missing tags are computed here."""
    if eqs.values is not None:
        if measure.name not in eqs.values:
            raise ExpressionError(f"model {model.name!r} computes no measure {measure.name!r}; its measures are "
                                  f"{sorted(eqs.values)}")
        return np.asarray(eqs.values[measure.name], float)
    bound = _bound(measure, model)
    gi = eqs.game_index
    values = {}
    for n in measure.expr.names:
        if n in bound.tag_of:
            values[n] = tag_probs[n] if tag_probs is not None and n in tag_probs else eqs.outcome_probs @ bound.tag_of[n]
        elif n in bound.quantity_of:
            idx, program, used = bound.quantity_of[n]
            derived = getattr(model, "derived", None)
            late = used & set(derived.names) - set(points) if derived is not None else set()
            take = used | set(model.parameter_names) if late else used     # only the names the quantity uses
            arrays = {p: np.broadcast_to(np.asarray(points[p], float).reshape(-1), (eqs.n_points,))[gi]
                      for p in take if p in points}
            if late and len(gi):          # derived quantities not given with the points: computed from the parameters
                arrays = model.expression_values(arrays)
            q = np.asarray(program(arrays), float).reshape(-1, len(idx)) if len(gi) else np.zeros((0, len(idx)))
            q = np.broadcast_to(q, (len(gi), len(idx)))
            values[n] = np.einsum("ek,ek->e", eqs.outcome_probs[:, idx], q)
        elif n in bound.slot_of:
            values[n] = eqs.action_probs[:, bound.slot_of[n]]
        else:
            values[n] = np.broadcast_to(np.asarray(points[n], float).reshape(-1), (eqs.n_points,))[gi]
    if len(gi) == 0:
        return np.zeros(0)
    try:
        out = np.asarray(bound.program(values), float).reshape(len(gi))
    except ExpressionError as exc:
        raise ExpressionError(f"measure {measure.name!r}: {exc}") from None
    if measure.is_probability:
        bad = np.flatnonzero((out < -1e-9) | (out > 1 + 1e-9))
        if bad.size:
            k = int(bad[0])
            raise ExpressionError(f"measure {measure.name!r} has unit 'probability' but is {out[k]:.6g} at point "
                                  f"{int(gi[k])} of the batch")
    return out


def measure_summary(values: np.ndarray, eqs: EquilibriumSet, tol: float = 1e-9) -> dict:
    """Per point: ``value`` (where every equilibrium agrees within *tol*, NaN elsewhere), ``min``, ``max``
    over the equilibria (NaN where there is none) and ``count``."""
    B = eqs.n_points
    gi = eqs.game_index
    if len(gi) == B and (B == 0 or (gi[0] == 0 and gi[-1] == B - 1 and np.all(gi[1:] > gi[:-1]))):
        # one equilibrium at every point (game_index 0 .. B-1): its value is the value, the minimum and the maximum
        v = np.asarray(values, float)
        return {"value": v, "min": v, "max": v, "count": np.ones(B, np.int64)}
    lo = np.full(B, np.inf)
    hi = np.full(B, -np.inf)
    np.minimum.at(lo, gi, values)
    np.maximum.at(hi, gi, values)
    count = eqs.counts
    lo[count == 0] = np.nan
    hi[count == 0] = np.nan
    value = np.where(hi - lo <= tol * np.maximum(1.0, np.abs(hi)), (lo + hi) / 2, np.nan)
    return {"value": value, "min": lo, "max": hi, "count": count}


def measure_columns(model, points: Mapping[str, Any], concept: str, measures, tol: float = 1e-8,
                    validated: bool = False, game=None, result=None) -> dict:
    """Table columns of *measures* at a batch of points: ``M`` (NaN where the equilibria disagree),
    ``M[min]``, ``M[max]`` for each measure, ``equilibria_measured`` (how many equilibria each point has)
    and ``equilibria_complete``.  *validated*: the points hold every parameter and were already checked
    (domains and constraints), so the game is built without checking again.  *game* and *result*: the
    batched game at *points* and a tree solver's result for it, when the caller already has them (see
    :func:`~deterrence.analysis.equilibrium_sets.equilibrium_set`)."""
    ms = resolve_measures(model, measures)
    if not ms:
        return {}
    if game is None and validated and hasattr(model, "_build"):      # points already checked, as in sweep's solve_chunk
        n = len(next(iter(points.values())))
        game = model._build({k: np.asarray(v, dtype=float) for k, v in points.items()}, n)
        game.batched = True
    eqs = equilibrium_set(model, points, concept, tol=tol, game=game, result=result if game is not None else None)
    if getattr(model, "derived", None) is not None:      # computed once for every measure, not once per measure
        points = model.expression_values(points)
    tag_probs = _tag_probabilities([_bound(m, model) for m in ms], eqs) if eqs.values is None else None
    cols = {}
    for m in ms:
        s = measure_summary(evaluate_measure(m, model, eqs, points, tag_probs), eqs)
        cols[m.name] = s["value"]
        cols[f"{m.name}[min]"] = s["min"]
        cols[f"{m.name}[max]"] = s["max"]
    cols["equilibria_measured"] = eqs.counts
    cols["equilibria_complete"] = eqs.complete
    return cols


def track_ranges(sink, described: dict) -> None:
    """Keep, in ``described[name]``, each measure's ``min`` and ``max`` over every equilibrium of every point
    a sweep has solved so far, and ``points_with_several_values`` (points whose equilibria disagree), as the
    chunks pass through *sink* (any object with an ``add(points, columns)`` method), so that a streamed sweep
    reports them without keeping its rows."""
    for d in described.values():
        d.update(min=None, max=None, points_with_several_values=0)
    add = sink.add

    def add_and_track(points, cols):
        for name, d in described.items():
            lo = np.asarray(cols[f"{name}[min]"], float)
            hi = np.asarray(cols[f"{name}[max]"], float)
            if np.isfinite(lo).any():
                m, x = float(np.nanmin(lo)), float(np.nanmax(hi))
                d["min"] = m if d["min"] is None else min(d["min"], m)
                d["max"] = x if d["max"] is None else max(d["max"], x)
            d["points_with_several_values"] += int(np.isnan(np.asarray(cols[name], float)).sum()
                                                   - np.isnan(lo).sum())
        add(points, cols)

    sink.add = add_and_track
