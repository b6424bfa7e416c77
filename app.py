"""Gapboard: the Streamlit entry point. A frame around thin pages: config, shared sidebar, navigation."""

from __future__ import annotations

import logging

# Streamlit imports pandas lazily while it draws a table; several sessions starting at once on a
# fresh server then import it in several threads at the same moment, which can fail half-way.
# Importing it here, with the entry point, settles it before any table is drawn.
import pandas  # noqa: F401
import streamlit as st

from ui import auth, cached, runtime_fixes, state, widgets

# a file dropped just as a rerun starts must still upload (ui/runtime_fixes.py)
runtime_fixes.keep_request_answers_across_reruns()

st.set_page_config(
    page_title="Gapboard — workforce demand and training gaps",
    page_icon=":material/bar_chart:",
    layout="wide",
    initial_sidebar_state="expanded",
)
logging.basicConfig(level=logging.INFO)

OVERVIEW = st.Page("views/overview.py", title="Overview", icon=":material/home:", default=True)
MEETING = st.Page("views/meeting.py", title="Meeting mode", icon=":material/co_present:")
PAGES = {
    "Overview": [
        OVERVIEW,
        MEETING,
        st.Page("views/deck.py", title="Slide deck", icon=":material/slideshow:"),
    ],
    "Demand": [st.Page("views/demand.py", title="Demand", icon=":material/work:")],
    "Gaps": [st.Page("views/gaps.py", title="Gaps", icon=":material/compare_arrows:")],
    "Training": [st.Page("views/training.py", title="Training", icon=":material/school:")],
    "Pathways": [st.Page("views/pathways.py", title="Pathways", icon=":material/trending_up:")],
    "Outcomes": [st.Page("views/outcomes.py", title="Outcomes", icon=":material/how_to_reg:")],
    "Vacancies": [st.Page("views/vacancies.py", title="Upload", icon=":material/upload_file:")],
    "Sources": [st.Page("views/sources.py", title="Sources", icon=":material/menu_book:")],
}


def sidebar_region(snapshot: str) -> str:
    """Draw the region picker; return the region id (the link's on a first visit)."""
    regions = cached.regions(snapshot)
    ids = [r.region_id for r in regions]
    names = {r.region_id: r.name for r in regions}
    current = state.region_id()
    state.seed(state.REGION_WIDGET, current if current in ids else state.DEFAULT_REGION)
    if st.session_state[state.REGION_WIDGET] not in ids:
        st.session_state[state.REGION_WIDGET] = state.DEFAULT_REGION
    # A radio, not a select box: every region shows at once on the room's screen, and one click
    # chooses (a searchable box needs typing and Enter, and a starved browser could drop that).
    chosen = str(st.radio("Region", ids, format_func=names.__getitem__, key=state.REGION_WIDGET))
    state.set_region(chosen)
    return chosen


def sidebar_watchlist(snapshot: str, region_id: str) -> list[str]:
    """Draw the occupation watch-list; it starts from the region's default (or the link's)."""
    region = {r.region_id: r for r in cached.regions(snapshot)}[region_id]
    titles = cached.occupation_titles(snapshot, region_id)
    default = [s for s in region.watchlist if s in titles]
    if st.session_state.get("_watchlist_region") != region_id:
        # A new region (or a new session): its own default, unless the link names a list.
        linked = (
            state.linked_watchlist(titles) if "_watchlist_region" not in st.session_state else None
        )
        st.session_state[state.WATCHLIST_WIDGET] = default if linked is None else linked
        st.session_state["_watchlist_region"] = region_id
    chosen = st.multiselect(
        "Occupation watch-list",
        sorted(titles, key=titles.__getitem__),
        format_func=lambda s: f"{titles[s]} ({s})",
        key=state.WATCHLIST_WIDGET,
        placeholder="Type an occupation title",
        help="The occupations the consortium follows. Every page starts from this list; the "
        "region's default comes from data/regions.toml.",
    )
    state.set_watchlist(chosen, default)
    return list(chosen)


def sidebar_meeting() -> bool:
    """Draw the meeting-mode switch (also `?meeting=1` in a link); return whether it is on."""
    state.seed(state.MEETING_WIDGET, state.meeting())
    on = st.toggle(
        "Meeting mode",
        key=state.MEETING_WIDGET,
        help="One chart a screen in large type for the room's projector; the sidebar hides. "
        "Leave it with the button at the top of the slide.",
    )
    state.set_meeting(on)
    return on


def sidebar_vintage(snapshot: str) -> None:
    """Write the data vintages and the snapshot's age under the selections."""
    st.caption(f"Data: {cached.vintage_line(snapshot)} Snapshot `{snapshot}` — see *Sources*.")


def sidebar() -> bool:
    """Draw the shared sidebar; return whether meeting mode is on."""
    snapshot = cached.snapshot_id()
    with st.sidebar:
        st.markdown("### Gapboard")
        region_id = sidebar_region(snapshot)
        sidebar_watchlist(snapshot, region_id)
        meeting = sidebar_meeting()
        sidebar_vintage(snapshot)
        auth.sidebar_identity()
    return meeting


meeting = sidebar()
if meeting:
    widgets.meeting_style()
    page = st.navigation(PAGES, position="hidden")
    if page.url_path != MEETING.url_path:
        st.switch_page(MEETING)
else:
    widgets.frame_style()
    page = st.navigation(PAGES)
page.run()
