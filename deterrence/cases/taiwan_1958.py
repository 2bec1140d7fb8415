"""The Taiwan Strait, 1958: a clear US commitment and the deterrence of an invasion.

The record (primary documents, and the scholarship that analyses the case)
---------------------------------------------------------------------------
* 2 December 1954: the United States and the Republic of China sign the
  Mutual Defense Treaty at Washington (in force 3 March 1955 on the exchange
  of ratifications at Taipei; 6 UST 433, TIAS 3178; UN Treaty Series vol.
  248, No. 3496).  Its Art. VI defines the Republic of China's territories
  it covers as Taiwan (Formosa) and the Pescadores: the offshore islands are
  not named.
* 29 January 1955: the Formosa Resolution (H.J.Res. 159, Public Law 84-4)
  authorises the President to employ the armed forces to secure and protect
  Formosa and the Pescadores "and related positions and territories of that
  area now in friendly hands", as he judges required for their defence.
* 23 August 1958: the People's Republic begins an intense artillery
  bombardment of Quemoy (Kinmen); the United States reinforces its naval
  forces in the area and US ships escort the resupply of the garrison; the
  PRC announces a cease-fire on 6 October 1958.  Taiwan and the Pescadores
  are not invaded (Halperin, M. H. (1966), The 1958 Taiwan Straits Crisis:
  A Documented History, RAND Research Memorandum RM-4900-ISA).
* The case, with the ambiguity of the US commitment to the offshore islands
  as against the clear commitment to Taiwan, is analysed in George, A. L.
  and Smoke, R. (1974), Deterrence in American Foreign Policy: Theory and
  Practice, Columbia University Press (the Quemoy crisis of 1958).

The mapping (``models/tripartite_crisis.toml``)
-----------------------------------------------
* Challenger = the People's Republic of China; ``challenge`` is an invasion
  of Taiwan (the treaty area).  The shelling of the offshore islands is a
  lesser probe the game does not model.  Protégé = the Republic of China on
  Taiwan, which resists alone if abandoned (L_P = 2 below c_P = 3).
  Defender = the United States.
* The clear commitment: commitment = 3 (unconditional: the ratified treaty
  and the Formosa Resolution), with a reneging cost k = 1.5 that makes even
  an irresolute US fight (k above -s_D - d_W_irr = 1).  The treaty is
  defensive; the model's conditional type (2) gives the same answer when the
  crisis is not provoked by the Protégé (pi = 0), as here.
* Every other value is the Korea 1950 case's (p_D = 0.2, p_C = 0.8, s_D = 1,
  g_D = 0.5, d_W_res = -0.5, d_W_irr = -2, r_D = 0.3, a_SQ = 0, a_V = 1,
  a_DC = 1, a_RA = 1.2, a_W = -1, a_W_soft = -3, a_B = -1.5, c_P = 3,
  L_P = 2, u_R = -3, s_P = -0.3, w_P = 1, q = 0.2 used only by the
  counterfactual straddle), so that the two cases differ in the commitment
  only.

All values are illustrative, chosen within the model's constraints; none is
measured.  The answer comes with the region where it holds.

What is stylized: "no invasion" is the documented outcome, but the model
cannot tell deterrence from a lack of intent or of means (whether the PRC
could have crossed the Strait in 1958 is outside the game); the offshore
islands, where the US commitment was itself ambiguous, are left out, and the
shelling is not a challenge in the model's sense; the PRC and the Soviet
Union's support are one Challenger; and the same illustrative payoff values
serve Korea 1950 and Taiwan 1958, which differ in much the model leaves out.
"""

from __future__ import annotations

from .crisis_game import FACT_FIELDS, MAPPING_FIELDS, CrisisCaseReport, records, reproduce_case
from .korea_1950 import PARAMETERS as KOREA_PARAMETERS

__all__ = ["PARAMETERS", "FACTS", "MAPPING", "RANGES", "BOX", "reproduce", "STYLIZED"]

