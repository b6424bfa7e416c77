"""Pure Plotly figure builders: frame in, go.Figure out, one shared template."""

from charts.demand import openings_bars
from charts.gaps import county_supply_map, gap_bars
from charts.template import EXPORT_CONFIG, PALETTE, with_source

__all__ = [
    "county_supply_map",
    "gap_bars",
    "EXPORT_CONFIG",
    "PALETTE",
    "openings_bars",
    "with_source",
]
