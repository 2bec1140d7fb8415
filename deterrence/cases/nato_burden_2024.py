r"""Olson and Zeckhauser's exploitation hypothesis on NATO in 2024: do the larger allies spend larger shares?

Hypothesis
----------
M. Olson and R. Zeckhauser (1966), "An economic theory of alliances", *Review of Economics and Statistics*
48(3), 266-279: in the Nash equilibrium of voluntary contributions to a common defence, the larger allies
carry a disproportionate share of the burden ("the exploitation of the great by the small"); their test
was a positive rank correlation between size (GNP) and defence spending as a share of GNP among NATO's
members in 1964.  The model of :mod:`deterrence.alliances.burden` predicts the same: burdens rise with
income among contributors, and the small free-ride.

Data (``data/nato_burden_2024.csv``, read by :func:`load_table`)
----------------------------------------------------------------
* Defence expenditure as a share of GDP, 2024 estimates of NATO's June 2024 release, for the 31 allies
  that report it (Iceland has no armed forces), as transcribed in the project's reference sheet from two
  agreeing **secondary** sources; not re-checked against NATO's own tables.
* GDP, current US$, 2023 (millions): World Bank, World Development Indicators, series NY.GDP.MKTP.CD, as
  redistributed by datahub.io ``core/gdp`` (snapshot of 2026-03-20; 2023 is its latest year).

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

import csv
import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.special import stdtr

from ..errors import ModelError

__all__ = ["DATA_FILE", "SOURCES", "CAVEAT", "HYPOTHESIS", "AllyRow", "load_table", "spearman",
           "ExploitationTest", "exploitation_test", "PERMUTATIONS"]

#: The shipped table.
DATA_FILE = Path(__file__).resolve().parent / "data" / "nato_burden_2024.csv"
HYPOTHESIS = ("Olson, M. and Zeckhauser, R. (1966), 'An economic theory of alliances', Review of Economics and "
              "Statistics 48(3), 266-279: a positive rank correlation of size (GNP) and defence share of GNP "
              "among NATO allies (their test on 1964 data)")
SOURCES = {
    "defence_share_pct_2024": "NATO, June 2024 release: defence expenditure as % of GDP, 2024 estimates, via two "
                              "agreeing secondary sources (project reference sheet arms_and_alliances.md)",
    "gdp_2023_musd": "World Bank, World Development Indicators, NY.GDP.MKTP.CD (GDP, current US$), 2023, via "
                     "datahub.io core/gdp (github.com/datasets/gdp, snapshot 2026-03-20)",
}
CAVEAT = ("the defence shares are secondary-source transcriptions of NATO's 2024 estimates, not re-checked "
          "against NATO's tables; size is World Bank GDP for 2023 (current US$), a year earlier and from "
          "another source than the GDP behind the shares")
#: Permutations of the seeded permutation test.
PERMUTATIONS = 20_000
_HEADER = ["country", "iso3", "defence_share_pct_2024", "gdp_2023_musd"]


@dataclass(frozen=True)
class AllyRow:
    """One ally: name, ISO 3166 alpha-3 code, defence as % of GDP (2024), GDP in million current US$ (2023)."""

    country: str
    iso3: str
    defence_share_pct: float
    gdp_musd: float


def load_table(path=DATA_FILE) -> list[AllyRow]:
    """Read the table (``#`` lines are comments); every problem raises :class:`ModelError` naming the file,
    the row (1-based, counting every line) and the column with its allowed range."""
    name = os.fspath(path)
    try:
        text = Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{name}: cannot read the table: {exc}") from None
    lines = [(i + 1, ln) for i, ln in enumerate(text.splitlines()) if ln.strip() and not ln.startswith("#")]
    if not lines:
        raise ModelError(f"{name}: no header and no rows")
    header_line, header = lines[0]
    if next(csv.reader([header])) != _HEADER:
        raise ModelError(f"{name}: line {header_line}: expected the header {','.join(_HEADER)}")
    rows, seen = [], set()
    for line, raw in lines[1:]:
        cells = next(csv.reader(io.StringIO(raw)))
        if len(cells) != len(_HEADER):
            raise ModelError(f"{name}: line {line}: expected {len(_HEADER)} columns ({','.join(_HEADER)}), "
                             f"got {len(cells)}")
        country, iso3 = cells[0].strip(), cells[1].strip()
        if not country or country in seen:
            raise ModelError(f"{name}: line {line}: country {country!r} is empty or listed twice")
        if len(iso3) != 3 or not iso3.isalpha() or not iso3.isupper():
            raise ModelError(f"{name}: line {line}: iso3 must be three capital letters, got {iso3!r}")
        vals = []
        for col, cell, lo, hi in ((2, cells[2], 0.0, 100.0), (3, cells[3], 0.0, math.inf)):
            try:
                x = float(cell)
            except ValueError:
                x = math.nan
            if not (math.isfinite(x) and lo < x < hi):
                rng = f"in ({lo:g}, {hi:g})" if math.isfinite(hi) else f"> {lo:g}"
                raise ModelError(f"{name}: line {line} ({country}): {_HEADER[col]} must be a number {rng}, "
                                 f"got {cell!r}")
            vals.append(x)
        seen.add(country)
        rows.append(AllyRow(country, iso3, vals[0], vals[1]))
    if len(rows) < 3:
        raise ModelError(f"{name}: a rank correlation needs at least 3 allies, got {len(rows)}")
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


def exploitation_test(rows=None, *, exclude=(), seed: int = 0) -> ExploitationTest:
    """Spearman's rank correlation of size (GDP) and defence share of GDP, as Olson and Zeckhauser tested.

    Parameters
    ----------
    rows : list of AllyRow, optional
        Default: the shipped table (:func:`load_table`).
    exclude : iterable of str
        Countries left out (``("United States",)``); each must be in the table.
    seed : int
        Seed of the permutation test.
    """
    rows = load_table() if rows is None else list(rows)
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
