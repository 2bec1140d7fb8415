"""Analysis on top of the engine: parameter sweeps, result tables and region maps."""

from .regions import RegionMap, region_map
from .sweep import CONCEPTS, parse_axis, solve_chunk, sweep, sweep_points
from .table import ResultTable, atomic_write

__all__ = ["sweep", "sweep_points", "parse_axis", "solve_chunk", "CONCEPTS", "ResultTable", "atomic_write",
           "RegionMap", "region_map"]
