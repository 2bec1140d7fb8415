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
``"nash"`` (2x2 normal forms)
    Every extreme equilibrium (complete, degenerate games included).
    ``outcome`` joins the equilibria, pure ones as ``(row action, column
    action)`` and the completely mixed one as ``mixed``; payoffs and outcome
    probabilities are filled when the equilibrium is unique (NaN otherwise).
``"pure"`` (any normal form)
    Every pure Nash equilibrium; ``outcome`` is ``none`` when there is none.

Long sweeps report progress (a callback and/or a line on stderr), can be
interrupted with Ctrl-C (KeyboardInterrupt; the output file is written
atomically at the end, so no partial file is left), and can run their chunks
on a dask.distributed cluster (``scheduler="dask"``) with results identical
to the local run.
"""

from __future__ import annotations

import math
import sys
import time
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..errors import ModelError, SolverError
from .table import ResultTable

__all__ = ["sweep", "sweep_points", "parse_axis", "solve_chunk", "default_concept", "CONCEPTS"]

#: Concepts a sweep can batch.
CONCEPTS = ("spe", "pbe", "nash", "pure")

_EPS = 1e-12


# ---------------------------------------------------------------------- points
def parse_axis(spec) -> np.ndarray:
    """Values of one grid axis: an array, or ``"lo:hi:n"`` (n equally spaced values, ends included),
    or a comma-separated list ``"0.1,0.5,0.9"``."""
    if isinstance(spec, str):
        text = spec.strip()
        if ":" in text:
            parts = text.split(":")
            if len(parts) != 3:
                raise ModelError(f"grid axis {spec!r}: write lo:hi:n (e.g. 0:1:101)")
            try:
                lo, hi = float(parts[0]), float(parts[1])
                n = int(parts[2])
            except ValueError:
                raise ModelError(f"grid axis {spec!r}: write lo:hi:n with numbers and an integer count") from None
            if n < 1:
                raise ModelError(f"grid axis {spec!r}: the number of points must be positive")
            if not (math.isfinite(lo) and math.isfinite(hi)):
                raise ModelError(f"grid axis {spec!r}: bounds must be finite")
            return np.linspace(lo, hi, n)
        try:
            return np.array([float(x) for x in text.split(",")], dtype=float)
        except ValueError:
            raise ModelError(f"grid axis {spec!r}: expected lo:hi:n or a comma-separated list of numbers") from None
    arr = np.asarray(spec, dtype=float)
    if arr.ndim == 0:
        arr = arr[None]
    if arr.ndim != 1:
        raise ModelError(f"a grid axis must be one-dimensional, got shape {arr.shape}")
    return arr


def sweep_points(model, grid: Mapping[str, Any] | None = None, *, samples: int | None = None,
                 names: Sequence[str] | None = None, bounds: Mapping[str, tuple] | None = None,
                 seed=None, fixed: Mapping[str, Any] | None = None) -> dict:
    """The parameter points of a sweep: every parameter as a 1-d array.

    Parameters
    ----------
    grid : mapping of str to values, optional
        Cartesian grid over these parameters (first one varies slowest);
        values as accepted by :func:`parse_axis`.
    samples : int, optional
        Instead of a grid, a Latin-hypercube sample of this many points over
        *names* (default: every parameter with a bounded domain) within
        *bounds* (default: the domains).
    fixed : mapping, optional
        Values for parameters that are not swept (others keep their defaults).
    """
    space = model.parameters
    fixed = dict(fixed or {})
    unknown = [k for k in list(fixed) + list(grid or {}) + list(names or []) if k not in space]
    if unknown:
        raise ModelError(f"model {model.name!r}: unknown parameter(s) {unknown}; parameters are {list(space.names)}")
    if grid and samples:
        raise ModelError("give either a grid or a number of samples, not both")
    if samples:
        if names is None:
            names = [n for n in space.names if n not in fixed
                     and all(math.isfinite(b) for b in space[n].domain.bounds)]
            if not names:
                raise ModelError(f"model {model.name!r}: no parameter with a bounded domain to sample; give names and bounds")
        pts = space.latin_hypercube(int(samples), names=list(names), seed=seed, bounds=bounds)
    else:
        axes = {k: parse_axis(v) for k, v in (grid or {}).items()}
        both = set(axes) & set(fixed)
        if both:
            raise ModelError(f"parameter(s) {sorted(both)} are both swept and fixed")
        pts = space.grid(**axes)
    n = len(next(iter(pts.values()))) if pts else 1
    out = {}
    for name in space.names:
        if name in fixed:
            out[name] = np.full(n, float(fixed[name]))
        else:
            out[name] = np.broadcast_to(np.asarray(pts[name], dtype=float), (n,)).copy()
    return out


def default_concept(model) -> str:
    """``"spe"`` for a perfect-information tree model, ``"pbe"`` for a tree with an information set of
    several nodes (solved by :func:`~deterrence.solve.bayesian.bayesian_backward_induction`, which
    refuses trees whose information sets hide more than chance), ``"nash"`` for a 2x2 normal form,
    ``"pure"`` otherwise."""
    if getattr(model, "kind", "") == "tree" or hasattr(model, "nodes"):
        specs = model.node_specs() if hasattr(model, "node_specs") else []
        sets = [n["infoset"] for n in specs if n.get("infoset") is not None]
        return "pbe" if len(sets) != len(set(sets)) else "spe"
    if tuple(getattr(model, "num_actions", ())) == (2, 2):
        return "nash"
    return "pure"


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
        uniq, inv = np.unique(bits, axis=0, return_inverse=True)
        labels = [" | ".join(names[k] for k in np.flatnonzero(row)) or empty for row in uniq]
    table = np.array(labels, dtype=object)
    return table[inv.reshape(-1)]


def solve_chunk(model, points: Mapping[str, np.ndarray], concept: str, tol: float = 1e-8,
                validated: bool = False) -> dict:
    """Columns (outcome, probabilities, payoffs) for one chunk of points: one batched evaluation
    and one batched solver call.  Module-level so that a dask worker can run it.

    *validated*: the points hold every parameter as a 1-d array and were already checked
    (domains and constraints, as :func:`sweep` does once for all points), so the chunk is
    evaluated without checking again."""
    n = len(next(iter(points.values())))
    if validated and hasattr(model, "_build"):
        game = model._build({k: np.asarray(v, dtype=float) for k, v in points.items()}, n)
        game.batched = True
    else:
        game = model.evaluate_batch(points)
    cols: dict = {}
    if concept in ("spe", "pbe"):
        from ..solve.bayesian import bayesian_backward_induction
        from ..solve.spe import subgame_perfect

        res = (subgame_perfect if concept == "spe" else bayesian_backward_induction)(game, tol=tol)
        probs = res.outcome_probabilities
        labels = list(probs)
        P = np.stack([np.broadcast_to(probs[k], (n,)) for k in labels], axis=1)
        cols["outcome"] = _label_codes(P > _EPS, labels, "none")
        for k, lab in enumerate(labels):
            cols[f"P({lab})"] = P[:, k]
        pay = np.broadcast_to(res.payoffs, (n, len(model.players)))
        for i, p in enumerate(model.players):
            cols[f"payoff({p})"] = pay[:, i]
        cols["unique"] = np.broadcast_to(res.unique, (n,))
        return cols
    if concept == "pure":
        from ..solve.pure import pure_nash_mask

        mask = pure_nash_mask(game, tol).reshape(n, -1)
        profiles = list(np.ndindex(*game.num_actions))
        names = ["(" + ", ".join(game.actions[i][a] for i, a in enumerate(p)) + ")" for p in profiles]
        cols["outcome"] = _label_codes(mask, names, "none")
        count = mask.sum(1)
        cols["n_equilibria"] = count
        one = count == 1
        first = np.argmax(mask, axis=1)
        pay = game.payoffs.reshape(n, len(profiles), -1)[np.arange(n), first]
        for i, p in enumerate(game.players):
            cols[f"payoff({p})"] = np.where(one, pay[:, i], np.nan)
        _outcome_probs(model, profiles, game, np.where(one[:, None], mask.astype(float), np.nan), cols)
        return cols
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
        return cols
    raise SolverError(f"unknown sweep concept {concept!r}; choose one of {list(CONCEPTS)}")


def _outcome_probs(model, profiles, game, dist, cols):
    """``P(outcome)`` columns from a distribution over profiles, using the model's outcome labels."""
    outcomes = getattr(model, "outcomes", None) or {}
    groups: dict = {}
    for k, p in enumerate(profiles):
        labels = tuple(game.actions[i][a] for i, a in enumerate(p))
        lab = outcomes.get(labels, "(" + ", ".join(labels) + ")")
        groups.setdefault(lab, []).append(k)
    for lab, ks in groups.items():
        cols[f"P({lab})"] = dist[:, ks].sum(1)


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
          client=None, out=None, tol: float = 1e-8) -> ResultTable:
    """Solve a parametric model at every point of a grid or a Latin-hypercube sample.

    Parameters
    ----------
    model : ParametricModel
        A parametric normal form or tree (``deterrence.load_model(...)``).
    grid : mapping, optional
        ``{parameter: values}``, values an array or ``"lo:hi:n"``.
    samples, names, bounds, seed :
        A Latin-hypercube sample instead of a grid (see :func:`sweep_points`).
    fixed : mapping, optional
        Values of unswept parameters (others at their defaults).
    concept : {"auto", "spe", "pbe", "nash", "pure"}
        Solution concept; "auto" picks SPE for perfect-information trees, "pbe"
        for trees with information sets of several nodes, all equilibria for 2x2
        games and pure equilibria otherwise.
    chunk_size : int
        Points per batched solver call.
    progress : callable or bool, optional
        ``progress(done, total)`` after each chunk; ``True`` prints a progress
        line on stderr.
    scheduler : {"local", "dask"}
        ``"dask"`` sends the chunks to a dask.distributed cluster: *client*, or
        the current client (``distributed.get_client()``).
    out : path, optional
        Also write the table (format from the extension: .csv, .json,
        .parquet), atomically: an interrupted sweep leaves no partial file.
    tol : float
        Solver tolerance (ties and certificates).

    Returns
    -------
    ResultTable
        Columns: every parameter, ``outcome``, then concept-specific
        probability and payoff columns (see the module docstring).
    """
    if concept == "auto":
        concept = default_concept(model)
    if concept not in CONCEPTS:
        raise SolverError(f"concept {concept!r} cannot be swept in batch; choose one of {list(CONCEPTS)} or 'auto'")
    if isinstance(chunk_size, bool) or not isinstance(chunk_size, (int, np.integer)) or chunk_size < 1:
        raise ModelError(f"chunk_size must be a positive integer, got {chunk_size!r}")
    pts = sweep_points(model, grid, samples=samples, names=names, bounds=bounds, seed=seed, fixed=fixed)
    model.point(pts)   # validate domains and constraints once, before any work
    total = len(next(iter(pts.values())))
    starts = list(range(0, total, int(chunk_size)))
    chunks = [{k: v[s:s + chunk_size] for k, v in pts.items()} for s in starts]
    prog = _Progress(total, progress if callable(progress) else None, progress is True)
    if scheduler == "local":
        parts = []
        for ch in chunks:
            parts.append(solve_chunk(model, ch, concept, tol, validated=True))
            prog.update(len(next(iter(ch.values()))))
    elif scheduler == "dask":
        parts = _run_dask(model, chunks, concept, tol, client, prog)
    else:
        raise ModelError(f"unknown scheduler {scheduler!r}; use 'local' or 'dask'")
    table = _assemble(pts, parts, model, concept)
    if out is not None:
        table.save(out)
    return table


