"""Documented cases: models composed from the families, set against the historical record.

Each case names the shipped model files it reads; the library loads them and
:func:`deterrence.cases.july_1914.reproduce` (and the others, as they are
built) set the model's answer beside history.  Nothing in the package imports
``cases``; the command line and the examples call it.
"""

from .july_1914 import COUNTERFACTUALS as JULY_1914_COUNTERFACTUALS

#: Case name -> (the shipped network it reads, or None, one line on what it reproduces).
CASES = {
    "1914": ("july_1914", "the entanglement of July 1914: the cascade of war from the treaties' terms, "
                          "side by side with the declarations, and counterfactuals; the July crisis as a game "
                          "(the blank check and the ultimatum, Britain's straddle)"),
    "richardson_1909": (None, "Richardson's arms-race test on the pre-1914 blocs, 1909-13: the yearly increase of "
                              "the blocs' combined defence budgets against their mid-year total (slope 0.73, "
                              "crossing 194 million pounds), a runaway race"),
    "cold_war_blocs": (None, "NATO and the Warsaw Pact as a bloc Richardson race on SIPRI's five-yearly military "
                             "expenditure 1950-80 at constant 1978 dollars (shipped, from McNeill 1982, Table 3): "
                             "Richardson's difference form fitted on the 5-year steps with standard errors, the "
                             "stability verdict, the table's facts, and the literature's finding that the "
                             "action-reaction evidence is weak; with --nmc, the annual fit on the Correlates of War "
                             "data instead"),
    "nato_article5": (None, "NATO's Article 5 with its 32 members: collective credibility of the guarantee when "
                            "each ally honours it 74.5% of the time (Leeds, Long and Mitchell 2000), over the allies "
                            "needed and their correlation, and the volunteer's-dilemma reading"),
    "korea_1950": (None, "Korea 1950: an ambiguous US commitment (Acheson's perimeter left Korea out) and the "
                         "failure of extended deterrence, in the tripartite crisis game, with the region where "
                         "the challenge holds"),
    "taiwan_1958": (None, "the Taiwan Strait 1958: a clear US commitment (the 1954 treaty, the Formosa "
                          "Resolution) and the deterrence of an invasion, in the tripartite crisis game, with the "
                          "region where deterrence holds"),
}

#: Case name -> the data file the user must supply (the package ships no third-party data); no case needs one now.
NEEDS_DATA: dict = {}
#: Case name -> a data file the user may supply for an alternative analysis (the case runs without it).
OPTIONAL_DATA = {
    "cold_war_blocs": "optional: --nmc NMC-60-abridged.csv (Correlates of War NMC v6.0 abridged, from "
                      "correlatesofwar.org; not shipped) for the annual 1957-88 fit instead, with --cpi CPIAUCSL.csv "
                      "(FRED) for 1988 dollars",
}

__all__ = ["CASES", "NEEDS_DATA", "OPTIONAL_DATA", "JULY_1914_COUNTERFACTUALS"]
