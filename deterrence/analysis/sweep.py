"""Parameter sweeps: solve a parametric model on a grid or a Latin-hypercube sample.

A sweep evaluates a parametric model (:class:`~deterrence.games.parametric.ParametricModel`)
at many parameter points and records, for each point, the equilibrium outcome
label, the outcome probabilities and the equilibrium payoffs, in a
:class:`~deterrence.analysis.table.ResultTable` (one row per point).

Vectorized: the points are cut into chunks; for each chunk the model is
evaluated once on the whole chunk (one batched game) and solved by one
batched solver call -- pure Nash equilibria (:func:`~deterrence.solve.pure.pure_nash_mask`),
all equilibria of 2x2 games (:func:`~deterrence.solve.two_by_two.solve_2x2`)
or the subgame-perfect equilibrium of a tree
(:func:`~deterrence.solve.spe.subgame_perfect`).  Labels are built from bit
codes of the equilibrium sets with ``np.unique``, so no Python code runs per
point.

Concepts
--------
``"spe"`` (trees)
    The backward-induction SPE (ties broken toward the first action; the
    ``unique`` column says whether it is the only pure SPE).  ``outcome`` joins
    the outcome labels reached with positive probability; ``P(label)`` is the
    probability of each outcome; ``payoff(player)`` the expected payoffs.
``"pbe"`` (trees whose information sets only hide chance moves, e.g. an unseen type)
    The sequential equilibrium found by Bayesian backward induction
    (:func:`~deterrence.solve.bayesian.bayesian_backward_induction`); same columns as ``"spe"``.
``"pbe"`` (signalling trees and other trees of incomplete information)
    Every perfect Bayesian equilibrium at every point
    (:func:`~deterrence.solve.pbe_batch.perfect_bayesian_batch`: signalling
    trees all points at once, other trees point by point, pure equilibria).
    ``outcome`` names the equilibria (kind and type supports for signalling
    trees, e.g. ``"hybrid [tough: beer; weak: beer+quiche]"``), with
    ``n_equilibria``, ``complete``, ``complete_pure``; ``P(label)`` and
    ``payoff(player)`` where every equilibrium found agrees on them (NaN otherwise).
``"nash"`` (2x2 normal forms)
    Every extreme equilibrium (complete, degenerate games included).
    ``outcome`` joins the equilibria, pure ones as ``(row action, column
    action)`` and the completely mixed one as ``mixed``; payoffs and outcome
    probabilities are filled when the equilibrium is unique (NaN otherwise).
``"pure"`` (any normal form)
    Every pure Nash equilibrium; ``outcome`` is ``none`` when there is none.
``"symmetric"`` (symmetric normal forms whose players have two actions)
    Every symmetric Nash equilibrium (:func:`~deterrence.solve.symmetric.symmetric_equilibria`;
    asymmetric equilibria are not listed).  ``outcome`` joins ``all <action>`` for the pure
    symmetric profiles and ``symmetric mixed`` for the mixed ones (``continuum`` where every
    symmetric profile is one); ``n_equilibria``; ``P(<second action>) each`` (every player's
    probability of the second action), ``payoff(player)`` and ``P(label)`` where the symmetric
    equilibrium is unique (NaN otherwise).

Memory is bounded by the chunk, not by the number of points: the points are
generated chunk by chunk (:class:`~deterrence.analysis.points.SweepPoints`),
each solved chunk is streamed to the output file
(:class:`~deterrence.analysis.table.TableWriter`: CSV, JSON, JSON lines,
Parquet) and, with ``keep=False``, not kept.  The chunk size is lowered for
large games so that one chunk's game stays within about
:data:`CHUNK_BYTES`.  Sweeps of more than
:data:`~deterrence.analysis.points.MAX_POINTS` points are refused at once.

Long sweeps report progress (a callback and/or a line on stderr), can be
interrupted with Ctrl-C, SIGTERM or SIGHUP (the output file is written
atomically: no partial file is left), and can run their chunks on a
dask.distributed cluster (``scheduler="dask"``) with results identical to the
local run.
"""

from __future__ import annotations

import functools
import math
import os
import sys
import time
from collections import Counter
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..errors import ModelError, SolverError
from .points import MAX_POINTS, SweepPoints, parse_axis
from .table import ResultTable, TableWriter, output_format

