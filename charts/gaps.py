"""Gap charts: demand beside supply per occupation, and where training supply is by county."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go
import polars as pl

from charts.maps import colorbar_trace, county_layer, frame_map
from charts.template import PALETTE, margin_for_bar_labels, with_source


def gap_bars(gaps: pl.DataFrame, title: str, source: str) -> go.Figure:
    """Return paired horizontal bars (annual openings, annual supply) with the gap written beside."""
    rows = gaps.reverse()
    labels = [_label(t, c) for t, c in zip(rows["title"], rows["soc_code"], strict=True)]
    # The gap is written once, after whichever bar is longer.
    on_demand, on_supply = [], []
    for gap, cover, demand, supply in rows.select(
        "gap", "coverage", "annual_openings", "annual_supply"
    ).iter_rows():
        text = _gap_text(gap, cover)
        longer_demand = (demand or 0) >= (supply or 0)
        on_demand.append(text if longer_demand else "")
        on_supply.append("" if longer_demand else text)
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="Annual openings (demand)",
            y=labels,
            x=rows["annual_openings"].to_list(),
            orientation="h",
            marker_color=PALETTE[0],
            text=on_demand,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>%{x:,.0f} openings a year<extra></extra>",
        )
    )
    fig.add_trace(
        go.Bar(
            name="Annual supply (trained and placed)",
            y=labels,
            x=rows["annual_supply"].to_list(),
            orientation="h",
            marker_color=PALETTE[1],
            text=on_supply,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}<br>%{x:,.0f} trained a year<extra></extra>",
        )
    )
    widest = max(
        [v for v in rows["annual_openings"].to_list() + rows["annual_supply"].to_list() if v] or [1]
    )
    fig.update_layout(
        template="gapboard",
        # The title keeps Plotly's own place, the middle of the top margin: anchored at the top,
        # a title broken over two lines is drawn a line too high and loses its top to the edge.
        title=title,
        barmode="group",
        bargap=0.25,
        xaxis_title="People a year",
        height=max(480, 84 * rows.height + 260),
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.01, "x": 0, "traceorder": "normal"},
        margin={"t": 150},  # the title, and the legend on one or two rows above the bars
    )
    # Room on the right for the gap labels written after the longer bar.
    fig.update_xaxes(tickformat=",", range=[0, widest * 1.8])
    margin_for_bar_labels(fig)
    return with_source(fig, source)


def county_supply_map(
    county_supply: pl.DataFrame,
    geojson: dict[str, Any],
    region_counties: list[str],
    title: str,
    source: str,
) -> go.Figure:
    """Return a county map of annual supply (people trained a year) over the region's counties."""
    values = dict(zip(county_supply["county_fips"], county_supply["annual_supply"], strict=True))
    names = dict(zip(county_supply["county_fips"], county_supply["county_name"], strict=True))
    fig = go.Figure()
    bounds = county_layer(fig, geojson, region_counties, values, names, "trained a year")
    fig.add_trace(colorbar_trace(max(values.values(), default=1.0), "People<br>a year"))
    frame_map(fig, bounds)
    fig.update_layout(template="gapboard", title=title, height=620, margin={"l": 10, "r": 10})
    return with_source(fig, source)


def _label(title: str, soc: str, width: int = 34) -> str:
    short = title if len(title) <= width else title[: width - 1].rstrip() + "…"
    return f"{short} ({soc})"


def _gap_text(gap: float | None, coverage: float | None) -> str:
    if gap is None:
        return ""
    share = "" if coverage is None else f", {coverage:.0%} covered"
    return f"gap {gap:,.0f}{share}" if gap > 0 else f"surplus {-gap:,.0f}{share}"
