"""Pathways: which roles can move into an occupation (or where a role leads), what it pays, what to learn."""

from __future__ import annotations

from datetime import date

import polars as pl
import streamlit as st

import charts
from ui import cached, exporting, state

# Short words for a metric tile; the tile's help keeps BLS's wording.
EDUCATION_SHORT = {
    "No formal educational credential": "None required",
    "High school diploma or equivalent": "High school",
    "Some college, no degree": "Some college",
    "Postsecondary nondegree award": "Certificate",
    "Associate's degree": "Associate's",
    "Bachelor's degree": "Bachelor's",
    "Master's degree": "Master's",
    "Doctoral or professional degree": "Doctoral",
}
DEFAULT_TARGET = "31-9092"  # Medical Assistants: the consortia's commonest incumbent pathway
INTO, OUT_OF = "Who can move into…", "Where can a worker go from…"


def md(text: str) -> str:
    """Text for st.caption: O*NET's asterisk is not markdown emphasis."""
    return text.replace("*", "\\*")


def cite(*names: str) -> str:
    """The short source line of some datasets, without its closing period."""
    return cached.source_line(snapshot, names, short=True).rstrip(".")


snapshot = cached.snapshot_id()
regions = {r.region_id: r for r in cached.regions(snapshot)}
region = regions.get(state.region_id()) or regions[state.DEFAULT_REGION]
warehouse = cached.warehouse_version()
occupations = cached.pathway_occupations(snapshot)
labels = dict(zip(occupations["soc_code"], occupations["label"], strict=True))
titles = dict(zip(occupations["soc_code"], occupations["title"], strict=True))

st.title("Career pathways")
st.caption(
    f"Roles whose skills, tasks and work are closest, with {region.name} wages and training. "
    "Pick an occupation; type to search by title."
)

left, right = st.columns([1, 2])
direction_label = left.radio("Question", [INTO, OUT_OF], horizontal=False, key="pathways_direction")
direction = "to" if direction_label == INTO else "from"
options = occupations["soc_code"].to_list()
start = next((s for s in state.watchlist() if s in labels), DEFAULT_TARGET)
state.linked_choice(
    "pathways_soc", "pathways_occupation", options, start if start in labels else options[0]
)
soc = right.selectbox(
    "Occupation",
    options,
    format_func=labels.__getitem__,
    key="pathways_occupation",
    help="Starts with the first occupation of the watch-list in the sidebar.",
)
state.remember("pathways_soc", soc)
title = titles[soc]

inputs = cached.gap_inputs(snapshot, warehouse, region.region_id)
result = cached.pathways(snapshot, warehouse, region.region_id, soc, direction, inputs)
table = result.table
side = "from" if direction == "to" else "to"
pathway_source = cite("onet_skills", "oews")

if direction == "to":
    target_row = table.head(1).to_dicts()
    wage = target_row[0]["to_median_annual_wage"] if target_row else None
    education = target_row[0]["entry_education"] if target_row else None
    no_bachelors = target_row[0]["no_bachelors_needed"] if target_row else None
    programs = result.programs.filter(pl.col("soc_code") == soc)
    a, b, c = st.columns(3)
    a.metric(f"Median wage, {title}", f"${wage:,.0f}" if wage else "not published")
    b.metric(
        "Typical entry education",
        EDUCATION_SHORT.get(education or "", education or "not published"),
        help=f"BLS Employment Projections' typical education needed for entry: {education}.",
    )
    c.metric(
        "Programs in the region",
        f"{programs.height:,}",
        help="IPEDS and member programs that the CIP–SOC crosswalk links to this occupation.",
    )
    if no_bachelors:
        st.success(
            f"No bachelor's degree needed to become {title.lower()}.", icon=":material/school:"
        )

if table.is_empty():
    st.info(
        f"No occupation close to {title} is within 10% of its wage. Try the other question "
        "above, or another occupation."
    )
    st.stop()

