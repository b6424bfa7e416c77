"""Demand charts: annual openings by occupation."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.template import PALETTE, with_source


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
    return with_source(fig, source)


def _short(title: str, width: int = 42) -> str:
    return title if len(title) <= width else title[: width - 1].rstrip() + "…"
