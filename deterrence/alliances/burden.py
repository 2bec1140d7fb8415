r"""Burden sharing: defence as a public good among allies of different wealth (Olson and Zeckhauser 1966).

Model
-----
:math:`N \ge 2` allies with incomes :math:`w_i > 0` each choose a defence
contribution :math:`g_i \in [0, w_i)` at once and consume the rest,
:math:`x_i = w_i - g_i`.  Defence is the alliance's public good,
:math:`G = \sum_j g_j`.  Preferences are Cobb-Douglas with a common weight
:math:`a \in (0, 1)` on defence (the specification with a closed form used by
Bergstrom, Blume and Varian 1986):

.. math::  u_i = x_i^{1-a}\, Z_i^{a}, \qquad Z_i = g_i + s\, G_{-i}, \quad s = 1 - \beta .

:math:`\beta \in [0, 1]` is Sandler's (1977) *joint product*: the share of a
unit of defence spending that yields a benefit private to the ally who spends
it (its own territory, its own interests) rather than alliance-wide
deterrence.  :math:`\beta = 0` is Olson and Zeckhauser's pure public good
(:math:`Z_i = G`); :math:`\beta = 1` makes defence a private good.

Equilibrium (derived by hand)
-----------------------------
Ally :math:`i`'s utility is strictly concave in :math:`g_i`; the first-order
condition gives the best response

.. math::  g_i = \max\{0,\; a w_i - d\, G_{-i}\}, \qquad d = (1-a)s .

In any equilibrium, writing :math:`G_{-i} = G - g_i`,
:math:`g_i = \max\{0, (a w_i - dG)/(1-d)\}`: ally :math:`i` contributes iff its
income exceeds the threshold :math:`t = dG/a`, so the contributors are the
richest allies.  The right-hand side of
:math:`G = \sum_i \max\{0, (a w_i - dG)/(1-d)\}` falls in :math:`G` and the
left rises, so the equilibrium is unique (as Bergstrom, Blume and Varian prove
for the pure public good).  With :math:`k` contributors of total income
:math:`W_C`,

.. math::  G = \frac{a W_C}{1 + (k-1)d}, \qquad t = \frac{d}{a} G .

The contributors' set is found exactly: with incomes sorted in decreasing
order, :math:`t_k = d S_k / (1 + (k-1)d)` (:math:`S_k` the sum of the
:math:`k` largest) satisfies :math:`t_{k+1} = [(1+(k-1)d)\, t_k + d\, w_{(k+1)}]/(1+kd)`,
a weighted mean of :math:`t_k` and :math:`w_{(k+1)}`; so :math:`t_k` rises
while the next income exceeds it, and the number of contributors is the first
:math:`k` with :math:`w_{(k+1)} \le t_k` (:math:`w_{(N+1)} = 0`).

The joint (Samuelson) optimum: the sum of the marginal rates of substitution,
:math:`\sum_i \frac{a}{1-a} x_i / G`, equals the marginal cost 1 at
:math:`G^* = aW` (:math:`W = \sum_i w_i`), whatever the division of private
consumption (:math:`\beta = 0`).  With joint products :math:`G^* = aW` is the
efficient total wherever every ally spends at the optimum (the first-order
conditions of :math:`\max \sum_i \lambda_i \ln u_i` give
:math:`Z_k \propto \lambda_k` and :math:`G = aW`; equal weights qualify).  For
identical allies :math:`G/G^* = 1/(1 + (N-1)(1-a)(1-\beta))`.

Every equilibrium returned is certified by the largest gain from a unilateral
deviation, computed from the profile (each ally's exact best response to the
others' contributions); :func:`best_response_equilibrium` computes the
equilibrium independently by sequential best responses (projected
Gauss-Seidel on the linear complementarity problem the best responses form,
which converges since its matrix :math:`(1-d)I + d\mathbf{1}\mathbf{1}^\top`
is symmetric positive definite).

What is stylized: one common preference weight; a private benefit that is a
perfect substitute for the public one (which is why neutrality survives the
joint product here); no production side (defence bought at a unit price).

Sources
-------
* M. Olson and R. Zeckhauser (1966), "An economic theory of alliances",
  *Review of Economics and Statistics* 48(3), 266-279: under-provision and
  "exploitation of the great by the small".
* T. Bergstrom, L. Blume and H. Varian (1986), "On the private provision of
  public goods", *Journal of Public Economics* 29(1), 25-49: the Nash
  equilibrium, its uniqueness, and neutrality (after P. G. Warr 1983,
  *Economics Letters* 13, 207-211).
* T. Sandler (1977), "Impurity of defense: an application to the economics of
  alliances", *Kyklos* 30(3), 443-460: joint products.

Measures (batched): ``total``, ``optimum``, ``provision_ratio``, ``shares``
(each member's share of the total), ``burden`` (contribution as a share of
income), ``contributes`` / ``free_rides``, ``exploitation`` (the largest
ally's share of the defence minus its share of income).  The claims, with their
sources, verdicts, counterexamples and failing regions, are the claims engine's
(:mod:`deterrence.analysis.claims`) on the model family ``burden_sharing:n=N``
(:func:`deterrence.alliances.families.burden_sharing_model`; ``deterrence claims
burden_sharing``).  The older records :data:`BURDEN_CLAIMS` and
:func:`check_burden_claims` are deprecated (a :class:`DeprecationWarning`; removed in
the next release).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..deprecation import module_getattr, warn_deprecated
from ..errors import CertificateError, ModelError

__all__ = ["BurdenSharing", "burden_sharing", "best_response", "deviation_gain", "best_response_equilibrium",
           "check_burden_claims", "MAX_ALLIES"]

#: Largest number of allies handled (the equilibrium costs O(N log N) per point).
MAX_ALLIES = 10_000
#: Relative tolerance of the certificate (gain from deviating / the ally's best utility).
REGRET_TOL = 1e-9


# ---------------------------------------------------------------------- input checks
def _inputs(incomes, defence_weight, private_share):
    w = np.asarray(incomes)
    if w.dtype.kind not in "iuf":
        raise ModelError(f"incomes must be positive numbers, got {incomes!r}")
    w = w.astype(float)
    if w.ndim == 0:
        raise ModelError("incomes must be an array of shape (..., N), one income per ally, N >= 2")
    if not 2 <= w.shape[-1] <= MAX_ALLIES:
        raise ModelError(f"the number of allies N (the last axis of incomes) must be in 2..{MAX_ALLIES}, "
                         f"got {w.shape[-1]}")
    if not np.all(np.isfinite(w)) or np.any(w <= 0):
        raise ModelError(f"incomes must be finite and > 0, got {w[~(np.isfinite(w) & (w > 0))].flat[0]!r}")
    a = np.asarray(defence_weight, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a <= 0) or np.any(a >= 1):
        raise ModelError(f"defence_weight (the Cobb-Douglas weight a on defence) must be in (0, 1), "
                         f"got {defence_weight!r}")
    beta = np.asarray(private_share, dtype=float)
    if not np.all(np.isfinite(beta)) or np.any(beta < 0) or np.any(beta > 1):
        raise ModelError(f"private_share (Sandler's joint product beta) must be in [0, 1], got {private_share!r}")
    try:
        batch = np.broadcast_shapes(w.shape[:-1], a.shape, beta.shape)
    except ValueError:
        raise ModelError(f"incomes' batch shape {w.shape[:-1]}, defence_weight's {a.shape} and private_share's "
                         f"{beta.shape} do not broadcast") from None
    w = np.broadcast_to(w, batch + w.shape[-1:])
    return w, np.broadcast_to(a, batch), np.broadcast_to(beta, batch)


def _utility(x, z, a):
    """x**(1-a) * z**a with 0 at x = 0 or z = 0."""
    with np.errstate(divide="ignore"):
        return np.where((x > 0) & (z > 0), np.exp((1 - a) * np.log(np.maximum(x, 1e-300))
                                                  + a * np.log(np.maximum(z, 1e-300))), 0.0)


# ---------------------------------------------------------------------- best responses and the certificate
def best_response(incomes, contributions, defence_weight, private_share=0.0) -> np.ndarray:
    r"""Each ally's best contribution to the others' contributions: :math:`\max\{0, a w_i - (1-a)(1-\beta) G_{-i}\}`.

    Parameters
    ----------
    incomes, contributions : array_like, shape (..., N)
    defence_weight : float or array
        :math:`a \in (0, 1)`.
    private_share : float or array
        :math:`\beta \in [0, 1]`.
    """
    w, a, beta = _inputs(incomes, defence_weight, private_share)
    g = np.broadcast_to(np.asarray(contributions, dtype=float), w.shape)
    d = ((1 - a) * (1 - beta))[..., None]
    others = g.sum(-1, keepdims=True) - g
    return np.maximum(0.0, a[..., None] * w - d * others)


def deviation_gain(incomes, contributions, defence_weight, private_share=0.0) -> np.ndarray:
    """Each ally's gain from its best unilateral deviation at the profile ``contributions`` (shape (..., N)).

    Utility is strictly concave in the ally's own contribution, so the exact best response
    (:func:`best_response`) attains the supremum over :math:`[0, w_i)`.
    """
    w, a, beta = _inputs(incomes, defence_weight, private_share)
    g = np.broadcast_to(np.asarray(contributions, dtype=float), w.shape)
    if np.any(g < 0) or np.any(g >= w):
        raise ModelError("contributions must lie in [0, income) for every ally")
    s = (1 - beta)[..., None]
    aa = a[..., None]
    others = g.sum(-1, keepdims=True) - g
    br = best_response(w, g, a, beta)
    now = _utility(w - g, g + s * others, aa)
    best = _utility(w - br, br + s * others, aa)
    return best - now


# ---------------------------------------------------------------------- the equilibrium
@dataclass(frozen=True)
class BurdenSharing:
    """The Nash equilibrium of voluntary contributions and its measures (arrays over the batch).

    Attributes
    ----------
    incomes, contributions : ndarray, shape (..., N)
        :math:`w_i` and the equilibrium :math:`g_i`.
    total : ndarray
        :math:`G = \\sum_i g_i`.
    optimum : ndarray
        The Samuelson level :math:`G^* = aW`.
    provision_ratio : ndarray
        :math:`G / G^*` (1 is efficient; below 1 is under-provision).
    shares : ndarray, shape (..., N)
        Each member's share of the total, :math:`g_i / G`.
    income_shares : ndarray, shape (..., N)
        :math:`w_i / W`.
    burden : ndarray, shape (..., N)
        Defence as a share of income, :math:`g_i / w_i` (the "defence share of GNP").
    contributes, free_rides : ndarray of bool, shape (..., N)
        Who contributes; who contributes nothing.
    n_contributors : ndarray of int
    threshold : ndarray
        The income :math:`t = (1-a)(1-\\beta) G / a` at or below which an ally contributes nothing.
    exploitation : ndarray
        The largest ally's share of the total minus its share of income (0 when burdens are proportional).
    utilities : ndarray, shape (..., N)
    regret : ndarray
        The largest gain from a unilateral deviation over the allies (the certificate).
    defence_weight, private_share : ndarray
    """

    incomes: np.ndarray
    contributions: np.ndarray
    total: np.ndarray
    optimum: np.ndarray
    provision_ratio: np.ndarray
    shares: np.ndarray
    income_shares: np.ndarray
    burden: np.ndarray
    contributes: np.ndarray
    free_rides: np.ndarray
    n_contributors: np.ndarray
    threshold: np.ndarray
    exploitation: np.ndarray
    utilities: np.ndarray
    regret: np.ndarray
    defence_weight: np.ndarray
    private_share: np.ndarray


def burden_sharing(incomes, defence_weight=0.2, private_share=0.0) -> BurdenSharing:
    r"""The Nash equilibrium of voluntary defence contributions, in closed form, certified, batched.

    Parameters
    ----------
    incomes : array_like, shape (..., N)
        Allies' incomes :math:`w_i > 0` (GDP, in any one unit); leading axes are the batch.
    defence_weight : float or array (broadcast against the batch)
        The Cobb-Douglas weight :math:`a \in (0, 1)` on defence.
    private_share : float or array
        Sandler's joint product :math:`\beta \in [0, 1]`: the share of each unit of defence spending that
        benefits only the ally who spends it (0: a pure public good, Olson and Zeckhauser's case).

    Returns
    -------
    BurdenSharing
        ``regret`` is checked to be at most ``1e-9`` times each ally's best utility
        (:class:`~deterrence.errors.CertificateError` otherwise).
    """
    w, a, beta = _inputs(incomes, defence_weight, private_share)
    n = w.shape[-1]
    d = (1 - a) * (1 - beta)
    order = np.argsort(-w, axis=-1, kind="stable")
    ws = np.take_along_axis(w, order, -1)
    k = np.arange(1, n + 1)
    totals = a[..., None] * np.cumsum(ws, -1) / (1 + (k - 1) * d[..., None])    # G with the k richest contributing
    thresholds = (d / a)[..., None] * totals
    nxt = np.concatenate([ws[..., 1:], np.zeros(ws.shape[:-1] + (1,))], -1)
    stop = nxt <= thresholds
    kstar = np.argmax(stop, -1)                    # index of the first k that stops (the last always does)
    G = np.take_along_axis(totals, kstar[..., None], -1)[..., 0]
    t = np.take_along_axis(thresholds, kstar[..., None], -1)[..., 0]
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(n), order.shape), -1)
    contrib = rank <= kstar[..., None]
    g = np.where(contrib, np.maximum(0.0, (a[..., None] * w - d[..., None] * G[..., None])
                                     / (1 - d[..., None])), 0.0)
    G = g.sum(-1)
    W = w.sum(-1)
    gain = deviation_gain(w, g, a, beta)
    others = G[..., None] - g
    util = _utility(w - g, g + (1 - beta)[..., None] * others, a[..., None])
    if np.any(gain > REGRET_TOL * np.maximum(util + gain, 1e-300)):
        raise CertificateError(f"burden-sharing equilibrium failed its certificate (gain from deviating "
                               f"{gain.max():.3g})")
    big = np.argmax(w, -1)[..., None]
    expl = (np.take_along_axis(g, big, -1)[..., 0] / G - np.take_along_axis(w, big, -1)[..., 0] / W)
    return BurdenSharing(incomes=w, contributions=g, total=G, optimum=a * W, provision_ratio=G / (a * W),
                         shares=g / G[..., None], income_shares=w / W[..., None], burden=g / w,
                         contributes=contrib, free_rides=~contrib, n_contributors=kstar + 1, threshold=t,
                         exploitation=expl, utilities=util, regret=gain.max(-1), defence_weight=a,
                         private_share=beta)


def best_response_equilibrium(incomes, defence_weight=0.2, private_share=0.0, *, tol=1e-13,
                              max_sweeps=100_000) -> np.ndarray:
    """The equilibrium contributions by sequential best responses from zero, batched (independent of the closed form).

    Each sweep lets every ally in turn play its best response to the others' current contributions
    (projected Gauss-Seidel); sweeps stop when no contribution moves by more than ``tol`` times the largest
    income. Returns the contributions, shape (..., N); raises :class:`~deterrence.errors.CertificateError`
    when ``max_sweeps`` pass without convergence or the result is not an equilibrium.
    """
    w, a, beta = _inputs(incomes, defence_weight, private_share)
    d = (1 - a) * (1 - beta)
    g = np.zeros_like(w)
    G = np.zeros(w.shape[:-1])
    scale = w.max(-1)
    for _ in range(max_sweeps):
        moved = np.zeros(w.shape[:-1])
        for i in range(w.shape[-1]):
            new = np.maximum(0.0, a * w[..., i] - d * (G - g[..., i]))
            moved = np.maximum(moved, np.abs(new - g[..., i]))
            G = G + new - g[..., i]
            g[..., i] = new
        G = g.sum(-1)
        if np.all(moved <= tol * scale):
            break
    else:
        raise CertificateError(f"best-response iteration did not converge in {max_sweeps} sweeps")
    gain = deviation_gain(w, g, a, beta)
    if np.any(gain > 1e-8 * scale[..., None]):
        raise CertificateError(f"best-response iteration stopped off equilibrium (gain {gain.max():.3g})")
    return g


# ---------------------------------------------------------------------- claims (deprecated: see the family burden_sharing)
_NEW = "deterrence.analysis.claims.check_claims(deterrence.load_model('burden_sharing:n=N'))"


@dataclass(frozen=True)
class BurdenClaim:
    """A claim from the literature about the burden-sharing model: what is checked, its source, its words."""

    id: str
    statement: str
    region: str
    source: str
    words: str


@dataclass(frozen=True)
class BurdenVerdict:
    """A claim's verdict (``holds``, ``holds_on_share`` or ``fails``, as in :mod:`deterrence.analysis.claims`)."""

    claim: BurdenClaim
    verdict: str
    share: float
    n_points: int
    counterexample: dict | None
    method: str

    @property
    def summary(self) -> str:
        if self.verdict == "holds":
            return f"holds at all {self.n_points} points"
        if self.verdict == "fails":
            return f"fails at all {self.n_points} points"
        return f"holds on {100 * self.share:.1f}% of {self.n_points} points"


_OZ = ("Olson, M. and Zeckhauser, R. (1966), 'An economic theory of alliances', Review of Economics and "
       "Statistics 48(3), 266-279")
_BBV = ("Bergstrom, T., Blume, L. and Varian, H. (1986), 'On the private provision of public goods', Journal of "
        "Public Economics 29(1), 25-49; Warr, P. G. (1983), Economics Letters 13, 207-211")
_SANDLER = ("Sandler, T. (1977), 'Impurity of defense: an application to the economics of alliances', Kyklos "
            "30(3), 443-460")

_REGION = "a in [0.05, 0.95], beta in [0, 0.9], N in 2..12, incomes lognormal(0, 1)"

#: The claims checked by :func:`check_burden_claims` (deprecated, as is the name ``BURDEN_CLAIMS``).
_BURDEN_CLAIMS = (
    BurdenClaim("under_provision_grows_with_allies",
                "identical allies: G/G* falls strictly when one more ally of the same income joins",
                "a in [0.05, 0.95], beta in [0, 0.9], N in 2..12, equal incomes", _OZ,
                "The larger the number of members, the further the alliance's provision falls short of the "
                "optimum (paraphrase; Olson's group-size argument applied to alliances)."),
    BurdenClaim("under_provision_grows_with_allies_unequal",
                "unequal allies: G/G* does not rise when one more ally, drawn from the same income distribution, "
                "joins", _REGION, _OZ,
                "The same claim, read for allies of unequal wealth (paraphrase)."),
    BurdenClaim("exploitation_of_the_great_by_the_small",
                "a richer ally spends at least as large a share of its income on defence, and the largest ally's "
                "share of the defence is at least its share of income", _REGION, _OZ,
                "The larger members bear a disproportionate share of the burden of the common defence: "
                "'the exploitation of the great by the small' (paraphrase; the quoted phrase is theirs)."),
    BurdenClaim("neutrality",
                "a redistribution of income among the contributors that leaves each of them above the "
                "contribution threshold leaves G (and the contributors' set) unchanged", _REGION, _BBV,
                "Redistributing income among contributors, so that no contributor loses more than its "
                "contribution, leaves the equilibrium supply of the public good unchanged (paraphrase)."),
    BurdenClaim("joint_products_weaken_exploitation",
                "the exploitation index (largest ally's share of defence minus its share of income) does not "
                "rise with the private share beta", "a in [0.05, 0.95], beta < beta' in [0, 1], N in 2..12, "
                "incomes lognormal(0, 1)", _SANDLER,
                "When defence also yields ally-specific private benefits, burdens follow benefits received more "
                "closely and the large allies' disproportionate burden shrinks (paraphrase)."),
    BurdenClaim("joint_products_reduce_under_provision",
                "G/G* does not fall with the private share beta", "a in [0.05, 0.95], beta < beta' in [0, 1], "
                "N in 2..12, incomes lognormal(0, 1)", _SANDLER,
                "With joint products the suboptimality of the alliance's defence is smaller (paraphrase)."),
)


def _verdict(claim, ok, points, method):
    ok = np.asarray(ok, dtype=bool)
    cex = None
    if not ok.all():
        b = int(np.flatnonzero(~ok)[0])
        cex = {k: (np.asarray(v)[b].tolist()) for k, v in points.items()}
    verdict = "holds" if ok.all() else ("fails" if not ok.any() else "holds_on_share")
    return BurdenVerdict(claim, verdict, float(ok.mean()), int(ok.size), cex, method)


def check_burden_claims(samples: int = 100, seed: int = 0, tol: float = 1e-9) -> list[BurdenVerdict]:
    """Deprecated: the claims engine checks these claims on the family ``burden_sharing:n=N``.

    Use ``deterrence.analysis.claims.check_claims(deterrence.load_model("burden_sharing:n=N"),
    loader=deterrence.load_model)`` (or ``deterrence claims burden_sharing:n=N``): the same claims with the
    engine's verdicts, counterexamples, failing regions and provenance.  This function still checks the old
    records at ``samples`` random points per number of allies (N = 2..12) and returns one ``BurdenVerdict``
    per claim, with a :class:`DeprecationWarning`; it is removed in the next release.
    """
    warn_deprecated("deterrence.alliances.check_burden_claims", _NEW)
    if isinstance(samples, bool) or not isinstance(samples, (int, np.integer)) or samples < 1:
        raise ModelError(f"samples must be an integer >= 1, got {samples!r}")
    rng = np.random.default_rng(seed)
    ns = range(2, 13)
    by_id = {c.id: c for c in _BURDEN_CLAIMS}
    ok = {c.id: [] for c in _BURDEN_CLAIMS}
    pts = {c.id: {} for c in _BURDEN_CLAIMS}

    def record(cid, good, **p):
        ok[cid].append(np.asarray(good, bool))
        for k, v in p.items():
            pts[cid].setdefault(k, []).extend(list(np.asarray(v)))

    for n in ns:
        a = rng.uniform(0.05, 0.95, samples)
        beta = rng.uniform(0.0, 0.9, samples)
        w = rng.lognormal(0.0, 1.0, (samples, n + 1))
        eq = burden_sharing(w[:, :n], a, beta)
        # identical allies
        same = np.repeat(w[:, :1], n + 1, 1)
        r0 = burden_sharing(same[:, :n], a, beta).provision_ratio
        r1 = burden_sharing(same, a, beta).provision_ratio
        record("under_provision_grows_with_allies", r1 < r0, N=np.full(samples, n), a=a, beta=beta, w=w[:, 0])
        # unequal allies: one more joins
        r1u = burden_sharing(w, a, beta).provision_ratio
        record("under_provision_grows_with_allies_unequal", r1u <= eq.provision_ratio * (1 + tol),
               N=np.full(samples, n), a=a, beta=beta, incomes=list(w))
        # exploitation: burden nondecreasing in income, largest ally's share >= its income share
        order = np.argsort(w[:, :n], -1)
        bs = np.take_along_axis(eq.burden, order, -1)
        mono = np.all(np.diff(bs, axis=-1) >= -tol, -1)
        record("exploitation_of_the_great_by_the_small", mono & (eq.exploitation >= -tol),
               N=np.full(samples, n), a=a, beta=beta, incomes=list(w[:, :n]))
        # neutrality: redistribute the contributors' income above the threshold
        c = eq.contributes
        excess = np.where(c, w[:, :n] - eq.threshold[:, None], 0.0)
        mix = np.where(c, rng.gamma(1.0, 1.0, (samples, n)), 0.0)
        new_excess = excess.sum(-1, keepdims=True) * mix / mix.sum(-1, keepdims=True)
        w2 = np.where(c, eq.threshold[:, None] + new_excess, w[:, :n])
        w2 = np.where(c & (w2 <= eq.threshold[:, None]), w[:, :n], w2)     # a zero draw: keep that income
        eq2 = burden_sharing(w2, a, beta)
        keep = eq.n_contributors >= 2
        good = (np.abs(eq2.total - eq.total) <= 1e-9 * eq.total) & np.all(eq2.contributes == c, -1)
        record("neutrality", good[keep], N=np.full(keep.sum(), n), a=a[keep], beta=beta[keep],
               incomes=list(w[:, :n][keep]), redistributed=list(w2[keep]))
        # joint products
        b1 = rng.uniform(0.0, 1.0, samples)
        b2 = rng.uniform(0.0, 1.0, samples)
        lo, hi = np.minimum(b1, b2), np.maximum(b1, b2)
        e_lo, e_hi = burden_sharing(w[:, :n], a, lo), burden_sharing(w[:, :n], a, hi)
        record("joint_products_weaken_exploitation", e_hi.exploitation <= e_lo.exploitation + tol,
               N=np.full(samples, n), a=a, beta=lo, beta_prime=hi, incomes=list(w[:, :n]))
        record("joint_products_reduce_under_provision", e_hi.provision_ratio >= e_lo.provision_ratio - tol,
               N=np.full(samples, n), a=a, beta=lo, beta_prime=hi, incomes=list(w[:, :n]))
    method = f"random points: {samples} per N for N = 2..12, seed {seed}"
    out = []
    for cid, claim in by_id.items():
        allok = np.concatenate(ok[cid])
        out.append(_verdict(claim, allok, {k: np.asarray(v, dtype=object) for k, v in pts[cid].items()}, method))
    return out


__getattr__ = module_getattr(__name__, {
    "BURDEN_CLAIMS": (f"the claims of deterrence.load_model('burden_sharing:n=N') (checked by {_NEW})",
                      lambda: _BURDEN_CLAIMS),
})
