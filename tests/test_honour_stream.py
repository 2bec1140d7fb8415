"""The counter-based honour stream: the formula, numpy against numba bit for bit, and basic uniformity.

References: SplitMix64 (Steele, Lea and Flood 2014; Vigna's ``splitmix64.c``), whose first output for
the seed 1234567 is 6457827717110365317 (the test vector published with the Java ``SplittableRandom``
port and reproduced in many ports); the formula of :mod:`deterrence.networks.honour_stream` is
recomputed here with Python's arbitrary-precision integers, independently of numpy's uint64 arithmetic.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from deterrence.networks import _kernel
from deterrence.networks.honour_stream import honour_bits, honour_decisions, honour_uniforms, stream_key

MASK = 2**64 - 1
G = 0x9E3779B97F4A7C15


def _mix(z):
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
    return z ^ (z >> 31)


def _reference(key, d, j):
    s = _mix((key + (d + 1) * G) & MASK)
    return (_mix((s + (j + 1) * G) & MASK) >> 11) * 2.0**-53


def test_splitmix64_output_function_matches_the_published_vector():
    assert _mix((1234567 + G) & MASK) == 6457827717110365317


@settings(max_examples=200, deadline=None)
@given(key=st.integers(0, MASK), d=st.integers(0, 2**40), j=st.integers(0, 2**20))
def test_numpy_uniform_is_the_formula(key, d, j):
    assert honour_uniforms(np.uint64(key), d, j)[0] == _reference(key, d, j)


def test_numba_gives_bit_identical_uniforms():
    numba = pytest.importorskip("numba")
    jitted = numba.njit(honour_bits)
    r = np.random.default_rng(3)
    keys = r.integers(0, 2**64, 2000, dtype=np.uint64, endpoint=False)
    draws = r.integers(0, 2**40, 2000).astype(np.uint64)
    slots = r.integers(0, 5000, 2000).astype(np.uint64)
    want = honour_bits(keys, draws, slots)
    got = np.array([jitted(k, d, s) for k, d, s in zip(keys, draws, slots)], np.uint64)
    np.testing.assert_array_equal(got, want)
    # and the kernel's own compiled copy (the function the cascades use)
    _kernel._compiled()
    got = np.array([_kernel.honour_bits(k, d, s) for k, d, s in zip(keys[:200], draws[:200], slots[:200])])
    np.testing.assert_array_equal(got.astype(np.uint64), want[:200])


def test_uniforms_are_uniform_and_uncorrelated():
    key = stream_key(np.random.default_rng(2026))
    d = np.arange(2000)[:, None]
    j = np.arange(500)[None, :]
    u = honour_uniforms(key, d, j)           # 10^6 uniforms: draws x obligations
    n = u.size
    assert 0.0 <= u.min() and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 5 * np.sqrt(1 / 12 / n)
    assert abs(u.var() - 1 / 12) < 0.001
    counts = np.bincount((u * 100).astype(int).ravel(), minlength=100)
    assert stats.chisquare(counts).pvalue > 1e-4
    # neighbouring keys: consecutive draws (same slot) and consecutive slots (same draw)
    bound = 5 / np.sqrt(n)
    assert abs(np.corrcoef(u[1:, :].ravel(), u[:-1, :].ravel())[0, 1]) < bound
    assert abs(np.corrcoef(u[:, 1:].ravel(), u[:, :-1].ravel())[0, 1]) < bound
    # consecutive stream keys (seeds 0, 1, ...): the same (draw, slot) is not correlated across them
    ks = [stream_key(np.random.default_rng(s)) for s in range(400)]
    v = np.array([honour_uniforms(k, np.arange(200), 7) for k in ks])
    assert abs(np.corrcoef(v[1:].ravel(), v[:-1].ravel())[0, 1]) < 5 / np.sqrt(v[1:].size)
    # and adjacent raw keys key, key + 1
    w = honour_uniforms(np.uint64(12345), d[:, 0], 0), honour_uniforms(np.uint64(12346), d[:, 0], 0)
    assert abs(np.corrcoef(*w)[0, 1]) < 5 / np.sqrt(d.size)


def test_decisions_honour_with_the_probability():
    key = stream_key(np.random.default_rng(7))
    d = np.arange(200_000)
    for p in (0.0, 0.1, 0.745, 1.0):
        share = honour_decisions(key, d, 3, p).mean()
        assert abs(share - p) < 5 * np.sqrt(max(p * (1 - p), 1e-12) / d.size) + (0 if 0 < p < 1 else 1e-15)
