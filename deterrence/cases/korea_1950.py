"""Korea 1950: an ambiguous US commitment and the failure of extended deterrence.

The record (dates as the cited pages give them)
-----------------------------------------------
* 12 January 1950: Secretary of State Dean Acheson, at the National Press
  Club, described the US "defense perimeter" in the Pacific (the Aleutians,
  Japan, the Ryukyus, the Philippines) without mentioning Korea, and said of
  other areas that "no person can guarantee these areas against military
  attack" (https://liquisearch.com/dean_acheson/korean_war;
  https://www.enemyinmirror.com/dean-acheson-pacific-defense/).
* January 1950: the US Congress rejected a $60 million aid bill for South
  Korea (https://www.enemyinmirror.com/dean-acheson-pacific-defense/).
* 25 June 1950: North Korean forces crossed the 38th parallel and invaded
  South Korea (https://artsandculture.google.com/entity/korean-war/m048n7;
  https://www.reporternews.com/story/opinion/editorials/2016/06/25/today-in-history-invasion-launches-korean-war/92233934/).
* 25 June 1950: the UN Security Council calls for a cessation of hostilities
  and the withdrawal of North Korean forces to the 38th parallel; 27 June
  1950: it recommends that members assist the Republic of Korea, and
  President Truman orders US air and naval forces to help repel the invasion
  (http://www.koreacoldwar.org/history/unres1950.html;
  https://www.politico.com/story/2018/06/27/this-day-in-politics-june-27-1950-665397,
  which also notes that Korea was not in Acheson's defense perimeter and that
  the invasion caught the United States by surprise).
* A caveat the same pages give: Soviet and Korean archives suggest that the
  speech had little if any effect on Stalin's and Kim Il-sung's decisions
  (liquisearch, enemyinmirror citing the New York Times of 26 April 1995).
  The model gives the deterrence-theory reading (the ambiguity left the
  challenge worth making); it does not show that the speech caused the war.

The mapping (``models/tripartite_crisis.toml``)
-----------------------------------------------
* Challenger = North Korea (with the Soviet Union's consent); ``challenge``
  is the invasion.  Protégé = South Korea, which resists alone if abandoned
  (L_P = 2 below c_P = 3; realigning with the North, u_R = -3, is not an
  option).  Defender = the United States.
* The ambiguous commitment: commitment = 1 (a straddle), binding with
  probability q = 0.2: outside the announced perimeter, no treaty, aid in
  doubt; but US-sponsored and UN-recognised, so not zero.
* p_D = 0.2: the Challenger's prior that the US is resolved to fight without
  a binding pledge.  p_C = 0.8: North Korea probably fights on if the US
  intervenes (it did).  k = 1.5: a pledge that binds makes even an irresolute
  US fight (k above -s_D - d_W_irr = 1).
* The other values (the same as the Taiwan 1958 case, so that the two cases
  differ in the commitment only): s_D = 1, g_D = 0.5, d_W_res = -0.5,
  d_W_irr = -2, r_D = 0.3, a_SQ = 0, a_V = 1, a_DC = 1, a_RA = 1.2,
  a_W = -1, a_W_soft = -3, a_B = -1.5, s_P = -0.3, w_P = 1; pi = 0 (the
  crisis was not provoked by South Korea; under a straddle pi does not
  matter).

All values are illustrative, chosen within the model's constraints and the
orderings above; none is measured.  The answer comes with the region of
values over which it holds (:func:`reproduce`, ``stability``).

What is stylized: the model's Defender is a type drawn by nature (resolved or
not), so the US intervention of 27 June 1950 is the draw in which the US
turned out to fight, not a change of mind the model explains; North Korea
and the Soviet Union are one Challenger; China's entry (October 1950) and the
war's course are outside the game; the same illustrative payoff values serve
Korea 1950 and Taiwan 1958, which differ in much the model leaves out
(capabilities, nuclear weapons, the Soviet role); and the archival evidence
that the speech did not sway Stalin and Kim is a reason to read the model's
agreement with history as consistency, not explanation.
"""

