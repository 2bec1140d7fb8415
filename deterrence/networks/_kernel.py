"""A compiled kernel (numba) for one chunk of :func:`deterrence.networks.vectorised.cascade_draws`.

Optional: numba is an extra (``pip install deterrence[fast]``).  Without it :data:`AVAILABLE` is False
and the numpy engine runs.  The kernel computes exactly what the numpy engine computes, draw by draw:
with honour probabilities each decision is the counter-based uniform of
:mod:`deterrence.networks.honour_stream` (a pure function of the stream key, the draw's index and the
obligation's or commitment's index, the very function numba compiles here), so the kernel runs each
draw start to finish in a small per-thread workspace, and blocks of draws in parallel (``prange``),
and the result depends neither on the blocks nor on the threads.  Inside a
draw it applies a round's actions in the scalar engine's order (:mod:`deterrence.networks.cascade`):
obligations in the round's order, the side of a state entering through an obligation taken from the
first one honoured, then the war plans in the network's order, all read against the war at the round's
start.  ``tests/test_cascade_vectorised.py`` runs the draw-by-draw equality tests on both kernels.

Model and source: the treaty cascade of :mod:`deterrence.networks.cascade` (after the coding of casus
foederis conditions in Leeds, Long and Mitchell (2000), Journal of Conflict Resolution 44(5)).
"""

from __future__ import annotations

import importlib.util

import numpy as np

from .honour_stream import SCALE, honour_bits

#: Whether numba is installed (it is imported, and the kernel compiled or loaded from numba's cache, on first use).
AVAILABLE = importlib.util.find_spec("numba") is not None

__all__ = ["AVAILABLE", "run_chunk"]

_JITTED = None


def prange(*args):
    """``range``, replaced by numba's parallel ``prange`` when the kernel is compiled."""
    return range(*args)


def _compiled():
    """The kernel compiled by numba (cached on disk); the module's functions are replaced by their compiled form."""
    global _JITTED, _mark, _mark_csr, kernel, honour_bits, prange
    if _JITTED is None:
        import numba
        jit = numba.njit(cache=True, nogil=True)
        _mark = jit(_mark)
        _mark_csr = jit(_mark_csr)
        honour_bits = jit(honour_bits)
        prange = numba.prange
        kernel = _JITTED = numba.njit(cache=True, nogil=True, parallel=True)(kernel)
    return _JITTED


def _mark(d, o, cbits):
    cbits[d, o >> 6] |= np.uint64(1) << np.uint64(o & 63)


def _mark_csr(d, s, ptr, idx, cbits):
    for k in range(ptr[s], ptr[s + 1]):
        _mark(d, idx[k], cbits)


