"""Computed models: a model whose solution at each parameter point is computed by a function, not a game form.

Some models of the package are continuous games solved in closed form (the
voluntary provision of defence among N allies, Olson and Zeckhauser 1966,
in Bergstrom, Blume and Varian's 1986 closed form), small games whose
perfect Bayesian equilibrium is derived by hand (two crises with
reputation), or probability models with no strategic choice at all (the
cohesion of an alliance).  They have no finite game form for the engine's
solvers, yet their claims are claims like any other: a measure rises in a
parameter, an inequality holds, a threshold is exact.

A :class:`ComputedModel` states such a model for the claims engine
(:mod:`deterrence.analysis.claims`) and the measure machinery:

* its parameters (a :class:`~deterrence.symbolic.parameters.ParameterSpace`
  with domains, defaults and meanings) and constraints, as a parametric game;
* its named measures (:class:`~deterrence.analysis.measures.Measure`, each
  named by itself: the value comes from the model's function);
* ``solve(points) -> {measure: array}``: every measure at a batch of
  validated points, one solution per point;
* ``concept``: what the function computes, in words, naming the solution
  concept (``"the unique Nash equilibrium of the continuous game, closed
  form, certified by the largest gain from a unilateral deviation"``) or
  the weaker thing it is (``"probabilities of a stated model; no
  equilibrium"``).  The function must certify what it returns (raise
  :class:`~deterrence.errors.CertificateError` otherwise) or say in
  ``concept`` that there is nothing to certify.

The listing a computed model gives the engine
(:meth:`ComputedModel.equilibrium_set`) has one solution per point and
carries the measure values; so the claim kinds over measures (``monotone``,
``inequality``, ``iff``, ``compare``) apply unchanged, with their verdicts,
counterexamples and failing regions.  Claims about the number or type of
equilibria (kind ``equilibria``) do not apply: a computed model lists one
solution per point by construction, and the claims engine refuses them.

Source: the pattern follows the engine's parametric models
(:class:`~deterrence.games.parametric.ParametricModel`); the models built on
it cite their own sources (Olson and Zeckhauser 1966; Bergstrom, Blume and
Varian 1986; Kreps and Wilson 1982).
"""

from __future__ import annotations

import hashlib
import json
from typing import Callable, Mapping, Sequence

import numpy as np

from ..errors import ExpressionError, ModelError
from ..games.parametric import ParametricModel
from .equilibrium_sets import EquilibriumSet
from .measures import Measure

__all__ = ["ComputedModel", "KIND"]

#: The ``kind`` of a computed model.
KIND = "computed"