__all__ = ["sweep", "sweep_points", "parse_axis", "solve_chunk", "default_concept", "CONCEPTS", "CHUNK_BYTES"]

#: Concepts a sweep can batch.
CONCEPTS = ("spe", "pbe", "nash", "pure", "symmetric")

#: Rough memory budget of one chunk's game and solver arrays (bytes); larger games get smaller chunks.
CHUNK_BYTES = 1 << 27

_EPS = 1e-12


# ---------------------------------------------------------------------- points
def sweep_points(model, grid: Mapping[str, Any] | None = None, *, samples: int | None = None,
                 names: Sequence[str] | None = None, bounds: Mapping[str, tuple] | None = None,
                 seed=None, fixed: Mapping[str, Any] | None = None, max_points: int = MAX_POINTS) -> dict:
    """The parameter points of a sweep, all at once: every parameter as a 1-d array.

    The same points :func:`sweep` solves (see
    :class:`~deterrence.analysis.points.SweepPoints`, which produces them
    chunk by chunk for sweeps too large for memory).

    Parameters
    ----------
    grid : mapping of str to values, optional
        Cartesian grid over these parameters (first one varies slowest);
        values as accepted by :func:`parse_axis`.
    samples : int, optional
        Instead of a grid, a Latin-hypercube sample of this many points over
        *names* (default: every parameter with a bounded domain or given
        *bounds*) within *bounds* (default: the domains).
    seed : None, int >= 0 or numpy.random.Generator
        Seed of the sample; None means :data:`~deterrence.analysis.provenance.DEFAULT_SEED`
        (the CLI's default too).
    fixed : mapping, optional
        Values for parameters that are not swept (others keep their defaults).
    """
    if seed is None:
        from .provenance import DEFAULT_SEED
        seed = DEFAULT_SEED
    return SweepPoints(model, grid, samples=samples, names=names, bounds=bounds, seed=seed, fixed=fixed,
                       max_points=max_points).all()


def default_concept(model) -> str:
    """The concept :func:`sweep` uses with ``concept="auto"``.

    The default of the concept registry (:func:`deterrence.solve.concepts.default_concept`:
    spe for perfect-information trees, pbe for other trees, nash for normal forms), except that a
    normal form larger than 2x2 is swept for its pure equilibria (the complete enumeration is not
    batched); see :func:`deterrence.solve.concepts.sweep_route`.

    Raises
    ------
    ConceptError
        When the model's default concept cannot be batched (signalling and other trees whose
        information sets hide a player's move).
    """
    if getattr(model, "kind", "") == "computed":     # its own function (deterrence.analysis.computed)
        return model.concept
    from ..solve.concepts import sweep_route
    return sweep_route(model).concept


# ---------------------------------------------------------------------- solving a chunk
def _label_codes(bits: np.ndarray, names: Sequence[str], empty: str) -> np.ndarray:
    """One label per row from a boolean matrix ``(B, K)``: the names of the True columns joined by ' | '."""
    B, K = bits.shape
    if K <= 62:
        codes = np.zeros(B, np.int64)
        for k in range(K):
            codes |= bits[:, k].astype(np.int64) << k
        if K <= 16:
            # codes are small: rank them through a table instead of sorting
            present = np.zeros(1 << K, bool)
            present[codes] = True
            uniq = np.flatnonzero(present)
            rank = np.zeros(1 << K, np.int64)
            rank[uniq] = np.arange(len(uniq))
            inv = rank[codes]
        else:
            uniq, inv = np.unique(codes, return_inverse=True)
        labels = []
        for c in uniq:
            on = [names[k] for k in range(K) if (int(c) >> k) & 1]
            labels.append(" | ".join(on) if on else empty)
    else:
        # many columns: group the rows by a 64-bit hash of their bits (one sort of B integers instead of
        # a sort of B rows of K bytes), then check that every row equals its group's first row
        weights = np.random.default_rng(0x5EED).integers(0, 2 ** 64, size=K, dtype=np.uint64)
        h = np.zeros(B, np.uint64)
        for lo in range(0, K, 256):
            h += (bits[:, lo:lo + 256] * weights[lo:lo + 256]).sum(axis=1, dtype=np.uint64)
        _, first, inv = np.unique(h, return_index=True, return_inverse=True)
        uniq = bits[first]
        if not np.array_equal(uniq[inv.reshape(-1)], bits):       # a hash collision: sort the rows themselves
            uniq, inv = np.unique(bits, axis=0, return_inverse=True)
        labels = [" | ".join(names[k] for k in np.flatnonzero(row)) or empty for row in uniq]
    table = np.array(labels, dtype=object)
    return table[inv.reshape(-1)]


