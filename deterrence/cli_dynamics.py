"""The command line on dynamics models (model-file kind ``"dynamics"``): show, solve, sweep.

Called from :mod:`deterrence.cli`; a command or option that does not apply to a dynamical system is refused
there or here with a one-line reason (exit 2).
"""

from __future__ import annotations

import math
import os

import numpy as np

from .errors import ModelError

#: Largest grid a dynamics sweep computes (each point is a 2x2 or n x n eigenproblem).
MAX_DYNAMICS_POINTS = 10_000_000


def is_dynamics(m) -> bool:
    return getattr(m, "kind", "") == "dynamics"


def refuse(m, what: str, why: str):
    raise ModelError(f"{what} does not apply to {m.name!r}, a dynamics model: {why}")


def describe(m) -> dict:
    params = [{"name": p.name, "domain": str(p.domain), "default": p.default, "unit": p.unit,
               "meaning": p.meaning, "source": p.source} for p in m.parameters.values()]
    coef = {}
    for s, form in m.coefficients.items():
        coef[s] = {("constant" if k is None else k): str(v) for k, v in form.items()}
    return {"name": m.name, "title": m.title, "kind": m.kind, "description": m.description, "source": m.source,
            "notes": m.metadata.get("notes"), "parameters": params,
            "constraints": [str(c.text) for c in m.constraints],
            "states": [{"name": s, **st} for s, st in m.states.items()],
            "equations": {s: str(e) for s, e in m.equations.items()}, "coefficients": coef}


def show(m, args, table, num, print_json, short) -> int:
    d = describe(m)
    if args.latex:
        refuse(m, "--latex", "it has equations, not payoffs")
    if args.json:
        print_json(d)
        return 0
    print(f"{m.name}: {m.title or ''}  (dynamics)")
    if m.source:
        print(f"source: {' '.join(m.source.split())}")
    if d["parameters"]:
        print("\nparameters:")
        print(table([[p["name"], p["domain"], "" if p["default"] is None else num(p["default"]), p["unit"] or "",
                      p["meaning"]] for p in d["parameters"]], ["name", "domain", "default", "unit", "meaning"]))
    if d["constraints"]:
        print("\nconstraints: " + "; ".join(d["constraints"]))
    print("\nstates:")
    print(table([[s["name"], num(s["initial"]), s["unit"], s["meaning"]] for s in d["states"]],
                ["state", "initial", "unit", "meaning"]))
    print("\nequations:")
    for s, e in d["equations"].items():
        print(f"  d{s}/dt = {e}")
    print("\nlinear form (coefficient of each state, and the constant):")
    cols = list(m.states) + ["constant"]
    print(table([[s] + [d["coefficients"][s].get(c, "0") for c in cols] for s in m.states], ["d/dt"] + cols))
    if d["notes"]:
        print(f"\nnotes: {' '.join(d['notes'].split())}")
    return 0


def _system_fields(m, sysm, b: int) -> dict:
    eig = sysm.eigenvalues()[b]
    eq = sysm.equilibrium()[b]
    out = {"equilibrium": {s: (None if not math.isfinite(v) else float(v)) for s, v in zip(m.states, eq)},
           "eigenvalues": [float(v) if np.isrealobj(eig) or abs(complex(v).imag) == 0 else
                           {"re": float(complex(v).real), "im": float(complex(v).imag)} for v in eig],
           "stable": bool(sysm.stable()[b])}
    reg = sysm.regime()
    if reg is not None:
        out["regime"] = str(reg[b])
        out["regime_from"] = {s: float(v) for s, v in zip(m.states, sysm.initial[b])}
    return out


