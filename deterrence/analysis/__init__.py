"""Analysis on top of the engine: parameter sweeps, result tables, region maps, named measures, claims
checked to verdicts, and the provenance of every output."""

from .regions import RegionMap, region_map
from .sweep import CONCEPTS, parse_axis, solve_chunk, sweep, sweep_points
from .table import ResultTable, atomic_write

__all__ = ["sweep", "sweep_points", "parse_axis", "solve_chunk", "CONCEPTS", "ResultTable", "atomic_write",
           "RegionMap", "region_map"]

from .claims import Claim, ClaimCheck, check_claim, check_claims  # noqa: E402
from .equilibrium_table import equilibrium_table  # noqa: E402
from .measure_maps import MeasureMap, measure_map  # noqa: E402
from .measures import Measure  # noqa: E402
from .provenance import DEFAULT_SEED, provenance  # noqa: E402

__all__ += ["Measure", "MeasureMap", "measure_map", "equilibrium_table", "Claim", "ClaimCheck", "check_claim", "check_claims",
            "provenance", "DEFAULT_SEED"]
