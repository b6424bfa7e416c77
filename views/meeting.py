"""Meeting: one chart a screen for the room, with its headline number and source, paged."""

from __future__ import annotations

import streamlit as st

from charts import EXPORT_CONFIG
from ui import cached, meeting, state, widgets

snapshot = cached.snapshot_id()
regions = {r.region_id: r for r in cached.regions(snapshot)}
region = regions.get(state.region_id()) or regions[state.DEFAULT_REGION]
on = state.meeting()
if not on:
    widgets.slide_style()

with st.spinner("Preparing the meeting slides…"):
    slides = meeting.plan(region, state.watchlist())
count = len(slides.names)
index = state.slide(count)


def _go(to: int) -> None:
    state.set_slide(to)


def _switch(value: bool) -> None:
    st.session_state[state.MEETING_WIDGET] = value


if count == 0:
    st.title(f"{region.name}: meeting")
    widgets.empty_state(
        "No slide has data for this region and watch-list yet.",
        "Choose occupations in the watch-list, or send member data on the Upload page.",
    )
    st.stop()

with st.spinner("Drawing the chart…"):
    slide = slides.builders[index]()

head, counter, prev, nxt, leave = st.columns([5, 1.2, 1.3, 1.3, 1.3], vertical_alignment="center")
head.title(slide.title)
with counter:
    widgets.slide_counter(index, count)
prev.button(
    "Previous",
    key="meeting_prev",
    icon=":material/arrow_back:",
    disabled=index == 0,
    on_click=_go,
    args=(index - 1,),
    width="stretch",
)
nxt.button(
    "Next",
    key="meeting_next",
    icon=":material/arrow_forward:",
    disabled=index >= count - 1,
    on_click=_go,
    args=(index + 1,),
    type="primary",
    width="stretch",
)
if on:
    leave.button(
        "Exit",
        key="meeting_leave",
        icon=":material/close_fullscreen:",
        on_click=_switch,
        args=(False,),
        help="Leave meeting mode: the sidebar and menus come back.",
        width="stretch",
    )
else:
    leave.button(
        "Full screen",
        key="meeting_start",
        icon=":material/open_in_full:",
        width="stretch",
        on_click=_switch,
        args=(True,),
        help="Hides the sidebar and Streamlit's menus and enlarges the type.",
    )

number, chart = st.columns([1, 3.4], vertical_alignment="top")
with number:
    widgets.headline(slide.headline, slide.headline_label)
with chart, st.container(key="meeting_chart"):
    # The chart fills the screen's height (CSS in ui.widgets): one chart a screen, on any projector.
    st.plotly_chart(
        slide.figure,
        config={**EXPORT_CONFIG, "responsive": True},
        theme=None,
        height="stretch",
        key=f"meeting_chart_{index}",
    )
widgets.source_note(slide.source)
if slides.skipped:
    st.caption("Not shown: " + "; ".join(slides.skipped) + ".")
