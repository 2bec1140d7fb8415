"""Alliance networks and cascades: treaty conditions, the 1914 web, stochastic cascades, bad input."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deterrence.errors import ModelError, ModelFileError
from deterrence.io.network_file import load_network, loads_network
from deterrence.networks import AllianceNetwork, Commitment, State, WarPlan, cascade
from deterrence.networks.stochastic import cascade_distribution, commitment_importance

ROOT = Path(__file__).resolve().parents[1]
JULY_1914 = ROOT / "models" / "networks" / "july_1914.toml"


def states(*names, great=()):
    return [State(n, great_power=n in great) for n in names]


# ---------------------------------------------------------------- treaty conditions, one at a time
def test_defence_pact_brings_the_ally_in_against_the_attacker():
    net = AllianceNetwork(states("A", "B", "C"), [Commitment("ab", "A-B pact", "defence", ["A", "B"])])
    r = cascade(net, ("C", "A"))
    assert r.belligerents() == ("A", "C", "B")          # round 0: C, A (network order); round 1: B
    assert r.entry("B").round == 1 and r.entry("B").against == ("C",)
    assert r.entry("B").commitments == ("ab",)


def test_named_adversary_condition():
    net = AllianceNetwork(states("A", "B", "C", "D"),
                          [Commitment("ab", "pact", "defence", ["A", "B"], against=["D"])])
    assert "B" not in cascade(net, ("C", "A")).belligerents()
    assert "B" in cascade(net, ("D", "A")).belligerents()
    assert "not among the named adversaries" in cascade(net, ("C", "A")).why("B")


def test_unprovoked_condition_reads_who_attacked_first():
    pact = Commitment("ab", "pact", "defence", ["A", "B"], unprovoked=True)
    net = AllianceNetwork(states("A", "B", "C"), [pact])
    assert "B" in cascade(net, ("C", "A")).belligerents()      # A attacked without provocation
    r = cascade(net, ("A", "C"))                                 # A is the aggressor
    assert "B" not in r.belligerents()
    assert "A provoked the war" in r.why("B")


def test_two_great_powers_condition():
    pact = Commitment("ab", "pact", "defence", ["A", "B"], min_attackers=2, great_powers=True)
    xz = Commitment("xz", "X-z", "offence", ["X", "z"], trigger="attacks")   # X and Y join z's attacks
    yz = Commitment("yz", "Y-z", "offence", ["Y", "z"], trigger="attacks")
    people = states("A", "B", "X", "Y", "z", great=("X", "Y"))
    # z (not a great power) attacks A and X joins z: A is at war with one great power
    r = cascade(AllianceNetwork(people, [pact, xz]), ("z", "A"))
    assert "B" not in r.belligerents()
    assert "needs 2" in r.why("B")
    # X and Y both join z: two great powers at war with A, and the casus foederis arises in round 2
    r = cascade(AllianceNetwork(people, [pact, xz, yz]), ("z", "A"))
    assert r.entry("B").round == 2 and r.entry("B").side == r.entry("A").side


def test_guarantee_brings_the_guarantors_in_against_the_violator():
    g = Commitment("g", "guarantee", "guarantee", ["P", "Q", "R"], protects=["N"])
    net = AllianceNetwork(states("P", "Q", "R", "N"), [g, Commitment("pq", "P-Q", "defence", ["P", "Q"])])
    r = cascade(net, ("P", "N"))
    # Q's defensive pact with P does not cover P's own aggression: Q upholds the guarantee like R
    assert r.entry("Q").side == r.entry("R").side == r.entry("N").side
    assert r.entry("Q").against == ("P",) and r.entry("Q").round == 1
    # the violator is not obliged to fight itself
    assert not any(a.obligation.obligor == "P" and a.obligation.commitment.id == "g" for a in r.activations)


def test_a_guarantor_fighting_beside_the_violator_is_blocked():
    g = Commitment("g", "guarantee", "guarantee", ["Q", "R"], protects=["N"])
    off = Commitment("pq", "P-Q offensive", "offence", ["Q", "P"], trigger="attacks")
    plan = WarPlan("plan", "P", ["X"], ["N"])
    net = AllianceNetwork(states("P", "Q", "R", "N", "X"), [g, off], [plan])
    r = cascade(net, ("P", "X"))      # Q joins P's attack on X (round 1), P's plan attacks N (round 1)
    outcome = {a.obligation.obligor: a.outcome for a in r.activations if a.obligation.commitment.id == "g"}
    assert outcome["Q"] == "blocked: Q fights on the other side"
    assert outcome["R"] == "entered"


def test_war_plan_and_non_resisting_state():
    plan = WarPlan("p", "A", ["B"], ["L", "C"])
    net = AllianceNetwork([State("A"), State("B"), State("C"), State("L", resists=False)],
                          [Commitment("x", "x", "consultation", ["B", "C"])], [plan])
    r = cascade(net, ("B", "A"))
    assert r.occupied == ("L",) and "L" not in r.belligerents()
    assert r.entry("C").reasons == ("attacked by A",)
    assert any(h.attacker == "A" and h.target == "C" and h.aggressive for h in r.hostilities)


def test_consultation_and_neutrality_do_not_bring_anyone_in():
    net = AllianceNetwork(states("A", "B", "C"), [Commitment("e", "entente", "consultation", ["A", "B"]),
                                                  Commitment("n", "neutral", "neutrality", ["B", "C"])])
    assert cascade(net, ("C", "A")).belligerents() == ("A", "C")


def test_neutrality_pact_blocks_entry_against_the_partner():
    net = AllianceNetwork(states("A", "B", "C"), [Commitment("ab", "pact", "defence", ["A", "B"]),
                                                  Commitment("bc", "neutral", "neutrality", ["B", "C"])])
    r = cascade(net, ("C", "A"))
    assert "B" not in r.belligerents()
    assert any(a.outcome.startswith("blocked: B is bound to neutrality") for a in r.activations)


def test_non_aggression_pact_blocks_entry_against_the_partner():
    net = AllianceNetwork(states("A", "B", "C"), [Commitment("ab", "pact", "defence", ["A", "B"]),
                                                  Commitment("bc", "no attack", "nonaggression", ["B", "C"])])
    r = cascade(net, ("C", "A"))
    assert r.belligerents() == ("A", "C")
    assert any(a.outcome.startswith("blocked: B is bound to neutrality toward C") for a in r.activations)


def test_region_condition_reads_where_the_adversary_holds_territory():
    # a pact "in the regions of Eastern Asia" (the Anglo-Japanese pattern): it holds against an attacker
    # with territory there, not against one without
    pact = Commitment("ab", "pact", "defence", ["A", "B"], region="East Asia")
    people = [State("A"), State("B"), State("C", regions=("East Asia", "Europe")), State("D", regions=("Europe",))]
    net = AllianceNetwork(people, [pact])
    assert "B" in cascade(net, ("C", "A")).belligerents()
    r = cascade(net, ("D", "A"))
    assert "B" not in r.belligerents()
    assert "D holds no territory in East Asia" in r.why("B")


def test_a_region_no_state_holds_is_refused():
    # a misspelt region ("Mars", "East-Asia") would silently never trigger: refused, naming the commitment,
    # the unknown region and the regions the network knows
    people = [State("A"), State("B"), State("C", regions=("East Asia", "Europe"))]
    for bad in ("Mars", "East-Asia", "east asia"):
        with pytest.raises(ModelError, match=rf"commitment 'ab': region '{bad}' is held by no state.*"
                                             r"known regions: \['East Asia', 'Europe'\]"):
            AllianceNetwork(people, [Commitment("ab", "pact", "defence", ["A", "B"], region=bad)])
    with pytest.raises(ModelError, match=r"region 'Mars' .*no state lists regions"):
        AllianceNetwork([State("A"), State("B")], [Commitment("ab", "pact", "defence", ["A", "B"], region="Mars")])
    # and from a network file: the file is named
    text = """[network]\nname = "n"\n[[states]]\nname = "A"\nregions = ["Europe"]\n[[states]]\nname = "B"\n
