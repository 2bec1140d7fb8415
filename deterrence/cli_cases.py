"""The ``cascade`` and ``reproduce`` commands of the ``deterrence`` command line.

::

    deterrence cascade NETWORK --attack ATTACKER:TARGET [--honour P --draws N --seed S] [--importance]
                       [--json] [--plot F]
    deterrence cascade FILE.csv --year 1914 --attack 255:365 [--names States2016.csv]
                                                                 COW dyadic or ATOP member-level data
    deterrence reproduce 1914 [--counterfactual NAME ...] [--honour P] [--json] [--plot F | --no-plot]
    deterrence reproduce richardson_1909 [--json] [--plot F | --no-plot]
    deterrence reproduce cold_war_blocs [--json] [--plot F | --no-plot]   SIPRI's five-yearly series (shipped)
    deterrence reproduce cold_war_blocs --nmc NMC.csv [--cpi CPIAUCSL.csv]   the annual fit on the user's COW file
    deterrence reproduce nato_article5 [--honour P] [--json] [--plot F | --no-plot]
    deterrence reproduce korea_1950 [--json] [--plot F | --no-plot]   the tripartite crisis game at the case's values
    deterrence reproduce taiwan_1958 [--json] [--plot F | --no-plot]
    deterrence reproduce --list

NETWORK is a shipped network name (``july_1914``), a network file (``.toml``)
or a COW / ATOP alliance file (``.csv``, with ``--year``).  States are named
by name or COW code.  Errors are :class:`~deterrence.errors.ModelError` and
exit with code 2 (handled by :mod:`deterrence.cli`).
"""

from __future__ import annotations

import json
import os

from .errors import ModelError

__all__ = ["add_case_commands", "cmd_cascade", "cmd_reproduce"]

_JSON_HELP = "print JSON instead of a table"


def _table(rows, headers) -> str:
    rows = [[str(c) for c in r] for r in rows]
    widths = [max([len(h)] + [len(r[k]) for r in rows]) for k, h in enumerate(headers)]
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(out)


def _version() -> str:
    from .version import __version__
    return __version__


def _probability(text: str) -> float:
    try:
        v = float(text)
    except ValueError:
        raise ModelError(f"--honour {text!r}: expected a probability in [0, 1]") from None
    if not 0.0 <= v <= 1.0:
        raise ModelError(f"--honour {text!r}: expected a probability in [0, 1]")
    return v


def _great_powers(text) -> list[int]:
    if not text:
        return []
    try:
        return [int(c) for c in text.split(",") if c.strip()]
    except ValueError:
        raise ModelError(f"--great-powers {text!r}: expected COW state codes (integers) separated by commas, "
                         "e.g. 2,200,220,255,365") from None


def _load_network(args):
    from .library import load_network
    src = args.network
    if src.lower().endswith(".csv"):
        from .io.alliance_data import read_atop_members, read_cow_dyadic, sniff_format
        if args.year is None:
            raise ModelError(f"{src}: a COW or ATOP file needs --year")
        gp = _great_powers(args.great_powers)
        names = None
        if getattr(args, "names", None):
            from .io.cow_states import read_cow_states
            names = read_cow_states(args.names, args.year)
        reader = read_cow_dyadic if sniff_format(src) == "cow" else read_atop_members
        return reader(src, args.year, great_powers=gp, names=names), None
    if args.year is not None:
        raise ModelError("--year applies to COW or ATOP data files (.csv) only")
    if getattr(args, "names", None):
        raise ModelError("--names applies to COW or ATOP data files (.csv) only (a network file names its states)")
    model = load_network(src)
    return model.network, model


def _attack(args, model):
    if args.attack:
        if ":" not in args.attack:
            raise ModelError(f"--attack {args.attack!r}: write ATTACKER:TARGET (names or COW codes)")
        a, t = args.attack.split(":", 1)
        return a.strip(), t.strip()
    if model is not None and model.attack:
        return model.attack
    raise ModelError("--attack ATTACKER:TARGET is needed (the network documents no initial attack)")


def _check_plot_path(path):
    if path is None:
        return
    ext = os.path.splitext(path)[1].lower()
    if ext not in (".png", ".pdf", ".svg"):
        raise ModelError(f"--plot {path!r}: the figure is written as .png, .pdf or .svg")
    d = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(d):
        raise ModelError(f"--plot {path!r}: no directory {d!r}")


