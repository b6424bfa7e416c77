"""Deck: the charts collected from every page, reordered or removed, downloaded as one .pptx."""

from __future__ import annotations

import streamlit as st

import workflows
from ui import exporting

st.title("Slide deck")
items = exporting.tray()
if not items:
    st.info(
        "No charts yet. Press **Add to deck** under any chart (Overview, Demand, Gaps, Training, "
        "Pathways, Outcomes); they gather here in order, each with its source line."
    )
    st.stop()

st.caption(
    f"{len(items)} chart(s). Native, editable PowerPoint charts where the chart type allows."
)
for i, item in enumerate(list(items)):
    left, up, down, remove = st.columns([8, 1, 1, 1])
    left.markdown(f"**{i + 1}.** {item['label']}")
    if up.button("↑", key=f"deck_up_{i}", disabled=i == 0, help="Move up"):
        items[i - 1], items[i] = items[i], items[i - 1]
        st.rerun()
    if down.button("↓", key=f"deck_down_{i}", disabled=i == len(items) - 1, help="Move down"):
        items[i + 1], items[i] = items[i], items[i + 1]
        st.rerun()
    if remove.button("✕", key=f"deck_remove_{i}", help="Remove"):
        items.pop(i)
        st.rerun()

title = st.text_input("Deck title", "Workforce demand and training gaps", key="deck_title")
st.download_button(
    "Download deck (.pptx)",
    data=lambda: workflows.build_tray_deck([item["figure"] for item in items], title),
    file_name="gapboard-deck.pptx",
    mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
    on_click="ignore",
    type="primary",
    key="deck_download",
)
if st.button("Empty the deck", key="deck_clear"):
    items.clear()
    st.rerun()
