"""Comparative statics: how an equilibrium quantity moves with a parameter, regime by regime.

An equilibrium quantity (the probability of an outcome, a player's payoff)
is piecewise: on each *regime* (the region of parameter space where one
pure equilibrium profile holds) it is one formula, and where the parameter
crosses a regime boundary the equilibrium switches and the quantity may
jump.  In the rudimentary deterrence game (Zagare & Kilgour 2000), P(conflict)
equals the credibility p_B while the challenger challenges and drops to 0 at
the threshold p_B = (a_DC - a_SQ)/(a_DC - a_DD), where it stops: increasing
within the first regime, constant within the second, and a downward jump
between them, so it is *not* monotone in p_B.

Regimes are the pure equilibrium profiles of a tree (subgame perfect, or
sequential where information sets hide only chance), and of a normal form
its pure equilibria and, in a 2x2 game, the completely mixed one (for larger
normal forms the mixed equilibria are not covered, and no monotone verdict is
proven).

:func:`comparative_statics` reports all three: the sign of the derivative in
each regime (:class:`StaticsCase`), every regime switch met as the parameter
rises and the sign of the jump there (:class:`RegimeJump`), and a verdict for
the quantity as the equilibrium makes it (:class:`ComparativeStatics`).

Sign codes
----------
``"+"`` increasing, ``"+0"`` non-decreasing, ``"0"`` constant, ``"-0"``
non-increasing, ``"-"`` decreasing, ``"mixed"`` not monotone: it rises
somewhere and falls somewhere, perhaps at other values of the other
parameters (within a regime, when not proven: both signs were sampled),
``"empty"`` no equilibrium of the regime in the region.  :data:`SIGN_WORDS` maps them to words; ``.verdict`` gives the
words.

What "proven" means
-------------------
Within a regime, a sign is proven when sympy decides it from the symbols'
assumptions or recognises the derivative (each factor of it) as a constant
multiple of the regime's own inequalities or of the model's constraints;
otherwise it is read from sampled points of the regime (``proven=False``).
The verdict for the quantity is proven monotone only when (i) every regime's
sign is proven and agrees, (ii) no two regimes can hold together on an open
set (each pair is separated by one inequality, so the quantity is a function
of the parameters), and (iii) for *every* boundary of every regime (each
inequality of its condition that involves the parameter, solved for it) and
*every* other regime that could lie across it, the jump there, oriented in
the direction of a rising parameter, is proven to have the agreeing sign (or
to vanish).  This over-approximates the boundaries actually crossed, so it is
sound.  A "mixed" verdict is proven when two witnessed parts move in opposite
directions, each proven symbolically: a regime met at a sampled point whose
derivative has a proven strict sign, or a regime switch met on a sampled line
whose jump has a proven strict sign.  Anything less is reported as
``proven=False``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import sympy

from ...errors import ModelError
from ...symbolic.conditions import (Condition, evaluate_boolean, evaluate_expr, prove_sign, prune, region_atoms,
                                    signed)
from .conditions import mixed_equilibrium_2x2, nash_conditions, spe_conditions
from .forms import SymbolicTree, as_symbolic

__all__ = ["StaticsCase", "RegimeJump", "ComparativeStatics", "comparative_statics", "SIGN_WORDS"]

#: The sign codes of comparative statics, in words (for a quantity as a function of the parameter).
SIGN_WORDS = {"+": "increasing", "+0": "non-decreasing", "0": "constant", "-0": "non-increasing",
              "-": "decreasing", "mixed": "not monotone", "empty": "no equilibrium in the region",
              "unknown": "undecided"}

#: Most (regime, boundary, other regime) triples whose jumps are derived symbolically.
MAX_JUMP_CANDIDATES = 2000


@dataclass(frozen=True, eq=False)
class StaticsCase:
    """The sign of a derivative on the region where one equilibrium holds (one regime).

    Attributes
    ----------
    label : str
        The equilibrium profile.
    quantity : sympy expression
        The quantity in this regime.
    derivative : sympy expression
        Its derivative with respect to the parameter.
    sign : str
        A sign code (see the module docstring): ``"+"``, ``"+0"``, ``"0"``,
        ``"-0"``, ``"-"``, ``"mixed"`` or ``"empty"``.
    proven : bool
        Established symbolically (True) or estimated from ``n_samples``
        sampled points of the region (False).
    n_samples : int
        Sampled points that fell in the regime.
    region : Condition
    """

    label: str
    quantity: Any
    derivative: Any
    sign: str
    proven: bool
    n_samples: int
    region: Condition

    @property
    def verdict(self) -> str:
        """The sign in words."""
        return SIGN_WORDS.get(self.sign, self.sign)


@dataclass(frozen=True, eq=False)
class RegimeJump:
    """A switch of equilibrium regime met as the parameter rises, and the jump of the quantity there.

    Attributes
    ----------
    below, above : str
        The regimes on the lower and the upper side of the boundary.
    at : sympy expression or None
        The boundary value of the parameter (None when not derived symbolically).
    jump : sympy expression or None
        ``quantity(above) - quantity(below)`` at the boundary.
    sign : str
        ``"+"`` (jumps up), ``"-"`` (jumps down), ``"0"`` (continuous),
        ``"+0"``/``"-0"`` (proven not down / not up; it may vanish somewhere on
        the boundary), or ``"mixed"`` (both seen on different sampled lines,
        or undecided).
    proven : bool
        The sign follows symbolically from the two regimes' conditions at the boundary.
    observed : int
        Sampled lines (the other parameters fixed, this one rising) on which the switch was met.
    """

    below: str
    above: str
    at: Any
    jump: Any
    sign: str
    proven: bool
    observed: int

    @property
    def verdict(self) -> str:
        return {"+": "jumps up", "-": "jumps down", "0": "continuous", "+0": "jumps up or is continuous",
                "-0": "jumps down or is continuous"}.get(self.sign, "jumps both ways")


@dataclass(frozen=True, eq=False)
class ComparativeStatics:
    """How an equilibrium quantity depends on a parameter: regimes, regime switches, verdict.

    Attributes
    ----------
    quantity, parameter : str
    cases : tuple of StaticsCase
        One per regime (equilibrium profile) with a non-empty region.
    jumps : tuple of RegimeJump
        The regime switches met on sampled lines as the parameter rises.
    sign : str
        The verdict for the quantity as the equilibrium makes it, within
        regimes and across their boundaries (a sign code).
    proven : bool
        The verdict is established symbolically (see the module docstring).
    notes : tuple of str
        Why a verdict is not proven, and what else a reader should know.
    """

    quantity: str
    parameter: str
    cases: tuple
    jumps: tuple = ()
    sign: str = "empty"
    proven: bool = False
    notes: tuple = ()

    @property
    def verdict(self) -> str:
        """The verdict in words: ``"increasing"``, ``"not monotone"``, ..."""
        return SIGN_WORDS.get(self.sign, self.sign)

    def __str__(self) -> str:
        lines = [f"{self.quantity} as {self.parameter} rises: {self.verdict} "
                 f"({'proven' if self.proven else 'not proven'})"]
        for c in self.cases:
            how = "proven" if c.proven else f"from {c.n_samples} sampled points"
            lines.append(f"  within [{c.label}]: {c.quantity}, derivative {c.derivative}: {c.verdict} ({how})")
        for j in self.jumps:
            at = "" if j.at is None else f" at {self.parameter} = {j.at}"
            size = "" if j.jump is None or j.sign == "0" else f" by {j.jump}"
            lines.append(f"  switch [{j.below}] -> [{j.above}]{at}: {j.verdict}{size} "
                         f"({'proven' if j.proven else 'sampled'}; met on {j.observed} sampled lines)")
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)


def comparative_statics(model, quantity: str, parameter: str, *, region=None, n_samples: int = 4000,
                        seed: int = 0, n_lines: int = 200, line_points: int = 257) -> ComparativeStatics:
    """How an equilibrium quantity depends on a parameter, regime switches included.

    Parameters
    ----------
    model : parametric model (or its symbolic form)
        A normal form, a perfect-information tree or a tree whose information
        sets hide only chance (others are refused: see
        :func:`~deterrence.analysis.symbolic.spe_conditions`).
    quantity : str
        ``"P(label)"`` (tree models: probability of an outcome on the
        equilibrium path) or ``"payoff(player)"`` (the equilibrium payoff of a
        player: in a tree at the pure equilibrium; in a normal form at each
        pure equilibrium and at the completely mixed equilibrium of a 2x2 game).
    parameter : str
    region : Condition, sympy boolean or callable, optional
        Restrict attention to a region (e.g. a preference ordering
        ``a_DD < a_SQ < a_DC``); a callable takes a dict of arrays and returns
        a boolean array (it restricts the sampling only).
    n_samples : int
        Points sampled in the parameters' domains (regime signs sympy cannot decide).
    seed : int
        Seed of the sampling.
    n_lines, line_points : int
        Sampled lines (the other parameters drawn from the samples, this one
        on an even grid of *line_points* values over its domain) along which
        regime switches are looked for.

    Returns
    -------
    ComparativeStatics
        The regimes with the sign within each, the regime switches with the
        sign of the jump at each, and the verdict (see the module docstring
        for what ``proven`` means).
    """
    g = as_symbolic(model)
    if parameter not in g.symbols:
        raise ModelError(f"no parameter {parameter!r}; parameters are {sorted(g.symbols)}")
    sym = g.symbols[parameter]
    items = _regimes(g, quantity)
    rng = np.random.default_rng(seed)
    pts = _sample(g, n_samples, rng)
    extra = _region_mask(region, g, pts) & _region_mask(g.assumptions, g, pts)
    ratoms = region_atoms(region) + region_atoms(g.assumptions)
    items = [(lab, expr, cond) for lab, expr, cond in items
             if not (ratoms and prune(cond.expr, ratoms) is sympy.false)]
    cases = []
    for label, expr, cond in items:
        d = sympy.factor(sympy.cancel(sympy.diff(expr, sym)))
        mask = cond.holds(pts) & extra
        sign, proven = prove_sign(d, region_atoms(cond) + ratoms)
        k = int(mask.sum())
        if not proven:
            if k == 0:
                cases.append(StaticsCase(label, expr, d, "empty", False, 0, cond))
                continue
            vals = evaluate_expr(d, g.symbols, {n: v[mask] for n, v in pts.items()})
            sign = _sign_of_samples(vals[np.isfinite(vals)])
        cases.append(StaticsCase(label, expr, d, sign, proven, k, cond))
    notes = []
    crossings, overlap = _scan(g, items, parameter, pts, extra, region, n_lines, line_points, rng)
    if overlap:
        notes.append("several equilibria hold together on an open set (" + "; ".join(overlap[:3]) +
                     "): the quantity is not a function of the parameters there, and a verdict holds per "
                     "equilibrium only")
    # the proof ranges over every regime the conditions allow, met at a sampled point or not
    cands, complete = _candidate_jumps(items, sym, ratoms)
    if not complete:
        notes.append(f"regime boundaries not all derived symbolically (more than {MAX_JUMP_CANDIDATES}, or an "
                     f"inequality whose denominator involves {parameter})")
    poles = _poles(items, sym, ratoms)
    if poles:
        notes.append(f"the quantity may be undefined inside a regime ({poles[0]}): no proof across it")
    if not isinstance(g, SymbolicTree) and g.payoffs.shape != (2, 2, 2):
        notes.append("mixed equilibria of normal forms larger than 2x2 are not covered symbolically: "
                     "a monotone verdict is not proven")
        complete = False
    jumps = _observed_jumps(crossings, cands, items)
    sign = _combine([c.sign for c in cases if c.sign != "empty"] + [j.sign for j in jumps if j.sign != "0"])
    proven = _verdict_proven(sign, cases, jumps, cands, complete and not poles, _disjoint(items), notes)
    return ComparativeStatics(quantity=quantity, parameter=parameter, cases=tuple(cases), jumps=tuple(jumps),
                              sign=sign, proven=proven, notes=tuple(notes))


def _regimes(g, quantity) -> list:
    """(label, quantity expression, Condition) for every equilibrium regime of the model."""
    kind, arg = _parse_quantity(quantity)
    items = []
    if isinstance(g, SymbolicTree):
        if kind == "P" and arg not in _tree_outcomes(g):
            raise ModelError(f"no outcome {arg!r}; outcomes are {_tree_outcomes(g)}")
        if kind == "payoff" and arg not in g.players:
            raise ModelError(f"no player {arg!r}; players are {list(g.players)}")
        for c in spe_conditions(g):
            expr = c.outcome_probabilities.get(arg, sympy.Integer(0)) if kind == "P" else c.payoffs[arg]
            items.append((c.condition.label, expr, c.condition))
        return items
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
    return items


# ---------------------------------------------------------------------- regime switches
def _scan(g, items, parameter, pts, extra, region, n_lines, line_points, rng):
    """Regime switches along sampled lines: ``({(below, above): [numeric jumps]}, overlap notes)``."""
    if not items or n_lines <= 0 or line_points < 2:
        return {}, []
    ok = np.flatnonzero(extra)
    if ok.size == 0:
        return {}, []
    rows = rng.choice(ok, size=min(n_lines, ok.size), replace=False)
    lo, hi = g.bounds.get(parameter, (-10.0, 10.0))
    xs = np.linspace(lo, hi, line_points)
    L, K = len(rows), len(xs)
    vals = {n: np.repeat(v[rows][:, None], K, axis=1) for n, v in pts.items()}
    vals[parameter] = np.broadcast_to(xs, (L, K)).copy()
    inside = _region_mask(region, g, {k: v.ravel() for k, v in vals.items()}).reshape(L, K) & \
        _region_mask(g.assumptions, g, {k: v.ravel() for k, v in vals.items()}).reshape(L, K)
    H = np.stack([cond.holds(vals) for _, _, cond in items]) & inside        # (R, L, K)
    count = H.sum(0)
    overlap = []
    both = (count[:, :-1] >= 2) & (count[:, 1:] >= 2) & np.all(H[:, :, :-1] == H[:, :, 1:], axis=0)
    if both.any():
        seen = set()
        for li, k in zip(*np.nonzero(both)):
            key = tuple(np.flatnonzero(H[:, li, k]))
            if key not in seen:
                seen.add(key)
                overlap.append(" and ".join(f"[{items[r][0]}]" for r in key))
    which = np.where(count == 1, H.argmax(0), -1)
    step = (which[:, :-1] >= 0) & (which[:, 1:] >= 0) & (which[:, :-1] != which[:, 1:])
    crossings: dict = {}
    li, k = np.nonzero(step)
    if li.size:
        mid = {n: v[li, k] for n, v in vals.items()}
        mid[parameter] = 0.5 * (xs[k] + xs[k + 1])
        a_idx, b_idx = which[li, k], which[li, k + 1]
        for a, b in set(zip(a_idx.tolist(), b_idx.tolist())):
            sel = (a_idx == a) & (b_idx == b)
            at = {n: v[sel] for n, v in mid.items()}
            qa = evaluate_expr(items[a][1], g.symbols, at)
            qb = evaluate_expr(items[b][1], g.symbols, at)
            diff = np.broadcast_to(qb - qa, (int(sel.sum()),))
            crossings[(a, b)] = diff[np.isfinite(diff)]
    return crossings, overlap


def _candidate_jumps(items, sym, ratoms):
    """Every (below, above) regime pair that could meet on a boundary of one of them, with the jump.

    For regime A and each inequality ``g >= 0`` of its condition involving the parameter, each root
    ``x*`` of ``g`` and each other regime B: the jump ``Q_B - Q_A`` at ``x*``, oriented by the sign of
    ``dg/dx`` there (falling: A is left as x rises, B is above; rising: B is below).  Signs are proven
    on the boundary from both regimes' inequalities and the standing assumptions, at ``x = x*``.

    Returns
    -------
    (list, bool)
        ``[(below, above, at, jump, sign, proven)]`` (indices into *items*) and whether every
        boundary was derived (False beyond :data:`MAX_JUMP_CANDIDATES`).
    """
    bounds = []
    for a, (_, _, cond) in enumerate(items):
        if not _is_conjunction(cond.expr):
            return [], False            # a disjunction: its atoms are not known to hold on the regime
        for rel in cond.inequalities:
            sg = signed(rel)
            if sg is None or sym not in sg[0].free_symbols:
                continue
            num, den = sympy.fraction(sympy.together(sg[0]))
            if sym in den.free_symbols:
                return [], False        # the inequality may also switch at a pole: not covered
            try:
                roots = sympy.solve(num, sym, dict=False)
            except NotImplementedError:
                return [], False
            dg = sympy.diff(sg[0], sym)
            # linear in the parameter: where the slope vanishes the inequality does not switch along it,
            # so a slope proven >= 0 (<= 0) orients every crossing as a strict one would
            linear = sympy.Poly(num, sym).degree() == 1 if num.is_polynomial(sym) else False
            for r in roots:
                bounds.append((a, r, dg, linear))
    if len(bounds) * max(len(items) - 1, 0) > MAX_JUMP_CANDIDATES:
        return [], False
    out = []
    for a, r, dg, linear in bounds:
        for b in range(len(items)):
            if b == a:
                continue
            atoms = [x.subs(sym, r) for x in region_atoms(items[a][2]) + region_atoms(items[b][2]) + list(ratoms)]
            atoms = [x for x in atoms if isinstance(x, sympy.core.relational.Relational)]
            jump = sympy.cancel(sympy.expand(items[b][1].subs(sym, r) - items[a][1].subs(sym, r)))
            direction, dir_ok = prove_sign(dg.subs(sym, r), atoms)
            if linear:
                direction = {"+0": "+", "-0": "-"}.get(direction, direction)
            if dir_ok and direction in ("-", "+"):
                below, above, up = (a, b, jump) if direction == "-" else (b, a, -jump)
                s, ok = prove_sign(up, atoms)
            else:
                below, above, up = a, b, jump
                s, ok = prove_sign(up, atoms)
                if not (ok and s == "0"):
                    s, ok = "mixed", False      # orientation unknown: only a vanishing jump is certain
            out.append((below, above, r, sympy.factor(up), s, ok))
    return out, True


def _is_conjunction(expr) -> bool:
    """A conjunction of inequalities (or a single one, or true): every atom holds on the region."""
    if expr is sympy.true or isinstance(expr, sympy.core.relational.Relational):
        return True
    return isinstance(expr, sympy.And) and all(isinstance(a, sympy.core.relational.Relational) for a in expr.args)


def _poles(items, sym, ratoms) -> list:
    """Regimes whose quantity has a denominator in the parameter not proven non-zero on the regime."""
    out = []
    for label, expr, cond in items:
        den = sympy.fraction(sympy.together(expr))[1]
        if sym in den.free_symbols:
            s, ok = prove_sign(den, region_atoms(cond) + list(ratoms))
            if not (ok and s in ("+", "-")):
                out.append(f"[{label}]: {expr}")
    return out


def _observed_jumps(crossings, cands, items) -> list:
    """A :class:`RegimeJump` for every regime switch met on a sampled line; proven when every candidate
    boundary between the two regimes (in this orientation) has a jump of one proven sign."""
    out = []
    for (a, b), vals in sorted(crossings.items()):
        mine = [c for c in cands if c[0] == a and c[1] == b]
        signs = {c[4] for c in mine}
        if mine and all(c[5] for c in mine) and len(signs) == 1 and "mixed" not in signs:
            c = mine[0]
            out.append(RegimeJump(items[a][0], items[b][0], c[2], c[3], c[4], True, len(vals)))
            continue
        s = _sign_of_samples(vals)
        s = {"+0": "+", "-0": "-", "empty": "0"}.get(s, s)
        at, jump = (mine[0][2], mine[0][3]) if len(mine) == 1 else (None, None)
        out.append(RegimeJump(items[a][0], items[b][0], at, jump, s, False, len(vals)))
    return out


def _combine(signs) -> str:
    """One sign code for parts that each move one way (regimes, jumps)."""
    signs = [s for s in signs if s != "empty"]
    if not signs:
        return "empty"
    if "mixed" in signs:
        return "mixed"
    up = any(s in ("+", "+0") for s in signs)
    down = any(s in ("-", "-0") for s in signs)
    if up and down:
        return "mixed"
    if up:
        return "+" if all(s == "+" for s in signs) else "+0"
    if down:
        return "-" if all(s == "-" for s in signs) else "-0"
    return "0"


_REGIME_OK = {"+": {"+"}, "+0": {"+", "+0", "0"}, "0": {"0"}, "-0": {"-", "-0", "0"}, "-": {"-"}}
_JUMP_OK = {"+": {"+", "+0", "0"}, "+0": {"+", "+0", "0"}, "0": {"0"}, "-0": {"-", "-0", "0"},
            "-": {"-", "-0", "0"}}


def _verdict_proven(sign, cases, jumps, cands, complete, disjoint, notes) -> bool:
    """Whether the verdict *sign* is established symbolically (see the module docstring); notes say why not."""
    if sign == "empty":
        return False
    if sign == "mixed":
        up = [c.label for c in cases if c.proven and c.sign == "+" and c.n_samples] + \
             [j.below for j in jumps if j.proven and j.sign == "+" and j.observed]
        down = [c.label for c in cases if c.proven and c.sign == "-" and c.n_samples] + \
               [j.below for j in jumps if j.proven and j.sign == "-" and j.observed]
        if up and down:
            return True
        notes.append("not monotone at the sampled points, but no rise and fall were both proven")
        return False
    if not all(c.proven for c in cases):
        notes.append("the sign within some regime is read from sampled points (or the regime was met at none), "
                     "not proven")
        return False
    if any(c.sign not in _REGIME_OK[sign] for c in cases):
        notes.append("a regime met at no sampled point moves the other way")
        return False
    if not disjoint or not complete:
        return False
    bad = [c for c in cands if not (c[5] and c[4] in _JUMP_OK[sign])]
    if bad:
        notes.append(f"{len(bad)} of {len(cands)} possible regime boundaries have a jump not proven to agree")
        return False
    return True


def _disjoint(items) -> bool:
    """True when every two regimes are separated by one inequality (``g >= 0`` in one, ``-c g >= 0``
    in the other, c > 0 constant), so they meet on boundaries only."""
    sg = [[x for x in (signed(a) for a in region_atoms(cond)) if x is not None and x[0] != 0]
          for _, _, cond in items]
    for a in range(len(items)):
        for b in range(a + 1, len(items)):
            if not any(ga.free_symbols == gb.free_symbols and _neg_multiple(ga, gb)
                       for ga, _ in sg[a] for gb, _ in sg[b]):
                return False
    return True


def _neg_multiple(ga, gb) -> bool:
    ratio = sympy.cancel(ga / gb)
    return bool(ratio.is_number and ratio.is_extended_real and ratio.is_finite and ratio < 0)


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


def _sign_of_samples(vals) -> str:
    if vals.size == 0:
        return "empty"
    tol = 1e-12 * float(np.max(np.abs(vals)))       # relative to the samples (not max(1, ...)): any unit
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
        return evaluate_boolean(region, g.symbols, pts)
    if callable(region):
        return np.asarray(region(pts), bool)
    raise ModelError(f"region must be a Condition, a sympy boolean or a callable, got {type(region).__name__}")
