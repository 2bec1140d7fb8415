"""Formal model families of arms races, in IR terms.

* :mod:`.security_dilemma`: the security dilemma as a game (Jervis 1978): the one-shot classification over the
  offence-defence balance, the discount factors above which repeated cooperation is an equilibrium (grim trigger,
  tit-for-tat, win-stay-lose-shift, generous tit-for-tat), and conflict spirals under noise, with claim C5
  (transparency, modelled as lower noise, reduces escalation driven by misperception) checked per strategy, for
  misexecution (a flipped move both sides see) and for private misperception (a move misread by one side).
* :mod:`.arms_allies`: alliances in the n-state Richardson race (when joining a side sets off, accelerates or
  leaves stable a race; claim C3) and the arms-versus-allies trade-off (Morgenthau; Morrow 1993): the optimal mix,
  substitution in closed form, and the arms build-up when an ally defects (claim C7).
"""

from .arms_allies import (AllianceEffect, ArmsAllies, Defection, alliance_effect, alliance_race, ally_defection,
                          arms_allies_optimum, arms_allies_statics)
from .security_dilemma import (C5_CLAIMS, CHANNELS, ChannelComparison, CooperationThresholds, OneShot,
                               TransparencyVerdict, balance_payoffs, check_transparency_claims, compare_channels,
                               cooperation_thresholds, one_shot, spiral_table, transparency_region, TransparencyRegion)

__all__ = ["one_shot", "OneShot", "balance_payoffs", "cooperation_thresholds", "CooperationThresholds",
           "spiral_table", "check_transparency_claims", "TransparencyVerdict", "C5_CLAIMS", "transparency_region",
           "TransparencyRegion", "CHANNELS", "compare_channels", "ChannelComparison", "alliance_race", "alliance_effect", "AllianceEffect", "arms_allies_optimum",
           "ArmsAllies", "arms_allies_statics", "ally_defection", "Defection"]