def solve_chunk(model, points: Mapping[str, np.ndarray], concept: str, tol: float = 1e-8,
                validated: bool = False, measures=()) -> dict:
    """Columns (outcome, probabilities, payoffs) for one chunk of points: one batched evaluation
    and one batched solver call.  Module-level so that a dask worker can run it.

    *validated*: the points hold every parameter as a 1-d array and were already checked
    (domains and constraints, as :func:`sweep` does once for all points), so the chunk is
    evaluated without checking again.

    *measures*: names or :class:`~deterrence.analysis.measures.Measure` objects; their columns
    (``M``, ``M[min]``, ``M[max]`` over every equilibrium, see
    :func:`~deterrence.analysis.measures.measure_columns`) are added."""
    if measures:
        from .measures import measure_columns
        cols, game, res = _solve_chunk(model, points, concept, tol, validated)
        # the measures read the same game and, for trees, the same solution: each chunk is solved once
        cols.update(measure_columns(model, points, concept, measures, tol=tol, validated=validated, game=game,
                                    result=res))
        return cols
    return _solve_chunk(model, points, concept, tol, validated)[0]


def _solve_chunk(model, points, concept, tol, validated):
    """``(columns, game, tree solver result or None)`` for one chunk (see :func:`solve_chunk`)."""
    n = len(next(iter(points.values())))
    if validated and hasattr(model, "_build"):
        game = model._build({k: np.asarray(v, dtype=float) for k, v in points.items()}, n)
        game.batched = True
    else:
        game = model.evaluate_batch(points)
    cols: dict = {}
    if concept == "pbe" and not game.is_perfect_information:
        from ..solve.bayesian import hides_only_chance

        if not hides_only_chance(game):       # signalling and other incomplete-information trees
            from ..solve.pbe_batch import perfect_bayesian_batch
            # trees solved point by point say how far they are on stderr when a chunk takes over a second
            r = perfect_bayesian_batch(game, tol=tol, progress=True)
            return r.sweep_columns(), game, r
    if concept in ("spe", "pbe"):
        from ..solve.bayesian import bayesian_backward_induction
        from ..solve.spe import subgame_perfect

        # the registry admits spe/pbe on these two kinds only: both are one backward induction
        res = (subgame_perfect if game.is_perfect_information else bayesian_backward_induction)(game, tol=tol)
        probs = res.outcome_probabilities
        labels = list(probs)
        P = np.stack([np.broadcast_to(probs[k], (n,)) for k in labels])      # (labels, n): contiguous columns
        cols["outcome"] = _label_codes((P > _EPS).T, labels, "none")
        for k, lab in enumerate(labels):
            cols[f"P({lab})"] = P[k]
        pay = np.broadcast_to(res.payoffs, (n, len(model.players)))
        for i, p in enumerate(model.players):
            cols[f"payoff({p})"] = pay[:, i]
        cols["unique"] = np.broadcast_to(res.unique, (n,))
        return cols, game, res
    if concept == "pure":
        from ..solve.pure import pure_nash_mask

        mask = pure_nash_mask(game, tol=tol).reshape(n, -1)
        profiles = list(np.ndindex(*game.num_actions))
        names = _profile_names(tuple(tuple(a) for a in game.actions))
        cols["outcome"] = _label_codes(mask, names, "none")
        count = mask.sum(1)
        cols["n_equilibria"] = count
        one = count == 1
        first = np.argmax(mask, axis=1)
        pay = game.payoffs.reshape(n, len(profiles), -1)[np.arange(n), first]
        for i, p in enumerate(game.players):
            cols[f"payoff({p})"] = np.where(one, pay[:, i], np.nan)
        _outcome_probs(model, profiles, game, np.where(one[:, None], mask.astype(float), np.nan), cols)
        return cols, game, None
    if concept == "nash":
        from ..solve.two_by_two import solve_2x2

        if game.n_players != 2 or game.num_actions != (2, 2):
            raise SolverError(f"concept 'nash' in sweeps is batched for 2x2 games; this game has actions "
                              f"{game.num_actions} (use concept='pure')")
        eq = solve_2x2(game, tol=tol)
        gi, row, col = eq.game_index, eq.row, eq.column
        if eq.row_vertex is not None:
            # vertex 0/1 = pure first/second action, 2 = the interior (mixed) vertex
            s = eq.row_vertex.astype(np.int64)
            t = eq.column_vertex.astype(np.int64)
            pure_r, pure_c = s < 2, t < 2
            code = np.where(pure_r & pure_c, 2 * s + t, np.where(~pure_r & ~pure_c, 4, 5))
        else:
            pure_r = np.isclose(row.max(1), 1.0)
            pure_c = np.isclose(col.max(1), 1.0)
            code = np.where(pure_r & pure_c, 2 * row.argmax(1) + col.argmax(1),
                            np.where(~pure_r & ~pure_c, 4, 5))
        bits = np.zeros((n, 6), bool)
        bits[gi, code] = True
        A = game.actions
        names = [f"({A[0][i]}, {A[1][j]})" for i in range(2) for j in range(2)] + ["mixed", "partly mixed"]
        cols["outcome"] = _label_codes(bits, names, "none")
        count = np.bincount(gi, minlength=n)
        cols["n_equilibria"] = count
        one = count == 1
        # the equilibrium of games with exactly one: its index in the flat arrays
        first = np.cumsum(count) - count
        first = np.minimum(first, max(len(gi) - 1, 0))
        for i, p in enumerate(game.players):
            v = eq.payoffs[first, i] if len(gi) else np.full(n, np.nan)
            cols[f"payoff({p})"] = np.where(one, v, np.nan)
        if len(gi):
            dist = (row[first][:, :, None] * col[first][:, None, :]).reshape(n, 4)
        else:
            dist = np.full((n, 4), np.nan)
        cols["P(first action, row)"] = np.where(one, row[first, 0] if len(gi) else np.nan, np.nan)
        cols["P(first action, column)"] = np.where(one, col[first, 0] if len(gi) else np.nan, np.nan)
        _outcome_probs(model, [(0, 0), (0, 1), (1, 0), (1, 1)], game, np.where(one[:, None], dist, np.nan), cols)
        return cols, game, None
    if concept == "symmetric":
        return _symmetric_columns(model, game, n, tol, cols), game, None
    raise SolverError(f"unknown sweep concept {concept!r}; choose one of {list(CONCEPTS)}")


