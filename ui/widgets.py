"""Small shared widgets: meeting-mode styling, the headline number, empty states that say what to do."""

from __future__ import annotations

import html

import streamlit as st

# Meeting mode: no sidebar, no Streamlit chrome, larger type; the room reads it from the back.
_MEETING_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stExpandSidebarButton"], [data-testid="stHeader"], [data-testid="stToolbar"],
[data-testid="stDecoration"], [data-testid="stStatusWidget"], footer { display: none !important; }
html { font-size: clamp(15px, 1.05vw, 22px); }
.st-key-meeting_chart { height: calc(100vh - 10rem) !important; min-height: 360px; flex: 0 0 auto !important; }
.st-key-meeting_chart [data-testid="stPlotlyChart"], .st-key-meeting_chart .js-plotly-plot,
.st-key-meeting_chart .plot-container, .st-key-meeting_chart .svg-container { height: 100% !important; }
[data-testid="stMainBlockContainer"], .block-container {
  padding: 1rem 2rem 0.5rem 2rem !important; max-width: 100% !important;
}
[data-testid="stMain"] h1 { font-size: 2.1rem; padding: 0 0 0.2rem 0; }
[data-testid="stMain"] p, [data-testid="stMain"] li { font-size: 1.05rem; }
[data-testid="stMain"] button p { font-size: 1.1rem; }
.gb-headline { font-size: 4.2rem; font-weight: 700; line-height: 1.05; color: #0b3d91; }
.gb-headline-label { font-size: 1.35rem; line-height: 1.3; color: #111111; margin-top: 0.4rem; }
.gb-slide-count { font-size: 1.1rem; color: #333333; text-align: right; padding-top: 0.55rem; }
.gb-source { font-size: 1rem; color: #333333; }
</style>
"""

_NORMAL_CSS = """
<style>
.gb-headline { font-size: 3rem; font-weight: 700; line-height: 1.05; color: #0b3d91; }
.gb-headline-label { font-size: 1.1rem; line-height: 1.3; color: #111111; margin-top: 0.3rem; }
.gb-slide-count { font-size: 1rem; color: #333333; text-align: right; padding-top: 0.45rem; }
.gb-source { font-size: 0.9rem; color: #333333; }
.st-key-meeting_chart { height: 620px !important; flex: 0 0 auto !important; }
.st-key-meeting_chart [data-testid="stPlotlyChart"], .st-key-meeting_chart .js-plotly-plot,
.st-key-meeting_chart .plot-container, .st-key-meeting_chart .svg-container { height: 100% !important; }
</style>
"""


# Outside meeting mode: a compact page list, so that region and watch-list show on a 720p screen,
# and a sidebar wide enough to read the watch-list's occupation names.
_FRAME_CSS = """
<style>
[data-testid="stSidebar"] { min-width: 330px; }
[data-testid="stSidebarHeader"] { height: 1.5rem !important; padding-top: 0.5rem !important;
  margin-bottom: 0 !important; }
[data-testid="stSidebarNavItems"] { padding-top: 0 !important; padding-bottom: 0.25rem !important; }
[data-testid="stSidebarNavItems"] > div { margin: 0 !important; padding: 0 !important; }
[data-testid="stNavSectionHeader"] { margin: 0.35rem 0 0 0 !important; padding: 0 0.5rem !important;
  min-height: 0 !important; height: 1.4rem !important; }
[data-testid="stSidebarNavLink"] { height: 1.75rem !important; min-height: 0 !important; }
[data-testid="stSidebarNavLinkContainer"] { margin: 0 !important; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem !important; }
</style>
"""


def frame_style() -> None:
    """Compact the page list and widen the sidebar (every page outside meeting mode)."""
    st.html(_FRAME_CSS)


def meeting_style() -> None:
    """Hide the sidebar and Streamlit's chrome and enlarge the type (meeting mode)."""
    st.html(_MEETING_CSS)


def slide_style() -> None:
    """Style the headline number and slide counter outside meeting mode."""
    st.html(_NORMAL_CSS)


def headline(value: str, label: str) -> None:
    """Draw a slide's headline number, large, with what it counts."""
    st.html(
        f'<div class="gb-headline" data-testid="gb-headline">{html.escape(value)}</div>'
        f'<div class="gb-headline-label">{html.escape(label)}</div>'
    )


def slide_counter(index: int, count: int) -> None:
    """Write "slide k of n"."""
    st.html(f'<div class="gb-slide-count">slide {index + 1} of {count}</div>')


def source_note(text: str) -> None:
    """Write a chart's source-and-vintage line."""
    st.html(f'<div class="gb-source">{html.escape(text)}</div>')


NO_FEEDS = (
    "No member data yet. Send a vacancy, program or placement file on the **Upload** page "
    "(section *Vacancies*), or load the illustrative sample feeds in `data/samples/` with "
    "`gapboard samples load`."
)


def empty_state(what: str, todo: str = NO_FEEDS) -> None:
    """Say that there is nothing to show, and what to do about it."""
    st.info(f"{what} {todo}", icon=":material/info:")
