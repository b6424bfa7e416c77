"""Pure Plotly figure builders: frame in, go.Figure out, one shared template."""

from charts.demand import forecast_fan, openings_bars, trend_lines
from charts.gaps import county_supply_map, gap_bars
from charts.outcomes import outcomes_funnel, retention_curve
from charts.pathways import age_mix_bars, diversity_bars, pathway_scatter, skills_gap_bars
from charts.template import EXPORT_CONFIG, PALETTE, meeting_look, plain_title, with_source
from charts.training import provider_map

__all__ = [
    "age_mix_bars",
    "diversity_bars",
    "outcomes_funnel",
    "pathway_scatter",
    "retention_curve",
    "skills_gap_bars",
    "county_supply_map",
    "gap_bars",
    "EXPORT_CONFIG",
    "PALETTE",
    "forecast_fan",
    "openings_bars",
    "trend_lines",
    "provider_map",
    "plain_title",
    "with_source",
    "meeting_look",
]
