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
    ``min_attackers``, ``region``, ``honour``, and with a result: ``activated`` and ``outcome``.
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
    for o in network.obligations():
        c = o.commitment
        attrs = {"commitment": c.id, "name": c.name, "kind": c.kind, "article": c.article, "trigger": c.trigger,
                 "against": list(c.against) if c.against else None, "unprovoked": c.unprovoked,
                 "min_attackers": c.min_attackers, "region": c.region, "honour": c.honour}
        if result is not None:
            a = acts.get(o.key)
            attrs.update(activated=a is not None, outcome=a.outcome if a else None)
        g.add_edge(o.obligor, o.protected, key=c.id, **attrs)
    return g
