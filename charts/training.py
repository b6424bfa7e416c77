"""Training charts: where the programs are."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.maps import county_layer, frame_map
from charts.template import PALETTE, with_source


def provider_map(
    providers: pl.DataFrame,
    geojson: dict[str, Any],
    region_counties: list[str],
    title: str,
    source: str,
) -> go.Figure:
    """Return the region's counties with a circle per provider, sized by annual supply."""
    located = providers.drop_nulls(["latitude", "longitude"])
    biggest = max(float(located["annual_supply"].max() or 1.0), 1.0)  # type: ignore[arg-type]
    fig = go.Figure()
    bounds = county_layer(fig, geojson, region_counties)
    fig.add_trace(
        go.Scatter(
            x=located["longitude"].to_list(),
            y=located["latitude"].to_list(),
            text=located["provider"].to_list(),
            customdata=located["annual_supply"].to_list(),
            mode="markers",
            marker={
                "size": [10 + 44 * (v / biggest) ** 0.5 for v in located["annual_supply"]],
                "color": PALETTE[0],
                "opacity": 0.7,
                "line": {"width": 1, "color": "#ffffff"},
            },
            hovertemplate="%{text}<br>%{customdata:,.0f} trained a year<extra></extra>",
            showlegend=False,
        )
    )
    frame_map(fig, bounds)
    fig.update_layout(template="gapboard", title=title, height=680, margin={"l": 10, "r": 10})
    return with_source(fig, source)
