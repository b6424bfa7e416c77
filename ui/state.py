"""Session-state keys and the shared selections (region, occupations), mirrored in the URL."""

from __future__ import annotations

import streamlit as st

REGION = "region"
WATCHLIST = "watchlist"
DEFAULT_REGION = "greater-boston"


def region_id() -> str:
    """Return the selected region id (from the session, else the URL, else the default)."""
    if REGION not in st.session_state:
        st.session_state[REGION] = st.query_params.get(REGION, DEFAULT_REGION)
    return str(st.session_state[REGION])


def set_region(region_id: str) -> None:
    """Remember the selected region in the session and the URL."""
    st.session_state[REGION] = region_id
    st.query_params[REGION] = region_id