def solve(m, args, values, print_json, num) -> int:
    if args.concept:
        refuse(m, f"--concept {args.concept}", "solution concepts are for games; 'solve' gives the equilibrium, "
                                              "the eigenvalues, the stability and the regime")
    point = {k: float(v) for k, v in m.point(values)[0].items()}
    sysm = m.at(values)
    result = {"model": m.name, "kind": "dynamics", "parameters": point,
              "matrix": sysm.matrix[0].tolist(), "constant": sysm.forcing[0].tolist()}
    result.update(_system_fields(m, sysm, 0))
    if args.time:
        traj = sysm.trajectory(args.time)
        result["trajectory"] = [{"t": float(t), **{s: float(v) for s, v in zip(m.states, traj[i, 0])}}
                                for i, t in enumerate(args.time)]
    from .analysis.provenance import provenance
    result["provenance"] = provenance(m, concept="linear dynamics (Richardson)", tol=0.0, point=point)
    if args.json:
        print_json(result)
        return 0
    print(f"{m.name}: linear dynamics at " + ", ".join(f"{k}={num(v)}" for k, v in point.items()))
    print("equilibrium: " + ", ".join(f"{s} = {'none (singular matrix)' if v is None else num(v)}"
                                       for s, v in result["equilibrium"].items()))
    print("eigenvalues: " + ", ".join(num(v) if not isinstance(v, dict) else f"{num(v['re'])}{v['im']:+.6g}i"
                                       for v in result["eigenvalues"]))
    cond = "; two states: iff the product of the reactions is below the product of the fatigues (k*l < a*b)" \
        if sysm.richardson is not None else ""
    print(f"stable: {'yes' if result['stable'] else 'no'} (stable iff every eigenvalue is negative{cond})")
    if "regime" in result:
        start = ", ".join(f"{s} = {num(v)}" for s, v in result["regime_from"].items())
        print(f"regime: {result['regime']} (from the initial values {start})")
    for row in result.get("trajectory", []):
        print(f"at t = {num(row['t'])}: " + ", ".join(f"{s} = {num(row[s])}" for s in m.states))
    return 0


