"""Figures of the documented cases: the Cold War blocs (SIPRI's five-yearly series and the NMC annual fit), NATO's Article 5, Korea 1950 and Taiwan 1958.

Each function draws from a case's report (and, for the crisis cases, the curves the case computed):
nothing here solves a model.  Each returns the figure and saves it atomically when given a path
(.png, .pdf or .svg).
"""

from __future__ import annotations

import numpy as np

from .regions import require_matplotlib, save_figure

__all__ = ["plot_cold_war_sipri", "plot_cold_war_blocs", "plot_nato_article5", "plot_crisis_case"]

_BLOC_COLOURS = {"NATO": "#2166ac", "Warsaw Pact": "#b2182b"}
_COMMITMENT_COLOURS = ("#999999", "#e08214", "#1b7837", "#2166ac")


def plot_cold_war_sipri(report, path=None, *, dpi: int = 130):
    """The SIPRI five-yearly series and the fitted difference equations, over time and in the phase plane.

    Left: NATO's and the Warsaw Pact's totals (solid, points), the USA's and the USSR's (dashed), 1950-80,
    billion 1978 dollars, the Pact's founding (1955) marked.  Right: the phase plane (NATO against the Pact):
    the table's points joined in time order and labelled by year, the fitted equations iterated from the first
    fitted year (open squares), the fitted nullclines and, if it lies in view, the fitted equilibrium.

    Parameters
    ----------
    report : SipriReport
        From :func:`deterrence.cases.cold_war_blocs.reproduce_sipri`.
    path : str or path, optional
    dpi : int
    """
    plt = require_matplotlib()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13.5, 5.8))
    years_all = np.array(report.table_years)
    for bloc, country in (("NATO", "USA"), ("Warsaw Pact", "USSR")):
        colour = _BLOC_COLOURS[bloc]
        left.plot(years_all, report.series(bloc, fitted_only=False), color=colour, lw=2, marker="o", ms=5,
                  label=f"{bloc} total")
        left.plot(years_all, report.series(country, fitted_only=False), color=colour, lw=1.2, ls="--",
                  marker="s", ms=3, label=f"{country}")
    left.axvline(1955, color="0.5", lw=0.8, ls=":")
    left.text(1955.4, 0.97, "Warsaw Pact\nsigned May 1955", transform=left.get_xaxis_transform(), va="top",
              fontsize=8, color="0.35")
    left.set_xlabel("year")
    left.set_ylabel("military expenditure, billion 1978 US dollars")
    left.set_title("Military expenditure at constant prices (SIPRI, every 5 years)")
    left.set_ylim(bottom=0)
    left.legend(loc="lower right", fontsize=8, frameon=True)

    x, y = report.series("NATO"), report.series("Warsaw Pact")
    tx, ty = report.trajectory()
    e = report.fit.estimates
    xe, ye = report.fit.equilibrium
    show_eq = bool(np.isfinite(xe) and np.isfinite(ye) and 0 < xe < 2 * x.max() and 0 < ye < 2.5 * y.max())
    lo_x, hi_x = 0.0, 1.12 * max(x.max(), tx.max(), xe if show_eq else 0)
    lo_y, hi_y = 0.0, 1.25 * max(y.max(), ty.max(), ye if show_eq else 0)
    xs = np.linspace(lo_x, hi_x, 200)
    if e["k"] != 0:
        right.plot(xs, (e["a"] * xs - e["g"]) / e["k"], color=_BLOC_COLOURS["NATO"], lw=0.9, ls="-.",
                   label="fitted nullcline: NATO's spending constant")
    if e["b"] != 0:
        right.plot(xs, (e["l"] * xs + e["h"]) / e["b"], color=_BLOC_COLOURS["Warsaw Pact"], lw=0.9, ls="-.",
                   label="fitted nullcline: the Pact's spending constant")
    right.plot(x, y, color="0.15", lw=1.2, marker="o", ms=6, label="SIPRI table, every 5 years")
    for i, yr in enumerate(report.years):          # each label on the side away from its neighbours
        nb = [j for j in (i - 1, i + 1) if 0 <= j < len(x)]
        d = np.array([(x[i] - x[nb].mean()) / (hi_x - lo_x), (y[i] - y[nb].mean()) / (hi_y - lo_y)])
        d = d / np.linalg.norm(d) if np.linalg.norm(d) > 0 else np.array([0.0, -1.0])
        right.annotate(str(yr), (x[i], y[i]), xytext=(16 * d[0], 14 * d[1]), textcoords="offset points",
                       fontsize=8, ha="center", va="center")
    right.plot(tx, ty, color="#1b7837", lw=1.0, ls="--", marker="s", mfc="none", ms=6,
               label=f"fitted difference equations from {report.years[0]}")
    if show_eq:
        right.plot([xe], [ye], marker="*", ms=13, color="#e08214", ls="none",
                   label=f"fitted equilibrium ({xe:.0f}, {ye:.0f}), s.e. ({report.fit.equilibrium_se[0]:.0f}, "
                         f"{report.fit.equilibrium_se[1]:.0f})")
    right.set_xlim(lo_x, hi_x)
    right.set_ylim(lo_y, hi_y)
    right.set_xlabel("x: NATO, billion 1978 US dollars")
    right.set_ylabel("y: Warsaw Pact, billion 1978 US dollars")
    v = report.verdict()
    right.set_title(f"Richardson's difference form on {report.step}-year steps: "
                    + ("a stable balance" if v["stable_balance"] else
                       "stable, not a Richardson balance" if v["continuous_stable"] else "unstable")
                    + " (point estimates)", fontsize=10)
    right.legend(loc="upper left", fontsize=8, frameon=True)
    fig.text(0.01, 0.005, "Data: SIPRI Yearbook 1981, App. 6A, p. 156, as tabulated by McNeill, The Pursuit of "
                          "Power (1982), p. 374, Table 3. The 1950 Pact figure predates the Pact.",
             fontsize=7, color="0.35")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    save_figure(fig, path, dpi)
    return fig


