"""Figures (matplotlib is an optional dependency: ``pip install 'deterrence[plot]'``).

matplotlib is imported only when a figure is drawn; without it, drawing
raises a :class:`~deterrence.errors.ModelError` saying how to install it.
"""

from .heatmap import plot_heatmap, plot_measure_map
from .regions import plot_regions

__all__ = ["plot_regions", "plot_heatmap", "plot_measure_map"]
