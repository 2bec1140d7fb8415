r"""Olson and Zeckhauser's exploitation hypothesis on NATO in 2024: do the larger allies spend larger shares?

Hypothesis
----------
M. Olson and R. Zeckhauser (1966), "An economic theory of alliances", *Review of Economics and Statistics*
48(3), 266-279: in the Nash equilibrium of voluntary contributions to a common defence, the larger allies
carry a disproportionate share of the burden ("the exploitation of the great by the small"); their test
was a positive rank correlation between size (GNP) and defence spending as a share of GNP among NATO's
members in 1964.  The model of :mod:`deterrence.alliances.burden` predicts the same: burdens rise with
income among contributors, and the small free-ride.

Data
----
* Defence expenditure as a share of GDP, 2024 estimates of NATO's June 2024 release, for the 31 allies
  that report it (Iceland has no armed forces), as transcribed in the project's reference sheet
  (``shared/reference/arms_and_alliances.md``) from two agreeing **secondary** sources; not re-checked against
  NATO's own tables.  Shipped here as :data:`ALLIES` (facts with their source).
* GDP, current US$, 2023: World Bank, World Development Indicators, series NY.GDP.MKTP.CD, **supplied by the
  user** (the package ships no World Bank data): the CSV as the World Bank distributes it, read by
  :func:`deterrence.io.worldbank.read_wb_indicator`, and joined to the shares by ISO 3166 alpha-3 code with
  :func:`ally_rows`.

Caveats, printed with every result: the shares are secondary-source transcriptions of NATO estimates; size
is 2023 GDP at market exchange rates while the shares are 2024 estimates on NATO's own GDP figures (ranks of
size move little in a year, but the two columns are not from one source).

Test (:func:`exploitation_test`)
--------------------------------
Spearman's rank correlation of size and share (average ranks for ties), with the two-sided p-value of the
usual Student-t approximation, :math:`t = \rho\sqrt{(n-2)/(1-\rho^2)}` on :math:`n-2` degrees of freedom,
the one-sided p-value for the hypothesis's direction (:math:`\rho > 0`), and a seeded permutation p-value
(distribution-free) as a check on the approximation; with all allies and without the United States (the
outlier in size).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import stdtr

from ..errors import ModelError

__all__ = ["ALLIES", "GDP_YEAR", "NEEDS", "SOURCES", "CAVEAT", "HYPOTHESIS", "AllyRow", "ally_rows", "spearman",
           "ExploitationTest", "exploitation_test", "PERMUTATIONS"]

#: (country, ISO 3166 alpha-3 code, defence expenditure as % of GDP, 2024 estimate): NATO's June 2024 release
#: as transcribed from two agreeing secondary sources in shared/reference/arms_and_alliances.md.
ALLIES = (
    ("Poland", "POL", 4.12), ("Estonia", "EST", 3.43), ("United States", "USA", 3.38), ("Latvia", "LVA", 3.15),
    ("Greece", "GRC", 3.08), ("Lithuania", "LTU", 2.85), ("Finland", "FIN", 2.41), ("Denmark", "DNK", 2.37),
    ("United Kingdom", "GBR", 2.33), ("Romania", "ROU", 2.25), ("North Macedonia", "MKD", 2.22),
    ("Norway", "NOR", 2.20), ("Bulgaria", "BGR", 2.18), ("Sweden", "SWE", 2.14), ("Germany", "DEU", 2.12),
    ("Hungary", "HUN", 2.11), ("Czechia", "CZE", 2.10), ("Türkiye", "TUR", 2.09), ("France", "FRA", 2.06),
    ("Netherlands", "NLD", 2.05), ("Albania", "ALB", 2.03), ("Montenegro", "MNE", 2.02), ("Slovakia", "SVK", 2.00),
    ("Croatia", "HRV", 1.81), ("Portugal", "PRT", 1.55), ("Italy", "ITA", 1.49), ("Canada", "CAN", 1.37),
    ("Belgium", "BEL", 1.30), ("Luxembourg", "LUX", 1.29), ("Slovenia", "SVN", 1.29), ("Spain", "ESP", 1.28),
)
#: The year of the GDP column the documented result uses.
GDP_YEAR = 2023
#: What the GDP column needs and why it is not shipped.
NEEDS = ("GDP in current US$ (World Bank WDI series NY.GDP.MKTP.CD) is not shipped: it is the World Bank's "
         "data, and the package ships no third-party data files. Download it from "
         "data.worldbank.org/indicator/NY.GDP.MKTP.CD (Download > CSV) or datahub.io core/gdp, and pass the file")
HYPOTHESIS = ("Olson, M. and Zeckhauser, R. (1966), 'An economic theory of alliances', Review of Economics and "
              "Statistics 48(3), 266-279: a positive rank correlation of size (GNP) and defence share of GNP "
              "among NATO allies (their test on 1964 data)")
SOURCES = {
    "defence_share_pct_2024": "NATO, June 2024 release: defence expenditure as % of GDP, 2024 estimates, via two "
                              "agreeing secondary sources (project reference sheet arms_and_alliances.md)",
    "gdp_2023_musd": "World Bank, World Development Indicators, NY.GDP.MKTP.CD (GDP, current US$), 2023, from "
                     "the file the user supplies",
}
CAVEAT = ("the defence shares are secondary-source transcriptions of NATO's 2024 estimates, not re-checked "
          "against NATO's tables; size is World Bank GDP for 2023 (current US$), a year earlier and from "
          "another source than the GDP behind the shares")
#: Permutations of the seeded permutation test.
PERMUTATIONS = 20_000
@dataclass(frozen=True)
class AllyRow:
    """One ally: name, ISO 3166 alpha-3 code, defence as % of GDP (2024), GDP in million current US$ (2023)."""

    country: str
    iso3: str
    defence_share_pct: float
    gdp_musd: float


def ally_rows(gdp: dict, *, source: str = "gdp", year: int = GDP_YEAR) -> list[AllyRow]:
    """Join the shipped defence shares (:data:`ALLIES`) to the user's GDP by ISO 3166 alpha-3 code.

    Parameters
    ----------
    gdp : dict
        ``{country code: GDP in current US$, or None if missing}``, as
        :func:`deterrence.io.worldbank.read_wb_indicator` reads it for *year*.
    source : str
        The file's name, for the messages.
    year : int
        The GDP's year, for the messages.

    Raises
    ------
    ModelError
        An ally's code is not in *gdp*, its value is missing, or it is not a positive finite number; the
        message names the file, the ally, its code and the year.
    """
    if not isinstance(gdp, dict):
        raise ModelError(f"{source}: expected {{country code: GDP}} as read_wb_indicator returns, got "
                         f"{type(gdp).__name__}")
    absent = [f"{c} ({code})" for c, code, _ in ALLIES if code not in gdp]
    if absent:
        raise ModelError(f"{source}: no row for {', '.join(absent)} in {year}; the file must carry every "
                         f"reporting ally's World Bank country code")
    rows = []
    for country, code, share in ALLIES:
        v = gdp[code]
        if v is None or not (isinstance(v, (int, float)) and math.isfinite(v) and v > 0):
            raise ModelError(f"{source}: {country} ({code}) {year}: GDP must be a positive number (current US$), "
                             f"got {v!r}")
        rows.append(AllyRow(country, code, share, float(v) / 1e6))
    return rows


def _ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n, ties given the average of the ranks they span."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    ranks = np.empty(len(x))
    i = 0
    while i < len(x):
        j = i
        while j + 1 < len(x) and xs[j + 1] == xs[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return ranks


def spearman(x, y) -> tuple[float, float, float]:
    """Spearman's rank correlation of *x* and *y* (average ranks for ties) with its two-sided and its one-sided
    (rho > 0) p-values by the Student-t approximation on n - 2 degrees of freedom."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.shape != y.shape or x.ndim != 1 or len(x) < 3:
        raise ModelError(f"spearman: needs two 1-d samples of equal length >= 3, got shapes {x.shape}, {y.shape}")
    rx, ry = _ranks(x), _ranks(y)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    den = math.sqrt(float((rx ** 2).sum() * (ry ** 2).sum()))
    if den == 0:
        raise ModelError("spearman: a sample is constant; the rank correlation is undefined")
    rho = float((rx * ry).sum() / den)
    n = len(x)
    if abs(rho) >= 1:
        return rho, 0.0, (0.0 if rho > 0 else 1.0)
    t = rho * math.sqrt((n - 2) / (1 - rho * rho))
    one = float(stdtr(n - 2, -t))                          # P(T >= t)
    two = float(2 * stdtr(n - 2, -abs(t)))
    return rho, two, one