def plot_cold_war_blocs(report, path=None, *, dpi: int = 130):
    """The blocs' spending over 1955-91 and the fitted Richardson equations against the yearly changes.

    Left: each bloc's total in 1988 dollars (solid) and current dollars (dotted), the fitted window shaded.
    Right: the yearly change of each bloc's spending in 1988 dollars (points) and what the fitted equations
    give at the same levels (lines).  Without a deflator (``report.deflated`` False) both panels are in
    current dollars and the titles say so.

    Parameters
    ----------
    report : ColdWarReport
        From :func:`deterrence.cases.cold_war_blocs.reproduce`.
    path : str or path, optional
    dpi : int
    """
    plt = require_matplotlib()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13.5, 5.8))
    years = report.series("year")
    lo, hi = report.window
    left.axvspan(lo - 0.5, hi + 0.5, color="0.93", zorder=0, label=f"fitted years {lo}-{hi}")
    d = report.deflated
    suffix = " constant" if d else ""
    unit = "1988 US dollars" if d else "current US dollars (no deflator supplied)"
    for bloc, colour in _BLOC_COLOURS.items():
        if d:
            left.plot(years, report.series(f"{bloc} constant"), color=colour, lw=2, marker="o", ms=3,
                      label=f"{bloc}, 1988 dollars")
        left.plot(years, report.series(bloc), color=colour, lw=1.2 if d else 2, ls=":" if d else "-",
                  marker=None if d else "o", ms=3, label=f"{bloc}, current dollars")
    soviet_break = [r for r in report.rows if r["year"] == hi + 1]
    last = [r for r in report.rows if r["year"] == hi]
    if soviet_break and last and soviet_break[0]["Warsaw Pact"] < 0.6 * last[0]["Warsaw Pact"]:
        yb = soviet_break[0]["Warsaw Pact" + suffix]
        left.annotate(f"the Pact's total falls\n{hi}-{hi + 1} (not fitted)", xy=(hi + 1, yb), xytext=(-140, -55),
                      textcoords="offset points",
                      fontsize=8, color="0.3", arrowprops={"arrowstyle": "->", "color": "0.4"})
    left.set_xlabel("year")
    left.set_ylabel("military expenditure, billion US dollars")
    left.set_title("The blocs' military expenditure (COW NMC milex)")
    left.set_ylim(bottom=0)
    left.legend(loc="upper left", fontsize=8, frameon=True)

    fit = getattr(report, report.primary)
    e = fit.estimates
    fy = report.series("year", fitted_only=True)
    x, y = report.series("NATO" + suffix, fitted_only=True), report.series("Warsaw Pact" + suffix, fitted_only=True)
    xm, ym = 0.5 * (x[:-1] + x[1:]), 0.5 * (y[:-1] + y[1:])
    mid = 0.5 * (fy[:-1] + fy[1:])
    right.axhline(0, color="0.6", lw=0.8)
    for bloc, obs, pred, eq in (
            ("NATO", np.diff(x), e["k"] * ym - e["a"] * xm + e["g"], "k y - a x + g"),
            ("Warsaw Pact", np.diff(y), e["l"] * xm - e["b"] * ym + e["h"], "l x - b y + h")):
        colour = _BLOC_COLOURS[bloc]
        r2 = fit.r_squared[0 if bloc == "NATO" else 1]
        right.plot(mid, obs, ls="none", marker="o", ms=4, color=colour, label=f"{bloc}: yearly change")
        right.plot(mid, pred, color=colour, lw=1.6, label=f"{bloc}: fitted {eq} (R² = {r2:.2f})")
    right.set_xlabel("year (change from one year to the next)")
    right.set_ylabel(f"yearly change, billion {'1988' if d else 'current'} US dollars")
    right.set_title(f"Richardson's equations fitted by least squares, {unit}")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=2, fontsize=8, frameon=False)
    gaps = sorted({m for r in report.rows for m in r["NATO missing"] + r["Warsaw Pact missing"]})
    fig.text(0.01, 0.005, "Data: Correlates of War NMC milex as supplied by the user (Singer, Bremer and Stuckey "
                          "1972; Greig and Enterline 2021); " + ("deflator US CPI-U (BLS, FRED CPIAUCSL). " if d
                                                                 else "no deflator: current dollars. ")
             + (f"Missing in some years: {', '.join(gaps)}." if gaps else ""), fontsize=7, color="0.35")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    save_figure(fig, path, dpi)
    return fig