[[commitments]]\nid = "ab"\nname = "pact"\nkind = "defence"\nparties = ["A", "B"]\nregion = "Mars"\n"""
    with pytest.raises(ModelFileError, match=r"f\.toml: .*'ab': region 'Mars'.*\['Europe'\]"):
        loads_network(text, path="f.toml")
    # the regions of 1914 are all held by some state
    assert AllianceNetwork(people, [Commitment("ab", "pact", "defence", ["A", "B"], region="Europe")])


def test_offence_pact_joins_the_attack():
    net = AllianceNetwork(states("A", "B", "C"),
                          [Commitment("o", "offensive", "offence", ["A", "B"], trigger="attacks")])
    r = cascade(net, ("A", "C"))
    assert r.entry("B").side == r.entry("A").side and r.entry("B").against == ("C",)


# ---------------------------------------------------------------- 1914
HISTORY_AUGUST = {"Austria-Hungary", "Serbia", "Russia", "Germany", "France", "Belgium", "Britain",
                  "Montenegro", "Japan"}


@pytest.fixture(scope="module")
def july():
    return load_network(JULY_1914)


@pytest.fixture(scope="module")
def result(july):
    return cascade(july.network, july.attack)


def test_1914_august_belligerents_are_history_s(result):
    # 1914.md: the declarations of war of 28 Jul - 23 Aug 1914
    assert set(result.belligerents(phase=1)) == HISTORY_AUGUST


def test_1914_order_of_entry_follows_the_chain_of_obligations(result):
    # the documented order of the great chain: Russia, Germany, France and Belgium, Britain, Japan
    chain = ["Russia", "Germany", "France", "Britain", "Japan"]
    rounds = [result.entry(s).round for s in chain]
    assert rounds == sorted(rounds) and len(set(rounds)) == len(rounds)
    assert result.entry("Belgium").round == result.entry("France").round < result.entry("Britain").round


def test_1914_each_entry_follows_the_entries_that_caused_it_in_history(july, result):
    dates = {s.name: s.entered for s in july.network.states}
    for e in result.entries:
        for cause in e.against:
            # the state it fights had entered before it (or is the initial attacker)
            assert dates[cause] <= dates[e.state] or e.round == 0, (e.state, cause)


def test_1914_why_each_state_enters(result):
    assert "Dual Alliance" in result.why("Germany")
    assert "Franco-Russian" in result.why("France") and "attacked by Germany" in result.why("France")
    assert "Treaty of London" in result.why("Britain")
    assert "Anglo-Japanese" in result.why("Japan")


def test_1914_italy_stays_neutral_because_the_defensive_clause_is_not_triggered(july, result):
    assert "Italy" in result.neutral(july.network.state_names)
    assert "Austria-Hungary provoked the war" in result.why("Italy")


def test_1914_luxembourg_is_occupied_and_the_ottomans_enter_later(result):
    assert result.occupied == ("Luxembourg",)
    e = result.entry("Ottoman Empire")
    assert e.phase == 2 and e.commitments == ("german_ottoman",)


def test_1914_without_the_plan_through_belgium_britain_and_japan_stay_out(july):
    net = july.network.without_plans("schlieffen_moltke")
    r = cascade(net, july.attack)
    assert "Britain" not in r.belligerents() and "Japan" not in r.belligerents()
    assert "France" in r.belligerents()          # still bound to Russia


def test_1914_italy_bound_unconditionally_enters(july):
    net = july.network.replace_commitment("triple_alliance_art3", unprovoked=False)
    assert "Italy" in cascade(net, july.attack).belligerents()


# ---------------------------------------------------------------- stochastic cascades
def test_exact_probabilities_follow_the_chain_in_closed_form(july):
    h = 0.745    # Leeds, Long and Mitchell (2000)
    d = cascade_distribution(july.network, july.attack, honour=h)
    assert d.method == "exact"
    # Russia: its patronage honoured; Germany: Russia in and the Dual Alliance honoured; France and
    # Belgium whenever Germany is in (its war plan); Britain: Belgium attacked and the guarantee honoured;
    # Japan: Britain in and the alliance honoured; Italy never; Montenegro: its pledge binds only in a general
    # war (two great powers a side), which Russia and Germany in make (France is then attacked), and honoured.
    expect = {"Russia": h, "Montenegro": h ** 3, "Germany": h ** 2, "France": h ** 2, "Belgium": h ** 2,
              "Britain": h ** 3, "Japan": h ** 4, "Ottoman Empire": h ** 3, "Italy": 0.0, "Luxembourg": 0.0,
              "Austria-Hungary": 1.0, "Serbia": 1.0}
    for s, p in expect.items():
        assert d.p_enter[s] == pytest.approx(p, abs=1e-12), s
    assert sum(d.size_pmf.values()) == pytest.approx(1.0)
    assert d.expected_size == pytest.approx(sum(expect.values()))


def test_monte_carlo_agrees_with_exact_within_its_error(july):
    ex = cascade_distribution(july.network, july.attack, honour=0.6)
    mc = cascade_distribution(july.network, july.attack, honour=0.6, method="monte_carlo", draws=20_000, seed=7)
    for s in ex.p_enter:
        assert abs(mc.p_enter[s] - ex.p_enter[s]) <= 5 * mc.standard_error + 1e-12, s
    again = cascade_distribution(july.network, july.attack, honour=0.6, method="monte_carlo", draws=20_000, seed=7)
    assert again.p_enter == mc.p_enter


def test_deterministic_is_the_limit_of_certain_honour(july, result):
    d = cascade_distribution(july.network, july.attack, honour=1.0)
    assert len(d.leaves) == 1
    assert {s for s, p in d.p_enter.items() if p == 1.0} == set(result.belligerents())


def test_importance_of_commitments(july):
    imp = commitment_importance(july.network, july.attack)
    # without Russia's patronage only Austria-Hungary and Serbia fight (Montenegro's pledge waits for a
    # general war): 10 - 2 = 8 fewer
    assert imp["russia_serbia"] == pytest.approx(8.0)
    assert imp["entente_cordiale"] == 0.0 and imp["triple_alliance_art3"] == 0.0


@settings(max_examples=10, deadline=None)
@given(h=st.floats(0.0, 1.0), g=st.floats(0.0, 1.0))
def test_entry_probabilities_rise_with_reliability(h, g):
    net = load_network(JULY_1914).network
    lo, hi = sorted((h, g))
    a = cascade_distribution(net, ("Austria-Hungary", "Serbia"), honour=lo)
    b = cascade_distribution(net, ("Austria-Hungary", "Serbia"), honour=hi)
    for s in a.p_enter:
        assert 0.0 <= a.p_enter[s] <= b.p_enter[s] + 1e-12 <= 1.0 + 1e-12


# ---------------------------------------------------------------- bad input
def test_bad_networks_name_the_culprit():
    with pytest.raises(ModelError, match="unknown state 'Z'"):
        AllianceNetwork(states("A", "B"), [Commitment("ab", "pact", "defence", ["A", "Z"])])
    with pytest.raises(ModelError, match="cycle"):
        AllianceNetwork(states("A", "B"), [
            Commitment("x", "x", "defence", ["A", "B"], trigger="invoked", invokes="y"),
            Commitment("y", "y", "defence", ["A", "B"], trigger="invoked", invokes="x")])
    with pytest.raises(ModelError, match="honour must be a probability"):
        Commitment("x", "x", "defence", ["A", "B"], honour=1.5)
    net = AllianceNetwork(states("A", "B"), [])
    with pytest.raises(ModelError, match="no state 'Q'"):
        cascade(net, ("Q", "A"))
    with pytest.raises(ModelError, match="cannot attack itself"):
        cascade(net, ("A", "A"))


@pytest.mark.parametrize("text, key", [
    ('[network]\nname="x"\n[[states]]\nname="A"\ncode="x"\n', "states[0].code"),
    ('[network]\nname="x"\n[[states]]\nname="A"\n[[commitments]]\nid="c"\nname="c"\nkind="defence"\n'
     'parties=["A","Q"]\n', "unknown state 'Q'"),
    ('[network]\nname="x"\nattack=["A","Q"]\n[[states]]\nname="A"\n', "network.attack"),
    ('[network]\nname="x"\nas_of="July"\n', "network.as_of"),
    ('[network]\nname="x"\n[[states]]\nname="A"\ncolour="red"\n', "states[0]"),
    ('[network]\nname="x"\n[[commitments]]\nid="c"\nname="c"\nkind="alliance"\nparties=["A","B"]\n',
     "kind must be one of"),
    ('[network]\nname="x"\n[[history]]\ndate="1914-13-01"\nevent="x"\n', "history[0].date"),
    ('[network]\nname="x"\n[[states]]\nname="A"\n[[states]]\nname="B"\n[[commitments]]\nid="c"\nname="c"\n'
     'kind="defence"\nparties=["A","B"]\ngeneral_war=-1\n', "general_war must be an integer >= 0"),
    ('[network]\nname="x"\n[[commitments]]\nid="c"\nname="c"\nkind="defence"\nparties=["A","B"]\n'
     'general_war="two"\n', "commitments[0].general_war"),
    ('[network]\nname="x"\nx = 1' + "0" * 5000 + "\n", "not readable TOML"),
])
def test_bad_network_files_name_the_key(text, key):
    with pytest.raises(ModelFileError, match="f.toml") as exc:
        loads_network(text, path="f.toml")
    assert key in str(exc.value)


def test_to_networkx_carries_the_cascade():
    nx = pytest.importorskip("networkx")
    from deterrence.networks import to_networkx
    m = load_network(JULY_1914)
    r = cascade(m.network, m.attack)
    g = to_networkx(m.network, r)
    assert isinstance(g, nx.MultiDiGraph)
    assert g.number_of_nodes() == len(m.network.states)
    assert g.number_of_edges() == len(m.network.obligations())
    assert g.nodes["Britain"]["round"] == 4 and not g.nodes["Italy"]["entered"]
    e = g.get_edge_data("Britain", "Belgium")["treaty_of_london"]
    assert e["kind"] == "guarantee" and e["outcome"] == "entered"
    # the entry order is a path of obligations in the graph: Serbia -> Russia ... Britain -> Japan
    assert nx.has_path(g.reverse(), "Serbia", "Russia") and g.has_edge("Japan", "Britain")


def _drawn_points(patch, steps=1):
    """The points of a drawn arrow (line and head) in data coordinates, without the closing vertices."""
    from matplotlib.path import Path
    path = patch.get_path()
    if steps > 1:
        path = path.interpolated(steps)
    keep = np.ones(len(path.vertices), bool) if path.codes is None else path.codes != Path.CLOSEPOLY
    return np.asarray(path.vertices)[keep]


def test_cascade_figure_arrows_run_from_cause_to_entrant():
    pytest.importorskip("matplotlib")
    from matplotlib.patches import FancyArrowPatch

    from deterrence.plot.cascade import plot_cascade
    pact = Commitment("bc", "B-C pact", "defence", ["B", "C"])
    net = AllianceNetwork(states("A", "B", "C"), [pact])
    fig = plot_cascade(cascade(net, ("A", "B")), net)
    ax = fig.axes[0]
    # each state's node is the scatter point just above its label
    pos = {t.get_text().split("\n")[0]: (t.get_position()[0], t.get_position()[1] + 0.34) for t in ax.texts
           if t.get_text().split("\n")[0] in ("A", "B", "C")}
    fig.canvas.draw()
    arrows = []
    for p in ax.patches:
        if isinstance(p, FancyArrowPatch):
            v = _drawn_points(p)
            arrows.append((v[0], v[np.hypot(*(v - v[0]).T).argmax()]))     # its tail, and its head's tip

    def nearest(xy):
        return min(pos, key=lambda s: np.hypot(*(np.asarray(xy) - pos[s])))

    def has(src, dst):           # an arrow that starts at src's node and ends (its head) at dst's
        return any(nearest(a) == src and nearest(b) == dst for a, b in arrows)
    # the initial attack runs from the attacker to its target (it was drawn from the target to the attacker),
    # and the ally's entry from the state it defends
    assert has("A", "B") and not has("B", "A")
    assert has("B", "C")
    # no dates given: the axis does not promise the history's dates
    assert "dates" not in ax.get_xlabel()
    import matplotlib.pyplot as plt
    plt.close(fig)


def test_1914_figure_arrows_cross_no_state_label_or_node(july):
    """The audit: the Austria-Hungary -> Germany arrow (Dual Alliance) crossed Russia's label, and Germany -> the
    Ottoman Empire crossed Britain's and Japan's. Read every drawn arrow's path back from the figure and check it
    enters no state's label box, and passes no node but its own two ends."""
    pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyArrowPatch

    from deterrence.cases.july_1914 import reproduce
    from deterrence.plot.cascade import plot_cascade
    rep = reproduce(july)
    dates = {r["state"]: r["history_date"] for r in rep.timeline if r.get("history_date")}
    fig = plot_cascade(rep.result, july.network, dates=dates)
    ax = fig.axes[0]
    fig.canvas.draw()
    inv = ax.transData.inverted()
    names = set(july.network.state_names)
    labels, nodes = {}, {}
    for t in ax.texts:
        first = t.get_text().split("\n")[0]
        if first in names and t.get_bbox_patch() is None:
            bb = t.get_window_extent(fig.canvas.get_renderer())
            (a, b), (c, d) = inv.transform([[bb.x0, bb.y0], [bb.x1, bb.y1]])
            labels[first] = (a, b, c, d)
            x, y = t.get_position()
            nodes[first] = (x, y + 0.34)
    assert len(labels) == len(names)
    px = ax.transData.transform
    arrows = [p for p in ax.patches if isinstance(p, FancyArrowPatch)]
    # one arrow per cause: the attack on Serbia; Serbia -> Russia, Montenegro; Austria-Hungary -> Germany;
    # Russia, Germany -> France; Germany -> Belgium, the Ottoman Empire; Belgium -> Britain; Britain -> Japan
    assert len(arrows) == 10
    for p in arrows:
        pts = _drawn_points(p, 50)
        ends = {s for s, xy in nodes.items() if min(np.hypot(*(px(pts[i]) - px(xy))) for i in (0, -1)) < 40}
        for s, (a, b, c, d) in labels.items():
            inside = (pts[:, 0] > a) & (pts[:, 0] < c) & (pts[:, 1] > b) & (pts[:, 1] < d)
            assert not inside.any(), f"an arrow crosses the label of {s}"
        for s, xy in nodes.items():
            if s in ends:
                continue
            dist = np.hypot(*(px(pts) - px(xy)).T).min()          # in pixels; a node's radius is 15 points
            assert dist > 15 * fig.dpi / 72, f"an arrow passes over the node of {s}"
    plt.close(fig)
