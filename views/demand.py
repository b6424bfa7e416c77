"""Demand: one occupation's projection, openings, wages and entry education; members' postings and their forecast."""

from __future__ import annotations

import polars as pl
import streamlit as st

import charts
from ui import auth, cached, exporting, state

snapshot = cached.snapshot_id()
regions = {r.region_id: r for r in cached.regions(snapshot)}
region = regions.get(state.region_id()) or regions[state.DEFAULT_REGION]
demand, areas, coverage = cached.demand(snapshot, region.region_id)
known = demand.drop_nulls("annual_openings")
titles = dict(zip(known["soc_code"], known["title"], strict=True))
options = known.sort("title")["soc_code"].to_list()
default = next((s for s in state.watchlist() if s in titles), options[0])

st.title(f"{region.name}: demand by occupation")
state.linked_choice("occupation", "demand_soc", options, default)
soc = st.selectbox(
    "Occupation (type to search by title)",
    options,
    format_func=lambda s: f"{titles[s]} ({s})",
    key="demand_soc",
    help="Starts with the first occupation of the watch-list in the sidebar.",
)
state.remember("occupation", soc)
row = known.filter(pl.col("soc_code") == soc).row(0, named=True)

c = st.columns(4)
c[0].metric(f"Employment, {row['base_year']}", f"{row['base_employment']:,.0f}")
c[1].metric(
    f"Projected, {row['projected_year']}",
    f"{row['projected_employment']:,.0f}",
    delta=f"{row['growth_pct']:+.1f}% over 10 years",
)
c[2].metric("Openings a year", f"{row['annual_openings']:,.0f}")
wage = row["median_annual_wage"]
c[3].metric(
    "Median wage",
    "n/a" if wage is None else f"${wage:,.0f}" + ("+" if row["wage_top_coded"] else ""),
)
st.markdown(f"**Typical entry education:** {row['entry_education'] or 'not published'}")
source = cached.source_line(snapshot, ("ep_occupations", "oews"), short=True)
st.caption(
    f"{source} {coverage} Openings = growth/10 + labor-force exits + occupational transfers; "
    f"growth from the {row['growth_source']}."
)

st.subheader("Members' postings and the year ahead")
warehouse = cached.warehouse_version()
viewer = auth.current_viewer()
with st.spinner("Fitting and checking forecast models…"):
    outlook = cached.postings_outlook(
        snapshot, warehouse, region.region_id, soc, viewer.key(), viewer
    )
if outlook.history.is_empty():
    st.info(
        "No member postings can be shown for this occupation: either no member has sent a vacancy "
        "feed with it (Upload page), or fewer than 3 employers post it each month (or one employer "
        "has most of them), so the disclosure rules withhold the counts."
    )
else:
    fan_source = "Source: consortium members' vacancy feeds (aggregated, disclosure rules applied)."
    fig = charts.forecast_fan(
        outlook.history,
        outlook.forecast,
        title=f"New postings a month, {titles[soc]}, {region.name}",
        source=fan_source,
    )
    left, right = st.columns([3, 1])
    with left:
        exporting.show_chart(fig, key="demand_fan")
    with right:
        st.markdown("**Backtest accuracy**")
        if outlook.scores.is_empty():
            st.caption(
                "Not enough months for a rolling-origin backtest (36 needed for a 12-month horizon)."
            )
        else:
            exporting.show_table(
                key="demand_backtest",
                source=fan_source,
                frame=outlook.scores.select("model", "mase", "smape", "coverage80").sort("mase"),
                hide_index=True,
                column_config={
                    "mase": st.column_config.NumberColumn("MASE", format="%.2f"),
                    "smape": st.column_config.NumberColumn("sMAPE %", format="%.1f"),
                    "coverage80": st.column_config.NumberColumn("80% covered", format="percent"),
                },
            )
            st.caption(
                "MASE below 1 beats a seasonal naive forecast; 80% intervals should cover ~80%."
            )
    st.caption(f"{fan_source} {outlook.note}")

st.subheader("The wider market")
SECTORS = [
    "Nursing",
    "Personal Care & Home Health",
    "Medical Technician",
    "Pharmacy",
    "all postings, US",
]
trend = cached.postings_trend(snapshot, region.region_id)
trend = trend.filter(
    pl.col("label").is_in(SECTORS) | pl.col("label").str.ends_with(": all postings")
)
trend_source = cached.source_line(snapshot, ("postings_sector", "postings_state"), short=True)
exporting.show_chart(
    charts.trend_lines(
        trend,
        title="Job postings index, health-care sectors (US) and the region's states",
        source=trend_source,
    ),
    key="demand_trend",
)
st.caption(
    trend_source
    + " Indeed's index is not a count of jobs; the sector series use the pre-November-2024 "
    "seasonal adjustment and end 2024-09."
)
