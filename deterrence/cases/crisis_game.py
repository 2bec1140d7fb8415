"""Shared kernel of the crisis cases: the tripartite crisis game solved at a case's parameters.

The cases of July 1914 (:mod:`.july_crisis`), Korea 1950 (:mod:`.korea_1950`)
and the Taiwan Strait 1958 (:mod:`.taiwan_1958`) set history beside the
equilibrium of ``models/tripartite_crisis.toml`` (a Challenger, a Protégé and
a Defender; Zagare and Kilgour 2003, 2006).  The library loads the model and
passes it in; nothing here reads a file.  Every answer is the model's
sequential equilibrium (the registry's ``pbe`` concept, Bayesian backward
induction, batched) at stated parameter values: none is written down.

A case's answer is *challenge* when every equilibrium at the point challenges
with probability 1 (``P_challenge[min]`` = 1) and *deterred* when none does
(``P_challenge[max]`` = 0); anything else is *mixed* and never counts as either.

:func:`stability` checks that an answer is not an artefact of one parameter
value: one parameter at a time over a stated range (the interval around the
case's value where the answer holds), and jointly over a stated box (random
points, fixed seed, all solved in one batched call).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from ..analysis.measures import measure_columns

__all__ = ["CONCEPT", "REPORTED", "COMMITMENT_NAMES", "solve_points", "answer", "answers", "stability",
           "describe_stability", "sigma_and_threshold", "CrisisCaseReport", "reproduce_case", "commitment_curves",
           "records", "FACT_FIELDS", "MAPPING_FIELDS"]

#: The solution concept the registry uses for the tripartite model (sequential equilibrium, beliefs from the prior).
CONCEPT = "pbe"
#: Measures reported for each solved point.
REPORTED = ("P_challenge", "P_war", "P_alliance_war", "P_defender_intervenes", "P_abandonment",
            "P_protege_concedes", "P_protege_realigns", "P_deterrence_succeeds")
COMMITMENT_NAMES = {0: "none", 1: "ambiguous (straddle)", 2: "conditional", 3: "unconditional (clear)"}
_TOL = 1e-9
#: The layout of a case's record of facts and of its mapping of history to the model (see :func:`records`).
FACT_FIELDS = ("date", "event", "source")
MAPPING_FIELDS = ("history", "model", "value")


def records(fields: tuple, *rows: tuple) -> tuple:
    """A table written as rows of values, returned as a tuple of dicts keyed by *fields* (one value per field).

    The cases write their facts (:data:`FACT_FIELDS`) and mappings (:data:`MAPPING_FIELDS`) this way, so the
    layout is stated once; a row with the wrong number of values is an error naming the row."""
    for i, row in enumerate(rows):
        if len(row) != len(fields):
            raise ValueError(f"row {i} {row!r}: {len(row)} values for the fields {fields}")
    return tuple(dict(zip(fields, row)) for row in rows)


def solve_points(model, rows: Sequence[Mapping[str, float]]) -> dict:
    """Solve *model* at the points *rows* (each the model's defaults overridden by the row), in one batched call.

    Returns the measure columns of :func:`~deterrence.analysis.measures.measure_columns`."""
    base = model.defaults()
    unknown = sorted({k for r in rows for k in r} - set(base))
    if unknown:
        from ..errors import ModelError
        raise ModelError(f"model {model.name!r} has no parameter(s) {unknown}")
    pts = {k: np.array([float(r.get(k, base[k])) for r in rows]) for k in base}
    return measure_columns(model, pts, CONCEPT, None)


def _answers(cols) -> list[str]:
    lo, hi = np.asarray(cols["P_challenge[min]"]), np.asarray(cols["P_challenge[max]"])
    return ["challenge" if a >= 1 - _TOL else "deterred" if b <= _TOL else "mixed" for a, b in zip(lo, hi)]


def answer(model, params: Mapping[str, float]) -> dict:
    """The equilibrium at one point: ``{"answer": "challenge" | "deterred" | "mixed", measures...}``."""
    cols = solve_points(model, [params])
    out = {"answer": _answers(cols)[0]}
    for m in REPORTED:
        v = float(cols[m][0])
        out[m] = None if np.isnan(v) else round(v, 12)
    return out


def answers(model, rows: Sequence[Mapping[str, float]]) -> list[dict]:
    """:func:`answer` at several points, solved in one batched call."""
    cols = solve_points(model, rows)
    res = []
    for i, a in enumerate(_answers(cols)):
        d = {"answer": a}
        for m in REPORTED:
            v = float(cols[m][i])
            d[m] = None if np.isnan(v) else round(v, 12)
        res.append(d)
    return res


def stability(model, params: Mapping[str, float], expected: str, ranges: Mapping[str, tuple],
              box: Mapping[str, tuple], *, grid: int = 101, samples: int = 300, seed: int = 1914) -> dict:
    """Is the answer *expected* at *params* robust?

    * ``intervals``: for each parameter of *ranges* (``name: (lo, hi)``), moved alone over a grid of *grid*
      values, the interval of values around the case's value where the answer stays *expected* (``None``
      when it does not hold at the case's value), and whether it holds over the whole range.
    * ``box``: every parameter of *box* drawn uniformly and independently (*samples* points, seed *seed*):
      the share of points where the answer is *expected* (1.0: it holds throughout the box).

    All points are solved in one batched call.  The ranges must respect the model's constraints."""
    rows, index = [], {}
    for name, (lo, hi) in ranges.items():
        values = np.unique(np.append(np.linspace(lo, hi, grid), float(params[name])))
        index[name] = (len(rows), values)
        rows += [{**params, name: float(v)} for v in values]
    rng = np.random.default_rng(seed)
    draws = {k: rng.uniform(lo, hi, samples) for k, (lo, hi) in box.items()}
    box_start = len(rows)
    rows += [{**params, **{k: float(v[i]) for k, v in draws.items()}} for i in range(samples)]
    got = _answers(solve_points(model, rows))
    intervals = {}
    for name, (start, values) in index.items():
        ok = np.array([g == expected for g in got[start:start + len(values)]])
        i = int(np.searchsorted(values, float(params[name])))
        if not ok[i]:
            intervals[name] = {"range": list(ranges[name]), "holds": None, "throughout": False}
            continue
        a = i
        while a > 0 and ok[a - 1]:
            a -= 1
        b = i
        while b < len(values) - 1 and ok[b + 1]:
            b += 1
        intervals[name] = {"range": [float(x) for x in ranges[name]],
                           "holds": [round(float(values[a]), 6), round(float(values[b]), 6)],
                           "throughout": bool(ok.all())}
    share = float(np.mean([g == expected for g in got[box_start:]])) if samples else None
    return {"expected": expected, "intervals": intervals,
            "box": {"region": {k: [float(lo), float(hi)] for k, (lo, hi) in box.items()}, "samples": samples,
                    "seed": seed, "share_holding": share}}


def describe_stability(st: Mapping) -> list[str]:
    """Plain lines describing a :func:`stability` result."""
    lines = []
    for name, iv in st["intervals"].items():
        lo, hi = iv["range"]
        if iv["holds"] is None:
            lines.append(f"  {name}: does not hold at the case's value (range {lo:g} to {hi:g})")
        elif iv["throughout"]:
            lines.append(f"  {name}: holds over the whole range {lo:g} to {hi:g}")
        else:
            a, b = iv["holds"]
            lines.append(f"  {name}: holds from {a:g} to {b:g} (searched {lo:g} to {hi:g}, others at the case's values)")
    box = st["box"]
    region = ", ".join(f"{k} in [{lo:g}, {hi:g}]" for k, (lo, hi) in box["region"].items())
    lines.append(f"  jointly, {region}: holds at {box['share_holding']:.0%} of {box['samples']} random points "
                 f"(seed {box['seed']})")
    return lines


def sigma_and_threshold(P: Mapping[str, float]) -> dict:
    """The closed form of the model's description, by hand, for a Protégé that resists alone when abandoned
    (-L_P above -c_P and u_R) and a commitment that binds alike after provoked and unprovoked crises
    (types 0, 1, 3).

    An irresolute Defender supports iff p_C*d_W_irr + (1 - p_C)*g_D > -s_D - k*[binds]; sigma, the support the
    Challenger expects, is p_D + (1 - p_D)*(theta*[supports if bound] + (1 - theta)*[supports if free]) with
    theta = q (type 1), 1 (type 3), 0 (type 0); the Challenger challenges iff
    sigma*(p_C*a_W + (1 - p_C)*a_B) + (1 - sigma)*a_V > a_SQ, i.e. iff sigma < (a_V - a_SQ)/(a_V - V)."""
    c = int(P["commitment"])
    if c == 2:
        raise ValueError("the hand closed form here covers commitment types 0, 1 and 3")
    theta = {0: 0.0, 1: float(P["q"]), 3: 1.0}[c]
    S = P["p_C"] * P["d_W_irr"] + (1 - P["p_C"]) * P["g_D"]
    free, bound = S > -P["s_D"], S > -P["s_D"] - P["k"]
    sigma = P["p_D"] + (1 - P["p_D"]) * (theta * bound + (1 - theta) * free)
    V = P["p_C"] * P["a_W"] + (1 - P["p_C"]) * P["a_B"]
    threshold = (P["a_V"] - P["a_SQ"]) / (P["a_V"] - V)
    return {"sigma": float(sigma), "threshold": float(threshold), "challenge": bool(sigma < threshold),
            "irresolute_supports_if_free": bool(free), "irresolute_supports_if_bound": bool(bound)}


@dataclass(frozen=True)
class CrisisCaseReport:
    """A documented crisis set against the tripartite game's equilibrium at the case's parameters."""

    case: str
    title: str
    players: dict
    facts: tuple            # ({"date", "event", "source"}, ...)
    mapping: tuple          # ({"history", "model", "value"}, ...)
    parameters: dict
    documented: str         # "challenge" or "deterred": the documented outcome in the model's terms
    documented_text: str
    model: dict             # the equilibrium at the parameters (answer(...))
    hand: dict              # sigma_and_threshold at the parameters
    counterfactual: dict    # {"label", "set", "result"}: the other commitment at the same values
    stability: dict
    stylized: str
    provenance: dict

    @property
    def agrees(self) -> bool:
        """The model's equilibrium gives the documented outcome."""
        return self.model["answer"] == self.documented

    def to_dict(self) -> dict:
        return {"case": self.case, "title": self.title, "players": self.players, "facts": list(self.facts),
                "mapping": list(self.mapping), "parameters": self.parameters, "documented": self.documented,
                "documented_text": self.documented_text, "model": self.model, "agrees": self.agrees,
                "hand_derived": self.hand, "counterfactual": self.counterfactual, "stability": self.stability,
                "stylized": self.stylized, "provenance": self.provenance}

    def summary(self) -> str:
        """The report as text (the ``deterrence reproduce`` table)."""
        words = {"challenge": "challenge", "deterred": "no challenge (deterrence holds)", "mixed": "mixed"}
        out = [self.title, "", "The documented record:"]
        out += [f"  {f['date']:<18} {f['event']}  [{f['source']}]" for f in self.facts]
        out += ["", "Players: " + "; ".join(f"{k} = {v}" for k, v in self.players.items()),
                "", "Mapping (every value illustrative):"]
        out += [f"  {m['history']}: {m['model']}" + (f" ({m['value']})" if m["value"] else "") for m in self.mapping]
        out += ["", "Parameters: " + ", ".join(f"{k} = {v:g}" for k, v in self.parameters.items())]
        m = self.model
        out += ["", f"Model (sequential equilibrium): {words[m['answer']]}; P(challenge) = {m['P_challenge']}, "
                    f"P(war) = {m['P_war']}, P(defender intervenes) = {m['P_defender_intervenes']}",
                f"History: {self.documented_text}",
                f"Agreement: {'yes' if self.agrees else 'NO'} (documented: {words[self.documented]})",
                f"By hand: support expected sigma = {self.hand['sigma']:.3f} against the threshold "
                f"{self.hand['threshold']:.3f}: {'challenge' if self.hand['challenge'] else 'no challenge'}"]
        cf = self.counterfactual
        out += [f"Counterfactual, {cf['label']} (all else equal): {words[cf['result']['answer']]}, "
                f"P(challenge) = {cf['result']['P_challenge']}"]
        out += ["", f"Is the answer an artefact of one value? Where '{self.documented}' still holds:"]
        out += describe_stability(self.stability)
        out += ["", f"What is stylized: {self.stylized}"]
        return "\n".join(out)


def reproduce_case(model, *, case: str, title: str, players: dict, facts, mapping, parameters: dict,
                   documented: str, documented_text: str, counterfactual: tuple, ranges: dict, box: dict,
                   stylized: str, version: str = "") -> CrisisCaseReport:
    """Solve *model* at *parameters* and at the *counterfactual* ``(label, overrides)``, check stability over
    *ranges* and *box*, and return the report.  Nothing is written down: every answer is solved."""
    label, over = counterfactual
    here, there = answers(model, [parameters, {**parameters, **over}])
    st = stability(model, parameters, documented, ranges, box)
    meta = getattr(model, "metadata", None) or {}
    prov = {"package_version": version, "model": model.name, "concept": CONCEPT,
            "file": meta.get("path"), "file_sha256": meta.get("sha256")}
    return CrisisCaseReport(case, title, dict(players), tuple(dict(f) for f in facts),
                            tuple(dict(m) for m in mapping), dict(parameters), documented, documented_text, here,
                            sigma_and_threshold(parameters), {"label": label, "set": dict(over), "result": there},
                            st, stylized, prov)


def commitment_curves(model, params: Mapping[str, float], name: str = "p_D", values=None) -> dict:
    """P(challenge) and P(war) for each commitment type (none, straddle, conditional, clear) as *name* moves.

    Every other parameter keeps its value in *params*; all points are solved in one batched call (the
    model's sequential equilibrium).  Where the equilibrium is not unique, ``P_challenge`` and ``P_war`` are
    the measures' reported values and ``unique`` says so.

    Returns ``{"parameter": name, "values": [...], "curves": {type: {"P_challenge": [...], "P_war": [...],
    "unique": [...]}}, "types": {code: name}}`` with the types named by :data:`COMMITMENT_NAMES`."""
    values = np.linspace(0.0, 1.0, 201) if values is None else np.asarray(values, float)
    rows = [{**params, "commitment": float(c), name: float(v)} for c in COMMITMENT_NAMES for v in values]
    cols = solve_points(model, rows)
    n = len(values)
    curves = {}
    for i, c in enumerate(COMMITMENT_NAMES):
        s = slice(i * n, (i + 1) * n)
        lo, hi = np.asarray(cols["P_challenge[min]"])[s], np.asarray(cols["P_challenge[max]"])[s]
        curves[COMMITMENT_NAMES[c]] = {"P_challenge": [float(v) for v in np.asarray(cols["P_challenge"])[s]],
                                       "P_war": [float(v) for v in np.asarray(cols["P_war"])[s]],
                                       "unique": [bool(abs(a - b) <= _TOL) for a, b in zip(lo, hi)]}
    return {"parameter": name, "values": [float(v) for v in values], "curves": curves,
            "types": {int(c): COMMITMENT_NAMES[c] for c in COMMITMENT_NAMES}}