def _plot(result, network, path, dates=None, side_names=None):
    from .plot.cascade import plot_cascade
    kw = {"side_names": side_names} if side_names else {}
    fig = plot_cascade(result, network, path, dates=dates, **kw)
    import matplotlib.pyplot as plt
    plt.close(fig)


def cmd_cascade(args) -> int:
    from .networks import cascade
    from .networks.stochastic import DEFAULT_SEED, cascade_distribution, commitment_importance
    _check_plot_path(args.plot)
    net, model = _load_network(args)
    attack = _attack(args, model)
    res = cascade(net, attack)
    stoch = importance = None
    if args.honour is not None or args.draws is not None or args.importance:
        honour = _probability(args.honour) if args.honour is not None else None
        method = "monte_carlo" if args.draws is not None else "auto"
        kw = dict(honour=honour, method=method, draws=10_000 if args.draws is None else args.draws,
                  seed=DEFAULT_SEED if args.seed is None else args.seed)
        stoch = cascade_distribution(net, attack, **kw)
        if args.importance:
            by_id = {c.id: c for c in net.commitments}
            importance = [{"commitment": cid, "name": by_id[cid].name, "article": by_id[cid].article,
                           "reduction": v} for cid, v in commitment_importance(net, attack, **kw).items()]
    prov = {"package_version": _version(), "network": net.name,
            "file": getattr(model, "path", None) or args.network, "file_sha256": getattr(model, "digest", None)}
    if getattr(args, "names", None):
        prov["names_file"] = args.names
    if args.json:
        out = {"network": net.name, "attack": list(res.attack),
               "entries": [{"state": e.state, "round": e.round, "phase": e.phase, "side": e.side,
                            "against": list(e.against), "through": list(e.reasons),
                            "commitments": list(e.commitments)} for e in res.entries],
               "occupied": list(res.occupied),
               "stays_out": {s: res.why(s) for s in res.neutral(net.state_names)}, "provenance": prov}
        if stoch is not None:
            out["stochastic"] = {"method": stoch.method, "draws": stoch.draws, "seed": stoch.seed,
                                 "engine": "vectorised" if stoch.samples is not None else None,
                                 "kernel": stoch.samples.kernel if stoch.samples is not None else None,
                                 "standard_error": stoch.standard_error, "p_enter": stoch.p_enter,
                                 "expected_belligerents": stoch.expected_size,
                                 "size_distribution": {str(k): v for k, v in stoch.size_pmf.items()}}
            prov["honour"] = args.honour
        if importance is not None:
            out["importance"] = importance
        print(json.dumps(out, indent=2))
    else:
        print(f"{net.title or net.name}: cascade from {res.attack[0]}'s attack on {res.attack[1]}")
        rows = [(e.round if e.phase == 1 else "later", e.state, ", ".join(e.against), "; ".join(e.reasons))
                for e in res.entries]
        print(_table(rows, ["round", "enters", "against", "through"]))
        for s in res.occupied:
            print(f"{s}: occupied, does not resist")
        for s in res.neutral(net.state_names):
            print(res.why(s))
        if stoch is not None:
            how = (f"exact over {len(stoch.leaves)} branches" if stoch.method == "exact" else
                   f"Monte Carlo, {stoch.draws} draws run together, seed {stoch.seed}, largest standard error "
                   f"{stoch.standard_error:.4f}")
            print(f"\nWith obligations honoured with probability "
                  f"{args.honour if args.honour is not None else 'as in the file'} ({how}):")
            rows = [(s, f"{p:.4f}") for s, p in stoch.p_enter.items()]
            print(_table(rows, ["state", "P(enters)"]))
            print(f"expected number of belligerents: {stoch.expected_size:.4f}")
            print("size of the war (belligerents: probability): "
                  + ", ".join(f"{k}: {v:.4f}" for k, v in sorted(stoch.size_pmf.items())))
        if importance is not None:
            print("\nWhich commitments matter most: each removed in turn, with the same honour probabilities"
                  + (" and draws" if stoch.method != "exact" else ""))
            rows = [(f"{r['name']}{', ' + r['article'] if r['article'] else ''}", r["commitment"],
                     f"{r['reduction']:.4f}") for r in importance]
            print(_table(rows, ["commitment", "id", "expected belligerents fewer without it"]))
        print(f"\n[deterrence {prov['package_version']}; network {net.name}"
              + (f", sha256 {prov['file_sha256'][:12]}" if prov["file_sha256"] else "") + "]")
    if args.plot:
        _plot(res, net, args.plot, dates=model.entry_dates() if model else None)
        if not args.json:
            print(f"figure: {args.plot}")
    return 0