heading = (
    f"Feeder occupations into {title}, best first"
    if direction == "to"
    else f"Where a worker in {title} can go, best first"
)
st.subheader(heading)
wage_column = (
    pl.col("from_median_annual_wage").alias("Wage now ($)")
    if direction == "to"
    else pl.col("to_median_annual_wage").alias("Wage there ($)")
)
shown = table.select(
    pl.col("rank").alias("Rank"),
    pl.col(f"{side}_title").alias("Occupation"),
    pl.col(f"{side}_soc").alias("SOC"),
    pl.col("similarity").alias("Likeness"),
    pl.col("wage_uplift_pct").alias("Wage uplift"),
    wage_column,
    *(
        [
            pl.col("entry_education").alias("Entry education"),
            pl.col("programs").alias("Programs"),
        ]
        if direction == "from"
        else []
    ),
    pl.col("skills_to_gain").alias("Skills to gain"),
)
exporting.show_table(
    shown,
    key="pathways_table",
    source=pathway_source,
    hide_index=True,
    width="stretch",
    height=36 * (shown.height + 1) + 3,
    column_config={
        "Rank": st.column_config.NumberColumn(width="small"),
        "Occupation": st.column_config.TextColumn(width="large"),
        "SOC": st.column_config.TextColumn(width="small"),
        "Likeness": st.column_config.ProgressColumn(
            format="%.2f", min_value=0.0, max_value=1.0, width="small"
        ),
        "Wage uplift": st.column_config.NumberColumn(format="%+.1f%%", width="small"),
        "Wage now ($)": st.column_config.NumberColumn(format="%,.0f", width="small"),
        "Wage there ($)": st.column_config.NumberColumn(format="%,.0f", width="small"),
        "Skills to gain": st.column_config.TextColumn(width="large"),
    },
)
st.caption(
    md(
        "Likeness blends O*NET skill ratings, task statements, O*NET's related-occupation lists, "
        "the job-zone step and shared employers (0–1). " + " ".join(result.notes[:2])
    )
)

pick_options = table[f"{side}_soc"].to_list()
compare = st.selectbox(
    "Compare with" if direction == "to" else "Destination to look at",
    pick_options,
    format_func=lambda s: labels.get(s, s),
    key="pathways_compare",
)
from_soc, to_soc = (compare, soc) if direction == "to" else (soc, compare)

fig = charts.pathway_scatter(
    table,
    title=f"Likeness against wage uplift: {heading.split(',')[0].lower()}",
    source=f"{pathway_source}. {region.name} medians.",
    direction=direction,
    highlight=compare,
)
exporting.show_chart(fig, key="pathways_scatter")
st.caption(
    md(
        f"{pathway_source}. Wage uplift: OEWS May 2025 median wages, {region.name} (national where "
        "the region has none). The orange dot is the occupation chosen above."
    )
)

st.subheader(f"Skills to gain: {titles.get(from_soc, from_soc)} → {titles.get(to_soc, to_soc)}")
gaps = cached.skill_gaps(snapshot, from_soc, to_soc)
skills_source = cite("onet_skills")
if gaps.filter(pl.col("importance_gap") > 0).is_empty():
    st.info("Every skill rated for the destination matters as much or more in the current role.")
else:
    exporting.show_chart(
        charts.skills_gap_bars(
            gaps,
            title="Skills that matter more in the new role",
            source=f"{skills_source}.",
            from_label=titles.get(from_soc, from_soc),
            to_label=titles.get(to_soc, to_soc),
        ),
        key="pathways_skills",
    )
    st.caption(
        md(
            f"{skills_source}. Importance of each skill to the job, 1 (not important) to 5 "
            "(extremely important); the number is the rise."
        )
    )

st.subheader(f"Training for {titles.get(to_soc, to_soc)} in {region.name}")
programs = result.programs.filter(pl.col("soc_code") == to_soc)
if programs.is_empty():
    st.info(
        f"No IPEDS or member program in {region.name} trains for {titles.get(to_soc, to_soc)}. "
        "Training providers can add theirs on the Upload page (Training programs)."
    )
else:
    exporting.show_table(
        key="pathways_programs",
        source=pathway_source,
        frame=programs.select(
            pl.col("provider").alias("Provider"),
            pl.col("annual_supply").round(0).alias("People a year"),
            pl.col("award_level").alias("Award"),
            pl.col("program").alias("Program"),
            pl.when(pl.col("source").str.starts_with("IPEDS"))
            .then(pl.lit("IPEDS"))
            .otherwise(pl.lit("Member program"))
            .alias("Source"),
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Provider": st.column_config.TextColumn(width="medium"),
            "People a year": st.column_config.NumberColumn(
                format="%,.0f",
                help="Completers a year who go into this job: a program's completers are split "
                "among the occupations it trains for, as on the Gaps page.",
            ),
        },
    )
    st.caption(
        f"{cite('ipeds_completions', 'cip_soc')}; IPEDS completers averaged over 2022–2024. "
        + (result.notes[-1].removeprefix("Programs: ") if result.notes else "")
    )

