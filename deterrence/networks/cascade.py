"""The cascade of a war through an alliance network, read by the treaties' terms.

From an initial attack the cascade proceeds in rounds.  In each round every
fighting obligation not yet activated is checked against the state of the war
at the end of the previous round (who has attacked whom, who is at war with
whom, who has provoked the war by an aggressive attack); every war plan whose
condition holds is executed.  The round's entries are applied together.  A
state enters

* as the initial attacker or its target (round 0);
* because it is attacked and resists (a state that does not resist is
  occupied, not a belligerent);
* because an obligation toward a protected state is triggered and honoured:
  it joins the protected state's side and attacks the adversary.

An attack made by the initial attacker or by a war plan is *aggressive*; an
attack made to honour an obligation is not.  A state that made an aggressive
attack has *provoked* the war, which is what a condition "only if attacked
without provocation" reads.  An obligation is not acted on (and the reason is
recorded) when the party already fights on the adversary's side, is the
adversary itself, or is bound to neutrality toward it.  The cascade stops when
a round changes nothing.  Commitments signed after the network's ``as_of``
date (the attack) join in a second phase: entries in that phase come *later*
than the August cascade.  The dates hold for every kind of commitment, to
fight or to stay out (:meth:`Commitment.in_phase`): the first phase reads the
commitments in force on the day of the attack, the second those and the ones
signed after it; a commitment that ended before the attack acts in neither.

The kinds of obligation and their conditions follow the coding of the field's
alliance data (ATOP: Leeds, Ritter, Mitchell and Long 2002; COW Formal
Alliances: Gibler 2009); how a condition is read in a war (who provoked, who
attacked whom) is this package's formalization.  One condition is not an
ATOP flag but this package's: ``general_war`` (a pledge that binds only once
at least that many great powers are at war on each side, read at the start
of the round like every other condition).

The cascade is deterministic given which triggered obligations are honoured;
by default every triggered obligation is (the treaties taken at their word).
:mod:`deterrence.networks.stochastic` draws honour with each commitment's
probability.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Mapping

from ..errors import ModelError
from .network import AllianceNetwork
from .treaty import ABSTAINING_KINDS, Commitment, Obligation, WarPlan

__all__ = ["cascade", "Hostility", "Entry", "Activation", "CascadeResult", "ATTACKER_SIDE", "TARGET_SIDE"]

ATTACKER_SIDE = 0
TARGET_SIDE = 1


@dataclass(frozen=True)
class Hostility:
    """An attack of *attacker* on *target*: when, why, and whether it was aggressive."""

    attacker: str
    target: str
    round: int
    phase: int
    cause: str
    aggressive: bool


@dataclass(frozen=True)
class Entry:
    """A state's entry into the war.

    ``reasons`` lists every cause in the round it entered (attacked by a state; an obligation under a
    named commitment and article), ``commitments`` the ids of the commitments among them.
    """

    state: str
    round: int
    phase: int
    side: int
    against: tuple[str, ...]
    reasons: tuple[str, ...]
    commitments: tuple[str, ...]


@dataclass(frozen=True)
class Activation:
    """A triggered obligation: the casus foederis arose for *obligation* against *adversaries*."""

    obligation: Obligation
    round: int
    phase: int
    adversaries: tuple[str, ...]
    honoured: bool        # whether the party fights for the protected state
    outcome: str          # "entered", "joined the attack", "already at war", "not honoured", or "blocked: ..."


@dataclass(frozen=True)
class CascadeResult:
    """What a cascade did: entries in order, the attacks, the triggered and the silent obligations."""

    network: str
    attack: tuple[str, str]
    entries: tuple[Entry, ...]
    hostilities: tuple[Hostility, ...]
    activations: tuple[Activation, ...]
    occupied: tuple[str, ...]
    silent: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    # -------------------------------------------------------------- summaries
    def belligerents(self, phase: int | None = None) -> tuple[str, ...]:
        """States at war, in order of entry (ties in a round keep the network's order)."""
        return tuple(e.state for e in self.entries if phase is None or e.phase == phase)

    def entry(self, state: str) -> Entry | None:
        for e in self.entries:
            if e.state == state:
                return e
        return None

    def side(self, side: int) -> tuple[str, ...]:
        return tuple(e.state for e in self.entries if e.side == side)

    def neutral(self, states) -> tuple[str, ...]:
        """The states of *states* that stay out (neither belligerent nor occupied)."""
        inn = set(self.belligerents()) | set(self.occupied)
        return tuple(s for s in states if s not in inn)

    def precedes(self, a: str, b: str) -> bool:
        """Whether *a* entered in an earlier round (or phase) than *b*."""
        ea, eb = self.entry(a), self.entry(b)
        if ea is None or eb is None:
            raise ModelError(f"{a if ea is None else b!r} did not enter the war")
        return (ea.phase, ea.round) < (eb.phase, eb.round)

    def why(self, state: str) -> str:
        """One line: how *state* entered, or why its obligations stayed silent."""
        e = self.entry(state)
        if e is not None:
            when = "later" if e.phase > 1 else f"round {e.round}"
            return f"{state} enters ({when}): " + "; ".join(e.reasons)
        if state in self.occupied:
            return f"{state} is occupied and does not resist"
        reasons = self.silent.get(state, ())
        if not reasons:
            return f"{state} stays out: no commitment binds it to a belligerent"
        return f"{state} stays out: " + "; ".join(reasons)


# ---------------------------------------------------------------------- the engine
class _War:
    """The mutable state of one cascade (private to :func:`cascade`)."""

    def __init__(self, net: AllianceNetwork):
        self.net = net
        self.by_name = {s.name: s for s in net.states}
        self.side: dict[str, int] = {}
        self.hostile: dict[tuple[str, str], Hostility] = {}
        self.aggressor: dict[str, list[str]] = {}
        self.entries: dict[str, dict] = {}
        self.occupied: list[str] = []
        self.activated: dict[tuple, Activation] = {}
        self.plans_done: set[str] = set()

    def at_war(self, a: str, b: str) -> bool:
        return a in self.side and b in self.side and self.side[a] != self.side[b]


def _attackers(war: _War, q: str) -> list[str]:
    return [a for (a, t) in war.hostile if t == q]


def _filters(war: _War, c: Commitment, obligor: str, z: str) -> str | None:
    """Why adversary *z* does not qualify under *c*'s conditions (None if it does)."""
    if z == obligor:
        return f"{obligor} is itself the adversary"
    if c.against is not None and z not in c.against:
        return f"{z} is not among the named adversaries ({', '.join(c.against)})"
    if c.region is not None and c.region not in war.by_name[z].regions:
        return f"{z} holds no territory in {c.region}"
    return None


def _check(war: _War, o: Obligation) -> tuple[tuple[str, ...], str]:
    """The adversaries for which *o* is triggered now, or () and the reason it is not."""
    c, q = o.commitment, o.protected
    if q not in war.side and c.trigger != "attacks":
        return (), f"{q} is not at war"
    if c.unprovoked and q in war.aggressor:
        return (), f"{q} provoked the war (it attacked {', '.join(war.aggressor[q])})"
    if c.trigger == "attacked":
        direct = _attackers(war, q)
        pool = [z for z in war.side if war.at_war(z, q)]
    elif c.trigger == "at_war":
        direct = [z for z in war.side if war.at_war(z, q) and z in war.aggressor]
        pool = [z for z in war.side if war.at_war(z, q)]
    elif c.trigger == "attacks":
        direct = [t for (a, t) in war.hostile if a == q and war.hostile[(a, t)].aggressive]
        pool = direct
    else:  # invoked
        direct = [z for act in war.activated.values()
                  if act.obligation.commitment.id == c.invokes and q in (act.obligation.obligor,
                                                                          act.obligation.protected)
                  for z in act.adversaries]
        pool = direct
        if not direct:
            return (), f"the casus foederis of {war.net.commitment(c.invokes).name} has not arisen for {q}"
    if not direct:
        what = {"attacked": f"{q} has not been attacked",
                "at_war": f"{q} is not at war with an aggressor",
                "attacks": f"{q} has attacked no one"}[c.trigger]
        return (), what
    reasons = []
    qualified = []
    for z in dict.fromkeys(direct):
        why = _filters(war, c, o.obligor, z)
        if why is None:
            qualified.append(z)
        else:
            reasons.append(why)
    if not qualified:
        return (), "; ".join(dict.fromkeys(reasons))
    if c.min_attackers > 1:
        counted = [z for z in dict.fromkeys(pool) if _filters(war, c, o.obligor, z) is None
                   and (not c.great_powers or war.by_name[z].great_power)]
        if len(counted) < c.min_attackers:
            kind = "great powers" if c.great_powers else "powers"
            return (), (f"{q} is at war with {len(counted)} {kind} ({', '.join(counted) or 'none'}); "
                        f"the casus foederis needs {c.min_attackers}")
    if c.general_war > 0:
        gp = [[s for s, k in war.side.items() if k == side and war.by_name[s].great_power] for side in (0, 1)]
        if min(len(gp[0]), len(gp[1])) < c.general_war:
            return (), (f"the war is not yet general: great powers at war {len(gp[0])} "
                        f"({', '.join(gp[0]) or 'none'}) against {len(gp[1])} ({', '.join(gp[1]) or 'none'}); "
                        f"the pledge binds only with {c.general_war} or more on each side")
    return tuple(qualified), ""


def _bound_to_neutrality(war: _War, x: str, z: str, day, phase: int) -> Commitment | None:
    """The neutrality or non-aggression commitment acting in *phase* that keeps *x* out of war with *z*."""
    for c in war.net.commitments:
        if c.kind in ABSTAINING_KINDS and c.in_phase(day, phase):
            members = set(c.parties) | set(c.protects or ())
            if x in c.parties and z in members and x != z:
                return c
    return None


def _enter(war, pending, state, side, rnd, phase, reason, against, cid=None):
    rec = war.entries.get(state)
    if rec is None:
        rec = pending.setdefault(state, {"state": state, "round": rnd, "phase": phase, "side": side,
                                         "against": [], "reasons": [], "commitments": []})
    if against and against not in rec["against"]:
        rec["against"].append(against)
    if reason not in rec["reasons"]:
        rec["reasons"].append(reason)
    if cid and cid not in rec["commitments"]:
        rec["commitments"].append(cid)


def cascade(network: AllianceNetwork, attack, *, honour: Callable[[Obligation], bool] | Mapping | None = None,
            later: bool = True, max_rounds: int | None = None) -> CascadeResult:
    """Run the cascade of a war through *network* from an initial *attack*.

    Parameters
    ----------
    network : AllianceNetwork
        States, commitments and war plans.
    attack : (str, str)
        The initial attacker and its target, by name or COW code.
    honour : callable or mapping, optional
        Which triggered obligations are honoured: a function of the :class:`Obligation`, or a mapping
        from ``(commitment id, obligor, protected)`` to bool (missing keys are honoured).  By default
        every triggered obligation is honoured (the treaties taken at their word).
    later : bool
        Whether to run the second phase with the commitments signed after the network's ``as_of``
        date.
    max_rounds : int, optional
        A bound on the rounds (by default, enough for every obligation and plan to act once).

    Returns
    -------
    CascadeResult

    Raises
    ------
    ModelError
        The attacker or the target is not in the network, or a state attacks itself.
    """
    if not isinstance(network, AllianceNetwork):
        raise ModelError(f"cascade needs an AllianceNetwork, got {type(network).__name__}")
    attacker, target = network.attack(attack)
    decide = _decider(honour)
    day = network.as_of_date()
    obligations = network.obligations()
    war = _War(network)
    bound = max_rounds if max_rounds is not None else 2 * (len(obligations) + len(network.plans)
                                                             + len(network.states)) + 4

    war.hostile[(attacker, target)] = Hostility(attacker, target, 0, 1, "initial attack", True)
    war.aggressor[attacker] = [target]
    war.side[attacker], war.side[target] = ATTACKER_SIDE, TARGET_SIDE
    war.entries[attacker] = {"state": attacker, "round": 0, "phase": 1, "side": ATTACKER_SIDE,
                             "against": [target], "reasons": ["initial attacker"], "commitments": []}
    war.entries[target] = {"state": target, "round": 0, "phase": 1, "side": TARGET_SIDE,
                           "against": [attacker], "reasons": [f"attacked by {attacker}"], "commitments": []}

    now = [o for o in obligations if o.commitment.fighting and o.commitment.in_phase(day, 1)]
    signed_later = [o for o in obligations if o.commitment.fighting and o.commitment.in_phase(day, 2)
                    and not o.commitment.in_phase(day, 1)] if day is not None else []
    phases = [(1, now)]
    if later and signed_later:
        phases.append((2, now + signed_later))
    rnd = 0
    for phase, active in phases:
        for _ in range(bound):
            rnd += 1
            if not _round(war, active, decide, rnd, phase, day):
                break
        else:
            raise ModelError(f"cascade did not settle in {bound} rounds (network {network.name!r})")
    return _result(war, network, (attacker, target), obligations, len(phases))


def _decider(honour):
    if honour is None:
        return lambda o: True
    if callable(honour):
        return honour
    if isinstance(honour, Mapping):
        return lambda o: bool(honour.get(o.key, True))
    raise ModelError(f"honour must be a function of an obligation or a mapping, got {type(honour).__name__}")


def _round(war: _War, active, decide, rnd: int, phase: int, day) -> bool:
    """One round: collect every action on the state at its start, then apply them.  True if anything changed."""
    pending: dict[str, dict] = {}
    new_hostile: list[Hostility] = []
    new_acts: list[Activation] = []
    new_side: dict[str, int] = {}

    def side_of(s):
        return war.side.get(s, new_side.get(s))

    def attack(a, t, cause, aggressive):
        if (a, t) in war.hostile or any(h.attacker == a and h.target == t for h in new_hostile):
            return
        new_hostile.append(Hostility(a, t, rnd, phase, cause, aggressive))
        if t in pending and pending[t]["side"] != new_side.get(a, war.side.get(a)):
            _enter(war, pending, t, pending[t]["side"], rnd, phase, f"attacked by {a}", a)
        elif side_of(t) is None:
            st = war.by_name[t]
            if st.resists:
                new_side[t] = 1 - side_of(a)
                _enter(war, pending, t, new_side[t], rnd, phase, f"attacked by {a}", a)
            elif t not in war.occupied:
                war.occupied.append(t)

    for o in active:
        if o.protected not in war.side or o.key in war.activated:
            continue
        advs, _why = _check(war, o)
        if not advs:
            continue
        x, q, c = o.obligor, o.protected, o.commitment
        qside = side_of(q)
        xs = side_of(x)
        if xs is not None and xs != qside:
            new_acts.append(Activation(o, rnd, phase, advs, False, f"blocked: {x} fights on the other side"))
            continue
        neutral_to = [z for z in advs if xs is None and _bound_to_neutrality(war, x, z, day, phase)]
        targets = [z for z in advs if z not in neutral_to]
        if not targets:
            c2 = _bound_to_neutrality(war, x, advs[0], day, phase)
            new_acts.append(Activation(o, rnd, phase, advs, False, f"blocked: {x} is bound to neutrality "
                                                                   f"toward {advs[0]} ({c2.name})"))
            continue
        if xs is not None and all(war.at_war(x, z) for z in targets):
            new_acts.append(Activation(o, rnd, phase, advs, True, "already at war"))
            continue
        # only an obligation whose honour changes the war is put to the decision
        if not decide(o):
            new_acts.append(Activation(o, rnd, phase, advs, False, "not honoured"))
            continue
        if xs is None:
            new_side[x] = qside
        general = (f"the war now general ({c.general_war} or more great powers on each side), "
                   if c.general_war else "")
        reason = f"{c.cite()}: {general}{_role(c)} {q}"        # the protected state ends the reason (plot)
        for z in targets:
            _enter(war, pending, x, new_side.get(x, xs), rnd, phase, reason, z, c.id)
            attack(x, z, f"obligation under {c.cite()}", False)
        new_acts.append(Activation(o, rnd, phase, advs, True, "entered" if xs is None else "joined the attack"))

    for plan in war.net.plans:
        if plan.id in war.plans_done or plan.state not in war.side:
            continue
        if not any(war.at_war(plan.state, e) for e in plan.when_at_war_with):
            continue
        war.plans_done.add(plan.id)
        for t in plan.attacks:
            if side_of(t) is not None and side_of(t) == side_of(plan.state):
                continue
            attack(plan.state, t, f"war plan ({plan.name or plan.id})", True)
        new_acts.append(None)  # a plan executed: the round changed something

    changed = bool(new_hostile or new_acts or pending)
    for h in new_hostile:
        war.hostile[(h.attacker, h.target)] = h
        if h.aggressive:
            war.aggressor.setdefault(h.attacker, []).append(h.target)
    war.side.update(new_side)
    for a in new_acts:
        if a is not None:
            war.activated[a.obligation.key] = a
    for s, rec in pending.items():
        war.entries.setdefault(s, rec)
    return changed


def _role(c: Commitment) -> str:
    return {"defence": "defends", "offence": "joins", "guarantee": "upholds the guaranteed neutrality of",
            "patronage": "backs"}.get(c.kind, "supports")


def _result(war: _War, net: AllianceNetwork, attack, obligations, last_phase: int) -> CascadeResult:
    order = {s.name: i for i, s in enumerate(net.states)}
    recs = sorted(war.entries.values(), key=lambda r: (r["phase"], r["round"], order[r["state"]]))
    entries = tuple(Entry(r["state"], r["round"], r["phase"], r["side"], tuple(r["against"]),
                          tuple(r["reasons"]), tuple(r["commitments"])) for r in recs)
    silent: dict[str, list[str]] = {}
    inn = set(war.entries) | set(war.occupied)
    for o in obligations:
        if o.obligor in inn or not o.commitment.fighting or o.key in war.activated:
            continue
        if o.protected not in war.entries:
            continue
        c, day = o.commitment, net.as_of_date()
        if not c.in_phase(day, 2):
            why = f"not in force (ended {c.ends}, before the attack on {day})"
        elif not c.in_phase(day, last_phase):
            why = f"not in force (signed {c.signed}, after the attack on {day})"
        else:
            _advs, why = _check(war, o)
        silent.setdefault(o.obligor, []).append(f"{o.commitment.cite()} toward {o.protected}: {why}")
    for a in war.activated.values():
        if not a.honoured and a.obligation.obligor not in inn:
            silent.setdefault(a.obligation.obligor, []).append(
                f"{a.obligation.commitment.cite()} toward {a.obligation.protected}: triggered, {a.outcome}")
    return CascadeResult(net.name, attack, entries, tuple(sorted(war.hostile.values(),
                                                                  key=lambda h: (h.phase, h.round))),
                         tuple(war.activated.values()), tuple(war.occupied),
                         {k: tuple(dict.fromkeys(v)) for k, v in silent.items()})
