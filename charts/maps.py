"""County maps drawn on plain axes, so they render with no network (no map tiles, no topojson).

Plotly's geo subplots fetch their base map from a CDN when the browser draws them; a meeting-room
laptop or a locked-down server may have no internet, so counties are drawn as filled polygons in
longitude/latitude with the aspect ratio fixed for the region's latitude.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import plotly.graph_objects as go
from plotly.colors import sample_colorscale

COLORSCALE = "Blues"


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def county_layer(
    fig: go.Figure,
    geojson: dict[str, Any],
    counties: Iterable[str],
    values: dict[str, float] | None = None,
    names: dict[str, str] | None = None,
    value_label: str = "",
) -> tuple[float, float, float, float]:
    """Draw the counties (filled by value when given) and return their bounds (lon0, lon1, lat0, lat1)."""
    wanted = set(counties)
    shown = [f for f in geojson["features"] if f.get("id") in wanted]
    high = max((values or {}).values(), default=0.0) or 1.0
    lons: list[float] = []
    lats: list[float] = []
    for feature in shown:
        fips = feature["id"]
        value = (values or {}).get(fips)
        color = (
            sample_colorscale(COLORSCALE, [_scale_point(value, high)])[0]
            if value is not None
            else "#eef1f4"
        )
        name = (names or {}).get(fips, fips)
        hover = f"{name}<br>{value:,.0f} {value_label}" if value is not None else name
        for ring in _rings(feature["geometry"]):
            xs = [p[0] for p in ring]
            ys = [p[1] for p in ring]
            lons += xs
            lats += ys
            fig.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    fill="toself",
                    fillcolor=color,
                    line={"color": "#7a828c", "width": 1},
                    hoverinfo="text",
                    text=hover,
                    showlegend=False,
                )
            )
    if not lons:
        return (0.0, 1.0, 0.0, 1.0)
    return (min(lons), max(lons), min(lats), max(lats))


def _scale_point(value: float, high: float) -> float:
    # 0.1 + 0.9 * v / v can round to just above 1, which plotly's sampler cannot place.
    return min(1.0, max(0.0, 0.1 + 0.9 * value / high))


def frame_map(fig: go.Figure, bounds: tuple[float, float, float, float]) -> None:
    """Hide the axes and keep the map's shape true at the region's latitude."""
    lon0, lon1, lat0, lat1 = bounds
    pad_x, pad_y = (lon1 - lon0) * 0.04, (lat1 - lat0) * 0.04
    ratio = 1 / math.cos(math.radians((lat0 + lat1) / 2))
    fig.update_xaxes(visible=False, range=[lon0 - pad_x, lon1 + pad_x])
    fig.update_yaxes(
        visible=False, range=[lat0 - pad_y, lat1 + pad_y], scaleanchor="x", scaleratio=ratio
    )


def colorbar_trace(high: float, title: str) -> go.Scatter:
    """Return an invisible trace that carries the colour scale's legend."""
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        marker={
            "colorscale": COLORSCALE,
            "cmin": 0,
            "cmax": high,
            "color": [0],
            "showscale": True,
            "colorbar": {"title": title, "tickformat": ","},
        },
        hoverinfo="skip",
        showlegend=False,
    )
