"""One look for every chart: colour-blind-safe palette, large type, a source line under the plot."""

from __future__ import annotations

import math
import textwrap

import plotly.graph_objects as go
import plotly.io as pio

# Okabe-Ito: distinguishable with the common forms of colour blindness and on a projector.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FONT = "Source Sans Pro, Arial, sans-serif"
SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080
SOURCE_ANNOTATION = "source"

# The mode bar's own camera button exports at slide size.
EXPORT_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {
        "format": "png",
        "width": SLIDE_WIDTH,
        "height": SLIDE_HEIGHT,
        "scale": 1,
    },
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}

TEMPLATE = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 18, "color": "#111111"},
        title={"font": {"size": 26}, "x": 0.0, "xanchor": "left"},
        colorway=PALETTE,
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        xaxis={"gridcolor": "#e3e6ea", "zerolinecolor": "#9aa0a6", "automargin": True},
        yaxis={"gridcolor": "#e3e6ea", "zerolinecolor": "#9aa0a6", "automargin": True},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        hoverlabel={"font": {"size": 16}},
        margin={"l": 20, "r": 30, "t": 90, "b": 110},
    )
)
pio.templates["gapboard"] = TEMPLATE


# Width of a character of the chart type, in units of its size (an upper bound for digits and
# lower case), and the share of the longest bar label kept as right margin: the value axis's own
# headroom holds the rest when the plot is at least about 300 px wide (a chart in a column at 1280
# px, or a meeting slide at 720p).
LABEL_CHAR_WIDTH = 0.6
LABEL_MARGIN_SHARE = 0.4
TITLE_WRAP = 48  # characters of 26 px type that fit a chart in a two-thirds column at 1280 px


def plain_title(fig: go.Figure) -> str:
    """Return the figure's title on one line, without the breaks written to fit the screen."""
    text = str(fig.layout.title.text or "") if fig.layout.title else ""
    return " ".join(text.replace("<br>", " ").split())


def with_source(fig: go.Figure, source: str, wrap: int = 64) -> go.Figure:
    """Return the figure with its source-and-vintage line written under the plot area.

    A long title is broken over lines (Plotly does not wrap titles; it cuts them off at the right
    edge) and the top margin grows to hold them.
    """
    title = plain_title(fig)
    if len(title) > TITLE_WRAP:
        title_lines = textwrap.wrap(title, width=TITLE_WRAP)
        top = fig.layout.margin.t if fig.layout.margin.t is not None else TEMPLATE.layout.margin.t
        fig.update_layout(
            title_text="<br>".join(title_lines), margin={"t": top + 32 * (len(title_lines) - 1)}
        )
    lines = textwrap.wrap(source, width=wrap) or [""]
    fig.add_annotation(
        text="<br>".join(lines),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-78,
        xanchor="left",
        yanchor="top",
        showarrow=False,
        align="left",
        font={"size": 14, "color": "#444444"},
        name=SOURCE_ANNOTATION,
    )
    fig.update_layout(margin={"b": 120 + 18 * len(lines)})
    return fig


def meeting_look(fig: go.Figure) -> go.Figure:
    """Return a copy of the figure for the room's screen: larger type, no title or source inside.

    The slide around it prints the title, the headline number and the source line in large type.
    """
    out = go.Figure(fig)
    out.layout.annotations = [a for a in out.layout.annotations if a.name != SOURCE_ANNOTATION]
    out.update_layout(
        title_text="",
        title_subtitle_text="",
        font={"size": 24},
        hoverlabel={"font": {"size": 22}},
        legend={"font": {"size": 22}},
        height=None,
        autosize=True,
        margin={"t": 50, "b": 30},
    )
    out.layout.height = None  # the slide's container sets the height: the screen's
    out.update_xaxes(title_font={"size": 24}, tickfont={"size": 22})
    out.update_yaxes(title_font={"size": 24}, tickfont={"size": 22})
    for trace in out.data:
        # Labels written on or beside the marks grow with the rest (rank numbers in dots too);
        # names set beside dots grow less, so that they still clear their neighbours.
        size = getattr(getattr(trace, "textfont", None), "size", None)
        marker = getattr(trace, "marker", None)
        beside = trace.type == "scatter" and getattr(marker, "opacity", None) == 0
        if beside:
            trace.update(textfont={"size": 18})
        elif trace.type in ("bar", "funnel") or size:
            trace.update(textfont={"size": max(22, round((size or 16) * 1.5))})
        dot = getattr(marker, "size", None)
        if trace.type == "scatter" and isinstance(dot, int | float):
            trace.update(marker={"size": dot * 1.4})
        if trace.type == "funnel" and trace.y is not None:
            trace.update(y=[str(v).replace("font-size:15px", "font-size:20px") for v in trace.y])
    room_for_bar_labels(out)
    return out


def room_for_bar_labels(fig: go.Figure) -> None:
    """Widen the value axis so that labels written after horizontal bars stay on the screen.

    Without a range of its own the axis runs to 1.15 times the longest bar; one already set (or
    widened before) grows by a quarter, for the larger type of meeting mode.
    """
    widest = 0.0
    for trace in fig.data:
        if trace.type == "bar" and trace.orientation == "h" and trace.textposition == "outside":
            widest = max([widest, *(float(v) for v in (trace.x or ()) if v is not None)])
    if not widest:
        return
    current = fig.layout.xaxis.range
    upper = float(current[1]) * 1.25 if current else widest * 1.15
    fig.update_xaxes(range=[0, upper])
    margin_for_bar_labels(fig)


def margin_for_bar_labels(fig: go.Figure) -> None:
    """Keep a right margin for labels written after horizontal bars, sized to the longest one.

    The axis headroom is a share of the plot, so a narrow plot leaves too few pixels for a long
    label ("surplus 134, 104% covered") and its end was cut off at the chart's edge.
    """
    label_px = 0.0
    for trace in fig.data:
        if trace.type == "bar" and trace.orientation == "h" and trace.textposition == "outside":
            texts = [trace.text] if isinstance(trace.text, str) else list(trace.text or ())
            size = trace.textfont.size or fig.layout.font.size or TEMPLATE.layout.font.size
            longest = max((len(str(t)) for t in texts), default=0)
            label_px = max(label_px, LABEL_CHAR_WIDTH * size * longest)
    right = fig.layout.margin.r if fig.layout.margin.r is not None else TEMPLATE.layout.margin.r
    fig.update_layout(margin={"r": max(right, math.ceil(LABEL_MARGIN_SHARE * label_px))})