@dataclass(frozen=True)
class ExploitationTest:
    """The exploitation test on one set of allies.

    Attributes
    ----------
    countries : tuple of str
    excluded : tuple of str
    n : int
    rho : float
        Spearman's rank correlation of GDP and defence share.
    p_two_sided, p_one_sided : float
        Student-t approximation; one-sided for rho > 0 (the hypothesis).
    p_permutation : float
        One-sided permutation p-value, P(rho* >= rho) over :data:`PERMUTATIONS` seeded shuffles of the
        shares (with the observed arrangement counted, so never 0).
    supported : bool
        rho > 0 with one-sided p below 0.05.
    """

    countries: tuple
    excluded: tuple
    n: int
    rho: float
    p_two_sided: float
    p_one_sided: float
    p_permutation: float
    supported: bool

    def summary(self) -> str:
        who = "all reporting allies" if not self.excluded else f"without {', '.join(self.excluded)}"
        verdict = "supported" if self.supported else "not supported"
        return (f"{who} (n = {self.n}): Spearman rho = {self.rho:+.3f}, p = {self.p_two_sided:.3f} (two-sided), "
                f"{self.p_one_sided:.3f} (one-sided, rho > 0), permutation {self.p_permutation:.3f}: the "
                f"exploitation hypothesis is {verdict} at the 5% level")


