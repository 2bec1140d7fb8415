"""Alliance commitments, states and war plans as plain data.

A commitment is read from a treaty's terms: who is bound (the *parties*),
whom they protect (the *protected* states; by default each other), what the
obligation is (its *kind*) and on what condition it comes into force (its
*casus foederis*).  The kinds follow the coding of the field's alliance data
(COW Formal Alliances: defence, neutrality, non-aggression, entente; ATOP:
defence, offence, neutrality, non-aggression, consultation), with two more
that 1914 needs: the *guarantee* of a third state's neutrality (the Treaty
of London, 1839) and informal *patronage* of a client (Russia and Serbia).

Conditions (ATOP's condition flags in words):

* ``against``: only against named adversaries (ATOP ``defcoadv``);
* ``unprovoked``: only if the protected state did not provoke the war, that
  is made no aggressive attack itself (ATOP ``defconpr``; the Triple
  Alliance's "without direct provocation on their part");
* ``min_attackers`` (with ``great_powers``): only if attacked by at least
  that many powers (ATOP ``defconum``; Triple Alliance Art. 3);
* ``region``: only if the adversary holds territory in the region (ATOP
  ``defcoloc``; the Anglo-Japanese alliance's "regions of Eastern Asia and
  of India");
* ``invokes``: only when another commitment's casus foederis has arisen
  (the German-Ottoman treaty of 2 August 1914, Art. 2);
* ``general_war``: only once the war is *general*, that is at least that
  many great powers are at war on each side (this package's condition, not
  an ATOP flag: a small state's pledge that binds only once the great powers
  are in, as this package reads Montenegro's delay in 1914).

A war plan turns one war into another: Germany's plan of 1914 meant that war
with Russia was war with France, opened through Luxembourg and Belgium.
"""

from __future__ import annotations

import datetime as _dt
import dataclasses
from dataclasses import dataclass

from ..errors import ModelError

__all__ = ["State", "Commitment", "WarPlan", "Obligation", "KINDS", "FIGHTING_KINDS", "ABSTAINING_KINDS",
           "TRIGGERS", "parse_date"]

#: Every commitment kind this package reads.
KINDS = ("defence", "offence", "guarantee", "patronage", "neutrality", "nonaggression", "consultation")
#: Kinds that oblige a party to fight for the protected state.
FIGHTING_KINDS = frozenset({"defence", "offence", "guarantee", "patronage"})
#: Kinds that oblige a party to stay out of a war against the partner.
ABSTAINING_KINDS = frozenset({"neutrality", "nonaggression"})
#: How a fighting obligation is triggered.
#:
#: ``attacked``: the protected state is attacked by an adversary;
#: ``at_war``: the protected state is drawn into war (not as an aggressor) with an adversary that is one;
#: ``attacks``: the protected state attacks (offensive pacts: the party joins the attack);
#: ``invoked``: another commitment (``invokes``) has come into force for the protected state.
TRIGGERS = ("attacked", "at_war", "attacks", "invoked")


def parse_date(value, what: str) -> _dt.date:
    """A date from ``date``, ``"YYYY-MM-DD"`` or a TOML date; :class:`ModelError` naming *what* otherwise."""
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, str):
        try:
            return _dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ModelError(f"{what}: expected a date YYYY-MM-DD, got {value!r}")


