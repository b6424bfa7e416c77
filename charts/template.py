"""One look for every chart: colour-blind-safe palette, large type, a source line under the plot."""

from __future__ import annotations

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


def with_source(fig: go.Figure, source: str, wrap: int = 95) -> go.Figure:
    """Return the figure with its source-and-vintage line written under the plot area."""
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


def meeting_look(fig: go.Figure, height: int = 600) -> go.Figure:
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
        height=height,
        margin={"t": 60, "b": 40},
    )
    out.update_xaxes(title_font={"size": 24}, tickfont={"size": 22})
    out.update_yaxes(title_font={"size": 24}, tickfont={"size": 22})
    out.update_traces(textfont={"size": 22}, selector={"type": "bar"})
    return out
