"""Alliance networks as networkx graphs (networkx is an optional extra: ``pip install 'deterrence[networks]'``)."""

from __future__ import annotations

from ..errors import ModelError
from .cascade import CascadeResult
from .network import AllianceNetwork

__all__ = ["to_networkx"]


def to_networkx(network: AllianceNetwork, result: CascadeResult | None = None):
    """The network as a :class:`networkx.MultiDiGraph`: one node per state, one edge per obligation.

    Node attributes: ``code``, ``great_power``, ``regions``, and with a cascade *result*: ``entered``
    (bool), ``round``, ``phase``, ``side``, ``occupied``.  Edge ``obligor -> protected`` attributes:
    ``commitment`` (id), ``name``, ``kind``, ``article``, ``trigger``, ``against``, ``unprovoked``,
    ``min_attackers``, ``general_war``, ``region``, ``honour``, ``signed`` and ``ends`` (ISO dates or None), ``in_force``
    (whether the commitment is in force on the network's ``as_of`` date, the day of the attack; True
    with no date) and ``phase`` (the cascade phase in which it acts, 1 or 2, or None for a commitment
    that ended before that day and binds no one; see :meth:`Commitment.in_phase`), and with a result:
    ``activated`` and ``outcome``.
    """
    try:
        import networkx as nx
    except ImportError:
        raise ModelError("to_networkx needs networkx, which is not installed: pip install 'deterrence[networks]'") \
            from None
    g = nx.MultiDiGraph(name=network.name, title=network.title, source=network.source)
    entries = {e.state: e for e in result.entries} if result is not None else {}
    acts = {a.obligation.key: a for a in result.activations} if result is not None else {}
    for s in network.states:
        attrs = {"code": s.code, "great_power": s.great_power, "regions": list(s.regions)}
        if result is not None:
            e = entries.get(s.name)
            attrs.update(entered=e is not None, round=e.round if e else None, phase=e.phase if e else None,
                         side=e.side if e else None, occupied=s.name in result.occupied)
        g.add_node(s.name, **attrs)
    day = network.as_of_date()
    for o in network.obligations():
        c = o.commitment
        signed, ends = (None if v is None else str(v) for v in (c.signed, c.ends))
        attrs = {"commitment": c.id, "name": c.name, "kind": c.kind, "article": c.article, "trigger": c.trigger,
                 "against": list(c.against) if c.against else None, "unprovoked": c.unprovoked,
                 "min_attackers": c.min_attackers, "general_war": c.general_war, "region": c.region, "honour": c.honour,
                 "signed": signed, "ends": ends, "in_force": c.in_force(day),
                 "phase": 1 if c.in_phase(day, 1) else 2 if c.in_phase(day, 2) else None}
        if result is not None:
            a = acts.get(o.key)
            attrs.update(activated=a is not None, outcome=a.outcome if a else None)
        g.add_edge(o.obligor, o.protected, key=c.id, **attrs)
    return g