def kernel(ws, S, W, O, a, t, resists, in1, in2, all_now, has_later, order, identity_order,
           qv, xv, trig, unprov, minatt, genwar, gpbits, F, M, N,
           bp_ptr, bp_idx, ba_ptr, ba_idx, bk_ptr, bk_idx, at_war, later_obls,
           inv_read, inv_write, dep_ptr, dep_idx, agg_slot, n_agg, n_inv,
           pl_state, pl_when_ptr, pl_when, pl_tgt_ptr, pl_tgt,
           mode, hmat, key, d0, cidx, probs,
           side, eround, ephase, occupied, bound):
    """Run the cascades of B draws; write sides, entry rounds and phases, occupations in place.

    The arguments after the workspace *ws* (one slot per block of draws) are the compiled network
    (:func:`_static`), the honour mode (0: the matrix *hmat*; 1: one uniform per commitment and draw, the
    :func:`~deterrence.networks.honour_stream.honour_bits` of (*key*, *d0* + draw, commitment index),
    compared with *probs*; 2: the same with the obligation's index as the slot, for each obligation put to
    the decision whose probability is strictly between 0 and 1), the output rows and the bound on the
    rounds.  Each draw runs start to finish in its block's workspace slot; the blocks run in parallel
    (numba's ``prange``).  A draw's result depends only on its honour decisions, so not on the blocks or
    the threads.  Returns 0, or -2 if a draw did not settle (the outputs and workspace are then discarded).
    """
    B = side.shape[0]
    P = pl_state.shape[0]
    magic = np.uint64(0x03F79D71B4CB0A89)
    debruijn = np.zeros(64, np.int64)
    for i in range(64):
        debruijn[((np.uint64(1) << np.uint64(i)) * magic) >> np.uint64(58)] = i
    one = np.uint64(1)
    zero = np.uint64(0)
    ab = a >> 6
    abit = one << np.uint64(a & 63)
    tb = t >> 6
    tbit = one << np.uint64(t & 63)
    hin, sideset, agg, prov, provset, inv, activated, plans_done, phase, done, cbits = ws
    nblk = phase.shape[0]
    status = np.zeros(nblk, np.int64)
    for b in prange(nblk):
        # the block's draws run one after the other, start to finish, in workspace slot b (each draw clears
        # what it uses, below and at its end); per-round scratch of one draw
        cands = np.zeros(O, np.int64)
        fire_o = np.zeros(O, np.int64)
        perm = np.zeros(O, np.int64)
        fire_h = np.zeros(O, np.bool_)
        fire_q = np.zeros((O, W), np.uint64)
        wait = np.zeros(O, np.int64)
        nside = np.full(S, -1, np.int8)
        touched = np.zeros(S, np.int64)
        new_x = np.zeros(S, np.int64)
        new_s = np.zeros(S, np.int8)
        plan_go = np.zeros(max(P, 1), np.bool_)
        direct = np.zeros(W, np.uint64)
        lo = (b * B) // nblk
        hi = ((b + 1) * B) // nblk
        for d in range(lo, hi):
            for w in range(W):
                sideset[b, 0, w] = zero
                sideset[b, 1, w] = zero
                provset[b, w] = zero
            for i in range(agg.shape[1]):
                for w in range(W):
                    agg[b, i, w] = zero
            for i in range(inv.shape[1]):
                for w in range(W):
                    inv[b, i, w] = zero
            for s in range(S):
                prov[b, s] = False
            for o in range(O):
                activated[b, o] = False
            for j in range(plans_done.shape[1]):
                plans_done[b, j] = False
            phase[b] = 1
            done[b] = False
            for i in range(cbits.shape[1]):
                cbits[b, i] = zero
            side[d, a] = 0
            side[d, t] = 1
            eround[d, a] = 0
            eround[d, t] = 0
            ephase[d, a] = 1
            ephase[d, t] = 1
            sideset[b, 0, ab] |= abit
            sideset[b, 1, tb] |= tbit
            hin[b, t, ab] |= abit
            agg[b, agg_slot[a], tb] |= tbit
            prov[b, a] = True
            provset[b, ab] |= abit
            # the events of round 0
            _mark_csr(b, a, bp_ptr, bp_idx, cbits)
            _mark_csr(b, t, bp_ptr, bp_idx, cbits)
            _mark_csr(b, t, ba_ptr, ba_idx, cbits)
            _mark_csr(b, a, bk_ptr, bk_idx, cbits)
            for k in range(at_war.shape[0]):
                _mark(b, at_war[k], cbits)
            rnd = 0
            while True:
                rnd += 1
                if rnd > 2 * bound:
                    status[b] = -2
                    break
                ph = phase[b]
                # ------------------------------------------------ the candidates' casus foederis
                n = 0                           # the candidates, in index order
                for i in range(cbits.shape[1]):
                    v = cbits[b, i]
                    if v != zero:
                        cbits[b, i] = zero
                        while v != zero:
                            low = v & (~v + one)
                            cands[n] = 64 * i + debruijn[(low * magic) >> np.uint64(58)]
                            n += 1
                            v ^= low
                nf = 0
                nw = 0
                for k in range(n):
                    o = cands[k]
                    q = qv[o]
                    sq = side[d, q]
                    if sq < 0 or activated[b, o]:
                        continue
                    if not all_now:
                        if ph == 1:
                            if not in1[o]:
                                continue
                        elif not in2[o]:
                            continue
                    tr = trig[o]
                    if tr == 0:
                        for w in range(W):
                            direct[w] = hin[b, q, w]
                    elif tr == 1:
                        for w in range(W):
                            direct[w] = sideset[b, 1 - sq, w] & provset[b, w]
                    elif tr == 2:
                        sl = agg_slot[q]
                        for w in range(W):
                            direct[w] = agg[b, sl, w] if sl >= 0 else zero
                    else:
                        sl = inv_read[o]
                        for w in range(W):
                            direct[w] = inv[b, sl, w] if sl >= 0 else zero
                    ok = False
                    for w in range(W):
                        fire_q[nf, w] = direct[w] & F[o, w]
                        if fire_q[nf, w] != zero:
                            ok = True
                    if unprov[o] and prov[b, q]:
                        activated[b, o] = True      # provoked: never triggered again
                        continue
                    if not ok:
                        continue
                    if minatt[o] > 1:
                        cnt = 0
                        for w in range(W):
                            pool = (sideset[b, 1 - sq, w] if tr <= 1 else direct[w]) & M[o, w]
                            while pool != zero:
                                pool &= pool - one
                                cnt += 1
                        if cnt < minatt[o]:
                            wait[nw] = o
                            nw += 1
                            continue
                    if genwar[o] > 0:       # only once the war is general: great powers on each side
                        short = False
                        for sd in range(2):
                            cnt = 0
                            for w in range(W):
                                pool = sideset[b, sd, w] & gpbits[w]
                                while pool != zero:
                                    pool &= pool - one
                                    cnt += 1
                            if cnt < genwar[o]:
                                short = True
                        if short:
                            wait[nw] = o
                            nw += 1
                            continue
                    fire_o[nf] = o
                    # the honour decision: the matrix, or the counter-based stream (honour_stream)
                    if mode == 0:
                        fire_h[nf] = hmat[d, o]
                    else:
                        p = probs[o]
                        if p >= 1.0:
                            fire_h[nf] = True
                        elif p > 0.0:
                            slot = cidx[o] if mode == 1 else o
                            u = np.float64(honour_bits(key, np.uint64(d0 + d), np.uint64(slot))) * SCALE
                            fire_h[nf] = u < p
                        else:
                            fire_h[nf] = False
                    nf += 1
                for k in range(nw):
                    _mark(b, wait[k], cbits)
                # ------------------------------------------------ the round's actions, in the round's order
                changed = nf > 0
                for j in range(P):          # plans read the sides at the round's start
                    plan_go[j] = False
                    if plans_done[b, j]:
                        continue
                    ps = pl_state[j]
                    sps = side[d, ps]
                    if sps < 0:
                        continue
                    for k in range(pl_when_ptr[j], pl_when_ptr[j + 1]):
                        se = side[d, pl_when[k]]
                        if se >= 0 and se != sps:
                            plan_go[j] = True
                            break
                if not identity_order:
                    for k in range(nf):
                        perm[k] = k
                    for k in range(1, nf):      # the round's order (insertion sort on order[o])
                        v0 = perm[k]
                        i = k - 1
                        while i >= 0 and order[fire_o[perm[i]]] > order[fire_o[v0]]:
                            perm[i + 1] = perm[i]
                            i -= 1
                        perm[i + 1] = v0
                nt = 0
                nnew = 0
                for kk in range(nf):
                    k = kk if identity_order else perm[kk]
                    o = fire_o[k]
                    x = xv[o]
                    q = qv[o]
                    sq = side[d, q]
                    xs0 = side[d, x]
                    activated[b, o] = True
                    wi = inv_write[o, 0]
                    if wi >= 0:
                        for col in range(2):
                            sl = inv_write[o, col]
                            for w in range(W):
                                inv[b, sl, w] |= fire_q[k, w]
                        _mark_csr(b, o, dep_ptr, dep_idx, cbits)
                    attack_all = False
                    neutral_filter = False
                    if xs0 >= 0:
                        if xs0 != sq or not fire_h[k]:
                            continue
                        inside = True
                        for w in range(W):
                            if fire_q[k, w] & ~sideset[b, 1 - xs0, w] != zero:
                                inside = False
                        if inside:
                            continue
                        attack_all = True
                    elif nside[x] >= 0:
                        if nside[x] != sq or not fire_h[k]:
                            continue
                        attack_all = True
                    else:
                        anyt = False
                        for w in range(W):
                            if fire_q[k, w] & ~N[ph, x, w] != zero:
                                anyt = True
                        if not (anyt and fire_h[k]):
                            continue
                        nside[x] = sq
                        touched[nt] = x
                        nt += 1
                        new_x[nnew] = x
                        new_s[nnew] = sq
                        nnew += 1
                        neutral_filter = True
                        attack_all = True
                    if attack_all:
                        xb = x >> 6
                        xbit = one << np.uint64(x & 63)
                        for w in range(W):
                            v = fire_q[k, w]
                            if neutral_filter:
                                v &= ~N[ph, x, w]
                            while v != zero:
                                low = v & (~v + one)
                                z = 64 * w + debruijn[(low * magic) >> np.uint64(58)]
                                v ^= low
                                if hin[b, z, xb] & xbit == zero:
                                    hin[b, z, xb] |= xbit
                                    _mark_csr(b, z, ba_ptr, ba_idx, cbits)
                for k in range(nt):
                    nside[touched[k]] = -1
                for k in range(nnew):
                    x = new_x[k]
                    s = new_s[k]
                    side[d, x] = s
                    eround[d, x] = rnd
                    ephase[d, x] = ph
                    sideset[b, s, x >> 6] |= one << np.uint64(x & 63)
                    _mark_csr(b, x, bp_ptr, bp_idx, cbits)
                # ------------------------------------------------ war plans, in the network's order
                for j in range(P):
                    if not plan_go[j]:
                        continue
                    plans_done[b, j] = True
                    changed = True
                    ps = pl_state[j]
                    sps = side[d, ps]
                    pb = ps >> 6
                    pbit = one << np.uint64(ps & 63)
                    for k in range(pl_tgt_ptr[j], pl_tgt_ptr[j + 1]):
                        tg = pl_tgt[k]
                        cur = side[d, tg]
                        if cur >= 0 and cur == sps:
                            continue
                        if hin[b, tg, pb] & pbit != zero:
                            continue
                        hin[b, tg, pb] |= pbit
                        agg[b, agg_slot[ps], tg >> 6] |= one << np.uint64(tg & 63)
                        _mark_csr(b, tg, ba_ptr, ba_idx, cbits)
                        _mark_csr(b, ps, bk_ptr, bk_idx, cbits)
                        if not prov[b, ps]:
                            prov[b, ps] = True
                            provset[b, pb] |= pbit
                            for m in range(at_war.shape[0]):
                                _mark(b, at_war[m], cbits)
                        if cur < 0:
                            if resists[tg]:
                                ns = 1 - sps
                                side[d, tg] = ns
                                eround[d, tg] = rnd
                                ephase[d, tg] = ph
                                sideset[b, ns, tg >> 6] |= one << np.uint64(tg & 63)
                                _mark_csr(b, tg, bp_ptr, bp_idx, cbits)
                            else:
                                occupied[d, tg] = True
                # ------------------------------------------------ a quiet round: second phase or done
                if not changed:
                    if has_later and ph == 1:
                        phase[b] = 2
                        for k in range(later_obls.shape[0]):
                            _mark(b, later_obls[k], cbits)
                    else:
                        done[b] = True
                        # clear what the draw left in the workspace: the attacked states' rows (an attacked
                        # state is a belligerent or occupied) and the pending candidate marks
                        for s in range(S):
                            if side[d, s] >= 0 or occupied[d, s]:
                                for w in range(W):
                                    hin[b, s, w] = zero
                        for i in range(cbits.shape[1]):
                            cbits[b, i] = zero
                        break
    res = 0
    for b in range(nblk):
        if status[b] < 0:
            res = status[b]
    return res


