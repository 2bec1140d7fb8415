"""Result classes of the perfect Bayesian solvers (signalling games and general trees)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ..deprecation import warn_deprecated
from .pbe_beliefs import nice_number
from .results import EquilibriumMixin, OneGameResultMixin

__all__ = ["SignallingEquilibrium", "SignallingPBE", "PerfectBayesianEquilibrium", "PBEResult"]


# ---------------------------------------------------------------------- signalling: results
@dataclass(frozen=True, eq=False)
class SignallingEquilibrium(EquilibriumMixin):
    """A perfect Bayesian equilibrium (family) of a signalling game (an :class:`~deterrence.solve.results.Equilibrium`).

    Attributes
    ----------
    sender : ndarray, shape (T, M)
        ``sigma[t, m]``: probability that type ``t`` sends ``m`` (a representative point of the family).
    receiver : ndarray, shape (M, R)
        ``rho[m, r]``: probability of response ``r`` after ``m``.
    beliefs : ndarray, shape (M, T)
        Bayes beliefs at on-path messages; the representative belief off the path.
    on_path : tuple of bool
        Whether each message is sent with positive probability.
    off_path_beliefs : dict
        ``{message: BeliefSet}``: every belief supporting the equilibrium at that message.
    kind : str
        ``"pooling"``, ``"separating"``, ``"hybrid"`` (semi-separating) or ``"partially pooling"``.
    type_supports, response_supports : tuple of tuple of str
        The support pattern.
    continuum : bool
        True when the pattern holds a continuum of strategy profiles;
        ``sender_range`` / ``receiver_range`` give each probability's range
        ``[..., 0] = lo, [..., 1] = hi`` over the family's closure.
    sender_payoffs : ndarray, shape (T,)
        Expected payoff of each type.
    receiver_payoff : float
    regret : float
        Largest gain from deviating at any information set given the beliefs.
    prior : ndarray, shape (T,)
        The prior over types.
    payoffs : ndarray, shape (2,)
        Ex-ante expected payoffs of the sender and the receiver (a property).
    outcome_probabilities : dict
        ``{"<type>, <message>, <response>": probability}``, the outcome
        labels of :meth:`SignallingGame.to_tree` (a property).
    """

    sender: np.ndarray
    receiver: np.ndarray
    beliefs: np.ndarray
    on_path: tuple
    off_path_beliefs: dict
    kind: str
    type_supports: tuple
    response_supports: tuple
    continuum: bool
    sender_range: np.ndarray = field(repr=False)
    receiver_range: np.ndarray = field(repr=False)
    sender_payoffs: np.ndarray = None
    receiver_payoff: float = 0.0
    regret: float = 0.0
    types: tuple = ()
    messages: tuple = ()
    responses: tuple = ()
    prior: np.ndarray = field(default=None, repr=False)

    @property
    def payoffs(self) -> np.ndarray:
        return np.array([float(np.dot(self.prior, self.sender_payoffs)), float(self.receiver_payoff)])

    @property
    def outcome_probabilities(self) -> dict:
        joint = self.prior[:, None, None] * self.sender[:, :, None] * self.receiver[None, :, :]
        return {f"{t}, {m}, {r}": float(joint[i, j, k]) for i, t in enumerate(self.types)
                for j, m in enumerate(self.messages) for k, r in enumerate(self.responses)}

    @property
    def is_pure(self) -> bool:
        return all(len(s) == 1 for s in self.type_supports) and all(
            len(r) == 1 for r, on in zip(self.response_supports, self.on_path)) and \
            all(len(r) == 1 for r in self.response_supports)

    def strategy(self) -> dict:
        """``{"sender": {type: {message: p}}, "receiver": {message: {response: p}}}``."""
        return {"sender": {t: {m: float(p) for m, p in zip(self.messages, row) if p > 0}
                           for t, row in zip(self.types, self.sender)},
                "receiver": {m: {r: float(p) for r, p in zip(self.responses, row) if p > 0}
                             for m, row in zip(self.messages, self.receiver)}}

    def describe(self) -> str:
        s = []
        for t, row in zip(self.types, self.sender):
            s.append(f"{t}: " + ", ".join(f"{m} {nice_number(p)}" for m, p in zip(self.messages, row) if p > 0))
        r = []
        for m, row in zip(self.messages, self.receiver):
            r.append(f"after {m}: " + ", ".join(f"{x} {nice_number(p)}" for x, p in zip(self.responses, row) if p > 0))
        off = [b.describe() for b in self.off_path_beliefs.values()]
        return (f"{self.kind} PBE" + (" (a continuum)" if self.continuum else "") + " | sender " + "; ".join(s)
                + " | receiver " + "; ".join(r) + (" | off path: " + "; ".join(off) if off else ""))

    def __repr__(self):
        return f"SignallingEquilibrium({self.describe()}, regret={self.regret:.1e})"


@dataclass(frozen=True, eq=False)
class SignallingPBE(OneGameResultMixin):
    """All PBE families of a signalling game, one per feasible support pattern (a :class:`~deterrence.solve.results.Result`).

    ``complete`` is True when at least one equilibrium was found: every PBE
    has exactly one support pattern and every pattern is checked.  An empty
    set is never complete (every finite game has an equilibrium; none found
    means a probability too small to resolve).
    Each family is listed by a representative point (``payoffs``, ``regret`` and
    ``outcome_probabilities`` are those of the representatives).
    """

    equilibria: tuple
    complete: bool = True
    method: str = "support patterns"
    game: object = field(default=None, repr=False)
    notes: tuple = ()

    _payoff_width = 2                       # sender and receiver, even when nothing is listed

    def of_kind(self, kind: str) -> tuple:
        return tuple(e for e in self.equilibria if e.kind == kind)


# ---------------------------------------------------------------------- general trees: results
@dataclass(frozen=True, eq=False)
class PerfectBayesianEquilibrium(EquilibriumMixin):
    """A perfect Bayesian equilibrium of a game tree (an :class:`~deterrence.solve.results.Equilibrium`).

    Attributes
    ----------
    profile : tuple of ndarray
        Behaviour at each information set (``tree.infosets`` order).
    beliefs : tuple of ndarray
        Beliefs over each information set's nodes: Bayes where reached,
        a supporting belief elsewhere.
    on_path : tuple of bool
        Whether each information set is reached with positive probability.
    belief_sets : dict
        ``{infoset label: BeliefSet}`` for every unreached information set
        with more than one node: all beliefs that support the equilibrium.
    outcome_probabilities : dict
        ``{outcome label: probability}`` (was ``outcome_probs``, deprecated).
    payoffs : ndarray, shape (n,)
    regret : float
        Sequential regret: the largest gain, at any information set given the
        beliefs there, from switching to any continuation strategy of its
        mover (this includes the one-shot deviations).
    nash_regret : float
        :func:`~deterrence.games.profiles.tree_regret` of the profile.
    pure : bool
    kind : str
        For signalling trees the signalling classification, else ``"pure"`` / ``"mixed"``.
    infosets, actions : tuple
    signalling : SignallingEquilibrium or None
        The signalling-game form, when the tree was routed there.
    nodes : tuple of tuple of str
        Node ids of each information set (what ``beliefs`` are over).
    """

    profile: tuple
    beliefs: tuple
    on_path: tuple
    belief_sets: dict
    outcome_probabilities: dict
    payoffs: np.ndarray
    regret: float
    nash_regret: float
    pure: bool
    kind: str
    infosets: tuple
    actions: tuple
    signalling: object = field(default=None, repr=False)
    continuum: bool = False
    nodes: tuple = field(default=(), repr=False)

    def at(self, infoset) -> dict:
        h = self.infosets.index(infoset) if not isinstance(infoset, (int, np.integer)) else int(infoset)
        return {a: float(p) for a, p in zip(self.actions[h], self.profile[h])}

    def choice(self) -> dict:
        """``{infoset: action}`` for a pure equilibrium (most likely action otherwise)."""
        return {lab: acts[int(np.argmax(p))] for lab, acts, p in zip(self.infosets, self.actions, self.profile)}

    @property
    def outcome_probs(self) -> dict:
        """Deprecated name of :attr:`outcome_probabilities`."""
        warn_deprecated("PerfectBayesianEquilibrium.outcome_probs", "PerfectBayesianEquilibrium.outcome_probabilities")
        return self.outcome_probabilities

    def describe(self) -> str:
        """One line: choices, outcome probabilities, on-path beliefs, off-path belief sets."""
        ch = []
        for lab, acts, p in zip(self.infosets, self.actions, self.profile):
            if np.max(p) > 1 - 1e-12:
                ch.append(f"{lab}: {acts[int(np.argmax(p))]}")
            else:
                ch.append(f"{lab}: " + ", ".join(f"{a} {nice_number(q)}" for a, q in zip(acts, p) if q > 1e-12))
        out = ", ".join(f"{o} {nice_number(q)}" for o, q in self.outcome_probabilities.items() if q > 1e-12)
        bel = []
        for h, (lab, on, mu) in enumerate(zip(self.infosets, self.on_path, self.beliefs)):
            if on and len(mu) > 1:
                names = self.nodes[h] if h < len(self.nodes) else tuple(str(k) for k in range(len(mu)))
                bel.append(f"{lab}: " + ", ".join(f"{v} {nice_number(q)}" for v, q in zip(names, mu)))
        off = [bs.describe() for bs in self.belief_sets.values()]
        return (f"{self.kind} PBE" + (" (a continuum)" if self.continuum else "") + " | " + "; ".join(ch)
                + " | outcomes " + out + (" | beliefs " + "; ".join(bel) if bel else "")
                + (" | off path: " + "; ".join(off) if off else ""))

    def __str__(self):
        return self.describe()


@dataclass(frozen=True, eq=False)
class PBEResult(OneGameResultMixin):
    """Perfect Bayesian equilibria of a tree (a :class:`~deterrence.solve.results.Result`).

    Attributes
    ----------
    equilibria : tuple of PerfectBayesianEquilibrium
    complete : bool
        True when every PBE is represented: signalling trees (every support
        pattern), or trees where the search was restricted to pure profiles
        (``mixed=False``).  False when mixed equilibria were sought by the
        QRE-limit heuristic.
    complete_pure : bool
        Every pure-strategy weak PBE is listed.
    method : str
    notes : tuple of str
    """

    equilibria: tuple
    complete: bool
    complete_pure: bool
    method: str
    notes: tuple = ()


    @property
    def pure(self) -> tuple:
        return tuple(e for e in self.equilibria if e.pure)

    def __str__(self):
        head = (f"{len(self.equilibria)} perfect Bayesian equilibri{'um' if len(self.equilibria) == 1 else 'a'} "
                f"({self.method}; complete={self.complete}, complete_pure={self.complete_pure})")
        return "\n".join([head] + [f"  [{k}] {e.describe()}" for k, e in enumerate(self.equilibria)])
