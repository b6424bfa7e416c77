"""Sources: every dataset with its publisher, vintage, license, and the required attributions."""

from __future__ import annotations

import streamlit as st

from ui import cached

ONET_ATTRIBUTION = (
    "This product includes information from the O*NET 27.0 Database by the U.S. Department of Labor, "
    "Employment and Training Administration (USDOL/ETA). Used under the CC BY 4.0 license. O*NET® is a "
    "trademark of USDOL/ETA. Gapboard has modified all or some of this information; USDOL/ETA has not "
    "approved, endorsed, or tested these modifications."
)
INDEED_ATTRIBUTION = "Job postings indexes: Indeed Hiring Lab (data.indeed.com), CC BY 4.0."

snapshot = cached.snapshot_id()
st.title("Sources and vintages")
st.write(
    "Every number in Gapboard comes from one of these datasets. They ship with the product as a "
    "Parquet snapshot built from the publishers' own files, so it works with no network. "
    "`gapboard refresh` rebuilds it from the publishers."
)
table = cached.sources(snapshot)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={
        "rows": st.column_config.NumberColumn(format="localized"),
        "source_url": st.column_config.LinkColumn("source"),
    },
)
st.subheader("Attribution")
st.info(ONET_ATTRIBUTION)
st.info(INDEED_ATTRIBUTION)
st.caption(
    "BLS, NCES and Census data are U.S. Government works in the public domain. BLS cannot vouch for "
    "the data or analyses derived from these data after they have been retrieved from BLS.gov."
)