def _symmetric_columns(model, game, n, tol, cols):
    """Sweep columns of every symmetric equilibrium (one batched call of the symmetric solver)."""
    from ..solve.symmetric import symmetric_equilibria

    res = symmetric_equilibria(game, tol=tol)
    gi, p = res.game_index, res.p
    a0, a1 = res.actions
    code = np.where(p == 0.0, 0, np.where(p == 1.0, 1, 2))
    bits = np.zeros((n, 4), bool)
    bits[gi, code] = True
    bits[res.continuum] = [False, False, False, True]
    cols["outcome"] = _label_codes(bits, [f"all {a0}", f"all {a1}", "symmetric mixed",
                                          "continuum (every symmetric profile)"], "none")
    count = res.counts
    cols["n_equilibria"] = count
    one = (count == 1) & ~res.continuum
    first = np.minimum(np.cumsum(count) - count, max(len(gi) - 1, 0))
    pick = (lambda v: np.where(one, v[first], np.nan)) if len(gi) else (lambda v: np.full(n, np.nan))
    cols[f"P({a1}) each"] = pick(p)
    for i, pl in enumerate(game.players):
        cols[f"payoff({pl})"] = pick(res.payoffs[:, i])
    if len(gi):
        dist = res.profile_probabilities()[first]
    else:
        dist = np.full((n, 2 ** res.n_players), np.nan)
    profiles = list(np.ndindex(*game.num_actions))
    _outcome_probs(model, profiles, game, np.where(one[:, None], dist, np.nan), cols)
    return cols