def _run_dask(model, chunks, concept, tol, client, prog):
    try:
        from distributed import as_completed, get_client
    except ImportError:
        raise ModelError("scheduler='dask' needs dask.distributed: pip install 'deterrence[sweep]'") from None
    if client is None:
        try:
            client = get_client()
        except ValueError:
            raise ModelError("scheduler='dask': no dask.distributed client; start one "
                             "(distributed.Client()) or pass client=") from None
    model_f = client.scatter(model, broadcast=True)
    futures = [client.submit(solve_chunk, model_f, ch, concept, tol, True, pure=False) for ch in chunks]
    index = {f.key: k for k, f in enumerate(futures)}
    parts = [None] * len(chunks)
    try:
        for fut in as_completed(futures):
            k = index[fut.key]
            parts[k] = fut.result()
            prog.update(len(next(iter(chunks[k].values()))))
    except BaseException:
        client.cancel(futures)
        raise
    return parts


def _assemble(pts, parts, model, concept) -> ResultTable:
    # chunks may disagree on which P(...) columns exist (a label absent from a chunk): union, fill 0
    names: list = []
    for p in parts:
        for k in p:
            if k not in names:
                names.append(k)
    cols = dict(pts)
    for k in names:
        pieces = []
        for p, ch_len in zip(parts, _lengths(parts)):
            if k in p:
                pieces.append(np.asarray(p[k]))
            else:
                pieces.append(np.zeros(ch_len) if k.startswith("P(") else np.full(ch_len, np.nan))
        if any(a.dtype == object for a in pieces):
            cols[k] = np.concatenate([a if a.dtype == object else a.astype(object) for a in pieces])
        else:
            cols[k] = np.concatenate(pieces)
    meta = {"model": getattr(model, "name", ""), "concept": concept, "points": len(cols["outcome"]) if parts else 0}
    return ResultTable(cols, meta)


def _lengths(parts):
    return [len(p["outcome"]) for p in parts]