def cmd_reproduce(args) -> int:
    from .cases import CASES, NEEDS_DATA, OPTIONAL_DATA
    if args.list or not args.case:
        if args.json:
            print(json.dumps({k: {"network": n, "reproduces": d, "needs": NEEDS_DATA.get(k),
                                  "optional_data": OPTIONAL_DATA.get(k)}
                              for k, (n, d) in CASES.items()}, indent=2))
        else:
            for k, (n, d) in CASES.items():
                print(f"{k}: {d}" + (f" (network {n})" if n else "")
                      + (f" [{NEEDS_DATA[k]}]" if k in NEEDS_DATA else "")
                      + (f" [{OPTIONAL_DATA[k]}]" if k in OPTIONAL_DATA else ""))
        return 0
    if args.case not in CASES:
        raise ModelError(f"no case {args.case!r}; cases: {sorted(CASES)} (deterrence reproduce --list)")
    if args.case not in NEEDS_DATA and args.case not in OPTIONAL_DATA:
        for flag, val in (("--nmc", args.nmc), ("--cpi", args.cpi)):
            if val:
                raise ModelError(f"{flag} applies to cold_war_blocs only (the data file it reads)")
    if args.case == "richardson_1909":
        return _reproduce_richardson(args)
    if args.case == "cold_war_blocs":
        return _reproduce_cold_war(args)
    if args.case == "nato_article5":
        return _reproduce_nato(args)
    if args.case in ("korea_1950", "taiwan_1958"):
        return _reproduce_crisis_case(args)
    from .cases.july_1914 import COUNTERFACTUALS, LEEDS_HONOUR, reproduce
    from .library import load_model, load_network
    plot = _plot_path(args)
    model = load_network(CASES[args.case][0])
    honour = LEEDS_HONOUR if args.honour is None else _probability(args.honour)
    report = reproduce(model, args.counterfactual or (), honour=honour, seed=args.seed, version=_version(),
                       crisis_model=load_model("tripartite_crisis"))
    net = model.network if not args.counterfactual else _apply(model.network, args.counterfactual, COUNTERFACTUALS)
    figure = _draw(plot, lambda path: _plot(report.result, net, path, dates=model.entry_dates(),
                                            side_names=("Central Powers", "Entente and allies")))
    if not _print_json(args, report, figure):
        _print_1914(report, model, args, figure)
    return 0


def _draw(plot, draw) -> str | None:
    """Draw the case's figure at *plot* (None: no figure); what to report: the path, or why it was not drawn."""
    if not plot:
        return None
    try:
        draw(plot)
    except ModelError as exc:            # matplotlib missing: the case still runs
        return f"not drawn: {exc}"
    return plot


def _print_json(args, report, figure) -> bool:
    """With ``--json``, print the report (and the figure's fate) as JSON and return True."""
    if not args.json:
        return False
    d = report.to_dict()
    d["figure"] = figure
    print(json.dumps(d, indent=2))
    return True