def _outcome_probs(model, profiles, game, dist, cols):
    """``P(outcome)`` columns from a distribution over profiles, using the model's outcome labels.

    One ``reduceat`` over the profiles sorted by outcome, not one sum per outcome: a 100x100 game
    has 10^4 outcomes (one per profile when the model names none)."""
    outcomes = getattr(model, "outcomes", None) or {}
    labels, group = _profile_groups(tuple(tuple(a) for a in game.actions), tuple(sorted(outcomes.items())))
    order = np.argsort(group, kind="stable")
    starts = np.flatnonzero(np.r_[True, np.diff(group[order]) != 0])
    if len(starts) == len(order):           # one profile per outcome: the columns themselves
        P = dist[:, order]
    else:                                   # sum contiguous rows of the transpose (fast), then back
        P = np.add.reduceat(np.ascontiguousarray(dist.T[order]), starts, axis=0).T
    for j, lab in enumerate(labels):
        cols[f"P({lab})"] = P[:, j]


@functools.lru_cache(maxsize=32)
def _profile_names(actions: tuple) -> list:
    """``(a, b)`` for every profile, first player slowest."""
    return ["(" + ", ".join(actions[i][a] for i, a in enumerate(p)) + ")"
            for p in np.ndindex(*(len(a) for a in actions))]


@functools.lru_cache(maxsize=32)
def _profile_groups(actions: tuple, outcomes: tuple):
    """Outcome labels in order of first appearance and, for each profile (first player slowest), its label's index."""
    named = dict(outcomes)
    index: dict = {}
    group = np.empty(math.prod(len(a) for a in actions), np.int64)
    for k, p in enumerate(np.ndindex(*(len(a) for a in actions))):
        acts = tuple(actions[i][a] for i, a in enumerate(p))
        lab = named.get(acts, "(" + ", ".join(acts) + ")")
        group[k] = index.setdefault(lab, len(index))
    group.setflags(write=False)
    return list(index), group


