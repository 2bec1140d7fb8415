"""Many cascades at once: the cascade of :func:`deterrence.networks.cascade` for a batch of honour draws.

The scalar engine (:mod:`deterrence.networks.cascade`) runs one cascade and
explains it.  A Monte Carlo needs only what each cascade *did*: who entered,
in which round and phase, on which side, who was occupied.  This module
computes exactly that for many draws of the honour decisions together, with
numpy arrays over the draws:

* sides as a ``draws x states`` array, and every set of states (who attacked
  a state, the states on a side, the adversaries an obligation qualifies) as
  a bit set of ``ceil(states / 64)`` 64-bit words per draw;
* event-driven rounds: an obligation is re-examined in a draw only when
  something its casus foederis reads has changed there in the previous round
  (its protected state entered or was attacked, a state on the other side
  provoked, the state it follows attacked, the commitment it follows was
  invoked; with "two or more powers" or "only once the war is general",
  while the count falls short, in every later round), so the work grows with the war, not with the network.
  This is exact because a casus foederis only grows with the war: the one
  exception, a protected state that provokes, ends an "unprovoked only"
  obligation for good.

It reproduces the scalar engine's rules one for one (see that module for the
rules themselves): the conditions (unprovoked attack only, attacked by two or
more powers or great powers, named adversary, region, invoked by another
commitment, only once the war is general), war plans with their first-attacker-sets-the-side rule, a
joiner attacking its protégé's qualified adversaries (not "the other side"),
neutrality blocks, the order inside a round (obligations in the network's
order, so that a state entering through one obligation is blocked from the
other side by the next), and the second phase with the commitments signed
after the attack.  ``tests/test_cascade_vectorised.py`` checks the equality
draw by draw against the scalar engine on random networks with every
condition type and on 1914.  It does not produce the explanations (reasons,
activations, citations): run :func:`~deterrence.networks.cascade` on a draw
for those.

Model and source: the treaty cascade of :mod:`deterrence.networks.cascade` (this package's formalization of
alliance commitments read from treaty terms, after the coding of casus foederis conditions in Leeds, Long and
Mitchell (2000), "Reevaluating Alliance Reliability", Journal of Conflict Resolution 44(5)), with each
commitment honoured by an independent draw (or draws shared by a named group) of its honour probability.

Kernels: the chunks of draws run in numpy (this module) or, where numba imports, in the compiled
kernel of :mod:`deterrence.networks._kernel` (``kernel="auto"``, the default); both compute the same
cascades draw by draw from the same counter-based honour decisions (:mod:`deterrence.networks.honour_stream`), and :attr:`CascadeDraws.kernel` names the one that ran.

Speed: ``benchmarks/results_cascade.md`` (10^5 cascades on 200-state webs,
against a networkx breadth-first implementation and the scalar engine run
per cascade).  The cost is a few microseconds per belligerent and draw.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import ModelError
from . import _kernel
from ._kernel import csr as _csr
from .honour_stream import honour_decisions, stream_key
from .network import AllianceNetwork
from .treaty import ABSTAINING_KINDS

__all__ = ["CascadeDraws", "cascade_draws", "honour_keys", "honour_matrix"]

_ONE = np.uint64(1)
_ZERO = np.uint64(0)
_TRIGGER = {"attacked": 0, "at_war": 1, "attacks": 2, "invoked": 3}
#: Memory for the largest array of a chunk of draws (who attacked whom: states x ceil(states / 64) words
#: per draw); the draws are processed in chunks of :func:`chunk_size` draws.
CHUNK_BYTES = 16_000_000


def chunk_size(n_states: int) -> int:
    """The number of draws processed together for a network of *n_states* states (1,024 to 65,536)."""
    per_draw = 8 * max(n_states, 1) * ((max(n_states, 1) + 63) // 64)
    return int(max(1024, min(65536, CHUNK_BYTES // per_draw)))


@dataclass(frozen=True)
class CascadeDraws:
    """What each of a batch of cascades did.

    Attributes
    ----------
    states : tuple of str
        The network's states, in its order (the columns of every array).
    side : ndarray of int8, shape (draws, states)
        0 for the initial attacker's side, 1 for the target's, -1 for a state that stayed out.
    round : ndarray of int16, shape (draws, states)
        The round in which each state entered (0 for the attacker and the target), -1 if it stayed out.
    phase : ndarray of int8, shape (draws, states)
        1 for an entry in the war of the attack, 2 for an entry through a commitment signed later, 0 if out.
    occupied : ndarray of bool, shape (draws, states)
        States attacked that did not resist.
    kernel : str
        The implementation that ran: ``"numba"`` (compiled) or ``"numpy"``; they give the same result.
    """

    states: tuple[str, ...]
    side: np.ndarray
    round: np.ndarray
    phase: np.ndarray
    occupied: np.ndarray
    kernel: str = "numpy"

    @property
    def draws(self) -> int:
        return int(self.side.shape[0])

    @property
    def entered(self) -> np.ndarray:
        """``draws x states`` boolean: who is a belligerent in each draw."""
        return self.side >= 0

    @property
    def size(self) -> np.ndarray:
        """The number of belligerents in each draw."""
        return self.entered.sum(axis=1)

    def p_enter(self) -> dict[str, float]:
        """State -> share of the draws in which it entered."""
        share = self.entered.mean(axis=0)
        return {s: float(p) for s, p in zip(self.states, share)}

    def size_pmf(self) -> dict[int, float]:
        """Number of belligerents -> share of the draws."""
        n, c = np.unique(self.size, return_counts=True)
        return {int(k): float(v) / self.draws for k, v in zip(n, c)}


def honour_keys(network: AllianceNetwork) -> list[tuple]:
    """The keys ``(commitment id, obligor, protected)`` of the fighting obligations, in the network's order.

    They name the columns of an explicit honour matrix given to :func:`cascade_draws`.
    """
    return [o.key for o in network.obligations() if o.commitment.fighting]


def honour_matrix(network: AllianceNetwork, probs, key, draws: int, *, shared: bool = False,
                  first: int = 0) -> np.ndarray:
    """The honour decisions :func:`cascade_draws` takes with probabilities, as an explicit matrix.

    Row *i* holds draw ``first + i``'s decision on each obligation of :func:`honour_keys` (those that
    are never put to the test included): ``u < p`` with *u* the uniform of (*key*, draw, obligation
    index) or, with *shared*, (*key*, draw, index of the obligation's commitment in the network) of
    :mod:`deterrence.networks.honour_stream`.  *probs* maps obligation keys to probabilities (missing:
    the commitment's ``honour``); *key* is the stream key (``stream_key(rng)``).  The cascades of this
    matrix equal, draw by draw, those :func:`cascade_draws` runs with the probabilities and a generator
    whose first 64-bit draw is *key*.
    """
    if not isinstance(network, AllianceNetwork):
        raise ModelError(f"honour_matrix needs an AllianceNetwork, got {type(network).__name__}")
    if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 0:
        raise ModelError(f"draws must be a non-negative integer, got {draws!r}")
    if isinstance(first, bool) or not isinstance(first, (int, np.integer)) or first < 0:
        raise ModelError(f"first must be a non-negative integer, got {first!r}")
    if not hasattr(probs, "items"):
        raise ModelError(f"probs must be a mapping obligation key -> probability, got {type(probs).__name__}")
    obls = [o for o in network.obligations() if o.commitment.fighting]
    known = {o.key for o in obls}
    for k, v in probs.items():
        if k not in known:
            raise ModelError(f"probs: {k!r} is not a fighting obligation (commitment id, obligor, protected) "
                             f"of the network {network.name!r}")
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= float(v) <= 1.0:
            raise ModelError(f"probs[{k!r}] must be a probability in [0, 1], got {v!r}")
    p = np.array([float(probs.get(o.key, o.commitment.honour)) for o in obls], float)
    cids = [c.id for c in network.commitments]
    slot = np.array([cids.index(o.commitment.id) for o in obls], np.int64) if shared else np.arange(len(obls))
    d = first + np.arange(int(draws))[:, None]
    if not obls:
        return np.zeros((int(draws), 0), bool)
    out = honour_decisions(key, d, slot[None, :], p[None, :])
    return out | (p >= 1.0)[None, :]


# ---------------------------------------------------------------------- bit sets
def _bits(idx, W: int) -> np.ndarray:
    out = np.zeros(W, dtype=np.uint64)
    for i in idx:
        out[i >> 6] |= _ONE << np.uint64(i & 63)
    return out


def _expand(bits: np.ndarray):
    """(row, state) for every set bit of the ``n x W`` bit sets."""
    rows, cols = [], []
    for w in range(bits.shape[1]):
        r = np.flatnonzero(bits[:, w])
        v = bits[r, w]
        while r.size:
            low = v & (~v + _ONE)
            rows.append(r)
            cols.append(np.frexp(low.astype(np.float64))[1].astype(np.int64) - 1 + 64 * w)
            v = v ^ low
            keep = v != _ZERO
            r, v = r[keep], v[keep]
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows), np.concatenate(cols)


def _any(bits: np.ndarray) -> np.ndarray:
    """Whether each of the ``n x W`` bit sets is non-empty."""
    out = bits[:, 0] != _ZERO
    for w in range(1, bits.shape[1]):
        out |= bits[:, w] != _ZERO
    return out


def _sorted_unique(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort: faster than numpy's hashing ``unique`` for these int64 keys)."""
    a = np.sort(a)
    return a[np.r_[True, a[1:] != a[:-1]]] if a.size else a


def _pack(b: np.ndarray, W: int) -> np.ndarray:
    """Rows of booleans (n x states) as bit sets (n x W words)."""
    padded = np.zeros((b.shape[0], 64 * W), bool)
    padded[:, :b.shape[1]] = b
    return np.packbits(padded, axis=1, bitorder="little").view("<u8").astype(np.uint64).reshape(b.shape[0], W)


def _by_state(key: np.ndarray, keep: np.ndarray, S: int):
    """CSR index state -> the obligations j with key[j] == state and keep[j], in order."""
    j = np.flatnonzero(keep)
    j = j[np.argsort(key[j], kind="stable")]
    ptr = np.zeros(S + 1, np.int64)
    ptr[1:] = np.cumsum(np.bincount(key[j], minlength=S))
    return ptr, j.astype(np.int64)


def _fan(d, s, csr):
    """Pairs (draw, obligation) for events (draw d, key s) through a CSR index key -> obligations."""
    ptr, idx = csr
    cnt = ptr[s + 1] - ptr[s]
    tot = int(cnt.sum())
    if tot == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    dd = np.repeat(d, cnt)
    off = np.repeat(ptr[s] - (np.cumsum(cnt) - cnt), cnt)
    return dd, idx[np.arange(tot) + off]


# ---------------------------------------------------------------------- the compiled network
class _Compiled:
    """The network as index arrays and bit sets (private)."""

    def __init__(self, net: AllianceNetwork, attack, later: bool):
        names = net.state_names
        self.S = S = len(names)
        self.W = W = (S + 63) // 64
        ix = {n: i for i, n in enumerate(names)}
        self.names = names
        self.attacker, self.target = ix[attack[0]], ix[attack[1]]
        self.resists = np.array([s.resists for s in net.states])
        day = net.as_of_date()
        obls = [o for o in net.obligations() if o.commitment.fighting]
        self.keys = [o.key for o in obls]
        self.O = O = len(obls)
        now = [o.commitment.in_phase(day, 1) for o in obls]
        signed_later = [day is not None and o.commitment.in_phase(day, 2) and not o.commitment.in_phase(day, 1)
                        for o in obls]
        self.has_later = bool(later and any(signed_later))
        self.in1 = np.array(now, dtype=bool)
        self.in2 = self.in1 | (np.array(signed_later, dtype=bool) if self.has_later else False)
        self.all_now = bool(self.in1.all())
        self.any_unprov = bool(np.any([o.commitment.unprovoked for o in obls]))
        # the scalar engine's order inside a round: phase 1's obligations, then those signed later
        n_now = sum(now)
        order = np.zeros(O, np.int64)
        order[np.flatnonzero(self.in1)] = np.arange(n_now)
        order[np.flatnonzero(~self.in1)] = n_now + np.arange(O - n_now)
        self.order = order
        self.x = np.array([ix[o.obligor] for o in obls], np.int64)
        self.q = np.array([ix[o.protected] for o in obls], np.int64)
        self.trig = np.array([_TRIGGER[o.commitment.trigger] for o in obls], np.int8)
        self.unprov = np.array([o.commitment.unprovoked for o in obls], bool)
        self.minatt = np.array([o.commitment.min_attackers for o in obls], np.int64)
        self.prob = np.array([o.commitment.honour for o in obls], float)
        cids = [c.id for c in net.commitments]
        self.cidx = np.array([cids.index(o.commitment.id) for o in obls], np.int64)
        self.n_commitments = len(cids)
        # F[j]: the adversaries obligation j may fight (not its obligor, named, in the region); M[j]: those
        # of them counted for "attacked by two or more (great) powers"
        F = np.ones((O, S), bool)
        M = np.ones((O, S), bool)
        gp = np.array([st.great_power for st in net.states])
        for j, o in enumerate(obls):
            cm = o.commitment
            F[j, ix[o.obligor]] = False
            if cm.against is not None:
                F[j] &= np.isin(np.arange(S), [ix[z] for z in cm.against])
            if cm.region is not None:
                F[j] &= np.array([cm.region in st.regions for st in net.states])
            M[j] = F[j] & (gp if cm.great_powers else True)
        self.F, self.M = _pack(F, W), _pack(M, W)
        # neutrality: phase 1 reads the commitments in force at the attack, phase 2 those too and the ones
        # signed after it; one that ended before the attack binds in neither (as the scalar engine)
        self.N = np.zeros((3, S, W), np.uint64)
        for ph in (1, 2):
            for c in net.commitments:
                if c.kind in ABSTAINING_KINDS and c.in_phase(day, ph):
                    members = set(c.parties) | set(c.protects or ())
                    for p in c.parties:
                        self.N[ph, ix[p]] |= _bits([ix[z] for z in members if z != p], W)
        # candidates: which obligations an event can trigger
        self.by_protected = _by_state(self.q, np.ones(O, bool), S)
        self.by_attacked = _by_state(self.q, self.trig == 0, S)
        self.by_attacks = _by_state(self.q, self.trig == 2, S)
        self.at_war = np.flatnonzero(self.trig == 1)
        self.later_obls = np.flatnonzero(self.in2 & ~self.in1)
        self.waits = self.minatt > 1
        # "only once the war is general": great powers needed on each side (0: no such condition)
        self.genwar = np.array([o.commitment.general_war for o in obls], np.int64)
        self.general = self.genwar > 0
        self.gpbits = _pack(gp[None, :], W)[0]
        # invoked commitments: the adversaries of their activations, per (commitment, member state)
        invoked = sorted({o.commitment.invokes for o in obls if o.commitment.trigger == "invoked"})
        slot: dict[tuple[str, int], int] = {}
        for cid in invoked:
            c = net.commitment(cid)
            for s in set(c.parties) | set(c.protects or ()):
                slot[(cid, ix[s])] = len(slot)
        self.n_inv = len(slot)
        self.inv_read = np.array([slot.get((o.commitment.invokes, ix[o.protected]), -1)
                                  if o.commitment.trigger == "invoked" else -1 for o in obls], np.int64)
        self.inv_write = np.full((O, 2), -1, np.int64)
        deps = []
        for j, o in enumerate(obls):
            cid = o.commitment.id
            if cid in invoked:
                self.inv_write[j] = (slot[(cid, ix[o.obligor])], slot[(cid, ix[o.protected])])
            deps.append([k for k, p in enumerate(obls) if p.commitment.invokes == cid
                         and p.protected in (o.obligor, o.protected)] if cid in invoked else [])
        self.dependants = _csr(deps)
        # aggressors: the initial attacker and the states with war plans (only they attack aggressively)
        agg = sorted({self.attacker} | {ix[p.state] for p in net.plans})
        self.agg_slot = np.full(S, -1, np.int64)
        self.agg_slot[agg] = np.arange(len(agg))
        self.n_agg = len(agg)
        cols = sorted({ix[p.state] for p in net.plans} | {ix[e] for p in net.plans for e in p.when_at_war_with})
        self.plan_cols = np.array(cols, np.int64)
        pos = {s: i for i, s in enumerate(cols)}
        self.plans = [(ix[p.state], np.array([ix[e] for e in p.when_at_war_with], np.int64),
                       [ix[t] for t in p.attacks], pos[ix[p.state]],
                       np.array([pos[ix[e]] for e in p.when_at_war_with], np.int64)) for p in net.plans]


# ---------------------------------------------------------------------- the engine
def cascade_draws(network: AllianceNetwork, attack, honour, *, rng: np.random.Generator | None = None,
                  draws: int | None = None, shared: bool = False, later: bool = True,
                  kernel: str = "auto") -> CascadeDraws:
    """Run the cascade of :func:`deterrence.networks.cascade` for many honour draws at once.

    Parameters
    ----------
    network : AllianceNetwork
    attack : (str, str)
        Initial attacker and target (names or COW codes).
    honour : ndarray of bool, or mapping
        Either an explicit ``draws x len(honour_keys(network))`` boolean matrix (column *j*: whether
        obligation ``honour_keys(network)[j]`` is honoured if it is put to the decision; the scalar
        engine given the mapping ``dict(zip(keys, row))`` runs the same cascade), or a mapping
        obligation key -> probability of honouring (missing keys: the commitment's ``honour``), drawn
        with *rng*.
    rng : numpy.random.Generator
        Needed with probabilities.  Seed semantics: one 64-bit stream key is drawn from *rng*
        (:func:`~deterrence.networks.honour_stream.stream_key`; the generator advances by that one draw);
        the decision on obligation *j* in draw *d* is ``u < p`` with *u* the counter-based uniform of
        (key, d, j) (:mod:`deterrence.networks.honour_stream`), or with ``shared`` of (key, d, the index
        of its commitment in the network).  A draw's decisions depend only on the seed, the draw's index
        and the obligation or commitment, so a result depends neither on the chunking nor on the kernel
        nor on the number of threads, and draw *d* equals the cascade of the explicit honour row
        ``honour_matrix(...)[d]`` (:func:`honour_matrix`).
    draws : int
        The number of cascades (with probabilities).
    shared : bool
        One honour draw per commitment, shared by all its parties.
    later : bool
        Whether to run the second phase (commitments signed after the network's ``as_of`` date).
    kernel : {"auto", "numba", "numpy"}
        Which implementation runs the chunks: ``"numba"`` the compiled kernel of
        :mod:`deterrence.networks._kernel` (needs the optional numba, ``pip install deterrence[fast]``),
        ``"numpy"`` the array engine of this module, ``"auto"`` numba when it can be imported.  Both give
        the same result draw by draw (the same honour decisions); ``CascadeDraws.kernel`` names the one
        that ran.

    Returns
    -------
    CascadeDraws
    """
    if not isinstance(network, AllianceNetwork):
        raise ModelError(f"cascade_draws needs an AllianceNetwork, got {type(network).__name__}")
    attacker, target = network.attack(attack)
    if kernel not in ("auto", "numba", "numpy"):
        raise ModelError(f"kernel must be 'auto', 'numba' or 'numpy', got {kernel!r}")
    if kernel == "numba" and not _kernel.AVAILABLE:
        raise ModelError("kernel='numba' needs numba (pip install deterrence[fast]); kernel='numpy' runs without it")
    use_numba = kernel == "numba" or (kernel == "auto" and _kernel.AVAILABLE)
    comp = _Compiled(network, (attacker, target), later)
    if isinstance(honour, np.ndarray):
        if honour.dtype != bool or honour.ndim != 2 or honour.shape[1] != comp.O:
            raise ModelError(f"an honour matrix must be boolean draws x {comp.O} (one column per fighting "
                             f"obligation, honour_keys(network)), got {honour.dtype} {honour.shape}")
        if shared:
            raise ModelError("shared draws apply to honour probabilities, not to an explicit honour matrix")
        n = honour.shape[0]
        probs = None
    else:
        if not hasattr(honour, "items"):
            raise ModelError(f"honour must be a boolean matrix or a mapping obligation key -> probability, "
                             f"got {type(honour).__name__}")
        known = set(comp.keys)
        for k, p in honour.items():
            if k not in known:
                raise ModelError(f"honour: {k!r} is not a fighting obligation (commitment id, obligor, protected) "
                                 f"of the network {network.name!r}")
            if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0.0 <= float(p) <= 1.0:
                raise ModelError(f"honour[{k!r}] must be a probability in [0, 1], got {p!r}")
        if rng is None or draws is None:
            raise ModelError("honour probabilities need a random generator (rng) and a number of draws")
        if isinstance(draws, bool) or not isinstance(draws, (int, np.integer)) or draws < 1:
            raise ModelError(f"draws must be a positive integer, got {draws!r}")
        n = int(draws)
        probs = comp.prob.copy()
        for j, k in enumerate(comp.keys):
            if k in honour:
                probs[j] = float(honour[k])
    key = stream_key(rng) if probs is not None else np.uint64(0)
    # the chunks work in place on slices of the outputs (no copies)
    out_side = np.full((n, comp.S), -1, np.int8)
    out_round = np.full((n, comp.S), -1, np.int16)
    out_phase = np.zeros((n, comp.S), np.int8)
    out_occ = np.zeros((n, comp.S), bool)
    work = {}
    if use_numba:              # all the draws in one call: the kernel runs each draw start to finish
        mode = 0 if probs is None else (1 if shared else 2)
        _kernel.run_chunk(comp, n, mode, honour if probs is None else None, key, 0, probs, out_side, out_round,
                          out_phase, out_occ, work)
        return CascadeDraws(comp.names, out_side, out_round, out_phase, out_occ, "numba")
    step = chunk_size(comp.S)
    for lo in range(0, n, step):
        hi = min(n, lo + step)
        if probs is None:
            decide = _matrix_decider(honour[lo:hi])
        else:
            decide = _stream_decider(key, lo, comp.cidx if shared else None, probs)
        _run_chunk(comp, hi - lo, decide, work, out_side[lo:hi], out_round[lo:hi], out_phase[lo:hi], out_occ[lo:hi])
    return CascadeDraws(comp.names, out_side, out_round, out_phase, out_occ, "numpy")


def _matrix_decider(h):
    return lambda d, o: h[d, o]


def _stream_decider(key, d0, cidx, probs):
    """Decisions from the counter-based stream: slot = the obligation's index, or its commitment's (shared)."""
    def decide(d, o):
        p = probs[o]
        out = p >= 1.0
        mid = np.flatnonzero((p > 0.0) & (p < 1.0))
        if mid.size:
            slot = o[mid] if cidx is None else cidx[o[mid]]
            out[mid] = honour_decisions(key, d0 + d[mid], slot, p[mid])
        return out
    return decide


def _zeroed(work: dict, name: str, shape, dtype) -> np.ndarray:
    """A zeroed array, reusing the buffer of the previous chunk (the pages are already mapped)."""
    buf = work.get(name)
    if buf is None or buf.shape[0] < shape[0]:
        buf = work[name] = np.zeros(shape, dtype)
        return buf
    buf = buf[:shape[0]]
    buf.fill(0)
    return buf


def _run_chunk(c: _Compiled, B: int, decide, work: dict, side, eround, ephase, occupied):
    """Run the cascades of one chunk of B draws, writing sides, entry rounds and phases, occupations in place."""
    S, W, O = c.S, c.W, c.O
    sideset = np.zeros((B, 2, W), np.uint64)
    # hin[d, t]: the states that attacked t.  The buffer is reused from chunk to chunk and only the cells
    # the previous chunk wrote are cleared (the war touches few of them).
    hin = work.get("hin")
    if hin is None or hin.shape[0] < B:
        hin = work["hin"] = np.zeros((B, S, W), np.uint64)
    else:
        for cells in work.pop("hin_cells", ()):
            hin.reshape(-1)[cells] = _ZERO
        hin = hin[:B]
    written = work["hin_cells"] = []
    agg = _zeroed(work, "agg", (B, c.n_agg, W), np.uint64)     # agg[d, slot(a)]: the states a attacked aggressively
    prov = np.zeros((B, S), bool)
    provset = np.zeros((B, W), np.uint64)
    inv = np.zeros((B, max(c.n_inv, 1), W), np.uint64)
    activated = np.zeros((B, O), bool)
    plans_done = np.zeros((B, len(c.plans)), bool)
    phase = np.ones(B, np.int8)
    done = np.zeros(B, bool)
    rows = np.arange(B)
    a, t = c.attacker, c.target
    side[:, a], side[:, t] = 0, 1
    eround[:, a], eround[:, t] = 0, 0
    ephase[:, a], ephase[:, t] = 1, 1
    sideset[:, 0, a >> 6] |= _ONE << np.uint64(a & 63)
    sideset[:, 1, t >> 6] |= _ONE << np.uint64(t & 63)
    hin[:, t, a >> 6] |= _ONE << np.uint64(a & 63)
    written.append((rows * S + t) * W + (a >> 6))
    agg[:, c.agg_slot[a], t >> 6] |= _ONE << np.uint64(t & 63)
    prov[:, a] = True
    provset[:, a >> 6] |= _ONE << np.uint64(a & 63)
    # events of the last round
    ev_sided = (np.concatenate([rows, rows]), np.concatenate([np.full(B, a), np.full(B, t)]))
    ev_host = (rows, np.full(B, t))
    ev_agg = (rows, np.full(B, a))
    ev_prov = rows
    ev_act = (np.zeros(0, np.int64), np.zeros(0, np.int64))
    ev_phase2 = np.zeros(0, np.int64)
    wait_d, wait_o = np.zeros(0, np.int64), np.zeros(0, np.int64)
    rnd = 0
    bound = 2 * (O + len(c.plans) + S) + 4
    while not done.all():
        rnd += 1
        if rnd > 2 * bound:
            raise ModelError("cascade did not settle")      # cannot happen: every changing round activates
        hkey = _sorted_unique(ev_host[0] * S + ev_host[1])      # the states newly attacked, once per draw
        parts = [_fan(*ev_sided, c.by_protected), _fan(hkey // S, hkey % S, c.by_attacked),
                 _fan(*ev_agg, c.by_attacks), _fan(*ev_act, c.dependants)]
        if wait_d.size:                  # events come only from draws still running; the waiting list may not
            keep = ~done[wait_d]
            parts.append((wait_d[keep], wait_o[keep]))
        if ev_prov.size and c.at_war.size:
            parts.append((np.repeat(ev_prov, c.at_war.size), np.tile(c.at_war, ev_prov.size)))
        if ev_phase2.size and c.later_obls.size:
            parts.append((np.repeat(ev_phase2, c.later_obls.size), np.tile(c.later_obls, ev_phase2.size)))
        cd = np.concatenate([p[0] for p in parts])
        co = np.concatenate([p[1] for p in parts])
        q = c.q[co]
        sq = side[cd, q]
        live = (sq >= 0) & ~activated[cd, co]
        if not c.all_now:
            live &= np.where(phase[cd] == 1, c.in1[co], c.in2[co])
        key = _sorted_unique(cd[live] * O + co[live])     # the candidates, once each, in (draw, obligation) order
        cd, co = key // O, key % O
        q = c.q[co]
        sq = side[cd, q].astype(np.int64)
        # ------------------------------------------------ the casus foederis of each candidate, at the round's start
        trig = c.trig[co]
        direct = np.zeros((cd.size, W), np.uint64)
        m = trig == 0
        if m.all():
            direct = np.take(hin.reshape(B * S, W), cd * S + q, axis=0)
        else:
            direct[m] = np.take(hin.reshape(B * S, W), cd[m] * S + q[m], axis=0)
        m = trig == 1
        direct[m] = sideset[cd[m], 1 - sq[m]] & provset[cd[m]]
        m = trig == 2
        if m.any():
            sl = c.agg_slot[q[m]]
            direct[m] = np.where((sl >= 0)[:, None], agg[cd[m], np.maximum(sl, 0)], _ZERO)
        m = trig == 3
        if m.any():
            sl = c.inv_read[co[m]]
            direct[m] = np.where((sl >= 0)[:, None], inv[cd[m], np.maximum(sl, 0)], _ZERO)
        Q = direct & np.take(c.F, co, axis=0)
        ok = _any(Q)
        if c.any_unprov:
            dead = c.unprov[co] & prov[cd, q]
            ok &= ~dead
            # a provocation is never undone: such an obligation can never be triggered again, so it leaves
            # the candidates for good (marked like an activated one; nothing else reads the mark)
            activated[cd[dead], co[dead]] = True
        need = ok & c.waits[co]
        count_ok = np.ones(cd.size, bool)
        if need.any():
            k = np.flatnonzero(need)
            pool = np.where((trig[k] <= 1)[:, None], sideset[cd[k], 1 - sq[k]], direct[k]) & c.M[co[k]]
            count_ok[k] = np.bitwise_count(pool).sum(axis=1) >= c.minatt[co[k]]
        need = ok & c.general[co]
        if need.any():
            k = np.flatnonzero(need)
            gps = np.bitwise_count(sideset[cd[k]] & c.gpbits).sum(axis=2).min(axis=1)
            count_ok[k] &= gps >= c.genwar[co[k]]
        wait = ok & ~count_ok
        wait_d, wait_o = cd[wait], co[wait]
        fire = np.flatnonzero(ok & count_ok)
        td, to, Q, tsq = cd[fire], co[fire], Q[fire], sq[fire]
        tx = c.x[to]
        # ------------------------------------------------ what each triggered obligation does (the round's order)
        alive = np.flatnonzero(~done)
        side_plans = np.take(side, c.plan_cols, axis=1)[alive]   # the plans read the sides at the round start
        xs = side[td, tx].astype(np.int64)
        H = decide(td, to) if td.size else np.zeros(0, bool)
        att_rows = []          # (index into the triggered pairs, targets bit set)
        sided_x = xs >= 0
        k = np.flatnonzero(sided_x)
        if k.size:
            enemies = sideset[td[k], 1 - xs[k]]
            all_at_war = ~_any(Q[k] & ~enemies)
            go = (xs[k] == tsq[k]) & ~all_at_war & H[k]
            att_rows.append((k[go], Q[k[go]]))
        k = np.flatnonzero(~sided_x)
        new_sd = np.zeros(0, np.int64)
        new_sx = np.zeros(0, np.int64)
        new_ss = np.zeros(0, np.int64)
        if k.size:
            Tn = Q[k] & ~c.N[phase[td[k]], tx[k]]
            willset = _any(Tn) & H[k]
            ordr = c.order[to[k]]
            srt = np.argsort((td[k] * S + tx[k]) * (O + 1) + ordr)
            k, Tn, willset, ordr = k[srt], Tn[srt], willset[srt], ordr[srt]
            g = td[k] * S + tx[k]
            starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
            counts = np.diff(np.r_[starts, g.size])
            big = np.iinfo(np.int64).max
            first_ord = np.repeat(np.minimum.reduceat(np.where(willset, ordr, big), starts), counts)
            is_first = willset & (ordr == first_ord)
            # the side the first honoured obligation gave the state
            fpos = np.flatnonzero(is_first)
            gid = np.repeat(np.arange(starts.size), counts)
            first_side = np.full(starts.size, -1, np.int64)
            first_side[gid[fpos]] = tsq[k[fpos]]
            fs = first_side[gid]
            after = (ordr > first_ord) & (first_ord != big)
            go_after = after & (tsq[k] == fs) & H[k]
            att_rows.append((k[is_first], Tn[is_first]))
            att_rows.append((k[go_after], Q[k[go_after]]))
            new_sd, new_sx, new_ss = td[k[fpos]], tx[k[fpos]], tsq[k[fpos]]
        activated[td, to] = True
        changed = np.zeros(B, bool)
        changed[td] = True
        # new sides of the states that entered through an obligation
        ev_sd, ev_ss = [new_sd], [new_sx]
        if new_sd.size:
            side[new_sd, new_sx] = new_ss
            eround[new_sd, new_sx] = rnd
            ephase[new_sd, new_sx] = phase[new_sd]
            np.bitwise_or.at(sideset, (new_sd, new_ss, new_sx >> 6), _ONE << (new_sx & 63).astype(np.uint64))
        # the obligations' attacks (never aggressive; their targets already fight or are occupied)
        hd, ht = [], []
        if att_rows:
            idx = np.concatenate([r[0] for r in att_rows])
            bits = np.concatenate([r[1] for r in att_rows]) if idx.size else np.zeros((0, W), np.uint64)
            r, z = _expand(bits)
            if r.size:
                hk = _sorted_unique((td[idx[r]] * S + z) * S + tx[idx[r]])
                pd, z, px = hk // (S * S), (hk // S) % S, hk % S
                cell = (pd * S + z) * W + (px >> 6)      # sorted: one word of hin per run
                bit = _ONE << (px & 63).astype(np.uint64)
                flat = hin.reshape(-1)
                new = (flat[cell] & bit) == _ZERO
                pd, z, cell, bit = pd[new], z[new], cell[new], bit[new]
                if cell.size:
                    starts = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
                    flat[cell[starts]] |= np.bitwise_or.reduceat(bit, starts)
                    written.append(cell[starts])
                hd.append(pd), ht.append(z)
        # the invoked commitments: the adversaries of their activations
        if c.n_inv:
            ww = c.inv_write[to]
            k = np.flatnonzero(ww[:, 0] >= 0)
            for col in (0, 1):
                np.bitwise_or.at(inv, (td[k], ww[k, col]), Q[k])
            ev_act = (td[k], to[k])
        # ------------------------------------------------ war plans, in the network's order
        agd, aga, pvd = [], [], []
        for j, (ps, when, targets, pcol, wcols) in enumerate(c.plans):
            sps = side_plans[:, pcol]
            sw = side_plans[:, wcols]
            m = ~plans_done[alive, j] & (sps >= 0) & ((sw >= 0) & (sw != sps[:, None])).any(axis=1)
            run, sps = alive[m], sps[m]
            if not run.size:
                continue
            plans_done[run, j] = True
            changed[run] = True
            bit_ps = _ONE << np.uint64(ps & 63)
            for tgt in targets:
                cur = side[run, tgt]
                keep = ~((cur >= 0) & (cur == sps))
                r, sr = run[keep], sps[keep]
                keep = (hin[r, tgt, ps >> 6] & bit_ps) == _ZERO
                r, sr = r[keep], sr[keep]
                if not r.size:
                    continue
                hin[r, tgt, ps >> 6] |= bit_ps
                written.append((r * S + tgt) * W + (ps >> 6))
                agg[r, c.agg_slot[ps], tgt >> 6] |= _ONE << np.uint64(tgt & 63)
                hd.append(r), ht.append(np.full(r.size, tgt))
                agd.append(r), aga.append(np.full(r.size, ps))
                newp = r[~prov[r, ps]]
                prov[newp, ps] = True
                provset[newp, ps >> 6] |= bit_ps
                pvd.append(newp)
                unsided = side[r, tgt] < 0
                free = r[unsided]
                if c.resists[tgt]:
                    ns = (1 - sr[unsided]).astype(np.int8)
                    side[free, tgt] = ns
                    eround[free, tgt] = rnd
                    ephase[free, tgt] = phase[free]
                    np.bitwise_or.at(sideset, (free, ns.astype(np.int64), np.full(free.size, tgt >> 6)),
                                     _ONE << np.uint64(tgt & 63))
                    ev_sd.append(free), ev_ss.append(np.full(free.size, tgt))
                else:
                    occupied[free, tgt] = True
        cat = lambda xs_: np.concatenate(xs_) if xs_ else np.zeros(0, np.int64)
        ev_sided = (cat(ev_sd), cat(ev_ss))
        ev_host = (cat(hd), cat(ht))
        ev_agg = (cat(agd), cat(aga))
        ev_prov = cat(pvd)
        if not c.n_inv:
            ev_act = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        # ------------------------------------------------ draws that settled: second phase or done
        quiet = ~changed & ~done
        to2 = quiet & (phase == 1) if c.has_later else np.zeros(B, bool)
        phase[to2] = 2
        ev_phase2 = np.flatnonzero(to2)
        done |= quiet & ~to2
    return None
