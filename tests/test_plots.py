"""Figures: legends off the data, axes named by meaning and unit, single-value boundaries as lines,
the model's title, and heat maps of a quantity with its threshold contour."""

import numpy as np
import pytest

import deterrence as d
from deterrence.analysis.regions import RegionMap, SingleValue, parameter_label, region_map
from deterrence.errors import ModelError
from deterrence.games import ParametricNormalForm
from deterrence.symbolic.parameters import Parameter, Probability, Real

pytest.importorskip("matplotlib", reason="figures need matplotlib (the 'plot' extra)")

from matplotlib.collections import QuadMesh  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402

from deterrence.plot import plot_heatmap, plot_measure_map, plot_regions  # noqa: E402

ZK = "zagare_kilgour_rudimentary_deterrence"


@pytest.fixture(scope="module")
def zk_map():
    m = d.load_model(ZK)
    return m, region_map(m, ("p_B", "0:1:11"), ("a_DD", "-3:-0.5:6"))


def legend_clear_of_axes(fig):
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    canvas = FigureCanvasAgg(fig)        # the figure was closed after drawing: give it a canvas again
    canvas.draw()
    r = canvas.get_renderer()
    ax = fig.axes[0]
    box, leg = ax.get_window_extent(r), ax.get_legend().get_window_extent(r)
    return not box.overlaps(leg)


def band_model(lo, hi):
    """A one-player 'game' choosing 'special' exactly when lo < x < hi (payoff (x-lo)(hi-x)), else 'plain';
    y is a dummy axis."""
    params = [Parameter("x", Probability(), 0.5, meaning="Position on the line"),
              Parameter("y", Real(), 0.0, unit="km", meaning="A second axis: unused")]
    return ParametricNormalForm(name="band", title="A band of the line", players=["P"],
                                actions=[["plain", "special"]], payoffs=[["0"], [f"(x - {lo})*({hi} - x)"]],
                                outcomes={("plain",): "plain", ("special",): "special"}, parameters=params)


# ---------------------------------------------------------------------- region maps
def test_axes_named_by_meaning_and_unit(zk_map):
    m, rm = zk_map
    # the model file says: p_B "Credibility of the Defender's threat: the probability that B is Hard ..."
    assert rm.x_label == "Credibility of the Defender's threat (p_B, probability)"
    assert rm.y_label == "Challenger's utility for conflict (a_DD)"
    assert rm.title == "Rudimentary asymmetric deterrence game with uncertain resolve"
    fig = plot_regions(rm)
    ax = fig.axes[0]
    assert ax.get_xlabel() == rm.x_label and ax.get_ylabel() == rm.y_label
    assert ax.get_title().splitlines()[0] == rm.title          # the model's title, not its file name
    assert ZK not in ax.get_title()


def test_parameter_label_units_and_fallbacks():
    params = [Parameter("b", Real(), 1.0, unit="billion USD", meaning="Defence budget; spent yearly."),
              Parameter("q", Probability(), 0.5, meaning="Probability that the ally honours the treaty")]
    m = ParametricNormalForm(name="t", players=["A"], actions=[["x"]], payoffs=[["b + q"]], parameters=params)
    assert parameter_label(m, "b") == "Defence budget (b, billion USD)"
    assert parameter_label(m, "q") == "Probability that the ally honours the treaty (q)"   # no "probability" twice
    assert parameter_label(m, "zz") == "zz" and parameter_label(None, "b") == "b"


def test_legend_outside_the_data(zk_map, tmp_path):
    _, rm = zk_map
    fig = plot_regions(rm, tmp_path / "map.png")
    assert legend_clear_of_axes(fig)
    assert (tmp_path / "map.png").stat().st_size > 0


def test_boundary_at_a_single_value_is_a_line_not_a_band(zk_map):
    _, rm = zk_map
    # at p_B = 0 the defender is never resolved: the challenger challenges and a soft defender concedes;
    # at any p_B > 0 the risk of conflict appears. That outcome holds on the line p_B = 0 only.
    (sv,) = rm.single_values
    assert sv == SingleValue(label="Defender concedes (DC)", axis="x", index=0, value=0.0)
    fig = plot_regions(rm)
    ax = fig.axes[0]
    mesh = next(c for c in ax.collections if isinstance(c, QuadMesh))
    k = rm.labels.index(sv.label)
    assert k not in set(np.asarray(mesh.get_array()).ravel().tolist())     # no cell of that colour
    lines = [ln for ln in ax.lines if set(ln.get_xdata()) == {0.0}]
    assert lines and lines[0].get_linewidth() >= 3
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("only at p_B = 0" in t for t in texts)
    # cells stay inside the swept range
    assert ax.get_xlim() == (0.0, 1.0)


