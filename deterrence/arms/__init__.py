"""Formal model families of arms races, in IR terms.

* :mod:`.security_dilemma`: the security dilemma as a game (Jervis 1978): the one-shot classification over the
  offence-defence balance, the discount factors above which repeated cooperation is an equilibrium (grim trigger,
  tit-for-tat, win-stay-lose-shift, generous tit-for-tat), and conflict spirals under noise, with claim C5
  (transparency, modelled as lower noise, reduces escalation driven by misperception) checked per strategy.
"""

from .security_dilemma import (C5_CLAIMS, CooperationThresholds, OneShot, TransparencyVerdict, balance_payoffs,
                               check_transparency_claims, cooperation_thresholds, one_shot, spiral_table,
                               transparency_region, TransparencyRegion)

__all__ = ["one_shot", "OneShot", "balance_payoffs", "cooperation_thresholds", "CooperationThresholds",
           "spiral_table", "check_transparency_claims", "TransparencyVerdict", "C5_CLAIMS", "transparency_region",
           "TransparencyRegion"]