# ---------------------------------------------------------------------- the sweep
class _Progress:
    def __init__(self, total, callback, stderr):
        self.total, self.callback, self.stderr = total, callback, stderr
        self.done = 0
        self.t0 = time.perf_counter()

    def update(self, k):
        self.done += k
        if self.callback is not None:
            self.callback(self.done, self.total)
        if self.stderr:
            rate = self.done / max(time.perf_counter() - self.t0, 1e-9)
            sys.stderr.write(f"\rsweep: {100 * self.done / self.total:5.1f}% ({self.done}/{self.total} points, "
                             f"{rate:,.0f} points/s)")
            if self.done >= self.total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def sweep(model, grid: Mapping[str, Any] | None = None, *, samples: int | None = None,
          names: Sequence[str] | None = None, bounds: Mapping[str, tuple] | None = None, seed=None,
          fixed: Mapping[str, Any] | None = None, concept: str = "auto", chunk_size: int = 1 << 18,
          progress: Callable[[int, int], None] | bool | None = None, scheduler: str = "local",
          client=None, out=None, keep: bool = True, tol: float = 1e-8,
          max_points: int = MAX_POINTS, measures=None) -> ResultTable:
    """Solve a parametric model at every point of a grid or a Latin-hypercube sample.

    Parameters
    ----------
    model : ParametricModel
        A parametric normal form or tree (``deterrence.load_model(...)``).
    grid : mapping, optional
        ``{parameter: values}``, values an array or ``"lo:hi:n"``.
    samples, names, bounds, seed :
        A Latin-hypercube sample instead of a grid (see
        :class:`~deterrence.analysis.points.SweepPoints`); *seed* is None, a
        non-negative integer or a :class:`numpy.random.Generator`.
    fixed : mapping, optional
        Values of unswept parameters (others at their defaults; the table's
        ``meta["held"]`` lists those).
    concept : {"auto", "spe", "pbe", "nash", "pure", "symmetric"}
        Solution concept, checked against the game by the concept registry
        (:mod:`deterrence.solve.concepts`); "auto" picks the registry's default
        (SPE for perfect-information trees, the sequential equilibrium for
        trees whose information sets hide only chance, all equilibria for 2x2
        games, every symmetric equilibrium for symmetric two-action games of five
        players or more) and pure equilibria for other larger normal forms.  The table's
        ``meta["computes"]`` says what was computed.
    chunk_size : int
        Points per batched solver call (lowered for large games, see
        :data:`CHUNK_BYTES`).
    progress : callable or bool, optional
        ``progress(done, total)`` after each chunk; ``True`` prints a progress
        line on stderr.
    scheduler : {"local", "dask"}
        ``"dask"`` sends the chunks to a dask.distributed cluster: *client*, or
        the current client (``distributed.get_client()``).
    out : path, optional
        Stream the table to this file, chunk by chunk (format from the
        extension: .csv, .json, .jsonl, .parquet).  The path is checked before
        any work; the file is written atomically: an interrupted sweep (an
        error, Ctrl-C, SIGTERM, SIGHUP) leaves no partial file.  CSV and JSON
        lines have no place for the table's ``meta`` (provenance included): it
        is written beside them, in ``out + ".provenance.json"``.
    keep : bool or list of str
        Keep the rows in memory and return them (default ``True``).  With
        ``keep=False`` memory is bounded by the chunk size: the returned table
        has the columns but no rows (they are in *out*), and its ``meta``
        holds the number of points and the count of each outcome.  A list of
        column names keeps only those columns (``["outcome"]`` for a region
        map).
    tol : float
        Solver tolerance (ties and certificates).
    max_points : int
        Refuse larger sweeps at once ("sweep too large"; default
        :data:`~deterrence.analysis.points.MAX_POINTS`).
    measures : list, optional
        Measures to report (names of ``model.measures`` or
        :class:`~deterrence.analysis.measures.Measure` objects); default: every
        measure of the model, ``[]`` for none.  Each adds the columns ``M``
        (NaN where the equilibria of a point disagree), ``M[min]`` and
        ``M[max]`` over every equilibrium of the point, and the table gets
        ``equilibria_measured`` and ``equilibria_complete``.  Measures cost one
        more batched solve per chunk (the listing of every equilibrium), so a
        sweep of a model with measures takes about twice as long; ``[]`` skips them.

    Returns
    -------
    ResultTable
        Columns: every parameter, ``outcome``, then concept-specific
        probability and payoff columns (see the module docstring).  ``meta``:
        model, concept, computes (what was computed, in words), points, outcomes (label -> count),
        swept, held, fixed, provenance (:func:`~deterrence.analysis.provenance.provenance`) and the
        measures reported.  Held parameters' columns and the columns a measure shares (value, ``[min]``,
        ``[max]`` where each point has one equilibrium) are read-only arrays: copy one before changing it.
    """
    if concept != "auto" and concept not in CONCEPTS:
        raise SolverError(f"concept {concept!r} cannot be swept in batch; choose one of {list(CONCEPTS)} or 'auto'")
    chosen = check_concept(model, concept)     # the registry refuses a concept that does not apply, saying why
    concept = chosen.concept
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ModelError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    if scheduler not in ("local", "dask"):
        raise ModelError(f"unknown scheduler {scheduler!r}; use 'local' or 'dask'")
    if isinstance(tol, bool) or not isinstance(tol, (int, float, np.integer, np.floating)) \
            or not math.isfinite(tol) or tol < 0:
        raise ModelError(f"tol must be a finite number >= 0 (the solver tolerance), got {tol!r}")
    if not (progress is None or isinstance(progress, bool) or callable(progress)):
        raise ModelError(f"progress must be True, False, None or a function progress(done, total), got {progress!r}")
    if out is not None and not isinstance(out, (str, os.PathLike)):
        raise ModelError(f"out must be a file path (str or os.PathLike), got {type(out).__name__}: {out!r}")
    keep_cols = _keep_columns(keep)
    from .measures import resolve_measures
    from .provenance import DEFAULT_SEED, provenance
    measures = resolve_measures(model, measures)
    if seed is None:
        seed = DEFAULT_SEED
    pts = SweepPoints(model, grid, samples=samples, names=names, bounds=bounds, seed=seed, fixed=fixed,
                      max_points=max_points)
    size = _chunk_points(model, int(chunk_size))
    meta = {"model": getattr(model, "name", ""), "concept": concept, "computes": chosen.computes, "points": pts.total,
            "swept": list(pts.swept), "held": dict(pts.held), "fixed": dict(pts.fixed)}
    meta["provenance"] = provenance(
        model, concept=concept, tol=tol, seed=seed if samples else None,
        grid=None if samples else {k: parse_axis(v) for k, v in (grid or {}).items()},
        sample={"sampler": "latin_hypercube", "n": int(samples), "names": list(pts.swept)} if samples else None,
        fixed=dict(pts.fixed) or None)
    if measures:
        meta["measures"] = {m.name: {"meaning": m.meaning, "unit": m.unit, "expr": str(m.expr)} for m in measures}
    writer = TableWriter(out, meta=meta) if out is not None else None
    sink = _Sink(writer, keep_cols, _Progress(pts.total, progress if callable(progress) else None, progress is True))
    if measures:
        from .measures import track_ranges
        track_ranges(sink, meta["measures"])     # each measure's range over the sweep, in meta, as chunks arrive
    if writer is not None:
        with writer:                     # the file is created now, before any work
            _run(model, pts, size, concept, tol, scheduler, client, sink, measures)
    else:
        _run(model, pts, size, concept, tol, scheduler, client, sink, measures)
    meta["outcomes"] = dict(sink.counts)
    if out is not None and output_format(out) in ("csv", "jsonl"):
        from .provenance import write_sidecar
        write_sidecar(out, meta)          # CSV and JSON lines have no place for the provenance
    return sink.table(meta)


