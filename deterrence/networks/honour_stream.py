"""Counter-based honour draws: each decision a pure function of (stream key, draw index, slot).

A Monte Carlo of cascades decides, in each draw, whether each obligation put to the test is honoured.
Drawing those uniforms from one sequential generator ties a draw's decisions to the order in which all
draws ask for them, so the draws must run in lock step and a result depends on chunking.  Here the
uniform of draw *d* and slot *j* (an obligation's index among the fighting obligations, or with shared
draws its commitment's index) is a hash of the three numbers:

    s = mix64(key + (d + 1) * G)          # the (d+1)-th output of SplitMix64 seeded with key
    u = (mix64(s + (j + 1) * G) >> 11) / 2**53     # the (j+1)-th output of SplitMix64 seeded with s

with G = 0x9E3779B97F4A7C15 and mix64 SplitMix64's output function (Steele, Lea and Flood (2014),
"Fast splittable pseudorandom number generators", OOPSLA; constants of Vigna's ``splitmix64.c``), all
arithmetic modulo 2**64.  The obligation is honoured iff ``u < p`` (so p = 0 never and p = 1 always).
The stream key is one 64-bit integer drawn from the caller's generator, so for a seeded generator a
draw's decisions depend only on the seed, the draw's index and the slot: not on chunking, kernel or
threads.

:func:`honour_bits` is written once in uint64 operations that numpy runs on arrays and numba compiles
for scalars (the compiled kernel jits this very function), so the two give bit-identical uniforms
(``tests/test_honour_stream.py`` checks that, and the uniforms' mean, a chi-square over bins and the
correlation of neighbouring keys).
"""

from __future__ import annotations

import numpy as np

__all__ = ["GOLDEN", "honour_bits", "honour_uniforms", "honour_decisions", "stream_key"]

#: SplitMix64's increment (2**64 / golden ratio, odd).
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_ONE = np.uint64(1)
#: 2**-53: a 53-bit integer times this is a double in [0, 1).
SCALE = 2.0 ** -53


def honour_bits(key, draw, slot):
    """The 53 random bits of (key, draw, slot) as uint64 (numpy arrays or, compiled by numba, scalars).

    All three arguments must be uint64 (arrays broadcast).  The uniform is ``bits * 2**-53``.
    """
    z = key + (draw + _ONE) * GOLDEN
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    z = z + (slot + _ONE) * GOLDEN
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    z = z ^ (z >> _S31)
    return z >> np.uint64(11)


def honour_uniforms(key, draw, slot) -> np.ndarray:
    """Uniforms in [0, 1) of (key, draw, slot), arrays broadcast (numpy)."""
    # at least 1-d arrays: numpy wraps uint64 arrays modulo 2**64 silently (its scalars warn on overflow)
    k, d, s = np.broadcast_arrays(np.atleast_1d(np.asarray(key, np.uint64)),
                                  np.atleast_1d(np.asarray(draw).astype(np.uint64)),
                                  np.atleast_1d(np.asarray(slot).astype(np.uint64)))
    return honour_bits(k, d, s).astype(np.float64) * SCALE


def honour_decisions(key, draw, slot, prob) -> np.ndarray:
    """Whether each obligation is honoured: ``u < prob`` (never for prob 0, always for prob 1)."""
    return honour_uniforms(key, draw, slot) < np.asarray(prob, np.float64)


def stream_key(rng: np.random.Generator) -> np.uint64:
    """The stream key: one 64-bit integer drawn from *rng* (the generator advances by one 64-bit draw)."""
    return np.uint64(rng.integers(0, 2**64, dtype=np.uint64))