from __future__ import annotations

from .crisis_game import FACT_FIELDS, MAPPING_FIELDS, CrisisCaseReport, records, reproduce_case

__all__ = ["PARAMETERS", "FACTS", "MAPPING", "RANGES", "BOX", "reproduce", "STYLIZED"]

#: The case's parameter values (all illustrative).
PARAMETERS = {
    "commitment": 1, "q": 0.2, "pi": 0.0, "p_D": 0.2, "p_C": 0.8,
    "k": 1.5, "r_D": 0.3, "s_D": 1.0, "g_D": 0.5, "d_W_res": -0.5, "d_W_irr": -2.0,
    "a_SQ": 0.0, "a_DC": 1.0, "a_RA": 1.2, "a_V": 1.0, "a_W": -1.0, "a_W_soft": -3.0, "a_B": -1.5,
    "c_P": 3.0, "L_P": 2.0, "u_R": -3.0, "s_P": -0.3, "w_P": 1.0,
}

FACTS = records(
    FACT_FIELDS,
    ("12 Jan 1950", "Acheson's National Press Club speech: the US defense perimeter in the Pacific leaves Korea out",
     "liquisearch.com/dean_acheson/korean_war; enemyinmirror.com/dean-acheson-pacific-defense"),
    ("Jan 1950", "Congress rejects a $60 million aid bill for South Korea",
     "enemyinmirror.com/dean-acheson-pacific-defense"),
    ("25 Jun 1950", "North Korea invades South Korea across the 38th parallel",
     "artsandculture.google.com/entity/korean-war/m048n7"),
    ("25 Jun 1950", "UN Security Council calls for a cease-fire and withdrawal to the 38th parallel",
     "koreacoldwar.org/history/unres1950.html"),
    ("27 Jun 1950",
     "UN Security Council recommends assistance to South Korea; Truman orders US air and naval forces to help "
     "repel the invasion",
     "koreacoldwar.org/history/unres1950.html; "
     "politico.com/story/2018/06/27/this-day-in-politics-june-27-1950-665397"),
)

MAPPING = records(
    MAPPING_FIELDS,
    ("North Korea (with Soviet consent)", "Challenger; 'challenge' = the invasion", "determined with p_C = 0.8"),
    ("South Korea", "Protégé", "resists alone if abandoned: L_P = 2 < c_P = 3"),
    ("the United States", "Defender", "resolved with p_D = 0.2"),
    ("Acheson's perimeter leaving Korea out; no treaty", "commitment = 1 (straddle)",
     "binds with q = 0.2; reneging cost k = 1.5 when it binds"),
)

#: One parameter at a time: the ranges searched.
RANGES = {"q": (0.0, 1.0), "p_D": (0.0, 1.0), "p_C": (0.0, 1.0), "k": (0.0, 3.0), "a_V": (0.1, 3.0)}
#: Jointly: the box over which the challenge is checked (by hand, sigma <= 0.36 < a_V/(a_V - V) >= 0.434 there).
BOX = {"q": (0.0, 0.2), "p_D": (0.0, 0.2), "p_C": (0.65, 1.0), "k": (0.0, 3.0), "a_V": (0.9, 2.0)}

STYLIZED = " ".join(__doc__.split("What is stylized: ")[1].split())


def reproduce(model, *, version: str = "") -> CrisisCaseReport:
    """Korea 1950 on the tripartite model *model* (``library.load_model("tripartite_crisis")``)."""
    return reproduce_case(
        model, case="korea_1950",
        title="Korea 1950: an ambiguous US commitment and the failure of extended deterrence",
        players={"Challenger": "North Korea", "Protege": "South Korea", "Defender": "United States"},
        facts=FACTS, mapping=MAPPING, parameters=PARAMETERS, documented="challenge",
        documented_text="North Korea attacked on 25 June 1950: extended deterrence failed",
        counterfactual=("a clear US commitment (commitment = 3)", {"commitment": 3}),
        ranges=RANGES, box=BOX, stylized=STYLIZED, version=version)
