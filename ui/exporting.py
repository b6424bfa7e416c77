"""Download buttons under charts and tables: PNG/SVG at slide size, formula-safe CSV/XLSX with sources."""

from __future__ import annotations

from typing import Any

import polars as pl
import streamlit as st

from exports import images, tables


def show_table(
    frame: pl.DataFrame, key: str, source: str, name: str | None = None, **options: Any
) -> None:
    """Draw a table with its CSV and Excel downloads (formula-safe, source line in the file)."""
    st.dataframe(frame, key=key, **options)
    offer_table(frame, name or key, source, key=f"{key}_dl")


def offer_table(frame: pl.DataFrame, name: str, source: str, key: str) -> None:
    """Draw CSV and XLSX download buttons for a table; the files carry the source line."""
    row = st.container(horizontal=True, gap="small")
    row.download_button(
        "Download CSV",
        data=lambda: tables.to_csv_bytes(frame, source),
        file_name=f"{name}.csv",
        mime="text/csv",
        on_click="ignore",
        key=f"{key}_csv",
    )
    row.download_button(
        "Download Excel",
        data=lambda: tables.to_xlsx_bytes(frame, source),
        file_name=f"{name}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        on_click="ignore",
        key=f"{key}_xlsx",
    )


TRAY = "deck_tray"  # session key: list of {"label", "figure"} (Plotly JSON), in slide order


def tray() -> list[dict[str, str]]:
    """Return the charts collected for the deck, in order."""
    return st.session_state.setdefault(TRAY, [])


def show_chart(fig: Any, key: str, name: str | None = None) -> None:
    """Draw a chart in the house style with its "add to deck", PNG and SVG buttons under it.

    Every chart gets the slide-sized mode-bar export and no Streamlit theme (the template rules).
    """
    from charts import EXPORT_CONFIG

    st.plotly_chart(fig, config=EXPORT_CONFIG, theme=None, key=key)
    offer_chart(fig, name or key, key=f"{key}_dl")


def offer_chart(fig: Any, name: str, key: str) -> None:
    """Draw "add to deck", PNG (1920x1080) and SVG download buttons under a chart."""
    from charts import plain_title

    title = plain_title(fig) or name
    # one row of buttons at their own width: labels stay whole in a narrow column too
    row = st.container(horizontal=True, gap="small")
    if row.button("Add to deck", key=f"{key}_tray", icon=":material/add_to_photos:"):
        tray().append({"label": title, "figure": fig.to_json()})
        st.toast(f"Added to the deck ({len(tray())} chart(s)): {title}")
    if not images.images_available():
        st.caption(
            "Image downloads need Chromium on the server (`apt-get install chromium`, or set "
            "BROWSER_PATH). Slide decks still work without it."
        )
        return
    row.download_button(
        "Download PNG",
        data=lambda: images.to_png(fig),
        file_name=f"{name}.png",
        mime="image/png",
        on_click="ignore",
        key=f"{key}_png",
    )
    row.download_button(
        "Download SVG",
        data=lambda: images.to_svg(fig),
        file_name=f"{name}.svg",
        mime="image/svg+xml",
        on_click="ignore",
        key=f"{key}_svg",
    )
