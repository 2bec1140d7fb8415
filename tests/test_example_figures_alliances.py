"""The alliance examples' figures: drawn from the engine's batched solve and with the legend off the data
(issue 7: an example per family saving a region map; the project's figure rules: legends not over data)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

import deterrence as d

pytest.importorskip("matplotlib")
ROOT = Path(__file__).resolve().parents[1]


def load_example(name):
    spec = importlib.util.spec_from_file_location(f"example_{name}", ROOT / "examples" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_chain_ganging_map_is_the_engines_and_its_legend_is_off_the_map():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    ex = load_example("chain_ganging")
    b, c, n = 1.0, 0.2, 15
    fig = ex.plot_regimes(d.load_model("chain_ganging"), n, b, c)
    try:
        fig.canvas.draw()
        ax = fig.axes[0]
        legend = ax.get_legend()
        assert legend is not None
        box, area = legend.get_window_extent(), ax.get_window_extent()
        assert not box.overlaps(area), (box, area)      # the legend does not cover the map
        # the colours drawn: regime k per cell; off the threshold lines the closed form of the thresholds
        # c/(b lam) and c/(b(1-lam)) (derived by hand in the example's docstring) gives the same regime
        mesh = ax.collections[0]
        drawn = np.asarray(mesh.get_array()).reshape(n, n)
        th, lm = np.linspace(0.005, 0.995, n), np.linspace(0.05, 0.95, n)
        names = ["buck-passing", "Stag Hunt (coordinate)", "Chicken (one ally carries the burden)", "chain-ganging"]
        for i, lam in enumerate(lm):
            for j, theta in enumerate(th):
                vs_wait, vs_early = theta > c / (b * lam), theta > c / (b * (1 - lam))
                want = 3 if vs_wait and vs_early else 0 if not (vs_wait or vs_early) else 2 if vs_wait else 1
                assert drawn[i, j] == want, (theta, lam, names[int(drawn[i, j])], names[want])
    finally:
        plt.close(fig)