class ComputedModel(ParametricModel):
    """A model whose measures at a batch of points are computed by a function (see the module docstring).

    Parameters
    ----------
    name, players, parameters, title, description, source, constraints, metadata
        As for :class:`~deterrence.games.parametric.ParametricModel`.
    measures : sequence of Measure
        The measures the function returns, each a :class:`~deterrence.analysis.measures.Measure` whose
        expression is its own name (``Measure("total", "total", meaning=..., unit=...)``).
    solve : callable
        ``solve(points) -> {measure name: ndarray of shape (B,)}`` at a batch of *B* validated points
        (``points`` maps every parameter to a 1-d array of length *B*).
    concept : str
        What ``solve`` computes, naming the solution concept (see the module docstring).
    """

    kind = KIND

    def __init__(self, *, name: str, players: Sequence[str], parameters, measures: Sequence[Measure],
                 solve: Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]], concept: str,
                 title: str | None = None, description: str | None = None, source: str | None = None,
                 constraints: Sequence[str] = (), metadata: Mapping | None = None):
        super().__init__(name=name, players=players, parameters=parameters, title=title, description=description,
                         source=source, constraints=constraints, metadata=metadata)
        if not callable(solve):
            raise ModelError(f"computed model {name!r}: solve must be a function of the points")
        if not isinstance(concept, str) or not concept.strip():
            raise ModelError(f"computed model {name!r}: state what solve computes (concept)")
        self._solve = solve
        self.concept = concept
        for m in measures:
            if not isinstance(m, Measure):
                raise ModelError(f"computed model {name!r}: measures must be Measure objects, got {m!r}")
            if str(m.expr) != m.name:
                raise ExpressionError(f"computed model {name!r}: measure {m.name!r} is computed by the model's "
                                      f"function; its expression must be its own name, got {str(m.expr)!r}")
            if m.name in self.parameter_names:
                raise ModelError(f"computed model {name!r}: measure {m.name!r} has the name of a parameter")
            self.measures[m.name] = m

    # ------------------------------------------------------------------ no game form
    def _build(self, arrays, batch):
        raise ModelError(f"model {self.name!r} is a computed model ({self.concept}): it has no game form to "
                         f"build, solve or export; its measures and claims are computed by its function "
                         f"(deterrence claims {self.name}, deterrence solve {self.name})")

    def symbolic_payoffs(self):
        raise ModelError(f"model {self.name!r} is a computed model: it has no payoff expressions")

    def outcome_tags(self) -> dict:
        return {}

    def outcome_quantities(self) -> dict:
        return {}

    # ------------------------------------------------------------------ the computation
    def values(self, points: Mapping[str, object]) -> dict[str, np.ndarray]:
        """Every measure at a batch of points (missing parameters take their defaults; domains and
        constraints are checked): ``{measure: ndarray of shape (B,)}``.

        Raises
        ------
        ModelError
            A value outside a parameter's domain or a violated constraint (naming the parameter); a
            function that returns a measure of the wrong shape, misses one, returns a value that is not
            finite (NaN or infinite; naming the measure and the point) or a probability outside [0, 1].
        """
        arrays, batch = self.point(dict(points))
        n = batch or 1
        flat = {k: np.broadcast_to(np.asarray(v, float).reshape(-1), (n,)) for k, v in arrays.items()}
        out = self._solve(flat)
        res = {}
        for name, m in self.measures.items():
            if name not in out:
                raise ModelError(f"computed model {self.name!r}: its function returned no measure {name!r}")
            v = np.asarray(out[name], float).reshape(-1)
            if v.shape != (n,):
                raise ModelError(f"computed model {self.name!r}: measure {name!r} has shape {v.shape}, "
                                 f"expected ({n},)")
            bad = np.flatnonzero(~np.isfinite(v))
            if bad.size:
                # a NaN or an infinity is no value: a claim checked on it would compare nothing
                i = int(bad[0])
                at = ", ".join(f"{k}={float(a[i]):.6g}" for k, a in flat.items())
                raise ModelError(f"computed model {self.name!r}: its function returned {v[i]} for measure "
                                 f"{name!r} at point {i} of the batch ({at}); a measure must be a finite number"
                                 + (f" ({bad.size} such points)" if bad.size > 1 else ""))
            if m.is_probability:
                bad = np.flatnonzero((v < -1e-9) | (v > 1 + 1e-9))
                if bad.size:
                    raise ExpressionError(f"measure {name!r} has unit 'probability' but is {v[bad[0]]:.6g} at "
                                          f"point {int(bad[0])} of the batch")
            res[name] = v
        return res

    def equilibrium_set(self, points: Mapping[str, object], tol: float = 1e-8) -> EquilibriumSet:
        """The listing the measure and claims machinery reads: one solution per point, carrying the values."""
        vals = self.values(points)
        n = len(next(iter(vals.values()))) if vals else \
            max([np.asarray(v).size for v in points.values()] or [1])
        return EquilibriumSet(game_index=np.arange(n), outcome_probs=np.zeros((n, 0)),
                              action_probs=np.zeros((n, 0)), pure=np.ones(n, bool), complete=np.ones(n, bool),
                              n_points=n, concept=KIND, listing=self.concept, values=vals)

    def structure(self) -> dict:
        """A canonical description (parameters, constraints, measures, concept) for the provenance hash."""
        return {"name": self.name, "kind": KIND, "concept": self.concept, "players": list(self.players),
                "parameters": [[p.name, str(p.domain), p.default] for p in self.parameters.values()],
                "constraints": [str(c.text) for c in self.constraints],
                "measures": {k: [m.unit, m.meaning] for k, m in self.measures.items()},
                "metadata": {k: v for k, v in self.metadata.items() if k != "notes"}}

    def structure_hash(self) -> str:
        return hashlib.sha256(json.dumps(self.structure(), sort_keys=True, default=str).encode()).hexdigest()

    def __repr__(self) -> str:
        return f"<ComputedModel {self.name!r}: {len(self.parameter_names)} parameters, {len(self.measures)} measures>"
