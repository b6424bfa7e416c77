"""One look for every chart: colour-blind-safe palette, large type, a source line under the plot."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go
import plotly.io as pio

# Okabe-Ito: distinguishable with the common forms of colour blindness and on a projector.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
FONT = "Source Sans Pro, Arial, sans-serif"
SLIDE_WIDTH, SLIDE_HEIGHT = 1920, 1080

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
    )
    fig.update_layout(margin={"b": 120 + 18 * len(lines)})
    return fig
