r"""NATO and the Warsaw Pact as a bloc Richardson race: SIPRI's five-yearly series 1950-80 (shipped), NMC's annual one.

Model
-----
Richardson's arms race between two blocs (*Arms and Insecurity*, 1960):
:math:`\dot x = k y - a x + g`, :math:`\dot y = l x - b y + h`, with
:math:`x` NATO's and :math:`y` the Warsaw Pact's military expenditure, each
the sum over the bloc's members in the year (allies' arms pooled, as in the
bloc form of :func:`deterrence.dynamics.bloc_system`).  The two equations are
fitted by least squares (:func:`deterrence.dynamics.fit_richardson`), with
standard errors; the fitted system's equilibrium is stable iff :math:`kl < ab`
with the theory's signs (:math:`k, l \ge 0`, :math:`a, b > 0`), and in general
iff both eigenvalues of :math:`M = \begin{pmatrix} -a & k \\ l & -b \end{pmatrix}`
are negative.

The default: SIPRI's five-yearly table, shipped (:func:`reproduce_sipri`)
------------------------------------------------------------------------
:data:`SIPRI_TABLE` is a published table, carried over with its citation:
William H. McNeill, *The Pursuit of Power: Technology, Armed Force, and
Society since A.D. 1000* (University of Chicago Press, 1982), chapter 10,
p. 374, Table 3, "Military Expenditures at Constant Prices (In billions, 1978
dollars)", whose source is the Stockholm International Peace Research
Institute, *World Armaments and Disarmament: SIPRI Yearbook 1981*, Appendix
6A, p. 156.  Rows USA, NATO total, USSR, Warsaw Pact, uncommitted states and
world total for 1950, 1955, ..., 1980, in billion constant 1978 US dollars;
the rows NATO + Warsaw Pact + uncommitted add up to the world total in every
year (to the table's 0.1).  The table's 1950 "Warsaw Pact" figure predates
the Pact (signed 14 May 1955): it is SIPRI's figure for the states that later
formed it, not a treaty's; :func:`reproduce_sipri` with ``start=1955`` leaves
it out.

The fit is the discrete (difference) form of Richardson's model on the
table's 5-year steps, the form of :meth:`deterrence.dynamics.Richardson.iterate`:

.. math:: x_{t+5} - x_t = 5\,(k y_t - a x_t + g), \qquad y_{t+5} - y_t = 5\,(l x_t - b y_t + h),

each equation an ordinary least-squares regression of the change per year
(the 5-year change divided by 5) on the levels at the start of the step
(``fit_richardson(x, y, years, regressor="start")``).  So :math:`k, a, l, b`
are rates *per year* and :math:`g, h` billion 1978 dollars *per year*; the
coefficients per 5-year step are five times these.  Six steps for three
coefficients per equation leave three residual degrees of freedom: the
standard errors are large, and reported.  The discrete system converges iff
both :math:`|1 + 5\lambda|` are below 1 (:math:`\lambda` the eigenvalues of
:math:`M`), which the report gives beside the continuous verdict.

The annual alternative: the user's Correlates of War file (:func:`reproduce`)
-----------------------------------------------------------------------------
Data, supplied by the user (the package ships none of these), fitted on yearly changes against the
mid-year levels:

* Military expenditure: ``milex`` of the Correlates of War National Material
  Capabilities data set, version 6.0 (Singer, Bremer and Stuckey 1972;
  Greig and Enterline 2021, NMC v6.0 codebook), thousands of *current* US
  dollars; ``-9`` is missing.  The user downloads the abridged file
  ``NMC-60-abridged.csv`` from the publisher (correlatesofwar.org) and
  reads it with :func:`deterrence.io.nmc.read_nmc`; :func:`reproduce` takes
  the resulting ``{(stateabb, year): milex}`` mapping
  (``deterrence reproduce cold_war_blocs --nmc PATH``).
* Deflator (optional): the US consumer price index for all urban consumers
  (CPI-U, US Bureau of Labor Statistics), FRED series ``CPIAUCSL`` as FRED
  serves it (``DATE,CPIAUCSL``, monthly or quarterly), read by
  :func:`deterrence.io.fred.read_fred_annual`; the yearly index is the mean
  of the year's observations.  Constant dollars are 1988 dollars.  Deflating
  every member's dollar figure by the US index is a convention (the figures
  are already converted to dollars at each year's rate); it is stated, not
  hidden.  Without a deflator the fit is on current dollars only, and the
  report says so.
* Members (a state counts in a year if it was a member on any day of it):
  NATO's twelve founders (4 April 1949), Greece and Turkey (18 February
  1952), West Germany (6 May 1955), Spain (30 May 1982)
  (CNN, "NATO Fast Facts", edition.cnn.com/2013/07/30/world/nato-fast-facts/,
  accession years; https://www.worldatlas.com/articles/nato-countries.html;
  https://www.jagranjosh.com/general-knowledge/list-of-nato-member-states-1643364720-1);
  united Germany continued West Germany's membership (NMC codes West Germany,
  ccode 260, to 1990 and Germany, 255, from 1990; the case takes 260 to 1990
  and 255 for 1991, never both).  The Warsaw Pact: the Soviet Union, Poland,
  Czechoslovakia, Hungary, Romania, Bulgaria, East Germany and Albania, from
  14 May 1955 to its dissolution on 1 July 1991; Albania withdrew in 1968 and
  East Germany in 1990 (http://piglix.com/piglix/The_Warsaw_Pact;
  https://www.blogen.wiki/blog/no/Warszawapakten gives Albania's withdrawal
  as 13 September 1968).
* Gaps: NMC v6.0 has no East German figure for 1955, 1956 and 1990, so those
  Pact totals are incomplete and marked; the default fit window starts in
  1957, the first year with every member reported (a fitted year with a
  member missing is refused, naming the member).  It ends in 1988: in 1989 the Soviet
  figure falls from 317.9 to 119.4 billion dollars (NMC v6.0), and the revolutions of
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

What is stylized: for the SIPRI default, five-yearly points (the steps skip every year between, and the
1950-55 step is the Korean War rearmament), a bloc's total as SIPRI estimated it (Soviet and East European
spending are SIPRI's estimates converted to dollars), the 1950 Pact figure before the Pact, linear Richardson
equations with constant coefficients over thirty years, and standard errors from few residual degrees of
freedom (three from 1950) on trending series.  For the NMC alternative: a bloc is the sum of its members' dollar figures (no
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

from dataclasses import dataclass

import numpy as np

from ..dynamics import fit_richardson
from ..errors import ModelError

__all__ = ["reproduce_sipri", "SipriReport", "sipri_facts", "SIPRI_TABLE", "SIPRI_YEARS", "SIPRI_SOURCE", "SIPRI_STEP",
           "SIPRI_STYLIZED", "SIPRI_PACT_NOTE", "reproduce", "ColdWarReport", "MEMBERS", "SOURCE", "DEFLATOR_SOURCE", "MEMBERSHIP_SOURCE",
           "LITERATURE", "FIT_WINDOW", "BASE_YEAR", "YEARS", "NEEDS", "bloc_totals", "STYLIZED"]

#: The years of the case (the Warsaw Pact's lifetime).
YEARS = (1955, 1991)
#: The fitted years: every member reported (East Germany from 1957) to the last year before 1989.
FIT_WINDOW = (1957, 1988)
#: Constant dollars are dollars of this year.
BASE_YEAR = 1988

SOURCE = ("Correlates of War, National Material Capabilities v6.0 (Singer, Bremer and Stuckey 1972; Greig and "
          "Enterline 2021), milex in thousands of current US dollars, as supplied by the user (the package ships "
          "no NMC data; the publisher distributes it at correlatesofwar.org)")
DEFLATOR_SOURCE = ("US CPI-U, all items (US Bureau of Labor Statistics), FRED series CPIAUCSL, as supplied by the "
                   "user; yearly index = mean of the year's observations; constant dollars of 1988")
MEMBERSHIP_SOURCE = ("NATO accessions: CNN, 'NATO Fast Facts' (edition.cnn.com/2013/07/30/world/nato-fast-facts/), "
                     "worldatlas.com/articles/nato-countries.html; Warsaw Pact 14 May 1955 - 1 July 1991, Albania "
                     "out 1968, East Germany out 1990: piglix.com/piglix/The_Warsaw_Pact")
#: What the case needs and where to get it (the package does not ship the data).
NEEDS = ("the Correlates of War National Material Capabilities file, v6.0 abridged (NMC-60-abridged.csv), "
         "distributed by the Correlates of War project at correlatesofwar.org; the package does not ship it")

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

_STYLIZED_TEXT = " ".join(__doc__.split("What is stylized: ")[1].split())
#: What is stylized in the NMC (annual) alternative.
STYLIZED = _STYLIZED_TEXT.split("For the NMC alternative: ")[1]
#: What is stylized in the SIPRI (five-yearly) default.
SIPRI_STYLIZED = _STYLIZED_TEXT.split("for the SIPRI default, ")[1].split(" For the NMC alternative")[0]
_COEFS = ("k", "a", "g", "l", "b", "h")


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
    """The bloc totals, the Richardson fits in current (and, with a deflator, constant) dollars, and their reading.

    Attributes
    ----------
    rows : list of dict
        Per year 1955-1991: ``NATO``, ``Warsaw Pact`` (billion current US$), the same in billion 1988 US$
        (``NATO constant``, ``Warsaw Pact constant``; None without a deflator), ``complete`` (every member
        reported), ``fitted``.
    window : tuple of int
    constant : RichardsonFit or None
        The two equations fitted on the window in 1988 dollars; None when no deflator was supplied.
    current : RichardsonFit
        The same in current dollars.
    eigenvalues : dict
        ``"constant"`` (if fitted) / ``"current"`` -> eigenvalues of the fitted system matrix.
    cpi : dict or None
        The deflator's yearly index over the window, or None.
    """

    rows: list
    window: tuple
    constant: object
    current: object
    eigenvalues: dict
    cpi: dict | None
    stylized: str
    provenance: dict

    @property
    def deflated(self) -> bool:
        """Whether a deflator was supplied (so that the constant-dollar fit exists)."""
        return self.constant is not None

    @property
    def primary(self) -> str:
        """The fit the reading rests on: ``"constant"`` with a deflator, else ``"current"``."""
        return "constant" if self.deflated else "current"

    def series(self, name: str, fitted_only: bool = False) -> np.ndarray:
        """A column of :attr:`rows` as an array (``"year"``, ``"NATO"``, ``"NATO constant"``, ...)."""
        if name.endswith(" constant") and not self.deflated:
            raise ModelError(f"{name!r}: no deflator was supplied (cpi=None), so there are no constant dollars")
        return np.array([r[name] for r in self.rows if r["fitted"] or not fitted_only], dtype=float)

    def rose(self, bloc: str, constant: bool | None = None) -> bool:
        """Whether *bloc*'s total was higher in the window's last year than in its first (default: in constant
        dollars if a deflator was supplied, else current)."""
        constant = self.deflated if constant is None else constant
        v = self.series(f"{bloc} constant" if constant else bloc, fitted_only=True)
        return bool(v[-1] > v[0])

    def reading(self, which: str | None = None) -> dict:
        """Signs, significance and stability of one fit (default :attr:`primary`), in words and numbers."""
        which = self.primary if which is None else which
        if which not in ("constant", "current"):
            raise ModelError(f"reading {which!r}: 'constant' or 'current'")
        f = getattr(self, which)
        if f is None:
            raise ModelError("reading 'constant': no deflator was supplied (cpi=None); only 'current' is fitted")
        e, se = f.estimates, f.standard_errors
        t = {n: e[n] / se[n] for n in _COEFS}
        eig = self.eigenvalues[which]
        return {"consistent": f.consistent, "stable_theory": f.stable,
                "kl": e["k"] * e["l"], "ab": e["a"] * e["b"], "kl_below_ab": e["k"] * e["l"] < e["a"] * e["b"],
                "largest_eigenvalue": eig[0].real, "system_stable": eig[0].real < 0,
                "t": t, "reaction_significant": {n: abs(t[n]) >= 2 for n in ("k", "l")},
                "wrong_signs": [n for n in ("k", "l") if e[n] < 0] + [n for n in ("a", "b") if e[n] <= 0],
                "r_squared": list(f.r_squared)}

    def _fits(self):
        return [(w, lab) for w, lab in (("constant", "1988"), ("current", "current")) if getattr(self, w)]

    def summary(self) -> str:
        """The case as text: the totals, the fits with standard errors, the verdicts, the literature."""
        lo, hi = self.window
        d = self.deflated
        out = ["NATO and the Warsaw Pact as a bloc Richardson race, 1955-1991",
               "Military expenditure, billion US dollars (NMC milex); "
               + ("constant = 1988 dollars (US CPI-U)" if d else
                  "CURRENT dollars only: no deflator supplied (--cpi), so inflation is in the fit"), "",
               f"{'year':>4}  {'NATO':>7}  {'Pact':>7}" + (f"  {'NATO 1988$':>10}  {'Pact 1988$':>10}" if d else "")
               + "  note"]
        for r in self.rows:
            note = []
            if r["Warsaw Pact missing"] or r["NATO missing"]:
                note.append("total lacks " + ", ".join(r["NATO missing"] + r["Warsaw Pact missing"]))
            note.append("fitted" if r["fitted"] else "")
            out.append(f"{r['year']:>4}  {r['NATO']:>7.1f}  {r['Warsaw Pact']:>7.1f}"
                       + (f"  {r['NATO constant']:>10.1f}  {r['Warsaw Pact constant']:>10.1f}" if d else "")
                       + f"  {'; '.join(n for n in note if n)}")
        out += [f"Data: {SOURCE}.", f"Deflator: {DEFLATOR_SOURCE if d else 'none supplied'}.",
                f"Members: {MEMBERSHIP_SOURCE}.", "",
                f"Least squares, {lo}-{hi} (yearly change on the mid-year levels), x = NATO, y = Warsaw Pact:",
                "  dx/dt = k*y - a*x + g,  dy/dt = l*x - b*y + h"]
        out.append(f"  {'dollars':<9}" + "".join(f"{n:>17}" for n in _COEFS) + f"{'R^2 (x, y)':>14}")
        for which, label in self._fits():
            f = getattr(self, which)
            out.append(f"  {label:<9}" + "".join(
                f"{f.estimates[n]:>9.3f} {'(' + format(f.standard_errors[n], '.3f') + ')':>8}"
                for n in _COEFS) + f"{f.r_squared[0]:>7.2f},{f.r_squared[1]:.2f}")
        out.append("  (k, a, l, b per year; g, h billion dollars per year; standard errors in brackets, "
                   f"{self.current.dof} residual degrees of freedom)")
        for which, label in self._fits():
            r = self.reading(which)
            label = "In 1988 dollars" if which == "constant" else "In current dollars"
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
        out += ["", "The literature:"] + [f"  {d_['finding']} [{d_['source']}]" for d_ in LITERATURE]
        c = self.reading()
        f = getattr(self, self.primary)
        dollars = "1988 dollars" if d else "current dollars (no deflator)"
        rose = [f"{b}'s spending {'rose' if self.rose(b) else 'did not rise'}" for b in MEMBERS]
        positive = any(f.estimates[n] / f.standard_errors[n] >= 2 for n in ("k", "l"))
        out += ["", f"Reading: from {lo} to {hi}, in {dollars}, " + " and ".join(rose) + "; "
                + ("a reaction coefficient is significantly positive" if positive else
                   "no reaction coefficient is significantly positive")
                + f" (R^2 {c['r_squared'][0]:.2f} and {c['r_squared'][1]:.2f})"
                + ("; the literature finds the superpower action-reaction evidence weak." if not positive else
                   "; the literature finds the superpower action-reaction evidence weak, so read this with the "
                   "caveats below.")]
        if not d:
            out.append("Current dollars carry inflation, which trends both series together; supply the US CPI "
                       "(--cpi, FRED CPIAUCSL) for the constant-dollar fit the documented result uses.")
        out += ["", f"What is stylized: {self.stylized}"]
        return "\n".join(out)

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        def rd(which):
            if getattr(self, which) is None:
                return None
            r = self.reading(which)
            return {**r, "t": {k: float(v) for k, v in r["t"].items()},
                    "eigenvalues": [[z.real, z.imag] for z in self.eigenvalues[which]]}
        return {"case": "cold_war_blocs",
                "title": "NATO and the Warsaw Pact as a bloc Richardson race, 1955-1991",
                "unit": ("billion US dollars (current; constant = 1988 dollars deflated by the US CPI-U)"
                         if self.deflated else "billion current US dollars (no deflator supplied)"),
                "source": SOURCE, "deflator": DEFLATOR_SOURCE if self.deflated else None,
                "membership_source": MEMBERSHIP_SOURCE,
                "members": {b: [{"stateabb": m[0], "ccode": m[1], "name": m[2], "first": m[3], "last": m[4]}
                                for m in ms] for b, ms in MEMBERS.items()},
                "window": list(self.window), "table": self.rows,
                "fit_constant": self.constant.to_dict() if self.deflated else None,
                "fit_current": self.current.to_dict(),
                "reading_constant": rd("constant"), "reading_current": rd("current"),
                "rose_in_window": {b: {"constant": self.rose(b, True) if self.deflated else None,
                                       "current": self.rose(b, False)} for b in MEMBERS},
                "literature": list(LITERATURE), "stylized": self.stylized, "provenance": self.provenance}


def reproduce(milex: dict, window=FIT_WINDOW, *, cpi: dict | None = None, version: str | None = None,
              data: str | None = None, cpi_file: str | None = None) -> ColdWarReport:
    """Bloc totals from the user's NMC milex, deflated by the US CPI if given, and the Richardson fits on *window*.

    Parameters
    ----------
    milex : dict
        ``{(stateabb, year): thousands of current US$, or None if missing}``, as
        :func:`deterrence.io.nmc.read_nmc` reads it from the NMC file; every member must be there in every
        fitted year.
    window : (int, int)
        First and last fitted year, within 1955-1991, every member reported in each year, at least five years.
    cpi : dict, optional
        ``{year: price index}`` covering 1955-1991 (as :func:`deterrence.io.fred.read_fred_annual` reads FRED's
        CPIAUCSL); without it only the current-dollar fit is made, and the report says so.
    version : str, optional
        The package version, recorded in the provenance.
    data, cpi_file : str, optional
        The files' names, recorded in the provenance.
    """
    try:
        lo, hi = (int(v) for v in window)
    except (TypeError, ValueError):
        raise ModelError(f"window {window!r}: expected (first year, last year)") from None
    if not YEARS[0] <= lo < hi <= YEARS[1]:
        raise ModelError(f"window {lo}-{hi}: the years must increase within {YEARS[0]}-{YEARS[1]}")
    if hi - lo < 4:
        raise ModelError(f"window {lo}-{hi}: the fit needs at least 5 years (3 coefficients per equation)")
    if not isinstance(milex, dict):
        raise ModelError(f"milex: expected {{(stateabb, year): value}} as read_nmc returns, got "
                         f"{type(milex).__name__}")
    if cpi is not None:
        gaps = [y for y in range(YEARS[0], YEARS[1] + 1) if not (isinstance(cpi.get(y), (int, float))
                                                                  and cpi[y] > 0)]
        if gaps:
            raise ModelError(f"{cpi_file or 'cpi'}: no complete year of the price index for {gaps[:5]}"
                             f"{' ...' if len(gaps) > 5 else ''} (needed {YEARS[0]}-{YEARS[1]})")
    rows = []
    for r in bloc_totals(milex):
        y = r["year"]
        factor = cpi[BASE_YEAR] / cpi[y] if cpi is not None else None
        complete = not r["NATO missing"] and not r["Warsaw Pact missing"]
        if lo <= y <= hi and not complete:
            raise ModelError(f"{data or 'milex'}: window {lo}-{hi}: {y} lacks "
                             + ", ".join(r["NATO missing"] + r["Warsaw Pact missing"])
                             + " (missing, -9, or no row); every member must be reported in a fitted year (the "
                             f"default window {FIT_WINDOW[0]}-{FIT_WINDOW[1]} suits NMC v6.0)")
        nato, pact = r["NATO"] / 1e6, r["Warsaw Pact"] / 1e6
        rows.append({"year": y, "NATO": nato, "Warsaw Pact": pact,
                     "NATO constant": nato * factor if factor else None,
                     "Warsaw Pact constant": pact * factor if factor else None,
                     "cpi": cpi[y] if cpi is not None else None, "complete": complete, "fitted": lo <= y <= hi,
                     "NATO members": r["NATO members"], "Warsaw Pact members": r["Warsaw Pact members"],
                     "Warsaw Pact missing": r["Warsaw Pact missing"], "NATO missing": r["NATO missing"]})
    fit = [r for r in rows if r["fitted"]]
    years = [r["year"] for r in fit]
    current = fit_richardson([r["NATO"] for r in fit], [r["Warsaw Pact"] for r in fit], years)
    eig = {"current": _eigen(current.estimates)}
    constant = None
    if cpi is not None:
        constant = fit_richardson([r["NATO constant"] for r in fit], [r["Warsaw Pact constant"] for r in fit],
                                  years)
        eig["constant"] = _eigen(constant.estimates)
    prov = {"package_version": version, "data": data, "cpi": cpi_file, "source": SOURCE,
            "deflator": DEFLATOR_SOURCE if cpi is not None else None}
    return ColdWarReport(rows, (lo, hi), constant, current, eig,
                         {y: cpi[y] for y in years} if cpi is not None else None, STYLIZED, prov)


# ---------------------------------------------------------------------------------------------------------
# The shipped default: SIPRI's five-yearly table (McNeill 1982, Table 3, from the SIPRI Yearbook 1981)
# ---------------------------------------------------------------------------------------------------------

#: The table's years: every fifth year, 1950-1980.
SIPRI_YEARS = (1950, 1955, 1960, 1965, 1970, 1975, 1980)
#: Years between the table's columns: the length of one step of the discrete fit.
SIPRI_STEP = 5
#: Row -> military expenditure in billion constant 1978 US dollars, one value per year of :data:`SIPRI_YEARS`.
#: McNeill (1982), *The Pursuit of Power*, ch. 10, p. 374, Table 3, from the SIPRI Yearbook 1981, App. 6A, p. 156.
SIPRI_TABLE = {
    "USA": (39.5, 98.2, 100.0, 107.2, 130.9, 101.2, 111.2),
    "NATO": (67.3, 142.6, 150.3, 168.1, 194.0, 184.9, 193.9),
    "USSR": (37.7, 51.2, 48.0, 65.9, 92.5, 99.8, 107.3),
    "Warsaw Pact": (40.7, 54.2, 51.3, 71.3, 100.8, 110.3, 119.5),
    "Uncommitted states": (25.7, 29.6, 34.6, 57.9, 85.7, 123.7, 141.9),
    "World": (133.7, 226.4, 236.2, 297.3, 380.5, 418.9, 455.3),
}
SIPRI_SOURCE = ("William H. McNeill, The Pursuit of Power: Technology, Armed Force, and Society since A.D. 1000 "
                "(University of Chicago Press, 1982), ch. 10, p. 374, Table 3 'Military Expenditures at Constant "
                "Prices (In billions, 1978 dollars)', from Stockholm International Peace Research Institute, World "
                "Armaments and Disarmament: SIPRI Yearbook 1981, Appendix 6A, p. 156")
SIPRI_PACT_NOTE = ("the Warsaw Pact was signed on 14 May 1955: the table's 1950 'Warsaw Pact' figure is SIPRI's "
                   "for the states that later formed it, before the treaty")
#: The rows NATO + Warsaw Pact + uncommitted equal the world total to within this (three rounded summands).
SIPRI_ROUNDING = 0.15
_BLOCS = ("NATO", "Warsaw Pact")


def _margin(fit) -> tuple:
    """``a*b - k*l`` of a fit and its standard error by the delta method (joint covariance of both equations)."""
    e = fit.estimates
    grad = np.array([-e["l"], e["b"], 0.0, -e["k"], e["a"], 0.0])      # order k, a, g, l, b, h
    return e["a"] * e["b"] - e["k"] * e["l"], float(np.sqrt(grad @ fit.covariance @ grad))


@dataclass(frozen=True)
class SipriReport:
    """The shipped default: the SIPRI five-yearly table, the discrete Richardson fit, its verdict and the facts.

    Attributes
    ----------
    years : tuple of int
        The fitted years (1950-1980, or 1955-1980 with ``start=1955``).
    table : dict
        :data:`SIPRI_TABLE` (all seven years), billion constant 1978 US dollars.
    fit : RichardsonFit
        Per-year coefficients of the difference form on the :data:`SIPRI_STEP`-year steps (start-of-step levels).
    eigenvalues : list of complex
        Of the fitted :math:`M` (per year), largest real part first.
    step_factors : list of float
        :math:`|1 + 5\\lambda|` for each eigenvalue: the discrete system converges iff both are below 1.
    margin, margin_se : float
        :math:`ab - kl` and its delta-method standard error.
    facts : dict
        The documented facts computed from the table (growth, NATO above the Pact, the USA's share, the sums).
    """

    years: tuple
    table: dict
    fit: object
    eigenvalues: list
    step_factors: list
    margin: float
    margin_se: float
    facts: dict
    stylized: str
    provenance: dict

    @property
    def step(self) -> int:
        """Years per step of the fit."""
        return SIPRI_STEP

    @property
    def table_years(self) -> tuple:
        """All the table's years (:data:`SIPRI_YEARS`), fitted or not."""
        return SIPRI_YEARS

    def series(self, row: str, fitted_only: bool = True) -> np.ndarray:
        """A row of the table (``"NATO"``, ``"Warsaw Pact"``, ``"USA"``, ...) over the fitted years (or all seven)."""
        if row not in self.table:
            raise ModelError(f"row {row!r}: the SIPRI table has {list(self.table)}")
        return np.array([v for y, v in zip(SIPRI_YEARS, self.table[row]) if y in self.years or not fitted_only])

    def verdict(self) -> dict:
        """The stability reading: signs, k*l against a*b, eigenvalues, the discrete step, significance."""
        e, se = self.fit.estimates, self.fit.standard_errors
        t = {n: e[n] / se[n] for n in _COEFS}
        return {"consistent": self.fit.consistent, "kl": e["k"] * e["l"], "ab": e["a"] * e["b"],
                "kl_below_ab": e["k"] * e["l"] < e["a"] * e["b"], "margin": self.margin,
                "margin_se": self.margin_se, "margin_significant": abs(self.margin) >= 2 * self.margin_se,
                "largest_eigenvalue": self.eigenvalues[0].real,
                "continuous_stable": self.eigenvalues[0].real < 0,
                "discrete_stable": max(self.step_factors) < 1,
                "stable_balance": bool(self.fit.consistent and self.eigenvalues[0].real < 0),
                "t": t, "reaction_significant": {n: abs(t[n]) >= 2 for n in ("k", "l")},
                "wrong_signs": [n for n in ("k", "l") if e[n] < 0] + [n for n in ("a", "b") if e[n] <= 0],
                "r_squared": list(self.fit.r_squared), "dof": self.fit.dof}

    def trajectory(self, steps: int | None = None) -> tuple:
        """The fitted difference equations iterated from the first fitted year's levels, one point per step."""
        n = len(self.years) - 1 if steps is None else int(steps)
        e = self.fit.estimates
        x, y = [float(self.series("NATO")[0])], [float(self.series("Warsaw Pact")[0])]
        for _ in range(n):
            x0, y0 = x[-1], y[-1]
            x.append(x0 + SIPRI_STEP * (e["k"] * y0 - e["a"] * x0 + e["g"]))
            y.append(y0 + SIPRI_STEP * (e["l"] * x0 - e["b"] * y0 + e["h"]))
        return np.array(x), np.array(y)

    def summary(self) -> str:
        """The case as text: the table, the fit with standard errors, the verdict, the facts, the literature."""
        f, v, fa = self.fit, self.verdict(), self.facts
        e, se = f.estimates, f.standard_errors
        lo, hi = self.years[0], self.years[-1]
        out = [f"NATO and the Warsaw Pact as a bloc Richardson race, {lo}-{hi}, on SIPRI's five-yearly series",
               "Military expenditure, billion constant 1978 US dollars", "",
               f"{'':<19}" + "".join(f"{y:>7}" for y in SIPRI_YEARS)]
        for row, vals in self.table.items():
            out.append(f"{row:<19}" + "".join(f"{val:>7.1f}" for val in vals))
        out += [f"Source: {SIPRI_SOURCE}.", f"Note: {SIPRI_PACT_NOTE}"
                + ("." if lo == 1950 else "; this fit starts in 1955, without it."), "",
                f"Difference form on {SIPRI_STEP}-year steps, least squares on the start-of-step levels, "
                "x = NATO, y = Warsaw Pact:",
                f"  (x[t+{SIPRI_STEP}] - x[t]) / {SIPRI_STEP} = k*y[t] - a*x[t] + g,  "
                f"(y[t+{SIPRI_STEP}] - y[t]) / {SIPRI_STEP} = l*x[t] - b*y[t] + h",
                "  " + "   ".join(f"{n} = {e[n]:.4f} ({se[n]:.4f})" for n in ("k", "a", "l", "b")),
                f"  g = {e['g']:.2f} ({se['g']:.2f}), h = {e['h']:.2f} ({se['h']:.2f}) billion 1978 dollars a year; "
                f"R^2 {f.r_squared[0]:.2f} (NATO), {f.r_squared[1]:.2f} (Pact)",
                f"  k, a, l, b per year (per {SIPRI_STEP}-year step: x{SIPRI_STEP}, e.g. "
                f"k = {SIPRI_STEP * e['k']:.3f}, a = {SIPRI_STEP * e['a']:.3f}); standard errors in brackets, "
                f"{f.dof} residual degrees of freedom per equation ({len(self.years) - 1} steps, 3 coefficients): "
                "rough guides, not tests"]
        ev = ", ".join(f"{z.real:+.4f}" + (f"{z.imag:+.4f}i" if z.imag else "") for z in self.eigenvalues)
        out.append(
            f"Verdict: k*l = {v['kl']:.5f} {'<' if v['kl_below_ab'] else '>='} a*b = {v['ab']:.5f} "
            f"(margin a*b - k*l = {v['margin']:.5f}, standard error {v['margin_se']:.5f}); "
            + ("signs the theory allows" if v["consistent"] else
               "signs the theory forbids (" + ", ".join(v["wrong_signs"]) + ")")
            + f"; eigenvalues {ev} per year, |1 + {SIPRI_STEP}*lambda| = "
            + ", ".join(f"{q:.3f}" for q in self.step_factors) + ": "
            + ("a stable balance" if v["stable_balance"] else
               "stable, but not a Richardson balance" if v["continuous_stable"] else "unstable")
            + (f" (fitted equilibrium NATO {f.equilibrium[0]:.0f} ({f.equilibrium_se[0]:.0f}), Pact "
               f"{f.equilibrium[1]:.0f} ({f.equilibrium_se[1]:.0f}))" if v["continuous_stable"] else "")
            + ("; the margin is within two standard errors of zero" if not v["margin_significant"] else "")
            + "; reaction coefficients "
            + ("both significant" if all(v["reaction_significant"].values()) else
               "not both significant (|t| < 2 for " + ", ".join(
                   n for n, s_ in v["reaction_significant"].items() if not s_) + ")") + ".")
        share = ", ".join(f"{y} {100 * s_:.0f}%" for y, s_ in fa["usa_share_of_nato"].items())
        out += ["", "Facts from the table:",
                f"  real spending 1950-1980: NATO x{fa['growth']['NATO']:.2f}, Warsaw Pact "
                f"x{fa['growth']['Warsaw Pact']:.2f} (about threefold for both); "
                f"{100 * fa['korea_share']:.0f}% of NATO's rise came in 1950-55 (the Korean War rearmament)",
                "  NATO spent more than the Warsaw Pact in "
                + ("every year of the table" if fa["nato_above_every_year"] else "NOT every year of the table"),
                f"  the USA's share of NATO's total: {share}",
                "  NATO + Warsaw Pact + uncommitted = world total in every year, to within "
                f"{max(abs(r) for r in fa['sum_residuals'].values()):.2f}"]
        out += ["", "The literature:"] + [f"  {d_['finding']} [{d_['source']}]" for d_ in LITERATURE]
        out += ["", f"Reading: both blocs' real spending rose about threefold from 1950 to 1980; "
                + ("no reaction coefficient is significantly positive" if not any(
                    v["t"][n] >= 2 for n in ("k", "l")) else "a reaction coefficient is significantly positive")
                + f" on {f.dof} residual degrees of freedom, so {len(self.years) - 1} five-year steps cannot show "
                "an action-reaction race, which is consistent with the literature; the stability verdict rests on "
                "point estimates"
                + (", and the margin a*b - k*l is within two standard errors of zero." if not v["margin_significant"]
                   else ".")]
        out += ["", f"What is stylized: {self.stylized}"]
        return "\n".join(out)

    def to_dict(self) -> dict:
        """Plain data for JSON."""
        v = self.verdict()
        return {"case": "cold_war_blocs", "data": "sipri",
                "title": "NATO and the Warsaw Pact as a bloc Richardson race, SIPRI five-yearly series",
                "unit": "billion constant 1978 US dollars", "source": SIPRI_SOURCE, "pact_note": SIPRI_PACT_NOTE,
                "years": list(self.years), "step_years": SIPRI_STEP,
                "coefficients": "k, a, l, b per year; g, h billion 1978 dollars per year; per step: times 5",
                "table": {"years": list(SIPRI_YEARS), **{k: list(vals) for k, vals in self.table.items()}},
                "fit": self.fit.to_dict(),
                "verdict": {**v, "t": {k: float(x) for k, x in v["t"].items()}},
                "eigenvalues": [[z.real, z.imag] for z in self.eigenvalues], "step_factors": self.step_factors,
                "facts": {**self.facts, "usa_share_of_nato": {str(y): s_ for y, s_ in
                                                              self.facts["usa_share_of_nato"].items()},
                          "sum_residuals": {str(y): r for y, r in self.facts["sum_residuals"].items()}},
                "literature": list(LITERATURE), "stylized": self.stylized, "provenance": self.provenance}


def sipri_facts() -> dict:
    """The documented facts, computed from :data:`SIPRI_TABLE` (1950-1980).

    ``growth``: each bloc's 1980 total over its 1950 total; ``korea_share``: the part of NATO's 1950-80 rise
    that came in the 1950-55 step (the Korean War rearmament); ``nato_above_every_year``; the USA's share of
    NATO's total and the USSR's of the Pact's, by year; ``sum_residuals``: NATO + Warsaw Pact + uncommitted
    minus the world total, by year (zero up to the table's rounding).
    """
    col = {y: i for i, y in enumerate(SIPRI_YEARS)}
    t = SIPRI_TABLE
    return {"growth": {b: t[b][-1] / t[b][0] for b in _BLOCS},
            "korea_share": (t["NATO"][1] - t["NATO"][0]) / (t["NATO"][-1] - t["NATO"][0]),
            "nato_above_every_year": all(n > p for n, p in zip(t["NATO"], t["Warsaw Pact"])),
            "usa_share_of_nato": {y: t["USA"][col[y]] / t["NATO"][col[y]] for y in SIPRI_YEARS},
            "ussr_share_of_pact": {y: t["USSR"][col[y]] / t["Warsaw Pact"][col[y]] for y in SIPRI_YEARS},
            "sum_residuals": {y: round(t["NATO"][col[y]] + t["Warsaw Pact"][col[y]] + t["Uncommitted states"][col[y]]
                                       - t["World"][col[y]], 6) for y in SIPRI_YEARS}}


def reproduce_sipri(start: int = 1950, *, version: str | None = None) -> SipriReport:
    """The case's default: Richardson's difference form fitted to SIPRI's five-yearly bloc totals (shipped).

    Parameters
    ----------
    start : 1950 or 1955
        The first fitted year: 1950 (default; the table's "Warsaw Pact" before the Pact, see
        :data:`SIPRI_PACT_NOTE`) or 1955 (the Pact's year; five steps, two residual degrees of freedom).
    version : str, optional
        The package version, recorded in the provenance.

    Returns
    -------
    SipriReport

    Raises
    ------
    ModelError
        *start* not 1950 or 1955 (a later start leaves fewer than five points, too few for three coefficients
        per equation with a residual).
    """
    if start not in (1950, 1955) or isinstance(start, bool):
        raise ModelError(f"start {start!r}: 1950 or 1955 (the fit needs at least five of the table's years, "
                         f"{SIPRI_YEARS[0]}-{SIPRI_YEARS[-1]} every {SIPRI_STEP})")
    years = tuple(y for y in SIPRI_YEARS if y >= start)
    idx = [SIPRI_YEARS.index(y) for y in years]
    x = [SIPRI_TABLE["NATO"][i] for i in idx]
    y = [SIPRI_TABLE["Warsaw Pact"][i] for i in idx]
    fit = fit_richardson(x, y, years, regressor="start")
    eig = _eigen(fit.estimates)
    facts = sipri_facts()
    bad = {yr: r for yr, r in facts["sum_residuals"].items() if abs(r) > SIPRI_ROUNDING}
    if bad:                                     # a transcription slip in the shipped table: refuse, never fit it
        raise ModelError(f"SIPRI_TABLE: NATO + Warsaw Pact + uncommitted differs from the world total by {bad}")
    margin, margin_se = _margin(fit)
    prov = {"package_version": version, "data": "SIPRI_TABLE (shipped)", "source": SIPRI_SOURCE,
            "regressor": "start", "step_years": SIPRI_STEP}
    return SipriReport(years, {k: tuple(v) for k, v in SIPRI_TABLE.items()}, fit, eig,
                       [float(abs(1 + SIPRI_STEP * z)) for z in eig], margin, margin_se, facts, SIPRI_STYLIZED,
                       prov)
