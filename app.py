"""Gapboard: the Streamlit entry point. A frame around thin pages: config, shared sidebar, navigation."""

from __future__ import annotations

import logging

import streamlit as st

from ui import auth, cached, state

st.set_page_config(
    page_title="Gapboard — workforce demand and training gaps",
    page_icon=":material/bar_chart:",
    layout="wide",
    initial_sidebar_state="expanded",
)
logging.basicConfig(level=logging.INFO)


def sidebar() -> None:
    """Draw the shared sidebar: region and data vintage."""
    snapshot = cached.snapshot_id()
    regions = cached.regions(snapshot)
    ids = [r.region_id for r in regions]
    names = {r.region_id: r.name for r in regions}
    current = state.region_id()
    if current not in ids:
        current = state.DEFAULT_REGION
    with st.sidebar:
        st.markdown("### Gapboard")
        chosen = st.selectbox(
            "Region",
            ids,
            index=ids.index(current),
            format_func=names.__getitem__,
            key="sidebar_region",
        )
        if chosen != current or st.query_params.get(state.REGION) != chosen:
            state.set_region(chosen)
        st.caption(
            "Data: BLS Employment Projections 2024–34 · OEWS May 2025 · O*NET 27.0. "
            f"Snapshot `{snapshot}` — see *Sources*."
        )
        auth.sidebar_identity()


pages = {
    "Overview": [
        st.Page("views/overview.py", title="Overview", icon=":material/home:", default=True)
    ],
    "Demand and supply": [
        st.Page("views/demand.py", title="Demand", icon=":material/work:"),
        st.Page("views/gaps.py", title="Gaps", icon=":material/compare_arrows:"),
        st.Page("views/training.py", title="Training", icon=":material/school:"),
    ],
    "Pathways and outcomes": [
        st.Page("views/pathways.py", title="Pathways", icon=":material/trending_up:"),
        st.Page("views/outcomes.py", title="Outcomes", icon=":material/how_to_reg:"),
    ],
    "Member data": [st.Page("views/vacancies.py", title="Upload", icon=":material/upload_file:")],
    "Deck": [st.Page("views/deck.py", title="Slide deck", icon=":material/slideshow:")],
    "About the data": [st.Page("views/sources.py", title="Sources", icon=":material/menu_book:")],
}
sidebar()
st.navigation(pages).run()