def test_a_real_band_one_column_wide_stays_a_band():
    m = band_model(0.42, 0.58)          # 'special' on (0.42, 0.58): only the grid line x = 0.5 of 0:1:5 meets it
    rm = region_map(m, ("x", "0:1:5"), ("y", "0:1:3"))
    assert rm.label_at(0.5, 0) == "(special)" and rm.label_at(0.25, 0) == "(plain)"
    assert rm.single_values == ()
    m2 = band_model(0.5, 0.5)           # (x - .5)(.5 - x) > 0 nowhere: ties at x = 0.5 only
    rm2 = region_map(m2, ("x", "0:1:5"), ("y", "0:1:3"))
    assert [sv.value for sv in rm2.single_values] == [0.5]


def test_plot_into_given_axes_and_older_maps_without_labels():
    import matplotlib.pyplot as plt
    rm = RegionMap(x_name="u", y_name="v", x=np.array([0.0, 1.0]), y=np.array([0.0, 1.0]), labels=("a", "b"),
                   index=np.array([[0, 1], [1, 1]]), table=None, model_name="mine", concept="nash")
    fig, ax = plt.subplots()
    assert plot_regions(rm, ax=ax) is fig
    assert ax.get_xlabel() == "u" and ax.get_title().startswith("mine")
    plt.close(fig)


# ---------------------------------------------------------------------- heat maps
def contour_segments(ax):
    sets = [c for c in ax.collections if isinstance(c, ContourSet)]
    return [seg for cs in sets for seg in cs.allsegs[0]]


def test_heatmap_threshold_contour_on_plain_values(tmp_path):
    x = np.linspace(0, 1, 41)
    y = np.linspace(0, 2, 31)
    values = np.outer(y, x) / 2                        # crosses 0.3 on the hyperbola x * y = 0.6
    fig = plot_heatmap(values, x, y, tmp_path / "h.png", label="risk of war (probability)", threshold=0.3,
                       x_label="credibility", y_label="cost")
    ax = fig.axes[0]
    segs = contour_segments(ax)
    assert segs
    pts = np.concatenate(segs)
    np.testing.assert_allclose(pts[:, 0] * pts[:, 1], 0.6, atol=0.02)
    assert legend_clear_of_axes(fig)
    assert any("= 0.3" in t.get_text() for t in ax.get_legend().get_texts())
    assert fig.axes[1].get_ylabel() == "risk of war (probability)"      # the colour bar
    assert (tmp_path / "h.png").stat().st_size > 0


def test_heatmap_threshold_not_crossed_and_missing_values():
    x, y = np.linspace(0, 1, 5), np.linspace(0, 1, 4)
    values = np.full((4, 5), 0.1)
    values[2, 3] = np.nan
    fig = plot_heatmap(values, x, y, label="P_war", threshold=0.5)
    ax = fig.axes[0]
    assert not contour_segments(ax)
    texts = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "threshold 0.5 not crossed (all values below)" in texts
    assert "no single value (equilibria disagree)" in texts


def test_heatmap_refuses_bad_shapes():
    with pytest.raises(ModelError, match=r"shape \(len\(y\), len\(x\)\) = \(3, 2\)"):
        plot_heatmap(np.zeros((2, 3)), [0, 1], [0, 1, 2], label="m")
    with pytest.raises(ModelError, match="no finite value"):
        plot_heatmap(np.full((2, 2), np.nan), [0, 1], [0, 1], label="m")


def test_measure_map_heatmap_with_threshold():
    from deterrence.analysis.measure_maps import measure_map
    m = d.load_model(ZK)
    mm = measure_map(m, "P_war", ("p_B", "0:1:11"), ("a_DD", "-3:-0.5:6"), threshold=0.2)
    fig = plot_measure_map(mm, model=m)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "Credibility of the Defender's threat (p_B, probability)"
    assert ax.get_title().splitlines() == ["Rudimentary asymmetric deterrence game with uncertain resolve", "P_war"]
    assert contour_segments(ax)
    assert legend_clear_of_axes(fig)