def _reproduce_nato(args) -> int:
    from .cases.nato_article5 import reproduce
    for flag, val in (("--counterfactual", args.counterfactual), ("--seed", args.seed)):
        if val:
            raise ModelError(f"{flag} does not apply to nato_article5 (exact probabilities, nothing sampled)")
    plot = _plot_path(args)
    report = reproduce(**({"reliability": _probability(args.honour)} if args.honour is not None else {}),
                       version=_version())

    def draw(path):
        from .plot.cases import plot_nato_article5
        _close(plot_nato_article5(report, report.figure_data(), path))
    figure = _draw(plot, draw)
    if _print_json(args, report, figure):
        return 0
    print(f"NATO's Article 5: an attack on one of {len(report.members)} members, {report.guarantors} guarantors, "
          f"each honouring with probability {report.reliability}\n")
    print("Collective credibility: P(at least K guarantors fight), by the correlation of their decisions")
    cols = list(next(iter(report.credibility.values())))
    rows = [(k, *(f"{report.credibility[k][c]:.4f}" for c in cols)) for k in report.credibility]
    print(_table(rows, ["K needed"] + [f"rho={c:g}" for c in cols]))
    print(f"\nExpected number of guarantors who fight: {report.expected_coalition:.2f}")
    print("\nIf each guarantor decides strategically, waiting for the others (volunteer's dilemma, Diekmann 1985):")
    rows = [(f"{c:g}", f"{p:.4f}") for c, p in report.abandonment.items()]
    print(_table(rows, ["cost / value", "P(no ally intervenes)"]))
    print(f"\nWhat is stylized: {report.stylized}")
    print(f"\n[deterrence {report.provenance['package_version']}; reliability: "
          f"{report.provenance['reliability_source']}; members: {report.provenance['members_source']}]")
    if figure:
        print(f"figure: {figure}")
    return 0


def _reproduce_crisis_case(args) -> int:
    import importlib
    from .library import load_model
    for flag, val in (("--counterfactual", args.counterfactual), ("--honour", args.honour), ("--seed", args.seed)):
        if val:
            raise ModelError(f"{flag} does not apply to {args.case} (the crisis game at stated parameters; "
                             "the report gives the other commitment's answer)")
    plot = _plot_path(args)
    case = importlib.import_module(f".cases.{args.case}", __package__)
    model = load_model("tripartite_crisis")
    report = case.reproduce(model, version=_version())

    def draw(path):
        from .cases.crisis_game import commitment_curves
        from .plot.cases import plot_crisis_case
        _close(plot_crisis_case(report, commitment_curves(model, report.parameters), path))
    figure = _draw(plot, draw)
    if _print_json(args, report, figure):
        return 0
    print(report.summary())
    p = report.provenance
    print(f"\n[deterrence {p['package_version']}; model {p['model']}, sha256 {(p['file_sha256'] or '')[:12]}; "
          f"concept {p['concept']}]")
    if figure:
        print(f"figure: {figure}")
    return 0


def _plot_path(args):
    """Where the case's figure goes: ``--plot``, else ``deterrence-CASE.png``; None with ``--no-plot``."""
    if args.no_plot and args.plot:
        raise ModelError("--plot and --no-plot: give one")
    plot = None if args.no_plot else (args.plot or f"deterrence-{args.case}.png")
    _check_plot_path(plot)
    return plot


def _close(fig):
    import matplotlib.pyplot as plt
    plt.close(fig)


def _reproduce_cold_war_sipri(args) -> int:
    """The shipped default: SIPRI's five-yearly table (constant 1978 dollars, so no deflator applies)."""
    from .cases.cold_war_blocs import reproduce_sipri
    if args.cpi:
        raise ModelError("--cpi deflates the NMC file and needs --nmc PATH; the shipped SIPRI series is already "
                         "in constant 1978 dollars")
    plot = _plot_path(args)
    report = reproduce_sipri(version=_version())

    def draw(path):
        from .plot.cases import plot_cold_war_sipri
        _close(plot_cold_war_sipri(report, path))
    figure = _draw(plot, draw)
    if _print_json(args, report, figure):
        return 0
    print(report.summary())
    print(f"\n[deterrence {report.provenance['package_version']}; data shipped: SIPRI Yearbook 1981 via McNeill "
          "1982, Table 3; for the annual fit on the Correlates of War data: --nmc PATH]")
    if figure:
        print(f"figure: {figure}")
    return 0


def _reproduce_cold_war(args) -> int:
    from .cases.cold_war_blocs import reproduce
    for flag, val in (("--counterfactual", args.counterfactual), ("--honour", args.honour), ("--seed", args.seed)):
        if val:
            raise ModelError(f"{flag} does not apply to cold_war_blocs (a fit to data, with nothing sampled)")
    if not args.nmc:
        return _reproduce_cold_war_sipri(args)
    from .io.fred import read_fred_annual
    from .io.nmc import read_nmc
    plot = _plot_path(args)
    milex = read_nmc(args.nmc, "milex")
    cpi = read_fred_annual(args.cpi) if args.cpi else None
    report = reproduce(milex, cpi=cpi, version=_version(), data=os.path.basename(args.nmc),
                       cpi_file=os.path.basename(args.cpi) if args.cpi else None)

    def draw(path):
        from .plot.cases import plot_cold_war_blocs
        _close(plot_cold_war_blocs(report, path))
    figure = _draw(plot, draw)
    if _print_json(args, report, figure):
        return 0
    print(report.summary())
    print(f"\n[deterrence {report.provenance['package_version']}; data {args.nmc}"
          + (f", deflator {args.cpi}" if args.cpi else ", no deflator (current dollars)") + "]")
    if figure:
        print(f"figure: {figure}")
    return 0


