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
                f"<br><span style='font-size:15px'>of {eligible:,} hired long enough ago</span>"
                if eligible
                else "<br><span style='font-size:15px'>nobody hired long enough ago yet</span>"
                if eligible == 0
                else "<br><span style='font-size:15px'>hired long enough ago: fewer than 10</span>"
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
        legend={
            "orientation": "v",
            "y": 0.02,
            "yanchor": "bottom",
            "x": 0.01,
            "bgcolor": "rgba(255,255,255,0.85)",
        },
    )
    # Retention sits high: start the axis 10 points below the lowest point so the lines part.
    shown = curve["retained_rate"].drop_nulls()
    low = min(float(shown.min()) * 100, 100.0) if shown.len() else 0.0  # type: ignore[arg-type]
    floor = max(0.0, (low - 10) // 10 * 10)
    fig.update_yaxes(range=[floor, 101.5], ticksuffix="%")
    fig.update_xaxes(tickvals=sorted(set(curve["days_after_hire"].to_list())), zeroline=False)
    return with_source(fig, source)