def sweep(m, args, grid, fixed, table, num, print_json, plural, check_plot_path) -> int:
    from .analysis.atomic import atomic_write, check_output_path
    from .analysis.points import parse_axis
    for opt, why in (("samples", "a dynamics sweep takes --grid axes"), ("measure", "it has no measures"),
                     ("threshold", "it has no measures"), ("concept", "solution concepts are for games"),
                     ("bounds", "--bounds goes with --samples")):
        if getattr(args, opt, None) not in (None, False, []):
            refuse(m, f"--{opt}", why)
    if not grid:
        raise ModelError("sweep: give at least one --grid name=lo:hi:n")
    unknown = sorted(set(grid) - set(m.parameter_names))
    if unknown:
        raise ModelError(f"--grid: {unknown} not a parameter of {m.name!r}; parameters: {list(m.parameter_names)}")
    both = sorted(set(grid) & set(fixed))
    if both:
        raise ModelError(f"{both} given both as --grid and as --set")
    axes = {k: np.asarray(parse_axis(v), dtype=float) for k, v in grid.items()}
    total = math.prod(a.size for a in axes.values())
    if total > MAX_DYNAMICS_POINTS:
        raise ModelError(f"sweep: {total:,} grid points; at most {MAX_DYNAMICS_POINTS:,} for a dynamics sweep")
    if args.plot:
        if len(axes) != 2:
            raise ModelError(f"--plot draws a region map over exactly two --grid parameters; {len(axes)} given")
        check_plot_path(args.plot)
    ext = ""
    if args.out:
        check_output_path(args.out)
        ext = os.path.splitext(args.out)[1].lower()
        if ext not in (".csv", ".json"):
            raise ModelError(f"--out {args.out!r}: a dynamics sweep writes .csv or .json")
    mesh = np.meshgrid(*axes.values(), indexing="ij")        # first axis varying slowest, as in 'sweep'
    values = dict(fixed)
    values.update({k: g.reshape(-1) for k, g in zip(axes, mesh)})
    pts, _ = m.point(values)
    pts = {k: np.broadcast_to(v, (total,)) for k, v in pts.items()}
    n = len(m.states)
    eq = np.empty((total, n))
    eig = np.empty((total, n), dtype=complex)
    stable = np.empty(total, dtype=bool)
    regime = np.empty(total, dtype=object)
    step = max(1, int(args.chunk_size))
    for lo in range(0, total, step):
        sl = slice(lo, min(total, lo + step))
        sysm = m.at({k: v[sl] for k, v in pts.items()})
        eq[sl], eig[sl], stable[sl] = sysm.equilibrium(), sysm.eigenvalues(), sysm.stable()
        reg = sysm.regime()
        regime[sl] = reg if reg is not None else np.where(stable[sl], "stable", "unstable")
    labels, counts = np.unique(regime.astype(str), return_counts=True)
    outcomes = {str(k): int(v) for k, v in zip(labels, counts)}
    held = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in pts.items() if k not in axes}
    rows_cols = list(m.parameter_names) + [f"{s}_eq" for s in m.states]
    real = not np.iscomplexobj(eig) or np.all(eig.imag == 0)
    eig_cols = [f"lambda{i + 1}" for i in range(n)] if real else \
        [c for i in range(n) for c in (f"lambda{i + 1}_re", f"lambda{i + 1}_im")]
    cols = rows_cols + eig_cols + ["stable", "regime"]
    if args.out:
        data = {k: np.asarray(pts[k], dtype=float) for k in m.parameter_names}
        data.update({f"{s}_eq": eq[:, i] for i, s in enumerate(m.states)})
        for i in range(n):
            if real:
                data[f"lambda{i + 1}"] = eig[:, i].real
            else:
                data[f"lambda{i + 1}_re"], data[f"lambda{i + 1}_im"] = eig[:, i].real, eig[:, i].imag
        if ext == ".csv":
            import csv
            with atomic_write(args.out, "w", encoding="utf-8", newline="") as fh:
                w = csv.writer(fh)
                w.writerow(cols)
                for b in range(total):
                    w.writerow([repr(float(data[c][b])) for c in cols[:-2]] +
                               ["true" if stable[b] else "false", regime[b]])
        else:
            import json
            recs = [{**{c: (None if not math.isfinite(data[c][b]) else float(data[c][b])) for c in cols[:-2]},
                     "stable": bool(stable[b]), "regime": str(regime[b])} for b in range(total)]
            with atomic_write(args.out, "w", encoding="utf-8") as fh:
                json.dump({"model": m.name, "columns": cols, "rows": recs}, fh, allow_nan=False)
    if args.plot:
        from .analysis.regions import RegionMap, parameter_label
        from .plot.regions import plot_regions
        (xn, xs), (yn, ys) = list(axes.items())
        order = list(dict.fromkeys(regime.reshape(xs.size, ys.size).T.reshape(-1)))
        idx = np.array([order.index(r) for r in regime]).reshape(xs.size, ys.size).T
        rm = RegionMap(x_name=xn, y_name=yn, x=xs, y=ys, labels=tuple(str(o) for o in order), index=idx,
                       table=None, model_name=m.name, concept="", x_label=parameter_label(m, xn),
                       y_label=parameter_label(m, yn), title="")
        plot_regions(rm, args.plot, title=f"{m.title or m.name}\nRichardson regime (from the initial values)")
    summary = {"model": m.name, "kind": "dynamics", "points": total, "swept": list(axes), "held": held,
               "regimes": outcomes, "stable": int(stable.sum())}
    if args.out:
        summary["out"] = args.out
    if args.json:
        print_json(summary)
        return 0
    print(f"{m.name}: linear dynamics over {plural(total, 'point')} (batched)")
    if held:
        print("held: " + ", ".join(f"{k}={num(v)}" for k, v in held.items()))
    print(table([[k, v, f"{100 * v / total:.1f}%"] for k, v in outcomes.items()], ["regime", "points", "share"]))
    print(f"stable (every eigenvalue negative): {plural(int(stable.sum()), 'point')} of {total}")
    if args.out:
        print(f"table written to {args.out}")
    if args.plot:
        print(f"region map written to {args.plot}")
    return 0
