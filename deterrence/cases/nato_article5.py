"""NATO's Article 5 with its 32 members: how credible is the collective guarantee?

Model: :func:`deterrence.alliances.collective_defence`.  When one member is
attacked, each of the other 31 honours Article 5 with probability 0.745, the
share of alliance commitments honoured when the casus foederis arose in
Leeds, Long and Mitchell (2000, *Journal of Conflict Resolution* 44(5)).  How
much the guarantee is worth depends on two things the historical record does
not fix: how many allies the defence needs, and how correlated the allies'
decisions are (the common shock of the model: one shared political decision
at one extreme, 31 independent ones at the other).  The case reports
collective credibility over both, and the strategic reading in which every
ally waits for the others (Diekmann's volunteer's dilemma).

Members: the 32 allies of NATO's June 2024 defence-expenditure release (the
31 with estimates, and Iceland, which has no armed forces), as listed in the
project's reference sheet on arms and alliances.

What is stylized: every ally has the same reliability (the average of
Leeds, Long and Mitchell across all alliances, not an estimate for NATO);
allies are counted, not weighed by their forces (the reference data have
spending shares of GDP but no GDP, so no absolute strength); Iceland counts
as a guarantor although it has no armed forces.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..alliances import coalition_distribution, collective_defence, volunteer_equilibrium
from ..alliances.article5 import LEEDS_RELIABILITY

__all__ = ["MEMBERS", "reproduce", "NatoReport", "NEEDED", "CORRELATIONS", "COST_RATIOS"]

#: The 32 members (NATO's June 2024 release of estimated defence expenditure; Iceland has no armed forces).
MEMBERS = ("Albania", "Belgium", "Bulgaria", "Canada", "Croatia", "Czechia", "Denmark", "Estonia", "Finland",
           "France", "Germany", "Greece", "Hungary", "Iceland", "Italy", "Latvia", "Lithuania", "Luxembourg",
           "Montenegro", "Netherlands", "North Macedonia", "Norway", "Poland", "Portugal", "Romania", "Slovakia",
           "Slovenia", "Spain", "Sweden", "Türkiye", "United Kingdom", "United States")
#: Allies the defence is taken to need (1: any ally; 16: a majority of the 31 guarantors; 31: all).
NEEDED = (1, 4, 8, 16, 24, 31)
#: Correlations of the allies' decisions shown (common-shock weight).
CORRELATIONS = (0.0, 0.25, 0.5, 0.75, 1.0)
#: Intervention cost over the value of the guarantee, for the volunteer's-dilemma reading.
COST_RATIOS = (0.1, 0.3, 0.5)


@dataclass(frozen=True)
class NatoReport:
    """Collective credibility of Article 5 over allies needed and correlation, and the strategic reading."""

    members: tuple[str, ...]
    guarantors: int
    reliability: float
    credibility: dict          # needed -> {correlation: P(at least `needed` allies fight)}
    expected_coalition: float
    abandonment: dict          # cost ratio -> P(no ally intervenes) in the symmetric volunteer equilibrium
    stylized: str
    provenance: dict

    def figure_data(self, correlations=(0.0, 0.5, 1.0), needed=(1, 16, 31), points: int = 101) -> dict:
        """What the case's figure shows, computed from the model (nothing here draws).

        * ``coalition``: for each correlation, :math:`P(K = k)`, k = 0..guarantors, at the case's reliability;
        * ``reliability`` (a grid on [0, 1]) and ``credibility``: for each correlation and each number of
          allies needed, P(at least that many guarantors fight) along the grid.
        """
        n = self.guarantors
        grid = np.linspace(0.0, 1.0, points)
        coalition = {float(r): coalition_distribution(np.full(n, self.reliability), float(r)).tolist()
                     for r in correlations}
        cred = {}
        for r in correlations:
            for k in needed:
                res = collective_defence(np.repeat(grid[:, None], n, axis=1), float(r), target_strength=0.0,
                                         ally_strength=1.0, challenger_strength=float(k))
                cred[(float(r), int(k))] = res.collective_credibility.tolist()
        return {"coalition": coalition, "reliability": grid.tolist(), "credibility": cred,
                "case_reliability": self.reliability}

    def to_dict(self) -> dict:
        return {"case": "nato_article5", "members": list(self.members), "guarantors": self.guarantors,
                "reliability": self.reliability,
                "credibility": {str(k): {str(r): v for r, v in row.items()} for k, row in self.credibility.items()},
                "expected_coalition": self.expected_coalition,
                "abandonment_volunteers_dilemma": {str(c): v for c, v in self.abandonment.items()},
                "stylized": self.stylized, "provenance": self.provenance}


def reproduce(*, reliability: float = LEEDS_RELIABILITY, version: str = "") -> NatoReport:
    """Collective credibility of NATO's Article 5 for an attack on one member (the other 31 guarantee)."""
    n = len(MEMBERS) - 1
    rho = np.array(CORRELATIONS)
    cred = {}
    for k in NEEDED:
        r = collective_defence(np.full((rho.size, n), reliability), rho, target_strength=0.0, ally_strength=1.0,
                               challenger_strength=float(k))
        cred[k] = {float(c): float(v) for c, v in zip(rho, r.collective_credibility)}
    size = float(collective_defence(np.full(n, reliability), 0.0).expected_coalition_size)
    vd = volunteer_equilibrium(n, 1.0, np.array(COST_RATIOS))
    abandon = {float(c): float(v) for c, v in zip(COST_RATIOS, vd.P_no_intervention)}
    prov = {"package_version": version, "reliability_source": "Leeds, Long and Mitchell (2000)",
            "members_source": "NATO, Defence Expenditure of NATO Countries (2014-2024), June 2024 release, "
                              "as listed in the project's reference sheet"}
    stylized = " ".join(__doc__.split("What is stylized: ")[1].split())
    return NatoReport(MEMBERS, n, reliability, cred, size, abandon, stylized,
                      prov)