def plot_nato_article5(report, data, path=None, *, dpi: int = 130):
    """NATO's Article 5: how many allies fight, and collective credibility against reliability.

    Left: the law of the number of guarantors who fight at the case's reliability, for each correlation.
    Right: P(at least K guarantors fight) against each guarantor's reliability, for a few K and
    correlations, with the case's reliability (Leeds, Long and Mitchell 2000) marked.

    Parameters
    ----------
    report : NatoReport
    data : dict
        ``report.figure_data()``.
    path : str or path, optional
    """
    plt = require_matplotlib()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13.5, 5.8))
    n = report.guarantors
    ks = np.arange(n + 1)
    colours = plt.get_cmap("viridis")(np.linspace(0.1, 0.85, len(data["coalition"])))
    width = 0.8 / len(data["coalition"])
    for i, (rho, pmf) in enumerate(data["coalition"].items()):
        left.bar(ks + (i - (len(data["coalition"]) - 1) / 2) * width, pmf, width=width, color=colours[i],
                 label=f"correlation {rho:g}")
    left.set_xlabel(f"number of the {n} guarantors who fight")
    left.set_ylabel("probability")
    left.set_title(f"Allies who honour Article 5, each with probability {report.reliability:g}")

    grid = np.asarray(data["reliability"])
    kc = sorted({k for _, k in data["credibility"]})
    rhos = sorted({r for r, _ in data["credibility"]})
    for (rho, k), cred in data["credibility"].items():
        if rho == 1.0:                     # one shared decision: P(K >= k) = reliability for every k
            continue
        colour = plt.get_cmap("plasma")(0.1 + 0.75 * kc.index(k) / max(len(kc) - 1, 1))
        ls = ("-", "--", "-.")[rhos.index(rho) % 3]
        right.plot(grid, cred, ls=ls, color=colour, lw=1.6, label=f"K = {k}, correlation {rho:g}")
    if 1.0 in rhos:
        right.plot(grid, grid, ls=":", color="0.2", lw=1.4, label="any K, correlation 1")
    right.axvline(data["case_reliability"], color="0.45", lw=1.2, ls="-",
                  label=f"Leeds, Long and Mitchell (2000): {data['case_reliability']:g}")
    right.set_xlabel("reliability: probability that each guarantor honours Article 5")
    right.set_ylabel("collective credibility: P(at least K guarantors fight)")
    right.set_title("Collective credibility against reliability")
    right.set_xlim(0, 1)
    right.set_ylim(-0.02, 1.02)
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, fontsize=8, frameon=False)
    left.legend(loc="upper left", fontsize=8, frameon=True)
    fig.tight_layout()
    save_figure(fig, path, dpi)
    return fig


