"""Demand charts: annual openings by occupation."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.template import PALETTE, room_for_bar_labels, with_source


def openings_bars(
    demand: pl.DataFrame, title: str, source: str, top: int = 15, highlight: list[str] | None = None
) -> go.Figure:
    """Return horizontal bars of annual openings for the top occupations, largest at the top."""
    rows = (
        demand.drop_nulls("annual_openings")
        .sort("annual_openings", descending=True)
        .head(top)
        .reverse()
    )
    marked = set(highlight or [])
    colors = [PALETTE[1] if c in marked else PALETTE[0] for c in rows["soc_code"]]
    labels = [_short(t) for t in rows["title"]]
    fig = go.Figure(
        go.Bar(
            x=rows["annual_openings"].to_list(),
            y=labels,
            orientation="h",
            marker_color=colors,
            text=[f"{v:,.0f}" for v in rows["annual_openings"]],
            textposition="outside",
            cliponaxis=False,
            customdata=list(
                zip(
                    rows["soc_code"].to_list(),
                    rows["base_employment"].to_list(),
                    rows["growth_pct"].to_list(),
                    strict=True,
                )
            ),
            hovertemplate="%{y}<br>SOC %{customdata[0]}<br>%{x:,.0f} openings a year"
            "<br>employment %{customdata[1]:,.0f}<br>growth %{customdata[2]:.1f}% over 10 years"
            "<extra></extra>",
        )
    )
    fig.update_layout(
        template="gapboard",
        title=title,
        xaxis_title="Annual openings (people)",
        height=max(420, 44 * rows.height + 200),
        showlegend=False,
    )
    fig.update_xaxes(tickformat=",")
    # room after the longest bar for its value label, which would otherwise run off the right edge
    room_for_bar_labels(fig)
    return with_source(fig, source)


def _short(title: str, width: int = 42) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"


def forecast_fan(
    history: pl.DataFrame, forecast: pl.DataFrame, title: str, source: str
) -> go.Figure:
    """Return the history as a line and the forecast with its 80% and 95% prediction intervals."""
    fig = go.Figure()
    if forecast.height:
        ds = forecast["ds"].to_list()
        for lo, hi, name, color in (
            ("lo95", "hi95", "95% interval", "rgba(0,114,178,0.15)"),
            ("lo80", "hi80", "80% interval", "rgba(0,114,178,0.30)"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=ds + ds[::-1],
                    y=forecast[hi].to_list() + forecast[lo].to_list()[::-1],
                    fill="toself",
                    fillcolor=color,
                    line={"width": 0},
                    name=name,
                    hoverinfo="skip",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=ds,
                y=forecast["yhat"].to_list(),
                mode="lines",
                line={"color": PALETTE[0], "width": 3, "dash": "dash"},
                name=f"forecast ({forecast['model'][0]})",
                hovertemplate="%{x|%b %Y}: %{y:,.0f} forecast<extra></extra>",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=history["ds"].to_list(),
            y=history["y"].to_list(),
            mode="lines+markers",
            line={"color": "#111111", "width": 3},
            name="new postings",
            hovertemplate="%{x|%b %Y}: %{y:,.0f} new postings<extra></extra>",
        )
    )
    fig.update_layout(
        template="gapboard", title=title, yaxis_title="New postings a month", height=520,
        legend={"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top"},
    )  # fmt: skip
    fig.update_yaxes(rangemode="tozero", tickformat=",")
    return with_source(fig, source)


def trend_lines(trend: pl.DataFrame, title: str, source: str) -> go.Figure:
    """Return one line per series of a monthly index (2020-02-01 = 100)."""
    fig = go.Figure()
    for i, ((label,), part) in enumerate(
        trend.sort("month").group_by(["label"], maintain_order=True)
    ):
        fig.add_trace(
            go.Scatter(
                x=part["month"].to_list(),
                y=part["index_value"].to_list(),
                mode="lines",
                name=str(label),
                line={"width": 3, "color": PALETTE[i % len(PALETTE)]},
                hovertemplate=f"{label}<br>%{{x|%b %Y}}: %{{y:.0f}}<extra></extra>",
            )
        )
    fig.add_hline(y=100, line_dash="dot", line_color="#666666")
    fig.update_layout(
        template="gapboard", title=title, yaxis_title="Index, Feb 2020 = 100", height=560,
        legend={"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top"},
    )  # fmt: skip
    return with_source(fig, source)