def csr(groups):
    """A CSR index of *groups* (lists of ints): ``idx[ptr[g]:ptr[g + 1]]`` is group g (shared with vectorised)."""
    ptr = np.zeros(len(groups) + 1, np.int64)
    ptr[1:] = np.cumsum([len(g) for g in groups])
    idx = np.array([i for g in groups for i in g], np.int64)
    return ptr, idx


def _static(c):
    """The compiled network's arrays in the kernel's argument order (cached on the network object)."""
    st = getattr(c, "_kernel_args", None)
    if st is not None:
        return st
    S, W = c.S, c.W
    pl_state = np.array([p[0] for p in c.plans], np.int64)       # no plans: empty arrays, ptr = [0]
    wptr, widx = csr([list(p[1]) for p in c.plans])
    tptr, tidx = csr([list(p[2]) for p in c.plans])
    identity = bool(np.array_equal(c.order, np.arange(c.O)))
    st = (S, W, c.O, c.attacker, c.target, np.ascontiguousarray(c.resists, np.bool_), c.in1.astype(np.bool_),
          np.array(c.in2, np.bool_),
          c.all_now, c.has_later, c.order.astype(np.int64), identity,
          c.q, c.x, c.trig.astype(np.int64), c.unprov, c.minatt, c.genwar, np.ascontiguousarray(c.gpbits),
          np.ascontiguousarray(c.F),
          np.ascontiguousarray(c.M), np.ascontiguousarray(c.N),
          *c.by_protected, *c.by_attacked, *c.by_attacks, c.at_war.astype(np.int64), c.later_obls.astype(np.int64),
          c.inv_read, np.ascontiguousarray(c.inv_write), *(np.asarray(a, np.int64) for a in c.dependants),
          c.agg_slot, c.n_agg, c.n_inv, pl_state, wptr, widx, tptr, tidx)
    c._kernel_args = st
    return st