def plot_crisis_case(report, curves, path=None, *, dpi: int = 130):
    """A crisis case: P(challenge) and P(war) by commitment type as one parameter moves, history marked.

    Parameters
    ----------
    report : CrisisCaseReport
        From :func:`deterrence.cases.korea_1950.reproduce` or ``taiwan_1958``.
    curves : dict
        From :func:`deterrence.cases.crisis_game.commitment_curves` at the report's parameters.
    path : str or path, optional
    """
    plt = require_matplotlib()
    fig, axes = plt.subplots(1, 2, figsize=(13.5, 5.6), sharex=True)
    name = curves["parameter"]
    xs = np.asarray(curves["values"])
    here = report.parameters
    case_type = curves["types"][int(here["commitment"])]
    for ax, measure, label in ((axes[0], "P_challenge", "P(challenge)"), (axes[1], "P_war", "P(war)")):
        for i, (ctype, c) in enumerate(curves["curves"].items()):
            # coinciding curves stay visible: wide solid lines under narrow dashed ones, drawn in that order
            ax.step(xs, np.asarray(c[measure]), where="mid", color=_COMMITMENT_COLOURS[i % 4],
                    lw=(5.0, 3.0, 2.0, 1.5)[i % 4], ls=("-", "-", "--", ":")[i % 4],
                    alpha=0.55 if i == 0 else 1.0,
                    label=f"commitment: {ctype}" + (" (the case's)" if ctype == case_type else ""))
        ax.plot([here[name]], [report.model[measure]], marker="*", ms=16, color="black", ls="none", zorder=5,
                label=f"the case: {case_type}, {name} = {here[name]:g}")
        ax.set_xlabel(f"{name}: the Challenger's prior that the Defender is resolved")
        ax.set_ylabel(f"{label} in the sequential equilibrium")
        ax.set_ylim(-0.05, 1.12)
        ax.set_xlim(xs.min(), xs.max())
    axes[0].set_title(f"{label_players(report)}: does the Challenger challenge?")
    axes[1].set_title("and does it come to war?")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8, frameon=False)
    hist = "history: challenge" if report.documented == "challenge" else "history: no challenge"
    axes[0].annotate(hist, xy=(here[name], report.model["P_challenge"]), xytext=(0.55, 0.75),
                     textcoords="axes fraction", fontsize=9, arrowprops={"arrowstyle": "->", "color": "0.3"})
    fig.suptitle(f"{report.title}\nHistory: {report.documented_text}. The star is the model at the case's "
                 "values (every value illustrative; other parameters fixed)", fontsize=10)
    fig.tight_layout(rect=(0, 0.1, 1, 1))
    save_figure(fig, path, dpi)
    return fig


def label_players(report) -> str:
    """``"Challenger vs Defender"`` names of a crisis report."""
    p = report.players
    return f"{p.get('Challenger', 'Challenger')} against {p.get('Defender', 'Defender')}"
