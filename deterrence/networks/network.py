"""An alliance network: states, the commitments among them, and war plans."""

from __future__ import annotations

import dataclasses
import datetime as _dt
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from ..errors import ModelError
from .treaty import Commitment, Obligation, State, WarPlan, parse_date

__all__ = ["AllianceNetwork"]


@dataclass(frozen=True)
class AllianceNetwork:
    """States, alliance commitments and war plans, checked for consistency.

    Parameters
    ----------
    states : sequence of State
        Every state that can appear in a cascade.
    commitments : sequence of Commitment
        The commitments among them.
    plans : sequence of WarPlan, optional
        War plans.
    name, title, source, notes : str
        Provenance.  ``notes`` says what is stylized.
    as_of : str, optional
        The date at which the network is read (``"1914-07-28"``): commitments signed later are
        "later" commitments (see :func:`deterrence.networks.cascade`).

    Raises
    ------
    ModelError
        A commitment or plan names an unknown state, two items share an id, a commitment invokes an
        unknown commitment, or the ``invokes`` conditions form a cycle.
    """

    states: tuple[State, ...]
    commitments: tuple[Commitment, ...]
    plans: tuple[WarPlan, ...] = ()
    name: str = "network"
    title: str = ""
    source: str = ""
    notes: str = ""
    as_of: str | None = None

    def __post_init__(self):
        for attr, cls in (("states", State), ("commitments", Commitment), ("plans", WarPlan)):
            items = tuple(getattr(self, attr))
            for it in items:
                if not isinstance(it, cls):
                    raise ModelError(f"{attr} must be {cls.__name__} objects, got {type(it).__name__}: {it!r}")
            object.__setattr__(self, attr, items)
        names = [s.name for s in self.states]
        dup = _first_duplicate(names)
        if dup:
            raise ModelError(f"state {dup!r} is listed twice")
        codes = [s.code for s in self.states if s.code is not None]
        dupc = _first_duplicate(codes)
        if dupc is not None:
            raise ModelError(f"COW code {dupc} is given to two states")
        known = set(names)
        regions = {g for st in self.states for g in st.regions}
        ids = [c.id for c in self.commitments]
        dup = _first_duplicate(ids)
        if dup:
            raise ModelError(f"commitment id {dup!r} is used twice")
        for c in self.commitments:
            for role in ("parties", "protects", "against"):
                for s in getattr(c, role) or ():
                    if s not in known:
                        raise ModelError(f"commitment {c.id!r}: {role} names unknown state {s!r}")
            if c.invokes is not None and c.invokes not in ids:
                raise ModelError(f"commitment {c.id!r}: invokes unknown commitment {c.invokes!r}")
            if c.region is not None and c.region not in regions:
                # a region no state holds can never be met: a misspelling, not a condition
                raise ModelError(f"commitment {c.id!r}: region {c.region!r} is held by no state in the network; "
                                 f"known regions: {sorted(regions) if regions else 'none (no state lists regions)'}")
        _check_invocation_cycles(self.commitments)
        dup = _first_duplicate([p.id for p in self.plans])
        if dup:
            raise ModelError(f"war plan id {dup!r} is used twice")
        for p in self.plans:
            for role in ("state", "when_at_war_with", "attacks"):
                v = getattr(p, role)
                for s in (v,) if isinstance(v, str) else v:
                    if s not in known:
                        raise ModelError(f"war plan {p.id!r}: {role} names unknown state {s!r}")
        if self.as_of is not None:
            parse_date(self.as_of, f"network {self.name!r}: as_of")

    # ------------------------------------------------------------------ lookup
    @property
    def state_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.states)

    def attack(self, attack) -> tuple[str, str]:
        """The names ``(attacker, target)`` of an attack given as a pair of names or COW codes.

        Raises
        ------
        ModelError
            *attack* is not a pair, a state is not in the network, or a state attacks itself.
        """
        try:
            a_key, t_key = attack
        except (TypeError, ValueError):
            raise ModelError(f"attack must be (attacker, target), got {attack!r}") from None
        attacker, target = self.state(a_key).name, self.state(t_key).name
        if attacker == target:
            raise ModelError(f"a state cannot attack itself ({attacker!r})")
        return attacker, target

    def state(self, key) -> State:
        """The state named *key* (a name, case-insensitive, or a COW code)."""
        for s in self.states:
            if s.name == key or (isinstance(key, str) and s.name.lower() == key.strip().lower()):
                return s
        code = key
        if isinstance(key, str) and key.strip().isdigit():
            code = int(key)
        if isinstance(code, int) and not isinstance(code, bool):
            for s in self.states:
                if s.code == code:
                    return s
        raise ModelError(f"no state {key!r} in the network {self.name!r}; states: {list(self.state_names)}")

    def commitment(self, cid: str) -> Commitment:
        for c in self.commitments:
            if c.id == cid:
                return c
        raise ModelError(f"no commitment {cid!r} in the network {self.name!r}; "
                         f"commitments: {[c.id for c in self.commitments]}")

    def obligations(self) -> list[Obligation]:
        """Every (party, protected state) obligation of every commitment."""
        return [o for c in self.commitments for o in c.obligations()]

    # ------------------------------------------------------------------ variants
    def without(self, *commitment_ids: str) -> "AllianceNetwork":
        """The same network with the named commitments removed."""
        for cid in commitment_ids:
            self.commitment(cid)
        drop = set(commitment_ids)
        invoked = [c.id for c in self.commitments if c.invokes in drop and c.id not in drop]
        if invoked:
            drop |= set(invoked)   # a commitment that only follows a removed one goes with it
            return self.without(*drop)
        return dataclasses.replace(self, commitments=tuple(c for c in self.commitments if c.id not in drop))

    def replace_commitment(self, cid: str, **changes) -> "AllianceNetwork":
        """The same network with commitment *cid* changed (``unprovoked=False``, ``honour=0.5`` ...)."""
        c = self.commitment(cid)
        new = dataclasses.replace(c, **changes)
        return dataclasses.replace(self, commitments=tuple(new if x.id == cid else x for x in self.commitments))

    def with_commitments(self, extra: Iterable[Commitment]) -> "AllianceNetwork":
        return dataclasses.replace(self, commitments=self.commitments + tuple(extra))

    def without_plans(self, *plan_ids: str) -> "AllianceNetwork":
        ids = {p.id for p in self.plans}
        for pid in plan_ids:
            if pid not in ids:
                raise ModelError(f"no war plan {pid!r} in the network {self.name!r}; plans: {sorted(ids)}")
        return dataclasses.replace(self, plans=tuple(p for p in self.plans if p.id not in plan_ids))

    def as_of_date(self) -> _dt.date | None:
        return parse_date(self.as_of, "as_of") if self.as_of else None


def _first_duplicate(items: Sequence):
    seen = set()
    for x in items:
        if x in seen:
            return x
        seen.add(x)
    return None


def _check_invocation_cycles(commitments: Sequence[Commitment]) -> None:
    nxt = {c.id: c.invokes for c in commitments}
    for start in nxt:
        seen = [start]
        cur = nxt[start]
        while cur is not None:
            if cur in seen:
                cycle = " -> ".join(seen[seen.index(cur):] + [cur])
                raise ModelError(f"commitment {start!r}: its conditions form a cycle ({cycle})")
            seen.append(cur)
            cur = nxt.get(cur)