def _names(value, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = (value,)
    try:
        out = tuple(value)
    except TypeError:
        raise ModelError(f"{what}: expected a list of state names, got {value!r}") from None
    for v in out:
        if not isinstance(v, str) or not v.strip():
            raise ModelError(f"{what}: expected state names (strings), got {v!r}")
    if len(set(out)) != len(out):
        raise ModelError(f"{what}: a state is named twice in {list(out)}")
    return out


@dataclass(frozen=True)
class State:
    """A state in an alliance network.

    Parameters
    ----------
    name : str
        The name used everywhere in the network ("Austria-Hungary").
    code : int, optional
        Correlates of War state code (300 for Austria-Hungary), for reading COW and ATOP data.
    great_power : bool
        Whether the state counts as a great power (for conditions such as "attacked by two or more
        Great Powers").
    regions : tuple of str
        Regions where the state holds territory (for regional conditions).
    resists : bool
        Whether the state fights when attacked.  A state that does not (Luxembourg in 1914, with no
        army to speak of) is occupied and does not become a belligerent.
    entered : str, optional
        The historical date of entry, as data for comparison only (``"1914-08-04"``); the cascade never
        reads it.
    note : str
        What the historical record says, with its source.
    """

    name: str
    code: int | None = None
    great_power: bool = False
    regions: tuple[str, ...] = ()
    resists: bool = True
    entered: str | None = None
    note: str = ""

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name.strip():
            raise ModelError(f"a state needs a non-empty name, got {self.name!r}")
        if self.code is not None and (isinstance(self.code, bool) or not isinstance(self.code, int)
                                      or self.code < 0):
            raise ModelError(f"state {self.name!r}: code must be a non-negative integer (COW ccode), "
                             f"got {self.code!r}")
        object.__setattr__(self, "regions", _names(self.regions, f"state {self.name!r}: regions"))


@dataclass(frozen=True)
class Commitment:
    """One alliance commitment, read from a treaty's terms.

    Parameters
    ----------
    id : str
        Short identifier (``"dual_alliance"``).
    name : str
        Name as the literature gives it ("Dual Alliance").
    kind : str
        One of :data:`KINDS`.
    parties : tuple of str
        The states bound by the commitment.
    protects : tuple of str, optional
        The states it protects; by default the parties protect each other.  A guarantee protects a
        third state (``protects = ["Belgium"]``).
    trigger : str
        How a fighting obligation is triggered, one of :data:`TRIGGERS`.
    against : tuple of str, optional
        Only against these adversaries.
    unprovoked : bool
        Only if the protected state made no aggressive attack.
    min_attackers : int
        Only if attacked by at least this many adversaries.
    great_powers : bool
        Count only great powers among the attackers.
    region : str, optional
        Only if the adversary holds territory in this region.
    invokes : str, optional
        For ``trigger = "invoked"``: the commitment whose casus foederis brings this one into force.
    general_war : int
        Only once the war is general: at least this many great powers at war on each side (counted
        over all belligerents, whoever they fight).  0 (the default) sets no such condition.
    signed, ends : str, optional
        Dates (``YYYY-MM-DD``) between which the commitment is in force.
    honour : float
        Probability that a party honours the obligation when it is triggered (used by stochastic
        cascades; deterministic cascades honour every triggered obligation).
    article : str
        The article that states the obligation ("Art. 1").
    terms : str
        The obligation in the treaty's words or a close summary.
    source : str
        Where the terms come from.
    """

    id: str
    name: str
    kind: str
    parties: tuple[str, ...]
    protects: tuple[str, ...] | None = None
    trigger: str = "attacked"
    against: tuple[str, ...] | None = None
    unprovoked: bool = False
    min_attackers: int = 1
    great_powers: bool = False
    region: str | None = None
    invokes: str | None = None
    general_war: int = 0
    signed: str | None = None
    ends: str | None = None
    honour: float = 1.0
    article: str = ""
    terms: str = ""
    source: str = ""

    def __post_init__(self):
        who = f"commitment {self.id!r}"
        if not isinstance(self.id, str) or not self.id.strip():
            raise ModelError(f"a commitment needs a non-empty id, got {self.id!r}")
        if self.kind not in KINDS:
            raise ModelError(f"{who}: kind must be one of {list(KINDS)}, got {self.kind!r}")
        if self.trigger not in TRIGGERS:
            raise ModelError(f"{who}: trigger must be one of {list(TRIGGERS)}, got {self.trigger!r}")
        object.__setattr__(self, "parties", _names(self.parties, f"{who}: parties"))
        if not self.parties:
            raise ModelError(f"{who}: needs at least one party")
        if self.protects is not None:
            object.__setattr__(self, "protects", _names(self.protects, f"{who}: protects"))
        elif len(self.parties) < 2:
            raise ModelError(f"{who}: a mutual commitment needs two parties, or name whom it protects")
        if self.against is not None:
            object.__setattr__(self, "against", _names(self.against, f"{who}: against"))
        if isinstance(self.min_attackers, bool) or not isinstance(self.min_attackers, int) \
                or self.min_attackers < 1:
            raise ModelError(f"{who}: min_attackers must be an integer >= 1, got {self.min_attackers!r}")
        if isinstance(self.general_war, bool) or not isinstance(self.general_war, int) \
                or self.general_war < 0:
            raise ModelError(f"{who}: general_war must be an integer >= 0 (great powers at war on each side; "
                             f"0 for no condition), got {self.general_war!r}")
        h = self.honour
        if isinstance(h, bool) or not isinstance(h, (int, float)) or not (0.0 <= float(h) <= 1.0):
            raise ModelError(f"{who}: honour must be a probability in [0, 1], got {h!r}")
        object.__setattr__(self, "honour", float(h))
        if self.trigger == "invoked" and not self.invokes:
            raise ModelError(f"{who}: trigger 'invoked' needs the commitment it follows (invokes = ID)")
        if self.invokes and self.trigger != "invoked":
            raise ModelError(f"{who}: invokes is only meaningful with trigger = 'invoked'")
        if self.trigger == "attacks" and self.kind != "offence":
            raise ModelError(f"{who}: trigger 'attacks' belongs to offence pacts, not {self.kind!r}")
        signed = parse_date(self.signed, f"{who}: signed") if self.signed is not None else None
        ends = parse_date(self.ends, f"{who}: ends") if self.ends is not None else None
        if signed and ends and ends < signed:
            raise ModelError(f"{who}: ends {self.ends} before it was signed {self.signed}")
        object.__setattr__(self, "_dates", (signed, ends))

    @property
    def fighting(self) -> bool:
        """Whether the commitment obliges a party to fight."""
        return self.kind in FIGHTING_KINDS

    def in_force(self, day) -> bool:
        """Whether the commitment is in force on *day* (a date or ``None`` for always)."""
        if day is None:
            return True
        signed, ends = self._dates
        return not ((signed is not None and signed > day) or (ends is not None and ends < day))

    def ended_before(self, day) -> bool:
        """Whether the commitment had ended before *day*."""
        ends = self._dates[1]
        return day is not None and ends is not None and ends < day

    def in_phase(self, day, phase: int) -> bool:
        """Whether the commitment acts in *phase* of a cascade from an attack on *day*.

        Phase 1, the war of the attack: the commitments in force on *day*.  Phase 2, later: those in
        force on *day* and those signed after it; a commitment that had ended before *day* acts in
        neither (a lapsed treaty binds no one, to fight or to stay out).  With no *day* every
        commitment acts.
        """
        if phase == 1:
            return self.in_force(day)
        if phase == 2:
            return not self.ended_before(day)
        raise ModelError(f"commitment {self.id!r}: a cascade has phases 1 and 2, got {phase!r}")

    def obligations(self) -> list["Obligation"]:
        """Every (party, protected state) pair bound by the commitment."""
        protected = self.protects if self.protects is not None else self.parties
        return [Obligation(self, p, q) for p in self.parties for q in protected if p != q]

    def cite(self) -> str:
        """``"Dual Alliance (1879), Art. 1"``."""
        year = f" ({self.signed[:4]})" if self.signed else ""
        art = f", {self.article}" if self.article else ""
        return f"{self.name}{year}{art}"


@dataclass(frozen=True)
class Obligation:
    """The obligation of one party (*obligor*) toward one protected state under a commitment."""

    commitment: Commitment
    obligor: str
    protected: str
    #: ``(commitment id, obligor, protected)``
    key: tuple = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "key", (self.commitment.id, self.obligor, self.protected))


