r"""NATO and the Warsaw Pact as a bloc Richardson race, 1955-1991, on the Correlates of War data.

Model
-----
Richardson's arms race between two blocs (*Arms and Insecurity*, 1960):
:math:`\dot x = k y - a x + g`, :math:`\dot y = l x - b y + h`, with
:math:`x` NATO's and :math:`y` the Warsaw Pact's military expenditure, each
the sum over the bloc's members in the year (allies' arms pooled, as in the
bloc form of :func:`deterrence.dynamics.bloc_system`).  The two equations are
fitted by least squares (:func:`deterrence.dynamics.fit_richardson`, yearly
changes on the mid-year levels), with standard errors; the fitted system's
equilibrium is stable iff :math:`kl < ab` with the theory's signs
(:math:`k, l \ge 0`, :math:`a, b > 0`), and in general iff both eigenvalues
of :math:`\begin{pmatrix} -a & k \\ l & -b \end{pmatrix}` are negative.

Data
----
* Military expenditure: ``milex`` of the Correlates of War National Material
  Capabilities data set, version 6.0 (Singer, Bremer and Stuckey 1972;
  Greig and Enterline 2021, NMC v6.0 codebook), thousands of *current* US
  dollars; ``-9`` is missing.  Transcribed for the members below, 1955-1991,
  from the abridged file ``NMC-60-abridged.csv`` (``version`` column 2021) as
  stored in the public repository ``jcook125/Slide-Deck-Rmd``, commit
  ``6792e68e``; shipped as ``deterrence/cases/data/cold_war_milex.csv``
  (888 rows, checked value by value against that file).
* Deflator: the US consumer price index for all urban consumers (CPI-U, US
  Bureau of Labor Statistics), FRED series ``CPIAUCSL``, quarterly averages
  as stored in the public repository ``kt1720/Phillips-curve-and-inflation``
  (``CPIAUCSL.csv``, commit ``6a78b48d``), shipped as
  ``deterrence/cases/data/us_cpi_quarterly.csv``; the yearly index is the mean
  of the four quarters (1955: 26.80, 1988: 118.28, the BLS annual averages).
  Constant dollars are 1988 dollars.  Deflating every member's dollar figure
  by the US index is a convention (the figures are already converted to
  dollars at each year's rate); it is stated, not hidden.
* Members (a state counts in a year if it was a member on any day of it):
  NATO's twelve founders (4 April 1949), Greece and Turkey (18 February
  1952), West Germany (6 May 1955), Spain (30 May 1982)
  (https://www.worldatlas.com/articles/nato-countries.html;
  https://www.jagranjosh.com/general-knowledge/list-of-nato-member-states-1643364720-1);
  united Germany continued West Germany's membership (NMC codes West Germany,
  ccode 260, to 1990 and Germany, 255, from 1990; the case takes 260 to 1990
  and 255 for 1991, never both).  The Warsaw Pact: the Soviet Union, Poland,
  Czechoslovakia, Hungary, Romania, Bulgaria, East Germany and Albania, from
  14 May 1955 to its dissolution on 1 July 1991; Albania withdrew in 1968 and
  East Germany in 1990 (http://piglix.com/piglix/The_Warsaw_Pact;
  https://www.blogen.wiki/blog/no/Warszawapakten gives Albania's withdrawal
  as 13 September 1968).
* Gaps: NMC has no East German figure for 1955, 1956 and 1990, so those Pact
  totals are incomplete and marked; the fit window starts in 1957, the first
  year with every member reported.  It ends in 1988: in 1989 the Soviet
  figure falls from 317.9 to 119.4 billion dollars, and the revolutions of
  1989 end the blocs as the model describes them.  The 1989-91 rows are
  shown, not fitted.

What the literature says (as found, quoted in substance)
--------------------------------------------------------
* "The Richardson model has been employed frequently in the study of arms
  races, but seldom with empirically satisfactory results"; in a majority of
  twelve proposed arms races the expenditures are independent, and where they
  are not the Richardson specification is not supported ("Arms Race
  Modeling", *Journal of Conflict Resolution* 25(2), 1981, 259-288,
  doi:10.1177/002200278102500203, abstract).
* Applied to real data the Richardson model has given disappointing results
  (Nikolaidou and Smith, "Arms race models and econometric applications",
  chapter abstract, citing Sandler and Hartley 1995, pp. 106-107).
* "The bulk of empirical mathematical arms race research suggests that the
  US and USSR were not so engaged" in an action-reaction race (Aboughoushe, *A
  micro approach to mathematical arms race analysis*, dissertation abstract).

What is stylized: a bloc is the sum of its members' dollar figures (no
weighing by reliability, no transfers inside a bloc); NMC's figures for the
Soviet Union and its allies are estimates converted to dollars, and the
Soviet series breaks in 1989 (a fall from 317.9 to 119.4 billion dollars
that the fit window leaves out); the deflator is the US
consumer price index for every member; the model is the linear Richardson
system in levels with constant coefficients over 32 years; the standard
errors are ordinary least squares on trending series, so they understate
the uncertainty.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..dynamics import fit_richardson
from ..errors import ModelError

__all__ = ["reproduce", "ColdWarReport", "MEMBERS", "SOURCE", "DEFLATOR_SOURCE", "MEMBERSHIP_SOURCE",
           "LITERATURE", "FIT_WINDOW", "BASE_YEAR", "YEARS", "DATA_FILE", "CPI_FILE", "read_milex",
           "read_cpi", "bloc_totals", "STYLIZED"]

_DATA = Path(__file__).resolve().parent / "data"
DATA_FILE = _DATA / "cold_war_milex.csv"
CPI_FILE = _DATA / "us_cpi_quarterly.csv"
#: The years the shipped data cover (the Warsaw Pact's lifetime).
YEARS = (1955, 1991)
#: The fitted years: every member reported (East Germany from 1957) to the last year before 1989.
FIT_WINDOW = (1957, 1988)
#: Constant dollars are dollars of this year.
BASE_YEAR = 1988

SOURCE = ("Correlates of War, National Material Capabilities v6.0 (Singer, Bremer and Stuckey 1972; Greig and "
          "Enterline 2021), milex in thousands of current US dollars; transcribed for the blocs' members, "
          "1955-1991, from NMC-60-abridged.csv as stored in github.com/jcook125/Slide-Deck-Rmd (commit 6792e68e)")
DEFLATOR_SOURCE = ("US CPI-U, all items (US Bureau of Labor Statistics), FRED series CPIAUCSL, quarterly averages "
                   "as stored in github.com/kt1720/Phillips-curve-and-inflation (CPIAUCSL.csv, commit 6a78b48d); "
                   "yearly index = mean of the four quarters; constant dollars of 1988")
MEMBERSHIP_SOURCE = ("NATO accessions: worldatlas.com/articles/nato-countries.html, jagranjosh.com (list of NATO "
                     "member states); Warsaw Pact 14 May 1955 - 1 July 1991, Albania out 1968, East Germany out "
                     "1990: piglix.com/piglix/The_Warsaw_Pact")

#: Bloc -> ((NMC state abbreviation, COW code, name, first year, last year), ...) within :data:`YEARS`.
MEMBERS = {
    "NATO": (
        ("USA", 2, "United States", 1955, 1991), ("CAN", 20, "Canada", 1955, 1991),
        ("UKG", 200, "United Kingdom", 1955, 1991), ("FRN", 220, "France", 1955, 1991),
        ("NTH", 210, "Netherlands", 1955, 1991), ("BEL", 211, "Belgium", 1955, 1991),
        ("LUX", 212, "Luxembourg", 1955, 1991), ("NOR", 385, "Norway", 1955, 1991),
        ("DEN", 390, "Denmark", 1955, 1991), ("ICE", 395, "Iceland", 1955, 1991),
        ("ITA", 325, "Italy", 1955, 1991), ("POR", 235, "Portugal", 1955, 1991),
        ("GRC", 350, "Greece", 1955, 1991), ("TUR", 640, "Turkey", 1955, 1991),
        ("GFR", 260, "West Germany", 1955, 1990), ("GMY", 255, "Germany (united)", 1991, 1991),
        ("SPN", 230, "Spain", 1982, 1991),
    ),
    "Warsaw Pact": (
        ("RUS", 365, "Soviet Union", 1955, 1991), ("POL", 290, "Poland", 1955, 1991),
        ("CZE", 315, "Czechoslovakia", 1955, 1991), ("HUN", 310, "Hungary", 1955, 1991),
        ("ROM", 360, "Romania", 1955, 1991), ("BUL", 355, "Bulgaria", 1955, 1991),
        ("GDR", 265, "East Germany", 1955, 1990), ("ALB", 339, "Albania", 1955, 1968),
    ),
}

LITERATURE = (
    {"source": "'Arms Race Modeling', Journal of Conflict Resolution 25(2), 1981, 259-288, "
               "doi:10.1177/002200278102500203 (abstract)",
     "finding": "the Richardson model has seldom given empirically satisfactory results; in most of twelve "
                "proposed arms races the expenditures are independent, and where they are not the Richardson "
                "specification is not supported"},
    {"source": "Nikolaidou and Smith, 'Arms race models and econometric applications' (chapter abstract, "
               "doi:10.4324/9780203477168-18), citing Sandler and Hartley (1995, pp. 106-107)",
     "finding": "applied to real data the Richardson model has given disappointing results"},
    {"source": "Aboughoushe, 'A micro approach to mathematical arms race analysis' (dissertation abstract, "
               "scholar.archive.org/work/hp4jq62sprgwtaxmr6z3e4jjii)",
     "finding": "most empirical arms-race research finds that the US and the USSR were not engaged in an "
                "action-reaction race; their acquisitions were driven mainly by domestic forces"},
)

STYLIZED = " ".join(__doc__.split("What is stylized: ")[1].split())
_COEFS = ("k", "a", "g", "l", "b", "h")


def read_milex(path=DATA_FILE) -> dict:
    """``{(stateabb, year): thousands of current US$ or None (missing, -9)}`` from an NMC-layout file.

    The file has the columns ``stateabb, ccode, year, milex`` (a subset of NMC's, in any order, more allowed).

    Raises
    ------
    ModelError
        A missing column, a row whose year or milex is not a whole number, a negative milex other than -9,
        or a state-year given twice; the message names the file, the row and the column.
    """
    out = {}
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("stateabb", "year", "milex") if c not in (reader.fieldnames or [])]
        if missing:
            raise ModelError(f"{path}: no column(s) {missing} (expected NMC's stateabb, year, milex)")
        for i, row in enumerate(reader, start=2):
            vals = {}
            for col in ("year", "milex"):
                try:
                    vals[col] = int(float(row[col]))
                except (TypeError, ValueError):
                    raise ModelError(f"{path}, row {i}, column {col}: {row[col]!r} is not a number") from None
            if vals["milex"] < 0 and vals["milex"] != -9:
                raise ModelError(f"{path}, row {i}, column milex: {vals['milex']} (allowed: >= 0, or -9 for "
                                 "missing)")
            key = (row["stateabb"].strip(), vals["year"])
            if key in out:
                raise ModelError(f"{path}, row {i}: {key[0]} {key[1]} given twice")
            out[key] = None if vals["milex"] == -9 else vals["milex"]
    return out


def read_cpi(path=CPI_FILE) -> dict:
    """``{year: mean of the year's four quarterly CPI values}`` from a FRED-layout file (``DATE, CPIAUCSL``).

    Years with fewer than four quarters are left out; a malformed row is a ModelError naming file and row."""
    q = {}
    with open(path, newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh), start=2):
            try:
                year, value = int(row["DATE"][:4]), float(row["CPIAUCSL"])
            except (KeyError, TypeError, ValueError):
                raise ModelError(f"{path}, row {i}: expected DATE (YYYY-MM-DD) and CPIAUCSL (a number)") from None
            if not value > 0:
                raise ModelError(f"{path}, row {i}, column CPIAUCSL: {value} (allowed: > 0)")
            q.setdefault(year, []).append(value)
    return {y: sum(v) / len(v) for y, v in q.items() if len(v) == 4}


def bloc_totals(milex: dict, years=range(YEARS[0], YEARS[1] + 1)) -> list:
    """Per year: each bloc's total (thousands of current US$), the members counted and the members missing."""
    rows = []
    for year in years:
        row = {"year": year}
        for bloc, members in MEMBERS.items():
            counted = [m for m in members if m[3] <= year <= m[4]]
            missing = [m[0] for m in counted if milex.get((m[0], year)) is None]
            row[bloc] = sum(milex[(m[0], year)] for m in counted if m[0] not in missing)
            row[f"{bloc} members"] = [m[0] for m in counted]
            row[f"{bloc} missing"] = missing
        rows.append(row)
    return rows


def _eigen(est: dict) -> list:
    M = np.array([[-est["a"], est["k"]], [est["l"], -est["b"]]])
    return sorted((complex(e) for e in np.linalg.eigvals(M)), key=lambda z: -z.real)


@dataclass(frozen=True)
class ColdWarReport:
    """The bloc totals, the Richardson fits in constant and current dollars, and their reading.

    Attributes
    ----------
    rows : list of dict
        Per year 1955-1991: ``NATO``, ``Warsaw Pact`` (billion current US$), the same in billion 1988 US$
        (``NATO constant``, ``Warsaw Pact constant``), ``complete`` (every member reported), ``fitted``.
    window : tuple of int
    constant, current : RichardsonFit
        The two equations fitted on the window, in 1988 dollars and in current dollars.
    eigenvalues : dict
        ``"constant"`` / ``"current"`` -> eigenvalues of the fitted system matrix.
    """

    rows: list
    window: tuple
    constant: object
    current: object
    eigenvalues: dict
    cpi: dict
    stylized: str
    provenance: dict

    def series(self, name: str, fitted_only: bool = False) -> np.ndarray:
        """A column of :attr:`rows` as an array (``"year"``, ``"NATO"``, ``"NATO constant"``, ...)."""
        return np.array([r[name] for r in self.rows if r["fitted"] or not fitted_only], dtype=float)

    def rose(self, bloc: str, constant: bool = True) -> bool:
        """Whether *bloc*'s total was higher in the window's last year than in its first."""
        v = self.series(f"{bloc} constant" if constant else bloc, fitted_only=True)
        return bool(v[-1] > v[0])

    def reading(self, which: str = "constant") -> dict:
        """Signs, significance and stability of one fit, in words and numbers."""
        f = getattr(self, which)
        e, se = f.estimates, f.standard_errors
        t = {n: e[n] / se[n] for n in _COEFS}
        eig = self.eigenvalues[which]
        return {"consistent": f.consistent, "stable_theory": f.stable,
                "kl": e["k"] * e["l"], "ab": e["a"] * e["b"], "kl_below_ab": e["k"] * e["l"] < e["a"] * e["b"],
                "largest_eigenvalue": eig[0].real, "system_stable": eig[0].real < 0,
                "t": t, "reaction_significant": {n: abs(t[n]) >= 2 for n in ("k", "l")},
                "wrong_signs": [n for n in ("k", "l") if e[n] < 0] + [n for n in ("a", "b") if e[n] <= 0],
                "r_squared": list(f.r_squared)}

    def summary(self) -> str:
        """The case as text: the totals, both fits with standard errors, the verdicts, the literature."""
        lo, hi = self.window
        out = ["NATO and the Warsaw Pact as a bloc Richardson race, 1955-1991",
               "Military expenditure, billion US dollars (NMC v6.0 milex); constant = 1988 dollars (US CPI-U)", "",
               f"{'year':>4}  {'NATO':>7}  {'Pact':>7}  {'NATO 1988$':>10}  {'Pact 1988$':>10}  note"]
        for r in self.rows:
            note = []
            if r["Warsaw Pact missing"]:
                note.append("Pact total lacks " + ", ".join(r["Warsaw Pact missing"]))
            note.append("fitted" if r["fitted"] else "")
            out.append(f"{r['year']:>4}  {r['NATO']:>7.1f}  {r['Warsaw Pact']:>7.1f}  {r['NATO constant']:>10.1f}"
                       f"  {r['Warsaw Pact constant']:>10.1f}  {'; '.join(n for n in note if n)}")
        out += [f"Data: {SOURCE}.", f"Deflator: {DEFLATOR_SOURCE}.", f"Members: {MEMBERSHIP_SOURCE}.", "",
                f"Least squares, {lo}-{hi} (yearly change on the mid-year levels), x = NATO, y = Warsaw Pact:",
                "  dx/dt = k*y - a*x + g,  dy/dt = l*x - b*y + h"]
        out.append(f"  {'dollars':<9}" + "".join(f"{n:>17}" for n in _COEFS) + f"{'R^2 (x, y)':>14}")
        for which, label in (("constant", "1988"), ("current", "current")):
            f = getattr(self, which)
            out.append(f"  {label:<9}" + "".join(
                f"{f.estimates[n]:>9.3f} {'(' + format(f.standard_errors[n], '.3f') + ')':>8}"
                for n in _COEFS) + f"{f.r_squared[0]:>7.2f},{f.r_squared[1]:.2f}")
        out.append("  (k, a, l, b per year; g, h billion dollars per year; standard errors in brackets, "
                   f"{self.constant.dof} residual degrees of freedom)")
        for which, label in (("constant", "In 1988 dollars"), ("current", "In current dollars")):
            r = self.reading(which)
            out.append(
                f"{label}: k*l = {r['kl']:.4f} {'<' if r['kl_below_ab'] else '>='} a*b = {r['ab']:.4f}; "
                + ("signs the theory allows" if r["consistent"] else
                   "signs the theory forbids (" + ", ".join(r["wrong_signs"]) + ")")
                + f"; largest eigenvalue of the fitted system {r['largest_eigenvalue']:+.3f}/year: "
                + ("a stable balance" if r["system_stable"] and r["consistent"] else
                   "stable, but not a Richardson balance" if r["system_stable"] else "unstable")
                + "; reaction coefficients k, l "
                + ("both significant" if all(r["reaction_significant"].values()) else
                   "not both significant (|t| < 2 for " + ", ".join(
                       n for n, s in r["reaction_significant"].items() if not s) + ")") + ".")
        out += ["", "The literature:"] + [f"  {d['finding']} [{d['source']}]" for d in LITERATURE]
        c = self.reading("constant")
        rose = [f"{b}'s spending {'rose' if self.rose(b) else 'did not rise'}" for b in MEMBERS]
        out += ["", f"Reading: from {lo} to {hi}, in 1988 dollars, " + " and ".join(rose) + "; the "
                    "yearly changes are not explained by the rival's level: " +
                    ("no reaction coefficient is significantly positive" if not any(
                        self.constant.estimates[n] / self.constant.standard_errors[n] >= 2 for n in ("k", "l"))
                     else "a reaction coefficient is significantly positive") +
                    f" in constant dollars (R^2 {c['r_squared'][0]:.2f} and {c['r_squared'][1]:.2f}), as the "
                    "literature finds for the superpower race.",
                "", f"What is stylized: {self.stylized}"]
        return "\n".join(out)

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        def rd(which):
            r = self.reading(which)
            return {**r, "t": {k: float(v) for k, v in r["t"].items()},
                    "eigenvalues": [[z.real, z.imag] for z in self.eigenvalues[which]]}
        return {"case": "cold_war_blocs",
                "title": "NATO and the Warsaw Pact as a bloc Richardson race, 1955-1991",
                "unit": "billion US dollars (current; constant = 1988 dollars deflated by the US CPI-U)",
                "source": SOURCE, "deflator": DEFLATOR_SOURCE, "membership_source": MEMBERSHIP_SOURCE,
                "members": {b: [{"stateabb": m[0], "ccode": m[1], "name": m[2], "first": m[3], "last": m[4]}
                                for m in ms] for b, ms in MEMBERS.items()},
                "window": list(self.window), "table": self.rows,
                "fit_constant": self.constant.to_dict(), "fit_current": self.current.to_dict(),
                "reading_constant": rd("constant"), "reading_current": rd("current"),
                "rose_in_window": {b: {"constant": self.rose(b), "current": self.rose(b, False)} for b in MEMBERS},
                "literature": list(LITERATURE), "stylized": self.stylized, "provenance": self.provenance}


def reproduce(window=FIT_WINDOW, *, version: str | None = None, data=DATA_FILE, cpi=CPI_FILE) -> ColdWarReport:
    """Bloc totals from the shipped NMC rows, deflated by the US CPI, and the Richardson fits on *window*.

    Parameters
    ----------
    window : (int, int)
        First and last fitted year, within 1955-1991, every member reported in each year, at least five years.
    version : str, optional
        The package version, recorded in the provenance.
    data, cpi : path
        The NMC-layout expenditure file and the FRED-layout CPI file (default: the shipped ones).
    """
    try:
        lo, hi = (int(v) for v in window)
    except (TypeError, ValueError):
        raise ModelError(f"window {window!r}: expected (first year, last year)") from None
    if not YEARS[0] <= lo < hi <= YEARS[1]:
        raise ModelError(f"window {lo}-{hi}: the years must increase within {YEARS[0]}-{YEARS[1]}")
    if hi - lo < 4:
        raise ModelError(f"window {lo}-{hi}: the fit needs at least 5 years (3 coefficients per equation)")
    milex, index = read_milex(data), read_cpi(cpi)
    gaps = [y for y in range(YEARS[0], YEARS[1] + 1) if y not in index]
    if gaps:
        raise ModelError(f"{cpi}: no complete year of CPI for {gaps[:5]} (needed {YEARS[0]}-{YEARS[1]})")
    rows = []
    for r in bloc_totals(milex):
        y = r["year"]
        factor = index[BASE_YEAR] / index[y]
        complete = not r["NATO missing"] and not r["Warsaw Pact missing"]
        if lo <= y <= hi and not complete:
            raise ModelError(f"window {lo}-{hi}: {y} lacks "
                             + ", ".join(r["NATO missing"] + r["Warsaw Pact missing"])
                             + f" in the data; every member must be reported in a fitted year (e.g. {FIT_WINDOW})")
        rows.append({"year": y, "NATO": r["NATO"] / 1e6, "Warsaw Pact": r["Warsaw Pact"] / 1e6,
                     "NATO constant": r["NATO"] / 1e6 * factor, "Warsaw Pact constant": r["Warsaw Pact"] / 1e6 * factor,
                     "cpi": index[y], "complete": complete, "fitted": lo <= y <= hi,
                     "NATO members": r["NATO members"], "Warsaw Pact members": r["Warsaw Pact members"],
                     "Warsaw Pact missing": r["Warsaw Pact missing"], "NATO missing": r["NATO missing"]})
    fit = [r for r in rows if r["fitted"]]
    years = [r["year"] for r in fit]
    constant = fit_richardson([r["NATO constant"] for r in fit], [r["Warsaw Pact constant"] for r in fit], years)
    current = fit_richardson([r["NATO"] for r in fit], [r["Warsaw Pact"] for r in fit], years)
    eig = {"constant": _eigen(constant.estimates), "current": _eigen(current.estimates)}
    prov = {"package_version": version, "data": str(Path(data).name), "cpi": str(Path(cpi).name),
            "source": SOURCE, "deflator": DEFLATOR_SOURCE}
    return ColdWarReport(rows, (lo, hi), constant, current, eig, {y: index[y] for y in years}, STYLIZED, prov)