def _print_crisis_game(game, counterfactuals) -> None:
    """The section "The July crisis as a game" of ``deterrence reproduce 1914``."""
    a, b = game["austria_hungary"], game["britain"]
    print("\nThe July crisis as a game (models/tripartite_crisis.toml, sequential equilibrium; every value "
          "illustrative)")
    print("  Game 1: Challenger Austria-Hungary, Protégé Serbia, Defender Russia (informal patronage: commitment 1, "
          f"q = {a['parameters']['q']:g}; resolved with p_D = {a['parameters']['p_D']:g}).")
    print("  Germany's support enters as p_C, the probability that Germany fights beside Austria-Hungary "
          "against Russia: blank check p_C = 1, conditional p_C = 0.")
    rows = [(name.replace("_", " "), f"{a[name]['p_C']:g}", a[name]["best_move"], a[name]["P_challenge"],
             a[name]["P_war"], a[name]["P_defender_intervenes"]) for name in ("blank_check", "conditional")]
    print("\n" + _table(rows, ["German support", "p_C", "Austria-Hungary's best move", "P(ultimatum)", "P(war)",
                               "P(Russia backs Serbia)"]))
    h = a["hand_derived"]
    print(f"  By hand: under the blank check the ultimatum pays iff p_D < {h['blank_check_ultimatum_iff_p_D_below']:.3f} "
          f"(and k < {h['blank_check_needs_k_below']:g}); a conditional commitment restrains for p_C up to "
          f"{a['conditional_restrains_up_to_p_C']:g} (solved; sure Russian support below "
          f"{h['conditional_sure_support_while_p_C_below']:g}, by hand).")
    print("  History: blank check 5-6 Jul 1914; ultimatum 23 Jul 1914.")
    print("\n  Game 2 (Zagare and Kilgour 2006): Challenger Germany, Protégé France and Russia, Defender Britain "
          f"(resolved with p_D = {b['parameters']['p_D']:g}).")
    rows = [(c["british_commitment"], c["commitment"], c["germany"].replace("_", " "), f"{c['p_C']:g}",
             "challenges" if c["answer"] == "challenge" else "deterred" if c["answer"] == "deterred" else "mixed",
             c["P_war"]) for c in b["cells"]]
    print("\n" + _table(rows, ["Britain", "commitment", "Germany", "p_C", "answer", "P(war)"]))
    print(f"  The straddle fails for every p_C from {b['straddle_fails_from_p_C']:g} to 1; the clear commitment deters "
          f"for p_C up to {b['clear_deters_up_to_p_C']:g} (by hand {b['hand_derived']['clear_deters_while_p_C_below']:.2f}).")
    for c in counterfactuals:
        for name, ans in (c.get("crisis_game") or {}).items():
            if name == "no_blank_check":
                print(f"  Counterfactual {name}: Austria-Hungary's best move is {ans['best_move']} "
                      f"(P(ultimatum) = {ans['P_challenge']}).")
            elif name == "clear_british_commitment":
                g = ans["germany"]
                print(f"  Counterfactual {name}: a determined Germany "
                      f"{'still challenges' if g['determined']['answer'] == 'challenge' else 'is deterred'}; "
                      f"a less determined one (p_C = {g['less_determined']['p_C']:g}) "
                      f"{'is deterred' if g['less_determined']['answer'] == 'deterred' else 'challenges'}.")
    print(f"  What is stylized: {game['stylized']}")


