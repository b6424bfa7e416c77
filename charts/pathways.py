"""Pathway charts: feeders by likeness and wage uplift, skills to gain, who holds the jobs."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.template import PALETTE, with_source

MEASURES = {
    "pct_women": "Women",
    "pct_black": "Black",
    "pct_asian": "Asian",
    "pct_hispanic": "Hispanic or Latino",
}
AGE_GROUPS = {
    "pct_age_16_24": "16–24",
    "pct_age_25_34": "25–34",
    "pct_age_35_44": "35–44",
    "pct_age_45_54": "45–54",
    "pct_age_55_64": "55–64",
    "pct_age_65_plus": "65+",
}


def short_title(title: str, width: int = 30) -> str:
    """Return a title cut to `width` characters with an ellipsis, for labels on a chart."""
    return title if len(title) <= width else title[: width - 1].rstrip(" ,") + "…"


def pathway_scatter(
    table: pl.DataFrame,
    title: str,
    source: str,
    direction: str = "to",
    highlight: str | None = None,
    labels: int = 8,
) -> go.Figure:
    """Return a scatter of likeness (x) against wage uplift (y), one dot per occupation of a Pathway table.

    The best `labels` occupations are named on the chart; the rest in the hover. Occupations
    without a known wage are left out (said in the hover of none: the table lists them).
    """
    side = "from" if direction == "to" else "to"
    rows = table.drop_nulls("wage_uplift_pct")
    named = set(rows.sort("rank").head(labels)[f"{side}_soc"].to_list())
    codes = rows[f"{side}_soc"].to_list()
    colors = [PALETTE[1] if c == highlight else PALETTE[0] for c in codes]
    fig = go.Figure(
        go.Scatter(
            x=rows["similarity"].to_list(),
            y=rows["wage_uplift_pct"].to_list(),
            mode="markers+text",
            marker={"size": 16, "color": colors, "line": {"width": 1, "color": "#ffffff"}},
            text=[
                short_title(t, 24) if c in named else ""
                for c, t in zip(codes, rows[f"{side}_title"], strict=True)
            ],
            textposition="top center",
            textfont={"size": 15},
            cliponaxis=False,
            customdata=list(
                zip(
                    rows[f"{side}_title"].to_list(),
                    codes,
                    rows["from_median_annual_wage"].to_list(),
                    rows["to_median_annual_wage"].to_list(),
                    strict=True,
                )
            ),
            hovertemplate="%{customdata[0]} (%{customdata[1]})<br>likeness %{x:.2f}"
            "<br>wage uplift %{y:+.1f}%<br>median wage $%{customdata[2]:,.0f} → "
            "$%{customdata[3]:,.0f}<extra></extra>",
        )
    )
    fig.add_hline(y=0, line={"color": "#9aa0a6", "width": 1, "dash": "dot"})
    fig.update_layout(
        template="gapboard",
        title=title,
        xaxis_title="Likeness of skills, tasks and work (0–1)",
        yaxis_title="Median wage uplift (%)",
        height=620,
        showlegend=False,
    )
    fig.update_yaxes(ticksuffix="%")
    return with_source(fig, source)


def skills_gap_bars(
    gaps: pl.DataFrame, title: str, source: str, from_label: str, to_label: str, top: int = 8
) -> go.Figure:
    """Return paired bars of O*NET skill importance now and in the target, for the skills that rise most."""
    rows = gaps.filter(pl.col("importance_gap") > 0).head(top).reverse()
    skills = rows["skill"].to_list()
    fig = go.Figure(
        [
            go.Bar(
                name=short_title(from_label, 40),
                y=skills,
                x=rows["importance_from"].to_list(),
                orientation="h",
                marker_color=PALETTE[5],
                hovertemplate="%{y}: importance %{x:.2f} of 5<extra>" + from_label + "</extra>",
            ),
            go.Bar(
                name=short_title(to_label, 40),
                y=skills,
                x=rows["importance_to"].to_list(),
                orientation="h",
                marker_color=PALETTE[0],
                text=[f"+{g:.1f}" for g in rows["importance_gap"]],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: importance %{x:.2f} of 5<extra>" + to_label + "</extra>",
            ),
        ]
    )
    fig.update_layout(
        template="gapboard",
        title=title,
        barmode="group",
        xaxis_title="O*NET importance (1 = not important, 5 = extremely important)",
        height=max(420, 58 * len(skills) + 220),
        bargap=0.25,
    )
    fig.update_xaxes(range=[0, 5.4])
    return with_source(fig, source)


def diversity_bars(profile: pl.DataFrame, title: str, source: str) -> go.Figure:
    """Return grouped bars of the share of women, Black, Asian and Hispanic workers per occupation (Diversity rows)."""
    rows = profile.filter(pl.col("pct_women").is_not_null() | (pl.col("role") == "all occupations"))
    fig = go.Figure()
    colors = [PALETTE[0], PALETTE[2], PALETTE[4], PALETTE[5], PALETTE[6]]
    others = 0
    for row in rows.iter_rows(named=True):
        everyone = row["role"] == "all occupations"
        color = "#6b6b6b" if everyone else colors[others % len(colors)]
        others += 0 if everyone else 1
        values = [row[m] for m in MEASURES]
        fig.add_bar(
            name=short_title(row["title"], 34),
            x=list(MEASURES.values()),
            y=values,
            marker_color=color,
            text=["" if v is None else f"{v:.0f}%" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.1f}% of workers<extra>" + row["title"] + "</extra>",
        )
    fig.update_layout(
        template="gapboard",
        title=title,
        barmode="group",
        yaxis_title="Share of workers (%)",
        height=560,
    )
    fig.update_yaxes(range=[0, 105], ticksuffix="%")
    return with_source(fig, source)


def age_mix_bars(profile: pl.DataFrame, title: str, source: str) -> go.Figure:
    """Return 100% stacked bars of the age mix per occupation (Diversity rows), youngest on the left."""
    rows = profile.filter(pl.col("pct_age_25_34").is_not_null()).reverse()
    labels = [short_title(t, 34) for t in rows["title"]]
    fig = go.Figure()
    shades = ["#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b"]
    for (column, name), shade in zip(AGE_GROUPS.items(), shades, strict=True):
        values = rows[column].to_list()
        fig.add_bar(
            name=name,
            y=labels,
            x=values,
            orientation="h",
            marker_color=shade,
            text=[f"{v:.0f}%" if v is not None and v >= 7 else "" for v in values],
            textposition="inside",
            insidetextanchor="middle",
            textfont={"color": "#ffffff" if shade in shades[3:] else "#111111"},
            hovertemplate="%{y}: %{x:.1f}% aged " + name + "<extra></extra>",
        )
    fig.update_layout(
        template="gapboard",
        title=title,
        barmode="stack",
        xaxis_title="Share of workers by age (%)",
        height=max(360, 70 * len(labels) + 240),
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return with_source(fig, source)
