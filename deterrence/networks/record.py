"""A network together with its documented case: the initial attack and the dated record."""

from __future__ import annotations

from dataclasses import dataclass

from .network import AllianceNetwork

__all__ = ["HistoryEvent", "NetworkModel"]


@dataclass(frozen=True)
class HistoryEvent:
    """One dated event of the documented record (for comparison with a cascade, never read by it)."""

    date: str
    event: str
    states: tuple[str, ...] = ()


@dataclass(frozen=True)
class NetworkModel:
    """A network file's content: the network, the documented initial attack and timeline.

    Attributes
    ----------
    network : AllianceNetwork
    attack : (str, str) or None
        The documented initial attack (attacker, target).
    history : tuple of HistoryEvent
        The documented record, in date order.
    path : str or None
        The file it was read from.
    digest : str or None
        SHA-256 of the file's bytes (provenance).
    """

    network: AllianceNetwork
    attack: tuple[str, str] | None
    history: tuple[HistoryEvent, ...]
    path: str | None = None
    digest: str | None = None

    def entry_dates(self) -> dict[str, str]:
        """State -> documented date of entry (states with no entry date are left out)."""
        return {s.name: s.entered for s in self.network.states if s.entered}
