"""Which solution concepts apply to a game, which is the default, and what each route computes.

One registry for every route that picks a concept (the ``deterrence solve``
command, :func:`~deterrence.analysis.sweep`, the symbolic analysis in
:mod:`deterrence.analysis.symbolic`), so that they choose by the same rule
and never answer with a weaker concept under a stronger name.

A game is one of five kinds (:func:`game_kind`):

``normal_form``
    A :class:`~deterrence.games.NormalFormGame`.  Concepts: ``nash``
    (default; every equilibrium, mixed included), ``pure``, ``qre``, and,
    for a symmetric game, ``symmetric`` (every *symmetric* equilibrium,
    mixed included, complete over symmetric profiles only:
    :mod:`deterrence.solve.symmetric`; batched when every player has two
    actions, one game at a time with more).  For a symmetric two-action
    game with :data:`SYMMETRIC_DEFAULT_PLAYERS` players or more,
    where the complete n-player enumeration is out of reach, ``symmetric``
    is the default, and every route says it computes the symmetric
    equilibria only.
``perfect_information``
    A tree whose information sets are single nodes (chance moves allowed).
    ``spe`` (default; backward induction) and ``pbe`` (the same profiles:
    with single-node information sets beliefs are trivial and sequential
    rationality is subgame perfection).
``hides_only_chance``
    A tree whose information sets group nodes that differ only by nature's
    moves (uncertain resolve without signalling; Zagare & Kilgour 2000).
    Beliefs are fixed by the prior, so Bayesian backward induction gives a
    *sequential* equilibrium (Kreps & Wilson 1982): a perfect Bayesian and a
    subgame-perfect equilibrium, the only sequential one where no mover is
    indifferent.  ``pbe`` (default) and ``spe`` both name it as such.
``signalling``
    Two players; nature draws the sender's type, the sender's message is
    seen by the receiver, whose response ends the game.  ``pbe`` (default):
    every perfect Bayesian equilibrium, by support pattern
    (:func:`~deterrence.solve.signalling_pbe`).  ``spe`` is refused: the
    receiver's information sets are not subgames, so subgame perfection puts
    no restriction on her response to an unsent message (the gap that lets a
    Nash equilibrium pose as an equilibrium with beliefs).
``incomplete_information``
    Any other tree in which an information set hides a player's move.
    ``pbe`` (default): every pure weak perfect Bayesian equilibrium, mixed
    ones sought by the agent-QRE limit
    (:func:`~deterrence.solve.perfect_bayesian`).  ``spe`` is refused as
    above.

Each admissible (kind, concept) pair is a :class:`Route` that says what is
computed, by which solver, whether it is batched, and whether the symbolic
analysis covers it; an inadmissible pair raises :class:`ConceptError` with a
one-line reason (:func:`route`).

References
----------
D. Kreps & R. Wilson (1982), "Sequential equilibria", *Econometrica* 50: 863-894.
D. Fudenberg & J. Tirole (1991), *Game Theory*, MIT Press, ch. 8.
F. Zagare & D. M. Kilgour (2000), *Perfect Deterrence*, Cambridge UP.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..errors import GameStructureError, ModelError, SolverError
from ..games.normal_form import NormalFormGame
from ..games.signalling import SignallingGame
from ..games.tree import DECISION, GameTree

__all__ = ["KINDS", "CONCEPT_NAMES", "SYMMETRIC_DEFAULT_PLAYERS", "Route", "ConceptError", "game_kind", "hidden_move", "admissible",
           "default_concept", "route", "sweep_route"]

#: The kinds of game the registry distinguishes, from the most to the least structured.
KINDS = ("normal_form", "perfect_information", "hides_only_chance", "signalling", "incomplete_information")

#: Every concept name a route may ask for.
CONCEPT_NAMES = ("nash", "pure", "qre", "spe", "pbe", "symmetric")

#: From this many players on, a symmetric two-action normal form defaults to ``symmetric``: the complete
#: n-player enumeration (``nash``) runs within its work limit up to four players only.
SYMMETRIC_DEFAULT_PLAYERS = 5


class ConceptError(SolverError):
    """A solution concept does not apply to a game (the message says why, in one line)."""


@dataclass(frozen=True)
class Route:
    """How a concept is computed on a kind of game.

    Attributes
    ----------
    kind : str
        The kind of game (one of :data:`KINDS`).
    concept : str
        The concept asked for (one of :data:`CONCEPT_NAMES`).
    computes : str
        What the route computes, in words; shown to the user next to the concept.
    solver : str
        The solver function (in :mod:`deterrence.solve`).
    batched : bool
        One vectorized call solves a batch of games (a sweep can use it).
    symbolic : bool
        :mod:`deterrence.analysis.symbolic` writes the conditions of this
        concept exactly (one-shot conditions with beliefs fixed by the game).
    default : bool
        The default concept for this kind.
    """

    kind: str
    concept: str
    computes: str
    solver: str
    batched: bool
    symbolic: bool
    default: bool = False

    @property
    def label(self) -> str:
        """``"concept: what is computed"``, for printing."""
        return f"{self.concept}: {self.computes}"


_SPE_REFUSED = ("subgame perfection puts no restriction on play at an information set that hides a player's "
                "move (it starts no subgame)")

_TABLE = {
    "normal_form": (
        Route("normal_form", "nash", "every Nash equilibrium (mixed included; complete enumeration)",
              "enumerate_equilibria / enumerate_nplayer", batched=False, symbolic=True, default=True),
        Route("normal_form", "pure", "every pure-strategy Nash equilibrium", "pure_nash", batched=True,
              symbolic=True),
        Route("normal_form", "qre", "the logit quantal response equilibrium at the given lambda", "logit_qre",
              batched=False, symbolic=False),
    ),
    # admissible on symmetric games only (see _routes); batched with two actions
    "symmetric_normal_form": (
        Route("normal_form", "symmetric", "every symmetric Nash equilibrium (mixed included; complete over "
              "symmetric profiles, asymmetric equilibria not listed)", "symmetric_equilibria", batched=True,
              symbolic=False),
    ),
    "perfect_information": (
        Route("perfect_information", "spe", "subgame-perfect equilibrium by backward induction",
              "subgame_perfect", batched=True, symbolic=True, default=True),
        Route("perfect_information", "pbe",
              "subgame-perfect equilibrium by backward induction (every information set is one node, so "
              "subgame-perfect and perfect Bayesian equilibria coincide)", "subgame_perfect", batched=True,
              symbolic=True),
    ),
    "hides_only_chance": (
        Route("hides_only_chance", "pbe",
              "sequential equilibrium by Bayesian backward induction, beliefs from chance (a perfect Bayesian "
              "equilibrium; the only sequential one where no mover is indifferent)",
              "bayesian_backward_induction", batched=True, symbolic=True, default=True),
        Route("hides_only_chance", "spe",
              "sequential equilibrium by Bayesian backward induction, beliefs from chance (it is subgame "
              "perfect; other subgame-perfect equilibria with other beliefs may exist)",
              "bayesian_backward_induction", batched=True, symbolic=True),
    ),
    "signalling": (
        Route("signalling", "pbe", "every perfect Bayesian equilibrium (mixed included), by support pattern",
              "perfect_bayesian (signalling_pbe)", batched=False, symbolic=False, default=True),
    ),
    "incomplete_information": (
        Route("incomplete_information", "pbe",
              "every pure weak perfect Bayesian equilibrium (mixed ones sought by the agent-QRE limit, not "
              "certified complete)", "perfect_bayesian", batched=False, symbolic=False, default=True),
    ),
}

_REFUSED = {
    ("normal_form", "spe"): "it needs a game tree",
    ("normal_form", "pbe"): "it needs a game tree",
    ("signalling", "spe"): _SPE_REFUSED,
    ("incomplete_information", "spe"): _SPE_REFUSED,
}


def _tree_refusal(concept):
    return (f"{concept} is computed here for normal forms only (for a tree, solve its reduced normal form, "
            f"deterrence.games.reduced_normal_form)")


def hidden_move(tree: GameTree):
    """The first information set that hides a player's move, or None.

    An information set hides a player's move when two of its nodes are
    reached by different sequences of players' (information set, action)
    choices; when they differ only by nature's moves, the beliefs there are
    fixed by the prior.

    Returns
    -------
    tuple or None
        ``(infoset label, player, node id, node id)`` naming two nodes of
        the information set whose histories differ in a player's choice.
    """
    if not isinstance(tree, GameTree):
        raise SolverError(f"hidden_move needs a GameTree, got {type(tree).__name__}")
    if tree.is_perfect_information:
        return None
    cache = tree.__dict__.get("_hidden_move_cache", False)
    if cache is not False:
        return cache
    ptr, ci = tree.child_ptr, tree.child_index
    # position of each node among its parent's children
    pos = np.zeros(tree.n_nodes, np.int64)
    for v in range(tree.n_nodes):
        pos[ci[ptr[v]:ptr[v + 1]]] = np.arange(ptr[v + 1] - ptr[v])

    def history(v):
        out = []
        while tree.parent[v] >= 0:
            p = int(tree.parent[v])
            if tree.kind[p] == DECISION:
                out.append((int(tree.infoset[p]), int(pos[v])))
            v = p
        return tuple(reversed(out))

    found = None
    for h in tree.infosets:
        if len(h.nodes) < 2:
            continue
        nodes = [int(v) for v in h.nodes]
        first = history(nodes[0])
        other = next((v for v in nodes[1:] if history(v) != first), None)
        if other is not None:
            found = (h.label, tree.players[h.player], tree.node_ids[nodes[0]], tree.node_ids[other])
            break
    tree.__dict__["_hidden_move_cache"] = found
    return found


def game_kind(game) -> str:
    """The kind of a game (one of :data:`KINDS`); see the module docstring.

    Parameters
    ----------
    game : NormalFormGame, GameTree, SignallingGame, or a parametric model
        A parametric model is classified by its game at the default parameters
        (the kind depends on the structure only).
    """
    game = _as_game(game)
    if isinstance(game, NormalFormGame):
        return "normal_form"
    if game.is_perfect_information:
        return "perfect_information"
    if hidden_move(game) is None:
        return "hides_only_chance"
    try:
        SignallingGame.from_tree(game)
    except GameStructureError as exc:
        # a zero prior is a parameter value, not structure: still a signalling tree
        if "prior probability zero" in str(exc):
            return "signalling"
        return "incomplete_information"
    return "signalling"


def _as_game(game):
    if isinstance(game, SignallingGame):
        return game.to_tree()
    if isinstance(game, (NormalFormGame, GameTree)):
        return game
    if hasattr(game, "at") and hasattr(game, "parameters"):
        try:
            return game.at()
        except ModelError:
            # no valid default point (a parameter without default, or defaults outside a constraint):
            # the kind depends on the structure only, which a parametric tree builds without values
            template = getattr(game, "_template", None)
            if template is None:
                raise
            return template()[0]
    raise SolverError(f"cannot classify {type(game).__name__}: expected a game or a parametric model")


def _routes(game, kind) -> dict:
    routes = {r.concept: r for r in _TABLE[kind]}
    if kind == "normal_form":
        # every equilibrium of a batch of games in one call: solve_2x2, for 2x2 games only
        g = _as_game(game)
        if g.n_players == 2 and tuple(g.num_actions) == (2, 2):
            routes["nash"] = replace(routes["nash"], solver="enumerate_equilibria (batched: solve_2x2)",
                                     batched=True)
        if _symmetric_refusal(g) is None:
            sym = _TABLE["symmetric_normal_form"][0]
            if g.num_actions[0] != 2:       # k >= 3 actions: support by support, one game at a time
                sym = replace(sym, computes=sym.computes + "; one game at a time", batched=False,
                              solver="symmetric_equilibria (symmetric_multi)")
            if g.n_players >= SYMMETRIC_DEFAULT_PLAYERS and g.num_actions[0] == 2:
                routes["nash"] = replace(routes["nash"], default=False)
                sym = replace(sym, default=True)
            routes["symmetric"] = sym
    return routes


def _symmetric_refusal(game) -> str | None:
    """None when *game* is symmetric (every player the same number of actions, payoffs invariant under
    relabelling the players), else why not (the symmetric solver's message, naming the player and profile)."""
    if game.n_players < 2:
        return "it needs at least two players"
    if len(set(game.num_actions)) != 1 or game.num_actions[0] < 2:
        return (f"the players do not have the same actions (numbers of actions {tuple(game.num_actions)}), so the "
                f"game is not symmetric")
    from .tolerance import lossy_exact
    if lossy_exact(game):
        return "the game's exact payoffs are not held exactly by floating-point numbers (use concept 'nash')"
    try:
        if game.num_actions[0] == 2:
            from .symmetric import symmetric_table
            symmetric_table(game)
        else:
            from .symmetric_multi import reduced_table_k
            for b in range(game.batch_size):
                reduced_table_k(game, b)
    except SolverError as exc:
        return str(exc)
    return None


def admissible(game) -> dict:
    """``{concept: Route}`` for every concept that applies to *game*, the default first."""
    game = _as_game(game)
    routes = _routes(game, game_kind(game))
    return dict(sorted(routes.items(), key=lambda kv: not kv[1].default))


def sweep_route(game, concept: str | None = None) -> Route:
    """The route a batched sweep uses for *concept* on *game* (``None``/``"auto"``: the default).

    With ``"auto"``, a normal form whose complete enumeration is not batched
    (larger than 2x2) is swept for its pure equilibria, and the route says so.

    Raises
    ------
    ConceptError
        When the concept does not apply, or its solver works one game at a time.
    """
    game = _as_game(game)
    r = route(game, concept)
    r = _SWEEP_ROUTES.get((r.kind, r.concept), r)
    if not r.batched and concept in (None, "auto"):
        alt = [x for x in admissible(game).values() if x.batched]
        if alt:
            r = alt[0]
    if not r.batched:
        raise ConceptError(f"concept {r.concept!r} on this {r.kind.replace('_', ' ')} game ({r.computes}) is "
                           f"computed one game at a time by {r.solver}; a sweep needs a batched solver")
    return r


#: How a sweep computes pbe where the one-game route is not batched (solve/pbe_batch.py).
_SWEEP_ROUTES = {
    ("signalling", "pbe"): Route(
        "signalling", "pbe", "every perfect Bayesian equilibrium (mixed included), by support pattern, all "
        "points at once (a point where a type has prior zero: its pure weak PBE)",
        "perfect_bayesian_batch (signalling_pbe_batch)", batched=True, symbolic=False, default=True),
    ("incomplete_information", "pbe"): Route(
        "incomplete_information", "pbe", "every pure weak perfect Bayesian equilibrium, point by point (mixed "
        "ones not sought: the complete column is False, complete_pure says whether every pure one is listed)",
        "perfect_bayesian_batch (perfect_bayesian per point)", batched=True, symbolic=False, default=True),
}


def default_concept(game) -> str:
    """The default concept for *game*: nash (normal form; symmetric for a symmetric two-action normal form
    of :data:`SYMMETRIC_DEFAULT_PLAYERS` players or more), spe (perfect information), pbe (other trees)."""
    return next(iter(admissible(game)))


def route(game, concept: str | None = None) -> Route:
    """The route that computes *concept* on *game* (the default when None or ``"auto"``).

    Raises
    ------
    ConceptError
        When the concept does not apply to the game, with a one-line reason.
    """
    game = _as_game(game)
    kind = game_kind(game)
    routes = _routes(game, kind)
    if concept in (None, "auto"):
        return next(r for r in routes.values() if r.default)
    if concept not in CONCEPT_NAMES:
        raise ConceptError(f"unknown concept {concept!r}; choose one of {list(CONCEPT_NAMES)}")
    if concept in routes:
        return routes[concept]
    if kind == "normal_form" and concept == "symmetric":
        raise ConceptError(f"concept 'symmetric' does not apply to this game: {_symmetric_refusal(game)}")
    why = _REFUSED.get((kind, concept)) or _tree_refusal(concept)
    where = ""
    if kind in ("signalling", "incomplete_information") and concept == "spe":
        h = hidden_move(_as_game(game))
        where = f" (information set {h[0]!r} of {h[1]}: nodes {h[2]!r} and {h[3]!r} follow different moves)"
    use = " or ".join(routes)
    raise ConceptError(f"concept {concept!r} does not apply to this {kind.replace('_', ' ')} game: {why}{where}; "
                       f"use {use}")
