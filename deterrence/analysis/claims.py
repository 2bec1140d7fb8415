"""Claims from the literature, stated as data beside their model and checked to a verdict.

A :class:`Claim` names a statement about a model, the region of parameters
it is meant for, its source (author, year) and the words of the claim as the
literature states it.  In a model file::

    [[claims]]
    id = "credibility_threshold"
    kind = "iff"
    condition = "p_B > (a_DC - a_SQ)/(a_DC - a_DD)"
    holds = "P_status_quo == 1"
    region = { p_B = [0, 1], a_SQ = [-1, 0.5] }
    source = "Zagare and Kilgour (2000)"
    words = "..."

Statement kinds
---------------
``monotone``
    *measure* is (weakly) ``increasing`` or ``decreasing`` in *parameter*.
    Checked on lines: at each sampled base point the parameter runs over
    :data:`LINE_POINTS` equally spaced values of its range in the region;
    with several equilibria the measure's set of values must move in the
    strong set order (its minimum and its maximum both move the claimed way).
``inequality``
    A comparison chain (``<``, ``<=``, ``>``, ``>=``, ``==``; ``==`` within
    a tolerance) over measures, ``P_<tag>`` and parameters must hold; with
    ``where`` (a comparison over parameters) only at the points where that
    premise holds.
``iff``
    ``holds`` (over measures and parameters) holds exactly where
    ``condition`` (over parameters) does: a threshold claim.
``equilibria``
    An equilibrium of a ``type`` (``pure``, ``mixed``, ``any``), optionally a
    given pure ``profile`` of a normal form, ``exists``, does ``none``, is the
    ``unique`` equilibrium, or there are exactly ``count`` of them.  Counts
    are of extreme equilibria; where the equilibria include a continuum
    there are infinitely many mixed ones, and the claim is judged so.  With
    a concept that lists pure equilibria only (``spe``; ``pbe`` on trees
    whose information sets hide only chance; ``pure``) ``type = "mixed"`` is
    refused; on such a tree a tie (several pure equilibria at a point) counts
    as infinitely many equilibria (mixing over the tied actions), and with
    concept ``pure`` a normal form's claim is about its pure equilibria.
``compare``
    ``measure`` in variant 0 ``op`` the measure in variant 1 at the same
    parameters; a variant is ``{set = {...}, model = "...", label = "..."}``
    (another model needs a ``loader``).  The parameters of the region and
    ``fixed`` take the same values in both; every other parameter takes the
    variant's ``set`` value or its own model's default.

For ``inequality``, ``iff`` and ``compare`` a statement must hold in
*every* listed equilibrium of a point (``equilibria = "some"``: in at least
one).  A ``compare`` claim may instead compare the two equilibrium sets in
the strong set order (``equilibria = "sets"``): the least values of the
measure compare as stated, and so do the greatest, as in monotone claims.

Verdicts
--------
``proven``
    Only where it really is: an ``equilibria`` claim whose region is a single
    point of a two-player normal form, settled by exact rational enumeration
    of every extreme equilibrium (a complete, exactly verified set); or a
    ``monotone`` claim on a tree whose measure is exactly the probability of
    one outcome label (``P_<tag>`` with the tag on exactly that label's
    outcomes), proven by the piecewise comparative statics of
    :func:`~deterrence.analysis.symbolic.comparative_statics` (within every
    equilibrium regime and across every regime boundary, over the whole
    parameter space), and only when the sampled check agrees.
``holds``
    At every one of the N sampled points (the sampler, N and the seed are stated).
``holds_on_share``
    On a share of the sample, with a concrete counterexample point and the
    sub-region where it fails (the bounding box of the failing points, and a
    one-parameter split when one separates them exactly).
``fails``
    At every sampled point.

Every verdict records its provenance (package version, model hash, concept,
tolerance, seed, sample).

Computed models
---------------
A :class:`~deterrence.analysis.computed.ComputedModel` (a continuous game
solved in closed form, a hand-derived equilibrium, a probability model) has
no game form; its function computes its measures at a batch of points, one
certified solution per point.  The kinds over measures (``monotone``,
``inequality``, ``iff``, ``compare``, with variants that may name other
computed models) are checked on it exactly as on a game, with the same
samplers, verdicts, counterexamples and failing regions; the provenance's
concept is the model's statement of what it computes.  Kind ``equilibria``
and the ``concept`` key are refused on it (there is one solution per point
by construction, and no other concept to choose).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable, Mapping

import numpy as np

from ..errors import ExpressionError, ModelError
from ..symbolic.expr import compile_batch, parse
from .equilibrium_sets import equilibrium_set
from .measures import Measure, evaluate_measure, measure_summary
from .provenance import DEFAULT_SEED, provenance

__all__ = ["Claim", "ClaimCheck", "check_claim", "check_claims", "KINDS", "VERDICTS", "DEFAULT_SAMPLES",
           "LINE_POINTS"]

#: Statement kinds.
KINDS = ("monotone", "inequality", "iff", "equilibria", "compare")
#: Verdict codes, strongest first.
VERDICTS = ("proven", "holds", "holds_on_share", "fails")
#: Points sampled when a claim states no ``samples``.
DEFAULT_SAMPLES = 200
#: Values of the parameter on each line of a monotonicity check.
LINE_POINTS = 21
_EQ_TOL = 1e-9
_CMP = re.compile(r"(<=|>=|==|<|>)")
_COMMON = {"id", "kind", "source", "words", "region", "fixed", "samples", "concept", "note", "equilibria"}
_KEYS = {
    "monotone": {"measure", "parameter", "direction"},
    "inequality": {"holds", "where"},
    "iff": {"condition", "holds"},
    "equilibria": {"type", "profile", "quantifier", "count"},
    "compare": {"measure", "variants", "op"},
}


class _Comparison:
    """A chain ``e0 op1 e1 op2 e2 ...`` of safe expressions."""

    def __init__(self, text: str, where: str):
        if not isinstance(text, str) or not text.strip():
            raise ExpressionError(f"{where}: expected a comparison such as 'P_war <= 0.5', got {text!r}")
        parts = _CMP.split(text)
        if len(parts) < 3:
            raise ExpressionError(f"{where}: {text!r} has no comparison (<, <=, >, >=, ==)")
        try:
            self.exprs = [parse(parts[k]) for k in range(0, len(parts), 2)]
        except ExpressionError as exc:
            raise ExpressionError(f"{where}: {exc}") from None
        self.ops = parts[1::2]
        self.text = text
        self.names = frozenset().union(*(e.names for e in self.exprs))
        self.program = compile_batch(self.exprs)

    def holds(self, values: Mapping[str, np.ndarray], n: int) -> np.ndarray:
        sides = np.asarray(self.program(values), float).reshape(-1, len(self.exprs))
        sides = np.broadcast_to(sides, (n, len(self.exprs))) if sides.shape[0] == 1 else sides
        ok = np.ones(sides.shape[0], bool)
        for j, op in enumerate(self.ops):
            a, b = sides[:, j], sides[:, j + 1]
            if op == "==":
                ok &= np.abs(a - b) <= _EQ_TOL * np.maximum(1.0, np.abs(b))
            else:
                ok &= {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[op]
        return ok


@dataclass(frozen=True, eq=False)
class Claim:
    """A claim about a model (see the module docstring for the kinds and their keys).

    Build with :meth:`from_spec` (a model file's ``[[claims]]`` table, a dict);
    it checks every key and name against the model.
    """

    id: str
    kind: str
    source: str
    words: str
    region: dict
    fixed: dict
    samples: int
    concept: str | None
    note: str
    spec: dict = field(repr=False)
    model_name: str = ""
    origin: dict | None = None

    @classmethod
    def from_spec(cls, spec: Mapping, model, where: str = "claims") -> "Claim":
        """Validate a claim table against *model*; raises :class:`ModelError` subclasses naming *where* and the key."""
        if not isinstance(spec, Mapping):
            raise ExpressionError(f"{where}: expected a table, got {type(spec).__name__}")
        kind = spec.get("kind")
        if kind not in KINDS:
            raise ExpressionError(f"{where}.kind: unknown claim kind {kind!r}; kinds are {list(KINDS)}")
        extra = sorted(set(spec) - _COMMON - _KEYS[kind])
        if extra:
            raise ExpressionError(f"{where}: unknown key(s) {extra} for a {kind!r} claim; allowed: "
                                  f"{sorted(_COMMON | _KEYS[kind])}")
        for k in ("id", "source", "words"):
            v = spec.get(k)
            if not isinstance(v, str) or not v.strip():
                raise ExpressionError(f"{where}.{k}: missing or empty (a claim needs an id, its source "
                                      f"(author, year) and the literature's words)")
        params = model.parameters
        region = _bounds(spec.get("region", {}), params, f"{where}.region")
        fixed = _fixed(spec.get("fixed", {}), params, f"{where}.fixed")
        both = sorted(set(region) & set(fixed))
        if both:
            raise ExpressionError(f"{where}: parameter(s) {both} are both in region and fixed")
        samples = spec.get("samples", DEFAULT_SAMPLES)
        if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= 1_000_000:
            raise ExpressionError(f"{where}.samples: expected an integer from 1 to 10^6, got {samples!r}")
        concept = spec.get("concept")
        if getattr(model, "kind", "") == "computed":
            if kind == "equilibria":
                raise ExpressionError(f"{where}.kind: {model.name!r} is a computed model (one solution per point: "
                                      f"{model.concept}); state the claim over its measures (monotone, inequality, "
                                      f"iff, compare), not over its equilibria")
            if concept is not None:
                raise ExpressionError(f"{where}.concept: {model.name!r} is a computed model; it computes "
                                      f"{model.concept} and takes no concept")
        if concept is not None and concept not in ("spe", "pbe", "nash", "pure", "symmetric"):
            raise ExpressionError(f"{where}.concept: unknown concept {concept!r}; use spe, pbe, nash, pure or "
                                  f"symmetric")
        q = spec.get("equilibria", "all")
        if q not in ("all", "some", "sets"):
            raise ExpressionError(f"{where}.equilibria: expected 'all', 'some' or 'sets', got {q!r}")
        if q == "sets" and kind != "compare":
            raise ExpressionError(f"{where}.equilibria: 'sets' (the strong set order) is for compare claims only")
        note = spec.get("note", "")
        if not isinstance(note, str):
            raise ExpressionError(f"{where}.note: expected a string")
        claim = cls(id=spec["id"], kind=kind, source=spec["source"], words=spec["words"], region=region,
                    fixed=fixed, samples=samples, concept=concept, note=note, spec=dict(spec),
                    model_name=model.name)
        claim._validate(model, where)
        return claim

    # ------------------------------------------------------------------ validation of kind-specific keys
    def _validate(self, model, where):
        s = self.spec
        if self.kind == "monotone":
            _measure(model, s.get("measure"), f"{where}.measure")
            p = s.get("parameter")
            if p not in model.parameter_names:
                raise ExpressionError(f"{where}.parameter: unknown parameter {p!r}; parameters are "
                                      f"{list(model.parameter_names)}")
            if p not in self.region:
                raise ExpressionError(f"{where}.region: give the range of {p!r}, the parameter the claim varies")
            if s.get("direction") not in ("increasing", "decreasing"):
                raise ExpressionError(f"{where}.direction: expected 'increasing' or 'decreasing', "
                                      f"got {s.get('direction')!r}")
        elif self.kind in ("inequality", "iff"):
            holds = _Comparison(s.get("holds"), f"{where}.holds")
            _names_ok(model, holds.names, f"{where}.holds")
            key = "where" if self.kind == "inequality" else "condition"
            if self.kind == "iff" or s.get("where") is not None:
                cond = _Comparison(s.get(key), f"{where}.{key}")
                bad = sorted(cond.names - set(model.parameter_names))
                if bad:
                    raise ExpressionError(f"{where}.{key}: {bad} are not parameters of {model.name!r} "
                                          f"(a {key} is a statement about parameters)")
        elif self.kind == "equilibria":
            t = s.get("type", "any")
            if t not in ("pure", "mixed", "any"):
                raise ExpressionError(f"{where}.type: expected 'pure', 'mixed' or 'any', got {t!r}")
            qn = s.get("quantifier", "exists")
            if qn not in ("exists", "none", "unique", "count"):
                raise ExpressionError(f"{where}.quantifier: expected exists, none, unique or count, got {qn!r}")
            if (qn == "count") != ("count" in s):
                raise ExpressionError(f"{where}: quantifier 'count' goes with count = k (and only with it)")
            if "count" in s and (isinstance(s["count"], bool) or not isinstance(s["count"], int) or s["count"] < 0):
                raise ExpressionError(f"{where}.count: expected a non-negative integer, got {s['count']!r}")
            if "profile" in s:
                if model.kind != "normal_form":
                    raise ExpressionError(f"{where}.profile: only normal-form models have profiles")
                prof = s["profile"]
                if not isinstance(prof, list) or len(prof) != len(model.players):
                    raise ExpressionError(f"{where}.profile: expected one action per player "
                                          f"({list(model.players)}), got {prof!r}")
                for i, (p, a) in enumerate(zip(model.players, prof)):
                    if a not in model.actions[i]:
                        raise ExpressionError(f"{where}.profile[{i}]: {p} has no action {a!r}; actions are "
                                              f"{list(model.actions[i])}")
                if t == "mixed":
                    raise ExpressionError(f"{where}: a pure profile and type 'mixed' contradict each other")
        elif self.kind == "compare":
            _measure(model, s.get("measure"), f"{where}.measure")
            if s.get("op") not in ("<", "<=", ">", ">=", "=="):
                raise ExpressionError(f"{where}.op: expected one of <, <=, >, >=, ==; got {s.get('op')!r}")
            vs = s.get("variants")
            if not isinstance(vs, list) or len(vs) != 2:
                raise ExpressionError(f"{where}.variants: expected two variant tables, got {vs!r}")
            for j, v in enumerate(vs):
                if not isinstance(v, Mapping):
                    raise ExpressionError(f"{where}.variants[{j}]: expected a table")
                extra = sorted(set(v) - {"set", "model", "label"})
                if extra:
                    raise ExpressionError(f"{where}.variants[{j}]: unknown key(s) {extra}; allowed: set, model, label")
                for k in ("model", "label"):
                    if k in v and (not isinstance(v[k], str) or not v[k].strip()):
                        raise ExpressionError(f"{where}.variants[{j}].{k}: expected a non-empty string, "
                                              f"got {v[k]!r}")
                if not isinstance(v.get("set", {}), Mapping):
                    raise ExpressionError(f"{where}.variants[{j}].set: expected a table {{parameter = value}}")
                if v.get("model", model.name) == model.name:
                    clash = sorted(set(v.get("set", {})) & set(self.region))
                    if clash:
                        raise ExpressionError(f"{where}.variants[{j}].set: {clash} are sampled in the region")
                    _fixed(v.get("set", {}), model.parameters, f"{where}.variants[{j}].set")

    def to_dict(self) -> dict:
        out = {"id": self.id, "model": self.model_name, "kind": self.kind, "source": self.source,
               "words": self.words}
        if self.origin:
            out["claims_file"] = dict(self.origin)
        out.update({k: v for k, v in self.spec.items() if k not in out})
        return out

    def statement(self) -> str:
        """The claim as the package states it (one line)."""
        s = self.spec
        if self.kind == "monotone":
            return f"{s['measure']} is {s['direction']} in {s['parameter']}"
        if self.kind == "inequality":
            return s["holds"] + (f" where {s['where']}" if s.get("where") else "")
        if self.kind == "iff":
            return f"{s['holds']} iff {s['condition']}"
        if self.kind == "equilibria":
            t = s.get("type", "any")
            kind = "" if t == "any" else f"{t} "
            prof = f" ({', '.join(s['profile'])})" if "profile" in s else ""
            qn = s.get("quantifier", "exists")
            if qn == "count":
                k = s.get("count")
                return f"exactly {k} {kind}equilibri{'um' if k == 1 else 'a'}{prof}"
            return {"exists": f"a {kind}equilibrium{prof} exists", "none": f"no {kind}equilibrium{prof} exists",
                    "unique": f"the equilibrium is unique{' and is' + prof if prof else ''}" + (
                        f" and {t}" if t != "any" else "")}[qn]
        a, b = (_variant_label(v, j) for j, v in enumerate(s["variants"]))
        return f"{s['measure']}[{a}] {s['op']} {s['measure']}[{b}]"


def _variant_label(v, j):
    return v.get("label") or (", ".join(f"{k}={x:g}" for k, x in v.get("set", {}).items()) or f"variant {j}")


def _measure(model, name, where):
    if not isinstance(name, str) or name not in model.measures:
        raise ExpressionError(f"{where}: unknown measure {name!r}; the model's measures are {sorted(model.measures)}")


def _names_ok(model, names, where):
    for n in sorted(names):
        if n in model.measures or n in model.parameter_names:
            continue
        if getattr(model, "kind", "") == "computed":
            raise ExpressionError(f"{where}: {n!r} is not a measure ({sorted(model.measures)}) or a parameter "
                                  f"({list(model.parameter_names)}) of the computed model {model.name!r}")
        try:
            Measure(n, n).bind(model)
        except ModelError as exc:
            raise ExpressionError(f"{where}: {n!r} is not a measure ({sorted(model.measures)}), a parameter or "
                                  f"P_<tag>: {exc}") from None


def _number(v, where):
    try:
        ok = not isinstance(v, bool) and isinstance(v, (int, float)) and math.isfinite(v)
    except OverflowError:           # an integer beyond the float64 range
        raise ExpressionError(f"{where}: the integer is outside the float64 range") from None
    if not ok:
        raise ExpressionError(f"{where}: expected a finite number, got {str(v)[:60]!r}")
    return float(v)


def _bounds(table, params, where) -> dict:
    if not isinstance(table, Mapping):
        raise ExpressionError(f"{where}: expected a table {{parameter = [low, high]}}")
    out = {}
    for k, v in table.items():
        if k not in params:
            raise ExpressionError(f"{where}.{k}: unknown parameter {k!r}; parameters are {list(params.names)}")
        if not isinstance(v, list) or len(v) != 2:
            raise ExpressionError(f"{where}.{k}: expected [low, high], got {v!r}")
        lo, hi = (_number(x, f"{where}.{k}[{j}]") for j, x in enumerate(v))
        if not lo < hi:
            raise ExpressionError(f"{where}.{k}: [{lo:g}, {hi:g}] needs low < high (fix a value with 'fixed')")
        dom = params[k].domain
        if not (dom.contains(lo) and dom.contains(hi)):
            raise ExpressionError(f"{where}.{k}: [{lo:g}, {hi:g}] leaves the domain {dom} of {k!r}")
        out[k] = (lo, hi)
    return out


def _fixed(table, params, where) -> dict:
    if not isinstance(table, Mapping):
        raise ExpressionError(f"{where}: expected a table {{parameter = value}}")
    out = {}
    for k, v in table.items():
        if k not in params:
            raise ExpressionError(f"{where}.{k}: unknown parameter {k!r}; parameters are {list(params.names)}")
        out[k] = _number(v, f"{where}.{k}")
        if not params[k].domain.contains(out[k]):
            raise ExpressionError(f"{where}.{k}: {out[k]:g} is outside the domain {params[k].domain}")
    return out


# ---------------------------------------------------------------------- the verdict
@dataclass(frozen=True, eq=False)
class ClaimCheck:
    """The verdict on a claim, with its evidence.

    Attributes
    ----------
    claim : Claim
    verdict : str
        One of :data:`VERDICTS`.
    share : float
        Share of the checked points (base points of lines, for ``monotone``) where the claim holds.
    n_points : int
        Number of points checked.
    counterexample : dict or None
        A point where the claim fails: every parameter, and what was found there.
    failing_region : dict or None
        ``{"box": {parameter: [low, high]}, "split": text or None}`` over the failing points.
    method : str
        How the points were chosen (sampler, N, seed) or how the claim was proven.
    provenance : dict
    """

    claim: Claim
    verdict: str
    share: float
    n_points: int
    counterexample: dict | None
    failing_region: dict | None
    method: str
    provenance: dict

    @property
    def summary(self) -> str:
        if self.verdict == "proven":
            return "proven"
        if self.verdict == "holds":
            return f"holds at all {self.n_points} points"
        if self.verdict == "fails":
            return f"fails at all {self.n_points} points"
        return f"holds on {100 * self.share:.1f}% of {self.n_points} points"

    def to_dict(self) -> dict:
        return {"claim": self.claim.to_dict(), "statement": self.claim.statement(), "verdict": self.verdict,
                "summary": self.summary, "share": self.share, "n_points": self.n_points,
                "counterexample": self.counterexample, "failing_region": self.failing_region,
                "method": self.method, "provenance": self.provenance}


def check_claims(model, *, seed=DEFAULT_SEED, samples: int | None = None, tol: float = 1e-8,
                 loader: Callable | None = None) -> list[ClaimCheck]:
    """Check every claim of *model* (``model.claims``)."""
    return [check_claim(model, c, seed=seed, samples=samples, tol=tol, loader=loader) for c in model.claims]


def check_claim(model, claim, *, seed=DEFAULT_SEED, samples: int | None = None, tol: float = 1e-8,
                loader: Callable | None = None) -> ClaimCheck:
    """Check one claim of *model* (a :class:`Claim`, its id, or a claim table) to a verdict.

    Parameters
    ----------
    seed : int
        Seed of the Latin-hypercube sample (:data:`~deterrence.analysis.provenance.DEFAULT_SEED`).
    samples : int, optional
        Sample size (default: the claim's ``samples``, else :data:`DEFAULT_SAMPLES`).
    tol : float
        Solver tolerance.
    loader : callable, optional
        ``loader(name) -> model`` for ``compare`` claims whose variants name other models
        (e.g. :func:`deterrence.load_model`).
    """
    if isinstance(claim, str):
        found = [c for c in model.claims if c.id == claim]
        if not found:
            raise ModelError(f"model {model.name!r} has no claim {claim!r}; its claims are "
                             f"{[c.id for c in model.claims]}")
        claim = found[0]
    elif isinstance(claim, Mapping):
        claim = Claim.from_spec(claim, model)
    n = int(samples if samples is not None else claim.samples)
    if n < 1:
        raise ModelError(f"samples must be positive, got {n}")
    concept = claim.concept or _default_concept(model)
    if claim.kind == "equilibria" and not claim.region:
        proven = _prove_equilibria(model, claim, tol)
        if proven is not None:
            return proven
    sample_names = list(claim.region)
    if claim.kind == "monotone":
        sample_names.remove(claim.spec["parameter"])
    prov = provenance(model, concept=concept, tol=tol, seed=seed, fixed=claim.fixed or None,
                      claim=claim.id, **({"claims_file": dict(claim.origin)} if claim.origin else {}))
    if claim.kind == "monotone":
        return _check_monotone(model, claim, concept, sample_names, n, seed, tol, prov)
    pts, method = _sample(model, claim, sample_names, n, seed)
    prov["sample"] = {"sampler": method, "n": len(next(iter(pts.values()))), "names": sample_names,
                      "region": {k: list(v) for k, v in claim.region.items()}}
    ok, found = _statement(model, claim, pts, concept, tol, loader)
    premise = found.pop("__premise__", None)
    if premise is not None:            # an inequality is judged only where its premise holds
        if not premise.any():
            raise ModelError(f"claim {claim.id!r}: no sampled point satisfies its premise {claim.spec['where']!r}; "
                             f"widen the region or raise samples")
        method += f"; judged at the {int(premise.sum())} points where {claim.spec['where']}"
        prov["sample"]["premise_points"] = int(premise.sum())
        ok = ok[premise]
        pts = {k: np.asarray(v)[premise] for k, v in pts.items()}
        found = {k: ({f: np.asarray(x)[premise] for f, x in v.items()} if isinstance(v, dict) else
                     np.asarray(v)[premise]) for k, v in found.items()}
    return _verdict(claim, ok, pts, sample_names, method, prov, found)


def _default_concept(model) -> str:
    if getattr(model, "kind", "") == "computed":
        return model.concept
    from .sweep import default_concept
    return default_concept(model)


# ---------------------------------------------------------------------- sampling
def _constraint_mask(model, pts) -> np.ndarray:
    n = len(next(iter(pts.values()))) if pts else 1
    ok = np.ones(n, bool)
    for c in model.constraints:
        sides = np.asarray(compile_batch(list(c.exprs))(pts), float).reshape(-1, len(c.exprs))
        ok &= c.holds(np.broadcast_to(sides, (n, len(c.exprs))))
    return ok


def _sample(model, claim, names, n, seed):
    """``n`` points: a Latin hypercube over *names* within the region (others fixed or at their defaults),
    points violating the model's constraints rejected and redrawn."""
    space = model.parameters
    base = {k: v for k, v in model.defaults().items()}
    base.update(claim.fixed)
    missing = [k for k in space.names if k not in base and k not in names]
    if missing:
        raise ModelError(f"claim {claim.id!r}: parameter(s) {missing} have no default: put them in region or fixed")
    if not names:
        pts = {k: np.array([v]) for k, v in base.items()}
        if not _constraint_mask(model, pts).all():
            raise ModelError(f"claim {claim.id!r}: the point {base} violates the model's constraints")
        return pts, "the single point of the region (no parameter varies)"
    rng = np.random.default_rng(seed)
    got = {k: [] for k in names}
    have = 0
    for _ in range(200):
        draw = space.latin_hypercube(max(n - have, 8), names=names, seed=rng,
                                     bounds={k: claim.region[k] for k in names})
        m = len(draw[names[0]])
        pts = {k: np.full(m, v) for k, v in base.items()}
        pts.update({k: np.asarray(draw[k], float) for k in names})
        keep = _constraint_mask(model, pts)
        if claim.kind == "compare":          # each variant of this model must satisfy the constraints too
            for v in claim.spec["variants"]:
                if v.get("model", model.name) == model.name and v.get("set"):
                    keep &= _constraint_mask(model, {**pts, **{k: np.full(m, float(x)) for k, x in v["set"].items()}})
        for k in names:
            got[k].append(pts[k][keep])
        have += int(keep.sum())
        if have >= n:
            break
    if have < n:
        raise ModelError(f"claim {claim.id!r}: fewer than {n} points of the region satisfy the model's constraints "
                         f"in 200 draws; narrow the region")
    out = {k: np.full(n, v) for k, v in base.items()}
    out.update({k: np.concatenate(got[k])[:n] for k in names})
    rejected = bool(model.constraints)
    method = (f"Latin hypercube over {', '.join(f'{k} in [{lo:g}, {hi:g}]' for k, (lo, hi) in claim.region.items() if k in names)}"
              f"{', points violating the constraints redrawn' if rejected else ''}; "
              f"N={n}, seed={seed}")
    return out, method


# ---------------------------------------------------------------------- statements
def _measure_values(model, name, eqs, pts):
    """Values (E,) of a model measure, of P_<tag> or of a parameter at every listed equilibrium."""
    if name in model.measures:
        return evaluate_measure(model.measures[name], model, eqs, pts)
    if name in model.parameter_names:
        return np.asarray(pts[name], float)[eqs.game_index]
    return evaluate_measure(Measure(name, name), model, eqs, pts)


def _per_point(ok_e, eqs, quantifier):
    """Per point: the statement holds in every (or some) listed equilibrium."""
    B = eqs.n_points
    if quantifier == "all":
        out = np.ones(B, bool)
        np.logical_and.at(out, eqs.game_index, ok_e)
        out &= eqs.counts > 0
    else:
        out = np.zeros(B, bool)
        np.logical_or.at(out, eqs.game_index, ok_e)
    return out


def _statement(model, claim, pts, concept, tol, loader):
    """Boolean (N,) per point, and what was found at each point (for the counterexample)."""
    s = claim.spec
    q = s.get("equilibria", "all")
    if claim.kind in ("inequality", "iff"):
        eqs = equilibrium_set(model, pts, concept, tol=tol)
        holds = _Comparison(s["holds"], "holds")
        vals = {k: _measure_values(model, k, eqs, pts) for k in holds.names}
        ok = _per_point(holds.holds(vals, len(eqs.game_index)), eqs, q)
        found = {k: measure_summary(v, eqs) for k, v in vals.items() if k not in model.parameter_names}
        premise_key = "where" if claim.kind == "inequality" else "condition"
        if s.get(premise_key):
            n = len(ok)
            cond = _Comparison(s[premise_key], premise_key).holds(pts, n)
            if claim.kind == "iff":
                ok = ok == cond
                found["condition"] = cond
            else:
                found["__premise__"] = cond
        return ok, found
    if claim.kind == "equilibria":
        eqs = equilibrium_set(model, pts, concept, tol=tol)
        match = _equilibrium_match(model, claim, eqs)
        cnt = np.bincount(eqs.game_index, weights=match.astype(float), minlength=eqs.n_points).astype(int)
        total = eqs.counts
        if eqs.continuum is not None:
            cont = eqs.continuum
        elif model.kind == "tree" and not _lists_mixed(model, eqs):
            cont = eqs.counts > 1      # a tie: mixing over the tied actions gives infinitely many equilibria
        else:
            cont = np.zeros(eqs.n_points, bool)
        ok = _quantified(s, cnt, total, cont) & (eqs.complete | (s.get("quantifier", "exists") == "exists"))
        found = {"matching equilibria": np.where(_infinite(s, cont), np.inf, cnt), "equilibria": total}
        return ok, found
    # compare
    vals = []
    for j, v in enumerate(s["variants"]):
        other = v.get("model", model.name)
        if other == model.name:
            vm = model
        else:
            if loader is None:
                raise ModelError(f"claim {claim.id!r}: variant {j} names model {other!r}; pass loader= "
                                 f"(e.g. deterrence.load_model) to check it")
            vm = loader(other)
        shared = set(claim.region) | set(claim.fixed)      # the same values in both variants; the rest
        vp = {k: np.asarray(pts[k]) for k in vm.parameter_names if k in pts and k in shared}   # at their defaults
        n = len(next(iter(pts.values())))
        for k, x in v.get("set", {}).items():
            vp[k] = np.full(n, float(x))
        for k, x in vm.defaults().items():
            vp.setdefault(k, np.full(n, x))
        vm.point(vp)
        eqs = equilibrium_set(vm, vp, claim.concept or _default_concept(vm), tol=tol)
        if s["measure"] not in vm.measures:
            raise ModelError(f"claim {claim.id!r}: variant model {vm.name!r} has no measure {s['measure']!r}")
        vals.append(measure_summary(evaluate_measure(vm.measures[s["measure"]], vm, eqs, vp), eqs))
    a, b = vals
    op = s["op"]
    if q == "sets":     # the strong set order: the least values compare so, and so do the greatest
        pairs = None
    elif q == "all":    # every equilibrium of variant 0 against every one of variant 1
        pairs = {"<": (a["max"], b["min"]), "<=": (a["max"], b["min"]), ">": (a["min"], b["max"]),
                 ">=": (a["min"], b["max"])}
    else:
        pairs = {"<": (a["min"], b["max"]), "<=": (a["min"], b["max"]), ">": (a["max"], b["min"]),
                 ">=": (a["max"], b["min"])}
    if op == "==":
        ok = (np.abs(a["max"] - b["min"]) <= _EQ_TOL) & (np.abs(a["min"] - b["max"]) <= _EQ_TOL)
    elif pairs is None:
        cmp = {"<": lambda x, y: x < y, "<=": lambda x, y: x <= y + _EQ_TOL, ">": lambda x, y: x > y,
               ">=": lambda x, y: x >= y - _EQ_TOL}[op]
        ok = cmp(a["min"], b["min"]) & cmp(a["max"], b["max"])
    else:
        x, y = pairs[op]
        ok = {"<": x < y, "<=": x <= y + _EQ_TOL, ">": x > y, ">=": x >= y - _EQ_TOL}[op]
    ok &= ~np.isnan(a["min"]) & ~np.isnan(b["min"])
    labels = [_variant_label(v, j) for j, v in enumerate(s["variants"])]
    return ok, {f"{s['measure']}[{labels[0]}]": a, f"{s['measure']}[{labels[1]}]": b}


def _infinite(spec, continuum):
    """Where the matching equilibria are infinitely many: a continuum of equilibria (a segment between two
    extreme ones) holds infinitely many mixed equilibria, so claims about mixed (or any) equilibria
    count them as infinite; pure ones (and a given pure profile) are always extreme."""
    t = spec.get("type", "any")
    return np.asarray(continuum, bool) & (t in ("mixed", "any")) & ("profile" not in spec)


def _quantified(spec, cnt, total, continuum):
    """The quantifier of an ``equilibria`` claim per point, from the counts of matching and of all
    extreme equilibria and where a continuum makes the matching ones infinitely many."""
    qn = spec.get("quantifier", "exists")
    inf = _infinite(spec, continuum)
    cnt, total = np.asarray(cnt), np.asarray(total)
    if qn == "exists":
        return (cnt >= 1) | inf
    if qn == "none":
        return (cnt == 0) & ~inf
    if qn == "unique":
        return (cnt == 1) & (total == 1) & ~np.asarray(continuum, bool)
    return (cnt == int(spec["count"])) & ~inf


def _lists_mixed(model, eqs) -> bool:
    """Whether the listing holds mixed equilibria too: every extreme one of a 2x2 game, or every family of a
    signalling tree (and the pure and QRE-found ones of other trees hiding a player's move)."""
    if eqs.concept in ("nash", "symmetric"):       # symmetric: every symmetric equilibrium, mixed included
        return True
    if eqs.concept == "pbe" and getattr(model, "kind", "") == "tree":
        from ..solve.bayesian import hides_only_chance
        return not hides_only_chance(model._template()[0])
    return False


def _equilibrium_match(model, claim, eqs) -> np.ndarray:
    s = claim.spec
    t = s.get("type", "any")
    if t == "mixed" and not _lists_mixed(model, eqs):
        raise ModelError(f"claim {claim.id!r}: concept {eqs.concept!r} lists pure equilibria only on "
                         f"{model.name!r}; a claim about mixed equilibria needs a listing that includes them "
                         f"(concept 'nash' for 2x2 games, 'pbe' for signalling trees)")
    match = np.ones(len(eqs.game_index), bool)
    if t == "pure":
        match &= eqs.pure
    elif t == "mixed":
        match &= ~eqs.pure
    if "profile" in s:
        offs = np.concatenate([[0], np.cumsum(model.num_actions)])
        for i, a in enumerate(s["profile"]):
            match &= eqs.action_probs[:, offs[i] + model.actions[i].index(a)] > 1 - 1e-9
    return match


def _prove_equilibria(model, claim, tol):
    """An exact proof of an ``equilibria`` claim at the single point of its region (two-player normal forms)."""
    if model.kind != "normal_form" or len(model.players) != 2 or (claim.concept not in (None, "nash")):
        return None
    from ..solve.bimatrix import enumerate_equilibria
    from .equilibrium_sets import equilibria_from_strategies

    pts = {k: np.array([v]) for k, v in {**model.defaults(), **claim.fixed}.items()}
    if not _constraint_mask(model, pts).all():
        return None
    game = model.at({k: float(v[0]) for k, v in pts.items()})
    res = enumerate_equilibria(game, exact=True, tol=tol)
    exact = [e.exact for e in res.extreme]
    if not res.complete or any(x is None for x in exact):
        return None
    eqs = equilibria_from_strategies(game, [[[float(p) for p in s] for s in e] for e in exact], "nash")
    s = claim.spec
    pure = np.array([all(p in (0, 1) for st in e for p in st) for e in exact], bool)
    eqs = type(eqs)(game_index=eqs.game_index, outcome_probs=eqs.outcome_probs, action_probs=eqs.action_probs,
                    pure=pure, complete=eqs.complete, n_points=1, concept="nash")
    match = _equilibrium_match(model, claim, eqs)
    cnt, total = int(match.sum()), len(exact)
    cont = np.array([bool(res.has_continuum)])
    ok = bool(_quantified(s, np.array([cnt]), np.array([total]), cont)[0])
    point = {k: float(v[0]) for k, v in pts.items()}
    method = (f"exact rational enumeration of every extreme Nash equilibrium (complete, zero regret exactly) at "
              f"the only point of the region{' ' + str(point) if point else ''}: {total} extreme equilibria, "
              f"{cnt} matching" + ("; the equilibria include a continuum (infinitely many mixed ones)"
                                   if res.has_continuum else ""))
    prov = provenance(model, concept="nash (exact)", tol=tol, claim=claim.id,
                      **({"claims_file": dict(claim.origin)} if claim.origin else {}))
    if ok:
        return ClaimCheck(claim, "proven", 1.0, 1, None, None, method, prov)
    cex = dict(point)
    cex["found"] = {"matching equilibria": "infinitely many" if _infinite(s, cont)[0] else cnt, "equilibria": total,
                    "extreme equilibria": [[[str(p) for p in st] for st in e] for e in exact]}
    return ClaimCheck(claim, "fails", 0.0, 1, cex, None, "disproven by " + method, prov)


# ---------------------------------------------------------------------- monotonicity
def _check_monotone(model, claim, concept, names, n, seed, tol, prov):
    s = claim.spec
    par, mname = s["parameter"], s["measure"]
    lo, hi = claim.region[par]
    if names:
        base, method = _sample_unconstrained_first(model, claim, names, n, seed)
        L = LINE_POINTS
    else:
        base = {k: np.array([v]) for k, v in {**model.defaults(), **claim.fixed}.items()}
        method = "one line (no other parameter varies)"
        L = max(LINE_POINTS, n)
    nb = len(next(iter(base.values())))
    line = np.linspace(lo, hi, L)
    pts = {k: np.repeat(np.asarray(v, float), L) for k, v in base.items()}
    pts[par] = np.tile(line, nb)
    valid = _constraint_mask(model, pts).reshape(nb, L)
    eqs = equilibrium_set(model, _take(pts, valid.reshape(-1)), concept, tol=tol)
    vals = evaluate_measure(model.measures[mname], model, eqs, _take(pts, valid.reshape(-1)))
    summ = measure_summary(vals, eqs)
    lo_v = np.full(nb * L, np.nan)
    hi_v = np.full(nb * L, np.nan)
    lo_v[valid.reshape(-1)] = summ["min"]
    hi_v[valid.reshape(-1)] = summ["max"]
    lo_v, hi_v = lo_v.reshape(nb, L), hi_v.reshape(nb, L)
    sign = 1.0 if s["direction"] == "increasing" else -1.0
    eps = 1e-9
    ok = np.ones(nb, bool)
    where = np.full(nb, -1)
    for b in range(nb):
        idx = np.flatnonzero(valid[b])
        dlo = sign * np.diff(lo_v[b, idx])
        dhi = sign * np.diff(hi_v[b, idx])
        bad = np.flatnonzero((dlo < -eps) | (dhi < -eps))
        if bad.size:
            ok[b] = False
            where[b] = idx[bad[0]]
    usable = valid.sum(1) >= 2          # a line with fewer than two admissible points says nothing
    if not usable.any():
        raise ModelError(f"claim {claim.id!r}: no line of {par} has two points that satisfy the model's "
                         f"constraints; narrow the region")
    skipped = int((~usable).sum())
    keep = np.flatnonzero(usable)
    base = {k: np.asarray(v).reshape(-1)[keep] if np.asarray(v).size == nb else np.asarray(v) for k, v in base.items()}
    ok, where, valid, lo_v, hi_v = ok[keep], where[keep], valid[keep], lo_v[keep], hi_v[keep]
    nb = len(keep)
    method = (f"{method}; at each base point {par} takes {L} equally spaced values in [{lo:g}, {hi:g}] "
              f"(points violating the constraints skipped"
              + (f"; {skipped} base points without two admissible values dropped" if skipped else "")
              + f"); the measure's values over the equilibria must move the claimed way (minimum and maximum "
              f"both {'non-decreasing' if sign > 0 else 'non-increasing'})")
    prov["sample"] = {"sampler": method, "n": int(nb), "line_points": int(L), "names": names,
                      "region": {k: list(v) for k, v in claim.region.items()}}
    cex = None
    if not ok.all():
        b = int(np.flatnonzero(~ok)[0])
        j = int(where[b])
        nxt = int(np.flatnonzero(valid[b])[np.searchsorted(np.flatnonzero(valid[b]), j) + 1])
        cex = {k: float(np.asarray(v).reshape(-1)[b]) for k, v in base.items() if k != par}
        cex[par] = [float(line[j]), float(line[nxt])]
        cex["found"] = {mname: [_interval(lo_v[b, j], hi_v[b, j]), _interval(lo_v[b, nxt], hi_v[b, nxt])]}
    region = _failing_region(base, names, ok) if names and 0 < ok.sum() < nb else None
    verdict = "holds" if ok.all() else ("fails" if not ok.any() else "holds_on_share")
    if verdict == "holds":
        proof = _prove_monotone(model, claim, concept)
        if proof is not None:
            prov["proof"] = proof
            method = (f"proven symbolically by the piecewise comparative statics of {proof['quantity']} "
                      f"(within every equilibrium regime and across every regime boundary; "
                      f"deterrence.analysis.symbolic.comparative_statics), and checked: {method}")
            return ClaimCheck(claim, "proven", 1.0, int(nb), None, None, method, prov)
    return ClaimCheck(claim, verdict, float(ok.mean()), int(nb), cex, region, method, prov)


def _prove_monotone(model, claim, concept):
    """A symbolic proof of a monotonicity claim, or None.

    Only for a measure that is exactly ``P_<tag>`` on a tree whose outcomes carrying the tag are exactly
    those of one outcome label *L*, so that the measure is the quantity ``P(L)`` of
    :func:`~deterrence.analysis.symbolic.comparative_statics`; only when that analysis proves the claimed
    direction (weakly) over the whole parameter space (which contains the claim's region), for the
    concept it analyses (the registry's default on the tree); and only after the sampled check agreed."""
    from ..symbolic.expr import Name

    s = claim.spec
    m = model.measures[s["measure"]]
    if model.kind != "tree" or not isinstance(m.expr, Name) or not m.expr.name.startswith("P_") or m.actions:
        return None
    if claim.concept is not None and claim.concept != _default_concept(model):
        return None
    tag = m.expr.name[2:]
    tags = model.outcome_tags()
    labels = {n["id"]: n.get("outcome") for n in model.node_specs() if "payoffs" in n}
    tagged = {t for t in labels if tag in tags.get(t, ())}
    names = {labels[t] for t in tagged}
    if len(names) != 1 or None in names:
        return None
    (label,) = names
    if {t for t, lab in labels.items() if lab == label} != tagged:
        return None
    from .symbolic import comparative_statics
    try:
        res = comparative_statics(model, f"P({label})", s["parameter"], n_samples=400, n_lines=40, line_points=65)
    except ModelError:
        return None
    allowed = {"increasing": ("+", "+0", "0"), "decreasing": ("-", "-0", "0")}[s["direction"]]
    if not (res.proven and res.sign in allowed):
        return None
    return {"quantity": f"P({label})", "sign": res.sign, "verdict": res.verdict, "analysis": str(res)}


def _interval(lo, hi):
    """A value, or ``[min, max]`` over the equilibria when they differ."""
    lo, hi = float(lo), float(hi)
    return lo if abs(hi - lo) <= 1e-12 else [lo, hi]


def _sample_unconstrained_first(model, claim, names, n, seed):
    """Base points of monotonicity lines: the constraints are checked along each line, not at the base."""
    space = model.parameters
    base = {k: v for k, v in model.defaults().items()}
    base.update(claim.fixed)
    draw = space.latin_hypercube(n, names=names, seed=seed, bounds={k: claim.region[k] for k in names})
    out = {k: np.full(n, v) for k, v in base.items()}
    out.update({k: np.asarray(draw[k], float) for k in names})
    method = (f"Latin hypercube of N={n} base points over "
              f"{', '.join(f'{k} in [{claim.region[k][0]:g}, {claim.region[k][1]:g}]' for k in names)}, seed={seed}")
    return out, method


def _take(pts, mask):
    return {k: np.asarray(v)[mask] for k, v in pts.items()}


# ---------------------------------------------------------------------- verdict and failing region
def _verdict(claim, ok, pts, names, method, prov, found) -> ClaimCheck:
    n = len(ok)
    share = float(ok.mean())
    cex = None
    if not ok.all():
        b = int(np.flatnonzero(~ok)[0])
        cex = {k: float(np.asarray(v)[b]) for k, v in pts.items()}
        cex["found"] = {k: _found_at(v, b) for k, v in found.items()}
    region = _failing_region(pts, names, ok) if names and 0 < ok.sum() < n else None
    verdict = "holds" if ok.all() else ("fails" if not ok.any() else "holds_on_share")
    return ClaimCheck(claim, verdict, share, n, cex, region, method, prov)


def _found_at(v, b):
    if isinstance(v, dict):
        lo, hi = float(v["min"][b]), float(v["max"][b])
        return lo if lo == hi else {"min": lo, "max": hi, "equilibria": int(v["count"][b])}
    x = np.asarray(v)[b]
    if x.dtype == bool:
        return bool(x)
    return "infinitely many" if np.isinf(x) else float(x)


def _failing_region(pts, names, ok) -> dict:
    """The bounding box of the failing points over the sampled parameters, and a one-parameter split
    (``p_B < 0.33``) when one separates failing from holding points exactly."""
    bad = ~ok
    box = {k: [float(np.asarray(pts[k])[bad].min()), float(np.asarray(pts[k])[bad].max())] for k in names}
    split = None
    for k in names:
        x = np.asarray(pts[k], float)
        if x[bad].max() < x[ok].min():
            split = f"{k} < {_mid(x[bad].max(), x[ok].min())} (fails up to {x[bad].max():.6g}, holds from {x[ok].min():.6g})"
        elif x[bad].min() > x[ok].max():
            split = f"{k} > {_mid(x[ok].max(), x[bad].min())} (holds up to {x[ok].max():.6g}, fails from {x[bad].min():.6g})"
        if split:
            break
    return {"box": box, "split": split}


def _mid(a, b) -> str:
    return f"{(a + b) / 2:.4g}"