roi = cached.pathway_roi(
    snapshot, warehouse, region.region_id, to_soc, from_soc, date.today(), inputs
)
st.subheader("What a placement costs, and what it pays")
if roi.table.is_empty():
    st.info(roi.notes[0])
else:
    if roi.illustrative:
        st.warning(
            "Illustrative sample data: these programs, costs and placements are made up.",
            icon=":material/science:",
        )
    exporting.show_table(
        key="pathways_roi",
        source=pathway_source,
        frame=roi.table.select(
            (pl.col("program") + " — " + pl.col("provider")).alias("Program"),
            pl.col("cost_per_placement").round(0).alias("Cost per placement ($)"),
            pl.col("annual_wage_gain_per_placed").round(0).alias("Gain a year per hire ($)"),
            pl.col("annual_wage_gain_per_participant")
            .round(0)
            .alias("Gain a year per starter ($)"),
            pl.when(pl.col("payback_months").is_null())
            .then(pl.lit("no wage gain"))
            .otherwise(pl.col("payback_months").round(1).cast(pl.String))
            .alias("Payback (months)"),
            pl.col("cost").alias("Cost per participant ($)"),
            pl.col("hire_hourly_wage").alias("Wage at hire ($/h)"),
            pl.col("prior_hourly_wage").alias("Wage before ($/h)"),
        ),
        hide_index=True,
        width="stretch",
        column_config={
            "Program": st.column_config.TextColumn(width="medium"),
            "Cost per participant ($)": st.column_config.NumberColumn(format="%,.0f"),
            "Cost per placement ($)": st.column_config.NumberColumn(format="%,.0f"),
            "Wage at hire ($/h)": st.column_config.NumberColumn(format="%.2f"),
            "Wage before ($/h)": st.column_config.NumberColumn(format="%.2f"),
            "Gain a year per hire ($)": st.column_config.NumberColumn(format="%+,.0f"),
            "Gain a year per starter ($)": st.column_config.NumberColumn(format="%+,.0f"),
        },
    )
    st.caption(
        " ".join(n for n in roi.notes if not n.startswith("Programs and placements are"))
        + f" Wage before: {roi.table['prior_wage_source'][0]}."
    )

st.subheader("Who holds these jobs")
feeders = tuple(table[f"{side}_soc"].head(3).to_list())
profile = cached.workforce_profile(snapshot, soc, feeders)
cps_source = cite("cps_demographics")
years = profile.row(0, named=True)
race_year, age_year = years["race_sex_year"], years["age_year"]
chart_source = f"{cps_source}: sex, race, ethnicity {race_year}; age {age_year}. National."
diversity_note = (
    f"{cps_source}, national annual averages: sex, race and ethnicity {race_year}, age "
    f"{age_year} (an 11-month average: October {age_year} was not collected). Hispanic or Latino "
    "workers may be of any race. No bar: BLS publishes no share for fewer than 50,000 workers."
)
exporting.show_chart(
    charts.diversity_bars(
        profile,
        title="Women, Black, Asian and Hispanic or Latino workers",
        source=chart_source,
    ),
    key="pathways_diversity",
)
st.caption(diversity_note)
exporting.show_chart(
    charts.age_mix_bars(profile, title=f"Age of workers, {age_year}", source=chart_source),
    key="pathways_age",
)
st.caption(diversity_note)
with st.expander("Which Census occupation each row is"):
    exporting.show_table(
        key="pathways_census_match",
        source=chart_source,
        frame=profile.select(
            pl.col("title").alias("Occupation"),
            pl.col("cps_occupation")
            .fill_null("no Census occupation matches")
            .alias("Census occupation (CPS)"),
            pl.col("match_method").alias("Matched by"),
        ),
        hide_index=True,
        width="stretch",
    )
st.caption(md(cached.attributions()[0]))