def _workspace(c, nblk: int, work: dict):
    """One slot of per-draw state per block of draws, kept in *work* from call to call."""
    ws = work.get("kernel")
    if ws is None or ws[0].shape[0] != nblk:
        S, W, O = c.S, c.W, c.O
        ws = work["kernel"] = (
            np.zeros((nblk, S, W), np.uint64), np.zeros((nblk, 2, W), np.uint64),
            np.zeros((nblk, max(c.n_agg, 1), W), np.uint64), np.zeros((nblk, S), np.bool_),
            np.zeros((nblk, W), np.uint64), np.zeros((nblk, max(c.n_inv, 1), W), np.uint64),
            np.zeros((nblk, O), np.bool_), np.zeros((nblk, max(len(c.plans), 1)), np.bool_),
            np.ones(nblk, np.int8), np.zeros(nblk, np.bool_), np.zeros((nblk, (O + 63) // 64), np.uint64))
    return ws


def run_chunk(c, B: int, mode: int, hmat, key, d0: int, probs, side, eround, ephase, occupied, work: dict):
    """Run B draws (global indices *d0* to *d0* + B - 1) in the kernel; outputs written in place.

    *mode* 0: explicit honour matrix *hmat* (rows: these draws); 1: one uniform per commitment and draw
    from the stream *key* (:mod:`~deterrence.networks.honour_stream`); 2: one per obligation and draw.
    The draws are split into blocks run in parallel (numba's threads); the result does not depend on it.
    """
    import numba
    st = _static(c)
    bound = 2 * (c.O + len(c.plans) + c.S) + 4
    cidx = c.cidx.astype(np.int64)
    probs = np.zeros(c.O) if probs is None else np.asarray(probs, np.float64)
    h = np.zeros((1, 1), np.bool_) if hmat is None else np.ascontiguousarray(hmat, np.bool_)
    side[:] = -1
    eround[:] = -1
    ephase[:] = 0
    occupied[:] = False
    nblk = max(1, min(B, 4 * numba.get_num_threads()))
    ws = _workspace(c, nblk, work)
    res = _compiled()(ws, *st, mode, h, np.uint64(key), np.int64(d0), cidx, probs, side, eround, ephase,
                      occupied, bound)
    if res < 0:
        work.clear()       # an interrupted run leaves the workspace dirty
        from ..errors import ModelError
        raise ModelError("cascade did not settle")