def _reproduce_richardson(args) -> int:
    from .cases.richardson_1909 import reproduce
    for flag, val in (("--counterfactual", args.counterfactual), ("--honour", args.honour), ("--seed", args.seed)):
        if val:
            raise ModelError(f"{flag} does not apply to richardson_1909 (a fit to data, with nothing sampled)")
    plot = _plot_path(args)
    report = reproduce(version=_version())
    figure = _draw(plot, lambda path: _plot_richardson(report, path))
    if _print_json(args, report, figure):
        return 0
    print(report.summary())
    print(f"\n[deterrence {report.provenance['package_version']}; data {report.provenance['data']}]")
    if figure:
        print(f"figure: {figure}")
    return 0


def _plot_richardson(report, path):
    from .plot.richardson import plot_linear_fit, plot_phase_portrait
    from .plot.regions import require_matplotlib
    plt = require_matplotlib()
    fig, (left, right) = plt.subplots(1, 2, figsize=(13.5, 5.2), gridspec_kw={"width_ratios": [1, 1.05]})
    years = report.years
    plot_linear_fit([report.midpoint, report.start], ax=left, names=["mid-year total", "start-of-year total"],
                    point_labels=[f"{a}-{str(b)[2:]}" for a, b in zip(years[:-1], years[1:])],
                    level_label="U + V (million pounds)", change_label="yearly increase of U + V (million pounds)",
                    title="Richardson's test: the yearly increase against the total")
    plot_phase_portrait(report.model, ax=right, xlim=(60, 180), ylim=(40, 140),
                        starts=[(80, 125), (105, 95), (130, 70), (70, 120), (90, 95), (120, 65)], t_max=4.0,
                        data=(report.series("U"), report.series("V")), data_labels=[str(y) for y in years],
                        data_name="budgets 1909-13", x_label="U: France + Russia (million pounds)",
                        y_label="V: Germany + Austria-Hungary (million pounds)",
                        title="Phase portrait, k - a fitted, a = b = 0.2 illustrative")
    fig.text(0.01, 0.005, "Data: " + report.source, fontsize=7, color="0.35")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    from .analysis.atomic import atomic_path
    ext = os.path.splitext(path)[1].lower().lstrip(".")
    with atomic_path(path) as tmp:
        fig.savefig(tmp, dpi=130, bbox_inches="tight", format=ext)
    plt.close(fig)


def _apply(net, names, table):
    for n in names:
        net = table[n].apply(net)
    return net


def _print_1914(report, model, args, figure):
    a, t = report.attack
    cf = f" (counterfactual: {', '.join(args.counterfactual)})" if args.counterfactual else ""
    print(f"{report.title}{cf}: the cascade from {a}'s attack on {t}, by the treaties' terms\n")
    rows = [(r["model_round"] if r["phase"] == "August" else "later", r["state"], r["side"],
             ", ".join(r["against"]), r["through"], r["history_date"] or "-") for r in report.timeline]
    print(_table(rows, ["round", "enters", "side", "against", "through", "history"]))
    for s in report.result.occupied:
        print(f"\n{s}: occupied, does not resist")
    for row in report.stays_out:
        print(row["why"])
    if not args.counterfactual:
        print("\nThe documented record:")
        for h in model.history:
            print(f"  {h.date}  {h.event}")
    print("\nCounterfactuals (each against the treaties as they were):" if not args.counterfactual else
          "\nAgainst the treaties as they were:")
    stoch = report.stochastic is not None
    rows = [(c["name"], ", ".join(c["enter"]) or "-", ", ".join(c["stay_out"]) or "-",
             "yes" if c["general_war"] else "no") + ((f"{c['p_general_war']:.3f}",) if stoch else ())
            for c in report.counterfactuals]
    print(_table(rows, ["change", "also enter", "stay out", "general war"]
                 + ([f"P(general war), honour {report.stochastic['honour']}"] if stoch else [])))
    for c in report.counterfactuals:
        print(f"  {c['name']}: {c['description']}")
    s = report.stochastic
    if s is not None:
        how = "exact" if s["method"] == "exact" else f"Monte Carlo, {s['draws']} draws, seed {s['seed']}"
        print(f"\nWith each triggered obligation honoured with probability {s['honour']} "
              f"(Leeds, Long and Mitchell 2000: 74.5%; {how}):")
        gp = [st.name for st in model.network.states if st.great_power]
        print("  P(enters): " + ", ".join(f"{n} {s['p_enter'][n]:.3f}" for n in gp))
        print(f"  P(general war: two or more great powers on each side) = {s['p_general_war']:.3f}; "
              f"expected belligerents {s['expected_belligerents']:.2f}")
    print(f"\nWhat is stylized: {report.stylized}")
    if report.crisis_game is not None:
        _print_crisis_game(report.crisis_game, report.counterfactuals)
    p = report.provenance
    print(f"\n[deterrence {p['package_version']}; network {p['network']}, sha256 {(p['file_sha256'] or '')[:12]}]")
    if figure:
        print(f"figure: {figure}")


