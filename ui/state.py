"""Session-state keys and the shared selections (region, watch-list, meeting mode), kept in the URL.

Every selection a convener would want a link to reopen is mirrored in the query string: the region,
the occupation watch-list, meeting mode and its slide, and each page's main choice (the Demand
page's occupation, say). A link is read once, when a session starts; after that the widgets rule
and the URL follows them on every run (Streamlit clears the query string on a page switch).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import streamlit as st

# Query-string parameters (and the session keys that hold their values).
REGION = "region"
WATCHLIST = "watchlist"
MEETING = "meeting"
SLIDE = "slide"
DEFAULT_REGION = "greater-boston"

# Keys of the shared sidebar widgets.
REGION_WIDGET = "sidebar_region"
WATCHLIST_WIDGET = "sidebar_watchlist"
MEETING_WIDGET = "sidebar_meeting"

_SEEN = "_state_link_read"  # the session's link has been read
_SEP = ","


def _param(name: str) -> str | None:
    value = st.query_params.get(name)
    return None if value is None else str(value)


def region_id() -> str:
    """Return the selected region id (from the session, else the URL, else the default)."""
    if REGION not in st.session_state:
        st.session_state[REGION] = _param(REGION) or DEFAULT_REGION
    return str(st.session_state[REGION])


def set_region(region_id: str) -> None:
    """Remember the selected region in the session and the URL."""
    st.session_state[REGION] = region_id
    if _param(REGION) != region_id:
        st.query_params[REGION] = region_id


def parse_codes(text: str | None, known: Iterable[str]) -> list[str]:
    """Return the SOC codes of a comma-separated list that are known, in order, without repeats."""
    allowed = set(known)
    codes: list[str] = []
    for part in (text or "").split(_SEP):
        code = part.strip()
        if code in allowed and code not in codes:
            codes.append(code)
    return codes


def watchlist() -> list[str]:
    """Return the shared occupation watch-list (SOC codes) as the sidebar last set it."""
    return list(st.session_state.get(WATCHLIST, ()))


def linked_watchlist(known: Iterable[str]) -> list[str] | None:
    """Return the watch-list a link asks for (known codes only), or None when it asks for none."""
    text = _param(WATCHLIST)
    if text is None:
        return None
    return parse_codes(text, known)


def set_watchlist(codes: Sequence[str], default: Sequence[str]) -> None:
    """Remember the watch-list; the URL carries it only when it differs from the region's default."""
    st.session_state[WATCHLIST] = list(codes)
    wanted = None if list(codes) == list(default) else _SEP.join(codes)
    if wanted is None:
        if WATCHLIST in st.query_params:
            del st.query_params[WATCHLIST]
    elif _param(WATCHLIST) != wanted:
        st.query_params[WATCHLIST] = wanted


def meeting() -> bool:
    """Return whether meeting mode is on (the sidebar toggle, or `?meeting=1` in a link)."""
    if MEETING not in st.session_state:
        st.session_state[MEETING] = _param(MEETING) in ("1", "true", "on", "yes")
    return bool(st.session_state[MEETING])


def set_meeting(on: bool) -> None:
    """Switch meeting mode on or off, in the session and the URL."""
    st.session_state[MEETING] = on
    if on and _param(MEETING) != "1":
        st.query_params[MEETING] = "1"
    if not on:
        for name in (MEETING, SLIDE):
            if name in st.query_params:
                del st.query_params[name]


def first_run() -> bool:
    """Return True on the session's first run (the link has not been read yet), then False."""
    if st.session_state.get(_SEEN):
        return False
    st.session_state[_SEEN] = True
    return True


def seed(widget_key: str, value: object) -> None:
    """Give a widget its starting value unless the session already holds one."""
    if widget_key not in st.session_state:
        st.session_state[widget_key] = value


def linked_choice(param: str, widget_key: str, options: Sequence[str], default: str) -> None:
    """Start a page's select box on the option a link names (else default); keep the URL in step.

    Call before drawing the widget; call `remember(param, value)` after.
    """
    if widget_key in st.session_state and st.session_state[widget_key] in options:
        return
    wanted = _param(param)
    st.session_state[widget_key] = wanted if wanted in options else default


def remember(param: str, value: str | None) -> None:
    """Write a page's main choice into the URL (or drop it when None)."""
    if value is None:
        if param in st.query_params:
            del st.query_params[param]
    elif _param(param) != value:
        st.query_params[param] = value


def slide(count: int) -> int:
    """Return the meeting slide shown (0-based), from the session, else the link, else the first."""
    if SLIDE not in st.session_state:
        text = _param(SLIDE) or "1"
        st.session_state[SLIDE] = int(text) - 1 if text.isdigit() else 0
    index = min(max(int(st.session_state[SLIDE]), 0), max(count - 1, 0))
    st.session_state[SLIDE] = index
    remember(SLIDE, str(index + 1))
    return index


def set_slide(index: int) -> None:
    """Remember the meeting slide shown (0-based)."""
    st.session_state[SLIDE] = index
