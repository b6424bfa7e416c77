"""Outcome charts: completers to retained workers, and how long placed people stay."""

from __future__ import annotations

import plotly.graph_objects as go
import polars as pl

from charts.template import PALETTE, with_source

FEWER_THAN = "fewer than 10"


def outcomes_funnel(row: dict[str, object], title: str, source: str) -> go.Figure:
    """Return the funnel completers → placed → retained 90 days → retained 365 days of one Outcome row.

    Withheld values (null) draw no bar and read "fewer than 10"; retention stages say how many
    people had been hired long enough ago to count.
    """

    def count(name: str) -> int | None:
        value = row.get(name)
        return None if value is None else int(value)  # type: ignore[call-overload]

    stages = [
        ("Completed the program", count("completers"), None),
        ("Placed in a job", count("placed"), count("completers")),
        (
            "Still employed at 90 days",
            count("retained_90d"),
            count("eligible_90d"),
        ),
        (
            "Still employed at 365 days",
            count("retained_365d"),
            count("eligible_365d"),
        ),
    ]
    labels, values, texts = [], [], []
    for i, (label, value, base) in enumerate(stages):
        if i >= 2:
            eligible = base
            label += (
                f"<br><sub>of {eligible:,} hired long enough ago</sub>"
                if eligible
                else "<br><sub>nobody hired long enough ago yet</sub>"
                if eligible == 0
                else "<br><sub>hired long enough ago: fewer than 10</sub>"
            )
        labels.append(label)
        values.append(value or 0)
        if value is None:
            texts.append(FEWER_THAN if not (i >= 2 and base == 0) else "not yet")
        elif base:
            texts.append(f"{value:,} ({value / base:.0%})")
        else:
            texts.append(f"{value:,}")
    fig = go.Figure(
        go.Funnel(
            y=labels,
            x=values,
            text=texts,
            textinfo="text",
            textposition="outside",
            textfont={"size": 18},
            marker={"color": [PALETTE[0], PALETTE[2], PALETTE[5], PALETTE[4]]},
            connector={"fillcolor": "#e3e6ea"},
            hoverinfo="skip",
            cliponaxis=False,
        )
    )
    fig.update_layout(template="gapboard", title=title, height=520, showlegend=False)
    fig.update_yaxes(automargin=True)
    return with_source(fig, source)


def retention_curve(curve: pl.DataFrame, title: str, source: str) -> go.Figure:
    """Return one line per program: the share of placed people still employed N days after hire (RetentionCurve).

    Withheld points (fewer than 10 people) are gaps in the line.
    """
    fig = go.Figure()
    groups = curve.partition_by(["provider", "program"], maintain_order=True)
    for i, group in enumerate(groups):
        name = f"{group['program'][0]} — {group['provider'][0]}"
        fig.add_scatter(
            x=group["days_after_hire"].to_list(),
            y=[None if v is None else v * 100 for v in group["retained_rate"]],
            name=name if len(name) <= 60 else name[:59] + "…",
            mode="lines+markers",
            line={"width": 3, "color": PALETTE[i % len(PALETTE)]},
            marker={"size": 9},
            connectgaps=False,
            customdata=group["eligible"].to_list(),
            hovertemplate="%{y:.0f}% still employed %{x} days after hire"
            "<br>of %{customdata:,} hired that long ago<extra>" + name + "</extra>",
        )
    fig.update_layout(
        template="gapboard",
        title=title,
        xaxis_title="Days after hire",
        yaxis_title="Still employed (%)",
        height=560,
        legend={"orientation": "v", "y": 0.02, "yanchor": "bottom", "x": 0.01},
    )
    fig.update_yaxes(range=[0, 102], ticksuffix="%")
    fig.update_xaxes(tickvals=sorted(set(curve["days_after_hire"].to_list())))
    return with_source(fig, source)
