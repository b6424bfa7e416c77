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
    labels: int = 6,
) -> go.Figure:
    """Return a scatter of likeness (x) against wage uplift (y), one dot per occupation of a Pathway table.

    Each dot shows the occupation's rank in the table; the best `labels` are also named, placed
    where they cover no other label or dot. Occupations without a known wage are not drawn.
    """
    side = "from" if direction == "to" else "to"
    rows = table.drop_nulls("wage_uplift_pct").sort("rank")
    codes = rows[f"{side}_soc"].to_list()
    named = set(codes[:labels])
    colors = [PALETTE[1] if c == highlight else PALETTE[0] for c in codes]
    xs, ys = rows["similarity"].to_list(), rows["wage_uplift_pct"].to_list()
    names = [
        short_title(t, 24) if c in named else ""
        for c, t in zip(codes, rows[f"{side}_title"], strict=True)
    ]
    fig = go.Figure(
        [
            # Each dot carries its rank in the table; the best are also named beside the dot.
            go.Scatter(
                x=xs,
                y=ys,
                mode="markers+text",
                marker={"size": 26, "color": colors, "line": {"width": 1, "color": "#ffffff"}},
                text=[str(r) for r in rows["rank"]],
                textposition="middle center",
                textfont={"size": 13, "color": "#ffffff"},
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
            ),
            go.Scatter(
                x=xs,
                y=ys,
                # Invisible markers the size of the dots push each name clear of its dot.
                mode="markers+text",
                marker={"size": 26, "opacity": 0},
                text=names,
                textposition=_label_positions(xs, ys, names),
                textfont={"size": 15},
                cliponaxis=False,
                hoverinfo="skip",
            ),
        ]
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


def _label_positions(
    xs: list[float],
    ys: list[float],
    texts: list[str],
    width_px: float = 1000,
    height_px: float = 330,
) -> list[str]:
    """Place each label above, below, right or left of its dot where it covers no other label or dot.

    Sizes are guessed in pixels of a slide-sized plot area (15 px text, 26 px dots) and turned
    into data units; a label with no free side goes above its dot.
    """
    if not xs:
        return []
    px_x = ((max(xs) - min(xs)) or 1.0) / width_px
    px_y = ((max(ys) - min(ys)) or 1.0) / height_px
    radius, char, line = 13, 8.0, 18
    dots = [
        (x - radius * px_x, x + radius * px_x, y - radius * px_y, y + radius * px_y)
        for x, y in zip(xs, ys, strict=True)
    ]
    labels: list[tuple[float, float, float, float]] = []
    chosen = ["top center"] * len(xs)
    for i in sorted(range(len(xs)), key=lambda k: -ys[k]):
        if not texts[i]:
            continue
        x, y, w = xs[i], ys[i], len(texts[i]) * char * px_x
        near, far = (radius + 2) * px_y, (radius + 2 + line) * px_y
        side_near, side_far = (radius + 4) * px_x, (radius + 4) * px_x + w
        half = line / 2 * px_y
        boxes = {
            "top center": (x - w / 2, x + w / 2, y + near, y + far),
            "bottom center": (x - w / 2, x + w / 2, y - far, y - near),
            "middle right": (x + side_near, x + side_far, y - half, y + half),
            "middle left": (x - side_far, x - side_near, y - half, y + half),
        }
        others = [d for k, d in enumerate(dots) if k != i] + labels
        free = [n for n, box in boxes.items() if not any(_overlap(box, o) for o in others)]
        chosen[i] = free[0] if free else "top center"
        labels.append(boxes[chosen[i]])
    return chosen


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]


def skills_gap_bars(
    gaps: pl.DataFrame, title: str, source: str, from_label: str, to_label: str, top: int = 8
) -> go.Figure:
    """Return paired bars of O*NET skill importance now and in the target, for the skills that rise most."""
    rows = gaps.filter(pl.col("importance_gap") > 0).head(top).reverse()
    skills = rows["skill"].to_list()
    fig = go.Figure(
        [
            go.Bar(
                name=f"{short_title(from_label, 36)} (now)",
                y=skills,
                x=rows["importance_from"].to_list(),
                orientation="h",
                marker_color=PALETTE[5],
                hovertemplate="%{y}: importance %{x:.2f} of 5<extra>" + from_label + "</extra>",
            ),
            go.Bar(
                name=f"{short_title(to_label, 36)} (needed)",
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
    """Return grouped horizontal bars of the share of women, Black, Asian and Hispanic workers per occupation (Diversity rows)."""
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
            y=list(MEASURES.values()),
            x=values,
            orientation="h",
            marker_color=color,
            text=["" if v is None else f"{v:.0f}%" for v in values],
            textposition="outside",
            textfont={"size": 15},
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.1f}% of workers<extra>" + row["title"] + "</extra>",
        )
    fig.update_layout(
        template="gapboard",
        title=title,
        barmode="group",
        xaxis_title="Share of workers (%)",
        height=max(520, 26 * 4 * rows.height + 260),
        bargap=0.22,
        # Occupation names are long: a column of them beside the plot never covers the title.
        margin={"r": 300},
        legend={
            "orientation": "v",
            "x": 1.02,
            "xanchor": "left",
            "y": 1.0,
            "yanchor": "top",
            "font": {"size": 16},
        },
    )
    # Women first, and within each measure the occupations in legend order, top down.
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(range=[0, 108], ticksuffix="%")
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
        legend={"traceorder": "normal"},
        xaxis_title="Share of workers by age (%)",
        height=max(360, 70 * len(labels) + 240),
    )
    fig.update_xaxes(range=[0, 100], ticksuffix="%")
    return with_source(fig, source)
