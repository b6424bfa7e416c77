"""Pure Plotly figure builders: frame in, go.Figure out, one shared template."""

from charts.demand import openings_bars
from charts.template import EXPORT_CONFIG, PALETTE, with_source

__all__ = ["EXPORT_CONFIG", "PALETTE", "openings_bars", "with_source"]