def exploitation_test(rows, *, exclude=(), seed: int = 0) -> ExploitationTest:
    """Spearman's rank correlation of size (GDP) and defence share of GDP, as Olson and Zeckhauser tested.

    Parameters
    ----------
    rows : list of AllyRow
        From :func:`ally_rows` (the shipped shares and the user's GDP), or any table of at least 3 allies.
    exclude : iterable of str
        Countries left out (``("United States",)``); each must be in the table.
    seed : int
        Seed of the permutation test.
    """
    rows = list(rows)
    exclude = tuple(exclude)
    names = {r.country for r in rows}
    unknown = [c for c in exclude if c not in names]
    if unknown:
        raise ModelError(f"exclude: {unknown} not in the table; countries are {sorted(names)}")
    kept = [r for r in rows if r.country not in exclude]
    gdp = np.array([r.gdp_musd for r in kept])
    share = np.array([r.defence_share_pct for r in kept])
    rho, two, one = spearman(gdp, share)
    rng = np.random.default_rng(seed)
    rx = _ranks(gdp)
    ry = _ranks(share)
    rx, ry = rx - rx.mean(), ry - ry.mean()
    den = math.sqrt(float((rx ** 2).sum() * (ry ** 2).sum()))
    perm = np.argsort(rng.random((PERMUTATIONS, len(kept))), axis=1)
    sims = (ry[perm] @ rx) / den
    p_perm = float((1 + np.count_nonzero(sims >= rho - 1e-12)) / (PERMUTATIONS + 1))
    return ExploitationTest(tuple(r.country for r in kept), exclude, len(kept), rho, two, one, p_perm,
                            bool(rho > 0 and one < 0.05))
