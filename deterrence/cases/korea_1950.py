"""Korea 1950: an ambiguous US commitment and the failure of extended deterrence.

The record (primary documents, and the scholarship that analyses the case)
---------------------------------------------------------------------------
* 12 January 1950: Secretary of State Dean Acheson, "Crisis in Asia -- An
  Examination of U.S. Policy", remarks at the National Press Club,
  Washington (Department of State Bulletin 22, 23 January 1950), described a
  US "defensive perimeter" in the Pacific running through the Aleutians,
  Japan, the Ryukyus and the Philippines, without Korea, and said of the
  areas beyond it that no person could guarantee them against military
  attack; their defence would rest first on the people attacked and then on
  the United Nations.
* 19 January 1950: the House of Representatives rejected the Korean aid
  bill by 193 votes to 191 (Truman, "Statement by the President on the
  Rejection by the House of Representatives of the Korean Aid Bill", 21
  January 1950, with Acheson's letter of 20 January: Public Papers of the
  Presidents, Harry S. Truman, 1950, no. 17).  The House passed an amended
  aid bill in February.
* 25 June 1950: forces from North Korea attacked the Republic of Korea
  across the 38th parallel.  The UN Security Council, noting "the armed
  attack upon the Republic of Korea by forces from North Korea", called for
  the immediate cessation of hostilities and the withdrawal of North Korean
  forces to the 38th parallel (Resolution 82, S/RES/82 (1950), 25 June 1950).
* 27 June 1950: the Security Council recommended that UN members furnish
  the Republic of Korea such assistance as may be necessary to repel the
  armed attack (Resolution 83, S/RES/83 (1950)); the same day President
  Truman ordered US air and sea forces to give the Korean Government troops
  cover and support ("Statement by the President on the Situation in
  Korea", 27 June 1950, Public Papers of the Presidents, Harry S. Truman,
  1950).
* The case as a failure of deterrence by an unclear commitment is analysed
  in George, A. L. and Smoke, R. (1974), Deterrence in American Foreign
  Policy: Theory and Practice, Columbia University Press (the Korean War
  case study).  A caveat: Soviet documents released since the early 1990s
  (Weathersby, K. (1993), "Soviet Aims in Korea and the Origins of the
  Korean War, 1945-1950: New Evidence from Russian Archives", Cold War
  International History Project Working Paper No. 8) show Stalin approving
  Kim Il-sung's plan in early 1950 after refusing it in 1949; what part US
  statements such as Acheson's played in that change is disputed.  The
  model gives the deterrence-theory reading (the ambiguity left the
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

ACHESON = ("Acheson, D., 'Crisis in Asia -- An Examination of U.S. Policy', National Press Club, 12 Jan 1950, "
           "Department of State Bulletin 22 (23 Jan 1950); George and Smoke (1974), Deterrence in American "
           "Foreign Policy, Korean War case study")
FACTS = records(
    FACT_FIELDS,
    ("12 Jan 1950", "Acheson's National Press Club speech: the US defensive perimeter in the Pacific leaves Korea out",
     ACHESON),
    ("19 Jan 1950", "the House of Representatives rejects the Korean aid bill, 193 to 191",
     "Truman, statement of 21 Jan 1950 on the rejection of the Korean aid bill, with Acheson's letter of 20 Jan, "
     "Public Papers of the Presidents: Harry S. Truman, 1950, no. 17"),
    ("25 Jun 1950", "North Korea invades South Korea across the 38th parallel",
     "UN Security Council Resolution 82, S/RES/82 (1950), 25 Jun 1950 ('the armed attack upon the Republic of "
     "Korea by forces from North Korea')"),
    ("25 Jun 1950", "UN Security Council calls for a cease-fire and withdrawal to the 38th parallel",
     "UN Security Council Resolution 82, S/RES/82 (1950)"),
    ("27 Jun 1950",
     "UN Security Council recommends assistance to South Korea; Truman orders US air and naval forces to help "
     "repel the invasion",
     "UN Security Council Resolution 83, S/RES/83 (1950), 27 Jun 1950; Truman, 'Statement by the President on "
     "the Situation in Korea', 27 Jun 1950, Public Papers of the Presidents: Harry S. Truman, 1950"),
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
