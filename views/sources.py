"""Sources: every dataset with its publisher, vintage, license, and the required attributions."""

from __future__ import annotations

import streamlit as st

import workflows
from ui import cached, exporting

snapshot = cached.snapshot_id()
st.title("Sources and vintages")
st.write(
    "Every number in Gapboard comes from one of these datasets. They ship with the product as a "
    "Parquet snapshot built from the publishers' own files, so it works with no network. "
    "`gapboard refresh` rebuilds it from the publishers."
)
st.caption(
    f"{workflows.snapshot_freshness()} Each dataset's publisher vintage is in the table; "
    "`built_at` is when its file was last rebuilt. A refresh that fails keeps the last good snapshot."
)
table = cached.sources(snapshot)
exporting.show_table(
    table,
    key="sources_table",
    source="Source: the Gapboard reference snapshot manifest (data/reference/manifest.json).",
    hide_index=True,
    width="stretch",
    column_config={
        "rows": st.column_config.NumberColumn(format="localized"),
        "source_url": st.column_config.LinkColumn("source"),
    },
)
st.subheader("Attribution")
for statement in cached.attributions():
    st.info(statement)
st.caption(
    "BLS, NCES and Census data are U.S. Government works in the public domain. BLS cannot vouch for "
    "the data or analyses derived from these data after they have been retrieved from BLS.gov."
)
