"""Where each equilibrium holds: symbolic equilibrium conditions of parametric games.

* **Normal form, pure Nash equilibria.**  A pure profile ``a`` is a Nash
  equilibrium exactly when no player gains by a unilateral deviation,
  ``u_i(a) >= u_i(b_i, a_{-i})`` for every player ``i`` and action ``b_i``
  (Nash 1951).  :func:`nash_conditions` returns this conjunction of
  inequalities for every profile.
* **2x2 games, the completely mixed equilibrium.**  Each player mixes so as
  to make the *other* indifferent (the indifference principle; e.g. Osborne
  2004, sec. 4.10) (:func:`mixed_equilibrium_2x2`).
* **Game trees, subgame-perfect outcomes.**  A pure strategy profile of a
  perfect-information tree (chance moves allowed) is subgame perfect exactly
  when no mover gains by a one-shot deviation at any decision node (the
  one-shot deviation principle, Osborne & Rubinstein 1994, Lemma 98.2).
  :func:`spe_conditions` writes this condition symbolically for every pure
  profile.  An information set whose nodes differ only by chance is handled
  by comparing *expected* continuation values weighted by the chance
  probabilities of reaching each node (beliefs from the prior, on and off
  the path: a sequential equilibrium; Kreps & Wilson 1982).  Trees whose information sets hide a player's move (a
  signalling tree) are refused: the one-shot conditions put no restriction
  on beliefs or actions off the path there, so they would describe Nash
  equilibria, not perfect Bayesian ones.  :func:`outcome_conditions` collects
  the profiles by outcome.

All conditions use weak inequalities, so on a boundary (a tie) several
conditions hold at once.

References
----------
J. Nash (1951), "Non-cooperative games", *Annals of Mathematics* 54: 286-295.
M. Osborne & A. Rubinstein (1994), *A Course in Game Theory*, MIT Press.
M. Osborne (2004), *An Introduction to Game Theory*, Oxford UP.
F. Zagare & D. M. Kilgour (2000), *Perfect Deterrence*, Cambridge UP.
D. Kreps & R. Wilson (1982), "Sequential equilibria", *Econometrica* 50: 863-894.
E. Hendon, H. J. Jacobsen & B. Sloth (1996), "The one-shot-deviation principle for
sequential rationality", *Games and Economic Behavior* 12: 274-282.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product
from typing import Any, Mapping

import numpy as np
import sympy

from ...errors import SolverError
from ...solve.concepts import ConceptError, hidden_move, route
from ...symbolic.bounds import check_conditions
from ...symbolic.conditions import Condition, evaluate_expr, ge, gt, prune, region_atoms
from .forms import SymbolicNormalForm, SymbolicTree, as_symbolic

__all__ = ["nash_conditions", "MixedSolution2x2", "mixed_equilibrium_2x2", "SPECase", "spe_conditions",
           "outcome_conditions", "MAX_PROFILES"]

#: Largest number of pure strategy profiles :func:`spe_conditions` enumerates.
MAX_PROFILES = 4096


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
    sizes = [len(a) for a in g.actions]
    check_conditions(int(np.prod(sizes)) * sum(m - 1 for m in sizes),
                     f"the pure Nash conditions of a {'x'.join(map(str, sizes))} game", U.reshape(-1))
    out = {}
    for prof in product(*(range(len(a)) for a in g.actions)):
        parts = []
        for i in range(n):
            for b in range(len(g.actions[i])):
                if b == prof[i]:
                    continue
                dev = prof[:i] + (b,) + prof[i + 1:]
                parts.append(ge(U[prof + (i,)], U[dev + (i,)]))
        label = tuple(g.actions[i][a] for i, a in enumerate(prof))
        expr = prune(sympy.And(*parts), region_atoms(g.assumptions))
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
        return {"row_prob": evaluate_expr(self.row_prob, self.symbols, values),
                "column_prob": evaluate_expr(self.column_prob, self.symbols, values),
                "payoffs": tuple(evaluate_expr(p, self.symbols, values) for p in self.payoffs)}

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
        cond = sympy.And(gt(sympy.expand(nx * dx), 0), gt(sympy.expand((dx - nx) * dx), 0),
                         gt(sympy.expand(ny * dy), 0), gt(sympy.expand((dy - ny) * dy), 0))
        u_row = sympy.cancel(y * A[0, 0] + (1 - y) * A[0, 1])
        u_col = sympy.cancel(x * B[0, 0] + (1 - x) * B[1, 0])
        pay = (u_row, u_col)
    return MixedSolution2x2(row_prob=x, column_prob=y, payoffs=pay,
                            condition=Condition(label="completely mixed equilibrium", expr=cond, symbols=g.symbols),
                            players=g.players, actions=g.actions, symbols=g.symbols)


# ---------------------------------------------------------------------- trees
@dataclass(frozen=True, eq=False)
class SPECase:
    """One pure strategy profile of a tree and where it is an equilibrium (subgame perfect; sequential
    with beliefs from chance where information sets hide only chance).

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
    several nodes (which here differ only by nature's moves: the Zagare &
    Kilgour 2000 challenger who does not know the defender's type), the
    differences are weighted by the chance probability of reaching each
    node: the beliefs of Bayes' rule on the path and the consistent beliefs
    off it, so the conditions are those of a sequential equilibrium (Kreps &
    Wilson 1982), on and off the path (the one-shot deviation principle
    holds for consistent assessments; Hendon, Jacobsen & Sloth 1996).
    Profiles whose condition is identically false are left out.

    Raises
    ------
    SolverError
        For a normal-form model, or when there are more than *max_profiles* pure profiles.
    ConceptError
        For a tree in which an information set hides a player's move (a
        signalling tree, or any incomplete-information tree where beliefs
        depend on strategies): one-shot conditions with beliefs from the
        prior would describe Nash equilibria there, not perfect Bayesian ones.
    """
    g = as_symbolic(model)
    if not isinstance(g, SymbolicTree):
        raise SolverError("spe_conditions needs a game-tree model; for a normal form use nash_conditions")
    t = g.tree
    _require_symbolic(t)
    cache = g.__dict__.setdefault("_spe_cases", {})
    if max_profiles in cache:
        return list(cache[max_profiles])
    cases = _spe_cases(g, t, max_profiles)
    cache[max_profiles] = tuple(cases)
    return cases


def _spe_cases(g, t, max_profiles):
    """The work of :func:`spe_conditions` (uncached)."""
    sizes = [len(h.actions) for h in t.infosets]
    total = int(np.prod(sizes)) if sizes else 1
    if total > max_profiles:
        raise SolverError(f"the tree has {total} pure strategy profiles; the symbolic analysis enumerates at most "
                          f"{max_profiles} (raise max_profiles)")
    check_conditions(total * sum(s - 1 for s in sizes),
                     f"the one-shot deviation conditions of {total} pure profiles",
                     list(g.payoffs.reshape(-1)) + list(g.chance.reshape(-1)))
    N, n = t.n_nodes, t.n_players
    ptr, kind = t.child_ptr, t.kind
    kids_of = [t.child_index[ptr[v]:ptr[v + 1]] for v in range(N)]
    chance_w = {int(v): _chance_reach(t, kids_of, int(v), g) for h in t.infosets if len(h.nodes) > 1
                for v in h.nodes}
    cases = []
    for choice in product(*(range(s) for s in sizes)):
        # continuation values, bottom-up (children have larger indices)
        W = [None] * N
        for v in range(N - 1, -1, -1):
            if kind[v] == 0:
                W[v] = [g.payoffs[t.terminal[v], i] for i in range(n)]
            elif kind[v] == 2:
                # one Add of all the terms: a Python sum of n sympy terms re-sorts the Add n times (quadratic)
                W[v] = [sympy.expand(sympy.Add(*[g.chance[ptr[v] + k] * W[c][i] for k, c in enumerate(kids_of[v])]))
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
                    parts.append(ge(W[kids_of[v][a]][i], W[kids_of[v][b]][i]))
                else:
                    # beliefs from chance (the set hides only chance), on the path and off it
                    wsum = sympy.Add(*[chance_w[v] * (W[kids_of[v][a]][i] - W[kids_of[v][b]][i]) for v in nodes])
                    parts.append(ge(wsum, 0))
        cond = prune(sympy.And(*parts), region_atoms(g.assumptions))
        if cond is sympy.false:
            continue
        # outcome distribution on the path
        probs: dict = {}
        for v in np.flatnonzero(t.terminal >= 0):
            if R[v] == 0:
                continue
            lab = str(t.outcomes[t.terminal[v]])
            probs.setdefault(lab, []).append(R[v])
        probs = {k: sympy.expand(sympy.Add(*p)) for k, p in probs.items()}
        probs = {k: sympy.factor(p) for k, p in probs.items() if p != 0}
        pay = {t.players[i]: sympy.factor(sympy.expand(W[0][i])) for i in range(n)}
        strategy = {h.label: h.actions[choice[k]] for k, h in enumerate(t.infosets)}
        label = ", ".join(f"{t.players[h.player]}@{h.label}: {h.actions[choice[k]]}" for k, h in enumerate(t.infosets))
        cases.append(SPECase(strategy=strategy, choice=tuple(choice),
                             condition=Condition(label=label, expr=cond, symbols=g.symbols),
                             outcome_probabilities=probs, payoffs=pay))
    return cases


def _require_symbolic(tree):
    """Refuse a tree whose equilibrium concept the one-shot conditions here do not express."""
    r = route(tree)
    if not r.symbolic:
        h = hidden_move(tree)
        raise ConceptError(
            f"the symbolic analysis covers perfect-information trees and trees whose information sets hide only "
            f"chance; in this {r.kind.replace('_', ' ')} tree, information set {h[0]!r} of {h[1]} hides a player's "
            f"move (nodes {h[2]!r} and {h[3]!r}), so beliefs there depend on strategies and off the path on the "
            f"equilibrium chosen; solve points numerically with deterrence.solve.perfect_bayesian "
            f"(or `deterrence solve MODEL --set ...`)")


def _chance_reach(t, kids_of, v, g):
    """Product of the chance probabilities on the path to node *v* (sympy).

    In a tree whose information sets hide only chance, the nodes of an
    information set share their sequence of players' choices, so Bayes'
    rule gives beliefs proportional to these products for every profile
    that reaches the set, and they are the consistent beliefs (Kreps &
    Wilson 1982) where it is not reached.
    """
    w = sympy.Integer(1)
    c = v
    while t.parent[c] >= 0:
        p = t.parent[c]
        if t.kind[p] == 2:
            k = int(np.flatnonzero(kids_of[p] == c)[0])
            w = w * g.chance[t.child_ptr[p] + k]
        c = p
    return w


def outcome_conditions(model) -> dict:
    """Where each outcome occurs (with positive probability) on an equilibrium path.

    The equilibria are those of :func:`spe_conditions`: subgame perfect in a
    perfect-information tree, sequential (beliefs from chance) in a tree
    whose information sets hide only chance; other trees are refused.

    Returns
    -------
    dict
        ``{outcome label: Condition}``: the disjunction over pure equilibrium
        profiles of "the profile is an equilibrium and reaches the outcome
        with positive probability".

    Raises
    ------
    ConceptError
        For a tree in which an information set hides a player's move.
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
            terms.append(sympy.And(c.condition.expr, gt(p, 0)))
        out[lab] = Condition(label=lab, expr=sympy.Or(*terms) if terms else sympy.false, symbols=g.symbols)
    return out
