"""Outcomes: did the people a program trained get hired, and did they stay? A table a funder can download."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

import charts
import workflows
from ui import auth, cached, exporting, state

snapshot = cached.snapshot_id()
regions = {r.region_id: r for r in cached.regions(snapshot)}
region = regions.get(state.region_id()) or regions[state.DEFAULT_REGION]
warehouse = cached.warehouse_version()
viewer = auth.current_viewer()

st.title("Trainee outcomes: hired, and still there")

left, right = st.columns([1, 2])
as_of = left.date_input(
    "Count as of",
    value=date.today(),
    max_value=date.today(),
    format="YYYY-MM-DD",
    key="outcomes_as_of",
    help="Retention counts only people hired at least 90 (or 365) days before this date.",
)
scope = right.radio(
    "Programs",
    [f"Located in {region.name}", "All programs in the warehouse"],
    horizontal=True,
    key="outcomes_scope",
)
region_id = region.region_id if scope.startswith("Located") else None
result = cached.outcomes(snapshot, warehouse, as_of, region_id, viewer.key(), viewer)

if result.placements == 0:
    st.info(
        "No placements yet"
        + (f" for programs located in {region.name}" if region_id else "")
        + ". Training providers send a placements file on the Upload page (participant, program, "
        "cohort, completion date, employer, hire date, wage, separation date); "
        "`gapboard samples load` loads illustrative data to try the page."
    )
    st.stop()
if result.illustrative:
    st.warning(
        "Illustrative sample data: the providers, employers and trainees here are made up "
        "(data/samples). Load your own placements to replace them.",
        icon=":material/science:",
    )

pooled = result.outcomes.filter(pl.col("cohort").is_null())
cohorts = result.outcomes.filter(pl.col("cohort").is_not_null())
a, b, c = st.columns(3)
a.metric("Programs", f"{pooled.height:,}")
b.metric("Cohorts", f"{cohorts.height:,}")
c.metric("Placement records", f"{result.placements:,}")
st.caption(" ".join(n for n in result.notes if not n.startswith("These figures")))

source = (
    f"Member placement feeds, as of {result.as_of.isoformat()}"
    + (" (illustrative sample data)" if result.illustrative else "")
    + ". Results resting on fewer than 10 people are withheld."
)

st.subheader("From completion to a job that lasts")
keys = [f"{p} — {q}" for p, q in zip(pooled["program"], pooled["provider"], strict=True)]
order = pooled.with_columns(pl.Series("key", keys)).sort("placed", descending=True, nulls_last=True)
chosen = st.selectbox("Program", order["key"].to_list(), key="outcomes_program")
row = order.filter(pl.col("key") == chosen).row(0, named=True)
exporting.show_chart(
    charts.outcomes_funnel(
        row, title=f"{row['program']}, {row['provider']}: all cohorts", source=source
    ),
    key="outcomes_funnel",
)
st.caption(source)

st.subheader("How long placed people stay")
programs = order["key"].to_list()
shown = st.multiselect(
    "Programs on the curve",
    programs,
    default=programs[: min(4, len(programs))],
    key="outcomes_curve_programs",
    help="The programs with the most placements come first.",
)
curve = (
    result.curve.with_columns((pl.col("program") + " — " + pl.col("provider")).alias("key"))
    .filter(pl.col("key").is_in(shown))
    # The chart's source line says "illustrative" once; each legend entry need not.
    .with_columns(pl.col("provider").str.replace(" (illustrative)", "", literal=True))
)
if curve.is_empty() or curve["retained_rate"].drop_nulls().is_empty():
    st.info(
        "Choose programs above. A curve needs at least 10 people hired long enough ago at each "
        "point; programs with fewer show no line."
    )
else:
    exporting.show_chart(
        charts.retention_curve(
            curve.drop("key"), title="Share of placed people still employed", source=source
        ),
        key="outcomes_curve",
    )
    st.caption(source + " Each point counts only people hired at least that many days earlier.")

st.subheader("Outcomes by program and cohort")
columns = [
    "completers",
    "placed",
    "placement_rate",
    "retained_90d_rate",
    "retained_365d_rate",
    "median_hourly_wage",
]
if result.outcomes["prior_wage_people"].fill_null(0).sum() > 0:
    columns.append("median_hourly_wage_gain")
table = workflows.outcomes_table(result, columns, style="people").rename(
    {
        "provider": "Provider",
        "program": "Program",
        "cohort": "Cohort",
        "completers": "Completers",
        "placed": "Placed",
        "placement_rate": "Placed (%)",
        "retained_90d_rate": "Stayed 90 days",
        "retained_365d_rate": "Stayed 365 days",
        "median_hourly_wage": "Wage at hire",
        "median_hourly_wage_gain": "Wage gain",
    },
    strict=False,
)
# The numbers before the provider's long name, so they stay in view on a narrow screen.
table = table.select(*[c for c in table.columns if c != "Provider"], "Provider")
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=456,
    column_config={"Program": st.column_config.TextColumn(width="medium")},
)
d1, d2, _ = st.columns([1, 1, 2])
d1.download_button(
    "Download for funders (CSV)",
    workflows.outcomes_report(result, "csv"),
    file_name=f"trainee-outcomes-{result.as_of.isoformat()}.csv",
    mime="text/csv",
    key="outcomes_csv",
)
d2.download_button(
    "Download for funders (Excel)",
    workflows.outcomes_report(result, "xlsx"),
    file_name=f"trainee-outcomes-{result.as_of.isoformat()}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="outcomes_xlsx",
)
if result.unsuppressed is not None:
    with st.expander("Every count, nothing withheld (conveners only; not for sharing)"):
        st.caption(
            "For checking the placements data: groups under 10 people are shown as they are. "
            "Share the table above, not this one."
        )
        st.dataframe(result.unsuppressed.drop("suppressed"), hide_index=True, width="stretch")
st.caption(
    "'fewer than 10': withheld because it rests on fewer than 10 people (with a second cohort "
    "where the total would give it away). 'not yet': nobody was hired long enough before the "
    "date. 'not recorded': the placements feed carries no wage from before the program."
)

st.subheader("Where they were hired")
e, o = st.columns(2)
for column, by, label in ((e, "employer", "Employer"), (o, "occupation", "Occupation")):
    frame = workflows.placements_table(result, by)
    column.dataframe(
        frame.rename(
            {
                "label": label,
                "placed": "Placed",
                "share_of_placed": "Share",
                "median_hourly_wage": "Wage at hire",
            }
        ),
        hide_index=True,
        width="stretch",
        height=36 * (frame.height + 1) + 3,
        column_config={label: st.column_config.TextColumn(width="medium")},
    )
st.caption(source + " Employers or occupations with fewer than 10 placements are pooled.")