def check_concept(model, concept: str):
    """Refuse, before any work, a sweep concept that does not apply to *model* (one-line reason).

    Delegates to the concept registry (:func:`deterrence.solve.concepts.sweep_route`), which the CLI
    and the symbolic analysis use too.

    Returns
    -------
    Route
        The route the sweep takes (``concept="auto"``: the default one), with what it computes.

    Raises
    ------
    ConceptError
        When the concept does not apply to the model's game, or cannot be batched.
    """
    from ..solve.concepts import sweep_route
    return sweep_route(model, concept)


def _chunk_points(model, chunk_size: int) -> int:
    """*chunk_size*, lowered so that one chunk's game and solver arrays stay within about CHUNK_BYTES."""
    players = len(getattr(model, "players", ())) or 1
    if hasattr(model, "num_actions"):
        cells = math.prod(int(a) for a in model.num_actions)
        per_point = 8 * cells * (players + 4)      # payoffs, masks and best responses
    else:
        nodes = len(getattr(model, "nodes", ()) or ()) or 16
        per_point = 8 * nodes * (players + 8)
    return max(1, min(chunk_size, CHUNK_BYTES // max(per_point, 1)))


def _keep_columns(keep):
    """None (keep every column), an empty tuple (keep none) or the tuple of columns to keep."""
    if keep is True:
        return None
    if keep is False or keep is None:
        return ()
    if isinstance(keep, str):
        keep = [keep]
    try:
        return tuple(str(k) for k in keep)
    except TypeError:
        raise ModelError(f"keep must be True, False or a list of column names, got {keep!r}") from None


class _Sink:
    """Where solved chunks go: the output file, the kept rows, the outcome counts and the progress report."""

    def __init__(self, writer, keep, prog):
        self.writer, self.keep, self.prog = writer, keep, prog
        self.parts: list = []
        self.counts: Counter = Counter()
        self.names: list | None = None

    def add(self, points: dict, cols: dict) -> None:
        row = {**points, **cols}
        if self.names is None:
            self.names = list(row)
        if self.writer is not None:
            self.writer.write(row)
        self.counts.update(np.asarray(cols["outcome"]).tolist())
        if self.keep is None:
            self.parts.append(row)
        elif self.keep:
            missing = [k for k in self.keep if k not in row]
            if missing:
                raise ModelError(f"keep: no column(s) {missing}; columns are {list(row)}")
            self.parts.append({k: row[k] for k in self.keep})
        self.prog.update(len(cols["outcome"]))

    def table(self, meta) -> ResultTable:
        if self.keep is None or self.keep:
            if not self.parts:
                return ResultTable({k: np.zeros(0) for k in (self.keep or self.names or [])}, meta)
            return _assemble(self.parts, meta)
        return ResultTable({k: np.zeros(0) for k in (self.names or [])}, meta)


def _solve(model, points, concept, tol, start, measures=()):
    """Validate one chunk (domains and constraints) and solve it."""
    try:
        model.point(points)
    except ModelError as exc:
        n = len(next(iter(points.values())))
        raise type(exc)(f"{exc} (sweep points {start} to {start + n - 1})") from None
    return solve_chunk(model, points, concept, tol, validated=True, measures=measures)


def _run(model, pts, size, concept, tol, scheduler, client, sink, measures=()):
    if scheduler == "dask":
        return _run_dask(model, pts, size, concept, tol, client, sink, measures)
    for start, ch in pts.chunks(size):
        sink.add(ch, _solve(model, ch, concept, tol, start, measures))


def _run_dask(model, pts, size, concept, tol, client, sink, measures=()):
    """Chunks on a dask.distributed cluster, at most a window of them in flight or waiting to be written,
    written in order (so the file is the local run's)."""
    try:
        from distributed import get_client, wait
    except ImportError:
        raise ModelError("scheduler='dask' needs dask.distributed: pip install 'deterrence[sweep]'") from None
    if client is None:
        try:
            client = get_client()
        except ValueError:
            raise ModelError("scheduler='dask': no dask.distributed client; start one "
                             "(distributed.Client()) or pass client=") from None
    window = max(2, 2 * sum(client.nthreads().values()))
    model_f = client.scatter(model, broadcast=True)
    starts = iter(range(0, pts.total, size))
    pending: dict = {}          # start -> (points, future)
    ready: dict = {}            # start -> (points, columns)
    next_start = 0
    try:
        while next_start < pts.total:
            while len(pending) + len(ready) < window:
                s = next(starts, None)
                if s is None:
                    break
                ch = pts.chunk(s, s + size)
                try:
                    model.point(ch)
                except ModelError as exc:
                    raise type(exc)(f"{exc} (sweep points {s} to {s + len(ch[pts.names[0]]) - 1})") from None
                pending[s] = (ch, client.submit(solve_chunk, model_f, ch, concept, tol, True, measures,
                                                          pure=False))
            if next_start in ready:
                ch, cols = ready.pop(next_start)
                sink.add(ch, cols)
                next_start += size
                continue
            wait([f for _, f in pending.values()], return_when="FIRST_COMPLETED")
            for s in [s for s, (_, f) in pending.items() if f.done()]:
                ch, f = pending.pop(s)
                ready[s] = (ch, f.result())
    except BaseException:
        client.cancel([f for _, f in pending.values()])
        raise


def _assemble(parts, meta) -> ResultTable:
    # chunks may disagree on which P(...) columns exist (a label absent from a chunk): union, fill 0
    names: list = []
    for p in parts:
        for k in p:
            if k not in names:
                names.append(k)
    cols = {}
    built: dict = {}                   # the pieces of a column (by identity) -> the column assembled from them
    constant = {**(meta.get("held") or {}), **(meta.get("fixed") or {})}
    total = sum(len(p["outcome"]) for p in parts)
    for k in names:
        pieces = []
        for p in parts:
            if k in p:
                pieces.append(np.asarray(p[k]))
            else:
                n = len(p["outcome"])
                pieces.append(np.zeros(n) if k.startswith("P(") else np.full(n, np.nan))
        key = tuple(id(a) for a in pieces)
        if key in built:
            # the same arrays as another column (a measure's value, minimum and maximum where every point has
            # one equilibrium): one read-only array for both
            cols[k] = built[key][1]
            continue
        v = constant.get(k)
        if isinstance(v, (int, float)) and not isinstance(v, bool) and all(
                a.dtype != object and np.all(a == v) for a in pieces):
            # a parameter held at one value: one read-only number broadcast over the rows
            col = np.broadcast_to(np.float64(v), (total,))
        elif any(a.dtype == object for a in pieces):
            col = np.concatenate([a if a.dtype == object else a.astype(object) for a in pieces])
        else:
            col = np.concatenate(pieces)
        built[key] = (pieces, col)
        cols[k] = col
    for pieces, col in built.values():
        if sum(c is col for c in cols.values()) > 1:
            col.flags.writeable = False
    return ResultTable(cols, meta)