@dataclass(frozen=True)
class WarPlan:
    """A war plan that turns one war into another.

    Parameters
    ----------
    id : str
        Identifier (``"schlieffen_moltke"``).
    state : str
        The state whose plan it is.
    when_at_war_with : tuple of str
        The plan is executed as soon as the state is at war with any of these.
    attacks : tuple of str
        The states it then attacks, in the plan's order (the route first: Luxembourg, Belgium, then
        France).
    name, terms, source : str
        What the plan is, in words, and where that comes from.
    """

    id: str
    state: str
    when_at_war_with: tuple[str, ...]
    attacks: tuple[str, ...]
    name: str = ""
    terms: str = ""
    source: str = ""

    def __post_init__(self):
        who = f"war plan {self.id!r}"
        if not isinstance(self.id, str) or not self.id.strip():
            raise ModelError(f"a war plan needs a non-empty id, got {self.id!r}")
        object.__setattr__(self, "when_at_war_with", _names(self.when_at_war_with, f"{who}: when_at_war_with"))
        object.__setattr__(self, "attacks", _names(self.attacks, f"{who}: attacks"))
        if not self.when_at_war_with or not self.attacks:
            raise ModelError(f"{who}: needs when_at_war_with and attacks")
        if self.state in self.attacks or self.state in self.when_at_war_with:
            raise ModelError(f"{who}: a state cannot attack or fight itself ({self.state!r})")