def add_case_commands(sub, json_help: str = _JSON_HELP) -> None:
    """Register ``cascade`` and ``reproduce`` on the subparsers *sub* of the main parser."""
    s = sub.add_parser("cascade", help="the cascade of a war through an alliance network",
                       description="From an initial attack, who is obliged, who enters, in what order and "
                                   "through which commitment; with --honour or --draws, the probability that "
                                   "each state enters when obligations are honoured with a probability.")
    s.add_argument("network", help="a shipped network (july_1914), a network file (.toml), or a COW dyadic or "
                                   "ATOP member-level alliance file (.csv, with --year)")
    s.add_argument("--attack", metavar="ATTACKER:TARGET",
                   help="the initial attack, by names or COW codes (default: the network's documented attack)")
    s.add_argument("--year", type=int, help="year of the alliances read from a COW or ATOP file")
    s.add_argument("--great-powers", metavar="CODES", help="COW codes of the great powers (for a data file)")
    s.add_argument("--names", metavar="FILE", help="the COW state list (States2016.csv: stateabb, ccode, statenme, "
                   "...; from correlatesofwar.org, not shipped) to name the states of a COW or ATOP file "
                   "(without it ATOP states show as 'state CODE')")
    s.add_argument("--honour", metavar="P", help="probability that a triggered obligation is honoured "
                                                 "(0.745: Leeds, Long and Mitchell 2000)")
    s.add_argument("--draws", type=int, metavar="N", help="Monte Carlo draws, all run together by the vectorised "
                   "engine (default: exact where small)")
    s.add_argument("--seed", type=int, help="Monte Carlo seed (default: the package's fixed seed); it reproduces a "
                   "result for a given package version")
    s.add_argument("--importance", action="store_true",
                   help="which commitments matter most: remove each in turn and report how much the expected "
                        "number of belligerents falls (one more cascade distribution per commitment)")
    s.add_argument("--plot", metavar="FILE", help="draw the cascade (.png, .pdf or .svg)")
    s.add_argument("--json", action="store_true", help=json_help)
    s.set_defaults(func=cmd_cascade)

    s = sub.add_parser("reproduce", help="reproduce a documented case (deterrence reproduce --list)",
                       description="Reproduce a documented case from the package's models and set it beside "
                                   "the historical record.")
    s.add_argument("case", nargs="?", help="the case (1914, richardson_1909, cold_war_blocs, nato_article5, "
                                           "korea_1950, taiwan_1958)")
    s.add_argument("--list", action="store_true", help="list the cases")
    s.add_argument("--counterfactual", action="append", metavar="NAME",
                   help="apply a counterfactual (repeatable): no_blank_check, clear_british_commitment, "
                        "no_belgium, italy_bound, russia_stays_out")
    s.add_argument("--honour", metavar="P", help="probability that a triggered obligation is honoured "
                                                 "(default 0.745, Leeds, Long and Mitchell 2000)")
    s.add_argument("--seed", type=int, help="Monte Carlo seed where the model is sampled")
    s.add_argument("--nmc", metavar="PATH", help="cold_war_blocs: the Correlates of War NMC v6.0 file "
                                                 "(NMC-60-abridged.csv from correlatesofwar.org; not shipped), for "
                                                 "the annual 1957-88 fit instead of the shipped SIPRI series")
    s.add_argument("--cpi", metavar="PATH", help="cold_war_blocs: FRED's CPIAUCSL as CSV (DATE,CPIAUCSL), to "
                                                 "deflate to 1988 dollars (default: current dollars)")
    s.add_argument("--plot", metavar="FILE", help="where to save the figure (default deterrence-CASE.png)")
    s.add_argument("--no-plot", action="store_true", help="do not draw the figure")
    s.add_argument("--json", action="store_true", help=json_help)
    s.set_defaults(func=cmd_reproduce)