#: The case's parameter values (all illustrative): Korea 1950's but for the commitment, so that the two cases
#: differ in it alone.
PARAMETERS = {**KOREA_PARAMETERS, "commitment": 3}

TREATY = ("Mutual Defense Treaty between the United States of America and the Republic of China, signed at "
          "Washington 2 Dec 1954, in force 3 Mar 1955 (6 UST 433; TIAS 3178; UNTS vol. 248, No. 3496), Art. VI")
HALPERIN = ("Halperin, M. H. (1966), The 1958 Taiwan Straits Crisis: A Documented History, RAND RM-4900-ISA; "
            "George and Smoke (1974), Deterrence in American Foreign Policy, the Quemoy crisis of 1958")
FACTS = records(
    FACT_FIELDS,
    ("2 Dec 1954", "US-ROC Mutual Defense Treaty signed (in force 3 Mar 1955); it covers Taiwan and the "
                   "Pescadores", TREATY),
    ("29 Jan 1955", "Formosa Resolution: Congress authorises the defence of Formosa and the Pescadores and related "
                    "positions in friendly hands",
     "Joint resolution H.J.Res. 159, Public Law 84-4 (84th Congress), approved 29 Jan 1955"),
    ("23 Aug 1958", "the PRC begins the bombardment of Quemoy (Kinmen); US ships escort the resupply", HALPERIN),
    ("23 Aug-6 Oct 1958", "the PRC announces a cease-fire on 6 Oct; Taiwan and the Pescadores are not invaded",
     HALPERIN),
)

MAPPING = records(
    MAPPING_FIELDS,
    ("the People's Republic of China", "Challenger; 'challenge' = an invasion of Taiwan",
     "determined with p_C = 0.8"),
    ("the Republic of China on Taiwan", "Protégé", "resists alone if abandoned: L_P = 2 < c_P = 3"),
    ("the United States", "Defender", "resolved with p_D = 0.2"),
    ("the Mutual Defense Treaty (1954) and the Formosa Resolution (1955)", "commitment = 3 (clear)",
     "binds always; reneging cost k = 1.5"),
)

#: One parameter at a time: the ranges searched.
RANGES = {"p_D": (0.0, 1.0), "p_C": (0.0, 1.0), "k": (0.0, 3.0), "a_V": (0.1, 3.0), "pi": (0.0, 1.0)}
#: Jointly: by hand, a bound irresolute US supports whenever k > 1 (p_C*d_W_irr + (1 - p_C)*g_D >= -2 > -1 - k),
#: so the support is sure and challenging yields p_C*a_W + (1 - p_C)*a_B < a_SQ throughout.
BOX = {"p_D": (0.0, 1.0), "p_C": (0.0, 1.0), "k": (1.05, 3.0), "a_V": (0.1, 3.0), "pi": (0.0, 1.0)}

STYLIZED = " ".join(__doc__.split("What is stylized: ")[1].split())


def reproduce(model, *, version: str = "") -> CrisisCaseReport:
    """The Taiwan Strait, 1958, on the tripartite model *model* (``library.load_model("tripartite_crisis")``)."""
    return reproduce_case(
        model, case="taiwan_1958",
        title="The Taiwan Strait, 1958: a clear US commitment and the deterrence of an invasion",
        players={"Challenger": "People's Republic of China", "Protege": "Republic of China (Taiwan)",
                 "Defender": "United States"},
        facts=FACTS, mapping=MAPPING, parameters=PARAMETERS, documented="deterred",
        documented_text="the PRC shelled Quemoy (Kinmen) from 23 August 1958 but did not invade Taiwan",
        counterfactual=("an ambiguous US commitment, Korea's straddle (commitment = 1, q = 0.2)",
                        {"commitment": 1, "q": 0.2}),
        ranges=RANGES, box=BOX, stylized=STYLIZED, version=version)
