"""The command line on computed models (kind ``"computed"``, e.g. ``burden_sharing:n=5``): show, solve.

A computed model (:class:`~deterrence.analysis.computed.ComputedModel`) has parameters, measures computed by a
certified function and claims (``deterrence claims``), but no game form: ``export``, ``sweep`` and the
options about payoffs or concepts are refused with a one-line reason (exit 2).  Called from
:mod:`deterrence.cli`.
"""

from __future__ import annotations

from .errors import ModelError


def is_computed(m) -> bool:
    return getattr(m, "kind", "") == "computed"


def refuse(m, what: str, why: str = "it has no game form; its measures are computed by its function"):
    raise ModelError(f"{what} does not apply to {m.name!r}, a computed model ({m.concept}): {why}")


def describe(m) -> dict:
    params = [{"name": p.name, "domain": str(p.domain), "default": p.default, "unit": p.unit,
               "meaning": p.meaning, "source": p.source} for p in m.parameters.values()]
    return {"name": m.name, "title": m.title, "kind": m.kind, "description": m.description, "source": m.source,
            "computes": m.concept, "players": list(m.players), "parameters": params,
            "constraints": [str(c.text) for c in m.constraints],
            "measures": [meas.to_dict() for meas in m.measures.values()],
            "claims": [{"id": c.id, "kind": c.kind, "statement": c.statement(), "source": c.source,
                        "words": c.words} for c in m.claims]}


def show(m, args, table, num, print_json, short) -> int:
    if args.latex:
        refuse(m, "--latex", "it has no payoff expressions")
    d = describe(m)
    if args.json:
        print_json(d)
        return 0
    print(f"{m.name}: {m.title or ''}  (computed)")
    if m.source:
        print(f"source: {' '.join(m.source.split())}")
    print(f"computes: {m.concept}")
    print(f"players: {', '.join(m.players)}")
    print("\nparameters:")
    print(table([[p["name"], p["domain"], "" if p["default"] is None else num(p["default"]), p["unit"] or "",
                  p["meaning"]] for p in d["parameters"]], ["name", "domain", "default", "unit", "meaning"]))
    print("\nmeasures:")
    print(table([[x["name"], x["unit"], x["meaning"]] for x in d["measures"]], ["name", "unit", "meaning"]))
    if d["claims"]:
        print(f"\nclaims (deterrence claims {m.name} checks them):")
        for c in d["claims"]:
            print(f"  {c['id']} ({c['kind']}): {c['statement']}  [{short(c['source'])}]")
    return 0


def solve(m, args, values, print_json, num) -> int:
    if getattr(args, "concept", None) not in (None, "auto"):
        refuse(m, "--concept", f"it computes {m.concept}")
    point, _ = m.point(values)
    vals = {k: float(v[0]) for k, v in m.values(values).items()}
    out = {"model": m.name, "computes": m.concept, "parameters": {k: float(v) for k, v in point.items()},
           "measures": vals}
    if args.json:
        print_json(out)
        return 0
    print(f"{m.name} at " + ", ".join(f"{k}={num(v)}" for k, v in out["parameters"].items()))
    print(f"computes: {m.concept}")
    width = max(len(k) for k in vals)
    for k, v in vals.items():
        print(f"  {k:<{width}}  {num(v)}   ({m.measures[k].meaning})")
    return 0
