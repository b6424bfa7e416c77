"""Training: who trains for the chosen occupations in the region, where, and how many a year."""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
from ui import cached, exporting, state, widgets

snapshot = cached.snapshot_id()
regions = {r.region_id: r for r in cached.regions(snapshot)}
region = regions.get(state.region_id()) or regions[state.DEFAULT_REGION]
warehouse = cached.warehouse_version()

st.title(f"{region.name}: who trains for these jobs")
inputs = cached.gap_inputs(snapshot, warehouse, region.region_id)
occupations = (
    inputs.supply.group_by("soc_code", "title")
    .agg(pl.col("annual_supply").sum())
    .sort("annual_supply", descending=True)
)
titles = dict(zip(occupations["soc_code"], occupations["title"], strict=True))
chosen = [s for s in state.watchlist() if s in titles]
st.caption(
    "Occupations: the watch-list in the sidebar, where a program in the region trains for them."
)
if not chosen:
    widgets.empty_state(
        "No program inside the region trains for the watch-list's occupations.",
        "Add occupations to the watch-list in the sidebar, or ask training providers to send their "
        "non-credit programs on the Upload page (kind: Training programs; a sample is in "
        "`data/samples/`).",
    )
    st.stop()

with st.spinner("Finding the programs…"):
    providers = cached.training_providers(
        snapshot, warehouse, region.region_id, tuple(chosen), inputs
    )
if providers.is_empty():
    st.info(
        "No program inside the region trains for these occupations. Training providers can add "
        "their non-credit programs on the Upload page (kind: Training programs)."
    )
    st.stop()

a, b, c = st.columns(3)
a.metric("Providers", f"{providers['provider'].n_unique():,}")
b.metric("Trained and placed a year", f"{providers['annual_supply'].sum():,.0f}")
member_share = providers.filter(pl.col("source") == "member programs")["annual_supply"].sum()
c.metric("Of which from member programs", f"{member_share:,.0f}")

source = cached.source_line(
    snapshot, ("ipeds_completions", "ipeds_institutions", "cip_soc"), short=True
)
fig = charts.provider_map(
    providers,
    cached.county_geojson(snapshot),
    cached.region_counties(snapshot, region.region_id),
    title=f"Training providers for {', '.join(titles.get(s, s) for s in chosen[:3])}"
    + (" and more" if len(chosen) > 3 else ""),
    source=source,
)
exporting.show_chart(fig, key="training_map")
st.caption(
    source
    + " Member programs have no coordinates and appear in the table only. Supply = completers × "
    "in-field placement × the occupation's share of the program (split by regional openings)."
)

table = providers.select(
    pl.col("provider").alias("Provider"),
    pl.col("city").alias("City"),
    pl.col("county_name").alias("County"),
    pl.col("programs").alias("Programs"),
    pl.col("occupations").alias("Leads to"),
    pl.col("annual_supply").round(0).cast(pl.Int64).alias("Trained and placed a year"),
    pl.col("source").alias("Source"),
)
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    column_config={"Trained and placed a year": st.column_config.NumberColumn(format="%,.0f")},
)
exporting.offer_table(table, f"training-{region.region_id}", source, key="training_table")
